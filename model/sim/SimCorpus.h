#pragma once

#include <QByteArray>
#include <QString>

#include <string>
#include <vector>

namespace ds {

// The prompt corpora the simulator draws text from, read once from the embedded
// resource (:/sim/corpora/*.gz) and kept as UTF-8 strings. Immutable after load():
// any thread may read it.
class SimCorpus
{
public:
    struct MathTask
    {
        std::string question;
        std::string answer; // worked answer ending in "#### value"
    };
    struct Instruction
    {
        std::string instruction;
        std::string input; // may be empty
    };
    struct Judge
    {
        std::string systemPrompt;
        std::string promptTemplate; // FastChat slots: {question}, {answer}, {answer_a}, {answer_b}, {ref_answer_1}, ...
    };
    struct ToolTask
    {
        std::string question;
        std::string schemaJson;            // the function schemas, compact JSON
        std::vector<std::string> toolNames;
    };

    // Loads every corpus; returns false (with a message) when the resource is missing or unreadable.
    bool load(QString* error);

    std::vector<std::string> chat;         // everyday assistant prompts (casual users)
    std::vector<std::string> devQuestions; // programming questions people ask (developers)
    std::vector<MathTask> gsm8k;
    std::vector<Instruction> selfInstruct;
    std::vector<Instruction> codegen; // GPTeacher codegen instructions
    std::vector<std::string> humaneval;
    std::vector<Judge> judges;
    std::vector<ToolTask> tools;
    std::vector<std::string> browserAgents;

    // Shared instance, loaded on first use (thread-safe initialisation); null if the resource is broken.
    static const SimCorpus* shared(QString* error);
};

// Inflates gzip (or zlib) data; empty on error.
QByteArray simGunzip(const QByteArray& compressed);

} // namespace ds

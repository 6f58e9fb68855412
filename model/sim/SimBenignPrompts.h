#pragma once

#include "sim/SimCorpus.h"
#include "sim/SimRandom.h"

#include <string>

namespace ds {

// Writes the text of ordinary customers' requests from the benign corpora,
// varied by framing, number changes, personal templates and follow-up turns
// (turns joined by a blank line). Developers also ask about GPTeacher and
// HumanEval code, so the attack corpora are not a tell on their own.
// Immutable: any thread, with the caller's generator.
class SimBenignPrompts
{
public:
    explicit SimBenignPrompts(const SimCorpus& corpus) : m_c(corpus) {}

    void chat(SimRng& rng, std::string& out) const;
    void coding(SimRng& rng, std::string& out) const;
    // A personal template a user keeps reusing (index chooses which), slots filled.
    void personalTemplate(SimRng& rng, int index, std::string& out) const;
    static constexpr int kPersonalTemplates = 6;
    // Appends a follow-up user turn (after a blank line).
    void followUp(SimRng& rng, bool coding, std::string& out) const;
    // One record of an enterprise pipeline's input for template slot {record}; {field}, {lang} likewise.
    void batchRecord(SimRng& rng, int templateIndex, std::string& out) const;
    void batchSlot(SimRng& rng, std::string_view slot, int templateIndex, std::string& out) const;

private:
    void varyNumbers(SimRng& rng, std::string& s) const;
    const SimCorpus& m_c;
};

} // namespace ds

#pragma once

#include "sim/SimCorpus.h"

#include <QString>

#include <cstdio>
#include <string>
#include <vector>

namespace ds::bench {

// The texts of the shipped corpora, one entry each (null when they cannot be read).
inline const std::vector<std::string>* corpusTexts()
{
    static const std::vector<std::string> texts = [] {
        std::vector<std::string> out;
        QString error;
        const ds::SimCorpus* c = ds::SimCorpus::shared(&error);
        if (!c) {
            std::printf("bench: the corpora cannot be read: %s\n", qPrintable(error));
            return out;
        }
        auto add = [&out](const std::string& t) {
            if (!t.empty())
                out.push_back(t);
        };
        for (const auto& t : c->chat)
            add(t);
        for (const auto& t : c->devQuestions)
            add(t);
        for (const auto& t : c->gsm8k)
            add(t.question);
        for (const auto& t : c->selfInstruct)
            add(t.input.empty() ? t.instruction : t.instruction + "\n\n" + t.input);
        for (const auto& t : c->codegen)
            add(t.input.empty() ? t.instruction : t.instruction + "\n\n" + t.input);
        for (const auto& t : c->humaneval)
            add(t);
        for (const auto& t : c->judges)
            add(t.promptTemplate);
        for (const auto& t : c->tools)
            add(t.question);
        for (const auto& t : c->browserAgents)
            add(t);
        return out;
    }();
    return texts.empty() ? nullptr : &texts;
}

} // namespace ds::bench

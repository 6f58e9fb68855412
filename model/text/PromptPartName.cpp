#include "text/PromptPartName.h"

#include "text/DisplayText.h"
#include "text/PromptFeatures.h"
#include "text/PromptSkeleton.h"
#include "text/TaskFingerprint.h"
#include "text/TemplateName.h"

#include <QStringList>

#include <vector>

namespace ds::promptpartname {

namespace {

// Where sentences may be cut: after a sentence mark followed by white space, and after each line end. A cut the
// fingerprint reads differently (a mark inside a number) only makes trimming stop early, never wrong.
std::vector<std::size_t> sentenceCuts(std::string_view text)
{
    std::vector<std::size_t> cuts{0};
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const bool mark = (c == '.' || c == '?' || c == '!' || c == ':' || c == ';') && i + 1 < text.size()
                          && (text[i + 1] == ' ' || text[i + 1] == '\n' || text[i + 1] == '\t');
        if (mark || c == '\n')
            cuts.push_back(i + 1);
    }
    if (cuts.back() != text.size())
        cuts.push_back(text.size());
    return cuts;
}

// A prompt with more sentences than this is named by its whole text cut to its ends: trimming costs one fingerprint
// per sentence, and the tab names five groups at most.
constexpr std::size_t kMaxSentences = 2000;
constexpr int kFirstWords = 8;
constexpr int kLastWords = 6;

} // namespace

QString openingWords(std::string_view prompt)
{
    // The head key's words: the prompt skeleton's first paragraph, at most kTemplateWords words of it.
    const std::string skeleton = promptSkeleton(prompt);
    const std::string_view head = leadingWords(firstParagraph(skeleton), kTemplateWords);
    int words = 0;
    bool inWord = false;
    for (char c : head) {
        const bool space = c == ' ';
        words += !space && !inWord;
        inWord = !space;
    }
    if (words < kMinTemplateWords)
        return {};
    return templatename::wordsOfSkeleton(head);
}

std::string_view taskBody(std::string_view prompt)
{
    const std::uint64_t task = taskFingerprint(prompt);
    if (task == 0)
        return prompt;
    const std::vector<std::size_t> cuts = sentenceCuts(prompt);
    if (cuts.size() > kMaxSentences)
        return prompt;
    std::size_t first = 0, last = cuts.size() - 1; // the body is prompt[cuts[first], cuts[last])
    auto same = [&](std::size_t a, std::size_t b) { return taskFingerprint(prompt.substr(cuts[a], cuts[b] - cuts[a])) == task; };
    while (first + 1 < last && same(first + 1, last))
        ++first;
    while (last - 1 > first && same(first, last - 1))
        --last;
    return prompt.substr(cuts[first], cuts[last] - cuts[first]);
}

QString taskWords(std::string_view prompt)
{
    if (taskFingerprint(prompt) == 0)
        return {};
    const std::string_view body = taskBody(prompt);
    const QStringList words = QString::fromUtf8(body.data(), static_cast<qsizetype>(body.size())).simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QString text;
    if (words.size() <= kFirstWords + kLastWords + 1)
        text = words.join(QLatin1Char(' '));
    else
        text = words.mid(0, kFirstWords).join(QLatin1Char(' ')) + QStringLiteral(" … ") + words.mid(words.size() - kLastWords).join(QLatin1Char(' '));
    // Prompt words are attacker-controlled: one neutralised line, bounded.
    return QStringLiteral("“%1”").arg(displaytext::cell(text, 160));
}

} // namespace ds::promptpartname

#include "util/PromptHighlight.h"

#include "text/DisplayText.h"

#include <QSet>

namespace ds {

QList<TextRange> templateSlots(const QString& text, const QString& skeleton)
{
    QSet<QString> fixed;
    QString word;
    auto flushSkeleton = [&] {
        if (!word.isEmpty())
            fixed.insert(word);
        word.clear();
    };
    for (QChar c : skeleton) {
        if (c.isLetter())
            word += c;
        else
            flushSkeleton();
    }
    flushSkeleton();

    QList<TextRange> ranges;
    auto addSlot = [&](int start, int length) {
        if (!ranges.isEmpty() && ranges.last().start + ranges.last().length >= start - 1)
            ranges.last().length = start + length - ranges.last().start; // merge neighbours into one slot
        else
            ranges.append({start, length});
    };
    int i = 0;
    const int n = static_cast<int>(text.size());
    while (i < n) {
        if (text[i].isSpace() || (text[i].isPunct() && text[i] != QLatin1Char('"') && text[i] != QLatin1Char('`'))) {
            ++i;
            continue;
        }
        int j = i;
        while (j < n && !text[j].isSpace())
            ++j;
        // The word's letters, lower-cased, as the skeleton spells them.
        QString letters;
        bool hasDigit = false;
        for (int k = i; k < j; ++k) {
            if (text[k].isLetter())
                letters += text[k].toLower();
            else if (text[k].isDigit())
                hasDigit = true;
        }
        if (hasDigit || letters.isEmpty() || !fixed.contains(letters))
            addSlot(i, j - i);
        i = j;
    }
    return ranges;
}

PromptView promptView(const QString& prompt, const QString& skeleton, qsizetype maxChars)
{
    PromptView v;
    const QString shown = displaytext::multiline(prompt, maxChars);
    v.text.reserve(shown.size() + shown.size() / PromptView::kMaxLineChars + 1);
    constexpr qsizetype kMax = PromptView::kMaxLineChars;
    for (qsizetype i = 0; i < shown.size();) {
        const qsizetype newline = shown.indexOf(QLatin1Char('\n'), i);
        const qsizetype lineEnd = newline < 0 ? shown.size() : newline;
        while (lineEnd - i > kMax) {
            // Break after the last space in the second half of the allowed length, else anywhere
            // (never inside a surrogate pair).
            qsizetype cut = i + kMax;
            const qsizetype space = QStringView(shown).mid(i + kMax / 2, kMax / 2).lastIndexOf(QLatin1Char(' '));
            if (space >= 0)
                cut = i + kMax / 2 + space + 1;
            else if (shown[cut - 1].isHighSurrogate())
                --cut;
            v.text += QStringView(shown).mid(i, cut - i);
            v.text += QLatin1Char('\n');
            v.linesBroken = true;
            i = cut;
        }
        v.text += QStringView(shown).mid(i, lineEnd - i);
        if (newline >= 0)
            v.text += QLatin1Char('\n');
        i = lineEnd + 1;
    }
    v.highlights = templateSlots(v.text.left(PromptView::kMaxHighlightChars), skeleton);
    return v;
}

} // namespace ds

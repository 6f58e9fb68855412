#include "util/PromptHighlight.h"

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

} // namespace ds

#pragma once

#include <QList>
#include <QString>

namespace ds {

// Which parts of a prompt are the template's fixed skeleton and which are the
// slots filled per request: words that survive skeletonisation (see
// text/PromptSkeleton.h) are fixed; numbers, names, quoted text and code are
// slots. Ranges index the given text. Pure function: any thread.
struct TextRange
{
    int start = 0;
    int length = 0;
};
QList<TextRange> templateSlots(const QString& text, const QString& skeleton);

// A prompt ready for a QPlainTextEdit: neutralised (text/DisplayText.h), cut to
// `maxChars` with a note when asked (maxChars < 0: whole), lines longer than
// kMaxLineChars broken at a space (or anywhere in one long word) because a text
// edit lays a whole line out at once (a megabyte on one line: a second per
// resize), and the template slots of its first kMaxHighlightChars characters.
// Pure function: any thread (build it with the data, off the GUI thread).
struct PromptView
{
    static constexpr int kMaxLineChars = 1000;
    static constexpr int kMaxHighlightChars = 50000;
    QString text;
    QList<TextRange> highlights;
    bool linesBroken = false; // a long line was broken for display
};
PromptView promptView(const QString& prompt, const QString& skeleton, qsizetype maxChars = -1);

} // namespace ds

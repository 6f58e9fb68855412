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

} // namespace ds

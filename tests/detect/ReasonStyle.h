#pragma once

#include <QString>
#include <QStringList>

// The mechanical rules of docs/REASONS.md as a check on one sentence, shared by the reasons sweep
// (tst_reason_style) and the suites of other sentences that explain detection's results. Test threads.
namespace ds::test {

// Every rule `text` breaks, one line each; empty when it reads well.
QStringList styleProblems(const QString& text);

} // namespace ds::test

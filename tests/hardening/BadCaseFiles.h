#pragma once

#include <QString>
#include <QStringList>

namespace ds::test {
class ScratchDir;
}

namespace ds::hardening {

// Writes the files a case must be refused from into `dir`: random bytes, a text
// file, the SQLite magic followed by junk, another program's SQLite database, a
// case from a newer version, a truncated case, a case with damaged pages, and cases with planted objects
// (trigger.sqlite: a trigger on account_result; view.sqlite; audit-trigger.sqlite: the audit log's trigger rewritten).
// Needs a small request log to build the real cases from. Returns the file names.
// Test thread only.
QStringList writeBadCaseFiles(const ds::test::ScratchDir& dir, const QString& requestLog);

// A small canonical request log (50 requests, 5 accounts) in `dir`; returns its path.
QString writeSmallLog(const ds::test::ScratchDir& dir);

} // namespace ds::hardening

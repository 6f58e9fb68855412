#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <cstdint>

namespace ds {

// Small helpers shared by the exports: atomic file writes, SHA-256, CSV fields. Any thread.
namespace exportfiles {

// Writes `bytes` to `path` atomically (core/OutputFile.h: straight through to a device or FIFO). Returns an error message, empty on success.
QString writeAll(const QString& path, const QByteArray& bytes);
// Lower-case hex SHA-256 of a file's contents, empty if it cannot be read.
QString sha256OfFile(const QString& path);
// One RFC 4180 line ending in "\n", fields quoted when they need it and neutralised for spreadsheets and
// terminals (text/CsvText.h): enforcement and legal teams open these files in spreadsheets.
QByteArray csvLine(const QStringList& fields);

// Where exports go unless the analyst chooses: beside the case when its folder is one a person sees, else
// (a case in the application's hidden data folder) "Distillscope exports" in the documents folder.
QString defaultFolder(const QString& casePath);
// The case file's name without ".sqlite" and ".case" ("hydra" for hydra.case.sqlite), to which each
// export adds its own suffix (".report.pdf"), so no name reads "hydra.case.report.pdf".
QString baseName(const QString& casePath);

} // namespace exportfiles

// What an export wrote, for the report and the audit log.
struct ExportedFile
{
    QString path;
    QString sha256;
    std::int64_t rows = 0;
    QString error; // empty on success
};

} // namespace ds

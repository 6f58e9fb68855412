#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace ds {

// Writing CSV (RFC 4180). Files meant for people (the quarantine export) are
// safe to open in a spreadsheet: a cell that starts with = + - or @ gets a
// leading apostrophe, so attacker-supplied text is never run as a formula.
// Files meant for enforcement tooling keep every value exact. Every CSV export
// of the project goes through these. Any thread.
enum class CsvFormulas { Neutralise, KeepExact };

QByteArray csvField(const QString& value, CsvFormulas formulas = CsvFormulas::Neutralise);
// The fields joined by commas, ending with '\n'.
QByteArray csvLine(const QStringList& fields, CsvFormulas formulas = CsvFormulas::Neutralise);

} // namespace ds

#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace ds {

// Writing CSV (RFC 4180) that is safe to open in a spreadsheet or print on a terminal. Every CSV the project
// writes (quarantine, table exports, the confirmed-accounts and request-id files for enforcement) is opened by
// people, so each cell is neutralised the same way:
// - a cell a spreadsheet would evaluate (starting with = + - @, a TAB or a CR) gets a leading apostrophe, unless it
//   is a plain number such as "-2" (Excel, LibreOffice and Google Sheets all take "@", "+" and "-" for formulas);
// - control, direction and invisible characters become visible marks (‹ESC›, ‹NUL›, ‹RLO›), as on screen
//   (text/DisplayText.h), so a file never sends an escape sequence to a terminal nor hides a difference between
//   two ids. Newlines inside a cell are kept, quoted.
// A value changed this way is still recognisable; the case JSON export keeps every value exact for tools.
// Pure functions: any thread.
QByteArray csvField(const QString& value);
// The fields joined by commas, ending with '\n'.
QByteArray csvLine(const QStringList& fields);

} // namespace ds

#pragma once

#include <QString>

namespace ds {

// Attacker-controlled text made safe to show: control characters become visible
// symbols and bidirectional overrides/isolates are removed, so a value can never
// reorder or hide its neighbours. Pure functions: any thread.
namespace displaytext {
// One table cell: newlines and tabs shown as symbols, at most `maxChars` characters.
QString cell(const QString& text, int maxChars = 300);
// A multi-line text box: keeps newlines and tabs, neutralises the rest.
QString multiline(const QString& text);
// A tooltip: Qt guesses whether tooltip text is HTML, so attacker text is
// neutralised, then HTML-escaped inside a fixed plain wrapper; it always shows literally.
QString tooltip(const QString& text, int maxChars = 2000);
// True for characters that can reorder or hide text (bidi controls, zero-width marks).
bool isBidiControl(char32_t c);
} // namespace displaytext

} // namespace ds

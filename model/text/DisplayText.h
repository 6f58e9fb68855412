#pragma once

#include <QString>

namespace ds {

// Attacker-controlled text (prompts, ids, user agents) made safe to show, on
// screen and in the report. The result is plain text: it is never to be handed
// to anything that guesses rich text (QLabel in AutoText, QToolTip, QMessageBox)
// except through tooltip(). What it does:
// - control characters become their names in marks: ‹ESC›, ‹NUL›, ‹BEL›, ‹NEL›; in
//   one-line forms newlines and tabs become ↵ and →;
// - direction controls (RLO, LRI, …) and invisible characters (zero-width space,
//   BOM, word joiner, tag characters, …) become visible marks such as ‹RLO›, so a
//   value can neither reorder its neighbours nor hide a difference between two ids;
// - long runs of combining marks are cut (‹+12 marks›) so they cannot paint over
//   the lines around them;
// - lone surrogates and non-characters become U+FFFD.
// Text without any of these comes back unchanged, and every function is
// idempotent. Pure functions: any thread.
namespace displaytext {

// One line (a table cell, a list entry, a node label): at most about `maxChars`
// characters, cut with "…" (maxChars < 0: no limit).
QString cell(const QString& text, int maxChars = 300);

// One line inside a sentence ("Evidence for account %1"): cell(), wrapped in
// FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE so that right-to-left text in the
// value keeps to itself and cannot move the words or digits around it.
QString embedded(const QString& text, int maxChars = 120);

// The text of a menu item or button: embedded(), with '&' doubled so that it is
// shown and not taken for a keyboard mnemonic.
QString actionText(const QString& text, int maxChars = 60);

// A multi-line text (a prompt, a note): keeps newlines and tabs (LINE and
// PARAGRAPH SEPARATOR become newlines), zero-width joiners between letters and
// emoji too; the rest as in cell(). With maxChars >= 0, a longer text is cut at a
// line or word boundary near maxChars and a last line says how much is left out:
// "[… 1,043,200 more characters not shown]".
QString multiline(const QString& text, qsizetype maxChars = -1);

// A tooltip. Qt shows tooltip text as HTML when it "might be rich text", so the
// text is neutralised as multiline(), HTML-escaped and put in a fixed plain
// paragraph: it always shows literally.
QString tooltip(const QString& text, int maxChars = 2000);

// True for characters that can reorder text: embeddings, overrides, isolates and marks.
bool isBidiControl(char32_t c);
// True when `text` has anything cell() would change, apart from cutting it.
bool needsNeutralising(const QString& text);

} // namespace displaytext

} // namespace ds

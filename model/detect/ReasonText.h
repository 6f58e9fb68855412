#pragma once

#include <QString>
#include <cstdint>

// The words and numbers of reason sentences, written one way everywhere (docs/REASONS.md): counts that agree
// with their noun, numbers without a stray ".0", readable times and durations, quoted log values. English digit
// grouping whatever the machine's locale, so reports read the same everywhere. Pure functions: any thread.
namespace ds::reasontext {

// "1,234" (whole numbers).
QString whole(std::int64_t n);
// A measured value: one decimal under 100 unless it rounds to a whole number ("5.4", "7", "1,200").
QString number(double v);
// "1 account", "12 accounts", "1,200 requests": `singular` for exactly one, `plural` otherwise.
QString count(std::int64_t n, const QString& singular, const QString& plural);
// Part of a group: "21 of the 25 accounts", "both accounts", "all 25 accounts".
QString partOf(std::int64_t part, std::int64_t whole, const QString& plural);
// `text` with its first letter in capitals, for a sentence that opens with a phrase from above ("All 25 accounts").
QString capitalised(QString text);
// "once", "twice", "5 times".
QString times(std::int64_t n);
// A share 0..1 as a percentage: "64%", "0.4%" (one decimal under 10 %, so small shares do not read as 0).
QString percent(double share);
// A moment, minutes precision, with its zone: "2026-02-02 01:45 UTC".
QString moment(std::int64_t epochMs);
// A length of time in the unit that reads best: "40 seconds", "1 minute", "12 minutes", "2.5 hours", "3 days".
QString duration(std::int64_t ms);
// A value from the logs (prompt excerpt, user agent, account id, model name) in quotes, one line, at most
// `maxChars` characters: “…”.
QString quoted(const QString& value, int maxChars = 70);

} // namespace ds::reasontext

#include "ReasonStyle.h"

#include <QRegularExpression>

namespace ds::test {

namespace {

// Quoted values (“…”: prompt excerpts, user agents, account ids, model names) are the logs' words, not ours: the
// rules apply to the text around them.
QString withoutQuotes(const QString& s)
{
    static const QRegularExpression quoted(QStringLiteral("\u201c[^\u201d]*\u201d"));
    return QString(s).replace(quoted, QStringLiteral("\u201c\u201d"));
}

// Words ending in "s" that are not plural nouns, so "1 is" or "1 of its" are not taken for "1 accounts".
bool pluralNoun(const QString& w)
{
    static const QStringList notPlural { QStringLiteral("is"),   QStringLiteral("was"),    QStringLiteral("has"),
                                         QStringLiteral("its"),  QStringLiteral("this"),   QStringLiteral("as"),
                                         QStringLiteral("plus"), QStringLiteral("across"), QStringLiteral("us"),
                                         QStringLiteral("does"), QStringLiteral("always") };
    return w.size() > 2 && w.endsWith(QLatin1Char('s')) && !w.endsWith(QStringLiteral("ss"))
        && !notPlural.contains(w.toLower());
}

} // namespace

QStringList styleProblems(const QString& text)
{
    QStringList problems;
    const QString s = withoutQuotes(text);
    auto rule = [&](const char* pattern, const char* what) {
        const QRegularExpression re(QString::fromUtf8(pattern));
        const auto m = re.match(s);
        if (m.hasMatch())
            problems << QStringLiteral("%1: \"%2\"").arg(QLatin1String(what), m.captured(0));
    };
    // Plural agreement: "1 accounts", "1 other accounts", "1 user agents", "1 IP addresses".
    static const QRegularExpression one(
        QStringLiteral("(?<![\\d.,])\\b1 (?:other |more |IP |user |output |prompt |task |"
                       "harvest-class |e-mail |non-public e-mail |payment |sampled )?([A-Za-z-]+)\\b"));
    for (auto it = one.globalMatch(s); it.hasNext();) {
        const auto m = it.next();
        if (pluralNoun(m.captured(1)))
            problems << QStringLiteral("plural after 1: \"%1\"").arg(m.captured(0));
    }
    rule("\\b(?:than|above|below) 0(?:\\.0+)? ?%", "comparison with 0 %");
    rule("(?<![\\d.,])0(?:\\.0+)? ?% of (?:the )?accounts", "comparison with 0 % of accounts");
    rule("\\b[a-z]+[A-Z][A-Za-z]*\\b", "camelCase identifier");
    rule("\\b[A-Za-z]+_[A-Za-z_]+\\b", "snake_case identifier");
    rule("\\bCV\\b", "jargon: CV");
    rule("SimHash", "jargon: SimHash");
    rule("\\bentropy\\b", "jargon: entropy");
    rule("\\bbits\\b", "jargon: bits");
    rule("\\bln\\b", "jargon: ln");
    rule("\\bbitwise\\b", "jargon: bitwise");
    rule("(?i)\\b(?:nan|inf|infinity)\\b", "not a number");
    rule("(?<![\\d.])\\d+\\.0(?![\\d])", "whole number printed with .0");
    rule("\\d{4}-\\d\\d-\\d\\dT\\d", "ISO timestamp");
    rule("minutes before that", "start before the stop it follows");
    rule("(?<![\\d.,])(\\d[\\d,]*) of the \\1 ", "\"N of the N\" for \"all N\"");
    rule("(?<![\\d.,])0(?:\\.0+)? (?:minutes|seconds|hours|days)\\b", "zero duration");
    rule("\\(\\s*\\)", "empty parentheses");
    rule("  ", "double space");
    // An average is named as one: a fractional count of things ("5.4 IP addresses") needs "average" or "mean"
    // in its sentence.
    static const QRegularExpression fractional(
        QStringLiteral("(?<![\\d.,])\\d+\\.\\d+ (?:other )?(?:accounts|requests|IP addresses|"
                       "user agents|networks|tasks|task families|templates)\\b"));
    for (const QString& clause : s.split(QRegularExpression(QStringLiteral("\\.(?:\\s|$)")))) {
        const auto m = fractional.match(clause);
        if (m.hasMatch() && !clause.contains(QStringLiteral("average")) && !clause.contains(QStringLiteral("mean")))
            problems << QStringLiteral("average not named: \"%1\"").arg(m.captured(0));
    }
    int depth = 0;
    for (QChar c : s) {
        depth += c == QLatin1Char('(') ? 1 : c == QLatin1Char(')') ? -1 : 0;
        if (depth < 0)
            break;
    }
    if (depth != 0)
        problems << QStringLiteral("unbalanced parentheses");
    if (text.count(QChar(0x201c)) != text.count(QChar(0x201d)))
        problems << QStringLiteral("unbalanced quotes");
    if (!text.isEmpty() && !text.back().isPunct())
        problems << QStringLiteral("no full stop at the end");
    if (!text.isEmpty() && text.front().isLower())
        problems << QStringLiteral("starts in lower case");
    // A sentence that lists values the accounts share and then says none of them is linked reads as a contradiction
    // unless it says why the shared values link nothing.
    if (text.contains(QLatin1String("Shared infrastructure")) && text.contains(QLatin1String("none of the accounts is linked"))
        && !text.contains(QLatin1String("links nothing")))
        problems << QStringLiteral("lists shared values, then says nothing is linked without saying why");
    return problems;
}

} // namespace ds::test

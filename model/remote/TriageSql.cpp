#include "remote/TriageSql.h"

#include "text/PromptFeatures.h"

#include <algorithm>

namespace ds {

namespace {

// One RE2 alternation of the phrases of `list`, lower case, each phrase literal (metacharacters escaped).
QString phraseRegex(MarkerList list)
{
    QStringList alternatives;
    for (std::string_view p : markerPhrases(list)) {
        QString lit;
        for (QChar ch : QString::fromUtf8(p.data(), static_cast<qsizetype>(p.size())).toLower()) {
            if (QStringLiteral("\\^$.|?*+()[]{}").contains(ch))
                lit += QLatin1Char('\\');
            lit += ch;
        }
        alternatives << lit;
    }
    return sqlString(alternatives.join(QLatin1Char('|')));
}

// Whether any phrase of `list` occurs in the system prompt or the prompt, ASCII case ignored as the import does:
// `ltxt` is both lower-cased (lower() folds ASCII only, as the import's matcher) and joined by a NUL byte, which no
// phrase holds, so a match never spans them. One regular expression per list: on 18.16 its cost hardly grows with
// the number of phrases, where one position() per phrase made the aggregates 4 times slower.
QString anyPhrase(MarkerList list) { return QStringLiteral("match(ltxt, %1)").arg(phraseRegex(list)); }

// How many distinct phrases of `list` occur (non-overlapping matches, as near to the import's count as RE2 allows).
QString countPhrases(MarkerList list) { return QStringLiteral("arrayUniq(extractAll(ltxt, %1))").arg(phraseRegex(list)); }

// The /24 of an IPv4 address, the /48 of an IPv6 one (detection's network), '' when the address is unknown.
QString networkExpr(const QString& ip)
{
    return QStringLiteral("if(%1 = '', '', if(position(%1, ':') > 0, cutIPv6(IPv6StringToNum(%1), 10, 0), "
                          "IPv4NumToString(bitAnd(IPv4StringToNum(%1), 4294967040))))")
        .arg(ip);
}

// Template fingerprints: the first and the last 12 words (letters only, lower case, so numbers filled into a slot
// do not matter) of the prompt, hashed; 0 below 5 words, too generic to be a template (detection's kTemplateWords
// and kMinTemplateWords; its skeleton is subtler, this is the same idea cheap enough for every row).
QString headExpr(const QString& prompt)
{
    return QStringLiteral("if(length(extractAll(lower(substring(%1, 1, 240)), '[a-z]+')) < %3, "
                          "toUInt64(0), cityHash64(arrayStringConcat(arraySlice(extractAll(lower(substring(%1, 1, 240)), "
                          "'[a-z]+'), 1, %2), ' ')))")
        .arg(prompt)
        .arg(kTemplateWords)
        .arg(kMinTemplateWords);
}

QString tailExpr(const QString& prompt)
{
    const QString tail = QStringLiteral("extractAll(lower(substring(%1, toUInt64(greatest(1, toInt64(length(%1)) - 239)))), "
                                        "'[a-z]+')")
                             .arg(prompt);
    return QStringLiteral("if(length(%1) < %3, toUInt64(0), cityHash64(arrayStringConcat(arraySlice(%1, -%2), ' ')))")
        .arg(tail)
        .arg(kTemplateWords)
        .arg(kMinTemplateWords);
}

// FROM, then ARRAY JOIN over `array` as kv, then the time range and `extra`: ClickHouse wants ARRAY JOIN before WHERE.
QString fromArrayJoinWhere(const TriageColumns& c, const QString& array, const QString& extra = {})
{
    QStringList conditions;
    if (!c.where.isEmpty())
        conditions << (extra.isEmpty() ? c.where : QStringLiteral("(") + c.where + QLatin1Char(')'));
    if (!extra.isEmpty())
        conditions << extra;
    return QStringLiteral("FROM %1 ARRAY JOIN %2 AS kv%3")
        .arg(c.table, array, conditions.isEmpty() ? QString() : QStringLiteral(" WHERE ") + conditions.join(QLatin1String(" AND ")));
}

// Detection's network of an IP (CaseSnapshot's networkOf): "a.b.c.0/24", or the first three groups of an IPv6
// address in lower-case hex without leading zeros, "x:y:z::/48"; '' when the address is unknown.
QString detectionNetworkExpr(const QString& ip)
{
    const QString group = QStringLiteral("replaceRegexpOne(lower(hex(substring(IPv6StringToNum(%1), %2, 2))), '^0{1,3}', '')");
    return QStringLiteral("if(%1 = '', '', if(position(%1, ':') > 0, concat(%2, ':', %3, ':', %4, '::/48'), "
                          "concat(IPv4NumToString(bitAnd(IPv4StringToNum(%1), 4294967040)), '/24')))")
        .arg(ip, group.arg(ip).arg(1), group.arg(ip).arg(3), group.arg(ip).arg(5));
}

// The (kind, value) pairs of a request as an array to ARRAY JOIN: its IP, network and user agent, as text.
QString infrastructureValues(const TriageColumns& c)
{
    const QString ip = QStringLiteral("toString(") + c.ip + QLatin1Char(')');
    const QString ua = QStringLiteral("toString(") + c.userAgent + QLatin1Char(')');
    return QStringLiteral("[(1, %1), (2, %2), (3, %3)]").arg(ip, detectionNetworkExpr(ip), ua);
}

QString fromWhere(const TriageColumns& c)
{
    return QStringLiteral("FROM %1%2").arg(c.table, c.where.isEmpty() ? QString() : QStringLiteral(" WHERE ") + c.where);
}

// Per-request columns the per-account queries aggregate.
QString requestRows(const TriageColumns& c)
{
    const QString task = QStringLiteral("(cot OR grading OR rewrite OR tools OR code OR maths)");
    return QStringLiteral(
               "SELECT a, ts, ip, net, ua, out_t, in_t, tools, stop, cot, grading, long_ask, rewrite, %1 AS task FROM ("
               "SELECT toString(%2) AS a, %3 AS ts, toString(%4) AS ip, %5 AS net, toString(%6) AS ua, "
               "greatest(toInt64(%7), 0) AS out_t, greatest(toInt64(%8), 0) AS in_t, toUInt8(%9) AS tools, "
               "toString(%10) AS stop, lower(concat(toString(%11), '\\0', toString(%12))) AS ltxt, toString(%12) AS p, "
               "%13 AS cot, %14 AS grading, %15 AS long_ask, (%16 AND %17) AS rewrite, "
               "(position(ltxt, '```') > 0 OR %18 >= 2) AS code, "
               "(%19 AND length(p) - length(replaceRegexpAll(p, '[0-9]', '')) >= 2) AS maths %20)")
        .arg(task, c.account, c.timestampSeconds, c.ip, networkExpr(QStringLiteral("toString(") + c.ip + QLatin1Char(')')),
             c.userAgent, c.completionTokens, c.promptTokens, c.toolsOffered)
        .arg(c.stopReason, c.systemPrompt, c.prompt, anyPhrase(MarkerList::ReasoningDemand), anyPhrase(MarkerList::Grading),
             anyPhrase(MarkerList::LongAnswer), anyPhrase(MarkerList::Sensitive), anyPhrase(MarkerList::Rewrite),
             countPhrases(MarkerList::Code))
        .arg(anyPhrase(MarkerList::Maths), fromWhere(c));
}

// The per-account columns, shared by the aggregates query and the baselines' inner query.
QString accountColumns()
{
    return QStringLiteral(
        "a AS account, count() AS requests, sum(out_t) AS output_tokens, sum(in_t) AS input_tokens, "
        "countIf(out_t > 0) AS output_known, min(ts) AS first_seen, max(ts) AS last_seen, "
        "uniqExact(intDiv(ts, 86400)) AS active_days, uniqExactIf(ip, ip != '') AS ips, "
        "uniqExactIf(net, net != '') AS networks, uniqExactIf(ua, ua != '') AS user_agents, "
        "sum(cot) AS reasoning_demand, sum(grading) AS grading, sum(long_ask) AS long_ask, sum(rewrite) AS rewrite, "
        "sum(task) AS task_shaped, sumIf(out_t, task AND NOT tools) AS task_output, "
        "sumIf(in_t, task AND NOT tools) AS task_input, countIf(task AND NOT tools AND out_t > 0) AS task_output_known, "
        "countIf(stop = 'max_tokens') AS max_tokens_hits, countIf(stop != '') AS stop_known");
}

} // namespace

QString accountAggregatesSql(const TriageColumns& c, const TriageSqlOptions& o)
{
    return QStringLiteral("SELECT %1 FROM (%2) GROUP BY a HAVING requests >= %3 ORDER BY account FORMAT JSONEachRow")
        .arg(accountColumns(), requestRows(c))
        .arg(o.minRequests);
}

QString templateSharesSql(const TriageColumns& c, const TriageSqlOptions& o)
{
    return QStringLiteral(
               "SELECT a AS account, sum(n) AS requests, max(if(h != 0, n, 0)) AS top_head, max(if(t != 0, n, 0)) AS top_tail "
               "FROM (SELECT toString(%1) AS a, %2 AS h, %3 AS t, count() AS n %4 GROUP BY a, h, t) "
               "GROUP BY a HAVING requests >= %5 ORDER BY account FORMAT JSONEachRow")
        .arg(c.account, c.templatesKnown ? headExpr(QStringLiteral("toString(") + c.prompt + QLatin1Char(')')) : QStringLiteral("toUInt64(0)"),
             c.templatesKnown ? tailExpr(QStringLiteral("toString(") + c.prompt + QLatin1Char(')')) : QStringLiteral("toUInt64(0)"),
             fromWhere(c))
        .arg(o.minRequests);
}

QString sharedValuesSql(const TriageColumns& c, const TriageSqlOptions& o)
{
    const QString ip = QStringLiteral("toString(") + c.ip + QLatin1Char(')');
    const QString ua = QStringLiteral("toString(") + c.userAgent + QLatin1Char(')');
    const QString prompt = QStringLiteral("toString(") + c.prompt + QLatin1Char(')');
    // 0 marks an unknown value of any kind; those rows are dropped before the account pairs are counted.
    const QString values =
        QStringLiteral("[(1, if(%1 = '', toUInt64(0), cityHash64(%1))), (2, if(%1 = '', toUInt64(0), cityHash64(%2))), "
                       "(3, if(%3 = '', toUInt64(0), cityHash64(%3))), (4, %4), (5, %5)]")
            .arg(ip, networkExpr(ip), ua, c.templatesKnown ? headExpr(prompt) : QStringLiteral("toUInt64(0)"),
                 c.templatesKnown ? tailExpr(prompt) : QStringLiteral("toUInt64(0)"));
    return QStringLiteral(
               "SELECT kind, toString(v) AS value, count() AS accounts, groupArray(a) AS members FROM ("
               "SELECT kv.1 AS kind, kv.2 AS v, toString(%1) AS a %2 "
               "GROUP BY kind, v, a HAVING v != 0 AND (kind <= 3 OR count() >= %4)) "
               "GROUP BY kind, v HAVING accounts >= 2 AND accounts <= %3 ORDER BY kind, v FORMAT JSONEachRow")
        .arg(c.account, fromArrayJoinWhere(c, values))
        .arg(o.linkMaxAccounts)
        .arg(o.minTemplateUses);
}

QString valuePopulationSql(const TriageColumns& c, const QStringList& accounts)
{
    const QString values = infrastructureValues(c);
    return QStringLiteral(
               "SELECT kind, value, uniqExact(a) AS accounts FROM ("
               "SELECT kv.1 AS kind, kv.2 AS value, toString(%1) AS a %2) "
               "WHERE value != '' AND (kind, value) GLOBAL IN (SELECT kv.1, kv.2 %3) "
               "GROUP BY kind, value ORDER BY kind, value FORMAT JSONEachRow")
        .arg(c.account, fromArrayJoinWhere(c, values), fromArrayJoinWhere(c, values, candidateFilterSql(c, accounts)));
}

QString valueSizesSql(const TriageColumns& c)
{
    return QStringLiteral(
               "SELECT kind, accounts, count() AS value_count FROM ("
               "SELECT kind, value, uniqExact(a) AS accounts FROM ("
               "SELECT kv.1 AS kind, kv.2 AS value, toString(%1) AS a %2) WHERE value != '' GROUP BY kind, value) "
               "WHERE accounts >= 2 GROUP BY kind, accounts ORDER BY kind, accounts FORMAT JSONEachRow")
        .arg(c.account, fromArrayJoinWhere(c, infrastructureValues(c)));
}

QString accountStartsSql(const TriageColumns& c)
{
    return QStringLiteral("SELECT intDiv(first, 60) * 60 AS minute, count() AS accounts FROM ("
                          "SELECT min(ts) AS first FROM (SELECT toString(%1) AS a, %2 AS ts %3) GROUP BY a) "
                          "GROUP BY minute ORDER BY minute FORMAT JSONEachRow")
        .arg(c.account, c.timestampSeconds, fromWhere(c));
}

QStringList baselineIndicatorKeys()
{
    return {QStringLiteral("requests"),         QStringLiteral("output_tokens"),
            QStringLiteral("active_days"),      QStringLiteral("requests_per_active_day"),
            QStringLiteral("output_tokens_per_active_day"), QStringLiteral("mean_output_tokens"),
            QStringLiteral("output_input_ratio"), QStringLiteral("max_tokens_hit_share"),
            QStringLiteral("long_ask_share"),   QStringLiteral("cot_rate"),
            QStringLiteral("grading_rate"),     QStringLiteral("distinct_ips"),
            QStringLiteral("distinct_networks"), QStringLiteral("distinct_user_agents")};
}

QString baselinesSql(const TriageColumns& c)
{
    // Each indicator as detection defines it (detect/AccountProfiler.cpp), with its own condition of being known.
    struct Measure
    {
        const char* value;
        const char* known;
    };
    static const Measure measures[] = {
        {"requests", "1"},
        {"output_tokens", "1"},
        {"active_days", "1"},
        {"requests / active_days", "1"},
        {"output_tokens / active_days", "1"},
        {"output_tokens / output_known", "output_known > 0"},
        {"output_tokens / input_tokens", "output_known > 0 AND input_tokens > 0"},
        {"max_tokens_hits / stop_known", "stop_known > 0"},
        {"long_ask / requests", "1"},
        {"reasoning_demand / requests", "1"},
        {"grading / requests", "1"},
        {"ips", "1"},
        {"networks", "1"},
        {"user_agents", "1"},
    };
    QStringList levels;
    for (int i = 1; i <= 99; ++i)
        levels << QStringLiteral("0.%1").arg(i, 2, 10, QLatin1Char('0'));
    QStringList cols;
    const QStringList keys = baselineIndicatorKeys();
    int k = 0;
    for (const Measure& m : measures) {
        const QString v = QStringLiteral("toFloat64(%1)").arg(QLatin1String(m.value));
        const QString& key = keys[k++];
        cols << QStringLiteral("countIf(%1) AS `%2_accounts`").arg(QLatin1String(m.known), key)
             << QStringLiteral("avgIf(%1, %2) AS `%3_mean`").arg(v, QLatin1String(m.known), key)
             << QStringLiteral("quantilesExactIf(%1)(%2, %3) AS `%4_q`").arg(levels.join(QLatin1Char(',')), v,
                                                                             QLatin1String(m.known), key);
    }
    return QStringLiteral("SELECT %1 FROM (SELECT %2 FROM (%3) GROUP BY a) FORMAT JSONEachRow")
        .arg(cols.join(QLatin1String(", ")), accountColumns(), requestRows(c));
}

QString candidateFilterSql(const TriageColumns& c, const QStringList& accounts)
{
    QStringList quoted;
    quoted.reserve(accounts.size());
    for (const QString& a : accounts)
        quoted << sqlString(a);
    return QStringLiteral("toString(%1) IN (%2)").arg(c.account, quoted.isEmpty() ? QStringLiteral("''") : quoted.join(QLatin1Char(',')));
}

QStringList triagePullQuerySettings(const QStringList& accounts)
{
    qint64 bytes = 64 * 1024;
    for (const QString& a : accounts)
        bytes += a.toUtf8().size() * 2 + 4; // quotes, escapes and the comma
    return {QStringLiteral("max_query_size=%1").arg(std::max<qint64>(bytes, 262144))};
}

} // namespace ds

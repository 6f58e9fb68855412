#include "remote/TriageRows.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <functional>

namespace ds {

namespace {

// Calls `row` for each JSON object line; a line that is not one is a format error.
void forEachRow(const QByteArray& bytes, const std::function<void(const QJsonObject&)>& row)
{
    qsizetype start = 0;
    int line = 0;
    while (start < bytes.size()) {
        qsizetype end = bytes.indexOf('\n', start);
        if (end < 0)
            end = bytes.size();
        ++line;
        const QByteArray text = bytes.mid(start, end - start).trimmed();
        start = end + 1;
        if (text.isEmpty())
            continue;
        QJsonParseError err;
        const QJsonDocument doc = QJsonDocument::fromJson(text, &err);
        if (!doc.isObject())
            throw TriageFormatError("line " + std::to_string(line) + " of the server's answer is not a JSON row");
        row(doc.object());
    }
}

std::int64_t intOf(const QJsonObject& o, const char* key)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isString()) {
        bool ok = false;
        const qlonglong n = v.toString().toLongLong(&ok);
        if (!ok)
            throw TriageFormatError(std::string("the server's value of ") + key + " is not a number");
        return n;
    }
    if (v.isDouble())
        return static_cast<std::int64_t>(v.toDouble());
    throw TriageFormatError(std::string("the server's answer lacks ") + key);
}

std::uint64_t uintOf(const QJsonObject& o, const char* key)
{
    const QJsonValue v = o.value(QLatin1String(key));
    // Sent as text (toString in the query): a JSON number would lose bits to a double.
    bool ok = false;
    const qulonglong n = v.isString() ? v.toString().toULongLong(&ok) : 0;
    if (!ok)
        throw TriageFormatError(std::string("the server's value of ") + key + " is not a 64-bit number in text");
    return n;
}

QString textOf(const QJsonObject& o, const char* key)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (!v.isString())
        throw TriageFormatError(std::string("the server's answer lacks ") + key);
    return v.toString();
}

} // namespace

std::vector<TriageAccount> parseAccountAggregates(const QByteArray& bytes)
{
    std::vector<TriageAccount> out;
    forEachRow(bytes, [&out](const QJsonObject& o) {
        TriageAccount a;
        a.account = textOf(o, "account");
        a.requests = intOf(o, "requests");
        a.outputTokens = intOf(o, "output_tokens");
        a.inputTokens = intOf(o, "input_tokens");
        a.outputKnown = intOf(o, "output_known");
        a.firstSeen = intOf(o, "first_seen");
        a.lastSeen = intOf(o, "last_seen");
        a.activeDays = intOf(o, "active_days");
        a.ips = intOf(o, "ips");
        a.networks = intOf(o, "networks");
        a.userAgents = intOf(o, "user_agents");
        a.reasoningDemand = intOf(o, "reasoning_demand");
        a.grading = intOf(o, "grading");
        a.longAsk = intOf(o, "long_ask");
        a.rewrite = intOf(o, "rewrite");
        a.taskShaped = intOf(o, "task_shaped");
        a.taskOutput = intOf(o, "task_output");
        a.taskInput = intOf(o, "task_input");
        a.taskOutputKnown = intOf(o, "task_output_known");
        a.maxTokensHits = intOf(o, "max_tokens_hits");
        a.stopKnown = intOf(o, "stop_known");
        out.push_back(std::move(a));
    });
    return out;
}

void mergeTemplateShares(std::vector<TriageAccount>& accounts, const QByteArray& bytes)
{
    QHash<QString, std::size_t> index;
    for (std::size_t i = 0; i < accounts.size(); ++i)
        index.insert(accounts[i].account, i);
    forEachRow(bytes, [&](const QJsonObject& o) {
        const auto it = index.constFind(textOf(o, "account"));
        if (it == index.constEnd())
            return;
        accounts[*it].topHead = intOf(o, "top_head");
        accounts[*it].topTail = intOf(o, "top_tail");
    });
}

std::vector<SharedValue> parseSharedValues(const QByteArray& bytes)
{
    std::vector<SharedValue> out;
    forEachRow(bytes, [&out](const QJsonObject& o) {
        SharedValue v;
        const std::int64_t kind = intOf(o, "kind");
        if (kind < static_cast<int>(SharedKind::Ip) || kind > static_cast<int>(SharedKind::TemplateTail))
            throw TriageFormatError("the server's answer names an unknown kind of shared value");
        v.kind = static_cast<SharedKind>(kind);
        v.value = uintOf(o, "value");
        v.accounts = intOf(o, "accounts");
        for (const QJsonValue& m : o.value(QLatin1String("members")).toArray())
            v.members << m.toString();
        out.push_back(std::move(v));
    });
    return out;
}

namespace {

SharedKind infrastructureKind(const QJsonObject& o)
{
    const std::int64_t kind = intOf(o, "kind");
    if (kind < static_cast<int>(SharedKind::Ip) || kind > static_cast<int>(SharedKind::UserAgent))
        throw TriageFormatError("the server's answer names an unknown kind of value");
    return static_cast<SharedKind>(kind);
}

} // namespace

std::vector<ValuePopulation> parseValuePopulation(const QByteArray& bytes)
{
    std::vector<ValuePopulation> out;
    forEachRow(bytes, [&out](const QJsonObject& o) {
        ValuePopulation v;
        v.kind = infrastructureKind(o);
        v.value = textOf(o, "value");
        v.accounts = intOf(o, "accounts");
        out.push_back(std::move(v));
    });
    return out;
}

std::vector<ValuePopulation> parseValueSizes(const QByteArray& bytes)
{
    std::vector<ValuePopulation> out;
    forEachRow(bytes, [&out](const QJsonObject& o) {
        ValuePopulation v;
        v.kind = infrastructureKind(o);
        v.accounts = intOf(o, "accounts");
        v.values = intOf(o, "value_count");
        out.push_back(std::move(v));
    });
    return out;
}

std::vector<std::pair<std::int64_t, std::int64_t>> parseAccountStarts(const QByteArray& bytes)
{
    std::vector<std::pair<std::int64_t, std::int64_t>> out;
    forEachRow(bytes, [&out](const QJsonObject& o) { out.emplace_back(intOf(o, "minute"), intOf(o, "accounts")); });
    return out;
}

} // namespace ds

#pragma once

#include "remote/TriageSql.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <stdexcept>
#include <utility>
#include <vector>

namespace ds {

// One account as the triage queries describe it (remote/TriageSql.h: accountAggregatesSql and templateSharesSql).
// Times are epoch seconds; counts are of requests unless named tokens. Value type: any thread.
struct TriageAccount
{
    QString account;
    std::int64_t requests = 0, outputTokens = 0, inputTokens = 0, outputKnown = 0;
    std::int64_t firstSeen = 0, lastSeen = 0, activeDays = 0;
    std::int64_t ips = 0, networks = 0, userAgents = 0;
    std::int64_t reasoningDemand = 0, grading = 0, longAsk = 0, rewrite = 0;
    std::int64_t taskShaped = 0, taskOutput = 0, taskInput = 0, taskOutputKnown = 0;
    std::int64_t maxTokensHits = 0, stopKnown = 0;
    std::int64_t topHead = 0, topTail = 0; // requests carrying the account's most used template head / tail
};

// A value (IP, network, user agent, template head or tail, as a 64-bit hash) several accounts share.
struct SharedValue
{
    SharedKind kind = SharedKind::Ip;
    std::uint64_t value = 0;
    std::int64_t accounts = 0;
    QStringList members;
};

// How many accounts of the whole table used one IP, network or user agent (valuePopulationSql), or, for a row of
// valueSizesSql, how many values (`values`) were each used by `accounts` accounts; `value` is then empty.
struct ValuePopulation
{
    SharedKind kind = SharedKind::Ip;
    QString value;
    std::int64_t accounts = 0;
    std::int64_t values = 1;
};

// A response the triage cannot read (the server answered something else than the query's rows).
class TriageFormatError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// Readers of the JSONEachRow responses (ClickHouse quotes 64-bit integers: both forms are read). They throw
// TriageFormatError naming the line. Any thread.
std::vector<TriageAccount> parseAccountAggregates(const QByteArray& jsonEachRow);
// Adds top_head/top_tail of templateSharesSql's rows to the accounts they name (others are left as they are).
void mergeTemplateShares(std::vector<TriageAccount>& accounts, const QByteArray& jsonEachRow);
std::vector<SharedValue> parseSharedValues(const QByteArray& jsonEachRow);
std::vector<ValuePopulation> parseValuePopulation(const QByteArray& jsonEachRow);
std::vector<ValuePopulation> parseValueSizes(const QByteArray& jsonEachRow);
// accountStartsSql's rows as (minute in epoch seconds, accounts).
std::vector<std::pair<std::int64_t, std::int64_t>> parseAccountStarts(const QByteArray& jsonEachRow);

} // namespace ds

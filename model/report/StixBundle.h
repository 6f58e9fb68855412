#pragma once

#include "case/CaseFindings.h"
#include "report/SharedInfrastructure.h"

#include <QJsonObject>

namespace ds {

class SqliteDb;

// The confirmed networks' indicators as a STIX 2.1 bundle for threat-intelligence
// sharing: one identity (the producer), one campaign per network, one indicator
// per shared value specific to the network (SharedValue::isIndicator; at
// most the 50 most-used prompt templates per network),
// and an "indicates" relationship from each indicator to its campaign.
// Ids are UUIDv5 of the content and timestamps come from the case, so the same
// case always gives the same bundle. Pure function of its inputs: any thread.
namespace stix {

QJsonObject buildBundle(const QString& caseId, const QString& producer, std::int64_t runFinishedAt,
                        const std::vector<ConfirmedNetwork>& networks, const std::vector<NetworkInfrastructure>& infrastructure);

// The STIX pattern for one value, e.g. "[ipv4-addr:value = '203.0.113.7']".
QString patternFor(const SharedValue& v);
// A STIX pattern string literal: quotes and backslashes escaped.
QString quoted(const QString& text);

} // namespace stix
} // namespace ds

#pragma once

#include "case/AnalysisStatus.h"
#include "case/AuditLog.h"
#include "case/CaseFindings.h"
#include "case/CaseNotes.h"
#include "case/PinnedItem.h"
#include "detect/MemberCounts.h"
#include "indicators/IndicatorStore.h"
#include "report/ExportFiles.h"
#include "report/ReportCharts.h"
#include "remote/RemotePullRecord.h"
#include "report/SharedInfrastructure.h"

#include <functional>
#include <map>
#include <optional>

namespace ds {

class CancelToken;
class SqliteDb;

// Everything the evidence report prints, read from the case in one go so that
// the layout passes touch no database. Plain value: built on the report worker.
struct ReportData
{
    struct Source
    {
        QString path, sha256, kind, format;
        std::int64_t size = 0, records = 0, inserted = 0, quarantined = 0, firstTs = 0, lastTs = 0, importedAt = 0;
        std::optional<RemotePullRecord> remote = std::nullopt; // pulled from a server, not read from a file
        std::int64_t conflicts = 0; // copies of request ids read before, with other content (ingest/RequestConflicts.h)
    };
    struct Example
    {
        QString requestId, accountId, prompt;
        std::int64_t ts = 0;
    };
    struct Template
    {
        QString title;   // the detector's sentence, or the fingerprint
        std::vector<Example> examples;
    };
    struct IndicatorRow
    {
        QString label, description;
        std::optional<double> networkMedian;
        double populationMedian = 0, populationP90 = 0;
        int membersAboveP90 = 0, membersKnown = 0;
    };
    struct Network
    {
        ConfirmedNetwork net;
        std::vector<DetectionResults::Reason> reasons;
        NetworkInfrastructure infrastructure;
        std::vector<IndicatorRow> indicators;
        std::vector<Template> templates;
        // When the accounts share openings or tasks more than templates (each words its own wrapper): what one group
        // is and how far the groups reach, in sentences, and the largest groups with examples (workspace/PromptGroups.h,
        // the Templates tab's words). Empty when templates tell most.
        QString sharedHeading, sharedText;
        std::vector<Template> sharedGroups;
        charts::Timeline timeline;
        charts::Graph graph;
        std::vector<PinnedItem> pins;
        // The accounts the detector's reasons count ("137 of the 142 accounts"): the network's core, and who joined it
        // later (detect/MemberCounts.h, the Evidence view's words too). core 0: not recorded.
        MemberCounts members;
        std::int64_t coreAccounts = 0; // members.core
    };

    CaseNotes notes;
    std::int64_t createdAt = 0, exportedAt = 0;
    AnalysisStatus status;
    std::optional<DetectionResults::Run> run;
    std::vector<std::pair<QString, QString>> settings; // key, value as used (documented order)
    std::vector<QString> settingMeanings;              // parallel to settings
    QString evidenceGaps; // the kinds of evidence the logs of the run lacked (EvidenceCoverage), or empty
    std::vector<Source> sources;
    std::int64_t caseRequests = 0, caseAccounts = 0, caseQuarantined = 0;
    CaseFindings findings;
    std::vector<Network> networks;
    std::vector<PinnedItem> otherPins;              // not tied to a confirmed network
    std::map<std::int64_t, std::vector<Example>> pinExamples; // pin.id -> the pinned requests (first 20)
    std::vector<AuditEntry> audit;
    struct PartnerIndicator
    {
        indicators::StoredIndicator indicator;
        QStringList accounts; // the accounts it matched, most requests first (at most kMaxPartnerAccounts)
    };
    static constexpr int kMaxPartnerAccounts = 20;
    std::vector<PartnerIndicator> partnerIndicators; // partners' indicators that matched, most accounts first
    ExportedFile requestIds;                        // the request-id export the report names
    std::int64_t requests = 0, outputTokens = 0, firstTs = 0, lastTs = 0; // over confirmed accounts
};

// Reads the case into ReportData (`progress` 0..1 as it goes). Caller's thread and connection; throws Cancelled.
ReportData loadReportData(SqliteDb& db, const CancelToken& cancel, const std::function<void(double)>& progress);

// Looks up requests by request.id for examples (prompt as stored, never altered).
std::vector<ReportData::Example> loadExamples(SqliteDb& db, const std::vector<std::int64_t>& requestRowIds);
// The same by request_id strings (pinned request sets); unknown ids are skipped.
std::vector<ReportData::Example> loadExamplesByRequestId(SqliteDb& db, const QStringList& requestIds, int limit);
// The requests of a "requests" pin: by the row ids it keeps, else by request id.
std::vector<ReportData::Example> loadPinnedRequests(SqliteDb& db, const QJsonObject& payload, int limit);

} // namespace ds

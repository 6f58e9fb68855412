#include "report/ReportData.h"

#include "case/CaseStore.h"
#include "core/CancelToken.h"
#include "core/CaseDatabase.h"
#include "core/Hashing.h"
#include "core/Sqlite.h"
#include "detect/DetectSettings.h"
#include "detect/EvidenceCoverage.h"
#include "detect/IndicatorLabel.h"
#include "detect/NetworkName.h"
#include "detect/ReasonText.h"
#include "ingest/RequestConflicts.h"
#include "text/TemplateName.h"
#include "workspace/DetectionTables.h"
#include "workspace/EvidenceData.h"
#include "workspace/PromptGroups.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <set>

namespace ds {

namespace {
// The templates a network's section shows: the Templates tab's first rows, then up to two shared ones more.
constexpr int kTemplatesPerNetwork = 3;
} // namespace

namespace {

void checkCancel(const CancelToken& cancel)
{
    if (cancel.isCancelled())
        throw Cancelled{};
}

std::optional<double> median(std::vector<double> v)
{
    if (v.empty())
        return std::nullopt;
    std::sort(v.begin(), v.end());
    const std::size_t m = v.size() / 2;
    return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

// Settings as used by the run, in the documented order, with their meanings.
void loadSettings(ReportData& d)
{
    if (!d.run)
        return;
    const QStringList doc = DetectSettings::documentation().split(QLatin1Char('\n'));
    std::set<QString> seen;
    for (qsizetype i = 0; i < doc.size(); ++i) {
        const QString& line = doc[i];
        if (line.startsWith(QLatin1Char(' ')) || !line.contains(QStringLiteral(" = ")))
            continue;
        const QString key = line.section(QStringLiteral(" = "), 0, 0).trimmed();
        const QString meaning = i + 1 < doc.size() ? doc[i + 1].trimmed() : QString();
        const QJsonValue v = d.run->settings.value(key);
        if (v.isUndefined())
            continue;
        QString text = v.isArray() || v.isObject() ? QString::fromUtf8(QJsonDocument(v.isArray() ? QJsonDocument(v.toArray()) : QJsonDocument(v.toObject())).toJson(QJsonDocument::Compact))
                                                   : v.toVariant().toString();
        d.settings.emplace_back(key, text);
        d.settingMeanings.push_back(meaning);
        seen.insert(key);
    }
    for (auto it = d.run->settings.begin(); it != d.run->settings.end(); ++it) {
        if (seen.count(it.key()))
            continue;
        const QJsonValue v = it.value();
        d.settings.emplace_back(it.key(), v.isArray() ? QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact))
                                          : v.isObject() ? QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact))
                                                         : v.toVariant().toString());
        d.settingMeanings.push_back(QString());
    }
}

charts::Timeline timelineOf(SqliteDb& db, const ConfirmedNetwork& n, const CancelToken& cancel)
{
    charts::Timeline t;
    if (n.members.empty())
        return t;
    std::int64_t first = n.cluster.firstTs, last = n.cluster.lastTs;
    for (const auto& m : n.members) {
        first = first ? std::min(first, m.firstTs) : m.firstTs;
        last = std::max(last, m.lastTs);
    }
    const std::int64_t span = std::max<std::int64_t>(1, last - first);
    // Whole hours, at most ~72 buckets.
    std::int64_t bucket = 3600000;
    while (span / bucket > 72)
        bucket *= 2;
    if (span / bucket > 36 && bucket == 3600000 * 16)
        bucket = 86400000;
    t.start = first - first % bucket;
    const std::size_t count = static_cast<std::size_t>((last - t.start) / bucket + 1);
    t.bucketMs = bucket;
    t.requests.assign(count, 0);
    t.accounts.assign(count, 0);
    SqliteStatement st(db, "SELECT ts FROM request WHERE account = ?1 ORDER BY ts");
    for (const auto& m : n.members) {
        checkCancel(cancel);
        st.reset();
        st.bind(1, m.account);
        std::size_t lastBucket = count;
        while (st.step()) {
            const std::int64_t ts = st.columnInt(0);
            if (ts < t.start)
                continue;
            const std::size_t b = std::min(count - 1, static_cast<std::size_t>((ts - t.start) / bucket));
            ++t.requests[b];
            if (b != lastBucket)
                ++t.accounts[b];
            lastBucket = b;
        }
    }
    return t;
}

charts::Graph graphOf(const ConfirmedNetwork& n, const std::vector<DetectionResults::Link>& links)
{
    charts::Graph g;
    std::map<std::int64_t, int> index;
    // Up to 80 accounts: the linked ones first (they make the picture), then the rest.
    for (const auto& l : links)
        for (std::int64_t a : {l.a, l.b})
            if (!index.count(a) && index.size() < 80) {
                const auto it = std::find_if(n.members.begin(), n.members.end(), [&](const auto& m) { return m.account == a; });
                if (it == n.members.end())
                    continue;
                index[a] = static_cast<int>(g.nodes.size());
                g.nodes.push_back(it->accountId);
            }
    for (const auto& m : n.members)
        if (!index.count(m.account) && index.size() < 24) {
            index[m.account] = static_cast<int>(g.nodes.size());
            g.nodes.push_back(m.accountId);
        }
    for (const auto& l : links)
        if (index.count(l.a) && index.count(l.b))
            g.edges.push_back({index[l.a], index[l.b], l.weight, l.kinds.isEmpty() ? QString() : l.kinds.front()});
    return g;
}

} // namespace

std::vector<ReportData::Example> loadExamples(SqliteDb& db, const std::vector<std::int64_t>& requestRowIds)
{
    std::vector<ReportData::Example> out;
    SqliteStatement st(db, "SELECT t.request_id, a.account_id, r.ts, ds_text(t.prompt) FROM request r JOIN request_text t ON t.id = r.id "
                           "JOIN account a ON a.id = r.account WHERE r.id = ?1");
    for (std::int64_t id : requestRowIds) {
        st.reset();
        st.bind(1, id);
        if (st.step())
            out.push_back({st.columnText(0), st.columnText(1), st.columnText(3), st.columnInt(2)});
    }
    return out;
}

std::vector<ReportData::Example> loadPinnedRequests(SqliteDb& db, const QJsonObject& payload, int limit)
{
    QStringList ids;
    for (const auto& v : payload.value(QStringLiteral("request_ids")).toArray())
        ids << v.toString();
    const QJsonArray rows = payload.value(QStringLiteral("rows")).toArray();
    if (rows.isEmpty() || rows.size() != ids.size())
        return loadExamplesByRequestId(db, ids, limit); // a pin made before pins kept row ids
    std::vector<std::int64_t> rowIds;
    for (const auto& v : rows) {
        if (static_cast<int>(rowIds.size()) >= limit)
            break;
        rowIds.push_back(v.toInteger());
    }
    std::vector<ReportData::Example> out = loadExamples(db, rowIds);
    // Row ids are stable within a case; still, show only rows that are the pinned requests.
    std::erase_if(out, [&](const ReportData::Example& e) { return !ids.contains(e.requestId); });
    return out;
}

std::vector<ReportData::Example> loadExamplesByRequestId(SqliteDb& db, const QStringList& requestIds, int limit)
{
    std::vector<ReportData::Example> out;
    // request_text has no index on request_id; the narrow table's rid_hash (xxh3 of the id) finds the row, through
    // the request_rid index where the case has one (see schema::kRequestIdIndex), else by a scan.
    SqliteStatement st(db, "SELECT t.request_id, a.account_id, r.ts, ds_text(t.prompt) FROM request r JOIN request_text t ON t.id = r.id "
                           "JOIN account a ON a.id = r.account WHERE r.rid_hash = ?2 AND t.request_id = ?1 LIMIT 1");
    for (const QString& rid : requestIds) {
        if (static_cast<int>(out.size()) >= limit)
            break;
        st.reset();
        st.bindText(1, rid);
        st.bind(2, toSqlInt(hash64(rid.toStdString())));
        if (st.step())
            out.push_back({st.columnText(0), st.columnText(1), st.columnText(3), st.columnInt(2)});
    }
    return out;
}

ReportData loadReportData(SqliteDb& db, const CancelToken& cancel, const std::function<void(double)>& progress)
{
    ReportData d;
    const CaseStore store(db);
    d.notes = store.notes();
    d.createdAt = CaseDatabase::meta(db, "case_created_at").toLongLong();
    d.status = analysisStatus(db);
    d.findings = loadFindings(db);
    if (d.findings.run) {
        d.run = DetectionResults(db, *d.findings.run).run();
        d.evidenceGaps = EvidenceCoverage::load(db, *d.findings.run).gapsSentence();
    }
    loadSettings(d);
    {
        SqliteStatement st(db, "SELECT path, sha256, kind, format, size, records, inserted, quarantined, first_ts, last_ts, "
                               "imported_at FROM source_file ORDER BY id");
        while (st.step())
            d.sources.push_back({st.columnText(0), st.columnText(1), st.columnText(2), st.columnText(3), st.columnInt(4),
                                 st.columnInt(5), st.columnInt(6), st.columnInt(7), st.isNull(8) ? 0 : st.columnInt(8),
                                 st.isNull(9) ? 0 : st.columnInt(9), st.columnInt(10)});
    }
    {
        const auto pulls = loadRemotePulls(db);
        const bool conflictTable = conflicts::hasTable(db);
        SqliteStatement ids(db, conflictTable ? "SELECT id, (SELECT count(*) FROM request_conflict c WHERE c.source_file = f.id) "
                                                "FROM source_file f ORDER BY id"
                                              : "SELECT id, 0 FROM source_file ORDER BY id");
        for (std::size_t i = 0; ids.step() && i < d.sources.size(); ++i) {
            if (const auto it = pulls.find(ids.columnInt(0)); it != pulls.end())
                d.sources[i].remote = it->second;
            d.sources[i].conflicts = ids.columnInt(1);
        }
    }
    d.caseRequests = db.queryInt("SELECT count(*) FROM request");
    d.caseAccounts = db.queryInt("SELECT count(*) FROM account");
    d.caseQuarantined = db.queryInt("SELECT count(*) FROM quarantine");
    for (const auto& a : d.findings.accounts) {
        d.requests += a.requests;
        d.outputTokens += a.outputTokens;
        if (a.firstTs)
            d.firstTs = d.firstTs ? std::min(d.firstTs, a.firstTs) : a.firstTs;
        d.lastTs = std::max(d.lastTs, a.lastTs);
    }
    if (progress)
        progress(0.1);

    const auto infra = computeInfrastructure(db, d.findings, cancel);
    if (progress)
        progress(0.3);
    const auto pins = store.pins();
    std::set<std::int64_t> placed;
    for (std::size_t i = 0; i < d.findings.networks.size(); ++i) {
        checkCancel(cancel);
        const ConfirmedNetwork& n = d.findings.networks[i];
        const DetectionResults results(db, *d.findings.run);
        ReportData::Network rn;
        rn.net = n;
        rn.reasons = results.clusterReasons(n.cluster.id);
        rn.members = MemberCounts::load(db, *d.findings.run, n.cluster.id);
        rn.coreAccounts = rn.members.core;
        rn.infrastructure = infra[i];
        // Indicators: the network's median against the population's.
        std::map<int, std::vector<double>> values;
        std::map<int, int> above;
        std::vector<DetectionResults::IndicatorValue> base;
        for (const auto& m : n.members) {
            checkCancel(cancel);
            const auto ind = results.indicators(m.account);
            if (base.empty())
                base = ind;
            for (const auto& v : ind)
                if (v.value) {
                    values[v.indicator].push_back(*v.value);
                    above[v.indicator] += *v.value > v.populationP90;
                }
        }
        for (const auto& b : base)
            rn.indicators.push_back({indicatorLabel(b.key, b.label), b.description, median(values[b.indicator]), b.populationMedian, b.populationP90,
                                     above[b.indicator], static_cast<int>(values[b.indicator].size())});
        // Templates, each named by its fingerprint as the Templates tab, the label and the STIX bundle name it: the
        // network's most used ones (the tab's first rows), then shared ones the STIX export carries, then the requests
        // the detector's template reasons cite (those reasons speak of an opening or a system prompt, not of one
        // fingerprint, so they are not given a template's name).
        QStringList listed;
        const auto templateTitle = [](const QString& name, std::int64_t requests, std::int64_t accounts, const QString& rest) {
            return QStringLiteral("Template %1: %2 from %3 of this network%4.")
                .arg(name, reasontext::count(requests, QStringLiteral("request"), QStringLiteral("requests")),
                     reasontext::count(accounts, QStringLiteral("account"), QStringLiteral("accounts")), rest);
        };
        const std::vector<std::int64_t> memberIds = detectiontables::clusterMembers(db, *d.findings.run, n.cluster.id);
        const QList<EvidenceData::Template> mostUsed = EvidenceData::templatesOf(db, *d.findings.run, n.cluster.id, memberIds);
        QStringList templateKeys;
        for (const EvidenceData::Template& t : mostUsed)
            templateKeys << t.hash;
        // What the accounts' prompts share, as the Templates tab counts it; each template's accounts in the whole case.
        const PromptGroups groups = PromptGroups::load(db, memberIds, templateKeys); // the report watches `cancel` on db
        const auto inCase = [](std::int64_t accounts) {
            return QStringLiteral(" (%1 in the whole case)").arg(reasontext::count(accounts, QStringLiteral("account"), QStringLiteral("accounts")));
        };
        for (const EvidenceData::Template& t : mostUsed) {
            if (listed.size() >= kTemplatesPerNetwork)
                break;
            std::vector<std::int64_t> ids;
            for (const auto& e : t.examples)
                ids.push_back(e.requestId);
            listed << t.hash;
            rn.templates.push_back({templateTitle(t.name.isEmpty() ? t.hash : t.name.withFingerprint(), t.requests, t.members,
                                                  groups.templateCaseAccounts.contains(t.hash) ? inCase(groups.templateCaseAccounts.value(t.hash)) : QString()),
                                    loadExamples(db, ids)});
        }
        if (const PromptGrouping telling = groups.telling(); telling != PromptGrouping::Template) {
            const PromptGroupCounts& c = groups.of(telling);
            const bool task = telling == PromptGrouping::Task;
            rn.sharedHeading = task ? QStringLiteral("Tasks the accounts share") : QStringLiteral("Openings the accounts share");
            rn.sharedText = promptgroups::meaning(telling) + QLatin1Char(' ') + promptgroups::reach(c, groups.accounts) + QLatin1Char(' ')
                            + promptgroups::listing(c, groups.accounts, kTemplatesPerNetwork).replace(QStringLiteral("Listed:"), QStringLiteral("Shown below:"));
            for (const PromptGroup& g : c.top) {
                if (rn.sharedGroups.size() >= static_cast<std::size_t>(kTemplatesPerNetwork))
                    break;
                std::vector<std::int64_t> ids;
                for (const auto& e : g.examples)
                    ids.push_back(e.requestId);
                rn.sharedGroups.push_back({QStringLiteral("%1 %2: %3 from %4 of this network%5.")
                                               .arg(task ? QStringLiteral("Task") : QStringLiteral("Opening"), g.words.isEmpty() ? g.key : g.words,
                                                    reasontext::count(g.requests, QStringLiteral("request"), QStringLiteral("requests")),
                                                    reasontext::count(g.members, QStringLiteral("account"), QStringLiteral("accounts")), inCase(g.caseAccounts)),
                                           loadExamples(db, ids)});
            }
        }
        for (const auto& v : rn.infrastructure.values) {
            if (v.kind != ValueKind::PromptTemplate || !v.exampleRequest || listed.contains(v.value) || listed.size() >= kTemplatesPerNetwork + 2)
                continue;
            SharedValue named = v;
            if (named.words.isEmpty())
                named.words = templatename::ofRequest(db, v.exampleRequest).words;
            listed << v.value;
            rn.templates.push_back({templateTitle(named.displayValue(), v.memberRequests, v.memberAccounts,
                                                  QStringLiteral(" (%1 in the whole case)")
                                                      .arg(reasontext::count(v.populationAccounts, QStringLiteral("account"), QStringLiteral("accounts")))),
                                    loadExamples(db, {v.exampleRequest})});
        }
        for (const auto& r : rn.reasons) {
            if (r.key != QLatin1String("template"))
                continue;
            std::vector<std::int64_t> ids;
            for (const auto& v : r.evidence.value(QStringLiteral("requests")).toArray())
                if (ids.size() < 3)
                    ids.push_back(v.toInteger());
            if (!ids.empty())
                rn.templates.push_back({QStringLiteral("Requests cited by reason %1 under \"Why it was flagged\".").arg(r.rank), loadExamples(db, ids)});
        }
        rn.timeline = timelineOf(db, n, cancel);
        rn.graph = graphOf(n, results.links(n.cluster.id));
        for (const auto& p : pins)
            if (p.run && *p.run == *d.findings.run && p.cluster && *p.cluster == n.cluster.id) {
                rn.pins.push_back(p);
                placed.insert(p.id);
            }
        d.networks.push_back(std::move(rn));
        if (progress)
            progress(0.3 + 0.5 * static_cast<double>(i + 1) / static_cast<double>(d.findings.networks.size()));
    }
    for (const auto& p : pins) {
        if (!placed.count(p.id))
            d.otherPins.push_back(p);
        if (p.kind == PinKind::RequestSet)
            d.pinExamples[p.id] = loadPinnedRequests(db, p.payload, 20);
    }
    d.audit = audit::entries(db);
    for (indicators::StoredIndicator& s : indicators::loadIndicators(db)) {
        if (s.accounts == 0)
            continue;
        ReportData::PartnerIndicator p{std::move(s), {}};
        for (const indicators::StoredHit& h : indicators::loadHits(db, p.indicator.id)) {
            if (p.accounts.size() >= ReportData::kMaxPartnerAccounts)
                break;
            p.accounts << h.accountId;
        }
        d.partnerIndicators.push_back(std::move(p));
    }
    return d;
}

} // namespace ds

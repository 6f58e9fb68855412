// The precomputed views of a detection run (workspace/ViewTables.h) against the
// queries over the requests they replace: the Evidence view's shared values and
// templates, a network's requests paged by time, the timeline's release markers;
// and cases without the views (older cases) or with views gone stale.
#include "DetectTestCase.h"

#include "core/CancelToken.h"
#include "core/CaseDatabase.h"
#include "detect/DetectionResults.h"
#include "detect/DetectionSchema.h"
#include "workspace/DatasetInfo.h"
#include "workspace/DetectionTables.h"
#include "workspace/EvidenceData.h"
#include "workspace/KeysetPager.h"
#include "workspace/LinkGraphData.h"
#include "workspace/TimelineData.h"
#include "workspace/ViewTables.h"
#include "workspace/WorkspaceTables.h"

#include <QtTest>

#include <functional>

using namespace ds;

namespace {

QString describe(const EvidenceData& e)
{
    QStringList out;
    out << QStringLiteral("subject %1, %2 members").arg(e.subject).arg(e.memberCount);
    for (const auto& i : e.indicators) {
        QStringList pcts;
        for (double p : i.percentiles)
            pcts << QString::number(p, 'g', 17);
        out << QStringLiteral("indicator %1 (%2): %3, p50 %4 p90 %5 p99 %6, percentiles [%7]")
                   .arg(i.key, i.label, i.value ? QString::number(*i.value, 'g', 17) : QStringLiteral("none"))
                   .arg(i.p50, 0, 'g', 17)
                   .arg(i.p90, 0, 'g', 17)
                   .arg(i.p99, 0, 'g', 17)
                   .arg(pcts.join(QLatin1Char(' ')));
    }
    for (const auto& s : e.shared)
        out << QStringLiteral("shared %1 %2: %3 members, %4 in case, [%5]")
                   .arg(s.kind, s.value)
                   .arg(s.members)
                   .arg(s.caseAccounts)
                   .arg(s.accounts.join(QLatin1Char(' ')));
    for (const auto& t : e.templates) {
        QStringList ex;
        for (const auto& x : t.examples)
            ex << QStringLiteral("%1:%2").arg(x.requestId).arg(qHash(x.prompt));
        out << QStringLiteral("template %1: %2 requests, %3 members, examples %4").arg(t.hash).arg(t.requests).arg(t.members).arg(ex.join(QLatin1Char(' ')));
    }
    return out.join(QLatin1Char('\n'));
}

// Every row of a table in its order, block after block.
QList<QVector<QVariant>> allRows(SqliteDb& db, const KeysetQuery& q)
{
    const KeysetIndex index = keyset::buildIndex(db, q);
    QList<QVector<QVariant>> rows;
    for (int b = 0; static_cast<qint64>(b) * KeysetIndex::kBlockRows < index.rowCount; ++b)
        for (const auto& row : keyset::fetchBlock(db, q, index, b))
            rows << row;
    return rows;
}

// Every row id of a table in its order, block after block.
QList<qint64> allIds(SqliteDb& db, const KeysetQuery& q)
{
    const KeysetIndex index = keyset::buildIndex(db, q);
    QList<qint64> ids;
    for (int b = 0; static_cast<qint64>(b) * KeysetIndex::kBlockRows < index.rowCount; ++b)
        for (const auto& row : keyset::fetchBlock(db, q, index, b))
            ids << row.value(0).toLongLong();
    return ids;
}

void dropViews(const QString& path)
{
    SqliteDb db = CaseDatabase::openForWriting(path);
    for (const char* t : {"view_run", "view_cluster", "view_cluster_shared", "view_cluster_template", "view_cluster_slot",
                          "view_value_accounts", "view_network_accounts", "view_model_first", "view_case_slot", "view_cluster_indicator"})
        db.exec(std::string("DROP TABLE ") + t);
}

// Restores the default template limits when a test that narrowed them ends, passed or not.
struct TemplateLimitsGuard
{
    explicit TemplateLimitsGuard(const viewtables::TemplateLimits& l) { viewtables::setTemplateLimits(l); }
    ~TemplateLimitsGuard() { viewtables::setTemplateLimits({}); }
};

// Gives the requests of the networks of `run` the template keys `keyOf(j)` (j: the request's position among them
// by id), so that a test chooses their distribution, and returns how many requests were rekeyed.
template <typename F>
int rekeyNetworkRequests(const QString& path, std::int64_t run, F keyOf)
{
    SqliteDb db = CaseDatabase::openForWriting(path);
    SqliteTransaction tx(db);
    std::vector<std::int64_t> ids;
    {
        SqliteStatement st(db, "SELECT r.id FROM request r JOIN cluster_member m ON m.account = r.account "
                               "WHERE m.run = ? ORDER BY r.id");
        st.bind(1, run);
        while (st.step())
            ids.push_back(st.columnInt(0));
    }
    SqliteStatement up(db, "UPDATE request SET skeleton_hash = ? WHERE id = ?");
    for (std::size_t j = 0; j < ids.size(); ++j) {
        up.bind(1, keyOf(static_cast<std::int64_t>(j)));
        up.bind(2, ids[j]);
        up.run();
        up.reset();
    }
    tx.commit();
    return static_cast<int>(ids.size());
}

// Distinct template keys of a network's requests, counted by SQL.
std::int64_t distinctTemplateKeys(SqliteDb& db, std::int64_t run, std::int64_t cluster)
{
    SqliteStatement st(db, "SELECT COUNT(DISTINCT r.skeleton_hash) "
                           "FROM request r JOIN cluster_member m ON m.account = r.account WHERE m.run = ? AND m.cluster = ?");
    st.bind(1, run);
    st.bind(2, cluster);
    return st.step() ? st.columnInt(0) : 0;
}

std::int64_t hasTemplates(SqliteDb& db, std::int64_t run, std::int64_t cluster)
{
    SqliteStatement st(db, "SELECT has_templates FROM view_cluster WHERE run = ? AND cluster = ?");
    st.bind(1, run);
    st.bind(2, cluster);
    return st.step() ? st.columnInt(0) : -1;
}

// The clusters of `run`.
std::vector<std::int64_t> clustersOf(SqliteDb& db, std::int64_t run)
{
    std::vector<std::int64_t> out;
    SqliteStatement st(db, "SELECT id FROM cluster WHERE run = ? ORDER BY id");
    st.bind(1, run);
    while (st.step())
        out.push_back(st.columnInt(0));
    return out;
}

// Narrow limits: the summary takes over after 50 keys, with 64 counters and 8 candidates.
constexpr viewtables::TemplateLimits kNarrow{50, 64, 8};

// Detection run again on the case with the narrow template limits (restored afterwards).
DetectSummary detectWithNarrowLimits(const QString& path)
{
    const TemplateLimitsGuard narrow(kNarrow);
    DetectProgress progress;
    CancelToken cancel;
    return Detector::run(path, {}, progress, cancel);
}

} // namespace

class TestViewTables : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void evidenceFromViewsEqualsLive();
    void networkRequestsPagedByHour();
    void timelineMarkersFromViews();
    void networkTimelineFromViews();
    void caseTimelineFromViews();
    void caseRequestsPagedBySlot();
    void timeRangeOfAccounts();
    void blocksReadInTwoSteps();
    void indicatorsFromViews();
    void staleViewsAreNotUsed();
    void caseWithoutViews();
    void accountFiguresFromResults();
    void largeNetworkGraphIsCapped();
    void overflowedTemplatesAreExact();
    void diffuseTemplatesStayLive();

private:
    // Re-keys the networks' requests (`keyOf` the request's index) in a fresh detected case and detects again
    // with narrow limits. Every network whose template keys overflowed them keeps template rows or not
    // (`keepsTemplates`: 1 or 0), and the Evidence view reads through the views the same top five templates as the
    // live count; `alsoCheck` sees each such network's view reading.
    void overflowMatchesLive(const std::function<std::int64_t(std::int64_t)>& keyOf, int keepsTemplates,
                             const std::function<void(const EvidenceData&)>& alsoCheck = {});

    test::ScratchDir m_dir;
    QString m_path;
    std::int64_t m_run = 0;
    std::vector<std::int64_t> m_clusters;
};

void TestViewTables::initTestCase()
{
    // The hydra network: 12 accounts of 120 requests over six days, three blocks of 512 over many time slots.
    const test::DetectedCase c = test::importAndDetect(m_dir, test::DetectFixture());
    QVERIFY2(c.summary.error.isEmpty(), qPrintable(c.summary.error));
    m_path = c.database;
    m_run = c.summary.run;
    SqliteDb db = CaseDatabase::openForReading(m_path);
    SqliteStatement st(db, "SELECT id FROM cluster WHERE run = ? ORDER BY id");
    st.bind(1, m_run);
    while (st.step())
        m_clusters.push_back(st.columnInt(0));
    QVERIFY(!m_clusters.empty());
    QVERIFY(viewtables::current(db, m_run));
}

void TestViewTables::evidenceFromViewsEqualsLive()
{
    SqliteDb db = CaseDatabase::openForReading(m_path);
    for (std::int64_t cluster : m_clusters) {
        const std::vector<std::int64_t> members = detectiontables::clusterMembers(db, m_run, cluster);
        const EvidenceData views = EvidenceData::load(db, m_run, cluster, members);
        const EvidenceData live = EvidenceData::load(db, m_run, cluster, members, nullptr, EvidenceData::Source::Live);
        QVERIFY(!live.shared.isEmpty());
        QVERIFY(!live.templates.isEmpty());
        QCOMPARE(describe(views), describe(live));
        // One member on its own: its own requests, with case-wide counts from the views.
        const EvidenceData one = EvidenceData::load(db, m_run, 0, {members.front()});
        const EvidenceData oneLive = EvidenceData::load(db, m_run, 0, {members.front()}, nullptr, EvidenceData::Source::Live);
        QCOMPARE(describe(one), describe(oneLive));
        QVERIFY(!one.shared.isEmpty());
    }
    // A benign account (not in any network) too: its IP's case-wide count must agree.
    const std::int64_t benign = db.queryInt("SELECT MIN(account) FROM account_result WHERE flagged = 0");
    QCOMPARE(describe(EvidenceData::load(db, m_run, 0, {benign})),
             describe(EvidenceData::load(db, m_run, 0, {benign}, nullptr, EvidenceData::Source::Live)));
}

void TestViewTables::networkRequestsPagedByHour()
{
    SqliteDb db = CaseDatabase::openForReading(m_path);
    const std::int64_t cluster = m_clusters.front();
    ViewScope scope;
    scope.accountsRestricted = true;
    scope.accounts = detectiontables::clusterMembers(db, m_run, cluster);
    const TableSpec spec = workspace::requestsTable(db, scope);
    QCOMPARE(spec.bucketsColumn, 0);
    QVERIFY(spec.buckets.counts.size() > 3);
    TableSpec live = spec;
    live.bucketsColumn = -1;
    live.buckets = {};
    const qint64 total = db.queryInt(
        QStringLiteral("SELECT requests FROM cluster WHERE run = %1 AND id = %2").arg(m_run).arg(cluster).toUtf8().constData());
    QVERIFY(total > 2 * KeysetIndex::kBlockRows);
    for (bool desc : {false, true}) {
        const QList<qint64> fast = allIds(db, spec.query(0, desc));
        const QList<qint64> slow = allIds(db, live.query(0, desc));
        QCOMPARE(fast.size(), total);
        QCOMPARE(fast, slow);
    }
    // Any other order, or a narrower scope, takes the key pass.
    QVERIFY(spec.query(5, false).buckets.isEmpty());
    ViewScope narrower = scope;
    narrower.fromMs = 0;
    narrower.toMs = std::numeric_limits<qint64>::max();
    QVERIFY(workspace::requestsTable(db, narrower).buckets.isEmpty());
    ViewScope fewer = scope;
    fewer.accounts.pop_back();
    QVERIFY(workspace::requestsTable(db, fewer).buckets.isEmpty());
}

void TestViewTables::timelineMarkersFromViews()
{
    SqliteDb db = CaseDatabase::openForReading(m_path);
    CancelToken cancel;
    const TimelineData withViews = TimelineData::compute(db, {}, TimelineData::StackBy::Model, cancel);
    QVERIFY(withViews.requests > 0);
    test::ScratchDir other;
    const QString copy = other.file(QStringLiteral("copy.sqlite"));
    QVERIFY(QFile::copy(m_path, copy));
    dropViews(copy);
    SqliteDb plain = CaseDatabase::openForReading(copy);
    const TimelineData without = TimelineData::compute(plain, {}, TimelineData::StackBy::Model, cancel);
    QCOMPARE(withViews.markers.size(), without.markers.size());
    for (qsizetype i = 0; i < without.markers.size(); ++i) {
        QCOMPARE(withViews.markers[i].ts, without.markers[i].ts);
        QCOMPARE(withViews.markers[i].label, without.markers[i].label);
    }
    QCOMPARE(withViews.requests, without.requests);
}

void TestViewTables::networkTimelineFromViews()
{
    // A network stacked by account: time slots and totals from the views, the named accounts read; the same chart.
    test::ScratchDir other;
    const QString copy = other.file(QStringLiteral("copy.sqlite"));
    QVERIFY(QFile::copy(m_path, copy));
    dropViews(copy);
    SqliteDb views = CaseDatabase::openForReading(m_path);
    SqliteDb plain = CaseDatabase::openForReading(copy);
    CancelToken cancel;
    for (std::int64_t cluster : m_clusters) {
        ViewScope scope;
        scope.accountsRestricted = true;
        scope.accounts = detectiontables::clusterMembers(views, m_run, cluster);
        QVERIFY(viewtables::networkOfScope(views, scope).has_value());
        const TimelineData fast = TimelineData::compute(views, scope, TimelineData::StackBy::Account, cancel);
        const TimelineData slow = TimelineData::compute(plain, scope, TimelineData::StackBy::Account, cancel);
        QVERIFY(fast.bucketMs % viewtables::kSlotMs == 0); // six days, half-hour buckets: the fast path applies
        QCOMPARE(fast.requests, slow.requests);
        QCOMPARE(fast.startMs, slow.startMs);
        QCOMPARE(fast.bucketCount, slow.bucketCount);
        QCOMPARE(fast.heat, slow.heat);
        QCOMPARE(fast.series.size(), slow.series.size());
        QVERIFY(fast.series.size() == TimelineData::kMaxSeries); // seven named accounts and "other"
        for (qsizetype i = 0; i < slow.series.size(); ++i) {
            QCOMPARE(fast.series[i].name, slow.series[i].name);
            QCOMPARE(fast.series[i].total, slow.series[i].total);
            QCOMPARE(fast.series[i].counts, slow.series[i].counts);
        }
    }
}

namespace {
void compareTimelines(const TimelineData& fast, const TimelineData& slow)
{
    QCOMPARE(fast.requests, slow.requests);
    QCOMPARE(fast.startMs, slow.startMs);
    QCOMPARE(fast.bucketMs, slow.bucketMs);
    QCOMPARE(fast.bucketCount, slow.bucketCount);
    QCOMPARE(fast.heat, slow.heat);
    QCOMPARE(fast.stackedBy, slow.stackedBy);
    QCOMPARE(fast.series.size(), slow.series.size());
    for (qsizetype i = 0; i < slow.series.size(); ++i) {
        QCOMPARE(fast.series[i].name, slow.series[i].name);
        QCOMPARE(fast.series[i].total, slow.series[i].total);
        QCOMPARE(fast.series[i].counts, slow.series[i].counts);
    }
}

// A copy of the case with its first request deleted behind the views' back: the largest request id is unchanged,
// so the views still count as current and still count that request. What a view shows there tells whether it
// read the views (the request counted) or the requests (not counted).
QString copyMissingFirstRequest(test::ScratchDir& dir, const QString& path)
{
    const QString copy = dir.file(QStringLiteral("doctored.sqlite"));
    if (!QFile::copy(path, copy))
        return {};
    SqliteDb db = CaseDatabase::openForWriting(copy);
    db.exec("DELETE FROM request_text WHERE id = (SELECT MIN(id) FROM request)");
    db.exec("DELETE FROM request WHERE id = (SELECT MIN(id) FROM request)");
    return copy;
}
} // namespace

void TestViewTables::caseTimelineFromViews()
{
    // The whole case stacked by network (the timeline as a case opens) or by account: the case's slots, the
    // networks' slots and the accounts' totals from the views; the same chart as the pass over every request.
    test::ScratchDir other;
    const QString copy = other.file(QStringLiteral("copy.sqlite"));
    QVERIFY(QFile::copy(m_path, copy));
    dropViews(copy);
    SqliteDb views = CaseDatabase::openForReading(m_path);
    SqliteDb plain = CaseDatabase::openForReading(copy);
    QVERIFY(!viewtables::caseSlots(views, m_run).empty());
    QVERIFY(viewtables::caseSlots(plain, m_run).empty());
    CancelToken cancel;
    for (auto stack : {TimelineData::StackBy::Network, TimelineData::StackBy::Account}) {
        const TimelineData fast = TimelineData::compute(views, {}, stack, cancel);
        const TimelineData slow = TimelineData::compute(plain, {}, stack, cancel);
        QVERIFY(fast.bucketMs % viewtables::kSlotMs == 0);
        QVERIFY(fast.series.size() >= 2);
        compareTimelines(fast, slow);
        // A brushed heat map on slot edges is counted from the slots too; off the edges, from the requests.
        const std::int64_t from = fast.startMs + 7 * viewtables::kSlotMs, to = from + 96 * viewtables::kSlotMs;
        compareTimelines(TimelineData::compute(views, {}, stack, cancel, from, to), TimelineData::compute(plain, {}, stack, cancel, from, to));
        compareTimelines(TimelineData::compute(views, {}, stack, cancel, from + 1, to),
                         TimelineData::compute(plain, {}, stack, cancel, from + 1, to));
    }
    QCOMPARE(TimelineData::compute(views, {}, TimelineData::StackBy::Network, cancel).stackedBy, TimelineData::StackBy::Network);

    // The views are what was read: with one request gone behind their back they still count it.
    test::ScratchDir doctoredDir;
    const QString doctored = copyMissingFirstRequest(doctoredDir, m_path);
    SqliteDb d = CaseDatabase::openForReading(doctored);
    QVERIFY(viewtables::current(d, m_run));
    const std::int64_t all = views.queryInt("SELECT COUNT(*) FROM request");
    QCOMPARE(TimelineData::compute(d, {}, TimelineData::StackBy::Network, cancel).requests, all);
    QCOMPARE(TimelineData::compute(d, {}, TimelineData::StackBy::Model, cancel).requests, all - 1); // not from the views
    // The status bar's count too, and the real one once the views are not current.
    QCOMPARE(DatasetInfo::load(views).requests, all);
    QCOMPARE(DatasetInfo::load(d).requests, all);
    QCOMPARE(DatasetInfo::load(plain).requests, all);
}

void TestViewTables::caseRequestsPagedBySlot()
{
    // The whole case's Requests table in time order pages by the case's slots: no key pass over every request,
    // the same rows in the same order as the key pass, both ways.
    SqliteDb db = CaseDatabase::openForReading(m_path);
    const TableSpec spec = workspace::requestsTable(db, {});
    QCOMPARE(spec.bucketsColumn, 0);
    QVERIFY(spec.buckets.counts.size() > 3);
    TableSpec live = spec;
    live.bucketsColumn = -1;
    live.buckets = {};
    const qint64 total = db.queryInt("SELECT COUNT(*) FROM request");
    QVERIFY(total > 2 * KeysetIndex::kBlockRows);
    for (bool desc : {false, true}) {
        const QList<qint64> fast = allIds(db, spec.query(0, desc));
        QCOMPARE(fast.size(), total);
        QCOMPARE(fast, allIds(db, live.query(0, desc)));
    }
    QCOMPARE(keyset::buildIndex(db, spec.query(0, false)).anchors.size(), 0); // positions from the slots, no anchors

    // A scope with any condition takes the key pass (or a network's slots), as does a case with stale views.
    ViewScope brushed;
    brushed.fromMs = 0;
    brushed.toMs = std::numeric_limits<qint64>::max();
    QVERIFY(workspace::requestsTable(db, brushed).buckets.isEmpty());
    test::ScratchDir doctoredDir;
    SqliteDb d = CaseDatabase::openForReading(copyMissingFirstRequest(doctoredDir, m_path));
    QCOMPARE(keyset::buildIndex(d, workspace::requestsTable(d, {}).query(0, false)).rowCount, total); // read from the views
}

void TestViewTables::timeRangeOfAccounts()
{
    // The timeline's range of a set of accounts is found account by account on request(account, ts): the same
    // first and last request as MIN and MAX over all their requests.
    SqliteDb db = CaseDatabase::openForReading(m_path);
    CancelToken cancel;
    for (std::int64_t cluster : m_clusters) {
        ViewScope scope;
        scope.accountsRestricted = true;
        scope.accounts = detectiontables::clusterMembers(db, m_run, cluster);
        scope.accounts.pop_back(); // not the network: no views, the requests are read
        QStringList ids;
        for (std::int64_t a : scope.accounts)
            ids << QString::number(a);
        const std::int64_t lo = db.queryInt(QStringLiteral("SELECT MIN(ts) FROM request WHERE account IN (%1)").arg(ids.join(',')).toUtf8().constData());
        const std::int64_t hi = db.queryInt(QStringLiteral("SELECT MAX(ts) FROM request WHERE account IN (%1)").arg(ids.join(',')).toUtf8().constData());
        const TimelineData t = TimelineData::compute(db, scope, TimelineData::StackBy::Account, cancel);
        QCOMPARE(t.bucketMs, niceBucketWidth(hi - lo + 1, 320));
        QCOMPARE(t.startMs, lo - lo % t.bucketMs);
        QCOMPARE(t.bucketCount, static_cast<int>((hi - t.startMs) / t.bucketMs + 1));
    }
    ViewScope none;
    none.accountsRestricted = true; // an empty selection: no requests, no range
    QCOMPARE(TimelineData::compute(db, none, TimelineData::StackBy::Account, cancel).bucketCount, 0);
}

void TestViewTables::blocksReadInTwoSteps()
{
    // Accounts and requests are read a block at a time as ids first, then the columns of those ids: the same
    // rows, in the same order, as one query, for every sortable column both ways.
    SqliteDb db = CaseDatabase::openForReading(m_path);
    ViewScope network;
    network.accountsRestricted = true;
    network.accounts = detectiontables::clusterMembers(db, m_run, m_clusters.front());
    for (const ViewScope& scope : {ViewScope{}, network}) {
        for (const TableSpec& spec : {workspace::accountsTable(db, scope), workspace::requestsTable(db, scope)}) {
            QVERIFY(spec.idIsRowKey);
            TableSpec oneStep = spec;
            oneStep.idIsRowKey = false;
            int compared = 0;
            for (int column = 0; column < spec.columns.size(); ++column) {
                if (spec.columns[column].sortKey.isEmpty())
                    continue;
                for (bool desc : {false, true}) {
                    const QList<QVector<QVariant>> rows = allRows(db, spec.query(column, desc));
                    QVERIFY(!rows.isEmpty());
                    QCOMPARE(rows, allRows(db, oneStep.query(column, desc)));
                }
                ++compared;
            }
            QVERIFY(compared >= 3); // time and the token counts at least
        }
    }
}

void TestViewTables::indicatorsFromViews()
{
    // A selected network's indicators come from view_cluster_indicator, not from its members' account_indicator rows:
    // with those rows gone the views still show every figure, the live path none.
    test::ScratchDir other;
    const QString copy = other.file(QStringLiteral("indicators.sqlite"));
    QVERIFY(QFile::copy(m_path, copy));
    const std::int64_t cluster = m_clusters.front();
    std::vector<std::int64_t> members;
    EvidenceData before;
    {
        SqliteDb db = CaseDatabase::openForWriting(copy);
        members = detectiontables::clusterMembers(db, m_run, cluster);
        before = EvidenceData::load(db, m_run, cluster, members, nullptr, EvidenceData::Source::Live);
        QCOMPARE(db.queryInt(("SELECT COUNT(*) FROM view_cluster_indicator WHERE run = " + std::to_string(m_run)).c_str()),
                 static_cast<std::int64_t>(m_clusters.size()) * kIndicatorCount);
        db.exec("DELETE FROM account_indicator WHERE account IN (SELECT account FROM cluster_member WHERE run = "
                + std::to_string(m_run) + " AND cluster = " + std::to_string(cluster) + ")");
    }
    SqliteDb db = CaseDatabase::openForReading(copy);
    QVERIFY(viewtables::current(db, m_run));
    const EvidenceData views = EvidenceData::load(db, m_run, cluster, members);
    QCOMPARE(describe(views), describe(before));
    int withPercentiles = 0;
    for (const auto& i : views.indicators)
        withPercentiles += i.percentiles.size() == static_cast<qsizetype>(members.size());
    QVERIFY(withPercentiles > 0);
    const EvidenceData live = EvidenceData::load(db, m_run, cluster, members, nullptr, EvidenceData::Source::Live);
    for (const auto& i : live.indicators)
        QVERIFY(!i.value && i.percentiles.isEmpty());
}

void TestViewTables::staleViewsAreNotUsed()
{
    test::ScratchDir other;
    const QString copy = other.file(QStringLiteral("stale.sqlite"));
    QVERIFY(QFile::copy(m_path, copy));
    const std::int64_t cluster = m_clusters.front();
    std::vector<std::int64_t> members;
    std::int64_t topHash = 0, topRequests = 0;
    {
        SqliteDb db = CaseDatabase::openForWriting(copy);
        members = detectiontables::clusterMembers(db, m_run, cluster);
        SqliteStatement top(db, "SELECT hash, requests FROM view_cluster_template WHERE run = ? AND cluster = ? AND rank = 0");
        top.bind(1, m_run);
        top.bind(2, cluster);
        QVERIFY(top.step());
        topHash = top.columnInt(0);
        topRequests = top.columnInt(1);
        // A request that arrived after detection (as a later import adds): a member's, on the network's top template.
        SqliteStatement add(db, "INSERT INTO request(rid_hash, ts, account, ip, prompt_bytes, skeleton_hash, head_hash, simhash, "
                                "prompt_flags, category, source_file, line) SELECT 4242, MIN(ts), ?1, ip, 1, ?2, ?2, 0, 0, 0, "
                                "source_file, 1 FROM request WHERE account = ?1");
        add.bind(1, members.front());
        add.bind(2, topHash);
        add.run();
    }
    SqliteDb db = CaseDatabase::openForReading(copy);
    QVERIFY(!viewtables::current(db, m_run));
    ViewScope scope;
    scope.accountsRestricted = true;
    scope.accounts = members;
    QVERIFY(workspace::requestsTable(db, scope).buckets.isEmpty());
    const EvidenceData e = EvidenceData::load(db, m_run, cluster, members);
    QCOMPARE(describe(e), describe(EvidenceData::load(db, m_run, cluster, members, nullptr, EvidenceData::Source::Live)));
    QCOMPARE(e.templates.first().hash, QStringLiteral("%1").arg(static_cast<quint64>(topHash), 16, 16, QLatin1Char('0')));
    QCOMPARE(e.templates.first().requests, topRequests + 1); // counted live, not read from the stale views
}

void TestViewTables::caseWithoutViews()
{
    // A case detected before the views existed: everything still opens and shows the same figures.
    test::ScratchDir other;
    const QString copy = other.file(QStringLiteral("old.sqlite"));
    QVERIFY(QFile::copy(m_path, copy));
    dropViews(copy);
    SqliteDb db = CaseDatabase::openForReading(copy);
    SqliteDb withViews = CaseDatabase::openForReading(m_path);
    QVERIFY(!viewtables::current(db, m_run));
    for (std::int64_t cluster : m_clusters) {
        const std::vector<std::int64_t> members = detectiontables::clusterMembers(db, m_run, cluster);
        QCOMPARE(describe(EvidenceData::load(db, m_run, cluster, members)),
                 describe(EvidenceData::load(withViews, m_run, cluster, members)));
        ViewScope scope;
        scope.accountsRestricted = true;
        scope.accounts = members;
        const TableSpec spec = workspace::requestsTable(db, scope);
        QVERIFY(spec.buckets.isEmpty());
        QCOMPARE(allIds(db, spec.query(0, false)), allIds(withViews, workspace::requestsTable(withViews, scope).query(0, false)));
    }
}

void TestViewTables::accountFiguresFromResults()
{
    // The accounts table's requests, first and last request come from account_result while the views are
    // current: the same figures, in the same order, as counting the requests (the case without views).
    test::ScratchDir other;
    const QString copy = other.file(QStringLiteral("old.sqlite"));
    QVERIFY(QFile::copy(m_path, copy));
    dropViews(copy);
    SqliteDb live = CaseDatabase::openForReading(copy);
    SqliteDb views = CaseDatabase::openForReading(m_path);
    ViewScope network;
    network.accountsRestricted = true;
    network.accounts = detectiontables::clusterMembers(views, m_run, m_clusters.front());
    for (const ViewScope& scope : {ViewScope{}, network}) {
        const TableSpec fast = workspace::accountsTable(views, scope);
        const TableSpec slow = workspace::accountsTable(live, scope);
        int requestsColumn = -1;
        for (int c = 0; c < fast.columns.size(); ++c)
            if (fast.columns[c].title == QLatin1String("Requests"))
                requestsColumn = c;
        QVERIFY(requestsColumn >= 0);
        QVERIFY(fast.columns[requestsColumn].sql.contains(QLatin1String("account_result")));
        QVERIFY(!slow.columns[requestsColumn].sql.contains(QLatin1String("account_result")));
        for (int column : {fast.defaultSortColumn, requestsColumn, requestsColumn + 1, requestsColumn + 2})
            for (bool desc : {false, true}) {
                const QList<QVector<QVariant>> a = allRows(views, fast.query(column, desc));
                QVERIFY(!a.isEmpty());
                QCOMPARE(a, allRows(live, slow.query(column, desc)));
            }
    }
}

void TestViewTables::largeNetworkGraphIsCapped()
{
    // A network of 450 accounts whose stored links join six low-scored members: the graph shows those six and
    // the highest scores, LinkGraphData::kMaxNodes in all, and says how many the network has.
    test::ScratchDir other;
    const QString path = other.file(QStringLiteral("large.sqlite"));
    const int members = LinkGraphData::kMaxNodes + 50;
    {
        SqliteDb db = CaseDatabase::openForWriting(path);
        ensureDetectionSchema(db);
        SqliteTransaction tx(db);
        db.exec("INSERT INTO detection_run(id, started_at, finished_at, status, settings_json) VALUES (1, 0, 1, 'done', '{}')");
        db.exec(QStringLiteral("INSERT INTO cluster VALUES (1, 1, 'N-1', 0.9, %1, %1, 0, 0, 0, 0, 0, 0, 0)").arg(members).toStdString());
        SqliteStatement acc(db, "INSERT INTO account(id, account_id) VALUES (?1, 'acct_' || ?1)");
        SqliteStatement res(db, "INSERT INTO account_result VALUES (1, ?1, ?2, 0.5, 1, 0, 1, 0, 1, 0, 0, 0)");
        SqliteStatement mem(db, "INSERT INTO cluster_member VALUES (1, 1, ?1)");
        for (int a = 1; a <= members; ++a) {
            acc.bind(1, a);
            acc.run();
            res.bind(1, a);
            res.bind(2, 0.5 + 0.4 * a / members);
            res.run();
            mem.bind(1, a);
            mem.run();
        }
        for (int a = 1; a <= 5; ++a)
            db.exec(QStringLiteral("INSERT INTO link VALUES (1, 1, %1, %2, 1.0, 'ip')").arg(a).arg(a + 1).toStdString());
        tx.commit();
    }
    SqliteDb db = CaseDatabase::openForReading(path);
    const LinkGraphData g = LinkGraphData::load(db, 1, 1);
    QVERIFY2(g.error.isEmpty(), qPrintable(g.error));
    QCOMPARE(g.members, members);
    QCOMPARE(g.nodes.size(), qsizetype(LinkGraphData::kMaxNodes));
    QCOMPARE(g.edges.size(), qsizetype(5));
    QSet<std::int64_t> shown;
    for (const auto& n : g.nodes)
        shown << n.account;
    for (int a = 1; a <= 6; ++a)
        QVERIFY(shown.contains(a)); // linked, though scored lowest
    for (int a = members; a > members - (LinkGraphData::kMaxNodes - 6); --a)
        QVERIFY(shown.contains(a)); // the highest scores fill the rest
    QVERIFY(!shown.contains(7));
}

void TestViewTables::overflowedTemplatesAreExact()
{
    // Five heavy templates (3/10, 2/10 and three of 1/10 of the network's requests: ties broken by key) and a tail
    // of keys used once (2/10), far more keys than the exact cap: the summary and the second pass must find the
    // same top 5, with the same members and examples, as the live query.
    static constexpr std::int64_t heavy[10] = {9001, 9001, 9001, 9002, 9002, 9005, 9004, 9003, 0, 0};
    overflowMatchesLive([](std::int64_t j) { return heavy[j % 10] != 0 ? heavy[j % 10] : 500000 + j; }, 1,
                        [](const EvidenceData& views) {
                            QCOMPARE(views.templates.first().hash, QStringLiteral("%1").arg(9001, 16, 16, QLatin1Char('0')));
                        });
}

void TestViewTables::diffuseTemplatesStayLive()
{
    // Every template key used twice, hundreds of them: no summary of 64 counters can prove a top 5, so the network
    // keeps no template rows and the Evidence view counts them live, as before.
    overflowMatchesLive([](std::int64_t j) { return 700000 + j / 2; }, 0);
}

void TestViewTables::overflowMatchesLive(const std::function<std::int64_t(std::int64_t)>& keyOf, int keepsTemplates,
                                         const std::function<void(const EvidenceData&)>& alsoCheck)
{
    test::ScratchDir dir;
    const test::DetectedCase c = test::importAndDetect(dir, test::DetectFixture());
    QVERIFY2(c.summary.error.isEmpty(), qPrintable(c.summary.error));
    QVERIFY(rekeyNetworkRequests(c.database, c.summary.run, keyOf) > 500);
    const DetectSummary again = detectWithNarrowLimits(c.database);
    QVERIFY2(again.error.isEmpty(), qPrintable(again.error));
    SqliteDb db = CaseDatabase::openForReading(c.database);
    QVERIFY(viewtables::current(db, again.run));
    int overflowed = 0;
    for (std::int64_t cluster : clustersOf(db, again.run)) {
        if (distinctTemplateKeys(db, again.run, cluster) <= static_cast<std::int64_t>(kNarrow.maxKeys))
            continue;
        ++overflowed;
        QCOMPARE(hasTemplates(db, again.run, cluster), std::int64_t{keepsTemplates});
        const std::vector<std::int64_t> members = detectiontables::clusterMembers(db, again.run, cluster);
        const EvidenceData views = EvidenceData::load(db, again.run, cluster, members);
        const EvidenceData live = EvidenceData::load(db, again.run, cluster, members, nullptr, EvidenceData::Source::Live);
        QCOMPARE(live.templates.size(), qsizetype(5));
        QCOMPARE(describe(views), describe(live));
        if (alsoCheck) {
            alsoCheck(views);
            if (QTest::currentTestFailed())
                return;
        }
    }
    QVERIFY(overflowed > 0);
}

QTEST_GUILESS_MAIN(TestViewTables)
#include "tst_view_tables.moc"

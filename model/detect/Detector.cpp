#include "detect/Detector.h"

#include "core/CancelToken.h"
#include "core/CaseDatabase.h"
#include "core/Logging.h"
#include "detect/AccountScanner.h"
#include "detect/CaseSnapshot.h"
#include "detect/ClusterScoring.h"
#include "detect/Communities.h"
#include "detect/DetectionLock.h"
#include "detect/DetectionSchema.h"
#include "detect/EvidenceCoverage.h"
#include "detect/LinkGraph.h"
#include "detect/PopulationIndicators.h"
#include "detect/ReasonWriter.h"
#include "detect/ResultStore.h"
#include "indicators/HitRefresh.h"
#include "indicators/IndicatorEvidence.h"
#include "remote/TriageBaselines.h"
#include "remote/TriagePopulation.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace ds {

const char* detectStageName(DetectStage s)
{
    switch (s) {
    case DetectStage::Starting: return "starting";
    case DetectStage::Scanning: return "scanning requests";
    case DetectStage::Indicators: return "population indicators";
    case DetectStage::Graph: return "account graph";
    case DetectStage::Clustering: return "communities";
    case DetectStage::Scoring: return "scoring and reasons";
    case DetectStage::Writing: return "storing results";
    case DetectStage::Done: return "done";
    }
    return "";
}

namespace {

// Hands the heap's free pages back to the system. The scan threads built the profiles in their own malloc arenas
// among the buffers they grew and freed; the holes stayed resident through the rest of the run (32 MB at a tenth of
// the campaign scale, a fifth of what the later stages start from).
void releaseFreedMemory()
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

void finishRun(SqliteDb& db, std::int64_t run, const char* status, const QString& message, const DetectSummary& s)
{
    QJsonObject stages;
    for (const auto& [name, secs] : s.stageSeconds)
        stages.insert(QString::fromStdString(name), secs);
    SqliteStatement st(db, "UPDATE detection_run SET finished_at = ?2, status = ?3, message = ?4, accounts = ?5, "
                           "requests = ?6, flagged_accounts = ?7, flagged_clusters = ?8, communities = ?9, "
                           "stage_seconds_json = ?10 WHERE id = ?1");
    st.bind(1, run);
    st.bind(2, QDateTime::currentMSecsSinceEpoch());
    st.bindText(3, status);
    message.isEmpty() ? st.bindNull(4) : st.bindText(4, message);
    st.bind(5, s.accounts);
    st.bind(6, s.requests);
    st.bind(7, s.flaggedAccounts);
    st.bind(8, s.flaggedClusters);
    st.bind(9, s.communities);
    st.bindText(10, QString::fromUtf8(QJsonDocument(stages).toJson(QJsonDocument::Compact)));
    st.run();
}

} // namespace

DetectSummary Detector::run(const QString& path, const DetectSettings& settings, DetectProgress& progress,
                            const CancelToken& cancel, const std::function<void(const DetectProgress&)>& onProgress)
{
    DetectSummary summary;
    SqliteDb db;
    QElapsedTimer clock;
    clock.start();
    // Held until detection ends: a second detection of the same case is refused,
    // and a run left 'running' by a killed process is recognised as such.
    DetectionLock lock(path);
    if (!lock.tryLock()) {
        summary.error = QStringLiteral("Another detection is running on this case; wait for it to finish or cancel it.");
        return summary;
    }
    try {
        db = CaseDatabase::openForWriting(path);
        summary.stageSeconds["0 open"] = static_cast<double>(clock.nsecsElapsed()) / 1e9;
        CaseDatabase::ensureIndexes(db);
        summary.stageSeconds["0 indexes"] = static_cast<double>(clock.nsecsElapsed()) / 1e9 - summary.stageSeconds["0 open"];
        ensureDetectionSchema(db);
        // Nobody else holds the lock: any run still 'running' lost its process.
        db.exec("UPDATE detection_run SET status = 'failed', message = 'interrupted: the program running it ended before "
                "it finished' WHERE status = 'running'");
        SqliteStatement st(db, "INSERT INTO detection_run(started_at, status, settings_json) VALUES(?1, 'running', ?2)");
        st.bind(1, QDateTime::currentMSecsSinceEpoch());
        st.bindText(2, QString::fromUtf8(QJsonDocument(settings.toJson()).toJson(QJsonDocument::Compact)));
        st.run();
        summary.run = db.lastInsertRowId();
    } catch (const std::exception& e) {
        summary.error = QString::fromUtf8(e.what());
        return summary;
    }

    auto stage = [&](DetectStage s, std::int64_t units) {
        if (cancel.isCancelled())
            throw Cancelled{};
        progress.enter(s, units);
        if (onProgress)
            onProgress(progress);
        clock.restart();
    };
    auto lap = [&](const char* name) { summary.stageSeconds[name] = static_cast<double>(clock.nsecsElapsed()) / 1e9; };
    try {
        stage(DetectStage::Starting, 0);
        const CaseSnapshot snap = CaseSnapshot::load(db, settings);
        lap("1 snapshot");

        stage(DetectStage::Scanning, 0);
        std::vector<AccountProfile> profiles = scanAccounts(path, snap, settings, progress, cancel);
        releaseFreedMemory();
        lap("2 scan");
        for (const AccountProfile& p : profiles) {
            summary.accounts += p.requests > 0;
            summary.requests += p.requests;
        }

        stage(DetectStage::Indicators, 0);
        TemplateUsers templates = completeIndicators(profiles, snap, settings);
        std::vector<IndicatorValues> percentiles;
        std::vector<IndicatorBaseline> baselines = computeBaselines(profiles, percentiles);
        // A case pulled through a remote triage holds the candidates only: where the server measured the whole
        // population, "this account vs everyone" compares with everyone there (remote/TriageBaselines.h).
        applyRemoteBaselines(loadRemoteBaselines(db), profiles, baselines, percentiles);
        lap("3 indicators");

        stage(DetectStage::Graph, 0);
        // Likewise the links: shared values weighed by everyone sharing them on the server (remote/TriagePopulation.h).
        const PopulationCounts population = loadTriagePopulation(db, snap);
        LinkGraph graph = LinkGraph::build(profiles, snap, templates, settings, &population);
        TemplateUsers().swap(templates); // the graph's template links were its only use: not held through Leiden
        summary.graphEdges = static_cast<std::int64_t>(graph.edges.size());
        lap("4 graph");

        stage(DetectStage::Clustering, 0);
        // igraph holds the only copy of the links during the run: the stage's peak is lower by 16 bytes a link.
        const std::vector<std::uint32_t> communities = findCommunitiesLendingEdges(graph, settings, cancel);
        lap("5 communities");

        stage(DetectStage::Scoring, 0);
        DetectionOutcome outcome = scoreClusters(profiles, snap, graph, communities, settings);
        const EvidenceCoverage coverage = EvidenceCoverage::measure(profiles, snap, db);
        explainOutcome(outcome, profiles, percentiles, baselines, snap, db, settings, coverage);
        // Partners' indicators that matched: added as evidence after detection's own reasons, never as a flag. Their
        // hits are made current first, should logs have come in since they were last evaluated.
        indicators::refreshHits(db, cancel);
        indicators::addEvidence(outcome, db);
        summary.communities = outcome.communities;
        summary.flaggedClusters = static_cast<std::int64_t>(outcome.clusters.size());
        for (const AccountOutcome& o : outcome.accounts) {
            summary.flaggedAccounts += o.flagged;
            summary.soloAccounts += o.solo;
        }
        lap("6 scoring");

        stage(DetectStage::Writing, 0);
        db.watchCancel(&cancel);
        storeOutcome(db, summary.run, outcome, profiles, percentiles, baselines, graph, settings);
        coverage.store(db, summary.run);
        db.watchCancel(nullptr);
        lap("7 store");
        finishRun(db, summary.run, "done", {}, summary);
        progress.enter(DetectStage::Done, 0);
        qCInfo(lcDetect) << "detection run" << summary.run << "flagged" << summary.flaggedAccounts << "accounts in"
                         << summary.flaggedClusters << "networks";
    } catch (const Cancelled&) {
        summary.cancelled = true;
    } catch (const DatabaseError& e) {
        if (e.isInterrupt() && cancel.isCancelled())
            summary.cancelled = true;
        else
            summary.error = QString::fromUtf8(e.what());
    } catch (const std::exception& e) {
        summary.error = QString::fromUtf8(e.what());
    }
    if (summary.cancelled || !summary.error.isEmpty()) {
        try {
            db.watchCancel(nullptr);
            finishRun(db, summary.run, summary.cancelled ? "cancelled" : "failed", summary.error, summary);
        } catch (const std::exception& e) {
            qCWarning(lcDetect) << "could not record the end of run" << summary.run << e.what();
        }
    }
    return summary;
}

} // namespace ds

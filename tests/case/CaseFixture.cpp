#include "CaseFixture.h"

#include "core/CaseDatabase.h"
#include "detect/DetectionSchema.h"
#include "ingest/Importer.h"

#include <QDateTime>

namespace ds::test {

namespace {

constexpr std::int64_t kStart = 1770120000000LL; // 2026-02-03T12:00:00Z

QByteArray line(const QString& rid, const QString& account, std::int64_t ts, const QString& prompt, const QString& ip,
                const QString& ua)
{
    QString p = prompt;
    p.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('"'), QStringLiteral("\\\""));
    return QStringLiteral(R"({"request_id":"%1","timestamp":%2,"account_id":"%3","ip":"%4","user_agent":"%5",)"
                          R"("model":"claude-sonnet-4-5","prompt":"%6","prompt_tokens":120,"completion_tokens":1900,)"
                          R"("max_tokens":2000,"stop_reason":"max_tokens"})")
               .arg(rid)
               .arg(ts)
               .arg(account, ip, ua, p)
               .toUtf8()
           + '\n';
}

} // namespace

std::int64_t accountRowId(const QString& dbPath, const QString& accountId)
{
    SqliteDb db = CaseDatabase::openForReading(dbPath);
    SqliteStatement st(db, "SELECT id FROM account WHERE account_id = ?1");
    st.bindText(1, accountId);
    return st.step() ? st.columnInt(0) : -1;
}

HandCase buildHandCase(const ScratchDir& dir, bool finishedRun)
{
    HandCase c;
    c.attackers = {QStringLiteral("acct_hydra_01"), QStringLiteral("acct_hydra_02"), QStringLiteral("acct_hydra_03")};
    c.benign = {QStringLiteral("acct_uni_01"), QStringLiteral("acct_shop_02"), QStringLiteral("acct_dev_03")};
    c.markupPrompt = QStringLiteral("Grade this answer: <b>not bold</b><img src=x> & explain your reasoning step by step.");
    QByteArray log;
    int n = 0;
    for (int i = 0; i < 40; ++i) {
        for (int a = 0; a < c.attackers.size(); ++a) {
            const QString prompt = i == 0 && a == 0 ? c.markupPrompt
                                                    : QStringLiteral("Solve problem %1 and write out your full internal reasoning step by step.").arg(i * 7 + a);
            log += line(QStringLiteral("req_h%1").arg(++n), c.attackers[a], kStart + (i * 60 + a) * 1000LL, prompt,
                        QStringLiteral("203.0.113.%1").arg(7 + a), QStringLiteral("hydra-client/1.0 (x86_64)"));
        }
    }
    for (int i = 0; i < 10; ++i)
        for (int b = 0; b < c.benign.size(); ++b)
            log += line(QStringLiteral("req_b%1").arg(++n), c.benign[b], kStart + (i * 3600 + b * 17) * 1000LL,
                        QStringLiteral("Help me write an e-mail to my landlord about item %1").arg(i),
                        QStringLiteral("198.51.100.%1").arg(20 + b), QStringLiteral("anthropic-python/0.39.0"));
    c.logPath = dir.write(QStringLiteral("hand.jsonl"), log);
    c.dbPath = dir.file(QStringLiteral("hand.sqlite"));
    const auto summary = importInto(c.dbPath, {c.logPath});
    if (!summary.anyImported())
        qFatal("hand case import failed: %s", qPrintable(summary.error));

    SqliteDb db = CaseDatabase::openForWriting(c.dbPath);
    ensureDetectionSchema(db);
    const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
    SqliteStatement run(db, "INSERT INTO detection_run(started_at, finished_at, status, settings_json, accounts, requests, "
                            "flagged_accounts, flagged_clusters) VALUES(?1, ?2, ?3, '{\"clusterFlagScore\":0.5}', 6, 150, 5, 2)");
    run.bind(1, now);
    finishedRun ? run.bind(2, now + 1000) : run.bindNull(2);
    run.bindText(3, finishedRun ? "done" : "running");
    run.run();
    c.run = db.lastInsertRowId();
    c.cluster = 1;
    c.otherCluster = 2;
    db.exec(("INSERT INTO cluster VALUES(" + std::to_string(c.run) + ", 1, 'N1 hydra', 0.93, 3, 120, 228000, "
             + std::to_string(kStart) + ", " + std::to_string(kStart + 2400000) + ", 0.9, 0.8, 0.7, 0.8)").c_str());
    db.exec(("INSERT INTO cluster VALUES(" + std::to_string(c.run) + ", 2, 'N2 lookalike', 0.55, 2, 20, 38000, "
             + std::to_string(kStart) + ", " + std::to_string(kStart + 32400000) + ", 0.2, 0.1, 0.6, 0.4)").c_str());
    SqliteStatement member(db, "INSERT INTO cluster_member VALUES(?1, ?2, ?3)");
    SqliteStatement result(db, "INSERT INTO account_result VALUES(?1, ?2, ?3, ?4, ?5, 0, ?6, 0, ?7, ?8, ?9, ?10)");
    auto addResult = [&](const QString& accountId, double score, std::int64_t cluster) {
        const std::int64_t id = db.queryInt(("SELECT id FROM account WHERE account_id = '" + accountId.toStdString() + "'").c_str());
        const bool flagged = cluster != 0;
        if (flagged) {
            member.bind(1, c.run);
            member.bind(2, cluster);
            member.bind(3, id);
            member.run();
        }
        result.bind(1, c.run);
        result.bind(2, id);
        result.bind(3, score);
        result.bind(4, score);
        result.bind(5, flagged ? 1 : 0);
        flagged ? result.bind(6, cluster) : result.bindNull(6);
        result.bind(7, flagged && cluster == 1 ? 40 : 10);
        result.bind(8, flagged && cluster == 1 ? 76000 : 19000);
        result.bind(9, kStart);
        result.bind(10, kStart + 2400000);
        result.run();
    };
    for (const QString& a : c.attackers)
        addResult(a, 0.9, 1);
    addResult(c.benign[0], 0.56, 2);
    addResult(c.benign[1], 0.55, 2);
    addResult(c.benign[2], 0.05, 0);
    db.exec(("INSERT INTO reason VALUES(" + std::to_string(c.run)
             + ", 'cluster', 1, 1, 'template', 2.0, '3 accounts send 95% of their requests on one prompt template "
               "(population median 4%).', '{}')").c_str());
    return c;
}

} // namespace ds::test

// Remote baselines: read from the server's row, turned into percentiles, stored in the case and put in place of
// the local ones by detection; and the triage's reading of a table through a format preset.
#include "TestSupport.h"

#include "core/CaseDatabase.h"
#include "core/Sqlite.h"
#include "detect/AccountProfile.h"
#include "detect/PopulationIndicators.h"
#include "ingest/LogFormats.h"
#include "remote/ClickHouseTable.h"
#include "remote/TriageBaselines.h"
#include "remote/TriageRows.h"
#include "remote/TriageRun.h"
#include "remote/TriageSql.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <cmath>

using namespace ds;

namespace {

// baselinesSql's row for a population whose every indicator runs 1..99 at percentiles 1..99 (requests: 10..990).
QByteArray serverRow()
{
    QJsonObject o;
    for (const QString& key : baselineIndicatorKeys()) {
        QJsonArray q;
        for (int i = 1; i <= 99; ++i)
            q.append(key == QLatin1String("requests") ? i * 10 : i);
        o.insert(key + QStringLiteral("_accounts"), QStringLiteral("5000"));
        o.insert(key + QStringLiteral("_mean"), 50.5);
        o.insert(key + QStringLiteral("_q"), q);
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

} // namespace

class TestRemoteTriageBaselines : public QObject
{
    Q_OBJECT

private slots:
    void readsAndInterpolates()
    {
        const std::vector<RemoteBaseline> b = parseRemoteBaselines(serverRow());
        QCOMPARE(b.size(), size_t(14));
        QCOMPARE(b[0].indicator, Indicator::Requests);
        QCOMPARE(b[0].accounts, 5000);
        QCOMPARE(b[0].percentiles[49], 500.0);
        QCOMPARE(remotePercentile(b[0], 5), 0.0);
        QCOMPARE(remotePercentile(b[0], 10), 0.01);
        QCOMPARE(remotePercentile(b[0], 505), 0.505);
        QCOMPARE(remotePercentile(b[0], 2000), 1.0);
        QVERIFY(std::isnan(remotePercentile(b[0], std::nan(""))));
        QVERIFY_THROWS_EXCEPTION(TriageFormatError, parseRemoteBaselines("{\"requests_accounts\":\"1\"}"));
    }

    void replaceLocalFigures()
    {
        // Three pulled accounts: among themselves the busiest is at the top; among the server's 5,000 it is mid-way.
        std::vector<AccountProfile> profiles(3);
        for (size_t i = 0; i < profiles.size(); ++i) {
            profiles[i].requests = 100 + 200 * static_cast<std::int64_t>(i);
            profiles[i].ind.fill(std::nan(""));
            profiles[i].ind[static_cast<size_t>(Indicator::Requests)] = static_cast<double>(profiles[i].requests);
            profiles[i].ind[static_cast<size_t>(Indicator::HourEntropy)] = static_cast<double>(i);
        }
        std::vector<IndicatorValues> pct;
        std::vector<IndicatorBaseline> base = computeBaselines(profiles, pct);
        const double localEntropyP50 = base[static_cast<size_t>(Indicator::HourEntropy)].p50;
        QCOMPARE(pct[2][static_cast<size_t>(Indicator::Requests)], 2.0 / 3.0);
        applyRemoteBaselines(parseRemoteBaselines(serverRow()), profiles, base, pct);
        QCOMPARE(base[static_cast<size_t>(Indicator::Requests)].accounts, 5000);
        QCOMPARE(base[static_cast<size_t>(Indicator::Requests)].p50, 500.0);
        QCOMPARE(pct[2][static_cast<size_t>(Indicator::Requests)], 0.5);
        // Not measured remotely: the local figures stay.
        QCOMPARE(base[static_cast<size_t>(Indicator::HourEntropy)].p50, localEntropyP50);
    }

    void storedWithTheCase()
    {
        ds::test::ScratchDir dir;
        const QString path = dir.file(QStringLiteral("case.sqlite"));
        {
            SqliteDb db = CaseDatabase::openForWriting(path);
            QVERIFY(loadRemoteBaselines(db).empty());
            TriageOutcome o;
            o.baselines = parseRemoteBaselines(serverRow());
            TriageChoice c;
            c.account = QStringLiteral("acct'1");
            c.score = 0.7;
            c.why = WhyOutputProfile | WhyLinked;
            c.requests = 12;
            o.selection.pulled.push_back(c);
            o.selection.rowsTotal = 100;
            o.selection.rowsPulled = 12;
            storeTriage(db, QStringLiteral("clickhouse://analyst@h:8123/db.t"), o, TriageSettings{});
            const std::vector<RemoteBaseline> back = loadRemoteBaselines(db);
            QCOMPARE(back.size(), size_t(14));
            double sum = 0;
            for (const RemoteBaseline& b : back)
                sum += b.percentiles[98];
            QCOMPARE(sum, 990.0 + 13 * 99.0);
        }
        QCOMPARE(ds::test::queryInt(path, "SELECT why FROM triage_account"), static_cast<std::int64_t>(WhyOutputProfile | WhyLinked));
        QCOMPARE(ds::test::queryText(path, "SELECT address FROM triage_run"), QStringLiteral("clickhouse://analyst@h:8123/db.t"));
    }

    void readsAPresetsColumns()
    {
        // Helicone's table: the account is user_id or else proxy_key_id; the prompt lives in the JSON request body.
        ClickHouseTableInfo t;
        t.database = QStringLiteral("default");
        t.table = QStringLiteral("request_response_rmt");
        t.engine = QStringLiteral("ReplacingMergeTree");
        t.needsFinal = true;
        for (const char* c : {"request_id", "request_created_at", "user_id", "proxy_key_id", "request_body", "response_body",
                              "prompt_tokens", "completion_tokens", "organization_id"})
            t.columns.push_back({QString::fromLatin1(c), QStringLiteral("String")});
        t.columns.push_back({QStringLiteral("request_created_at"), QStringLiteral("DateTime64(3)")});
        t.columns.erase(t.columns.begin() + 1);
        const auto mapping = logformats::presetMapping(QStringLiteral("helicone"));
        QVERIFY(mapping);
        const TriageColumns c = triageColumnsFor(t, *mapping, QString());
        QVERIFY(c.table.endsWith(QLatin1String(" FINAL")));
        QVERIFY(c.account.contains(QLatin1String("`user_id`")) && c.account.contains(QLatin1String("`proxy_key_id`")));
        QVERIFY(c.account.indexOf(QLatin1String("user_id")) < c.account.indexOf(QLatin1String("proxy_key_id")));
        QVERIFY(c.prompt.contains(QLatin1String("`request_body`")));
        QVERIFY(!c.templatesKnown);
        QCOMPARE(c.systemPrompt, QStringLiteral("''"));
        QCOMPARE(c.ip, QStringLiteral("''"));
        QVERIFY(c.timestampSeconds.contains(QLatin1String("toUnixTimestamp(`request_created_at`)")));
        QVERIFY(c.toolsOffered.contains(QLatin1String("\"tools\"")));
        QVERIFY(!templateSharesSql(c, {}).contains(QLatin1String("extractAll")));
    }
};

QTEST_GUILESS_MAIN(TestRemoteTriageBaselines)
#include "tst_remote_triage_baselines.moc"

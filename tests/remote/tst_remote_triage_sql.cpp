// The triage SQL as text: detection's phrase lists are the ones counted, only 18.16 functions are used, literals are
// escaped, a time filter and FINAL reach every query. That the SQL runs and gives the right numbers is checked on a
// real server in tst_remote_triage_cluster.
#include "TestSupport.h"
#include "remote/TriageColumns.h"
#include "remote/TriageSql.h"
#include "text/PromptFeatures.h"

#include <QDir>
#include <QFile>
#include <QtTest>

using namespace ds;

class TestRemoteTriageSql : public QObject
{
    Q_OBJECT

private:
    static QStringList allQueries(const TriageColumns& c)
    {
        const TriageSqlOptions o;
        return {accountAggregatesSql(c, o), templateSharesSql(c, o), sharedValuesSql(c, o), baselinesSql(c),
                valuePopulationSql(c, {QStringLiteral("a1")}), valueSizesSql(c), accountStartsSql(c)};
    }

private slots:
    void reasoningPhrasesAreDetections()
    {
        const QString sql = accountAggregatesSql(TriageColumns::canonical(QStringLiteral("db.t")), {});
        for (MarkerList list : {MarkerList::ReasoningDemand, MarkerList::Grading, MarkerList::LongAnswer})
            for (std::string_view p : markerPhrases(list)) {
                const QString phrase = QString::fromUtf8(p.data(), static_cast<qsizetype>(p.size()));
                QVERIFY2(sql.contains(QString(phrase).replace(QLatin1Char('['), QLatin1String("\\\\[")).replace(QLatin1Char(']'), QLatin1String("\\\\]"))), qPrintable(phrase));
            }
        QVERIFY(!markerPhrases(MarkerList::ReasoningDemand).empty());
    }

    void literalsAreEscaped()
    {
        QCOMPARE(sqlString(QStringLiteral("it's a \\ test")), QStringLiteral("'it\\'s a \\\\ test'"));
        const TriageColumns c = TriageColumns::canonical(QStringLiteral("db.t"));
        const QString in = candidateFilterSql(c, {QStringLiteral("a'); DROP TABLE x; --"), QStringLiteral("b")});
        QCOMPARE(in, QStringLiteral("toString(account_id) IN ('a\\'); DROP TABLE x; --','b')"));
        QCOMPARE(candidateFilterSql(c, {}), QStringLiteral("toString(account_id) IN ('')"));
    }

    void pullSettingsFitTheIdList()
    {
        QStringList many;
        for (int i = 0; i < 20000; ++i)
            many << QStringLiteral("acct_%1_with_a_long_identifier").arg(i);
        const QStringList s = triagePullQuerySettings(many);
        QCOMPARE(s.size(), 1);
        const qint64 size = s[0].section(QLatin1Char('='), 1).toLongLong();
        const qint64 needed = candidateFilterSql(TriageColumns::canonical(QStringLiteral("t")), many).toUtf8().size();
        QVERIFY(size > needed);
        QCOMPARE(triagePullQuerySettings({}), QStringList{QStringLiteral("max_query_size=262144")});
    }

    void nothingNewerThan1816()
    {
        // Functions 18.16 lacks (or that newer releases renamed); the server test runs the rest.
        const char* absent[] = {"multiSearch", "JSONExtract", "DateTime64(", "Map(", "groupUniqArray(", "Bool",
                                "isValidUTF8", "rightPad", "countSubstrings", "tupleElement", "toIPv4", "QUALIFY"};
        for (const QString& sql : allQueries(TriageColumns::canonical(QStringLiteral("db.t"))))
            for (const char* f : absent)
                QVERIFY2(!sql.contains(QLatin1String(f)), f);
    }

    void filterAndTableReachEveryQuery()
    {
        TriageColumns c = TriageColumns::canonical(QStringLiteral("`logs`.`requests` FINAL"));
        c.where = QStringLiteral("ts_filter_marker > 0");
        for (const QString& sql : allQueries(c)) {
            // ARRAY JOIN comes between FROM and WHERE in ClickHouse's grammar.
            QVERIFY(sql.contains(QLatin1String("FROM `logs`.`requests` FINAL WHERE ts_filter_marker > 0"))
                    || (sql.contains(QLatin1String("FROM `logs`.`requests` FINAL ARRAY JOIN "))
                        && sql.contains(QLatin1String(" AS kv WHERE ts_filter_marker > 0"))));
            QVERIFY(sql.endsWith(QLatin1String("FORMAT JSONEachRow")));
        }
        // The population query's subquery reads the chosen accounts' rows in the same time range.
        QVERIFY(valuePopulationSql(c, {QStringLiteral("a1")})
                    .contains(QLatin1String("AS kv WHERE (ts_filter_marker > 0) AND toString(account_id) IN ('a1')")));
        QVERIFY(valuePopulationSql(c, {}).contains(QLatin1String("GLOBAL IN")));
        QCOMPARE(baselineIndicatorKeys().size(), 14);
        QCOMPARE(baselinesSql(c).count(QLatin1String("quantilesExactIf(")), 14);
    }

    void timestampTypes()
    {
        QCOMPARE(timestampSecondsExpr(QStringLiteral("ts"), QStringLiteral("DateTime")), QStringLiteral("toInt64(toUnixTimestamp(ts))"));
        QCOMPARE(timestampSecondsExpr(QStringLiteral("ts"), QStringLiteral("DateTime64(3, 'UTC')")),
                 QStringLiteral("toInt64(toUnixTimestamp(ts))"));
        QCOMPARE(timestampSecondsExpr(QStringLiteral("ts"), QStringLiteral("UInt64")), QStringLiteral("intDiv(toInt64(ts), 1000)"));
        QVERIFY(timestampSecondsExpr(QStringLiteral("ts"), QStringLiteral("String")).contains(QLatin1String("parseDateTimeBestEffortOrZero")));
        QVERIFY(timestampSecondsExpr(QStringLiteral("ts"), QStringLiteral("Nullable(DateTime)")).startsWith(QLatin1String("ifNull(")));
    }

    void writeQueriesForInspection()
    {
        // The canonical table's queries, for a person (or a DBA) to read and run by hand.
        const QString dir = QDir(ds::test::outputDir()).filePath(QStringLiteral("triage-sql"));
        QVERIFY(QDir().mkpath(dir));
        const QStringList names = {QStringLiteral("aggregates"), QStringLiteral("templates"), QStringLiteral("shared"),
                                   QStringLiteral("baselines"), QStringLiteral("value_population"),
                                   QStringLiteral("value_sizes"), QStringLiteral("account_starts")};
        const QStringList sql = allQueries(TriageColumns::canonical(QStringLiteral("requests")));
        for (int i = 0; i < names.size(); ++i) {
            QFile f(QDir(dir).filePath(names[i] + QStringLiteral(".sql")));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(sql[i].toUtf8());
        }
    }
};

QTEST_GUILESS_MAIN(TestRemoteTriageSql)
#include "tst_remote_triage_sql.moc"

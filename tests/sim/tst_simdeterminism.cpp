#include "TestSupport.h"

#include "sim/SimCorpus.h"
#include "sim/SimGenerator.h"
#include "sim/SimScenario.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

using namespace ds;

namespace {

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

SimSummary generate(const QString& scenario, const QString& dir, std::uint64_t seed, bool gzip = true)
{
    QString error;
    const SimScenario s = SimScenario::load(scenario, &error);
    if (!error.isEmpty())
        qFatal("%s", qPrintable(error));
    SimOptions o;
    o.outDir = dir;
    o.seed = seed;
    o.gzip = gzip;
    CancelToken cancel;
    return SimGenerator::run(s, o, cancel);
}

} // namespace

// The same scenario, seed and arguments give the same bytes; another seed gives other data.
class TestSimDeterminism : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sameSeedSameBytes()
    {
        test::ScratchDir a, b;
        const SimSummary sa = generate(QStringLiteral("tiny"), a.path(), 7);
        const SimSummary sb = generate(QStringLiteral("tiny"), b.path(), 7);
        QVERIFY2(sa.error.isEmpty(), qPrintable(sa.error));
        QVERIFY(sa.requests > 3000);
        QCOMPARE(sa.requests, sb.requests);
        for (const char* name : {"requests.jsonl.gz", "accounts.csv", "truth.csv"}) {
            const QByteArray x = readAll(a.file(QLatin1String(name))), y = readAll(b.file(QLatin1String(name)));
            QVERIFY2(!x.isEmpty(), name);
            QVERIFY2(x == y, name);
        }
    }

    void gzipHoldsTheSameRecordsAsPlain()
    {
        test::ScratchDir a, b;
        generate(QStringLiteral("tiny"), a.path(), 3, true);
        generate(QStringLiteral("tiny"), b.path(), 3, false);
        const QByteArray plain = readAll(b.file(QStringLiteral("requests.jsonl")));
        QVERIFY(plain.size() > 1000000);
        QCOMPARE(simGunzip(readAll(a.file(QStringLiteral("requests.jsonl.gz")))), plain);
    }

    void differentSeedDifferentData()
    {
        test::ScratchDir a, b;
        generate(QStringLiteral("tiny"), a.path(), 1);
        generate(QStringLiteral("tiny"), b.path(), 2);
        const QByteArray ta = readAll(a.file(QStringLiteral("truth.csv"))), tb = readAll(b.file(QStringLiteral("truth.csv")));
        QVERIFY(ta != tb);
        // Not just other identifiers: the first request lines differ in more than their ids.
        const QByteArray ra = simGunzip(readAll(a.file(QStringLiteral("requests.jsonl.gz"))));
        const QByteArray rb = simGunzip(readAll(b.file(QStringLiteral("requests.jsonl.gz"))));
        const QJsonObject la = QJsonDocument::fromJson(ra.left(ra.indexOf('\n'))).object();
        const QJsonObject lb = QJsonDocument::fromJson(rb.left(rb.indexOf('\n'))).object();
        QVERIFY(la.value(QStringLiteral("timestamp")) != lb.value(QStringLiteral("timestamp")) ||
                la.value(QStringLiteral("prompt")) != lb.value(QStringLiteral("prompt")));
        QVERIFY(ra.size() != rb.size());
    }

    void cliWritesTheSameBytesAsAPrintedScenarioFile()
    {
        // A user copies --print-scenario's output into a file and runs it: same data as the built-in.
        test::ScratchDir d;
        const test::CliResult printed = test::runCli({QStringLiteral("simulate"), QStringLiteral("--print-scenario"), QStringLiteral("tiny")});
        QCOMPARE(printed.exitCode, 0);
        const QString file = d.write(QStringLiteral("my-scenario.json"), printed.out);
        const test::CliResult r1 = test::runCli({QStringLiteral("simulate"), QStringLiteral("--out"), d.file(QStringLiteral("a")),
                                                 QStringLiteral("--scenario"), QStringLiteral("tiny"), QStringLiteral("--seed"), QStringLiteral("5")});
        const test::CliResult r2 = test::runCli({QStringLiteral("simulate"), QStringLiteral("--out"), d.file(QStringLiteral("b")),
                                                 QStringLiteral("--scenario"), file, QStringLiteral("--seed"), QStringLiteral("5")});
        QVERIFY2(r1.exitCode == 0, r1.err.constData());
        QVERIFY2(r2.exitCode == 0, r2.err.constData());
        QVERIFY(r1.out.contains("requests"));
        QCOMPARE(readAll(d.file(QStringLiteral("a/requests.jsonl.gz"))), readAll(d.file(QStringLiteral("b/requests.jsonl.gz"))));
        QCOMPARE(readAll(d.file(QStringLiteral("a/truth.csv"))), readAll(d.file(QStringLiteral("b/truth.csv"))));
    }

    void cliRejectsBadArguments()
    {
        test::ScratchDir d;
        QCOMPARE(test::runCli({QStringLiteral("simulate"), QStringLiteral("--out"), d.path(), QStringLiteral("--scenario"),
                               QStringLiteral("nope")}).exitCode, 2);
        // Each bad value is named on its own, so the user knows which one to change.
        const test::CliResult badScale = test::runCli({QStringLiteral("simulate"), QStringLiteral("--out"), d.path(),
                                                       QStringLiteral("--scale"), QStringLiteral("-1")});
        QCOMPARE(badScale.exitCode, 2);
        QVERIFY2(badScale.err.contains("--scale") && !badScale.err.contains("--seed"), badScale.err.constData());
        const test::CliResult badSeed = test::runCli({QStringLiteral("simulate"), QStringLiteral("--out"), d.path(),
                                                      QStringLiteral("--seed"), QStringLiteral("abc")});
        QCOMPARE(badSeed.exitCode, 2);
        QVERIFY2(badSeed.err.contains("--seed") && !badSeed.err.contains("--scale"), badSeed.err.constData());
        // The usage line names the command to type, not the executable's path alone.
        const test::CliResult noOut = test::runCli({QStringLiteral("simulate")});
        QCOMPARE(noOut.exitCode, 2);
        QVERIFY2(noOut.err.contains("Usage: distillscope-cli simulate [options]"), noOut.err.constData());
        const test::CliResult list = test::runCli({QStringLiteral("simulate"), QStringLiteral("--list-scenarios")});
        QCOMPARE(list.exitCode, 0);
        // Every name stands apart from its description, the longest ("adversarial") included.
        for (const char* n : {"tiny", "small", "demo", "campaign", "adversarial"}) {
            const QRegularExpression line(QStringLiteral("^%1 +\\S").arg(QLatin1String(n)),
                                          QRegularExpression::MultilineOption);
            QVERIFY2(line.match(QString::fromUtf8(list.out)).hasMatch(), n);
        }
    }
};

QTEST_GUILESS_MAIN(TestSimDeterminism)
#include "tst_simdeterminism.moc"

#include "LogRoundTrip.h"

#include "TestSupport.h"

#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

namespace ds::test {

namespace {

// The body of simulateTiny, in a void function so that QVERIFY may return from it.
void simulate(const ScratchDir& dir, const QString& seed, const QStringList& more, qint64* requests)
{
    const CliResult sim = runCli(QStringList{QStringLiteral("simulate"), QStringLiteral("--out"), dir.path(),
                                             QStringLiteral("--scenario"), QStringLiteral("tiny"), QStringLiteral("--seed"), seed}
                                 + more);
    QVERIFY2(sim.exitCode == 0, sim.err.constData());
    const QRegularExpressionMatch simulated
        = QRegularExpression(QStringLiteral("^(\\d+) requests"), QRegularExpression::MultilineOption).match(QString::fromUtf8(sim.out));
    QVERIFY2(simulated.hasMatch(), sim.out.constData());
    const qint64 written = simulated.captured(1).toLongLong();
    QVERIFY(written > 1000);
    *requests = written;
}

void scan(const ScratchDir& dir, const QString& requestsFile, const QString& format, qint64 requests, const QString& label,
          QJsonObject* out)
{
    const QString caseDb = dir.file(QStringLiteral("case.sqlite"));
    const QString results = dir.file(QStringLiteral("results.json"));
    const CliResult scanned = runCli({QStringLiteral("scan"), QStringLiteral("--db"), caseDb, QStringLiteral("--json"), results,
                                      requestsFile, dir.file(QStringLiteral("accounts.csv"))});
    QVERIFY2(scanned.exitCode == 0, scanned.err.constData());
    // Recognised by content, not forced: the scan names the format it read the requests as.
    QVERIFY2(scanned.out.contains(QStringLiteral("(%1, %2 records, 0 quarantined)").arg(format).arg(requests).toUtf8()),
             scanned.out.constData());
    QCOMPARE(queryInt(caseDb, "SELECT count(*) FROM quarantine"), 0);
    QCOMPARE(queryInt(caseDb, "SELECT count(*) FROM request"), requests);
    // Every request kept its prompt: the last user turn of the message arrays where the format has them.
    QCOMPARE(queryInt(caseDb, "SELECT count(*) FROM request_text WHERE prompt IS NULL OR ds_text(prompt) = ''"), 0);

    const CliResult eval = runCli({QStringLiteral("eval"), QStringLiteral("--truth"), dir.file(QStringLiteral("truth.csv")),
                                   QStringLiteral("--results"), results, QStringLiteral("--json")});
    QVERIFY2(eval.exitCode == 0, eval.err.constData());
    qInfo().noquote() << label << QString::fromUtf8(eval.out).trimmed();
    const QJsonObject r = QJsonDocument::fromJson(eval.out).object();
    QCOMPARE(r.value(QStringLiteral("missing_from_results")).toInt(), 0);
    QVERIFY(r.value(QStringLiteral("attackers")).toInt() > 50);
    const double precision = r.value(QStringLiteral("precision")).toDouble();
    QVERIFY2(precision >= kRoundTripMinPrecision,
             qPrintable(QStringLiteral("%1: precision %2 below %3").arg(label).arg(precision).arg(kRoundTripMinPrecision)));
    const double recall = r.value(QStringLiteral("recall")).toDouble();
    QVERIFY2(recall >= kRoundTripMinRecall,
             qPrintable(QStringLiteral("%1: recall %2 below %3").arg(label).arg(recall).arg(kRoundTripMinRecall)));
    *out = r;
}

} // namespace

qint64 simulateTiny(const ScratchDir& dir, const QString& seed, const QStringList& more)
{
    qint64 requests = -1;
    simulate(dir, seed, more, &requests);
    return requests;
}

QJsonObject scanAndScore(const ScratchDir& dir, const QString& requestsFile, const QString& format, qint64 requests,
                         const QString& label)
{
    QJsonObject r;
    scan(dir, requestsFile, format, requests, label, &r);
    return r;
}

} // namespace ds::test

#include "core/CsvText.h"

#include <QTest>

using namespace ds;

// CSV cells: RFC 4180 quoting, and formulas neutralised only where asked.
class TestCsvText : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void quotesWhatNeedsQuoting()
    {
        QCOMPARE(csvField(QStringLiteral("plain")), QByteArray("plain"));
        QCOMPARE(csvField(QStringLiteral("a,b")), QByteArray("\"a,b\""));
        QCOMPARE(csvField(QStringLiteral("say \"hi\"")), QByteArray("\"say \"\"hi\"\"\""));
        QCOMPARE(csvField(QStringLiteral("two\nlines")), QByteArray("\"two\nlines\""));
        QCOMPARE(csvLine({QStringLiteral("a"), QString(), QStringLiteral("c,d")}), QByteArray("a,,\"c,d\"\n"));
    }

    void neutralisesFormulasForPeople()
    {
        QCOMPARE(csvField(QStringLiteral("=HYPERLINK(\"x\")")), QByteArray("\"'=HYPERLINK(\"\"x\"\")\""));
        QCOMPARE(csvField(QStringLiteral("@SUM(A1)")), QByteArray("\"'@SUM(A1)\""));
        QCOMPARE(csvField(QStringLiteral("-2")), QByteArray("\"'-2\""));
        QCOMPARE(csvField(QStringLiteral("a=b")), QByteArray("a=b"));
    }

    void keepsValuesExactForTools()
    {
        QCOMPARE(csvField(QStringLiteral("=HYPERLINK(1)"), CsvFormulas::KeepExact), QByteArray("=HYPERLINK(1)"));
        QCOMPARE(csvField(QStringLiteral("-2"), CsvFormulas::KeepExact), QByteArray("-2"));
        QCOMPARE(csvLine({QStringLiteral("it's"), QStringLiteral("x,y")}, CsvFormulas::KeepExact), QByteArray("it's,\"x,y\"\n"));
    }
};

QTEST_GUILESS_MAIN(TestCsvText)
#include "tst_csvtext.moc"

#include "text/CsvText.h"

#include <QTest>

using namespace ds;

// CSV cells: RFC 4180 quoting, formulas and terminal escapes neutralised in every file we write.
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

    void neutralisesFormulas()
    {
        QCOMPARE(csvField(QStringLiteral("=HYPERLINK(\"x\")")), QByteArray("\"'=HYPERLINK(\"\"x\"\")\""));
        QCOMPARE(csvField(QStringLiteral("@SUM(A1)")), QByteArray("\"'@SUM(A1)\""));
        QCOMPARE(csvField(QStringLiteral("+cmd|' /C calc'!A0")), QByteArray("\"'+cmd|' /C calc'!A0\""));
        QCOMPARE(csvField(QStringLiteral("-2+3")), QByteArray("\"'-2+3\""));
        QCOMPARE(csvField(QStringLiteral("a=b")), QByteArray("a=b"));
    }

    void leadingTabOrCarriageReturnIsAFormulaToo()
    {
        QCOMPARE(csvField(QStringLiteral("\t=1+1")), QByteArray("\"'\t=1+1\""));
        const QByteArray cr = csvField(QStringLiteral("\r=1+1"));
        QVERIFY2(cr.startsWith("\"'"), cr.constData());
        QVERIFY2(!cr.contains('\r'), cr.constData());
    }

    void plainNumbersStayNumbers()
    {
        QCOMPARE(csvField(QStringLiteral("-2")), QByteArray("-2"));
        QCOMPARE(csvField(QStringLiteral("+3.25")), QByteArray("+3.25"));
        QCOMPARE(csvField(QStringLiteral("-1e-3")), QByteArray("-1e-3"));
        QCOMPARE(csvField(QStringLiteral("-")), QByteArray("\"'-\""));
        QCOMPARE(csvField(QStringLiteral("-1e")), QByteArray("\"'-1e\""));
    }

    void escapesAndNulBecomeVisibleMarks()
    {
        const QByteArray esc = csvField(QStringLiteral("id\x1b[2Jcleared"));
        QVERIFY2(!esc.contains('\x1b'), esc.constData());
        QVERIFY2(esc.contains("\xe2\x80\xb9" "ESC" "\xe2\x80\xba"), esc.constData()); // ‹ESC›
        const QByteArray nul = csvField(QString::fromUtf8("a\0b", 3));
        QVERIFY2(!nul.contains('\0'), nul.toHex().constData());
        const QByteArray rlo = csvField(QString::fromUtf8("user\u202Egpj.exe"));
        QVERIFY2(!rlo.contains("\u202E"), rlo.constData());
    }

    void everyCellOfALineIsNeutralised()
    {
        QCOMPARE(csvLine({QStringLiteral("=1"), QStringLiteral("5")}), QByteArray("\"'=1\",5\n"));
    }
};

QTEST_GUILESS_MAIN(TestCsvText)
#include "tst_csvtext.moc"

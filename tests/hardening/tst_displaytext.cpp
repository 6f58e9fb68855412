#include "TestSupport.h"
#include "text/DisplayText.h"

#include <QElapsedTimer>
#include <QTest>

using namespace ds;

// displaytext: every hostile string comes out without control, direction or
// invisible characters, as visible marks; ordinary text is untouched; cutting
// and the helpers for sentences, menus and tooltips. Test thread only.
class TestDisplayText : public QObject
{
    Q_OBJECT

private slots:
    void ordinaryTextUnchanged();
    void controlsBecomeNamedMarks();
    void directionAndInvisibleCharacters();
    void combiningMarksAreCapped();
    void brokenUtf16();
    void everyHostileStringIsNeutralised();
    void idempotent();
    void cutting();
    void embeddedAndActionText();
    void tooltipIsEscaped();
    void megabyteIsQuick();
};

namespace {
bool clean(const QString& s, bool lines)
{
    for (const uint c : s.toUcs4()) {
        if (lines && (c == '\n' || c == '\t' || c == 0x200C || c == 0x200D))
            continue;
        if (c < 0x20 || (c >= 0x7F && c < 0xA0) || c == 0x2028 || c == 0x2029
            || QChar::category(char32_t(c)) == QChar::Other_Format)
            return false;
    }
    return true;
}
} // namespace

void TestDisplayText::ordinaryTextUnchanged()
{
    for (const QString& s :
         { QStringLiteral("acct_ring_3"), QStringLiteral("anthropic-python/0.39.0"),
           QStringLiteral("<b>not bold</b> & \"quotes\""), QStringLiteral("\u05E9\u05DC\u05D5\u05DD 123"),
           QString::fromUtf8("caf\xC3\xA9 \xF0\x9F\x98\x80"), QStringLiteral("e\u0301\u0302") }) {
        QCOMPARE(displaytext::cell(s), s);
        QCOMPARE(displaytext::multiline(s), s);
        QVERIFY(!displaytext::needsNeutralising(s));
    }
    QCOMPARE(displaytext::multiline(QStringLiteral("a\n\tb")), QStringLiteral("a\n\tb"));
}

void TestDisplayText::controlsBecomeNamedMarks()
{
    QCOMPARE(displaytext::cell(QStringLiteral("a\u001b[31mb\u0000c\u007f")),
             QStringLiteral("a\u2039ESC\u203A[31mb\u2039NUL\u203Ac\u2039DEL\u203A"));
    QCOMPARE(displaytext::cell(QStringLiteral("x\u0085y")), QStringLiteral("x\u2039NEL\u203Ay"));
    QCOMPARE(displaytext::cell(QStringLiteral("one\r\ntwo\tthree\rfour")),
             QStringLiteral("one\u21B5two\u2192three\u2039CR\u203Afour"));
    QCOMPARE(displaytext::multiline(QStringLiteral("one\r\ntwo\u2028three")), QStringLiteral("one\ntwo\nthree"));
    QVERIFY(displaytext::needsNeutralising(QStringLiteral("a\tb")));
}

void TestDisplayText::directionAndInvisibleCharacters()
{
    QCOMPARE(displaytext::cell(QStringLiteral("acct-\u202Egpj.exe")), QStringLiteral("acct-\u2039RLO\u203Agpj.exe"));
    QCOMPARE(displaytext::cell(QStringLiteral("\u2066i\u2069\u200Bz\uFEFF")),
             QStringLiteral("\u2039LRI\u203Ai\u2039PDI\u203A\u2039ZWSP\u203Az\u2039BOM\u203A"));
    // A tag character (invisible "ASCII smuggling") shows its code point.
    QCOMPARE(displaytext::cell(QString::fromUcs4(U"a\U000E0041")), QStringLiteral("a\u2039U+E0041\u203A"));
    // Joiners: kept inside words and emoji in text boxes, marked in one-line cells.
    const QString family = QString::fromUtf8("\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7");
    QCOMPARE(displaytext::multiline(family), family);
    QVERIFY(displaytext::cell(family).contains(QStringLiteral("\u2039ZWJ\u203A")));
    QVERIFY(displaytext::isBidiControl(0x202E) && displaytext::isBidiControl(0x2068)
            && !displaytext::isBidiControl('a'));
}

void TestDisplayText::combiningMarksAreCapped()
{
    const QString zalgo = QStringLiteral("Z") + QString(15, QChar(0x0351)) + QStringLiteral("x");
    QCOMPARE(displaytext::cell(zalgo),
             QStringLiteral("Z") + QString(4, QChar(0x0351)) + QStringLiteral("\u2039+11 marks\u203Ax"));
}

void TestDisplayText::brokenUtf16()
{
    QString lone = QStringLiteral("a");
    lone += QChar(0xD800);
    lone += QStringLiteral("b");
    QCOMPARE(displaytext::cell(lone), QStringLiteral("a\uFFFDb"));
    QVERIFY(displaytext::needsNeutralising(lone));
    QCOMPARE(displaytext::cell(QString(QChar(0xFFFE))), QString(QChar(0xFFFD)));
}

void TestDisplayText::everyHostileStringIsNeutralised()
{
    for (const QString& s : test::hostileStrings()) {
        QVERIFY2(clean(displaytext::cell(s, -1), false), qPrintable(s.left(40)));
        QVERIFY2(clean(displaytext::multiline(s), true), qPrintable(s.left(40)));
        // Markup is left as it is: it is text, shown as typed.
        if (s.contains(QLatin1Char('<')))
            QVERIFY(displaytext::cell(s, -1).contains(QLatin1Char('<')));
    }
}

void TestDisplayText::idempotent()
{
    for (const QString& s : test::hostileStrings()) {
        const QString once = displaytext::cell(s, -1);
        QCOMPARE(displaytext::cell(once, -1), once);
        QVERIFY(!displaytext::needsNeutralising(once));
        const QString lines = displaytext::multiline(s);
        QCOMPARE(displaytext::multiline(lines), lines);
    }
}

void TestDisplayText::cutting()
{
    const QString w(4096, QLatin1Char('W'));
    QCOMPARE(displaytext::cell(w, 10), QString(10, QLatin1Char('W')) + QChar(0x2026));
    // Never inside a surrogate pair.
    const QString emoji = QString::fromUtf8("\xF0\x9F\x98\x80\xF0\x9F\x98\x80");
    QCOMPARE(displaytext::cell(emoji, 3), QString::fromUtf8("\xF0\x9F\x98\x80") + QChar(0x2026));
    // A text box cut says how much is left out, at a word boundary near the limit.
    const QString words = QStringLiteral("alpha beta gamma delta ").repeated(100);
    const QString cut = displaytext::multiline(words, 200);
    QVERIFY(cut.size() < 280);
    QVERIFY(cut.contains(QStringLiteral("more characters not shown]")));
    QVERIFY(cut.section(QLatin1Char('\n'), 0, 0).endsWith(QLatin1String("delta"))
            || cut.section(QLatin1Char('\n'), 0, 0).endsWith(QLatin1String("gamma"))
            || cut.section(QLatin1Char('\n'), 0, 0).endsWith(QLatin1String("beta"))
            || cut.section(QLatin1Char('\n'), 0, 0).endsWith(QLatin1String("alpha")));
    QCOMPARE(displaytext::multiline(words, -1), words);
}

void TestDisplayText::embeddedAndActionText()
{
    QCOMPARE(displaytext::embedded(QStringLiteral("\u05E9\u05DC\u05D5\u05DD 123")),
             QStringLiteral("\u2068\u05E9\u05DC\u05D5\u05DD 123\u2069"));
    // The value's own isolates are marks; only the wrapper is a real FSI … PDI.
    QCOMPARE(displaytext::embedded(QStringLiteral("\u2068x")), QStringLiteral("\u2068\u2039FSI\u203Ax\u2069"));
    QCOMPARE(displaytext::actionText(QStringLiteral("R&D")), QStringLiteral("\u2068R&&D\u2069"));
}

void TestDisplayText::tooltipIsEscaped()
{
    const QString tip = displaytext::tooltip(QStringLiteral("<b>bold</b>\n\u202Ex"));
    QCOMPARE(tip, QStringLiteral("<p style=\"white-space:pre-wrap\">&lt;b&gt;bold&lt;/b&gt;<br>\u2039RLO\u203Ax</p>"));
    QVERIFY(displaytext::tooltip(QString(100000, QLatin1Char('x'))).size() < 2200);
}

void TestDisplayText::megabyteIsQuick()
{
    const QString huge = test::hostileLog(1 << 20).hugePrompt;
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < 1000; ++i)
        QVERIFY(displaytext::cell(huge, 300).size() < 400); // only what is shown is read
    const QString whole = displaytext::multiline(huge);
    QVERIFY(whole.size() >= huge.size());
    qInfo("1000 cells and one whole megabyte: %lld ms", t.elapsed());
    QVERIFY(t.elapsed() < 5000);
}

QTEST_GUILESS_MAIN(TestDisplayText)
#include "tst_displaytext.moc"

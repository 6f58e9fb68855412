#include "core/Timestamp.h"

#include <QTest>

using namespace ds;

// Parsing and printing of the log format's timestamps.
class TestTimestamp : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesRfc3339_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("ms");
        QTest::newRow("zulu millis") << "2026-02-03T14:22:05.123Z" << qint64(1770128525123);
        QTest::newRow("no fraction") << "2026-02-03T14:22:05Z" << qint64(1770128525000);
        QTest::newRow("micro fraction truncated") << "2026-02-03T14:22:05.123999Z" << qint64(1770128525123);
        QTest::newRow("one digit fraction") << "2026-02-03T14:22:05.5Z" << qint64(1770128525500);
        QTest::newRow("positive offset") << "2026-02-03T19:52:05.123+05:30" << qint64(1770128525123);
        QTest::newRow("negative offset") << "2026-02-03T09:22:05.123-05:00" << qint64(1770128525123);
        QTest::newRow("space separator") << "2026-02-03 14:22:05.123Z" << qint64(1770128525123);
        QTest::newRow("epoch") << "1970-01-01T00:00:00Z" << qint64(0);
        QTest::newRow("leap day") << "2024-02-29T00:00:00Z" << qint64(1709164800000);
        QTest::newRow("epoch millis text") << "1770128525123" << qint64(1770128525123);
    }
    void parsesRfc3339()
    {
        QFETCH(QString, text);
        QFETCH(qint64, ms);
        const auto parsed = timestamp::parseAny(text.toStdString());
        QVERIFY(parsed.has_value());
        QCOMPARE(*parsed, ms);
    }

    void rejectsMalformed_data()
    {
        QTest::addColumn<QString>("text");
        for (const char* bad : {"", "yesterday", "2026-02-03", "2026-02-03T14:22:05", "2026-13-03T14:22:05Z",
                                "2026-02-30T14:22:05Z", "2026-02-03T24:00:00Z", "2026-02-03T14:22:05.Z",
                                "2026-02-03T14:22:05Zjunk", "2026-02-03T14:22:05+0530", "-1770128525123", "12a4"})
            QTest::newRow(bad) << QString::fromLatin1(bad);
    }
    void rejectsMalformed()
    {
        QFETCH(QString, text);
        QVERIFY(!timestamp::parseAny(text.toStdString()).has_value());
    }

    void printsIso()
    {
        QCOMPARE(timestamp::toIso(1770128525123), QStringLiteral("2026-02-03T14:22:05.123Z"));
        QCOMPARE(timestamp::toIso(0), QStringLiteral("1970-01-01T00:00:00.000Z"));
        QCOMPARE(timestamp::toIso(-1), QStringLiteral("1969-12-31T23:59:59.999Z"));
    }

    void roundTripsOverManyDays()
    {
        for (std::int64_t ms = 0; ms < 4102444800000; ms += 86400000LL * 37 + 3723004) {
            const auto back = timestamp::parseRfc3339(timestamp::toIsoStd(ms));
            QVERIFY(back.has_value());
            QCOMPARE(*back, ms);
        }
    }
};

QTEST_GUILESS_MAIN(TestTimestamp)
#include "tst_timestamp.moc"

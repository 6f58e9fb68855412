#include "util/FittedStatusMessage.h"

#include <QLabel>
#include <QMainWindow>
#include <QStatusBar>
#include <QTest>

using namespace ds;

// A long status message is cut with an ellipsis beside the permanent widgets,
// and cut again when they grow, instead of being painted under them.
class TestStatusMessage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fitsBesideThePermanentWidgetsAndRefits()
    {
        QMainWindow window;
        window.resize(700, 200);
        auto* label = new QLabel(QStringLiteral("Case a.sqlite"));
        window.statusBar()->addPermanentWidget(label);
        FittedStatusMessage message(window.statusBar(), {label});
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QStatusBar* bar = window.statusBar();
        const QString text = QStringLiteral("Imported: 1,000,000 requests from 20,000 accounts in the case, "
                                            "0 records quarantined. <b>not bold</b> and more words after it");

        auto roomLeft = [&] { return bar->width() - label->width() - bar->fontMetrics().averageCharWidth() * 4; };
        message.show(text, 60000);
        const QString first = bar->currentMessage();
        QVERIFY2(first.endsWith(QChar(0x2026)), qPrintable(first));
        QVERIFY(bar->fontMetrics().horizontalAdvance(first) <= roomLeft());
        QVERIFY(bar->toolTip().contains(QStringLiteral("more words after it")));
        QVERIFY(!bar->toolTip().contains(QStringLiteral("<b>"))); // escaped: shown literally

        // The permanent widget grows (the case's counts arrive): the message is cut again.
        label->setText(QStringLiteral("1,000,000 requests · 20,000 accounts · 0 quarantined · 1 file(s)"));
        QTRY_VERIFY(bar->currentMessage().size() < first.size());
        QVERIFY(bar->fontMetrics().horizontalAdvance(bar->currentMessage()) <= roomLeft());

        // Another message replaces it: the tooltip of the old one goes.
        bar->showMessage(QStringLiteral("Detection results loaded"));
        QVERIFY(bar->toolTip().isEmpty());

        // A message that fits is shown whole, without a tooltip.
        message.show(QStringLiteral("Saved."), 60000);
        QCOMPARE(bar->currentMessage(), QStringLiteral("Saved."));
        QVERIFY(bar->toolTip().isEmpty());
    }
};

QTEST_MAIN(TestStatusMessage)
#include "tst_statusmessage.moc"

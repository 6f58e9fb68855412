// The Templates tab on operations whose accounts each word their own prompts (issue 16): the careful adversary of the
// `adversarial` scenario (a wrapper of its own per account, every task sampled by two or three accounts) and the hydra
// campaigns of `campaign` (wrappers edited request by request). Grouped by exact template their groups are one account
// wide and say nothing; the tab counts the three groupings (template, opening, task) and shows the one that puts the
// most requests into groups two or more accounts share, saying in words what a group is and how far the groups reach.
// Each scenario's tab is saved as a PNG in test-output/templates-tab-*.png, to be looked at.
#include "TestSupport.h"

#include "core/CaseDatabase.h"
#include "core/Sqlite.h"
#include "views/EvidenceView.h"
#include "views/TemplatesPanel.h"

#include <QComboBox>
#include <QLabel>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>
#include <QtTest>

#include <memory>

using namespace ds;

class TestTemplatesTab : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void adversarialOperationSharesTasks();
    void campaignNetworksShareSomething();

private:
    struct Network
    {
        std::int64_t run = 0, cluster = 0;
        std::vector<std::int64_t> members;
    };
    // Simulates `scenario`, imports and detects it through the CLI; the case's path.
    static QString detected(const test::ScratchDir& dir, const QStringList& simulateArgs);
    // The flagged networks of the case's latest run, most accounts first.
    static std::vector<Network> networks(const QString& db);
    // Shows `n` in an Evidence view on its Templates tab and waits for the three groupings.
    void show(EvidenceView& view, const Network& n);
    static void checkTellingGrouping(const EvidenceView& view, int accounts);
};

QString TestTemplatesTab::detected(const test::ScratchDir& dir, const QStringList& simulateArgs)
{
    const QString sim = dir.file(QStringLiteral("sim"));
    test::CliResult r = test::runCli(QStringList{QStringLiteral("simulate"), QStringLiteral("--out"), sim} + simulateArgs, 300000);
    if (r.exitCode != 0)
        return {};
    const QString db = dir.file(QStringLiteral("case.sqlite"));
    r = test::runCli({QStringLiteral("import"), QStringLiteral("--db"), db, sim + QStringLiteral("/requests.jsonl.gz"),
                      sim + QStringLiteral("/accounts.csv")},
                     300000);
    if (r.exitCode != 0)
        return {};
    r = test::runCli({QStringLiteral("detect"), QStringLiteral("--db"), db}, 300000);
    return r.exitCode == 0 ? db : QString();
}

std::vector<TestTemplatesTab::Network> TestTemplatesTab::networks(const QString& db)
{
    SqliteDb conn = CaseDatabase::openForReading(db);
    const std::int64_t run = conn.queryInt("SELECT max(id) FROM detection_run WHERE status = 'done'", 0);
    std::vector<Network> out;
    SqliteStatement st(conn, "SELECT id FROM cluster WHERE run = ? ORDER BY accounts DESC, id");
    st.bind(1, run);
    while (st.step())
        out.push_back({run, st.columnInt(0), {}});
    for (Network& n : out) {
        SqliteStatement m(conn, "SELECT account FROM cluster_member WHERE run = ? AND cluster = ? ORDER BY account");
        m.bind(1, run);
        m.bind(2, n.cluster);
        while (m.step())
            n.members.push_back(m.columnInt(0));
    }
    return out;
}

void TestTemplatesTab::show(EvidenceView& view, const Network& n)
{
    view.tabs()->setCurrentIndex(0);
    view.showSubject(n.run, n.cluster, n.members);
    QVERIFY(QTest::qWaitFor([&] { return !view.isLoading(); }, 120000));
    TemplatesPanel* panel = view.templatesPanel();
    QVERIFY(!panel->groupsLoaded());
    // Counted when the tab is shown, not with every selection.
    view.tabs()->setCurrentWidget(panel);
    QTRY_VERIFY_WITH_TIMEOUT(panel->groupsLoaded(), 120000);
}

// The grouping shown is the one whose groups two or more accounts share the most, its table lists groups of two or
// more accounts, and the words say what a group is and how far the groups reach.
void TestTemplatesTab::checkTellingGrouping(const EvidenceView& view, int accounts)
{
    TemplatesPanel* panel = view.templatesPanel();
    const PromptGroups& g = panel->groups();
    QCOMPARE(g.accounts, accounts);
    const PromptGrouping shown = panel->grouping();
    QCOMPARE(shown, g.telling());
    for (int i = 0; i < kPromptGroupingCount; ++i)
        QVERIFY(g.of(shown).shared >= g.by[static_cast<std::size_t>(i)].shared);
    QCOMPARE(panel->groupingBox()->currentText(), promptgroups::title(shown));
    const QString summary = panel->summaryLabel()->text();
    QVERIFY2(summary.startsWith(promptgroups::meaning(shown)), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("by two or more of the %1 accounts").arg(QLocale(QLocale::English).toString(accounts))),
             qPrintable(summary));
    QTableWidget* table = panel->table();
    QVERIFY(table->rowCount() > 0);
    QCOMPARE(table->rowCount(), int(g.of(shown).top.size()));
    // Named in words, not by a key; its first group is used by more than one account.
    QVERIFY2(table->item(0, 0)->text().startsWith(QChar(0x201C)), qPrintable(table->item(0, 0)->text()));
    QVERIFY(table->item(0, 2)->text().toInt() >= 2);
    QVERIFY(g.of(shown).widest >= 2);
}

void TestTemplatesTab::adversarialOperationSharesTasks()
{
    test::ScratchDir dir;
    const QString db = detected(dir, {QStringLiteral("--scenario"), QStringLiteral("adversarial"), QStringLiteral("--seed"), QStringLiteral("3")});
    QVERIFY(!db.isEmpty());
    const std::vector<Network> nets = networks(db);
    QVERIFY(!nets.empty());
    EvidenceView view;
    view.resize(1300, 800);
    view.setCase(db);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const Network& top = nets.front();
    show(view, top);
    if (QTest::currentTestFailed())
        return;
    const PromptGroups& g = view.templatesPanel()->groups();
    // Each account words its own wrapper: by template, hardly anything is shared.
    const PromptGroupCounts& templ = g.of(PromptGrouping::Template);
    const PromptGroupCounts& task = g.of(PromptGrouping::Task);
    qInfo("adversarial network of %zu accounts: template groups shared %lld of %lld requests (widest %d), openings %lld (widest %d), "
          "tasks %lld (widest %d)",
          top.members.size(), static_cast<long long>(templ.shared), static_cast<long long>(templ.requests), templ.widest,
          static_cast<long long>(g.of(PromptGrouping::Opening).shared), g.of(PromptGrouping::Opening).widest,
          static_cast<long long>(task.shared), task.widest);
    QCOMPARE(view.templatesPanel()->grouping(), PromptGrouping::Task);
    QVERIFY(task.shared > 3 * templ.shared);
    checkTellingGrouping(view, static_cast<int>(top.members.size()));
    // The examples show the task inside each account's own wording.
    QVERIFY(view.findChild<QWidget*>(QStringLiteral("templateExamples")));
    QVERIFY(view.grab().save(test::outputDir() + QStringLiteral("/templates-tab-adversarial.png")));
    // The analyst can still look at the templates, and the tab says what the other grouping shows.
    view.templatesPanel()->setGrouping(PromptGrouping::Template);
    QVERIFY2(view.templatesPanel()->summaryLabel()->text().contains(QStringLiteral("\u201CSame task\u201D puts more of them")),
             qPrintable(view.templatesPanel()->summaryLabel()->text()));
    QVERIFY(view.grab().save(test::outputDir() + QStringLiteral("/templates-tab-adversarial-by-template.png")));
}

void TestTemplatesTab::campaignNetworksShareSomething()
{
    test::ScratchDir dir;
    const QString db = detected(dir, {QStringLiteral("--scenario"), QStringLiteral("campaign"), QStringLiteral("--scale"), QStringLiteral("0.004"),
                                      QStringLiteral("--seed"), QStringLiteral("3")});
    QVERIFY(!db.isEmpty());
    const std::vector<Network> nets = networks(db);
    QVERIFY(!nets.empty());
    EvidenceView view;
    view.resize(1300, 800);
    view.setCase(db);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    int i = 0;
    for (const Network& n : nets) {
        show(view, n);
        if (QTest::currentTestFailed())
            return;
        const PromptGroups& g = view.templatesPanel()->groups();
        qInfo("campaign network %lld of %zu accounts: shared requests by template %lld, opening %lld, task %lld of %lld; shown: %s",
              static_cast<long long>(n.cluster), n.members.size(), static_cast<long long>(g.of(PromptGrouping::Template).shared),
              static_cast<long long>(g.of(PromptGrouping::Opening).shared), static_cast<long long>(g.of(PromptGrouping::Task).shared),
              static_cast<long long>(g.of(PromptGrouping::Template).requests), qPrintable(promptgroups::title(view.templatesPanel()->grouping())));
        checkTellingGrouping(view, static_cast<int>(n.members.size()));
        QVERIFY(view.grab().save(test::outputDir() + QStringLiteral("/templates-tab-campaign-%1.png").arg(++i)));
        if (i == 3)
            break;
    }
}

QTEST_MAIN(TestTemplatesTab)
#include "tst_templates_tab.moc"

#include "CaseFixture.h"

#include "case/AuditLog.h"
#include "case/CaseEditor.h"
#include "case/CaseFindings.h"
#include "case/CaseTables.h"
#include "case/AnalysisStatus.h"
#include "core/CaseDatabase.h"

#include <QJsonArray>
#include <QPainter>
#include <QPicture>
#include <QSignalSpy>
#include <QTest>

using namespace ds;

// Review states, notes and pins through CaseEditor: undo/redo, persistence, audit log.
class TestCaseEdits : public QObject
{
    Q_OBJECT

private:
    static PinnedItem chartPin()
    {
        QPicture picture;
        QPainter p(&picture);
        p.drawLine(0, 0, 100, 50);
        p.drawText(QPointF(10, 20), QStringLiteral("requests per hour"));
        p.end();
        PinnedItem item;
        item.kind = PinKind::Chart;
        item.title = QStringLiteral("Timeline of N1");
        item.note = QStringLiteral("All three accounts start within one minute.");
        item.payload = {{QStringLiteral("description"), QStringLiteral("requests per minute")}};
        item.picture = QByteArray(picture.data(), static_cast<qsizetype>(picture.size()));
        item.thumbnail = QByteArray("\x89PNG fake thumbnail bytes", 25);
        return item;
    }

private Q_SLOTS:
    void tablesAreCreatedAndVersioned()
    {
        test::ScratchDir dir;
        const auto c = test::buildHandCase(dir);
        CaseEditor editor(c.dbPath);
        QCOMPARE(CaseDatabase::meta(editor.database(), "case_schema"), QString::number(schema::kCaseSchemaVersion));
        QVERIFY(!CaseDatabase::meta(editor.database(), "case_created_at").isEmpty());
        // Opening the case audited its import and its detection run, once.
        const auto log = editor.auditLog();
        QCOMPARE(log.size(), std::size_t(2));
        QCOMPARE(log[0].action, QStringLiteral("import"));
        QCOMPARE(log[1].action, QStringLiteral("detection run"));
        QCOMPARE(log[1].details.value(QStringLiteral("settings")).toObject().value(QStringLiteral("clusterFlagScore")).toDouble(), 0.5);
        QCOMPARE(editor.syncAnalysisRuns(), 0);
    }

    void auditLogRejectsUpdateAndDelete()
    {
        test::ScratchDir dir;
        const auto c = test::buildHandCase(dir);
        CaseEditor editor(c.dbPath);
        editor.setNote(NoteField::Title, QStringLiteral("Hydra"));
        SqliteDb& db = editor.database();
        const auto before = audit::count(db);
        QVERIFY(before >= 3);
        QVERIFY_THROWS_EXCEPTION(DatabaseError, db.exec("UPDATE audit_log SET user = 'mallory'"));
        QVERIFY_THROWS_EXCEPTION(DatabaseError, db.exec("DELETE FROM audit_log WHERE id = 1"));
        QVERIFY_THROWS_EXCEPTION(DatabaseError, db.exec("DELETE FROM audit_log"));
        QCOMPARE(audit::count(db), before);
        QVERIFY(audit::entries(db)[0].user != QStringLiteral("mallory"));
    }

    void undoRedoRoundTrips()
    {
        test::ScratchDir dir;
        const auto c = test::buildHandCase(dir);
        CaseEditor editor(c.dbPath);
        QSignalSpy states(&editor, &CaseEditor::reviewStatesChanged);
        const ClusterRef n1{c.run, c.cluster}, n2{c.run, c.otherCluster};
        const std::int64_t a1 = test::accountRowId(c.dbPath, c.attackers[0]);
        const std::int64_t a2 = test::accountRowId(c.dbPath, c.attackers[1]);

        editor.setClusterStates({n1, n2}, ReviewState::NeedsReview);
        editor.setClusterStates({n1}, ReviewState::Confirmed);
        editor.setAccountStates({a1, a2}, ReviewState::FalsePositive);
        editor.setNote(NoteField::Analyst, QStringLiteral("J. Doe"));
        const std::int64_t pinId = editor.addPin(chartPin());
        editor.setPinNote(pinId, QStringLiteral("Changed my mind about the note."));
        editor.removePin(pinId);
        QCOMPARE(editor.undoStack()->count(), 7);
        QCOMPARE(states.size(), 3);

        const CaseStore& s = editor.store();
        auto check = [&](ReviewState e1, ReviewState e2, ReviewState ea, const QString& analyst, int pins, const QString& note) {
            QCOMPARE(s.clusterState(n1), e1);
            QCOMPARE(s.clusterState(n2), e2);
            QCOMPARE(s.accountState(a1), ea);
            QCOMPARE(s.accountState(a2), ea);
            QCOMPARE(s.notes().analyst, analyst);
            QCOMPARE(int(s.pins().size()), pins);
            if (pins)
                QCOMPARE(s.pins().front().note, note);
        };
        const QString firstNote = chartPin().note, secondNote = QStringLiteral("Changed my mind about the note.");
        check(ReviewState::Confirmed, ReviewState::NeedsReview, ReviewState::FalsePositive, QStringLiteral("J. Doe"), 0, {});
        editor.undoStack()->undo(); // remove pin
        check(ReviewState::Confirmed, ReviewState::NeedsReview, ReviewState::FalsePositive, QStringLiteral("J. Doe"), 1, secondNote);
        QCOMPARE(s.pins().front().id, pinId);
        QCOMPARE(s.pins().front().picture, chartPin().picture);
        editor.undoStack()->undo(); // pin note
        check(ReviewState::Confirmed, ReviewState::NeedsReview, ReviewState::FalsePositive, QStringLiteral("J. Doe"), 1, firstNote);
        editor.undoStack()->undo(); // add pin
        check(ReviewState::Confirmed, ReviewState::NeedsReview, ReviewState::FalsePositive, QStringLiteral("J. Doe"), 0, {});
        editor.undoStack()->undo(); // note
        check(ReviewState::Confirmed, ReviewState::NeedsReview, ReviewState::FalsePositive, QString(), 0, {});
        editor.undoStack()->undo(); // accounts
        check(ReviewState::Confirmed, ReviewState::NeedsReview, ReviewState::Unreviewed, QString(), 0, {});
        editor.undoStack()->undo(); // n1 confirmed
        check(ReviewState::NeedsReview, ReviewState::NeedsReview, ReviewState::Unreviewed, QString(), 0, {});
        editor.undoStack()->undo(); // both needs review
        check(ReviewState::Unreviewed, ReviewState::Unreviewed, ReviewState::Unreviewed, QString(), 0, {});
        QVERIFY(!editor.undoStack()->canUndo());

        for (int i = 0; i < 7; ++i)
            editor.undoStack()->redo();
        check(ReviewState::Confirmed, ReviewState::NeedsReview, ReviewState::FalsePositive, QStringLiteral("J. Doe"), 0, {});

        // Every step, its undo and its redo are in the log; nothing was rewritten.
        int edits = 0, undos = 0, redos = 0;
        for (const auto& e : editor.auditLog()) {
            const QString via = e.details.value(QStringLiteral("via")).toString();
            edits += via == QLatin1String("edit");
            undos += via == QLatin1String("undo");
            redos += via == QLatin1String("redo");
        }
        // 2 networks + 1 network + 2 accounts + note + pin + pin note + removal = 9 entries per direction.
        QCOMPARE(edits, 9);
        QCOMPARE(undos, 9);
        QCOMPARE(redos, 9);
    }

    void reopeningRestoresEverything()
    {
        test::ScratchDir dir;
        const auto c = test::buildHandCase(dir);
        const std::int64_t a3 = test::accountRowId(c.dbPath, c.attackers[2]);
        std::vector<AuditEntry> logBefore;
        std::int64_t pinId = 0;
        {
            CaseEditor editor(c.dbPath);
            editor.setClusterStates({{c.run, c.cluster}}, ReviewState::Confirmed);
            editor.setClusterStates({{c.run, c.otherCluster}}, ReviewState::FalsePositive);
            editor.setAccountStates({a3}, ReviewState::NeedsReview);
            editor.setNote(NoteField::Title, QStringLiteral("Hydra network on the messages API"));
            editor.setNote(NoteField::CaseId, QStringLiteral("TS-2026-0042"));
            editor.setNote(NoteField::FreeText, QStringLiteral("Line one\n<b>literal</b>\nLine three"));
            PinnedItem shared;
            shared.kind = PinKind::SharedValue;
            shared.title = QStringLiteral("Shared user agent");
            shared.note = QStringLiteral("Only these accounts use it.");
            shared.run = c.run;
            shared.cluster = c.cluster;
            shared.payload = {{QStringLiteral("value_kind"), QStringLiteral("user_agent")},
                              {QStringLiteral("value"), QStringLiteral("hydra-client/1.0 (x86_64)")},
                              {QStringLiteral("accounts"), QJsonArray::fromStringList(c.attackers)}};
            editor.addPin(chartPin());
            pinId = editor.addPin(shared);
            logBefore = editor.auditLog();
        }
        CaseEditor reopened(c.dbPath);
        const CaseStore& s = reopened.store();
        QCOMPARE(s.clusterState({c.run, c.cluster}), ReviewState::Confirmed);
        QCOMPARE(s.clusterState({c.run, c.otherCluster}), ReviewState::FalsePositive);
        QCOMPARE(s.accountState(a3), ReviewState::NeedsReview);
        const CaseNotes n = s.notes();
        QCOMPARE(n.title, QStringLiteral("Hydra network on the messages API"));
        QCOMPARE(n.caseId, QStringLiteral("TS-2026-0042"));
        QCOMPARE(n.freeText, QStringLiteral("Line one\n<b>literal</b>\nLine three"));
        const auto pins = s.pins();
        QCOMPARE(pins.size(), std::size_t(2));
        QCOMPARE(pins[0].kind, PinKind::Chart);
        QCOMPARE(pins[0].picture, chartPin().picture);
        QCOMPARE(pins[0].thumbnail, chartPin().thumbnail);
        QCOMPARE(pins[1].id, pinId);
        QCOMPARE(*pins[1].cluster, c.cluster);
        QCOMPARE(pins[1].payload.value(QStringLiteral("accounts")).toArray().size(), 3);
        QPicture replay;
        replay.setData(pins[0].picture.constData(), static_cast<uint>(pins[0].picture.size()));
        QVERIFY(!replay.isNull());
        QVERIFY(replay.boundingRect().width() >= 100);
        const auto logAfter = reopened.auditLog();
        QCOMPARE(logAfter.size(), logBefore.size());
        for (std::size_t i = 0; i < logAfter.size(); ++i) {
            QCOMPARE(logAfter[i].action, logBefore[i].action);
            QCOMPARE(logAfter[i].details, logBefore[i].details);
        }
        // Findings: N1 confirmed with its three accounts, N2 (false positive) not.
        const CaseFindings f = loadFindings(reopened.database());
        QCOMPARE(f.networks.size(), std::size_t(1));
        QCOMPARE(f.networks[0].members.size(), std::size_t(3));
        QCOMPARE(f.accounts.size(), std::size_t(3));
    }

    void findingsRespectAccountVerdicts()
    {
        test::ScratchDir dir;
        const auto c = test::buildHandCase(dir);
        CaseEditor editor(c.dbPath);
        editor.setClusterStates({{c.run, c.otherCluster}}, ReviewState::FalsePositive);
        const std::int64_t a1 = test::accountRowId(c.dbPath, c.attackers[0]);
        const std::int64_t solo = test::accountRowId(c.dbPath, c.benign[2]);
        editor.setAccountStates({a1}, ReviewState::FalsePositive);
        editor.setAccountStates({solo}, ReviewState::Confirmed);
        QCOMPARE(confirmFlaggedNetworks(editor.database(), QStringLiteral("test")), 1); // N1 only; N2 stays false positive
        const CaseFindings f = loadFindings(editor.database());
        QCOMPARE(f.networks.size(), std::size_t(1));
        QCOMPARE(f.networks[0].cluster.id, c.cluster);
        QCOMPARE(f.networks[0].members.size(), std::size_t(2));
        QCOMPARE(f.networks[0].excluded.size(), std::size_t(1));
        QStringList ids;
        for (const auto& a : f.accounts)
            ids << a.accountId;
        QCOMPARE(ids, (QStringList{c.benign[2], c.attackers[1], c.attackers[2]}));
        QVERIFY(!f.accounts[0].cluster);
        QCOMPARE(confirmFlaggedNetworks(editor.database(), QStringLiteral("test")), 0);
    }

    void analysisStatusSaysWhenIncomplete()
    {
        test::ScratchDir dir;
        const auto running = test::buildHandCase(dir, false);
        SqliteDb db = CaseDatabase::openForWriting(running.dbPath);
        const AnalysisStatus s = analysisStatus(db);
        QVERIFY(!s.complete);
        QVERIFY(s.reason.contains(QStringLiteral("not finished")));
        test::ScratchDir dir2;
        const auto done = test::buildHandCase(dir2, true);
        SqliteDb db2 = CaseDatabase::openForWriting(done.dbPath);
        QVERIFY(analysisStatus(db2).complete);
    }
};

QTEST_MAIN(TestCaseEdits)
#include "tst_case_edits.moc"

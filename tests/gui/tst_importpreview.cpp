// The import preview as an analyst meets it: File > Open logs and drag and drop open it, it shows
// each file's recognised format and first records, a format chosen there (or a mapping file) is
// the one the import uses, Enter imports and Esc cancels.
#include "MainWindow.h"
#include "GuiSupport.h"
#include "FormatFixtures.h"
#include "TestSupport.h"
#include "ingest/ImportPreviewDialog.h"
#include "ingest/PreviewRecordsModel.h"
#include "text/DisplayText.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMimeData>
#include <QPushButton>
#include <QTableView>
#include <QtTest>
#include <memory>
#include <sys/stat.h>

using namespace ds;
using ds::test::formatFixture;
using ds::test::formatFixtureRecords;

namespace {

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QAction* findAction(QWidget* window, const QString& text)
{
    for (QAction* a : window->findChildren<QAction*>())
        if (a->text() == text)
            return a;
    return nullptr;
}

QString cell(const QAbstractItemModel* m, int row, int column)
{
    return m->index(row, column).data().toString();
}

// Saves what the analyst would see: pending layout requests (labels refitted to their text) are handled first.
bool screenshot(QWidget* w, const QString& name)
{
    QTest::qWait(50);
    return w->grab().save(test::outputDir() + QLatin1Char('/') + name);
}

} // namespace

class TestImportPreviewGui : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void fileMenuPreviewChooseFormatAndImport();
    void dropShowsPreviewAndEscCancels();
    void hostileLogShowsAsPlainText();
    void jsonArrayFromAListApi();
    void cleanupTestCase();

private:
    // Waits for the preview to open and finish reading; `dialog` stays null on a timeout.
    void waitForDialog(ImportPreviewDialog*& dialog);

    std::unique_ptr<test::ScratchDir> m_dir;
    std::unique_ptr<MainWindow> m_window;
    QStringList m_nextFiles; // what the next file dialog "chooses"
    QString m_litellmVariant, m_helicone, m_mapping;
};

void TestImportPreviewGui::initTestCase()
{
    test::useTestSettings();
    m_dir = std::make_unique<test::ScratchDir>();
    // A LiteLLM export without call_type (an older proxy, or a trimmed SELECT): not recognised by its
    // content, so the analyst chooses LiteLLM in the preview.
    QByteArray variant = readAll(formatFixture(QStringLiteral("litellm.jsonl")));
    QVERIFY(variant.count("\"call_type\": \"acompletion\", ") == 3
            || variant.count("\"call_type\":\"acompletion\",") == 3);
    variant.replace("\"call_type\": \"acompletion\", ", "").replace("\"call_type\":\"acompletion\",", "");
    m_litellmVariant = m_dir->write(QStringLiteral("spend-logs-2026-02.jsonl"), variant);
    m_helicone
        = m_dir->write(QStringLiteral("helicone-export.jsonl"), readAll(formatFixture(QStringLiteral("helicone.jsonl"))));
    // The analyst's own mapping: Helicone with the organisation as the account.
    m_mapping = m_dir->write(QStringLiteral("helicone-by-org.json"),
                             R"({"extends": "helicone", "fields": {"account_id": "organization_id"}})");

    m_window = test::showMainWindow(m_dir->path(), QSize(1400, 900));
    QVERIFY(m_window);
    m_window->setFileDialogHook(
        [this](const QString&, const QString&, bool) { return std::exchange(m_nextFiles, {}); });
}

void TestImportPreviewGui::waitForDialog(ImportPreviewDialog*& dialog)
{
    dialog = nullptr;
    ImportPreviewDialog* open = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((open = m_window->importPreview()) && open->isVisible(), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(!open->isPreviewing(), 10000);
    dialog = open;
}

void TestImportPreviewGui::fileMenuPreviewChooseFormatAndImport()
{
    QAction* open = findAction(m_window.get(), QStringLiteral("Open &logs…"));
    QVERIFY(open);
    m_nextFiles = { m_litellmVariant, m_helicone };
    open->trigger();
    ImportPreviewDialog* dialog = nullptr;
    waitForDialog(dialog);
    QVERIFY(dialog);
    new QAbstractItemModelTester(dialog->recordsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest,
                                 dialog);
    QVERIFY(dialog->isModal());
    QCOMPARE(dialog->files(), (QStringList { m_litellmVariant, m_helicone }));
    auto* fileList = dialog->findChild<QListWidget*>(QStringLiteral("previewFiles"));
    QVERIFY(fileList && fileList->isVisible());
    QCOMPARE(fileList->count(), 2);

    // The variant is not recognised: read as the canonical format, every record would be quarantined.
    QCOMPARE(dialog->currentFile(), 0);
    QCOMPARE(dialog->formatBox()->currentText(), QStringLiteral("Recognised: Canonical"));
    QCOMPARE(dialog->preview(0)->quarantined, 3);
    QVERIFY2(
        dialog->warningsText().startsWith(QStringLiteral("• All of the first 3 records would be quarantined; line 1: "
                                                         "\u2068missing required field account_id\u2069")),
        qPrintable(dialog->warningsText()));
    QCOMPARE(dialog->recordsModel()->rowCount(), 3);
    QCOMPARE(cell(dialog->recordsModel(), 0, 1), QStringLiteral("Quarantined: missing required field account_id"));
    QVERIFY(screenshot(dialog, QStringLiteral("gui-import-preview-unrecognised.png")));

    // The analyst picks LiteLLM with the keyboard: down past Canonical to LiteLLM.
    QComboBox* format = dialog->formatBox();
    QCOMPARE(format->currentIndex(), 0);
    format->setFocus();
    QTest::keyClick(format, Qt::Key_Down);
    QTest::keyClick(format, Qt::Key_Down);
    QCOMPARE(format->currentText(), QStringLiteral("LiteLLM"));
    QTRY_VERIFY_WITH_TIMEOUT(dialog->preview(0) && dialog->preview(0)->choice.format == QLatin1String("litellm"),
                             10000);
    const FilePreview* p = dialog->preview(0);
    QVERIFY(p->previewed());
    QCOMPARE(p->logFormat, QStringLiteral("litellm"));
    const auto* model = dialog->recordsModel();
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(model->headerData(PreviewRecordsModel::Time, Qt::Horizontal).toString(), QStringLiteral("Time (UTC)"));
    QCOMPARE(cell(model, 0, PreviewRecordsModel::Account), QStringLiteral("cust-1842"));
    QCOMPARE(cell(model, 0, PreviewRecordsModel::Time), QStringLiteral("2026-02-01 00:00:43.143"));
    QCOMPARE(cell(model, 0, PreviewRecordsModel::Model), QStringLiteral("gpt-4o-mini"));
    QCOMPARE(cell(model, 0, PreviewRecordsModel::Ip), QStringLiteral("203.0.113.7"));
    QCOMPARE(cell(model, 0, PreviewRecordsModel::UserAgent), QStringLiteral("–"));
    QCOMPARE(cell(model, 0, PreviewRecordsModel::Tokens), QStringLiteral("42 / 19"));
    QCOMPARE(cell(model, 0, PreviewRecordsModel::Prompt), QStringLiteral("What is the capital of France?"));
    QVERIFY(dialog->infoText().startsWith(QStringLiteral("LiteLLM · JSON Lines · requests. The whole file (3 lines)")));
    QVERIFY2(dialog->warningsText().contains(QStringLiteral("LiteLLM logs carry no user agent")),
             qPrintable(dialog->warningsText()));

    // The Helicone export is recognised; its warnings say what Helicone lacks.
    fileList->setCurrentRow(1);
    QCOMPARE(dialog->currentFile(), 1);
    QCOMPARE(format->currentText(), QStringLiteral("Recognised: Helicone"));
    QVERIFY(
        dialog->warningsText().contains(QStringLiteral("Helicone logs carry no client IP: no IP or network links")));
    QCOMPARE(model->rowCount(), 2);
    QVERIFY(screenshot(dialog, QStringLiteral("gui-import-preview-helicone.png")));

    // A mapping file that does not load would stop the whole import: Import waits for another choice.
    m_nextFiles = {m_dir->write(QStringLiteral("broken.json"), "{\"extends\": \"splunk\"}")};
    QTest::mouseClick(dialog->findChild<QPushButton*>(QStringLiteral("previewMappingButton")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->preview(1) && dialog->preview(1)->mappingUnusable, 10000);
    QVERIFY(!dialog->importButton()->isEnabled());
    QVERIFY(dialog->infoText().startsWith(QStringLiteral("Cannot be previewed: the mapping file cannot be used")));

    // Then reads it with a mapping file of their own that extends Helicone.
    m_nextFiles = { m_mapping };
    QTest::mouseClick(dialog->findChild<QPushButton*>(QStringLiteral("previewMappingButton")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->preview(1) && dialog->preview(1)->choice.mappingPath == m_mapping, 10000);
    QCOMPARE(format->currentText(), QStringLiteral("Mapping: helicone-by-org.json"));
    QCOMPARE(dialog->preview(1)->extends, QStringLiteral("helicone"));
    QCOMPARE(cell(model, 0, PreviewRecordsModel::Account), QStringLiteral("2f1e0d9c-8b7a-4c6d-9e0f-1a2b3c4d5e6f"));
    QVERIFY(dialog->infoText().startsWith(QStringLiteral("Your mapping, extending Helicone")));
    QVERIFY(dialog->importButton()->isEnabled());

    // The size the dialog takes on an ordinary screen (the offscreen one is 800 x 600).
    fileList->setCurrentRow(0);
    dialog->resize(1180, 680);
    QVERIFY(screenshot(dialog, QStringLiteral("gui-import-preview.png")));
    qInfo("screenshots: %s/gui-import-preview*.png", qPrintable(test::outputDir()));

    // Enter imports, from the widget that has the focus.
    QTest::keyClick(format, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->importPreview(), 5000); // closed and deleted
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->analysis()->casePath().isEmpty() && !m_window->analysis()->isBusy(), 60000);
    const ImportSummary& s = m_window->analysis()->lastImport();
    QVERIFY2(s.error.isEmpty(), qPrintable(s.error));
    QCOMPARE(s.files.size(), 2);
    QCOMPARE(s.files[0].path, m_litellmVariant);
    QCOMPARE(s.files[0].outcome, FileReport::Outcome::Imported);
    QCOMPARE(s.files[0].logFormat, QStringLiteral("litellm"));
    QCOMPARE(s.files[0].records, 3);
    QCOMPARE(s.files[0].quarantined, 0);
    QCOMPARE(s.files[1].outcome, FileReport::Outcome::Imported);
    QCOMPARE(s.files[1].logFormat, QStringLiteral("helicone"));
    QCOMPARE(s.files[1].records, 2);
    QCOMPARE(s.requestsInCase, 5);
    // The organisation is the account of both Helicone rows, as the mapping says.
    const QString casePath = m_window->analysis()->casePath();
    QCOMPARE(test::queryInt(casePath,
                            "SELECT count(*) FROM account WHERE account_id = '2f1e0d9c-8b7a-4c6d-9e0f-1a2b3c4d5e6f'"),
             1);
    QCOMPARE(test::queryInt(casePath, "SELECT count(*) FROM account WHERE account_id = 'cust-1842'"), 1);
}

void TestImportPreviewGui::dropShowsPreviewAndEscCancels()
{
    const qint64 requestsBefore = m_window->analysis()->lastImport().requestsInCase;
    const QString fifo = m_dir->file(QStringLiteral("live.jsonl"));
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    QMimeData mime;
    mime.setUrls({ QUrl::fromLocalFile(formatFixture(QStringLiteral("otlp.jsonl"))), QUrl::fromLocalFile(fifo) });
    QDropEvent drop(QPointF(200, 200), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    // As a drag ends: entered first (QApplication delivers a drop only to the widget the drag entered).
    QDragEnterEvent enter(QPoint(200, 200), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(m_window.get(), &enter);
    QVERIFY(enter.isAccepted());
    QCoreApplication::sendEvent(m_window.get(), &drop);
    ImportPreviewDialog* dialog = nullptr;
    waitForDialog(dialog);
    QVERIFY(dialog);

    // OTLP: one line, many spans; the span without an id is shown quarantined, with its reason across the row.
    const auto* model = dialog->recordsModel();
    QCOMPARE(model->rowCount(), 3);
    QVERIFY(cell(model, 2, 1).startsWith(QStringLiteral("Quarantined: ")));
    QCOMPARE(dialog->recordsView()->columnSpan(2, 1), model->columnCount() - 1);
    QVERIFY(dialog->warningsText().contains(QStringLiteral("1 of the first 3 spans would be quarantined")));
    QVERIFY(screenshot(dialog, QStringLiteral("gui-import-preview-otlp.png")));

    // The FIFO is not read (that would take its bytes from the import, or wait for a writer forever).
    dialog->setCurrentFile(1);
    QVERIFY2(dialog->infoText().startsWith(QStringLiteral("Not previewed: a pipe or FIFO")),
             qPrintable(dialog->infoText()));
    QCOMPARE(model->rowCount(), 0);

    QTest::keyClick(dialog->formatBox(), Qt::Key_Escape);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->importPreview(), 5000);
    QVERIFY(!m_window->analysis()->isBusy());
    QTest::qWait(200);
    QCOMPARE(m_window->analysis()->lastImport().requestsInCase, requestsBefore);
}

// LiteLLM's GET /spend/logs saved as it came: one pretty-printed JSON array. Previewed as a list of records.
void TestImportPreviewGui::jsonArrayFromAListApi()
{
    const QJsonArray rows = formatFixtureRecords(QStringLiteral("litellm.jsonl"));
    QVERIFY(!rows.isEmpty());
    const QString file = m_dir->write(QStringLiteral("spend-logs-api.json"), QJsonDocument(rows).toJson());
    QAction* open = findAction(m_window.get(), QStringLiteral("Open &logs…"));
    QVERIFY(open);
    m_nextFiles = { file };
    open->trigger();
    ImportPreviewDialog* dialog = nullptr;
    waitForDialog(dialog);
    QVERIFY(dialog);
    QCOMPARE(dialog->formatBox()->currentText(), QStringLiteral("Recognised: LiteLLM"));
    QVERIFY2(dialog->infoText().startsWith(QStringLiteral("LiteLLM · JSON array · requests.")), qPrintable(dialog->infoText()));
    const auto* model = dialog->recordsModel();
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(cell(model, 0, PreviewRecordsModel::Account), QStringLiteral("cust-1842"));
    QCOMPARE(cell(model, 0, PreviewRecordsModel::Prompt), QStringLiteral("What is the capital of France?"));
    QVERIFY(screenshot(dialog, QStringLiteral("gui-import-preview-json-array.png")));
    QTest::keyClick(dialog->formatBox(), Qt::Key_Escape);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->importPreview(), 5000);
}

// A log of attacker text under an attacker-chosen file name: every text the preview shows is neutralised
// (no direction override, control or invisible character left) and every label is plain text.
void TestImportPreviewGui::hostileLogShowsAsPlainText()
{
    const test::HostileLog hostile = test::hostileLog(64 << 10);
    const QString name = QStringLiteral("evil%1gnp.<b>x<i>%2.jsonl").arg(QChar(0x202E), QChar(0x200B));
    const QString log = m_dir->write(name, hostile.requestsJsonl);
    m_window->previewLogs({ log });
    ImportPreviewDialog* dialog = nullptr;
    waitForDialog(dialog);
    QVERIFY(dialog);
    QVERIFY(dialog->preview(0)->previewed());
    QVERIFY(dialog->preview(0)->quarantined > 0 || dialog->preview(0)->requests > 0);
    auto clean = [](const QString& text) {
        const QStringList lines = text.split(QLatin1Char('\n'));
        return std::none_of(lines.begin(), lines.end(),
                            [](const QString& l) { return displaytext::needsNeutralising(l); });
    };
    const auto* model = dialog->recordsModel();
    QVERIFY(model->rowCount() > 0);
    for (int r = 0; r < model->rowCount(); ++r)
        for (int c = 0; c < model->columnCount(); ++c)
            QVERIFY2(clean(cell(model, r, c)), qPrintable(QStringLiteral("row %1 column %2").arg(r).arg(c)));
    for (QLabel* label : dialog->findChildren<QLabel*>()) {
        QCOMPARE(label->textFormat(), Qt::PlainText);
        QVERIFY2(clean(label->text()), qPrintable(label->objectName()));
    }
    QVERIFY(clean(dialog->formatBox()->currentText()));
    QVERIFY(screenshot(dialog, QStringLiteral("gui-import-preview-hostile.png")));
    QTest::keyClick(dialog->formatBox(), Qt::Key_Escape);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->importPreview(), 5000);
}

void TestImportPreviewGui::cleanupTestCase()
{
    m_window.reset();
    m_dir.reset();
}

QTEST_MAIN(TestImportPreviewGui)
#include "tst_importpreview.moc"

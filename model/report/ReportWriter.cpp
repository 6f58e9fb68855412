#include "report/ReportWriter.h"

#include "case/AuditLog.h"
#include "case/CaseTables.h"
#include "core/CancelToken.h"
#include "core/CaseDatabase.h"
#include "core/Timestamp.h"
#include "indicators/HitRefresh.h"
#include "report/CaseExports.h"
#include "report/PdfCanvas.h"
#include "report/ReportData.h"
#include "report/ReportSections.h"
#include "text/DisplayText.h"

#include <QBuffer>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QPageSize>
#include "core/OutputFile.h"

namespace ds {

namespace {

constexpr int kResolution = 600;

void setUp(QPdfWriter& w, const ReportData& d)
{
    w.setResolution(kResolution);
    w.setPageSize(QPageSize(QPageSize::A4));
    w.setPageMargins(QMarginsF(0, 0, 0, 0)); // PdfCanvas keeps its own margins
    w.setTitle(QStringLiteral("Distillscope evidence report %1").arg(displaytext::cell(d.notes.caseId, 80)));
    w.setCreator(QStringLiteral("Distillscope %1").arg(QStringLiteral(DS_VERSION)));
}

PdfCanvas::PageInfo pageInfo(const ReportData& d, int total)
{
    PdfCanvas::PageInfo info;
    // On every page, one line each: neutralised and cut (the cover prints them in full).
    info.headerLeft = QStringLiteral("Case %1").arg(d.notes.caseId.isEmpty() ? QStringLiteral("(no case id)")
                                                                             : displaytext::embedded(d.notes.caseId, 60));
    info.headerRight = d.notes.title.isEmpty() ? QStringLiteral("Distillation attack evidence report")
                                               : displaytext::cell(d.notes.title, 120);
    if (!d.status.complete)
        info.warning = QStringLiteral("PRELIMINARY: exported before the analysis finished. ")
                       + displaytext::multiline(d.status.reason, 300);
    info.footerLeft = QStringLiteral("Distillscope %1 · exported %2").arg(QStringLiteral(DS_VERSION), timestamp::toIso(d.exportedAt));
    info.totalPages = total;
    return info;
}

} // namespace

ReportResult ReportWriter::write(const ReportRequest& request, std::atomic<int>& progress, const CancelToken& cancel)
{
    ReportResult result;
    result.pdfPath = request.pdfPath;
    try {
        SqliteDb db = CaseDatabase::openForWriting(request.casePath);
        {
            SqliteTransaction tx(db);
            ensureCaseTables(db);
            audit::syncAnalysisRuns(db);
            tx.commit();
        }
        // The partners' hits the report lists are those of the case as it is now, should an import's
        // re-evaluation have been cancelled (indicators/HitRefresh.h).
        indicators::refreshHits(db, cancel);
        db.watchCancel(&cancel);
        ReportData data = loadReportData(db, cancel, [&](double f) { progress.store(static_cast<int>(f * 600)); });
        data.exportedAt = QDateTime::currentMSecsSinceEpoch();

        const QFileInfo pdf(request.pdfPath);
        const QString ridPath = request.requestIdsPath.isEmpty()
                                    ? pdf.absoluteDir().filePath(pdf.completeBaseName() + QStringLiteral(".request-ids.csv"))
                                    : request.requestIdsPath;
        data.requestIds = exports::writeRequestIdsCsv(db, data.findings, ridPath, cancel);
        if (!data.requestIds.error.isEmpty())
            throw std::runtime_error(data.requestIds.error.toStdString());
        // The report names the export by file name: it is delivered next to the PDF.
        const QString ridFullPath = data.requestIds.path;
        data.requestIds.path = QFileInfo(ridFullPath).fileName();
        progress.store(700);

        // Pass 1 counts pages (for "page x of y"); pass 2 writes the file. The layout does not depend on the total.
        int pages = 0;
        {
            QBuffer scratch;
            scratch.open(QIODevice::WriteOnly);
            QPdfWriter w(&scratch);
            setUp(w, data);
            PdfCanvas canvas(w, pageInfo(data, 0));
            renderReport(canvas, data);
            canvas.finish();
            pages = canvas.pageCount();
        }
        if (cancel.isCancelled())
            throw Cancelled{};
        progress.store(850);
        OutputFile out(request.pdfPath);
        if (!out.open())
            throw std::runtime_error(QStringLiteral("cannot write %1: %2").arg(request.pdfPath, out.errorString()).toStdString());
        {
            QPdfWriter w(out.device());
            setUp(w, data);
            PdfCanvas canvas(w, pageInfo(data, pages));
            renderReport(canvas, data);
            canvas.finish();
            result.pages = canvas.pageCount();
        }
        if (cancel.isCancelled()) {
            out.cancel();
            throw Cancelled{};
        }
        if (!out.commit())
            throw std::runtime_error(QStringLiteral("cannot write %1: %2").arg(request.pdfPath, out.errorString()).toStdString());
        if (result.pages != pages)
            qWarning("report layout changed between passes (%d vs %d pages)", pages, result.pages);

        db.watchCancel(nullptr);
        SqliteTransaction tx(db);
        exports::auditExport(db, QStringLiteral("request ids CSV"), {ridFullPath, data.requestIds.sha256, data.requestIds.rows, {}});
        audit::append(db, QStringLiteral("export"), QStringLiteral("evidence report PDF"),
                      {{QStringLiteral("path"), QFileInfo(request.pdfPath).absoluteFilePath()},
                       {QStringLiteral("sha256"), exportfiles::sha256OfFile(request.pdfPath)},
                       {QStringLiteral("pages"), result.pages},
                       {QStringLiteral("analysis_complete"), data.status.complete},
                       {QStringLiteral("confirmed_networks"), qint64(data.findings.networks.size())},
                       {QStringLiteral("confirmed_accounts"), qint64(data.findings.accounts.size())}});
        tx.commit();

        result.ok = true;
        result.requestIdsPath = ridFullPath;
        result.requestIdsSha256 = data.requestIds.sha256;
        result.confirmedNetworks = static_cast<std::int64_t>(data.findings.networks.size());
        result.confirmedAccounts = static_cast<std::int64_t>(data.findings.accounts.size());
        result.analysisComplete = data.status.complete;
        progress.store(1000);
    } catch (const Cancelled&) {
        result.cancelled = true;
        result.error = QStringLiteral("cancelled");
    } catch (const DatabaseError& e) {
        result.cancelled = e.isInterrupt() && cancel.isCancelled();
        result.error = result.cancelled ? QStringLiteral("cancelled") : QString::fromUtf8(e.what());
    } catch (const CaseOpenError& e) {
        result.error = e.message();
    } catch (const std::exception& e) {
        result.error = QString::fromUtf8(e.what());
    }
    return result;
}

} // namespace ds

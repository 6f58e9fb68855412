#pragma once

#include <QString>

#include <atomic>
#include <cstdint>

namespace ds {

class CancelToken;

struct ReportRequest
{
    QString casePath;
    QString pdfPath;
    QString requestIdsPath; // empty: next to the PDF, "<name>.request-ids.csv"
};

struct ReportResult
{
    bool ok = false;
    bool cancelled = false;
    QString error;
    int pages = 0;
    QString pdfPath, requestIdsPath, requestIdsSha256;
    std::int64_t confirmedNetworks = 0, confirmedAccounts = 0;
    bool analysisComplete = false;
};

// Writes the evidence report of a case: reads everything (ReportData), writes the
// request-id export the report names, then lays the PDF out twice (first to count
// pages for "page x of y", then to the file) and audits the export. Opens its own
// connection: call from a worker thread (ReportJob) or the CLI; a QGuiApplication
// must exist (fonts). `progress` (0..1000) and `cancel` may be touched from any thread.
class ReportWriter
{
public:
    static ReportResult write(const ReportRequest& request, std::atomic<int>& progress, const CancelToken& cancel);
};

} // namespace ds

#pragma once

namespace ds {

class PdfCanvas;
struct ReportData;

// The sections of the evidence report, in order, onto a canvas. Pure layout:
// the same data gives the same pages. Report worker thread.
void renderReport(PdfCanvas& canvas, const ReportData& data);

} // namespace ds

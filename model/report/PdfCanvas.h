#pragma once

#include <QFont>
#include <QPainter>
#include <QPdfWriter>
#include <QString>
#include <QStringList>
#include <QTextLayout>

#include <functional>
#include <memory>
#include <utility>
#include <vector>

namespace ds {

// A flowing page layout on a QPdfWriter: headings, wrapped plain-text paragraphs,
// tables whose rows break across pages with the header repeated, vector drawings,
// and on every page a header (case id, and a warning when the analysis is
// incomplete) and a "page x of y" footer. Text is laid out with QTextLayout and
// drawn as text (never parsed as markup), so attacker-supplied strings appear
// exactly as they were and stay extractable. Units are PDF points.
// One thread at a time (the report worker); the QGuiApplication must exist.
class PdfCanvas
{
public:
    enum class Style { Body, Small, Mono, MonoSmall, Bold, Caption, Title, Subtitle, H1, H2, H3 };

    struct PageInfo
    {
        QString headerLeft;   // "Case TS-2026-0042"
        QString headerRight;  // report title
        QString warning;      // printed on every page when non-empty (analysis incomplete)
        QString footerLeft;   // "Exported 2026-..."
        int totalPages = 0;   // 0 in the counting pass
    };

    PdfCanvas(QPdfWriter& writer, PageInfo info);
    ~PdfCanvas();
    PdfCanvas(const PdfCanvas&) = delete;
    PdfCanvas& operator=(const PdfCanvas&) = delete;

    void finish(); // ends the painter; call once after the last content
    int pageCount() const { return m_page; }
    double width() const { return m_bodyWidth; }
    double remaining() const { return (m_bottom - m_y) / m_k; } // points left on this page

    void newPage();
    void ensureSpace(double pts);
    void space(double pts);

    // Keep-with-next: a heading, and a caption paragraph right after it, wait until the next block of
    // content and go on a new page with it when the block's first lines would not fit under them.
    void heading(Style level, const QString& text);
    void paragraph(const QString& text, Style style = Style::Body, double indent = 0, const QColor& color = Qt::black);
    // Two columns: label (bold) and value (wrapped). Values are plain text.
    void keyValues(const std::vector<std::pair<QString, QString>>& rows, double labelFraction = 0.28, Style valueStyle = Style::Body);
    // `fractions` gives each column's share of the width; `monoColumns` lists columns set in a fixed-width font.
    void table(const QStringList& header, const std::vector<QStringList>& rows, const std::vector<double>& fractions,
               const std::vector<int>& monoColumns = {}, Style style = Style::Small);
    // A vector drawing of the full width and `height` points; `draw` paints into the given rectangle.
    void drawing(double height, const std::function<void(QPainter&, const QRectF&)>& draw);
    // A shaded box with plain text (prompts, notes): wraps, splits across pages.
    void quote(const QString& text, Style style = Style::MonoSmall);

    QFont font(Style s) const;
    QPainter& painter() { return m_painter; }
    double pt(double points) const { return points * m_k; } // points -> device units

    // Device-unit geometry is private: callers think in points.

private:
    using Layouts = std::vector<std::unique_ptr<QTextLayout>>;
    // Lays `text` out `width` device units wide: one QTextLayout per line of the text.
    Layouts layout(const QString& text, const QFont& font, double width) const;
    static double heightOf(const Layouts& layouts);
    // Draws whole layouts at (x, y) in device units (no page breaks: the caller made room).
    void drawLayouts(const Layouts& layouts, double x, double y, const QColor& color);
    // Draws layouts line by line from the current position, breaking pages between lines.
    void flowLayouts(const Layouts& layouts, double x, const QColor& color, const QRectF* shade = nullptr);
    void decoratePage();

    // A heading, or a caption right after one, not drawn yet: see heading().
    struct Held
    {
        bool isHeading = false;
        Style style = Style::Body;
        QString text;
        double indent = 0;
        QColor color;
    };
    // Draws the held headings and captions, first starting a new page unless they fit together with
    // `nextPts` points of what follows them.
    void placeHeld(double nextPts);
    void drawHeading(Style level, const QString& text);
    // Points the first few lines of `layouts` take: what a held heading must share its page with.
    double firstLinesHeight(const Layouts& layouts) const;
    double headingHeight(Style level, const QString& text) const; // points, with the space around it

    QPdfWriter& m_writer;
    PageInfo m_info;
    QPainter m_painter;
    double m_k = 1;        // device units per point
    double m_pageWidth = 0, m_pageHeight = 0;           // device units
    double m_left = 0, m_top = 0, m_bottom = 0, m_body = 0; // device units
    double m_bodyWidth = 0;                              // points
    double m_y = 0;                                      // device units
    int m_page = 0;
    std::vector<Held> m_held;
};

} // namespace ds

#include "report/PdfCanvas.h"

#include <QPageLayout>
#include <QTextLayout>

#include <algorithm>
#include <cmath>

namespace ds {

namespace {

constexpr double kMarginSide = 50;   // points
constexpr double kMarginTop = 62;    // body starts below the header
constexpr double kMarginBottom = 52; // body ends above the footer
constexpr double kCellPad = 3;

const QColor kRule(0x9a, 0xa5, 0xb1);
const QColor kShade(0xf1, 0xf3, 0xf5);
const QColor kHeaderShade(0xdd, 0xe3, 0xea);
const QColor kWarning(0xb0, 0x1c, 0x1c);

} // namespace

PdfCanvas::PdfCanvas(QPdfWriter& writer, PageInfo info)
    : m_writer(writer)
    , m_info(std::move(info))
{
    m_k = writer.resolution() / 72.0;
    const QRectF page = writer.pageLayout().fullRectPixels(writer.resolution());
    m_pageWidth = page.width();
    m_pageHeight = page.height();
    m_left = pt(kMarginSide);
    m_top = pt(kMarginTop);
    m_bottom = m_pageHeight - pt(kMarginBottom);
    m_body = m_pageWidth - 2 * m_left;
    m_bodyWidth = m_body / m_k;
    m_painter.begin(&m_writer);
    m_page = 1;
    decoratePage();
}

PdfCanvas::~PdfCanvas()
{
    if (m_painter.isActive())
        m_painter.end();
}

void PdfCanvas::finish()
{
    placeHeld(0);
    if (m_painter.isActive())
        m_painter.end();
}

QFont PdfCanvas::font(Style s) const
{
    const bool mono = s == Style::Mono || s == Style::MonoSmall;
    QFont f(mono ? QStringLiteral("DejaVu Sans Mono") : QStringLiteral("DejaVu Sans"));
    f.setStyleHint(mono ? QFont::Monospace : QFont::SansSerif);
    f.setKerning(true);
    // Any letter spacing makes Qt's shaper drop ligatures, so "fi" extracts as two letters
    // (searchable, copyable) instead of U+FB01. 0.05 device units (1/12000 inch) is invisible;
    // smaller values round to zero in Qt's 26.6 fixed point.
    f.setLetterSpacing(QFont::AbsoluteSpacing, 0.05);
    switch (s) {
    case Style::Body: f.setPointSizeF(9.5); break;
    case Style::Small: f.setPointSizeF(8); break;
    case Style::Mono: f.setPointSizeF(8.5); break;
    case Style::MonoSmall: f.setPointSizeF(7.5); break;
    case Style::Bold: f.setPointSizeF(9.5); f.setBold(true); break;
    case Style::Caption: f.setPointSizeF(7.5); f.setItalic(true); break;
    case Style::Title: f.setPointSizeF(24); f.setBold(true); break;
    case Style::Subtitle: f.setPointSizeF(13); break;
    case Style::H1: f.setPointSizeF(16); f.setBold(true); break;
    case Style::H2: f.setPointSizeF(12.5); f.setBold(true); break;
    case Style::H3: f.setPointSizeF(10.5); f.setBold(true); break;
    }
    return f;
}

PdfCanvas::Layouts PdfCanvas::layout(const QString& text, const QFont& font, double width) const
{
    Layouts out;
    QTextOption option;
    // Long tokens (hashes, URLs, base64 in prompts) break anywhere rather than run off the page.
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    QString normalized = text;
    normalized.replace(QStringLiteral("\r\n"), QStringLiteral("\n")).replace(QLatin1Char('\r'), QLatin1Char('\n'));
    normalized.replace(QLatin1Char('\t'), QStringLiteral("    "));
    const QStringList paragraphs = normalized.split(QLatin1Char('\n'));
    for (const QString& para : paragraphs) {
        auto l = std::make_unique<QTextLayout>(para, font, &m_writer);
        l->setTextOption(option);
        l->setCacheEnabled(true);
        l->beginLayout();
        double y = 0;
        for (;;) {
            QTextLine line = l->createLine();
            if (!line.isValid())
                break;
            line.setLineWidth(width);
            line.setPosition(QPointF(0, y));
            y += line.height();
        }
        l->endLayout();
        out.push_back(std::move(l));
    }
    return out;
}

double PdfCanvas::heightOf(const Layouts& layouts)
{
    double h = 0;
    for (const auto& l : layouts)
        for (int i = 0; i < l->lineCount(); ++i)
            h += l->lineAt(i).height();
    return h;
}

void PdfCanvas::drawLayouts(const Layouts& layouts, double x, double y, const QColor& color)
{
    m_painter.setPen(color);
    for (const auto& l : layouts) {
        l->draw(&m_painter, QPointF(x, y));
        y += l->boundingRect().height();
    }
}

void PdfCanvas::flowLayouts(const Layouts& layouts, double x, const QColor& color, const QRectF* shade)
{
    // Shade is drawn per page segment: find how many lines fit, paint the box, then the lines.
    std::vector<QTextLine> lines;
    std::vector<const QTextLayout*> owners;
    for (const auto& l : layouts)
        for (int i = 0; i < l->lineCount(); ++i) {
            lines.push_back(l->lineAt(i));
            owners.push_back(l.get());
        }
    std::size_t i = 0;
    while (i < lines.size()) {
        if (m_y + lines[i].height() > m_bottom)
            newPage();
        std::size_t j = i;
        double h = 0;
        while (j < lines.size() && m_y + h + lines[j].height() <= m_bottom) {
            h += lines[j].height();
            ++j;
        }
        if (j == i) { // a single line taller than a page cannot happen with our fonts; draw it anyway
            h = lines[i].height();
            j = i + 1;
        }
        if (shade) {
            m_painter.fillRect(QRectF(shade->left(), m_y - pt(2), shade->width(), h + pt(4)), kShade);
        }
        m_painter.setPen(color);
        double y = m_y;
        for (std::size_t k = i; k < j; ++k) {
            lines[k].draw(&m_painter, QPointF(x, y - lines[k].y()));
            y += lines[k].height();
        }
        m_y += h;
        i = j;
    }
}

void PdfCanvas::decoratePage()
{
    m_painter.save();
    const QFont small = font(Style::Small);
    m_painter.setFont(small);
    m_painter.setPen(QColor(0x33, 0x3d, 0x47));
    const double headerBase = pt(34);
    const QRectF header(m_left, pt(20), m_body, headerBase - pt(20));
    m_painter.drawText(header, Qt::AlignLeft | Qt::AlignBottom | Qt::TextSingleLine, m_info.headerLeft);
    const QFontMetricsF fm(small, &m_writer);
    const QString right = fm.elidedText(m_info.headerRight, Qt::ElideRight, m_body * 0.55);
    m_painter.drawText(header, Qt::AlignRight | Qt::AlignBottom | Qt::TextSingleLine, right);
    m_painter.setPen(QPen(kRule, pt(0.6)));
    m_painter.drawLine(QPointF(m_left, headerBase + pt(3)), QPointF(m_left + m_body, headerBase + pt(3)));
    m_y = m_top;
    if (!m_info.warning.isEmpty()) {
        QFont bold = font(Style::Bold);
        bold.setPointSizeF(8.5);
        const Layouts w = layout(m_info.warning, bold, m_body - pt(8));
        const double h = heightOf(w);
        m_painter.fillRect(QRectF(m_left, headerBase + pt(6), m_body, h + pt(6)), QColor(0xfd, 0xec, 0xec));
        drawLayouts(w, m_left + pt(4), headerBase + pt(9), kWarning);
        m_y = std::max(m_top, headerBase + pt(6) + h + pt(12));
    }
    // Footer.
    m_painter.setFont(small);
    m_painter.setPen(QPen(kRule, pt(0.6)));
    const double footerTop = m_pageHeight - pt(38);
    m_painter.drawLine(QPointF(m_left, footerTop), QPointF(m_left + m_body, footerTop));
    m_painter.setPen(QColor(0x33, 0x3d, 0x47));
    const QRectF footer(m_left, footerTop + pt(3), m_body, pt(14));
    m_painter.drawText(footer, Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine, m_info.footerLeft);
    const QString pageText = m_info.totalPages > 0 ? QStringLiteral("Page %1 of %2").arg(m_page).arg(m_info.totalPages)
                                                   : QStringLiteral("Page %1").arg(m_page);
    m_painter.drawText(footer, Qt::AlignRight | Qt::AlignVCenter | Qt::TextSingleLine, pageText);
    m_painter.restore();
}

void PdfCanvas::newPage()
{
    m_writer.newPage();
    ++m_page;
    decoratePage();
}

void PdfCanvas::ensureSpace(double pts)
{
    if (m_y + pt(pts) > m_bottom && m_y > m_top + pt(40))
        newPage();
}

void PdfCanvas::space(double pts)
{
    placeHeld(pts);
    m_y += pt(pts);
}

void PdfCanvas::heading(Style level, const QString& text)
{
    m_held.push_back({true, level, text, 0, QColor()});
}

namespace {
double spaceBefore(PdfCanvas::Style level) { return level == PdfCanvas::Style::H2 ? 10 : 6; }
constexpr int kKeptLines = 3; // lines of a paragraph that must follow a heading on its page
} // namespace

double PdfCanvas::headingHeight(Style level, const QString& text) const
{
    return spaceBefore(level) + heightOf(layout(text, font(level), m_body)) / m_k + (level == Style::H1 ? 6 : 0) + 4;
}

double PdfCanvas::firstLinesHeight(const Layouts& layouts) const
{
    double h = 0;
    int n = 0;
    for (const auto& l : layouts)
        for (int i = 0; i < l->lineCount() && n < kKeptLines; ++i, ++n)
            h += l->lineAt(i).height();
    return h / m_k;
}

void PdfCanvas::placeHeld(double nextPts)
{
    if (m_held.empty())
        return;
    const std::vector<Held> held = std::move(m_held);
    m_held.clear();
    double total = nextPts;
    for (const Held& h : held)
        total += h.isHeading ? headingHeight(h.style, h.text) : heightOf(layout(h.text, font(h.style), m_body - pt(h.indent))) / m_k + 4;
    ensureSpace(total);
    for (const Held& h : held) {
        if (h.isHeading) {
            drawHeading(h.style, h.text);
        } else {
            flowLayouts(layout(h.text, font(h.style), m_body - pt(h.indent)), m_left + pt(h.indent), h.color);
            m_y += pt(4);
        }
    }
}

void PdfCanvas::drawHeading(Style level, const QString& text)
{
    const double before = spaceBefore(level);
    const Layouts l = layout(text, font(level), m_body);
    if (m_y > m_top + pt(1))
        m_y += pt(before);
    drawLayouts(l, m_left, m_y, level == Style::H1 ? QColor(0x12, 0x2b, 0x4a) : QColor(0x1b, 0x1f, 0x24));
    m_y += heightOf(l);
    if (level == Style::H1) {
        m_painter.setPen(QPen(QColor(0x12, 0x2b, 0x4a), pt(1)));
        m_painter.drawLine(QPointF(m_left, m_y + pt(2)), QPointF(m_left + m_body, m_y + pt(2)));
        m_y += pt(6);
    }
    m_y += pt(4);
}

void PdfCanvas::paragraph(const QString& text, Style style, double indent, const QColor& color)
{
    if (style == Style::Caption && !m_held.empty()) { // a caption under a heading introduces what follows: keep them together
        m_held.push_back({false, style, text, indent, color});
        return;
    }
    const Layouts l = layout(text, font(style), m_body - pt(indent));
    placeHeld(firstLinesHeight(l));
    flowLayouts(l, m_left + pt(indent), color);
    m_y += pt(4);
}

void PdfCanvas::quote(const QString& text, Style style)
{
    const double pad = pt(5);
    const Layouts l = layout(text, font(style), m_body - 2 * pad);
    placeHeld(2 + firstLinesHeight(l));
    m_y += pt(2);
    const QRectF shade(m_left, 0, m_body, 0);
    flowLayouts(l, m_left + pad, Qt::black, &shade);
    m_y += pt(8);
}

void PdfCanvas::keyValues(const std::vector<std::pair<QString, QString>>& rows, double labelFraction, Style valueStyle)
{
    const double labelW = m_body * labelFraction;
    const double valueW = m_body - labelW;
    if (!rows.empty()) {
        const Layouts k = layout(rows.front().first, font(Style::Bold), labelW - pt(kCellPad * 2));
        const Layouts v = layout(rows.front().second.isEmpty() ? QStringLiteral("—") : rows.front().second, font(valueStyle), valueW - pt(kCellPad));
        placeHeld(std::max(firstLinesHeight(k), firstLinesHeight(v)) + 4);
    }
    for (const auto& [label, value] : rows) {
        const Layouts k = layout(label, font(Style::Bold), labelW - pt(kCellPad * 2));
        const Layouts v = layout(value.isEmpty() ? QStringLiteral("—") : value, font(valueStyle), valueW - pt(kCellPad));
        const double h = std::max(heightOf(k), heightOf(v));
        if (h + m_y + pt(4) > m_bottom && h < m_bottom - m_top) {
            newPage();
        }
        if (h > m_bottom - m_top) { // a value longer than a page: label, then the value flowing on
            drawLayouts(k, m_left, m_y, Qt::black);
            m_y += heightOf(k);
            flowLayouts(v, m_left + labelW, Qt::black);
        } else {
            drawLayouts(k, m_left, m_y, QColor(0x1b, 0x1f, 0x24));
            drawLayouts(v, m_left + labelW, m_y, Qt::black);
            m_y += h;
        }
        m_y += pt(3);
    }
    m_y += pt(4);
}

void PdfCanvas::table(const QStringList& header, const std::vector<QStringList>& rows, const std::vector<double>& fractions,
                      const std::vector<int>& monoColumns, Style style)
{
    const int cols = static_cast<int>(header.size());
    std::vector<double> widths(static_cast<std::size_t>(cols));
    double sum = 0;
    for (int c = 0; c < cols; ++c)
        sum += c < static_cast<int>(fractions.size()) ? fractions[static_cast<std::size_t>(c)] : 1.0;
    for (int c = 0; c < cols; ++c)
        widths[static_cast<std::size_t>(c)] = m_body * (c < static_cast<int>(fractions.size()) ? fractions[static_cast<std::size_t>(c)] : 1.0) / sum;
    const QFont headFont = [&] {
        QFont f = font(style);
        f.setBold(true);
        return f;
    }();
    const QFont mono = font(style == Style::Small ? Style::MonoSmall : Style::Mono);
    const QFont plain = font(style);
    const double pad = pt(kCellPad);

    auto layRow = [&](const QStringList& cells, bool isHeader, std::vector<Layouts>& out) {
        double h = 0;
        out.clear();
        for (int c = 0; c < cols; ++c) {
            const bool isMono = std::find(monoColumns.begin(), monoColumns.end(), c) != monoColumns.end();
            out.push_back(layout(c < cells.size() ? cells[c] : QString(), isHeader ? headFont : (isMono ? mono : plain),
                                 widths[static_cast<std::size_t>(c)] - 2 * pad));
            h = std::max(h, heightOf(out.back()));
        }
        return h + 2 * pad;
    };
    auto drawRow = [&](const std::vector<Layouts>& cells, double h, const QColor& fill) {
        if (fill.isValid())
            m_painter.fillRect(QRectF(m_left, m_y, m_body, h), fill);
        double x = m_left;
        for (int c = 0; c < cols; ++c) {
            drawLayouts(cells[static_cast<std::size_t>(c)], x + pad, m_y + pad, Qt::black);
            x += widths[static_cast<std::size_t>(c)];
        }
        m_painter.setPen(QPen(kRule, pt(0.4)));
        m_painter.drawLine(QPointF(m_left, m_y + h), QPointF(m_left + m_body, m_y + h));
        m_y += h;
    };
    std::vector<Layouts> headCells;
    const double headH = layRow(header, true, headCells);
    auto drawHeader = [&] {
        m_painter.setPen(QPen(kRule, pt(0.6)));
        m_painter.drawLine(QPointF(m_left, m_y), QPointF(m_left + m_body, m_y));
        drawRow(headCells, headH, kHeaderShade);
    };
    std::vector<Layouts> cells;
    const double firstH = rows.empty() ? 0 : layRow(rows.front(), false, cells);
    placeHeld((headH + std::min(firstH, pt(200))) / m_k + 4);
    ensureSpace((headH + std::min(firstH, pt(200))) / m_k + 4);
    drawHeader();
    int index = 0;
    for (const QStringList& row : rows) {
        const double h = layRow(row, false, cells);
        if (h > m_bottom - m_top - headH - pt(10)) {
            // A row taller than a page (a huge attacker string): print it as label/value pairs that flow on.
            std::vector<std::pair<QString, QString>> kv;
            for (int c = 0; c < cols; ++c)
                kv.emplace_back(header[c], c < row.size() ? row[c] : QString());
            m_y += pt(4);
            keyValues(kv, 0.22, style);
            drawHeader();
            continue;
        }
        if (m_y + h > m_bottom) {
            newPage();
            drawHeader();
        }
        drawRow(cells, h, index++ % 2 ? kShade : QColor());
    }
    m_y += pt(8);
}

void PdfCanvas::drawing(double height, const std::function<void(QPainter&, const QRectF&)>& draw)
{
    placeHeld(height + 6);
    ensureSpace(height + 6);
    const QRectF r(m_left, m_y, m_body, pt(height));
    m_painter.save();
    draw(m_painter, r);
    m_painter.restore();
    m_y += r.height() + pt(6);
}

} // namespace ds

#include "report/ReportCharts.h"

#include "core/Timestamp.h"
#include "report/NumberText.h"
#include "text/DisplayText.h"
#include "workspace/LinkKinds.h"

#include <QPainterPath>

#include <algorithm>
#include <cmath>
#include <map>

namespace ds::charts {

namespace {

const QColor kAxis(0x44, 0x4c, 0x56);
const QColor kGrid(0xe1, 0xe5, 0xea);
const QColor kBars(0x3b, 0x6e, 0xa8);
const QColor kLine(0xd0, 0x6a, 0x1c);

double niceStep(double max, int ticks)
{
    if (max <= 0)
        return 1;
    const double raw = max / ticks;
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (raw <= m * mag)
            return m * mag;
    return 10 * mag;
}

QString dayLabel(std::int64_t ms) { return timestamp::toIso(ms).left(16).replace(QLatin1Char('T'), QLatin1Char(' ')); }

// The link graph's palette, shared with the GUI's (workspace/LinkKinds.h).
QColor kindColor(const QString& kind) { return linkkinds::color(kind); }

} // namespace

void drawTimeline(QPainter& p, const QRectF& r, const Timeline& t, const QFont& font, double k)
{
    p.setFont(font);
    const QFontMetricsF fm(font, p.device());
    const double left = r.left() + fm.horizontalAdvance(QStringLiteral("000000")) + 6 * k;
    const double right = r.right() - fm.horizontalAdvance(QStringLiteral("0000")) - 6 * k;
    const double top = r.top() + fm.height() + 4 * k;
    const double bottom = r.bottom() - 2 * fm.height() - 4 * k;
    const QRectF plot(QPointF(left, top), QPointF(right, bottom));
    const int n = static_cast<int>(t.requests.size());
    const int maxReq = n ? *std::max_element(t.requests.begin(), t.requests.end()) : 0;
    const int maxAcc = n ? *std::max_element(t.accounts.begin(), t.accounts.end()) : 0;
    const double stepReq = niceStep(maxReq, 4), stepAcc = niceStep(maxAcc, 4);
    const double topReq = std::max(stepReq, std::ceil(maxReq / stepReq) * stepReq);
    const double topAcc = std::max(stepAcc, std::ceil(maxAcc / stepAcc) * stepAcc);

    // Grid and left axis (requests).
    p.setPen(QPen(kGrid, 0.5 * k));
    for (double v = 0; v <= topReq + 1e-9; v += stepReq) {
        const double y = plot.bottom() - plot.height() * v / topReq;
        p.setPen(QPen(kGrid, 0.5 * k));
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        p.setPen(kAxis);
        p.drawText(QRectF(r.left(), y - fm.height() / 2, left - r.left() - 4 * k, fm.height()), Qt::AlignRight | Qt::AlignVCenter,
                   numbertext::count(static_cast<std::int64_t>(v)));
    }
    for (double v = 0; v <= topAcc + 1e-9; v += stepAcc) {
        const double y = plot.bottom() - plot.height() * v / topAcc;
        p.setPen(kLine);
        p.drawText(QRectF(right + 4 * k, y - fm.height() / 2, r.right() - right - 4 * k, fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                   numbertext::count(static_cast<std::int64_t>(v)));
    }
    if (n > 0) {
        const double bw = plot.width() / n;
        for (int i = 0; i < n; ++i) {
            const double h = plot.height() * t.requests[static_cast<std::size_t>(i)] / topReq;
            p.fillRect(QRectF(plot.left() + i * bw + bw * 0.1, plot.bottom() - h, bw * 0.8, h), kBars);
        }
        QPainterPath path;
        for (int i = 0; i < n; ++i) {
            const QPointF pt(plot.left() + (i + 0.5) * bw, plot.bottom() - plot.height() * t.accounts[static_cast<std::size_t>(i)] / topAcc);
            i ? path.lineTo(pt) : path.moveTo(pt);
        }
        p.setPen(QPen(kLine, 1.2 * k));
        p.setBrush(Qt::NoBrush);
        p.drawPath(path);
        // Time axis: first, middle and last bucket.
        p.setPen(kAxis);
        for (int i : {0, n / 2, n - 1}) {
            const double x = plot.left() + (i + 0.5) * bw;
            const QString label = dayLabel(t.start + i * t.bucketMs);
            const double w = fm.horizontalAdvance(label);
            const double lx = std::clamp(x - w / 2, plot.left(), plot.right() - w);
            p.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 3 * k));
            p.drawText(QPointF(lx, plot.bottom() + 3 * k + fm.ascent()), label);
        }
    }
    p.setPen(QPen(kAxis, 0.8 * k));
    p.drawLine(plot.bottomLeft(), plot.bottomRight());
    p.drawLine(plot.bottomLeft(), plot.topLeft());
    // Legend.
    const double ly = r.top() + fm.ascent();
    p.fillRect(QRectF(left, ly - fm.ascent() * 0.8, 10 * k, fm.ascent() * 0.8), kBars);
    p.setPen(kAxis);
    const QString bucket = t.bucketMs >= 86400000 ? QStringLiteral("day") : QStringLiteral("%1 h").arg(t.bucketMs / 3600000.0, 0, 'g', 3);
    const QString l1 = QStringLiteral("requests per %1 (left axis)").arg(bucket);
    p.drawText(QPointF(left + 13 * k, ly), l1);
    const double x2 = left + 13 * k + fm.horizontalAdvance(l1) + 16 * k;
    p.setPen(QPen(kLine, 1.5 * k));
    p.drawLine(QPointF(x2, ly - fm.ascent() * 0.35), QPointF(x2 + 12 * k, ly - fm.ascent() * 0.35));
    p.setPen(kAxis);
    p.drawText(QPointF(x2 + 15 * k, ly), QStringLiteral("active accounts (right axis)"));
    p.drawText(QPointF(left, r.bottom() - 2), QStringLiteral("Time (UTC)"));
}

void drawLinkGraph(QPainter& p, const QRectF& r, const Graph& g, const QFont& font, double k)
{
    p.setFont(font);
    const QFontMetricsF fm(font, p.device());
    const int n = static_cast<int>(g.nodes.size());
    // The legend's kinds, in words; the entries wrap onto as many lines as they need under the drawing.
    std::vector<QString> kinds;
    for (const auto& e : g.edges)
        if (std::find(kinds.begin(), kinds.end(), e.kind) == kinds.end())
            kinds.push_back(e.kind);
    std::sort(kinds.begin(), kinds.end());
    const QString legendTitle = QStringLiteral("Link kinds:");
    const auto entryWidth = [&](const QString& kind) { return 15 * k + fm.horizontalAdvance(linkkinds::label(kind)) + 10 * k; };
    int legendLines = 1;
    {
        const double start = 8 * k + fm.horizontalAdvance(legendTitle) + 6 * k;
        double x = start;
        for (const QString& kind : kinds) {
            if (x + entryWidth(kind) > r.width() - 8 * k && x > start) {
                ++legendLines;
                x = start;
            }
            x += entryWidth(kind);
        }
    }
    const double legendH = fm.height() * (0.6 + legendLines);
    const QRectF area = r.adjusted(8 * k, 8 * k, -8 * k, -legendH - 4 * k);
    std::vector<QPointF> pos(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        const double a = 2 * M_PI * i / std::max(1, n);
        pos[static_cast<std::size_t>(i)] = QPointF(std::cos(a), std::sin(a));
    }
    // Fruchterman-Reingold in the unit square, a fixed number of steps: same input, same picture.
    const double kk = std::sqrt(4.0 / std::max(1, n));
    double temp = 0.2;
    for (int it = 0; it < 200 && n > 1; ++it) {
        std::vector<QPointF> disp(static_cast<std::size_t>(n), QPointF(0, 0));
        for (int i = 0; i < n; ++i)
            for (int j = i + 1; j < n; ++j) {
                QPointF d = pos[static_cast<std::size_t>(i)] - pos[static_cast<std::size_t>(j)];
                const double dist = std::max(1e-3, std::hypot(d.x(), d.y()));
                const QPointF f = d / dist * (kk * kk / dist);
                disp[static_cast<std::size_t>(i)] += f;
                disp[static_cast<std::size_t>(j)] -= f;
            }
        for (const auto& e : g.edges) {
            QPointF d = pos[static_cast<std::size_t>(e.a)] - pos[static_cast<std::size_t>(e.b)];
            const double dist = std::max(1e-3, std::hypot(d.x(), d.y()));
            const QPointF f = d / dist * (dist * dist / kk);
            disp[static_cast<std::size_t>(e.a)] -= f;
            disp[static_cast<std::size_t>(e.b)] += f;
        }
        for (int i = 0; i < n; ++i) {
            QPointF& d = disp[static_cast<std::size_t>(i)];
            const double len = std::max(1e-9, std::hypot(d.x(), d.y()));
            pos[static_cast<std::size_t>(i)] += d / len * std::min(len, temp);
            // Gentle pull to the centre keeps unlinked nodes on the page.
            pos[static_cast<std::size_t>(i)] *= 0.995;
        }
        temp *= 0.98;
    }
    double minX = 1e9, maxX = -1e9, minY = 1e9, maxY = -1e9;
    for (const auto& q : pos) {
        minX = std::min(minX, q.x());
        maxX = std::max(maxX, q.x());
        minY = std::min(minY, q.y());
        maxY = std::max(maxY, q.y());
    }
    const bool labels = n <= 40;
    const double labelRoom = labels ? fm.horizontalAdvance(QStringLiteral("acct_XXXXXXXXXXXX")) / 2 : 0;
    const QRectF inner = area.adjusted(labelRoom, fm.height(), -labelRoom, -fm.height());
    auto map = [&](const QPointF& q) {
        const double x = maxX > minX ? (q.x() - minX) / (maxX - minX) : 0.5;
        const double y = maxY > minY ? (q.y() - minY) / (maxY - minY) : 0.5;
        return QPointF(inner.left() + x * inner.width(), inner.top() + y * inner.height());
    };
    double maxW = 0;
    for (const auto& e : g.edges)
        maxW = std::max(maxW, e.weight);
    for (const auto& e : g.edges) {
        QColor c = kindColor(e.kind);
        c.setAlphaF(0.75);
        p.setPen(QPen(c, (0.4 + 1.6 * (maxW > 0 ? e.weight / maxW : 0)) * k));
        p.drawLine(map(pos[static_cast<std::size_t>(e.a)]), map(pos[static_cast<std::size_t>(e.b)]));
    }
    const double radius = (n > 60 ? 2.0 : 3.2) * k;
    for (int i = 0; i < n; ++i) {
        const QPointF c = map(pos[static_cast<std::size_t>(i)]);
        p.setPen(QPen(Qt::white, 0.6 * k));
        p.setBrush(QColor(0x1b, 0x2a, 0x3a));
        p.drawEllipse(c, radius, radius);
        if (labels) {
            p.setPen(QColor(0x1b, 0x1f, 0x24));
            // Account ids from the logs: neutralised, then cut to the room the layout keeps for a label
            // (marks such as ‹ESC› make a neutralised id longer than it looks).
            const QString label = fm.elidedText(displaytext::cell(g.nodes[static_cast<std::size_t>(i)], 48), Qt::ElideRight, 2 * labelRoom);
            p.drawText(QPointF(c.x() - fm.horizontalAdvance(label) / 2, c.y() - radius - 1.5 * k), label);
        }
    }
    // Legend of the link kinds present, wrapped as measured above.
    const double indent = r.left() + 8 * k + fm.horizontalAdvance(legendTitle) + 6 * k;
    double x = r.left() + 8 * k;
    double y = r.bottom() - fm.height() * (legendLines - 0.5);
    p.setPen(QColor(0x1b, 0x1f, 0x24));
    p.drawText(QPointF(x, y), legendTitle);
    x = indent;
    for (const QString& kind : kinds) {
        if (x + entryWidth(kind) > r.right() - 8 * k && x > indent) {
            x = indent;
            y += fm.height();
        }
        p.setPen(QPen(kindColor(kind), 2 * k));
        p.drawLine(QPointF(x, y - fm.ascent() * 0.35), QPointF(x + 12 * k, y - fm.ascent() * 0.35));
        p.setPen(QColor(0x1b, 0x1f, 0x24));
        const QString label = linkkinds::label(kind); // "same IP address", not the detector's key "ip"
        p.drawText(QPointF(x + 15 * k, y), label);
        x += 15 * k + fm.horizontalAdvance(label) + 10 * k;
    }
    p.setPen(QPen(QColor(0xc8, 0xce, 0xd6), 0.5 * k));
    p.setBrush(Qt::NoBrush);
    p.drawRect(r);
}

} // namespace ds::charts

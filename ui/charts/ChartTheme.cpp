#include "charts/ChartTheme.h"

#include <QPalette>
#include <qcustomplot.h>

namespace ds::charttheme {

bool isDark(const QPalette& palette) { return palette.color(QPalette::Window).lightness() < 128; }

void apply(QCustomPlot* plot, const QPalette& palette)
{
    const QColor bg = palette.color(QPalette::Base);
    const QColor fg = palette.color(QPalette::Text);
    QColor grid = fg;
    grid.setAlpha(40);
    plot->setBackground(bg);
    for (QCPAxisRect* rect : plot->axisRects()) {
        for (QCPAxis* axis : rect->axes()) {
            axis->setBasePen(QPen(fg));
            axis->setTickPen(QPen(fg));
            axis->setSubTickPen(QPen(fg));
            axis->setTickLabelColor(fg);
            axis->setLabelColor(fg);
            axis->grid()->setPen(QPen(grid, 1, Qt::DotLine));
            axis->grid()->setZeroLinePen(Qt::NoPen);
        }
    }
    if (plot->legend) {
        plot->legend->setBrush(QBrush(bg));
        plot->legend->setTextColor(fg);
        plot->legend->setBorderPen(QPen(grid));
    }
}

QColor seriesColor(int index, const QPalette& palette)
{
    static const QColor light[] = {QColor(0x00, 0x72, 0xB2), QColor(0xE6, 0x9F, 0x00), QColor(0x00, 0x9E, 0x73),
                                   QColor(0xD5, 0x5E, 0x00), QColor(0xCC, 0x79, 0xA7), QColor(0x56, 0xB4, 0xE9),
                                   QColor(0x88, 0x88, 0x22), QColor(0x99, 0x99, 0x99)};
    QColor c = light[index % 8];
    return isDark(palette) ? c.lighter(120) : c;
}

} // namespace ds::charttheme

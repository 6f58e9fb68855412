#pragma once

#include <QColor>
#include <QList>

class QCustomPlot;
class QPalette;

namespace ds {

// Colours charts take from the application palette, so plots follow the light
// or dark theme. GUI thread only.
namespace charttheme {
bool isDark(const QPalette& palette);
// Applies background, axis, grid and legend colours to a plot.
void apply(QCustomPlot* plot, const QPalette& palette);
// A qualitative series palette readable on both backgrounds (Okabe-Ito based).
QColor seriesColor(int index, const QPalette& palette);
} // namespace charttheme

} // namespace ds

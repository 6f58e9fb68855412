#pragma once

#include "TestSupport.h"

#include <QSize>
#include <QString>

#include <memory>

namespace ds {
class MainWindow;
class PagedTableModel;
} // namespace ds

// The set-up every GUI suite repeats before it drives the real main window under the offscreen platform.
// GUI (test) thread only.
namespace ds::test {

// QStandardPaths' test folders with their settings emptied: a suite reads neither the developer's settings nor
// another suite's.
void useTestSettings();

// The real main window, writing its cases into `caseDir` (the default folder when empty), resized, shown and
// exposed. Null when the platform never exposed it: QVERIFY the result.
std::unique_ptr<MainWindow> showMainWindow(const QString& caseDir, QSize size = QSize(1600, 1000));

// `distillscope-cli simulate --out DIR --scenario SCENARIO --seed SEED`: the logs a suite then opens in the window.
CliResult simulate(const QString& outDir, const QString& scenario, int seed);

// True once the model holds the rows of its last query (nothing loading).
bool settled(const PagedTableModel* model);

} // namespace ds::test

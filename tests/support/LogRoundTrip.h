#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

// The log-format round trips of the detection suites (issue 14): simulate the tiny scenario in some log format, scan
// it, score detection against the simulator's truth. Each helper records a failure through QTest; the caller
// returns when QTest::currentTestFailed(). Test threads only.
namespace ds::test {

class ScratchDir;

// The issue 14 targets for every log format: what the canonical format reaches, within a margin.
inline constexpr double kRoundTripMinPrecision = 0.95;
inline constexpr double kRoundTripMinRecall = 0.90;

// `distillscope-cli simulate --out DIR --scenario tiny --seed SEED` plus `more`; the number of requests it wrote
// (more than 1,000), or -1 after a recorded failure.
qint64 simulateTiny(const ScratchDir& dir, const QString& seed, const QStringList& more = {});

// Scans `requestsFile` with DIR/accounts.csv into DIR/case.sqlite (results in DIR/results.json) and checks that all
// `requests` were read as `format`, none quarantined, each with its prompt; then evaluates against DIR/truth.csv and
// checks the targets (`label` names the run in messages). Returns eval's JSON.
QJsonObject scanAndScore(const ScratchDir& dir, const QString& requestsFile, const QString& format, qint64 requests,
                         const QString& label);

} // namespace ds::test

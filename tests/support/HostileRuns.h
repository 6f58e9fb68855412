#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

// The hostile inputs of issue 17's numbered items, written by small generators
// (nothing stored), each with the distillscope-cli run it attacks and what that
// run must do. tst_hostile_files runs them scaled down in CI; bench_hostile runs
// them at the sizes and prints each run's peak memory. Test threads only.
namespace ds::test {

// What one measured run of distillscope-cli did.
struct HostileOutcome
{
    int exitCode = -1; // -1: killed by a signal or not started
    QByteArray out, err;
    long maxRssKb = 0; // the child's peak resident memory (wait4)
    double seconds = 0;
};

struct HostileRun
{
    int item = 0;     // the numbered item
    QString name;     // what the input is, in a few words
    QString input;    // the hostile file (or case) the run reads, for its size
    std::function<void()> prepare; // work before the measured run (build a case to attack); may be empty
    QStringList args; // the measured run's arguments, without the program
    QByteArray fifoBytes; // written into `input`, a FIFO, while the run reads it
    // Why `o` is wrong for this input, or an empty string when it is right.
    std::function<QString(const HostileOutcome& o)> check;
};

// Sizes: `hugeMb` for the huge line and cell, `records` for the ordinary files;
// `recordLimit` is passed as --max-record-size to imports (empty: the default).
struct HostileScale
{
    long hugeMb = 100;
    int records = 20000;
    QString recordLimit = QStringLiteral("1M");
};

// Writes every input under `dir` (a few hundred MB at most in gzip for 1100 MB
// lines) and returns the runs, in the order.
QList<HostileRun> hostileRuns(const QString& dir, const HostileScale& scale);

// Starts measured runs from a small process forked while its creator is still
// small. A child's peak memory as wait4 reports it includes the memory its
// parent had at the fork (Linux records the old image's peak at exec), so a run
// forked from a process holding generated inputs would report those too. Create
// it before anything large is allocated; one at a time, from the thread that made it.
class MeasuredSpawner
{
public:
    MeasuredSpawner();
    ~MeasuredSpawner();
    MeasuredSpawner(const MeasuredSpawner&) = delete;
    MeasuredSpawner& operator=(const MeasuredSpawner&) = delete;

    // Runs `argv` with stdout and stderr into the two files; exit status (-1: killed) and peak RSS in KB.
    bool run(const QStringList& argv, const QString& outPath, const QString& errPath, int* exitCode, long* maxRssKb);

private:
    int m_toSpawner = -1, m_fromSpawner = -1;
    int m_pid = -1;
};

// Runs `cli` with `run`'s arguments after its `prepare`, feeding its FIFO, and
// measures it through `spawner`. stdout and stderr go through files in `dir`.
HostileOutcome runHostile(const HostileRun& run, const QString& cli, const QString& dir, MeasuredSpawner& spawner);

} // namespace ds::test

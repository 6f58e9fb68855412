#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QFile>
#include <QString>
#include <QStringList>

#include <cstdio>
#include <vector>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace ds::bench {

// What one measured run of a program took.
struct RunResult
{
    double seconds = 0;
    double cpuSeconds = 0; // user + system: on a shared machine the figure that others' load moves least
    long maxRssKb = 0;
    int status = -1;
};

// Runs a command with its standard output discarded, returning wall time, CPU time and the child's peak resident memory.
inline RunResult runMeasured(const QStringList& argv)
{
    QElapsedTimer timer;
    timer.start();
    std::fflush(stdout);
    const pid_t pid = fork();
    if (pid == 0) {
        std::vector<QByteArray> storage;
        std::vector<char*> args;
        for (const QString& a : argv)
            storage.push_back(a.toLocal8Bit());
        for (QByteArray& s : storage)
            args.push_back(s.data());
        args.push_back(nullptr);
        if (!freopen("/dev/null", "w", stdout))
            _exit(127);
        execvp(args[0], args.data());
        _exit(127);
    }
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    RunResult r;
    r.seconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    r.cpuSeconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
                   + static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    r.maxRssKb = usage.ru_maxrss;
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

// fsync()s a file, so its dirty pages are not written back during a timed run.
inline void flushToDisk(const QString& path)
{
    QFile f(path);
    if (f.open(QIODevice::ReadOnly))
        ::fsync(f.handle());
}

} // namespace ds::bench

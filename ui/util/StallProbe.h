#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace ds {

// Measures how long the event loop of its thread goes without running a timer:
// a 5 ms timer notes the largest gap beyond its interval. Owner's thread only.
class StallProbe : public QObject
{
    Q_OBJECT
public:
    explicit StallProbe(QObject* parent = nullptr);
    void start();
    void stop();
    void reset();
    // Longest stall seen since start/reset, in milliseconds.
    qint64 longestStallMs() const { return m_longest; }
    // When it happened, in ms since start().
    qint64 longestStallAtMs() const { return m_longestAt; }

private:
    void tick();

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_longest = 0;
    qint64 m_longestAt = 0;
    static constexpr int kIntervalMs = 5;
};

} // namespace ds

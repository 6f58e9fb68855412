#include "util/StallProbe.h"

namespace ds {

StallProbe::StallProbe(QObject* parent)
    : QObject(parent)
{
    m_timer.setInterval(kIntervalMs);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &StallProbe::tick);
}

void StallProbe::start()
{
    m_clock.start();
    m_last = 0;
    m_timer.start();
}

void StallProbe::stop() { m_timer.stop(); }

void StallProbe::reset()
{
    m_longest = 0;
    m_last = m_clock.isValid() ? m_clock.elapsed() : 0;
}

void StallProbe::tick()
{
    const qint64 now = m_clock.elapsed();
    if (now - m_last - kIntervalMs > m_longest) {
        m_longest = now - m_last - kIntervalMs;
        m_longestAt = m_last;
    }
    m_last = now;
}

} // namespace ds

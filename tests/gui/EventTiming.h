#pragma once

#include <QApplication>
#include <QElapsedTimer>

// Times every top-level event so the report can name what the longest stall was.
// Test threads only.
class TimingApplication : public QApplication
{
public:
    using QApplication::QApplication;
    bool notify(QObject* receiver, QEvent* event) override
    {
        if (m_depth++ > 0) {
            const bool r = QApplication::notify(receiver, event);
            --m_depth;
            return r;
        }
        QElapsedTimer t;
        t.start();
        QObject* owner = receiver->parent() ? receiver->parent() : receiver;
        const QString what = QStringLiteral("%1 '%2' (of %3 '%4') event %5")
                                 .arg(QString::fromLatin1(receiver->metaObject()->className()), receiver->objectName(),
                                      QString::fromLatin1(owner->metaObject()->className()), owner->objectName())
                                 .arg(int(event->type()));
        const bool r = QApplication::notify(receiver, event);
        --m_depth;
        if (t.elapsed() > s_slowestMs) {
            s_slowestMs = t.elapsed();
            s_slowest = what;
        }
        if (t.elapsed() >= 15)
            qInfo("slow event: %lld ms, %s", t.elapsed(), qPrintable(what));
        return r;
    }
    static inline qint64 s_slowestMs = 0;
    static inline QString s_slowest;

private:
    int m_depth = 0;
};


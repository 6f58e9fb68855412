#include "util/FittedStatusMessage.h"

#include "text/DisplayText.h"

#include <QEvent>
#include <QStatusBar>
#include <QTimer>
#include <QWidget>

#include <algorithm>

namespace ds {

FittedStatusMessage::FittedStatusMessage(QStatusBar* bar, QList<QWidget*> permanentWidgets)
    : QObject(bar)
    , m_bar(bar)
    , m_permanent(std::move(permanentWidgets))
{
    m_bar->installEventFilter(this);
    for (QWidget* w : m_permanent)
        w->installEventFilter(this);
    connect(m_bar, &QStatusBar::messageChanged, this, [this](const QString& message) {
        if (message == m_shown && !message.isEmpty())
            return; // our own (re)fitted text
        m_text.clear(); // timed out, or another message replaced it
        m_shown.clear();
        m_bar->setToolTip({});
    });
}

void FittedStatusMessage::show(const QString& text, int timeoutMs)
{
    m_text = text;
    m_until = timeoutMs > 0 ? QDeadlineTimer(timeoutMs) : QDeadlineTimer(QDeadlineTimer::Forever);
    m_shown.clear();
    fit();
}

bool FittedStatusMessage::eventFilter(QObject* watched, QEvent* event)
{
    const QEvent::Type t = event->type();
    if (!m_text.isEmpty() && (t == QEvent::Resize || t == QEvent::Show || t == QEvent::Hide))
        scheduleFit(); // not from inside the layout pass that sent it
    return QObject::eventFilter(watched, event);
}

void FittedStatusMessage::scheduleFit()
{
    if (m_fitPending)
        return;
    m_fitPending = true;
    QTimer::singleShot(0, this, [this] {
        m_fitPending = false;
        fit();
    });
}

void FittedStatusMessage::fit()
{
    const qint64 left = m_until.remainingTime(); // -1: no timeout
    if (m_text.isEmpty() || left == 0)
        return;
    const int gap = m_bar->fontMetrics().averageCharWidth() * 2; // before each permanent widget
    int room = m_bar->width() - gap;
    for (const QWidget* w : m_permanent)
        if (w->isVisible())
            room -= w->width() + gap;
    const int minimum = m_bar->fontMetrics().averageCharWidth() * 12; // always a few words
    const QString fitted = m_bar->fontMetrics().elidedText(m_text, Qt::ElideRight, std::max(room, minimum));
    if (fitted == m_shown)
        return;
    m_shown = fitted;
    m_bar->setToolTip(fitted == m_text ? QString() : displaytext::tooltip(m_text));
    m_bar->showMessage(fitted, left < 0 ? 0 : static_cast<int>(std::max<qint64>(left, 1)));
}

} // namespace ds

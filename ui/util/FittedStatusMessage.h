#pragma once

#include <QDeadlineTimer>
#include <QList>
#include <QObject>
#include <QString>

class QStatusBar;
class QWidget;

namespace ds {

// Shows a transient status-bar message cut with an ellipsis to the room the
// bar's permanent widgets leave, and cuts it again whenever they change size.
// QStatusBar paints a long message under them, where it reads as one garbled
// string with their text ("0 reco1,000,000 requests"). While the message is
// cut, the bar's tooltip holds all of it. GUI thread only.
class FittedStatusMessage : public QObject
{
public:
    FittedStatusMessage(QStatusBar* bar, QList<QWidget*> permanentWidgets);

    void show(const QString& text, int timeoutMs);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void fit();
    void scheduleFit();

    QStatusBar* m_bar;
    QList<QWidget*> m_permanent;
    QString m_text;   // the whole message while it is shown, else empty
    QString m_shown;  // what the bar shows of it
    QDeadlineTimer m_until;
    bool m_fitPending = false;
};

} // namespace ds

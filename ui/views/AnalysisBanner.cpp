#include "views/AnalysisBanner.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>

namespace ds {

AnalysisBanner::AnalysisBanner(QWidget* parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("analysisBanner"));
    m_label = new QLabel(this);
    m_label->setTextFormat(Qt::PlainText);
    m_label->setWordWrap(true);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 3, 8, 3);
    layout->addWidget(m_label);
    setAutoFillBackground(true);
    applyColors();
    setVisible(false);
}

void AnalysisBanner::setMessage(const QString& message)
{
    m_label->setText(message);
    setVisible(!message.isEmpty());
}

QString AnalysisBanner::message() const { return isVisible() ? m_label->text() : QString(); }

void AnalysisBanner::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange)
        applyColors();
    QFrame::changeEvent(event);
}

void AnalysisBanner::applyColors()
{
    // Amber in both themes: a warning, readable on light and dark windows.
    const bool dark = parentWidget() ? parentWidget()->palette().color(QPalette::Window).lightness() < 128
                                     : palette().color(QPalette::Window).lightness() < 128;
    QPalette p = palette();
    p.setColor(QPalette::Window, dark ? QColor(0x5c, 0x45, 0x0a) : QColor(0xff, 0xf1, 0xc2));
    p.setColor(QPalette::WindowText, dark ? QColor(0xff, 0xe8, 0xa8) : QColor(0x5c, 0x40, 0x00));
    // Setting our own palette fires PaletteChange again; only assign when it differs.
    if (p != palette())
        setPalette(p);
}

} // namespace ds

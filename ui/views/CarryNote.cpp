#include "views/CarryNote.h"

#include "text/DisplayText.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace ds {

CarryNote::CarryNote(QWidget* parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("carryNote"));
    setFrameShape(QFrame::StyledPanel);
    m_label = new QLabel(this);
    m_label->setObjectName(QStringLiteral("carryNoteText"));
    m_label->setTextFormat(Qt::PlainText);
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* dismiss = new QToolButton(this);
    dismiss->setObjectName(QStringLiteral("carryNoteDismiss"));
    dismiss->setText(QStringLiteral("×"));
    dismiss->setAutoRaise(true);
    dismiss->setToolTip(tr("Dismiss"));
    dismiss->setAccessibleName(tr("Dismiss the note on carried verdicts"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->addWidget(m_label, 1);
    layout->addWidget(dismiss, 0, Qt::AlignTop);
    connect(dismiss, &QToolButton::clicked, this, [this] { setSentences({}); });
    setVisible(false);
}

void CarryNote::setSentences(const QStringList& sentences)
{
    QStringList lines{tr("Your verdicts after this run of detection:")};
    // The sentences name networks only, but a network label could reach them one day: keep them inert.
    for (const QString& s : sentences)
        lines << QStringLiteral("• ") + displaytext::cell(s, 400);
    m_label->setText(sentences.isEmpty() ? QString() : lines.join(QLatin1Char('\n')));
    setVisible(!sentences.isEmpty());
}

QString CarryNote::text() const { return isHidden() ? QString() : m_label->text(); }

} // namespace ds

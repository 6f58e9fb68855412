#include "case/PinsPanel.h"

#include "case/CaseEditor.h"
#include "core/Sqlite.h"
#include "text/DisplayText.h"

#include <QAction>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

namespace ds {

namespace {
constexpr int kThumbHeight = 48;
constexpr int kPinIdRole = Qt::UserRole + 1;
} // namespace

PinsPanel::PinsPanel(CaseEditor* editor, QWidget* parent)
    : QWidget(parent)
    , m_editor(editor)
    , m_list(new QListWidget(this))
    , m_heading(new QLabel(this))
    , m_note(new QPlainTextEdit(this))
    , m_remove(new QPushButton(tr("Remove pin"), this))
{
    m_list->setObjectName(QStringLiteral("pinsList"));
    m_list->setIconSize(QSize(kThumbHeight * 3 / 2, kThumbHeight));
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setWordWrap(true);
    m_list->setTextElideMode(Qt::ElideRight);
    m_list->setUniformItemSizes(false);
    m_list->setSpacing(2);
    m_list->setAlternatingRowColors(true);

    m_heading->setTextFormat(Qt::PlainText); // pin titles quote prompts and user agents
    m_heading->setWordWrap(true);
    m_note->setObjectName(QStringLiteral("pinNote"));
    m_note->setPlaceholderText(tr("Why this evidence matters (shown with it in the report)"));
    m_note->setTabChangesFocus(true);
    m_note->installEventFilter(this);
    m_remove->setObjectName(QStringLiteral("removePin"));

    auto* del = new QAction(tr("Remove pin"), m_list);
    del->setShortcut(QKeySequence::Delete);
    del->setShortcutContext(Qt::WidgetShortcut); // only while the list has focus, never in a text box
    m_list->addAction(del);
    connect(del, &QAction::triggered, this, &PinsPanel::removeSelected);
    connect(m_remove, &QPushButton::clicked, this, &PinsPanel::removeSelected);
    connect(m_list, &QListWidget::currentRowChanged, this, &PinsPanel::showSelected);
    connect(m_list, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
        if (const PinnedItem* p = pinAt(m_list->row(item)))
            Q_EMIT pinActivated(*p);
    });

    auto* details = new QWidget(this);
    auto* dl = new QVBoxLayout(details);
    dl->setContentsMargins(0, 0, 0, 0);
    dl->addWidget(m_heading);
    dl->addWidget(m_note);
    auto* buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(m_remove);
    dl->addLayout(buttons);

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_list);
    split->addWidget(details);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(split);

    connect(m_editor, &CaseEditor::pinsChanged, this, &PinsPanel::reload);
    reload();
}

const PinnedItem* PinsPanel::pinAt(int row) const
{
    return row >= 0 && row < static_cast<int>(m_pins.size()) ? &m_pins[static_cast<std::size_t>(row)] : nullptr;
}

QString PinsPanel::ownerText(const PinnedItem& pin) const
{
    QStringList parts;
    if (pin.cluster)
        parts << tr("network N-%1 (run %2)").arg(*pin.cluster).arg(pin.run.value_or(0));
    if (pin.account) {
        QString id;
        try {
            SqliteStatement q(m_editor->database(), "SELECT account_id FROM account WHERE id = ?");
            q.bind(1, *pin.account);
            if (q.step())
                id = q.columnText(0);
        } catch (const DatabaseError&) {
        }
        parts << tr("account %1").arg(id.isEmpty() ? QStringLiteral("#%1").arg(*pin.account) : displaytext::embedded(id, 80));
    }
    return parts.isEmpty() ? tr("whole case") : parts.join(QStringLiteral(", "));
}

void PinsPanel::reload()
{
    const std::int64_t keep = m_noteFor;
    try {
        m_pins = m_editor->store().pins();
    } catch (const DatabaseError&) {
        return; // unreadable case: keep what is shown
    }
    const QSignalBlocker block(m_list); // rebuilding is not the analyst changing the selection
    m_list->clear();
    int keepRow = -1;
    for (const PinnedItem& pin : m_pins) {
        // QListWidget items are plain text; displaytext neutralises controls and bidi overrides in titles.
        QString text = pinKindLabel(pin.kind) + QStringLiteral(" · ") + displaytext::embedded(pin.title, 160) + QLatin1Char('\n')
            + ownerText(pin);
        if (!pin.note.isEmpty())
            text += QLatin1Char('\n') + tr("Note: %1").arg(displaytext::embedded(pin.note, 160));
        auto* item = new QListWidgetItem(text, m_list);
        item->setData(kPinIdRole, QVariant::fromValue<qlonglong>(pin.id));
        QPixmap thumb;
        if (!pin.thumbnail.isEmpty() && thumb.loadFromData(pin.thumbnail))
            item->setIcon(QIcon(thumb.scaledToHeight(kThumbHeight, Qt::SmoothTransformation)));
        if (pin.id == keep)
            keepRow = m_list->count() - 1;
    }
    m_list->setCurrentRow(keepRow);
    showSelected();
}

void PinsPanel::showSelected()
{
    commitNote(); // the note typed for the previous pin is not lost by clicking another one
    const PinnedItem* p = pinAt(m_list->currentRow());
    m_noteFor = p ? p->id : 0;
    m_note->setEnabled(p != nullptr);
    m_remove->setEnabled(p != nullptr);
    m_heading->setText(p ? pinKindLabel(p->kind) + QStringLiteral(": ") + displaytext::embedded(p->title, 300)
                         : tr("Select a pin to edit its note."));
    const QString note = p ? p->note : QString();
    if (m_note->toPlainText() != note)
        m_note->setPlainText(note);
}

void PinsPanel::commitNote()
{
    if (!m_noteFor)
        return;
    for (const PinnedItem& p : m_pins) {
        if (p.id == m_noteFor && p.note != m_note->toPlainText()) {
            m_editor->setPinNote(p.id, m_note->toPlainText()); // reloads through pinsChanged
            return;
        }
    }
}

bool PinsPanel::selectPin(std::int64_t id)
{
    commitNote(); // first: committing reloads the list
    for (int row = 0; row < m_list->count(); ++row) {
        if (m_list->item(row)->data(kPinIdRole).toLongLong() == id) {
            m_list->setCurrentRow(row);
            m_list->scrollToItem(m_list->item(row));
            return true;
        }
    }
    return false;
}

void PinsPanel::removeSelected()
{
    const PinnedItem* p = pinAt(m_list->currentRow());
    if (!p)
        return;
    commitNote(); // the note edit stays its own undo step, before the removal
    p = pinAt(m_list->currentRow());
    if (p)
        m_editor->removePin(p->id);
}

bool PinsPanel::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_note && event->type() == QEvent::FocusOut)
        commitNote();
    return QWidget::eventFilter(watched, event);
}

} // namespace ds

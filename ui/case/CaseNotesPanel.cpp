#include "case/CaseNotesPanel.h"

#include "case/AuditLog.h"
#include "case/CaseEditor.h"
#include "core/Sqlite.h"
#include "text/DisplayText.h"

#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>

namespace ds {

namespace {
constexpr NoteField kFields[] = {NoteField::Title, NoteField::CaseId, NoteField::Analyst, NoteField::Summary,
                                 NoteField::FreeText};
bool isLine(NoteField f) { return f == NoteField::Title || f == NoteField::CaseId || f == NoteField::Analyst; }
std::size_t slot(NoteField f) { return static_cast<std::size_t>(f); }
} // namespace

CaseNotesPanel::CaseNotesPanel(CaseEditor* editor, QWidget* parent)
    : QWidget(parent)
    , m_editor(editor)
{
    auto* form = new QFormLayout(this);
    form->setContentsMargins(6, 6, 6, 6);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    for (NoteField f : kFields) {
        const QString key = QString::fromLatin1(noteFieldKey(f));
        QWidget* w = nullptr;
        if (isLine(f)) {
            auto* line = new QLineEdit(this);
            connect(line, &QLineEdit::editingFinished, this, [this, f] { commit(f); });
            // Focus out commits too, whatever QLineEdit thinks of its "modified" flag (commit ignores no-ops).
            line->installEventFilter(this);
            w = line;
        } else {
            auto* box = new QPlainTextEdit(this);
            box->setTabChangesFocus(true); // Tab leaves the box (and commits) as in the line edits
            box->setMinimumHeight(box->fontMetrics().lineSpacing() * 4);
            box->installEventFilter(this);
            w = box;
        }
        w->setObjectName(QStringLiteral("note_") + key);
        m_widgets[slot(f)] = w;
        auto* label = new QLabel(noteFieldLabel(f) + QLatin1Char(':'), this);
        label->setTextFormat(Qt::PlainText);
        label->setBuddy(w);
        form->addRow(label, w);
    }
    static_cast<QLineEdit*>(fieldWidget(NoteField::Title))->setPlaceholderText(tr("What this investigation is about"));
    static_cast<QLineEdit*>(fieldWidget(NoteField::CaseId))->setPlaceholderText(tr("Ticket or case number, shown on every report page"));
    static_cast<QLineEdit*>(fieldWidget(NoteField::Analyst))->setPlaceholderText(audit::currentUser());
    static_cast<QPlainTextEdit*>(fieldWidget(NoteField::Summary))->setPlaceholderText(tr("Conclusion in a few sentences (report cover and summary)"));
    static_cast<QPlainTextEdit*>(fieldWidget(NoteField::FreeText))->setPlaceholderText(tr("Working notes (report: analyst notes)"));

    m_bidiWarning = new QLabel(this);
    m_bidiWarning->setObjectName(QStringLiteral("bidiWarning"));
    m_bidiWarning->setTextFormat(Qt::PlainText);
    m_bidiWarning->setWordWrap(true);
    m_bidiWarning->hide();
    form->addRow(m_bidiWarning);

    connect(m_editor, &CaseEditor::notesChanged, this, &CaseNotesPanel::reload);
    reload();
}

void CaseNotesPanel::updateBidiWarning()
{
    QStringList fields;
    for (NoteField f : kFields) {
        const QString t = text(f);
        for (auto it = t.cbegin(); it != t.cend(); ++it) {
            const char32_t c = it->isHighSurrogate() && it + 1 != t.cend() ? QChar::surrogateToUcs4(*it, *(it + 1)) : it->unicode();
            if (displaytext::isBidiControl(c)) {
                fields << noteFieldLabel(f);
                break;
            }
        }
    }
    m_bidiWarning->setVisible(!fields.isEmpty());
    if (!fields.isEmpty())
        m_bidiWarning->setText(tr("⚠ %1: contains invisible direction controls; the text may read differently from what it is.")
                                   .arg(fields.join(QStringLiteral(", "))));
}

QString CaseNotesPanel::text(NoteField f) const
{
    QWidget* w = fieldWidget(f);
    return isLine(f) ? static_cast<QLineEdit*>(w)->text() : static_cast<QPlainTextEdit*>(w)->toPlainText();
}

void CaseNotesPanel::setText(NoteField f, const QString& value)
{
    QWidget* w = fieldWidget(f);
    if (isLine(f)) {
        static_cast<QLineEdit*>(w)->setText(value);
        static_cast<QLineEdit*>(w)->setCursorPosition(0);
    }
    else
        static_cast<QPlainTextEdit*>(w)->setPlainText(value);
}

void CaseNotesPanel::reload()
{
    CaseNotes stored;
    try {
        stored = m_editor->store().notes();
    } catch (const DatabaseError&) {
        return; // unreadable case: keep what is shown; the next write reports the failure
    }
    for (NoteField f : kFields) {
        // A field still being typed in (text differs from what it showed) keeps the analyst's text.
        if (text(f) == m_shown[slot(f)] && stored.value(f) != m_committed.value(f)) {
            setText(f, stored.value(f));
            m_shown[slot(f)] = text(f);
        }
    }
    m_committed = stored;
    updateBidiWarning();
}

void CaseNotesPanel::commit(NoteField f)
{
    const QString value = text(f);
    if (value == m_shown[slot(f)])
        return; // focus moved without a change: no empty undo step, no audit entry, the stored text kept as it is
    m_committed.set(f, value); // before setNote: its notesChanged must not see this field as pending
    m_shown[slot(f)] = value;
    m_editor->setNote(f, value);
    updateBidiWarning();
}

void CaseNotesPanel::commitAll()
{
    for (NoteField f : kFields)
        commit(f);
}

bool CaseNotesPanel::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::FocusOut) {
        for (NoteField f : kFields) {
            if (watched != fieldWidget(f))
                continue;
            commit(f);
            if (isLine(f)) // show the start of a long title, not the end where typing stopped
                static_cast<QLineEdit*>(watched)->setCursorPosition(0);
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace ds

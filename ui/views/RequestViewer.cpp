#include "views/RequestViewer.h"

#include "data/BackgroundTask.h"
#include "text/DisplayText.h"
#include "util/PromptHighlight.h"
#include "workspace/ReadConnection.h"
#include "workspace/WorkspaceTables.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTableWidget>
#include <QTextBlock>
#include <QToolButton>
#include <QVBoxLayout>

namespace ds {

namespace {
PivotKind pivotForField(const QString& name)
{
    if (name == QLatin1String("ip"))
        return PivotKind::Ip;
    if (name == QLatin1String("user_agent"))
        return PivotKind::UserAgent;
    if (name == QLatin1String("model"))
        return PivotKind::Model;
    if (name == QLatin1String("account_id"))
        return PivotKind::Account;
    if (name == QLatin1String("template"))
        return PivotKind::Template;
    return PivotKind::None;
}
} // namespace

RequestViewer::RequestViewer(QWidget* parent)
    : QWidget(parent)
{
    m_header = new QLabel(tr("Select a request to see it in full."), this);
    m_header->setTextFormat(Qt::PlainText);
    m_header->setWordWrap(true);
    m_fields = new QTableWidget(0, 2, this);
    m_fields->setHorizontalHeaderLabels({tr("Field"), tr("Value")});
    m_fields->horizontalHeader()->setStretchLastSection(true);
    m_fields->verticalHeader()->setVisible(false);
    m_fields->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_fields->setWordWrap(false);
    m_fields->setToolTip(tr("Double-click an IP, user agent, model, account or template to pivot on it"));
    m_system = new QPlainTextEdit(this);
    m_system->setReadOnly(true);
    m_system->setPlaceholderText(tr("(no system prompt)"));
    m_system->setMaximumHeight(m_system->fontMetrics().lineSpacing() * 3 + 12);
    m_prompt = new QPlainTextEdit(this);
    m_prompt->setReadOnly(true);
    m_prompt->setPlaceholderText(tr("(no prompt)"));
    m_prompt->setToolTip(tr("Highlighted: the slots that vary between requests of the same template"));

    auto* promptBox = new QWidget(this);
    auto* pl = new QVBoxLayout(promptBox);
    pl->setContentsMargins(0, 0, 0, 0);
    m_systemLabel = new QLabel(tr("System prompt"), promptBox);
    m_systemLabel->setTextFormat(Qt::PlainText);
    m_promptLabel = new QLabel(promptBox);
    m_promptLabel->setObjectName(QStringLiteral("promptLabel"));
    m_promptLabel->setTextFormat(Qt::PlainText);
    m_promptLabel->setWordWrap(true);
    auto* copy = new QToolButton(promptBox);
    copy->setObjectName(QStringLiteral("copyPrompt"));
    copy->setText(tr("Copy prompt"));
    copy->setToolTip(tr("Copy the prompt exactly as logged (the box shows control and direction characters as marks)"));
    copy->setAutoRaise(true);
    connect(copy, &QToolButton::clicked, this, &RequestViewer::copyPrompt);
    auto* promptHead = new QHBoxLayout;
    promptHead->setContentsMargins(0, 0, 0, 0);
    promptHead->addWidget(m_promptLabel, 1);
    promptHead->addWidget(copy);
    pl->addWidget(m_systemLabel);
    pl->addWidget(m_system);
    pl->addLayout(promptHead);
    pl->addWidget(m_prompt, 1);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_fields);
    split->addWidget(promptBox);
    // The fields are what the analyst scans first; the prompt box scrolls.
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_header);
    layout->addWidget(split, 1);

    connect(m_fields, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
        const QString name = m_fields->item(row, 0)->data(Qt::UserRole).toString();
        const PivotKind kind = pivotForField(name);
        const QString value = m_fields->item(row, 1)->data(Qt::UserRole).toString();
        if (kind != PivotKind::None && !value.isEmpty())
            Q_EMIT pivotRequested({kind, value});
    });
}

void RequestViewer::setCase(const QString& casePath)
{
    m_casePath = casePath;
    ++m_generation;
    m_detail = {};
    present();
}

void RequestViewer::showRequest(qint64 requestRowId)
{
    const quint64 generation = ++m_generation;
    std::function<Loaded()> work = [path = m_casePath, requestRowId] {
        Loaded l;
        l.detail = RequestDetail::load(readConnection(path), requestRowId);
        l.prompt = promptView(l.detail.prompt, l.detail.skeleton);
        l.system = promptView(l.detail.systemPrompt, {});
        l.system.highlights.clear(); // the system prompt has no template slots to show
        return l;
    };
    runInBackground<Loaded>(this, std::move(work), [this, generation](TaskResult<Loaded> r) {
        if (generation != m_generation)
            return;
        m_detail = r.ok() ? std::move(r.value.detail) : RequestDetail{};
        m_promptView = r.ok() ? std::move(r.value.prompt) : PromptView{};
        m_systemView = r.ok() ? std::move(r.value.system) : PromptView{};
        if (!r.ok())
            m_header->setText(tr("Could not load the request: %1").arg(r.error));
        present();
        Q_EMIT loaded();
    });
}

void RequestViewer::setScope(const ViewScope& scope)
{
    if (scope == m_scope)
        return;
    m_scope = scope;
    const qint64 shown = m_detail.id;
    if (!shown || m_casePath.isEmpty())
        return;
    const quint64 generation = ++m_scopeGeneration;
    const quint64 showing = m_generation;
    std::function<bool()> work = [path = m_casePath, scope, shown] {
        return workspace::requestInScope(readConnection(path), scope, shown);
    };
    runInBackground<bool>(this, std::move(work), [this, generation, showing, shown](TaskResult<bool> r) {
        // Another request shown meanwhile (or a newer filter) has the last word.
        if (generation != m_scopeGeneration || showing != m_generation || m_detail.id != shown || !r.ok() || r.value)
            return;
        clear(tr("No request shown: the filters now exclude the one shown before."));
    });
}

void RequestViewer::clear(const QString& why)
{
    ++m_generation; // a request still loading is not shown after this
    m_detail = {};
    m_promptView = {};
    m_systemView = {};
    present();
    m_header->setText(why);
}

void RequestViewer::copyPrompt() const { QApplication::clipboard()->setText(m_detail.prompt); }

void RequestViewer::present()
{
    m_fields->setRowCount(0);
    m_system->clear();
    m_prompt->clear();
    m_promptLabel->setText(tr("Prompt (highlighted: slots that vary within the template)"));
    m_promptLabel->setToolTip(QString());
    // Most requests have no system prompt: its box then gives its room to the prompt.
    m_systemLabel->setVisible(!m_detail.systemPrompt.isEmpty());
    m_system->setVisible(!m_detail.systemPrompt.isEmpty());
    if (!m_detail.id)
        return;
    m_header->setText(tr("Request %1").arg(displaytext::embedded(m_detail.fields.value(0).second, 80)));
    if (m_promptView.linesBroken || m_detail.prompt.size() > PromptView::kMaxHighlightChars) {
        m_promptLabel->setText(tr("Prompt (%L1 characters, long lines broken)").arg(m_detail.prompt.size()));
        m_promptLabel->setToolTip(tr("Lines over %L1 characters are broken for display and template slots are highlighted in "
                                     "the first %L2 characters. Copy prompt copies it exactly as logged.")
                                      .arg(PromptView::kMaxLineChars)
                                      .arg(PromptView::kMaxHighlightChars));
    }
    auto add = [this](const QString& name, const QString& value, bool unknown) {
        const int row = m_fields->rowCount();
        m_fields->insertRow(row);
        auto* key = new QTableWidgetItem(unknown ? tr("%1 (not in the format)").arg(displaytext::embedded(name, 60))
                                                 : name);
        key->setData(Qt::UserRole, name);
        auto* val = new QTableWidgetItem(displaytext::cell(value, 500));
        val->setData(Qt::UserRole, value);
        val->setToolTip(displaytext::tooltip(value));
        if (unknown) {
            QFont f = key->font();
            f.setItalic(true);
            key->setFont(f);
        }
        m_fields->setItem(row, 0, key);
        m_fields->setItem(row, 1, val);
    };
    for (const auto& [name, value] : m_detail.fields)
        add(name, value, false);
    for (const auto& [name, value] : m_detail.extraFields)
        add(name, value, true);
    m_fields->resizeColumnToContents(0);

    m_system->setPlainText(m_systemView.text);
    // The displayed text is the neutralised prompt; slots were computed on it so ranges match.
    m_prompt->setPlainText(m_promptView.text);
    QList<QTextEdit::ExtraSelection> marks;
    QTextCharFormat slot;
    QColor bg = palette().color(QPalette::Highlight);
    bg.setAlpha(70);
    slot.setBackground(bg);
    slot.setFontWeight(QFont::DemiBold);
    for (const TextRange& r : m_promptView.highlights) {
        QTextEdit::ExtraSelection sel;
        sel.cursor = QTextCursor(m_prompt->document());
        sel.cursor.setPosition(r.start);
        sel.cursor.setPosition(r.start + r.length, QTextCursor::KeepAnchor);
        sel.format = slot;
        marks.append(sel);
    }
    m_prompt->setExtraSelections(marks);
}

} // namespace ds

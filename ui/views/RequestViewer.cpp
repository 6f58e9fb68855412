#include "views/RequestViewer.h"

#include "data/BackgroundTask.h"
#include "util/DisplayText.h"
#include "util/PromptHighlight.h"
#include "workspace/ReadConnection.h"

#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTableWidget>
#include <QTextBlock>
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
    auto* sysLabel = new QLabel(tr("System prompt"), promptBox);
    auto* promptLabel = new QLabel(tr("Prompt (highlighted: slots that vary within the template)"), promptBox);
    pl->addWidget(sysLabel);
    pl->addWidget(m_system);
    pl->addWidget(promptLabel);
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
    std::function<RequestDetail()> work = [path = m_casePath, requestRowId] {
        return RequestDetail::load(readConnection(path), requestRowId);
    };
    runInBackground<RequestDetail>(this, std::move(work), [this, generation](TaskResult<RequestDetail> r) {
        if (generation != m_generation)
            return;
        m_detail = r.ok() ? std::move(r.value) : RequestDetail{};
        if (!r.ok())
            m_header->setText(tr("Could not load the request: %1").arg(r.error));
        present();
        Q_EMIT loaded();
    });
}

void RequestViewer::present()
{
    m_fields->setRowCount(0);
    m_system->clear();
    m_prompt->clear();
    if (!m_detail.id)
        return;
    m_header->setText(tr("Request %1").arg(displaytext::cell(m_detail.fields.value(0).second, 80)));
    auto add = [this](const QString& name, const QString& value, bool unknown) {
        const int row = m_fields->rowCount();
        m_fields->insertRow(row);
        auto* key = new QTableWidgetItem(unknown ? tr("%1 (not in the format)").arg(displaytext::cell(name, 60))
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

    m_system->setPlainText(displaytext::multiline(m_detail.systemPrompt));
    // The displayed text is the neutralised prompt; slots are computed on it so ranges match.
    const QString shown = displaytext::multiline(m_detail.prompt);
    m_prompt->setPlainText(shown);
    QList<QTextEdit::ExtraSelection> marks;
    QTextCharFormat slot;
    QColor bg = palette().color(QPalette::Highlight);
    bg.setAlpha(70);
    slot.setBackground(bg);
    slot.setFontWeight(QFont::DemiBold);
    for (const TextRange& r : templateSlots(shown, m_detail.skeleton)) {
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

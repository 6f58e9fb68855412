#include "views/TemplatesPanel.h"

#include "data/BackgroundTask.h"
#include "text/DisplayText.h"
#include "util/PromptHighlight.h"
#include "workspace/ReadConnection.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace ds {

namespace {
constexpr int kMaxExampleChars = 20000;

QTableWidgetItem* countItem(std::int64_t n)
{
    auto* item = new QTableWidgetItem(QLocale().toString(static_cast<qlonglong>(n)));
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}
QTableWidgetItem* caseItem(std::int64_t n)
{
    QTableWidgetItem* item = countItem(n);
    item->setToolTip(TemplatesPanel::tr("Every account in the case that sent it: far more than the network's own means it is common, "
                                 "as many means it is theirs alone"));
    return item;
}
} // namespace

TemplatesPanel::TemplatesPanel(QWidget* parent)
    : QWidget(parent)
{
    m_groupingBox = new QComboBox(this);
    m_groupingBox->setObjectName(QStringLiteral("templateGrouping"));
    for (int i = 0; i < kPromptGroupingCount; ++i)
        m_groupingBox->addItem(promptgroups::title(static_cast<PromptGrouping>(i)), i);
    m_groupingBox->setToolTip(tr("What the requests in one group have in common: the whole template, its opening words, or "
                                 "the task asked once the wording around it is stripped"));
    auto* label = new QLabel(tr("Group requests by:"), this);
    label->setTextFormat(Qt::PlainText); // every label of the app is plain text (tst_hostilegui)
    label->setBuddy(m_groupingBox);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("templateGroupingSummary"));
    m_summary->setTextFormat(Qt::PlainText); // our sentences, but they count values from the logs: never rich text
    m_summary->setWordWrap(true);

    auto* split = new QSplitter(Qt::Vertical, this);
    m_table = new QTableWidget(0, 5, split);
    m_table->setObjectName(QStringLiteral("templatesTable"));
    m_table->verticalHeader()->setVisible(false);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_examples = new QPlainTextEdit(split);
    m_examples->setReadOnly(true);
    m_examples->setObjectName(QStringLiteral("templateExamples"));
    split->addWidget(m_table);
    split->addWidget(m_examples);
    split->setStretchFactor(1, 2);

    auto* top = new QHBoxLayout;
    top->addWidget(label);
    top->addWidget(m_groupingBox);
    top->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 2, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);

    m_pin = new QAction(tr("Pin template to case"), this);
    m_pin->setObjectName(QStringLiteral("pinTemplate"));
    m_pin->setToolTip(tr("Pin the selected template with its example prompts into the case"));
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_table->addAction(m_pin);
    connect(m_pin, &QAction::triggered, this, [this] {
        if (const std::optional<PinnedItem> pin = templatePin())
            Q_EMIT pinRequested(*pin);
    });
    connect(m_groupingBox, &QComboBox::activated, this, [this](int index) {
        m_chosen = true;
        m_grouping = static_cast<PromptGrouping>(m_groupingBox->itemData(index).toInt());
        present();
    });
    connect(m_table, &QTableWidget::currentCellChanged, this, [this](int row) { showExamples(row); });
    connect(m_table, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
        // A template pivot filters every view on its fingerprint; openings and tasks have no pivot (yet).
        if (m_grouping == PromptGrouping::Template && row >= 0 && row < m_templates.size())
            Q_EMIT pivotRequested({PivotKind::Template, m_templates[row].hash});
    });
    present();
}

void TemplatesPanel::setCase(const QString& casePath)
{
    m_casePath = casePath;
    setSubject({}, {}, {});
}

void TemplatesPanel::setSubject(const QString& subject, const QList<EvidenceData::Template>& templates,
                                const std::vector<std::int64_t>& members)
{
    ++m_generation;
    if (m_cancel)
        m_cancel->requestCancel();
    m_subject = subject;
    m_templates = templates;
    m_members = members;
    m_groups = {};
    m_groupsLoaded = false;
    m_groupsLoading = false;
    m_chosen = false;
    m_grouping = PromptGrouping::Template;
    present();
    if (isVisible())
        loadGroups();
}

void TemplatesPanel::setGrouping(PromptGrouping g)
{
    m_chosen = true;
    m_grouping = g;
    present();
}

void TemplatesPanel::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    loadGroups();
}

void TemplatesPanel::loadGroups()
{
    if (m_groupsLoaded || m_groupsLoading || m_members.empty() || m_casePath.isEmpty())
        return;
    m_groupsLoading = true;
    m_cancel = std::make_shared<CancelToken>();
    const quint64 generation = m_generation;
    QStringList templateKeys;
    for (const auto& t : m_templates)
        templateKeys << t.hash;
    std::function<PromptGroups()> work = [path = m_casePath, members = m_members, templateKeys, cancel = m_cancel] {
        if (cancel->isCancelled())
            throw Cancelled{};
        return PromptGroups::load(readConnection(path), members, templateKeys, cancel.get());
    };
    runInBackground<PromptGroups>(this, std::move(work), [this, generation](TaskResult<PromptGroups> r) {
        if (generation != m_generation)
            return;
        m_groupsLoading = false;
        if (!r.ok()) {
            m_summary->setText(r.cancelled ? QString() : tr("Could not group the requests: %1").arg(r.error));
            return;
        }
        m_groups = std::move(r.value);
        m_groupsLoaded = true;
        if (!m_chosen)
            m_grouping = m_groups.telling();
        present();
        Q_EMIT groupsReady();
    });
    present();
}

void TemplatesPanel::present()
{
    {
        const QSignalBlocker block(m_groupingBox);
        m_groupingBox->setCurrentIndex(static_cast<int>(m_grouping));
    }
    const bool templates = m_grouping == PromptGrouping::Template;
    m_pin->setEnabled(templates);
    m_table->setRowCount(0);
    QString summary;
    if (!m_subject.isEmpty()) {
        summary = promptgroups::meaning(m_grouping);
        const int accounts = static_cast<int>(m_members.size());
        if (m_groupsLoaded) {
            summary += QLatin1Char('\n') + promptgroups::reach(m_groups.of(m_grouping), accounts) + QLatin1Char(' ');
            // The template rows are the evidence's (the network's label names the first): by requests.
            summary += m_grouping == PromptGrouping::Template
                           ? tr("Listed: the %1 with the most requests.").arg(m_templates.size() == 1 ? tr("template") : tr("%1 templates").arg(m_templates.size()))
                           : promptgroups::listing(m_groups.of(m_grouping), accounts);
            const PromptGrouping telling = m_groups.telling();
            if (telling != m_grouping && accounts >= 2)
                summary += QLatin1Char(' ')
                           + tr("%1 puts more of them into groups that accounts share.").arg(QStringLiteral("\u201C%1\u201D").arg(promptgroups::title(telling)));
        } else if (m_groupsLoading) {
            summary += QLatin1Char('\n') + tr("Counting how far templates, openings and tasks reach among the accounts…");
        }
    }
    m_summary->setText(summary);

    const QString members = m_grouping == PromptGrouping::Task ? tr("Accounts asking it") : tr("Accounts using it");
    const QString column = m_grouping == PromptGrouping::Template ? tr("Template") : m_grouping == PromptGrouping::Opening ? tr("Opening") : tr("Task");
    m_table->setHorizontalHeaderLabels({column, tr("Requests"), members, tr("Accounts in case"), templates ? tr("Fingerprint") : tr("Key")});
    if (templates) {
        m_table->setToolTip(tr("Prompt templates the accounts use most, by their fixed words (# a number, \"…\" quoted text); "
                               "the fingerprint is the one the STIX export shares. Double-click to pivot on a template"));
        m_examples->setToolTip(tr("Example prompts; highlighted words are the slots that vary, the rest is the shared skeleton"));
        for (const auto& t : m_templates) {
            const int row = m_table->rowCount();
            m_table->insertRow(row);
            // The words come from prompts: plain text, neutralised (text/TemplateName.h); a tooltip only through displaytext.
            auto* name = new QTableWidgetItem(t.name.words.isEmpty() ? t.hash : t.name.words);
            name->setToolTip(displaytext::tooltip(t.name.withFingerprint()));
            m_table->setItem(row, 0, name);
            m_table->setItem(row, 1, countItem(t.requests));
            m_table->setItem(row, 2, countItem(t.members));
            m_table->setItem(row, 3, m_groupsLoaded ? caseItem(m_groups.templateCaseAccounts.value(t.hash)) : new QTableWidgetItem);
            m_table->setItem(row, 4, new QTableWidgetItem(t.name.isEmpty() ? t.hash : t.name.fingerprint));
        }
    } else {
        m_table->setToolTip(m_grouping == PromptGrouping::Task ? tr("Tasks the most accounts asked, each in the words of its first request")
                                                               : tr("Openings the most accounts used (# a number, \"…\" quoted text)"));
        m_examples->setToolTip(m_grouping == PromptGrouping::Task ? tr("Example prompts; highlighted: the task, the rest is the wording around it")
                                                                  : tr("Example prompts that begin with this opening"));
        if (m_groupsLoaded)
            for (const PromptGroup& g : m_groups.of(m_grouping).top) {
                const int row = m_table->rowCount();
                m_table->insertRow(row);
                auto* name = new QTableWidgetItem(g.words.isEmpty() ? g.key : g.words);
                name->setToolTip(displaytext::tooltip(g.words));
                m_table->setItem(row, 0, name);
                m_table->setItem(row, 1, countItem(g.requests));
                m_table->setItem(row, 2, countItem(g.members));
                m_table->setItem(row, 3, caseItem(g.caseAccounts));
                m_table->setItem(row, 4, new QTableWidgetItem(g.key));
            }
    }
    m_table->resizeColumnsToContents();
    // A task can be a long line (a tool list): the counts stay in view, the words are cut (the tooltip has them whole).
    const int nameWidth = std::max(320, m_table->viewport()->width() / 2);
    if (m_table->columnWidth(0) > nameWidth)
        m_table->setColumnWidth(0, nameWidth);
    if (m_table->rowCount() > 0)
        m_table->setCurrentCell(0, 0);
    showExamples(m_table->rowCount() > 0 ? 0 : -1);
}

std::optional<PinnedItem> TemplatesPanel::templatePin() const
{
    const int row = m_table->currentRow();
    if (m_grouping != PromptGrouping::Template || row < 0 || row >= m_templates.size())
        return std::nullopt;
    const auto& t = m_templates[row];
    QJsonArray examples;
    for (const auto& e : t.examples)
        examples.append(e.prompt); // raw: the report shows it as plain text
    PinnedItem pin;
    pin.kind = PinKind::Template;
    pin.title = tr("Template %1 of %2").arg(t.name.words.isEmpty() ? t.hash : t.name.words, m_subject);
    pin.payload = {{QStringLiteral("fingerprint"), t.name.isEmpty() ? t.hash : t.name.fingerprint},
                   {QStringLiteral("skeleton"), t.examples.isEmpty() ? QString() : t.examples.first().skeleton},
                   {QStringLiteral("requests"), static_cast<qint64>(t.requests)},
                   {QStringLiteral("accounts"), t.members},
                   {QStringLiteral("examples"), examples}};
    return pin;
}

void TemplatesPanel::showExamples(int row)
{
    m_examples->clear();
    // Build the text and the highlighted ranges together so highlights land on the shown text.
    QString text;
    QList<TextRange> marks;
    auto append = [&](const QString& header, const PromptView& prompt) {
        text += header;
        const int offset = static_cast<int>(text.size());
        for (TextRange r : prompt.highlights) {
            r.start += offset;
            marks.append(r);
        }
        text += prompt.text + QStringLiteral("\n\n");
    };
    if (m_grouping == PromptGrouping::Template) {
        if (row < 0 || row >= m_templates.size())
            return;
        const auto& t = m_templates[row];
        for (int i = 0; i < t.examples.size(); ++i)
            // An example shows the template; a megabyte prompt is cut (the request viewer shows it whole).
            append(tr("Example %1 of template %2\n").arg(i + 1).arg(t.name.words.isEmpty() ? t.hash : t.name.withFingerprint()),
                   promptView(t.examples[i].prompt, t.examples[i].skeleton, kMaxExampleChars));
    } else {
        const auto& top = m_groups.of(m_grouping).top;
        if (!m_groupsLoaded || row < 0 || row >= top.size())
            return;
        const PromptGroup& g = top[row];
        const QString what = m_grouping == PromptGrouping::Task ? tr("task") : tr("opening");
        for (int i = 0; i < g.examples.size(); ++i) {
            PromptView view = promptView(g.examples[i].prompt, QString(), kMaxExampleChars);
            view.highlights.clear();
            // The task inside the wording around it, where the shown text holds it as it was sent.
            if (!g.examples[i].task.isEmpty()) {
                const QString task = displaytext::multiline(g.examples[i].task).trimmed();
                const qsizetype at = view.text.indexOf(task);
                if (at >= 0 && !task.isEmpty())
                    view.highlights.append({static_cast<int>(at), static_cast<int>(task.size())});
            }
            // The group's words are in the table (and may be long): the header names the request.
            append(tr("Example %1 of this %2 (request %3)\n").arg(i + 1).arg(what).arg(g.examples[i].requestId), view);
        }
    }
    m_examples->setPlainText(text);
    QList<QTextEdit::ExtraSelection> selections;
    QTextCharFormat slot;
    QColor bg = palette().color(QPalette::Highlight);
    bg.setAlpha(70);
    slot.setBackground(bg);
    slot.setFontWeight(QFont::DemiBold);
    for (const TextRange& r : marks) {
        QTextEdit::ExtraSelection sel;
        sel.cursor = QTextCursor(m_examples->document());
        sel.cursor.setPosition(r.start);
        sel.cursor.setPosition(r.start + r.length, QTextCursor::KeepAnchor);
        sel.format = slot;
        selections.append(sel);
    }
    m_examples->setExtraSelections(selections);
}

} // namespace ds

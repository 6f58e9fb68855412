#include "ingest/ClickHouseDialog.h"

#include "core/CaseDatabase.h"
#include "core/Sqlite.h"
#include "data/BackgroundTask.h"
#include "detect/DetectSettings.h"
#include "ingest/LogFormats.h"
#include "remote/TriageImport.h"
#include "text/DisplayText.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>

namespace ds {

ClickHouseDialog::ClickHouseDialog(QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Open from ClickHouse"));
    m_address = new QLineEdit(this);
    m_address->setPlaceholderText(QStringLiteral("clickhouse://analyst@db1:8123/logs.requests"));
    m_address->setMinimumWidth(420);
    m_password = new QLineEdit(this);
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setText(ClickHouseUrl::passwordFromEnvironment());
    m_password->setPlaceholderText(tr("when the address has none"));
    m_format = new QComboBox(this);
    m_format->addItems(logformats::presetNames());
    m_useSince = new QCheckBox(tr("From"), this);
    m_useUntil = new QCheckBox(tr("Until"), this);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_since = new QDateTimeEdit(now.addDays(-7), this);
    m_until = new QDateTimeEdit(now, this);
    for (QDateTimeEdit* e : {m_since, m_until}) {
        e->setTimeSpec(Qt::UTC);
        e->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
        e->setCalendarPopup(true);
        e->setEnabled(false);
    }
    m_outcome = new QLabel(tr("Test the connection to see the table and how many rows it holds."), this);
    m_outcome->setTextFormat(Qt::PlainText); // server text and table names are shown, never interpreted
    m_outcome->setWordWrap(true);
    m_budget = new QSpinBox(this);
    m_budget->setRange(1, 100);
    m_budget->setSuffix(QStringLiteral(" %"));
    m_budget->setValue(static_cast<int>(std::lround(TriageSettings{}.rowBudgetShare * 100)));
    m_budget->setToolTip(tr("The triage pulls at most this share of the table's rows: candidates by score first, "
                            "then the accounts linked to them"));
    // A busy bar while the server works (connection test, triage): the queries report no progress of their own.
    m_busy = new QProgressBar(this);
    m_busy->setRange(0, 0);
    m_busy->setTextVisible(false);
    m_busy->setVisible(false);

    auto* form = new QFormLayout;
    form->addRow(tr("&Address:"), m_address);
    form->addRow(tr("&Password:"), m_password);
    form->addRow(tr("&Format:"), m_format);
    auto* since = new QHBoxLayout;
    since->addWidget(m_useSince);
    since->addWidget(m_since, 1);
    auto* until = new QHBoxLayout;
    until->addWidget(m_useUntil);
    until->addWidget(m_until, 1);
    form->addRow(tr("Time range:"), since);
    form->addRow(QString(), until);
    form->addRow(tr("Triage row &budget:"), m_budget);

    auto* buttons = new QDialogButtonBox(this);
    m_test = buttons->addButton(tr("&Test connection"), QDialogButtonBox::ActionRole);
    m_triageButton = buttons->addButton(tr("T&riage on the server"), QDialogButtonBox::ActionRole);
    m_triageButton->setToolTip(tr("Let the server measure every account and pull only the accounts worth a look "
                                  "(and those linked to them), within the row budget"));
    m_triageButton->setEnabled(false);
    m_import = buttons->addButton(tr("&Import"), QDialogButtonBox::AcceptRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    m_import->setEnabled(false);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_outcome);
    layout->addWidget(m_busy);
    layout->addWidget(buttons);

    connect(m_test, &QPushButton::clicked, this, &ClickHouseDialog::testConnection);
    connect(m_triageButton, &QPushButton::clicked, this, &ClickHouseDialog::startTriage);
    connect(m_budget, &QSpinBox::valueChanged, this, &ClickHouseDialog::fieldsChanged);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_useSince, &QCheckBox::toggled, m_since, &QWidget::setEnabled);
    connect(m_useUntil, &QCheckBox::toggled, m_until, &QWidget::setEnabled);
    for (QLineEdit* e : {m_address, m_password})
        connect(e, &QLineEdit::textChanged, this, &ClickHouseDialog::fieldsChanged);
    connect(m_format, &QComboBox::currentIndexChanged, this, &ClickHouseDialog::fieldsChanged);
    for (QCheckBox* c : {m_useSince, m_useUntil})
        connect(c, &QCheckBox::toggled, this, &ClickHouseDialog::fieldsChanged);
    for (QDateTimeEdit* e : {m_since, m_until})
        connect(e, &QDateTimeEdit::dateTimeChanged, this, &ClickHouseDialog::fieldsChanged);
}

ClickHouseDialog::~ClickHouseDialog()
{
    if (m_cancel)
        m_cancel->requestCancel(); // a test still running stops; its answer is dropped with the watcher
}

QString ClickHouseDialog::outcome() const
{
    return m_outcome->text();
}

void ClickHouseDialog::fieldsChanged()
{
    // What was tested is no longer what would be imported.
    ++m_generation;
    if (m_cancel)
        m_cancel->requestCancel();
    m_source.reset();
    m_triage.reset();
    setBusy(false);
    m_import->setEnabled(false);
    m_triageButton->setEnabled(false);
    m_test->setEnabled(true);
}

int ClickHouseDialog::beginServerStep()
{
    if (m_cancel)
        m_cancel->requestCancel(); // one step talks to the server at a time
    m_cancel = std::make_shared<CancelToken>();
    m_test->setEnabled(false);
    m_import->setEnabled(false);
    m_triageButton->setEnabled(false);
    setBusy(true);
    return ++m_generation;
}

void ClickHouseDialog::setBusy(bool busy)
{
    m_busy->setVisible(busy);
}

TriageSettings ClickHouseDialog::triageSettings() const
{
    TriageSettings s = TriageSettings::fromDetect(DetectSettings{});
    s.rowBudgetShare = m_budget->value() / 100.0;
    return s;
}

void ClickHouseDialog::startTriage()
{
    if (!m_source || m_triage)
        return; // a source is triaged once: its pull is already restricted
    const int generation = beginServerStep();
    m_outcome->setText(tr("Triage on the server: measuring %1 rows, account by account…")
                           .arg(QLocale().toString(static_cast<qlonglong>(m_source->expectedRows()))));
    std::function<TriageOutcome()> work = [source = m_source, settings = triageSettings(), casePath = m_casePath,
                                           cancel = m_cancel] {
        // What the open case knows of the accounts (an accounts file imported before) informs the choice.
        QHash<QString, TriageAccountInfo> info;
        if (!casePath.isEmpty() && QFileInfo::exists(casePath)) {
            SqliteDb db = CaseDatabase::openForReading(casePath);
            info = readTriageAccountInfo(db, DetectSettings{}.publicEmailDomains);
        }
        return ds::runTriage(*source, info, settings, TriageSqlOptions{}, cancel.get());
    };
    runInBackground<TriageOutcome>(this, std::move(work), [this, generation](TaskResult<TriageOutcome> r) {
        if (generation != m_generation)
            return; // the fields changed meanwhile: the source is gone
        setBusy(false);
        m_test->setEnabled(true);
        if (!r.ok() || !r.value.ok()) {
            // The pull was not restricted: importing now would pull every row, as without a triage.
            m_outcome->setText(tr("The triage did not run: %1 Import pulls every row.")
                                   .arg(r.ok() ? r.value.response.message + QLatin1Char('.') : r.error));
            m_import->setEnabled(m_source->expectedRows() > 0);
            m_triageButton->setEnabled(true);
            return;
        }
        m_triage = r.value;
        const TriageSelection& s = m_triage->selection;
        const double share = s.rowsTotal ? 100.0 * static_cast<double>(s.rowsPulled) / static_cast<double>(s.rowsTotal) : 0.0;
        QString text = tr("Triage: %1 of %2 rows chosen (%3 %), %4 of %5 accounts: %6 candidates and %7 linked to them.")
                           .arg(QLocale().toString(static_cast<qlonglong>(s.rowsPulled)),
                                QLocale().toString(static_cast<qlonglong>(s.rowsTotal)), QLocale().toString(share, 'f', 1),
                                QLocale().toString(static_cast<qlonglong>(s.pulled.size())),
                                QLocale().toString(static_cast<qlonglong>(m_triage->accountsTotal)),
                                QLocale().toString(static_cast<qlonglong>(s.candidates - s.droppedCandidates)),
                                QLocale().toString(static_cast<qlonglong>(s.linked - s.droppedLinked)));
        if (s.droppedCandidates + s.droppedLinked > 0)
            text += QLatin1Char(' ') + tr("%1 left out by the row budget.").arg(s.droppedCandidates + s.droppedLinked);
        text += QLatin1Char(' ') + tr("Import pulls only these; detection compares them with the whole table.");
        m_outcome->setText(text);
        m_import->setEnabled(s.rowsPulled > 0);
    });
}

void ClickHouseDialog::testConnection()
{
    QString error;
    const auto url = ClickHouseUrl::parse(m_address->text(), &error, m_password->text());
    if (!url) {
        m_outcome->setText(error);
        return;
    }
    ClickHouseSource::Options options;
    options.format = m_format->currentText();
    if (m_useSince->isChecked())
        options.sinceMs = m_since->dateTime().toMSecsSinceEpoch();
    if (m_useUntil->isChecked())
        options.untilMs = m_until->dateTime().toMSecsSinceEpoch();
    if (options.sinceMs && options.untilMs && *options.untilMs <= *options.sinceMs) {
        m_outcome->setText(tr("The end of the time range must be later than its start."));
        return;
    }
    const int generation = beginServerStep();
    m_triage.reset();
    m_outcome->setText(tr("Connecting to %1…").arg(url->server()));
    struct Prepared
    {
        std::shared_ptr<ClickHouseSource> source;
        ClickHouseResponse failure;
    };
    std::function<Prepared()> work = [url = *url, options, cancel = m_cancel] {
        Prepared p;
        p.source = ClickHouseSource::prepare(url, options, cancel.get(), &p.failure);
        return p;
    };
    runInBackground<Prepared>(this, std::move(work), [this, generation](TaskResult<Prepared> r) {
        if (generation != m_generation)
            return; // the fields changed meanwhile
        setBusy(false);
        m_test->setEnabled(true);
        if (!r.ok() || !r.value.source) {
            m_outcome->setText(r.ok() ? r.value.failure.message + QLatin1Char('.') : r.error);
            return;
        }
        m_source = r.value.source;
        const ClickHouseTableInfo& t = m_source->table();
        m_outcome->setText(tr("ClickHouse %1 at %2: %3.%4 (%5%6). %7 rows to pull as %8.")
                               .arg(displaytext::cell(m_source->serverVersion(), 40), m_source->url().server(), t.database, t.table,
                                    displaytext::cell(t.engine, 60),
                                    t.needsFinal ? tr(", read with FINAL") : QString(),
                                    QLocale().toString(static_cast<qlonglong>(m_source->expectedRows())), m_source->options().format));
        m_import->setEnabled(m_source->expectedRows() > 0);
        m_triageButton->setEnabled(m_source->expectedRows() > 0);
    });
}

} // namespace ds

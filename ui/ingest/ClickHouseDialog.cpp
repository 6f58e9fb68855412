#include "ingest/ClickHouseDialog.h"

#include "data/BackgroundTask.h"
#include "ingest/LogFormats.h"
#include "text/DisplayText.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

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

    auto* buttons = new QDialogButtonBox(this);
    m_test = buttons->addButton(tr("&Test connection"), QDialogButtonBox::ActionRole);
    m_import = buttons->addButton(tr("&Import"), QDialogButtonBox::AcceptRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    m_import->setEnabled(false);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_outcome);
    layout->addWidget(buttons);

    connect(m_test, &QPushButton::clicked, this, &ClickHouseDialog::testConnection);
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
    m_import->setEnabled(false);
    m_test->setEnabled(true);
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
    if (m_cancel)
        m_cancel->requestCancel();
    m_cancel = std::make_shared<CancelToken>();
    const int generation = ++m_generation;
    m_test->setEnabled(false);
    m_import->setEnabled(false);
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
    });
}

} // namespace ds

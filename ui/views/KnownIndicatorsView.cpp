#include "views/KnownIndicatorsView.h"

#include "core/Timestamp.h"
#include "data/BackgroundTask.h"
#include "detect/ReasonText.h"
#include "indicators/IndicatorImport.h"
#include "indicators/IndicatorStore.h"
#include "text/DisplayText.h"
#include "workspace/ReadConnection.h"

#include <QFileInfo>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace ds {

namespace {

QString when(std::int64_t ms)
{
    return ms ? timestamp::toIso(ms).left(16).replace(QLatin1Char('T'), QLatin1Char(' ')) + QStringLiteral(" UTC") : QString();
}

QStandardItem* textItem(const QString& text)
{
    auto* item = new QStandardItem(text);
    item->setEditable(false);
    return item;
}

QStandardItem* numberItem(std::int64_t n)
{
    auto* item = textItem(QLocale().toString(static_cast<qlonglong>(n)));
    item->setData(static_cast<qlonglong>(n), Qt::UserRole);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

QTableView* makeTable(QStandardItemModel* model, QWidget* parent)
{
    auto* t = new QTableView(parent);
    t->setModel(model);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setSelectionMode(QAbstractItemView::SingleSelection);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setWordWrap(false);
    t->verticalHeader()->hide();
    t->verticalHeader()->setDefaultSectionSize(t->fontMetrics().height() + 6);
    t->horizontalHeader()->setStretchLastSection(true);
    return t;
}

struct ImportResult
{
    indicators::ImportOutcome outcome;
    QString error;
    bool cancelled = false;
};

} // namespace

KnownIndicatorsView::KnownIndicatorsView(QWidget* parent)
    : QWidget(parent)
    , m_summary(new QLabel(this))
    , m_error(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_indicatorModel(new QStandardItemModel(this))
    , m_hitModel(new QStandardItemModel(this))
    , m_indicators(makeTable(m_indicatorModel, this))
    , m_hits(makeTable(m_hitModel, this))
    , m_hitsTitle(new QLabel(this))
    , m_showAccounts(new QPushButton(tr("Show these accounts in every view"), this))
    , m_progressTimer(new QTimer(this))
{
    // Partner text (producer names, patterns, account ids) is only ever plain text here.
    for (QLabel* l : {m_summary, m_error, m_hitsTitle}) {
        l->setTextFormat(Qt::PlainText);
        l->setWordWrap(true);
    }
    m_error->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_error->hide();
    m_progress->setRange(0, 1000);
    m_progress->hide();
    m_cancel->hide();
    m_showAccounts->setEnabled(false);
    m_summary->setText(tr("No partner indicators in this case. File > Import indicators… reads a STIX 2.1 bundle."));
    m_indicatorModel->setHorizontalHeaderLabels({tr("Indicator"), tr("Accounts"), tr("Requests"), tr("First seen"), tr("Last seen"),
                                                 tr("Producer"), tr("Confidence"), tr("Valid"), tr("Pattern"), tr("Bundle")});
    m_hitModel->setHorizontalHeaderLabels({tr("Account"), tr("Requests"), tr("First seen"), tr("Last seen")});

    auto* progressRow = new QHBoxLayout;
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_cancel);
    auto* hitsHeader = new QHBoxLayout;
    hitsHeader->addWidget(m_hitsTitle, 1);
    hitsHeader->addWidget(m_showAccounts);
    auto* lower = new QWidget(this);
    auto* lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    lowerLayout->addLayout(hitsHeader);
    lowerLayout->addWidget(m_hits);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_indicators);
    split->addWidget(lower);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_error);
    layout->addLayout(progressRow);
    layout->addWidget(split, 1);

    connect(m_indicators->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { showHits(current.isValid() ? current.row() : -1); });
    connect(m_showAccounts, &QPushButton::clicked, this, &KnownIndicatorsView::requestAccounts);
    connect(m_indicators, &QTableView::doubleClicked, this, &KnownIndicatorsView::requestAccounts);
    connect(m_hits, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        if (index.isValid() && static_cast<std::size_t>(index.row()) < m_hitAccounts.size())
            Q_EMIT accountFocused(m_hitAccounts[static_cast<std::size_t>(index.row())]);
    });
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_import)
            m_import->cancel.requestCancel();
    });
    m_progressTimer->setInterval(100);
    connect(m_progressTimer, &QTimer::timeout, this, [this] {
        if (m_import)
            m_progress->setValue(m_import->progress.load());
    });
}

KnownIndicatorsView::~KnownIndicatorsView()
{
    if (m_import)
        m_import->cancel.requestCancel();
}

bool KnownIndicatorsView::isBusy() const { return m_import != nullptr; }

void KnownIndicatorsView::setCase(const QString& casePath)
{
    m_casePath = casePath;
    reload();
}

void KnownIndicatorsView::setError(const QString& error)
{
    m_error->setText(displaytext::cell(error, 600));
    m_error->setVisible(!error.isEmpty());
}

void KnownIndicatorsView::reload()
{
    const quint64 generation = ++m_generation;
    if (m_casePath.isEmpty()) {
        m_indicatorModel->removeRows(0, m_indicatorModel->rowCount());
        m_hitModel->removeRows(0, m_hitModel->rowCount());
        m_indicatorIds.clear();
        return;
    }
    std::function<std::vector<indicators::StoredIndicator>()> work = [path = m_casePath] {
        return indicators::loadIndicators(readConnection(path));
    };
    runInBackground<std::vector<indicators::StoredIndicator>>(this, std::move(work), [this, generation](auto r) {
        if (generation != m_generation)
            return;
        if (!r.ok()) {
            setError(tr("The indicators could not be read: %1").arg(r.error));
            return;
        }
        const auto& list = r.value;
        m_indicatorModel->removeRows(0, m_indicatorModel->rowCount());
        m_indicatorIds.clear();
        int matched = 0, unevaluable = 0;
        QStringList bundles;
        for (const auto& s : list) {
            matched += s.accounts > 0;
            unevaluable += !s.unevaluable.isEmpty();
            if (!bundles.contains(s.bundleSha256))
                bundles << s.bundleSha256;
            const QString what = s.unevaluable.isEmpty() ? s.summary : tr("Not evaluated: %1").arg(s.unevaluable);
            const QString producer = s.producer.isEmpty() ? s.bundleProducer : s.producer;
            const QString valid = s.validUntil ? tr("%1 to %2").arg(when(s.validFrom), when(*s.validUntil)) : tr("from %1").arg(when(s.validFrom));
            QList<QStandardItem*> row{textItem(displaytext::cell(what, 200)),
                                      numberItem(s.accounts),
                                      numberItem(s.requests),
                                      textItem(when(s.firstTs)),
                                      textItem(when(s.lastTs)),
                                      textItem(displaytext::cell(producer, 80)),
                                      s.confidence ? numberItem(*s.confidence) : textItem(QString()),
                                      textItem(valid),
                                      textItem(displaytext::cell(s.pattern, 300)),
                                      textItem(displaytext::cell(s.bundleFile, 80) + QStringLiteral(" · SHA-256 ") + s.bundleSha256.left(16)
                                               + QStringLiteral("…"))};
            row[0]->setToolTip(displaytext::tooltip(what));
            row[8]->setToolTip(displaytext::tooltip(s.pattern));
            row[9]->setToolTip(displaytext::tooltip(s.bundleFile + QStringLiteral("\nSHA-256 ") + s.bundleSha256));
            m_indicatorModel->appendRow(row);
            m_indicatorIds.push_back(s.id);
        }
        if (list.empty())
            m_summary->setText(tr("No partner indicators in this case. File > Import indicators… reads a STIX 2.1 bundle."));
        else
            m_summary->setText(tr("%1 from %2: %3 matched accounts of this case, %4 cannot be evaluated. Hits are evidence beside "
                                  "detection's findings, never a flag of their own.")
                                   .arg(reasontext::count(static_cast<std::int64_t>(list.size()), tr("indicator"), tr("indicators")),
                                        reasontext::count(bundles.size(), tr("bundle"), tr("bundles")))
                                   .arg(matched)
                                   .arg(unevaluable));
        m_indicators->resizeColumnsToContents();
        m_indicators->setColumnWidth(0, std::min(m_indicators->columnWidth(0), 420));
        m_indicators->setColumnWidth(8, std::min(m_indicators->columnWidth(8), 420));
        if (!list.empty())
            m_indicators->selectRow(0);
        else
            showHits(-1);
        Q_EMIT loaded();
    });
}

void KnownIndicatorsView::showHits(int row)
{
    const quint64 generation = ++m_hitGeneration;
    m_hitModel->removeRows(0, m_hitModel->rowCount());
    m_hitAccounts.clear();
    m_showAccounts->setEnabled(false);
    if (row < 0 || static_cast<std::size_t>(row) >= m_indicatorIds.size() || m_casePath.isEmpty()) {
        m_hitsTitle->clear();
        return;
    }
    m_hitsLabel = m_indicatorModel->item(row, 0)->text();
    m_hitsTitle->setText(tr("Accounts that matched %1").arg(m_hitsLabel));
    const std::int64_t id = m_indicatorIds[static_cast<std::size_t>(row)];
    std::function<std::vector<indicators::StoredHit>()> work = [path = m_casePath, id] {
        return indicators::loadHits(readConnection(path), id);
    };
    runInBackground<std::vector<indicators::StoredHit>>(this, std::move(work), [this, generation](auto r) {
        if (generation != m_hitGeneration || !r.ok())
            return;
        for (const auto& h : r.value) {
            m_hitModel->appendRow({textItem(displaytext::cell(h.accountId, 120)), numberItem(h.requests), textItem(when(h.firstTs)),
                                   textItem(when(h.lastTs))});
            m_hitAccounts.push_back(h.account);
        }
        if (r.value.empty())
            m_hitsTitle->setText(tr("No account of this case matched %1").arg(m_hitsLabel));
        m_showAccounts->setEnabled(!m_hitAccounts.empty());
        m_hits->resizeColumnsToContents();
    });
}

void KnownIndicatorsView::requestAccounts()
{
    if (!m_hitAccounts.empty())
        Q_EMIT accountsRequested(m_hitAccounts, tr("accounts matching %1").arg(displaytext::cell(m_hitsLabel, 60)));
}

void KnownIndicatorsView::importBundle(const QString& bundlePath)
{
    if (m_import)
        return;
    if (m_casePath.isEmpty()) {
        setError(tr("Open a case before importing indicators."));
        return;
    }
    setError({});
    m_import = std::make_shared<ImportState>();
    m_progress->setValue(0);
    m_progress->setFormat(tr("Matching %1 against the case… %p%").arg(displaytext::cell(QFileInfo(bundlePath).fileName(), 60)));
    m_progress->show();
    m_cancel->show();
    m_progressTimer->start();
    auto* watcher = new QFutureWatcher<ImportResult>(this);
    connect(watcher, &QFutureWatcher<ImportResult>::finished, this, [this, watcher] {
        const ImportResult r = watcher->result();
        watcher->deleteLater();
        m_import.reset();
        m_progressTimer->stop();
        m_progress->hide();
        m_cancel->hide();
        if (r.cancelled) {
            setError(tr("The import was cancelled; the case is unchanged."));
            return;
        }
        if (!r.error.isEmpty()) {
            setError(tr("The bundle was not imported: %1").arg(r.error));
            return;
        }
        if (r.outcome.refused()) {
            setError(r.outcome.refusal);
            return;
        }
        std::int64_t accounts = 0;
        QSet<QString> distinct;
        for (const auto& h : r.outcome.hits)
            for (const QString& a : h.accounts)
                distinct.insert(a);
        accounts = distinct.size();
        const QString message = tr("Imported %1 from %2: %3 matched %4, %5 cannot be evaluated. Run detection again to add the hits to "
                                   "the networks' evidence.")
                                    .arg(reasontext::count(r.outcome.indicators, tr("indicator"), tr("indicators")),
                                         displaytext::cell(r.outcome.fileName, 80))
                                    .arg(r.outcome.hits.size())
                                    .arg(reasontext::count(accounts, tr("account"), tr("accounts")))
                                    .arg(r.outcome.unevaluable.size());
        reload();
        Q_EMIT imported(message);
    });
    watcher->setFuture(QtConcurrent::run([path = m_casePath, bundlePath, state = m_import] {
        ImportResult r;
        try {
            SqliteDb db = CaseDatabase::openForWriting(path);
            r.outcome = indicators::importBundle(db, bundlePath, state->cancel,
                                                 [state](double share) { state->progress.store(static_cast<int>(share * 1000)); });
        } catch (const Cancelled&) {
            r.cancelled = true;
        } catch (const CaseOpenError& e) {
            r.error = e.message();
        } catch (const DatabaseError& e) {
            r.cancelled = e.isInterrupt() && state->cancel.isCancelled();
            r.error = r.cancelled ? QString() : QString::fromUtf8(e.what());
        } catch (const std::exception& e) {
            r.error = QString::fromUtf8(e.what());
        }
        return r;
    }));
}

} // namespace ds

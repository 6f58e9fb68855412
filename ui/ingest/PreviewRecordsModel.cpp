#include "ingest/PreviewRecordsModel.h"

#include "core/Timestamp.h"
#include "text/DisplayText.h"

#include <QBrush>
#include <QColor>
#include <QGuiApplication>
#include <QLocale>
#include <QPalette>

namespace ds {

namespace {

constexpr int kCellChars = 80; // ids, models, user agents: the column is cut narrower anyway
constexpr int kPromptChars = 160; // the first line of a prompt

QString orDash(const QString& s)
{
    return s.isEmpty() ? QStringLiteral("–") : displaytext::cell(s, kCellChars);
}

QString count(const std::optional<std::int64_t>& v)
{
    return v ? QLocale().toString(static_cast<qlonglong>(*v)) : QStringLiteral("–");
}

// The first line of a prompt, and how many lines follow it.
QString firstLine(const QString& prompt)
{
    const QString trimmed = prompt.trimmed();
    const qsizetype nl = trimmed.indexOf(QLatin1Char('\n'));
    if (nl < 0)
        return displaytext::cell(trimmed, kPromptChars);
    const qsizetype more = trimmed.count(QLatin1Char('\n'));
    return QStringLiteral("%1  (+%2 lines)")
        .arg(displaytext::cell(trimmed.left(nl), kPromptChars))
        .arg(QLocale().toString(static_cast<qlonglong>(more)));
}

} // namespace

QString PreviewRecordsModel::utcTime(std::int64_t epochMs)
{
    QString iso = timestamp::toIso(epochMs); // 2026-02-01T00:00:43.143Z
    if (iso.endsWith(QLatin1Char('Z')))
        iso.chop(1);
    return iso.replace(QLatin1Char('T'), QLatin1Char(' '));
}

void PreviewRecordsModel::setPreview(const FilePreview& preview)
{
    beginResetModel();
    m_records = preview.records;
    m_kind = preview.kind;
    endResetModel();
}

void PreviewRecordsModel::clear()
{
    beginResetModel();
    m_records.clear();
    endResetModel();
}

const PreviewRecord* PreviewRecordsModel::record(int row) const
{
    return row >= 0 && row < m_records.size() ? &m_records[row] : nullptr;
}

int PreviewRecordsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_records.size());
}

int PreviewRecordsModel::columnCount(const QModelIndex& parent) const
{
    if (parent.isValid())
        return 0;
    return m_kind == RecordKind::Requests ? int(RequestColumns) : int(AccountColumns);
}

QVariant PreviewRecordsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    if (m_kind == RecordKind::Accounts) {
        static const char* const kNames[]
            = { QT_TR_NOOP("Line"),    QT_TR_NOOP("Account"), QT_TR_NOOP("Created (UTC)"), QT_TR_NOOP("E-mail domain"),
                QT_TR_NOOP("Payment"), QT_TR_NOOP("Country"), QT_TR_NOOP("Tier") };
        return section >= 0 && section < AccountColumns ? tr(kNames[section]) : QVariant();
    }
    static const char* const kNames[] = {
        QT_TR_NOOP("Line"), QT_TR_NOOP("Account"),    QT_TR_NOOP("Time (UTC)"),      QT_TR_NOOP("Model"),
        QT_TR_NOOP("IP"),   QT_TR_NOOP("User agent"), QT_TR_NOOP("Tokens in / out"), QT_TR_NOOP("Prompt (first line)")
    };
    return section >= 0 && section < RequestColumns ? tr(kNames[section]) : QVariant();
}

QString PreviewRecordsModel::displayText(const PreviewRecord& r, int column) const
{
    if (column == 0)
        return QLocale().toString(static_cast<qlonglong>(r.line));
    if (r.quarantined)
        return column == 1 ? tr("Quarantined: %1").arg(displaytext::cell(r.reason, 300)) : QString();
    if (m_kind == RecordKind::Accounts) {
        switch (column) {
        case AccAccount:
            return orDash(r.accountId);
        case AccCreated:
            return r.createdAtMs ? utcTime(*r.createdAtMs) : QStringLiteral("–");
        case AccEmailDomain:
            return orDash(r.emailDomain);
        case AccPayment:
            return orDash(r.paymentFingerprint);
        case AccCountry:
            return orDash(r.billingCountry);
        case AccTier:
            return orDash(r.tier);
        default:
            return {};
        }
    }
    switch (column) {
    case Account:
        return orDash(r.accountId);
    case Time:
        return r.timestampMs ? utcTime(*r.timestampMs) : QStringLiteral("–");
    case Model:
        return orDash(r.model);
    case Ip:
        return orDash(r.ip);
    case UserAgent:
        return orDash(r.userAgent);
    case Tokens:
        return QStringLiteral("%1 / %2").arg(count(r.promptTokens), count(r.completionTokens));
    case Prompt:
        return r.prompt.isEmpty() ? QStringLiteral("–") : firstLine(r.prompt);
    default:
        return {};
    }
}

QString PreviewRecordsModel::rawText(const PreviewRecord& r, int column) const
{
    if (m_kind == RecordKind::Accounts) {
        switch (column) {
        case AccAccount:
            return r.accountId;
        case AccEmailDomain:
            return r.emailDomain;
        case AccPayment:
            return r.paymentFingerprint;
        case AccCountry:
            return r.billingCountry;
        case AccTier:
            return r.tier;
        default:
            return {};
        }
    }
    switch (column) {
    case Account:
        return r.accountId;
    case Model:
        return r.model;
    case Ip:
        return r.ip;
    case UserAgent:
        return r.userAgent;
    default:
        return {};
    }
}

QString PreviewRecordsModel::toolTip(const PreviewRecord& r, int column) const
{
    if (r.quarantined)
        return displaytext::tooltip(tr("Line %1 would be quarantined: %2\n\n%3").arg(r.line).arg(r.reason, r.raw));
    if (m_kind == RecordKind::Requests && column == Prompt) {
        QString text = r.prompt;
        if (!r.systemPrompt.isEmpty())
            text = tr("System: %1\n\nPrompt: %2").arg(r.systemPrompt, r.prompt);
        return text.isEmpty() ? QString() : displaytext::tooltip(text);
    }
    if (m_kind == RecordKind::Requests && column == Account && !r.apiKeyId.isEmpty())
        return displaytext::tooltip(tr("%1\nAPI key: %2").arg(r.accountId, r.apiKeyId));
    // A value cut short in its cell is shown whole.
    const QString raw = rawText(r, column);
    return raw.size() > kCellChars ? displaytext::tooltip(raw) : QString();
}

QVariant PreviewRecordsModel::data(const QModelIndex& index, int role) const
{
    const PreviewRecord* r = record(index.row());
    if (!r || index.column() < 0 || index.column() >= columnCount())
        return {};
    switch (role) {
    case Qt::DisplayRole:
        return displayText(*r, index.column());
    case Qt::ToolTipRole: {
        const QString tip = toolTip(*r, index.column());
        return tip.isEmpty() ? QVariant() : QVariant(tip);
    }
    case Qt::TextAlignmentRole:
        if (index.column() == 0 || (m_kind == RecordKind::Requests && index.column() == Tokens))
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ForegroundRole:
        if (r->quarantined) {
            // Red, readable on light and dark windows.
            const bool dark = QGuiApplication::palette().color(QPalette::Base).lightness() < 128;
            return QBrush(dark ? QColor(0xff, 0x8a, 0x80) : QColor(0xa3, 0x1b, 0x12));
        }
        return {};
    default:
        return {};
    }
}

} // namespace ds

#include "case/AuditLogModel.h"

#include "core/Timestamp.h"
#include "text/DisplayText.h"

#include <QDateTime>
#include <QJsonArray>
#include <QTimeZone>
#include <QJsonDocument>

#include <algorithm>

namespace ds {

namespace {

QString valueText(const QJsonValue& v)
{
    if (v.isString())
        return v.toString();
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', 12);
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isNull() || v.isUndefined())
        return {};
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
}

} // namespace

QString auditDetailsText(const QJsonObject& details)
{
    QStringList parts;
    for (auto it = details.begin(); it != details.end(); ++it)
        parts << it.key() + QStringLiteral(": ") + valueText(it.value());
    return parts.join(QStringLiteral("; "));
}

AuditLogModel::AuditLogModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void AuditLogModel::setEntries(std::vector<AuditEntry> oldestFirst)
{
    std::reverse(oldestFirst.begin(), oldestFirst.end());
    beginResetModel();
    m_rows = std::move(oldestFirst);
    endResetModel();
}

int AuditLogModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int AuditLogModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant AuditLogModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const AuditEntry& e = m_rows[static_cast<std::size_t>(index.row())];
    if (role == Qt::ToolTipRole) {
        // The whole value (the cell cuts it), escaped: tooltips guess rich text, and a "<b>" in an id must show as typed.
        QString text;
        switch (index.column()) {
        case Time: text = timestamp::toIso(e.at); break;
        case User: text = e.user; break;
        case Action: text = e.action; break;
        case Subject: text = e.subject; break;
        case Details: text = auditDetailsText(e.details); break;
        default: break;
        }
        return text.isEmpty() ? QVariant() : QVariant(displaytext::tooltip(text));
    }
    if (role == Qt::DisplayRole) {
        // Subjects and details may quote attacker-controlled ids: neutralised (controls, bidi) and cut;
        // the default delegate paints them as plain text.
        const int limit = 300;
        switch (index.column()) {
        case Time: // to the second: the ISO milliseconds are in the tooltip and the exports
            return QDateTime::fromMSecsSinceEpoch(e.at, QTimeZone::utc()).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        case User:
            return displaytext::cell(e.user, limit);
        case Action:
            return displaytext::cell(e.action, limit);
        case Subject:
            return displaytext::cell(e.subject, limit);
        case Details:
            return displaytext::cell(auditDetailsText(e.details), limit);
        default:
            return {};
        }
    }
    if (role == Qt::UserRole)
        return QVariant::fromValue<qlonglong>(e.id);
    return {};
}

QVariant AuditLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time:
        return tr("Time (UTC)");
    case User:
        return tr("User");
    case Action:
        return tr("Action");
    case Subject:
        return tr("Subject");
    case Details:
        return tr("Details");
    default:
        return {};
    }
}

} // namespace ds

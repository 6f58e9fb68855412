#include "core/KnownSchema.h"

#include "case/CaseTables.h"
#include "core/CaseSchema.h"
#include "core/Sqlite.h"
#include "detect/DetectionSchema.h"
#include "indicators/IndicatorStore.h"
#include "ingest/RequestConflicts.h"
#include "remote/RemoteSchema.h"
#include "remote/TriageBaselines.h"
#include "remote/TriagePopulation.h"
#include "text/DisplayText.h"
#include "workspace/ViewTables.h"

#include <QHash>
#include <QSet>

namespace ds::knownschema {
namespace {

// Tables earlier versions of Distillscope created and no longer do: data only, so harmless to keep reading past.
constexpr const char* kRetiredTables[] = {"view_cluster_hour"};

struct Known
{
    QString type;
    QString table;
    QString sql; // compared for triggers and views only: ALTER TABLE rewrites a table's SQL over versions
};

QString normalised(const QString& sql) { return sql.simplified(); }

const QHash<QString, Known>& reference()
{
    static const QHash<QString, Known> known = [] {
        QHash<QString, Known> out;
        SqliteDb mem(QStringLiteral(":memory:"), SqliteDb::Mode::ReadWriteCreate);
        createAll(mem);
        SqliteStatement st(mem, "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema");
        while (st.step())
            out.insert(st.columnText(1), Known{st.columnText(0), st.columnText(2), normalised(st.columnText(3))});
        for (const char* t : kRetiredTables)
            out.insert(QString::fromLatin1(t), Known{QStringLiteral("table"), QString::fromLatin1(t), {}});
        return out;
    }();
    return known;
}

} // namespace

void createAll(SqliteDb& db)
{
    db.exec(schema::kCoreTables);
    db.exec(schema::kCoreIndexes);
    db.exec(schema::kRequestIdIndex);
    conflicts::ensureSchema(db);
    ensureDetectionSchema(db);
    ensureCaseTables(db);
    viewtables::ensureSchema(db);
    ensureRemoteSchema(db);
    ensureTriageSchema(db);
    ensureTriagePopulationSchema(db);
    indicators::ensureSchema(db);
}

QStringList unknownObjects(SqliteDb& db)
{
    const auto& known = reference();
    QStringList unknown;
    SqliteStatement st(db, "SELECT type, name, tbl_name, coalesce(sql, '') FROM main.sqlite_schema");
    while (st.step()) {
        const QString type = st.columnText(0), name = st.columnText(1), table = st.columnText(2);
        // SQLite's own objects (sqlite_sequence of AUTOINCREMENT, sqlite_stat1, automatic indexes) are not schema.
        if (name.startsWith(QLatin1String("sqlite_")))
            continue;
        const auto it = known.constFind(name);
        bool ok = it != known.constEnd() && it->type == type && it->table == table;
        if (ok && (type == QLatin1String("trigger") || type == QLatin1String("view")))
            ok = it->sql == normalised(st.columnText(3));
        if (!ok)
            unknown << (table == name ? QStringLiteral("%1 %2").arg(type, displaytext::embedded(name, 60))
                                      : QStringLiteral("%1 %2 on %3")
                                            .arg(type, displaytext::embedded(name, 60), displaytext::embedded(table, 60)));
    }
    return unknown;
}

bool isKnownTable(const QString& name)
{
    const auto& known = reference();
    const auto it = known.constFind(name);
    return it != known.constEnd() && it->type == QLatin1String("table");
}

} // namespace ds::knownschema

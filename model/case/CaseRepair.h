#pragma once

#include <QString>
#include <QStringList>

#include <cstdint>

namespace ds {

class CancelToken;

// What repair copied and what it left behind.
struct RepairSummary
{
    QStringList dropped;          // objects Distillscope does not create ("trigger flip on account_result")
    int tables = 0;               // known tables copied
    std::int64_t rows = 0;        // rows copied in all
    QStringList skippedColumns;   // "table.column" present in the source but not in this version's schema
};

// Copies the data of a case that was refused for holding unknown objects (core/KnownSchema.h) into a new, clean
// case: every table Distillscope creates, column by column, and nothing else (no trigger, view or foreign table).
// The source is opened read-only and never changed; `to` must not exist. On failure or cancel nothing is left at
// `to`. Throws CaseOpenError (source refused, `to` exists), DatabaseError, Cancelled. Caller's thread.
RepairSummary repairCase(const QString& from, const QString& to, const CancelToken& cancel);

} // namespace ds

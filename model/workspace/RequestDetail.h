#pragma once

#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>

#include <cstdint>

namespace ds {

class SqliteDb;

// One request in full: every canonical field and every field the format does
// not know (from its `extra` JSON), as (name, value) text pairs in a stable
// order. Values are attacker controlled: show them as plain text. Plain value type.
struct RequestDetail
{
    std::int64_t id = 0;
    std::int64_t accountRowId = 0;
    QList<QPair<QString, QString>> fields;
    QList<QPair<QString, QString>> extraFields;
    QString prompt;
    QString systemPrompt;
    QString skeleton; // the prompt's skeleton, for highlighting what varies

    // Worker threads only. Empty (id 0) when the request does not exist.
    static RequestDetail load(SqliteDb& db, std::int64_t requestRowId);
};

} // namespace ds

Q_DECLARE_METATYPE(ds::RequestDetail)

#include "workspace/SqlIdList.h"

#include <QStringList>

namespace ds {

QString sqlIdList(const std::vector<std::int64_t>& ids)
{
    QStringList s;
    s.reserve(static_cast<qsizetype>(ids.size()));
    for (std::int64_t id : ids)
        s << QString::number(id);
    return s.isEmpty() ? QStringLiteral("NULL") : s.join(QLatin1Char(','));
}

} // namespace ds

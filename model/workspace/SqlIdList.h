#pragma once

#include <QString>

#include <cstdint>
#include <vector>

namespace ds {

// Row ids as the text of an SQL `IN (...)` list ("3,7,12"), or "NULL" when there are none so the list stays valid
// and matches nothing. For ids the case itself produced (integers), never for text from logs. Any thread.
QString sqlIdList(const std::vector<std::int64_t>& ids);

} // namespace ds

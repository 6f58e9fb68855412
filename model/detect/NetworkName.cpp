#include "detect/NetworkName.h"

#include "core/Sqlite.h"
#include "detect/ReasonText.h"

#include <algorithm>

namespace ds::networkname {

namespace {

QString categoryWords(int category)
{
    switch (static_cast<TaskCategory>(category)) {
    case TaskCategory::Chat: return QStringLiteral("chat");
    case TaskCategory::Writing: return QStringLiteral("writing");
    case TaskCategory::Coding: return QStringLiteral("coding");
    case TaskCategory::Maths: return QStringLiteral("maths");
    case TaskCategory::Reasoning: return QStringLiteral("reasoning");
    case TaskCategory::Agentic: return QStringLiteral("agent-task");
    case TaskCategory::Other: break;
    }
    return {};
}

} // namespace

CategoryCounts categoriesOf(SqliteDb& db, const std::vector<std::int64_t>& accounts)
{
    CategoryCounts counts{};
    SqliteStatement st(db, "SELECT category FROM request WHERE account = ?1 LIMIT ?2");
    for (std::int64_t a : accounts) {
        st.reset();
        st.bind(1, a);
        st.bind(2, kRequestsPerAccount);
        while (st.step()) {
            const std::int64_t c = st.columnInt(0);
            if (c >= 0 && c < kTaskCategoryCount)
                ++counts[static_cast<std::size_t>(c)];
        }
    }
    return counts;
}

QString whatItDoes(const CategoryCounts& counts)
{
    std::int64_t total = 0;
    for (std::int64_t c : counts)
        total += c;
    // Categories with a name, most requests first.
    std::vector<int> named;
    for (int c = 0; c < kTaskCategoryCount; ++c)
        if (!categoryWords(c).isEmpty() && counts[static_cast<std::size_t>(c)] > 0)
            named.push_back(c);
    std::stable_sort(named.begin(), named.end(),
                     [&](int a, int b) { return counts[static_cast<std::size_t>(a)] > counts[static_cast<std::size_t>(b)]; });
    auto share = [&](int c) { return static_cast<double>(counts[static_cast<std::size_t>(c)]) / static_cast<double>(total); };
    if (total > 0 && !named.empty() && share(named[0]) >= 0.5)
        return QStringLiteral("%1 harvest").arg(categoryWords(named[0]));
    if (total > 0 && named.size() >= 2 && share(named[0]) + share(named[1]) >= 0.7)
        return QStringLiteral("%1 and %2 harvest").arg(categoryWords(named[0]), categoryWords(named[1]));
    return QStringLiteral("mixed-task harvest");
}

QString describe(const CategoryCounts& counts, std::int64_t accounts)
{
    return QStringLiteral("%1, %2").arg(whatItDoes(counts), reasontext::count(accounts, QStringLiteral("account"), QStringLiteral("accounts")));
}

bool templateNamesNetwork(std::int64_t templateAccounts, std::int64_t accounts)
{
    return templateAccounts >= 2 && static_cast<double>(templateAccounts) >= kMainTemplateAccountShare * static_cast<double>(accounts);
}

QString label(std::int64_t id, const CategoryCounts& counts, std::int64_t accounts, const templatename::TemplateName& main)
{
    QString text = QStringLiteral("N-%1: %2").arg(id).arg(describe(counts, accounts));
    if (!main.words.isEmpty())
        text += QStringLiteral("; template %1").arg(main.words);
    return text;
}

} // namespace ds::networkname

#include "workspace/PromptGroups.h"
#include "workspace/SqlIdList.h"

#include "core/CancelToken.h"
#include "core/Sqlite.h"
#include "detect/DetectSettings.h"
#include "detect/ReasonText.h"
#include "text/PromptPartName.h"
#include "text/TemplateName.h"
#include "workspace/ReadConnection.h"

#include <QSet>
#include <QStringList>

#include <algorithm>
#include <optional>

namespace ds {

namespace {

const char* column(PromptGrouping g)
{
    switch (g) {
    case PromptGrouping::Template: return "skeleton_hash";
    case PromptGrouping::Opening: return "head_hash";
    case PromptGrouping::Task: return "task_hash";
    }
    return "skeleton_hash";
}

bool before(const PromptGroup& a, const PromptGroup& b)
{
    if (a.members != b.members)
        return a.members > b.members;
    if (a.requests != b.requests)
        return a.requests > b.requests;
    return a.key < b.key;
}

// The groups most accounts share are often what everybody asks (a popular question, a tool list every agent sends):
// the listed ones are picked among this many, their accounts in the whole case counted first.
constexpr qsizetype kCandidates = 400;

// The listed groups: first those that are the subject's own, most accounts first, then the others. Own: two or more of
// its accounts, and at least half the case's accounts that sent it are its; a task also has to be rare in the case as
// detection counts rare (DetectSettings::taskMaxAccounts, the default: more askers make it popular, and it links
// nobody). A task three of 160 accounts asked and nobody else tells more than a tool list 95 of them and 17 others send.
void pickListed(PromptGroupCounts& c)
{
    const std::int64_t popularTask = DetectSettings().taskMaxAccounts;
    const auto own = [&](const PromptGroup& g) {
        return g.members >= 2 && 2 * static_cast<std::int64_t>(g.members) >= g.caseAccounts
               && (c.grouping != PromptGrouping::Task || g.caseAccounts <= popularTask);
    };
    std::stable_partition(c.top.begin(), c.top.end(), own);
    if (c.top.size() > PromptGroups::kTopGroups)
        c.top.resize(PromptGroups::kTopGroups);
}

QString hex(std::int64_t v) { return QStringLiteral("%1").arg(static_cast<quint64>(v), 16, 16, QLatin1Char('0')); }

// One grouping: a GROUP BY in SQLite (its temporary tables, not this thread's memory, hold the keys of a network with
// millions of distinct ones), the largest groups kept as they come.
PromptGroupCounts count(SqliteDb& db, PromptGrouping g, const QString& ids, bool hasColumn)
{
    PromptGroupCounts c;
    c.grouping = g;
    c.requests = db.queryInt(QStringLiteral("SELECT count(*) FROM request WHERE account IN (%1)").arg(ids).toUtf8().constData(), 0);
    if (!hasColumn)
        return c;
    // 0 is "no key" for the opening and the task (too short); every request has a template.
    const QString sql = QStringLiteral("SELECT %1, count(*), count(DISTINCT account) FROM request WHERE account IN (%2)%3 GROUP BY %1")
                            .arg(QLatin1String(column(g)), ids,
                                 g == PromptGrouping::Template ? QString() : QStringLiteral(" AND %1 != 0").arg(QLatin1String(column(g))));
    SqliteStatement st(db, sql.toUtf8().constData());
    while (st.step()) {
        PromptGroup grp;
        grp.requests = st.columnInt(1);
        grp.members = static_cast<int>(st.columnInt(2));
        c.keyed += grp.requests;
        ++c.groups;
        c.widest = std::max(c.widest, grp.members);
        if (grp.members >= 2) {
            c.shared += grp.requests;
            ++c.sharedGroups;
        }
        if (c.top.size() == kCandidates && !before(grp, c.top.back()))
            continue;
        grp.key = hex(st.columnInt(0));
        c.top.insert(std::upper_bound(c.top.begin(), c.top.end(), grp, before), grp);
        if (c.top.size() > kCandidates)
            c.top.removeLast();
    }
    return c;
}

// The examples of each listed group and its words, read from its earliest request.
void nameGroups(SqliteDb& db, PromptGroupCounts& c, const QString& ids)
{
    SqliteStatement ex(db, QStringLiteral("SELECT r.id, ds_text(rt.prompt) FROM request r JOIN request_text rt ON rt.id = r.id "
                                          "WHERE r.account IN (%1) AND r.%2 = ? ORDER BY r.ts, r.id LIMIT 3")
                               .arg(ids, QLatin1String(column(c.grouping)))
                               .toUtf8()
                               .constData());
    for (PromptGroup& g : c.top) {
        ex.reset();
        ex.bind(1, static_cast<std::int64_t>(g.key.toULongLong(nullptr, 16)));
        while (ex.step()) {
            const QByteArray prompt = ex.isNull(1) ? QByteArray() : ex.columnText(1).toUtf8();
            const std::string_view text(prompt.constData(), static_cast<std::size_t>(prompt.size()));
            PromptGroup::Example e{ex.columnInt(0), QString::fromUtf8(prompt), QString()};
            if (c.grouping == PromptGrouping::Task) {
                const std::string_view body = promptpartname::taskBody(text);
                e.task = QString::fromUtf8(body.data(), static_cast<qsizetype>(body.size()));
            }
            if (g.words.isEmpty() && c.grouping != PromptGrouping::Template)
                g.words = c.grouping == PromptGrouping::Opening ? promptpartname::openingWords(text) : promptpartname::taskWords(text);
            g.examples.append(e);
        }
        if (c.grouping == PromptGrouping::Template && !g.examples.isEmpty())
            g.words = templatename::ofRequest(db, g.examples.front().requestId).words;
    }
}

} // namespace

PromptGrouping PromptGroups::telling() const
{
    PromptGrouping best = PromptGrouping::Template;
    if (accounts < 2)
        return best;
    for (PromptGrouping g : {PromptGrouping::Opening, PromptGrouping::Task})
        if (of(g).shared > of(best).shared)
            best = g;
    return best;
}

namespace {

// How many accounts of the whole case sent each listed key: one scan of the requests (no index holds these keys), the
// three columns at once.
void countInCase(SqliteDb& db, PromptGroups& p, const QStringList& templateKeys, bool hasTask)
{
    std::array<QSet<std::int64_t>, kPromptGroupingCount> keys;
    for (int i = 0; i < kPromptGroupingCount; ++i)
        for (const PromptGroup& g : p.by[static_cast<std::size_t>(i)].top)
            keys[static_cast<std::size_t>(i)].insert(static_cast<std::int64_t>(g.key.toULongLong(nullptr, 16)));
    for (const QString& k : templateKeys)
        keys[0].insert(static_cast<std::int64_t>(k.toULongLong(nullptr, 16)));
    QStringList where;
    for (int i = 0; i < kPromptGroupingCount; ++i) {
        if (keys[static_cast<std::size_t>(i)].isEmpty() || (i == static_cast<int>(PromptGrouping::Task) && !hasTask))
            continue;
        QStringList list;
        for (std::int64_t k : keys[static_cast<std::size_t>(i)])
            list << QString::number(k);
        where << QStringLiteral("%1 IN (%2)").arg(QLatin1String(column(static_cast<PromptGrouping>(i))), list.join(QLatin1Char(',')));
    }
    if (where.isEmpty())
        return;
    std::array<QHash<std::int64_t, QSet<std::int64_t>>, kPromptGroupingCount> accounts;
    SqliteStatement st(db, QStringLiteral("SELECT account, skeleton_hash, head_hash, %1 FROM request WHERE %2")
                               .arg(hasTask ? QStringLiteral("task_hash") : QStringLiteral("0"), where.join(QStringLiteral(" OR ")))
                               .toUtf8()
                               .constData());
    while (st.step())
        for (int i = 0; i < kPromptGroupingCount; ++i) {
            const std::int64_t k = st.columnInt(i + 1);
            if (keys[static_cast<std::size_t>(i)].contains(k))
                accounts[static_cast<std::size_t>(i)][k].insert(st.columnInt(0));
        }
    for (int i = 0; i < kPromptGroupingCount; ++i)
        for (PromptGroup& g : p.by[static_cast<std::size_t>(i)].top)
            g.caseAccounts = accounts[static_cast<std::size_t>(i)].value(static_cast<std::int64_t>(g.key.toULongLong(nullptr, 16))).size();
    for (const QString& k : templateKeys)
        p.templateCaseAccounts.insert(k, accounts[0].value(static_cast<std::int64_t>(k.toULongLong(nullptr, 16))).size());
}

} // namespace

PromptGroups PromptGroups::load(SqliteDb& db, const std::vector<std::int64_t>& members, const QStringList& templateKeys,
                                const CancelToken* cancel)
{
    // A caller that watches its own token on `db` (the report) passes none: its watch stays.
    std::optional<ScopedCancelWatch> watch;
    if (cancel)
        watch.emplace(db, cancel);
    PromptGroups p;
    p.accounts = static_cast<int>(members.size());
    for (int i = 0; i < kPromptGroupingCount; ++i)
        p.by[static_cast<std::size_t>(i)].grouping = static_cast<PromptGrouping>(i);
    if (members.empty())
        return p;
    const QString ids = sqlIdList(members);
    // Cases imported before task fingerprints have no task_hash column.
    const bool hasTask = db.queryInt("SELECT count(*) FROM pragma_table_info('request') WHERE name = 'task_hash'", 0) > 0;
    for (int i = 0; i < kPromptGroupingCount; ++i) {
        if (cancel && cancel->isCancelled())
            throw Cancelled{};
        const auto g = static_cast<PromptGrouping>(i);
        PromptGroupCounts& c = p.by[static_cast<std::size_t>(i)];
        c = count(db, g, ids, g != PromptGrouping::Task || hasTask);
    }
    if (cancel && cancel->isCancelled())
        throw Cancelled{};
    countInCase(db, p, templateKeys, hasTask);
    for (PromptGroupCounts& c : p.by) {
        pickListed(c);
        nameGroups(db, c, ids);
    }
    return p;
}

namespace promptgroups {

QString title(PromptGrouping g)
{
    switch (g) {
    case PromptGrouping::Template: return QStringLiteral("Same template");
    case PromptGrouping::Opening: return QStringLiteral("Same opening");
    case PromptGrouping::Task: return QStringLiteral("Same task");
    }
    return {};
}

QString meaning(PromptGrouping g)
{
    switch (g) {
    case PromptGrouping::Template:
        return QStringLiteral("A group is one prompt template: requests whose prompts are word for word the same once what "
                              "changes from one use to the next is masked (# a number, \"…\" quoted text, [name], [link], "
                              "[code]). Its fingerprint is the one partners match.");
    case PromptGrouping::Opening:
        return QStringLiteral("A group is one opening: requests whose prompts begin with the same words (the first paragraph's "
                              "first twelve words, with numbers, quotes and names masked). Accounts that reword the rest of a "
                              "script often keep how it starts.");
    case PromptGrouping::Task:
        return QStringLiteral("A group is one task: requests that ask the same question or job, word for word with its numbers "
                              "and names, once the wording around it is stripped (greetings, \u201Cthink step by step\u201D, "
                              "format requests). Different accounts asking the very same tasks, each in its own words, are "
                              "working through one shared list.");
    }
    return {};
}

QString reach(const PromptGroupCounts& c, int accounts)
{
    using namespace reasontext;
    const QString thing = c.grouping == PromptGrouping::Template ? QStringLiteral("template")
                          : c.grouping == PromptGrouping::Opening ? QStringLiteral("opening")
                                                                  : QStringLiteral("task");
    const QString things = thing + QLatin1Char('s');
    const QString used = c.grouping == PromptGrouping::Task ? QStringLiteral("asked") : QStringLiteral("used");
    if (c.requests == 0)
        return QStringLiteral("No requests to group.");
    QString out;
    if (accounts >= 2 && c.sharedGroups == 0) {
        out = QStringLiteral("No %1 is %2 by two or more of the %3: each account's are its own.")
                  .arg(thing, used, count(accounts, QStringLiteral("account"), QStringLiteral("accounts")));
    } else if (accounts >= 2) {
        out = QStringLiteral("%1 of the %2 (%3) are in %4 %5 by two or more of the %6; the widest is %5 by %7.")
                  .arg(whole(c.shared), count(c.requests, QStringLiteral("request"), QStringLiteral("requests")),
                       percent(static_cast<double>(c.shared) / static_cast<double>(c.requests)), count(c.sharedGroups, thing, things), used,
                       count(accounts, QStringLiteral("account"), QStringLiteral("accounts")),
                       partOf(c.widest, accounts, QStringLiteral("accounts")));
    } else {
        const QString requests = count(c.requests, QStringLiteral("request"), QStringLiteral("requests"));
        out = c.keyed == c.requests ? QStringLiteral("Its %1 fall into %2.").arg(requests, count(c.groups, thing, things))
                                    : QStringLiteral("%1 of its %2 fall into %3.").arg(whole(c.keyed), requests, count(c.groups, thing, things));
    }
    if (c.keyed < c.requests && c.grouping != PromptGrouping::Template)
        out += QStringLiteral(" %1 too short to have %2 (%3) %4 not grouped.")
                   .arg(capitalised(count(c.requests - c.keyed, QStringLiteral("request"), QStringLiteral("requests"))),
                        c.grouping == PromptGrouping::Opening ? QStringLiteral("an opening") : QStringLiteral("a task"),
                        c.grouping == PromptGrouping::Opening ? QStringLiteral("five words or more") : QStringLiteral("eight words or more"),
                        c.requests - c.keyed == 1 ? QStringLiteral("is") : QStringLiteral("are"));
    return out;
}

QString listing(const PromptGroupCounts& c, int accounts, int shown)
{
    const QString thing = c.grouping == PromptGrouping::Template ? QStringLiteral("template")
                          : c.grouping == PromptGrouping::Opening ? QStringLiteral("opening")
                                                                  : QStringLiteral("task");
    const QString things = thing + QLatin1Char('s');
    const QString used = c.grouping == PromptGrouping::Task ? QStringLiteral("asked") : QStringLiteral("used");
    QString out;
    if (!c.top.isEmpty()) {
        const qsizetype n = shown >= 0 ? std::min<qsizetype>(shown, c.top.size()) : c.top.size();
        const QString listed = n == 1 ? thing : QStringLiteral("%1 %2").arg(n).arg(things);
        out = accounts >= 2 ? QStringLiteral("Listed: the %1 %2 by the most of these accounts, first those that are theirs (%3).")
                                   .arg(listed, used,
                                        c.grouping == PromptGrouping::Task
                                            ? QStringLiteral("%1 by no more than %2 accounts of the whole case, half of them or more theirs")
                                                  .arg(used)
                                                  .arg(DetectSettings().taskMaxAccounts)
                                            : QStringLiteral("half or more of the accounts of the case that %1 them are theirs")
                                                  .arg(c.grouping == PromptGrouping::Task ? QStringLiteral("asked") : QStringLiteral("used")))
                             : QStringLiteral("Listed: its %1 with the most requests.").arg(listed);
    }
    return out;
}

} // namespace promptgroups

} // namespace ds

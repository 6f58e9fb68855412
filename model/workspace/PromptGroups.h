#pragma once

#include <QHash>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <array>
#include <cstdint>
#include <vector>

namespace ds {

class CancelToken;
class SqliteDb;

// The three ways the Templates tab groups a network's (or an account's) requests by what their prompts share, each a
// key the import stores and detection reads: the exact template (request.skeleton_hash, the ds-skeleton-v1 fingerprint
// partners match), the opening (request.head_hash: the first words) and the task with its wrapper stripped
// (request.task_hash). An operation whose accounts each word their own wrapper has tiny template groups; its accounts
// still share openings or, when they draw on one task list, tasks: the grouping that puts the most requests into
// groups two or more accounts share says what the accounts have in common. Plain value types: any thread.
enum class PromptGrouping { Template = 0, Opening = 1, Task = 2 };
constexpr int kPromptGroupingCount = 3;

struct PromptGroup
{
    QString key;   // the stored key as 16 hex digits
    QString words; // what its requests share, in words (text/TemplateName.h, text/PromptPartName.h); plain text
    std::int64_t requests = 0;
    int members = 0; // accounts of the subject that sent it
    std::int64_t caseAccounts = 0; // accounts of the whole case that sent it: many more than `members` is a popular one
    struct Example
    {
        std::int64_t requestId = 0;
        QString prompt; // as sent: attacker-controlled, plain text
        QString task;   // the part of it the task fingerprint reads (text/PromptPartName.h), for a task group
    };
    QList<Example> examples; // the earliest first, at most three
};

// One grouping of a subject's requests: how far its groups reach, and its largest groups.
struct PromptGroupCounts
{
    PromptGrouping grouping = PromptGrouping::Template;
    std::int64_t requests = 0; // the subject's requests
    std::int64_t keyed = 0;    // of them with a key of this grouping (an opening needs five words, a task eight)
    std::int64_t groups = 0;   // distinct keys among them
    std::int64_t shared = 0;   // requests in groups that two or more of the subject's accounts use
    int sharedGroups = 0;      // groups that two or more accounts use
    int widest = 0;            // accounts of the group that the most accounts use
    // At most kTopGroups: the groups mostly the subject's own (half their accounts in the case or more are its), most
    // accounts first, then the others; a popular question many unrelated accounts ask comes after.
    QList<PromptGroup> top;
};

struct PromptGroups
{
    static constexpr int kTopGroups = 5;
    int accounts = 0; // the subject's accounts
    std::array<PromptGroupCounts, kPromptGroupingCount> by;

    // Accounts of the whole case that sent each template of `templateKeys` (16 hex digits), as asked by load().
    QHash<QString, std::int64_t> templateCaseAccounts;

    const PromptGroupCounts& of(PromptGrouping g) const { return by[static_cast<std::size_t>(g)]; }
    // The grouping that puts the most requests into groups two or more accounts share; the template when none puts
    // more than it (it is the identity partners share). An account alone: the template.
    PromptGrouping telling() const;

    // Worker threads only, with their own connection. `members` are account.id values. A `cancel` requested while it
    // runs interrupts its queries (none: a watch the caller set on `db` stays). Three GROUP BY passes over the members' requests and one scan of the case's (the
    // listed groups' accounts in the case): the Templates tab asks for it only when it is shown.
    // `templateKeys`: the templates the tab lists already (EvidenceData::templates), to count in the case too.
    static PromptGroups load(SqliteDb& db, const std::vector<std::int64_t>& members, const QStringList& templateKeys = {},
                             const CancelToken* cancel = nullptr);
};

namespace promptgroups {
// "Same task", for the tab's choice.
QString title(PromptGrouping g);
// What one group of this grouping is, in a sentence a reader without the method can follow.
QString meaning(PromptGrouping g);
// How far this grouping's groups reach among `accounts` accounts, in sentences with the numbers.
QString reach(const PromptGroupCounts& c, int accounts);
// Which of its groups `top` lists, and in what order ("Listed: the 5 tasks asked by the most of these accounts, first …").
QString listing(const PromptGroupCounts& c, int accounts, int shown = -1); // shown: the first so many of `top`
} // namespace promptgroups

} // namespace ds

Q_DECLARE_METATYPE(ds::PromptGroups)

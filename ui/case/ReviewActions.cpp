#include "case/ReviewActions.h"

#include "case/CaseEditor.h"
#include "core/Sqlite.h"

#include <QAction>
#include <QActionGroup>
#include <QMenu>

#include <optional>

namespace ds {

namespace {
constexpr ReviewState kOrder[] = {ReviewState::Confirmed, ReviewState::FalsePositive, ReviewState::NeedsReview,
                                  ReviewState::Unreviewed};
} // namespace

ReviewActions::ReviewActions(CaseEditor* editor, QObject* parent)
    : QObject(parent)
    , m_editor(editor)
    , m_group(new QActionGroup(this))
{
    // Non-exclusive: an exclusive group would refuse to show "no common state" for a mixed selection.
    m_group->setExclusionPolicy(QActionGroup::ExclusionPolicy::None);
    const struct
    {
        ReviewState state;
        QString text, tip;
        Qt::Key key;
        const char* name;
    } specs[] = {
        {ReviewState::Confirmed, tr("&Confirm"), tr("Confirm: the selection is a distillation attack (goes into the report and exports)"),
         Qt::Key_1, "reviewConfirm"},
        {ReviewState::FalsePositive, tr("&False positive"), tr("False positive: benign traffic; excluded from the report"), Qt::Key_2,
         "reviewFalsePositive"},
        {ReviewState::NeedsReview, tr("&Needs review"), tr("Needs review: undecided, look again later"), Qt::Key_3, "reviewNeedsReview"},
        {ReviewState::Unreviewed, tr("&Unreviewed"), tr("Unreviewed: clear the verdict"), Qt::Key_4, "reviewUnreviewed"},
    };
    for (const auto& s : specs) {
        auto* a = new QAction(s.text, this);
        a->setObjectName(QString::fromLatin1(s.name));
        a->setShortcut(QKeySequence(Qt::ALT | s.key));
        a->setShortcutContext(Qt::WindowShortcut);
        a->setStatusTip(s.tip);
        a->setToolTip(s.tip);
        a->setCheckable(true);
        m_group->addAction(a);
        const ReviewState state = s.state;
        // triggered toggles the check mark first; updateActions (via reviewStatesChanged) sets it right.
        connect(a, &QAction::triggered, this, [this, state] { apply(state); });
        m_actions[static_cast<std::size_t>(state)] = a;
    }
    connect(m_editor, &CaseEditor::reviewStatesChanged, this, &ReviewActions::updateActions);
    updateActions();
}

QList<QAction*> ReviewActions::actions() const
{
    QList<QAction*> list;
    for (ReviewState s : kOrder)
        list << action(s);
    return list;
}

void ReviewActions::setClusterSelection(std::vector<ClusterRef> clusters)
{
    m_onClusters = true;
    m_clusters = std::move(clusters);
    updateActions();
}

void ReviewActions::setAccountSelection(std::vector<std::int64_t> accounts)
{
    m_onClusters = false;
    m_accounts = std::move(accounts);
    updateActions();
}

QString ReviewActions::subjectText() const
{
    const std::size_t n = m_onClusters ? m_clusters.size() : m_accounts.size();
    if (n == 0)
        return tr("nothing selected");
    if (m_onClusters)
        return n == 1 ? tr("network N-%1").arg(m_clusters.front().cluster) : tr("%1 networks").arg(n);
    return n == 1 ? tr("1 account") : tr("%1 accounts").arg(n);
}

void ReviewActions::apply(ReviewState state)
{
    if (m_onClusters && !m_clusters.empty())
        m_editor->setClusterStates(m_clusters, state);
    else if (!m_onClusters && !m_accounts.empty())
        m_editor->setAccountStates(m_accounts, state);
    updateActions(); // also when nothing changed (same state again): undo the check toggle
}

void ReviewActions::updateActions()
{
    const bool any = m_onClusters ? !m_clusters.empty() : !m_accounts.empty();
    std::optional<ReviewState> common;
    bool mixed = false;
    try {
        if (m_onClusters) {
            for (const ClusterRef& c : m_clusters) {
                const ReviewState s = m_editor->store().clusterState(c);
                mixed |= common && *common != s;
                common = s;
            }
        } else {
            for (std::int64_t a : m_accounts) {
                const ReviewState s = m_editor->store().accountState(a);
                mixed |= common && *common != s;
                common = s;
            }
        }
    } catch (const DatabaseError&) {
        mixed = true; // unknown: show no check mark rather than a wrong one
    }
    for (ReviewState s : kOrder) {
        QAction* a = action(s);
        a->setEnabled(any);
        a->setChecked(any && !mixed && common == s);
    }
}

void ReviewActions::addTo(QMenu* menu) const { menu->addActions(actions()); }

QMenu* ReviewActions::createContextMenu(QWidget* parent) const
{
    auto* menu = new QMenu(parent);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    // The section title names the subject so the analyst sees what a verdict will apply to.
    menu->addSection(tr("Review %1").arg(subjectText()));
    addTo(menu);
    return menu;
}

} // namespace ds

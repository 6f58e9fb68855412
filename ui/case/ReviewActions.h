#pragma once

#include "case/CaseStore.h"
#include "case/ReviewState.h"

#include <QObject>

#include <array>
#include <vector>

class QAction;
class QActionGroup;
class QMenu;
class QWidget;

namespace ds {

class CaseEditor;

// The review verdicts as QActions (Confirm Alt+1, False positive Alt+2, Needs
// review Alt+3, Unreviewed Alt+4; Ctrl+1..3 already show docks) acting on the
// selection the main window hands over: the networks or the accounts selected
// last. Each trigger is one undoable CaseEditor edit. The actions are checked
// when the whole selection shares a state. GUI thread only.
class ReviewActions : public QObject
{
    Q_OBJECT
public:
    explicit ReviewActions(CaseEditor* editor, QObject* parent = nullptr);

    // Makes these networks the subject of the actions (empty: nothing selected).
    void setClusterSelection(std::vector<ClusterRef> clusters);
    // Makes these accounts (account.id) the subject of the actions.
    void setAccountSelection(std::vector<std::int64_t> accounts);

    QAction* action(ReviewState state) const { return m_actions[static_cast<std::size_t>(state)]; }
    // The four actions in menu order (Confirm, False positive, Needs review, Unreviewed).
    QList<QAction*> actions() const;
    // Adds the actions to `menu` (a context menu or the main window's Review menu).
    void addTo(QMenu* menu) const;
    // A context menu with the actions, titled with what they act on; it deletes itself once closed (popup() it).
    QMenu* createContextMenu(QWidget* parent) const;
    // "2 networks", "1 account", "nothing selected".
    QString subjectText() const;

private:
    void apply(ReviewState state);
    void updateActions();

    CaseEditor* m_editor;
    std::array<QAction*, 4> m_actions{};
    QActionGroup* m_group;
    bool m_onClusters = true; // which selection was set last
    std::vector<ClusterRef> m_clusters;
    std::vector<std::int64_t> m_accounts;
};

} // namespace ds

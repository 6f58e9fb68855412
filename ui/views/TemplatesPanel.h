#pragma once

#include "case/PinnedItem.h"
#include "core/CancelToken.h"
#include "workspace/EvidenceData.h"
#include "workspace/PromptGroups.h"
#include "workspace/Scope.h"

#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

class QAction;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QTableWidget;

namespace ds {

// The Evidence view's Templates tab: a network's (or an account's) requests grouped by what their prompts share, the
// exact template, the opening or the task (workspace/PromptGroups.h), with what a group means and how far the groups
// reach among the accounts in sentences, and example prompts. Accounts that each word their own wrapper have template
// groups of one account; their shared openings or tasks are what ties them, so once the three groupings are counted
// the tab shows the one that puts the most requests into shared groups, unless the analyst chose. The template groups
// come with the evidence; the other two are counted in the background the first time the tab is shown for a subject.
// GUI thread only.
class TemplatesPanel : public QWidget
{
    Q_OBJECT
public:
    explicit TemplatesPanel(QWidget* parent = nullptr);
    void setCase(const QString& casePath);
    // A new subject ("network N-1 …"): its templates as the evidence loaded them, and its accounts (account.id).
    void setSubject(const QString& subject, const QList<EvidenceData::Template>& templates, const std::vector<std::int64_t>& members);
    // Shows the current subject again (a palette change).
    void refresh() { present(); }

    PromptGrouping grouping() const { return m_grouping; }
    // Shows `g` as if the analyst chose it.
    void setGrouping(PromptGrouping g);
    bool groupsLoaded() const { return m_groupsLoaded; }
    const PromptGroups& groups() const { return m_groups; }
    QComboBox* groupingBox() const { return m_groupingBox; }
    QLabel* summaryLabel() const { return m_summary; }
    QTableWidget* table() const { return m_table; }
    QAction* pinAction() const { return m_pin; }
    // The selected template with its example prompts (case/PinnedItem.h); nullopt when none, or when another grouping
    // is shown (openings and tasks are not templates partners match).
    std::optional<PinnedItem> templatePin() const;

Q_SIGNALS:
    void pivotRequested(const ds::Pivot& pivot);
    void pinRequested(const ds::PinnedItem& pin);
    void groupsReady();

protected:
    void showEvent(QShowEvent* event) override;

private:
    void loadGroups();
    void present();
    void showExamples(int row);

    QString m_casePath;
    QString m_subject;
    QList<EvidenceData::Template> m_templates;
    std::vector<std::int64_t> m_members;
    PromptGroups m_groups;
    bool m_groupsLoaded = false;
    bool m_groupsLoading = false;
    bool m_chosen = false; // the analyst picked a grouping for this subject
    PromptGrouping m_grouping = PromptGrouping::Template;
    quint64 m_generation = 0;
    std::shared_ptr<CancelToken> m_cancel;

    QComboBox* m_groupingBox = nullptr;
    QLabel* m_summary = nullptr;
    QTableWidget* m_table = nullptr;
    QPlainTextEdit* m_examples = nullptr;
    QAction* m_pin = nullptr;
};

} // namespace ds

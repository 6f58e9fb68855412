#pragma once

#include "case/PinnedItem.h"
#include "core/CancelToken.h"
#include "workspace/EvidenceData.h"
#include "workspace/Scope.h"

#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

class QAction;
class QCustomPlot;
class QListWidget;
class QPlainTextEdit;
class QTableWidget;
class QTabWidget;
class QLabel;

namespace ds {

class AnalysisBanner;
class TemplatesPanel;

// Why a network or an account was flagged: the reasons in sentences, each
// indicator against the population (a strip plot of members' percentiles and a
// table of values), the shared infrastructure with how many accounts share each
// value, and the prompt templates with examples whose varying slots are
// highlighted on plain text. Double-click a shared value or template to pivot.
// GUI thread only.
class EvidenceView : public QWidget
{
    Q_OBJECT
public:
    explicit EvidenceView(QWidget* parent = nullptr);
    void setCase(const QString& casePath);
    // Shows a cluster (cluster > 0, with its members) or one account (cluster 0).
    void showSubject(std::int64_t run, std::int64_t cluster, const std::vector<std::int64_t>& members);
    void clear();
    AnalysisBanner* banner() const { return m_banner; }
    const EvidenceData& data() const { return m_data; }
    bool isLoading() const { return m_loading; }
    QTabWidget* tabs() const { return m_tabs; }
    QListWidget* reasonsList() const { return m_reasons; }
    QLabel* memberCountsLabel() const { return m_counts; }
    QTableWidget* sharedTable() const { return m_shared; }
    TemplatesPanel* templatesPanel() const { return m_templatesPanel; }
    QTableWidget* templatesTable() const;
    QTableWidget* indicatorsTable() const { return m_indicators; }

    // Pinning into the case (context menus of the tables): each action emits pinRequested with what
    // the matching *Pin() builds, when there is something to pin.
    QAction* pinTemplateAction() const;
    QAction* pinSharedValueAction() const { return m_pinShared; }
    QAction* pinIndicatorTableAction() const { return m_pinIndicators; }
    // The selected template with its examples, the selected shared value with its accounts, the
    // indicator table as shown (payloads as in case/PinnedItem.h); nullopt when there is none.
    // The owner (run/cluster/account) is left for the caller to set.
    std::optional<PinnedItem> templatePin() const;
    std::optional<PinnedItem> sharedValuePin() const;
    std::optional<PinnedItem> indicatorTablePin() const;

Q_SIGNALS:
    void pivotRequested(const ds::Pivot& pivot);
    void pinRequested(const ds::PinnedItem& pin);
    void loaded();

protected:
    void changeEvent(QEvent* event) override;

private:
    void present();
    void presentIndicators();

    QString m_casePath;
    quint64 m_generation = 0;
    std::shared_ptr<CancelToken> m_cancel; // the running load's
    bool m_loading = false;
    EvidenceData m_data;
    AnalysisBanner* m_banner = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_counts = nullptr; // why the reasons count fewer accounts than the title
    QTabWidget* m_tabs = nullptr;
    QListWidget* m_reasons = nullptr;
    QCustomPlot* m_plot = nullptr;
    QTableWidget* m_indicators = nullptr;
    QTableWidget* m_shared = nullptr;
    TemplatesPanel* m_templatesPanel = nullptr;
    QAction* m_pinShared = nullptr;
    QAction* m_pinIndicators = nullptr;
};

} // namespace ds

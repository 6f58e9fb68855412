#pragma once

#include "workspace/EvidenceData.h"
#include "workspace/Scope.h"

#include <QWidget>

#include <vector>

class QCustomPlot;
class QListWidget;
class QPlainTextEdit;
class QTableWidget;
class QTabWidget;
class QLabel;

namespace ds {

class AnalysisBanner;

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
    QTableWidget* sharedTable() const { return m_shared; }

Q_SIGNALS:
    void pivotRequested(const ds::Pivot& pivot);
    void loaded();

protected:
    void changeEvent(QEvent* event) override;

private:
    void present();
    void presentIndicators();
    void presentTemplates();
    void showTemplateExamples(int row);

    QString m_casePath;
    quint64 m_generation = 0;
    bool m_loading = false;
    EvidenceData m_data;
    AnalysisBanner* m_banner = nullptr;
    QLabel* m_title = nullptr;
    QTabWidget* m_tabs = nullptr;
    QListWidget* m_reasons = nullptr;
    QCustomPlot* m_plot = nullptr;
    QTableWidget* m_indicators = nullptr;
    QTableWidget* m_shared = nullptr;
    QTableWidget* m_templates = nullptr;
    QPlainTextEdit* m_examples = nullptr;
};

} // namespace ds

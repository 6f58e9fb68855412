#pragma once

#include "util/PromptHighlight.h"
#include "workspace/RequestDetail.h"
#include "workspace/Scope.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTableWidget;

namespace ds {

// One request in full: every canonical field, every field the format does not
// know, the system prompt and the prompt with the template's varying slots
// highlighted (character formats on plain text, never HTML). Double-click a
// field to pivot on it. Loads off the GUI thread, where the prompt is also made
// ready to show (neutralised, very long lines broken), so a megabyte prompt
// does not stall the window; "Copy prompt" copies it exactly. GUI thread only.
class RequestViewer : public QWidget
{
    Q_OBJECT
public:
    explicit RequestViewer(QWidget* parent = nullptr);
    void setCase(const QString& casePath);
    void showRequest(qint64 requestRowId);
    // The requests view's filter: a request it excludes is no longer shown here (checked off the GUI thread).
    void setScope(const ViewScope& scope);
    // Shows nothing, saying why.
    void clear(const QString& why);
    const RequestDetail& detail() const { return m_detail; }
    QTableWidget* fieldTable() const { return m_fields; }
    QPlainTextEdit* promptEdit() const { return m_prompt; }
    QLabel* promptLabel() const { return m_promptLabel; }
    // Puts the exact prompt (as logged, nothing neutralised) on the clipboard.
    void copyPrompt() const;

Q_SIGNALS:
    void pivotRequested(const ds::Pivot& pivot);
    void loaded();

private:
    // A request with its prompt and system prompt ready to show (built on the worker).
    struct Loaded
    {
        RequestDetail detail;
        PromptView prompt, system;
    };
    void present();

    QString m_casePath;
    quint64 m_generation = 0;
    quint64 m_scopeGeneration = 0;
    ViewScope m_scope;
    RequestDetail m_detail;
    PromptView m_promptView, m_systemView;
    QLabel* m_header = nullptr;
    QLabel* m_promptLabel = nullptr;
    QLabel* m_systemLabel = nullptr;
    QTableWidget* m_fields = nullptr;
    QPlainTextEdit* m_system = nullptr;
    QPlainTextEdit* m_prompt = nullptr;
};

} // namespace ds

#pragma once

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
// field to pivot on it. Loads off the GUI thread. GUI thread only.
class RequestViewer : public QWidget
{
    Q_OBJECT
public:
    explicit RequestViewer(QWidget* parent = nullptr);
    void setCase(const QString& casePath);
    void showRequest(qint64 requestRowId);
    const RequestDetail& detail() const { return m_detail; }
    QTableWidget* fieldTable() const { return m_fields; }
    QPlainTextEdit* promptEdit() const { return m_prompt; }

Q_SIGNALS:
    void pivotRequested(const ds::Pivot& pivot);
    void loaded();

private:
    void present();

    QString m_casePath;
    quint64 m_generation = 0;
    RequestDetail m_detail;
    QLabel* m_header = nullptr;
    QTableWidget* m_fields = nullptr;
    QPlainTextEdit* m_system = nullptr;
    QPlainTextEdit* m_prompt = nullptr;
};

} // namespace ds

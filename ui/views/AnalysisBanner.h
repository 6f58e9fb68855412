#pragma once

#include <QFrame>

class QLabel;

namespace ds {

// The strip at the top of every view that says the analysis is incomplete (and
// why), so nobody reads a half-computed table as the verdict. GUI thread only.
class AnalysisBanner : public QFrame
{
    Q_OBJECT
public:
    explicit AnalysisBanner(QWidget* parent = nullptr);
    // Shows `message`, or hides the banner when it is empty.
    void setMessage(const QString& message);
    QString message() const;

protected:
    void changeEvent(QEvent* event) override;

private:
    void applyColors();
    QLabel* m_label = nullptr;
};

} // namespace ds

#pragma once

#include <QFrame>
#include <QStringList>

class QLabel;

namespace ds {

// The note above the networks table after a re-run of detection: what happened to each verdict of
// the run before ("N-1 kept Confirmed as N-2: 58 of the 60 accounts are still in it"), until the
// analyst dismisses it. The sentences are plain text. GUI thread only.
class CarryNote : public QFrame
{
    Q_OBJECT
public:
    explicit CarryNote(QWidget* parent = nullptr);
    // Shows `sentences` (case/ReviewCarry.h), or hides the note when there are none.
    void setSentences(const QStringList& sentences);
    // The text shown, empty while hidden.
    QString text() const;

private:
    QLabel* m_label = nullptr;
};

} // namespace ds

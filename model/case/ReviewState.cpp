#include "case/ReviewState.h"

namespace ds {

QString reviewStateKey(ReviewState s)
{
    switch (s) {
    case ReviewState::Unreviewed: return QStringLiteral("unreviewed");
    case ReviewState::Confirmed: return QStringLiteral("confirmed");
    case ReviewState::FalsePositive: return QStringLiteral("false_positive");
    case ReviewState::NeedsReview: return QStringLiteral("needs_review");
    }
    return QStringLiteral("unreviewed");
}

QString reviewStateLabel(ReviewState s)
{
    switch (s) {
    case ReviewState::Unreviewed: return QStringLiteral("Unreviewed");
    case ReviewState::Confirmed: return QStringLiteral("Confirmed");
    case ReviewState::FalsePositive: return QStringLiteral("False positive");
    case ReviewState::NeedsReview: return QStringLiteral("Needs review");
    }
    return QStringLiteral("Unreviewed");
}

ReviewState reviewStateFromInt(long long v)
{
    return v >= 0 && v <= 3 ? static_cast<ReviewState>(v) : ReviewState::Unreviewed;
}

bool parseReviewState(const QString& text, ReviewState* out)
{
    for (int i = 0; i <= 3; ++i) {
        const auto s = static_cast<ReviewState>(i);
        if (text == reviewStateKey(s) || text == QString::number(i)) {
            *out = s;
            return true;
        }
    }
    return false;
}

} // namespace ds

#pragma once

#include <QString>

namespace ds {

// The analyst's verdict on a flagged network or an account. Values are stored
// in the case database: never renumber. Pure values: any thread.
enum class ReviewState { Unreviewed = 0, Confirmed = 1, FalsePositive = 2, NeedsReview = 3 };

// "unreviewed", "confirmed", "false_positive", "needs_review" (JSON, CSV, audit log).
QString reviewStateKey(ReviewState s);
// "Unreviewed", "Confirmed", "False positive", "Needs review" (UI, report).
QString reviewStateLabel(ReviewState s);
// Parses a key or a stored integer; false when unknown.
bool parseReviewState(const QString& text, ReviewState* out);
ReviewState reviewStateFromInt(long long v);

} // namespace ds

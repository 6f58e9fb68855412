#pragma once

#include <QColor>
#include <QString>

namespace ds {

// How the link graph (GUI and report) shows a link kind (detect/LinkGraph.h linkKindName: "payment",
// "ip", "template", ...): one colour per kind, readable on light and dark backgrounds, and a name in
// plain words for the legend. Pure functions: any thread.
namespace linkkinds {

QColor color(const QString& kind);
// "same payment details", "same IP address", "same prompt template", ... (unknown kinds: the key, spaced).
QString label(const QString& kind);

} // namespace linkkinds

} // namespace ds

#pragma once

#include <QString>

namespace ds {

// Light and dark themes. "System" keeps the platform's palette (which follows
// the desktop's dark mode where the platform theme reports it); light and dark
// force a Fusion palette. Charts read the palette, so they follow. GUI thread only.
namespace theme {
enum class Mode { System, Light, Dark };
Mode fromName(const QString& name);
void apply(Mode mode);
} // namespace theme

} // namespace ds

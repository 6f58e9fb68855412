#pragma once

#include <QString>

namespace ds::settinglabels {

// Plain-English names for the detector's settings, for readers of the report (a lawyer, a manager) who
// never see the settings file. The report never prints an internal key such as "minClusterAccounts".
// Pure functions of their arguments: any thread.

// "Core accounts a network needs" for "minClusterAccounts". A key without a written label (a setting
// added after this table) is spelled out word by word ("Some new key"), never printed as is.
QString labelFor(const QString& key);

// What the setting controls, in plain words for the report's Appendix B (SettingMeanings.cpp); empty for a key
// without one (a setting added after the table: the report then shows the settings file's description through
// withLabels()).
QString meaningFor(const QString& key);

// `text` (a setting's meaning) with every internal setting key it mentions replaced by its label in quotes.
QString withLabels(const QString& text);

} // namespace ds::settinglabels

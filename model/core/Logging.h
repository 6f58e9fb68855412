#pragma once

#include <QLoggingCategory>

// One logging category per module, so `QT_LOGGING_RULES="ds.ingest.debug=true"`
// turns on exactly the chatter one needs.
Q_DECLARE_LOGGING_CATEGORY(lcStorage)
Q_DECLARE_LOGGING_CATEGORY(lcIngest)
Q_DECLARE_LOGGING_CATEGORY(lcSimulate)
Q_DECLARE_LOGGING_CATEGORY(lcDetect)
Q_DECLARE_LOGGING_CATEGORY(lcCase)

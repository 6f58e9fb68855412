#include "core/Logging.h"

Q_LOGGING_CATEGORY(lcStorage, "ds.storage", QtWarningMsg)
Q_LOGGING_CATEGORY(lcIngest, "ds.ingest", QtWarningMsg)
Q_LOGGING_CATEGORY(lcSimulate, "ds.simulate", QtWarningMsg)
Q_LOGGING_CATEGORY(lcDetect, "ds.detect", QtWarningMsg)
Q_LOGGING_CATEGORY(lcCase, "ds.case", QtWarningMsg)

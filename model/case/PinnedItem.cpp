#include "case/PinnedItem.h"

namespace ds {

QString pinKindKey(PinKind k)
{
    switch (k) {
    case PinKind::Chart: return QStringLiteral("chart");
    case PinKind::RequestSet: return QStringLiteral("requests");
    case PinKind::Template: return QStringLiteral("template");
    case PinKind::SharedValue: return QStringLiteral("shared_value");
    case PinKind::IndicatorTable: return QStringLiteral("indicator_table");
    }
    return {};
}

QString pinKindLabel(PinKind k)
{
    switch (k) {
    case PinKind::Chart: return QStringLiteral("Chart");
    case PinKind::RequestSet: return QStringLiteral("Requests");
    case PinKind::Template: return QStringLiteral("Prompt template");
    case PinKind::SharedValue: return QStringLiteral("Shared value");
    case PinKind::IndicatorTable: return QStringLiteral("Indicator table");
    }
    return {};
}

bool parsePinKind(const QString& key, PinKind* out)
{
    for (PinKind k : {PinKind::Chart, PinKind::RequestSet, PinKind::Template, PinKind::SharedValue, PinKind::IndicatorTable}) {
        if (pinKindKey(k) == key) {
            *out = k;
            return true;
        }
    }
    return false;
}

} // namespace ds

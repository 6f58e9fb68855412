#pragma once

#include "detect/Indicators.h"

#include <QString>

namespace ds {

// The label of the indicator `key` as this Distillscope writes it, for views and reports of a run stored with an older
// label ("inter-arrival CV" before "timing irregularity": a run's baseline keeps the words of its day); `stored` for a
// key it does not know. Any thread.
inline QString indicatorLabel(const QString& key, const QString& stored)
{
    for (int i = 0; i < kIndicatorCount; ++i)
        if (key == QLatin1String(indicatorInfo(i).key))
            return QString::fromLatin1(indicatorInfo(i).label);
    return stored;
}

} // namespace ds

#include "text/HarvestModel.h"

#include "core/Logging.h"
#include "text/HarvestFeatures.h"
#include "text/PromptFeatures.h"

#include <QFile>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace ds {

namespace {

// Next whitespace-separated token of `text` from `pos`.
std::string_view nextToken(std::string_view text, std::size_t& pos)
{
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\n' || text[pos] == '\t' || text[pos] == '\r'))
        ++pos;
    const std::size_t start = pos;
    while (pos < text.size() && text[pos] != ' ' && text[pos] != '\n' && text[pos] != '\t' && text[pos] != '\r')
        ++pos;
    return text.substr(start, pos - start);
}

template<typename T>
bool parseNumber(std::string_view s, T& v)
{
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

} // namespace

bool HarvestModel::parse(std::string_view text, QString* error)
{
    // Format: "distillscope-harvest-model 1", then "features N", "scale S", "bias B",
    // then "weights K" and K lines "index weight" (fixed-point integers).
    auto fail = [&](const char* why) {
        if (error)
            *error = QStringLiteral("harvest model: %1").arg(QLatin1String(why));
        m_weights.clear();
        return false;
    };
    std::size_t pos = 0;
    std::uint32_t version = 0, features = 0, count = 0;
    std::int64_t scale = 0;
    if (nextToken(text, pos) != "distillscope-harvest-model" || !parseNumber(nextToken(text, pos), version) || version != 1)
        return fail("not a version-1 model");
    if (nextToken(text, pos) != "features" || !parseNumber(nextToken(text, pos), features) || features != kHarvestFeatureCount)
        return fail("feature count differs from this program's features");
    if (nextToken(text, pos) != "scale" || !parseNumber(nextToken(text, pos), scale) || scale != kScale)
        return fail("unexpected fixed-point scale");
    if (nextToken(text, pos) != "bias" || !parseNumber(nextToken(text, pos), m_bias))
        return fail("no bias");
    if (nextToken(text, pos) != "weights" || !parseNumber(nextToken(text, pos), count))
        return fail("no weight count");
    m_weights.assign(features, 0);
    for (std::uint32_t k = 0; k < count; ++k) {
        std::uint32_t index = 0;
        std::int32_t w = 0;
        if (!parseNumber(nextToken(text, pos), index) || index >= features || !parseNumber(nextToken(text, pos), w))
            return fail("bad weight line");
        m_weights[index] = w;
    }
    m_scoring = HarvestWeights(m_weights);
    // Score k + 1 is reached at the margin where logistic() passes (k + 0.5) / 1000,
    // so scoreOfMargin() rounds to the nearest thousandth with integers only.
    for (int k = 0; k < 1000; ++k) {
        const double p = (k + 0.5) / 1000.0;
        m_steps[static_cast<std::size_t>(k)] = static_cast<std::int64_t>(std::ceil(std::log(p / (1.0 - p)) * kScale));
    }
    return true;
}

const HarvestModel& HarvestModel::shared()
{
    static const HarvestModel model = [] {
        HarvestModel m;
        QFile f(QStringLiteral(":/text/harvest_model.txt"));
        QString error;
        if (!f.open(QIODevice::ReadOnly))
            error = QStringLiteral("harvest model: the compiled-in resource is missing");
        else {
            const QByteArray data = f.readAll();
            m.parse(std::string_view(data.constData(), static_cast<std::size_t>(data.size())), &error);
        }
        if (!error.isEmpty())
            qCWarning(lcDetect) << error << "- every request scores 0";
        return m;
    }();
    return model;
}

std::int64_t HarvestModel::margin(const std::vector<std::uint32_t>& indices) const
{
    std::int64_t sum = m_bias;
    for (std::uint32_t i : indices)
        sum += m_weights[i];
    return sum;
}

std::int64_t HarvestModel::marginOf(std::string_view systemPrompt, std::string_view prompt, int toolCount,
                                    const PromptFeatures& features) const
{
    return m_bias + harvestWeightSum(systemPrompt, prompt, toolCount, features, m_scoring);
}

int HarvestModel::scoreOfMargin(std::int64_t margin) const
{
    return static_cast<int>(std::upper_bound(m_steps.begin(), m_steps.end(), margin) - m_steps.begin());
}

int harvestScore(std::string_view systemPrompt, std::string_view prompt, int toolCount, const PromptFeatures& features)
{
    const HarvestModel& model = HarvestModel::shared();
    if (!model.isLoaded())
        return 0;
    return model.scoreOfMargin(model.marginOf(systemPrompt, prompt, toolCount, features));
}

} // namespace ds

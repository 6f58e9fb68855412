#include "sim/SimLogFormat.h"

namespace ds {

QStringList SimLogFormat::names()
{
    return { QStringLiteral("litellm"), QStringLiteral("helicone"), QStringLiteral("langfuse"),
             QStringLiteral("bedrock"), QStringLiteral("otlp") };
}

std::unique_ptr<SimLogFormat> SimLogFormat::create(std::string_view name)
{
    if (name == "litellm")
        return makeLiteLlmLogFormat();
    if (name == "helicone")
        return makeHeliconeLogFormat();
    if (name == "langfuse")
        return makeLangfuseLogFormat();
    if (name == "bedrock")
        return makeBedrockLogFormat();
    if (name == "otlp")
        return makeOtlpLogFormat();
    return nullptr;
}

} // namespace ds

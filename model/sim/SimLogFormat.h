#pragma once

#include "sim/SimLogRecord.h"

#include <QStringList>
#include <memory>
#include <string>
#include <string_view>

namespace ds {

// Writes simulated requests the way one real gateway or cloud logs them (LiteLLM, Helicone, Langfuse, Bedrock,
// OpenTelemetry), so that import and detection are tried on the shapes users have rather than on our canonical
// format. Each writer's source file says where its shape comes from. One instance per output file; one thread.
class SimLogFormat
{
public:
    virtual ~SimLogFormat() = default;

    // The format names, as `simulate --log-format` and `import --format` spell them.
    static QStringList names();
    // Null for an unknown name.
    static std::unique_ptr<SimLogFormat> create(std::string_view name);

    virtual const char* name() const = 0;
    // How this format names the account (what truth.csv and accounts.csv must then say).
    virtual std::string accountIdFor(std::string_view accountId, std::string_view orgId) const
    {
        (void)orgId;
        return std::string(accountId);
    }
    // Appends `r` (one line, or a span of a batch still open); the earlier turns come from `t`.
    virtual void append(std::string& out, const SimLogRecord& r, const SimLogTurns& t) = 0;
    // Appends what is still buffered (a batch format's last line).
    virtual void finish(std::string& out) { (void)out; }
};

std::unique_ptr<SimLogFormat> makeLiteLlmLogFormat();
std::unique_ptr<SimLogFormat> makeHeliconeLogFormat();
std::unique_ptr<SimLogFormat> makeLangfuseLogFormat();
std::unique_ptr<SimLogFormat> makeBedrockLogFormat();
std::unique_ptr<SimLogFormat> makeOtlpLogFormat();

} // namespace ds

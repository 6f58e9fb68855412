// Amazon Bedrock model invocation logs, as delivered to S3 or CloudWatch Logs: one JSON object per line with
// schemaType "ModelInvocationLog", schemaVersion "1.0", timestamp (RFC 3339 to the second), accountId,
// identity.arn, region, requestId, operation ("InvokeModel" or "Converse"), modelId, input {inputContentType,
// inputBodyJson, inputTokenCount}, output {outputContentType, outputBodyJson, outputTokenCount}, errorCode on
// failures. Shape from AWS's "Model invocation logging" user guide and published log samples. inputBodyJson is the
// request body: Anthropic Messages for InvokeModel (anthropic_version "bedrock-2023-05-31"), the Converse shape
// (messages[].content[].text, system[].text, toolConfig) for Converse. No client address, user agent or key: the
// caller is the IAM principal, here an IAM user per customer account in an AWS account per organisation.
#include "core/JsonText.h"
#include "sim/SimLogFormat.h"
#include "sim/SimLogMessages.h"

namespace ds {

namespace {

class BedrockLogFormat final : public SimLogFormat
{
public:
    const char* name() const override { return "bedrock"; }

    std::string accountIdFor(std::string_view accountId, std::string_view orgId) const override
    {
        std::string arn = "arn:aws:iam::";
        awsAccount(arn, accountId, orgId);
        arn += ":user/";
        arn += accountId;
        return arn;
    }

    void append(std::string& out, const SimLogRecord& r, const SimLogTurns& t) override
    {
        const bool ok = r.status == 200;
        // A client uses one SDK call: a third of the accounts call Converse, the others InvokeModel.
        const bool converse = simLogHash(r.accountId, 41) % 3 == 0;
        out += R"({"schemaType":"ModelInvocationLog","schemaVersion":"1.0","timestamp":")";
        simAppendDateTime(out, r.ts, 'T', 0);
        out += R"(Z","accountId":")";
        awsAccount(out, r.accountId, r.orgId);
        out += R"(","identity":{"arn":)";
        appendJsonString(out, accountIdFor(r.accountId, r.orgId));
        out += R"(},"region":"us-east-1","requestId":")";
        simAppendUuid(out, r.requestId, 42);
        out += R"(","operation":)";
        out += converse ? "\"Converse\"" : "\"InvokeModel\"";
        out += R"(,"modelId":)";
        appendJsonString(out, "us.anthropic." + r.model + "-v1:0");
        out += R"(,"input":{"inputContentType":"application/json","inputBodyJson":)";
        if (converse)
            simAppendConverseBody(out, r, t);
        else
            simAppendAnthropicBody(out, r, t, simLogShapeFor(r), true);
        out += R"(,"inputTokenCount":)";
        simAppendInt(out, ok ? r.promptTokens : 0);
        out += '}';
        if (ok) {
            out += R"(,"output":{"outputContentType":"application/json","outputBodyJson":)";
            if (converse) {
                out += R"({"output":{"message":{"role":"assistant","content":[{"text":""}]}},"stopReason":)";
                appendJsonString(out, r.stopReason.empty() ? "end_turn" : r.stopReason);
                out += R"(,"metrics":{"latencyMs":)";
                simAppendInt(out, r.latencyMs);
                out += R"(},"usage":{"inputTokens":)";
                simAppendInt(out, r.promptTokens);
                out += R"(,"outputTokens":)";
                simAppendInt(out, r.completionTokens);
                out += R"(,"totalTokens":)";
                simAppendInt(out, r.promptTokens + r.completionTokens);
                out += "}}";
            } else {
                simAppendAnthropicResponse(out, r);
            }
            out += R"(,"outputTokenCount":)";
            simAppendInt(out, r.completionTokens);
            out += '}';
        } else {
            out += R"(,"errorCode":)";
            appendJsonString(out, r.status == 429 ? "ThrottlingException" : "ServiceUnavailableException");
        }
        out += "}\n";
    }

private:
    // A 12-digit AWS account: the organisation's when there is one, else the customer's own.
    static void awsAccount(std::string& out, std::string_view accountId, std::string_view orgId)
    {
        const std::uint64_t h = simLogHash(orgId.empty() ? accountId : orgId, 43) % 900000000000ULL + 100000000000ULL;
        simAppendInt(out, static_cast<std::int64_t>(h));
    }
};

} // namespace

std::unique_ptr<SimLogFormat> makeBedrockLogFormat()
{
    return std::make_unique<BedrockLogFormat>();
}

} // namespace ds

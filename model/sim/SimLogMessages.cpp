#include "sim/SimLogMessages.h"

#include "core/JsonText.h"

namespace ds {

namespace {

// What the assistant said in the earlier turn. Its text takes no part in detection (only user turns do); a few
// plain replies keep the files readable.
const char* const kEarlierAnswers[] = {
    "Sure. Here is a first version; tell me what to change.",
    "Done. I kept the structure and fixed the parts you pointed out.",
    "Here is what I found. Want me to go deeper on any step?",
    "I have drafted it below.",
};

const char* earlierAnswer(const SimLogRecord& r)
{
    return kEarlierAnswers[simLogHash(r.requestId, 11) % (sizeof kEarlierAnswers / sizeof *kEarlierAnswers)];
}

bool withToolResult(const SimLogRecord& r, const SimLogTurns& t)
{
    return t.toolResult && !t.previousPrompt.empty() && !r.tools.empty();
}

void toolCallId(std::string& out, const SimLogRecord& r, const char* prefix)
{
    out += prefix;
    simAppendHexId(out, r.requestId, 13, 12);
}

void quoted(std::string& out, std::string_view text)
{
    appendJsonString(out, text);
}

// A string or [{type:"text", <textKey>: text}].
void content(std::string& out, std::string_view text, bool parts, const char* textKey = "text")
{
    if (!parts) {
        quoted(out, text);
        return;
    }
    out += "[{\"type\":\"text\",\"";
    out += textKey;
    out += "\":";
    quoted(out, text);
    out += "}]";
}

// A JSON Schema object every simulated tool takes; the simulator knows tools by name only.
void toolSchema(std::string& out)
{
    out += R"({"type":"object","properties":{"query":{"type":"string","description":"What to look up or act on"}},)"
           R"("required":["query"]})";
}

void toolDescription(std::string& out, const std::string& name)
{
    quoted(out, "Use " + name + " when the user's request needs it.");
}

const char* const kToolOutput = R"({"status":"ok","items":3})";

} // namespace

SimLogShape simLogShapeFor(const SimLogRecord& r)
{
    const std::uint64_t h = simLogHash(r.requestId, 3);
    return SimLogShape { (h & 3) == 0, (h >> 2 & 1) == 1 };
}

const char* simOpenAiFinishReason(const SimLogRecord& r)
{
    if (r.stopReason == "max_tokens")
        return "length";
    if (r.stopReason == "tool_use")
        return "tool_calls";
    if (r.stopReason == "refusal")
        return "content_filter";
    return "stop";
}

void simAppendOpenAiMessages(std::string& out, const SimLogRecord& r, const SimLogTurns& t, SimLogShape shape)
{
    out += '[';
    bool first = true;
    auto sep = [&] {
        if (!first)
            out += ',';
        first = false;
    };
    if (!r.systemPrompt.empty()) {
        sep();
        out += R"({"role":"system","content":)";
        content(out, r.systemPrompt, shape.contentParts);
        out += '}';
    }
    if (!t.previousPrompt.empty()) {
        sep();
        out += R"({"role":"user","content":)";
        content(out, t.previousPrompt, shape.contentParts);
        out += '}';
        if (withToolResult(r, t)) {
            out += R"(,{"role":"assistant","content":null,"tool_calls":[{"id":")";
            toolCallId(out, r, "call_");
            out += R"(","type":"function","function":{"name":)";
            quoted(out, r.tools.front());
            out += R"(,"arguments":"{\"query\":\"status\"}"}}]},{"role":"tool","tool_call_id":")";
            toolCallId(out, r, "call_");
            out += R"(","content":)";
            quoted(out, kToolOutput);
            out += '}';
        } else {
            out += R"(,{"role":"assistant","content":)";
            quoted(out, earlierAnswer(r));
            out += '}';
        }
    }
    sep();
    out += R"({"role":"user","content":)";
    content(out, r.prompt, shape.contentParts);
    out += "}]";
}

void simAppendOpenAiTools(std::string& out, const SimLogRecord& r)
{
    out += '[';
    for (std::size_t i = 0; i < r.tools.size(); ++i) {
        if (i)
            out += ',';
        out += R"({"type":"function","function":{"name":)";
        quoted(out, r.tools[i]);
        out += R"(,"description":)";
        toolDescription(out, r.tools[i]);
        out += R"(,"parameters":)";
        toolSchema(out);
        out += "}}";
    }
    out += ']';
}

void simAppendAnthropicBody(std::string& out, const SimLogRecord& r, const SimLogTurns& t, SimLogShape shape,
                            bool bedrock)
{
    out += '{';
    if (bedrock) {
        out += R"("anthropic_version":"bedrock-2023-05-31")";
    } else {
        out += R"("model":)";
        quoted(out, r.model);
    }
    out += R"(,"max_tokens":)";
    simAppendInt(out, r.maxTokens);
    if (!r.systemPrompt.empty()) {
        out += R"(,"system":)";
        content(out, r.systemPrompt, shape.systemBlocks);
    }
    out += R"(,"messages":[)";
    bool lastTurnWritten = false;
    if (!t.previousPrompt.empty()) {
        out += R"({"role":"user","content":)";
        content(out, t.previousPrompt, shape.contentParts);
        out += "},";
        if (withToolResult(r, t)) {
            // The last user turn opens with the tool's result, then the user's text.
            out += R"({"role":"assistant","content":[{"type":"tool_use","id":")";
            toolCallId(out, r, "toolu_");
            out += R"(","name":)";
            quoted(out, r.tools.front());
            out += R"(,"input":{"query":"status"}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":")";
            toolCallId(out, r, "toolu_");
            out += R"(","content":)";
            quoted(out, kToolOutput);
            out += R"(},{"type":"text","text":)";
            quoted(out, r.prompt);
            out += "}]}]";
            lastTurnWritten = true;
        } else {
            out += R"({"role":"assistant","content":)";
            content(out, earlierAnswer(r), shape.contentParts);
            out += "},";
        }
    }
    if (!lastTurnWritten) {
        out += R"({"role":"user","content":)";
        content(out, r.prompt, shape.contentParts);
        out += "}]";
    }
    if (!r.tools.empty()) {
        out += R"(,"tools":[)";
        for (std::size_t i = 0; i < r.tools.size(); ++i) {
            if (i)
                out += ',';
            out += R"({"name":)";
            quoted(out, r.tools[i]);
            out += R"(,"description":)";
            toolDescription(out, r.tools[i]);
            out += R"(,"input_schema":)";
            toolSchema(out);
            out += '}';
        }
        out += ']';
    }
    out += '}';
}

void simAppendAnthropicResponse(std::string& out, const SimLogRecord& r)
{
    out += R"({"id":"msg_)";
    simAppendHexId(out, r.requestId, 17, 12);
    out += R"(","type":"message","role":"assistant","model":)";
    quoted(out, r.model);
    out += R"(,"stop_reason":)";
    quoted(out, r.stopReason.empty() ? "end_turn" : r.stopReason);
    out += R"(,"usage":{"input_tokens":)";
    simAppendInt(out, r.promptTokens);
    out += R"(,"output_tokens":)";
    simAppendInt(out, r.completionTokens);
    out += "}}";
}

void simAppendConverseBody(std::string& out, const SimLogRecord& r, const SimLogTurns& t)
{
    out += R"({"messages":[)";
    if (!t.previousPrompt.empty()) {
        out += R"({"role":"user","content":[{"text":)";
        quoted(out, t.previousPrompt);
        out += "}]},";
        if (withToolResult(r, t)) {
            out += R"({"role":"assistant","content":[{"toolUse":{"toolUseId":")";
            toolCallId(out, r, "tooluse_");
            out += R"(","name":)";
            quoted(out, r.tools.front());
            out += R"(,"input":{"query":"status"}}}]},{"role":"user","content":[{"toolResult":{"toolUseId":")";
            toolCallId(out, r, "tooluse_");
            out += R"(","content":[{"json":)";
            out += kToolOutput;
            out += R"(}],"status":"success"}},{"text":)";
        } else {
            out += R"({"role":"assistant","content":[{"text":)";
            quoted(out, earlierAnswer(r));
            out += R"(}]},{"role":"user","content":[{"text":)";
        }
    } else {
        out += R"({"role":"user","content":[{"text":)";
    }
    quoted(out, r.prompt);
    out += "}]}]";
    if (!r.systemPrompt.empty()) {
        out += R"(,"system":[{"text":)";
        quoted(out, r.systemPrompt);
        out += "}]";
    }
    out += R"(,"inferenceConfig":{"maxTokens":)";
    simAppendInt(out, r.maxTokens);
    out += '}';
    if (!r.tools.empty()) {
        out += R"(,"toolConfig":{"tools":[)";
        for (std::size_t i = 0; i < r.tools.size(); ++i) {
            if (i)
                out += ',';
            out += R"({"toolSpec":{"name":)";
            quoted(out, r.tools[i]);
            out += R"(,"description":)";
            toolDescription(out, r.tools[i]);
            out += R"(,"inputSchema":{"json":)";
            toolSchema(out);
            out += "}}}";
        }
        out += "]}";
    }
    out += '}';
}

void simAppendOtelMessages(std::string& out, const SimLogRecord& r, const SimLogTurns& t)
{
    out += '[';
    if (!t.previousPrompt.empty()) {
        out += R"({"role":"user","parts":)";
        content(out, t.previousPrompt, true, "content");
        out += "},";
        if (withToolResult(r, t)) {
            out += R"({"role":"assistant","parts":[{"type":"tool_call","id":")";
            toolCallId(out, r, "call_");
            out += R"(","name":)";
            quoted(out, r.tools.front());
            out += R"(,"arguments":{"query":"status"}}]},{"role":"tool","parts":[{"type":"tool_call_response","id":")";
            toolCallId(out, r, "call_");
            out += R"(","response":)";
            quoted(out, kToolOutput);
            out += "}]},";
        } else {
            out += R"({"role":"assistant","parts":)";
            content(out, earlierAnswer(r), true, "content");
            out += "},";
        }
    }
    out += R"({"role":"user","parts":)";
    content(out, r.prompt, true, "content");
    out += "}]";
}

void simAppendOtelSystem(std::string& out, const SimLogRecord& r)
{
    content(out, r.systemPrompt, true, "content");
}

void simAppendOtelTools(std::string& out, const SimLogRecord& r)
{
    out += '[';
    for (std::size_t i = 0; i < r.tools.size(); ++i) {
        if (i)
            out += ',';
        out += R"({"type":"function","name":)";
        quoted(out, r.tools[i]);
        out += R"(,"description":)";
        toolDescription(out, r.tools[i]);
        out += R"(,"parameters":)";
        toolSchema(out);
        out += '}';
    }
    out += ']';
}

} // namespace ds

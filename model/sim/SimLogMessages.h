#pragma once

#include "sim/SimLogRecord.h"

#include <string>

namespace ds {

// The message-array shapes of the public LLM APIs, written from a canonical record and the conversation around it
// (SimLogTurns): what gateways and clouds log as the request. The prompt is always the last user turn, the system
// prompt the system turn(s). Shared by the log-format writers; any thread.

// How a record's content is laid out, drawn per record so one file holds every shape a real client sends.
struct SimLogShape
{
    bool contentParts = false; // content as a list of typed parts rather than one string
    bool systemBlocks = false; // Anthropic: system as a list of text blocks rather than a string
};
SimLogShape simLogShapeFor(const SimLogRecord& r);

// OpenAI Chat Completions `messages` (system, earlier user/assistant/tool turns, last user turn).
void simAppendOpenAiMessages(std::string& out, const SimLogRecord& r, const SimLogTurns& t, SimLogShape shape);
// OpenAI `tools`: [{type:"function", function:{name, description, parameters}}].
void simAppendOpenAiTools(std::string& out, const SimLogRecord& r);
// An Anthropic Messages request body: {model?, anthropic_version?, max_tokens, system?, messages, tools?}.
// `bedrock`: the InvokeModel body (anthropic_version "bedrock-2023-05-31", the model in the URL, not the body).
void simAppendAnthropicBody(std::string& out, const SimLogRecord& r, const SimLogTurns& t, SimLogShape shape,
                            bool bedrock);
// An Anthropic Messages response without its text: {id, type, role, model, stop_reason, usage}.
void simAppendAnthropicResponse(std::string& out, const SimLogRecord& r);
// A Bedrock Converse request body: {messages:[{role, content:[{text}|{toolUse}|{toolResult}]}], system:[{text}],
// inferenceConfig:{maxTokens}, toolConfig:{tools:[{toolSpec}]}}.
void simAppendConverseBody(std::string& out, const SimLogRecord& r, const SimLogTurns& t);
// OpenTelemetry GenAI `gen_ai.input.messages`: [{role, parts:[{type:"text", content}|{type:"tool_call"}|...]}].
void simAppendOtelMessages(std::string& out, const SimLogRecord& r, const SimLogTurns& t);
// OpenTelemetry GenAI `gen_ai.system_instructions`: [{type:"text", content}].
void simAppendOtelSystem(std::string& out, const SimLogRecord& r);
// OpenTelemetry GenAI `gen_ai.tool.definitions`: [{type:"function", name, description, parameters}].
void simAppendOtelTools(std::string& out, const SimLogRecord& r);
// The stop reason in OpenAI's words ("stop", "length", "tool_calls", "content_filter").
const char* simOpenAiFinishReason(const SimLogRecord& r);

} // namespace ds

#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace ds::messagetext {

// Reads the text of chat messages as the provider APIs write them, from a
// parsed JSON document (simdjson DOM). Shapes understood:
//   OpenAI      {role, content: "text" | [{type:"text", text}, {type:"image_url", ...}]}
//   Anthropic   {role, content: "text" | [{type:"text", text}, {type:"tool_use", ...},
//                                         {type:"tool_result", content: "text" | [blocks]}]}
//   Converse    {role, content: [{text}, {toolUse}, {toolResult: {content: [{text}]}}]}
//   OpenTelemetry GenAI {role, parts: [{type:"text", content}, {type:"tool_call_response", response}]}
// Images, documents and the model's own tool calls add no text. Pure functions: any thread.

// Appends the text of a message content (a string, one block or a list of blocks or parts);
// blocks are joined by a newline.
void appendContentText(simdjson::dom::element content, std::string& out);

// The text of the last user turn of a message array, and how many non-system
// turns came before it. Returns false when the array has no user turn.
bool lastUserTurn(simdjson::dom::array messages, std::string& out, std::int64_t& earlierTurns);

// The same without a copy when the turn's text is one piece (a string, or one text block or part, as most
// prompts are): `text` views the document's string. Otherwise the pieces are joined in `storage` and `text`
// views that. Either stays valid as long as the document and `storage` do.
bool lastUserTurn(simdjson::dom::array messages, std::string_view& text, std::string& storage,
                  std::int64_t& earlierTurns);

// The text of every system or developer turn of a message array, joined by a blank line.
void systemTurns(simdjson::dom::array messages, std::string& out);

} // namespace ds::messagetext

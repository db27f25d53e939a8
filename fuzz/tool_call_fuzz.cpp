// libFuzzer entry point for the tool-call reader: any bytes as a model's output, read in every
// syntax whole and again in two pieces cut where the first byte says. Both readings must agree
// (a stream split across tokens says what the whole answer says), every call's arguments must be
// a JSON object, and nothing may crash or throw.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/chat/tool_call_reader.h"

namespace {

using assistd::chat::OutputPiece;
using assistd::chat::ParsedToolCall;
using assistd::chat::ToolCallReader;
using assistd::chat::ToolCallSyntax;

[[noreturn]] void broken(const char* promise) {
    std::fprintf(stderr, "broken promise: %s\n", promise);
    std::abort();
}

// Adjacent text joined, so readings that split text differently compare equal.
std::vector<OutputPiece> read(ToolCallSyntax syntax, std::vector<std::string_view> parts) {
    ToolCallReader reader(syntax, 4);
    std::vector<OutputPiece> all;
    const auto add = [&all](std::vector<OutputPiece> pieces) {
        for (OutputPiece& piece : pieces) {
            auto* text = std::get_if<std::string>(&piece);
            auto* last = all.empty() ? nullptr : std::get_if<std::string>(&all.back());
            if (text != nullptr && last != nullptr) {
                *last += *text;
            } else {
                all.push_back(std::move(piece));
            }
        }
    };
    for (std::string_view part : parts) add(reader.read(part));
    add(reader.finish());
    return all;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const std::string_view output(reinterpret_cast<const char*>(data) + 1, size - 1);
    const size_t cut = data[0] % (output.size() + 1);
    for (ToolCallSyntax syntax : {ToolCallSyntax::Hermes, ToolCallSyntax::Llama3,
                                  ToolCallSyntax::Mistral, ToolCallSyntax::FireFunction,
                                  ToolCallSyntax::FunctionaryV31, ToolCallSyntax::FunctionaryV32}) {
        const std::vector<OutputPiece> whole = read(syntax, {output});
        if (read(syntax, {output.substr(0, cut), output.substr(cut)}) != whole) {
            broken("a split output reads like the whole");
        }
        int calls = 0;
        for (const OutputPiece& piece : whole) {
            const auto* call = std::get_if<ParsedToolCall>(&piece);
            if (call == nullptr) continue;
            if (++calls > 4) broken("at most max_calls calls");
            if (call->name.empty()) broken("a call has a name");
            if (!nlohmann::json::parse(call->arguments, nullptr, false).is_object()) {
                broken("a call's arguments are a JSON object");
            }
        }
    }
    return 0;
}

#include "engine/chat/tool_call_scanner.h"

#include <optional>

#include <nlohmann/json.hpp>

#include "engine/chat/json_extent.h"

namespace assistd::chat {

namespace {

using json = nlohmann::json;

constexpr size_t kMaxNameBytes = 64;  // OpenAI's limit on a function name

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
}

bool is_space(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

// Where the longest end of `text` that could grow into `tag` begins; text.size() when none.
size_t partial_tag_start(std::string_view text, std::string_view tag) {
    const size_t longest = std::min(text.size(), tag.size() - 1);
    for (size_t length = longest; length > 0; --length) {
        if (tag.starts_with(text.substr(text.size() - length))) return text.size() - length;
    }
    return text.size();
}

constexpr size_t kMaxJsonDepth = 64;  // deeper output is text, never parsed

json parse_json(std::string_view text) {
    if (json_nests_deeper_than(text, kMaxJsonDepth)) return json(json::value_t::discarded);
    return json::parse(text.begin(), text.end(), nullptr, false);
}

std::optional<std::string> arguments_text(const json& arguments) {
    if (arguments.is_object()) return arguments.dump();
    if (!arguments.is_string()) return std::nullopt;
    // Some models write the arguments as a JSON string holding the object, as OpenAI does.
    json parsed = parse_json(arguments.get<std::string>());
    if (!parsed.is_object()) return std::nullopt;
    return parsed.dump();
}

// {"name": "...", "arguments" (or "parameters"): {...}}
std::optional<ParsedToolCall> call_from_json(const json& value) {
    if (!value.is_object()) return std::nullopt;
    auto name = value.find("name");
    if (name == value.end() || !name->is_string() || name->get<std::string>().empty()) {
        return std::nullopt;
    }
    auto arguments = value.find("arguments");
    if (arguments == value.end()) arguments = value.find("parameters");
    std::optional<std::string> text =
        arguments == value.end() ? std::optional<std::string>("{}") : arguments_text(*arguments);
    if (!text) return std::nullopt;
    return ParsedToolCall{name->get<std::string>(), std::move(*text)};
}

class Scanner {
  public:
    Scanner(std::string_view text, bool call_may_start, bool at_end)
        : text_(text), at_end_(at_end) {
        result_.call_may_start = call_may_start;
    }

    ToolCallScan scan(ToolCallSyntax syntax) && {
        switch (syntax) {
            case ToolCallSyntax::Hermes:
                hermes();
                break;
            case ToolCallSyntax::Llama3:
                llama3();
                break;
            case ToolCallSyntax::Mistral:
                tagged_list("[TOOL_CALLS]");
                break;
            case ToolCallSyntax::FireFunction:
                tagged_list("functools");
                break;
            case ToolCallSyntax::FunctionaryV31:
                functionary_v31();
                break;
            case ToolCallSyntax::FunctionaryV32:
                functionary_v32();
                break;
        }
        result_.consumed = pos_;
        return std::move(result_);
    }

  private:
    void text_until(size_t end) {
        if (end > pos_) result_.pieces.emplace_back(std::string(text_.substr(pos_, end - pos_)));
        pos_ = end;
    }

    // Text up to the next `tag`, holding back an end that may be its beginning. Returns whether
    // the tag was found; pos_ is then on it.
    bool text_until_tag(std::string_view tag) {
        const size_t found = text_.find(tag, pos_);
        if (found != std::string_view::npos) {
            text_until(found);
            return true;
        }
        text_until(at_end_ ? text_.size() : pos_ + partial_tag_start(text_.substr(pos_), tag));
        return false;
    }

    // The JSON object or array at `start`, if it is whole; nullopt when undecided (pos_ stays,
    // or at the end the rest becomes text) or not JSON (`*not_json` set).
    std::optional<std::pair<json, size_t>> json_at(size_t start, bool& not_json) {
        not_json = false;
        const JsonExtent extent = json_extent(text_, start);
        if (extent.state == JsonExtent::State::Incomplete) {
            if (at_end_) not_json = true;
            return std::nullopt;
        }
        json value = extent.state == JsonExtent::State::Complete
                         ? parse_json(text_.substr(start, extent.end - start))
                         : json(json::value_t::discarded);
        if (value.is_discarded()) {
            not_json = true;
            return std::nullopt;
        }
        return std::pair{std::move(value), extent.end};
    }

    size_t skip_space(size_t from, std::string_view also = "") const {
        while (from < text_.size() &&
               (is_space(text_[from]) || also.find(text_[from]) != std::string_view::npos)) {
            ++from;
        }
        return from;
    }

    void call(ParsedToolCall parsed, size_t end) {
        result_.pieces.emplace_back(std::move(parsed));
        pos_ = end;
    }

    // <tool_call>{call}</tool_call>, the closing tag optional at the end of the output.
    void hermes() {
        constexpr std::string_view open = "<tool_call>", close = "</tool_call>";
        while (text_until_tag(open)) {
            const size_t body = pos_ + open.size();
            const size_t closing = text_.find(close, body);
            if (closing == std::string_view::npos && !at_end_) return;
            const size_t body_end = closing == std::string_view::npos ? text_.size() : closing;
            const size_t end =
                closing == std::string_view::npos ? text_.size() : closing + close.size();
            std::optional<ParsedToolCall> parsed =
                call_from_json(parse_json(text_.substr(body, body_end - body)));
            if (parsed) {
                call(std::move(*parsed), end);
            } else {
                text_until(end);
            }
        }
    }

    // TAG[{call}, ...]: one array holding every call.
    void tagged_list(std::string_view tag) {
        while (text_until_tag(tag)) {
            bool not_json = false;
            const size_t start = skip_space(pos_ + tag.size());
            std::optional<std::pair<json, size_t>> list = json_at(start, not_json);
            if (not_json) {
                text_until(pos_ + tag.size());
                continue;
            }
            if (!list) return;
            const json items = list->first.is_array() ? list->first : json::array({list->first});
            std::vector<ParsedToolCall> calls;
            for (const json& item : items) {
                std::optional<ParsedToolCall> parsed = call_from_json(item);
                if (!parsed) break;
                calls.push_back(std::move(*parsed));
            }
            if (calls.empty() || calls.size() != items.size()) {
                text_until(list->second);
                continue;
            }
            for (ParsedToolCall& parsed : calls) result_.pieces.emplace_back(std::move(parsed));
            pos_ = list->second;
        }
    }

    // {call} at the start of the answer (after <|python_tag|> or not), then more separated by ';'.
    void llama3() {
        constexpr std::string_view python_tag = "<|python_tag|>";
        while (result_.call_may_start) {
            size_t start = skip_space(pos_, ";");
            const std::string_view rest = text_.substr(start);
            if (rest.size() < python_tag.size() && python_tag.starts_with(rest) && !at_end_) return;
            if (rest.starts_with(python_tag)) start = skip_space(start + python_tag.size());
            if (start == text_.size() && !at_end_) return;
            bool not_json = false;
            std::optional<std::pair<json, size_t>> value = json_at(start, not_json);
            std::optional<ParsedToolCall> parsed;
            if (value) parsed = call_from_json(value->first);
            if (!value && !not_json) return;
            if (!parsed) {
                result_.call_may_start = false;
                break;
            }
            call(std::move(*parsed), value->second);
        }
        text_until(text_.size());
    }

    // <function=NAME>{arguments}</function>, the closing tag optional.
    void functionary_v31() {
        constexpr std::string_view open = "<function=", close = "</function>";
        while (text_until_tag(open)) {
            const size_t name_start = pos_ + open.size();
            size_t name_end = name_start;
            while (name_end < text_.size() && is_name_char(text_[name_end]) &&
                   name_end - name_start < kMaxNameBytes) {
                ++name_end;
            }
            if (name_end == text_.size() && !at_end_) return;
            bool not_json =
                name_end == text_.size() || text_[name_end] != '>' || name_end == name_start;
            std::optional<std::pair<json, size_t>> arguments;
            if (!not_json) arguments = json_at(name_end + 1, not_json);
            if (not_json || (arguments && !arguments->first.is_object())) {
                text_until(name_start);
                continue;
            }
            if (!arguments) return;
            size_t end = arguments->second;
            const std::string_view after = text_.substr(end);
            if (after.starts_with(close)) {
                end += close.size();
            } else if (close.starts_with(after) && !at_end_) {
                return;
            }
            call({std::string(text_.substr(name_start, name_end - name_start)),
                  arguments->first.dump()},
                 end);
        }
    }

    // RECIPIENT\nBODY blocks separated by ">>>": "all" introduces text, a name a call's arguments.
    void functionary_v32() {
        constexpr std::string_view separator = ">>>";
        while (pos_ < text_.size() || !at_end_) {
            if (!result_.call_may_start) {
                if (!text_until_tag(separator)) return;
                pos_ += separator.size();
                result_.call_may_start = true;
                continue;
            }
            size_t header_end = pos_;
            while (header_end < text_.size() && is_name_char(text_[header_end]) &&
                   header_end - pos_ < kMaxNameBytes) {
                ++header_end;
            }
            if (header_end == text_.size() && !at_end_) return;
            result_.call_may_start = false;
            if (header_end == text_.size() || text_[header_end] != '\n' || header_end == pos_) {
                continue;  // no recipient line: the block is text
            }
            const std::string_view recipient = text_.substr(pos_, header_end - pos_);
            if (recipient == "all") {
                pos_ = header_end + 1;
                continue;
            }
            bool not_json = false;
            std::optional<std::pair<json, size_t>> arguments = json_at(header_end + 1, not_json);
            if (!arguments && !not_json) {
                result_.call_may_start = true;
                return;
            }
            if (not_json || !arguments->first.is_object()) continue;
            call({std::string(recipient), arguments->first.dump()}, arguments->second);
        }
    }

    std::string_view text_;
    bool at_end_;
    size_t pos_ = 0;
    ToolCallScan result_;
};

}  // namespace

ToolCallScan scan_tool_calls(ToolCallSyntax syntax, std::string_view text, bool call_may_start,
                             bool at_end) {
    return Scanner(text, call_may_start, at_end).scan(syntax);
}

}  // namespace assistd::chat

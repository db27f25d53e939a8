#include "engine/chat/text_functions.h"

#include <algorithm>
#include <cctype>

#include "engine/chat/template_error.h"
#include "engine/tokenizer/utf8.h"

namespace assistd::chat {

std::vector<std::string_view> code_points(std::string_view text) {
    std::vector<std::string_view> points;
    size_t i = 0;
    while (i < text.size()) {
        size_t length = utf8::sequence_length(static_cast<uint8_t>(text[i]));
        if (length == 0 || i + length > text.size()) length = 1;
        points.push_back(text.substr(i, length));
        i += length;
    }
    return points;
}

size_t code_point_count(std::string_view text) {
    size_t count = 0;
    for (const char c : text) count += (static_cast<uint8_t>(c) & 0xC0) != 0x80;
    return count;
}

bool is_python_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string replace_chars(std::string_view text,
                          std::initializer_list<std::pair<char, std::string_view>> replacements) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        const auto* found = std::find_if(replacements.begin(), replacements.end(),
                                         [c](const auto& r) { return r.first == c; });
        if (found != replacements.end())
            out += found->second;
        else
            out += c;
    }
    return out;
}

std::string html_escape(std::string_view text) {
    return replace_chars(
        text, {{'&', "&amp;"}, {'<', "&lt;"}, {'>', "&gt;"}, {'"', "&#34;"}, {'\'', "&#39;"}});
}

std::string python_strip(std::string_view text, std::optional<std::string_view> chars,
                         StripSide side) {
    auto strips = [&](char c) {
        return chars ? chars->find(c) != std::string_view::npos : is_python_space(c);
    };
    size_t begin = 0;
    size_t end = text.size();
    if (side != StripSide::Right) {
        while (begin < end && strips(text[begin])) ++begin;
    }
    if (side != StripSide::Left) {
        while (end > begin && strips(text[end - 1])) --end;
    }
    return std::string(text.substr(begin, end - begin));
}

std::string ascii_upper(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string ascii_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string python_capitalize(std::string_view text) {
    std::string out = ascii_lower(text);
    if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
    return out;
}

std::string python_title(std::string_view text) {
    std::string out(text);
    bool previous_is_letter = false;
    for (char& c : out) {
        const bool letter = std::isalpha(static_cast<unsigned char>(c)) != 0;
        if (letter) {
            c = static_cast<char>(previous_is_letter ? std::tolower(static_cast<unsigned char>(c))
                                                     : std::toupper(static_cast<unsigned char>(c)));
        }
        previous_is_letter = letter;
    }
    return out;
}

std::string jinja_title(std::string_view text) {
    auto separates = [](char c) {
        return c == '-' || c == '(' || c == '{' || c == '[' || c == '<' || is_python_space(c);
    };
    std::string out;
    bool word_start = true;
    for (const char c : text) {
        if (separates(c)) {
            out += c;
            word_start = true;
            continue;
        }
        out += static_cast<char>(word_start ? std::toupper(static_cast<unsigned char>(c))
                                            : std::tolower(static_cast<unsigned char>(c)));
        word_start = false;
    }
    return out;
}

std::string python_replace(std::string_view text, std::string_view old,
                           std::string_view replacement, int64_t count) {
    std::string out;
    if (old.empty()) {
        for (const std::string_view point : code_points(text)) {
            if (count != 0) {
                out += replacement;
                --count;
            }
            out += point;
        }
        if (count != 0) out += replacement;
        return out;
    }
    size_t pos = 0;
    while (count != 0) {
        const size_t found = text.find(old, pos);
        if (found == std::string_view::npos) break;
        out += text.substr(pos, found - pos);
        out += replacement;
        pos = found + old.size();
        --count;
    }
    out += text.substr(pos);
    return out;
}

std::vector<std::string> python_split(std::string_view text, std::optional<std::string_view> sep,
                                      int64_t maxsplit) {
    std::vector<std::string> pieces;
    if (sep) {
        if (sep->empty()) fail(TemplateErrorKind::Type, "empty separator");
        size_t pos = 0;
        while (maxsplit != 0) {
            const size_t found = text.find(*sep, pos);
            if (found == std::string_view::npos) break;
            pieces.emplace_back(text.substr(pos, found - pos));
            pos = found + sep->size();
            --maxsplit;
        }
        pieces.emplace_back(text.substr(pos));
        return pieces;
    }
    size_t pos = 0;
    while (true) {
        while (pos < text.size() && is_python_space(text[pos])) ++pos;
        if (pos >= text.size()) break;
        if (maxsplit == 0) {
            size_t end = text.size();
            while (end > pos && is_python_space(text[end - 1])) --end;
            pieces.emplace_back(text.substr(pos, end - pos));
            break;
        }
        size_t end = pos;
        while (end < text.size() && !is_python_space(text[end])) ++end;
        pieces.emplace_back(text.substr(pos, end - pos));
        pos = end;
        --maxsplit;
    }
    return pieces;
}

}  // namespace assistd::chat

#include "engine/grammar/json_grammar.h"

namespace assistd {

namespace {

using Sequence = GrammarBuilder::Sequence;
Grammar::Element rule(int32_t id) {
    return GrammarBuilder::rule(id);
}

}  // namespace

int32_t JsonGrammar::once(std::optional<int32_t>& slot, int32_t (JsonGrammar::*make)()) {
    if (!slot) slot = (this->*make)();
    return *slot;
}

int32_t JsonGrammar::space() {
    return once(space_, &JsonGrammar::make_space);
}
int32_t JsonGrammar::string() {
    return once(string_, &JsonGrammar::make_string);
}
int32_t JsonGrammar::character() {
    return once(character_, &JsonGrammar::make_character);
}
int32_t JsonGrammar::integer() {
    return once(integer_, &JsonGrammar::make_integer);
}
int32_t JsonGrammar::number() {
    return once(number_, &JsonGrammar::make_number);
}
int32_t JsonGrammar::boolean() {
    return once(boolean_, &JsonGrammar::make_boolean);
}
int32_t JsonGrammar::null() {
    return once(null_, &JsonGrammar::make_null);
}
int32_t JsonGrammar::any_value() {
    return once(any_value_, &JsonGrammar::make_any_value);
}
int32_t JsonGrammar::any_object() {
    return once(any_object_, &JsonGrammar::make_any_object);
}
int32_t JsonGrammar::any_array() {
    return once(any_array_, &JsonGrammar::make_any_array);
}

int32_t JsonGrammar::make_space() {
    return b_.rule_of({{}, b_.literal(" ")});
}

int32_t JsonGrammar::make_string() {
    return string(0, std::nullopt);
}

int32_t JsonGrammar::string(int64_t min, std::optional<int64_t> max) {
    Sequence quoted = b_.literal("\"");
    quoted.push_back(rule(repeat({rule(character())}, min, max)));
    quoted += b_.literal("\"");
    return b_.rule_of({quoted});
}

// UTF-8 as RFC 3629 allows it (no overlongs, no surrogates, nothing past U+10FFFF).
int32_t JsonGrammar::make_character() {
    ByteSet plain;
    for (int byte = 0x20; byte <= 0x7F; ++byte) plain.set(static_cast<size_t>(byte));
    plain.reset('"');
    plain.reset('\\');
    ByteSet simple_escape;
    for (char c : std::string_view("\"\\/bfnrt")) simple_escape.set(static_cast<uint8_t>(c));
    ByteSet hex, hex_not_d, low_octal;
    for (char c : std::string_view("0123456789abcdefABCDEF")) hex.set(static_cast<uint8_t>(c));
    hex_not_d = hex;
    hex_not_d.reset('d');
    hex_not_d.reset('D');
    for (char c = '0'; c <= '7'; ++c) low_octal.set(static_cast<uint8_t>(c));
    auto tail = [&] { return b_.range(0x80, 0xBF); };
    Sequence unicode_escape = b_.literal("\\u");
    ByteSet d;
    d.set('d').set('D');
    const int32_t hex4 =
        b_.rule_of({{b_.bytes(hex_not_d), b_.bytes(hex), b_.bytes(hex), b_.bytes(hex)},
                    {b_.bytes(d), b_.bytes(low_octal), b_.bytes(hex), b_.bytes(hex)}});
    unicode_escape.push_back(rule(hex4));
    Sequence escape = b_.literal("\\");
    escape.push_back(b_.bytes(simple_escape));
    return b_.rule_of({
        {b_.bytes(plain)},
        escape,
        unicode_escape,
        {b_.range(0xC2, 0xDF), tail()},
        {b_.range(0xE0, 0xE0), b_.range(0xA0, 0xBF), tail()},
        {b_.range(0xE1, 0xEC), tail(), tail()},
        {b_.range(0xED, 0xED), b_.range(0x80, 0x9F), tail()},
        {b_.range(0xEE, 0xEF), tail(), tail()},
        {b_.range(0xF0, 0xF0), b_.range(0x90, 0xBF), tail(), tail()},
        {b_.range(0xF1, 0xF3), tail(), tail(), tail()},
        {b_.range(0xF4, 0xF4), b_.range(0x80, 0x8F), tail(), tail()},
    });
}

int32_t JsonGrammar::digits(int min, int max) {
    return repeat({b_.range('0', '9')}, min, max);
}

int32_t JsonGrammar::make_integer() {
    Sequence nonzero{b_.range('1', '9'), rule(digits(0, 15))};
    const int32_t magnitude = b_.rule_of({b_.literal("0"), nonzero});
    const int32_t sign = b_.rule_of({{}, b_.literal("-")});
    return b_.rule_of({{rule(sign), rule(magnitude)}});
}

int32_t JsonGrammar::make_number() {
    Sequence fraction = b_.literal(".");
    fraction.push_back(rule(digits(1, 15)));
    Sequence exponent{b_.bytes(ByteSet().set('e').set('E')),
                      rule(b_.rule_of({{}, b_.literal("+"), b_.literal("-")})), rule(digits(1, 2))};
    return b_.rule_of(
        {{rule(integer()), rule(b_.rule_of({{}, fraction})), rule(b_.rule_of({{}, exponent}))}});
}

int32_t JsonGrammar::make_boolean() {
    return b_.rule_of({b_.literal("true"), b_.literal("false")});
}

int32_t JsonGrammar::make_null() {
    return b_.rule_of({b_.literal("null")});
}

int32_t JsonGrammar::make_any_value() {
    // Reserved first: objects and arrays hold values, so the rule refers to itself.
    const int32_t value = b_.new_rule();
    any_value_ = value;
    for (int32_t kind : {any_object(), any_array(), string(), number(), boolean(), null()}) {
        b_.alternative(value, {rule(kind)});
    }
    return value;
}

int32_t JsonGrammar::make_any_object() {
    Sequence member{rule(string())};
    member += b_.literal(":");
    member.push_back(rule(space()));
    member.push_back(rule(any_value()));
    Sequence object = b_.literal("{");
    object.push_back(rule(list(b_.rule_of({member}), 0, std::nullopt)));
    object += b_.literal("}");
    return b_.rule_of({object});
}

int32_t JsonGrammar::make_any_array() {
    Sequence array = b_.literal("[");
    array.push_back(rule(list(any_value(), 0, std::nullopt)));
    array += b_.literal("]");
    return b_.rule_of({array});
}

int32_t JsonGrammar::list(int32_t item, int64_t min, std::optional<int64_t> max) {
    Sequence separated = b_.literal(",");
    separated.push_back(rule(space()));
    separated.push_back(rule(item));
    const int32_t rest =
        repeat(separated, min > 0 ? min - 1 : 0, max ? std::optional(*max - 1) : std::nullopt);
    Sequence some{rule(item), rule(rest)};
    if (min > 0) return b_.rule_of({some});
    if (max && *max == 0) return b_.rule_of({{}});
    return b_.rule_of({{}, some});
}

// min copies of item, then up to max - min more (right-recursive, so the stacks stay flat).
int32_t JsonGrammar::repeat(Sequence item, int64_t min, std::optional<int64_t> max) {
    int32_t tail;
    if (!max) {
        tail = b_.new_rule();
        Sequence again = item;
        again.push_back(rule(tail));
        b_.alternative(tail, {});
        b_.alternative(tail, again);
    } else {
        tail = b_.rule_of({{}});
        for (int64_t i = min; i < *max; ++i) {
            Sequence more = item;
            more.push_back(rule(tail));
            tail = b_.rule_of({{}, more});
        }
    }
    Sequence whole;
    for (int64_t i = 0; i < min; ++i) whole += item;
    whole.push_back(rule(tail));
    return b_.rule_of({whole});
}

}  // namespace assistd

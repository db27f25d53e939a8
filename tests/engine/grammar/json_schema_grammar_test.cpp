// JSON Schemas compiled to grammars: the grammar takes exactly the JSON texts that validate (in
// the compact layout it writes), and a schema it cannot honour is refused by name.
#include "engine/grammar/json_schema_grammar.h"

#include <gtest/gtest.h>

#include <memory>

#include "engine/grammar/grammar_matcher.h"

namespace assistd {
namespace {

using json = nlohmann::json;

std::shared_ptr<const Grammar> compile(const json& schema) {
    auto grammar = json_schema_grammar(schema, "schema");
    EXPECT_TRUE(grammar.ok()) << (grammar.ok() ? "" : grammar.error().message);
    return std::make_shared<const Grammar>(std::move(*grammar));
}

// Whether the whole text is a sentence of the grammar.
bool takes(const std::shared_ptr<const Grammar>& grammar, std::string_view text) {
    GrammarMatcher matcher(grammar);
    return matcher.accept(text) && matcher.complete();
}

std::string refusal(const json& schema) {
    auto grammar = json_schema_grammar(schema, "schema");
    return grammar.ok() ? "" : grammar.error().message;
}

TEST(JsonSchemaGrammar, ObjectWithRequiredAndOptionalProperties) {
    auto g = compile(json::parse(R"({"type": "object", "properties": {
        "name": {"type": "string"}, "age": {"type": "integer"}, "tags": {"type": "array",
        "items": {"type": "string"}, "maxItems": 2}}, "required": ["name"],
        "additionalProperties": false})"));
    EXPECT_TRUE(takes(g, R"({"name":"Ada"})"));
    EXPECT_TRUE(takes(g, R"({"age": 36, "name": "Ada"})"));
    EXPECT_TRUE(takes(g, R"({"name":"Ada","tags":["a", "b"]})"));
    EXPECT_TRUE(takes(g, R"({"age":-7,"name":"Ada","tags":[]})"));
    EXPECT_FALSE(takes(g, R"({"name":"Ada","age":36})"));              // not in the object's order
    EXPECT_FALSE(takes(g, R"({"age":36})"));                           // name is required
    EXPECT_FALSE(takes(g, R"({"name":"Ada","tags":["a","b","c"]})"));  // maxItems
    EXPECT_FALSE(takes(g, R"({"age":3.5,"name":"Ada"})"));             // not an integer
    EXPECT_FALSE(takes(g, R"({"name":"Ada","other":1})"));             // not listed
    EXPECT_FALSE(takes(g, R"({"name":"Ada")"));                        // unfinished
    EXPECT_FALSE(takes(g, R"({"name":"Ada"} )"));                      // nothing after the value
}

TEST(JsonSchemaGrammar, StringsAreWellFormedJsonAndUtf8) {
    auto g = compile(json::parse(R"({"type": "string", "minLength": 1, "maxLength": 3})"));
    EXPECT_TRUE(takes(g, R"("a")"));
    EXPECT_TRUE(takes(g, "\"\xC3\xA9\\n\\u00e9\""));  // é, an escape, \u escape: 3 characters
    EXPECT_FALSE(takes(g, R"("")"));                  // minLength
    EXPECT_FALSE(takes(g, R"("abcd")"));              // maxLength
    EXPECT_FALSE(takes(g, "\"\xC3\""));               // a cut UTF-8 character
    EXPECT_FALSE(takes(g, "\"\xC0\x80\""));           // overlong
    EXPECT_FALSE(takes(g, "\"\\ud800\""));            // a lone surrogate
    EXPECT_FALSE(takes(g, "\"a\nb\""));               // raw control character
    EXPECT_FALSE(takes(g, R"("\x")"));                // unknown escape
}

TEST(JsonSchemaGrammar, NumbersEnumsConstAndAnyOf) {
    auto number = compile(json::parse(R"({"type": "number"})"));
    for (const char* ok : {"0", "-0.5", "12e3", "1.25E-7"}) EXPECT_TRUE(takes(number, ok)) << ok;
    for (const char* bad : {"01", "1.", ".5", "+1", "1e"}) EXPECT_FALSE(takes(number, bad)) << bad;
    auto choice = compile(json::parse(R"({"enum": ["red", 2, null, {"a": [1]}]})"));
    EXPECT_TRUE(takes(choice, R"("red")"));
    EXPECT_TRUE(takes(choice, R"({"a":[1]})"));
    EXPECT_FALSE(takes(choice, R"("blue")"));
    auto either = compile(json::parse(R"({"anyOf": [{"type": "boolean"}, {"const": "x"}]})"));
    EXPECT_TRUE(takes(either, "false"));
    EXPECT_TRUE(takes(either, R"("x")"));
    EXPECT_FALSE(takes(either, "null"));
    auto nullable = compile(json::parse(R"({"type": ["string", "null"]})"));
    EXPECT_TRUE(takes(nullable, "null"));
    EXPECT_TRUE(takes(nullable, R"("s")"));
}

TEST(JsonSchemaGrammar, RecursiveReferences) {
    auto g = compile(json::parse(R"({"$ref": "#/$defs/node", "$defs": {"node": {
        "type": "object", "properties": {"children": {"type": "array",
        "items": {"$ref": "#/$defs/node"}}}, "required": ["children"],
        "additionalProperties": false}}})"));
    EXPECT_TRUE(takes(g, R"({"children":[]})"));
    EXPECT_TRUE(takes(g, R"({"children":[{"children":[]}, {"children":[{"children":[]}]}]})"));
    EXPECT_FALSE(takes(g, R"({"children":[{}]})"));
}

TEST(JsonSchemaGrammar, FreeObjectsTakeAnyJsonObject) {
    auto g = std::make_shared<const Grammar>(json_object_grammar());
    EXPECT_TRUE(takes(g, R"({})"));
    EXPECT_TRUE(takes(g, R"({"a": [1, {"b": null}], "c":"d"})"));
    EXPECT_FALSE(takes(g, R"([1])"));
    EXPECT_FALSE(takes(g, R"({"a"})"));
}

// A small schema with 2^25 parses of one value (each definition is anyOf the next one twice),
// which must neither hang nor exhaust memory: the matcher keeps a bounded number of them.
TEST(JsonSchemaGrammar, AmbiguityIsBounded) {
    json schema = {{"$ref", "#/$defs/d0"}, {"$defs", {{"d25", {{"type", "boolean"}}}}}};
    for (int i = 0; i < 25; ++i) {
        const json next = {{"$ref", "#/$defs/d" + std::to_string(i + 1)}};
        schema["$defs"]["d" + std::to_string(i)] = {{"anyOf", json::array({next, next})}};
    }
    auto g = compile(schema);
    EXPECT_TRUE(takes(g, "true"));
    EXPECT_FALSE(takes(g, "tru"));
    EXPECT_FALSE(takes(g, "1"));
}

TEST(JsonSchemaGrammar, RefusesWhatItCannotHonourByName) {
    EXPECT_EQ(refusal(json::parse(R"({"type": "string", "pattern": "^a"})")),
              "schema uses 'pattern', which is not supported");
    EXPECT_EQ(refusal(json::parse(R"({"properties": {"x": {"type": "number", "minimum": 1}}})")),
              "schema.properties.x uses 'minimum', which is not supported");
    EXPECT_EQ(refusal(json::parse(R"({"type": "object", "additionalProperties": {}})")),
              "schema.additionalProperties as a schema is not supported: only true or false is");
    EXPECT_EQ(refusal(json::parse(R"({"$ref": "https://example.com/s"})")),
              "schema.$ref 'https://example.com/s' is not supported: only \"#\", "
              "\"#/$defs/NAME\" and \"#/definitions/NAME\" are");
    EXPECT_EQ(refusal(json::parse(R"({"type": "array", "maxItems": 100000})")),
              "schema.maxItems must be an integer in 0..1024");
    EXPECT_EQ(refusal(json::parse(R"({"type": "object", "required": ["a"], "properties": {}})")),
              "schema.required names 'a', which properties does not define");
    EXPECT_EQ(refusal(json::parse(R"({"type": "decimal"})")),
              "schema.type 'decimal' is not a JSON Schema type");
    EXPECT_EQ(refusal(false), "schema is false: no value can satisfy it");
    json deep = json::object();
    for (int i = 0; i < 100; ++i) deep = json{{"type", "array"}, {"items", deep}};
    EXPECT_NE(refusal(deep).find("nests deeper than 64"), std::string::npos);
}

}  // namespace
}  // namespace assistd

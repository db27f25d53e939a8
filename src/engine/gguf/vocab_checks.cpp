#include "engine/gguf/vocab_checks.h"

#include <array>
#include <string>

#include "engine/gguf/byte_reader.h"
#include "engine/gguf/value_codec.h"

namespace assistd::gguf {
namespace {

constexpr std::string_view kTokens = "tokenizer.ggml.tokens";

// "seperator" is how GGUF spells it.
constexpr std::array<std::string_view, 7> kSpecialTokenIds = {
    "tokenizer.ggml.bos_token_id",       "tokenizer.ggml.eos_token_id",
    "tokenizer.ggml.unknown_token_id",   "tokenizer.ggml.padding_token_id",
    "tokenizer.ggml.seperator_token_id", "tokenizer.ggml.cls_token_id",
    "tokenizer.ggml.mask_token_id",
};

Error key_error(const KeyValue& entry, std::string_view subject, std::string_view problem) {
    return gguf_error("key " + quoted(entry.key), entry.offset, subject, problem);
}

bool is_string_array(const Value& value) {
    return value.type == ValueType::Array && value.element_type == ValueType::String;
}

// Checks that `key`, when present, is an array of `count` elements accepted by `element_ok`.
template <typename ElementOk>
Result<void> check_parallel_array(const GgufFile& file, std::string_view key, uint64_t count,
                                  std::string_view expected, ElementOk element_ok) {
    const KeyValue* entry = file.find_key_value(key);
    if (entry == nullptr) return {};
    const Value& value = entry->value;
    if (value.type != ValueType::Array || !element_ok(value.element_type)) {
        return key_error(*entry, describe_type(value), "must be an " + std::string(expected));
    }
    if (value.count != count) {
        return key_error(
            *entry, "array length " + std::to_string(value.count),
            "does not match the " + std::to_string(count) + " entries of " + std::string(kTokens));
    }
    return {};
}

// llama.cpp's converters write -1 (or its 32-bit pattern) for "this model has no such token".
bool is_no_token(const Value& value, int64_t id) {
    return id == -1 || (value.type == ValueType::UInt32 && value.bits == 0xFFFFFFFFu);
}

Result<void> check_token_id(const KeyValue& entry, uint64_t n_tokens) {
    const Value& value = entry.value;
    if (!is_integer(value.type)) {
        return key_error(entry, describe_type(value), "must be an integer token id");
    }
    const std::optional<int64_t> id = integer_value(value.type, value.bits);
    if (id && is_no_token(value, *id)) return {};
    if (!id || *id < 0 || static_cast<uint64_t>(*id) >= n_tokens) {
        const std::string shown = id ? std::to_string(*id) : std::to_string(value.bits);
        return key_error(
            entry, "token id " + shown,
            "is out of range: the vocabulary has " + std::to_string(n_tokens) + " tokens");
    }
    return {};
}

}  // namespace

Result<void> check_vocabulary(const GgufFile& file) {
    const KeyValue* tokens = file.find_key_value(kTokens);
    if (tokens == nullptr) return {};
    if (!is_string_array(tokens->value)) {
        return key_error(*tokens, describe_type(tokens->value), "must be an array of string");
    }
    const uint64_t n_tokens = tokens->value.count;
    Result<void> scores =
        check_parallel_array(file, "tokenizer.ggml.scores", n_tokens, "array of float32",
                             [](ValueType type) { return type == ValueType::Float32; });
    if (!scores) return scores;
    Result<void> types = check_parallel_array(file, "tokenizer.ggml.token_type", n_tokens,
                                              "array of integers", is_integer);
    if (!types) return types;
    if (const KeyValue* merges = file.find_key_value("tokenizer.ggml.merges");
        merges != nullptr && !is_string_array(merges->value)) {
        return key_error(*merges, describe_type(merges->value), "must be an array of string");
    }
    for (std::string_view key : kSpecialTokenIds) {
        const KeyValue* entry = file.find_key_value(key);
        if (entry == nullptr) continue;
        Result<void> id = check_token_id(*entry, n_tokens);
        if (!id) return id;
    }
    return {};
}

}  // namespace assistd::gguf

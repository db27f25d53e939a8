// Small GGUF files for tests and fuzz seeds, built with GgufWriter, and helpers to find and patch
// the bytes of a field so that a test can break exactly one thing.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "engine/gguf/gguf_file.h"
#include "engine/gguf/gguf_writer.h"

namespace assistd::gguf::testing {

using Bytes = std::vector<uint8_t>;

inline Bytes f32_bytes(size_t n_values) {
    return Bytes(n_values * 4, 0x3f);
}

// A valid model: a scalar of every type, a string, arrays, a 3-token vocabulary, and three tensors
// (F32 4x3, Q8_0 32x2, F32 8). The last tensor is exactly one alignment unit long, so the file
// ends with tensor data: any truncation of it is invalid.
inline GgufWriter small_model_writer() {
    GgufWriter w;
    w.add_string("general.architecture", "llama");
    w.add_string("general.name", "tiny");
    w.add_uint8("test.u8", 200);
    w.add_int8("test.i8", -5);
    w.add_uint16("test.u16", 60000);
    w.add_int16("test.i16", -30000);
    w.add_uint32("llama.block_count", 1);
    w.add_int32("test.i32", -7);
    w.add_float32("test.f32", 0.5f);
    w.add_bool("test.bool", true);
    w.add_uint64("test.u64", uint64_t{1} << 40);
    w.add_int64("test.i64", -(int64_t{1} << 40));
    w.add_float64("test.f64", 0.25);
    const std::vector<std::string> tokens = {"<unk>", "<s>", "</s>"};
    const std::vector<float> scores = {0.0f, -1.0f, -2.0f};
    const std::vector<int32_t> types = {2, 3, 3};
    w.add_string_array("tokenizer.ggml.tokens", tokens);
    w.add_array<float>("tokenizer.ggml.scores", scores);
    w.add_array<int32_t>("tokenizer.ggml.token_type", types);
    w.add_uint32("tokenizer.ggml.bos_token_id", 1);
    w.add_uint32("tokenizer.ggml.eos_token_id", 2);
    w.add_uint32("tokenizer.ggml.padding_token_id", 0xFFFFFFFF);
    const std::vector<int64_t> matrix = {4, 3};
    const std::vector<int64_t> quantized = {32, 2};
    const std::vector<int64_t> vector = {8};
    (void)w.add_tensor("token_embd.weight", DType::F32, matrix, f32_bytes(12));
    (void)w.add_tensor("blk.0.attn_q.weight", DType::Q8_0, quantized, Bytes(68, 0x11));
    (void)w.add_tensor("output_norm.weight", DType::F32, vector, f32_bytes(8));
    return w;
}

inline Bytes small_model() {
    return small_model_writer().to_bytes();
}

// A vocab-only file (no tensors) like llama.cpp's ggml-vocab-*.gguf.
inline Bytes small_vocab() {
    GgufWriter w;
    w.add_string("tokenizer.ggml.model", "gpt2");
    const std::vector<std::string> tokens = {"a", "b", "ab", "<|endoftext|>"};
    const std::vector<std::string> merges = {"a b"};
    w.add_string_array("tokenizer.ggml.tokens", tokens);
    w.add_string_array("tokenizer.ggml.merges", merges);
    w.add_uint32("tokenizer.ggml.eos_token_id", 3);
    return w.to_bytes();
}

inline Bytes read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void put_le(Bytes& bytes, size_t at, uint64_t value, size_t n_bytes) {
    for (size_t i = 0; i < n_bytes; ++i) bytes.at(at + i) = static_cast<uint8_t>(value >> (8 * i));
}

// Offset of the encoded GGUF string `text` (its uint64 length field), or npos.
inline size_t string_at(const Bytes& bytes, std::string_view text) {
    Bytes needle;
    append_string(needle, text);
    auto found = std::search(bytes.begin(), bytes.end(), needle.begin(), needle.end());
    return found == bytes.end() ? std::string::npos : static_cast<size_t>(found - bytes.begin());
}

// Offset just after the encoded string `text`: a key's value type, or a tensor's n_dims.
inline size_t after_string(const Bytes& bytes, std::string_view text) {
    const size_t at = string_at(bytes, text);
    return at == std::string::npos ? at : at + 8 + text.size();
}

// Offsets of the fields of the tensor info named `name` with `n_dims` dims.
struct TensorFields {
    size_t n_dims, dims, type, offset;
};
inline TensorFields tensor_fields(const Bytes& bytes, std::string_view name, size_t n_dims) {
    const size_t at = after_string(bytes, name);
    return {at, at + 4, at + 4 + 8 * n_dims, at + 8 + 8 * n_dims};
}

// Seeds for fuzzing: the small files above, a v2 variant, and each model cut after its tensor
// infos (with and without its tensor count), which keeps all of its metadata and is small.
inline std::vector<Bytes> seed_files(const std::vector<std::filesystem::path>& models) {
    std::vector<Bytes> seeds = {small_model(), small_vocab()};
    Bytes v2 = small_model();
    put_le(v2, 4, 2, 4);
    seeds.push_back(v2);
    for (const std::filesystem::path& path : models) {
        Result<GgufFile> file = GgufFile::open(path);
        if (!file) continue;
        const auto head = file->bytes().first(static_cast<size_t>(file->data_offset()));
        seeds.emplace_back(head.begin(), head.end());
        Bytes vocab_only(head.begin(), head.end());
        put_le(vocab_only, 8, 0, 8);
        seeds.push_back(vocab_only);
    }
    return seeds;
}

}  // namespace assistd::gguf::testing

// One test per class of bad input: each builds a valid file with GgufWriter, breaks one thing,
// and checks that parsing fails with an error that names the problem (and where it is).
#include <gtest/gtest.h>

#include <limits>

#include "engine/gguf/gguf_file.h"
#include "engine/gguf/gguf_test_files.h"
#include "engine/gguf/gguf_writer.h"

namespace assistd::gguf {
namespace {

using testing::Bytes;
using testing::put_le;

// The error of parsing `bytes`, or "parsed" when they parse.
std::string parse_error(const Bytes& bytes) {
    Result<GgufFile> file = GgufFile::parse(bytes);
    return file ? "parsed" : file.error().message;
}

#define EXPECT_ERROR(bytes, text) EXPECT_THAT_ERROR(parse_error(bytes), text)
#define EXPECT_THAT_ERROR(message, text) \
    EXPECT_NE((message).find(text), std::string::npos) << "error: " << (message)

Bytes with_tensors(const std::vector<std::pair<std::string, std::vector<int64_t>>>& tensors) {
    GgufWriter w;
    for (const auto& [name, ne] : tensors) {
        int64_t n = 1;
        for (int64_t d : ne) n *= d;
        EXPECT_TRUE(w.add_tensor(name, DType::F32, ne, testing::f32_bytes(n)).ok());
    }
    return w.to_bytes();
}

TEST(GgufBadInput, BadMagic) {
    Bytes bytes = testing::small_model();
    bytes[3] = 'X';
    EXPECT_EQ(parse_error(bytes), "gguf: magic 'GGUX' at byte 0 is not 'GGUF': not a GGUF file");
}

TEST(GgufBadInput, UnsupportedVersions) {
    Bytes bytes = testing::small_model();
    put_le(bytes, 4, 1, 4);
    EXPECT_ERROR(bytes, "version 1 at byte 4 is not supported: GGUF v1");
    put_le(bytes, 4, 4, 4);
    EXPECT_ERROR(bytes, "version 4 at byte 4 is not supported (versions 2 and 3 are read)");
    put_le(bytes, 4, 2, 4);
    EXPECT_EQ(parse_error(bytes), "parsed");
}

TEST(GgufBadInput, BigEndianFileIsRecognized) {
    Bytes bytes = testing::small_model();
    put_le(bytes, 4, 0x03000000, 4);
    EXPECT_ERROR(bytes, "is version 3 byte-swapped: big-endian GGUF files are not supported");
}

TEST(GgufBadInput, HeaderCountsBeyondTheFile) {
    Bytes bytes = testing::small_model();
    put_le(bytes, 8, 1000000, 8);
    EXPECT_ERROR(bytes, "gguf: tensor count 1000000 at byte 8 runs past end of file");
    bytes = testing::small_model();
    put_le(bytes, 16, std::numeric_limits<uint64_t>::max(), 8);
    EXPECT_ERROR(bytes, "key/value count 18446744073709551615 at byte 16 runs past end of file");
}

TEST(GgufBadInput, StringLengthBeyondEndOfFile) {
    Bytes bytes = testing::small_model();
    const size_t length_at = testing::after_string(bytes, "general.name") + 4;
    put_le(bytes, length_at, 0xFFFFFFFF, 8);
    EXPECT_EQ(parse_error(bytes), "gguf: key 'general.name': string length 4294967295 at byte " +
                                      std::to_string(length_at) + " runs past end of file (size " +
                                      std::to_string(bytes.size()) + ")");
    bytes = testing::small_model();
    put_le(bytes, 24, uint64_t{1} << 62, 8);  // the first key's length
    EXPECT_ERROR(bytes, "gguf: key/value #0: key length 4611686018427387904 at byte 24 runs past");
}

TEST(GgufBadInput, ArrayLengthBeyondEndOfFile) {
    Bytes bytes = testing::small_model();
    const size_t count_at = testing::after_string(bytes, "tokenizer.ggml.scores") + 4 + 4;
    put_le(bytes, count_at, uint64_t{1} << 40, 8);
    EXPECT_ERROR(bytes, "key 'tokenizer.ggml.scores': array length 1099511627776 at byte " +
                            std::to_string(count_at) + " runs past end of file");
}

TEST(GgufBadInput, UnknownValueTypesAndArraysOfArrays) {
    Bytes bytes = testing::small_model();
    put_le(bytes, testing::after_string(bytes, "test.u8"), 13, 4);
    EXPECT_ERROR(bytes, "key 'test.u8': value type 13 at byte");
    EXPECT_ERROR(bytes, "is not a GGUF value type (0..12)");

    GgufWriter w;
    Bytes nested;
    append_le(nested, static_cast<uint32_t>(ValueType::Array), 4);
    append_le(nested, 1, 8);
    append_le(nested, static_cast<uint32_t>(ValueType::UInt8), 4);
    append_le(nested, 1, 8);
    nested.push_back(7);
    w.add_raw("test.nested", ValueType::Array, nested);
    EXPECT_ERROR(w.to_bytes(), "key 'test.nested': array element type array at byte");
    EXPECT_ERROR(w.to_bytes(), "is not supported (arrays of arrays)");
}

TEST(GgufBadInput, BoolThatIsNeitherZeroNorOne) {
    Bytes bytes = testing::small_model();
    bytes[testing::after_string(bytes, "test.bool") + 4] = 2;
    EXPECT_ERROR(bytes, "key 'test.bool': bool value 2 at byte");
}

TEST(GgufBadInput, GettersRejectOtherTypes) {
    const Bytes bytes = testing::small_model();
    Result<GgufFile> file = GgufFile::parse(bytes);
    ASSERT_TRUE(file.ok()) << file.error().message;
    EXPECT_EQ(file->get_string_array("tokenizer.ggml.token_type").error().message,
              "gguf: key 'tokenizer.ggml.token_type' is array of int32, expected array of string");
    EXPECT_EQ(file->get_f32_array("tokenizer.ggml.tokens").error().message,
              "gguf: key 'tokenizer.ggml.tokens' is array of string, expected array of float32");
    EXPECT_EQ(file->get_i32_array("tokenizer.ggml.scores").error().message,
              "gguf: key 'tokenizer.ggml.scores' is array of float32, expected array of integers");
    EXPECT_EQ(file->get_int("test.f32").error().message,
              "gguf: key 'test.f32' is float32, expected an integer");
    EXPECT_EQ(file->get_string("test.u8").error().message,
              "gguf: key 'test.u8' is uint8, expected string");
    EXPECT_EQ(file->get_bool("nope").error().message, "gguf: key 'nope' is missing");
    EXPECT_EQ(file->get_float("test.bool").error().message,
              "gguf: key 'test.bool' is bool, expected float32 or float64");

    GgufWriter w;
    w.add_uint64("big", std::numeric_limits<uint64_t>::max());
    const Bytes big = w.to_bytes();
    Result<GgufFile> big_file = GgufFile::parse(big);
    ASSERT_TRUE(big_file.ok());
    EXPECT_EQ(big_file->get_int("big").error().message,
              "gguf: key 'big' value 18446744073709551615 does not fit int64");
}

TEST(GgufBadInput, TokensThatAreNotStrings) {
    GgufWriter w;
    const std::vector<int32_t> ids = {1, 2, 3};
    w.add_array<int32_t>("tokenizer.ggml.tokens", ids);
    EXPECT_ERROR(w.to_bytes(),
                 "key 'tokenizer.ggml.tokens': array of int32 at byte 24 must be an array of "
                 "string");
}

TEST(GgufBadInput, UnknownTensorType) {
    Bytes bytes = testing::small_model();
    const auto fields = testing::tensor_fields(bytes, "blk.0.attn_q.weight", 2);
    put_le(bytes, fields.type, 99, 4);
    EXPECT_ERROR(bytes, "gguf: tensor 'blk.0.attn_q.weight': type id 99 at byte " +
                            std::to_string(fields.type) + " is not a known GGML tensor type");
}

TEST(GgufBadInput, RowLengthNotAMultipleOfTheBlockSize) {
    Bytes bytes = testing::small_model();
    const auto fields = testing::tensor_fields(bytes, "blk.0.attn_q.weight", 2);
    put_le(bytes, fields.dims, 16, 8);
    EXPECT_ERROR(bytes, "row length ne[0] = 16 at byte " + std::to_string(fields.type) +
                            " is not a multiple of the q8_0 block size 32");
}

TEST(GgufBadInput, BadDimensions) {
    Bytes bytes = testing::small_model();
    const auto fields = testing::tensor_fields(bytes, "token_embd.weight", 2);
    put_le(bytes, fields.dims + 8, 0, 8);
    EXPECT_ERROR(bytes, "tensor 'token_embd.weight': dimension 1 (0) at byte " +
                            std::to_string(fields.dims + 8) + " is zero");

    bytes = testing::small_model();
    put_le(bytes, fields.dims, uint64_t{1} << 63, 8);
    EXPECT_ERROR(bytes, "dimension 0 (9223372036854775808) at byte " + std::to_string(fields.dims) +
                            " exceeds INT64_MAX");

    bytes = testing::small_model();
    put_le(bytes, fields.dims, uint64_t{1} << 40, 8);
    put_le(bytes, fields.dims + 8, uint64_t{1} << 40, 8);
    EXPECT_ERROR(bytes, "dimension 1 (1099511627776) at byte " + std::to_string(fields.dims + 8) +
                            " makes the element count overflow int64");

    bytes = testing::small_model();
    put_le(bytes, fields.n_dims, 5, 4);
    EXPECT_ERROR(bytes,
                 "dimension count 5 at byte " + std::to_string(fields.n_dims) + " is not in 1..4");
}

TEST(GgufBadInput, BadAlignment) {
    auto with_alignment = [](auto add) {
        GgufWriter w = testing::small_model_writer();
        add(w);
        return w.to_bytes();
    };
    EXPECT_ERROR(with_alignment([](GgufWriter& w) { w.add_uint32("general.alignment", 0); }),
                 "key 'general.alignment': alignment 0 at byte 708");
    EXPECT_ERROR(with_alignment([](GgufWriter& w) { w.add_uint32("general.alignment", 0); }),
                 " is zero");
    EXPECT_ERROR(with_alignment([](GgufWriter& w) { w.add_uint32("general.alignment", 48); }),
                 "alignment 48 at byte");
    EXPECT_ERROR(with_alignment([](GgufWriter& w) { w.add_uint32("general.alignment", 48); }),
                 "is not a power of two");
    EXPECT_ERROR(with_alignment([](GgufWriter& w) { w.add_uint32("general.alignment", 1 << 21); }),
                 "alignment 2097152 at byte");
    EXPECT_ERROR(with_alignment([](GgufWriter& w) { w.add_uint64("general.alignment", ~0ull); }),
                 "exceeds the maximum of 1048576 bytes");
    EXPECT_ERROR(with_alignment([](GgufWriter& w) { w.add_int32("general.alignment", -32); }),
                 "alignment -32 at byte");
    EXPECT_ERROR(with_alignment([](GgufWriter& w) { w.add_string("general.alignment", "32"); }),
                 "key 'general.alignment': string at byte");
}

TEST(GgufBadInput, TensorDataOutsideTheFile) {
    Bytes bytes = testing::small_model();
    const auto fields = testing::tensor_fields(bytes, "output_norm.weight", 1);
    put_le(bytes, fields.offset, uint64_t{1} << 62, 8);
    EXPECT_ERROR(bytes,
                 "tensor 'output_norm.weight': data offset 4611686018427387904 (32 bytes) "
                 "at byte " +
                     std::to_string(fields.offset) + " runs past end of file (size " +
                     std::to_string(bytes.size()) + "; tensor data starts at byte");
    bytes = testing::small_model();
    bytes.resize(bytes.size() - 32);  // the last tensor's data is gone
    EXPECT_ERROR(bytes, "tensor 'output_norm.weight': data offset 160 (32 bytes)");
}

TEST(GgufBadInput, OverlappingTensors) {
    Bytes bytes = with_tensors({{"a", {16}}, {"b", {16}}});
    put_le(bytes, testing::tensor_fields(bytes, "b", 1).offset, 32, 8);  // inside a's 64 bytes
    EXPECT_ERROR(bytes, "tensor 'b': data offset 32 at byte");
    EXPECT_ERROR(bytes, "overlaps the data of tensor 'a' (offsets 0..64)");
}

TEST(GgufBadInput, MisalignedTensorOffset) {
    Bytes bytes = with_tensors({{"a", {16}}, {"b", {16}}});
    const auto fields = testing::tensor_fields(bytes, "b", 1);
    put_le(bytes, fields.offset, 65, 8);
    EXPECT_ERROR(bytes, "tensor 'b': data offset 65 at byte " + std::to_string(fields.offset) +
                            " is not a multiple of the alignment 32");
}

TEST(GgufBadInput, DuplicateKeys) {
    GgufWriter w;
    w.add_uint32("dup.a", 1);
    w.add_uint32("dup.b", 2);
    Bytes bytes = w.to_bytes();
    bytes[testing::after_string(bytes, "dup.b") - 1] = 'a';
    EXPECT_ERROR(bytes, "gguf: key 'dup.a': key at byte 45 is a duplicate of the key at byte 24");
}

TEST(GgufBadInput, DuplicateTensorNames) {
    Bytes bytes = with_tensors({{"t.a", {8}}, {"t.b", {8}}});
    const size_t second = testing::string_at(bytes, "t.b");
    bytes[second + 8 + 2] = 'a';
    EXPECT_ERROR(bytes, "tensor 't.a': tensor name at byte " + std::to_string(second) +
                            " is a duplicate of the tensor at byte 24");
}

TEST(GgufBadInput, VocabularyArraysOfDifferentLengths) {
    GgufWriter w = testing::small_model_writer();
    const std::vector<float> two_scores = {0.0f, 1.0f};
    w.add_array<float>("tokenizer.ggml.scores", two_scores);
    EXPECT_ERROR(w.to_bytes(), "key 'tokenizer.ggml.scores': array length 2 at byte");
    EXPECT_ERROR(w.to_bytes(), "does not match the 3 entries of tokenizer.ggml.tokens");

    w = testing::small_model_writer();
    const std::vector<int32_t> four_types = {1, 1, 1, 1};
    w.add_array<int32_t>("tokenizer.ggml.token_type", four_types);
    EXPECT_ERROR(w.to_bytes(), "key 'tokenizer.ggml.token_type': array length 4 at byte");

    w = testing::small_model_writer();
    const std::vector<int32_t> int_scores = {1, 1, 1};
    w.add_array<int32_t>("tokenizer.ggml.scores", int_scores);
    EXPECT_ERROR(w.to_bytes(), "array of int32 at byte");
    EXPECT_ERROR(w.to_bytes(), "must be an array of float32");
}

TEST(GgufBadInput, SpecialTokenIdsOutOfRange) {
    GgufWriter w = testing::small_model_writer();
    w.add_uint32("tokenizer.ggml.bos_token_id", 3);
    EXPECT_ERROR(w.to_bytes(), "key 'tokenizer.ggml.bos_token_id': token id 3 at byte");
    EXPECT_ERROR(w.to_bytes(), "is out of range: the vocabulary has 3 tokens");

    w = testing::small_model_writer();
    w.add_int32("tokenizer.ggml.eos_token_id", -2);
    EXPECT_ERROR(w.to_bytes(), "key 'tokenizer.ggml.eos_token_id': token id -2 at byte");

    w = testing::small_model_writer();
    w.add_uint32("tokenizer.ggml.seperator_token_id", 100);
    EXPECT_ERROR(w.to_bytes(), "key 'tokenizer.ggml.seperator_token_id': token id 100");

    w = testing::small_model_writer();
    w.add_int32("tokenizer.ggml.unknown_token_id", -1);  // "no such token"
    EXPECT_EQ(parse_error(w.to_bytes()), "parsed");
}

TEST(GgufBadInput, EveryTruncationIsAnError) {
    const Bytes whole = testing::small_model();
    ASSERT_EQ(parse_error(whole), "parsed");
    for (size_t size = 0; size < whole.size(); ++size) {
        const Bytes cut(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(size));
        const std::string error = parse_error(cut);
        ASSERT_EQ(error.rfind("gguf: ", 0), 0u) << "size " << size << ": " << error;
        ASSERT_NE(error.find("past end of file"), std::string::npos)
            << "size " << size << ": " << error;
    }
}

}  // namespace
}  // namespace assistd::gguf

// GgufWriter -> GgufFile round trips: every value type, tensors, alignment, files on disk.
#include <gtest/gtest.h>

#include <unistd.h>

#include "engine/gguf/gguf_file.h"
#include "engine/gguf/gguf_invariants.h"
#include "engine/gguf/gguf_test_files.h"
#include "engine/gguf/gguf_writer.h"

namespace assistd::gguf {
namespace {

using testing::Bytes;

TEST(GgufWriter, EveryValueTypeRoundTrips) {
    const Bytes bytes = testing::small_model();
    Result<GgufFile> file = GgufFile::parse(bytes);
    ASSERT_TRUE(file.ok()) << file.error().message;
    EXPECT_TRUE(check_invariants(*file).ok());
    EXPECT_EQ(file->version(), 3u);
    EXPECT_EQ(*file->get_string("general.name"), "tiny");
    EXPECT_EQ(*file->get_int("test.u8"), 200);
    EXPECT_EQ(*file->get_int("test.i8"), -5);
    EXPECT_EQ(*file->get_int("test.u16"), 60000);
    EXPECT_EQ(*file->get_int("test.i16"), -30000);
    EXPECT_EQ(*file->get_int("llama.block_count"), 1);
    EXPECT_EQ(*file->get_int("test.i32"), -7);
    EXPECT_EQ(*file->get_float("test.f32"), 0.5);
    EXPECT_TRUE(*file->get_bool("test.bool"));
    EXPECT_EQ(*file->get_int("test.u64"), int64_t{1} << 40);
    EXPECT_EQ(*file->get_int("test.i64"), -(int64_t{1} << 40));
    EXPECT_EQ(*file->get_float("test.f64"), 0.25);
    EXPECT_EQ(file->find("test.u16")->type, ValueType::UInt16);
    EXPECT_EQ((*file->get_string_array("tokenizer.ggml.tokens"))[2], "</s>");
    EXPECT_EQ(*file->get_f32_array("tokenizer.ggml.scores"), (std::vector<float>{0, -1, -2}));
    EXPECT_EQ(*file->get_i32_array("tokenizer.ggml.token_type"), (std::vector<int32_t>{2, 3, 3}));
}

TEST(GgufWriter, TensorsRoundTripAligned) {
    const Bytes bytes = testing::small_model();
    Result<GgufFile> file = GgufFile::parse(bytes);
    ASSERT_TRUE(file.ok()) << file.error().message;
    ASSERT_EQ(file->tensors().size(), 3u);
    const TensorInfo* q = file->find_tensor("blk.0.attn_q.weight");
    ASSERT_NE(q, nullptr);
    EXPECT_EQ(q->type, DType::Q8_0);
    EXPECT_EQ(q->ne, (std::array<int64_t, 4>{32, 2, 1, 1}));
    EXPECT_EQ(q->n_elements, 64);
    EXPECT_EQ(q->n_bytes, 68u);
    EXPECT_EQ(q->offset, 64u);  // after 48 bytes of token_embd, padded to 32
    EXPECT_EQ(q->data[0], 0x11);
    EXPECT_EQ(file->data_offset() % 32, 0u);
    const TensorInfo* norm = file->find_tensor("output_norm.weight");
    EXPECT_EQ(norm->data + norm->n_bytes, bytes.data() + bytes.size());
}

TEST(GgufWriter, ArraysOfEveryScalarTypeRoundTrip) {
    GgufWriter w;
    const std::vector<uint8_t> u8 = {1, 255};
    const std::vector<int16_t> i16 = {-1, 7};
    const std::vector<uint32_t> u32 = {0, 0xFFFFFFFF};
    const std::vector<double> f64 = {1.5};
    const std::vector<bool> flags = {true, false};  // not contiguous: copied into an array
    const bool flag_array[] = {true, false};
    w.add_array<uint8_t>("a.u8", u8);
    w.add_array<int16_t>("a.i16", i16);
    w.add_array<uint32_t>("a.u32", u32);
    w.add_array<double>("a.f64", f64);
    w.add_array<bool>("a.bool", flag_array);
    const Bytes bytes = w.to_bytes();
    Result<GgufFile> file = GgufFile::parse(bytes);
    ASSERT_TRUE(file.ok()) << file.error().message;
    EXPECT_EQ(*file->get_i32_array("a.u8"), (std::vector<int32_t>{1, 255}));
    EXPECT_EQ(*file->get_i32_array("a.i16"), (std::vector<int32_t>{-1, 7}));
    Result<std::vector<int32_t>> too_big = file->get_i32_array("a.u32");
    ASSERT_FALSE(too_big.ok());
    EXPECT_EQ(too_big.error().message,
              "gguf: key 'a.u32' element 1 (4294967295) does not fit int32");
    EXPECT_EQ(file->find("a.f64")->element_type, ValueType::Float64);
    EXPECT_EQ(file->find("a.bool")->count, flags.size());
    EXPECT_TRUE(check_invariants(*file).ok());
}

TEST(GgufWriter, AddingAKeyAgainReplacesItInPlace) {
    GgufWriter w;
    w.add_string("general.name", "first");
    w.add_uint32("general.file_type", 0);
    w.add_string("general.name", "second");
    const Bytes bytes = w.to_bytes();
    Result<GgufFile> file = GgufFile::parse(bytes);
    ASSERT_TRUE(file.ok()) << file.error().message;
    ASSERT_EQ(file->metadata().size(), 2u);
    EXPECT_EQ(file->metadata()[0].key, "general.name");
    EXPECT_EQ(*file->get_string("general.name"), "second");
}

TEST(GgufWriter, CustomAlignmentIsWrittenAndUsed) {
    GgufWriter w;
    w.set_alignment(64);
    const std::vector<int64_t> ne = {3};
    ASSERT_TRUE(w.add_tensor("a", DType::F32, ne, testing::f32_bytes(3)).ok());
    ASSERT_TRUE(w.add_tensor("b", DType::F32, ne, testing::f32_bytes(3)).ok());
    const Bytes bytes = w.to_bytes();
    Result<GgufFile> file = GgufFile::parse(bytes);
    ASSERT_TRUE(file.ok()) << file.error().message;
    EXPECT_EQ(file->alignment(), 64u);
    EXPECT_EQ(file->data_offset() % 64, 0u);
    EXPECT_EQ(file->find_tensor("b")->offset, 64u);
}

TEST(GgufWriter, RejectsTensorsItCannotWrite) {
    GgufWriter w;
    const std::vector<int64_t> row = {16};
    const std::vector<int64_t> zero = {0};
    EXPECT_NE(w.add_tensor("q", DType::Q8_0, row, Bytes(17))
                  .error()
                  .message.find("not a multiple of the block size 32"),
              std::string::npos);
    EXPECT_NE(w.add_tensor("z", DType::F32, zero, Bytes()).error().message.find("not positive"),
              std::string::npos);
    EXPECT_NE(w.add_tensor("f", DType::F32, row, Bytes(3))
                  .error()
                  .message.find("has 3 bytes of data, its shape needs 64"),
              std::string::npos);
    ASSERT_TRUE(w.add_tensor("f", DType::F32, row, testing::f32_bytes(16)).ok());
    EXPECT_NE(w.add_tensor("f", DType::F32, row, testing::f32_bytes(16))
                  .error()
                  .message.find("added twice"),
              std::string::npos);
}

TEST(GgufWriter, WritesAFileThatOpens) {
    const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                       ("gguf_writer_test_" + std::to_string(::getpid()) + ".gguf");
    ASSERT_TRUE(testing::small_model_writer().write_file(path).ok());
    EXPECT_FALSE(std::filesystem::exists(path.string() + ".tmp"));
    {
        Result<GgufFile> file = GgufFile::open(path);
        ASSERT_TRUE(file.ok()) << file.error().message;
        EXPECT_EQ(file->tensors().size(), 3u);
        EXPECT_EQ(std::vector<uint8_t>(file->bytes().begin(), file->bytes().end()),
                  testing::small_model());
    }
    std::filesystem::remove(path);
}

TEST(GgufWriter, OpenPrefixesErrorsWithThePath) {
    const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                       ("gguf_writer_bad_" + std::to_string(::getpid()) + ".gguf");
    Bytes bytes = testing::small_model();
    bytes.resize(10);
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), 10);
    Result<GgufFile> file = GgufFile::open(path);
    std::filesystem::remove(path);
    ASSERT_FALSE(file.ok());
    EXPECT_EQ(file.error().message, "gguf: " + path.string() +
                                        ": tensor count at byte 8 runs past end of file (size 10)");
}

}  // namespace
}  // namespace assistd::gguf

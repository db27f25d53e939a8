// The block layout checked against blocks llama.cpp wrote: every Q8_0 block of a real model must
// decode and re-encode to the same bytes. A misplaced scale or quant would scramble them.
//
// The test walks the GGUF header itself (magic, counts, metadata, tensor infos) rather than use
// the engine's reader, so the layout check does not lean on the code it feeds.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "engine/tensor/quant.h"
#include "support/shared_data.h"

namespace assistd {
namespace {

// Reads little-endian GGUF fields in order; a read past the end fails the test.
class Cursor {
  public:
    explicit Cursor(const std::vector<uint8_t>& bytes) : bytes_(bytes) {}

    template <typename T>
    T read() {
        T value{};
        EXPECT_LE(at_ + sizeof(T), bytes_.size());
        if (at_ + sizeof(T) <= bytes_.size()) std::memcpy(&value, bytes_.data() + at_, sizeof(T));
        at_ += sizeof(T);
        return value;
    }
    std::string read_string() {
        const auto length = read<uint64_t>();
        std::string s(reinterpret_cast<const char*>(bytes_.data() + at_), length);
        at_ += length;
        return s;
    }
    // Skips one metadata value of GGUF type `type`.
    void skip_value(uint32_t type) {
        constexpr size_t kScalarSizes[] = {1, 1, 2, 2, 4, 4, 4, 1, 0, 0, 8, 8, 8};
        if (type == 8) {
            read_string();
        } else if (type == 9) {
            const auto item_type = read<uint32_t>();
            const auto count = read<uint64_t>();
            for (uint64_t i = 0; i < count; ++i) skip_value(item_type);
        } else {
            at_ += kScalarSizes[type];
        }
    }
    size_t offset() const { return at_; }

  private:
    const std::vector<uint8_t>& bytes_;
    size_t at_ = 0;
};

struct TensorInfo {
    std::string name;
    int64_t values = 1;
    uint32_t type = 0;
    uint64_t offset = 0;
};

TEST(ModelBlocks, EveryQ8_0BlockOfARealModelReencodesToItsOwnBytes) {
    std::ifstream file(testing::shared_path("models/llm/TinyStories-656K-Q8_0.gguf"),
                       std::ios::binary);
    const std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(file), {}};
    ASSERT_GT(bytes.size(), 24u);
    Cursor cursor(bytes);
    ASSERT_EQ(cursor.read<uint32_t>(), 0x46554747u);  // "GGUF"
    ASSERT_EQ(cursor.read<uint32_t>(), 3u);
    const auto n_tensors = cursor.read<uint64_t>();
    const auto n_metadata = cursor.read<uint64_t>();
    uint64_t alignment = 32;
    for (uint64_t i = 0; i < n_metadata; ++i) {
        const std::string key = cursor.read_string();
        const auto type = cursor.read<uint32_t>();
        if (key == "general.alignment") {
            alignment = cursor.read<uint32_t>();
        } else {
            cursor.skip_value(type);
        }
    }
    std::vector<TensorInfo> tensors(n_tensors);
    for (TensorInfo& t : tensors) {
        t.name = cursor.read_string();
        const auto n_dims = cursor.read<uint32_t>();
        for (uint32_t d = 0; d < n_dims; ++d)
            t.values *= static_cast<int64_t>(cursor.read<uint64_t>());
        t.type = cursor.read<uint32_t>();
        t.offset = cursor.read<uint64_t>();
    }
    const size_t data_start = (cursor.offset() + alignment - 1) / alignment * alignment;

    int checked = 0;
    for (const TensorInfo& t : tensors) {
        if (t.type != static_cast<uint32_t>(DType::Q8_0)) continue;
        const size_t size = row_bytes(DType::Q8_0, t.values);
        ASSERT_LE(data_start + t.offset + size, bytes.size()) << t.name;
        const uint8_t* stored = bytes.data() + data_start + t.offset;
        std::vector<float> values(static_cast<size_t>(t.values));
        std::vector<uint8_t> again(size);
        dequantize_row(DType::Q8_0, stored, values.data(), t.values);
        quantize_row(DType::Q8_0, values.data(), again.data(), t.values);
        EXPECT_EQ(again, std::vector<uint8_t>(stored, stored + size)) << t.name;
        ++checked;
    }
    EXPECT_GT(checked, 0);
}

}  // namespace
}  // namespace assistd

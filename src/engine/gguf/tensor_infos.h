// Reads the tensor infos of a GGUF file and places each tensor's data inside the file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "engine/gguf/byte_reader.h"
#include "engine/gguf/gguf_file.h"

namespace assistd::gguf {

// The smallest tensor info on disk: name length, an empty name, n_dims, one dim, type, offset.
inline constexpr size_t kMinTensorInfoBytes = 8 + 4 + 8 + 4 + 8;
inline constexpr int kMaxDims = 4;

// Where a tensor info was read, for errors found after reading.
struct TensorInfoOffsets {
    size_t info = 0;         // the tensor's name
    size_t data_offset = 0;  // its data offset field
};

// Reads `n_tensors` tensor infos at the reader's offset, checking names, dims, types and sizes.
// `data` is left null: place_tensor_data sets it.
Result<void> read_tensor_infos(ByteReader& reader, uint64_t n_tensors,
                               std::vector<TensorInfo>& tensors,
                               std::unordered_map<std::string_view, size_t>& index,
                               std::vector<TensorInfoOffsets>& offsets);

// Indices of `tensors` in the order of their data offsets.
std::vector<size_t> order_by_offset(const std::vector<TensorInfo>& tensors);

// Points each tensor at its data, `data_offset` + its offset into `bytes`, after checking that
// the offset is aligned, the data lies inside the file, and no two tensors' data overlap.
Result<void> place_tensor_data(std::span<const uint8_t> bytes, uint64_t data_offset,
                               uint64_t alignment, std::vector<TensorInfo>& tensors,
                               const std::vector<TensorInfoOffsets>& offsets);

}  // namespace assistd::gguf

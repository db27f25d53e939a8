#include "engine/gguf/tensor_infos.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <string>

namespace assistd::gguf {
namespace {

struct Shape {
    int n_dims = 0;
    std::array<int64_t, 4> ne{1, 1, 1, 1};
    int64_t n_elements = 1;
};

Result<Shape> read_shape(ByteReader& reader) {
    const size_t at = reader.offset();
    Result<uint32_t> n_dims = reader.read_u32("dimension count");
    if (!n_dims) return n_dims.error();
    if (*n_dims == 0 || *n_dims > kMaxDims) {
        return reader.error(at, "dimension count " + std::to_string(*n_dims), "is not in 1..4");
    }
    Shape shape{.n_dims = static_cast<int>(*n_dims)};
    for (int d = 0; d < shape.n_dims; ++d) {
        const size_t dim_at = reader.offset();
        Result<uint64_t> dim = reader.read_u64("dimension " + std::to_string(d));
        if (!dim) return dim.error();
        const std::string subject =
            "dimension " + std::to_string(d) + " (" + std::to_string(*dim) + ")";
        if (*dim == 0) return reader.error(dim_at, subject, "is zero");
        if (*dim > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
            return reader.error(dim_at, subject, "exceeds INT64_MAX");
        }
        shape.ne[d] = static_cast<int64_t>(*dim);
        if (__builtin_mul_overflow(shape.n_elements, shape.ne[d], &shape.n_elements)) {
            return reader.error(dim_at, subject, "makes the element count overflow int64");
        }
    }
    return shape;
}

// Reads the type id after the dims and sets type and n_bytes of `tensor`.
Result<void> read_type(ByteReader& reader, TensorInfo& tensor) {
    const size_t at = reader.offset();
    Result<uint32_t> raw = reader.read_u32("type id");
    if (!raw) return raw.error();
    const std::optional<DTypeTraits> traits = dtype_traits(*raw);
    if (!traits) {
        return reader.error(at, "type id " + std::to_string(*raw),
                            "is not a known GGML tensor type");
    }
    tensor.type = traits->type;
    if (tensor.ne[0] % traits->block_size != 0) {
        return reader.error(at, "row length ne[0] = " + std::to_string(tensor.ne[0]),
                            "is not a multiple of the " + std::string(traits->name) +
                                " block size " + std::to_string(traits->block_size));
    }
    const auto blocks_per_row = static_cast<uint64_t>(tensor.ne[0] / traits->block_size);
    const auto n_rows = static_cast<uint64_t>(tensor.n_elements / tensor.ne[0]);
    uint64_t bytes_per_row = 0;
    uint64_t n_bytes = 0;
    if (__builtin_mul_overflow(blocks_per_row, traits->type_size, &bytes_per_row) ||
        __builtin_mul_overflow(bytes_per_row, n_rows, &n_bytes) ||
        n_bytes > std::numeric_limits<size_t>::max()) {
        return reader.error(at,
                            "data size of " + std::to_string(tensor.n_elements) + " " +
                                std::string(traits->name) + " values",
                            "overflows 64 bits");
    }
    tensor.n_bytes = static_cast<size_t>(n_bytes);
    return {};
}

Result<TensorInfo> read_tensor_info(ByteReader& reader, TensorInfoOffsets& offsets) {
    TensorInfo tensor{};
    Result<std::string_view> name = reader.read_string("tensor name");
    if (!name) return name.error();
    tensor.name = *name;
    reader.set_context("tensor " + quoted(*name));
    Result<Shape> shape = read_shape(reader);
    if (!shape) return shape.error();
    tensor.n_dims = shape->n_dims;
    tensor.ne = shape->ne;
    tensor.n_elements = shape->n_elements;
    Result<void> type = read_type(reader, tensor);
    if (!type) return type.error();
    offsets.data_offset = reader.offset();
    Result<uint64_t> offset = reader.read_u64("data offset");
    if (!offset) return offset.error();
    tensor.offset = *offset;
    return tensor;
}

}  // namespace

Result<void> read_tensor_infos(ByteReader& reader, uint64_t n_tensors,
                               std::vector<TensorInfo>& tensors,
                               std::unordered_map<std::string_view, size_t>& index,
                               std::vector<TensorInfoOffsets>& offsets) {
    reserve_bounded(tensors, n_tensors);
    reserve_bounded(offsets, n_tensors);
    for (uint64_t i = 0; i < n_tensors; ++i) {
        reader.set_context("tensor #" + std::to_string(i));
        TensorInfoOffsets at{.info = reader.offset()};
        Result<TensorInfo> tensor = read_tensor_info(reader, at);
        if (!tensor) return tensor.error();
        if (auto seen = index.find(tensor->name); seen != index.end()) {
            return reader.error(at.info, "tensor name",
                                "is a duplicate of the tensor at byte " +
                                    std::to_string(offsets[seen->second].info));
        }
        index.emplace(tensor->name, tensors.size());
        tensors.push_back(*tensor);
        offsets.push_back(at);
    }
    reader.set_context("");
    return {};
}

std::vector<size_t> order_by_offset(const std::vector<TensorInfo>& tensors) {
    std::vector<size_t> order(tensors.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return tensors[a].offset < tensors[b].offset; });
    return order;
}

Result<void> place_tensor_data(std::span<const uint8_t> bytes, uint64_t data_offset,
                               uint64_t alignment, std::vector<TensorInfo>& tensors,
                               const std::vector<TensorInfoOffsets>& offsets) {
    const uint64_t size = bytes.size();
    for (size_t i = 0; i < tensors.size(); ++i) {
        TensorInfo& tensor = tensors[i];
        const std::string context = "tensor " + quoted(tensor.name);
        const std::string subject = "data offset " + std::to_string(tensor.offset);
        if (tensor.offset % alignment != 0) {
            return gguf_error(context, offsets[i].data_offset, subject,
                              "is not a multiple of the alignment " + std::to_string(alignment));
        }
        if (data_offset > size || tensor.offset > size - data_offset ||
            tensor.n_bytes > size - data_offset - tensor.offset) {
            return gguf_error(context, offsets[i].data_offset,
                              subject + " (" + std::to_string(tensor.n_bytes) + " bytes)",
                              "runs past end of file (size " + std::to_string(size) +
                                  "; tensor data starts at byte " + std::to_string(data_offset) +
                                  ")");
        }
        tensor.data = bytes.data() + data_offset + tensor.offset;
    }
    const std::vector<size_t> order = order_by_offset(tensors);
    for (size_t k = 1; k < order.size(); ++k) {
        const TensorInfo& before = tensors[order[k - 1]];
        const TensorInfo& tensor = tensors[order[k]];
        if (before.offset + before.n_bytes > tensor.offset) {
            return gguf_error("tensor " + quoted(tensor.name), offsets[order[k]].data_offset,
                              "data offset " + std::to_string(tensor.offset),
                              "overlaps the data of tensor " + quoted(before.name) + " (offsets " +
                                  std::to_string(before.offset) + ".." +
                                  std::to_string(before.offset + before.n_bytes) + ")");
        }
    }
    return {};
}

}  // namespace assistd::gguf

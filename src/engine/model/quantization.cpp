#include "engine/model/quantization.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>
#include <vector>

#include "engine/model/metadata_copy.h"
#include "engine/tensor/quant.h"

namespace assistd {
namespace {

struct SchemeInfo {
    QuantScheme scheme;
    std::string_view name;
    DType base;            // the type of most weight matrices
    uint32_t llama_ftype;  // general.file_type, as llama.cpp numbers it
};

constexpr SchemeInfo kSchemes[] = {
    {QuantScheme::F32, "F32", DType::F32, 0},
    {QuantScheme::F16, "F16", DType::F16, 1},
    {QuantScheme::Q8_0, "Q8_0", DType::Q8_0, 7},
    {QuantScheme::Q4_0, "Q4_0", DType::Q4_0, 2},
    {QuantScheme::Q4_K_M, "Q4_K_M", DType::Q4_K, 15},
    {QuantScheme::Q5_K_M, "Q5_K_M", DType::Q5_K, 17},
};

const SchemeInfo& info(QuantScheme scheme) {
    return *std::find_if(std::begin(kSchemes), std::end(kSchemes),
                         [&](const SchemeInfo& s) { return s.scheme == scheme; });
}

bool is_quantized(DType type) {
    return type != DType::F32 && type != DType::F16;
}

// llama.cpp's use_more_bits: the first and last eighth of the layers, and every third between.
bool use_more_bits(int64_t layer, int64_t n_layer) {
    return layer < n_layer / 8 || layer >= 7 * n_layer / 8 || (layer - n_layer / 8) % 3 == 2;
}

// The N of "blk.N.<...>", or -1.
int64_t layer_of(std::string_view name) {
    int64_t layer = -1;
    if (name.starts_with("blk."))
        std::from_chars(name.data() + 4, name.data() + name.size(), layer);
    return layer;
}

// A type whose block divides the row, as llama.cpp falls back for odd row lengths.
DType fit_row(DType type, int64_t row_length) {
    const auto fits = [&](DType t) { return row_length % traits_of(t).block_size == 0; };
    if (fits(type)) return type;
    if (type == DType::Q4_K && fits(DType::Q5_0)) return DType::Q5_0;
    if (type == DType::Q5_K && fits(DType::Q5_1)) return DType::Q5_1;
    if (type == DType::Q6_K && fits(DType::Q8_0)) return DType::Q8_0;
    return DType::F16;
}

}  // namespace

std::optional<QuantScheme> parse_quant_scheme(std::string_view name) {
    std::string upper(name);
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (const SchemeInfo& s : kSchemes) {
        if (s.name == upper) return s.scheme;
    }
    return std::nullopt;
}

std::string_view quant_scheme_names() {
    return "F32, F16, Q8_0, Q4_0, Q4_K_M, Q5_K_M";
}

uint32_t quant_scheme_file_type(QuantScheme scheme) {
    return info(scheme).llama_ftype;
}

DType tensor_type(QuantScheme scheme, const TensorSlot& slot) {
    if (slot.n_dims < 2 || !slot.name.ends_with(".weight")) return DType::F32;
    const DType base = info(scheme).base;
    if (!is_quantized(base)) return base;
    DType type = base;
    const bool is_output =
        slot.name == "output.weight" || (!slot.has_output && slot.name == "token_embd.weight");
    const int64_t layer = layer_of(slot.name);
    const bool sensitive =
        slot.name.ends_with("attn_v.weight") || slot.name.ends_with("ffn_down.weight");
    if (is_output && base != DType::Q8_0) {
        type = DType::Q6_K;
    } else if ((scheme == QuantScheme::Q4_K_M || scheme == QuantScheme::Q5_K_M) && sensitive &&
               use_more_bits(layer, slot.n_layer)) {
        type = DType::Q6_K;
    }
    return fit_row(type, slot.row_length);
}

std::vector<uint8_t> encode_rows(DType type, const float* values, int64_t rows, int64_t row_length,
                                 ThreadPool& pool) {
    const size_t stride = row_bytes(type, row_length);
    std::vector<uint8_t> out(stride * static_cast<size_t>(rows));
    pool.parallel_for(rows, [&](int64_t begin, int64_t end) {
        for (int64_t r = begin; r < end; ++r) {
            quantize_row(type, values + r * row_length, out.data() + r * stride, row_length);
        }
    });
    return out;
}

Result<void> quantize_model(const gguf::GgufFile& in, QuantScheme scheme, gguf::GgufWriter& out,
                            ThreadPool& pool) {
    copy_metadata(in, out, [](std::string_view) { return true; });
    out.add_uint32("general.file_type", quant_scheme_file_type(scheme));
    if (in.has("general.alignment")) {
        Result<int64_t> alignment = in.get_int("general.alignment");
        if (!alignment) return alignment.error();
        out.set_alignment(static_cast<uint32_t>(*alignment));
    }
    Result<std::string_view> arch = in.get_string("general.architecture");
    if (!arch) return arch.error();
    Result<int64_t> n_layer = in.get_int(std::string(*arch) + ".block_count");
    if (!n_layer) return n_layer.error();
    const bool has_output = in.find_tensor("output.weight") != nullptr;

    std::vector<float> values;
    for (const gguf::TensorInfo& t : in.tensors()) {
        if (!can_compute(t.type)) {
            return Error{"quantize: tensor '" + std::string(t.name) + "' has type " +
                         std::string(traits_of(t.type).name) + ", which cannot be decoded"};
        }
        const int64_t row_length = t.ne[0];
        const int64_t rows = t.n_elements / row_length;
        const TensorSlot slot{t.name, t.n_dims, row_length, *n_layer, has_output};
        const DType type = tensor_type(scheme, slot);
        values.resize(static_cast<size_t>(t.n_elements));
        const size_t src_stride = row_bytes(t.type, row_length);
        for (int64_t r = 0; r < rows; ++r) {
            dequantize_row(t.type, t.data + r * src_stride, values.data() + r * row_length,
                           row_length);
        }
        const std::vector<int64_t> ne(t.ne.begin(), t.ne.begin() + t.n_dims);
        Result<void> added = out.add_tensor(
            t.name, type, ne, encode_rows(type, values.data(), rows, row_length, pool));
        if (!added) return added.error();
    }
    return {};
}

}  // namespace assistd

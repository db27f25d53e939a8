#include "bench/model_profile.h"

#include <cstdio>
#include <map>
#include <string_view>

namespace assistd::bench {
namespace {

// llama.cpp's llama_ftype numbering (general.file_type) and the names llama-bench prints.
std::string file_type_name(int64_t file_type) {
    static const std::map<int64_t, std::string_view> kNames = {
        {0, "all F32"},        {1, "F16"},
        {2, "Q4_0"},           {3, "Q4_1"},
        {7, "Q8_0"},           {8, "Q5_0"},
        {9, "Q5_1"},           {10, "Q2_K - Medium"},
        {11, "Q3_K - Small"},  {12, "Q3_K - Medium"},
        {13, "Q3_K - Large"},  {14, "Q4_K - Small"},
        {15, "Q4_K - Medium"}, {16, "Q5_K - Small"},
        {17, "Q5_K - Medium"}, {18, "Q6_K"},
        {32, "BF16"},
    };
    const auto it = kNames.find(file_type);
    return it != kNames.end() ? std::string(it->second) : "ftype " + std::to_string(file_type);
}

// The type holding the most bytes among the matrices, in llama.cpp's upper-case spelling.
std::string dominant_type_name(const gguf::GgufFile& file) {
    std::map<std::string_view, uint64_t> bytes_by_type;
    for (const gguf::TensorInfo& t : file.tensors()) {
        if (t.n_dims >= 2) bytes_by_type[traits_of(t.type).name] += t.n_bytes;
    }
    std::string_view best = "f32";
    uint64_t best_bytes = 0;
    for (const auto& [name, bytes] : bytes_by_type) {
        if (bytes > best_bytes) best = name, best_bytes = bytes;
    }
    std::string upper(best);
    for (char& c : upper) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    return upper;
}

// "260K", "494M", "1.1B": the size class in a model's name, from its parameter count.
std::string size_label(uint64_t n_params) {
    char label[32];
    if (n_params < 1'000'000) {
        std::snprintf(label, sizeof label, "%lluK",
                      static_cast<unsigned long long>(n_params / 1000));
    } else if (n_params < 1'000'000'000) {
        std::snprintf(label, sizeof label, "%lluM",
                      static_cast<unsigned long long>(n_params / 1'000'000));
    } else {
        std::snprintf(label, sizeof label, "%.1fB", static_cast<double>(n_params) / 1e9);
    }
    return label;
}

}  // namespace

ModelProfile profile_model(const gguf::GgufFile& file, const std::string& filename) {
    ModelProfile profile;
    profile.filename = filename;
    const bool output_tied = file.find_tensor("output.weight") == nullptr;
    for (const gguf::TensorInfo& t : file.tensors()) {
        profile.size_bytes += t.n_bytes;
        profile.n_params += static_cast<uint64_t>(t.n_elements);
        const bool embeddings = t.name == "token_embd.weight";
        profile.weight_bytes_per_token +=
            embeddings && !output_tied ? t.n_bytes / static_cast<uint64_t>(t.ne[1]) : t.n_bytes;
    }
    Result<std::string_view> arch = file.get_string("general.architecture");
    Result<int64_t> file_type = file.get_int("general.file_type");
    profile.type = std::string(arch ? *arch : "unknown") + " " + size_label(profile.n_params) +
                   " " + (file_type ? file_type_name(*file_type) : dominant_type_name(file));
    return profile;
}

}  // namespace assistd::bench

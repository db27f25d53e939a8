// `assistd info`: what a GGUF file holds — architecture, hyperparameters, vocabulary, tensors.
#include <cstdio>
#include <map>
#include <memory>

#include "cli/commands.h"
#include "engine/gguf/gguf_file.h"
#include "engine/model/hyperparams.h"

namespace assistd::cli {
namespace {

void print_hyperparams(const Hyperparams& hp) {
    std::printf("architecture: %s\n", hp.architecture.c_str());
    std::printf("vocabulary: %lld tokens\n", static_cast<long long>(hp.n_vocab));
    std::printf("embedding: %lld, layers: %lld, feed-forward: %lld\n",
                static_cast<long long>(hp.n_embd), static_cast<long long>(hp.n_layer),
                static_cast<long long>(hp.n_ff));
    std::printf("heads: %lld, kv heads: %lld, head size: %lld, rope dims: %lld, rope base: %g\n",
                static_cast<long long>(hp.n_head), static_cast<long long>(hp.n_head_kv),
                static_cast<long long>(hp.head_dim()), static_cast<long long>(hp.n_rot),
                hp.rope_freq_base);
    std::printf("context (trained): %lld, rms norm eps: %g\n",
                static_cast<long long>(hp.n_ctx_train), hp.rms_norm_eps);
}

void print_tensors(const gguf::GgufFile& file) {
    std::map<std::string_view, std::pair<int, size_t>> by_type;  // name -> (count, bytes)
    size_t total = 0;
    for (const gguf::TensorInfo& t : file.tensors()) {
        const std::string_view type = traits_of(t.type).name;
        std::printf("  %-32.*s %-6.*s [", static_cast<int>(t.name.size()), t.name.data(),
                    static_cast<int>(type.size()), type.data());
        for (int i = 0; i < t.n_dims; ++i) {
            std::printf(i ? ", %lld" : "%lld", static_cast<long long>(t.ne[i]));
        }
        std::printf("] %zu bytes\n", t.n_bytes);
        by_type[type].first += 1;
        by_type[type].second += t.n_bytes;
        total += t.n_bytes;
    }
    for (const auto& [type, count_bytes] : by_type) {
        std::printf("type %.*s: %d tensors, %zu bytes\n", static_cast<int>(type.size()),
                    type.data(), count_bytes.first, count_bytes.second);
    }
    std::printf("tensors: %zu, %zu bytes (%.2f MiB)\n", file.tensors().size(), total,
                total / (1024.0 * 1024.0));
}

int info(const std::string& path) {
    Result<gguf::GgufFile> file = gguf::GgufFile::open(path);
    if (!file) return report_error(file.error().message);
    std::printf("file: %s (GGUF v%u, %zu metadata keys)\n", path.c_str(), file->version(),
                file->metadata().size());
    if (file->has("general.name")) {
        Result<std::string_view> name = file->get_string("general.name");
        if (name) std::printf("name: %.*s\n", static_cast<int>(name->size()), name->data());
    }
    if (file->has("tokenizer.ggml.model")) {
        Result<std::string_view> vocab = file->get_string("tokenizer.ggml.model");
        if (vocab) std::printf("tokenizer: %.*s\n", static_cast<int>(vocab->size()), vocab->data());
    }
    if (!file->tensors().empty()) {
        Result<Hyperparams> hp = read_hyperparams(*file);
        if (!hp) return report_error(hp.error().message);
        print_hyperparams(*hp);
    }
    print_tensors(*file);
    return 0;
}

}  // namespace

void add_info_command(CLI::App& app, int& exit_code) {
    auto path = std::make_shared<std::string>();
    CLI::App* cmd = app.add_subcommand("info", "Describe a GGUF model file");
    cmd->add_option("-m,--model", *path, "GGUF file")->required();
    cmd->callback([path, &exit_code] { exit_code = info(*path); });
}

}  // namespace assistd::cli

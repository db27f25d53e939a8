// `assistd run`: one-shot generation; the generated text alone goes to stdout, timings to stderr.
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <thread>

#include "cli/commands.h"
#include "engine/generate/generator.h"
#include "engine/model/model.h"

namespace assistd::cli {
namespace {

struct RunOptions {
    std::string model_path;
    std::string prompt;
    int64_t n_predict = -1;
    int threads = 0;
    bool seed_given = false;
    ModelOptions model_options;
    GenerationParams params;
};

int run(const RunOptions& opts) {
    Result<std::unique_ptr<Model>> model = load_model(opts.model_path, opts.model_options);
    if (!model) return report_error(model.error().message);
    Result<Tokenizer> tokenizer = Tokenizer::from_gguf((*model)->file());
    if (!tokenizer) return report_error(tokenizer.error().message);
    Result<std::vector<int32_t>> prompt =
        tokenizer->encode(opts.prompt, tokenizer->add_bos_default());
    if (!prompt) return report_error(prompt.error().message);

    GenerationParams params = opts.params;
    params.max_tokens = opts.n_predict;
    if (!opts.seed_given) params.sampling.seed = std::random_device{}();
    const int threads = opts.threads > 0
                            ? opts.threads
                            : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    ThreadPool pool(threads);

    Result<GenerationStats> stats =
        generate(**model, *tokenizer, pool, *prompt, params,
                 [](std::string_view text, std::span<const TokenChoice>) {
                     std::fwrite(text.data(), 1, text.size(), stdout);
                     std::fflush(stdout);
                     return true;
                 });
    if (!stats) return report_error(stats.error().message);
    std::fprintf(stderr,
                 "\nassistd: prompt %lld tokens in %.3f s (%.1f t/s), generated %lld tokens in "
                 "%.3f s (%.1f t/s), %d threads, seed %llu, finish %s\n",
                 static_cast<long long>(stats->n_prompt), stats->prompt_seconds,
                 stats->n_prompt / std::max(stats->prompt_seconds, 1e-9),
                 static_cast<long long>(stats->n_generated), stats->generate_seconds,
                 stats->n_generated / std::max(stats->generate_seconds, 1e-9), threads,
                 static_cast<unsigned long long>(params.sampling.seed),
                 std::string(finish_reason_name(stats->finish)).c_str());
    return 0;
}

}  // namespace

void add_run_command(CLI::App& app, int& exit_code) {
    auto opts = std::make_shared<RunOptions>();
    SamplerParams& s = opts->params.sampling;
    CLI::App* cmd = app.add_subcommand("run", "Generate text from a prompt");
    cmd->add_option("-m,--model", opts->model_path, "GGUF model file")->required();
    cmd->add_option("-p,--prompt", opts->prompt, "Prompt text");
    cmd->add_option("-n,--n-predict", opts->n_predict, "Tokens to generate (-1: until the end)");
    cmd->add_option("-c,--ctx-size", opts->params.n_ctx, "Context size (0: model default)");
    cmd->add_option("-t,--threads", opts->threads, "Threads (default: all cores)");
    cmd->add_option("--activations", opts->model_options.activations,
                    "int8: 8-bit activations for quantized weights, as llama.cpp (fast); float: "
                    "exact float products")
        ->transform(CLI::CheckedTransformer(
            std::map<std::string, ActivationMode>{{"int8", ActivationMode::Int8},
                                                  {"float", ActivationMode::Float}},
            CLI::ignore_case))
        ->capture_default_str();
    cmd->add_option("--temp", s.temperature, "Temperature; 0 is greedy")->capture_default_str();
    cmd->add_option("--top-k", s.top_k, "Top-k (0: off)")->capture_default_str();
    cmd->add_option("--top-p", s.top_p, "Top-p (1: off)")->capture_default_str();
    cmd->add_option("--min-p", s.min_p, "Min-p (0: off)")->capture_default_str();
    cmd->add_option("--repeat-penalty", s.repeat_penalty, "Repetition penalty (1: off)")
        ->capture_default_str();
    cmd->add_option("--repeat-last-n", s.repeat_last_n, "Tokens the penalties look back over")
        ->capture_default_str();
    cmd->add_option("--presence-penalty", s.presence_penalty)->capture_default_str();
    cmd->add_option("--frequency-penalty", s.frequency_penalty)->capture_default_str();
    cmd->add_option("--stop", opts->params.stop, "Stop string (repeatable)");
    cmd->add_option("-s,--seed", s.seed, "Sampling seed (default: random)")
        ->each([opts](const std::string&) { opts->seed_given = true; });
    cmd->callback([opts, &exit_code] { exit_code = run(*opts); });
}

}  // namespace assistd::cli

// `assistd bench`: prompt processing and generation speed of a model, llama-bench style, with the
// decode bound that the host's memory bandwidth sets. The table or JSON goes to stdout, progress
// to stderr.
#include <cstdio>
#include <memory>
#include <thread>

#include "bench/bandwidth_probe.h"
#include "bench/build_info.h"
#include "bench/model_profile.h"
#include "bench/report.h"
#include "bench/test_runner.h"
#include "cli/commands.h"

namespace assistd::cli {
namespace {

struct BenchOptions {
    std::string model_path;
    std::vector<int64_t> n_prompt = {512};
    std::vector<int64_t> n_gen = {128};
    std::vector<int> threads;
    int repetitions = 5;
    bool json = false;
    bool mmap = false;
};

// llama-bench's order: for each thread count, the prompt tests, then the generation tests;
// a size of 0 skips that kind of test.
std::vector<bench::TestShape> test_shapes(const BenchOptions& opts) {
    std::vector<bench::TestShape> shapes;
    for (int threads : opts.threads) {
        for (int64_t p : opts.n_prompt) {
            if (p > 0) shapes.push_back({p, 0, threads});
        }
        for (int64_t n : opts.n_gen) {
            if (n > 0) shapes.push_back({0, n, threads});
        }
    }
    return shapes;
}

Result<void> check_options(const BenchOptions& opts) {
    for (int threads : opts.threads) {
        if (threads < 1) return Error{"bench: --threads must be at least 1"};
    }
    for (int64_t n : opts.n_prompt) {
        if (n < 0) return Error{"bench: --n-prompt must not be negative"};
    }
    for (int64_t n : opts.n_gen) {
        if (n < 0) return Error{"bench: --n-gen must not be negative"};
    }
    if (opts.repetitions < 1) return Error{"bench: --repetitions must be at least 1"};
    return {};
}

int bench_model(const BenchOptions& opts) {
    Result<void> valid = check_options(opts);
    if (!valid) return report_error(valid.error().message);
    Result<std::unique_ptr<Model>> model =
        load_model(opts.model_path, {.compute_from_mapping = opts.mmap});
    if (!model) return report_error(model.error().message);
    bench::ModelProfile profile = bench::profile_model((*model)->file(), opts.model_path);
    profile.use_mmap = opts.mmap;

    std::vector<bench::TestResult> rows;
    std::unique_ptr<ThreadPool> pool;
    bench::Bandwidth bandwidth;
    for (const bench::TestShape& shape : test_shapes(opts)) {
        if (!pool || pool->size() != shape.n_threads) {
            pool = std::make_unique<ThreadPool>(shape.n_threads);
            Result<bench::Bandwidth> measured =
                bench::measure_read_bandwidth(*pool, bench::default_probe_bytes());
            if (!measured) return report_error(measured.error().message);
            bandwidth = *measured;
            std::fprintf(stderr, "assistd: memory bandwidth %.2f GB/s (%d threads, %zu MiB read)\n",
                         bandwidth.bytes_per_second / 1e9, bandwidth.n_threads,
                         bandwidth.buffer_bytes >> 20);
        }
        std::fprintf(stderr, "assistd: %s, %d threads ...\n", shape.name().c_str(),
                     shape.n_threads);
        bench::TestResult row = bench::run_test(**model, *pool, shape, opts.repetitions);
        row.bandwidth_bytes_per_s = bandwidth.bytes_per_second;
        row.weight_bytes_per_token = profile.weight_bytes_per_token;
        rows.push_back(std::move(row));
    }

    if (opts.json) {
        std::fputs(bench::format_json(bench::current_build_info(), profile, rows).c_str(), stdout);
    } else {
        std::fputs(bench::format_markdown_table(profile, rows).c_str(), stdout);
        std::printf(
            "\nbound t/s = memory bandwidth / %.2f MiB of weights read per generated token\n",
            static_cast<double>(profile.weight_bytes_per_token) / (1024.0 * 1024.0));
    }
    return 0;
}

}  // namespace

void add_bench_command(CLI::App& app, int& exit_code) {
    auto opts = std::make_shared<BenchOptions>();
    opts->threads = {std::max(1, static_cast<int>(std::thread::hardware_concurrency()))};
    CLI::App* cmd = app.add_subcommand(
        "bench", "Measure prompt processing and generation speed (llama-bench style)");
    cmd->add_option("-m,--model", opts->model_path, "GGUF model file")->required();
    cmd->add_option("-p,--n-prompt", opts->n_prompt, "Prompt sizes, comma-separated (0: none)")
        ->delimiter(',')
        ->capture_default_str();
    cmd->add_option("-n,--n-gen", opts->n_gen, "Generated token counts, comma-separated (0: none)")
        ->delimiter(',')
        ->capture_default_str();
    cmd->add_option("-t,--threads", opts->threads, "Thread counts, comma-separated")
        ->delimiter(',')
        ->capture_default_str();
    cmd->add_option("-r,--repetitions", opts->repetitions, "Timed runs per test")
        ->capture_default_str();
    cmd->add_flag("--json", opts->json, "Print a JSON array with llama-bench's field names");
    cmd->add_flag("--mmap", opts->mmap,
                  "Compute from the file mapping, as model.mmap: true serves (default: weights "
                  "repacked into memory for this CPU's kernels)");
    cmd->callback([opts, &exit_code] { exit_code = bench_model(*opts); });
}

}  // namespace assistd::cli

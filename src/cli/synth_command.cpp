// `assistd synth`: writes a model of real dimensions with random weights (synthetic_model.h).
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

#include "cli/commands.h"
#include "engine/model/synthetic_model.h"

namespace assistd::cli {
namespace {

struct SynthOptions {
    SyntheticSpec spec;
    std::string type = "F32";
    std::string vocab;
    std::string chat_template;  // a file
    std::string output;
};

int synth(SynthOptions opts) {
    const std::optional<QuantScheme> scheme = parse_quant_scheme(opts.type);
    if (!scheme) {
        return report_error("synth: unknown type '" + opts.type +
                            "' (types: " + std::string(quant_scheme_names()) + ")");
    }
    opts.spec.scheme = *scheme;
    opts.spec.vocab = opts.vocab;
    if (!opts.chat_template.empty()) {
        std::ifstream file(opts.chat_template, std::ios::binary);
        if (!file.is_open()) return report_error("synth: cannot read " + opts.chat_template);
        std::ostringstream text;
        text << file.rdbuf();
        opts.spec.chat_template = text.str();
    }
    ThreadPool pool(std::max(1, static_cast<int>(std::thread::hardware_concurrency())));
    Result<gguf::GgufWriter> writer = synthesize_model(opts.spec, pool);
    if (!writer) return report_error(writer.error().message);
    Result<void> written = writer->write_file(opts.output);
    if (!written) return report_error(written.error().message);
    std::cerr << "assistd: wrote " << opts.output << '\n';
    return 0;
}

}  // namespace

void add_synth_command(CLI::App& app, int& exit_code) {
    auto opts = std::make_shared<SynthOptions>();
    CLI::App* cmd = app.add_subcommand(
        "synth", "Write a model of real dimensions with random weights, for benchmarks and tests");
    cmd->add_option("--arch", opts->spec.architecture, "llama, qwen2 or qwen3")
        ->capture_default_str();
    cmd->add_option("--preset", opts->spec.preset, "tiny, 0.5b or 1.1b")->capture_default_str();
    cmd->add_option("--type", opts->type, std::string(quant_scheme_names()))->capture_default_str();
    cmd->add_option("--vocab", opts->vocab,
                    "GGUF whose tokenizer is copied (default: a built-in byte vocabulary)");
    cmd->add_option("--chat-template", opts->chat_template,
                    "Jinja chat template file stored as tokenizer.chat_template (e.g. one with "
                    "tool calls)");
    cmd->add_option("--seed", opts->spec.seed, "Seed of the random weights")->capture_default_str();
    cmd->add_option("output", opts->output, "Output GGUF file")->required();
    cmd->callback([opts, &exit_code] { exit_code = synth(*opts); });
}

}  // namespace assistd::cli

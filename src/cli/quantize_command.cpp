// `assistd quantize IN OUT TYPE`: rewrites a model's tensors in another type (quantization.h).
#include <iostream>
#include <memory>
#include <thread>

#include "cli/commands.h"
#include "engine/gguf/gguf_file.h"
#include "engine/model/quantization.h"

namespace assistd::cli {
namespace {

struct QuantizeOptions {
    std::string input;
    std::string output;
    std::string type;
};

int quantize(const QuantizeOptions& opts) {
    const std::optional<QuantScheme> scheme = parse_quant_scheme(opts.type);
    if (!scheme) {
        return report_error("quantize: unknown type '" + opts.type +
                            "' (types: " + std::string(quant_scheme_names()) + ")");
    }
    Result<gguf::GgufFile> in = gguf::GgufFile::open(opts.input);
    if (!in) return report_error(in.error().message);
    ThreadPool pool(std::max(1, static_cast<int>(std::thread::hardware_concurrency())));
    gguf::GgufWriter out;
    Result<void> converted = quantize_model(*in, *scheme, out, pool);
    if (!converted) return report_error(converted.error().message);
    Result<void> written = out.write_file(opts.output);
    if (!written) return report_error(written.error().message);
    std::cerr << "assistd: wrote " << opts.output << '\n';
    return 0;
}

}  // namespace

void add_quantize_command(CLI::App& app, int& exit_code) {
    auto opts = std::make_shared<QuantizeOptions>();
    CLI::App* cmd = app.add_subcommand("quantize", "Convert a model's weights to another type");
    cmd->add_option("input", opts->input, "Input GGUF file")->required();
    cmd->add_option("output", opts->output, "Output GGUF file")->required();
    cmd->add_option("type", opts->type, std::string(quant_scheme_names()))->required();
    cmd->callback([opts, &exit_code] { exit_code = quantize(*opts); });
}

}  // namespace assistd::cli

// `assistd tokenize` and `assistd detokenize`: stdin to stdout, for scripts and conformance checks.
// They need only a file's vocabulary, so vocab-only GGUF files work too.
#include <charconv>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>

#include "cli/commands.h"
#include "engine/gguf/gguf_file.h"
#include "engine/tokenizer/tokenizer.h"

namespace assistd::cli {
namespace {

struct TokenizeOptions {
    std::string model_path;
    bool add_bos = false;
    bool no_parse_special = false;
};

std::string read_stdin() {
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

Result<std::vector<int32_t>> parse_ids(const std::string& text) {
    std::vector<int32_t> ids;
    std::istringstream words(text);
    std::string word;
    while (words >> word) {
        int32_t id = 0;
        auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), id);
        if (ec != std::errc() || end != word.data() + word.size()) {
            return Error{"detokenize: '" + word + "' is not a token id"};
        }
        ids.push_back(id);
    }
    return ids;
}

Result<Tokenizer> open_tokenizer(const std::string& path) {
    Result<gguf::GgufFile> file = gguf::GgufFile::open(path);
    if (!file) return file.error();
    return Tokenizer::from_gguf(*file);
}

int tokenize(const TokenizeOptions& opts) {
    Result<Tokenizer> tokenizer = open_tokenizer(opts.model_path);
    if (!tokenizer) return report_error(tokenizer.error().message);
    Result<std::vector<int32_t>> ids =
        tokenizer->encode(read_stdin(), opts.add_bos, !opts.no_parse_special);
    if (!ids) return report_error(ids.error().message);
    for (size_t i = 0; i < ids->size(); ++i) std::cout << (i ? " " : "") << (*ids)[i];
    std::cout << '\n';
    return 0;
}

int detokenize(const TokenizeOptions& opts) {
    Result<Tokenizer> tokenizer = open_tokenizer(opts.model_path);
    if (!tokenizer) return report_error(tokenizer.error().message);
    Result<std::vector<int32_t>> ids = parse_ids(read_stdin());
    if (!ids) return report_error(ids.error().message);
    Result<std::string> text = tokenizer->decode(*ids);
    if (!text) return report_error(text.error().message);
    std::cout << *text;
    return 0;
}

}  // namespace

void add_tokenize_commands(CLI::App& app, int& exit_code) {
    auto opts = std::make_shared<TokenizeOptions>();
    CLI::App* tok = app.add_subcommand("tokenize", "Print the token ids of UTF-8 text on stdin");
    tok->add_option("-m,--model", opts->model_path, "GGUF file (a vocab-only file will do)")
        ->required();
    tok->add_flag("--add-bos", opts->add_bos, "Start with the BOS token");
    tok->add_flag("--no-parse-special", opts->no_parse_special,
                  "Treat special-token text such as <|im_start|> as plain text");
    tok->callback([opts, &exit_code] { exit_code = tokenize(*opts); });

    CLI::App* detok = app.add_subcommand("detokenize", "Print the text of token ids on stdin");
    detok->add_option("-m,--model", opts->model_path, "GGUF file (a vocab-only file will do)")
        ->required();
    detok->callback([opts, &exit_code] { exit_code = detokenize(*opts); });
}

}  // namespace assistd::cli

#include "engine/model/synthetic_vocab.h"

#include <string>
#include <vector>

#include "engine/gguf/gguf_file.h"
#include "engine/model/metadata_copy.h"
#include "engine/tokenizer/byte_unicode.h"

namespace assistd {
namespace {

// tokenizer.ggml.token_type values, as llama.cpp numbers them.
constexpr int32_t kNormalToken = 1;
constexpr int32_t kControlToken = 3;

constexpr std::string_view kChatMlTemplate =
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + "
    "message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}"
    "{{ '<|im_start|>assistant\\n' }}{% endif %}";

}  // namespace

Result<int64_t> add_vocab_from_file(const std::filesystem::path& path, gguf::GgufWriter& out) {
    Result<gguf::GgufFile> vocab = gguf::GgufFile::open(path);
    if (!vocab) return vocab.error();
    Result<std::span<const std::string_view>> tokens =
        vocab->get_string_array("tokenizer.ggml.tokens");
    if (!tokens) return tokens.error();
    copy_metadata(*vocab, out, [](std::string_view key) { return key.starts_with("tokenizer."); });
    return static_cast<int64_t>(tokens->size());
}

int64_t add_byte_vocab(gguf::GgufWriter& out) {
    std::vector<std::string> tokens;
    std::vector<int32_t> types;
    for (int byte = 0; byte < 256; ++byte) {
        tokens.push_back(byte_unicode::encode_byte(static_cast<uint8_t>(byte)));
        types.push_back(kNormalToken);
    }
    const uint32_t bos = static_cast<uint32_t>(tokens.size());
    tokens.push_back("<s>");
    tokens.push_back("</s>");
    types.insert(types.end(), 2, kControlToken);

    out.add_string("tokenizer.ggml.model", "gpt2");
    out.add_string("tokenizer.ggml.pre", "default");
    out.add_string_array("tokenizer.ggml.tokens", std::span<const std::string>(tokens));
    out.add_array("tokenizer.ggml.token_type", std::span<const int32_t>(types));
    out.add_string_array("tokenizer.ggml.merges", std::span<const std::string>());
    out.add_uint32("tokenizer.ggml.bos_token_id", bos);
    out.add_uint32("tokenizer.ggml.eos_token_id", bos + 1);
    out.add_bool("tokenizer.ggml.add_bos_token", true);
    out.add_string("tokenizer.chat_template", kChatMlTemplate);
    return static_cast<int64_t>(tokens.size());
}

}  // namespace assistd

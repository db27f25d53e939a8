#include "engine/chat/fallback_templates.h"

namespace assistd::chat {

namespace {

constexpr std::string_view kChatML =
    "{%- for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{%- endif %}";

// As Meta's Llama 2 chat models were trained: the system prompt inside the first [INST].
constexpr std::string_view kLlama2 =
    "{%- if messages and messages[0]['role'] == 'system' %}"
    "{%- set system = '<<SYS>>\\n' + messages[0]['content'] + '\\n<</SYS>>\\n\\n' %}"
    "{%- set messages = messages[1:] %}"
    "{%- else %}{%- set system = '' %}{%- endif %}"
    "{%- for message in messages %}"
    "{%- if message['role'] == 'user' %}"
    "{{ bos_token + '[INST] ' + (system if loop.first else '') + message['content'] | trim + ' "
    "[/INST]' }}"
    "{%- else %}{{ ' ' + message['content'] | trim + ' ' + eos_token }}"
    "{%- endif %}"
    "{%- endfor %}";

constexpr std::string_view kLlama3 =
    "{{- bos_token }}"
    "{%- for message in messages %}"
    "{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | "
    "trim + '<|eot_id|>' }}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{%- "
    "endif %}";

}  // namespace

FallbackFormat fallback_format_for(const Vocab& vocab) {
    if (vocab.find("<|start_header_id|>") >= 0) return FallbackFormat::Llama3;
    if (vocab.find("<|im_start|>") >= 0) return FallbackFormat::ChatML;
    if (vocab.type() == VocabType::Spm) return FallbackFormat::Llama2;
    return FallbackFormat::ChatML;
}

std::string_view fallback_template(FallbackFormat format) {
    switch (format) {
        case FallbackFormat::ChatML:
            return kChatML;
        case FallbackFormat::Llama2:
            return kLlama2;
        case FallbackFormat::Llama3:
            return kLlama3;
    }
    return kChatML;
}

}  // namespace assistd::chat

#include "engine/model/architecture.h"

namespace assistd {

const Architecture* find_architecture(std::string_view name) {
    for (const Architecture* arch :
         {&llama_architecture(), &qwen2_architecture(), &qwen3_architecture()}) {
        if (arch->name == name) return arch;
    }
    return nullptr;
}

std::string_view supported_architectures() {
    return "llama, qwen2, qwen3";
}

}  // namespace assistd

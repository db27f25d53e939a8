#include "support/golden.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "support/shared_data.h"

namespace assistd::testing {
namespace {

nlohmann::json read_json(const char* relative) {
    std::ifstream in(shared_path(relative));
    return nlohmann::json::parse(in);
}

}  // namespace

std::vector<GreedyCase> expected_greedy() {
    std::vector<GreedyCase> cases;
    for (const nlohmann::json& j : read_json("models/llm/expected_greedy.json")) {
        cases.push_back(GreedyCase{j.at("model"), j.at("prompt"), j.at("prompt_ids"),
                                   j.at("first_logits_0_7"), j.at("greedy_ids"), j.at("text"),
                                   j.at("min_top2_margin")});
    }
    return cases;
}

std::vector<LlamaCppCase> expected_llamacpp() {
    std::vector<LlamaCppCase> cases;
    for (const nlohmann::json& j : read_json("models/llm/expected_llamacpp.json")) {
        cases.push_back(LlamaCppCase{j.at("model"), j.at("prompt"), j.at("n_predict"),
                                     j.at("llama_cpp_greedy_continuation")});
    }
    return cases;
}

}  // namespace assistd::testing

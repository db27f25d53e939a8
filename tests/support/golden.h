// The golden outputs in ../shared/models/llm: expected_greedy.json (a float reference forward
// pass) and expected_llamacpp.json (what llama.cpp itself printed).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace assistd::testing {

struct GreedyCase {
    std::string model;  // file name under models/llm
    std::string prompt;
    std::vector<int32_t> prompt_ids;  // BOS included
    std::vector<float> first_logits;  // logits 0..7 after the prompt
    std::vector<int32_t> greedy_ids;
    std::string text;              // decoded greedy continuation
    float min_top2_margin = 0.0f;  // smallest top-1/top-2 logit gap along the way
};

struct LlamaCppCase {
    std::string model;
    std::string prompt;
    int n_predict = 0;
    std::string continuation;
};

std::vector<GreedyCase> expected_greedy();
std::vector<LlamaCppCase> expected_llamacpp();

}  // namespace assistd::testing

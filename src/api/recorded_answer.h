// RecordedAnswer: the complete result of a generation request as the response cache keeps it —
// each choice's text in the pieces it was produced in (with their tokens' log probabilities
// when asked for) and its statistics — enough to write the JSON answer or replay the SSE stream
// with the same chunks a live stream had.
//
// Bytes read back from a cache may come from another server or be damaged: decode() checks every
// field and returns nothing for anything it does not fully understand.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "api/completed_choice.h"

namespace assistd::api {

struct RecordedPiece {
    std::string text;
    std::vector<TokenChoice> tokens;
};

struct RecordedChoice {
    std::vector<RecordedPiece> pieces;
    GenerationStats stats;  // only n_prompt, n_cached, n_generated and finish are kept
};

using RecordedAnswer = std::vector<RecordedChoice>;

std::string encode_recorded_answer(const RecordedAnswer& answer);
std::optional<RecordedAnswer> decode_recorded_answer(std::string_view bytes);

// The answer as the engine's results: each choice's pieces joined.
std::vector<CompletedChoice> completed_choices(const RecordedAnswer& answer);

}  // namespace assistd::api

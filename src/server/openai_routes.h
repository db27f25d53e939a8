// The OpenAI-compatible routes: /v1/models, /v1/models/{id}, /v1/chat/completions and
// /v1/completions. Parsing, validation and response JSON come from api/; this file ties them to
// the transport and to the scheduler of the model each request names.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "api/api_error.h"
#include "api/model_cards.h"
#include "api/request_limits.h"
#include "engine/grammar/token_trie.h"
#include "engine/model/model.h"
#include "engine/sched/scheduler.h"
#include "engine/tokenizer/tokenizer.h"
#include "server/response_caching.h"
#include "server/router.h"
#include "server/serving_metrics.h"

namespace assistd::server {

// The model being served and what the API says about it.
struct ServedModel {
    api::ModelCard card;        // id, created, description for /v1/models
    api::RequestLimits limits;  // model_id, n_vocab and n_ctx included
    std::string chat_template;  // tokenizer.chat_template, "" when the file has none
    // Changes whenever the weights do (the file's name, size and modification time), so cached
    // answers of an earlier model are never served for a new one.
    std::string version;
    // The `model` of every answer: "name:version" for a registry version, else card.id.
    std::string answered_as;
    const Model* model = nullptr;
    const Tokenizer* tokenizer = nullptr;
    std::shared_ptr<const TokenTrie> token_trie;  // the tokenizer's, for constrained decoding
    double load_seconds = 0.0;                    // how long loading the model took
};

class ModelSet;

// The routes find the model a request names in `models`, and answer deterministic requests
// through that model's response caching when they can.
struct Serving {
    const ModelSet& models;
    ServingMetrics& metrics;
};

void add_openai_routes(Router& router, Serving serving);

// A transport-level refusal (404, 405, 413, 503, ...) as OpenAI error JSON.
std::string transport_error_body(http::status status, std::string_view message);

}  // namespace assistd::server

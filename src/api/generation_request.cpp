#include "api/generation_request.h"

#include <charconv>
#include <limits>

namespace assistd::api {

namespace {

void read_model(JsonFields& fields, const RequestLimits& limits, GenerationRequest& request) {
    if (!fields.string("model", request.model)) {
        fields.fail("model", "is required: name the model to use (see GET /v1/models)");
        return;
    }
    if (request.model != limits.model_id) fields.fail(model_not_found(request.model));
}

void read_stream(JsonFields& fields, GenerationRequest& request) {
    fields.boolean("stream", request.stream);
    const nlohmann::json* options = fields.value("stream_options");
    if (options == nullptr) return;
    if (!request.stream) {
        fields.fail("stream_options", "is only allowed when stream is true");
        return;
    }
    if (!options->is_object()) {
        fields.fail("stream_options", "must be an object, got " + json_kind_name(*options));
        return;
    }
    JsonFields option_fields(*options, "stream_options.");
    option_fields.boolean("include_usage", request.include_usage);
    option_fields.reject_unknown();
    if (option_fields.error()) fields.fail(*option_fields.error());
}

void read_max_tokens(JsonFields& fields, const RequestLimits& limits,
                     std::initializer_list<std::string_view> keys, int64_t default_max_tokens,
                     GenerationRequest& request) {
    std::string_view given_key;
    for (std::string_view key : keys) {
        int64_t value = 0;
        if (!fields.integer(key, 1, std::numeric_limits<int64_t>::max(), value)) continue;
        if (!given_key.empty()) {
            fields.fail(key, "and " + std::string(given_key) + " were both given; use one");
            return;
        }
        if (value > limits.max_tokens_limit) {
            fields.fail(key, "is " + std::to_string(value) + ", more than this server allows (" +
                                 std::to_string(limits.max_tokens_limit) + ")");
            return;
        }
        given_key = key;
        request.params.max_tokens = value;
    }
    request.max_tokens_given = !given_key.empty();
    if (!request.max_tokens_given) {
        request.params.max_tokens = default_max_tokens > 0
                                        ? std::min(default_max_tokens, limits.max_tokens_limit)
                                        : limits.max_tokens_limit;
    }
}

void read_stop(JsonFields& fields, GenerationRequest& request) {
    const nlohmann::json* stop = fields.value("stop");
    if (stop == nullptr) return;
    if (stop->is_string()) {
        if (stop->get_ref<const std::string&>().empty()) {
            fields.fail("stop", "must not be an empty string");
            return;
        }
        request.params.stop = {stop->get<std::string>()};
        return;
    }
    if (!stop->is_array() || stop->size() > kMaxStopStrings) {
        fields.fail("stop", "must be a string or an array of at most " +
                                std::to_string(kMaxStopStrings) + " strings");
        return;
    }
    for (const nlohmann::json& entry : *stop) {
        if (!entry.is_string() || entry.get_ref<const std::string&>().empty()) {
            fields.fail("stop", "entries must be non-empty strings, got " + json_brief(entry));
            return;
        }
        request.params.stop.push_back(entry.get<std::string>());
    }
}

void read_seed(JsonFields& fields, GenerationRequest& request) {
    const nlohmann::json* seed = fields.value("seed");
    if (seed == nullptr) return;
    if (!seed->is_number_integer()) {
        fields.fail("seed", "must be an integer, got " + json_brief(*seed));
        return;
    }
    // Negative seeds are fine in OpenAI's API; any 64 bits make a seed.
    const uint64_t bits = seed->is_number_unsigned() ? seed->get<uint64_t>()
                                                     : static_cast<uint64_t>(seed->get<int64_t>());
    request.seed = bits;
    request.params.sampling.seed = bits;
}

// {"50256": -100}: token ids as decimal strings, biases in [-100, 100].
void read_logit_bias(JsonFields& fields, const RequestLimits& limits, GenerationRequest& request) {
    const nlohmann::json* bias = fields.value("logit_bias");
    if (bias == nullptr) return;
    if (!bias->is_object()) {
        fields.fail("logit_bias", "must be an object mapping token ids to biases");
        return;
    }
    for (const auto& [key, value] : bias->items()) {
        int32_t token = -1;
        auto [end, error] = std::from_chars(key.data(), key.data() + key.size(), token);
        if (error != std::errc() || end != key.data() + key.size() || token < 0 ||
            token >= limits.n_vocab) {
            fields.fail("logit_bias", "key '" + key + "' is not a token id in the vocabulary (0.." +
                                          std::to_string(limits.n_vocab - 1) + ")");
            return;
        }
        if (!value.is_number() || !(value.get<double>() >= -100 && value.get<double>() <= 100)) {
            fields.fail("logit_bias", "value for token " + key +
                                          " must be a number between -100 and 100, got " +
                                          json_brief(value));
            return;
        }
        request.params.sampling.logit_bias.push_back({token, value.get<float>()});
    }
}

}  // namespace

GenerationParams openai_default_params() {
    GenerationParams params;
    params.sampling.temperature = 1.0f;
    params.sampling.top_p = 1.0f;
    params.sampling.top_k = 0;
    params.sampling.min_p = 0.0f;
    return params;
}

void read_generation_fields(JsonFields& fields, const RequestLimits& limits,
                            std::initializer_list<std::string_view> max_tokens_keys,
                            int64_t default_max_tokens, GenerationRequest& request) {
    request.params = openai_default_params();
    request.params.n_ctx = limits.n_ctx;
    read_model(fields, limits, request);
    read_stream(fields, request);
    read_max_tokens(fields, limits, max_tokens_keys, default_max_tokens, request);
    SamplerParams& sampling = request.params.sampling;
    fields.number("temperature", 0, 2, sampling.temperature);
    fields.number("top_p", 0, 1, sampling.top_p);
    fields.number("presence_penalty", -2, 2, sampling.presence_penalty);
    fields.number("frequency_penalty", -2, 2, sampling.frequency_penalty);
    int64_t n = 1;
    if (fields.integer("n", 1, limits.max_n, n)) request.n = static_cast<int32_t>(n);
    read_stop(fields, request);
    read_seed(fields, request);
    read_logit_bias(fields, limits, request);
    fields.ignore("user");  // for abuse tracking at OpenAI; changes nothing here
    fields.ignore("metadata");
    fields.ignore("store");
    fields.ignore("service_tier");
}

ApiCheck fit_to_context(GenerationRequest& request, int64_t prompt_tokens, int64_t n_ctx,
                        std::string_view prompt_param) {
    const std::string limit =
        "This model's maximum context length is " + std::to_string(n_ctx) + " tokens. ";
    if (prompt_tokens >= n_ctx) {
        return invalid_request(std::string(prompt_param),
                               limit + "However, your " + std::string(prompt_param) +
                                   " resulted in " + std::to_string(prompt_tokens) +
                                   " tokens, which leaves no room for a completion. Please "
                                   "reduce the length of the " +
                                   std::string(prompt_param) + ".");
    }
    const int64_t room = n_ctx - prompt_tokens;
    int64_t& max_tokens = request.params.max_tokens;
    if (request.max_tokens_given && max_tokens > room) {
        return invalid_request("max_tokens",
                               limit + "However, you requested " +
                                   std::to_string(prompt_tokens + max_tokens) + " tokens (" +
                                   std::to_string(prompt_tokens) + " in the " +
                                   std::string(prompt_param) + ", " + std::to_string(max_tokens) +
                                   " in the completion). Please reduce the length of the " +
                                   std::string(prompt_param) + " or completion.");
    }
    max_tokens = std::min(max_tokens, room);
    return std::nullopt;
}

}  // namespace assistd::api

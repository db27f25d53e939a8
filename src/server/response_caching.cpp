#include "server/response_caching.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "api/recorded_answer.h"
#include "api/request_identity.h"

namespace assistd::server {
namespace {

constexpr std::string_view kCacheHeader = "X-Assistd-Cache";

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) ==
               std::tolower(static_cast<unsigned char>(y));
    });
}

std::string_view trimmed(std::string_view text) {
    const auto space = [](char c) { return c == ' ' || c == '\t'; };
    while (!text.empty() && space(text.front())) text.remove_prefix(1);
    while (!text.empty() && space(text.back())) text.remove_suffix(1);
    return text;
}

// Wraps `format` so that the complete answer, once every choice has ended, is handed to `keep`
// as a RecordedAnswer: streamed pieces as they were sent, a plain answer as one piece a choice.
GenerationFormat recording(GenerationFormat format, int choice_count,
                           std::function<void(const api::RecordedAnswer&)> keep) {
    // The format's callbacks run one at a time (under the request's lock), so no lock here.
    auto answer = std::make_shared<api::RecordedAnswer>(choice_count);
    format.piece = [answer, inner = std::move(format.piece)](int index, std::string_view text,
                                                             std::span<const TokenChoice> tokens) {
        (*answer)[index].pieces.push_back(
            {std::string(text), std::vector<TokenChoice>(tokens.begin(), tokens.end())});
        return inner(index, text, tokens);
    };
    format.closing = [answer, keep, inner = std::move(format.closing)](
                         const std::vector<api::CompletedChoice>& choices) {
        for (size_t i = 0; i < choices.size(); ++i) (*answer)[i].stats = choices[i].stats;
        keep(*answer);
        return inner(choices);
    };
    format.body = [answer, keep, inner = std::move(format.body)](
                      const std::vector<api::CompletedChoice>& choices) {
        for (size_t i = 0; i < choices.size(); ++i) {
            (*answer)[i].pieces = {{choices[i].text, choices[i].tokens}};
            (*answer)[i].stats = choices[i].stats;
        }
        keep(*answer);
        return inner(choices);
    };
    return format;
}

// A cached answer, written as this request's format writes a live one.
void replay(const std::shared_ptr<Exchange>& exchange, const GenerationFormat& format,
            const api::RecordedAnswer& answer, bool stream) {
    const std::vector<api::CompletedChoice> choices = api::completed_choices(answer);
    if (!stream) {
        exchange->reply(http::status::ok, format.body(choices));
        return;
    }
    exchange->begin_stream();
    for (size_t i = 0; i < answer.size(); ++i) {
        const int index = static_cast<int>(i);
        for (const api::RecordedPiece& piece : answer[i].pieces) {
            exchange->send_event(format.piece(index, piece.text, piece.tokens));
        }
        exchange->send_event(format.finished(index, answer[i].stats));
    }
    exchange->send_event(format.closing(choices));
    exchange->end_stream();
}

}  // namespace

bool opts_out_of_cache(const Request& request) {
    for (const auto& field : request.base()) {
        if (field.name() != http::field::cache_control) continue;
        const std::string value(field.value());
        std::string_view rest = value;
        while (!rest.empty()) {
            const size_t comma = rest.find(',');
            std::string_view directive = trimmed(rest.substr(0, comma));
            if (equals_ignoring_case(directive, "no-cache") ||
                equals_ignoring_case(directive, "no-store")) {
                return true;
            }
            rest = comma == std::string_view::npos ? "" : rest.substr(comma + 1);
        }
    }
    return false;
}

ResponseCaching::ResponseCaching(cache::ResponseCache* cache, cache::CacheMetrics* metrics,
                                 ModelIdentity model)
    : cache_(cache), metrics_(metrics), model_(std::move(model)) {}

std::optional<cache::CacheKey> ResponseCaching::key_for(const Request& request,
                                                        std::string_view route,
                                                        const api::GenerationRequest& generation,
                                                        const nlohmann::json& identity) const {
    if (cache_ == nullptr || !api::is_deterministic(generation) || opts_out_of_cache(request)) {
        return std::nullopt;
    }
    const nlohmann::json key = {{"route", route},
                                {"model", model_.id},
                                {"model_version", model_.version},
                                {"request", identity}};
    return cache::CacheKey::of(key.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void ResponseCaching::generate(const std::shared_ptr<Exchange>& exchange,
                               std::optional<cache::CacheKey> key, Scheduler& scheduler,
                               ServingMetrics& metrics, GenerationPlan plan,
                               GenerationFormat format) {
    if (!key) {
        exchange->set_header(kCacheHeader, "bypass");
        run_generation(exchange, scheduler, metrics, std::move(plan), std::move(format));
        return;
    }
    // The lookup may answer on another thread, after this handler has returned.
    auto work = std::make_shared<std::pair<GenerationPlan, GenerationFormat>>(std::move(plan),
                                                                              std::move(format));
    cache_->lookup(*key, [this, exchange, key = *key, &scheduler, &metrics,
                          work](cache::CacheLookup found) {
        auto& [plan, format] = *work;
        std::optional<api::RecordedAnswer> answer;
        if (found.outcome == cache::CacheOutcome::Hit) {
            answer = api::decode_recorded_answer(found.value);
            if (!answer || static_cast<int>(answer->size()) != plan.choice_count()) {
                spdlog::warn("{}: a cached answer could not be read; generating it again",
                             plan.request_id);
                answer.reset();
                found.outcome = cache::CacheOutcome::Miss;
            }
        }
        metrics_->looked_up(found.outcome);
        if (answer) {
            exchange->set_header(kCacheHeader, "hit");
            replay(exchange, format, *answer, plan.stream);
            return;
        }
        if (found.outcome == cache::CacheOutcome::Unavailable) {
            exchange->set_header(kCacheHeader, "bypass");
            run_generation(exchange, scheduler, metrics, std::move(plan), std::move(format));
            return;
        }
        exchange->set_header(kCacheHeader, "miss");
        GenerationFormat recorded = recording(
            std::move(format), plan.choice_count(), [this, key](const api::RecordedAnswer& done) {
                cache_->store(key, api::encode_recorded_answer(done));
            });
        run_generation(exchange, scheduler, metrics, std::move(plan), std::move(recorded));
    });
}

}  // namespace assistd::server

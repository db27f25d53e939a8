#include "api/response_meta.h"

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <random>

namespace assistd::api {

namespace {

constexpr std::string_view kServerVersion = "assistd 0.1";

std::string random_suffix(size_t length) {
    static constexpr std::string_view kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    thread_local std::mt19937_64 generator{std::random_device{}()};
    std::uniform_int_distribution<size_t> pick(0, kAlphabet.size() - 1);
    std::string suffix(length, ' ');
    for (char& c : suffix) c = kAlphabet[pick(generator)];
    return suffix;
}

ResponseMeta new_meta(std::string_view prefix, std::string model) {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    std::string fingerprint = system_fingerprint(model);
    return {.id = random_id(prefix),
            .created = std::chrono::duration_cast<std::chrono::seconds>(now).count(),
            .model = std::move(model),
            .system_fingerprint = std::move(fingerprint)};
}

}  // namespace

std::string random_id(std::string_view prefix, size_t length) {
    return std::string(prefix) + random_suffix(length);
}

ResponseMeta new_chat_meta(std::string model) {
    return new_meta("chatcmpl-", std::move(model));
}

ResponseMeta new_completion_meta(std::string model) {
    return new_meta("cmpl-", std::move(model));
}

nlohmann::json response_head(const ResponseMeta& meta, std::string_view object) {
    return {{"id", meta.id},
            {"object", object},
            {"created", meta.created},
            {"model", meta.model},
            {"system_fingerprint", meta.system_fingerprint}};
}

std::string system_fingerprint(std::string_view model) {
    // FNV-1a: stable across runs and builds, unlike std::hash.
    uint64_t hash = 14695981039346656037ull;
    auto mix = [&hash](std::string_view text) {
        for (unsigned char c : text) hash = (hash ^ c) * 1099511628211ull;
    };
    mix(kServerVersion);
    mix(model);
    char digits[17];
    std::snprintf(digits, sizeof digits, "%016llx", static_cast<unsigned long long>(hash));
    return "fp_" + std::string(digits, 10);
}

}  // namespace assistd::api

#include "server/response_caching.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/request_identity.h"
#include "cache/memory_cache.h"

namespace assistd::server {
namespace {

const api::RequestLimits kLimits{.model_id = "stories",
                                 .n_vocab = 512,
                                 .n_ctx = 512,
                                 .max_n = 4,
                                 .max_tokens_limit = 256,
                                 .default_max_tokens = 0};

class ResponseCachingTest : public ::testing::Test {
  protected:
    ops::MetricsRegistry registry;
    cache::CacheMetrics metrics{registry};
    cache::MemoryCache memory{{}};

    // The key of a chat request with this body, served by a model of this version.
    std::optional<cache::CacheKey> chat_key(const std::string& body,
                                            const std::string& version = "v1",
                                            const Request& request = {}) {
        api::ApiResult<api::ChatRequest> chat = api::parse_chat_request(body, kLimits);
        EXPECT_TRUE(chat.ok()) << body;
        ResponseCaching caching(&memory, &metrics, {"stories", version});
        return caching.key_for(request, "/v1/chat/completions", chat->generation,
                               api::request_identity(*chat));
    }
};

TEST_F(ResponseCachingTest, KeyOrderWhitespaceStreamAndUserDoNotChangeTheKey) {
    auto a = chat_key(
        R"({"model":"stories","messages":[{"role":"user","content":"Hi"}],"temperature":0})");
    auto b = chat_key(R"({ "temperature": 0.0, "user": "alice", "stream": true,
        "stream_options": {"include_usage": true},
        "messages": [ {"content": "Hi", "role": "user"} ], "model": "stories" })");
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->text, b->text);
    EXPECT_EQ(a->digest, b->digest);
}

TEST_F(ResponseCachingTest, ADefaultGivenExplicitlyIsTheSameRequest) {
    auto a = chat_key(R"({"model":"stories","messages":[{"role":"user","content":"Hi"}],
                          "temperature":0})");
    auto b = chat_key(R"({"model":"stories","messages":[{"role":"user","content":"Hi"}],
                          "temperature":0,"top_p":1,"n":1,"presence_penalty":0})");
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->text, b->text);
}

TEST_F(ResponseCachingTest, WhatChangesTheAnswerChangesTheKey) {
    const std::string base = R"("model":"stories","messages":[{"role":"user","content":"Hi"}])";
    auto greedy = chat_key("{" + base + R"(,"temperature":0})");
    auto seeded = chat_key("{" + base + R"(,"seed":7})");
    auto other_seed = chat_key("{" + base + R"(,"seed":8})");
    auto seeded_hot = chat_key("{" + base + R"(,"seed":7,"temperature":0.5})");
    auto other_text = chat_key(R"({"model":"stories","messages":[{"role":"user","content":"Ho"}],
                                   "temperature":0})");
    auto new_model = chat_key("{" + base + R"(,"temperature":0})", "v2");
    auto logprobs = chat_key("{" + base + R"(,"temperature":0,"logprobs":true})");
    auto longer = chat_key("{" + base + R"(,"temperature":0,"max_tokens":9})");
    auto json =
        chat_key("{" + base + R"(,"temperature":0,"response_format":{"type":"json_object"}})");
    auto schema = chat_key("{" + base + R"(,"temperature":0,"response_format":{"type":"json_schema",
        "json_schema":{"name":"n","schema":{"type":"object","properties":{"a":{"type":"integer"}}}}}})");
    std::vector<std::optional<cache::CacheKey>> keys = {
        greedy,    seeded,   other_seed, seeded_hot, other_text,
        new_model, logprobs, longer,     json,       schema};
    for (size_t i = 0; i < keys.size(); ++i) {
        ASSERT_TRUE(keys[i]) << i;
        for (size_t j = i + 1; j < keys.size(); ++j) {
            EXPECT_NE(keys[i]->text, keys[j]->text) << i << " vs " << j;
            EXPECT_NE(keys[i]->digest, keys[j]->digest) << i << " vs " << j;
        }
    }
}

TEST_F(ResponseCachingTest, SampledRequestsWithoutASeedBypass) {
    const std::string base = R"("model":"stories","messages":[{"role":"user","content":"Hi"}])";
    EXPECT_FALSE(chat_key("{" + base + "}"));  // temperature 1 by default
    EXPECT_FALSE(chat_key("{" + base + R"(,"temperature":0.7,"n":3})"));
    EXPECT_TRUE(chat_key("{" + base + R"(,"temperature":0.7,"n":3,"seed":1})"));
    EXPECT_TRUE(chat_key("{" + base + R"(,"temperature":0,"n":3})"));
}

TEST_F(ResponseCachingTest, CacheControlNoCacheOrNoStoreOptsOut) {
    const std::string body =
        R"({"model":"stories","messages":[{"role":"user","content":"Hi"}],"temperature":0})";
    for (const char* value : {"no-cache", "No-Store", "max-age=0, no-store", "private,no-cache"}) {
        Request request;
        request.set(http::field::cache_control, value);
        EXPECT_TRUE(opts_out_of_cache(request)) << value;
        EXPECT_FALSE(chat_key(body, "v1", request)) << value;
    }
    Request other;
    other.set(http::field::cache_control, "max-age=60");
    EXPECT_FALSE(opts_out_of_cache(other));
    EXPECT_TRUE(chat_key(body, "v1", other));
}

TEST_F(ResponseCachingTest, NoCacheMeansEveryRequestBypasses) {
    api::ApiResult<api::ChatRequest> chat = api::parse_chat_request(
        R"({"model":"stories","messages":[{"role":"user","content":"Hi"}],"temperature":0})",
        kLimits);
    ResponseCaching caching(nullptr, &metrics, {"stories", "v1"});
    EXPECT_FALSE(caching.key_for({}, "/v1/chat/completions", chat->generation,
                                 api::request_identity(*chat)));
}

}  // namespace
}  // namespace assistd::server

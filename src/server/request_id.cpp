#include "server/request_id.h"

#include <algorithm>
#include <cctype>
#include <random>

namespace assistd::server {

bool is_sane_request_id(std::string_view id) {
    constexpr size_t kMaxLength = 64;
    return !id.empty() && id.size() <= kMaxLength && std::all_of(id.begin(), id.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
               c == ':';
    });
}

std::string new_request_id() {
    static constexpr std::string_view kAlphabet =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    thread_local std::mt19937_64 generator{std::random_device{}()};
    std::uniform_int_distribution<size_t> pick(0, kAlphabet.size() - 1);
    std::string id = "req_";
    for (int i = 0; i < 24; ++i) id += kAlphabet[pick(generator)];
    return id;
}

}  // namespace assistd::server

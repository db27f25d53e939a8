// ApiResult<T>: a value or the ApiError to answer with — Result<T> (common/result.h) for the API
// layer, whose errors carry an HTTP status and OpenAI's error fields besides the message.
#pragma once

#include <cassert>
#include <optional>
#include <utility>

#include "api/api_error.h"

namespace assistd::api {

template <typename T>
class [[nodiscard]] ApiResult {
  public:
    ApiResult(T value) : value_(std::move(value)) {}
    ApiResult(ApiError error) : error_(std::move(error)) {}

    bool ok() const { return value_.has_value(); }
    explicit operator bool() const { return ok(); }

    // Only when ok(): the optional asserts so in debug builds.
    T& operator*() { return *value_; }
    const T& operator*() const { return *value_; }
    T* operator->() { return &*value_; }
    const T* operator->() const { return &*value_; }

    const ApiError& error() const {
        assert(!ok());
        return error_;
    }

  private:
    std::optional<T> value_;
    ApiError error_;
};

// For checks that produce nothing: an empty optional is success.
using ApiCheck = std::optional<ApiError>;

}  // namespace assistd::api

#include "support/shared_data.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace assistd::testing {

std::filesystem::path shared_path(std::string_view relative) {
    const char* env = std::getenv("ASSISTD_SHARED_DIR");
    std::filesystem::path root = env != nullptr ? env : ASSISTD_SHARED_DIR;
    std::filesystem::path path = root / relative;
    EXPECT_TRUE(std::filesystem::exists(path)) << "missing shared test data: " << path;
    return path;
}

}  // namespace assistd::testing

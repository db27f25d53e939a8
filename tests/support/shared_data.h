// Where tests find the shared models and audio (never committed to the repository).
#pragma once

#include <filesystem>
#include <string_view>

namespace assistd::testing {

// Path of `relative` under ../shared (or $ASSISTD_SHARED_DIR); fails the test when absent.
std::filesystem::path shared_path(std::string_view relative);

}  // namespace assistd::testing

// The chat template fixtures (tests/engine/chat/fixtures, written by make_fixtures.py): what
// jinja2 rendered for each shared template, and the conversations it rendered.
#pragma once

#include <ctime>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace assistd::testing {

std::string read_text_file(const std::filesystem::path& path);

// conversations.json ("conversations") or a template's fixture (its file stem).
nlohmann::ordered_json read_chat_fixture(std::string_view name);

// The stems of every template's fixture, sorted.
std::vector<std::string> chat_fixture_templates();

// The instant make_fixtures.py froze strftime_now at (conversations.json "now").
std::tm chat_fixture_now(const nlohmann::ordered_json& conversations);

// A template name as a GoogleTest parameter name (letters and digits, the rest '_').
std::string template_test_name(const ::testing::TestParamInfo<std::string>& info);

}  // namespace assistd::testing

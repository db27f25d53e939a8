#include "support/chat_fixtures.h"

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <sstream>

namespace assistd::testing {

namespace {

const std::filesystem::path kFixtures = ASSISTD_CHAT_FIXTURES_DIR;

}  // namespace

std::string read_text_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

nlohmann::ordered_json read_chat_fixture(std::string_view name) {
    return nlohmann::ordered_json::parse(read_text_file(kFixtures / (std::string(name) + ".json")));
}

std::vector<std::string> chat_fixture_templates() {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(kFixtures)) {
        const std::string stem = entry.path().stem().string();
        if (stem != "conversations") names.push_back(stem);
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::tm chat_fixture_now(const nlohmann::ordered_json& conversations) {
    std::tm now{};
    std::istringstream(conversations["now"].get<std::string>()) >>
        std::get_time(&now, "%Y-%m-%dT%H:%M:%S");
    return now;
}

std::string template_test_name(const ::testing::TestParamInfo<std::string>& info) {
    std::string name = info.param;
    for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    }
    return name;
}

}  // namespace assistd::testing

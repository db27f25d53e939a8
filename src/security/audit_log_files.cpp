#include "security/audit_log_files.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <utility>

namespace assistd::security {
namespace {

namespace fs = std::filesystem;

// The rotation numbers present beside `path`, ascending, with their files.
std::vector<std::pair<unsigned long, std::string>> rotated_files(const std::string& path) {
    const fs::path active(path);
    const fs::path dir = active.has_parent_path() ? active.parent_path() : fs::path(".");
    const std::string prefix = active.filename().string() + ".";
    std::vector<std::pair<unsigned long, std::string>> found;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (!name.starts_with(prefix) || name.size() == prefix.size()) continue;
        const std::string number = name.substr(prefix.size());
        if (number.size() > 9 || !std::all_of(number.begin(), number.end(),
                                              [](unsigned char c) { return std::isdigit(c); })) {
            continue;
        }
        const fs::path file = active.has_parent_path() ? dir / name : fs::path(name);
        found.emplace_back(std::stoul(number), file.string());
    }
    std::sort(found.begin(), found.end());
    return found;
}

}  // namespace

std::vector<std::string> audit_log_files(const std::string& path) {
    std::vector<std::string> files;
    for (auto& [number, file] : rotated_files(path)) files.push_back(std::move(file));
    files.push_back(path);
    return files;
}

std::string next_rotated_audit_file(const std::string& path) {
    const auto rotated = rotated_files(path);
    const unsigned long next = rotated.empty() ? 1 : rotated.back().first + 1;
    char number[32];
    std::snprintf(number, sizeof number, "%06lu", next);
    return path + "." + number;
}

}  // namespace assistd::security

#include "store/backup/archive_path.h"

namespace assistd::store {

bool is_safe_archive_path(std::string_view path) {
    if (path.empty() || path.size() > 1024 || path.front() == '/') return false;
    size_t start = 0;
    while (start <= path.size()) {
        size_t end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        const std::string_view part = path.substr(start, end - start);
        if (part.empty() || part == "." || part == "..") return false;
        for (const char c : part) {
            if (static_cast<unsigned char>(c) < 0x20 || c == '\\' || c == 0x7f) return false;
        }
        start = end + 1;
    }
    return true;
}

}  // namespace assistd::store

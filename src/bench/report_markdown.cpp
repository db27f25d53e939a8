// The markdown half of report.h.
#include <algorithm>
#include <cstdio>
#include <optional>
#include <sstream>

#include "bench/report.h"

namespace assistd::bench {
namespace {

struct Column {
    std::string header;
    bool right_aligned;
};

std::string printf_string(const char* format, double a, double b = 0.0) {
    char text[64];
    std::snprintf(text, sizeof text, format, a, b);
    return text;
}

// llama-bench switches units at 1 GiB and 1 B parameters.
std::string size_cell(uint64_t bytes) {
    const double b = static_cast<double>(bytes);
    return b < 1024.0 * 1024 * 1024 ? printf_string("%.2f MiB", b / (1024.0 * 1024))
                                    : printf_string("%.2f GiB", b / (1024.0 * 1024 * 1024));
}

std::string params_cell(uint64_t n_params) {
    const double n = static_cast<double>(n_params);
    return n < 1e9 ? printf_string("%.2f M", n / 1e6) : printf_string("%.2f B", n / 1e9);
}

std::vector<std::string> row_cells(const ModelProfile& model, const TestResult& row) {
    const std::optional<double> bound = row.bound_ts();
    const std::optional<double> fraction = row.bound_fraction();
    return {model.type,
            size_cell(model.size_bytes),
            params_cell(model.n_params),
            "CPU",
            std::to_string(row.shape.n_threads),
            row.shape.name(),
            printf_string("%.2f ± %.2f", row.avg_ts(), row.stddev_ts()),
            bound ? printf_string("%.2f", *bound) : "",
            fraction ? printf_string("%.0f %%", 100.0 * *fraction) : ""};
}

// Columns the text takes in a terminal: "±" is two bytes but one column.
size_t display_width(const std::string& text) {
    size_t columns = 0;
    for (unsigned char c : text) columns += (c & 0xC0) != 0x80;
    return columns;
}

std::string pad(const std::string& text, size_t width, bool right_aligned) {
    const size_t columns = display_width(text);
    const std::string fill(width > columns ? width - columns : 0, ' ');
    return right_aligned ? fill + text : text + fill;
}

}  // namespace

std::string format_markdown_table(const ModelProfile& model, const std::vector<TestResult>& rows) {
    const std::vector<Column> columns = {
        {"model", false},   {"size", true},      {"params", true},
        {"backend", false}, {"threads", true},   {"test", true},
        {"t/s", true},      {"bound t/s", true}, {"of bound", true}};
    std::vector<std::vector<std::string>> cells;
    for (const TestResult& row : rows) cells.push_back(row_cells(model, row));
    std::vector<size_t> widths;
    for (size_t c = 0; c < columns.size(); ++c) {
        size_t width = columns[c].header.size();
        for (const auto& line : cells) width = std::max(width, display_width(line[c]));
        widths.push_back(width);
    }

    std::ostringstream out;
    out << '|';
    for (size_t c = 0; c < columns.size(); ++c) {
        out << ' ' << pad(columns[c].header, widths[c], columns[c].right_aligned) << " |";
    }
    out << "\n|";
    for (size_t c = 0; c < columns.size(); ++c) {
        const bool right = columns[c].right_aligned;
        out << ' ' << std::string(widths[c] - (right ? 1 : 0), '-') << (right ? ":" : "") << " |";
    }
    out << '\n';
    for (const auto& line : cells) {
        out << '|';
        for (size_t c = 0; c < columns.size(); ++c) {
            out << ' ' << pad(line[c], widths[c], columns[c].right_aligned) << " |";
        }
        out << '\n';
    }
    return out.str();
}

}  // namespace assistd::bench

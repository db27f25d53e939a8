#include "ops/metrics_merge.h"

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <unordered_map>

#include "ops/metrics.h"

namespace assistd::ops {
namespace {

enum class Combine { Sum, Min, Max, Mean };

Combine combine_for(const std::string& family) {
    if (family == "process_start_time_seconds") return Combine::Min;
    if (family == "assistd_model_load_seconds") return Combine::Max;
    if (family.ends_with("_perc")) return Combine::Mean;
    return Combine::Sum;
}

struct Series {
    std::string name_and_labels;
    double value = 0;
    int processes = 0;
};

struct Family {
    std::string help_line;
    std::string type_line;
    Combine combine = Combine::Sum;
    std::vector<Series> series;
    std::unordered_map<std::string, size_t> index;

    void add(const std::string& name_and_labels, double value) {
        auto [at, added] = index.try_emplace(name_and_labels, series.size());
        if (added) series.push_back({name_and_labels, value, 0});
        Series& sample = series[at->second];
        if (sample.processes > 0) {
            switch (combine) {
                case Combine::Sum:
                case Combine::Mean:
                    sample.value += value;
                    break;
                case Combine::Min:
                    sample.value = std::min(sample.value, value);
                    break;
                case Combine::Max:
                    sample.value = std::max(sample.value, value);
                    break;
            }
        }
        ++sample.processes;
    }
    double value_of(const Series& sample) const {
        return combine == Combine::Mean ? sample.value / sample.processes : sample.value;
    }
};

class Merger {
  public:
    void add_text(const std::string& text) {
        std::istringstream lines(text);
        Family* current = nullptr;
        for (std::string line; std::getline(lines, line);) {
            if (line.empty()) continue;
            if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) {
                const std::string name = line.substr(7, line.find(' ', 7) - 7);
                current = &family(name);
                std::string& kept = line[2] == 'H' ? current->help_line : current->type_line;
                if (kept.empty()) kept = line;
                continue;
            }
            if (line.starts_with('#')) continue;
            const size_t space = line.rfind(' ');
            if (space == std::string::npos) continue;
            const std::string name_and_labels = line.substr(0, space);
            if (current == nullptr) {
                current = &family(name_and_labels.substr(0, name_and_labels.find('{')));
            }
            current->add(name_and_labels, std::strtod(line.c_str() + space + 1, nullptr));
        }
    }

    std::string text() const {
        std::string out;
        for (const Family& family : families_) {
            if (!family.help_line.empty()) out += family.help_line + "\n";
            if (!family.type_line.empty()) out += family.type_line + "\n";
            for (const Series& sample : family.series) {
                out += sample.name_and_labels + " " + format_value(family.value_of(sample)) + "\n";
            }
        }
        return out;
    }

  private:
    Family& family(const std::string& name) {
        auto [at, added] = index_.try_emplace(name, families_.size());
        if (added) {
            families_.emplace_back();
            families_.back().combine = combine_for(name);
        }
        return families_[at->second];
    }

    std::vector<Family> families_;  // in the order they first appear
    std::unordered_map<std::string, size_t> index_;
};

}  // namespace

std::string merge_metric_texts(const std::vector<std::string>& texts) {
    Merger merger;
    for (const std::string& text : texts) merger.add_text(text);
    return merger.text();
}

}  // namespace assistd::ops

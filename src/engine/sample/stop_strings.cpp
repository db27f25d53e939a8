#include "engine/sample/stop_strings.h"

#include <algorithm>
#include <utility>

namespace assistd {
namespace {

bool is_continuation(unsigned char byte) {
    return (byte & 0xC0) == 0x80;
}

// Length of a UTF-8 sequence from its lead byte; 1 for ASCII and for bytes that cannot lead.
size_t sequence_length(unsigned char lead) {
    if ((lead & 0xE0) == 0xC0) return 2;
    if ((lead & 0xF0) == 0xE0) return 3;
    if ((lead & 0xF8) == 0xF0) return 4;
    return 1;
}

// How many bytes at the end of text form the start of a character whose remaining bytes have not
// arrived yet. Invalid sequences are not held: waiting would not complete them.
size_t unfinished_character(std::string_view text) {
    const size_t look_back = std::min<size_t>(text.size(), 3);
    for (size_t tail = 1; tail <= look_back; ++tail) {
        const auto byte = static_cast<unsigned char>(text[text.size() - tail]);
        if (is_continuation(byte)) continue;
        return sequence_length(byte) > tail ? tail : 0;
    }
    return 0;
}

}  // namespace

StopStrings::StopStrings(std::vector<std::string> stops) : stops_(std::move(stops)) {
    std::erase_if(stops_, [](const std::string& stop) { return stop.empty(); });
}

StopStrings::Step StopStrings::push(std::string_view piece) {
    if (stopped_) return {"", true};
    pending_.append(piece);

    size_t match = std::string::npos;
    for (const std::string& stop : stops_) match = std::min(match, pending_.find(stop));
    if (match != std::string::npos) {
        stopped_ = true;
        std::string text = pending_.substr(0, match);
        pending_.clear();
        return {std::move(text), true};
    }

    size_t release = pending_.size() - held_suffix();
    release -= unfinished_character(std::string_view(pending_).substr(0, release));
    std::string text = pending_.substr(0, release);
    pending_.erase(0, release);
    return {std::move(text), false};
}

std::string StopStrings::flush() {
    if (stopped_) return "";
    return std::exchange(pending_, std::string());
}

// The longest suffix of pending_ that is a proper prefix of some stop string: it may still grow
// into a match, so it cannot be released yet.
size_t StopStrings::held_suffix() const {
    size_t held = 0;
    for (const std::string& stop : stops_) {
        const size_t longest = std::min(stop.size() - 1, pending_.size());
        for (size_t length = longest; length > held; --length) {
            if (pending_.ends_with(std::string_view(stop).substr(0, length))) {
                held = length;
                break;
            }
        }
    }
    return held;
}

}  // namespace assistd

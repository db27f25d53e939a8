// StopStrings: streams generated text through a set of stop strings.
//
// Text that may be the beginning of a stop string is held back until it is known not to be; on a
// match, the text before the stop string is released and generation must stop (the stop string
// itself is never released, as in OpenAI's API). Works on bytes, but never splits a UTF-8
// character in what it releases: the bytes of an unfinished character wait for the rest.
//
//   StopStrings stops({"\nUser:"});
//   for each piece: auto step = stops.push(piece); send(step.text); if (step.stopped) break;
//   at the end (EOG, max tokens): send(stops.flush());
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace assistd {

class StopStrings {
  public:
    // Empty stop strings are ignored (they would stop before the first byte).
    explicit StopStrings(std::vector<std::string> stops);

    struct Step {
        std::string text;  // safe to emit now
        bool stopped;      // a stop string matched: emit text, then end generation
    };

    // Feeds the next piece of text. After a stop, further pieces release nothing.
    Step push(std::string_view piece);

    // End of generation: releases what was held back (nothing after a stop).
    std::string flush();

    bool stopped() const { return stopped_; }

  private:
    size_t held_suffix() const;

    std::vector<std::string> stops_;
    std::string pending_;  // received, not yet released
    bool stopped_ = false;
};

}  // namespace assistd

#include "engine/sample/penalties.h"

#include <cassert>

namespace assistd {

void apply_penalties(std::span<Candidate> candidates, const TokenHistory& history,
                     const SamplerParams& params) {
    for (int32_t token : history.distinct()) {
        assert(static_cast<size_t>(token) < candidates.size());
        Candidate& candidate = candidates[static_cast<size_t>(token)];
        assert(candidate.id == token);
        const int32_t count = history.count(token);
        if (candidate.logit <= 0.0f) {
            candidate.logit *= params.repeat_penalty;
        } else {
            candidate.logit /= params.repeat_penalty;
        }
        candidate.logit -=
            params.frequency_penalty * static_cast<float>(count) + params.presence_penalty;
    }
}

}  // namespace assistd

#include "core/sealing/post_prover.h"

#include "core/util/assert.h"
#include "core/util/limits.h"

namespace minerx::sealing {

WinningPoStProver::WinningPoStProver(const HardwareProfile& profile)
    : min_ms_(profile.winning_post_min_ms),
      max_ms_(profile.winning_post_max_ms),
      failure_probability_(profile.winning_post_failure_probability) {
    MINERX_ASSERT(!profile_error(profile));
}

PoStAnswer WinningPoStProver::answer_challenge(TimeMs requested_ms, util::Random& random) const {
    const TimeMs duration_ms = uniform_duration_ms(min_ms_, max_ms_, random);
    const bool failed = random.bernoulli(failure_probability_);
    return PoStAnswer{util::saturating_add(requested_ms, duration_ms), !failed};
}

WindowPoStProver::WindowPoStProver(const HardwareProfile& profile)
    : min_ms_per_partition_(profile.window_post_min_ms_per_partition),
      max_ms_per_partition_(profile.window_post_max_ms_per_partition),
      failure_probability_(profile.window_post_failure_probability) {
    MINERX_ASSERT(!profile_error(profile));
}

std::vector<PoStAnswer> WindowPoStProver::prove_partitions(TimeMs start_ms,
                                                           std::int64_t partitions,
                                                           util::Random& random) const {
    MINERX_ASSERT(partitions >= 0);
    std::vector<PoStAnswer> answers;
    answers.reserve(static_cast<std::size_t>(partitions));
    TimeMs ready_ms = start_ms;
    for (std::int64_t i = 0; i < partitions; ++i) {
        ready_ms = util::saturating_add(
            ready_ms, uniform_duration_ms(min_ms_per_partition_, max_ms_per_partition_, random));
        const bool failed = random.bernoulli(failure_probability_);
        answers.push_back(PoStAnswer{ready_ms, !failed});
    }
    return answers;
}

}  // namespace minerx::sealing

#pragma once

// How long a member's provers take to answer, drawn from its hardware profile.
//
// WinningPoSt: when the pool's block producer finds that a member won, it asks the member's
// prover for the WinningPoSt proof of one challenged sector; the proof takes 1-10 s on commodity
// hardware (damocles docs/en/12.damocles-worker-config-guide.md). The block producer's driver
// draws the answer time here and compares it with its propagation-cutoff deadline.
//
// WindowPoSt: at a deadline's challenge epoch the member proves its due partitions one after
// another (4-10 min each on the reference hardware); the driver submits each proof when ready, and
// a proof not landed by the deadline's close leaves the partition faulty (WindowPoStSchedule).
//
// Both are pure functions of the profile and the Random passed in.

#include <cstdint>
#include <vector>

#include "core/sealing/hardware_profile.h"
#include "core/util/random.h"

namespace minerx::sealing {

struct PoStAnswer {
    TimeMs ready_ms = 0;     // when the proof (or the failure) is known
    bool succeeded = true;   // false: no proof was produced
    friend bool operator==(const PoStAnswer&, const PoStAnswer&) = default;
};

class WinningPoStProver {
public:
    // REQUIRES: !profile_error(profile).
    explicit WinningPoStProver(const HardwareProfile& profile);

    // The answer to a challenge received at requested_ms: duration uniform in the profile's
    // range, then failure with its probability (draws in that order).
    PoStAnswer answer_challenge(TimeMs requested_ms, util::Random& random) const;

private:
    TimeMs min_ms_;
    TimeMs max_ms_;
    double failure_probability_;
};

class WindowPoStProver {
public:
    // REQUIRES: !profile_error(profile).
    explicit WindowPoStProver(const HardwareProfile& profile);

    // Proves `partitions` partitions one after another from start_ms: answer i is ready when
    // the first i + 1 proofs are done. REQUIRES: partitions >= 0.
    std::vector<PoStAnswer> prove_partitions(TimeMs start_ms, std::int64_t partitions,
                                             util::Random& random) const;

private:
    TimeMs min_ms_per_partition_;
    TimeMs max_ms_per_partition_;
    double failure_probability_;
};

}  // namespace minerx::sealing

#include "core/sealing/window_post_deadlines.h"

#include "core/util/assert.h"

namespace minerx::sealing {
namespace {

chain::ChainEpoch floor_mod(chain::ChainEpoch value, chain::ChainEpoch modulus) {
    const chain::ChainEpoch remainder = value % modulus;
    return remainder < 0 ? remainder + modulus : remainder;
}

}  // namespace

DeadlineInfo deadline_info(chain::ChainEpoch period_start, std::int64_t index) {
    MINERX_ASSERT(0 <= index && index < kWPoStPeriodDeadlines);
    DeadlineInfo info;
    info.period_start = period_start;
    info.index = index;
    info.open = period_start + index * kWPoStChallengeWindow;
    info.close = info.open + kWPoStChallengeWindow;
    info.challenge = info.open - kWPoStChallengeLookback;
    info.fault_cutoff = info.open - kFaultDeclarationCutoff;
    return info;
}

chain::ChainEpoch current_period_start(chain::ChainEpoch epoch, chain::ChainEpoch offset) {
    MINERX_ASSERT(0 <= offset && offset < kWPoStProvingPeriod);
    return epoch - floor_mod(epoch - offset, kWPoStProvingPeriod);
}

DeadlineInfo current_deadline(chain::ChainEpoch epoch, chain::ChainEpoch offset) {
    const chain::ChainEpoch period_start = current_period_start(epoch, offset);
    return deadline_info(period_start, (epoch - period_start) / kWPoStChallengeWindow);
}

DeadlineInfo next_deadline_not_elapsed(chain::ChainEpoch epoch, chain::ChainEpoch offset,
                                       std::int64_t index) {
    DeadlineInfo info = deadline_info(current_period_start(epoch, offset), index);
    if (info.has_elapsed(epoch)) {
        info = deadline_info(info.period_start + kWPoStProvingPeriod, index);
    }
    MINERX_ASSERT(!info.has_elapsed(epoch));
    return info;
}

bool deadline_is_mutable(chain::ChainEpoch epoch, chain::ChainEpoch offset, std::int64_t index) {
    const DeadlineInfo next = next_deadline_not_elapsed(epoch, offset, index);
    return epoch < next.open - kWPoStChallengeWindow;
}

}  // namespace minerx::sealing

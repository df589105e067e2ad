#include "core/sealing/sealing_types.h"

#include "core/util/assert.h"

namespace minerx::sealing {

std::string_view task_name(SealingTask task) {
    switch (task) {
        case SealingTask::kAddPiece: return "AddPiece";
        case SealingTask::kPreCommit1: return "PC1";
        case SealingTask::kPreCommit2: return "PC2";
        case SealingTask::kCommit1: return "C1";
        case SealingTask::kCommit2: return "C2";
    }
    util::assertion_failed("unknown SealingTask", __FILE__, __LINE__);
}

TimeMs uniform_duration_ms(TimeMs min_ms, TimeMs max_ms, util::Random& random) {
    MINERX_ASSERT(0 <= min_ms);
    MINERX_ASSERT(min_ms <= max_ms);
    const auto span = static_cast<std::uint64_t>(max_ms - min_ms) + 1;
    return min_ms + static_cast<TimeMs>(random.below(span));
}

}  // namespace minerx::sealing

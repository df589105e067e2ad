#pragma once

// The run's progress on stderr: a line redrawn in place on a terminal (simulated days, speed in
// simulated days per wall second, ETA), or one plain line per tenth of the run otherwise (logs
// and CI stay readable).

#include <cstdint>
#include <cstdio>

#include "sim/engine/sim_context.h"

namespace minerx::sim {

class ProgressLine {
public:
    explicit ProgressLine(std::FILE* out);
    void update(const Progress& progress);
    // Ends the redrawn line, if any.
    void finish();

private:
    std::FILE* out_;
    bool terminal_;
    std::int64_t last_tenth_ = -1;
    bool drawn_ = false;
};

}  // namespace minerx::sim

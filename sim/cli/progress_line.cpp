#include "sim/cli/progress_line.h"

#include <unistd.h>

namespace minerx::sim {

ProgressLine::ProgressLine(std::FILE* out) : out_(out), terminal_(isatty(fileno(out)) != 0) {}

void ProgressLine::update(const Progress& progress) {
    if (progress.days <= 0) return;
    const double fraction =
        static_cast<double>(progress.days_done) / static_cast<double>(progress.days);
    const double speed = progress.wall_seconds > 0
                             ? static_cast<double>(progress.days_done) / progress.wall_seconds
                             : 0.0;
    const double eta = speed > 0 ? static_cast<double>(progress.days - progress.days_done) / speed
                                 : 0.0;
    if (terminal_) {
        constexpr int kWidth = 30;
        const int filled = static_cast<int>(fraction * kWidth);
        std::fprintf(out_, "\r  [%.*s%*s] day %lld/%lld  %.1f sim-days/s  ETA %.0fs ", filled,
                     "##############################", kWidth - filled, "",
                     static_cast<long long>(progress.days_done),
                     static_cast<long long>(progress.days), speed, eta);
        std::fflush(out_);
        drawn_ = true;
        return;
    }
    const std::int64_t tenth = progress.days_done * 10 / progress.days;
    if (tenth == last_tenth_) return;
    last_tenth_ = tenth;
    std::fprintf(out_, "progress: day %lld/%lld (%.0f%%), %.1f sim-days/s, ETA %.0fs\n",
                 static_cast<long long>(progress.days_done), static_cast<long long>(progress.days),
                 100.0 * fraction, speed, eta);
    std::fflush(out_);
}

void ProgressLine::finish() {
    if (drawn_) std::fputc('\n', out_);
    drawn_ = false;
}

}  // namespace minerx::sim

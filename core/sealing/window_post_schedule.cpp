#include "core/sealing/window_post_schedule.h"

#include <algorithm>
#include <utility>

#include "core/util/assert.h"
#include "core/util/limits.h"

namespace minerx::sealing {
namespace {

std::int64_t partitions_holding(std::int64_t sectors, std::int64_t partition_sectors) {
    return (sectors + partition_sectors - 1) / partition_sectors;
}

// A deadline's load as deadline_assignment.go sees it.
struct DeadlineLoad {
    std::int64_t index = 0;
    std::int64_t live_sectors = 0;
    std::int64_t total_sectors = 0;
};

// Whether a new sector should go to deadline `a` rather than `b`: the order of the actors'
// deadlineAssignmentHeap (deadline_assignment.go Less), for one sector at a time.
bool assign_before(const DeadlineLoad& a, const DeadlineLoad& b, std::int64_t partition_sectors) {
    const std::int64_t max_sectors = partition_sectors * kMaxPartitionsPerDeadline;
    const bool a_at_max = a.total_sectors >= max_sectors;
    const bool b_at_max = b.total_sectors >= max_sectors;
    if (a_at_max != b_at_max) return !a_at_max;
    // Fewest partitions after compaction, then before compaction, counting the new sector.
    const std::int64_t a_compact = partitions_holding(a.live_sectors + 1, partition_sectors);
    const std::int64_t b_compact = partitions_holding(b.live_sectors + 1, partition_sectors);
    if (a_compact != b_compact) return a_compact < b_compact;
    const std::int64_t a_after = partitions_holding(a.total_sectors + 1, partition_sectors);
    const std::int64_t b_after = partitions_holding(b.total_sectors + 1, partition_sectors);
    if (a_after != b_after) return a_after < b_after;
    // Prefer filling an open partition, the fullest one first.
    const bool a_full = a.total_sectors % partition_sectors == 0;
    const bool b_full = b.total_sectors % partition_sectors == 0;
    if (a_full != b_full) return !a_full;
    if (!a_full && !b_full && a.total_sectors != b.total_sectors) {
        return a.total_sectors > b.total_sectors;
    }
    if (a.live_sectors != b.live_sectors) return a.live_sectors < b.live_sectors;
    return a.index < b.index;
}

DeadlineInfo following_deadline(const DeadlineInfo& info) {
    if (info.index + 1 < kWPoStPeriodDeadlines) {
        return deadline_info(info.period_start, info.index + 1);
    }
    return deadline_info(info.period_start + kWPoStProvingPeriod, 0);
}

}  // namespace

std::optional<std::string> window_post_config_error(const WindowPoStConfig& config) {
    if (config.proving_period_offset < 0 || config.proving_period_offset >= kWPoStProvingPeriod) {
        return std::string("proving_period_offset must be in [0, 2880)");
    }
    if (config.partition_sectors < 1) return std::string("partition_sectors must be >= 1");
    if (config.sector_size_bytes == 0) return std::string("sector_size_bytes must be > 0");
    if (config.fault_max_age_epochs < 1 ||
        config.fault_max_age_epochs > util::kMaxConfiguredEpochs) {
        return "fault_max_age_epochs must be in [1, " +
               std::to_string(util::kMaxConfiguredEpochs) + "] (100 years of epochs), got " +
               std::to_string(config.fault_max_age_epochs);
    }
    if (config.fault_fee_per_sector < 0) return std::string("fault_fee_per_sector must be >= 0");
    return std::nullopt;
}

WindowPoStSchedule::WindowPoStSchedule(WindowPoStConfig config, chain::ChainEpoch start_epoch)
    : config_(config),
      advanced_through_(start_epoch - 1),
      next_cron_(current_deadline(start_epoch, config.proving_period_offset)) {
    MINERX_ASSERT(!window_post_config_error(config_));
}

void WindowPoStSchedule::advance_to(chain::ChainEpoch epoch) {
    MINERX_ASSERT(epoch >= advanced_through_);
    while (next_cron_.last() <= epoch) {
        process_deadline_end(next_cron_);
        next_cron_ = following_deadline(next_cron_);
    }
    advanced_through_ = epoch;
}

std::vector<SectorAssignment> WindowPoStSchedule::add_sectors(std::int64_t count,
                                                              chain::ChainEpoch epoch,
                                                              SectorActivation activation) {
    MINERX_ASSERT(count >= 0);
    run_crons_before(epoch);
    std::vector<SectorAssignment> assignments;
    for (std::int64_t i = 0; i < count; ++i) {
        const PartitionRef ref = add_one_sector(choose_deadline(epoch), activation);
        if (!assignments.empty() && assignments.back().partition == ref) {
            ++assignments.back().sectors;
        } else {
            assignments.push_back(SectorAssignment{ref, 1});
        }
    }
    sectors_added_ += count;
    if (activation == SectorActivation::kActive) emit_power_change(epoch, count);
    return assignments;
}

ProofResult WindowPoStSchedule::submit_proof(PartitionRef ref, chain::ChainEpoch epoch) {
    run_crons_before(epoch);
    Partition* partition = find_partition(ref);
    if (partition == nullptr) return ProofResult::kNoSuchPartition;
    if (current_deadline(epoch, config_.proving_period_offset).index != ref.deadline) {
        return ProofResult::kDeadlineNotOpen;
    }
    if (partition->proven_this_window) return ProofResult::kAlreadyProven;
    partition->proven_this_window = true;
    std::int64_t activated = 0;
    std::int64_t recovered = 0;
    for (Cohort& cohort : partition->cohorts) {
        if (cohort.state == SectorState::kUnproven) {
            activated += cohort.sectors;
            cohort.state = SectorState::kActive;
        } else if (cohort.state == SectorState::kFaulty && cohort.recovering) {
            recovered += cohort.sectors;
            cohort = Cohort{cohort.sectors, SectorState::kActive, false, 0};
        }
    }
    merge_cohorts(*partition);
    events_.emplace_back(PartitionProven{epoch, ref, activated, recovered});
    emit_power_change(epoch, activated + recovered);
    return ProofResult::kAccepted;
}

RecoveryResult WindowPoStSchedule::declare_recovery(PartitionRef ref, chain::ChainEpoch epoch) {
    run_crons_before(epoch);
    Partition* partition = find_partition(ref);
    if (partition == nullptr) return RecoveryResult::kNoSuchPartition;
    const DeadlineInfo target =
        next_deadline_not_elapsed(epoch, config_.proving_period_offset, ref.deadline);
    if (target.fault_cutoff_passed(epoch)) return RecoveryResult::kFaultCutoffPassed;
    std::int64_t declared = 0;
    for (Cohort& cohort : partition->cohorts) {
        if (cohort.state == SectorState::kFaulty && !cohort.recovering) {
            cohort.recovering = true;
            declared += cohort.sectors;
        }
    }
    if (declared == 0) return RecoveryResult::kNothingToRecover;
    merge_cohorts(*partition);
    return RecoveryResult::kDeclared;
}

std::vector<WindowPoStEvent> WindowPoStSchedule::take_events() {
    std::vector<WindowPoStEvent> taken;
    taken.swap(events_);
    return taken;
}

std::vector<PartitionRef> WindowPoStSchedule::partitions_due(chain::ChainEpoch epoch) const {
    MINERX_ASSERT(next_cron_.last() >= epoch);  // the crons before `epoch` have run
    const std::int64_t index = current_deadline(epoch, config_.proving_period_offset).index;
    const Deadline& deadline = deadlines_[static_cast<std::size_t>(index)];
    std::vector<PartitionRef> due;
    for (std::size_t i = 0; i < deadline.partitions.size(); ++i) {
        const Partition& partition = deadline.partitions[i];
        const std::int64_t provable = count(partition, SectorState::kUnproven) +
                                      count(partition, SectorState::kActive) +
                                      count_recovering(partition);
        if (provable > 0 && !partition.proven_this_window) {
            due.push_back(PartitionRef{index, static_cast<std::int64_t>(i)});
        }
    }
    return due;
}

DeadlineInfo WindowPoStSchedule::deadline(std::int64_t index, chain::ChainEpoch epoch) const {
    return next_deadline_not_elapsed(epoch, config_.proving_period_offset, index);
}

chain::ChainEpoch WindowPoStSchedule::next_cron_epoch() const { return next_cron_.last(); }

std::int64_t WindowPoStSchedule::partition_count(std::int64_t deadline) const {
    MINERX_ASSERT(0 <= deadline && deadline < kWPoStPeriodDeadlines);
    return static_cast<std::int64_t>(
        deadlines_[static_cast<std::size_t>(deadline)].partitions.size());
}

std::int64_t WindowPoStSchedule::live_sectors() const {
    return count_all([](const Cohort&) { return true; });
}
std::int64_t WindowPoStSchedule::active_sectors() const {
    return count_all([](const Cohort& c) { return c.state == SectorState::kActive; });
}
std::int64_t WindowPoStSchedule::unproven_sectors() const {
    return count_all([](const Cohort& c) { return c.state == SectorState::kUnproven; });
}
std::int64_t WindowPoStSchedule::faulty_sectors() const {
    return count_all([](const Cohort& c) { return c.state == SectorState::kFaulty; });
}
std::int64_t WindowPoStSchedule::recovering_sectors() const {
    return count_all([](const Cohort& c) { return c.recovering; });
}

chain::StoragePower WindowPoStSchedule::active_power_bytes() const {
    return static_cast<chain::StoragePower>(active_sectors()) * config_.sector_size_bytes;
}

std::int64_t WindowPoStSchedule::count(const Partition& partition, SectorState state) {
    std::int64_t total = 0;
    for (const Cohort& cohort : partition.cohorts) {
        if (cohort.state == state) total += cohort.sectors;
    }
    return total;
}

std::int64_t WindowPoStSchedule::count_recovering(const Partition& partition) {
    std::int64_t total = 0;
    for (const Cohort& cohort : partition.cohorts) {
        if (cohort.recovering) total += cohort.sectors;
    }
    return total;
}

void WindowPoStSchedule::merge_cohorts(Partition& partition) {
    std::vector<Cohort> merged;
    for (const Cohort& cohort : partition.cohorts) {
        if (cohort.sectors == 0) continue;
        auto same = [&cohort](const Cohort& other) {
            return other.state == cohort.state && other.recovering == cohort.recovering &&
                   other.fault_expiration == cohort.fault_expiration;
        };
        auto it = std::find_if(merged.begin(), merged.end(), same);
        if (it == merged.end()) {
            merged.push_back(cohort);
        } else {
            it->sectors += cohort.sectors;
        }
    }
    partition.cohorts = std::move(merged);
}

template <class Predicate>
std::int64_t WindowPoStSchedule::count_all(Predicate predicate) const {
    std::int64_t total = 0;
    for (const Deadline& deadline : deadlines_) {
        for (const Partition& partition : deadline.partitions) {
            for (const Cohort& cohort : partition.cohorts) {
                if (predicate(cohort)) total += cohort.sectors;
            }
        }
    }
    return total;
}

void WindowPoStSchedule::run_crons_before(chain::ChainEpoch epoch) {
    MINERX_ASSERT(epoch > advanced_through_);
    advance_to(epoch - 1);
}

void WindowPoStSchedule::process_deadline_end(const DeadlineInfo& info) {
    Deadline& deadline = deadlines_[static_cast<std::size_t>(info.index)];
    if (deadline.partitions.empty()) return;
    const chain::ChainEpoch last_epoch = info.last();
    std::int64_t previously_faulty = 0;
    for (const Partition& partition : deadline.partitions) {
        previously_faulty += count(partition, SectorState::kFaulty);
    }
    math::Int128 sectors_delta = 0;
    for (std::size_t i = 0; i < deadline.partitions.size(); ++i) {
        Partition& partition = deadline.partitions[i];
        if (partition.proven_this_window) continue;
        const PartitionRef ref{info.index, static_cast<std::int64_t>(i)};
        sectors_delta += record_missed_post(partition, ref, last_epoch);
    }
    emit_power_change(last_epoch, sectors_delta);
    if (previously_faulty > 0) {
        const chain::AttoFil amount = config_.fault_fee_per_sector * previously_faulty;
        fees_charged_ += amount;
        events_.emplace_back(FaultFeeCharged{last_epoch, info.index, previously_faulty, amount});
    }
    expire_faulty_sectors(deadline, info.index, last_epoch);
    for (Partition& partition : deadline.partitions) partition.proven_this_window = false;
}

math::Int128 WindowPoStSchedule::record_missed_post(Partition& partition, PartitionRef ref,
                                                    chain::ChainEpoch last_epoch) {
    const std::int64_t active = count(partition, SectorState::kActive);
    const std::int64_t unproven = count(partition, SectorState::kUnproven);
    const std::int64_t faulty = count(partition, SectorState::kFaulty);
    const std::int64_t live = active + unproven + faulty;
    // As ProcessDeadlineEnd: a partition entirely faulty with nothing recovering has no change.
    if (live == 0 || (count_recovering(partition) == 0 && faulty == live)) return 0;
    for (Cohort& cohort : partition.cohorts) {
        if (cohort.state != SectorState::kFaulty) {
            cohort.state = SectorState::kFaulty;
            cohort.fault_expiration =
                util::saturating_add(last_epoch, config_.fault_max_age_epochs);
        }
        cohort.recovering = false;  // a declared recovery without a proof has failed
    }
    merge_cohorts(partition);
    if (active + unproven > 0) {
        events_.emplace_back(PartitionFaulted{last_epoch, ref, active + unproven});
    }
    // Unproven sectors never had power (RecordMissedPost: powerDelta excludes UnprovenPower).
    return -math::Int128{active};
}

void WindowPoStSchedule::expire_faulty_sectors(Deadline& deadline, std::int64_t index,
                                               chain::ChainEpoch last_epoch) {
    for (std::size_t i = 0; i < deadline.partitions.size(); ++i) {
        Partition& partition = deadline.partitions[i];
        std::int64_t expired = 0;
        for (Cohort& cohort : partition.cohorts) {
            if (cohort.state == SectorState::kFaulty && cohort.fault_expiration <= last_epoch) {
                expired += cohort.sectors;
                cohort.sectors = 0;
            }
        }
        if (expired == 0) continue;
        merge_cohorts(partition);
        deadline.live_sectors -= expired;
        terminated_sectors_ += expired;
        events_.emplace_back(
            SectorsTerminated{last_epoch, PartitionRef{index, static_cast<std::int64_t>(i)},
                              expired});
    }
}

std::int64_t WindowPoStSchedule::choose_deadline(chain::ChainEpoch epoch) const {
    std::optional<DeadlineLoad> best;
    for (std::int64_t index = 0; index < kWPoStPeriodDeadlines; ++index) {
        if (!deadline_is_mutable(epoch, config_.proving_period_offset, index)) continue;
        const Deadline& deadline = deadlines_[static_cast<std::size_t>(index)];
        const DeadlineLoad load{index, deadline.live_sectors, deadline.total_sectors};
        if (!best || assign_before(load, *best, config_.partition_sectors)) best = load;
    }
    MINERX_ASSERT(best.has_value());
    MINERX_ASSERT(best->total_sectors < config_.partition_sectors * kMaxPartitionsPerDeadline);
    return best->index;
}

PartitionRef WindowPoStSchedule::add_one_sector(std::int64_t deadline_index,
                                               SectorActivation activation) {
    Deadline& deadline = deadlines_[static_cast<std::size_t>(deadline_index)];
    if (deadline.partitions.empty() ||
        deadline.partitions.back().total_sectors >= config_.partition_sectors) {
        deadline.partitions.emplace_back();
    }
    Partition& partition = deadline.partitions.back();
    const SectorState state = activation == SectorActivation::kActive ? SectorState::kActive
                                                                      : SectorState::kUnproven;
    if (!partition.cohorts.empty() && partition.cohorts.back().state == state &&
        !partition.cohorts.back().recovering) {
        ++partition.cohorts.back().sectors;
    } else {
        partition.cohorts.push_back(Cohort{1, state, false, 0});
    }
    ++partition.total_sectors;
    ++deadline.total_sectors;
    ++deadline.live_sectors;
    return PartitionRef{deadline_index,
                        static_cast<std::int64_t>(deadline.partitions.size()) - 1};
}

WindowPoStSchedule::Partition* WindowPoStSchedule::find_partition(PartitionRef ref) {
    if (ref.deadline < 0 || ref.deadline >= kWPoStPeriodDeadlines) return nullptr;
    Deadline& deadline = deadlines_[static_cast<std::size_t>(ref.deadline)];
    const auto partitions = static_cast<std::int64_t>(deadline.partitions.size());
    if (ref.partition < 0 || ref.partition >= partitions) return nullptr;
    return &deadline.partitions[static_cast<std::size_t>(ref.partition)];
}

void WindowPoStSchedule::emit_power_change(chain::ChainEpoch epoch, math::Int128 sectors_delta) {
    if (sectors_delta == 0) return;
    const math::Int128 bytes = sectors_delta * static_cast<math::Int128>(config_.sector_size_bytes);
    events_.emplace_back(PowerChange{epoch, bytes, bytes});
}

}  // namespace minerx::sealing

#pragma once

// One miner's WindowPoSt duty as a state machine, following the miner actor of specs-actors v5
// (mid-2021 mainnet): actors/builtin/miner/{miner_actor.go (SubmitWindowedPoSt,
// DeclareFaultsRecovered, handleProvingDeadline), miner_state.go (AssignSectorsToDeadlines,
// AdvanceDeadline), deadline_state.go (ProcessDeadlineEnd), partition_state.go (RecordMissedPost,
// ActivateUnproven), deadline_assignment.go}. research/election.md §7.
//
// What it models, per sector count (sectors are interchangeable 32 GiB CC sectors, so a
// partition is a few cohorts of sectors in the same state rather than a bitfield):
//   - Assignment: each new sector goes to a deadline that is mutable at its landing epoch, chosen
//     by the actors' rule (fewest partitions after assignment, then fill an open partition, the
//     fullest one, then fewest live sectors, then lowest index), into the deadline's last
//     partition while it has room (partition_sectors, 2349 for 32 GiB), else a new partition.
//   - New sectors are unproven: their power joins the claim when their partition's next proof
//     lands (ActivateUnproven). A proof must land while the deadline is open.
//   - At a deadline's close (cron at its last epoch), every partition without a proof has its
//     unproven and active sectors marked faulty: the active ones' power is removed at once (the
//     unproven never had any); failed recoveries stay faulty. Newly faulty sectors pay nothing,
//     but the sectors of the deadline that were already faulty pay fault_fee_per_sector each.
//     Then sectors faulty for fault_max_age_epochs (14 days in 2021) are terminated.
//   - Recovery: declare_recovery before the deadline's fault cutoff (open - 70), then a proof in
//     that deadline restores the power at the proof's epoch.
// Not modelled: sector expiration at the end of its commitment, declared (as opposed to detected)
// faults, skipped sectors inside a proof, disputes, compaction, termination fees.
//
// Time contract (the PowerTable's): an event passed with epoch e happens during epoch e, before
// e's crons; advance_to(e) runs the crons of every deadline whose last epoch is <= e. Each entry
// point first runs the crons before its epoch. Power changes carry the epoch whose executed state
// first includes them, ready for chain::PowerTable::add_to_claim.
//
// Outputs are queued and drained with take_events(). Invariants (tested): the sum of all
// PowerChange deltas equals active_power_bytes(); fees_charged() is the sum of FaultFeeCharged;
// live + terminated sectors == sectors added.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/chain/chain_types.h"
#include "core/chain/token_amount.h"
#include "core/math/int128.h"
#include "core/sealing/sealing_types.h"
#include "core/sealing/window_post_deadlines.h"

namespace minerx::sealing {

struct WindowPoStConfig {
    chain::ChainEpoch proving_period_offset = 0;  // [0, 2880)
    std::int64_t partition_sectors = kWindowPoStPartitionSectors32GiB;  // >= 1
    chain::StoragePower sector_size_bytes = kSectorSizeBytes;  // > 0; raw = QA (CC sectors)
    chain::ChainEpoch fault_max_age_epochs = kFaultMaxAge2021;  // [1, 100 years of epochs]
    // Charged per sector that is already faulty at each close of its deadline (so about once a
    // day); >= 0. See fault_fee.h for the actors' formula and an estimate.
    chain::AttoFil fault_fee_per_sector = 0;
};

// Why the configuration cannot be used (naming the field), or nullopt.
std::optional<std::string> window_post_config_error(const WindowPoStConfig& config);

struct PartitionRef {
    std::int64_t deadline = 0;
    std::int64_t partition = 0;
    friend bool operator==(const PartitionRef&, const PartitionRef&) = default;
};

struct SectorAssignment {
    PartitionRef partition;
    std::int64_t sectors = 0;
    friend bool operator==(const SectorAssignment&, const SectorAssignment&) = default;
};

// A change of the miner's claim (raw-byte and quality-adjusted, equal for CC sectors).
struct PowerChange {
    chain::ChainEpoch epoch = 0;
    math::Int128 raw_byte_delta = 0;
    math::Int128 quality_adj_delta = 0;
    friend bool operator==(const PowerChange&, const PowerChange&) = default;
};
struct PartitionProven {
    chain::ChainEpoch epoch = 0;
    PartitionRef partition;
    std::int64_t activated_sectors = 0;  // unproven sectors whose power now counts
    std::int64_t recovered_sectors = 0;  // declared recoveries that succeeded
    friend bool operator==(const PartitionProven&, const PartitionProven&) = default;
};
struct PartitionFaulted {
    chain::ChainEpoch epoch = 0;
    PartitionRef partition;
    std::int64_t newly_faulty_sectors = 0;
    friend bool operator==(const PartitionFaulted&, const PartitionFaulted&) = default;
};
struct FaultFeeCharged {
    chain::ChainEpoch epoch = 0;
    std::int64_t deadline = 0;
    std::int64_t faulty_sectors = 0;
    chain::AttoFil amount = 0;
    friend bool operator==(const FaultFeeCharged&, const FaultFeeCharged&) = default;
};
struct SectorsTerminated {
    chain::ChainEpoch epoch = 0;
    PartitionRef partition;
    std::int64_t sectors = 0;
    friend bool operator==(const SectorsTerminated&, const SectorsTerminated&) = default;
};

using WindowPoStEvent = std::variant<PowerChange, PartitionProven, PartitionFaulted,
                                     FaultFeeCharged, SectorsTerminated>;

enum class SectorActivation : std::uint8_t {
    kUnproven,  // a ProveCommit just landed: power counts from the first proof
    kActive,    // sectors that exist when the model starts: power counts at once
};

enum class ProofResult : std::uint8_t {
    kAccepted,
    kDeadlineNotOpen,  // the partition's deadline is not open at this epoch
    kNoSuchPartition,
    kAlreadyProven,  // this partition already has a proof in this challenge window
};

enum class RecoveryResult : std::uint8_t {
    kDeclared,
    kFaultCutoffPassed,  // too late for the deadline's next challenge window
    kNoSuchPartition,
    kNothingToRecover,  // no faulty sector that is not already recovering
};

class WindowPoStSchedule {
public:
    // Crons of deadlines whose last epoch is before start_epoch are not run.
    // REQUIRES: !window_post_config_error(config).
    WindowPoStSchedule(WindowPoStConfig config, chain::ChainEpoch start_epoch);

    // Runs the crons of every deadline whose last epoch is <= epoch.
    // REQUIRES: epoch >= the last epoch advanced to.
    void advance_to(chain::ChainEpoch epoch);

    // Assigns `count` sectors whose ProveCommit landed in `epoch` (or, with kActive, that exist
    // at the start). Returns where they went, in order. REQUIRES: count >= 0; epoch > the last
    // epoch advanced to.
    std::vector<SectorAssignment> add_sectors(std::int64_t count, chain::ChainEpoch epoch,
                                              SectorActivation activation);
    // A proof for the partition lands in `epoch`. REQUIRES: epoch > the last epoch advanced to.
    ProofResult submit_proof(PartitionRef partition, chain::ChainEpoch epoch);
    // DeclareFaultsRecovered for every faulty sector of the partition, landing in `epoch`.
    // REQUIRES: epoch > the last epoch advanced to.
    RecoveryResult declare_recovery(PartitionRef partition, chain::ChainEpoch epoch);

    // The queued outputs, oldest first; the queue is emptied.
    std::vector<WindowPoStEvent> take_events();

    // The partitions of the deadline open at `epoch` that a proof would cover (unproven, active or
    // recovering sectors) and that have no proof yet in this window.
    std::vector<PartitionRef> partitions_due(chain::ChainEpoch epoch) const;
    // The deadline `index`'s next window not elapsed at `epoch`.
    DeadlineInfo deadline(std::int64_t index, chain::ChainEpoch epoch) const;
    // The last epoch of the next deadline whose cron has not run.
    chain::ChainEpoch next_cron_epoch() const;

    std::int64_t partition_count(std::int64_t deadline) const;
    std::int64_t sectors_added() const { return sectors_added_; }
    std::int64_t live_sectors() const;
    std::int64_t active_sectors() const;
    std::int64_t unproven_sectors() const;
    std::int64_t faulty_sectors() const;
    std::int64_t recovering_sectors() const;
    std::int64_t terminated_sectors() const { return terminated_sectors_; }
    chain::StoragePower active_power_bytes() const;
    chain::AttoFil fees_charged() const { return fees_charged_; }
    const WindowPoStConfig& config() const { return config_; }

private:
    enum class SectorState : std::uint8_t { kUnproven, kActive, kFaulty };
    // Sectors of one partition in the same state. fault_expiration is set for faulty cohorts.
    struct Cohort {
        std::int64_t sectors = 0;
        SectorState state = SectorState::kUnproven;
        bool recovering = false;
        chain::ChainEpoch fault_expiration = 0;
    };
    struct Partition {
        std::vector<Cohort> cohorts;
        std::int64_t total_sectors = 0;  // including terminated, as the actors' Sectors bitfield
        bool proven_this_window = false;
    };
    struct Deadline {
        std::vector<Partition> partitions;
        std::int64_t total_sectors = 0;
        std::int64_t live_sectors = 0;
    };

    static std::int64_t count(const Partition& partition, SectorState state);
    static std::int64_t count_recovering(const Partition& partition);
    static void merge_cohorts(Partition& partition);
    template <class Predicate>
    std::int64_t count_all(Predicate predicate) const;

    void run_crons_before(chain::ChainEpoch epoch);
    void process_deadline_end(const DeadlineInfo& info);
    math::Int128 record_missed_post(Partition& partition, PartitionRef ref,
                                    chain::ChainEpoch last_epoch);
    void expire_faulty_sectors(Deadline& deadline, std::int64_t index,
                               chain::ChainEpoch last_epoch);
    std::int64_t choose_deadline(chain::ChainEpoch epoch) const;
    PartitionRef add_one_sector(std::int64_t deadline_index, SectorActivation activation);
    Partition* find_partition(PartitionRef ref);
    void emit_power_change(chain::ChainEpoch epoch, math::Int128 sectors_delta);

    WindowPoStConfig config_;
    std::array<Deadline, kWPoStPeriodDeadlines> deadlines_;
    chain::ChainEpoch advanced_through_;
    DeadlineInfo next_cron_;
    std::vector<WindowPoStEvent> events_;
    std::int64_t sectors_added_ = 0;
    std::int64_t terminated_sectors_ = 0;
    chain::AttoFil fees_charged_ = 0;
};

}  // namespace minerx::sealing

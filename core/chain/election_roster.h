#pragma once

// Every miner's election, round after round, as a simulation or a multi-miner producer runs it:
// a floating-point screen (NoWinScreen) on the ticket's top 64 bits, so that the common no-win
// case costs one ticket word and one comparison, and the chain core's fast path (WinThresholds)
// for the rare tickets that pass it. The screens are rebuilt only when the power table's lookback
// state changes, and a miner's thresholds only when one of its tickets first needs them after
// that (building them costs ~4 µs; most small miners pass the screen on few days).
//
// Exactness: a miner's WinCount is WinThresholds::win_count of its full election ticket, which
// equals Lotus' ComputeWinCount (win_thresholds.h); the screen only skips tickets that provably
// win nothing (win_screen.h). Eligibility is the lookback state's consensus minimum (power_table.h); other
// reasons a miner cannot mine (fee debt, faults, an offline host) are the caller's to apply to
// the winners it gets.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/chain/chain_types.h"
#include "core/chain/power_table.h"
#include "core/chain/ticket_stream.h"
#include "core/chain/win_screen.h"
#include "core/chain/win_thresholds.h"

namespace minerx::chain {

struct RosterWin {
    std::size_t slot = 0;  // the miner's position in the roster's miner list
    ActorId miner = 0;
    std::int64_t win_count = 0;
};

class ElectionRoster {
public:
    // The miners this roster elects, in a fixed order (slots), with their election tickets from
    // `tickets` (TicketPurpose::election). REQUIRES: distinct miners.
    ElectionRoster(std::vector<ActorId> miners, const TicketStream& tickets);

    // Makes the roster's state that of `round`'s lookback (lookback_epoch(round)); rebuilds the
    // thresholds only if the power table changed since the state it holds. Returns true if it
    // rebuilt. REQUIRES: the table still holds that epoch's history.
    bool prepare(const PowerTable& table, ChainEpoch round);

    // Appends the winners of `round` to `winners`, in slot order. REQUIRES: prepare(table, round)
    // was the last prepare.
    void elect(ChainEpoch round, std::vector<RosterWin>& winners) const;

    std::size_t size() const { return miners_.size(); }
    ActorId miner(std::size_t slot) const { return miners_[slot]; }
    // The lookback inputs of the prepared round.
    const LookbackPower& lookback(std::size_t slot) const { return lookback_[slot]; }
    // Expected WinCount per round: 5 * p / P for an eligible miner, 0 otherwise (Lotus' λ).
    double expected_win_count(std::size_t slot) const { return expected_[slot]; }
    StoragePower network_power() const { return network_power_; }
    std::uint64_t rebuilds() const { return rebuilds_; }

private:
    void rebuild(const PowerTable& table, ChainEpoch epoch);

    // One eligible miner in the hot loop: its ticket key and screen, then its thresholds.
    struct Candidate {
        std::uint64_t ticket_key;
        std::uint64_t screen;
        std::uint32_t slot;
    };

    std::vector<ActorId> miners_;
    std::vector<std::uint64_t> ticket_keys_;  // per slot
    std::vector<LookbackPower> lookback_;
    std::vector<double> expected_;
    std::vector<Candidate> candidates_;
    // Per slot, built on first use after a rebuild: a cache, so elect() stays logically const.
    mutable std::vector<std::optional<WinThresholds>> thresholds_;
    StoragePower network_power_ = 0;
    std::optional<std::optional<ChainEpoch>> state_change_epoch_;  // of the state held
    std::uint64_t rebuilds_ = 0;
};

}  // namespace minerx::chain

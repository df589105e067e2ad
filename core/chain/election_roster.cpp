#include "core/chain/election_roster.h"

#include <algorithm>

#include "core/util/assert.h"

namespace minerx::chain {

ElectionRoster::ElectionRoster(std::vector<ActorId> miners, const TicketStream& tickets)
    : miners_(std::move(miners)),
      lookback_(miners_.size()),
      expected_(miners_.size(), 0.0),
      thresholds_(miners_.size()) {
    std::vector<ActorId> sorted = miners_;
    std::sort(sorted.begin(), sorted.end());
    MINERX_ASSERT(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());
    ticket_keys_.reserve(miners_.size());
    for (ActorId miner : miners_) {
        ticket_keys_.push_back(tickets.key(miner, TicketPurpose::election));
    }
}

bool ElectionRoster::prepare(const PowerTable& table, ChainEpoch round) {
    const ChainEpoch epoch = lookback_epoch(round);
    std::optional<ChainEpoch> change = table.last_change_epoch_at_or_before(epoch);
    if (state_change_epoch_ && *state_change_epoch_ == change) return false;
    rebuild(table, epoch);
    state_change_epoch_ = change;
    return true;
}

void ElectionRoster::rebuild(const PowerTable& table, ChainEpoch epoch) {
    ++rebuilds_;
    network_power_ = table.network_power_at(epoch);
    candidates_.clear();
    const double network = static_cast<double>(network_power_);
    for (std::size_t slot = 0; slot < miners_.size(); ++slot) {
        LookbackPower& power = lookback_[slot];
        power.miner_power = table.claim_at(miners_[slot], epoch).quality_adj_power;
        power.network_power = network_power_;
        power.meets_consensus_minimum = table.meets_consensus_minimum_at(miners_[slot], epoch);
        thresholds_[slot].reset();
        expected_[slot] = 0.0;
        // Lotus' election divides by the network power; with none, nobody can mine.
        if (!power.meets_consensus_minimum || network_power_ == 0 || power.miner_power == 0) {
            continue;
        }
        expected_[slot] = static_cast<double>(kExpectedLeadersPerEpoch) *
                          static_cast<double>(power.miner_power) / network;
        candidates_.push_back(
            Candidate{ticket_keys_[slot],
                      NoWinScreen(power.miner_power, network_power_).top_word_bound(),
                      static_cast<std::uint32_t>(slot)});
    }
}

void ElectionRoster::elect(ChainEpoch round, std::vector<RosterWin>& winners) const {
    const std::uint64_t salt = TicketStream::salt(round, 0);
    for (const Candidate& candidate : candidates_) {
        if (TicketStream::word_with_salt(candidate.ticket_key, salt) > candidate.screen) [[likely]] {
            continue;
        }
        math::Uint256 ticket;
        for (unsigned i = 0; i < 4; ++i) {
            ticket.words[i] = TicketStream::word(candidate.ticket_key, round, i);
        }
        std::optional<WinThresholds>& thresholds = thresholds_[candidate.slot];
        if (!thresholds) {
            const LookbackPower& power = lookback_[candidate.slot];
            thresholds.emplace(power.miner_power, power.network_power);
        }
        const std::int64_t wins = thresholds->win_count(ticket);
        if (wins > 0) winners.push_back(RosterWin{candidate.slot, miners_[candidate.slot], wins});
    }
}

}  // namespace minerx::chain

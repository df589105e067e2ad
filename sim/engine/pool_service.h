#pragma once

// A pool's shared services in the simulation: the block producer (core/pool/block_producer.h)
// that mines for every member, and one PoolAccounting (core/pool/pool_accounting.h) per policy
// being compared, all fed the same blocks, so the comparison is paired.
//
// The site actors (pool_site_actor.h) call the block-production side from the active site's
// host; the chain (network_chain.h) reports the fates of the pool's blocks, and the accounting
// closes each epoch once every block of it is decided. A failover starts a fresh BlockProducer
// on the standby (a new process: the open round's proof requests are lost), while the
// accounting, which stands for the pool's replicated database, carries on.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/chain/election_roster.h"
#include "core/pool/block_producer.h"
#include "core/pool/pool_accounting.h"
#include "sim/engine/network_chain.h"
#include "sim/results/results_writer.h"
#include "sim/scenario/scenario.h"

namespace minerx::sim {

struct PoolSites {
    std::size_t primary = 0;              // platform node indices
    std::optional<std::size_t> standby;
    std::size_t chain_node = 0;
};

class PoolService final : public PoolBlockListener {
public:
    // `members`: plan indices of the pool's members (ascending). Accounting covers epochs
    // [1, last_epoch].
    PoolService(std::size_t index, const PoolSpec& spec, const NetworkPlan& plan,
                NetworkChain& chain, ResultsWriter& writer, std::vector<std::size_t> members,
                PoolSites sites, chain::ChainEpoch last_epoch);

    const PoolSpec& spec() const { return spec_; }
    const PoolSites& sites() const { return sites_; }
    const std::vector<std::size_t>& members() const { return members_; }

    // ---- block production, from the active site's actor ----
    // Which site runs the block producer: 0 primary, 1 standby.
    int active_site() const { return active_site_; }
    // The site becomes the active one (a failover); its actor then activates.
    void take_over(int site) { active_site_ = site; }
    // The active site starts (or restarts) a block producer: a new process with no open round.
    void activate(int site, TimeMs now);
    void start_round(chain::ChainEpoch round, TimeMs now);
    void proof_received(chain::ActorId member, chain::ChainEpoch round, TimeMs now);
    void tick(TimeMs now);
    // The earliest instant the producer needs a tick or a block is due for publishing.
    std::optional<TimeMs> next_wake() const;
    // Proof requests to send now.
    std::vector<pool::RequestWinningPoSt> take_challenges();
    // Blocks whose publish time has come.
    std::vector<pool::PublishBlock> take_due_publishes(TimeMs now);
    // The member's plan index, by actor id.
    std::size_t member_index(chain::ActorId member) const;

    // ---- the chain's reports ----
    void block_decided(const chain::BlockFateRecord& fate, chain::AttoFil award) override;
    void heights_decided(chain::ChainEpoch undecided_from) override;

    // Writes each policy's summary (after the run). Every epoch up to last_epoch must be closed.
    void write_summaries();
    chain::ChainEpoch accounting_open_epoch() const;
    std::string event_target() const { return spec_.name; }

private:
    struct Policy {
        std::string name;
        pool::PoolAccounting accounting;
        std::vector<chain::AttoFil> earned_at_day_start;  // by member position
    };
    struct Award {
        chain::ActorId member = 0;
        chain::AttoFil amount = 0;
    };

    void drain_producer();
    void close_accounting_epoch(chain::ChainEpoch epoch);
    void write_day(std::int64_t day);

    std::size_t index_;
    const PoolSpec& spec_;
    const NetworkPlan& plan_;
    NetworkChain& chain_;
    ResultsWriter& writer_;
    std::vector<std::size_t> members_;
    PoolSites sites_;
    chain::ChainEpoch last_epoch_;

    int active_site_ = 0;
    std::unique_ptr<pool::BlockProducer> producer_;
    std::vector<pool::RequestWinningPoSt> challenges_;
    std::multimap<TimeMs, pool::PublishBlock> publishes_;

    std::vector<Policy> policies_;
    chain::ElectionRoster accounting_roster_;  // members' lookback powers at the closing epoch
    std::map<chain::ChainEpoch, std::vector<Award>> awards_;  // included blocks by height
    struct TicketKeys {
        std::uint64_t election;
        std::uint64_t ticket;
    };
    std::vector<TicketKeys> ticket_keys_;                     // by member position
    std::vector<pool::MemberPowerReport> powers_;             // scratch
    std::vector<pool::MemberBaseInfo> infos_;                 // scratch
};

}  // namespace minerx::sim

#pragma once

// The pool's accounting as one events-in, actions-out state machine: membership (join/leave time
// gating), the reward policy and the vesting-aware settlement ledger, combined. The simulator's
// pool actor and the production pool daemon both drive exactly this; it reads no clock and does
// no I/O, and the same events give the same books, bit for bit.
//
// Event contract (the driver's side):
//   - Epochs close one at a time, in order, null rounds included: epoch_closed(e) for
//     e = first_epoch, first_epoch + 1, ... The epoch not yet closed is open_epoch().
//   - block_rewarded(e, winner, award) for each block the pool won at the open epoch e that made
//     it into the chain (orphans earn nothing and are not reported), with the award its miner
//     actor received (block reward + tips). Close epoch e once the fate of its blocks is known.
//   - member_joined / leave_requested take effect at an epoch >= open_epoch().
//   - epoch_closed(e) carries every member's lookback power and consensus-minimum flag for the
//     election of e, the network power and ThisEpochReward.
//
// epoch_closed(e), in order: unlock what has vested before e; let the policy close e (PPLNS
// accrual, smoothed credits); allocate and book e's blocks (vesting starts at e); fund the
// credits; sweep the reserve above its cap; settle members whose cool-down has ended (forfeiting
// their unvested allocations if configured, dropping their PPLNS shares); pay vested balances
// (every account under PayoutSchedule::every_epoch, departed members' accounts always); record
// the reserve-risk observables. The payments made are returned for the driver to carry out.

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "core/chain/chain_types.h"
#include "core/chain/token_amount.h"
#include "core/pool/membership.h"
#include "core/pool/pool_types.h"
#include "core/pool/reward_policy.h"
#include "core/pool/settlement_ledger.h"

namespace minerx::pool {

enum class PayoutSchedule : std::uint8_t {
    on_request,   // members and operator call payout(); departed members are paid as they vest
    every_epoch,  // every vested balance is paid at each epoch close
};

struct PoolAccountingConfig {
    MembershipConfig membership;
    RewardPolicyConfig policy = PowerProportionalConfig{};
    PayoutSchedule payout_schedule = PayoutSchedule::on_request;
    std::size_t arrears_batch_limit = kDefaultArrearsBatchLimit;
    // Where the pool's 12-hour vesting slots start (settlement_ledger.h), in [0, 1440).
    chain::ChainEpoch pool_grid_offset = 0;
};

// A description of what is wrong with the configuration, or nullopt.
std::optional<std::string> pool_accounting_config_error(const PoolAccountingConfig& config);

struct MemberPowerReport {
    MemberId member = 0;
    chain::StoragePower power = 0;  // lookback quality-adjusted power
    bool meets_consensus_minimum = false;
};

struct EpochReport {
    chain::ChainEpoch epoch = 0;
    // Ascending, distinct members. Entries for non-members are ignored; a member without an entry
    // has no power and does not meet the minimum.
    std::span<const MemberPowerReport> powers;
    chain::StoragePower network_power = 0;
    chain::AttoFil this_epoch_reward = 0;
};

enum class BlockRewardOutcome : std::uint8_t {
    booked,        // allocated when the epoch closes
    not_a_member,  // the pool does not mine for this miner (never joined, or departed)
};

struct EpochActions {
    std::vector<Payment> payments;           // carried out by the driver
    std::vector<MemberId> settled_members;   // departed at this epoch, ascending
};

class PoolAccounting {
public:
    // REQUIRES: pool_accounting_config_error(config) is nullopt.
    PoolAccounting(const PoolAccountingConfig& config, chain::ChainEpoch first_epoch);
    PoolAccounting(const PoolAccounting& other);
    PoolAccounting& operator=(const PoolAccounting& other);
    PoolAccounting(PoolAccounting&&) noexcept = default;
    PoolAccounting& operator=(PoolAccounting&&) noexcept = default;
    ~PoolAccounting() = default;

    // proving_period_start: the member's miner actor's ProvingPeriodStart, which sets the
    // quantization of its rewards' vesting on chain (the ledger checks that its own schedule is
    // never ahead of it). REQUIRES: epoch >= open_epoch().
    JoinOutcome member_joined(MemberId member, chain::ChainEpoch epoch,
                              chain::ChainEpoch proving_period_start);
    // REQUIRES: epoch >= open_epoch().
    LeaveOutcome leave_requested(MemberId member, chain::ChainEpoch epoch);
    // REQUIRES: epoch == open_epoch(); 0 <= award <= total supply.
    BlockRewardOutcome block_rewarded(chain::ChainEpoch epoch, MemberId winner,
                                      chain::AttoFil award);
    // The operator funds the reserve. REQUIRES: amount >= 0.
    void reserve_deposited(chain::AttoFil amount);
    // REQUIRES: report.epoch == open_epoch(); powers ascending and distinct.
    EpochActions epoch_closed(const EpochReport& report);

    // Pays `amount` of the beneficiary's vested balance.
    PayoutResult payout(Beneficiary beneficiary, chain::AttoFil amount);
    // Pays every member's and the operator's whole vested balance.
    std::vector<Payment> pay_all_vested();

    AccountBalance member_balance(MemberId member) const;
    AccountBalance operator_balance() const;
    AccountBalance reserve_balance() const;
    const SettlementLedger& ledger() const { return ledger_; }
    const Membership& membership() const { return membership_; }
    const RewardPolicy& policy() const { return *policy_; }

    // The epoch to close next: the state machine's next deadline.
    chain::ChainEpoch open_epoch() const { return open_epoch_; }
    // The next epoch at which a balance or a member's sharing changes without a new event (a
    // warm-up or cool-down ends, or funds vest), if any.
    std::optional<chain::ChainEpoch> next_transition_epoch() const;

private:
    std::vector<MemberStanding> standings(const EpochReport& report) const;
    void book_pending_blocks(chain::ChainEpoch epoch, std::span<const MemberStanding> members);
    std::vector<MemberId> settle_due(chain::ChainEpoch epoch);
    void settle(std::span<const MemberId> settled);
    std::vector<Payment> pay_departed_members();
    void pay_whole_balance(Beneficiary beneficiary, std::vector<Payment>& payments);

    struct PendingBlock {
        MemberId winner = 0;
        chain::AttoFil award = 0;
    };

    PoolAccountingConfig config_;
    Membership membership_;
    std::unique_ptr<RewardPolicy> policy_;
    SettlementLedger ledger_;
    std::map<MemberId, chain::ChainEpoch> proving_period_starts_;
    std::vector<PendingBlock> pending_blocks_;
    chain::ChainEpoch open_epoch_;
    // Caches of membership state, so that an epoch close walks no tree of every member: the
    // members not departed (ascending), the departed ones (whose vested balances are paid out
    // at every close) and the earliest epoch at which a cooling-down member settles. Updated at
    // joins, leave requests and settlements, the only events that change them.
    std::vector<MemberId> current_members_;
    std::set<MemberId> departed_;
    std::optional<chain::ChainEpoch> next_settlement_epoch_;
};

}  // namespace minerx::pool

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
//   - member_joined / leave_requested take effect at an epoch >= open_epoch(); a join dated in
//     the future makes the miner a member (its blocks booked) from that epoch on.
//   - epoch_closed(e) carries every member's lookback power and mining eligibility for the
//     election of e, the network power and ThisEpochReward.
// Requests that can come from RPC (joins, leaves, block reports, deposits, withdrawals, payouts)
// are refused with an outcome when they are invalid, never asserted: an epoch in the past, a
// leave before the join, a negative amount, a second block by one miner at one height. The epoch
// report comes from the driver's own chain view and is a precondition.
//
// epoch_closed(e), in order: unlock what has vested before e; let the policy close e (PPLNS
// accrual, smoothed credits); allocate and book e's blocks (vesting starts at e); fund the
// credits; sweep the reserve above its cap; settle members whose cool-down has ended and of whom
// the policy holds no unpaid shares (PPLNS: shares still in the window wait for it; the account
// then settles, forfeiting its unvested allocations if configured); pay vested balances (every
// account under PayoutSchedule::every_epoch, departed members' accounts always); record the
// reserve-risk observables. The payments made are returned for the driver to carry out.

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <utility>
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
    // Lotus' EligibleForMining for the member at this election, with the reason when it is not
    // (reward_policy.h): the consensus minimum, or anything else (fee debt, consensus fault, ...).
    MiningEligibility eligibility = MiningEligibility::ineligible;
};

struct EpochReport {
    chain::ChainEpoch epoch = 0;
    // Ascending, distinct members. Entries for non-members are ignored; a member without an entry
    // has no power and is ineligible.
    std::span<const MemberPowerReport> powers;
    chain::StoragePower network_power = 0;
    chain::AttoFil this_epoch_reward = 0;
};

enum class BlockRewardOutcome : std::uint8_t {
    booked,           // allocated when the epoch closes
    not_a_member,     // the pool does not mine for this miner at this epoch (never joined, not
                      // yet joined, or departed)
    wrong_epoch,      // not the open epoch
    invalid_amount,   // negative, or above the total FIL supply
    duplicate_block,  // this miner already has a block at this epoch (one per height on chain)
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
    // never ahead of it). Refused with epoch_in_past before open_epoch().
    JoinOutcome member_joined(MemberId member, chain::ChainEpoch epoch,
                              chain::ChainEpoch proving_period_start);
    // Refused with epoch_in_past before open_epoch(), leave_before_join before the member's join.
    LeaveOutcome leave_requested(MemberId member, chain::ChainEpoch epoch);
    // A block the pool won at the open epoch; refused for another epoch, an amount outside
    // [0, total supply], a miner that is not a member at that epoch, or a second block by the
    // same miner at that epoch.
    BlockRewardOutcome block_rewarded(chain::ChainEpoch epoch, MemberId winner,
                                      chain::AttoFil award);
    // The operator funds the reserve; refused unless 0 <= amount <= total supply.
    DepositResult reserve_deposited(chain::AttoFil amount);
    // The operator takes `amount` from the reserve's vested balance into its own vested balance
    // (then paid out like its fees). Refused while members are owed arrears and beyond the vested
    // reserve. This is how the operator takes out the smoothed policy's fee margin without a
    // reserve_cap, or forfeited and unshared money under any policy.
    WithdrawalResult reserve_withdrawn(chain::AttoFil amount);
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
    // warm-up ends, a leave takes effect, a cool-down ends, or funds vest), if any. A settlement
    // waiting for PPLNS shares to leave the window depends on the epochs' reports and is not
    // predicted.
    std::optional<chain::ChainEpoch> next_transition_epoch() const;

    // Members whose cool-down has ended but whose PPLNS shares are still in the window, ascending.
    std::vector<MemberId> members_awaiting_settlement() const;
    // Departed members that are still owed money (unvested, vested or arrears): the only departed
    // accounts an epoch close visits.
    std::size_t departed_members_owed() const { return departed_owed_.size(); }

private:
    std::vector<MemberStanding> standings(const EpochReport& report) const;
    void book_pending_blocks(chain::ChainEpoch epoch, std::span<const MemberStanding> members);
    std::vector<MemberId> settle_due(chain::ChainEpoch epoch);
    void settle(std::span<const MemberId> settled);
    std::vector<Payment> pay_departed_members(bool newly_settled);
    std::vector<Payment> pay_all(bool newly_settled);
    void pay_departed(std::vector<Payment>& payments);
    void pay_whole_balance(Beneficiary beneficiary, std::vector<Payment>& payments);

    // A member not departed, with a copy of its membership record.
    struct CurrentMember {
        MemberId member = 0;
        MemberRecord record;
    };
    void update_current_record(MemberId member);

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
    // members not departed with their records (ascending, so standings need no map lookup); the
    // cooling-down members by the epoch their cool-down ends; those whose cool-down has ended
    // while the policy still holds their shares; the departed members still owed money (paid as
    // their funds vest; visited only when the ledger's member vesting serial moves, so the cost
    // does not grow with churn). Updated at joins, leave requests and settlements, the only
    // events that change membership.
    std::vector<CurrentMember> current_members_;
    std::set<std::pair<chain::ChainEpoch, MemberId>> cooling_down_;
    std::set<MemberId> awaiting_settlement_;
    std::set<MemberId> departed_owed_;
    std::uint64_t departed_paid_at_serial_ = 0;
};

}  // namespace minerx::pool

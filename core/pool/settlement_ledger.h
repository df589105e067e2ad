#pragma once

// The pool's books, in integer attoFIL, with vesting that is never ahead of the chain's.
//
// Accounts: one per member, one for the operator (fees, reserve sweeps) and one for the reserve.
// Each holds
//   unvested       locked on the account's pool vesting schedule (pool_vesting_schedule.h);
//   vested_unpaid  vested and payable (for the reserve: its vested funds, which pay smoothed
//                  credits);
//   paid           handed out by payouts;
//   arrears        members only: credits the reserve promised but could not fund yet. An
//                  obligation, not money; it is not part of the invariant.
//
// Rewards. A reward R received at epoch e comes with allocations summing exactly to R (from the
// reward policy). The chain locks L = floor(3R/4) of it (chain::split_block_reward) in the
// winner's miner actor and vests it over 180 days on the winner's 12-hour grid; the ledger
// apportions L over the allocations (largest remainder, weights = allocation amounts, so each
// locked part is at most its allocation) and books each locked part into its beneficiary's pool
// vesting schedule. The rest of each allocation vests at once.
//
// Vesting runs on one pool-wide grid and is provably never ahead of the chain in aggregate; the
// schedule, its proof and its bounds are in core/pool/pool_vesting_schedule.h.
//
// Invariant (check_invariant, to the attoFIL):
//   Σ members (vested_unpaid + paid) + operator (vested_unpaid + paid) + reserve vested
//     + Σ all unvested == Σ rewards received + Σ reserve deposits.
// Money only moves between accounts: vested_unpaid -> paid (payouts), reserve vested -> member
// vested_unpaid (smoothed credits, oldest arrears first), reserve vested -> operator (cap sweep,
// operator withdrawal), member unvested -> reserve unvested (forfeiture, buckets intact).
//
// Arrears are kept compactly: memory O(members in arrears + epochs in arrears), not their
// product. Each epoch's unfunded credits are one credit round, stored as its rate (credit_i =
// floor(numerator x weight_i / denominator)); each member in arrears keeps its owed total and a
// run-length list of its weights by round (the smoothed policy's weights are powers, which change
// rarely, while the amounts change with ThisEpochReward every epoch). A member's credits in a
// batch are recomputed from these when the batch reaches the front of the queue.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "core/chain/chain_types.h"
#include "core/chain/token_amount.h"
#include "core/chain/vesting.h"
#include "core/pool/pool_types.h"
#include "core/pool/pool_vesting_schedule.h"

namespace minerx::pool {

// Whose money. Ordered: members by MemberId, then the operator, then the reserve (the order
// allocations are listed in, and the tie order of the locked-part split).
struct Beneficiary {
    enum class Kind : std::uint8_t { member, pool_operator, reserve };

    Kind kind = Kind::member;
    MemberId member = 0;  // Kind::member only; 0 otherwise

    static constexpr Beneficiary of_member(MemberId id) { return {Kind::member, id}; }
    static constexpr Beneficiary pool_operator() { return {Kind::pool_operator, 0}; }
    static constexpr Beneficiary reserve() { return {Kind::reserve, 0}; }

    auto operator<=>(const Beneficiary&) const = default;
};

// One beneficiary's part of a reward.
struct Allocation {
    Beneficiary beneficiary;
    chain::AttoFil amount = 0;

    bool operator==(const Allocation&) const = default;
};

// What the reserve owes one member for one epoch (smoothed policy).
struct MemberCredit {
    MemberId member = 0;
    chain::AttoFil amount = 0;
};

// How an epoch's credits are formed from weights: credit = floor(numerator * weight /
// denominator). The default 1/1 makes each credit its own weight.
struct CreditRate {
    chain::AttoFil numerator = 1;   // >= 0
    math::Uint128 denominator = 1;  // > 0
};

// A payout the driver carries out (a transfer from the pool's funds to the beneficiary).
struct Payment {
    Beneficiary beneficiary;
    chain::AttoFil amount = 0;

    bool operator==(const Payment&) const = default;
};

struct AccountBalance {
    chain::AttoFil unvested = 0;
    chain::AttoFil vested_unpaid = 0;
    chain::AttoFil paid = 0;
    chain::AttoFil arrears = 0;

    // What the pool still owes: allocated or promised, not yet paid.
    chain::AttoFil owed() const { return unvested + vested_unpaid + arrears; }
    // Everything ever allocated or promised to the account.
    chain::AttoFil earned() const { return owed() + paid; }
};

// The operator's risk of ruin under the smoothed policy, observed at each closed epoch.
struct ReserveRisk {
    chain::AttoFil max_total_arrears = 0;
    std::int64_t epochs_in_arrears = 0;          // closed epochs that ended with arrears
    std::int64_t longest_arrears_streak_epochs = 0;
    std::int64_t current_arrears_streak_epochs = 0;
    std::optional<chain::AttoFil> min_vested_reserve;  // over closed epochs
};

struct LedgerInvariant {
    chain::AttoFil money_held = 0;        // left-hand side: every account's money
    chain::AttoFil money_received = 0;    // rewards received + reserve deposits
    bool accounts_consistent = true;      // cached sums match the schedules, nothing negative

    bool holds() const { return accounts_consistent && money_held == money_received; }
};

enum class PayoutResult : std::uint8_t {
    paid,
    invalid_amount,               // negative
    insufficient_vested_balance,  // amount > vested_unpaid
    not_payable,                  // the reserve is not paid out
    unknown_account,
};

enum class DepositResult : std::uint8_t {
    deposited,
    invalid_amount,  // negative, or above the total FIL supply
};

enum class WithdrawalResult : std::uint8_t {
    withdrawn,
    invalid_amount,               // negative
    arrears_owed,                 // members are owed arrears: they are repaid first
    insufficient_vested_reserve,  // amount > the reserve's vested balance
};

// Unfunded credits are queued in per-epoch batches and repaid oldest first, pro rata within a
// batch. Past this many batches the two newest merge (their members are then repaid pro rata
// together), which keeps every older batch strictly first. A batch costs O(1) memory (the
// header comment), so the limit bounds the queue's length, not members x batches.
inline constexpr std::size_t kDefaultArrearsBatchLimit = chain::kEpochsPerDay;

class SettlementLedger {
public:
    // REQUIRES: arrears_batch_limit >= 1; 0 <= pool_grid_offset < 1440.
    explicit SettlementLedger(std::size_t arrears_batch_limit = kDefaultArrearsBatchLimit,
                              chain::ChainEpoch pool_grid_offset = 0);

    // The operator funds the reserve (vested at once); refused unless 0 <= amount <= supply.
    DepositResult deposit_to_reserve(chain::AttoFil amount);

    // The operator takes `amount` of the reserve's vested balance (into its own vested balance,
    // to be paid out like its fees). Refused while any member is owed arrears, since credits
    // come first, and beyond the vested reserve.
    WithdrawalResult withdraw_from_reserve(chain::AttoFil amount);

    // Books a reward received at `epoch` by a miner actor whose ProvingPeriodStart is
    // `proving_period_start`. First unlocks what has vested before `epoch` (as the actor's
    // AddLockedFunds does). The pool schedule does not depend on the winner's grid; it is checked
    // to vest each step no earlier than the winner's actor does.
    // REQUIRES: 0 <= reward <= total supply; allocations strictly ascending by beneficiary, each
    // amount >= 0, summing exactly to reward; epoch >= every epoch passed to the ledger before.
    void receive_reward(chain::ChainEpoch epoch, chain::ChainEpoch proving_period_start,
                        chain::AttoFil reward, std::span<const Allocation> allocations);

    // Applies every pool vesting step that vests before current_epoch, then funds arrears.
    // REQUIRES: current_epoch >= every epoch passed to the ledger before.
    void unlock_vested(chain::ChainEpoch current_epoch);

    // Smoothed credits for `epoch`: queued as one arrears batch behind any older one, then funded
    // from the reserve's vested balance as far as it goes. `weights` (empty, or one per credit)
    // say how the amounts were formed: credits[i].amount == floor(rate.numerator * weights[i] /
    // rate.denominator); empty means the amounts are the weights (rate 1/1). REQUIRES: members
    // strictly ascending, amounts >= 0, epoch >= the previous call's.
    void credit_from_reserve(chain::ChainEpoch epoch, std::span<const MemberCredit> credits,
                             CreditRate rate = {}, std::span<const math::Uint128> weights = {});

    // Moves the reserve's vested balance above `cap` to the operator; returns the amount.
    // REQUIRES: cap >= 0.
    chain::AttoFil sweep_reserve_above(chain::AttoFil cap);

    // Moves the member's unvested allocations to the reserve, buckets intact (they keep vesting
    // on the same steps); returns the amount.
    chain::AttoFil forfeit_unvested(MemberId member);

    // vested_unpaid -> paid.
    PayoutResult pay(Beneficiary beneficiary, chain::AttoFil amount);

    // Updates the reserve-risk observables; call once per closed epoch, after its events.
    void record_epoch_closed();

    AccountBalance balance(Beneficiary beneficiary) const;
    std::vector<MemberId> members() const;  // every member account ever opened, ascending
    chain::AttoFil rewards_received() const { return rewards_received_; }
    chain::AttoFil reserve_deposits() const { return reserve_deposits_; }
    chain::AttoFil total_arrears() const { return total_arrears_; }
    std::size_t arrears_batch_count() const { return arrears_.size(); }
    std::size_t arrears_round_count() const { return rounds_.size(); }
    // Members with a stake in the queued rounds (every member owed arrears; a member owed nothing
    // more leaves when the front batch is repaid).
    std::size_t members_in_arrears() const { return in_arrears_.size(); }
    // Changes whenever some member's vested balance grows other than by a booked reward (a
    // vesting step, repaid arrears): a driver paying departed members as they vest need only
    // look when it has changed.
    std::uint64_t member_vesting_serial() const { return member_vesting_serial_; }
    const ReserveRisk& reserve_risk() const { return reserve_risk_; }
    chain::ChainEpoch pool_grid_offset() const { return pool_grid_offset_; }
    // The beneficiary's vesting buckets (slots with locked money); at most kMaxVestingBuckets.
    std::size_t vesting_bucket_count(Beneficiary beneficiary) const;
    // The earliest scheduled vest epoch E (unlocking at E + 1), if anything is unvested.
    std::optional<chain::ChainEpoch> next_vest_epoch() const;

    // Recomputes both sides of the invariant from the accounts (O(accounts x buckets)).
    LedgerInvariant check_invariant() const;

private:
    struct Account {
        PoolVestingSchedule vesting;
        chain::AttoFil vested_unpaid = 0;
        chain::AttoFil paid = 0;
        chain::AttoFil arrears = 0;
    };
    // One epoch's queued credits: member i's is floor(numerator * weight_i / denominator).
    struct CreditRoundRate {
        chain::AttoFil numerator = 0;
        math::Uint128 denominator = 1;
    };
    // Consecutive credit rounds [first_round, last_round], repaid as one.
    struct ArrearsBatch {
        chain::ChainEpoch epoch = 0;  // of the oldest credit in the batch
        std::uint64_t first_round = 0;
        std::uint64_t last_round = 0;
        chain::AttoFil total = 0;     // still unfunded
    };
    // A member's weight from first_round until the next run's (0: no credit).
    struct WeightRun {
        std::uint64_t first_round = 0;
        math::Uint128 weight = 0;
    };
    // A member with a stake in the queued rounds. Its runs cover every round from the front
    // batch's first on; front_owed is what the front batch still owes it (valid while
    // front_owed_known_).
    struct MemberArrears {
        MemberId member = 0;
        std::deque<WeightRun> weights;
        chain::AttoFil front_owed = 0;
    };
    using MemberAccounts = std::map<MemberId, Account>;

    Account& account(Beneficiary beneficiary);
    // The member's account, opened if new; `hint` is where the search starts (the position
    // after the previous member of an ascending run), so ascending runs cost O(1) each.
    MemberAccounts::iterator member_account(MemberId member, MemberAccounts::iterator hint);
    const Account* find_account(Beneficiary beneficiary) const;
    // Time only moves forward for the ledger (asserted): the bucket bound relies on it.
    void advance_to(chain::ChainEpoch epoch);
    void book(Account& target, chain::AttoFil amount, chain::AttoFil locked,
              chain::ChainEpoch slot_start);
    void queue_credits(chain::ChainEpoch epoch, std::span<const MemberCredit> credits,
                       CreditRate rate, std::span<const math::Uint128> weights,
                       chain::AttoFil total);
    void record_weights(std::uint64_t round, std::span<const MemberCredit> credits,
                        std::span<const math::Uint128> weights);
    void fund_arrears();
    void know_front_owed();
    chain::AttoFil credit_in_rounds(const MemberArrears& member, std::uint64_t first_round,
                                    std::uint64_t last_round) const;
    void fund_front_batch_partly();
    void pop_front_batch();
    void merge_newest_batches();
    bool compact_arrears_consistent() const;
    // Moves `amount` of the member's arrears to its vested balance; returns the position after
    // the member's account (the hint for the next member of an ascending run).
    MemberAccounts::iterator credit_member(MemberId member, chain::AttoFil amount,
                                           MemberAccounts::iterator hint);

    MemberAccounts members_;
    Account operator_;
    Account reserve_;
    std::deque<ArrearsBatch> arrears_;
    std::deque<CreditRoundRate> rounds_;    // rounds_[k] is round first_round_ + k
    std::uint64_t first_round_ = 0;
    std::vector<MemberArrears> in_arrears_;  // ascending members
    bool front_owed_known_ = false;
    std::uint64_t member_vesting_serial_ = 0;
    std::size_t arrears_batch_limit_;
    chain::ChainEpoch pool_grid_offset_;
    chain::ChainEpoch latest_epoch_ = std::numeric_limits<chain::ChainEpoch>::min();
    chain::AttoFil total_arrears_ = 0;
    chain::AttoFil rewards_received_ = 0;
    chain::AttoFil reserve_deposits_ = 0;
    chain::ChainEpoch earliest_vest_epoch_ = PoolVestingSchedule::kNoVestEpoch;  // min, accounts
    ReserveRisk reserve_risk_;
};

}  // namespace minerx::pool

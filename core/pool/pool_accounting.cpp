#include "core/pool/pool_accounting.h"

#include <algorithm>
#include <iterator>

#include "core/util/assert.h"

namespace minerx::pool {

std::optional<std::string> pool_accounting_config_error(const PoolAccountingConfig& config) {
    if (auto error = membership_config_error(config.membership)) return error;
    if (config.arrears_batch_limit < 1) return "arrears_batch_limit must be at least 1";
    if (config.pool_grid_offset < 0 || config.pool_grid_offset >= kVestingSlotEpochs) {
        return "pool_grid_offset must be between 0 and 1439 (got " +
               std::to_string(config.pool_grid_offset) + ")";
    }
    return reward_policy_config_error(config.policy);
}

PoolAccounting::PoolAccounting(const PoolAccountingConfig& config, chain::ChainEpoch first_epoch)
    : config_(config),
      membership_(config.membership),
      policy_(make_reward_policy(config.policy)),
      ledger_(config.arrears_batch_limit, config.pool_grid_offset),
      open_epoch_(first_epoch) {
    MINERX_ASSERT(!pool_accounting_config_error(config).has_value());
}

PoolAccounting::PoolAccounting(const PoolAccounting& other)
    : config_(other.config_),
      membership_(other.membership_),
      policy_(other.policy_->clone()),
      ledger_(other.ledger_),
      proving_period_starts_(other.proving_period_starts_),
      pending_blocks_(other.pending_blocks_),
      open_epoch_(other.open_epoch_),
      current_members_(other.current_members_),
      cooling_down_(other.cooling_down_),
      awaiting_settlement_(other.awaiting_settlement_),
      departed_owed_(other.departed_owed_),
      departed_paid_at_serial_(other.departed_paid_at_serial_) {}

PoolAccounting& PoolAccounting::operator=(const PoolAccounting& other) {
    if (this != &other) *this = PoolAccounting(other);
    return *this;
}

JoinOutcome PoolAccounting::member_joined(MemberId member, chain::ChainEpoch epoch,
                                          chain::ChainEpoch proving_period_start) {
    if (epoch < open_epoch_) return JoinOutcome::epoch_in_past;
    const JoinOutcome outcome = membership_.join(member, epoch);
    if (outcome == JoinOutcome::joined) {
        proving_period_starts_[member] = proving_period_start;
        departed_owed_.erase(member);
        const auto at = std::lower_bound(
            current_members_.begin(), current_members_.end(), member,
            [](const CurrentMember& current, MemberId id) { return current.member < id; });
        current_members_.insert(at, {.member = member, .record = *membership_.find(member)});
    }
    return outcome;
}

LeaveOutcome PoolAccounting::leave_requested(MemberId member, chain::ChainEpoch epoch) {
    if (epoch < open_epoch_) return LeaveOutcome::epoch_in_past;
    const LeaveOutcome outcome = membership_.request_leave(member, epoch);
    if (outcome == LeaveOutcome::leaving) {
        cooling_down_.emplace(membership_.find(member)->settles_epoch, member);
        update_current_record(member);
    }
    return outcome;
}

void PoolAccounting::update_current_record(MemberId member) {
    const auto at = std::lower_bound(
        current_members_.begin(), current_members_.end(), member,
        [](const CurrentMember& current, MemberId id) { return current.member < id; });
    MINERX_ASSERT(at != current_members_.end() && at->member == member);
    at->record = *membership_.find(member);
}

BlockRewardOutcome PoolAccounting::block_rewarded(chain::ChainEpoch epoch, MemberId winner,
                                                  chain::AttoFil award) {
    if (epoch != open_epoch_) return BlockRewardOutcome::wrong_epoch;
    if (award < 0 || award > chain::kTotalFilSupply) return BlockRewardOutcome::invalid_amount;
    if (!membership_.is_member(winner, epoch)) return BlockRewardOutcome::not_a_member;
    // A miner publishes at most one block per height (a second one is a consensus fault), so a
    // second report is a duplicate, never a second reward.
    const bool duplicate = std::any_of(pending_blocks_.begin(), pending_blocks_.end(),
                                       [&](const PendingBlock& b) { return b.winner == winner; });
    if (duplicate) return BlockRewardOutcome::duplicate_block;
    pending_blocks_.push_back({.winner = winner, .award = award});
    return BlockRewardOutcome::booked;
}

DepositResult PoolAccounting::reserve_deposited(chain::AttoFil amount) {
    return ledger_.deposit_to_reserve(amount);
}

WithdrawalResult PoolAccounting::reserve_withdrawn(chain::AttoFil amount) {
    return ledger_.withdraw_from_reserve(amount);
}

// Members whose join is dated after the epoch are not members yet: they are left out.
std::vector<MemberStanding> PoolAccounting::standings(const EpochReport& report) const {
    for (std::size_t i = 1; i < report.powers.size(); ++i) {
        MINERX_ASSERT(report.powers[i - 1].member < report.powers[i].member);
    }
    std::vector<MemberStanding> members;
    members.reserve(current_members_.size());
    auto power = report.powers.begin();
    for (const auto& [member, record] : current_members_) {
        if (record.joined_epoch > report.epoch) continue;
        while (power != report.powers.end() && power->member < member) ++power;
        // Filled in place: building it on the stack and copying it in cost g++ 12 two
        // store-forwarding stalls per member, about a third of an epoch close.
        MemberStanding& standing = members.emplace_back();
        standing.member = member;
        standing.sharing = Membership::is_sharing(record, report.epoch);
        if (power != report.powers.end() && power->member == member) {
            standing.power = power->power;
            standing.eligibility = power->eligibility;
        }
    }
    return members;
}

void PoolAccounting::book_pending_blocks(chain::ChainEpoch epoch,
                                         std::span<const MemberStanding> members) {
    for (const PendingBlock& block : pending_blocks_) {
        const std::vector<Allocation> allocations = policy_->allocate_block_reward(
            {.epoch = epoch, .winner = block.winner, .award = block.award, .members = members});
        ledger_.receive_reward(epoch, proving_period_starts_.at(block.winner), block.award,
                               allocations);
    }
    pending_blocks_.clear();
}

EpochActions PoolAccounting::epoch_closed(const EpochReport& report) {
    MINERX_ASSERT(report.epoch == open_epoch_);
    MINERX_ASSERT(report.this_epoch_reward >= 0);
    const chain::ChainEpoch epoch = report.epoch;
    const std::vector<MemberStanding> members = standings(report);

    ledger_.unlock_vested(epoch);
    const EpochPolicyActions policy_actions = policy_->close_epoch(
        {.epoch = epoch,
         .members = members,
         .network_power = report.network_power,
         .this_epoch_reward = report.this_epoch_reward});
    book_pending_blocks(epoch, members);
    ledger_.credit_from_reserve(epoch, policy_actions.credits_from_reserve,
                                policy_actions.credit_rate, policy_actions.credit_weights);
    if (policy_actions.sweep_reserve_above) {
        ledger_.sweep_reserve_above(*policy_actions.sweep_reserve_above);
    }

    EpochActions actions;
    actions.settled_members = settle_due(epoch);
    settle(actions.settled_members);
    const bool newly_settled = !actions.settled_members.empty();
    actions.payments = config_.payout_schedule == PayoutSchedule::every_epoch
                           ? pay_all(newly_settled)
                           : pay_departed_members(newly_settled);
    ledger_.record_epoch_closed();
    open_epoch_ = epoch + 1;
    return actions;
}

// Members whose cool-down has ended wait for the policy to release them (PPLNS: their last share
// has left the window), then depart.
std::vector<MemberId> PoolAccounting::settle_due(chain::ChainEpoch epoch) {
    while (!cooling_down_.empty() && cooling_down_.begin()->first <= epoch) {
        awaiting_settlement_.insert(cooling_down_.begin()->second);
        cooling_down_.erase(cooling_down_.begin());
    }
    std::vector<MemberId> settled;
    for (MemberId member : awaiting_settlement_) {
        if (!policy_->holds_shares(member)) settled.push_back(member);  // ascending
    }
    if (settled.empty()) return settled;
    for (MemberId member : settled) {
        awaiting_settlement_.erase(member);
        membership_.settle(member);
    }
    std::erase_if(current_members_, [&](const CurrentMember& current) {
        return std::binary_search(settled.begin(), settled.end(), current.member);
    });
    return settled;
}

void PoolAccounting::settle(std::span<const MemberId> settled) {
    for (MemberId member : settled) {
        if (config_.membership.unvested_on_leave == UnvestedOnLeave::forfeit) {
            ledger_.forfeit_unvested(member);
        }
        policy_->forget_member(member);
        if (ledger_.balance(Beneficiary::of_member(member)).owed() > 0) {
            departed_owed_.insert(member);
        }
    }
}

void PoolAccounting::pay_whole_balance(Beneficiary beneficiary, std::vector<Payment>& payments) {
    const chain::AttoFil amount = ledger_.balance(beneficiary).vested_unpaid;
    if (amount == 0) return;
    const PayoutResult result = ledger_.pay(beneficiary, amount);
    MINERX_ASSERT(result == PayoutResult::paid);
    payments.push_back({.beneficiary = beneficiary, .amount = amount});
}

// Departed members owed money are paid their vested balances; those owed nothing more leave the
// set. A departed member's vested balance only grows by a vesting step or repaid arrears, which
// move the ledger's member vesting serial, so other closes skip the walk.
void PoolAccounting::pay_departed(std::vector<Payment>& payments) {
    for (auto it = departed_owed_.begin(); it != departed_owed_.end();) {
        const Beneficiary member = Beneficiary::of_member(*it);
        pay_whole_balance(member, payments);
        it = ledger_.balance(member).owed() == 0 ? departed_owed_.erase(it) : std::next(it);
    }
    departed_paid_at_serial_ = ledger_.member_vesting_serial();
}

std::vector<Payment> PoolAccounting::pay_departed_members(bool newly_settled) {
    std::vector<Payment> payments;
    if (newly_settled || departed_paid_at_serial_ != ledger_.member_vesting_serial()) {
        pay_departed(payments);
    }
    return payments;
}

std::vector<Payment> PoolAccounting::pay_all_vested() { return pay_all(false); }

// Every member that can hold vested money, in ascending order, then the operator: the current
// members, and the departed ones still owed when their balances can have grown (pay_departed).
std::vector<Payment> PoolAccounting::pay_all(bool newly_settled) {
    std::vector<Payment> departed;
    if (newly_settled || departed_paid_at_serial_ != ledger_.member_vesting_serial()) {
        pay_departed(departed);
    }
    std::vector<Payment> payments;
    payments.reserve(current_members_.size() + departed.size() + 1);
    auto next_departed = departed.begin();
    for (const CurrentMember& current : current_members_) {
        const MemberId member = current.member;
        for (; next_departed != departed.end() && next_departed->beneficiary.member < member;
             ++next_departed) {
            payments.push_back(*next_departed);
        }
        pay_whole_balance(Beneficiary::of_member(member), payments);
    }
    payments.insert(payments.end(), next_departed, departed.end());
    pay_whole_balance(Beneficiary::pool_operator(), payments);
    return payments;
}

PayoutResult PoolAccounting::payout(Beneficiary beneficiary, chain::AttoFil amount) {
    return ledger_.pay(beneficiary, amount);
}

AccountBalance PoolAccounting::member_balance(MemberId member) const {
    return ledger_.balance(Beneficiary::of_member(member));
}

AccountBalance PoolAccounting::operator_balance() const {
    return ledger_.balance(Beneficiary::pool_operator());
}

AccountBalance PoolAccounting::reserve_balance() const {
    return ledger_.balance(Beneficiary::reserve());
}

std::optional<chain::ChainEpoch> PoolAccounting::next_transition_epoch() const {
    std::optional<chain::ChainEpoch> next = membership_.next_transition_epoch(open_epoch_ - 1);
    if (const auto vest = ledger_.next_vest_epoch()) {
        // An entry at epoch E unlocks at the close of E + 1.
        const chain::ChainEpoch unlock_epoch = std::max(*vest + 1, open_epoch_);
        next = next ? std::min(*next, unlock_epoch) : unlock_epoch;
    }
    return next;
}

std::vector<MemberId> PoolAccounting::members_awaiting_settlement() const {
    return {awaiting_settlement_.begin(), awaiting_settlement_.end()};
}

}  // namespace minerx::pool

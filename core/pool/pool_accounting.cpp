#include "core/pool/pool_accounting.h"

#include <algorithm>

#include "core/util/assert.h"

namespace minerx::pool {

std::optional<std::string> pool_accounting_config_error(const PoolAccountingConfig& config) {
    if (config.membership.warm_up_epochs < 0) return "warm_up_epochs must not be negative";
    if (config.membership.cool_down_epochs < 0) return "cool_down_epochs must not be negative";
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
      departed_(other.departed_),
      next_settlement_epoch_(other.next_settlement_epoch_) {}

PoolAccounting& PoolAccounting::operator=(const PoolAccounting& other) {
    if (this != &other) *this = PoolAccounting(other);
    return *this;
}

JoinOutcome PoolAccounting::member_joined(MemberId member, chain::ChainEpoch epoch,
                                          chain::ChainEpoch proving_period_start) {
    MINERX_ASSERT(epoch >= open_epoch_);
    const JoinOutcome outcome = membership_.join(member, epoch);
    if (outcome == JoinOutcome::joined) {
        proving_period_starts_[member] = proving_period_start;
        departed_.erase(member);
        current_members_.insert(
            std::lower_bound(current_members_.begin(), current_members_.end(), member), member);
    }
    return outcome;
}

LeaveOutcome PoolAccounting::leave_requested(MemberId member, chain::ChainEpoch epoch) {
    MINERX_ASSERT(epoch >= open_epoch_);
    const LeaveOutcome outcome = membership_.request_leave(member, epoch);
    if (outcome == LeaveOutcome::leaving) {
        const chain::ChainEpoch settles = membership_.find(member)->settles_epoch;
        next_settlement_epoch_ =
            next_settlement_epoch_ ? std::min(*next_settlement_epoch_, settles) : settles;
    }
    return outcome;
}

BlockRewardOutcome PoolAccounting::block_rewarded(chain::ChainEpoch epoch, MemberId winner,
                                                  chain::AttoFil award) {
    MINERX_ASSERT(epoch == open_epoch_);
    MINERX_ASSERT(award >= 0);
    MINERX_ASSERT(award <= chain::kTotalFilSupply);
    if (!membership_.is_member(winner)) return BlockRewardOutcome::not_a_member;
    pending_blocks_.push_back({.winner = winner, .award = award});
    return BlockRewardOutcome::booked;
}

void PoolAccounting::reserve_deposited(chain::AttoFil amount) {
    ledger_.deposit_to_reserve(amount);
}

std::vector<MemberStanding> PoolAccounting::standings(const EpochReport& report) const {
    for (std::size_t i = 1; i < report.powers.size(); ++i) {
        MINERX_ASSERT(report.powers[i - 1].member < report.powers[i].member);
    }
    std::vector<MemberStanding> members;
    members.reserve(current_members_.size());
    auto power = report.powers.begin();
    for (MemberId member : current_members_) {
        while (power != report.powers.end() && power->member < member) ++power;
        // Filled in place: building it on the stack and copying it in cost g++ 12 two
        // store-forwarding stalls per member, about a third of an epoch close.
        MemberStanding& standing = members.emplace_back();
        standing.member = member;
        standing.sharing = membership_.is_sharing(member, report.epoch);
        if (power != report.powers.end() && power->member == member) {
            standing.power = power->power;
            standing.meets_consensus_minimum = power->meets_consensus_minimum;
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
    ledger_.credit_from_reserve(epoch, policy_actions.credits_from_reserve);
    if (policy_actions.sweep_reserve_above) {
        ledger_.sweep_reserve_above(*policy_actions.sweep_reserve_above);
    }

    EpochActions actions;
    actions.settled_members = settle_due(epoch);
    settle(actions.settled_members);
    actions.payments = config_.payout_schedule == PayoutSchedule::every_epoch
                           ? pay_all_vested()
                           : pay_departed_members();
    ledger_.record_epoch_closed();
    open_epoch_ = epoch + 1;
    return actions;
}

std::vector<MemberId> PoolAccounting::settle_due(chain::ChainEpoch epoch) {
    if (!next_settlement_epoch_ || *next_settlement_epoch_ > epoch) return {};
    std::vector<MemberId> settled = membership_.settle_due(epoch);
    next_settlement_epoch_.reset();
    for (const auto& [member, record] : membership_.records()) {
        if (record.status != MemberStatus::cooling_down) continue;
        next_settlement_epoch_ = next_settlement_epoch_
                                     ? std::min(*next_settlement_epoch_, record.settles_epoch)
                                     : record.settles_epoch;
    }
    departed_.insert(settled.begin(), settled.end());
    std::erase_if(current_members_, [&](MemberId member) {
        return std::binary_search(settled.begin(), settled.end(), member);  // settled ascends
    });
    return settled;
}

void PoolAccounting::settle(std::span<const MemberId> settled) {
    for (MemberId member : settled) {
        if (config_.membership.unvested_on_leave == UnvestedOnLeave::forfeit) {
            ledger_.forfeit_unvested(member);
        }
        policy_->forget_member(member);
    }
}

void PoolAccounting::pay_whole_balance(Beneficiary beneficiary, std::vector<Payment>& payments) {
    const chain::AttoFil amount = ledger_.balance(beneficiary).vested_unpaid;
    if (amount == 0) return;
    const PayoutResult result = ledger_.pay(beneficiary, amount);
    MINERX_ASSERT(result == PayoutResult::paid);
    payments.push_back({.beneficiary = beneficiary, .amount = amount});
}

std::vector<Payment> PoolAccounting::pay_departed_members() {
    std::vector<Payment> payments;
    for (MemberId member : departed_) pay_whole_balance(Beneficiary::of_member(member), payments);
    return payments;
}

std::vector<Payment> PoolAccounting::pay_all_vested() {
    std::vector<Payment> payments;
    for (MemberId member : ledger_.members()) {
        pay_whole_balance(Beneficiary::of_member(member), payments);
    }
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

}  // namespace minerx::pool

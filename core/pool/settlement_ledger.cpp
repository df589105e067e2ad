#include "core/pool/settlement_ledger.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <utility>

#include "core/pool/apportion.h"
#include "core/util/assert.h"

namespace minerx::pool {

namespace {

using chain::AttoFil;
using chain::ChainEpoch;

void check_allocations(AttoFil reward, std::span<const Allocation> allocations) {
    AttoFil sum = 0;
    for (std::size_t i = 0; i < allocations.size(); ++i) {
        if (i > 0) MINERX_ASSERT(allocations[i - 1].beneficiary < allocations[i].beneficiary);
        MINERX_ASSERT(allocations[i].amount >= 0);
        MINERX_ASSERT(allocations[i].amount <= reward);
        sum += allocations[i].amount;
    }
    MINERX_ASSERT(sum == reward);
}

// The chain's locked part of the reward, apportioned over the allocations with their amounts as
// weights, so that no locked part exceeds its allocation. REQUIRES: reward > 0.
std::vector<AttoFil> locked_parts_of(AttoFil reward, std::span<const Allocation> allocations) {
    std::vector<math::Uint128> weights(allocations.size());
    for (std::size_t i = 0; i < allocations.size(); ++i) {
        weights[i] = static_cast<math::Uint128>(allocations[i].amount);
    }
    return apportion(chain::split_block_reward(reward).locked, weights);
}

}  // namespace

SettlementLedger::SettlementLedger(std::size_t arrears_batch_limit, ChainEpoch pool_grid_offset)
    : arrears_batch_limit_(arrears_batch_limit), pool_grid_offset_(pool_grid_offset) {
    MINERX_ASSERT(arrears_batch_limit_ >= 1);
    MINERX_ASSERT(pool_grid_offset_ >= 0);
    MINERX_ASSERT(pool_grid_offset_ < kVestingSlotEpochs);
}

void SettlementLedger::advance_to(ChainEpoch epoch) {
    MINERX_ASSERT(epoch >= latest_epoch_);
    latest_epoch_ = epoch;
}

void SettlementLedger::deposit_to_reserve(AttoFil amount) {
    MINERX_ASSERT(amount >= 0);
    MINERX_ASSERT(amount <= chain::kTotalFilSupply);
    reserve_deposits_ += amount;
    reserve_.vested_unpaid += amount;
    fund_arrears();
}

void SettlementLedger::receive_reward(ChainEpoch epoch, ChainEpoch proving_period_start,
                                      AttoFil reward, std::span<const Allocation> allocations) {
    MINERX_ASSERT(reward >= 0);
    MINERX_ASSERT(reward <= chain::kTotalFilSupply);
    check_allocations(reward, allocations);
    unlock_vested(epoch);
    rewards_received_ += reward;
    if (reward == 0) return;

    const ChainEpoch slot_start = vesting_slot_start(epoch, pool_grid_offset_);
    // The header's "never early", checked for this winner: its step 1 vests no later than the
    // slot's, and both grids repeat every 2880 epochs, so every later step does too.
    MINERX_ASSERT(chain::quantize_up(epoch + kVestingStepEpochs, kVestingSlotEpochs,
                                     proving_period_start) <= pool_vest_epoch(slot_start, 1));
    const std::vector<AttoFil> locked_parts = locked_parts_of(reward, allocations);
    auto hint = members_.begin();
    for (std::size_t i = 0; i < allocations.size(); ++i) {
        MINERX_ASSERT(locked_parts[i] <= allocations[i].amount);
        const Beneficiary& beneficiary = allocations[i].beneficiary;
        Account* target = nullptr;
        if (beneficiary.kind == Beneficiary::Kind::member) {
            hint = member_account(beneficiary.member, hint);
            target = &(hint++)->second;
        } else {
            target = &account(beneficiary);
        }
        book(*target, allocations[i].amount, locked_parts[i], slot_start);
    }
    fund_arrears();
}

void SettlementLedger::book(Account& target, AttoFil amount, AttoFil locked,
                            ChainEpoch slot_start) {
    target.vested_unpaid += amount - locked;
    if (locked == 0) return;
    target.vesting.add(slot_start, locked);
    earliest_vest_epoch_ = std::min(earliest_vest_epoch_, target.vesting.next_vest_epoch());
}

void SettlementLedger::unlock_vested(ChainEpoch current_epoch) {
    advance_to(current_epoch);
    // Steps fall on one epoch in 1440 on the pool grid, so most epochs skip the scan entirely.
    if (earliest_vest_epoch_ >= current_epoch) return;
    earliest_vest_epoch_ = PoolVestingSchedule::kNoVestEpoch;
    auto visit = [&](Account& target) {
        target.vested_unpaid += target.vesting.unlock(current_epoch);
        earliest_vest_epoch_ = std::min(earliest_vest_epoch_, target.vesting.next_vest_epoch());
    };
    for (auto& [member, target] : members_) visit(target);
    visit(operator_);
    visit(reserve_);
    fund_arrears();
}

void SettlementLedger::credit_from_reserve(ChainEpoch epoch,
                                           std::span<const MemberCredit> credits) {
    AttoFil total = 0;
    for (std::size_t i = 0; i < credits.size(); ++i) {
        if (i > 0) MINERX_ASSERT(credits[i - 1].member < credits[i].member);
        MINERX_ASSERT(credits[i].amount >= 0);
        total += credits[i].amount;
    }
    if (total == 0) return;
    // Nothing queued ahead and the reserve covers every credit: the batch would be funded in
    // full at once, so pay it directly (a funded reserve's every epoch).
    if (arrears_.empty() && reserve_.vested_unpaid >= total) {
        auto hint = members_.begin();
        for (const MemberCredit& credit : credits) {
            if (credit.amount == 0) continue;
            hint = member_account(credit.member, hint);
            (hint++)->second.vested_unpaid += credit.amount;
        }
        reserve_.vested_unpaid -= total;
        return;
    }
    ArrearsBatch batch{.epoch = epoch, .owed = {}, .total = total};
    auto hint = members_.begin();
    for (const MemberCredit& credit : credits) {
        if (credit.amount == 0) continue;
        hint = member_account(credit.member, hint);
        (hint++)->second.arrears += credit.amount;
        batch.owed.push_back(credit);
    }
    total_arrears_ += batch.total;
    if (!arrears_.empty()) MINERX_ASSERT(arrears_.back().epoch <= epoch);
    arrears_.push_back(std::move(batch));
    if (arrears_.size() > arrears_batch_limit_) merge_newest_batches();
    fund_arrears();
}

SettlementLedger::MemberAccounts::iterator SettlementLedger::credit_member(
    MemberId member, AttoFil amount, MemberAccounts::iterator hint) {
    hint = member_account(member, hint);
    Account& target = hint->second;
    MINERX_ASSERT(amount <= target.arrears);
    target.arrears -= amount;
    target.vested_unpaid += amount;
    return std::next(hint);
}

void SettlementLedger::fund_arrears() {
    while (!arrears_.empty() && reserve_.vested_unpaid > 0) {
        ArrearsBatch& front = arrears_.front();
        if (reserve_.vested_unpaid < front.total) {
            fund_front_batch_partly();
            return;
        }
        auto hint = members_.begin();
        for (const MemberCredit& credit : front.owed) {
            hint = credit_member(credit.member, credit.amount, hint);
        }
        reserve_.vested_unpaid -= front.total;
        total_arrears_ -= front.total;
        arrears_.pop_front();
    }
}

// The reserve cannot cover the oldest batch: it is shared pro rata over what each member is owed
// in that batch. Since available < total, every part is at most the member's amount.
void SettlementLedger::fund_front_batch_partly() {
    ArrearsBatch& front = arrears_.front();
    const AttoFil available = reserve_.vested_unpaid;
    MINERX_ASSERT(available > 0);
    MINERX_ASSERT(available < front.total);
    std::vector<MemberWeight> weights(front.owed.size());
    for (std::size_t i = 0; i < front.owed.size(); ++i) {
        weights[i] = MemberWeight{.member = front.owed[i].member,
                                  .weight = static_cast<math::Uint128>(front.owed[i].amount)};
    }
    const std::vector<AttoFil> parts = apportion_by_member(available, weights);
    auto hint = members_.begin();
    for (std::size_t i = 0; i < front.owed.size(); ++i) {
        MINERX_ASSERT(parts[i] <= front.owed[i].amount);
        hint = credit_member(front.owed[i].member, parts[i], hint);
        front.owed[i].amount -= parts[i];
    }
    std::erase_if(front.owed, [](const MemberCredit& credit) { return credit.amount == 0; });
    front.total -= available;
    total_arrears_ -= available;
    reserve_.vested_unpaid = 0;
    MINERX_ASSERT(front.total > 0);
}

void SettlementLedger::merge_newest_batches() {
    MINERX_ASSERT(arrears_.size() >= 2);
    ArrearsBatch newest = std::move(arrears_.back());
    arrears_.pop_back();
    ArrearsBatch& older = arrears_.back();
    std::vector<MemberCredit> merged;
    merged.reserve(older.owed.size() + newest.owed.size());
    auto a = older.owed.begin();
    auto b = newest.owed.begin();
    while (a != older.owed.end() || b != newest.owed.end()) {
        if (b == newest.owed.end() || (a != older.owed.end() && a->member < b->member)) {
            merged.push_back(*a++);
        } else if (a == older.owed.end() || b->member < a->member) {
            merged.push_back(*b++);
        } else {
            merged.push_back(MemberCredit{.member = a->member, .amount = a->amount + b->amount});
            ++a;
            ++b;
        }
    }
    older.owed = std::move(merged);
    older.total += newest.total;
}

AttoFil SettlementLedger::sweep_reserve_above(AttoFil cap) {
    MINERX_ASSERT(cap >= 0);
    if (reserve_.vested_unpaid <= cap) return 0;
    const AttoFil excess = reserve_.vested_unpaid - cap;
    reserve_.vested_unpaid = cap;
    operator_.vested_unpaid += excess;
    return excess;
}

AttoFil SettlementLedger::forfeit_unvested(MemberId member) {
    auto it = members_.find(member);
    if (it == members_.end()) return 0;
    PoolVestingSchedule& leaver = it->second.vesting;
    const AttoFil amount = leaver.total_locked();
    // The buckets keep their slots and steps, so the earliest vest epoch is unchanged.
    reserve_.vesting.absorb(leaver);
    return amount;
}

PayoutResult SettlementLedger::pay(Beneficiary beneficiary, AttoFil amount) {
    if (beneficiary.kind == Beneficiary::Kind::reserve) return PayoutResult::not_payable;
    if (amount < 0) return PayoutResult::invalid_amount;
    Account* payee = &operator_;
    if (beneficiary.kind == Beneficiary::Kind::member) {
        auto it = members_.find(beneficiary.member);
        if (it == members_.end()) return PayoutResult::unknown_account;
        payee = &it->second;
    }
    if (amount > payee->vested_unpaid) return PayoutResult::insufficient_vested_balance;
    payee->vested_unpaid -= amount;
    payee->paid += amount;
    return PayoutResult::paid;
}

void SettlementLedger::record_epoch_closed() {
    ReserveRisk& risk = reserve_risk_;
    risk.max_total_arrears = std::max(risk.max_total_arrears, total_arrears_);
    if (total_arrears_ > 0) {
        ++risk.epochs_in_arrears;
        ++risk.current_arrears_streak_epochs;
        risk.longest_arrears_streak_epochs =
            std::max(risk.longest_arrears_streak_epochs, risk.current_arrears_streak_epochs);
    } else {
        risk.current_arrears_streak_epochs = 0;
    }
    const AttoFil reserve = reserve_.vested_unpaid;
    risk.min_vested_reserve =
        risk.min_vested_reserve ? std::min(*risk.min_vested_reserve, reserve) : reserve;
}

SettlementLedger::Account& SettlementLedger::account(Beneficiary beneficiary) {
    switch (beneficiary.kind) {
        case Beneficiary::Kind::member: return members_[beneficiary.member];
        case Beneficiary::Kind::pool_operator: return operator_;
        case Beneficiary::Kind::reserve: return reserve_;
    }
    MINERX_ASSERT(false);
}

SettlementLedger::MemberAccounts::iterator SettlementLedger::member_account(
    MemberId member, MemberAccounts::iterator hint) {
    if (hint != members_.end() && hint->first == member) return hint;
    auto at = members_.lower_bound(member);
    if (at == members_.end() || at->first != member) at = members_.try_emplace(at, member);
    return at;
}

const SettlementLedger::Account* SettlementLedger::find_account(Beneficiary beneficiary) const {
    switch (beneficiary.kind) {
        case Beneficiary::Kind::member: {
            auto it = members_.find(beneficiary.member);
            return it == members_.end() ? nullptr : &it->second;
        }
        case Beneficiary::Kind::pool_operator: return &operator_;
        case Beneficiary::Kind::reserve: return &reserve_;
    }
    return nullptr;
}

AccountBalance SettlementLedger::balance(Beneficiary beneficiary) const {
    const Account* found = find_account(beneficiary);
    if (found == nullptr) return AccountBalance{};
    return AccountBalance{.unvested = found->vesting.total_locked(),
                          .vested_unpaid = found->vested_unpaid,
                          .paid = found->paid,
                          .arrears = found->arrears};
}

std::vector<MemberId> SettlementLedger::members() const {
    std::vector<MemberId> ids;
    ids.reserve(members_.size());
    for (const auto& [member, unused] : members_) ids.push_back(member);
    return ids;
}

std::size_t SettlementLedger::vesting_bucket_count(Beneficiary beneficiary) const {
    const Account* found = find_account(beneficiary);
    return found == nullptr ? 0 : found->vesting.bucket_count();
}

std::optional<ChainEpoch> SettlementLedger::next_vest_epoch() const {
    if (earliest_vest_epoch_ == PoolVestingSchedule::kNoVestEpoch) return std::nullopt;
    return earliest_vest_epoch_;
}

LedgerInvariant SettlementLedger::check_invariant() const {
    LedgerInvariant result;
    result.money_received = rewards_received_ + reserve_deposits_;
    ChainEpoch earliest_vest_epoch = PoolVestingSchedule::kNoVestEpoch;
    auto add_account = [&](const Account& held, bool is_reserve) {
        if (!held.vesting.consistent()) result.accounts_consistent = false;
        if (held.vesting.bucket_count() > kMaxVestingBuckets) result.accounts_consistent = false;
        if (held.vested_unpaid < 0) result.accounts_consistent = false;
        if (held.paid < 0 || held.arrears < 0) result.accounts_consistent = false;
        if (is_reserve && (held.paid != 0 || held.arrears != 0)) result.accounts_consistent = false;
        result.money_held += held.vesting.total_locked() + held.vested_unpaid + held.paid;
        earliest_vest_epoch = std::min(earliest_vest_epoch, held.vesting.next_vest_epoch());
    };
    AttoFil member_arrears = 0;
    for (const auto& [member, held] : members_) {
        add_account(held, false);
        member_arrears += held.arrears;
    }
    add_account(operator_, false);
    add_account(reserve_, true);
    if (operator_.arrears != 0) result.accounts_consistent = false;
    if (earliest_vest_epoch_ != earliest_vest_epoch) result.accounts_consistent = false;
    AttoFil queued = 0;
    for (const ArrearsBatch& batch : arrears_) queued += batch.total;
    if (member_arrears != total_arrears_ || queued != total_arrears_) {
        result.accounts_consistent = false;
    }
    return result;
}

}  // namespace minerx::pool

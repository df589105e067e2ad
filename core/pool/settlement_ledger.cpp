#include "core/pool/settlement_ledger.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "core/pool/apportion.h"
#include "core/util/assert.h"

namespace minerx::pool {

namespace {

using chain::AttoFil;
using chain::ChainEpoch;

// The reward vesting spec's quantization: schedules whose proving-period starts agree modulo it
// put their vest epochs on the same grid (chain::quantize_up uses only the start mod the unit).
constexpr ChainEpoch kVestQuantization = chain::kRewardVestingSpec.quantization;

ChainEpoch grid_offset_of(ChainEpoch proving_period_start) {
    return ((proving_period_start % kVestQuantization) + kVestQuantization) % kVestQuantization;
}

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

}  // namespace

SettlementLedger::SettlementLedger(std::size_t arrears_batch_limit)
    : arrears_batch_limit_(arrears_batch_limit) {
    MINERX_ASSERT(arrears_batch_limit_ >= 1);
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
    rewards_received_ += reward;
    if (reward == 0) return;

    const AttoFil locked_total = chain::split_block_reward(reward).locked;
    std::vector<math::Uint128> weights(allocations.size());
    for (std::size_t i = 0; i < allocations.size(); ++i) {
        weights[i] = static_cast<math::Uint128>(allocations[i].amount);
    }
    const std::vector<AttoFil> locked_parts = apportion(locked_total, weights);
    for (std::size_t i = 0; i < allocations.size(); ++i) {
        MINERX_ASSERT(locked_parts[i] <= allocations[i].amount);
        Account& target = account(allocations[i].beneficiary);
        target.vested_unpaid += allocations[i].amount - locked_parts[i];
        if (locked_parts[i] > 0) lock(target, epoch, proving_period_start, locked_parts[i]);
    }
    fund_arrears();
}

void SettlementLedger::lock(Account& target, ChainEpoch epoch, ChainEpoch proving_period_start,
                            AttoFil amount) {
    const ChainEpoch offset = grid_offset_of(proving_period_start);
    auto on_grid =
        std::find_if(target.schedules.begin(), target.schedules.end(),
                     [&](const GridSchedule& grid) { return grid.grid_offset == offset; });
    if (on_grid == target.schedules.end()) {
        target.schedules.push_back(GridSchedule{.grid_offset = offset, .schedule = {}});
        on_grid = std::prev(target.schedules.end());
    }
    const AttoFil unlocked = on_grid->schedule.add_locked_funds(epoch, amount, offset);
    target.vested_unpaid += unlocked;
    target.unvested += amount - unlocked;
    refresh_first_vest_epoch(target);
    earliest_vest_epoch_ = std::min(earliest_vest_epoch_, target.first_vest_epoch);
}

void SettlementLedger::refresh_first_vest_epoch(Account& target) {
    target.first_vest_epoch = kNoVestEpoch;
    for (const GridSchedule& grid : target.schedules) {
        const auto funds = grid.schedule.funds();
        if (!funds.empty()) target.first_vest_epoch = std::min(target.first_vest_epoch,
                                                               funds.front().epoch);
    }
}

void SettlementLedger::unlock_account(Account& target, ChainEpoch current_epoch) {
    if (target.first_vest_epoch >= current_epoch) return;
    for (GridSchedule& grid : target.schedules) {
        const AttoFil unlocked = grid.schedule.unlock_vested_funds(current_epoch);
        target.unvested -= unlocked;
        target.vested_unpaid += unlocked;
    }
    MINERX_ASSERT(target.unvested >= 0);
    refresh_first_vest_epoch(target);
}

void SettlementLedger::unlock_vested(ChainEpoch current_epoch) {
    // Vest epochs come in steps of 12 hours per grid, so most epochs skip the scan entirely.
    if (earliest_vest_epoch_ >= current_epoch) return;
    earliest_vest_epoch_ = kNoVestEpoch;
    auto visit = [&](Account& target) {
        unlock_account(target, current_epoch);
        earliest_vest_epoch_ = std::min(earliest_vest_epoch_, target.first_vest_epoch);
    };
    for (auto& [member, target] : members_) visit(target);
    visit(operator_);
    visit(reserve_);
    fund_arrears();
}

void SettlementLedger::credit_from_reserve(ChainEpoch epoch,
                                           std::span<const MemberCredit> credits) {
    ArrearsBatch batch{.epoch = epoch, .owed = {}, .total = 0};
    for (std::size_t i = 0; i < credits.size(); ++i) {
        if (i > 0) MINERX_ASSERT(credits[i - 1].member < credits[i].member);
        MINERX_ASSERT(credits[i].amount >= 0);
        if (credits[i].amount == 0) continue;
        account(Beneficiary::of_member(credits[i].member)).arrears += credits[i].amount;
        batch.owed.push_back(credits[i]);
        batch.total += credits[i].amount;
    }
    if (batch.total == 0) return;
    total_arrears_ += batch.total;
    if (!arrears_.empty()) MINERX_ASSERT(arrears_.back().epoch <= epoch);
    arrears_.push_back(std::move(batch));
    if (arrears_.size() > arrears_batch_limit_) merge_newest_batches();
    fund_arrears();
}

void SettlementLedger::credit_member(MemberId member, AttoFil amount) {
    Account& target = account(Beneficiary::of_member(member));
    MINERX_ASSERT(amount <= target.arrears);
    target.arrears -= amount;
    target.vested_unpaid += amount;
}

void SettlementLedger::fund_arrears() {
    while (!arrears_.empty() && reserve_.vested_unpaid > 0) {
        ArrearsBatch& front = arrears_.front();
        if (reserve_.vested_unpaid < front.total) {
            fund_front_batch_partly();
            return;
        }
        for (const MemberCredit& credit : front.owed) credit_member(credit.member, credit.amount);
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
    for (std::size_t i = 0; i < front.owed.size(); ++i) {
        MINERX_ASSERT(parts[i] <= front.owed[i].amount);
        credit_member(front.owed[i].member, parts[i]);
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
    Account& leaver = it->second;
    const AttoFil amount = leaver.unvested;
    for (GridSchedule& grid : leaver.schedules) reserve_.schedules.push_back(std::move(grid));
    leaver.schedules.clear();
    leaver.unvested = 0;
    leaver.first_vest_epoch = kNoVestEpoch;
    reserve_.unvested += amount;
    refresh_first_vest_epoch(reserve_);
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
    return AccountBalance{.unvested = found->unvested,
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

std::optional<ChainEpoch> SettlementLedger::next_vest_epoch() const {
    if (earliest_vest_epoch_ == kNoVestEpoch) return std::nullopt;
    return earliest_vest_epoch_;
}

LedgerInvariant SettlementLedger::check_invariant() const {
    LedgerInvariant result;
    result.money_received = rewards_received_ + reserve_deposits_;
    auto add_account = [&](const Account& held, bool is_reserve) {
        AttoFil locked = 0;
        for (const GridSchedule& grid : held.schedules) locked += grid.schedule.total_locked();
        if (locked != held.unvested) result.accounts_consistent = false;
        if (held.unvested < 0 || held.vested_unpaid < 0) result.accounts_consistent = false;
        if (held.paid < 0 || held.arrears < 0) result.accounts_consistent = false;
        if (is_reserve && (held.paid != 0 || held.arrears != 0)) result.accounts_consistent = false;
        result.money_held += held.unvested + held.vested_unpaid + held.paid;
    };
    AttoFil member_arrears = 0;
    for (const auto& [member, held] : members_) {
        add_account(held, false);
        member_arrears += held.arrears;
    }
    add_account(operator_, false);
    add_account(reserve_, true);
    if (operator_.arrears != 0) result.accounts_consistent = false;
    AttoFil queued = 0;
    for (const ArrearsBatch& batch : arrears_) queued += batch.total;
    if (member_arrears != total_arrears_ || queued != total_arrears_) {
        result.accounts_consistent = false;
    }
    return result;
}

}  // namespace minerx::pool

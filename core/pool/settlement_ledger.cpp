#include "core/pool/settlement_ledger.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <utility>

#include "core/math/mul_div.h"
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

DepositResult SettlementLedger::deposit_to_reserve(AttoFil amount) {
    if (amount < 0 || amount > chain::kTotalFilSupply) return DepositResult::invalid_amount;
    reserve_deposits_ += amount;
    reserve_.vested_unpaid += amount;
    fund_arrears();
    return DepositResult::deposited;
}

WithdrawalResult SettlementLedger::withdraw_from_reserve(AttoFil amount) {
    if (amount < 0) return WithdrawalResult::invalid_amount;
    if (total_arrears_ > 0) return WithdrawalResult::arrears_owed;
    if (amount > reserve_.vested_unpaid) return WithdrawalResult::insufficient_vested_reserve;
    reserve_.vested_unpaid -= amount;
    operator_.vested_unpaid += amount;
    return WithdrawalResult::withdrawn;
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
        const AttoFil released = target.vesting.unlock(current_epoch);
        target.vested_unpaid += released;
        earliest_vest_epoch_ = std::min(earliest_vest_epoch_, target.vesting.next_vest_epoch());
        return released;
    };
    for (auto& [member, target] : members_) {
        if (visit(target) > 0) ++member_vesting_serial_;
    }
    visit(operator_);
    visit(reserve_);
    fund_arrears();
}

void SettlementLedger::credit_from_reserve(ChainEpoch epoch,
                                           std::span<const MemberCredit> credits,
                                           CreditRate rate,
                                           std::span<const math::Uint128> weights) {
    MINERX_ASSERT(weights.empty() || weights.size() == credits.size());
    MINERX_ASSERT(rate.numerator >= 0);
    MINERX_ASSERT(rate.denominator > 0);
    AttoFil total = 0;
    for (std::size_t i = 0; i < credits.size(); ++i) {
        if (i > 0) MINERX_ASSERT(credits[i - 1].member < credits[i].member);
        MINERX_ASSERT(credits[i].amount >= 0);
        MINERX_ASSERT(credits[i].amount <= chain::kTotalFilSupply);
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
    queue_credits(epoch, credits, rate, weights, total);
    fund_arrears();
}

// One credit round: its rate, each member's weight (runs only change where a weight does) and
// owed total, and a batch of its own (merged into the newest past the batch limit).
void SettlementLedger::queue_credits(ChainEpoch epoch, std::span<const MemberCredit> credits,
                                     CreditRate rate, std::span<const math::Uint128> weights,
                                     AttoFil total) {
    if (!arrears_.empty()) MINERX_ASSERT(arrears_.back().epoch <= epoch);
    if (weights.empty()) rate = CreditRate{};
    const std::uint64_t round = first_round_ + rounds_.size();
    rounds_.push_back({.numerator = rate.numerator, .denominator = rate.denominator});
    record_weights(round, credits, weights);
    auto hint = members_.begin();
    for (std::size_t i = 0; i < credits.size(); ++i) {
        if (credits[i].amount == 0) continue;
        const math::Uint128 weight =
            weights.empty() ? static_cast<math::Uint128>(credits[i].amount) : weights[i];
        // The amounts must be what the rate and weights say: they are recomputed from them.
        MINERX_ASSERT(static_cast<math::Uint128>(credits[i].amount) ==
                      math::mul_div(static_cast<math::Uint128>(rate.numerator), weight,
                                    rate.denominator));
        hint = member_account(credits[i].member, hint);
        (hint++)->second.arrears += credits[i].amount;
    }
    total_arrears_ += total;
    arrears_.push_back({.epoch = epoch, .first_round = round, .last_round = round, .total = total});
    if (arrears_.size() > arrears_batch_limit_) merge_newest_batches();
}

// Appends a run wherever a member's weight at `round` differs from its last one: members with a
// credit get their weight, members already in arrears without one get 0.
void SettlementLedger::record_weights(std::uint64_t round, std::span<const MemberCredit> credits,
                                      std::span<const math::Uint128> weights) {
    std::vector<MemberArrears> arrivals;
    auto entry = in_arrears_.begin();
    auto set_weight = [&](MemberArrears& member, math::Uint128 weight) {
        if (!member.weights.empty() && member.weights.back().weight == weight) return;
        member.weights.push_back({.first_round = round, .weight = weight});
    };
    for (std::size_t i = 0; i < credits.size(); ++i) {
        const MemberCredit& credit = credits[i];
        for (; entry != in_arrears_.end() && entry->member < credit.member; ++entry) {
            set_weight(*entry, 0);
        }
        const math::Uint128 weight =
            credit.amount == 0 ? 0
            : weights.empty()  ? static_cast<math::Uint128>(credit.amount)
                               : weights[i];
        if (entry != in_arrears_.end() && entry->member == credit.member) {
            set_weight(*entry++, weight);
        } else if (credit.amount > 0) {
            arrivals.push_back({.member = credit.member, .weights = {}, .front_owed = 0});
            set_weight(arrivals.back(), weight);
        }
    }
    for (; entry != in_arrears_.end(); ++entry) set_weight(*entry, 0);
    if (arrivals.empty()) return;
    std::vector<MemberArrears> merged;
    merged.reserve(in_arrears_.size() + arrivals.size());
    std::merge(std::make_move_iterator(in_arrears_.begin()),
               std::make_move_iterator(in_arrears_.end()),
               std::make_move_iterator(arrivals.begin()), std::make_move_iterator(arrivals.end()),
               std::back_inserter(merged),
               [](const MemberArrears& a, const MemberArrears& b) { return a.member < b.member; });
    in_arrears_ = std::move(merged);
}

SettlementLedger::MemberAccounts::iterator SettlementLedger::credit_member(
    MemberId member, AttoFil amount, MemberAccounts::iterator hint) {
    hint = member_account(member, hint);
    Account& target = hint->second;
    MINERX_ASSERT(amount <= target.arrears);
    target.arrears -= amount;
    target.vested_unpaid += amount;
    if (amount > 0) ++member_vesting_serial_;
    return std::next(hint);
}

void SettlementLedger::fund_arrears() {
    while (!arrears_.empty() && reserve_.vested_unpaid > 0) {
        know_front_owed();
        const ArrearsBatch& front = arrears_.front();
        if (reserve_.vested_unpaid < front.total) {
            fund_front_batch_partly();
            return;
        }
        auto hint = members_.begin();
        for (MemberArrears& member : in_arrears_) {
            if (member.front_owed == 0) continue;
            hint = credit_member(member.member, member.front_owed, hint);
            member.front_owed = 0;
        }
        reserve_.vested_unpaid -= front.total;
        total_arrears_ -= front.total;
        pop_front_batch();
    }
}

// Each member's credits in the front batch, recomputed from the rounds' rates and its weights.
void SettlementLedger::know_front_owed() {
    if (front_owed_known_) return;
    const ArrearsBatch& front = arrears_.front();
    AttoFil owed = 0;
    for (MemberArrears& member : in_arrears_) {
        member.front_owed = credit_in_rounds(member, front.first_round, front.last_round);
        owed += member.front_owed;
    }
    MINERX_ASSERT(owed == front.total);
    front_owed_known_ = true;
}

AttoFil SettlementLedger::credit_in_rounds(const MemberArrears& member, std::uint64_t first_round,
                                           std::uint64_t last_round) const {
    AttoFil credit = 0;
    for (std::size_t run = 0; run < member.weights.size(); ++run) {
        const WeightRun& current = member.weights[run];
        if (current.first_round > last_round) break;
        const std::uint64_t run_end = run + 1 < member.weights.size()
                                          ? member.weights[run + 1].first_round - 1
                                          : last_round;
        if (current.weight == 0 || run_end < first_round) continue;
        for (std::uint64_t round = std::max(current.first_round, first_round);
             round <= std::min(run_end, last_round); ++round) {
            const CreditRoundRate& rate = rounds_[static_cast<std::size_t>(round - first_round_)];
            credit += static_cast<AttoFil>(math::mul_div(
                static_cast<math::Uint128>(rate.numerator), current.weight, rate.denominator));
        }
    }
    return credit;
}

// The reserve cannot cover the oldest batch: it is shared pro rata over what each member is still
// owed in that batch. Since available < total, every part is at most the member's amount.
void SettlementLedger::fund_front_batch_partly() {
    ArrearsBatch& front = arrears_.front();
    const AttoFil available = reserve_.vested_unpaid;
    MINERX_ASSERT(available > 0);
    MINERX_ASSERT(available < front.total);
    std::vector<MemberWeight> weights(in_arrears_.size());
    for (std::size_t i = 0; i < in_arrears_.size(); ++i) {
        weights[i] = MemberWeight{.member = in_arrears_[i].member,
                                  .weight = static_cast<math::Uint128>(in_arrears_[i].front_owed)};
    }
    const std::vector<AttoFil> parts = apportion_by_member(available, weights);
    auto hint = members_.begin();
    for (std::size_t i = 0; i < in_arrears_.size(); ++i) {
        if (parts[i] == 0) continue;
        MINERX_ASSERT(parts[i] <= in_arrears_[i].front_owed);
        hint = credit_member(in_arrears_[i].member, parts[i], hint);
        in_arrears_[i].front_owed -= parts[i];
    }
    front.total -= available;
    total_arrears_ -= available;
    reserve_.vested_unpaid = 0;
    MINERX_ASSERT(front.total > 0);
}

// The front batch is repaid: its rounds go, every member's runs are trimmed to the next batch,
// and members owed nothing more leave the compact arrears (their credits in the remaining rounds
// are all zero, which is what an absent member's are).
void SettlementLedger::pop_front_batch() {
    const std::uint64_t last_round = arrears_.front().last_round;
    arrears_.pop_front();
    front_owed_known_ = false;
    while (!rounds_.empty() && first_round_ <= last_round) {
        rounds_.pop_front();
        ++first_round_;
    }
    for (MemberArrears& member : in_arrears_) {
        while (member.weights.size() >= 2 && member.weights[1].first_round <= first_round_) {
            member.weights.pop_front();
        }
    }
    auto hint = members_.begin();
    std::erase_if(in_arrears_, [&](const MemberArrears& member) {
        hint = member_account(member.member, hint);
        return (hint++)->second.arrears == 0;
    });
}

// Past the batch limit the newest batch joins the one before it. Rounds are consecutive, so the
// merged batch is the union of their ranges; if it is the front, its members' owed amounts add.
void SettlementLedger::merge_newest_batches() {
    MINERX_ASSERT(arrears_.size() >= 2);
    const ArrearsBatch newest = arrears_.back();
    arrears_.pop_back();
    ArrearsBatch& older = arrears_.back();
    MINERX_ASSERT(older.last_round + 1 == newest.first_round);
    older.last_round = newest.last_round;
    older.total += newest.total;
    if (arrears_.size() == 1 && front_owed_known_) {
        for (MemberArrears& member : in_arrears_) {
            member.front_owed += credit_in_rounds(member, newest.first_round, newest.last_round);
        }
    }
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
    if (!compact_arrears_consistent()) result.accounts_consistent = false;
    return result;
}

// Every member owed arrears has a record (so its credits are in the rounds), records ascend, their
// runs ascend and reach back to the front batch, and the rounds are exactly the batches'.
bool SettlementLedger::compact_arrears_consistent() const {
    AttoFil recorded_arrears = 0;
    for (std::size_t i = 0; i < in_arrears_.size(); ++i) {
        const MemberArrears& member = in_arrears_[i];
        if (i > 0 && in_arrears_[i - 1].member >= member.member) return false;
        if (member.weights.empty()) return false;
        for (std::size_t run = 1; run < member.weights.size(); ++run) {
            if (member.weights[run - 1].first_round >= member.weights[run].first_round) {
                return false;
            }
        }
        auto account = members_.find(member.member);
        if (account == members_.end()) return false;
        recorded_arrears += account->second.arrears;
    }
    if (recorded_arrears != total_arrears_) return false;
    if (arrears_.empty()) return rounds_.empty();
    if (arrears_.front().first_round != first_round_) return false;
    if (arrears_.back().last_round + 1 != first_round_ + rounds_.size()) return false;
    if (front_owed_known_) {
        AttoFil owed = 0;
        for (const MemberArrears& member : in_arrears_) owed += member.front_owed;
        if (owed != arrears_.front().total) return false;
    }
    return true;
}

}  // namespace minerx::pool

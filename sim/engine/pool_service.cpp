#include "sim/engine/pool_service.h"

#include <algorithm>
#include <utility>

#include "core/util/assert.h"
#include "sim/engine/sim_time.h"

namespace minerx::sim {
namespace {

std::vector<chain::ActorId> member_ids(const NetworkPlan& plan, const std::vector<std::size_t>& members) {
    std::vector<chain::ActorId> ids;
    for (std::size_t member : members) ids.push_back(plan.miners[member].actor_id);
    return ids;
}

pool::MiningEligibility eligibility_of(const chain::LookbackPower& power) {
    if (power.meets_consensus_minimum) return pool::MiningEligibility::eligible;
    if (power.miner_power > 0) return pool::MiningEligibility::below_minimum;
    return pool::MiningEligibility::ineligible;
}

// The member's miner actor's ProvingPeriodStart, which sets how the chain quantizes its reward
// vesting: spread over the proving period by actor id (a real actor's is set at its creation).
chain::ChainEpoch proving_period_start(chain::ActorId member) {
    return static_cast<chain::ChainEpoch>(member % static_cast<chain::ActorId>(chain::kEpochsPerDay));
}

}  // namespace

PoolService::PoolService(std::size_t index, const PoolSpec& spec, const NetworkPlan& plan,
                         NetworkChain& chain, ResultsWriter& writer,
                         std::vector<std::size_t> members, PoolSites sites,
                         chain::ChainEpoch last_epoch)
    : index_(index),
      spec_(spec),
      plan_(plan),
      chain_(chain),
      writer_(writer),
      members_(std::move(members)),
      sites_(sites),
      last_epoch_(last_epoch),
      accounting_roster_(member_ids(plan, members_), chain.tickets()) {
    for (std::size_t member : members_) {
        const chain::ActorId id = plan.miners[member].actor_id;
        ticket_keys_.push_back({chain.tickets().key(id, chain::TicketPurpose::election),
                                chain.tickets().key(id, chain::TicketPurpose::ticket)});
    }
    for (const PolicySpec& policy_spec : spec.policies) {
        pool::PoolAccountingConfig config;
        config.membership = spec.membership;
        config.policy = policy_spec.config;
        Policy policy{policy_spec.name, pool::PoolAccounting(config, 1),
                      std::vector<chain::AttoFil>(members_.size(), 0)};
        for (std::size_t member : members_) {
            const MinerPlan& miner = plan.miners[member];
            const pool::JoinOutcome joined = policy.accounting.member_joined(
                miner.actor_id, std::max<chain::ChainEpoch>(1, miner.join_epoch),
                proving_period_start(miner.actor_id));
            MINERX_ASSERT(joined == pool::JoinOutcome::joined);
        }
        if (policy_spec.initial_reserve > 0) {
            const pool::DepositResult deposited =
                policy.accounting.reserve_deposited(policy_spec.initial_reserve);
            MINERX_ASSERT(deposited == pool::DepositResult::deposited);
        }
        policies_.push_back(std::move(policy));
    }
}

std::size_t PoolService::member_index(chain::ActorId member) const {
    return static_cast<std::size_t>(member - kFirstMinerActorId);
}

void PoolService::activate(int site, TimeMs now) {
    active_site_ = site;
    pool::BlockProducerConfig config;
    config.propagation_delay_ms = chain_.propagation_delay_ms();
    config.publish_margin_ms = spec_.publish_margin_ms;
    config.report_not_elected = false;  // implied: miner_daily has every member's rounds
    producer_ = std::make_unique<pool::BlockProducer>(config);
    challenges_.clear();
    publishes_.clear();
    writer_.event(EventRow{pool::epoch_at(now), now, "producer_started", spec_.name,
                           site == 0 ? "primary" : "standby"});
}

void PoolService::start_round(chain::ChainEpoch round, TimeMs now) {
    MINERX_ASSERT(producer_ != nullptr);
    MINERX_ASSERT(round == chain_.open_round());
    const chain::Tipset& base = chain_.base_at(sites_.chain_node);
    pool::RoundBase round_base;
    round_base.parents = base.key();
    round_base.parent_weight = base.weight();
    round_base.parent_network_power = chain_.network_power_after(base);
    const chain::Digest beacon =
        chain_.tickets().digest(0, round, chain::TicketPurpose::winning_post_seed);
    round_base.beacon_data.assign(beacon.begin(), beacon.end());

    infos_.clear();
    const chain::ElectionRoster& roster = chain_.member_roster();
    const std::array<std::uint64_t, 4> salts = chain::TicketStream::salts(round);
    for (std::size_t position = 0; position < members_.size(); ++position) {
        const std::size_t member = members_[position];
        const MinerPlan& miner = plan_.miners[member];
        if (miner.join_epoch > round) continue;
        const chain::LookbackPower& power = roster.lookback(chain_.member_slot(member));
        pool::MemberBaseInfo info;
        info.member = miner.actor_id;
        info.miner_power = power.miner_power;
        info.network_power = power.network_power;
        info.eligible = power.meets_consensus_minimum && power.miner_power > 0;
        info.election_digest = chain::TicketStream::digest(ticket_keys_[position].election, salts);
        info.ticket_digest = chain::TicketStream::digest(ticket_keys_[position].ticket, salts);
        infos_.push_back(info);
    }
    producer_->start_round(round, now, std::move(round_base), infos_, pool::MempoolSnapshot{});
    drain_producer();
}

void PoolService::proof_received(chain::ActorId member, chain::ChainEpoch round, TimeMs now) {
    if (producer_ == nullptr) return;
    producer_->proof_received(member, round, now, true);
    drain_producer();
}

void PoolService::tick(TimeMs now) {
    if (producer_ == nullptr) return;
    std::optional<TimeMs> deadline = producer_->next_deadline();
    if (deadline && *deadline <= now) {
        producer_->tick(now);
        drain_producer();
    }
}

std::optional<TimeMs> PoolService::next_wake() const {
    std::optional<TimeMs> wake = producer_ ? producer_->next_deadline() : std::nullopt;
    if (!publishes_.empty()) {
        const TimeMs first = publishes_.begin()->first;
        wake = wake ? std::min(*wake, first) : first;
    }
    return wake;
}

std::vector<pool::RequestWinningPoSt> PoolService::take_challenges() {
    return std::exchange(challenges_, {});
}

std::vector<pool::PublishBlock> PoolService::take_due_publishes(TimeMs now) {
    std::vector<pool::PublishBlock> due;
    while (!publishes_.empty() && publishes_.begin()->first <= now) {
        due.push_back(std::move(publishes_.begin()->second));
        publishes_.erase(publishes_.begin());
    }
    return due;
}

void PoolService::drain_producer() {
    while (std::optional<pool::BlockProducerAction> action = producer_->poll_action()) {
        if (auto* request = std::get_if<pool::RequestWinningPoSt>(&*action)) {
            challenges_.push_back(*request);
        } else {
            auto& publish = std::get<pool::PublishBlock>(*action);
            const TimeMs at = publish.publish_at_ms;
            publishes_.emplace(at, std::move(publish));
        }
    }
    while (std::optional<pool::MemberOutcome> outcome = producer_->poll_outcome()) {
        // Rounds a member was not elected in, or could not be (no proven power at the lookback
        // yet, or under the consensus minimum), are implied by miner_daily; a published block
        // gets its final record (included or orphaned) when the chain decides it.
        if (outcome->outcome == pool::RoundOutcome::not_elected ||
            outcome->outcome == pool::RoundOutcome::ineligible ||
            outcome->outcome == pool::RoundOutcome::published) {
            continue;
        }
        MemberRoundRow row;
        row.pool = spec_.name;
        row.epoch = outcome->round;
        row.member = outcome->member;
        row.outcome = std::string(pool::to_string(outcome->outcome));
        row.win_count = outcome->win_count;
        row.proof_requested_ms = outcome->proof_requested_ms;
        row.proof_received_ms = outcome->proof_received_ms;
        row.published_ms = outcome->published_ms;
        writer_.member_round(row);
    }
}

void PoolService::block_decided(const chain::BlockFateRecord& fate, chain::AttoFil award) {
    if (fate.included) awards_[fate.height].push_back(Award{fate.miner, award});
    if (producer_ != nullptr &&
        producer_->block_fate(fate.block, fate.included ? pool::BlockFate::included
                                                        : pool::BlockFate::orphaned)) {
        drain_producer();
    }
}

chain::ChainEpoch PoolService::accounting_open_epoch() const {
    return policies_.empty() ? last_epoch_ + 1 : policies_.front().accounting.open_epoch();
}

void PoolService::heights_decided(chain::ChainEpoch undecided_from) {
    for (chain::ChainEpoch epoch = accounting_open_epoch();
         epoch < undecided_from && epoch <= last_epoch_; ++epoch) {
        close_accounting_epoch(epoch);
    }
}

void PoolService::close_accounting_epoch(chain::ChainEpoch epoch) {
    accounting_roster_.prepare(chain_.power_table(), epoch);
    powers_.clear();
    for (std::size_t slot = 0; slot < members_.size(); ++slot) {
        const chain::LookbackPower& power = accounting_roster_.lookback(slot);
        powers_.push_back(pool::MemberPowerReport{accounting_roster_.miner(slot),
                                                  power.miner_power, eligibility_of(power)});
    }
    pool::EpochReport report;
    report.epoch = epoch;
    report.powers = powers_;
    report.network_power = accounting_roster_.network_power();
    report.this_epoch_reward = chain_.this_epoch_reward(epoch);

    auto awards = awards_.find(epoch);
    for (Policy& policy : policies_) {
        if (awards != awards_.end()) {
            for (const Award& award : awards->second) {
                const pool::BlockRewardOutcome booked =
                    policy.accounting.block_rewarded(epoch, award.member, award.amount);
                MINERX_ASSERT(booked == pool::BlockRewardOutcome::booked);
            }
        }
        policy.accounting.epoch_closed(report);
    }
    if (awards != awards_.end()) awards_.erase(awards);
    if (epoch % chain::kEpochsPerDay == 0) write_day(day_of_round(epoch));
}

void PoolService::write_day(std::int64_t day) {
    for (Policy& policy : policies_) {
        chain::AttoFil received = 0;
        for (std::size_t position = 0; position < members_.size(); ++position) {
            const chain::ActorId member = plan_.miners[members_[position]].actor_id;
            const pool::AccountBalance balance = policy.accounting.member_balance(member);
            MemberDailyRow row;
            row.pool = spec_.name;
            row.policy = policy.name;
            row.day = day;
            row.member = member;
            row.earned = balance.earned() - policy.earned_at_day_start[position];
            row.paid = balance.paid;
            policy.earned_at_day_start[position] = balance.earned();
            writer_.member_daily(row);
        }
        const pool::SettlementLedger& ledger = policy.accounting.ledger();
        received = ledger.rewards_received();
        const pool::AccountBalance operator_balance = policy.accounting.operator_balance();
        const pool::AccountBalance reserve = policy.accounting.reserve_balance();
        PolicyDailyRow row;
        row.pool = spec_.name;
        row.policy = policy.name;
        row.day = day;
        row.received = received;
        row.operator_earned = operator_balance.earned();
        row.reserve_vested = reserve.vested_unpaid;
        row.reserve_unvested = reserve.unvested;
        chain::AttoFil arrears = 0;
        for (std::size_t member : members_) {
            arrears += policy.accounting.member_balance(plan_.miners[member].actor_id).arrears;
        }
        row.arrears = arrears;
        writer_.policy_daily(row);
    }
}

void PoolService::write_summaries() {
    for (const Policy& policy : policies_) {
        MINERX_ASSERT(policy.accounting.open_epoch() == last_epoch_ + 1);
        const pool::SettlementLedger& ledger = policy.accounting.ledger();
        const pool::LedgerInvariant invariant = ledger.check_invariant();
        PolicySummaryRow row;
        row.pool = spec_.name;
        row.policy = policy.name;
        row.rewards_received = ledger.rewards_received();
        row.money_held = invariant.money_held;
        row.money_received = invariant.money_received;
        row.balanced = invariant.holds();
        for (std::size_t member : members_) {
            const pool::AccountBalance balance =
                policy.accounting.member_balance(plan_.miners[member].actor_id);
            row.members_earned += balance.earned();
            row.members_arrears += balance.arrears;
        }
        row.operator_earned = policy.accounting.operator_balance().earned();
        const pool::AccountBalance reserve = policy.accounting.reserve_balance();
        row.reserve = reserve.vested_unpaid + reserve.unvested;
        const pool::ReserveRisk& risk = ledger.reserve_risk();
        row.max_arrears = risk.max_total_arrears;
        row.epochs_in_arrears = risk.epochs_in_arrears;
        row.min_vested_reserve = risk.min_vested_reserve;
        writer_.policy_summary(row);
    }
}

}  // namespace minerx::sim

#include "runners/pool/pool_books.h"

#include <stdexcept>

#include "core/math/int128.h"

namespace minerx::pool_daemon {
namespace {

std::int64_t int_of(const Json& body, const char* key) {
    if (!body.contains(key) || !body[key].is_number_integer()) {
        throw std::invalid_argument(std::string("event without integer ") + key);
    }
    return body[key].get<std::int64_t>();
}

chain::AttoFil amount_of(const Json& value) {
    auto parsed = value.is_string() ? math::parse_int128(value.get<std::string>()) : std::nullopt;
    if (!parsed) throw std::invalid_argument("event with a malformed amount");
    return *parsed;
}

chain::StoragePower power_of(const Json& value) {
    auto parsed = value.is_string() ? math::parse_uint128(value.get<std::string>()) : std::nullopt;
    if (!parsed) throw std::invalid_argument("event with a malformed power");
    return *parsed;
}

}  // namespace

PoolBooks::PoolBooks(std::vector<sim::PolicySpec> policies, const pool::MembershipConfig& membership,
                     pool::PayoutSchedule schedule, chain::ChainEpoch first_epoch)
    : policies_(std::move(policies)) {
    for (const sim::PolicySpec& spec : policies_) {
        pool::PoolAccountingConfig config;
        config.membership = membership;
        config.policy = spec.config;
        config.payout_schedule = schedule;
        if (auto error = pool::pool_accounting_config_error(config)) {
            throw std::invalid_argument("policy " + spec.name + ": " + *error);
        }
        books_.emplace_back(config, first_epoch);
    }
}

chain::ChainEpoch PoolBooks::open_epoch() const { return books_.empty() ? 0 : books_.front().open_epoch(); }

Json PoolBooks::close_body(const pool::EpochReport& report) {
    Json powers = Json::array();
    for (const pool::MemberPowerReport& entry : report.powers) {
        powers.push_back(Json::array({entry.member, math::to_string(entry.power), static_cast<int>(entry.eligibility)}));
    }
    return Json{{"epoch", report.epoch},
                {"network_power", math::to_string(report.network_power)},
                {"reward", math::to_string(report.this_epoch_reward)},
                {"powers", powers}};
}

std::vector<PolicyPayments> PoolBooks::apply(const std::string& kind, const Json& body) {
    std::vector<PolicyPayments> out;
    if (kind == "join") {
        const auto member = static_cast<pool::MemberId>(int_of(body, "member"));
        for (pool::PoolAccounting& books : books_) books.member_joined(member, int_of(body, "epoch"), 0);
    } else if (kind == "deposit") {
        for (std::size_t i = 0; i < books_.size(); ++i) {
            if (policies_[i].name == body.value("policy", "")) books_[i].reserve_deposited(amount_of(body["amount"]));
        }
    } else if (kind == "block") {
        const auto member = static_cast<pool::MemberId>(int_of(body, "member"));
        const chain::AttoFil award = amount_of(body.value("award", Json()));
        for (pool::PoolAccounting& books : books_) books.block_rewarded(int_of(body, "epoch"), member, award);
    } else if (kind == "close") {
        std::vector<pool::MemberPowerReport> powers;
        if (!body.contains("powers") || !body["powers"].is_array()) throw std::invalid_argument("close without powers");
        for (const Json& entry : body["powers"]) {
            if (!entry.is_array() || entry.size() != 3 || !entry[0].is_number_unsigned() || !entry[2].is_number_integer()) {
                throw std::invalid_argument("close with a malformed power entry");
            }
            const int eligibility = entry[2].get<int>();
            if (eligibility < 0 || eligibility > 2) throw std::invalid_argument("close with a bad eligibility");
            powers.push_back({entry[0].get<pool::MemberId>(), power_of(entry[1]),
                              static_cast<pool::MiningEligibility>(eligibility)});
        }
        pool::EpochReport report;
        report.epoch = int_of(body, "epoch");
        report.powers = powers;
        report.network_power = power_of(body.value("network_power", Json()));
        report.this_epoch_reward = amount_of(body.value("reward", Json()));
        for (std::size_t i = 0; i < books_.size(); ++i) {
            if (books_[i].open_epoch() != report.epoch) {
                throw std::invalid_argument("close of epoch " + std::to_string(report.epoch) + " but the open epoch is " +
                                            std::to_string(books_[i].open_epoch()));
            }
            pool::EpochActions actions = books_[i].epoch_closed(report);
            out.push_back({i, std::move(actions.payments)});
        }
    } else {
        throw std::invalid_argument("unknown event kind " + kind);
    }
    return out;
}

}  // namespace minerx::pool_daemon

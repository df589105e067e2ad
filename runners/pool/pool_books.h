#pragma once

// The pool's books: one core PoolAccounting per configured reward policy, all fed the same
// events (a paired comparison, as the simulator does). Events are the JSON bodies the store
// keeps (pool_store.h), so replaying the event log rebuilds the books bit for bit:
//   join     {"member": id, "epoch": e}
//   deposit  {"policy": name, "amount": "attoFIL"}                 (one policy's reserve)
//   block    {"epoch": e, "member": id, "award": "attoFIL"}       (an included pool block)
//   close    {"epoch": e, "network_power": "bytes", "reward": "attoFIL",
//             "powers": [[id, "bytes", eligibility], ...]}        (eligibility: 0 ineligible,
//                                                                  1 below minimum, 2 eligible)

#include <cstddef>
#include <string>
#include <vector>

#include "core/pool/pool_accounting.h"
#include "runners/rpc/json_rpc.h"
#include "sim/scenario/scenario.h"

namespace minerx::pool_daemon {

using rpc::Json;

struct PolicyPayments {
    std::size_t policy = 0;
    std::vector<pool::Payment> payments;
};

class PoolBooks {
public:
    PoolBooks(std::vector<sim::PolicySpec> policies, const pool::MembershipConfig& membership,
              pool::PayoutSchedule schedule, chain::ChainEpoch first_epoch);

    // Applies one event. Returns the payments a close made, per policy. Throws
    // std::invalid_argument for a malformed body (a corrupt log: the daemon refuses to start).
    std::vector<PolicyPayments> apply(const std::string& kind, const Json& body);

    std::size_t size() const { return books_.size(); }
    const std::string& name(std::size_t policy) const { return policies_[policy].name; }
    const sim::PolicySpec& spec(std::size_t policy) const { return policies_[policy]; }
    const pool::PoolAccounting& accounting(std::size_t policy) const { return books_[policy]; }
    chain::ChainEpoch open_epoch() const;

    static Json close_body(const pool::EpochReport& report);

private:
    std::vector<sim::PolicySpec> policies_;
    std::vector<pool::PoolAccounting> books_;
};

}  // namespace minerx::pool_daemon

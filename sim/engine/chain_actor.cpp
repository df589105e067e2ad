#include <chrono>

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>

#include "sim/engine/actors.h"
#include "sim/engine/sim_time.h"

namespace minerx::sim {
namespace {

double wall_now_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// Rounds past the last recorded one, at most, to decide the fates of its blocks (the first
// non-null height after it must close); 200 null rounds in a row have probability e^-1000.
constexpr chain::ChainEpoch kMaxExtraRounds = 200;

}  // namespace

void chain_actor(SimContext& context) {
    NetworkChain& chain = context.chain;
    for (chain::ChainEpoch round = 1; round <= context.last_epoch + kMaxExtraRounds; ++round) {
        if (round > context.last_epoch && chain.undecided_from() > context.last_epoch) break;
        simgrid::s4u::this_actor::sleep_until(to_seconds(chain.cutoff_ms(round)));
        chain.run_round(round);
        if (round % chain::kEpochsPerDay == 0 && round <= context.last_epoch && context.progress) {
            context.progress(Progress{round / chain::kEpochsPerDay,
                                      context.last_epoch / chain::kEpochsPerDay,
                                      wall_now_seconds() - context.wall_start_seconds});
        }
    }
}

}  // namespace minerx::sim

// The pool daemon's pieces without sockets: Lotus JSON conventions, the devnet chain's checks,
// and the PoolDaemon driven against an in-process devnet (its Lotus API through the JSON-RPC
// dispatcher) with a simulated clock: every member win becomes a block or a recorded miss, the
// books balance, and a restart from the database rebuilds the same books without paying twice.

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <deque>
#include <filesystem>
#include <memory>

#include "core/chain/address.h"
#include "core/chain/randomness.h"
#include "core/math/int128.h"
#include "runners/chainapi/lotus_json.h"
#include "runners/chainapi/proof_backends.h"
#include "runners/devnet/devnet_api.h"
#include "runners/devnet/devnet_store.h"
#include "runners/net/rpc_client.h"
#include "runners/pool/pool_daemon.h"
#include "runners/rpc/dispatcher.h"
#include "sim/network/network_plan.h"
#include "sim/scenario/scenario_file.h"

namespace minerx {
namespace {

using rpc::Json;

constexpr const char* kScenario = R"(
name: unit
seed: 7
network:
  bins:
    - {min: 1PiB, max: 2PiB, miners: 4}
    - {min: 2PiB, miners: 1}
  total_power: 8PiB
  continent_weights: {asia: 1.0}
pools:
  - name: unit
    members:
      per_continent: {asia: 4}
      initial_power_min: 2PiB
      initial_power_max: 4PiB
      max_power: 4PiB
    primary: {name: local, continent: asia}
    policies:
      - {kind: winner_takes_all, fee_ppm: 50000}
      - {kind: smoothed, fee_ppm: 50000, initial_reserve: 100FIL}
)";

TEST(LotusJson, BlockCidsAreCidV1DagCborBlake2bAndRoundTrip) {
    chain::Digest digest{};
    for (std::size_t i = 0; i < digest.size(); ++i) digest[i] = static_cast<std::uint8_t>(i * 7 + 1);
    const std::string cid = chainapi::block_cid(digest);
    EXPECT_EQ(cid.substr(0, 10), "bafy2bzace");  // every Lotus block CID starts so
    EXPECT_EQ(cid.size(), 62u);
    EXPECT_EQ(chainapi::parse_block_cid(cid), digest);
    EXPECT_EQ(chainapi::cid_from_json(Json{{"/", cid}}), digest);
    EXPECT_FALSE(chainapi::parse_block_cid("bafy2bzace"));
    EXPECT_FALSE(chainapi::parse_block_cid("Qm" + cid));
    EXPECT_FALSE(chainapi::cid_from_json(Json{{"/", 5}}));
    EXPECT_EQ(*chainapi::tipset_key_from_json(Json()), chain::TipsetKey{});
    EXPECT_FALSE(chainapi::tipset_key_from_json(Json::object()));
}

TEST(LotusJson, Base64AndAddresses) {
    const std::vector<std::uint8_t> bytes = {'b', 'y', 't', 'e', ' ', 'a', 'r', 'r', 'a', 'y'};
    EXPECT_EQ(chainapi::to_base64(bytes), "Ynl0ZSBhcnJheQ==");  // Lotus' api docs example
    EXPECT_EQ(chainapi::from_base64("Ynl0ZSBhcnJheQ=="), bytes);
    EXPECT_FALSE(chainapi::from_base64("%%%"));
    EXPECT_EQ(chainapi::parse_address("f01234"), 1234u);
    EXPECT_FALSE(chainapi::parse_address("f1abc"));
    EXPECT_EQ(chainapi::power_from_json(Json("1024")), chain::StoragePower{1024});
    EXPECT_FALSE(chainapi::attofil_from_json(Json("-1")));
    EXPECT_FALSE(chainapi::attofil_from_json(Json(5)));
}

TEST(TestbedBackends, ProofsBindMinerRoundAndSeed) {
    const chainapi::TestbedWinningPoSt post;
    chain::Digest seed{};
    seed[0] = 9;
    const auto proof = post.prove(1000, 5, seed);
    EXPECT_TRUE(post.verify(1000, 5, seed, proof));
    EXPECT_FALSE(post.verify(1001, 5, seed, proof));
    EXPECT_FALSE(post.verify(1000, 6, seed, proof));
    seed[1] = 1;
    EXPECT_FALSE(post.verify(1000, 5, seed, proof));
    const chainapi::TestbedVrf vrf(7);
    const auto ticket = vrf.prove(1000, 5, chain::TicketPurpose::ticket);
    EXPECT_TRUE(vrf.verify(1000, 5, chain::TicketPurpose::ticket, ticket));
    EXPECT_FALSE(vrf.verify(1000, 5, chain::TicketPurpose::election, ticket));
}

// A devnet in process, its API reached through the JSON-RPC dispatcher (JSON text both ways),
// and a clock the test moves.
class InProcessTestbed {
public:
    InProcessTestbed()
        : scenario_(sim::parse_scenario(kScenario, "unit.yaml")),
          plan_(sim::plan_network(scenario_, scenario_.seed)),
          vrf_(scenario_.seed),
          chain_(scenario_, plan_, devnet::DevnetTiming{kGenesis, 1000, 200}, vrf_, post_),
          dispatcher_(registry_),
          client_([this](const std::string& method, Json params) { return call(method, std::move(params)); }) {
        devnet::register_devnet_methods(registry_, chain_, [this] { return now_; });
        db_path_ = (std::filesystem::temp_directory_path() / ("minerx-pool-test-" + std::to_string(::getpid()) + ".db")).string();
        remove_db();
    }
    ~InProcessTestbed() { remove_db(); }

    Json call(const std::string& method, Json params) {
        const Json request{{"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", std::move(params)}};
        const auto response = dispatcher_.handle(rpc::to_text(request), rpc::Caller{rpc::Permission::admin, "pool", 0});
        return net::result_of(Json::parse(*response));
    }

    pool_daemon::PoolDaemonConfig config() const {
        pool_daemon::PoolDaemonConfig config;
        config.epoch_ms = 1000;
        config.genesis_unix_ms = kGenesis;
        config.policies = scenario_.pools[0].policies;
        for (const sim::MinerPlan& miner : plan_.miners) {
            if (miner.is_member()) config.members.push_back(miner.actor_id);
        }
        return config;
    }

    std::unique_ptr<pool_daemon::PoolDaemon> make_daemon(pool_daemon::PoolStore& store, bool provers) {
        auto daemon = std::make_unique<pool_daemon::PoolDaemon>(
            config(), client_, store, vrf_, post_, [this, provers](chain::ActorId miner, const Json& message) {
                if (provers) challenges_.emplace_back(miner, message);
                return provers;
            });
        daemon->recover(now_);
        return daemon;
    }

    // Moves time on in 10 ms steps until `until`, running the devnet's rounds at their cutoffs,
    // the daemon when it asks, and answering challenges at once (a prover on the same host).
    void run_until(pool_daemon::PoolDaemon& daemon, std::int64_t until) {
        std::int64_t wake = now_;
        for (; now_ <= until; now_ += 10) {
            while (chain_.cutoff_ms(next_round_) <= now_) chain_.run_round(next_round_++);
            if (now_ >= wake) wake = daemon.on_time(now_);
            while (!challenges_.empty()) {
                const auto [miner, message] = challenges_.front();
                challenges_.pop_front();
                const Json& challenge = message["params"][0];
                const chain::Digest seed = *chainapi::digest_from_base64(challenge["Seed"].get<std::string>());
                const chain::ChainEpoch round = challenge["Round"].get<chain::ChainEpoch>();
                EXPECT_EQ(daemon.proof_received(miner, round, post_.prove(miner, round, seed), now_), "accepted");
                wake = now_;
            }
        }
    }

    static constexpr std::int64_t kGenesis = 1'000'000;
    devnet::DevnetChain& chain() { return chain_; }
    const std::string& db_path() const { return db_path_; }
    std::int64_t now() const { return now_; }

private:
    void remove_db() {
        for (const char* suffix : {"", "-wal", "-shm"}) std::remove((db_path_ + suffix).c_str());
    }

    sim::Scenario scenario_;
    sim::NetworkPlan plan_;
    chainapi::TestbedVrf vrf_;
    chainapi::TestbedWinningPoSt post_;
    devnet::DevnetChain chain_;
    rpc::MethodRegistry registry_;
    rpc::Dispatcher dispatcher_;
    pool_daemon::ChainClient client_;
    std::string db_path_;
    std::int64_t now_ = kGenesis;
    chain::ChainEpoch next_round_ = 1;
    std::deque<std::pair<chain::ActorId, Json>> challenges_;
};

// Every (member, round) win of the devnet in [from, to] has an outcome row that is a block or a
// miss with a reason; returns the number of included blocks.
int check_every_win_recorded(InProcessTestbed& testbed, pool_daemon::PoolStore& store, chain::ChainEpoch from,
                             chain::ChainEpoch to) {
    int included = 0;
    for (const devnet::MemberWin& win : testbed.chain().member_wins(from, to)) {
        const auto rows = store.outcomes(win.miner, win.epoch, win.epoch, false);
        bool ok = false;
        for (const pool_daemon::OutcomeRow& row : rows) {
            if (row.outcome == "included") ++included;
            if (row.outcome == "published" || ((row.outcome == "proof_timed_out" || row.outcome == "missed") && !row.reason.empty())) {
                ok = row.win_count == win.win_count;
            }
        }
        EXPECT_TRUE(ok) << "win of f0" << win.miner << " at " << win.epoch << " has no record";
    }
    return included;
}

void expect_balanced(pool_daemon::PoolDaemon& daemon) {
    for (std::size_t i = 0; i < daemon.books().size(); ++i) {
        const pool::PoolAccounting& books = daemon.books().accounting(i);
        EXPECT_TRUE(books.ledger().check_invariant().holds());
        chain::AttoFil paid = books.operator_balance().paid + books.reserve_balance().paid;
        for (const pool::MemberId member : books.ledger().members()) paid += books.member_balance(member).paid;
        EXPECT_EQ(paid, daemon.store().paid_total(daemon.books().name(i), std::nullopt));
    }
}

TEST(PoolDaemon, EveryMemberWinBecomesABlockAndTheBooksBalance) {
    InProcessTestbed testbed;
    pool_daemon::PoolStore store(testbed.db_path());
    auto daemon = testbed.make_daemon(store, true);
    testbed.run_until(*daemon, InProcessTestbed::kGenesis + 12'000);
    const chain::ChainEpoch closed = daemon->books().open_epoch() - 1;
    ASSERT_GE(closed, 9);
    const int included = check_every_win_recorded(testbed, store, 1, closed);
    EXPECT_EQ(static_cast<std::size_t>(included), testbed.chain().member_wins(1, closed).size());
    EXPECT_EQ(store.count_outcomes("proof_timed_out"), 0);
    expect_balanced(*daemon);
}

TEST(PoolDaemon, WithoutAProverWinsAreTimedOutWithTheReason) {
    InProcessTestbed testbed;
    pool_daemon::PoolStore store(testbed.db_path());
    auto daemon = testbed.make_daemon(store, false);
    testbed.run_until(*daemon, InProcessTestbed::kGenesis + 6'000);
    const chain::ChainEpoch closed = daemon->books().open_epoch() - 1;
    ASSERT_GE(closed, 3);
    EXPECT_EQ(check_every_win_recorded(testbed, store, 1, closed), 0);
    const devnet::MemberWin win = testbed.chain().member_wins(1, closed).front();
    const auto rows = store.outcomes(win.miner, win.epoch, win.epoch, true);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].outcome, "proof_timed_out");
    EXPECT_NE(rows[0].reason.find("no prover was connected"), std::string::npos);
}

TEST(PoolDaemon, RestartFromTheDatabaseRebuildsTheSameBooks) {
    InProcessTestbed testbed;
    pool_daemon::PoolStore store(testbed.db_path());
    auto daemon = testbed.make_daemon(store, true);
    testbed.run_until(*daemon, InProcessTestbed::kGenesis + 6'000);
    std::vector<std::string> balances;
    for (std::size_t i = 0; i < daemon->books().size(); ++i) {
        const pool::AccountBalance balance = daemon->books().accounting(i).member_balance(1005);
        balances.push_back(math::to_string(balance.paid) + "/" + math::to_string(balance.unvested));
    }
    const chain::ChainEpoch open = daemon->books().open_epoch();
    daemon.reset();  // the process dies: only the database remains

    pool_daemon::PoolStore reopened(testbed.db_path());
    daemon = testbed.make_daemon(reopened, true);
    EXPECT_EQ(daemon->books().open_epoch(), open);
    for (std::size_t i = 0; i < daemon->books().size(); ++i) {
        const pool::AccountBalance balance = daemon->books().accounting(i).member_balance(1005);
        EXPECT_EQ(math::to_string(balance.paid) + "/" + math::to_string(balance.unvested), balances[i]);
    }
    testbed.run_until(*daemon, InProcessTestbed::kGenesis + 12'000);
    const chain::ChainEpoch closed = daemon->books().open_epoch() - 1;
    check_every_win_recorded(testbed, reopened, 1, closed);
    expect_balanced(*daemon);
}

TEST(PoolDaemon, ABlockAssembledBeforeACrashIsSubmittedAfterTheRestart) {
    InProcessTestbed testbed;
    auto store = std::make_unique<pool_daemon::PoolStore>(testbed.db_path());
    auto daemon = testbed.make_daemon(*store, true);
    // Round 5 has started and its proofs are in; its blocks wait for T(5) = genesis + 5 s.
    testbed.run_until(*daemon, InProcessTestbed::kGenesis + 5'000 - 300);
    const auto wins = testbed.chain().member_wins(5, 5);
    ASSERT_FALSE(wins.empty());
    for (const devnet::MemberWin& win : wins) EXPECT_EQ(store->blocks(win.miner, 5, 5).at(0).state, "published");
    daemon.reset();  // killed before T(5)
    store.reset();

    pool_daemon::PoolStore reopened(testbed.db_path());
    daemon = testbed.make_daemon(reopened, true);
    testbed.run_until(*daemon, InProcessTestbed::kGenesis + 9'000);
    for (const devnet::MemberWin& win : wins) EXPECT_EQ(reopened.blocks(win.miner, 5, 5).at(0).state, "included");
    expect_balanced(*daemon);
}

TEST(DevnetChain, RefusesBlocksItsElectionDoesNotSupport) {
    InProcessTestbed testbed;
    devnet::DevnetChain& chain = testbed.chain();
    for (chain::ChainEpoch round = 1; round <= 3; ++round) chain.run_round(round);
    const auto wins = chain.member_wins(3, 3);
    ASSERT_FALSE(wins.empty());
    const devnet::MemberWin win = wins.front();
    const chainapi::TestbedVrf vrf(7);
    const chainapi::TestbedWinningPoSt post;
    devnet::BlockTemplate tmpl;
    tmpl.miner = win.miner;
    tmpl.parents = chain.head().key();
    tmpl.epoch = 3;
    tmpl.win_count = win.win_count;
    tmpl.ticket_proof = vrf.prove(win.miner, 3, chain::TicketPurpose::ticket);
    tmpl.election_proof = vrf.prove(win.miner, 3, chain::TicketPurpose::election);
    tmpl.beacon_data = chain.beacon(3);
    const chain::Digest seed = chain::draw_randomness(tmpl.beacon_data, chain::DomainSeparationTag::kWinningPoStChallengeSeed,
                                                      3, chain::id_address_cbor(win.miner));
    tmpl.post_proof = post.prove(win.miner, 3, seed);

    devnet::BlockTemplate wrong_count = tmpl;
    wrong_count.win_count += 1;
    EXPECT_FALSE(chain.create_block(wrong_count, 0).block);
    devnet::BlockTemplate wrong_proof = tmpl;
    wrong_proof.post_proof[0] ^= 1;
    EXPECT_EQ(chain.create_block(wrong_proof, 0).error, "invalid WinningPoSt proof");
    auto created = chain.create_block(tmpl, 0);
    ASSERT_TRUE(created.block) << created.error;
    EXPECT_FALSE(chain.submit_block(*created.block, 0));
    EXPECT_TRUE(chain.submit_block(*created.block, 0));  // a duplicate
    chain.run_round(4);
    EXPECT_TRUE(chain.tipset_at_or_before(3).contains(created.block->header.id));
    EXPECT_TRUE(chain.submit_block(*created.block, 0));  // height 3 closed

    // --db: the stored member block and the seed give the same chain after a restart.
    const std::string path = testbed.db_path() + ".devnet";
    {
        devnet::DevnetStore store(path);
        store.add_member_block(tmpl, 0);
    }
    chain.run_round(5);
    InProcessTestbed restarted;
    devnet::DevnetStore reopened(path);
    const auto stored = reopened.member_blocks();
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_EQ(devnet::replay_devnet(restarted.chain(), stored, chain.cutoff_ms(5)), 6);
    for (chain::ChainEpoch height = 0; height <= 4; ++height) {
        EXPECT_EQ(restarted.chain().tipset_at_or_before(height).key(), chain.tipset_at_or_before(height).key());
    }
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
}

}  // namespace
}  // namespace minerx

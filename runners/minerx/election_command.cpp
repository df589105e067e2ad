#include "runners/minerx/election_command.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/chain/election.h"
#include "core/chain/power_units.h"
#include "core/chain/win_thresholds.h"
#include "runners/minerx/wincount_input.h"

namespace minerx::runners {
namespace {

struct WinCountOptions {
    std::string input_path;  // empty or "-" means stdin
};

struct EstimateOptions {
    std::string power;
    std::string raw_power;
    std::string network_power;
    double days = 1.0;
};

int run_wincount(const WinCountOptions& options) {
    std::ifstream file;
    std::istream* in = &std::cin;
    std::string source = "stdin";
    if (!options.input_path.empty() && options.input_path != "-") {
        file.open(options.input_path);
        if (!file) {
            std::cerr << "minerx: cannot open " << options.input_path << "\n";
            return 66;
        }
        in = &file;
        source = options.input_path;
    }
    int status = 0;
    std::string line;
    for (std::int64_t number = 1; std::getline(*in, line); ++number) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        auto first = line.find_first_not_of(" \t");
        if (first == std::string::npos || line[first] == '#') continue;
        WinCountLine result = evaluate_wincount_line(line);
        if (result.win_count) {
            std::cout << *result.win_count << '\n';
        } else {
            std::cout.flush();
            std::cerr << "minerx: " << source << ":" << number << ": " << result.error << "\n";
            status = 65;  // EX_DATAERR
        }
    }
    if (in->bad() || !in->eof()) {
        std::cerr << "minerx: " << source << ": read error\n";
        return 74;  // EX_IOERR
    }
    if (!std::cout.flush()) {
        std::cerr << "minerx: write error on standard output\n";
        return 74;
    }
    return status;
}

std::optional<chain::StoragePower> parse_power_option(const std::string& name,
                                                      const std::string& text) {
    chain::PowerParseResult parsed = chain::parse_storage_power(text);
    if (!parsed.power) std::cerr << "minerx: --" << name << ": " << parsed.error << "\n";
    return parsed.power;
}

std::string format_power(chain::StoragePower power) {
    return chain::format_storage_power(power) + " (" + math::to_string(power) + " bytes)";
}

void print_row(const char* label, const std::string& value) {
    std::printf("%-28s %s\n", label, value.c_str());
}

std::string format_double(const char* format, double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, format, value);
    return buffer;
}

int run_estimate(const EstimateOptions& options) {
    auto power = parse_power_option("power", options.power);
    auto network = parse_power_option("network-power", options.network_power);
    auto raw = options.raw_power.empty() ? power : parse_power_option("raw-power", options.raw_power);
    if (!power || !network || !raw) return 64;
    if (*network == 0) {
        std::cerr << "minerx: --network-power must be positive\n";
        return 64;
    }
    if (*power > *network) {
        std::cerr << "minerx: --power (" << chain::format_storage_power(*power)
                  << ") exceeds --network-power (" << chain::format_storage_power(*network)
                  << "); the network total includes every eligible miner\n";
        return 64;
    }
    if (*raw > *power) {
        std::cerr << "minerx: --raw-power exceeds --power; quality-adjusted power is never below "
                     "raw power\n";
        return 64;
    }
    constexpr double kDaysMax = 1e6;  // beyond this the arithmetic below loses meaning
    if (!(options.days > 0) || !(options.days <= kDaysMax)) {
        std::cerr << "minerx: --days must be a number of days in (0, 1000000]\n";
        return 64;
    }
    // The consensus minimum is on raw power (and raw <= QA, so an eligible miner has QA > 0).
    const bool eligible = *raw >= chain::kConsensusMinerMinPower;
    const double share = static_cast<double>(*power) / static_cast<double>(*network);
    const double epochs = options.days * static_cast<double>(chain::kEpochsPerDay);
    // Exact per-epoch win probability from Lotus' own threshold: icdf_0 / 2^256 = 1 - e^-λ.
    const double epoch_win_probability =
        eligible ? chain::WinThresholds(*power, *network).win_probability() : 0.0;
    const double wins_per_day =
        eligible ? static_cast<double>(chain::kEpochsPerDay * chain::kExpectedLeadersPerEpoch) * share
                 : 0.0;
    const double no_win = std::exp(epochs * std::log1p(-epoch_win_probability));

    print_row("miner power:", format_power(*power));
    if (!options.raw_power.empty()) print_row("miner raw power:", format_power(*raw));
    print_row("network power:", format_power(*network));
    print_row("power share:", format_double("%.6g", share));
    print_row("consensus minimum (10 TiB):",
              eligible ? "met: eligible to mine"
                       : "NOT met: below 10 TiB raw power the miner is not eligible and never wins");
    print_row("win probability per epoch:", format_double("%.6g", epoch_win_probability));
    print_row("expected wins per day:", format_double("%.6g", wins_per_day));
    print_row(("expected wins in " + format_double("%g", options.days) + " days:").c_str(),
              format_double("%.6g", wins_per_day * options.days));
    print_row(("P(no win in " + format_double("%g", options.days) + " days):").c_str(),
              format_double("%.6g", no_win));
    print_row("mean days between blocks:",
              wins_per_day > 0 ? format_double("%.6g", 1.0 / (epoch_win_probability *
                                                              static_cast<double>(chain::kEpochsPerDay)))
                               : std::string("never"));
    std::fflush(stdout);
    if (std::ferror(stdout)) {
        std::cerr << "minerx: write error on standard output\n";
        return 74;
    }
    return 0;
}

}  // namespace

std::function<int()> add_election_command(CLI::App& app) {
    auto* election = app.add_subcommand(
        "election", "Filecoin leader election (Lotus ComputeWinCount, bit-exact)");
    election->require_subcommand(1);

    auto wincount_options = std::make_shared<WinCountOptions>();
    auto* wincount = election->add_subcommand(
        "wincount",
        "Compute WinCount for election proofs.\n"
        "Reads lines \"<vrf-proof-hex> <miner-power> <network-power>\" (powers: decimal bytes of\n"
        "quality-adjusted power) and prints each line's WinCount, one per line. Blank lines and\n"
        "lines starting with # are skipped. A bad line is reported on stderr with its line number\n"
        "and makes the exit status 65; the good lines are still printed.");
    wincount->add_option("input", wincount_options->input_path, "Input file (default: stdin)");

    auto estimate_options = std::make_shared<EstimateOptions>();
    auto* estimate = election->add_subcommand(
        "estimate",
        "Expected wins and the chance of a dry spell for a miner's power.\n"
        "Powers are bytes or a number with a binary unit: 10995116277760, 10TiB, 5.4EiB.");
    estimate->add_option("--power", estimate_options->power,
                         "Miner quality-adjusted power (used by the election)")
        ->required();
    estimate->add_option("--network-power", estimate_options->network_power,
                         "Network quality-adjusted power (eligible miners only)")
        ->required();
    estimate->add_option("--raw-power", estimate_options->raw_power,
                         "Miner raw-byte power for the 10 TiB minimum (default: --power)");
    estimate->add_option("--days", estimate_options->days, "Window in days (default: 1)");

    return [=]() -> int {
        if (wincount->parsed()) return run_wincount(*wincount_options);
        if (estimate->parsed()) return run_estimate(*estimate_options);
        return 64;
    };
}

}  // namespace minerx::runners

#include "sim/cli/sweep_command.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string_view>
#include <thread>

#include "sim/results/results_writer.h"
#include "sim/results/sqlite_db.h"
#include "sim/scenario/scenario_file.h"
#include "sim/scenario/scenario_overrides.h"

extern char** environ;

namespace minerx::sim {
namespace {

struct GridAxis {
    std::string key;
    std::vector<std::string> values;
};

struct SweepRun {
    std::int64_t id = 0;
    std::uint64_t seed = 0;
    std::vector<ScenarioOverride> parameters;
    std::filesystem::path db;
    std::filesystem::path log;
    std::string digest;
};

GridAxis parse_axis(const std::string& text) {
    const ScenarioOverride pair = parse_override(text);
    GridAxis axis{pair.key, {}};
    std::stringstream values(pair.value);
    for (std::string value; std::getline(values, value, ',');) {
        if (value.empty()) throw OverrideError(pair.key + ": empty value in \"" + text + "\"");
        axis.values.push_back(value);
    }
    if (axis.values.empty()) throw OverrideError(pair.key + ": no values in \"" + text + "\"");
    return axis;
}

// Every combination of the axes' values, the first axis varying slowest.
std::vector<std::vector<ScenarioOverride>> grid_points(const std::vector<GridAxis>& axes) {
    std::vector<std::vector<ScenarioOverride>> points{{}};
    for (const GridAxis& axis : axes) {
        std::vector<std::vector<ScenarioOverride>> next;
        for (const auto& point : points) {
            for (const std::string& value : axis.values) {
                auto extended = point;
                extended.push_back({axis.key, value});
                next.push_back(std::move(extended));
            }
        }
        points = std::move(next);
    }
    return points;
}

std::string parameters_json(const std::vector<ScenarioOverride>& parameters) {
    std::string json = "{";
    for (std::size_t i = 0; i < parameters.size(); ++i) {
        if (i > 0) json += ", ";
        // Keys are identifiers and values were checked by apply_override (numbers, durations
        // such as "6s", continent names): no character needs escaping.
        const std::string& value = parameters[i].value;
        const bool number = !value.empty() && value.find_first_not_of("0123456789") == std::string::npos;
        json += "\"" + parameters[i].key + "\": " + (number ? value : "\"" + value + "\"");
    }
    return json + "}";
}

pid_t start_run(const SweepOptions& options, const SweepRun& run) {
    std::vector<std::string> args = {options.self, "run", options.scenario_file, "--seed",
                                     std::to_string(run.seed), "--out", run.db.string()};
    if (options.days) {
        args.push_back("--days");
        args.push_back(std::to_string(*options.days));
    }
    for (const ScenarioOverride& change : run.parameters) {
        args.push_back("--set");
        args.push_back(change.key + "=" + change.value);
    }
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, run.log.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    pid_t pid = -1;
    const int error = posix_spawn(&pid, options.self.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (error != 0) throw std::runtime_error("cannot start " + options.self);
    return pid;
}

std::string digest_from_log(const std::filesystem::path& log) {
    std::ifstream in(log);
    std::string line;
    std::string digest;
    while (std::getline(in, line)) {
        if (line.rfind("digest: ", 0) == 0) digest = line.substr(8);
    }
    return digest;
}

std::string tail_of(const std::filesystem::path& log) {
    std::ifstream in(log);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return text.size() > 2000 ? text.substr(text.size() - 2000) : text;
}

// Runs every run, at most `jobs` at a time. Returns false (after reporting) if one failed.
bool run_all(const SweepOptions& options, std::vector<SweepRun>& runs, std::int64_t jobs) {
    std::map<pid_t, std::size_t> running;
    std::size_t next = 0;
    std::size_t done = 0;
    bool ok = true;
    while (done < runs.size()) {
        while (ok && next < runs.size() && static_cast<std::int64_t>(running.size()) < jobs) {
            running[start_run(options, runs[next])] = next;
            ++next;
        }
        if (running.empty()) break;
        int status = 0;
        const pid_t pid = waitpid(-1, &status, 0);
        auto found = running.find(pid);
        if (found == running.end()) continue;
        SweepRun& run = runs[found->second];
        running.erase(found);
        ++done;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            std::fprintf(stderr, "minerx-sim sweep: run %lld (seed %llu %s) failed:\n%s\n",
                         static_cast<long long>(run.id), static_cast<unsigned long long>(run.seed),
                         parameters_json(run.parameters).c_str(), tail_of(run.log).c_str());
            ok = false;
            continue;
        }
        run.digest = digest_from_log(run.log);
        std::fprintf(stderr, "run %zu/%zu done: seed %llu %s digest %.16s\n", done, runs.size(),
                     static_cast<unsigned long long>(run.seed),
                     parameters_json(run.parameters).c_str(), run.digest.c_str());
    }
    return ok;
}

std::vector<std::string> table_names(SqliteDb& db, const std::string& schema) {
    std::vector<std::string> names;
    SqliteStatement statement = db.prepare("SELECT name FROM " + schema +
                                           ".sqlite_master WHERE type = 'table' ORDER BY name");
    while (statement.step()) names.push_back(statement.column_text(0));
    return names;
}

void merge(const std::vector<SweepRun>& runs, const std::filesystem::path& out) {
    const std::filesystem::path partial = out.string() + ".partial";
    std::filesystem::remove(partial);
    {
        SqliteDb db(partial);
        db.exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF");
        db.exec("CREATE TABLE sweep_runs (run_id INTEGER PRIMARY KEY, seed INTEGER NOT NULL, "
                "parameters TEXT NOT NULL, digest TEXT NOT NULL)");
        SqliteStatement insert = db.prepare("INSERT INTO sweep_runs VALUES (?,?,?,?)");
        for (const SweepRun& run : runs) {
            // SQLite attaches and detaches only outside a transaction.
            db.exec("ATTACH DATABASE '" + run.db.string() + "' AS one");
            db.exec("BEGIN");
            const std::vector<std::string> tables = table_names(db, "one");
            for (const std::string& table : tables) {
                if (run.id == 0) {
                    db.exec("CREATE TABLE main." + table + " AS SELECT 0 AS run_id, * FROM one." +
                            table + " WHERE 0");
                }
                db.exec("INSERT INTO main." + table + " SELECT " + std::to_string(run.id) +
                        ", * FROM one." + table);
            }
            insert.bind(1, run.id)
                .bind(2, static_cast<std::int64_t>(run.seed))
                .bind(3, parameters_json(run.parameters))
                .bind(4, run.digest)
                .execute();
            db.exec("COMMIT");
            db.exec("DETACH DATABASE one");
        }
    }
    std::filesystem::rename(partial, out);
}

}  // namespace

int run_sweep(const SweepOptions& options) {
    Scenario scenario = load_scenario_file(options.scenario_file);
    std::vector<GridAxis> axes;
    for (const std::string& text : options.grid) axes.push_back(parse_axis(text));
    // Check every value before starting anything.
    for (const GridAxis& axis : axes) {
        for (const std::string& value : axis.values) {
            Scenario copy = scenario;
            apply_override(copy, {axis.key, value});
        }
    }
    const std::uint64_t first_seed = options.first_seed.value_or(scenario.seed);
    const std::filesystem::path work =
        std::filesystem::path(options.out).parent_path() /
        (std::filesystem::path(options.out).filename().string() + ".runs");
    std::filesystem::create_directories(work);
    std::vector<SweepRun> runs;
    for (const auto& point : grid_points(axes)) {
        for (std::int64_t s = 0; s < options.seeds; ++s) {
            SweepRun run;
            run.id = static_cast<std::int64_t>(runs.size());
            run.seed = first_seed + static_cast<std::uint64_t>(s);
            run.parameters = point;
            run.db = work / ("run-" + std::to_string(run.id) + ".db");
            run.log = work / ("run-" + std::to_string(run.id) + ".log");
            runs.push_back(std::move(run));
        }
    }
    const std::int64_t jobs =
        options.jobs > 0 ? options.jobs
                         : std::max<std::int64_t>(1, std::thread::hardware_concurrency());
    std::fprintf(stderr, "minerx-sim sweep: %zu runs (%zu grid points x %lld seeds), %lld at a time\n",
                 runs.size(), runs.size() / static_cast<std::size_t>(options.seeds),
                 static_cast<long long>(options.seeds), static_cast<long long>(jobs));
    if (!run_all(options, runs, jobs)) return 70;
    merge(runs, options.out);
    std::filesystem::remove_all(work);
    std::printf("runs: %zu\nresults: %s\n", runs.size(), options.out.c_str());
    return 0;
}

}  // namespace minerx::sim

"""Opening a minerx results database and loading one run of it into pandas frames.

A single-run database is the schema of docs/results-schema.md. A sweep database
(`minerx-sim sweep`) has the same tables, each with an extra first column `run_id`, and a table
`sweep_runs(run_id, seed, parameters, digest)` where `parameters` is a JSON object of grid key ->
value. A single-run database is treated as a sweep of one run (run_id None).
"""
import json
import os
import sqlite3
from dataclasses import dataclass, field

import pandas as pd

# The tables (and the columns of them) that the report reads. Anything else may be absent.
REQUIRED_COLUMNS = {
    "run": ["key", "value"],
    "miners": ["miner", "continent", "role", "pool", "join_epoch", "initial_power_tib",
               "final_power_tib"],
    "policies": ["pool", "policy", "kind", "fee_ppm", "initial_reserve_attofil"],
    "miner_daily": ["day", "miner", "power_tib", "expected_win_count", "win_count", "reward_fil"],
    "member_daily": ["pool", "policy", "day", "member", "earned_attofil", "earned_fil"],
    "member_rounds": ["pool", "epoch", "member", "outcome", "win_count", "proof_requested_ms",
                      "proof_received_ms", "published_ms"],
    "policy_daily": ["pool", "policy", "day", "received_attofil", "operator_earned_attofil",
                     "reserve_vested_attofil", "reserve_unvested_attofil", "reserve_fil",
                     "arrears_fil"],
    "policy_summary": ["pool", "policy", "rewards_received_attofil", "balanced",
                       "members_earned_attofil", "operator_earned_attofil", "reserve_attofil",
                       "max_arrears_attofil", "epochs_in_arrears", "min_vested_reserve_attofil"],
    "blocks": ["epoch", "miner", "pool", "win_count", "published_ms", "origin_continent",
               "included"],
    "network_daily": ["day", "epochs", "null_rounds", "blocks", "win_count", "orphaned",
                      "network_power_tib", "this_epoch_reward_fil"],
    "continent_daily": ["day", "continent", "blocks", "orphaned", "mean_delay_to_winners_ms"],
}

EPOCHS_PER_DAY = 2880
EPOCH_MS = 30_000


class ResultsError(Exception):
    """A database the report cannot read. `status` is the sysexits.h exit status."""

    def __init__(self, message, status):
        super().__init__(message)
        self.status = status


EX_DATAERR = 65   # the input is not a minerx results database, or lacks tables/columns
EX_NOINPUT = 66   # the input file does not exist or cannot be read


@dataclass
class RunInfo:
    """One run of a database: its id in a sweep (None for a single-run database)."""
    run_id: object
    seed: int
    parameters: dict = field(default_factory=dict)
    digest: str = ""

    def grid_key(self):
        """The run's grid point as a canonical string ("" when the grid is empty)."""
        return json.dumps(self.parameters, sort_keys=True) if self.parameters else ""


@dataclass
class Run:
    """The frames of one run, with run_id dropped. Frame names are the table names."""
    info: RunInfo
    facts: dict
    tables: dict

    def __getattr__(self, name):
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)


class ResultsDb:
    """A validated results database, opened read-only."""

    def __init__(self, path):
        if not os.path.exists(path):
            raise ResultsError(f"{path}: no such file", EX_NOINPUT)
        if not os.path.isfile(path) or not os.access(path, os.R_OK):
            raise ResultsError(f"{path}: not a readable file", EX_NOINPUT)
        self.path = path
        try:
            self.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            names = {r[0] for r in self.conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table'")}
        except sqlite3.DatabaseError as e:
            raise ResultsError(f"{path}: not a minerx results database (SQLite: {e})",
                               EX_DATAERR) from e
        if "run" not in names or "miners" not in names:
            raise ResultsError(
                f"{path}: not a minerx results database (no 'run' or 'miners' table; "
                "see docs/results-schema.md)", EX_DATAERR)
        self.is_sweep = "sweep_runs" in names
        missing = sorted(t for t in REQUIRED_COLUMNS if t not in names)
        if missing:
            raise ResultsError(f"{path}: missing tables: {', '.join(missing)} "
                               "(see docs/results-schema.md)", EX_DATAERR)
        for table, columns in REQUIRED_COLUMNS.items():
            have = [r[1] for r in self.conn.execute(f"PRAGMA table_info({table})")]
            lacking = [c for c in columns if c not in have]
            if self.is_sweep and (not have or have[0] != "run_id"):
                lacking.insert(0, "run_id (first column, sweep database)")
            if lacking:
                raise ResultsError(f"{path}: table {table} lacks columns: {', '.join(lacking)}",
                                   EX_DATAERR)
        self.runs = self._list_runs()
        if not self.runs:
            raise ResultsError(f"{path}: the database holds no run", EX_DATAERR)

    def _list_runs(self):
        if not self.is_sweep:
            facts = dict(self.conn.execute("SELECT key, value FROM run").fetchall())
            return [RunInfo(None, int(facts.get("seed", 0)), {}, facts.get("digest", ""))]
        runs = []
        for run_id, seed, parameters, digest in self.conn.execute(
                "SELECT run_id, seed, parameters, digest FROM sweep_runs ORDER BY run_id"):
            try:
                params = json.loads(parameters) if parameters else {}
            except json.JSONDecodeError as e:
                raise ResultsError(f"{self.path}: sweep_runs.parameters of run {run_id} is not "
                                   f"JSON: {e}", EX_DATAERR) from e
            runs.append(RunInfo(run_id, int(seed), params if isinstance(params, dict) else {},
                                digest or ""))
        return runs

    def _read(self, table, run_id):
        if run_id is None:
            return pd.read_sql_query(f"SELECT * FROM {table}", self.conn)
        frame = pd.read_sql_query(f"SELECT * FROM {table} WHERE run_id = ?", self.conn,
                                  params=(run_id,))
        return frame.drop(columns=["run_id"])

    def load(self, info):
        """Every required table of one run."""
        tables = {t: self._read(t, info.run_id) for t in REQUIRED_COLUMNS}
        facts = dict(zip(tables["run"]["key"], tables["run"]["value"]))
        if tables["miner_daily"].empty or tables["network_daily"].empty:
            raise ResultsError(f"{self.path}: run {info.run_id if info.run_id is not None else ''}"
                               " has no daily rows (did the simulation run for a day?)",
                               EX_DATAERR)
        return Run(info, facts, tables)

    def close(self):
        self.conn.close()

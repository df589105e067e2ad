"""Builds a sweep results database from single-run databases, in the format `minerx-sim sweep`
writes: every table of the single-run schema with an extra first column `run_id INTEGER`, and
`sweep_runs(run_id INTEGER PRIMARY KEY, seed INTEGER, parameters TEXT, digest TEXT)` where
`parameters` is a JSON object of grid key -> value. A test fixture until the sweep command exists.
"""
import json
import sqlite3


def make_sweep_db(path, runs):
    """runs: [(single-run database path, parameters dict)]; run ids are 1, 2, ... in order."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE sweep_runs (run_id INTEGER PRIMARY KEY, seed INTEGER, "
                 "parameters TEXT, digest TEXT)")
    created = set()
    for run_id, (source, parameters) in enumerate(runs, start=1):
        conn.execute("ATTACH DATABASE ? AS src", (source,))
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM src.sqlite_master WHERE type = 'table' ORDER BY name")]
        for table in tables:
            columns = conn.execute(f"PRAGMA src.table_info({table})").fetchall()
            if table not in created:
                definition = ", ".join(f"{c[1]} {c[2]}" for c in columns)
                conn.execute(f"CREATE TABLE main.{table} (run_id INTEGER, {definition})")
                created.add(table)
            names = ", ".join(c[1] for c in columns)
            conn.execute(f"INSERT INTO main.{table} (run_id, {names}) "
                         f"SELECT ?, {names} FROM src.{table}", (run_id,))
        facts = dict(conn.execute("SELECT key, value FROM src.run").fetchall())
        conn.execute("INSERT INTO sweep_runs VALUES (?, ?, ?, ?)",
                     (run_id, int(facts["seed"]), json.dumps(parameters, sort_keys=True),
                      facts["digest"]))
        conn.commit()
        conn.execute("DETACH DATABASE src")
    conn.commit()
    conn.close()

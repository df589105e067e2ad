#!/usr/bin/python3
"""Tests of minerx-report that run the simulator: the CI baseline check (reports/baseline/
quick.json) passes for the CI run and for another seed, and fails for a broken
power-proportional policy; and a sweep database (several seeds per grid point) is reported with
95 % t-intervals that match the single runs'.

Usage: test_baseline_sweep.py MINERX_SIM [unittest arguments]   (ctest passes the binary)
"""
import json
import math
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
REPORT = os.path.join(ROOT, "reports", "minerx-report")
BASELINE = os.path.join(ROOT, "reports", "baseline", "quick.json")
QUICK = os.path.join(ROOT, "scenarios", "quick.yaml")
CI_DAYS = 60          # scripts/report-check.sh
SIM = None            # set from the command line
sys.path.insert(0, HERE)

import html_check  # noqa: E402
from sweep_fixture import make_sweep_db  # noqa: E402


def simulate(scenario, days, seed, out):
    subprocess.run([SIM, "run", scenario, "--days", str(days), "--seed", str(seed), "--out", out],
                   check=True, capture_output=True, timeout=600)
    return out


def report(db, out, *args):
    return subprocess.run([REPORT, db, "--out", out, *args], capture_output=True, text=True,
                          timeout=600)


def rewrite_policy(db, policy, credit):
    """Replaces what `policy` credited each member each day by credit(day, {member: attoFIL})
    -> {member: attoFIL}, in both the exact and the REAL column."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT day, member, earned_attofil FROM member_daily "
                            "WHERE policy = ?", (policy,)).fetchall()
        by_day = {}
        for day, member, atto in rows:
            by_day.setdefault(day, {})[member] = int(atto)
        for day, earned in by_day.items():
            for member, atto in credit(day, earned).items():
                conn.execute("UPDATE member_daily SET earned_attofil = ?, earned_fil = ? "
                             "WHERE policy = ? AND day = ? AND member = ?",
                             (str(atto), atto / 1e18, policy, day, member))


class BaselineCheck(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="minerx-baseline-test-")
        cls.ci_db = simulate(QUICK, CI_DAYS, 1, os.path.join(cls.tmp, "seed1.db"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def check(self, db):
        return report(db, os.path.join(self.tmp, "out-" + os.path.basename(db)),
                      "--baseline", BASELINE)

    def test_the_ci_run_passes(self):
        r = self.check(self.ci_db)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("within tolerance", r.stdout)

    def test_another_seed_passes(self):
        # Randomness reshuffled: the tolerances must absorb it (docs/reports.md).
        for seed in (2, 3):
            db = simulate(QUICK, CI_DAYS, seed, os.path.join(self.tmp, f"seed{seed}.db"))
            r = self.check(db)
            self.assertEqual(r.returncode, 0, f"seed {seed}:\n{r.stderr}")

    def test_one_member_taking_everything_under_power_proportional_fails(self):
        db = os.path.join(self.tmp, "greedy.db")
        shutil.copy(self.ci_db, db)

        def greedy(day, earned):
            first = min(earned)
            return {m: (sum(earned.values()) if m == first else 0) for m in earned}
        rewrite_policy(db, "power_proportional", greedy)
        r = self.check(db)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("incubator/power_proportional/gini_income_per_power", r.stderr)
        self.assertIn("MOVED", r.stderr)
        self.assertNotIn("incubator/solo/", r.stderr)

    def test_power_proportional_paying_each_winner_its_own_blocks_fails(self):
        db = os.path.join(self.tmp, "unshared.db")
        shutil.copy(self.ci_db, db)
        with sqlite3.connect(db) as conn:
            wta = {(d, m): int(a) for d, m, a in conn.execute(
                "SELECT day, member, earned_attofil FROM member_daily "
                "WHERE policy = 'winner_takes_all'")}
        rewrite_policy(db, "power_proportional",
                       lambda day, earned: {m: wta[(day, m)] for m in earned})
        r = self.check(db)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("incubator/power_proportional/cv_daily", r.stderr)


class Sweep(unittest.TestCase):
    SEEDS = (1, 2, 3)
    FEES = (50000, 100000)
    DAYS = 17

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="minerx-sweep-test-")
        with open(QUICK, encoding="utf-8") as f:
            quick = f.read()
        runs = []
        cls.single = {}
        for fee in cls.FEES:
            scenario = os.path.join(cls.tmp, f"quick-fee{fee}.yaml")
            with open(scenario, "w", encoding="utf-8") as f:
                f.write(quick.replace("fee_ppm: 50000", f"fee_ppm: {fee}"))
            for seed in cls.SEEDS:
                db = simulate(scenario, cls.DAYS, seed,
                              os.path.join(cls.tmp, f"fee{fee}-seed{seed}.db"))
                runs.append((db, {"fee_ppm": fee}))
                cls.single[(fee, seed)] = db
        cls.sweep_db = os.path.join(cls.tmp, "sweep.db")
        make_sweep_db(cls.sweep_db, runs)
        cls.out = os.path.join(cls.tmp, "report")
        cls.result = report(cls.sweep_db, cls.out, "--write-summary",
                            os.path.join(cls.tmp, "sweep.json"))
        with open(os.path.join(cls.tmp, "sweep.json"), encoding="utf-8") as f:
            cls.summary = json.load(f)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def point(self, fee):
        return next(p for p in self.summary["grid_points"] if p["parameters"] == {"fee_ppm": fee})

    def single_metrics(self, fee, seed):
        path = os.path.join(self.tmp, f"single-{fee}-{seed}.json")
        r = report(self.single[(fee, seed)], os.path.join(self.tmp, f"single-{fee}-{seed}"),
                   "--write-summary", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(path, encoding="utf-8") as f:
            return json.load(f)["grid_points"][0]["metrics"]

    def test_one_grid_point_per_parameter_set_with_its_seeds(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)
        self.assertEqual(len(self.summary["grid_points"]), len(self.FEES))
        for fee in self.FEES:
            self.assertEqual(self.point(fee)["seeds"], list(self.SEEDS))

    def test_each_run_reads_only_its_own_rows(self):
        for fee in self.FEES:
            mean = self.point(fee)["metrics"]["incubator/winner_takes_all/fee_share"]
            self.assertAlmostEqual(mean, fee / 1e6, places=9)
            self.assertAlmostEqual(
                self.point(fee)["ci95_half_width"]["incubator/winner_takes_all/fee_share"], 0,
                places=9)
        # Solo has no fee: the same seeds give the same solo numbers at both grid points.
        key = "incubator/solo/cv_daily@near50"
        self.assertEqual(self.point(self.FEES[0])["metrics"][key],
                         self.point(self.FEES[1])["metrics"][key])

    def test_interval_is_the_t_interval_of_the_single_runs(self):
        key = "incubator/solo/cv_daily@50-200"
        values = [self.single_metrics(self.FEES[1], s)[key] for s in self.SEEDS]
        n = len(values)
        mean = sum(values) / n
        sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
        point = self.point(self.FEES[1])
        self.assertAlmostEqual(point["metrics"][key], mean, places=10)
        self.assertAlmostEqual(point["ci95_half_width"][key], 4.303 * sd / math.sqrt(n),
                               places=10)
        self.assertGreater(point["ci95_half_width"][key], 0)

    def test_report_shows_intervals_per_grid_point_and_opens_in_chromium(self):
        with open(os.path.join(self.out, "report.md"), encoding="utf-8") as f:
            text = f.read()
        self.assertIn("6 runs over 2 grid point(s)", text)
        for fee in self.FEES:
            self.assertIn(f"Grid point fee_ppm={fee}; seeds 1, 2, 3.", text)
        self.assertIn(" ± ", text)
        self.assertTrue(os.path.isfile(os.path.join(self.out, "sweep_cv_weekly.png")))
        self.assertEqual(html_check.check(self.out), [])


if __name__ == "__main__":
    if len(sys.argv) < 2 or not os.access(sys.argv[1], os.X_OK):
        print("usage: test_baseline_sweep.py MINERX_SIM [unittest arguments]", file=sys.stderr)
        sys.exit(2)
    SIM = os.path.abspath(sys.argv.pop(1))
    unittest.main()

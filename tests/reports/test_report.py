#!/usr/bin/python3
"""Tests of minerx-report on the small fixed database tests/data/reports/small.db
(`minerx-sim run scenarios/quick.yaml --days 17`, seed 1): the golden summary, key metrics
recomputed here from the raw rows, the theory against docs/theory.md's tables, the command line's
errors, and the HTML report in headless Chromium.

Run: /usr/bin/python3 -m unittest -v test_report   (from tests/reports; ctest does this)
Regenerate the golden summary after an intended change of a metric:
  reports/minerx-report tests/data/reports/small.db --out /tmp/small-report \
      --write-summary tests/data/reports/small-summary.json
"""
import json
import math
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SMALL_DB = os.path.join(ROOT, "tests", "data", "reports", "small.db")
GOLDEN = os.path.join(ROOT, "tests", "data", "reports", "small-summary.json")
REPORT = os.path.join(ROOT, "reports", "minerx-report")
sys.path.insert(0, os.path.join(ROOT, "reports"))
sys.path.insert(0, HERE)

from minerx_report import metrics, summary, theory  # noqa: E402
import html_check  # noqa: E402


def run_report(*args):
    return subprocess.run([REPORT, *args], capture_output=True, text=True, timeout=300)


class ReportOfSmallDb(unittest.TestCase):
    """Writes the report of small.db once for all tests of the class."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="minerx-report-test-")
        cls.out = os.path.join(cls.tmp, "report")
        cls.summary_path = os.path.join(cls.tmp, "summary.json")
        cls.result = run_report(SMALL_DB, "--out", cls.out, "--write-summary", cls.summary_path)
        with open(cls.summary_path, encoding="utf-8") as f:
            cls.summary = json.load(f)
        cls.metrics = cls.summary["grid_points"][0]["metrics"]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)


class GoldenSummary(ReportOfSmallDb):
    def test_report_succeeds_and_writes_its_files(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)
        for name in ("report.md", "index.html"):
            self.assertTrue(os.path.isfile(os.path.join(self.out, name)), name)
        self.assertGreaterEqual(len([f for f in os.listdir(self.out) if f.endswith(".png")]), 8)

    def test_summary_matches_the_committed_golden_summary(self):
        with open(GOLDEN, encoding="utf-8") as f:
            golden = json.load(f)
        self.assertEqual(self.summary["scenario"], golden["scenario"])
        self.assertEqual(self.summary["days"], golden["days"])
        want = golden["grid_points"][0]["metrics"]
        self.assertEqual(sorted(self.metrics), sorted(want))
        for key, value in want.items():
            got = self.metrics[key]
            if value is None:
                self.assertIsNone(got, key)
            else:
                self.assertAlmostEqual(got, value, delta=1e-9 * max(1.0, abs(value)), msg=key)

    def test_single_run_summary_has_one_grid_point_without_intervals(self):
        self.assertEqual(len(self.summary["grid_points"]), 1)
        point = self.summary["grid_points"][0]
        self.assertEqual(point["parameters"], {})
        self.assertEqual(point["seeds"], [1])
        self.assertTrue(all(v is None for v in point["ci95_half_width"].values()))

    def test_month_metric_is_not_available_in_a_short_run(self):
        self.assertEqual(self.summary["days"], 17)
        months = [v for k, v in self.metrics.items() if "p_zero_month" in k]
        self.assertTrue(months)
        self.assertTrue(all(v is None for v in months))
        with open(os.path.join(self.out, "report.md"), encoding="utf-8") as f:
            self.assertIn("P(0 month) is n/a for runs shorter than 60 days", f.read())


class RecomputedFromRawRows(ReportOfSmallDb):
    """The summary's numbers recomputed here from the database's rows with sqlite3 and numpy,
    following docs/reports.md's definitions rather than the report's code."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        conn = sqlite3.connect(SMALL_DB)
        cls.days = conn.execute("SELECT MAX(day) + 1 FROM network_daily").fetchone()[0]
        cls.network_tib = np.zeros(cls.days)
        cls.reward = np.zeros(cls.days)
        for day, tib, reward in conn.execute(
                "SELECT day, network_power_tib, this_epoch_reward_fil FROM network_daily"):
            cls.network_tib[day] = tib
            cls.reward[day] = reward
        cls.members = {m: j for m, j in conn.execute(
            "SELECT miner, join_epoch FROM miners WHERE role = 'member'")}
        cls.ewc = {m: np.zeros(cls.days) for m in cls.members}
        for day, miner, ewc in conn.execute(
                "SELECT day, miner, expected_win_count FROM miner_daily"):
            if miner in cls.ewc:
                cls.ewc[miner][day] = ewc
        cls.fees = dict(conn.execute("SELECT policy, fee_ppm FROM policies"))
        cls.conn = conn

    @classmethod
    def tearDownClass(cls):
        cls.conn.close()
        super().tearDownClass()

    def start(self, member):
        # First full day at least warm-up (2880) + lookback (900) epochs after the join.
        return (self.members[member] + 2880 + 900) // 2880 + 1

    def income(self, policy):
        out = {m: np.zeros(self.days) for m in self.members}
        for day, member, fil in self.conn.execute(
                "SELECT day, member, earned_fil FROM member_daily WHERE policy = ?", (policy,)):
            out[member][day] = fil
        return out

    def fair(self, policy, member):
        # (1 − f) × expected WinCount × R/5, per day.
        return (1 - self.fees[policy] / 1e6) * self.ewc[member] * self.reward / 5

    def winning_tib(self, member):
        return self.ewc[member] * self.network_tib / (5 * 2880)

    @staticmethod
    def size_class(tib):
        return "lt50" if tib < 50 else "50-200" if tib < 200 else "200-1024" if tib < 1024 \
            else "ge1024"

    def test_daily_cv_of_each_class_under_solo_pools_member_days_by_their_power(self):
        income = self.income("solo")
        luck = {}
        for m in self.members:
            fair, tib = self.fair("solo", m), self.winning_tib(m)
            for d in range(self.start(m), self.days):
                if fair[d] > 0:
                    luck.setdefault(self.size_class(tib[d]), []).append(income[m][d] / fair[d])
        self.assertGreaterEqual(len(luck), 2)
        for cls, values in luck.items():
            values = np.array(values)
            expected = values.std(ddof=1) / values.mean() if len(values) > 1 else None
            got = self.metrics[f"incubator/solo/cv_daily@{cls}"]
            if expected is None:
                self.assertIsNone(got, cls)
            else:
                self.assertAlmostEqual(got, float(expected), places=12, msg=cls)

    def test_weekly_cv_under_power_proportional_pools_member_weeks_by_their_power(self):
        income = self.income("power_proportional")
        luck = {}
        for m in self.members:
            fair, tib = self.fair("power_proportional", m), self.winning_tib(m)
            s = self.start(m)
            for w in range((self.days - s) // 7):
                week = slice(s + 7 * w, s + 7 * w + 7)
                luck.setdefault(self.size_class(tib[week].mean()), []).append(
                    income[m][week].sum() / fair[week].sum())
        checked = 0
        for cls, values in luck.items():
            if len(values) < 2:
                continue
            values = np.array(values)
            self.assertAlmostEqual(self.metrics[f"incubator/power_proportional/cv_weekly@{cls}"],
                                   float(values.std(ddof=1) / values.mean()), places=12, msg=cls)
            checked += 1
        self.assertGreaterEqual(checked, 1)

    def test_gini_of_income_over_fair_share_by_mean_absolute_difference(self):
        for policy in ("solo", "power_proportional"):
            income = self.income(policy)
            x = np.array([income[m][self.start(m):].sum() / self.fair(policy, m)[
                self.start(m):].sum() for m in self.members])
            # G = Σ_i Σ_j |x_i − x_j| / (2 n² mean): the definition, not the sorted shortcut.
            expected = np.abs(x[:, None] - x[None, :]).sum() / (2 * len(x) ** 2 * x.mean())
            self.assertAlmostEqual(self.metrics[f"incubator/{policy}/gini_income_per_power"],
                                   float(expected), places=12, msg=policy)
        self.assertLess(self.metrics["incubator/power_proportional/gini_income_per_power"],
                        self.metrics["incubator/solo/gini_income_per_power"] / 4)

    def test_income_per_tib_day_and_fee_share_from_the_exact_columns(self):
        income = self.income("winner_takes_all")
        per_tib = [income[m][self.start(m):].sum() / self.winning_tib(m)[self.start(m):].sum()
                   for m in self.members]
        self.assertAlmostEqual(self.metrics["incubator/winner_takes_all/income_per_tib_day"],
                               float(np.mean(per_tib)), places=12)
        for policy, received, fees in self.conn.execute(
                "SELECT policy, rewards_received_attofil, operator_earned_attofil "
                "FROM policy_summary"):
            self.assertAlmostEqual(self.metrics[f"incubator/{policy}/fee_share"],
                                   int(fees) / int(received), places=12, msg=policy)
        self.assertAlmostEqual(self.metrics["incubator/winner_takes_all/fee_share"], 0.05,
                               places=6)

    def test_zero_income_week_over_sliding_windows(self):
        income = self.income("solo")
        zero = {}
        for m in self.members:
            tib, s = self.winning_tib(m), self.start(m)
            for d in range(s, self.days - 6):
                zero.setdefault(self.size_class(tib[d:d + 7].mean()), []).append(
                    income[m][d:d + 7].sum() == 0)
        for cls, flags in zero.items():
            self.assertAlmostEqual(self.metrics[f"incubator/solo/p_zero_week@{cls}"],
                                   float(np.mean(flags)), places=12, msg=cls)

    def test_null_round_rate(self):
        epochs, nulls = self.conn.execute(
            "SELECT SUM(epochs), SUM(null_rounds) FROM network_daily").fetchone()
        self.assertAlmostEqual(self.metrics["network/null_round_rate"], nulls / epochs,
                               places=12)
        # e^-5 = 0.674 %; 17 days of 2880 epochs put 3 standard errors at ±0.15 %.
        self.assertLess(abs(nulls / epochs - math.exp(-5)), 0.0015)


class Helpers(unittest.TestCase):
    def test_gini(self):
        self.assertEqual(metrics.gini([2, 2, 2, 2]), 0.0)
        self.assertAlmostEqual(metrics.gini([0, 0, 0, 1]), 0.75)   # (n − 1)/n
        self.assertAlmostEqual(metrics.gini([1, 3]), 0.25)

    def test_sample_cv_uses_n_minus_one(self):
        self.assertAlmostEqual(metrics.sample_cv([1, 2, 3]), 0.5)
        self.assertTrue(math.isnan(metrics.sample_cv([5])))

    def test_t_interval(self):
        mean, half = summary.mean_ci([1.0, 2.0, 3.0])
        self.assertEqual(mean, 2.0)
        self.assertAlmostEqual(half, 4.303 / math.sqrt(3))
        self.assertAlmostEqual(summary.t975(35), 2.042)    # conservative: df 30's quantile
        self.assertTrue(math.isnan(summary.mean_ci([1.0])[1]))

    def test_tolerance_passes_inside_and_fails_outside(self):
        base = {"format": summary.FORMAT, "scenario": "q", "days": 60, "grid_points": [
            {"parameters": {}, "metrics": {"p/x/cv_daily@near50": 0.10, "p/x/foo": 1.0,
                                           "p/x/distinct_days@near50": 20}}]}
        allowed = 0.06 + 0.40 * 0.10
        for value, moved in ((0.10 + 0.99 * allowed, False), (0.10 + 1.01 * allowed, True)):
            now = json.loads(json.dumps(base))
            now["grid_points"][0]["metrics"]["p/x/cv_daily@near50"] = value
            deviations, problems = summary.compare(now, base)
            self.assertEqual(problems, [])
            self.assertEqual([d.moved for d in deviations], [moved])   # "foo": no tolerance
        now = json.loads(json.dumps(base))
        now["days"] = 30
        del now["grid_points"][0]["metrics"]["p/x/cv_daily@near50"]
        _, problems = summary.compare(now, base)
        self.assertEqual(len(problems), 2)

    def test_a_group_measured_on_few_dates_is_not_compared(self):
        base = {"format": summary.FORMAT, "scenario": "q", "days": 60, "grid_points": [
            {"parameters": {}, "metrics": {"p/x/cv_weekly@lt50": 0.10,
                                           "p/x/distinct_weeks@lt50": 11}}]}
        now = json.loads(json.dumps(base))
        now["grid_points"][0]["metrics"]["p/x/cv_weekly@lt50"] = 5.0
        self.assertEqual(summary.compare(now, base), ([], []))
        base["grid_points"][0]["metrics"]["p/x/distinct_weeks@lt50"] = 12
        deviations, _ = summary.compare(now, base)
        self.assertTrue(deviations[0].moved)


class TheoryAgainstTheDocs(unittest.TestCase):
    """theory.py reproduces docs/theory.md's incubator member table (computed there by
    core/stats/policy_theory.h): 5.4 EiB network, pools of 100 equal members, f = 5 %,
    loss 0, R = 100 FIL."""

    POLICIES = {"solo": "solo", "winner-takes-all": "winner_takes_all",
                "power-proportional": "power_proportional", "PPLNS": "pplns",
                "smoothed (FPPS)": "smoothed"}

    def rows(self):
        with open(os.path.join(ROOT, "docs", "theory.md"), encoding="utf-8") as f:
            text = f.read()
        table = text.split("<!-- begin member-table -->")[1].split("<!-- end member-table -->")[0]
        for line in table.strip().splitlines()[2:]:
            yield [c.strip() for c in line.strip("|").split("|")]

    def check(self, got, cell, what):
        if cell == "< 1e-300":
            self.assertLess(got, 1e-300, what)
        elif cell == "0":
            self.assertEqual(got, 0, what)
        else:
            want = float(cell)
            self.assertAlmostEqual(got, want, delta=0.0051 * abs(want), msg=what)

    def test_member_table(self):
        count = 0
        for member, policy, mean, cv1, cv30, p7, p30, _wait in self.rows():
            tib = float(member.split()[0]) * (1024 if "PiB" in member else 1)
            s = tib / (5.4 * 2 ** 20)
            kind = self.POLICIES[policy]

            def window(days):
                ewc = np.full(days, 5 * s * 2880)
                return ewc, ewc * 100, np.full(days, 100.0)
            m, _ = theory.income_moments(kind, 0.05, *window(1), 0.0)
            self.check(m, mean, f"{member} {policy} mean")
            for days, cell in ((1, cv1), (30, cv30)):
                got = theory.cv(kind, 0.05, *window(days), 0.0)
                self.check(got, cell, f"{member} {policy} CV {days} d")
                self.check(float(theory.cv_at_power(kind, tib, 5.4 * 2 ** 20, 100 * tib, days,
                                                    0.0)), cell, f"{member} {policy} CV line")
            for days, cell in ((7, p7), (30, p30)):
                ewc, pool, _ = window(days)
                self.check(theory.zero_income_probability(kind, ewc, pool, 0.0), cell,
                           f"{member} {policy} P(0, {days} d)")
            count += 1
        self.assertEqual(count, 15)


class CommandLine(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="minerx-report-cli-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_help(self):
        r = run_report("--help")
        self.assertEqual(r.returncode, 0)
        self.assertIn("usage: minerx-report RESULTS.db --out DIR", r.stdout)
        self.assertIn("--baseline", r.stdout)
        self.assertIn("--write-summary", r.stdout)

    def test_missing_database_is_66(self):
        r = run_report(os.path.join(self.tmp, "nope.db"), "--out", self.tmp)
        self.assertEqual(r.returncode, 66)
        self.assertIn("nope.db: no such file", r.stderr)

    def test_a_file_that_is_not_sqlite_is_65(self):
        path = os.path.join(self.tmp, "notes.db")
        with open(path, "w") as f:
            f.write("not a database\n" * 100)
        r = run_report(path, "--out", self.tmp)
        self.assertEqual(r.returncode, 65)
        self.assertIn("not a minerx results database", r.stderr)

    def test_another_sqlite_database_is_65(self):
        path = os.path.join(self.tmp, "other.db")
        sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.commit()
        r = run_report(path, "--out", self.tmp)
        self.assertEqual(r.returncode, 65)
        self.assertIn("not a minerx results database", r.stderr)

    def test_missing_table_is_65_and_named(self):
        path = os.path.join(self.tmp, "partial.db")
        shutil.copy(SMALL_DB, path)
        with sqlite3.connect(path) as conn:
            conn.execute("DROP TABLE member_rounds")
        r = run_report(path, "--out", self.tmp)
        self.assertEqual(r.returncode, 65)
        self.assertIn("missing tables: member_rounds", r.stderr)

    def test_sweep_tables_without_run_id_is_65(self):
        path = os.path.join(self.tmp, "half-sweep.db")
        shutil.copy(SMALL_DB, path)
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE sweep_runs (run_id INTEGER PRIMARY KEY, seed INTEGER, "
                         "parameters TEXT, digest TEXT)")
        r = run_report(path, "--out", self.tmp)
        self.assertEqual(r.returncode, 65)
        self.assertIn("lacks columns: run_id", r.stderr)

    def test_missing_baseline_is_66(self):
        r = run_report(SMALL_DB, "--out", self.tmp, "--baseline",
                       os.path.join(self.tmp, "none.json"))
        self.assertEqual(r.returncode, 66)

    def test_baseline_of_another_scenario_length_fails(self):
        # The committed CI baseline is for 60 days; small.db is 17 days long.
        r = run_report(SMALL_DB, "--out", self.tmp, "--baseline",
                       os.path.join(ROOT, "reports", "baseline", "quick.json"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("baseline days is 60", r.stderr)

    def test_own_summary_as_baseline_passes(self):
        r = run_report(SMALL_DB, "--out", self.tmp, "--baseline", GOLDEN)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("within tolerance", r.stdout)


class Recommendation(ReportOfSmallDb):
    def test_recommendation_names_the_policy_with_the_lowest_weekly_cv_near_50_tib(self):
        near = {k.split("/")[1]: v for k, v in self.metrics.items()
                if k.endswith("/cv_weekly@near50") and v is not None}
        best = min(near, key=near.get)
        with open(os.path.join(self.out, "report.md"), encoding="utf-8") as f:
            text = f.read()
        self.assertIn(f"Most stable weekly income for a ~50 TiB member: `{best}`", text)
        for section in ("Cost to the large members", "Cost to the operator",
                        "Theory beside simulation", "Fairness", "Network"):
            self.assertIn(section, text)

    def test_html_and_markdown_carry_the_same_tables(self):
        with open(os.path.join(self.out, "report.md"), encoding="utf-8") as f:
            md_tables = f.read().count("\n|---")
        with open(os.path.join(self.out, "index.html"), encoding="utf-8") as f:
            page = f.read()
        self.assertEqual(page.count("<table>"), md_tables)
        self.assertNotIn("<script", page)
        self.assertIsNone(re.search(r"""src="(?!data:image/png;base64,)""", page),
                          "every image is embedded")


class HtmlInChromium(ReportOfSmallDb):
    def copy_with(self, edit):
        out = tempfile.mkdtemp(prefix="minerx-report-html-", dir=self.tmp)
        shutil.rmtree(out)
        shutil.copytree(self.out, out)
        path = os.path.join(out, "index.html")
        with open(path, encoding="utf-8") as f:
            page = f.read()
        changed = edit(page)
        self.assertNotEqual(changed, page, "the edit must change the page")
        with open(path, "w", encoding="utf-8") as f:
            f.write(changed)
        return out

    def test_report_opens_without_errors_with_every_plot(self):
        self.assertEqual(html_check.check(self.out), [])

    def test_a_missing_plot_fails(self):
        out = self.copy_with(lambda page: re.sub(r'<img [^>]*data-plot="luck.png"[^>]*>', "",
                                                 page))
        problems = html_check.check(out)
        self.assertIn("plot luck.png is not shown in index.html", problems)

    def test_an_undecodable_plot_fails(self):
        out = self.copy_with(lambda page: re.sub(
            r'(data-plot="theory.png"[^>]*src="data:image/png;base64,)[A-Za-z0-9+/]{64}',
            r"\1AAAA", page))
        problems = html_check.check(out)
        self.assertTrue(any("'theory.png' is not decoded" in p for p in problems), problems)

    def test_a_console_error_fails(self):
        out = self.copy_with(lambda page: page.replace(
            "</body>", "<script>console.error('broken report')</script></body>"))
        self.assertIn("console error: broken report", html_check.check(out))


if __name__ == "__main__":
    unittest.main()

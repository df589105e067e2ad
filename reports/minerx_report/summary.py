"""The machine-readable summary, confidence intervals across a sweep's seeds, and the check of a
summary against a committed baseline. Tolerances and their reasons: docs/reports.md."""
import json
import math
from dataclasses import dataclass

import numpy as np

from .metrics import nanmean

FORMAT = "minerx-report-summary/1"

# Two-sided 95 % Student t quantiles t_{0.975, df}. A df between two rows uses the smaller df's
# (larger, conservative) value.
_T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
         9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120,
         17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086, 21: 2.080, 22: 2.074, 23: 2.069, 24: 2.064,
         25: 2.060, 26: 2.056, 27: 2.052, 28: 2.048, 29: 2.045, 30: 2.042, 40: 2.021, 60: 2.000,
         120: 1.980}


def t975(df):
    if df < 1:
        return float("nan")
    return _T975[max(k for k in _T975 if k <= df)] if df <= 120 else 1.960


def mean_ci(values):
    """Mean and the half-width of its 95 % t-interval (nan for fewer than 2 values)."""
    x = np.asarray([v for v in values if v is not None and not math.isnan(v)], dtype=float)
    if len(x) == 0:
        return float("nan"), float("nan")
    if len(x) == 1:
        return float(x[0]), float("nan")
    return float(x.mean()), float(t975(len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x)))


# Metric name -> (absolute tolerance, relative tolerance, what it is). A value passes when
# |current − baseline| <= absolute + relative·|baseline|. Why these values: docs/reports.md.
TOLERANCES = {
    "income_per_tib_day": (0.0, 0.06, "mean income per TiB of winning power per day (FIL)"),
    "cv_daily": (0.06, 0.40, "CV of daily income per unit of winning power"),
    "cv_weekly": (0.08, 0.80, "CV of weekly income per unit of winning power"),
    "p_zero_week": (0.10, 0.0, "P(zero-income week), sliding windows"),
    "p_zero_month": (0.10, 0.0, "P(zero-income month), sliding windows"),
    "gini_income_per_power": (0.01, 0.50, "Gini of income per unit of power across members"),
    "fee_share": (0.01, 0.0, "operator's fees / rewards received"),
    "null_round_rate": (0.002, 0.0, "share of epochs without a block"),
}


def flat_metrics(run_metrics):
    """The summary's metrics of one run, as a flat dict: "pool/policy/metric[@group]" -> value.
    Groups are size classes (metrics.SIZE_CLASSES keys) and "near50" (the members nearest
    50 TiB)."""
    out = {"network/null_round_rate": run_metrics.network["null_round_rate"]}
    for pool, pm in run_metrics.pools.items():
        for policy, m in pm.policies.items():
            key = f"{pool}/{policy}"
            out[f"{key}/income_per_tib_day"] = nanmean(m.members.income_per_tib_day)
            out[f"{key}/income_per_fair_share"] = nanmean(m.members.income_per_fair_share)
            out[f"{key}/gini_income_per_power"] = m.gini_income_per_power
            out[f"{key}/fee_share"] = m.operator.get("fee_share", float("nan"))
            op = m.operator
            out[f"{key}/operator_fees_fil"] = op.get("fees_fil", float("nan"))
            out[f"{key}/max_arrears_fil"] = op.get("max_arrears_fil", float("nan"))
            out[f"{key}/epochs_in_arrears"] = op.get("epochs_in_arrears", float("nan"))
            out[f"{key}/reserve_fil"] = op.get("reserve_fil", float("nan"))
            costs = pm.costs[pm.costs.policy == policy]
            if len(costs):
                largest = costs.iloc[-1]     # classes are in increasing order of power
                for ref, short in (("solo", "solo"), ("winner_takes_all", "wta")):
                    out[f"{key}/largest_class_vs_{short}_pct"] = largest[f"vs_{ref}_pct"]
                    out[f"{key}/largest_class_vs_{short}_fil"] = largest[f"vs_{ref}_fil"]
                out[f"{key}/largest_class_income_fil"] = largest.income_fil
            out[f"{key}/near50_avg_power_tib"] = m.near_target["avg_power_tib"]
            out[f"{key}/near50_member_weeks"] = m.near_target["member_weeks"]
            groups = [("near50", m.near_target)] + [
                (c["size_class"], c) for c in m.classes.to_dict("records")]
            for group, stats in groups:
                for metric in ("cv_daily", "cv_weekly", "p_zero_week", "p_zero_month"):
                    out[f"{key}/{metric}@{group}"] = stats[metric]
                out[f"{key}/distinct_days@{group}"] = stats["distinct_days"]
                out[f"{key}/distinct_weeks@{group}"] = stats["distinct_weeks"]
    return {k: (None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v))
            for k, v in out.items()}


@dataclass
class GridPoint:
    """The runs of one grid point (all of a single-run database's one run)."""
    parameters: dict
    runs: list            # metrics.RunMetrics, one per seed

    @property
    def seeds(self):
        return [r.info.seed for r in self.runs]

    def aggregate(self):
        """Metric -> (mean, 95 % half-width) across the grid point's seeds."""
        flats = [flat_metrics(r) for r in self.runs]
        keys = list(dict.fromkeys(k for f in flats for k in f))
        return {k: mean_ci([f.get(k) for f in flats]) for k in keys}


def group_runs(run_metrics):
    points = {}
    for rm in run_metrics:
        points.setdefault(rm.info.grid_key(), GridPoint(rm.info.parameters, [])).runs.append(rm)
    return list(points.values())


def _clean(value):
    return None if value is None or math.isnan(value) else round(value, 12)


def build(points, database):
    first = points[0].runs[0]
    return {
        "format": FORMAT,
        "database": database,
        "scenario": first.facts.get("scenario", ""),
        "days": first.days,
        "grid_points": [{
            "parameters": p.parameters,
            "seeds": p.seeds,
            "metrics": {k: _clean(m) for k, (m, _) in p.aggregate().items()},
            "ci95_half_width": {k: _clean(h) for k, (_, h) in p.aggregate().items()},
        } for p in points],
    }


def write(summary, path):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=1, sort_keys=True)
        f.write("\n")


# A size class's stability metric is compared only when the baseline measured it on enough
# distinct dates: a class that members only pass through (a few days at < 50 TiB) gives a CV
# that any reshuffle of randomness moves. Metric -> (sample count key, minimum).
MIN_SAMPLES = {
    "cv_daily": ("distinct_days", 20),
    "p_zero_week": ("distinct_days", 20),
    "p_zero_month": ("distinct_days", 40),
    "cv_weekly": ("distinct_weeks", 12),
}


def well_sampled(key, metrics):
    """Whether the group metric `key` had enough samples in `metrics` (a summary's metrics)."""
    base, _, group = key.partition("@")
    metric = base.rsplit("/", 1)[-1]
    if not group or metric not in MIN_SAMPLES:
        return True
    count_key, minimum = MIN_SAMPLES[metric]
    count = metrics.get(f"{base.rsplit('/', 1)[0]}/{count_key}@{group}")
    return count is not None and count >= minimum


def tolerance_for(key):
    metric = key.split("/")[-1].split("@")[0]
    return TOLERANCES.get(metric)


@dataclass
class Deviation:
    grid: str
    key: str
    baseline: object
    current: object
    allowed: float
    moved: bool


def compare(summary, baseline):
    """Every baseline metric that has a tolerance, against the summary. Returns (deviations,
    problems): deviations lists each compared metric; problems are reasons the comparison fails
    outright (another scenario or length, a grid point or metric missing)."""
    problems = []
    for fact in ("scenario", "days"):
        if summary.get(fact) != baseline.get(fact):
            problems.append(f"baseline {fact} is {baseline.get(fact)!r}, this run's is "
                            f"{summary.get(fact)!r}")
    current = {json.dumps(g["parameters"], sort_keys=True): g for g in summary["grid_points"]}
    deviations = []
    for point in baseline.get("grid_points", []):
        grid = json.dumps(point["parameters"], sort_keys=True)
        if grid not in current:
            problems.append(f"grid point {grid} is missing")
            continue
        now = current[grid]["metrics"]
        for key, old in sorted(point["metrics"].items()):
            tol = tolerance_for(key)
            if tol is None or not well_sampled(key, point["metrics"]):
                continue
            new = now.get(key)
            if key not in now:
                problems.append(f"metric {key} is missing")
                continue
            if old is None or new is None:
                moved = (old is None) != (new is None)
                allowed = float("nan")
            else:
                allowed = tol[0] + tol[1] * abs(old)
                moved = abs(new - old) > allowed
            deviations.append(Deviation(grid, key, old, new, allowed, moved))
    return deviations, problems


def format_comparison(deviations, problems, only_moved=True):
    lines = []
    rows = [d for d in deviations if d.moved or not only_moved]
    if rows:
        lines.append(f"{'metric':<58} {'baseline':>10} {'current':>10} {'allowed ±':>10}")
        for d in rows:
            def fmt(v):
                return "n/a" if v is None else f"{v:.4g}"
            grid = "" if d.grid == "{}" else f" {d.grid}"
            lines.append(f"{d.key + grid:<58} {fmt(d.baseline):>10} {fmt(d.current):>10} "
                         f"{fmt(d.allowed) if d.allowed == d.allowed else 'n/a':>10}"
                         f"{'  MOVED' if d.moved else ''}")
    lines.extend(f"problem: {p}" for p in problems)
    return "\n".join(lines)

"""The report's numbers for one run. Every metric is defined in docs/reports.md.

compute(run) returns a RunMetrics: per pool and policy, income stability, luck and zero-income
probabilities by member size class, fairness, the cost to large members, the operator's side;
the network's orphan rates and delays; and the theory (docs/theory.md, via theory.py) beside
each simulated number.

Members grow while they seal (10 TiB a day in the shipped scenarios), so a member is not of one
size for the whole run. Stability is therefore measured on *member-windows*: every measured
member-day, and every member-week (disjoint weeks from the member's first measured day), is put
in the size class of the member's winning power during that window. "A 50 TiB member's weekly
income" is then the weeks that members spent at about 50 TiB. Income is measured relative to the
member's fair share in the window, (1 − f) × its expected WinCount × R/5 (its "luck"), so that
windows of different power and reward can be pooled: the CV of a member's income over windows of
the same power is the CV of its luck.
"""
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import theory
from .results_db import EPOCHS_PER_DAY, EPOCH_MS

ATTO = 10 ** 18

# Member size classes by winning power (TiB) in the window: (key, label, lo, hi).
SIZE_CLASSES = [
    ("lt50", "< 50 TiB", 0.0, 50.0),
    ("50-200", "50-200 TiB", 50.0, 200.0),
    ("200-1024", "200 TiB-1 PiB", 200.0, 1024.0),
    ("ge1024", ">= 1 PiB", 1024.0, math.inf),
]
CLASS_LABEL = {key: label for key, label, _, _ in SIZE_CLASSES}
TARGET_TIB = 50.0                  # the question's "50 TiB member"
NEAR_TARGET = (TARGET_TIB / math.sqrt(2), TARGET_TIB * math.sqrt(2))   # 35.4-70.7 TiB
NEAR_RANGE = "35-71 TiB"
NEAR_LABEL = f"~50 TiB ({NEAR_RANGE})"
WEEK_DAYS = 7
MONTH_DAYS = 30
MIN_DAYS_FOR_MONTH = 60            # P(zero-income month) needs at least two months of run
LOOKBACK_EPOCHS = 900
WARM_UP_EPOCHS = EPOCHS_PER_DAY    # the scenarios' default warm-up (docs/scenarios.md)


def size_class(tib):
    for key, _, lo, hi in SIZE_CLASSES:
        if lo <= tib < hi:
            return key
    return SIZE_CLASSES[-1][0]


def near_target(tib):
    return NEAR_TARGET[0] <= tib < NEAR_TARGET[1]


def gini(values):
    """Population Gini coefficient (docs/theory.md: no bias correction); nan for no values."""
    x = np.sort(np.asarray(values, dtype=float))
    n = len(x)
    if n == 0:
        return float("nan")
    if x.sum() <= 0:
        return 0.0
    # Σ_i Σ_j |x_i − x_j| / (2 n² mean), as Σ (2i − n − 1) x_(i) / (n Σ x) over the sorted x.
    i = np.arange(1, n + 1)
    return float(np.sum((2 * i - n - 1) * x) / (n * x.sum()))


def sample_cv(values):
    """Sample standard deviation (divisor n − 1) over the mean; nan with < 2 values or mean 0."""
    x = np.asarray(values, dtype=float)
    if len(x) < 2 or x.mean() <= 0:
        return float("nan")
    return float(x.std(ddof=1) / x.mean())


def nanmean(values):
    x = np.asarray([v for v in values if v is not None], dtype=float)
    x = x[~np.isnan(x)]
    return float(x.mean()) if len(x) else float("nan")


def rms(values):
    """Root mean square: the CV of pooled windows whose own CVs are `values`."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    return float(math.sqrt(np.mean(x ** 2))) if len(x) else float("nan")


def _quantile(values, q):
    values = pd.Series(values, dtype=float).dropna()
    return float(values.quantile(q)) if len(values) else float("nan")


@dataclass
class PolicyMetrics:
    policy: str
    kind: str
    fee: float
    members: pd.DataFrame          # one row per measured member
    classes: pd.DataFrame          # one row per size class with windows in it
    near_target: dict              # the same numbers for the windows at ~50 TiB
    gini_income_per_power: float
    weeks: pd.DataFrame            # member-weeks: member, power_tib, size_class, luck, theory_cv
    operator: dict
    daily: pd.DataFrame            # policy_daily rows (reserve over time)


@dataclass
class PoolMetrics:
    pool: str
    members: pd.DataFrame          # member, continent, join_epoch, start_day, avg_power_tib
    unmeasured_members: int        # joined too late to have a measured day
    loss_rate: float
    network_tib: float             # mean network power over the run
    pool_tib: float                # mean pool winning power over the run
    policies: dict = field(default_factory=dict)   # policy name -> PolicyMetrics
    costs: pd.DataFrame = None     # policy x class: income vs solo and winner-takes-all
    rounds: pd.DataFrame = None    # member_rounds with continent, round trip and publish delay


@dataclass
class RunMetrics:
    info: object
    facts: dict
    days: int
    pools: dict
    network: dict
    continents: pd.DataFrame


def member_start_day(join_epoch):
    """The first full day after the member's warm-up and its power's lookback: from then on every
    policy can credit it, so its income series is not biased by the joining days."""
    return (int(join_epoch) + WARM_UP_EPOCHS + LOOKBACK_EPOCHS) // EPOCHS_PER_DAY + 1


def _blocks(values, start, size):
    """Disjoint sums of `size` days of a 1-D array from `start`, full blocks only."""
    n = (len(values) - start) // size
    if n <= 0:
        return np.zeros(0)
    return values[start:start + n * size].reshape(n, size).sum(axis=1)


def _sliding(values, start, size):
    """Sliding sums of `size` days from `start` (one window starting on each day)."""
    x = values[start:]
    if len(x) < size:
        return np.zeros(0)
    return np.convolve(x, np.ones(size), mode="valid")


@dataclass
class _Inputs:
    """Day x member matrices shared by every policy of a pool."""
    days: int
    members: pd.DataFrame
    ewc: pd.DataFrame              # expected WinCount per day
    power: pd.DataFrame            # winning power (TiB), averaged over the day
    pool_ewc: np.ndarray
    reward: np.ndarray             # ThisEpochReward (FIL) per day
    loss: float


def _pool_metrics(run, pool, days):
    miners = run.miners
    members = miners[(miners.role == "member") & (miners.pool == pool)].copy()
    members["start_day"] = members.join_epoch.map(member_start_day)
    daily = run.miner_daily[run.miner_daily.miner.isin(members.miner)]
    ewc = daily.pivot(index="day", columns="miner", values="expected_win_count").reindex(
        index=range(days), columns=members.miner).fillna(0.0)
    net = run.network_daily.set_index("day").reindex(range(days))
    reward = net.this_epoch_reward_fil.to_numpy()
    # A member's power that can win, averaged over the day: its expected WinCount is Σ 5·p/P
    # over the day's 2880 rounds, so p = ewc·P/(5·2880). This is the lookback power the
    # election used (0 while ineligible), not the end-of-day power of a member that seals.
    power = ewc.mul(net.network_power_tib.to_numpy() /
                    (theory.WINS_PER_EPOCH * EPOCHS_PER_DAY), axis=0)

    avg = []
    for m, start in zip(members.miner, members.start_day):
        p = power[m].to_numpy()[start:]
        avg.append(float(p.mean()) if len(p) else float("nan"))
    members["avg_power_tib"] = avg
    unmeasured = int(members.avg_power_tib.isna().sum())
    members = members[members.avg_power_tib.notna()].sort_values("avg_power_tib")
    members = members.reset_index(drop=True)

    rounds = run.member_rounds[run.member_rounds.pool == pool].merge(
        miners[["miner", "continent"]], left_on="member", right_on="miner", how="left")
    total_wins = rounds.win_count.sum()
    loss = 1.0 - rounds[rounds.outcome == "included"].win_count.sum() / total_wins \
        if total_wins > 0 else 0.0
    rounds["round_trip_ms"] = rounds.proof_received_ms - rounds.proof_requested_ms
    # Publish delay: when the member's block entered the network (blocks.published_ms, at the
    # pool's chain node) after its epoch started. member_rounds.published_ms is when the producer
    # published it, which is the epoch's start when the proof came back in time.
    blocks = run.blocks[["epoch", "miner", "published_ms"]].rename(
        columns={"miner": "member", "published_ms": "entered_ms"})
    rounds = rounds.merge(blocks, on=["epoch", "member"], how="left")
    rounds["publish_delay_ms"] = rounds.entered_ms - EPOCH_MS * rounds.epoch

    inputs = _Inputs(days, members, ewc, power, ewc.sum(axis=1).to_numpy(), reward,
                     float(loss))
    result = PoolMetrics(pool, members, unmeasured, float(loss),
                         float(net.network_power_tib.mean()),
                         float(power.sum(axis=1).mean()), rounds=rounds)
    policies = run.policies[run.policies.pool == pool]
    summary = run.policy_summary[run.policy_summary.pool == pool].set_index("policy")
    pdaily = run.policy_daily[run.policy_daily.pool == pool]
    for row in policies.itertuples():
        earned = run.member_daily[(run.member_daily.pool == pool) &
                                  (run.member_daily.policy == row.policy)]
        income = earned.pivot(index="day", columns="member", values="earned_fil").reindex(
            index=range(days), columns=members.miner).fillna(0.0)
        result.policies[row.policy] = _policy_metrics(
            row, inputs, income, summary.loc[row.policy] if row.policy in summary.index
            else None, pdaily[pdaily.policy == row.policy].sort_values("day"))
    result.costs = _costs(result)
    return result


def _member_windows(row, fee, inputs, m, income):
    """One member's measured days, weeks and sliding windows under one policy."""
    start = int(m.start_day)
    inc = income[m.miner].to_numpy()
    ew = inputs.ewc[m.miner].to_numpy()
    pw = inputs.power[m.miner].to_numpy()
    fair = (1 - fee) * ew * inputs.reward / theory.WINS_PER_EPOCH
    mean_d, var_d = theory.daily_moments(row.kind, fee, ew, inputs.pool_ewc, inputs.reward,
                                         inputs.loss)
    out = {"days": [], "weeks": [], "zero_week": [], "zero_month": []}
    for d in range(start, inputs.days):
        if fair[d] > 0:
            out["days"].append((pw[d], inc[d] / fair[d], inc[d], _cv(mean_d[d], var_d[d]), d,
                                m.miner))
    for w, (got, due, tib, mu, var) in enumerate(zip(
            _blocks(inc, start, WEEK_DAYS), _blocks(fair, start, WEEK_DAYS),
            _blocks(pw, start, WEEK_DAYS) / WEEK_DAYS, _blocks(mean_d, start, WEEK_DAYS),
            _blocks(var_d, start, WEEK_DAYS))):
        if due > 0:
            out["weeks"].append((m.miner, w, tib, got / due, _cv(mu, var),
                                 start + w * WEEK_DAYS))
    for key, size in (("zero_week", WEEK_DAYS), ("zero_month", MONTH_DAYS)):
        got = _sliding(inc, start, size)
        tib = _sliding(pw, start, size) / size
        expected = _sliding(ew, start, size)
        pool_expected = _sliding(inputs.pool_ewc, start, size)
        p0 = theory.zero_income_probabilities(row.kind, expected, pool_expected, inputs.loss)
        out[key].extend(zip(tib, got <= 0, p0, range(start, start + len(got))))
    return out


def _cv(mean, var):
    return math.sqrt(var) / mean if mean > 0 else float("nan")


def _window_stats(days, weeks, zero_week, zero_month, has_month):
    """Stability numbers over a set of member-windows (one size class, or the ~50 TiB band)."""
    stats = {
        "member_days": len(days), "member_weeks": len(weeks),
        # Distinct calendar days and week starts: the sharing policies pay every member from
        # the same blocks, so member-windows on the same dates are not independent samples.
        "distinct_days": len({d[4] for d in days}),
        "distinct_weeks": len({w[5] for w in weeks}),
        "avg_power_tib": nanmean([d[0] for d in days]),
        "income_per_tib_day": (sum(d[2] for d in days) / sum(d[0] for d in days))
        if days and sum(d[0] for d in days) > 0 else float("nan"),
        "cv_daily": sample_cv([d[1] for d in days]),
        "theory_cv_daily": rms([d[3] for d in days]),
        "cv_weekly": sample_cv([w[3] for w in weeks]),
        "theory_cv_weekly": rms([w[4] for w in weeks]),
        "p_zero_week": nanmean([z[1] for z in zero_week]),
        "theory_p_zero_week": nanmean([z[2] for z in zero_week]),
        "p_zero_month": nanmean([z[1] for z in zero_month]) if has_month else float("nan"),
        "theory_p_zero_month": nanmean([z[2] for z in zero_month]) if has_month
        else float("nan"),
        "luck_p05": _quantile([w[3] for w in weeks], 0.05),
        "luck_p50": _quantile([w[3] for w in weeks], 0.50),
        "luck_p95": _quantile([w[3] for w in weeks], 0.95),
    }
    return stats


def _policy_metrics(row, inputs, income, summary, pdaily):
    fee = row.fee_ppm / 1e6
    has_month = inputs.days >= MIN_DAYS_FOR_MONTH
    windows = {"days": [], "weeks": [], "zero_week": [], "zero_month": []}
    members = []
    for m in inputs.members.itertuples():
        w = _member_windows(row, fee, inputs, m, income)
        for key in windows:
            windows[key].extend(w[key])
        start = int(m.start_day)
        inc = income[m.miner].to_numpy()
        ew = inputs.ewc[m.miner].to_numpy()
        pw = inputs.power[m.miner].to_numpy()
        fair = ((1 - fee) * ew * inputs.reward / theory.WINS_PER_EPOCH)[start:].sum()
        mean_d, _ = theory.daily_moments(row.kind, fee, ew[start:], inputs.pool_ewc[start:],
                                         inputs.reward[start:], inputs.loss)
        join_day = int(m.join_epoch) // EPOCHS_PER_DAY
        paid = np.nonzero(inc[join_day:] > 0)[0]
        first = ((join_day + int(paid[0]) + 1) * EPOCHS_PER_DAY - int(m.join_epoch)) \
            / EPOCHS_PER_DAY if len(paid) else None
        members.append({
            "member": m.miner, "continent": m.continent, "avg_power_tib": m.avg_power_tib,
            "initial_power_tib": m.initial_power_tib,
            "join_class": size_class(m.initial_power_tib),
            "measured_days": inputs.days - start,
            "income_fil": float(inc[start:].sum()),
            "income_per_tib_day": float(inc[start:].sum() / pw[start:].sum())
            if pw[start:].sum() > 0 else float("nan"),
            "income_per_fair_share": float(inc[start:].sum() / fair) if fair > 0
            else float("nan"),
            "sim_mean_fil_day": float(inc[start:].mean()) if start < inputs.days
            else float("nan"),
            "theory_mean_fil_day": float(mean_d.mean()) if len(mean_d) else float("nan"),
            "first_reward_days": first,
        })
    frame = pd.DataFrame(members)
    weeks = pd.DataFrame(windows["weeks"], columns=["member", "week", "power_tib", "luck",
                                                    "theory_cv", "start_day"])
    weeks["size_class"] = weeks.power_tib.map(size_class)

    rows = []
    for key, label, _, _ in SIZE_CLASSES:
        def pick(items, _key=key):
            return [x for x in items if size_class(x[0]) == _key]
        days = pick(windows["days"])
        if not days:
            continue
        in_class = [w for w in windows["weeks"] if size_class(w[2]) == key]
        stats = _window_stats(days, in_class, pick(windows["zero_week"]),
                              pick(windows["zero_month"]), has_month)
        joined = frame[frame.join_class == key]
        first = joined.first_reward_days.dropna()
        stats.update({
            "size_class": key, "label": label,
            "members": len({d[5] for d in days}),
            "first_reward_days": float(first.mean()) if len(first) else float("nan"),
            "joined": len(joined), "never_rewarded": int(joined.first_reward_days.isna().sum()),
        })
        rows.append(stats)
    classes = pd.DataFrame(rows)

    def near(items, power_index=0):
        return [x for x in items if near_target(x[power_index])]
    near_weeks = near(windows["weeks"], 2)
    near_stats = _window_stats(near(windows["days"]), near_weeks, near(windows["zero_week"]),
                               near(windows["zero_month"]), has_month)
    near_stats["members"] = len({d[5] for d in near(windows["days"])})
    return PolicyMetrics(row.policy, row.kind, fee, frame, classes, near_stats,
                         gini(frame.income_per_fair_share.dropna().to_numpy()), weeks,
                         _operator(row, summary, pdaily), pdaily)


def _operator(row, summary, pdaily):
    """The operator's side: fees, the reserve and its risk of ruin (exact attoFIL -> FIL)."""
    def fil(value):
        if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
            return float("nan")
        return int(value) / ATTO
    if summary is None:
        return {}
    received = int(summary.rewards_received_attofil)
    fees = int(summary.operator_earned_attofil)
    out = {
        "received_fil": received / ATTO,
        "fees_fil": fees / ATTO,
        "fee_share": fees / received if received else float("nan"),
        "members_earned_fil": fil(summary.members_earned_attofil),
        "initial_reserve_fil": int(row.initial_reserve_attofil) / ATTO,
        "reserve_fil": fil(summary.reserve_attofil),
        "min_vested_reserve_fil": fil(summary.min_vested_reserve_attofil),
        "max_arrears_fil": fil(summary.max_arrears_attofil),
        "epochs_in_arrears": int(summary.epochs_in_arrears),
        "balanced": int(summary.balanced),
    }
    if len(pdaily):
        out["min_reserve_fil"] = float(pdaily.reserve_fil.min())
        out["days_in_arrears"] = int((pdaily.arrears_fil > 0).sum())
    return out


def _costs(pool):
    """Income of the members of every size class (by average winning power) under each policy
    against the same members under solo and winner-takes-all: every policy got the same blocks,
    so the comparison is paired."""
    by_kind = {pm.kind: pm for pm in pool.policies.values()}

    def class_income(pm):
        frame = pm.members.assign(size_class=pm.members.avg_power_tib.map(size_class))
        return frame.groupby("size_class").income_fil.sum()
    incomes = {name: class_income(pm) for name, pm in pool.policies.items()}
    rows = []
    for name, pm in pool.policies.items():
        for cls in [c for c, _, _, _ in SIZE_CLASSES if c in incomes[name].index]:
            row = {"policy": name, "kind": pm.kind, "size_class": cls,
                   "members": int((pm.members.avg_power_tib.map(size_class) == cls).sum()),
                   "income_fil": float(incomes[name][cls])}
            for ref in ("solo", "winner_takes_all"):
                base = by_kind.get(ref)
                ref_income = float(incomes[base.policy].get(cls, float("nan"))) \
                    if base is not None else float("nan")
                row[f"vs_{ref}_fil"] = row["income_fil"] - ref_income
                row[f"vs_{ref}_pct"] = 100 * (row["income_fil"] / ref_income - 1) \
                    if ref_income and ref_income == ref_income else float("nan")
            rows.append(row)
    return pd.DataFrame(rows)


def _network(run):
    nd = run.network_daily
    epochs = int(nd.epochs.sum())
    null = int(nd.null_rounds.sum())
    cd = run.continent_daily
    cont = cd.groupby("continent").agg(blocks=("blocks", "sum"), orphaned=("orphaned", "sum"))
    weighted = (cd.mean_delay_to_winners_ms * cd.blocks).groupby(cd.continent).sum()
    cont["orphan_rate"] = np.where(cont.blocks > 0, cont.orphaned / cont.blocks.clip(lower=1),
                                   np.nan)
    cont["mean_delay_to_winners_ms"] = weighted / cont.blocks.clip(lower=1)
    network = {
        "epochs": epochs, "null_rounds": null,
        "null_round_rate": null / epochs if epochs else float("nan"),
        "null_round_rate_theory": theory.NULL_ROUND_RATE,
        "blocks": int(nd.blocks.sum()), "orphaned": int(nd.orphaned.sum()),
        "orphan_rate": float(nd.orphaned.sum() / max(1, nd.blocks.sum() + nd.orphaned.sum())),
        "win_count_per_epoch": float(nd.win_count.sum() / epochs) if epochs else float("nan"),
        "network_power_tib_start": float(nd.network_power_tib.iloc[0]),
        "network_power_tib_end": float(nd.network_power_tib.iloc[-1]),
    }
    return network, cont.reset_index()


def compute(run):
    days = int(run.network_daily.day.max()) + 1
    pools = {}
    for pool in sorted(run.policies.pool.unique()):
        pools[pool] = _pool_metrics(run, pool, days)
    network, continents = _network(run)
    return RunMetrics(run.info, run.facts, days, pools, network, continents)

"""The report's figures: PNG files written with matplotlib's Agg backend (no display needed).
Every figure has a title, axis labels and units. make_all returns [(file name, caption)]."""
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from . import theory  # noqa: E402
from .metrics import CLASS_LABEL, TARGET_TIB, WEEK_DAYS, rms, sample_cv  # noqa: E402

COLORS = {"solo": "#7f7f7f", "winner_takes_all": "#d62728", "power_proportional": "#1f77b4",
          "pplns": "#2ca02c", "smoothed": "#9467bd"}


def _color(kind):
    return COLORS.get(kind, "#17becf")


def _save(fig, out_dir, name):
    fig.tight_layout()
    fig.savefig(os.path.join(out_dir, name), dpi=90)
    plt.close(fig)
    return name


def _grouped_bars(ax, pool, metric, ylabel):
    policies = list(pool.policies.values())
    classes = [c for c in CLASS_LABEL if any(c in set(p.classes.size_class) for p in policies)]
    width = 0.8 / max(1, len(policies))
    x = np.arange(len(classes))
    for i, pm in enumerate(policies):
        table = pm.classes.set_index("size_class")
        values = [table[metric].get(c, np.nan) if c in table.index else np.nan for c in classes]
        ax.bar(x + i * width - 0.4 + width / 2, np.nan_to_num(values), width, label=pm.policy,
               color=_color(pm.kind))
    ax.set_xticks(x)
    ax.set_xticklabels([CLASS_LABEL[c] for c in classes])
    ax.set_xlabel("member size class (winning power in the window)")
    ax.set_ylabel(ylabel)


def stability(pool, out_dir, prefix):
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    _grouped_bars(axes[0], pool, "cv_daily", "CV of daily income (dimensionless)")
    axes[0].set_title("Daily income CV by size class")
    _grouped_bars(axes[1], pool, "cv_weekly", "CV of weekly income (dimensionless)")
    axes[1].set_title("Weekly income CV by size class")
    axes[1].legend(fontsize=8)
    return _save(fig, out_dir, f"{prefix}stability.png"), (
        "Income stability per policy and member size class: the coefficient of variation of "
        "daily and weekly income relative to the fair share, over the member-days and "
        "member-weeks spent in the class.")


def zero_income(pool, out_dir, prefix, has_month):
    fig, axes = plt.subplots(1, 2 if has_month else 1, figsize=(11 if has_month else 6, 4),
                             squeeze=False)
    _grouped_bars(axes[0][0], pool, "p_zero_week", "P(no income in a 7-day window)")
    axes[0][0].set_title("Probability of a zero-income week")
    axes[0][0].legend(fontsize=8)
    if has_month:
        _grouped_bars(axes[0][1], pool, "p_zero_month", "P(no income in a 30-day window)")
        axes[0][1].set_title("Probability of a zero-income month")
    for ax, metric in zip(axes[0], ("p_zero_week", "p_zero_month")):
        values = [v for pm in pool.policies.values() if metric in pm.classes
                  for v in pm.classes[metric] if v == v]
        top = max(values, default=0.0)
        ax.set_ylim(0, min(1.0, max(0.05, 1.15 * top)))
        if top == 0:
            ax.text(0.5, 0.5, "no member went without income for this long", ha="center",
                    va="center", transform=ax.transAxes)
    return _save(fig, out_dir, f"{prefix}zero_income.png"), (
        "Share of sliding 7-day (and 30-day) windows in which a member earned nothing, over the "
        "windows in which its winning power was in the class.")


def luck(pool, out_dir, prefix):
    fig, ax = plt.subplots(figsize=(10, 4))
    policies = list(pool.policies.values())
    data = [pm.weeks.luck.to_numpy() if len(pm.weeks) else np.array([np.nan])
            for pm in policies]
    box = ax.boxplot(data, labels=[pm.policy for pm in policies], whis=(5, 95), showfliers=False,
                     patch_artist=True)
    for patch, pm in zip(box["boxes"], policies):
        patch.set_facecolor(_color(pm.kind))
        patch.set_alpha(0.5)
    ax.axhline(1.0, color="black", lw=0.8, ls="--")
    ax.set_title("Weekly luck of the pool's members (whiskers: 5th-95th percentile)")
    ax.set_xlabel("policy")
    ax.set_ylabel("luck = credited / fair share (dimensionless)")
    return _save(fig, out_dir, f"{prefix}luck.png"), (
        "Distribution of member-weeks' luck: what the policy credited to the member in a week "
        "over its fair share, (1 - fee) x its expected WinCount x R/5. 1 is exactly fair.")


def fairness(pool, out_dir, prefix):
    fig, ax = plt.subplots(figsize=(10, 4))
    policies = list(pool.policies.values())
    for i, pm in enumerate(policies):
        y = pm.members.income_per_fair_share.to_numpy()
        x = np.full(len(y), i) + np.linspace(-0.2, 0.2, len(y)) if len(y) else []
        ax.scatter(x, y, s=12, color=_color(pm.kind), alpha=0.7)
    ax.axhline(1.0, color="black", lw=0.8, ls="--")
    ax.set_xticks(range(len(policies)))
    ax.set_xticklabels([f"{pm.policy}\nGini {pm.gini_income_per_power:.3f}" for pm in policies],
                       fontsize=8)
    ax.set_title("Income per unit of power across members")
    ax.set_xlabel("policy (Gini across members)")
    ax.set_ylabel("income / fair share (dimensionless)")
    return _save(fig, out_dir, f"{prefix}fairness.png"), (
        "Each point is one member's income over its measured days divided by its fair share, "
        "(1 - fee) x its expected WinCount x R/5: income per unit of power, each day's power "
        "valued at that day's reward. A fair policy puts every member at 1.")


def _binned_weekly_cv(weeks, edges):
    """Per power bin with at least 4 member-weeks: the bin's mean power, the pooled weekly CV of
    its member-weeks and the theory's CV for the same member-weeks (root mean square)."""
    x, y, expected = [], [], []
    for lo, hi in zip(edges[:-1], edges[1:]):
        sel = weeks[(weeks.power_tib >= lo) & (weeks.power_tib < hi)]
        if len(sel) >= 4:
            x.append(sel.power_tib.mean())
            y.append(sample_cv(sel.luck))
            expected.append(rms(sel.theory_cv))
    return x, y, expected


def theory_vs_simulation(pool, out_dir, prefix):
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    all_weeks = pd.concat([pm.weeks for pm in pool.policies.values()])
    lo = min(TARGET_TIB / 1.5, max(1.0, all_weeks.power_tib.min() if len(all_weeks) else 10))
    hi = max(TARGET_TIB * 1.5, all_weeks.power_tib.max() if len(all_weeks) else 1000) * 1.05
    edges = np.geomspace(lo, hi, 13)
    grid = np.geomspace(lo, hi, 80)
    for pm in pool.policies.values():
        c = _color(pm.kind)
        x, y, expected = _binned_weekly_cv(pm.weeks, edges)
        axes[0].plot(x, y, "o", color=c, label=f"{pm.policy}: simulated")
        axes[0].plot(x, expected, "-", color=c, lw=1.2, label=f"{pm.policy}: theory")
        axes[0].plot(grid, theory.cv_at_power(pm.kind, grid, pool.network_tib, pool.pool_tib,
                                              WEEK_DAYS, pool.loss_rate), color=c, lw=0.8,
                     ls=":")
        axes[1].scatter(pm.members.theory_mean_fil_day, pm.members.sim_mean_fil_day, s=14,
                        color=c, label=pm.policy)
    axes[0].axvline(TARGET_TIB, color="black", lw=0.6, ls=":")
    axes[0].set_xscale("log")
    axes[0].set_title("Weekly income CV by member power: simulated vs theory")
    axes[0].set_xlabel("member's winning power in the week (TiB, log scale)")
    axes[0].set_ylabel("CV of weekly income (dimensionless)")
    axes[0].legend(fontsize=6, ncol=2)
    top = np.nanmax([np.nanmax(pm.members.theory_mean_fil_day) for pm in pool.policies.values()]
                    + [1e-9]) * 1.1
    axes[1].plot([0, top], [0, top], color="black", lw=0.8, ls="--")
    axes[1].set_title("Mean daily income per member: simulated vs theory")
    axes[1].set_xlabel("theoretical mean income (FIL/day)")
    axes[1].set_ylabel("simulated mean income (FIL/day)")
    return _save(fig, out_dir, f"{prefix}theory.png"), (
        "Left: points are the CV of weekly income (relative to the fair share) of the "
        "member-weeks in each power bin; solid lines the theory of docs/theory.md for the same "
        "member-weeks (their pool's power and the reward at the time); dotted curves the closed "
        "forms at the run's mean network and pool power: 1/sqrt(lambda n) for solo and "
        "winner-takes-all (they coincide), 1/sqrt(Lambda n) for the sharing policies, 0 for "
        "smoothed. The vertical line is 50 TiB. Right: each member's mean daily income against "
        "the theory's mean.")


def costs(pool, out_dir, prefix):
    fig, ax = plt.subplots(figsize=(10, 4))
    table = pool.costs
    policies = [p for p in pool.policies.values() if p.kind != "solo"]
    classes = [c for c in CLASS_LABEL if c in set(table.size_class)]
    width = 0.8 / max(1, len(policies))
    x = np.arange(len(classes))
    for i, pm in enumerate(policies):
        rows = table[table.policy == pm.policy].set_index("size_class")
        values = [rows.vs_solo_pct.get(c, np.nan) for c in classes]
        ax.bar(x + i * width - 0.4 + width / 2, np.nan_to_num(values), width, label=pm.policy,
               color=_color(pm.kind))
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xticks(x)
    ax.set_xticklabels([CLASS_LABEL[c] for c in classes])
    ax.set_title("What each policy pays a size class, relative to solo mining")
    ax.set_xlabel("member size class (average winning power)")
    ax.set_ylabel("income vs solo (%)")
    ax.legend(fontsize=8)
    return _save(fig, out_dir, f"{prefix}costs.png"), (
        "Total income of each size class under each policy, against the same members' income "
        "under solo (every policy got the same blocks, so the comparison is paired).")


def reserve(pool, out_dir, prefix):
    smoothed = [pm for pm in pool.policies.values() if pm.kind == "smoothed"]
    if not smoothed:
        return None
    fig, ax = plt.subplots(figsize=(10, 4))
    for pm in smoothed:
        d = pm.daily
        ax.plot(d.day, d.reserve_fil, label=f"{pm.policy}: reserve", color=_color(pm.kind))
        ax.plot(d.day, d.arrears_fil, label=f"{pm.policy}: arrears owed to members",
                color="#ff7f0e", ls="--")
    ax.set_title("Smoothed policy: the operator's reserve and arrears over time")
    ax.set_xlabel("day")
    ax.set_ylabel("FIL")
    ax.legend(fontsize=8)
    return _save(fig, out_dir, f"{prefix}reserve.png"), (
        "The smoothed policy's reserve (vested + unvested) at the end of each day, and what it "
        "owed members and could not yet pay (arrears): the operator's risk of ruin.")


def network(run_metrics, pool, out_dir, prefix):
    fig, axes = plt.subplots(1, 3, figsize=(14, 4))
    cont = run_metrics.continents
    axes[0].bar(cont.continent, 100 * cont.orphan_rate.fillna(0), color="#8c564b")
    if not cont.orphaned.sum():
        axes[0].text(0.5, 0.5, "no block was orphaned", transform=axes[0].transAxes,
                     ha="center", va="center")
    axes[0].set_title("Orphan rate by continent of origin")
    axes[0].set_xlabel("continent")
    axes[0].set_ylabel("orphaned / produced blocks (%)")
    rounds = pool.rounds
    continents = sorted(rounds.continent.dropna().unique())
    for ax, column, title in ((axes[1], "round_trip_ms", "WinningPoSt proof round trip"),
                              (axes[2], "publish_delay_ms", "Block publish delay")):
        data = [rounds[(rounds.continent == c)][column].dropna().to_numpy() / 1000
                for c in continents]
        data = [d if len(d) else np.array([np.nan]) for d in data]
        if continents:
            ax.boxplot(data, labels=continents, whis=(5, 95), showfliers=False)
        ax.set_title(f"{title} by member continent")
        ax.set_xlabel("member continent")
        ax.set_ylabel("seconds")
    for ax in axes:
        ax.tick_params(axis="x", labelrotation=30, labelsize=8)
    return _save(fig, out_dir, f"{prefix}network.png"), (
        "Left: share of blocks orphaned by the continent they entered the network from. Middle "
        "and right: the pool members' elected rounds, proof round trip (requested -> received) "
        "and publish delay (published - epoch start); whiskers 5th-95th percentile.")


def sweep(points, pool_name, out_dir, prefix=""):
    """Weekly CV of the ~50 TiB members per policy and grid point, with 95 % t-intervals."""
    if not any(len(p.runs) > 1 for p in points):
        return None
    fig, ax = plt.subplots(figsize=(10, 4))
    policies = list(points[0].runs[0].pools[pool_name].policies)
    width = 0.8 / max(1, len(policies))
    x = np.arange(len(points))
    for i, policy in enumerate(policies):
        kind = points[0].runs[0].pools[pool_name].policies[policy].kind
        means, errs = [], []
        for p in points:
            stats = p.aggregate().get(f"{pool_name}/{policy}/cv_weekly@near50", (np.nan, np.nan))
            means.append(stats[0])
            errs.append(stats[1])
        ax.bar(x + i * width - 0.4 + width / 2, np.nan_to_num(means), width,
               yerr=np.nan_to_num(errs), capsize=3, label=policy, color=_color(kind))
    ax.set_xticks(x)
    ax.set_xticklabels([", ".join(f"{k}={v}" for k, v in p.parameters.items()) or "scenario"
                        for p in points], fontsize=8)
    ax.set_title("Weekly income CV of the ~50 TiB members across seeds (95 % t-interval)")
    ax.set_xlabel("grid point")
    ax.set_ylabel("CV of weekly income (dimensionless)")
    ax.legend(fontsize=8)
    return _save(fig, out_dir, f"{prefix}sweep_cv_weekly.png"), (
        "Mean over seeds of the ~50 TiB members' weekly income CV per policy and grid point; "
        "error bars are 95 % t-intervals across seeds.")


def make_all(run_metrics, points, out_dir):
    """Every figure of the report for a representative run (and the sweep's figure)."""
    figures = {}
    has_month = run_metrics.days >= 60
    for name, pool in run_metrics.pools.items():
        prefix = f"{name}_" if len(run_metrics.pools) > 1 else ""
        figs = {"stability": stability(pool, out_dir, prefix),
                "zero_income": zero_income(pool, out_dir, prefix, has_month),
                "luck": luck(pool, out_dir, prefix), "fairness": fairness(pool, out_dir, prefix),
                "theory": theory_vs_simulation(pool, out_dir, prefix),
                "costs": costs(pool, out_dir, prefix), "reserve": reserve(pool, out_dir, prefix),
                "network": network(run_metrics, pool, out_dir, prefix),
                "sweep": sweep(points, name, out_dir, prefix)}
        figures[name] = {key: fig for key, fig in figs.items() if fig}
    return figures

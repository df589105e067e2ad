"""report.md and index.html from one list of blocks, so that both say the same.

Blocks: ("h", level, text), ("p", text), ("ul", [items]), ("table", headers, rows),
("fig", file name, caption). Text may use **bold** and `code`; both renderers understand it.
index.html is self-contained: inline CSS, figures embedded as base64 data URIs, no scripts.
"""
import base64
import html
import math
import os
import re

from . import theory
from .metrics import (CLASS_LABEL, MIN_DAYS_FOR_MONTH, NEAR_LABEL, NEAR_RANGE, TARGET_TIB,
                      WEEK_DAYS)


def num(value, digits=3, pct=False):
    """A number for a table: `digits` significant digits, "n/a" for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if pct:
        return "0 %" if value == 0 else f"{num(100 * value, digits)} %"
    magnitude = abs(value)
    if magnitude == 0:
        return "0"
    if magnitude >= 1e6 or magnitude < 1e-4:
        return f"{value:.{digits - 1}e}"
    if magnitude >= 10 ** (digits - 1):
        return f"{value:,.0f}"
    return f"{value:.{digits - 1 - math.floor(math.log10(magnitude))}f}"


def count(value):
    """A count (possibly a mean over seeds) for a sentence."""
    if value is None or value != value:
        return "n/a"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def fil(value):
    return "n/a" if value is None or value != value else f"{value:,.0f} FIL" \
        if abs(value) >= 100 else f"{value:,.2f} FIL"


def with_ci(mean, half):
    if half is None or half != half:
        return num(mean)
    if mean == mean and half <= 1e-9 * max(1.0, abs(mean)):
        half = 0.0      # identical across seeds, up to floating-point noise
    return f"{num(mean)} ± {num(half, 2)}"


# -- the report's content --------------------------------------------------------------------

def _title_blocks(rm, points, database):
    facts = rm.facts
    blocks = [("h", 1, f"minerx policy comparison: {facts.get('scenario', '?')}")]
    runs = sum(len(p.runs) for p in points)
    if runs == 1:
        blocks.append(("p", f"Database `{os.path.basename(database)}`: scenario "
                       f"`{facts.get('scenario', '?')}`, {rm.days} days, seed {rm.info.seed}, "
                       f"minerx {facts.get('minerx_version', '?')}, digest "
                       f"`{facts.get('digest', '')[:16]}…`."))
    else:
        blocks.append(("p", f"Sweep database `{os.path.basename(database)}`: scenario "
                       f"`{facts.get('scenario', '?')}`, {rm.days} days, {runs} runs over "
                       f"{len(points)} grid point(s). Numbers in the comparison tables are means "
                       "over seeds ± the half-width of a 95 % t-interval; the detailed sections "
                       f"show one representative run (seed {rm.info.seed}"
                       f"{', ' + _grid_text(points[0].parameters) if points[0].parameters else ''})."))
    return blocks


def _grid_text(parameters):
    return ", ".join(f"{k}={v}" for k, v in parameters.items()) or "the scenario as written"


def _lowest(policies, stats, metric):
    """The policy with the lowest value of a metric (ignores missing values)."""
    values = {p: stats(p, metric) for p in policies}
    values = {p: v for p, v in values.items() if v is not None and v == v}
    return min(values, key=values.get) if values else None


def recommendation(pool, stats, sweep):
    """The recommendation paragraphs, written from the numbers. `stats(policy, metric)` is the
    summary's metric (the mean over seeds for a sweep)."""
    pols = pool.policies
    kinds = {pm.kind: name for name, pm in pols.items()}
    best = _lowest(pols, stats, "cv_weekly@near50")
    over = " (means over seeds)" if sweep else ""
    exact = {p: float(theory.cv_at_power(pm.kind, TARGET_TIB, pool.network_tib, pool.pool_tib,
                                         WEEK_DAYS, pool.loss_rate)) for p, pm in pols.items()}
    if best is None:
        best = min(exact, key=exact.get)
        line = (f"**Most stable weekly income for a 50 TiB member: `{best}`, by theory.** No "
                f"member spent a full week at {NEAR_RANGE} of winning "
                "power in this run, so the simulation cannot measure it; at exactly 50 TiB the "
                "closed forms of docs/theory.md give a weekly CV of "
                + ", ".join(f"{num(v)} under `{p}`" for p, v in exact.items())
                + ". The size-class table below has what the simulation measured")
    else:
        line = (f"**Most stable weekly income for a ~50 TiB member: `{best}`.** Over the "
                f"{count(stats(best, 'near50_member_weeks'))} member-weeks that members spent at "
                f"{NEAR_RANGE} of winning power (mean "
                f"{num(stats(best, 'near50_avg_power_tib'))} TiB), the weekly income CV was "
                f"{num(stats(best, 'cv_weekly@near50'))} under `{best}`{over}")
        refs = [f"{num(stats(kinds[k], 'cv_weekly@near50'))} under `{kinds[k]}`"
                for k in ("solo", "winner_takes_all") if k in kinds and kinds[k] != best]
        if refs:
            line += ", against " + " and ".join(refs)
        line += (f". At exactly 50 TiB the theory (docs/theory.md) gives {num(exact[best])} for "
                 f"`{best}`")
        if "solo" in kinds:
            line += f" and {num(exact[kinds['solo']])} solo"
        line += (f". The probability of a zero-income week at that size was "
                 f"{num(stats(best, 'p_zero_week@near50'))} under `{best}`")
        if "solo" in kinds:
            line += f" and {num(stats(kinds['solo'], 'p_zero_week@near50'))} solo"
        distinct = stats(best, "distinct_weeks@near50")
        if distinct == distinct and distinct < 8:
            line += (f". These member-weeks start on only {count(distinct)} distinct day(s), and "
                     "the sharing policies pay every member from the same blocks, so read these "
                     "CVs beside the theory")
    text = [line + "."]
    bm = pols[best]

    costs = pool.costs[pool.costs.policy == best]
    if len(costs):
        largest = CLASS_LABEL[costs.iloc[-1].size_class]
        vs_solo, vs_wta = stats(best, "largest_class_vs_solo_pct"), stats(
            best, "largest_class_vs_wta_pct")
        text.append(
            f"**Cost to the large members.** The largest class ({largest}) earned "
            f"{fil(stats(best, 'largest_class_income_fil'))} under `{best}`: {num(vs_solo)} % "
            f"({fil(stats(best, 'largest_class_vs_solo_fil'))}) against solo and {num(vs_wta)} %"
            f" ({fil(stats(best, 'largest_class_vs_wta_fil'))}) against winner-takes-all, on the "
            "same blocks. " + _cost_note(bm.kind, vs_wta))
    op = bm.operator
    fees = stats(best, "operator_fees_fil")
    received = op.get("received_fil")
    sentence = (f"**Cost to the operator.** Under `{best}` the operator earned {fil(fees)} in "
                f"fees{over}")
    if received and not sweep:
        sentence += f" ({num(fees / received, pct=True)} of the {fil(received)} the pool received)"
    if bm.kind == "smoothed":
        in_arrears = stats(best, "epochs_in_arrears")
        days = pool_days(pool)
        share = in_arrears / (days * 2880) if days else float("nan")
        sentence += (" (the smoothed policy's fee stays in the reserve until the operator "
                     "withdraws it)")
        sentence += (f"; it pays members from a reserve that started at "
                     f"{fil(op.get('initial_reserve_fil'))} and ended at "
                     f"{fil(stats(best, 'reserve_fil'))}, and owed them up to "
                     f"{fil(stats(best, 'max_arrears_fil'))} in arrears ({num(in_arrears)} "
                     f"epochs, {num(share, pct=True)} of the run)")
        if in_arrears and in_arrears > 0:
            sentence += (". While in arrears the smoothed income is credited but not paid: the "
                         "reserve could not fund it (vesting locks 75 % of every reward for 180 "
                         "days), so that stability is on paper until the reserve is large enough")
            alt = _lowest([p for p in pols if stats(p, "epochs_in_arrears") == 0], stats,
                          "cv_weekly@near50")
            if alt:
                sentence += (f". The most stable policy without that risk is `{alt}`: weekly CV "
                             f"{num(stats(alt, 'cv_weekly@near50'))}, fees "
                             f"{fil(stats(alt, 'operator_fees_fil'))}, no reserve needed")
    else:
        sentence += "; it holds no reserve and carries no risk of ruin under this policy"
    text.append(sentence + ".")
    return text


def pool_days(pool):
    pm = next(iter(pool.policies.values()))
    return int(pm.daily.day.max()) + 1 if len(pm.daily) else 0


def _cost_note(kind, vs_wta):
    if kind == "solo":
        return "Solo is the reference."
    if vs_wta == vs_wta and abs(vs_wta) < 1:
        return ("Within 1 % of winner-takes-all: sharing moves luck between members, not "
                "expected income; the fee is the price.")
    return ("The difference from winner-takes-all is luck moved between members and, for "
            "PPLNS, rewards held back while its window fills; the fee is the rest.")


def _comparison_table(pool, point):
    """The headline table; for a sweep, means ± 95 % half-widths over the grid point's seeds."""
    agg = point.aggregate()
    name = pool.pool
    headers = ["policy", "fee", "weekly CV ~50 TiB", "daily CV ~50 TiB", "P(0 week) ~50 TiB",
               "P(0 month) ~50 TiB", "income FIL/TiB/day", "Gini income/power",
               "largest class vs solo", "largest class vs WTA", "operator fees (FIL)",
               "max arrears (FIL)", "epochs in arrears"]
    rows = []
    for policy, pm in pool.policies.items():
        def cell(metric):
            mean, half = agg.get(f"{name}/{policy}/{metric}", (float("nan"), float("nan")))
            return with_ci(mean, half)
        def pct(metric):
            text = cell(metric)
            return text if text == "n/a" else text + " %"
        rows.append([f"`{policy}`", num(pm.fee, pct=True), cell("cv_weekly@near50"),
                     cell("cv_daily@near50"), cell("p_zero_week@near50"),
                     cell("p_zero_month@near50"), cell("income_per_tib_day"),
                     cell("gini_income_per_power"), pct("largest_class_vs_solo_pct"),
                     pct("largest_class_vs_wta_pct"), cell("operator_fees_fil"),
                     cell("max_arrears_fil"), cell("epochs_in_arrears")])
    return ("table", headers, rows)


def _class_table(pool, has_month):
    headers = ["policy", "size class (winning power in the window)",
               "member-days / member-weeks (members)",
               "mean power TiB", "FIL/TiB/day", "daily CV (theory)", "weekly CV (theory)",
               "P(0 week) (theory)", "P(0 month) (theory)", "weekly luck p5 / p50 / p95",
               "first reward, days (joined)"]
    rows = []

    def row(policy, label, c, first):
        return [f"`{policy}`", label,
                f"{c['member_days']:,} / {c['member_weeks']:,} ({c['members']})",
                num(c["avg_power_tib"]), num(c["income_per_tib_day"]),
                f"{num(c['cv_daily'])} ({num(c['theory_cv_daily'])})",
                f"{num(c['cv_weekly'])} ({num(c['theory_cv_weekly'])})",
                f"{num(c['p_zero_week'])} ({num(c['theory_p_zero_week'])})",
                f"{num(c['p_zero_month'])} ({num(c['theory_p_zero_month'])})" if has_month
                else "n/a",
                f"{num(c['luck_p05'])} / {num(c['luck_p50'])} / {num(c['luck_p95'])}", first]
    for policy, pm in pool.policies.items():
        for c in pm.classes.to_dict("records"):
            first = (f"{num(c['first_reward_days'])} ({c['joined']})" if c["joined"] else "-")
            if c["never_rewarded"]:
                first += f", {c['never_rewarded']} never"
            rows.append(row(policy, c["label"], c, first))
        rows.append(row(policy, f"**{NEAR_LABEL}**", pm.near_target, "-"))
    return ("table", headers, rows)


def _theory_table(pool):
    headers = ["policy", "mean FIL/day per member: sim", "theory",
               f"{NEAR_RANGE}: daily CV sim", "theory", "weekly CV sim", "theory",
               "P(0 week) sim", "theory", "weekly CV at 50 TiB exactly (theory)"]
    rows = []
    for policy, pm in pool.policies.items():
        near = pm.near_target
        rows.append([f"`{policy}`", num(pm.members.sim_mean_fil_day.mean()),
                     num(pm.members.theory_mean_fil_day.mean()),
                     num(near["cv_daily"]), num(near["theory_cv_daily"]),
                     num(near["cv_weekly"]), num(near["theory_cv_weekly"]),
                     num(near["p_zero_week"]), num(near["theory_p_zero_week"]),
                     num(float(theory.cv_at_power(pm.kind, TARGET_TIB, pool.network_tib,
                                                  pool.pool_tib, WEEK_DAYS, pool.loss_rate)))])
    return ("table", headers, rows)


def _operator_table(pool):
    headers = ["policy", "received", "operator fees", "fee share", "members credited",
               "reserve at start", "reserve at end", "lowest reserve (daily)",
               "min vested reserve", "max arrears", "days in arrears", "ledger balanced"]
    rows = []
    for policy, pm in pool.policies.items():
        op = pm.operator
        rows.append([f"`{policy}`", fil(op.get("received_fil")), fil(op.get("fees_fil")),
                     num(op.get("fee_share"), pct=True), fil(op.get("members_earned_fil")),
                     fil(op.get("initial_reserve_fil")), fil(op.get("reserve_fil")),
                     fil(op.get("min_reserve_fil")), fil(op.get("min_vested_reserve_fil")),
                     fil(op.get("max_arrears_fil")), str(op.get("days_in_arrears", 0)),
                     "yes" if op.get("balanced") else "**NO**"])
    return ("table", headers, rows)


def _cost_table(pool):
    headers = ["policy", "size class (average winning power)", "members", "income", "vs solo",
               "vs winner-takes-all"]
    rows = [[f"`{r.policy}`", CLASS_LABEL[r.size_class], str(r.members), fil(r.income_fil),
             f"{num(r.vs_solo_pct)} % ({fil(r.vs_solo_fil)})",
             f"{num(r.vs_winner_takes_all_pct)} % ({fil(r.vs_winner_takes_all_fil)})"]
            for r in pool.costs.itertuples()]
    return ("table", headers, rows)


def _network_blocks(rm, pool):
    net = rm.network
    blocks = [("p", f"Null rounds: {net['null_rounds']:,} of {net['epochs']:,} epochs = "
               f"{num(net['null_round_rate'], 4, pct=True)}, against e^-5 = "
               f"{num(net['null_round_rate_theory'], 4, pct=True)} with all power online. "
               f"{net['blocks']:,} blocks included, {net['orphaned']:,} orphaned "
               f"({num(net['orphan_rate'], pct=True)}); {num(net['win_count_per_epoch'], 4)} "
               f"WinCount per epoch. The pool's loss rate (WinCount elected but not included) "
               f"was {num(pool.loss_rate, pct=True)}.")]
    rows = [[c.continent, f"{int(c.blocks):,}", f"{int(c.orphaned):,}",
             num(c.orphan_rate, pct=True), num(c.mean_delay_to_winners_ms)]
            for c in rm.continents.itertuples()]
    blocks.append(("table", ["continent", "blocks", "orphaned", "orphan rate",
                             "mean delay to winners (ms)"], rows))
    r = pool.rounds
    rows = []
    for cont, g in r.groupby("continent"):
        rt, pub = g.round_trip_ms.dropna(), g.publish_delay_ms.dropna()
        rows.append([cont, f"{len(g):,}", f"{int((g.outcome != 'included').sum()):,}",
                     num(rt.median() if len(rt) else float("nan")),
                     num(rt.quantile(0.95) if len(rt) else float("nan")),
                     num(pub.median() if len(pub) else float("nan")),
                     num(pub.quantile(0.95) if len(pub) else float("nan"))])
    blocks.append(("table", ["member continent", "elected rounds", "lost", "proof RT p50 (ms)",
                             "proof RT p95 (ms)", "publish delay p50 (ms)",
                             "publish delay p95 (ms)"], rows))
    return blocks


def content(points, figures, database):
    rm = points[0].runs[0]
    blocks = _title_blocks(rm, points, database)
    has_month = rm.days >= MIN_DAYS_FOR_MONTH
    for name, pool in rm.pools.items():
        point = points[0]
        agg = point.aggregate()

        def stats(policy, metric, _agg=agg, _name=name):
            return _agg.get(f"{_name}/{policy}/{metric}", (float("nan"),))[0]
        figs = figures.get(name, {})
        heading = f"Pool `{name}`" if len(rm.pools) > 1 else "The answer"
        blocks.append(("h", 2, heading))
        for paragraph in recommendation(pool, stats, len(point.runs) > 1):
            blocks.append(("p", paragraph))
        blocks.append(("h", 3, "Comparison"))
        for p in points:
            if len(points) > 1 or p.parameters:
                blocks.append(("p", f"Grid point {_grid_text(p.parameters)}; seeds "
                               f"{', '.join(map(str, p.seeds))}."))
            blocks.append(_comparison_table(p.runs[0].pools[name], p))
        blocks.append(("p", f"~50 TiB: the member-days and member-weeks in which a member's "
                       f"winning power was {NEAR_RANGE}. Largest class: the income of the "
                       "members of the largest size class (by average winning power) against "
                       "the same members under solo and winner-takes-all (WTA). Gini: of the "
                       "members' income over their fair share. P(0 month) is n/a for runs "
                       f"shorter than {MIN_DAYS_FOR_MONTH} days. Definitions: docs/reports.md."))
        if "sweep" in figs:
            blocks.append(("fig",) + figs["sweep"])
        blocks.append(("h", 2, "Income stability by member size class"))
        blocks.append(("p", f"{len(pool.members)} members, each measured from its first full "
                       "day after warm-up and lookback"
                       + (f"; {pool.unmeasured_members} joined too late to be measured"
                          if pool.unmeasured_members else "") +
                       ". Members grow while they seal, so every member-day and member-week is "
                       "classed by the member's winning power in it. CVs are of the income "
                       "relative to the member's fair share in the window. Theory in "
                       "parentheses. Time to first reward by the class members joined in."))
        blocks.append(_class_table(pool, has_month))
        for key in ("stability", "zero_income", "luck"):
            if key in figs:
                blocks.append(("fig",) + figs[key])
        blocks.append(("h", 2, "Fairness"))
        blocks.append(("p", "Gini, across all measured members, of each member's income over "
                       "its fair share ((1 - fee) x expected WinCount x R/5, summed over its "
                       "measured days): 0 when every unit of power earned the same. "
                       + "; ".join(f"`{p}` {num(pm.gini_income_per_power)}"
                                   for p, pm in pool.policies.items()) + "."))
        if "fairness" in figs:
            blocks.append(("fig",) + figs["fairness"])
        blocks.append(("h", 2, "Cost to the large members and to the operator"))
        blocks.append(_cost_table(pool))
        if "costs" in figs:
            blocks.append(("fig",) + figs["costs"])
        blocks.append(_operator_table(pool))
        if "reserve" in figs:
            blocks.append(("fig",) + figs["reserve"])
        blocks.append(("h", 2, "Theory beside simulation"))
        blocks.append(("p", "Means and variances from docs/theory.md (core/stats/"
                       "policy_theory.h), evaluated with each member's daily expected WinCount, "
                       "the pool's, ThisEpochReward and the pool's measured loss rate "
                       f"({num(pool.loss_rate, pct=True)}). PPLNS is taken with a full window."))
        blocks.append(_theory_table(pool))
        if "theory" in figs:
            blocks.append(("fig",) + figs["theory"])
        blocks.append(("h", 2, "Network"))
        blocks.extend(_network_blocks(rm, pool))
        if "network" in figs:
            blocks.append(("fig",) + figs["network"])
    return blocks


# -- renderers -------------------------------------------------------------------------------

def _md_cell(text):
    return str(text).replace("|", "\\|")


def to_markdown(blocks):
    out = []
    for b in blocks:
        if b[0] == "h":
            out.append("#" * b[1] + " " + b[2])
        elif b[0] == "p":
            out.append(b[1])
        elif b[0] == "ul":
            out.append("\n".join(f"- {item}" for item in b[1]))
        elif b[0] == "table":
            out.append("| " + " | ".join(map(_md_cell, b[1])) + " |\n|"
                       + "|".join("---" for _ in b[1]) + "|\n"
                       + "\n".join("| " + " | ".join(map(_md_cell, r)) + " |" for r in b[2]))
        elif b[0] == "fig":
            out.append(f"![{b[2]}]({b[1]})\n\n*{b[2]}*")
    return "\n\n".join(out) + "\n"


def _inline(text):
    text = html.escape(text)
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    return re.sub(r"`(.+?)`", r"<code>\1</code>", text)


CSS = """
body { font-family: system-ui, sans-serif; max-width: 1200px; margin: 2em auto; padding: 0 1em;
       color: #222; line-height: 1.45; }
h1 { border-bottom: 2px solid #1f77b4; padding-bottom: .2em; }
h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.85em; }
th, td { border: 1px solid #ccc; padding: .25em .5em; text-align: right; }
th { background: #f0f4f8; }
td:first-child, th:first-child { text-align: left; }
figure { margin: 1.5em 0; }
figure img { max-width: 100%; border: 1px solid #ddd; }
figcaption { font-size: 0.85em; color: #555; }
code { background: #f4f4f4; padding: 0 .2em; }
"""


def to_html(blocks, out_dir):
    title = next((b[2] for b in blocks if b[0] == "h"), "minerx report")
    out = ["<!DOCTYPE html>", "<html lang=\"en\"><head><meta charset=\"utf-8\">",
           f"<title>{html.escape(title)}</title>", f"<style>{CSS}</style></head><body>"]
    for b in blocks:
        if b[0] == "h":
            out.append(f"<h{b[1]}>{_inline(b[2])}</h{b[1]}>")
        elif b[0] == "p":
            out.append(f"<p>{_inline(b[1])}</p>")
        elif b[0] == "ul":
            out.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in b[1]) + "</ul>")
        elif b[0] == "table":
            out.append("<table><thead><tr>" + "".join(f"<th>{_inline(h)}</th>" for h in b[1])
                       + "</tr></thead><tbody>"
                       + "".join("<tr>" + "".join(f"<td>{_inline(str(c))}</td>" for c in r)
                                 + "</tr>" for r in b[2]) + "</tbody></table>")
        elif b[0] == "fig":
            with open(os.path.join(out_dir, b[1]), "rb") as f:
                data = base64.b64encode(f.read()).decode("ascii")
            out.append(f"<figure><img class=\"plot\" data-plot=\"{html.escape(b[1])}\" "
                       f"alt=\"{html.escape(b[2])}\" src=\"data:image/png;base64,{data}\">"
                       f"<figcaption>{_inline(b[2])}</figcaption></figure>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def write(points, figures, database, out_dir):
    blocks = content(points, figures, database)
    with open(os.path.join(out_dir, "report.md"), "w", encoding="utf-8") as f:
        f.write(to_markdown(blocks))
    with open(os.path.join(out_dir, "index.html"), "w", encoding="utf-8") as f:
        f.write(to_html(blocks, out_dir))
    plots = sorted({b[1] for b in blocks if b[0] == "fig"})
    return plots


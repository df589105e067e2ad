"""The closed-form mean and variance of a member's income under each policy.

These are the formulas of docs/theory.md ("Per policy: mean and variance of a member's income over
n epochs", "Zero-income windows"), the same as core/stats/policy_theory.h, re-implemented here so
that the report can draw the theory line beside the simulated one. Notation as there: s the
member's share of network power, S the pool's, q = s/S, f the fee, R ThisEpochReward, l the loss
rate. The simulator records Σ_t 5·s_t over each day as `expected_win_count` (miner_daily), so
"5·s·n" below is always a sum of those, which also handles power that changes from day to day.

Policy kinds are those of the policies table: solo, winner_takes_all, power_proportional, pplns,
smoothed. PPLNS is taken with constant membership and a full window, where it equals proportional
(docs/theory.md, "PPLNS").
"""
import math

import numpy as np

WINS_PER_EPOCH = 5          # expected WinCount per epoch of the whole network
EPOCHS_PER_DAY = 2880
SHARING = ("power_proportional", "pplns")


def daily_moments(kind, fee, ewc_member, ewc_pool, reward_fil, loss):
    """Per-day mean and variance (FIL, FIL²) of a member's income, as two arrays.

    ewc_member, ewc_pool and reward_fil are per-day arrays: the member's and the pool's expected
    WinCount that day (5·s·n and 5·S·n) and ThisEpochReward R in FIL (one WinCount earns R/5).
    """
    ewc_member = np.asarray(ewc_member, dtype=float)
    ewc_pool = np.asarray(ewc_pool, dtype=float)
    unit = np.asarray(reward_fil, dtype=float) / WINS_PER_EPOCH
    kept = 1.0 - loss
    if kind in ("solo", "winner_takes_all"):
        scale = 1.0 if kind == "solo" else 1.0 - fee
        return scale * ewc_member * kept * unit, scale ** 2 * ewc_member * kept * unit ** 2
    if kind in SHARING:
        q = np.divide(ewc_member, ewc_pool, out=np.zeros_like(ewc_member), where=ewc_pool > 0)
        return ((1 - fee) * q * ewc_pool * kept * unit,
                (1 - fee) ** 2 * q ** 2 * ewc_pool * kept * unit ** 2)
    if kind == "smoothed":
        # Paid (1 − f)·q·S·R per epoch from the reserve: no loss, no variance.
        return (1 - fee) * ewc_member * unit, np.zeros_like(ewc_member)
    raise ValueError(f"unknown policy kind {kind!r}")


def income_moments(kind, fee, ewc_member, ewc_pool, reward_fil, loss):
    """Mean and variance of a member's income over a window of days. Days are independent, so
    means and variances add (docs/theory.md: replace nR by Σ R_t and nR² by Σ R_t²)."""
    mean, var = daily_moments(kind, fee, ewc_member, ewc_pool, reward_fil, loss)
    return float(np.sum(mean)), float(np.sum(var))


def cv(kind, fee, ewc_member, ewc_pool, reward_fil, loss):
    """Coefficient of variation of the income over the window (0 when the mean is 0)."""
    mean, var = income_moments(kind, fee, ewc_member, ewc_pool, reward_fil, loss)
    return math.sqrt(var) / mean if mean > 0 else float("nan")


def cv_at_power(kind, power_tib, network_tib, pool_tib, days, loss):
    """CV of the income over `days` days for a member of constant power in a constant network:
    1/√(λn) for solo and winner-takes-all, 1/√(Λn) for the sharing policies, 0 for smoothed.
    power_tib may be an array (the theory line of the CV plot)."""
    power_tib = np.asarray(power_tib, dtype=float)
    n = days * EPOCHS_PER_DAY
    if kind in ("solo", "winner_takes_all"):
        return 1.0 / np.sqrt(WINS_PER_EPOCH * power_tib / network_tib * (1 - loss) * n)
    if kind in SHARING:
        return np.full_like(power_tib, 1.0 / math.sqrt(
            WINS_PER_EPOCH * pool_tib / network_tib * (1 - loss) * n))
    if kind == "smoothed":
        return np.zeros_like(power_tib)
    raise ValueError(f"unknown policy kind {kind!r}")


def zero_income_probability(kind, ewc_member, ewc_pool, loss):
    """P(no income in the window): e^(−λn) for solo and winner-takes-all, e^(−Λn) for the sharing
    policies, 0 for smoothed (docs/theory.md, "Zero-income windows"; Poisson form)."""
    if kind in ("solo", "winner_takes_all"):
        return math.exp(-float(np.sum(ewc_member)) * (1 - loss))
    if kind in SHARING:
        return math.exp(-float(np.sum(ewc_pool)) * (1 - loss)) if np.sum(ewc_member) > 0 else 1.0
    if kind == "smoothed":
        return 0.0
    raise ValueError(f"unknown policy kind {kind!r}")


def zero_income_probabilities(kind, ewc_member, ewc_pool, loss):
    """zero_income_probability for many windows at once: ewc_member and ewc_pool are arrays of
    the windows' summed expected WinCounts."""
    ewc_member = np.asarray(ewc_member, dtype=float)
    ewc_pool = np.asarray(ewc_pool, dtype=float)
    if kind in ("solo", "winner_takes_all"):
        return np.exp(-ewc_member * (1 - loss))
    if kind in SHARING:
        return np.where(ewc_member > 0, np.exp(-ewc_pool * (1 - loss)), 1.0)
    if kind == "smoothed":
        return np.zeros_like(ewc_member)
    raise ValueError(f"unknown policy kind {kind!r}")


NULL_ROUND_RATE = math.exp(-WINS_PER_EPOCH)   # P(no WinCount in an epoch), all power online

#pragma once

// Fairness across members: the Gini coefficient of incomes (or of income per unit of power), and
// the dispersion of income per unit of power. A fair policy pays every unit of power the same in
// expectation; what remains is luck, whose size policy_theory.h predicts.

#include <optional>
#include <span>
#include <vector>

#include "core/chain/chain_types.h"
#include "core/chain/token_amount.h"

namespace minerx::stats {

// Population Gini coefficient, G = Σ_i Σ_j |x_i − x_j| / (2 n² mean), computed from the sorted
// values as Σ_i (2i − n − 1) x_(i) / (n Σ x) (i from 1). 0 when all values are equal (also all
// zero); (n − 1)/n when one member holds everything. Not bias-corrected: the Gini of n draws from a
// distribution underestimates the distribution's Gini by a factor of about (n − 1)/n.
// REQUIRES: values not empty, every value finite and >= 0.
double gini(std::span<const double> values);

// The q-quantile of sorted values with linear interpolation between order statistics
// (Hyndman-Fan type 7, the default of R and NumPy). REQUIRES: sorted ascending, not empty,
// 0 <= fraction <= 1.
double quantile_of_sorted(std::span<const double> sorted, double fraction);

// The spread of a set of values, e.g. income per unit of power across members.
struct Dispersion {
    std::size_t count = 0;
    double mean = 0;
    double standard_deviation = 0;  // sample (divisor n − 1); 0 for a single value
    std::optional<double> cv;       // standard_deviation / mean; nullopt when mean == 0
    double min = 0;
    double p10 = 0;
    double p50 = 0;
    double p90 = 0;
    double max = 0;
    double gini = 0;
};

// REQUIRES: values not empty, every value finite and >= 0.
Dispersion dispersion(std::span<const double> values);

// Each member's income per unit of power, in FIL per TiB over the whole observation (divide by its
// length for a daily rate). Members with no power have no such ratio: leave them out, and report
// them apart. REQUIRES: same sizes; every power > 0; every income >= 0.
std::vector<double> fil_per_tib(std::span<const chain::AttoFil> incomes,
                                std::span<const chain::StoragePower> powers_bytes);

}  // namespace minerx::stats

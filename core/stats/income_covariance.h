#pragma once

// How members' incomes move together: the covariance and correlation of daily incomes across
// members, from a members × days matrix. Solo and winner-takes-all members win independently
// (correlation ~0); members of a power-proportional pool are paid from the same pool blocks
// (correlation ~1), which is the price of their lower variance. Floating point in FIL: this is
// analysis, money ledgers stay integer attoFIL.

#include <span>
#include <vector>

#include <Eigen/Dense>

#include "core/chain/token_amount.h"

namespace minerx::stats {

// Row i = member i's daily incomes in FIL. REQUIRES: at least one member; every series the same
// length.
Eigen::MatrixXd income_matrix_fil(std::span<const std::vector<chain::AttoFil>> daily_by_member);

// Sample covariance between members (rows) over days (columns), divisor days − 1:
// C = (X − mean) (X − mean)^T / (days − 1), members × members. REQUIRES: at least 2 days.
Eigen::MatrixXd covariance_by_member(const Eigen::MatrixXd& income_by_member_day);

// Correlation from a covariance matrix: C_ij / sqrt(C_ii C_jj). A member whose income never varies
// (e.g. one that never won) has no defined correlation; it is reported as 0 with every other
// member and 1 with itself, so the matrix stays finite for reports. REQUIRES: square.
Eigen::MatrixXd correlation_from_covariance(const Eigen::MatrixXd& covariance);

// The largest |correlation| between two different members (0 for a single member).
double max_abs_off_diagonal(const Eigen::MatrixXd& correlation);

}  // namespace minerx::stats

#pragma once

// Splitting block rewards over many members in matrix form, for analysis: with A the members ×
// blocks matrix of sharing weights (each block's column sums to 1) and r the blocks' rewards,
// members' incomes are (1 − f) A r. One product replaces a loop over blocks and members, and the
// result is the floating-point reference an integer settlement ledger can be compared with (a
// ledger's integer split differs from it by its rounding only). Money ledgers stay integer
// attoFIL; this is double FIL.

#include <cstdint>
#include <span>

#include <Eigen/Dense>

namespace minerx::stats {

// Column-normalised weights: each column (block) divided by its sum. A column of zeros (no
// eligible power) stays zero, so that block's reward is not assigned to anyone.
// REQUIRES: every entry finite and >= 0.
Eigen::MatrixXd sharing_weights(const Eigen::MatrixXd& power_by_member_block);

// Each member's total income over the blocks: (1 − fee) · weights · rewards.
// REQUIRES: weights.cols() == rewards.size(); 0 <= fee < 1.
Eigen::VectorXd split_rewards(const Eigen::MatrixXd& weights_by_member_block,
                              const Eigen::VectorXd& reward_by_block, double fee);

// The same per day: members × day_count, where block b is paid on day day_by_block[b]. The product
// weights · diag(rewards) · D with D the blocks × days indicator matrix, done column by column.
// REQUIRES: as split_rewards; day_by_block.size() == reward_by_block.size();
// 0 <= day_by_block[b] < day_count.
Eigen::MatrixXd split_rewards_by_day(const Eigen::MatrixXd& weights_by_member_block,
                                     const Eigen::VectorXd& reward_by_block,
                                     std::span<const std::int64_t> day_by_block,
                                     std::int64_t day_count, double fee);

}  // namespace minerx::stats

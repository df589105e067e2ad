#include "core/stats/reward_split_matrix.h"

#include <cmath>

#include "core/util/assert.h"

namespace minerx::stats {

Eigen::MatrixXd sharing_weights(const Eigen::MatrixXd& power_by_member_block) {
    MINERX_ASSERT(power_by_member_block.allFinite());
    MINERX_ASSERT(power_by_member_block.minCoeff() >= 0);
    Eigen::MatrixXd weights = power_by_member_block;
    const Eigen::RowVectorXd totals = power_by_member_block.colwise().sum();
    for (Eigen::Index block = 0; block < weights.cols(); ++block) {
        if (totals(block) > 0) weights.col(block) /= totals(block);
    }
    return weights;
}

Eigen::VectorXd split_rewards(const Eigen::MatrixXd& weights_by_member_block,
                              const Eigen::VectorXd& reward_by_block, double fee) {
    MINERX_ASSERT(weights_by_member_block.cols() == reward_by_block.size());
    MINERX_ASSERT(fee >= 0 && fee < 1);
    return (1 - fee) * (weights_by_member_block * reward_by_block);
}

Eigen::MatrixXd split_rewards_by_day(const Eigen::MatrixXd& weights_by_member_block,
                                     const Eigen::VectorXd& reward_by_block,
                                     std::span<const std::int64_t> day_by_block,
                                     std::int64_t day_count, double fee) {
    MINERX_ASSERT(weights_by_member_block.cols() == reward_by_block.size());
    MINERX_ASSERT(static_cast<Eigen::Index>(day_by_block.size()) == reward_by_block.size());
    MINERX_ASSERT(day_count >= 1);
    MINERX_ASSERT(fee >= 0 && fee < 1);
    Eigen::MatrixXd income = Eigen::MatrixXd::Zero(weights_by_member_block.rows(), day_count);
    for (Eigen::Index block = 0; block < reward_by_block.size(); ++block) {
        const std::int64_t day = day_by_block[static_cast<std::size_t>(block)];
        MINERX_ASSERT(day >= 0 && day < day_count);
        income.col(day) += reward_by_block(block) * weights_by_member_block.col(block);
    }
    return (1 - fee) * income;
}

}  // namespace minerx::stats

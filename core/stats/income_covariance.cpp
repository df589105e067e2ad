#include "core/stats/income_covariance.h"

#include <algorithm>
#include <cmath>

#include "core/util/assert.h"

namespace minerx::stats {

Eigen::MatrixXd income_matrix_fil(std::span<const std::vector<chain::AttoFil>> daily_by_member) {
    MINERX_ASSERT(!daily_by_member.empty());
    const std::size_t days = daily_by_member.front().size();
    Eigen::MatrixXd matrix(static_cast<Eigen::Index>(daily_by_member.size()),
                           static_cast<Eigen::Index>(days));
    for (std::size_t member = 0; member < daily_by_member.size(); ++member) {
        MINERX_ASSERT(daily_by_member[member].size() == days);
        for (std::size_t day = 0; day < days; ++day) {
            matrix(static_cast<Eigen::Index>(member), static_cast<Eigen::Index>(day)) =
                static_cast<double>(daily_by_member[member][day]) /
                static_cast<double>(chain::kAttoFilPerFil);
        }
    }
    return matrix;
}

Eigen::MatrixXd covariance_by_member(const Eigen::MatrixXd& income_by_member_day) {
    const Eigen::Index days = income_by_member_day.cols();
    MINERX_ASSERT(days >= 2);
    const Eigen::VectorXd means = income_by_member_day.rowwise().mean();
    const Eigen::MatrixXd centred = income_by_member_day.colwise() - means;
    return (centred * centred.transpose()) / static_cast<double>(days - 1);
}

Eigen::MatrixXd correlation_from_covariance(const Eigen::MatrixXd& covariance) {
    MINERX_ASSERT(covariance.rows() == covariance.cols());
    const Eigen::Index members = covariance.rows();
    Eigen::VectorXd inverse_deviation(members);
    for (Eigen::Index i = 0; i < members; ++i) {
        const double variance = covariance(i, i);
        MINERX_ASSERT(variance >= 0);
        inverse_deviation(i) = variance > 0 ? 1 / std::sqrt(variance) : 0;
    }
    Eigen::MatrixXd correlation =
        inverse_deviation.asDiagonal() * covariance * inverse_deviation.asDiagonal();
    correlation.diagonal().setOnes();
    return correlation;
}

double max_abs_off_diagonal(const Eigen::MatrixXd& correlation) {
    MINERX_ASSERT(correlation.rows() == correlation.cols());
    double largest = 0;
    for (Eigen::Index i = 0; i < correlation.rows(); ++i) {
        for (Eigen::Index j = 0; j < correlation.cols(); ++j) {
            if (i != j) largest = std::max(largest, std::abs(correlation(i, j)));
        }
    }
    return largest;
}

}  // namespace minerx::stats

# Finds the system libraries minerx uses. All of them are Debian 12 packages; scripts/setup-debian.sh
# installs them by name.

find_package(PkgConfig REQUIRED)

# GMP: the big-integer backend of the consensus arithmetic (chosen over Boost.Multiprecision by
# bench/big_int_bench; see docs/benchmarks.md).
pkg_check_modules(GMP REQUIRED IMPORTED_TARGET gmp gmpxx)

# libsodium: BLAKE2b-256 (crypto_generichash). libb2 would pull in OpenMP's thread runtime.
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)

# Boost headers: Multiprecision (the benchmarked alternative backend).
find_package(Boost 1.74 REQUIRED)

find_package(CLI11 REQUIRED)

# Eigen (header-only): the matrix forms of the statistics, e.g. covariance of members' daily
# incomes and splitting block rewards over many members for analysis (core/stats/).
find_package(Eigen3 3.4 REQUIRED NO_MODULE)

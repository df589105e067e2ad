#pragma once

// e^(-x) in binary fixed point, exactly as Filecoin computes it (Lotus chain/types/electionproof.go
// at Q.256 for the election; specs-actors actors/util/math/expneg.go at Q.128 for the reward actor).
// A rational approximation NUM(x)/DEN(x) with fixed coefficients, evaluated by Horner's rule with
// floor shifts. research/election.md §1.1-1.3 gives the constants and the pitfalls: a truncating
// shift breaks 251 of Lotus' 256 golden points.
//
// Templated on the integer type (see core/math/big_int.h for the contract) so that the same code
// runs on GMP in production and on Boost in the cross-checks and benchmarks.

#include <array>
#include <span>
#include <string_view>

#include "core/math/big_int.h"

namespace minerx::math {

// Coefficients as Lotus stores them: real value x 2^128, highest degree first.
inline constexpr std::array<std::string_view, 8> kExpNegNumeratorQ128 = {
    "-648770010757830093818553637600",
    "67469480939593786226847644286976",
    "-3197587544499098424029388939001856",
    "89244641121992890118377641805348864",
    "-1579656163641440567800982336819953664",
    "17685496037279256458459817590917169152",
    "-115682590513835356866803355398940131328",
    "340282366920938463463374607431768211456",
};
inline constexpr std::array<std::string_view, 14> kExpNegDenominatorQ128 = {
    "1225524182432722209606361",
    "114095592300906098243859450",
    "5665570424063336070530214243",
    "194450132448609991765137938448",
    "5068267641632683791026134915072",
    "104716890604972796896895427629056",
    "1748338658439454459487681798864896",
    "23704654329841312470660182937960448",
    "259380097567996910282699886670381056",
    "2250336698853390384720606936038375424",
    "14978272436876548034486263159246028800",
    "72144088983913131323343765784380833792",
    "224599776407103106596571252037123047424",
    "340282366920938463463374607431768211456",
};

// Horner's rule in Q.precision: r = c0; r = ((r * x) >> precision) + ci, with floor shifts.
template <class Int>
Int polyval(std::span<const Int> coefficients, const Int& x, unsigned precision) {
    MINERX_ASSERT(!coefficients.empty());
    Int result = coefficients[0];
    for (std::size_t i = 1; i < coefficients.size(); ++i) {
        result = floor_shift_right(Int(result * x), precision) + coefficients[i];
    }
    return result;
}

// The coefficient tables converted once to Q.precision (Q.128 values shifted by precision - 128).
template <class Int>
class ExpNeg {
public:
    // REQUIRES: precision >= 128.
    explicit ExpNeg(unsigned precision) : precision_(precision) {
        MINERX_ASSERT(precision >= 128);
        for (std::size_t i = 0; i < numerator_.size(); ++i) {
            numerator_[i] = shift_left(make_int_from_decimal<Int>(kExpNegNumeratorQ128[i]),
                                       precision - 128);
        }
        for (std::size_t i = 0; i < denominator_.size(); ++i) {
            denominator_[i] = shift_left(make_int_from_decimal<Int>(kExpNegDenominatorQ128[i]),
                                         precision - 128);
        }
    }

    unsigned precision() const { return precision_; }

    // e^(-x) for x in Q.precision, as floor((NUM(x) << precision) / DEN(x)).
    // REQUIRES: DEN(x) > 0, which holds for every x >= 0.
    Int operator()(const Int& x) const {
        Int numerator = polyval<Int>(numerator_, x, precision_);
        Int denominator = polyval<Int>(denominator_, x, precision_);
        return floor_divide(shift_left(numerator, precision_), denominator);
    }

private:
    unsigned precision_;
    std::array<Int, kExpNegNumeratorQ128.size()> numerator_;
    std::array<Int, kExpNegDenominatorQ128.size()> denominator_;
};

}  // namespace minerx::math

#pragma once

// Storage power as people write it: "10TiB", "5.4 EiB", "32GiB", or plain bytes "10995116277760".
// Binary units only (KiB = 2^10 ... EiB = 2^60), as Filecoin explorers and the actors use them.

#include <optional>
#include <string>
#include <string_view>

#include "core/chain/chain_types.h"

namespace minerx::chain {

struct PowerParseResult {
    std::optional<StoragePower> power;  // set on success
    std::string error;                  // why not, on failure (names the offending text)
};

// Accepts: decimal digits with an optional fraction, optional spaces, optional unit among
// B, KiB, MiB, GiB, TiB, PiB, EiB (case-insensitive). A fractional value is rounded down to whole
// bytes. Rejects negative numbers, empty text, unknown units and values above 2^127 bytes.
PowerParseResult parse_storage_power(std::string_view text);

// "50 TiB", "5.4 EiB", "999 B": the largest unit that keeps the value >= 1, up to 3 decimals.
std::string format_storage_power(StoragePower power);

}  // namespace minerx::chain

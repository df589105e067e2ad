#pragma once

// BLAKE2b-256 as Filecoin uses it: unkeyed BLAKE2b with a 32-byte digest length in its parameter
// block (not a truncated BLAKE2b-512). Backed by libsodium's crypto_generichash_blake2b, which works
// without sodium_init(); drivers may call sodium_init() to select the vectorised implementation.

#include <cstdint>
#include <span>

#include <sodium/crypto_generichash_blake2b.h>

#include "core/chain/chain_types.h"

namespace minerx::chain {

Digest blake2b_256(std::span<const std::uint8_t> data);

// Incremental form, for hashing a concatenation without building it.
class Blake2b256 {
public:
    Blake2b256();
    Blake2b256& update(std::span<const std::uint8_t> data);
    Digest finish();

private:
    crypto_generichash_blake2b_state state_;
    bool finished_ = false;
};

}  // namespace minerx::chain

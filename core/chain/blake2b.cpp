#include "core/chain/blake2b.h"

#include <sodium.h>

#include "core/util/assert.h"

namespace minerx::chain {
Digest blake2b_256(std::span<const std::uint8_t> data) {
    Digest out{};
    int status = crypto_generichash_blake2b(out.data(), out.size(), data.data(), data.size(),
                                            nullptr, 0);
    MINERX_ASSERT(status == 0);
    return out;
}

Blake2b256::Blake2b256() : state_{} {
    int status = crypto_generichash_blake2b_init(&state_, nullptr, 0, sizeof(Digest));
    MINERX_ASSERT(status == 0);
}

Blake2b256& Blake2b256::update(std::span<const std::uint8_t> data) {
    MINERX_ASSERT(!finished_);
    int status = crypto_generichash_blake2b_update(&state_, data.data(), data.size());
    MINERX_ASSERT(status == 0);
    return *this;
}

Digest Blake2b256::finish() {
    MINERX_ASSERT(!finished_);
    finished_ = true;
    Digest out{};
    int status = crypto_generichash_blake2b_final(&state_, out.data(), out.size());
    MINERX_ASSERT(status == 0);
    return out;
}

}  // namespace minerx::chain

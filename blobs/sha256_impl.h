/* SPDX-License-Identifier: MIT */
/* sha256_impl.h - the block functions behind fwkit/sha256.h, private to blobs/. */
#ifndef FWKIT_BLOBS_SHA256_IMPL_H
#define FWKIT_BLOBS_SHA256_IMPL_H

#include <fwkit/sha256.h>

/* FIPS 180-4 4.2.2 round constants, shared by both block functions. */
extern const uint32_t sha256_round_k[64];

/* Whether this build and this CPU can run sha256_blocks_shani (asks CPUID). */
bool sha256_shani_usable(void);
/* Hash n whole 64-byte blocks at p into h with the x86 SHA extensions. */
void sha256_blocks_shani(uint32_t h[8], const uint8_t *p, size_t n);

#endif /* FWKIT_BLOBS_SHA256_IMPL_H */

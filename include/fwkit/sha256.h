/* SPDX-License-Identifier: MIT */
/*
 * fwkit/sha256.h - SHA-256 (FIPS 180-4), for the digests the taint ledger
 * records and blob containers carry.
 *
 * Core module: no allocation, no I/O, no global state.
 */
#ifndef FWKIT_SHA256_H
#define FWKIT_SHA256_H

#include <fwkit/env.h>

#define SHA256_DIGEST_SIZE 32u
#define SHA256_HEX_SIZE 65u /* 64 hex digits and a NUL */

struct sha256_ctx {
	uint32_t h[8];
	uint64_t bytes;     /* message length so far */
	uint8_t block[64];
	uint32_t fill;      /* bytes waiting in block */
};

void sha256_init(struct sha256_ctx *c);
void sha256_update(struct sha256_ctx *c, const void *data, size_t len);
/* Finish and write the digest; c must be initialised again before reuse. */
void sha256_final(struct sha256_ctx *c, uint8_t out[SHA256_DIGEST_SIZE]);
/* One call for a whole buffer. */
void sha256(const void *data, size_t len, uint8_t out[SHA256_DIGEST_SIZE]);
/* Lower-case hex of a digest, NUL-terminated. */
void sha256_hex(const uint8_t d[SHA256_DIGEST_SIZE], char out[SHA256_HEX_SIZE]);

#endif /* FWKIT_SHA256_H */

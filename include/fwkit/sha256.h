/* SPDX-License-Identifier: MIT */
/*
 * fwkit/sha256.h - SHA-256 (FIPS 180-4), for the digests the taint ledger
 * records and blob containers carry.
 *
 * On x86 the block function uses the SHA extensions (SHA-NI) when CPUID
 * reports them together with SSSE3 and SSE4.1, and the portable FIPS 180-4
 * code otherwise; both give the same digests (tests/taint/test_sha256.c
 * compares them).  An embedder that must not touch SSE registers (a kernel
 * or hypervisor that does not save the FPU state around fwkit's calls)
 * builds with -DFWKIT_SHA256_PORTABLE.
 *
 * Core module: no allocation, no I/O.  Its one piece of static data is the
 * answer to "does this CPU have SHA-NI", asked once: CPUID costs micro-
 * seconds under a hypervisor, as much as hashing a few KiB.
 */
#ifndef FWKIT_SHA256_H
#define FWKIT_SHA256_H

#include <fwkit/env.h>

#define SHA256_DIGEST_SIZE 32u
#define SHA256_HEX_SIZE 65u /* 64 hex digits and a NUL */

/* Which block function a context uses. */
enum sha256_impl {
	SHA256_IMPL_PORTABLE = 0,
	SHA256_IMPL_SHANI = 1 /* x86 SHA extensions */
};

struct sha256_ctx {
	uint32_t h[8];
	enum sha256_impl impl;
	uint64_t bytes;     /* message length so far */
	uint8_t block[64];
	uint32_t fill;      /* bytes waiting in block */
};

/* Start a digest with the fastest implementation this CPU runs. */
void sha256_init(struct sha256_ctx *c);
/* Start a digest with a given implementation; one the CPU cannot run
 * falls back to the portable code.  For tests and benchmarks. */
void sha256_init_impl(struct sha256_ctx *c, enum sha256_impl impl);
/* The implementation sha256_init() picks on this CPU. */
enum sha256_impl sha256_best_impl(void);
/* "portable" or "sha-ni". */
const char *sha256_impl_name(enum sha256_impl impl);
void sha256_update(struct sha256_ctx *c, const void *data, size_t len);
/* Finish and write the digest; c must be initialised again before reuse. */
void sha256_final(struct sha256_ctx *c, uint8_t out[SHA256_DIGEST_SIZE]);
/* One call for a whole buffer. */
void sha256(const void *data, size_t len, uint8_t out[SHA256_DIGEST_SIZE]);
/* Lower-case hex of a digest, NUL-terminated. */
void sha256_hex(const uint8_t d[SHA256_DIGEST_SIZE], char out[SHA256_HEX_SIZE]);

#endif /* FWKIT_SHA256_H */

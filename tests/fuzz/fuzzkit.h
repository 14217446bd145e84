/* SPDX-License-Identifier: MIT */
/* fuzzkit.h - what fwkit's libFuzzer harnesses share: an assertion that
 * aborts with the harness's file and line, a read of every byte so ASan
 * sees a pointer that runs past the input, and the check every parser
 * failure must pass. */
#ifndef FWKIT_FUZZKIT_H
#define FWKIT_FUZZKIT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fwkit/error.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile uint32_t sink;

static inline void fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
	abort();
}

#define CHECK(cond) do { if (!(cond)) fuzz_fail(__FILE__, __LINE__, #cond); } while (0)

static inline uint32_t touch(const void *p, uint64_t n)
{
	const uint8_t *b = p;
	uint32_t h = 2166136261u;

	for (uint64_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

/* A failure is one of fwk_error's codes, recorded in the fault with a field
 * name and a detail, at an offset inside the len-byte input. */
static inline void check_fault(const struct fwk_fault *f, int rc, uint64_t len)
{
	CHECK(rc < 0 && rc >= FWK_ERR_UNSUPPORTED);
	CHECK(f->error == rc);
	CHECK(f->field != NULL && f->detail != NULL);
	CHECK(f->offset <= len);
	sink += touch(f->field, strlen(f->field)) + touch(f->detail, strlen(f->detail));
}

#endif /* FWKIT_FUZZKIT_H */

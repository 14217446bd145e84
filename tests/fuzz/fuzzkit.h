/* SPDX-License-Identifier: MIT */
/* fuzzkit.h - what fwkit's libFuzzer harnesses share: an assertion that
 * aborts with the harness's file and line, and a read of every byte so
 * ASan sees a pointer that runs past the input. */
#ifndef FWKIT_FUZZKIT_H
#define FWKIT_FUZZKIT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

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

#endif /* FWKIT_FUZZKIT_H */

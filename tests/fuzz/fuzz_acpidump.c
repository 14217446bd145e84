/* SPDX-License-Identifier: MIT */
/* fuzz_acpidump.c - libFuzzer harness: acpi_dump_parse() over arbitrary text
 * into an exact-size output buffer of len / 3 + 64 bytes; every table it
 * reports must lie, in order, inside the part of the output it used. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fwkit/acpi.h>

#include "fuzzkit.h"


#define MAX_TABLES 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint64_t cap = size / 3 + 64;
	uint8_t *out = malloc(cap);
	struct acpi_dump_table *t = malloc(sizeof(*t) * MAX_TABLES);
	struct fwk_fault f = { 0 };

	CHECK(out != NULL && t != NULL);
	int n = acpi_dump_parse((const char *)data, size, out, cap, t, MAX_TABLES, &f);
	if (n < 0) {
		/* The promised cap never runs out; tables may. */
		CHECK(n == FWK_ERR_BADFIELD || n == FWK_ERR_NOSPACE ||
		      n == FWK_ERR_LIMIT);
		CHECK(f.error == n && f.offset <= size);
		CHECK(f.field != NULL && strcmp(f.field, "line") == 0);
		CHECK(f.detail != NULL);
		sink += touch(f.detail, strlen(f.detail));
		if (n == FWK_ERR_NOSPACE)
			CHECK(strstr(f.detail, "tables") != NULL);
	} else {
		uint64_t used = 0;

		CHECK(n <= MAX_TABLES);
		for (int i = 0; i < n; i++) {
			CHECK(t[i].offset == used);
			CHECK(t[i].length > 0 && t[i].length <= cap - used);
			used += t[i].length;
			CHECK(memchr(t[i].name, '\0', sizeof(t[i].name)) != NULL);
			CHECK(t[i].name[0] != '\0');
			CHECK(t[i].instance >= 1 && t[i].instance <= (uint32_t)i + 1);
			sink += touch(out + t[i].offset, t[i].length);
			/* What a table says of its own size holds. */
			if (t[i].length >= 8 && memcmp(out + t[i].offset, "RSD PTR ", 8) != 0) {
				const uint8_t *b = out + t[i].offset;
				uint32_t l = (uint32_t)b[4] | (uint32_t)b[5] << 8 |
					     (uint32_t)b[6] << 16 | (uint32_t)b[7] << 24;
				CHECK(l == t[i].length);
			}
		}
		CHECK(used <= cap);
	}
	free(t);
	free(out);
	return 0;
}

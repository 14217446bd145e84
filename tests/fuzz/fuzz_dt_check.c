/* SPDX-License-Identifier: MIT */
/* fuzz_dt_check.c - libFuzzer harness: dt_check over the whole input with
 * exactly DT_SCRATCH_WORDS scratch, its warnings and fault checked; a tree
 * it passes must pass libfdt's own full check too, and dt_node_path_at must
 * name each node as libfdt's fdt_get_path does; dt_node_path_at at the
 * fault and at offsets taken from the input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <fwkit/dt.h>

#include "fuzzkit.h"

struct warned {
	uint64_t len;
	uint32_t n;
};

static void on_warn(void *ctx, uint64_t offset, const char *path, const char *check,
		    const char *detail)
{
	struct warned *w = ctx;

	CHECK(path != NULL && check != NULL && detail != NULL);
	CHECK(offset < w->len);
	size_t n = strnlen(path, DT_PATH_MAX);
	CHECK(n < DT_PATH_MAX && path[0] == '/');
	sink += touch(path, n) + touch(check, strlen(check)) + touch(detail, strlen(detail));
	w->n++;
}

/* dt_node_path_at's answer is a path that fits, or one of its two errors. */
static void path_at(const uint8_t *d, size_t size, uint64_t at, size_t cap)
{
	char path[DT_PATH_MAX];
	int n = dt_node_path_at(d, size, at, path, cap);

	if (n >= 0) {
		CHECK((size_t)n < cap && strlen(path) == (size_t)n && path[0] == '/');
		sink += touch(path, (uint64_t)n);
	} else {
		CHECK(n == FWK_ERR_RANGE || n == FWK_ERR_NOSPACE);
	}
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A tree dt_check passed: libfdt agrees, and names its nodes alike. */
static void cross_check(const uint8_t *d, size_t size, const struct dt_summary *s)
{
	CHECK(s->totalsize <= size && s->totalsize >= DT_HEADER_SIZE);
	CHECK(s->nodes >= 1 && s->max_depth <= DT_DEPTH_MAX && s->max_depth < s->nodes);
	CHECK(s->phandles <= s->nodes && s->symbols + s->fixups <= s->properties);
	CHECK(s->overlay == (s->fragments > 0) && s->fragments < s->nodes);
	CHECK(s->fixup_refs >= s->fixups || !s->has_fixups);
	CHECK(s->has_symbols || s->symbols == 0);
	CHECK(fdt_check_full(d, size) == 0);

	char want[DT_PATH_MAX], got[DT_PATH_MAX];
	int nodes = 0, no;
	for (no = 0; no >= 0 && nodes < 64; no = fdt_next_node(d, no, NULL), nodes++) {
		uint64_t at = (uint64_t)fdt_off_dt_struct(d) + (uint64_t)no;
		int w = fdt_get_path(d, no, want, sizeof(want));
		int g = dt_node_path_at(d, size, at, got, sizeof(got));
		if (w == 0) {
			CHECK(g == (int)strlen(want) && strcmp(got, want) == 0);
		} else {
			CHECK(w == -FDT_ERR_NOSPACE && g == FWK_ERR_NOSPACE);
		}
	}
	CHECK(no < 0 ? (uint32_t)nodes == s->nodes : nodes == 64);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *d = malloc(size ? size : 1);
	size_t words = DT_SCRATCH_WORDS(size);
	uint32_t *scratch = malloc(words * sizeof(*scratch));
	struct warned w = { size, 0 };
	struct dt_summary s;
	struct fwk_fault f = { 0 };

	CHECK(d != NULL && scratch != NULL);
	if (size)
		memcpy(d, data, size);
	int rc = dt_check(d, size, scratch, words, on_warn, &w, &s, &f);
	CHECK(size == 0 || memcmp(d, data, size) == 0);
	if (rc < 0) {
		check_fault(&f, rc, size);
		CHECK(f.offset < size || f.offset == 0);
		/* the scratch the header asks for is always enough */
		CHECK(rc != FWK_ERR_NOSPACE && rc != FWK_ERR_INVAL);
		path_at(d, size, f.offset, DT_PATH_MAX);
	} else {
		CHECK(rc == 0 && s.warnings == w.n);
		cross_check(d, size, &s);
	}

	/* the node at offsets named by the input itself, and a short buffer */
	if (size >= DT_HEADER_SIZE) {
		uint64_t st = be32(d + 8);
		path_at(d, size, st, DT_PATH_MAX);
		path_at(d, size, st + be32(d + 36) / 2, 8);
		path_at(d, size, be32(d + size - 4), DT_PATH_MAX);
		path_at(d, size, (uint64_t)size - 1, 2);
	}
	free(scratch);
	free(d);
	return 0;
}

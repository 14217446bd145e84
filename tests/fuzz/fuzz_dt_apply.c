/* SPDX-License-Identifier: MIT */
/* fuzz_dt_apply.c - libFuzzer harness: the input is a base tree and an
 * overlay (a 32-bit little-endian base length, the base, the overlay);
 * dt_overlay_plan must refuse with a well-formed diagnosis or accept, and
 * an accepted overlay must go through libfdt (retrying on NOSPACE) into a
 * tree that dt_check takes again, the inputs untouched.  Seeds in
 * tests/fuzz/corpus/dt_apply/ pair the base of tests/override/
 * test_dt_overlay.c with its overlay cases. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <fwkit/dt.h>
#include <libfdt.h>

#include "fuzzkit.h"

struct changes {
	unsigned calls;
	bool created_seen;
};

/* Every reported path is an absolute, normalised path of bounded length. */
static void on_change(void *ctx, enum dt_change what, const char *path)
{
	struct changes *c = ctx;
	size_t n;

	CHECK(what == DT_NODE_CREATED || what == DT_NODE_CHANGED);
	CHECK(path != NULL && path[0] == '/');
	n = strnlen(path, DT_PATH_MAX);
	CHECK(n < DT_PATH_MAX);
	CHECK(n == 1 || path[n - 1] != '/');
	CHECK(strstr(path, "//") == NULL);
	c->calls++;
	c->created_seen |= what == DT_NODE_CREATED;
	sink += touch(path, n);
}

static void check_diag(const struct dt_overlay_diag *d, int rc, size_t base_len,
		       size_t ovl_len)
{
	CHECK(rc < 0 && rc >= FWK_ERR_UNSUPPORTED);
	CHECK(d->problem > DT_OVL_OK && d->problem <= DT_OVL_NOSPACE);
	CHECK(strnlen(d->fragment, sizeof(d->fragment)) < sizeof(d->fragment));
	CHECK(strnlen(d->name, sizeof(d->name)) < sizeof(d->name));
	if (d->problem == DT_OVL_BASE_BAD)
		check_fault(&d->fault, rc, base_len);
	else if (d->problem == DT_OVL_OVERLAY_BAD)
		check_fault(&d->fault, rc, ovl_len);
	else
		CHECK(d->fault.error == rc && d->fault.field && d->fault.detail);
	const char *t = dt_overlay_problem_text(d->problem);
	sink += touch(t, strlen(t));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 4)
		return 0;
	size_t rest = size - 4;
	size_t base_len = fwk_le32(data) % (rest + 1);
	size_t ovl_len = rest - base_len;
	/* Exact-size heap copies, so that ASan sees a read past either. */
	uint8_t *base = malloc(base_len ? base_len : 1);
	uint8_t *ovl = malloc(ovl_len ? ovl_len : 1);
	size_t words = DT_SCRATCH_WORDS(base_len > ovl_len ? base_len : ovl_len);
	uint32_t *scratch = malloc(words * sizeof(uint32_t));
	CHECK(base && ovl && scratch);
	memcpy(base, data + 4, base_len);
	memcpy(ovl, data + 4 + base_len, ovl_len);

	struct dt_overlay_diag d;
	struct changes seen = { 0 };
	int rc = dt_overlay_plan(base, base_len, ovl, ovl_len, scratch, words, on_change, &seen,
				 &d);
	if (rc < 0) {
		check_diag(&d, rc, base_len, ovl_len);
		CHECK(seen.calls == 0);
		goto out;
	}
	CHECK(rc == 0 && d.problem == DT_OVL_OK);

	/* Apply: the documented size first, larger ones on NOSPACE. */
	size_t cap = base_len + 2 * ovl_len + 4096;
	uint8_t *work = malloc(ovl_len ? ovl_len : 1);
	CHECK(work);
	for (int tries = 0;; tries++) {
		uint8_t *out = malloc(cap);
		CHECK(out);
		rc = dt_overlay_apply(base, base_len, ovl, ovl_len, out, cap, work, scratch, words, NULL,
				      NULL, &d);
		if (rc == FWK_ERR_NOSPACE && tries < 3) {
			CHECK(d.problem == DT_OVL_NOSPACE);
			free(out);
			cap *= 4;
			continue;
		}
		/* The plan foresaw every refusal libfdt has. */
		CHECK(rc > 0);
		CHECK((size_t)rc <= cap && fdt_totalsize(out) == (uint32_t)rc);
		/* The result is a tree fwkit takes again: a later overlay goes on
		 * it. */
		size_t rw = DT_SCRATCH_WORDS((size_t)rc);
		uint32_t *rs = malloc(rw * sizeof(uint32_t));
		struct fwk_fault f = { 0 };
		CHECK(rs);
		CHECK(dt_check(out, (size_t)rc, rs, rw, NULL, NULL, NULL, &f) == 0);
		free(rs);
		free(out);
		break;
	}
	free(work);
	/* Neither input was written. */
	CHECK(memcmp(base, data + 4, base_len) == 0);
	CHECK(memcmp(ovl, data + 4 + base_len, ovl_len) == 0);
out:
	free(scratch);
	free(base);
	free(ovl);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* dt_stack.c - applies a stack of device-tree overlays in order with
 * dt_overlay_apply, growing the malloc'd output as libfdt needs room. */
#include <stdlib.h>
#include <string.h>

#include <fwkit/dt_host.h>
#include <libfdt.h>

#define STACK_OUT_MAX ((size_t)1 << 30) /* the largest output tried */
#define STACK_SLACK 4096u

/* The changes of one attempt, kept until it succeeds: each is its kind in
 * one byte, then the NUL-terminated path. */
struct stack_change {
	uint8_t *buf;
	size_t len, cap;
	bool oom;
};

static void on_change(void *ctx, enum dt_change what, const char *path)
{
	struct stack_change *c = ctx;
	size_t n = strlen(path) + 2;

	if (c->oom)
		return;
	if (c->cap - c->len < n) {
		size_t cap = c->cap ? c->cap : 256;
		while (cap - c->len < n)
			cap *= 2;
		uint8_t *b = realloc(c->buf, cap);
		if (!b) {
			c->oom = true;
			return;
		}
		c->buf = b;
		c->cap = cap;
	}
	c->buf[c->len] = (uint8_t)what;
	memcpy(c->buf + c->len + 1, path, n - 1);
	c->len += n;
}

static void deliver(const struct stack_change *c, dt_stack_change_fn fn, void *ctx,
		    size_t index)
{
	for (size_t at = 0; at < c->len;) {
		const char *path = (const char *)c->buf + at + 1;
		fn(ctx, index, (enum dt_change)c->buf[at], path);
		at += strlen(path) + 2;
	}
}

static int out_of_memory(struct dt_overlay_diag *d)
{
	d->problem = DT_OVL_NOSPACE;
	return fwk_fail(&d->fault, FWK_ERR_NOSPACE, 0, "memory", "malloc failed");
}

/* The first size to try: cur + 2 x ovl + 4 KiB, at most STACK_OUT_MAX. */
static size_t first_cap(size_t cur, size_t ovl)
{
	if (cur >= STACK_OUT_MAX || ovl >= STACK_OUT_MAX ||
	    cur + 2 * ovl + STACK_SLACK >= STACK_OUT_MAX)
		return STACK_OUT_MAX;
	return cur + 2 * ovl + STACK_SLACK;
}

/* libfdt reads trees only at 8-byte aligned addresses; a file in a cpio
 * archive starts at a multiple of 4.  *copy is what to free. */
static const uint8_t *aligned(const uint8_t *p, size_t len, uint8_t **copy)
{
	*copy = NULL;
	if (!((uintptr_t)p & 7u))
		return p;
	*copy = malloc(len ? len : 1);
	if (*copy)
		memcpy(*copy, p, len);
	return *copy;
}

/* One overlay onto cur; on success *next is the packed result. */
static int apply_one(const uint8_t *cur_in, size_t cur_len, const struct dt_blob *o,
		     size_t index, dt_stack_change_fn change, void *ctx, uint8_t **next,
		     size_t *next_len, struct dt_overlay_diag *d)
{
	size_t longer = cur_len > o->len ? cur_len : o->len;
	size_t words = DT_SCRATCH_WORDS(longer);
	uint32_t *scratch = malloc(words * sizeof(*scratch));
	uint8_t *work = malloc(o->len ? o->len : 1);
	uint8_t *out = NULL, *cur_copy, *ovl_copy;
	const uint8_t *cur = aligned(cur_in, cur_len, &cur_copy);
	const uint8_t *ovl = aligned(o->data, o->len, &ovl_copy);
	struct stack_change changes = { NULL, 0, 0, false };
	int rc;

	*next = NULL;
	if (!scratch || !work || !cur || !ovl) {
		rc = out_of_memory(d);
		goto done;
	}
	for (size_t cap = first_cap(cur_len, o->len);;) {
		out = malloc(cap);
		if (!out) {
			rc = out_of_memory(d);
			goto done;
		}
		changes.len = 0; /* a retry reports them all again */
		rc = dt_overlay_apply(cur, cur_len, ovl, o->len, out, cap, work, scratch, words,
				      change ? on_change : NULL, &changes, d);
		if (rc >= 0)
			break;
		free(out);
		out = NULL;
		if (rc != FWK_ERR_NOSPACE || d->problem != DT_OVL_NOSPACE ||
		    cap >= STACK_OUT_MAX)
			goto done;
		cap = cap > STACK_OUT_MAX / 2 ? STACK_OUT_MAX : cap * 2;
	}
	if (changes.oom) {
		free(out);
		out = NULL;
		rc = out_of_memory(d);
		goto done;
	}
	if (change)
		deliver(&changes, change, ctx, index);
	/* Packed: give back what libfdt did not use. */
	*next_len = (size_t)rc;
	uint8_t *tight = realloc(out, *next_len);
	*next = tight ? tight : out;
	rc = 0;
done:
	free(changes.buf);
	free(cur_copy);
	free(ovl_copy);
	free(scratch);
	free(work);
	return rc;
}

/* No overlay: the base itself, checked and packed. */
static int copy_base(const uint8_t *base, size_t base_len, uint8_t **out, size_t *out_len,
		     struct dt_overlay_diag *d)
{
	size_t words = DT_SCRATCH_WORDS(base_len);
	uint32_t *scratch = malloc(words * sizeof(*scratch));
	uint8_t *buf = NULL;
	int rc;

	if (!scratch)
		return out_of_memory(d);
	rc = dt_check(base, base_len, scratch, words, NULL, NULL, NULL, &d->fault);
	free(scratch);
	if (rc < 0) {
		d->problem = DT_OVL_BASE_BAD;
		return rc;
	}
	buf = malloc(base_len ? base_len : 1);
	if (!buf)
		return out_of_memory(d);
	/* In place, so that an unaligned base is no matter; dt_check held
	 * totalsize to base_len. */
	memcpy(buf, base, base_len);
	rc = base_len > INT32_MAX ? -FDT_ERR_NOSPACE : fdt_open_into(buf, buf, (int)base_len);
	if (rc == 0)
		rc = fdt_pack(buf);
	if (rc < 0) {
		free(buf);
		d->problem = DT_OVL_LIBFDT;
		d->libfdt_error = rc;
		return fwk_fail(&d->fault, FWK_ERR_BADFIELD, 0, "libfdt",
				"libfdt failed on a tree fwkit had accepted");
	}
	*out_len = fdt_totalsize(buf);
	*out = buf;
	return 0;
}

int dt_apply_stack(const uint8_t *base, size_t base_len, const struct dt_blob *ovls, size_t n,
		   dt_stack_change_fn change, void *ctx, uint8_t **out, size_t *out_len,
		   size_t *failed, struct dt_overlay_diag *d)
{
	struct dt_overlay_diag local;
	uint8_t *cur = NULL;
	size_t cur_len = 0;
	int rc;

	if (!d)
		d = &local;
	memset(d, 0, sizeof(*d));
	*out = NULL;
	*out_len = 0;
	*failed = (size_t)-1;
	if (n == 0)
		return copy_base(base, base_len, out, out_len, d);
	for (size_t i = 0; i < n; i++) {
		uint8_t *next;
		size_t next_len = 0;

		rc = apply_one(i ? cur : base, i ? cur_len : base_len, &ovls[i], i, change, ctx,
			       &next, &next_len, d);
		if (rc < 0) {
			free(cur);
			*failed = (i == 0 && d->problem == DT_OVL_BASE_BAD) ? (size_t)-1 : i;
			return rc;
		}
		free(cur);
		cur = next;
		cur_len = next_len;
	}
	*out = cur;
	*out_len = cur_len;
	return 0;
}

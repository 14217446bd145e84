/* SPDX-License-Identifier: MIT */
/*
 * fwkit/dt_host.h - hosted layer over fwkit/dt.h: apply a stack of overlays
 * in order, growing the output buffer as libfdt needs it.
 */
#ifndef FWKIT_DT_HOST_H
#define FWKIT_DT_HOST_H

#include <fwkit/dt.h>

/* One input: contents and a name for messages and records. */
struct dt_blob {
	const uint8_t *data;
	size_t len;
	const char *name;
};

/* Called for every node overlay `index` creates or changes, in the order of
 * dt_overlay_plan, once that overlay has been applied (path valid during
 * the call only); an overlay that fails reports nothing. */
typedef void (*dt_stack_change_fn)(void *ctx, size_t index,
				   enum dt_change what, const char *path);

/*
 * Apply ovls[0..n) to base in order, each to the result of the ones before
 * (so an overlay may use labels of earlier ones).  For each: plan and
 * apply into a buffer that starts at base length + 2 x the overlay's +
 * 4 KiB and doubles on DT_OVL_NOSPACE (up to 1 GiB); then change for each
 * node it creates or changes.  On
 * success *out is a malloc'd packed tree of *out_len bytes (free it).
 * Returns 0; or a negative fwk_error with *failed the index of the overlay
 * at fault (or (size_t)-1 when the base itself is bad) and d filled, and
 * *out NULL: nothing of a failed stack is kept.  FWK_ERR_NOSPACE with
 * DT_OVL_NOSPACE means memory ran out.
 */
int dt_apply_stack(const uint8_t *base, size_t base_len,
		   const struct dt_blob *ovls, size_t n,
		   dt_stack_change_fn change, void *ctx, uint8_t **out,
		   size_t *out_len, size_t *failed, struct dt_overlay_diag *d);

#endif /* FWKIT_DT_HOST_H */

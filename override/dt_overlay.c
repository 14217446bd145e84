/* SPDX-License-Identifier: MIT */
/* dt_overlay.c - decides whether a device-tree overlay applies to a base as
 * libfdt 1.6.1's fdt_overlay_apply would take it, names every refusal, lists
 * the nodes it creates or changes, applies it, and finds the overlays an
 * uncompressed initramfs archive carries. */
#include <fwkit/cpio.h>
#include <fwkit/dt.h>
#include <fwkit/initrd.h>

#include <libfdt.h>

/*
 * libfdt finds nodes loosely: a name without '@' matches the first sibling
 * named "name@unit" too (fdt_subnode_offset, fdt_add_subnode), a path
 * without a leading '/' goes through /aliases, and a node fdt_add_subnode
 * creates becomes its parent's first child.  The plan follows the same
 * rules over the base and over what earlier overlay nodes create, without
 * building the result: each overlay node under an __overlay__ gets one
 * scratch word (index offset / 8; nodes are at least 8 bytes apart) holding
 * the identity of the result node it lands on, and base nodes get flags in
 * the word of their own offset / 8.
 */
#define W_BASE_SEEN 1u /* base node at this index already reported changed */
#define W_BASE_PH 2u   /* base node at this index given a phandle already */
#define W_OVL_PH 4u    /* node created by the overlay node here has a phandle */
#define W_SHIFT 3      /* identity (walk nodes) or patched target (fragments) */
#define ID_CREATED 1u  /* identity of a node the overlay creates */
#define NONE (-1)

/* Nodes under __overlay__ nodes the plan follows: looking a name up among
 * created siblings rescans the walk, so the cost grows with the square. */
#define WALK_MAX 8192u
/* Overlays dt_cpio_overlays hands out; each costs one pass over the input. */
#define CPIO_OVERLAYS_MAX 1024u

#define SPECIAL_NODES 3
static const char *const special_nodes[SPECIAL_NODES] = {
	"/__symbols__", "/__fixups__", "/__local_fixups__",
};

static const char *const problem_texts[] = {
	[DT_OVL_OK] = "the overlay applies",
	[DT_OVL_BASE_BAD] = "the base is not a well-formed device tree",
	[DT_OVL_OVERLAY_BAD] = "the overlay is not a well-formed device-tree overlay",
	[DT_OVL_NOT_OVERLAY] = "the overlay has no fragment (no node with an __overlay__ child)",
	[DT_OVL_NO_SYMBOLS] = "the overlay refers to labels but the base has no __symbols__ "
			      "node (rebuild the base with dtc -@)",
	[DT_OVL_UNRESOLVED_LABEL] = "the overlay refers to a label the base's __symbols__ "
				    "does not define",
	[DT_OVL_BAD_SYMBOL] = "a label's __symbols__ path names no node with a phandle in the "
			      "base, or would name none in the result",
	[DT_OVL_TARGET_PATH] = "a fragment's target-path names no node of the base",
	[DT_OVL_TARGET_PHANDLE] = "a fragment's target phandle names no node of the base",
	[DT_OVL_PHANDLE_OVERWRITE] = "the overlay would replace the phandle of an existing node",
	[DT_OVL_LIBFDT] = "libfdt refused to apply the overlay",
	[DT_OVL_NOSPACE] = "the output buffer is too small",
};

const char *dt_overlay_problem_text(enum dt_overlay_problem p)
{
	if ((unsigned)p >= sizeof(problem_texts) / sizeof(problem_texts[0]))
		return "unknown overlay problem";
	return problem_texts[p];
}

/* ---- small string helpers (the core has only the mem* functions) ------- */

static size_t str_len(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

static const char *find_char(const char *s, size_t n, char c)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == c)
			return s + i;
	return NULL;
}

static bool str_eq(const char *a, size_t an, const char *b, size_t bn)
{
	return an == bn && memcmp(a, b, an) == 0;
}

static void copy_name(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static void put_hex(char *dst, uint32_t v)
{
	static const char digits[] = "0123456789abcdef";
	int shift = 28;

	*dst++ = '0';
	*dst++ = 'x';
	while (shift > 0 && !(v >> shift & 15u))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		*dst++ = digits[v >> shift & 15u];
	*dst = '\0';
}

static uint32_t be32(const void *p)
{
	return fwk_be32(p);
}

/* libfdt's fdt_nodename_eq_: an existing name matches a wanted one spelt
 * alike, or one without '@' when the existing name goes on with '@'. */
static bool name_matches(const char *have, size_t hn, const char *want, size_t wn)
{
	if (hn < wn || memcmp(have, want, wn) != 0)
		return false;
	return hn == wn || (have[wn] == '@' && !find_char(want, wn, '@'));
}

static bool is_phandle_name(const char *s, size_t n)
{
	return str_eq(s, n, "phandle", 7) || str_eq(s, n, "linux,phandle", 13);
}

/* ---- the base, read straight ----------------------------------------------
 *
 * dt_check has walked the base's structure block token by token, so the
 * plan steps through it without libfdt's per-token checks, and finds a node
 * by phandle and its path in one pass where libfdt takes one per look-up.
 * Offsets are libfdt's: from the start of the structure block.
 */

static uint32_t b_tag(const uint8_t *bs, uint32_t off)
{
	return fwk_be32(bs + off);
}

/* The token after the one at off (not FDT_END). */
static uint32_t b_after(const uint8_t *bs, uint32_t off)
{
	switch (b_tag(bs, off)) {
	case FDT_BEGIN_NODE: {
		uint32_t i = off + 4u;
		while (bs[i])
			i++;
		return (i + 4u) & ~3u;
	}
	case FDT_PROP:
		return off + 12u + ((b_tag(bs, off + 4u) + 3u) & ~3u);
	default:
		return off + 4u;
	}
}

/* The next FDT_BEGIN_NODE at this level from off, properties and NOPs
 * skipped, or NONE when the parent ends first. */
static int b_node_from(const uint8_t *bs, uint32_t off)
{
	uint32_t t;

	while ((t = b_tag(bs, off)) == FDT_PROP || t == FDT_NOP)
		off = b_after(bs, off);
	return t == FDT_BEGIN_NODE ? (int)off : NONE;
}

static int b_first_child(const uint8_t *bs, int node)
{
	return b_node_from(bs, b_after(bs, (uint32_t)node));
}

static int b_next_sibling(const uint8_t *bs, int node)
{
	uint32_t off = (uint32_t)node;
	int depth = 0;

	do {
		uint32_t t = b_tag(bs, off);
		if (t == FDT_BEGIN_NODE)
			depth++;
		else if (t == FDT_END_NODE)
			depth--;
		off = b_after(bs, off);
	} while (depth > 0);
	return b_node_from(bs, off);
}

static const char *b_name(const uint8_t *bs, int node, size_t *n)
{
	const char *s = (const char *)bs + (uint32_t)node + 4u;

	*n = 0;
	while (s[*n])
		(*n)++;
	return s;
}

/* fdt_subnode_offset_namelen: the first child whose name matches loosely. */
static int b_subnode(const uint8_t *bs, int parent, const char *name, size_t len)
{
	for (int c = b_first_child(bs, parent); c != NONE; c = b_next_sibling(bs, c)) {
		size_t n;
		const char *s = b_name(bs, c, &n);
		if (name_matches(s, n, name, len))
			return c;
	}
	return -FDT_ERR_NOTFOUND;
}

/* fdt_path_offset_namelen for an absolute path. */
static int b_path(const uint8_t *bs, const char *path, size_t len)
{
	const char *s = path, *end = path + len;
	int off = 0;

	while (s < end) {
		while (*s == '/') {
			s++;
			if (s == end)
				return off;
		}
		const char *q = find_char(s, (size_t)(end - s), '/');
		if (!q)
			q = end;
		off = b_subnode(bs, off, s, (size_t)(q - s));
		if (off < 0)
			return off;
		s = q;
	}
	return off;
}

/*
 * One pass over the base for the node at offset want (want >= 0) or, with
 * want NONE, the first with phandle ph (as fdt_node_offset_by_phandle:
 * dt_check made phandle and linux,phandle agree), its path into path as
 * fdt_get_path writes it.  Returns the offset, -FDT_ERR_NOTFOUND, or
 * -FDT_ERR_NOSPACE when the path does not fit in DT_PATH_MAX.
 */
static int b_locate(const uint8_t *bs, const char *strings, int want, uint32_t ph, char *path)
{
	uint32_t lens[DT_DEPTH_MAX + 1];
	uint32_t off = 0;
	int depth = -1, node = NONE;

	for (;;) {
		uint32_t t = b_tag(bs, off);
		if (t == FDT_END)
			return -FDT_ERR_NOTFOUND;
		if (t == FDT_BEGIN_NODE) {
			if (depth >= (int)DT_DEPTH_MAX)
				return -FDT_ERR_BADSTRUCTURE;
			depth++;
			node = (int)off;
			if (depth == 0) {
				lens[0] = 1;
				path[0] = '/';
				path[1] = '\0';
			} else if (lens[depth - 1] == UINT32_MAX) {
				lens[depth] = UINT32_MAX;
			} else {
				size_t n;
				const char *s = b_name(bs, node, &n);
				uint32_t at = lens[depth - 1] == 1 ? 0 : lens[depth - 1];
				if ((uint64_t)at + 1u + n + 1u > DT_PATH_MAX) {
					lens[depth] = UINT32_MAX;
				} else {
					path[at] = '/';
					memcpy(path + at + 1, s, n);
					lens[depth] = at + 1u + (uint32_t)n;
					path[lens[depth]] = '\0';
				}
			}
			if (node == want)
				break;
		} else if (t == FDT_END_NODE) {
			depth--;
			node = NONE;
			if (depth >= 0 && lens[depth] != UINT32_MAX)
				path[lens[depth]] = '\0';
		} else if (t == FDT_PROP && want == NONE && node != NONE &&
			   b_tag(bs, off + 4u) == 4u && b_tag(bs, off + 12u) == ph) {
			const char *nm = strings + b_tag(bs, off + 8u);
			size_t n = str_len(nm, 14);
			if (is_phandle_name(nm, n))
				break;
		}
		off = b_after(bs, off);
	}
	if (lens[depth] == UINT32_MAX)
		return -FDT_ERR_NOSPACE;
	return node;
}

/* ---- the plan's state ---------------------------------------------------- */

struct plan {
	const void *base, *ovl;
	const uint8_t *bs; /* the base's structure block */
	int symbols;      /* the base's /__symbols__, or -FDT_ERR_NOTFOUND */
	uint32_t *w;      /* one word per 8 bytes of the larger tree */
	size_t nw;
	uint32_t delta;   /* the base's largest phandle: libfdt's shift */
	uint32_t created; /* nodes created so far in this walk */
	dt_change_fn change;
	void *ctx;
	struct dt_overlay_diag *d;
	/* The result path of the walk's node, kept in d->name (a refusal naming
	 * a node leaves its path there; one naming anything else overwrites
	 * it), which spares the core's small stacks a second KiB. */
	char *path;
};

/* A result node: its identity, its base offset or the overlay node that
 * creates it (NONE for the other). */
struct hit {
	uint32_t id;
	int base;
	int ovl;
};

static uint32_t id_base(int off)
{
	return (uint32_t)off >> 3 << 1;
}

static uint32_t id_created(int off)
{
	return (uint32_t)off >> 3 << 1 | ID_CREATED;
}

static uint32_t word_id(const struct plan *p, int node)
{
	return p->w[(uint32_t)node >> 3] >> W_SHIFT;
}

static uint64_t ovl_at(const struct plan *p, const void *ptr)
{
	return (uint64_t)((const uint8_t *)ptr - (const uint8_t *)p->ovl);
}

static uint64_t node_at(const struct plan *p, int node)
{
	return (uint64_t)fdt_off_dt_struct(p->ovl) + (uint32_t)node;
}

static int refuse(struct plan *p, enum dt_overlay_problem what, int err, uint64_t at,
		  const char *field, const char *detail)
{
	p->d->problem = what;
	return fwk_fail(&p->d->fault, err, at, field, detail);
}

static int refuse_libfdt(struct plan *p, int fdt_err)
{
	p->d->libfdt_error = fdt_err;
	p->d->name[0] = '\0';
	return refuse(p, DT_OVL_LIBFDT, FWK_ERR_BADFIELD, 0, "libfdt",
		      "libfdt failed on trees fwkit had accepted");
}

static void set_fragment(struct plan *p, int frag)
{
	int n;
	const char *s = fdt_get_name(p->ovl, frag, &n);

	if (s && n >= 0)
		copy_name(p->d->fragment, sizeof(p->d->fragment), s, (size_t)n);
}

/* The first component of an overlay path: the fragment a fixup belongs to. */
static void set_fragment_of(struct plan *p, const char *path, size_t n)
{
	size_t s = 0, e;

	while (s < n && path[s] == '/')
		s++;
	for (e = s; e < n && path[e] != '/'; e++)
		;
	copy_name(p->d->fragment, sizeof(p->d->fragment), path + s, e - s);
}

static void set_name(struct plan *p, const char *s, size_t n)
{
	copy_name(p->d->name, sizeof(p->d->name), s, n);
}

/* ---- the nodes libfdt's merge visits, in its order ----------------------- */

struct walk {
	const void *ovl;
	int frag, node, depth;
	bool started, done;
};

static void walk_start(struct walk *it, const void *ovl)
{
	it->ovl = ovl;
	it->frag = it->node = NONE;
	it->depth = 0;
	it->started = it->done = false;
}

/* Each fragment's __overlay__ (depth 0; the first child fdt_subnode_offset
 * finds, as overlay_merge takes it), then its subtree in document order.
 * Returns 1, 0 at the end, or a libfdt error. */
static int walk_next(struct walk *it)
{
	if (it->done)
		return 0;
	if (it->node >= 0) {
		int n = fdt_next_node(it->ovl, it->node, &it->depth);
		if (n >= 0 && it->depth > 0) {
			if (it->depth > (int)DT_DEPTH_MAX)
				return -FDT_ERR_BADSTRUCTURE;
			it->node = n;
			return 1;
		}
		if (n < 0 && n != -FDT_ERR_NOTFOUND)
			return n;
	}
	for (;;) {
		it->frag = it->started ? fdt_next_subnode(it->ovl, it->frag)
				       : fdt_first_subnode(it->ovl, 0);
		it->started = true;
		if (it->frag == -FDT_ERR_NOTFOUND) {
			it->done = true;
			return 0;
		}
		if (it->frag < 0)
			return it->frag;
		int ov = fdt_subnode_offset(it->ovl, it->frag, "__overlay__");
		if (ov == -FDT_ERR_NOTFOUND)
			continue;
		if (ov < 0)
			return ov;
		it->node = ov;
		it->depth = 0;
		return 1;
	}
}

/*
 * The result node libfdt finds for child name[0..len) of the node `parent`
 * (base offset pbase or NONE) once the merge has reached overlay offset
 * `before`: nodes created earlier come first among the children, the latest
 * first, then the base's own.  Returns 1 with *h, 0 when there is none, or
 * a libfdt error.
 */
static int child_lookup(struct plan *p, uint32_t parent, int pbase, const char *name,
			size_t len, int before, struct hit *h)
{
	uint32_t ids[DT_DEPTH_MAX + 1];
	struct walk it;
	int rc = 0, cand = NONE;

	h->base = h->ovl = NONE;
	if (p->created) {
		walk_start(&it, p->ovl);
		while ((rc = walk_next(&it)) == 1 && it.node < before) {
			uint32_t id = word_id(p, it.node);
			ids[it.depth] = id;
			if (it.depth == 0 || id != id_created(it.node) ||
			    ids[it.depth - 1] != parent)
				continue;
			int n;
			const char *s = fdt_get_name(p->ovl, it.node, &n);
			if (s && n >= 0 && name_matches(s, (size_t)n, name, len))
				cand = it.node;
		}
		if (rc < 0)
			return rc;
	}
	if (cand != NONE) {
		h->ovl = cand;
		h->id = id_created(cand);
		return 1;
	}
	if (pbase == NONE)
		return 0;
	int off = b_subnode(p->bs, pbase, name, len);
	if (off < 0)
		return 0;
	h->base = off;
	h->id = id_base(off);
	return 1;
}

/* The value of property name[0..len) of the result node `al` at `before`:
 * the last overlay node merged onto it that sets it, else the base's. */
static const char *merged_prop(struct plan *p, const struct hit *al, const char *name,
			       size_t len, int before, int *vlen)
{
	const char *v = NULL;
	struct walk it;

	walk_start(&it, p->ovl);
	while (walk_next(&it) == 1 && it.node < before) {
		if (word_id(p, it.node) != al->id)
			continue;
		int l;
		const char *x = fdt_getprop_namelen(p->ovl, it.node, name, (int)len, &l);
		if (x) {
			v = x;
			*vlen = l;
		}
	}
	if (!v && al->base != NONE)
		v = fdt_getprop_namelen(p->base, al->base, name, (int)len, vlen);
	return v;
}

/* The name of result node h: the base's, or that of the overlay node that
 * creates it. */
static const char *hit_name(const struct plan *p, const struct hit *h, int *len)
{
	return h->base != NONE ? fdt_get_name(p->base, h->base, len)
			       : fdt_get_name(p->ovl, h->ovl, len);
}

/* Append name[0..n) to the path p->path[0..*len), "/" being the root.
 * False when it would not fit in DT_PATH_MAX. */
static bool path_append(struct plan *p, uint32_t *len, const char *name, size_t n)
{
	uint32_t at = *len == 1 ? 0 : *len;

	if ((uint64_t)at + 1u + n + 1u > DT_PATH_MAX)
		return false;
	p->path[at] = '/';
	memcpy(p->path + at + 1, name, n);
	*len = at + 1u + (uint32_t)n;
	p->path[*len] = '\0';
	return true;
}

static int follow(struct plan *p, const char *s, const char *end, int before, struct hit *h,
		  uint32_t *plen)
{
	while (s < end) {
		while (*s == '/') {
			s++;
			if (s == end)
				return 1;
		}
		const char *q = find_char(s, (size_t)(end - s), '/');
		if (!q)
			q = end;
		int rc = child_lookup(p, h->id, h->base, s, (size_t)(q - s), before, h);
		if (rc <= 0)
			return rc;
		int nl;
		const char *nm = hit_name(p, h, &nl);
		if (!nm)
			return nl;
		if (!path_append(p, plen, nm, (size_t)nl))
			return -FDT_ERR_NOSPACE;
		s = q;
	}
	return 1;
}

/*
 * Follow path[0..len) as fdt_path_offset does in the tree merged up to
 * `before`, the result node's path into p->path.  An alias must be one
 * NUL-terminated absolute path: libfdt 1.6.1 would read past an
 * unterminated value and recurse without end through one that is not
 * absolute.  Returns 1 with *h, 0 when the path names nothing, or a libfdt
 * error (-FDT_ERR_NOSPACE: the result path is longer than DT_PATH_MAX).
 */
static int resolve_path(struct plan *p, const char *path, size_t len, int before,
			struct hit *h)
{
	const char *s = path, *end = path + len;
	uint32_t plen = 1;
	int rc;

	h->id = id_base(0);
	h->base = 0;
	h->ovl = NONE;
	p->path[0] = '/';
	p->path[1] = '\0';
	if (len == 0 || path[0] != '/') {
		const char *q = find_char(path, len, '/');
		struct hit al;
		int vl = 0;

		if (!q)
			q = end;
		rc = child_lookup(p, id_base(0), 0, "aliases", 7, before, &al);
		if (rc <= 0)
			return rc;
		const char *v = merged_prop(p, &al, path, (size_t)(q - path), before, &vl);
		if (!v || vl <= 0)
			return 0;
		size_t n = str_len(v, (size_t)vl);
		if (n == (size_t)vl || n == 0 || v[0] != '/')
			return 0;
		rc = follow(p, v, v + n, before, h, &plen);
		if (rc <= 0)
			return rc;
		s = q;
	}
	return follow(p, s, end, before, h, &plen);
}

/* ---- fragments and their targets ----------------------------------------- */

static bool is_fragment(const struct plan *p, int node)
{
	return fdt_subnode_offset(p->ovl, node, "__overlay__") >= 0;
}

struct target {
	struct hit node;  /* a base node, or one an earlier fragment creates */
	const char *path; /* target-path as written, or NULL */
	size_t path_len;
};

/*
 * The node fragment frag targets when the merge reaches `before`, as
 * overlay_get_target finds it, its path in p->path: a target cell (patched
 * by __fixups__, or a phandle of the base), else target-path, which may name
 * a node an earlier fragment creates.
 */
static int fragment_target(struct plan *p, int frag, int before, struct target *t)
{
	uint32_t patched = p->w[(uint32_t)frag >> 3] >> W_SHIFT;
	int tl, pl;
	const char *tv = fdt_getprop(p->ovl, frag, "target", &tl);

	t->path = NULL;
	t->path_len = 0;
	if (tv) {
		if (tl != 4)
			return refuse(p, DT_OVL_OVERLAY_BAD, FWK_ERR_BADFIELD, ovl_at(p, tv),
				      "target", "not one 32-bit phandle cell");
		uint32_t ph = be32(tv);
		if (patched || ph != 0) { /* 0: libfdt goes on to target-path */
			const char *strings = (const char *)p->base + fdt_off_dt_strings(p->base);
			int off = ph == 0xffffffffu && !patched ? -FDT_ERR_BADPHANDLE
				  : b_locate(p->bs, strings,
					     patched ? (int)((patched - 1u) << 2) : NONE, ph,
					     p->path);
			if (off < 0 && off != -FDT_ERR_NOSPACE) {
				put_hex(p->d->name, ph);
				return refuse(p, DT_OVL_TARGET_PHANDLE, FWK_ERR_BADFIELD,
					      ovl_at(p, tv), "target",
					      "no node of the base has this phandle");
			}
			if (off < 0)
				return refuse(p, DT_OVL_OVERLAY_BAD, FWK_ERR_LIMIT, ovl_at(p, tv),
					      "target", "the target's path is longer than fwkit "
					      "follows");
			t->node.id = id_base(off);
			t->node.base = off;
			t->node.ovl = NONE;
			return 0;
		}
	}
	const char *pv = fdt_getprop(p->ovl, frag, "target-path", &pl);
	if (!pv) {
		if (tv) {
			put_hex(p->d->name, 0);
			return refuse(p, DT_OVL_TARGET_PHANDLE, FWK_ERR_BADFIELD,
				      ovl_at(p, tv), "target", "phandle 0 names no node");
		}
		return refuse(p, DT_OVL_OVERLAY_BAD, FWK_ERR_BADFIELD, node_at(p, frag),
			      "target", "a fragment with neither target nor target-path");
	}
	size_t n = str_len(pv, pl > 0 ? (size_t)pl : 0);
	if (pl <= 0 || n == (size_t)pl)
		return refuse(p, DT_OVL_OVERLAY_BAD, FWK_ERR_BADFIELD, ovl_at(p, pv),
			      "target-path", "not a NUL-terminated string");
	int rc = resolve_path(p, pv, n, before, &t->node);
	if (rc == -FDT_ERR_NOSPACE)
		return refuse(p, DT_OVL_OVERLAY_BAD, FWK_ERR_LIMIT, ovl_at(p, pv), "target-path",
			      "the target's path is longer than fwkit follows");
	if (rc < 0)
		return refuse_libfdt(p, rc);
	if (rc == 0) {
		set_name(p, pv, n);
		return refuse(p, DT_OVL_TARGET_PATH, FWK_ERR_BADFIELD, ovl_at(p, pv),
			      "target-path", "names no node of the base (nor one the "
			      "overlay's earlier fragments create)");
	}
	t->path = pv;
	t->path_len = n;
	return 0;
}

/* ---- what libfdt does before merging --------------------------------------- */

/* overlay_adjust_local_phandles adds the base's largest phandle to every
 * phandle of the overlay and fails when that overflows. */
static int check_phandles(struct plan *p)
{
	static const char *const names[2] = { "phandle", "linux,phandle" };
	int node;

	for (node = 0; node >= 0; node = fdt_next_node(p->ovl, node, NULL)) {
		for (int i = 0; i < 2; i++) {
			int l;
			const char *v = fdt_getprop(p->ovl, node, names[i], &l);
			if (!v)
				continue;
			if (l != 4)
				return refuse(p, DT_OVL_OVERLAY_BAD, FWK_ERR_BADFIELD,
					      ovl_at(p, v), "phandle", "not one 32-bit cell");
			uint32_t ph = be32(v);
			if (ph + p->delta < ph || ph + p->delta == 0xffffffffu) {
				fdt_get_path(p->ovl, node, p->d->name, sizeof(p->d->name));
				return refuse(p, DT_OVL_OVERLAY_BAD, FWK_ERR_LIMIT, ovl_at(p, v),
					      "phandle", "with the base's largest phandle "
					      "added it no longer fits 32 bits");
			}
		}
	}
	if (node != -FDT_ERR_NOTFOUND)
		return refuse_libfdt(p, node);
	return 0;
}

/*
 * overlay_update_local_references walks /__local_fixups__ against the tree
 * with libfdt's loose names and, in 1.6.1, reads each cell before checking
 * that it lies inside its property: check every offset first.  A fragment's
 * target that is a local reference points inside the overlay, and a phandle
 * property listed as a reference would be shifted twice: both refused.
 */
static int check_local_fixups(struct plan *p)
{
	int tree[DT_DEPTH_MAX + 1];
	int depth = 0;
	int fx = fdt_path_offset(p->ovl, "/__local_fixups__");

	if (fx == -FDT_ERR_NOTFOUND)
		return 0;
	if (fx < 0)
		return refuse_libfdt(p, fx);
	tree[0] = 0;
	for (int node = fx; node >= 0 && depth >= 0;
	     node = fdt_next_node(p->ovl, node, &depth)) {
		if (depth == 0 && node != fx)
			break;
		if (depth > (int)DT_DEPTH_MAX)
			return refuse(p, DT_OVL_OVERLAY_BAD, FWK_ERR_LIMIT, node_at(p, node),
				      "__local_fixups__", "nested too deep");
		if (depth > 0) {
			int nl;
			const char *nm = fdt_get_name(p->ovl, node, &nl);
			int t = nm ? fdt_subnode_offset_namelen(p->ovl, tree[depth - 1], nm, nl)
				   : nl;
			if (t < 0)
				return refuse(p, DT_OVL_OVERLAY_BAD, FWK_ERR_BADFIELD,
					      node_at(p, node), "__local_fixups__",
					      "the node mirrors no node of the overlay");
			tree[depth] = t;
		}
		int prop;
		fdt_for_each_property_offset(prop, p->ovl, node) {
			const char *name;
			int len, tl;
			const char *v = fdt_getprop_by_offset(p->ovl, prop, &name, &len);
			if (!v)
				return refuse_libfdt(p, len);
			size_t nn = str_len(name, DT_PATH_MAX);
			if (len % 4)
				return refuse(p, DT_OVL_OVERLAY_BAD, FWK_ERR_BADFIELD, ovl_at(p, v),
					      "__local_fixups__", "not a list of 32-bit offsets");
			const char *tv = fdt_getprop_namelen(p->ovl, tree[depth], name,
							     (int)nn, &tl);
			if (!tv)
				return refuse(p, DT_OVL_OVERLAY_BAD, FWK_ERR_BADFIELD, ovl_at(p, v),
					      "__local_fixups__",
					      "the property mirrors no property of the overlay");
			if (is_phandle_name(name, nn))
				return refuse(p, DT_OVL_OVERLAY_BAD, FWK_ERR_BADFIELD, ovl_at(p, v),
					      "__local_fixups__",
					      "lists a phandle property as a reference");
			for (int i = 0; i < len; i += 4) {
				uint64_t off = be32(v + i);
				if (off + 4u > (uint64_t)tl)
					return refuse(p, DT_OVL_OVERLAY_BAD, FWK_ERR_RANGE,
						      ovl_at(p, v + i), "__local_fixups__",
						      "offset is past the end of the property");
			}
			if (depth == 1 && str_eq(name, nn, "target", 6) &&
			    is_fragment(p, tree[1])) {
				set_fragment(p, tree[1]);
				put_hex(p->d->name, tl >= 4 ? be32(tv) : 0);
				return refuse(p, DT_OVL_TARGET_PHANDLE, FWK_ERR_BADFIELD,
					      ovl_at(p, tv), "target",
					      "refers to a node of the overlay itself");
			}
		}
		if (prop != -FDT_ERR_NOTFOUND)
			return refuse_libfdt(p, prop);
	}
	return 0;
}

static bool parse_offset(const char *s, size_t n, uint64_t *v)
{
	*v = 0;
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		if (*v <= UINT32_MAX)
			*v = *v * 10u + (uint64_t)(s[i] - '0');
	}
	return true;
}

/* Path components, as fdt_path_offset counts them. */
static unsigned components(const char *s, size_t n)
{
	unsigned c = 0;

	for (size_t i = 0; i < n; i++)
		if (s[i] != '/' && (i == 0 || s[i - 1] == '/'))
			c++;
	return c;
}

/* One "path:prop:offset" of label's __fixups__ value, as
 * overlay_fixup_one_phandle resolves it. */
static int check_fixup(struct plan *p, int symbols, const char *label, size_t label_n,
		       const char *s, size_t n)
{
	const char *c1 = find_char(s, n, ':');
	if (!c1 || (size_t)(c1 - s) == n - 1)
		return refuse(p, DT_OVL_OVERLAY_BAD, FWK_ERR_BADFIELD, ovl_at(p, s),
			      "__fixups__", "not path:property:offset");
	const char *name = c1 + 1;
	const char *c2 = find_char(name, n - (size_t)(name - s), ':');
	if (!c2 || c2 == name)
		return refuse(p, DT_OVL_OVERLAY_BAD, FWK_ERR_BADFIELD, ovl_at(p, s),
			      "__fixups__", "not path:property:offset");
	size_t path_n = (size_t)(c1 - s), name_n = (size_t)(c2 - name);
	uint64_t off;
	if (!parse_offset(c2 + 1, n - (size_t)(c2 + 1 - s), &off))
		return refuse(p, DT_OVL_OVERLAY_BAD, FWK_ERR_BADFIELD, ovl_at(p, c2 + 1),
			      "__fixups__", "offset is not a decimal number");

	set_fragment_of(p, s, path_n);
	if (symbols == -FDT_ERR_NOTFOUND) {
		set_name(p, label, label_n);
		return refuse(p, DT_OVL_NO_SYMBOLS, FWK_ERR_UNSUPPORTED, ovl_at(p, s),
			      "__fixups__", "the base has no __symbols__ node");
	}
	int vl;
	const char *sym = fdt_getprop_namelen(p->base, symbols, label, (int)label_n, &vl);
	if (!sym) {
		set_name(p, label, label_n);
		return refuse(p, DT_OVL_UNRESOLVED_LABEL, FWK_ERR_BADFIELD, ovl_at(p, s),
			      "__fixups__", "the base's __symbols__ lacks this label");
	}
	size_t sn = str_len(sym, vl > 0 ? (size_t)vl : 0);
	int so = (vl > 0 && sn < (size_t)vl && sn > 0 && sym[0] == '/')
			 ? b_path(p->bs, sym, sn) : -FDT_ERR_BADPATH;
	if (so < 0 || fdt_get_phandle(p->base, so) == 0) {
		set_name(p, label, label_n);
		return refuse(p, DT_OVL_BAD_SYMBOL, FWK_ERR_BADFIELD, ovl_at(p, s), "__fixups__",
			      so < 0 ? "the label's __symbols__ path names no node of the base"
				     : "the label's node in the base has no phandle");
	}

	if (path_n == 0 || s[0] != '/')
		return refuse(p, DT_OVL_OVERLAY_BAD, FWK_ERR_BADFIELD, ovl_at(p, s),
			      "__fixups__", "path is not absolute");
	int fo = fdt_path_offset_namelen(p->ovl, s, (int)path_n);
	if (fo < 0)
		return refuse(p, DT_OVL_OVERLAY_BAD, FWK_ERR_BADFIELD, ovl_at(p, s),
			      "__fixups__", "path names no node of the overlay");
	int pl;
	if (!fdt_getprop_namelen(p->ovl, fo, name, (int)name_n, &pl))
		return refuse(p, DT_OVL_OVERLAY_BAD, FWK_ERR_BADFIELD, ovl_at(p, name),
			      "__fixups__", "names no property of that node");
	/* libfdt compares idx + 4 with the length in 32 bits, which wraps. */
	if (off + 4u > (uint64_t)pl)
		return refuse(p, DT_OVL_OVERLAY_BAD, FWK_ERR_RANGE, ovl_at(p, c2 + 1),
			      "__fixups__", "offset is past the end of the property");
	if (is_phandle_name(name, name_n))
		return refuse(p, DT_OVL_OVERLAY_BAD, FWK_ERR_BADFIELD, ovl_at(p, name),
			      "__fixups__", "patches a phandle property");
	if (str_eq(name, name_n, "target", 6) && components(s, path_n) == 1 &&
	    is_fragment(p, fo))
		p->w[(uint32_t)fo >> 3] = (p->w[(uint32_t)fo >> 3] & 7u) |
					  (((uint32_t)so >> 2) + 1u) << W_SHIFT;
	p->d->fragment[0] = '\0';
	return 0;
}

/* overlay_fixup_phandles: every label of /__fixups__, every string of its
 * value, in order; records the fragments whose target a fixup patches. */
static int check_fixups(struct plan *p)
{
	int fx = fdt_path_offset(p->ovl, "/__fixups__");
	int symbols = p->symbols;
	int prop;

	if (fx == -FDT_ERR_NOTFOUND)
		return 0;
	if (fx < 0)
		return refuse_libfdt(p, fx);
	if (symbols < 0 && symbols != -FDT_ERR_NOTFOUND)
		return refuse_libfdt(p, symbols);
	fdt_for_each_property_offset(prop, p->ovl, fx) {
		const char *label;
		int len;
		const char *v = fdt_getprop_by_offset(p->ovl, prop, &label, &len);
		if (!v)
			return refuse_libfdt(p, len);
		size_t label_n = str_len(label, DT_PATH_MAX);
		size_t at = 0;
		do {
			size_t n = str_len(v + at, (size_t)len - at);
			if (at + n == (size_t)len) {
				set_name(p, label, label_n);
				return refuse(p, DT_OVL_OVERLAY_BAD, FWK_ERR_BADFIELD,
					      ovl_at(p, v + at), "__fixups__",
					      "value is not a list of NUL-terminated strings");
			}
			int rc = check_fixup(p, symbols, label, label_n, v + at, n);
			if (rc < 0)
				return rc;
			at += n + 1;
		} while (at < (size_t)len);
	}
	if (prop != -FDT_ERR_NOTFOUND)
		return refuse_libfdt(p, prop);
	return 0;
}

/* ---- the merge --------------------------------------------------------------- */

struct frame {
	uint32_t id;
	int base;
	uint32_t path_len;
	uint32_t depth; /* in the result */
};

static void report(struct plan *p, enum dt_change what)
{
	if (p->change)
		p->change(p->ctx, what, p->path);
}

static bool in_special_node(const char *path, size_t n)
{
	for (int i = 0; i < SPECIAL_NODES; i++) {
		size_t sn = str_len(special_nodes[i], DT_PATH_MAX);
		if (n >= sn && memcmp(path, special_nodes[i], sn) == 0 &&
		    (n == sn || path[sn] == '/'))
			return true;
	}
	return false;
}

/* What merging overlay node `node` onto result node h does. */
static int visit(struct plan *p, int node, const struct hit *h, bool created)
{
	uint32_t *nw = &p->w[(uint32_t)node >> 3];
	bool props = fdt_first_property_offset(p->ovl, node) >= 0;
	bool ph = fdt_getprop(p->ovl, node, "phandle", NULL) ||
		  fdt_getprop(p->ovl, node, "linux,phandle", NULL);

	if (created) {
		p->created++;
		if (ph)
			*nw |= W_OVL_PH;
		report(p, DT_NODE_CREATED);
		return 0;
	}
	uint32_t *hw = h->base != NONE ? &p->w[(uint32_t)h->base >> 3]
				       : &p->w[(uint32_t)h->ovl >> 3];
	if (ph) {
		/* libfdt 1.6.1 sets the overlay's phandle over the node's own and
		 * every reference to the old value dangles. */
		bool had = h->base != NONE
				   ? fdt_get_phandle(p->base, h->base) != 0 || (*hw & W_BASE_PH)
				   : (*hw & W_OVL_PH) != 0;
		if (had) /* d->name holds the node's path */
			return refuse(p, DT_OVL_PHANDLE_OVERWRITE, FWK_ERR_BADFIELD,
				      node_at(p, node), "phandle",
				      "the node it merges onto has a phandle already");
		*hw |= h->base != NONE ? W_BASE_PH : W_OVL_PH;
	}
	if (props && h->base != NONE && !(*hw & W_BASE_SEEN)) {
		*hw |= W_BASE_SEEN;
		report(p, DT_NODE_CHANGED);
	}
	return 0;
}

/* The frame's path in p->path, then name[0..n) after it. */
static int path_push(struct plan *p, const struct frame *parent, const char *name, size_t n,
		     int node, uint32_t *len)
{
	*len = parent->path_len;
	if (!path_append(p, len, name, n))
		return refuse(p, DT_OVL_OVERLAY_BAD, FWK_ERR_LIMIT, node_at(p, node),
			      "node name", "its path in the result is longer than fwkit follows");
	return 0;
}

static int begin_fragment(struct plan *p, const struct walk *it, struct frame *f,
			  struct hit *h)
{
	struct target t;
	int rc;

	set_fragment(p, it->frag);
	rc = fragment_target(p, it->frag, it->node, &t);
	if (rc < 0)
		return rc;
	*h = t.node;
	f->id = t.node.id;
	f->base = t.node.base;
	f->path_len = (uint32_t)str_len(p->path, DT_PATH_MAX);
	f->depth = f->path_len == 1 ? 0 : components(p->path, f->path_len);
	return 0;
}

/*
 * overlay_merge, without writing: each fragment's target, then every node
 * under its __overlay__ matched or created as fdt_add_subnode would, each
 * node's identity kept in its scratch word for the look-ups after it.
 */
static int merge_walk(struct plan *p)
{
	struct frame st[DT_DEPTH_MAX + 1];
	struct walk it;
	uint32_t nodes = 0;
	int rc;

	p->created = 0;
	for (size_t i = 0; i < p->nw; i++)
		p->w[i] &= ~7u;
	walk_start(&it, p->ovl);
	while ((rc = walk_next(&it)) == 1) {
		struct frame *f = &st[it.depth];
		struct hit h = { 0, NONE, NONE };
		bool created = false;

		if (++nodes > WALK_MAX) {
			p->d->name[0] = '\0';
			return refuse(p, DT_OVL_OVERLAY_BAD, FWK_ERR_LIMIT, node_at(p, it.node),
				      "__overlay__", "more nodes under __overlay__ nodes "
				      "than fwkit plans (8192)");
		}
		if (it.depth == 0) {
			rc = begin_fragment(p, &it, f, &h);
			if (rc < 0)
				return rc;
		} else {
			const struct frame *up = &st[it.depth - 1];
			int nl, rl;
			const char *nm = fdt_get_name(p->ovl, it.node, &nl);
			if (!nm)
				return refuse_libfdt(p, nl);
			rc = child_lookup(p, up->id, up->base, nm, (size_t)nl, it.node, &h);
			if (rc < 0)
				return refuse_libfdt(p, rc);
			created = rc == 0;
			if (created) {
				h.id = id_created(it.node);
				h.ovl = it.node;
			}
			const char *rn = hit_name(p, &h, &rl);
			if (!rn)
				return refuse_libfdt(p, rl);
			rc = path_push(p, up, rn, (size_t)rl, it.node, &f->path_len);
			if (rc < 0)
				return rc;
			f->id = h.id;
			f->base = h.base;
			f->depth = up->depth + 1u;
			if (f->depth > DT_DEPTH_MAX)
				return refuse(p, DT_OVL_OVERLAY_BAD, FWK_ERR_LIMIT,
					      node_at(p, it.node), "__overlay__",
					      "the result would nest deeper than fwkit follows");
		}
		if (in_special_node(p->path, f->path_len))
			return refuse(p, DT_OVL_OVERLAY_BAD, FWK_ERR_BADFIELD, node_at(p, it.node),
				      "__overlay__", "writes into /__symbols__, /__fixups__ or "
				      "/__local_fixups__ of the result");
		p->w[(uint32_t)it.node >> 3] = (p->w[(uint32_t)it.node >> 3] & 7u) |
					       h.id << W_SHIFT;
		rc = visit(p, it.node, &h, created);
		if (rc < 0)
			return rc;
	}
	if (rc < 0)
		return refuse_libfdt(p, rc);
	p->d->fragment[0] = '\0';
	return 0;
}

/* ---- what libfdt does after merging ------------------------------------------ */

/* The child of `parent` named exactly name[0..n), or NONE. */
static int exact_child(const void *fdt, int parent, const char *name, size_t n)
{
	int child;

	fdt_for_each_subnode(child, fdt, parent) {
		int l;
		const char *s = fdt_get_name(fdt, child, &l);
		if (s && l >= 0 && str_eq(s, (size_t)l, name, n))
			return child;
	}
	return NONE;
}

static int bad_symbol(struct plan *p, const char *label, const char *v, const char *detail)
{
	set_name(p, label, str_len(label, DT_PATH_MAX));
	return refuse(p, DT_OVL_BAD_SYMBOL, FWK_ERR_BADFIELD, ovl_at(p, v), "__symbols__", detail);
}

/*
 * overlay_symbol_update copies each label of the overlay's __symbols__ that
 * points under a fragment's __overlay__ into the result as the fragment's
 * target-path as written (or the target's path) + "/" + the rest.  Require
 * that this string names, exactly, the node the label's node merges onto:
 * an alias, a loose name or a label on the __overlay__ node itself would
 * leave a __symbols__ entry that names nothing.
 */
static int check_one_symbol(struct plan *p, const char *label, const char *v, int len)
{
	static const char ovl_dir[] = "/__overlay__/";
	const size_t dn = sizeof(ovl_dir) - 1;

	if (len < 1 || str_len(v, (size_t)len) != (size_t)len - 1)
		return refuse(p, DT_OVL_OVERLAY_BAD, FWK_ERR_BADFIELD, ovl_at(p, v), "__symbols__",
			      "value is not one NUL-terminated string");
	if (v[0] != '/')
		return refuse(p, DT_OVL_OVERLAY_BAD, FWK_ERR_BADFIELD, ovl_at(p, v), "__symbols__",
			      "path is not absolute");
	size_t n = (size_t)len - 1; /* without the NUL */
	const char *s = find_char(v + 1, n - 1, '/');
	if (!s)
		return 0;
	size_t tail = (size_t)(v + len - s); /* from s, the NUL included */
	const char *rel;
	if (tail > dn && memcmp(s, ovl_dir, dn) == 0)
		rel = s + dn;
	else if (tail == dn && memcmp(s, ovl_dir, dn - 1) == 0)
		rel = v + n;
	else
		return 0; /* libfdt leaves labels outside fragments out */
	size_t rel_n = (size_t)(v + n - rel);

	int frag = fdt_subnode_offset_namelen(p->ovl, 0, v + 1, (int)(s - v - 1));
	int ov = frag >= 0 ? fdt_subnode_offset(p->ovl, frag, "__overlay__") : frag;
	if (ov < 0)
		return refuse(p, DT_OVL_OVERLAY_BAD, FWK_ERR_BADFIELD, ovl_at(p, v), "__symbols__",
			      "names no fragment's __overlay__ node");
	int fl, ol;
	const char *fname = fdt_get_name(p->ovl, frag, &fl);
	const char *oname = fdt_get_name(p->ovl, ov, &ol);
	set_fragment(p, frag);
	if (!fname || !oname || !str_eq(fname, (size_t)fl, v + 1, (size_t)(s - v - 1)) ||
	    !str_eq(oname, (size_t)ol, "__overlay__", 11))
		return bad_symbol(p, label, v, "libfdt would file the label under "
				  "another fragment");

	struct target t;
	int rc = fragment_target(p, frag, INT32_MAX, &t);
	if (rc < 0)
		return rc;
	size_t pn = str_len(p->path, DT_PATH_MAX);
	if (t.path && !str_eq(t.path, t.path_len, p->path, pn))
		return bad_symbol(p, label, v, "libfdt would record the label under the "
				  "target-path as written, not the target's path");
	if (rel_n == 0 && pn > 1)
		return bad_symbol(p, label, v, "libfdt would record a label on an "
				  "__overlay__ node with a trailing '/'");

	/* Each step below the target must land on a node spelt alike. */
	uint32_t id = t.node.id;
	int pbase = t.node.base, node = ov;
	for (const char *c = rel, *end = rel + rel_n; c < end;) {
		const char *q = find_char(c, (size_t)(end - c), '/');
		if (!q)
			q = end;
		node = exact_child(p->ovl, node, c, (size_t)(q - c));
		if (node == NONE)
			return bad_symbol(p, label, v, "names no node of the overlay");
		struct hit h;
		rc = child_lookup(p, id, pbase, c, (size_t)(q - c), node, &h);
		if (rc < 0)
			return refuse_libfdt(p, rc);
		if (rc == 1) {
			int rl;
			const char *rn = hit_name(p, &h, &rl);
			if (!rn || !str_eq(rn, (size_t)rl, c, (size_t)(q - c)))
				return bad_symbol(p, label, v, "the label's node merges onto a "
						  "node of another name");
			id = h.id;
			pbase = h.base;
		} else {
			id = id_created(node);
			pbase = NONE;
		}
		c = q + (q < end);
	}
	p->d->fragment[0] = '\0';
	return 0;
}

static int check_symbols(struct plan *p)
{
	int sym = fdt_subnode_offset(p->ovl, 0, "__symbols__");
	int prop;

	p->d->name[0] = '\0';
	if (sym < 0)
		return 0; /* libfdt ignores any failure to find them */
	fdt_for_each_property_offset(prop, p->ovl, sym) {
		const char *label;
		int len;
		const char *v = fdt_getprop_by_offset(p->ovl, prop, &label, &len);
		if (!v)
			return refuse_libfdt(p, len);
		int rc = check_one_symbol(p, label, v, len);
		if (rc < 0)
			return rc;
	}
	if (prop != -FDT_ERR_NOTFOUND)
		return refuse_libfdt(p, prop);
	return 0;
}

/* ---- the public functions -------------------------------------------------- */

static bool has_fragment(const void *ovl)
{
	struct walk it;

	walk_start(&it, ovl);
	return walk_next(&it) == 1;
}

int dt_overlay_plan(const void *base, size_t base_len, const void *ovl, size_t ovl_len,
		    uint32_t *scratch, size_t scratch_words, dt_change_fn change, void *ctx,
		    struct dt_overlay_diag *d)
{
	struct dt_overlay_diag local;
	struct dt_summary sum;
	struct plan p;
	int rc;

	if (!d)
		d = &local;
	memset(d, 0, sizeof(*d));
	rc = dt_check(base, base_len, scratch, scratch_words, NULL, NULL, &sum, &d->fault);
	if (rc < 0) {
		d->problem = DT_OVL_BASE_BAD;
		return rc;
	}
	rc = dt_check(ovl, ovl_len, scratch, scratch_words, NULL, NULL, NULL, &d->fault);
	if (rc < 0) {
		d->problem = DT_OVL_OVERLAY_BAD;
		return rc;
	}
	/* libfdt 1.6.1 refuses trees at addresses that are not 8-aligned
	 * (FDT_ERR_ALIGNMENT) in most of its look-ups. */
	if (((uintptr_t)base | (uintptr_t)ovl) & 7u) {
		d->problem = DT_OVL_LIBFDT;
		d->libfdt_error = -FDT_ERR_ALIGNMENT;
		return fwk_fail(&d->fault, FWK_ERR_INVAL, 0, (uintptr_t)base & 7u ? "base" : "overlay",
				"not at an 8-byte aligned address, as libfdt requires");
	}
	/* libfdt counts in int. */
	if (fdt_totalsize(base) > INT32_MAX) {
		d->problem = DT_OVL_BASE_BAD;
		return fwk_fail(&d->fault, FWK_ERR_LIMIT, 4, "totalsize",
				"larger than libfdt can address");
	}
	if (fdt_totalsize(ovl) > INT32_MAX) {
		d->problem = DT_OVL_OVERLAY_BAD;
		return fwk_fail(&d->fault, FWK_ERR_LIMIT, 4, "totalsize",
				"larger than libfdt can address");
	}

	memset(&p, 0, sizeof(p));
	p.base = base;
	p.bs = (const uint8_t *)base + fdt_off_dt_struct(base);
	p.delta = sum.max_phandle; /* what fdt_find_max_phandle finds */
	p.ovl = ovl;
	p.d = d;
	p.path = d->name;
	p.w = scratch;
	p.nw = (fdt_totalsize(base) > fdt_totalsize(ovl) ? fdt_totalsize(base)
							  : fdt_totalsize(ovl)) / 8u + 1u;
	if (p.nw > scratch_words)
		return refuse(&p, DT_OVL_OVERLAY_BAD, FWK_ERR_NOSPACE, 0, "scratch",
			      "fewer words than DT_SCRATCH_WORDS of the longer input");
	memset(p.w, 0, p.nw * sizeof(*p.w));
	/* A base with unresolved references is an overlay itself: what the
	 * merge writes could break the cells its fixups list. */
	int special[SPECIAL_NODES] = { -FDT_ERR_NOTFOUND, -FDT_ERR_NOTFOUND,
				       -FDT_ERR_NOTFOUND };
	for (int c = b_first_child(p.bs, 0); c != NONE; c = b_next_sibling(p.bs, c)) {
		size_t n;
		const char *nm = b_name(p.bs, c, &n);
		for (int i = 0; i < SPECIAL_NODES; i++)
			if (special[i] < 0 && name_matches(nm, n, special_nodes[i] + 1,
							   str_len(special_nodes[i] + 1, 32)))
				special[i] = c;
	}
	p.symbols = special[0];
	for (int i = 1; i < SPECIAL_NODES; i++) {
		int at = special[i];
		if (at >= 0) {
			d->problem = DT_OVL_BASE_BAD;
			return fwk_fail(&d->fault, FWK_ERR_UNSUPPORTED,
					(uint64_t)fdt_off_dt_struct(base) + (uint32_t)at,
					special_nodes[i] + 1, "the base has unresolved references: "
					"it is an overlay, not a tree to apply one to");
		}
	}
	if (!has_fragment(ovl))
		return refuse(&p, DT_OVL_NOT_OVERLAY, FWK_ERR_BADFIELD, 0, "fragment",
			      "no top-level node has an __overlay__ child");

	/* In libfdt's order: phandles, local references, fixups, merge, symbols. */
	rc = check_phandles(&p);
	if (!rc)
		rc = check_local_fixups(&p);
	if (!rc)
		rc = check_fixups(&p);
	if (!rc)
		rc = merge_walk(&p);
	if (!rc)
		rc = check_symbols(&p);
	if (rc < 0)
		return rc;
	if (change) {
		/* Every check passed: walk again, this time reporting. */
		p.change = change;
		p.ctx = ctx;
		rc = merge_walk(&p);
		if (rc < 0)
			return rc;
	}
	d->fragment[0] = '\0';
	d->name[0] = '\0';
	return 0;
}

static void poison(void *out, size_t cap)
{
	if (out && cap >= 4)
		memset(out, 0xff, 4);
}

int dt_overlay_apply(const void *base, size_t base_len, const void *ovl, size_t ovl_len,
		     void *out, size_t out_cap, void *ovl_work, uint32_t *scratch,
		     size_t scratch_words, dt_change_fn change, void *ctx,
		     struct dt_overlay_diag *d)
{
	struct dt_overlay_diag local;
	int rc;

	if (!d)
		d = &local;
	rc = dt_overlay_plan(base, base_len, ovl, ovl_len, scratch, scratch_words, change, ctx,
			     d);
	if (rc < 0) {
		poison(out, out_cap);
		return rc;
	}
	if (!out && out_cap == 0) {
		d->problem = DT_OVL_NOSPACE;
		return fwk_fail(&d->fault, FWK_ERR_NOSPACE, 0, "out",
				"no buffer: call again with one");
	}
	if (!out || !ovl_work) {
		d->problem = DT_OVL_LIBFDT;
		d->libfdt_error = -FDT_ERR_BADVALUE;
		return fwk_fail(&d->fault, FWK_ERR_INVAL, 0, out ? "ovl_work" : "out",
				"NULL buffer");
	}
	if (((uintptr_t)out | (uintptr_t)ovl_work) & 7u) {
		d->problem = DT_OVL_LIBFDT;
		d->libfdt_error = -FDT_ERR_ALIGNMENT;
		poison(out, out_cap);
		return fwk_fail(&d->fault, FWK_ERR_INVAL, 0, (uintptr_t)out & 7u ? "out" : "ovl_work",
				"not at an 8-byte aligned address, as libfdt requires");
	}
	if (out_cap > INT32_MAX) {
		d->problem = DT_OVL_LIBFDT;
		d->libfdt_error = -FDT_ERR_BADVALUE;
		poison(out, out_cap);
		return fwk_fail(&d->fault, FWK_ERR_LIMIT, 0, "out_cap",
				"larger than libfdt's int sizes");
	}
	rc = fdt_open_into(base, out, (int)out_cap);
	if (rc == 0) {
		memcpy(ovl_work, ovl, ovl_len);
		rc = fdt_overlay_apply(out, ovl_work);
	}
	if (rc == 0)
		rc = fdt_pack(out);
	if (rc == -FDT_ERR_NOSPACE) {
		poison(out, out_cap);
		d->problem = DT_OVL_NOSPACE;
		return fwk_fail(&d->fault, FWK_ERR_NOSPACE, 0, "out",
				"too small for the result: retry with more");
	}
	if (rc < 0) {
		poison(out, out_cap);
		d->problem = DT_OVL_LIBFDT;
		d->libfdt_error = rc;
		return fwk_fail(&d->fault, FWK_ERR_BADFIELD, 0, "libfdt",
				"libfdt failed on trees fwkit had accepted");
	}
	return (int)fdt_totalsize(out);
}

/* ---- overlays in an initramfs ------------------------------------------------ */

/*
 * The file name after DT_OVERLAY_DIR "/" when name[0..n) sits directly in
 * that directory, compared by components as the kernel's unpacking resolves
 * them ("./", "." and repeated slashes dropped, a leading '/' meaning the
 * same root); NULL otherwise or when it does not end in DT_OVERLAY_SUFFIX.
 */
static const char *overlay_file(const char *name, size_t n, size_t *file_n)
{
	static const char dir[] = DT_OVERLAY_DIR;
	static const char suffix[] = DT_OVERLAY_SUFFIX;
	const size_t dn = sizeof(dir) - 1, sn = sizeof(suffix) - 1;
	size_t d = 0; /* bytes of dir matched, at a component boundary */
	const char *file = NULL;

	for (size_t i = 0; i < n;) {
		while (i < n && name[i] == '/')
			i++;
		size_t s = i;
		while (i < n && name[i] != '/')
			i++;
		size_t c = i - s;
		if (c == 0 || (c == 1 && name[s] == '.'))
			continue;
		if (c == 2 && name[s] == '.' && name[s + 1] == '.')
			return NULL;
		if (file)
			return NULL; /* deeper than the directory */
		if (d < dn) {
			size_t want = 0;
			while (d + want < dn && dir[d + want] != '/')
				want++;
			if (want != c || memcmp(dir + d, name + s, c) != 0)
				return NULL;
			d += c + (d + c < dn);
			continue;
		}
		file = name + s;
		*file_n = c;
	}
	if (!file || *file_n <= sn || memcmp(file + *file_n - sn, suffix, sn) != 0)
		return NULL;
	return file;
}

bool dt_overlay_member(const char *name, size_t n)
{
	size_t file_n;

	return overlay_file(name, n, &file_n) != NULL;
}

static int key_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);

	if (c)
		return c;
	return an < bn ? -1 : an > bn;
}

/* Every entry of every archive in buf: cpio archives at multiples of 4 with
 * NUL padding between them, as the kernel takes them; a compressed stream
 * ends the walk (its content is the hosted caller's to decompress). */
struct cpio_walk {
	const uint8_t *b;
	size_t len;
	struct cpio_reader r;
	bool in_archive, done;
	struct fwk_fault *f;
};

static void cpio_walk_start(struct cpio_walk *cw, const void *buf, size_t len, struct fwk_fault *f)
{
	memset(cw, 0, sizeof(*cw));
	cw->b = buf;
	cw->len = len;
	cw->f = f;
}

static int cpio_walk_next(struct cpio_walk *cw, struct cpio_entry *e)
{
	for (;;) {
		if (cw->done)
			return 0;
		if (!cw->in_archive) {
			uint64_t off = cw->r.off;
			while (off < cw->len && cw->b[off] == 0)
				off++;
			if (off >= cw->len) {
				cw->done = true;
				return 0;
			}
			enum initrd_format fmt = initrd_detect(cw->b + off, cw->len - off);
			if (fmt != INITRD_CPIO && fmt != INITRD_UNKNOWN) {
				cw->done = true;
				return 0;
			}
			if (fmt == INITRD_UNKNOWN)
				return fwk_fail(cw->f, FWK_ERR_BADMAGIC, off, "c_magic",
						"neither a cpio archive nor NUL padding");
			if (off & 3)
				return fwk_fail(cw->f, FWK_ERR_BADMAGIC, off, "c_magic",
						"cpio archive not at a multiple of 4 bytes");
			cpio_reader_init(&cw->r, cw->b, cw->len, off);
			cw->in_archive = true;
		}
		int rc = cpio_next_entry(&cw->r, e);
		if (rc == 1)
			return 1;
		if (rc < 0) {
			if (cw->f)
				*cw->f = cw->r.fault;
			return rc;
		}
		cw->in_archive = false; /* the trailer: r.off is past it */
	}
}

int dt_cpio_overlays(const void *cpio, size_t len, dt_overlay_fn fn, void *ctx,
		     struct fwk_fault *f)
{
	const char *last = NULL;
	size_t last_n = 0;
	uint32_t count = 0, seen = 0;
	bool first = true;

	if (!cpio && len)
		return fwk_fail(f, FWK_ERR_INVAL, 0, "buffer", "NULL with a length");
	/* One pass per name, each picking the next name in byte order, so that
	 * nothing needs to be stored; the first pass also checks the input. */
	for (;;) {
		struct cpio_walk cw;
		struct cpio_entry e, best_e = { 0 };
		const char *best = NULL;
		size_t best_n = 0;
		int rc;

		cpio_walk_start(&cw, cpio, len, f);
		while ((rc = cpio_walk_next(&cw, &e)) == 1) {
			size_t fn_n = 0;
			const char *file = overlay_file(e.name, e.namelen, &fn_n);
			if (!file)
				continue;
			if (first && ++seen > CPIO_OVERLAYS_MAX)
				return fwk_fail(f, FWK_ERR_LIMIT, e.offset, "name",
						"more overlays than fwkit hands out (1024)");
			if (last && key_cmp(file, fn_n, last, last_n) <= 0)
				continue;
			int c = best ? key_cmp(file, fn_n, best, best_n) : -1;
			if (c <= 0) {
				/* A later entry of the same name replaces an earlier one,
				 * whatever its type. */
				best = file;
				best_n = fn_n;
				best_e = e;
			}
		}
		if (rc < 0)
			return rc;
		first = false;
		if (!best)
			break;
		if ((best_e.st.mode & CPIO_S_IFMT) == CPIO_S_IFREG) {
			rc = fn(ctx, best_e.name, best_e.namelen, best_e.data, best_e.st.size);
			if (rc < 0)
				return rc;
			count++;
		}
		last = best;
		last_n = best_n;
	}
	return (int)count;
}

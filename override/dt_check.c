/* SPDX-License-Identifier: MIT */
/* dt_check.c - the structural check of a flattened device tree or overlay
 * against the real buffer (header, blocks, tokens, names, phandles and the
 * overlay nodes), dtc-style sanity warnings, and the path of the node open
 * at a byte offset. */
#include <fwkit/dt.h>

/* Structure block tokens (Devicetree Specification v0.4, 5.4.1). */
#define TOK_BEGIN_NODE 0x1u
#define TOK_END_NODE 0x2u
#define TOK_PROP 0x3u
#define TOK_NOP 0x4u
#define TOK_END 0x9u

/* Header fields (5.2), big-endian 32-bit words. */
#define H_TOTALSIZE 4u
#define H_OFF_DT_STRUCT 8u
#define H_OFF_DT_STRINGS 12u
#define H_OFF_MEM_RSVMAP 16u
#define H_VERSION 20u
#define H_LAST_COMP_VERSION 24u
#define H_BOOT_CPUID_PHYS 28u
#define H_SIZE_DT_STRINGS 32u
#define H_SIZE_DT_STRUCT 36u

/* The walk and each later check keep big arrays on the stack; kept out of
 * line so that only one of them is on the stack at a time (under 4 KiB). */
#define OWN_FRAME __attribute__((noinline))

#define RSV_ENTRY 16u   /* address and size, 64 bits each */
#define PROP_HEAD 12u   /* FDT_PROP, len, nameoff */
#define NO_PHANDLE_LO 0u
#define NO_PHANDLE_HI 0xffffffffu

/* What the whole check shares: the blocks (found good by check_header),
 * the scratch words and the summary being filled. */
struct tree {
	const uint8_t *b;
	uint64_t total;
	bool v17;
	uint64_t st, st_end;   /* structure block */
	uint64_t str, str_end; /* strings block */
	uint32_t *scratch;
	size_t words;
	size_t lo;             /* names of open nodes' children and properties */
	size_t hi;             /* (phandle, offset) pairs, growing down to lo */
	dt_warn_fn warn;
	void *ctx;
	struct fwk_fault *f;
	struct dt_summary sum;
	/* FDT_BEGIN_NODE offsets, 0 when absent (no node starts below 40) */
	uint64_t root, symbols, fixups, local_fixups;
	uint32_t unpatched;    /* fragments whose target needs a __fixups__ entry */
};

static uint32_t rd32(const struct tree *t, uint64_t at)
{
	return fwk_be32(t->b + at);
}

static uint64_t align4(uint64_t x)
{
	return (x + 3u) & ~(uint64_t)3u;
}

/* A fault offset that stays inside the tree even when the problem is that
 * something is missing at the very end. */
static uint64_t inside(const struct tree *t, uint64_t at)
{
	return at < t->total ? at : t->total - 1u;
}

static void warn(struct tree *t, uint64_t at, const char *path, const char *check,
		 const char *detail)
{
	t->sum.warnings++;
	if (t->warn)
		t->warn(t->ctx, at, path, check, detail);
}

/* Character sets as two 64-bit masks (characters 0-63, 64-127): one test
 * per character of every name. */
#define CH(c) ((uint64_t)1 << ((c) & 63))
#define DIGITS ((uint64_t)0x3ff << 48)                 /* '0'..'9' */
#define LETTERS ((uint64_t)0x3ffffff << 1 | (uint64_t)0x3ffffff << 33) /* A-Z a-z */
#define NODE_LO (DIGITS | CH(',') | CH('.') | CH('+') | CH('-'))
#define NODE_HI (LETTERS | CH('_'))
#define PROP_LO (NODE_LO | CH('?') | CH('#'))

static bool in_set(uint8_t c, uint64_t lo, uint64_t hi)
{
	return c < 64 ? (lo >> c & 1u) != 0 : c < 128 && (hi >> (c - 64) & 1u) != 0;
}

/* dtc's node name characters (and of a unit address). */
static bool node_char(uint8_t c)
{
	return in_set(c, NODE_LO, NODE_HI);
}

static bool prop_char(uint8_t c)
{
	return in_set(c, PROP_LO, NODE_HI);
}

/* Does the NUL-terminated string at b[at] equal s[0..n)?  Stops at the
 * string's NUL, so it never reads past a string known to be terminated. */
static bool str_is(const struct tree *t, uint64_t at, const void *s, uint64_t n)
{
	const uint8_t *p = s;

	for (uint64_t i = 0; i < n; i++)
		if (t->b[at + i] != p[i] || p[i] == 0)
			return false;
	return t->b[at + n] == 0;
}

static int str_cmp(const struct tree *t, uint64_t a, uint64_t b)
{
	while (t->b[a] && t->b[a] == t->b[b]) {
		a++;
		b++;
	}
	return (int)t->b[a] - (int)t->b[b];
}

/* ---- header and blocks ---------------------------------------------------- */

static int check_header(struct tree *t, size_t len)
{
	const uint8_t *b = t->b;
	struct fwk_fault *f = t->f;

	if (len >= 4 && fwk_be32(b) != DT_MAGIC)
		return fwk_fail(f, FWK_ERR_BADMAGIC, 0, "magic", "not 0xd00dfeed");
	if (len < DT_HEADER_SIZE)
		return fwk_fail(f, FWK_ERR_TRUNCATED, 0, "header",
				"fewer than the 40 bytes of the header");

	uint64_t total = fwk_be32(b + H_TOTALSIZE);
	uint32_t version = fwk_be32(b + H_VERSION);
	uint32_t last = fwk_be32(b + H_LAST_COMP_VERSION);
	uint64_t r = fwk_be32(b + H_OFF_MEM_RSVMAP);
	uint64_t s = fwk_be32(b + H_OFF_DT_STRUCT);
	uint64_t ssize = fwk_be32(b + H_SIZE_DT_STRUCT);
	uint64_t str = fwk_be32(b + H_OFF_DT_STRINGS);
	uint64_t strsize = fwk_be32(b + H_SIZE_DT_STRINGS);

	if (version < 16)
		return fwk_fail(f, FWK_ERR_UNSUPPORTED, H_VERSION, "version",
				"older than 16");
	if (last > 17)
		return fwk_fail(f, FWK_ERR_UNSUPPORTED, H_LAST_COMP_VERSION,
				"last_comp_version", "newer than 17");
	if (last > version)
		return fwk_fail(f, FWK_ERR_BADFIELD, H_LAST_COMP_VERSION,
				"last_comp_version", "newer than the tree's version");
	if (total < DT_HEADER_SIZE)
		return fwk_fail(f, FWK_ERR_RANGE, H_TOTALSIZE, "totalsize",
				"smaller than the 40-byte header");
	if (total > len)
		return fwk_fail(f, FWK_ERR_TRUNCATED, H_TOTALSIZE, "totalsize",
				"larger than the buffer");
	t->total = total;
	t->v17 = version >= 17;

	if (r % 8u)
		return fwk_fail(f, FWK_ERR_BADFIELD, H_OFF_MEM_RSVMAP, "off_mem_rsvmap",
				"not a multiple of 8");
	if (s % 4u)
		return fwk_fail(f, FWK_ERR_BADFIELD, H_OFF_DT_STRUCT, "off_dt_struct",
				"not a multiple of 4");
	if (r >= total)
		return fwk_fail(f, FWK_ERR_RANGE, H_OFF_MEM_RSVMAP, "off_mem_rsvmap",
				"points past totalsize");
	if (s >= total)
		return fwk_fail(f, FWK_ERR_RANGE, H_OFF_DT_STRUCT, "off_dt_struct",
				"points past totalsize");
	if (t->v17 && s + ssize > total)
		return fwk_fail(f, FWK_ERR_RANGE, H_SIZE_DT_STRUCT, "size_dt_struct",
				"runs past totalsize");
	if (str > total)
		return fwk_fail(f, FWK_ERR_RANGE, H_OFF_DT_STRINGS, "off_dt_strings",
				"points past totalsize");
	if (str + strsize > total)
		return fwk_fail(f, FWK_ERR_RANGE, H_SIZE_DT_STRINGS, "size_dt_strings",
				"runs past totalsize");
	if (r < DT_HEADER_SIZE)
		return fwk_fail(f, FWK_ERR_RANGE, H_OFF_MEM_RSVMAP, "off_mem_rsvmap",
				"overlaps the header");
	if (s < DT_HEADER_SIZE)
		return fwk_fail(f, FWK_ERR_RANGE, H_OFF_DT_STRUCT, "off_dt_struct",
				"overlaps the header");
	/* libfdt, and so the kernel, wants this even of an empty block. */
	if (str < DT_HEADER_SIZE)
		return fwk_fail(f, FWK_ERR_RANGE, H_OFF_DT_STRINGS, "off_dt_strings",
				"overlaps the header");

	/* v16 has no size_dt_struct: the block may reach the next block; the
	 * walk finds where its FDT_END really is. */
	uint64_t se = s + ssize;
	if (!t->v17) {
		se = total;
		if (strsize && str > s && str < se)
			se = str;
		if (r > s && r < se)
			se = r;
	}
	if (strsize && s < se && str < str + strsize && s < str + strsize && str < se) {
		if (s < str)
			return fwk_fail(f, FWK_ERR_RANGE, H_SIZE_DT_STRUCT, "size_dt_struct",
					"runs into the strings block");
		if (str < s)
			return fwk_fail(f, FWK_ERR_RANGE, H_SIZE_DT_STRINGS,
					"size_dt_strings", "runs into the structure block");
		return fwk_fail(f, FWK_ERR_RANGE, H_OFF_DT_STRINGS, "off_dt_strings",
				"starts where the structure block starts");
	}
	if (r >= s && r < se)
		return fwk_fail(f, FWK_ERR_RANGE, H_OFF_MEM_RSVMAP, "off_mem_rsvmap",
				"points into the structure block");
	if (strsize && r >= str && r < str + strsize)
		return fwk_fail(f, FWK_ERR_RANGE, H_OFF_MEM_RSVMAP, "off_mem_rsvmap",
				"points into the strings block");

	/* The map ends at its (0, 0) entry, before whichever block follows. */
	uint64_t rend = total;
	if (s > r && s < rend)
		rend = s;
	if (strsize && str > r && str < rend)
		rend = str;
	uint64_t p = r;
	for (;; p += RSV_ENTRY) {
		if (p + RSV_ENTRY > rend)
			return fwk_fail(f, FWK_ERR_RANGE, r, "off_mem_rsvmap",
					"no (0, 0) entry ends the map before the next block");
		if ((fwk_be32(b + p) | fwk_be32(b + p + 4) | fwk_be32(b + p + 8) |
		     fwk_be32(b + p + 12)) == 0)
			break;
	}

	t->st = s;
	t->st_end = se;
	t->str = str;
	t->str_end = str + strsize;
	t->sum.totalsize = (uint32_t)total;
	t->sum.version = version;
	t->sum.last_comp_version = last;
	t->sum.boot_cpuid_phys = fwk_be32(b + H_BOOT_CPUID_PHYS);
	t->sum.off_mem_rsvmap = (uint32_t)r;
	t->sum.off_dt_struct = (uint32_t)s;
	t->sum.size_dt_struct = (uint32_t)ssize;
	t->sum.off_dt_strings = (uint32_t)str;
	t->sum.size_dt_strings = (uint32_t)strsize;
	t->sum.reserve_entries = (uint32_t)((p - r) / RSV_ENTRY);
	return 0;
}

/* ---- sorting names and phandles in the scratch words ---------------------- */

enum order {
	BY_NODE_NAME, /* word: offset of an FDT_BEGIN_NODE */
	BY_PROP_NAME, /* word: offset of an FDT_PROP */
	BY_PHANDLE    /* pair: phandle, offset of its value */
};

static uint64_t name_at(const struct tree *t, enum order o, uint32_t w)
{
	return o == BY_NODE_NAME ? (uint64_t)w + 4u : t->str + rd32(t, w + 8u);
}

/* Ties are broken by offset, so the later of two equal names sorts last. */
static int rec_cmp(const struct tree *t, enum order o, const uint32_t *x, const uint32_t *y)
{
	if (o == BY_PHANDLE) {
		if (x[0] != y[0])
			return x[0] < y[0] ? -1 : 1;
		return x[1] < y[1] ? -1 : x[1] > y[1];
	}
	int c = str_cmp(t, name_at(t, o, x[0]), name_at(t, o, y[0]));
	if (c)
		return c;
	return x[0] < y[0] ? -1 : x[0] > y[0];
}

static void rec_swap(uint32_t *x, uint32_t *y, unsigned width)
{
	for (unsigned i = 0; i < width; i++) {
		uint32_t v = x[i];
		x[i] = y[i];
		y[i] = v;
	}
}

static void sift_down(const struct tree *t, uint32_t *a, size_t root, size_t n, enum order o)
{
	unsigned w = o == BY_PHANDLE ? 2u : 1u;

	for (;;) {
		size_t c = 2 * root + 1;
		if (c >= n)
			return;
		if (c + 1 < n && rec_cmp(t, o, a + c * w, a + (c + 1) * w) < 0)
			c++;
		if (rec_cmp(t, o, a + root * w, a + c * w) >= 0)
			return;
		rec_swap(a + root * w, a + c * w, w);
		root = c;
	}
}

/* Heapsort: no recursion, no extra memory, n log n on hostile input. */
static void sort_recs(const struct tree *t, uint32_t *a, size_t n, enum order o)
{
	unsigned w = o == BY_PHANDLE ? 2u : 1u;

	for (size_t k = n / 2; k-- > 0;)
		sift_down(t, a, k, n, o);
	for (size_t end = n; end > 1;) {
		end--;
		rec_swap(a, a + end * w, w);
		sift_down(t, a, 0, end, o);
	}
}

/* Up to this many names, no_twins compares pairs rather than sorting. */
#define TWINS_PAIRWISE 12u

static int push(struct tree *t, uint64_t v, uint64_t at)
{
	if (t->lo >= t->hi)
		return fwk_fail(t->f, FWK_ERR_NOSPACE, at, "scratch",
				"fewer words than DT_SCRATCH_WORDS(len)");
	t->scratch[t->lo++] = (uint32_t)v;
	return 0;
}

/* Sort the names pushed since base and refuse two alike, naming the second
 * occurrence that comes first in the buffer; then drop them. */
static int no_twins(struct tree *t, size_t base, enum order o)
{
	uint32_t *a = t->scratch + base;
	size_t n = t->lo - base;
	uint64_t second = UINT64_MAX;

	if (n <= TWINS_PAIRWISE) {
		/* Few names (most nodes): compare each with those before it, in
		 * buffer order, so the first hit is the earliest second one. */
		for (size_t j = 1; j < n && second == UINT64_MAX; j++) {
			uint64_t nj = name_at(t, o, a[j]);
			for (size_t i = 0; i < j; i++)
				if (str_cmp(t, name_at(t, o, a[i]), nj) == 0) {
					second = a[j];
					break;
				}
		}
	} else {
		sort_recs(t, a, n, o);
		for (size_t i = 1; i < n; i++)
			if (str_cmp(t, name_at(t, o, a[i - 1]), name_at(t, o, a[i])) == 0 &&
			    a[i] < second)
				second = a[i];
	}
	t->lo = base;
	if (second == UINT64_MAX)
		return 0;
	if (o == BY_NODE_NAME)
		return fwk_fail(t->f, FWK_ERR_BADFIELD, second + 4u, "node name",
				"two sibling nodes have this name");
	return fwk_fail(t->f, FWK_ERR_BADFIELD, second + 8u, "property name",
			"the node has two properties of this name");
}

/* ---- the structure block walk --------------------------------------------- */

/* Per open node. */
enum {
	L_CLOSED = 1u << 0,     /* its property names were checked */
	L_KIDS = 1u << 1,       /* it has a subnode */
	L_UNIT = 1u << 2,       /* its name has a unit address */
	L_REG = 1u << 3,
	L_RANGES = 1u << 4,     /* a non-empty ranges */
	L_RANGES_ANY = 1u << 5,
	L_AC = 1u << 6,         /* #address-cells */
	L_SC = 1u << 7,         /* #size-cells */
	L_KID_REG = 1u << 8,    /* a subnode has reg */
	L_FRAGMENT = 1u << 9,   /* top-level node with an __overlay__ child */
	L_OVERLAY = 1u << 10,   /* a fragment's __overlay__ */
	L_FREE = 1u << 11,      /* __overlay__ or its child: the parent's cells unknown */
	L_SPECIAL = 1u << 12,   /* in /__symbols__, /__fixups__, /__local_fixups__ */
	L_SYMBOLS = 1u << 13,
	L_FIXUPS = 1u << 14,
	L_SIMPLE_BUS = 1u << 15 /* compatible lists "simple-bus" */
};

struct level {
	uint32_t node;       /* its FDT_BEGIN_NODE */
	uint32_t base;       /* scratch index of its property, then child names */
	uint32_t plen;       /* length of its path (saturating) */
	uint32_t ac, sc;     /* its #address-cells and #size-cells */
	uint32_t phandle;    /* 0 until phandle or linux,phandle is seen */
	uint32_t phandle_at;
	uint32_t ranges;     /* its ranges FDT_PROP, when non-empty */
	uint16_t fl;
};

struct walker {
	struct tree *t;
	int depth;           /* of the innermost open node; -1 before the root */
	bool root_done;
	uint32_t target, target_path; /* of the open top-level node */
	struct level lv[DT_DEPTH_MAX + 1];
	char path[DT_PATH_MAX]; /* NUL-terminated when plen < DT_PATH_MAX */
};

static void path_set(struct walker *w, uint32_t plen)
{
	if (plen < DT_PATH_MAX)
		w->path[plen] = 0;
}

static uint32_t path_add(struct walker *w, uint32_t at, const uint8_t *s, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++, at = at == UINT32_MAX ? at : at + 1)
		if (at < DT_PATH_MAX - 1)
			w->path[at] = (char)s[i];
	return at;
}

/* Warn about the innermost node; a path too long for the buffer is shown
 * cut, ending in "...". */
static void warn_node(struct walker *w, uint64_t at, const char *check, const char *detail)
{
	uint32_t plen = w->lv[w->depth].plen;
	char keep[4];

	if (plen < DT_PATH_MAX) {
		warn(w->t, at, w->path, check, detail);
		return;
	}
	memcpy(keep, w->path + DT_PATH_MAX - 4, 4);
	memcpy(w->path + DT_PATH_MAX - 4, "...", 4);
	warn(w->t, at, w->path, check, detail);
	memcpy(w->path + DT_PATH_MAX - 4, keep, 4);
}

/* The unit address of the node at l: its offset and length, or false. */
static bool unit_of(const struct tree *t, const struct level *l, uint64_t *at, uint64_t *n)
{
	uint64_t p = (uint64_t)l->node + 4u;

	while (t->b[p] && t->b[p] != '@')
		p++;
	if (!t->b[p])
		return false;
	*at = ++p;
	while (t->b[p])
		p++;
	*n = p - *at;
	return true;
}

/* A unit address of 1 to 16 hex digits as a number. */
static bool plain_hex(const struct tree *t, uint64_t at, uint64_t n, uint64_t *v)
{
	if (n == 0 || n > 16)
		return false;
	*v = 0;
	for (uint64_t i = 0; i < n; i++) {
		int d = fwk_hex_digit(t->b[at + i]);
		if (d < 0)
			return false;
		*v = *v << 4 | (uint64_t)d;
	}
	return true;
}

/* Does the string list val[0..len) hold s[0..n) (with its NUL)? */
static bool has_string(const struct tree *t, uint64_t val, uint64_t len, const char *s,
		       uint64_t n)
{
	for (uint64_t i = 0; i + n < len;) {
		if (memcmp(t->b + val + i, s, n + 1) == 0)
			return true;
		while (i < len && t->b[val + i])
			i++;
		i++;
	}
	return false;
}

/* Checks of reg against the parent's cell sizes: avoid_default_addr_size,
 * reg_format, and (as dtc, only on a simple-bus) simple_bus_reg. */
static void check_reg(struct walker *w, uint64_t prop, uint64_t len)
{
	const struct tree *t = w->t;
	const struct level *l = &w->lv[w->depth], *up = &w->lv[w->depth - 1];
	uint64_t val = prop + PROP_HEAD;

	if (!(up->fl & L_AC))
		warn_node(w, prop, "avoid_default_addr_size",
			  "reg relies on the default #address-cells of its parent");
	if (!(up->fl & L_SC))
		warn_node(w, prop, "avoid_default_addr_size",
			  "reg relies on the default #size-cells of its parent");
	uint64_t entry = ((uint64_t)up->ac + up->sc) * 4u;
	if (entry == 0 || len % entry)
		warn_node(w, prop, "reg_format",
			  "reg is not a whole number of (address, size) entries");

	uint64_t ua, un, unit, addr;
	if ((up->fl & L_SIMPLE_BUS) && (up->ac == 1 || up->ac == 2) && len >= up->ac * 4u &&
	    unit_of(t, l, &ua, &un) &&
	    plain_hex(t, ua, un, &unit)) {
		addr = rd32(t, val);
		if (up->ac == 2)
			addr = addr << 32 | rd32(t, val + 4u);
		if (addr != unit)
			warn_node(w, ua, "simple_bus_reg",
				  "unit address differs from the first address in reg");
	}
}

/* The node's properties are all seen: refuse two alike, check ranges
 * against both cell sizes, keep its phandle for the uniqueness check. */
static int close_props(struct walker *w, uint64_t at)
{
	struct tree *t = w->t;
	struct level *l = &w->lv[w->depth];
	int rc = no_twins(t, l->base, BY_PROP_NAME);

	if (rc)
		return rc;
	l->fl |= L_CLOSED;
	if (l->ranges && w->depth > 0 && !(l->fl & (L_FREE | L_SPECIAL))) {
		uint64_t len = rd32(t, (uint64_t)l->ranges + 4u);
		uint64_t entry = ((uint64_t)l->ac + w->lv[w->depth - 1].ac + l->sc) * 4u;
		if (entry == 0 || len % entry)
			warn_node(w, l->ranges, "ranges_format",
				  "ranges is not a whole number of (child address, "
				  "parent address, size) entries");
	}
	if (l->phandle) {
		if (t->hi - t->lo < 2)
			return fwk_fail(t->f, FWK_ERR_NOSPACE, at, "scratch",
					"fewer words than DT_SCRATCH_WORDS(len)");
		t->hi -= 2;
		t->scratch[t->hi] = l->phandle;
		t->scratch[t->hi + 1] = l->phandle_at;
		t->sum.phandles++;
	}
	return 0;
}

/* A fragment's __overlay__ begins: its properties are all known. */
static int check_fragment(struct walker *w, struct level *frag)
{
	struct tree *t = w->t;

	if (w->target && w->target_path)
		return fwk_fail(t->f, FWK_ERR_BADFIELD,
				w->target > w->target_path ? w->target : w->target_path,
				"target", "the fragment has both target and target-path");
	if (!w->target && !w->target_path)
		return fwk_fail(t->f, FWK_ERR_BADFIELD, (uint64_t)frag->node + 4u, "target",
				"the fragment has neither target nor target-path");
	if (w->target) {
		if (rd32(t, (uint64_t)w->target + 4u) != 4)
			return fwk_fail(t->f, FWK_ERR_BADFIELD, (uint64_t)w->target + 4u,
					"target", "not 4 bytes");
		uint32_t v = rd32(t, (uint64_t)w->target + PROP_HEAD);
		if (v == NO_PHANDLE_LO || v == NO_PHANDLE_HI)
			t->unpatched++;
	} else {
		uint64_t val = (uint64_t)w->target_path + PROP_HEAD;
		uint64_t len = rd32(t, (uint64_t)w->target_path + 4u);
		bool one = len >= 2 && t->b[val + len - 1] == 0;
		for (uint64_t i = 0; one && i + 1 < len; i++)
			one = t->b[val + i] != 0;
		if (!one)
			return fwk_fail(t->f, FWK_ERR_BADFIELD, val, "target-path",
					"not one NUL-terminated string");
	}
	frag->fl |= L_FRAGMENT;
	t->sum.fragments++;
	return 0;
}

static int begin_node(struct walker *w, uint64_t *pos)
{
	struct tree *t = w->t;
	const uint8_t *b = t->b;
	uint64_t at = *pos, name = at + 4u, e = name;

	while (e < t->st_end && b[e])
		e++;
	if (e >= t->st_end)
		return fwk_fail(t->f, FWK_ERR_RANGE, inside(t, name), "node name",
				"not NUL-terminated inside the structure block");
	uint64_t n = e - name;
	*pos = align4(e + 1u);

	if (w->depth < 0) {
		if (n)
			return fwk_fail(t->f, FWK_ERR_BADFIELD, name, "node name",
					"the root node's name is not empty");
		w->depth = 0;
		t->root = at;
		struct level *l = &w->lv[0];
		*l = (struct level){ .node = (uint32_t)at, .base = (uint32_t)t->lo, .plen = 1,
				     .ac = 2, .sc = 1 };
		w->path[0] = '/';
		path_set(w, 1);
		t->sum.nodes++;
		return 0;
	}
	if ((unsigned)w->depth + 1u > DT_DEPTH_MAX)
		return fwk_fail(t->f, FWK_ERR_LIMIT, at, "depth",
				"nodes nested deeper than 64 levels");

	/* dtc's rules: [A-Za-z0-9,._+-]+, then at most one '@' and a unit
	 * address of the same characters. */
	uint64_t unit = 0;
	if (n == 0)
		return fwk_fail(t->f, FWK_ERR_BADFIELD, name, "node name", "empty");
	for (uint64_t i = 0; i < n; i++) {
		uint8_t c = b[name + i];
		if (c == '@') {
			if (unit)
				return fwk_fail(t->f, FWK_ERR_BADFIELD, name + i, "node name",
						"more than one '@'");
			if (i == 0)
				return fwk_fail(t->f, FWK_ERR_BADFIELD, name, "node name",
						"empty before '@'");
			unit = i + 1;
		} else if (!node_char(c)) {
			return fwk_fail(t->f, FWK_ERR_BADFIELD, name + i, "node name",
					"character not allowed");
		}
	}
	if (unit && unit == n)
		return fwk_fail(t->f, FWK_ERR_BADFIELD, name + n - 1, "node name",
				"empty unit address");

	struct level *up = &w->lv[w->depth];
	if (!(up->fl & L_CLOSED)) {
		int rc = close_props(w, at);
		if (rc)
			return rc;
	}
	up->fl |= L_KIDS;
	if (up->fl & L_SYMBOLS)
		return fwk_fail(t->f, FWK_ERR_BADFIELD, at, "__symbols__", "has a subnode");
	int rc = push(t, at, at);
	if (rc)
		return rc;

	uint16_t fl = up->fl & L_SPECIAL;
	if (unit)
		fl |= L_UNIT;
	if (up->fl & L_OVERLAY)
		fl |= L_FREE;
	if (w->depth == 0) {
		w->target = w->target_path = 0;
		if (str_is(t, name, "__symbols__", 11)) {
			fl |= L_SPECIAL | L_SYMBOLS;
			t->symbols = at;
			t->sum.has_symbols = true;
		} else if (str_is(t, name, "__fixups__", 10)) {
			fl |= L_SPECIAL | L_FIXUPS;
			t->fixups = at;
			t->sum.has_fixups = true;
		} else if (str_is(t, name, "__local_fixups__", 16)) {
			fl |= L_SPECIAL;
			t->local_fixups = at;
			t->sum.has_local_fixups = true;
		}
	} else if (w->depth == 1 && !(up->fl & L_SPECIAL) &&
		   str_is(t, name, "__overlay__", 11)) {
		rc = check_fragment(w, up);
		if (rc)
			return rc;
		/* it stands for the target, whose parent is not here */
		fl |= L_OVERLAY | L_FREE;
	}

	uint32_t plen = up->plen;
	if (w->depth > 0)
		plen = path_add(w, plen, (const uint8_t *)"/", 1);
	plen = path_add(w, plen, b + name, n);
	path_set(w, plen);
	w->depth++;
	w->lv[w->depth] = (struct level){ .node = (uint32_t)at, .base = (uint32_t)t->lo,
					  .plen = plen, .ac = 2, .sc = 1, .fl = fl };
	t->sum.nodes++;
	if ((uint32_t)w->depth > t->sum.max_depth)
		t->sum.max_depth = (uint32_t)w->depth;

	if (fl & L_SPECIAL)
		return 0;
	if ((unit ? unit - 1 : n) > DT_NAME_MAX)
		warn_node(w, name, "node_name_length", "node name longer than 31 characters");
	if (unit && n - unit >= 2 && b[name + unit] == '0' &&
	    (b[name + unit + 1] == 'x' || b[name + unit + 1] == 'X'))
		warn_node(w, name + unit, "unit_address_format",
			  "unit address has a leading 0x");
	else if (unit && n - unit >= 2 && b[name + unit] == '0' &&
		 fwk_hex_digit(b[name + unit + 1]) >= 0)
		warn_node(w, name + unit, "unit_address_format",
			  "unit address has leading zeros");
	return 0;
}

static int end_node(struct walker *w, uint64_t *pos)
{
	struct tree *t = w->t;
	uint64_t at = *pos;

	if (w->depth < 0)
		return fwk_fail(t->f, FWK_ERR_BADFIELD, at, "token",
				"FDT_END_NODE closes no node");
	struct level *l = &w->lv[w->depth];
	if (!(l->fl & L_CLOSED)) {
		int rc = close_props(w, at);
		if (rc)
			return rc;
	}
	int rc = no_twins(t, l->base, BY_NODE_NAME);
	if (rc)
		return rc;

	if (w->depth > 0 && !(l->fl & (L_SPECIAL | L_OVERLAY))) {
		bool addr = l->fl & (L_REG | L_RANGES);
		if (!(l->fl & L_FRAGMENT) && (l->fl & L_UNIT) && !addr)
			warn_node(w, l->node, "unit_address_vs_reg",
				  "unit address without reg or ranges");
		if (!(l->fl & L_FRAGMENT) && !(l->fl & L_UNIT) && addr)
			warn_node(w, l->node, "unit_address_vs_reg",
				  "reg or ranges without a unit address");
		if ((l->fl & (L_AC | L_SC)) && (l->fl & L_KIDS) &&
		    !(l->fl & (L_KID_REG | L_RANGES_ANY)))
			warn_node(w, l->node, "avoid_unnecessary_addr_size",
				  "#address-cells or #size-cells without ranges or "
				  "a subnode with reg");
	}
	if (w->depth > 0 && (l->fl & L_REG))
		w->lv[w->depth - 1].fl |= L_KID_REG;
	w->depth--;
	if (w->depth < 0)
		w->root_done = true;
	else
		path_set(w, w->lv[w->depth].plen);
	*pos = at + 4u;
	return 0;
}

/* Is the NUL-terminated name at b[at] (n bytes) the given constant? */
static bool name_eq(const struct tree *t, uint64_t at, uint64_t n, const char *s, uint64_t sn)
{
	return n == sn && memcmp(t->b + at, s, sn) == 0;
}

static int property(struct walker *w, uint64_t *pos)
{
	struct tree *t = w->t;
	const uint8_t *b = t->b;
	uint64_t at = *pos;

	if (w->depth < 0)
		return fwk_fail(t->f, FWK_ERR_BADFIELD, at, "token",
				"FDT_PROP outside a node");
	if (at + PROP_HEAD > t->st_end)
		return fwk_fail(t->f, FWK_ERR_RANGE, at, "property",
				"header runs past the structure block");
	uint64_t len = rd32(t, at + 4u), nameoff = rd32(t, at + 8u);
	uint64_t val = at + PROP_HEAD;
	if (val + len > t->st_end)
		return fwk_fail(t->f, FWK_ERR_RANGE, at + 4u, "property length",
				"the value runs past the structure block");
	struct level *l = &w->lv[w->depth];
	if (l->fl & L_KIDS)
		return fwk_fail(t->f, FWK_ERR_BADFIELD, at, "property", "after a subnode");

	if (nameoff >= t->str_end - t->str)
		return fwk_fail(t->f, FWK_ERR_RANGE, at + 8u, "nameoff",
				"past the strings block");
	uint64_t name = t->str + nameoff, e = name;
	while (e < t->str_end && b[e])
		e++;
	if (e >= t->str_end)
		return fwk_fail(t->f, FWK_ERR_RANGE, at + 8u, "property name",
				"not NUL-terminated inside the strings block");
	uint64_t n = e - name;
	if (n == 0)
		return fwk_fail(t->f, FWK_ERR_BADFIELD, at + 8u, "property name", "empty");
	for (uint64_t i = 0; i < n; i++)
		if (!prop_char(b[name + i]))
			return fwk_fail(t->f, FWK_ERR_BADFIELD, at + 8u, "property name",
					"character not allowed");
	int rc = push(t, at, at);
	if (rc)
		return rc;
	t->sum.properties++;
	*pos = align4(val + len);

	if (l->fl & L_SYMBOLS) {
		bool one = len >= 1 && b[val + len - 1] == 0;
		for (uint64_t i = 0; one && i + 1 < len; i++)
			one = b[val + i] != 0;
		t->sum.symbols++;
		if (!one)
			return fwk_fail(t->f, FWK_ERR_BADFIELD, val, "__symbols__",
					"value is not one NUL-terminated string");
		if (b[val] != '/')
			return fwk_fail(t->f, FWK_ERR_BADFIELD, val, "__symbols__",
					"path is not absolute");
		return 0;
	}
	if (l->fl & L_FIXUPS)
		t->sum.fixups++;
	/* Labels and offset lists, not properties of a device. */
	if (l->fl & L_SPECIAL)
		return 0;

	if (n > DT_NAME_MAX)
		warn_node(w, at + 8u, "node_name_length",
			  "property name longer than 31 characters");
	if (name_eq(t, name, n, "phandle", 7) || name_eq(t, name, n, "linux,phandle", 13)) {
		if (len != 4)
			return fwk_fail(t->f, FWK_ERR_BADFIELD, at + 4u, "phandle",
					"not 4 bytes");
		uint32_t v = rd32(t, val);
		if (v == NO_PHANDLE_LO || v == NO_PHANDLE_HI)
			return fwk_fail(t->f, FWK_ERR_BADFIELD, val, "phandle",
					"0 and 0xffffffff are not phandles");
		if (l->phandle && l->phandle != v)
			return fwk_fail(t->f, FWK_ERR_BADFIELD, val, "phandle",
					"phandle and linux,phandle differ");
		if (!l->phandle) {
			l->phandle = v;
			l->phandle_at = (uint32_t)val;
		}
	} else if (name_eq(t, name, n, "#address-cells", 14)) {
		l->fl |= L_AC;
		if (len == 4)
			l->ac = rd32(t, val);
	} else if (name_eq(t, name, n, "#size-cells", 11)) {
		l->fl |= L_SC;
		if (len == 4)
			l->sc = rd32(t, val);
	} else if (name_eq(t, name, n, "reg", 3)) {
		l->fl |= L_REG;
		if (w->depth > 0 && !(l->fl & L_FREE))
			check_reg(w, at, len);
	} else if (name_eq(t, name, n, "ranges", 6)) {
		l->fl |= L_RANGES_ANY;
		if (len) {
			l->fl |= L_RANGES;
			l->ranges = (uint32_t)at;
		}
	} else if (name_eq(t, name, n, "compatible", 10)) {
		if (has_string(t, val, len, "simple-bus", 10))
			l->fl |= L_SIMPLE_BUS;
	} else if (w->depth == 1 && name_eq(t, name, n, "target", 6)) {
		w->target = (uint32_t)at;
	} else if (w->depth == 1 && name_eq(t, name, n, "target-path", 11)) {
		w->target_path = (uint32_t)at;
	}
	return 0;
}

OWN_FRAME static int walk(struct tree *t)
{
	struct walker w;
	uint64_t pos = t->st;

	w.t = t;
	w.depth = -1;
	w.root_done = false;
	w.target = w.target_path = 0;
	for (;;) {
		int rc = 0;

		if (pos + 4u > t->st_end)
			return fwk_fail(t->f, FWK_ERR_RANGE, inside(t, pos), "token",
					w.depth >= 0 ? "the structure block ends inside a node"
						     : "the structure block ends before FDT_END");
		uint32_t tok = rd32(t, pos);
		if (w.root_done && tok != TOK_END)
			return fwk_fail(t->f, FWK_ERR_BADFIELD, pos, "token",
					"FDT_END does not follow the root node's FDT_END_NODE");
		switch (tok) {
		case TOK_NOP:
			pos += 4u;
			break;
		case TOK_BEGIN_NODE:
			rc = begin_node(&w, &pos);
			break;
		case TOK_END_NODE:
			rc = end_node(&w, &pos);
			break;
		case TOK_PROP:
			rc = property(&w, &pos);
			break;
		case TOK_END:
			if (!w.root_done)
				return fwk_fail(t->f, FWK_ERR_BADFIELD, pos, "token",
						w.depth >= 0 ? "FDT_END inside a node"
							     : "FDT_END before the root node");
			if (t->v17 && pos + 4u != t->st_end)
				return fwk_fail(t->f, FWK_ERR_BADFIELD, pos + 4u,
						"size_dt_struct",
						"bytes follow FDT_END in the structure block");
			t->st_end = pos + 4u;
			t->sum.size_dt_struct = (uint32_t)(t->st_end - t->st);
			return 0;
		default:
			return fwk_fail(t->f, FWK_ERR_BADFIELD, pos, "token", "unknown token");
		}
		if (rc)
			return rc;
	}
}

/* ---- moving about a tree the walk found good ------------------------------ */

/* The first token after the FDT_BEGIN_NODE at node and its name. */
static uint64_t node_body(const struct tree *t, uint64_t node)
{
	uint64_t p = node + 4u;

	while (t->b[p])
		p++;
	return align4(p + 1u);
}

static uint64_t skip_nops(const struct tree *t, uint64_t p)
{
	while (rd32(t, p) == TOK_NOP)
		p += 4u;
	return p;
}

static uint64_t prop_next(const struct tree *t, uint64_t prop)
{
	return align4(prop + PROP_HEAD + rd32(t, prop + 4u));
}

/* The offset just after the subtree whose FDT_BEGIN_NODE is at node. */
static uint64_t skip_node(const struct tree *t, uint64_t node)
{
	uint64_t p = node_body(t, node);
	unsigned depth = 1;

	for (;;) {
		switch (rd32(t, p)) {
		case TOK_BEGIN_NODE:
			depth++;
			p = node_body(t, p);
			break;
		case TOK_END_NODE:
			p += 4u;
			if (--depth == 0)
				return p;
			break;
		case TOK_PROP:
			p = prop_next(t, p);
			break;
		default:
			p += 4u;
			break;
		}
	}
}

/* The node's first FDT_BEGIN_NODE child, or its FDT_END_NODE. */
static uint64_t first_child(const struct tree *t, uint64_t node)
{
	uint64_t p = skip_nops(t, node_body(t, node));

	while (rd32(t, p) == TOK_PROP)
		p = skip_nops(t, prop_next(t, p));
	return p;
}

/* The child of parent named name[0..n), or 0.  The search starts at hint
 * (a child found before, 0 for none) and wraps round, so a run of
 * look-ups in document order walks each subtree about once. */
static uint64_t find_child(const struct tree *t, uint64_t parent, const uint8_t *name,
			   uint64_t n, uint64_t hint)
{
	uint64_t first = first_child(t, parent);
	uint64_t p = hint ? hint : first;

	for (int round = 0; round < 2; round++) {
		for (;;) {
			p = skip_nops(t, p);
			if ((round == 1 && p >= hint) || rd32(t, p) != TOK_BEGIN_NODE)
				break;
			if (str_is(t, p + 4u, name, n))
				return p;
			p = skip_node(t, p);
		}
		if (!hint)
			break;
		p = first;
	}
	return 0;
}

/* The node's FDT_PROP named name[0..n), or 0. */
static uint64_t find_prop(const struct tree *t, uint64_t node, const uint8_t *name, uint64_t n)
{
	for (uint64_t p = skip_nops(t, node_body(t, node)); rd32(t, p) == TOK_PROP;
	     p = skip_nops(t, prop_next(t, p)))
		if (str_is(t, t->str + rd32(t, p + 8u), name, n))
			return p;
	return 0;
}

/* Path look-ups remember the nodes of the last path, so the next one
 * starts from the deepest node the two share. */
struct cursor {
	const uint8_t *path;
	uint64_t n;
	unsigned depth;
	uint32_t node[DT_DEPTH_MAX + 1];
	uint64_t end[DT_DEPTH_MAX + 1]; /* bytes of path naming node[d] */
};

/* The node an absolute path names exactly (no aliases, no empty
 * components, unit addresses spelt out), or 0. */
static uint64_t lookup(const struct tree *t, struct cursor *c, const uint8_t *p, uint64_t n)
{
	if (n == 0 || p[0] != '/')
		return 0;
	unsigned d = 0;
	uint64_t hint = 0;
	if (c->path) {
		uint64_t common = 0;
		while (common < n && common < c->n && p[common] == c->path[common])
			common++;
		for (d = c->depth; d > 0; d--)
			if (c->end[d] <= common && (c->end[d] == n || p[c->end[d]] == '/'))
				break;
		if (d < c->depth)
			hint = c->node[d + 1];
	} else {
		c->node[0] = (uint32_t)t->root;
		c->end[0] = 0;
	}
	c->path = p;
	c->n = n;
	if (n == 1) {
		c->depth = 0;
		return t->root;
	}
	uint64_t i = c->end[d];
	while (i < n) {
		uint64_t s = i + 1, e = s;
		while (e < n && p[e] != '/')
			e++;
		uint64_t kid = 0;
		if (e > s && d < DT_DEPTH_MAX)
			kid = find_child(t, c->node[d], p + s, e - s, hint);
		if (!kid) {
			c->depth = d;
			return 0;
		}
		hint = 0;
		d++;
		c->node[d] = (uint32_t)kid;
		c->end[d] = e;
		i = e;
	}
	c->depth = d;
	return c->node[d];
}

static bool phandle_defined(const struct tree *t, uint32_t v)
{
	const uint32_t *a = t->scratch + t->hi;
	size_t lo = 0, hi = (t->words - t->hi) / 2;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (a[2 * mid] == v)
			return true;
		if (a[2 * mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* ---- phandles, __symbols__, __fixups__, __local_fixups__, fragments ------- */

static int check_phandles(struct tree *t)
{
	uint32_t *a = t->scratch + t->hi;
	size_t n = (t->words - t->hi) / 2;
	uint64_t second = UINT64_MAX;

	sort_recs(t, a, n, BY_PHANDLE);
	t->sum.max_phandle = n ? a[2 * n - 2] : 0;
	for (size_t i = 1; i < n; i++)
		if (a[2 * i] == a[2 * i - 2] && a[2 * i + 1] < second)
			second = a[2 * i + 1];
	if (second != UINT64_MAX)
		return fwk_fail(t->f, FWK_ERR_BADFIELD, second, "phandle",
				"duplicate: another node has this phandle");
	return 0;
}

OWN_FRAME static int check_symbols(struct tree *t)
{
	struct cursor c;

	c.path = NULL;
	for (uint64_t p = skip_nops(t, node_body(t, t->symbols)); rd32(t, p) == TOK_PROP;
	     p = skip_nops(t, prop_next(t, p))) {
		uint64_t val = p + PROP_HEAD, len = rd32(t, p + 4u);
		if (!lookup(t, &c, t->b + val, len - 1))
			return fwk_fail(t->f, FWK_ERR_BADFIELD, val, "__symbols__",
					"path names no node");
	}
	return 0;
}

/* The fragments whose target is a placeholder, in document order, into
 * the scratch words the walk left free (one word per fragment fits the
 * budget); check_fixups marks each one an entry patches. */
OWN_FRAME static int list_placeholders(struct tree *t)
{
	for (uint64_t p = skip_nops(t, first_child(t, t->root)); rd32(t, p) == TOK_BEGIN_NODE;
	     p = skip_nops(t, skip_node(t, p))) {
		if (p == t->symbols || p == t->fixups || p == t->local_fixups ||
		    !find_child(t, p, (const uint8_t *)"__overlay__", 11, 0))
			continue;
		uint64_t prop = find_prop(t, p, (const uint8_t *)"target", 6);
		if (!prop || rd32(t, prop + 4u) != 4)
			continue;
		uint32_t v = rd32(t, prop + PROP_HEAD);
		if (v != NO_PHANDLE_LO && v != NO_PHANDLE_HI)
			continue;
		int rc = push(t, p, prop);
		if (rc)
			return rc;
	}
	return 0;
}

static void mark_patched(struct tree *t, uint64_t node)
{
	size_t lo = 0, hi = t->lo;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t at = t->scratch[mid] & ~3u;
		if (at == node) {
			t->scratch[mid] |= 1u; /* offsets are 4-aligned: a free bit */
			return;
		}
		if (at < node)
			lo = mid + 1;
		else
			hi = mid;
	}
}

static int check_targets(struct tree *t)
{
	for (size_t i = 0; i < t->lo; i++) {
		if (t->scratch[i] & 1u)
			continue;
		uint64_t prop = find_prop(t, t->scratch[i], (const uint8_t *)"target", 6);
		return fwk_fail(t->f, FWK_ERR_BADFIELD, prop + PROP_HEAD, "target",
				"not a phandle, and no __fixups__ entry patches it");
	}
	return 0;
}

/* One "path:prop:offset" string of a __fixups__ value, b[s..e). */
struct fixup_ref {
	uint64_t path, path_n, prop, prop_n;
	uint64_t offset; /* above UINT32_MAX: past any property */
};

static const char *fixup_parse(const struct tree *t, uint64_t s, uint64_t e,
			       struct fixup_ref *r)
{
	uint64_t c1 = s, c2;

	while (c1 < e && t->b[c1] != ':')
		c1++;
	for (c2 = c1 + 1; c2 < e && t->b[c2] != ':'; c2++)
		;
	if (c1 >= e || c2 >= e)
		return "not path:property:offset (a ':' is missing)";
	r->path = s;
	r->path_n = c1 - s;
	r->prop = c1 + 1;
	r->prop_n = c2 - c1 - 1;
	r->offset = 0;
	if (c2 + 1 == e)
		return "offset is not a decimal number";
	for (uint64_t i = c2 + 1; i < e; i++) {
		uint8_t ch = t->b[i];
		if (ch < '0' || ch > '9')
			return "offset is not a decimal number";
		if (r->offset <= UINT32_MAX)
			r->offset = r->offset * 10u + (uint64_t)(ch - '0');
	}
	if (r->offset <= UINT32_MAX && r->offset % 4u)
		return "offset is not a multiple of 4";
	return NULL;
}

OWN_FRAME static void warn_at_path(struct tree *t, uint64_t at, uint64_t path, uint64_t n,
			 const char *check, const char *detail)
{
	char buf[DT_PATH_MAX];

	if (n < DT_PATH_MAX) {
		memcpy(buf, t->b + path, n);
		buf[n] = 0;
	} else {
		memcpy(buf, t->b + path, DT_PATH_MAX - 4);
		memcpy(buf + DT_PATH_MAX - 4, "...", 4);
	}
	warn(t, at, buf, check, detail);
}

OWN_FRAME static int check_fixups(struct tree *t)
{
	struct cursor c;

	c.path = NULL;
	for (uint64_t p = skip_nops(t, node_body(t, t->fixups)); rd32(t, p) == TOK_PROP;
	     p = skip_nops(t, prop_next(t, p))) {
		uint64_t val = p + PROP_HEAD, len = rd32(t, p + 4u);

		if (len == 0 || t->b[val + len - 1] != 0)
			return fwk_fail(t->f, FWK_ERR_BADFIELD, inside(t, val), "__fixups__",
					"value is not a list of NUL-terminated strings");
		for (uint64_t s = val, e; s < val + len; s = e + 1) {
			struct fixup_ref r;
			for (e = s; t->b[e]; e++)
				;
			const char *why = fixup_parse(t, s, e, &r);
			if (why)
				return fwk_fail(t->f, FWK_ERR_BADFIELD, s, "__fixups__", why);
			if (r.path_n == 0 || t->b[r.path] != '/')
				return fwk_fail(t->f, FWK_ERR_BADFIELD, s, "__fixups__",
						"path is not absolute");
			uint64_t node = lookup(t, &c, t->b + r.path, r.path_n);
			if (!node)
				return fwk_fail(t->f, FWK_ERR_BADFIELD, s, "__fixups__",
						"path names no node");
			uint64_t prop = find_prop(t, node, t->b + r.prop, r.prop_n);
			if (!prop)
				return fwk_fail(t->f, FWK_ERR_BADFIELD, r.prop, "__fixups__",
						"names no property of that node");
			if (r.offset + 4u > rd32(t, prop + 4u))
				return fwk_fail(t->f, FWK_ERR_RANGE, s, "__fixups__",
						"offset is past the end of the property");
			if (r.offset == 0 && r.prop_n == 6 &&
			    memcmp(t->b + r.prop, "target", 6) == 0)
				mark_patched(t, node);
			uint64_t cell = prop + PROP_HEAD + r.offset;
			if (rd32(t, cell) != 0xffffffffu)
				warn_at_path(t, cell, r.path, r.path_n, "unresolved_fixup_cell",
					     "the cell a __fixups__ entry patches is not "
					     "0xffffffff");
			t->sum.fixup_refs++;
		}
	}
	return 0;
}

OWN_FRAME static int check_local_fixups(struct tree *t)
{
	uint32_t mirror[DT_DEPTH_MAX + 1], hint[DT_DEPTH_MAX + 2];
	unsigned d = 0;
	uint64_t p = node_body(t, t->local_fixups);

	mirror[0] = (uint32_t)t->root;
	hint[1] = 0;
	for (;;) {
		switch (rd32(t, p)) {
		case TOK_BEGIN_NODE: {
			uint64_t name = p + 4u, n = 0;
			while (t->b[name + n])
				n++;
			uint64_t kid = find_child(t, mirror[d], t->b + name, n, hint[d + 1]);
			if (!kid)
				return fwk_fail(t->f, FWK_ERR_BADFIELD, name, "__local_fixups__",
						"the node mirrors no node of the tree");
			hint[d + 1] = (uint32_t)kid;
			d++;
			mirror[d] = (uint32_t)kid;
			hint[d + 1] = 0;
			p = node_body(t, p);
			break;
		}
		case TOK_END_NODE:
			if (d == 0)
				return 0;
			d--;
			p += 4u;
			break;
		case TOK_PROP: {
			uint64_t val = p + PROP_HEAD, len = rd32(t, p + 4u);
			uint64_t name = t->str + rd32(t, p + 8u), n = 0;
			while (t->b[name + n])
				n++;
			uint64_t prop = find_prop(t, mirror[d], t->b + name, n);
			if (!prop)
				return fwk_fail(t->f, FWK_ERR_BADFIELD, p + 8u, "__local_fixups__",
						"the property mirrors no property of the tree");
			if (len % 4u)
				return fwk_fail(t->f, FWK_ERR_BADFIELD, p + 4u, "__local_fixups__",
						"not a list of 32-bit offsets");
			uint64_t plen = rd32(t, prop + 4u);
			for (uint64_t i = 0; i < len; i += 4u) {
				uint64_t off = rd32(t, val + i);
				if (off % 4u)
					return fwk_fail(t->f, FWK_ERR_BADFIELD, val + i,
							"__local_fixups__",
							"offset is not a multiple of 4");
				if (off + 4u > plen)
					return fwk_fail(t->f, FWK_ERR_RANGE, val + i,
							"__local_fixups__",
							"offset is past the end of the property");
				if (!phandle_defined(t, rd32(t, prop + PROP_HEAD + off)))
					return fwk_fail(t->f, FWK_ERR_BADFIELD, val + i,
							"__local_fixups__",
							"the cell is not a phandle this tree defines");
				t->sum.local_fixup_refs++;
			}
			p = prop_next(t, p);
			break;
		}
		default:
			p += 4u;
			break;
		}
	}
}

int dt_check(const void *buf, size_t len, uint32_t *scratch, size_t scratch_words,
	     dt_warn_fn warn_fn, void *ctx, struct dt_summary *sum, struct fwk_fault *f)
{
	struct tree t;
	int rc;

	if (sum)
		memset(sum, 0, sizeof(*sum));
	if ((!buf && len) || (!scratch && scratch_words))
		return fwk_fail(f, FWK_ERR_INVAL, 0, "buffer", "NULL with a length");
	memset(&t, 0, sizeof(t));
	t.b = buf;
	t.scratch = scratch;
	t.words = scratch_words;
	t.hi = scratch_words;
	t.warn = warn_fn;
	t.ctx = ctx;
	t.f = f;

	rc = check_header(&t, len);
	if (!rc)
		rc = walk(&t);
	if (!rc)
		rc = check_phandles(&t);
	if (!rc && t.symbols)
		rc = check_symbols(&t);
	if (!rc && t.unpatched)
		rc = list_placeholders(&t);
	if (!rc && t.fixups)
		rc = check_fixups(&t);
	if (!rc && t.local_fixups)
		rc = check_local_fixups(&t);
	if (!rc && t.unpatched)
		rc = check_targets(&t);
	if (rc)
		return rc;
	t.sum.overlay = t.sum.fragments > 0;
	if (sum)
		*sum = t.sum;
	return 0;
}

/* ---- the node at an offset ------------------------------------------------ */

int dt_node_path_at(const void *buf, size_t len, uint64_t at, char *out, size_t cap)
{
	const uint8_t *b = buf;
	uint32_t lens[DT_DEPTH_MAX + 1];
	int depth = -1;
	uint64_t n = 1;

	if (!b || len < DT_HEADER_SIZE || fwk_be32(b) != DT_MAGIC)
		return FWK_ERR_RANGE;
	uint64_t lim = fwk_be32(b + H_TOTALSIZE);
	if (lim > len)
		lim = len;
	uint64_t s = fwk_be32(b + H_OFF_DT_STRUCT), se = lim;
	if (fwk_be32(b + H_VERSION) >= 17 && s + fwk_be32(b + H_SIZE_DT_STRUCT) < se)
		se = s + fwk_be32(b + H_SIZE_DT_STRUCT);
	if (s % 4u || at < s || at >= se)
		return FWK_ERR_RANGE;

	/* Every token that starts at or before `at`; one that cannot be read
	 * is an answer only when `at` lies inside it. */
	for (uint64_t p = s; p <= at;) {
		uint64_t claim = se;

		if (p + 4u > se)
			return FWK_ERR_RANGE;
		switch (fwk_be32(b + p)) {
		case TOK_NOP:
			p += 4u;
			continue;
		case TOK_BEGIN_NODE: {
			uint64_t name = p + 4u, e = name;
			while (e < se && b[e])
				e++;
			if (e >= se)
				goto broken;
			if ((unsigned)(depth + 1) > DT_DEPTH_MAX) {
				claim = align4(e + 1u);
				goto broken;
			}
			if (depth < 0) {
				n = 1;
			} else {
				if (n > 1) {
					if (n < cap)
						out[n] = '/';
					n++;
				}
				for (uint64_t i = name; i < e; i++, n++)
					if (n < cap)
						out[n] = (char)b[i];
			}
			lens[++depth] = (uint32_t)(n < UINT32_MAX ? n : UINT32_MAX);
			p = align4(e + 1u);
			continue;
		}
		case TOK_END_NODE:
			if (depth < 0) {
				claim = p + 4u;
				goto broken;
			}
			if (at < p + 4u)
				goto done;
			depth--;
			n = depth >= 0 ? lens[depth] : 1;
			p += 4u;
			continue;
		case TOK_PROP:
			if (p + PROP_HEAD > se)
				goto broken;
			if (p + PROP_HEAD + fwk_be32(b + p + 4u) > se) {
				claim = p + PROP_HEAD; /* its value cannot be had */
				goto broken;
			}
			p = align4(p + PROP_HEAD + fwk_be32(b + p + 4u));
			continue;
		case TOK_END:
			goto done;
		default:
			claim = p + 4u;
			goto broken;
		}
broken:
		if (at >= claim)
			return FWK_ERR_RANGE;
		break;
	}
done:
	if (depth < 0)
		n = 1;
	if (n >= cap || n > INT32_MAX)
		return FWK_ERR_NOSPACE;
	out[0] = '/';
	out[n] = 0;
	return (int)n;
}

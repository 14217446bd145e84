/* SPDX-License-Identifier: MIT */
/*
 * fwkit/dt.h - flattened device trees (DTB) and overlays (DTBO): structural
 * checks against the real buffer, what a tree holds, and overlay application
 * with libfdt, with one precise reason for each refusal and the list of
 * nodes an overlay creates or changes.
 *
 * The format is the Devicetree Specification's (v0.4, chapter 5): a 40-byte
 * big-endian header, the memory reservation block, the structure block
 * (FDT_BEGIN_NODE 1, FDT_END_NODE 2, FDT_PROP 3, FDT_NOP 4, FDT_END 9) and
 * the strings block.  Overlays are what `dtc -@` writes for a /plugin/
 * source: top-level fragment nodes, each with `target = <phandle>` or
 * `target-path = "/path"` and an `__overlay__` child, plus `__fixups__`
 * (label = "path:property:offset" strings), `__local_fixups__` (a mirror of
 * the tree whose properties list the byte offsets of phandle cells) and
 * `__symbols__` (label = "/path").
 *
 * Core module: no allocation, no I/O.  dt_check, dt_node_path_at and
 * dt_cpio_overlays use fwkit/env.h only; dt_overlay_plan and
 * dt_overlay_apply also call libfdt (the freestanding library the core may
 * link): fdt_open_into, fdt_overlay_apply, fdt_pack and read-only look-ups.
 * Every function reads its inputs as untrusted and never writes to them.
 */
#ifndef FWKIT_DT_H
#define FWKIT_DT_H

#include <fwkit/error.h>

#define DT_MAGIC 0xd00dfeedu
#define DT_HEADER_SIZE 40u
#define DT_PATH_MAX 1024u  /* the longest node path fwkit follows, with NUL */
#define DT_DEPTH_MAX 64u   /* nesting deeper than this is refused */
#define DT_NAME_MAX 31u    /* node and property names, as the spec bounds them */

/* Where overlays live in an initramfs, in the order of their names. */
#define DT_OVERLAY_DIR "kernel/firmware/dtb/overlays"
#define DT_OVERLAY_SUFFIX ".dtbo"

/*
 * Scratch the checks need for phandle uniqueness: two 32-bit words per
 * phandle property, at most one per 16 bytes of the structure block.
 * Give at least DT_SCRATCH_WORDS(len) words for a buffer of len bytes
 * (for dt_overlay_*, of the longer input).
 */
#define DT_SCRATCH_WORDS(len) ((size_t)(len) / 8u + 2u)

/* What dt_check found in a tree that passed. */
struct dt_summary {
	uint32_t totalsize, version, last_comp_version, boot_cpuid_phys;
	uint32_t off_mem_rsvmap, off_dt_struct, size_dt_struct;
	uint32_t off_dt_strings, size_dt_strings;
	uint32_t reserve_entries;   /* memory reservations before the (0,0) end */
	uint32_t nodes;             /* including the root */
	uint32_t properties;
	uint32_t max_depth;         /* the root is depth 0 */
	uint32_t phandles;          /* nodes with phandle or linux,phandle */
	uint32_t max_phandle;       /* the largest of them, 0 when none */
	uint32_t symbols;           /* properties of /__symbols__ */
	uint32_t fixups;            /* properties (labels) of /__fixups__ */
	uint32_t fixup_refs;        /* "path:prop:offset" strings in them */
	uint32_t local_fixup_refs;  /* offsets under /__local_fixups__ */
	uint32_t fragments;         /* top-level nodes with an __overlay__ child */
	uint32_t warnings;          /* how many times warn was called */
	bool has_symbols, has_fixups, has_local_fixups;
	bool overlay;               /* fragments > 0 */
};

/*
 * A sanity warning of the kind dtc prints for a source, found on the
 * binary: check is dtc's name for it, path the node (valid during the call
 * only), detail static English, offset the byte in the buffer.  Checks:
 *   unit_address_vs_reg        unit address without reg/ranges, or reg
 *                              without unit address
 *   unit_address_format        unit address with leading zeros or 0x
 *   simple_bus_reg             under a "simple-bus", a unit address that
 *                              differs from reg's first address
 *   reg_format                 reg not a whole number of (address, size)
 *                              entries of the parent's cell sizes
 *   ranges_format              the same for ranges
 *   avoid_default_addr_size    reg under a parent without #address-cells
 *                              or #size-cells
 *   avoid_unnecessary_addr_size  #address-cells/#size-cells on a node with
 *                              no child reg and no ranges
 *   node_name_length           a node or property name over DT_NAME_MAX
 *   unresolved_fixup_cell      a __fixups__ cell that is not 0xffffffff
 * Inside an overlay's __overlay__ nodes the parent's cell sizes are those of
 * the target, unknown here: the address checks skip the __overlay__ nodes
 * and their direct children.  Fragments and the __symbols__, __fixups__
 * and __local_fixups__ subtrees get no warnings.  sum->warnings counts them
 * also when warn is NULL.
 */
typedef void (*dt_warn_fn)(void *ctx, uint64_t offset, const char *path,
			   const char *check, const char *detail);

/*
 * Check a DTB or DTBO in buf[0..len): len is what the caller really has,
 * totalsize may not exceed it (bytes after totalsize are ignored).
 *   Header: magic, totalsize >= 40, version >= 16 and last_comp_version
 *     <= 17 (fwkit reads v16 and v17), boot_cpuid_phys any.
 *   Blocks: inside totalsize, the reservation map 8-aligned and the
 *     structure block 4-aligned, no two blocks overlapping, the header not
 *     overlapped; the reservation map ends with its (0, 0) entry.
 *   Structure: tokens 4-aligned and known; the root first, named ""; one
 *     FDT_END right after the root's FDT_END_NODE, at size_dt_struct (v17);
 *     properties before subnodes; property values and names inside their
 *     blocks, names NUL-terminated inside the strings block; node names
 *     of dtc's characters ([A-Za-z0-9,._+-] then at most one '@' and a unit
 *     address of [A-Za-z0-9,._+-]), property names of [A-Za-z0-9,._+?#-],
 *     no name empty; no two siblings or two properties of a node alike;
 *     depth at most DT_DEPTH_MAX.
 *   Phandles: phandle / linux,phandle 4 bytes, not 0 or 0xffffffff, equal
 *     when both present, unique in the tree.
 *   __symbols__: each value one NUL-terminated absolute path naming a node
 *     of this tree; no subnodes.
 *   __fixups__: each value a list of NUL-terminated "path:prop:offset"
 *     strings, path a node of this tree, prop one of its properties, offset
 *     decimal, a multiple of 4 and offset + 4 <= the property's length.
 *   __local_fixups__: each node mirrors a node of the tree at the same path,
 *     each property mirrors a property of it and holds 32-bit offsets, each a
 *     multiple of 4 inside that property, whose cell is a phandle this tree
 *     defines.
 *   Overlay fragments: a top-level node with an __overlay__ child has
 *     exactly one of target (4 bytes) or target-path (a NUL-terminated
 *     string); a target that no __fixups__ entry patches is a phandle.
 * scratch: DT_SCRATCH_WORDS(len) words.  warn may be NULL; sum may be NULL.
 * Returns 0, or FWK_ERR_TRUNCATED (len shorter than the header or than
 * totalsize), FWK_ERR_BADMAGIC, FWK_ERR_UNSUPPORTED (version),
 * FWK_ERR_RANGE (a block, value or name outside its bounds, overlapping
 * blocks), FWK_ERR_BADFIELD (everything else; field names the header field,
 * "token", "node name", "property name", "phandle", "__symbols__",
 * "__fixups__", "__local_fixups__", "target" ...), FWK_ERR_LIMIT (depth),
 * FWK_ERR_NOSPACE (scratch too small), FWK_ERR_INVAL (buf NULL with a
 * length).  The fault offset is the byte in buf where the problem is; for a
 * property name, its nameoff field (so dt_node_path_at names the node).
 */
int dt_check(const void *buf, size_t len, uint32_t *scratch,
	     size_t scratch_words, dt_warn_fn warn, void *ctx,
	     struct dt_summary *sum, struct fwk_fault *f);

/*
 * The path of the innermost node open at byte offset `at` of buf's
 * structure block ("/" for the root), NUL-terminated into out.  The tree
 * needs to be well formed only up to `at`, so this names the node of a
 * dt_check fault.  Returns the length, FWK_ERR_NOSPACE, or FWK_ERR_RANGE
 * (`at` not inside the structure block, or the walk fails before it).
 */
int dt_node_path_at(const void *buf, size_t len, uint64_t at, char *out,
		    size_t cap);

/* --- overlays ----------------------------------------------------------- */

/* Why an overlay cannot be applied to a base. */
enum dt_overlay_problem {
	DT_OVL_OK = 0,
	DT_OVL_BASE_BAD,         /* the base fails dt_check: see fault */
	DT_OVL_OVERLAY_BAD,      /* the overlay fails dt_check: see fault */
	DT_OVL_NOT_OVERLAY,      /* the overlay has no fragment */
	DT_OVL_NO_SYMBOLS,       /* __fixups__ in the overlay, no __symbols__ in
				    the base: rebuild the base with dtc -@ */
	DT_OVL_UNRESOLVED_LABEL, /* name: a __fixups__ label the base's
				    __symbols__ lacks; fragment: first user */
	DT_OVL_BAD_SYMBOL,       /* name: a label whose __symbols__ path names
				    no node of the base */
	DT_OVL_TARGET_PATH,      /* name: a target-path the base lacks */
	DT_OVL_TARGET_PHANDLE,   /* name: "0x%x", a target phandle the base
				    lacks */
	DT_OVL_PHANDLE_OVERWRITE,/* name: the base node whose phandle the
				    overlay would replace */
	DT_OVL_LIBFDT,           /* libfdt refused: libfdt_error */
	DT_OVL_NOSPACE           /* out is too small: call again with more */
};

struct dt_overlay_diag {
	enum dt_overlay_problem problem;
	struct fwk_fault fault;     /* BASE_BAD / OVERLAY_BAD: in that buffer */
	char fragment[64];          /* "fragment@0", when one is at fault */
	char name[DT_PATH_MAX];     /* label, path or phandle, per problem */
	int libfdt_error;           /* DT_OVL_LIBFDT: libfdt's negative code */
};

/* One line of English for a problem ("the base has no __symbols__ node"). */
const char *dt_overlay_problem_text(enum dt_overlay_problem p);

/* What an overlay does to a base node. */
enum dt_change {
	DT_NODE_CREATED = 1, /* the node did not exist */
	DT_NODE_CHANGED      /* it existed; the overlay sets properties on it */
};
/* path is the node's path in the result (valid during the call only). */
typedef void (*dt_change_fn)(void *ctx, enum dt_change what, const char *path);

/*
 * Everything that decides whether ovl applies to base, without writing:
 * dt_check of both, at least one fragment, each fragment's target found in
 * the base as the overlay's earlier fragments leave it (a fragment may
 * target a node an earlier one creates, as libfdt applies them in order) by
 * target-path, a phandle, or a label through the base's __symbols__, every
 * __fixups__ label resolved, and no __overlay__ node
 * carrying a phandle onto a base node that has a different one.  Then
 * change(ctx, ...) once per node the overlay creates or changes, fragment
 * by fragment, parents before children (a node without properties of its
 * own that only leads to others is not reported as changed).
 * Returns 0, or a negative fwk_error with d filled (d->problem says which
 * rule; for BASE_BAD / OVERLAY_BAD d->fault is dt_check's).
 */
int dt_overlay_plan(const void *base, size_t base_len, const void *ovl,
		    size_t ovl_len, uint32_t *scratch, size_t scratch_words,
		    dt_change_fn change, void *ctx, struct dt_overlay_diag *d);

/*
 * Apply ovl to base into out: dt_overlay_plan first (change, which may be
 * NULL, called from it as there, before libfdt writes anything), then
 * fdt_open_into(base, out, out_cap), the overlay copied into ovl_work
 * (ovl_len bytes; libfdt rewrites it), fdt_overlay_apply, and fdt_pack.
 * A call that fails after the plan (DT_OVL_NOSPACE, DT_OVL_LIBFDT) has
 * called change already: a caller that retries with a larger out gets
 * every change again, so it keeps them only from the call that succeeds.
 * out must not overlap base, ovl or ovl_work.  The overlay's __symbols__
 * join the result's, so a later overlay may refer to labels of this one.
 * Returns the packed size of the tree now in out, or FWK_ERR_NOSPACE with
 * d->problem DT_OVL_NOSPACE (retry with a larger out; about base_len + 2 *
 * ovl_len is usually enough), or another negative fwk_error with d filled.
 * On failure out holds nothing usable (libfdt poisons a tree it failed
 * on); base and ovl are never written.
 */
int dt_overlay_apply(const void *base, size_t base_len, const void *ovl,
		     size_t ovl_len, void *out, size_t out_cap, void *ovl_work,
		     uint32_t *scratch, size_t scratch_words, dt_change_fn change,
		     void *ctx, struct dt_overlay_diag *d);

/* --- overlays in an initramfs ------------------------------------------- */

/* One overlay file: its archive name (not NUL-terminated) and contents. */
typedef int (*dt_overlay_fn)(void *ctx, const char *name, size_t namelen,
			     const uint8_t *data, size_t len);

/*
 * Call fn for every regular file named DT_OVERLAY_DIR "/" *DT_OVERLAY_SUFFIX
 * (directly in that directory; "./" prefixes ignored) in the uncompressed
 * newc cpio archive(s) cpio[0..len), in byte order of their names, each
 * name once (a later entry of the same name replaces an earlier one, as
 * the kernel's unpacking does).  A negative return from fn stops the walk
 * and is returned.  Returns the number of overlays, or a cpio reader error
 * with f filled.
 */
int dt_cpio_overlays(const void *cpio, size_t len, dt_overlay_fn fn,
		     void *ctx, struct fwk_fault *f);

/* True when an archive member of this name (name[0..n), not NUL-terminated)
 * is one dt_cpio_overlays hands out, if it is a regular file. */
bool dt_overlay_member(const char *name, size_t n);

#endif /* FWKIT_DT_H */

/* SPDX-License-Identifier: MIT */
/*
 * bootinfo_int.h - the checks every boot-info parser (multiboot, multiboot2,
 * PVH, DT /chosen) shares: window reads, strings, the module list and the
 * per-module problems of fwkit/bootinfo.h (internal to hyp-hooks).
 *
 * Use: boot_begin() (or boot_info_reset()); per module boot_module_add()
 * (then boot_module_cmdline() or boot_module_problem() for what only the
 * protocol knows); boot_mmap_add() per memory range; last,
 * boot_modules_check() once everything is known.  Faults go through
 * boot_fail(), one out-of-line copy of fwk_fail.
 */
#ifndef FWKIT_HYP_BOOTINFO_INT_H
#define FWKIT_HYP_BOOTINFO_INT_H

#include <fwkit/bootinfo.h>

/* fwk_fail, out of line: the parsers fail in many places, and one call is
 * smaller than the four stores inlined at each. */
int boot_fail(struct fwk_fault *f, int error, uint64_t offset,
	      const char *field, const char *detail);

/* A parser's start: FWK_ERR_INVAL ("bi", "NULL argument") when win or bi
 * is NULL, else boot_info_reset(bi, protocol) and 0. */
int boot_begin(const struct boot_window *win, struct boot_info *bi,
	       enum boot_protocol protocol, struct fwk_fault *f);

/* Little-endian loads, alignment ignored.  Forced inline: -Os otherwise
 * calls fwk_le32 as a function, where the compiler merges these bytes into
 * one load instruction. */
static inline __attribute__((always_inline)) uint32_t boot_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline __attribute__((always_inline)) uint64_t boot_le64(const uint8_t *p)
{
	return (uint64_t)boot_le32(p) | (uint64_t)boot_le32(p + 4) << 32;
}

/*
 * The bytes [phys, phys + len) of win, or NULL when any of them lies
 * outside it (or win is NULL).  Bounds are computed on uint64_t offsets,
 * so no phys or len can wrap past the check.  len 0 at the window's very
 * end is inside.
 */
const uint8_t *boot_win_at(const struct boot_window *win, uint64_t phys,
			   uint64_t len);

/*
 * The same as a check: *p = the bytes [phys, phys + len) of win and 0, or
 * FWK_ERR_RANGE with f naming addr_field ("outside the memory window",
 * offset phys) when phys itself is outside win, else len_field ("runs past
 * the end of the memory window", offset phys).
 */
int boot_win_need(const struct boot_window *win, uint64_t phys, uint64_t len,
		  const char *addr_field, const char *len_field,
		  const uint8_t **p, struct fwk_fault *f);

/*
 * An array of count entries of esize bytes at phys: FWK_ERR_LIMIT
 * ("absurd count", offset count_at, count_field) when count > max; *p NULL
 * and 0 when count is 0 (an empty array may point anywhere); else as
 * boot_win_need with addr_field and count_field.
 */
int boot_win_array(const struct boot_window *win, uint64_t phys,
		   uint32_t count, uint32_t esize, uint32_t max,
		   uint64_t count_at, const char *addr_field,
		   const char *count_field, const uint8_t **p,
		   struct fwk_fault *f);

/*
 * A NUL-terminated string at b[0 .. cap): *s and *len (without the NUL) set.
 * at is b's physical address (or DTB offset) and field the name faults
 * carry.  Returns 0, or FWK_ERR_TRUNCATED ("not NUL-terminated", offset
 * at) when no NUL lies within cap, FWK_ERR_LIMIT ("above
 * BOOT_CMDLINE_MAX") when more than BOOT_CMDLINE_MAX characters precede it.
 */
int boot_cstr(const uint8_t *b, uint64_t cap, uint64_t at, const char *field,
	      const char **s, uint32_t *len, struct fwk_fault *f);

/*
 * The same for a string at physical address phys in win, which may run up
 * to the window's end.  Also FWK_ERR_RANGE ("outside the memory window")
 * when phys is not inside win.
 */
int boot_win_cstr(const struct boot_window *win, uint64_t phys,
		  const char *field, const char **s, uint32_t *len,
		  struct fwk_fault *f);

/* Zero bi's scalars (strings become "", rsdp NULL), keep modules, mmap and
 * their caps, and set protocol. */
void boot_info_reset(struct boot_info *bi, enum boot_protocol protocol);

/*
 * Append the module [start, start + size) to bi->modules: cmdline "", role
 * none, data pointing into win when the range lies inside it, else problem
 * "range wraps" (start + size above 2^64 - 1) or "range outside the memory
 * window" (problem_offset = start).  win NULL: no data and no window
 * problem (a DTB read alone).  Returns the new module, or NULL with
 * FWK_ERR_LIMIT in f (offset at, field, "more than the array holds") when
 * bi has no room (modules_cap or BOOT_MODULES_MAX reached).
 */
struct boot_module *boot_module_add(struct boot_info *bi,
				    const struct boot_window *win,
				    uint64_t start, uint64_t size, uint64_t at,
				    const char *field, struct fwk_fault *f);

/* Mark m unusable: data NULL; problem and problem_offset set unless an
 * earlier problem is already there (the first one found is reported). */
void boot_module_problem(struct boot_module *m, const char *problem,
			 uint64_t at);

/* The module problem for a boot_cstr / boot_win_cstr error on a module's
 * command line: "cmdline outside the memory window" (FWK_ERR_RANGE),
 * "cmdline too long" (FWK_ERR_LIMIT), else "cmdline not NUL-terminated". */
const char *boot_cmdline_problem(int err);

/* A module's command line as boot_cstr / boot_win_cstr returned it (rc,
 * s, len; call it after the reader, not with the reader as an argument):
 * set on m when rc is 0, else m's problem at `at`, as boot_cmdline_problem
 * names it. */
void boot_module_cmdline(struct boot_module *m, int rc, const char *s,
			 uint32_t len, uint64_t at);

/* A module's command line at physical address phys of win (0: none), or
 * m's problem as boot_module_cmdline sets it. */
void boot_module_win_cmdline(const struct boot_window *win,
			     struct boot_module *m, uint64_t phys);

/* Append a memory range.  Returns 0, or FWK_ERR_LIMIT in f (offset at,
 * field) past bi->mmap_cap or BOOT_MMAP_MAX. */
int boot_mmap_add(struct boot_info *bi, uint64_t base, uint64_t length,
		  uint32_t type, uint64_t at, const char *field,
		  struct fwk_fault *f);

/*
 * The checks that need the whole list, in this order, each setting a
 * problem only on a module without one (modules whose range wraps take
 * part in none):
 *   - have_map: not inside one BOOT_MEM_AVAILABLE range of bi->mmap:
 *     "range not in available RAM" (offset start);
 *   - overlapping [info_phys, info_phys + info_len) (info_len 0: none):
 *     "range overlaps the boot information" (offset: first shared byte);
 *   - overlapping another module (both of a pair are marked, since
 *     neither's bytes can be trusted): "range overlaps another module"
 *     (offset: first shared byte).
 * Empty modules overlap nothing.  O(n^2) in modules, O(n * m) with the map.
 */
void boot_modules_check(struct boot_info *bi, bool have_map,
			uint64_t info_phys, uint64_t info_len);

#endif /* FWKIT_HYP_BOOTINFO_INT_H */

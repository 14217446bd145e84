/* SPDX-License-Identifier: MIT */
/* bootinfo.c - protocol and role names and the checks every boot-info parser
 * shares: window reads, strings, the module list and its problems. */
#include "bootinfo_int.h"

const char *boot_protocol_name(enum boot_protocol p)
{
	static const char *const names[] = {
		"files", "multiboot", "multiboot2", "pvh", "dt-chosen"
	};

	return (unsigned)p < 5u ? names[p] : "?";
}

const char *boot_role_name(enum boot_module_role r)
{
	static const char *const names[] = {
		"", "kernel", "ramdisk", "device-tree", "microcode", "xsm-policy"
	};

	return (unsigned)r < 6u ? names[r] : "?";
}

int boot_fail(struct fwk_fault *f, int error, uint64_t offset,
	      const char *field, const char *detail)
{
	return fwk_fail(f, error, offset, field, detail);
}

int boot_begin(const struct boot_window *win, struct boot_info *bi,
	       enum boot_protocol protocol, struct fwk_fault *f)
{
	if (!win || !bi)
		return boot_fail(f, FWK_ERR_INVAL, 0, "bi", "NULL argument");
	boot_info_reset(bi, protocol);
	return 0;
}

const uint8_t *boot_win_at(const struct boot_window *win, uint64_t phys,
			   uint64_t len)
{
	if (!win || !win->bytes || phys < win->phys)
		return NULL;
	uint64_t off = phys - win->phys;
	if (off > win->len || len > win->len - off)
		return NULL;
	return win->bytes + off;
}

int boot_win_need(const struct boot_window *win, uint64_t phys, uint64_t len,
		  const char *addr_field, const char *len_field,
		  const uint8_t **p, struct fwk_fault *f)
{
	*p = boot_win_at(win, phys, len);
	if (*p)
		return 0;
	if (!boot_win_at(win, phys, 0))
		return boot_fail(f, FWK_ERR_RANGE, phys, addr_field,
				"outside the memory window");
	return boot_fail(f, FWK_ERR_RANGE, phys, len_field,
			"runs past the end of the memory window");
}

int boot_win_array(const struct boot_window *win, uint64_t phys,
		   uint32_t count, uint32_t esize, uint32_t max,
		   uint64_t count_at, const char *addr_field,
		   const char *count_field, const uint8_t **p,
		   struct fwk_fault *f)
{
	*p = NULL;
	if (count > max)
		return boot_fail(f, FWK_ERR_LIMIT, count_at, count_field,
				 "absurd count");
	if (!count)
		return 0;
	return boot_win_need(win, phys, (uint64_t)count * esize, addr_field,
			     count_field, p, f);
}

int boot_cstr(const uint8_t *b, uint64_t cap, uint64_t at, const char *field,
	      const char **s, uint32_t *len, struct fwk_fault *f)
{
	/* Look no further than the longest allowed string and its NUL. */
	uint32_t n = cap < BOOT_CMDLINE_MAX + 1u ? (uint32_t)cap
						 : BOOT_CMDLINE_MAX + 1u;
	uint32_t i = 0;

	while (i < n && b[i])
		i++;
	if (i == n)
		return i > BOOT_CMDLINE_MAX
			? boot_fail(f, FWK_ERR_LIMIT, at, field,
				   "above BOOT_CMDLINE_MAX")
			: boot_fail(f, FWK_ERR_TRUNCATED, at, field,
				   "not NUL-terminated");
	*s = (const char *)b;
	*len = i;
	return 0;
}

int boot_win_cstr(const struct boot_window *win, uint64_t phys,
		  const char *field, const char **s, uint32_t *len,
		  struct fwk_fault *f)
{
	const uint8_t *b;
	int rc = boot_win_need(win, phys, 0, field, field, &b, f);

	if (rc < 0)
		return rc;
	return boot_cstr(b, win->len - (phys - win->phys), phys, field, s, len,
			 f);
}

void boot_info_reset(struct boot_info *bi, enum boot_protocol protocol)
{
	struct boot_module *mods = bi->modules;
	struct boot_mem_range *mmap = bi->mmap;
	uint32_t mods_cap = bi->modules_cap, mmap_cap = bi->mmap_cap;

	memset(bi, 0, sizeof(*bi));
	bi->protocol = protocol;
	bi->cmdline = "";
	bi->loader_name = "";
	bi->modules = mods;
	bi->modules_cap = mods_cap;
	bi->mmap = mmap;
	bi->mmap_cap = mmap_cap;
}

struct boot_module *boot_module_add(struct boot_info *bi,
				    const struct boot_window *win,
				    uint64_t start, uint64_t size, uint64_t at,
				    const char *field, struct fwk_fault *f)
{
	if (!bi->modules || bi->nmodules >= bi->modules_cap ||
	    bi->nmodules >= BOOT_MODULES_MAX) {
		boot_fail(f, FWK_ERR_LIMIT, at, field,
			 "more than the array holds");
		return NULL;
	}
	struct boot_module *m = &bi->modules[bi->nmodules++];

	memset(m, 0, sizeof(*m));
	m->start = start;
	m->size = size;
	m->cmdline = "";
	if (size > UINT64_MAX - start)
		boot_module_problem(m, "range wraps", start);
	else if (win && !(m->data = boot_win_at(win, start, size)))
		boot_module_problem(m, "range outside the memory window", start);
	return m;
}

void boot_module_problem(struct boot_module *m, const char *problem,
			 uint64_t at)
{
	m->data = NULL;
	if (m->problem)
		return;
	m->problem = problem;
	m->problem_offset = at;
}

const char *boot_cmdline_problem(int err)
{
	return err == FWK_ERR_RANGE ? "cmdline outside the memory window"
	       : err == FWK_ERR_LIMIT ? "cmdline too long"
				      : "cmdline not NUL-terminated";
}

void boot_module_cmdline(struct boot_module *m, int rc, const char *s,
			 uint32_t len, uint64_t at)
{
	if (rc < 0) {
		boot_module_problem(m, boot_cmdline_problem(rc), at);
		return;
	}
	m->cmdline = s;
	m->cmdline_len = len;
}

void boot_module_win_cmdline(const struct boot_window *win,
			     struct boot_module *m, uint64_t phys)
{
	const char *s = NULL;
	uint32_t len = 0;

	if (phys) {
		int rc = boot_win_cstr(win, phys, "cmdline", &s, &len, NULL);
		boot_module_cmdline(m, rc, s, len, phys);
	}
}

int boot_mmap_add(struct boot_info *bi, uint64_t base, uint64_t length,
		  uint32_t type, uint64_t at, const char *field,
		  struct fwk_fault *f)
{
	if (!bi->mmap || bi->nmmap >= bi->mmap_cap || bi->nmmap >= BOOT_MMAP_MAX)
		return boot_fail(f, FWK_ERR_LIMIT, at, field,
				"more than the array holds");
	struct boot_mem_range *r = &bi->mmap[bi->nmmap++];

	r->base = base;
	r->length = length;
	r->type = type;
	return 0;
}

/* The end of [base, base + len), saturated at 2^64 - 1 for a map range
 * that would wrap. */
static uint64_t range_end(uint64_t base, uint64_t len)
{
	return len > UINT64_MAX - base ? UINT64_MAX : base + len;
}

/* The first byte [a, a + alen) and [b, b + blen) share, or UINT64_MAX when
 * they are disjoint (ranges given here never wrap, and an empty one shares
 * nothing). */
static uint64_t overlap_at(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	uint64_t lo = a > b ? a : b;

	if (!alen || !blen || lo >= a + alen || lo >= b + blen)
		return UINT64_MAX;
	return lo;
}

void boot_modules_check(struct boot_info *bi, bool have_map,
			uint64_t info_phys, uint64_t info_len)
{
	uint32_t n = bi->nmodules;

	if (info_len > UINT64_MAX - info_phys)
		info_len = UINT64_MAX - info_phys;
	for (uint32_t i = 0; i < n; i++) {
		struct boot_module *m = &bi->modules[i];
		uint64_t at;

		if (m->size > UINT64_MAX - m->start)
			continue;
		if (have_map) {
			bool in_ram = false;
			for (uint32_t k = 0; k < bi->nmmap && !in_ram; k++) {
				const struct boot_mem_range *r = &bi->mmap[k];
				in_ram = r->type == BOOT_MEM_AVAILABLE &&
					 m->start >= r->base &&
					 m->start + m->size <=
						 range_end(r->base, r->length);
			}
			if (!in_ram)
				boot_module_problem(m, "range not in available RAM",
						    m->start);
		}
		at = overlap_at(m->start, m->size, info_phys, info_len);
		if (at != UINT64_MAX)
			boot_module_problem(m, "range overlaps the boot information",
					    at);
		for (uint32_t j = 0; j < i; j++) {
			struct boot_module *o = &bi->modules[j];

			if (o->size > UINT64_MAX - o->start)
				continue;
			at = overlap_at(m->start, m->size, o->start, o->size);
			if (at == UINT64_MAX)
				continue;
			boot_module_problem(m, "range overlaps another module", at);
			boot_module_problem(o, "range overlaps another module", at);
		}
	}
}

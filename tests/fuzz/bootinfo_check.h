/* SPDX-License-Identifier: MIT */
/* bootinfo_check.h - what the multiboot1, multiboot2 and PVH harnesses
 * share: the input laid out as physical memory from 0x1000 on (info offset
 * in bytes 0-1, module and memory-map caps in bytes 2 and 3), the parser
 * run, and the checks every successful parse must pass; each harness adds
 * only its protocol's checks. */
#ifndef FWKIT_BOOTINFO_CHECK_H
#define FWKIT_BOOTINFO_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <fwkit/bootinfo.h>

#include "fuzzkit.h"

#define BOOTINFO_PHYS 0x1000u
#define BOOTINFO_MODS_MAX (BOOT_MODULES_MAX + 8u)
#define BOOTINFO_MMAP_MAX (BOOT_MMAP_MAX + 8u)

/* boot_parse_multiboot1, boot_parse_multiboot2 or boot_parse_pvh. */
typedef int (*bootinfo_parse_fn)(const struct boot_window *win, uint64_t info_phys,
				 struct boot_info *bi, struct fwk_fault *f);

/* The protocol's own checks on a successful parse of the info structure
 * at physical address info; returns that structure's length in bytes,
 * which no usable module may overlap. */
typedef uint64_t (*bootinfo_proto_fn)(const struct boot_window *w,
				      const struct boot_info *bi, uint64_t info);

/* A string the parser returned: "" or inside the window, NUL where its
 * length says, no longer than BOOT_CMDLINE_MAX. */
static void bootinfo_check_string(const struct boot_window *w, const char *s,
				  uint32_t len)
{
	const uint8_t *b = (const uint8_t *)s;

	CHECK(s != NULL && len <= BOOT_CMDLINE_MAX);
	if (len == 0 && s[0] == '\0')
		return;
	CHECK(b >= w->bytes && (uint64_t)(b - w->bytes) + len < w->len);
	CHECK(s[len] == '\0' && strlen(s) == len);
	sink += touch(s, len);
}

static bool bootinfo_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

/* Module i has a problem, or data inside the window, clear of the info
 * structure [info, info + info_len) and of every other usable module, and
 * inside one available range when there is a memory map. */
static void bootinfo_check_module(const struct boot_window *w,
				  const struct boot_info *bi, uint32_t i,
				  uint64_t info, uint64_t info_len)
{
	const struct boot_module *m = &bi->modules[i];

	bootinfo_check_string(w, m->cmdline, m->cmdline_len);
	CHECK((m->data == NULL) == (m->problem != NULL));
	if (m->problem) {
		sink += touch(m->problem, strlen(m->problem));
		return;
	}
	CHECK(m->start >= w->phys && m->start - w->phys <= w->len);
	CHECK(m->size <= w->len - (m->start - w->phys));
	CHECK(m->data == w->bytes + (m->start - w->phys));
	sink += touch(m->data, m->size);
	CHECK(!bootinfo_overlap(m->start, m->size, info, info_len));
	for (uint32_t j = 0; j < bi->nmodules; j++)
		CHECK(j == i || bi->modules[j].problem ||
		      !bootinfo_overlap(m->start, m->size, bi->modules[j].start,
					bi->modules[j].size));
	bool ram = bi->nmmap == 0;
	for (uint32_t k = 0; k < bi->nmmap && !ram; k++)
		ram = bi->mmap[k].type == BOOT_MEM_AVAILABLE &&
		      m->start >= bi->mmap[k].base &&
		      m->start - bi->mmap[k].base <= bi->mmap[k].length &&
		      m->size <= bi->mmap[k].length - (m->start - bi->mmap[k].base);
	CHECK(ram);
}

static void bootinfo_check_info(const struct boot_window *w,
				const struct boot_info *bi, int rc, uint64_t info,
				uint32_t mods_cap, uint32_t mmap_cap,
				bootinfo_proto_fn proto)
{
	CHECK(rc == (int)bi->nmodules);
	CHECK(bi->nmodules <= mods_cap && bi->nmodules <= BOOT_MODULES_MAX);
	CHECK(bi->nmmap <= mmap_cap && bi->nmmap <= BOOT_MMAP_MAX);
	bootinfo_check_string(w, bi->cmdline, bi->cmdline_len);
	bootinfo_check_string(w, bi->loader_name, bi->loader_name_len);
	uint64_t info_len = proto(w, bi, info);
	for (uint32_t i = 0; i < bi->nmodules; i++)
		bootinfo_check_module(w, bi, i, info, info_len);
}

/* One fuzz input through parse: a failure must be a fault with a field
 * and a detail, a success must pass the checks above; either way the
 * caller's arrays and caps are kept and the input is not written. */
static int bootinfo_fuzz_one(const uint8_t *data, size_t size,
			     bootinfo_parse_fn parse, bootinfo_proto_fn proto)
{
	static struct boot_module mods[BOOTINFO_MODS_MAX];
	static struct boot_mem_range mmap[BOOTINFO_MMAP_MAX];
	uint8_t *copy = malloc(size ? size : 1);
	struct boot_info bi;
	struct fwk_fault f = { 0 };

	CHECK(copy != NULL);
	if (size)
		memcpy(copy, data, size);
	uint64_t info = BOOTINFO_PHYS +
			(size >= 2 ? (uint64_t)(data[0] | data[1] << 8) : 0);
	uint32_t mods_cap = size >= 3 && data[2] ? data[2] % 16u : BOOTINFO_MODS_MAX;
	uint32_t mmap_cap = size >= 4 && data[3] ? data[3] % 16u : BOOTINFO_MMAP_MAX;
	struct boot_window w = { copy, BOOTINFO_PHYS, size };

	memset(&bi, 0xa5, sizeof(bi));
	bi.modules = mods;
	bi.modules_cap = mods_cap;
	bi.mmap = mmap;
	bi.mmap_cap = mmap_cap;
	int rc = parse(&w, info, &bi, &f);
	CHECK(bi.modules == mods && bi.modules_cap == mods_cap);
	CHECK(bi.mmap == mmap && bi.mmap_cap == mmap_cap);
	if (rc < 0) {
		CHECK(rc >= FWK_ERR_UNSUPPORTED && rc != FWK_ERR_INVAL);
		CHECK(f.error == rc && f.field != NULL && f.detail != NULL);
		sink += touch(f.field, strlen(f.field)) + touch(f.detail, strlen(f.detail));
	} else {
		bootinfo_check_info(&w, &bi, rc, info, mods_cap, mmap_cap, proto);
	}
	CHECK(size == 0 || memcmp(copy, data, size) == 0);
	free(copy);
	return 0;
}

#endif /* FWKIT_BOOTINFO_CHECK_H */

/* SPDX-License-Identifier: MIT */
/* fuzz_multiboot1.c - libFuzzer harness: boot_parse_multiboot1 with the
 * whole input as physical memory from 0x1000 on; the info structure's
 * window offset is the input's first two bytes (little-endian), the module
 * and memory-map caps come from bytes 2 and 3.  A success must leave every
 * module either with data inside the window (and inside available RAM when
 * there is a map, overlapping no other usable module nor the info) or with
 * a problem, strings that end where their lengths say, counts within caps. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <fwkit/bootinfo.h>

#include "fuzzkit.h"

#define PHYS 0x1000u
#define MODS_MAX (BOOT_MODULES_MAX + 8u)
#define MMAP_MAX (BOOT_MMAP_MAX + 8u)

/* A string the parser returned: "" or inside the window, NUL where its
 * length says, no longer than BOOT_CMDLINE_MAX. */
static void check_string(const struct boot_window *w, const char *s, uint32_t len)
{
	const uint8_t *b = (const uint8_t *)s;

	CHECK(s != NULL && len <= BOOT_CMDLINE_MAX);
	if (len == 0 && s[0] == '\0')
		return;
	CHECK(b >= w->bytes && (uint64_t)(b - w->bytes) + len < w->len);
	CHECK(s[len] == '\0' && strlen(s) == len);
	sink += touch(s, len);
}

static bool overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

static void check_info(const struct boot_window *w, const struct boot_info *bi,
		       int rc, uint64_t info, uint32_t mods_cap, uint32_t mmap_cap)
{
	CHECK(rc == (int)bi->nmodules);
	CHECK(bi->nmodules <= mods_cap && bi->nmodules <= BOOT_MODULES_MAX);
	CHECK(bi->nmmap <= mmap_cap && bi->nmmap <= BOOT_MMAP_MAX);
	check_string(w, bi->cmdline, bi->cmdline_len);
	check_string(w, bi->loader_name, bi->loader_name_len);
	CHECK(bi->rsdp == NULL && bi->rsdp_tag == 0 && bi->unknown_tags == 0);
	CHECK(bi->protocol == BOOT_PROTO_MULTIBOOT1);
	for (uint32_t i = 0; i < bi->nmodules; i++) {
		const struct boot_module *m = &bi->modules[i];

		check_string(w, m->cmdline, m->cmdline_len);
		CHECK((m->data == NULL) == (m->problem != NULL));
		if (m->problem) {
			sink += touch(m->problem, strlen(m->problem));
			continue;
		}
		CHECK(m->start >= w->phys && m->start - w->phys <= w->len);
		CHECK(m->size <= w->len - (m->start - w->phys));
		CHECK(m->data == w->bytes + (m->start - w->phys));
		sink += touch(m->data, m->size);
		CHECK(!overlap(m->start, m->size, info, 4));
		for (uint32_t j = 0; j < bi->nmodules; j++)
			CHECK(j == i || bi->modules[j].problem ||
			      !overlap(m->start, m->size, bi->modules[j].start,
				       bi->modules[j].size));
		bool ram = bi->nmmap == 0;
		for (uint32_t k = 0; k < bi->nmmap && !ram; k++)
			ram = bi->mmap[k].type == BOOT_MEM_AVAILABLE &&
			      m->start >= bi->mmap[k].base &&
			      m->start - bi->mmap[k].base <= bi->mmap[k].length &&
			      m->size <= bi->mmap[k].length - (m->start - bi->mmap[k].base);
		CHECK(ram);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct boot_module mods[MODS_MAX];
	static struct boot_mem_range mmap[MMAP_MAX];
	uint8_t *copy = malloc(size ? size : 1);
	struct boot_info bi;
	struct fwk_fault f = { 0 };

	CHECK(copy != NULL);
	if (size)
		memcpy(copy, data, size);
	uint64_t info = PHYS + (size >= 2 ? (uint64_t)(data[0] | data[1] << 8) : 0);
	uint32_t mods_cap = size >= 3 && data[2] ? data[2] % 16u : MODS_MAX;
	uint32_t mmap_cap = size >= 4 && data[3] ? data[3] % 16u : MMAP_MAX;
	struct boot_window w = { copy, PHYS, size };

	memset(&bi, 0xa5, sizeof(bi));
	bi.modules = mods;
	bi.modules_cap = mods_cap;
	bi.mmap = mmap;
	bi.mmap_cap = mmap_cap;
	int rc = boot_parse_multiboot1(&w, info, &bi, &f);
	CHECK(bi.modules == mods && bi.modules_cap == mods_cap);
	CHECK(bi.mmap == mmap && bi.mmap_cap == mmap_cap);
	if (rc < 0) {
		CHECK(rc >= FWK_ERR_UNSUPPORTED && rc != FWK_ERR_INVAL);
		CHECK(f.error == rc && f.field != NULL && f.detail != NULL);
		sink += touch(f.field, strlen(f.field)) + touch(f.detail, strlen(f.detail));
	} else {
		check_info(&w, &bi, rc, info, mods_cap, mmap_cap);
	}
	CHECK(size == 0 || memcmp(copy, data, size) == 0);
	free(copy);
	return 0;
}

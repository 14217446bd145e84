/* SPDX-License-Identifier: MIT */
/* fuzz_chosen.c - libFuzzer harness: boot_parse_chosen over the input as a
 * DTB, with exactly DT_SCRATCH_WORDS scratch, once through a fixed memory
 * window and once with none; its fault, every module's range, data,
 * command line and problem checked, the two runs compared, and the module
 * count checked against a count made with libfdt's own look-ups. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <fwkit/bootinfo.h>
#include <fwkit/dt.h>

#include "fuzzkit.h"

/* The physical range the window stands for: the test trees' modules
 * (tests/hyp/chosen) lie in it. */
#define WIN_BASE 0xffff0000ull
#define WIN_LEN 0x20000ull

static const char *const module_names[] = {
	"multiboot,module", "xen,multiboot-module", "multiboot,kernel",
	"xen,linux-zimage", "multiboot,ramdisk", "xen,linux-initrd",
	"multiboot,device-tree", "multiboot,microcode", "xen,xsm-policy",
};

static bool lies_in(const void *p, size_t n, const void *buf, size_t len)
{
	uintptr_t a = (uintptr_t)p, b = (uintptr_t)buf;

	return a >= b && a - b <= len && n <= len - (a - b);
}

/* Whether libfdt finds one of the module strings in a node's compatible. */
static bool is_module(const void *d, int node)
{
	int len;
	const char *v = fdt_getprop(d, node, "compatible", &len);

	if (!v)
		return false;
	if (fdt_stringlist_contains(v, len, "xen,domain"))
		return false;
	for (size_t i = 0; i < sizeof(module_names) / sizeof(module_names[0]); i++)
		if (fdt_stringlist_contains(v, len, module_names[i]))
			return true;
	return false;
}

/* The modules of a tree boot_parse_chosen accepted, counted with libfdt. */
static int count_modules(const void *d)
{
	int chosen = -1, n = 0, node, sub;

	fdt_for_each_subnode(node, d, 0) {
		int l;
		const char *name = fdt_get_name(d, node, &l);
		if (name && l == 6 && memcmp(name, "chosen", 6) == 0) {
			chosen = node;
			break;
		}
	}
	if (chosen < 0)
		return 0;
	fdt_for_each_subnode(node, d, chosen) {
		int len;
		const char *v = fdt_getprop(d, node, "compatible", &len);

		if (v && fdt_stringlist_contains(v, len, "xen,domain")) {
			fdt_for_each_subnode(sub, d, node)
				n += is_module(d, sub);
		} else {
			n += is_module(d, node);
		}
	}
	return n;
}

static void check_module(const struct boot_module *m, const uint8_t *d, size_t size,
			 const struct boot_window *win)
{
	CHECK(m->cmdline != NULL && m->cmdline_len <= BOOT_CMDLINE_MAX);
	CHECK(m->cmdline[m->cmdline_len] == '\0' && strlen(m->cmdline) == m->cmdline_len);
	CHECK(m->cmdline_len == 0 || lies_in(m->cmdline, m->cmdline_len + 1u, d, size));
	CHECK(m->role <= BOOT_ROLE_XSM);
	sink += touch(m->cmdline, m->cmdline_len);
	if (m->problem) {
		CHECK(m->data == NULL && m->problem_offset < size);
		sink += touch(m->problem, strlen(m->problem));
		return;
	}
	CHECK(m->size <= UINT64_MAX - m->start);
	if (!win) {
		CHECK(m->data == NULL);
		return;
	}
	CHECK(m->start >= win->phys && m->start - win->phys <= win->len &&
	      m->size <= win->len - (m->start - win->phys));
	CHECK(m->data == win->bytes + (m->start - win->phys));
	sink += touch(m->data, m->size);
}

static int run(const uint8_t *d, size_t size, const struct boot_window *win,
	       struct boot_info *bi, struct boot_module *mods, struct fwk_fault *f)
{
	size_t words = DT_SCRATCH_WORDS(size);
	uint32_t *scratch = malloc(words * sizeof(*scratch));

	CHECK(scratch != NULL);
	memset(bi, 0, sizeof(*bi));
	bi->modules = mods;
	bi->modules_cap = BOOT_MODULES_MAX;
	int rc = boot_parse_chosen(d, size, win, scratch, words, bi, f);
	free(scratch);

	CHECK(bi->protocol == BOOT_PROTO_DT_CHOSEN && bi->modules == mods);
	if (rc < 0) {
		check_fault(f, rc, size);
		CHECK(rc != FWK_ERR_INVAL && rc != FWK_ERR_NOSPACE);
		return rc;
	}
	CHECK((uint32_t)rc == bi->nmodules && bi->nmodules <= BOOT_MODULES_MAX);
	CHECK(bi->cmdline[bi->cmdline_len] == '\0' && strlen(bi->cmdline) == bi->cmdline_len);
	CHECK(bi->cmdline_len == 0 || lies_in(bi->cmdline, bi->cmdline_len + 1u, d, size));
	for (uint32_t i = 0; i < bi->nmodules; i++)
		check_module(&mods[i], d, size, win);
	/* usable modules never share a byte */
	for (uint32_t i = 0; i < bi->nmodules; i++)
		for (uint32_t j = 0; j < i; j++) {
			const struct boot_module *a = &mods[i], *b = &mods[j];
			if (a->problem || b->problem || !a->size || !b->size)
				continue;
			CHECK(a->start >= b->start + b->size || b->start >= a->start + a->size);
		}
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t *mem;
	static struct boot_module mods[2][BOOT_MODULES_MAX];
	struct boot_info bi[2];
	struct fwk_fault f[2] = { { 0 } };

	if (!mem) {
		mem = malloc(WIN_LEN);
		CHECK(mem != NULL);
		for (uint64_t i = 0; i < WIN_LEN; i++)
			mem[i] = (uint8_t)(i * 31u + (i >> 8));
	}
	struct boot_window win = { mem, WIN_BASE, WIN_LEN };
	uint8_t *d = malloc(size ? size : 1);

	CHECK(d != NULL);
	if (size)
		memcpy(d, data, size);
	int rc = run(d, size, &win, &bi[0], mods[0], &f[0]);
	int rc_alone = run(d, size, NULL, &bi[1], mods[1], &f[1]);
	CHECK(size == 0 || memcmp(d, data, size) == 0);

	/* The window changes data and window problems only. */
	CHECK(rc == rc_alone);
	if (rc < 0) {
		CHECK(f[0].offset == f[1].offset && strcmp(f[0].field, f[1].field) == 0);
	} else {
		CHECK(rc == count_modules(d));
		for (int i = 0; i < rc; i++) {
			const struct boot_module *a = &mods[0][i], *b = &mods[1][i];
			CHECK(a->start == b->start && a->size == b->size && a->role == b->role);
			CHECK(a->cmdline == b->cmdline && a->cmdline_len == b->cmdline_len);
			CHECK(!b->problem ||
			      strcmp(b->problem, "range outside the memory window") != 0);
			if (!a->problem)
				CHECK(!b->problem);
		}
	}
	free(d);
	return 0;
}

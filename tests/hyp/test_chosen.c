/* SPDX-License-Identifier: MIT */
/* test_chosen.c - cmocka tests of boot_parse_chosen: trees compiled with dtc
 * from the tests/hyp/chosen sources (each cell size, Xen's legacy names, dom0less
 * domains, no /chosen, one named defect per malformed tree), read through a
 * memory window whose bytes are checked one by one, and QEMU's own
 * guest-loader trees; every module's start, size, role, command line,
 * problem and the DTB offset the problem names. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../support/testkit.h"

#include <libfdt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fwkit/bootinfo.h>
#include <fwkit/dt.h>

/* The physical range the test's window stands for: it crosses 4 GiB, so
 * one window serves trees with one and with two address cells. */
#define WIN_BASE 0xffff0000ull
#define WIN_LEN 0x20000ull
#define MODS_MAX 16u

static char *tmp;                   /* this program's scratch directory */
static char dts_dir[PATH_MAX];      /* tests/hyp/chosen */
static int counter;

/* The byte the window holds at physical address p. */
static uint8_t pattern(uint64_t p)
{
	return (uint8_t)((p ^ p >> 8 ^ p >> 16 ^ p >> 32) * 37u + 11u);
}

/* A window of exactly WIN_LEN heap bytes (ASan sees a read past it). */
static struct boot_window *window_new(void)
{
	static struct boot_window w;
	uint8_t *b = malloc(WIN_LEN);

	assert_non_null(b);
	for (uint64_t i = 0; i < WIN_LEN; i++)
		b[i] = pattern(WIN_BASE + i);
	w.bytes = b;
	w.phys = WIN_BASE;
	w.len = WIN_LEN;
	return &w;
}

static void window_free(struct boot_window *w)
{
	free((void *)w->bytes);
}

/* ---- trees ---------------------------------------------------------------- */

/* Compile a dts file into tmp with dtc; -q because some trees are meant to
 * draw dtc's warnings (defaults relied on, bytes where strings belong). */
static uint8_t *compile_file(const char *src, size_t *len)
{
	char out[PATH_MAX + 32];

	snprintf(out, sizeof(out), "%s/t%d.dtb", tmp, counter++);
	if (sh("dtc -q -I dts -O dtb -o '%s' '%s'", out, src) != 0)
		fail_msg("dtc refused %s", src);
	return slurp(out, len);
}

/* One of tests/hyp/chosen/NAME.dts, compiled. */
static uint8_t *tree(const char *name, size_t *len)
{
	char src[PATH_MAX + 64];

	snprintf(src, sizeof(src), "%s/%s.dts", dts_dir, name);
	if (access(src, R_OK) != 0)
		fail_msg("fixture %s is missing", src);
	return compile_file(src, len);
}

/* A source written here (for what a fixture file cannot hold compactly). */
static uint8_t *tree_from(const char *dts, size_t *len)
{
	char src[PATH_MAX + 32];

	snprintf(src, sizeof(src), "%s/g%d.dts", tmp, counter++);
	spew(src, dts, strlen(dts));
	return compile_file(src, len);
}

/* ---- parsing -------------------------------------------------------------- */

struct parsed {
	uint8_t *dtb;
	size_t len;
	int rc;
	struct boot_info bi;
	struct boot_module mods[MODS_MAX];
	struct fwk_fault f;
};

/* boot_parse_chosen with exactly DT_SCRATCH_WORDS scratch, into cap modules,
 * over a boot_info full of garbage: the scalars must come back zeroed, the
 * arrays and caps kept. */
static void parse_cap(struct parsed *p, const struct boot_window *win, uint32_t cap)
{
	size_t words = DT_SCRATCH_WORDS(p->len);
	uint32_t *scratch = malloc(words * sizeof(*scratch));
	struct boot_mem_range mmap[2];

	assert_non_null(scratch);
	memset(&p->bi, 0xa5, sizeof(p->bi));
	memset(p->mods, 0x5a, sizeof(p->mods));
	memset(&p->f, 0, sizeof(p->f));
	p->bi.modules = p->mods;
	p->bi.modules_cap = cap;
	p->bi.mmap = mmap;
	p->bi.mmap_cap = 2;
	p->rc = boot_parse_chosen(p->dtb, p->len, win, scratch, words, &p->bi, &p->f);
	free(scratch);

	assert_ptr_equal(p->bi.modules, p->mods);
	assert_int_equal(p->bi.modules_cap, cap);
	assert_ptr_equal(p->bi.mmap, mmap);
	assert_int_equal(p->bi.mmap_cap, 2);
	p->bi.mmap = NULL; /* it was on this stack frame */
	assert_int_equal(p->bi.protocol, BOOT_PROTO_DT_CHOSEN);
	assert_int_equal(p->bi.nmmap, 0);
	assert_string_equal(p->bi.loader_name, "");
	assert_int_equal(p->bi.loader_name_len, 0);
	assert_false(p->bi.have_meminfo);
	assert_null(p->bi.rsdp);
	assert_int_equal(p->bi.rsdp_phys, 0);
	assert_int_equal(p->bi.efi_system_table, 0);
	assert_int_equal(p->bi.unknown_tags, 0);
	if (p->rc >= 0) {
		assert_int_equal(p->bi.nmodules, (uint32_t)p->rc);
		assert_int_equal(p->bi.cmdline[p->bi.cmdline_len], '\0');
		assert_int_equal(strlen(p->bi.cmdline), p->bi.cmdline_len);
	}
}

static void parse(struct parsed *p, const char *name, const struct boot_window *win)
{
	p->dtb = tree(name, &p->len);
	parse_cap(p, win, MODS_MAX);
}

/* DTB offset of a node's property value, or of the node when prop is NULL
 * (found by libfdt's own look-up). */
static uint64_t offset_of(const uint8_t *dtb, const char *node, const char *prop)
{
	int no = fdt_path_offset(dtb, node), l;

	if (no < 0)
		fail_msg("libfdt finds no %s", node);
	if (!prop)
		return fdt_off_dt_struct(dtb) + (uint64_t)no;
	const uint8_t *v = fdt_getprop(dtb, no, prop, &l);
	if (!v)
		fail_msg("libfdt finds no %s:%s", node, prop);
	return (uint64_t)(v - dtb);
}

/* The node dt_check's own walker finds open at a DTB offset. */
static void assert_node_at(const uint8_t *dtb, size_t len, uint64_t at, const char *node)
{
	char path[DT_PATH_MAX];

	assert_true(dt_node_path_at(dtb, len, at, path, sizeof(path)) > 0);
	assert_string_equal(path, node);
}

/* A parse failure: its code, field, DTB offset (node:prop) and nothing else. */
static void assert_fault(const struct parsed *p, int err, const char *field,
			 const char *node, const char *prop)
{
	assert_int_equal(p->rc, err);
	assert_int_equal(p->f.error, err);
	assert_string_equal(p->f.field, field);
	assert_non_null(p->f.detail);
	assert_int_equal(p->f.offset, offset_of(p->dtb, node, prop));
	assert_node_at(p->dtb, p->len, p->f.offset, node);
}

struct want {
	uint64_t start, size;
	enum boot_module_role role;
	const char *cmdline;
	const char *problem;   /* NULL: usable */
	const char *node;      /* the module's node */
	const char *at;        /* the property its problem names, NULL: the node */
};

static void check_module(const struct parsed *p, const struct boot_module *m,
			 const struct want *w, const struct boot_window *win)
{
	assert_int_equal(m->start, w->start);
	assert_int_equal(m->size, w->size);
	assert_int_equal(m->role, w->role);
	assert_string_equal(m->cmdline, w->cmdline);
	assert_int_equal(m->cmdline_len, strlen(w->cmdline));
	/* a command line is the module's own bootargs, in the DTB */
	if (*w->cmdline)
		assert_int_equal((uint64_t)((const uint8_t *)m->cmdline - p->dtb),
				 offset_of(p->dtb, w->node, "bootargs"));
	if (w->problem) {
		assert_non_null(m->problem);
		assert_string_equal(m->problem, w->problem);
		assert_null(m->data);
		assert_int_equal(m->problem_offset, offset_of(p->dtb, w->node, w->at));
		assert_node_at(p->dtb, p->len, m->problem_offset, w->node);
		return;
	}
	assert_null(m->problem);
	if (!win) {
		assert_null(m->data);
		return;
	}
	assert_ptr_equal(m->data, win->bytes + (m->start - win->phys));
	for (uint64_t i = 0; i < m->size; i++)
		if (m->data[i] != pattern(m->start + i))
			fail_msg("module at 0x%llx: byte %llu differs",
				 (unsigned long long)m->start, (unsigned long long)i);
}

static void check_modules(const struct parsed *p, const struct want *w, size_t n,
			  const struct boot_window *win)
{
	assert_int_equal(p->rc, (int)n);
	for (size_t i = 0; i < n; i++)
		check_module(p, &p->mods[i], &w[i], win);
}

/* ---- well-formed trees ---------------------------------------------------- */

static const struct want cells_1_1[] = {
	{ 0xffff1000, 0x1800, BOOT_ROLE_KERNEL, "vmlinuz console=hvc0 earlycon", NULL,
	  "/chosen/module@ffff1000", NULL },
	{ 0xffff3000, 0x400, BOOT_ROLE_RAMDISK, "", NULL, "/chosen/module@ffff3000", NULL },
	{ 0xffff5000, 0x10, BOOT_ROLE_NONE, "", NULL, "/chosen/module@ffff5000", NULL },
	{ 0xffff6000, 0, BOOT_ROLE_NONE, "empty", NULL, "/chosen/module@ffff6000", NULL },
};

static void test_cells_1_1(void **state)
{
	(void)state;
	struct boot_window *win = window_new();
	struct parsed p;

	parse(&p, "cells-1-1", win);
	check_modules(&p, cells_1_1, 4, win);
	/* xen,xen-bootargs before bootargs */
	assert_string_equal(p.bi.cmdline, "console=dtuart dom0_mem=512M");
	assert_int_equal((uint64_t)((const uint8_t *)p.bi.cmdline - p.dtb),
			 offset_of(p.dtb, "/chosen", "xen,xen-bootargs"));

	/* The DTB read alone: the same modules, no data, no window problem. */
	parse_cap(&p, NULL, MODS_MAX);
	check_modules(&p, cells_1_1, 4, NULL);
	free(p.dtb);
	window_free(win);
}

static void test_cells_2_2(void **state)
{
	(void)state;
	static const struct want want[] = {
		{ 0x100000800ull, 0x2000, BOOT_ROLE_KERNEL, "Image-above-4g", NULL,
		  "/chosen/module@100000800", NULL },
		{ 0xffffff00, 0x200, BOOT_ROLE_RAMDISK, "", NULL, "/chosen/module@ffffff00", NULL },
		{ 0xffff2000, 0x800, BOOT_ROLE_DEVICE_TREE, "passthrough.dtb", NULL,
		  "/chosen/module@ffff2000", NULL },
	};
	struct boot_window *win = window_new();
	struct parsed p;

	parse(&p, "cells-2-2", win);
	check_modules(&p, want, 3, win);
	assert_string_equal(p.bi.cmdline, "console=ttyAMA0 loglevel=8");
	free(p.dtb);
	window_free(win);
}

static void test_cells_2_1(void **state)
{
	(void)state;
	static const struct want want[] = {
		{ 0xffff1000, 0x800, BOOT_ROLE_MICROCODE, "GenuineIntel.bin", NULL,
		  "/chosen/module@ffff1000", NULL },
		{ 0xffff2000, 0x123, BOOT_ROLE_DEVICE_TREE, "", NULL, "/chosen/module@ffff2000", NULL },
		{ 0xffff4000, 0x4000, BOOT_ROLE_KERNEL, "bzImage root=/dev/xvda1 ro", NULL,
		  "/chosen/module@ffff4000", NULL },
	};
	struct boot_window *win = window_new();
	struct parsed p;

	parse(&p, "cells-2-1", win);
	check_modules(&p, want, 3, win);
	/* no xen,xen-bootargs: bootargs */
	assert_string_equal(p.bi.cmdline, "dom0_mem=1G console=dtuart");
	assert_int_equal((uint64_t)((const uint8_t *)p.bi.cmdline - p.dtb),
			 offset_of(p.dtb, "/chosen", "bootargs"));
	free(p.dtb);
	window_free(win);
}

static void test_xen_aliases(void **state)
{
	(void)state;
	static const struct want want[] = {
		{ 0xffff1000, 0x1000, BOOT_ROLE_KERNEL, "zImage", NULL, "/chosen/module@ffff1000", NULL },
		{ 0xffff2000, 0x300, BOOT_ROLE_RAMDISK, "", NULL, "/chosen/module@ffff2000", NULL },
		{ 0xffff3000, 0x80, BOOT_ROLE_XSM, "", NULL, "/chosen/module@ffff3000", NULL },
		{ 0xffff4000, 0x40, BOOT_ROLE_RAMDISK, "", NULL, "/chosen/module@ffff4000", NULL },
		{ 0xffff5000, 0x20, BOOT_ROLE_NONE, "plain", NULL, "/chosen/module@ffff5000", NULL },
		{ 0xffff7000, 0x10, BOOT_ROLE_RAMDISK, "", NULL, "/chosen/module@ffff7000", NULL },
	};
	struct boot_window *win = window_new();
	struct parsed p;

	/* No cells in /chosen: 2 and 1, so reg is three cells. */
	parse(&p, "xen-aliases", win);
	check_modules(&p, want, 6, win);
	/* xen,dom0-bootargs is dom0's, not the boot command line */
	assert_string_equal(p.bi.cmdline, "console=dtuart dtuart=serial0");
	free(p.dtb);
	window_free(win);
}

static void test_dom0less(void **state)
{
	(void)state;
	static const struct want want[] = {
		{ 0xffff1000, 0x800, BOOT_ROLE_KERNEL, "dom0-kernel console=hvc0", NULL,
		  "/chosen/module@ffff1000", NULL },
		{ 0xffff2000, 0x800, BOOT_ROLE_KERNEL, "domU1-kernel console=ttyAMA0 init=/bin/sh",
		  NULL, "/chosen/domU1/module@ffff2000", NULL },
		{ 0xffff3000, 0x400, BOOT_ROLE_RAMDISK, "", NULL, "/chosen/domU1/module@ffff3000", NULL },
		{ 0xffff3800, 0x100, BOOT_ROLE_DEVICE_TREE, "", NULL,
		  "/chosen/domU1/module@ffff3800", NULL },
		{ 0xffff4000, 0x200, BOOT_ROLE_RAMDISK, "", NULL, "/chosen/module@ffff4000", NULL },
		{ 0xffff5000, 0x200, BOOT_ROLE_KERNEL, "domU2-kernel", NULL,
		  "/chosen/domU2/module@ffff5000", NULL },
	};
	struct boot_window *win = window_new();
	struct parsed p;

	parse(&p, "dom0less", win);
	check_modules(&p, want, 6, win);
	assert_string_equal(p.bi.cmdline, "dom0less console=dtuart");
	free(p.dtb);
	window_free(win);
}

static void test_no_chosen(void **state)
{
	(void)state;
	struct boot_window *win = window_new();
	struct parsed p;

	parse(&p, "no-chosen", win);
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.bi.nmodules, 0);
	assert_string_equal(p.bi.cmdline, "");
	assert_int_equal(p.bi.cmdline_len, 0);
	/* no /chosen, no modules: not even room for one is needed */
	parse_cap(&p, win, 0);
	assert_int_equal(p.rc, 0);
	free(p.dtb);

	/* /chosen with a command line and no module */
	p.dtb = tree_from("/dts-v1/; / { chosen { bootargs = \"quiet\"; "
			  "stdout-path = \"serial0\"; }; };", &p.len);
	parse_cap(&p, win, 0);
	assert_int_equal(p.rc, 0);
	assert_string_equal(p.bi.cmdline, "quiet");
	assert_int_equal(p.bi.cmdline_len, 5);
	free(p.dtb);
	window_free(win);
}

/* ---- defects -------------------------------------------------------------- */

static void test_bad_reg(void **state)
{
	(void)state;
	static const char *bad = "reg is not one (address, size) entry";
	const struct want want[] = {
		{ 0, 0, BOOT_ROLE_KERNEL, "three-cells", bad, "/chosen/module@ffff1000", "reg" },
		{ 0, 0, BOOT_ROLE_RAMDISK, "no-reg", bad, "/chosen/module@ffff2000", NULL },
		{ 0xffff3000, 0x100, BOOT_ROLE_NONE, "good", NULL, "/chosen/module@ffff3000", NULL },
		{ 0, 0, BOOT_ROLE_NONE, "", bad, "/chosen/module@ffff4000", "reg" },
	};
	struct boot_window *win = window_new();
	struct parsed p;

	parse(&p, "bad-reg", win);
	check_modules(&p, want, 4, win);
	parse_cap(&p, NULL, MODS_MAX);
	check_modules(&p, want, 4, NULL);
	free(p.dtb);
	window_free(win);
}

static void test_bad_cells(void **state)
{
	(void)state;
	struct boot_window *win = window_new();
	struct parsed p;

	parse(&p, "cells-0", win);
	assert_fault(&p, FWK_ERR_BADFIELD, "#address-cells", "/chosen", "#address-cells");
	assert_int_equal(p.bi.nmodules, 0);
	free(p.dtb);

	parse(&p, "cells-3", win);
	assert_fault(&p, FWK_ERR_BADFIELD, "#size-cells", "/chosen", "#size-cells");
	free(p.dtb);

	/* 8 bytes in a domain: the domain's module, after /chosen's good one */
	parse(&p, "cells-wide", win);
	assert_fault(&p, FWK_ERR_BADFIELD, "#address-cells", "/chosen/domU1", "#address-cells");
	free(p.dtb);

	/* the cells are read only for a module: none, no fault */
	p.dtb = tree_from("/dts-v1/; / { chosen { #address-cells = <3>; #size-cells = <0>; "
			  "framebuffer { compatible = \"simple-framebuffer\"; }; }; };", &p.len);
	parse_cap(&p, win, MODS_MAX);
	assert_int_equal(p.rc, 0);
	free(p.dtb);
	window_free(win);
}

static void test_compatible_no_nul(void **state)
{
	(void)state;
	struct boot_window *win = window_new();
	struct parsed p;

	parse(&p, "compatible-no-nul", win);
	assert_fault(&p, FWK_ERR_BADFIELD, "compatible", "/chosen/module@ffff2000", "compatible");

	/* an empty compatible is no string list either */
	free(p.dtb);
	p.dtb = tree_from("/dts-v1/; / { chosen { #address-cells = <1>; #size-cells = <1>; "
			  "module@ffff1000 { compatible; reg = <0xffff1000 0x10>; }; }; };", &p.len);
	parse_cap(&p, win, MODS_MAX);
	assert_fault(&p, FWK_ERR_BADFIELD, "compatible", "/chosen/module@ffff1000", "compatible");
	free(p.dtb);
	window_free(win);
}

static void test_bootargs_no_nul(void **state)
{
	(void)state;
	static const char *bad = "cmdline not NUL-terminated";
	const struct want want[] = {
		{ 0xffff1000, 0x100, BOOT_ROLE_KERNEL, "", bad, "/chosen/module@ffff1000", "bootargs" },
		{ 0xffff2000, 0x100, BOOT_ROLE_RAMDISK, "", bad, "/chosen/module@ffff2000", "bootargs" },
		{ 0xffff3000, 0x100, BOOT_ROLE_NONE, "fine", NULL, "/chosen/module@ffff3000", NULL },
	};
	struct boot_window *win = window_new();
	struct parsed p;

	parse(&p, "bootargs-no-nul", win);
	check_modules(&p, want, 3, win);
	assert_string_equal(p.bi.cmdline, "console=ttyS0");
	free(p.dtb);

	parse(&p, "chosen-bootargs-no-nul", win);
	assert_fault(&p, FWK_ERR_TRUNCATED, "xen,xen-bootargs", "/chosen", "xen,xen-bootargs");
	free(p.dtb);
	window_free(win);
}

/* A tree with one module whose bootargs has n characters, and a /chosen
 * bootargs of m characters. */
static uint8_t *long_args(size_t n, size_t m, size_t *len)
{
	size_t cap = n + m + 512;
	char *dts = malloc(cap), *a = malloc(n + 1), *b = malloc(m + 1);

	assert_true(dts && a && b);
	memset(a, 'a', n);
	a[n] = '\0';
	memset(b, 'b', m);
	b[m] = '\0';
	snprintf(dts, cap, "/dts-v1/; / { chosen { #address-cells = <1>; #size-cells = <1>; "
		 "bootargs = \"%s\"; module@ffff1000 { compatible = \"multiboot,module\"; "
		 "reg = <0xffff1000 0x10>; bootargs = \"%s\"; }; }; };", b, a);
	uint8_t *dtb = tree_from(dts, len);
	free(dts);
	free(a);
	free(b);
	return dtb;
}

static void test_long_cmdline(void **state)
{
	(void)state;
	struct boot_window *win = window_new();
	struct parsed p;

	p.dtb = long_args(BOOT_CMDLINE_MAX, BOOT_CMDLINE_MAX, &p.len);
	parse_cap(&p, win, MODS_MAX);
	assert_int_equal(p.rc, 1);
	assert_null(p.mods[0].problem);
	assert_int_equal(p.mods[0].cmdline_len, BOOT_CMDLINE_MAX);
	assert_int_equal(p.bi.cmdline_len, BOOT_CMDLINE_MAX);
	free(p.dtb);

	p.dtb = long_args(BOOT_CMDLINE_MAX + 1, 1, &p.len);
	parse_cap(&p, win, MODS_MAX);
	assert_int_equal(p.rc, 1);
	assert_string_equal(p.mods[0].problem, "cmdline too long");
	assert_int_equal(p.mods[0].problem_offset,
			 offset_of(p.dtb, "/chosen/module@ffff1000", "bootargs"));
	assert_string_equal(p.mods[0].cmdline, "");
	assert_null(p.mods[0].data);
	free(p.dtb);

	p.dtb = long_args(1, BOOT_CMDLINE_MAX + 1, &p.len);
	parse_cap(&p, win, MODS_MAX);
	assert_fault(&p, FWK_ERR_LIMIT, "bootargs", "/chosen", "bootargs");
	free(p.dtb);
	window_free(win);
}

static void test_outside(void **state)
{
	(void)state;
	static const char *out = "range outside the memory window";
	const struct want with_win[] = {
		{ 0x1000, 0x100, BOOT_ROLE_KERNEL, "", out, "/chosen/module@1000", "reg" },
		{ 0x10000f000ull, 0x2000, BOOT_ROLE_RAMDISK, "", out, "/chosen/module@10000f000", "reg" },
		{ 0xffffffffffffff00ull, 0x200, BOOT_ROLE_NONE, "", "range wraps",
		  "/chosen/module@ffffffffffffff00", "reg" },
		{ 0xffff8000, 0x100, BOOT_ROLE_NONE, "inside", NULL, "/chosen/module@ffff8000", NULL },
		{ 0x100010000ull, 0, BOOT_ROLE_NONE, "", NULL, "/chosen/module@100010000", NULL },
	};
	const struct want no_win[] = {
		{ 0x1000, 0x100, BOOT_ROLE_KERNEL, "", "cmdline not NUL-terminated",
		  "/chosen/module@1000", "bootargs" },
		{ 0x10000f000ull, 0x2000, BOOT_ROLE_RAMDISK, "", NULL, "/chosen/module@10000f000", NULL },
		{ 0xffffffffffffff00ull, 0x200, BOOT_ROLE_NONE, "", "range wraps",
		  "/chosen/module@ffffffffffffff00", "reg" },
		{ 0xffff8000, 0x100, BOOT_ROLE_NONE, "inside", NULL, "/chosen/module@ffff8000", NULL },
		{ 0x100010000ull, 0, BOOT_ROLE_NONE, "", NULL, "/chosen/module@100010000", NULL },
	};
	struct boot_window *win = window_new();
	struct parsed p;

	parse(&p, "outside", win);
	check_modules(&p, with_win, 5, win);
	parse_cap(&p, NULL, MODS_MAX);
	check_modules(&p, no_win, 5, NULL);
	free(p.dtb);
	window_free(win);
}

static void test_overlap(void **state)
{
	(void)state;
	static const char *ov = "range overlaps another module";
	const struct want want[] = {
		{ 0xffff1000, 0x1000, BOOT_ROLE_KERNEL, "", ov, "/chosen/module@ffff1000", "reg" },
		{ 0xffff1100, 0, BOOT_ROLE_NONE, "", NULL, "/chosen/module@ffff1100", NULL },
		{ 0xffff3000, 0x100, BOOT_ROLE_NONE, "", NULL, "/chosen/module@ffff3000", NULL },
		{ 0xffff1800, 0x100, BOOT_ROLE_RAMDISK, "", ov, "/chosen/module@ffff1800", "reg" },
		{ 0xffff3100, 0x80, BOOT_ROLE_NONE, "", NULL, "/chosen/module@ffff3100", NULL },
		{ 0xffff4000, 0x10, BOOT_ROLE_NONE, "first", ov, "/chosen/module@ffff4000", "reg" },
		{ 0xffff4000, 0x10, BOOT_ROLE_NONE, "second", ov, "/chosen/twin@ffff4000", "reg" },
	};
	struct boot_window *win = window_new();
	struct parsed p;

	parse(&p, "overlap", win);
	check_modules(&p, want, 7, win);
	/* overlaps do not depend on the window */
	parse_cap(&p, NULL, MODS_MAX);
	assert_int_equal(p.rc, 7);
	for (int i = 0; i < 7; i++) {
		if (want[i].problem)
			assert_string_equal(p.mods[i].problem, ov);
		else
			assert_null(p.mods[i].problem);
	}
	free(p.dtb);
	window_free(win);
}

/* What dt_check says of the same bytes, it says through boot_parse_chosen. */
static void same_as_dt_check(struct parsed *p, const struct boot_window *win)
{
	size_t words = DT_SCRATCH_WORDS(p->len);
	uint32_t *scratch = malloc(words * sizeof(*scratch));
	struct fwk_fault want = { 0 };

	assert_non_null(scratch);
	int rc = dt_check(p->dtb, p->len, scratch, words, NULL, NULL, NULL, &want);
	free(scratch);
	assert_true(rc < 0);
	parse_cap(p, win, MODS_MAX);
	assert_int_equal(p->rc, rc);
	assert_int_equal(p->f.error, rc);
	assert_int_equal(p->f.offset, want.offset);
	assert_string_equal(p->f.field, want.field);
	assert_string_equal(p->f.detail, want.detail);
	assert_int_equal(p->bi.nmodules, 0);
	assert_string_equal(p->bi.cmdline, "");
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void test_dt_check_fault(void **state)
{
	(void)state;
	struct boot_window *win = window_new();
	struct parsed p;
	size_t len;
	uint8_t *good = tree("cells-1-1", &len);
	uint8_t *b = malloc(len);

	assert_non_null(b);
	p.dtb = b;

	/* a token that is none: FDT_BEGIN_NODE of the first module */
	memcpy(b, good, len);
	p.len = len;
	put32(b + offset_of(good, "/chosen/module@ffff1000", NULL), 7);
	same_as_dt_check(&p, win);
	assert_int_equal(p.rc, FWK_ERR_BADFIELD);
	assert_string_equal(p.f.field, "token");

	/* a bad magic */
	memcpy(b, good, len);
	put32(b, 0xd00dfeef);
	same_as_dt_check(&p, win);
	assert_int_equal(p.rc, FWK_ERR_BADMAGIC);

	/* one byte short of totalsize */
	memcpy(b, good, len);
	p.len = len - 1;
	same_as_dt_check(&p, win);
	assert_int_equal(p.rc, FWK_ERR_TRUNCATED);

	/* a reg value that runs past the structure block: its length field */
	memcpy(b, good, len);
	p.len = len;
	put32(b + offset_of(good, "/chosen/module@ffff3000", "reg") - 8, 0x10000);
	same_as_dt_check(&p, win);
	assert_int_equal(p.rc, FWK_ERR_RANGE);

	free(b);
	free(good);
	window_free(win);
}

static void test_limits(void **state)
{
	(void)state;
	struct boot_window *win = window_new();
	struct parsed p;

	/* room for three of four modules: the fourth is the fault */
	parse(&p, "cells-1-1", win);
	parse_cap(&p, win, 3);
	assert_fault(&p, FWK_ERR_LIMIT, "compatible", "/chosen/module@ffff6000", NULL);
	parse_cap(&p, win, 0);
	assert_fault(&p, FWK_ERR_LIMIT, "compatible", "/chosen/module@ffff1000", NULL);
	parse_cap(&p, win, 4);
	check_modules(&p, cells_1_1, 4, win);

	/* BOOT_MODULES_MAX, whatever the caller's array */
	char *dts = malloc(64 * 1024);
	size_t n = 0;
	assert_non_null(dts);
	n += (size_t)sprintf(dts + n, "/dts-v1/; / { chosen { #address-cells = <1>; "
				      "#size-cells = <1>;");
	for (unsigned i = 0; i <= BOOT_MODULES_MAX; i++)
		n += (size_t)sprintf(dts + n, " module@%x { compatible = \"multiboot,module\"; "
					      "reg = <0x%x 0x10>; };", 0xffff0000u + i * 16u,
				     0xffff0000u + i * 16u);
	sprintf(dts + n, " }; };");
	free(p.dtb);
	p.dtb = tree_from(dts, &p.len);
	free(dts);
	struct boot_module *many = calloc(BOOT_MODULES_MAX + 8, sizeof(*many));
	size_t words = DT_SCRATCH_WORDS(p.len);
	uint32_t *scratch = malloc(words * sizeof(*scratch));
	assert_true(many && scratch);
	memset(&p.bi, 0, sizeof(p.bi));
	p.bi.modules = many;
	p.bi.modules_cap = BOOT_MODULES_MAX + 8;
	p.rc = boot_parse_chosen(p.dtb, p.len, win, scratch, words, &p.bi, &p.f);
	assert_fault(&p, FWK_ERR_LIMIT, "compatible", "/chosen/module@ffff1000", NULL);
	assert_int_equal(p.bi.nmodules, BOOT_MODULES_MAX);
	assert_int_equal(many[BOOT_MODULES_MAX - 1].start, 0xffff0000u + (BOOT_MODULES_MAX - 1) * 16u);
	free(scratch);
	free(many);
	free(p.dtb);
	window_free(win);
}

static void test_arguments(void **state)
{
	(void)state;
	struct boot_window *win = window_new();
	struct boot_module mods[4];
	struct boot_info bi = { .modules = mods, .modules_cap = 4 };
	struct fwk_fault f = { 0 };
	size_t len;
	uint8_t *dtb = tree("cells-1-1", &len);
	size_t words = DT_SCRATCH_WORDS(len);
	uint32_t *scratch = malloc(words * sizeof(*scratch));

	assert_non_null(scratch);
	assert_int_equal(boot_parse_chosen(NULL, len, win, scratch, words, &bi, &f), FWK_ERR_INVAL);
	assert_int_equal(f.error, FWK_ERR_INVAL);
	assert_int_equal(boot_parse_chosen(dtb, len, win, scratch, words, NULL, &f), FWK_ERR_INVAL);
	/* the header's scratch, one word short */
	assert_int_equal(boot_parse_chosen(dtb, len, win, scratch, words - 1, &bi, &f),
			 FWK_ERR_NOSPACE);
	assert_string_equal(f.field, "scratch");
	assert_int_equal(bi.nmodules, 0);
	/* f may be NULL */
	assert_int_equal(boot_parse_chosen(dtb, len, win, scratch, 0, &bi, NULL), FWK_ERR_NOSPACE);
	assert_int_equal(boot_parse_chosen(dtb, len, win, scratch, words, &bi, NULL), 4);
	free(scratch);
	free(dtb);
	window_free(win);
}

/* ---- QEMU's guest-loader ------------------------------------------------------ */

/* qemu-system-aarch64's virt machine with two guest-loader devices writes
 * /chosen/module@... nodes as a boot loader would for Xen. */
static void test_qemu_guest_loader(void **state)
{
	(void)state;
	const uint64_t base = 0x42000000ull, kaddr = base + 0x1000, iaddr = base + 0x3000;
	uint8_t kernel[0x1234], initrd[0x567];
	char kf[PATH_MAX], rf[PATH_MAX], dtbf[PATH_MAX], fixed[PATH_MAX];
	struct parsed p;

	for (size_t i = 0; i < sizeof(kernel); i++)
		kernel[i] = (uint8_t)(i * 7u + 3u);
	for (size_t i = 0; i < sizeof(initrd); i++)
		initrd[i] = (uint8_t)(i * 13u + 1u);
	snprintf(kf, sizeof(kf), "%s/kernel.bin", tmp);
	snprintf(rf, sizeof(rf), "%s/initrd.bin", tmp);
	snprintf(dtbf, sizeof(dtbf), "%s/virt.dtb", tmp);
	snprintf(fixed, sizeof(fixed), "%s/virt-cells.dtb", tmp);
	spew(kf, kernel, sizeof(kernel));
	spew(rf, initrd, sizeof(initrd));
	if (sh("qemu-system-aarch64 -M virt,dumpdtb='%s' -cpu cortex-a57 -nographic "
	       "-device guest-loader,addr=0x%llx,kernel='%s',bootargs='vmlinuz console=hvc0' "
	       "-device guest-loader,addr=0x%llx,initrd='%s' >/dev/null 2>&1", dtbf,
	       (unsigned long long)kaddr, kf, (unsigned long long)iaddr, rf) != 0)
		fail_msg("qemu-system-aarch64 could not dump a tree with guest-loader modules");

	/* The loaded bytes where QEMU put them, in a window of their own. */
	uint8_t *mem = calloc(1, 0x4000);
	assert_non_null(mem);
	memcpy(mem + (kaddr - base), kernel, sizeof(kernel));
	memcpy(mem + (iaddr - base), initrd, sizeof(initrd));
	struct boot_window win = { mem, base, 0x4000 };
	char kn[64], in[64];
	snprintf(kn, sizeof(kn), "/chosen/module@0x%llx", (unsigned long long)kaddr);
	snprintf(in, sizeof(in), "/chosen/module@0x%llx", (unsigned long long)iaddr);

	/* QEMU writes reg in the root's 2/2 cells and gives /chosen none:
	 * with the defaults 2/1 neither module's reg is one entry. */
	p.dtb = slurp(dtbf, &p.len);
	parse_cap(&p, &win, MODS_MAX);
	assert_int_equal(p.rc, 2);
	const struct want as_dumped[] = {
		{ 0, 0, BOOT_ROLE_RAMDISK, "", "reg is not one (address, size) entry", in, "reg" },
		{ 0, 0, BOOT_ROLE_KERNEL, "vmlinuz console=hvc0",
		  "reg is not one (address, size) entry", kn, "reg" },
	};
	check_modules(&p, as_dumped, 2, &win);
	free(p.dtb);

	/* With the cells Xen requires in /chosen, both read byte for byte. */
	if (sh("cp '%s' '%s' && fdtput -t i '%s' /chosen '#address-cells' 2 && "
	       "fdtput -t i '%s' /chosen '#size-cells' 2", dtbf, fixed, fixed, fixed) != 0)
		fail_msg("fdtput could not add the cells to /chosen");
	p.dtb = slurp(fixed, &p.len);
	parse_cap(&p, &win, MODS_MAX);
	assert_int_equal(p.rc, 2);
	assert_int_equal(p.mods[0].start, iaddr);
	assert_int_equal(p.mods[0].size, sizeof(initrd));
	assert_int_equal(p.mods[0].role, BOOT_ROLE_RAMDISK);
	assert_null(p.mods[0].problem);
	assert_memory_equal(p.mods[0].data, initrd, sizeof(initrd));
	assert_int_equal(p.mods[1].start, kaddr);
	assert_int_equal(p.mods[1].size, sizeof(kernel));
	assert_int_equal(p.mods[1].role, BOOT_ROLE_KERNEL);
	assert_string_equal(p.mods[1].cmdline, "vmlinuz console=hvc0");
	assert_null(p.mods[1].problem);
	assert_memory_equal(p.mods[1].data, kernel, sizeof(kernel));
	free(p.dtb);
	free(mem);
}

static int setup(void **state)
{
	(void)state;
	const char *root = getenv("FWKIT_ROOT");
	char rel[PATH_MAX];

	if (sh("command -v dtc fdtput qemu-system-aarch64 >/dev/null") != 0) {
		fprintf(stderr, "test_chosen needs dtc and fdtput (device-tree-compiler) and "
				"qemu-system-aarch64\n");
		return -1;
	}
	snprintf(rel, sizeof(rel), "%s%stests/hyp/chosen", root ? root : "", root ? "/" : "");
	if (!realpath(rel, dts_dir)) {
		fprintf(stderr, "test_chosen: fixtures %s are missing (run from the repository "
				"root or set FWKIT_ROOT)\n", rel);
		return -1;
	}
	tmp = temp_dir("chosen");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	remove_dir(tmp);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cells_1_1),
		cmocka_unit_test(test_cells_2_2),
		cmocka_unit_test(test_cells_2_1),
		cmocka_unit_test(test_xen_aliases),
		cmocka_unit_test(test_dom0less),
		cmocka_unit_test(test_no_chosen),
		cmocka_unit_test(test_bad_reg),
		cmocka_unit_test(test_bad_cells),
		cmocka_unit_test(test_compatible_no_nul),
		cmocka_unit_test(test_bootargs_no_nul),
		cmocka_unit_test(test_long_cmdline),
		cmocka_unit_test(test_outside),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_dt_check_fault),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_arguments),
		cmocka_unit_test(test_qemu_guest_loader),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

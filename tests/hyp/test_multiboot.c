/* SPDX-License-Identifier: MIT */
/* test_multiboot.c - cmocka tests of the multiboot (v1) and multiboot2
 * boot-information parsers and the module checks they share: every field
 * read from structures laid out in a buffer standing for physical memory,
 * one test per malformed class with its exact fault, every truncation of a
 * valid block, and a real multiboot2 block from GRUB when one was captured. */
/* Physical memory [MEM_PHYS, MEM_PHYS + MEM_SIZE) is mem[]. */
#define MEM_PHYS 0x100000u
#define MEM_SIZE 0x8000u
#define INFO 0x100u           /* where the info structure goes */

#include "hypkit.h"

#include <stdio.h>

#include <fwkit/acpi.h>

#include "../../hyp-hooks/bootinfo_int.h"

static void putstr(uint32_t off, const char *s)
{
	memcpy(mem + off, s, strlen(s) + 1);
}

static int mb1(uint64_t wlen)
{
	window(wlen);
	return boot_parse_multiboot1(&win, A(INFO), &bi, &fault);
}

static int mb2(uint64_t wlen)
{
	window(wlen);
	return boot_parse_multiboot2(&win, A(INFO), &bi, &fault);
}

static void expect_module(uint32_t i, uint64_t start, uint64_t size,
			  const char *cmdline)
{
	const struct boot_module *m = &bi.modules[i];

	assert_true(i < bi.nmodules);
	assert_null(m->problem);
	assert_int_equal(m->start, start);
	assert_int_equal(m->size, size);
	assert_ptr_equal(m->data, copy + (start - MEM_PHYS));
	assert_int_equal(m->cmdline_len, strlen(cmdline));
	assert_string_equal(m->cmdline, cmdline);
	assert_int_equal(m->role, BOOT_ROLE_NONE);
}

/* --- the shared checks --------------------------------------------------- */

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(boot_protocol_name(BOOT_PROTO_NONE), "files");
	assert_string_equal(boot_protocol_name(BOOT_PROTO_MULTIBOOT1), "multiboot");
	assert_string_equal(boot_protocol_name(BOOT_PROTO_MULTIBOOT2), "multiboot2");
	assert_string_equal(boot_protocol_name(BOOT_PROTO_PVH), "pvh");
	assert_string_equal(boot_protocol_name(BOOT_PROTO_DT_CHOSEN), "dt-chosen");
	assert_string_equal(boot_protocol_name((enum boot_protocol)99), "?");
	assert_string_equal(boot_role_name(BOOT_ROLE_NONE), "");
	assert_string_equal(boot_role_name(BOOT_ROLE_KERNEL), "kernel");
	assert_string_equal(boot_role_name(BOOT_ROLE_RAMDISK), "ramdisk");
	assert_string_equal(boot_role_name(BOOT_ROLE_DEVICE_TREE), "device-tree");
	assert_string_equal(boot_role_name(BOOT_ROLE_MICROCODE), "microcode");
	assert_string_equal(boot_role_name(BOOT_ROLE_XSM), "xsm-policy");
	assert_string_equal(boot_role_name((enum boot_module_role)-1), "?");
}

/* Bounds on uint64_t offsets: nothing near 2^64 slips through. */
static void test_window_bounds(void **state)
{
	(void)state;
	window(0x100);
	assert_ptr_equal(boot_win_at(&win, A(0), 0x100), copy);
	assert_ptr_equal(boot_win_at(&win, A(0x100), 0), copy + 0x100);
	assert_ptr_equal(boot_win_at(&win, A(0xff), 1), copy + 0xff);
	assert_null(boot_win_at(&win, A(0xff), 2));
	assert_null(boot_win_at(&win, A(0x101), 0));
	assert_null(boot_win_at(&win, MEM_PHYS - 1, 1));
	assert_null(boot_win_at(&win, A(0x10), UINT64_MAX));
	assert_null(boot_win_at(&win, UINT64_MAX, 2));
	assert_null(boot_win_at(NULL, A(0), 0));

	struct boot_window top = { mem, UINT64_MAX - 0xff, 0x100 };
	assert_ptr_equal(boot_win_at(&top, UINT64_MAX, 1), mem + 0xff);
	assert_null(boot_win_at(&top, UINT64_MAX, 2));
	assert_null(boot_win_at(&top, 0, 1));
}

static void test_strings(void **state)
{
	static uint8_t big[BOOT_CMDLINE_MAX + 2];
	const char *s = NULL;
	uint32_t n = 99;

	(void)state;
	assert_int_equal(boot_cstr((const uint8_t *)"ab\0cd", 5, 7, "x", &s, &n,
				   &fault), 0);
	assert_string_equal(s, "ab");
	assert_int_equal(n, 2);
	assert_int_equal(boot_cstr((const uint8_t *)"abc", 3, 7, "x", &s, &n,
				   &fault), FWK_ERR_TRUNCATED);
	expect_fault(FWK_ERR_TRUNCATED, FWK_ERR_TRUNCATED, "x", 7);
	assert_int_equal(boot_cstr(big, 0, 9, "y", &s, &n, &fault),
			 FWK_ERR_TRUNCATED);

	/* exactly BOOT_CMDLINE_MAX characters is fine, one more is not */
	memset(big, 'a', sizeof(big));
	big[BOOT_CMDLINE_MAX] = 0;
	assert_int_equal(boot_cstr(big, sizeof(big), 0, "x", &s, &n, &fault), 0);
	assert_int_equal(n, BOOT_CMDLINE_MAX);
	big[BOOT_CMDLINE_MAX] = 'a';
	big[BOOT_CMDLINE_MAX + 1] = 0;
	expect_fault(boot_cstr(big, sizeof(big), 3, "z", &s, &n, &fault),
		     FWK_ERR_LIMIT, "z", 3);

	window(0x20);
	memcpy(copy + 0x1c, "abcd", 4);
	expect_fault(boot_win_cstr(&win, A(0x1c), "w", &s, &n, &fault),
		     FWK_ERR_TRUNCATED, "w", A(0x1c));
	expect_fault(boot_win_cstr(&win, A(0x21), "w", &s, &n, &fault),
		     FWK_ERR_RANGE, "w", A(0x21));
	expect_fault(boot_win_cstr(&win, 5, "w", &s, &n, &fault),
		     FWK_ERR_RANGE, "w", 5);
}

static void test_module_checks(void **state)
{
	struct boot_module *m;

	(void)state;
	window(0x1000);
	boot_info_reset(&bi, BOOT_PROTO_NONE);
	assert_int_equal(bi.nmodules, 0);
	assert_string_equal(bi.cmdline, "");
	assert_ptr_equal(bi.modules, mods);
	assert_int_equal(bi.modules_cap, 8);

	m = boot_module_add(&bi, &win, A(0x100), 0x100, 0, "f", &fault); /* 0 */
	assert_ptr_equal(m->data, copy + 0x100);
	assert_string_equal(m->cmdline, "");
	boot_module_add(&bi, &win, A(0x180), 0x10, 0, "f", &fault);       /* 1 */
	boot_module_add(&bi, &win, UINT64_MAX - 1, 4, 0, "f", &fault);    /* 2 */
	boot_module_add(&bi, &win, A(0xf00), 0x101, 0, "f", &fault);      /* 3 */
	boot_module_add(&bi, &win, A(0x880), 0, 0, "f", &fault);          /* 4 */
	boot_module_add(&bi, &win, A(0x900), 0x10, 0, "f", &fault);       /* 5 */
	boot_module_add(&bi, &win, A(0x1f0), 0, 0, "f", &fault);          /* 6 */
	boot_module_add(&bi, NULL, 0x5000, 0x10, 0, "f", &fault);         /* 7 */
	assert_null(boot_module_add(&bi, &win, A(0), 1, 77, "cap", &fault));
	expect_fault(FWK_ERR_LIMIT, fault.error, "cap", 77);

	boot_mmap_add(&bi, MEM_PHYS, 0x800, BOOT_MEM_AVAILABLE, 0, "m", &fault);
	boot_mmap_add(&bi, A(0x800), 0x800, BOOT_MEM_RESERVED, 0, "m", &fault);
	boot_mmap_add(&bi, A(0x900), UINT64_MAX, BOOT_MEM_AVAILABLE, 0, "m",
		      &fault);
	boot_modules_check(&bi, true, A(0xc00), 0x40);

	expect_problem(0, "range overlaps another module", A(0x180));
	expect_problem(1, "range overlaps another module", A(0x180));
	expect_problem(2, "range wraps", UINT64_MAX - 1);
	expect_problem(3, "range outside the memory window", A(0xf00));
	expect_problem(4, "range not in available RAM", A(0x880));
	assert_null(mods[5].problem);                /* the wrapping map range */
	assert_ptr_equal(mods[5].data, copy + 0x900);
	assert_null(mods[6].problem);                /* empty: overlaps nothing */
	expect_problem(7, "range not in available RAM", 0x5000);

	/* the info structure, and the first problem found stays */
	boot_info_reset(&bi, BOOT_PROTO_NONE);
	boot_module_add(&bi, &win, A(0x100), 0x100, 0, "f", &fault);
	boot_module_add(&bi, &win, A(0x300), 0x100, 0, "f", &fault);
	boot_module_add(&bi, &win, A(0x3f0), 0x20, 0, "f", &fault);
	boot_modules_check(&bi, false, A(0x1f0), 0x20);
	expect_problem(0, "range overlaps the boot information", A(0x1f0));
	expect_problem(1, "range overlaps another module", A(0x3f0));
	expect_problem(2, "range overlaps another module", A(0x3f0));
	boot_module_problem(&mods[2], "cmdline too long", 5);
	expect_problem(2, "range overlaps another module", A(0x3f0));
	assert_string_equal(boot_cmdline_problem(FWK_ERR_LIMIT), "cmdline too long");
	assert_string_equal(boot_cmdline_problem(FWK_ERR_RANGE),
			    "cmdline outside the memory window");
	assert_string_equal(boot_cmdline_problem(FWK_ERR_TRUNCATED),
			    "cmdline not NUL-terminated");
}

static void test_caps(void **state)
{
	static struct boot_module many[BOOT_MODULES_MAX + 1];
	static struct boot_mem_range lots[BOOT_MMAP_MAX + 1];

	(void)state;
	window(0x10);
	bi.modules = many;
	bi.modules_cap = BOOT_MODULES_MAX + 1;
	bi.mmap = lots;
	bi.mmap_cap = BOOT_MMAP_MAX + 1;
	boot_info_reset(&bi, BOOT_PROTO_NONE);
	for (uint32_t i = 0; i < BOOT_MODULES_MAX; i++)
		assert_non_null(boot_module_add(&bi, &win, A(0), 0, 0, "f", &fault));
	assert_null(boot_module_add(&bi, &win, A(0), 0, 1, "f", &fault));
	expect_fault(FWK_ERR_LIMIT, fault.error, "f", 1);
	for (uint32_t i = 0; i < BOOT_MMAP_MAX; i++)
		assert_int_equal(boot_mmap_add(&bi, 0, 1, 1, 0, "m", &fault), 0);
	expect_fault(boot_mmap_add(&bi, 0, 1, 1, 2, "m", &fault), FWK_ERR_LIMIT,
		     "m", 2);
	bi.mmap = NULL;
	expect_fault(boot_mmap_add(&bi, 0, 1, 1, 3, "n", &fault), FWK_ERR_LIMIT,
		     "n", 3);
}

/* --- multiboot v1 -------------------------------------------------------- */

#define MB1_FLAGS 0x24du   /* meminfo, cmdline, mods, mmap, loader name */

/* A complete info structure: two modules, a three-range map. */
static void mb1_build(void)
{
	put32(INFO + 0, MB1_FLAGS);
	put32(INFO + 4, 639);
	put32(INFO + 8, 130048);
	put32(INFO + 12, 0x8000ffffu);   /* boot_device: not read */
	put32(INFO + 16, (uint32_t)A(0x400));
	put32(INFO + 20, 2);
	put32(INFO + 24, (uint32_t)A(0x500));
	put32(INFO + 44, 72);
	put32(INFO + 48, (uint32_t)A(0x600));
	put32(INFO + 64, (uint32_t)A(0x700));
	putstr(0x400, "kernel console=ttyS0");
	putstr(0x480, "dsdt.aml fwkit=acpi-table");
	putstr(0x700, "GRUB 2.06-13+deb12u1");
	/* modules: [0x1000, 0x1800) with a command line, [0x2000, 0x2100) */
	put32(0x500, (uint32_t)A(0x1000));
	put32(0x504, (uint32_t)A(0x1800));
	put32(0x508, (uint32_t)A(0x480));
	put32(0x510, (uint32_t)A(0x2000));
	put32(0x514, (uint32_t)A(0x2100));
	/* mmap: conventional, a BIOS hole, the RAM above 1 MiB */
	static const uint64_t map[3][3] = {
		{ 0, 0x9fc00, 1 }, { 0xf0000, 0x10000, 2 }, { 0x100000, 0x7f00000, 1 }
	};
	for (uint32_t i = 0; i < 3; i++) {
		uint32_t e = 0x600 + 24 * i;
		put32(e, 20);
		put64(e + 4, map[i][0]);
		put64(e + 12, map[i][1]);
		put32(e + 20, (uint32_t)map[i][2]);
	}
	for (uint32_t i = 0x1000; i < 0x2100; i++)
		mem[i] = (uint8_t)i;
}

static void test_mb1_valid(void **state)
{
	(void)state;
	mb1_build();
	assert_int_equal(mb1(MEM_SIZE), 2);
	assert_int_equal(bi.protocol, BOOT_PROTO_MULTIBOOT1);
	assert_int_equal(bi.mb1_flags, MB1_FLAGS);
	assert_true(bi.have_meminfo);
	assert_int_equal(bi.mem_lower_kib, 639);
	assert_int_equal(bi.mem_upper_kib, 130048);
	assert_string_equal(bi.cmdline, "kernel console=ttyS0");
	assert_int_equal(bi.cmdline_len, 20);
	assert_ptr_equal(bi.cmdline, (const char *)copy + 0x400);
	assert_string_equal(bi.loader_name, "GRUB 2.06-13+deb12u1");
	assert_int_equal(bi.loader_name_len, 20);
	assert_int_equal(bi.nmodules, 2);
	expect_module(0, A(0x1000), 0x800, "dsdt.aml fwkit=acpi-table");
	expect_module(1, A(0x2000), 0x100, "");
	assert_int_equal(bi.nmmap, 3);
	assert_int_equal(ranges[0].base, 0);
	assert_int_equal(ranges[0].length, 0x9fc00);
	assert_int_equal(ranges[0].type, BOOT_MEM_AVAILABLE);
	assert_int_equal(ranges[1].base, 0xf0000);
	assert_int_equal(ranges[1].type, BOOT_MEM_RESERVED);
	assert_int_equal(ranges[2].base, 0x100000);
	assert_int_equal(ranges[2].length, 0x7f00000);
	/* what multiboot v1 never fills */
	assert_null(bi.rsdp);
	assert_int_equal(bi.rsdp_len, 0);
	assert_int_equal(bi.rsdp_tag, 0);
	assert_int_equal(bi.rsdp_phys, 0);
	assert_false(bi.efi32 || bi.efi64 || bi.efi_mmap || bi.efi_boot_services);
	assert_int_equal(bi.efi_system_table, 0);
	assert_int_equal(bi.unknown_tags, 0);
	assert_int_equal(bi.pvh_version, 0);
	assert_ptr_equal(bi.modules, mods);
	assert_int_equal(bi.modules_cap, 8);
}

/* Only flags-selected fields are read: no flags, a 4-byte structure. */
static void test_mb1_flags_select(void **state)
{
	(void)state;
	put32(INFO, 0);
	assert_int_equal(mb1(A(INFO + 4) - MEM_PHYS), 0);
	assert_false(bi.have_meminfo);
	assert_string_equal(bi.cmdline, "");
	assert_string_equal(bi.loader_name, "");
	assert_int_equal(bi.nmmap, 0);

	/* bit 12 (framebuffer) makes it 116 bytes: 115 are not enough */
	put32(INFO, 1u << 12);
	assert_int_equal(mb1(INFO + 116), 0);
	expect_fault(mb1(INFO + 115), FWK_ERR_RANGE, "flags", A(INFO));
	/* bits 4 and 5 exclude each other */
	put32(INFO, 3u << 4);
	expect_fault(mb1(MEM_SIZE), FWK_ERR_BADFIELD, "flags", A(INFO));
	put32(INFO, 1u << 5);
	assert_int_equal(mb1(INFO + 44), 0);
	expect_fault(mb1(INFO + 43), FWK_ERR_RANGE, "flags", A(INFO));
	/* the structure outside the window */
	assert_int_equal(boot_parse_multiboot1(&win, MEM_PHYS - 4, &bi, &fault),
			 FWK_ERR_RANGE);
	expect_fault(boot_parse_multiboot1(&win, 0, &bi, &fault), FWK_ERR_RANGE,
		     "flags", 0);
	expect_fault(boot_parse_multiboot1(NULL, 0, &bi, &fault), FWK_ERR_INVAL,
		     "bi", 0);
	assert_int_equal(boot_parse_multiboot1(&win, 0, NULL, NULL), FWK_ERR_INVAL);
}

static void test_mb1_every_truncation(void **state)
{
	(void)state;
	mb1_build();
	/* everything the structure points to ends at 0x715, the loader
	 * name's NUL */
	for (uint32_t len = 0; len < 0x715; len++) {
		int rc = mb1(len);
		assert_true(rc < 0);
		assert_true(rc == FWK_ERR_RANGE || rc == FWK_ERR_TRUNCATED);
		assert_int_equal(fault.error, rc);
	}
	/* then the modules are cut: a problem each, never a fault */
	for (uint32_t len = 0x800; len < 0x2100; len += 0x80) {
		assert_int_equal(mb1(len), 2);
		assert_true(bi.modules[1].problem != NULL);
		assert_true(len >= 0x1800 || bi.modules[0].problem != NULL);
	}
}

static void test_mb1_strings(void **state)
{
	(void)state;
	mb1_build();
	put32(INFO + 16, 0x1000);                       /* below the window */
	expect_fault(mb1(MEM_SIZE), FWK_ERR_RANGE, "cmdline", 0x1000);
	put32(INFO + 16, (uint32_t)A(MEM_SIZE - 3));
	memset(mem + MEM_SIZE - 3, 'x', 3);             /* runs off the end */
	expect_fault(mb1(MEM_SIZE), FWK_ERR_TRUNCATED, "cmdline", A(MEM_SIZE - 3));
	put32(INFO + 16, (uint32_t)A(0x3000));
	memset(mem + 0x3000, 'y', BOOT_CMDLINE_MAX + 1);
	expect_fault(mb1(MEM_SIZE), FWK_ERR_LIMIT, "cmdline", A(0x3000));
	mem[0x3000 + BOOT_CMDLINE_MAX] = 0;
	assert_int_equal(mb1(MEM_SIZE), 2);
	assert_int_equal(bi.cmdline_len, BOOT_CMDLINE_MAX);

	put32(INFO + 64, (uint32_t)A(MEM_SIZE));
	expect_fault(mb1(MEM_SIZE), FWK_ERR_TRUNCATED, "boot_loader_name",
		     A(MEM_SIZE));
}

static void test_mb1_mods(void **state)
{
	(void)state;
	mb1_build();
	put32(INFO + 20, 100000);
	expect_fault(mb1(MEM_SIZE), FWK_ERR_LIMIT, "mods_count", A(INFO + 20));
	put32(INFO + 20, BOOT_MODULES_MAX + 1);
	expect_fault(mb1(MEM_SIZE), FWK_ERR_LIMIT, "mods_count", A(INFO + 20));
	/* more than the caller's array */
	put32(INFO + 20, 9);
	expect_fault(mb1(MEM_SIZE), FWK_ERR_LIMIT, "mods_count", A(0x500 + 8 * 16));
	put32(INFO + 20, 2);
	bi.modules_cap = 1;
	expect_fault(mb1(MEM_SIZE), FWK_ERR_LIMIT, "mods_count", A(0x510));
	bi.modules_cap = 8;
	/* the array outside the window, or running past its end */
	put32(INFO + 24, 0x500);
	expect_fault(mb1(MEM_SIZE), FWK_ERR_RANGE, "mods_addr", 0x500);
	put32(INFO + 24, (uint32_t)A(MEM_SIZE - 16));
	expect_fault(mb1(MEM_SIZE), FWK_ERR_RANGE, "mods_count", A(MEM_SIZE - 16));
	put32(INFO + 24, 0xfffffff8u);
	expect_fault(mb1(MEM_SIZE), FWK_ERR_RANGE, "mods_addr", 0xfffffff8u);
	/* no modules, no array needed */
	put32(INFO + 20, 0);
	assert_int_equal(mb1(MEM_SIZE), 0);
}

static void test_mb1_module_problems(void **state)
{
	(void)state;
	mb1_build();
	put32(INFO + 20, 6);
	/* 2: outside the window; 3: end before start; 4: overlaps 5; 6 and
	 * 7 are 4 and 5 */
	put32(0x520, 0x1000);
	put32(0x524, 0x2000);
	put32(0x530, (uint32_t)A(0x3000));
	put32(0x534, (uint32_t)A(0x2fff));
	put32(0x540, (uint32_t)A(0x4000));
	put32(0x544, (uint32_t)A(0x4100));
	put32(0x550, (uint32_t)A(0x40ff));
	put32(0x554, (uint32_t)A(0x4200));
	assert_int_equal(mb1(MEM_SIZE), 6);
	expect_module(0, A(0x1000), 0x800, "dsdt.aml fwkit=acpi-table");
	expect_module(1, A(0x2000), 0x100, "");
	expect_problem(2, "range outside the memory window", 0x1000);
	expect_problem(3, "mod_end before mod_start", A(0x534));
	assert_int_equal(mods[3].size, 0);
	expect_problem(4, "range overlaps another module", A(0x40ff));
	expect_problem(5, "range overlaps another module", A(0x40ff));

	/* over the info structure; not in available RAM */
	put32(0x520, (uint32_t)A(INFO + 0x40));
	put32(0x524, (uint32_t)A(INFO + 0x50));
	put32(0x600 + 48 + 20, 2);     /* the RAM above 1 MiB now reserved */
	put32(INFO + 20, 3);
	assert_int_equal(mb1(MEM_SIZE), 3);
	expect_problem(0, "range not in available RAM", A(0x1000));
	expect_problem(2, "range not in available RAM", A(INFO + 0x40));
	put32(INFO, MB1_FLAGS & ~0x40u);    /* no map: no RAM check */
	assert_int_equal(mb1(MEM_SIZE), 3);
	assert_int_equal(bi.nmmap, 0);
	assert_null(mods[0].problem);
	expect_problem(2, "range overlaps the boot information", A(INFO + 0x40));
}

static void test_mb1_module_cmdlines(void **state)
{
	(void)state;
	mb1_build();
	put32(0x518, (uint32_t)A(MEM_SIZE - 2));
	memset(mem + MEM_SIZE - 2, 'z', 2);
	assert_int_equal(mb1(MEM_SIZE), 2);
	expect_problem(1, "cmdline not NUL-terminated", A(MEM_SIZE - 2));
	assert_string_equal(mods[1].cmdline, "");
	put32(0x518, 0x200);
	assert_int_equal(mb1(MEM_SIZE), 2);
	expect_problem(1, "cmdline outside the memory window", 0x200);
	put32(0x518, (uint32_t)A(0x3000));
	memset(mem + 0x3000, 'q', 0x1400);
	assert_int_equal(mb1(MEM_SIZE), 2);
	expect_problem(1, "cmdline too long", A(0x3000));
	expect_module(0, A(0x1000), 0x800, "dsdt.aml fwkit=acpi-table");
}

static void test_mb1_mmap(void **state)
{
	(void)state;
	mb1_build();
	put32(INFO + 48, 0x600);
	expect_fault(mb1(MEM_SIZE), FWK_ERR_RANGE, "mmap_addr", 0x600);
	put32(INFO + 48, (uint32_t)A(MEM_SIZE - 48));
	expect_fault(mb1(MEM_SIZE), FWK_ERR_RANGE, "mmap_length", A(MEM_SIZE - 48));
	put32(INFO + 48, (uint32_t)A(0x600));
	/* an entry's size below 20, or past mmap_length */
	put32(0x618, 19);
	expect_fault(mb1(MEM_SIZE), FWK_ERR_BADFIELD, "mmap entry size", A(0x618));
	put32(0x618, 45);
	expect_fault(mb1(MEM_SIZE), FWK_ERR_RANGE, "mmap entry size", A(0x618));
	/* a larger size is stepped over: entry 1 swallows entry 2 */
	put32(0x618, 44);
	assert_int_equal(mb1(MEM_SIZE), 2);
	assert_int_equal(bi.nmmap, 2);
	assert_int_equal(ranges[1].base, 0xf0000);
	/* leftover bytes that cannot hold a size field */
	put32(0x618, 20);
	put32(INFO + 44, 72 + 3);
	expect_fault(mb1(MEM_SIZE), FWK_ERR_TRUNCATED, "mmap_length", A(0x600 + 72));
	put32(INFO + 44, 72 + 24);      /* an entry of zeros: size 0 */
	expect_fault(mb1(MEM_SIZE), FWK_ERR_BADFIELD, "mmap entry size", A(0x648));
	/* more ranges than the caller's array */
	put32(INFO + 44, 72);
	bi.mmap_cap = 2;
	expect_fault(mb1(MEM_SIZE), FWK_ERR_LIMIT, "mmap_length", A(0x630));
	bi.mmap_cap = 8;
	/* an empty map, wherever it is, is no map: no RAM check */
	put32(INFO + 44, 0);
	put32(INFO + 48, 0xfffffff0u);
	assert_int_equal(mb1(MEM_SIZE), 2);
	assert_int_equal(bi.nmmap, 0);
	assert_null(mods[0].problem);
}

/* --- multiboot2 ---------------------------------------------------------- */

static uint32_t mb2_at;   /* where the next tag goes (offset in mem) */

static uint32_t align8(uint32_t v)
{
	return (v + 7u) & ~7u;
}

static void mb2_begin(void)
{
	mb2_at = INFO + 8;
}

/* A tag: header, payload; returns its offset in mem. */
static uint32_t mb2_tag(uint32_t type, const void *payload, uint32_t len)
{
	uint32_t at = mb2_at;

	put32(at, type);
	put32(at + 4, 8 + len);
	if (len)
		memcpy(mem + at + 8, payload, len);
	mb2_at = align8(at + 8 + len);
	return at;
}

static uint32_t mb2_end(void)
{
	uint32_t at = mb2_tag(0, NULL, 0);

	put32(INFO, mb2_at - INFO);
	return at;
}

static uint32_t mb2_string(uint32_t type, const char *s)
{
	return mb2_tag(type, s, (uint32_t)strlen(s) + 1);
}

static uint32_t mb2_module(uint32_t start, uint32_t end, const char *s)
{
	uint8_t p[64];

	for (int i = 0; i < 4; i++) {
		p[i] = (uint8_t)(start >> 8 * i);
		p[4 + i] = (uint8_t)(end >> 8 * i);
	}
	memcpy(p + 8, s, strlen(s) + 1);
	return mb2_tag(3, p, 8 + (uint32_t)strlen(s) + 1);
}

static void le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> 8 * i);
}

/* An RSDP of revision 0 (20 bytes) or 2 (36 bytes), checksums right. */
static void rsdp(uint8_t *r, int rev)
{
	memset(r, 0, 36);
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "BOCHS ", 6);
	r[15] = (uint8_t)rev;
	le(r + 16, 0x7fe14d2, 4);
	r[8] = (uint8_t)(0x100 - acpi_checksum(r, 20));
	if (rev < 2)
		return;
	le(r + 20, 36, 4);
	le(r + 24, 0x7fe1500, 8);
	r[32] = (uint8_t)(0x100 - acpi_checksum(r, 36));
}

struct mb2_layout {
	uint32_t cmdline, loader, mod0, mod1, meminfo, mmap, efi64, acpi_old,
		acpi_new, fb, unknown, end;
};

static struct mb2_layout mb2_build(void)
{
	struct mb2_layout l;
	uint8_t p[96];

	mb2_begin();
	l.cmdline = mb2_string(1, "fwkit.log=debug");
	l.loader = mb2_string(2, "GRUB 2.06-13+deb12u1");
	l.mod0 = mb2_module((uint32_t)A(0x1000), (uint32_t)A(0x1800), "ucode.bin fwkit=ucode");
	l.mod1 = mb2_module((uint32_t)A(0x2000), (uint32_t)A(0x2000), "");
	le(p, 639, 4);
	le(p + 4, 130048, 4);
	l.meminfo = mb2_tag(4, p, 8);
	le(p, 24, 4);
	le(p + 4, 0, 4);
	static const uint64_t map[3][3] = {
		{ 0, 0x9fc00, 1 }, { 0xf0000, 0x10000, 2 }, { 0x100000, 0x7f00000, 1 }
	};
	for (int i = 0; i < 3; i++) {
		le(p + 8 + 24 * i, map[i][0], 8);
		le(p + 16 + 24 * i, map[i][1], 8);
		le(p + 24 + 24 * i, map[i][2], 4);
		le(p + 28 + 24 * i, 0, 4);
	}
	l.mmap = mb2_tag(6, p, 8 + 72);
	le(p, 0x7f9ee018, 8);
	l.efi64 = mb2_tag(12, p, 8);
	rsdp(p, 0);
	l.acpi_old = mb2_tag(14, p, 20);
	rsdp(p, 2);
	l.acpi_new = mb2_tag(15, p, 36);
	memset(p, 0xee, 22);
	l.fb = mb2_tag(8, p, 22);           /* known, skipped */
	l.unknown = mb2_tag(77, p, 5);      /* unknown, skipped */
	l.end = mb2_end();
	for (uint32_t i = 0x1000; i < 0x1800; i++)
		mem[i] = (uint8_t)(i * 7);
	return l;
}

static void test_mb2_valid(void **state)
{
	struct mb2_layout l;

	(void)state;
	l = mb2_build();
	assert_int_equal(mb2(MEM_SIZE), 2);
	assert_int_equal(bi.protocol, BOOT_PROTO_MULTIBOOT2);
	assert_string_equal(bi.cmdline, "fwkit.log=debug");
	assert_int_equal(bi.cmdline_len, 15);
	assert_ptr_equal(bi.cmdline, (const char *)copy + l.cmdline + 8);
	assert_string_equal(bi.loader_name, "GRUB 2.06-13+deb12u1");
	assert_int_equal(bi.loader_name_len, 20);
	expect_module(0, A(0x1000), 0x800, "ucode.bin fwkit=ucode");
	expect_module(1, A(0x2000), 0, "");
	assert_true(bi.have_meminfo);
	assert_int_equal(bi.mem_lower_kib, 639);
	assert_int_equal(bi.mem_upper_kib, 130048);
	assert_int_equal(bi.nmmap, 3);
	assert_int_equal(ranges[0].length, 0x9fc00);
	assert_int_equal(ranges[1].base, 0xf0000);
	assert_int_equal(ranges[1].type, 2);
	assert_int_equal(ranges[2].base, 0x100000);
	assert_int_equal(ranges[2].length, 0x7f00000);
	assert_int_equal(ranges[2].type, 1);
	assert_true(bi.efi64);
	assert_false(bi.efi32 || bi.efi_mmap || bi.efi_boot_services);
	assert_int_equal(bi.efi_system_table, 0x7f9ee018);
	assert_int_equal(bi.efi_image_handle, 0);
	/* the ACPI 2.0 copy wins over the 1.0 one */
	assert_ptr_equal(bi.rsdp, copy + l.acpi_new + 8);
	assert_int_equal(bi.rsdp_len, 36);
	assert_int_equal(bi.rsdp_tag, 15);
	assert_int_equal(bi.rsdp_phys, 0);
	assert_int_equal(bi.unknown_tags, 1);
	assert_int_equal(bi.mb1_flags, 0);
	assert_int_equal(bi.pvh_version, 0);
	assert_int_equal(A(l.end + 8), A(INFO) + fwk_le32(mem + INFO));
}

/* The EFI tags and the old RSDP alone. */
static void test_mb2_efi_tags(void **state)
{
	uint8_t p[40];

	(void)state;
	mb2_begin();
	le(p, 0x7fab1234, 4);
	mb2_tag(11, p, 4);
	le(p, 0xdead0000beef, 8);
	mb2_tag(20, p, 8);
	le(p, 0x1234, 4);
	mb2_tag(19, p, 4);
	memset(p, 0, 16);
	mb2_tag(17, p, 16);
	mb2_tag(18, NULL, 0);
	rsdp(p, 0);
	uint32_t old = mb2_tag(14, p, 20);
	mb2_end();
	assert_int_equal(mb2(MEM_SIZE), 0);
	assert_true(bi.efi32 && bi.efi_mmap && bi.efi_boot_services);
	assert_false(bi.efi64);
	assert_int_equal(bi.efi_system_table, 0x7fab1234);
	assert_int_equal(bi.efi_image_handle, 0x1234);
	assert_ptr_equal(bi.rsdp, copy + old + 8);
	assert_int_equal(bi.rsdp_len, 20);
	assert_int_equal(bi.rsdp_tag, 14);
	assert_false(bi.have_meminfo);
	assert_string_equal(bi.cmdline, "");
	assert_string_equal(bi.loader_name, "");
	assert_int_equal(bi.nmmap, 0);
	assert_int_equal(bi.unknown_tags, 0);
}

static void test_mb2_every_truncation(void **state)
{
	struct mb2_layout l;

	(void)state;
	l = mb2_build();
	uint32_t end = l.end + 8;
	/* the window cut inside the block */
	for (uint32_t len = 0; len < end; len++) {
		int rc = mb2(len);
		assert_int_equal(rc, FWK_ERR_RANGE);
		assert_string_equal(fault.field, "total_size");
		assert_int_equal(fault.offset, A(INFO));
	}
	/* total_size cut short at every multiple of 8 */
	for (uint32_t t = 0; t < end - INFO; t += 8) {
		put32(INFO, t);
		int rc = mb2(MEM_SIZE);
		assert_true(rc == FWK_ERR_TRUNCATED || rc == FWK_ERR_RANGE);
		assert_int_equal(fault.error, rc);
		assert_true(fault.offset >= A(INFO) && fault.offset < A(INFO) + t + 8);
	}
	/* and not a multiple of 8 */
	put32(INFO, end - INFO - 1);
	expect_fault(mb2(MEM_SIZE), FWK_ERR_BADFIELD, "total_size", A(INFO));
	put32(INFO, 15);
	expect_fault(mb2(MEM_SIZE), FWK_ERR_TRUNCATED, "total_size", A(INFO));
	/* the smallest block: the end tag alone */
	mb2_begin();
	mb2_end();
	assert_int_equal(mb2(INFO + 16), 0);
}

static void test_mb2_placement(void **state)
{
	(void)state;
	mb2_build();
	window(MEM_SIZE);
	expect_fault(boot_parse_multiboot2(&win, A(INFO + 4), &bi, &fault),
		     FWK_ERR_BADFIELD, "total_size", A(INFO + 4));
	expect_fault(boot_parse_multiboot2(&win, 0x8000, &bi, &fault),
		     FWK_ERR_RANGE, "total_size", 0x8000);
	expect_fault(boot_parse_multiboot2(&win, A(MEM_SIZE), &bi, &fault),
		     FWK_ERR_RANGE, "total_size", A(MEM_SIZE));
	expect_fault(boot_parse_multiboot2(&win, UINT64_MAX - 7, &bi, &fault),
		     FWK_ERR_RANGE, "total_size", UINT64_MAX - 7);
	put32(INFO, 0xfffffff8u);
	expect_fault(mb2(MEM_SIZE), FWK_ERR_RANGE, "total_size", A(INFO));
	assert_int_equal(boot_parse_multiboot2(NULL, A(INFO), &bi, &fault),
			 FWK_ERR_INVAL);
}

static void test_mb2_tag_sizes(void **state)
{
	struct mb2_layout l;

	(void)state;
	l = mb2_build();
	put32(l.loader + 4, 7);
	expect_fault(mb2(MEM_SIZE), FWK_ERR_BADFIELD, "tag size", A(l.loader + 4));
	put32(l.loader + 4, 0);
	expect_fault(mb2(MEM_SIZE), FWK_ERR_BADFIELD, "tag size", A(l.loader + 4));
	/* past total_size (lengths past the end) */
	l = mb2_build();
	put32(l.fb + 4, l.end + 16 - l.fb);
	expect_fault(mb2(MEM_SIZE), FWK_ERR_RANGE, "tag size", A(l.fb + 4));
	put32(l.fb + 4, 0xfffffff0u);
	expect_fault(mb2(MEM_SIZE), FWK_ERR_RANGE, "tag size", A(l.fb + 4));
	/* a tag overlapping the end tag: no end tag is left */
	mb2_build();
	put32(l.unknown + 4, l.end + 8 - l.unknown);
	expect_fault(mb2(MEM_SIZE), FWK_ERR_TRUNCATED, "end tag", A(l.end + 8));
	/* a tag overlapping the next: the walk lands inside its payload */
	mb2_build();
	put32(l.cmdline + 4, l.loader + 16 - l.cmdline);
	put32(l.loader + 16, 99);
	put32(l.loader + 20, 3);
	expect_fault(mb2(MEM_SIZE), FWK_ERR_BADFIELD, "tag size", A(l.loader + 20));
	/* fixed fields that do not fit the tag */
	l = mb2_build();
	put32(l.mod0 + 4, 15);
	expect_fault(mb2(MEM_SIZE), FWK_ERR_TRUNCATED, "tag size", A(l.mod0 + 4));
	l = mb2_build();
	put32(l.meminfo + 4, 12);
	expect_fault(mb2(MEM_SIZE), FWK_ERR_TRUNCATED, "tag size", A(l.meminfo + 4));
	l = mb2_build();
	put32(l.mmap + 4, 15);
	expect_fault(mb2(MEM_SIZE), FWK_ERR_TRUNCATED, "tag size", A(l.mmap + 4));
	l = mb2_build();
	put32(l.efi64 + 4, 12);
	expect_fault(mb2(MEM_SIZE), FWK_ERR_TRUNCATED, "tag size", A(l.efi64 + 4));
	l = mb2_build();
	put32(l.acpi_old + 4, 27);
	expect_fault(mb2(MEM_SIZE), FWK_ERR_TRUNCATED, "tag size", A(l.acpi_old + 4));
}

static void test_mb2_end_tag(void **state)
{
	struct mb2_layout l;

	(void)state;
	l = mb2_build();
	put32(l.end + 4, 16);
	put32(INFO, fwk_le32(mem + INFO) + 8);
	expect_fault(mb2(MEM_SIZE), FWK_ERR_BADFIELD, "end tag", A(l.end));
	/* an end tag before total_size: tags after it would be lost */
	l = mb2_build();
	put32(l.fb, 0);
	put32(l.fb + 4, 8);
	expect_fault(mb2(MEM_SIZE), FWK_ERR_BADFIELD, "end tag", A(l.fb));
}

static void test_mb2_repeated(void **state)
{
	static const uint32_t once[] = { 1, 2, 4, 6, 14, 15 };
	uint8_t p[40];

	(void)state;
	for (unsigned i = 0; i < sizeof(once) / sizeof(once[0]); i++) {
		uint32_t t = once[i], len = 8, second;

		memset(p, 0, sizeof(p));
		if (t == 6) {
			le(p, 24, 4);
			len = 8 + 24;
		} else if (t >= 14) {
			rsdp(p, t == 14 ? 0 : 2);
			len = t == 14 ? 20 : 36;
		}
		mb2_begin();
		mb2_tag(t, p, len);
		mb2_tag(3, "\0\0\0\0\0\0\0\0", 9);
		second = mb2_tag(t, p, len);
		mb2_end();
		expect_fault(mb2(MEM_SIZE), FWK_ERR_BADFIELD, "tag type", A(second));
		/* once is fine */
		put32(second, 99);
		assert_int_equal(mb2(MEM_SIZE), 1);
	}
	/* two modules and an unknown tag are fine */
	mb2_build();
	assert_int_equal(mb2(MEM_SIZE), 2);
}

static void test_mb2_mmap(void **state)
{
	struct mb2_layout l;

	(void)state;
	l = mb2_build();
	put32(l.mmap + 8, 20);
	expect_fault(mb2(MEM_SIZE), FWK_ERR_BADFIELD, "entry_size", A(l.mmap + 8));
	put32(l.mmap + 8, 28);
	expect_fault(mb2(MEM_SIZE), FWK_ERR_BADFIELD, "entry_size", A(l.mmap + 8));
	put32(l.mmap + 8, 0);
	expect_fault(mb2(MEM_SIZE), FWK_ERR_BADFIELD, "entry_size", A(l.mmap + 8));
	/* 72 bytes of entries are not a whole number of 32-byte ones */
	put32(l.mmap + 8, 32);
	expect_fault(mb2(MEM_SIZE), FWK_ERR_BADFIELD, "tag size", A(l.mmap + 4));
	/* 72 = 3 x 24 = 1 x 72: one entry of a later, longer version */
	put32(l.mmap + 8, 72);
	put32(l.mmap + 12, 1);
	assert_int_equal(mb2(MEM_SIZE), 2);
	assert_int_equal(bi.nmmap, 1);
	assert_int_equal(ranges[0].length, 0x9fc00);
	/* the modules are not in available RAM now, the empty one neither */
	expect_problem(0, "range not in available RAM", A(0x1000));
	expect_problem(1, "range not in available RAM", A(0x2000));
	put32(l.mmap + 8, 24);
	bi.mmap_cap = 2;
	expect_fault(mb2(MEM_SIZE), FWK_ERR_LIMIT, "mmap", A(l.mmap + 16 + 48));
}

static void test_mb2_rsdp(void **state)
{
	struct mb2_layout l;

	(void)state;
	l = mb2_build();
	mem[l.acpi_old + 8] = 'r';
	expect_fault(mb2(MEM_SIZE), FWK_ERR_BADMAGIC, "rsdp", A(l.acpi_old + 8));
	l = mb2_build();
	mem[l.acpi_old + 8 + 9] ^= 1;
	expect_fault(mb2(MEM_SIZE), FWK_ERR_CHECKSUM, "rsdp", A(l.acpi_old + 16));
	l = mb2_build();
	mem[l.acpi_new + 8 + 30] ^= 1;   /* the extended part only */
	assert_int_equal(mb2(MEM_SIZE), FWK_ERR_CHECKSUM);
	assert_string_equal(fault.field, "rsdp");
	assert_int_equal(fault.offset, A(l.acpi_new + 8 + 32));
	l = mb2_build();
	mem[l.acpi_new + 8 + 3] = 'x';
	expect_fault(mb2(MEM_SIZE), FWK_ERR_BADMAGIC, "rsdp", A(l.acpi_new + 8));
	/* Length past what the tag carries */
	l = mb2_build();
	mem[l.acpi_new + 8 + 20] = 40;
	assert_true(mb2(MEM_SIZE) < 0);
	assert_string_equal(fault.field, "rsdp");
	/* a revision-2 RSDP in the old tag: only its first 20 bytes count */
	l = mb2_build();
	uint8_t r[36];
	rsdp(r, 2);
	memcpy(mem + l.acpi_old + 8, r, 20);
	put32(l.acpi_new, 99);
	assert_int_equal(mb2(MEM_SIZE), 2);
	assert_int_equal(bi.rsdp_tag, 14);
	assert_int_equal(bi.rsdp_len, 20);
	assert_int_equal(bi.unknown_tags, 2);
}

static void test_mb2_strings(void **state)
{
	struct mb2_layout l;

	(void)state;
	l = mb2_build();
	mem[l.cmdline + 8 + 15] = 'x';   /* the NUL; padding follows */
	expect_fault(mb2(MEM_SIZE), FWK_ERR_TRUNCATED, "cmdline", A(l.cmdline + 8));
	l = mb2_build();
	mem[l.loader + 8 + 20] = '!';
	expect_fault(mb2(MEM_SIZE), FWK_ERR_TRUNCATED, "boot_loader_name",
		     A(l.loader + 8));
	/* a command line of BOOT_CMDLINE_MAX + 1 characters */
	static char big[BOOT_CMDLINE_MAX + 2];
	memset(big, 'k', BOOT_CMDLINE_MAX + 1);
	mb2_begin();
	uint32_t c = mb2_string(1, big);
	mb2_end();
	expect_fault(mb2(MEM_SIZE), FWK_ERR_LIMIT, "cmdline", A(c + 8));
	big[BOOT_CMDLINE_MAX] = 0;
	mb2_begin();
	mb2_string(1, big);
	mb2_end();
	assert_int_equal(mb2(MEM_SIZE), 0);
	assert_int_equal(bi.cmdline_len, BOOT_CMDLINE_MAX);
	/* a module's bad command line is its problem */
	reset(state);
	l = mb2_build();
	mem[l.mod0 + 16 + 21] = 'u';
	assert_int_equal(mb2(MEM_SIZE), 2);
	expect_problem(0, "cmdline not NUL-terminated", A(l.mod0 + 16));
	assert_string_equal(mods[0].cmdline, "");
	expect_module(1, A(0x2000), 0, "");
	/* no room for even the NUL */
	mb2_begin();
	uint8_t p[8] = { 0 };
	le(p, A(0x1000), 4);
	le(p + 4, A(0x1001), 4);
	uint32_t m = mb2_tag(3, p, 8);
	mb2_end();
	assert_int_equal(mb2(MEM_SIZE), 1);
	expect_problem(0, "cmdline not NUL-terminated", A(m + 16));
	assert_int_equal(mods[0].size, 1);
}

static void test_mb2_modules(void **state)
{
	(void)state;
	mb2_begin();
	uint32_t m[6];
	m[0] = mb2_module((uint32_t)A(0x1000), (uint32_t)A(0x1100), "a");
	m[1] = mb2_module(0x1000, 0x2000, "b");
	m[2] = mb2_module((uint32_t)A(0x7f00), (uint32_t)A(0x8001), "c");
	m[3] = mb2_module((uint32_t)A(0x3000), (uint32_t)A(0x2000), "d");
	m[4] = mb2_module((uint32_t)A(0x10f0), (uint32_t)A(0x1200), "e");
	m[5] = mb2_module((uint32_t)A(INFO + 8), (uint32_t)A(INFO + 9), "f");
	mb2_end();
	assert_int_equal(mb2(MEM_SIZE), 6);
	expect_problem(0, "range overlaps another module", A(0x10f0));
	assert_string_equal(mods[0].cmdline, "a");
	expect_problem(1, "range outside the memory window", 0x1000);
	assert_string_equal(mods[1].cmdline, "b");
	expect_problem(2, "range outside the memory window", A(0x7f00));
	expect_problem(3, "mod_end before mod_start", A(m[3] + 12));
	expect_problem(4, "range overlaps another module", A(0x10f0));
	expect_problem(5, "range overlaps the boot information", A(INFO + 8));
	/* more module tags than the caller's array */
	bi.modules_cap = 5;
	expect_fault(mb2(MEM_SIZE), FWK_ERR_LIMIT, "module tag", A(m[5] + 8));
}

/* An absurd count: BOOT_MODULES_MAX module tags pass, one more does not. */
static void test_mb2_absurd_count(void **state)
{
	static struct boot_module many[BOOT_MODULES_MAX + 8];
	uint32_t last = 0;

	(void)state;
	bi.modules = many;
	bi.modules_cap = BOOT_MODULES_MAX + 8;
	mb2_begin();
	for (uint32_t i = 0; i <= BOOT_MODULES_MAX; i++)
		last = mb2_module((uint32_t)A(0x4000 + 4 * i),
				  (uint32_t)A(0x4004 + 4 * i), "");
	mb2_end();
	assert_true(mb2_at < 0x4000);
	expect_fault(mb2(MEM_SIZE), FWK_ERR_LIMIT, "module tag", A(last + 8));
	put32(last, 99);
	assert_int_equal(mb2(MEM_SIZE), (int)BOOT_MODULES_MAX);
	assert_int_equal(bi.unknown_tags, 1);
	for (uint32_t i = 0; i < BOOT_MODULES_MAX; i++)
		assert_null(many[i].problem);
}

/* A real block: GRUB's multiboot2 information captured by the test kernel
 * (integration/testkernel) into tests/hyp/data/grub-mbi2.bin. */
static void test_mb2_grub(void **state)
{
	const char *root = getenv("FWKIT_ROOT");
	char path[4096];
	size_t len;

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/hyp/data/grub-mbi2.bin",
		 root ? root : ".");
	uint8_t *b = slurp(path, &len);   /* fails the test when missing */
	struct boot_window w = { b, 0x10000, len };

	assert_true(len >= 16 && fwk_le32(b) == len);
	int rc = boot_parse_multiboot2(&w, 0x10000, &bi, &fault);
	assert_true(rc >= 0);
	assert_int_equal(memcmp(bi.loader_name, "GRUB", 4), 0);
	assert_true(bi.rsdp_tag == 14 || bi.rsdp_tag == 15);
	assert_int_equal(memcmp(bi.rsdp, "RSD PTR ", 8), 0);
	assert_true(bi.nmmap >= 2);
	bool ram = false;
	for (uint32_t i = 0; i < bi.nmmap; i++)
		ram |= ranges[i].type == BOOT_MEM_AVAILABLE && ranges[i].length > 0;
	assert_true(ram);
	assert_true(bi.have_meminfo);
	assert_true(bi.mem_lower_kib > 0 && bi.mem_lower_kib <= 640);
	assert_int_equal(acpi_checksum(bi.rsdp, ACPI_RSDP_V1_SIZE), 0);
	assert_true(bi.rsdp >= b + 16 && bi.rsdp + bi.rsdp_len <= b + len);
	/* the modules lie outside this window: each says so, and keeps the
	 * command line read from its tag */
	assert_true(bi.nmodules >= 1);
	for (uint32_t i = 0; i < bi.nmodules; i++) {
		expect_problem(i, "range outside the memory window", mods[i].start);
		assert_int_equal(strlen(mods[i].cmdline), mods[i].cmdline_len);
		assert_true(mods[i].size > 0);
	}
	assert_int_equal(bi.unknown_tags, 0);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_names, reset, release),
		cmocka_unit_test_setup_teardown(test_window_bounds, reset, release),
		cmocka_unit_test_setup_teardown(test_strings, reset, release),
		cmocka_unit_test_setup_teardown(test_module_checks, reset, release),
		cmocka_unit_test_setup_teardown(test_caps, reset, release),
		cmocka_unit_test_setup_teardown(test_mb1_valid, reset, release),
		cmocka_unit_test_setup_teardown(test_mb1_flags_select, reset, release),
		cmocka_unit_test_setup_teardown(test_mb1_every_truncation, reset, release),
		cmocka_unit_test_setup_teardown(test_mb1_strings, reset, release),
		cmocka_unit_test_setup_teardown(test_mb1_mods, reset, release),
		cmocka_unit_test_setup_teardown(test_mb1_module_problems, reset, release),
		cmocka_unit_test_setup_teardown(test_mb1_module_cmdlines, reset, release),
		cmocka_unit_test_setup_teardown(test_mb1_mmap, reset, release),
		cmocka_unit_test_setup_teardown(test_mb2_valid, reset, release),
		cmocka_unit_test_setup_teardown(test_mb2_efi_tags, reset, release),
		cmocka_unit_test_setup_teardown(test_mb2_every_truncation, reset, release),
		cmocka_unit_test_setup_teardown(test_mb2_placement, reset, release),
		cmocka_unit_test_setup_teardown(test_mb2_tag_sizes, reset, release),
		cmocka_unit_test_setup_teardown(test_mb2_end_tag, reset, release),
		cmocka_unit_test_setup_teardown(test_mb2_repeated, reset, release),
		cmocka_unit_test_setup_teardown(test_mb2_mmap, reset, release),
		cmocka_unit_test_setup_teardown(test_mb2_rsdp, reset, release),
		cmocka_unit_test_setup_teardown(test_mb2_strings, reset, release),
		cmocka_unit_test_setup_teardown(test_mb2_modules, reset, release),
		cmocka_unit_test_setup_teardown(test_mb2_absurd_count, reset, release),
		cmocka_unit_test_setup_teardown(test_mb2_grub, reset, release),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

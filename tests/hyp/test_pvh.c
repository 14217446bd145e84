/* SPDX-License-Identifier: MIT */
/* test_pvh.c - cmocka tests of the PVH hvm_start_info parser: versions 0
 * and 1 with every field read from a buffer standing for physical memory
 * (below and above 4 GiB), one test per malformed class with its exact
 * fault or module problem, and every truncation of a valid start info. */
#define MEM_PHYS 0x200000u   /* not 0: window-relative mistakes show */
#define MEM_SIZE 0x4000u
#define INFO 0x100u       /* hvm_start_info */
#define MODLIST 0x200u    /* two hvm_modlist_entry */
#define CMDLINE 0x300u
#define MODCMD 0x380u
#define MEMMAP 0x400u     /* three hvm_memmap_table_entry */
#define LAYOUT_END (MEMMAP + 3 * 24u)

#include "hypkit.h"

/* Parse with a window of the first wlen bytes, an exact heap copy. */
static int pvh(uint64_t wlen)
{
	window(wlen);
	return boot_parse_pvh(&win, A(INFO), &bi, &fault);
}

/* Version 1: two modules (one with a command line, one empty), a command
 * line, an RSDP address and a three-range memory map. */
static void build(void)
{
	put32(INFO + 0, PVH_START_MAGIC);
	put32(INFO + 4, 1);
	put32(INFO + 8, 0);
	put32(INFO + 12, 2);
	put64(INFO + 16, A(MODLIST));
	put64(INFO + 24, A(CMDLINE));
	put64(INFO + 32, 0xf5a40);
	put64(INFO + 40, A(MEMMAP));
	put32(INFO + 48, 3);
	put32(INFO + 52, 0);
	put64(MODLIST + 0, A(0x1000));
	put64(MODLIST + 8, 0x800);
	put64(MODLIST + 16, A(MODCMD));
	put64(MODLIST + 32, A(0x2000));
	put64(MODLIST + 40, 0);
	put64(MODLIST + 48, 0);
	memcpy(mem + CMDLINE, "console=hvc0 fwkit.log=1", 25);
	memcpy(mem + MODCMD, "initrd.img fwkit=cpio", 22);
	const uint64_t map[3][3] = {
		{ 0, 0xa0000, 1 }, { 0xf0000, 0x10000, 2 }, { 0x100000, A(0x100000), 1 }
	};
	for (uint32_t i = 0; i < 3; i++) {
		put64(MEMMAP + 24 * i, map[i][0]);
		put64(MEMMAP + 24 * i + 8, map[i][1]);
		put32(MEMMAP + 24 * i + 16, (uint32_t)map[i][2]);
		put32(MEMMAP + 24 * i + 20, 0);
	}
	for (uint32_t i = 0x1000; i < 0x1800; i++)
		mem[i] = (uint8_t)(i >> 3);
}

static void check_valid(void)
{
	assert_int_equal(bi.protocol, BOOT_PROTO_PVH);
	assert_int_equal(bi.pvh_version, 1);
	assert_string_equal(bi.cmdline, "console=hvc0 fwkit.log=1");
	assert_int_equal(bi.cmdline_len, 24);
	assert_ptr_equal(bi.cmdline, (const char *)copy + CMDLINE);
	assert_string_equal(bi.loader_name, "");
	assert_int_equal(bi.loader_name_len, 0);
	assert_int_equal(bi.rsdp_phys, 0xf5a40);
	assert_null(bi.rsdp);
	assert_int_equal(bi.rsdp_len, 0);
	assert_int_equal(bi.rsdp_tag, 0);
	assert_false(bi.have_meminfo);
	assert_false(bi.efi32 || bi.efi64 || bi.efi_mmap || bi.efi_boot_services);
	assert_int_equal(bi.unknown_tags, 0);
	assert_int_equal(bi.mb1_flags, 0);

	assert_int_equal(bi.nmodules, 2);
	assert_null(mods[0].problem);
	assert_int_equal(mods[0].start, A(0x1000));
	assert_int_equal(mods[0].size, 0x800);
	assert_ptr_equal(mods[0].data, copy + 0x1000);
	assert_string_equal(mods[0].cmdline, "initrd.img fwkit=cpio");
	assert_int_equal(mods[0].cmdline_len, 21);
	assert_int_equal(mods[0].role, BOOT_ROLE_NONE);
	assert_null(mods[1].problem);
	assert_int_equal(mods[1].start, A(0x2000));
	assert_int_equal(mods[1].size, 0);
	assert_ptr_equal(mods[1].data, copy + 0x2000);
	assert_string_equal(mods[1].cmdline, "");
	assert_int_equal(mods[1].cmdline_len, 0);

	assert_int_equal(bi.nmmap, 3);
	assert_int_equal(ranges[0].base, 0);
	assert_int_equal(ranges[0].length, 0xa0000);
	assert_int_equal(ranges[0].type, BOOT_MEM_AVAILABLE);
	assert_int_equal(ranges[1].base, 0xf0000);
	assert_int_equal(ranges[1].length, 0x10000);
	assert_int_equal(ranges[1].type, BOOT_MEM_RESERVED);
	assert_int_equal(ranges[2].base, 0x100000);
	assert_int_equal(ranges[2].length, A(0x100000));
}

static void test_valid_v1(void **state)
{
	(void)state;
	build();
	assert_int_equal(pvh(MEM_SIZE), 2);
	check_valid();
	assert_ptr_equal(bi.modules, mods);
	assert_int_equal(bi.modules_cap, 8);
	assert_ptr_equal(bi.mmap, ranges);
	assert_int_equal(bi.mmap_cap, 8);
}

/* Every address is 64 bits: the same layout above 4 GiB. */
static void test_above_4g(void **state)
{
	(void)state;
	mem_phys = 0x1234500000ull;
	build();
	assert_int_equal(pvh(MEM_SIZE), 2);
	check_valid();
	/* the same bits 4 GiB lower are outside the window */
	put64(MODLIST, A(0x1000) - 0x1000000000ull);
	assert_int_equal(pvh(MEM_SIZE), 2);
	expect_problem(0, "range outside the memory window", A(0x1000) - 0x1000000000ull);
}

static void test_valid_v0(void **state)
{
	(void)state;
	build();
	put32(INFO + 4, 0);
	put64(INFO + 40, 0xdeadbeef);   /* not part of version 0: unread */
	put32(INFO + 48, 0xffffffffu);
	assert_int_equal(pvh(MEM_SIZE), 2);
	assert_int_equal(bi.pvh_version, 0);
	assert_int_equal(bi.nmmap, 0);
	assert_null(mods[0].problem);
	assert_string_equal(mods[0].cmdline, "initrd.img fwkit=cpio");

	/* 40 bytes are the whole structure */
	put32(INFO + 12, 0);
	put64(INFO + 24, 0);
	assert_int_equal(pvh(INFO + 40), 0);
	assert_string_equal(bi.cmdline, "");
	expect_fault(pvh(INFO + 39), FWK_ERR_RANGE, "version", A(INFO));
	put32(INFO + 4, 1);
	expect_fault(pvh(INFO + 40), FWK_ERR_RANGE, "version", A(INFO));
}

static void test_magic_version(void **state)
{
	(void)state;
	build();
	put32(INFO, PVH_START_MAGIC ^ 0x80);
	expect_fault(pvh(MEM_SIZE), FWK_ERR_BADMAGIC, "magic", A(INFO));
	put32(INFO, PVH_START_MAGIC);
	put32(INFO + 4, 2);
	expect_fault(pvh(MEM_SIZE), FWK_ERR_UNSUPPORTED, "version", A(INFO + 4));
	put32(INFO + 4, 0xffffffffu);
	expect_fault(pvh(MEM_SIZE), FWK_ERR_UNSUPPORTED, "version", A(INFO + 4));
	/* outside the window, at its end, past it */
	expect_fault(pvh(INFO), FWK_ERR_RANGE, "magic", A(INFO));
	assert_int_equal(boot_parse_pvh(&win, mem_phys - 8, &bi, &fault), FWK_ERR_RANGE);
	assert_int_equal(boot_parse_pvh(&win, UINT64_MAX - 3, &bi, &fault),
			 FWK_ERR_RANGE);
	assert_string_equal(fault.field, "magic");
	assert_int_equal(boot_parse_pvh(NULL, A(INFO), &bi, &fault), FWK_ERR_INVAL);
	assert_int_equal(boot_parse_pvh(&win, A(INFO), NULL, NULL), FWK_ERR_INVAL);
}

/* Every window shorter than the start info and what it points to fails;
 * past that, only the modules it cuts have a problem. */
static void test_every_truncation(void **state)
{
	(void)state;
	build();
	for (uint32_t len = 0; len < LAYOUT_END; len++) {
		int rc = pvh(len);
		assert_true(rc == FWK_ERR_RANGE || rc == FWK_ERR_TRUNCATED);
		assert_int_equal(fault.error, rc);
		assert_non_null(fault.field);
	}
	for (uint32_t len = LAYOUT_END; len <= 0x2000; len += 0x40) {
		assert_int_equal(pvh(len), 2);
		assert_int_equal(mods[0].problem != NULL, len < 0x1800);
		assert_int_equal(mods[1].problem != NULL, len < 0x2000);
		if (len < 0x1800)
			expect_problem(0, "range outside the memory window", A(0x1000));
	}
	/* and every start info cut short at its own end, the rest in place */
	for (uint32_t len = 0; len < 56; len++) {
		free(copy);
		copy = exact_copy(mem + INFO, len);
		struct boot_window w = { copy, A(INFO), len };
		int rc = boot_parse_pvh(&w, A(INFO), &bi, &fault);
		assert_int_equal(rc, FWK_ERR_RANGE);
		assert_string_equal(fault.field, len < 8 ? "magic" : "version");
	}
}

static void test_cmdline(void **state)
{
	(void)state;
	build();
	put64(INFO + 24, 0x1000);
	expect_fault(pvh(MEM_SIZE), FWK_ERR_RANGE, "cmdline_paddr", 0x1000);
	put64(INFO + 24, A(MEM_SIZE - 4));
	memset(mem + MEM_SIZE - 4, 'c', 4);
	expect_fault(pvh(MEM_SIZE), FWK_ERR_TRUNCATED, "cmdline_paddr", A(MEM_SIZE - 4));
	put64(INFO + 24, A(0x2400));
	memset(mem + 0x2400, 'c', BOOT_CMDLINE_MAX + 1);
	expect_fault(pvh(MEM_SIZE), FWK_ERR_LIMIT, "cmdline_paddr", A(0x2400));
	mem[0x2400 + BOOT_CMDLINE_MAX] = 0;
	assert_int_equal(pvh(MEM_SIZE), 2);
	assert_int_equal(bi.cmdline_len, BOOT_CMDLINE_MAX);
	put64(INFO + 24, 0);
	assert_int_equal(pvh(MEM_SIZE), 2);
	assert_string_equal(bi.cmdline, "");
	assert_int_equal(bi.cmdline_len, 0);
}

static void test_modules_structure(void **state)
{
	(void)state;
	build();
	put32(INFO + 12, 100000);
	expect_fault(pvh(MEM_SIZE), FWK_ERR_LIMIT, "nr_modules", A(INFO + 12));
	put32(INFO + 12, BOOT_MODULES_MAX + 1);
	expect_fault(pvh(MEM_SIZE), FWK_ERR_LIMIT, "nr_modules", A(INFO + 12));
	put32(INFO + 12, 9);            /* the caller's array holds 8 */
	expect_fault(pvh(MEM_SIZE), FWK_ERR_LIMIT, "nr_modules", A(INFO + 12));
	put32(INFO + 12, 2);
	bi.modules_cap = 1;
	expect_fault(pvh(MEM_SIZE), FWK_ERR_LIMIT, "nr_modules", A(INFO + 12));
	bi.modules_cap = 8;
	put64(INFO + 16, 0);
	expect_fault(pvh(MEM_SIZE), FWK_ERR_BADFIELD, "modlist_paddr", A(INFO + 16));
	put64(INFO + 16, 0x200);
	expect_fault(pvh(MEM_SIZE), FWK_ERR_RANGE, "modlist_paddr", 0x200);
	put64(INFO + 16, A(MEM_SIZE - 63));
	expect_fault(pvh(MEM_SIZE), FWK_ERR_RANGE, "nr_modules", A(MEM_SIZE - 63));
	put64(INFO + 16, UINT64_MAX - 31);
	expect_fault(pvh(MEM_SIZE), FWK_ERR_RANGE, "modlist_paddr", UINT64_MAX - 31);
	/* no modules: the list address is not looked at */
	put32(INFO + 12, 0);
	assert_int_equal(pvh(MEM_SIZE), 0);
	assert_int_equal(bi.nmodules, 0);
}

static void test_memmap_structure(void **state)
{
	(void)state;
	build();
	put32(INFO + 48, 100000);
	expect_fault(pvh(MEM_SIZE), FWK_ERR_LIMIT, "memmap_entries", A(INFO + 48));
	put32(INFO + 48, BOOT_MMAP_MAX + 1);
	expect_fault(pvh(MEM_SIZE), FWK_ERR_LIMIT, "memmap_entries", A(INFO + 48));
	put32(INFO + 48, 3);
	bi.mmap_cap = 2;
	expect_fault(pvh(MEM_SIZE), FWK_ERR_LIMIT, "memmap_entries", A(INFO + 48));
	bi.mmap_cap = 8;
	put64(INFO + 40, 0);
	expect_fault(pvh(MEM_SIZE), FWK_ERR_BADFIELD, "memmap_paddr", A(INFO + 40));
	put64(INFO + 40, A(MEM_SIZE + 8));
	expect_fault(pvh(MEM_SIZE), FWK_ERR_RANGE, "memmap_paddr", A(MEM_SIZE + 8));
	put64(INFO + 40, A(MEM_SIZE - 71));
	expect_fault(pvh(MEM_SIZE), FWK_ERR_RANGE, "memmap_entries", A(MEM_SIZE - 71));
	/* no entries: no map, and no RAM check */
	put32(INFO + 48, 0);
	put64(MODLIST, A(0x3000));
	assert_int_equal(pvh(MEM_SIZE), 2);
	assert_int_equal(bi.nmmap, 0);
	assert_null(mods[0].problem);
}

static void test_module_problems(void **state)
{
	(void)state;
	build();
	put32(INFO + 12, 7);
	/* 2: outside the window; 3: wraps; 4 and 5 overlap; 6 over the
	 * start info */
	put64(MODLIST + 64, 0x1000);
	put64(MODLIST + 72, 0x10);
	put64(MODLIST + 96, UINT64_MAX - 0xfff);
	put64(MODLIST + 104, 0x2000);
	put64(MODLIST + 128, A(0x3000));
	put64(MODLIST + 136, 0x100);
	put64(MODLIST + 160, A(0x2800));
	put64(MODLIST + 168, 0x801);
	put64(MODLIST + 192, A(INFO + 48));
	put64(MODLIST + 200, 16);
	assert_int_equal(pvh(MEM_SIZE), 7);
	assert_null(mods[0].problem);
	assert_null(mods[1].problem);
	expect_problem(2, "range outside the memory window", 0x1000);
	expect_problem(3, "range wraps", UINT64_MAX - 0xfff);
	expect_problem(4, "range overlaps another module", A(0x3000));
	expect_problem(5, "range overlaps another module", A(0x3000));
	expect_problem(6, "range overlaps the boot information", A(INFO + 48));

	/* the map's RAM ends just before module 0's last byte */
	put64(MEMMAP + 48 + 8, A(0x17ff) - 0x100000);
	assert_int_equal(pvh(MEM_SIZE), 7);
	expect_problem(0, "range not in available RAM", A(0x1000));
	expect_problem(2, "range outside the memory window", 0x1000); /* first wins */
	expect_problem(1, "range not in available RAM", A(0x2000));
	expect_problem(6, "range overlaps the boot information", A(INFO + 48));
	/* RAM split in two ranges does not hold a module across them */
	put64(MEMMAP + 48 + 8, A(0x1400) - 0x100000);
	put64(MEMMAP + 24, A(0x1400));
	put64(MEMMAP + 32, 0x100000);
	put32(MEMMAP + 40, 1);
	assert_int_equal(pvh(MEM_SIZE), 7);
	expect_problem(0, "range not in available RAM", A(0x1000));
}

static void test_module_cmdlines(void **state)
{
	(void)state;
	build();
	put64(MODLIST + 48, 0x4000);
	assert_int_equal(pvh(MEM_SIZE), 2);
	expect_problem(1, "cmdline outside the memory window", 0x4000);
	put64(MODLIST + 48, A(MEM_SIZE - 1));
	mem[MEM_SIZE - 1] = 'm';
	assert_int_equal(pvh(MEM_SIZE), 2);
	expect_problem(1, "cmdline not NUL-terminated", A(MEM_SIZE - 1));
	put64(MODLIST + 48, A(0x2400));
	memset(mem + 0x2400, 'm', BOOT_CMDLINE_MAX + 1);
	assert_int_equal(pvh(MEM_SIZE), 2);
	expect_problem(1, "cmdline too long", A(0x2400));
	assert_string_equal(mods[1].cmdline, "");
	assert_null(mods[0].problem);
	/* the window's end exactly */
	put64(MODLIST + 48, A(MEM_SIZE));
	assert_int_equal(pvh(MEM_SIZE), 2);
	expect_problem(1, "cmdline not NUL-terminated", A(MEM_SIZE));
}

static void test_absurd_count_max(void **state)
{
	static struct boot_module many[BOOT_MODULES_MAX];

	(void)state;
	build();
	bi.modules = many;
	bi.modules_cap = BOOT_MODULES_MAX;
	put32(INFO + 12, BOOT_MODULES_MAX);
	put64(INFO + 16, A(0x1000));
	put64(INFO + 24, 0);
	memset(mem + 0x1000, 0, BOOT_MODULES_MAX * 32);
	for (uint32_t i = 0; i < BOOT_MODULES_MAX; i++) {
		put64(0x1000 + 32 * i, A(0x3000 + 4 * i));
		put64(0x1000 + 32 * i + 8, 4);
	}
	assert_int_equal(pvh(MEM_SIZE), (int)BOOT_MODULES_MAX);
	for (uint32_t i = 0; i < BOOT_MODULES_MAX; i++) {
		assert_null(many[i].problem);
		assert_ptr_equal(many[i].data, copy + 0x3000 + 4 * i);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_valid_v1, reset, release),
		cmocka_unit_test_setup_teardown(test_above_4g, reset, release),
		cmocka_unit_test_setup_teardown(test_valid_v0, reset, release),
		cmocka_unit_test_setup_teardown(test_magic_version, reset, release),
		cmocka_unit_test_setup_teardown(test_every_truncation, reset, release),
		cmocka_unit_test_setup_teardown(test_cmdline, reset, release),
		cmocka_unit_test_setup_teardown(test_modules_structure, reset, release),
		cmocka_unit_test_setup_teardown(test_memmap_structure, reset, release),
		cmocka_unit_test_setup_teardown(test_module_problems, reset, release),
		cmocka_unit_test_setup_teardown(test_module_cmdlines, reset, release),
		cmocka_unit_test_setup_teardown(test_absurd_count_max, reset, release),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

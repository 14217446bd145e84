/* SPDX-License-Identifier: MIT */
/* hypkit.h - what the multiboot and PVH parser tests share: a buffer
 * standing for physical memory at mem_phys, little-endian stores into it,
 * the window over an exact heap copy of its start, the poisoned boot_info
 * with its arrays, and the fault and module-problem assertions.  The
 * includer defines MEM_PHYS (the usual base, not 0 so a window-relative
 * address mistaken for a physical one shows) and MEM_SIZE first. */
#ifndef FWKIT_TESTS_HYPKIT_H
#define FWKIT_TESTS_HYPKIT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <fwkit/bootinfo.h>

#include "../support/testkit.h"

static uint64_t mem_phys = MEM_PHYS;  /* a test may move it; reset restores */
#define A(off) (mem_phys + (off))

static uint8_t mem[MEM_SIZE];
static uint8_t *copy;         /* the window's bytes: an exact heap copy */
static struct boot_window win;
static struct boot_module mods[8];
static struct boot_mem_range ranges[8];
static struct boot_info bi;
static struct fwk_fault fault;

static void put32(uint32_t off, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		mem[off + i] = (uint8_t)(v >> 8 * i);
}

static void put64(uint32_t off, uint64_t v)
{
	put32(off, (uint32_t)v);
	put32(off + 4, (uint32_t)(v >> 32));
}

static int reset(void **state)
{
	(void)state;
	mem_phys = MEM_PHYS;
	memset(mem, 0, sizeof(mem));
	memset(&bi, 0x5a, sizeof(bi));   /* the parser must set every scalar */
	bi.modules = mods;
	bi.modules_cap = 8;
	bi.mmap = ranges;
	bi.mmap_cap = 8;
	memset(&fault, 0, sizeof(fault));
	return 0;
}

static int release(void **state)
{
	(void)state;
	free(copy);
	copy = NULL;
	return 0;
}

/* The window: the first wlen bytes of mem, copied so ASan sees overreads. */
static void window(uint64_t wlen)
{
	free(copy);
	copy = exact_copy(mem, wlen);
	win.bytes = copy;
	win.phys = mem_phys;
	win.len = wlen;
}

static void expect_fault(int rc, int err, const char *field, uint64_t offset)
{
	assert_int_equal(rc, err);
	assert_int_equal(fault.error, err);
	assert_non_null(fault.field);
	assert_string_equal(fault.field, field);
	assert_non_null(fault.detail);
	assert_true(fault.detail[0] != '\0');
	assert_int_equal(fault.offset, offset);
}

static void expect_problem(uint32_t i, const char *problem, uint64_t at)
{
	assert_true(i < bi.nmodules);
	assert_null(bi.modules[i].data);
	assert_non_null(bi.modules[i].problem);
	assert_string_equal(bi.modules[i].problem, problem);
	assert_int_equal(bi.modules[i].problem_offset, at);
}

#endif /* FWKIT_TESTS_HYPKIT_H */

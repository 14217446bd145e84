/* SPDX-License-Identifier: MIT */
/* test_ucode_amd.c - cmocka tests of the AMD container parser, selection
 * and rebuilt containers, on synthetic containers built here: every rule
 * broken in turn, the kernel's per-family size limits at their edges, and
 * what the kernel's early loader would pick from pack's output. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../support/testkit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fwkit/ucode.h>

/* ---- building containers -------------------------------------------------- */

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void add32(struct img *m, uint32_t v)
{
	uint8_t b[4];
	put32(b, v);
	img_bytes(m, b, 4);
}

struct equiv { uint32_t cpu; uint16_t eq; };

/* Container header and table: entries, then the zero terminator. */
static size_t add_container(struct img *m, const struct equiv *e, int n)
{
	size_t at = m->len;

	add32(m, UCODE_AMD_MAGIC);
	add32(m, UCODE_AMD_TYPE_EQUIV);
	add32(m, (uint32_t)(n + 1) * 16);
	for (int i = 0; i < n; i++) {
		uint8_t b[16] = { 0 };
		put32(b, e[i].cpu);
		put16(b + 12, e[i].eq);
		img_bytes(m, b, 16);
	}
	img_zeros(m, 16);
	return at;
}

/* A patch section of `size` bytes for equivalence id eq. */
static size_t add_patch(struct img *m, uint16_t eq, uint32_t id, uint32_t size)
{
	size_t at = m->len;
	uint8_t h[64] = { 0 };

	add32(m, UCODE_AMD_TYPE_PATCH);
	add32(m, size);
	put32(h + 0, 0x02262024);
	put32(h + 4, id);
	put16(h + 24, eq);
	h[28] = 1;
	img_bytes(m, h, 64);
	for (uint32_t i = 64; i < size; i++) {
		uint8_t c = (uint8_t)(i ^ id);
		img_bytes(m, &c, 1);
	}
	return at;
}

static const struct equiv zen3[] = { { 0x00a00f10, 0xa010 }, { 0x00a00f11, 0xa011 } };

/* Read everything; returns the items (up to cap) and the count, or the
 * error with *f set. */
static int read_all(const uint8_t *b, uint64_t len, struct ucode_amd *out, int cap,
		    struct fwk_fault *f)
{
	struct ucode_amd it = { 0 };
	uint64_t off = 0;
	int n = 0, rc;

	while ((rc = ucode_amd_next(b, len, &off, &it, f)) == 1) {
		if (n < cap)
			out[n] = it;
		n++;
	}
	return rc < 0 ? rc : n;
}

/* m must be refused with rc naming field at offset at; then the cursor and
 * the item are where the last good item left them. */
static void expect_fault(const struct img *m, int rc, const char *field, uint64_t at)
{
	uint8_t *b = exact_copy(m->b, m->len);
	struct ucode_amd it = { 0 }, before;
	struct fwk_fault f = { 0 };
	uint64_t off = 0, off_before;
	int r;

	do {
		before = it;
		off_before = off;
	} while ((r = ucode_amd_next(b, m->len, &off, &it, &f)) == 1);
	if (r != rc)
		fail_msg("got %d (%s at %llu), want %d (%s at %llu)", r, f.field ? f.field : "-",
			 (unsigned long long)f.offset, rc, field, (unsigned long long)at);
	assert_string_equal(f.field, field);
	assert_non_null(f.detail);
	assert_int_equal(f.offset, at);
	assert_true(f.offset <= m->len);
	assert_int_equal(off, off_before);
	assert_memory_equal(&it, &before, sizeof(it));
	free(b);
}

/* ---- parsing -------------------------------------------------------------- */

static void test_items(void **state)
{
	struct img *m = img_new();
	struct ucode_amd it[8];
	struct ucode_amd_equiv e;
	struct fwk_fault f = { 0 };
	(void)state;

	add_container(m, zen3, 2);
	size_t p1 = add_patch(m, 0xa010, 0x0a00107a, 200);
	size_t p2 = add_patch(m, 0xa011, 0x0a0011d5, 96);
	uint8_t *b = exact_copy(m->b, m->len);
	assert_int_equal(ucode_detect(b, m->len), UCODE_AMD);
	assert_int_equal(read_all(b, m->len, it, 8, &f), 3);

	assert_int_equal(it[0].kind, UCODE_AMD_CONTAINER);
	assert_int_equal(it[0].container, 0);
	assert_int_equal(it[0].container_offset, 0);
	assert_int_equal(it[0].table_offset, 12);
	assert_ptr_equal(it[0].table, b + 12);
	assert_int_equal(it[0].table_entries, 2);
	assert_int_equal(ucode_amd_equiv(&it[0], 1, &e), 0);
	assert_int_equal(e.installed_cpu, 0x00a00f11);
	assert_int_equal(e.equiv_cpu, 0xa011);
	assert_int_equal(ucode_amd_equiv(&it[0], 2, &e), FWK_ERR_INVAL);

	assert_int_equal(it[1].kind, UCODE_AMD_PATCH);
	assert_int_equal(it[1].offset, p1);
	assert_int_equal(p1, 12 + 48);
	assert_ptr_equal(it[1].data, b + p1 + 8);
	assert_int_equal(it[1].size, 200);
	assert_int_equal(it[1].date, 0x02262024);
	assert_int_equal(it[1].patch_id, 0x0a00107a);
	assert_int_equal(it[1].equiv_id, 0xa010);
	assert_int_equal(it[1].family, 0x19);
	assert_int_equal(it[1].bios_api_rev, 1);
	assert_int_equal(it[1].patches, 1);
	assert_int_equal(it[1].table_entries, 2);
	uint32_t cpus[2] = { 0, 0 };
	assert_int_equal(ucode_amd_cpus(&it[1], cpus, 2), 1);
	assert_int_equal(cpus[0], 0x00a00f10);
	assert_int_equal(ucode_amd_cpus(&it[0], cpus, 2), 0);
	assert_int_equal(it[2].offset, p2);
	assert_int_equal(it[2].patches, 2);
	assert_int_equal(it[2].size, 96);
	free(b);
	free(m);
}

static void test_concatenated(void **state)
{
	struct img *m = img_new();
	struct ucode_amd it[8];
	struct fwk_fault f = { 0 };
	const struct equiv zen2[] = { { 0x00830f10, 0x8310 } };
	(void)state;

	add_container(m, zen3, 2);
	add_patch(m, 0xa010, 1, 64);
	size_t c2 = add_container(m, zen2, 1);
	add_patch(m, 0x8310, 2, 128);
	add_patch(m, 0x8310, 3, 128);
	uint8_t *b = exact_copy(m->b, m->len);
	assert_int_equal(read_all(b, m->len, it, 8, &f), 5);
	assert_int_equal(it[2].kind, UCODE_AMD_CONTAINER);
	assert_int_equal(it[2].container, 1);
	assert_int_equal(it[2].container_offset, c2);
	assert_int_equal(it[2].patches, 0);
	assert_int_equal(it[4].container, 1);
	assert_int_equal(it[4].patches, 2);
	assert_int_equal(it[4].table_entries, 1);
	/* Resuming at the second container with a zeroed item. */
	struct ucode_amd one = { 0 };
	uint64_t off = c2;
	assert_int_equal(ucode_amd_next(b, m->len, &off, &one, &f), 1);
	assert_int_equal(one.kind, UCODE_AMD_CONTAINER);
	assert_int_equal(one.container_offset, c2);
	free(b);
	free(m);
}

static void test_container_rules(void **state)
{
	struct img *m = img_new();
	(void)state;

	expect_fault(m, FWK_ERR_TRUNCATED, "container", 0);
	add32(m, 0x00414d45);
	add32(m, 0);
	add32(m, 32);
	expect_fault(m, FWK_ERR_BADMAGIC, "magic", 0);

	m->len = 0;
	add32(m, UCODE_AMD_MAGIC);
	add32(m, 1);
	add32(m, 32);
	expect_fault(m, FWK_ERR_BADFIELD, "equiv_type", 4);
	put32(m->b + 4, 0);
	put32(m->b + 8, 0);
	expect_fault(m, FWK_ERR_BADFIELD, "equiv_size", 8);
	put32(m->b + 8, 24);
	expect_fault(m, FWK_ERR_BADFIELD, "equiv_size", 8);
	put32(m->b + 8, 32);
	expect_fault(m, FWK_ERR_TRUNCATED, "equiv_size", 8);

	/* The terminator must be all zero, and only the last entry. */
	m->len = 0;
	add_container(m, zen3, 2);
	add_patch(m, 0xa010, 1, 64);
	m->b[12 + 32 + 4] = 1;
	expect_fault(m, FWK_ERR_BADFIELD, "installed_cpu", 12 + 32);
	m->b[12 + 32 + 4] = 0;
	put32(m->b + 12 + 16, 0);
	expect_fault(m, FWK_ERR_BADFIELD, "installed_cpu", 12 + 16);
	put32(m->b + 12 + 16, 0x00a00f11);
	put16(m->b + 12 + 16 + 12, 0);
	expect_fault(m, FWK_ERR_BADFIELD, "equiv_cpu", 12 + 16 + 12);
	put16(m->b + 12 + 16 + 12, 0x8011); /* family 17h for a 19h CPU */
	expect_fault(m, FWK_ERR_BADFIELD, "equiv_cpu", 12 + 16 + 12);
	put16(m->b + 12 + 16 + 12, 0xa011);
	put32(m->b + 12 + 16, 0x00a00f10);
	expect_fault(m, FWK_ERR_BADFIELD, "installed_cpu", 12 + 16);
	free(m);
}

static void test_section_rules(void **state)
{
	struct img *m = img_new();
	(void)state;

	/* A container without a patch: at the end, and before the next one. */
	add_container(m, zen3, 2);
	size_t end = m->len;
	expect_fault(m, FWK_ERR_BADFIELD, "section_type", end);
	add_container(m, zen3, 2);
	add_patch(m, 0xa010, 1, 64);
	expect_fault(m, FWK_ERR_BADFIELD, "section_type", end);

	m->len = 0;
	add_container(m, zen3, 2);
	size_t p = add_patch(m, 0xa010, 1, 64);
	put32(m->b + p, 2);
	expect_fault(m, FWK_ERR_BADFIELD, "section_type", p);
	put32(m->b + p, 1);
	put32(m->b + p + 4, 63);
	expect_fault(m, FWK_ERR_BADFIELD, "section_size", p + 4);
	put32(m->b + p + 4, 65);
	expect_fault(m, FWK_ERR_TRUNCATED, "section_size", p + 4);
	put32(m->b + p + 4, 64);
	img_zeros(m, 5);
	expect_fault(m, FWK_ERR_TRUNCATED, "section", p + 72);
	m->len -= 5;
	/* An equivalence id the table does not have. */
	put16(m->b + p + 8 + 24, 0xa012);
	expect_fault(m, FWK_ERR_BADFIELD, "processor_rev_id", p + 8 + 24);
	put16(m->b + p + 8 + 24, 0xa010);
	put32(m->b + p + 8 + 16, 0x1022);
	expect_fault(m, FWK_ERR_UNSUPPORTED, "nb_dev_id", p + 8 + 16);
	put32(m->b + p + 8 + 16, 0);
	put32(m->b + p + 8 + 20, 0x1022);
	expect_fault(m, FWK_ERR_UNSUPPORTED, "sb_dev_id", p + 8 + 20);

	struct ucode_amd it = { 0 };
	struct fwk_fault f = { 0 };
	uint64_t off = m->len + 1;
	assert_int_equal(ucode_amd_next(m->b, m->len, &off, &it, &f), FWK_ERR_RANGE);
	free(m);
}

/* Linux 6.1's limits: 10h-12h 2048, 14h 1824, 15h on none; others refused. */
static void test_family_limits(void **state)
{
	static const struct {
		uint32_t cpu;
		uint16_t eq;
		uint32_t size;
		int rc;
		const char *field;
	} cases[] = {
		{ 0x00100f22, 0x1022, 2048, 0, NULL },
		{ 0x00100f22, 0x1022, 2052, FWK_ERR_BADFIELD, "section_size" },
		{ 0x00200f31, 0x2031, 2048, 0, NULL },
		{ 0x00300f10, 0x3010, 2049, FWK_ERR_BADFIELD, "section_size" },
		{ 0x00500f10, 0x5010, 1824, 0, NULL },
		{ 0x00500f20, 0x5020, 1825, FWK_ERR_BADFIELD, "section_size" },
		{ 0x00600f12, 0x6012, 4000, 0, NULL },
		{ 0x00a00f10, 0xa010, 16000, 0, NULL },
		{ 0x00b00f21, 0xb021, 15000, 0, NULL },
		{ 0x00400f10, 0x4010, 100, FWK_ERR_BADFIELD, "processor_rev_id" },
		{ 0x00000f10, 0x0f10, 100, FWK_ERR_BADFIELD, "processor_rev_id" },
	};
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct img *m = img_new();
		struct equiv e = { cases[i].cpu, cases[i].eq };
		add_container(m, &e, 1);
		size_t p = add_patch(m, cases[i].eq, 7, cases[i].size);
		if (cases[i].rc == 0) {
			struct ucode_amd it[2];
			struct fwk_fault f = { 0 };
			uint8_t *b = exact_copy(m->b, m->len);
			assert_int_equal(read_all(b, m->len, it, 2, &f), 2);
			assert_int_equal(it[1].size, cases[i].size);
			free(b);
		} else {
			expect_fault(m, cases[i].rc, cases[i].field,
				     !strcmp(cases[i].field, "section_size") ? p + 4 : p + 8 + 24);
		}
		free(m);
	}
	assert_int_equal(ucode_amd_patch_limit(0x10), 2048);
	assert_int_equal(ucode_amd_patch_limit(0x12), 2048);
	assert_int_equal(ucode_amd_patch_limit(0x14), 1824);
	assert_int_equal(ucode_amd_patch_limit(0x15), 0);
	assert_int_equal(ucode_amd_patch_limit(0x1a), 0);
	assert_int_equal(ucode_amd_patch_limit(0x13), FWK_ERR_UNSUPPORTED);
	assert_int_equal(ucode_amd_patch_limit(0x0f), FWK_ERR_UNSUPPORTED);
}

/* ---- selection and rebuilt containers ------------------------------------- */

#define CPU_A 0x00800f12u /* 8012 in C1 */
#define CPU_B 0x00800f82u /* 8082 in C1 and C2 */
#define CPU_C 0x00830f10u /* 8012 too, in C1 */
#define CPU_D 0x00870f10u /* 8710 in C2 */

/* C1: A, B, C; patches P0 8012 old, P1 8082 old, P2 8012 new.
 * C2: B, D; patches P3 8082 new, P4 8710. */
static uint64_t build_pair(struct img *m)
{
	const struct equiv c1[] = { { CPU_A, 0x8012 }, { CPU_B, 0x8082 }, { CPU_C, 0x8012 } };
	const struct equiv c2[] = { { CPU_B, 0x8082 }, { CPU_D, 0x8710 } };

	add_container(m, c1, 3);
	add_patch(m, 0x8012, 0x0800126e, 128);
	add_patch(m, 0x8082, 0x0800820d, 128);
	add_patch(m, 0x8012, 0x0800126f, 128);
	add_container(m, c2, 2);
	add_patch(m, 0x8082, 0x0800820e, 160);
	add_patch(m, 0x8710, 0x08701034, 96);
	return m->len;
}

static void expect_keep(const bool *keep, const char *want)
{
	for (size_t i = 0; want[i]; i++)
		if (keep[i] != (want[i] == '1'))
			fail_msg("keep[%zu] is %d, want %c (want %s)", i, keep[i], want[i], want);
}

/* What Linux 6.1's early loader takes for cpu from b: the first container
 * whose table names it, and in it the last patch with that equiv id. */
static uint32_t kernel_pick(const uint8_t *b, uint64_t len, uint32_t cpu)
{
	struct ucode_amd it = { 0 };
	struct fwk_fault f = { 0 };
	uint64_t off = 0;
	uint16_t eq = 0;
	uint32_t found = 0, in = UINT32_MAX;

	while (ucode_amd_next(b, len, &off, &it, &f) == 1) {
		if (it.kind == UCODE_AMD_CONTAINER) {
			if (found)
				break;
			eq = 0;
			for (uint32_t k = 0; k < it.table_entries; k++) {
				struct ucode_amd_equiv e;
				ucode_amd_equiv(&it, k, &e);
				if (e.installed_cpu == cpu)
					eq = e.equiv_cpu;
			}
			in = it.container;
		} else if (eq && it.equiv_id == eq && it.container == in) {
			found = it.patch_id;
		}
	}
	return found;
}

static void test_select(void **state)
{
	struct img *m = img_new();
	struct ucode_amd it[8];
	struct fwk_fault f = { 0 };
	bool keep[8];
	(void)state;

	uint64_t len = build_pair(m);
	uint8_t *b = exact_copy(m->b, len);
	int n = read_all(b, len, it, 8, &f);
	assert_int_equal(n, 7);

	uint32_t cpus[1];
	assert_int_equal(ucode_amd_cpus(&it[3], cpus, 1), 2); /* A and C, one stored */
	assert_int_equal(cpus[0], CPU_A);
	assert_int_equal(ucode_amd_select(it, 7, NULL, keep), 3);
	expect_keep(keep, "0001011");
	struct ucode_cpu cpu = { CPU_A, 0 };
	assert_int_equal(ucode_amd_select(it, 7, &cpu, keep), 1);
	expect_keep(keep, "0001000");
	cpu.signature = CPU_C;
	assert_int_equal(ucode_amd_select(it, 7, &cpu, keep), 1);
	expect_keep(keep, "0001000");
	cpu.signature = CPU_B;
	assert_int_equal(ucode_amd_select(it, 7, &cpu, keep), 1);
	expect_keep(keep, "0000010");
	cpu.signature = CPU_D;
	assert_int_equal(ucode_amd_select(it, 7, &cpu, keep), 1);
	expect_keep(keep, "0000001");
	cpu.signature = 0x00a00f10;
	assert_int_equal(ucode_amd_select(it, 7, &cpu, keep), 0);
	assert_int_equal(ucode_amd_select(NULL, 1, NULL, keep), FWK_ERR_INVAL);
	free(b);
	free(m);
}

static void test_bundle(void **state)
{
	struct img *m = img_new();
	struct ucode_amd it[8], out_it[8];
	struct fwk_fault f = { 0 };
	bool keep[8];
	static uint8_t out[8192];
	(void)state;

	uint64_t len = build_pair(m);
	uint8_t *b = exact_copy(m->b, len);
	assert_int_equal(read_all(b, len, it, 8, &f), 7);
	/* The original: the kernel takes C1 for B and misses the newer P3. */
	assert_int_equal(kernel_pick(b, len, CPU_B), 0x0800820d);

	assert_int_equal(ucode_amd_select(it, 7, NULL, keep), 3);
	int64_t size = ucode_amd_bundle(it, 7, keep, NULL, 0);
	/* C1: header, A, C, terminator, P2; C2: header, B, D, terminator, P3, P4 */
	assert_int_equal(size, (12 + 48 + 8 + 128) + (12 + 48 + 8 + 160 + 8 + 96));
	assert_int_equal(ucode_amd_bundle(it, 7, keep, out, (uint64_t)size - 1), FWK_ERR_NOSPACE);
	assert_int_equal(ucode_amd_bundle(it, 7, keep, out, sizeof(out)), size);
	assert_int_equal(read_all(out, (uint64_t)size, out_it, 8, &f), 5);
	assert_int_equal(out_it[0].table_entries, 2);
	assert_int_equal(out_it[1].patch_id, 0x0800126f);
	assert_memory_equal(out_it[1].data, it[3].data, 128);
	assert_int_equal(out_it[2].table_entries, 2);
	assert_int_equal(out_it[3].patch_id, 0x0800820e);
	assert_int_equal(out_it[4].patch_id, 0x08701034);
	assert_int_equal(kernel_pick(out, (uint64_t)size, CPU_A), 0x0800126f);
	assert_int_equal(kernel_pick(out, (uint64_t)size, CPU_B), 0x0800820e);
	assert_int_equal(kernel_pick(out, (uint64_t)size, CPU_C), 0x0800126f);
	assert_int_equal(kernel_pick(out, (uint64_t)size, CPU_D), 0x08701034);
	/* Selected again, the rebuilt file keeps everything. */
	bool again[8];
	assert_int_equal(ucode_amd_select(out_it, 5, NULL, again), 3);
	expect_keep(again, "01011");

	/* For one CPU: one container, one entry, one patch. */
	struct ucode_cpu cpu = { CPU_B, 0 };
	assert_int_equal(ucode_amd_select(it, 7, &cpu, keep), 1);
	size = ucode_amd_bundle(it, 7, keep, out, sizeof(out));
	assert_int_equal(size, 12 + 32 + 8 + 160);
	assert_int_equal(read_all(out, (uint64_t)size, out_it, 8, &f), 2);
	struct ucode_amd_equiv e;
	assert_int_equal(ucode_amd_equiv(&out_it[0], 0, &e), 0);
	assert_int_equal(e.installed_cpu, CPU_B);
	assert_int_equal(kernel_pick(out, (uint64_t)size, CPU_B), 0x0800820e);
	assert_int_equal(kernel_pick(out, (uint64_t)size, CPU_D), 0);
	free(b);
	free(m);
}

/* Equal revisions in two containers: the first one serves the CPU. */
static void test_tie(void **state)
{
	struct img *m = img_new();
	struct ucode_amd it[8];
	struct fwk_fault f = { 0 };
	bool keep[8];
	const struct equiv a[] = { { CPU_A, 0x8012 } };
	(void)state;

	add_container(m, a, 1);
	add_patch(m, 0x8012, 5, 64);
	add_container(m, a, 1);
	add_patch(m, 0x8012, 5, 64);
	uint8_t *b = exact_copy(m->b, m->len);
	assert_int_equal(read_all(b, m->len, it, 8, &f), 4);
	assert_int_equal(ucode_amd_select(it, 4, NULL, keep), 1);
	expect_keep(keep, "0100");
	free(b);
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_items),
		cmocka_unit_test(test_concatenated),
		cmocka_unit_test(test_container_rules),
		cmocka_unit_test(test_section_rules),
		cmocka_unit_test(test_family_limits),
		cmocka_unit_test(test_select),
		cmocka_unit_test(test_bundle),
		cmocka_unit_test(test_tie),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/* test_vm_aml.c - cmocka tests of the guest generator's AML builder: each
 * primitive's bytes as ACPI 6.4 chapters 20 and 6.4 give them (written out
 * by hand here), PkgLength at every form's boundary, overflow and misuse,
 * and iasl as an independent oracle: the same constructs written in ASL,
 * compiled by iasl, must come out byte for byte the same. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../support/testkit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../hyp-hooks/guest/aml.h"

#define GUARD 0xA5

static uint8_t buf[8192];
static struct aml a;

static void start(void)
{
	memset(buf, GUARD, sizeof(buf));
	aml_init(&a, buf, sizeof(buf));
}

/* The builder holds exactly want[0..n) and reports n. */
static void expect(const uint8_t *want, size_t n)
{
	int got = aml_finish(&a);

	assert_int_equal(got, (int)n);
	assert_memory_equal(buf, want, n);
	assert_int_equal(buf[n], GUARD);
}
#define EXPECT(...)                                                  \
	do {                                                         \
		static const uint8_t want_[] = { __VA_ARGS__ };      \
		expect(want_, sizeof(want_));                        \
	} while (0)

/* ---- primitives against the specification --------------------------- */

static void test_integers(void **state)
{
	(void)state;
	static const struct {
		uint64_t v;
		uint8_t n, b[9];
	} cases[] = {
		{ 0, 1, { 0x00 } },                              /* ZeroOp */
		{ 1, 1, { 0x01 } },                              /* OneOp */
		{ 2, 2, { 0x0A, 0x02 } },                        /* BytePrefix */
		{ 0xFF, 2, { 0x0A, 0xFF } },
		{ 0x100, 3, { 0x0B, 0x00, 0x01 } },              /* WordPrefix */
		{ 0xFFFF, 3, { 0x0B, 0xFF, 0xFF } },
		{ 0x10000, 5, { 0x0C, 0x00, 0x00, 0x01, 0x00 } }, /* DWordPrefix */
		{ 0xFFFFFFFF, 5, { 0x0C, 0xFF, 0xFF, 0xFF, 0xFF } },
		{ 0x100000000, 9, { 0x0E, 0, 0, 0, 0, 1, 0, 0, 0 } }, /* QWordPrefix */
		{ 0xFFFFFFFFFFFFFFFE, 9, { 0x0E, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF } },
		{ 0xFFFFFFFFFFFFFFFF, 1, { 0xFF } },             /* OnesOp */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		start();
		aml_int(&a, cases[i].v);
		expect(cases[i].b, cases[i].n);
	}
}

static void test_strings_and_ids(void **state)
{
	(void)state;
	start();
	aml_string(&a, "ab");
	aml_string(&a, "");
	EXPECT(0x0D, 'a', 'b', 0x00, 0x0D, 0x00);

	/* EISAID: 'P' 'N' 'P' as 5-bit letters, then four hex digits, most
	 * significant first: PNP0A08 = 0x41D00A08 stored 41 D0 0A 08. */
	start();
	aml_eisaid(&a, "PNP0A08");
	aml_eisaid(&a, "PNP0C02");
	aml_eisaid(&a, "ACP0001");
	EXPECT(0x0C, 0x41, 0xD0, 0x0A, 0x08, 0x0C, 0x41, 0xD0, 0x0C, 0x02,
	       /* A=1 C=3 P=16: 00001 00011 10000 -> 0x0470 << 1 = 0x04 0x70 */
	       0x0C, 0x04, 0x70, 0x00, 0x01);

	/* ToUUID: first three fields little-endian, the rest as written. */
	start();
	aml_uuid(&a, "33db4d5b-1ff7-401c-9657-7441c03dd766");
	EXPECT(0x11, 0x13, 0x0A, 0x10, 0x5B, 0x4D, 0xDB, 0x33, 0xF7, 0x1F, 0x1C, 0x40, 0x96,
	       0x57, 0x74, 0x41, 0xC0, 0x3D, 0xD7, 0x66);

	static const char *const bad_ids[] = { "PNP0A0", "PNP0A088", "pNP0A08", "PNP0a08",
					       "PN10A08", "PNP0G08", "" };
	for (size_t i = 0; i < sizeof(bad_ids) / sizeof(bad_ids[0]); i++) {
		start();
		aml_eisaid(&a, bad_ids[i]);
		assert_int_equal(aml_finish(&a), FWK_ERR_INVAL);
		assert_int_equal(buf[0], GUARD);
	}
	static const char *const bad_uuids[] = {
		"33db4d5b-1ff7-401c-9657-7441c03dd76", "33db4d5b-1ff7-401c-9657-7441c03dd7667",
		"33db4d5b_1ff7-401c-9657-7441c03dd766", "33db4d5b-1ff7-401c-9657-7441c03dd76g",
	};
	for (size_t i = 0; i < sizeof(bad_uuids) / sizeof(bad_uuids[0]); i++) {
		start();
		aml_uuid(&a, bad_uuids[i]);
		assert_int_equal(aml_finish(&a), FWK_ERR_INVAL);
		assert_int_equal(buf[0], GUARD);
	}
}

static void test_names(void **state)
{
	(void)state;
	start();
	aml_name(&a, "_HID");          /* NameSeg */
	aml_name(&a, "_SB");           /* padded with '_' */
	aml_name(&a, "\\");            /* RootChar NullName */
	aml_name(&a, "\\_SB.PCI0");    /* DualNamePrefix */
	aml_name(&a, "\\_SB.PCI0.R");  /* MultiNamePrefix SegCount */
	aml_name(&a, "^^C1");          /* ParentPrefixChar twice */
	aml_name(&a, "");              /* NullName */
	EXPECT('_', 'H', 'I', 'D', '_', 'S', 'B', '_', '\\', 0x00, '\\', 0x2E, '_', 'S', 'B',
	       '_', 'P', 'C', 'I', '0', '\\', 0x2F, 3, '_', 'S', 'B', '_', 'P', 'C', 'I', '0',
	       'R', '_', '_', '_', '^', '^', 'C', '1', '_', '_', 0x00);

	static const char *const bad[] = { "1ABC", "ABCDE", "A.", "A..B", ".A", "a", "A-B",
					   "\\^A", "^\\A", "A.1B", "_SB ", "\\\\" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		start();
		aml_name(&a, bad[i]);
		assert_int_equal(aml_finish(&a), FWK_ERR_INVAL);
		assert_int_equal(buf[0], GUARD);
	}

	/* 255 segments fit a MultiNamePrefix's count, 256 do not. */
	char path[2 + 256 * 5];
	for (int segs = 255; segs <= 256; segs++) {
		size_t n = 0;
		path[n++] = '\\';
		for (int i = 0; i < segs; i++) {
			memcpy(path + n, i ? ".ABCD" : "ABCD", i ? 5 : 4);
			n += i ? 5 : 4;
		}
		path[n] = '\0';
		start();
		aml_name(&a, path);
		if (segs == 255) {
			assert_int_equal(aml_finish(&a), 3 + 4 * 255);
			assert_int_equal(buf[2], 255);
		} else {
			assert_int_equal(aml_finish(&a), FWK_ERR_INVAL);
		}
	}
}

static void test_objects(void **state)
{
	(void)state;
	/* Name (_UID, One) */
	start();
	aml_name_int(&a, "_UID", 1);
	EXPECT(0x08, '_', 'U', 'I', 'D', 0x01);

	/* Method (_STA, 0, NotSerialized) { Return (0x0F) } */
	start();
	aml_method(&a, "_STA", 0, false);
	aml_byte(&a, AML_OP_RETURN);
	aml_int(&a, 0x0F);
	aml_close(&a);
	EXPECT(0x14, 0x09, '_', 'S', 'T', 'A', 0x00, 0xA4, 0x0A, 0x0F);

	/* Method (M2, 2, Serialized) { Return (Arg1) } */
	start();
	aml_method(&a, "M2", 2, true);
	aml_byte(&a, AML_OP_RETURN);
	aml_byte(&a, AML_OP_ARG0 + 1);
	aml_close(&a);
	EXPECT(0x14, 0x08, 'M', '2', '_', '_', 0x0A, 0xA4, 0x69);

	/* Device (COM0) { } inside Scope (\_SB) { } */
	start();
	aml_scope(&a, "\\_SB");
	aml_device(&a, "COM0");
	aml_close(&a);
	aml_close(&a);
	EXPECT(0x10, 0x0D, '\\', '_', 'S', 'B', '_', 0x5B, 0x82, 0x05, 'C', 'O', 'M', '0');

	/* Package (2) { One, 0x10 }, VarPackage (2) { Zero, Zero } */
	start();
	aml_package(&a, 2);
	aml_int(&a, 1);
	aml_int(&a, 0x10);
	aml_close(&a);
	aml_varpackage(&a, 2);
	aml_int(&a, 0);
	aml_int(&a, 0);
	aml_close(&a);
	EXPECT(0x12, 0x05, 0x02, 0x01, 0x0A, 0x10, 0x13, 0x05, 0x0A, 0x02, 0x00, 0x00);

	/* Buffer () { 1, 2, 3 }; Buffer () { } has BufferSize Zero */
	start();
	aml_buffer(&a);
	aml_bytes(&a, (const uint8_t[]){ 1, 2, 3 }, 3);
	aml_close(&a);
	aml_buffer(&a);
	aml_close(&a);
	EXPECT(0x11, 0x06, 0x0A, 0x03, 1, 2, 3, 0x11, 0x02, 0x00);

	/* ResourceTemplate () { }: just the EndTag, checksum 0 */
	start();
	aml_rt(&a);
	aml_close(&a);
	EXPECT(0x11, 0x05, 0x0A, 0x02, 0x79, 0x00);

	/* If (One) { } Else { } */
	start();
	aml_if(&a);
	aml_byte(&a, AML_OP_ONE);
	aml_close(&a);
	aml_else(&a);
	aml_close(&a);
	EXPECT(0xA0, 0x02, 0x01, 0xA1, 0x01);
}

static void test_descriptors(void **state)
{
	(void)state;
	start();
	aml_rd_mem32_fixed(&a, 0x09000000, 0x1000, true);
	aml_rd_mem32_fixed(&a, 0xFEDCBA98, 0x10, false);
	EXPECT(0x86, 0x09, 0x00, 0x01, 0x00, 0x00, 0x00, 0x09, 0x00, 0x10, 0x00, 0x00,
	       0x86, 0x09, 0x00, 0x00, 0x98, 0xBA, 0xDC, 0xFE, 0x10, 0x00, 0x00, 0x00);

	/* Interrupt (ResourceConsumer, Level, ActiveHigh, Exclusive) { 33 } and
	 * (ResourceConsumer, Edge, ActiveLow, Shared) { 48, 0x12345678 } */
	start();
	aml_rd_interrupt(&a, AML_INT_CONSUMER, (const uint32_t[]){ 33 }, 1);
	aml_rd_interrupt(&a, AML_INT_CONSUMER | AML_INT_EDGE | AML_INT_ACTIVE_LOW | AML_INT_SHARED,
			 (const uint32_t[]){ 48, 0x12345678 }, 2);
	EXPECT(0x89, 0x06, 0x00, 0x01, 0x01, 0x21, 0x00, 0x00, 0x00,
	       0x89, 0x0A, 0x00, 0x0F, 0x02, 0x30, 0x00, 0x00, 0x00, 0x78, 0x56, 0x34, 0x12);

	/* IO (Decode16, 0x3F8, 0x3F8, 1, 8), IRQNoFlags () { 4 } */
	start();
	aml_rd_io(&a, 0x3F8, 0x3F8, 1, 8);
	aml_rd_irq_noflags(&a, 1u << 4);
	EXPECT(0x47, 0x01, 0xF8, 0x03, 0xF8, 0x03, 0x01, 0x08, 0x22, 0x10, 0x00);

	/* WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode,
	 * 0, 0, 0xFF, 0, 0x100): general flags MIF|MAF = 0x0C */
	struct aml_addr bus = { .space = AML_SPACE_BUS, .flags = AML_MIN_FIXED | AML_MAX_FIXED,
				.max = 0xFF, .length = 0x100 };
	start();
	aml_rd_addr(&a, 2, &bus);
	EXPECT(0x88, 0x0D, 0x00, 0x02, 0x0C, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0x00, 0x00,
	       0x00, 0x00, 0x01);

	/* DWordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange,
	 * 0, 0, 0xFFFF, 0x3EFF0000, 0x10000) */
	struct aml_addr io = { .space = AML_SPACE_IO, .flags = AML_MIN_FIXED | AML_MAX_FIXED,
			       .type_flags = AML_IO_ENTIRE_RANGE, .max = 0xFFFF,
			       .translation = 0x3EFF0000, .length = 0x10000 };
	start();
	aml_rd_addr(&a, 4, &io);
	EXPECT(0x87, 0x17, 0x00, 0x01, 0x0C, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0,
	       0x00, 0x00, 0xFF, 0x3E, 0x00, 0x00, 0x01, 0x00);

	/* QWordMemory (ResourceConsumer, SubDecode, MinFixed, MaxFixed,
	 * Prefetchable, ReadWrite, ..., TypeTranslation) */
	struct aml_addr mem = { .space = AML_SPACE_MEMORY,
				.flags = AML_CONSUMER | AML_SUB_DECODE | AML_MIN_FIXED | AML_MAX_FIXED,
				.type_flags = AML_MEM_RW | AML_MEM_PREFETCH | AML_MEM_TRANSLATION,
				.granularity = 1, .min = 0x8000000000, .max = 0xFFFFFFFFFF,
				.translation = 2, .length = 0x8000000000 };
	start();
	aml_rd_addr(&a, 8, &mem);
	EXPECT(0x8A, 0x2B, 0x00, 0x00, 0x0F, 0x27, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0,
	       0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	       0x80, 0, 0, 0);

	/* Out of range for the width, or no such width. */
	start();
	aml_rd_addr(&a, 4, &mem);
	assert_int_equal(aml_finish(&a), FWK_ERR_INVAL);
	assert_int_equal(buf[0], GUARD);
	start();
	aml_rd_addr(&a, 3, &bus);
	assert_int_equal(aml_finish(&a), FWK_ERR_INVAL);
	start();
	aml_rd_addr(&a, 16, &bus);
	assert_int_equal(aml_finish(&a), FWK_ERR_INVAL);
	start();
	aml_rd_interrupt(&a, AML_INT_CONSUMER, NULL, 0);
	assert_int_equal(aml_finish(&a), FWK_ERR_INVAL);
	start();
	aml_rd_interrupt(&a, 0x20, (const uint32_t[]){ 1 }, 1);
	assert_int_equal(aml_finish(&a), FWK_ERR_INVAL);
}

/* ---- PkgLength at each form's boundary ------------------------------- */

/* If () { body of n bytes }: the bytes before the body. */
static void pkglength_case(uint32_t body, const uint8_t *head, size_t nhead, int err)
{
	size_t cap = (size_t)body + 8;
	uint8_t *b = malloc(cap + 1);
	struct aml t;

	assert_non_null(b);
	b[cap] = GUARD;
	aml_init(&t, b, cap);
	aml_if(&t);
	memset(b + 1, 0x5A, body);   /* the body, written as raw bytes */
	t.len = 1 + body;
	aml_close(&t);
	if (err) {
		assert_int_equal(aml_finish(&t), err);
	} else {
		assert_int_equal(aml_finish(&t), (int)(1 + nhead + body));
		assert_memory_equal(b + 1, head, nhead);
		assert_int_equal(b[1 + nhead], 0x5A);
		assert_int_equal(b[nhead + body], 0x5A);
	}
	assert_int_equal(b[cap], GUARD);
	free(b);
}

static void test_pkglength_boundaries(void **state)
{
	(void)state;
	/* The PkgLength counts itself: 62 body bytes make 63, the largest
	 * one-byte length; one more needs two bytes (65: 0x41 0x04). */
	pkglength_case(62, (const uint8_t[]){ 0x3F }, 1, 0);
	pkglength_case(63, (const uint8_t[]){ 0x41, 0x04 }, 2, 0);
	/* 4095 is the largest two-byte length: bits 0-3, then 4-11. */
	pkglength_case(4093, (const uint8_t[]){ 0x4F, 0xFF }, 2, 0);
	pkglength_case(4094, (const uint8_t[]){ 0x81, 0x00, 0x01 }, 3, 0);
	/* 1048575 (2^20 - 1) the largest three-byte one. */
	pkglength_case(1048572, (const uint8_t[]){ 0x8F, 0xFF, 0xFF }, 3, 0);
	pkglength_case(1048573, (const uint8_t[]){ 0xC1, 0x00, 0x00, 0x01 }, 4, 0);
	/* 2^28 - 1 the largest of all. */
	pkglength_case(0x0FFFFFFB, (const uint8_t[]){ 0xCF, 0xFF, 0xFF, 0xFF }, 4, 0);
	pkglength_case(0x0FFFFFFC, NULL, 0, FWK_ERR_LIMIT);
}

/* A Buffer's BufferSize grows with the body too: 0x100 bytes take a
 * WordConst, and the PkgLength counts it. */
static void test_buffer_size_forms(void **state)
{
	(void)state;
	static uint8_t body[300];

	start();
	aml_buffer(&a);
	aml_bytes(&a, body, 255);
	aml_close(&a);
	assert_int_equal(aml_finish(&a), 3 + 2 + 255);
	assert_memory_equal(buf, ((const uint8_t[]){ 0x11, 0x43, 0x10, 0x0A, 0xFF }), 5);

	start();
	aml_buffer(&a);
	aml_bytes(&a, body, 256);
	aml_close(&a);
	assert_int_equal(aml_finish(&a), 3 + 3 + 256);
	/* 256 + 3 + 2 = 261 = 0x105 */
	assert_memory_equal(buf, ((const uint8_t[]){ 0x11, 0x45, 0x10, 0x0B, 0x00, 0x01 }), 6);
}

/* ---- overflow and misuse ------------------------------------------------ */

/* A fixed construct built with every cap from 0 up: below its size the
 * builder fails with NOSPACE and never writes at or past cap; from its
 * size on it succeeds with the same bytes. */
static void build_sample(struct aml *t)
{
	aml_scope(t, "\\_SB");
	aml_device(t, "COM0");
	aml_name_str(t, "_HID", "ARMH0011");
	aml_name_decl(t, "_CRS");
	aml_rt(t);
	aml_rd_mem32_fixed(t, 0x09000000, 0x1000, true);
	aml_rd_interrupt(t, AML_INT_CONSUMER, (const uint32_t[]){ 33 }, 1);
	aml_close(t);
	aml_close(t);
	aml_close(t);
}

static void test_overflow_every_cap(void **state)
{
	(void)state;
	uint8_t ref[256], b[256 + 16];
	struct aml t;
	int n;

	aml_init(&t, ref, sizeof(ref));
	build_sample(&t);
	n = aml_finish(&t);
	assert_true(n > 40 && n < 200);
	for (int cap = 0; cap <= n + 2; cap++) {
		memset(b, GUARD, sizeof(b));
		aml_init(&t, b, (size_t)cap);
		build_sample(&t);
		if (cap < n) {
			assert_int_equal(aml_finish(&t), FWK_ERR_NOSPACE);
			/* Later calls are no-ops: still NOSPACE, nothing new. */
			uint32_t len = t.len;
			aml_int(&t, 0);
			aml_close(&t);
			assert_int_equal(t.len, len);
			assert_int_equal(aml_finish(&t), FWK_ERR_NOSPACE);
		} else {
			assert_int_equal(aml_finish(&t), n);
			assert_memory_equal(b, ref, (size_t)n);
		}
		for (size_t i = (size_t)cap; i < sizeof(b); i++)
			assert_int_equal(b[i], GUARD);
	}
}

static void test_misuse(void **state)
{
	(void)state;
	/* A close without an open. */
	start();
	aml_close(&a);
	assert_int_equal(aml_finish(&a), FWK_ERR_INVAL);
	/* Objects left open. */
	start();
	aml_scope(&a, "\\");
	assert_int_equal(aml_finish(&a), FWK_ERR_INVAL);
	/* AML_NEST_MAX open objects are fine, one more is not. */
	start();
	for (unsigned i = 0; i < AML_NEST_MAX; i++)
		aml_if(&a);
	for (unsigned i = 0; i < AML_NEST_MAX; i++)
		aml_close(&a);
	assert_int_equal(aml_finish(&a), 2 * AML_NEST_MAX);
	start();
	for (unsigned i = 0; i <= AML_NEST_MAX; i++)
		aml_if(&a);
	assert_int_equal(aml_finish(&a), FWK_ERR_LIMIT);
	/* Counts and argument numbers out of range. */
	start();
	aml_package(&a, 256);
	assert_int_equal(aml_finish(&a), FWK_ERR_INVAL);
	start();
	aml_method(&a, "M8", 8, false);
	assert_int_equal(aml_finish(&a), FWK_ERR_INVAL);
	/* The first error stays: a later NOSPACE does not replace it. */
	start();
	aml_name(&a, "bad");
	a.cap = 0;
	aml_int(&a, 5);
	assert_int_equal(aml_finish(&a), FWK_ERR_INVAL);
}

/* ---- iasl as the oracle --------------------------------------------------- */

struct text {
	char *p;
	size_t n, cap;
};

static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->p + t->n, t->cap - t->n, fmt, ap);
		va_end(ap);
		assert_true(n >= 0);
		if (t->n + (size_t)n < t->cap)
			break;
		t->cap = (t->cap + (size_t)n) * 2;
		t->p = realloc(t->p, t->cap);
		assert_non_null(t->p);
	}
	t->n += (size_t)n;
}

/* Compile "DefinitionBlock (...) { dsl }" with iasl and return the AML
 * after the table header. */
static uint8_t *iasl_compile(const char *dsl, size_t *len)
{
	char *dir = temp_dir("fwkit-aml");
	char path[512];
	struct text t = { .p = malloc(64), .cap = 64 };
	size_t n;
	uint8_t *aml, *body;

	assert_non_null(t.p);
	put(&t, "DefinitionBlock (\"\", \"SSDT\", 2, \"FWKIT \", \"AMLTEST \", 1)\n{\n%s\n}\n", dsl);
	snprintf(path, sizeof(path), "%s/t.dsl", dir);
	spew(path, t.p, t.n);
	free(t.p);
	if (sh("cd '%s' && iasl -p t t.dsl > iasl.log 2>&1 || { cat iasl.log; exit 1; }", dir)) {
		remove_dir(dir);
		fail_msg("iasl could not compile the oracle's ASL (is acpica-tools installed?)");
	}
	snprintf(path, sizeof(path), "%s/t.aml", dir);
	aml = slurp(path, &n);
	remove_dir(dir);
	assert_true(n >= 36);
	body = exact_copy(aml + 36, n - 36);
	free(aml);
	*len = n - 36;
	return body;
}

static void oracle(const char *dsl, void (*build)(struct aml *t))
{
	static uint8_t out[65536];
	struct aml t;
	size_t n;
	uint8_t *want = iasl_compile(dsl, &n);

	aml_init(&t, out, sizeof(out));
	build(&t);
	assert_int_equal(aml_finish(&t), (int)n);
	assert_memory_equal(out, want, n);
	free(want);
}

static void b_ints(struct aml *t)
{
	static const uint64_t v[] = { 0, 1, 2, 0xFF, 0x100, 0xFFFF, 0x10000, 0xFFFFFFFF,
				      0x100000000, 0xFFFFFFFFFFFFFFFE, 0xFFFFFFFFFFFFFFFF };
	char name[5];

	for (unsigned i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		snprintf(name, sizeof(name), "I%u", i);
		aml_name_int(t, name, v[i]);
	}
}

static void test_iasl_integers(void **state)
{
	(void)state;
	oracle("Name (I0, 0) Name (I1, 1) Name (I2, 2) Name (I3, 0xFF) Name (I4, 0x100)\n"
	       "Name (I5, 0xFFFF) Name (I6, 0x10000) Name (I7, 0xFFFFFFFF)\n"
	       "Name (I8, 0x100000000) Name (I9, 0xFFFFFFFFFFFFFFFE) Name (I10, Ones)",
	       b_ints);
}

static void b_names(struct aml *t)
{
	aml_scope(t, "\\_SB");
	aml_device(t, "PCI0");
	aml_name_eisaid(t, "_HID", "PNP0A08");
	aml_name_eisaid(t, "_CID", "PNP0A03");
	aml_name_str(t, "_UID", "PCI0");
	aml_device(t, "RES0");
	aml_name_eisaid(t, "_HID", "PNP0C02");
	aml_name_str(t, "STR0", "");
	aml_close(t);
	aml_close(t);
	aml_close(t);
	aml_scope(t, "\\_SB.PCI0.RES0");
	aml_name_int(t, "XX", 2);
	aml_close(t);
	aml_scope(t, "\\_SB.PCI0");
	aml_scope(t, "^PCI0");
	aml_name_int(t, "YY", 3);
	aml_close(t);
	aml_close(t);
	aml_scope(t, "\\");
	aml_name_str(t, "\\ROOT", "ACPI0007");
	aml_close(t);
}

static void test_iasl_names(void **state)
{
	(void)state;
	oracle("Scope (\\_SB) { Device (PCI0) { Name (_HID, EisaId (\"PNP0A08\"))\n"
	       "  Name (_CID, EisaId (\"PNP0A03\")) Name (_UID, \"PCI0\")\n"
	       "  Device (RES0) { Name (_HID, EisaId (\"PNP0C02\")) Name (STR0, \"\") } } }\n"
	       "Scope (\\_SB.PCI0.RES0) { Name (XX, 2) }\n"
	       "Scope (\\_SB.PCI0) { Scope (^PCI0) { Name (YY, 3) } }\n"
	       "Scope (\\) { Name (\\ROOT, \"ACPI0007\") }",
	       b_names);
}

static void b_packages(struct aml *t)
{
	aml_name_decl(t, "P");
	aml_package(t, 3);
	aml_int(t, 1);
	aml_string(t, "x");
	aml_package(t, 2);
	aml_int(t, 0x10);
	aml_int(t, 0x200);
	aml_close(t);
	aml_close(t);
	/* More than 255 elements: a VarPackage with a WordConst count. */
	aml_name_decl(t, "V");
	aml_varpackage(t, 300);
	for (int i = 0; i < 300; i++)
		aml_int(t, (uint64_t)i);
	aml_close(t);
	/* A PCI routing table: 128 packages, a two-byte PkgLength. */
	aml_name_decl(t, "_PRT");
	aml_package(t, 128);
	for (uint32_t s = 0; s < 32; s++)
		for (uint32_t p = 0; p < 4; p++) {
			aml_package(t, 4);
			aml_int(t, s << 16 | 0xFFFF);
			aml_int(t, p);
			aml_int(t, 0);
			aml_int(t, 35 + (s + p) % 4);
			aml_close(t);
		}
	aml_close(t);
}

static void test_iasl_packages(void **state)
{
	(void)state;
	struct text d = { .p = malloc(64), .cap = 64 };

	assert_non_null(d.p);
	d.p[0] = '\0';
	put(&d, "Name (P, Package (3) { One, \"x\", Package (2) { 0x10, 0x200 } })\n");
	put(&d, "Name (V, Package (0x12C) {");
	for (int i = 0; i < 300; i++)
		put(&d, "%s%d", i ? ", " : " ", i);
	put(&d, " })\nName (_PRT, Package (0x80) {");
	for (unsigned s = 0; s < 32; s++)
		for (unsigned p = 0; p < 4; p++)
			put(&d, "%s Package (4) { 0x%XFFFF, %u, 0, %u }", s + p ? "," : "", s, p,
			    35 + (s + p) % 4);
	put(&d, " })");
	oracle(d.p, b_packages);
	free(d.p);
}

static void b_buffers(struct aml *t)
{
	static uint8_t big[5000];

	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7);
	aml_name_decl(t, "B0");
	aml_buffer(t);
	aml_close(t);
	aml_name_decl(t, "B1");
	aml_buffer(t);
	aml_bytes(t, big, 3);
	aml_close(t);
	aml_name_decl(t, "B2");
	aml_buffer(t);
	aml_bytes(t, big, 100);
	aml_close(t);
	aml_name_decl(t, "B3");       /* a three-byte PkgLength */
	aml_buffer(t);
	aml_bytes(t, big, sizeof(big));
	aml_close(t);
	aml_name_decl(t, "U");
	aml_uuid(t, "E5C937D0-3553-4D7A-9117-EA4D19C3434D");
}

static void test_iasl_buffers(void **state)
{
	(void)state;
	struct text d = { .p = malloc(64), .cap = 64 };
	static const unsigned sizes[] = { 0, 3, 100, 5000 };

	assert_non_null(d.p);
	d.p[0] = '\0';
	for (unsigned k = 0; k < 4; k++) {
		put(&d, "Name (B%u, Buffer () {", k);
		for (unsigned i = 0; i < sizes[k]; i++)
			put(&d, "%s0x%02X", i ? ", " : " ", (unsigned)(uint8_t)(i * 7));
		put(&d, " })\n");
	}
	put(&d, "Name (U, ToUUID (\"E5C937D0-3553-4D7A-9117-EA4D19C3434D\"))");
	oracle(d.p, b_buffers);
	free(d.p);
}

/* Methods with Return, If/Else, CreateDWordField, And/Or/LNot/LEqual and
 * Store: an _OSC as a PCI host bridge writes it. */
static void b_methods(struct aml *t)
{
	aml_method(t, "_STA", 0, false);
	aml_byte(t, AML_OP_RETURN);
	aml_int(t, 0x0F);
	aml_close(t);
	aml_method(t, "M2", 2, true);
	aml_byte(t, AML_OP_RETURN);
	aml_byte(t, AML_OP_ARG0 + 1);
	aml_close(t);
	aml_method(t, "M7", 7, false);
	aml_byte(t, AML_OP_RETURN);
	aml_byte(t, AML_OP_ARG0 + 6);
	aml_close(t);

	aml_method(t, "_OSC", 4, false);
	aml_byte(t, AML_OP_CREATE_DWORD_FIELD);
	aml_byte(t, AML_OP_ARG0 + 3);
	aml_int(t, 0);
	aml_name(t, "CDW1");
	aml_if(t);
	aml_byte(t, AML_OP_LEQUAL);
	aml_byte(t, AML_OP_ARG0);
	aml_uuid(t, "33db4d5b-1ff7-401c-9657-7441c03dd766");
	aml_byte(t, AML_OP_CREATE_DWORD_FIELD);
	aml_byte(t, AML_OP_ARG0 + 3);
	aml_int(t, 8);
	aml_name(t, "CDW3");
	aml_byte(t, AML_OP_AND);
	aml_name(t, "CDW3");
	aml_int(t, 0x1F);
	aml_byte(t, AML_OP_LOCAL0);
	aml_if(t);
	aml_byte(t, AML_OP_LNOT);
	aml_byte(t, AML_OP_LEQUAL);
	aml_byte(t, AML_OP_ARG0 + 1);
	aml_byte(t, AML_OP_ONE);
	aml_byte(t, AML_OP_OR);
	aml_name(t, "CDW1");
	aml_int(t, 0x08);
	aml_name(t, "CDW1");
	aml_close(t);
	aml_byte(t, AML_OP_STORE);
	aml_byte(t, AML_OP_LOCAL0);
	aml_name(t, "CDW3");
	aml_close(t);
	aml_else(t);
	aml_byte(t, AML_OP_OR);
	aml_name(t, "CDW1");
	aml_int(t, 0x04);
	aml_name(t, "CDW1");
	aml_close(t);
	aml_byte(t, AML_OP_RETURN);
	aml_byte(t, AML_OP_ARG0 + 3);
	aml_close(t);
}

static void test_iasl_methods(void **state)
{
	(void)state;
	oracle("Method (_STA, 0, NotSerialized) { Return (0x0F) }\n"
	       "Method (M2, 2, Serialized) { Return (Arg1) }\n"
	       "Method (M7, 7, NotSerialized) { Return (Arg6) }\n"
	       "Method (_OSC, 4, NotSerialized) {\n"
	       "  CreateDWordField (Arg3, Zero, CDW1)\n"
	       "  If (LEqual (Arg0, ToUUID (\"33db4d5b-1ff7-401c-9657-7441c03dd766\"))) {\n"
	       "    CreateDWordField (Arg3, 8, CDW3)\n"
	       "    And (CDW3, 0x1F, Local0)\n"
	       "    If (LNot (LEqual (Arg1, One))) { Or (CDW1, 0x08, CDW1) }\n"
	       "    Store (Local0, CDW3)\n"
	       "  } Else { Or (CDW1, 0x04, CDW1) }\n"
	       "  Return (Arg3)\n"
	       "}",
	       b_methods);
}

static void b_resources(struct aml *t)
{
	struct aml_addr r;

	aml_device(t, "DEV0");
	aml_name_str(t, "_HID", "FWKT0001");
	aml_name_decl(t, "_CRS");
	aml_rt(t);
	aml_rd_mem32_fixed(t, 0x09000000, 0x1000, true);
	aml_rd_mem32_fixed(t, 0xFEDC0000, 0x10, false);
	r = (struct aml_addr){ .space = AML_SPACE_BUS, .flags = AML_MIN_FIXED | AML_MAX_FIXED,
			       .max = 0xFF, .length = 0x100 };
	aml_rd_addr(t, 2, &r);
	r = (struct aml_addr){ .space = AML_SPACE_IO, .flags = AML_MIN_FIXED | AML_MAX_FIXED,
			       .type_flags = AML_IO_ENTIRE_RANGE, .min = 0xD00, .max = 0xFFFF,
			       .length = 0xF300 };
	aml_rd_addr(t, 2, &r);
	r = (struct aml_addr){ .space = AML_SPACE_IO, .flags = AML_MIN_FIXED | AML_MAX_FIXED,
			       .type_flags = AML_IO_ENTIRE_RANGE, .max = 0xFFFF,
			       .translation = 0x3EFF0000, .length = 0x10000 };
	aml_rd_addr(t, 4, &r);
	r.type_flags |= AML_IO_TRANSLATION;
	aml_rd_addr(t, 8, &r);
	r = (struct aml_addr){ .space = AML_SPACE_MEMORY,
			       .flags = AML_CONSUMER | AML_MIN_FIXED | AML_MAX_FIXED,
			       .type_flags = AML_MEM_RW | AML_MEM_CACHEABLE, .min = 0x10000000,
			       .max = 0x3EFEFFFF, .length = 0x2EFF0000 };
	aml_rd_addr(t, 4, &r);
	r = (struct aml_addr){ .space = AML_SPACE_MEMORY,
			       .flags = AML_SUB_DECODE | AML_MIN_FIXED | AML_MAX_FIXED,
			       .type_flags = AML_MEM_PREFETCH | AML_MEM_TRANSLATION,
			       .min = 0x8000000000, .max = 0xFFFFFFFFFF,
			       .translation = 0x100000, .length = 0x8000000000 };
	aml_rd_addr(t, 8, &r);
	aml_rd_interrupt(t, AML_INT_CONSUMER, (const uint32_t[]){ 33 }, 1);
	aml_rd_interrupt(t, AML_INT_CONSUMER | AML_INT_EDGE | AML_INT_ACTIVE_LOW | AML_INT_SHARED,
			 (const uint32_t[]){ 48, 49, 50 }, 3);
	aml_rd_interrupt(t, 0, (const uint32_t[]){ 0x123 }, 1);
	aml_rd_io(t, 0x3F8, 0x3F8, 1, 8);
	aml_rd_io(t, 0x70, 0x70, 0, 2);
	aml_rd_irq_noflags(t, 1u << 4);
	aml_rd_irq_noflags(t, 1u << 3 | 1u << 8);
	aml_close(t);
	aml_name_decl(t, "_PRS");
	aml_rt(t);
	aml_close(t);
	aml_close(t);
}

static void test_iasl_resources(void **state)
{
	(void)state;
	oracle("Device (DEV0) { Name (_HID, \"FWKT0001\")\n"
	       "Name (_CRS, ResourceTemplate () {\n"
	       " Memory32Fixed (ReadWrite, 0x09000000, 0x1000)\n"
	       " Memory32Fixed (ReadOnly, 0xFEDC0000, 0x10)\n"
	       " WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode,"
	       "  0, 0, 0xFF, 0, 0x100)\n"
	       " WordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange,"
	       "  0, 0xD00, 0xFFFF, 0, 0xF300)\n"
	       " DWordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange,"
	       "  0, 0, 0xFFFF, 0x3EFF0000, 0x10000)\n"
	       " QWordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange,"
	       "  0, 0, 0xFFFF, 0x3EFF0000, 0x10000,,,, TypeTranslation)\n"
	       " DWordMemory (ResourceConsumer, PosDecode, MinFixed, MaxFixed, Cacheable,"
	       "  ReadWrite, 0, 0x10000000, 0x3EFEFFFF, 0, 0x2EFF0000)\n"
	       " QWordMemory (ResourceProducer, SubDecode, MinFixed, MaxFixed, Prefetchable,"
	       "  ReadOnly, 0, 0x8000000000, 0xFFFFFFFFFF, 0x100000, 0x8000000000,,,,"
	       "  AddressRangeMemory, TypeTranslation)\n"
	       " Interrupt (ResourceConsumer, Level, ActiveHigh, Exclusive) { 33 }\n"
	       " Interrupt (ResourceConsumer, Edge, ActiveLow, Shared) { 48, 49, 50 }\n"
	       " Interrupt (ResourceProducer, Level, ActiveHigh, Exclusive) { 0x123 }\n"
	       " IO (Decode16, 0x3F8, 0x3F8, 1, 8)\n"
	       " IO (Decode16, 0x70, 0x70, 0, 2)\n"
	       " IRQNoFlags () { 4 }\n"
	       " IRQNoFlags () { 3, 8 }\n"
	       "})\n"
	       "Name (_PRS, ResourceTemplate () { }) }",
	       b_resources);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_strings_and_ids),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_objects),
		cmocka_unit_test(test_descriptors),
		cmocka_unit_test(test_pkglength_boundaries),
		cmocka_unit_test(test_buffer_size_forms),
		cmocka_unit_test(test_overflow_every_cap),
		cmocka_unit_test(test_misuse),
		cmocka_unit_test(test_iasl_integers),
		cmocka_unit_test(test_iasl_names),
		cmocka_unit_test(test_iasl_packages),
		cmocka_unit_test(test_iasl_buffers),
		cmocka_unit_test(test_iasl_methods),
		cmocka_unit_test(test_iasl_resources),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

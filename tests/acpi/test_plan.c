/* SPDX-License-Identifier: MIT */
/* test_plan.c - cmocka tests of acpi_plan(): each verdict and reason the
 * Linux initrd table upgrade can give, its warnings, and its 64-file cap. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../support/testkit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fwkit/acpi.h>

#define MAXC 80

/* The candidates of one test: exact-size heap tables, freed at the end. */
struct set {
	struct acpi_candidate c[MAXC];
	struct acpi_target t[16];
	struct acpi_plan_entry out[MAXC];
	uint32_t nc, nt;
};

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void pad_copy(char *dst, const char *src, size_t n)
{
	size_t l = strlen(src);

	memset(dst, ' ', n);
	memcpy(dst, src, l < n ? l : n);
}

/* A valid table of `len` bytes (>= 36): sig, OEM ID "FWKIT", the given
 * OEM table ID and revision, correct checksum. */
static uint8_t *table(const char *sig, const char *tid, uint32_t rev, size_t len)
{
	uint8_t b[256];
	unsigned sum = 0;

	assert_true(len >= 36 && len <= sizeof(b));
	memset(b, 0, sizeof(b));
	memcpy(b, sig, 4);
	put32(b + 4, (uint32_t)len);
	b[8] = 2;
	pad_copy((char *)b + 10, "FWKIT", 6);
	pad_copy((char *)b + 16, tid, 8);
	put32(b + 24, rev);
	memcpy(b + 28, "INTL", 4);
	put32(b + 32, 0x20200925);
	for (size_t i = 36; i < len; i++)
		b[i] = (uint8_t)(i + rev);
	for (size_t i = 0; i < len; i++)
		sum += b[i];
	b[9] = (uint8_t)(256 - sum % 256);
	return exact_copy(b, len);
}

static void add_raw(struct set *s, uint8_t *data, size_t len, const char *name)
{
	assert_true(s->nc < MAXC);
	s->c[s->nc].data = data;
	s->c[s->nc].len = len;
	s->c[s->nc].name = name;
	s->c[s->nc].namelen = name ? (uint32_t)strlen(name) : 0;
	s->nc++;
}

static void add(struct set *s, const char *sig, const char *tid, uint32_t rev)
{
	add_raw(s, table(sig, tid, rev, 64), 64, "t.aml");
}

static void target(struct set *s, const char *sig, const char *tid, uint32_t rev,
		   bool dynamic)
{
	uint8_t *b = table(sig, tid, rev, 36);

	assert_true(s->nt < 16);
	assert_int_equal(acpi_header_parse(b, 36, &s->t[s->nt].h, NULL), 0);
	s->t[s->nt].dynamic = dynamic;
	s->nt++;
	free(b);
}

static struct set *set_new(void)
{
	struct set *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	return s;
}

static void set_free(struct set *s)
{
	for (uint32_t i = 0; i < s->nc; i++)
		free((void *)s->c[i].data);
	free(s);
}

static int plan(struct set *s, unsigned flags)
{
	memset(s->out, 0xa5, sizeof(s->out)); /* nothing may be left unset */
	return acpi_plan(s->c, s->nc, s->t, s->nt, flags, s->out);
}

static void expect(const struct set *s, uint32_t i, enum acpi_verdict v,
		   enum acpi_reason r, int32_t tgt, uint32_t warnings)
{
	const struct acpi_plan_entry *e = &s->out[i];

	if (e->verdict != v || e->reason != r || e->target != tgt ||
	    e->warnings != warnings)
		fail_msg("candidate %u: got %s/%d target %d warnings %#x, want "
			 "%s/%d target %d warnings %#x", i,
			 acpi_verdict_name(e->verdict), e->reason, e->target,
			 e->warnings, acpi_verdict_name(v), r, tgt, warnings);
}

/* ========================= override, drop, install ========================= */

static void test_override_greater(void **state)
{
	(void)state;
	struct set *s = set_new();

	target(s, "FACP", "BXPC", 1, false);
	target(s, "DSDT", "BXPC", 1, false);
	target(s, "SSDT", "CPUS", 7, false);
	add(s, "DSDT", "BXPC", 2);
	assert_int_equal(plan(s, 0), 1);
	expect(s, 0, ACPI_OVERRIDE, ACPI_WHY_REVISION_GREATER, 1, 0);
	assert_true(s->out[0].have_header);
	assert_memory_equal(s->out[0].h.signature, "DSDT", 4);
	assert_int_equal(s->out[0].h.oem_revision, 2);
	set_free(s);
}

static void test_equal_or_lower_dropped(void **state)
{
	(void)state;
	for (uint32_t rev = 0; rev <= 5; rev++) {
		struct set *s = set_new();

		target(s, "SSDT", "CPUS", 5, false);
		add(s, "SSDT", "CPUS", rev);
		assert_int_equal(plan(s, 0), 0);
		expect(s, 0, ACPI_DROPPED, ACPI_WHY_REVISION_NOT_GREATER, 0, 0);
		set_free(s);
	}
	/* The comparison is unsigned 32-bit. */
	struct set *s = set_new();
	target(s, "SSDT", "CPUS", 0x80000000u, false);
	add(s, "SSDT", "CPUS", 0xffffffffu);
	assert_int_equal(plan(s, 0), 1);
	expect(s, 0, ACPI_OVERRIDE, ACPI_WHY_REVISION_GREATER, 0, 0);
	set_free(s);
}

static void test_new_ids_install(void **state)
{
	(void)state;
	struct set *s = set_new();

	target(s, "SSDT", "CPUS", 5, false);
	add(s, "SSDT", "EXTRA", 1);  /* other table ID */
	add(s, "APIC", "CPUS", 9);   /* other signature */
	add_raw(s, table("SSDT", "CPUS", 9, 64), 64, "oem.aml");
	memcpy((uint8_t *)s->c[2].data + 10, "OTHER ", 6); /* other OEM ID */
	((uint8_t *)s->c[2].data)[9] = 0;
	((uint8_t *)s->c[2].data)[9] = (uint8_t)(0u - (unsigned)acpi_checksum(s->c[2].data, 64));
	assert_int_equal(plan(s, 0), 3);
	for (uint32_t i = 0; i < 3; i++)
		expect(s, i, ACPI_INSTALL, ACPI_WHY_NEW_IDS, -1, 0);
	set_free(s);
}

static void test_same_ids_lower_then_greater(void **state)
{
	(void)state;
	struct set *s = set_new();

	target(s, "SSDT", "CPUS", 5, false);
	add(s, "SSDT", "CPUS", 3);
	add(s, "SSDT", "CPUS", 6);
	assert_int_equal(plan(s, 0), 1);
	expect(s, 0, ACPI_DROPPED, ACPI_WHY_REVISION_NOT_GREATER, 0, ACPI_WARN_SAME_IDS);
	expect(s, 1, ACPI_OVERRIDE, ACPI_WHY_REVISION_GREATER, 0, ACPI_WARN_SAME_IDS);
	set_free(s);
}

/* The first greater one wins; the next has no firmware table left and is
 * installed beside it. */
static void test_same_ids_greater_then_greater(void **state)
{
	(void)state;
	struct set *s = set_new();

	target(s, "SSDT", "CPUS", 5, false);
	add(s, "SSDT", "CPUS", 6);
	add(s, "SSDT", "CPUS", 7);
	assert_int_equal(plan(s, 0), 2);
	expect(s, 0, ACPI_OVERRIDE, ACPI_WHY_REVISION_GREATER, 0, ACPI_WARN_SAME_IDS);
	expect(s, 1, ACPI_INSTALL, ACPI_WHY_NEW_IDS, -1, ACPI_WARN_SAME_IDS);
	set_free(s);
}

static void test_two_firmware_tables_two_candidates(void **state)
{
	(void)state;
	struct set *s = set_new();

	/* Both greater: one each, in order. */
	target(s, "SSDT", "PM", 5, false);
	target(s, "SSDT", "PM", 5, false);
	add(s, "SSDT", "PM", 6);
	add(s, "SSDT", "PM", 7);
	assert_int_equal(plan(s, 0), 2);
	expect(s, 0, ACPI_OVERRIDE, ACPI_WHY_REVISION_GREATER, 0, ACPI_WARN_SAME_IDS);
	expect(s, 1, ACPI_OVERRIDE, ACPI_WHY_REVISION_GREATER, 1, ACPI_WARN_SAME_IDS);
	set_free(s);

	/* The first firmware table uses up the lower one and then takes the
	 * greater: nothing is left for the second. */
	s = set_new();
	target(s, "SSDT", "PM", 5, false);
	target(s, "SSDT", "PM", 5, false);
	add(s, "SSDT", "PM", 4);
	add(s, "SSDT", "PM", 6);
	assert_int_equal(plan(s, 0), 1);
	expect(s, 0, ACPI_DROPPED, ACPI_WHY_REVISION_NOT_GREATER, 0, ACPI_WARN_SAME_IDS);
	expect(s, 1, ACPI_OVERRIDE, ACPI_WHY_REVISION_GREATER, 0, ACPI_WARN_SAME_IDS);
	set_free(s);

	/* Firmware order decides: revision 5 first drops the 3 ... */
	s = set_new();
	target(s, "SSDT", "PM", 5, false);
	target(s, "SSDT", "PM", 1, false);
	add(s, "SSDT", "PM", 3);
	assert_int_equal(plan(s, 0), 0);
	expect(s, 0, ACPI_DROPPED, ACPI_WHY_REVISION_NOT_GREATER, 0, 0);
	set_free(s);
	/* ... revision 1 first takes it. */
	s = set_new();
	target(s, "SSDT", "PM", 1, false);
	target(s, "SSDT", "PM", 5, false);
	add(s, "SSDT", "PM", 3);
	assert_int_equal(plan(s, 0), 1);
	expect(s, 0, ACPI_OVERRIDE, ACPI_WHY_REVISION_GREATER, 0, 0);
	set_free(s);
}

static void test_root_tables_dropped(void **state)
{
	(void)state;
	struct set *s = set_new();

	target(s, "XSDT", "BXPC", 1, false);
	target(s, "RSDT", "BXPC", 1, false);
	add(s, "XSDT", "BXPC", 9);
	add(s, "RSDT", "BXPC", 9);
	add(s, "XSDT", "NEW", 1);
	assert_int_equal(plan(s, 0), 0);
	expect(s, 0, ACPI_DROPPED, ACPI_WHY_ROOT_TABLE, -1, 0);
	expect(s, 1, ACPI_DROPPED, ACPI_WHY_ROOT_TABLE, -1, 0);
	expect(s, 2, ACPI_DROPPED, ACPI_WHY_ROOT_TABLE, -1, 0);
	set_free(s);
}

static void test_dynamic_warning(void **state)
{
	(void)state;
	struct set *s = set_new();

	target(s, "SSDT", "CPU0IST", 0x3000, true);
	target(s, "SSDT", "PMTABLE", 1, false);
	add(s, "SSDT", "CPU0IST", 0x3001); /* greater, but not matched at boot */
	add(s, "SSDT", "CPU0IST", 1);      /* lower: installed all the same */
	add(s, "SSDT", "PMTABLE", 2);
	assert_int_equal(plan(s, 0), 3);
	expect(s, 0, ACPI_INSTALL, ACPI_WHY_NEW_IDS, -1,
	       ACPI_WARN_DYNAMIC | ACPI_WARN_SAME_IDS);
	expect(s, 1, ACPI_INSTALL, ACPI_WHY_NEW_IDS, -1,
	       ACPI_WARN_DYNAMIC | ACPI_WARN_SAME_IDS);
	expect(s, 2, ACPI_OVERRIDE, ACPI_WHY_REVISION_GREATER, 1, 0);
	set_free(s);
}

static void test_singleton_warning(void **state)
{
	(void)state;
	struct set *s = set_new();

	target(s, "FACP", "BXPC", 1, false);
	target(s, "DSDT", "BXPC", 1, false);
	add(s, "DSDT", "OTHER", 1);
	add(s, "FACP", "OTHER", 1);
	add(s, "DSDT", "BXPC", 2);  /* an override: no warning */
	add(s, "FACP", "BXPC", 2);
	assert_int_equal(plan(s, 0), 4);
	expect(s, 0, ACPI_INSTALL, ACPI_WHY_NEW_IDS, -1, ACPI_WARN_SINGLETON);
	expect(s, 1, ACPI_INSTALL, ACPI_WHY_NEW_IDS, -1, ACPI_WARN_SINGLETON);
	expect(s, 2, ACPI_OVERRIDE, ACPI_WHY_REVISION_GREATER, 1, 0);
	expect(s, 3, ACPI_OVERRIDE, ACPI_WHY_REVISION_GREATER, 0, 0);
	set_free(s);
}

static void test_facs_target_never_matched(void **state)
{
	(void)state;
	struct set *s = set_new();
	uint8_t facs[64] = { 'F', 'A', 'C', 'S', 64 };

	target(s, "FACS", "BXPC", 1, false);
	add_raw(s, exact_copy(facs, 64), 64, "facs.dat");
	assert_int_equal(plan(s, 0), 0);
	expect(s, 0, ACPI_REJECTED, ACPI_WHY_SIGNATURE, -1, 0);
	set_free(s);
}

static void test_lockdown(void **state)
{
	(void)state;
	struct set *s = set_new();

	target(s, "DSDT", "BXPC", 1, false);
	add(s, "DSDT", "BXPC", 2);
	add(s, "SSDT", "NEW", 1);
	add(s, "SSDT", "NEW", 2);
	add_raw(s, exact_copy("DSDT", 4), 4, "short.aml");
	assert_int_equal(plan(s, ACPI_PLAN_LOCKDOWN), 0);
	expect(s, 0, ACPI_DROPPED, ACPI_WHY_LOCKDOWN, -1, ACPI_WARN_LOCKDOWN);
	expect(s, 1, ACPI_DROPPED, ACPI_WHY_LOCKDOWN, -1,
	       ACPI_WARN_LOCKDOWN | ACPI_WARN_SAME_IDS);
	expect(s, 2, ACPI_DROPPED, ACPI_WHY_LOCKDOWN, -1,
	       ACPI_WARN_LOCKDOWN | ACPI_WARN_SAME_IDS);
	/* A file the kernel refuses is still refused, for its own reason. */
	expect(s, 3, ACPI_REJECTED, ACPI_WHY_SMALL, -1, 0);
	/* Unlocked, the same set is used. */
	assert_int_equal(plan(s, 0), 3);
	expect(s, 0, ACPI_OVERRIDE, ACPI_WHY_REVISION_GREATER, 0, 0);
	set_free(s);
}

/* ========================= rejections ========================= */

static void test_reject_reasons(void **state)
{
	(void)state;
	struct set *s = set_new();
	uint8_t *b;

	/* 0: 35 bytes, no header. */
	b = table("SSDT", "SMALL", 1, 36);
	add_raw(s, exact_copy(b, 35), 35, "small.aml");
	free(b);
	/* 1: empty file. */
	add_raw(s, exact_copy("", 0), 0, "empty.aml");
	/* 2: a signature outside the allowlist (and a bad sum: the
	 * signature is judged first). */
	b = table("FPDT", "PERF", 1, 64);
	b[40] ^= 1;
	add_raw(s, b, 64, "fpdt.aml");
	/* 3: Length says 64, the file has 100 bytes (and a bad sum). */
	b = table("SSDT", "LONG", 1, 100);
	put32(b + 4, 64);
	add_raw(s, b, 100, "long.aml");
	/* 4: Length says more than the file. */
	b = table("SSDT", "SHORT", 1, 64);
	put32(b + 4, 65);
	add_raw(s, b, 64, "short.aml");
	/* 5: the checksum. */
	b = table("SSDT", "SUM", 1, 64);
	b[9]++;
	add_raw(s, b, 64, "sum.aml");
	/* 6: lower-case signature is not in the allowlist. */
	add_raw(s, table("ssdt", "LOWER", 1, 64), 64, "lower.aml");

	assert_int_equal(plan(s, 0), 0);
	expect(s, 0, ACPI_REJECTED, ACPI_WHY_SMALL, -1, 0);
	assert_false(s->out[0].have_header);
	expect(s, 1, ACPI_REJECTED, ACPI_WHY_SMALL, -1, 0);
	assert_false(s->out[1].have_header);
	expect(s, 2, ACPI_REJECTED, ACPI_WHY_SIGNATURE, -1, 0);
	assert_true(s->out[2].have_header);
	assert_memory_equal(s->out[2].h.signature, "FPDT", 4);
	expect(s, 3, ACPI_REJECTED, ACPI_WHY_LENGTH, -1, 0);
	assert_true(s->out[3].have_header);
	assert_int_equal(s->out[3].h.length, 64);
	expect(s, 4, ACPI_REJECTED, ACPI_WHY_LENGTH, -1, 0);
	expect(s, 5, ACPI_REJECTED, ACPI_WHY_CHECKSUM, -1, 0);
	expect(s, 6, ACPI_REJECTED, ACPI_WHY_SIGNATURE, -1, 0);
	set_free(s);
}

/* The kernel looks at 64 files, refused ones included; the 65th is never
 * read, so it gets no other verdict or warning. */
static void test_too_many(void **state)
{
	(void)state;
	static char names[MAXC][32];
	struct set *s = set_new();

	for (uint32_t i = 0; i < 10; i++)
		add_raw(s, exact_copy("x", 1), 1, "tiny");
	for (uint32_t i = 10; i < 66; i++) {
		char tid[9];
		snprintf(tid, sizeof(tid), "T%u", i);
		snprintf(names[i], sizeof(names[i]), "a-very-long-name-%u", i);
		add_raw(s, table("SSDT", tid, 1, 64), 64, names[i]);
	}
	assert_int_equal(plan(s, 0), 54);
	for (uint32_t i = 0; i < 10; i++)
		expect(s, i, ACPI_REJECTED, ACPI_WHY_SMALL, -1, 0);
	for (uint32_t i = 10; i < 64; i++)
		expect(s, i, ACPI_INSTALL, ACPI_WHY_NEW_IDS, -1, ACPI_WARN_LONG_NAME);
	expect(s, 64, ACPI_REJECTED, ACPI_WHY_TOO_MANY, -1, 0);
	expect(s, 65, ACPI_REJECTED, ACPI_WHY_TOO_MANY, -1, 0);
	assert_false(s->out[64].have_header);
	set_free(s);

	/* Exactly 64 valid files: all used. */
	s = set_new();
	for (uint32_t i = 0; i < 64; i++) {
		char tid[9];
		snprintf(tid, sizeof(tid), "T%u", i);
		add(s, "SSDT", tid, 1);
	}
	assert_int_equal(plan(s, 0), 64);
	expect(s, 63, ACPI_INSTALL, ACPI_WHY_NEW_IDS, -1, 0);
	set_free(s);
}

static void test_long_name(void **state)
{
	(void)state;
	struct set *s = set_new();

	add_raw(s, table("SSDT", "A", 1, 64), 64, "0123456789abcdef");   /* 16 */
	add_raw(s, table("SSDT", "B", 1, 64), 64, "0123456789abcdefg");  /* 17 */
	add_raw(s, table("SSDT", "C", 1, 64), 64, NULL);
	add_raw(s, exact_copy("DSDT", 4), 4, "0123456789abcdefgh");      /* 18 */
	assert_int_equal(plan(s, 0), 3);
	expect(s, 0, ACPI_INSTALL, ACPI_WHY_NEW_IDS, -1, 0);
	expect(s, 1, ACPI_INSTALL, ACPI_WHY_NEW_IDS, -1, ACPI_WARN_LONG_NAME);
	expect(s, 2, ACPI_INSTALL, ACPI_WHY_NEW_IDS, -1, 0);
	expect(s, 3, ACPI_REJECTED, ACPI_WHY_SMALL, -1, ACPI_WARN_LONG_NAME);
	set_free(s);
}

static void test_invalid_and_empty(void **state)
{
	(void)state;
	struct set *s = set_new();
	struct acpi_plan_entry e;

	add(s, "SSDT", "X", 1);
	assert_int_equal(acpi_plan(s->c, 1, NULL, 0, 0, NULL), FWK_ERR_INVAL);
	assert_int_equal(acpi_plan(NULL, 1, NULL, 0, 0, &e), FWK_ERR_INVAL);
	assert_int_equal(acpi_plan(s->c, 1, NULL, 1, 0, &e), FWK_ERR_INVAL);
	const uint8_t *keep = s->c[0].data;
	s->c[0].data = NULL;
	assert_int_equal(acpi_plan(s->c, 1, NULL, 0, 0, &e), FWK_ERR_INVAL);
	s->c[0].data = keep;
	assert_int_equal(acpi_plan(s->c, 1, NULL, 0, 0, &e), 1);
	assert_int_equal(e.verdict, ACPI_INSTALL);
	assert_int_equal(acpi_plan(NULL, 0, NULL, 0, 0, NULL), 0);
	set_free(s);
}

static void test_names_and_texts(void **state)
{
	(void)state;
	assert_string_equal(acpi_verdict_name(ACPI_OVERRIDE), "override");
	assert_string_equal(acpi_verdict_name(ACPI_INSTALL), "install");
	assert_string_equal(acpi_verdict_name(ACPI_DROPPED), "dropped");
	assert_string_equal(acpi_verdict_name(ACPI_REJECTED), "rejected");
	assert_string_equal(acpi_verdict_name((enum acpi_verdict)0), "unknown");
	for (int r = ACPI_WHY_REVISION_GREATER; r <= ACPI_WHY_TOO_MANY; r++) {
		const char *t = acpi_reason_text((enum acpi_reason)r);
		assert_true(strlen(t) > 20);
		assert_string_not_equal(t, "unknown reason");
		for (int q = ACPI_WHY_REVISION_GREATER; q < r; q++)
			assert_string_not_equal(t, acpi_reason_text((enum acpi_reason)q));
	}
	assert_string_equal(acpi_reason_text((enum acpi_reason)99), "unknown reason");
	assert_non_null(strstr(acpi_reason_text(ACPI_WHY_REVISION_NOT_GREATER),
			       "not greater"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_override_greater),
		cmocka_unit_test(test_equal_or_lower_dropped),
		cmocka_unit_test(test_new_ids_install),
		cmocka_unit_test(test_same_ids_lower_then_greater),
		cmocka_unit_test(test_same_ids_greater_then_greater),
		cmocka_unit_test(test_two_firmware_tables_two_candidates),
		cmocka_unit_test(test_root_tables_dropped),
		cmocka_unit_test(test_dynamic_warning),
		cmocka_unit_test(test_singleton_warning),
		cmocka_unit_test(test_facs_target_never_matched),
		cmocka_unit_test(test_lockdown),
		cmocka_unit_test(test_reject_reasons),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_long_name),
		cmocka_unit_test(test_invalid_and_empty),
		cmocka_unit_test(test_names_and_texts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

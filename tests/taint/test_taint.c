/* SPDX-License-Identifier: MIT */
/* test_taint.c - cmocka tests of the taint bits, the ledger's text and JSON
 * forms (exact strings, round trips, one rejection per defect, every short
 * buffer) and its TCG event log, read back by tpm2_eventlog. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../support/testkit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <fwkit/taint.h>

/* Linux's letters for bits 0..19, written out independently of taint.c. */
static const char set_letters[] = "PFSRMBUDAWCIOELKXTNJ";

/* Two digests whose hex the tests can spell out by hand. */
#define H_NEW "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define H_OLD "fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0efeeedecebeae9e8e7e6e5e4e3e2e1e0"

static void digest_new(uint8_t d[SHA256_DIGEST_SIZE])
{
	for (unsigned i = 0; i < SHA256_DIGEST_SIZE; i++)
		d[i] = (uint8_t)i;
}

static void digest_old(uint8_t d[SHA256_DIGEST_SIZE])
{
	for (unsigned i = 0; i < SHA256_DIGEST_SIZE; i++)
		d[i] = (uint8_t)(0xff - i);
}

static void set_str(char *dst, size_t cap, const char *s)
{
	assert_true(strlen(s) < cap);
	memset(dst, 0, cap);
	memcpy(dst, s, strlen(s));
}

#define SET(field, s) set_str((field), sizeof(field), (s))

/* The DESIGN.md example: an initrd DSDT that replaced the firmware's. */
static void make_override(struct ledger_record *r)
{
	memset(r, 0, sizeof(*r));
	r->kind = LEDGER_ACPI_OVERRIDE;
	SET(r->identity, "DSDT BOCHS  BXPC     rev 2");
	SET(r->source, "kernel/firmware/acpi/dsdt.aml");
	digest_new(r->sha256);
	r->have_replaced = true;
	digest_old(r->replaced_sha256);
	SET(r->reason, "OEM revision 2 > 1");
	r->taint_bit = (int)TAINT_OVERRIDDEN_ACPI_TABLE;
}

static void make_install(struct ledger_record *r)
{
	memset(r, 0, sizeof(*r));
	r->kind = LEDGER_ACPI_INSTALL;
	SET(r->identity, "SSDT FWKIT  EXTRA    rev 1");
	SET(r->source, "kernel/firmware/acpi/ssdt1.aml");
	digest_new(r->sha256);
	SET(r->reason, "no firmware table with these IDs");
	r->taint_bit = -1;
}

static const char override_text[] =
	"acpi-override DSDT BOCHS  BXPC     rev 2 sha256=" H_NEW " replaced=" H_OLD
	" taint=A source=kernel/firmware/acpi/dsdt.aml reason=OEM revision 2 > 1";

static const char override_json[] =
	"{\"kind\":\"acpi-override\",\"identity\":\"DSDT BOCHS  BXPC     rev 2\","
	"\"source\":\"kernel/firmware/acpi/dsdt.aml\",\"sha256\":\"" H_NEW "\","
	"\"replaced_sha256\":\"" H_OLD "\",\"reason\":\"OEM revision 2 > 1\","
	"\"taint_bit\":8,\"taint_letter\":\"A\"}";

static const char install_json[] =
	"{\"kind\":\"acpi-install\",\"identity\":\"SSDT FWKIT  EXTRA    rev 1\","
	"\"source\":\"kernel/firmware/acpi/ssdt1.aml\",\"sha256\":\"" H_NEW "\","
	"\"replaced_sha256\":null,\"reason\":\"no firmware table with these IDs\","
	"\"taint_bit\":null,\"taint_letter\":null}";

static void assert_records_equal(const struct ledger_record *a,
				 const struct ledger_record *b)
{
	assert_int_equal(a->kind, b->kind);
	assert_string_equal(a->identity, b->identity);
	assert_string_equal(a->source, b->source);
	assert_memory_equal(a->sha256, b->sha256, SHA256_DIGEST_SIZE);
	assert_int_equal(a->have_replaced, b->have_replaced);
	if (a->have_replaced)
		assert_memory_equal(a->replaced_sha256, b->replaced_sha256,
				    SHA256_DIGEST_SIZE);
	assert_string_equal(a->reason, b->reason);
	assert_int_equal(a->taint_bit, b->taint_bit);
}

/* Format into a buffer of exactly the size needed, as a string. */
static char *format_text(const struct ledger_record *r)
{
	char big[4096];
	int n = ledger_format_text(r, big, sizeof(big));

	assert_true(n >= 0);
	assert_int_equal(strlen(big), (size_t)n);
	char *s = (char *)exact_copy(big, (size_t)n + 1);
	assert_int_equal(ledger_format_text(r, s, (size_t)n + 1), n);
	return s;
}

static char *format_json(const struct ledger_record *r)
{
	char big[4096];
	int n = ledger_format_json(r, big, sizeof(big));

	assert_true(n >= 0);
	assert_int_equal(strlen(big), (size_t)n);
	char *s = (char *)exact_copy(big, (size_t)n + 1);
	assert_int_equal(ledger_format_json(r, s, (size_t)n + 1), n);
	return s;
}

/* Parse len bytes from an exact-size heap copy, so ASan sees any overread. */
static int parse(const void *json, size_t len, struct ledger_record *r,
		 struct fwk_fault *f)
{
	uint8_t *copy = exact_copy(json, len);
	int rc = ledger_parse_json((const char *)copy, len, r, f);

	free(copy);
	return rc;
}

/* ---- taint bits ---- */

static void test_letters_clean(void **state)
{
	char *out = malloc(TAINT_BITS + 1); /* exact size */

	(void)state;
	assert_int_equal(TAINT_BITS, 20);
	assert_int_equal(taint_letters(0, out), TAINT_BITS);
	assert_string_equal(out, "G                   ");
	free(out);
}

static void test_letters_acpi(void **state)
{
	char *out = malloc(TAINT_BITS + 1); /* exact size */

	(void)state;
	assert_int_equal(taint_letters(256, out), TAINT_BITS);
	assert_string_equal(out, "G       A           ");
	assert_int_equal(out[8], 'A');
	assert_int_equal(taint_letters(1u << 8 | 1u << 11 | 1, out), TAINT_BITS);
	assert_string_equal(out, "P       A  I        ");
	free(out);
}

static void test_letters_every_bit(void **state)
{
	char *out = malloc(TAINT_BITS + 1); /* exact size */

	(void)state;
	for (unsigned bit = 0; bit < TAINT_BITS; bit++) {
		char want[TAINT_BITS + 1];

		memset(want, ' ', TAINT_BITS);
		want[0] = 'G';
		want[TAINT_BITS] = '\0';
		want[bit] = set_letters[bit];
		taint_letters(1ull << bit, out);
		assert_string_equal(out, want);
	}
	/* Bits Linux does not define are not shown. */
	taint_letters(~0ull, out);
	assert_string_equal(out, set_letters);
	taint_letters(~0ull << TAINT_BITS, out);
	assert_string_equal(out, "G                   ");
	free(out);
}

static void test_flags(void **state)
{
	(void)state;
	for (unsigned bit = 0; bit < TAINT_BITS; bit++) {
		const struct taint_flag *t = taint_flag(bit);

		assert_non_null(t);
		assert_int_equal(t->bit, bit);
		assert_int_equal(t->letter, set_letters[bit]);
		assert_int_equal(t->clear_letter, bit == 0 ? 'G' : ' ');
		assert_non_null(t->name);
		assert_true(strlen(t->name) > 2);
		for (const char *c = t->name; *c; c++)
			assert_true((*c >= 'A' && *c <= 'Z') || *c == '_');
		assert_non_null(t->what);
		assert_true(strlen(t->what) > 10);
		assert_null(strchr(t->what, '\n'));
	}
	assert_string_equal(taint_flag(0)->name, "PROPRIETARY_MODULE");
	assert_string_equal(taint_flag(TAINT_OVERRIDDEN_ACPI_TABLE)->name,
			    "OVERRIDDEN_ACPI_TABLE");
	assert_string_equal(taint_flag(TAINT_FIRMWARE_WORKAROUND)->name,
			    "FIRMWARE_WORKAROUND");
	assert_string_equal(taint_flag(18)->name, "TEST");
	assert_string_equal(taint_flag(19)->name, "FWCTL");
	assert_null(taint_flag(TAINT_BITS));
	assert_null(taint_flag(64));
	assert_null(taint_flag(~0u));
}

static void test_kind_names(void **state)
{
	static const char *const names[] = {
		NULL, "acpi-override", "acpi-install", "dt-overlay", "microcode", "blob",
	};

	(void)state;
	for (int k = LEDGER_ACPI_OVERRIDE; k <= LEDGER_BLOB; k++) {
		assert_string_equal(ledger_kind_name((enum ledger_kind)k), names[k]);
		assert_int_equal(ledger_kind_parse(names[k], strlen(names[k])), k);
	}
	assert_null(ledger_kind_name((enum ledger_kind)0));
	assert_null(ledger_kind_name((enum ledger_kind)6));
	assert_null(ledger_kind_name((enum ledger_kind)-1));
	assert_int_equal(ledger_kind_parse("blo", 3), 0);
	assert_int_equal(ledger_kind_parse("blobs", 5), 0);
	assert_int_equal(ledger_kind_parse("blob", 3), 0);
	assert_int_equal(ledger_kind_parse("", 0), 0);
	assert_int_equal(ledger_kind_parse("BLOB", 4), 0);
	/* Not NUL-terminated: only len bytes count. */
	assert_int_equal(ledger_kind_parse("microcodeXYZ", 9), LEDGER_MICROCODE);
}

/* ---- formatting ---- */

static void test_text_exact(void **state)
{
	struct ledger_record r;
	char *s;

	(void)state;
	make_override(&r);
	s = format_text(&r);
	assert_string_equal(s, override_text);
	free(s);

	make_install(&r);
	s = format_text(&r);
	assert_string_equal(s, "acpi-install SSDT FWKIT  EXTRA    rev 1 sha256=" H_NEW
			       " source=kernel/firmware/acpi/ssdt1.aml"
			       " reason=no firmware table with these IDs");
	free(s);

	/* A firmware workaround on a blob; empty source and reason. */
	memset(&r, 0, sizeof(r));
	r.kind = LEDGER_BLOB;
	SET(r.identity, "pmic-fw 1.2");
	digest_old(r.sha256);
	r.taint_bit = (int)TAINT_FIRMWARE_WORKAROUND;
	s = format_text(&r);
	assert_string_equal(s, "blob pmic-fw 1.2 sha256=" H_OLD " taint=I source= reason=");
	free(s);

	/* A control byte would break the line: it shows as \xNN. */
	make_install(&r);
	SET(r.identity, "a\nb\x7f");
	SET(r.reason, "tab\there\\");
	s = format_text(&r);
	assert_string_equal(s, "acpi-install a\\x0ab\\x7f sha256=" H_NEW
			       " source=kernel/firmware/acpi/ssdt1.aml reason=tab\\x09here\\");
	assert_null(strchr(s, '\n'));
	free(s);
}

static void test_json_exact(void **state)
{
	struct ledger_record r;
	char *s;

	(void)state;
	make_override(&r);
	s = format_json(&r);
	assert_string_equal(s, override_json);
	free(s);

	make_install(&r);
	s = format_json(&r);
	assert_string_equal(s, install_json);
	free(s);

	memset(&r, 0, sizeof(r));
	r.kind = LEDGER_DT_OVERLAY;
	SET(r.identity, "q\"b\\s\x01\x1f/\x7f");
	SET(r.source, "tab\there\nnl");
	digest_old(r.sha256);
	SET(r.reason, "caf\xc3\xa9 \xe2\x82\xac");
	r.taint_bit = 11;
	s = format_json(&r);
	assert_string_equal(s,
		"{\"kind\":\"dt-overlay\",\"identity\":\"q\\\"b\\\\s\\u0001\\u001f/\x7f\","
		"\"source\":\"tab\\u0009here\\u000anl\",\"sha256\":\"" H_OLD "\","
		"\"replaced_sha256\":null,\"reason\":\"caf\xc3\xa9 \xe2\x82\xac\","
		"\"taint_bit\":11,\"taint_letter\":\"I\"}");
	free(s);

	r.kind = LEDGER_MICROCODE;
	r.taint_bit = 0;
	SET(r.identity, "");
	SET(r.source, "");
	SET(r.reason, "");
	s = format_json(&r);
	assert_string_equal(s,
		"{\"kind\":\"microcode\",\"identity\":\"\",\"source\":\"\",\"sha256\":\""
		H_OLD "\",\"replaced_sha256\":null,\"reason\":\"\","
		"\"taint_bit\":0,\"taint_letter\":\"P\"}");
	free(s);
}

static void test_format_invalid(void **state)
{
	struct ledger_record r;
	uint8_t ev[4096];
	char out[4096];

	(void)state;
	for (int k = -1; k <= 7; k += 1) {
		if (k >= LEDGER_ACPI_OVERRIDE && k <= LEDGER_BLOB)
			continue;
		make_override(&r);
		r.kind = (enum ledger_kind)k;
		assert_int_equal(ledger_format_text(&r, out, sizeof(out)), FWK_ERR_INVAL);
		assert_int_equal(ledger_format_json(&r, out, sizeof(out)), FWK_ERR_INVAL);
		assert_int_equal(tcg_log_event(&r, 1, ev, sizeof(ev)), FWK_ERR_INVAL);
		/* A bad record is reported as such even with no room at all. */
		assert_int_equal(ledger_format_text(&r, NULL, 0), FWK_ERR_INVAL);
		assert_int_equal(tcg_log_event(&r, 1, NULL, 0), FWK_ERR_INVAL);
	}
	static const int bad_bits[] = { -2, -100, 20, 21, 63, 1000 };
	for (size_t i = 0; i < sizeof(bad_bits) / sizeof(bad_bits[0]); i++) {
		make_override(&r);
		r.taint_bit = bad_bits[i];
		assert_int_equal(ledger_format_text(&r, out, sizeof(out)), FWK_ERR_INVAL);
		assert_int_equal(ledger_format_json(&r, out, sizeof(out)), FWK_ERR_INVAL);
	}
	/* Strings that do not end inside their fields. */
	make_override(&r);
	memset(r.identity, 'x', sizeof(r.identity));
	assert_int_equal(ledger_format_text(&r, out, sizeof(out)), FWK_ERR_INVAL);
	assert_int_equal(ledger_format_json(&r, out, sizeof(out)), FWK_ERR_INVAL);
	make_override(&r);
	memset(r.source, 'x', sizeof(r.source));
	assert_int_equal(ledger_format_json(&r, out, sizeof(out)), FWK_ERR_INVAL);
	make_override(&r);
	memset(r.reason, 'x', sizeof(r.reason));
	assert_int_equal(ledger_format_text(&r, out, sizeof(out)), FWK_ERR_INVAL);
	/* JSON is UTF-8: a Latin-1 byte or a surrogate cannot go in it. */
	make_override(&r);
	SET(r.source, "caf\xe9");
	assert_int_equal(ledger_format_json(&r, out, sizeof(out)), FWK_ERR_INVAL);
	assert_true(ledger_format_text(&r, out, sizeof(out)) > 0);
	SET(r.source, "\xed\xa0\x80");
	assert_int_equal(ledger_format_json(&r, out, sizeof(out)), FWK_ERR_INVAL);
	/* PCRs run 0..23. */
	make_override(&r);
	assert_int_equal(tcg_log_event(&r, 24, ev, sizeof(ev)), FWK_ERR_INVAL);
	assert_true(tcg_log_event(&r, 23, ev, sizeof(ev)) > 0);
}

/* Every cap below the needed size fails with NOSPACE, writes nothing past
 * cap (exact heap buffers, NULL for 0) and leaves an empty string. */
typedef int (*format_fn)(const struct ledger_record *, char *, size_t);

static void check_nospace(format_fn fn, const struct ledger_record *r)
{
	char big[4096];
	int n = fn(r, big, sizeof(big));

	assert_true(n > 0);
	for (size_t cap = 0; cap <= (size_t)n; cap++) {
		char *b = cap ? malloc(cap) : NULL;

		if (cap)
			memset(b, '#', cap);
		assert_int_equal(fn(r, b, cap), FWK_ERR_NOSPACE);
		if (cap)
			assert_int_equal(b[0], '\0');
		free(b);
	}
	char *b = malloc((size_t)n + 1);
	assert_int_equal(fn(r, b, (size_t)n + 1), n);
	assert_string_equal(b, big);
	free(b);
}

static void test_nospace_text_json(void **state)
{
	struct ledger_record r;

	(void)state;
	make_override(&r);
	check_nospace(ledger_format_text, &r);
	check_nospace(ledger_format_json, &r);
	make_install(&r);
	check_nospace(ledger_format_text, &r);
	check_nospace(ledger_format_json, &r);
	/* Escapes expand: the last one may be cut anywhere. */
	SET(r.reason, "\x01\"\\\n\x1f");
	check_nospace(ledger_format_text, &r);
	check_nospace(ledger_format_json, &r);
}

/* ---- parsing ---- */

static void round_trip(const struct ledger_record *r)
{
	struct ledger_record back;
	struct fwk_fault f = { 0 };
	char *s = format_json(r);

	memset(&back, 0xa5, sizeof(back));
	if (parse(s, strlen(s), &back, &f) != 0)
		fail_msg("%s: %s at %llu: %s", s, f.field,
			 (unsigned long long)f.offset, f.detail);
	assert_records_equal(r, &back);
	/* And the parsed record writes the same line again. */
	char *again = format_json(&back);
	assert_string_equal(s, again);
	free(again);
	free(s);
}

static void test_round_trip_plain(void **state)
{
	struct ledger_record r;

	(void)state;
	make_override(&r);
	round_trip(&r);
	make_install(&r);
	round_trip(&r);
	for (int k = LEDGER_ACPI_OVERRIDE; k <= LEDGER_BLOB; k++)
		for (int bit = -1; bit < (int)TAINT_BITS; bit++) {
			make_override(&r);
			r.kind = (enum ledger_kind)k;
			r.taint_bit = bit;
			r.have_replaced = bit & 1;
			round_trip(&r);
		}
}

static void test_round_trip_escapes(void **state)
{
	struct ledger_record r;
	char all_ctl[32];

	(void)state;
	make_override(&r);
	SET(r.identity, "q\"uo\"te \\back\\slash\\");
	SET(r.source, "/boot/\"odd\" name\\with\ttab\nand newline\r\b\f");
	SET(r.reason, "\"\\\"\\\\\"");
	round_trip(&r);
	/* Every control character 1..31, and DEL. */
	for (int c = 1; c < 32; c++)
		all_ctl[c - 1] = (char)c;
	all_ctl[31] = '\0';
	SET(r.identity, all_ctl);
	SET(r.reason, "\x7f/\x7f");
	round_trip(&r);
	/* Multi-byte UTF-8: two, three and four bytes. */
	SET(r.source, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf");
	round_trip(&r);
}

static void test_round_trip_full_fields(void **state)
{
	struct ledger_record r;

	(void)state;
	make_override(&r);
	memset(r.identity, 'i', sizeof(r.identity) - 1);
	memset(r.source, '"', sizeof(r.source) - 1);
	memset(r.reason, '\x01', sizeof(r.reason) - 1);
	round_trip(&r);
	/* UTF-8 that ends exactly at the last byte of the field. */
	memset(r.source, 0, sizeof(r.source));
	memset(r.source, 'a', sizeof(r.source) - 4);
	memcpy(r.source + sizeof(r.source) - 4, "\xe2\x82\xac", 3);
	round_trip(&r);
}

static void test_parse_any_order_and_whitespace(void **state)
{
	static const char line[] =
		" {\t\"taint_letter\" : \"I\" ,\n\"taint_bit\":11,\r\n"
		"  \"reason\":\"a\\/b \\u0041\\u007F\\u007f\\\"\", \"replaced_sha256\" :null,"
		"\"sha256\":\"FFFEFDFCFBFAF9F8F7F6F5F4F3F2F1F0EFEEEDECEBEAE9E8E7E6E5E4E3E2E1E0\","
		"\"source\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\",\"identity\":\"x\","
		"  \"kind\":\"microcode\" } \n";
	struct ledger_record r, want;
	struct fwk_fault f = { 0 };

	(void)state;
	memset(&want, 0, sizeof(want));
	want.kind = LEDGER_MICROCODE;
	SET(want.identity, "x");
	SET(want.source, "\"\\/\b\f\n\r\t"); /* every short escape */
	digest_old(want.sha256);
	SET(want.reason, "a/b A\x7f\x7f\"");
	want.taint_bit = 11;
	assert_int_equal(parse(line, strlen(line), &r, &f), 0);
	assert_records_equal(&want, &r);
}

/* Expect the parse to fail with code in field, and leave *r alone. */
static void expect_reject_at(const char *json, size_t len, int code,
			     const char *field, long offset)
{
	struct ledger_record r, untouched;
	struct fwk_fault f = { 0 };
	int rc;

	memset(&r, 0x5a, sizeof(r));
	memcpy(&untouched, &r, sizeof(r));
	rc = parse(json, len, &r, &f);
	if (rc != code || f.error != code || !f.field || strcmp(f.field, field) != 0)
		fail_msg("%.*s: got %d in %s (%s), want %d in %s", (int)len, json, rc,
			 f.field ? f.field : "(none)", f.detail ? f.detail : "", code,
			 field);
	assert_non_null(f.detail);
	assert_true(f.offset <= len);
	if (offset >= 0)
		assert_int_equal(f.offset, offset);
	assert_memory_equal(&r, &untouched, sizeof(r));
}

static void expect_reject(const char *json, int code, const char *field)
{
	expect_reject_at(json, strlen(json), code, field, -1);
}

/* override_json with the first occurrence of `from` replaced by `to`. */
static char *edit(const char *from, const char *to)
{
	const char *at = strstr(override_json, from);
	size_t n = strlen(override_json) - strlen(from) + strlen(to);
	char *s = malloc(n + 1);

	assert_non_null(at);
	size_t head = (size_t)(at - override_json);
	memcpy(s, override_json, head);
	memcpy(s + head, to, strlen(to));
	strcpy(s + head + strlen(to), at + strlen(from));
	return s;
}

static void expect_edit_rejected(const char *from, const char *to, int code,
				 const char *field)
{
	char *s = edit(from, to);

	expect_reject(s, code, field);
	free(s);
}

static void test_reject_unknown_key(void **state)
{
	char *s = edit("{\"kind\"", "{\"extra\":1,\"kind\"");

	(void)state;
	expect_reject_at(s, strlen(s), FWK_ERR_BADFIELD, "json", 1);
	free(s);
	expect_edit_rejected("\"reason\"", "\"Reason\"", FWK_ERR_BADFIELD, "json");
	expect_edit_rejected("\"reason\"", "\"reason_\"", FWK_ERR_BADFIELD, "json");
	expect_edit_rejected("\"reason\"", "\"a-key-much-longer-than-any-known-key\"",
			     FWK_ERR_BADFIELD, "json");
	expect_edit_rejected("\"reason\"", "\"\"", FWK_ERR_BADFIELD, "json");
}

static void test_reject_missing_key(void **state)
{
	(void)state;
	expect_edit_rejected(",\"reason\":\"OEM revision 2 > 1\"", "",
			     FWK_ERR_BADFIELD, "reason");
	expect_edit_rejected("\"replaced_sha256\":\"" H_OLD "\",", "",
			     FWK_ERR_BADFIELD, "replaced_sha256");
	expect_edit_rejected(",\"taint_letter\":\"A\"", "", FWK_ERR_BADFIELD,
			     "taint_letter");
	expect_reject("{}", FWK_ERR_BADFIELD, "kind");
	expect_reject(" { } ", FWK_ERR_BADFIELD, "kind");
}

static void test_reject_duplicate_key(void **state)
{
	(void)state;
	expect_edit_rejected("\"identity\"", "\"kind\":\"blob\",\"identity\"",
			     FWK_ERR_BADFIELD, "kind");
	expect_edit_rejected("\"taint_letter\"", "\"taint_bit\":8,\"taint_letter\"",
			     FWK_ERR_BADFIELD, "taint_bit");
	/* The same value twice is still a duplicate. */
	expect_edit_rejected("}", ",\"reason\":\"OEM revision 2 > 1\"}",
			     FWK_ERR_BADFIELD, "reason");
}

static void test_reject_bad_hex_length(void **state)
{
	(void)state;
	expect_edit_rejected(H_NEW, H_NEW "0", FWK_ERR_BADFIELD, "sha256");
	expect_edit_rejected(H_NEW, H_NEW H_NEW, FWK_ERR_BADFIELD, "sha256");
	expect_edit_rejected("1f\"", "\"", FWK_ERR_BADFIELD, "sha256");
	expect_edit_rejected("1f\"", "1\"", FWK_ERR_BADFIELD, "sha256");
	expect_edit_rejected("\"" H_NEW "\"", "\"\"", FWK_ERR_BADFIELD, "sha256");
	expect_edit_rejected("e0\"", "\"", FWK_ERR_BADFIELD, "replaced_sha256");
	expect_edit_rejected(H_OLD, H_OLD "00", FWK_ERR_BADFIELD, "replaced_sha256");
}

static void test_reject_bad_hex_digit(void **state)
{
	(void)state;
	expect_edit_rejected("000102", "0g0102", FWK_ERR_BADFIELD, "sha256");
	expect_edit_rejected("000102", " 00102", FWK_ERR_BADFIELD, "sha256");
	expect_edit_rejected("1e1f\"", "1e1-\"", FWK_ERR_BADFIELD, "sha256");
	expect_edit_rejected("fffe", "fffx", FWK_ERR_BADFIELD, "replaced_sha256");
	expect_edit_rejected("\"" H_NEW "\"", "null", FWK_ERR_BADFIELD, "sha256");
	expect_edit_rejected("\"" H_NEW "\"", "42", FWK_ERR_BADFIELD, "sha256");
}

static void test_reject_taint_bit_range(void **state)
{
	static const char *const bad[] = {
		"20", "21", "99", "100", "12345", "99999999999999999999", "-1", "-0",
		"08", "00", "8.0", "8e0", "8E0", "\"8\"", "true", "[8]", "+8",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char to[64];

		snprintf(to, sizeof(to), "\"taint_bit\":%s,", bad[i]);
		expect_edit_rejected("\"taint_bit\":8,", to, FWK_ERR_BADFIELD, "taint_bit");
	}
	/* The highest bit Linux defines is fine. */
	char *s = edit("\"taint_bit\":8,\"taint_letter\":\"A\"",
		       "\"taint_bit\":19,\"taint_letter\":\"J\"");
	struct ledger_record r;
	struct fwk_fault f;
	assert_int_equal(parse(s, strlen(s), &r, &f), 0);
	assert_int_equal(r.taint_bit, 19);
	free(s);
}

static void test_reject_taint_letter_mismatch(void **state)
{
	(void)state;
	expect_edit_rejected("\"taint_letter\":\"A\"", "\"taint_letter\":\"I\"",
			     FWK_ERR_BADFIELD, "taint_letter");
	expect_edit_rejected("\"taint_letter\":\"A\"", "\"taint_letter\":null",
			     FWK_ERR_BADFIELD, "taint_letter");
	expect_edit_rejected("\"taint_letter\":\"A\"", "\"taint_letter\":\"AA\"",
			     FWK_ERR_BADFIELD, "taint_letter");
	expect_edit_rejected("\"taint_letter\":\"A\"", "\"taint_letter\":\"\"",
			     FWK_ERR_BADFIELD, "taint_letter");
	expect_edit_rejected("\"taint_bit\":8,", "\"taint_bit\":null,",
			     FWK_ERR_BADFIELD, "taint_letter");
}

static void test_reject_string_too_long(void **state)
{
	char *s, *big = malloc(1024);

	(void)state;
	/* One byte more than each field holds with its NUL. */
	memset(big, 'x', 64);
	big[64] = '\0';
	s = edit("DSDT BOCHS  BXPC     rev 2", big);
	expect_reject(s, FWK_ERR_LIMIT, "identity");
	free(s);
	memset(big, 'x', 256);
	big[256] = '\0';
	s = edit("kernel/firmware/acpi/dsdt.aml", big);
	expect_reject(s, FWK_ERR_LIMIT, "source");
	free(s);
	memset(big, 'x', 160);
	big[160] = '\0';
	s = edit("OEM revision 2 > 1", big);
	expect_reject(s, FWK_ERR_LIMIT, "reason");
	free(s);
	/* The limit counts decoded bytes: 63 and an escape make 64. */
	memset(big, 'x', 63);
	strcpy(big + 63, "\\u0041");
	s = edit("DSDT BOCHS  BXPC     rev 2", big);
	expect_reject(s, FWK_ERR_LIMIT, "identity");
	free(s);
	/* 62 and a two-byte character make 64 too. */
	memset(big, 'x', 62);
	strcpy(big + 62, "\xc3\xa9");
	s = edit("DSDT BOCHS  BXPC     rev 2", big);
	expect_reject(s, FWK_ERR_LIMIT, "identity");
	free(s);
	/* Exactly full fits. */
	memset(big, 'x', 63);
	strcpy(big + 63, "");
	s = edit("DSDT BOCHS  BXPC     rev 2", big);
	struct ledger_record r;
	struct fwk_fault f;
	assert_int_equal(parse(s, strlen(s), &r, &f), 0);
	assert_int_equal(strlen(r.identity), 63);
	free(s);
	free(big);
}

/* Every proper prefix of a valid line is truncated, never anything else. */
static void check_prefixes(const char *line)
{
	size_t len = strlen(line);

	for (size_t n = 0; n < len; n++)
		expect_reject_at(line, n, FWK_ERR_TRUNCATED, "json", (long)n);
}

static void test_reject_truncated(void **state)
{
	struct ledger_record r;
	char *s;

	(void)state;
	check_prefixes(override_json);
	check_prefixes(install_json);
	make_override(&r);
	SET(r.identity, "\x01\"\\ caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	r.taint_bit = 19;
	s = format_json(&r);
	check_prefixes(s);
	free(s);
	expect_reject_at("", 0, FWK_ERR_TRUNCATED, "json", 0);
	expect_reject_at(" \n", 2, FWK_ERR_TRUNCATED, "json", 2);
}

static void test_reject_trailing_garbage(void **state)
{
	char line[1024];
	size_t n = strlen(override_json);

	(void)state;
	snprintf(line, sizeof(line), "%sx", override_json);
	expect_reject_at(line, n + 1, FWK_ERR_BADFIELD, "json", (long)n);
	snprintf(line, sizeof(line), "%s}", override_json);
	expect_reject_at(line, n + 1, FWK_ERR_BADFIELD, "json", (long)n);
	snprintf(line, sizeof(line), "%s \n%s", override_json, override_json);
	expect_reject_at(line, strlen(line), FWK_ERR_BADFIELD, "json", (long)n + 2);
	/* A NUL is not whitespace. */
	memcpy(line, override_json, n);
	line[n] = '\0';
	expect_reject_at(line, n + 1, FWK_ERR_BADFIELD, "json", (long)n);
	/* But spaces and newlines after the object are fine. */
	snprintf(line, sizeof(line), "%s \r\n\t", override_json);
	struct ledger_record r;
	struct fwk_fault f;
	assert_int_equal(parse(line, strlen(line), &r, &f), 0);
}

static void test_reject_bad_syntax(void **state)
{
	(void)state;
	expect_reject("[]", FWK_ERR_BADFIELD, "json");
	expect_reject("null", FWK_ERR_BADFIELD, "json");
	expect_reject("{\"kind\" \"blob\"}", FWK_ERR_BADFIELD, "kind");
	expect_reject("{kind:\"blob\"}", FWK_ERR_BADFIELD, "json");
	expect_reject("{\"kind\":\"blob\",}", FWK_ERR_BADFIELD, "json");
	expect_reject("{\"kind\":\"blob\";\"identity\":\"\"}", FWK_ERR_BADFIELD, "json");
	expect_reject("{\"kind\":\"blob\"\"identity\":\"\"}", FWK_ERR_BADFIELD, "json");
	expect_edit_rejected("\"acpi-override\"", "\"acpi\"", FWK_ERR_BADFIELD, "kind");
	expect_edit_rejected("\"acpi-override\"", "\"acpi-override-and-more\"",
			     FWK_ERR_BADFIELD, "kind");
	expect_edit_rejected("\"acpi-override\"", "1", FWK_ERR_BADFIELD, "kind");
	expect_edit_rejected("\"" H_OLD "\"", "nul", FWK_ERR_BADFIELD, "replaced_sha256");
	expect_edit_rejected("\"" H_OLD "\"", "nulL", FWK_ERR_BADFIELD, "replaced_sha256");
	expect_edit_rejected("\"" H_OLD "\"", "false", FWK_ERR_BADFIELD, "replaced_sha256");
	expect_edit_rejected("\"DSDT", "{\"DSDT", FWK_ERR_BADFIELD, "identity");
}

static void test_reject_bad_strings(void **state)
{
	static const char *const bad[] = {
		"a\x01z",          /* raw control characters */
		"a\nz",
		"a\tz",
		"\\u0000",         /* no NUL inside a field */
		"\\u0080",         /* escapes above U+007F */
		"\\u00e9",
		"\\uD83D\\uDE00",
		"\\u00g1",
		"\\x41",           /* not a JSON escape */
		"\\a",
		"\\'",
		"\xc0\x80",        /* overlong */
		"\xc1\xbf",
		"\xe0\x80\xaf",
		"\xf0\x80\x80\xaf",
		"\xed\xa0\x80",    /* a surrogate */
		"\xf4\x90\x80\x80", /* past U+10FFFF */
		"\xf5\x80\x80\x80",
		"\xff",
		"\x80",            /* a lone continuation byte */
		"\xc3z",           /* a sequence cut short */
		"\xe2\x82z",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_edit_rejected("BOCHS", bad[i], FWK_ERR_BADFIELD, "identity");
	expect_edit_rejected("dsdt.aml", "\xff", FWK_ERR_BADFIELD, "source");
	expect_edit_rejected("2 > 1", "\\u0000", FWK_ERR_BADFIELD, "reason");
}

/* ---- TCG event log ---- */

/* The first event, worked out by hand from the PC Client PFP layout. */
static const uint8_t header_want[65] = {
	0x00, 0x00, 0x00, 0x00,         /* pcrIndex 0 */
	0x03, 0x00, 0x00, 0x00,         /* eventType EV_NO_ACTION */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0,   /* SHA-1 digest, zero */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0x21, 0x00, 0x00, 0x00,         /* eventSize 33 */
	'S', 'p', 'e', 'c', ' ', 'I', 'D', ' ',
	'E', 'v', 'e', 'n', 't', '0', '3', 0x00,
	0x00, 0x00, 0x00, 0x00,         /* platformClass: client */
	0x00,                           /* specVersionMinor */
	0x02,                           /* specVersionMajor */
	0x02,                           /* specErrata */
	0x02,                           /* uintnSize: 64-bit */
	0x01, 0x00, 0x00, 0x00,         /* numberOfAlgorithms */
	0x0b, 0x00,                     /* TPM_ALG_SHA256 */
	0x20, 0x00,                     /* digestSize 32 */
	0x00,                           /* vendorInfoSize */
};

static void test_tcg_header_bytes(void **state)
{
	uint8_t *out = malloc(sizeof(header_want));

	(void)state;
	assert_int_equal(tcg_log_header(out, sizeof(header_want)), sizeof(header_want));
	assert_memory_equal(out, header_want, sizeof(header_want));
	free(out);
	for (size_t cap = 0; cap < sizeof(header_want); cap++) {
		uint8_t *b = cap ? malloc(cap) : NULL;

		assert_int_equal(tcg_log_header(b, cap), FWK_ERR_NOSPACE);
		free(b);
	}
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void test_tcg_event_bytes(void **state)
{
	struct ledger_record r;
	char *text;
	size_t need;

	(void)state;
	make_override(&r);
	text = format_text(&r);
	need = 50 + strlen(text);

	uint8_t *ev = malloc(need);
	assert_int_equal(tcg_log_event(&r, 7, ev, need), (int)need);
	assert_int_equal(le32(ev), 7);              /* pcrIndex */
	assert_int_equal(le32(ev + 4), 0x0d);       /* EV_IPL */
	assert_int_equal(le32(ev + 8), 1);          /* digests.count */
	assert_int_equal(ev[12], 0x0b);             /* hashAlg, little-endian */
	assert_int_equal(ev[13], 0x00);
	assert_memory_equal(ev + 14, r.sha256, 32);
	assert_int_equal(le32(ev + 46), strlen(text));
	assert_memory_equal(ev + 50, text, strlen(text)); /* no NUL after it */

	/* Every smaller buffer: NOSPACE, nothing written past cap. */
	for (size_t cap = 0; cap < need; cap++) {
		uint8_t *b = cap ? malloc(cap) : NULL;

		assert_int_equal(tcg_log_event(&r, 7, b, cap), FWK_ERR_NOSPACE);
		free(b);
	}
	free(ev);
	free(text);
}

/* Run cmd; its stdout into a heap string.  Returns the exit status. */
static int run_capture(const char *cmd, char **out)
{
	FILE *p = popen(cmd, "r");
	size_t cap = 65536, n = 0;
	char *b = malloc(cap);
	int st;

	assert_non_null(p);
	assert_non_null(b);
	for (;;) {
		size_t got = fread(b + n, 1, cap - 1 - n, p);

		n += got;
		if (got == 0)
			break;
		if (n == cap - 1) {
			cap *= 2;
			b = realloc(b, cap);
			assert_non_null(b);
		}
	}
	b[n] = '\0';
	st = pclose(p);
	*out = b;
	return st == -1 || !WIFEXITED(st) ? -1 : WEXITSTATUS(st);
}

static void test_tcg_log_with_tpm2_eventlog(void **state)
{
	struct ledger_record rec[2];
	char path[256], cmd[1024], hex[SHA256_HEX_SIZE];
	uint8_t *log;
	size_t n = 0;
	char *dir, *yaml;
	int rc;

	(void)state;
	/* A consumer that is missing is a failure, not a skip. */
	if (system("command -v tpm2_eventlog >/dev/null 2>&1") != 0)
		fail_msg("tpm2_eventlog is not installed: this test needs the "
			 "tpm2-tools package (apt-get install tpm2-tools)");
	log = malloc(8192);
	assert_non_null(log);
	dir = temp_dir("tcg");

	make_override(&rec[0]);
	sha256("new DSDT", 8, rec[0].sha256);
	make_install(&rec[1]);
	sha256("new SSDT", 8, rec[1].sha256);
	rec[1].kind = LEDGER_BLOB;

	rc = tcg_log_header(log, 8192);
	assert_int_equal(rc, 65);
	n += (size_t)rc;
	for (int i = 0; i < 2; i++) {
		rc = tcg_log_event(&rec[i], TCG_LOG_PCR_DEFAULT, log + n, 8192 - n);
		assert_true(rc > 50);
		n += (size_t)rc;
	}
	snprintf(path, sizeof(path), "%s/eventlog.bin", dir);
	spew(path, log, n);
	snprintf(cmd, sizeof(cmd), "tpm2_eventlog '%s' 2>'%s/stderr'", path, dir);
	rc = run_capture(cmd, &yaml);
	if (rc != 0) {
		snprintf(cmd, sizeof(cmd), "cat '%s/stderr' >&2", dir);
		sh("%s", cmd);
		fail_msg("tpm2_eventlog exited %d on our log:\n%s", rc, yaml);
	}
	assert_non_null(strstr(yaml, "Spec ID Event03"));
	assert_non_null(strstr(yaml, "EV_NO_ACTION"));
	assert_non_null(strstr(yaml, "algorithmId: sha256"));
	assert_non_null(strstr(yaml, "AlgorithmId: sha256"));
	const char *ipl = strstr(yaml, "EV_IPL");
	assert_non_null(ipl);
	assert_non_null(strstr(ipl + 1, "EV_IPL")); /* one per record */

	/* Each record's digest and text line, as the tool decoded them. */
	uint8_t pcr[SHA256_DIGEST_SIZE] = { 0 };
	for (int i = 0; i < 2; i++) {
		char *text = format_text(&rec[i]);
		uint8_t cat[2 * SHA256_DIGEST_SIZE];

		sha256_hex(rec[i].sha256, hex);
		if (!strstr(yaml, hex))
			fail_msg("record %d digest %s not in:\n%s", i, hex, yaml);
		if (!strstr(yaml, text))
			fail_msg("record %d text not in:\n%s", i, yaml);
		/* PCR extend: new = SHA-256(old || digest). */
		memcpy(cat, pcr, sizeof(pcr));
		memcpy(cat + SHA256_DIGEST_SIZE, rec[i].sha256, SHA256_DIGEST_SIZE);
		sha256(cat, sizeof(cat), pcr);
		free(text);
	}
	/* The tool's replay of the PCR matches ours. */
	char want[80];
	sha256_hex(pcr, hex);
	snprintf(want, sizeof(want), "0x%s", hex);
	if (!strstr(yaml, want))
		fail_msg("PCR replay %s not in:\n%s", want, yaml);

	free(yaml);
	free(log);
	remove_dir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_letters_clean),
		cmocka_unit_test(test_letters_acpi),
		cmocka_unit_test(test_letters_every_bit),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_kind_names),
		cmocka_unit_test(test_text_exact),
		cmocka_unit_test(test_json_exact),
		cmocka_unit_test(test_format_invalid),
		cmocka_unit_test(test_nospace_text_json),
		cmocka_unit_test(test_round_trip_plain),
		cmocka_unit_test(test_round_trip_escapes),
		cmocka_unit_test(test_round_trip_full_fields),
		cmocka_unit_test(test_parse_any_order_and_whitespace),
		cmocka_unit_test(test_reject_unknown_key),
		cmocka_unit_test(test_reject_missing_key),
		cmocka_unit_test(test_reject_duplicate_key),
		cmocka_unit_test(test_reject_bad_hex_length),
		cmocka_unit_test(test_reject_bad_hex_digit),
		cmocka_unit_test(test_reject_taint_bit_range),
		cmocka_unit_test(test_reject_taint_letter_mismatch),
		cmocka_unit_test(test_reject_string_too_long),
		cmocka_unit_test(test_reject_truncated),
		cmocka_unit_test(test_reject_trailing_garbage),
		cmocka_unit_test(test_reject_bad_syntax),
		cmocka_unit_test(test_reject_bad_strings),
		cmocka_unit_test(test_tcg_header_bytes),
		cmocka_unit_test(test_tcg_event_bytes),
		cmocka_unit_test(test_tcg_log_with_tpm2_eventlog),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/* test_dump.c - cmocka tests of acpi_dump_parse(): acpidump's own output of
 * every corpus table, agreement with acpixtract, tolerated noise (CRLF,
 * blank lines, trailing blanks, no ASCII column) and one defect per case. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../support/testkit.h"

#include <ctype.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fwkit/acpi.h>

#define MAXT 128

/* The result of one parse over exact-size copies of the text and buffers. */
struct parsed {
	int n;
	uint8_t *out;
	uint64_t cap;
	struct acpi_dump_table t[MAXT];
	struct fwk_fault f;
};

static void parse_into(struct parsed *p, const char *text, size_t len,
		       uint64_t cap, uint32_t max)
{
	char *c = (char *)exact_copy(text, len);

	free(p->out);
	memset(p, 0, sizeof(*p));
	p->cap = cap;
	p->out = malloc(cap ? cap : 1);
	assert_non_null(p->out);
	assert_true(max <= MAXT);
	p->n = acpi_dump_parse(c, len, p->out, cap, p->t, max, &p->f);
	free(c);
}

static void parse(struct parsed *p, const char *text, size_t len)
{
	parse_into(p, text, len, len / 3 + 64, MAXT);
}

static struct parsed *parsed_new(void)
{
	struct parsed *p = calloc(1, sizeof(*p));

	assert_non_null(p);
	return p;
}

static void parsed_free(struct parsed *p)
{
	free(p->out);
	free(p);
}

/* A dump of data as acpidump prints it, into buf (NUL-terminated). */
static size_t dump(char *buf, size_t cap, const char *name, uint64_t addr,
		   const uint8_t *d, size_t n)
{
	size_t o = (size_t)snprintf(buf, cap, "%s @ 0x%016llX\n", name,
				    (unsigned long long)addr);

	for (size_t i = 0; i < n; i += 16) {
		char hex[64] = "", asc[17] = "";
		size_t k;
		for (k = 0; k < 16 && i + k < n; k++) {
			sprintf(hex + 3 * k, "%02X ", d[i + k]);
			asc[k] = isprint(d[i + k]) ? (char)d[i + k] : '.';
		}
		asc[k] = '\0';
		hex[3 * k - 1] = '\0';
		o += (size_t)snprintf(buf + o, cap - o, "%8.4zX: %-47s  %s\n", i, hex, asc);
		assert_true(o < cap);
	}
	o += (size_t)snprintf(buf + o, cap - o, "\n");
	assert_true(o < cap);
	return o;
}

/* A small table with a correct header Length. */
static void make_table(uint8_t *b, size_t n, const char *sig)
{
	memset(b, 0, n);
	memcpy(b, sig, 4);
	for (int i = 0; i < 4; i++)
		b[4 + i] = (uint8_t)(n >> (8 * i));
	memcpy(b + 10, "BOCHS BXPC    ", 14);
	for (size_t i = 36; i < n; i++)
		b[i] = (uint8_t)(i * 13);
}

/* Scratch text for the tests that build their own dumps. */
static char text_buf[8192];

/* The text the defect tests change one piece of: a 52-byte DBGP, then a
 * 40-byte SSDT, as acpidump prints them. */
static size_t sample(char *buf, size_t cap)
{
	uint8_t a[52], b[40];
	size_t o;

	make_table(a, sizeof(a), "DBGP");
	make_table(b, sizeof(b), "SSDT");
	o = dump(buf, cap, "DBGP", 0xbffe0040, a, sizeof(a));
	o += dump(buf + o, cap - o, "SSDT", 0xbffe1000, b, sizeof(b));
	return o;
}

/* ========================= acpidump's own output ========================= */

/* Every table of every machine, through `acpidump -f`: the parse gives the
 * file's bytes back, in order, with instance numbers per signature. */
static void test_acpidump_every_corpus_table(void **state)
{
	(void)state;
	char pat[PATH_MAX + 64], cmd[32768];
	glob_t dirs;
	char *tmp = temp_dir("dump");
	unsigned files = 0;
	struct parsed *p = parsed_new();

	snprintf(pat, sizeof(pat), "%s/corpus/acpi/linuxhw/*/", shared_dir());
	assert_int_equal(glob(pat, GLOB_ONLYDIR, NULL, &dirs), 0);
	assert_true(dirs.gl_pathc >= 20);
	for (size_t d = 0; d < dirs.gl_pathc; d++) {
		glob_t g;

		snprintf(pat, sizeof(pat), "%s*.dat", dirs.gl_pathv[d]);
		assert_int_equal(glob(pat, 0, NULL, &g), 0);
		assert_int_equal(sh(": > '%s/dump.txt'", tmp), 0);
		/* acpidump takes at most 32 table options per run. */
		for (size_t i = 0; i < g.gl_pathc; i += 16) {
			size_t o = (size_t)snprintf(cmd, sizeof(cmd), "acpidump");
			for (size_t k = i; k < i + 16 && k < g.gl_pathc; k++)
				o += (size_t)snprintf(cmd + o, sizeof(cmd) - o,
						      " -f '%s'", g.gl_pathv[k]);
			assert_true(o < sizeof(cmd) - 100);
			snprintf(cmd + o, sizeof(cmd) - o, " >> '%s/dump.txt'", tmp);
			assert_int_equal(sh("%s", cmd), 0);
		}

		char path[PATH_MAX + 16];
		size_t len;
		snprintf(path, sizeof(path), "%s/dump.txt", tmp);
		char *text = (char *)slurp(path, &len);
		parse(p, text, len);
		if (p->n < 0)
			fail_msg("%s: %d at text offset %llu: %s", dirs.gl_pathv[d],
				 p->n, (unsigned long long)p->f.offset, p->f.detail);
		assert_int_equal(p->n, g.gl_pathc);
		uint64_t end = 0;
		for (size_t i = 0; i < g.gl_pathc; i++) {
			size_t n;
			uint8_t *want = slurp(g.gl_pathv[i], &n);
			const struct acpi_dump_table *t = &p->t[i];

			assert_int_equal(t->length, n);
			assert_int_equal(t->offset, end);
			assert_memory_equal(p->out + t->offset, want, n);
			assert_memory_equal(t->signature, want, 4);
			assert_memory_equal(t->name, want, 4);
			assert_int_equal(t->name[4], '\0');
			assert_true(t->address == 0);
			unsigned inst = 1;
			for (size_t k = 0; k < i; k++)
				inst += memcmp(p->t[k].signature, want, 4) == 0;
			assert_int_equal(t->instance, inst);
			end += n;
			free(want);
			files++;
		}
		free(text);
		globfree(&g);
	}
	globfree(&dirs);
	assert_true(files >= 700);
	parsed_free(p);
	remove_dir(tmp);
}

/* Several acpidump outputs and a hand-written RSDP in one text: acpixtract
 * -a writes the very bytes acpi_dump_parse reports. */
static void test_agrees_with_acpixtract(void **state)
{
	(void)state;
	static const char *const pick[] = {
		"0025/dsdt.dat", "0025/ssdt1.dat", "0025/ssdt2.dat", "0025/facs.dat",
		"0025/facp.dat", "0050/apic.dat", "0050/ssdt1.dat", "0075/hpet.dat",
	};
	char *tmp = temp_dir("xtract");
	const char *sd = shared_dir();
	struct parsed *p = parsed_new();
	char path[PATH_MAX + 64];

	for (size_t i = 0; i < sizeof(pick) / sizeof(pick[0]); i++)
		assert_int_equal(sh("acpidump -f '%s/corpus/acpi/linuxhw/%s' >> '%s/all.txt'",
				    sd, pick[i], tmp), 0);
	/* An RSDP as acpidump shows one, then a table at a real address. */
	uint8_t rsdp[36] = "RSD PTR ";
	memcpy(rsdp + 9, "BOCHS ", 6);
	rsdp[15] = 2;
	rsdp[20] = 36;
	rsdp[24] = 0x40;
	rsdp[8] = (uint8_t)(0u - acpi_checksum(rsdp, 20));
	rsdp[32] = (uint8_t)(0u - acpi_checksum(rsdp, 36));
	char blk[1024];
	size_t bl = dump(blk, sizeof(blk), "RSDP", 0xf0490, rsdp, sizeof(rsdp));
	snprintf(path, sizeof(path), "%s/all.txt", tmp);
	FILE *fp = fopen(path, "ab");
	assert_non_null(fp);
	assert_int_equal(fwrite(blk, 1, bl, fp), bl);
	assert_int_equal(fclose(fp), 0);

	size_t len;
	char *text = (char *)slurp(path, &len);
	parse(p, text, len);
	assert_int_equal(p->n, 9);
	assert_int_equal(p->t[8].length, 36);
	assert_string_equal(p->t[8].name, "RSDP");
	assert_true(p->t[8].address == 0xf0490);
	assert_int_equal(sh("cd '%s' && acpixtract -a all.txt > log 2>&1", tmp), 0);
	for (int i = 0; i < p->n; i++) {
		const struct acpi_dump_table *t = &p->t[i];
		char base[16];
		int count = 0;

		for (int k = 0; k < p->n; k++)
			count += memcmp(p->t[k].signature, t->signature, 4) == 0;
		for (int k = 0; k < 4; k++)
			base[k] = (char)tolower((unsigned char)t->signature[k]);
		base[4] = '\0';
		if (count > 1)
			snprintf(path, sizeof(path), "%s/%s%u.dat", tmp, base, t->instance);
		else
			snprintf(path, sizeof(path), "%s/%s.dat", tmp, base);
		size_t n;
		uint8_t *x = slurp(path, &n);
		assert_int_equal(n, t->length);
		assert_memory_equal(x, p->out + t->offset, n);
		free(x);
	}
	free(text);
	parsed_free(p);
	remove_dir(tmp);
}

/* ========================= tolerated noise ========================= */

static void expect_sample(const struct parsed *p)
{
	uint8_t a[52], b[40];

	make_table(a, sizeof(a), "DBGP");
	make_table(b, sizeof(b), "SSDT");
	if (p->n < 0)
		fail_msg("parse failed at %llu: %s", (unsigned long long)p->f.offset,
			 p->f.detail);
	assert_int_equal(p->n, 2);
	assert_int_equal(p->t[0].length, 52);
	assert_int_equal(p->t[1].length, 40);
	assert_int_equal(p->t[1].offset, 52);
	assert_memory_equal(p->out, a, 52);
	assert_memory_equal(p->out + 52, b, 40);
	assert_true(p->t[0].address == 0xbffe0040);
	assert_true(p->t[1].address == 0xbffe1000);
	assert_string_equal(p->t[1].name, "SSDT");
	assert_int_equal(p->t[0].instance, 1);
	assert_int_equal(p->t[1].instance, 1);
}

/* Rewrite each line of src with fn into dst. */
static size_t map_lines(char *dst, size_t cap, const char *src,
			size_t (*fn)(char *, size_t, const char *, size_t))
{
	size_t o = 0;

	while (*src) {
		const char *nl = strchr(src, '\n');
		size_t l = nl ? (size_t)(nl - src) : strlen(src);
		o += fn(dst + o, cap - o, src, l);
		assert_true(o < cap);
		src += l + (nl != NULL);
	}
	dst[o] = '\0';
	return o;
}

static size_t crlf(char *d, size_t cap, const char *s, size_t l)
{
	return (size_t)snprintf(d, cap, "%.*s\r\n", (int)l, s);
}

static size_t blanks(char *d, size_t cap, const char *s, size_t l)
{
	return (size_t)snprintf(d, cap, "%.*s   \t \n\n \r\n", (int)l, s);
}

static size_t no_ascii(char *d, size_t cap, const char *s, size_t l)
{
	const char *c = memchr(s, ':', l);
	size_t keep = l;

	if (c && l > 58)
		keep = (size_t)(c - s) + 2 + 47;
	return (size_t)snprintf(d, cap, "%.*s\n", (int)keep, s);
}

/* An ASCII column that looks like a header or hex bytes. */
static size_t odd_ascii(char *d, size_t cap, const char *s, size_t l)
{
	const char *c = memchr(s, ':', l);

	if (c && l > 58)
		return (size_t)snprintf(d, cap, "%.*s  DSDT @ 0x12 AB: 00 11\n",
					(int)((size_t)(c - s) + 2 + 47), s);
	return (size_t)snprintf(d, cap, "%.*s\n", (int)l, s);
}

/* Lower-case hex, a tab before the offset; header lines as they are. */
static size_t lower(char *d, size_t cap, const char *s, size_t l)
{
	const bool header = memchr(s, '@', l) != NULL;
	size_t o = 0;
	size_t i = 0;

	while (i < l && s[i] == ' ')
		i++;
	if (i > 0)
		d[o++] = '\t';
	for (; i < l && o + 2 < cap; i++)
		d[o++] = (char)(!header && s[i] >= 'A' && s[i] <= 'F'
				? s[i] - 'A' + 'a' : s[i]);
	d[o++] = '\n';
	return o;
}

static void test_noise_tolerated(void **state)
{
	(void)state;
	static char src[8192], alt[16384];
	struct parsed *p = parsed_new();
	size_t n = sample(src, sizeof(src));

	parse(p, src, n);
	expect_sample(p);
	parse(p, alt, map_lines(alt, sizeof(alt), src, crlf));
	expect_sample(p);
	parse(p, alt, map_lines(alt, sizeof(alt), src, blanks));
	expect_sample(p);
	parse(p, alt, map_lines(alt, sizeof(alt), src, no_ascii));
	expect_sample(p);
	parse(p, alt, map_lines(alt, sizeof(alt), src, odd_ascii));
	expect_sample(p);
	parse(p, alt, map_lines(alt, sizeof(alt), src, lower));
	expect_sample(p);
	/* No final newline, and leading blank lines. */
	size_t m = (size_t)snprintf(alt, sizeof(alt), "\n\n%s", src);
	while (alt[m - 1] == '\n')
		m--;
	parse(p, alt, m);
	expect_sample(p);
	/* Nothing at all. */
	parse(p, "", 0);
	assert_int_equal(p->n, 0);
	parse(p, "\n \r\n\t\n", 5);
	assert_int_equal(p->n, 0);
	parsed_free(p);
}

static void test_instances_and_names(void **state)
{
	(void)state;
	char *buf = text_buf;
	uint8_t t[40], facs[64] = { 'F', 'A', 'C', 'S', 64 };
	struct parsed *p = parsed_new();
	size_t o = 0;

	make_table(t, sizeof(t), "SSDT");
	o += dump(buf + o, sizeof(text_buf) - o, "SSDT", 1, t, sizeof(t));
	o += dump(buf + o, sizeof(text_buf) - o, "FACS", 2, facs, sizeof(facs));
	o += dump(buf + o, sizeof(text_buf) - o, "SSDT", 3, t, sizeof(t));
	o += dump(buf + o, sizeof(text_buf) - o, "SSDT", 0xffffffffffffffffull, t, sizeof(t));
	uint8_t rsdp[20] = "RSD PTR ";
	o += dump(buf + o, sizeof(text_buf) - o, "RSD PTR", 4, rsdp, sizeof(rsdp));
	parse(p, buf, o);
	assert_int_equal(p->n, 5);
	assert_int_equal(p->t[0].instance, 1);
	assert_int_equal(p->t[1].instance, 1);
	assert_int_equal(p->t[2].instance, 2);
	assert_int_equal(p->t[3].instance, 3);
	assert_true(p->t[3].address == 0xffffffffffffffffull);
	assert_int_equal(p->t[1].length, 64);
	assert_string_equal(p->t[4].name, "RSD PTR");
	assert_memory_equal(p->t[4].signature, "RSD ", 4);
	assert_int_equal(p->t[4].length, 20);
	parsed_free(p);
}

/* ========================= one defect at a time ========================= */

/* Replace the first occurrence of `from` in the sample with `to` and expect
 * the error, with the fault inside the changed line. */
static void expect_defect(const char *from, const char *to, int err)
{
	static char src[8192], mod[8192];
	struct parsed *p = parsed_new();
	sample(src, sizeof(src));
	char *at = strstr(src, from);

	assert_non_null(at);
	size_t pre = (size_t)(at - src);
	size_t m = (size_t)snprintf(mod, sizeof(mod), "%.*s%s%s", (int)pre, src, to,
				    at + strlen(from));
	parse(p, mod, m);
	if (p->n != err)
		fail_msg("'%s' -> '%s': got %d, want %d", from, to, p->n, err);
	assert_int_equal(p->f.error, err);
	assert_string_equal(p->f.field, "line");
	assert_non_null(p->f.detail);
	/* The fault lies in the changed line or at its table's header. */
	size_t line = pre;
	while (line > 0 && mod[line - 1] != '\n')
		line--;
	const char *eol = strchr(mod + pre, '\n');
	size_t line_end = eol ? (size_t)(eol - mod) : m;
	if (!(p->f.offset >= line && p->f.offset <= line_end)) {
		/* a table-level fault names its header line */
		assert_true(p->f.offset < line);
		assert_int_equal(strncmp(mod + p->f.offset, "DBGP @", 6) == 0 ||
				 strncmp(mod + p->f.offset, "SSDT @", 6) == 0, 1);
	}
	parsed_free(p);
}

static void test_defects(void **state)
{
	(void)state;
	/* Bytes: a non-hex digit, one digit, three digits, a bad separator. */
	expect_defect("0010: 42", "0010: 4G", FWK_ERR_BADFIELD);
	expect_defect("0010: 42", "0010: 4 2", FWK_ERR_BADFIELD);
	expect_defect("0010: 42 58", "0010: 42F 58", FWK_ERR_BADFIELD);
	expect_defect("0010: 42 58", "0010: 42-58", FWK_ERR_BADFIELD);
	expect_defect("0010: 42", "0010:42", FWK_ERR_BADFIELD);
	expect_defect("0010: 42", "0010: ", FWK_ERR_BADFIELD);
	/* Offsets: a gap, a repeat, not from 0, a 17-digit one. */
	expect_defect("    0020:", "    0030:", FWK_ERR_BADFIELD);
	expect_defect("    0020:", "    0010:", FWK_ERR_BADFIELD);
	expect_defect("    0000: 44", "    0001: 44", FWK_ERR_BADFIELD);
	expect_defect("    0000: 44", "00000000000000000: 44", FWK_ERR_BADFIELD);
	/* A line with 17 bytes. */
	expect_defect("49 56 63  ", "49 56 63 00  ", FWK_ERR_BADFIELD);
	/* The count of bytes against the header's Length. */
	expect_defect("0030: 70 7D 8A 97", "0030: 70 7D 8A 97 00", FWK_ERR_BADFIELD);
	expect_defect("0030: 70 7D 8A 97", "0030: 70 7D 8A", FWK_ERR_BADFIELD);
	/* Headers: a bad address, no 0x, no blank, too long a name, junk. */
	expect_defect("DBGP @ 0x", "DBGP @ 0xZ", FWK_ERR_BADFIELD);
	expect_defect("DBGP @ 0x", "DBGP @ ", FWK_ERR_BADFIELD);
	expect_defect("DBGP @ 0x", "DBGP@ 0x", FWK_ERR_BADFIELD);
	expect_defect("DBGP @ 0x", "DBGP @0x", FWK_ERR_BADFIELD);
	expect_defect("DBGP @ 0x", "DBGPDBGPDBGPDBGP @ 0x", FWK_ERR_BADFIELD);
	expect_defect("DBGP @ 0x", "Intel ACPI Component Architecture\nDBGP @ 0x",
		      FWK_ERR_BADFIELD);
	expect_defect("SSDT @ 0x00000000BFFE1000", "SSDT @ 0x00000000BFFE1000 x",
		      FWK_ERR_BADFIELD);
	/* A name that does not match the bytes. */
	expect_defect("SSDT @", "DSDT @", FWK_ERR_BADFIELD);
	/* Data before any header; a header without data. */
	expect_defect("DBGP @ 0x00000000BFFE0040\n", "", FWK_ERR_BADFIELD);
	expect_defect("SSDT @", "APIC @ 0x0\nSSDT @", FWK_ERR_BADFIELD);
}

static void test_nospace(void **state)
{
	(void)state;
	static char src[8192];
	struct parsed *p = parsed_new();
	size_t n = sample(src, sizeof(src));

	parse_into(p, src, n, 92, 2);
	assert_int_equal(p->n, 2);
	parse_into(p, src, n, 91, 2);
	assert_int_equal(p->n, FWK_ERR_NOSPACE);
	assert_int_equal(p->f.error, FWK_ERR_NOSPACE);
	parse_into(p, src, n, 0, 2);
	assert_int_equal(p->n, FWK_ERR_NOSPACE);
	parse_into(p, src, n, 92, 1);
	assert_int_equal(p->n, FWK_ERR_NOSPACE);
	assert_int_equal(strncmp(src + p->f.offset, "SSDT @", 6), 0);
	parse_into(p, src, n, 92, 0);
	assert_int_equal(p->n, FWK_ERR_NOSPACE);
	parsed_free(p);
}

/* Dense text (no padding, no ASCII column, short offsets) still fits the
 * promised len / 3 + 64, and so does the fuzzer's exact-size buffer. */
static void test_cap_bound(void **state)
{
	(void)state;
	static char src[65536];
	static uint8_t t[4096];
	struct parsed *p = parsed_new();

	make_table(t, sizeof(t), "SSDT");
	size_t o = (size_t)snprintf(src, sizeof(src), "SSDT @ 0x0\n");
	for (size_t i = 0; i < sizeof(t); i += 16) {
		o += (size_t)snprintf(src + o, sizeof(src) - o, "%zX:", i);
		for (size_t k = 0; k < 16; k++)
			o += (size_t)snprintf(src + o, sizeof(src) - o, " %02X", t[i + k]);
		src[o++] = '\n';
	}
	parse(p, src, o);
	assert_int_equal(p->n, 1);
	assert_int_equal(p->t[0].length, sizeof(t));
	assert_memory_equal(p->out, t, sizeof(t));
	assert_true(sizeof(t) <= o / 3 + 64);
	parsed_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_acpidump_every_corpus_table),
		cmocka_unit_test(test_agrees_with_acpixtract),
		cmocka_unit_test(test_noise_tolerated),
		cmocka_unit_test(test_instances_and_names),
		cmocka_unit_test(test_defects),
		cmocka_unit_test(test_nospace),
		cmocka_unit_test(test_cap_bound),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

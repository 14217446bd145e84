/* SPDX-License-Identifier: MIT */
/* test_ucode_intel.c - cmocka tests of the Intel microcode parser and the
 * selection: synthetic updates with one field changed at a time, the real
 * corpus files, every single-byte flip of their headers and extended
 * tables (and of a whole small file), and which updates pack keeps. */
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

/* ---- building synthetic updates ------------------------------------------ */

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

struct spec {
	uint32_t rev, date, sig, pf;
	uint32_t data_size;   /* the field: 0 means 2000 */
	uint32_t total_size;  /* the field: 0 means 2048 */
	uint32_t next;        /* extended signatures */
	uint32_t ext_sig[4], ext_pf[4];
};

/* Write an update as s describes into out (the effective total size bytes),
 * checksums made right; returns the bytes written. */
static uint32_t make_update(uint8_t *out, const struct spec *s)
{
	uint32_t ds = s->data_size ? s->data_size : UCODE_INTEL_DEFAULT_DATA;
	uint32_t ts = s->total_size ? s->total_size : UCODE_INTEL_DEFAULT_TOTAL;

	memset(out, 0, ts);
	put32(out + 0, 1);
	put32(out + 4, s->rev);
	put32(out + 8, s->date);
	put32(out + 12, s->sig);
	put32(out + 20, 1);
	put32(out + 24, s->pf);
	put32(out + 28, s->data_size);
	put32(out + 32, s->total_size);
	for (uint32_t i = 0; i < ds; i++)
		out[48 + i] = (uint8_t)(i * 7 + s->rev);
	put32(out + 16, 0u - ucode_dword_sum(out, 48 + (uint64_t)ds));
	if (s->next) {
		uint8_t *x = out + 48 + ds;
		uint32_t mine = s->sig + s->pf + fwk_le32(out + 16);
		put32(x, s->next);
		for (uint32_t i = 0; i < s->next; i++) {
			uint8_t *e = x + 20 + 12 * i;
			put32(e, s->ext_sig[i]);
			put32(e + 4, s->ext_pf[i]);
			put32(e + 8, mine - s->ext_sig[i] - s->ext_pf[i]);
		}
		put32(x + 4, 0u - ucode_dword_sum(x, 20 + 12 * (uint64_t)s->next));
	}
	return ts;
}

/* A 1024-byte update: data_size 976, no extended table. */
static struct spec small(uint32_t sig, uint32_t pf, uint32_t rev)
{
	return (struct spec){ .rev = rev, .date = 0x01152024, .sig = sig, .pf = pf,
			      .data_size = 976, .total_size = 1024 };
}

/* A 2048-byte update whose extended table fills the space after 1952 bytes
 * of data (20 + 12 * 2 + the rest: data shrinks to fit exactly). */
static struct spec with_ext(uint32_t sig, uint32_t pf, uint32_t rev, uint32_t s1, uint32_t s2)
{
	struct spec s = { .rev = rev, .date = 0x07042023, .sig = sig, .pf = pf,
			  .total_size = 2048, .next = 2,
			  .ext_sig = { s1, s2 }, .ext_pf = { pf, pf } };
	s.data_size = 2048 - 48 - (20 + 12 * 2);
	return s;
}

static int parse_one(const uint8_t *b, uint64_t len, struct ucode_intel *u,
		     struct fwk_fault *f)
{
	uint64_t off = 0;
	return ucode_intel_next(b, len, &off, u, f);
}

/* The update at b must be refused with rc, naming field at offset at; the
 * cursor must not move. */
static void expect_fault(const uint8_t *b, uint64_t len, int rc, const char *field, uint64_t at)
{
	struct ucode_intel u;
	struct fwk_fault f = { 0 };
	uint64_t off = 0;
	uint8_t *copy = exact_copy(b, len);

	assert_int_equal(ucode_intel_next(copy, len, &off, &u, &f), rc);
	assert_int_equal(f.error, rc);
	assert_string_equal(f.field, field);
	assert_non_null(f.detail);
	assert_int_equal(f.offset, at);
	assert_int_equal(off, 0);
	free(copy);
}

/* ---- the parser ----------------------------------------------------------- */

static void test_synthetic_fields(void **state)
{
	uint8_t b[2048];
	struct ucode_intel u;
	struct ucode_intel_sig x;
	struct fwk_fault f = { 0 };
	(void)state;

	struct spec s = with_ext(0x906a3, 0x80, 0x43a, 0x906a3, 0x906a4);
	uint32_t n = make_update(b, &s);
	uint8_t *c = exact_copy(b, n);
	assert_int_equal(parse_one(c, n, &u, &f), 1);
	assert_int_equal(u.offset, 0);
	assert_ptr_equal(u.data, c);
	assert_int_equal(u.header_version, 1);
	assert_int_equal(u.loader_revision, 1);
	assert_int_equal(u.revision, 0x43a);
	assert_int_equal(u.date, 0x07042023);
	assert_int_equal(u.signature, 0x906a3);
	assert_int_equal(u.pf_mask, 0x80);
	assert_int_equal(u.data_size, s.data_size);
	assert_int_equal(u.total_size, 2048);
	assert_int_equal(u.ext_count, 2);
	assert_int_equal(u.ext_offset, 48 + s.data_size);
	assert_int_equal(ucode_intel_ext_sig(&u, 1, &x), 0);
	assert_int_equal(x.signature, 0x906a4);
	assert_int_equal(x.pf_mask, 0x80);
	assert_int_equal(ucode_intel_ext_sig(&u, 2, &x), FWK_ERR_INVAL);
	assert_true(ucode_intel_matches(&u, 0x906a4, 0x80));
	assert_true(ucode_intel_matches(&u, 0x906a3, 0xff));
	assert_false(ucode_intel_matches(&u, 0x906a4, 0x40));
	assert_false(ucode_intel_matches(&u, 0x906a5, 0x80));
	free(c);
}

static void test_default_sizes(void **state)
{
	uint8_t b[2048];
	struct ucode_intel u;
	struct fwk_fault f = { 0 };
	(void)state;

	struct spec s = { .rev = 8, .date = 0x11152000, .sig = 0xf07, .pf = 2 };
	assert_int_equal(make_update(b, &s), 2048);
	uint8_t *c = exact_copy(b, 2048);
	assert_int_equal(parse_one(c, 2048, &u, &f), 1);
	assert_int_equal(u.data_size, 2000);
	assert_int_equal(u.total_size, 2048);
	assert_int_equal(u.ext_count, 0);
	assert_int_equal(u.ext_offset, 0);
	free(c);
}

static void test_back_to_back_and_end(void **state)
{
	static uint8_t b[8192];
	struct ucode_intel u;
	struct fwk_fault f = { 0 };
	uint64_t off = 0;
	(void)state;

	struct spec a = small(0x6fb, 1, 0xba), c = with_ext(0x806f8, 0x87, 7, 0x806f7, 0x806f6);
	struct spec d = { .rev = 3, .sig = 0xf07, .pf = 1 };
	uint32_t n = make_update(b, &a);
	n += make_update(b + n, &c);
	n += make_update(b + n, &d);
	uint8_t *copy = exact_copy(b, n);
	uint64_t want[] = { 0, 1024, 3072 };
	for (int i = 0; i < 3; i++) {
		assert_int_equal(ucode_intel_next(copy, n, &off, &u, &f), 1);
		assert_int_equal(u.offset, want[i]);
	}
	assert_int_equal(off, n);
	assert_int_equal(ucode_intel_next(copy, n, &off, &u, &f), 0);
	off = n + 1;
	assert_int_equal(ucode_intel_next(copy, n, &off, &u, &f), FWK_ERR_RANGE);
	assert_int_equal(f.offset, n);
	/* Bytes left over that cannot be a header. */
	off = 0;
	assert_int_equal(ucode_intel_next(copy, 1024 + 47, &off, &u, &f), 1);
	assert_int_equal(ucode_intel_next(copy, 1024 + 47, &off, &u, &f), FWK_ERR_TRUNCATED);
	assert_string_equal(f.field, "header");
	assert_int_equal(f.offset, 1024);
	assert_int_equal(off, 1024);
	free(copy);
}

/* One field at a time, every other byte as made. */
static void test_mutations(void **state)
{
	uint8_t b[2048], m[2048];
	(void)state;

	struct spec s = small(0x306c3, 0x32, 0x28);
	uint32_t n = make_update(b, &s);

#define MUTATE(off, val) (memcpy(m, b, n), put32(m + (off), (val)), m)
	expect_fault(MUTATE(0, 2), n, FWK_ERR_BADFIELD, "header_version", 0);
	expect_fault(MUTATE(0, 0), n, FWK_ERR_BADFIELD, "header_version", 0);
	expect_fault(MUTATE(20, 2), n, FWK_ERR_BADFIELD, "loader_revision", 20);
	expect_fault(MUTATE(28, 978), n, FWK_ERR_BADFIELD, "data_size", 28);
	expect_fault(MUTATE(32, 1000), n, FWK_ERR_BADFIELD, "total_size", 32);
	expect_fault(MUTATE(28, 980), n, FWK_ERR_BADFIELD, "total_size", 32);
	expect_fault(MUTATE(32, 2048), n, FWK_ERR_TRUNCATED, "total_size", 32);
	/* Fields the sum covers: each is a checksum error once changed. */
	static const uint32_t summed[] = { 4, 8, 12, 16, 24, 36, 40, 44, 48, 500, 1020 };
	for (size_t i = 0; i < sizeof(summed) / sizeof(summed[0]); i++) {
		memcpy(m, b, n);
		m[summed[i]] ^= 0x01;
		expect_fault(m, n, FWK_ERR_CHECKSUM, "checksum", 16);
	}
	/* data_size 0 with a 1024-byte total: 2000 + 48 does not fit. */
	expect_fault(MUTATE(28, 0), n, FWK_ERR_BADFIELD, "total_size", 32);
	/* A total_size that leaves room after the data makes an extended table
	 * of the bytes that follow: here too short to be one. */
	struct spec t = small(0x306c3, 0x32, 0x28);
	t.data_size = 1024 - 48 - 16;
	n = make_update(b, &t);
	expect_fault(b, n, FWK_ERR_BADFIELD, "ext_table", 48 + t.data_size);
#undef MUTATE
}

static void test_ext_mutations(void **state)
{
	uint8_t b[2048], m[2048];
	(void)state;

	struct spec s = with_ext(0x90672, 0x07, 0x3d, 0x90672, 0x90675);
	uint32_t n = make_update(b, &s);
	uint32_t x = 48 + s.data_size;

	/* count: one more or less no longer fills the table exactly. */
	memcpy(m, b, n);
	put32(m + x, 3);
	expect_fault(m, n, FWK_ERR_BADFIELD, "ext_count", x);
	put32(m + x, 1);
	expect_fault(m, n, FWK_ERR_BADFIELD, "ext_count", x);
	/* Any other byte of the table breaks its sum. */
	for (uint32_t i = 4; i < 20 + 24; i++) {
		memcpy(m, b, n);
		m[x + i] ^= 0x80;
		expect_fault(m, n, FWK_ERR_CHECKSUM, "ext_checksum", x + 4);
	}
	/* An entry whose checksum does not fit, with the table's sum kept. */
	memcpy(m, b, n);
	put32(m + x + 20 + 12 + 8, fwk_le32(m + x + 20 + 12 + 8) + 1);
	put32(m + x + 4, fwk_le32(m + x + 4) - 1);
	expect_fault(m, n, FWK_ERR_CHECKSUM, "ext_signature", x + 20 + 12);
	/* Moving value between an entry's signature and checksum keeps the
	 * rule: still valid (the kernel's check is the same sum). */
	memcpy(m, b, n);
	put32(m + x + 20, fwk_le32(m + x + 20) + 5);
	put32(m + x + 20 + 8, fwk_le32(m + x + 20 + 8) - 5);
	struct ucode_intel u;
	struct fwk_fault f = { 0 };
	uint8_t *c = exact_copy(m, n);
	assert_int_equal(parse_one(c, n, &u, &f), 1);
	free(c);
}

static void test_detect_and_helpers(void **state)
{
	uint8_t b[64] = { 0 };
	char date[11];
	(void)state;

	assert_int_equal(ucode_detect(b, 0), UCODE_UNKNOWN);
	assert_int_equal(ucode_detect(b, sizeof(b)), UCODE_UNKNOWN);
	put32(b, 1);
	assert_int_equal(ucode_detect(b, sizeof(b)), UCODE_INTEL);
	put32(b, 7);
	put32(b + 20, 1);
	assert_int_equal(ucode_detect(b, sizeof(b)), UCODE_INTEL);
	assert_int_equal(ucode_detect(b, 23), UCODE_UNKNOWN);
	put32(b, UCODE_AMD_MAGIC);
	assert_int_equal(ucode_detect(b, 4), UCODE_AMD);
	assert_int_equal(ucode_detect("Copyright (c) 2018-2024 Intel", 29), UCODE_UNKNOWN);
	assert_string_equal(ucode_vendor_name(UCODE_INTEL), "intel");
	assert_string_equal(ucode_vendor_name(UCODE_AMD), "amd");
	assert_string_equal(ucode_early_path(UCODE_INTEL), "kernel/x86/microcode/GenuineIntel.bin");
	assert_string_equal(ucode_early_path(UCODE_AMD), "kernel/x86/microcode/AuthenticAMD.bin");
	assert_null(ucode_early_path(UCODE_UNKNOWN));
	ucode_date_text(0x10122025, date);
	assert_string_equal(date, "2025-10-12");
	ucode_date_text(0x13092011, date);
	assert_string_equal(date, "2011-13-09");
	put32(b, 0xfffffffe);
	put32(b + 4, 3);
	assert_int_equal(ucode_dword_sum(b, 8), 1);
	assert_int_equal(ucode_dword_sum(b, 7), 0xfffffffe);
}

/* ---- the real corpus ------------------------------------------------------ */

static uint8_t *corpus_file(const char *name, size_t *len)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/corpus/microcode/intel/%s", shared_dir(), name);
	return slurp(path, len);
}

/* Parse all of b; returns the count, or -(index+1) of the failing update
 * with *f and *at (its offset) set. */
static int parse_all(const uint8_t *b, uint64_t len, struct ucode_intel *out, int cap,
		     struct fwk_fault *f, uint64_t *at)
{
	struct ucode_intel u;
	uint64_t off = 0;
	int n = 0, rc;

	while ((rc = ucode_intel_next(b, len, &off, &u, f)) == 1) {
		if (n < cap)
			out[n] = u;
		n++;
	}
	*at = off;
	return rc < 0 ? -(n + 1) : n;
}

static void test_corpus(void **state)
{
	static const struct {
		const char *name;
		int updates;
		uint32_t sig, pf, rev, size, ext;
	} files[] = {
		{ "06-0f-0b", 7, 0x6fb, 0x01, 0xba, 4096, 0 },
		{ "06-1e-05", 1, 0x106e5, 0x13, 0xa, 9216, 0 },
		{ "06-3c-03", 1, 0x306c3, 0x32, 0x28, 23552, 0 },
		{ "06-55-04", 1, 0x50654, 0xb7, 0x2007006, 44032, 0 },
		{ "06-8f-08", 2, 0x806f8, 0x10, 0x2c000410, 625664, 4 },
		{ "06-97-02", 1, 0x90672, 0x07, 0x3d, 226304, 6 },
		{ "06-9a-04", 2, 0x906a3, 0x80, 0x43a, 224256, 2 },
		{ "0f-00-07", 2, 0xf07, 0x01, 0x12, 2048, 0 },
	};
	(void)state;

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		size_t len;
		uint8_t *b = corpus_file(files[i].name, &len);
		struct ucode_intel u[8];
		struct fwk_fault f = { 0 };
		uint64_t at;
		assert_int_equal(ucode_detect(b, len), UCODE_INTEL);
		int n = parse_all(b, len, u, 8, &f, &at);
		assert_int_equal(n, files[i].updates);
		assert_int_equal(at, len);
		assert_int_equal(u[0].signature, files[i].sig);
		assert_int_equal(u[0].pf_mask, files[i].pf);
		assert_int_equal(u[0].revision, files[i].rev);
		assert_int_equal(u[0].total_size, files[i].size);
		assert_int_equal(u[0].ext_count, files[i].ext);
		assert_true(ucode_intel_matches(&u[0], files[i].sig, files[i].pf));
		free(b);
	}
}

/* Flip one byte at p: the parse must fail in the update holding p, with a
 * checksum error or a named field error, and the updates before it read. */
static void flip_and_check(uint8_t *b, uint64_t len, uint64_t p, const uint64_t *starts,
			   int nstarts, const char **fields_seen, int *nfields)
{
	struct fwk_fault f = { 0 };
	uint64_t at;
	int upd = 0;

	while (upd + 1 < nstarts && starts[upd + 1] <= p)
		upd++;
	b[p] ^= 0x5a;
	int rc = parse_all(b, len, NULL, 0, &f, &at);
	b[p] ^= 0x5a;
	if (rc != -(upd + 1))
		fail_msg("flip at 0x%llx: parse gave %d, want a failure in update %d",
			 (unsigned long long)p, rc, upd + 1);
	assert_int_equal(at, starts[upd]);
	assert_true(f.error == FWK_ERR_CHECKSUM || f.error == FWK_ERR_BADFIELD ||
		    f.error == FWK_ERR_TRUNCATED);
	assert_non_null(f.field);
	assert_true(f.offset >= starts[upd] && f.offset < len);
	for (int i = 0; i < *nfields; i++)
		if (!strcmp(fields_seen[i], f.field))
			return;
	if (*nfields < 16)
		fields_seen[(*nfields)++] = f.field;
}

static void flip_file(const char *name, bool every_byte, int min_fields)
{
	size_t len;
	uint8_t *b = corpus_file(name, &len);
	struct ucode_intel u[8];
	struct fwk_fault f = { 0 };
	uint64_t at, starts[8];
	const char *fields[16];
	int nfields = 0;

	int n = parse_all(b, len, u, 8, &f, &at);
	assert_true(n > 0 && n <= 8);
	for (int i = 0; i < n; i++)
		starts[i] = u[i].offset;
	if (every_byte) {
		for (uint64_t p = 0; p < len; p++)
			flip_and_check(b, len, p, starts, n, fields, &nfields);
	} else {
		for (int i = 0; i < n; i++) {
			for (uint64_t p = 0; p < UCODE_INTEL_HEADER_SIZE; p++)
				flip_and_check(b, len, u[i].offset + p, starts, n, fields, &nfields);
			for (uint64_t p = u[i].ext_offset; u[i].ext_count &&
			     p < u[i].offset + u[i].total_size; p++)
				flip_and_check(b, len, p, starts, n, fields, &nfields);
		}
		/* 200 data bytes spread over the file. */
		for (uint64_t k = 0; k < 200; k++)
			flip_and_check(b, len, (k * 2654435761u) % len, starts, n, fields,
				       &nfields);
	}
	if (nfields < min_fields)
		fail_msg("%s: flips named only %d distinct fields", name, nfields);
	free(b);
}

static void test_flip_headers_and_ext(void **state)
{
	(void)state;
	flip_file("06-9a-04", false, 6);
	flip_file("06-97-02", false, 6);
}

static void test_flip_every_byte(void **state)
{
	(void)state;
	flip_file("0f-00-07", true, 4);
}

/* ---- selection ------------------------------------------------------------ */

static int load_set(uint8_t *buf, const struct spec *s, int n, struct ucode_intel *u)
{
	uint64_t len = 0, off = 0;
	struct fwk_fault f = { 0 };

	for (int i = 0; i < n; i++)
		len += make_update(buf + len, &s[i]);
	for (int i = 0; i < n; i++)
		assert_int_equal(ucode_intel_next(buf, len, &off, &u[i], &f), 1);
	return n;
}

static void expect_keep(const bool *keep, const char *want)
{
	for (size_t i = 0; want[i]; i++)
		if (keep[i] != (want[i] == '1'))
			fail_msg("keep[%zu] is %d, want %c (want %s)", i, keep[i], want[i], want);
}

static void test_select_newest(void **state)
{
	static uint8_t buf[16384];
	struct ucode_intel u[8];
	bool keep[8];
	(void)state;

	const struct spec s[] = {
		small(0x306c3, 0x32, 0x20),  /* 0: superseded for every bit by 2 */
		small(0x306c3, 0x02, 0x21),  /* 1: superseded by 2 */
		small(0x306c3, 0x32, 0x28),  /* 2: newest for 0x02, 0x10, 0x20 */
		small(0x306c3, 0x01, 0x10),  /* 3: the only one for bit 0 */
		small(0x306c3, 0x01, (uint32_t)-5), /* 4: negative: older than 3 */
		small(0x6fb, 0x04, 0xbc),    /* 5: another signature */
		small(0x306c3, 0x32, 0x28),  /* 6: a duplicate of 2: the first wins */
	};
	int n = load_set(buf, s, 7, u);

	assert_int_equal(ucode_intel_select(u, (uint32_t)n, NULL, keep), 3);
	expect_keep(keep, "0011010");
	struct ucode_cpu cpu = { 0x306c3, 0x02 };
	assert_int_equal(ucode_intel_select(u, (uint32_t)n, &cpu, keep), 1);
	expect_keep(keep, "0010000");
	cpu.pf_mask = 0x01;
	assert_int_equal(ucode_intel_select(u, (uint32_t)n, &cpu, keep), 1);
	expect_keep(keep, "0001000");
	cpu.pf_mask = 0; /* every platform */
	assert_int_equal(ucode_intel_select(u, (uint32_t)n, &cpu, keep), 2);
	expect_keep(keep, "0011000");
	cpu.pf_mask = 0x40;
	assert_int_equal(ucode_intel_select(u, (uint32_t)n, &cpu, keep), 0);
	cpu = (struct ucode_cpu){ 0x6fb, UCODE_PF_ALL };
	assert_int_equal(ucode_intel_select(u, (uint32_t)n, &cpu, keep), 1);
	expect_keep(keep, "0000010");
	assert_int_equal(ucode_intel_select(NULL, 1, NULL, keep), FWK_ERR_INVAL);
	assert_int_equal(ucode_intel_select(NULL, 0, NULL, NULL), 0);
}

/* A newer update that names a CPU only in its extended table supersedes an
 * older one for that CPU alone. */
static void test_select_extended(void **state)
{
	static uint8_t buf[16384];
	struct ucode_intel u[4];
	bool keep[4];
	(void)state;

	const struct spec s[] = {
		small(0x906a4, 0x80, 0x400),                         /* 0 */
		with_ext(0x906a3, 0x80, 0x43a, 0x906a3, 0x906a4),    /* 1 */
		small(0x906a3, 0x80, 0x300),                         /* 2 */
		small(0x906a4, 0x40, 0xb),                           /* 3 */
	};
	int n = load_set(buf, s, 4, u);

	assert_int_equal(ucode_intel_select(u, (uint32_t)n, NULL, keep), 2);
	expect_keep(keep, "0101");
	struct ucode_cpu cpu = { 0x906a4, 0x80 };
	assert_int_equal(ucode_intel_select(u, (uint32_t)n, &cpu, keep), 1);
	expect_keep(keep, "0100");
	cpu.pf_mask = 0xc0;
	assert_int_equal(ucode_intel_select(u, (uint32_t)n, &cpu, keep), 2);
	expect_keep(keep, "0101");
}

/* Updates for CPUs without a platform ID (flags 0) keep a slot of their own. */
static void test_select_pf_zero(void **state)
{
	static uint8_t buf[8192];
	struct ucode_intel u[3];
	bool keep[3];
	(void)state;

	const struct spec s[] = { small(0x633, 0, 1), small(0x633, 0, 2), small(0x633, 1, 3) };
	int n = load_set(buf, s, 3, u);
	assert_int_equal(ucode_intel_select(u, (uint32_t)n, NULL, keep), 2);
	expect_keep(keep, "011");
}

static void test_bundle_order(void **state)
{
	static uint8_t buf[16384], out[16384];
	struct ucode_intel u[5];
	bool keep[5] = { true, true, true, false, true };
	(void)state;

	const struct spec s[] = {
		small(0x906a4, 0x40, 0xb), small(0x306c3, 0x32, 0x28), small(0x906a4, 0x80, 1),
		small(0x106e5, 0x13, 0xa), small(0x306c3, 0x01, 0x10),
	};
	int n = load_set(buf, s, 5, u);
	assert_int_equal(ucode_intel_bundle(u, (uint32_t)n, keep, NULL, 0), 4096);
	assert_int_equal(ucode_intel_bundle(u, (uint32_t)n, keep, out, 4095), FWK_ERR_NOSPACE);
	assert_int_equal(ucode_intel_bundle(u, (uint32_t)n, keep, out, sizeof(out)), 4096);
	/* signature ascending, flags descending: 306c3/32, 306c3/01, 906a4/80, 906a4/40 */
	const int order[] = { 1, 4, 2, 0 };
	for (int i = 0; i < 4; i++)
		assert_memory_equal(out + 1024 * i, u[order[i]].data, 1024);
	assert_int_equal(ucode_intel_bundle(NULL, 1, keep, NULL, 0), FWK_ERR_INVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_synthetic_fields),
		cmocka_unit_test(test_default_sizes),
		cmocka_unit_test(test_back_to_back_and_end),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_ext_mutations),
		cmocka_unit_test(test_detect_and_helpers),
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_flip_headers_and_ext),
		cmocka_unit_test(test_flip_every_byte),
		cmocka_unit_test(test_select_newest),
		cmocka_unit_test(test_select_extended),
		cmocka_unit_test(test_select_pf_zero),
		cmocka_unit_test(test_bundle_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

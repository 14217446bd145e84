/* SPDX-License-Identifier: MIT */
/* test_fwb.c - cmocka tests of the .fwb container: write -> parse round
 * trips, each field broken in turn, every truncation, every single-bit
 * flip of an unsigned and a signed container, and Ed25519 signing and
 * verification with keys from OpenSSL's EVP and from the openssl command. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../support/testkit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <fwkit/fwb.h>
#include <fwkit/fwb_sign.h>

#define PAYLOAD_LEN 1024u
#define TARGET "ti,tps65219"

/* Key files made once for the whole group. */
static char *keydir;
static char key_a[512], pub_a[512];     /* EVP_PKEY_Q_keygen */
static char key_b[512], pub_b[512];     /* openssl genpkey */
static char key_ec[512], key_enc[512], not_pem[512], missing[512];

/* ---- helpers ------------------------------------------------------------ */

static void fill_payload(uint8_t *p, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (uint8_t)(seed >> 16);
	}
}

static struct fwb_spec spec_of(const uint8_t *payload, size_t n, bool is_signed)
{
	struct fwb_spec s = {
		.type = FWB_TYPE_PMIC,
		.instance = 2,
		.version = 0x0102030405060708ull,
		.payload_length = n,
		.target = TARGET,
		.is_signed = is_signed,
	};
	sha256(payload, n, s.payload_sha256);
	return s;
}

/* A container in an exact-size heap buffer (ASan sees overreads); signed
 * with `key` when it is not NULL. */
static uint8_t *build(const struct fwb_spec *spec, const uint8_t *payload,
		      const char *key, size_t *len)
{
	struct fwb_spec copy = *spec;
	const struct fwb_spec *s = &copy;
	copy.is_signed = key != NULL;
	const size_t n = (size_t)s->payload_length;
	const size_t total = FWB_HEADER_SIZE + n + (key ? FWB_SIG_SIZE : 0);
	uint8_t *b = malloc(total ? total : 1);

	assert_non_null(b);
	assert_int_equal(fwb_write_header(s, b, total), FWB_HEADER_SIZE);
	if (n)
		memcpy(b + FWB_HEADER_SIZE, payload, n);
	if (key) {
		uint8_t id[SHA256_DIGEST_SIZE], sig[FWB_ED25519_SIG_SIZE];
		char err[256] = "";
		int rc = fwb_sign(key, b, FWB_HEADER_SIZE + n, id, sig, err, sizeof(err));
		if (rc != 0)
			fail_msg("fwb_sign: %d %s", rc, err);
		assert_int_equal(fwb_write_signature(FWB_SIG_ED25519, id, sig,
						     b + FWB_HEADER_SIZE + n, FWB_SIG_SIZE),
				 FWB_SIG_SIZE);
	}
	*len = total;
	return b;
}

/* The default test container: 1 KiB of pseudo-random payload. */
static uint8_t *standard(const char *key, size_t *len)
{
	uint8_t payload[PAYLOAD_LEN];

	fill_payload(payload, sizeof(payload), 7);
	struct fwb_spec s = spec_of(payload, sizeof(payload), key != NULL);
	return build(&s, payload, key, len);
}

static void fix_header_digest(uint8_t *b)
{
	sha256(b, 144, b + 144);
}

/* fwb_check on an exact-size copy must fail with rc, field and offset. */
static void expect_fault(const char *what, const uint8_t *b, size_t len, int rc,
			 const char *field, uint64_t offset)
{
	uint8_t *c = exact_copy(b, len);
	struct fwb_info info;
	struct fwk_fault f = { 0 };

	int got = fwb_check(c, len, &info, &f);
	if (got != rc || !f.field || strcmp(f.field, field) != 0 || f.offset != offset)
		fail_msg("%s: want %d %s@%llu, got %d %s@%llu (%s)", what, rc, field,
			 (unsigned long long)offset, got, f.field ? f.field : "(null)",
			 (unsigned long long)f.offset, f.detail ? f.detail : "");
	assert_int_equal(f.error, rc);
	assert_non_null(f.detail);
	free(c);
}

static void assert_no_openssl_error(void)
{
	unsigned long e = ERR_peek_error();
	if (e)
		fail_msg("OpenSSL error left in the queue: %lx", e);
}

static void expect_err_has(const char *err, const char *want)
{
	if (!strstr(err, want))
		fail_msg("message '%s' does not contain '%s'", err, want);
	assert_null(strchr(err, '\n'));
}

/* ---- setup: key files --------------------------------------------------- */

static int write_keys(EVP_PKEY *k, const char *priv, const char *pub)
{
	FILE *f = fopen(priv, "w");
	int ok = f && PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL) == 1;
	if (f)
		fclose(f);
	if (ok && pub) {
		f = fopen(pub, "w");
		ok = f && PEM_write_PUBKEY(f, k) == 1;
		if (f)
			fclose(f);
	}
	return ok ? 0 : -1;
}

static int setup(void **state)
{
	(void)state;
	keydir = temp_dir("fwb");
	snprintf(key_a, sizeof(key_a), "%s/a.key", keydir);
	snprintf(pub_a, sizeof(pub_a), "%s/a.pub", keydir);
	snprintf(key_b, sizeof(key_b), "%s/b.key", keydir);
	snprintf(pub_b, sizeof(pub_b), "%s/b.pub", keydir);
	snprintf(key_ec, sizeof(key_ec), "%s/ec.key", keydir);
	snprintf(key_enc, sizeof(key_enc), "%s/enc.key", keydir);
	snprintf(not_pem, sizeof(not_pem), "%s/not.pem", keydir);
	snprintf(missing, sizeof(missing), "%s/missing.pem", keydir);

	EVP_PKEY *a = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	EVP_PKEY *ec = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	int rc = (a && ec && write_keys(a, key_a, pub_a) == 0 &&
		  write_keys(ec, key_ec, NULL) == 0) ? 0 : -1;
	EVP_PKEY_free(a);
	EVP_PKEY_free(ec);
	if (rc == 0)
		rc = sh("openssl genpkey -algorithm ed25519 -out '%s' && "
			"openssl pkey -in '%s' -pubout -out '%s' && "
			"openssl genpkey -algorithm ed25519 -aes-256-cbc -pass pass:secret "
			"-out '%s' && echo 'just some text' > '%s'",
			key_b, key_b, pub_b, key_enc, not_pem);
	if (rc != 0)
		fprintf(stderr, "setup: cannot make the test keys in %s\n", keydir);
	return rc;
}

static int teardown(void **state)
{
	(void)state;
	remove_dir(keydir);
	return 0;
}

/* ---- types -------------------------------------------------------------- */

static void test_types(void **state)
{
	static const struct { uint32_t t; const char *n; } all[] = {
		{ FWB_TYPE_PMIC, "pmic" }, { FWB_TYPE_COPROCESSOR, "coprocessor" },
		{ FWB_TYPE_DSP, "dsp" }, { FWB_TYPE_FPGA, "fpga" },
		{ FWB_TYPE_MCU, "mcu" }, { FWB_TYPE_OTHER, "other" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		assert_string_equal(fwb_type_name(all[i].t), all[i].n);
		assert_int_equal(fwb_type_parse(all[i].n, strlen(all[i].n)), all[i].t);
	}
	assert_null(fwb_type_name(0));
	assert_null(fwb_type_name(6));
	assert_null(fwb_type_name(254));
	assert_null(fwb_type_name(256));
	assert_int_equal(fwb_type_parse("pmi", 3), 0);
	assert_int_equal(fwb_type_parse("pmicx", 5), 0);
	assert_int_equal(fwb_type_parse("pmicx", 4), FWB_TYPE_PMIC); /* only len bytes */
	assert_int_equal(fwb_type_parse("PMIC", 4), 0);
	assert_int_equal(fwb_type_parse("", 0), 0);
	assert_int_equal(fwb_type_parse(NULL, 3), 0);
}

/* ---- round trips -------------------------------------------------------- */

static void round_trip(const struct fwb_spec *s, const uint8_t *payload, const char *key)
{
	size_t len;
	uint8_t *b = build(s, payload, key, &len);
	struct fwb_info info;
	struct fwk_fault f = { 0 };

	int rc = fwb_check(b, len, &info, &f);
	if (rc != 0)
		fail_msg("fwb_check: %d %s@%llu: %s", rc, f.field,
			 (unsigned long long)f.offset, f.detail);
	assert_int_equal(info.format_version, 1);
	assert_int_equal(info.flags, key ? FWB_FLAG_SIGNED : 0);
	assert_int_equal(info.header_length, FWB_HEADER_SIZE);
	assert_int_equal(info.type, s->type);
	assert_int_equal(info.instance, s->instance);
	assert_true(info.version == s->version);
	assert_int_equal(info.payload_offset, FWB_HEADER_SIZE);
	assert_true(info.payload_length == s->payload_length);
	assert_string_equal(info.target, s->target);
	assert_memory_equal(info.payload_sha256, s->payload_sha256, SHA256_DIGEST_SIZE);
	uint8_t hd[SHA256_DIGEST_SIZE];
	sha256(b, 144, hd);
	assert_memory_equal(info.header_sha256, hd, SHA256_DIGEST_SIZE);
	assert_int_equal(info.is_signed, key != NULL);
	assert_true(info.signed_length == FWB_HEADER_SIZE + s->payload_length);
	if (key) {
		assert_true(info.sig_offset == info.signed_length);
		assert_int_equal(info.sig_algorithm, FWB_SIG_ED25519);
		assert_memory_equal(info.key_id, b + info.sig_offset + 8, SHA256_DIGEST_SIZE);
		assert_memory_equal(info.signature, b + info.sig_offset + 40, 64);
	}

	/* Byte positions and encoding, as docs/formats/fwb.md lays them out. */
	assert_memory_equal(b, "\x89" "FWB\r\n\x1a\n", 8);
	assert_int_equal(b[8] | b[9] << 8, 1);
	assert_int_equal(b[12] | b[13] << 8 | b[14] << 16 | (uint32_t)b[15] << 24, 176);
	assert_int_equal(b[16], (uint8_t)s->type);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(b[24 + i], (uint8_t)(s->version >> (8 * i)));
		assert_int_equal(b[32 + i], (uint8_t)(s->payload_length >> (8 * i)));
		assert_int_equal(b[104 + i], 0);
	}
	assert_memory_equal(b + 40, s->target, strlen(s->target));

	/* Re-writing the parsed header gives the same bytes. */
	struct fwb_spec again = {
		.type = info.type, .instance = info.instance, .version = info.version,
		.payload_length = info.payload_length, .target = info.target,
		.is_signed = info.is_signed,
	};
	memcpy(again.payload_sha256, info.payload_sha256, SHA256_DIGEST_SIZE);
	uint8_t h[FWB_HEADER_SIZE];
	assert_int_equal(fwb_write_header(&again, h, sizeof(h)), FWB_HEADER_SIZE);
	assert_memory_equal(h, b, FWB_HEADER_SIZE);
	free(b);
}

static void test_round_trip(void **state)
{
	static const char t63[] = "vendor,a-very-long-compatible-string-of-exactly-63-characters-x";
	uint8_t payload[3000];
	const uint32_t types[] = { 1, 2, 3, 4, 5, 255 };

	(void)state;
	assert_int_equal(strlen(t63), 63);
	fill_payload(payload, sizeof(payload), 1);
	for (size_t i = 0; i < 6; i++) {
		struct fwb_spec s = spec_of(payload, 100 + i, false);
		s.type = types[i];
		round_trip(&s, payload, NULL);
	}
	struct fwb_spec s = spec_of(payload, 0, false);
	s.target = "x";
	s.instance = UINT32_MAX;
	s.version = UINT64_MAX;
	round_trip(&s, payload, NULL);       /* an empty payload is well formed */
	round_trip(&s, payload, key_a);
	s = spec_of(payload, sizeof(payload), false);
	s.target = t63;
	s.version = 0;
	s.instance = 0;
	round_trip(&s, payload, NULL);
	round_trip(&s, payload, key_b);
	s.target = " !~ printable \"ascii\" only~";
	round_trip(&s, payload, key_a);
}

static void test_write_header_errors(void **state)
{
	uint8_t payload[16] = { 0 };
	uint8_t out[FWB_HEADER_SIZE + 1];
	char t64[65];

	(void)state;
	memset(t64, 'a', 64);
	t64[64] = '\0';
	struct fwb_spec s = spec_of(payload, sizeof(payload), false);
	assert_int_equal(fwb_write_header(&s, out, FWB_HEADER_SIZE), FWB_HEADER_SIZE);
	assert_int_equal(fwb_write_header(&s, out, FWB_HEADER_SIZE - 1), FWK_ERR_NOSPACE);
	assert_int_equal(fwb_write_header(&s, NULL, 0), FWK_ERR_NOSPACE);
	assert_int_equal(fwb_write_header(NULL, out, sizeof(out)), FWK_ERR_INVAL);

	const char *bad_targets[] = { "", t64, "tab\there", "nl\n", "del\x7f", "hi\x80" };
	for (size_t i = 0; i < sizeof(bad_targets) / sizeof(bad_targets[0]); i++) {
		struct fwb_spec b = s;
		b.target = bad_targets[i];
		assert_int_equal(fwb_write_header(&b, out, sizeof(out)), FWK_ERR_INVAL);
	}
	struct fwb_spec b = s;
	b.target = NULL;
	assert_int_equal(fwb_write_header(&b, out, sizeof(out)), FWK_ERR_INVAL);
	const uint32_t bad_types[] = { 0, 6, 254, 256, 0xffffffffu };
	for (size_t i = 0; i < 5; i++) {
		b = s;
		b.type = bad_types[i];
		assert_int_equal(fwb_write_header(&b, out, sizeof(out)), FWK_ERR_INVAL);
	}
	b = s;
	b.payload_length = FWB_PAYLOAD_MAX + 1;
	assert_int_equal(fwb_write_header(&b, out, sizeof(out)), FWK_ERR_INVAL);
	b.payload_length = FWB_PAYLOAD_MAX; /* the limit itself is allowed */
	assert_int_equal(fwb_write_header(&b, out, sizeof(out)), FWB_HEADER_SIZE);
}

static void test_write_signature(void **state)
{
	uint8_t id[32], sig[64], out[FWB_SIG_SIZE];

	(void)state;
	memset(id, 0xa5, sizeof(id));
	memset(sig, 0x5a, sizeof(sig));
	assert_int_equal(fwb_write_signature(1, id, sig, out, sizeof(out)), FWB_SIG_SIZE);
	assert_memory_equal(out, "FWBS\x01\x00\x00\x00", 8);
	assert_memory_equal(out + 8, id, 32);
	assert_memory_equal(out + 40, sig, 64);
	assert_int_equal(fwb_write_signature(1, id, sig, out, sizeof(out) - 1), FWK_ERR_NOSPACE);
	assert_int_equal(fwb_write_signature(0, id, sig, out, sizeof(out)), FWK_ERR_INVAL);
	assert_int_equal(fwb_write_signature(2, id, sig, out, sizeof(out)), FWK_ERR_INVAL);
}

/* ---- each field broken -------------------------------------------------- */

/* One defect per case: the bytes at `at` replaced (inverted when `bytes`
 * is NULL), the header digest made right again when `refix` (so the
 * field's own check is what refuses). */
struct mutation {
	const char *name;
	uint32_t at;
	uint32_t n;
	const char *bytes;
	bool refix;
	int rc;
	const char *field;
	uint32_t fault_at;
};

static void test_field_mutations(void **state)
{
	static const struct mutation m[] = {
		{ "magic byte 0", 0, 1, "\x88", false, FWK_ERR_BADMAGIC, "magic", 0 },
		{ "magic byte 7", 7, 1, "\x0b", false, FWK_ERR_BADMAGIC, "magic", 0 },
		{ "format_version 0", 8, 2, "\0\0", false, FWK_ERR_UNSUPPORTED, "format_version", 8 },
		{ "format_version 2", 8, 2, "\2\0", true, FWK_ERR_UNSUPPORTED, "format_version", 8 },
		{ "format_version 256", 8, 2, "\1\1", false, FWK_ERR_UNSUPPORTED, "format_version", 8 },
		{ "flags bit 1", 10, 2, "\2\0", true, FWK_ERR_UNSUPPORTED, "flags", 10 },
		{ "flags bit 15", 10, 2, "\0\x80", false, FWK_ERR_UNSUPPORTED, "flags", 10 },
		{ "header_length 177", 12, 4, "\xb1\0\0\0", true, FWK_ERR_BADFIELD, "header_length", 12 },
		{ "header_length 0", 12, 4, "\0\0\0\0", false, FWK_ERR_BADFIELD, "header_length", 12 },
		{ "header_length 2^32-1", 12, 4, "\xff\xff\xff\xff", false, FWK_ERR_BADFIELD, "header_length", 12 },
		{ "flags signed, no block", 10, 2, "\1\0", false, FWK_ERR_CHECKSUM, "header_sha256", 144 },
		{ "blob_type, digest stale", 16, 4, "\2\0\0\0", false, FWK_ERR_CHECKSUM, "header_sha256", 144 },
		{ "header_sha256 first byte", 144, 1, NULL, false, FWK_ERR_CHECKSUM, "header_sha256", 144 },
		{ "header_sha256 last byte", 175, 1, NULL, false, FWK_ERR_CHECKSUM, "header_sha256", 144 },
		{ "payload_sha256 byte", 112, 1, NULL, false, FWK_ERR_CHECKSUM, "header_sha256", 144 },
		{ "payload_sha256, header digest redone", 143, 1, NULL, true, FWK_ERR_CHECKSUM, "payload_sha256", 112 },
		{ "target_instance", 20, 1, NULL, false, FWK_ERR_CHECKSUM, "header_sha256", 144 },
		{ "payload_version", 31, 1, NULL, false, FWK_ERR_CHECKSUM, "header_sha256", 144 },
		{ "blob_type 0", 16, 4, "\0\0\0\0", true, FWK_ERR_BADFIELD, "blob_type", 16 },
		{ "blob_type 6", 16, 4, "\6\0\0\0", true, FWK_ERR_BADFIELD, "blob_type", 16 },
		{ "blob_type 255+256", 16, 4, "\xff\1\0\0", true, FWK_ERR_BADFIELD, "blob_type", 16 },
		{ "target empty", 40, 1, "\0", true, FWK_ERR_BADFIELD, "target", 40 },
		{ "target control byte", 42, 1, "\x01", true, FWK_ERR_BADFIELD, "target", 42 },
		{ "target DEL", 40, 1, "\x7f", true, FWK_ERR_BADFIELD, "target", 40 },
		{ "target high byte", 41, 1, "\xc3", true, FWK_ERR_BADFIELD, "target", 41 },
		{ "target byte after NUL", 60, 1, "x", true, FWK_ERR_BADFIELD, "target", 60 },
		{ "target last byte", 103, 1, "\x01", true, FWK_ERR_BADFIELD, "target", 103 },
		{ "reserved first", 104, 1, "\x01", true, FWK_ERR_BADFIELD, "reserved", 104 },
		{ "reserved last", 111, 1, "\x80", true, FWK_ERR_BADFIELD, "reserved", 111 },
		{ "payload_length 2^32+1", 32, 8, "\1\0\0\0\1\0\0\0", true, FWK_ERR_LIMIT, "payload_length", 32 },
		{ "payload_length 2^64-1", 32, 8, "\xff\xff\xff\xff\xff\xff\xff\xff", true, FWK_ERR_LIMIT, "payload_length", 32 },
		{ "payload_length +1", 32, 8, "\x01\x04\0\0\0\0\0\0", true, FWK_ERR_TRUNCATED, "payload_length", 32 },
		{ "payload_length 2^32", 32, 8, "\0\0\0\0\1\0\0\0", true, FWK_ERR_TRUNCATED, "payload_length", 32 },
		{ "payload_length -1", 32, 8, "\xff\x03\0\0\0\0\0\0", true, FWK_ERR_BADFIELD, "payload_length", 176 + 1023 },
		{ "payload byte 0", 176, 1, NULL, false, FWK_ERR_CHECKSUM, "payload_sha256", 112 },
		{ "payload last byte", 176 + 1023, 1, NULL, false, FWK_ERR_CHECKSUM, "payload_sha256", 112 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		size_t len;
		uint8_t *b = standard(NULL, &len);

		if (m[i].bytes)
			memcpy(b + m[i].at, m[i].bytes, m[i].n);
		else
			b[m[i].at] ^= 0xff;
		if (m[i].refix)
			fix_header_digest(b);
		expect_fault(m[i].name, b, len, m[i].rc, m[i].field, m[i].fault_at);
		free(b);
	}

	/* The target without its terminating NUL: all 64 bytes printable. */
	size_t len;
	uint8_t *b = standard(NULL, &len);
	memset(b + 40, 'a', 64);
	fix_header_digest(b);
	expect_fault("target unterminated", b, len, FWK_ERR_BADFIELD, "target", 103);
	free(b);

	/* A payload digest that is right for another payload. */
	b = standard(NULL, &len);
	sha256("other", 5, b + 112);
	fix_header_digest(b);
	expect_fault("payload_sha256 of another payload", b, len, FWK_ERR_CHECKSUM, "payload_sha256", 112);
	struct fwb_info info;
	assert_int_equal(fwb_parse(b, len, &info, NULL), 0); /* parse does not hash it */
	free(b);
}

static void test_signature_block_mutations(void **state)
{
	static const struct {
		const char *name;
		uint32_t at;
		uint8_t v;
		int rc;
		const char *field;
		uint32_t field_at;
	} m[] = {
		{ "sig_magic first", 0, 'f', FWK_ERR_BADMAGIC, "sig_magic", 0 },
		{ "sig_magic last", 3, 'Z', FWK_ERR_BADMAGIC, "sig_magic", 0 },
		{ "sig_algorithm 0", 4, 0, FWK_ERR_UNSUPPORTED, "sig_algorithm", 4 },
		{ "sig_algorithm 2", 4, 2, FWK_ERR_UNSUPPORTED, "sig_algorithm", 4 },
		{ "sig_algorithm high byte", 5, 1, FWK_ERR_UNSUPPORTED, "sig_algorithm", 4 },
		{ "sig_reserved low", 6, 1, FWK_ERR_BADFIELD, "sig_reserved", 6 },
		{ "sig_reserved high", 7, 0x80, FWK_ERR_BADFIELD, "sig_reserved", 6 },
	};
	const uint64_t blk = FWB_HEADER_SIZE + PAYLOAD_LEN;

	(void)state;
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		size_t len;
		uint8_t *b = standard(key_a, &len);

		b[blk + m[i].at] = m[i].v;
		expect_fault(m[i].name, b, len, m[i].rc, m[i].field, blk + m[i].field_at);
		free(b);
	}

	/* A signed container whose flag was cleared, digest recomputed: the
	 * block is now bytes after an unsigned container. */
	size_t len;
	uint8_t *b = standard(key_a, &len);
	b[10] = 0;
	fix_header_digest(b);
	expect_fault("signed flag cleared", b, len, FWK_ERR_BADFIELD, "payload_length", blk);
	free(b);
}

static void test_truncated(void **state)
{
	size_t len;
	uint8_t *b = standard(key_a, &len);
	const uint64_t end = FWB_HEADER_SIZE + PAYLOAD_LEN;
	static const struct { uint32_t below; const char *field; } hdr[] = {
		{ 8, "magic" }, { 10, "format_version" }, { 12, "flags" },
		{ 16, "header_length" }, { 20, "blob_type" }, { 24, "target_instance" },
		{ 32, "payload_version" }, { 40, "payload_length" }, { 104, "target" },
		{ 112, "reserved" }, { 144, "payload_sha256" }, { 176, "header_sha256" },
	};

	(void)state;
	for (size_t n = 0; n < len; n++) {
		const char *field;
		uint64_t at = n;

		if (n < FWB_HEADER_SIZE) {
			size_t k = 0;
			while (n >= hdr[k].below)
				k++;
			field = hdr[k].field;
		} else if (n < end) {
			field = "payload_length";
			at = 32;
		} else {
			const uint64_t o = n - end;
			field = o < 4 ? "sig_magic" : o < 6 ? "sig_algorithm" :
				o < 8 ? "sig_reserved" : o < 40 ? "key_id" : "signature";
		}
		expect_fault("truncated", b, n, FWK_ERR_TRUNCATED, field, at);
	}

	/* A short input that is not a container at all is not "truncated". */
	expect_fault("MZ", (const uint8_t *)"MZ", 2, FWK_ERR_BADMAGIC, "magic", 0);
	expect_fault("FWX", (const uint8_t *)"\x89" "FWX", 4, FWK_ERR_BADMAGIC, "magic", 0);
	free(b);
}

static void test_trailing(void **state)
{
	size_t len;
	uint8_t *b = standard(NULL, &len);
	uint8_t *longer = calloc(1, len + FWB_SIG_SIZE + 1);

	(void)state;
	assert_non_null(longer);
	memcpy(longer, b, len);
	expect_fault("unsigned + 1", longer, len + 1, FWK_ERR_BADFIELD, "payload_length", len);
	free(b);
	b = standard(key_a, &len);
	memcpy(longer, b, len);
	expect_fault("signed + 1", longer, len + 1, FWK_ERR_BADFIELD, "signature_block", len);
	free(b);
	free(longer);
}

static void test_check_payload_inval(void **state)
{
	size_t la, lb;
	uint8_t *a = standard(NULL, &la);
	uint8_t payload[10] = "0123456789";
	struct fwb_spec s = spec_of(payload, sizeof(payload), false);
	uint8_t *b = build(&s, payload, NULL, &lb);
	struct fwb_info ia, ib;
	struct fwk_fault f = { 0 };

	(void)state;
	assert_int_equal(fwb_parse(a, la, &ia, NULL), 0);
	assert_int_equal(fwb_parse(b, lb, &ib, NULL), 0);
	assert_int_equal(fwb_check_payload(a, la, &ia, &f), 0);
	/* ia's payload does not fit b; ib's digest is not a's. */
	assert_int_equal(fwb_check_payload(b, lb, &ia, &f), FWK_ERR_INVAL);
	assert_int_equal(f.error, FWK_ERR_INVAL);
	assert_int_equal(fwb_check_payload(a, la, &ib, &f), FWK_ERR_INVAL);
	ia.payload_offset = 0;
	assert_int_equal(fwb_check_payload(a, la, &ia, &f), FWK_ERR_INVAL);
	assert_int_equal(fwb_check_payload(a, 100, &ib, &f), FWK_ERR_INVAL);
	free(a);
	free(b);
}

/* ---- every single bit --------------------------------------------------- */

static void test_every_bit_unsigned(void **state)
{
	size_t len;
	uint8_t *b = standard(NULL, &len);
	struct fwb_info info;
	struct fwk_fault f;
	unsigned refused = 0;

	(void)state;
	assert_int_equal(len, FWB_HEADER_SIZE + PAYLOAD_LEN);
	assert_int_equal(fwb_check(b, len, &info, NULL), 0);
	for (size_t i = 0; i < len; i++) {
		for (int bit = 0; bit < 8; bit++) {
			b[i] ^= (uint8_t)(1u << bit);
			memset(&f, 0, sizeof(f));
			int rc = fwb_check(b, len, &info, &f);
			if (rc >= 0)
				fail_msg("bit %d of byte %zu flipped: accepted", bit, i);
			assert_true(f.offset <= len && f.field && f.detail);
			refused++;
			b[i] ^= (uint8_t)(1u << bit);
		}
	}
	assert_int_equal(refused, len * 8);
	assert_int_equal(fwb_check(b, len, &info, NULL), 0);
	free(b);
}

static void test_every_bit_signed(void **state)
{
	size_t len;
	uint8_t *b = standard(key_a, &len);
	struct fwb_info info;
	struct fwk_fault f;
	char err[512];
	const size_t blk = FWB_HEADER_SIZE + PAYLOAD_LEN;
	unsigned by_check = 0, by_verify = 0;

	(void)state;
	assert_int_equal(len, blk + FWB_SIG_SIZE);
	assert_int_equal(fwb_check(b, len, &info, NULL), 0);
	assert_int_equal(fwb_verify(b, len, &info, pub_a, err, sizeof(err)), 0);
	for (size_t i = 0; i < len; i++) {
		for (int bit = 0; bit < 8; bit++) {
			b[i] ^= (uint8_t)(1u << bit);
			memset(&f, 0, sizeof(f));
			int rc = fwb_check(b, len, &info, &f);
			const bool sig_area = i >= blk + 8;
			if (rc < 0) {
				/* Only the key id and signature need the key. */
				assert_false(sig_area);
				assert_true(f.offset <= len && f.field && f.detail);
				by_check++;
			} else {
				if (!sig_area)
					fail_msg("bit %d of byte %zu flipped: fwb_check accepts", bit, i);
				rc = fwb_verify(b, len, &info, pub_a, err, sizeof(err));
				if (rc >= 0)
					fail_msg("bit %d of byte %zu flipped: fwb_verify accepts", bit, i);
				assert_int_equal(rc, i < blk + 40 ? FWK_ERR_BADFIELD : FWK_ERR_CHECKSUM);
				by_verify++;
			}
			b[i] ^= (uint8_t)(1u << bit);
		}
	}
	assert_int_equal(by_check, (blk + 8) * 8);
	assert_int_equal(by_verify, (FWB_SIG_SIZE - 8) * 8);
	assert_no_openssl_error();
	free(b);
}

/* ---- signatures --------------------------------------------------------- */

static void test_sign_verify(void **state)
{
	size_t len, ulen;
	uint8_t *b = standard(key_a, &len);
	uint8_t *u = standard(NULL, &ulen);
	struct fwb_info info, uinfo;
	char err[512];

	(void)state;
	assert_int_equal(fwb_check(b, len, &info, NULL), 0);
	assert_int_equal(fwb_check(u, ulen, &uinfo, NULL), 0);

	strcpy(err, "untouched");
	assert_int_equal(fwb_verify(b, len, &info, pub_a, err, sizeof(err)), 0);
	/* A private key file holds the public key too. */
	assert_int_equal(fwb_verify(b, len, &info, key_a, err, sizeof(err)), 0);

	assert_int_equal(fwb_verify(b, len, &info, pub_b, err, sizeof(err)), FWK_ERR_BADFIELD);
	expect_err_has(err, "key_id: signed by key ");
	expect_err_has(err, pub_b);
	char hex[17];
	for (int i = 0; i < 8; i++)
		sprintf(hex + 2 * i, "%02x", info.key_id[i]);
	expect_err_has(err, hex);
	assert_no_openssl_error();

	assert_int_equal(fwb_verify(u, ulen, &uinfo, pub_a, err, sizeof(err)), FWK_ERR_UNSUPPORTED);
	assert_string_equal(err, "signature: the container is not signed");

	/* Right key id, wrong signature: another key's signature with a's id. */
	size_t lb;
	uint8_t *bb = standard(key_b, &lb);
	memcpy(bb + lb - 64 - 32, info.key_id, 32);
	struct fwb_info ib;
	assert_int_equal(fwb_check(bb, lb, &ib, NULL), 0);
	assert_int_equal(fwb_verify(bb, lb, &ib, pub_a, err, sizeof(err)), FWK_ERR_CHECKSUM);
	expect_err_has(err, "signature: does not verify with ");
	expect_err_has(err, pub_a);
	assert_no_openssl_error();

	/* info that does not describe the buffer. */
	assert_int_equal(fwb_verify(bb, lb, &info, pub_a, err, sizeof(err)), FWK_ERR_INVAL);
	assert_int_equal(fwb_verify(b, len - 1, &info, pub_a, err, sizeof(err)), FWK_ERR_INVAL);

	/* Key file errors. */
	assert_int_equal(fwb_verify(b, len, &info, missing, err, sizeof(err)), FWK_ERR_INVAL);
	expect_err_has(err, missing);
	assert_int_equal(fwb_verify(b, len, &info, key_ec, err, sizeof(err)), FWK_ERR_INVAL);
	expect_err_has(err, "not Ed25519");
	assert_no_openssl_error();

	/* A tiny error buffer is still a terminated string. */
	char tiny[8];
	assert_int_equal(fwb_verify(b, len, &info, pub_b, tiny, sizeof(tiny)), FWK_ERR_BADFIELD);
	assert_int_equal(strlen(tiny), 7);
	free(b);
	free(u);
	free(bb);
}

static void test_key_id(void **state)
{
	uint8_t a1[32], a2[32], b1[32], want[32];
	char err[512];

	(void)state;
	assert_int_equal(fwb_key_id(key_a, a1, err, sizeof(err)), 0);
	assert_int_equal(fwb_key_id(pub_a, a2, err, sizeof(err)), 0);
	assert_memory_equal(a1, a2, 32);

	/* The definition: SHA-256 of the raw public key, here from EVP. */
	FILE *f = fopen(pub_a, "r");
	assert_non_null(f);
	EVP_PKEY *k = PEM_read_PUBKEY(f, NULL, NULL, NULL);
	fclose(f);
	assert_non_null(k);
	uint8_t raw[32];
	size_t rl = sizeof(raw);
	assert_int_equal(EVP_PKEY_get_raw_public_key(k, raw, &rl), 1);
	assert_int_equal(rl, 32);
	EVP_PKEY_free(k);
	sha256(raw, 32, want);
	assert_memory_equal(a1, want, 32);

	/* And computed by the openssl command, for the key it generated. */
	char out[600];
	snprintf(out, sizeof(out), "%s/b.id", keydir);
	assert_int_equal(sh("openssl pkey -pubin -in '%s' -outform DER | tail -c 32 | "
			    "sha256sum | cut -c1-64 > '%s'", pub_b, out), 0);
	size_t n;
	uint8_t *hex = slurp(out, &n);
	assert_int_equal(n, 65);
	assert_int_equal(fwb_key_id(key_b, b1, err, sizeof(err)), 0);
	char mine[65];
	sha256_hex(b1, mine);
	assert_memory_equal(hex, mine, 64);
	free(hex);
	assert_memory_not_equal(a1, b1, 32);

	/* Key ids from signatures equal fwb_key_id's. */
	size_t len;
	uint8_t *c = standard(key_b, &len);
	struct fwb_info info;
	assert_int_equal(fwb_check(c, len, &info, NULL), 0);
	assert_memory_equal(info.key_id, b1, 32);
	free(c);
}

static void test_key_errors(void **state)
{
	uint8_t id[32], sig[64];
	char err[512];

	(void)state;
	assert_int_equal(fwb_key_id(missing, id, err, sizeof(err)), FWK_ERR_INVAL);
	expect_err_has(err, missing);
	expect_err_has(err, "No such file");
	assert_int_equal(fwb_key_id(not_pem, id, err, sizeof(err)), FWK_ERR_INVAL);
	expect_err_has(err, not_pem);
	expect_err_has(err, "not a PEM");
	assert_int_equal(fwb_key_id(key_ec, id, err, sizeof(err)), FWK_ERR_INVAL);
	expect_err_has(err, "EC");
	expect_err_has(err, "not Ed25519");
	assert_int_equal(fwb_key_id(key_enc, id, err, sizeof(err)), FWK_ERR_INVAL);
	expect_err_has(err, "encrypted");
	assert_int_equal(fwb_key_id(keydir, id, err, sizeof(err)), FWK_ERR_INVAL);
	expect_err_has(err, keydir);
	assert_no_openssl_error();

	/* Signing needs the private key. */
	assert_int_equal(fwb_sign(pub_a, "m", 1, id, sig, err, sizeof(err)), FWK_ERR_INVAL);
	expect_err_has(err, pub_a);
	expect_err_has(err, "public key");
	assert_int_equal(fwb_sign(key_ec, "m", 1, id, sig, err, sizeof(err)), FWK_ERR_INVAL);
	assert_int_equal(fwb_sign(key_enc, "m", 1, id, sig, err, sizeof(err)), FWK_ERR_INVAL);
	assert_int_equal(fwb_sign(missing, "m", 1, id, sig, err, sizeof(err)), FWK_ERR_INVAL);
	assert_no_openssl_error();
	/* No message buffer but a length. */
	assert_int_equal(fwb_sign(key_a, NULL, 1, id, sig, err, sizeof(err)), FWK_ERR_INVAL);
	/* An empty message signs. */
	assert_int_equal(fwb_sign(key_a, NULL, 0, id, sig, err, sizeof(err)), 0);
}

/* RFC 8032 section 7.1, TEST 2: a 1-byte message. */
static void test_rfc8032_vector(void **state)
{
	static const char seed_hex[] =
		"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb";
	static const char pub_hex[] =
		"3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
	static const char sig_hex[] =
		"92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
		"085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00";
	uint8_t seed[32], pub[32], want_sig[64], want_id[32], id[32], sig[64];
	char err[256], path[600];

	(void)state;
	for (int i = 0; i < 64; i++) {
		if (i < 32) {
			seed[i] = (uint8_t)(fwk_hex_digit(seed_hex[2 * i]) << 4 |
					    fwk_hex_digit(seed_hex[2 * i + 1]));
			pub[i] = (uint8_t)(fwk_hex_digit(pub_hex[2 * i]) << 4 |
					   fwk_hex_digit(pub_hex[2 * i + 1]));
		}
		want_sig[i] = (uint8_t)(fwk_hex_digit(sig_hex[2 * i]) << 4 |
					fwk_hex_digit(sig_hex[2 * i + 1]));
	}
	EVP_PKEY *k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
	assert_non_null(k);
	snprintf(path, sizeof(path), "%s/rfc8032-test2.key", keydir);
	assert_int_equal(write_keys(k, path, NULL), 0);
	EVP_PKEY_free(k);

	assert_int_equal(fwb_sign(path, "\x72", 1, id, sig, err, sizeof(err)), 0);
	assert_memory_equal(sig, want_sig, 64);
	sha256(pub, 32, want_id);
	assert_memory_equal(id, want_id, 32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_write_header_errors),
		cmocka_unit_test(test_write_signature),
		cmocka_unit_test(test_field_mutations),
		cmocka_unit_test(test_signature_block_mutations),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_trailing),
		cmocka_unit_test(test_check_payload_inval),
		cmocka_unit_test(test_every_bit_unsigned),
		cmocka_unit_test(test_every_bit_signed),
		cmocka_unit_test(test_sign_verify),
		cmocka_unit_test(test_key_id),
		cmocka_unit_test(test_key_errors),
		cmocka_unit_test(test_rfc8032_vector),
	};

	return cmocka_run_group_tests_name("fwb", tests, setup, teardown);
}

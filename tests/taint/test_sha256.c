/* SPDX-License-Identifier: MIT */
/* test_sha256.c - cmocka tests of SHA-256: the FIPS 180 example vectors,
 * every way of splitting a message over updates, and coreutils' sha256sum
 * on pseudo-random buffers around the padding boundaries; and the SHA-NI
 * and portable block functions against each other. */
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

#include <fwkit/sha256.h>

static void expect_digest(const void *msg, size_t len, const char *hex)
{
	uint8_t d[SHA256_DIGEST_SIZE];
	char got[SHA256_HEX_SIZE];

	sha256(msg, len, d);
	sha256_hex(d, got);
	assert_string_equal(got, hex);
}

/* The examples of FIPS 180-2 appendix B and NIST's SHA-256 example file. */
static void test_empty(void **state)
{
	(void)state;
	expect_digest("", 0,
		      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	expect_digest(NULL, 0,
		      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_abc(void **state)
{
	(void)state;
	expect_digest("abc", 3,
		      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_448_bits(void **state)
{
	static const char m[] =
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

	(void)state;
	assert_int_equal(strlen(m) * 8, 448);
	expect_digest(m, strlen(m),
		      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_896_bits(void **state)
{
	static const char m[] =
		"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
		"hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

	(void)state;
	assert_int_equal(strlen(m) * 8, 896);
	expect_digest(m, strlen(m),
		      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

static void test_million_a(void **state)
{
	static const char want[] =
		"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	uint8_t *m = malloc(1000000);
	uint8_t d[SHA256_DIGEST_SIZE];
	char got[SHA256_HEX_SIZE];
	struct sha256_ctx c;

	(void)state;
	assert_non_null(m);
	memset(m, 'a', 1000000);
	expect_digest(m, 1000000, want);
	/* And again in uneven pieces that straddle block boundaries. */
	sha256_init(&c);
	for (size_t off = 0, step = 1; off < 1000000; off += step, step = step * 7 % 1000 + 1)
		sha256_update(&c, m + off, off + step > 1000000 ? 1000000 - off : step);
	sha256_final(&c, d);
	sha256_hex(d, got);
	assert_string_equal(got, want);
	free(m);
}

/* A fixed xorshift stream, so a failure can be replayed. */
static uint64_t rng_state;

static uint8_t rng_byte(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint8_t)(rng_state >> 24);
}

static void fill_random(uint8_t *p, size_t n, uint64_t seed)
{
	rng_state = seed;
	for (size_t i = 0; i < n; i++)
		p[i] = rng_byte();
}

/* Every length 0..130 and every split point of it: two updates, and one
 * update per byte, all equal the one-shot digest. */
static void test_split_updates(void **state)
{
	uint8_t msg[131];

	(void)state;
	fill_random(msg, sizeof(msg), 0x5eed0001);
	for (size_t len = 0; len <= 130; len++) {
		uint8_t *m = exact_copy(msg, len);
		uint8_t one[SHA256_DIGEST_SIZE], two[SHA256_DIGEST_SIZE];
		struct sha256_ctx c;

		sha256(m, len, one);
		for (size_t k = 0; k <= len; k++) {
			sha256_init(&c);
			sha256_update(&c, m, k);
			sha256_update(&c, m + k, len - k);
			sha256_final(&c, two);
			if (memcmp(one, two, sizeof(one)) != 0)
				fail_msg("length %zu split at %zu differs", len, k);
		}
		sha256_init(&c);
		for (size_t i = 0; i < len; i++) {
			sha256_update(&c, m + i, 1);
			sha256_update(&c, m + i, 0);
		}
		sha256_final(&c, two);
		assert_memory_equal(one, two, sizeof(one));
		free(m);
	}
}

/* Three updates whose boundaries walk through 0..130 of a 200-byte message. */
static void test_three_way_splits(void **state)
{
	uint8_t m[200], one[SHA256_DIGEST_SIZE], got[SHA256_DIGEST_SIZE];

	(void)state;
	fill_random(m, sizeof(m), 0x5eed0002);
	sha256(m, sizeof(m), one);
	for (size_t a = 0; a <= 130; a++)
		for (size_t b = a; b <= 130; b += 3) {
			struct sha256_ctx c;

			sha256_init(&c);
			sha256_update(&c, m, a);
			sha256_update(&c, m + a, b - a);
			sha256_update(&c, m + b, sizeof(m) - b);
			sha256_final(&c, got);
			if (memcmp(one, got, sizeof(one)) != 0)
				fail_msg("splits at %zu and %zu differ", a, b);
		}
}

static void test_hex(void **state)
{
	uint8_t d[SHA256_DIGEST_SIZE];
	char out[SHA256_HEX_SIZE + 1];

	(void)state;
	for (unsigned i = 0; i < SHA256_DIGEST_SIZE; i++)
		d[i] = (uint8_t)(i * 8 + 7);
	memset(out, 'X', sizeof(out));
	sha256_hex(d, out);
	assert_string_equal(out, "070f171f272f373f474f575f676f777f"
				 "878f979fa7afb7bfc7cfd7dfe7eff7ff");
	assert_int_equal(out[SHA256_HEX_SIZE], 'X'); /* nothing past the NUL */
}

/* sha256sum's digest of path, as 64 hex digits. */
static void sha256sum_of(const char *path, char out[SHA256_HEX_SIZE])
{
	char cmd[512], line[256];
	FILE *p;
	int st;

	snprintf(cmd, sizeof(cmd), "sha256sum '%s'", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	if (!fgets(line, sizeof(line), p))
		line[0] = '\0';
	st = pclose(p);
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fail_msg("sha256sum failed (status %d); is coreutils installed?", st);
	assert_true(strlen(line) > 64 && line[64] == ' ');
	memcpy(out, line, 64);
	out[64] = '\0';
}

static void test_against_sha256sum(void **state)
{
	static const size_t sizes[] = {
		1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129,
		(3u << 20) + 17, 5u << 20,
	};
	char *dir = temp_dir("sha256");
	char path[256];

	(void)state;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint8_t *m = malloc(sizes[i]);
		uint8_t d[SHA256_DIGEST_SIZE];
		char ours[SHA256_HEX_SIZE], theirs[SHA256_HEX_SIZE];

		assert_non_null(m);
		fill_random(m, sizes[i], 0x5eed1000 + i);
		snprintf(path, sizeof(path), "%s/buf%zu", dir, i);
		spew(path, m, sizes[i]);
		sha256(m, sizes[i], d);
		sha256_hex(d, ours);
		sha256sum_of(path, theirs);
		if (strcmp(ours, theirs) != 0)
			fail_msg("%zu bytes: ours %s, sha256sum %s", sizes[i], ours, theirs);
		free(m);
	}
	remove_dir(dir);
}

static void digest_with(enum sha256_impl impl, const uint8_t *m, size_t len,
			size_t split, uint8_t out[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx c;

	sha256_init_impl(&c, impl);
	sha256_update(&c, m, split);
	sha256_update(&c, m + split, len - split);
	sha256_final(&c, out);
}

/* The FIPS 180 vectors through the portable code explicitly (sha256_init
 * picks SHA-NI on a CPU that has it), then both implementations on every
 * length 0..4200 with a moving split: the digests agree. */
static void test_portable_and_shani_agree(void **state)
{
	static const size_t cap = 4200;
	uint8_t *m = malloc(cap);
	uint8_t a[SHA256_DIGEST_SIZE], b[SHA256_DIGEST_SIZE];
	char hex[SHA256_HEX_SIZE];

	(void)state;
	assert_non_null(m);
	digest_with(SHA256_IMPL_PORTABLE, (const uint8_t *)"abc", 3, 1, a);
	sha256_hex(a, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	fill_random(m, cap, 0x5eed0003);
	for (size_t len = 0; len <= cap; len++) {
		size_t split = (len * 37) % (len + 1);

		digest_with(SHA256_IMPL_PORTABLE, m, len, split, a);
		digest_with(SHA256_IMPL_SHANI, m, len, len - split, b);
		if (memcmp(a, b, sizeof(a)) != 0)
			fail_msg("length %zu: portable and %s differ", len,
				 sha256_impl_name(sha256_best_impl()));
	}
	free(m);
}

/* Whether /proc/cpuinfo's first "flags" line lists flag as a whole word. */
static bool cpu_flag(const char *flag)
{
	char line[8192], word[64];
	FILE *f = fopen("/proc/cpuinfo", "r");
	bool found = false;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "flags", 5) != 0)
			continue;
		for (char *p = strchr(line, ':'); p && *p;) {
			int n = 0;

			if (sscanf(p + 1, "%63s%n", word, &n) != 1)
				break;
			if (strcmp(word, flag) == 0)
				found = true;
			p += 1 + n;
			p = *p ? p : NULL;
		}
		break;
	}
	fclose(f);
	return found;
}

/* sha256_init uses SHA-NI exactly when the kernel says the CPU has it. */
static void test_best_impl_follows_the_cpu(void **state)
{
	bool want = cpu_flag("sha_ni") && cpu_flag("ssse3") && cpu_flag("sse4_1");
	struct sha256_ctx c;

	(void)state;
	assert_int_equal(sha256_best_impl(), want ? SHA256_IMPL_SHANI : SHA256_IMPL_PORTABLE);
	sha256_init(&c);
	assert_int_equal(c.impl, sha256_best_impl());
	sha256_init_impl(&c, SHA256_IMPL_PORTABLE);
	assert_int_equal(c.impl, SHA256_IMPL_PORTABLE);
	assert_string_equal(sha256_impl_name(SHA256_IMPL_SHANI), "sha-ni");
	assert_string_equal(sha256_impl_name(SHA256_IMPL_PORTABLE), "portable");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_abc),
		cmocka_unit_test(test_448_bits),
		cmocka_unit_test(test_896_bits),
		cmocka_unit_test(test_million_a),
		cmocka_unit_test(test_split_updates),
		cmocka_unit_test(test_three_way_splits),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_against_sha256sum),
		cmocka_unit_test(test_portable_and_shani_agree),
		cmocka_unit_test(test_best_impl_follows_the_cpu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

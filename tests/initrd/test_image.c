/* SPDX-License-Identifier: MIT */
/* test_image.c - the hosted initramfs layer: decompression of every format as
 * the real tools write it, segment chaining, limits, compressed output. */
#include <fwkit/initrd_image.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../support/testkit.h"

static char workdir[] = "/tmp/fwkit-test-image-XXXXXX";

/* A small valid archive with a directory "d" and a file "d/f" holding `text`. */
static size_t make_archive(uint8_t *buf, size_t cap, const char *text)
{
	struct cpio_writer w;

	cpio_writer_init(&w, buf, cap, 0, 0);
	assert_int_equal(cpio_writer_add_dir(&w, "d", 0755), 0);
	assert_int_equal(cpio_writer_add_file(&w, "d/f", 0644, text,
					      (uint32_t)strlen(text), 0), 0);
	assert_int_equal(cpio_writer_finish(&w, 0), 0);
	return (size_t)w.off;
}

/* Compress `raw` with the real command line tool (as mkinitramfs would). */
static uint8_t *tool_compress(const char *cmd, const uint8_t *raw, size_t n, size_t *outlen)
{
	char in[256], out[256], sh[768];

	snprintf(in, sizeof(in), "%s/raw", workdir);
	snprintf(out, sizeof(out), "%s/packed", workdir);
	spew(in, raw, n);
	snprintf(sh, sizeof(sh), "%s < %s > %s", cmd, in, out);
	assert_int_equal(system(sh), 0);
	return slurp(out, outlen);
}

struct found {
	int n;
	char last[64];
	char data[64];
};

static int collect(const struct cpio_entry *e, void *arg)
{
	struct found *f = arg;

	f->n++;
	snprintf(f->last, sizeof(f->last), "%.*s", (int)e->namelen, e->name);
	snprintf(f->data, sizeof(f->data), "%.*s", (int)e->st.size, (const char *)e->data);
	return 0;
}

static const struct {
	const char *cmd;
	enum initrd_format fmt;
} tools[] = {
	{ "gzip -n -9", INITRD_GZIP },  { "zstd -q -19", INITRD_ZSTD },
	{ "xz --check=crc32", INITRD_XZ }, { "xz --format=lzma", INITRD_LZMA },
	{ "bzip2 -9", INITRD_BZIP2 },   { "lz4 -l -q", INITRD_LZ4 },
	{ "lzop -c", INITRD_LZO },
};

/* Early archive + each compressed format + another compressed stream right
 * after it: every segment found, exact lengths, every entry readable. */
static void test_every_format_chained(void **state)
{
	(void)state;
	for (size_t t = 0; t < sizeof(tools) / sizeof(tools[0]); t++) {
		uint8_t early[512], main_[512], second[512];
		size_t ne = make_archive(early, sizeof(early), "early");
		size_t nm = make_archive(main_, sizeof(main_), "main");
		size_t ns = make_archive(second, sizeof(second), "second");
		size_t c1, c2;
		uint8_t *z1 = tool_compress(tools[t].cmd, main_, nm, &c1);
		uint8_t *z2 = tool_compress("gzip -n", second, ns, &c2);
		uint8_t *img = malloc(ne + 4 + c1 + c2);
		memcpy(img, early, ne);
		memset(img + ne, 0, 4); /* NUL padding between segments */
		memcpy(img + ne + 4, z1, c1);
		memcpy(img + ne + 4 + c1, z2, c2);

		struct initrd_image im;
		memset(&im, 0, sizeof(im));
		int rc = initrd_image_open(&im, img, ne + 4 + c1 + c2);
		if (rc != 0) {
			char why[256];
			initrd_image_fault_text(&im, why, sizeof(why));
			fail_msg("%s: %s", tools[t].cmd, why);
		}
		assert_int_equal(im.nparts, 3);
		assert_int_equal(im.part[0].seg.format, INITRD_CPIO);
		assert_int_equal(im.part[1].seg.format, tools[t].fmt);
		assert_int_equal(im.part[1].seg.offset, ne + 4);
		assert_int_equal(im.part[1].seg.padding, 4);
		assert_int_equal(im.part[1].seg.length, c1);
		assert_int_equal(im.part[1].size, nm);
		assert_int_equal(im.part[2].seg.offset, ne + 4 + c1);
		for (unsigned i = 0; i < 3; i++) {
			struct found f = { 0 };
			assert_int_equal(initrd_part_foreach(&im.part[i], collect, &f), 0);
			assert_int_equal(f.n, 2);
			assert_string_equal(f.last, "d/f");
			assert_string_equal(f.data, i == 0 ? "early" : i == 1 ? "main" : "second");
		}
		char name[16];
		initrd_part_dirname(&im, 0, name, sizeof(name));
		assert_string_equal(name, "early");
		initrd_part_dirname(&im, 2, name, sizeof(name));
		assert_string_equal(name, "main2");
		initrd_image_close(&im);
		free(img);
		free(z1);
		free(z2);
	}
}

/* A truncated stream of each format is an error, never a short success. */
static void test_truncated_streams(void **state)
{
	(void)state;
	for (size_t t = 0; t < sizeof(tools) / sizeof(tools[0]); t++) {
		uint8_t raw[4096];
		size_t n = make_archive(raw, sizeof(raw), "0123456789abcdef0123456789");
		size_t c;
		uint8_t *z = tool_compress(tools[t].cmd, raw, n, &c);
		struct initrd_image im;
		memset(&im, 0, sizeof(im));
		int rc = initrd_image_open(&im, z, c / 2);
		if (rc == 0)
			fail_msg("%s: half a stream was accepted", tools[t].cmd);
		free(z);
	}
}

static void test_unpack_limit(void **state)
{
	(void)state;
	size_t n = 1 << 20, c;
	uint8_t *raw = calloc(1, n);
	struct cpio_writer w;
	static uint8_t zeros[900000];

	cpio_writer_init(&w, raw, n, 0, 0);
	assert_int_equal(cpio_writer_add_file(&w, "big", 0644, zeros, sizeof(zeros), 0), 0);
	assert_int_equal(cpio_writer_finish(&w, 0), 0);
	uint8_t *z = tool_compress("gzip -n", raw, (size_t)w.off, &c);

	struct initrd_image im;
	memset(&im, 0, sizeof(im));
	im.max_unpacked = 64 * 1024;
	assert_int_equal(initrd_image_open(&im, z, c), FWK_ERR_LIMIT);
	char why[256];
	initrd_image_fault_text(&im, why, sizeof(why));
	assert_non_null(strstr(why, "offset 0: compressed data: gzip: unpacks to more than 65536 bytes"));
	free(z);
	free(raw);
}

/* lzop: a multi-block stream (lzop uses 256 KiB blocks) unpacks whole, and
 * one flipped byte in any block is caught (lzop checksums each block). */
static void test_lzo_blocks_and_checksums(void **state)
{
	(void)state;
	size_t n = 3u << 20, c;
	uint8_t *raw = malloc(n), *data = malloc(n);
	struct cpio_writer w;

	for (size_t i = 0; i < n; i++)
		data[i] = (uint8_t)((i * 7) ^ (i >> 9));
	cpio_writer_init(&w, raw, n, 0, 0);
	assert_int_equal(cpio_writer_add_file(&w, "big", 0644, data, (uint32_t)(n - 4096), 0), 0);
	assert_int_equal(cpio_writer_finish(&w, 0), 0);
	uint8_t *z = tool_compress("lzop -c", raw, (size_t)w.off, &c);

	struct initrd_image im;
	memset(&im, 0, sizeof(im));
	assert_int_equal(initrd_image_open(&im, z, c), 0);
	assert_int_equal(im.part[0].seg.format, INITRD_LZO);
	assert_int_equal(im.part[0].seg.length, c);
	assert_int_equal(im.part[0].size, w.off);
	assert_memory_equal(im.part[0].data, raw, (size_t)w.off);
	initrd_image_close(&im);

	for (size_t at = c / 3; at < c; at += c / 3) {
		z[at] ^= 0x20;
		memset(&im, 0, sizeof(im));
		int rc = initrd_image_open(&im, z, c);
		if (rc == 0)
			fail_msg("a flipped byte at %zu of %zu was not noticed", at, c);
		assert_string_equal(im.fault.field, "compressed data");
		z[at] ^= 0x20;
	}
	free(z);
	free(raw);
	free(data);
}

static void test_empty_image(void **state)
{
	(void)state;
	uint8_t zeros[16] = { 0 };
	struct initrd_image im;
	memset(&im, 0, sizeof(im));
	assert_int_equal(initrd_image_open(&im, zeros, sizeof(zeros)), FWK_ERR_TRUNCATED);
	assert_string_equal(im.fault.field, "image");
}

/* Compressed output from the sink unpacks with the real tools. */
static void test_sink_formats(void **state)
{
	(void)state;
	static const struct { enum initrd_format fmt; const char *unpack; } s[] = {
		{ INITRD_GZIP, "gzip -dc" }, { INITRD_ZSTD, "zstd -dcq" },
		{ INITRD_XZ, "xz -dc" },     { INITRD_CPIO, "cat" },
	};
	size_t n = 3 << 20;
	uint8_t *raw = malloc(n);
	for (size_t i = 0; i < n; i++)
		raw[i] = (uint8_t)(i * 2654435761u >> 13);
	for (size_t k = 0; k < sizeof(s) / sizeof(s[0]); k++) {
		char path[256], sh[600], err[128];
		snprintf(path, sizeof(path), "%s/sink", workdir);
		FILE *f = fopen(path, "wb");
		assert_non_null(f);
		struct initrd_sink *sk = initrd_sink_open(fileno(f), s[k].fmt, 0, err, sizeof(err));
		assert_non_null(sk);
		assert_int_equal(initrd_sink_write(sk, raw, 1000), 0);
		assert_int_equal(initrd_sink_write(sk, raw + 1000, n - 1000), 0);
		assert_int_equal(initrd_sink_close(sk, err, sizeof(err)), 0);
		fclose(f);
		snprintf(sh, sizeof(sh), "%s < %s/sink > %s/unpacked", s[k].unpack, workdir, workdir);
		assert_int_equal(system(sh), 0);
		snprintf(path, sizeof(path), "%s/unpacked", workdir);
		size_t got;
		uint8_t *back = slurp(path, &got);
		assert_int_equal(got, n);
		assert_memory_equal(back, raw, n);
		free(back);
	}
	free(raw);
}

/* Same inputs, same bytes; a later spec replaces an earlier one's file;
 * parents are added; inode numbers follow the sorted order. */
static void test_build_deterministic(void **state)
{
	(void)state;
	char tree[256], f1[300], f2[300], o1[300], o2[300], repl[300], err[256];
	snprintf(tree, sizeof(tree), "%s/tree", workdir);
	mkdir(tree, 0755);
	snprintf(f1, sizeof(f1), "%s/b", tree);
	spew(f1, "bbb", 3);
	snprintf(f2, sizeof(f2), "%s/a", tree);
	spew(f2, "aaaa", 4);
	snprintf(repl, sizeof(repl), "%s/replacement", workdir);
	spew(repl, "R", 1);
	snprintf(o1, sizeof(o1), "%s/o1", workdir);
	snprintf(o2, sizeof(o2), "%s/o2", workdir);

	struct initrd_spec specs[] = { { NULL, tree }, { "b", repl }, { "x/y/z", repl } };
	struct initrd_build_opts bo = { .compress = INITRD_CPIO, .mtime = 1234, .block = 512 };
	assert_int_equal(initrd_build(o1, specs, 3, &bo, NULL, 0, err, sizeof(err)), 0);
	assert_int_equal(initrd_build(o2, specs, 3, &bo, NULL, 0, err, sizeof(err)), 0);
	size_t n1, n2;
	uint8_t *b1 = slurp(o1, &n1), *b2 = slurp(o2, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(b1, b2, n1);
	assert_int_equal(n1 % 512, 0);

	const char *want[] = { "a", "b", "x", "x/y", "x/y/z" };
	struct cpio_reader r;
	struct cpio_entry e;
	cpio_reader_init(&r, b1, n1, 0);
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(cpio_next_entry(&r, &e), 1);
		assert_int_equal(e.namelen, strlen(want[i]));
		assert_memory_equal(e.name, want[i], e.namelen);
		assert_int_equal(e.st.ino, i + 1);
		assert_int_equal(e.st.mtime, 1234);
		assert_int_equal(e.st.uid, 0);
		if (i == 1) {
			assert_int_equal(e.st.size, 1);
			assert_memory_equal(e.data, "R", 1);
		}
	}
	assert_int_equal(cpio_next_entry(&r, &e), 0);
	free(b1);
	free(b2);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(workdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char sh[300];
	(void)state;
	snprintf(sh, sizeof(sh), "rm -rf %s", workdir);
	return system(sh) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_format_chained),
		cmocka_unit_test(test_truncated_streams),
		cmocka_unit_test(test_unpack_limit),
		cmocka_unit_test(test_lzo_blocks_and_checksums),
		cmocka_unit_test(test_empty_image),
		cmocka_unit_test(test_sink_formats),
		cmocka_unit_test(test_build_deterministic),
	};
	return cmocka_run_group_tests_name("initrd_image", tests, setup, teardown);
}

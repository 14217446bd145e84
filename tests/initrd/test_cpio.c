/* SPDX-License-Identifier: MIT */
/* test_cpio.c - cmocka tests of the newc/crc cpio reader and writer: round
 * trips, alignment, block padding, and one mutation per header defect. */
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
#include <unistd.h>

#include <fwkit/cpio.h>

/* ---- a hand-made archive builder, independent of cpio_write.c ---- */

enum { IX_INO, IX_MODE, IX_UID, IX_GID, IX_NLINK, IX_MTIME, IX_FILESIZE,
       IX_DEVMAJOR, IX_DEVMINOR, IX_RDEVMAJOR, IX_RDEVMINOR, IX_NAMESIZE,
       IX_CHECK, IX_COUNT };

static const char *const field_name[IX_COUNT] = {
	"c_ino", "c_mode", "c_uid", "c_gid", "c_nlink", "c_mtime",
	"c_filesize", "c_devmajor", "c_devminor", "c_rdevmajor",
	"c_rdevminor", "c_namesize", "c_check",
};

/* Offset of a field inside a header: after the 6-byte magic, 8 hex each. */
#define FIELD_AT(ix) (6u + 8u * (unsigned)(ix))

#define NEWC "070701"
#define CRC "070702"
static void img_pad4(struct img *m)
{
	img_zeros(m, (4 - (m->len & 3)) & 3);
}

/* Lower-case hex on purpose: the writer uses upper case, readers take both. */
static void put_hex8(uint8_t *p, uint32_t v)
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 7; i >= 0; i--, v >>= 4)
		p[i] = (uint8_t)digits[v & 15];
}

static uint32_t get_hex8(const uint8_t *p)
{
	uint32_t v = 0;

	for (int i = 0; i < 8; i++) {
		int c = p[i], d = 0;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			fail_msg("byte %d of a hex field is %#x", i, (unsigned)c);
		v = v << 4 | (uint32_t)d;
	}
	return v;
}

static uint32_t byte_sum(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint32_t s = 0;

	while (n--)
		s += *b++;
	return s;
}

/* Append an entry with every field exactly as given and `name_bytes` bytes
 * of name (its NUL included only if the caller put it there); return the
 * header's offset. */
static size_t img_raw(struct img *m, const char *magic, const uint32_t f[IX_COUNT],
		      const void *name, size_t name_bytes, const void *data,
		      size_t size)
{
	size_t at = m->len;
	uint8_t hdr[CPIO_HEADER_SIZE];

	memcpy(hdr, magic, 6);
	for (int i = 0; i < IX_COUNT; i++)
		put_hex8(hdr + FIELD_AT(i), f[i]);
	img_bytes(m, hdr, sizeof(hdr));
	img_bytes(m, name, name_bytes);
	img_pad4(m);
	img_bytes(m, data, size);
	img_pad4(m);
	return at;
}

/* Append a well-formed entry (c_check right for a crc regular file). */
static size_t img_entry(struct img *m, const char *magic, uint32_t mode,
			const char *name, const void *data, uint32_t size)
{
	uint32_t f[IX_COUNT] = { 0 };

	f[IX_INO] = ++m->ino;
	f[IX_MODE] = mode;
	f[IX_NLINK] = (mode & CPIO_S_IFMT) == CPIO_S_IFDIR ? 2 : 1;
	f[IX_MTIME] = 0x5f5e1000;
	f[IX_FILESIZE] = size;
	f[IX_NAMESIZE] = (uint32_t)strlen(name) + 1;
	if (strcmp(magic, CRC) == 0 && (mode & CPIO_S_IFMT) == CPIO_S_IFREG)
		f[IX_CHECK] = byte_sum(data, size);
	return img_raw(m, magic, f, name, strlen(name) + 1, data, size);
}

static size_t img_trailer(struct img *m, const char *magic)
{
	uint32_t f[IX_COUNT] = { 0 };

	f[IX_NLINK] = 1;
	f[IX_NAMESIZE] = sizeof(CPIO_TRAILER);
	return img_raw(m, magic, f, CPIO_TRAILER, sizeof(CPIO_TRAILER), NULL, 0);
}

static void img_set_field(struct img *m, size_t hdr, int ix, uint32_t v)
{
	put_hex8(m->b + hdr + FIELD_AT(ix), v);
}

/* A heap copy of exactly n bytes, so ASan sees any read past the input. */
/*
 * Read `good` entries successfully, then expect the next call to fail with
 * `code` at `offset` in `field`, leaving the cursor where it was.
 */
static void expect_fault_cap(const void *p, size_t len, uint32_t max_entries,
			     unsigned good, int code, const char *field,
			     uint64_t offset)
{
	uint8_t *b = exact_copy(p, len);
	struct cpio_reader r;
	struct cpio_entry e;

	cpio_reader_init(&r, b, len, 0);
	r.max_entries = max_entries;
	for (unsigned i = 0; i < good; i++)
		assert_int_equal(cpio_next_entry(&r, &e), 1);

	const uint64_t off = r.off;
	const uint32_t count = r.count;
	assert_int_equal(cpio_next_entry(&r, &e), code);
	assert_int_equal(r.fault.error, code);
	assert_non_null(r.fault.field);
	assert_string_equal(r.fault.field, field);
	assert_int_equal(r.fault.offset, offset);
	assert_non_null(r.fault.detail);
	assert_int_equal(r.off, off);
	assert_int_equal(r.count, count);
	/* The cursor did not move, so asking again gives the same answer. */
	assert_int_equal(cpio_next_entry(&r, &e), code);
	assert_int_equal(r.fault.offset, offset);
	free(b);
}

static void expect_fault(const struct img *m, unsigned good, int code,
			 const char *field, uint64_t offset)
{
	expect_fault_cap(m->b, m->len, CPIO_DEFAULT_MAX_ENTRIES, good, code,
			 field, offset);
}

/* Walk a whole archive from offset 0; return the entry count, fail on error. */
static unsigned walk_ok(const void *p, size_t len)
{
	uint8_t *b = exact_copy(p, len);
	struct cpio_reader r;
	struct cpio_entry e;
	unsigned n = 0;
	int rc;

	cpio_reader_init(&r, b, len, 0);
	while ((rc = cpio_next_entry(&r, &e)) == 1)
		n++;
	if (rc != 0)
		fail_msg("reader failed: %d (%s) at %llu in %s: %s", rc,
			 fwk_strerror(rc), (unsigned long long)r.fault.offset,
			 r.fault.field, r.fault.detail);
	free(b);
	return n;
}

/* The archive the mutation tests start from: one good entry, then the entry
 * under test at a non-zero offset (so offsets are checked as absolute), then
 * the trailer.  *hdr gets the offset of the entry under test. */
static struct img *victim(const char *magic, uint32_t mode, const char *name,
			  const void *data, uint32_t size, size_t *hdr)
{
	struct img *m = img_new();

	img_entry(m, magic, CPIO_S_IFREG | 0644, "first", "abc", 3);
	*hdr = img_entry(m, magic, mode, name, data, size);
	img_trailer(m, magic);
	assert_true(*hdr > 0);
	return m;
}

static struct img *victim_file(size_t *hdr)
{
	return victim(NEWC, CPIO_S_IFREG | 0644, "etc/motd", "hello, world\n", 13,
		      hdr);
}

/* ---- shell helpers for the tests that use GNU cpio ---- */

/* =================== the writer, read back by the reader =================== */

struct want {
	const char *name;
	struct cpio_stat st;
	const char *data;
	uint32_t align;
};

static void check_entry(const struct cpio_entry *e, const struct want *w,
			uint32_t ino, uint64_t base)
{
	assert_int_equal(e->namelen, strlen(w->name));
	assert_memory_equal(e->name, w->name, e->namelen);
	assert_int_equal(e->format, CPIO_NEWC);
	assert_int_equal(e->st.ino, ino);
	assert_int_equal(e->st.mode, w->st.mode);
	assert_int_equal(e->st.uid, w->st.uid);
	assert_int_equal(e->st.gid, w->st.gid);
	assert_int_equal(e->st.nlink, w->st.nlink);
	assert_int_equal(e->st.mtime, w->st.mtime);
	assert_int_equal(e->st.size, w->st.size);
	assert_int_equal(e->st.devmajor, w->st.devmajor);
	assert_int_equal(e->st.devminor, w->st.devminor);
	assert_int_equal(e->st.rdevmajor, w->st.rdevmajor);
	assert_int_equal(e->st.rdevminor, w->st.rdevminor);
	assert_int_equal(e->st.check, 0);
	if (w->st.size)
		assert_memory_equal(e->data, w->data, w->st.size);
	assert_int_equal((base + e->data_offset) % (w->align > 4 ? w->align : 4), 0);
	assert_ptr_equal(e->data, e->name - (e->offset + CPIO_HEADER_SIZE) +
					  e->data_offset);
}

static void test_roundtrip_entry_kinds(void **state)
{
	(void)state;
	static char longname[CPIO_NAME_MAX];
	memset(longname, 'n', sizeof(longname) - 1);
	longname[0] = 'L';
	longname[sizeof(longname) - 1] = '\0'; /* 4095 bytes + NUL: the most */

	const uint32_t mt = 1700000000;
	const struct want want[] = {
		{ "dir", { .mode = CPIO_S_IFDIR | 0755, .nlink = 2, .mtime = mt }, NULL, 0 },
		{ "dir/empty", { .mode = CPIO_S_IFREG | 0644, .nlink = 1, .mtime = mt }, NULL, 0 },
		{ "dir/one", { .mode = CPIO_S_IFREG | 0600, .nlink = 1, .mtime = mt, .size = 1 }, "1", 0 },
		{ "dir/two", { .mode = CPIO_S_IFREG | 0600, .nlink = 1, .mtime = mt, .size = 2 }, "22", 0 },
		{ "dir/three", { .mode = CPIO_S_IFREG | 0600, .nlink = 1, .mtime = mt, .size = 3 }, "333", 0 },
		{ "dir/four", { .mode = CPIO_S_IFREG | 0600, .nlink = 1, .mtime = mt, .size = 4 }, "4444", 0 },
		{ "dir/five", { .mode = CPIO_S_IFREG | 04755, .nlink = 1, .mtime = mt, .size = 5 }, "55555", 0 },
		{ "dir/aligned", { .mode = CPIO_S_IFREG | 0644, .nlink = 1, .mtime = mt, .size = 7 }, "aligned", 16 },
		{ "dir/link", { .mode = CPIO_S_IFLNK | 0777, .nlink = 1, .mtime = 7, .size = 3 }, "one", 0 },
		{ "dev/console", { .mode = CPIO_S_IFCHR | 0600, .nlink = 1, .mtime = 8,
				   .rdevmajor = 5, .rdevminor = 1 }, NULL, 0 },
		{ "dev/sda", { .mode = CPIO_S_IFBLK | 0660, .uid = 0, .gid = 6, .nlink = 1,
			       .rdevmajor = 8, .rdevminor = 0xffffffff, .devmajor = 1, .devminor = 2 }, NULL, 0 },
		{ "run/fifo", { .mode = CPIO_S_IFIFO | 0644, .nlink = 1 }, NULL, 0 },
		{ "run/sock", { .mode = CPIO_S_IFSOCK | 0755, .nlink = 1 }, NULL, 0 },
		{ "home/user/f", { .mode = CPIO_S_IFREG | 0640, .uid = 1000, .gid = 1000,
				   .nlink = 1, .mtime = 0xffffffff, .size = 6 }, "user\n\0", 0 },
		{ longname, { .mode = CPIO_S_IFREG | 0644, .nlink = 1, .mtime = mt, .size = 1 }, "L", 0 },
	};
	const size_t n = sizeof(want) / sizeof(want[0]);
	const size_t cap = 16384;
	uint8_t *buf = malloc(cap);
	struct cpio_writer w;
	assert_non_null(buf);

	cpio_writer_init(&w, buf, cap, 0, mt);
	for (size_t i = 0; i < n; i++) {
		const struct want *x = &want[i];
		int rc;

		if ((x->st.mode & CPIO_S_IFMT) == CPIO_S_IFDIR)
			rc = cpio_writer_add_dir(&w, x->name, x->st.mode & 07777);
		else if ((x->st.mode & CPIO_S_IFMT) == CPIO_S_IFREG && x->st.uid == 0 &&
			 x->st.mtime == mt)
			rc = cpio_writer_add_file(&w, x->name, x->st.mode & 07777,
						  x->data, x->st.size, x->align);
		else
			rc = cpio_writer_add(&w, x->name, &x->st, x->data, x->align);
		assert_int_equal(rc, 0);
		assert_int_equal(w.ino, i + 1);
		assert_int_equal(w.off % 4, 0);
	}
	assert_int_equal(cpio_writer_finish(&w, 0), 0);

	uint8_t *b = exact_copy(buf, w.off);
	struct cpio_reader r;
	struct cpio_entry e;
	cpio_reader_init(&r, b, w.off, 0);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(cpio_next_entry(&r, &e), 1);
		check_entry(&e, &want[i], (uint32_t)i + 1, 0);
	}
	assert_int_equal(cpio_next_entry(&r, &e), 0);
	assert_int_equal(r.off, w.off);
	assert_int_equal(r.count, n);
	free(b);
	free(buf);
}

/* The writer's data lands on a multiple of `align` of the stream, for any
 * name length and any 4-aligned stream offset, and the extra NULs sit inside
 * c_namesize so that a reader that knows nothing of alignment agrees. */
static void test_align16_data_offset(void **state)
{
	(void)state;
	static const uint32_t aligns[] = { 8, 16, 32, 64, 512 };
	uint8_t *buf = malloc(65536);
	assert_non_null(buf);

	for (size_t a = 0; a < sizeof(aligns) / sizeof(aligns[0]); a++)
	for (uint64_t base = 0; base < 32; base += 4)
	for (unsigned namelen = 1; namelen <= 40; namelen++) {
		char name[64];
		struct cpio_writer w;
		const uint32_t align = aligns[a];

		memset(name, 'a' + (int)(namelen % 26), namelen);
		name[namelen] = '\0';
		cpio_writer_init(&w, buf, 65536, base, 0);
		assert_int_equal(cpio_writer_add_dir(&w, "d", 0755), 0);
		assert_int_equal(cpio_writer_add_file(&w, name, 0644, "0123456789", 10,
						      align), 0);
		assert_int_equal(cpio_writer_finish(&w, 0), 0);

		struct cpio_reader r;
		struct cpio_entry e;
		cpio_reader_init(&r, buf, w.off, 0);
		assert_int_equal(cpio_next_entry(&r, &e), 1);
		assert_int_equal(cpio_next_entry(&r, &e), 1);
		assert_int_equal((base + e.data_offset) % align, 0);
		assert_int_equal(e.namelen, namelen);
		assert_memory_equal(e.data, "0123456789", 10);

		/* c_namesize reaches exactly to the data: no bytes outside it. */
		uint32_t namesize = get_hex8(buf + e.offset + FIELD_AT(IX_NAMESIZE));
		assert_int_equal(e.offset + CPIO_HEADER_SIZE + namesize, e.data_offset);
		assert_true(namesize <= CPIO_NAME_MAX);
		for (uint32_t i = namelen; i < namesize; i++)
			assert_int_equal(buf[e.offset + CPIO_HEADER_SIZE + i], 0);
		/* and the padding is the least that does the job */
		assert_true(namesize - namelen - 1 < align);
		assert_int_equal(cpio_next_entry(&r, &e), 0);
	}
	free(buf);
}

/* GNU cpio, which knows nothing of the alignment, extracts the writer's
 * aligned entries with the right names and contents. */
static void test_align16_gnu_cpio_extracts(void **state)
{
	(void)state;
	char *dir = temp_dir("cpio");
	char path[512];
	uint8_t buf[8192];
	struct cpio_writer w;
	static const char *const names[] = {
		"a", "ab", "abc", "abcd", "abcde", "kernel/x86/microcode/GenuineIntel.bin",
	};
	static const char content[] = "The quick brown fox jumps over the lazy dog";

	cpio_writer_init(&w, buf, sizeof(buf), 0, 1234567890);
	assert_int_equal(cpio_writer_add_dir(&w, "kernel", 0755), 0);
	assert_int_equal(cpio_writer_add_dir(&w, "kernel/x86", 0755), 0);
	assert_int_equal(cpio_writer_add_dir(&w, "kernel/x86/microcode", 0755), 0);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_int_equal(cpio_writer_add_file(&w, names[i], 0644, content,
						      (uint32_t)(5 + 7 * i), 16), 0);
	assert_int_equal(cpio_writer_finish(&w, 512), 0);
	snprintf(path, sizeof(path), "%s/a.cpio", dir);
	spew(path, buf, w.off);

	assert_int_equal(sh("cd '%s' && mkdir x && cd x && cpio -idm --quiet < ../a.cpio",
			    dir), 0);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t n;
		snprintf(path, sizeof(path), "%s/x/%s", dir, names[i]);
		uint8_t *got = slurp(path, &n);
		assert_int_equal(n, 5 + 7 * i);
		assert_memory_equal(got, content, n);
		free(got);
	}
	remove_dir(dir);
}

/* The reader takes GNU cpio's own newc archives, hard links included. */
static void test_reads_gnu_cpio_newc(void **state)
{
	(void)state;
	char *dir = temp_dir("cpio");
	char path[512];
	size_t len;

	assert_int_equal(sh("cd '%s' && mkdir -p t/d && printf 'hello' > t/f && "
			    "printf '' > t/empty && ln -s f t/l && ln t/f t/hard && "
			    "cd t && printf 'd\\nf\\nempty\\nl\\nhard\\n' | "
			    "cpio -o -H newc --quiet > ../a.cpio", dir), 0);
	snprintf(path, sizeof(path), "%s/a.cpio", dir);
	uint8_t *b = slurp(path, &len);
	struct cpio_reader r;
	struct cpio_entry e;
	unsigned seen = 0;
	int rc;

	cpio_reader_init(&r, b, len, 0);
	while ((rc = cpio_next_entry(&r, &e)) == 1) {
		seen++;
		assert_int_equal(e.format, CPIO_NEWC);
		assert_int_equal(e.data_offset % 4, 0);
		if (e.namelen == 1 && e.name[0] == 'l') {
			assert_int_equal(e.st.mode & CPIO_S_IFMT, CPIO_S_IFLNK);
			assert_int_equal(e.st.size, 1);
			assert_memory_equal(e.data, "f", 1);
		}
		if (e.namelen == 1 && e.name[0] == 'd')
			assert_int_equal(e.st.mode & CPIO_S_IFMT, CPIO_S_IFDIR);
	}
	assert_int_equal(rc, 0);
	assert_int_equal(seen, 5);
	assert_int_equal(len % 512, 0); /* GNU cpio pads to its block */
	free(b);
	remove_dir(dir);
}

static void test_header_size_rules(void **state)
{
	(void)state;
	/* 110 + name + NUL, rounded up to 4 */
	assert_int_equal(cpio_header_size(0, 1, 0), 112);
	assert_int_equal(cpio_header_size(0, 1, 4), 112);
	assert_int_equal(cpio_header_size(0, 3, 0), 116);
	assert_int_equal(cpio_header_size(0, 4, 0), 116);
	assert_int_equal(cpio_header_size(0, 5, 0), 116);
	assert_int_equal(cpio_header_size(0, 6, 0), 120);
	assert_int_equal(cpio_header_size(4, 1, 16), 124); /* data at 128 */
	assert_int_equal(cpio_header_size(0, 1, 16), 112);
	assert_int_equal(cpio_header_size(0, 2, 16), 128);
	assert_int_equal(cpio_header_size(0, CPIO_NAME_MAX - 1, 0),
			 CPIO_HEADER_SIZE + CPIO_NAME_MAX + 2);
	/* bad arguments */
	assert_int_equal(cpio_header_size(0, 0, 0), FWK_ERR_INVAL);
	assert_int_equal(cpio_header_size(2, 1, 0), FWK_ERR_INVAL);
	assert_int_equal(cpio_header_size(0, 1, 2), FWK_ERR_INVAL);
	assert_int_equal(cpio_header_size(0, 1, 12), FWK_ERR_INVAL);
	assert_int_equal(cpio_header_size(0, 1, 3), FWK_ERR_INVAL);
	/* too long, directly or through the alignment NULs */
	assert_int_equal(cpio_header_size(0, CPIO_NAME_MAX, 0), FWK_ERR_LIMIT);
	assert_int_equal(cpio_header_size(0, 1, 8192), FWK_ERR_LIMIT);
	assert_int_equal(cpio_header_size(0, 3985, 4096), 4096);
	assert_int_equal(cpio_header_size(0, 3986, 4096), FWK_ERR_LIMIT);
}

static void test_write_header_nospace(void **state)
{
	(void)state;
	const struct cpio_stat st = { .mode = CPIO_S_IFREG | 0644, .nlink = 1 };
	int64_t need = cpio_header_size(0, 5, 16);
	assert_int_equal(need, 128);

	/* Exactly `cap` bytes of heap: ASan catches any write past them. */
	uint8_t *small = malloc((size_t)need - 1);
	assert_non_null(small);
	assert_int_equal(cpio_write_header(small, (uint64_t)need - 1, 0, &st, "hello",
					   5, 16), FWK_ERR_NOSPACE);
	free(small);

	uint8_t *fit = malloc((size_t)need);
	assert_non_null(fit);
	assert_int_equal(cpio_write_header(fit, (uint64_t)need, 0, &st, "hello", 5, 16),
			 need);
	assert_memory_equal(fit, NEWC, 6);
	assert_int_equal(get_hex8(fit + FIELD_AT(IX_NAMESIZE)), need - CPIO_HEADER_SIZE);
	assert_int_equal(get_hex8(fit + FIELD_AT(IX_MODE)), CPIO_S_IFREG | 0644);
	assert_int_equal(get_hex8(fit + FIELD_AT(IX_CHECK)), 0);
	assert_memory_equal(fit + CPIO_HEADER_SIZE, "hello", 5);
	for (int64_t i = CPIO_HEADER_SIZE + 5; i < need; i++)
		assert_int_equal(fit[i], 0);
	free(fit);
}

/* Every writer call copes with names at and over the limit. */
static void test_writer_name_limits(void **state)
{
	(void)state;
	static char name[CPIO_NAME_MAX + 8];
	uint8_t *buf = malloc(16384);
	struct cpio_writer w;
	assert_non_null(buf);

	cpio_writer_init(&w, buf, 16384, 0, 0);
	assert_int_equal(cpio_writer_add_file(&w, "", 0644, "x", 1, 0), FWK_ERR_INVAL);
	memset(name, 'x', CPIO_NAME_MAX + 4);
	name[CPIO_NAME_MAX + 4] = '\0';
	assert_int_equal(cpio_writer_add_dir(&w, name, 0755), FWK_ERR_LIMIT);
	name[CPIO_NAME_MAX] = '\0';
	assert_int_equal(cpio_writer_add_dir(&w, name, 0755), FWK_ERR_LIMIT);
	assert_int_equal(w.off, 0);
	assert_int_equal(w.ino, 0);
	name[CPIO_NAME_MAX - 1] = '\0';
	assert_int_equal(cpio_writer_add_dir(&w, name, 0755), 0);
	assert_int_equal(w.ino, 1);
	assert_int_equal(cpio_writer_finish(&w, 0), 0);
	assert_int_equal(walk_ok(buf, w.off), 1);
	free(buf);
}

static void test_writer_rejects_bad_base_and_align(void **state)
{
	(void)state;
	uint8_t buf[1024];
	struct cpio_writer w;

	cpio_writer_init(&w, buf, sizeof(buf), 2, 0); /* headers must be 4-aligned */
	assert_int_equal(cpio_writer_add_dir(&w, "d", 0755), FWK_ERR_INVAL);
	assert_int_equal(cpio_writer_finish(&w, 0), FWK_ERR_INVAL);
	assert_int_equal(w.off, 0);

	cpio_writer_init(&w, buf, sizeof(buf), 0, 0);
	assert_int_equal(cpio_writer_add_file(&w, "f", 0644, "x", 1, 24), FWK_ERR_INVAL);
	assert_int_equal(cpio_writer_add_file(&w, "f", 0644, "x", 1, 2), FWK_ERR_INVAL);
	assert_int_equal(cpio_writer_finish(&w, 100), FWK_ERR_INVAL);
	assert_int_equal(w.off, 0);
	assert_int_equal(w.ino, 0);
}

/* Trailer and NUL padding to the block, relative to the stream (base). */
static void test_finish_block_512(void **state)
{
	(void)state;
	static const uint64_t bases[] = { 0, 4, 100, 508, 512, 1024 + 12 };

	for (size_t i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
		uint8_t *buf = malloc(4096);
		struct cpio_writer w;
		assert_non_null(buf);
		memset(buf, 0xaa, 4096);

		cpio_writer_init(&w, buf, 4096, bases[i], 42);
		assert_int_equal(cpio_writer_add_file(&w, "f", 0644, "data", 4, 0), 0);
		const uint64_t trailer = w.off;
		assert_int_equal(cpio_writer_finish(&w, 512), 0);
		assert_int_equal((bases[i] + w.off) % 512, 0);
		assert_true(w.off - trailer >= CPIO_HEADER_SIZE + sizeof(CPIO_TRAILER));
		assert_true(w.off - trailer < CPIO_HEADER_SIZE + sizeof(CPIO_TRAILER) + 3 + 512);

		/* The trailer as GNU cpio writes it: c_ino 0, c_mode 0, c_nlink 1,
		 * c_namesize 11, nothing else; then NULs to the block. */
		const uint8_t *t = buf + trailer;
		assert_memory_equal(t, NEWC, 6);
		for (int ix = 0; ix < IX_COUNT; ix++) {
			uint32_t want = ix == IX_NLINK ? 1 : ix == IX_NAMESIZE ? 11 : 0;
			assert_int_equal(get_hex8(t + FIELD_AT(ix)), want);
		}
		assert_memory_equal(t + CPIO_HEADER_SIZE, CPIO_TRAILER, sizeof(CPIO_TRAILER));
		for (uint64_t j = trailer + CPIO_HEADER_SIZE + sizeof(CPIO_TRAILER); j < w.off; j++)
			assert_int_equal(buf[j], 0);

		struct cpio_reader r;
		struct cpio_entry e;
		cpio_reader_init(&r, buf, w.off, 0);
		assert_int_equal(cpio_next_entry(&r, &e), 1);
		assert_int_equal(cpio_next_entry(&r, &e), 0);
		assert_int_equal(r.off % 4, 0);
		assert_true(r.off <= w.off);
		free(buf);
	}
}

static void test_finish_block_0_and_4(void **state)
{
	(void)state;
	uint8_t buf[1024];
	struct cpio_writer w;

	cpio_writer_init(&w, buf, sizeof(buf), 0, 0);
	assert_int_equal(cpio_writer_finish(&w, 0), 0);
	assert_int_equal(w.off, 124); /* 110 + 11, padded to 4 */
	assert_int_equal(walk_ok(buf, w.off), 0);

	cpio_writer_init(&w, buf, sizeof(buf), 0, 0);
	assert_int_equal(cpio_writer_finish(&w, 4), 0);
	assert_int_equal(w.off, 124);
}

/* Dry-run the archive a test wants in a big buffer: its exact size. */
static uint64_t build_sample(uint8_t *buf, uint64_t cap, uint32_t block)
{
	struct cpio_writer w;

	cpio_writer_init(&w, buf, cap, 0, 99);
	assert_int_equal(cpio_writer_add_dir(&w, "etc", 0755), 0);
	assert_int_equal(cpio_writer_add_file(&w, "etc/a", 0644, "aaaaa", 5, 16), 0);
	assert_int_equal(cpio_writer_add_file(&w, "etc/b", 0600, "bb", 2, 0), 0);
	assert_int_equal(cpio_writer_finish(&w, block), 0);
	return w.off;
}

static void assert_writer_same(const struct cpio_writer *a, const struct cpio_writer *b)
{
	assert_ptr_equal(a->buf, b->buf);
	assert_int_equal(a->cap, b->cap);
	assert_int_equal(a->off, b->off);
	assert_int_equal(a->base, b->base);
	assert_int_equal(a->ino, b->ino);
	assert_int_equal(a->mtime, b->mtime);
}

/* FWK_ERR_NOSPACE changes nothing: the writer goes on in the same buffer,
 * or in a bigger one, and the result is byte for byte the same archive. */
static void test_nospace_leaves_writer_usable(void **state)
{
	(void)state;
	uint8_t big[4096];
	const uint64_t size = build_sample(big, sizeof(big), 0);
	uint8_t *buf = malloc(size); /* exactly the archive: ASan guards the end */
	uint8_t *snap = malloc(size);
	struct cpio_writer w, saved;
	assert_non_null(buf);
	assert_non_null(snap);

	cpio_writer_init(&w, buf, size, 0, 99);
	assert_int_equal(cpio_writer_add_dir(&w, "etc", 0755), 0);

	/* Too big to fit: refused, nothing moves. */
	static uint8_t huge[8192];
	saved = w;
	memcpy(snap, buf, w.off);
	assert_int_equal(cpio_writer_add_file(&w, "etc/huge", 0644, huge, sizeof(huge), 0),
			 FWK_ERR_NOSPACE);
	assert_writer_same(&w, &saved);
	assert_memory_equal(buf, snap, w.off);

	assert_int_equal(cpio_writer_add_file(&w, "etc/a", 0644, "aaaaa", 5, 16), 0);
	assert_int_equal(w.ino, 2); /* no inode number was burnt by the failure */

	/* A name so long that only the header overflows. */
	static char name[4000];
	memset(name, 'n', sizeof(name) - 1);
	saved = w;
	assert_int_equal(cpio_writer_add_dir(&w, name, 0755), FWK_ERR_NOSPACE);
	assert_writer_same(&w, &saved);

	assert_int_equal(cpio_writer_add_file(&w, "etc/b", 0600, "bb", 2, 0), 0);

	/* The trailer fits but 512-byte padding does not: refused, unchanged. */
	saved = w;
	memcpy(snap, buf, w.off);
	assert_int_equal(cpio_writer_finish(&w, 512), FWK_ERR_NOSPACE);
	assert_writer_same(&w, &saved);
	assert_memory_equal(buf, snap, w.off);

	assert_int_equal(cpio_writer_finish(&w, 0), 0);
	assert_int_equal(w.off, size);
	assert_memory_equal(buf, big, size);
	free(buf);
	free(snap);
}

static void test_nospace_retry_in_bigger_buffer(void **state)
{
	(void)state;
	uint8_t big[4096];
	const uint64_t size = build_sample(big, sizeof(big), 512);
	uint8_t *small = malloc(200);
	struct cpio_writer w;
	assert_non_null(small);

	cpio_writer_init(&w, small, 200, 0, 99);
	assert_int_equal(cpio_writer_add_dir(&w, "etc", 0755), 0);
	assert_int_equal(cpio_writer_add_file(&w, "etc/a", 0644, "aaaaa", 5, 16),
			 FWK_ERR_NOSPACE);

	/* Move what was written to a bigger buffer and carry on. */
	uint8_t *more = malloc(size);
	assert_non_null(more);
	memcpy(more, small, w.off);
	w.buf = more;
	w.cap = size;
	assert_int_equal(cpio_writer_add_file(&w, "etc/a", 0644, "aaaaa", 5, 16), 0);
	assert_int_equal(cpio_writer_add_file(&w, "etc/b", 0600, "bb", 2, 0), 0);
	assert_int_equal(cpio_writer_finish(&w, 512), 0);
	assert_int_equal(w.off, size);
	assert_memory_equal(more, big, size);
	free(small);
	free(more);
}

/* Two builds of the same entries are identical: no hidden state, no clock. */
static void test_writer_deterministic(void **state)
{
	(void)state;
	uint8_t a[2048], b[2048];

	memset(a, 0x11, sizeof(a));
	memset(b, 0x22, sizeof(b));
	uint64_t na = build_sample(a, sizeof(a), 512);
	uint64_t nb = build_sample(b, sizeof(b), 512);
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, na);
}

/* ============================== trailers ============================== */

static void test_trailer_ends_archive(void **state)
{
	(void)state;
	struct img *m = img_new();
	img_entry(m, NEWC, CPIO_S_IFREG | 0644, "a", "x", 1);
	size_t t = img_trailer(m, NEWC);
	size_t end = m->len;
	img_zeros(m, 500);

	uint8_t *b = exact_copy(m->b, m->len);
	struct cpio_reader r;
	struct cpio_entry e;
	cpio_reader_init(&r, b, m->len, 0);
	assert_int_equal(cpio_next_entry(&r, &e), 1);
	assert_int_equal(r.off, t);
	assert_int_equal(cpio_next_entry(&r, &e), 0);
	assert_int_equal(r.off, end); /* past the trailer and its padding */
	assert_int_equal(end % 4, 0);
	assert_int_equal(r.count, 1); /* the trailer is not counted */
	free(b);
	free(m);
}

/* Only the exact name ends an archive. */
static void test_trailer_name_exact(void **state)
{
	(void)state;
	struct img *m = img_new();
	img_entry(m, NEWC, CPIO_S_IFREG | 0644, "TRAILER!!", "1", 1);
	img_entry(m, NEWC, CPIO_S_IFREG | 0644, "TRAILER!!!x", "2", 1);
	img_entry(m, NEWC, CPIO_S_IFREG | 0644, "trailer!!!", "3", 1);
	img_entry(m, NEWC, CPIO_S_IFREG | 0644, "TRAILER!!!/x", "4", 1);
	img_trailer(m, NEWC);
	assert_int_equal(walk_ok(m->b, m->len), 4);

	assert_true(cpio_is_trailer("TRAILER!!!", 10));
	assert_false(cpio_is_trailer("TRAILER!!!", 9));
	assert_false(cpio_is_trailer("TRAILER!!!!", 11));
	assert_false(cpio_is_trailer("TRAILER!!?", 10));
	assert_false(cpio_is_trailer("", 0));
	free(m);
}

/* The trailer does not count against the entry cap. */
static void test_trailer_not_counted_by_cap(void **state)
{
	(void)state;
	struct img *m = img_new();
	img_entry(m, NEWC, CPIO_S_IFDIR | 0755, "a", NULL, 0);
	img_entry(m, NEWC, CPIO_S_IFDIR | 0755, "b", NULL, 0);
	img_trailer(m, NEWC);

	struct cpio_reader r;
	struct cpio_entry e;
	cpio_reader_init(&r, m->b, m->len, 0);
	r.max_entries = 2;
	assert_int_equal(cpio_next_entry(&r, &e), 1);
	assert_int_equal(cpio_next_entry(&r, &e), 1);
	assert_int_equal(cpio_next_entry(&r, &e), 0);
	free(m);
}

/*
 * BUG: a final trailer whose NUL padding was cut off is meant to be a clean
 * end (cpio_read.c: "Tolerate a final archive whose last padding was cut
 * off"; the kernel, too, unpacks such an image without complaint).  But the
 * trailer has no data, so its only padding is the name's, and the data bound
 * check (data_off > len) fails first: FWK_ERR_TRUNCATED in c_filesize.
 */
static void test_trailer_padding_cut(void **state)
{
	(void)state;
	struct img *m = img_new();
	img_entry(m, NEWC, CPIO_S_IFREG | 0644, "a", "x", 1);
	size_t t = img_trailer(m, NEWC);
	const size_t cut = t + CPIO_HEADER_SIZE + sizeof(CPIO_TRAILER); /* 3 NULs short */
	assert_int_equal(m->len - cut, 3); /* 110 + 11 = 121, padded to 124 */

	uint8_t *b = exact_copy(m->b, cut);
	struct cpio_reader r;
	struct cpio_entry e;
	cpio_reader_init(&r, b, cut, 0);
	assert_int_equal(cpio_next_entry(&r, &e), 1);
	assert_int_equal(cpio_next_entry(&r, &e), 0);
	assert_int_equal(r.off, cut);
	free(b);
	free(m);
}

/* After a trailer the cursor is at the next archive: reading goes on. */
static void test_trailer_then_second_archive(void **state)
{
	(void)state;
	struct img *m = img_new();
	img_entry(m, NEWC, CPIO_S_IFREG | 0644, "one", "1", 1);
	img_trailer(m, NEWC);
	size_t second = img_entry(m, CRC, CPIO_S_IFREG | 0644, "two", "22", 2);
	img_trailer(m, CRC);

	struct cpio_reader r;
	struct cpio_entry e;
	cpio_reader_init(&r, m->b, m->len, 0);
	assert_int_equal(cpio_next_entry(&r, &e), 1);
	assert_int_equal(cpio_next_entry(&r, &e), 0);
	assert_int_equal(r.off, second);
	assert_int_equal(cpio_next_entry(&r, &e), 1);
	assert_int_equal(e.offset, second);
	assert_int_equal(e.format, CPIO_CRC);
	assert_memory_equal(e.name, "two", 3);
	assert_int_equal(cpio_next_entry(&r, &e), 0);
	assert_int_equal(r.off, m->len);
	free(m);
}

/* A newc archive may end without the trailer only by being cut short. */
static void test_archive_without_trailer(void **state)
{
	(void)state;
	struct img *m = img_new();
	img_entry(m, NEWC, CPIO_S_IFREG | 0644, "a", "x", 1);
	img_entry(m, NEWC, CPIO_S_IFREG | 0644, "b", "yy", 2);
	expect_fault(m, 2, FWK_ERR_TRUNCATED, "c_magic", m->len);

	/* a few stray NULs instead of a trailer: still too short for a header */
	img_zeros(m, 3);
	expect_fault(m, 2, FWK_ERR_TRUNCATED, "c_magic", m->len - 3);
	free(m);
}

/* BUG: the writer accepts an entry named "TRAILER!!!"; the archive then ends
 * at that entry for every reader and the entries after it are lost.  The
 * writer should refuse the name (FWK_ERR_BADNAME) and stay unchanged. */
static void test_writer_refuses_trailer_name(void **state)
{
	(void)state;
	uint8_t buf[1024];
	struct cpio_writer w;

	cpio_writer_init(&w, buf, sizeof(buf), 0, 0);
	assert_int_equal(cpio_writer_add_file(&w, "a", 0644, "1", 1, 0), 0);
	const uint64_t off = w.off;
	int rc = cpio_writer_add_file(&w, CPIO_TRAILER, 0644, "2", 1, 0);
	if (rc == 0) {
		assert_int_equal(cpio_writer_add_file(&w, "b", 0644, "3", 1, 0), 0);
		assert_int_equal(cpio_writer_finish(&w, 0), 0);
		fail_msg("writer accepted an entry named TRAILER!!!: the archive "
			 "reads back as %u entries instead of 3",
			 walk_ok(buf, w.off));
	}
	assert_int_equal(rc, FWK_ERR_BADNAME);
	assert_int_equal(w.off, off);
	assert_int_equal(w.ino, 1);
}

/* ============================== crc format ============================== */

static void test_crc_sum(void **state)
{
	(void)state;
	uint8_t ff[300];

	memset(ff, 0xff, sizeof(ff));
	assert_int_equal(cpio_crc_sum("", 0), 0);
	assert_int_equal(cpio_crc_sum("\x01\x02\x03", 3), 6);
	assert_int_equal(cpio_crc_sum(ff, sizeof(ff)), 300u * 255u); /* > 16 bits */
}

static void test_crc_format_read(void **state)
{
	(void)state;
	uint8_t data[300];
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(0xff - i);

	struct img *m = img_new();
	img_entry(m, CRC, CPIO_S_IFDIR | 0755, "d", NULL, 0);
	size_t f = img_entry(m, CRC, CPIO_S_IFREG | 0644, "d/f", data, sizeof(data));
	img_entry(m, CRC, CPIO_S_IFLNK | 0777, "d/l", "f", 1);
	img_entry(m, CRC, CPIO_S_IFREG | 0644, "d/empty", NULL, 0);
	img_trailer(m, CRC);

	uint8_t *b = exact_copy(m->b, m->len);
	struct cpio_reader r;
	struct cpio_entry e;
	cpio_reader_init(&r, b, m->len, 0);
	assert_int_equal(cpio_next_entry(&r, &e), 1);
	assert_int_equal(e.format, CPIO_CRC);
	assert_int_equal(cpio_next_entry(&r, &e), 1);
	assert_int_equal(e.offset, f);
	assert_int_equal(e.format, CPIO_CRC);
	assert_int_equal(e.st.check, byte_sum(data, sizeof(data)));
	assert_int_equal(e.st.check, cpio_crc_sum(e.data, e.st.size));
	assert_memory_equal(e.data, data, sizeof(data));
	assert_int_equal(cpio_next_entry(&r, &e), 1);
	assert_int_equal(cpio_next_entry(&r, &e), 1);
	assert_int_equal(e.st.check, 0);
	assert_int_equal(cpio_next_entry(&r, &e), 0);
	free(b);
	free(m);
}

/* Checksums are checked for regular files only, as the kernel does. */
static void test_crc_ignored_for_non_regular(void **state)
{
	(void)state;
	struct img *m = img_new();
	size_t d = img_entry(m, CRC, CPIO_S_IFDIR | 0755, "d", NULL, 0);
	size_t l = img_entry(m, CRC, CPIO_S_IFLNK | 0777, "l", "target", 6);
	img_trailer(m, CRC);
	img_set_field(m, d, IX_CHECK, 0x1234);
	img_set_field(m, l, IX_CHECK, 0xdeadbeef);
	assert_int_equal(walk_ok(m->b, m->len), 2);
	free(m);
}

static void test_crc_bad_checksum(void **state)
{
	(void)state;
	size_t hdr;
	struct img *m = victim(CRC, CPIO_S_IFREG | 0644, "f", "checked data", 12, &hdr);
	img_set_field(m, hdr, IX_CHECK, byte_sum("checked data", 12) + 1);
	expect_fault(m, 1, FWK_ERR_CHECKSUM, "c_check", hdr + FIELD_AT(IX_CHECK));

	/* the same archive as newc: c_check is not looked at */
	memcpy(m->b, NEWC, 6);
	memcpy(m->b + hdr, NEWC, 6);
	assert_int_equal(walk_ok(m->b, m->len), 2);
	free(m);
}

/* One flipped data byte in a GNU cpio crc archive is caught. */
static void test_crc_gnu_cpio(void **state)
{
	(void)state;
	char *dir = temp_dir("cpio");
	char path[512];
	size_t len;

	/* d/h and d/k are hard links: GNU cpio writes the data (and its sum)
	 * once, with the last link, and c_check 0 with the empty one. */
	assert_int_equal(sh("cd '%s' && mkdir -p t/d && printf 'checksummed\\377' > t/d/f && "
			    "printf 'linked' > t/d/h && ln t/d/h t/d/k && "
			    "ln -s d/f t/l && cd t && printf 'd\\nd/f\\nd/h\\nd/k\\nl\\n' | "
			    "cpio -o -H crc --quiet > ../c.cpio", dir), 0);
	snprintf(path, sizeof(path), "%s/c.cpio", dir);
	uint8_t *b = slurp(path, &len);
	struct cpio_reader r;
	struct cpio_entry e;
	uint64_t fhdr = 0, fdata = 0;
	int rc, n = 0;

	cpio_reader_init(&r, b, len, 0);
	while ((rc = cpio_next_entry(&r, &e)) == 1) {
		n++;
		assert_int_equal(e.format, CPIO_CRC);
		if (e.namelen == 3 && memcmp(e.name, "d/f", 3) == 0) {
			fhdr = e.offset;
			fdata = e.data_offset;
			assert_int_equal(e.st.check, byte_sum("checksummed\377", 12));
		}
	}
	assert_int_equal(rc, 0);
	assert_int_equal(n, 5);
	assert_true(fdata > 0);

	b[fdata + 3] ^= 0x20;
	cpio_reader_init(&r, b, len, 0);
	while ((rc = cpio_next_entry(&r, &e)) == 1)
		;
	assert_int_equal(rc, FWK_ERR_CHECKSUM);
	assert_string_equal(r.fault.field, "c_check");
	assert_int_equal(r.fault.offset, fhdr + FIELD_AT(IX_CHECK));
	free(b);
	remove_dir(dir);
}

/* ====================== one mutation per header defect ====================== */

static void test_truncated_header_short(void **state)
{
	(void)state;
	size_t hdr;
	struct img *m = victim_file(&hdr);

	/* every cut inside the 110-byte header, after a complete magic */
	for (size_t cut = hdr + 6; cut < hdr + CPIO_HEADER_SIZE; cut++)
		expect_fault_cap(m->b, cut, CPIO_DEFAULT_MAX_ENTRIES, 1,
				 FWK_ERR_TRUNCATED, "header", hdr);
	free(m);
}

static void test_truncated_header_magic(void **state)
{
	(void)state;
	size_t hdr;
	struct img *m = victim_file(&hdr);

	for (size_t cut = hdr; cut < hdr + 6; cut++)
		expect_fault_cap(m->b, cut, CPIO_DEFAULT_MAX_ENTRIES, 1,
				 FWK_ERR_TRUNCATED, "c_magic", hdr);
	expect_fault_cap("", 0, CPIO_DEFAULT_MAX_ENTRIES, 0, FWK_ERR_TRUNCATED,
			 "c_magic", 0);
	expect_fault_cap("junk", 4, CPIO_DEFAULT_MAX_ENTRIES, 0, FWK_ERR_TRUNCATED,
			 "c_magic", 0);
	free(m);
}

/* Every prefix of a good archive fails as truncated, without reading past
 * it, up to the point where the trailer's name is complete. */
static void test_every_prefix_truncated(void **state)
{
	(void)state;
	struct img *m = img_new();
	img_entry(m, NEWC, CPIO_S_IFDIR | 0755, "d", NULL, 0);
	img_entry(m, CRC, CPIO_S_IFREG | 0644, "d/file", "0123456789", 10);
	img_entry(m, NEWC, CPIO_S_IFLNK | 0777, "d/link", "file", 4);
	size_t t = img_trailer(m, NEWC);
	const size_t whole = t + CPIO_HEADER_SIZE + sizeof(CPIO_TRAILER);

	for (size_t cut = 0; cut <= m->len; cut++) {
		uint8_t *b = exact_copy(m->b, cut);
		struct cpio_reader r;
		struct cpio_entry e;
		int rc;

		cpio_reader_init(&r, b, cut, 0);
		while ((rc = cpio_next_entry(&r, &e)) == 1)
			assert_true(e.data_offset + e.st.size <= cut);
		if (cut < whole) {
			if (rc != FWK_ERR_TRUNCATED)
				fail_msg("prefix of %zu bytes: got %d, want truncated", cut, rc);
			assert_true(r.fault.offset <= cut);
		} else if (cut == m->len) {
			assert_int_equal(rc, 0);
			assert_int_equal(r.off, cut);
		} /* a trailer without its padding: test_trailer_padding_cut */
		free(b);
	}
	free(m);
}

static void test_bad_magic(void **state)
{
	(void)state;
	static const char *const bad[] = { "070707", "070703", "070700", "170701",
					   "07070 ", "0707O1", "\0\0\0\0\0\0" };
	size_t hdr;
	struct img *m = victim_file(&hdr);

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(m->b + hdr, bad[i], 6);
		expect_fault(m, 1, FWK_ERR_BADMAGIC, "c_magic", hdr);
		/* the magic is judged before the header's length */
		expect_fault_cap(m->b, hdr + 6, CPIO_DEFAULT_MAX_ENTRIES, 1,
				 FWK_ERR_BADMAGIC, "c_magic", hdr);
	}
	free(m);
}

/* A non-hex byte in field `ix` of the second entry; the fault names the
 * field and its first byte.  Registered once per field, see main(). */
static int field_ix[IX_COUNT] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };

static void test_nonhex_field(void **state)
{
	const int ix = *(int *)*state;
	static const uint8_t junk[] = { 'g', 'G', 'x', ' ', '-', '+', '\0', 0xff, ':', '@' };
	size_t hdr;

	for (unsigned digit = 0; digit < 8; digit++) {
		struct img *m = victim_file(&hdr);
		m->b[hdr + FIELD_AT(ix) + digit] = junk[(digit + (unsigned)ix) % sizeof(junk)];
		expect_fault(m, 1, FWK_ERR_BADFIELD, field_name[ix], hdr + FIELD_AT(ix));
		free(m);
	}
	/* the first entry too, at offset 0 */
	struct img *m = victim_file(&hdr);
	m->b[FIELD_AT(ix) + 7] = 'z';
	expect_fault(m, 0, FWK_ERR_BADFIELD, field_name[ix], FIELD_AT(ix));
	free(m);
}

static void test_namesize_zero(void **state)
{
	(void)state;
	size_t hdr;
	struct img *m = victim_file(&hdr);
	img_set_field(m, hdr, IX_NAMESIZE, 0);
	expect_fault(m, 1, FWK_ERR_BADFIELD, "c_namesize", hdr + FIELD_AT(IX_NAMESIZE));
	free(m);
}

static void test_namesize_over_limit(void **state)
{
	(void)state;
	static const uint32_t sizes[] = { CPIO_NAME_MAX + 1, 0x10000, 0x7fffffff,
					  0x80000000, 0xffffffff };
	size_t hdr;
	struct img *m = victim_file(&hdr);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		img_set_field(m, hdr, IX_NAMESIZE, sizes[i]);
		expect_fault(m, 1, FWK_ERR_LIMIT, "c_namesize", hdr + FIELD_AT(IX_NAMESIZE));
	}
	free(m);
}

/* The largest name the format allows is read; one more byte is not. */
static void test_namesize_at_limit(void **state)
{
	(void)state;
	static char name[CPIO_NAME_MAX];
	memset(name, 'p', sizeof(name) - 1);
	struct img *m = img_new();
	img_entry(m, NEWC, CPIO_S_IFREG | 0644, name, "x", 1);
	img_trailer(m, NEWC);
	assert_int_equal(walk_ok(m->b, m->len), 1);
	free(m);
}

static void test_namesize_past_end(void **state)
{
	(void)state;
	size_t hdr;
	struct img *m = victim_file(&hdr);
	const uint64_t name_off = hdr + CPIO_HEADER_SIZE;

	img_set_field(m, hdr, IX_NAMESIZE, (uint32_t)(m->len - name_off + 1));
	expect_fault(m, 1, FWK_ERR_TRUNCATED, "c_namesize", hdr + FIELD_AT(IX_NAMESIZE));
	img_set_field(m, hdr, IX_NAMESIZE, CPIO_NAME_MAX);
	expect_fault(m, 1, FWK_ERR_TRUNCATED, "c_namesize", hdr + FIELD_AT(IX_NAMESIZE));
	/* a header at the very end of the input, with a name of one byte */
	expect_fault_cap(m->b, hdr + CPIO_HEADER_SIZE, CPIO_DEFAULT_MAX_ENTRIES, 1,
			 FWK_ERR_TRUNCATED, "c_namesize", hdr + FIELD_AT(IX_NAMESIZE));
	free(m);
}

static void test_name_not_nul_terminated(void **state)
{
	(void)state;
	size_t hdr;
	struct img *m = victim_file(&hdr); /* "etc/motd": 8 bytes + NUL */
	img_set_field(m, hdr, IX_NAMESIZE, 8);
	expect_fault(m, 1, FWK_ERR_BADFIELD, "name", hdr + CPIO_HEADER_SIZE);
	free(m);

	/* a raw entry whose name bytes carry no NUL at all */
	uint32_t f[IX_COUNT] = { 0 };
	f[IX_MODE] = CPIO_S_IFREG | 0644;
	f[IX_NLINK] = 1;
	f[IX_NAMESIZE] = 4;
	m = img_new();
	size_t at = img_raw(m, NEWC, f, "abcd", 4, NULL, 0);
	img_trailer(m, NEWC);
	expect_fault(m, 0, FWK_ERR_BADFIELD, "name", at + CPIO_HEADER_SIZE);
	free(m);
}

/*
 * BUG: c_namesize counts the name's terminating NUL, so its last byte must
 * be NUL; Linux (init/initramfs.c do_name(), since 6.12 and in the stable
 * trees) rejects "name without nulterm" and stops unpacking.  The reader
 * accepts a name with an early NUL and a non-NUL last byte, reporting
 * "abc", so fwkit would pass an image the kernel refuses.
 */
static void test_name_last_byte_not_nul(void **state)
{
	(void)state;
	uint32_t f[IX_COUNT] = { 0 };
	f[IX_MODE] = CPIO_S_IFREG | 0644;
	f[IX_NLINK] = 1;
	f[IX_NAMESIZE] = 8;
	struct img *m = img_new();
	img_entry(m, NEWC, CPIO_S_IFDIR | 0755, "d", NULL, 0);
	size_t at = img_raw(m, NEWC, f, "abc\0evil", 8, NULL, 0);
	img_trailer(m, NEWC);
	expect_fault(m, 1, FWK_ERR_BADFIELD, "name", at + CPIO_HEADER_SIZE);
	free(m);
}

/* NULs after the name's NUL, inside c_namesize, are padding (what aligned
 * writers make); the name ends at the first NUL. */
static void test_name_nul_padded(void **state)
{
	(void)state;
	uint32_t f[IX_COUNT] = { 0 };
	f[IX_MODE] = CPIO_S_IFREG | 0644;
	f[IX_NLINK] = 1;
	f[IX_NAMESIZE] = 10;
	f[IX_FILESIZE] = 2;
	struct img *m = img_new();
	img_raw(m, NEWC, f, "abc\0\0\0\0\0\0\0", 10, "ok", 2);
	img_trailer(m, NEWC);

	struct cpio_reader r;
	struct cpio_entry e;
	cpio_reader_init(&r, m->b, m->len, 0);
	assert_int_equal(cpio_next_entry(&r, &e), 1);
	assert_int_equal(e.namelen, 3);
	assert_int_equal(e.data_offset, 120);
	assert_memory_equal(e.data, "ok", 2);
	free(m);
}

static void test_empty_name(void **state)
{
	(void)state;
	uint32_t f[IX_COUNT] = { 0 };
	f[IX_MODE] = CPIO_S_IFREG | 0644;
	f[IX_NLINK] = 1;
	f[IX_NAMESIZE] = 1;
	struct img *m = img_new();
	img_entry(m, NEWC, CPIO_S_IFDIR | 0755, "d", NULL, 0);
	size_t at = img_raw(m, NEWC, f, "", 1, NULL, 0);
	img_trailer(m, NEWC);
	expect_fault(m, 1, FWK_ERR_BADFIELD, "name", at + CPIO_HEADER_SIZE);

	/* an empty name padded with NULs is still empty */
	img_set_field(m, at, IX_NAMESIZE, 4);
	expect_fault(m, 1, FWK_ERR_BADFIELD, "name", at + CPIO_HEADER_SIZE);
	free(m);
}

static void test_filesize_past_end(void **state)
{
	(void)state;
	size_t hdr;
	struct img *m = victim_file(&hdr);
	const uint64_t data_off = hdr + 120; /* 110 + "etc/motd\0" -> 120 */

	img_set_field(m, hdr, IX_FILESIZE, (uint32_t)(m->len - data_off + 1));
	expect_fault(m, 1, FWK_ERR_TRUNCATED, "c_filesize", hdr + FIELD_AT(IX_FILESIZE));

	/* exactly to the end of the input is fine (the trailer becomes data) */
	img_set_field(m, hdr, IX_FILESIZE, (uint32_t)(m->len - data_off));
	expect_fault(m, 2, FWK_ERR_TRUNCATED, "c_magic", m->len);
	free(m);
}

static void test_directory_with_data(void **state)
{
	(void)state;
	size_t hdr;
	struct img *m = victim(NEWC, CPIO_S_IFDIR | 0755, "dir", "data", 4, &hdr);
	expect_fault(m, 1, FWK_ERR_BADFIELD, "c_filesize", hdr + FIELD_AT(IX_FILESIZE));
	free(m);
}

static void test_symlink_empty_target(void **state)
{
	(void)state;
	size_t hdr;
	struct img *m = victim(NEWC, CPIO_S_IFLNK | 0777, "link", NULL, 0, &hdr);
	expect_fault(m, 1, FWK_ERR_BADFIELD, "c_filesize", hdr + FIELD_AT(IX_FILESIZE));
	free(m);
}

static void test_symlink_target_too_long(void **state)
{
	(void)state;
	static char target[CPIO_NAME_MAX + 1];
	size_t hdr;

	memset(target, 't', sizeof(target));
	struct img *m = victim(NEWC, CPIO_S_IFLNK | 0777, "link", target,
			       CPIO_NAME_MAX + 1, &hdr);
	expect_fault(m, 1, FWK_ERR_BADFIELD, "c_filesize", hdr + FIELD_AT(IX_FILESIZE));
	free(m);

	m = victim(NEWC, CPIO_S_IFLNK | 0777, "link", target, CPIO_NAME_MAX, &hdr);
	assert_int_equal(walk_ok(m->b, m->len), 2);
	free(m);
}

static void test_unknown_file_type(void **state)
{
	(void)state;
	size_t hdr;

	for (uint32_t type = 0; type <= 017; type++) {
		const uint32_t mode = type << 12 | 0644;
		bool known = false;
		switch (mode & CPIO_S_IFMT) {
		case CPIO_S_IFREG: case CPIO_S_IFDIR: case CPIO_S_IFLNK:
		case CPIO_S_IFCHR: case CPIO_S_IFBLK: case CPIO_S_IFIFO:
		case CPIO_S_IFSOCK:
			known = true;
		}
		/* a 1-byte body suits every known type but a directory */
		struct img *m = victim(NEWC, mode, "node", "x",
				       (mode & CPIO_S_IFMT) == CPIO_S_IFDIR ? 0 : 1, &hdr);
		if (known)
			assert_int_equal(walk_ok(m->b, m->len), 2);
		else
			expect_fault(m, 1, FWK_ERR_BADFIELD, "c_mode", hdr + FIELD_AT(IX_MODE));
		free(m);
	}
}

static void test_entry_cap(void **state)
{
	(void)state;
	struct img *m = img_new();
	img_entry(m, NEWC, CPIO_S_IFDIR | 0755, "a", NULL, 0);
	img_entry(m, NEWC, CPIO_S_IFDIR | 0755, "b", NULL, 0);
	size_t third = img_entry(m, NEWC, CPIO_S_IFDIR | 0755, "c", NULL, 0);
	img_trailer(m, NEWC);

	expect_fault_cap(m->b, m->len, 2, 2, FWK_ERR_LIMIT, "entries", third);
	expect_fault_cap(m->b, m->len, 0, 0, FWK_ERR_LIMIT, "entries", 0);
	assert_int_equal(walk_ok(m->b, m->len), 3);
	free(m);
}

/* Sizes of 0xffffffff everywhere fail cleanly; nothing is read past the
 * input (the buffers are exact heap copies, so ASan would see it). */
static void test_absurd_sizes(void **state)
{
	(void)state;
	size_t hdr;
	struct img *m;
	const uint32_t big = 0xffffffff;

	m = victim(NEWC, CPIO_S_IFREG | 0644, "f", "x", 1, &hdr);
	img_set_field(m, hdr, IX_FILESIZE, big);
	expect_fault(m, 1, FWK_ERR_TRUNCATED, "c_filesize", hdr + FIELD_AT(IX_FILESIZE));
	free(m);

	m = victim(CRC, CPIO_S_IFREG | 0644, "f", "x", 1, &hdr); /* no sum over it */
	img_set_field(m, hdr, IX_FILESIZE, big);
	expect_fault(m, 1, FWK_ERR_TRUNCATED, "c_filesize", hdr + FIELD_AT(IX_FILESIZE));
	free(m);

	m = victim(NEWC, CPIO_S_IFLNK | 0777, "l", "x", 1, &hdr);
	img_set_field(m, hdr, IX_FILESIZE, big);
	expect_fault(m, 1, FWK_ERR_TRUNCATED, "c_filesize", hdr + FIELD_AT(IX_FILESIZE));
	free(m);

	m = victim(NEWC, CPIO_S_IFDIR | 0755, "d", NULL, 0, &hdr);
	img_set_field(m, hdr, IX_FILESIZE, big);
	expect_fault(m, 1, FWK_ERR_TRUNCATED, "c_filesize", hdr + FIELD_AT(IX_FILESIZE));
	free(m);

	/* every field at its maximum: c_namesize is the first to be judged */
	m = victim_file(&hdr);
	for (int ix = 0; ix < IX_COUNT; ix++)
		img_set_field(m, hdr, ix, big);
	expect_fault(m, 1, FWK_ERR_LIMIT, "c_namesize", hdr + FIELD_AT(IX_NAMESIZE));
	free(m);

	/* ... and c_namesize valid: the data size is next */
	m = victim_file(&hdr);
	for (int ix = 0; ix < IX_COUNT; ix++)
		if (ix != IX_NAMESIZE)
			img_set_field(m, hdr, ix, big);
	expect_fault(m, 1, FWK_ERR_TRUNCATED, "c_filesize", hdr + FIELD_AT(IX_FILESIZE));
	free(m);

	/* the fields that are only numbers hold their maximum unharmed */
	m = victim_file(&hdr);
	static const int numbers[] = { IX_INO, IX_UID, IX_GID, IX_NLINK, IX_MTIME,
				       IX_DEVMAJOR, IX_DEVMINOR, IX_RDEVMAJOR,
				       IX_RDEVMINOR, IX_CHECK };
	for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++)
		img_set_field(m, hdr, numbers[i], big);
	struct cpio_reader r;
	struct cpio_entry e;
	cpio_reader_init(&r, m->b, m->len, 0);
	assert_int_equal(cpio_next_entry(&r, &e), 1);
	assert_int_equal(cpio_next_entry(&r, &e), 1);
	assert_int_equal(e.st.ino, big);
	assert_int_equal(e.st.uid, big);
	assert_int_equal(e.st.gid, big);
	assert_int_equal(e.st.nlink, big);
	assert_int_equal(e.st.mtime, big);
	assert_int_equal(e.st.devmajor, big);
	assert_int_equal(e.st.devminor, big);
	assert_int_equal(e.st.rdevmajor, big);
	assert_int_equal(e.st.rdevminor, big);
	assert_int_equal(e.st.check, big);
	assert_int_equal(cpio_next_entry(&r, &e), 0);
	free(m);
}

/* A start past the input is clamped to its end. */
static void test_reader_start_past_end(void **state)
{
	(void)state;
	uint8_t *b = exact_copy("0707010000", 10);
	struct cpio_reader r;
	struct cpio_entry e;

	cpio_reader_init(&r, b, 10, 1000);
	assert_int_equal(r.off, 10);
	assert_int_equal(cpio_next_entry(&r, &e), FWK_ERR_TRUNCATED);
	assert_int_equal(r.fault.offset, 10);
	free(b);
}

static void test_strerror(void **state)
{
	(void)state;
	for (int c = FWK_OK; c >= FWK_ERR_UNSUPPORTED; c--) {
		assert_non_null(fwk_strerror(c));
		assert_string_not_equal(fwk_strerror(c), "unknown error");
	}
	assert_string_equal(fwk_strerror(-1000), "unknown error");
	assert_string_equal(fwk_strerror(1), "unknown error");
}

#define NONHEX(ix, field) { .name = "test_nonhex_" field, \
				  .test_func = test_nonhex_field, \
				  .initial_state = &field_ix[ix] }

/* Path normalisation shared by extraction and building. */
static void test_name_normalise(void **state)
{
	(void)state;
	static const struct { const char *in; unsigned flags; int rc; const char *out; } c[] = {
		{ "./a//b/./c/", 0, 5, "a/b/c" },   { ".", 0, 0, "" },
		{ "./", 0, 0, "" },                 { "...", 0, 3, "..." },
		{ "a/.hidden", 0, 9, "a/.hidden" }, { "/abs", 0, FWK_ERR_BADNAME, NULL },
		{ "//abs/x", CPIO_NAME_STRIP_ROOT, 5, "abs/x" },
		{ "a/../b", 0, FWK_ERR_BADNAME, NULL }, { "a/..", 0, FWK_ERR_BADNAME, NULL },
		{ "..", CPIO_NAME_STRIP_ROOT, FWK_ERR_BADNAME, NULL }, { "", 0, 0, "" },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		char out[64];
		uint32_t len = (uint32_t)strlen(c[i].in);
		int rc = cpio_name_normalise(c[i].in, len, out, sizeof(out), c[i].flags);
		if (rc != c[i].rc)
			fail_msg("'%s': %d, want %d", c[i].in, rc, c[i].rc);
		if (rc >= 0)
			assert_string_equal(out, c[i].out);
	}
	/* In place, and exactly enough room versus one byte short. */
	char buf[] = "./x//yy/";
	assert_int_equal(cpio_name_normalise(buf, 8, buf, 5, 0), 4);
	assert_string_equal(buf, "x/yy");
	char small[4];
	assert_int_equal(cpio_name_normalise("x/yy", 4, small, 4, 0), FWK_ERR_NOSPACE);
	assert_int_equal(cpio_name_normalise(".", 1, small, 0, 0), FWK_ERR_NOSPACE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_entry_kinds),
		cmocka_unit_test(test_name_normalise),
		cmocka_unit_test(test_align16_data_offset),
		cmocka_unit_test(test_align16_gnu_cpio_extracts),
		cmocka_unit_test(test_reads_gnu_cpio_newc),
		cmocka_unit_test(test_header_size_rules),
		cmocka_unit_test(test_write_header_nospace),
		cmocka_unit_test(test_writer_name_limits),
		cmocka_unit_test(test_writer_rejects_bad_base_and_align),
		cmocka_unit_test(test_finish_block_512),
		cmocka_unit_test(test_finish_block_0_and_4),
		cmocka_unit_test(test_nospace_leaves_writer_usable),
		cmocka_unit_test(test_nospace_retry_in_bigger_buffer),
		cmocka_unit_test(test_writer_deterministic),
		cmocka_unit_test(test_trailer_ends_archive),
		cmocka_unit_test(test_trailer_name_exact),
		cmocka_unit_test(test_trailer_not_counted_by_cap),
		cmocka_unit_test(test_trailer_padding_cut),
		cmocka_unit_test(test_trailer_then_second_archive),
		cmocka_unit_test(test_archive_without_trailer),
		cmocka_unit_test(test_writer_refuses_trailer_name),
		cmocka_unit_test(test_crc_sum),
		cmocka_unit_test(test_crc_format_read),
		cmocka_unit_test(test_crc_ignored_for_non_regular),
		cmocka_unit_test(test_crc_bad_checksum),
		cmocka_unit_test(test_crc_gnu_cpio),
		cmocka_unit_test(test_truncated_header_short),
		cmocka_unit_test(test_truncated_header_magic),
		cmocka_unit_test(test_every_prefix_truncated),
		cmocka_unit_test(test_bad_magic),
		NONHEX(IX_INO, "c_ino"),
		NONHEX(IX_MODE, "c_mode"),
		NONHEX(IX_UID, "c_uid"),
		NONHEX(IX_GID, "c_gid"),
		NONHEX(IX_NLINK, "c_nlink"),
		NONHEX(IX_MTIME, "c_mtime"),
		NONHEX(IX_FILESIZE, "c_filesize"),
		NONHEX(IX_DEVMAJOR, "c_devmajor"),
		NONHEX(IX_DEVMINOR, "c_devminor"),
		NONHEX(IX_RDEVMAJOR, "c_rdevmajor"),
		NONHEX(IX_RDEVMINOR, "c_rdevminor"),
		NONHEX(IX_NAMESIZE, "c_namesize"),
		NONHEX(IX_CHECK, "c_check"),
		cmocka_unit_test(test_namesize_zero),
		cmocka_unit_test(test_namesize_over_limit),
		cmocka_unit_test(test_namesize_at_limit),
		cmocka_unit_test(test_namesize_past_end),
		cmocka_unit_test(test_name_not_nul_terminated),
		cmocka_unit_test(test_name_last_byte_not_nul),
		cmocka_unit_test(test_name_nul_padded),
		cmocka_unit_test(test_empty_name),
		cmocka_unit_test(test_filesize_past_end),
		cmocka_unit_test(test_directory_with_data),
		cmocka_unit_test(test_symlink_empty_target),
		cmocka_unit_test(test_symlink_target_too_long),
		cmocka_unit_test(test_unknown_file_type),
		cmocka_unit_test(test_entry_cap),
		cmocka_unit_test(test_absurd_sizes),
		cmocka_unit_test(test_reader_start_past_end),
		cmocka_unit_test(test_strerror),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/* fuzz_initrd.c - libFuzzer harness: the segment scanner and cpio reader
 * over arbitrary images, and (first byte 'W') a cpio writer round trip. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fwkit/initrd.h>

#include "fuzzkit.h"

/* Built together with every initrd-tools source (hosted files included), so
 * everything here but the entry point is static. */

#define WRITER_MODE 'W'
#define MAX_RECORDS 64

static bool known_type(uint32_t mode)
{
	switch (mode & CPIO_S_IFMT) {
	case CPIO_S_IFREG: case CPIO_S_IFDIR: case CPIO_S_IFLNK:
	case CPIO_S_IFCHR: case CPIO_S_IFBLK: case CPIO_S_IFIFO:
	case CPIO_S_IFSOCK:
		return true;
	}
	return false;
}

/* What cpio.h promises of every entry cpio_next_entry() returns. */
static void check_entry(const uint8_t *buf, uint64_t len, const struct cpio_entry *e)
{
	CHECK(e->offset <= len && CPIO_HEADER_SIZE <= len - e->offset);
	CHECK(e->name == (const char *)buf + e->offset + CPIO_HEADER_SIZE);
	CHECK(e->namelen > 0 && e->namelen < CPIO_NAME_MAX);
	CHECK(memchr(e->name, 0, e->namelen) == NULL);
	CHECK(e->name[e->namelen] == '\0');
	CHECK(!cpio_is_trailer(e->name, e->namelen));
	CHECK(e->data_offset % 4 == 0);
	CHECK(e->data_offset >= e->offset + CPIO_HEADER_SIZE + e->namelen + 1);
	CHECK(e->data_offset <= len && e->st.size <= len - e->data_offset);
	CHECK(e->data == buf + e->data_offset);
	CHECK(e->format == CPIO_NEWC || e->format == CPIO_CRC);
	CHECK(known_type(e->st.mode));
	if ((e->st.mode & CPIO_S_IFMT) == CPIO_S_IFDIR)
		CHECK(e->st.size == 0);
	if ((e->st.mode & CPIO_S_IFMT) == CPIO_S_IFLNK)
		CHECK(e->st.size >= 1 && e->st.size <= CPIO_NAME_MAX);
	if (e->format == CPIO_CRC && (e->st.mode & CPIO_S_IFMT) == CPIO_S_IFREG)
		CHECK(cpio_crc_sum(e->data, e->st.size) == e->st.check);
	sink += touch(e->name, e->namelen) + touch(e->data, e->st.size);

	/* Normalising a name never grows it and leaves no "." or ".." part,
	 * no empty part, and no slash at either end. */
	char norm[CPIO_NAME_MAX + 1];
	int n = cpio_name_normalise(e->name, e->namelen, norm, sizeof(norm), 0);
	CHECK(n == FWK_ERR_BADNAME || (n >= 0 && (uint32_t)n <= e->namelen));
	if (n > 0) {
		CHECK(norm[0] != '/' && norm[n - 1] != '/' && norm[n] == '\0');
		CHECK(strstr(norm, "//") == NULL && strcmp(norm, ".") != 0);
		CHECK(strncmp(norm, "./", 2) != 0 && strncmp(norm, "../", 3) != 0);
		CHECK(strstr(norm, "/./") == NULL && strstr(norm, "/../") == NULL);
	}
}

/* Walk one archive the scanner accepted: the same entries, the same end. */
static void walk_segment(const uint8_t *buf, uint64_t len, const struct initrd_segment *g)
{
	struct cpio_reader r;
	struct cpio_entry e;
	uint32_t n = 0;
	int rc;

	cpio_reader_init(&r, buf, len, g->offset);
	while ((rc = cpio_next_entry(&r, &e)) == 1) {
		CHECK(e.offset >= g->offset);
		check_entry(buf, len, &e);
		CHECK(r.off > e.offset && r.off <= len);
		n++;
	}
	CHECK(rc == 0);
	CHECK(n == g->entries && r.count == n);
	CHECK(r.off == g->offset + g->length);
}

/* The reader alone from offset 0, on through consecutive archives, until an
 * error: faults are well formed and never move the cursor. */
static void walk_reader(const uint8_t *buf, uint64_t len, uint32_t max_entries)
{
	struct cpio_reader r;
	struct cpio_entry e;
	int rc;

	cpio_reader_init(&r, buf, len, 0);
	r.max_entries = max_entries;
	for (;;) {
		const uint64_t at = r.off;
		rc = cpio_next_entry(&r, &e);
		if (rc == 1) {
			check_entry(buf, len, &e);
			CHECK(e.offset == at && r.off > at && r.off <= len);
			continue;
		}
		if (rc == 0) {
			CHECK(r.off > at && r.off <= len);
			continue; /* the next archive, if any */
		}
		check_fault(&r.fault, rc, len);
		CHECK(r.off == at);
		CHECK(r.fault.offset >= at);
		CHECK(cpio_next_entry(&r, &e) == rc && r.off == at);
		return;
	}
}

/* One scan of the whole image with a segment cap; the segments found go to
 * segs[0..*n) and the scanner's last answer is returned (1 if the scan was
 * left after a compressed stream with no archive behind it). */
static int scan_pass(const uint8_t *buf, size_t len, uint32_t max_segments,
		     struct initrd_segment *segs, uint32_t *n, struct fwk_fault *fault)
{
	struct initrd_scanner s;
	struct initrd_segment g;
	int rc;

	initrd_scan_init(&s, buf, len);
	s.max_segments = max_segments;
	*n = 0;
	for (;;) {
		const uint64_t before = s.off;
		rc = initrd_next_segment(&s, &g);
		if (rc <= 0)
			break;
		CHECK(*n < max_segments && s.segments == *n + 1);
		segs[(*n)++] = g;
		CHECK(g.offset >= before && g.padding == g.offset - before);
		for (uint64_t i = before; i < g.offset; i++)
			CHECK(buf[i] == 0);
		CHECK(g.offset < len && g.length > 0 && g.length <= len - g.offset);
		CHECK(initrd_detect(buf + g.offset, len - g.offset) == g.format);
		CHECK(g.format != INITRD_UNKNOWN);
		sink += touch(initrd_format_name(g.format), strlen(initrd_format_name(g.format)));
		if (g.format == INITRD_CPIO) {
			CHECK(s.off == g.offset + g.length);
			walk_segment(buf, len, &g);
			continue;
		}
		CHECK(g.entries == 0);
		CHECK(g.length == len - g.offset && s.off == len);
		/* Play the decompressor: say the stream ended just before the
		 * next 4-aligned cpio magic, and go on from there. */
		uint64_t next = (g.offset + 4) & ~(uint64_t)3;
		while (next + 6 <= len && memcmp(buf + next, "07070", 5) != 0)
			next += 4;
		if (next + 6 > len)
			break;
		CHECK(initrd_scan_seek(&s, next) == 0 && s.off == next);
	}
	if (rc < 0) {
		check_fault(&s.fault, rc, len);
		CHECK(initrd_next_segment(&s, &g) == rc); /* no progress on error */
		*fault = s.fault;
	} else if (rc == 0) {
		CHECK(s.off == len);
	}
	CHECK(initrd_scan_seek(&s, (uint64_t)len + 1) == FWK_ERR_INVAL);
	return rc;
}

static void fuzz_scan(const uint8_t *buf, size_t len)
{
	static struct initrd_segment all[INITRD_MAX_SEGMENTS], two[2];
	struct fwk_fault fa = { 0 }, ft = { 0 };
	uint32_t na, nt;

	const int ra = scan_pass(buf, len, INITRD_MAX_SEGMENTS, all, &na, &fa);
	/* A cap of two: the same first segments, then the cap where the scan
	 * went on to look at a third (the cap is checked before the bytes
	 * are), else the same end. */
	const int rt = scan_pass(buf, len, 2, two, &nt, &ft);
	CHECK(nt == (na < 2 ? na : 2));
	for (uint32_t i = 0; i < nt; i++)
		CHECK(all[i].offset == two[i].offset && all[i].length == two[i].length &&
		      all[i].padding == two[i].padding && all[i].format == two[i].format &&
		      all[i].entries == two[i].entries);
	if (na > 2 || (na == 2 && ra < 0)) {
		CHECK(rt == FWK_ERR_LIMIT && strcmp(ft.field, "segments") == 0);
		CHECK(na > 2 ? ft.offset == all[2].offset : ft.offset <= fa.offset);
	} else {
		CHECK(rt == ra);
		if (ra < 0)
			CHECK(ft.offset == fa.offset && ft.field == fa.field);
	}

	walk_reader(buf, len, CPIO_DEFAULT_MAX_ENTRIES);
	walk_reader(buf, len, 2);
}

/* ============================ writer mode ============================ */

struct src {
	const uint8_t *p;
	size_t n;
};

static uint8_t take8(struct src *s)
{
	if (!s->n)
		return 0;
	s->n--;
	return *s->p++;
}

static uint32_t take16(struct src *s)
{
	uint32_t lo = take8(s);
	return lo | (uint32_t)take8(s) << 8;
}

static uint32_t take32(struct src *s)
{
	uint32_t lo = take16(s);
	return lo | take16(s) << 16;
}

static const uint8_t *take(struct src *s, size_t *n)
{
	const uint8_t *p = s->p;

	if (*n > s->n)
		*n = s->n;
	s->p += *n;
	s->n -= *n;
	return p;
}

/* The writer's size rules, computed apart from cpio_write.c.  The size of a
 * header depends only on the stream offset modulo the alignment. */
static int64_t expect_header_size(uint64_t pos, size_t namelen, uint32_t align)
{
	if (namelen == 0 || (pos & 3))
		return FWK_ERR_INVAL;
	if (align != 0 && (align < 4 || (align & (align - 1))))
		return FWK_ERR_INVAL;
	if (namelen >= CPIO_NAME_MAX)
		return FWK_ERR_LIMIT;
	const uint64_t a = align > 4 ? align : 4;
	const uint64_t rel = pos & (a - 1);
	const uint64_t name_end = rel + CPIO_HEADER_SIZE + namelen + 1;
	const uint64_t data = (name_end + a - 1) & ~(a - 1);
	/* Alignment NULs beyond 4 count in c_namesize, the last 0..3 do not. */
	if (a > 4 && data - rel - CPIO_HEADER_SIZE > CPIO_NAME_MAX)
		return FWK_ERR_LIMIT;
	return (int64_t)(data - rel);
}

/* ... and of one whole entry in the writer: header, data, padding. */
static int expect_add(const struct cpio_writer *w, size_t namelen, uint32_t align,
		      uint32_t size, uint64_t *need)
{
	const uint64_t pos = w->base + w->off;
	int64_t h = expect_header_size(pos, namelen, align);

	if (h < 0)
		return (int)h;
	*need = ((pos + (uint64_t)h + size + 3) & ~(uint64_t)3) - pos;
	return *need > w->cap - w->off ? FWK_ERR_NOSPACE : 0;
}

static int expect_finish(const struct cpio_writer *w, uint32_t block, uint64_t *need)
{
	const uint64_t pos = w->base + w->off;

	if (block & (block - 1))
		return FWK_ERR_INVAL;
	if (pos & 3)
		return FWK_ERR_INVAL;
	*need = CPIO_HEADER_SIZE + sizeof(CPIO_TRAILER) + 3; /* 110 + 11 -> 124 */
	if (block)
		*need += (block - ((pos + *need) & (block - 1))) & (block - 1);
	return *need > w->cap - w->off ? FWK_ERR_NOSPACE : 0;
}

static bool writer_same(const struct cpio_writer *a, const struct cpio_writer *b)
{
	return a->buf == b->buf && a->cap == b->cap && a->off == b->off &&
	       a->base == b->base && a->ino == b->ino && a->mtime == b->mtime;
}

struct record {
	char *name;
	size_t namelen;
	struct cpio_stat st;
	const uint8_t *data;
	uint32_t align;
};

static const uint32_t aligns[8] = { 0, 4, 16, 64, 512, 4096, 2, 24 };
static const uint32_t blocks[8] = { 0, 1, 4, 16, 512, 4096, 3, 100 };
static const uint32_t types[8] = {
	CPIO_S_IFREG, CPIO_S_IFDIR, CPIO_S_IFLNK, CPIO_S_IFCHR,
	CPIO_S_IFBLK, CPIO_S_IFIFO, CPIO_S_IFSOCK, CPIO_S_IFREG,
};

/* Add one entry described by the input; 1 if it was added and recorded. */
static int add_record(struct src *s, struct cpio_writer *w, uint8_t *shadow,
		      uint64_t probe, struct record *rec)
{
	const uint8_t kind = take8(s), flags = take8(s);
	const uint32_t perm = take16(s);
	const uint32_t nfield = take16(s);
	size_t namelen = nfield & 0x1fff;
	const uint8_t *nm = take(s, &namelen);
	size_t size = take16(s);
	const uint8_t *d = take(s, &size);
	uint32_t align = aligns[flags & 7];

	/* The writer takes C strings: the name ends at its first NUL.  With
	 * bit 15 set the name is the bytes given repeated to the length asked
	 * for, so that names near CPIO_NAME_MAX cost no input. */
	const size_t want_len = (nfield & 0x8000) && namelen ? (nfield & 0x1fff) : namelen;
	char *name = malloc(want_len + 1);
	CHECK(name != NULL);
	for (size_t i = 0; i < want_len; i++)
		name[i] = (char)nm[i % namelen];
	name[want_len] = '\0';
	namelen = strlen(name);

	struct cpio_stat st = { .mtime = w->mtime };
	const struct cpio_writer before = *w;
	int rc;

	switch (kind % 3) {
	case 0:
		st.mode = CPIO_S_IFDIR | (perm & 07777);
		st.nlink = 2;
		d = NULL;
		size = 0;
		align = 0;
		rc = cpio_writer_add_dir(w, name, perm);
		break;
	case 1:
		st.mode = CPIO_S_IFREG | (perm & 07777);
		st.nlink = 1;
		rc = cpio_writer_add_file(w, name, perm, d, (uint32_t)size, align);
		break;
	default: {
		st.mode = types[flags >> 5] | (perm & 07777);
		st.uid = take16(s);
		st.gid = take16(s);
		st.nlink = take8(s);
		st.mtime = take32(s);
		st.devmajor = take8(s);
		st.devminor = take8(s);
		st.rdevmajor = take16(s);
		st.rdevminor = take16(s);
		if ((st.mode & CPIO_S_IFMT) == CPIO_S_IFDIR) {
			d = NULL;
			size = 0;
		} else if ((st.mode & CPIO_S_IFMT) == CPIO_S_IFLNK) {
			if (size == 0) {
				d = (const uint8_t *)".";
				size = 1;
			}
			if (size > CPIO_NAME_MAX)
				size = CPIO_NAME_MAX;
		}
		st.size = (uint32_t)size;
		struct cpio_stat given = st;
		given.ino = 0xdeadbeef; /* replaced by the writer */
		given.check = 0x12345678; /* newc: written as 0 */
		rc = cpio_writer_add(w, name, &given, d, align);
		break;
	}
	}
	st.size = (uint32_t)size;

	/* The header size rules hold at any stream offset, however large, and
	 * the encoder writes exactly that many bytes or refuses. */
	const int64_t hsize = expect_header_size(probe, namelen, align);
	CHECK(cpio_header_size(probe, (uint32_t)namelen, align) == hsize);
	uint64_t hcap = 200; /* or exactly the header's size, or a byte short */
	if (hsize > 0 && !(flags & 0x10))
		hcap = (uint64_t)hsize - (flags >> 3 & 1);
	uint8_t *hbuf = malloc(hcap);
	CHECK(hbuf != NULL);
	const int64_t hrc = cpio_write_header(hbuf, hcap, probe, &st, name,
					      (uint32_t)namelen, align);
	if (hsize < 0)
		CHECK(hrc == hsize);
	else if ((uint64_t)hsize > hcap)
		CHECK(hrc == FWK_ERR_NOSPACE);
	else {
		CHECK(hrc == hsize && memcmp(hbuf, "070701", 6) == 0);
		CHECK(memcmp(hbuf + CPIO_HEADER_SIZE, name, namelen) == 0);
		for (int64_t i = CPIO_HEADER_SIZE + (int64_t)namelen; i < hrc; i++)
			CHECK(hbuf[i] == 0);
	}
	free(hbuf);

	/* Whatever happened, bytes already written stay as they were. */
	CHECK(memcmp(w->buf, shadow, before.off) == 0);

	uint64_t need = 0;
	const int want = expect_add(&before, namelen, align, (uint32_t)size, &need);
	if (cpio_is_trailer(name, (uint32_t)namelen))
		/* An entry named TRAILER!!! would end the archive early for
		 * every reader: the writer must refuse it, for whatever reason. */
		CHECK(rc < 0);
	else
		CHECK(rc == want);
	if (rc != 0) {
		CHECK(writer_same(w, &before));
		free(name);
		return 0;
	}
	CHECK(w->off == before.off + need && w->ino == before.ino + 1);
	memcpy(shadow + before.off, w->buf + before.off, need);
	*rec = (struct record){ name, namelen, st, d, align };
	rec->st.ino = w->ino;
	return 1;
}

static void fuzz_write(const uint8_t *in, size_t n)
{
	struct src s = { in, n };
	const uint64_t cap = ((uint64_t)take8(&s) + 1) * 32; /* 32 .. 8192 */
	const uint8_t b = take8(&s);
	/* Mostly a 4-aligned stream offset; sometimes one the writer refuses. */
	const uint64_t base = (uint64_t)(b & 0x3f) * 4 + ((b & 0xc0) == 0xc0 ? 2 : 0);
	const uint32_t mtime = take32(&s);
	const uint32_t block = blocks[take8(&s) & 7];
	uint64_t probe = take32(&s);
	probe = (probe << 32 | take32(&s)) & ~(uint64_t)3;

	/* Exactly `cap` bytes of heap: ASan sees any write past them. */
	uint8_t *buf = malloc(cap);
	uint8_t *shadow = malloc(cap);
	struct record *recs = calloc(MAX_RECORDS, sizeof(*recs));
	CHECK(buf && shadow && recs);
	memset(buf, 0xa5, cap);

	struct cpio_writer w;
	size_t nrec = 0;
	cpio_writer_init(&w, buf, cap, base, mtime);
	while (s.n > 0 && nrec < MAX_RECORDS)
		nrec += (size_t)add_record(&s, &w, shadow, probe, &recs[nrec]);

	/* The trailer: the block asked for, or failing that none. */
	uint64_t need = 0;
	struct cpio_writer before = w;
	int rc = cpio_writer_finish(&w, block);
	CHECK(rc == expect_finish(&before, block, &need));
	CHECK(memcmp(buf, shadow, before.off) == 0);
	uint32_t used_block = block;
	if (rc != 0) {
		CHECK(writer_same(&w, &before));
		used_block = 0;
		rc = cpio_writer_finish(&w, 0);
		CHECK(rc == expect_finish(&before, 0, &need));
		if (rc != 0)
			CHECK(writer_same(&w, &before));
	}
	const bool finished = rc == 0;
	if (finished)
		CHECK(w.off == before.off + need);
	if (used_block > 1 && finished)
		CHECK((w.base + w.off) % used_block == 0);

	/* Read it all back: every entry exactly as added. */
	struct cpio_reader r;
	struct cpio_entry e;
	cpio_reader_init(&r, buf, w.off, 0);
	for (size_t i = 0; i < nrec; i++) {
		const struct record *x = &recs[i];
		CHECK(cpio_next_entry(&r, &e) == 1);
		check_entry(buf, w.off, &e);
		CHECK(e.format == CPIO_NEWC);
		CHECK(e.namelen == x->namelen && memcmp(e.name, x->name, x->namelen) == 0);
		CHECK(e.st.ino == x->st.ino && e.st.ino == i + 1);
		CHECK(e.st.mode == x->st.mode && e.st.uid == x->st.uid &&
		      e.st.gid == x->st.gid && e.st.nlink == x->st.nlink &&
		      e.st.mtime == x->st.mtime && e.st.size == x->st.size &&
		      e.st.devmajor == x->st.devmajor && e.st.devminor == x->st.devminor &&
		      e.st.rdevmajor == x->st.rdevmajor &&
		      e.st.rdevminor == x->st.rdevminor && e.st.check == 0);
		CHECK(x->st.size == 0 || memcmp(e.data, x->data, x->st.size) == 0);
		CHECK((w.base + e.data_offset) % (x->align > 4 ? x->align : 4) == 0);
	}
	rc = cpio_next_entry(&r, &e);
	if (finished) {
		CHECK(rc == 0);
		for (uint64_t i = r.off; i < w.off; i++)
			CHECK(buf[i] == 0);
		/* and the scanner sees one archive and NULs */
		struct initrd_scanner sc;
		struct initrd_segment g;
		initrd_scan_init(&sc, buf, w.off);
		CHECK(initrd_next_segment(&sc, &g) == 1);
		CHECK(g.format == INITRD_CPIO && g.offset == 0 && g.entries == nrec);
		CHECK(initrd_next_segment(&sc, &g) == 0);
	} else {
		CHECK(rc == FWK_ERR_TRUNCATED && r.fault.offset == w.off);
	}

	for (size_t i = 0; i < nrec; i++)
		free(recs[i].name);
	free(recs);
	free(shadow);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 0 && data[0] == WRITER_MODE)
		fuzz_write(data + 1, size - 1);
	else
		fuzz_scan(data, size);
	return 0;
}

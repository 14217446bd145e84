/* SPDX-License-Identifier: MIT */
/* cpio_read.c - bounds-checked newc/crc cpio entry reader over a buffer. */
#include <fwkit/cpio.h>

/* The thirteen header fields after the 6-byte magic, in on-disk order. */
static const char *const cpio_field_names[13] = {
	"c_ino",      "c_mode",     "c_uid",       "c_gid",       "c_nlink",
	"c_mtime",    "c_filesize", "c_devmajor",  "c_devminor",  "c_rdevmajor",
	"c_rdevminor", "c_namesize", "c_check",
};

enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE, F_DEVMAJOR,
       F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK };

static uint64_t align4(uint64_t v)
{
	return (v + 3) & ~(uint64_t)3;
}

/* Parse exactly 8 hex digits; -1 if any is not one. */
static int parse_hex8(const uint8_t *p, uint32_t *out)
{
	uint32_t v = 0;

	for (int i = 0; i < 8; i++) {
		uint8_t c = p[i];
		uint32_t d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

int cpio_name_normalise(const char *name, uint32_t len, char *out, uint32_t cap,
			unsigned flags)
{
	uint32_t i = 0, o = 0;

	if (len && name[0] == '/' && !(flags & CPIO_NAME_STRIP_ROOT))
		return FWK_ERR_BADNAME;
	while (i < len) {
		while (i < len && name[i] == '/')
			i++;
		const uint32_t c = i;
		while (i < len && name[i] != '/')
			i++;
		const uint32_t clen = i - c;
		if (clen == 0 || (clen == 1 && name[c] == '.'))
			continue;
		if (clen == 2 && name[c] == '.' && name[c + 1] == '.')
			return FWK_ERR_BADNAME;
		if ((uint64_t)o + (o > 0) + clen + 1 > cap)
			return FWK_ERR_NOSPACE;
		/* Writing never overtakes reading: o < c whenever o > 0. */
		if (o > 0)
			out[o++] = '/';
		memmove(out + o, name + c, clen);
		o += clen;
	}
	if (cap == 0)
		return FWK_ERR_NOSPACE;
	out[o] = '\0';
	return (int)o;
}

bool cpio_is_trailer(const char *name, uint32_t namelen)
{
	return namelen == sizeof(CPIO_TRAILER) - 1 &&
	       memcmp(name, CPIO_TRAILER, namelen) == 0;
}

uint32_t cpio_crc_sum(const void *data, uint64_t len)
{
	const uint8_t *p = data;
	uint32_t sum = 0;

	for (uint64_t i = 0; i < len; i++)
		sum += p[i];
	return sum;
}

void cpio_reader_init(struct cpio_reader *r, const void *buf, uint64_t len,
		      uint64_t start)
{
	memset(r, 0, sizeof(*r));
	r->buf = buf;
	r->len = len;
	r->off = start <= len ? start : len;
	r->max_entries = CPIO_DEFAULT_MAX_ENTRIES;
}

const char *cpio_stat_problem(const struct cpio_stat *st, int *field_index)
{
	switch (st->mode & CPIO_S_IFMT) {
	case CPIO_S_IFREG: case CPIO_S_IFCHR: case CPIO_S_IFBLK:
	case CPIO_S_IFIFO: case CPIO_S_IFSOCK:
		return NULL;
	case CPIO_S_IFDIR:
		*field_index = F_FILESIZE;
		return st->size != 0 ? "a directory with data" : NULL;
	case CPIO_S_IFLNK:
		*field_index = F_FILESIZE;
		return st->size == 0 || st->size > CPIO_NAME_MAX
			       ? "symlink target empty or over 4096 bytes" : NULL;
	}
	*field_index = F_MODE;
	return "unknown file type";
}

int cpio_next_entry(struct cpio_reader *r, struct cpio_entry *e)
{
	struct fwk_fault *f = &r->fault;
	const uint64_t hdr = r->off;
	const uint64_t left = r->len - hdr; /* r->off <= r->len always */
	const uint8_t *h = r->buf + hdr;
	uint32_t v[13];

	if (left < 6)
		return fwk_fail(f, FWK_ERR_TRUNCATED, hdr, "c_magic",
				"archive ends without a TRAILER!!! entry");
	if (memcmp(h, "07070", 5) != 0 || (h[5] != '1' && h[5] != '2'))
		return fwk_fail(f, FWK_ERR_BADMAGIC, hdr, "c_magic",
				"not 070701 (newc) or 070702 (crc)");
	if (left < CPIO_HEADER_SIZE)
		return fwk_fail(f, FWK_ERR_TRUNCATED, hdr, "header",
				"fewer than 110 header bytes left");
	for (int i = 0; i < 13; i++)
		if (parse_hex8(h + 6 + 8 * i, &v[i]) != 0)
			return fwk_fail(f, FWK_ERR_BADFIELD, hdr + 6 + 8 * (unsigned)i,
					cpio_field_names[i],
					"not 8 hexadecimal digits");

	/* The name: 1..CPIO_NAME_MAX bytes including its NUL, inside the buffer. */
	const uint64_t name_off = hdr + CPIO_HEADER_SIZE;
	const uint32_t namesize = v[F_NAMESIZE];
	if (namesize == 0)
		return fwk_fail(f, FWK_ERR_BADFIELD, hdr + 6 + 8 * F_NAMESIZE,
				"c_namesize", "zero (the name's NUL counts)");
	if (namesize > CPIO_NAME_MAX)
		return fwk_fail(f, FWK_ERR_LIMIT, hdr + 6 + 8 * F_NAMESIZE,
				"c_namesize", "longer than 4096 bytes");
	if (namesize > r->len - name_off)
		return fwk_fail(f, FWK_ERR_TRUNCATED, hdr + 6 + 8 * F_NAMESIZE,
				"c_namesize", "name runs past the end of the input");
	const char *name = (const char *)r->buf + name_off;
	if (name[namesize - 1] != '\0')
		return fwk_fail(f, FWK_ERR_BADFIELD, name_off, "name",
				"last byte of c_namesize is not NUL");
	uint32_t namelen = 0;
	while (name[namelen] != '\0') /* NULs after the first are padding */
		namelen++;
	if (namelen == 0)
		return fwk_fail(f, FWK_ERR_BADFIELD, name_off, "name", "empty");

	/* The data: 4-byte aligned after the name, inside the buffer.  A final
	 * trailer without data may lose its padding, as the kernel allows. */
	const uint64_t data_off = align4(name_off + namesize);
	const uint32_t size = v[F_FILESIZE];
	const bool trailer = cpio_is_trailer(name, namelen);
	if ((data_off > r->len && !(trailer && size == 0)) ||
	    (data_off <= r->len && size > r->len - data_off))
		return fwk_fail(f, FWK_ERR_TRUNCATED, hdr + 6 + 8 * F_FILESIZE,
				"c_filesize", "data runs past the end of the input");
	if (trailer) {
		uint64_t end = align4(data_off + size);
		r->off = end <= r->len ? end : r->len;
		return 0;
	}

	const uint32_t mode = v[F_MODE];
	const struct cpio_stat st = {
		.ino = v[F_INO], .mode = mode, .uid = v[F_UID], .gid = v[F_GID],
		.nlink = v[F_NLINK], .mtime = v[F_MTIME], .size = size,
		.devmajor = v[F_DEVMAJOR], .devminor = v[F_DEVMINOR],
		.rdevmajor = v[F_RDEVMAJOR], .rdevminor = v[F_RDEVMINOR],
		.check = v[F_CHECK],
	};
	int bad = 0;
	const char *why = cpio_stat_problem(&st, &bad);
	if (why)
		return fwk_fail(f, FWK_ERR_BADFIELD, hdr + 6 + 8 * (unsigned)bad,
				cpio_field_names[bad], why);
	if (h[5] == '2' && (mode & CPIO_S_IFMT) == CPIO_S_IFREG &&
	    cpio_crc_sum(r->buf + data_off, size) != v[F_CHECK])
		return fwk_fail(f, FWK_ERR_CHECKSUM, hdr + 6 + 8 * F_CHECK,
				"c_check", "not the byte sum of the data");
	if (r->count >= r->max_entries)
		return fwk_fail(f, FWK_ERR_LIMIT, hdr, "entries",
				"more entries than the reader's cap");

	e->offset = hdr;
	e->data_offset = data_off;
	e->name = name;
	e->namelen = namelen;
	e->data = r->buf + data_off;
	e->format = h[5] == '2' ? CPIO_CRC : CPIO_NEWC;
	e->st = st;
	/* The last entry's data padding may be missing at the end of input. */
	uint64_t next = align4(data_off + size);
	r->off = next <= r->len ? next : r->len;
	r->count++;
	return 1;
}

/* SPDX-License-Identifier: MIT */
/*
 * fwkit/cpio.h - newc ("070701") and crc ("070702") cpio reader and writer.
 *
 * This is the format the Linux kernel unpacks into its initial rootfs
 * (Documentation/driver-api/early-userspace/buffer-format.rst).  An entry is
 * a 110-byte ASCII header of thirteen 8-digit hex fields, the NUL-terminated
 * name, NUL padding to a multiple of 4, the data, and NUL padding to a
 * multiple of 4.  An archive ends with an entry named "TRAILER!!!".
 *
 * Core module: no allocation, no I/O.  The reader works over a caller's
 * buffer with a resumable cursor; the writer encodes into caller buffers.
 */
#ifndef FWKIT_CPIO_H
#define FWKIT_CPIO_H

#include <fwkit/error.h>

#define CPIO_HEADER_SIZE 110u
#define CPIO_NAME_MAX 4096u              /* c_namesize cap, as the kernel's PATH_MAX */
#define CPIO_DEFAULT_MAX_ENTRIES (1u << 20)
#define CPIO_TRAILER "TRAILER!!!"

/* File types in c_mode (the values of POSIX S_IF*, fixed by the format). */
#define CPIO_S_IFMT 0170000u
#define CPIO_S_IFSOCK 0140000u
#define CPIO_S_IFLNK 0120000u
#define CPIO_S_IFREG 0100000u
#define CPIO_S_IFBLK 0060000u
#define CPIO_S_IFDIR 0040000u
#define CPIO_S_IFCHR 0020000u
#define CPIO_S_IFIFO 0010000u

enum cpio_format {
	CPIO_NEWC = 1, /* "070701" */
	CPIO_CRC = 2   /* "070702": c_check is the byte sum of the data */
};

/* The numeric fields of a header, as stored. */
struct cpio_stat {
	uint32_t ino, mode, uid, gid, nlink, mtime, size;
	uint32_t devmajor, devminor, rdevmajor, rdevminor, check;
};

/* One entry as found by cpio_next_entry(); pointers go into the buffer. */
struct cpio_entry {
	uint64_t offset;      /* of the header */
	uint64_t data_offset; /* of the first data byte */
	const char *name;     /* not NUL-terminated in general; use namelen */
	uint32_t namelen;     /* without the terminating NUL(s) */
	const uint8_t *data;  /* st.size bytes */
	struct cpio_stat st;
	enum cpio_format format;
};

/* A reading cursor.  Fill it with cpio_reader_init(); read the fields, do not
 * write them.  On failure `fault` says where and in which field. */
struct cpio_reader {
	const uint8_t *buf;
	uint64_t len;
	uint64_t off;         /* offset of the next header */
	uint32_t count;       /* entries returned so far (trailers excluded) */
	uint32_t max_entries; /* hard cap; cpio_next_entry fails past it */
	struct fwk_fault fault;
};

/* Start reading the archive that begins at `start` in buf[0..len).  Padding
 * is counted from buf[0], so `start` should be a multiple of 4, as the kernel
 * requires of every archive in an initramfs (initrd_next_segment checks). */
void cpio_reader_init(struct cpio_reader *r, const void *buf, uint64_t len,
		      uint64_t start);

/*
 * Read the next entry and advance the cursor past it.
 * Returns 1 and fills *e for an entry; 0 when the trailer was read (r->off
 * then points just past the archive, trailer padding included); or:
 *   FWK_ERR_TRUNCATED  fewer than 110 bytes left, or the name or data
 *                      ends past the buffer (a truncated image)
 *   FWK_ERR_BADMAGIC   c_magic is neither 070701 nor 070702
 *   FWK_ERR_BADFIELD   a field is not 8 hex digits; c_namesize is 0; the
 *                      name field's last byte is not NUL (the kernel's
 *                      rule); the name is empty; or cpio_stat_problem()
 *                      objects to the entry
 *   FWK_ERR_LIMIT      c_namesize > CPIO_NAME_MAX, or more than
 *                      r->max_entries entries
 *   FWK_ERR_CHECKSUM   a 070702 entry's c_check is not the data's byte sum
 * After an error the cursor does not move; r->fault names the offset/field.
 */
int cpio_next_entry(struct cpio_reader *r, struct cpio_entry *e);

/* What is wrong with an entry's numbers, or NULL when nothing: an unknown
 * file type in mode, a directory with data, a symlink whose target is empty
 * or longer than CPIO_NAME_MAX.  *field_index gets the header field at
 * fault, counted from c_ino = 0 in on-disk order (c_mode 1, c_filesize 6). */
const char *cpio_stat_problem(const struct cpio_stat *st, int *field_index);

/*
 * Normalise an archive path name[0..len) into out[0..cap) (out may be name:
 * the result is never longer): "./" prefixes, "." components and repeated
 * or trailing slashes are dropped, and leading slashes too with
 * CPIO_NAME_STRIP_ROOT.  Returns the length written, NUL-terminated (0 for
 * the archive's root itself, such as "." or "./"), or
 *   FWK_ERR_BADNAME  a ".." component, or an absolute name without
 *                    CPIO_NAME_STRIP_ROOT
 *   FWK_ERR_NOSPACE  out cannot hold the result and its NUL
 */
#define CPIO_NAME_STRIP_ROOT 1u
int cpio_name_normalise(const char *name, uint32_t len, char *out, uint32_t cap,
			unsigned flags);

/* True when the name is "TRAILER!!!". */
bool cpio_is_trailer(const char *name, uint32_t namelen);

/* Byte sum of data, as c_check of a 070702 entry. */
uint32_t cpio_crc_sum(const void *data, uint64_t len);

/*
 * Writing.  cpio_header_size() tells how many bytes cpio_write_header() will
 * produce: header, name, NUL and NUL padding.  When `align` is a power of two
 * >= 4 the name is padded with extra NULs (c_namesize grows) so that the data
 * begins at a multiple of `align` in the stream - what early-microcode tools
 * do with 16; c_namesize may not exceed CPIO_NAME_MAX as a result.
 * `stream_off` is the offset of this header from the start of the stream the
 * alignment is relative to (normally the start of the image).
 * Returns the size (> 0), or FWK_ERR_INVAL (bad align, empty name, header
 * would not start 4-byte aligned) or FWK_ERR_LIMIT (name too long).
 */
int64_t cpio_header_size(uint64_t stream_off, uint32_t namelen, uint32_t align);

/* Encode one header (format 070701, c_check 0) with its name into out[0..cap).
 * Returns the bytes written as cpio_header_size() computed, or
 * FWK_ERR_NOSPACE, or the errors of cpio_header_size(). */
int64_t cpio_write_header(void *out, uint64_t cap, uint64_t stream_off,
			  const struct cpio_stat *st, const char *name,
			  uint32_t namelen, uint32_t align);

/* NUL bytes to write after data ending at stream offset `end`. */
static inline uint32_t cpio_pad4(uint64_t end)
{
	return (uint32_t)((4 - (end & 3)) & 3);
}

/*
 * A sequential writer into one caller buffer, for building small archives in
 * the core (early cpios of tables and microcode).  Entries get inode numbers
 * 1, 2, ... in the order added; uid/gid are 0; mtime is the writer's.
 * All functions return 0 or a negative fwk_error; after FWK_ERR_NOSPACE the
 * writer is unchanged, so the caller may retry with a bigger buffer.
 */
struct cpio_writer {
	uint8_t *buf;
	uint64_t cap;
	uint64_t off;   /* bytes written so far */
	uint64_t base;  /* stream offset of buf[0], for alignment */
	uint32_t ino;   /* last inode number used */
	uint32_t mtime;
};

void cpio_writer_init(struct cpio_writer *w, void *buf, uint64_t cap,
		      uint64_t base, uint32_t mtime);

/* Add a directory (mode's permission bits, type set here). */
int cpio_writer_add_dir(struct cpio_writer *w, const char *name, uint32_t perm);

/* Add a regular file whose data starts at a multiple of `align` (0 or 4 for
 * no extra alignment). */
int cpio_writer_add_file(struct cpio_writer *w, const char *name, uint32_t perm,
			 const void *data, uint32_t size, uint32_t align);

/* Add any entry: header from *st (ino is replaced), then `data`.
 * FWK_ERR_BADNAME for "TRAILER!!!" (it would end the archive early);
 * FWK_ERR_INVAL for numbers cpio_stat_problem() objects to. */
int cpio_writer_add(struct cpio_writer *w, const char *name,
		    const struct cpio_stat *st, const void *data, uint32_t align);

/* Write the trailer and NUL padding up to a multiple of `block` (0: none,
 * else a power of two such as 512, as GNU cpio pads). */
int cpio_writer_finish(struct cpio_writer *w, uint32_t block);

#endif /* FWKIT_CPIO_H */

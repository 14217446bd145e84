/* SPDX-License-Identifier: MIT */
/*
 * fwkit/initrd_image.h - hosted initramfs handling: load an image with all
 * its segments decompressed, extract it safely, build deterministic images.
 *
 * Hosted layer: allocates, decompresses with zlib, liblzma, libzstd, libbz2,
 * liblz4 and liblzo2 (never by running tools), and writes files only through a
 * temporary name that is renamed into place once complete.
 */
#ifndef FWKIT_INITRD_IMAGE_H
#define FWKIT_INITRD_IMAGE_H

#include <fwkit/initrd.h>

#define INITRD_DEFAULT_MAX_UNPACKED (4ull << 30) /* per compressed segment */

/* One segment of a loaded image; `data` holds its cpio bytes (pointing into
 * the image for an uncompressed archive, into a decompressed buffer else). */
struct initrd_part {
	struct initrd_segment seg; /* length is final, also for compressed */
	const uint8_t *data;
	uint64_t size;             /* bytes at data (decompressed size) */
	uint32_t entries;          /* all archives inside, trailers excluded */
	uint8_t *owned;            /* decompressed buffer, freed on close */
};

struct initrd_image {
	const uint8_t *buf;
	uint64_t len;
	struct initrd_part part[INITRD_MAX_SEGMENTS];
	unsigned nparts;
	uint64_t max_unpacked;
	/* On failure: the fault, and the segment whose decompressed content it
	 * is in (-1: the offset is into the image itself). */
	struct fwk_fault fault;
	int fault_part;
	char message[160];         /* a decompressor's own words, if any */
};

/*
 * Split buf[0..len) into segments, decompress every compressed one and check
 * every archive in it.  The caller keeps buf alive until initrd_image_close.
 * Returns 0, or a negative fwk_error with img->fault (and fault_part) set:
 * the scanner's and reader's errors, FWK_ERR_BADFIELD for a corrupt
 * compressed stream, FWK_ERR_LIMIT past img->max_unpacked (set it between
 * memset and open to change the default), FWK_ERR_CHECKSUM for a stream
 * whose own checksum fails, FWK_ERR_UNSUPPORTED for lzop features the
 * kernel does not read either.
 */
int initrd_image_open(struct initrd_image *img, const void *buf, uint64_t len);
void initrd_image_close(struct initrd_image *img);

/* One line describing img's fault, without the file name:
 * "offset 4096: c_filesize: data runs past the end of the input" or
 * "segment 1 (zstd at offset 512), unpacked offset 88: c_mode: ...". */
void initrd_image_fault_text(const struct initrd_image *img, char *out, size_t n);

/* Call fn for every entry of part p (all archives in it), in order; stops
 * and returns fn's value when it is non-zero. */
int initrd_part_foreach(const struct initrd_part *p,
			int (*fn)(const struct cpio_entry *e, void *arg),
			void *arg);

/* Directory name unmkinitramfs would give part i: "early", "early2", ...
 * for archives before the first compressed segment, then "main", "main2". */
void initrd_part_dirname(const struct initrd_image *img, unsigned i,
			 char *out, size_t n);

/* Decompress one stream of format fmt at in[0..len): *out (free it with
 * initrd_unpacked_free(*out, *outlen); NULL when empty), *outlen, and
 * *consumed input bytes.  Returns 0 or a negative fwk_error; msg receives a
 * one-line reason. */
int initrd_decompress(enum initrd_format fmt, const uint8_t *in, uint64_t len,
		      uint64_t max_out, uint8_t **out, uint64_t *outlen,
		      uint64_t *consumed, char *msg, size_t msglen);
void initrd_unpacked_free(uint8_t *p, uint64_t len);

/* ---- Extraction ---------------------------------------------------------- */

struct initrd_extract_opts {
	bool force;   /* replace existing files */
	bool devices; /* create character and block devices (root only) */
};

/*
 * Extract every entry of img under dir (created if missing); several
 * segments go to subdirectories named by initrd_part_dirname().  Refused,
 * before anything is written: absolute names, ".." components, device
 * nodes unless opts->devices, existing files unless opts->force.  While
 * writing: any path that would leave dir through a symlink.  Files are
 * written to a temporary name and renamed into place when complete.
 * Returns 0 or -1 with a one-line reason in err.
 */
int initrd_extract(const struct initrd_image *img, const char *dir,
		   const struct initrd_extract_opts *opts, char *err, size_t errlen);

/* ---- Building ------------------------------------------------------------ */

/* What goes in: a directory's contents at the archive root (dest NULL or ""),
 * or a file or directory src placed at path dest. */
struct initrd_spec {
	const char *dest;
	const char *src;
};

struct initrd_build_opts {
	enum initrd_format compress; /* INITRD_CPIO (none), GZIP, ZSTD or XZ */
	int level;                   /* 0: the format's default */
	uint32_t align;              /* file data alignment, 0 or power of 2 >= 4 */
	uint32_t mtime;              /* every entry's mtime (SOURCE_DATE_EPOCH) */
	uint32_t block;              /* pad the archive to a multiple: 0, or a
					power of two up to 512 (GNU cpio: 512) */
	/* Called now and then while writing; may be NULL. */
	void (*progress)(void *arg, uint64_t done_entries, uint64_t entries,
			 uint64_t done_bytes, uint64_t bytes);
	void *progress_arg;
};

/*
 * Write a deterministic newc archive of the specs to `out`: entries sorted
 * by name, parent directories added, uid/gid 0, the given mtime, inode
 * numbers in order, a later spec replacing an earlier one's file of the same
 * name.  If `tail` is not NULL, tail_len bytes of it follow the archive
 * verbatim (used to prepend an early cpio to an existing image).  The file
 * appears at `out` only when complete (temp file, fsync, rename).
 * Returns 0 or -1 with a one-line reason in err.
 */
int initrd_build(const char *out, const struct initrd_spec *specs,
		 unsigned nspecs, const struct initrd_build_opts *opts,
		 const void *tail, uint64_t tail_len, char *err, size_t errlen);

/* ---- Compressed output ---------------------------------------------------- */

struct initrd_sink;

/* A streaming writer to fd that compresses as fmt (INITRD_CPIO: none). */
struct initrd_sink *initrd_sink_open(int fd, enum initrd_format fmt, int level,
				     char *err, size_t errlen);
int initrd_sink_write(struct initrd_sink *s, const void *p, size_t n);
/* Flush and free; returns 0 or -1 (err filled).  Always frees. */
int initrd_sink_close(struct initrd_sink *s, char *err, size_t errlen);
/* Free without finishing (on an error path). */
void initrd_sink_abort(struct initrd_sink *s);

#endif /* FWKIT_INITRD_IMAGE_H */

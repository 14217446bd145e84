/* SPDX-License-Identifier: MIT */
/* image.c - load an initramfs image: every segment found, unpacked and checked. */
#include <fwkit/initrd_image.h>

#include <stdio.h>
#include <stdlib.h>

/* Walk every archive in unpacked data[0..size) with the segment scanner (NUL
 * padding between archives, the kernel's 4-byte rule), calling fn per entry
 * when fn is set.  Returns 0, fn's non-zero value, or a negative fwk_error
 * with *fault set. */
static int walk_archives(const uint8_t *data, uint64_t size,
			 int (*fn)(const struct cpio_entry *, void *), void *arg,
			 uint32_t *count, struct fwk_fault *fault)
{
	struct initrd_scanner s;
	struct initrd_segment seg;
	uint32_t n = 0;
	int rc;

	initrd_scan_init(&s, data, size);
	/* Archives in one stream are bounded by the total entry cap below. */
	s.max_segments = UINT32_MAX;
	for (;;) {
		s.max_entries = CPIO_DEFAULT_MAX_ENTRIES - n;
		if ((rc = initrd_next_segment(&s, &seg)) <= 0)
			break;
		if (seg.format != INITRD_CPIO)
			return fwk_fail(fault, FWK_ERR_BADMAGIC, seg.offset, "segment magic",
					"a compressed stream inside a compressed segment");
		n += seg.entries;
		if (!fn)
			continue;
		struct cpio_reader r;
		struct cpio_entry e;
		cpio_reader_init(&r, data, seg.offset + seg.length, seg.offset);
		while (cpio_next_entry(&r, &e) == 1)
			if ((rc = fn(&e, arg)) != 0)
				return rc;
	}
	if (rc < 0) {
		*fault = s.fault;
		return rc;
	}
	if (count)
		*count = n;
	return 0;
}

int initrd_part_foreach(const struct initrd_part *p,
			int (*fn)(const struct cpio_entry *e, void *arg), void *arg)
{
	struct fwk_fault f;

	return walk_archives(p->data, p->size, fn, arg, NULL, &f);
}

int initrd_image_open(struct initrd_image *img, const void *buf, uint64_t len)
{
	struct initrd_scanner s;
	struct initrd_segment seg;
	int rc;

	uint64_t max = img->max_unpacked ? img->max_unpacked : INITRD_DEFAULT_MAX_UNPACKED;
	memset(img, 0, sizeof(*img));
	img->buf = buf;
	img->len = len;
	img->max_unpacked = max;
	img->fault_part = -1;

	initrd_scan_init(&s, buf, len);
	while ((rc = initrd_next_segment(&s, &seg)) == 1) {
		struct initrd_part *p = &img->part[img->nparts];

		p->seg = seg;
		if (seg.format == INITRD_CPIO) {
			p->data = img->buf + seg.offset;
			p->size = seg.length;
			p->entries = seg.entries;
			img->nparts++;
			continue;
		}
		uint64_t used = 0;
		rc = initrd_decompress(seg.format, img->buf + seg.offset, seg.length,
				       max, &p->owned, &p->size, &used,
				       img->message, sizeof(img->message));
		if (rc < 0) {
			fwk_fail(&img->fault, rc, seg.offset, "compressed data",
				 img->message);
			break;
		}
		p->data = p->owned;
		p->seg.length = used;
		img->nparts++;
		rc = walk_archives(p->data, p->size, NULL, NULL, &p->entries, &img->fault);
		if (rc < 0) {
			img->fault_part = (int)img->nparts - 1;
			break;
		}
		initrd_scan_seek(&s, seg.offset + used);
	}
	if (rc < 0) {
		if (img->fault_part < 0 && img->fault.field == NULL)
			img->fault = s.fault;
		initrd_image_close(img);
		return rc;
	}
	if (img->nparts == 0)
		return fwk_fail(&img->fault, FWK_ERR_TRUNCATED, 0, "image",
				"empty, or only NUL bytes");
	return 0;
}

void initrd_image_close(struct initrd_image *img)
{
	for (unsigned i = 0; i < img->nparts; i++) {
		initrd_unpacked_free(img->part[i].owned, img->part[i].size);
		img->part[i].owned = NULL;
		img->part[i].data = NULL;
	}
}

void initrd_image_fault_text(const struct initrd_image *img, char *out, size_t n)
{
	const struct fwk_fault *f = &img->fault;
	const char *detail = f->detail ? f->detail : fwk_strerror(f->error);
	const char *field = f->field ? f->field : "image";

	if (img->fault_part >= 0) {
		const struct initrd_part *p = &img->part[img->fault_part];
		snprintf(out, n, "segment %d (%s at offset %llu), unpacked offset %llu: %s: %s",
			 img->fault_part, initrd_format_name(p->seg.format),
			 (unsigned long long)p->seg.offset,
			 (unsigned long long)f->offset, field, detail);
	} else {
		snprintf(out, n, "offset %llu: %s: %s", (unsigned long long)f->offset,
			 field, detail);
	}
}

void initrd_part_dirname(const struct initrd_image *img, unsigned i, char *out,
			 size_t n)
{
	unsigned early = 0, main_ = 0;
	bool compressed_seen = false;

	for (unsigned k = 0; k <= i && k < img->nparts; k++) {
		if (img->part[k].seg.format != INITRD_CPIO)
			compressed_seen = true;
		if (compressed_seen)
			main_++;
		else
			early++;
	}
	if (compressed_seen)
		main_ > 1 ? snprintf(out, n, "main%u", main_) : snprintf(out, n, "main");
	else
		early > 1 ? snprintf(out, n, "early%u", early) : snprintf(out, n, "early");
}

/* SPDX-License-Identifier: MIT */
/* ucode_host.c - hosted microcode helpers: this machine's CPU (CPUID, MSR
 * 0x17) and the early initrd archive that carries microcode (and keeps the
 * ACPI tables of an early archive it is merged with). */
#include <fwkit/initrd_image.h>
#include <fwkit/ucode.h>

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#define MSR_IA32_PLATFORM_ID 0x17u
#define EARLY_BLOCK 512u        /* archive padding, as GNU cpio and iucode_tool */
#define EARLY_MAX_ENTRIES 4096u /* an early archive holds tables and microcode */

static int fail(char *err, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, n, fmt, ap);
	va_end(ap);
	return -1;
}

int ucode_host_cpu(struct ucode_host_cpu *h, char *err, size_t errlen)
{
	memset(h, 0, sizeof(*h));
#if defined(__x86_64__) || defined(__i386__)
	unsigned int a, b, c, d;

	if (!__get_cpuid(0, &a, &b, &c, &d))
		return fail(err, errlen, "this CPU has no CPUID instruction");
	memcpy(h->vendor_id, &b, 4);
	memcpy(h->vendor_id + 4, &d, 4);
	memcpy(h->vendor_id + 8, &c, 4);
	if (a < 1 || !__get_cpuid(1, &a, &b, &c, &d))
		return fail(err, errlen, "CPUID has no leaf 1 (no processor signature)");
	h->signature = a;
	h->pf_mask = UCODE_PF_ALL;
	if (!strcmp(h->vendor_id, "GenuineIntel"))
		h->vendor = UCODE_INTEL;
	else if (!strcmp(h->vendor_id, "AuthenticAMD"))
		h->vendor = UCODE_AMD;
	if (h->vendor != UCODE_INTEL)
		return 0;
	/* The platform ID, MSR 0x17 bits 52:50, as Linux reads it for
	 * family 6 model 5 and later; needs the msr module and root. */
	uint32_t family = (a >> 8) & 0xf, model = (a >> 4) & 0xf;
	if (family == 0xf)
		family += (a >> 20) & 0xff;
	if (family >= 6)
		model |= ((a >> 16) & 0xf) << 4;
	if (model < 5 && family <= 6)
		return 0;
	int fd = open("/dev/cpu/0/msr", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	uint64_t v = 0;
	if (pread(fd, &v, sizeof(v), MSR_IA32_PLATFORM_ID) == (ssize_t)sizeof(v)) {
		h->pf_mask = 1u << ((v >> 50) & 7);
		h->pf_known = true;
	}
	close(fd);
	return 0;
#else
	return fail(err, errlen, "not an x86 machine: there is no CPUID to read");
#endif
}

/* ---- The early archive ---------------------------------------------------- */

struct early_entry {
	char *name;               /* normalised, NUL-terminated, owned */
	struct cpio_stat st;
	const void *data;
	uint32_t align;
	uint32_t seq;             /* input order, for a stable sort */
};

struct early_list {
	struct early_entry *v;
	uint32_t n, cap;
};

static const char *const early_dirs[] = { "kernel", "kernel/x86", UCODE_EARLY_DIR };
#define NDIRS (sizeof(early_dirs) / sizeof(early_dirs[0]))

static int list_push(struct early_list *l, const char *name, uint32_t namelen,
		     const struct cpio_stat *st, const void *data, uint32_t align)
{
	if (l->n == l->cap) {
		uint32_t ncap = l->cap ? l->cap * 2 : 16;
		struct early_entry *nv = realloc(l->v, ncap * sizeof(*nv));
		if (!nv)
			return -1;
		l->v = nv;
		l->cap = ncap;
	}
	char *copy = malloc((size_t)namelen + 1);
	if (!copy)
		return -1;
	memcpy(copy, name, namelen);
	copy[namelen] = '\0';
	l->v[l->n] = (struct early_entry){ copy, *st, data, align, l->n };
	l->n++;
	return 0;
}

static void list_free(struct early_list *l)
{
	for (uint32_t i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int by_name(const void *a, const void *b)
{
	const struct early_entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

static bool under_kernel(const char *n)
{
	return !strcmp(n, "kernel") || !strncmp(n, "kernel/", 7);
}

/* Carry the entries of the archive at image[0..len) into l.  Returns 1 when
 * they all could be carried, 0 when the archive is not one to merge (l is
 * then emptied), -1 out of memory. */
static int carry_archive(const uint8_t *image, uint64_t len, const struct ucode_early_file *files,
			 unsigned nfiles, struct early_list *l, struct ucode_early_result *res)
{
	struct cpio_reader r;
	struct cpio_entry e;
	int rc;

	cpio_reader_init(&r, image, len, 0);
	r.max_entries = EARLY_MAX_ENTRIES;
	while ((rc = cpio_next_entry(&r, &e)) == 1) {
		char name[CPIO_NAME_MAX + 1];
		int nl = cpio_name_normalise(e.name, e.namelen, name, sizeof(name), 0);
		uint32_t type = e.st.mode & CPIO_S_IFMT;
		if (nl < 0)
			goto refuse;
		if (nl == 0)
			continue; /* "." adds nothing to the root */
		if (!under_kernel(name) || (type != CPIO_S_IFDIR && type != CPIO_S_IFREG) ||
		    (type == CPIO_S_IFREG && e.st.nlink > 1))
			goto refuse;
		bool ours_file = false, ours_dir = false;
		for (unsigned i = 0; i < nfiles; i++)
			ours_file |= !strcmp(name, files[i].name);
		for (unsigned i = 0; i < NDIRS; i++)
			ours_dir |= !strcmp(name, early_dirs[i]);
		if ((ours_file && type != CPIO_S_IFREG) || (ours_dir && type != CPIO_S_IFDIR))
			goto refuse;
		if (ours_file) {
			res->replaced++;
			continue;
		}
		if (list_push(l, name, (uint32_t)nl, &e.st, e.data, 0) != 0)
			return -1;
		res->carried++;
	}
	if (rc == 0)
		return 1;
refuse:
	for (uint32_t i = 0; i < l->n; i++)
		free(l->v[i].name);
	l->n = 0;
	res->carried = res->replaced = 0;
	return 0;
}

struct shadow_walk {
	const struct ucode_early_file *files;
	unsigned nfiles;
	uint32_t found;
};

static int count_shadowed(const struct cpio_entry *e, void *arg)
{
	struct shadow_walk *w = arg;
	char name[CPIO_NAME_MAX + 1];

	if ((e->st.mode & CPIO_S_IFMT) != CPIO_S_IFREG)
		return 0;
	if (cpio_name_normalise(e->name, e->namelen, name, sizeof(name), CPIO_NAME_STRIP_ROOT) <= 0)
		return 0;
	for (unsigned i = 0; i < w->nfiles; i++)
		if (!strcmp(name, w->files[i].name))
			w->found++;
	return 0;
}

int ucode_early_image(const uint8_t *image, uint64_t image_len,
		      const struct ucode_early_file *files, unsigned nfiles,
		      uint32_t mtime, uint8_t **out, uint64_t *out_len,
		      struct ucode_early_result *res, char *err, size_t errlen)
{
	struct early_list l = { 0 };
	struct initrd_image img;
	uint64_t rest = 0; /* where the part of image that follows ours begins */
	int rc = -1;

	*out = NULL;
	*out_len = 0;
	memset(res, 0, sizeof(*res));
	memset(&img, 0, sizeof(img));
	if (nfiles == 0)
		return fail(err, errlen, "no microcode file to pack");
	for (unsigned i = 0; i < nfiles; i++)
		if (files[i].size > UINT32_MAX)
			return fail(err, errlen, "%s: larger than a cpio entry can hold",
				    files[i].name);
	if (image && initrd_image_open(&img, image, image_len) != 0) {
		char why[512];
		initrd_image_fault_text(&img, why, sizeof(why));
		initrd_image_close(&img);
		return fail(err, errlen, "%s", why);
	}
	if (image && img.nparts && img.part[0].seg.format == INITRD_CPIO &&
	    img.part[0].seg.offset == 0) {
		int c = carry_archive(image, img.part[0].seg.length, files, nfiles, &l, res);
		if (c < 0)
			goto nomem;
		if (c > 0) {
			res->merged = true;
			rest = img.part[0].seg.length;
		}
	}
	/* Early archives that stay behind ours: their microcode is now unread. */
	struct shadow_walk sw = { files, nfiles, 0 };
	for (unsigned i = res->merged ? 1 : 0; image && i < img.nparts; i++) {
		if (img.part[i].seg.format != INITRD_CPIO)
			break;
		initrd_part_foreach(&img.part[i], count_shadowed, &sw);
	}
	res->shadowed = sw.found;
	initrd_image_close(&img);

	for (unsigned i = 0; i < NDIRS; i++) {
		bool have = false;
		for (uint32_t k = 0; k < l.n; k++)
			have |= !strcmp(l.v[k].name, early_dirs[i]);
		struct cpio_stat st = { .mode = CPIO_S_IFDIR | 0755, .nlink = 2, .mtime = mtime };
		if (!have && list_push(&l, early_dirs[i], (uint32_t)strlen(early_dirs[i]), &st,
				       NULL, 0) != 0)
			goto nomem;
	}
	for (unsigned i = 0; i < nfiles; i++) {
		struct cpio_stat st = { .mode = CPIO_S_IFREG | 0644, .nlink = 1, .mtime = mtime,
					.size = (uint32_t)files[i].size };
		if (list_push(&l, files[i].name, (uint32_t)strlen(files[i].name), &st,
			      files[i].data, UCODE_EARLY_ALIGN) != 0)
			goto nomem;
	}
	qsort(l.v, l.n, sizeof(*l.v), by_name);

	/* Room for every header, name, alignment and data, the trailer and the
	 * block padding; the writer checks each step against it. */
	uint64_t cap = CPIO_HEADER_SIZE + sizeof(CPIO_TRAILER) + 4 + EARLY_BLOCK;
	for (uint32_t i = 0; i < l.n; i++)
		cap += CPIO_HEADER_SIZE + strlen(l.v[i].name) + 1 + UCODE_EARLY_ALIGN + 4 +
		       l.v[i].st.size + 4;
	uint64_t tail = image ? image_len - rest : 0;
	uint8_t *buf = malloc(cap + tail);
	if (!buf)
		goto nomem;
	struct cpio_writer w;
	int werr = 0;
	cpio_writer_init(&w, buf, cap, 0, mtime);
	for (uint32_t i = 0; i < l.n && !werr; i++)
		werr = cpio_writer_add(&w, l.v[i].name, &l.v[i].st, l.v[i].data, l.v[i].align);
	if (!werr)
		werr = cpio_writer_finish(&w, EARLY_BLOCK);
	if (werr) {
		free(buf);
		fail(err, errlen, "writing the early archive failed: %s", fwk_strerror(werr));
		goto out;
	}
	if (tail)
		memcpy(buf + w.off, image + rest, tail);
	*out = buf;
	*out_len = w.off + tail;
	rc = 0;
	goto out;
nomem:
	fail(err, errlen, "out of memory");
out:
	list_free(&l);
	return rc;
}

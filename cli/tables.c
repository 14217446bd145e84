/* SPDX-License-Identifier: MIT */
/* tables.c - ACPI table sets for the fwkit command: a machine's tables (a
 * directory or an acpidump text) and the initrd tables to plan for (files,
 * or the kernel/firmware/acpi/ entries of an initrd image). */
#include "cli.h"
#include "tables.h"

#include <fwkit/initrd_image.h>
#include <fwkit/sha256.h>

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int set_add(struct table_set *s, const char *path, const char *name,
		   const uint8_t *data, uint64_t len, bool dynamic)
{
	if (s->n == s->cap) {
		uint32_t cap = s->cap ? s->cap * 2 : 32;
		struct table_file *f = realloc(s->f, cap * sizeof(*f));
		if (!f)
			return bad("out of memory");
		s->f = f;
		s->cap = cap;
	}
	struct table_file *t = &s->f[s->n];
	memset(t, 0, sizeof(*t));
	t->path = strdup(path);
	t->name = strdup(name);
	t->data = malloc(len ? len : 1);
	if (!t->path || !t->name || !t->data) {
		free(t->path);
		free(t->name);
		free(t->data);
		return bad("out of memory");
	}
	memcpy(t->data, data, len);
	t->len = len;
	t->dynamic = dynamic;
	t->have_header = acpi_header_parse(data, len, &t->h, NULL) == 0;
	sha256(data, len, t->sha256);
	s->n++;
	return 0;
}

void table_set_free(struct table_set *s)
{
	for (uint32_t i = 0; i < s->n; i++) {
		free(s->f[i].path);
		free(s->f[i].name);
		free(s->f[i].data);
	}
	free(s->f);
	memset(s, 0, sizeof(*s));
}

/* Natural order for a machine's tables: signature, then the number in the
 * name (SSDT2 before SSDT10), then the name; run-time tables last. */
static int natural_cmp(const void *pa, const void *pb)
{
	const struct table_file *a = pa, *b = pb;

	if (a->dynamic != b->dynamic)
		return a->dynamic ? 1 : -1;
	int c = memcmp(a->h.signature, b->h.signature, 4);
	if (c)
		return c;
	unsigned long na = strtoul(a->name + strcspn(a->name, "0123456789"), NULL, 10);
	unsigned long nb = strtoul(b->name + strcspn(b->name, "0123456789"), NULL, 10);
	if (na != nb)
		return na < nb ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* A firmware table worth matching against: an SDT (not FACS, not RSDP). */
static bool is_sdt(const uint8_t *d, uint64_t len)
{
	return len >= ACPI_HEADER_SIZE && memcmp(d, "FACS", 4) && memcmp(d, "RSD ", 4);
}

static int load_dir(struct table_set *s, const char *dir, bool dynamic, int depth)
{
	DIR *d = opendir(dir);
	if (!d)
		return bad("%s: %s", dir, strerror(errno));
	struct dirent *de;
	int rc = 0;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		char *p = malloc(strlen(dir) + strlen(de->d_name) + 2);
		if (!p) {
			rc = bad("out of memory");
			break;
		}
		sprintf(p, "%s/%s", dir, de->d_name);
		struct stat st;
		if (stat(p, &st) != 0) {
			rc = bad("%s: %s", p, strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			/* sysfs keeps run-time tables in dynamic/ (and BERT
			 * data in data/, which is not a table). */
			if (depth == 0 && !strcmp(de->d_name, "dynamic"))
				rc = load_dir(s, p, true, 1);
		} else if (S_ISREG(st.st_mode)) {
			struct input in;
			if (input_open(&in, p) != 0) {
				rc = EXIT_BAD;
			} else {
				if (is_sdt(in.data, in.len))
					rc = set_add(s, p, de->d_name, in.data, in.len, dynamic);
				input_release(&in);
			}
		}
		free(p);
	}
	closedir(d);
	return rc;
}

static bool looks_like_acpidump(const uint8_t *d, uint64_t len)
{
	/* "DSDT @ 0x...": four name bytes, then " @ 0x" after optional spaces. */
	uint64_t i = 0;
	while (i < len && (d[i] == ' ' || d[i] == '\n' || d[i] == '\r' || d[i] == '\t'))
		i++;
	if (len - i < 9)
		return false;
	return !memcmp(d + i + 4, " @ 0x", 5);
}

static int load_dump(struct table_set *s, const char *path, const struct input *in)
{
	uint64_t cap = in->len / 3 + 64;
	uint8_t *out = malloc(cap);
	uint32_t max = 1024;
	struct acpi_dump_table *t = calloc(max, sizeof(*t));
	struct fwk_fault f = { 0 };
	int rc = 0;

	if (!out || !t) {
		free(out);
		free(t);
		return bad("out of memory");
	}
	int n = acpi_dump_parse((const char *)in->data, in->len, out, cap, t, max, &f);
	if (n < 0) {
		rc = bad("%s: offset %llu: %s: %s", path, (unsigned long long)f.offset,
			 f.field ? f.field : "text", f.detail ? f.detail : fwk_strerror(n));
	}
	for (int i = 0; rc == 0 && i < n; i++) {
		char name[64], *where = malloc(strlen(path) + sizeof(name) + 2);
		if (!where) {
			rc = bad("out of memory");
			break;
		}
		snprintf(name, sizeof(name), "%.4s%u", t[i].signature, t[i].instance);
		sprintf(where, "%s:%s", path, name);
		if (is_sdt(out + t[i].offset, t[i].length))
			rc = set_add(s, where, name, out + t[i].offset, t[i].length, false);
		free(where);
	}
	free(out);
	free(t);
	return rc;
}

int table_set_load_machine(struct table_set *s, const char *src)
{
	struct stat st;

	memset(s, 0, sizeof(*s));
	if (stat(src, &st) != 0)
		return bad("%s: %s", src, strerror(errno));
	int rc;
	if (S_ISDIR(st.st_mode)) {
		rc = load_dir(s, src, false, 0);
		if (rc == 0 && s->n)
			qsort(s->f, s->n, sizeof(*s->f), natural_cmp);
	} else {
		struct input in;
		if (input_open(&in, src) != 0)
			return EXIT_BAD;
		if (looks_like_acpidump(in.data, in.len))
			rc = load_dump(s, src, &in);
		else
			rc = bad("%s: neither a directory of tables nor acpidump text", src);
		input_release(&in);
	}
	if (rc == 0 && s->n == 0)
		rc = bad("%s: holds no ACPI tables", src);
	if (rc)
		table_set_free(s);
	return rc;
}

/* The kernel/firmware/acpi/ files of an image's uncompressed leading
 * archives: what the kernel's table upgrade reads. */
struct image_walk {
	struct table_set *s;
	const char *path;
	int rc;
};

static int take_acpi_entry(const struct cpio_entry *e, void *arg)
{
	struct image_walk *w = arg;
	const size_t plen = sizeof(ACPI_INITRD_PREFIX) - 1;

	if (w->rc)
		return 1;
	if ((e->st.mode & CPIO_S_IFMT) != CPIO_S_IFREG || e->namelen < plen ||
	    memcmp(e->name, ACPI_INITRD_PREFIX, plen))
		return 0;
	char src[4096 + 64], name[4096];
	snprintf(name, sizeof(name), "%.*s", (int)(e->namelen - plen), e->name + plen);
	snprintf(src, sizeof(src), "%s:%.*s", w->path, (int)e->namelen, e->name);
	w->rc = set_add(w->s, src, name, e->data, e->st.size, false);
	return w->rc ? 1 : 0;
}

int table_set_add_image_tables(struct table_set *s, const char *path, const uint8_t *data,
			       uint64_t len, uint32_t *found)
{
	struct initrd_image img;

	memset(&img, 0, sizeof(img));
	uint32_t before = s->n;

	int rc = initrd_image_open(&img, data, len);
	if (rc < 0) {
		char why[512];
		initrd_image_fault_text(&img, why, sizeof(why));
		initrd_image_close(&img);
		return bad("%s: %s", path, why);
	}
	struct image_walk w = { .s = s, .path = path };
	/* Only the leading uncompressed archives count. */
	for (unsigned i = 0; i < img.nparts && !w.rc; i++) {
		if (img.part[i].seg.format != INITRD_CPIO)
			break;
		initrd_part_foreach(&img.part[i], take_acpi_entry, &w);
	}
	initrd_image_close(&img);
	if (found)
		*found = s->n - before;
	return w.rc;
}

int table_set_load_candidates(struct table_set *s, char **paths, int n,
			       enum image_mode images)
{
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < n; i++) {
		struct input in;
		if (input_open(&in, paths[i]) != 0) {
			table_set_free(s);
			return EXIT_BAD;
		}
		int rc;
		bool image = images != IMAGES_AS_FILES && in.len >= 6 &&
			     !memcmp(in.data, "07070", 5);
		if (image && images == IMAGES_REFUSED) {
			rc = bad("%s: pack takes table files, not an initrd (use --initrd IMAGE)",
				 paths[i]);
		} else if (image) {
			uint32_t found = 0;
			rc = table_set_add_image_tables(s, paths[i], in.data, in.len, &found);
			if (rc == 0 && !found)
				rc = bad("%s: no %s files in its uncompressed early archive",
					 paths[i], ACPI_INITRD_PREFIX);
		} else {
			rc = set_add(s, paths[i], path_base(paths[i]), in.data, in.len, false);
		}
		input_release(&in);
		if (rc) {
			table_set_free(s);
			return rc;
		}
	}
	return 0;
}

void table_set_candidates(const struct table_set *s, struct acpi_candidate *c)
{
	for (uint32_t i = 0; i < s->n; i++) {
		c[i].data = s->f[i].data;
		c[i].len = s->f[i].len;
		c[i].name = s->f[i].name;
		c[i].namelen = (uint32_t)strlen(s->f[i].name);
	}
}

void table_set_targets(const struct table_set *s, struct acpi_target *t)
{
	for (uint32_t i = 0; i < s->n; i++) {
		t[i].h = s->f[i].h;
		t[i].dynamic = s->f[i].dynamic;
	}
}

void acpi_id_text(const struct acpi_header *h, char out[ACPI_IDENTITY_MAX])
{
	acpi_identity(h, out);
}

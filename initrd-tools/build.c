/* SPDX-License-Identifier: MIT */
/* build.c - write a deterministic newc initramfs from directories and files. */
#include <fwkit/initrd_image.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

struct item {
	char *name;     /* archive path, normalised, no leading "/" or "./" */
	char *src;      /* host path; NULL for an implied parent directory */
	struct stat st; /* lstat() in trees, stat() for a named DEST=SRC */
	long seq;       /* spec order; later replaces earlier */
	uint32_t ino, nlink; /* as written; shared within a hard-link group */
	bool nodata;    /* a hard link whose group's data comes later */
};

struct items {
	struct item *v;
	size_t n, cap;
	char *err;
	size_t errlen;
	long seq;
};

static int fail(struct items *it, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(it->err, it->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static int push(struct items *it, char *name, char *src, const struct stat *st)
{
	if (it->n == it->cap) {
		size_t ncap = it->cap ? it->cap * 2 : 256;
		struct item *nv = realloc(it->v, ncap * sizeof(*nv));
		if (!nv) {
			free(name);
			free(src);
			return fail(it, "out of memory");
		}
		it->v = nv;
		it->cap = ncap;
	}
	it->v[it->n++] = (struct item){ .name = name, .src = src, .st = *st, .seq = it->seq++ };
	return 0;
}

static char *join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = malloc(la + lb + 2);

	if (s) {
		memcpy(s, a, la);
		s[la] = '/';
		memcpy(s + la + 1, b, lb + 1);
	}
	return s;
}

static int by_name(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	return strcmp(x, y);
}

/* Add everything below host directory `dir` with archive prefix `prefix`
 * ("" for the root); directory entries are read in sorted order. */
static int walk(struct items *it, const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	if (!d)
		return fail(it, "%s: %s", dir, strerror(errno));

	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	int rc = 0;

	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **nn = realloc(names, cap * sizeof(*nn));
			if (!nn) {
				rc = fail(it, "out of memory");
				goto out;
			}
			names = nn;
		}
		if (!(names[n] = strdup(de->d_name))) {
			rc = fail(it, "out of memory");
			goto out;
		}
		n++;
	}
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct stat st;
		char *src = join(dir, names[i]);
		char *name = *prefix ? join(prefix, names[i]) : strdup(names[i]);

		if (!src || !name) {
			free(src);
			free(name);
			rc = fail(it, "out of memory");
			break;
		}
		if (lstat(src, &st) != 0) {
			rc = fail(it, "%s: %s", src, strerror(errno));
			free(src);
			free(name);
			break;
		}
		if (S_ISSOCK(st.st_mode)) { /* cannot be archived meaningfully */
			free(src);
			free(name);
			continue;
		}
		bool is_dir = S_ISDIR(st.st_mode);
		rc = push(it, name, src, &st);
		if (rc == 0 && is_dir)
			rc = walk(it, it->v[it->n - 1].src, it->v[it->n - 1].name);
	}
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return rc;
}

static int add_spec(struct items *it, const struct initrd_spec *sp)
{
	struct stat st;

	if (stat(sp->src, &st) != 0)
		return fail(it, "%s: %s", sp->src, strerror(errno));
	if (!sp->dest || !*sp->dest) {
		if (!S_ISDIR(st.st_mode))
			return fail(it, "%s: not a directory (give a file as DEST=SRC)", sp->src);
		return walk(it, sp->src, "");
	}
	char *name = strdup(sp->dest), *src = strdup(sp->src);
	if (!name || !src) {
		free(name);
		free(src);
		return fail(it, "out of memory");
	}
	size_t dlen = strlen(name);
	if (dlen > CPIO_NAME_MAX ||
	    cpio_name_normalise(name, (uint32_t)dlen, name, (uint32_t)dlen + 1,
				CPIO_NAME_STRIP_ROOT) <= 0) {
		free(name);
		free(src);
		return fail(it, "%s: destination must be a relative path without '..'", sp->dest);
	}
	if (push(it, name, src, &st) != 0)
		return -1;
	if (S_ISDIR(st.st_mode))
		return walk(it, it->v[it->n - 1].src, it->v[it->n - 1].name);
	return 0;
}

static int cmp_item(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Add a directory item for every parent of every name (seq -1, so any
 * directory named explicitly wins), sort, and keep the last of each name. */
static int finalise(struct items *it)
{
	size_t n0 = it->n;
	struct stat dirst = { .st_mode = S_IFDIR | 0755 };

	for (size_t i = 0; i < n0; i++) {
		for (char *s = strchr(it->v[i].name, '/'); s; s = strchr(s + 1, '/')) {
			char *parent = strndup(it->v[i].name, (size_t)(s - it->v[i].name));
			if (!parent)
				return fail(it, "out of memory");
			long seq = it->seq;
			it->seq = -1;
			int rc = push(it, parent, NULL, &dirst);
			it->seq = seq;
			if (rc)
				return rc;
		}
	}
	if (it->n)
		qsort(it->v, it->n, sizeof(*it->v), cmp_item);

	size_t w = 0;
	for (size_t i = 0; i < it->n; i++) {
		if (i + 1 < it->n && !strcmp(it->v[i].name, it->v[i + 1].name)) {
			free(it->v[i].name);
			free(it->v[i].src);
			continue;
		}
		it->v[w++] = it->v[i];
	}
	it->n = w;
	/* A name kept as a file while another entry lives below it. */
	for (size_t i = 0; i + 1 < it->n; i++) {
		size_t l = strlen(it->v[i].name);
		if (!S_ISDIR(it->v[i].st.st_mode) &&
		    !strncmp(it->v[i].name, it->v[i + 1].name, l) &&
		    it->v[i + 1].name[l] == '/')
			return fail(it, "'%s' is not a directory but '%s' is inside it",
				    it->v[i].name, it->v[i + 1].name);
	}
	return 0;
}

struct linkkey {
	dev_t dev;
	ino_t ino;
	size_t pos;
};

static int cmp_linkkey(const void *a, const void *b)
{
	const struct linkkey *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Number the entries in order; files that are hard links of each other on
 * the host become one newc link group, as GNU cpio writes it: one c_ino,
 * c_nlink = the names in the archive, the data on the last name only. */
static int number_entries(struct items *it)
{
	struct linkkey *k = malloc((it->n ? it->n : 1) * sizeof(*k));
	size_t n = 0;

	if (!k)
		return fail(it, "out of memory");
	for (size_t i = 0; i < it->n; i++) {
		struct item *e = &it->v[i];
		e->ino = (uint32_t)i + 1;
		e->nlink = S_ISDIR(e->st.st_mode) ? 2 : 1;
		e->nodata = false;
		if (S_ISREG(e->st.st_mode) && e->st.st_nlink > 1)
			k[n++] = (struct linkkey){ e->st.st_dev, e->st.st_ino, i };
	}
	if (n)
		qsort(k, n, sizeof(*k), cmp_linkkey);
	for (size_t a = 0, b; a < n; a = b) {
		for (b = a + 1; b < n && k[b].dev == k[a].dev && k[b].ino == k[a].ino; b++)
			;
		if (b - a < 2)
			continue;
		for (size_t j = a; j < b; j++) {
			struct item *e = &it->v[k[j].pos];
			e->ino = it->v[k[a].pos].ino;
			e->nlink = (uint32_t)(b - a);
			e->nodata = j + 1 < b;
		}
	}
	free(k);
	return 0;
}

static void free_items(struct items *it)
{
	for (size_t i = 0; i < it->n; i++) {
		free(it->v[i].name);
		free(it->v[i].src);
	}
	free(it->v);
}

/* Copy exactly `size` bytes of host file `src` into the sink. */
static int copy_file(struct items *it, struct initrd_sink *sink, const char *src,
		     uint64_t size, uint8_t *buf, size_t buflen)
{
	int fd = open(src, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(it, "%s: %s", src, strerror(errno));
	uint64_t done = 0;
	int rc = 0;
	for (;;) {
		ssize_t r = read(fd, buf, buflen);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = fail(it, "%s: %s", src, strerror(errno));
			break;
		}
		if (r == 0)
			break;
		if ((uint64_t)r > size - done) {
			rc = fail(it, "%s: grew while being read", src);
			break;
		}
		if (initrd_sink_write(sink, buf, (size_t)r)) {
			rc = -2;
			break;
		}
		done += (uint64_t)r;
	}
	close(fd);
	if (rc == 0 && done != size)
		rc = fail(it, "%s: shrank while being read", src);
	return rc;
}

static const uint8_t zeros[512];

int initrd_build(const char *out, const struct initrd_spec *specs,
		 unsigned nspecs, const struct initrd_build_opts *opts,
		 const void *tail, uint64_t tail_len, char *err, size_t errlen)
{
	struct items it = { .err = err, .errlen = errlen };
	struct initrd_sink *sink = NULL;
	uint8_t *buf = NULL;
	char *tmp = NULL;
	int fd = -1, rc = -1;
	const size_t buflen = 1u << 20;

	if (tail_len && opts->compress != INITRD_CPIO) {
		snprintf(err, errlen, "an image can follow only an uncompressed archive");
		return -1;
	}
	for (unsigned i = 0; i < nspecs; i++)
		if (add_spec(&it, &specs[i]) != 0)
			goto done;
	if (finalise(&it) != 0 || number_entries(&it) != 0)
		goto done;

	uint64_t total_bytes = 0;
	for (size_t i = 0; i < it.n; i++) {
		struct item *e = &it.v[i];
		if (S_ISREG(e->st.st_mode) && (uint64_t)e->st.st_size > UINT32_MAX) {
			fail(&it, "%s: over 4 GiB, more than a newc entry can hold", e->src);
			goto done;
		}
		if (S_ISREG(e->st.st_mode) && !e->nodata)
			total_bytes += (uint64_t)e->st.st_size;
	}

	if (asprintf(&tmp, "%s.tmp.XXXXXX", out) < 0) {
		tmp = NULL;
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", out, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto done;
	}
	fchmod(fd, 0644);
	buf = malloc(buflen);
	sink = buf ? initrd_sink_open(fd, opts->compress, opts->level, err, errlen) : NULL;
	if (!sink) {
		if (!buf)
			snprintf(err, errlen, "out of memory");
		goto done;
	}

	uint64_t pos = 0, done_bytes = 0;
	uint8_t hdr[CPIO_HEADER_SIZE + CPIO_NAME_MAX + 8];
	for (size_t i = 0; i < it.n; i++) {
		struct item *e = &it.v[i];
		uint32_t type = (uint32_t)e->st.st_mode & CPIO_S_IFMT;
		char target[CPIO_NAME_MAX + 1];
		struct cpio_stat st = {
			.ino = e->ino, .mode = type | ((uint32_t)e->st.st_mode & 07777),
			.nlink = e->nlink, .mtime = opts->mtime,
		};
		if (S_ISREG(e->st.st_mode) && !e->nodata)
			st.size = (uint32_t)e->st.st_size;
		if (S_ISCHR(e->st.st_mode) || S_ISBLK(e->st.st_mode)) {
			st.rdevmajor = major(e->st.st_rdev);
			st.rdevminor = minor(e->st.st_rdev);
		}
		if (S_ISLNK(e->st.st_mode)) {
			ssize_t l = readlink(e->src, target, sizeof(target));
			if (l <= 0 || (size_t)l > CPIO_NAME_MAX) {
				fail(&it, "%s: unreadable symlink or target over 4096 bytes", e->src);
				goto done;
			}
			st.size = (uint32_t)l;
		}
		int64_t h = cpio_write_header(hdr, sizeof(hdr), pos, &st, e->name,
					      (uint32_t)strlen(e->name),
					      S_ISREG(e->st.st_mode) ? opts->align : 0);
		if (h < 0) {
			fail(&it, "%s: %s", e->name, h == FWK_ERR_LIMIT ?
			     "name longer than 4095 bytes" : fwk_strerror((int)h));
			goto done;
		}
		if (initrd_sink_write(sink, hdr, (size_t)h))
			goto sink_failed;
		pos += (uint64_t)h;
		if (S_ISLNK(e->st.st_mode) && initrd_sink_write(sink, target, st.size))
			goto sink_failed;
		if (S_ISREG(e->st.st_mode) && st.size) {
			int c = copy_file(&it, sink, e->src, st.size, buf, buflen);
			if (c == -2)
				goto sink_failed;
			if (c)
				goto done;
		}
		pos += st.size;
		if (S_ISREG(e->st.st_mode))
			done_bytes += st.size;
		if (initrd_sink_write(sink, zeros, cpio_pad4(pos)))
			goto sink_failed;
		pos += cpio_pad4(pos);
		if (opts->progress && (i % 64 == 0 || i + 1 == it.n))
			opts->progress(opts->progress_arg, i + 1, it.n, done_bytes, total_bytes);
	}

	const struct cpio_stat trailer = { .nlink = 1 };
	int64_t h = cpio_write_header(hdr, sizeof(hdr), pos, &trailer, CPIO_TRAILER,
				      sizeof(CPIO_TRAILER) - 1, 0);
	if (h < 0 || initrd_sink_write(sink, hdr, (size_t)h))
		goto sink_failed;
	pos += (uint64_t)h;
	if (opts->block > 1 && (opts->block & (opts->block - 1)) == 0 && opts->block <= 512) {
		uint32_t pad = (uint32_t)((opts->block - (pos & (opts->block - 1))) & (opts->block - 1));
		if (initrd_sink_write(sink, zeros, pad))
			goto sink_failed;
	}
	if (tail_len && initrd_sink_write(sink, tail, (size_t)tail_len))
		goto sink_failed;
	rc = initrd_sink_close(sink, err, errlen);
	sink = NULL;
	if (rc)
		goto done;
	rc = -1;
	if (fsync(fd) != 0 || close(fd) != 0) {
		fd = -1;
		snprintf(err, errlen, "%s: %s", out, strerror(errno));
		goto done;
	}
	fd = -1;
	if (rename(tmp, out) != 0) {
		snprintf(err, errlen, "%s: %s", out, strerror(errno));
		goto done;
	}
	free(tmp);
	tmp = NULL;
	rc = 0;
	goto done;

sink_failed:
	initrd_sink_close(sink, err, errlen);
	sink = NULL;
done:
	initrd_sink_abort(sink);
	if (fd >= 0)
		close(fd);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	free(buf);
	free_items(&it);
	return rc;
}

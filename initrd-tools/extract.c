/* SPDX-License-Identifier: MIT */
/* extract.c - unpack every segment of an image under one directory, safely. */
#include <fwkit/initrd_image.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

struct xctx {
	const struct initrd_extract_opts *opts;
	int root;         /* the segment's target directory */
	unsigned part;
	char *err;
	size_t errlen;
	bool have_openat2;
	unsigned long tmpseq;
	/* Directories whose final mode is applied once all files are in. */
	struct dirmode { char *path; uint32_t mode; } *dirs;
	size_t ndirs, capdirs;
	/* Pass 1: the symlinks the archive itself creates, name -> target. */
	struct link { char *name, *target; } *links;
	size_t nlinks, caplinks;
	/* Hard-link groups of the segment being written (open addressing). */
	struct hgroup {
		bool used;
		uint32_t ino, maj, min;
		const uint8_t *data; /* the member that carries the data, if any */
		uint32_t size;
		char *first;         /* the name created first, once written */
	} *groups;
	size_t ngroups, capgroups; /* capgroups: 0 or a power of two */
};

/*
 * Hard links, as the kernel's initramfs unpacker treats them: regular entries
 * with c_nlink >= 2 and equal c_ino, c_devmajor and c_devminor are one file.
 * The first name creates it and later names link to it; the data may come
 * with any member (GNU cpio puts it on the last), so a scan of the segment
 * finds it before anything is written.
 */
static bool is_hardlink(const struct cpio_entry *e)
{
	return (e->st.mode & CPIO_S_IFMT) == CPIO_S_IFREG && e->st.nlink >= 2;
}

static struct hgroup *group_slot(struct hgroup *t, size_t cap, uint32_t ino,
				 uint32_t maj, uint32_t min)
{
	uint64_t h = (ino ^ ((uint64_t)maj << 40) ^ ((uint64_t)min << 20)) *
		     0x9e3779b97f4a7c15ull;
	size_t i = (size_t)(h >> 32) & (cap - 1);

	while (t[i].used && !(t[i].ino == ino && t[i].maj == maj && t[i].min == min))
		i = (i + 1) & (cap - 1);
	return &t[i];
}

/* e's group; with `create`, made if new.  NULL: not found, or out of memory. */
static struct hgroup *find_group(struct xctx *x, const struct cpio_entry *e, bool create)
{
	if (create && 2 * (x->ngroups + 1) > x->capgroups) {
		size_t ncap = x->capgroups ? 2 * x->capgroups : 64;
		struct hgroup *nt = calloc(ncap, sizeof(*nt));
		if (!nt)
			return NULL;
		for (size_t i = 0; i < x->capgroups; i++)
			if (x->groups[i].used)
				*group_slot(nt, ncap, x->groups[i].ino, x->groups[i].maj,
					    x->groups[i].min) = x->groups[i];
		free(x->groups);
		x->groups = nt;
		x->capgroups = ncap;
	}
	if (x->capgroups == 0)
		return NULL;
	struct hgroup *g = group_slot(x->groups, x->capgroups, e->st.ino,
				      e->st.devmajor, e->st.devminor);
	if (!g->used) {
		if (!create)
			return NULL;
		*g = (struct hgroup){ .used = true, .ino = e->st.ino,
				      .maj = e->st.devmajor, .min = e->st.devminor };
		x->ngroups++;
	}
	return g;
}

static void forget_groups(struct xctx *x)
{
	for (size_t i = 0; i < x->capgroups; i++)
		free(x->groups[i].first);
	free(x->groups);
	x->groups = NULL;
	x->ngroups = x->capgroups = 0;
}

static int collect_group(const struct cpio_entry *e, void *arg)
{
	struct xctx *x = arg;

	if (!is_hardlink(e))
		return 0;
	struct hgroup *g = find_group(x, e, true);
	if (!g) {
		snprintf(x->err, x->errlen, "out of memory");
		return -1;
	}
	if (e->st.size) { /* as the kernel would, the last data written wins */
		g->data = e->data;
		g->size = e->st.size;
	}
	return 0;
}

static int xfail(struct xctx *x, const struct cpio_entry *e, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(x->err, x->errlen, "segment %u, entry at offset %llu (%.*s): %s",
		 x->part, (unsigned long long)e->offset,
		 (int)(e->namelen > 200 ? 200 : e->namelen), e->name, what);
	return -1;
}

/* The entry's name as a relative path: "./" prefixes and repeated slashes
 * removed.  Returns NULL (and sets *why) for names that must be refused;
 * *skip for the archive's own root ".". */
static char *safe_name(const struct cpio_entry *e, const char **why, bool *skip)
{
	char *p = malloc(e->namelen + 1);

	*skip = false;
	if (!p) {
		*why = "out of memory";
		return NULL;
	}
	int n = cpio_name_normalise(e->name, e->namelen, p, e->namelen + 1, 0);
	if (n < 0) {
		*why = e->name[0] == '/' ? "absolute name refused" : "'..' component refused";
		free(p);
		return NULL;
	}
	*skip = n == 0;
	return p;
}

static int open_beneath(struct xctx *x, const char *path, int flags)
{
	if (x->have_openat2) {
		struct open_how how = {
			.flags = (uint64_t)flags,
			.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
		};
		long fd = syscall(SYS_openat2, x->root, path, &how, sizeof(how));
		if (fd >= 0 || errno != ENOSYS)
			return (int)fd;
		x->have_openat2 = false;
	}
	/* Without openat2: walk one component at a time, refusing every
	 * symlink on the way (stricter than needed, never less safe). */
	int dfd = dup(x->root);
	char *copy = strdup(path), *save = NULL;
	if (dfd < 0 || !copy) {
		free(copy);
		if (dfd >= 0)
			close(dfd);
		errno = ENOMEM;
		return -1;
	}
	for (char *c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		int nfd = openat(dfd, c, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		int saved = errno;
		close(dfd);
		if (nfd < 0) {
			free(copy);
			errno = saved == ELOOP || saved == ENOTDIR ? EXDEV : saved;
			return -1;
		}
		dfd = nfd;
	}
	free(copy);
	return dfd;
}

/* Open (creating as needed) the directory that will hold `rel`'s last
 * component; returns an O_PATH descriptor and points *base at that
 * component. */
static int open_parent(struct xctx *x, const struct cpio_entry *e, char *rel,
		       const char **base)
{
	char *slash = strrchr(rel, '/');
	if (!slash) {
		*base = rel;
		return dup(x->root);
	}
	*slash = '\0';
	*base = slash + 1;
	for (char *p = rel;; p++) {
		bool last = *p == '\0';
		if (*p != '/' && !last)
			continue;
		*p = '\0';
		int fd = open_beneath(x, rel, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT) {
			char *sub = strrchr(rel, '/');
			int pfd = sub ? (*sub = '\0', open_beneath(x, rel, O_PATH | O_DIRECTORY | O_CLOEXEC))
				      : dup(x->root);
			if (sub)
				*sub = '/';
			if (pfd >= 0) {
				if (mkdirat(pfd, sub ? sub + 1 : rel, 0755) != 0 && errno != EEXIST) {
					int saved = errno;
					close(pfd);
					errno = saved;
					goto failed;
				}
				close(pfd);
				fd = open_beneath(x, rel, O_PATH | O_DIRECTORY | O_CLOEXEC);
			}
		}
		if (!last)
			*p = '/';
		if (fd < 0)
			goto failed;
		if (last) {
			*slash = '/'; /* rel is whole again; *base still ends it */
			return fd;
		}
		close(fd);
	}
failed:
	if (errno == EXDEV || errno == ELOOP)
		xfail(x, e, "path leaves the target directory through a symlink");
	else
		xfail(x, e, "cannot create its directory: %s", strerror(errno));
	*slash = '/';
	return -1;
}

/* Move the finished temporary into place, replacing only when forced. */
static int place(struct xctx *x, const struct cpio_entry *e, int pfd,
		 const char *tmp, const char *base)
{
	unsigned flags = x->opts->force ? 0 : RENAME_NOREPLACE;

	if (renameat2(pfd, tmp, pfd, base, flags) == 0)
		return 0;
	int saved = errno;
	unlinkat(pfd, tmp, 0);
	if (saved == EEXIST)
		return xfail(x, e, "exists already (use --force to replace)");
	return xfail(x, e, "%s", strerror(saved));
}

static int write_entry(struct xctx *x, const struct cpio_entry *e, char *rel)
{
	const char *base;
	uint32_t type = e->st.mode & CPIO_S_IFMT;
	uint32_t perm = e->st.mode & 07777;
	char tmp[64];
	int rc = 0;

	if (type == CPIO_S_IFSOCK)
		return 0;
	/* An O_PATH descriptor serves as dirfd for every *at call below. */
	int dfd = open_parent(x, e, rel, &base);
	if (dfd < 0)
		return -1;
	snprintf(tmp, sizeof(tmp), ".fwkit-tmp-%ld-%lu", (long)getpid(), ++x->tmpseq);

	if (type == CPIO_S_IFDIR) {
		struct stat st;
		if (mkdirat(dfd, base, 0700) != 0) {
			if (errno != EEXIST || fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
			    !S_ISDIR(st.st_mode))
				rc = xfail(x, e, "cannot create directory: %s",
					   errno == EEXIST ? "a non-directory is in the way" : strerror(errno));
		}
		if (rc == 0) {
			if (x->ndirs == x->capdirs) {
				size_t n = x->capdirs ? x->capdirs * 2 : 64;
				struct dirmode *nd = realloc(x->dirs, n * sizeof(*nd));
				if (!nd) {
					close(dfd);
					return xfail(x, e, "out of memory");
				}
				x->dirs = nd;
				x->capdirs = n;
			}
			/* Record the path relative to the root; modes applied last. */
			x->dirs[x->ndirs].path = NULL;
			x->dirs[x->ndirs].mode = perm;
			x->ndirs++;
		}
		close(dfd);
		return rc;
	}

	struct hgroup *g = is_hardlink(e) ? find_group(x, e, false) : NULL;
	if (g && g->first) {
		/* A later name of a hard-link group: link it to the first. */
		char *first = strdup(g->first);
		const char *fbase;
		int fdir = first ? open_parent(x, e, first, &fbase) : -1;
		if (fdir < 0)
			rc = first ? -1 : xfail(x, e, "out of memory");
		else if (linkat(fdir, fbase, dfd, tmp, 0) != 0)
			rc = xfail(x, e, "link to %s: %s", g->first, strerror(errno));
		else
			rc = place(x, e, dfd, tmp, base);
		if (fdir >= 0)
			close(fdir);
		free(first);
	} else if (type == CPIO_S_IFREG) {
		const uint8_t *data = g ? g->data : e->data;
		uint64_t size = g ? g->size : e->st.size;
		int fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0) {
			rc = xfail(x, e, "%s", strerror(errno));
		} else {
			const uint8_t *p = data;
			uint64_t left = size;
			while (left && rc == 0) {
				ssize_t w = write(fd, p, left > (1u << 30) ? (1u << 30) : (size_t)left);
				if (w < 0 && errno == EINTR)
					continue;
				if (w <= 0)
					rc = xfail(x, e, "write: %s", w < 0 ? strerror(errno) : "no progress");
				else {
					p += w;
					left -= (uint64_t)w;
				}
			}
			if (rc == 0 && fchmod(fd, perm) != 0)
				rc = xfail(x, e, "chmod: %s", strerror(errno));
			if (rc == 0 && geteuid() == 0 && fchown(fd, e->st.uid, e->st.gid) != 0)
				rc = xfail(x, e, "chown: %s", strerror(errno));
			close(fd);
			if (rc)
				unlinkat(dfd, tmp, 0);
			else
				rc = place(x, e, dfd, tmp, base);
			if (rc == 0 && g && !(g->first = strdup(rel)))
				rc = xfail(x, e, "out of memory");
		}
	} else if (type == CPIO_S_IFLNK) {
		char target[CPIO_NAME_MAX + 1];
		memcpy(target, e->data, e->st.size);
		target[e->st.size] = '\0';
		if (strlen(target) != e->st.size)
			rc = xfail(x, e, "symlink target contains a NUL byte");
		else if (symlinkat(target, dfd, tmp) != 0)
			rc = xfail(x, e, "symlink: %s", strerror(errno));
		else
			rc = place(x, e, dfd, tmp, base);
	} else {
		dev_t dev = makedev(e->st.rdevmajor, e->st.rdevminor);
		if (mknodat(dfd, tmp, (mode_t)(type | perm), type == CPIO_S_IFIFO ? 0 : dev) != 0)
			rc = xfail(x, e, "mknod: %s", strerror(errno));
		else
			rc = place(x, e, dfd, tmp, base);
	}
	close(dfd);
	return rc;
}

/* The target of a symlink the archive creates at `path` (len bytes), if any;
 * the last such entry wins, as it would on disk. */
static const char *archive_link(const struct xctx *x, const char *path, size_t len)
{
	for (size_t i = x->nlinks; i-- > 0;)
		if (strlen(x->links[i].name) == len && !memcmp(x->links[i].name, path, len))
			return x->links[i].target;
	return NULL;
}

/*
 * Would writing `rel` go through a symlink of the archive's own that leads
 * out of the target directory?  Resolves the parent components lexically,
 * following the archive's symlinks (absolute targets leave; ".." above the
 * root leaves; more than 40 hops, the kernel's limit, is a loop).
 */
enum { PATH_OK, PATH_LEAVES, PATH_LOOPS };

static int leaves_root(const struct xctx *x, const char *rel)
{
	char res[2 * CPIO_NAME_MAX + 2], todo[4 * CPIO_NAME_MAX + 4];
	size_t rlen = 0;
	int hops = 0;
	const char *slash = strrchr(rel, '/');

	if (!slash || x->nlinks == 0)
		return PATH_OK;
	size_t tlen = (size_t)(slash - rel);
	memcpy(todo, rel, tlen);
	todo[tlen] = '\0';
	char *cur = todo;
	while (*cur) {
		char *end = strchr(cur, '/');
		size_t clen = end ? (size_t)(end - cur) : strlen(cur);
		char *next = end ? end + 1 : cur + clen;
		if (clen == 0 || (clen == 1 && cur[0] == '.')) {
			cur = next;
			continue;
		}
		if (clen == 2 && cur[0] == '.' && cur[1] == '.') {
			if (rlen == 0)
				return PATH_LEAVES;
			while (rlen > 0 && res[rlen - 1] != '/')
				rlen--;
			if (rlen > 0)
				rlen--; /* drop the slash too */
			cur = next;
			continue;
		}
		size_t save = rlen;
		if (rlen + clen + 1 >= sizeof(res))
			return PATH_LEAVES;
		if (rlen)
			res[rlen++] = '/';
		memcpy(res + rlen, cur, clen);
		rlen += clen;
		const char *t = archive_link(x, res, rlen);
		if (!t) {
			cur = next;
			continue;
		}
		if (t[0] == '/')
			return PATH_LEAVES;
		if (++hops > 40)
			return PATH_LOOPS;
		/* Replace this component by the link's target, then the rest. */
		rlen = save;
		size_t tl = strlen(t), rest = strlen(next);
		if (tl + 1 + rest + 1 > sizeof(todo))
			return PATH_LEAVES;
		memmove(todo + tl + 1, next, rest + 1);
		memcpy(todo, t, tl);
		todo[tl] = '/';
		cur = todo;
	}
	return PATH_OK;
}

static int remember_link(struct xctx *x, const struct cpio_entry *e, const char *rel)
{
	if (x->nlinks == x->caplinks) {
		size_t n = x->caplinks ? x->caplinks * 2 : 64;
		struct link *nl = realloc(x->links, n * sizeof(*nl));
		if (!nl)
			return xfail(x, e, "out of memory");
		x->links = nl;
		x->caplinks = n;
	}
	char *name = strdup(rel), *target = strndup((const char *)e->data, e->st.size);
	if (!name || !target) {
		free(name);
		free(target);
		return xfail(x, e, "out of memory");
	}
	x->links[x->nlinks++] = (struct link){ name, target };
	return 0;
}

static void forget_links(struct xctx *x)
{
	for (size_t i = 0; i < x->nlinks; i++) {
		free(x->links[i].name);
		free(x->links[i].target);
	}
	x->nlinks = 0;
}

struct pass {
	struct xctx *x;
	bool write;
};

static int visit(const struct cpio_entry *e, void *arg)
{
	struct pass *ps = arg;
	struct xctx *x = ps->x;
	const char *why = NULL;
	bool skip;
	char *rel = safe_name(e, &why, &skip);
	int rc = 0, where;

	if (!rel)
		return xfail(x, e, "%s", why);
	uint32_t type = e->st.mode & CPIO_S_IFMT;
	if (!ps->write) {
		if ((type == CPIO_S_IFCHR || type == CPIO_S_IFBLK) && !x->opts->devices)
			rc = xfail(x, e, "device node refused (use --devices to create it)");
		else if (!skip && (where = leaves_root(x, rel)) != PATH_OK)
			rc = xfail(x, e, where == PATH_LOOPS ? "symlink loop in its path" :
				   "path leaves the target directory through a symlink");
		else if (!skip && type == CPIO_S_IFLNK && (rc = remember_link(x, e, rel)) != 0)
			;
		else if (!skip && type != CPIO_S_IFDIR && !x->opts->force && x->root >= 0) {
			struct stat st;
			if (fstatat(x->root, rel, &st, AT_SYMLINK_NOFOLLOW) == 0)
				rc = xfail(x, e, "exists already (use --force to replace)");
		}
	} else if (!skip) {
		rc = write_entry(x, e, rel);
		if (rc == 0 && type == CPIO_S_IFDIR)
			x->dirs[x->ndirs - 1].path = rel, rel = NULL;
	}
	free(rel);
	return rc;
}

static int open_target(const char *dir, char *err, size_t errlen)
{
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	int fd = open(dir, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
	return fd;
}

int initrd_extract(const struct initrd_image *img, const char *dir,
		   const struct initrd_extract_opts *opts, char *err, size_t errlen)
{
	struct xctx x = { .opts = opts, .err = err, .errlen = errlen, .have_openat2 = true };
	int top = -1, rc = 0;

	/* Pass 1, nothing written: every name, type and existing file. */
	for (unsigned i = 0; i < img->nparts && rc == 0; i++) {
		struct pass ps = { &x, false };
		char sub[32];
		x.part = i;
		x.root = AT_FDCWD;
		char *path = NULL;
		if (img->nparts > 1) {
			initrd_part_dirname(img, i, sub, sizeof(sub));
			if (asprintf(&path, "%s/%s", dir, sub) < 0)
				return -1;
		}
		/* -1 when the directory does not exist yet: nothing to clash with. */
		x.root = open(path ? path : dir, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
		rc = initrd_part_foreach(&img->part[i], visit, &ps);
		forget_links(&x);
		if (x.root >= 0)
			close(x.root);
		free(path);
	}
	free(x.links);
	if (rc)
		return -1;

	/* Pass 2: write. */
	if ((top = open_target(dir, err, errlen)) < 0)
		return -1;
	for (unsigned i = 0; i < img->nparts && rc == 0; i++) {
		struct pass ps = { &x, true };
		char sub[32];
		x.part = i;
		if (img->nparts > 1) {
			initrd_part_dirname(img, i, sub, sizeof(sub));
			if (mkdirat(top, sub, 0755) != 0 && errno != EEXIST) {
				snprintf(err, errlen, "%s/%s: %s", dir, sub, strerror(errno));
				rc = -1;
				break;
			}
			x.root = openat(top, sub, O_DIRECTORY | O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		} else {
			x.root = dup(top);
		}
		if (x.root < 0) {
			snprintf(err, errlen, "%s: %s", dir, strerror(errno));
			rc = -1;
			break;
		}
		x.ndirs = 0;
		rc = initrd_part_foreach(&img->part[i], collect_group, &x);
		if (rc == 0)
			rc = initrd_part_foreach(&img->part[i], visit, &ps);
		forget_groups(&x);
		/* Directory modes last, deepest first, so 0555 dirs can be filled. */
		for (size_t k = x.ndirs; k-- > 0;) {
			int fd = open_beneath(&x, x.dirs[k].path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (fd >= 0) {
				fchmod(fd, x.dirs[k].mode);
				close(fd);
			}
			free(x.dirs[k].path);
		}
		close(x.root);
	}
	free(x.dirs);
	close(top);
	return rc ? -1 : 0;
}

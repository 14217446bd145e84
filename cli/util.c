/* SPDX-License-Identifier: MIT */
/* util.c - the fwkit command's messages, input files and number parsing. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static void vmsg(const char *fmt, va_list ap)
{
	fputs("fwkit: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

int bad(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	return EXIT_BAD;
}

int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fwkit %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'fwkit %s --help')\n", cmd);
	return EXIT_BAD;
}

int input_open(struct input *in, const char *path)
{
	struct stat st;

	memset(in, 0, sizeof(*in));
	in->path = path;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		msg("%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		msg("%s: is a directory", path);
		close(fd);
		return -1;
	}
	if (S_ISREG(st.st_mode) && st.st_size > 0) {
		in->map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (in->map != MAP_FAILED) {
			in->data = in->map;
			in->len = (uint64_t)st.st_size;
			close(fd);
			return 0;
		}
		in->map = NULL;
	}
	/* Pipes, and anything mmap refuses: read it all. */
	size_t cap = 1 << 20, len = 0;
	uint8_t *buf = malloc(cap);
	for (;;) {
		if (!buf) {
			msg("%s: out of memory", path);
			close(fd);
			return -1;
		}
		ssize_t r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			msg("%s: %s", path, strerror(errno));
			free(buf);
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len == cap) {
			uint8_t *nb = realloc(buf, cap *= 2);
			if (!nb)
				free(buf);
			buf = nb;
		}
	}
	close(fd);
	in->heap = buf;
	in->data = buf;
	in->len = len;
	return 0;
}

void input_release(struct input *in)
{
	if (in->map)
		munmap(in->map, (size_t)in->len);
	free(in->heap);
	memset(in, 0, sizeof(*in));
}

bool parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;

	if (!s || !*s || *s == '-')
		return false;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

int output_write(const char *path, const void *data, size_t len)
{
	/* Temp file beside the target, so the rename stays on one filesystem. */
	size_t n = strlen(path);
	char *tmp = malloc(n + 16);
	if (!tmp)
		return bad("%s: out of memory", path);
	memcpy(tmp, path, n);
	memcpy(tmp + n, ".fwkit-XXXXXX", 14);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		int e = errno;
		free(tmp);
		return bad("%s: cannot create a temporary file: %s", path, strerror(e));
	}
	const uint8_t *p = data;
	size_t left = len;
	while (left) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		p += w;
		left -= (size_t)w;
	}
	if (fchmod(fd, 0644) != 0 || fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	free(tmp);
	return 0;
fail:;
	int e = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return bad("%s: cannot write: %s", path, strerror(e ? e : EIO));
}

const char *path_base(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

int bad_option(const char *cmd, char **args)
{
	const char *arg = optind > 0 ? args[optind - 1] : "?";

	if (optopt && optopt != '?')
		return usage_error(cmd, "-%c: unknown option, or its value is missing", optopt);
	return usage_error(cmd, "'%s': unknown option, or its value is missing", arg);
}

int source_date_epoch(uint32_t *mtime)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	uint64_t v = 0;

	if (s && *s && !parse_u64(s, UINT32_MAX, &v))
		return bad("SOURCE_DATE_EPOCH: '%s' is not a time in seconds (0..4294967295)", s);
	*mtime = (uint32_t)v;
	return 0;
}

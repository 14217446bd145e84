/* SPDX-License-Identifier: MIT */
/* upload_sysfs.c - the fw-upload backend: Linux's firmware upload through
 * /sys/class/firmware/NAME/{loading,data,status,error,remaining_size,cancel}. */
#include <fwkit/upload_backends.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "errbuf.h"

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void pause_ms(unsigned ms)
{
	struct timespec ts = { .tv_sec = ms / 1000u, .tv_nsec = (long)(ms % 1000u) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static unsigned timeout_of(const struct upload_sysfs *u)
{
	return u->timeout_ms ? u->timeout_ms : UPLOAD_SYSFS_DEFAULT_TIMEOUT_MS;
}

static int attr_path(const struct upload_sysfs *u, const char *attr, char *out, size_t cap)
{
	int n = snprintf(out, cap, "%s/%s", u->dir, attr);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* Write one value.  O_NONBLOCK: never hang on a device that is not there. */
static int attr_write(struct upload_sysfs *u, const char *attr, const char *value)
{
	char path[UPLOAD_PATH_MAX + 32];
	size_t len = strlen(value);

	if (attr_path(u, attr, path, sizeof(path)))
		return -ENAMETOOLONG;
	int fd = open(path, O_WRONLY | O_TRUNC | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t w;
	do
		w = write(fd, value, len);
	while (w < 0 && errno == EINTR);
	int e = w < 0 ? -errno : (size_t)w != len ? -EIO : 0;
	close(fd);
	return e;
}

/*
 * The first line of an attribute, waiting at most until `deadline` for it
 * to be readable.  Returns the length, or -errno (-ETIMEDOUT).  A sysfs file
 * is readable at once; the wait bounds anything slower.
 */
static int attr_read(struct upload_sysfs *u, const char *attr, char *out, size_t cap,
		     uint64_t deadline)
{
	char path[UPLOAD_PATH_MAX + 32];
	size_t len = 0;
	int e = 0;

	out[0] = '\0';
	if (attr_path(u, attr, path, sizeof(path)))
		return -ENAMETOOLONG;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		uint64_t t = now_ms();
		if (t >= deadline) {
			e = -ETIMEDOUT;
			break;
		}
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int r = poll(&p, 1, (int)(deadline - t > 1000 ? 1000 : deadline - t));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			e = -errno;
			break;
		}
		if (r == 0)
			continue;
		ssize_t n = read(fd, out + len, cap - 1 - len);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0) {
			e = -errno;
			break;
		}
		if (n == 0 || (len += (size_t)n) == cap - 1)
			break;
	}
	close(fd);
	if (e)
		return e;
	out[len] = '\0';
	char *nl = memchr(out, '\n', len);
	if (nl) {
		*nl = '\0';
		len = (size_t)(nl - out);
	}
	return (int)len;
}

static bool exists(const char *dir, const char *name)
{
	char path[UPLOAD_PATH_MAX + 32];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &st) == 0;
}

int upload_sysfs_open(struct upload_sysfs *u, const char *root, const char *name,
		      char *err, size_t errcap)
{
	static const char *const attrs[] = { "loading", "data", "status", "error" };
	struct stat st;

	memset(u, 0, sizeof(*u));
	u->data_fd = -1;
	if (!root)
		root = UPLOAD_SYSFS_DEFAULT_ROOT;
	if (!name || !*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..")) {
		blob_say(err, errcap, "fw-upload: '%s' is not a device name", name ? name : "");
		return FWK_ERR_INVAL;
	}
	int n = snprintf(u->dir, sizeof(u->dir), "%s/class/firmware/%s", root, name);
	if (n < 0 || (size_t)n >= sizeof(u->dir) - 32) {
		blob_say(err, errcap, "fw-upload: %s: path too long", root);
		return FWK_ERR_INVAL;
	}
	if (stat(u->dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		blob_say(err, errcap, "%s: no such firmware device (%s)", u->dir,
		    strerror(errno ? errno : ENOTDIR));
		return FWK_ERR_UNSUPPORTED;
	}
	for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		if (!exists(u->dir, attrs[i])) {
			blob_say(err, errcap, "%s: no '%s': not a firmware-upload device", u->dir,
			    attrs[i]);
			return FWK_ERR_UNSUPPORTED;
		}
	}
	return 0;
}

void upload_sysfs_close(struct upload_sysfs *u)
{
	if (u->data_fd >= 0)
		close(u->data_fd);
	u->data_fd = -1;
}

/* ---- the operations -------------------------------------------------------- */

static enum fwu_err sysfs_identity(void *ctx, struct fwu_identity *id)
{
	struct upload_sysfs *u = ctx;
	char path[UPLOAD_PATH_MAX + 64];
	size_t len = 0;

	memset(id, 0, sizeof(*id));
	id->instance = FWU_INSTANCE_ANY;
	snprintf(path, sizeof(path), "%s/device/of_node/compatible", u->dir);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		/* A devicetree property: NUL-terminated strings back to back. */
		for (;;) {
			ssize_t n = read(fd, id->compatible + len, sizeof(id->compatible) - len);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			len += (size_t)n;
			if (len == sizeof(id->compatible))
				break;
		}
		close(fd);
		if (len > 0 && id->compatible[len - 1] != '\0' && len < sizeof(id->compatible))
			id->compatible[len++] = '\0';
		id->compatible_len = len;
		return FWU_ERR_NONE;
	}
	if (errno != ENOENT) {
		blob_say(u->message, sizeof(u->message), "%s: %s", path, strerror(errno));
		return FWU_ERR_RW_ERROR;
	}
	if (u->assume_compatible) {
		size_t n = strlen(u->assume_compatible);
		if (n + 1 <= sizeof(id->compatible)) {
			memcpy(id->compatible, u->assume_compatible, n + 1);
			id->compatible_len = n + 1;
		}
	}
	return FWU_ERR_NONE;
}

static enum fwu_err sysfs_prepare(void *ctx, const uint8_t *data, uint64_t size,
				  const struct fwu_image *img)
{
	struct upload_sysfs *u = ctx;
	char status[64];
	int e;

	(void)data;
	(void)img;
	if (size > 0xffffffffu) { /* remaining_size is a u32 in the kernel */
		blob_say(u->message, sizeof(u->message), "%s: %llu bytes is more than the kernel takes",
		    u->dir, (unsigned long long)size);
		return FWU_ERR_INVALID_SIZE;
	}
	e = attr_read(u, "status", status, sizeof(status), now_ms() + timeout_of(u));
	if (e < 0) {
		blob_say(u->message, sizeof(u->message), "%s/status: %s", u->dir, strerror(-e));
		return e == -ETIMEDOUT ? FWU_ERR_TIMEOUT : FWU_ERR_RW_ERROR;
	}
	if (strcmp(status, "idle") != 0) {
		blob_say(u->message, sizeof(u->message), "%s/status: '%s', not idle (another upload?)",
		    u->dir, status);
		return FWU_ERR_BUSY;
	}
	if ((e = attr_write(u, "loading", "1\n")) != 0) {
		blob_say(u->message, sizeof(u->message), "%s/loading: %s", u->dir, strerror(-e));
		return FWU_ERR_RW_ERROR;
	}
	u->loading = true;
	char path[UPLOAD_PATH_MAX + 32];
	attr_path(u, "data", path, sizeof(path));
	if (u->data_fd >= 0)
		close(u->data_fd);
	u->data_fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (u->data_fd < 0) {
		blob_say(u->message, sizeof(u->message), "%s: %s", path, strerror(errno));
		return FWU_ERR_RW_ERROR;
	}
	return FWU_ERR_NONE;
}

static enum fwu_err sysfs_write(void *ctx, const uint8_t *data, uint64_t offset,
				uint64_t size, uint64_t *written)
{
	struct upload_sysfs *u = ctx;
	ssize_t n;

	if (u->data_fd < 0)
		return FWU_ERR_RW_ERROR;
	if (size > (1u << 30))
		size = 1u << 30;
	do
		n = pwrite(u->data_fd, data + offset, (size_t)size, (off_t)offset);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		int e = errno;
		blob_say(u->message, sizeof(u->message), "%s/data: %s", u->dir, strerror(e));
		if (e == EFBIG || e == ENOSPC || e == ENOMEM)
			return FWU_ERR_INVALID_SIZE;
		return e == EBUSY || e == EAGAIN ? FWU_ERR_BUSY : FWU_ERR_RW_ERROR;
	}
	*written = (uint64_t)n;
	return FWU_ERR_NONE;
}

/* "<status>:<error>" as the kernel writes it. */
static enum fwu_err parse_error(struct upload_sysfs *u, const char *text,
				enum fwu_status *status)
{
	const char *colon = strchr(text, ':');
	int st = colon ? fwu_status_parse(text, (size_t)(colon - text)) : -1;
	int er = colon ? fwu_err_parse(colon + 1, strlen(colon + 1)) : -1;

	blob_say(u->message, sizeof(u->message), "%s/error: %s", u->dir, text);
	if (st < 0 || er <= 0)
		return FWU_ERR_HW_ERROR; /* a word this fwkit does not know */
	*status = (enum fwu_status)st;
	return (enum fwu_err)er;
}

static enum fwu_err sysfs_poll_complete(void *ctx, enum fwu_status *status)
{
	struct upload_sysfs *u = ctx;
	uint64_t deadline = now_ms() + timeout_of(u);
	unsigned pause = u->poll_ms ? u->poll_ms : 1;
	char text[128], last[128] = "";
	int e;

	if (!u->started) {
		/* The data is complete in the kernel's buffer once written. */
		if (u->data_fd >= 0)
			close(u->data_fd);
		u->data_fd = -1;
		if ((e = attr_write(u, "loading", "0\n")) != 0) {
			blob_say(u->message, sizeof(u->message), "%s/loading: %s", u->dir, strerror(-e));
			return FWU_ERR_RW_ERROR;
		}
		u->loading = false;
		u->started = true;
	}
	for (;;) {
		e = attr_read(u, "status", text, sizeof(text), deadline);
		if (e >= 0 && !strcmp(text, "idle"))
			break;
		if (e >= 0) {
			snprintf(last, sizeof(last), "%s", text);
		} else if (e != -ETIMEDOUT) {
			blob_say(u->message, sizeof(u->message), "%s/status: %s", u->dir, strerror(-e));
			return FWU_ERR_RW_ERROR;
		}
		if (e == -ETIMEDOUT || now_ms() >= deadline) {
			int s = fwu_status_parse(last, strlen(last));
			if (s > 0)
				*status = (enum fwu_status)s;
			blob_say(u->message, sizeof(u->message), "%s/status: still '%s' after %u ms",
			    u->dir, last[0] ? last : "unreadable", timeout_of(u));
			return FWU_ERR_TIMEOUT;
		}
		pause_ms(pause);
	}
	/* Idle again: what it says now is the outcome. */
	deadline = now_ms() + timeout_of(u);
	if (attr_read(u, "remaining_size", text, sizeof(text), deadline) > 0) {
		char *end;
		unsigned long long v = strtoull(text, &end, 10);
		u->have_remaining = *end == '\0';
		u->remaining = v;
	}
	e = attr_read(u, "error", text, sizeof(text), deadline);
	if (e < 0) {
		blob_say(u->message, sizeof(u->message), "%s/error: %s", u->dir, strerror(-e));
		return e == -ETIMEDOUT ? FWU_ERR_TIMEOUT : FWU_ERR_RW_ERROR;
	}
	if (e == 0)
		return FWU_ERR_NONE;
	return parse_error(u, text, status);
}

static void sysfs_cancel(void *ctx)
{
	struct upload_sysfs *u = ctx;

	if (u->data_fd >= 0)
		close(u->data_fd);
	u->data_fd = -1;
	/* Before "0" the data write is abandoned through loading; after it the
	 * kernel's worker is asked to stop (ENODEV when it already has). */
	if (u->loading)
		(void)attr_write(u, "loading", "-1\n");
	else if (u->started)
		(void)attr_write(u, "cancel", "1\n");
	u->loading = false;
	u->started = false;
}

static void sysfs_cleanup(void *ctx)
{
	struct upload_sysfs *u = ctx;

	if (u->data_fd >= 0)
		close(u->data_fd);
	u->data_fd = -1;
	u->loading = false;
	u->started = false;
}

const struct fwu_ops upload_sysfs_ops = {
	.name = "fw-upload",
	.identity = sysfs_identity,
	.read_version = NULL,
	.prepare = sysfs_prepare,
	.write = sysfs_write,
	.poll_complete = sysfs_poll_complete,
	.cancel = sysfs_cancel,
	.cleanup = sysfs_cleanup,
};

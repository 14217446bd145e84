/* SPDX-License-Identifier: MIT */
/* upload_stage.c - the initramfs backend: the payload as lib/firmware/NAME in
 * an early uncompressed cpio, before an initrd image or alone, for drivers
 * that call request_firmware() at probe. */
#include <fwkit/upload_backends.h>
#include <fwkit/initrd_image.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errbuf.h"

static bool name_byte(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-';
}

int upload_stage_default_name(const char *target, uint32_t instance, char *out, size_t cap)
{
	size_t n = 0, tlen = target ? strlen(target) : 0;
	const char *comma = target ? strchr(target, ',') : NULL;

	if (tlen == 0)
		return FWK_ERR_INVAL;
	for (size_t i = 0; i < tlen; i++) {
		char c = target + i == comma ? '/' : name_byte(target[i]) ? target[i] : '_';
		/* "." and ".." as whole components would climb; keep them inert. */
		if (c == '.' && (n == 0 || out[n - 1] == '/'))
			c = '_';
		if (n + 1 >= cap)
			return FWK_ERR_NOSPACE;
		out[n++] = c;
	}
	int k = snprintf(out + n, cap - n, "-%u.bin", instance);
	if (k < 0 || (size_t)k >= cap - n)
		return FWK_ERR_NOSPACE;
	return (int)(n + (size_t)k);
}

int upload_stage_open(struct upload_stage *st, const char *out, const char *name,
		      const void *image, uint64_t image_len, uint32_t mtime,
		      char *err, size_t errcap)
{
	char norm[CPIO_NAME_MAX];

	memset(st, 0, sizeof(*st));
	st->fd = -1;
	if (!out || !*out || strlen(out) + 16 > sizeof(st->out)) {
		blob_say(err, errcap, "initramfs: output path empty or too long");
		return FWK_ERR_INVAL;
	}
	snprintf(st->out, sizeof(st->out), "%s", out);
	size_t nlen = name ? strlen(name) : 0;
	int n = nlen && nlen < CPIO_NAME_MAX
			? cpio_name_normalise(name, (uint32_t)nlen, norm, sizeof(norm), 0)
			: FWK_ERR_BADNAME;
	if (n <= 0 || (size_t)n + sizeof(UPLOAD_STAGE_PREFIX) > CPIO_NAME_MAX) {
		blob_say(err, errcap, "--firmware-name '%s': not a relative file name under %s",
		    name ? name : "", UPLOAD_STAGE_PREFIX);
		return FWK_ERR_BADNAME;
	}
	snprintf(st->path, sizeof(st->path), "%s%s", UPLOAD_STAGE_PREFIX, norm);
	if (image) {
		/* What follows our archive must be an initrd the kernel reads. */
		struct initrd_image img;
		memset(&img, 0, sizeof(img));
		int rc = initrd_image_open(&img, image, image_len);
		if (rc != 0) {
			char why[512];
			initrd_image_fault_text(&img, why, sizeof(why));
			initrd_image_close(&img);
			blob_say(err, errcap, "%s", why);
			return rc;
		}
		initrd_image_close(&img);
	}
	st->image = image;
	st->image_len = image ? image_len : 0;
	st->mtime = mtime;
	return 0;
}

void upload_stage_close(struct upload_stage *st)
{
	if (st->fd >= 0)
		close(st->fd);
	st->fd = -1;
	if (st->tmp[0])
		unlink(st->tmp);
	st->tmp[0] = '\0';
}

static int write_at(int fd, const void *p, uint64_t len, uint64_t at)
{
	const uint8_t *b = p;

	while (len) {
		size_t part = len > (1u << 30) ? (1u << 30) : (size_t)len;
		ssize_t w = pwrite(fd, b, part, (off_t)at);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		b += w;
		at += (uint64_t)w;
		len -= (uint64_t)w;
	}
	return 0;
}

/* The directories and the file's header; the payload follows at data_at. */
static enum fwu_err stage_prepare(void *ctx, const uint8_t *data, uint64_t size,
				  const struct fwu_image *img)
{
	struct upload_stage *st = ctx;
	size_t plen = strlen(st->path), dirs = 0;

	(void)data;
	(void)img;
	upload_stage_close(st); /* a retried prepare starts afresh */
	if (size > 0xffffffffu) {
		blob_say(st->message, sizeof(st->message), "%s: a cpio file holds at most 4 GiB - 1",
		    st->out);
		return FWU_ERR_INVALID_SIZE;
	}
	for (size_t i = 0; i < plen; i++)
		dirs += st->path[i] == '/';
	size_t cap = (dirs + 1) * (CPIO_HEADER_SIZE + plen + 8);
	uint8_t *buf = malloc(cap);
	if (!buf) {
		blob_say(st->message, sizeof(st->message), "%s: out of memory", st->out);
		return FWU_ERR_RW_ERROR;
	}
	struct cpio_writer w;
	cpio_writer_init(&w, buf, cap, 0, st->mtime);
	char name[UPLOAD_PATH_MAX];
	int rc = 0;
	for (size_t i = 0; i < plen && rc == 0; i++) {
		if (st->path[i] != '/')
			continue;
		memcpy(name, st->path, i);
		name[i] = '\0';
		rc = cpio_writer_add_dir(&w, name, 0755);
	}
	struct cpio_stat cs = {
		.ino = w.ino + 1, .mode = CPIO_S_IFREG | 0644, .nlink = 1,
		.mtime = st->mtime, .size = (uint32_t)size,
	};
	int64_t h = rc ? rc : cpio_write_header(buf + w.off, cap - w.off, w.off, &cs, st->path,
						(uint32_t)plen, 0);
	if (h < 0) {
		free(buf);
		blob_say(st->message, sizeof(st->message), "%s: cannot write the cpio header: %s",
		    st->out, fwk_strerror((int)h));
		return FWU_ERR_HW_ERROR;
	}
	st->data_at = w.off + (uint64_t)h;
	st->size = size;

	snprintf(st->tmp, sizeof(st->tmp), "%s.fwkit-XXXXXX", st->out);
	st->fd = mkstemp(st->tmp);
	if (st->fd < 0) {
		blob_say(st->message, sizeof(st->message), "%s: cannot create a temporary file: %s",
		    st->out, strerror(errno));
		st->tmp[0] = '\0';
		free(buf);
		return FWU_ERR_RW_ERROR;
	}
	rc = write_at(st->fd, buf, st->data_at, 0);
	free(buf);
	if (rc) {
		blob_say(st->message, sizeof(st->message), "%s: %s", st->tmp, strerror(errno));
		return FWU_ERR_RW_ERROR;
	}
	return FWU_ERR_NONE;
}

static enum fwu_err stage_write(void *ctx, const uint8_t *data, uint64_t offset,
				uint64_t size, uint64_t *written)
{
	struct upload_stage *st = ctx;

	if (st->fd < 0 || offset + size > st->size)
		return FWU_ERR_RW_ERROR;
	if (write_at(st->fd, data + offset, size, st->data_at + offset)) {
		blob_say(st->message, sizeof(st->message), "%s: %s", st->tmp, strerror(errno));
		return errno == ENOSPC || errno == EFBIG ? FWU_ERR_INVALID_SIZE : FWU_ERR_RW_ERROR;
	}
	*written = size;
	return FWU_ERR_NONE;
}

/* Padding, trailer, the image; then fsync and rename: the file appears whole. */
static enum fwu_err stage_poll_complete(void *ctx, enum fwu_status *status)
{
	struct upload_stage *st = ctx;
	uint8_t tail[CPIO_HEADER_SIZE + 16 + 512];
	struct cpio_writer w;

	*status = FWU_STATUS_PROGRAMMING;
	if (st->fd < 0)
		return FWU_ERR_RW_ERROR;
	uint64_t end = st->data_at + st->size;
	uint32_t pad = cpio_pad4(end);
	memset(tail, 0, pad);
	cpio_writer_init(&w, tail + pad, sizeof(tail) - pad, end + pad, st->mtime);
	if (cpio_writer_finish(&w, 512) != 0) {
		blob_say(st->message, sizeof(st->message), "%s: cannot write the cpio trailer", st->out);
		return FWU_ERR_HW_ERROR;
	}
	uint64_t at = end + pad + w.off;
	if (write_at(st->fd, tail, pad + w.off, end) ||
	    (st->image_len && write_at(st->fd, st->image, st->image_len, at)) ||
	    fchmod(st->fd, 0644) != 0 || fsync(st->fd) != 0) {
		blob_say(st->message, sizeof(st->message), "%s: %s", st->tmp, strerror(errno));
		return FWU_ERR_RW_ERROR;
	}
	int rc = close(st->fd);
	st->fd = -1;
	if (rc != 0 || rename(st->tmp, st->out) != 0) {
		blob_say(st->message, sizeof(st->message), "%s: %s", st->out, strerror(errno));
		return FWU_ERR_RW_ERROR;
	}
	st->tmp[0] = '\0';
	return FWU_ERR_NONE;
}

static void stage_cancel(void *ctx)
{
	upload_stage_close(ctx);
}

static void stage_cleanup(void *ctx)
{
	struct upload_stage *st = ctx;

	if (st->fd >= 0)
		close(st->fd);
	st->fd = -1;
}

/* No device to ask: the kernel's driver requests the file by name. */
static enum fwu_err stage_identity(void *ctx, struct fwu_identity *id)
{
	(void)ctx;
	memset(id, 0, sizeof(*id));
	id->instance = FWU_INSTANCE_ANY;
	id->any_target = true;
	return FWU_ERR_NONE;
}

const struct fwu_ops upload_stage_ops = {
	.name = "initramfs",
	.identity = stage_identity,
	.read_version = NULL,
	.prepare = stage_prepare,
	.write = stage_write,
	.poll_complete = stage_poll_complete,
	.cancel = stage_cancel,
	.cleanup = stage_cleanup,
};

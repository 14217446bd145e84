/* SPDX-License-Identifier: MIT */
/* test_fwupload.c - cmocka tests of the firmware-upload engine against a
 * scripted device (order of checks, retries, cancel/cleanup, the record),
 * the read-only payload mapping, and the hosted backends: Linux's sysfs
 * upload against a fake kernel, and staging into an initramfs. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../support/testkit.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <fwkit/fwupload.h>
#include <fwkit/initrd_image.h>
#include <fwkit/upload_backends.h>

/* ---- a scripted device -------------------------------------------------- */

#define SCRIPT_MAX 16
#define PAYLOAD_MAX (64u * 1024u)

struct script {
	enum fwu_err err[SCRIPT_MAX]; /* what call i returns; NONE past n */
	unsigned n;
	unsigned calls;
};

static enum fwu_err next(struct script *s)
{
	unsigned i = s->calls++;
	return i < s->n ? s->err[i] : FWU_ERR_NONE;
}

struct mock {
	struct fwu_identity id;
	uint64_t version, version_after;
	struct script identity, read_version, prepare, write, poll;
	unsigned poll_busy;         /* BUSY answers before the script */
	enum fwu_status poll_status;/* set by poll_complete on an error */
	uint64_t max_write;         /* 0: take all offered */
	bool write_zero;            /* report success with nothing written */
	bool committed;
	char ops[256];              /* I V P W X C L, one letter per call */
	size_t nops;
	uint8_t got[PAYLOAD_MAX];
	uint64_t write_off[256], write_size[256];
	unsigned nwrites;
	const struct fwu_image *prepared_img;
	uint64_t prepared_size;
};

static void op(struct mock *m, char c)
{
	if (m->nops + 1 < sizeof(m->ops))
		m->ops[m->nops++] = c;
	m->ops[m->nops] = '\0';
}

static enum fwu_err m_identity(void *ctx, struct fwu_identity *id)
{
	struct mock *m = ctx;
	op(m, 'I');
	*id = m->id;
	return next(&m->identity);
}

static enum fwu_err m_version(void *ctx, uint64_t *v)
{
	struct mock *m = ctx;
	op(m, 'V');
	*v = m->committed ? m->version_after : m->version;
	return next(&m->read_version);
}

static enum fwu_err m_prepare(void *ctx, const uint8_t *data, uint64_t size,
			      const struct fwu_image *img)
{
	struct mock *m = ctx;
	(void)data;
	op(m, 'P');
	m->prepared_img = img;
	m->prepared_size = size;
	return next(&m->prepare);
}

static enum fwu_err m_write(void *ctx, const uint8_t *data, uint64_t off, uint64_t size,
			    uint64_t *written)
{
	struct mock *m = ctx;
	op(m, 'W');
	if (m->nwrites < 256) {
		m->write_off[m->nwrites] = off;
		m->write_size[m->nwrites] = size;
		m->nwrites++;
	}
	enum fwu_err e = next(&m->write);
	if (e != FWU_ERR_NONE)
		return e;
	if (m->write_zero) {
		*written = 0;
		return FWU_ERR_NONE;
	}
	uint64_t n = m->max_write && size > m->max_write ? m->max_write : size;
	assert_true(off + n <= PAYLOAD_MAX);
	memcpy(m->got + off, data + off, (size_t)n);
	*written = n;
	return FWU_ERR_NONE;
}

static enum fwu_err m_poll(void *ctx, enum fwu_status *status)
{
	struct mock *m = ctx;
	op(m, 'X');
	assert_int_equal(*status, FWU_STATUS_PROGRAMMING);
	if (m->poll_busy) {
		m->poll_busy--;
		return FWU_ERR_BUSY;
	}
	enum fwu_err e = next(&m->poll);
	if (e != FWU_ERR_NONE && m->poll_status)
		*status = m->poll_status;
	if (e == FWU_ERR_NONE)
		m->committed = true;
	return e;
}

static void m_cancel(void *ctx)
{
	op(ctx, 'C');
}

static void m_cleanup(void *ctx)
{
	op(ctx, 'L');
}

static const struct fwu_ops mock_ops = {
	.name = "mock", .identity = m_identity, .read_version = m_version,
	.prepare = m_prepare, .write = m_write, .poll_complete = m_poll,
	.cancel = m_cancel, .cleanup = m_cleanup,
};

static const struct fwu_ops mock_ops_noversion = {
	.name = "mock", .identity = m_identity, .read_version = NULL,
	.prepare = m_prepare, .write = m_write, .poll_complete = m_poll,
	.cancel = m_cancel, .cleanup = m_cleanup,
};

static void set_compat(struct fwu_identity *id, const char *list, size_t len, uint32_t inst)
{
	memset(id, 0, sizeof(*id));
	memcpy(id->compatible, list, len);
	id->compatible_len = len;
	id->instance = inst;
}

/* A device acme,pmic-x1@0 running v5 that reports v7 once committed. */
static struct mock *mock_new(void)
{
	struct mock *m = calloc(1, sizeof(*m));
	assert_non_null(m);
	set_compat(&m->id, "acme,pmic-x1", sizeof("acme,pmic-x1"), 0);
	m->version = 5;
	m->version_after = 7;
	return m;
}

/* ---- the image and the callbacks ------------------------------------------ */

struct calls {
	unsigned verify, records, progress;
	const char *ops_at_verify; /* the device's op log when verify ran */
	struct mock *m;
	int verify_rc;
	const char *verify_why;
	uint64_t last_done, last_total;
	bool progress_monotonic;
	struct ledger_record rec;
};

static int verify_cb(const struct fwu_image *img, void *arg, char *why, size_t cap)
{
	struct calls *c = arg;
	(void)img;
	c->verify++;
	c->ops_at_verify = c->m ? (c->m->nops ? "touched" : "") : "";
	if (c->verify_rc)
		snprintf(why, cap, "%s", c->verify_why);
	return c->verify_rc;
}

static void record_cb(void *arg, const struct ledger_record *r)
{
	struct calls *c = arg;
	char line[2048];

	c->records++;
	c->rec = *r;
	/* Whatever happened, the record is one the ledger can store. */
	assert_true(ledger_format_json(r, line, sizeof(line)) > 0);
}

static void progress_cb(void *arg, uint64_t done, uint64_t total)
{
	struct calls *c = arg;
	if (done <= c->last_done || done > total)
		c->progress_monotonic = false;
	c->progress++;
	c->last_done = done;
	c->last_total = total;
}

struct fixture {
	uint8_t *payload;
	size_t len;
	struct fwu_image img;
	struct mock *m;
	struct fwu_device dev;
	struct calls calls;
	struct fwu_options opt;
	struct fwu_result res;
};

static void fill(uint8_t *p, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (uint8_t)(seed >> 16);
	}
}

static struct fixture *fixture_new(size_t len)
{
	struct fixture *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	f->payload = malloc(len);
	assert_non_null(f->payload);
	fill(f->payload, len, 42);
	f->len = len;
	f->m = mock_new();
	f->img = (struct fwu_image){
		.target = "acme,pmic-x1", .instance = 0, .type_name = "pmic", .version = 7,
		.payload = f->payload, .payload_len = len,
		.verify = verify_cb, .verify_arg = &f->calls,
	};
	sha256(f->payload, len, f->img.sha256);
	f->dev = (struct fwu_device){ &mock_ops, f->m, "/dev/mock0" };
	f->calls.m = f->m;
	f->calls.progress_monotonic = true;
	f->opt = (struct fwu_options){
		.chunk_size = 4096, .retries = 3, .progress = progress_cb,
		.progress_arg = &f->calls, .record = record_cb, .record_arg = &f->calls,
	};
	return f;
}

static void fixture_free(struct fixture *f)
{
	free(f->payload);
	free(f->m);
	free(f);
}

static int run(struct fixture *f)
{
	return fwu_deliver(&f->img, &f->dev, &f->opt, &f->res);
}

/* ---- names ---------------------------------------------------------------- */

static void test_names(void **state)
{
	(void)state;
	/* Linux 6.1's words, in its order (sysfs_upload.c, fw_upload_err_str). */
	static const char *const err6_1[] = {
		"none", "hw-error", "timeout", "user-abort", "device-busy",
		"invalid-file-size", "read-write-error", "flash-wearout",
	};
	static const char *const st[] = {
		"idle", "receiving", "preparing", "transferring", "programming",
	};
	for (int i = 0; i < 8; i++) {
		assert_string_equal(fwu_err_name((enum fwu_err)i), err6_1[i]);
		assert_int_equal(fwu_err_parse(err6_1[i], strlen(err6_1[i])), i);
	}
	assert_string_equal(fwu_err_name(FWU_ERR_FW_INVALID), "firmware-invalid");
	assert_null(fwu_err_name(FWU_ERR_COUNT));
	for (int i = 0; i < 5; i++) {
		assert_string_equal(fwu_status_name((enum fwu_status)i), st[i]);
		assert_int_equal(fwu_status_parse(st[i], strlen(st[i])), i);
	}
	assert_null(fwu_status_name((enum fwu_status)5));
	assert_int_equal(fwu_status_parse("idl", 3), -1);
	assert_int_equal(fwu_err_parse("hw-error\n", 9), -1);
	assert_int_equal(fwu_err_parse(NULL, 0), -1);
	assert_true(fwu_err_transient(FWU_ERR_BUSY));
	assert_true(fwu_err_transient(FWU_ERR_TIMEOUT));
	assert_true(fwu_err_transient(FWU_ERR_RW_ERROR));
	assert_false(fwu_err_transient(FWU_ERR_HW_ERROR));
	assert_false(fwu_err_transient(FWU_ERR_WEAROUT));
	assert_false(fwu_err_transient(FWU_ERR_CANCELED));
	assert_false(fwu_err_transient(FWU_ERR_INVALID_SIZE));
}

/* ---- the happy path ------------------------------------------------------- */

static void test_deliver(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(10000);
	char hex[SHA256_HEX_SIZE];

	assert_int_equal(run(f), FWU_DELIVERED);
	assert_string_equal(f->m->ops, "IVPWWWXVL");
	assert_memory_equal(f->m->got, f->payload, f->len);
	assert_int_equal(f->m->nwrites, 3);
	assert_int_equal(f->m->write_off[0], 0);
	assert_int_equal(f->m->write_off[1], 4096);
	assert_int_equal(f->m->write_off[2], 8192);
	assert_int_equal(f->m->write_size[2], 10000 - 8192);
	assert_ptr_equal(f->m->prepared_img, &f->img);
	assert_int_equal(f->m->prepared_size, 10000);
	assert_int_equal(f->res.outcome, FWU_DELIVERED);
	assert_int_equal(f->res.written, 10000);
	assert_int_equal(f->res.retries, 0);
	assert_true(f->res.have_old_version);
	assert_int_equal(f->res.old_version, 5);
	assert_int_equal(f->res.new_version, 7);
	assert_int_equal(f->res.status, FWU_STATUS_IDLE);
	/* Verify ran once, before the device saw anything. */
	assert_int_equal(f->calls.verify, 1);
	assert_string_equal(f->calls.ops_at_verify, "");
	assert_int_equal(f->calls.progress, 3);
	assert_true(f->calls.progress_monotonic);
	assert_int_equal(f->calls.last_done, 10000);
	assert_int_equal(f->calls.last_total, 10000);
	/* The record. */
	assert_int_equal(f->calls.records, 1);
	const struct ledger_record *r = &f->calls.rec;
	assert_int_equal(r->kind, LEDGER_BLOB);
	assert_string_equal(r->identity, "pmic acme,pmic-x1@0 v7");
	assert_string_equal(r->source, "mock:/dev/mock0");
	assert_string_equal(r->reason, "delivered");
	assert_int_equal(r->taint_bit, -1);
	assert_false(r->have_replaced);
	sha256_hex(r->sha256, hex);
	char want[SHA256_HEX_SIZE];
	sha256_hex(f->img.sha256, want);
	assert_string_equal(hex, want);
	assert_memory_equal(&f->res.record, r, sizeof(*r));
	fixture_free(f);
}

static void test_partial_writes(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(5000);

	f->m->max_write = 1000;
	f->opt.chunk_size = 0; /* the default, 4096 */
	assert_int_equal(run(f), FWU_DELIVERED);
	assert_int_equal(f->m->nwrites, 5);
	for (unsigned i = 0; i < 5; i++)
		assert_int_equal(f->m->write_off[i], i * 1000u);
	assert_int_equal(f->m->write_size[0], 4096);
	assert_int_equal(f->m->write_size[4], 1000);
	assert_memory_equal(f->m->got, f->payload, f->len);
	fixture_free(f);
}

static void test_no_version_op(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(100);

	f->dev.ops = &mock_ops_noversion;
	assert_int_equal(run(f), FWU_DELIVERED);
	assert_string_equal(f->m->ops, "IPWXL");
	assert_false(f->res.have_old_version);
	assert_int_equal(f->res.new_version, 7);
	fixture_free(f);
}

/* ---- refusals: nothing reaches the device ---------------------------------- */

static void test_verify_refuses_first(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(100);

	f->calls.verify_rc = FWK_ERR_CHECKSUM;
	f->calls.verify_why = "signature: does not verify with k.pub";
	assert_int_equal(run(f), FWU_REFUSED);
	assert_int_equal(f->res.refusal, FWU_REFUSE_VERIFY);
	assert_int_equal(f->res.verify_error, FWK_ERR_CHECKSUM);
	assert_string_equal(f->m->ops, "");
	assert_int_equal(f->calls.records, 1);
	assert_string_equal(f->calls.rec.reason,
			    "refused: verify: signature: does not verify with k.pub");
	assert_int_equal(f->calls.progress, 0);
	fixture_free(f);
}

static void test_digest_mismatch(void **state)
{
	(void)state;
	for (unsigned bit = 0; bit < 256; bit += 37) {
		struct fixture *f = fixture_new(3000);
		f->img.sha256[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		assert_int_equal(run(f), FWU_REFUSED);
		assert_int_equal(f->res.refusal, FWU_REFUSE_DIGEST);
		assert_string_equal(f->m->ops, "");
		assert_string_equal(f->calls.rec.reason, "refused: payload sha256 mismatch");
		fixture_free(f);
	}
	/* The payload changed after the digest was taken: same refusal. */
	struct fixture *f = fixture_new(3000);
	f->payload[2999] ^= 0x80;
	assert_int_equal(run(f), FWU_REFUSED);
	assert_int_equal(f->res.refusal, FWU_REFUSE_DIGEST);
	assert_string_equal(f->m->ops, "");
	fixture_free(f);
}

static void test_target_mismatch(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(100);

	set_compat(&f->m->id, "acme,pmic-y2", sizeof("acme,pmic-y2"), 0);
	assert_int_equal(run(f), FWU_REFUSED);
	assert_int_equal(f->res.refusal, FWU_REFUSE_TARGET);
	assert_string_equal(f->m->ops, "I");
	assert_string_equal(f->calls.rec.reason,
			    "refused: target acme,pmic-x1@0 is not this device (acme,pmic-y2@0)");
	fixture_free(f);

	/* Right compatible, wrong instance. */
	f = fixture_new(100);
	f->m->id.instance = 1;
	assert_int_equal(run(f), FWU_REFUSED);
	assert_string_equal(f->calls.rec.reason,
			    "refused: target acme,pmic-x1@0 is not this device (acme,pmic-x1@1)");
	fixture_free(f);

	/* A device that says nothing about itself. */
	f = fixture_new(100);
	set_compat(&f->m->id, "", 0, FWU_INSTANCE_ANY);
	assert_int_equal(run(f), FWU_REFUSED);
	assert_string_equal(f->calls.rec.reason,
			    "refused: target acme,pmic-x1@0: the device does not say what it is");
	fixture_free(f);

	/* A list without its final NUL is not trusted. */
	f = fixture_new(100);
	set_compat(&f->m->id, "acme,pmic-x1", strlen("acme,pmic-x1"), 0);
	assert_int_equal(run(f), FWU_REFUSED);
	assert_int_equal(f->res.refusal, FWU_REFUSE_TARGET);
	fixture_free(f);

	/* A prefix is not a match. */
	f = fixture_new(100);
	set_compat(&f->m->id, "acme,pmic-x", sizeof("acme,pmic-x"), 0);
	assert_int_equal(run(f), FWU_REFUSED);
	fixture_free(f);
}

static void test_target_match_forms(void **state)
{
	(void)state;
	static const char list[] = "acme,pmic-x2\0acme,pmic-x1\0acme,pmic";
	struct fixture *f = fixture_new(100);

	/* The second string of a devicetree-style list. */
	set_compat(&f->m->id, list, sizeof(list), 0);
	assert_int_equal(run(f), FWU_DELIVERED);
	fixture_free(f);

	/* A device without instance numbers. */
	f = fixture_new(100);
	f->m->id.instance = FWU_INSTANCE_ANY;
	f->img.instance = 3;
	assert_int_equal(run(f), FWU_DELIVERED);
	fixture_free(f);

	/* Staging: any target. */
	f = fixture_new(100);
	set_compat(&f->m->id, "", 0, FWU_INSTANCE_ANY);
	f->m->id.any_target = true;
	assert_int_equal(run(f), FWU_DELIVERED);
	fixture_free(f);
}

static void test_downgrade_refused(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(100);

	f->m->version = 9;
	assert_int_equal(run(f), FWU_REFUSED);
	assert_int_equal(f->res.refusal, FWU_REFUSE_DOWNGRADE);
	assert_string_equal(f->m->ops, "IV");
	assert_string_equal(f->calls.rec.reason, "refused: downgrade 7 < 9");
	assert_int_equal(f->calls.rec.taint_bit, -1);
	assert_int_equal(f->res.old_version, 9);
	fixture_free(f);
}

static void test_downgrade_allowed(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(100);

	f->m->version = 9;
	f->opt.allow_downgrade = true;
	assert_int_equal(run(f), FWU_DELIVERED);
	assert_string_equal(f->calls.rec.reason, "delivered: downgrade 9 -> 7 allowed");
	assert_int_equal(f->calls.rec.taint_bit, (int)TAINT_FIRMWARE_WORKAROUND);
	assert_int_equal(f->calls.rec.taint_bit, 11);
	char text[1024];
	assert_true(ledger_format_text(&f->calls.rec, text, sizeof(text)) > 0);
	assert_non_null(strstr(text, " taint=I "));
	fixture_free(f);

	/* A failed downgrade took no effect: no taint. */
	f = fixture_new(100);
	f->m->version = 9;
	f->opt.allow_downgrade = true;
	f->m->write.err[0] = FWU_ERR_HW_ERROR;
	f->m->write.n = 1;
	assert_int_equal(run(f), FWU_FAILED);
	assert_int_equal(f->calls.rec.taint_bit, -1);
	fixture_free(f);
}

static void test_up_to_date(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(100);

	f->m->version = 7;
	assert_int_equal(run(f), FWU_UP_TO_DATE);
	assert_string_equal(f->m->ops, "IV");
	assert_int_equal(f->res.written, 0);
	assert_string_equal(f->calls.rec.reason, "up-to-date: the device runs v7");
	assert_int_equal(f->calls.records, 1);
	fixture_free(f);
}

/* ---- retries, cancel, cleanup -------------------------------------------- */

static void test_transient_retried(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(10000);

	/* Call 1 (offset 0) fails twice, call 4 (offset 4096) once. */
	f->m->write = (struct script){ { FWU_ERR_BUSY, FWU_ERR_TIMEOUT, FWU_ERR_NONE,
					 FWU_ERR_RW_ERROR }, 4, 0 };
	assert_int_equal(run(f), FWU_DELIVERED);
	assert_int_equal(f->res.retries, 3);
	assert_int_equal(f->m->nwrites, 6);
	assert_int_equal(f->m->write_off[0], 0);
	assert_int_equal(f->m->write_off[1], 0);
	assert_int_equal(f->m->write_off[2], 0);
	assert_int_equal(f->m->write_off[3], 4096);
	assert_int_equal(f->m->write_off[4], 4096);
	assert_memory_equal(f->m->got, f->payload, f->len);
	assert_string_equal(f->calls.rec.reason, "delivered");
	fixture_free(f);

	/* Identity, version, prepare and poll are retried the same way. */
	f = fixture_new(100);
	f->m->identity = (struct script){ { FWU_ERR_RW_ERROR }, 1, 0 };
	f->m->read_version = (struct script){ { FWU_ERR_TIMEOUT }, 1, 0 };
	f->m->prepare = (struct script){ { FWU_ERR_BUSY, FWU_ERR_BUSY }, 2, 0 };
	f->m->poll = (struct script){ { FWU_ERR_RW_ERROR }, 1, 0 };
	assert_int_equal(run(f), FWU_DELIVERED);
	assert_int_equal(f->res.retries, 5);
	assert_string_equal(f->m->ops, "IIVVPPPWXXVL");
	fixture_free(f);
}

static void test_retries_exhausted(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(10000);

	f->m->write = (struct script){ { FWU_ERR_NONE, FWU_ERR_RW_ERROR, FWU_ERR_RW_ERROR,
					 FWU_ERR_RW_ERROR, FWU_ERR_RW_ERROR }, 5, 0 };
	assert_int_equal(run(f), FWU_FAILED);
	assert_int_equal(f->res.status, FWU_STATUS_TRANSFERRING);
	assert_int_equal(f->res.error, FWU_ERR_RW_ERROR);
	assert_string_equal(f->res.step, "write");
	assert_int_equal(f->res.offset, 4096);
	assert_int_equal(f->res.written, 4096);
	assert_int_equal(f->res.retries, 3);
	assert_string_equal(f->m->ops, "IVPWWWWWCL");
	assert_string_equal(f->calls.rec.reason,
			    "failed: transferring:read-write-error (write at byte 4096) after 3 retries");
	fixture_free(f);

	/* retries 0: the first transient error is final. */
	f = fixture_new(100);
	f->opt.retries = 0;
	f->m->write = (struct script){ { FWU_ERR_BUSY }, 1, 0 };
	assert_int_equal(run(f), FWU_FAILED);
	assert_string_equal(f->calls.rec.reason,
			    "failed: transferring:device-busy (write at byte 0)");
	assert_string_equal(f->m->ops, "IVPWCL");
	fixture_free(f);
}

static void test_hw_error_not_retried(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(100);

	f->m->write = (struct script){ { FWU_ERR_HW_ERROR }, 1, 0 };
	assert_int_equal(run(f), FWU_FAILED);
	assert_int_equal(f->m->write.calls, 1);
	assert_int_equal(f->res.retries, 0);
	assert_string_equal(f->calls.rec.reason, "failed: transferring:hw-error (write at byte 0)");
	assert_string_equal(f->m->ops, "IVPWCL");
	fixture_free(f);

	/* flash-wearout is not hammered either. */
	f = fixture_new(100);
	f->m->write = (struct script){ { FWU_ERR_WEAROUT }, 1, 0 };
	assert_int_equal(run(f), FWU_FAILED);
	assert_int_equal(f->m->write.calls, 1);
	fixture_free(f);
}

static void test_zero_write_is_an_error(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(100);

	f->m->write_zero = true;
	assert_int_equal(run(f), FWU_FAILED);
	assert_int_equal(f->m->write.calls, 4);
	assert_int_equal(f->res.error, FWU_ERR_RW_ERROR);
	fixture_free(f);
}

static void test_prepare_fails(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(100);

	f->m->prepare = (struct script){ { FWU_ERR_INVALID_SIZE }, 1, 0 };
	assert_int_equal(run(f), FWU_FAILED);
	/* Cancelled (it may have started), not cleaned up (Linux's rule). */
	assert_string_equal(f->m->ops, "IVPC");
	assert_string_equal(f->calls.rec.reason, "failed: preparing:invalid-file-size (prepare)");
	assert_int_equal(f->res.status, FWU_STATUS_PREPARING);
	fixture_free(f);

	/* An identity the device cannot give: nothing was started. */
	f = fixture_new(100);
	f->m->identity = (struct script){ { FWU_ERR_HW_ERROR }, 1, 0 };
	assert_int_equal(run(f), FWU_FAILED);
	assert_string_equal(f->m->ops, "I");
	assert_string_equal(f->calls.rec.reason, "failed: preparing:hw-error (identity)");
	fixture_free(f);

	f = fixture_new(100);
	f->m->read_version = (struct script){ { FWU_ERR_RW_ERROR, FWU_ERR_RW_ERROR,
						FWU_ERR_RW_ERROR, FWU_ERR_RW_ERROR }, 4, 0 };
	assert_int_equal(run(f), FWU_FAILED);
	assert_string_equal(f->m->ops, "IVVVV");
	assert_string_equal(f->calls.rec.reason,
			    "failed: preparing:read-write-error (read_version) after 3 retries");
	fixture_free(f);
}

static void test_poll(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(100);

	/* BUSY is "not yet", not an error. */
	f->m->poll_busy = 50;
	assert_int_equal(run(f), FWU_DELIVERED);
	assert_int_equal(f->res.retries, 0);
	assert_int_equal(f->m->poll.calls, 1);
	fixture_free(f);

	/* Past poll_limit it is a timeout, and final. */
	f = fixture_new(100);
	f->m->poll_busy = 1000000;
	f->opt.poll_limit = 10;
	assert_int_equal(run(f), FWU_FAILED);
	assert_int_equal(1000000 - f->m->poll_busy, 10);
	assert_string_equal(f->calls.rec.reason, "failed: programming:timeout (poll_complete)");
	assert_int_equal(f->res.error, FWU_ERR_TIMEOUT);
	fixture_free(f);

	/* A backend's own timeout is final too. */
	f = fixture_new(100);
	f->m->poll = (struct script){ { FWU_ERR_TIMEOUT }, 1, 0 };
	assert_int_equal(run(f), FWU_FAILED);
	assert_int_equal(f->m->poll.calls, 1);
	fixture_free(f);

	/* The device says in which phase it failed. */
	f = fixture_new(100);
	f->m->poll = (struct script){ { FWU_ERR_HW_ERROR }, 1, 0 };
	f->m->poll_status = FWU_STATUS_TRANSFERRING;
	assert_int_equal(run(f), FWU_FAILED);
	assert_string_equal(f->calls.rec.reason, "failed: transferring:hw-error (poll_complete)");
	assert_string_equal(f->m->ops, "IVPWXCL");
	fixture_free(f);
}

static void test_version_read_back(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(100);

	f->m->version_after = 5; /* the switch did not happen */
	assert_int_equal(run(f), FWU_FAILED);
	assert_string_equal(f->calls.rec.reason,
			    "failed: programming:hw-error (the device reports v5 after the update, not v7)");
	assert_int_equal(f->res.new_version, 5);
	assert_string_equal(f->m->ops, "IVPWXVL");
	fixture_free(f);
}

/* ---- arguments ------------------------------------------------------------ */

static void test_invalid_arguments(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(100);
	struct fwu_ops no_cancel = mock_ops;
	char long_target[80];

	no_cancel.cancel = NULL;
	memset(long_target, 'a', 64);
	long_target[64] = '\0';

	assert_int_equal(fwu_deliver(NULL, &f->dev, &f->opt, &f->res), FWK_ERR_INVAL);
	assert_int_equal(fwu_deliver(&f->img, NULL, &f->opt, &f->res), FWK_ERR_INVAL);
	assert_int_equal(fwu_deliver(&f->img, &f->dev, &f->opt, NULL), FWK_ERR_INVAL);
	f->dev.ops = &no_cancel;
	assert_int_equal(run(f), FWK_ERR_INVAL);
	f->dev.ops = &mock_ops;
	f->img.payload_len = 0;
	assert_int_equal(run(f), FWK_ERR_INVAL);
	f->img.payload_len = FWU_PAYLOAD_MAX + 1;
	assert_int_equal(run(f), FWK_ERR_INVAL);
	f->img.payload_len = 100;
	f->img.target = "";
	assert_int_equal(run(f), FWK_ERR_INVAL);
	f->img.target = long_target;
	assert_int_equal(run(f), FWK_ERR_INVAL);
	f->img.target = "acme\n";
	assert_int_equal(run(f), FWK_ERR_INVAL);
	f->img.target = "acme,pmic-x1";
	f->opt.retries = FWU_RETRIES_MAX + 1;
	assert_int_equal(run(f), FWK_ERR_INVAL);
	f->opt.retries = 3;
	/* None of that reached the verifier, the device or the ledger. */
	assert_int_equal(f->calls.verify, 0);
	assert_int_equal(f->calls.records, 0);
	assert_string_equal(f->m->ops, "");
	/* And the defaults work without options. */
	assert_int_equal(fwu_deliver(&f->img, &f->dev, NULL, &f->res), FWU_DELIVERED);
	fixture_free(f);
}

static void test_record_fields_bounded(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(100);
	char target[64], where[400];

	memset(target, 'x', 63);
	target[63] = '\0';
	memset(where, 'w', sizeof(where) - 1);
	where[sizeof(where) - 1] = '\0';
	where[5] = (char)0xc3; /* not ASCII: shown as '?' */
	set_compat(&f->m->id, target, 64, 0);
	f->img.target = target;
	f->img.type_name = "coprocessor";
	f->img.instance = 0;
	f->img.version = UINT64_MAX;
	f->m->version = 1;
	f->m->version_after = UINT64_MAX;
	f->dev.where = where;
	assert_int_equal(run(f), FWU_DELIVERED);
	const struct ledger_record *r = &f->calls.rec;
	assert_int_equal(strlen(r->identity), LEDGER_IDENTITY_MAX - 1);
	assert_memory_equal(r->identity, "coprocessor xxx", 15);
	const char *tail = "...@0 v18446744073709551615";
	assert_string_equal(r->identity + strlen(r->identity) - strlen(tail), tail);
	assert_int_equal(strlen(r->source), LEDGER_SOURCE_MAX - 1);
	assert_memory_equal(r->source, "mock:wwwww?www", 14);
	assert_string_equal(r->source + LEDGER_SOURCE_MAX - 4, "...");
	fixture_free(f);
}

/* One record per attempt, whatever the outcome. */
static void test_record_every_attempt(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(100);
	unsigned attempts = 0;

	assert_int_equal(run(f), FWU_DELIVERED), attempts++;
	f->m->committed = false;
	f->m->version = 7;
	assert_int_equal(run(f), FWU_UP_TO_DATE), attempts++;
	f->m->version = 9;
	assert_int_equal(run(f), FWU_REFUSED), attempts++;
	f->m->version = 5;
	f->m->write = (struct script){ { FWU_ERR_HW_ERROR }, 1, 0 };
	assert_int_equal(run(f), FWU_FAILED), attempts++;
	f->calls.verify_rc = FWK_ERR_BADFIELD;
	f->calls.verify_why = "key_id: signed by another key";
	assert_int_equal(run(f), FWU_REFUSED), attempts++;
	f->img.payload_len = 0;
	assert_int_equal(run(f), FWK_ERR_INVAL);
	assert_int_equal(f->calls.records, attempts);
	fixture_free(f);
}

/* ---- the payload is only read, from a read-only mapping ---------------- */

/* /proc/self/maps' permissions for the region holding p, or "" */
static void maps_perms(const void *p, char perms[5])
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];

	perms[0] = '\0';
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned long a, b;
		char q[5];
		if (sscanf(line, "%lx-%lx %4s", &a, &b, q) == 3 && (uintptr_t)p >= a &&
		    (uintptr_t)p < b)
			memcpy(perms, q, 5);
	}
	fclose(f);
}

static void test_payload_read_only_mapping(void **state)
{
	(void)state;
	char *dir = temp_dir("fwupload-map");
	char path[512];
	struct fixture *f = fixture_new(20000);

	snprintf(path, sizeof(path), "%s/payload.bin", dir);
	spew(path, f->payload, f->len);
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	/* As the CLI's input_open maps a container. */
	const uint8_t *map = mmap(NULL, f->len, PROT_READ, MAP_PRIVATE, fd, 0);
	assert_true(map != MAP_FAILED);
	close(fd);
	f->img.payload = map;

	char perms[5];
	maps_perms(map, perms);
	assert_string_equal(perms, "r--p");
	maps_perms(map + f->len - 1, perms);
	assert_string_equal(perms, "r--p");
	/* A write through the engine would fault here; it delivers instead. */
	assert_int_equal(run(f), FWU_DELIVERED);
	assert_memory_equal(f->m->got, f->payload, f->len);
	maps_perms(map, perms);
	assert_string_equal(perms, "r--p");
	munmap((void *)map, f->len);
	fixture_free(f);
	remove_dir(dir);
}

/* ---- Linux firmware upload, against the fake kernel ----------------------- */

struct fake {
	pid_t pid;
	char *root;
	char log[512];
	char dev[512];
};

static const char *repo_root(void)
{
	const char *r = getenv("FWKIT_ROOT");
	return r && *r ? r : ".";
}

/* Start tests/support/fake-fw-upload.py for ROOT/class/firmware/pmic0. */
static void fake_start(struct fake *k, const char *const *extra)
{
	char script[512], ready[600];
	const char *argv[24];
	int n = 0;

	k->root = temp_dir("fwupload-sysfs");
	snprintf(script, sizeof(script), "%s/tests/support/fake-fw-upload.py", repo_root());
	if (access(script, R_OK) != 0)
		fail_msg("%s is missing (run from the repository root or set FWKIT_ROOT)", script);
	snprintf(k->log, sizeof(k->log), "%s/fake.log", k->root);
	snprintf(k->dev, sizeof(k->dev), "%s/class/firmware/pmic0", k->root);
	snprintf(ready, sizeof(ready), "%s/pmic0.ready", k->root);
	argv[n++] = "python3";
	argv[n++] = script;
	argv[n++] = k->root;
	argv[n++] = "pmic0";
	argv[n++] = "--log";
	argv[n++] = k->log;
	while (extra && *extra && n < 22)
		argv[n++] = *extra++;
	argv[n] = NULL;
	k->pid = fork();
	assert_true(k->pid >= 0);
	if (k->pid == 0) {
		execvp("python3", (char *const *)argv);
		_exit(127);
	}
	for (int i = 0; i < 1000 && access(ready, F_OK) != 0; i++) {
		int st;
		if (waitpid(k->pid, &st, WNOHANG) == k->pid)
			fail_msg("fake-fw-upload.py exited (status %d) before it was ready", st);
		usleep(10000);
	}
	if (access(ready, F_OK) != 0)
		fail_msg("fake-fw-upload.py not ready after 10 s");
}

static void fake_stop(struct fake *k)
{
	kill(k->pid, SIGTERM);
	waitpid(k->pid, NULL, 0);
	remove_dir(k->root);
}

static bool log_has(const struct fake *k, const char *line)
{
	FILE *f = fopen(k->log, "r");
	char buf[256];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(buf, sizeof(buf), f)) {
		buf[strcspn(buf, "\n")] = '\0';
		found = !strcmp(buf, line);
	}
	fclose(f);
	return found;
}

/* For what the fake does after fwkit is done (a cancel it has yet to read). */
static bool log_wait(const struct fake *k, const char *line)
{
	for (int i = 0; i < 500; i++) {
		if (log_has(k, line))
			return true;
		usleep(10000);
	}
	return false;
}

static void sysfs_device(struct fixture *f, struct upload_sysfs *u, struct fake *k)
{
	char err[512];

	assert_int_equal(upload_sysfs_open(u, k->root, "pmic0", err, sizeof(err)), 0);
	f->dev = (struct fwu_device){ &upload_sysfs_ops, u, u->dir };
	f->calls.m = NULL;
}

static void test_sysfs_delivers(void **state)
{
	(void)state;
	static const char *const opts[] = { "--compatible", "acme,pmic-x1", NULL };
	struct fixture *f = fixture_new(PAYLOAD_MAX);
	struct upload_sysfs u;
	struct fake k;

	fake_start(&k, opts);
	sysfs_device(f, &u, &k);
	assert_int_equal(run(f), FWU_DELIVERED);
	assert_string_equal(f->calls.rec.reason, "delivered");
	assert_string_equal(f->calls.rec.source + strlen(f->calls.rec.source) -
				    strlen("/class/firmware/pmic0"),
			    "/class/firmware/pmic0");
	assert_memory_equal(f->calls.rec.source, "fw-upload:", 10);
	/* The kernel got every byte, and counted them all out. */
	char data[600];
	size_t len;
	snprintf(data, sizeof(data), "%s/data", k.dev);
	uint8_t *got = slurp(data, &len);
	assert_int_equal(len, f->len);
	assert_memory_equal(got, f->payload, len);
	free(got);
	assert_true(u.have_remaining);
	assert_int_equal(u.remaining, 0);
	assert_true(log_has(&k, "start 65536"));
	assert_true(log_has(&k, "transferring"));
	assert_true(log_has(&k, "remaining 0"));
	assert_true(log_has(&k, "programming"));
	assert_true(log_has(&k, "idle"));
	assert_false(log_has(&k, "cancel"));
	upload_sysfs_close(&u);
	fake_stop(&k);
	fixture_free(f);
}

static void test_sysfs_hw_error(void **state)
{
	(void)state;
	static const char *const opts[] = { "--compatible", "acme,pmic-x1", "--error",
					    "transferring:hw-error", NULL };
	struct fixture *f = fixture_new(10000);
	struct upload_sysfs u;
	struct fake k;

	fake_start(&k, opts);
	sysfs_device(f, &u, &k);
	assert_int_equal(run(f), FWU_FAILED);
	assert_int_equal(f->res.status, FWU_STATUS_TRANSFERRING);
	assert_int_equal(f->res.error, FWU_ERR_HW_ERROR);
	assert_int_equal(f->res.retries, 0);
	assert_string_equal(f->calls.rec.reason, "failed: transferring:hw-error (poll_complete)");
	assert_non_null(strstr(u.message, "/error: transferring:hw-error"));
	assert_true(log_has(&k, "error transferring:hw-error"));
	upload_sysfs_close(&u);
	fake_stop(&k);
	fixture_free(f);
}

static void test_sysfs_timeout(void **state)
{
	(void)state;
	static const char *const opts[] = { "--compatible", "acme,pmic-x1", "--hang",
					    "programming", NULL };
	struct fixture *f = fixture_new(10000);
	struct upload_sysfs u;
	struct fake k;
	struct timespec t0, t1;

	fake_start(&k, opts);
	sysfs_device(f, &u, &k);
	u.timeout_ms = 300;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(run(f), FWU_FAILED);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	assert_true(ms >= 300 && ms < 5000); /* bounded, and not retried */
	assert_int_equal(f->res.error, FWU_ERR_TIMEOUT);
	assert_string_equal(f->calls.rec.reason, "failed: programming:timeout (poll_complete)");
	assert_non_null(strstr(u.message, "still 'programming'"));
	/* The engine cancelled: the kernel's worker was told to stop. */
	assert_true(log_wait(&k, "cancel"));
	assert_true(log_wait(&k, "error programming:user-abort"));
	upload_sysfs_close(&u);
	fake_stop(&k);
	fixture_free(f);
}

static void test_sysfs_identity(void **state)
{
	(void)state;
	static const char *const other[] = { "--compatible", "acme,pmic-y2", NULL };
	struct fixture *f = fixture_new(1000);
	struct upload_sysfs u;
	struct fake k;

	/* Another device: refused before "1" is written to loading. */
	fake_start(&k, other);
	sysfs_device(f, &u, &k);
	assert_int_equal(run(f), FWU_REFUSED);
	assert_string_equal(f->calls.rec.reason,
			    "refused: target acme,pmic-x1@0 is not this device (acme,pmic-y2@any)");
	assert_false(log_has(&k, "loading 1"));
	upload_sysfs_close(&u);
	fake_stop(&k);

	/* No devicetree node: refused, unless the caller vouches for it. */
	fake_start(&k, NULL);
	sysfs_device(f, &u, &k);
	assert_int_equal(run(f), FWU_REFUSED);
	assert_string_equal(f->calls.rec.reason,
			    "refused: target acme,pmic-x1@0: the device does not say what it is");
	u.assume_compatible = "acme,pmic-x1";
	assert_int_equal(run(f), FWU_DELIVERED);
	upload_sysfs_close(&u);
	fake_stop(&k);
	fixture_free(f);
}

static void test_sysfs_open_errors(void **state)
{
	(void)state;
	char *dir = temp_dir("fwupload-nosys");
	struct upload_sysfs u;
	char err[512];

	assert_int_equal(upload_sysfs_open(&u, dir, "pmic0", err, sizeof(err)),
			 FWK_ERR_UNSUPPORTED);
	assert_non_null(strstr(err, "/class/firmware/pmic0"));
	assert_int_equal(upload_sysfs_open(&u, dir, "../x", err, sizeof(err)), FWK_ERR_INVAL);
	assert_int_equal(upload_sysfs_open(&u, dir, "", err, sizeof(err)), FWK_ERR_INVAL);
	/* A directory that lacks the upload attributes. */
	assert_int_equal(sh("mkdir -p '%s/class/firmware/fw0' && touch '%s/class/firmware/fw0/loading'",
			    dir, dir), 0);
	assert_int_equal(upload_sysfs_open(&u, dir, "fw0", err, sizeof(err)), FWK_ERR_UNSUPPORTED);
	assert_non_null(strstr(err, "no 'data'"));
	remove_dir(dir);
}

/* ---- staging into an initramfs ------------------------------------------ */

struct found {
	const char *want;
	const uint8_t *data;
	uint32_t size, mode;
	unsigned entries;
	bool dirs_ok;
};

static int find_entry(const struct cpio_entry *e, void *arg)
{
	struct found *s = arg;

	s->entries++;
	if (e->namelen == strlen(s->want) && !memcmp(e->name, s->want, e->namelen)) {
		s->data = e->data;
		s->size = e->st.size;
		s->mode = e->st.mode;
	}
	return 0;
}

static void test_stage(void **state)
{
	(void)state;
	char *dir = temp_dir("fwupload-stage");
	struct fixture *f = fixture_new(30001);
	struct upload_stage st;
	char out[512], err[512];
	size_t len;

	snprintf(out, sizeof(out), "%s/out.img", dir);
	assert_int_equal(upload_stage_open(&st, out, "acme/pmic-x1-0.bin", NULL, 0, 0, err,
					   sizeof(err)), 0);
	f->dev = (struct fwu_device){ &upload_stage_ops, &st, out };
	f->calls.m = NULL;
	assert_int_equal(run(f), FWU_DELIVERED);
	upload_stage_close(&st);

	uint8_t *img = slurp(out, &len);
	assert_int_equal(len % 512, 0);
	struct initrd_image ii;
	memset(&ii, 0, sizeof(ii));
	assert_int_equal(initrd_image_open(&ii, img, len), 0);
	assert_int_equal(ii.nparts, 1);
	assert_int_equal(ii.part[0].seg.format, INITRD_CPIO);
	struct found s = { .want = "lib/firmware/acme/pmic-x1-0.bin" };
	initrd_part_foreach(&ii.part[0], find_entry, &s);
	assert_int_equal(s.entries, 4); /* lib, lib/firmware, lib/firmware/acme, the file */
	assert_non_null(s.data);
	assert_int_equal(s.size, f->len);
	assert_int_equal(s.mode, CPIO_S_IFREG | 0644);
	assert_memory_equal(s.data, f->payload, f->len);
	initrd_image_close(&ii);

	/* Prepended to an existing image, which follows byte for byte. */
	uint8_t tail[2048];
	struct cpio_writer w;
	cpio_writer_init(&w, tail, sizeof(tail), 0, 0);
	assert_int_equal(cpio_writer_add_file(&w, "init", 0755, "#!/bin/sh\n", 10, 0), 0);
	assert_int_equal(cpio_writer_finish(&w, 512), 0);
	char out2[512];
	snprintf(out2, sizeof(out2), "%s/out2.img", dir);
	assert_int_equal(upload_stage_open(&st, out2, "x.bin", tail, w.off, 0, err,
					   sizeof(err)), 0);
	f->dev = (struct fwu_device){ &upload_stage_ops, &st, out2 };
	assert_int_equal(run(f), FWU_DELIVERED);
	upload_stage_close(&st);
	size_t len2;
	uint8_t *img2 = slurp(out2, &len2);
	assert_int_equal(len2 % 512, 0);
	assert_true(len2 > w.off + f->len);
	assert_memory_equal(img2 + len2 - w.off, tail, w.off);
	memset(&ii, 0, sizeof(ii));
	assert_int_equal(initrd_image_open(&ii, img2, len2), 0);
	assert_int_equal(ii.nparts, 2);
	struct found s2 = { .want = "lib/firmware/x.bin" };
	initrd_part_foreach(&ii.part[0], find_entry, &s2);
	assert_int_equal(s2.size, f->len);
	assert_memory_equal(s2.data, f->payload, f->len);
	initrd_image_close(&ii);
	free(img);
	free(img2);
	fixture_free(f);
	remove_dir(dir);
}

static void test_stage_refusals(void **state)
{
	(void)state;
	char *dir = temp_dir("fwupload-stage2");
	struct upload_stage st;
	char out[512], err[512];
	static const uint8_t junk[64] = { 'n', 'o', 't', ' ', 'c', 'p', 'i', 'o' };

	snprintf(out, sizeof(out), "%s/out.img", dir);
	assert_int_equal(upload_stage_open(&st, out, "../x", NULL, 0, 0, err, sizeof(err)),
			 FWK_ERR_BADNAME);
	assert_int_equal(upload_stage_open(&st, out, "/abs", NULL, 0, 0, err, sizeof(err)),
			 FWK_ERR_BADNAME);
	assert_int_equal(upload_stage_open(&st, out, "", NULL, 0, 0, err, sizeof(err)),
			 FWK_ERR_BADNAME);
	assert_int_equal(upload_stage_open(&st, out, ".", NULL, 0, 0, err, sizeof(err)),
			 FWK_ERR_BADNAME);
	assert_true(upload_stage_open(&st, out, "x.bin", junk, sizeof(junk), 0, err,
				      sizeof(err)) < 0);

	/* Cancelled half way: no output, no temporary file left. */
	struct fixture *f = fixture_new(100);
	assert_int_equal(upload_stage_open(&st, out, "x.bin", NULL, 0, 0, err, sizeof(err)), 0);
	enum fwu_status where = FWU_STATUS_PROGRAMMING;
	uint64_t w = 0;
	assert_int_equal(upload_stage_ops.prepare(&st, f->payload, 100, &f->img), FWU_ERR_NONE);
	assert_int_equal(upload_stage_ops.write(&st, f->payload, 0, 50, &w), FWU_ERR_NONE);
	upload_stage_ops.cancel(&st);
	assert_int_equal(upload_stage_ops.poll_complete(&st, &where), FWU_ERR_RW_ERROR);
	upload_stage_close(&st);
	assert_int_equal(access(out, F_OK), -1);
	assert_int_equal(sh("[ -z \"$(ls -A '%s')\" ]", dir), 0);
	fixture_free(f);
	remove_dir(dir);
}

static void test_stage_default_name(void **state)
{
	(void)state;
	char n[64];

	assert_int_equal(upload_stage_default_name("acme,pmic-x1", 0, n, sizeof(n)), 18);
	assert_string_equal(n, "acme/pmic-x1-0.bin");
	assert_true(upload_stage_default_name("foo", 3, n, sizeof(n)) > 0);
	assert_string_equal(n, "foo-3.bin");
	assert_true(upload_stage_default_name("ti,tps65219,v2", 12, n, sizeof(n)) > 0);
	assert_string_equal(n, "ti/tps65219_v2-12.bin");
	assert_true(upload_stage_default_name("..,../x y", 1, n, sizeof(n)) > 0);
	assert_string_equal(n, "_./_._x_y-1.bin");
	assert_int_equal(upload_stage_default_name("", 0, n, sizeof(n)), FWK_ERR_INVAL);
	assert_int_equal(upload_stage_default_name("acme,pmic-x1", 0, n, 10), FWK_ERR_NOSPACE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_deliver),
		cmocka_unit_test(test_partial_writes),
		cmocka_unit_test(test_no_version_op),
		cmocka_unit_test(test_verify_refuses_first),
		cmocka_unit_test(test_digest_mismatch),
		cmocka_unit_test(test_target_mismatch),
		cmocka_unit_test(test_target_match_forms),
		cmocka_unit_test(test_downgrade_refused),
		cmocka_unit_test(test_downgrade_allowed),
		cmocka_unit_test(test_up_to_date),
		cmocka_unit_test(test_transient_retried),
		cmocka_unit_test(test_retries_exhausted),
		cmocka_unit_test(test_hw_error_not_retried),
		cmocka_unit_test(test_zero_write_is_an_error),
		cmocka_unit_test(test_prepare_fails),
		cmocka_unit_test(test_poll),
		cmocka_unit_test(test_version_read_back),
		cmocka_unit_test(test_invalid_arguments),
		cmocka_unit_test(test_record_fields_bounded),
		cmocka_unit_test(test_record_every_attempt),
		cmocka_unit_test(test_payload_read_only_mapping),
		cmocka_unit_test(test_sysfs_delivers),
		cmocka_unit_test(test_sysfs_hw_error),
		cmocka_unit_test(test_sysfs_timeout),
		cmocka_unit_test(test_sysfs_identity),
		cmocka_unit_test(test_sysfs_open_errors),
		cmocka_unit_test(test_stage),
		cmocka_unit_test(test_stage_refusals),
		cmocka_unit_test(test_stage_default_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

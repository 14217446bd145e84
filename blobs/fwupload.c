/* SPDX-License-Identifier: MIT */
/* fwupload.c - the firmware-upload engine: checks an image, then drives a
 * device through Linux-style upload operations and records the attempt. */
#include <fwkit/fwupload.h>

static const char *const status_names[] = {
	[FWU_STATUS_IDLE] = "idle",
	[FWU_STATUS_RECEIVING] = "receiving",
	[FWU_STATUS_PREPARING] = "preparing",
	[FWU_STATUS_TRANSFERRING] = "transferring",
	[FWU_STATUS_PROGRAMMING] = "programming",
};

/* Linux 6.1's strings (drivers/base/firmware_loader/sysfs_upload.c), and
 * the one later kernels added. */
static const char *const err_names[] = {
	[FWU_ERR_NONE] = "none",
	[FWU_ERR_HW_ERROR] = "hw-error",
	[FWU_ERR_TIMEOUT] = "timeout",
	[FWU_ERR_CANCELED] = "user-abort",
	[FWU_ERR_BUSY] = "device-busy",
	[FWU_ERR_INVALID_SIZE] = "invalid-file-size",
	[FWU_ERR_RW_ERROR] = "read-write-error",
	[FWU_ERR_WEAROUT] = "flash-wearout",
	[FWU_ERR_FW_INVALID] = "firmware-invalid",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *fwu_status_name(enum fwu_status s)
{
	return (unsigned)s < COUNT(status_names) ? status_names[s] : NULL;
}

const char *fwu_err_name(enum fwu_err e)
{
	return (unsigned)e < COUNT(err_names) ? err_names[e] : NULL;
}

static size_t str_len(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static int name_index(const char *const *names, size_t count, const char *s, size_t len)
{
	for (size_t i = 0; i < count; i++)
		if (str_len(names[i]) == len && memcmp(names[i], s, len) == 0)
			return (int)i;
	return -1;
}

int fwu_status_parse(const char *s, size_t len)
{
	return s ? name_index(status_names, COUNT(status_names), s, len) : -1;
}

int fwu_err_parse(const char *s, size_t len)
{
	return s ? name_index(err_names, COUNT(err_names), s, len) : -1;
}

bool fwu_err_transient(enum fwu_err e)
{
	return e == FWU_ERR_BUSY || e == FWU_ERR_TIMEOUT || e == FWU_ERR_RW_ERROR;
}

/* ---- bounded text --------------------------------------------------------- */

/* Appends that never overrun and always leave a NUL; printable ASCII only,
 * so a record is valid UTF-8 whatever a backend or verifier wrote. */
struct text {
	char *p;
	size_t cap;
	size_t len;
};

static void text_init(struct text *t, char *p, size_t cap)
{
	t->p = p;
	t->cap = cap;
	t->len = 0;
	p[0] = '\0';
}

static void text_put(struct text *t, const char *s, size_t n)
{
	for (size_t i = 0; i < n && s[i] && t->len + 1 < t->cap; i++) {
		char c = s[i];
		t->p[t->len++] = c >= 0x20 && c < 0x7f ? c : '?';
	}
	t->p[t->len] = '\0';
}

static void text_str(struct text *t, const char *s)
{
	text_put(t, s, str_len(s));
}

static void text_u64(struct text *t, uint64_t v)
{
	char d[20];
	size_t n = 0;

	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		text_put(t, &d[--n], 1);
}

/* s, or its start and "..." when it is longer than room bytes. */
static void text_cut(struct text *t, const char *s, size_t room)
{
	size_t n = str_len(s);

	if (n <= room) {
		text_put(t, s, n);
		return;
	}
	text_put(t, s, room > 3 ? room - 3 : 0);
	text_str(t, "...");
}

static size_t digits(uint64_t v)
{
	size_t n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/* ---- argument checks ------------------------------------------------------ */

static bool printable(const char *s, size_t max)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (n >= max || s[n] < 0x20 || s[n] > 0x7e)
			return false;
	return n > 0;
}

static bool args_ok(const struct fwu_image *img, const struct fwu_device *dev,
		    const struct fwu_options *opt, struct fwu_result *res)
{
	if (!img || !dev || !res || !dev->ops)
		return false;
	const struct fwu_ops *o = dev->ops;
	if (!o->name || !o->identity || !o->prepare || !o->write || !o->poll_complete ||
	    !o->cancel)
		return false;
	if (!img->payload || img->payload_len == 0 || img->payload_len > FWU_PAYLOAD_MAX)
		return false;
	if (!img->target || !printable(img->target, FWU_TARGET_MAX))
		return false;
	if (img->type_name && !printable(img->type_name, 15))
		return false;
	if (opt && opt->retries > FWU_RETRIES_MAX)
		return false;
	return true;
}

/* ---- the record ----------------------------------------------------------- */

struct run {
	const struct fwu_image *img;
	const struct fwu_device *dev;
	const struct fwu_options *opt;
	struct fwu_result *res;
	struct text reason;
	bool prepared;        /* prepare() succeeded: cleanup() is owed */
};

/* "pmic acme,pmic-x1@0 v7": the target gives way when space runs short. */
static void record_identity(struct ledger_record *r, const struct fwu_image *img)
{
	const char *type = img->type_name ? img->type_name : "blob";
	size_t suffix = 1 + digits(img->instance) + 2 + digits(img->version);
	size_t room = LEDGER_IDENTITY_MAX - 1 - str_len(type) - 1 - suffix;
	struct text t;

	text_init(&t, r->identity, sizeof(r->identity));
	text_str(&t, type);
	text_str(&t, " ");
	text_cut(&t, img->target, room);
	text_str(&t, "@");
	text_u64(&t, img->instance);
	text_str(&t, " v");
	text_u64(&t, img->version);
}

static void record_begin(struct run *run)
{
	struct ledger_record *r = &run->res->record;
	const char *where = run->dev->where ? run->dev->where : "";
	struct text t;

	r->kind = LEDGER_BLOB;
	record_identity(r, run->img);
	text_init(&t, r->source, sizeof(r->source));
	text_str(&t, run->dev->ops->name);
	text_str(&t, ":");
	text_cut(&t, where, sizeof(r->source) - 1 - t.len);
	memcpy(r->sha256, run->img->sha256, SHA256_DIGEST_SIZE);
	r->have_replaced = false;
	r->taint_bit = -1;
	text_init(&run->reason, r->reason, sizeof(r->reason));
}

static int finish(struct run *run, enum fwu_outcome outcome)
{
	run->res->outcome = outcome;
	if (run->opt->record)
		run->opt->record(run->opt->record_arg, &run->res->record);
	return (int)outcome;
}

static int refuse(struct run *run, enum fwu_refusal why)
{
	run->res->refusal = why;
	return finish(run, FWU_REFUSED);
}

/* The device failed in `step`: tell it to drop what it staged (if anything
 * was started) and release it, then say what happened. */
static int fail(struct run *run, enum fwu_status status, enum fwu_err err,
		const char *step, bool at_offset, uint64_t offset, unsigned tries,
		bool started)
{
	struct fwu_result *res = run->res;
	const struct fwu_ops *o = run->dev->ops;
	struct text *t = &run->reason;

	if (started)
		o->cancel(run->dev->ctx);
	if (run->prepared && o->cleanup)
		o->cleanup(run->dev->ctx);
	run->prepared = false;

	res->status = status;
	res->error = err;
	res->step = step;
	res->offset = offset;
	text_str(t, "failed: ");
	text_str(t, fwu_status_name(status) ? fwu_status_name(status) : "unknown-status");
	text_str(t, ":");
	text_str(t, fwu_err_name(err) ? fwu_err_name(err) : "unknown-error");
	text_str(t, " (");
	text_str(t, step);
	if (at_offset) {
		text_str(t, " at byte ");
		text_u64(t, offset);
	}
	text_str(t, ")");
	if (tries) {
		text_str(t, " after ");
		text_u64(t, tries);
		text_str(t, tries == 1 ? " retry" : " retries");
	}
	return finish(run, FWU_FAILED);
}

/* Call `call` (an expression giving an enum fwu_err) until it succeeds,
 * fails for good, or has been retried opt->retries times; n counts retries. */
#define WITH_RETRIES(run, e, n, call)                                          \
	do {                                                                   \
		for ((n) = 0;; (n)++) {                                        \
			(e) = (call);                                          \
			if ((e) == FWU_ERR_NONE || !fwu_err_transient(e) ||    \
			    (n) >= (run)->opt->retries)                        \
				break;                                         \
			(run)->res->retries++;                                 \
		}                                                              \
	} while (0)

/* ---- the checks ----------------------------------------------------------- */

/* Is target one of the NUL-separated strings of list[0..len)? */
static bool compatible_has(const char *list, size_t len, const char *target)
{
	size_t tlen = str_len(target);

	for (size_t i = 0; i < len;) {
		size_t n = 0;
		while (i + n < len && list[i + n])
			n++;
		if (n == tlen && memcmp(list + i, target, n) == 0)
			return true;
		i += n + 1;
	}
	return false;
}

static void target_text(struct text *t, const char *compat, uint32_t instance)
{
	text_str(t, compat);
	text_str(t, "@");
	if (instance == FWU_INSTANCE_ANY)
		text_str(t, "any");
	else
		text_u64(t, instance);
}

/* 0 when the device is the image's target, else the refusal's return. */
static int check_target(struct run *run, const struct fwu_identity *id)
{
	const struct fwu_image *img = run->img;
	struct text *t = &run->reason;

	if (id->any_target)
		return 0;
	bool well_formed = id->compatible_len > 0 && id->compatible_len <= FWU_COMPAT_MAX &&
			   id->compatible[id->compatible_len - 1] == '\0';
	if (well_formed && compatible_has(id->compatible, id->compatible_len, img->target) &&
	    (id->instance == FWU_INSTANCE_ANY || id->instance == img->instance))
		return 0;

	text_str(t, "refused: target ");
	target_text(t, img->target, img->instance);
	if (!well_formed) {
		text_str(t, ": the device does not say what it is");
	} else {
		text_str(t, " is not this device (");
		target_text(t, id->compatible, id->instance);
		text_str(t, ")");
	}
	return refuse(run, FWU_REFUSE_TARGET);
}

static enum fwu_err write_once(struct run *run, uint64_t off, uint64_t size, uint64_t *w)
{
	*w = 0;
	enum fwu_err e = run->dev->ops->write(run->dev->ctx, run->img->payload, off, size, w);
	/* Taking nothing (or more than offered) is a failed transfer, as Linux
	 * treats a write op that wrote zero bytes. */
	if (e == FWU_ERR_NONE && (*w == 0 || *w > size))
		e = FWU_ERR_RW_ERROR;
	return e;
}

/* ---- the engine ------------------------------------------------------------ */

int fwu_deliver(const struct fwu_image *img, const struct fwu_device *dev,
		const struct fwu_options *opt, struct fwu_result *res)
{
	static const struct fwu_options defaults = { .retries = FWU_DEFAULT_RETRIES };
	struct run run = { .img = img, .dev = dev, .opt = opt ? opt : &defaults, .res = res };
	uint8_t digest[SHA256_DIGEST_SIZE];
	enum fwu_err e = FWU_ERR_NONE;
	unsigned n = 0;

	if (!args_ok(img, dev, opt, res))
		return FWK_ERR_INVAL;
	memset(res, 0, sizeof(*res));
	res->status = FWU_STATUS_IDLE;
	record_begin(&run);
	const struct fwu_ops *o = dev->ops;
	uint64_t chunk = run.opt->chunk_size ? run.opt->chunk_size : FWU_DEFAULT_CHUNK;
	unsigned poll_limit = run.opt->poll_limit ? run.opt->poll_limit : FWU_DEFAULT_POLL_LIMIT;

	/* 2. The caller's own checks (container, signature) come first. */
	if (img->verify) {
		char why[LEDGER_REASON_MAX];
		why[0] = '\0';
		int rc = img->verify(img, img->verify_arg, why, sizeof(why));
		why[sizeof(why) - 1] = '\0';
		if (rc != 0) {
			res->verify_error = rc < 0 ? rc : FWK_ERR_INVAL;
			text_str(&run.reason, "refused: verify: ");
			text_str(&run.reason, why[0] ? why : fwk_strerror(res->verify_error));
			return refuse(&run, FWU_REFUSE_VERIFY);
		}
	}

	/* 3. The bytes we will send are the bytes that were signed. */
	struct sha256_ctx sc;
	sha256_init(&sc);
	for (uint64_t at = 0; at < img->payload_len;) {
		uint64_t part = img->payload_len - at;
		if (part > (1u << 30)) /* size_t may be 32 bits in a boot loader */
			part = 1u << 30;
		sha256_update(&sc, img->payload + at, (size_t)part);
		at += part;
	}
	sha256_final(&sc, digest);
	if (memcmp(digest, img->sha256, SHA256_DIGEST_SIZE) != 0) {
		text_str(&run.reason, "refused: payload sha256 mismatch");
		return refuse(&run, FWU_REFUSE_DIGEST);
	}

	/* 4. The right device. */
	struct fwu_identity id;
	memset(&id, 0, sizeof(id));
	WITH_RETRIES(&run, e, n, o->identity(dev->ctx, &id));
	if (e != FWU_ERR_NONE)
		return fail(&run, FWU_STATUS_PREPARING, e, "identity", false, 0, n, false);
	int rc = check_target(&run, &id);
	if (rc)
		return rc;

	/* 5. Never backwards unless asked; never the same version twice. */
	bool downgrade = false;
	if (o->read_version) {
		uint64_t v = 0;
		WITH_RETRIES(&run, e, n, o->read_version(dev->ctx, &v));
		if (e != FWU_ERR_NONE)
			return fail(&run, FWU_STATUS_PREPARING, e, "read_version", false, 0, n,
				    false);
		res->have_old_version = true;
		res->old_version = v;
		res->new_version = v;
		if (img->version == v) {
			text_str(&run.reason, "up-to-date: the device runs v");
			text_u64(&run.reason, v);
			return finish(&run, FWU_UP_TO_DATE);
		}
		if (img->version < v && !run.opt->allow_downgrade) {
			text_str(&run.reason, "refused: downgrade ");
			text_u64(&run.reason, img->version);
			text_str(&run.reason, " < ");
			text_u64(&run.reason, v);
			return refuse(&run, FWU_REFUSE_DOWNGRADE);
		}
		downgrade = img->version < v;
	}

	/* Only now does the device see the image. */
	WITH_RETRIES(&run, e, n, o->prepare(dev->ctx, img->payload, img->payload_len, img));
	if (e != FWU_ERR_NONE)
		return fail(&run, FWU_STATUS_PREPARING, e, "prepare", false, 0, n, true);
	run.prepared = true;

	uint64_t off = 0;
	while (off < img->payload_len) {
		uint64_t size = img->payload_len - off, w = 0;
		if (size > chunk)
			size = chunk;
		WITH_RETRIES(&run, e, n, write_once(&run, off, size, &w));
		if (e != FWU_ERR_NONE)
			return fail(&run, FWU_STATUS_TRANSFERRING, e, "write", true, off, n, true);
		off += w;
		res->written = off;
		if (run.opt->progress)
			run.opt->progress(run.opt->progress_arg, off, img->payload_len);
	}

	/* BUSY is "still programming"; past poll_limit of them it is a timeout.
	 * A timeout is final here: the whole wait has expired. */
	enum fwu_status where;
	unsigned polls = 0;
	n = 0;
	for (;;) {
		where = FWU_STATUS_PROGRAMMING;
		e = o->poll_complete(dev->ctx, &where);
		if (e == FWU_ERR_BUSY) {
			if (++polls < poll_limit)
				continue;
			e = FWU_ERR_TIMEOUT;
			break;
		}
		if (e == FWU_ERR_NONE || e == FWU_ERR_TIMEOUT || !fwu_err_transient(e) ||
		    n >= run.opt->retries)
			break;
		n++;
		res->retries++;
	}
	if ((unsigned)where > FWU_STATUS_PROGRAMMING)
		where = FWU_STATUS_PROGRAMMING;
	if (e != FWU_ERR_NONE)
		return fail(&run, where, e, "poll_complete", false, 0, n, true);

	/* What the device runs now, when it can tell: the proof it switched. */
	res->new_version = img->version;
	if (o->read_version) {
		uint64_t v = 0;
		WITH_RETRIES(&run, e, n, o->read_version(dev->ctx, &v));
		if (e != FWU_ERR_NONE)
			return fail(&run, FWU_STATUS_PROGRAMMING, e, "read_version after the update",
				    false, 0, n, false);
		res->new_version = v;
		if (v != img->version) {
			text_str(&run.reason, "failed: programming:hw-error (the device reports v");
			text_u64(&run.reason, v);
			text_str(&run.reason, " after the update, not v");
			text_u64(&run.reason, img->version);
			text_str(&run.reason, ")");
			if (o->cleanup)
				o->cleanup(dev->ctx);
			res->status = FWU_STATUS_PROGRAMMING;
			res->error = FWU_ERR_HW_ERROR;
			res->step = "read_version after the update";
			return finish(&run, FWU_FAILED);
		}
	}
	if (o->cleanup)
		o->cleanup(dev->ctx);

	text_str(&run.reason, "delivered");
	if (downgrade) {
		text_str(&run.reason, ": downgrade ");
		text_u64(&run.reason, res->old_version);
		text_str(&run.reason, " -> ");
		text_u64(&run.reason, img->version);
		text_str(&run.reason, " allowed");
		res->record.taint_bit = (int)TAINT_FIRMWARE_WORKAROUND;
	}
	res->status = FWU_STATUS_IDLE;
	return finish(&run, FWU_DELIVERED);
}

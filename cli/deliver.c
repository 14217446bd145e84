/* SPDX-License-Identifier: MIT */
/* deliver.c - `fwkit blob deliver`: arguments, files and messages around the
 * firmware-upload engine (blobs/fwupload.c) and its backends. */
#include "cli.h"
#include "ledger.h"

#include <fwkit/fwb.h>
#include <fwkit/fwb_sign.h>
#include <fwkit/fwupload.h>
#include <fwkit/upload_backends.h>

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const char deliver_help[] =
	"usage: fwkit blob deliver --to DEVICE (--pubkey PUB.pem | --allow-unsigned)\n"
	"                          [--allow-downgrade] [--retries N] [--chunk-size N]\n"
	"                          [--ledger FILE] [--quiet] [backend options] FILE.fwb\n"
	"\n"
	"Deliver the payload of a .fwb container to a device, without ever executing\n"
	"it.  Before the first byte reaches the device: the container's structure\n"
	"and digests, its signature (--pubkey), the payload's SHA-256, the device's\n"
	"identity against the target, and its firmware version (a lower version is\n"
	"refused, the same one is not sent again).  Every attempt is recorded in the\n"
	"ledger.  docs/delivery.md has the whole story.\n"
	"\n"
	"DEVICE is one of:\n"
	"  pmic-sim:DIR[,fault=KIND@N]...  the simulated PMIC kept in DIR (made on\n"
	"                 first use as a device of the container's target, version 0,\n"
	"                 nothing active); KIND: nack, timeout, crc, crc-always,\n"
	"                 power, power-commit\n"
	"  fw-upload:NAME  Linux firmware upload, SYSFS/class/firmware/NAME\n"
	"  initramfs:OUT   write OUT: an early cpio with lib/firmware/NAME, followed\n"
	"                 by --initrd IMAGE if given, for a driver that calls\n"
	"                 request_firmware() at probe\n"
	"\n"
	"  --pubkey PUB.pem      the container must be signed by this Ed25519 key\n"
	"  --allow-unsigned      deliver without checking a signature\n"
	"  --allow-downgrade     deliver a version lower than the device's (recorded\n"
	"                        with taint bit 11, I)\n"
	"  --retries N           retries of a busy, timed-out or failed transfer per\n"
	"                        step (default 3; hw-error is never retried)\n"
	"  --chunk-size N        bytes per write (default 4096)\n"
	"  --ledger FILE         the ledger (default " LEDGER_DEFAULT_PATH ")\n"
	"  --quiet               no progress, no result line\n"
	"  --sysfs-root DIR      fw-upload: where sysfs is (default /sys)\n"
	"  --timeout SECONDS     fw-upload: how long the kernel may take (default 60)\n"
	"  --assume-compatible S fw-upload: the device's compatible string when it\n"
	"                        has no devicetree node to say so\n"
	"  --initrd IMAGE        initramfs: the image to put after the early cpio\n"
	"  --firmware-name NAME  initramfs: the file under lib/firmware/ (default\n"
	"                        VENDOR/DEVICE-INSTANCE.bin from the target)\n"
	"\n"
	"Exit status: 0 delivered or already up to date; 1 refused (signature, key,\n"
	"target, downgrade) or the device failed; 2 bad usage, an unreadable or\n"
	"malformed container, a key file that cannot be read (one line on stderr\n"
	"naming the file and the field, or the device's error).\n";

#define CMD "blob deliver"

/* ---- the container, mapped read-only ------------------------------------- */

struct container {
	struct input in;
	const uint8_t *data; /* a PROT_READ mapping, never writable or executable */
	size_t len;
	void *copy;          /* our own mapping when the input was a pipe */
	char perms[5];       /* as /proc/self/maps shows them; "" if unknown */
};

/* The permissions /proc/self/maps shows for [addr, addr + len), "r--p";
 * 0, or -1 when the range is not wholly mapped or maps cannot be read. */
static int mapping_perms(const void *addr, size_t len, char perms[5])
{
	uintptr_t lo = (uintptr_t)addr, hi = lo + len, at = lo;
	char line[512];

	perms[0] = '\0';
	FILE *f = fopen("/proc/self/maps", "r");
	if (!f)
		return -1;
	/* Lines are sorted by address; follow the regions that cover the range. */
	while (at < hi && fgets(line, sizeof(line), f)) {
		unsigned long a, b;
		char p[5];
		if (sscanf(line, "%lx-%lx %4s", &a, &b, p) != 3 || b <= at || a > at)
			continue;
		if (!perms[0] || p[1] != '-' || p[2] != '-')
			memcpy(perms, p, 5); /* the first, or the worst */
		at = b;
	}
	fclose(f);
	return at >= hi ? 0 : -1;
}

static int container_open(struct container *c, const char *path)
{
	memset(c, 0, sizeof(*c));
	if (input_open(&c->in, path) != 0)
		return EXIT_BAD;
	if (c->in.len > SIZE_MAX / 2) {
		input_release(&c->in);
		return bad("%s: too large", path);
	}
	c->len = (size_t)c->in.len;
	c->data = c->in.data;
	if (c->in.heap && c->len) {
		/* A pipe was read into the heap: give it a read-only mapping of its
		 * own, so the payload is never in writable memory while delivered. */
		void *m = mmap(NULL, c->len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);
		if (m == MAP_FAILED) {
			input_release(&c->in);
			return bad("%s: cannot map %zu bytes", path, c->len);
		}
		memcpy(m, c->in.data, c->len);
		mprotect(m, c->len, PROT_READ);
		c->copy = m;
		c->data = m;
	}
	if (!c->len)
		return EXIT_OK; /* fwb_parse says what is wrong with it */
	if (mapping_perms(c->data, c->len, c->perms) != 0)
		return EXIT_OK; /* no /proc: said before delivering */
	if (c->perms[1] != '-' || c->perms[2] != '-') {
		if (c->copy)
			munmap(c->copy, c->len);
		input_release(&c->in);
		return bad("%s: mapped %s: refusing a writable or executable mapping", path,
			   c->perms);
	}
	return EXIT_OK;
}

static void container_close(struct container *c)
{
	if (c->copy)
		munmap(c->copy, c->len);
	input_release(&c->in);
}

/* ---- the engine's callbacks ---------------------------------------------- */

struct verify_ctx {
	const char *path;
	const struct container *c;
	const char *pubkey;
	bool bad_input;      /* a damaged container or unreadable key: exit 2 */
};

/* fwb_check and fwb_verify, before anything reaches the device. */
static int verify_container(const struct fwu_image *img, void *arg, char *why, size_t cap)
{
	struct verify_ctx *v = arg;
	struct fwb_info info;
	struct fwk_fault f = { 0 };
	char err[512];

	(void)img;
	int rc = fwb_check(v->c->data, v->c->len, &info, &f);
	if (rc < 0) {
		snprintf(why, cap, "offset %llu: %s: %s", (unsigned long long)f.offset,
			 f.field ? f.field : "container", f.detail ? f.detail : fwk_strerror(rc));
		v->bad_input = true;
		return rc;
	}
	if (!v->pubkey)
		return 0;
	err[0] = '\0';
	rc = fwb_verify(v->c->data, v->c->len, &info, v->pubkey, err, sizeof(err));
	if (rc < 0) {
		snprintf(why, cap, "%s", err[0] ? err : fwk_strerror(rc));
		v->bad_input = rc == FWK_ERR_INVAL;
	}
	return rc;
}

struct report {
	const char *path;
	const char *ledger;
	bool quiet, tty;
	int last_quarter;
	bool ledger_failed;
};

static void on_progress(void *arg, uint64_t done, uint64_t total)
{
	struct report *r = arg;
	int pct = (int)(done * 100 / total);

	if (r->tty) {
		fprintf(stderr, "\rfwkit: %s: %3d%% (%llu/%llu bytes)", r->path, pct,
			(unsigned long long)done, (unsigned long long)total);
		if (done == total)
			fputc('\n', stderr);
		return;
	}
	if (pct / 25 > r->last_quarter) {
		r->last_quarter = pct / 25;
		msg("%s: %d%% (%llu/%llu bytes)", r->path, pct, (unsigned long long)done,
		    (unsigned long long)total);
	}
}

static void on_record(void *arg, const struct ledger_record *rec)
{
	struct report *r = arg;

	if (ledger_append(r->ledger, rec) != 0)
		r->ledger_failed = true;
}

/* ---- devices --------------------------------------------------------------- */

struct backend_opts {
	const char *sysfs_root;
	const char *assume_compatible;
	uint64_t timeout_s;
	const char *initrd;
	const char *firmware_name;
};

struct backend {
	enum { B_PMIC, B_SYSFS, B_STAGE } kind;
	struct fwu_device dev;
	struct pmic_sim_dir pd;
	struct pmic_sim_port port;
	struct upload_sysfs sysfs;
	struct upload_stage stage;
	struct input image;
	char where[UPLOAD_PATH_MAX];
	bool open;
};

/* "DIR[,fault=KIND@N]...": DIR may itself hold commas, so only ",fault="
 * separates. */
static int open_pmic(struct backend *b, const char *spec, const struct fwb_info *info)
{
	char err[UPLOAD_MESSAGE_MAX];
	const char *cut = strstr(spec, ",fault=");
	size_t dlen = cut ? (size_t)(cut - spec) : strlen(spec);

	if (dlen == 0 || dlen >= sizeof(b->where))
		return usage_error(CMD, "--to pmic-sim:DIR: DIR is empty or too long");
	memcpy(b->where, spec, dlen);
	b->where[dlen] = '\0';
	if (pmic_sim_dir_open(&b->pd, b->where, info->target, info->instance, 0, err,
			      sizeof(err)) != 0) {
		pmic_sim_dir_close(&b->pd);
		return bad("%s", err);
	}
	b->open = true;
	while (cut) {
		const char *k = cut + strlen(",fault=");
		cut = strstr(k, ",fault=");
		size_t klen = cut ? (size_t)(cut - k) : strlen(k);
		struct pmic_sim_fault f;
		const char *why = "";
		if (pmic_sim_fault_parse(k, klen, &f, &why) != 0)
			return usage_error(CMD, "--to: fault=%.*s: %s", (int)klen, k, why);
		if (pmic_sim_add_fault(&b->pd.sim, &f) != 0)
			return usage_error(CMD, "--to: at most %u faults", PMIC_SIM_MAX_FAULTS);
	}
	pmic_sim_port_init(&b->port, &b->pd.sim);
	b->dev = (struct fwu_device){ &pmic_sim_fwu_ops, &b->port, b->where };
	return EXIT_OK;
}

static int open_sysfs(struct backend *b, const char *name, const struct backend_opts *o)
{
	char err[UPLOAD_MESSAGE_MAX];

	if (upload_sysfs_open(&b->sysfs, o->sysfs_root, name, err, sizeof(err)) != 0)
		return bad("%s", err);
	b->open = true;
	b->sysfs.assume_compatible = o->assume_compatible;
	b->sysfs.timeout_ms = (unsigned)(o->timeout_s * 1000u);
	snprintf(b->where, sizeof(b->where), "%s", b->sysfs.dir);
	b->dev = (struct fwu_device){ &upload_sysfs_ops, &b->sysfs, b->where };
	return EXIT_OK;
}

static int open_stage(struct backend *b, const char *out, const struct backend_opts *o,
		      const struct fwb_info *info)
{
	char err[UPLOAD_MESSAGE_MAX], name[256];
	uint32_t mtime;
	int rc;

	if (!*out)
		return usage_error(CMD, "--to initramfs:OUT: OUT is empty");
	if ((rc = source_date_epoch(&mtime)) != 0)
		return rc;
	const char *fname = o->firmware_name;
	if (!fname) {
		if (upload_stage_default_name(info->target, info->instance, name, sizeof(name)) < 0)
			return bad("%s: no default firmware name (use --firmware-name)", info->target);
		fname = name;
	}
	if (o->initrd && input_open(&b->image, o->initrd) != 0)
		return EXIT_BAD;
	rc = upload_stage_open(&b->stage, out, fname, o->initrd ? b->image.data : NULL,
			       o->initrd ? b->image.len : 0, mtime, err, sizeof(err));
	if (rc != 0) {
		/* The image's fault text names no file; the name's does. */
		return bad("%s%s%s", rc == FWK_ERR_BADNAME || !o->initrd ? "" : o->initrd,
			   rc == FWK_ERR_BADNAME || !o->initrd ? "" : ": ", err);
	}
	b->open = true;
	snprintf(b->where, sizeof(b->where), "%s", out);
	b->dev = (struct fwu_device){ &upload_stage_ops, &b->stage, b->where };
	return EXIT_OK;
}

static int backend_open(struct backend *b, const char *to, const struct backend_opts *o,
			const struct fwb_info *info)
{
	memset(b, 0, sizeof(*b));
	if (!strncmp(to, "pmic-sim:", 9)) {
		b->kind = B_PMIC;
		return open_pmic(b, to + 9, info);
	}
	if (!strncmp(to, "fw-upload:", 10)) {
		b->kind = B_SYSFS;
		return open_sysfs(b, to + 10, o);
	}
	if (!strncmp(to, "initramfs:", 10)) {
		b->kind = B_STAGE;
		return open_stage(b, to + 10, o, info);
	}
	return usage_error(CMD, "--to '%s': expected pmic-sim:DIR, fw-upload:NAME or initramfs:OUT",
			   to);
}

static const char *backend_message(const struct backend *b)
{
	if (b->kind == B_SYSFS)
		return b->sysfs.message;
	if (b->kind == B_STAGE)
		return b->stage.message;
	return "";
}

static void backend_close(struct backend *b)
{
	if (b->kind == B_PMIC)
		pmic_sim_dir_close(&b->pd);
	else if (b->kind == B_SYSFS && b->open)
		upload_sysfs_close(&b->sysfs);
	else if (b->kind == B_STAGE) {
		if (b->open)
			upload_stage_close(&b->stage);
		if (b->image.data)
			input_release(&b->image);
	}
}

/* ---- the command ------------------------------------------------------------ */

struct deliver_args {
	const char *file, *to, *pubkey, *ledger;
	bool allow_unsigned, allow_downgrade, quiet;
	uint64_t retries, chunk;
	struct backend_opts bo;
};

static int run(const struct deliver_args *a)
{
	struct container c;
	struct fwb_info info;
	struct fwk_fault f = { 0 };
	struct backend *b = NULL;
	int rc;

	if ((rc = container_open(&c, a->file)) != EXIT_OK)
		return rc;
	/* The descriptor needs the header; damage anywhere else is found by the
	 * engine's verify callback, which checks everything again. */
	rc = fwb_parse(c.data, c.len, &info, &f);
	if (rc < 0) {
		container_close(&c);
		return bad("%s: offset %llu: %s: %s", a->file, (unsigned long long)f.offset,
			   f.field ? f.field : "container", f.detail ? f.detail : fwk_strerror(rc));
	}
	if (info.payload_length == 0) {
		container_close(&c);
		return bad("%s: offset 32: payload_length: an empty payload cannot be delivered",
			   a->file);
	}
	if (a->pubkey) {
		/* A key that cannot be read is bad usage, found before any record. */
		uint8_t id[SHA256_DIGEST_SIZE];
		char err[512] = "";
		if (fwb_key_id(a->pubkey, id, err, sizeof(err)) != 0) {
			container_close(&c);
			return bad("%s", err[0] ? err : a->pubkey);
		}
	}
	b = calloc(1, sizeof(*b));
	if (!b) {
		container_close(&c);
		return bad("out of memory");
	}
	if ((rc = backend_open(b, a->to, &a->bo, &info)) != EXIT_OK)
		goto out;

	struct verify_ctx vc = { .path = a->file, .c = &c, .pubkey = a->pubkey };
	struct fwu_image img = {
		.target = info.target,
		.instance = info.instance,
		.type_name = fwb_type_name(info.type),
		.version = info.version,
		.payload = c.data + info.payload_offset,
		.payload_len = info.payload_length,
		.verify = verify_container,
		.verify_arg = &vc,
	};
	memcpy(img.sha256, info.payload_sha256, SHA256_DIGEST_SIZE);
	struct report rep = {
		.path = a->file, .ledger = a->ledger, .quiet = a->quiet,
		.tty = isatty(STDERR_FILENO) == 1,
	};
	struct fwu_options opt = {
		.chunk_size = a->chunk,
		.retries = (unsigned)a->retries,
		.allow_downgrade = a->allow_downgrade,
		.progress = a->quiet ? NULL : on_progress,
		.progress_arg = &rep,
		.record = on_record,
		.record_arg = &rep,
	};
	if (!a->quiet && c.perms[0])
		msg("%s: mapped %s: read-only, not executable", a->file, c.perms);
	else if (!a->quiet)
		msg("%s: cannot confirm the mapping is read-only (no /proc/self/maps)", a->file);
	struct fwu_result res;
	int out = fwu_deliver(&img, &b->dev, &opt, &res);
	if (out < 0) {
		rc = bad("%s: cannot deliver: %s", a->file, fwk_strerror(out));
		goto out;
	}

	/* The simulator's flash and counters persist, whatever happened, once
	 * it was spoken to; a refusal before that leaves no trace. */
	if (b->kind == B_PMIC && b->pd.sim.transfers > 0) {
		char err[UPLOAD_MESSAGE_MAX];
		if (pmic_sim_dir_save(&b->pd, err, sizeof(err)) != 0) {
			rc = bad("%s", err);
			goto out;
		}
	}

	const char *extra = backend_message(b);
	switch (out) {
	case FWU_DELIVERED:
		if (!a->quiet)
			printf("%s: delivered %s to %s (%llu bytes, %u retr%s)%s\n", a->file,
			       res.record.identity, res.record.source,
			       (unsigned long long)res.written, res.retries,
			       res.retries == 1 ? "y" : "ies",
			       res.record.taint_bit >= 0 ? "; downgrade recorded, taint I" : "");
		rc = EXIT_OK;
		break;
	case FWU_UP_TO_DATE:
		if (!a->quiet)
			printf("%s: %s: nothing sent\n", a->file, res.record.reason);
		rc = EXIT_OK;
		break;
	case FWU_REFUSED:
		msg("%s: %s", a->file, res.record.reason);
		rc = vc.bad_input ? EXIT_BAD : EXIT_FINDING;
		break;
	default:
		msg("%s: %s: %s%s%s", a->file, res.record.source, res.record.reason,
		    extra[0] ? "; " : "", extra);
		rc = EXIT_FINDING;
		break;
	}
	if (rep.ledger_failed)
		rc = EXIT_BAD; /* ledger_append said which file */
out:
	backend_close(b);
	free(b);
	container_close(&c);
	fflush(stdout);
	return rc;
}

int cmd_blob_deliver(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "to", required_argument, NULL, 't' },
		{ "pubkey", required_argument, NULL, 'k' },
		{ "allow-unsigned", no_argument, NULL, 'U' },
		{ "allow-downgrade", no_argument, NULL, 'D' },
		{ "retries", required_argument, NULL, 'r' },
		{ "chunk-size", required_argument, NULL, 'c' },
		{ "ledger", required_argument, NULL, 'l' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "sysfs-root", required_argument, NULL, 'S' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "assume-compatible", required_argument, NULL, 'C' },
		{ "initrd", required_argument, NULL, 'i' },
		{ "firmware-name", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct deliver_args a = {
		.ledger = LEDGER_DEFAULT_PATH,
		.retries = FWU_DEFAULT_RETRIES,
		.chunk = FWU_DEFAULT_CHUNK,
		.bo = { .sysfs_root = UPLOAD_SYSFS_DEFAULT_ROOT,
			.timeout_s = UPLOAD_SYSFS_DEFAULT_TIMEOUT_MS / 1000u },
	};
	bool sysfs_opt = false;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "hq", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': fputs(deliver_help, stdout); return EXIT_OK;
		case 't': a.to = optarg; break;
		case 'k': a.pubkey = optarg; break;
		case 'U': a.allow_unsigned = true; break;
		case 'D': a.allow_downgrade = true; break;
		case 'l': a.ledger = optarg; break;
		case 'q': a.quiet = true; break;
		case 'S': a.bo.sysfs_root = optarg; sysfs_opt = true; break;
		case 'C': a.bo.assume_compatible = optarg; break;
		case 'i': a.bo.initrd = optarg; break;
		case 'n': a.bo.firmware_name = optarg; break;
		case 'r':
			if (!parse_u64(optarg, FWU_RETRIES_MAX, &a.retries))
				return usage_error(CMD, "--retries: '%s' is not a number up to %u",
						   optarg, FWU_RETRIES_MAX);
			break;
		case 'c':
			if (!parse_u64(optarg, 1u << 30, &a.chunk) || a.chunk == 0)
				return usage_error(CMD, "--chunk-size: '%s' is not a number from 1 to 2^30",
						   optarg);
			break;
		case 'T':
			if (!parse_u64(optarg, 86400, &a.bo.timeout_s) || a.bo.timeout_s == 0)
				return usage_error(CMD, "--timeout: '%s' is not a number of seconds (1..86400)",
						   optarg);
			sysfs_opt = true;
			break;
		default: return bad_option(CMD, argv);
		}
	}
	if (argc - optind != 1)
		return usage_error(CMD, "expects exactly one FILE.fwb");
	a.file = argv[optind];
	if (!a.to)
		return usage_error(CMD, "--to DEVICE is required");
	if (!a.pubkey == !a.allow_unsigned)
		return usage_error(CMD, "give --pubkey PUB.pem or --allow-unsigned (one of them)");
	bool stage = !strncmp(a.to, "initramfs:", 10), sysfs = !strncmp(a.to, "fw-upload:", 10);
	if ((a.bo.initrd || a.bo.firmware_name) && !stage)
		return usage_error(CMD, "--initrd and --firmware-name are for --to initramfs:OUT");
	if ((a.bo.assume_compatible || sysfs_opt) && !sysfs)
		return usage_error(CMD, "--sysfs-root, --timeout and --assume-compatible are for "
				   "--to fw-upload:NAME");
	return run(&a);
}

/* SPDX-License-Identifier: MIT */
/*
 * fwkit/fwupload.h - the firmware-upload engine: gets one opaque device
 * firmware image to a device through a small set of device operations,
 * checking it first and never executing it.
 *
 * The device operations follow Linux's firmware upload API
 * (include/linux/firmware.h, struct fw_upload_ops; Documentation/
 * driver-api/firmware/fw_upload.rst): prepare, then write until every byte
 * is written, then poll_complete, with cancel and cleanup.  The error and
 * status vocabulary is Linux's too, with the strings the kernel shows in
 * /sys/class/firmware/NAME/{status,error} (Documentation/ABI/testing/
 * sysfs-class-firmware).  fwkit adds two operations: the device's identity
 * (compatible strings and instance) and, optionally, the firmware version
 * it runs.
 *
 * fwu_deliver() checks, in this order, before the first byte leaves:
 *   1. its arguments (FWK_ERR_INVAL; nothing is recorded),
 *   2. the caller's verify callback (container structure, signature),
 *   3. the payload's SHA-256 against the image's expected digest,
 *   4. the device's identity against the image's target and instance,
 *   5. the device's version: lower than the image's is refused unless
 *      downgrades are allowed; equal means nothing is sent ("up-to-date").
 * Then prepare, write in chunks (with bounded retries of transient errors),
 * poll_complete, and a read-back of the version.  Every attempt that got
 * past step 1 produces one ledger record (kind LEDGER_BLOB).
 *
 * Core module: no allocation, no I/O, no global state.  The payload is only
 * read (a const pointer throughout); a device sees it only through write().
 */
#ifndef FWKIT_FWUPLOAD_H
#define FWKIT_FWUPLOAD_H

#include <fwkit/taint.h>

/* Progress of an upload: Linux's enum fw_upload_prog, same order. */
enum fwu_status {
	FWU_STATUS_IDLE = 0,     /* "idle" */
	FWU_STATUS_RECEIVING,    /* "receiving": the image is being handed over */
	FWU_STATUS_PREPARING,    /* "preparing": prepare(), identity, version */
	FWU_STATUS_TRANSFERRING, /* "transferring": write() */
	FWU_STATUS_PROGRAMMING   /* "programming": poll_complete() */
};

/*
 * Errors of the device operations: Linux's enum fw_upload_err, same order
 * and names.  Linux 6.1 (Debian 12) knows NONE .. WEAROUT; FW_INVALID
 * ("firmware-invalid") came with later kernels and is accepted when read
 * from a newer kernel's sysfs, never produced by fwkit itself.
 */
enum fwu_err {
	FWU_ERR_NONE = 0,     /* "none" */
	FWU_ERR_HW_ERROR,     /* "hw-error": the hardware said no; never retried */
	FWU_ERR_TIMEOUT,      /* "timeout": no answer in time; retried */
	FWU_ERR_CANCELED,     /* "user-abort" */
	FWU_ERR_BUSY,         /* "device-busy"; retried */
	FWU_ERR_INVALID_SIZE, /* "invalid-file-size" */
	FWU_ERR_RW_ERROR,     /* "read-write-error": a transfer failed (NACK,
				 CRC mismatch); retried */
	FWU_ERR_WEAROUT,      /* "flash-wearout"; not retried (spare the flash) */
	FWU_ERR_FW_INVALID,   /* "firmware-invalid" (after 6.1) */
	FWU_ERR_COUNT
};

/* The sysfs words: "idle", ..., "programming"; NULL if out of range. */
const char *fwu_status_name(enum fwu_status s);
/* "none", "hw-error", ..., "firmware-invalid"; NULL if out of range. */
const char *fwu_err_name(enum fwu_err e);
/* The inverses over s[0..len) (no NUL needed): the value, or -1. */
int fwu_status_parse(const char *s, size_t len);
int fwu_err_parse(const char *s, size_t len);
/* True for the errors fwu_deliver retries: BUSY, TIMEOUT, RW_ERROR. */
bool fwu_err_transient(enum fwu_err e);

#define FWU_COMPAT_MAX 256u           /* a device's compatible list, NULs included */
#define FWU_INSTANCE_ANY 0xffffffffu  /* the device has no instance number */

/* What a device says it is. */
struct fwu_identity {
	/* One or more NUL-terminated strings back to back, as a devicetree
	 * "compatible" property: the image's target must be one of them. */
	char compatible[FWU_COMPAT_MAX];
	size_t compatible_len;   /* bytes used, the last NUL included */
	uint32_t instance;       /* FWU_INSTANCE_ANY: not checked */
	/* No device to ask (staging for a later boot): every target is taken,
	 * and the driver that requests the file decides. */
	bool any_target;
};

struct fwu_image;

/*
 * A device.  ctx is the backend's own state, passed to every operation.
 * Offsets and sizes are bytes of the payload, in 64 bits (Linux's are u32).
 * Operations return FWU_ERR_NONE or an error of enum fwu_err.
 */
struct fwu_ops {
	const char *name;  /* the backend, for the record: "pmic-sim" */

	/* Required: what the device is. */
	enum fwu_err (*identity)(void *ctx, struct fwu_identity *id);
	/* Optional (NULL: the device cannot tell): the version it runs. */
	enum fwu_err (*read_version)(void *ctx, uint64_t *version);

	/* Required: get ready for size bytes.  data is the whole payload; img
	 * gives the version and digest to devices that check them. */
	enum fwu_err (*prepare)(void *ctx, const uint8_t *data, uint64_t size,
				const struct fwu_image *img);
	/* Required: send data[offset .. offset+size) or a first part of it;
	 * *written gets the bytes taken (0 < *written <= size on success).
	 * Called again at the same offset to retry a failed call. */
	enum fwu_err (*write)(void *ctx, const uint8_t *data, uint64_t offset,
			      uint64_t size, uint64_t *written);
	/* Required: finish (program, commit) and report.  FWU_ERR_BUSY means
	 * "not done yet, ask again"; FWU_ERR_TIMEOUT is final (the wait is
	 * over); other transient errors are retried.  *status comes in as
	 * PROGRAMMING; a backend that learns the device failed in an earlier
	 * phase (a kernel reporting "transferring:hw-error") sets it to that
	 * phase. */
	enum fwu_err (*poll_complete)(void *ctx, enum fwu_status *status);
	/* Required: abandon the upload (the device drops what it staged). */
	void (*cancel)(void *ctx);
	/* Optional: release what prepare took; called once prepare succeeded,
	 * on success and on failure, as Linux calls it. */
	void (*cleanup)(void *ctx);
};

struct fwu_device {
	const struct fwu_ops *ops;
	void *ctx;
	const char *where;  /* for the record's source: "pmic-sim:" + where */
};

/* The image, independent of any container format. */
struct fwu_image {
	const char *target;       /* compatible string, NUL-terminated, 1..63 bytes */
	uint32_t instance;
	const char *type_name;    /* "pmic", ...; NULL: "blob" */
	uint64_t version;
	const uint8_t *payload;   /* never written through */
	uint64_t payload_len;     /* 1 .. FWU_PAYLOAD_MAX */
	uint8_t sha256[SHA256_DIGEST_SIZE]; /* expected digest of the payload */
	/*
	 * Optional; called before anything else.  Returns 0, or a negative
	 * fwk_error after writing one line (no newline) into why[0..cap).
	 */
	int (*verify)(const struct fwu_image *img, void *arg, char *why, size_t cap);
	void *verify_arg;
};

#define FWU_PAYLOAD_MAX (1ull << 32)
#define FWU_TARGET_MAX 63u
#define FWU_DEFAULT_CHUNK 4096u
#define FWU_DEFAULT_RETRIES 3u
#define FWU_DEFAULT_POLL_LIMIT 10000u
#define FWU_RETRIES_MAX 1000u

struct fwu_options {
	uint64_t chunk_size;      /* bytes per write(); 0: FWU_DEFAULT_CHUNK */
	unsigned retries;         /* extra attempts per step for a transient
				     error (0: none), at most FWU_RETRIES_MAX */
	unsigned poll_limit;      /* BUSY answers of poll_complete before it
				     counts as a timeout; 0: the default */
	bool allow_downgrade;     /* deliver a version lower than the device's */
	/* Optional: after each successful write(). */
	void (*progress)(void *arg, uint64_t done, uint64_t total);
	void *progress_arg;
	/* Optional: once per attempt past the argument checks. */
	void (*record)(void *arg, const struct ledger_record *r);
	void *record_arg;
};

enum fwu_outcome {
	FWU_DELIVERED = 0,  /* written, programmed, version read back */
	FWU_UP_TO_DATE = 1, /* the device runs this version: nothing sent */
	FWU_REFUSED = 2,    /* a check failed: nothing sent */
	FWU_FAILED = 3      /* the device failed; cancel and cleanup ran */
};

/* Which check refused (FWU_REFUSED). */
enum fwu_refusal {
	FWU_REFUSE_NONE = 0,
	FWU_REFUSE_VERIFY,    /* the verify callback said no */
	FWU_REFUSE_DIGEST,    /* the payload does not hash to img->sha256 */
	FWU_REFUSE_TARGET,    /* the device is not the image's target */
	FWU_REFUSE_DOWNGRADE  /* lower than the device's version */
};

struct fwu_result {
	enum fwu_outcome outcome;
	enum fwu_refusal refusal;
	int verify_error;         /* what verify returned (FWU_REFUSE_VERIFY) */
	enum fwu_status status;   /* where it failed (FWU_FAILED), else IDLE */
	enum fwu_err error;       /* the device's error (FWU_FAILED) */
	const char *step;         /* the operation that failed: "write", ... */
	uint64_t offset;          /* payload offset of a failed write */
	uint64_t written;         /* bytes the device took */
	unsigned retries;         /* retries used, all steps together */
	bool have_old_version;
	uint64_t old_version;     /* what the device ran before */
	uint64_t new_version;     /* what it runs now (read back if it can tell) */
	struct ledger_record record; /* the record handed to opt->record */
};

/*
 * Deliver img to dev.  opt may be NULL (defaults, no callbacks).
 *
 * Returns the outcome (>= 0) with *res filled and one record made, or
 * FWK_ERR_INVAL without a record when an argument is wrong: a NULL pointer,
 * a missing required operation, an empty payload or one longer than
 * FWU_PAYLOAD_MAX, a target that is empty, longer than FWU_TARGET_MAX or
 * not printable ASCII, retries above FWU_RETRIES_MAX.
 *
 * The record: kind LEDGER_BLOB; identity "<type> <target>@<instance>
 * v<version>" (cut to fit); source "<ops->name>:<where>"; sha256 the
 * image's digest; reason one of
 *   "delivered", "delivered: downgrade 9 -> 7 allowed",
 *   "up-to-date: the device runs v7",
 *   "refused: verify: <why>", "refused: payload sha256 mismatch",
 *   "refused: target acme,x@0 is not this device (acme,y@0)",
 *   "refused: downgrade 7 < 9",
 *   "failed: transferring:read-write-error (write at byte 4096) after 3 retries";
 * taint_bit TAINT_FIRMWARE_WORKAROUND for a delivered downgrade, else -1.
 */
int fwu_deliver(const struct fwu_image *img, const struct fwu_device *dev,
		const struct fwu_options *opt, struct fwu_result *res);

#endif /* FWKIT_FWUPLOAD_H */

/* SPDX-License-Identifier: MIT */
/*
 * fwkit/upload_backends.h - the hosted devices fwu_deliver() can drive:
 * Linux's firmware-upload sysfs class, staging into an initramfs for a
 * driver that calls request_firmware() at probe, and the PMIC simulator
 * persisted in a directory.
 *
 * Hosted layer: files, POSIX, allocation.  Each *_open() fills a struct the
 * caller owns and passes as the fwu_device's ctx with the matching ops.
 * Errors are 0 or a negative fwk_error with one line of English in err (at
 * most errcap bytes, NUL-terminated) naming the path at fault; during an
 * upload, the backend's `message` says what the last failed operation saw.
 */
#ifndef FWKIT_UPLOAD_BACKENDS_H
#define FWKIT_UPLOAD_BACKENDS_H

#include <fwkit/cpio.h>
#include <fwkit/fwupload.h>
#include <fwkit/pmic_sim.h>

#define UPLOAD_PATH_MAX 4096u
#define UPLOAD_MESSAGE_MAX 512u

/* ---- Linux firmware upload: /sys/class/firmware/NAME -------------------- */

#define UPLOAD_SYSFS_DEFAULT_ROOT "/sys"
#define UPLOAD_SYSFS_DEFAULT_TIMEOUT_MS 60000u

/*
 * The protocol (Documentation/ABI/testing/sysfs-class-firmware, Linux 5.19
 * and later):
 *   prepare        status must read "idle"; "1" to loading
 *   write          the bytes to data at their offset
 *   poll_complete  "0" to loading (the kernel's worker starts: receiving,
 *                  preparing, transferring with remaining_size counting
 *                  down, programming), then status until "idle" again,
 *                  pausing poll_ms between reads, at most timeout_ms in
 *                  all; then error: empty, or "<status>:<error>"
 *   cancel         "-1" to loading before "0" was written (the data write
 *                  is abandoned), "1" to cancel after it
 * Every attribute is read through a bounded wait (timeout_ms) and only its
 * first line counts.  The identity is NAME/device/of_node/compatible (a
 * devicetree compatible list) or, when there is none, assume_compatible;
 * the instance is not checked.  The version cannot be read.
 */
struct upload_sysfs {
	char dir[UPLOAD_PATH_MAX];     /* ROOT/class/firmware/NAME */
	const char *assume_compatible; /* NULL: the device must say */
	unsigned timeout_ms;           /* 0: UPLOAD_SYSFS_DEFAULT_TIMEOUT_MS */
	unsigned poll_ms;              /* 0: 1 ms */
	int data_fd;
	bool loading;                  /* "1" written, "0" not yet */
	bool started;                  /* "0" written: the kernel has it */
	uint64_t remaining;            /* remaining_size when it ended */
	bool have_remaining;
	char message[UPLOAD_MESSAGE_MAX];
};

/*
 * Find the device.  Errors: FWK_ERR_INVAL (NAME empty, containing '/', or
 * "." or ".."; the path too long), FWK_ERR_UNSUPPORTED (no such directory,
 * or it lacks loading, data, status or error: not a firmware-upload device).
 */
int upload_sysfs_open(struct upload_sysfs *u, const char *root, const char *name,
		      char *err, size_t errcap);
/* Close what an interrupted upload left open; the upload itself is not
 * cancelled (the engine does that).  Cannot fail. */
void upload_sysfs_close(struct upload_sysfs *u);
extern const struct fwu_ops upload_sysfs_ops; /* name "fw-upload" */

/* ---- staging: lib/firmware/NAME in an early cpio ----------------------- */

#define UPLOAD_STAGE_PREFIX "lib/firmware/"

/*
 * The payload goes to lib/firmware/NAME (mode 0644, with its parent
 * directories, mode 0755) in an uncompressed newc archive padded to 512
 * bytes, followed by the initrd image given to upload_stage_open()
 * unchanged, or alone.  The file appears at `out` only when complete
 * (a temporary file beside it, fsync, rename), in poll_complete; cancel
 * removes the temporary file.  Any target is taken (no device is there to
 * ask; the driver that requests NAME decides); the version cannot be read.
 */
struct upload_stage {
	char out[UPLOAD_PATH_MAX];
	char tmp[UPLOAD_PATH_MAX + 16];
	char path[CPIO_NAME_MAX + 16];  /* lib/firmware/NAME, normalised */
	const uint8_t *image;          /* the initrd that follows, or NULL */
	uint64_t image_len;
	uint32_t mtime;
	int fd;
	uint64_t data_at;              /* stream offset of the payload's first byte */
	uint64_t size;
	char message[UPLOAD_MESSAGE_MAX];
};

/*
 * Errors: FWK_ERR_BADNAME (NAME empty, absolute, with a ".." component, or
 * longer than a cpio name may be), FWK_ERR_INVAL (out too long), and the
 * errors of initrd_image_open() for an image that is not a valid initrd.
 * image stays the caller's and must live until upload_stage_close().
 */
int upload_stage_open(struct upload_stage *st, const char *out, const char *name,
		      const void *image, uint64_t image_len, uint32_t mtime,
		      char *err, size_t errcap);
/* Remove the temporary file of an output that was not completed.  Cannot
 * fail. */
void upload_stage_close(struct upload_stage *st);
extern const struct fwu_ops upload_stage_ops; /* name "initramfs" */

/*
 * The default NAME for a target: "vendor,device" at instance 3 gives
 * "vendor/device-3.bin" (split at the first comma); without a comma
 * "device-3.bin"; bytes other than letters, digits, '.', '_' and '-' become
 * '_'.  Returns the length, or FWK_ERR_NOSPACE, FWK_ERR_INVAL (empty).
 */
int upload_stage_default_name(const char *target, uint32_t instance, char *out,
			      size_t cap);

/* ---- the PMIC simulator in a directory --------------------------------- */

#define PMIC_SIM_DIR_CAPACITY (1u << 20) /* each bank of a new device */

/*
 * DIR/state is text, one "key value" per line: compatible, instance,
 * capacity, active_bank, active_length, version, and the counters
 * transfers, writes, data_bytes, commits (totals over every run).
 * DIR/bank0.bin and DIR/bank1.bin are the flash banks, capacity bytes
 * each; the active image is the first active_length bytes of
 * bank<active_bank>.bin.  Each run is a power-on: volatile state does not
 * carry over.
 */
struct pmic_sim_dir {
	char dir[UPLOAD_PATH_MAX];
	struct pmic_sim sim;
	uint8_t *bank[2];
	uint8_t loaded_sha[2][SHA256_DIGEST_SIZE]; /* to write only what changed */
	bool created;                 /* no state yet: made by this open */
};

/*
 * Load DIR, or when it has no state file, make a new device there (the
 * directory is created; nothing is written before pmic_sim_dir_save) with
 * the given compatible string and instance, capacity bytes per bank (0:
 * PMIC_SIM_DIR_CAPACITY), version 0 and an empty active image.
 * Errors: FWK_ERR_BADFIELD (a state file line, named in err),
 * FWK_ERR_TRUNCATED (a bank file of the wrong size), FWK_ERR_INVAL (a bad
 * compatible string or capacity, a path too long, a directory that cannot
 * be made or read).
 */
int pmic_sim_dir_open(struct pmic_sim_dir *d, const char *dir, const char *compatible,
		      uint32_t instance, uint64_t capacity, char *err, size_t errcap);

/* Write the banks that changed, then the state (each through a temporary
 * file, fsync and rename, the state last: it is what selects the bank).
 * Errors: FWK_ERR_INVAL with the path in err. */
int pmic_sim_dir_save(struct pmic_sim_dir *d, char *err, size_t errcap);
/* Free the banks (also after a failed open).  Nothing is written. */
void pmic_sim_dir_close(struct pmic_sim_dir *d);

#endif /* FWKIT_UPLOAD_BACKENDS_H */

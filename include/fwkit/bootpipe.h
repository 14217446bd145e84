/* SPDX-License-Identifier: MIT */
/*
 * fwkit/bootpipe.h - the boot pipeline a hypervisor or boot loader runs over
 * its boot modules: classify each module by its bytes and hints, validate
 * it completely, hand it through the platform's callbacks to where it takes
 * effect (ACPI tables, device-tree overlays, CPU microcode, device firmware
 * blobs), record and taint, and write one report.  Module contents are
 * data: nothing here ever executes them.
 *
 * The same code runs inside a freestanding boot environment (the multiboot
 * test kernel in integration/testkernel) and on a host (`fwkit boot scan`
 * over files); with callbacks that accept, both write byte-identical
 * reports for the same modules and command lines.
 *
 * Core module: no allocation, no I/O; the report goes into a caller buffer
 * and, line by line, to the log callback.
 */
#ifndef FWKIT_BOOTPIPE_H
#define FWKIT_BOOTPIPE_H

#include <fwkit/acpi.h>
#include <fwkit/bootinfo.h>
#include <fwkit/fwb.h>
#include <fwkit/taint.h>
#include <fwkit/ucode.h>

/* Module kinds, named as `fwkit boot scan` prints them. */
enum boot_kind {
	BOOT_KIND_UNKNOWN = 0,   /* "unknown" */
	BOOT_KIND_ACPI_TABLE,    /* "acpi-table": a known signature, checksum valid */
	BOOT_KIND_DTB,           /* "dtb": a device tree without fragments */
	BOOT_KIND_DT_OVERLAY,    /* "dt-overlay": a tree with fragments */
	BOOT_KIND_CPIO,          /* "cpio": uncompressed newc archive(s), perhaps
				    followed by a compressed tail */
	BOOT_KIND_COMPRESSED,    /* "compressed": gzip, xz, zstd, bzip2, lz4,
				    lzo, lzma initrd */
	BOOT_KIND_UCODE_INTEL,   /* "ucode-intel" */
	BOOT_KIND_UCODE_AMD,     /* "ucode-amd" */
	BOOT_KIND_FWB,           /* "fwb": an fwkit firmware blob container */
	BOOT_KIND_KERNEL         /* "kernel": ELF, bzImage, arm64 Image, PE */
};
#define BOOT_KINDS 10u
const char *boot_kind_name(enum boot_kind k);
/* The inverse, for hints; BOOT_KIND_UNKNOWN (0) when s names no kind. */
enum boot_kind boot_kind_parse(const char *s, size_t len);

#define BOOT_REASON_MAX 160u   /* one line, NUL included */

/*
 * What the bytes are.  kind is decided by the bytes; the hints only
 * confirm or, where the bytes match no format, decide:
 *   - `fwkit=KIND` (a word of the module command line; KIND one of the
 *     names above, or "ucode" for either vendor) that the bytes contradict
 *     gives BOOT_KIND_UNKNOWN with a reason naming both ("command line
 *     says fwkit=acpi-table, but the bytes are a device tree");
 *   - `fwkit=ignore` gives BOOT_KIND_UNKNOWN, reason "ignored (fwkit=ignore)";
 *   - a /chosen role (BOOT_ROLE_MICROCODE, _DEVICE_TREE, _KERNEL,
 *     _RAMDISK) that the bytes contradict likewise.
 * A format is recognised only when its structure checks out enough to
 * say so (an ACPI table: a signature fwkit knows, length matching the
 * module, checksum 0; Intel microcode: ucode_intel_next accepts the first
 * update; ...); bytes that look like a format but fail its checks are
 * that kind with valid = false and the reason naming the field, so the
 * pipeline can refuse them clearly.
 */
struct boot_class {
	enum boot_kind kind;
	bool valid;                       /* fully validated (see boot_classify) */
	char reason[BOOT_REASON_MAX];     /* "DSDT BOCHS  BXPC     rev 1, 6021 bytes,
					     checksum ok" / why not */
	struct fwk_fault fault;           /* when !valid: where (module offset) */
	/* Per kind, filled when recognised: */
	struct acpi_header acpi;          /* ACPI_TABLE */
	uint32_t count;                   /* updates (ucode), fragments (overlay),
					     nodes (dtb), entries (cpio) */
	struct fwb_info fwb;              /* FWB */
};

/*
 * Classify data[0..len) with the module's command line (cmdline, len
 * bytes, may be NULL) and role.  Validation is complete for every kind the
 * pipeline acts on: ACPI tables (acpi_table_check), DTB / overlay
 * (dt_check, with scratch of DT_SCRATCH_WORDS(len) words; too little
 * scratch is "valid = false, reason: scratch"), Intel and AMD microcode
 * (every update / container), fwb (fwb_check, payload digest included),
 * cpio (every entry's header; see boot_pipeline_run for what is inside).
 * Compressed initrds and kernel images are named by their magic only.
 * Returns 0 (c filled, also for unknown and invalid), or FWK_ERR_INVAL.
 */
int boot_classify(const uint8_t *data, uint64_t len, const char *cmdline,
		  size_t cmdline_len, enum boot_module_role role,
		  uint32_t *scratch, size_t scratch_words, struct boot_class *c);

/* --- the pipeline -------------------------------------------------------- */

/* The name a module goes by in the report: the first word of its command
 * line (up to the first space), else "module<N>" with N its index. */

/*
 * Callbacks: each returns 0 when it took the item, or a negative fwk_error
 * (the report then says "failed: <fwk_strerror>" and nothing is recorded).
 * source is the module's report name; path the cpio member for items found
 * inside a cpio, else NULL.  Any callback may be NULL: the item is then
 * reported as "no handler" and not recorded.
 */
struct boot_platform {
	void *ctx;
	/* A validated ACPI table (h parsed from it).  Return 1 when it replaced
	 * a firmware table (then: acpi-override, taint A), 0 when added
	 * (acpi-install, taint A). */
	int (*install_acpi)(void *ctx, const char *source, const char *path,
			    const uint8_t *table, uint64_t len,
			    const struct acpi_header *h);
	/* A validated overlay; base is the first valid module of kind dtb
	 * anywhere in the list (or NULL), and the overlay has been planned
	 * against it with dt_overlay_plan when there is one (a plan failure
	 * rejects the overlay without a call).  Overlays do not chain: each
	 * is planned against the base as given. */
	int (*apply_dt_overlay)(void *ctx, const char *source, const char *path,
				const uint8_t *dtbo, uint64_t len,
				const uint8_t *base, uint64_t base_len);
	/* A validated microcode file (every update checked); the platform
	 * picks what fits its CPUs. */
	int (*load_microcode)(void *ctx, const char *source, const char *path,
			      enum ucode_vendor vendor, const uint8_t *data,
			      uint64_t len, uint32_t updates);
	/* A validated blob container (header, digest of the payload). */
	int (*deliver_blob)(void *ctx, const char *source, const char *path,
			    const uint8_t *fwb, uint64_t len,
			    const struct fwb_info *info);
	/* Each report line as it is written, without its newline. */
	void (*log)(void *ctx, const char *line);
	/* After an item took effect: its ledger record (taint_bit -1 for
	 * none); the platform sets the bit and keeps the record. */
	void (*taint)(void *ctx, const struct ledger_record *r);
};

/* What happened to one module (or one cpio member). */
enum boot_verdict {
	BOOT_APPLIED = 1,   /* handed to its callback, which took it */
	BOOT_PASSED,        /* valid, nothing for fwkit to do (kernel, dtb,
			       compressed initrd): left for the next stage */
	BOOT_REJECTED,      /* invalid, contradicting hints, or a problem from
			       the boot protocol: not handed on */
	BOOT_FAILED,        /* the callback refused it */
	BOOT_NO_HANDLER,    /* valid, but the platform has no callback */
	BOOT_IGNORED        /* unknown kind, or fwkit=ignore */
};
const char *boot_verdict_name(enum boot_verdict v);

struct boot_result {
	uint32_t module;               /* index in the module list */
	char name[64];                 /* its report name, cut to fit */
	enum boot_kind kind;
	bool valid;                    /* boot_class.valid */
	char reason[BOOT_REASON_MAX];  /* boot_class.reason, or the problem */
	enum boot_verdict verdict;
	uint8_t sha256[SHA256_DIGEST_SIZE]; /* of the module's bytes */
	uint32_t items;                /* cpio: members acted on */
	int taint_bit;                 /* -1 when none was set */
};

struct boot_report {
	/* The caller's buffers: text gets the report (NUL-terminated; cut
	 * short with "...\n" and text_truncated set when too small), results
	 * one entry per module (FWK_ERR_NOSPACE when fewer than modules). */
	char *text;
	size_t text_cap, text_len;
	bool text_truncated;
	struct boot_result *results;
	uint32_t results_cap, nresults;
	/* Totals. */
	uint32_t applied, passed, rejected, failed, no_handler, ignored;
	uint64_t taint_mask;           /* bits set by this run */
};

/*
 * Run the pipeline over mods[0..n) (as a boot_parse_* left them, or built
 * by the caller for files).  The order, which the report follows:
 *   1. every module classified (boot_classify) and hashed, in module
 *      order; a module with a protocol problem is rejected unread;
 *   2. microcode first (the CPU before anything else uses it): Intel and
 *      AMD modules and cpio members kernel/x86/microcode/GenuineIntel.bin
 *      and AuthenticAMD.bin, in module order;
 *   3. ACPI tables: modules and cpio members files under kernel/firmware/acpi/,
 *      in module order, members in archive order;
 *   4. device trees: the first valid dtb module is the base; overlays
 *      (modules, then cpio members under DT_OVERLAY_DIR in name order)
 *      planned against it and applied in module order;
 *   5. blobs: fwb modules and cpio members lib/firmware/ ... .fwb;
 *   6. the rest (kernels, compressed initrds, the dtb, unknown) reported.
 * Every applied item calls taint() with its ledger record: acpi-install /
 * acpi-override with TAINT_OVERRIDDEN_ACPI_TABLE, dt-overlay, microcode
 * and blob with taint_bit -1 (as `fwkit boot verify`, `dt apply` and
 * `blob deliver` record them).
 *
 * Report text, one line each (exact format: docs/boot-modules.md):
 *   fwkit boot report: N modules
 *   module I NAME: KIND, LEN bytes, sha256 HEX16: REASON
 *   ... one line per step ("  microcode NAME: ..."), then
 *   summary: A applied, P passed, R rejected, F failed, H no handler,
 *            G ignored; taint MASK
 * scratch: BOOT_SCRATCH_WORDS(largest) words, largest the longest module:
 * what dt_check needs of it, plus an 8-byte aligned copy of an overlay
 * for libfdt when the overlay is a cpio member (members are 4-aligned).  Returns 0 when every module was applied,
 * passed or ignored, 1 when something was rejected, failed or had no
 * handler, or a negative fwk_error (FWK_ERR_INVAL, FWK_ERR_NOSPACE for
 * results) before anything was handed on.
 */
#define BOOT_SCRATCH_WORDS(largest) \
	((size_t)(largest) / 8u + (size_t)(largest) / 4u + 64u)
int boot_pipeline_run(const struct boot_module *mods, uint32_t n,
		      const struct boot_platform *pf, uint32_t *scratch,
		      size_t scratch_words, struct boot_report *rep);

#endif /* FWKIT_BOOTPIPE_H */

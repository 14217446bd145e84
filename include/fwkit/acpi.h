/* SPDX-License-Identifier: MIT */
/*
 * fwkit/acpi.h - ACPI tables: the common header, checksums, RSDP and
 * RSDT/XSDT, acpidump text, and the Linux initrd table upgrade's rules.
 *
 * Every system description table starts with a 36-byte header (ACPI 6.5,
 * 5.2.6): Signature[4], Length u32, Revision u8, Checksum u8, OEMID[6],
 * OEM Table ID[8], OEM Revision u32, Creator ID[4], Creator Revision u32,
 * all little-endian; the bytes of the whole table sum to 0 mod 256.  FACS
 * (no checksum, no OEM fields) and the RSDP ("RSD PTR ", two checksums) have
 * layouts of their own.
 *
 * Linux (CONFIG_ACPI_TABLE_UPGRADE, drivers/acpi/tables.c) reads regular
 * files named kernel/firmware/acpi/... from the first, uncompressed cpio of
 * the initrd, looks at the first 64 of them, and takes a file only when it
 * passes, in this order: size >= 36, signature in its allowlist, size ==
 * header length, checksum.  A taken table overrides a firmware table whose
 * signature, OEM ID and OEM table ID all match, but only when its OEM
 * revision is strictly greater; a match that is not greater uses up the
 * table (it is neither an override nor installed).  Tables matching nothing
 * are installed as new tables, except RSDT/XSDT.  A locked-down kernel
 * ignores them all.  acpi_plan() predicts exactly this.
 *
 * Core module: no allocation, no I/O; every function works on the caller's
 * buffers.
 */
#ifndef FWKIT_ACPI_H
#define FWKIT_ACPI_H

#include <fwkit/error.h>

#define ACPI_HEADER_SIZE 36u
#define ACPI_RSDP_V1_SIZE 20u
#define ACPI_RSDP_V2_SIZE 36u
#define ACPI_FACS_MIN_SIZE 64u
#define ACPI_INITRD_PREFIX "kernel/firmware/acpi/"
#define ACPI_INITRD_MAX_FILES 64u   /* NR_ACPI_INITRD_TABLES */
#define ACPI_INITRD_NAME_WARN 17u   /* names this long or longer: kernel warns */

/* The common header, decoded.  Char arrays are not NUL-terminated. */
struct acpi_header {
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	char creator_id[4];
	uint32_t creator_revision;
};

/*
 * Decode the 36-byte header at buf[0..len).  Checks only that 36 bytes are
 * there.  Returns 0, or FWK_ERR_TRUNCATED (fault names "Length").
 */
int acpi_header_parse(const void *buf, uint64_t len, struct acpi_header *h,
		      struct fwk_fault *f);

/* Encode h into out[0..36) (the inverse of acpi_header_parse). */
void acpi_header_write(void *out, const struct acpi_header *h);

/* The byte sum of buf[0..len) mod 256; a valid table sums to 0. */
uint8_t acpi_checksum(const void *buf, uint64_t len);

/* The checksum byte that makes table[0..len) sum to 0, taking byte 9 (the
 * Checksum field) as 0.  len must be >= 10. */
uint8_t acpi_checksum_fix_value(const void *table, uint64_t len);

/* True when Linux's initrd upgrade accepts this signature (the allowlist of
 * Debian 12's 6.1 kernel: all SDT signatures but RSDP and FACS). */
bool acpi_sig_upgradable(const char sig[4]);

/* A short English name for a known signature ("Differentiated System
 * Description Table"), or NULL. */
const char *acpi_sig_describe(const char sig[4]);

/* What a buffer holds, judged from its first bytes. */
enum acpi_kind {
	ACPI_KIND_SDT = 1, /* a table with the common header */
	ACPI_KIND_FACS,    /* "FACS": signature, length, no checksum */
	ACPI_KIND_RSDP     /* "RSD PTR " */
};

/*
 * Structural check of a table file: the kind, then for SDTs the header's
 * Length against len (equal; FWK_ERR_RANGE when it says more than there is,
 * FWK_ERR_BADFIELD when less or < 36), for RSDT/XSDT that the entry area is
 * a whole number of 4/8-byte entries (BADFIELD), for FACS a Length >= 64
 * and == len, for the RSDP its own size (20 bytes below revision 2, else
 * its Length, >= 36) == len.  An SDT or FACS signature must be four
 * letters, digits, '_' or '!' (BADFIELD "Signature").  The checksum is not
 * judged here (see acpi_checksum), so a
 * table with a bad sum can still be shown and fixed.  Returns the kind
 * (> 0), or FWK_ERR_TRUNCATED, FWK_ERR_RANGE, FWK_ERR_BADFIELD with
 * f->field naming the header field ("Length", "Signature", ...).
 */
int acpi_table_check(const void *buf, uint64_t len, struct fwk_fault *f);

/* The RSDP, decoded. */
struct acpi_rsdp {
	char oem_id[6];
	uint8_t revision;        /* 0: ACPI 1.0, 20 bytes; >= 2: 36 bytes */
	uint32_t rsdt_address;
	uint32_t length;         /* revision >= 2 only, else 20 */
	uint64_t xsdt_address;   /* revision >= 2 only, else 0 */
	uint8_t checksum;        /* over bytes 0..19 */
	uint8_t ext_checksum;    /* over bytes 0..length-1 (revision >= 2) */
};

/*
 * Decode and check an RSDP at buf[0..len): signature "RSD PTR ", the
 * checksum of the first 20 bytes, and for revision >= 2 a Length of at
 * least 36 within len and the extended checksum.  Returns 0 or
 * FWK_ERR_TRUNCATED, FWK_ERR_BADMAGIC ("Signature"), FWK_ERR_BADFIELD or
 * FWK_ERR_RANGE ("Length"), FWK_ERR_CHECKSUM ("Checksum" or
 * "Extended Checksum").
 */
int acpi_rsdp_parse(const void *buf, uint64_t len, struct acpi_rsdp *r,
		    struct fwk_fault *f);

/*
 * RSDT (4-byte) and XSDT (8-byte) entries.  acpi_root_entries() checks the
 * table as acpi_table_check() does plus its signature and returns the entry
 * count (>= 0); acpi_root_entry() reads entry i (0 <= i < count).
 * Errors: those of acpi_table_check, FWK_ERR_BADMAGIC when the signature is
 * neither RSDT nor XSDT, FWK_ERR_INVAL for i out of range.
 */
int acpi_root_entries(const void *table, uint64_t len, struct fwk_fault *f);
int acpi_root_entry(const void *table, uint64_t len, uint32_t i, uint64_t *addr);

/* FADT pointers, for showing: DSDT/X_DSDT and FACS/X_FACS when the table
 * (the shorter of len and its Length) is long enough to hold them (0 when
 * not).  Returns 0, FWK_ERR_TRUNCATED (len < 36) or FWK_ERR_BADMAGIC (the
 * signature is not "FACP"). */
struct acpi_fadt_ptrs {
	uint64_t dsdt, x_dsdt, facs, x_facs;
};
int acpi_fadt_ptrs(const void *fadt, uint64_t len, struct acpi_fadt_ptrs *p);

/*
 * acpidump's text format ("DSDT @ 0x00000000bffe0040" then lines
 * "  0000: 44 53 44 54 ...  DSDT...."), as written by acpica-tools'
 * acpidump and read by acpixtract: a host-side format, so acpi_dump_parse
 * is built in the hosted layer only (override/hosted/acpi_dump.c), though
 * it allocates nothing.  It decodes every table of
 * text[0..len) into out[0..cap) one after another, and describes each in
 * tables[0..max).  Offsets within a table must start at 0 and increase by
 * the number of bytes of the line before; a line holds 1 to 16 bytes, each
 * two hex digits, single blanks between, the ASCII column after two; a
 * table's byte count must match its header's Length when it has one (RSDP
 * and FACS as their own rules), and a 4-character name must be its first 4
 * bytes.  CRLF, blank lines, trailing blanks and a missing ASCII column are
 * fine.  name is what the header line says ("RSDP" or "RSD PTR" for the
 * RSDP); signature is its first 4 characters, blank-padded.
 * Returns the number of tables (>= 0), or FWK_ERR_BADFIELD (fault offset is
 * the byte in text, field "line"), FWK_ERR_NOSPACE (out or tables full),
 * FWK_ERR_LIMIT.  cap = len / 3 + 64 always suffices.
 */
struct acpi_dump_table {
	char signature[4];    /* from the "SIG @ 0x..." line */
	char name[16];        /* that signature as text, NUL-terminated */
	uint64_t address;     /* physical address acpidump read it at */
	uint64_t offset;      /* of its bytes in out */
	uint64_t length;      /* its byte count */
	uint32_t instance;    /* 1 for the first of a signature, 2, ... */
};
int acpi_dump_parse(const char *text, uint64_t len, uint8_t *out, uint64_t cap,
		    struct acpi_dump_table *tables, uint32_t max,
		    struct fwk_fault *f);

/*
 * Override planning: what Linux will do with each initrd table.
 */
enum acpi_verdict {
	ACPI_OVERRIDE = 1, /* replaces the firmware table it names */
	ACPI_INSTALL,      /* added as a new table */
	ACPI_DROPPED,      /* accepted by the kernel, then used for nothing */
	ACPI_REJECTED      /* refused with an "ACPI OVERRIDE:" error */
};

enum acpi_reason {
	ACPI_WHY_REVISION_GREATER = 1, /* override: IDs match, revision greater */
	ACPI_WHY_NEW_IDS,              /* install: no firmware table with its
					  IDs is left for it to replace */
	ACPI_WHY_REVISION_NOT_GREATER, /* dropped: IDs match, revision <= firmware's */
	ACPI_WHY_ROOT_TABLE,           /* dropped: RSDT/XSDT are never installed */
	ACPI_WHY_LOCKDOWN,             /* dropped: locked-down kernel ignores all */
	ACPI_WHY_SMALL,                /* rejected: smaller than the 36-byte header */
	ACPI_WHY_SIGNATURE,            /* rejected: not in the allowlist */
	ACPI_WHY_LENGTH,               /* rejected: file size != header Length */
	ACPI_WHY_CHECKSUM,             /* rejected: bytes do not sum to 0 */
	ACPI_WHY_TOO_MANY              /* rejected: past the 64th file */
};

/* Warnings, or-ed into acpi_plan_entry.warnings. */
#define ACPI_WARN_LONG_NAME  0x1u /* name after the prefix >= 17 characters */
#define ACPI_WARN_SAME_IDS   0x2u /* another candidate has the same sig+IDs */
#define ACPI_WARN_LOCKDOWN   0x4u /* the target kernel is locked down */
#define ACPI_WARN_DYNAMIC    0x8u /* IDs of a table the firmware loads at run
				     time: installed at boot, firmware's
				     still loaded later */
#define ACPI_WARN_SINGLETON 0x10u /* DSDT/FACP installed as new: ACPICA uses
				     only the FADT's DSDT, the first FADT */

/* One table of the target machine. */
struct acpi_target {
	struct acpi_header h;
	bool dynamic;  /* loaded at run time (sysfs dynamic/): not overridable */
};

/* One initrd table to plan for: its bytes and its name after the prefix
 * (name may be NULL; only the long-name warning uses it). */
struct acpi_candidate {
	const uint8_t *data;
	uint64_t len;
	const char *name;
	uint32_t namelen;
};

struct acpi_plan_entry {
	enum acpi_verdict verdict;
	enum acpi_reason reason;
	uint32_t warnings;
	bool have_header;      /* h valid (len >= 36) */
	struct acpi_header h;
	int32_t target;        /* index into targets: overridden, or the table
				  whose revision was not exceeded; else -1 */
};

#define ACPI_PLAN_LOCKDOWN 0x1u /* the target kernel is locked down */

/*
 * Plan candidates c[0..nc) in initrd order against targets t[0..nt) in
 * firmware order (the order matters only when several tables share IDs:
 * each firmware table uses up the candidates with its IDs in order until
 * one has a greater revision).  Fills out[0..nc).  Returns the number of
 * candidates that will be used (override + install), or FWK_ERR_INVAL.
 */
int acpi_plan(const struct acpi_candidate *c, uint32_t nc,
	      const struct acpi_target *t, uint32_t nt, unsigned flags,
	      struct acpi_plan_entry *out);

/* "override", "install", "dropped", "rejected". */
const char *acpi_verdict_name(enum acpi_verdict v);
/* One sentence, as a user needs it ("OEM revision 1 is not greater than
 * the firmware's 1"-style detail is the front end's to add). */
const char *acpi_reason_text(enum acpi_reason r);

/* "DSDT BOCHS  BXPC     rev 2": signature, OEM ID, OEM table ID (padded as
 * stored, non-printable bytes as '?') and OEM revision in decimal.  out
 * needs ACPI_IDENTITY_MAX bytes; returns the length. */
#define ACPI_IDENTITY_MAX 40u
int acpi_identity(const struct acpi_header *h, char *out);

/* Same signature, OEM ID and OEM table ID. */
bool acpi_same_ids(const struct acpi_header *a, const struct acpi_header *b);

/*
 * The boot-time check: after the kernel booted with initrd tables, which of
 * them took effect?  The live tables are what /sys/firmware/acpi/tables
 * shows (an override replaces the firmware table there).  A candidate took
 * effect when a live table has exactly its bytes (same SHA-256 and length).
 */
enum acpi_outcome {
	ACPI_APPLIED_OVERRIDE = 1, /* it replaced a firmware table */
	ACPI_APPLIED_INSTALL,      /* it was added as a new table */
	ACPI_NOT_APPLIED
};

enum acpi_verify_why {
	ACPI_V_OK = 0,
	ACPI_V_REVISION_NOT_GREATER, /* a live table has its IDs, revision >= */
	ACPI_V_INSTALLED_NOT_OVERRIDE, /* a DSDT/FACP added beside the firmware's,
					  which ACPICA keeps using */
	ACPI_V_LOCKDOWN,             /* the kernel is locked down */
	ACPI_V_REJECTED,             /* the kernel's checks refuse it (plan.reason) */
	ACPI_V_ROOT_TABLE,           /* RSDT/XSDT: never used */
	ACPI_V_NOT_TAKEN,            /* it should have been taken and was not */
	ACPI_V_SAME_AS_FIRMWARE      /* the firmware's own table, unchanged: the
					kernel read it and used it for nothing */
};

/* What the kernel log said about a candidate, when the caller could read it
 * ("ACPI: Table Upgrade: override [DSDT-BOCHS -BXPC    ]"). */
enum acpi_log_hint {
	ACPI_LOG_UNKNOWN = 0,
	ACPI_LOG_OVERRIDE,
	ACPI_LOG_INSTALL,
	ACPI_LOG_NEITHER /* the log shows the kernel read it, and no upgrade */
};

struct acpi_verify_entry {
	enum acpi_outcome outcome;
	enum acpi_verify_why why;
	struct acpi_plan_entry plan; /* acpi_plan against the live tables */
	int32_t live;                /* the live table with its bytes, or the one
					whose revision it did not exceed; -1 */
};

/*
 * Decide for c[0..nc) (with their SHA-256 digests cand_sha[i] and log
 * hints; hints may be NULL) against the live tables live[0..nl) and their
 * digests live_sha[0..nl).  `flags`: ACPI_PLAN_LOCKDOWN.  Fills out[0..nc).
 * Returns the number applied (>= 0) or FWK_ERR_INVAL.
 */
int acpi_verify(const struct acpi_candidate *c, const uint8_t (*cand_sha)[32],
		const enum acpi_log_hint *hints, uint32_t nc,
		const struct acpi_target *live, const uint8_t (*live_sha)[32],
		uint32_t nl, unsigned flags, struct acpi_verify_entry *out);

/* One sentence for a verify reason. */
const char *acpi_verify_text(enum acpi_verify_why why);

#endif /* FWKIT_ACPI_H */

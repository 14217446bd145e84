/* SPDX-License-Identifier: MIT */
/*
 * fwkit/taint.h - Linux taint bits, and the ledger: one provenance record
 * for every firmware table or blob fwkit saw replace or add to what the
 * platform's own firmware provided.
 *
 * The bits and letters are Linux's (Documentation/admin-guide/
 * tainted-kernels.rst); /proc/sys/kernel/tainted holds them as a decimal
 * mask, and writing a mask there as root ors it in.  fwkit sets bit 8 ('A',
 * ACPI table overridden) when a table from the initrd took effect and bit
 * 11 ('I', firmware workaround) for forced blob downgrades.
 *
 * A record is written three ways: one text line, one JSON object on one line
 * (the ledger file /run/fwkit/ledger.json holds one per line, appended), and
 * one event of a TCG PC Client crypto-agile event log (SHA-256 bank), the
 * format measured-boot tools such as tpm2_eventlog read.
 *
 * Core module: no allocation, no I/O; output goes into caller buffers.
 */
#ifndef FWKIT_TAINT_H
#define FWKIT_TAINT_H

#include <fwkit/error.h>
#include <fwkit/sha256.h>

/* The taint bits fwkit itself sets. */
#define TAINT_OVERRIDDEN_ACPI_TABLE 8u  /* 'A' */
#define TAINT_FIRMWARE_WORKAROUND 11u   /* 'I' */
#define TAINT_BITS 20u                  /* bits Linux defines: 0..19 */

struct taint_flag {
	uint8_t bit;
	char letter;       /* shown when the bit is set */
	char clear_letter; /* shown when it is not: 'G' for bit 0, else ' ' */
	const char *name;  /* Linux's name without TAINT_, "OVERRIDDEN_ACPI_TABLE" */
	const char *what;  /* one line of English */
};

/* The flag for a bit, or NULL when Linux defines none. */
const struct taint_flag *taint_flag(unsigned bit);

/* Linux's taint string for mask ("G       A           "): one letter per
 * defined bit, as print_tainted() shows them.  out needs TAINT_BITS + 1
 * bytes; returns TAINT_BITS. */
int taint_letters(uint64_t mask, char *out);

/* What a record is about. */
enum ledger_kind {
	LEDGER_ACPI_OVERRIDE = 1, /* an initrd table replaced a firmware table */
	LEDGER_ACPI_INSTALL,      /* an initrd table was added */
	LEDGER_DT_OVERLAY,        /* a device-tree overlay was applied */
	LEDGER_MICROCODE,         /* CPU microcode was delivered */
	LEDGER_BLOB               /* a device firmware blob was delivered */
};

#define LEDGER_IDENTITY_MAX 64u
#define LEDGER_SOURCE_MAX 256u
#define LEDGER_REASON_MAX 160u

struct ledger_record {
	enum ledger_kind kind;
	char identity[LEDGER_IDENTITY_MAX]; /* "DSDT BOCHS  BXPC     rev 2" */
	char source[LEDGER_SOURCE_MAX];     /* a path or a module name */
	uint8_t sha256[SHA256_DIGEST_SIZE]; /* of the new content */
	bool have_replaced;
	uint8_t replaced_sha256[SHA256_DIGEST_SIZE]; /* of what it replaced */
	char reason[LEDGER_REASON_MAX];
	int taint_bit;                      /* -1: none */
};
/* The strings are NUL-terminated UTF-8.  The formatters return
 * FWK_ERR_INVAL for a string without a NUL inside its field, a string that
 * is not UTF-8 (JSON), or a taint_bit other than -1 or 0..TAINT_BITS-1; the
 * text form shows control bytes as \xNN so a record stays one line. */

/* "acpi-override", "acpi-install", "dt-overlay", "microcode", "blob"; NULL
 * for an unknown kind.  ledger_kind_parse is the inverse (0 if unknown). */
const char *ledger_kind_name(enum ledger_kind k);
enum ledger_kind ledger_kind_parse(const char *s, size_t len);

/*
 * One line of text, no newline:
 *   acpi-override DSDT BOCHS  BXPC     rev 2 sha256=<hex> replaced=<hex>
 *   taint=A source=<source> reason=<reason>
 * (replaced= only when known, taint= only when set; one line in fact).
 * Writes a NUL after it.  Returns the length (without the NUL) or
 * FWK_ERR_NOSPACE, FWK_ERR_INVAL (unknown kind).
 */
int ledger_format_text(const struct ledger_record *r, char *out, size_t cap);

/*
 * One JSON object on one line, no newline, keys in this order:
 *   {"kind":"acpi-override","identity":"...","source":"...",
 *    "sha256":"<hex>","replaced_sha256":"<hex>"|null,"reason":"...",
 *    "taint_bit":8|null,"taint_letter":"A"|null}
 * Writes a NUL after it.  Returns the length or FWK_ERR_NOSPACE,
 * FWK_ERR_INVAL.
 */
int ledger_format_json(const struct ledger_record *r, char *out, size_t cap);

/*
 * Parse one line written by ledger_format_json (all eight keys required, in any order,
 * whitespace between tokens allowed, string escapes \" \\ \/ \b \f \n \r \t
 * \uXXXX below 0x80 only; unknown keys are an error).  Returns 0, or
 * FWK_ERR_BADFIELD (fault offset is the byte in line, field the key or
 * "json"), FWK_ERR_LIMIT (a string longer than its field), FWK_ERR_TRUNCATED.
 */
int ledger_parse_json(const char *line, size_t len, struct ledger_record *r,
		      struct fwk_fault *f);

/*
 * TCG PC Client crypto-agile event log (TCG PC Client Platform Firmware
 * Profile, 10.2): first a TCG_PCR_EVENT in the SHA-1 format carrying the
 * "Spec ID Event03" EV_NO_ACTION event that declares one bank, SHA-256;
 * then one TCG_PCR_EVENT2 per record: PCR index, event type EV_IPL
 * (0x0000000d), one SHA-256 digest (the record's sha256, the content that
 * took effect) and, as event data, the record's text line.
 * tcg_log_header() writes the first event, tcg_log_event() one record's.
 * Return the bytes written or FWK_ERR_NOSPACE / FWK_ERR_INVAL.
 */
#define TCG_LOG_PCR_DEFAULT 9u /* where Linux and boot loaders measure the initrd */
#define TCG_EV_NO_ACTION 0x00000003u
#define TCG_EV_IPL 0x0000000du
#define TCG_ALG_SHA256 0x000bu
int tcg_log_header(uint8_t *out, size_t cap);
int tcg_log_event(const struct ledger_record *r, uint32_t pcr, uint8_t *out,
		  size_t cap);

#endif /* FWKIT_TAINT_H */

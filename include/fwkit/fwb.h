/* SPDX-License-Identifier: MIT */
/*
 * fwkit/fwb.h - the .fwb blob container: one opaque device firmware payload
 * with its target, type, version, digest and an optional signature.
 *
 * docs/formats/fwb.md is the specification; in short, a container is
 *
 *   header (FWB_HEADER_SIZE bytes, little-endian fields)
 *     0  magic "\x89FWB\r\n\x1a\n"   8  format_version (1)   10 flags
 *    12  header_length (176)        16 blob_type            20 target_instance
 *    24  payload_version (u64)      32 payload_length (u64)
 *    40  target compatible string, NUL padded (64 bytes)
 *   104  reserved, zero (8)        112 payload SHA-256      144 header SHA-256
 *   payload (payload_length bytes)
 *   signature block (FWB_SIG_SIZE bytes) when flags has FWB_FLAG_SIGNED:
 *     0  "FWBS"  4 algorithm (1 = Ed25519)  6 reserved (0)
 *     8  key id = SHA-256 of the raw 32-byte public key   40 signature (64)
 *
 * The header SHA-256 covers header bytes 0..143, the payload SHA-256 the
 * payload; the signature covers the header and the payload (bytes
 * 0..header_length + payload_length - 1).  The core checks structure and
 * both digests; signatures are checked by the hosted layer (fwb_sign.h).
 *
 * Core module: no allocation, no I/O, no global state.
 */
#ifndef FWKIT_FWB_H
#define FWKIT_FWB_H

#include <fwkit/error.h>
#include <fwkit/sha256.h>

#define FWB_MAGIC "\x89" "FWB\r\n\x1a\n"
#define FWB_MAGIC_SIZE 8u
#define FWB_FORMAT_VERSION 1u
#define FWB_HEADER_SIZE 176u
#define FWB_TARGET_SIZE 64u        /* the field; the string is at most 63 bytes */
#define FWB_SIG_SIZE 104u
#define FWB_SIG_MAGIC "FWBS"
#define FWB_SIG_ED25519 1u
#define FWB_ED25519_SIG_SIZE 64u
#define FWB_ED25519_KEY_SIZE 32u
#define FWB_FLAG_SIGNED 0x0001u
#define FWB_PAYLOAD_MAX (1ull << 32) /* 4 GiB: no device firmware is larger */

/* What kind of device the payload is for. */
enum fwb_type {
	FWB_TYPE_PMIC = 1,
	FWB_TYPE_COPROCESSOR = 2,
	FWB_TYPE_DSP = 3,
	FWB_TYPE_FPGA = 4,
	FWB_TYPE_MCU = 5,     /* an embedded controller or other microcontroller */
	FWB_TYPE_OTHER = 255
};

/* "pmic", "coprocessor", "dsp", "fpga", "mcu", "other"; NULL if unknown. */
const char *fwb_type_name(uint32_t type);
/* The type named by s[0..len), or 0 if none. */
uint32_t fwb_type_parse(const char *s, size_t len);

/* What fwb_parse() found.  Offsets are into the caller's buffer. */
struct fwb_info {
	uint16_t format_version;
	uint16_t flags;
	uint32_t header_length;
	uint32_t type;
	uint32_t instance;
	uint64_t version;           /* payload version, monotonic */
	uint64_t payload_offset;    /* == header_length */
	uint64_t payload_length;
	char target[FWB_TARGET_SIZE]; /* NUL-terminated compatible string */
	uint8_t payload_sha256[SHA256_DIGEST_SIZE];
	uint8_t header_sha256[SHA256_DIGEST_SIZE];
	bool is_signed;
	uint64_t signed_length;     /* header + payload: what the signature covers */
	uint64_t sig_offset;        /* the signature block, when is_signed */
	uint16_t sig_algorithm;
	uint8_t key_id[SHA256_DIGEST_SIZE];
	uint8_t signature[FWB_ED25519_SIG_SIZE];
};

/*
 * Check a container's structure and its header digest; the payload is not
 * read (see fwb_check_payload).  Checks, in this order: magic,
 * format_version, flags (unknown bits), header_length, the header SHA-256,
 * blob_type, target (printable ASCII, NUL-terminated, NUL-padded, not
 * empty), reserved bytes, payload_length against the buffer, and the
 * signature block (magic, algorithm, reserved) and that nothing follows it.
 *
 * Returns 0 and fills *info, or: FWK_ERR_TRUNCATED (buffer shorter than a
 * header, payload or signature block), FWK_ERR_BADMAGIC (magic, signature
 * magic), FWK_ERR_UNSUPPORTED (format_version, flags, signature algorithm),
 * FWK_ERR_BADFIELD (header_length, blob_type, target, reserved, trailing
 * bytes), FWK_ERR_CHECKSUM (header_sha256), FWK_ERR_LIMIT (payload_length
 * above FWB_PAYLOAD_MAX).  The fault names the field as in the layout above
 * ("magic", "format_version", "flags", "header_length", "header_sha256",
 * "blob_type", "target", "reserved", "payload_length", "sig_magic",
 * "sig_algorithm", "sig_reserved"), its offset is the field's (for target
 * and reserved the offending byte's); it is never beyond len:
 *  - the magic is checked on the bytes there are (up to 8) before the
 *    length, so a short file that is no container is BADMAGIC, not
 *    TRUNCATED;
 *  - a header or signature block cut short names the field the buffer ends
 *    in, at offset len; a payload cut short names "payload_length";
 *  - bytes after an unsigned container name "payload_length", after a
 *    signature block "signature_block", at the first extra byte.
 * An empty payload is well formed.  The signature itself is not checked
 * (fwb_verify in fwb_sign.h).  *info is zeroed first and is valid only
 * when 0 is returned.
 */
int fwb_parse(const void *buf, size_t len, struct fwb_info *info,
	      struct fwk_fault *f);

/*
 * Hash the payload and compare with the header's payload SHA-256.
 * Returns 0, or FWK_ERR_CHECKSUM (field "payload_sha256", offset 112),
 * FWK_ERR_INVAL (info does not describe buf: its payload does not fit len,
 * or its payload digest is not the one in buf's header).
 */
int fwb_check_payload(const void *buf, size_t len, const struct fwb_info *info,
		      struct fwk_fault *f);

/* fwb_parse, then fwb_check_payload. */
int fwb_check(const void *buf, size_t len, struct fwb_info *info,
	      struct fwk_fault *f);

/* What fwb_write_header() needs; the digest is of the payload. */
struct fwb_spec {
	uint32_t type;
	uint32_t instance;
	uint64_t version;
	uint64_t payload_length;
	const char *target;         /* 1..63 printable ASCII bytes */
	uint8_t payload_sha256[SHA256_DIGEST_SIZE];
	bool is_signed;             /* sets FWB_FLAG_SIGNED; the caller appends the block */
};

/*
 * Write a version-1 header (FWB_HEADER_SIZE bytes) for spec into out,
 * header digest included.  Returns FWB_HEADER_SIZE, or FWK_ERR_INVAL (a
 * target that is empty, too long or not printable; an unknown type; a
 * payload longer than FWB_PAYLOAD_MAX), FWK_ERR_NOSPACE (cap too small).
 */
int fwb_write_header(const struct fwb_spec *spec, uint8_t *out, size_t cap);

/*
 * Write a signature block (FWB_SIG_SIZE bytes).  Returns FWB_SIG_SIZE, or
 * FWK_ERR_NOSPACE, FWK_ERR_INVAL (an algorithm other than Ed25519).
 */
int fwb_write_signature(uint16_t algorithm,
			const uint8_t key_id[SHA256_DIGEST_SIZE],
			const uint8_t sig[FWB_ED25519_SIG_SIZE], uint8_t *out,
			size_t cap);

#endif /* FWKIT_FWB_H */

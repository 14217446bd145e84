/* SPDX-License-Identifier: MIT */
/* fwb.c - the .fwb blob container: header and signature block parsing,
 * digest checks and writing (docs/formats/fwb.md is the specification). */
#include <fwkit/fwb.h>

/* Header field offsets (format version 1). */
#define H_MAGIC 0u
#define H_FORMAT_VERSION 8u
#define H_FLAGS 10u
#define H_HEADER_LENGTH 12u
#define H_BLOB_TYPE 16u
#define H_INSTANCE 20u
#define H_PAYLOAD_VERSION 24u
#define H_PAYLOAD_LENGTH 32u
#define H_TARGET 40u
#define H_RESERVED 104u
#define H_RESERVED_SIZE 8u
#define H_PAYLOAD_SHA256 112u
#define H_HEADER_SHA256 144u

/* Signature block field offsets, from the start of the block. */
#define S_MAGIC 0u
#define S_ALGORITHM 4u
#define S_RESERVED 6u
#define S_KEY_ID 8u
#define S_SIGNATURE 40u

/* The fields tile the header and the block exactly; a change to one of the
 * constants above or in fwb.h that breaks the layout stops the build. */
_Static_assert(sizeof(FWB_MAGIC) - 1 == FWB_MAGIC_SIZE, "magic size");
_Static_assert(H_MAGIC + FWB_MAGIC_SIZE == H_FORMAT_VERSION, "magic");
_Static_assert(H_FORMAT_VERSION + 2 == H_FLAGS, "format_version");
_Static_assert(H_FLAGS + 2 == H_HEADER_LENGTH, "flags");
_Static_assert(H_HEADER_LENGTH + 4 == H_BLOB_TYPE, "header_length");
_Static_assert(H_BLOB_TYPE + 4 == H_INSTANCE, "blob_type");
_Static_assert(H_INSTANCE + 4 == H_PAYLOAD_VERSION, "target_instance");
_Static_assert(H_PAYLOAD_VERSION + 8 == H_PAYLOAD_LENGTH, "payload_version");
_Static_assert(H_PAYLOAD_LENGTH + 8 == H_TARGET, "payload_length");
_Static_assert(H_TARGET + FWB_TARGET_SIZE == H_RESERVED, "target");
_Static_assert(H_RESERVED + H_RESERVED_SIZE == H_PAYLOAD_SHA256, "reserved");
_Static_assert(H_PAYLOAD_SHA256 + SHA256_DIGEST_SIZE == H_HEADER_SHA256,
	       "payload_sha256");
_Static_assert(H_HEADER_SHA256 + SHA256_DIGEST_SIZE == FWB_HEADER_SIZE,
	       "header_sha256");
_Static_assert(sizeof(FWB_SIG_MAGIC) - 1 == S_ALGORITHM - S_MAGIC, "sig_magic");
_Static_assert(S_ALGORITHM + 2 == S_RESERVED, "sig_algorithm");
_Static_assert(S_RESERVED + 2 == S_KEY_ID, "sig_reserved");
_Static_assert(S_KEY_ID + SHA256_DIGEST_SIZE == S_SIGNATURE, "key_id");
_Static_assert(S_SIGNATURE + FWB_ED25519_SIG_SIZE == FWB_SIG_SIZE, "signature");

/* Both sizes are small, so an offset past either always fits an int. */
_Static_assert(FWB_HEADER_SIZE < 0x7fff && FWB_SIG_SIZE < 0x7fff, "sizes");

static const struct {
	uint32_t type;
	const char *name;
} fwb_types[] = {
	{ FWB_TYPE_PMIC, "pmic" },
	{ FWB_TYPE_COPROCESSOR, "coprocessor" },
	{ FWB_TYPE_DSP, "dsp" },
	{ FWB_TYPE_FPGA, "fpga" },
	{ FWB_TYPE_MCU, "mcu" },
	{ FWB_TYPE_OTHER, "other" },
};

#define FWB_NTYPES (sizeof(fwb_types) / sizeof(fwb_types[0]))

const char *fwb_type_name(uint32_t type)
{
	for (size_t i = 0; i < FWB_NTYPES; i++)
		if (fwb_types[i].type == type)
			return fwb_types[i].name;
	return NULL;
}

uint32_t fwb_type_parse(const char *s, size_t len)
{
	if (!s)
		return 0;
	for (size_t i = 0; i < FWB_NTYPES; i++) {
		const char *n = fwb_types[i].name;
		size_t k = 0;

		while (k < len && n[k] && n[k] == s[k])
			k++;
		if (k == len && n[k] == '\0')
			return fwb_types[i].type;
	}
	return 0;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)fwk_le32(p) | (uint64_t)fwk_le32(p + 4) << 32;
}

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, (uint16_t)v);
	put_le16(p + 2, (uint16_t)(v >> 16));
}

static void put_le64(uint8_t *p, uint64_t v)
{
	put_le32(p, (uint32_t)v);
	put_le32(p + 4, (uint32_t)(v >> 32));
}

static bool printable(uint8_t c)
{
	return c >= 0x20 && c < 0x7f;
}

/* The header field that holds byte `at` (< FWB_HEADER_SIZE). */
static const char *header_field_at(uint64_t at)
{
	static const struct {
		uint32_t end;
		const char *name;
	} fields[] = {
		{ H_FORMAT_VERSION, "magic" },
		{ H_FLAGS, "format_version" },
		{ H_HEADER_LENGTH, "flags" },
		{ H_BLOB_TYPE, "header_length" },
		{ H_INSTANCE, "blob_type" },
		{ H_PAYLOAD_VERSION, "target_instance" },
		{ H_PAYLOAD_LENGTH, "payload_version" },
		{ H_TARGET, "payload_length" },
		{ H_RESERVED, "target" },
		{ H_PAYLOAD_SHA256, "reserved" },
		{ H_HEADER_SHA256, "payload_sha256" },
	};

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (at < fields[i].end)
			return fields[i].name;
	return "header_sha256";
}

/* The signature block field that holds byte `at` of the block. */
static const char *sig_field_at(uint64_t at)
{
	if (at < S_ALGORITHM)
		return "sig_magic";
	if (at < S_RESERVED)
		return "sig_algorithm";
	if (at < S_KEY_ID)
		return "sig_reserved";
	if (at < S_SIGNATURE)
		return "key_id";
	return "signature";
}

/* magic .. header digest; the header is known to be all there. */
static int parse_header(const uint8_t *b, struct fwb_info *info,
			struct fwk_fault *f)
{
	uint8_t digest[SHA256_DIGEST_SIZE];

	info->format_version = fwk_le16(b + H_FORMAT_VERSION);
	if (info->format_version != FWB_FORMAT_VERSION)
		return fwk_fail(f, FWK_ERR_UNSUPPORTED, H_FORMAT_VERSION,
				"format_version", "not 1, the only version this reader knows");
	info->flags = fwk_le16(b + H_FLAGS);
	if (info->flags & ~FWB_FLAG_SIGNED)
		return fwk_fail(f, FWK_ERR_UNSUPPORTED, H_FLAGS, "flags",
				"has bits other than bit 0 (signed) set");
	info->header_length = fwk_le32(b + H_HEADER_LENGTH);
	if (info->header_length != FWB_HEADER_SIZE)
		return fwk_fail(f, FWK_ERR_BADFIELD, H_HEADER_LENGTH, "header_length",
				"not 176, the header size of format version 1");
	/* Everything after here is believed only once the digest says the
	 * header is what its writer wrote. */
	sha256(b, H_HEADER_SHA256, digest);
	if (memcmp(digest, b + H_HEADER_SHA256, SHA256_DIGEST_SIZE) != 0)
		return fwk_fail(f, FWK_ERR_CHECKSUM, H_HEADER_SHA256, "header_sha256",
				"is not the SHA-256 of header bytes 0..143");
	memcpy(info->header_sha256, b + H_HEADER_SHA256, SHA256_DIGEST_SIZE);
	info->type = fwk_le32(b + H_BLOB_TYPE);
	if (!fwb_type_name(info->type))
		return fwk_fail(f, FWK_ERR_BADFIELD, H_BLOB_TYPE, "blob_type",
				"not a known blob type");
	info->instance = fwk_le32(b + H_INSTANCE);
	info->version = le64(b + H_PAYLOAD_VERSION);

	const uint8_t *t = b + H_TARGET;
	uint32_t n = 0;
	while (n < FWB_TARGET_SIZE && t[n] != 0) {
		if (!printable(t[n]))
			return fwk_fail(f, FWK_ERR_BADFIELD, H_TARGET + n, "target",
					"has a byte that is not printable ASCII");
		n++;
	}
	if (n == 0)
		return fwk_fail(f, FWK_ERR_BADFIELD, H_TARGET, "target", "is empty");
	if (n == FWB_TARGET_SIZE)
		return fwk_fail(f, FWK_ERR_BADFIELD, H_TARGET + n - 1, "target",
				"is not NUL-terminated within its 64 bytes");
	for (uint32_t i = n + 1; i < FWB_TARGET_SIZE; i++)
		if (t[i] != 0)
			return fwk_fail(f, FWK_ERR_BADFIELD, H_TARGET + i, "target",
					"has a non-zero byte after its terminating NUL");
	memcpy(info->target, t, FWB_TARGET_SIZE);

	for (uint32_t i = 0; i < H_RESERVED_SIZE; i++)
		if (b[H_RESERVED + i] != 0)
			return fwk_fail(f, FWK_ERR_BADFIELD, H_RESERVED + i, "reserved",
					"is not zero");
	memcpy(info->payload_sha256, b + H_PAYLOAD_SHA256, SHA256_DIGEST_SIZE);
	info->payload_length = le64(b + H_PAYLOAD_LENGTH);
	if (info->payload_length > FWB_PAYLOAD_MAX)
		return fwk_fail(f, FWK_ERR_LIMIT, H_PAYLOAD_LENGTH, "payload_length",
				"is more than 4 GiB");
	info->payload_offset = info->header_length;
	info->signed_length = info->payload_offset + info->payload_length;
	info->is_signed = (info->flags & FWB_FLAG_SIGNED) != 0;
	return 0;
}

int fwb_parse(const void *buf, size_t len, struct fwb_info *info,
	      struct fwk_fault *f)
{
	const uint8_t *b = buf;
	const uint64_t n = len;

	memset(info, 0, sizeof(*info));
	/* A short file that does not even start like a container is no
	 * container at all, rather than a truncated one. */
	const uint64_t m = n < FWB_MAGIC_SIZE ? n : FWB_MAGIC_SIZE;
	if (m && memcmp(b + H_MAGIC, FWB_MAGIC, (size_t)m) != 0)
		return fwk_fail(f, FWK_ERR_BADMAGIC, H_MAGIC, "magic",
				"not \"\\x89FWB\\r\\n\\x1a\\n\": not a .fwb container");
	if (n < FWB_HEADER_SIZE)
		return fwk_fail(f, FWK_ERR_TRUNCATED, n, header_field_at(n),
				"the input ends inside the 176-byte header");

	int rc = parse_header(b, info, f);
	if (rc < 0)
		return rc;

	const uint64_t end = info->signed_length;
	if (end > n)
		return fwk_fail(f, FWK_ERR_TRUNCATED, H_PAYLOAD_LENGTH, "payload_length",
				"says more bytes than the input has after the header");
	if (!info->is_signed) {
		if (n > end)
			return fwk_fail(f, FWK_ERR_BADFIELD, end, "payload_length",
					"bytes follow the payload, and flags says "
					"there is no signature block");
		return 0;
	}

	if (n - end < FWB_SIG_SIZE)
		return fwk_fail(f, FWK_ERR_TRUNCATED, n, sig_field_at(n - end),
				"the input ends inside the 104-byte signature block");
	const uint8_t *s = b + end;
	if (memcmp(s + S_MAGIC, FWB_SIG_MAGIC, 4) != 0)
		return fwk_fail(f, FWK_ERR_BADMAGIC, end + S_MAGIC, "sig_magic",
				"not \"FWBS\"");
	info->sig_algorithm = fwk_le16(s + S_ALGORITHM);
	if (info->sig_algorithm != FWB_SIG_ED25519)
		return fwk_fail(f, FWK_ERR_UNSUPPORTED, end + S_ALGORITHM, "sig_algorithm",
				"not 1 (Ed25519), the only algorithm this reader knows");
	if (fwk_le16(s + S_RESERVED) != 0)
		return fwk_fail(f, FWK_ERR_BADFIELD, end + S_RESERVED, "sig_reserved",
				"is not zero");
	if (n - end > FWB_SIG_SIZE)
		return fwk_fail(f, FWK_ERR_BADFIELD, end + FWB_SIG_SIZE, "signature_block",
				"bytes follow the signature block");
	info->sig_offset = end;
	memcpy(info->key_id, s + S_KEY_ID, SHA256_DIGEST_SIZE);
	memcpy(info->signature, s + S_SIGNATURE, FWB_ED25519_SIG_SIZE);
	return 0;
}

int fwb_check_payload(const void *buf, size_t len, const struct fwb_info *info,
		      struct fwk_fault *f)
{
	const uint8_t *b = buf;
	uint8_t digest[SHA256_DIGEST_SIZE];

	/* Only what fwb_parse() could have said about this very buffer. */
	if (!b || !info || len < FWB_HEADER_SIZE ||
	    info->payload_offset != FWB_HEADER_SIZE ||
	    info->payload_length > (uint64_t)len - FWB_HEADER_SIZE ||
	    memcmp(b + H_PAYLOAD_SHA256, info->payload_sha256, SHA256_DIGEST_SIZE) != 0)
		return fwk_fail(f, FWK_ERR_INVAL, 0, "payload_length",
				"the parsed header does not describe this buffer");
	sha256(b + info->payload_offset, (size_t)info->payload_length, digest);
	if (memcmp(digest, info->payload_sha256, SHA256_DIGEST_SIZE) != 0)
		return fwk_fail(f, FWK_ERR_CHECKSUM, H_PAYLOAD_SHA256, "payload_sha256",
				"is not the SHA-256 of the payload");
	return 0;
}

int fwb_check(const void *buf, size_t len, struct fwb_info *info,
	      struct fwk_fault *f)
{
	int rc = fwb_parse(buf, len, info, f);

	if (rc < 0)
		return rc;
	return fwb_check_payload(buf, len, info, f);
}

int fwb_write_header(const struct fwb_spec *spec, uint8_t *out, size_t cap)
{
	if (!spec || !spec->target || !fwb_type_name(spec->type) ||
	    spec->payload_length > FWB_PAYLOAD_MAX)
		return FWK_ERR_INVAL;
	size_t tlen = 0;
	while (tlen < FWB_TARGET_SIZE && spec->target[tlen] != '\0') {
		if (!printable((uint8_t)spec->target[tlen]))
			return FWK_ERR_INVAL;
		tlen++;
	}
	if (tlen == 0 || tlen == FWB_TARGET_SIZE)
		return FWK_ERR_INVAL;
	if (!out || cap < FWB_HEADER_SIZE)
		return FWK_ERR_NOSPACE;

	memset(out, 0, FWB_HEADER_SIZE);
	memcpy(out + H_MAGIC, FWB_MAGIC, FWB_MAGIC_SIZE);
	put_le16(out + H_FORMAT_VERSION, FWB_FORMAT_VERSION);
	put_le16(out + H_FLAGS, spec->is_signed ? FWB_FLAG_SIGNED : 0);
	put_le32(out + H_HEADER_LENGTH, FWB_HEADER_SIZE);
	put_le32(out + H_BLOB_TYPE, spec->type);
	put_le32(out + H_INSTANCE, spec->instance);
	put_le64(out + H_PAYLOAD_VERSION, spec->version);
	put_le64(out + H_PAYLOAD_LENGTH, spec->payload_length);
	memcpy(out + H_TARGET, spec->target, tlen);
	memcpy(out + H_PAYLOAD_SHA256, spec->payload_sha256, SHA256_DIGEST_SIZE);
	sha256(out, H_HEADER_SHA256, out + H_HEADER_SHA256);
	return (int)FWB_HEADER_SIZE;
}

int fwb_write_signature(uint16_t algorithm,
			const uint8_t key_id[SHA256_DIGEST_SIZE],
			const uint8_t sig[FWB_ED25519_SIG_SIZE], uint8_t *out,
			size_t cap)
{
	if (algorithm != FWB_SIG_ED25519 || !key_id || !sig)
		return FWK_ERR_INVAL;
	if (!out || cap < FWB_SIG_SIZE)
		return FWK_ERR_NOSPACE;
	memcpy(out + S_MAGIC, FWB_SIG_MAGIC, 4);
	put_le16(out + S_ALGORITHM, algorithm);
	put_le16(out + S_RESERVED, 0);
	memcpy(out + S_KEY_ID, key_id, SHA256_DIGEST_SIZE);
	memcpy(out + S_SIGNATURE, sig, FWB_ED25519_SIG_SIZE);
	return (int)FWB_SIG_SIZE;
}

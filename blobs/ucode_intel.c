/* SPDX-License-Identifier: MIT */
/* ucode_intel.c - Intel microcode update files: header, sizes, the dword
 * checksums and the extended signature table, one update at a time. */
#include <fwkit/ucode.h>

/* Header dwords (SDM vol. 3, table "Microcode Update Field Definitions"). */
#define H_HEADER_VERSION 0u
#define H_REVISION 4u
#define H_DATE 8u
#define H_SIGNATURE 12u
#define H_CHECKSUM 16u
#define H_LOADER_REVISION 20u
#define H_PF 24u
#define H_DATA_SIZE 28u
#define H_TOTAL_SIZE 32u

/* Extended signature table. */
#define X_COUNT 0u
#define X_CHECKSUM 4u

uint32_t ucode_dword_sum(const void *p, uint64_t len)
{
	const uint8_t *b = p;
	uint32_t sum = 0;

	for (uint64_t i = 0; i + 4 <= len; i += 4)
		sum += fwk_le32(b + i);
	return sum;
}

/* The extended table at b[0..len) of the update whose header is h. */
static int check_ext_table(const uint8_t *h, const uint8_t *b, uint64_t len,
			   uint64_t at, uint32_t *count, struct fwk_fault *f)
{
	if (len < UCODE_INTEL_EXT_HEADER_SIZE)
		return fwk_fail(f, FWK_ERR_BADFIELD, at, "ext_table",
				"the space after the data is shorter than an extended "
				"table's 20-byte header");
	uint32_t n = fwk_le32(b + X_COUNT);
	uint64_t want = UCODE_INTEL_EXT_HEADER_SIZE + (uint64_t)n * UCODE_INTEL_EXT_SIG_SIZE;
	if (want != len)
		return fwk_fail(f, FWK_ERR_BADFIELD, at + X_COUNT, "ext_count",
				"does not fill the extended table that total_size leaves "
				"after the data");
	if (ucode_dword_sum(b, len) != 0)
		return fwk_fail(f, FWK_ERR_CHECKSUM, at + X_CHECKSUM, "ext_checksum",
				"the dwords of the extended signature table do not sum to 0");
	/* Each entry must be a valid checksum for the same data: the header's
	 * three values and the entry's have the same sum. */
	uint32_t mine = fwk_le32(h + H_SIGNATURE) + fwk_le32(h + H_PF) +
			fwk_le32(h + H_CHECKSUM);
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *e = b + UCODE_INTEL_EXT_HEADER_SIZE + (uint64_t)i * UCODE_INTEL_EXT_SIG_SIZE;
		uint32_t theirs = fwk_le32(e) + fwk_le32(e + 4) + fwk_le32(e + 8);
		if (theirs != mine)
			return fwk_fail(f, FWK_ERR_CHECKSUM, at + (uint64_t)(e - b),
					"ext_signature",
					"its checksum does not fit the update's data with "
					"its signature and flags");
	}
	*count = n;
	return 0;
}

int ucode_intel_next(const void *buf, uint64_t len, uint64_t *offset,
		     struct ucode_intel *u, struct fwk_fault *f)
{
	const uint64_t o = *offset;

	if (o > len)
		return fwk_fail(f, FWK_ERR_RANGE, len, "offset", "past the end of the input");
	if (o == len)
		return 0;
	const uint8_t *h = (const uint8_t *)buf + o;
	const uint64_t rem = len - o;
	if (rem < UCODE_INTEL_HEADER_SIZE)
		return fwk_fail(f, FWK_ERR_TRUNCATED, o, "header",
				"fewer than the 48 bytes of an update header are left");
	if (fwk_le32(h + H_HEADER_VERSION) != 1)
		return fwk_fail(f, FWK_ERR_BADFIELD, o + H_HEADER_VERSION, "header_version",
				"is not 1");
	if (fwk_le32(h + H_LOADER_REVISION) != 1)
		return fwk_fail(f, FWK_ERR_BADFIELD, o + H_LOADER_REVISION, "loader_revision",
				"is not 1");

	uint32_t ds = fwk_le32(h + H_DATA_SIZE);
	uint32_t ts = fwk_le32(h + H_TOTAL_SIZE);
	if (ds == 0)
		ds = UCODE_INTEL_DEFAULT_DATA;
	if (ts == 0)
		ts = UCODE_INTEL_DEFAULT_TOTAL;
	if (ds % 4)
		return fwk_fail(f, FWK_ERR_BADFIELD, o + H_DATA_SIZE, "data_size",
				"is not a multiple of 4");
	if (ts % UCODE_INTEL_SIZE_UNIT)
		return fwk_fail(f, FWK_ERR_BADFIELD, o + H_TOTAL_SIZE, "total_size",
				"is not a multiple of 1024");
	if ((uint64_t)ts < (uint64_t)ds + UCODE_INTEL_HEADER_SIZE)
		return fwk_fail(f, FWK_ERR_BADFIELD, o + H_TOTAL_SIZE, "total_size",
				"is smaller than data_size + 48");
	if (ts > rem)
		return fwk_fail(f, FWK_ERR_TRUNCATED, o + H_TOTAL_SIZE, "total_size",
				"runs past the end of the file");
	if (ucode_dword_sum(h, UCODE_INTEL_HEADER_SIZE + (uint64_t)ds) != 0)
		return fwk_fail(f, FWK_ERR_CHECKSUM, o + H_CHECKSUM, "checksum",
				"the dwords of header and data do not sum to 0");

	uint32_t ext_count = 0;
	uint64_t ext_at = o + UCODE_INTEL_HEADER_SIZE + ds;
	uint64_t ext_len = (uint64_t)ts - UCODE_INTEL_HEADER_SIZE - ds;
	if (ext_len) {
		int err = check_ext_table(h, h + UCODE_INTEL_HEADER_SIZE + ds, ext_len,
					  ext_at, &ext_count, f);
		if (err)
			return err;
	}

	u->offset = o;
	u->data = h;
	u->header_version = fwk_le32(h + H_HEADER_VERSION);
	u->revision = fwk_le32(h + H_REVISION);
	u->date = fwk_le32(h + H_DATE);
	u->signature = fwk_le32(h + H_SIGNATURE);
	u->checksum = fwk_le32(h + H_CHECKSUM);
	u->loader_revision = fwk_le32(h + H_LOADER_REVISION);
	u->pf_mask = fwk_le32(h + H_PF);
	u->data_size = ds;
	u->total_size = ts;
	u->ext_count = ext_count;
	u->ext_offset = ext_len ? ext_at : 0;
	*offset = o + ts;
	return 1;
}

int ucode_intel_ext_sig(const struct ucode_intel *u, uint32_t i,
			struct ucode_intel_sig *s)
{
	if (!u || !s || i >= u->ext_count)
		return FWK_ERR_INVAL;
	const uint8_t *e = u->data + UCODE_INTEL_HEADER_SIZE + u->data_size +
			   UCODE_INTEL_EXT_HEADER_SIZE + (uint64_t)i * UCODE_INTEL_EXT_SIG_SIZE;
	s->signature = fwk_le32(e);
	s->pf_mask = fwk_le32(e + 4);
	s->checksum = fwk_le32(e + 8);
	return 0;
}

static bool pair_matches(uint32_t sig, uint32_t pf, uint32_t want_sig, uint32_t want_pf)
{
	if (sig != want_sig)
		return false;
	if (pf == 0 && want_pf == 0)
		return true;
	return (pf & want_pf) != 0;
}

bool ucode_intel_matches(const struct ucode_intel *u, uint32_t signature,
			 uint32_t pf_mask)
{
	if (pair_matches(u->signature, u->pf_mask, signature, pf_mask))
		return true;
	for (uint32_t i = 0; i < u->ext_count; i++) {
		struct ucode_intel_sig s;
		ucode_intel_ext_sig(u, i, &s);
		if (pair_matches(s.signature, s.pf_mask, signature, pf_mask))
			return true;
	}
	return false;
}

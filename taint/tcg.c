/* SPDX-License-Identifier: MIT */
/* tcg.c - ledger records as a TCG PC Client crypto-agile event log with one
 * SHA-256 bank (TCG PC Client Platform Firmware Profile, 10.2.1 and 10.2.2). */
#include <fwkit/taint.h>

/*
 * The first event, TCG_PCR_EVENT in the SHA-1 log format:
 *   0 pcrIndex u32 (0)   4 eventType u32 (EV_NO_ACTION)   8 digest[20] (0)
 *  28 eventSize u32      32 event: TCG_EfiSpecIdEvent
 * and its event, TCG_EfiSpecIdEvent with one algorithm:
 *   0 signature[16] "Spec ID Event03\0"   16 platformClass u32
 *  20 specVersionMinor u8  21 specVersionMajor u8  22 specErrata u8
 *  23 uintnSize u8  24 numberOfAlgorithms u32
 *  28 algorithmId u16  30 digestSize u16  32 vendorInfoSize u8
 */
#define SPEC_ID_SIZE 33u
#define HEADER_EVENT_SIZE (32u + SPEC_ID_SIZE)

/*
 * TCG_PCR_EVENT2 with a TPML_DIGEST_VALUES of one TPMT_HA:
 *   0 pcrIndex u32   4 eventType u32   8 count u32   12 hashAlg u16
 *  14 digest[32]    46 eventSize u32  50 event data
 */
#define EVENT2_FIXED 50u
#define EVENT2_SIZE_AT 46u

/* A PC Client TPM has PCRs 0..23. */
#define TCG_PCR_COUNT 24u

#define PFP_SPEC_VERSION_MAJOR 2
#define PFP_SPEC_VERSION_MINOR 0
/* The errata the PC Client PFP spec sets for this structure (TF-A and OP-TEE
 * write 2; EDK2 writes 0; readers accept either). */
#define PFP_SPEC_ERRATA 2
/* uintnSize counts UINT32s: 2 for a 64-bit UINTN. */
#define PFP_UINTN_SIZE 2

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

int tcg_log_header(uint8_t *out, size_t cap)
{
	static const char signature[16] = "Spec ID Event03"; /* with its NUL */
	uint8_t *e = out + 32;

	if (cap < HEADER_EVENT_SIZE)
		return FWK_ERR_NOSPACE;
	memset(out, 0, HEADER_EVENT_SIZE);
	put_le32(out, 0);
	put_le32(out + 4, TCG_EV_NO_ACTION);
	/* out[8..28): the SHA-1 digest field, zero for EV_NO_ACTION. */
	put_le32(out + 28, SPEC_ID_SIZE);

	memcpy(e, signature, sizeof(signature));
	put_le32(e + 16, 0); /* platformClass: client */
	e[20] = PFP_SPEC_VERSION_MINOR;
	e[21] = PFP_SPEC_VERSION_MAJOR;
	e[22] = PFP_SPEC_ERRATA;
	e[23] = PFP_UINTN_SIZE;
	put_le32(e + 24, 1);
	put_le16(e + 28, TCG_ALG_SHA256);
	put_le16(e + 30, SHA256_DIGEST_SIZE);
	e[32] = 0; /* vendorInfoSize */
	return (int)HEADER_EVENT_SIZE;
}

int tcg_log_event(const struct ledger_record *r, uint32_t pcr, uint8_t *out,
		  size_t cap)
{
	int n;

	if (pcr >= TCG_PCR_COUNT)
		return FWK_ERR_INVAL;
	if (cap < EVENT2_FIXED) {
		/* Still tell a bad record from a small buffer. */
		n = ledger_format_text(r, NULL, 0);
		return n == FWK_ERR_INVAL ? FWK_ERR_INVAL : FWK_ERR_NOSPACE;
	}
	/*
	 * The event data is the text line without its NUL.  Writing the line
	 * one byte early puts the NUL where the line's last byte goes, so an
	 * event that exactly fills cap still fits; then slide it into place.
	 */
	n = ledger_format_text(r, (char *)out + EVENT2_FIXED - 1,
			       cap - (EVENT2_FIXED - 1));
	if (n < 0)
		return n;
	memmove(out + EVENT2_FIXED, out + EVENT2_FIXED - 1, (size_t)n);

	put_le32(out, pcr);
	put_le32(out + 4, TCG_EV_IPL);
	put_le32(out + 8, 1);
	put_le16(out + 12, TCG_ALG_SHA256);
	memcpy(out + 14, r->sha256, SHA256_DIGEST_SIZE);
	put_le32(out + EVENT2_SIZE_AT, (uint32_t)n);
	return (int)(EVENT2_FIXED + (size_t)n);
}

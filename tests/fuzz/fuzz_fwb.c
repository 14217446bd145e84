/* SPDX-License-Identifier: MIT */
/* fuzz_fwb.c - libFuzzer harness: fwb_check over the input as it is, then
 * over a copy whose two digests were made right (random bytes never match
 * a SHA-256, so this is what reaches the checks after them).  A fault must
 * lie within the input and name a field; an accepted container re-written
 * with fwb_write_header (and fwb_write_signature) from its parsed fields
 * must give the same bytes.
 *
 * Seeds (tests/fuzz/corpus/fwb/) are containers written by `fwkit blob
 * pack`, signed ones with the RFC 8032 TEST 2 key of docs/formats/fwb.md,
 * and a few broken ones (truncated, trailing bytes, a bad field). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fwkit/fwb.h>

#include "fuzzkit.h"

static void check_accepted(const uint8_t *d, size_t size, const struct fwb_info *info)
{
	CHECK(size >= FWB_HEADER_SIZE);
	CHECK(info->format_version == FWB_FORMAT_VERSION);
	CHECK(info->header_length == FWB_HEADER_SIZE);
	CHECK(info->payload_offset == FWB_HEADER_SIZE);
	CHECK(info->payload_length <= FWB_PAYLOAD_MAX);
	CHECK(info->signed_length == FWB_HEADER_SIZE + info->payload_length);
	CHECK(info->signed_length + (info->is_signed ? FWB_SIG_SIZE : 0) == size);
	CHECK(info->is_signed == ((info->flags & FWB_FLAG_SIGNED) != 0));
	CHECK(fwb_type_name(info->type) != NULL);
	const size_t tlen = strnlen(info->target, FWB_TARGET_SIZE);
	CHECK(tlen >= 1 && tlen < FWB_TARGET_SIZE);
	CHECK(fwb_type_parse(fwb_type_name(info->type),
			     strlen(fwb_type_name(info->type))) == info->type);
	sink += touch(d + info->payload_offset, info->payload_length);

	struct fwb_spec spec = {
		.type = info->type,
		.instance = info->instance,
		.version = info->version,
		.payload_length = info->payload_length,
		.target = info->target,
		.is_signed = info->is_signed,
	};
	memcpy(spec.payload_sha256, info->payload_sha256, SHA256_DIGEST_SIZE);
	uint8_t h[FWB_HEADER_SIZE];
	CHECK(fwb_write_header(&spec, h, sizeof(h)) == (int)FWB_HEADER_SIZE);
	CHECK(memcmp(h, d, FWB_HEADER_SIZE) == 0);
	if (info->is_signed) {
		uint8_t s[FWB_SIG_SIZE];
		CHECK(info->sig_offset == info->signed_length);
		CHECK(fwb_write_signature(info->sig_algorithm, info->key_id, info->signature,
					  s, sizeof(s)) == (int)FWB_SIG_SIZE);
		CHECK(memcmp(s, d + info->sig_offset, FWB_SIG_SIZE) == 0);
	}
}

static void check_one(const uint8_t *d, size_t size)
{
	struct fwb_info info;
	struct fwk_fault f = { 0 };

	/* An exact-size copy, so ASan sees any read past the end. */
	uint8_t *c = malloc(size ? size : 1);
	CHECK(c != NULL);
	memcpy(c, d, size);
	int parsed = fwb_parse(c, size, &info, &f);
	if (parsed < 0)
		check_fault(&f, parsed, size);
	int rc = fwb_check(c, size, &info, &f);
	if (rc < 0) {
		check_fault(&f, rc, size);
		/* Only the payload digest is beyond what fwb_parse looks at. */
		CHECK(parsed < 0 || (rc == FWK_ERR_CHECKSUM && !strcmp(f.field, "payload_sha256")));
	} else {
		CHECK(parsed == 0);
		check_accepted(c, size, &info);
	}
	free(c);
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_one(data, size);
	if (size < FWB_HEADER_SIZE)
		return 0;

	/* The same bytes with the digests made to match, when the payload
	 * the header claims is there. */
	uint8_t *c = malloc(size);
	CHECK(c != NULL);
	memcpy(c, data, size);
	const uint64_t plen = le64(c + 32);
	if (plen <= size - FWB_HEADER_SIZE)
		sha256(c + FWB_HEADER_SIZE, (size_t)plen, c + 112);
	sha256(c, 144, c + 144);
	check_one(c, size);
	free(c);
	return 0;
}

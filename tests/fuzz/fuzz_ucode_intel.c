/* SPDX-License-Identifier: MIT */
/* fuzz_ucode_intel.c - libFuzzer harness: ucode_intel_next() over the whole
 * input, every accepted update checked again from its bytes, faults inside
 * the input; then selection (for all CPUs, and for one taken from the last
 * input bytes) and GenuineIntel.bin, which must parse back to the kept
 * updates. */
#include <stdbool.h>
#include <string.h>

#include <fwkit/ucode.h>

#include "fuzzkit.h"

#define MAX_UPDATES 64

/* Everything ucode_intel_next() promised about an update it accepted. */
static void recheck(const uint8_t *d, size_t size, const struct ucode_intel *u)
{
	CHECK(u->offset + u->total_size <= size);
	CHECK(u->data == d + u->offset);
	CHECK(u->header_version == 1 && u->loader_revision == 1);
	CHECK(u->total_size % 1024 == 0 && u->data_size % 4 == 0);
	CHECK((uint64_t)u->data_size + 48 <= u->total_size);
	CHECK(fwk_le32(u->data + 28) == 0 ? u->data_size == 2000 : fwk_le32(u->data + 28) == u->data_size);
	CHECK(ucode_dword_sum(u->data, 48 + (uint64_t)u->data_size) == 0);
	uint64_t ext = (uint64_t)u->total_size - 48 - u->data_size;
	if (!ext) {
		CHECK(u->ext_count == 0 && u->ext_offset == 0);
		return;
	}
	CHECK(u->ext_offset == u->offset + 48 + u->data_size);
	CHECK(ext == 20 + 12 * (uint64_t)u->ext_count);
	CHECK(ucode_dword_sum(d + u->ext_offset, ext) == 0);
	for (uint32_t i = 0; i < u->ext_count; i++) {
		struct ucode_intel_sig s;
		CHECK(ucode_intel_ext_sig(u, i, &s) == 0);
		CHECK(s.signature + s.pf_mask + s.checksum ==
		      u->signature + u->pf_mask + u->checksum);
		CHECK(ucode_intel_matches(u, s.signature, s.pf_mask ? s.pf_mask : 0));
	}
	struct ucode_intel_sig s;
	CHECK(ucode_intel_ext_sig(u, u->ext_count, &s) == FWK_ERR_INVAL);
}

/* The kept updates, bundled, parse back one for one. */
static void check_bundle(const struct ucode_intel *u, uint32_t n, const bool *keep, int kept)
{
	static uint8_t out[1 << 17];
	int64_t size = ucode_intel_bundle(u, n, keep, NULL, 0);

	CHECK(size >= 0);
	if ((uint64_t)size > sizeof(out)) {
		CHECK(ucode_intel_bundle(u, n, keep, out, sizeof(out)) == FWK_ERR_NOSPACE);
		return;
	}
	CHECK(ucode_intel_bundle(u, n, keep, out, sizeof(out)) == size);
	struct ucode_intel v;
	struct fwk_fault f = { 0 };
	uint64_t off = 0;
	int got = 0, rc;
	while ((rc = ucode_intel_next(out, (uint64_t)size, &off, &v, &f)) == 1) {
		bool same = false;
		for (uint32_t i = 0; i < n && !same; i++)
			same = keep[i] && u[i].total_size == v.total_size &&
			       !memcmp(u[i].data, v.data, v.total_size);
		CHECK(same);
		got++;
	}
	CHECK(rc == 0 && got == kept && off == (uint64_t)size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ucode_intel u[MAX_UPDATES];
	bool keep[MAX_UPDATES];
	struct fwk_fault f = { 0 };
	uint64_t off = 0;
	uint32_t n = 0;
	int rc;

	sink += ucode_detect(data, size);
	while ((rc = ucode_intel_next(data, size, &off, &u[n], &f)) == 1) {
		recheck(data, size, &u[n]);
		CHECK(off == u[n].offset + u[n].total_size);
		if (n + 1 < MAX_UPDATES)
			n++;
	}
	if (rc < 0) {
		check_fault(&f, rc, size);
		CHECK(off <= size);
	} else {
		CHECK(off == size);
	}

	int kept = ucode_intel_select(u, n, NULL, keep);
	CHECK(kept >= 0 && (uint32_t)kept <= n);
	CHECK(n == 0 || kept > 0);
	check_bundle(u, n, keep, kept);

	if (size >= 8) {
		struct ucode_cpu cpu = { fwk_le32(data + size - 8), fwk_le32(data + size - 4) & 0xff };
		if (n && (size & 1))
			cpu.signature = u[data[0] % n].signature;
		kept = ucode_intel_select(u, n, &cpu, keep);
		CHECK(kept >= 0);
		for (uint32_t i = 0; i < n; i++)
			if (keep[i])
				CHECK(ucode_intel_matches(&u[i], cpu.signature,
							  cpu.pf_mask ? cpu.pf_mask : UCODE_PF_ALL));
		check_bundle(u, n, keep, kept);
	}
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* fuzz_ucode_amd.c - libFuzzer harness: ucode_amd_next() over the whole
 * input, every container and patch checked again from its bytes, faults
 * inside the input; then selection (all CPUs, and one CPU named by the
 * input) and AuthenticAMD.bin, which must parse again and, selected again,
 * keep every patch it holds. */
#include <stdbool.h>
#include <string.h>

#include <fwkit/ucode.h>

#include "fuzzkit.h"

#define MAX_ITEMS 128

static uint32_t family_of(uint32_t sig)
{
	uint32_t fam = (sig >> 8) & 0xf;
	return fam == 0xf ? fam + ((sig >> 20) & 0xff) : fam;
}

static void recheck(const uint8_t *d, size_t size, const struct ucode_amd *it)
{
	CHECK(it->table == d + it->table_offset);
	CHECK(it->table_offset == it->container_offset + 12);
	CHECK(fwk_le32(d + it->container_offset) == UCODE_AMD_MAGIC);
	CHECK(it->table_offset + 16 * ((uint64_t)it->table_entries + 1) <= size);
	for (uint32_t k = 0; k <= it->table_entries; k++) {
		struct ucode_amd_equiv e;
		int rc = ucode_amd_equiv(it, k, &e);
		if (k == it->table_entries) {
			CHECK(rc == FWK_ERR_INVAL);
			for (uint32_t z = 0; z < 16; z++)
				CHECK(it->table[16 * (uint64_t)k + z] == 0);
			break;
		}
		CHECK(rc == 0 && e.installed_cpu != 0 && e.equiv_cpu != 0);
		CHECK(family_of(e.installed_cpu) == 0xfu + (e.equiv_cpu >> 12));
	}
	if (it->kind == UCODE_AMD_CONTAINER)
		return;
	CHECK(it->kind == UCODE_AMD_PATCH && it->patches >= 1);
	CHECK(it->offset + 8 + (uint64_t)it->size <= size);
	CHECK(it->data == d + it->offset + 8 && it->size >= 64);
	CHECK(fwk_le32(d + it->offset) == 1 && fwk_le32(d + it->offset + 4) == it->size);
	CHECK(it->patch_id == fwk_le32(it->data + 4));
	CHECK(it->equiv_id == fwk_le16(it->data + 24));
	CHECK(it->nb_dev_id == 0 && it->sb_dev_id == 0);
	int64_t limit = ucode_amd_patch_limit(it->family);
	CHECK(limit >= 0 && (limit == 0 || it->size <= limit));
	bool named = false;
	for (uint32_t k = 0; k < it->table_entries; k++) {
		struct ucode_amd_equiv e;
		ucode_amd_equiv(it, k, &e);
		named |= e.equiv_cpu == it->equiv_id;
	}
	CHECK(named);
	uint32_t first = 0;
	CHECK(ucode_amd_cpus(it, &first, 1) >= 1 && first != 0);
}

static int count_patches(const struct ucode_amd *it, uint32_t n, const bool *keep)
{
	int c = 0;
	for (uint32_t i = 0; i < n; i++)
		c += it[i].kind == UCODE_AMD_PATCH && (!keep || keep[i]);
	return c;
}

static void check_bundle(const struct ucode_amd *it, uint32_t n, const bool *keep, int kept)
{
	static uint8_t out[1 << 17];
	static struct ucode_amd again[MAX_ITEMS];
	bool keep2[MAX_ITEMS];
	int64_t size = ucode_amd_bundle(it, n, keep, NULL, 0);

	CHECK(size >= 0 && (size == 0) == (kept == 0));
	if ((uint64_t)size > sizeof(out)) {
		CHECK(ucode_amd_bundle(it, n, keep, out, sizeof(out)) == FWK_ERR_NOSPACE);
		return;
	}
	CHECK(ucode_amd_bundle(it, n, keep, out, sizeof(out)) == size);
	if (!size)
		return;
	struct ucode_amd cur = { 0 };
	struct fwk_fault f = { 0 };
	uint64_t off = 0;
	uint32_t m = 0;
	int rc;
	while ((rc = ucode_amd_next(out, (uint64_t)size, &off, &cur, &f)) == 1) {
		CHECK(m < MAX_ITEMS);
		again[m++] = cur;
	}
	CHECK(rc == 0 && off == (uint64_t)size);
	CHECK(count_patches(again, m, NULL) == kept);
	/* Each CPU is named once, by its newest kept patch: nothing to drop. */
	CHECK(ucode_amd_select(again, m, NULL, keep2) == kept);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ucode_amd items[MAX_ITEMS];
	bool keep[MAX_ITEMS];
	struct ucode_amd it = { 0 };
	struct fwk_fault f = { 0 };
	uint64_t off = 0;
	uint32_t n = 0;
	int rc;

	sink += ucode_detect(data, size);
	while ((rc = ucode_amd_next(data, size, &off, &it, &f)) == 1) {
		recheck(data, size, &it);
		if (n < MAX_ITEMS)
			items[n++] = it;
	}
	if (rc < 0) {
		check_fault(&f, rc, size);
		CHECK(off <= size);
	} else {
		CHECK(off == size && it.patches >= 1);
	}

	int kept = ucode_amd_select(items, n, NULL, keep);
	CHECK(kept >= 0 && kept <= count_patches(items, n, NULL));
	CHECK(count_patches(items, n, NULL) == 0 || kept > 0);
	check_bundle(items, n, keep, kept);

	if (n && size >= 4) {
		/* A CPU from one of the tables, picked by the input. */
		const struct ucode_amd *c = &items[data[size - 1] % n];
		struct ucode_amd_equiv e;
		struct ucode_cpu cpu = { fwk_le32(data + size - 4), 0 };
		if (c->table_entries && ucode_amd_equiv(c, data[size - 2] % c->table_entries, &e) == 0)
			cpu.signature = e.installed_cpu;
		kept = ucode_amd_select(items, n, &cpu, keep);
		CHECK(kept == 0 || kept == 1);
		check_bundle(items, n, keep, kept);
	}
	return 0;
}

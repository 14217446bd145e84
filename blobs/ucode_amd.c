/* SPDX-License-Identifier: MIT */
/* ucode_amd.c - AMD microcode containers: the equivalence table, the patch
 * sections and the kernel's per-family size limits, one item at a time. */
#include <fwkit/ucode.h>

/* Patch header (struct microcode_header_amd in Linux's microcode_amd.h). */
#define P_DATA_CODE 0u
#define P_PATCH_ID 4u
#define P_DATA_ID 8u
#define P_DATA_LEN 10u
#define P_INIT_FLAG 11u
#define P_DATA_CHECKSUM 12u
#define P_NB_DEV_ID 16u
#define P_SB_DEV_ID 20u
#define P_PROCESSOR_REV_ID 24u
#define P_NB_REV_ID 26u
#define P_SB_REV_ID 27u
#define P_BIOS_API_REV 28u

/* Equivalence entry. */
#define E_INSTALLED_CPU 0u
#define E_ERRATA_MASK 4u
#define E_ERRATA_COMPARE 8u
#define E_EQUIV_CPU 12u
#define E_RESERVED 14u

int64_t ucode_amd_patch_limit(uint8_t family)
{
	if (family >= 0x10 && family <= 0x12)
		return UCODE_AMD_F1XH_MAX;
	if (family == 0x14)
		return UCODE_AMD_F14H_MAX;
	if (family >= 0x15)
		return 0;
	return FWK_ERR_UNSUPPORTED;
}

/* CPUID leaf 1 EAX to the family number Linux uses (x86_family()). */
static uint32_t cpuid_family(uint32_t sig)
{
	uint32_t fam = (sig >> 8) & 0xf;

	if (fam == 0xf)
		fam += (sig >> 20) & 0xff;
	return fam;
}

static uint8_t equiv_family(uint16_t equiv_id)
{
	return (uint8_t)(0xf + (equiv_id >> 12));
}

static bool all_zero(const uint8_t *p, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* The container header and its equivalence table at o. */
static int read_container(const uint8_t *b, uint64_t len, uint64_t o,
			  struct ucode_amd *it, struct fwk_fault *f)
{
	if (len - o < UCODE_AMD_CONTAINER_HEADER_SIZE)
		return fwk_fail(f, FWK_ERR_TRUNCATED, o, "container",
				"fewer than the 12 bytes of a container header are left");
	if (fwk_le32(b + o) != UCODE_AMD_MAGIC)
		return fwk_fail(f, FWK_ERR_BADMAGIC, o, "magic",
				"is not the AMD container magic 0x00414d44");
	if (fwk_le32(b + o + 4) != UCODE_AMD_TYPE_EQUIV)
		return fwk_fail(f, FWK_ERR_BADFIELD, o + 4, "equiv_type",
				"is not 0: a container must begin with its equivalence table");
	uint32_t size = fwk_le32(b + o + 8);
	if (size == 0 || size % UCODE_AMD_EQUIV_SIZE)
		return fwk_fail(f, FWK_ERR_BADFIELD, o + 8, "equiv_size",
				"is not a non-zero multiple of the 16-byte entry size");
	uint64_t t = o + UCODE_AMD_CONTAINER_HEADER_SIZE;
	if (size > len - t)
		return fwk_fail(f, FWK_ERR_TRUNCATED, o + 8, "equiv_size",
				"the equivalence table runs past the end of the file");

	uint32_t n = size / UCODE_AMD_EQUIV_SIZE - 1;
	if (!all_zero(b + t + (uint64_t)n * UCODE_AMD_EQUIV_SIZE, UCODE_AMD_EQUIV_SIZE))
		return fwk_fail(f, FWK_ERR_BADFIELD, t + (uint64_t)n * UCODE_AMD_EQUIV_SIZE,
				"installed_cpu",
				"the table's last entry is not the all-zero terminator");
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *e = b + t + (uint64_t)i * UCODE_AMD_EQUIV_SIZE;
		uint64_t at = t + (uint64_t)i * UCODE_AMD_EQUIV_SIZE;
		uint32_t cpu = fwk_le32(e + E_INSTALLED_CPU);
		uint16_t eq = fwk_le16(e + E_EQUIV_CPU);
		if (cpu == 0)
			return fwk_fail(f, FWK_ERR_BADFIELD, at, "installed_cpu",
					"is 0 before the end of the table: the kernel stops "
					"reading there");
		if (eq == 0)
			return fwk_fail(f, FWK_ERR_BADFIELD, at + E_EQUIV_CPU, "equiv_cpu",
					"is 0: the kernel reads that as no patch for the CPU");
		if (cpuid_family(cpu) != equiv_family(eq))
			return fwk_fail(f, FWK_ERR_BADFIELD, at + E_EQUIV_CPU, "equiv_cpu",
					"names another family than installed_cpu: the kernel "
					"would skip the patch");
		for (uint32_t k = 0; k < i; k++)
			if (fwk_le32(b + t + (uint64_t)k * UCODE_AMD_EQUIV_SIZE) == cpu)
				return fwk_fail(f, FWK_ERR_BADFIELD, at, "installed_cpu",
						"is listed twice in the equivalence table");
	}
	it->kind = UCODE_AMD_CONTAINER;
	it->container = it->table ? it->container + 1 : 0;
	it->container_offset = o;
	it->table = b + t;
	it->table_offset = t;
	it->table_entries = n;
	it->patches = 0;
	it->offset = o;
	it->data = 0;
	it->size = 0;
	return 0;
}

static bool table_has(const struct ucode_amd *it, uint16_t eq)
{
	for (uint32_t i = 0; i < it->table_entries; i++)
		if (fwk_le16(it->table + (uint64_t)i * UCODE_AMD_EQUIV_SIZE + E_EQUIV_CPU) == eq)
			return true;
	return false;
}

/* The patch section at o of the container `it` describes. */
static int read_patch(const uint8_t *b, uint64_t len, uint64_t o,
		      struct ucode_amd *it, struct fwk_fault *f)
{
	uint32_t size = fwk_le32(b + o + 4);
	uint64_t p = o + UCODE_AMD_SECTION_HEADER_SIZE;

	if (size < UCODE_AMD_PATCH_HEADER_SIZE)
		return fwk_fail(f, FWK_ERR_BADFIELD, o + 4, "section_size",
				"is smaller than the 64-byte patch header");
	if (size > len - p)
		return fwk_fail(f, FWK_ERR_TRUNCATED, o + 4, "section_size",
				"the patch runs past the end of the file");
	const uint8_t *h = b + p;
	uint16_t eq = fwk_le16(h + P_PROCESSOR_REV_ID);
	uint8_t fam = equiv_family(eq);
	int64_t limit = ucode_amd_patch_limit(fam);
	if (limit < 0)
		return fwk_fail(f, FWK_ERR_BADFIELD, p + P_PROCESSOR_REV_ID, "processor_rev_id",
				"names a CPU family the kernel has no patch loader for "
				"(it takes 10h-12h, 14h and 15h on)");
	if (limit > 0 && size > limit)
		return fwk_fail(f, FWK_ERR_BADFIELD, o + 4, "section_size",
				fam == 0x14 ? "is larger than the kernel's 1824-byte limit "
					      "for family 14h"
					    : "is larger than the kernel's 2048-byte limit "
					      "for families 10h-12h");
	if (fwk_le32(h + P_NB_DEV_ID))
		return fwk_fail(f, FWK_ERR_UNSUPPORTED, p + P_NB_DEV_ID, "nb_dev_id",
				"is set: a chipset-specific patch, which the kernel refuses");
	if (fwk_le32(h + P_SB_DEV_ID))
		return fwk_fail(f, FWK_ERR_UNSUPPORTED, p + P_SB_DEV_ID, "sb_dev_id",
				"is set: a chipset-specific patch, which the kernel refuses");
	if (!table_has(it, eq))
		return fwk_fail(f, FWK_ERR_BADFIELD, p + P_PROCESSOR_REV_ID, "processor_rev_id",
				"is not an equivalence id of its container's table");

	it->kind = UCODE_AMD_PATCH;
	it->patches++;
	it->offset = o;
	it->data = h;
	it->size = size;
	it->date = fwk_le32(h + P_DATA_CODE);
	it->patch_id = fwk_le32(h + P_PATCH_ID);
	it->patch_data_id = fwk_le16(h + P_DATA_ID);
	it->patch_data_len = h[P_DATA_LEN];
	it->init_flag = h[P_INIT_FLAG];
	it->patch_data_checksum = fwk_le32(h + P_DATA_CHECKSUM);
	it->nb_dev_id = fwk_le32(h + P_NB_DEV_ID);
	it->sb_dev_id = fwk_le32(h + P_SB_DEV_ID);
	it->equiv_id = eq;
	it->nb_rev_id = h[P_NB_REV_ID];
	it->sb_rev_id = h[P_SB_REV_ID];
	it->bios_api_rev = h[P_BIOS_API_REV];
	it->family = fam;
	return 0;
}

int ucode_amd_next(const void *buf, uint64_t len, uint64_t *offset,
		   struct ucode_amd *it, struct fwk_fault *f)
{
	const uint8_t *b = buf;
	const uint64_t o = *offset;
	struct ucode_amd next = *it;
	int err;

	if (o > len)
		return fwk_fail(f, FWK_ERR_RANGE, len, "offset", "past the end of the input");
	if (next.kind == UCODE_AMD_NONE) {
		err = read_container(b, len, o, &next, f);
		if (err)
			return err;
		*offset = next.table_offset + (uint64_t)(next.table_entries + 1) * UCODE_AMD_EQUIV_SIZE;
		*it = next;
		return 1;
	}
	/* Inside a container: the end, the next container, or a patch. */
	bool at_end = o == len;
	bool at_magic = !at_end && len - o >= 4 && fwk_le32(b + o) == UCODE_AMD_MAGIC;
	if ((at_end || at_magic) && next.patches == 0)
		return fwk_fail(f, FWK_ERR_BADFIELD, o, "section_type",
				"the container ends without a patch");
	if (at_end)
		return 0;
	if (at_magic) {
		err = read_container(b, len, o, &next, f);
		if (err)
			return err;
		*offset = next.table_offset + (uint64_t)(next.table_entries + 1) * UCODE_AMD_EQUIV_SIZE;
		*it = next;
		return 1;
	}
	if (len - o < UCODE_AMD_SECTION_HEADER_SIZE)
		return fwk_fail(f, FWK_ERR_TRUNCATED, o, "section",
				"fewer than the 8 bytes of a section header are left");
	if (fwk_le32(b + o) != UCODE_AMD_TYPE_PATCH)
		return fwk_fail(f, FWK_ERR_BADFIELD, o, "section_type",
				"is neither 1 (a patch) nor the magic of a next container");
	err = read_patch(b, len, o, &next, f);
	if (err)
		return err;
	*offset = o + UCODE_AMD_SECTION_HEADER_SIZE + next.size;
	*it = next;
	return 1;
}

int ucode_amd_equiv(const struct ucode_amd *it, uint32_t i, struct ucode_amd_equiv *e)
{
	if (!it || !e || !it->table || i >= it->table_entries)
		return FWK_ERR_INVAL;
	const uint8_t *p = it->table + (uint64_t)i * UCODE_AMD_EQUIV_SIZE;
	e->installed_cpu = fwk_le32(p + E_INSTALLED_CPU);
	e->fixed_errata_mask = fwk_le32(p + E_ERRATA_MASK);
	e->fixed_errata_compare = fwk_le32(p + E_ERRATA_COMPARE);
	e->equiv_cpu = fwk_le16(p + E_EQUIV_CPU);
	e->reserved = fwk_le16(p + E_RESERVED);
	return 0;
}

uint32_t ucode_amd_cpus(const struct ucode_amd *p, uint32_t *out, uint32_t cap)
{
	uint32_t n = 0;

	if (!p || p->kind != UCODE_AMD_PATCH)
		return 0;
	for (uint32_t i = 0; i < p->table_entries; i++) {
		const uint8_t *e = p->table + (uint64_t)i * UCODE_AMD_EQUIV_SIZE;
		if (fwk_le16(e + E_EQUIV_CPU) != p->equiv_id)
			continue;
		if (out && n < cap)
			out[n] = fwk_le32(e + E_INSTALLED_CPU);
		n++;
	}
	return n;
}

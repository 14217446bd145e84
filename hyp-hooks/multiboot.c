/* SPDX-License-Identifier: MIT */
/* multiboot.c - the multiboot (v1) information structure and the multiboot2
 * tag list, read from a memory window into struct boot_info. */
#include <fwkit/acpi.h>

#include "bootinfo_int.h"

/* Multiboot 0.6.96, 3.3: where each flag's fields end; bit 12 (the
 * framebuffer) makes the whole 116-byte structure. */
static const uint8_t mb1_fields_end[13] = {
	12, 16, 20, 28, 44, 44, 52, 60, 64, 68, 72, 88, 116
};

#define MB1_MEMINFO (1u << 0)
#define MB1_CMDLINE (1u << 2)
#define MB1_MODS (1u << 3)
#define MB1_SYMS (3u << 4)   /* a.out (4) and ELF (5): one or the other */
#define MB1_MMAP (1u << 6)
#define MB1_LOADER (1u << 9)

/* A module given as [start, end): an end before the start is its own
 * problem, reported instead of whatever the empty range at start got
 * (a window problem would only hide the real one). */
static struct boot_module *module_span(struct boot_info *bi,
				       const struct boot_window *win,
				       uint32_t start, uint32_t end,
				       uint64_t at, const char *field,
				       struct fwk_fault *f)
{
	struct boot_module *m = boot_module_add(bi, win, start,
						end >= start ? end - start : 0,
						at, field, f);

	if (m && end < start) {
		m->problem = NULL;
		boot_module_problem(m, "mod_end before mod_start", at + 4);
	}
	return m;
}

/* Size-prefixed entries filling mmap[0 .. length) exactly. */
static int mb1_mmap(const struct boot_window *win, uint32_t addr,
		    uint32_t length, struct boot_info *bi, struct fwk_fault *f)
{
	const uint8_t *m;
	int rc = boot_win_array(win, addr, length, 1, UINT32_MAX, 0, "mmap_addr",
				"mmap_length", &m, f);

	for (uint32_t o = 0; rc == 0 && o < length;) {
		uint64_t at = (uint64_t)addr + o;

		if (length - o < 4)
			return boot_fail(f, FWK_ERR_TRUNCATED, at, "mmap_length",
					"ends inside an entry");
		uint32_t size = boot_le32(m + o);
		if (size < 20)
			return boot_fail(f, FWK_ERR_BADFIELD, at, "mmap entry size",
					"below 20");
		if (size > length - o - 4)
			return boot_fail(f, FWK_ERR_RANGE, at, "mmap entry size",
					"runs past mmap_length");
		rc = boot_mmap_add(bi, boot_le64(m + o + 4), boot_le64(m + o + 12),
				   boot_le32(m + o + 20), at, "mmap_length", f);
		o += size + 4;
	}
	return rc;
}

static int mb1_modules(const struct boot_window *win, uint64_t info_phys,
		       uint32_t count, uint32_t addr, struct boot_info *bi,
		       struct fwk_fault *f)
{
	const uint8_t *e;
	int rc = boot_win_array(win, addr, count, 16, BOOT_MODULES_MAX,
				info_phys + 20, "mods_addr", "mods_count", &e, f);

	for (uint32_t i = 0; rc == 0 && i < count; i++, e += 16) {
		struct boot_module *m = module_span(bi, win, boot_le32(e),
						    boot_le32(e + 4),
						    (uint64_t)addr + 16u * i,
						    "mods_count", f);
		if (!m)
			return FWK_ERR_LIMIT;
		boot_module_win_cmdline(win, m, boot_le32(e + 8));
	}
	return rc;
}

int boot_parse_multiboot1(const struct boot_window *win, uint64_t info_phys,
			  struct boot_info *bi, struct fwk_fault *f)
{
	const uint8_t *p;
	uint32_t len = 4;
	int rc;

	rc = boot_begin(win, bi, BOOT_PROTO_MULTIBOOT1, f);
	if (rc == 0)
		rc = boot_win_need(win, info_phys, 4, "flags", "flags", &p, f);
	if (rc < 0)
		return rc;
	uint32_t flags = boot_le32(p);
	if ((flags & MB1_SYMS) == MB1_SYMS)
		return boot_fail(f, FWK_ERR_BADFIELD, info_phys, "flags",
				"bits 4 and 5 both set");
	for (unsigned i = 0; i < sizeof(mb1_fields_end); i++)
		if (flags >> i & 1u)
			len = mb1_fields_end[i];
	rc = boot_win_need(win, info_phys, len, "flags", "flags", &p, f);
	if (rc < 0)
		return rc;
	bi->mb1_flags = flags;
	if (flags & MB1_MEMINFO) {
		bi->have_meminfo = true;
		bi->mem_lower_kib = boot_le32(p + 4);
		bi->mem_upper_kib = boot_le32(p + 8);
	}
	if (flags & MB1_CMDLINE)
		rc = boot_win_cstr(win, boot_le32(p + 16), "cmdline", &bi->cmdline,
				   &bi->cmdline_len, f);
	if (rc == 0 && (flags & MB1_LOADER))
		rc = boot_win_cstr(win, boot_le32(p + 64), "boot_loader_name",
				   &bi->loader_name, &bi->loader_name_len, f);
	if (rc == 0 && (flags & MB1_MMAP))
		rc = mb1_mmap(win, boot_le32(p + 48), boot_le32(p + 44), bi, f);
	if (rc == 0 && (flags & MB1_MODS))
		rc = mb1_modules(win, info_phys, boot_le32(p + 20),
				 boot_le32(p + 24), bi, f);
	if (rc < 0)
		return rc;
	boot_modules_check(bi, bi->nmmap > 0, info_phys, len);
	return (int)bi->nmodules;
}

/* --- multiboot2 ---------------------------------------------------------- */

#define MB2_TAG_END 0u
#define MB2_TAG_CMDLINE 1u
#define MB2_TAG_LOADER 2u
#define MB2_TAG_MODULE 3u
#define MB2_TAG_MEMINFO 4u
#define MB2_TAG_MMAP 6u
#define MB2_TAG_EFI32 11u
#define MB2_TAG_EFI64 12u
#define MB2_TAG_ACPI_OLD 14u
#define MB2_TAG_ACPI_NEW 15u
#define MB2_TAG_EFI_MMAP 17u
#define MB2_TAG_EFI_BS 18u
#define MB2_TAG_EFI32_IH 19u
#define MB2_TAG_EFI64_IH 20u
#define MB2_TAG_LOAD_BASE 21u
/* Tags that may appear once: 1, 2, 4, 6, 14, 15. */
#define MB2_ONCE 0xc056u

/* Multiboot2 2.0, 3.6: the smallest size of each tag type's fixed fields
 * that fwkit reads (strings may be empty but need their NUL, which
 * boot_cstr checks). */
static const uint8_t mb2_min_size[MB2_TAG_LOAD_BASE + 1] = {
	8, 8, 8, 16, 16, 8, 16, 8, 8, 8, 8, 12, 16, 8, 28, 28, 8, 8, 8, 12,
	16, 8
};

static int mb2_mmap(const uint8_t *t, uint32_t size, uint64_t at,
		    struct boot_info *bi, struct fwk_fault *f)
{
	uint32_t esize = boot_le32(t + 8);

	/* entry_version is not checked: the specification promises newer
	 * versions only append fields, which entry_size then steps over. */
	if (esize < 24 || esize % 8)
		return boot_fail(f, FWK_ERR_BADFIELD, at + 8, "entry_size",
				"not 24 or more and 8-aligned");
	if ((size - 16) % esize)
		return boot_fail(f, FWK_ERR_BADFIELD, at + 4, "tag size",
				"not whole entries");
	for (uint32_t o = 16; o < size; o += esize) {
		int rc = boot_mmap_add(bi, boot_le64(t + o), boot_le64(t + o + 8),
				       boot_le32(t + o + 16), at + o, "mmap", f);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The RSDP copies: tag 14 holds the 20 bytes of ACPI 1.0 (only those are
 * checked, whatever revision they name), tag 15 the whole RSDP. */
static int mb2_rsdp(const uint8_t *t, uint32_t size, uint32_t type,
		    uint64_t at, struct boot_info *bi, struct fwk_fault *f)
{
	const uint8_t *r = t + 8;
	struct acpi_rsdp rsdp;
	struct fwk_fault in;
	int rc;

	if (type == MB2_TAG_ACPI_OLD) {
		if (memcmp(r, "RSD PTR ", 8) != 0)
			return boot_fail(f, FWK_ERR_BADMAGIC, at + 8, "rsdp",
					"not \"RSD PTR \"");
		if (acpi_checksum(r, ACPI_RSDP_V1_SIZE) != 0)
			return boot_fail(f, FWK_ERR_CHECKSUM, at + 16, "rsdp",
					"checksum not 0");
		rsdp.length = ACPI_RSDP_V1_SIZE;
		if (bi->rsdp_tag == MB2_TAG_ACPI_NEW)
			return 0;
	} else {
		rc = acpi_rsdp_parse(r, size - 8u, &rsdp, &in);
		if (rc < 0)
			return boot_fail(f, rc, at + 8 + in.offset, "rsdp",
					in.detail);
	}
	bi->rsdp = r;
	bi->rsdp_len = rsdp.length;
	bi->rsdp_tag = (uint8_t)type;
	return 0;
}

/* One tag other than the end tag; t[0 .. size) lies inside the block. */
static int mb2_tag(const struct boot_window *win, const uint8_t *t,
		   uint32_t type, uint32_t size, uint64_t at,
		   struct boot_info *bi, struct fwk_fault *f)
{
	struct boot_module *m;
	const char *s = NULL;
	uint32_t len = 0;
	uint64_t v;
	int rc;

	if (type > MB2_TAG_LOAD_BASE) {
		bi->unknown_tags++;
		return 0;
	}
	if (size < mb2_min_size[type])
		return boot_fail(f, FWK_ERR_TRUNCATED, at + 4, "tag size",
				"too small for its fields");
	switch (type) {
	case MB2_TAG_CMDLINE:
	case MB2_TAG_LOADER:
		if (type == MB2_TAG_CMDLINE)
			return boot_cstr(t + 8, size - 8u, at + 8, "cmdline",
					 &bi->cmdline, &bi->cmdline_len, f);
		return boot_cstr(t + 8, size - 8u, at + 8, "boot_loader_name",
				 &bi->loader_name, &bi->loader_name_len, f);
	case MB2_TAG_MODULE:
		m = module_span(bi, win, boot_le32(t + 8), boot_le32(t + 12), at + 8,
				"module tag", f);
		if (!m)
			return FWK_ERR_LIMIT;
		rc = boot_cstr(t + 16, size - 16u, at + 16, "string", &s, &len,
			       NULL);
		boot_module_cmdline(m, rc, s, len, at + 16);
		return 0;
	case MB2_TAG_MEMINFO:
		bi->have_meminfo = true;
		bi->mem_lower_kib = boot_le32(t + 8);
		bi->mem_upper_kib = boot_le32(t + 12);
		return 0;
	case MB2_TAG_MMAP:
		return mb2_mmap(t, size, at, bi, f);
	case MB2_TAG_EFI32:
	case MB2_TAG_EFI64:
	case MB2_TAG_EFI32_IH:
	case MB2_TAG_EFI64_IH:
		/* 11 and 19 carry a u32, 12 and 20 a u64 */
		v = type & 1u ? boot_le32(t + 8) : boot_le64(t + 8);
		if (type >= MB2_TAG_EFI32_IH) {
			bi->efi_image_handle = v;
			return 0;
		}
		bi->efi32 |= type == MB2_TAG_EFI32;
		bi->efi64 |= type == MB2_TAG_EFI64;
		bi->efi_system_table = v;
		return 0;
	case MB2_TAG_ACPI_OLD:
	case MB2_TAG_ACPI_NEW:
		return mb2_rsdp(t, size, type, at, bi, f);
	case MB2_TAG_EFI_MMAP:
		bi->efi_mmap = true;
		return 0;
	case MB2_TAG_EFI_BS:
		bi->efi_boot_services = true;
		return 0;
	default:
		return 0; /* known, nothing fwkit needs from it */
	}
}

int boot_parse_multiboot2(const struct boot_window *win, uint64_t info_phys,
			  struct boot_info *bi, struct fwk_fault *f)
{
	const uint8_t *b;
	uint32_t seen = 0;
	int rc;

	rc = boot_begin(win, bi, BOOT_PROTO_MULTIBOOT2, f);
	if (rc < 0)
		return rc;
	if (info_phys % 8)
		return boot_fail(f, FWK_ERR_BADFIELD, info_phys, "total_size",
				"not 8-aligned");
	rc = boot_win_need(win, info_phys, 8, "total_size", "total_size", &b, f);
	if (rc < 0)
		return rc;
	uint32_t total = boot_le32(b);
	if (total < 16)
		return boot_fail(f, FWK_ERR_TRUNCATED, info_phys, "total_size",
				"below 16");
	if (total % 8)
		return boot_fail(f, FWK_ERR_BADFIELD, info_phys, "total_size",
				"not a multiple of 8");
	rc = boot_win_need(win, info_phys, total, "total_size", "total_size",
			   &b, f);
	/* Tags start 8-aligned: the next one after the padding of this one. */
	for (uint64_t off = 8, size; rc == 0; off = (off + size + 7) & ~7ull) {
		uint64_t at = info_phys + off;

		if (total - off < 8)
			return boot_fail(f, FWK_ERR_TRUNCATED, at, "end tag",
					"missing");
		uint32_t type = boot_le32(b + off);
		size = boot_le32(b + off + 4);
		if (size < 8)
			return boot_fail(f, FWK_ERR_BADFIELD, at + 4, "tag size",
					"below 8");
		if (size > total - off)
			return boot_fail(f, FWK_ERR_RANGE, at + 4, "tag size",
					"runs past total_size");
		if (type == MB2_TAG_END) {
			if (size != 8 || off + 8 != total)
				return boot_fail(f, FWK_ERR_BADFIELD, at, "end tag",
						"not 8 bytes ending at total_size");
			break;
		}
		if (type < 16 && (MB2_ONCE >> type & 1u)) {
			if (seen >> type & 1u)
				return boot_fail(f, FWK_ERR_BADFIELD, at, "tag type",
						"repeated");
			seen |= 1u << type;
		}
		rc = mb2_tag(win, b + off, type, (uint32_t)size, at, bi, f);
	}
	if (rc < 0)
		return rc;
	boot_modules_check(bi, bi->nmmap > 0, info_phys, total);
	return (int)bi->nmodules;
}

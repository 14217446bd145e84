/* SPDX-License-Identifier: MIT */
/* pvh.c - Xen's PVH hvm_start_info (versions 0 and 1), its module list and
 * memory map, read from a memory window into struct boot_info. */
#include "bootinfo_int.h"

/* public/arch-x86/hvm/start_info.h: the structure's size per version and
 * the sizes of hvm_modlist_entry and hvm_memmap_table_entry. */
#define PVH_V0_SIZE 40u
#define PVH_V1_SIZE 56u
#define PVH_MOD_SIZE 32u
#define PVH_MEMMAP_SIZE 24u

/* An array the start info points to: Xen loads nothing at address 0 and
 * writes 0 for "not present", so entries at 0 are refused even when the
 * window starts at 0. */
static int pvh_array(const struct boot_window *win, const uint8_t *p,
		     uint64_t at, unsigned addr_off, unsigned count_off,
		     uint32_t esize, uint32_t max, const char *addr_field,
		     const char *count_field, const uint8_t **e,
		     struct fwk_fault *f)
{
	uint64_t paddr = boot_le64(p + addr_off);
	uint32_t count = boot_le32(p + count_off);

	if (count && count <= max && !paddr)
		return boot_fail(f, FWK_ERR_BADFIELD, at + addr_off, addr_field,
				 "0 (not present) with a non-zero count");
	return boot_win_array(win, paddr, count, esize, max, at + count_off,
			      addr_field, count_field, e, f);
}

int boot_parse_pvh(const struct boot_window *win, uint64_t start_info_phys,
		   struct boot_info *bi, struct fwk_fault *f)
{
	const uint64_t at = start_info_phys;
	const uint8_t *p, *e = NULL;
	int rc = boot_begin(win, bi, BOOT_PROTO_PVH, f);

	if (rc == 0)
		rc = boot_win_need(win, at, 8, "magic", "magic", &p, f);
	if (rc < 0)
		return rc;
	if (boot_le32(p) != PVH_START_MAGIC)
		return boot_fail(f, FWK_ERR_BADMAGIC, at, "magic", "not 0x336ec578");
	bi->pvh_version = boot_le32(p + 4);
	if (bi->pvh_version > 1)
		return boot_fail(f, FWK_ERR_UNSUPPORTED, at + 4, "version",
				 "above 1");
	uint32_t len = bi->pvh_version ? PVH_V1_SIZE : PVH_V0_SIZE;
	rc = boot_win_need(win, at, len, "magic", "version", &p, f);
	if (rc < 0)
		return rc;

	uint64_t cmdline = boot_le64(p + 24);
	bi->rsdp_phys = boot_le64(p + 32);
	if (cmdline)
		rc = boot_win_cstr(win, cmdline, "cmdline_paddr", &bi->cmdline,
				   &bi->cmdline_len, f);
	if (rc == 0 && bi->pvh_version)
		rc = pvh_array(win, p, at, 40, 48, PVH_MEMMAP_SIZE, BOOT_MMAP_MAX,
			       "memmap_paddr", "memmap_entries", &e, f);
	for (uint32_t i = 0; rc == 0 && e && i < boot_le32(p + 48); i++)
		rc = boot_mmap_add(bi, boot_le64(e + 24 * i),
				   boot_le64(e + 24 * i + 8),
				   boot_le32(e + 24 * i + 16), at + 48,
				   "memmap_entries", f);
	if (rc == 0)
		rc = pvh_array(win, p, at, 16, 12, PVH_MOD_SIZE, BOOT_MODULES_MAX,
			       "modlist_paddr", "nr_modules", &e, f);
	for (uint32_t i = 0; rc == 0 && e && i < boot_le32(p + 12); i++, e += 32) {
		struct boot_module *m = boot_module_add(bi, win, boot_le64(e),
							boot_le64(e + 8), at + 12,
							"nr_modules", f);
		if (!m)
			return FWK_ERR_LIMIT;
		boot_module_win_cmdline(win, m, boot_le64(e + 16));
	}
	if (rc < 0)
		return rc;
	boot_modules_check(bi, bi->nmmap > 0, at, len);
	return (int)bi->nmodules;
}

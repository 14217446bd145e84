/* SPDX-License-Identifier: MIT */
/*
 * fwkit/bootinfo.h - what a boot loader or hypervisor tells the next stage:
 * boot modules, command lines, the memory map and the ACPI RSDP, read from
 * multiboot (v1) information, multiboot2 tags, a PVH hvm_start_info or a
 * device tree's /chosen module nodes, into one form.
 *
 * The formats:
 *   multiboot v1   the Multiboot Specification 0.6.96, section 3.3: the
 *                  info structure (flags, mem_lower/upper, cmdline,
 *                  mods_count/addr, mmap_length/addr, boot_loader_name)
 *                  with 16-byte module entries and size-prefixed mmap
 *                  entries, all found through 32-bit physical addresses.
 *   multiboot2     the Multiboot2 Specification 2.0, section 3.6: an
 *                  8-aligned block (total_size, reserved) of 8-aligned tags
 *                  (type, size) ending with type 0 size 8; tags 1 command
 *                  line, 2 loader name, 3 module, 4 basic meminfo, 6 memory
 *                  map, 14/15 ACPI old/new RSDP copy, 11/12 EFI 32/64-bit
 *                  system table, 17 EFI memory map, 18/19/20 EFI boot
 *                  services / image handles; other types are skipped by
 *                  their size.
 *   PVH            Xen's public/arch-x86/hvm/start_info.h: struct
 *                  hvm_start_info (magic 0x336ec578, version 0 or 1; the
 *                  memory map fields only in version 1) with 32-byte
 *                  hvm_modlist_entry and 24-byte hvm_memmap_table_entry.
 *   /chosen        Xen's docs/misc/arm/device-tree/booting.txt: subnodes of
 *                  /chosen compatible with "multiboot,module" (also
 *                  "xen,multiboot-module") plus one of "multiboot,kernel",
 *                  "multiboot,ramdisk", "multiboot,device-tree",
 *                  "multiboot,microcode" (or the "xen,linux-zimage",
 *                  "xen,linux-initrd", "xen,xsm-policy" aliases); `reg` in
 *                  /chosen's #address-cells / #size-cells, the
 *                  module's own `bootargs` as its command line; /chosen's
 *                  `bootargs` (or `xen,xen-bootargs`) as the boot command
 *                  line.
 *
 * Physical memory is seen through a struct boot_window: the bytes of one
 * contiguous physical range the caller can read.  Every address a protocol
 * gives (info structure, module array, command line, memory map, module
 * contents) must lie inside it; the parsers never read outside it.  A test
 * kernel with memory identity-mapped passes a window over its RAM; a host
 * test passes a buffer standing for a range of physical memory.
 *
 * Core module: no allocation, no I/O; results go into caller arrays.
 * Every parser reads its input as untrusted.  Faults: the fault offset is a
 * physical address (window-relative addresses are never reported), except
 * for boot_parse_chosen, whose offsets are into the DTB.
 */
#ifndef FWKIT_BOOTINFO_H
#define FWKIT_BOOTINFO_H

#include <fwkit/error.h>

#define MULTIBOOT1_BOOTLOADER_MAGIC 0x2badb002u /* in EAX at entry */
#define MULTIBOOT2_BOOTLOADER_MAGIC 0x36d76289u /* in EAX at entry */
#define PVH_START_MAGIC 0x336ec578u             /* hvm_start_info.magic */

#define BOOT_MODULES_MAX 256u   /* more modules than this is an absurd count */
#define BOOT_MMAP_MAX 512u      /* more memory ranges than this, likewise */
#define BOOT_CMDLINE_MAX 4096u  /* a command line longer than this is refused */

/* Bytes of physical memory [phys, phys + len) at bytes[0 .. len). */
struct boot_window {
	const uint8_t *bytes;
	uint64_t phys;
	uint64_t len;
};

enum boot_protocol {
	BOOT_PROTO_NONE = 0,    /* files on a host (fwkit boot scan) */
	BOOT_PROTO_MULTIBOOT1,
	BOOT_PROTO_MULTIBOOT2,
	BOOT_PROTO_PVH,
	BOOT_PROTO_DT_CHOSEN
};
/* "files", "multiboot", "multiboot2", "pvh", "dt-chosen". */
const char *boot_protocol_name(enum boot_protocol p);

/* What the boot protocol itself says a module is (DT compatible only). */
enum boot_module_role {
	BOOT_ROLE_NONE = 0,     /* the protocol does not say */
	BOOT_ROLE_KERNEL,       /* multiboot,kernel / xen,linux-zimage */
	BOOT_ROLE_RAMDISK,      /* multiboot,ramdisk / xen,linux-initrd */
	BOOT_ROLE_DEVICE_TREE,  /* multiboot,device-tree */
	BOOT_ROLE_MICROCODE,    /* multiboot,microcode */
	BOOT_ROLE_XSM           /* xen,xsm-policy */
};
/* "", "kernel", "ramdisk", "device-tree", "microcode", "xsm-policy". */
const char *boot_role_name(enum boot_module_role r);

/* One module.  data and cmdline point into the window (or, for /chosen
 * bootargs, into the DTB) and are valid as long as it is. */
struct boot_module {
	uint64_t start;            /* physical address of the first byte */
	uint64_t size;             /* bytes; 0 is allowed (an empty module) */
	const uint8_t *data;       /* the bytes, NULL when problem is set */
	const char *cmdline;       /* "" when the protocol gives none */
	uint32_t cmdline_len;      /* without the NUL */
	enum boot_module_role role;
	/* Set (static English) when the module is described but unusable:
	 * "range outside the memory window", "range wraps", "range overlaps
	 * another module" (both are marked), "range not in available RAM",
	 * "cmdline not NUL-terminated", "reg is not one (address, size)
	 * entry" ...  The pipeline reports such a module as rejected and
	 * never reads it. */
	const char *problem;
	uint64_t problem_offset;   /* where (physical address, DTB offset) */
};

/* Memory-map range types, as e820 / multiboot / PVH number them. */
#define BOOT_MEM_AVAILABLE 1u
#define BOOT_MEM_RESERVED 2u
#define BOOT_MEM_ACPI_RECLAIMABLE 3u
#define BOOT_MEM_NVS 4u
#define BOOT_MEM_BADRAM 5u

struct boot_mem_range {
	uint64_t base, length;
	uint32_t type;
};

struct boot_info {
	enum boot_protocol protocol;
	const char *cmdline;       /* "" when none */
	uint32_t cmdline_len;
	const char *loader_name;   /* "" when none */
	uint32_t loader_name_len;

	/* Arrays the caller provides (cap entries); n is what was found.  A
	 * protocol describing more than cap is FWK_ERR_LIMIT. */
	struct boot_module *modules;
	uint32_t modules_cap, nmodules;
	struct boot_mem_range *mmap;
	uint32_t mmap_cap, nmmap;

	bool have_meminfo;         /* mem_lower / mem_upper given (KiB) */
	uint32_t mem_lower_kib, mem_upper_kib;

	/* ACPI: multiboot2 carries a copy of the RSDP (tag 14: ACPI 1.0, 20
	 * bytes; tag 15: 2.0+, its length field); PVH gives its address. */
	const uint8_t *rsdp;       /* the copy, or NULL */
	uint32_t rsdp_len;
	uint8_t rsdp_tag;          /* 14 or 15, 0 when none */
	uint64_t rsdp_phys;        /* PVH rsdp_paddr, 0 when none */

	/* EFI (multiboot2 tags 11/12/17/18/19/20). */
	bool efi32, efi64, efi_mmap, efi_boot_services;
	uint64_t efi_system_table;
	uint64_t efi_image_handle;

	uint32_t unknown_tags;     /* multiboot2 tags skipped by size */
	uint32_t pvh_version;      /* hvm_start_info.version */
	uint32_t mb1_flags;        /* multiboot v1 info flags */
};

/*
 * The checks every parser makes on the modules it found (problem set, the
 * module kept, the parse goes on): the range inside the window, not
 * wrapping, inside one BOOT_MEM_AVAILABLE range when the protocol gives a
 * memory map (multiboot mmap, PVH v1 memmap; not for /chosen), not
 * overlapping another module or the info structure itself.  Everything
 * structural (the info, a tag, an array running past the window, a count
 * above the caps, misaligned or overlapping tags, a bad magic or version)
 * fails the whole parse with the fault naming the field: "flags",
 * "mods_count", "mods_addr", "mmap_length", "mmap entry size", "cmdline",
 * "total_size", "tag size", "tag type", "end tag", "magic", "version",
 * "nr_modules", "modlist_paddr", "memmap_entries" ...
 *
 * All parsers zero bi's scalar fields first and keep its array pointers and
 * caps.  They return the number of modules (>= 0), or FWK_ERR_TRUNCATED,
 * FWK_ERR_RANGE (an address outside the window), FWK_ERR_BADMAGIC,
 * FWK_ERR_UNSUPPORTED (PVH version > 1), FWK_ERR_BADFIELD, FWK_ERR_LIMIT,
 * FWK_ERR_INVAL (bi or win NULL) with f filled.
 */

/* Multiboot v1: info_phys is what EBX held (EAX was
 * MULTIBOOT1_BOOTLOADER_MAGIC).  Reads cmdline (flag 2), mods (flag 3),
 * mmap (flag 6), loader name (flag 9), mem_lower/upper (flag 0); other
 * flags' fields are not read. */
int boot_parse_multiboot1(const struct boot_window *win, uint64_t info_phys,
			  struct boot_info *bi, struct fwk_fault *f);

/* Multiboot2: info_phys is what EBX held (8-aligned); the whole block must
 * lie inside win.  Each tag 8-aligned, size >= 8 and inside total_size, the
 * last the end tag (type 0, size 8) ending exactly at total_size; at most
 * one tag each of 1, 2, 4, 6, 14, 15. */
int boot_parse_multiboot2(const struct boot_window *win, uint64_t info_phys,
			  struct boot_info *bi, struct fwk_fault *f);

/* PVH: start_info_phys is what EBX held at the PVH entry point. */
int boot_parse_pvh(const struct boot_window *win, uint64_t start_info_phys,
		   struct boot_info *bi, struct fwk_fault *f);

/*
 * A device tree's /chosen: dtb[0..len) is checked with dt_check first
 * (scratch: DT_SCRATCH_WORDS(len) words, as fwkit/dt.h).  Module nodes are
 * the subnodes of /chosen whose compatible list holds "multiboot,module" or
 * "xen,multiboot-module", or one of the role strings; other subnodes are
 * ignored.  reg is read with /chosen's #address-cells and #size-cells
 * (1..2 each; absent: 2 and 1, the Devicetree Specification's defaults) and
 * must be exactly one (address, size) entry.  Modules appear in node order.
 * Dom0less domains (children of /chosen compatible "xen,domain") have
 * their module children read too, one level deep, in the domain's own
 * cell sizes, in node order where the domain stands.
 * win may be NULL (a host reading a DTB alone): then no module has data,
 * and none gets "range outside the memory window".  No module is checked
 * against the DTB's own placement (the parser does not know it).  The boot
 * command line is /chosen's "xen,xen-bootargs", else "bootargs".  A tree
 * without /chosen gives 0 modules.  Faults and problem offsets are DTB
 * offsets.  Besides the errors above: FWK_ERR_NOSPACE when scratch has
 * fewer than DT_SCRATCH_WORDS(len) words.
 */
int boot_parse_chosen(const void *dtb, size_t len, const struct boot_window *win,
		      uint32_t *scratch, size_t scratch_words,
		      struct boot_info *bi, struct fwk_fault *f);

#endif /* FWKIT_BOOTINFO_H */

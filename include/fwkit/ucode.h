/* SPDX-License-Identifier: MIT */
/*
 * fwkit/ucode.h - x86 CPU microcode: Intel update files and AMD containers,
 * checked byte for byte, and the selection of what a CPU (or any CPU) needs.
 *
 * Intel (SDM vol. 3, "Microcode update facilities"; Linux's
 * arch/x86/kernel/cpu/microcode/intel.c): a file is updates back to back.
 * An update is a 48-byte header of twelve little-endian dwords
 *    0 header_version (1)    4 update revision     8 date, BCD 0xMMDDYYYY
 *   12 processor signature  16 checksum           20 loader_revision (1)
 *   24 processor flags      28 data_size (0: 2000) 32 total_size (0: 2048)
 *   36 reserved (3 dwords; newer updates keep metadata here, not checked)
 * then data_size bytes of data and, when total_size is larger than
 * data_size + 48, an extended signature table: count, checksum, 12 reserved
 * bytes, then count 12-byte entries (signature, processor flags, checksum).
 * The dwords of header and data sum to 0; so do the table's dwords; and each
 * entry's signature + flags + checksum equals the header's (so the main sum
 * with the entry's three values in place of the header's is also 0).
 *
 * AMD (Linux's arch/x86/kernel/cpu/microcode/amd.c and asm/microcode_amd.h,
 * 6.1): a container is the magic 0x00414d44, an equivalence table section
 * (type 0, byte size, 16-byte entries installed_cpu / fixed_errata_mask /
 * fixed_errata_compare / equiv_cpu:16 / reserved:16, the last one all zero),
 * then patch sections (type 1, byte size, the patch: a 64-byte header, then
 * the body).  Containers may follow each other: a section whose type would
 * be the magic starts the next one.
 *
 * Core module: no allocation, no I/O, no global state.
 */
#ifndef FWKIT_UCODE_H
#define FWKIT_UCODE_H

#include <fwkit/error.h>

enum ucode_vendor {
	UCODE_UNKNOWN = 0,
	UCODE_INTEL = 1,
	UCODE_AMD = 2
};

/* Where the kernel's early loader looks, in the first uncompressed cpio of
 * the initrd (Documentation/x86/microcode.rst). */
#define UCODE_EARLY_DIR "kernel/x86/microcode"
#define UCODE_EARLY_INTEL UCODE_EARLY_DIR "/GenuineIntel.bin"
#define UCODE_EARLY_AMD UCODE_EARLY_DIR "/AuthenticAMD.bin"
/* iucode_tool aligns the early file's data to 16 bytes: several kernels'
 * early Intel loaders needed it; fwkit does the same for both vendors. */
#define UCODE_EARLY_ALIGN 16u

/*
 * What buf[0..len) holds, by content: UCODE_AMD when it begins with the
 * container magic; UCODE_INTEL when its first dword (header_version) or its
 * sixth (loader_revision) is 1, so a file whose header has one damaged field
 * still reads as Intel and gets its error; else UCODE_UNKNOWN.
 */
enum ucode_vendor ucode_detect(const void *buf, uint64_t len);

/* "intel", "amd" or "unknown". */
const char *ucode_vendor_name(enum ucode_vendor v);

/* The early-cpio path for a vendor (UCODE_EARLY_INTEL/AMD), NULL if unknown. */
const char *ucode_early_path(enum ucode_vendor v);

/* A BCD date 0xMMDDYYYY as "YYYY-MM-DD" (hex digits as they are, as
 * iucode_tool shows them, so a damaged date still reads); out[11]. */
void ucode_date_text(uint32_t date, char out[11]);

/* The 32-bit sum of the little-endian dwords of p[0..len); len a multiple
 * of 4 (a shorter tail is ignored). */
uint32_t ucode_dword_sum(const void *p, uint64_t len);

/* ---- Intel ---------------------------------------------------------------- */

#define UCODE_INTEL_HEADER_SIZE 48u
#define UCODE_INTEL_DEFAULT_DATA 2000u
#define UCODE_INTEL_DEFAULT_TOTAL 2048u
#define UCODE_INTEL_SIZE_UNIT 1024u     /* total_size is a multiple of it */
#define UCODE_INTEL_EXT_HEADER_SIZE 20u
#define UCODE_INTEL_EXT_SIG_SIZE 12u

struct ucode_intel_sig {
	uint32_t signature;
	uint32_t pf_mask;
	uint32_t checksum;
};

/* One update as ucode_intel_next() found it; data points into the buffer. */
struct ucode_intel {
	uint64_t offset;          /* of the header in the buffer */
	const uint8_t *data;      /* the whole update: total_size bytes */
	uint32_t header_version;
	uint32_t revision;        /* compared as a signed number, as Linux does */
	uint32_t date;            /* BCD 0xMMDDYYYY */
	uint32_t signature;       /* CPUID leaf 1 EAX of the CPUs it is for */
	uint32_t checksum;
	uint32_t loader_revision;
	uint32_t pf_mask;         /* platform ID bits (MSR 0x17 bits 52:50) */
	uint32_t data_size;       /* effective: 2000 when the field is 0 */
	uint32_t total_size;      /* effective: 2048 when the field is 0 */
	uint32_t ext_count;       /* extended signatures; 0 without a table */
	uint64_t ext_offset;      /* of the extended table; 0 without one */
};

/*
 * Check the update at *offset in buf[0..len) and advance *offset past it.
 * Returns 1 and fills *u for an update, 0 when *offset == len (the end), or
 * a negative code with *f naming the field and its byte offset in buf:
 *   FWK_ERR_TRUNCATED  fewer than 48 bytes left ("header"); total_size runs
 *                      past the end of buf ("total_size")
 *   FWK_ERR_BADFIELD   header_version or loader_revision is not 1;
 *                      data_size is not a multiple of 4; total_size is not
 *                      a multiple of 1024 or is smaller than data_size + 48;
 *                      the extended table is shorter than its 20-byte
 *                      header ("ext_table") or its count does not fill it
 *                      exactly ("ext_count")
 *   FWK_ERR_CHECKSUM   the dwords of header and data do not sum to 0
 *                      ("checksum"), those of the extended table do not
 *                      ("ext_checksum"), or an entry breaks the per-entry
 *                      rule ("ext_signature")
 *   FWK_ERR_RANGE      *offset > len
 * The checks run in that order, so a damaged size or version field is named
 * as such and any other damaged byte of the header or data is a checksum
 * error.  After an error *offset does not move.
 */
int ucode_intel_next(const void *buf, uint64_t len, uint64_t *offset,
		     struct ucode_intel *u, struct fwk_fault *f);

/* Extended signature i of u (i < u->ext_count): 0, or FWK_ERR_INVAL. */
int ucode_intel_ext_sig(const struct ucode_intel *u, uint32_t i,
			struct ucode_intel_sig *s);

/*
 * Does u apply to a CPU with this signature and platform bit mask?  As
 * Linux: the main or an extended signature equals `signature` and its
 * flags share a bit with `pf_mask` (both 0 matches too, for CPUs without a
 * platform ID).
 */
bool ucode_intel_matches(const struct ucode_intel *u, uint32_t signature,
			 uint32_t pf_mask);

/* ---- AMD ------------------------------------------------------------------ */

#define UCODE_AMD_MAGIC 0x00414d44u
#define UCODE_AMD_TYPE_EQUIV 0u
#define UCODE_AMD_TYPE_PATCH 1u
#define UCODE_AMD_CONTAINER_HEADER_SIZE 12u /* magic, type 0, table size */
#define UCODE_AMD_SECTION_HEADER_SIZE 8u
#define UCODE_AMD_EQUIV_SIZE 16u
#define UCODE_AMD_PATCH_HEADER_SIZE 64u
/* Linux 6.1's per-family patch size limits (__verify_patch_size): families
 * 10h-12h 2048 bytes, 14h 1824; from 15h on only the container bounds it;
 * it refuses patches of any other family. */
#define UCODE_AMD_F1XH_MAX 2048u
#define UCODE_AMD_F14H_MAX 1824u

struct ucode_amd_equiv {
	uint32_t installed_cpu;   /* CPUID leaf 1 EAX */
	uint32_t fixed_errata_mask;
	uint32_t fixed_errata_compare;
	uint16_t equiv_cpu;       /* what patches name in processor_rev_id */
	uint16_t reserved;
};

enum ucode_amd_kind {
	UCODE_AMD_NONE = 0,       /* a zeroed item: expect a container */
	UCODE_AMD_CONTAINER = 1,  /* a container header and its table */
	UCODE_AMD_PATCH = 2       /* one patch section */
};

/* One item as ucode_amd_next() found it; pointers go into the buffer.  The
 * container fields are set for both kinds (the container it is in). */
struct ucode_amd {
	enum ucode_amd_kind kind;
	uint32_t container;        /* index among the containers read, from 0 */
	uint64_t container_offset; /* of its magic */
	const uint8_t *table;      /* its first equivalence entry */
	uint64_t table_offset;
	uint32_t table_entries;    /* entries before the zero terminator */
	uint32_t patches;          /* patches of the container so far */
	/* UCODE_AMD_PATCH only: */
	uint64_t offset;           /* of the section header */
	const uint8_t *data;       /* the patch, size bytes, header first */
	uint32_t size;             /* the section's size field */
	uint32_t date;             /* data_code, BCD 0xMMDDYYYY */
	uint32_t patch_id;         /* the revision, compared unsigned */
	uint16_t patch_data_id;
	uint8_t patch_data_len;
	uint8_t init_flag;
	uint32_t patch_data_checksum;
	uint32_t nb_dev_id, sb_dev_id;
	uint16_t equiv_id;         /* processor_rev_id */
	uint8_t nb_rev_id, sb_rev_id, bios_api_rev;
	uint8_t family;            /* 0xf + (equiv_id >> 12) */
};

/*
 * Read the next item at *offset in buf[0..len) and advance *offset past it.
 * *it carries the container the cursor is in: zero it before the first call
 * (then *offset must be at a container's magic), and pass the previous
 * result back unchanged after that.
 * Returns 1 (an item: a container with its validated table, or a patch), 0
 * at the end of buf after a container's last patch, or:
 *   FWK_ERR_TRUNCATED  a container header, section header or section runs
 *                      past the end ("container", "section", "equiv_size",
 *                      "section_size")
 *   FWK_ERR_BADMAGIC   no container magic where a container must start
 *   FWK_ERR_BADFIELD   the first section is not type 0 ("equiv_type"); the
 *                      table size is not a non-zero multiple of 16
 *                      ("equiv_size"); the last entry is not all zero, an
 *                      earlier one has installed_cpu 0 or one listed
 *                      before ("installed_cpu"), equiv_cpu 0 or an
 *                      equiv_cpu whose family (0xf + id >> 12) is not
 *                      installed_cpu's ("equiv_cpu"); a section type is
 *                      neither 1 nor the magic, or a container ends without
 *                      a patch ("section_type"); a patch is smaller than its
 *                      header or larger than its family's limit
 *                      ("section_size"); processor_rev_id names a family
 *                      the kernel refuses or an equivalence id not in the
 *                      container's table ("processor_rev_id")
 *   FWK_ERR_UNSUPPORTED a chipset-specific patch (nb_dev_id or sb_dev_id
 *                      set), which Linux refuses
 *   FWK_ERR_RANGE      *offset > len
 * After an error neither *offset nor *it moves.
 */
int ucode_amd_next(const void *buf, uint64_t len, uint64_t *offset,
		   struct ucode_amd *it, struct fwk_fault *f);

/* Equivalence entry i (i < it->table_entries) of its container: 0, or
 * FWK_ERR_INVAL. */
int ucode_amd_equiv(const struct ucode_amd *it, uint32_t i, struct ucode_amd_equiv *e);

/* The CPUs (installed_cpu) patch p serves: the entries of its container's
 * table with its equivalence id, up to cap of them into out.  Returns how
 * many there are (possibly more than cap). */
uint32_t ucode_amd_cpus(const struct ucode_amd *p, uint32_t *out, uint32_t cap);

/* Linux 6.1's largest patch for a family: the limit in bytes, 0 when only
 * the container bounds it (15h and later), or FWK_ERR_UNSUPPORTED for a
 * family the kernel refuses (below 10h, and 13h). */
int64_t ucode_amd_patch_limit(uint8_t family);

/* ---- Selection and output (ucode_select.c) -------------------------------- */

/* The CPU to select for.  pf_mask is Intel's platform bit mask (as
 * iucode_tool -s SIG,PF): the CPU has one of these bits; 0 means all eight. */
struct ucode_cpu {
	uint32_t signature;
	uint32_t pf_mask;
};
#define UCODE_PF_ALL 0xffu

/*
 * Mark in keep[0..n) the Intel updates to ship.  With cpu: the newest
 * revision (signed, first in u[] on a tie) among the updates matching the
 * signature, per platform bit of cpu->pf_mask.  Without (NULL): every update
 * that is the newest for at least one (signature, platform bit) it covers,
 * extended signatures included; updates with pf_mask 0 count as one more
 * "bit" of their own.  Returns how many were kept, or FWK_ERR_INVAL
 * (n > 0 and u or keep NULL).
 */
int ucode_intel_select(const struct ucode_intel *u, uint32_t n,
		       const struct ucode_cpu *cpu, bool *keep);

/*
 * The same for AMD patch items (other kinds in p[] are never kept).  A patch
 * covers the CPUs whose installed_cpu maps to its equivalence id in its own
 * container's table.  With cpu: the newest patch_id (unsigned) covering
 * cpu->signature.  Without: every patch that is the newest for at least one
 * CPU it covers.  Returns how many were kept, or FWK_ERR_INVAL.
 */
int ucode_amd_select(const struct ucode_amd *p, uint32_t n,
		     const struct ucode_cpu *cpu, bool *keep);

/*
 * GenuineIntel.bin: the kept updates back to back, ordered as iucode_tool
 * writes them (signature ascending, then pf_mask descending, then input
 * order), into out[0..cap).  out NULL: only the size.  Returns the size or
 * FWK_ERR_NOSPACE, FWK_ERR_INVAL.
 */
int64_t ucode_intel_bundle(const struct ucode_intel *u, uint32_t n, const bool *keep,
			   void *out, uint64_t cap);

/*
 * AuthenticAMD.bin: one rebuilt container per source container holding a
 * kept patch, in input order: magic, an equivalence table carrying only the
 * entries whose CPU is served by a kept patch of this container (for each
 * CPU, the newest kept patch covering it; so every CPU is named in exactly
 * one output container and the kernel's early loader, which takes the first
 * container naming the CPU, finds that patch), the zero terminator, then the
 * kept patches of the container in input order.  out NULL: only the size.
 * Returns the size or FWK_ERR_NOSPACE, FWK_ERR_INVAL.
 */
int64_t ucode_amd_bundle(const struct ucode_amd *p, uint32_t n, const bool *keep,
			 void *out, uint64_t cap);

/* ---- Hosted helpers (blobs/hosted/ucode_host.c) --------------------------- */

/* This machine's boot CPU, from CPUID and (Intel) MSR 0x17. */
struct ucode_host_cpu {
	enum ucode_vendor vendor;  /* UCODE_UNKNOWN for other x86 vendors */
	char vendor_id[13];        /* CPUID leaf 0, "GenuineIntel" */
	uint32_t signature;        /* CPUID leaf 1 EAX */
	uint32_t pf_mask;          /* 1 << platform ID, or UCODE_PF_ALL */
	bool pf_known;             /* MSR 0x17 was readable */
};

/* Fill *h.  The platform ID is read from /dev/cpu/0/msr (the msr module,
 * root); when that fails, pf_mask is UCODE_PF_ALL.  Returns 0, or -1 with a
 * one-line reason in err (not an x86 CPU, no CPUID leaf 1). */
int ucode_host_cpu(struct ucode_host_cpu *h, char *err, size_t errlen);

/* One file for the early cpio. */
struct ucode_early_file {
	const char *name;          /* UCODE_EARLY_INTEL or UCODE_EARLY_AMD */
	const void *data;
	uint64_t size;
};

/* What ucode_early_image() did with the image it was given. */
struct ucode_early_result {
	bool merged;          /* the image's first archive was carried into ours */
	uint32_t carried;     /* its entries carried over */
	uint32_t replaced;    /* of those, microcode files ours replaced */
	uint32_t shadowed;    /* microcode files in later early archives that
				 the kernel no longer reads (ours come first) */
};

/*
 * Build an initrd that starts with one uncompressed newc archive holding
 * the directories kernel, kernel/x86, kernel/x86/microcode and files[]
 * (data aligned to UCODE_EARLY_ALIGN from the start of the image), entries
 * sorted by name, uid/gid 0, the given mtime, padded to 512 bytes.  When
 * image is not NULL it is checked as a whole (initrd_image_open) and follows
 * our archive; if it begins with an uncompressed archive whose entries are
 * all directories and regular files under kernel/, those entries move into
 * ours (same names, modes and times; a file of the same name as one of
 * files[] is replaced) and the rest of the image follows byte for byte.
 * *out is malloc'ed (free it), *out_len its size.  Returns 0, or -1 with a
 * one-line reason in err.
 */
int ucode_early_image(const uint8_t *image, uint64_t image_len,
		      const struct ucode_early_file *files, unsigned nfiles,
		      uint32_t mtime, uint8_t **out, uint64_t *out_len,
		      struct ucode_early_result *res, char *err, size_t errlen);

#endif /* FWKIT_UCODE_H */

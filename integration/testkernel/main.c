/* SPDX-License-Identifier: MIT */
/*
 * main.c - the freestanding test kernel's C side: parse what a multiboot,
 * multiboot2 or PVH loader handed over, print it, run fwkit's boot pipeline
 * over the modules with callbacks that accept, print the report, exit QEMU.
 *
 * Serial output, in order (tests/qemu/boot-*.sh read it):
 *   --- multiboot2 information block at 0xADDR, N bytes ---   (multiboot2)
 *   the block in hex, 32 bytes a line (xxd -r -p restores it)
 *   --- end of multiboot2 information block ---
 *   --- PVH start info at 0xADDR, N bytes ---             (PVH)
 *   hvm_start_info (version 1's 56 bytes) in hex
 *   --- end of PVH start info ---
 *   --- PVH module list at 0xADDR, N bytes ---            (PVH, modules)
 *   --- end of PVH module list ---
 *   boot-info: KEY ...        one line each: protocol, info (with the
 *                             multiboot flags or the PVH version), loader,
 *                             cmdline, meminfo, modules, module I, mmap,
 *                             mmap I, rsdp (multiboot2's copy, or what lies
 *                             at PVH's rsdp_paddr), efi, unknown tags
 *   --- fwkit boot report ---
 *   the report, as the pipeline's log callback gets it, line by line
 *   --- end of report ---
 *   testkernel: ...           self-checks, callback counts, stack depth of
 *                             the parser's and the pipeline's calls
 *   testkernel: exit CODE     see tk.h for the codes
 * A boot information that does not parse gives one line
 * "boot-info: FIELD at 0xADDR: DETAIL (ERROR)" and exit code 2.
 *
 * Limits (static buffers in .bss; the kernel is the platform, so global
 * state is its to keep): BOOT_MODULES_MAX modules and BOOT_MMAP_MAX memory
 * ranges (the parsers' own caps), each module at most TK_MODULE_MAX bytes
 * (the pipeline's scratch is sized for it), a report of TK_TEXT_MAX bytes,
 * a multiboot2 block of TK_MBI_DUMP_MAX bytes shown in full.  Physical
 * memory is seen through the window [TK_WINDOW_START, TK_WINDOW_END),
 * identity-mapped by entry.S; the parsers check every address against it
 * and modules against the loader's memory map.
 */
#include <fwkit/acpi.h>
#include <fwkit/bootinfo.h>
#include <fwkit/bootpipe.h>
#include <fwkit/sha256.h>

#include "tk.h"

#ifdef TK_PVH
/* QEMU's PVH loader uses page 0 (entry.S maps it read-only); the window
 * starts after the real-mode IVT and BIOS data area. */
#define TK_WINDOW_START 0x500u
#else
#define TK_WINDOW_START 0x1000u        /* page 0 is left unmapped */
#endif
#define TK_WINDOW_END 0xc0000000u      /* below the PCI hole */
#define TK_MODULE_MAX (16u << 20)
#define TK_TEXT_MAX (128u << 10)
#define TK_MBI_DUMP_MAX (64u << 10)
#define TK_DUMP_LINE 32u
#define TK_TAIL_MAGIC 0x4c494154494b5746u   /* "FWKITAIL" in memory */

_Static_assert(TK_PVH_MARKER == PVH_START_MAGIC, "entry.S's PVH marker");

static struct boot_module tk_modules[BOOT_MODULES_MAX];
static struct boot_mem_range tk_mmap[BOOT_MMAP_MAX];
static struct boot_result tk_results[BOOT_MODULES_MAX];
static char tk_text[TK_TEXT_MAX];
static uint32_t tk_scratch[BOOT_SCRATCH_WORDS(TK_MODULE_MAX)];

/* The last bytes the loader must copy (kernel.ld puts .tk_tail at the end
 * of .data): a loader that got load_end_addr or the file offset wrong
 * leaves something else here. */
__attribute__((section(".tk_tail"), used))
static const volatile uint64_t tk_tail = TK_TAIL_MAGIC;

/* What the platform callbacks saw: they take every item and only count. */
struct tk_platform {
	struct sha256_ctx log_sha;     /* of every logged line and its "\n" */
	uint64_t log_bytes;
	uint64_t taint_mask;
	uint32_t acpi, overlays, microcode, blobs, taints;
};

static size_t tk_strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static void tk_line(const char *key)
{
	tk_puts("boot-info: ");
	tk_puts(key);
}

/* ---- the loader's structure, for the host to restore byte for byte ---- */

/* size bytes at phys (clipped to the window and TK_MBI_DUMP_MAX) in hex
 * between "--- NAME at 0xADDR, N bytes ---" and "--- end of NAME ---". */
static void tk_dump(const struct boot_window *win, uint64_t phys,
		    uint64_t size, const char *name)
{
	uint64_t off = phys - win->phys;

	if (phys < win->phys || off >= win->len)
		return;  /* the parser says why */
	if (size > TK_MBI_DUMP_MAX)
		size = TK_MBI_DUMP_MAX;
	if (size > win->len - off)
		size = win->len - off;
	tk_puts("--- ");
	tk_puts(name);
	tk_puts(" at ");
	tk_put_hex(phys, 8);
	tk_puts(", ");
	tk_put_dec(size);
	tk_puts(" bytes ---\n");
	for (uint64_t i = 0; i < size; i += TK_DUMP_LINE) {
		uint64_t n = size - i < TK_DUMP_LINE ? size - i : TK_DUMP_LINE;

		tk_put_bytes_hex(win->bytes + off + i, (size_t)n);
		tk_putc('\n');
	}
	tk_puts("--- end of ");
	tk_puts(name);
	tk_puts(" ---\n");
}

static void tk_dump_mbi2(const struct boot_window *win, uint64_t phys)
{
	uint64_t off = phys - win->phys;

	if (phys >= win->phys && off + 8u <= win->len)
		tk_dump(win, phys, fwk_le32(win->bytes + off),   /* total_size */
			"multiboot2 information block");
}

/* hvm_start_info (version 1's 56 bytes) and its module list (32 bytes an
 * entry: paddr, size, cmdline_paddr, reserved), as the loader wrote them. */
static void tk_dump_pvh(const struct boot_window *win, uint64_t phys)
{
	uint64_t off = phys - win->phys;
	const uint8_t *p = win->bytes + off;

	tk_dump(win, phys, 56u, "PVH start info");
	if (phys >= win->phys && off + 24u <= win->len)
		tk_dump(win, (uint64_t)fwk_le32(p + 20) << 32 | fwk_le32(p + 16),
			32u * (uint64_t)fwk_le32(p + 12), "PVH module list");
}

/* ---- the boot-info section --------------------------------------------- */

/* An RSDP's signature and, when it parses, its fields: multiboot2's copy,
 * or (PVH) what lies at rsdp_paddr in the window. */
static void tk_put_rsdp(const uint8_t *p, uint64_t len)
{
	struct acpi_rsdp r;
	struct fwk_fault f = { 0 };
	int rc;

	tk_puts(" signature ");
	tk_put_quoted((const char *)p, len < 8u ? (size_t)len : 8u);
	rc = acpi_rsdp_parse(p, len, &r, &f);
	if (rc < 0) {
		tk_puts(" invalid: ");
		tk_puts(f.field ? f.field : "?");
		tk_puts(": ");
		tk_puts(fwk_strerror(rc));
		tk_putc('\n');
		return;
	}
	tk_puts(" revision ");
	tk_put_dec(r.revision);
	tk_puts(" oem ");
	tk_put_quoted(r.oem_id, sizeof(r.oem_id));
	tk_puts(" rsdt ");
	tk_put_hex(r.rsdt_address, 8);
	if (r.revision >= 2) {
		tk_puts(" xsdt ");
		tk_put_hex(r.xsdt_address, 16);
	}
	tk_puts(" checksum ok\n");
}

static void tk_print_rsdp(const struct boot_window *win, const struct boot_info *bi)
{
	uint64_t off = bi->rsdp_phys - win->phys;

	if (bi->rsdp) {
		tk_line("rsdp tag ");
		tk_put_dec(bi->rsdp_tag);
		tk_puts(": ");
		tk_put_dec(bi->rsdp_len);
		tk_puts(" bytes");
		tk_put_rsdp(bi->rsdp, bi->rsdp_len);
		return;
	}
	if (!bi->rsdp_phys) {
		tk_line("rsdp none\n");
		return;
	}
	tk_line("rsdp paddr ");
	tk_put_hex(bi->rsdp_phys, 16);
	if (bi->rsdp_phys < win->phys || off >= win->len) {
		tk_puts(" outside the window\n");
		return;
	}
	/* The RSDP's size as it gives it (revision 0: 20 bytes; 2+: Length),
	 * clipped to the window; the parser checks it against what is there. */
	const uint8_t *p = win->bytes + off;
	uint64_t len = win->len - off, want = 20u;

	if (len > 24u && p[15] >= 2)
		want = fwk_le32(p + 20);
	tk_put_rsdp(p, want < len ? want : len);
}

static void tk_print_bootinfo(const struct boot_window *win,
			      const struct boot_info *bi, uint64_t info_phys)
{
	uint64_t avail = 0;

	tk_line("protocol ");
	tk_puts(boot_protocol_name(bi->protocol));
	tk_putc('\n');
	tk_line("info ");
	tk_put_hex(info_phys, 8);
	if (bi->protocol == BOOT_PROTO_MULTIBOOT1) {
		tk_puts(" flags ");
		tk_put_hex(bi->mb1_flags, 8);
	} else if (bi->protocol == BOOT_PROTO_PVH) {
		tk_puts(" version ");
		tk_put_dec(bi->pvh_version);
	}
	tk_putc('\n');
	tk_line("loader ");
	tk_put_quoted(bi->loader_name, bi->loader_name_len);
	tk_putc('\n');
	tk_line("cmdline ");
	tk_put_quoted(bi->cmdline, bi->cmdline_len);
	tk_putc('\n');
	if (bi->have_meminfo) {
		tk_line("meminfo lower ");
		tk_put_dec(bi->mem_lower_kib);
		tk_puts(" KiB upper ");
		tk_put_dec(bi->mem_upper_kib);
		tk_puts(" KiB\n");
	}

	tk_line("modules ");
	tk_put_dec(bi->nmodules);
	tk_putc('\n');
	for (uint32_t i = 0; i < bi->nmodules; i++) {
		const struct boot_module *m = &bi->modules[i];

		tk_line("module ");
		tk_put_dec(i);
		tk_puts(": start ");
		tk_put_hex(m->start, 16);
		tk_puts(" size ");
		tk_put_dec(m->size);
		if (m->problem) {
			tk_puts(" problem ");
			tk_put_quoted(m->problem, tk_strlen(m->problem));
			tk_puts(" at ");
			tk_put_hex(m->problem_offset, 16);
		} else {
			uint8_t d[SHA256_DIGEST_SIZE];

			sha256(m->data, (size_t)m->size, d);
			tk_puts(" sha256 ");
			tk_put_bytes_hex(d, sizeof(d));
		}
		if (m->role != BOOT_ROLE_NONE) {
			tk_puts(" role ");
			tk_puts(boot_role_name(m->role));
		}
		tk_puts(" cmdline ");
		tk_put_quoted(m->cmdline, m->cmdline_len);
		tk_putc('\n');
	}

	for (uint32_t i = 0; i < bi->nmmap; i++)
		if (bi->mmap[i].type == BOOT_MEM_AVAILABLE)
			avail += bi->mmap[i].length;
	tk_line("mmap ");
	tk_put_dec(bi->nmmap);
	tk_puts(" ranges, available ");
	tk_put_dec(avail);
	tk_puts(" bytes\n");
	for (uint32_t i = 0; i < bi->nmmap; i++) {
		tk_line("mmap ");
		tk_put_dec(i);
		tk_puts(": base ");
		tk_put_hex(bi->mmap[i].base, 16);
		tk_puts(" length ");
		tk_put_hex(bi->mmap[i].length, 16);
		tk_puts(" type ");
		tk_put_dec(bi->mmap[i].type);
		tk_putc('\n');
	}

	tk_print_rsdp(win, bi);
	if (bi->efi32 || bi->efi64 || bi->efi_mmap || bi->efi_boot_services) {
		tk_line("efi");
		tk_puts(bi->efi32 ? " efi32" : "");
		tk_puts(bi->efi64 ? " efi64" : "");
		tk_puts(bi->efi_mmap ? " efi-mmap" : "");
		tk_puts(bi->efi_boot_services ? " boot-services" : "");
		tk_puts(" system-table ");
		tk_put_hex(bi->efi_system_table, 16);
		tk_puts(" image-handle ");
		tk_put_hex(bi->efi_image_handle, 16);
		tk_putc('\n');
	}
	tk_line("unknown tags ");
	tk_put_dec(bi->unknown_tags);
	tk_putc('\n');
}

/* ---- the platform: callbacks that accept and never run module bytes ---- */

static int tk_install_acpi(void *ctx, const char *source, const char *path,
			   const uint8_t *table, uint64_t len, const struct acpi_header *h)
{
	(void)source, (void)path, (void)table, (void)len, (void)h;
	((struct tk_platform *)ctx)->acpi++;
	return 0;  /* "added": the kernel does not model firmware tables */
}

static int tk_apply_dt_overlay(void *ctx, const char *source, const char *path,
			       const uint8_t *dtbo, uint64_t len,
			       const uint8_t *base, uint64_t base_len)
{
	(void)source, (void)path, (void)dtbo, (void)len, (void)base, (void)base_len;
	((struct tk_platform *)ctx)->overlays++;
	return 0;
}

static int tk_load_microcode(void *ctx, const char *source, const char *path,
			     enum ucode_vendor vendor, const uint8_t *data,
			     uint64_t len, uint32_t updates)
{
	(void)source, (void)path, (void)vendor, (void)data, (void)len, (void)updates;
	((struct tk_platform *)ctx)->microcode++;
	return 0;
}

static int tk_deliver_blob(void *ctx, const char *source, const char *path,
			   const uint8_t *fwb, uint64_t len, const struct fwb_info *info)
{
	(void)source, (void)path, (void)fwb, (void)len, (void)info;
	((struct tk_platform *)ctx)->blobs++;
	return 0;
}

static void tk_log(void *ctx, const char *line)
{
	struct tk_platform *p = ctx;
	size_t n = tk_strlen(line);

	tk_puts(line);
	tk_putc('\n');
	sha256_update(&p->log_sha, line, n);
	sha256_update(&p->log_sha, "\n", 1);
	p->log_bytes += n + 1u;
}

static void tk_taint(void *ctx, const struct ledger_record *r)
{
	struct tk_platform *p = ctx;

	p->taints++;
	if (r->taint_bit >= 0 && r->taint_bit < 64)
		p->taint_mask |= (uint64_t)1 << r->taint_bit;
}

/* ---- the run ------------------------------------------------------------ */

static void tk_count(const char *what, uint32_t n)
{
	tk_puts(what);
	tk_put_dec(n);
}

/*
 * Stack depth of one call into fwkit: tk_stack_mark paints the free stack
 * below its caller (entry.S painted all of it once; this paints it again),
 * tk_stack_depth finds the lowest byte written since.  The margin keeps the
 * painting clear of tk_stack_mark's own frame (so a depth below it is an
 * upper bound); stores are volatile so the loop cannot become a memset
 * call whose frame would lie in the paint.
 */
#define TK_STACK_MARGIN 512u

static __attribute__((noinline)) uintptr_t tk_stack_mark(void)
{
	uintptr_t here = (uintptr_t)__builtin_frame_address(0);
	volatile uint64_t *w = (volatile uint64_t *)(void *)tk_boot_stack;
	uintptr_t n = (here - TK_STACK_MARGIN - (uintptr_t)tk_boot_stack) / 8u;

	for (uintptr_t i = 0; i < n; i++)
		w[i] = TK_STACK_PAINT;
	return here;
}

static uint64_t tk_stack_depth(uintptr_t from)
{
	const uint64_t *w = (const uint64_t *)(void *)tk_boot_stack;
	uintptr_t i = 0;

	while ((uintptr_t)&w[i] < from && w[i] == TK_STACK_PAINT)
		i++;
	return from - (uintptr_t)&w[i];
}

/* Bytes of the boot stack written since entry.S painted it. */
static uint64_t tk_stack_used(void)
{
	return tk_stack_depth((uintptr_t)tk_boot_stack_top);
}

static _Noreturn void tk_run_pipeline(const struct boot_info *bi,
				      uint64_t parse_stack)
{
	struct tk_platform p = { 0 };
	struct boot_platform pf = {
		.ctx = &p,
		.install_acpi = tk_install_acpi,
		.apply_dt_overlay = tk_apply_dt_overlay,
		.load_microcode = tk_load_microcode,
		.deliver_blob = tk_deliver_blob,
		.log = tk_log,
		.taint = tk_taint,
	};
	struct boot_report rep = {
		.text = tk_text, .text_cap = sizeof(tk_text),
		.results = tk_results, .results_cap = BOOT_MODULES_MAX,
	};
	uint8_t want[SHA256_DIGEST_SIZE], got[SHA256_DIGEST_SIZE];
	uint64_t run_stack;
	uintptr_t mark;
	bool agree;
	int rc;

	for (uint32_t i = 0; i < bi->nmodules; i++) {
		if (bi->modules[i].problem || bi->modules[i].size <= TK_MODULE_MAX)
			continue;
		tk_puts("testkernel: module ");
		tk_put_dec(i);
		tk_puts(" has ");
		tk_put_dec(bi->modules[i].size);
		tk_puts(" bytes, more than the ");
		tk_put_dec(TK_MODULE_MAX);
		tk_puts(" this kernel's scratch covers\n");
		tk_exit(TK_EXIT_LIMIT);
	}

	sha256_init(&p.log_sha);
	tk_puts("--- fwkit boot report ---\n");
	mark = tk_stack_mark();
	rc = boot_pipeline_run(bi->modules, bi->nmodules, &pf, tk_scratch,
			       sizeof(tk_scratch) / sizeof(tk_scratch[0]), &rep);
	run_stack = tk_stack_depth(mark);
	tk_puts("--- end of report ---\n");
	if (rc < 0) {
		tk_puts("testkernel: boot_pipeline_run: ");
		tk_puts(fwk_strerror(rc));
		tk_putc('\n');
		tk_exit(TK_EXIT_PIPELINE);
	}

	/* The lines the log saw must be the report's text, whole. */
	sha256_final(&p.log_sha, got);
	sha256(rep.text, rep.text_len, want);
	agree = !rep.text_truncated && p.log_bytes == rep.text_len &&
		memcmp(got, want, sizeof(got)) == 0 && p.taint_mask == rep.taint_mask;
	tk_puts("testkernel: report ");
	tk_put_dec(rep.text_len);
	tk_puts(" bytes, sha256 ");
	tk_put_bytes_hex(want, sizeof(want));
	tk_puts(agree ? ", the logged lines agree\n" :
		", the logged lines, the text or the taint masks DISAGREE\n");
	tk_count("testkernel: verdicts: applied ", rep.applied);
	tk_count(" passed ", rep.passed);
	tk_count(" rejected ", rep.rejected);
	tk_count(" failed ", rep.failed);
	tk_count(" no-handler ", rep.no_handler);
	tk_count(" ignored ", rep.ignored);
	tk_puts(" taint ");
	tk_put_dec(rep.taint_mask);   /* as /proc/sys/kernel/tainted shows it */
	tk_putc('\n');
	tk_count("testkernel: callbacks: acpi ", p.acpi);
	tk_count(" overlay ", p.overlays);
	tk_count(" microcode ", p.microcode);
	tk_count(" blob ", p.blobs);
	tk_count(" taint ", p.taints);
	tk_putc('\n');
	/* The pipeline's depth includes the callbacks' (a few words each). */
	tk_puts("testkernel: stack: parser ");
	tk_put_dec(parse_stack);
	tk_puts(" bytes, pipeline ");
	tk_put_dec(run_stack);
	tk_puts(" bytes, whole run ");
	tk_put_dec(tk_stack_used());
	tk_puts(" of ");
	tk_put_dec(TK_STACK_SIZE);
	tk_puts(" bytes\n");
	if (!agree)
		tk_exit(TK_EXIT_REPORT);
	tk_exit(rc == 0 ? TK_EXIT_OK : TK_EXIT_FINDINGS);
}

void tk_main(uint32_t magic, uint32_t info)
{
	struct boot_window win = {
		.bytes = (const uint8_t *)(uintptr_t)TK_WINDOW_START,
		.phys = TK_WINDOW_START,
		.len = TK_WINDOW_END - TK_WINDOW_START,
	};
	struct boot_info bi = {
		.modules = tk_modules, .modules_cap = BOOT_MODULES_MAX,
		.mmap = tk_mmap, .mmap_cap = BOOT_MMAP_MAX,
	};
	struct fwk_fault f = { 0 };
	uint64_t parse_stack;
	uintptr_t mark;
	int rc;

	tk_serial_init();
	tk_puts("testkernel: fwkit boot pipeline test kernel, eax ");
	tk_put_hex(magic, 8);
	tk_puts(" ebx ");
	tk_put_hex(info, 8);
	tk_putc('\n');
	if (tk_tail != TK_TAIL_MAGIC) {
		tk_puts("testkernel: the image's last bytes are not as linked: the loader did not copy it whole\n");
		tk_exit(TK_EXIT_LAYOUT);
	}

	if (magic == MULTIBOOT1_BOOTLOADER_MAGIC) {
		mark = tk_stack_mark();
		rc = boot_parse_multiboot1(&win, info, &bi, &f);
	} else if (magic == MULTIBOOT2_BOOTLOADER_MAGIC) {
		tk_dump_mbi2(&win, info);
		mark = tk_stack_mark();
		rc = boot_parse_multiboot2(&win, info, &bi, &f);
	} else if (magic == TK_PVH_MARKER) {
		/* version 1's size; the parser checks it is all there */
		tk_dump_pvh(&win, info);
		mark = tk_stack_mark();
		rc = boot_parse_pvh(&win, info, &bi, &f);
	} else {
		tk_puts("boot-info: eax ");
		tk_put_hex(magic, 8);
		tk_puts(" is neither multiboot magic (0x2badb002, 0x36d76289) nor the PVH entry's marker\n");
		tk_exit(TK_EXIT_MAGIC);
	}
	parse_stack = tk_stack_depth(mark);
	if (rc < 0) {
		tk_puts("boot-info: ");
		tk_puts(f.field ? f.field : "?");
		tk_puts(" at ");
		tk_put_hex(f.offset, 8);
		tk_puts(": ");
		tk_puts(f.detail ? f.detail : "?");
		tk_puts(" (");
		tk_puts(fwk_strerror(rc));
		tk_puts(")\n");
		tk_exit(TK_EXIT_BOOTINFO);
	}
	tk_print_bootinfo(&win, &bi, info);
	tk_run_pipeline(&bi, parse_stack);
}

/* SPDX-License-Identifier: MIT */
/* test_pipeline.c - cmocka tests of boot_pipeline_run over real inputs: ACPI
 * tables from the linuxhw corpus, Intel microcode from the corpus, a base
 * tree and overlays compiled with dtc at test time, an fwb container packed
 * by `fwkit blob pack`, and a cpio holding some of each written with the
 * cpio writer; callbacks that record every call and ledger record.  Checks
 * the callback order and arguments, the records and the taint mask, the
 * exact report of one full run, and each way an item is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../support/testkit.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fwkit/bootpipe.h>
#include <fwkit/cpio.h>
#include <fwkit/dt.h>

#define CALLS_MAX 160
#define TEXT_CAP 32768u

static char *tmp; /* this program's scratch directory */

/* The real inputs, read or built once by setup(). */
static struct input {
	uint8_t *b;
	size_t len;
} ssdt, ssdt2, bgrt, ucode1, ucode2, base_dtb, ovl, ovl2, ovl_bad, fwb, cpio;

static const char base_src[] =
	"/dts-v1/;\n"
	"/ {\n"
	"	#address-cells = <1>;\n"
	"	#size-cells = <1>;\n"
	"	compatible = \"fwkit,test-board\";\n"
	"	soc: soc {\n"
	"		compatible = \"simple-bus\";\n"
	"		#address-cells = <1>;\n"
	"		#size-cells = <1>;\n"
	"		ranges;\n"
	"		uart0: serial@1000 {\n"
	"			compatible = \"ns16550a\";\n"
	"			reg = <0x1000 0x100>;\n"
	"			status = \"disabled\";\n"
	"		};\n"
	"	};\n"
	"};\n";

/* Three fragments: one changes the UART, one creates a node under /soc,
 * one sets a property on that new node (still "created" in the record). */
static const char ovl_src[] =
	"/dts-v1/;\n/plugin/;\n"
	"&uart0 { status = \"okay\"; };\n"
	"&soc { led@2000 { compatible = \"gpio-leds\"; reg = <0x2000 0x10>; }; };\n"
	"&{/soc/led@2000} { label = \"status\"; };\n";

static const char ovl2_src[] =
	"/dts-v1/;\n/plugin/;\n"
	"/ { fragment@0 { target-path = \"/soc\"; __overlay__ { fwkit,extra = <1>; }; }; };\n";

/* Well formed, but its target is not in the base. */
static const char ovl_bad_src[] =
	"/dts-v1/;\n/plugin/;\n"
	"/ { fragment@0 { target-path = \"/missing\"; __overlay__ { status = \"okay\"; }; }; };\n";

/* The first bytes of an x86-64 ELF executable: named by magic only. */
static const uint8_t kernel_elf[64] = {
	0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	2, 0, 62, 0, 1, 0, 0, 0,
};

static const uint8_t junk[40] = "no format fwkit knows starts like this";

/* ---- inputs ---- */

static char *path_of(const char *name)
{
	char *p = malloc(strlen(tmp) + strlen(name) + 2);

	assert_non_null(p);
	sprintf(p, "%s/%s", tmp, name);
	return p;
}

static struct input read_input(const char *path)
{
	struct input in;

	in.b = slurp(path, &in.len);
	return in;
}

static struct input corpus(const char *rel)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/corpus/%s", shared_dir(), rel);
	return read_input(p);
}

static struct input compile(const char *name, const char *src, bool symbols)
{
	char *dts = path_of("src.dts"), *out = path_of(name);

	spew(dts, src, strlen(src));
	if (sh("dtc %s -q -I dts -O dtb -o '%s' '%s'", symbols ? "-@" : "", out, dts) != 0)
		fail_msg("dtc could not compile %s", name);
	struct input in = read_input(out);
	free(dts);
	free(out);
	return in;
}

/* The CLI that packs fwb containers: $FWKIT, else the build's fwkit. */
static const char *fwkit_cli(void)
{
	static char p[PATH_MAX];
	const char *env = getenv("FWKIT"), *b = getenv("FWKIT_BUILD");

	if (env && *env)
		return env;
	snprintf(p, sizeof(p), "%s/fwkit", b && *b ? b : "build");
	return p;
}

/* An early cpio: microcode, an ACPI table, an overlay, a blob, and entries
 * the pipeline leaves alone. */
static struct input build_cpio(void)
{
	struct cpio_writer w;
	struct input in = { malloc(65536), 0 };

	assert_non_null(in.b);
	cpio_writer_init(&w, in.b, 65536, 0, 1700000000u);
	assert_int_equal(cpio_writer_add_dir(&w, "kernel", 0755), 0);
	assert_int_equal(cpio_writer_add_file(&w, UCODE_EARLY_INTEL, 0644, ucode2.b,
					      (uint32_t)ucode2.len, 16), 0);
	assert_int_equal(cpio_writer_add_file(&w, "kernel/firmware/acpi/ssdt21.aml", 0644,
					      ssdt2.b, (uint32_t)ssdt2.len, 0), 0);
	assert_int_equal(cpio_writer_add_file(&w, DT_OVERLAY_DIR "/extra.dtbo", 0644, ovl2.b,
					      (uint32_t)ovl2.len, 0), 0);
	assert_int_equal(cpio_writer_add_file(&w, "lib/firmware/ti/pmic.fwb", 0644, fwb.b,
					      (uint32_t)fwb.len, 0), 0);
	assert_int_equal(cpio_writer_add_file(&w, "etc/motd", 0644, "hello\n", 6, 0), 0);
	assert_int_equal(cpio_writer_finish(&w, 0), 0);
	in.len = w.off;
	return in;
}

/* ---- the platform: records every call ---- */

struct call {
	char what;                 /* u a d b */
	char source[64];
	char path[256];            /* "" for a module */
	uint64_t len;
	uint8_t sha[32];
	uint32_t updates;
	enum ucode_vendor vendor;
	const uint8_t *base;
	uint64_t base_len;
	char sig[5];
	char target[64];
};

struct platform {
	struct boot_platform pf;
	struct call c[CALLS_MAX];
	int n;
	struct ledger_record r[CALLS_MAX];
	int nr;
	char log[TEXT_CAP];
	size_t loglen;
	int lines;
	int blob_rc;               /* what deliver_blob returns */
};

static struct call *called(void *ctx, char what, const char *source, const char *path,
			   const uint8_t *data, uint64_t len)
{
	struct platform *p = ctx;

	assert_true(p->n < CALLS_MAX);
	struct call *c = &p->c[p->n++];
	memset(c, 0, sizeof(*c));
	c->what = what;
	assert_non_null(source);
	assert_true(strlen(source) < sizeof(c->source));
	strcpy(c->source, source);
	if (path) {
		assert_true(strlen(path) < sizeof(c->path));
		strcpy(c->path, path);
	}
	c->len = len;
	sha256(data, len, c->sha);
	return c;
}

static int on_acpi(void *ctx, const char *source, const char *path, const uint8_t *table,
		   uint64_t len, const struct acpi_header *h)
{
	struct call *c = called(ctx, 'a', source, path, table, len);

	memcpy(c->sig, h->signature, 4);
	assert_int_equal(h->length, len);
	/* The module table replaces a firmware one; the archive's is new. */
	return path ? 0 : 1;
}

static int on_overlay(void *ctx, const char *source, const char *path, const uint8_t *dtbo,
		      uint64_t len, const uint8_t *base, uint64_t base_len)
{
	struct call *c = called(ctx, 'd', source, path, dtbo, len);

	c->base = base;
	c->base_len = base_len;
	return 0;
}

static int on_ucode(void *ctx, const char *source, const char *path, enum ucode_vendor vendor,
		    const uint8_t *data, uint64_t len, uint32_t updates)
{
	struct call *c = called(ctx, 'u', source, path, data, len);

	c->vendor = vendor;
	c->updates = updates;
	return 0;
}

static int on_blob(void *ctx, const char *source, const char *path, const uint8_t *fwbb,
		   uint64_t len, const struct fwb_info *info)
{
	struct platform *p = ctx;
	struct call *c = called(ctx, 'b', source, path, fwbb, len);

	strcpy(c->target, info->target);
	return p->blob_rc;
}

static void on_log(void *ctx, const char *line)
{
	struct platform *p = ctx;
	size_t n = strlen(line);

	assert_null(strchr(line, '\n'));
	assert_true(p->loglen + n + 1 < sizeof(p->log));
	memcpy(p->log + p->loglen, line, n);
	p->log[p->loglen + n] = '\n';
	p->loglen += n + 1;
	p->log[p->loglen] = '\0';
	p->lines++;
}

static void on_taint(void *ctx, const struct ledger_record *r)
{
	struct platform *p = ctx;

	assert_true(p->nr < CALLS_MAX);
	p->r[p->nr++] = *r;
}

static struct platform *platform_new(void)
{
	struct platform *p = calloc(1, sizeof(*p));

	assert_non_null(p);
	p->pf = (struct boot_platform){ p, on_acpi, on_overlay, on_ucode, on_blob, on_log,
					on_taint };
	return p;
}

/* ---- running ---- */

struct run {
	struct boot_report rep;
	struct boot_result res[80];
	char *text;
	int rc;
};

static struct boot_module module(const char *cmdline, struct input in)
{
	struct boot_module m;

	memset(&m, 0, sizeof(m));
	m.start = 0x1000000;
	m.size = in.len;
	m.data = in.b;
	m.cmdline = cmdline;
	m.cmdline_len = (uint32_t)strlen(cmdline);
	return m;
}

/* Exactly the scratch the contract asks for, on the heap (ASan watches
 * its end), and a text buffer of cap bytes. */
static struct run *run_cap(const struct boot_module *m, uint32_t n,
			   const struct boot_platform *pf, size_t cap, uint32_t results)
{
	struct run *r = calloc(1, sizeof(*r));
	uint64_t largest = 0;

	assert_non_null(r);
	for (uint32_t i = 0; i < n; i++)
		if (!m[i].problem && m[i].size > largest)
			largest = m[i].size;
	size_t words = BOOT_SCRATCH_WORDS(largest);
	uint32_t *scratch = malloc(words * sizeof(*scratch));
	assert_non_null(scratch);
	r->text = malloc(cap ? cap : 1);
	assert_non_null(r->text);
	memset(r->text, 'X', cap);
	r->rep.text = cap ? r->text : NULL;
	r->rep.text_cap = cap;
	r->rep.results = r->res;
	r->rep.results_cap = results;
	r->rc = boot_pipeline_run(m, n, pf, scratch, words, &r->rep);
	free(scratch);
	return r;
}

static struct run *run(const struct boot_module *m, uint32_t n, const struct boot_platform *pf)
{
	struct run *r = run_cap(m, n, pf, TEXT_CAP, 80);

	assert_true(r->rc >= 0);
	assert_false(r->rep.text_truncated);
	assert_int_equal(strlen(r->text), r->rep.text_len);
	assert_int_equal(r->rep.nresults, n);
	return r;
}

static void run_free(struct run *r)
{
	free(r->text);
	free(r);
}

/* The totals add up: one verdict per module, one per member acted on. */
static void check_totals(const struct run *r, uint32_t n)
{
	uint32_t items = 0;

	for (uint32_t i = 0; i < n; i++)
		items += r->res[i].items;
	assert_int_equal(r->rep.applied + r->rep.passed + r->rep.rejected + r->rep.failed +
			 r->rep.no_handler + r->rep.ignored, n + items);
}

static void sha_of(struct input in, uint8_t out[32])
{
	sha256(in.b, in.len, out);
}

/* ---- the full run ---- */

static struct input bad_bgrt; /* a corpus table with one byte changed */

static void full_modules(struct boot_module *m)
{
	m[0] = module("vmlinuz console=ttyS0", (struct input){ (uint8_t *)kernel_elf,
							     sizeof(kernel_elf) });
	m[1] = module("board.dtb", base_dtb);
	m[2] = module("overlay.dtbo", ovl);
	m[3] = module("initrd.cpio", cpio);
	m[4] = module("ssdt.aml fwkit=acpi-table", ssdt);
	m[5] = module("ucode.bin", ucode1);
	m[6] = module("pmic.fwb", fwb);
	m[7] = module("", (struct input){ (uint8_t *)junk, sizeof(junk) });
	m[8] = module("bad.aml", bad_bgrt);
}

/* What boot_classify says of a module: the module lines carry it. */
static const char *reason_of(const struct boot_module *m)
{
	static char r[16][BOOT_REASON_MAX];
	static int next;
	struct boot_class c;
	size_t words = BOOT_SCRATCH_WORDS(m->size);
	uint32_t *scratch = malloc(words * sizeof(*scratch));

	assert_non_null(scratch);
	assert_int_equal(boot_classify(m->data, m->size, m->cmdline, m->cmdline_len, m->role,
				       scratch, words, &c), 0);
	free(scratch);
	char *out = r[next++ % 16];
	strcpy(out, c.reason);
	return out;
}

/* The report of the full run, line by line: only boot_classify's reasons
 * (its own format, tested with it) are filled in. */
static const char full_report[] =
	"fwkit boot report: 9 modules\n"
	"module 0 vmlinuz: kernel, 64 bytes, sha256 55c85773d3c223f2: %s\n"
	"module 1 board.dtb: dtb, 482 bytes, sha256 6a83ef4e2961d6db: %s\n"
	"module 2 overlay.dtbo: dt-overlay, 505 bytes, sha256 fe7d9893d3f1d7d2: %s\n"
	"module 3 initrd.cpio: cpio, 6128 bytes, sha256 a4ba0e83b342198d: %s\n"
	"module 4 ssdt.aml: acpi-table, 908 bytes, sha256 32af21a3216c6239: %s\n"
	"module 5 ucode.bin: ucode-intel, 9216 bytes, sha256 0f74ee09443587e7: %s\n"
	"module 6 pmic.fwb: fwb, 476 bytes, sha256 6bb0a7ef9a35e12c: %s\n"
	"module 7 module7: unknown, 40 bytes, sha256 7f35dec3e67c563d: %s\n"
	"module 8 bad.aml: acpi-table, 56 bytes, sha256 be9676ce0887fd88: %s\n"
	"microcode initrd.cpio:kernel/x86/microcode/GenuineIntel.bin: GenuineIntel 2 updates: "
	"applied\n"
	"microcode ucode.bin: GenuineIntel 1 update: applied\n"
	"acpi initrd.cpio:kernel/firmware/acpi/ssdt21.aml: SSDT PmRef? Cpu0Psd? rev 12288: "
	"applied (acpi-install, taint A)\n"
	"acpi ssdt.aml: SSDT LENOVO Pmax_Dev rev 1: applied (acpi-override, taint A)\n"
	"acpi bad.aml: rejected: %s\n"
	"dt-overlay overlay.dtbo: 3 fragments, base board.dtb: applied\n"
	"dt-overlay initrd.cpio:kernel/firmware/dtb/overlays/extra.dtbo: 1 fragment, "
	"base board.dtb: applied\n"
	"blob initrd.cpio:lib/firmware/ti/pmic.fwb: pmic ti,tps65219@0 v3: applied\n"
	"blob pmic.fwb: pmic ti,tps65219@0 v3: applied\n"
	"passed vmlinuz: kernel, left for the next stage\n"
	"passed board.dtb: dtb, the base for overlays, left for the next stage\n"
	"passed initrd.cpio: cpio, left for the next stage\n"
	"ignored module7: unknown: %s\n"
	"summary: 8 applied, 3 passed, 1 rejected, 0 failed, 0 no handler, 1 ignored; "
	"taint 0x100 (A)\n";

static void expect_call(const struct call *c, char what, const char *source,
			const char *path, struct input in)
{
	uint8_t sha[32];

	assert_int_equal(c->what, what);
	assert_string_equal(c->source, source);
	assert_string_equal(c->path, path);
	assert_int_equal(c->len, in.len);
	sha_of(in, sha);
	assert_memory_equal(c->sha, sha, 32);
}

static void expect_record(const struct ledger_record *r, enum ledger_kind kind,
			  const char *identity, const char *source, struct input in,
			  const char *reason, int bit)
{
	uint8_t sha[32];

	assert_int_equal(r->kind, kind);
	assert_string_equal(r->identity, identity);
	assert_string_equal(r->source, source);
	sha_of(in, sha);
	assert_memory_equal(r->sha256, sha, 32);
	assert_string_equal(r->reason, reason);
	assert_int_equal(r->taint_bit, bit);
	/* Every record formats: one line of text, one JSON object. */
	char line[1024];
	assert_true(ledger_format_text(r, line, sizeof(line)) > 0);
	assert_true(ledger_format_json(r, line, sizeof(line)) > 0);
}

static void expect_result(const struct boot_result *r, const char *name, enum boot_kind kind,
			  bool valid, enum boot_verdict v, uint32_t items, int bit)
{
	assert_string_equal(r->name, name);
	assert_int_equal(r->kind, kind);
	assert_int_equal(r->valid, valid);
	assert_int_equal(r->verdict, v);
	assert_int_equal(r->items, items);
	assert_int_equal(r->taint_bit, bit);
}

static void test_full_run(void **state)
{
	(void)state;
	struct boot_module m[9];
	struct platform *p = platform_new();
	char want[8192];
	uint8_t sha[32];

	full_modules(m);
	snprintf(want, sizeof(want), full_report, reason_of(&m[0]), reason_of(&m[1]),
		 reason_of(&m[2]), reason_of(&m[3]), reason_of(&m[4]), reason_of(&m[5]),
		 reason_of(&m[6]), reason_of(&m[7]), reason_of(&m[8]), reason_of(&m[8]),
		 reason_of(&m[7]));
	struct run *r = run(m, 9, &p->pf);
	assert_int_equal(r->rc, 1); /* bad.aml was rejected */
	assert_string_equal(r->text, want);
	/* Each line went to the log as it was written. */
	assert_string_equal(p->log, r->text);

	/* The order: microcode, ACPI, overlays, blobs; modules in order with
	 * an archive's members at its place, its overlays after the modules'. */
	assert_int_equal(p->n, 8);
	expect_call(&p->c[0], 'u', "initrd.cpio", UCODE_EARLY_INTEL, ucode2);
	assert_int_equal(p->c[0].vendor, UCODE_INTEL);
	assert_int_equal(p->c[0].updates, 2);
	expect_call(&p->c[1], 'u', "ucode.bin", "", ucode1);
	assert_int_equal(p->c[1].updates, 1);
	expect_call(&p->c[2], 'a', "initrd.cpio", "kernel/firmware/acpi/ssdt21.aml", ssdt2);
	assert_string_equal(p->c[2].sig, "SSDT");
	expect_call(&p->c[3], 'a', "ssdt.aml", "", ssdt);
	expect_call(&p->c[4], 'd', "overlay.dtbo", "", ovl);
	assert_ptr_equal(p->c[4].base, base_dtb.b);
	assert_int_equal(p->c[4].base_len, base_dtb.len);
	expect_call(&p->c[5], 'd', "initrd.cpio", DT_OVERLAY_DIR "/extra.dtbo", ovl2);
	assert_ptr_equal(p->c[5].base, base_dtb.b);
	expect_call(&p->c[6], 'b', "initrd.cpio", "lib/firmware/ti/pmic.fwb", fwb);
	assert_string_equal(p->c[6].target, "ti,tps65219");
	expect_call(&p->c[7], 'b', "pmic.fwb", "", fwb);

	/* One record per applied item, in the same order. */
	assert_int_equal(p->nr, 8);
	expect_record(&p->r[0], LEDGER_MICROCODE, "GenuineIntel 2 updates",
		      "initrd.cpio:" UCODE_EARLY_INTEL, ucode2, "from boot module 3", -1);
	expect_record(&p->r[1], LEDGER_MICROCODE, "GenuineIntel 1 update", "ucode.bin", ucode1,
		      "from boot module 5", -1);
	expect_record(&p->r[2], LEDGER_ACPI_INSTALL, "SSDT PmRef? Cpu0Psd? rev 12288",
		      "initrd.cpio:kernel/firmware/acpi/ssdt21.aml", ssdt2, "from boot module 3",
		      (int)TAINT_OVERRIDDEN_ACPI_TABLE);
	expect_record(&p->r[3], LEDGER_ACPI_OVERRIDE, "SSDT LENOVO Pmax_Dev rev 1", "ssdt.aml",
		      ssdt, "from boot module 4", (int)TAINT_OVERRIDDEN_ACPI_TABLE);
	expect_record(&p->r[4], LEDGER_DT_OVERLAY, "dt-overlay 3 fragments", "overlay.dtbo", ovl,
		      "changed /soc/serial@1000; created /soc/led@2000", -1);
	expect_record(&p->r[5], LEDGER_DT_OVERLAY, "dt-overlay 1 fragment",
		      "initrd.cpio:" DT_OVERLAY_DIR "/extra.dtbo", ovl2, "changed /soc", -1);
	sha_of(base_dtb, sha);
	for (int i = 4; i <= 5; i++) {
		assert_true(p->r[i].have_replaced);
		assert_memory_equal(p->r[i].replaced_sha256, sha, 32);
	}
	expect_record(&p->r[6], LEDGER_BLOB, "pmic ti,tps65219@0 v3",
		      "initrd.cpio:lib/firmware/ti/pmic.fwb", fwb, "from boot module 3", -1);
	expect_record(&p->r[7], LEDGER_BLOB, "pmic ti,tps65219@0 v3", "pmic.fwb", fwb,
		      "from boot module 6", -1);
	assert_false(p->r[0].have_replaced || p->r[3].have_replaced || p->r[7].have_replaced);

	/* The results and totals. */
	const int A = (int)TAINT_OVERRIDDEN_ACPI_TABLE;
	expect_result(&r->res[0], "vmlinuz", BOOT_KIND_KERNEL, true, BOOT_PASSED, 0, -1);
	expect_result(&r->res[1], "board.dtb", BOOT_KIND_DTB, true, BOOT_PASSED, 0, -1);
	expect_result(&r->res[2], "overlay.dtbo", BOOT_KIND_DT_OVERLAY, true, BOOT_APPLIED, 0, -1);
	expect_result(&r->res[3], "initrd.cpio", BOOT_KIND_CPIO, true, BOOT_PASSED, 4, A);
	expect_result(&r->res[4], "ssdt.aml", BOOT_KIND_ACPI_TABLE, true, BOOT_APPLIED, 0, A);
	expect_result(&r->res[5], "ucode.bin", BOOT_KIND_UCODE_INTEL, true, BOOT_APPLIED, 0, -1);
	expect_result(&r->res[6], "pmic.fwb", BOOT_KIND_FWB, true, BOOT_APPLIED, 0, -1);
	expect_result(&r->res[7], "module7", BOOT_KIND_UNKNOWN, false, BOOT_IGNORED, 0, -1);
	expect_result(&r->res[8], "bad.aml", BOOT_KIND_ACPI_TABLE, false, BOOT_REJECTED, 0, -1);
	for (uint32_t i = 0; i < 9; i++) {
		assert_int_equal(r->res[i].module, i);
		assert_string_equal(r->res[i].reason, reason_of(&m[i]));
		sha256(m[i].data, m[i].size, sha);
		assert_memory_equal(r->res[i].sha256, sha, 32);
	}
	assert_int_equal(r->rep.applied, 8);
	assert_int_equal(r->rep.passed, 3);
	assert_int_equal(r->rep.rejected, 1);
	assert_int_equal(r->rep.failed + r->rep.no_handler, 0);
	assert_int_equal(r->rep.ignored, 1);
	assert_int_equal(r->rep.taint_mask, 1u << TAINT_OVERRIDDEN_ACPI_TABLE);
	check_totals(r, 9);
	run_free(r);
	free(p);
}

/* Same modules, same text: nothing of the run (addresses, buffers) shows. */
static void test_deterministic(void **state)
{
	(void)state;
	struct boot_module m[9], copy[9];
	struct platform *p = platform_new(), *q = platform_new();
	struct input moved[9];

	full_modules(m);
	for (int i = 0; i < 9; i++) {
		moved[i].len = m[i].size;
		moved[i].b = exact_copy(m[i].data, m[i].size);
		copy[i] = m[i];
		copy[i].data = moved[i].b;
		copy[i].start = 0x40000000ull + (uint64_t)i * 0x100000;
	}
	struct run *a = run(m, 9, &p->pf), *b = run(copy, 9, &q->pf);
	assert_string_equal(a->text, b->text);
	assert_string_equal(p->log, q->log);
	for (int i = 0; i < 9; i++)
		free(moved[i].b);
	run_free(a);
	run_free(b);
	free(p);
	free(q);
}

/* A callback that refuses: "failed", nothing recorded, the rest goes on. */
static void test_failing_callback(void **state)
{
	(void)state;
	struct boot_module m[2] = { module("pmic.fwb", fwb), module("ucode.bin", ucode1) };
	struct platform *p = platform_new();

	p->blob_rc = FWK_ERR_BADFIELD;
	struct run *r = run(m, 2, &p->pf);
	assert_int_equal(r->rc, 1);
	char want[256];
	snprintf(want, sizeof(want), "\nblob pmic.fwb: pmic ti,tps65219@0 v3: failed: %s\n",
		 fwk_strerror(FWK_ERR_BADFIELD));
	assert_non_null(strstr(r->text, want));
	assert_non_null(strstr(r->text, "\nmicrocode ucode.bin: GenuineIntel 1 update: applied\n"));
	assert_int_equal(p->n, 2);
	assert_int_equal(p->c[0].what, 'u');
	assert_int_equal(p->c[1].what, 'b');
	assert_int_equal(p->nr, 1);
	assert_int_equal(p->r[0].kind, LEDGER_MICROCODE);
	assert_int_equal(r->res[0].verdict, BOOT_FAILED);
	assert_int_equal(r->res[1].verdict, BOOT_APPLIED);
	assert_int_equal(r->rep.failed, 1);
	assert_int_equal(r->rep.applied, 1);
	assert_int_equal(r->rep.taint_mask, 0);
	assert_non_null(strstr(r->text, "\nsummary: 1 applied, 0 passed, 0 rejected, 1 failed, "
				       "0 no handler, 0 ignored; taint 0x0\n"));
	run_free(r);
	free(p);
}

/* No callbacks: every item "no handler", nothing tainted, the report still
 * written (to text only, when there is not even a platform). */
static void test_no_handler(void **state)
{
	(void)state;
	struct boot_module m[5] = { module("ssdt.aml", ssdt), module("ucode.bin", ucode1),
				    module("overlay.dtbo", ovl), module("pmic.fwb", fwb),
				    module("initrd.cpio", cpio) };
	struct platform *p = platform_new();
	struct boot_platform only_log = { p, NULL, NULL, NULL, NULL, on_log, NULL };

	for (int pass = 0; pass < 2; pass++) {
		struct run *r = run(m, 5, pass ? NULL : &only_log);
		assert_int_equal(r->rc, 1);
		assert_int_equal(r->rep.no_handler, 8);
		assert_int_equal(r->rep.applied + r->rep.failed + r->rep.rejected, 0);
		assert_int_equal(r->rep.passed, 1);
		assert_int_equal(r->rep.taint_mask, 0);
		for (int i = 0; i < 4; i++)
			assert_int_equal(r->res[i].verdict, BOOT_NO_HANDLER);
		assert_int_equal(r->res[4].items, 4);
		assert_non_null(strstr(r->text, "\nacpi ssdt.aml: SSDT LENOVO Pmax_Dev rev 1: "
					       "no handler\n"));
		assert_non_null(strstr(r->text, "\ndt-overlay overlay.dtbo: 3 fragments, no base "
					       "tree: no handler\n"));
		assert_non_null(strstr(r->text, "\nblob initrd.cpio:lib/firmware/ti/pmic.fwb: pmic "
					       "ti,tps65219@0 v3: no handler\n"));
		check_totals(r, 5);
		if (!pass)
			assert_string_equal(p->log, r->text);
		run_free(r);
	}
	assert_int_equal(p->n + p->nr, 0);
	free(p);
}

/* A module the boot protocol could not describe: rejected, never read. */
static void test_protocol_problem(void **state)
{
	(void)state;
	struct boot_module m[2] = { module("", ssdt), module("ssdt.aml", ssdt) };
	struct platform *p = platform_new();
	uint8_t zero[32] = { 0 };

	m[0].data = NULL;
	m[0].size = 4096;
	m[0].cmdline = "lost.aml fwkit=acpi-table";
	m[0].cmdline_len = (uint32_t)strlen(m[0].cmdline);
	m[0].problem = "range outside the memory window";
	m[0].problem_offset = 0xfee00000;
	struct run *r = run(m, 2, &p->pf);
	assert_int_equal(r->rc, 1);
	assert_non_null(strstr(r->text, "\nmodule 0 lost.aml: not read, 4096 bytes: range outside "
				       "the memory window\n"));
	assert_non_null(strstr(r->text, "\nrejected lost.aml: not read: range outside the memory "
				       "window\n"));
	assert_null(strstr(r->text, "fee00000")); /* no addresses in a report */
	assert_int_equal(p->n, 1);
	assert_string_equal(p->c[0].source, "ssdt.aml");
	expect_result(&r->res[0], "lost.aml", BOOT_KIND_UNKNOWN, false, BOOT_REJECTED, 0, -1);
	assert_string_equal(r->res[0].reason, "range outside the memory window");
	assert_memory_equal(r->res[0].sha256, zero, 32);
	assert_int_equal(r->res[1].verdict, BOOT_APPLIED);
	check_totals(r, 2);
	run_free(r);
	free(p);
}

/* An overlay whose target the base lacks is refused without a call; with
 * no base at all, overlays are handed on unplanned. */
static void test_overlay_base(void **state)
{
	(void)state;
	struct boot_module m[3] = { module("bad.dtbo", ovl_bad), module("board.dtb", base_dtb),
				    module("overlay.dtbo", ovl) };
	struct platform *p = platform_new();

	struct run *r = run(m, 3, &p->pf);
	assert_int_equal(r->rc, 1);
	assert_non_null(strstr(r->text, "\ndt-overlay bad.dtbo: 1 fragment, base board.dtb: "
				       "rejected: a fragment's target-path names no node of the "
				       "base: /missing\n"));
	assert_int_equal(p->n, 1);
	expect_call(&p->c[0], 'd', "overlay.dtbo", "", ovl);
	assert_int_equal(r->res[0].verdict, BOOT_REJECTED);
	assert_true(r->res[0].valid); /* a good overlay, for another tree */
	assert_int_equal(r->res[2].verdict, BOOT_APPLIED);
	run_free(r);

	/* Without the base: both applied as they are, no plan, no nodes. */
	memset(p, 0, sizeof(*p));
	free(p);
	p = platform_new();
	m[1] = m[2];
	r = run(m, 2, &p->pf);
	assert_int_equal(r->rc, 0);
	assert_non_null(strstr(r->text, "\ndt-overlay bad.dtbo: 1 fragment, no base tree: "
				       "applied\n"));
	assert_int_equal(p->n, 2);
	assert_null(p->c[0].base);
	assert_int_equal(p->c[0].base_len, 0);
	assert_int_equal(p->nr, 2);
	assert_string_equal(p->r[1].reason, "from boot module 1");
	assert_false(p->r[1].have_replaced);
	run_free(r);
	free(p);
}

/* A text buffer too small: cut with "...\n", NUL-terminated, flagged; the
 * log still gets every line, and nothing else changes. */
static void test_truncated_text(void **state)
{
	(void)state;
	struct boot_module m[9];
	struct platform *full = platform_new();

	full_modules(m);
	struct run *whole = run(m, 9, &full->pf);
	const size_t caps[] = { 200, 5, 4, 1, 0 };
	for (size_t k = 0; k < sizeof(caps) / sizeof(caps[0]); k++) {
		struct platform *p = platform_new();
		struct run *r = run_cap(m, 9, &p->pf, caps[k], 80);

		assert_int_equal(r->rc, 1);
		assert_true(r->rep.text_truncated);
		assert_string_equal(p->log, full->log);
		assert_int_equal(p->nr, full->nr);
		assert_int_equal(r->rep.applied, whole->rep.applied);
		if (caps[k] == 0) {
			assert_int_equal(r->rep.text_len, 0);
		} else {
			assert_true(r->rep.text_len < caps[k]);
			assert_int_equal(r->text[r->rep.text_len], '\0');
			assert_int_equal(strlen(r->text), r->rep.text_len);
			/* What is there is the start of the whole report. */
			size_t keep = caps[k] > 4 ? r->rep.text_len - 4 : r->rep.text_len;
			assert_memory_equal(r->text, whole->text, keep);
			if (caps[k] > 4)
				assert_string_equal(r->text + keep, "...\n");
		}
		run_free(r);
		free(p);
	}
	run_free(whole);
	free(full);
}

/* Refusals before anything is handed on: no callback at all. */
static void test_refused_run(void **state)
{
	(void)state;
	struct boot_module m[9];
	struct platform *p = platform_new();
	struct boot_report rep;
	char text[256];
	uint32_t scratch[8];

	full_modules(m);
	struct run *r = run_cap(m, 9, &p->pf, TEXT_CAP, 8);
	assert_int_equal(r->rc, FWK_ERR_NOSPACE);
	assert_int_equal(r->rep.nresults, 0);
	assert_int_equal(r->rep.text_len, 0);
	assert_string_equal(r->text, "");
	run_free(r);

	/* Scratch short of BOOT_SCRATCH_WORDS of the largest module. */
	memset(&rep, 0, sizeof(rep));
	rep.text = text;
	rep.text_cap = sizeof(text);
	rep.results = calloc(9, sizeof(*rep.results));
	rep.results_cap = 9;
	assert_int_equal(boot_pipeline_run(m, 9, &p->pf, scratch, 8, &rep), FWK_ERR_NOSPACE);
	/* Bad arguments. */
	assert_int_equal(boot_pipeline_run(m, 9, &p->pf, scratch, 8, NULL), FWK_ERR_INVAL);
	assert_int_equal(boot_pipeline_run(NULL, 1, &p->pf, scratch, 8, &rep), FWK_ERR_INVAL);
	assert_int_equal(boot_pipeline_run(m, BOOT_MODULES_MAX + 1, &p->pf, scratch, 8, &rep),
			 FWK_ERR_INVAL);
	m[2].data = NULL;
	assert_int_equal(boot_pipeline_run(m, 9, &p->pf, scratch, 8, &rep), FWK_ERR_INVAL);
	full_modules(m);
	m[2].cmdline = NULL;
	assert_int_equal(boot_pipeline_run(m, 9, &p->pf, scratch, 8, &rep), FWK_ERR_INVAL);
	rep.text = NULL;
	assert_int_equal(boot_pipeline_run(m, 0, &p->pf, scratch, 8, &rep), FWK_ERR_INVAL);
	assert_int_equal(p->n + p->nr + p->lines, 0);

	/* No modules at all: a report of nothing (the scratch is still the
	 * contract's BOOT_SCRATCH_WORDS(0)). */
	rep.text = text;
	uint32_t *s64 = malloc(BOOT_SCRATCH_WORDS(0) * sizeof(*s64));
	assert_int_equal(boot_pipeline_run(NULL, 0, &p->pf, s64, BOOT_SCRATCH_WORDS(0) - 1, &rep),
			 FWK_ERR_NOSPACE);
	assert_int_equal(boot_pipeline_run(NULL, 0, &p->pf, s64, BOOT_SCRATCH_WORDS(0), &rep), 0);
	assert_string_equal(text, "fwkit boot report: 0 modules\nsummary: 0 applied, 0 passed, "
				  "0 rejected, 0 failed, 0 no handler, 0 ignored; taint 0x0\n");
	assert_int_equal(p->lines, 2);
	free(s64);
	free(rep.results);
	free(p);
}

/* ---- cpio members ---- */

struct member {
	const char *name;
	struct input in;
};

static struct input make_cpio(const struct member *mem, size_t n)
{
	struct cpio_writer w;
	struct input out = { malloc(1 << 20), 0 };

	assert_non_null(out.b);
	cpio_writer_init(&w, out.b, 1 << 20, 0, 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(cpio_writer_add_file(&w, mem[i].name, 0644, mem[i].in.b,
						      (uint32_t)mem[i].in.len, 0), 0);
	assert_int_equal(cpio_writer_finish(&w, 0), 0);
	out.len = w.off;
	return out;
}

/* A member must be what its path says; the kernel's rules on which files it
 * reads (a vendor's first microcode file, the first 64 tables) hold. */
static void test_cpio_members(void **state)
{
	(void)state;
	struct member mem[70];
	size_t n = 0;
	char names[66][48];

	mem[n++] = (struct member){ UCODE_EARLY_INTEL, ssdt };        /* wrong kind */
	mem[n++] = (struct member){ UCODE_EARLY_INTEL, ucode1 };      /* not the first */
	mem[n++] = (struct member){ "./" UCODE_EARLY_AMD, ucode1 };   /* wrong vendor */
	mem[n++] = (struct member){ "kernel/firmware/acpi/bad.aml", bad_bgrt };
	for (int i = 0; i < 64; i++) {
		snprintf(names[i], sizeof(names[i]), "kernel/firmware/acpi/t%02d.aml", i);
		mem[n++] = (struct member){ names[i], bgrt };
	}
	struct input c = make_cpio(mem, n);
	struct boot_module m[1] = { module("tables.cpio", c) };
	struct platform *p = platform_new();
	struct run *r = run(m, 1, &p->pf);

	assert_int_equal(r->rc, 1);
	assert_non_null(strstr(r->text, "\nmicrocode tables.cpio:" UCODE_EARLY_INTEL ": rejected: "
				       "the path wants ucode-intel, the bytes are acpi-table: SSDT "));
	assert_null(strstr(r->text, "GenuineIntel 1 update"));
	assert_non_null(strstr(r->text, "\nmicrocode tables.cpio:./" UCODE_EARLY_AMD ": rejected: "
				       "the path wants ucode-amd, the bytes are ucode-intel: "));
	assert_non_null(strstr(r->text, "\nacpi tables.cpio:kernel/firmware/acpi/bad.aml: "
				       "rejected: acpi-table BGRT"));
	assert_non_null(strstr(r->text, "\nacpi tables.cpio:kernel/firmware/acpi/t62.aml: BGRT "
				       "LENOVO TP-N3X   rev 4656: applied (acpi-install, taint A)\n"));
	char want[256];
	snprintf(want, sizeof(want), "\nacpi tables.cpio:kernel/firmware/acpi/t63.aml: rejected: "
		 "%s\n", acpi_reason_text(ACPI_WHY_TOO_MANY));
	assert_non_null(strstr(r->text, want));
	assert_int_equal(p->n, 63);
	assert_int_equal(r->rep.applied, 63);
	assert_int_equal(r->rep.rejected, 4);
	expect_result(&r->res[0], "tables.cpio", BOOT_KIND_CPIO, true, BOOT_PASSED, 67,
		      (int)TAINT_OVERRIDDEN_ACPI_TABLE);
	check_totals(r, 1);
	run_free(r);
	free(p);
	free(c.b);
}

/* Overlays of an archive sit 4-byte aligned; libfdt wants 8: the plan runs
 * on an aligned copy in the scratch BOOT_SCRATCH_WORDS makes room for. */
static void test_unaligned_overlay(void **state)
{
	(void)state;
	char src[8192];
	int k = snprintf(src, sizeof(src), "/dts-v1/;\n/plugin/;\n&uart0 { fwkit,blob = [");
	for (int i = 0; i < 2000; i++)
		k += snprintf(src + k, sizeof(src) - (size_t)k, "%02x", i & 0xff);
	snprintf(src + k, sizeof(src) - (size_t)k, "]; };\n");
	struct input big = compile("big.dtbo", src, true);
	struct member mem[1] = { { DT_OVERLAY_DIR "/big.dtbo", big } };
	struct input c = make_cpio(mem, 1);
	struct boot_module m[2] = { module("board.dtb", base_dtb), module("ovl.cpio", c) };
	struct platform *p = platform_new();

	/* The member's data is at a multiple of 4, not of 8. */
	const uint8_t magic[4] = { 0xd0, 0x0d, 0xfe, 0xed };
	const uint8_t *at = memmem(c.b, c.len, magic, 4);
	assert_non_null(at);
	assert_int_equal((uintptr_t)at % 8, 4);
	/* BOOT_SCRATCH_WORDS leaves room for an aligned copy: planned on it
	 * and applied. */
	struct run *r = run(m, 2, &p->pf);
	assert_int_equal(r->rc, 0);
	assert_non_null(strstr(r->text, "/big.dtbo: 1 fragment, base board.dtb: applied\n"));
	assert_int_equal(p->n, 1);
	assert_string_equal(p->r[0].reason, "changed /soc/serial@1000");
	run_free(r);
	free(p);
	free(c.b);
	free(big.b);
}

/* Hints: contradicted ones reject, fwkit=ignore ignores a good table. */
static void test_hints(void **state)
{
	(void)state;
	struct boot_module m[3] = {
		module("junk.bin fwkit=acpi-table", (struct input){ (uint8_t *)junk, sizeof(junk) }),
		module("ssdt.aml fwkit=ignore", ssdt),
		module("ucode", (struct input){ (uint8_t *)junk, sizeof(junk) }),
	};
	struct platform *p = platform_new();

	m[2].role = BOOT_ROLE_MICROCODE;
	struct run *r = run(m, 3, &p->pf);
	assert_int_equal(r->rc, 1);
	assert_non_null(strstr(r->text, "\nrejected junk.bin: unknown: command line says "
				       "fwkit=acpi-table"));
	assert_non_null(strstr(r->text, "\nignored ssdt.aml: unknown: ignored (fwkit=ignore)\n"));
	assert_non_null(strstr(r->text, "\nrejected ucode: unknown: /chosen says microcode"));
	assert_int_equal(p->n, 0);
	assert_int_equal(r->res[0].verdict, BOOT_REJECTED);
	assert_int_equal(r->res[1].verdict, BOOT_IGNORED);
	assert_int_equal(r->res[2].verdict, BOOT_REJECTED);
	assert_int_equal(r->rep.ignored, 1);
	run_free(r);
	free(p);
}

/* Report names: the first word, escaped, cut to fit; else module<N>. */
static void test_names(void **state)
{
	(void)state;
	static const char nasty[] = "  tab\there\x01\xff name";
	char longw[200];
	struct boot_module m[3] = { module(nasty, ssdt), module(longw, ssdt),
				    module("   ", ssdt) };
	struct platform *p = platform_new();

	memset(longw, 'n', sizeof(longw) - 1);
	longw[sizeof(longw) - 1] = '\0';
	m[1].cmdline_len = (uint32_t)strlen(longw);
	struct run *r = run(m, 3, &p->pf);
	assert_string_equal(r->res[0].name, "tab\\x09here\\x01\\xff");
	assert_int_equal(strlen(r->res[1].name), 63);
	assert_string_equal(r->res[2].name, "module2");
	assert_string_equal(p->c[0].source, "tab\\x09here\\x01\\xff");
	assert_string_equal(p->r[0].source, "tab\\x09here\\x01\\xff");
	run_free(r);
	free(p);
}

static void test_verdict_names(void **state)
{
	(void)state;
	static const char *const want[] = { "applied", "passed", "rejected", "failed",
					     "no handler", "ignored" };

	for (int v = BOOT_APPLIED; v <= BOOT_IGNORED; v++)
		assert_string_equal(boot_verdict_name((enum boot_verdict)v), want[v - 1]);
	assert_string_equal(boot_verdict_name((enum boot_verdict)0), "?");
	assert_string_equal(boot_verdict_name((enum boot_verdict)99), "?");
}

static int setup(void **state)
{
	(void)state;
	if (sh("command -v dtc >/dev/null") != 0) {
		fprintf(stderr, "test_pipeline needs dtc (device-tree-compiler)\n");
		return -1;
	}
	if (access(fwkit_cli(), X_OK) != 0) {
		fprintf(stderr, "test_pipeline needs the fwkit CLI at %s (make all, or set "
				"FWKIT)\n", fwkit_cli());
		return -1;
	}
	tmp = temp_dir("pipeline");
	ssdt = corpus("acpi/linuxhw/0025/ssdt11.dat");
	ssdt2 = corpus("acpi/linuxhw/0025/ssdt21.dat");
	bgrt = corpus("acpi/linuxhw/0025/bgrt.dat");
	ucode1 = corpus("microcode/intel/06-1e-05");
	ucode2 = corpus("microcode/intel/0f-00-07");
	base_dtb = compile("base.dtb", base_src, true);
	ovl = compile("overlay.dtbo", ovl_src, true);
	ovl2 = compile("extra.dtbo", ovl2_src, true);
	ovl_bad = compile("bad.dtbo", ovl_bad_src, true);

	char *payload = path_of("pmic.bin"), *out = path_of("pmic.fwb");
	char data[300];
	memset(data, 'P', sizeof(data));
	spew(payload, data, sizeof(data));
	if (sh("'%s' blob pack --target ti,tps65219 --type pmic --version 3 -o '%s' '%s' "
	       ">/dev/null", fwkit_cli(), out, payload) != 0)
		return -1;
	fwb = read_input(out);
	free(payload);
	free(out);
	cpio = build_cpio();
	bad_bgrt.b = exact_copy(bgrt.b, bgrt.len);
	bad_bgrt.len = bgrt.len;
	bad_bgrt.b[40] ^= 0x01;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	struct input *all[] = { &ssdt, &ssdt2, &bgrt, &ucode1, &ucode2, &base_dtb, &ovl,
				&ovl2, &ovl_bad, &fwb, &cpio, &bad_bgrt };
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		free(all[i]->b);
	remove_dir(tmp);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_run),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_failing_callback),
		cmocka_unit_test(test_no_handler),
		cmocka_unit_test(test_protocol_problem),
		cmocka_unit_test(test_overlay_base),
		cmocka_unit_test(test_truncated_text),
		cmocka_unit_test(test_refused_run),
		cmocka_unit_test(test_cpio_members),
		cmocka_unit_test(test_unaligned_overlay),
		cmocka_unit_test(test_hints),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_verdict_names),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

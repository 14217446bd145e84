/* SPDX-License-Identifier: MIT */
/* test_dt_check.c - cmocka tests of dt_check and dt_node_path_at: QEMU's
 * arm64 virt trees and dtc-compiled trees and overlays (counts checked
 * against fdtdump and fdtget), every truncation and every header byte of a
 * real tree, one named defect per rule (patched dtc output, or trees written
 * with libfdt's sequential-write functions where dtc cannot express the
 * defect), each dtc-style warning, worst-case scratch use. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../support/testkit.h"

#include <libfdt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <fwkit/dt.h>

/* Header field offsets (Devicetree Specification v0.4, 5.2). */
#define MAGIC 0
#define TOTALSIZE 4
#define OFF_DT_STRUCT 8
#define OFF_DT_STRINGS 12
#define OFF_MEM_RSVMAP 16
#define VERSION 20
#define LAST_COMP_VERSION 24
#define BOOT_CPUID_PHYS 28
#define SIZE_DT_STRINGS 32
#define SIZE_DT_STRUCT 36

static char *tmp; /* this program's scratch directory */

/* ---- bytes --------------------------------------------------------------- */

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Offset of the NUL-terminated name in the strings block. */
static size_t string_at(const uint8_t *b, const char *name)
{
	size_t s = get32(b + OFF_DT_STRINGS), n = get32(b + SIZE_DT_STRINGS);

	for (size_t i = s; i + strlen(name) < s + n; i++)
		if ((i == s || b[i - 1] == 0) && memcmp(b + i, name, strlen(name) + 1) == 0)
			return i;
	fail_msg("no string %s", name);
	return 0;
}

/* FDT_BEGIN_NODE of a node, by libfdt (independent of dt_check.c). */
static size_t node_at(const uint8_t *b, const char *path)
{
	int no = fdt_path_offset(b, path);

	if (no < 0)
		fail_msg("libfdt finds no %s: %s", path, fdt_strerror(no));
	return get32(b + OFF_DT_STRUCT) + (size_t)no;
}

/* FDT_PROP of a node's property, by libfdt. */
static size_t prop_at(const uint8_t *b, const char *path, const char *name)
{
	int len;
	const struct fdt_property *p = fdt_get_property(b, fdt_path_offset(b, path), name, &len);

	if (!p)
		fail_msg("libfdt finds no %s:%s", path, name);
	return (size_t)((const uint8_t *)p - b);
}

/* The end of a v17 structure block (dtc writes FDT_END as its last word). */
static size_t struct_end(const uint8_t *b)
{
	return get32(b + OFF_DT_STRUCT) + get32(b + SIZE_DT_STRUCT);
}

/* ---- producing trees ----------------------------------------------------- */

static int counter;

/* Compile a device-tree source with dtc (flags such as "-@"); "-q" keeps
 * dtc's own warnings quiet, the sources that need silence say so. */
static uint8_t *compile(const char *dts, const char *flags, size_t *len)
{
	char src[PATH_MAX], out[PATH_MAX];

	snprintf(src, sizeof(src), "%s/t%d.dts", tmp, counter);
	snprintf(out, sizeof(out), "%s/t%d.dtb", tmp, counter++);
	spew(src, dts, strlen(dts));
	/* -f writes trees dtc itself finds wrong; its complaints go to .err */
	if (sh("dtc -q %s -I dts -O dtb -o '%s' '%s' 2>'%s.err'", flags, out, src, out) != 0) {
		sh("cat '%s.err' >&2", out);
		fail_msg("dtc refused:\n%s", dts);
	}
	return slurp(out, len);
}

/* Compile a source that must be clean: dtc itself prints nothing. */
static uint8_t *compile_clean(const char *dts, size_t *len, char *file, size_t cap)
{
	char src[PATH_MAX], err[PATH_MAX];
	size_t n;

	snprintf(src, sizeof(src), "%s/t%d.dts", tmp, counter);
	snprintf(err, sizeof(err), "%s/t%d.err", tmp, counter);
	snprintf(file, cap, "%s/t%d.dtb", tmp, counter++);
	spew(src, dts, strlen(dts));
	if (sh("dtc -@ -I dts -O dtb -o '%s' '%s' 2>'%s'", file, src, err) != 0)
		fail_msg("dtc refused:\n%s", dts);
	uint8_t *e = slurp(err, &n);
	if (n)
		fail_msg("dtc warns about a source meant to be clean:\n%.*s", (int)n, (char *)e);
	free(e);
	return slurp(file, len);
}

/* The number a shell pipeline prints. */
static long count_of(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	long v = -1;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	if (fscanf(p, "%ld", &v) != 1)
		v = -1;
	pclose(p);
	if (v < 0)
		fail_msg("no number from: %s", cmd);
	return v;
}

/* Trees written token by token with libfdt's sequential-write functions,
 * which (unlike dtc) write whatever they are told. */
#define SW(call) assert_int_equal((call), 0)

static uint8_t *sw_start(size_t cap)
{
	uint8_t *b = calloc(1, cap);

	assert_non_null(b);
	SW(fdt_create(b, (int)cap));
	SW(fdt_finish_reservemap(b));
	return b;
}

static uint8_t *sw_finish(uint8_t *b, size_t *len)
{
	SW(fdt_finish(b));
	*len = fdt_totalsize(b);
	uint8_t *c = exact_copy(b, *len);
	free(b);
	return c;
}

/* ---- running the check --------------------------------------------------- */

#define MAX_SEEN 64

struct seen {
	size_t len;
	unsigned n;
	char check[MAX_SEEN][40];
	char path[MAX_SEEN][DT_PATH_MAX];
	uint64_t offset[MAX_SEEN];
};

static void on_warn(void *ctx, uint64_t offset, const char *path, const char *check,
		    const char *detail)
{
	struct seen *s = ctx;

	assert_non_null(path);
	assert_non_null(check);
	assert_non_null(detail);
	assert_true(strlen(detail) > 0);
	assert_true(offset < s->len);
	assert_true(strlen(path) < DT_PATH_MAX && path[0] == '/');
	if (s->n < MAX_SEEN) {
		snprintf(s->check[s->n], sizeof(s->check[0]), "%s", check);
		snprintf(s->path[s->n], sizeof(s->path[0]), "%s", path);
		s->offset[s->n] = offset;
	}
	s->n++;
}

static unsigned seen_count(const struct seen *s, const char *check, const char *path)
{
	unsigned n = 0;

	for (unsigned i = 0; i < s->n && i < MAX_SEEN; i++)
		if (strcmp(s->check[i], check) == 0 && (!path || strcmp(s->path[i], path) == 0))
			n++;
	return n;
}

/* dt_check over an exact-size copy with exact-size scratch (ASan sees any
 * read past either), checking the input is left alone and a fault is well
 * formed. */
static int run(const uint8_t *b, size_t len, struct dt_summary *sum, struct fwk_fault *f,
	       struct seen *s)
{
	static struct seen none;
	struct dt_summary dummy;
	struct fwk_fault fdummy;
	size_t words = DT_SCRATCH_WORDS(len);
	uint8_t *c = exact_copy(b, len);
	uint32_t *scratch = malloc(words * sizeof(*scratch));

	if (!s)
		s = &none;
	if (!sum)
		sum = &dummy;
	if (!f)
		f = &fdummy;
	assert_non_null(scratch);
	memset(s, 0, sizeof(*s));
	memset(f, 0, sizeof(*f));
	s->len = len;
	int rc = dt_check(c, len, scratch, words, on_warn, s, sum, f);
	if (len)
		assert_memory_equal(c, b, len);
	if (rc < 0) {
		assert_int_equal(f->error, rc);
		assert_non_null(f->field);
		assert_non_null(f->detail);
		assert_true(f->offset < len || (len == 0 && f->offset == 0));
		assert_int_not_equal(rc, FWK_ERR_NOSPACE);
	} else {
		assert_int_equal(rc, 0);
		assert_int_equal(sum->warnings, s->n);
	}
	free(scratch);
	free(c);
	return rc;
}

static void expect_ok(const uint8_t *b, size_t len, struct dt_summary *sum)
{
	struct fwk_fault f;
	int rc = run(b, len, sum, &f, NULL);

	if (rc)
		fail_msg("dt_check: %d at %llu: %s: %s", rc, (unsigned long long)f.offset,
			 f.field, f.detail);
}

/* One fault: its code, field, a word of its detail, and (unless -1) where. */
static void expect_fault_at(const uint8_t *b, size_t len, int code, const char *field,
			    const char *detail_word, long long at)
{
	struct fwk_fault f;
	int rc = run(b, len, NULL, &f, NULL);

	if (rc != code || strcmp(f.field, field) != 0 ||
	    (detail_word && !strstr(f.detail, detail_word)) ||
	    (at >= 0 && f.offset != (uint64_t)at))
		fail_msg("expected %d %s (%s) at %lld, got %d %s: %s at %llu", code, field,
			 detail_word ? detail_word : "", at, rc, rc ? f.field : "-",
			 rc ? f.detail : "-", (unsigned long long)f.offset);
}

static void expect_fault(const uint8_t *b, size_t len, int code, const char *field,
			 const char *detail_word)
{
	expect_fault_at(b, len, code, field, detail_word, -1);
}

/* ---- sources ------------------------------------------------------------- */

/* A clean board: dtc -@ prints nothing for it. */
static const char base_dts[] =
	"/dts-v1/;\n"
	"/memreserve/ 0x80000000 0x100000;\n"
	"/memreserve/ 0x90000000 0x1000;\n"
	"/ {\n"
	"	#address-cells = <1>;\n"
	"	#size-cells = <1>;\n"
	"	compatible = \"fwkit,test\";\n"
	"	model = \"fwkit test board\";\n"
	"	chosen { bootargs = \"console=ttyS0\"; };\n"
	"	aliases { serial0 = &uart0; };\n"
	"	memory@40000000 { device_type = \"memory\"; reg = <0x40000000 0x10000000>; };\n"
	"	soc: soc {\n"
	"		compatible = \"simple-bus\";\n"
	"		#address-cells = <1>;\n"
	"		#size-cells = <1>;\n"
	"		ranges;\n"
	"		intc: interrupt-controller@1000 {\n"
	"			compatible = \"arm,gic-400\";\n"
	"			reg = <0x1000 0x100>;\n"
	"			interrupt-controller;\n"
	"			#interrupt-cells = <3>;\n"
	"			#address-cells = <0>;\n"
	"		};\n"
	"		i2c1: i2c@2000 {\n"
	"			compatible = \"vendor,i2c\";\n"
	"			reg = <0x2000 0x100>;\n"
	"			interrupt-parent = <&intc>;\n"
	"			interrupts = <0 1 4>;\n"
	"			#address-cells = <1>;\n"
	"			#size-cells = <0>;\n"
	"			status = \"disabled\";\n"
	"			eeprom@50 { compatible = \"atmel,24c02\"; reg = <0x50>; };\n"
	"		};\n"
	"		uart0: serial@3000 {\n"
	"			compatible = \"ns16550a\";\n"
	"			reg = <0x3000 0x100>;\n"
	"			interrupt-parent = <&intc>;\n"
	"			interrupts = <0 2 4>;\n"
	"		};\n"
	"	};\n"
	"};\n";

/* An overlay: targets by label, by &{/path}, by target-path and by a label
 * of the base again; local references between its own nodes, nested. */
static const char ovl_dts[] =
	"/dts-v1/;\n"
	"/plugin/;\n"
	"&i2c1 {\n"
	"	status = \"okay\";\n"
	"	sensor: sensor@48 {\n"
	"		compatible = \"ti,tmp102\";\n"
	"		reg = <0x48>;\n"
	"		interrupt-parent = <&gpio>;\n"
	"	};\n"
	"};\n"
	"&{/soc} {\n"
	"	gpio: gpio@4000 {\n"
	"		compatible = \"vendor,gpio\";\n"
	"		reg = <0x4000 0x100>;\n"
	"		gpio-controller;\n"
	"		#gpio-cells = <2>;\n"
	"		nested { deeper { user = <&sensor &gpio>; }; };\n"
	"	};\n"
	"};\n"
	"/ {\n"
	"	fragment@10 {\n"
	"		target-path = \"/chosen\";\n"
	"		__overlay__ { bootargs = \"console=ttyS0,115200\"; };\n"
	"	};\n"
	"	fragment@11 {\n"
	"		target = <&uart0>;\n"
	"		__overlay__ { status = \"okay\"; };\n"
	"	};\n"
	"};\n";

/* Labels used several times and at offsets other than 0. */
static const char ovl2_dts[] =
	"/dts-v1/;\n"
	"/plugin/;\n"
	"&soc {\n"
	"	a@5000 { reg = <0x5000 0x10>; interrupt-parent = <&intc>; clocks = <&c1 1 &c2 2>; };\n"
	"	b@6000 { reg = <0x6000 0x10>; interrupt-parent = <&intc>; };\n"
	"	c1: clock-1 { #clock-cells = <1>; };\n"
	"	c2: clock-2 { #clock-cells = <1>; };\n"
	"};\n";

/* A tree with hand-written overlay nodes (compiled without -@): each test
 * swaps one of them for a broken one.  dev@1000's clocks point at clk
 * (phandle 2), sub's link at dev@1000 (phandle 1). */
static char *hand(const char *sym, const char *fix, const char *local, const char *extra)
{
	static const char fmt[] =
		"/dts-v1/;\n"
		"/ {\n"
		"	#address-cells = <1>;\n"
		"	#size-cells = <1>;\n"
		"	dev@1000 { reg = <0x1000 0x10>; phandle = <1>; clocks = <2 0>; };\n"
		"	clk { phandle = <2>; #clock-cells = <1>; };\n"
		"	fragment@0 {\n"
		"		target = <0xffffffff>;\n"
		"		__overlay__ { status = \"okay\"; sub { link = <1>; }; };\n"
		"	};\n"
		"	%s\n	%s\n	%s\n	%s\n"
		"};\n";
	char *s = NULL;

	if (!sym)
		sym = "__symbols__ { d = \"/dev@1000\"; c = \"/clk\"; };";
	if (!fix)
		fix = "__fixups__ { ext = \"/fragment@0:target:0\"; };";
	if (!local)
		local = "__local_fixups__ { dev@1000 { clocks = <0>; };"
			" fragment@0 { __overlay__ { sub { link = <0>; }; }; }; };";
	if (!extra)
		extra = "";
	assert_true(asprintf(&s, fmt, sym, fix, local, extra) > 0);
	return s;
}

static uint8_t *hand_dtb(const char *sym, const char *fix, const char *local,
			 const char *extra, size_t *len)
{
	char *src = hand(sym, fix, local, extra);
	uint8_t *b = compile(src, "-f", len);

	free(src);
	return b;
}

static void expect_hand(const char *sym, const char *fix, const char *local, const char *extra,
			int code, const char *field, const char *detail_word)
{
	size_t len;
	uint8_t *b = hand_dtb(sym, fix, local, extra, &len);

	if (code == 0)
		expect_ok(b, len, NULL);
	else
		expect_fault(b, len, code, field, detail_word);
	free(b);
}

/* ---- real trees ---------------------------------------------------------- */

/* Header fields, and node / property / phandle / depth counts as fdtdump
 * prints them. */
static void check_counts(const char *file, const uint8_t *b, const struct dt_summary *s)
{
	assert_int_equal(s->totalsize, get32(b + TOTALSIZE));
	assert_int_equal(s->version, get32(b + VERSION));
	assert_int_equal(s->last_comp_version, get32(b + LAST_COMP_VERSION));
	assert_int_equal(s->boot_cpuid_phys, get32(b + BOOT_CPUID_PHYS));
	assert_int_equal(s->off_mem_rsvmap, get32(b + OFF_MEM_RSVMAP));
	assert_int_equal(s->off_dt_struct, get32(b + OFF_DT_STRUCT));
	assert_int_equal(s->off_dt_strings, get32(b + OFF_DT_STRINGS));
	assert_int_equal(s->size_dt_strings, get32(b + SIZE_DT_STRINGS));
	if (s->version >= 17)
		assert_int_equal(s->size_dt_struct, get32(b + SIZE_DT_STRUCT));
	assert_int_equal(s->nodes, count_of("fdtdump '%s' 2>/dev/null | grep -c ' {$'", file));
	assert_int_equal(s->properties,
			 count_of("fdtdump '%s' 2>/dev/null | grep -cE '^ *[^ /{}][^ ]*( = .*)?;$'",
				  file));
	assert_int_equal(s->phandles,
			 count_of("fdtdump '%s' 2>/dev/null | grep -cE '^ *phandle = '", file));
	assert_int_equal(s->max_depth,
			 count_of("fdtdump '%s' 2>/dev/null | sed -n 's/^\\( *\\).* {$/\\1/p' | "
				  "awk '{ if (length > m) m = length } END { print m / 4 }'",
				  file));
	assert_int_equal(s->reserve_entries,
			 count_of("fdtdump '%s' 2>/dev/null | grep -c '^/memreserve/'", file));
}

static void test_qemu_virt(void **state)
{
	static const char *const variants[] = {
		"virt", "virt,gic-version=3", "virt,virtualization=on",
		"virt,gic-version=3,virtualization=on,secure=on",
	};
	(void)state;

	for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		char file[PATH_MAX];
		size_t len;
		struct dt_summary s;
		struct seen w;

		snprintf(file, sizeof(file), "%s/qemu%zu.dtb", tmp, i);
		if (sh("qemu-system-aarch64 -M %s,dumpdtb='%s' -cpu cortex-a57 -nographic "
		       ">/dev/null 2>&1", variants[i], file) != 0)
			fail_msg("qemu-system-aarch64 could not dump the %s tree", variants[i]);
		uint8_t *b = slurp(file, &len);
		assert_int_equal(run(b, len, &s, NULL, &w), 0);
		check_counts(file, b, &s);
		assert_true(s.nodes > 40 && s.phandles >= 5);
		assert_int_equal(s.warnings, 0);
		assert_false(s.overlay || s.has_symbols || s.has_fixups || s.has_local_fixups);
		/* QEMU writes a 1 MiB tree: the same, packed, is still good */
		char packed[PATH_MAX];
		snprintf(packed, sizeof(packed), "%s/qemu%zu-packed.dtb", tmp, i);
		assert_int_equal(sh("dtc -q -I dtb -O dtb -o '%s' '%s'", packed, file), 0);
		size_t plen;
		uint8_t *p = slurp(packed, &plen);
		struct dt_summary ps;
		expect_ok(p, plen, &ps);
		assert_true(plen < len);
		assert_int_equal(ps.nodes, s.nodes);
		assert_int_equal(ps.properties, s.properties);
		free(p);
		free(b);
	}
}

static void test_clean_trees(void **state)
{
	char file[PATH_MAX];
	size_t len;
	struct dt_summary s;
	struct seen w;
	(void)state;

	uint8_t *b = compile_clean(base_dts, &len, file, sizeof(file));
	assert_int_equal(run(b, len, &s, NULL, &w), 0);
	check_counts(file, b, &s);
	assert_int_equal(s.warnings, 0);
	assert_int_equal(s.reserve_entries, 2);
	assert_int_equal(s.phandles, 4); /* dtc -@ gives each labelled node one */
	assert_true(s.has_symbols);
	assert_int_equal(s.symbols, count_of("fdtget -p '%s' /__symbols__ | wc -l", file));
	assert_int_equal(s.symbols, 4);
	assert_false(s.overlay || s.has_fixups || s.has_local_fixups);
	assert_int_equal(s.fragments + s.fixups + s.fixup_refs + s.local_fixup_refs, 0);
	free(b);

	/* version 16 (no size_dt_struct): the block ends at its FDT_END */
	b = compile(base_dts, "-@ -V 16", &len);
	assert_int_equal(get32(b + VERSION), 16);
	expect_ok(b, len, &s);
	assert_int_equal(s.version, 16);
	assert_int_equal(s.size_dt_struct, get32(b + OFF_DT_STRINGS) - get32(b + OFF_DT_STRUCT));
	free(b);

	/* trailing bytes after totalsize are ignored */
	b = compile(base_dts, "-@", &len);
	uint8_t *big = calloc(1, len + 100);
	assert_non_null(big);
	memcpy(big, b, len);
	expect_ok(big, len + 100, &s);
	assert_int_equal(s.totalsize, len);
	free(big);
	free(b);

	/* phandle and linux,phandle both, equal: one phandle */
	b = compile("/dts-v1/;\n/ { a { phandle = <5>; linux,phandle = <5>; };"
		    " b { linux,phandle = <6>; }; };\n", "", &len);
	expect_ok(b, len, &s);
	assert_int_equal(s.phandles, 2);
	free(b);
}

static void test_overlays(void **state)
{
	char file[PATH_MAX];
	size_t len;
	struct dt_summary s;
	struct seen w;
	(void)state;

	uint8_t *b = compile(ovl_dts, "-@", &len);
	snprintf(file, sizeof(file), "%s/ovl.dtbo", tmp);
	spew(file, b, len);
	assert_int_equal(run(b, len, &s, NULL, &w), 0);
	check_counts(file, b, &s);
	assert_true(s.overlay);
	assert_int_equal(s.fragments, 4);
	assert_int_equal(s.fixups, count_of("fdtget -p '%s' /__fixups__ | wc -l", file));
	assert_int_equal(s.fixups, 2);     /* i2c1, uart0 */
	assert_int_equal(s.fixup_refs, 2);
	assert_int_equal(s.local_fixup_refs, 3); /* interrupt-parent, user x 2 */
	assert_int_equal(s.symbols, 2);
	assert_int_equal(s.phandles, 2);
	assert_true(s.has_symbols && s.has_fixups && s.has_local_fixups);
	/* reg in a direct child of __overlay__: the target's cells are unknown */
	assert_int_equal(s.warnings, 0);
	free(b);

	b = compile(ovl2_dts, "-@", &len);
	snprintf(file, sizeof(file), "%s/ovl2.dtbo", tmp);
	spew(file, b, len);
	assert_int_equal(run(b, len, &s, NULL, &w), 0);
	check_counts(file, b, &s);
	assert_int_equal(s.fragments, 1);
	assert_int_equal(s.fixups, 2);     /* soc, intc */
	assert_int_equal(s.fixup_refs, 3); /* the target, two interrupt-parents */
	assert_int_equal(s.local_fixup_refs, 2); /* clocks at 0 and 8 */
	assert_int_equal(s.warnings, 0);
	free(b);

	/* the hand-written overlay every defect below starts from */
	b = hand_dtb(NULL, NULL, NULL, NULL, &len);
	assert_int_equal(run(b, len, &s, NULL, &w), 0);
	assert_int_equal(s.fragments, 1);
	assert_int_equal(s.fixups, 1);
	assert_int_equal(s.fixup_refs, 1);
	assert_int_equal(s.local_fixup_refs, 2);
	assert_int_equal(s.symbols, 2);
	assert_int_equal(s.phandles, 2);
	assert_int_equal(s.warnings, 0);
	free(b);
	/* a target that is a plain phandle needs no fixup; "/" is a node */
	expect_hand("__symbols__ { r = \"/\"; };", NULL, NULL,
		    "fragment@1 { target = <2>; __overlay__ { }; };"
		    " fragment@2 { target-path = \"/clk\"; __overlay__ { }; };", 0, NULL, NULL);
}

/* ---- truncation and the header ------------------------------------------- */

static void test_every_truncation(void **state)
{
	size_t len;
	(void)state;

	uint8_t *b = compile(base_dts, "-@", &len);
	assert_int_equal(get32(b + TOTALSIZE), len);
	for (size_t n = 0; n < len; n++) {
		struct fwk_fault f;
		int rc = run(b, n, NULL, &f, NULL);
		assert_int_equal(rc, FWK_ERR_TRUNCATED);
		if (n < 40) {
			assert_string_equal(f.field, "header");
		} else {
			assert_string_equal(f.field, "totalsize");
			assert_int_equal(f.offset, TOTALSIZE);
		}
	}
	expect_ok(b, len, NULL);
	free(b);
}

/* Every value of every header byte: the rules catch each change except a
 * version of 16 or more, a last_comp_version up to 17, any boot_cpuid_phys,
 * and an off_mem_rsvmap moved onto a later entry of the map (a shorter map
 * that still ends with its (0, 0) entry). */
static void test_every_header_byte(void **state)
{
	size_t len;
	unsigned caught = 0, passed = 0;
	(void)state;

	uint8_t *b = compile(base_dts, "-@", &len);
	uint8_t *m = malloc(len);
	assert_non_null(m);
	for (unsigned i = 0; i < DT_HEADER_SIZE; i++) {
		for (unsigned v = 0; v < 256; v++) {
			if (v == b[i])
				continue;
			memcpy(m, b, len);
			m[i] = (uint8_t)v;
			uint32_t field = get32(m + i / 4 * 4);
			struct fwk_fault f;
			int rc = run(m, len, NULL, &f, NULL);
			int want;

			switch (i / 4 * 4) {
			case MAGIC:
				want = FWK_ERR_BADMAGIC;
				break;
			case TOTALSIZE:
				want = field > len ? FWK_ERR_TRUNCATED : FWK_ERR_RANGE;
				break;
			case VERSION:
				want = field < 16 ? FWK_ERR_UNSUPPORTED : 0;
				break;
			case LAST_COMP_VERSION:
				want = field > 17 ? FWK_ERR_UNSUPPORTED : 0;
				break;
			case BOOT_CPUID_PHYS:
				want = 0;
				break;
			case OFF_MEM_RSVMAP:
				/* the map's second or third entry starts a
				 * shorter map that still ends right */
				want = field == get32(b + OFF_MEM_RSVMAP) + 16 ||
				       field == get32(b + OFF_MEM_RSVMAP) + 32 ? 0 : 1;
				break;
			default:
				want = 1; /* any refusal */
				break;
			}
			if (want == 1 ? rc >= 0 : rc != want)
				fail_msg("header byte %u = 0x%02x: got %d (%s: %s), want %d", i, v,
					 rc, rc ? f.field : "", rc ? f.detail : "", want);
			/* what passes here passes libfdt's (the kernel's) check too */
			if (rc == 0 && fdt_check_full(m, len) != 0)
				fail_msg("header byte %u = 0x%02x: passed, but libfdt refuses it",
					 i, v);
			if (rc)
				caught++;
			else
				passed++;
		}
	}
	assert_int_equal(caught + passed, 40 * 255);
	assert_true(passed > 255 * 4 && caught > 255 * 30);
	free(m);
	free(b);
}

static void test_header_defects(void **state)
{
	size_t len;
	(void)state;

	uint8_t *b = compile(base_dts, "-@", &len);
	uint8_t *m = malloc(len + 64);
	assert_non_null(m);
	const uint32_t st = get32(b + OFF_DT_STRUCT), ss = get32(b + SIZE_DT_STRUCT);
	const uint32_t str = get32(b + OFF_DT_STRINGS), rsv = get32(b + OFF_MEM_RSVMAP);

#define PATCH(off, v) (memcpy(m, b, len), put32(m + (off), (v)))
	PATCH(MAGIC, 0xedfe0dd0);
	expect_fault_at(m, len, FWK_ERR_BADMAGIC, "magic", NULL, 0);
	expect_fault(m, 3, FWK_ERR_TRUNCATED, "header", NULL);
	PATCH(VERSION, 15);
	expect_fault_at(m, len, FWK_ERR_UNSUPPORTED, "version", NULL, VERSION);
	PATCH(LAST_COMP_VERSION, 18);
	expect_fault_at(m, len, FWK_ERR_UNSUPPORTED, "last_comp_version", NULL,
			LAST_COMP_VERSION);
	/* a tree compatible only with a version newer than its own */
	PATCH(VERSION, 16);
	put32(m + LAST_COMP_VERSION, 17);
	expect_fault_at(m, len, FWK_ERR_BADFIELD, "last_comp_version", "version",
			LAST_COMP_VERSION);
	PATCH(TOTALSIZE, (uint32_t)len + 1);
	expect_fault_at(m, len, FWK_ERR_TRUNCATED, "totalsize", NULL, TOTALSIZE);
	PATCH(TOTALSIZE, 39);
	expect_fault_at(m, len, FWK_ERR_RANGE, "totalsize", NULL, TOTALSIZE);
	PATCH(OFF_DT_STRUCT, st + 2);
	expect_fault_at(m, len, FWK_ERR_BADFIELD, "off_dt_struct", "multiple of 4", OFF_DT_STRUCT);
	PATCH(OFF_MEM_RSVMAP, rsv + 4);
	expect_fault_at(m, len, FWK_ERR_BADFIELD, "off_mem_rsvmap", "multiple of 8",
			OFF_MEM_RSVMAP);
	PATCH(OFF_DT_STRUCT, ((uint32_t)len + 3) & ~3u);
	expect_fault(m, len, FWK_ERR_RANGE, "off_dt_struct", "past totalsize");
	PATCH(SIZE_DT_STRUCT, (uint32_t)len);
	expect_fault(m, len, FWK_ERR_RANGE, "size_dt_struct", "past totalsize");
	PATCH(OFF_DT_STRINGS, (uint32_t)len + 8);
	expect_fault(m, len, FWK_ERR_RANGE, "off_dt_strings", "past totalsize");
	PATCH(SIZE_DT_STRINGS, get32(b + SIZE_DT_STRINGS) + 1);
	expect_fault(m, len, FWK_ERR_RANGE, "size_dt_strings", "past totalsize");
	/* struct overlapping strings, each way round */
	PATCH(SIZE_DT_STRUCT, ss + 4);
	expect_fault_at(m, len, FWK_ERR_RANGE, "size_dt_struct", "strings block", SIZE_DT_STRUCT);
	PATCH(OFF_DT_STRINGS, st - 8);
	expect_fault_at(m, len, FWK_ERR_RANGE, "size_dt_strings", "structure block",
			SIZE_DT_STRINGS);
	PATCH(OFF_DT_STRINGS, st);
	expect_fault(m, len, FWK_ERR_RANGE, "off_dt_strings", "starts where");
	/* blocks over the header */
	PATCH(OFF_DT_STRINGS, 16);
	put32(m + SIZE_DT_STRINGS, 8);
	expect_fault_at(m, len, FWK_ERR_RANGE, "off_dt_strings", "header", OFF_DT_STRINGS);
	/* an empty strings block still starts after the header (libfdt) */
	PATCH(OFF_DT_STRINGS, 0);
	put32(m + SIZE_DT_STRINGS, 0);
	expect_fault_at(m, len, FWK_ERR_RANGE, "off_dt_strings", "header", OFF_DT_STRINGS);
	PATCH(OFF_MEM_RSVMAP, 32);
	expect_fault(m, len, FWK_ERR_RANGE, "off_mem_rsvmap", "header");
	PATCH(OFF_DT_STRUCT, 36);
	expect_fault(m, len, FWK_ERR_RANGE, "off_dt_struct", "header");
	/* the reservation map inside another block, or without its end */
	PATCH(OFF_MEM_RSVMAP, (st + 15) & ~7u);
	expect_fault(m, len, FWK_ERR_RANGE, "off_mem_rsvmap", "structure block");
	PATCH(OFF_MEM_RSVMAP, (str + 7) & ~7u);
	expect_fault(m, len, FWK_ERR_RANGE, "off_mem_rsvmap", NULL);
	/* two reservations, then the (0, 0) entry: make that last one (0, 1) */
	assert_int_equal(st - rsv, 3 * 16);
	PATCH(rsv + 2 * 16 + 12, 1);
	expect_fault_at(m, len, FWK_ERR_RANGE, "off_mem_rsvmap", "(0, 0)", rsv);
	/* an address with a zero size is an entry, not the end */
	PATCH(rsv + 2 * 16, 0x1000);
	expect_fault(m, len, FWK_ERR_RANGE, "off_mem_rsvmap", "(0, 0)");
#undef PATCH
	free(m);
	free(b);
}

/* ---- the structure block ------------------------------------------------- */

static void test_token_defects(void **state)
{
	size_t len;
	(void)state;

	uint8_t *b = compile(base_dts, "-@", &len);
	uint8_t *m = malloc(len + 8);
	assert_non_null(m);
	const uint32_t st = get32(b + OFF_DT_STRUCT);
	const size_t end = struct_end(b) - 4; /* FDT_END */
	assert_int_equal(get32(b + end), 9);
	assert_int_equal(get32(b + end - 4), 2); /* the root's FDT_END_NODE */

	/* an unknown token: the first property of /chosen becomes 7 */
	size_t p = prop_at(b, "/chosen", "bootargs");
	memcpy(m, b, len);
	put32(m + p, 7);
	expect_fault_at(m, len, FWK_ERR_BADFIELD, "token", "unknown", (long long)p);

	/* FDT_END missing: the block ends one word early */
	memcpy(m, b, len);
	put32(m + SIZE_DT_STRUCT, get32(b + SIZE_DT_STRUCT) - 4);
	expect_fault(m, len, FWK_ERR_RANGE, "token", "before FDT_END");

	/* FDT_END early: the root's FDT_END_NODE becomes FDT_END */
	memcpy(m, b, len);
	put32(m + end - 4, 9);
	expect_fault_at(m, len, FWK_ERR_BADFIELD, "token", "inside a node", (long long)end - 4);

	/* unclosed node: the root's FDT_END_NODE becomes a NOP */
	memcpy(m, b, len);
	put32(m + end - 4, 4);
	expect_fault_at(m, len, FWK_ERR_BADFIELD, "token", "inside a node", (long long)end);

	/* FDT_END_NODE without FDT_BEGIN_NODE: the root opens with one */
	memcpy(m, b, len);
	put32(m + st, 2);
	expect_fault_at(m, len, FWK_ERR_BADFIELD, "token", "closes no node", st);

	/* a property before the root */
	memcpy(m, b, len);
	put32(m + st, 4);
	put32(m + st + 4, 3);
	expect_fault(m, len, FWK_ERR_BADFIELD, "token", "outside a node");

	/* a second root after the first */
	memcpy(m, b, len);
	put32(m + end, 1);
	expect_fault_at(m, len, FWK_ERR_BADFIELD, "token", "does not follow", (long long)end);

	/* FDT_END not at size_dt_struct: 4 more bytes in the block after it */
	memcpy(m, b, end + 4);
	memset(m + end + 4, 0, 4);
	memcpy(m + end + 8, b + end + 4, len - end - 4);
	put32(m + SIZE_DT_STRUCT, get32(b + SIZE_DT_STRUCT) + 4);
	put32(m + OFF_DT_STRINGS, get32(b + OFF_DT_STRINGS) + 4);
	put32(m + TOTALSIZE, (uint32_t)len + 4);
	expect_fault_at(m, len + 4, FWK_ERR_BADFIELD, "size_dt_struct", "follow FDT_END",
			(long long)end + 4);
	/* the same as v16, where the block simply ends at FDT_END */
	put32(m + VERSION, 16);
	expect_ok(m, len + 4, NULL);

	/* NOPs before the root and between properties are fine */
	memcpy(m, b, len);
	p = prop_at(b, "/", "compatible");
	size_t plen = get32(b + p + 4);
	for (size_t i = p; i < p + 12 + ((plen + 3) & ~3u); i += 4)
		put32(m + i, 4);
	expect_ok(m, len, NULL);
	free(m);
	free(b);
}

static void test_property_defects(void **state)
{
	size_t len;
	(void)state;

	uint8_t *b = compile(base_dts, "-@", &len);
	uint8_t *m = malloc(len);
	assert_non_null(m);
	size_t p = prop_at(b, "/soc/serial@3000", "compatible");

	/* the value's length runs past the structure block */
	memcpy(m, b, len);
	put32(m + p + 4, get32(b + SIZE_DT_STRUCT));
	expect_fault_at(m, len, FWK_ERR_RANGE, "property length", NULL, (long long)p + 4);
	memcpy(m, b, len);
	put32(m + p + 4, 0xfffffff0u);
	expect_fault(m, len, FWK_ERR_RANGE, "property length", NULL);

	/* nameoff past the strings block */
	memcpy(m, b, len);
	put32(m + p + 8, get32(b + SIZE_DT_STRINGS));
	expect_fault_at(m, len, FWK_ERR_RANGE, "nameoff", NULL, (long long)p + 8);

	/* the last name of the strings block loses its NUL */
	memcpy(m, b, len);
	size_t last = get32(b + OFF_DT_STRINGS) + get32(b + SIZE_DT_STRINGS) - 1;
	assert_int_equal(m[last], 0);
	m[last] = 'x';
	expect_fault(m, len, FWK_ERR_RANGE, "property name", "NUL-terminated");

	/* a name character dtc does not allow; an empty name */
	memcpy(m, b, len);
	m[string_at(b, "compatible") + 3] = '$';
	expect_fault(m, len, FWK_ERR_BADFIELD, "property name", "character");
	memcpy(m, b, len);
	put32(m + p + 8, get32(b + SIZE_DT_STRINGS) - 1); /* the last NUL */
	expect_fault_at(m, len, FWK_ERR_BADFIELD, "property name", "empty", (long long)p + 8);

	/* two properties of one name: reg of serial@3000 renamed compatible */
	size_t reg = prop_at(b, "/soc/serial@3000", "reg");
	memcpy(m, b, len);
	put32(m + reg + 8, get32(b + p + 8));
	expect_fault_at(m, len, FWK_ERR_BADFIELD, "property name", "two properties",
			(long long)(reg > p ? reg : p) + 8);
	free(m);
	free(b);

	/* a property after a subnode (dtc cannot write this; libfdt can) */
	uint8_t *w = sw_start(4096);
	SW(fdt_begin_node(w, ""));
	SW(fdt_begin_node(w, "a"));
	SW(fdt_end_node(w));
	SW(fdt_property_u32(w, "late", 1));
	SW(fdt_end_node(w));
	b = sw_finish(w, &len);
	expect_fault(b, len, FWK_ERR_BADFIELD, "property", "after a subnode");
	free(b);

	/* the same property twice, written by libfdt */
	w = sw_start(4096);
	SW(fdt_begin_node(w, ""));
	SW(fdt_property_u32(w, "x", 1));
	SW(fdt_property_u32(w, "y", 1));
	SW(fdt_property_u32(w, "x", 2));
	SW(fdt_end_node(w));
	b = sw_finish(w, &len);
	expect_fault(b, len, FWK_ERR_BADFIELD, "property name", "two properties");
	free(b);
}

/* A libfdt-written tree: root, then one child of the given name. */
static uint8_t *one_child(const char *root, const char *name, size_t *len)
{
	uint8_t *w = sw_start(4096);

	SW(fdt_begin_node(w, root));
	SW(fdt_begin_node(w, name));
	SW(fdt_end_node(w));
	SW(fdt_end_node(w));
	return sw_finish(w, len);
}

static void test_node_names(void **state)
{
	static const struct {
		const char *name, *detail;
		int at; /* index of the byte at fault in the name */
	} bad[] = {
		{ "a$b", "character", 1 },      { "a b", "character", 1 },
		{ "a/b", "character", 1 },      { "x@1@2", "more than one", 3 },
		{ "@1", "empty before", 0 },    { "x@", "empty unit", 1 },
		{ "x@1:2", "character", 3 },    { "", "empty", 0 },
	};
	static const char *const good[] = {
		"a", "A-Z_a.b,c+d", "x@1", "x@1,2", "x@ff.0-a_b", "0",
	};
	size_t len;
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint8_t *b = one_child("", bad[i].name, &len);
		size_t name = node_at(b, "/") + 12; /* root token, "" padded, child token */
		expect_fault_at(b, len, FWK_ERR_BADFIELD, "node name", bad[i].detail,
				(long long)(name + (size_t)bad[i].at));
		free(b);
	}
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		uint8_t *b = one_child("", good[i], &len);
		expect_ok(b, len, NULL);
		free(b);
	}
	/* the root's name must be empty */
	uint8_t *b = one_child("root", "a", &len);
	expect_fault_at(b, len, FWK_ERR_BADFIELD, "node name", "root",
			(long long)get32(b + OFF_DT_STRUCT) + 4);
	free(b);

	/* two siblings of one name: dtc output with "bb" renamed "aa" */
	b = compile("/dts-v1/;\n/ { x { aa { p = <1>; }; bb { q = <2>; }; }; };\n", "", &len);
	size_t bb = node_at(b, "/x/bb");
	b[bb + 4] = b[bb + 5] = 'a';
	expect_fault_at(b, len, FWK_ERR_BADFIELD, "node name", "sibling", (long long)bb + 4);
	free(b);
	/* alike names at different levels are fine */
	b = compile("/dts-v1/;\n/ { aa { aa { aa { }; }; }; bb { aa { }; }; };\n", "", &len);
	expect_ok(b, len, NULL);
	free(b);

	/* a node name that never ends: its NUL becomes the end of the block */
	b = compile("/dts-v1/;\n/ { abc { }; };\n", "", &len);
	size_t abc = node_at(b, "/abc");
	uint8_t *m = malloc(len);
	assert_non_null(m);
	memcpy(m, b, len);
	put32(m + SIZE_DT_STRUCT, (uint32_t)(abc + 7 - get32(b + OFF_DT_STRUCT)));
	expect_fault_at(m, len, FWK_ERR_RANGE, "node name", "NUL-terminated", (long long)abc + 4);
	free(m);
	free(b);
}

/* A chain of `depth` nested nodes under the root, from dtc. */
static uint8_t *chain(unsigned depth, size_t *len)
{
	char *src = malloc(64 + depth * 12);
	size_t n = 0;

	assert_non_null(src);
	n += (size_t)sprintf(src + n, "/dts-v1/;\n/ {");
	for (unsigned i = 0; i < depth; i++)
		n += (size_t)sprintf(src + n, " n%u {", i % 10);
	for (unsigned i = 0; i < depth; i++)
		n += (size_t)sprintf(src + n, " };");
	sprintf(src + n, " };\n");
	uint8_t *b = compile(src, "", len);
	free(src);
	return b;
}

static void test_depth(void **state)
{
	size_t len;
	struct dt_summary s;
	char path[DT_PATH_MAX];
	(void)state;

	uint8_t *b = chain(DT_DEPTH_MAX, &len);
	expect_ok(b, len, &s);
	assert_int_equal(s.max_depth, DT_DEPTH_MAX);
	assert_int_equal(s.nodes, DT_DEPTH_MAX + 1);
	free(b);

	b = chain(DT_DEPTH_MAX + 1, &len);
	/* the 65th node: root token, "" padded, then 64 x (token + "nX\0" padded) */
	size_t at = get32(b + OFF_DT_STRUCT) + 8 + DT_DEPTH_MAX * 8;
	expect_fault_at(b, len, FWK_ERR_LIMIT, "depth", NULL, (long long)at);
	/* its node is named by the deepest allowed one */
	int n = dt_node_path_at(b, len, at, path, sizeof(path));
	assert_int_equal(n, DT_DEPTH_MAX * 3);
	assert_int_equal(strncmp(path, "/n0/n1/n2", 9), 0);
	free(b);

	b = chain(1000, &len);
	expect_fault(b, len, FWK_ERR_LIMIT, "depth", NULL);
	free(b);
}

/* ---- phandles ------------------------------------------------------------ */

static void test_phandles(void **state)
{
	size_t len;
	(void)state;

	static const struct {
		const char *props, *detail;
	} bad[] = {
		{ "phandle = <0>;", "not phandles" },
		{ "phandle = <0xffffffff>;", "not phandles" },
		{ "linux,phandle = <0>;", "not phandles" },
		{ "phandle = [00 00 01];", "4 bytes" },
		{ "phandle = <1 2>;", "4 bytes" },
		{ "linux,phandle = <3>; phandle = <4>;", "differ" },
		{ "phandle = <7>; linux,phandle = <8>;", "differ" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char src[256];
		snprintf(src, sizeof(src), "/dts-v1/;\n/ { a { x = <1>; }; b { %s }; };\n",
			 bad[i].props);
		uint8_t *b = compile(src, "-f", &len);
		expect_fault(b, len, FWK_ERR_BADFIELD, "phandle", bad[i].detail);
		free(b);
	}

	/* a duplicate, named at the later node's value */
	uint8_t *b = compile("/dts-v1/;\n/ { a { phandle = <9>; }; b { c { phandle = <8>; }; };"
			     " d { linux,phandle = <9>; }; };\n", "-f", &len);
	size_t later = prop_at(b, "/d", "linux,phandle") + 12;
	expect_fault_at(b, len, FWK_ERR_BADFIELD, "phandle", "duplicate", (long long)later);
	free(b);

	/* many phandles, all distinct: fine; then two made alike */
	char *src = malloc(64 + 2000 * 40);
	size_t n = (size_t)sprintf(src, "/dts-v1/;\n/ {");
	for (unsigned i = 0; i < 2000; i++)
		n += (size_t)sprintf(src + n, " n%u { phandle = <%u>; };", i, (i * 7919u) % 100003u + 1);
	sprintf(src + n, " };\n");
	b = compile(src, "", &len);
	struct dt_summary s;
	expect_ok(b, len, &s);
	assert_int_equal(s.phandles, 2000);
	size_t p = prop_at(b, "/n1500", "phandle") + 12;
	put32(b + p, get32(b + prop_at(b, "/n3", "phandle") + 12));
	expect_fault_at(b, len, FWK_ERR_BADFIELD, "phandle", "duplicate", (long long)p);
	free(b);
	free(src);
}

/* ---- __symbols__, __fixups__, __local_fixups__, fragments ----------------- */

static void test_symbols(void **state)
{
	static const struct {
		const char *sym, *detail;
	} bad[] = {
		{ "__symbols__ { d = <1>; };", "one NUL-terminated" },
		{ "__symbols__ { d = \"/dev@1000\", \"/clk\"; };", "one NUL-terminated" },
		{ "__symbols__ { d = [2f 63 6c 6b]; };", "one NUL-terminated" },
		{ "__symbols__ { d = \"\"; };", "not absolute" },
		{ "__symbols__ { d = \"dev@1000\"; };", "not absolute" },
		{ "__symbols__ { d = \"/dev@2000\"; };", "names no node" },
		{ "__symbols__ { d = \"/dev\"; };", "names no node" },
		{ "__symbols__ { d = \"//dev@1000\"; };", "names no node" },
		{ "__symbols__ { d = \"/dev@1000/\"; };", "names no node" },
		{ "__symbols__ { d = \"/clk/../clk\"; };", "names no node" },
		{ "__symbols__ { d = \"/fragment@0/__overlay__/sub/x\"; };", "names no node" },
		{ "__symbols__ { d = \"/clk\"; sub { }; };", "subnode" },
	};
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_hand(bad[i].sym, NULL, NULL, NULL, FWK_ERR_BADFIELD, "__symbols__",
			    bad[i].detail);

	/* in document order, out of it, and every node of a bigger tree */
	size_t len;
	struct dt_summary s;
	uint8_t *b = hand_dtb("__symbols__ { a = \"/fragment@0/__overlay__/sub\";"
			      " b = \"/clk\"; c = \"/dev@1000\"; d = \"/fragment@0\";"
			      " e = \"/fragment@0/__overlay__\"; f = \"/clk\"; };",
			      NULL, NULL, NULL, &len);
	expect_ok(b, len, &s);
	assert_int_equal(s.symbols, 6);
	free(b);
}

static void test_fixups(void **state)
{
	static const struct {
		const char *fix, *detail;
		int code;
	} bad[] = {
		{ "__fixups__ { ext = \"/fragment@0:target\"; };", "':'", FWK_ERR_BADFIELD },
		{ "__fixups__ { ext = \"/fragment@0\"; };", "':'", FWK_ERR_BADFIELD },
		{ "__fixups__ { ext = \"\"; };", "':'", FWK_ERR_BADFIELD },
		{ "__fixups__ { ext = \"/fragment@0:target:\"; };", "decimal", FWK_ERR_BADFIELD },
		{ "__fixups__ { ext = \"/fragment@0:target:0x0\"; };", "decimal", FWK_ERR_BADFIELD },
		{ "__fixups__ { ext = \"/fragment@0:target:-4\"; };", "decimal", FWK_ERR_BADFIELD },
		{ "__fixups__ { ext = \"/fragment@0:target:0:0\"; };", "decimal", FWK_ERR_BADFIELD },
		{ "__fixups__ { ext = \"/fragment@0:target:2\"; };", "multiple of 4", FWK_ERR_BADFIELD },
		{ "__fixups__ { ext = \"/fragment@0:target:4\"; };", "past the end", FWK_ERR_RANGE },
		{ "__fixups__ { ext = \"/fragment@0:target:99999999999999999999\"; };",
		  "past the end", FWK_ERR_RANGE },
		{ "__fixups__ { ext = \"/fragment@0:tarjet:0\"; };", "no property", FWK_ERR_BADFIELD },
		{ "__fixups__ { ext = \"/fragment@0::0\"; };", "no property", FWK_ERR_BADFIELD },
		{ "__fixups__ { ext = \"/fragment@1:target:0\"; };", "names no node", FWK_ERR_BADFIELD },
		{ "__fixups__ { ext = \"//fragment@0:target:0\"; };", "names no node", FWK_ERR_BADFIELD },
		{ "__fixups__ { ext = \"fragment@0:target:0\"; };", "not absolute", FWK_ERR_BADFIELD },
		{ "__fixups__ { ext = \":target:0\"; };", "not absolute", FWK_ERR_BADFIELD },
		{ "__fixups__ { ext = [2f 66 72 61 67 6d 65 6e 74 40 30 3a 74 61 72 67 65 74 3a 30]; };",
		  "NUL-terminated", FWK_ERR_BADFIELD },
		{ "__fixups__ { ext = \"/fragment@0:target:0\", \"/clk:nothing:0\"; };", "no property",
		  FWK_ERR_BADFIELD },
		{ "__fixups__ { ext = \"/fragment@0:target:0\"; none; };", "NUL-terminated",
		  FWK_ERR_BADFIELD },
	};
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_hand(NULL, bad[i].fix, NULL, NULL, bad[i].code, "__fixups__", bad[i].detail);

	/* several strings, several labels, offsets inside longer properties */
	size_t len;
	struct dt_summary s;
	struct seen w;
	uint8_t *b = hand_dtb(NULL, "__fixups__ { ext = \"/fragment@0:target:0\","
			      " \"/dev@1000:clocks:0\"; more = \"/dev@1000:clocks:4\"; };",
			      "__local_fixups__ { };", NULL, &len);
	assert_int_equal(run(b, len, &s, NULL, &w), 0);
	assert_int_equal(s.fixups, 2);
	assert_int_equal(s.fixup_refs, 3);
	/* clocks = <2 0>: neither cell is the 0xffffffff dtc leaves */
	assert_int_equal(s.warnings, 2);
	assert_int_equal(seen_count(&w, "unresolved_fixup_cell", "/dev@1000"), 2);
	assert_int_equal(w.offset[0], prop_at(b, "/dev@1000", "clocks") + 12);
	assert_int_equal(w.offset[1], prop_at(b, "/dev@1000", "clocks") + 16);
	free(b);
}

static void test_local_fixups(void **state)
{
	static const struct {
		const char *local, *detail;
		int code;
	} bad[] = {
		{ "__local_fixups__ { ghost { x = <0>; }; };", "mirrors no node", FWK_ERR_BADFIELD },
		{ "__local_fixups__ { fragment@0 { __overlay__ { ghost { }; }; }; };",
		  "mirrors no node", FWK_ERR_BADFIELD },
		{ "__local_fixups__ { dev@1000 { nothing = <0>; }; };", "mirrors no property",
		  FWK_ERR_BADFIELD },
		{ "__local_fixups__ { clocks = <0>; };", "mirrors no property", FWK_ERR_BADFIELD },
		{ "__local_fixups__ { dev@1000 { clocks = <8>; }; };", "past the end", FWK_ERR_RANGE },
		{ "__local_fixups__ { dev@1000 { clocks = <0xfffffffc>; }; };", "past the end",
		  FWK_ERR_RANGE },
		{ "__local_fixups__ { dev@1000 { clocks = <2>; }; };", "multiple of 4",
		  FWK_ERR_BADFIELD },
		{ "__local_fixups__ { dev@1000 { clocks = [00 00]; }; };", "32-bit offsets",
		  FWK_ERR_BADFIELD },
		{ "__local_fixups__ { dev@1000 { clocks = <0 4>; }; };", "not a phandle",
		  FWK_ERR_BADFIELD },
		{ "__local_fixups__ { dev@1000 { reg = <0>; }; };", "not a phandle", FWK_ERR_BADFIELD },
	};
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_hand(NULL, NULL, bad[i].local, NULL, bad[i].code, "__local_fixups__",
			    bad[i].detail);
	/* an empty mirror node and repeated look-ups are fine */
	size_t len;
	struct dt_summary s;
	uint8_t *b = hand_dtb(NULL, NULL, "__local_fixups__ { clk { }; dev@1000 { clocks = <0>; };"
			      " fragment@0 { __overlay__ { sub { link = <0 0>; }; }; }; };",
			      NULL, &len);
	expect_ok(b, len, &s);
	assert_int_equal(s.local_fixup_refs, 3);
	free(b);
}

static void test_fragments(void **state)
{
	(void)state;

	expect_hand(NULL, NULL, NULL,
		    "fragment@1 { target = <2>; target-path = \"/clk\"; __overlay__ { }; };",
		    FWK_ERR_BADFIELD, "target", "both");
	expect_hand(NULL, NULL, NULL, "fragment@1 { __overlay__ { }; };", FWK_ERR_BADFIELD,
		    "target", "neither");
	expect_hand(NULL, NULL, NULL, "fragment@1 { target = [00 00 02]; __overlay__ { }; };",
		    FWK_ERR_BADFIELD, "target", "4 bytes");
	expect_hand(NULL, NULL, NULL, "fragment@1 { target = <2 2>; __overlay__ { }; };",
		    FWK_ERR_BADFIELD, "target", "4 bytes");
	expect_hand(NULL, NULL, NULL, "fragment@1 { target-path = <2>; __overlay__ { }; };",
		    FWK_ERR_BADFIELD, "target-path", "string");
	expect_hand(NULL, NULL, NULL, "fragment@1 { target-path = \"\"; __overlay__ { }; };",
		    FWK_ERR_BADFIELD, "target-path", "string");
	expect_hand(NULL, NULL, NULL,
		    "fragment@1 { target-path = \"/a\", \"/b\"; __overlay__ { }; };",
		    FWK_ERR_BADFIELD, "target-path", "string");
	/* the placeholder target with no __fixups__ entry for it */
	expect_hand(NULL, "__fixups__ { ext = \"/dev@1000:clocks:0\"; };", NULL, NULL,
		    FWK_ERR_BADFIELD, "target", "no __fixups__");
	expect_hand(NULL, "__fixups__ { ext = \"/fragment@0:target:0\"; };", NULL,
		    "fragment@1 { target = <0>; __overlay__ { }; };", FWK_ERR_BADFIELD,
		    "target", "no __fixups__");
	expect_hand(NULL, "", NULL, NULL, FWK_ERR_BADFIELD, "target", "no __fixups__");
	/* a node named __overlay__ deeper down makes no fragment */
	size_t len;
	struct dt_summary s;
	uint8_t *b = hand_dtb(NULL, NULL, NULL, "deep { x { __overlay__ { }; }; };", &len);
	expect_ok(b, len, &s);
	assert_int_equal(s.fragments, 1);
	free(b);
}

/* ---- warnings ------------------------------------------------------------ */

/* The one warning a source raises: its check and node. */
static void expect_warning(const char *body, const char *check, const char *path,
			   unsigned times)
{
	char src[2048];
	size_t len;
	struct dt_summary s;
	struct seen w;

	snprintf(src, sizeof(src),
		 "/dts-v1/;\n/ {\n #address-cells = <1>;\n #size-cells = <1>;\n%s\n};\n", body);
	uint8_t *b = compile(src, "-@", &len);
	assert_int_equal(run(b, len, &s, NULL, &w), 0);
	if (s.warnings != times || seen_count(&w, check, path) != times)
		fail_msg("expected %u x %s at %s, got %u warnings (first: %s at %s) for:\n%s",
			 times, check, path, s.warnings, w.n ? w.check[0] : "-",
			 w.n ? w.path[0] : "-", src);
	free(b);
}

static void test_warnings(void **state)
{
	(void)state;

	expect_warning(" dev@1000 { compatible = \"x\"; };", "unit_address_vs_reg", "/dev@1000", 1);
	expect_warning(" dev { reg = <0x1000 0x10>; };", "unit_address_vs_reg", "/dev", 1);
	expect_warning(" bus { #address-cells = <1>; #size-cells = <1>; ranges = <0 0 0x10>;"
		       " d@0 { reg = <0 1>; }; };", "unit_address_vs_reg", "/bus", 1);
	expect_warning(" dev@01000 { reg = <0x1000 0x10>; };", "unit_address_format",
		       "/dev@01000", 1);
	expect_warning(" dev@0x1000 { reg = <0x1000 0x10>; };", "unit_address_format",
		       "/dev@0x1000", 1);
	expect_warning(" bus { compatible = \"simple-bus\"; #address-cells = <1>;"
		       " #size-cells = <1>; ranges; dev@2000 { reg = <0x1000 0x10>; }; };",
		       "simple_bus_reg", "/bus/dev@2000", 1);
	expect_warning(" bus { compatible = \"vendor,bus\", \"simple-bus\"; #address-cells = <2>;"
		       " #size-cells = <1>; ranges; dev@1,1000 { reg = <1 0x1000 0x10>; };"
		       " dev@100001000 { reg = <1 0x2000 0x10>; }; };",
		       "simple_bus_reg", "/bus/dev@100001000", 1);
	expect_warning(" dev@1000 { reg = <0x1000 0x10 0x2000>; };", "reg_format", "/dev@1000", 1);
	expect_warning(" bus@0 { #address-cells = <0>; #size-cells = <0>; reg = <0 1>;"
		       " d@1 { reg = <1>; }; };", "reg_format", "/bus@0/d@1", 1);
	expect_warning(" bus@0 { reg = <0 1>; #address-cells = <1>; #size-cells = <1>;"
		       " ranges = <0 0 0x10 0>; d@0 { reg = <0 1>; }; };",
		       "ranges_format", "/bus@0", 1);
	expect_warning(" bus { dev@10 { reg = <0 0x10 0x4>; }; };", "avoid_default_addr_size",
		       "/bus/dev@10", 2);
	expect_warning(" bus { #address-cells = <1>; #size-cells = <1>; node { }; };",
		       "avoid_unnecessary_addr_size", "/bus", 1);
	expect_warning(" a-node-name-much-longer-than-thirty-one { };", "node_name_length",
		       "/a-node-name-much-longer-than-thirty-one", 1);
	expect_warning(" n { a-property-name-longer-than-thirty-one = <1>; };",
		       "node_name_length", "/n", 1);
	/* not warnings: a unit address on a node with ranges only, an empty
	 * ranges, #address-cells on a node without children, 31 characters */
	expect_warning(" bus@1000 { #address-cells = <1>; #size-cells = <1>;"
		       " ranges = <0 0x1000 0x100>; d@0 { reg = <0 0x10>; }; };"
		       " intc { #address-cells = <0>; };"
		       " a-node-name-exactly-31-characte { };", "-", "-", 0);
}

/* Paths longer than DT_PATH_MAX: warnings show them cut, ending "...";
 * dt_node_path_at needs the room. */
static void test_long_paths(void **state)
{
	static const char name[] = "a-thirty-character-node-name-x"; /* 30 */
	char *src = malloc(16384), *path = malloc(2048);
	size_t n = 0, len;
	struct dt_summary s;
	struct seen w;
	(void)state;

	assert_non_null(src);
	assert_non_null(path);
	n += (size_t)sprintf(src + n, "/dts-v1/;\n/ {");
	for (unsigned i = 0; i < 40; i++)
		n += (size_t)sprintf(src + n, " %s {", name);
	n += (size_t)sprintf(src + n, " leaf@1 { p = <1>; };");
	for (unsigned i = 0; i < 40; i++)
		n += (size_t)sprintf(src + n, " };");
	/* the same long path in a __fixups__ entry whose cell is not 0xffffffff */
	n += (size_t)sprintf(src + n, " __fixups__ { x = \"");
	for (unsigned i = 0; i < 40; i++)
		n += (size_t)sprintf(src + n, "/%s", name);
	sprintf(src + n, "/leaf@1:p:0\"; }; };\n");
	uint8_t *b = compile(src, "", &len);
	assert_int_equal(run(b, len, &s, NULL, &w), 0);
	assert_int_equal(s.warnings, 2);
	assert_int_equal(seen_count(&w, "unit_address_vs_reg", NULL), 1);
	assert_int_equal(seen_count(&w, "unresolved_fixup_cell", NULL), 1);
	for (unsigned i = 0; i < 2; i++) {
		assert_int_equal(strlen(w.path[i]), DT_PATH_MAX - 1);
		assert_string_equal(w.path[i] + DT_PATH_MAX - 4, "...");
		assert_int_equal(strncmp(w.path[i], "/a-thirty-character-node-name-x/a-thirty", 40), 0);
	}
	/* the leaf's whole path (40 x 31 + 7 bytes) is the fixup's */
	const char *x = fdt_getprop(b, fdt_path_offset(b, "/__fixups__"), "x", NULL);
	assert_non_null(x);
	size_t want = strlen(x) - strlen(":p:0");
	assert_int_equal(want, 40 * 31 + 7);
	int lo = fdt_next_node(b, 0, NULL);
	while (lo >= 0 && strcmp(fdt_get_name(b, lo, NULL), "leaf@1") != 0)
		lo = fdt_next_node(b, lo, NULL);
	assert_true(lo >= 0);
	size_t at = get32(b + OFF_DT_STRUCT) + (size_t)lo;
	assert_int_equal(dt_node_path_at(b, len, at, path, DT_PATH_MAX), FWK_ERR_NOSPACE);
	assert_int_equal(dt_node_path_at(b, len, at, path, 2048), (int)want);
	assert_int_equal(strncmp(path, x, want), 0);
	free(b);
	free(src);
	free(path);
}

/* ---- loops and big trees ------------------------------------------------- */

/* A 200 KiB board and a big overlay, labels everywhere (speed is make
 * bench's business, not a test's). */
#define BIG 800
static void test_big_trees(void **state)
{
	size_t cap = 1 << 20, n = 0, len;
	char *src = malloc(cap);
	(void)state;

	assert_non_null(src);
	n += (size_t)snprintf(src + n, cap - n, "/dts-v1/;\n/ { #address-cells = <1>;"
			      " #size-cells = <1>; soc { compatible = \"simple-bus\";"
			      " #address-cells = <1>; #size-cells = <1>; ranges;\n");
	for (unsigned i = 0; i < BIG; i++)
		n += (size_t)snprintf(src + n, cap - n,
			" l%u: dev@%x { compatible = \"vendor,device-%u\", \"vendor,device\";"
			" reg = <0x%x 0x100>; interrupt-parent = <&l%u>; clocks = <&l%u 1>;"
			" status = \"okay\"; port { ep%u: endpoint { remote = <&ep%u>; }; }; };\n",
			i, 0x100000 + i * 0x1000, i, 0x100000 + i * 0x1000, i / 2, (i * 7) % BIG,
			i, (i + 1) % BIG);
	snprintf(src + n, cap - n, "}; };\n");
	uint8_t *b = compile(src, "-@", &len);
	assert_true(len >= 200 * 1024);
	uint32_t *scratch = malloc(DT_SCRATCH_WORDS(len) * sizeof(uint32_t));
	assert_non_null(scratch);
	struct dt_summary s;
	expect_ok(b, len, &s);
	assert_int_equal(s.symbols, 2 * BIG);
	free(scratch);
	free(b);

	/* an overlay: 300 fragments, each using labels of the base and its own */
	n = (size_t)snprintf(src, cap, "/dts-v1/;\n/plugin/;\n");
	for (unsigned i = 0; i < 300; i++)
		n += (size_t)snprintf(src + n, cap - n,
			"&base%u { o%u: node@%x { reg = <0x%x>; clocks = <&o%u &base%u>;"
			" inner { link = <&o%u>; }; }; };\n",
			i % 17, i, i, i, (i + 5) % 300, i % 3, i);
	b = compile(src, "-@", &len);
	scratch = malloc(DT_SCRATCH_WORDS(len) * sizeof(uint32_t));
	assert_non_null(scratch);
	expect_ok(b, len, &s);
	assert_int_equal(s.fragments, 300);
	assert_int_equal(s.local_fixup_refs, 600);
	assert_int_equal(s.fixup_refs, 600);
	free(scratch);
	free(b);
	free(src);
}

/* Trees that use the most scratch per byte: DT_SCRATCH_WORDS is enough. */
static void test_scratch(void **state)
{
	size_t len;
	char name[16];
	struct dt_summary s;
	struct fwk_fault f;
	(void)state;

	/* minimal nodes each carrying a phandle */
	uint8_t *w = sw_start(1 << 20);
	SW(fdt_begin_node(w, ""));
	for (unsigned i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "%x", i);
		SW(fdt_begin_node(w, name));
		SW(fdt_property_u32(w, "phandle", i + 1));
		SW(fdt_end_node(w));
	}
	SW(fdt_end_node(w));
	uint8_t *b = sw_finish(w, &len);
	expect_ok(b, len, &s);
	assert_int_equal(s.phandles, 5000);
	/* too little scratch is said so, not overrun */
	uint32_t *scratch = malloc(100 * sizeof(uint32_t));
	assert_non_null(scratch);
	assert_int_equal(dt_check(b, len, scratch, 100, NULL, NULL, &s, &f), FWK_ERR_NOSPACE);
	assert_string_equal(f.field, "scratch");
	assert_int_equal(dt_check(b, len, NULL, 0, NULL, NULL, &s, &f), FWK_ERR_NOSPACE);
	assert_int_equal(dt_check(NULL, len, NULL, 0, NULL, NULL, &s, &f), FWK_ERR_INVAL);
	free(scratch);
	free(b);

	/* one node with thousands of empty properties, nested minimal nodes */
	w = sw_start(1 << 20);
	SW(fdt_begin_node(w, ""));
	for (unsigned i = 0; i < 3000; i++) {
		snprintf(name, sizeof(name), "p%x", i);
		SW(fdt_property(w, name, NULL, 0));
	}
	for (unsigned i = 0; i < 64; i++)
		SW(fdt_begin_node(w, "n"));
	for (unsigned i = 0; i < 64; i++)
		SW(fdt_end_node(w));
	SW(fdt_end_node(w));
	b = sw_finish(w, &len);
	expect_ok(b, len, &s);
	assert_int_equal(s.properties, 3000);
	free(b);
}

static void test_no_loops(void **state)
{
	size_t len;
	struct dt_summary s;
	(void)state;

	/* a NOP flood: libfdt turns a big subtree into NOPs */
	char *src = malloc(200000);
	size_t n = (size_t)sprintf(src, "/dts-v1/;\n/ { keep { }; big {");
	for (unsigned i = 0; i < 3000; i++)
		n += (size_t)sprintf(src + n, " c%u { v = <%u>; };", i, i);
	sprintf(src + n, " }; };\n");
	uint8_t *b = compile(src, "", &len);
	free(src);
	assert_int_equal(fdt_nop_node(b, fdt_path_offset(b, "/big")), 0);
	expect_ok(b, len, &s);
	assert_int_equal(s.nodes, 2);
	/* the root's FDT_END_NODE, after all the NOPs, is the root's */
	char path[8];
	assert_int_equal(dt_node_path_at(b, len, struct_end(b) - 8, path, sizeof(path)), 1);
	assert_string_equal(path, "/");
	free(b);

	/* paths that cannot lead anywhere end, whatever they look like */
	static const char *const paths[] = {
		"/", "//", "///", "/dev@1000/..", "/dev@1000/../dev@1000", "/./clk", "/clk/.",
		"/fragment@0/__overlay__/sub/../sub", "/fragment@0//__overlay__",
	};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		char sym[256], fix[256];
		snprintf(sym, sizeof(sym), "__symbols__ { x = \"%s\"; };", paths[i]);
		snprintf(fix, sizeof(fix), "__fixups__ { ext = \"/fragment@0:target:0\","
			 " \"%s:link:0\"; };", paths[i]);
		b = hand_dtb(sym, NULL, NULL, NULL, &len);
		int rc = run(b, len, NULL, NULL, NULL);
		assert_int_equal(rc, i == 0 ? 0 : FWK_ERR_BADFIELD);
		free(b);
		b = hand_dtb(NULL, fix, NULL, NULL, &len);
		assert_int_equal(run(b, len, NULL, NULL, NULL), FWK_ERR_BADFIELD);
		free(b);
	}
	/* a symbol for every node at 64 levels, deepest first */
	char *deep = malloc(64 * 8 + 1), *syms = malloc(65 * (64 * 8 + 16) + 64);
	size_t dn = 0, sn = (size_t)sprintf(syms, "__symbols__ {");
	for (unsigned i = 0; i < 63; i++)
		dn += (size_t)sprintf(deep + dn, "/n%u", i % 10);
	for (unsigned i = 63; i > 0; i--) {
		size_t cut = 0;
		for (unsigned k = 0; k < i; k++)
			cut += 3;
		sn += (size_t)sprintf(syms + sn, " s%u = \"%.*s\";", i, (int)cut, deep);
	}
	sprintf(syms + sn, " };");
	char *body = malloc(64 * 8 + 64);
	size_t bn = 0;
	for (unsigned i = 0; i < 63; i++)
		bn += (size_t)sprintf(body + bn, " n%u {", i % 10);
	for (unsigned i = 0; i < 63; i++)
		bn += (size_t)sprintf(body + bn, " };");
	b = hand_dtb(syms, NULL, NULL, body, &len);
	expect_ok(b, len, &s);
	assert_int_equal(s.symbols, 63);
	assert_int_equal(s.max_depth, 63);
	free(b);
	free(deep);
	free(syms);
	free(body);
}

/* ---- dt_node_path_at ----------------------------------------------------- */

static void test_node_path_at(void **state)
{
	size_t len;
	char path[DT_PATH_MAX], want[DT_PATH_MAX];
	(void)state;

	uint8_t *b = compile(ovl_dts, "-@", &len);
	const size_t st = get32(b + OFF_DT_STRUCT);

	/* every node, its name and each of its properties, as libfdt names them */
	unsigned nodes = 0;
	for (int no = 0; no >= 0; no = fdt_next_node(b, no, NULL)) {
		assert_int_equal(fdt_get_path(b, no, want, sizeof(want)), 0);
		size_t at = st + (size_t)no;
		for (size_t k = 0; k < 8; k++) {
			int n = dt_node_path_at(b, len, at + k, path, sizeof(path));
			assert_int_equal(n, (int)strlen(want));
			assert_string_equal(path, want);
		}
		int p;
		fdt_for_each_property_offset(p, b, no) {
			int plen;
			const struct fdt_property *pr = fdt_get_property_by_offset(b, p, &plen);
			size_t pat = (size_t)((const uint8_t *)pr - b);
			for (size_t k = 0; k < 12 + (size_t)plen; k++) {
				assert_int_equal(dt_node_path_at(b, len, pat + k, path,
								 sizeof(path)),
						 (int)strlen(want));
				assert_string_equal(path, want);
			}
		}
		nodes++;
	}
	assert_true(nodes > 10);

	/* FDT_END_NODE belongs to the node it closes; FDT_END to none: "/" */
	size_t end = struct_end(b) - 4;
	assert_int_equal(dt_node_path_at(b, len, end, path, sizeof(path)), 1);
	assert_string_equal(path, "/");
	assert_int_equal(dt_node_path_at(b, len, end - 4, path, sizeof(path)), 1);
	size_t local = node_at(b, "/__local_fixups__");
	assert_int_equal(dt_node_path_at(b, len, end - 8, path, sizeof(path)), 17);
	assert_string_equal(path, "/__local_fixups__");

	/* outside the structure block */
	assert_int_equal(dt_node_path_at(b, len, 0, path, sizeof(path)), FWK_ERR_RANGE);
	assert_int_equal(dt_node_path_at(b, len, st - 1, path, sizeof(path)), FWK_ERR_RANGE);
	assert_int_equal(dt_node_path_at(b, len, end + 4, path, sizeof(path)), FWK_ERR_RANGE);
	assert_int_equal(dt_node_path_at(b, len, len, path, sizeof(path)), FWK_ERR_RANGE);
	assert_int_equal(dt_node_path_at(b, 20, st, path, sizeof(path)), FWK_ERR_RANGE);
	assert_int_equal(dt_node_path_at(NULL, 0, st, path, sizeof(path)), FWK_ERR_RANGE);

	/* capacity: exactly enough, one short */
	size_t sensor = node_at(b, "/fragment@0/__overlay__/sensor@48");
	const char *sp = "/fragment@0/__overlay__/sensor@48";
	assert_int_equal(dt_node_path_at(b, len, sensor, path, strlen(sp) + 1), (int)strlen(sp));
	assert_string_equal(path, sp);
	assert_int_equal(dt_node_path_at(b, len, sensor, path, strlen(sp)), FWK_ERR_NOSPACE);
	assert_int_equal(dt_node_path_at(b, len, st, path, 1), FWK_ERR_NOSPACE);
	assert_int_equal(dt_node_path_at(b, len, st, path, 2), 1);

	/* well formed only up to `at`: a broken token later does not matter,
	 * one earlier does, and one at `at` names the node it is in */
	uint8_t *m = exact_copy(b, len);
	size_t broken = prop_at(b, "/fragment@11", "target");
	put32(m + broken, 0x77);
	assert_int_equal(dt_node_path_at(m, len, sensor, path, sizeof(path)), (int)strlen(sp));
	assert_int_equal(dt_node_path_at(m, len, broken, path, sizeof(path)), 12);
	assert_string_equal(path, "/fragment@11");
	assert_int_equal(dt_node_path_at(m, len, local, path, sizeof(path)), FWK_ERR_RANGE);
	struct fwk_fault f;
	assert_int_equal(run(m, len, NULL, &f, NULL), FWK_ERR_BADFIELD);
	assert_int_equal(f.offset, broken);
	/* a property whose value runs past the block: inside it, its node;
	 * after it, nothing */
	memcpy(m, b, len);
	size_t tp = prop_at(b, "/fragment@10", "target-path");
	put32(m + tp + 4, 0x7ffffff0);
	assert_int_equal(dt_node_path_at(m, len, tp + 4, path, sizeof(path)), 12);
	assert_string_equal(path, "/fragment@10");
	assert_int_equal(dt_node_path_at(m, len, local, path, sizeof(path)), FWK_ERR_RANGE);
	free(m);
	free(b);

	/* a name with no end: the node is named by its parent */
	b = compile("/dts-v1/;\n/ { a { bcd { }; }; };\n", "", &len);
	size_t bcd = node_at(b, "/a/bcd");
	put32(b + SIZE_DT_STRUCT, (uint32_t)(bcd + 7 - get32(b + OFF_DT_STRUCT)));
	assert_int_equal(dt_node_path_at(b, len, bcd + 4, path, sizeof(path)), 2);
	assert_string_equal(path, "/a");
	free(b);
}

/* Every fault of this file's malformed trees names a node when it is in the
 * structure block: the CLI prints it. */
static void test_fault_paths(void **state)
{
	size_t len;
	char path[DT_PATH_MAX];
	struct fwk_fault f;
	(void)state;

	uint8_t *b = hand_dtb("__symbols__ { d = \"/nowhere\"; };", NULL, NULL, NULL, &len);
	assert_int_equal(run(b, len, NULL, &f, NULL), FWK_ERR_BADFIELD);
	assert_int_equal(dt_node_path_at(b, len, f.offset, path, sizeof(path)), 12);
	assert_string_equal(path, "/__symbols__");
	free(b);

	b = hand_dtb(NULL, NULL, "__local_fixups__ { dev@1000 { clocks = <4>; }; };", NULL, &len);
	assert_int_equal(run(b, len, NULL, &f, NULL), FWK_ERR_BADFIELD);
	assert_true(dt_node_path_at(b, len, f.offset, path, sizeof(path)) > 0);
	assert_string_equal(path, "/__local_fixups__/dev@1000");
	free(b);

	b = one_child("", "bad$name", &len);
	assert_int_equal(run(b, len, NULL, &f, NULL), FWK_ERR_BADFIELD);
	assert_true(dt_node_path_at(b, len, f.offset, path, sizeof(path)) > 0);
	assert_string_equal(path, "/bad$name");
	free(b);

	b = compile(base_dts, "-@", &len);
	size_t p = prop_at(b, "/soc/i2c@2000", "status");
	put32(b + p, 0x55);
	assert_int_equal(run(b, len, NULL, &f, NULL), FWK_ERR_BADFIELD);
	assert_true(dt_node_path_at(b, len, f.offset, path, sizeof(path)) > 0);
	assert_string_equal(path, "/soc/i2c@2000");
	free(b);
}

static int setup(void **state)
{
	(void)state;
	if (sh("command -v dtc fdtdump fdtget qemu-system-aarch64 >/dev/null") != 0) {
		fprintf(stderr, "test_dt_check needs dtc, fdtdump, fdtget (device-tree-compiler)"
				" and qemu-system-aarch64\n");
		return -1;
	}
	tmp = temp_dir("dt_check");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	remove_dir(tmp);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_virt),
		cmocka_unit_test(test_clean_trees),
		cmocka_unit_test(test_overlays),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_every_header_byte),
		cmocka_unit_test(test_header_defects),
		cmocka_unit_test(test_token_defects),
		cmocka_unit_test(test_property_defects),
		cmocka_unit_test(test_node_names),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_phandles),
		cmocka_unit_test(test_symbols),
		cmocka_unit_test(test_fixups),
		cmocka_unit_test(test_local_fixups),
		cmocka_unit_test(test_fragments),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_long_paths),
		cmocka_unit_test(test_big_trees),
		cmocka_unit_test(test_scratch),
		cmocka_unit_test(test_no_loops),
		cmocka_unit_test(test_node_path_at),
		cmocka_unit_test(test_fault_paths),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

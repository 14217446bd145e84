/* SPDX-License-Identifier: MIT */
/* test_dt_overlay.c - cmocka tests of overlay planning and application:
 * /plugin/ sources compiled with dtc -@ at test time, each applied with
 * dt_apply_stack and with fdtoverlay, the two results decompiled and
 * required identical, the created/changed lists checked; one refusal per
 * rule; the NOSPACE retry; and the overlays of cpio archives written by
 * fwkit's cpio writer and by GNU cpio. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../support/testkit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fwkit/cpio.h>
#include <fwkit/dt.h>
#include <fwkit/dt_host.h>
#include <libfdt.h>

static char *dir; /* the temp directory every test writes into */

/* The base every case applies to: labels on most nodes, an alias, a node
 * without a phandle (/chosen) and one with a unit address for the loose
 * name match (/soc/serial@1000). */
static const char base_src[] =
	"/dts-v1/;\n"
	"/ {\n"
	"	#address-cells = <1>;\n"
	"	#size-cells = <1>;\n"
	"	compatible = \"fwkit,test-board\";\n"
	"	model = \"fwkit test board\";\n"
	"	aliases { serial0 = &uart0; };\n"
	"	chosen { };\n"
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
	"		uart1: serial@2000 {\n"
	"			compatible = \"ns16550a\";\n"
	"			reg = <0x2000 0x100>;\n"
	"			status = \"disabled\";\n"
	"		};\n"
	"		i2c0: i2c@3000 {\n"
	"			compatible = \"fwkit,i2c\";\n"
	"			reg = <0x3000 0x100>;\n"
	"			#address-cells = <1>;\n"
	"			#size-cells = <0>;\n"
	"			status = \"disabled\";\n"
	"		};\n"
	"		gpio: gpio@4000 {\n"
	"			compatible = \"fwkit,gpio\";\n"
	"			reg = <0x4000 0x100>;\n"
	"			gpio-controller;\n"
	"			#gpio-cells = <2>;\n"
	"		};\n"
	"	};\n"
	"	leds: leds { compatible = \"gpio-leds\"; };\n"
	"};\n";

#define PLUGIN "/dts-v1/;\n/plugin/;\n"

/* ---- files and tools ---- */

static char *path_of(const char *name)
{
	char *p = malloc(strlen(dir) + strlen(name) + 2);

	assert_non_null(p);
	sprintf(p, "%s/%s", dir, name);
	return p;
}

/* Compile src with dtc (-@ when symbols) into dir/name; its bytes. */
static uint8_t *compile(const char *name, const char *src, bool symbols, size_t *len)
{
	char *dts = path_of("src.dts"), *out = path_of(name);

	spew(dts, src, strlen(src));
	assert_int_equal(sh("dtc %s -q -I dts -O dtb -o '%s' '%s'", symbols ? "-@" : "",
			    out, dts), 0);
	uint8_t *b = slurp(out, len);
	free(dts);
	free(out);
	return b;
}

/* The text dtc decompiles dir/name to, NUL-terminated. */
static char *decompile(const char *name)
{
	char *in = path_of(name), *txt = path_of("decompiled.dts");
	size_t n;

	assert_int_equal(sh("dtc -q -I dtb -O dts -o '%s' '%s'", txt, in), 0);
	uint8_t *b = slurp(txt, &n);
	char *s = malloc(n + 1);
	assert_non_null(s);
	memcpy(s, b, n);
	s[n] = '\0';
	free(b);
	free(in);
	free(txt);
	return s;
}

static uint32_t be32_at(const uint8_t *b, size_t at)
{
	return (uint32_t)b[at] << 24 | (uint32_t)b[at + 1] << 16 | (uint32_t)b[at + 2] << 8 |
	       b[at + 3];
}

/* totalsize from a DTB header. */
static size_t totalsize(const uint8_t *b)
{
	return be32_at(b, 4);
}

static uint8_t *base_blob(size_t *len)
{
	return compile("base.dtb", base_src, true, len);
}

/* ---- what the callbacks saw ---- */

struct seen {
	char text[4096];
	size_t len;
};

static const char *change_word(enum dt_change what)
{
	return what == DT_NODE_CREATED ? "created" : what == DT_NODE_CHANGED ? "changed" : "?";
}

static void on_stack_change(void *ctx, size_t index, enum dt_change what, const char *path)
{
	struct seen *s = ctx;
	int n = snprintf(s->text + s->len, sizeof(s->text) - s->len, "%zu %s %s\n", index,
			 change_word(what), path);
	assert_true(n > 0 && (size_t)n < sizeof(s->text) - s->len);
	s->len += (size_t)n;
}

static void on_plan_change(void *ctx, enum dt_change what, const char *path)
{
	on_stack_change(ctx, 0, what, path);
}

static uint32_t *scratch_for(size_t a, size_t b, size_t *words)
{
	*words = DT_SCRATCH_WORDS(a > b ? a : b);
	uint32_t *s = malloc(*words * sizeof(uint32_t));
	assert_non_null(s);
	return s;
}

/* The result must itself pass dt_check: libfdt's output is a tree fwkit
 * takes again (a later overlay goes on it). */
static void assert_tree_good(const uint8_t *b, size_t len)
{
	size_t words;
	uint32_t *s = scratch_for(len, 0, &words);
	struct fwk_fault f = { 0 };
	int rc = dt_check(b, len, s, words, NULL, NULL, NULL, &f);

	if (rc < 0)
		print_error("result fails dt_check: %s at %llu: %s\n", f.field ? f.field : "?",
			    (unsigned long long)f.offset, f.detail ? f.detail : "?");
	assert_int_equal(rc, 0);
	free(s);
}

/* With FWKIT_DT_SEEDS=DIR set, each (tree, overlay) pair a test applies is
 * also written to DIR/NAME as fuzz_dt_apply reads its input: the base's
 * length (32-bit little-endian), the base, the overlay. */
static void seed(const char *name, const uint8_t *base, size_t base_len, const uint8_t *ovl,
		 size_t ovl_len)
{
	const char *to = getenv("FWKIT_DT_SEEDS");

	if (!to || !*to)
		return;
	char *path = malloc(strlen(to) + strlen(name) + 2);
	uint8_t *b = malloc(4 + base_len + ovl_len);
	assert_non_null(path);
	assert_non_null(b);
	sprintf(path, "%s/%s", to, name);
	for (int i = 0; i < 4; i++)
		b[i] = (uint8_t)(base_len >> (8 * i));
	memcpy(b + 4, base, base_len);
	memcpy(b + 4 + base_len, ovl, ovl_len);
	spew(path, b, 4 + base_len + ovl_len);
	free(b);
	free(path);
}

/* ---- the comparison cases ---- */

#define MAX_OVLS 3

struct ovl_case {
	const char *name;
	const char *src[MAX_OVLS]; /* after PLUGIN */
	const char *changes;       /* "index created|changed path" lines */
};

static const struct ovl_case cases[] = {
	{ "label-target-status",
	  { "&uart0 { status = \"okay\"; };\n" },
	  "0 changed /soc/serial@1000\n" },
	{ "path-reference-target",
	  { "&{/soc/serial@2000} { status = \"okay\"; current-speed = <115200>; };\n" },
	  "0 changed /soc/serial@2000\n" },
	{ "explicit-target-path",
	  { "/ { fragment@0 { target-path = \"/chosen\";\n"
	    "  __overlay__ { bootargs = \"console=ttyS0,115200\"; }; }; };\n" },
	  "0 changed /chosen\n" },
	{ "new-device-referring-to-base-labels",
	  { "&i2c0 {\n"
	    "	status = \"okay\";\n"
	    "	sensor@48 {\n"
	    "		compatible = \"fwkit,temp\";\n"
	    "		reg = <0x48>;\n"
	    "		interrupt-parent = <&gpio>;\n"
	    "		enable-gpios = <&gpio 7 0>;\n"
	    "	};\n"
	    "};\n" },
	  "0 changed /soc/i2c@3000\n0 created /soc/i2c@3000/sensor@48\n" },
	{ "local-fixups-between-new-nodes",
	  { "&soc {\n"
	    "	reg_a: regulator-a { compatible = \"regulator-fixed\"; };\n"
	    "	consumer { vdd-supply = <&reg_a>; other = <1 &reg_a 2>; };\n"
	    "};\n" },
	  "0 created /soc/regulator-a\n0 created /soc/consumer\n" },
	{ "nested-new-nodes-under-root",
	  { "&{/} { outer { a = <1>; middle { inner { b = <2>; }; }; }; };\n" },
	  "0 created /outer\n0 created /outer/middle\n0 created /outer/middle/inner\n" },
	{ "properties-replaced",
	  { "&uart1 { compatible = \"fwkit,better-uart\", \"ns16550a\"; status = \"okay\";\n"
	    "	reg = <0x2000 0x200>; };\n" },
	  "0 changed /soc/serial@2000\n" },
	{ "stacked-label-from-earlier-overlay",
	  { "&soc { newdev: newdev@5000 { reg = <0x5000 0x10>; status = \"disabled\"; }; };\n",
	    "&newdev { status = \"okay\"; child { self = <&newdev>; }; };\n",
	    "&{/chosen} { fwkit,dev = <&newdev>; };\n" },
	  "0 created /soc/newdev@5000\n"
	  "1 changed /soc/newdev@5000\n1 created /soc/newdev@5000/child\n"
	  "2 changed /chosen\n" },
	{ "root-properties",
	  { "/ { fragment@0 { target-path = \"/\";\n"
	    "  __overlay__ { model = \"fwkit test board rev 2\"; serial-number = \"42\"; }; }; };\n" },
	  "0 changed /\n" },
	{ "new-node-with-phandle-referenced-elsewhere",
	  { "&leds { led_a: led-a { gpios = <&gpio 5 0>; label = \"a\"; }; };\n"
	    "&{/chosen} { fwkit,led = <&led_a>; };\n" },
	  "0 created /leds/led-a\n0 changed /chosen\n" },
	{ "target-path-through-alias",
	  { "/ { fragment@0 { target-path = \"serial0\";\n"
	    "  __overlay__ { status = \"okay\"; }; }; };\n" },
	  "0 changed /soc/serial@1000\n" },
	{ "two-fragments-one-node",
	  { "&uart0 { a = <1>; };\n&{/soc/serial@1000} { b = <2>; };\n" },
	  "0 changed /soc/serial@1000\n" },
	{ "name-without-unit-address-matches-loosely",
	  { "/ { fragment@0 { target-path = \"/soc\";\n"
	    "  __overlay__ { serial { loose = <1>; }; }; }; };\n" },
	  "0 changed /soc/serial@1000\n" },
	{ "created-sibling-matched-loosely",
	  { "/ { fragment@0 { target-path = \"/\";\n"
	    "  __overlay__ { thing@1 { a = <1>; }; thing { b = <2>; }; }; }; };\n" },
	  "0 created /thing@1\n" },
	{ "later-fragment-extends-created-node",
	  { "/ { fragment@0 { target-path = \"/\"; __overlay__ { newbus { x = <1>; }; }; };\n"
	    "  fragment@1 { target-path = \"/\";\n"
	    "    __overlay__ { newbus { child { y = <2>; }; }; }; }; };\n" },
	  "0 created /newbus\n0 created /newbus/child\n" },
	{ "label-on-new-node-under-root-then-used",
	  { "&{/} { hub: hub { compatible = \"fwkit,hub\"; }; };\n",
	    "&hub { port { remote = <&hub>; }; };\n" },
	  "0 created /hub\n1 created /hub/port\n" },
	{ "created-node-comes-first-among-siblings",
	  { "/ { fragment@0 { target-path = \"/soc\"; __overlay__ { serial@7000 { a = <1>; }; }; };\n"
	    "  fragment@1 { target-path = \"/soc\";\n"
	    "    __overlay__ { serial { b = <2>; }; }; }; };\n" },
	  "0 created /soc/serial@7000\n" },
	{ "target-path-onto-created-node",
	  { "&soc { watchdog@8000 { compatible = \"fwkit,wdt\"; }; };\n"
	    "&{/soc/watchdog@8000} { timeout-sec = <30>; };\n" },
	  "0 created /soc/watchdog@8000\n" },
	{ "loose-target-path-onto-created-node",
	  { "/ { fragment@0 { target-path = \"/soc\"; __overlay__ { serial@7000 { a = <1>; }; }; };\n"
	    "  fragment@1 { target-path = \"/soc/serial\"; __overlay__ { b = <2>; }; }; };\n" },
	  "0 created /soc/serial@7000\n" },
	{ "alias-changed-by-earlier-fragment",
	  { "/ { fragment@0 { target-path = \"/aliases\";\n"
	    "    __overlay__ { serial0 = \"/soc/serial@2000\"; }; };\n"
	    "  fragment@1 { target-path = \"serial0\"; __overlay__ { status = \"okay\"; }; }; };\n" },
	  "0 changed /aliases\n0 changed /soc/serial@2000\n" },
	{ "label-on-root-overlay-node",
	  { "/ { fragment@0 { target-path = \"/\"; top: __overlay__ { x = <1>; }; }; };\n",
	    "&top { y = <2>; };\n" },
	  "0 changed /\n1 changed /\n" },
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

static void run_case(void **state)
{
	const struct ovl_case *c = *state;
	struct dt_blob ovls[MAX_OVLS];
	char list[512] = "", name[48];
	size_t base_len, n = 0;
	uint8_t *base = base_blob(&base_len);

	for (; n < MAX_OVLS && c->src[n]; n++) {
		char src[2048];
		snprintf(name, sizeof(name), "o%zu.dtbo", n);
		assert_true((size_t)snprintf(src, sizeof(src), PLUGIN "%s", c->src[n]) < sizeof(src));
		ovls[n].data = compile(name, src, true, &ovls[n].len);
		ovls[n].name = c->name;
		char *p = path_of(name);
		strcat(list, " '");
		strcat(list, p);
		strcat(list, "'");
		free(p);
	}

	/* Seeds: each overlay with the tree it goes on. */
	if (getenv("FWKIT_DT_SEEDS")) {
		uint8_t *cur = NULL;
		size_t cur_len = 0, f;
		for (size_t i = 0; i < n; i++) {
			uint8_t *next;
			size_t next_len;
			snprintf(name, sizeof(name), "%.24s-%zu", c->name, i);
			seed(name, i ? cur : base, i ? cur_len : base_len, ovls[i].data,
			     ovls[i].len);
			assert_int_equal(dt_apply_stack(i ? cur : base, i ? cur_len : base_len,
							&ovls[i], 1, NULL, NULL, &next, &next_len,
							&f, NULL), 0);
			free(cur);
			cur = next;
			cur_len = next_len;
		}
		free(cur);
	}

	/* fwkit */
	struct seen seen = { .len = 0 };
	struct dt_overlay_diag d;
	uint8_t *out = NULL;
	size_t out_len = 0, failed = 0;
	int rc = dt_apply_stack(base, base_len, ovls, n, on_stack_change, &seen, &out, &out_len,
				&failed, &d);
	if (rc < 0)
		print_error("%s: problem %d (%s) fragment '%s' name '%s' field %s: %s\n", c->name,
			    d.problem, dt_overlay_problem_text(d.problem), d.fragment, d.name,
			    d.fault.field ? d.fault.field : "-",
			    d.fault.detail ? d.fault.detail : "-");
	assert_int_equal(rc, 0);
	assert_non_null(out);
	assert_int_equal(out_len, totalsize(out));
	assert_string_equal(seen.text, c->changes);
	assert_tree_good(out, out_len);
	char *mine = path_of("mine.dtb");
	spew(mine, out, out_len);

	/* the reference: libfdt through fdtoverlay */
	char *ref = path_of("ref.dtb"), *basep = path_of("base.dtb");
	assert_int_equal(sh("fdtoverlay -i '%s' -o '%s'%s", basep, ref, list), 0);
	char *a = decompile("mine.dtb"), *b = decompile("ref.dtb");
	assert_non_null(strstr(a, "model = \"fwkit test board"));
	assert_string_equal(a, b);

	/* A one-overlay case: the plan reports the same list by itself. */
	if (n == 1) {
		size_t words;
		uint32_t *s = scratch_for(base_len, ovls[0].len, &words);
		struct seen again = { .len = 0 };
		assert_int_equal(dt_overlay_plan(base, base_len, ovls[0].data, ovls[0].len, s,
						 words, on_plan_change, &again, &d), 0);
		assert_string_equal(again.text, c->changes);
		assert_int_equal(d.problem, DT_OVL_OK);
		free(s);
	}

	for (size_t i = 0; i < n; i++)
		free((void *)ovls[i].data);
	free(a);
	free(b);
	free(mine);
	free(ref);
	free(basep);
	free(out);
	free(base);
}

/* ---- refusals ---- */

struct refusal {
	const char *name;
	const char *src;          /* after PLUGIN; NULL: see `special` */
	const char *base;         /* NULL: base_src */
	bool base_symbols;
	enum dt_overlay_problem problem;
	int error;                /* the fwk_error returned */
	const char *fragment;     /* expected d.fragment */
	const char *what;         /* expected d.name */
	const char *field;        /* expected d.fault.field, or NULL */
	int libfdt;               /* fdtoverlay: 1 fails too, 0 succeeds (and why
				     fwkit refuses is checked), -1 not run */
	bool raw;                 /* src is a whole source, compiled without -@:
				     the bookkeeping nodes written by hand */
};

/* A base with an alias that names itself: libfdt 1.6.1 follows it until
 * the stack runs out. */
static const char alias_loop_base[] =
	"/dts-v1/;\n/ { aliases { loop = \"loop\"; }; };\n";

/* A base with a __fixups__ node: an overlay, not a finished tree. */
static const char unresolved_base[] =
	"/dts-v1/;\n/ { node { ref = <0xffffffff>; };\n"
	"  __fixups__ { elsewhere = \"/node:ref:0\"; }; };\n";

/* Bookkeeping that dt_check reads with exact names and libfdt with loose
 * ones: "foo" is the second child, libfdt takes "foo@1", the first. */
#define LOOSE_TREE \
	"/dts-v1/;\n/ {\n" \
	"  fragment@0 { target-path = \"/\"; __overlay__ {\n" \
	"    foo@1 { p = <1>; }; foo { p = <0 0 0 1>; }; x { phandle = <1>; }; }; };\n"

/* A base whose largest phandle leaves little room above it. */
static const char high_phandle_base[] =
	"/dts-v1/;\n/ { top: top { phandle = <0xfffffff0>; }; };\n";

static const struct refusal refusals[] = {
	{ "base-without-symbols", "&uart0 { status = \"okay\"; };\n", NULL, false,
	  DT_OVL_NO_SYMBOLS, FWK_ERR_UNSUPPORTED, "fragment@0", "uart0", "__fixups__", 1, false },
	{ "unknown-label", "&nosuch { status = \"okay\"; };\n", NULL, true,
	  DT_OVL_UNRESOLVED_LABEL, FWK_ERR_BADFIELD, "fragment@0", "nosuch", "__fixups__", 1, false },
	{ "unknown-label-second-fragment",
	  "&uart0 { status = \"okay\"; };\n&missing { x = <1>; };\n", NULL, true,
	  DT_OVL_UNRESOLVED_LABEL, FWK_ERR_BADFIELD, "fragment@1", "missing", "__fixups__", 1, false },
	{ "target-path-to-nothing", "&{/soc/serial@9000} { status = \"okay\"; };\n", NULL, true,
	  DT_OVL_TARGET_PATH, FWK_ERR_BADFIELD, "fragment@0", "/soc/serial@9000", "target-path",
	  1, false },
	{ "alias-to-nothing",
	  "/ { fragment@0 { target-path = \"serial7\"; __overlay__ { x = <1>; }; }; };\n", NULL,
	  true, DT_OVL_TARGET_PATH, FWK_ERR_BADFIELD, "fragment@0", "serial7", "target-path", 1, false },
	{ "target-phandle-to-nothing",
	  "/ { fragment@0 { target = <0x77>; __overlay__ { x = <1>; }; }; };\n", NULL, true,
	  DT_OVL_TARGET_PHANDLE, FWK_ERR_BADFIELD, "fragment@0", "0x77", "target", 1, false },
	{ "target-inside-the-overlay",
	  "/ { fragment@0 { target = <&mine>; __overlay__ { x = <1>; }; };\n"
	  "    fragment@1 { target-path = \"/\"; __overlay__ { mine: mine { }; }; }; };\n",
	  NULL, true, DT_OVL_TARGET_PHANDLE, FWK_ERR_BADFIELD, "fragment@0", "0x1", "target",
	  1, false },
	{ "phandle-overwrite", "&soc { again: serial@1000 { extra = <1>; }; };\n", NULL, true,
	  DT_OVL_PHANDLE_OVERWRITE, FWK_ERR_BADFIELD, "fragment@0", "/soc/serial@1000",
	  "phandle", 0, false },
	{ "phandle-overwrite-loose-name", "&soc { again: serial { extra = <1>; }; };\n", NULL,
	  true, DT_OVL_PHANDLE_OVERWRITE, FWK_ERR_BADFIELD, "fragment@0", "/soc/serial@1000",
	  "phandle", 0, false },
	{ "label-under-alias-target",
	  "/ { fragment@0 { target-path = \"serial0\";\n"
	  "    __overlay__ { lbl: child { x = <1>; }; }; }; };\n", NULL, true,
	  DT_OVL_BAD_SYMBOL, FWK_ERR_BADFIELD, "fragment@0", "lbl", "__symbols__", 0, false },
	{ "label-under-loose-target-path",
	  "/ { fragment@0 { target-path = \"/soc/serial\";\n"
	  "    __overlay__ { lbl: child { x = <1>; }; }; }; };\n", NULL, true,
	  DT_OVL_BAD_SYMBOL, FWK_ERR_BADFIELD, "fragment@0", "lbl", "__symbols__", 0, false },
	{ "phandle-overflow", "&top { n: new { x = <1>; }; more { y = <&n>; }; };\n"
	  "/ { fragment@9 { target-path = \"/\"; __overlay__ { big { phandle = <0x20>; }; }; }; };\n",
	  high_phandle_base, true, DT_OVL_OVERLAY_BAD, FWK_ERR_LIMIT, "", "/fragment@9/__overlay__/big",
	  "phandle", 1, false },
	{ "writes-into-symbols", "&{/__symbols__} { evil = \"/nowhere\"; };\n", NULL, true,
	  DT_OVL_OVERLAY_BAD, FWK_ERR_BADFIELD, "fragment@0", "/__symbols__", "__overlay__", -1, false },
	{ "local-fixup-read-past-property",
	  LOOSE_TREE "  __local_fixups__ { fragment@0 { __overlay__ { foo { p = <12>; }; }; }; };\n};\n",
	  NULL, true, DT_OVL_OVERLAY_BAD, FWK_ERR_RANGE, "", "", "__local_fixups__", 1, true },
	{ "fixup-past-property",
	  LOOSE_TREE "  __fixups__ { uart0 = \"/fragment@0/__overlay__/foo:p:12\"; };\n};\n",
	  NULL, true, DT_OVL_OVERLAY_BAD, FWK_ERR_RANGE, "fragment@0", "", "__fixups__", 1,
	  true },
	{ "alias-naming-itself",
	  "/ { fragment@0 { target-path = \"loop\"; __overlay__ { x = <1>; }; }; };\n",
	  alias_loop_base, false, DT_OVL_TARGET_PATH, FWK_ERR_BADFIELD, "fragment@0", "loop",
	  "target-path", 1, false },
	{ "base-with-fixups", "&{/node} { ref = <7>; };\n", unresolved_base, false,
	  DT_OVL_BASE_BAD, FWK_ERR_UNSUPPORTED, "", "", "__fixups__", -1, false },
	{ "base-as-overlay", NULL, NULL, true, DT_OVL_NOT_OVERLAY, FWK_ERR_BADFIELD, "", "",
	  "fragment", -1, false },
	{ "truncated-overlay", NULL, NULL, true, DT_OVL_OVERLAY_BAD, FWK_ERR_TRUNCATED, "", "",
	  NULL, -1, false },
};

#define NREFUSALS (sizeof(refusals) / sizeof(refusals[0]))

static void expect_diag(const struct refusal *r, int rc, const struct dt_overlay_diag *d)
{
	if (rc != r->error || d->problem != r->problem)
		print_error("%s: rc %d problem %d (%s) fragment '%s' name '%s' field %s: %s\n",
			    r->name, rc, d->problem, dt_overlay_problem_text(d->problem),
			    d->fragment, d->name, d->fault.field ? d->fault.field : "-",
			    d->fault.detail ? d->fault.detail : "-");
	assert_int_equal(rc, r->error);
	assert_int_equal(d->problem, r->problem);
	assert_string_equal(d->fragment, r->fragment);
	assert_string_equal(d->name, r->what);
	if (r->field) {
		assert_non_null(d->fault.field);
		assert_string_equal(d->fault.field, r->field);
	}
	assert_int_equal(d->fault.error, rc);
	assert_non_null(d->fault.detail);
}

static void run_refusal(void **state)
{
	const struct refusal *r = *state;
	size_t base_len, ovl_len;
	uint8_t *base = compile("base.dtb", r->base ? r->base : base_src, r->base_symbols,
				&base_len);
	uint8_t *ovl;

	if (r->src && r->raw) {
		ovl = compile("o0.dtbo", r->src, false, &ovl_len);
	} else if (r->src) {
		char src[2048];
		assert_true((size_t)snprintf(src, sizeof(src), PLUGIN "%s", r->src) < sizeof(src));
		ovl = compile("o0.dtbo", src, true, &ovl_len);
	} else if (r->problem == DT_OVL_NOT_OVERLAY) {
		ovl = base_blob(&ovl_len);
	} else {
		size_t full;
		uint8_t *whole = compile("o0.dtbo", PLUGIN "&uart0 { status = \"okay\"; };\n",
					 true, &full);
		ovl_len = full - 8;
		ovl = exact_copy(whole, ovl_len);
		free(whole);
	}

	seed(r->name, base, base_len, ovl, ovl_len);

	/* The plan alone. */
	size_t words;
	uint32_t *s = scratch_for(base_len, ovl_len, &words);
	struct dt_overlay_diag d;
	struct seen seen = { .len = 0 };
	int rc = dt_overlay_plan(base, base_len, ovl, ovl_len, s, words, on_plan_change, &seen,
				 &d);
	expect_diag(r, rc, &d);
	assert_int_equal(seen.len, 0); /* nothing reported for a refused overlay */

	/* Apply: refused the same way, out poisoned, inputs untouched. */
	size_t cap = base_len + 2 * ovl_len + 4096;
	uint8_t *out = malloc(cap), *work = malloc(ovl_len);
	uint8_t *base_copy = exact_copy(base, base_len), *ovl_copy = exact_copy(ovl, ovl_len);
	assert_non_null(out);
	assert_non_null(work);
	memset(out, 0x5a, cap);
	rc = dt_overlay_apply(base, base_len, ovl, ovl_len, out, cap, work, s, words, NULL,
			      NULL, &d);
	expect_diag(r, rc, &d);
	assert_int_not_equal(be32_at(out, 0), DT_MAGIC);
	assert_memory_equal(base, base_copy, base_len);
	assert_memory_equal(ovl, ovl_copy, ovl_len);

	/* The stack: nothing kept, the overlay named. */
	struct dt_blob blob = { ovl, ovl_len, r->name };
	uint8_t *res = (uint8_t *)1;
	size_t res_len = 7, failed = 0;
	rc = dt_apply_stack(base, base_len, &blob, 1, NULL, NULL, &res, &res_len, &failed, &d);
	expect_diag(r, rc, &d);
	assert_null(res);
	assert_int_equal(res_len, 0);
	assert_int_equal(failed, r->problem == DT_OVL_BASE_BAD ? (size_t)-1 : 0);

	/* What libfdt itself makes of it. */
	if (r->libfdt >= 0) {
		char *ref = path_of("ref.dtb"), *bp = path_of("base.dtb"), *op = path_of("o0.dtbo");
		char cmd[1024];
		snprintf(cmd, sizeof(cmd), "fdtoverlay -i '%s' -o '%s' '%s' 2>/dev/null", bp, ref,
			 op);
		int lib = system(cmd); /* sh() would log the expected failures */
		if (r->libfdt == 1) {
			assert_int_not_equal(lib, 0);
		} else {
			/* libfdt "succeeds", and the result is damaged: a phandle
			 * every reference still uses is gone, or a label names
			 * nothing. */
			assert_int_equal(lib, 0);
			size_t rl;
			uint8_t *rb = slurp(ref, &rl);
			size_t rw;
			uint32_t *rs = scratch_for(rl, 0, &rw);
			struct fwk_fault f = { 0 };
			if (r->problem == DT_OVL_PHANDLE_OVERWRITE) {
				assert_int_equal(sh("test \"$(fdtget -t x '%s' /soc/serial@1000 "
						    "phandle)\" != \"$(fdtget -t x '%s' "
						    "/soc/serial@1000 phandle)\"", ref, bp), 0);
			} else {
				assert_int_not_equal(dt_check(rb, rl, rs, rw, NULL, NULL, NULL, &f), 0);
				assert_string_equal(f.field, "__symbols__");
			}
			free(rs);
			free(rb);
		}
		free(ref);
		free(bp);
		free(op);
	}

	free(base_copy);
	free(ovl_copy);
	free(out);
	free(work);
	free(s);
	free(ovl);
	free(base);
}

static void bad_base_is_nobodys_overlay(void **state)
{
	(void)state;
	size_t base_len, ovl_len;
	uint8_t *base = base_blob(&base_len);
	uint8_t *ovl = compile("o0.dtbo", PLUGIN "&uart0 { status = \"okay\"; };\n", true,
			       &ovl_len);
	struct dt_blob blob = { ovl, ovl_len, "o0" };
	struct dt_overlay_diag d;
	uint8_t *res = (uint8_t *)1;
	size_t res_len = 3, failed = 0;

	base[0] ^= 1; /* magic */
	int rc = dt_apply_stack(base, base_len, &blob, 1, NULL, NULL, &res, &res_len, &failed, &d);
	assert_int_equal(rc, FWK_ERR_BADMAGIC);
	assert_int_equal(d.problem, DT_OVL_BASE_BAD);
	assert_int_equal(failed, (size_t)-1);
	assert_null(res);

	/* No overlay at all: the base is still checked. */
	res = (uint8_t *)1;
	rc = dt_apply_stack(base, base_len, &blob, 0, NULL, NULL, &res, &res_len, &failed, &d);
	assert_int_equal(rc, FWK_ERR_BADMAGIC);
	assert_int_equal(failed, (size_t)-1);
	assert_null(res);
	base[0] ^= 1;
	rc = dt_apply_stack(base, base_len, &blob, 0, NULL, NULL, &res, &res_len, &failed, &d);
	assert_int_equal(rc, 0);
	assert_non_null(res);
	assert_true(res_len <= base_len);
	assert_tree_good(res, res_len);
	free(res);
	free(ovl);
	free(base);
}

static void stack_fails_at_second(void **state)
{
	(void)state;
	size_t base_len, l0, l1;
	uint8_t *base = base_blob(&base_len);
	uint8_t *o0 = compile("o0.dtbo", PLUGIN "&soc { nd: nd@9 { reg = <9 1>; }; };\n", true,
			      &l0);
	uint8_t *o1 = compile("o1.dtbo", PLUGIN "&nd { x = <1>; };\n&typo { y = <2>; };\n", true,
			      &l1);
	struct dt_blob blobs[2] = { { o0, l0, "o0" }, { o1, l1, "o1" } };
	struct dt_overlay_diag d;
	struct seen seen = { .len = 0 };
	uint8_t *res = (uint8_t *)1;
	size_t res_len = 3, failed = 0;

	int rc = dt_apply_stack(base, base_len, blobs, 2, on_stack_change, &seen, &res, &res_len,
				&failed, &d);
	assert_int_equal(rc, FWK_ERR_BADFIELD);
	assert_int_equal(d.problem, DT_OVL_UNRESOLVED_LABEL);
	assert_string_equal(d.name, "typo");
	assert_string_equal(d.fragment, "fragment@1");
	assert_int_equal(failed, 1);
	assert_null(res);
	assert_int_equal(res_len, 0);
	/* The first overlay was planned (and reported) before the second failed;
	 * the label it defined resolved for the second. */
	assert_string_equal(seen.text, "0 created /soc/nd@9\n");
	free(o0);
	free(o1);
	free(base);
}

/* libfdt 1.6.1 reads trees only at 8-byte aligned addresses: the core says
 * so, the stack copies (a file in a cpio archive is only 4-aligned). */
static void unaligned_inputs(void **state)
{
	(void)state;
	size_t base_len, ovl_len, words;
	uint8_t *base = base_blob(&base_len);
	uint8_t *ovl = compile("o0.dtbo", PLUGIN "&uart0 { status = \"okay\"; };\n", true,
			       &ovl_len);
	uint8_t *odd = malloc(ovl_len + 8), *odd_base = malloc(base_len + 8);
	uint32_t *s = scratch_for(base_len, ovl_len, &words);
	struct dt_overlay_diag d;

	memcpy(odd + 4, ovl, ovl_len);
	memcpy(odd_base + 4, base, base_len);
	int rc = dt_overlay_plan(base, base_len, odd + 4, ovl_len, s, words, NULL, NULL, &d);
	assert_int_equal(rc, FWK_ERR_INVAL);
	assert_int_equal(d.problem, DT_OVL_LIBFDT);
	assert_int_equal(d.libfdt_error, -FDT_ERR_ALIGNMENT);
	assert_string_equal(d.fault.field, "overlay");

	struct dt_blob blob = { odd + 4, ovl_len, "odd" };
	uint8_t *a = NULL, *b = NULL;
	size_t al = 0, bl = 0, failed;
	assert_int_equal(dt_apply_stack(odd_base + 4, base_len, &blob, 1, NULL, NULL, &a, &al,
					&failed, &d), 0);
	blob.data = ovl;
	assert_int_equal(dt_apply_stack(base, base_len, &blob, 1, NULL, NULL, &b, &bl, &failed,
					&d), 0);
	assert_int_equal(al, bl);
	assert_memory_equal(a, b, al);
	uint8_t *c = NULL;
	size_t cl = 0;
	assert_int_equal(dt_apply_stack(odd_base + 4, base_len, &blob, 0, NULL, NULL, &c, &cl,
					&failed, &d), 0);
	assert_tree_good(c, cl);
	free(a);
	free(b);
	free(c);
	free(s);
	free(odd);
	free(odd_base);
	free(ovl);
	free(base);
}

/* ---- NOSPACE and the retry ---- */

static void nospace_then_retry(void **state)
{
	(void)state;
	size_t base_len, ovl_len, words;
	uint8_t *base = base_blob(&base_len);
	uint8_t *ovl = compile("o0.dtbo", PLUGIN "&i2c0 { status = \"okay\";\n"
			       "	sensor@48 { compatible = \"fwkit,temp\"; reg = <0x48>;\n"
			       "		interrupt-parent = <&gpio>; }; };\n", true, &ovl_len);
	uint32_t *s = scratch_for(base_len, ovl_len, &words);
	uint8_t *work = malloc(ovl_len);
	struct dt_overlay_diag d;

	/* No buffer at all, then the base's own size: both too small. */
	int rc = dt_overlay_apply(base, base_len, ovl, ovl_len, NULL, 0, work, s, words, NULL,
			      NULL, &d);
	assert_int_equal(rc, FWK_ERR_NOSPACE);
	assert_int_equal(d.problem, DT_OVL_NOSPACE);
	uint8_t *small = malloc(base_len);
	rc = dt_overlay_apply(base, base_len, ovl, ovl_len, small, base_len, work, s, words, NULL,
			      NULL, &d);
	assert_int_equal(rc, FWK_ERR_NOSPACE);
	assert_int_equal(d.problem, DT_OVL_NOSPACE);
	assert_int_not_equal(be32_at(small, 0), DT_MAGIC);

	/* The documented size is enough; the packed result is what libfdt's
	 * own tool makes. */
	size_t cap = base_len + 2 * ovl_len + 4096;
	uint8_t *out = malloc(cap);
	rc = dt_overlay_apply(base, base_len, ovl, ovl_len, out, cap, work, s, words, NULL,
			      NULL, &d);
	assert_true(rc > 0);
	assert_int_equal((size_t)rc, totalsize(out));
	assert_true((size_t)rc <= cap);
	assert_tree_good(out, (size_t)rc);
	char *mine = path_of("mine.dtb"), *ref = path_of("ref.dtb");
	char *bp = path_of("base.dtb"), *op = path_of("o0.dtbo");
	spew(mine, out, (size_t)rc);
	assert_int_equal(sh("fdtoverlay -i '%s' -o '%s' '%s'", bp, ref, op), 0);
	char *a = decompile("mine.dtb"), *b = decompile("ref.dtb");
	assert_string_equal(a, b);

	/* The exact packed size is enough too; one byte less is not, at least
	 * for the unpacked work libfdt does in it. */
	uint8_t *exact = malloc((size_t)rc);
	int rc2 = dt_overlay_apply(base, base_len, ovl, ovl_len, exact, (size_t)rc, work, s,
				   words, NULL, NULL, &d);
	assert_true(rc2 == rc || (rc2 == FWK_ERR_NOSPACE && d.problem == DT_OVL_NOSPACE));

	free(exact);
	free(a);
	free(b);
	free(mine);
	free(ref);
	free(bp);
	free(op);
	free(out);
	free(small);
	free(work);
	free(s);
	free(ovl);
	free(base);
}

static void problem_texts(void **state)
{
	(void)state;
	for (int p = DT_OVL_OK; p <= DT_OVL_NOSPACE; p++) {
		const char *t = dt_overlay_problem_text((enum dt_overlay_problem)p);
		assert_non_null(t);
		assert_true(strlen(t) > 10);
		for (int q = DT_OVL_OK; q < p; q++)
			assert_string_not_equal(t, dt_overlay_problem_text((enum dt_overlay_problem)q));
	}
	assert_string_equal(dt_overlay_problem_text((enum dt_overlay_problem)99),
			    "unknown overlay problem");
}

/* ---- overlays in cpio archives ---- */

struct got {
	char text[2048];
	size_t len;
	int calls, stop_after;
};

static int on_overlay(void *ctx, const char *name, size_t namelen, const uint8_t *data,
		      size_t len)
{
	struct got *g = ctx;
	int n = snprintf(g->text + g->len, sizeof(g->text) - g->len, "%.*s=%.*s\n",
			 (int)namelen, name, (int)len, (const char *)data);
	assert_true(n > 0 && (size_t)n < sizeof(g->text) - g->len);
	g->len += (size_t)n;
	g->calls++;
	return g->stop_after && g->calls >= g->stop_after ? -77 : 0;
}

#define OD "kernel/firmware/dtb/overlays"

static void add_file(struct cpio_writer *w, const char *name, const char *data)
{
	assert_int_equal(cpio_writer_add_file(w, name, 0644, data, (uint32_t)strlen(data), 0), 0);
}

static void cpio_from_fwkit_writer(void **state)
{
	(void)state;
	static uint8_t buf[16384];
	struct cpio_writer w;
	struct cpio_stat link = { .mode = CPIO_S_IFLNK | 0777, .size = 6 };
	size_t len;

	memset(buf, 0xee, sizeof(buf));
	cpio_writer_init(&w, buf, sizeof(buf), 0, 1700000000u);
	assert_int_equal(cpio_writer_add_dir(&w, "kernel", 0755), 0);
	assert_int_equal(cpio_writer_add_dir(&w, OD, 0755), 0);
	add_file(&w, OD "/b.dtbo", "B1");
	add_file(&w, "./" OD "/a.dtbo", "A1");
	add_file(&w, OD "/sub/c.dtbo", "deeper");
	add_file(&w, OD "/readme.txt", "not an overlay");
	add_file(&w, "kernel/firmware/dtb/x.dtbo", "outside");
	add_file(&w, OD "/.dtbo", "no name before the suffix");
	add_file(&w, OD "x/y.dtbo", "a sibling directory");
	assert_int_equal(cpio_writer_add_dir(&w, OD "/d.dtbo", 0755), 0);
	assert_int_equal(cpio_writer_add(&w, OD "/e.dtbo", &link, "b.dtbo", 0), 0);
	add_file(&w, OD "//b.dtbo", "B2"); /* the same file: replaces B1 */
	add_file(&w, OD "/k.dtbo", "K1");
	assert_int_equal(cpio_writer_add_dir(&w, "./" OD "/k.dtbo", 0755), 0); /* replaces K1 */
	assert_int_equal(cpio_writer_finish(&w, 512), 0);
	len = (size_t)w.off;

	/* A second archive after NUL padding, as initramfs images are made. */
	memset(buf + len, 0, 12);
	len += 12;
	cpio_writer_init(&w, buf + len, sizeof(buf) - len, len, 1700000000u);
	add_file(&w, "./" OD "/0first.dtbo", "Z");
	add_file(&w, OD "/a.dtbo", "A2");
	assert_int_equal(cpio_writer_finish(&w, 0), 0);
	len += (size_t)w.off;
	memset(buf + len, 0, 8);
	len += 8;

	struct got g = { .len = 0 };
	struct fwk_fault f = { 0 };
	uint8_t *img = exact_copy(buf, len);
	assert_int_equal(dt_cpio_overlays(img, len, on_overlay, &g, &f), 3);
	assert_string_equal(g.text, "./" OD "/0first.dtbo=Z\n" OD "/a.dtbo=A2\n" OD
			    "//b.dtbo=B2\n");

	/* A negative return stops the walk and is the result. */
	struct got stop = { .len = 0, .stop_after = 2 };
	assert_int_equal(dt_cpio_overlays(img, len, on_overlay, &stop, &f), -77);
	assert_int_equal(stop.calls, 2);

	/* Cut inside the second archive: the reader's error, nothing handed out. */
	struct got cut = { .len = 0 };
	size_t first_len = len - (size_t)w.off - 8;
	uint8_t *part = exact_copy(buf, first_len + 130);
	int rc = dt_cpio_overlays(part, first_len + 130, on_overlay, &cut, &f);
	assert_int_equal(rc, FWK_ERR_TRUNCATED);
	assert_int_equal(f.error, rc);
	assert_true(f.offset >= first_len && f.offset <= first_len + 130);
	assert_int_equal(cut.calls, 0);
	free(part);

	/* Garbage after the archives. */
	uint8_t *junk = malloc(len + 4);
	memcpy(junk, buf, len);
	memcpy(junk + len, "junk", 4);
	rc = dt_cpio_overlays(junk, len + 4, on_overlay, &cut, &f);
	assert_int_equal(rc, FWK_ERR_BADMAGIC);
	assert_int_equal(f.offset, len);
	free(junk);

	/* Nothing at all. */
	assert_int_equal(dt_cpio_overlays(NULL, 0, on_overlay, &cut, &f), 0);
	free(img);
}

/* Each overlay costs dt_cpio_overlays a pass over the input: it hands out
 * at most 1024, and says so before handing out any. */
static void cpio_overlay_cap(void **state)
{
	(void)state;
	size_t cap = 1100 * 160;
	uint8_t *buf = malloc(cap);
	struct cpio_writer w;
	char name[96];

	assert_non_null(buf);
	cpio_writer_init(&w, buf, cap, 0, 0);
	for (int i = 0; i <= 1024; i++) {
		snprintf(name, sizeof(name), OD "/%04d.dtbo", i);
		add_file(&w, name, "x");
	}
	assert_int_equal(cpio_writer_finish(&w, 0), 0);
	struct got g = { .len = 0 };
	struct fwk_fault f = { 0 };
	assert_int_equal(dt_cpio_overlays(buf, (size_t)w.off, on_overlay, &g, &f), FWK_ERR_LIMIT);
	assert_int_equal(g.calls, 0);
	assert_string_equal(f.field, "name");
	free(buf);
}

/* The plan follows at most 8192 nodes under __overlay__ nodes (a look-up
 * among created siblings rescans the walk). */
static void walk_cap(void **state)
{
	(void)state;
	size_t n = 0, cap = 8300 * 16 + 256, base_len, ovl_len, words;
	char *src = malloc(cap);

	assert_non_null(src);
	n += (size_t)snprintf(src + n, cap - n, PLUGIN "&{/} {\n");
	for (int i = 0; i < 8193; i++)
		n += (size_t)snprintf(src + n, cap - n, "n%d{};", i);
	n += (size_t)snprintf(src + n, cap - n, "\n};\n");
	assert_true(n < cap);
	uint8_t *base = base_blob(&base_len);
	uint8_t *ovl = compile("o0.dtbo", src, true, &ovl_len);
	uint32_t *s = scratch_for(base_len, ovl_len, &words);
	struct dt_overlay_diag d;
	assert_int_equal(dt_overlay_plan(base, base_len, ovl, ovl_len, s, words, NULL, NULL, &d),
			 FWK_ERR_LIMIT);
	assert_int_equal(d.problem, DT_OVL_OVERLAY_BAD);
	assert_string_equal(d.fault.field, "__overlay__");
	free(s);
	free(ovl);
	free(base);
	free(src);
}

static void cpio_from_gnu_cpio(void **state)
{
	(void)state;
	char *t = path_of("tree"), *t2 = path_of("tree2"), *t3 = path_of("tree3");
	char *img = path_of("gnu.img");

	assert_int_equal(sh("mkdir -p '%s/" OD "/sub' '%s/" OD "' '%s/" OD "' && "
			    "cd '%s' && printf Z1 > " OD "/z.dtbo && printf M1 > " OD "/m.dtbo && "
			    "printf txt > " OD "/notes.txt && printf D > " OD "/sub/deep.dtbo && "
			    "printf T > kernel/firmware/dtb/top.dtbo && "
			    "printf M2 > '%s/" OD "/m.dtbo' && printf Q > '%s/" OD "/q.dtbo'",
			    t, t2, t3, t, t2, t3), 0);
	/* Two archives (GNU cpio pads each to 512 bytes with NULs), then a
	 * compressed one, which ends what dt_cpio_overlays reads. */
	assert_int_equal(sh("(cd '%s' && find . | LC_ALL=C sort | cpio -o -H newc --quiet) > '%s' && "
			    "(cd '%s' && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >> '%s' && "
			    "(cd '%s' && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -n) "
			    ">> '%s'", t, img, t2, img, t3, img), 0);
	size_t len;
	uint8_t *b = slurp(img, &len);
	struct got g = { .len = 0 };
	struct fwk_fault f = { 0 };
	assert_int_equal(dt_cpio_overlays(b, len, on_overlay, &g, &f), 2);
	/* GNU cpio writes "./x" from find as "x". */
	assert_string_equal(g.text, OD "/m.dtbo=M2\n" OD "/z.dtbo=Z1\n");
	free(b);
	free(t);
	free(t2);
	free(t3);
	free(img);
}

static int setup(void **state)
{
	(void)state;
	dir = temp_dir("dt-overlay");
	/* The tools the comparisons need: missing ones fail every test. */
	if (sh("dtc --version >/dev/null && command -v fdtoverlay >/dev/null && "
	       "command -v fdtget >/dev/null && command -v cpio >/dev/null") != 0) {
		fprintf(stderr, "test_dt_overlay: dtc, fdtoverlay, fdtget and cpio are needed\n");
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	remove_dir(dir);
	return 0;
}

#define CASE(i) { cases[i].name, run_case, NULL, NULL, (void *)&cases[i] }
#define REFUSAL(i) { refusals[i].name, run_refusal, NULL, NULL, (void *)&refusals[i] }

int main(void)
{
	const struct CMUnitTest tests[] = {
		CASE(0), CASE(1), CASE(2), CASE(3), CASE(4), CASE(5), CASE(6), CASE(7),
		CASE(8), CASE(9), CASE(10), CASE(11), CASE(12), CASE(13), CASE(14), CASE(15),
		CASE(16), CASE(17), CASE(18), CASE(19), CASE(20),
		REFUSAL(0), REFUSAL(1), REFUSAL(2), REFUSAL(3), REFUSAL(4), REFUSAL(5),
		REFUSAL(6), REFUSAL(7), REFUSAL(8), REFUSAL(9), REFUSAL(10), REFUSAL(11),
		REFUSAL(12), REFUSAL(13), REFUSAL(14), REFUSAL(15), REFUSAL(16), REFUSAL(17),
		REFUSAL(18),
		cmocka_unit_test(unaligned_inputs),
		cmocka_unit_test(bad_base_is_nobodys_overlay),
		cmocka_unit_test(stack_fails_at_second),
		cmocka_unit_test(nospace_then_retry),
		cmocka_unit_test(problem_texts),
		cmocka_unit_test(cpio_from_fwkit_writer),
		cmocka_unit_test(cpio_from_gnu_cpio),
		cmocka_unit_test(cpio_overlay_cap),
		cmocka_unit_test(walk_cap),
	};

	_Static_assert(NCASES == 21, "every comparison case is in the list");
	_Static_assert(NREFUSALS == 19, "every refusal is in the list");
	return cmocka_run_group_tests_name("dt_overlay", tests, setup, teardown);
}

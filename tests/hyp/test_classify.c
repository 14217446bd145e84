/* SPDX-License-Identifier: MIT */
/* test_classify.c - cmocka tests of boot_classify, boot_kind_name and
 * boot_kind_parse, and of the hyp-hooks text builder: every real ACPI table
 * and Intel microcode file of the shared corpus, trees and overlays made
 * with dtc, initrds made with `fwkit initrd build|prepend`, gzip, zstd and
 * xz files, fwb containers made with `fwkit blob pack`, an ELF from the
 * system, hand-made kernel headers and AMD containers; one defect per kind;
 * the command-line hints and /chosen roles. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../support/testkit.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <fwkit/bootpipe.h>
#include <fwkit/cpio.h>
#include <fwkit/dt.h>

#include "../../hyp-hooks/member.h"
#include "../../hyp-hooks/text.h"

static char *tmp;   /* this program's scratch directory */

/* The fwkit CLI: $FWKIT, else $FWKIT_BUILD/fwkit, else build/fwkit; it must
 * be there. */
static const char *fwkit_cli(void)
{
	static char p[PATH_MAX];
	const char *env = getenv("FWKIT"), *b = getenv("FWKIT_BUILD");
	struct stat st;

	if (env && *env)
		snprintf(p, sizeof(p), "%s", env);
	else
		snprintf(p, sizeof(p), "%s/fwkit", b && *b ? b : "build");
	if (stat(p, &st) != 0)
		fail_msg("the fwkit CLI %s is missing: run make first", p);
	return p;
}

/* A path in tmp. */
static const char *tmp_path(const char *name)
{
	static char p[4][PATH_MAX];
	static unsigned n;
	char *r = p[n++ % 4];

	snprintf(r, PATH_MAX, "%s/%s", tmp, name);
	return r;
}

/* Classify an exact heap copy of data[0..len) with exactly the scratch the
 * contract asks for, and check what holds for every answer. */
static struct boot_class classify_role(const void *data, size_t len, const char *cmdline,
				       enum boot_module_role role)
{
	struct boot_class c;
	uint8_t *copy = exact_copy(data, len);
	size_t words = BOOT_SCRATCH_WORDS(len);
	uint32_t *scratch = malloc(words * sizeof(*scratch));

	assert_non_null(scratch);
	memset(&c, 0xa5, sizeof(c));
	assert_int_equal(boot_classify(copy, len, cmdline, cmdline ? strlen(cmdline) : 0,
				       role, scratch, words, &c), 0);
	assert_true((unsigned)c.kind < BOOT_KINDS);
	assert_true(memchr(c.reason, '\0', sizeof(c.reason)) != NULL);
	assert_true(c.reason[0] != '\0');
	assert_true(strchr(c.reason, '\n') == NULL);
	assert_true(!c.valid || c.kind != BOOT_KIND_UNKNOWN);
	if (!c.valid && c.kind != BOOT_KIND_UNKNOWN) {
		assert_non_null(c.fault.field);
		assert_non_null(c.fault.detail);
		assert_true(c.fault.error < 0);
		assert_true(c.fault.offset <= len);
	}
	assert_memory_equal(copy, data, len);
	free(scratch);
	free(copy);
	return c;
}

static struct boot_class classify(const void *data, size_t len, const char *cmdline)
{
	return classify_role(data, len, cmdline, BOOT_ROLE_NONE);
}

static struct boot_class classify_file(const char *path, const char *cmdline)
{
	size_t len;
	uint8_t *b = slurp(path, &len);
	struct boot_class c = classify(b, len, cmdline);

	free(b);
	return c;
}

static void expect(const struct boot_class *c, enum boot_kind kind, bool valid,
		   const char *reason)
{
	if (c->kind != kind || c->valid != valid || strcmp(c->reason, reason) != 0)
		fail_msg("got %s %s \"%s\", want %s %s \"%s\"", boot_kind_name(c->kind),
			 c->valid ? "valid" : "invalid", c->reason, boot_kind_name(kind),
			 valid ? "valid" : "invalid", reason);
}

/* Like expect, for a reason that starts with `head`. */
static void expect_head(const struct boot_class *c, enum boot_kind kind, bool valid,
			const char *head)
{
	if (c->kind != kind || c->valid != valid || strncmp(c->reason, head, strlen(head)) != 0)
		fail_msg("got %s %s \"%s\", want %s %s \"%s...\"", boot_kind_name(c->kind),
			 c->valid ? "valid" : "invalid", c->reason, boot_kind_name(kind),
			 valid ? "valid" : "invalid", head);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* A corpus table, or fail. */
static uint8_t *corpus_table(const char *machine, const char *name, size_t *len)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/corpus/acpi/linuxhw/%s/%s", shared_dir(), machine, name);
	return slurp(p, len);
}

static const char *intel_file(const char *name)
{
	static char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/corpus/microcode/intel/%s", shared_dir(), name);
	return p;
}

/* ---- the text builder ------------------------------------------------------ */

static void test_text(void **state)
{
	(void)state;
	char buf[16];
	struct boot_text t;

	assert_int_equal(boot_strlen(""), 0);
	assert_int_equal(boot_strlen("abc"), 3);

	boot_text_init(&t, buf, sizeof(buf));
	assert_string_equal(buf, "");
	boot_text_u64(&t, 0);
	boot_text_str(&t, " ");
	boot_text_u64(&t, 18446744073709551615ull);
	assert_true(t.overflow);
	assert_int_equal(t.len, 15);
	assert_string_equal(buf, "0 1844674407370");
	assert_true(boot_text_cut(&t, "..."));
	assert_string_equal(buf, "0 1844674407...");

	boot_text_init(&t, buf, sizeof(buf));
	boot_text_hex(&t, 0, 0);
	boot_text_hex(&t, 0xab, 4);
	boot_text_hex(&t, 0xdeadbeefull, 0);
	assert_false(t.overflow);
	assert_string_equal(buf, "000abdeadbeef");
	assert_false(boot_text_cut(&t, "..."));
	assert_string_equal(buf, "000abdeadbeef");

	boot_text_init(&t, buf, sizeof(buf));
	boot_text_escaped(&t, (const uint8_t *)"a\\\n\x7f\xff", 5);
	assert_string_equal(buf, "a\\\\\\x0a\\x7f\\xff");
	assert_false(t.overflow);
	boot_text_str(&t, "z");
	assert_true(t.overflow);

	/* A cut whose mark needs the last characters of a full buffer. */
	boot_text_init(&t, buf, sizeof(buf));
	boot_text_str(&t, "0123456789abcdefXYZ");
	assert_true(boot_text_cut(&t, "...\n"));
	assert_string_equal(buf, "0123456789a...\n");
	assert_int_equal(strlen(buf), t.len);

	char big[96];
	const char *none = getenv("FWKIT_TEST_NEVER_SET_THIS");
	boot_text_init(&t, big, sizeof(big));
	boot_text_fmt(&t, "%s|%u|%x|%llu|%llx|%02x|%016llx|%%|%s|", "s", 42u, 0xbeefu,
		      12345678901234ull, 0x123456789abull, 5u, 0xfeull, none);
	assert_string_equal(big, "s|42|beef|12345678901234|123456789ab|05|00000000000000fe|%||");

	/* No room at all, and room for the NUL only. */
	boot_text_init(&t, NULL, 0);
	boot_text_str(&t, "x");
	assert_true(t.overflow);
	assert_int_equal(t.len, 0);
	boot_text_init(&t, buf, 1);
	boot_text_fmt(&t, "%u", 7u);
	assert_true(t.overflow);
	assert_string_equal(buf, "");
	assert_true(boot_text_cut(&t, "..."));
	assert_string_equal(buf, "");
}

/* ---- kind names ------------------------------------------------------------ */

static void test_kind_names(void **state)
{
	(void)state;
	static const char *const names[BOOT_KINDS] = {
		"unknown", "acpi-table", "dtb", "dt-overlay", "cpio", "compressed",
		"ucode-intel", "ucode-amd", "fwb", "kernel",
	};

	for (unsigned k = 0; k < BOOT_KINDS; k++) {
		assert_string_equal(boot_kind_name((enum boot_kind)k), names[k]);
		assert_int_equal(boot_kind_parse(names[k], strlen(names[k])), k);
	}
	assert_string_equal(boot_kind_name((enum boot_kind)BOOT_KINDS), "unknown");
	assert_string_equal(boot_kind_name((enum boot_kind)-1), "unknown");
	assert_int_equal(boot_kind_parse("dtb", 2), BOOT_KIND_UNKNOWN);
	assert_int_equal(boot_kind_parse("dtbo", 4), BOOT_KIND_UNKNOWN);
	assert_int_equal(boot_kind_parse("DTB", 3), BOOT_KIND_UNKNOWN);
	assert_int_equal(boot_kind_parse("ucode", 5), BOOT_KIND_UNKNOWN);
	assert_int_equal(boot_kind_parse("", 0), BOOT_KIND_UNKNOWN);
	assert_int_equal(boot_kind_parse(NULL, 3), BOOT_KIND_UNKNOWN);
	/* Not NUL-terminated: only len bytes count. */
	assert_int_equal(boot_kind_parse("fwbx", 3), BOOT_KIND_FWB);
}

/* ---- ACPI tables ------------------------------------------------------------ */

/* Corpus tables that are not a valid acpi-table, and why: a FACS has no
 * checksum or OEM fields, the others carry vendor signatures fwkit does not
 * know (each well formed, so an invalid acpi-table); GSCI and OEMB also do
 * not sum to 0 as their firmware wrote them, so they are of no known format. */
static const char *const unknown_sigs[] = {
	"AAFT", "ASPT", "BATB", "FIDT", "MIGT", "NITR", "NPKT", "OEM1", "OEML",
	"POAT", "PRAM", "PSDS", "RTMA", "SVOS", "VFCT",
};
static const char *const bad_sum_sigs[] = { "GSCI", "OEMB" };

static bool listed(const uint8_t *sig, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (memcmp(sig, list[i], 4) == 0)
			return true;
	return false;
}

static void test_acpi_corpus(void **state)
{
	(void)state;
	char root[PATH_MAX];
	unsigned total = 0, valid = 0, facs = 0, unknown_sig = 0, bad_sum = 0;
	struct dirent **machines;

	snprintf(root, sizeof(root), "%s/corpus/acpi/linuxhw", shared_dir());
	int nm = scandir(root, &machines, NULL, alphasort);
	assert_true(nm > 0);
	for (int m = 0; m < nm; m++) {
		char dir[PATH_MAX + 256];
		struct dirent **files;

		snprintf(dir, sizeof(dir), "%s/%s", root, machines[m]->d_name);
		int nf = machines[m]->d_name[0] == '.' ? -1 : scandir(dir, &files, NULL, alphasort);
		for (int i = 0; i < nf; i++) {
			const char *n = files[i]->d_name;
			size_t l = strlen(n), len;
			char path[PATH_MAX * 2];

			if (l < 5 || strcmp(n + l - 4, ".dat") != 0) {
				free(files[i]);
				continue;
			}
			snprintf(path, sizeof(path), "%s/%s", dir, n);
			uint8_t *b = slurp(path, &len);
			struct boot_class c = classify(b, len, NULL);
			total++;
			if (memcmp(b, "FACS", 4) == 0) {
				expect(&c, BOOT_KIND_ACPI_TABLE, false,
				       "acpi-table FACS at 0x0: Signature: not a table fwkit "
				       "takes from a module");
				facs++;
			} else if (listed(b, unknown_sigs, sizeof(unknown_sigs) / sizeof(*unknown_sigs))) {
				expect_head(&c, BOOT_KIND_ACPI_TABLE, false, "acpi-table ");
				assert_string_equal(c.fault.field, "Signature");
				unknown_sig++;
			} else if (listed(b, bad_sum_sigs, 2)) {
				expect_head(&c, BOOT_KIND_UNKNOWN, false, "no known format (first bytes");
				bad_sum++;
			} else {
				char id[ACPI_IDENTITY_MAX], want[BOOT_REASON_MAX];

				assert_int_equal(c.acpi.length, len);
				acpi_identity(&c.acpi, id);
				snprintf(want, sizeof(want), "%s, %zu bytes, checksum ok", id, len);
				expect(&c, BOOT_KIND_ACPI_TABLE, true, want);
				assert_memory_equal(c.acpi.signature, b, 4);
				valid++;
			}
			free(b);
			free(files[i]);
		}
		if (nf >= 0)
			free(files);
		free(machines[m]);
	}
	free(machines);
	print_message("# linuxhw: %u tables: %u valid acpi-table, %u FACS, %u of a signature "
		      "fwkit does not know, %u of no known format\n",
		      total, valid, facs, unknown_sig, bad_sum);
	assert_int_equal(total, valid + facs + unknown_sig + bad_sum);
	assert_true(valid >= 700 && facs >= 20 && unknown_sig >= 15 && bad_sum == 2);
}

static void test_acpi_defects(void **state)
{
	(void)state;
	size_t len;
	uint8_t *t = corpus_table("0025", "dsdt.dat", &len);
	uint8_t *b = malloc(len + 8);
	struct boot_class c;

	assert_non_null(b);
	/* One byte changed: the checksum. */
	memcpy(b, t, len);
	b[len / 2] ^= 0x40;
	c = classify(b, len, NULL);
	expect(&c, BOOT_KIND_ACPI_TABLE, false,
	       "acpi-table DSDT at 0x9: Checksum: the bytes do not sum to 0");
	assert_int_equal(c.fault.error, FWK_ERR_CHECKSUM);
	assert_int_equal(c.fault.offset, 9);

	/* Cut short: Length says more than the module has. */
	c = classify(t, len - 1, NULL);
	expect_head(&c, BOOT_KIND_ACPI_TABLE, false, "acpi-table DSDT at 0x4: Length: ");
	assert_int_equal(c.fault.error, FWK_ERR_RANGE);
	c = classify(t, 20, NULL);
	expect_head(&c, BOOT_KIND_ACPI_TABLE, false, "acpi-table DSDT at 0x4: Length: ");
	assert_int_equal(c.fault.error, FWK_ERR_TRUNCATED);

	/* Trailing bytes after a table that sums to 0. */
	memcpy(b, t, len);
	memset(b + len, 0, 8);
	c = classify(b, len + 8, NULL);
	expect(&c, BOOT_KIND_ACPI_TABLE, false,
	       "acpi-table DSDT at 0x4: Length: less than the module's size: trailing bytes");

	/* A Length below the header's size. */
	memcpy(b, t, 36);
	put32(b + 4, 20);
	b[9] = 0;
	b[9] = acpi_checksum_fix_value(b, 36);
	c = classify(b, 36, NULL);
	expect_head(&c, BOOT_KIND_ACPI_TABLE, false, "acpi-table DSDT at 0x4: Length: ");

	/* Just "SSDT": four bytes of a known signature. */
	c = classify("SSDT", 4, NULL);
	expect_head(&c, BOOT_KIND_ACPI_TABLE, false, "acpi-table SSDT at 0x");
	free(b);
	free(t);
}

/* ---- microcode -------------------------------------------------------------- */

/* How many updates `fwkit ucode info` counts in a file. */
static unsigned cli_updates(const char *path)
{
	char cmd[PATH_MAX * 2], line[256] = "";
	unsigned n = 0;

	snprintf(cmd, sizeof(cmd), "'%s' ucode info '%s' | tail -n 1", fwkit_cli(), path);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	if (!fgets(line, sizeof(line), p))
		line[0] = '\0';
	assert_int_equal(pclose(p), 0);
	if (sscanf(line, " %u update", &n) != 1)
		fail_msg("fwkit ucode info %s ended with \"%s\"", path, line);
	return n;
}

static void test_intel_corpus(void **state)
{
	(void)state;
	char dir[PATH_MAX];
	struct dirent **files;
	unsigned seen = 0;

	snprintf(dir, sizeof(dir), "%s/corpus/microcode/intel", shared_dir());
	int nf = scandir(dir, &files, NULL, alphasort);
	assert_true(nf > 0);
	for (int i = 0; i < nf; i++) {
		const char *n = files[i]->d_name;
		if (n[0] != '.' && strncmp(n, "LICENSE", 7) != 0) {
			const char *path = intel_file(n);
			struct boot_class c = classify_file(path, NULL);
			unsigned want = cli_updates(path);
			char head[64];

			snprintf(head, sizeof(head), "%u update%s, signature 0x", want,
				 want == 1 ? "" : "s");
			expect_head(&c, BOOT_KIND_UCODE_INTEL, true, head);
			assert_int_equal(c.count, want);
			assert_non_null(strstr(c.reason, ", newest revision 0x"));
			seen++;
		}
		free(files[i]);
	}
	free(files);
	print_message("# intel microcode: %u files, each ucode-intel valid\n", seen);
	assert_true(seen >= 8);

	/* Two signatures, one run each; the newest revision is the larger. */
	struct boot_class c = classify_file(intel_file("06-9a-04"), NULL);
	expect(&c, BOOT_KIND_UCODE_INTEL, true,
	       "2 updates, signature 0x906a3 0x906a4, newest revision 0x43a");
	c = classify_file(intel_file("0f-00-07"), NULL);
	expect(&c, BOOT_KIND_UCODE_INTEL, true,
	       "2 updates, signature 0xf07, newest revision 0x12");
}

static void test_intel_defects(void **state)
{
	(void)state;
	size_t len;
	uint8_t *b = slurp(intel_file("0f-00-07"), &len);
	struct boot_class c;

	assert_int_equal(len, 4096);
	/* A data byte of the second update changed. */
	b[2048 + 100] ^= 1;
	c = classify(b, len, NULL);
	expect(&c, BOOT_KIND_UCODE_INTEL, false, "ucode-intel at 0x810: checksum: "
	       "the dwords of header and data do not sum to 0");
	assert_int_equal(c.count, 0);
	b[2048 + 100] ^= 1;
	/* Cut inside the second update. */
	c = classify(b, len - 16, NULL);
	expect_head(&c, BOOT_KIND_UCODE_INTEL, false, "ucode-intel at 0x820: total_size: ");
	/* A header_version of 2 with loader_revision 1 still reads as Intel. */
	put32(b, 2);
	c = classify(b, len, NULL);
	expect_head(&c, BOOT_KIND_UCODE_INTEL, false, "ucode-intel at 0x0: header_version: ");
	free(b);
}

/* An AMD container for family 17h: an equivalence table of one CPU and
 * the terminator, then `patches` patches of 96 bytes. */
static size_t amd_container(uint8_t *b, unsigned patches, uint32_t first_id)
{
	size_t o = 0;

	memset(b, 0, 12 + 32 + patches * (8 + 96));
	put32(b, UCODE_AMD_MAGIC);
	put32(b + 4, UCODE_AMD_TYPE_EQUIV);
	put32(b + 8, 32);
	put32(b + 12, 0x00800f12);       /* installed_cpu: family 17h */
	b[24] = 0x12;                    /* equiv_cpu 0x8012 */
	b[25] = 0x80;
	o = 12 + 32;
	for (unsigned i = 0; i < patches; i++) {
		put32(b + o, UCODE_AMD_TYPE_PATCH);
		put32(b + o + 4, 96);
		put32(b + o + 8, 0x04152017);          /* data_code */
		put32(b + o + 12, first_id + i);       /* patch_id */
		b[o + 8 + 24] = 0x12;                  /* processor_rev_id */
		b[o + 8 + 25] = 0x80;
		o += 8 + 96;
	}
	return o;
}

static void test_amd(void **state)
{
	(void)state;
	uint8_t b[1024];
	size_t one = amd_container(b, 2, 0x08001230);
	size_t two = one + amd_container(b + one, 1, 0x08001250);
	struct boot_class c;

	c = classify(b, one, NULL);
	expect(&c, BOOT_KIND_UCODE_AMD, true, "2 updates in 1 container, newest patch 0x8001231");
	assert_int_equal(c.count, 2);
	c = classify(b, two, "fwkit=ucode");
	expect(&c, BOOT_KIND_UCODE_AMD, true, "3 updates in 2 containers, newest patch 0x8001250");
	assert_int_equal(c.count, 3);

	/* A section type that is neither a patch nor the next container. */
	put32(b + one + 4, 7);
	c = classify(b, two, NULL);
	expect_head(&c, BOOT_KIND_UCODE_AMD, false, "ucode-amd at 0x");
	assert_int_equal(c.fault.error, FWK_ERR_BADFIELD);
	/* The container cut inside its last patch. */
	c = classify(b, one - 1, NULL);
	expect_head(&c, BOOT_KIND_UCODE_AMD, false, "ucode-amd at 0x98: section_size: ");
}

/* ---- device trees ------------------------------------------------------------ */

static uint8_t *dtc(const char *name, const char *src, size_t *len)
{
	char dts[PATH_MAX], dtb[PATH_MAX];

	snprintf(dts, sizeof(dts), "%s/%s.dts", tmp, name);
	snprintf(dtb, sizeof(dtb), "%s/%s.dtb", tmp, name);
	spew(dts, src, strlen(src));
	if (sh("dtc -q -@ -I dts -O dtb -o '%s' '%s'", dtb, dts) != 0)
		fail_msg("dtc is needed (device-tree-compiler) and must accept %s", dts);
	return slurp(dtb, len);
}

static const char base_dts[] =
	"/dts-v1/;\n/ {\n\t#address-cells = <1>;\n\t#size-cells = <1>;\n"
	"\tuart: serial@1000 { compatible = \"ns16550a\"; reg = <0x1000 0x100>; };\n"
	"\ti2c: i2c@2000 { reg = <0x2000 0x100>; #address-cells = <1>; #size-cells = <0>; };\n"
	"};\n";

static const char overlay_dts[] =
	"/dts-v1/;\n/plugin/;\n"
	"&i2c { pmic@48 { compatible = \"ti,tps65219\"; reg = <0x48>; }; };\n"
	"&uart { status = \"okay\"; };\n";

static void test_dt(void **state)
{
	(void)state;
	size_t blen, olen;
	uint8_t *base = dtc("base", base_dts, &blen);
	uint8_t *ovl = dtc("overlay", overlay_dts, &olen);
	struct boot_class c;

	/* root, serial, i2c and __symbols__ */
	c = classify(base, blen, NULL);
	expect(&c, BOOT_KIND_DTB, true, "device tree, 4 nodes, v17");
	assert_int_equal(c.count, 4);
	c = classify_role(base, blen, NULL, BOOT_ROLE_DEVICE_TREE);
	expect(&c, BOOT_KIND_DTB, true, "device tree, 4 nodes, v17");

	c = classify(ovl, olen, "fwkit=dt-overlay");
	expect(&c, BOOT_KIND_DT_OVERLAY, true, "overlay, 2 fragments, 2 labels to resolve");
	assert_int_equal(c.count, 2);
	c = classify_role(ovl, olen, NULL, BOOT_ROLE_DEVICE_TREE);
	assert_int_equal(c.kind, BOOT_KIND_DT_OVERLAY);

	/* A bad tree: the version is one fwkit does not read. */
	uint8_t *bad = exact_copy(base, blen);
	bad[23] = 15;
	c = classify(bad, blen, NULL);
	expect_head(&c, BOOT_KIND_DTB, false, "dtb at 0x");
	assert_int_equal(c.fault.error, FWK_ERR_UNSUPPORTED);
	/* A node name with a character dtc never writes. */
	memcpy(bad, base, blen);
	uint8_t *at = memmem(bad, blen, "serial@1000", 11);
	assert_non_null(at);
	at[0] = '%';
	c = classify(bad, blen, NULL);
	expect_head(&c, BOOT_KIND_DTB, false, "dtb at 0x");
	assert_string_equal(c.fault.field, "node name");
	assert_int_equal(c.fault.offset, (uint64_t)(at - bad));
	/* The overlay hint takes a broken tree as the overlay it says. */
	c = classify(bad, blen, "fwkit=dt-overlay");
	expect_head(&c, BOOT_KIND_DT_OVERLAY, false, "dt-overlay at 0x");
	/* Cut short. */
	c = classify(base, blen - 8, NULL);
	expect_head(&c, BOOT_KIND_DTB, false, "dtb at 0x");
	assert_int_equal(c.fault.error, FWK_ERR_TRUNCATED);

	/* Too little scratch is "scratch"; none at all likewise. */
	uint32_t words[2];
	assert_int_equal(boot_classify(base, blen, NULL, 0, BOOT_ROLE_NONE, words, 2, &c), 0);
	expect_head(&c, BOOT_KIND_DTB, false, "dtb at 0x");
	assert_string_equal(c.fault.field, "scratch");
	assert_int_equal(boot_classify(base, blen, NULL, 0, BOOT_ROLE_NONE, NULL, 1000, &c), 0);
	assert_false(c.valid);
	assert_string_equal(c.fault.field, "scratch");
	free(bad);
	free(ovl);
	free(base);
}

/* ---- cpio ------------------------------------------------------------------- */

/* Entries before each trailer, counted from the newc headers without the
 * library. */
static unsigned count_newc(const uint8_t *b, size_t len)
{
	unsigned n = 0;
	size_t o = 0;

	while (o + 110 <= len) {
		char f[9] = "";
		if (memcmp(b + o, "07070", 5) != 0) {
			o++;      /* NUL padding between archives */
			continue;
		}
		memcpy(f, b + o + 94, 8);
		unsigned long namesize = strtoul(f, NULL, 16);
		memcpy(f, b + o + 54, 8);
		unsigned long filesize = strtoul(f, NULL, 16);
		if (namesize == 11 && memcmp(b + o + 110, "TRAILER!!!", 10) == 0) {
			o = (o + 110 + namesize + 3) & ~(size_t)3;
			continue;
		}
		n++;
		o = (o + 110 + namesize + 3) & ~(size_t)3;
		o = (o + filesize + 3) & ~(size_t)3;
	}
	return n;
}

static void test_cpio_cli(void **state)
{
	(void)state;
	size_t len, blen, olen;
	uint8_t *ovl = dtc("ovl", overlay_dts, &olen);
	char dsdt[PATH_MAX], ssdt[PATH_MAX];
	struct boot_class c;
	char want[BOOT_REASON_MAX];

	free(ovl);
	free(dtc("base2", base_dts, &blen));
	snprintf(dsdt, sizeof(dsdt), "%s/corpus/acpi/linuxhw/0025/dsdt.dat", shared_dir());
	snprintf(ssdt, sizeof(ssdt), "%s/corpus/acpi/linuxhw/0025/ssdt1.dat", shared_dir());
	uint8_t payload[300];
	memset(payload, 0x5a, sizeof(payload));
	spew(tmp_path("payload.bin"), payload, sizeof(payload));
	assert_int_equal(sh("'%s' blob pack --target ti,tps65219 --type pmic --version 3 "
			    "-o '%s' '%s' >/dev/null", fwkit_cli(), tmp_path("pmic.fwb"),
			    tmp_path("payload.bin")), 0);
	assert_int_equal(sh("'%s' initrd build -o '%s' '%s=%s' "
			    "kernel/firmware/acpi/dsdt.aml='%s' kernel/firmware/acpi/ssdt1.aml='%s' "
			    DT_OVERLAY_DIR "/pmic.dtbo='%s' lib/firmware/ti/pmic.fwb='%s' "
			    "etc/base.dtb='%s'",
			    fwkit_cli(), tmp_path("early.cpio"), UCODE_EARLY_INTEL,
			    intel_file("06-9a-04"), dsdt, ssdt, tmp_path("ovl.dtb"),
			    tmp_path("pmic.fwb"), tmp_path("base2.dtb")), 0);
	uint8_t *b = slurp(tmp_path("early.cpio"), &len);
	unsigned n = count_newc(b, len);
	c = classify(b, len, NULL);
	snprintf(want, sizeof(want),
		 "cpio, %u entries: 1 microcode, 2 acpi tables, 1 dt overlay, 1 blob", n);
	expect(&c, BOOT_KIND_CPIO, true, want);
	assert_int_equal(c.count, n);
	c = classify_role(b, len, NULL, BOOT_ROLE_MICROCODE);
	assert_true(c.kind == BOOT_KIND_CPIO && c.valid);
	c = classify_role(b, len, "fwkit=cpio", BOOT_ROLE_RAMDISK);
	assert_true(c.kind == BOOT_KIND_CPIO && c.valid);

	/* A header field that is not hex. */
	uint8_t *at = memmem(b, len, "kernel/firmware/acpi/dsdt.aml", 29);
	assert_non_null(at);
	uint8_t *bad = exact_copy(b, len);
	bad[at - b - 110 + 54] = 'g';   /* c_filesize */
	c = classify(bad, len, NULL);
	snprintf(want, sizeof(want), "cpio at 0x%zx: ", (size_t)(at - b - 110 + 54));
	expect_head(&c, BOOT_KIND_CPIO, false, want);
	assert_int_equal(c.fault.error, FWK_ERR_BADFIELD);
	/* Cut before the trailer. */
	c = classify(b, (size_t)(at - b), NULL);
	expect_head(&c, BOOT_KIND_CPIO, false, "cpio at 0x");
	assert_int_equal(c.fault.error, FWK_ERR_TRUNCATED);
	/* Junk after the archive. */
	memcpy(bad, b, len);
	memcpy(bad + len - 4, "junk", 4);
	c = classify(bad, len, NULL);
	expect_head(&c, BOOT_KIND_CPIO, false, "cpio at 0x");
	free(bad);

	/* An early archive in front of a zstd-compressed one. */
	assert_int_equal(sh("'%s' initrd build --compress zstd -o '%s' etc/base.dtb='%s'",
			    fwkit_cli(), tmp_path("main.zst"), tmp_path("base2.dtb")), 0);
	assert_int_equal(sh("'%s' initrd prepend -o '%s' '%s' '%s=%s'", fwkit_cli(),
			    tmp_path("full.img"), tmp_path("main.zst"), UCODE_EARLY_INTEL,
			    intel_file("06-1e-05")), 0);
	free(b);
	b = slurp(tmp_path("full.img"), &len);
	uint8_t *z = memmem(b, len, "\x28\xb5\x2f\xfd", 4);
	assert_non_null(z);
	c = classify(b, len, NULL);
	snprintf(want, sizeof(want), "cpio, %u entries: 1 microcode; then a zstd archive",
		 count_newc(b, (size_t)(z - b)));
	expect(&c, BOOT_KIND_CPIO, true, want);
	free(b);
}

/* Members the pipeline acts on, and look-alikes it does not. */
static void test_cpio_members(void **state)
{
	(void)state;
	static uint8_t buf[8192];
	struct cpio_writer w;
	struct cpio_stat link = { .mode = CPIO_S_IFLNK | 0777, .size = 1 };
	struct boot_class c;

	cpio_writer_init(&w, buf, sizeof(buf), 0, 0);
	assert_int_equal(cpio_writer_add_dir(&w, "kernel/firmware/acpi", 0755), 0);
	assert_int_equal(cpio_writer_add_file(&w, "./kernel/firmware/acpi/a.aml", 0644, "x", 1, 0), 0);
	assert_int_equal(cpio_writer_add_file(&w, "kernel/firmware/acpi/sub/b", 0644, "x", 1, 0), 0);
	assert_int_equal(cpio_writer_add_file(&w, "kernel/firmware/acpi", 0644, "x", 1, 0), 0);
	assert_int_equal(cpio_writer_add_file(&w, DT_OVERLAY_DIR "/sub/x.dtbo", 0644, "x", 1, 0), 0);
	assert_int_equal(cpio_writer_add_file(&w, DT_OVERLAY_DIR "/x.dtb", 0644, "x", 1, 0), 0);
	assert_int_equal(cpio_writer_add_file(&w, DT_OVERLAY_DIR "/.dtbo", 0644, "x", 1, 0), 0);
	assert_int_equal(cpio_writer_add_file(&w, DT_OVERLAY_DIR "/y.dtbo", 0644, "x", 1, 0), 0);
	assert_int_equal(cpio_writer_add(&w, DT_OVERLAY_DIR "/z.dtbo", &link, "y", 0), 0);
	assert_int_equal(cpio_writer_add_file(&w, "lib/firmware/a/b/c.fwb", 0644, "x", 1, 0), 0);
	assert_int_equal(cpio_writer_add_file(&w, "usr/lib/firmware/d.fwb", 0644, "x", 1, 0), 0);
	assert_int_equal(cpio_writer_add_file(&w, UCODE_EARLY_AMD, 0644, "x", 1, 0), 0);
	assert_int_equal(cpio_writer_add_file(&w, UCODE_EARLY_DIR "/GenuineIntel.bin.old", 0644,
					      "x", 1, 0), 0);
	assert_int_equal(cpio_writer_finish(&w, 0), 0);
	c = classify(buf, w.off, NULL);
	expect(&c, BOOT_KIND_CPIO, true,
	       "cpio, 13 entries: 1 microcode, 2 acpi tables, 1 dt overlay, 1 blob");

	/* An empty archive: the trailer alone. */
	cpio_writer_init(&w, buf, sizeof(buf), 0, 0);
	assert_int_equal(cpio_writer_finish(&w, 512), 0);
	c = classify(buf, w.off, NULL);
	expect(&c, BOOT_KIND_CPIO, true, "cpio, 0 entries");
}

/* The one rule for members: names as the pipeline and the counts see them,
 * overlays as dt_cpio_overlays walks them. */
static void test_member_kind(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		enum boot_kind kind;
	} cases[] = {
		{ UCODE_EARLY_INTEL, BOOT_KIND_UCODE_INTEL },
		{ "./" UCODE_EARLY_AMD, BOOT_KIND_UCODE_AMD },
		{ "././" UCODE_EARLY_AMD, BOOT_KIND_UCODE_AMD },
		{ UCODE_EARLY_INTEL ".old", BOOT_KIND_UNKNOWN },
		{ UCODE_EARLY_DIR "/GenuineIntel.bi", BOOT_KIND_UNKNOWN },
		{ UCODE_EARLY_DIR "/", BOOT_KIND_UNKNOWN },
		{ ACPI_INITRD_PREFIX "dsdt.aml", BOOT_KIND_ACPI_TABLE },
		{ ACPI_INITRD_PREFIX "sub/x", BOOT_KIND_ACPI_TABLE },
		{ ACPI_INITRD_PREFIX, BOOT_KIND_UNKNOWN },
		{ "kernel/firmware/acpi", BOOT_KIND_UNKNOWN },
		{ DT_OVERLAY_DIR "/a.dtbo", BOOT_KIND_DT_OVERLAY },
		{ "./" DT_OVERLAY_DIR "/a.dtbo", BOOT_KIND_DT_OVERLAY },
		/* As the unpacked tree resolves it, as dt_cpio_overlays takes it. */
		{ "kernel/firmware/dtb/overlays//a.dtbo", BOOT_KIND_DT_OVERLAY },
		{ "kernel/firmware/./dtb/overlays/a.dtbo", BOOT_KIND_DT_OVERLAY },
		{ DT_OVERLAY_DIR "/sub/a.dtbo", BOOT_KIND_UNKNOWN },
		{ DT_OVERLAY_DIR "/../a.dtbo", BOOT_KIND_UNKNOWN },
		{ DT_OVERLAY_DIR "/.dtbo", BOOT_KIND_UNKNOWN },
		{ DT_OVERLAY_DIR "/a.dtb", BOOT_KIND_UNKNOWN },
		{ "lib/firmware/ti/pmic.fwb", BOOT_KIND_FWB },
		{ "lib/firmware/.fwb", BOOT_KIND_UNKNOWN },
		{ "usr/lib/firmware/x.fwb", BOOT_KIND_UNKNOWN },
		{ "", BOOT_KIND_UNKNOWN },
		{ "./", BOOT_KIND_UNKNOWN },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum boot_kind k = boot_member_kind(cases[i].name, strlen(cases[i].name));
		if (k != cases[i].kind)
			fail_msg("%s: %s, want %s", cases[i].name, boot_kind_name(k),
				 boot_kind_name(cases[i].kind));
		/* The overlay rule is dt_cpio_overlays' own. */
		assert_int_equal(dt_overlay_member(cases[i].name, strlen(cases[i].name)),
				 cases[i].kind == BOOT_KIND_DT_OVERLAY);
	}
}

/* ---- compressed, fwb, kernels, unknown ----------------------------------------- */

static void test_compressed(void **state)
{
	(void)state;
	static const char *const tools[][2] = {
		{ "gzip", "gzip" }, { "zstd -q", "zstd" }, { "xz --check=crc32", "xz" },
		{ "bzip2", "bzip2" },
	};
	struct boot_class c;

	for (unsigned i = 0; i < 4; i++) {
		char want[96];
		if (sh("%s -c < '%s' > '%s'", tools[i][0], intel_file("06-1e-05"),
		       tmp_path("z")) != 0)
			fail_msg("%s is needed", tools[i][0]);
		c = classify_file(tmp_path("z"), NULL);
		snprintf(want, sizeof(want), "%s-compressed initrd, not inspected", tools[i][1]);
		expect(&c, BOOT_KIND_COMPRESSED, true, want);
	}
	size_t len;
	uint8_t *b = slurp(tmp_path("z"), &len);
	c = classify_role(b, len, NULL, BOOT_ROLE_RAMDISK);
	assert_true(c.kind == BOOT_KIND_COMPRESSED && c.valid);
	c = classify_role(b, len, NULL, BOOT_ROLE_KERNEL);
	expect(&c, BOOT_KIND_UNKNOWN, false,
	       "/chosen says kernel, but the bytes are a compressed initrd");
	assert_string_equal(c.fault.field, "role");
	free(b);
}

static void test_fwb(void **state)
{
	(void)state;
	uint8_t payload[4096];
	struct boot_class c;
	size_t len;

	for (unsigned i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 7);
	spew(tmp_path("fw.bin"), payload, sizeof(payload));
	assert_int_equal(sh("'%s' blob pack --target ti,tps65219 --type pmic --version 3 "
			    "-o '%s' '%s' >/dev/null", fwkit_cli(), tmp_path("fw.fwb"),
			    tmp_path("fw.bin")), 0);
	uint8_t *b = slurp(tmp_path("fw.fwb"), &len);
	c = classify(b, len, "fw.fwb fwkit=fwb");
	expect(&c, BOOT_KIND_FWB, true,
	       "target ti,tps65219 type pmic version 3, 4096-byte payload, sha256 ok, unsigned");
	assert_int_equal(c.fwb.version, 3);
	assert_int_equal(c.fwb.payload_length, 4096);
	assert_string_equal(c.fwb.target, "ti,tps65219");

	/* A payload byte changed: its digest. */
	uint8_t *bad = exact_copy(b, len);
	bad[len - 1] ^= 1;
	c = classify(bad, len, NULL);
	expect(&c, BOOT_KIND_FWB, false, "fwb at 0x70: payload_sha256: "
	       "is not the SHA-256 of the payload");
	/* Trailing bytes. */
	uint8_t *longer = malloc(len + 1);
	memcpy(longer, b, len);
	longer[len] = 0;
	c = classify(longer, len + 1, NULL);
	expect_head(&c, BOOT_KIND_FWB, false, "fwb at 0x");
	assert_string_equal(c.fault.field, "payload_length");
	free(longer);
	free(bad);
	free(b);

	/* Signed with a fresh key: the key id's first bytes are shown. */
	if (sh("openssl genpkey -algorithm ed25519 -out '%s' 2>/dev/null", tmp_path("k.pem")) != 0)
		fail_msg("openssl is needed for an Ed25519 key");
	assert_int_equal(sh("'%s' blob pack --target vendor,dsp --type dsp --version 18446744073709551615 "
			    "--sign '%s' -o '%s' '%s' >/dev/null", fwkit_cli(), tmp_path("k.pem"),
			    tmp_path("s.fwb"), tmp_path("fw.bin")), 0);
	b = slurp(tmp_path("s.fwb"), &len);
	c = classify(b, len, NULL);
	char want[BOOT_REASON_MAX];
	snprintf(want, sizeof(want), "target vendor,dsp type dsp version 18446744073709551615, "
		 "4096-byte payload, sha256 ok, signed, key %02x%02x%02x%02x",
		 c.fwb.key_id[0], c.fwb.key_id[1], c.fwb.key_id[2], c.fwb.key_id[3]);
	expect(&c, BOOT_KIND_FWB, true, want);
	assert_true(c.fwb.is_signed);
	free(b);
}

static void test_kernels(void **state)
{
	(void)state;
	static uint8_t k[0x400];
	struct boot_class c;
	size_t len;

	/* An ELF of this system. */
	uint8_t *b = slurp("/bin/true", &len);
	c = classify(b, len, "fwkit=kernel");
	char want[64];
	snprintf(want, sizeof(want), "ELF%u %s %s", b[4] * 32u,
		 b[18] == 62 ? "x86-64" : b[18] == 183 ? "aarch64" : "?",
		 b[16] == 2 ? "executable" : "file");
	expect(&c, BOOT_KIND_KERNEL, true, want);
	c = classify_role(b, len, NULL, BOOT_ROLE_KERNEL);
	assert_true(c.kind == BOOT_KIND_KERNEL && c.valid);
	free(b);

	/* A big-endian ELF32 executable of a machine without a name here. */
	memset(k, 0, sizeof(k));
	memcpy(k, "\177ELF\001\002\001", 7);
	k[17] = 2;
	k[19] = 20;       /* EM_PPC */
	c = classify(k, 52, NULL);
	expect(&c, BOOT_KIND_KERNEL, true, "ELF32 machine 20 executable");
	/* Class 3 is no ELF. */
	k[4] = 3;
	c = classify(k, 52, NULL);
	assert_int_equal(c.kind, BOOT_KIND_UNKNOWN);

	/* bzImage: boot flag, "HdrS", version 2.15, with an EFI stub's MZ/PE. */
	memset(k, 0, sizeof(k));
	k[0] = 'M';
	k[1] = 'Z';
	put32(k + 0x3c, 0x80);
	memcpy(k + 0x80, "PE\0\0\x64\x86", 6);
	k[0x1fe] = 0x55;
	k[0x1ff] = 0xaa;
	memcpy(k + 0x202, "HdrS", 4);
	k[0x206] = 15;
	k[0x207] = 2;
	k[0x211] = 1;
	c = classify(k, sizeof(k), NULL);
	expect(&c, BOOT_KIND_KERNEL, true, "bzImage, boot protocol 2.15");
	/* Without the boot flag, the PE. */
	k[0x1fe] = 0;
	c = classify(k, sizeof(k), NULL);
	expect(&c, BOOT_KIND_KERNEL, true, "PE/COFF image, machine 0x8664");
	/* e_lfanew past the end: not a PE. */
	put32(k + 0x3c, 0x3fc);
	c = classify(k, sizeof(k), NULL);
	expect(&c, BOOT_KIND_UNKNOWN, false, "no known format (first bytes 4d 5a 00 00)");
	/* arm64 Image with its EFI stub. */
	memcpy(k + 0x38, "ARM\x64", 4);
	c = classify(k, 0x40, NULL);
	expect(&c, BOOT_KIND_KERNEL, true, "arm64 Image");
	c = classify(k, 0x3f, NULL);
	assert_int_equal(c.kind, BOOT_KIND_UNKNOWN);
}

static void test_unknown(void **state)
{
	(void)state;
	struct boot_class c;

	c = classify("\x12\x34\x56\x78\x9a", 5, NULL);
	expect(&c, BOOT_KIND_UNKNOWN, false, "no known format (first bytes 12 34 56 78)");
	assert_int_equal(c.fault.error, FWK_ERR_BADMAGIC);
	c = classify("\xfe", 1, NULL);
	expect(&c, BOOT_KIND_UNKNOWN, false, "no known format (first bytes fe)");
	c = classify("", 0, NULL);
	expect(&c, BOOT_KIND_UNKNOWN, false, "empty module");
	assert_int_equal(boot_classify(NULL, 0, NULL, 0, BOOT_ROLE_XSM, NULL, 0, &c), 0);
	expect(&c, BOOT_KIND_UNKNOWN, false, "empty module");
	/* An XSM policy is of no format fwkit knows, and nothing is wrong. */
	c = classify_role("\x8c\xff\x7c\xf9", 4, NULL, BOOT_ROLE_XSM);
	expect(&c, BOOT_KIND_UNKNOWN, false, "no known format (first bytes 8c ff 7c f9)");
}

/* ---- hints and roles ----------------------------------------------------------- */

static void test_hints(void **state)
{
	(void)state;
	size_t tlen, dlen;
	uint8_t *table = corpus_table("0025", "ssdt1.dat", &tlen);
	uint8_t *tree = dtc("hint", base_dts, &dlen);
	const char junk[] = "\x12\x34\x56\x78";
	struct boot_class c, plain = classify(table, tlen, NULL);

	/* Agreement changes nothing. */
	c = classify(table, tlen, "fwkit=acpi-table");
	expect(&c, BOOT_KIND_ACPI_TABLE, true, plain.reason);
	c = classify(table, tlen, "ssdt1.aml  fwkit=acpi-table root=/dev/sda");
	expect(&c, BOOT_KIND_ACPI_TABLE, true, plain.reason);

	/* Contradiction. */
	c = classify(tree, dlen, "fwkit=acpi-table");
	expect(&c, BOOT_KIND_UNKNOWN, false,
	       "command line says fwkit=acpi-table, but the bytes are a device tree");
	assert_int_equal(c.fault.error, FWK_ERR_BADFIELD);
	assert_string_equal(c.fault.field, "fwkit=");
	assert_int_equal(c.count, 0);
	c = classify(table, tlen, "fwkit=ucode");
	expect(&c, BOOT_KIND_UNKNOWN, false,
	       "command line says fwkit=ucode, but the bytes are an ACPI table");
	c = classify(tree, dlen, "fwkit=dt-overlay");
	expect(&c, BOOT_KIND_UNKNOWN, false,
	       "command line says fwkit=dt-overlay, but the bytes are a device tree");

	/* A hint on bytes of no known format. */
	c = classify(junk, 4, "fwkit=fwb");
	expect(&c, BOOT_KIND_UNKNOWN, false,
	       "command line says fwkit=fwb, but the bytes are no fwb container");
	assert_int_equal(c.fault.error, FWK_ERR_BADFIELD);
	c = classify(junk, 4, "fwkit=acpi-table");
	expect(&c, BOOT_KIND_UNKNOWN, false,
	       "command line says fwkit=acpi-table, but the bytes are no ACPI table");
	c = classify(junk, 4, "fwkit=ucode");
	expect(&c, BOOT_KIND_UNKNOWN, false,
	       "command line says fwkit=ucode, but the bytes are no microcode");
	c = classify(junk, 4, "fwkit=ucode-amd");
	expect(&c, BOOT_KIND_UNKNOWN, false,
	       "command line says fwkit=ucode-amd, but the bytes are no AMD microcode");
	c = classify(junk, 4, "fwkit=unknown");
	expect(&c, BOOT_KIND_UNKNOWN, false, "no known format (first bytes 12 34 56 78)");
	assert_int_equal(c.fault.error, FWK_ERR_BADMAGIC);
	c = classify(tree, dlen, "fwkit=unknown");
	expect(&c, BOOT_KIND_UNKNOWN, false,
	       "command line says fwkit=unknown, but the bytes are a device tree");

	/* ignore wins over everything. */
	c = classify(table, tlen, "x fwkit=ignore");
	expect(&c, BOOT_KIND_UNKNOWN, false, "ignored (fwkit=ignore)");
	assert_int_equal(c.fault.error, 0);
	c = classify_role(junk, 4, "fwkit=ignore", BOOT_ROLE_KERNEL);
	expect(&c, BOOT_KIND_UNKNOWN, false, "ignored (fwkit=ignore)");

	/* A word that names no kind. */
	c = classify(table, tlen, "fwkit=dsdt");
	expect(&c, BOOT_KIND_UNKNOWN, false, "command line says fwkit=dsdt, which names no module kind");
	c = classify(table, tlen, "fwkit=");
	expect(&c, BOOT_KIND_UNKNOWN, false, "command line says fwkit=, which names no module kind");
	c = classify(table, tlen, "fwkit=\x01");
	expect(&c, BOOT_KIND_UNKNOWN, false,
	       "command line says fwkit=\\x01, which names no module kind");

	/* Whole words only; the last one counts. */
	c = classify(table, tlen, "xfwkit=dtb fwkit=dtbx");
	expect(&c, BOOT_KIND_UNKNOWN, false, "command line says fwkit=dtbx, which names no module kind");
	c = classify(table, tlen, "myfwkit=dtb");
	expect(&c, BOOT_KIND_ACPI_TABLE, true, plain.reason);
	c = classify(table, tlen, "fwkit=dtb fwkit=acpi-table");
	expect(&c, BOOT_KIND_ACPI_TABLE, true, plain.reason);
	c = classify(table, tlen, "fwkit=acpi-table fwkit=dtb");
	assert_int_equal(c.kind, BOOT_KIND_UNKNOWN);
	/* The command line is cmdline_len bytes, not up to a NUL. */
	assert_int_equal(boot_classify(table, tlen, "fwkit=dtb", 8, BOOT_ROLE_NONE, NULL, 0, &c), 0);
	expect(&c, BOOT_KIND_UNKNOWN, false, "command line says fwkit=dt, which names no module kind");

	/* A reason longer than the line: cut with "...". */
	char longword[400];
	memset(longword, 'k', sizeof(longword));
	memcpy(longword, "fwkit=", 6);
	longword[sizeof(longword) - 1] = '\0';
	c = classify(table, tlen, longword);
	assert_int_equal(c.kind, BOOT_KIND_UNKNOWN);
	assert_int_equal(strlen(c.reason), BOOT_REASON_MAX - 1);
	assert_string_equal(c.reason + BOOT_REASON_MAX - 4, "...");
	assert_memory_equal(c.reason, "command line says fwkit=kkk", 27);
	free(tree);
	free(table);
}

static void test_roles(void **state)
{
	(void)state;
	size_t tlen, dlen, ulen;
	uint8_t *table = corpus_table("0025", "ssdt1.dat", &tlen);
	uint8_t *tree = dtc("role", base_dts, &dlen);
	uint8_t *ucode = slurp(intel_file("06-1e-05"), &ulen);
	const char junk[] = "\x12\x34\x56\x78";
	struct boot_class c;

	c = classify_role(tree, dlen, NULL, BOOT_ROLE_MICROCODE);
	expect(&c, BOOT_KIND_UNKNOWN, false,
	       "/chosen says microcode, but the bytes are a device tree");
	assert_string_equal(c.fault.field, "role");
	c = classify_role(ucode, ulen, NULL, BOOT_ROLE_MICROCODE);
	assert_true(c.kind == BOOT_KIND_UCODE_INTEL && c.valid);
	c = classify_role(ucode, ulen, NULL, BOOT_ROLE_DEVICE_TREE);
	expect(&c, BOOT_KIND_UNKNOWN, false,
	       "/chosen says device-tree, but the bytes are Intel microcode");
	c = classify_role(table, tlen, NULL, BOOT_ROLE_RAMDISK);
	expect(&c, BOOT_KIND_UNKNOWN, false, "/chosen says ramdisk, but the bytes are an ACPI table");
	c = classify_role(junk, 4, NULL, BOOT_ROLE_KERNEL);
	expect(&c, BOOT_KIND_UNKNOWN, false,
	       "/chosen says kernel, but the bytes are of no known format");
	c = classify_role(table, tlen, NULL, BOOT_ROLE_XSM);
	assert_true(c.kind == BOOT_KIND_ACPI_TABLE && c.valid);
	/* An invalid module of an allowed kind stays itself. */
	ucode[100] ^= 1;
	c = classify_role(ucode, ulen, NULL, BOOT_ROLE_MICROCODE);
	expect_head(&c, BOOT_KIND_UCODE_INTEL, false, "ucode-intel at 0x10: checksum: ");
	/* The hint speaks first. */
	c = classify_role(tree, dlen, "fwkit=fwb", BOOT_ROLE_MICROCODE);
	expect(&c, BOOT_KIND_UNKNOWN, false,
	       "command line says fwkit=fwb, but the bytes are a device tree");
	c = classify_role(tree, dlen, "fwkit=dtb", BOOT_ROLE_MICROCODE);
	expect(&c, BOOT_KIND_UNKNOWN, false,
	       "/chosen says microcode, but the bytes are a device tree");
	free(ucode);
	free(tree);
	free(table);
}

static void test_arguments(void **state)
{
	(void)state;
	struct boot_class c;
	uint8_t b[4] = { 0 };

	assert_int_equal(boot_classify(b, 4, NULL, 0, BOOT_ROLE_NONE, NULL, 0, NULL),
			 FWK_ERR_INVAL);
	assert_int_equal(boot_classify(NULL, 4, NULL, 0, BOOT_ROLE_NONE, NULL, 0, &c),
			 FWK_ERR_INVAL);
	assert_int_equal(boot_classify(b, 4, NULL, 3, BOOT_ROLE_NONE, NULL, 0, &c),
			 FWK_ERR_INVAL);
	assert_int_equal(boot_classify(b, 4, NULL, 0, (enum boot_module_role)6, NULL, 0, &c),
			 FWK_ERR_INVAL);
	assert_int_equal(boot_classify(b, 4, "", 0, BOOT_ROLE_XSM, NULL, 0, &c), 0);
}

static int setup(void **state)
{
	(void)state;
	tmp = temp_dir("classify");
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
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_kind_names),
		cmocka_unit_test(test_acpi_corpus),
		cmocka_unit_test(test_acpi_defects),
		cmocka_unit_test(test_intel_corpus),
		cmocka_unit_test(test_intel_defects),
		cmocka_unit_test(test_amd),
		cmocka_unit_test(test_dt),
		cmocka_unit_test(test_cpio_cli),
		cmocka_unit_test(test_cpio_members),
		cmocka_unit_test(test_member_kind),
		cmocka_unit_test(test_compressed),
		cmocka_unit_test(test_fwb),
		cmocka_unit_test(test_kernels),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_hints),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_arguments),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

/* SPDX-License-Identifier: MIT */
/* test_acpi.c - cmocka tests of the ACPI table model: every real table of
 * the linuxhw corpus, one mutation per header field, RSDP v1/v2, RSDT/XSDT
 * walking, FADT pointers, identities and the upgrade allowlist. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../support/testkit.h"

#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fwkit/acpi.h>

/* ---- helpers independent of acpi_table.c ---- */

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static unsigned byte_sum(const uint8_t *p, size_t n)
{
	unsigned s = 0;

	for (size_t i = 0; i < n; i++)
		s += p[i];
	return s % 256;
}

/* Make p[0..n) sum to 0 by setting byte `at`. */
static void fix_sum(uint8_t *p, size_t n, size_t at)
{
	p[at] = 0;
	p[at] = (uint8_t)(256 - byte_sum(p, n));
}

/* A table of n bytes with the given signature, a filled-in header, a
 * patterned body and a correct checksum. */
static void make_table(uint8_t *b, size_t n, const char *sig)
{
	memset(b, 0, n);
	memcpy(b, sig, 4);
	put32(b + 4, (uint32_t)n);
	b[8] = 2;
	memcpy(b + 10, "BOCHS ", 6);
	memcpy(b + 16, "BXPC    ", 8);
	put32(b + 24, 1);
	memcpy(b + 28, "BXPC", 4);
	put32(b + 32, 1);
	for (size_t i = 36; i < n; i++)
		b[i] = (uint8_t)(i * 7);
	fix_sum(b, n, 9);
}

/* acpi_table_check over an exact-size heap copy (ASan sees overreads). */
static int check_copy(const uint8_t *b, size_t n, struct fwk_fault *f)
{
	uint8_t *c = exact_copy(b, n);
	int rc = acpi_table_check(c, n, f);

	free(c);
	return rc;
}

static void expect_fault(const uint8_t *b, size_t n, int err, const char *field)
{
	struct fwk_fault f = { 0 };

	assert_int_equal(check_copy(b, n, &f), err);
	assert_int_equal(f.error, err);
	assert_non_null(f.field);
	assert_string_equal(f.field, field);
	assert_non_null(f.detail);
	assert_true(f.offset <= n);
}

/* The allowlist as the brief states it, kept apart from the library's. */
static const char *const allow[] = {
	"BERT", "BGRT", "CPEP", "ECDT", "EINJ", "ERST", "HEST", "APIC",
	"MSCT", "SBST", "SLIT", "SRAT", "ASF!", "BOOT", "DBGP", "DMAR",
	"HPET", "IBFT", "IVRS", "MCFG", "MCHI", "SLIC", "SPCR", "SPMI",
	"TCPA", "UEFI", "WAET", "WDAT", "WDDT", "WDRT", "DSDT", "FACP",
	"PSDT", "RSDT", "XSDT", "SSDT", "IORT", "NFIT", "HMAT", "PPTT",
	"NHLT", "AEST", "CEDT", "AGDI",
};
#define NALLOW (sizeof(allow) / sizeof(allow[0]))

static bool in_allow(const char *sig)
{
	for (size_t i = 0; i < NALLOW; i++)
		if (memcmp(sig, allow[i], 4) == 0)
			return true;
	return false;
}

/* ========================= the real corpus ========================= */

static void test_corpus_every_table(void **state)
{
	(void)state;
	char pat[PATH_MAX + 64];
	glob_t g;
	unsigned sdt = 0, facs = 0, bad_sum = 0, fadt = 0;

	snprintf(pat, sizeof(pat), "%s/corpus/acpi/linuxhw/*/*.dat", shared_dir());
	assert_int_equal(glob(pat, 0, NULL, &g), 0);
	assert_true(g.gl_pathc >= 700);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		size_t n;
		uint8_t *b = slurp(g.gl_pathv[i], &n);
		struct fwk_fault f = { 0 };
		int kind = acpi_table_check(b, n, &f);

		if (kind < 0)
			fail_msg("%s: %s: %s", g.gl_pathv[i], f.field, f.detail);
		if (memcmp(b, "FACS", 4) == 0) {
			assert_int_equal(kind, ACPI_KIND_FACS);
			assert_int_equal(get32(b + 4), n);
			facs++;
			free(b);
			continue;
		}
		assert_int_equal(kind, ACPI_KIND_SDT);
		sdt++;

		struct acpi_header h;
		assert_int_equal(acpi_header_parse(b, n, &h, NULL), 0);
		assert_memory_equal(h.signature, b, 4);
		assert_int_equal(h.length, n);
		assert_int_equal(h.revision, b[8]);
		assert_int_equal(h.checksum, b[9]);
		assert_memory_equal(h.oem_id, b + 10, 6);
		assert_memory_equal(h.oem_table_id, b + 16, 8);
		assert_int_equal(h.oem_revision, get32(b + 24));
		assert_memory_equal(h.creator_id, b + 28, 4);
		assert_int_equal(h.creator_revision, get32(b + 32));

		/* The checksum verdict is exactly the plain byte sum. */
		assert_int_equal(acpi_checksum(b, n), byte_sum(b, n));
		if (byte_sum(b, n) != 0)
			bad_sum++;
		assert_int_equal(acpi_checksum_fix_value(b, n),
				 (uint8_t)(b[9] - byte_sum(b, n)));
		assert_int_equal(acpi_sig_upgradable(h.signature),
				 in_allow(h.signature));

		/* Writing the parsed header gives back the same 36 bytes. */
		uint8_t w[36];
		acpi_header_write(w, &h);
		assert_memory_equal(w, b, 36);

		if (memcmp(b, "FACP", 4) == 0) {
			struct acpi_fadt_ptrs p;
			assert_int_equal(acpi_fadt_ptrs(b, n, &p), 0);
			/* Every real machine's FADT points at a DSDT. */
			assert_true(p.dsdt != 0 || p.x_dsdt != 0);
			assert_int_equal(p.dsdt, get32(b + 40));
			fadt++;
		}
		free(b);
	}
	globfree(&g);
	assert_true(facs >= 20);
	assert_true(fadt >= 20);
	assert_true(sdt >= 600);
	/* The corpus holds two OEM tables with a bad sum (0075 GSCI, OEMB). */
	assert_int_equal(bad_sum, 2);
}

/* ========================= checksums and headers ========================= */

static void test_checksum_sum(void **state)
{
	(void)state;
	uint8_t b[300];

	for (size_t i = 0; i < sizeof(b); i++)
		b[i] = (uint8_t)(i * 31 + 5);
	for (size_t n = 0; n <= sizeof(b); n += 13)
		assert_int_equal(acpi_checksum(b, n), byte_sum(b, n));
	b[9] = 0x55;
	uint8_t fix = acpi_checksum_fix_value(b, sizeof(b));
	b[9] = fix;
	assert_int_equal(byte_sum(b, sizeof(b)), 0);
	assert_int_equal(acpi_checksum(b, sizeof(b)), 0);
	/* Independent of the old Checksum byte. */
	b[9] = 0;
	assert_int_equal(acpi_checksum_fix_value(b, sizeof(b)), fix);
}

static void test_header_parse_write(void **state)
{
	(void)state;
	uint8_t b[64], w[36];
	struct acpi_header h;
	struct fwk_fault f = { 0 };

	make_table(b, sizeof(b), "SSDT");
	put32(b + 24, 0x89abcdef);
	put32(b + 32, 0x20200925);
	assert_int_equal(acpi_header_parse(b, 36, &h, &f), 0);
	assert_int_equal(h.length, 64);
	assert_int_equal(h.oem_revision, 0x89abcdef);
	assert_int_equal(h.creator_revision, 0x20200925);
	assert_memory_equal(h.oem_table_id, "BXPC    ", 8);
	memset(w, 0xee, sizeof(w));
	acpi_header_write(w, &h);
	assert_memory_equal(w, b, 36);

	uint8_t *c = exact_copy(b, 35);
	assert_int_equal(acpi_header_parse(c, 35, &h, &f), FWK_ERR_TRUNCATED);
	assert_string_equal(f.field, "Length");
	free(c);
}

/* ========================= acpi_table_check ========================= */

static void test_check_good(void **state)
{
	(void)state;
	uint8_t b[100];

	make_table(b, 36, "DSDT");
	assert_int_equal(check_copy(b, 36, NULL), ACPI_KIND_SDT);
	make_table(b, 100, "ASF!");
	assert_int_equal(check_copy(b, 100, NULL), ACPI_KIND_SDT);
	make_table(b, 36 + 8 * 3, "XSDT");
	assert_int_equal(check_copy(b, 36 + 24, NULL), ACPI_KIND_SDT);
	make_table(b, 36 + 4 * 3, "RSDT");
	assert_int_equal(check_copy(b, 36 + 12, NULL), ACPI_KIND_SDT);
	/* A bad sum is not the check's business. */
	make_table(b, 64, "SSDT");
	b[9] ^= 1;
	assert_int_equal(check_copy(b, 64, NULL), ACPI_KIND_SDT);
	assert_int_not_equal(acpi_checksum(b, 64), 0);
}

static void test_check_signature(void **state)
{
	(void)state;
	static const uint8_t bad[] = { 0x00, ' ', 0xff, '.', '@', '\n' };
	uint8_t b[64];

	for (unsigned i = 0; i < 4; i++)
		for (size_t k = 0; k < sizeof(bad); k++) {
			struct fwk_fault f = { 0 };
			make_table(b, sizeof(b), "SSDT");
			b[i] = bad[k];
			expect_fault(b, sizeof(b), FWK_ERR_BADFIELD, "Signature");
			assert_int_equal(check_copy(b, sizeof(b), &f), FWK_ERR_BADFIELD);
			assert_int_equal(f.offset, i);
		}
	make_table(b, sizeof(b), "SSDT");
	expect_fault(b, 3, FWK_ERR_TRUNCATED, "Signature");
	expect_fault(b, 0, FWK_ERR_TRUNCATED, "Signature");
}

static void test_check_length(void **state)
{
	(void)state;
	uint8_t b[128];
	struct fwk_fault f = { 0 };

	/* Too big: more than there is. */
	make_table(b, 64, "SSDT");
	put32(b + 4, 65);
	expect_fault(b, 64, FWK_ERR_RANGE, "Length");
	put32(b + 4, 0xffffffff);
	expect_fault(b, 64, FWK_ERR_RANGE, "Length");
	/* Too small: less than the file, less than a header, zero. */
	put32(b + 4, 63);
	expect_fault(b, 64, FWK_ERR_BADFIELD, "Length");
	put32(b + 4, 35);
	expect_fault(b, 64, FWK_ERR_BADFIELD, "Length");
	put32(b + 4, 0);
	expect_fault(b, 64, FWK_ERR_BADFIELD, "Length");
	assert_int_equal(check_copy(b, 64, &f), FWK_ERR_BADFIELD);
	assert_int_equal(f.offset, 4);
	/* The file itself shorter than a header. */
	make_table(b, 64, "SSDT");
	for (size_t n = 4; n < 36; n++)
		expect_fault(b, n, FWK_ERR_TRUNCATED, "Length");
	/* Root tables: a whole number of entries. */
	for (unsigned extra = 1; extra < 8; extra++) {
		make_table(b, 36 + 16 + extra, "XSDT");
		expect_fault(b, 36 + 16 + extra, FWK_ERR_BADFIELD, "Length");
		make_table(b, 36 + 16 + extra, "RSDT");
		if (extra % 4)
			expect_fault(b, 36 + 16 + extra, FWK_ERR_BADFIELD, "Length");
		else
			assert_int_equal(check_copy(b, 36 + 16 + extra, NULL), ACPI_KIND_SDT);
	}
}

static void test_check_facs(void **state)
{
	(void)state;
	uint8_t b[128];

	memset(b, 0, sizeof(b));
	memcpy(b, "FACS", 4);
	put32(b + 4, 64);
	assert_int_equal(check_copy(b, 64, NULL), ACPI_KIND_FACS);
	put32(b + 4, 63);
	expect_fault(b, 63, FWK_ERR_BADFIELD, "Length");
	put32(b + 4, 65);
	expect_fault(b, 64, FWK_ERR_RANGE, "Length");
	put32(b + 4, 64);
	expect_fault(b, 128, FWK_ERR_BADFIELD, "Length");
	expect_fault(b, 7, FWK_ERR_TRUNCATED, "Length");
}

/* ========================= RSDP ========================= */

static void make_rsdp(uint8_t *b, uint8_t rev, uint32_t len)
{
	memset(b, 0, 40);
	memcpy(b, "RSD PTR ", 8);
	memcpy(b + 9, "BOCHS ", 6);
	b[15] = rev;
	put32(b + 16, 0x7ffe1234);
	if (rev >= 2) {
		put32(b + 20, len);
		put64(b + 24, 0x1122334455667788ull);
		b[33] = 0xaa; /* reserved, covered by the extended sum */
	}
	fix_sum(b, 20, 8);
	if (rev >= 2)
		fix_sum(b, len, 32);
}

static int rsdp_copy(const uint8_t *b, size_t n, struct acpi_rsdp *r,
		     struct fwk_fault *f)
{
	uint8_t *c = exact_copy(b, n);
	int rc = acpi_rsdp_parse(c, n, r, f);

	free(c);
	return rc;
}

static void expect_rsdp(const uint8_t *b, size_t n, int err, const char *field)
{
	struct acpi_rsdp r;
	struct fwk_fault f = { 0 };

	assert_int_equal(rsdp_copy(b, n, &r, &f), err);
	assert_string_equal(f.field, field);
}

static void test_rsdp_v1(void **state)
{
	(void)state;
	uint8_t b[40];
	struct acpi_rsdp r;

	make_rsdp(b, 0, 20);
	assert_int_equal(byte_sum(b, 20), 0);
	assert_int_equal(rsdp_copy(b, 20, &r, NULL), 0);
	assert_memory_equal(r.oem_id, "BOCHS ", 6);
	assert_int_equal(r.revision, 0);
	assert_int_equal(r.rsdt_address, 0x7ffe1234);
	assert_int_equal(r.length, 20);
	assert_int_equal(r.xsdt_address, 0);
	assert_int_equal(r.checksum, b[8]);
	assert_int_equal(check_copy(b, 20, NULL), ACPI_KIND_RSDP);
	/* Each byte of the 20 broken in turn: the Checksum catches it, or
	 * the signature does. */
	for (size_t i = 0; i < 20; i++) {
		make_rsdp(b, 0, 20);
		b[i] ^= 0x01;
		expect_rsdp(b, 20, i < 8 ? FWK_ERR_BADMAGIC : FWK_ERR_CHECKSUM,
			    i < 8 ? "Signature" : "Checksum");
	}
	make_rsdp(b, 0, 20);
	for (size_t n = 8; n < 20; n++)
		expect_rsdp(b, n, FWK_ERR_TRUNCATED, "Length");
	expect_rsdp(b, 7, FWK_ERR_TRUNCATED, "Signature");
	/* As a file: exactly 20 bytes. */
	expect_fault(b, 21, FWK_ERR_BADFIELD, "Revision");
}

static void test_rsdp_v2(void **state)
{
	(void)state;
	uint8_t b[40];
	struct acpi_rsdp r;

	make_rsdp(b, 2, 36);
	assert_int_equal(byte_sum(b, 20), 0);
	assert_int_equal(byte_sum(b, 36), 0);
	assert_int_equal(rsdp_copy(b, 36, &r, NULL), 0);
	assert_int_equal(r.revision, 2);
	assert_int_equal(r.length, 36);
	assert_int_equal(r.rsdt_address, 0x7ffe1234);
	assert_true(r.xsdt_address == 0x1122334455667788ull);
	assert_int_equal(r.checksum, b[8]);
	assert_int_equal(r.ext_checksum, b[32]);
	assert_int_equal(check_copy(b, 36, NULL), ACPI_KIND_RSDP);

	/* The first checksum broken (the extended one still fine). */
	make_rsdp(b, 2, 36);
	b[8] = (uint8_t)(b[8] + 0x40);
	b[32] = (uint8_t)(b[32] - 0x40);
	assert_int_not_equal(byte_sum(b, 20), 0);
	assert_int_equal(byte_sum(b, 36), 0);
	expect_rsdp(b, 36, FWK_ERR_CHECKSUM, "Checksum");
	/* The extended checksum broken, in each byte past 20. */
	for (size_t i = 24; i < 36; i++) {
		make_rsdp(b, 2, 36);
		b[i] ^= 0x10;
		expect_rsdp(b, 36, FWK_ERR_CHECKSUM, "Extended Checksum");
	}
	/* Length: too small, more than there is, the input too short. */
	make_rsdp(b, 2, 36);
	put32(b + 20, 35);
	fix_sum(b, 36, 32);
	expect_rsdp(b, 36, FWK_ERR_BADFIELD, "Length");
	expect_fault(b, 36, FWK_ERR_BADFIELD, "Length");
	make_rsdp(b, 2, 36);
	put32(b + 20, 37);
	expect_rsdp(b, 36, FWK_ERR_RANGE, "Length");
	expect_fault(b, 36, FWK_ERR_RANGE, "Length");
	make_rsdp(b, 2, 36);
	for (size_t n = 20; n < 36; n++)
		expect_rsdp(b, n, FWK_ERR_TRUNCATED, "Length");
	/* A longer RSDP (Length 40) is read whole; as a file it must be
	 * exactly that long. */
	uint8_t big[44];
	make_rsdp(big, 2, 40);
	memset(big + 40, 0, 4);
	assert_int_equal(rsdp_copy(big, 40, &r, NULL), 0);
	assert_int_equal(r.length, 40);
	assert_int_equal(check_copy(big, 40, NULL), ACPI_KIND_RSDP);
	expect_fault(big, 44, FWK_ERR_BADFIELD, "Length");
	big[20] = 44;
	expect_rsdp(big, 40, FWK_ERR_RANGE, "Length");
}

/* ========================= RSDT / XSDT ========================= */

static void test_root_walk(void **state)
{
	(void)state;
	uint8_t b[36 + 8 * 3];
	uint64_t a = 0;
	struct fwk_fault f = { 0 };

	make_table(b, sizeof(b), "XSDT");
	put64(b + 36, 0x00000000bffe0040ull);
	put64(b + 44, 0x0000000100000000ull);
	put64(b + 52, 0xffffffffffffffffull);
	fix_sum(b, sizeof(b), 9);
	uint8_t *c = exact_copy(b, sizeof(b));
	assert_int_equal(acpi_root_entries(c, sizeof(b), &f), 3);
	assert_int_equal(acpi_root_entry(c, sizeof(b), 0, &a), 0);
	assert_true(a == 0xbffe0040ull);
	assert_int_equal(acpi_root_entry(c, sizeof(b), 1, &a), 0);
	assert_true(a == 0x100000000ull);
	assert_int_equal(acpi_root_entry(c, sizeof(b), 2, &a), 0);
	assert_true(a == 0xffffffffffffffffull);
	assert_int_equal(acpi_root_entry(c, sizeof(b), 3, &a), FWK_ERR_INVAL);
	assert_int_equal(acpi_root_entry(c, sizeof(b), UINT32_MAX, &a), FWK_ERR_INVAL);
	free(c);

	make_table(b, 36 + 4 * 3, "RSDT");
	put32(b + 36, 0xbffe1000);
	put32(b + 40, 0xbffe2000);
	put32(b + 44, 0xfffffffe);
	c = exact_copy(b, 48);
	assert_int_equal(acpi_root_entries(c, 48, &f), 3);
	assert_int_equal(acpi_root_entry(c, 48, 2, &a), 0);
	assert_true(a == 0xfffffffeull);
	assert_int_equal(acpi_root_entry(c, 48, 0, &a), 0);
	assert_true(a == 0xbffe1000ull);
	assert_int_equal(acpi_root_entry(c, 48, 3, &a), FWK_ERR_INVAL);
	free(c);

	/* Empty roots, the wrong table, a broken one. */
	make_table(b, 36, "XSDT");
	assert_int_equal(check_copy(b, 36, NULL), ACPI_KIND_SDT);
	c = exact_copy(b, 36);
	assert_int_equal(acpi_root_entries(c, 36, &f), 0);
	assert_int_equal(acpi_root_entry(c, 36, 0, &a), FWK_ERR_INVAL);
	free(c);
	make_table(b, 44, "DSDT");
	c = exact_copy(b, 44);
	assert_int_equal(acpi_root_entries(c, 44, &f), FWK_ERR_BADMAGIC);
	assert_string_equal(f.field, "Signature");
	assert_int_equal(acpi_root_entry(c, 44, 0, &a), FWK_ERR_BADMAGIC);
	free(c);
	make_table(b, 36 + 8 + 4, "XSDT");
	c = exact_copy(b, 48);
	assert_int_equal(acpi_root_entries(c, 48, &f), FWK_ERR_BADFIELD);
	assert_string_equal(f.field, "Length");
	free(c);
	uint8_t facs[64] = { 'F', 'A', 'C', 'S', 64 };
	c = exact_copy(facs, 64);
	assert_int_equal(acpi_root_entries(c, 64, &f), FWK_ERR_BADMAGIC);
	free(c);
}

/* ========================= FADT ========================= */

static void test_fadt_ptrs(void **state)
{
	(void)state;
	uint8_t b[276];
	struct acpi_fadt_ptrs p;

	make_table(b, sizeof(b), "FACP");
	put32(b + 36, 0x7ffe0000);
	put32(b + 40, 0x7ffd0000);
	put64(b + 132, 0x1000000000ull);
	put64(b + 140, 0x2000000000ull);
	fix_sum(b, sizeof(b), 9);
	uint8_t *c = exact_copy(b, sizeof(b));
	assert_int_equal(acpi_fadt_ptrs(c, sizeof(b), &p), 0);
	assert_true(p.facs == 0x7ffe0000 && p.dsdt == 0x7ffd0000);
	assert_true(p.x_facs == 0x1000000000ull && p.x_dsdt == 0x2000000000ull);
	free(c);

	/* An ACPI 1.0 FADT (116 bytes) has no X_ fields. */
	put32(b + 4, 116);
	c = exact_copy(b, 116);
	assert_int_equal(acpi_fadt_ptrs(c, 116, &p), 0);
	assert_true(p.facs == 0x7ffe0000 && p.dsdt == 0x7ffd0000);
	assert_true(p.x_facs == 0 && p.x_dsdt == 0);
	free(c);
	/* The Length rules even when the buffer goes on. */
	c = exact_copy(b, sizeof(b));
	assert_int_equal(acpi_fadt_ptrs(c, sizeof(b), &p), 0);
	assert_true(p.x_facs == 0 && p.x_dsdt == 0);
	free(c);
	/* X_FIRMWARE_CTRL fits in 140 bytes, X_DSDT does not. */
	put32(b + 4, 276);
	c = exact_copy(b, 140);
	assert_int_equal(acpi_fadt_ptrs(c, 140, &p), 0);
	assert_true(p.x_facs == 0x1000000000ull && p.x_dsdt == 0);
	free(c);
	/* Only the header: nothing. */
	c = exact_copy(b, 36);
	assert_int_equal(acpi_fadt_ptrs(c, 36, &p), 0);
	assert_true(p.facs == 0 && p.dsdt == 0);
	free(c);
	c = exact_copy(b, 35);
	assert_int_equal(acpi_fadt_ptrs(c, 35, &p), FWK_ERR_TRUNCATED);
	free(c);
	memcpy(b, "DSDT", 4);
	c = exact_copy(b, sizeof(b));
	assert_int_equal(acpi_fadt_ptrs(c, sizeof(b), &p), FWK_ERR_BADMAGIC);
	assert_true(p.dsdt == 0);
	free(c);
}

/* ========================= names and identities ========================= */

static void test_identity(void **state)
{
	(void)state;
	struct acpi_header h;
	char out[ACPI_IDENTITY_MAX];
	uint8_t b[36];

	make_table(b, 36, "DSDT");
	acpi_header_parse(b, 36, &h, NULL);
	h.oem_revision = 2;
	assert_int_equal(acpi_identity(&h, out), 26);
	assert_string_equal(out, "DSDT BOCHS  BXPC     rev 2");
	h.oem_revision = 0;
	acpi_identity(&h, out);
	assert_string_equal(out, "DSDT BOCHS  BXPC     rev 0");
	h.oem_revision = UINT32_MAX;
	h.oem_id[0] = '\0';
	h.oem_table_id[7] = (char)0xff;
	h.signature[3] = '\n';
	int n = acpi_identity(&h, out);
	assert_string_equal(out, "DSD? ?OCHS  BXPC   ? rev 4294967295");
	assert_int_equal(n, (int)strlen(out));
	assert_true(n < (int)ACPI_IDENTITY_MAX);
}

static void test_same_ids(void **state)
{
	(void)state;
	struct acpi_header a, b;
	uint8_t t[36];

	make_table(t, 36, "SSDT");
	acpi_header_parse(t, 36, &a, NULL);
	b = a;
	b.oem_revision = 99;
	b.revision = 9;
	b.length = 1000;
	memcpy(b.creator_id, "INTL", 4);
	assert_true(acpi_same_ids(&a, &b));
	b = a;
	b.signature[0] = 'D';
	assert_false(acpi_same_ids(&a, &b));
	b = a;
	b.oem_id[5] = 'X';
	assert_false(acpi_same_ids(&a, &b));
	b = a;
	b.oem_table_id[7] = 'X';
	assert_false(acpi_same_ids(&a, &b));
}

static void test_allowlist_and_names(void **state)
{
	(void)state;
	static const char *const not_allowed[] = {
		"FACS", "RSD ", "FPDT", "TPM2", "DBG2", "LPIT", "WSMT", "BATB",
		"OEMB", "GTDT", "SSDt", "dsdt", "    ", "\0\0\0\0",
	};

	for (size_t i = 0; i < NALLOW; i++) {
		assert_true(acpi_sig_upgradable(allow[i]));
		const char *d = acpi_sig_describe(allow[i]);
		if (!d)
			fail_msg("no description for %.4s", allow[i]);
		assert_true(strlen(d) > 8);
	}
	for (size_t i = 0; i < sizeof(not_allowed) / sizeof(not_allowed[0]); i++)
		assert_false(acpi_sig_upgradable(not_allowed[i]));
	assert_string_equal(acpi_sig_describe("DSDT"),
			    "Differentiated System Description Table");
	assert_string_equal(acpi_sig_describe("FACS"),
			    "Firmware ACPI Control Structure");
	assert_non_null(acpi_sig_describe("TPM2"));
	assert_non_null(acpi_sig_describe("WSMT"));
	assert_null(acpi_sig_describe("ZZZZ"));
	assert_null(acpi_sig_describe("dsdt"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_every_table),
		cmocka_unit_test(test_checksum_sum),
		cmocka_unit_test(test_header_parse_write),
		cmocka_unit_test(test_check_good),
		cmocka_unit_test(test_check_signature),
		cmocka_unit_test(test_check_length),
		cmocka_unit_test(test_check_facs),
		cmocka_unit_test(test_rsdp_v1),
		cmocka_unit_test(test_rsdp_v2),
		cmocka_unit_test(test_root_walk),
		cmocka_unit_test(test_fadt_ptrs),
		cmocka_unit_test(test_identity),
		cmocka_unit_test(test_same_ids),
		cmocka_unit_test(test_allowlist_and_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

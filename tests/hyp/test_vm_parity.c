/* SPDX-License-Identifier: MIT */
/* test_vm_parity.c - cmocka tests of the parity readers and the comparison
 * (fwkit/vm.h): QEMU's own arm64 virt trees (dumped by QEMU from the test)
 * checked device by device against QEMU's documented memory map, hand-
 * written ACPI tables for the same machine compiled by iasl and found in
 * parity with them, one deliberate difference at a time reported once,
 * malformed trees, tables and AML refused with the right field and offset,
 * QEMU q35's own tables, and fwkit's generated DTB and ACPI in parity for
 * many descriptions. */
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

#include <fwkit/acpi.h>
#include <fwkit/dt.h>
#include <fwkit/vm.h>

#define DEVS_MAX 2048u
#define GIB 0x40000000ull

static char *tmp;             /* this program's scratch directory */
static char root[PATH_MAX];   /* the repository */
static int counter;

/* ---- inputs ------------------------------------------------------------- */

/* QEMU's own virt tree for `-M virt,<machine>` and extra options. */
static uint8_t *qemu_dtb(const char *machine, const char *extra, size_t *len)
{
	char out[PATH_MAX + 32];

	snprintf(out, sizeof(out), "%s/qemu%d.dtb", tmp, counter++);
	if (sh("timeout 60 qemu-system-aarch64 -M virt,%s,dumpdtb=%s -cpu cortex-a53 %s "
	       "-display none -nographic > '%s.log' 2>&1", machine, out, extra, out) != 0)
		fail_msg("qemu-system-aarch64 could not dump its virt tree (is QEMU installed?)");
	return slurp(out, len);
}

/* tests/hyp/data/vm/NAME (.dsl or .asl) compiled by iasl with defines. */
static uint8_t *iasl(const char *name, const char *defs, size_t *len)
{
	char out[PATH_MAX + 32];

	snprintf(out, sizeof(out), "%s/t%d", tmp, counter++);
	if (sh("iasl %s -p '%s' '%s/tests/hyp/data/vm/%s' > '%s.log' 2>&1", defs, out, root,
	       name, out) != 0)
		fail_msg("iasl could not compile %s %s (is acpica-tools installed?)", name, defs);
	strcat(out, ".aml");
	return slurp(out, len);
}

/* ASL source text compiled by iasl. */
static uint8_t *asl(const char *src, size_t *len)
{
	char in[PATH_MAX + 32];

	snprintf(in, sizeof(in), "%s/s%d.dsl", tmp, counter++);
	spew(in, src, strlen(src));
	if (sh("iasl -p '%s/s%d' '%s' > '%s.log' 2>&1", tmp, counter - 1, in, in) != 0)
		fail_msg("iasl refused the test's own source %s", in);
	snprintf(in, sizeof(in), "%s/s%d.aml", tmp, counter - 1);
	return slurp(in, len);
}

/* A table with signature sig around raw body bytes: header, Length and
 * checksum right. */
static uint8_t *table(const char *sig, const void *body, size_t n, size_t *len)
{
	uint8_t *t = calloc(1, 36 + n);
	struct acpi_header h = { .length = (uint32_t)(36 + n), .revision = 2,
				 .oem_revision = 1, .creator_revision = 1 };

	assert_non_null(t);
	memcpy(h.signature, sig, 4);
	memcpy(h.oem_id, "FWKTST", 6);
	memcpy(h.oem_table_id, "RAWTABLE", 8);
	memcpy(h.creator_id, "TEST", 4);
	acpi_header_write(t, &h);
	memcpy(t + 36, body, n);
	t[9] = acpi_checksum_fix_value(t, 36 + n);
	*len = 36 + n;
	return t;
}

/* ---- reading ------------------------------------------------------------ */

struct got {
	size_t n;
	struct vm_dev v[DEVS_MAX];
};
static struct got dt, acpi;

static void dt_read(const uint8_t *b, size_t len, struct got *g)
{
	struct fwk_fault f = { 0 };
	int rc = vm_dt_devices(b, len, g->v, DEVS_MAX, &g->n, &f);

	if (rc != 0)
		fail_msg("vm_dt_devices: %d %s: %s at %llu", rc, f.field, f.detail,
			 (unsigned long long)f.offset);
}

static int acpi_try(struct vm_blob *t, size_t n, struct got *g, struct fwk_fault *f)
{
	memset(f, 0, sizeof(*f));
	return vm_acpi_devices(t, n, g->v, DEVS_MAX, &g->n, f);
}

static void acpi_read(struct vm_blob *t, size_t n, struct got *g)
{
	struct fwk_fault f;
	int rc = acpi_try(t, n, g, &f);

	if (rc != 0)
		fail_msg("vm_acpi_devices: %d %s: %s at %llu", rc, f.field, f.detail,
			 (unsigned long long)f.offset);
}

/* The one device of kind at base (or the n-th of kind when base is ~0). */
static const struct vm_dev *one(const struct got *g, unsigned kind, uint64_t base)
{
	const struct vm_dev *hit = NULL;

	for (size_t i = 0; i < g->n; i++) {
		if (g->v[i].kind != kind || g->v[i].base != base)
			continue;
		if (hit)
			fail_msg("two %s devices at 0x%llx", vm_dev_name(kind),
				 (unsigned long long)base);
		hit = &g->v[i];
	}
	if (!hit)
		fail_msg("no %s at 0x%llx", vm_dev_name(kind), (unsigned long long)base);
	return hit;
}

static size_t count(const struct got *g, unsigned kind)
{
	size_t n = 0;

	for (size_t i = 0; i < g->n; i++)
		n += g->v[i].kind == kind;
	return n;
}

/* kind at base with this size, index and interrupts (nirq of them). */
static void expect(const struct got *g, unsigned kind, uint64_t base, uint64_t size,
		   uint32_t index, unsigned nirq, uint32_t i0, uint32_t i1, uint32_t i2, uint32_t i3)
{
	const struct vm_dev *v = one(g, kind, base);
	uint32_t irq[4] = { i0, i1, i2, i3 };

	assert_int_equal(v->size, size);
	assert_int_equal(v->index, index);
	assert_int_equal(v->nirq, nirq);
	for (unsigned i = 0; i < nirq; i++)
		assert_int_equal(v->irq[i], irq[i]);
}

/* ---- differences ------------------------------------------------------- */

struct diff {
	unsigned kind;
	uint64_t base;
	const char *what;
	bool in_dt, in_acpi;
};
static struct {
	size_t n;
	struct diff d[DEVS_MAX];
} diffs;

static void on_diff(void *ctx, const struct vm_dev *d, const struct vm_dev *a, const char *what)
{
	const struct vm_dev *v = d ? d : a;

	assert_ptr_equal(ctx, &diffs);
	assert_true(d || a);
	assert_non_null(what);
	if (diffs.n < DEVS_MAX)
		diffs.d[diffs.n] = (struct diff){ v->kind, v->base, what, d != NULL, a != NULL };
	diffs.n++;
}

static size_t parity(void)
{
	diffs.n = 0;
	size_t n = vm_parity(dt.v, dt.n, acpi.v, acpi.n, on_diff, &diffs);
	assert_int_equal(n, diffs.n);
	for (size_t i = 0; i < n && i < 8; i++)
		print_message("# difference: %s %s at 0x%llx (%s%s)\n", diffs.d[i].what,
			      vm_dev_name(diffs.d[i].kind), (unsigned long long)diffs.d[i].base,
			      diffs.d[i].in_dt ? "dt" : "", diffs.d[i].in_acpi ? " acpi" : "");
	return n;
}

/* Exactly one difference, as described. */
static void expect_one_diff(unsigned kind, uint64_t base, const char *what, bool in_dt,
			    bool in_acpi)
{
	assert_int_equal(parity(), 1);
	assert_int_equal(diffs.d[0].kind, kind);
	assert_int_equal(diffs.d[0].base, base);
	assert_string_equal(diffs.d[0].what, what);
	assert_int_equal(diffs.d[0].in_dt, in_dt);
	assert_int_equal(diffs.d[0].in_acpi, in_acpi);
}

/* ---- the hand-written ACPI tables of QEMU's arm64 virt ------------------ */

struct tables {
	size_t n;
	struct vm_blob t[8];
	uint8_t *own[8];
};

static void tables_add(struct tables *ts, uint8_t *b, size_t len)
{
	assert_true(ts->n < 8);
	ts->own[ts->n] = b;
	ts->t[ts->n].p = b;
	ts->t[ts->n++].len = len;
}

static void tables_free(struct tables *ts)
{
	for (size_t i = 0; i < ts->n; i++)
		free(ts->own[i]);
	ts->n = 0;
}

/* DSDT, MADT, GTDT, MCFG, SPCR (+ SRAT) from tests/hyp/data/vm, each with
 * its own defines. */
static void virt_tables(struct tables *ts, const char *dsdt, const char *madt, const char *spcr,
			bool srat)
{
	size_t len;
	uint8_t *b;

	ts->n = 0;
	b = iasl("virt.dsl", dsdt, &len);
	tables_add(ts, b, len);
	b = iasl("virt-madt.asl", madt, &len);
	tables_add(ts, b, len);
	b = iasl("virt-gtdt.asl", "", &len);
	tables_add(ts, b, len);
	b = iasl("virt-mcfg.asl", "", &len);
	tables_add(ts, b, len);
	b = iasl("virt-spcr.asl", spcr, &len);
	tables_add(ts, b, len);
	if (srat) {
		b = iasl("virt-srat.asl", "", &len);
		tables_add(ts, b, len);
	}
}

static void virt_acpi(const char *dsdt, const char *madt, const char *spcr, bool srat)
{
	struct tables ts;

	virt_tables(&ts, dsdt, madt, spcr, srat);
	acpi_read(ts.t, ts.n, &acpi);
	tables_free(&ts);
}

static void qemu_dt(const char *machine, const char *extra)
{
	size_t len;
	uint8_t *b = qemu_dtb(machine, extra, &len);

	dt_read(b, len, &dt);
	free(b);
}

/* ---- QEMU's own trees ------------------------------------------------------ */

/* QEMU 7.2 virt (hw/arm/virt.c's memory map and interrupt map), as
 * INTIDs: UART SPI 1, RTC SPI 2, PCIe INTA-D SPI 3-6, virtio SPI 16-47,
 * timer PPIs 13 14 11 10. */
static void expect_virt_common(const struct got *g)
{
	expect(g, VM_DEV_MEMORY, 0x40000000, GIB, 0, 0, 0, 0, 0, 0);
	expect(g, VM_DEV_TIMER, 0, 0, 0, 4, 29, 30, 27, 26);
	expect(g, VM_DEV_UART, 0x09000000, 0x1000, 0, 1, 33, 0, 0, 0);
	expect(g, VM_DEV_RTC, 0x09010000, 0x1000, 0, 1, 34, 0, 0, 0);
	expect(g, VM_DEV_PCIE_ECAM, 0x4010000000, 0x10000000, 0, 4, 35, 36, 37, 38);
	expect(g, VM_DEV_PCIE_MMIO32, 0x10000000, 0x2eff0000, 0, 0, 0, 0, 0, 0);
	expect(g, VM_DEV_PCIE_PIO, 0x3eff0000, 0x10000, 0, 0, 0, 0, 0, 0);
	expect(g, VM_DEV_PCIE_MMIO64, 0x8000000000, 0x8000000000, 0, 0, 0, 0, 0, 0);
	assert_int_equal(count(g, VM_DEV_VIRTIO), 32);
	for (uint32_t i = 0; i < 32; i++)
		expect(g, VM_DEV_VIRTIO, 0x0a000000 + 0x200 * i, 0x200, i, 1, 48 + i, 0, 0, 0);
	for (size_t i = 0; i < g->n; i++)
		assert_true(g->v[i].kind >= VM_DEV_CPU && g->v[i].kind <= VM_DEV_IOAPIC);
}

static void test_qemu_gicv3(void **state)
{
	(void)state;
	qemu_dt("gic-version=3", "-smp 2 -m 1G");
	expect_virt_common(&dt);
	expect(&dt, VM_DEV_CPU, 0, 0, 0, 0, 0, 0, 0, 0);
	expect(&dt, VM_DEV_CPU, 1, 0, 1, 0, 0, 0, 0, 0);
	expect(&dt, VM_DEV_GICD, 0x08000000, 0x10000, 0, 0, 0, 0, 0, 0);
	expect(&dt, VM_DEV_GICR, 0x080a0000, 0xf60000, 0, 0, 0, 0, 0, 0);
	expect(&dt, VM_DEV_ITS, 0x08080000, 0x20000, 0, 0, 0, 0, 0, 0);
	assert_int_equal(count(&dt, VM_DEV_GICC), 0);
	assert_int_equal(dt.n, 2 + 1 + 3 + 1 + 1 + 1 + 4 + 32);
}

static void test_qemu_gicv2(void **state)
{
	(void)state;
	qemu_dt("gic-version=2", "-smp 4 -m 1G");
	expect_virt_common(&dt);
	for (uint64_t c = 0; c < 4; c++)
		expect(&dt, VM_DEV_CPU, c, 0, (uint32_t)c, 0, 0, 0, 0, 0);
	expect(&dt, VM_DEV_GICD, 0x08000000, 0x10000, 0, 0, 0, 0, 0, 0);
	expect(&dt, VM_DEV_GICC, 0x08010000, 0x10000, 0, 0, 0, 0, 0, 0);
	expect(&dt, VM_DEV_ITS, 0x08020000, 0x1000, 0, 0, 0, 0, 0, 0); /* the v2m frame */
	assert_int_equal(count(&dt, VM_DEV_GICR), 0);
	assert_int_equal(dt.n, 4 + 1 + 3 + 1 + 1 + 1 + 4 + 32);
}

static void test_qemu_its_off_and_numa(void **state)
{
	(void)state;
	qemu_dt("gic-version=3,its=off", "-smp 1 -m 1G");
	assert_int_equal(count(&dt, VM_DEV_ITS), 0);
	assert_int_equal(count(&dt, VM_DEV_CPU), 1);

	qemu_dt("gic-version=3", "-smp 2 -m 2G -object memory-backend-ram,id=m0,size=1G "
		"-object memory-backend-ram,id=m1,size=1G "
		"-numa node,memdev=m0,cpus=0,nodeid=0 -numa node,memdev=m1,cpus=1,nodeid=1");
	expect(&dt, VM_DEV_MEMORY, 0x40000000, GIB, 0, 0, 0, 0, 0, 0);
	expect(&dt, VM_DEV_MEMORY, 0x80000000, GIB, 1, 0, 0, 0, 0, 0);
	assert_int_equal(count(&dt, VM_DEV_MEMORY), 2);
}

/* A tree refused: code, field, and the offset of the node at fault. */
static void expect_dt_fault(const uint8_t *b, size_t len, int err, const char *field,
			    const char *path)
{
	struct fwk_fault f = { 0 };
	size_t n = 99;
	char got[DT_PATH_MAX];

	assert_int_equal(vm_dt_devices(b, len, dt.v, DEVS_MAX, &n, &f), err);
	assert_int_equal(f.error, err);
	assert_int_equal(n, 0);
	assert_string_equal(f.field, field);
	assert_non_null(f.detail);
	if (path) {
		assert_true(dt_node_path_at(b, len, f.offset, got, sizeof(got)) > 0);
		assert_string_equal(got, path);
	}
}

/* tests/hyp/data/vm/NAME.dts compiled by dtc. */
static uint8_t *dts(const char *name, size_t *len)
{
	char out[PATH_MAX + 32];

	snprintf(out, sizeof(out), "%s/d%d.dtb", tmp, counter++);
	if (sh("dtc -q -I dts -O dtb -o '%s' '%s/tests/hyp/data/vm/%s.dts'", out, root, name) != 0)
		fail_msg("dtc refused %s.dts", name);
	return slurp(out, len);
}

static void test_dt_translation(void **state)
{
	size_t len;
	uint8_t *b;

	(void)state;
	/* two levels of simple-bus, each moving its children */
	b = dts("buses", &len);
	dt_read(b, len, &dt);
	expect(&dt, VM_DEV_UART, 0x09000000, 0x1000, 0, 1, 33, 0, 0, 0);
	expect(&dt, VM_DEV_VIRTIO, 0x0a000200, 0x200, 0, 1, 49, 0, 0, 0);
	expect(&dt, VM_DEV_RTC, 0x1c010000, 0x1000, 0, 0, 0, 0, 0, 0); /* not on the GIC */
	expect(&dt, VM_DEV_GICD, 0x2f000000, 0x10000, 0, 0, 0, 0, 0, 0);
	expect(&dt, VM_DEV_GICC, 0x2c000000, 0x2000, 0, 0, 0, 0, 0, 0);
	expect(&dt, VM_DEV_TIMER, 0, 0, 0, 4, 29, 30, 27, 26);
	expect(&dt, VM_DEV_CPU, 0x100, 0, 0, 0, 0, 0, 0, 0);
	assert_int_equal(count(&dt, VM_DEV_CPU), 1); /* the disabled one is not there */
	assert_int_equal(dt.n, 7);
	free(b);

	b = dts("no-ranges", &len);
	expect_dt_fault(b, len, FWK_ERR_UNSUPPORTED, "ranges", "/soc/serial@1000");
	free(b);
	b = dts("outside-ranges", &len);
	expect_dt_fault(b, len, FWK_ERR_RANGE, "ranges", "/soc/serial@f0000");
	free(b);
	b = dts("bad-interrupts", &len);
	expect_dt_fault(b, len, FWK_ERR_BADFIELD, "interrupts", "/serial@9000000");
	free(b);
}

static void test_dt_faults(void **state)
{
	size_t len, n = 7;
	struct fwk_fault f = { 0 };
	uint8_t *b = qemu_dtb("gic-version=3", "-smp 1 -m 1G", &len), *c;

	(void)state;
	/* QEMU's dump is 1 MiB; its header's totalsize is the whole of it */
	expect_dt_fault(b, len - 1, FWK_ERR_TRUNCATED, "totalsize", NULL);
	expect_dt_fault(b, 20, FWK_ERR_TRUNCATED, "totalsize", NULL);
	c = exact_copy(b, len);
	c[0] ^= 1;
	expect_dt_fault(c, len, FWK_ERR_BADMAGIC, "magic", NULL);
	memcpy(c, b, len);
	/* the first token of the structure block is no token at all */
	c[fdt_off_dt_struct(b) + 3] = 0x77;
	expect_dt_fault(c, len, FWK_ERR_BADFIELD, "structure", NULL);
	/* a version-15 tree: libfdt 1.6.1's own check would crash on it */
	memcpy(c, b, len);
	c[20] = c[21] = c[22] = 0;
	c[23] = 15;
	expect_dt_fault(c, len, FWK_ERR_UNSUPPORTED, "version", NULL);
	free(c);

	assert_int_equal(vm_dt_devices(b, len, dt.v, 10, &n, &f), FWK_ERR_NOSPACE);
	assert_int_equal(n, 0);
	assert_string_equal(f.field, "out");
	assert_int_equal(vm_dt_devices(NULL, 0, dt.v, 10, &n, &f), FWK_ERR_INVAL);
	assert_int_equal(vm_dt_devices(b, len, NULL, 10, &n, &f), FWK_ERR_INVAL);
	free(b);
}

/* ---- the hand-written ACPI tables ---------------------------------------- */

static void test_acpi_fixture(void **state)
{
	(void)state;
	virt_acpi("", "", "", false);
	expect(&acpi, VM_DEV_CPU, 0, 0, 0, 0, 0, 0, 0, 0);
	expect(&acpi, VM_DEV_CPU, 1, 0, 1, 0, 0, 0, 0, 0);
	expect(&acpi, VM_DEV_GICD, 0x08000000, 0, 0, 0, 0, 0, 0, 0);
	expect(&acpi, VM_DEV_GICR, 0x080a0000, 0xf60000, 0, 0, 0, 0, 0, 0);
	expect(&acpi, VM_DEV_ITS, 0x08080000, 0, 0, 0, 0, 0, 0, 0);
	expect(&acpi, VM_DEV_TIMER, 0, 0, 0, 4, 29, 30, 27, 26);
	expect(&acpi, VM_DEV_UART, 0x09000000, 0x1000, 0, 1, 33, 0, 0, 0);
	expect(&acpi, VM_DEV_PCIE_ECAM, 0x4010000000, 0x10000000, 0, 4, 35, 36, 37, 38);
	expect(&acpi, VM_DEV_PCIE_MMIO32, 0x10000000, 0x2eff0000, 0, 0, 0, 0, 0, 0);
	expect(&acpi, VM_DEV_PCIE_PIO, 0x3eff0000, 0x10000, 0, 0, 0, 0, 0, 0);
	expect(&acpi, VM_DEV_PCIE_MMIO64, 0x8000000000, 0x8000000000, 0, 0, 0, 0, 0, 0);
	for (uint32_t i = 0; i < 32; i++)
		expect(&acpi, VM_DEV_VIRTIO, 0x0a000000 + 0x200 * i, 0x200, i, 1, 48 + i, 0, 0, 0);
	/* no RTC (no ACPI binding for the pl031), no memory (no SRAT) */
	assert_int_equal(acpi.n, 2 + 3 + 1 + 1 + 1 + 3 + 32);

	/* the bridge's _CRS declared in a Scope after the Device */
	virt_acpi("-DSCOPE_CRS", "", "", false);
	expect(&acpi, VM_DEV_PCIE_MMIO32, 0x10000000, 0x2eff0000, 0, 0, 0, 0, 0, 0);
	expect(&acpi, VM_DEV_PCIE_MMIO64, 0x8000000000, 0x8000000000, 0, 0, 0, 0, 0, 0);
	assert_int_equal(acpi.n, 43);

	/* SRAT: the two nodes' RAM, not the hot-pluggable range */
	virt_acpi("", "", "", true);
	expect(&acpi, VM_DEV_MEMORY, 0x40000000, GIB, 0, 0, 0, 0, 0, 0);
	expect(&acpi, VM_DEV_MEMORY, 0x80000000, GIB, 1, 0, 0, 0, 0, 0);
	assert_int_equal(count(&acpi, VM_DEV_MEMORY), 2);
}

static void test_parity_qemu_vs_fixture(void **state)
{
	(void)state;
	qemu_dt("gic-version=3", "-smp 2 -m 1G");
	virt_acpi("", "", "", false);
	assert_int_equal(parity(), 0);
	virt_acpi("-DSCOPE_CRS", "", "", false);
	assert_int_equal(parity(), 0);

	qemu_dt("gic-version=3", "-smp 2 -m 2G -object memory-backend-ram,id=m0,size=1G "
		"-object memory-backend-ram,id=m1,size=1G "
		"-numa node,memdev=m0,cpus=0,nodeid=0 -numa node,memdev=m1,cpus=1,nodeid=1");
	virt_acpi("", "", "", true);
	assert_int_equal(parity(), 0);
}

static void test_parity_deliberate(void **state)
{
	(void)state;
	qemu_dt("gic-version=3", "-smp 2 -m 1G");

	virt_acpi("-DMOVED_UART", "", "-DMOVED_UART", false);
	expect_one_diff(VM_DEV_UART, 0x09000000, "base", true, true);
	virt_acpi("-DCHANGED_IRQ", "", "", false);
	expect_one_diff(VM_DEV_VIRTIO, 0x0a000a00, "irq", true, true);
	virt_acpi("-DMISSING_VIRTIO", "", "", false);
	expect_one_diff(VM_DEV_VIRTIO, 0x0a003e00, "missing", true, false);
	virt_acpi("", "-DEXTRA_CPU", "", false);
	expect_one_diff(VM_DEV_CPU, 2, "missing", false, true);
	/* SRAT makes memory compared: the DT has only the first GiB */
	virt_acpi("", "", "", true);
	expect_one_diff(VM_DEV_MEMORY, 0x80000000, "missing", false, true);
	/* a console only SPCR names */
	virt_acpi("", "", "-DOTHER_UART", false);
	expect_one_diff(VM_DEV_UART, 0x09040000, "missing", false, true);

	/* the other way round: the tree has a third CPU, no ITS */
	qemu_dt("gic-version=3", "-smp 3 -m 1G");
	virt_acpi("", "", "", false);
	expect_one_diff(VM_DEV_CPU, 2, "missing", true, false);
	qemu_dt("gic-version=3,its=off", "-smp 2 -m 1G");
	expect_one_diff(VM_DEV_ITS, 0x08080000, "missing", false, true);
}

/* Offset of Device (NAME) in an AML table. */
static size_t device_op(const uint8_t *aml, size_t len, const char *name)
{
	for (size_t i = 2; i + 4 <= len; i++)
		if (memcmp(aml + i, name, 4) == 0)
			for (size_t k = 1; k <= 5 && k + 1 < i; k++)
				if (aml[i - k - 2] == 0x5b && aml[i - k - 1] == 0x82)
					return i - k - 2;
	fail_msg("no Device (%s)", name);
	return 0;
}

static void test_acpi_method_crs(void **state)
{
	struct tables ts;
	struct fwk_fault f;

	(void)state;
	virt_tables(&ts, "-DMETHOD_CRS", "", "", false);
	assert_int_equal(acpi_try(ts.t, ts.n, &acpi, &f), FWK_ERR_UNSUPPORTED);
	assert_string_equal(f.field, "uart _CRS");
	assert_int_equal(f.offset, device_op(ts.t[0].p, ts.t[0].len, "COM0"));
	assert_int_equal(acpi.n, 0);
	/* the offset counts across the tables before: MADT first, then DSDT */
	struct vm_blob two[2] = { ts.t[1], ts.t[0] };
	assert_int_equal(acpi_try(two, 2, &acpi, &f), FWK_ERR_UNSUPPORTED);
	assert_int_equal(f.offset, ts.t[1].len + device_op(ts.t[0].p, ts.t[0].len, "COM0"));
	tables_free(&ts);
}

static void test_spcr(void **state)
{
	struct tables ts;
	struct fwk_fault f;

	(void)state;
	/* SPCR's console is the DSDT's UART: nothing added */
	virt_acpi("", "", "", false);
	assert_int_equal(count(&acpi, VM_DEV_UART), 1);
	/* a console elsewhere: a UART with no size */
	virt_acpi("", "", "-DOTHER_UART", false);
	expect(&acpi, VM_DEV_UART, 0x09040000, 0, 0, 1, 33, 0, 0, 0);
	assert_int_equal(count(&acpi, VM_DEV_UART), 2);
	/* the same UART on another interrupt: the tables contradict */
	virt_tables(&ts, "", "", "-DOTHER_IRQ", false);
	assert_int_equal(acpi_try(ts.t, ts.n, &acpi, &f), FWK_ERR_BADFIELD);
	assert_string_equal(f.field, "SPCR interrupt");
	uint64_t before = 0;
	for (size_t i = 0; i < 4; i++)
		before += ts.t[i].len;
	assert_int_equal(f.offset, before + 54);
	/* without a DSDT, SPCR's UART is reported */
	assert_int_equal(acpi_try(&ts.t[4], 1, &acpi, &f), 0);
	expect(&acpi, VM_DEV_UART, 0x09000000, 0, 0, 1, 34, 0, 0, 0);
	tables_free(&ts);
}

/* ---- malformed tables and AML -------------------------------------------- */

/* One table with raw AML body, read: the code, field and offset. */
static void expect_aml_fault(const void *body, size_t n, int err, const char *field,
			     uint64_t offset)
{
	size_t len;
	uint8_t *t = table("DSDT", body, n, &len);
	struct vm_blob b = { t, len };
	struct fwk_fault f;

	assert_int_equal(acpi_try(&b, 1, &acpi, &f), err);
	assert_string_equal(f.field, field);
	assert_int_equal(f.offset, offset);
	assert_int_equal(acpi.n, 0);
	free(t);
}

static void test_aml_faults(void **state)
{
	uint8_t b[256];

	(void)state;
	/* Scope (\_SB) { <0x02> }: no such opcode */
	static const uint8_t bad_op[] = { 0x10, 0x07, '\\', '_', 'S', 'B', '_', 0x02 };
	expect_aml_fault(bad_op, sizeof(bad_op), FWK_ERR_UNSUPPORTED, "AML opcode", 36 + 7);
	/* an ExtOp this reader does not know */
	static const uint8_t bad_ext[] = { 0x5b, 0x99 };
	expect_aml_fault(bad_ext, sizeof(bad_ext), FWK_ERR_UNSUPPORTED, "AML opcode", 36);
	/* a Scope whose PkgLength runs past the table */
	static const uint8_t long_pkg[] = { 0x10, 0x20, 'A', 'B', 'C', 'D' };
	expect_aml_fault(long_pkg, sizeof(long_pkg), FWK_ERR_RANGE, "PkgLength", 37);
	/* Name (ABCD) and the table ends */
	static const uint8_t no_obj[] = { 0x08, 'A', 'B', 'C', 'D' };
	expect_aml_fault(no_obj, sizeof(no_obj), FWK_ERR_TRUNCATED, "Name", 36);
	/* a string without its NUL */
	static const uint8_t str[] = { 0x08, 'A', 'B', 'C', 'D', 0x0d, 'x', 'y' };
	expect_aml_fault(str, sizeof(str), FWK_ERR_TRUNCATED, "AML string", 41);

	/* 17 nested Scopes, built from the innermost out */
	size_t n = 0, heads = 0;
	for (int i = 0; i < 17; i++) {
		size_t total = n + 4 + 1, head = total > 63 ? 7 : 6;

		total += head - 6;
		memmove(b + head, b, n);
		b[0] = 0x10;
		b[1] = (uint8_t)(total > 63 ? 0x40 | (total & 15) : total);
		b[2] = (uint8_t)(total >> 4);
		memcpy(b + head - 4, "SCOP", 4);
		n += head;
		heads += i > 0 ? head : 0; /* all but the innermost */
	}
	expect_aml_fault(b, n, FWK_ERR_LIMIT, "AML", 36 + heads);
	/* Name (ABCD, Add (Add (... 20 deep *)) */
	n = 0;
	b[n++] = 0x08;
	memcpy(b + n, "ABCD", 4);
	n += 4;
	for (int i = 0; i < 20; i++)
		b[n++] = 0x72;
	expect_aml_fault(b, n, FWK_ERR_LIMIT, "AML", 36 + 5 + 17);

	/* a virtio Device without _CRS; a _CRS whose descriptor runs past it */
	size_t len;
	uint8_t *t = asl("DefinitionBlock (\"\", \"DSDT\", 2, \"FWKTST\", \"NOCRS\", 1) {\n"
			 "  Scope (\\_SB) { Device (VR00) { Name (_HID, \"LNRO0005\") Name (_UID, 0) } }\n"
			 "}\n", &len);
	struct vm_blob blob = { t, len };
	struct fwk_fault f;
	assert_int_equal(acpi_try(&blob, 1, &acpi, &f), FWK_ERR_BADFIELD);
	assert_string_equal(f.field, "virtio _CRS");
	assert_int_equal(f.offset, device_op(t, len, "VR00"));
	free(t);

	/* Device (UART) { ... Name (_CRS, Buffer (12) { Memory32Fixed whose
	 * length field says 0x20 bytes }) } */
	static const uint8_t crs[] = {
		0x5b, 0x82, 0x29, 'U', 'A', 'R', 'T',
		0x08, '_', 'H', 'I', 'D', 0x0d, 'A', 'R', 'M', 'H', '0', '0', '1', '1', 0,
		0x08, '_', 'C', 'R', 'S', 0x11, 0x0f, 0x0a, 0x0c,
		0x86, 0x20, 0x00, 0x01, 0, 0, 0, 0x09, 0, 0x10, 0, 0,
	};
	expect_aml_fault(crs, sizeof(crs), FWK_ERR_RANGE, "uart _CRS", 36 + 31);
}

/* Well-formed AML the reader must get right: EISAID _HIDs, ISA IRQs
 * through MADT's overrides, absent devices, unknown descriptors, names
 * resolved from the root, module-level code. */
static void test_aml_reading(void **state)
{
	size_t dlen, mlen;
	(void)state;
	uint8_t *d = asl(
		"DefinitionBlock (\"\", \"DSDT\", 2, \"FWKTST\", \"READ\", 1) {\n"
		"  External (\\_SB.FOO, IntObj)\n"
		"  Name (SIZE, 0x1000)\n"
		"  OperationRegion (DBG0, SystemIO, 0x402, One)\n"
		"  Field (DBG0, ByteAcc, NoLock, Preserve) { DBGB, 8 }\n"
		"  Mutex (MTX0, 0)\n"
		"  If (SIZE == 0x1000) { Name (COND, One) }\n"
		"  Scope (\\_SB) {\n"
		"    Device (COM1) {\n"
		"      Name (_HID, EisaId (\"PNP0501\"))\n"
		"      Name (_UID, 1)\n"
		"      Method (_STA, 0) { Return (0x0F) }\n"
		"      Name (_CRS, ResourceTemplate () {\n"
		"        IO (Decode16, 0x03F8, 0x03F8, 0x00, 0x08)\n"
		"        IRQNoFlags () {4}\n"
		"        VendorShort () { 0x01, 0x02 }\n"
		"      })\n"
		"    }\n"
		"    Device (COM2) {\n"
		"      Name (_HID, EisaId (\"PNP0501\"))\n"
		"      Name (_STA, Zero)\n"
		"      Name (_CRS, ResourceTemplate () { IO (Decode16, 0x2F8, 0x2F8, 0, 8) })\n"
		"    }\n"
		"    Device (PCI0) { Name (_HID, \"PNP0A03\") }\n"
		"    Device (VR05) {\n"
		"      Name (_HID, \"LNRO0005\")\n"
		"      Name (_UID, 5)\n"
		"      Name (_CRS, ResourceTemplate () {\n"
		"        Memory32 (ReadWrite, 0x0A000A00, 0x0A000C00, 0x04, 0x200)\n"
		"        Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 53, 54 }\n"
		"      })\n"
		"    }\n"
		"    Device (RTC) {\n"
		"      Name (_HID, EisaId (\"PNP0B00\"))\n"
		"      Name (_CRS, ResourceTemplate () { FixedIO (0x70, 0x02) IRQ (Edge, ActiveHigh, Exclusive) {8} })\n"
		"    }\n"
		"    Device (LNKA) {\n"
		"      Name (_HID, EisaId (\"PNP0C0F\"))\n"
		"      Method (_CRS, 0) { Return (ResourceTemplate () { IRQ (Level, ActiveLow, Shared) {5} }) }\n"
		"    }\n"
		"  }\n"
		"  Scope (\\_SB.PCI0) {\n"
		"    Name (_CRS, ResourceTemplate () {\n"
		"      WordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange,\n"
		"        0x0000, 0x0000, 0x0CF7, 0x0000, 0x0CF8)\n"
		"      DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite,\n"
		"        0x00000000, 0xC0000000, 0xFEBFFFFF, 0x00000000, 0x3EC00000)\n"
		"      ExtendedMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, Cacheable, ReadWrite,\n"
		"        0x0, 0x100000000, 0x8FFFFFFFF, 0x0, 0x800000000, , , )\n"
		"    })\n"
		"  }\n"
		"}\n", &dlen);
	/* MADT: 2 local APICs (one disabled), an IOAPIC, ISA IRQ 4 -> GSI 20,
	 * 8 -> 18 */
	static const uint8_t madt_body[] = {
		0x00, 0x00, 0xe0, 0xfe, 1, 0, 0, 0,
		0, 8, 0, 0, 1, 0, 0, 0,
		0, 8, 1, 5, 0, 0, 0, 0,
		1, 12, 3, 0, 0x00, 0x00, 0xc0, 0xfe, 0, 0, 0, 0,
		2, 10, 0, 4, 20, 0, 0, 0, 0, 0,
		2, 10, 0, 8, 18, 0, 0, 0, 0, 0,
	};
	uint8_t *m = table("APIC", madt_body, sizeof(madt_body), &mlen);
	struct vm_blob t[2] = { { d, dlen }, { m, mlen } };

	acpi_read(t, 2, &acpi);
	expect(&acpi, VM_DEV_CPU, 0, 0, 0, 0, 0, 0, 0, 0);
	expect(&acpi, VM_DEV_LAPIC, 0xfee00000, 0, 0, 0, 0, 0, 0, 0);
	expect(&acpi, VM_DEV_IOAPIC, 0xfec00000, 0, 3, 1, 0, 0, 0, 0);
	expect(&acpi, VM_DEV_UART, 0x3f8, 8, 1, 1, 20, 0, 0, 0);
	expect(&acpi, VM_DEV_RTC, 0x70, 2, 0, 1, 18, 0, 0, 0);
	expect(&acpi, VM_DEV_PCIE_PIO, 0, 0xcf8, 0, 0, 0, 0, 0, 0);
	expect(&acpi, VM_DEV_PCIE_MMIO32, 0xc0000000, 0x3ec00000, 0, 0, 0, 0, 0, 0);
	expect(&acpi, VM_DEV_PCIE_MMIO64, 0x100000000, 0x800000000, 0, 0, 0, 0, 0, 0);
	expect(&acpi, VM_DEV_VIRTIO, 0x0a000a00, 0x200, 5, 2, 53, 54, 0, 0);
	assert_int_equal(acpi.n, 9);
	free(d);
	free(m);
}

static void test_table_faults(void **state)
{
	struct tables ts;
	struct fwk_fault f;
	size_t n = 5;

	(void)state;
	virt_tables(&ts, "", "", "", false);
	/* a checksum wrong in the second table: the offset counts the first */
	uint8_t *madt = ts.own[1];
	madt[20] ^= 0x10;
	assert_int_equal(acpi_try(ts.t, ts.n, &acpi, &f), FWK_ERR_CHECKSUM);
	assert_string_equal(f.field, "Checksum");
	assert_int_equal(f.offset, ts.t[0].len + 9);
	madt[20] ^= 0x10;
	/* a Length that is not the size given */
	ts.t[2].len--;
	assert_true(acpi_try(ts.t, ts.n, &acpi, &f) < 0);
	assert_string_equal(f.field, "Length");
	assert_true(f.offset >= ts.t[0].len + ts.t[1].len);
	ts.t[2].len++;
	/* too small an array */
	assert_int_equal(vm_acpi_devices(ts.t, ts.n, acpi.v, 3, &n, &f), FWK_ERR_NOSPACE);
	assert_int_equal(n, 0);
	assert_string_equal(f.field, "out");
	assert_int_equal(vm_acpi_devices(NULL, 2, acpi.v, 3, &n, &f), FWK_ERR_INVAL);
	tables_free(&ts);

	/* a MADT entry running past the table, one shorter than its type */
	size_t len;
	static const uint8_t past[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0x0b, 80, 0, 0 };
	uint8_t *t = table("APIC", past, sizeof(past), &len);
	struct vm_blob b = { t, len };
	assert_int_equal(acpi_try(&b, 1, &acpi, &f), FWK_ERR_RANGE);
	assert_string_equal(f.field, "MADT entry Length");
	assert_int_equal(f.offset, 44);
	free(t);
	static const uint8_t short_gicc[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0x0b, 4, 0, 0 };
	t = table("APIC", short_gicc, sizeof(short_gicc), &len);
	b = (struct vm_blob){ t, len };
	assert_int_equal(acpi_try(&b, 1, &acpi, &f), FWK_ERR_BADFIELD);
	assert_int_equal(f.offset, 45);
	free(t);
	/* MCFG: end bus below start bus */
	static const uint8_t mcfg[] = { 0, 0, 0, 0, 0, 0, 0, 0,
					0, 0, 0, 0xb0, 0, 0, 0, 0, 0, 0, 5, 4, 0, 0, 0, 0 };
	t = table("MCFG", mcfg, sizeof(mcfg), &len);
	b = (struct vm_blob){ t, len };
	assert_int_equal(acpi_try(&b, 1, &acpi, &f), FWK_ERR_BADFIELD);
	assert_string_equal(f.field, "MCFG End Bus");
	free(t);
	/* GTDT too short for its timers */
	t = table("GTDT", mcfg, 20, &len);
	b = (struct vm_blob){ t, len };
	assert_int_equal(acpi_try(&b, 1, &acpi, &f), FWK_ERR_TRUNCATED);
	assert_string_equal(f.field, "GTDT Length");
	free(t);
	/* an RSDP and a FACS are checked, and carry no devices */
	static const uint8_t facs_body[28] = { 0 };
	t = table("FACS", facs_body, sizeof(facs_body), &len);
	memcpy(t + 4, "\x40\0\0\0", 4);
	b = (struct vm_blob){ t, len };
	assert_int_equal(acpi_try(&b, 1, &acpi, &f), 0);
	assert_int_equal(acpi.n, 0);
	free(t);
}

/* ---- QEMU q35's own tables ----------------------------------------------- */

/* The first line a shell snippet prints, run from the repository. */
static void shell_line(const char *script, char *line, size_t cap)
{
	char out[PATH_MAX + 16];

	snprintf(out, sizeof(out), "%s/line%d", tmp, counter++);
	if (sh("cd '%s' && FWKIT=/bin/true FWKIT_ROOT='%s' FWKIT_BUILD='%s/build' sh -c '%s' > '%s'",
	       root, root, root, script, out) != 0)
		fail_msg("setup failed: %s", script);
	FILE *fp = fopen(out, "r");
	assert_non_null(fp);
	assert_non_null(fgets(line, (int)cap, fp));
	fclose(fp);
	line[strcspn(line, "\n")] = 0;
}

static uint8_t *q35_table(const char *dir, const char *name, size_t *len)
{
	char p[PATH_MAX + 16];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return slurp(p, len);
}

static void test_q35_tables(void **state)
{
	char dir[PATH_MAX];
	static const char *names[] = { "APIC", "DSDT", "FACP", "FACS", "HPET", "MCFG", "WAET" };
	struct vm_blob t[7];

	(void)state;
	/* tests/qemu/qemu-tables.sh boots a guest once and caches its tables */
	shell_line(". tests/lib.sh && . tests/qemu/kernel.sh && . tests/qemu/qemu-tables.sh && "
		   "fwkit_kernel >&2 && qemu_tables >&2 && echo \"$QEMU_TABLES\"", dir, sizeof(dir));
	for (size_t i = 0; i < 7; i++)
		t[i].p = q35_table(dir, names[i], &t[i].len);

	acpi_read(t, 7, &acpi);
	expect(&acpi, VM_DEV_CPU, 0, 0, 0, 0, 0, 0, 0, 0);
	expect(&acpi, VM_DEV_CPU, 1, 0, 1, 0, 0, 0, 0, 0);
	assert_int_equal(count(&acpi, VM_DEV_CPU), 2);
	expect(&acpi, VM_DEV_IOAPIC, 0xfec00000, 0, 0, 1, 0, 0, 0, 0);
	expect(&acpi, VM_DEV_LAPIC, 0xfee00000, 0, 0, 0, 0, 0, 0, 0);
	expect(&acpi, VM_DEV_PCIE_ECAM, 0xb0000000, 0x10000000, 0, 0, 0, 0, 0, 0);
	expect(&acpi, VM_DEV_UART, 0x3f8, 8, 1, 1, 4, 0, 0, 0);
	expect(&acpi, VM_DEV_RTC, 0x70, 8, 0, 1, 8, 0, 0, 0);
	/* PCI0's _CRS sits in a Scope after the Device: its windows are found */
	expect(&acpi, VM_DEV_PCIE_PIO, 0xd00, 0xf300, 0, 0, 0, 0, 0, 0);
	assert_true(count(&acpi, VM_DEV_PCIE_MMIO32) >= 2);
	assert_int_equal(count(&acpi, VM_DEV_PCIE_MMIO64), 1);
	for (size_t i = 0; i < 7; i++)
		free((void *)t[i].p);
}

/* ---- real inputs ------------------------------------------------------------ */

/* Every DTB of Debian's arm64 kernel package: each read, or refused only
 * where a device sits behind a bus no CPU address reaches (HiSilicon's
 * LPC); Juno r0 device by device against its dtc output. */
static void test_real_debian_dtbs(void **state)
{
	char dir[PATH_MAX], list[PATH_MAX + 16], path[PATH_MAX + 32];
	unsigned read = 0, refused = 0;

	(void)state;
	shell_line(". tests/qemu/arm64.sh && fwkit_arm64 >&2 && echo \"$ARM64_DTB_DIR\"", dir,
		   sizeof(dir));
	snprintf(list, sizeof(list), "%s/dtbs", tmp);
	assert_int_equal(sh("find '%s' -name '*.dtb' | LC_ALL=C sort > '%s'", dir, list), 0);
	FILE *fp = fopen(list, "r");
	assert_non_null(fp);
	while (fgets(path, sizeof(path), fp)) {
		struct fwk_fault f = { 0 };
		size_t len;

		path[strcspn(path, "\n")] = 0;
		uint8_t *b = slurp(path, &len);
		int rc = vm_dt_devices(b, len, dt.v, DEVS_MAX, &dt.n, &f);
		if (rc == 0) {
			read++;
			assert_int_equal(vm_parity(dt.v, dt.n, dt.v, dt.n, on_diff, &diffs), 0);
		} else {
			char node[DT_PATH_MAX];

			refused++;
			print_message("# %s: %s: %s\n", path, f.field, f.detail);
			assert_int_equal(rc, FWK_ERR_UNSUPPORTED);
			assert_string_equal(f.field, "ranges");
			assert_true(dt_node_path_at(b, len, f.offset, node, sizeof(node)) > 0);
			assert_string_equal(node, "/soc/isa@a01b0000/serial@2f8");
		}
		free(b);
	}
	fclose(fp);
	assert_true(read >= 500);
	assert_true(refused <= 1);

	size_t len;
	snprintf(path, sizeof(path), "%s/arm/juno.dtb", dir);
	uint8_t *b = slurp(path, &len);
	dt_read(b, len, &dt);
	free(b);
	static const uint64_t mpidr[] = { 0, 1, 0x100, 0x101, 0x102, 0x103 };
	for (uint32_t i = 0; i < 6; i++)
		expect(&dt, VM_DEV_CPU, mpidr[i], 0, i, 0, 0, 0, 0, 0);
	expect(&dt, VM_DEV_GICD, 0x2c010000, 0x1000, 0, 0, 0, 0, 0, 0);
	expect(&dt, VM_DEV_GICC, 0x2c02f000, 0x2000, 0, 0, 0, 0, 0, 0);
	assert_int_equal(count(&dt, VM_DEV_ITS), 4); /* four v2m frames */
	expect(&dt, VM_DEV_UART, 0x7ff80000, 0x1000, 0, 1, 115, 0, 0, 0);
	expect(&dt, VM_DEV_TIMER, 0, 0, 0, 4, 29, 30, 27, 26);
	/* the motherboard's RTC, through its bus's ranges; its interrupt goes
	 * through the motherboard's interrupt-map, which is not followed */
	expect(&dt, VM_DEV_RTC, 0x1c170000, 0x10000, 0, 0, 0, 0, 0, 0);
	expect(&dt, VM_DEV_MEMORY, 0x80000000, 0x7f000000, 0, 0, 0, 0, 0, 0);
	expect(&dt, VM_DEV_MEMORY, 0x880000000, 0x180000000, 0, 0, 0, 0, 0, 0);
	assert_int_equal(dt.n, 17);
}

/* The DSDT and SSDTs of 26 real x86 machines (the shared corpus), each
 * alone: walked to the end, or stopped only where a device the parity
 * check maps has a _CRS built by a Method, as real firmware's often is. */
static void test_real_aml(void **state)
{
	char list[PATH_MAX + 16], path[PATH_MAX];
	unsigned read = 0, methods = 0;
	const char *corpus = shared_dir();

	(void)state;
	snprintf(list, sizeof(list), "%s/aml", tmp);
	if (sh("test -d '%s/corpus/acpi/linuxhw'", corpus) != 0)
		fail_msg("the shared corpus has no corpus/acpi/linuxhw");
	assert_int_equal(sh("find '%s/corpus/acpi/linuxhw' -name 'dsdt.dat' -o -name 'ssdt*.dat' | "
			    "LC_ALL=C sort > '%s'", corpus, list), 0);
	FILE *fp = fopen(list, "r");
	assert_non_null(fp);
	while (fgets(path, sizeof(path), fp)) {
		struct fwk_fault f;
		size_t len;

		path[strcspn(path, "\n")] = 0;
		uint8_t *b = slurp(path, &len);
		struct vm_blob t = { b, len };
		int rc = acpi_try(&t, 1, &acpi, &f);
		if (rc == 0) {
			read++;
		} else {
			methods++;
			if (rc != FWK_ERR_UNSUPPORTED || strlen(f.field) < 5 ||
			    strcmp(f.field + strlen(f.field) - 4, "_CRS") != 0)
				fail_msg("%s: %d %s: %s at %llu", path, rc, f.field, f.detail,
					 (unsigned long long)f.offset);
			assert_int_equal(b[f.offset], 0x5b); /* the Device opcode */
			assert_int_equal(b[f.offset + 1], 0x82);
		}
		free(b);
	}
	fclose(fp);
	print_message("# %u tables read to the end, %u stopped at a Method _CRS\n", read, methods);
	assert_true(read >= 300);
	assert_true(methods < read / 4);
}

/* ---- the comparison's rules ---------------------------------------------- */

static struct vm_dev dev(unsigned kind, uint64_t base, uint64_t size, uint32_t irq)
{
	struct vm_dev v = { .kind = (uint16_t)kind, .base = base, .size = size };

	if (irq) {
		v.nirq = 1;
		v.irq[0] = irq;
	}
	return v;
}

static void test_parity_rules(void **state)
{
	(void)state;
	/* arm64 (a GICD on either side): the pl031 is DT only */
	dt.n = acpi.n = 0;
	dt.v[dt.n++] = dev(VM_DEV_GICD, 0x08000000, 0x10000, 0);
	dt.v[dt.n++] = dev(VM_DEV_RTC, 0x09010000, 0x1000, 34);
	dt.v[dt.n++] = dev(VM_DEV_MEMORY, 0x40000000, GIB, 0);
	dt.v[dt.n++] = dev(VM_DEV_ITS, 0x08080000, 0x20000, 0);
	acpi.v[acpi.n++] = dev(VM_DEV_GICD, 0x08000000, 0, 0);   /* MADT: no sizes */
	acpi.v[acpi.n++] = dev(VM_DEV_ITS, 0x08080000, 0, 0);
	assert_int_equal(parity(), 0);
	/* memory is compared once ACPI has any */
	acpi.v[acpi.n++] = dev(VM_DEV_MEMORY, 0x40000000, GIB / 2, 0);
	expect_one_diff(VM_DEV_MEMORY, 0x40000000, "size", true, true);
	acpi.v[acpi.n - 1].size = GIB;
	acpi.v[acpi.n - 1].index = 1;
	expect_one_diff(VM_DEV_MEMORY, 0x40000000, "index", true, true);
	acpi.n--;
	/* x86 (no GIC anywhere): the RTC is compared */
	dt.v[0].kind = acpi.v[0].kind = VM_DEV_IOAPIC;
	expect_one_diff(VM_DEV_RTC, 0x09010000, "missing", true, false);

	/* a bridge's INTx only when both sides have them */
	dt.n = acpi.n = 0;
	dt.v[dt.n++] = dev(VM_DEV_PCIE_ECAM, 0x4010000000, 0x10000000, 35);
	acpi.v[acpi.n++] = dev(VM_DEV_PCIE_ECAM, 0x4010000000, 0x10000000, 0);
	assert_int_equal(parity(), 0);
	acpi.v[0].nirq = 1;
	acpi.v[0].irq[0] = 36;
	expect_one_diff(VM_DEV_PCIE_ECAM, 0x4010000000, "irq", true, true);

	/* one timer each, whatever its base; the irq lists compared */
	dt.n = acpi.n = 0;
	dt.v[dt.n++] = dev(VM_DEV_TIMER, 0, 0, 29);
	acpi.v[acpi.n++] = dev(VM_DEV_TIMER, 0x1234, 0, 29);
	assert_int_equal(parity(), 0);
	acpi.v[0].nirq = 2;
	expect_one_diff(VM_DEV_TIMER, 0, "irq", true, true);

	/* alike devices pair in order; two unpaired on each side are not
	 * guessed at: four "missing" */
	dt.n = acpi.n = 0;
	dt.v[dt.n++] = dev(VM_DEV_VIRTIO, 0x1000, 0x200, 48);
	dt.v[dt.n++] = dev(VM_DEV_VIRTIO, 0x1000, 0x200, 48);
	dt.v[dt.n++] = dev(VM_DEV_VIRTIO, 0x2000, 0x200, 49);
	dt.v[dt.n++] = dev(VM_DEV_VIRTIO, 0x3000, 0x200, 50);
	acpi.v[acpi.n++] = dev(VM_DEV_VIRTIO, 0x1000, 0x200, 48);
	acpi.v[acpi.n++] = dev(VM_DEV_VIRTIO, 0x4000, 0x200, 49);
	acpi.v[acpi.n++] = dev(VM_DEV_VIRTIO, 0x5000, 0x200, 50);
	assert_int_equal(parity(), 5);
	for (size_t i = 0; i < 5; i++)
		assert_string_equal(diffs.d[i].what, "missing");
	/* duplicates pair one for one */
	dt.n = 2;
	acpi.n = 1;
	expect_one_diff(VM_DEV_VIRTIO, 0x1000, "missing", true, false);
	/* one unpaired each side: moved, and its other fields compared */
	dt.v[1] = dev(VM_DEV_VIRTIO, 0x2000, 0x200, 49);
	acpi.n = 2;
	acpi.v[1].size = 0x100;
	assert_int_equal(parity(), 2);
	assert_string_equal(diffs.d[0].what, "base");
	assert_int_equal(diffs.d[0].base, 0x2000);
	assert_true(diffs.d[0].in_dt && diffs.d[0].in_acpi);
	assert_string_equal(diffs.d[1].what, "size");

	/* nothing, and one list empty */
	assert_int_equal(vm_parity(NULL, 0, NULL, 0, on_diff, &diffs), 0);
	dt.n = 0;
	assert_int_equal(parity(), 2);
	assert_false(diffs.d[0].in_dt);
}

static void test_dev_names(void **state)
{
	static const char *want[] = { "unknown", "cpu", "memory", "gicd", "gicc", "gicr", "its",
				      "timer", "uart", "rtc", "virtio", "pcie-ecam", "pcie-mmio32",
				      "pcie-mmio64", "pcie-pio", "lapic", "ioapic" };

	(void)state;
	for (unsigned k = 0; k < sizeof(want) / sizeof(want[0]); k++)
		assert_string_equal(vm_dev_name(k), want[k]);
	assert_string_equal(vm_dev_name(VM_DEV_IOAPIC + 1), "unknown");
	assert_string_equal(vm_dev_name(~0u), "unknown");
}

/* ---- fwkit's own outputs ----------------------------------------------------- */

static uint8_t gen_dtb_buf[1 << 20], gen_acpi_buf[1 << 20];

/* Read back what vm_dtb and vm_acpi make of da and db. */
static void generate(const struct vm_desc *da, const struct vm_desc *db)
{
	struct fwk_fault f = { 0 };
	struct vm_acpi_layout lay;
	struct vm_blob t[VM_TABLES_MAX];
	size_t len = 0;

	assert_int_equal(vm_validate(da, &f), 0);
	assert_int_equal(vm_validate(db, &f), 0);
	assert_true(vm_dtb_size(da) <= sizeof(gen_dtb_buf));
	assert_int_equal(vm_dtb(da, gen_dtb_buf, vm_dtb_size(da), &len, &f), 0);
	dt_read(gen_dtb_buf, len, &dt);
	assert_true(vm_acpi_size(db) <= sizeof(gen_acpi_buf));
	assert_int_equal(vm_acpi(db, 0x40000000, gen_acpi_buf, vm_acpi_size(db), &lay, &f), 0);
	for (uint32_t i = 0; i < lay.count; i++) {
		t[i].p = gen_acpi_buf + lay.table[i].offset;
		t[i].len = lay.table[i].length;
	}
	acpi_read(t, lay.count, &acpi);
}

static void numa(struct vm_desc *d, uint32_t nodes)
{
	d->nodes = nodes;
	for (uint32_t i = 0; i < nodes; i++) {
		d->node[i].mem_size = d->mem_size / nodes;
		d->node[i].cpus = d->cpus / nodes;
	}
}

static void test_generated_parity(void **state)
{
	static const uint32_t cpus[] = { 1, 2, 4, 8, 16, 64 };
	static const uint32_t virtio[] = { 0, 1, 32 };
	struct vm_desc d;
	unsigned tried = 0;

	(void)state;
	for (unsigned gic = 2; gic <= 3; gic++)
		for (size_t c = 0; c < sizeof(cpus) / sizeof(cpus[0]); c++)
			for (size_t v = 0; v < 3; v++)
				for (unsigned opt = 0; opt < 4; opt++) {
					if (gic == 2 && cpus[c] > 8)
						continue;
					vm_default(&d, VM_ARM64);
					d.irqchip = gic == 2 ? VM_GICV2 : VM_GICV3;
					d.cpus = cpus[c];
					d.virtio.count = virtio[v];
					d.its = opt & 1;
					d.pcie.present = !(opt & 2);
					d.mem_size = (1 + c % 4) * GIB;
					if (opt == 3 && cpus[c] % 2 == 0)
						numa(&d, 2);
					generate(&d, &d);
					if (parity() != 0)
						fail_msg("gic v%u, %u cpus, %u virtio, option %u: %zu "
							 "differences", gic, cpus[c], virtio[v], opt, diffs.n);
					assert_int_equal(count(&dt, VM_DEV_CPU), cpus[c]);
					assert_int_equal(count(&acpi, VM_DEV_VIRTIO), virtio[v]);
					tried++;
				}
	assert_true(tried > 80);

	/* the most CPUs a description may have: their redistributors above
	 * the low devices, below the ECAM */
	vm_default(&d, VM_ARM64);
	d.cpus = VM_CPUS_MAX;
	d.gicr_base = 0x4000000000;
	d.gicr_size = VM_CPUS_MAX * 0x20000ull;
	d.mem_size = 8 * GIB;
	numa(&d, 8);
	generate(&d, &d);
	assert_int_equal(parity(), 0);
	assert_int_equal(count(&dt, VM_DEV_CPU), VM_CPUS_MAX);
	assert_int_equal(count(&acpi, VM_DEV_CPU), VM_CPUS_MAX);
	assert_int_equal(count(&acpi, VM_DEV_MEMORY), 8);
	expect(&acpi, VM_DEV_CPU, 0x1f0f, 0, 511, 0, 0, 0, 0, 0); /* Aff1 31, Aff0 15 */
}

static void test_generated_one_sided(void **state)
{
	struct vm_desc a, b;

	(void)state;
	vm_default(&a, VM_ARM64);
	a.cpus = 4;

	b = a;
	b.uart.irq = 7;
	generate(&a, &b);
	expect_one_diff(VM_DEV_UART, 0x09000000, "irq", true, true);

	b = a;
	b.virtio.count = 31;
	generate(&a, &b);
	expect_one_diff(VM_DEV_VIRTIO, 0x0a003e00, "missing", true, false);

	b = a;
	b.cpus = 5;
	generate(&a, &b);
	expect_one_diff(VM_DEV_CPU, 4, "missing", false, true);

	b = a;
	b.uart.base = 0x09040000;
	generate(&a, &b);
	expect_one_diff(VM_DEV_UART, 0x09000000, "base", true, true);

	b = a;
	b.pcie.mmio32.size = 0x1eff0000;
	generate(&a, &b);
	expect_one_diff(VM_DEV_PCIE_MMIO32, 0x10000000, "size", true, true);

	b = a;
	b.gicr_size = 0x80000;
	generate(&a, &b);
	expect_one_diff(VM_DEV_GICR, 0x080a0000, "size", true, true);

	b = a;
	b.its = false;
	generate(&a, &b);
	expect_one_diff(VM_DEV_ITS, 0x08080000, "missing", true, false);

	b = a;
	b.timer_ppi[2] = 12;
	generate(&a, &b);
	expect_one_diff(VM_DEV_TIMER, 0, "irq", true, true);

	/* the RTC changed on one side is no difference: DT only on arm64 */
	b = a;
	b.rtc.irq = 9;
	generate(&a, &b);
	assert_int_equal(parity(), 0);
}

static void test_generated_x86(void **state)
{
	struct vm_desc d;
	struct fwk_fault f = { 0 };
	struct vm_acpi_layout lay;
	struct vm_blob t[VM_TABLES_MAX];

	(void)state;
	vm_default(&d, VM_X86_64);
	d.cpus = 2;
	assert_int_equal(vm_validate(&d, &f), 0);
	assert_int_equal(vm_acpi(&d, 0xe0000, gen_acpi_buf, vm_acpi_size(&d), &lay, &f), 0);
	for (uint32_t i = 0; i < lay.count; i++) {
		t[i].p = gen_acpi_buf + lay.table[i].offset;
		t[i].len = lay.table[i].length;
	}
	acpi_read(t, lay.count, &acpi);
	expect(&acpi, VM_DEV_CPU, 0, 0, 0, 0, 0, 0, 0, 0);
	expect(&acpi, VM_DEV_CPU, 1, 0, 1, 0, 0, 0, 0, 0);
	expect(&acpi, VM_DEV_IOAPIC, 0xfec00000, 0, d.ioapic_id, 1, 0, 0, 0, 0);
	expect(&acpi, VM_DEV_LAPIC, 0xfee00000, 0, 0, 0, 0, 0, 0, 0);
	/* slot 0 is not one of ICH9's own: PIRQE-H, irq + 4.. */
	uint32_t e = d.pcie.irq + 4;
	expect(&acpi, VM_DEV_PCIE_ECAM, 0xb0000000, 0x10000000, 0, 4, e, e + 1, e + 2, e + 3);
	assert_int_equal(one(&acpi, VM_DEV_UART, 0x3f8)->irq[0], 4);
	assert_int_equal(one(&acpi, VM_DEV_RTC, 0x70)->irq[0], 8);
}

static int setup(void **state)
{
	const char *r = getenv("FWKIT_ROOT");

	(void)state;
	if (!realpath(r && *r ? r : ".", root))
		return -1;
	tmp = temp_dir("vm-parity");
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
		cmocka_unit_test(test_dev_names),
		cmocka_unit_test(test_qemu_gicv3),
		cmocka_unit_test(test_qemu_gicv2),
		cmocka_unit_test(test_qemu_its_off_and_numa),
		cmocka_unit_test(test_dt_translation),
		cmocka_unit_test(test_dt_faults),
		cmocka_unit_test(test_acpi_fixture),
		cmocka_unit_test(test_parity_qemu_vs_fixture),
		cmocka_unit_test(test_parity_deliberate),
		cmocka_unit_test(test_acpi_method_crs),
		cmocka_unit_test(test_spcr),
		cmocka_unit_test(test_aml_faults),
		cmocka_unit_test(test_aml_reading),
		cmocka_unit_test(test_table_faults),
		cmocka_unit_test(test_q35_tables),
		cmocka_unit_test(test_real_debian_dtbs),
		cmocka_unit_test(test_real_aml),
		cmocka_unit_test(test_parity_rules),
		cmocka_unit_test(test_generated_parity),
		cmocka_unit_test(test_generated_one_sided),
		cmocka_unit_test(test_generated_x86),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

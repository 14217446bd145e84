/* SPDX-License-Identifier: MIT */
/* test_vm_dtb.c - cmocka tests of vm_dtb and vm_dtb_size: the default arm64
 * machine and many variations (1 to 512 CPUs, GICv2/v3, ITS on and off, NUMA
 * with 2 to 4 nodes, CPU topologies, no PCIe, 0/1/32 virtio-mmio, /chosen
 * contents, PSCI), each checked by libfdt's fdt_check_full, fwkit's dt_check
 * and dtc (no warning), packed and within the bound; node-by-node equality
 * with QEMU 7.2's own virt trees (dumpdtb) for GICv2/v3 and 1, 2, 4 CPUs;
 * NOSPACE one byte short with nothing written past the buffer; refusals. */
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
#include <sys/mman.h>

#include <fwkit/dt.h>
#include <fwkit/vm.h>

/* libfdt_internal.h's FDT_SW_MAGIC: a tree its sequential writer has not
 * finished, which libfdt's readers accept. */
#define SW_MAGIC (~(uint32_t)FDT_MAGIC)

static char *tmp;   /* this program's scratch directory */
static int counter; /* names its files */

/* ---- descriptions ------------------------------------------------------- */

static struct vm_desc arm64(void)
{
	struct vm_desc d;

	vm_default(&d, VM_ARM64);
	return d;
}

/* QEMU virt's layout for a GIC version: GICv2 puts the v2m frame right
 * after the CPU interface, as `-M virt,gic-version=2` does. */
static struct vm_desc with_gic(int version, uint32_t cpus)
{
	struct vm_desc d = arm64();

	d.cpus = cpus;
	if (version == 2) {
		d.irqchip = VM_GICV2;
		d.its_base = 0x08020000;
	} else if (cpus > 123) {
		/* QEMU's second redistributor region, 256 GiB up, holds them all */
		d.gicr_base = 0x4000000000ull;
		d.gicr_size = (uint64_t)cpus * 0x20000;
	}
	return d;
}

/* ---- the tree under test ---------------------------------------------- */

static void dtc_silent(const uint8_t *dtb, size_t len)
{
	char in[PATH_MAX], err[PATH_MAX];
	size_t n = 0;
	uint8_t *msg;

	snprintf(in, sizeof(in), "%s/t%d.dtb", tmp, counter);
	snprintf(err, sizeof(err), "%s/t%d.err", tmp, counter++);
	spew(in, dtb, len);
	if (sh("dtc -I dtb -O dts -o /dev/null '%s' 2> '%s'", in, err) != 0)
		fail_msg("dtc refused the tree (%s)", in);
	msg = slurp(err, &n);
	if (n != 0)
		fail_msg("dtc warns about the tree %s: %.*s", in, (int)n, (const char *)msg);
	free(msg);
}

/* vm_dtb for a description vm_validate takes, into a buffer of exactly
 * vm_dtb_size bytes; every check a tree must pass.  Returns an exact heap
 * copy. */
static uint8_t *gen(const struct vm_desc *d, size_t *len)
{
	struct fwk_fault f = { 0 };
	struct dt_summary sum;
	size_t bound = vm_dtb_size(d), n = 0;
	uint8_t *buf = malloc(bound), *out;
	uint32_t *scratch;
	int rc;

	rc = vm_validate(d, &f);
	if (rc != 0)
		fail_msg("vm_validate refuses the description: %s: %s", f.field, f.detail);
	assert_non_null(buf);
	rc = vm_dtb(d, buf, bound, &n, &f);
	if (rc != 0)
		fail_msg("vm_dtb: %d %s: %s", rc, f.field, f.detail);
	assert_true(n > 0 && n <= bound);
	assert_int_equal(fdt_totalsize(buf), n);
	assert_int_equal(fdt_check_full(buf, n), 0);
	/* packed: the strings block ends the tree */
	assert_int_equal(fdt_off_dt_strings(buf) + fdt_size_dt_strings(buf), n);
	scratch = calloc(DT_SCRATCH_WORDS(n), sizeof(*scratch));
	assert_non_null(scratch);
	rc = dt_check(buf, n, scratch, DT_SCRATCH_WORDS(n), NULL, NULL, &sum, &f);
	if (rc != 0)
		fail_msg("dt_check: %d %s: %s", rc, f.field, f.detail);
	assert_int_equal(sum.warnings, 0);
	free(scratch);
	dtc_silent(buf, n);
	out = exact_copy(buf, n);
	free(buf);
	*len = n;
	return out;
}

static int node(const void *fdt, const char *path)
{
	int off = fdt_path_offset(fdt, path);

	if (off < 0)
		fail_msg("no node %s", path);
	return off;
}

static bool has_node(const void *fdt, const char *path)
{
	return fdt_path_offset(fdt, path) >= 0;
}

static bool has_prop(const void *fdt, const char *path, const char *prop)
{
	return fdt_getprop(fdt, node(fdt, path), prop, NULL) != NULL;
}

/* A property's cells; fails when absent or not whole cells. */
static int cells(const void *fdt, const char *path, const char *prop, uint32_t *out, int max)
{
	int len = 0;
	const uint8_t *p = fdt_getprop(fdt, node(fdt, path), prop, &len);

	if (!p)
		fail_msg("%s has no %s", path, prop);
	assert_int_equal(len % 4, 0);
	assert_true(len / 4 <= max);
	for (int i = 0; i < len / 4; i++)
		out[i] = fdt32_ld((const fdt32_t *)(p + 4 * i));
	return len / 4;
}

static uint32_t cell(const void *fdt, const char *path, const char *prop)
{
	uint32_t v[1];

	assert_int_equal(cells(fdt, path, prop, v, 1), 1);
	return v[0];
}

static void assert_cells(const void *fdt, const char *path, const char *prop,
			 const uint32_t *want, int n)
{
	uint32_t got[256];

	assert_int_equal(cells(fdt, path, prop, got, 256), n);
	for (int i = 0; i < n; i++)
		if (got[i] != want[i])
			fail_msg("%s %s cell %d: 0x%x, want 0x%x", path, prop, i, got[i], want[i]);
}

/* A property equal to the bytes of want (sizeof a literal: NULs inside). */
static void assert_bytes(const void *fdt, const char *path, const char *prop,
			 const void *want, int n)
{
	int len = 0;
	const void *p = fdt_getprop(fdt, node(fdt, path), prop, &len);

	if (!p)
		fail_msg("%s has no %s", path, prop);
	if (len != n || memcmp(p, want, (size_t)n) != 0)
		fail_msg("%s %s differs (%d bytes, want %d)", path, prop, len, n);
}
#define assert_strs(fdt, path, prop, lit) assert_bytes(fdt, path, prop, lit, (int)sizeof(lit))

/* The path of the node a phandle names. */
static const char *phandle_path(const void *fdt, uint32_t ph)
{
	static char path[256];
	int off = fdt_node_offset_by_phandle(fdt, ph);

	if (off < 0)
		fail_msg("phandle 0x%x names no node", ph);
	assert_int_equal(fdt_get_path(fdt, off, path, sizeof(path)), 0);
	return path;
}

/* The names of the root's children that start with prefix, in order. */
static int children(const void *fdt, const char *parent, const char *prefix, char names[][64],
		    int max)
{
	int n = 0, off;

	fdt_for_each_subnode(off, fdt, node(fdt, parent)) {
		const char *name = fdt_get_name(fdt, off, NULL);

		if (strncmp(name, prefix, strlen(prefix)) != 0)
			continue;
		assert_true(n < max);
		snprintf(names[n++], 64, "%s", name);
	}
	return n;
}

static uint64_t mpidr(uint32_t i, uint32_t per_cluster)
{
	return (uint64_t)(i / per_cluster) << 8 | i % per_cluster;
}

/* ---- the default machine ------------------------------------------------ */

static void test_default(void **state)
{
	struct vm_desc d = arm64();
	size_t len;
	uint8_t *t = gen(&d, &len);
	char names[64][64];
	static const char *const order[] = {
		"psci", "memory@40000000", "cpus", "intc@8000000", "timer", "apb-pclk",
		"pl011@9000000", "pl031@9010000", "virtio_mmio@a000000",
	};
	int off, i = 0;

	(void)state;
	assert_strs(t, "/", "compatible", "linux,dummy-virt");
	assert_strs(t, "/", "model", "fwkit arm64 virtual machine");
	assert_int_equal(cell(t, "/", "#address-cells"), 2);
	assert_int_equal(cell(t, "/", "#size-cells"), 2);
	assert_string_equal(phandle_path(t, cell(t, "/", "interrupt-parent")), "/intc@8000000");
	/* the root's children in their documented order */
	fdt_for_each_subnode(off, t, 0) {
		if (i < (int)(sizeof(order) / sizeof(order[0])))
			assert_string_equal(fdt_get_name(t, off, NULL), order[i]);
		i++;
	}
	assert_int_equal(i, 9 + 31 + 2); /* 32 virtio, pcie, chosen */
	assert_true(has_node(t, "/pcie@4010000000") && has_node(t, "/chosen"));
	assert_strs(t, "/psci", "compatible", "arm,psci-1.0\0arm,psci-0.2\0arm,psci");
	assert_strs(t, "/psci", "method", "hvc");
	assert_strs(t, "/memory@40000000", "device_type", "memory");
	assert_cells(t, "/memory@40000000", "reg", (uint32_t[]){ 0, 0x40000000, 0, 0x40000000 }, 4);
	assert_false(has_prop(t, "/memory@40000000", "numa-node-id"));
	assert_int_equal(cell(t, "/cpus", "#address-cells"), 1);
	assert_int_equal(cell(t, "/cpus", "#size-cells"), 0);
	assert_strs(t, "/cpus/cpu@0", "device_type", "cpu");
	assert_strs(t, "/cpus/cpu@0", "compatible", "arm,armv8");
	assert_strs(t, "/cpus/cpu@0", "enable-method", "psci");
	assert_int_equal(cell(t, "/cpus/cpu@0", "reg"), 0);
	assert_false(has_node(t, "/cpus/cpu-map"));
	assert_false(has_node(t, "/distance-map"));
	/* the fixed phandles */
	assert_string_equal(phandle_path(t, VM_PHANDLE_GIC), "/intc@8000000");
	assert_string_equal(phandle_path(t, VM_PHANDLE_ITS), "/intc@8000000/its@8080000");
	assert_string_equal(phandle_path(t, VM_PHANDLE_CLK), "/apb-pclk");
	assert_string_equal(phandle_path(t, VM_PHANDLE_CPU0), "/cpus/cpu@0");
	assert_strs(t, "/intc@8000000", "compatible", "arm,gic-v3");
	assert_cells(t, "/intc@8000000", "reg",
		     (uint32_t[]){ 0, 0x08000000, 0, 0x10000, 0, 0x080a0000, 0, 0xf60000 }, 8);
	assert_int_equal(cell(t, "/intc@8000000", "#redistributor-regions"), 1);
	assert_int_equal(cell(t, "/intc@8000000", "#interrupt-cells"), 3);
	assert_true(has_prop(t, "/intc@8000000", "interrupt-controller"));
	assert_strs(t, "/intc@8000000/its@8080000", "compatible", "arm,gic-v3-its");
	assert_true(has_prop(t, "/intc@8000000/its@8080000", "msi-controller"));
	assert_int_equal(cell(t, "/intc@8000000/its@8080000", "#msi-cells"), 1);
	assert_cells(t, "/timer", "interrupts",
		     (uint32_t[]){ 1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4 }, 12);
	assert_int_equal(cell(t, "/apb-pclk", "clock-frequency"), 24000000);
	assert_int_equal(cell(t, "/apb-pclk", "#clock-cells"), 0);
	assert_cells(t, "/pl011@9000000", "interrupts", (uint32_t[]){ 0, 1, 4 }, 3);
	assert_cells(t, "/pl011@9000000", "clocks", (uint32_t[]){ 0x8003, 0x8003 }, 2);
	assert_strs(t, "/pl011@9000000", "clock-names", "uartclk\0apb_pclk");
	assert_cells(t, "/pl031@9010000", "interrupts", (uint32_t[]){ 0, 2, 4 }, 3);
	/* 32 transports, ascending, SPI 16.. edge rising */
	assert_int_equal(children(t, "/", "virtio_mmio@", names, 64), 32);
	for (uint32_t n = 0; n < 32; n++) {
		char path[64];

		snprintf(path, sizeof(path), "/virtio_mmio@%x", 0x0a000000 + 0x200 * n);
		assert_string_equal(names[n], path + 1);
		assert_cells(t, path, "reg", (uint32_t[]){ 0, 0x0a000000 + 0x200 * n, 0, 0x200 }, 4);
		assert_cells(t, path, "interrupts", (uint32_t[]){ 0, 16 + n, 1 }, 3);
		assert_true(has_prop(t, path, "dma-coherent"));
	}
	assert_strs(t, "/pcie@4010000000", "device_type", "pci");
	assert_cells(t, "/pcie@4010000000", "reg", (uint32_t[]){ 0x40, 0x10000000, 0, 0x10000000 }, 4);
	assert_cells(t, "/pcie@4010000000", "bus-range", (uint32_t[]){ 0, 255 }, 2);
	assert_cells(t, "/pcie@4010000000", "msi-map", (uint32_t[]){ 0, VM_PHANDLE_ITS, 0, 0x10000 }, 4);
	assert_strs(t, "/chosen", "stdout-path", "/pl011@9000000");
	assert_false(has_prop(t, "/chosen", "bootargs"));
	assert_false(has_prop(t, "/chosen", "linux,initrd-start"));
	assert_false(has_prop(t, "/chosen", "rng-seed"));
	free(t);
}

/* The same description, the same bytes. */
static void test_deterministic(void **state)
{
	struct vm_desc d = with_gic(3, 64);
	size_t a_len, b_len;
	uint8_t *a = gen(&d, &a_len), *b = gen(&d, &b_len);

	(void)state;
	assert_int_equal(a_len, b_len);
	assert_memory_equal(a, b, a_len);
	free(a);
	free(b);
}

/* ---- variations ----------------------------------------------------------- */

static void check_cpus(int gic, uint32_t n)
{
	struct vm_desc d = with_gic(gic, n);
	uint32_t per = gic == 2 ? 8 : 16, flags = 4;
	size_t len;
	uint8_t *t = gen(&d, &len);
	char names[VM_CPUS_MAX + 1][64];

	assert_int_equal(children(t, "/cpus", "cpu@", names, VM_CPUS_MAX + 1), (int)n);
	assert_int_equal(cell(t, "/cpus", "#address-cells"), 1);
	for (uint32_t i = 0; i < n; i++) {
		char path[64];

		snprintf(path, sizeof(path), "/cpus/cpu@%llx", (unsigned long long)mpidr(i, per));
		assert_string_equal(names[i], path + 6);
		assert_int_equal(cell(t, path, "reg"), mpidr(i, per));
		assert_int_equal(cell(t, path, "phandle"), VM_PHANDLE_CPU0 + i);
		assert_string_equal(phandle_path(t, VM_PHANDLE_CPU0 + i), path);
	}
	if (gic == 2)
		flags |= ((1u << n) - 1) << 8;
	assert_cells(t, "/timer", "interrupts",
		     (uint32_t[]){ 1, 13, flags, 1, 14, flags, 1, 11, flags, 1, 10, flags }, 12);
	if (n > 123)
		assert_cells(t, "/intc@8000000", "reg",
			     (uint32_t[]){ 0, 0x08000000, 0, 0x10000, 0x40, 0, 0, n * 0x20000 }, 8);
	free(t);
}

static void test_cpus_gicv3(void **state)
{
	static const uint32_t n[] = { 1, 2, 3, 4, 15, 16, 17, 33, 64, 123, 124, 255, 256, 511, 512 };

	(void)state;
	for (size_t i = 0; i < sizeof(n) / sizeof(n[0]); i++)
		check_cpus(3, n[i]);
}

static void test_cpus_gicv2(void **state)
{
	(void)state;
	for (uint32_t n = 1; n <= 8; n++)
		check_cpus(2, n);
}

static void test_gicv2(void **state)
{
	for (int its = 0; its <= 1; its++) {
		struct vm_desc d = with_gic(2, 4);
		size_t len;
		uint8_t *t;

		d.its = its;
		t = gen(&d, &len);
		(void)state;
		assert_strs(t, "/intc@8000000", "compatible", "arm,cortex-a15-gic");
		assert_cells(t, "/intc@8000000", "reg",
			     (uint32_t[]){ 0, 0x08000000, 0, 0x10000, 0, 0x08010000, 0, 0x10000 }, 8);
		assert_false(has_prop(t, "/intc@8000000", "#redistributor-regions"));
		assert_false(has_node(t, "/intc@8000000/its@8080000"));
		assert_int_equal(has_node(t, "/intc@8000000/v2m@8020000"), its);
		assert_int_equal(has_prop(t, "/pcie@4010000000", "msi-map"), its);
		if (its) {
			assert_strs(t, "/intc@8000000/v2m@8020000", "compatible", "arm,gic-v2m-frame");
			assert_cells(t, "/intc@8000000/v2m@8020000", "reg",
				     (uint32_t[]){ 0, 0x08020000, 0, 0x1000 }, 4);
			assert_true(has_prop(t, "/intc@8000000/v2m@8020000", "msi-controller"));
			assert_string_equal(phandle_path(t, VM_PHANDLE_ITS),
					    "/intc@8000000/v2m@8020000");
		}
		free(t);
	}
}

static void test_gicv3_no_its(void **state)
{
	struct vm_desc d = with_gic(3, 2);
	size_t len;
	uint8_t *t;

	(void)state;
	d.its = false;
	t = gen(&d, &len);
	assert_false(has_node(t, "/intc@8000000/its@8080000"));
	assert_false(has_prop(t, "/pcie@4010000000", "msi-map"));
	assert_int_equal(fdt_node_offset_by_phandle(t, VM_PHANDLE_ITS), -FDT_ERR_NOTFOUND);
	/* the GIC keeps its cells: interrupt-map's parent address needs them */
	assert_int_equal(cell(t, "/intc@8000000", "#address-cells"), 2);
	free(t);
}

/* 2 to 4 NUMA nodes of 1 GiB each, 8 CPUs split as evenly as they go (the
 * first nodes take the remainder). */
static void test_numa(void **state)
{
	(void)state;
	for (uint32_t nodes = 2; nodes <= 4; nodes++) {
		struct vm_desc d = with_gic(3, 8);
		uint32_t m[VM_NODES_MAX * VM_NODES_MAX * 3], k = 0, first = 0;
		size_t len;
		uint8_t *t;
		char names[16][64];

		d.mem_size = 0x40000000ull * nodes;
		d.nodes = nodes;
		for (uint32_t i = 0; i < nodes; i++) {
			d.node[i].mem_size = 0x40000000;
			d.node[i].cpus = 8 / nodes + (i < 8 % nodes);
		}
		t = gen(&d, &len);
		assert_int_equal(children(t, "/", "memory@", names, 16), (int)nodes);
		for (uint32_t i = 0; i < nodes; i++) {
			uint64_t b = 0x40000000ull * (i + 1);
			char path[64];

			snprintf(path, sizeof(path), "/memory@%llx", (unsigned long long)b);
			assert_cells(t, path, "reg",
				     (uint32_t[]){ (uint32_t)(b >> 32), (uint32_t)b, 0, 0x40000000 }, 4);
			assert_int_equal(cell(t, path, "numa-node-id"), i);
			for (uint32_t c = 0; c < d.node[i].cpus; c++) {
				snprintf(path, sizeof(path), "/cpus/cpu@%x", first + c);
				assert_int_equal(cell(t, path, "numa-node-id"), i);
			}
			first += d.node[i].cpus;
			for (uint32_t j = 0; j < nodes; j++) {
				m[k++] = i;
				m[k++] = j;
				m[k++] = i == j ? 10 : 20;
			}
		}
		assert_int_equal(first, 8);
		assert_strs(t, "/distance-map", "compatible", "numa-distance-map-v1");
		assert_cells(t, "/distance-map", "distance-matrix", m, (int)k);
		free(t);
	}
}

static void test_topology(void **state)
{
	/* sockets, clusters, cores, threads */
	static const uint32_t topo[][4] = {
		{ 2, 2, 2, 2 }, { 1, 1, 4, 1 }, { 2, 1, 2, 1 }, { 1, 2, 4, 2 }, { 4, 2, 8, 2 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(topo) / sizeof(topo[0]); i++) {
		const uint32_t *p = topo[i];
		struct vm_desc d = with_gic(3, p[0] * p[1] * p[2] * p[3]);
		uint32_t cpu = 0;
		size_t len;
		uint8_t *t;

		d.sockets = p[0];
		d.clusters = p[1];
		d.cores = p[2];
		d.threads = p[3];
		t = gen(&d, &len);
		for (uint32_t s = 0; s < p[0]; s++)
			for (uint32_t c = 0; c < p[1]; c++)
				for (uint32_t k = 0; k < p[2]; k++)
					for (uint32_t h = 0; h < p[3]; h++, cpu++) {
						char path[128];
						int n = snprintf(path, sizeof(path),
								 "/cpus/cpu-map/socket%u/cluster%u/core%u",
								 s, c, k);
						if (p[3] > 1)
							snprintf(path + n, sizeof(path) - (size_t)n,
								 "/thread%u", h);
						assert_int_equal(cell(t, path, "cpu"),
								 VM_PHANDLE_CPU0 + cpu);
					}
		assert_int_equal(cpu, d.cpus);
		/* a core with one thread holds its CPU itself */
		assert_int_equal(has_node(t, "/cpus/cpu-map/socket0/cluster0/core0/thread0"),
				 p[3] > 1);
		assert_int_equal(has_prop(t, "/cpus/cpu-map/socket0/cluster0/core0", "cpu"),
				 p[3] == 1);
		free(t);
	}
}

static void test_no_pcie_no_rtc(void **state)
{
	struct vm_desc d = arm64();
	size_t len;
	uint8_t *t;
	char names[4][64];

	(void)state;
	d.pcie.present = false;
	d.rtc.present = false;
	t = gen(&d, &len);
	assert_int_equal(children(t, "/", "pcie", names, 4), 0);
	assert_int_equal(children(t, "/", "pl031", names, 4), 0);
	free(t);
}

static void test_pcie_windows(void **state)
{
	struct vm_desc d = arm64();
	size_t len;
	uint8_t *t;

	(void)state;
	/* buses 16..31 only, no I/O window, segment 1 */
	d.pcie.bus_start = 16;
	d.pcie.bus_end = 31;
	d.pcie.segment = 1;
	d.pcie.pio.size = 0;
	d.pcie.irq = 8;
	t = gen(&d, &len);
	assert_cells(t, "/pcie@4010000000", "reg", (uint32_t[]){ 0x40, 0x10000000, 0, 16 << 20 }, 4);
	assert_cells(t, "/pcie@4010000000", "bus-range", (uint32_t[]){ 16, 31 }, 2);
	assert_int_equal(cell(t, "/pcie@4010000000", "linux,pci-domain"), 1);
	assert_cells(t, "/pcie@4010000000", "ranges",
		     (uint32_t[]){ 0x02000000, 0, 0x10000000, 0, 0x10000000, 0, 0x2eff0000,
				   0x03000000, 0x80, 0, 0x80, 0, 0x80, 0 }, 14);
	/* slot 2 INTC: 8 + (2 + 2) % 4 */
	{
		uint32_t map[160];

		assert_int_equal(cells(t, "/pcie@4010000000", "interrupt-map", map, 160), 160);
		assert_int_equal(map[10 * (2 * 4 + 2)], 2 << 11);
		assert_int_equal(map[10 * (2 * 4 + 2) + 3], 3);
		assert_int_equal(map[10 * (2 * 4 + 2) + 8], 8);
	}
	free(t);

	/* no window at all: no ranges, as an empty one would mean 1:1 */
	{
		static uint8_t buf[16384];
		struct fwk_fault f = { 0 };
		size_t n = 0;

		d.pcie.mmio32.size = d.pcie.mmio64.size = 0;
		assert_int_equal(vm_dtb(&d, buf, sizeof(buf), &n, &f), 0);
		assert_int_equal(fdt_check_full(buf, n), 0);
		assert_false(has_prop(buf, "/pcie@4010000000", "ranges"));
		assert_true(has_prop(buf, "/pcie@4010000000", "interrupt-map"));
	}
}

static void test_virtio_counts(void **state)
{
	static const uint32_t counts[] = { 0, 1, 32 };

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		struct vm_desc d = arm64();
		size_t len;
		uint8_t *t;
		char names[40][64];

		d.virtio.count = counts[i];
		d.virtio.stride = 0x1000;
		d.virtio.base = 0x0a000000;
		t = gen(&d, &len);
		assert_int_equal(children(t, "/", "virtio_mmio", names, 40), (int)counts[i]);
		if (counts[i] == 32)
			assert_cells(t, "/virtio_mmio@a01f000", "reg",
				     (uint32_t[]){ 0, 0x0a01f000, 0, 0x1000 }, 4);
		free(t);
	}
}

static void test_chosen(void **state)
{
	struct vm_desc d = arm64();
	size_t len;
	uint8_t *t;
	uint8_t seed[VM_RNG_SEED_MAX];
	int n = 0;
	const void *p;

	(void)state;
	for (unsigned i = 0; i < VM_RNG_SEED_MAX; i++)
		seed[i] = (uint8_t)(i * 7 + 1);
	snprintf(d.chosen.bootargs, sizeof(d.chosen.bootargs), "console=ttyAMA0 root=/dev/vda");
	d.chosen.initrd_start = 0x48000000;
	d.chosen.initrd_end = 0x48123457;
	memcpy(d.chosen.rng_seed, seed, sizeof(seed));
	d.chosen.rng_seed_len = VM_RNG_SEED_MAX;
	t = gen(&d, &len);
	assert_strs(t, "/chosen", "bootargs", "console=ttyAMA0 root=/dev/vda");
	assert_cells(t, "/chosen", "linux,initrd-start", (uint32_t[]){ 0, 0x48000000 }, 2);
	assert_cells(t, "/chosen", "linux,initrd-end", (uint32_t[]){ 0, 0x48123457 }, 2);
	p = fdt_getprop(t, node(t, "/chosen"), "rng-seed", &n);
	assert_non_null(p);
	assert_int_equal(n, VM_RNG_SEED_MAX);
	assert_memory_equal(p, seed, VM_RNG_SEED_MAX);
	free(t);

	/* a bootargs of the longest length, a one-byte seed, no stdout */
	memset(d.chosen.bootargs, 'x', VM_BOOTARGS_MAX - 1);
	d.chosen.bootargs[VM_BOOTARGS_MAX - 1] = '\0';
	d.chosen.rng_seed_len = 1;
	d.chosen.stdout = false;
	d.chosen.initrd_start = d.chosen.initrd_end = 0;
	t = gen(&d, &len);
	fdt_getprop(t, node(t, "/chosen"), "bootargs", &n);
	assert_int_equal(n, VM_BOOTARGS_MAX);
	fdt_getprop(t, node(t, "/chosen"), "rng-seed", &n);
	assert_int_equal(n, 1);
	assert_false(has_prop(t, "/chosen", "stdout-path"));
	assert_false(has_prop(t, "/chosen", "linux,initrd-end"));
	free(t);
}

static void test_psci(void **state)
{
	struct vm_desc d = arm64();
	size_t len;
	uint8_t *t;

	(void)state;
	d.psci.version = 2;
	d.psci.conduit = VM_PSCI_SMC;
	t = gen(&d, &len);
	assert_strs(t, "/psci", "compatible", "arm,psci-0.2\0arm,psci");
	assert_strs(t, "/psci", "method", "smc");
	assert_false(has_prop(t, "/psci", "cpu_on"));
	free(t);
	d.psci.version = 1u << 16;
	t = gen(&d, &len);
	assert_strs(t, "/psci", "compatible", "arm,psci-1.0\0arm,psci-0.2\0arm,psci");
	free(t);
}

/* Everything at once, the largest tree: its size against the bound. */
static void test_bound(void **state)
{
	struct vm_desc d = with_gic(3, VM_CPUS_MAX);
	size_t len, big, small;
	uint8_t *t;

	(void)state;
	d.sockets = 2, d.clusters = 4, d.cores = 32, d.threads = 2;
	d.nodes = VM_NODES_MAX;
	d.mem_size = 0x40000000ull * VM_NODES_MAX;
	for (uint32_t i = 0; i < VM_NODES_MAX; i++) {
		d.node[i].mem_size = 0x40000000;
		d.node[i].cpus = VM_CPUS_MAX / VM_NODES_MAX;
	}
	memset(d.chosen.bootargs, 'a', VM_BOOTARGS_MAX - 1);
	d.chosen.initrd_start = 0x48000000;
	d.chosen.initrd_end = 0x49000000;
	d.chosen.rng_seed_len = VM_RNG_SEED_MAX;
	t = gen(&d, &len);
	print_message("# 512 CPUs, 8 nodes, topology, all of /chosen: %zu bytes, bound %zu\n", len,
		      vm_dtb_size(&d));
	/* a bound, not a guess: within twice the largest tree */
	assert_true(vm_dtb_size(&d) < 2 * len);
	/* linear in the CPUs */
	d = with_gic(3, 256);
	big = vm_dtb_size(&d);
	d.cpus = 128;
	small = vm_dtb_size(&d);
	d.cpus = 64;
	assert_int_equal(big - small, 2 * (small - vm_dtb_size(&d)));
	free(t);
}

/* ---- QEMU's own trees ------------------------------------------------------ */

/* Properties compared as they are. */
static const char *const same_props[] = {
	"compatible", "reg", "interrupts", "ranges", "bus-range", "device_type",
	"interrupt-map-mask", "#address-cells", "#size-cells", "#interrupt-cells",
	"#redistributor-regions", "#msi-cells", "linux,pci-domain", "clock-frequency",
	"#clock-cells", "clock-names", "method", "stdout-path", "interrupt-controller",
	"msi-controller", "dma-coherent", "always-on", "enable-method",
};

/* QEMU's tree has these, a vm_desc does not describe them. */
static const char *const qemu_only[] = {
	"platform-bus@c000000", "fw-cfg@9020000", "gpio-keys", "pl061@9030000", "pmu", "flash@0",
};

static uint8_t *qemu_tree(int gic, uint32_t cpus, size_t *len)
{
	char out[PATH_MAX];

	snprintf(out, sizeof(out), "%s/qemu-v%d-%u.dtb", tmp, gic, cpus);
	if (sh("qemu-system-aarch64 -M virt,gic-version=%d,dumpdtb='%s' -cpu cortex-a53 -smp %u "
	       "-m 1G -nographic </dev/null >/dev/null 2>&1", gic, out, cpus) != 0)
		fail_msg("qemu-system-aarch64 could not dump its virt tree");
	return slurp(out, len);
}

/* A property's bytes equal in both trees (or absent from both). */
static void same_prop(const void *a, const char *apath, const void *q, const char *qpath,
		      const char *prop)
{
	int alen = -1, qlen = -1;
	const void *av = fdt_getprop(a, node(a, apath), prop, &alen);
	const void *qv = fdt_getprop(q, node(q, qpath), prop, &qlen);

	if (!av && !qv)
		return;
	if (!av || !qv)
		fail_msg("%s: %s is only in %s", apath, prop, av ? "fwkit's tree" : "QEMU's tree");
	if (alen != qlen || memcmp(av, qv, (size_t)alen) != 0)
		fail_msg("%s (QEMU %s): %s differs", apath, qpath, prop);
}

static void same_node(const void *a, const char *apath, const void *q, const char *qpath)
{
	for (size_t i = 0; i < sizeof(same_props) / sizeof(same_props[0]); i++)
		same_prop(a, apath, q, qpath, same_props[i]);
}

/* The same phandle-carrying property, the phandle cells (every stride-th
 * from first) naming nodes of the same path. */
static void same_with_phandles(const void *a, const char *apath, const void *q,
			       const char *qpath, const char *prop, int first, int stride)
{
	uint32_t av[256], qv[256];
	int n = cells(a, apath, prop, av, 256);

	assert_int_equal(cells(q, qpath, prop, qv, 256), n);
	for (int i = 0; i < n; i++) {
		if (i >= first && (i - first) % stride == 0) {
			char ap[256];

			snprintf(ap, sizeof(ap), "%s", phandle_path(a, av[i]));
			assert_string_equal(ap, phandle_path(q, qv[i]));
		} else if (av[i] != qv[i]) {
			fail_msg("%s %s cell %d: 0x%x, QEMU 0x%x", apath, prop, i, av[i], qv[i]);
		}
	}
}

static void check_qemu(int gic, uint32_t cpus)
{
	struct vm_desc d = with_gic(gic, cpus);
	size_t alen, qlen;
	uint8_t *a = gen(&d, &alen), *q = qemu_tree(gic, cpus, &qlen);
	const char *msi = gic == 3 ? "/intc@8000000/its@8080000" : "/intc@8000000/v2m@8020000";
	char an[64][64], qn[64][64];
	int na, nq, off;

	assert_int_equal(fdt_check_full(q, qlen), 0);
	/* the root's children: ours are QEMU's, minus what we do not describe,
	 * with the PCIe node named by its reg */
	na = nq = 0;
	fdt_for_each_subnode(off, a, 0)
		snprintf(an[na++], 64, "%s", fdt_get_name(a, off, NULL));
	fdt_for_each_subnode(off, q, 0) {
		const char *name = fdt_get_name(q, off, NULL);
		bool skip = false;

		for (size_t i = 0; i < sizeof(qemu_only) / sizeof(qemu_only[0]); i++)
			skip |= strcmp(name, qemu_only[i]) == 0;
		if (!skip)
			snprintf(qn[nq++], 64, "%s",
				 strcmp(name, "pcie@10000000") == 0 ? "pcie@4010000000" : name);
	}
	assert_int_equal(na, nq);
	for (int i = 0; i < na; i++) {
		bool found = false;

		for (int j = 0; j < nq; j++)
			found |= strcmp(an[i], qn[j]) == 0;
		if (!found)
			fail_msg("fwkit's /%s is not in QEMU's tree", an[i]);
	}
	/* virtio-mmio transports in the same order */
	na = children(a, "/", "virtio_mmio@", an, 64);
	assert_int_equal(children(q, "/", "virtio_mmio@", qn, 64), na);
	for (int i = 0; i < na; i++)
		assert_string_equal(an[i], qn[i]);
	/* node by node */
	same_prop(a, "/", q, "/", "#address-cells");
	same_prop(a, "/", q, "/", "#size-cells");
	same_prop(a, "/", q, "/", "compatible");
	same_with_phandles(a, "/", q, "/", "interrupt-parent", 0, 1);
	same_node(a, "/psci", q, "/psci");
	same_node(a, "/memory@40000000", q, "/memory@40000000");
	same_prop(a, "/cpus", q, "/cpus", "#address-cells");
	same_prop(a, "/cpus", q, "/cpus", "#size-cells");
	for (uint32_t i = 0; i < cpus; i++) {
		char ap[64], qp[64];

		snprintf(ap, sizeof(ap), "/cpus/cpu@%llx",
			 (unsigned long long)mpidr(i, gic == 2 ? 8 : 16));
		snprintf(qp, sizeof(qp), "/cpus/cpu@%u", i);
		same_prop(a, ap, q, qp, "reg");
		same_prop(a, ap, q, qp, "device_type");
		if (cpus > 1) /* QEMU names the enable method only then */
			same_prop(a, ap, q, qp, "enable-method");
	}
	same_node(a, "/intc@8000000", q, "/intc@8000000");
	same_node(a, msi, q, msi);
	same_node(a, "/timer", q, "/timer");
	same_node(a, "/apb-pclk", q, "/apb-pclk");
	same_node(a, "/pl011@9000000", q, "/pl011@9000000");
	same_with_phandles(a, "/pl011@9000000", q, "/pl011@9000000", "clocks", 0, 1);
	same_node(a, "/pl031@9010000", q, "/pl031@9010000");
	same_with_phandles(a, "/pl031@9010000", q, "/pl031@9010000", "clocks", 0, 1);
	for (int i = 0; i < na; i++) {
		char p[80];

		snprintf(p, sizeof(p), "/%s", an[i]);
		same_node(a, p, q, p);
	}
	same_node(a, "/pcie@4010000000", q, "/pcie@10000000");
	same_with_phandles(a, "/pcie@4010000000", q, "/pcie@10000000", "interrupt-map", 4, 10);
	same_with_phandles(a, "/pcie@4010000000", q, "/pcie@10000000", "msi-map", 1, 4);
	same_prop(a, "/chosen", q, "/chosen", "stdout-path");
	free(a);
	free(q);
}

static void test_qemu_gicv3(void **state)
{
	(void)state;
	check_qemu(3, 1);
	check_qemu(3, 2);
	check_qemu(3, 4);
}

static void test_qemu_gicv2(void **state)
{
	(void)state;
	check_qemu(2, 1);
	check_qemu(2, 2);
	check_qemu(2, 4);
}

/* ---- refusals and room ----------------------------------------------------- */

/* One byte short: NOSPACE naming cap, nothing past the buffer (an exact
 * heap buffer for ASan, and a guard pattern), no tree left behind. */
static void check_nospace(const struct vm_desc *d)
{
	struct fwk_fault f = { 0 };
	size_t len, n = 12345;
	uint8_t *t = gen(d, &len), *buf = malloc(len - 1), *g = malloc(len + 64);

	assert_non_null(buf);
	assert_int_equal(vm_dtb(d, buf, len - 1, &n, &f), FWK_ERR_NOSPACE);
	assert_string_equal(f.field, "cap");
	assert_int_equal(n, 0);
	/* not even libfdt's tree-in-progress magic, which its readers take */
	assert_int_not_equal(fdt_magic(buf), FDT_MAGIC);
	assert_int_not_equal(fdt_magic(buf), SW_MAGIC);
	assert_non_null(g);
	memset(g, 0xa5, len + 64);
	assert_int_equal(vm_dtb(d, g, len - 1, &n, &f), FWK_ERR_NOSPACE);
	for (size_t i = len - 1; i < len + 64; i++)
		assert_int_equal(g[i], 0xa5);
	/* exactly len is enough, and gives the same tree */
	assert_int_equal(vm_dtb(d, g, len, &n, &f), 0);
	assert_int_equal(n, len);
	assert_memory_equal(g, t, len);
	free(t);
	free(buf);
	free(g);
}

static void test_nospace(void **state)
{
	struct vm_desc d = arm64();
	struct fwk_fault f = { 0 };
	uint8_t small[64];
	size_t n;

	(void)state;
	check_nospace(&d);
	d = with_gic(2, 8);
	check_nospace(&d);
	d = with_gic(3, 512);
	snprintf(d.chosen.bootargs, sizeof(d.chosen.bootargs), "console=ttyAMA0");
	check_nospace(&d);
	/* below a header, and no buffer at all */
	d = arm64();
	assert_int_equal(vm_dtb(&d, small, sizeof(small), &n, &f), FWK_ERR_NOSPACE);
	assert_int_equal(vm_dtb(&d, small, 10, &n, &f), FWK_ERR_NOSPACE);
	assert_int_equal(vm_dtb(&d, NULL, 0, &n, &f), FWK_ERR_NOSPACE);
	assert_int_equal(n, 0);
}

/* A buffer over 2 GiB (libfdt counts in int): the writer uses 2 GiB - 1 of
 * it.  Reserved, not committed: only the pages written are touched. */
static void test_huge_buffer(void **state)
{
	struct vm_desc d = arm64();
	struct fwk_fault f = { 0 };
	size_t cap = 0x80001000u, n = 0, len;
	uint8_t *t = gen(&d, &len);
	void *buf = mmap(NULL, cap, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	(void)state;
	assert_true(buf != MAP_FAILED);
	assert_int_equal(vm_dtb(&d, buf, cap, &n, &f), 0);
	assert_int_equal(n, len);
	assert_memory_equal(buf, t, len);
	assert_int_equal(munmap(buf, cap), 0);
	free(t);
}

static void test_refused(void **state)
{
	struct vm_desc d;
	struct fwk_fault f = { 0 };
	static uint8_t buf[64 * 1024];
	size_t n = 1;

	(void)state;
	vm_default(&d, VM_X86_64);
	assert_int_equal(vm_validate(&d, &f), 0);
	assert_int_equal(vm_dtb(&d, buf, sizeof(buf), &n, &f), FWK_ERR_UNSUPPORTED);
	assert_string_equal(f.field, "arch");
	assert_string_equal(f.detail, "x86_64 guests are described by ACPI only");
	assert_int_equal(n, 0);
	assert_int_equal(vm_dtb_size(&d), 0);

	/* what an unvalidated description could make the writer overrun */
	d = arm64();
	d.cpus = VM_CPUS_MAX + 1;
	assert_int_equal(vm_dtb(&d, buf, sizeof(buf), &n, &f), FWK_ERR_LIMIT);
	assert_string_equal(f.field, "cpus");
	d = arm64();
	d.nodes = VM_NODES_MAX + 1;
	assert_int_equal(vm_dtb(&d, buf, sizeof(buf), &n, &f), FWK_ERR_LIMIT);
	assert_string_equal(f.field, "numa.nodes");
	d = arm64();
	d.virtio.count = VM_VIRTIO_MAX + 1;
	assert_int_equal(vm_dtb(&d, buf, sizeof(buf), &n, &f), FWK_ERR_LIMIT);
	assert_string_equal(f.field, "virtio.count");
	d = arm64();
	d.chosen.rng_seed_len = VM_RNG_SEED_MAX + 1;
	assert_int_equal(vm_dtb(&d, buf, sizeof(buf), &n, &f), FWK_ERR_LIMIT);
	assert_string_equal(f.field, "chosen.rng_seed");
	d = arm64();
	memset(d.chosen.bootargs, 'x', sizeof(d.chosen.bootargs));
	assert_int_equal(vm_dtb(&d, buf, sizeof(buf), &n, &f), FWK_ERR_BADFIELD);
	assert_string_equal(f.field, "chosen.bootargs");
	d = arm64();
	d.irqchip = VM_APIC;
	assert_int_equal(vm_dtb(&d, buf, sizeof(buf), &n, &f), FWK_ERR_UNSUPPORTED);
	assert_string_equal(f.field, "gic.version");
	d = arm64();
	d.uart.kind = VM_UART_16550;
	assert_int_equal(vm_dtb(&d, buf, sizeof(buf), &n, &f), FWK_ERR_UNSUPPORTED);
	assert_string_equal(f.field, "uart.type");
	d = arm64();
	d.arch = (enum vm_arch)7;
	assert_int_equal(vm_dtb(&d, buf, sizeof(buf), &n, &f), FWK_ERR_INVAL);
	assert_string_equal(f.field, "arch");
	d = arm64();
	assert_int_equal(vm_dtb(&d, buf, sizeof(buf), NULL, &f), FWK_ERR_INVAL);
	assert_int_equal(vm_dtb(NULL, buf, sizeof(buf), &n, &f), FWK_ERR_INVAL);
	assert_int_equal(vm_dtb(&d, NULL, 100, &n, &f), FWK_ERR_INVAL);
	/* and a NULL fault is fine */
	assert_int_equal(vm_dtb(&d, buf, 10, &n, NULL), FWK_ERR_NOSPACE);
}

static int setup(void **state)
{
	(void)state;
	if (sh("command -v dtc qemu-system-aarch64 >/dev/null") != 0) {
		fprintf(stderr, "test_vm_dtb: dtc and qemu-system-aarch64 are needed (make deps)\n");
		return -1;
	}
	tmp = temp_dir("vm-dtb");
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
		cmocka_unit_test(test_default),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_cpus_gicv3),
		cmocka_unit_test(test_cpus_gicv2),
		cmocka_unit_test(test_gicv2),
		cmocka_unit_test(test_gicv3_no_its),
		cmocka_unit_test(test_numa),
		cmocka_unit_test(test_topology),
		cmocka_unit_test(test_no_pcie_no_rtc),
		cmocka_unit_test(test_pcie_windows),
		cmocka_unit_test(test_virtio_counts),
		cmocka_unit_test(test_chosen),
		cmocka_unit_test(test_psci),
		cmocka_unit_test(test_bound),
		cmocka_unit_test(test_qemu_gicv3),
		cmocka_unit_test(test_qemu_gicv2),
		cmocka_unit_test(test_nospace),
		cmocka_unit_test(test_huge_buffer),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

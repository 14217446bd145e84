/* SPDX-License-Identifier: MIT */
/* test_vm_desc.c - cmocka tests of the VM description: both defaults pass
 * vm_validate and the arm64 one matches the tree QEMU's virt board dumps
 * (GICv3 with its ITS, GICv2 with its v2m frame); each vm_validate rule
 * broken once, naming its field; the example files; every JSON member
 * written by a test-side writer and read back; truncation at every byte,
 * bad escapes, nesting, duplicates, wrong types and overflowing numbers,
 * each naming the member and the byte; the fuzz regression inputs. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../support/testkit.h"

#include <dirent.h>
#include <libfdt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fwkit/vm.h>

static char root[PATH_MAX];   /* the repository */
static char *tmp;             /* this program's scratch directory */
static struct fwk_fault fault;

#define GIB 0x40000000ull

/* ---- helpers -------------------------------------------------------------- */

static int parse(struct vm_desc *d, const char *text)
{
	size_t n = strlen(text);
	char *copy = (char *)exact_copy(text, n); /* ASan sees a read past the end */
	memset(&fault, 0, sizeof(fault));
	int rc = vm_parse_json(d, copy, n, &fault);
	free(copy);
	return rc;
}

/* text fails with err at byte `at` (SIZE_MAX: do not check) in field. */
static void parse_fails(const char *text, int err, const char *field, size_t at)
{
	struct vm_desc d;
	int rc = parse(&d, text);

	if (rc != err || !fault.field || strcmp(fault.field, field) != 0 ||
	    (at != SIZE_MAX && fault.offset != at))
		fail_msg("%s\n  got %d %s @%llu (%s), want %d %s @%zu", text, rc,
			 fault.field ? fault.field : "(null)", (unsigned long long)fault.offset,
			 fault.detail ? fault.detail : "", err, field, at);
	assert_non_null(fault.detail);
	assert_int_equal(fault.error, err);
}

static void validate_fails(const struct vm_desc *d, const char *field, const char *what)
{
	memset(&fault, 0, sizeof(fault));
	int rc = vm_validate(d, &fault);
	if (rc != FWK_ERR_BADFIELD || !fault.field || strcmp(fault.field, field) != 0)
		fail_msg("%s: got %d %s (%s), want %s", what, rc,
			 fault.field ? fault.field : "(null)", fault.detail ? fault.detail : "",
			 field);
	assert_non_null(fault.detail);
}

static void valid(const struct vm_desc *d)
{
	memset(&fault, 0, sizeof(fault));
	if (vm_validate(d, &fault) != 0)
		fail_msg("vm_validate: %s: %s", fault.field, fault.detail);
}

static char *example(const char *name, size_t *len)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/docs/examples/%s", root, name);
	uint8_t *b = slurp(path, len);
	char *t = malloc(*len + 1);
	assert_non_null(t);
	memcpy(t, b, *len);
	t[*len] = 0;
	free(b);
	return t;
}

/* ---- defaults ------------------------------------------------------------- */

static void test_defaults_validate(void **state)
{
	(void)state;
	struct vm_desc d;

	vm_default(&d, VM_ARM64);
	valid(&d);
	assert_int_equal(d.arch, VM_ARM64);
	assert_int_equal(d.cpus, 1);
	assert_int_equal(d.mem_base, GIB);
	assert_int_equal(d.mem_size, GIB);
	assert_int_equal(d.irqchip, VM_GICV3);
	assert_true(d.its);
	assert_int_equal(d.psci.version, 0x10001);
	assert_int_equal(d.psci.conduit, VM_PSCI_HVC);
	assert_true(d.chosen.stdout);
	assert_memory_equal(d.acpi.oem_id, "FWKIT \0", 7);
	assert_memory_equal(d.acpi.oem_table_id, "FWKITVM \0", 9);
	assert_int_equal(d.acpi.oem_revision, 1);

	/* q35, as QEMU 7.2's own tables describe it (MADT, MCFG, DSDT) */
	vm_default(&d, VM_X86_64);
	valid(&d);
	assert_int_equal(d.arch, VM_X86_64);
	assert_int_equal(d.cpus, 1);
	assert_int_equal(d.mem_base, 0);
	assert_int_equal(d.mem_size, GIB);
	assert_int_equal(d.irqchip, VM_APIC);
	assert_int_equal(d.lapic_base, 0xfee00000);
	assert_int_equal(d.ioapic_base, 0xfec00000);
	assert_int_equal(d.ioapic_id, 0);
	assert_int_equal(d.uart.kind, VM_UART_16550);
	assert_int_equal(d.uart.base, 0x3f8);
	assert_int_equal(d.uart.irq, 4);
	assert_int_equal(d.uart.clock_hz, 1843200);
	assert_true(d.rtc.present);
	assert_int_equal(d.rtc.base, 0x70);
	assert_int_equal(d.rtc.irq, 8);
	assert_int_equal(d.virtio.count, 0);
	assert_true(d.pcie.present);
	assert_int_equal(d.pcie.ecam_base, 0xb0000000);
	assert_int_equal(d.pcie.bus_start, 0);
	assert_int_equal(d.pcie.bus_end, 255);
	assert_int_equal(d.pcie.mmio32.cpu_base, 0xc0000000);
	assert_int_equal(d.pcie.mmio32.cpu_base + d.pcie.mmio32.size, 0xfec00000);
	assert_int_equal(d.pcie.pio.cpu_base, 0xd00);
	assert_int_equal(d.pcie.pio.size, 0x10000 - 0xd00);
	assert_int_equal(d.pcie.mmio64.cpu_base, 4 * GIB);
	assert_int_equal(d.pcie.mmio64.size, 32 * GIB);
	assert_int_equal(d.pcie.irq, 16);

	/* vm_default forgets everything that was there */
	memset(&d, 0xa5, sizeof(d));
	vm_default(&d, VM_ARM64);
	struct vm_desc e;
	memset(&e, 0, sizeof(e));
	vm_default(&e, VM_ARM64);
	assert_memory_equal(&d, &e, sizeof(d));
}

/* ---- QEMU's own tree ------------------------------------------------------ */

static uint64_t cells(const fdt32_t *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 32 | fdt32_to_cpu(p[i]);
	return v;
}

/* The i-th (address, size) pair of a node's reg (2 + 2 cells, as virt). */
static void reg(const void *fdt, int node, int i, uint64_t *base, uint64_t *size)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, "reg", &len);
	assert_non_null(p);
	assert_true(len >= (i + 1) * 16);
	*base = cells(p + 4 * i, 2);
	*size = cells(p + 4 * i + 2, 2);
}

/* The node with this compatible (exactly one), its offset. */
static int only(const void *fdt, const char *compat)
{
	int n = fdt_node_offset_by_compatible(fdt, -1, compat);
	if (n < 0)
		fail_msg("QEMU's tree has no %s node", compat);
	assert_true(fdt_node_offset_by_compatible(fdt, n, compat) < 0);
	return n;
}

/* An SPI number from an interrupts property (type 0, number, flags). */
static uint32_t spi(const void *fdt, int node)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, "interrupts", &len);
	assert_non_null(p);
	assert_int_equal(len, 12);
	assert_int_equal(fdt32_to_cpu(p[0]), 0);
	return fdt32_to_cpu(p[1]);
}

static void *qemu_dtb(const char *machine)
{
	static int count;
	char path[PATH_MAX + 64];
	size_t len;

	/* no comma in the name: QEMU's option parser would split it */
	snprintf(path, sizeof(path), "%s/virt%d.dtb", tmp, count++);
	if (sh("qemu-system-aarch64 -M virt,%s,dumpdtb='%s' -cpu cortex-a53 -smp 1 -m 1G "
	       "-display none -serial none -monitor none </dev/null >/dev/null 2>&1",
	       machine, path) != 0)
		fail_msg("qemu-system-aarch64 could not dump its virt tree (%s)", machine);
	void *fdt = slurp(path, &len);
	assert_int_equal(fdt_check_header(fdt), 0);
	assert_true(fdt_totalsize(fdt) <= len);
	return fdt;
}

/* What both GIC versions share: RAM, UART, RTC, virtio, PCIe, timer, PSCI. */
static void same_board(const void *fdt, const struct vm_desc *d)
{
	uint64_t base, size;
	int n, len;

	n = fdt_path_offset(fdt, "/memory@40000000");
	assert_true(n >= 0);
	reg(fdt, n, 0, &base, &size);
	assert_int_equal(base, d->mem_base);
	assert_int_equal(size, d->mem_size);

	n = only(fdt, "arm,pl011");
	reg(fdt, n, 0, &base, &size);
	assert_int_equal(base, d->uart.base);
	assert_int_equal(spi(fdt, n), d->uart.irq);
	n = only(fdt, "fixed-clock");
	const fdt32_t *clk = fdt_getprop(fdt, n, "clock-frequency", &len);
	assert_non_null(clk);
	assert_int_equal(fdt32_to_cpu(*clk), d->uart.clock_hz);

	n = only(fdt, "arm,pl031");
	reg(fdt, n, 0, &base, &size);
	assert_true(d->rtc.present);
	assert_int_equal(base, d->rtc.base);
	assert_int_equal(spi(fdt, n), d->rtc.irq);

	/* virtio-mmio: count, lowest base, stride, first SPI, one SPI each */
	uint32_t count = 0;
	uint64_t lo = UINT64_MAX;
	for (n = fdt_node_offset_by_compatible(fdt, -1, "virtio,mmio"); n >= 0;
	     n = fdt_node_offset_by_compatible(fdt, n, "virtio,mmio")) {
		reg(fdt, n, 0, &base, &size);
		assert_int_equal(size, d->virtio.stride);
		assert_true(base >= d->virtio.base);
		uint64_t idx = (base - d->virtio.base) / d->virtio.stride;
		assert_int_equal(base, d->virtio.base + idx * d->virtio.stride);
		assert_int_equal(spi(fdt, n), d->virtio.irq + idx);
		lo = base < lo ? base : lo;
		count++;
	}
	assert_int_equal(count, d->virtio.count);
	assert_int_equal(lo, d->virtio.base);

	/* PCIe: ECAM, buses, the three windows of ranges, INTA of slot 0 */
	n = only(fdt, "pci-host-ecam-generic");
	reg(fdt, n, 0, &base, &size);
	assert_true(d->pcie.present);
	assert_int_equal(base, d->pcie.ecam_base);
	assert_int_equal(size, (uint64_t)(d->pcie.bus_end - d->pcie.bus_start + 1) << 20);
	const fdt32_t *p = fdt_getprop(fdt, n, "bus-range", &len);
	assert_non_null(p);
	assert_int_equal(fdt32_to_cpu(p[0]), d->pcie.bus_start);
	assert_int_equal(fdt32_to_cpu(p[1]), d->pcie.bus_end);
	p = fdt_getprop(fdt, n, "linux,pci-domain", &len);
	assert_non_null(p);
	assert_int_equal(fdt32_to_cpu(*p), d->pcie.segment);
	p = fdt_getprop(fdt, n, "ranges", &len);
	assert_non_null(p);
	assert_int_equal(len, 3 * 7 * 4);
	for (int i = 0; i < 3; i++) {
		const fdt32_t *r = p + 7 * i;
		uint32_t space = fdt32_to_cpu(r[0]) >> 24 & 3;
		const struct vm_window *w = space == 1 ? &d->pcie.pio
					    : space == 2 ? &d->pcie.mmio32
							 : &d->pcie.mmio64;
		assert_int_not_equal(space, 0);
		assert_int_equal(cells(r + 1, 2), w->pci_base);
		assert_int_equal(cells(r + 3, 2), w->cpu_base);
		assert_int_equal(cells(r + 5, 2), w->size);
	}
	p = fdt_getprop(fdt, n, "interrupt-map", &len);
	assert_non_null(p);
	/* child unit (3) + pin (1) + parent (1) + parent unit (2) + irq (3) */
	assert_int_equal(fdt32_to_cpu(p[0]), 0);
	assert_int_equal(fdt32_to_cpu(p[3]), 1);
	assert_int_equal(fdt32_to_cpu(p[7]), 0);
	assert_int_equal(fdt32_to_cpu(p[8]), d->pcie.irq);

	n = only(fdt, "arm,armv8-timer");
	p = fdt_getprop(fdt, n, "interrupts", &len);
	assert_non_null(p);
	assert_int_equal(len, 4 * 12);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(fdt32_to_cpu(p[3 * i]), 1); /* a PPI */
		assert_int_equal(fdt32_to_cpu(p[3 * i + 1]), d->timer_ppi[i]);
	}

	/* QEMU 7.2 reports PSCI 1.1 when asked (the kernel logs "PSCIv1.1
	 * detected"); the binding's newest compatible is arm,psci-1.0 */
	n = only(fdt, "arm,psci-1.0");
	const char *method = fdt_getprop(fdt, n, "method", &len);
	assert_non_null(method);
	assert_string_equal(method, d->psci.conduit == VM_PSCI_HVC ? "hvc" : "smc");
	assert_int_equal(d->psci.version >> 16, 1);
}

static void test_defaults_match_qemu(void **state)
{
	(void)state;
	struct vm_desc d;
	uint64_t base, size;
	int n;

	/* -M virt,gic-version=3: the ITS is on unless its=off */
	vm_default(&d, VM_ARM64);
	void *fdt = qemu_dtb("gic-version=3");
	n = only(fdt, "arm,gic-v3");
	reg(fdt, n, 0, &base, &size);
	assert_int_equal(base, d.gicd_base);
	assert_int_equal(size, 0x10000);
	reg(fdt, n, 1, &base, &size);
	assert_int_equal(base, d.gicr_base);
	assert_int_equal(size, d.gicr_size);
	n = only(fdt, "arm,gic-v3-its");
	assert_true(d.its);
	reg(fdt, n, 0, &base, &size);
	assert_int_equal(base, d.its_base);
	assert_int_equal(size, 0x20000);
	same_board(fdt, &d);
	free(fdt);

	fdt = qemu_dtb("gic-version=3,its=off");
	assert_true(fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3-its") < 0);
	free(fdt);

	/* GICv2: what a description asking for version 2 gets */
	assert_int_equal(parse(&d, "{\"gic\":{\"version\":2}}"), 0);
	valid(&d);
	assert_int_equal(d.irqchip, VM_GICV2);
	fdt = qemu_dtb("gic-version=2");
	n = only(fdt, "arm,cortex-a15-gic");
	reg(fdt, n, 0, &base, &size);
	assert_int_equal(base, d.gicd_base);
	reg(fdt, n, 1, &base, &size);
	assert_int_equal(base, d.gicc_base);
	n = only(fdt, "arm,gic-v2m-frame");
	assert_true(d.its);
	reg(fdt, n, 0, &base, &size);
	assert_int_equal(base, d.its_base);
	same_board(fdt, &d);
	free(fdt);
}

/* ---- vm_validate, one rule at a time -------------------------------------- */

struct rule {
	enum vm_arch arch;
	const char *field;
};

/* Break rule k of a default description; false past the last rule. */
static bool break_rule(struct vm_desc *d, int k, struct rule *r)
{
#define CASE(n, a, fld, stmt)               \
	case n:                             \
		vm_default(d, a);           \
		r->arch = a, r->field = fld; \
		stmt;                       \
		return true;
#define A VM_ARM64
#define X VM_X86_64
	switch (k) {
	CASE(0, A, "arch", d->arch = 0)
	CASE(1, A, "arch", d->arch = 3)
	CASE(2, A, "cpus", d->cpus = 0)
	CASE(3, X, "cpus", d->cpus = VM_CPUS_MAX + 1)
	CASE(4, A, "topology.cores", (d->sockets = 1, d->clusters = 1, d->threads = 1))
	CASE(5, A, "topology.threads", (d->cpus = 4, d->sockets = 2, d->clusters = 1, d->cores = 2))
	CASE(6, A, "topology", (d->cpus = 4, d->sockets = 2, d->clusters = 1, d->cores = 1,
				d->threads = 1))
	CASE(7, A, "topology", (d->cpus = 4, d->sockets = 0xffff, d->clusters = 0xffff,
				d->cores = 0xffff, d->threads = 0xffff))
	CASE(8, A, "topology.sockets", d->clusters = 1)
	CASE(9, A, "topology.clusters", (d->sockets = 1, d->cores = 1, d->threads = 1))
	CASE(10, A, "memory.size", d->mem_size = 0)
	CASE(11, A, "memory.size", d->mem_size = GIB + 0x100000)
	CASE(12, A, "memory.base", d->mem_base = GIB + 0x100000)
	CASE(13, A, "memory.size", (d->mem_base = 0xffffffffffe00000ull, d->mem_size = 0x400000))
	CASE(14, A, "numa.nodes", d->nodes = 1)
	CASE(15, A, "numa.nodes", d->nodes = VM_NODES_MAX + 1)
	CASE(16, A, "numa.nodes[].memory", (d->nodes = 2, d->node[0].mem_size = GIB,
					    d->node[0].cpus = 1))
	CASE(17, A, "numa.nodes[].memory", (d->nodes = 2, d->node[0].mem_size = GIB / 2,
					    d->node[1].mem_size = GIB / 2 + 0x100000))
	CASE(18, A, "numa.nodes[].memory", (d->nodes = 2, d->node[0].mem_size = GIB,
					    d->node[1].mem_size = GIB, d->node[0].cpus = 1))
	CASE(19, A, "numa.nodes[].memory", (d->nodes = 2, d->node[0].mem_size = GIB / 4,
					    d->node[1].mem_size = GIB / 4, d->node[0].cpus = 1))
	CASE(20, A, "numa.nodes[].cpus", (d->nodes = 2, d->node[0].mem_size = GIB / 2,
					  d->node[1].mem_size = GIB / 2, d->node[0].cpus = 1,
					  d->node[1].cpus = 1))
	CASE(21, A, "gic.version", d->irqchip = VM_APIC)
	CASE(22, A, "cpus", (d->irqchip = VM_GICV2, d->cpus = 9))
	CASE(23, A, "gic.distributor", (d->irqchip = VM_GICV2, d->gicd_base += 0x800))
	CASE(24, A, "gic.cpu_interface", (d->irqchip = VM_GICV2, d->gicc_base += 0x800))
	CASE(25, A, "gic.its_base", (d->irqchip = VM_GICV2, d->its_base = 0x08020800))
	CASE(26, A, "gic.distributor", d->gicd_base += 0x1000)
	CASE(27, A, "gic.redistributor", d->gicr_base += 0x1000)
	CASE(28, A, "gic.redistributor_size", d->gicr_size += 0x10000)
	CASE(29, A, "gic.redistributor_size", d->cpus = 124)
	CASE(30, A, "gic.its_base", d->its_base += 0x1000)
	CASE(31, A, "timer.interrupts", d->timer_ppi[2] = 16)
	CASE(32, A, "timer.interrupts", d->timer_ppi[3] = 13)
	CASE(33, A, "psci.version", d->psci.version = 0x10002)
	CASE(34, A, "psci.version", d->psci.version = 1)
	CASE(35, A, "psci.conduit", d->psci.conduit = 0)
	CASE(36, A, "uart.type", d->uart.kind = VM_UART_16550)
	CASE(37, A, "uart.base", d->uart.base += 0x100)
	CASE(38, A, "rtc.base", d->rtc.base += 0x100)
	CASE(39, A, "uart.clock", d->uart.clock_hz = 0)
	CASE(40, X, "apic", d->irqchip = VM_GICV3)
	CASE(41, X, "apic.lapic", d->lapic_base += 0x10)
	CASE(42, X, "apic.ioapic", d->ioapic_base += 0x10)
	CASE(43, X, "apic.ioapic_id", d->ioapic_id = 256)
	CASE(44, X, "uart.type", d->uart.kind = VM_UART_PL011)
	CASE(45, X, "uart.base", d->uart.base = 0xfff9)
	CASE(46, X, "rtc.base", d->rtc.base = 0x10000)
	CASE(47, X, "uart.irq", d->uart.irq = 0)
	CASE(48, X, "uart.irq", d->uart.irq = 2)
	CASE(49, X, "uart.irq", d->uart.irq = 16)
	CASE(50, X, "rtc.irq", d->rtc.irq = 2)
	CASE(51, X, "rtc.irq", d->rtc.irq = 4)
	CASE(52, X, "pcie.irq", d->pcie.irq = 21)
	CASE(53, X, "pcie.pio", d->pcie.pio.pci_base = 0)
	CASE(54, X, "pcie.pio", d->pcie.pio.size = 0xf400)
	CASE(55, X, "pcie.mmio32", d->pcie.mmio32.cpu_base = 0xc0100000)
	CASE(56, X, "memory.size", d->mem_size = 4 * GIB)
	CASE(57, X, "pcie.mmio32", (d->virtio.count = 2, d->virtio.base = 0xd0000000,
				    d->virtio.irq = 5))
	CASE(58, X, "virtio.irq", (d->virtio.count = 2, d->virtio.base = 0xa0000000,
				   d->virtio.irq = 23))
	CASE(59, X, "rtc.base", d->uart.base = 0x6c)
	CASE(60, X, "pcie.pio", d->uart.base = 0x1000)
	CASE(61, X, "memory.size", d->lapic_base = 0x3ff00000)
	CASE(62, A, "virtio.count", d->virtio.count = VM_VIRTIO_MAX + 1)
	CASE(63, A, "virtio.stride", d->virtio.stride = 0x100)
	CASE(64, A, "virtio.stride", d->virtio.stride = 0x300)
	CASE(65, A, "virtio.stride", d->virtio.stride = 1ull << 63)
	CASE(66, A, "virtio.base", d->virtio.base += 0x100)
	CASE(67, A, "virtio.irq", d->virtio.irq = 988 - 31)
	CASE(68, A, "virtio.irq", d->virtio.irq = 2)
	CASE(69, A, "pcie.segment", d->pcie.segment = 0x10000)
	CASE(70, A, "pcie.bus_end", d->pcie.bus_end = 256)
	CASE(71, A, "pcie.bus_start", (d->pcie.bus_start = 5, d->pcie.bus_end = 4))
	CASE(72, A, "pcie.ecam", d->pcie.ecam_base += 0x80000)
	CASE(73, A, "pcie.ecam", (d->pcie.ecam_base = 0, d->pcie.bus_start = 1))
	CASE(74, A, "pcie.mmio32", d->pcie.mmio32.size += 0x800)
	CASE(75, A, "pcie.mmio32", (d->pcie.mmio32.pci_base = 0xfffff000,
				    d->pcie.mmio32.size = 0x2000))
	CASE(76, A, "pcie.mmio32", d->pcie.mmio32.pci_base = 0x100000000ull)
	CASE(77, A, "pcie.mmio64", d->pcie.mmio64.pci_base = 0xfffffffffff00000ull)
	CASE(78, A, "pcie.mmio64", d->pcie.mmio64.cpu_base = 0xfffffffffff00000ull)
	CASE(79, A, "pcie.pio", (d->pcie.pio.pci_base = 0xffff0000, d->pcie.pio.size = 0x20000))
	CASE(80, A, "pcie.mmio32", d->pcie.mmio32.cpu_base = 0x09000000)
	CASE(81, A, "memory.size", d->pcie.ecam_base = GIB)
	CASE(82, A, "pcie.pio", d->pcie.pio.cpu_base = 0x0a000000)
	CASE(83, A, "pcie.irq", d->pcie.irq = 1)
	CASE(84, A, "rtc.irq", d->rtc.irq = 1)
	CASE(85, A, "pcie.irq", d->virtio.irq = 6)
	CASE(86, A, "uart.irq", d->uart.irq = 988)
	CASE(87, A, "pcie.irq", d->pcie.irq = 985)
	CASE(88, A, "gic.redistributor", d->gicr_base = 0xffffffffff100000ull)
	CASE(89, A, "uart.base", d->uart.base = 0x08000000)
	CASE(90, A, "rtc.base", d->rtc.base = 0x09000000)
	CASE(91, A, "gic.its_base", d->its_base = 0x080a0000)
	CASE(92, A, "gic.cpu_interface", (d->irqchip = VM_GICV2, d->gicc_base = 0x08000000))
	CASE(93, A, "gic.its_base", (d->irqchip = VM_GICV2, d->its_base = 0x08011000))
	CASE(94, A, "virtio.base", d->virtio.base = 0x09010000)
	CASE(95, A, "chosen.bootargs", memset(d->chosen.bootargs, 'a', VM_BOOTARGS_MAX))
	CASE(96, A, "chosen.initrd", d->chosen.initrd_start = 0x48000000)
	CASE(97, A, "chosen.initrd", (d->chosen.initrd_start = 0x48000000,
				      d->chosen.initrd_end = 0x48000000))
	CASE(98, A, "chosen.initrd", (d->chosen.initrd_start = 0x3ff00000,
				      d->chosen.initrd_end = 0x48000000))
	CASE(99, A, "chosen.initrd", (d->chosen.initrd_start = 0x48000000,
				      d->chosen.initrd_end = 0x80000001))
	CASE(100, A, "chosen.rng_seed", d->chosen.rng_seed_len = VM_RNG_SEED_MAX + 1)
	CASE(101, A, "acpi.oem_id", memset(d->acpi.oem_id, 0, 7))
	CASE(102, A, "acpi.oem_id", d->acpi.oem_id[1] = 1)
	CASE(103, A, "acpi.oem_id", memcpy(d->acpi.oem_id, "ABCDEFG", 7))
	CASE(104, A, "acpi.oem_id", memcpy(d->acpi.oem_id, "AB\0C\0\0", 7))
	CASE(105, A, "acpi.oem_table_id", d->acpi.oem_table_id[0] = (char)0x80)
	CASE(106, A, "acpi.oem_table_id", memcpy(d->acpi.oem_table_id, "ABCDEFGHI", 9))
	CASE(107, X, "acpi.oem_table_id", memset(d->acpi.oem_table_id, 0, 9))
	CASE(108, X, "pcie.bus_start", d->pcie.bus_start = 256)
	CASE(109, X, "virtio.stride", (d->virtio.count = 1, d->virtio.base = 0xa0000000,
				       d->virtio.stride = 0, d->virtio.irq = 5))
	CASE(110, A, "memory.size", d->mem_base = 0x08000000)
	CASE(111, X, "virtio.irq", (d->virtio.count = 2, d->virtio.base = 0xa0000000,
				    d->virtio.irq = 1))
	CASE(112, X, "pcie.irq", d->pcie.irq = 0)
	CASE(113, X, "virtio.irq", (d->virtio.count = 1, d->virtio.base = 0xa0000000,
				    d->virtio.irq = 2))
	/* q35's PIRQA..H take eight GSIs from pcie.irq */
	CASE(114, X, "pcie.irq", d->pcie.irq = 17)
	CASE(115, X, "pcie.irq", (d->virtio.count = 1, d->virtio.base = 0xa0000000,
				    d->virtio.irq = 23))
	/* a GIC frame at 0 would read back from the MADT as absent */
	CASE(116, A, "gic.distributor", d->gicd_base = 0)
	CASE(117, A, "gic.its_base", d->its_base = 0)
	CASE(118, A, "gic.cpu_interface", (d->irqchip = VM_GICV2, d->gicc_base = 0))
	CASE(119, A, "gic.redistributor", d->gicr_base = 0)
	default:
		return false;
	}
#undef CASE
#undef A
#undef X
}

static void test_validate_rules(void **state)
{
	(void)state;
	struct vm_desc d;
	struct rule r;
	char what[32];
	int k;

	for (k = 0; break_rule(&d, k, &r); k++) {
		snprintf(what, sizeof(what), "rule %d", k);
		validate_fails(&d, r.field, what);
	}
	assert_int_equal(k, 120);

	/* at each limit, still valid */
	vm_default(&d, VM_ARM64);
	d.cpus = 123;
	valid(&d);
	d.cpus = 8;
	d.irqchip = VM_GICV2;
	d.its_base = 0x08020000;
	valid(&d);
	vm_default(&d, VM_ARM64);
	d.cpus = VM_CPUS_MAX;
	d.gicr_base = 0x4000000000ull;   /* QEMU's second redistributor region */
	d.gicr_size = VM_CPUS_MAX * 0x20000ull;
	d.sockets = 2, d.clusters = 16, d.cores = 8, d.threads = 2;
	valid(&d);
	vm_default(&d, VM_ARM64);
	d.virtio.irq = 988 - 32;
	d.uart.irq = 0;
	d.timer_ppi[0] = 15;
	d.timer_ppi[1] = 0;
	d.nodes = VM_NODES_MAX;
	for (unsigned i = 0; i < VM_NODES_MAX; i++)
		d.node[i].mem_size = GIB / VM_NODES_MAX, d.node[i].cpus = i == 3;
	d.chosen.initrd_start = GIB;
	d.chosen.initrd_end = 2 * GIB;
	d.chosen.rng_seed_len = VM_RNG_SEED_MAX;
	memset(d.chosen.bootargs, 'a', VM_BOOTARGS_MAX - 1);
	memcpy(d.acpi.oem_id, "~ !x\0\0", 7);
	memcpy(d.acpi.oem_table_id, "12345678", 9);
	d.rtc.present = false;
	d.rtc.irq = 1;      /* an absent RTC claims nothing */
	d.pcie.present = false;
	d.pcie.irq = 1;
	d.psci.version = 2;
	d.psci.conduit = VM_PSCI_SMC;
	valid(&d);
	vm_default(&d, VM_X86_64);
	d.cpus = VM_CPUS_MAX;
	d.uart.irq = 15;
	d.rtc.irq = 1;
	d.pcie.irq = 16;  /* the highest: PIRQH on GSI 23 */
	d.pcie.mmio64.size = 0;  /* an absent window claims nothing */
	d.pcie.mmio32.size = 0;
	d.virtio.count = 1, d.virtio.base = 0xc0000000, d.virtio.irq = 5;
	valid(&d);

	memset(&fault, 0, sizeof(fault));
	assert_int_equal(vm_validate(NULL, &fault), FWK_ERR_INVAL);
	assert_int_equal(vm_validate(NULL, NULL), FWK_ERR_INVAL);
	vm_default(&d, VM_ARM64);
	d.cpus = 0;
	assert_int_equal(vm_validate(&d, NULL), FWK_ERR_BADFIELD);
}

/* ---- a writer for every member, and reading it back ------------------------ */

struct out {
	char b[8192];
	size_t n;
	unsigned style; /* how the next integer is written */
};

static void emit(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emit(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(o->b + o->n, sizeof(o->b) - o->n, fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < sizeof(o->b) - o->n);
	o->n += (size_t)n;
}

/* An integer as a number, a hex string, a decimal string or with a suffix,
 * in turn. */
static void num(struct out *o, const char *key, uint64_t v)
{
	switch (o->style++ % 5) {
	case 0:
		emit(o, "\"%s\":%llu,", key, (unsigned long long)v);
		break;
	case 1:
		emit(o, "\"%s\":\"0x%llx\",", key, (unsigned long long)v);
		break;
	case 2:
		emit(o, "\"%s\":\"%llu\",", key, (unsigned long long)v);
		break;
	case 3:
		if (v && v % (1ull << 20) == 0) {
			emit(o, "\"%s\":\"%lluM\",", key, (unsigned long long)(v >> 20));
			break;
		}
		/* fall through */
	default:
		emit(o, " \"%s\" : \"0X%llX\" ,", key, (unsigned long long)v);
		break;
	}
}

static void str(struct out *o, const char *key, const char *s, size_t cap)
{
	emit(o, "\"%s\":\"", key);
	for (size_t i = 0; i < cap && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			emit(o, "\\%c", c);
		else if (c < 0x20 || c == 0x7f || c == '/')
			emit(o, "\\u%04x", c);
		else
			emit(o, "%c", c);
	}
	emit(o, "\",");
}

static void end(struct out *o, const char *close)
{
	if (o->b[o->n - 1] == ',')
		o->n--;
	emit(o, "%s", close);
}

static void window(struct out *o, const char *key, const struct vm_window *w)
{
	emit(o, "\"%s\":{", key);
	num(o, "cpu", w->cpu_base);
	num(o, "pci", w->pci_base);
	num(o, "size", w->size);
	end(o, "},");
}

static const char *to_json(const struct vm_desc *d, struct out *o)
{
	static const char *const psci[] = { "0.2", "1.0", "1.1" };
	o->n = 0;
	emit(o, "{\"arch\":\"%s\",", d->arch == VM_ARM64 ? "arm64" : "x86_64");
	num(o, "cpus", d->cpus);
	emit(o, "\"topology\":{");
	num(o, "sockets", d->sockets);
	num(o, "clusters", d->clusters);
	num(o, "cores", d->cores);
	num(o, "threads", d->threads);
	end(o, "},\"memory\":{");
	num(o, "base", d->mem_base);
	num(o, "size", d->mem_size);
	end(o, "},\"numa\":{\"nodes\":[");
	for (uint32_t i = 0; i < d->nodes; i++) {
		emit(o, "{");
		num(o, "memory", d->node[i].mem_size);
		num(o, "cpus", d->node[i].cpus);
		end(o, "},");
	}
	end(o, "]},");
	if (d->arch == VM_ARM64) {
		emit(o, "\"gic\":{");
		num(o, "version", d->irqchip);
		emit(o, "\"its\":%s,", d->its ? "true" : "false");
		num(o, "distributor", d->gicd_base);
		num(o, "redistributor", d->gicr_base);
		num(o, "redistributor_size", d->gicr_size);
		num(o, "cpu_interface", d->gicc_base);
		num(o, "its_base", d->its_base);
		end(o, "},\"timer\":{\"interrupts\":[");
		for (int i = 0; i < 4; i++)
			emit(o, i % 2 ? "\"%u\"," : "%u,", d->timer_ppi[i]);
		end(o, "]},\"psci\":{");
		emit(o, "\"version\":\"%s\",",
		     psci[d->psci.version == 2 ? 0 : d->psci.version == 0x10000 ? 1 : 2]);
		emit(o, "\"conduit\":\"%s\"},", d->psci.conduit == VM_PSCI_HVC ? "hvc" : "smc");
	} else {
		emit(o, "\"apic\":{");
		num(o, "lapic", d->lapic_base);
		num(o, "ioapic", d->ioapic_base);
		num(o, "ioapic_id", d->ioapic_id);
		end(o, "},");
	}
	emit(o, "\"uart\":{\"type\":\"%s\",", d->uart.kind == VM_UART_PL011 ? "pl011" : "16550");
	num(o, "base", d->uart.base);
	num(o, "irq", d->uart.irq);
	num(o, "clock", d->uart.clock_hz);
	end(o, "},");
	if (d->rtc.present) {
		emit(o, "\"rtc\":{");
		num(o, "base", d->rtc.base);
		num(o, "irq", d->rtc.irq);
		end(o, "},");
	} else {
		emit(o, "\"rtc\":false,");
	}
	emit(o, "\"virtio\":{");
	num(o, "count", d->virtio.count);
	num(o, "base", d->virtio.base);
	num(o, "stride", d->virtio.stride);
	num(o, "irq", d->virtio.irq);
	end(o, "},");
	if (d->pcie.present) {
		emit(o, "\"pcie\":{");
		num(o, "segment", d->pcie.segment);
		num(o, "ecam", d->pcie.ecam_base);
		num(o, "bus_start", d->pcie.bus_start);
		num(o, "bus_end", d->pcie.bus_end);
		window(o, "mmio32", &d->pcie.mmio32);
		window(o, "mmio64", &d->pcie.mmio64);
		window(o, "pio", &d->pcie.pio);
		num(o, "irq", d->pcie.irq);
		end(o, "},");
	} else {
		emit(o, "\"pcie\":false,");
	}
	emit(o, "\"chosen\":{");
	str(o, "bootargs", d->chosen.bootargs, VM_BOOTARGS_MAX);
	emit(o, "\"initrd\":{");
	num(o, "start", d->chosen.initrd_start);
	num(o, "end", d->chosen.initrd_end);
	end(o, "},");
	emit(o, "\"stdout\":%s,\"rng_seed\":\"", d->chosen.stdout ? "true" : "false");
	for (uint32_t i = 0; i < d->chosen.rng_seed_len; i++)
		emit(o, i % 2 ? "%02X" : "%02x", d->chosen.rng_seed[i]);
	emit(o, "\"},\"acpi\":{");
	str(o, "oem_id", d->acpi.oem_id, 6);
	str(o, "oem_table_id", d->acpi.oem_table_id, 8);
	num(o, "oem_revision", d->acpi.oem_revision);
	end(o, "}}");
	return o->b;
}

/* Member k of a default description changed to a value no default has;
 * false past the last. */
static bool change(struct vm_desc *d, int k)
{
#define CASE(n, a, stmt)          \
	case n:                   \
		vm_default(d, a); \
		stmt;             \
		return true;
#define A VM_ARM64
#define X VM_X86_64
	switch (k) {
	CASE(0, A, (void)0)
	CASE(1, X, (void)0)
	CASE(2, A, d->cpus = 77)
	CASE(3, A, d->sockets = 3)
	CASE(4, A, d->clusters = 5)
	CASE(5, A, d->cores = 7)
	CASE(6, A, d->threads = 11)
	CASE(7, X, d->mem_base = 0x1234567800000ull)
	CASE(8, A, d->mem_size = 0xffffffffffffffffull)
	CASE(9, A, (d->nodes = 2, d->node[0].mem_size = 5, d->node[1].cpus = 6))
	CASE(10, A, (d->nodes = 8, d->node[7].mem_size = 1ull << 40, d->node[6].cpus = 9))
	CASE(11, A, d->irqchip = VM_GICV2)
	CASE(12, A, d->irqchip = 99)
	CASE(13, A, d->its = false)
	CASE(14, A, d->gicd_base = 0xfedcba9876543210ull)
	CASE(15, A, d->gicr_base = 1)
	CASE(16, A, d->gicr_size = 2)
	CASE(17, A, d->gicc_base = 3)
	CASE(18, A, d->its_base = 4)
	CASE(19, X, d->lapic_base = 5)
	CASE(20, X, d->ioapic_base = 6)
	CASE(21, X, d->ioapic_id = 0xffffffff)
	CASE(22, A, (d->timer_ppi[0] = 1, d->timer_ppi[3] = 4000000000u))
	CASE(23, A, d->uart.kind = VM_UART_16550)
	CASE(24, X, d->uart.kind = VM_UART_PL011)
	CASE(25, A, d->uart.base = 8)
	CASE(26, A, d->uart.irq = 9)
	CASE(27, A, d->uart.clock_hz = 10)
	CASE(28, A, d->rtc.present = false)
	CASE(29, X, d->rtc.base = 11)
	CASE(30, X, d->rtc.irq = 12)
	CASE(31, A, d->virtio.count = 13)
	CASE(32, X, d->virtio.base = 14)
	CASE(33, X, d->virtio.stride = 15)
	CASE(34, X, d->virtio.irq = 16)
	CASE(35, X, d->pcie.present = false)
	CASE(36, A, d->pcie.segment = 17)
	CASE(37, A, d->pcie.ecam_base = 18)
	CASE(38, A, d->pcie.bus_start = 19)
	CASE(39, A, d->pcie.bus_end = 20)
	CASE(40, A, d->pcie.mmio32.cpu_base = 21)
	CASE(41, A, d->pcie.mmio32.pci_base = 22)
	CASE(42, A, d->pcie.mmio32.size = 23)
	CASE(43, X, d->pcie.mmio64.cpu_base = 24)
	CASE(44, X, d->pcie.mmio64.pci_base = 25)
	CASE(45, X, d->pcie.mmio64.size = 26)
	CASE(46, X, d->pcie.pio.cpu_base = 27)
	CASE(47, X, d->pcie.pio.pci_base = 28)
	CASE(48, X, d->pcie.pio.size = 29)
	CASE(49, A, d->pcie.irq = 30)
	CASE(50, A, d->psci.version = 2)
	CASE(51, A, d->psci.version = 0x10000)
	CASE(52, A, d->psci.conduit = VM_PSCI_SMC)
	CASE(53, A, strcpy(d->chosen.bootargs, "root=/dev/vda \"quoted\" back\\slash\ttab/\x7f"))
	CASE(54, X, memset(d->chosen.bootargs, '~', VM_BOOTARGS_MAX - 1))
	CASE(55, A, d->chosen.initrd_start = 31)
	CASE(56, A, d->chosen.initrd_end = 32)
	CASE(57, A, d->chosen.stdout = false)
	CASE(58, A, (d->chosen.rng_seed_len = 3, memcpy(d->chosen.rng_seed, "\x00\xff\x5a", 3)))
	CASE(59, X, (d->chosen.rng_seed_len = VM_RNG_SEED_MAX,
		     memset(d->chosen.rng_seed, 0xc3, VM_RNG_SEED_MAX)))
	CASE(60, X, memcpy(d->acpi.oem_id, "BOCHS ", 7))
	CASE(61, X, memcpy(d->acpi.oem_table_id, "BXPC    ", 9))
	CASE(62, A, memcpy(d->acpi.oem_id, "\"\\/\t\0\0", 7))
	CASE(63, A, memcpy(d->acpi.oem_table_id, "a\0\0\0\0\0\0\0", 9))
	CASE(64, A, d->acpi.oem_revision = 0xffffffff)
	CASE(65, X, d->cpus = 0)
	CASE(66, A, d->pcie.mmio64.size = 0)
	default:
		return false;
	}
#undef CASE
#undef A
#undef X
}

static void test_every_member_round_trips(void **state)
{
	(void)state;
	static struct out o;
	struct vm_desc d, back;
	int k;

	for (k = 0; change(&d, k); k++) {
		const char *text = to_json(&d, &o);
		memset(&back, 0x5a, sizeof(back));
		if (parse(&back, text) != 0)
			fail_msg("member %d: %s: %s at %llu in\n%s", k, fault.field, fault.detail,
				 (unsigned long long)fault.offset, text);
		if (memcmp(&back, &d, sizeof(d)) != 0) {
			size_t at = 0;
			while (((uint8_t *)&back)[at] == ((uint8_t *)&d)[at])
				at++;
			fail_msg("member %d does not round-trip (byte %zu of the struct):\n%s", k,
				 at, text);
		}
	}
	assert_int_equal(k, 67);

	/* all at once, with other spellings of the same values */
	vm_default(&d, VM_ARM64);
	for (k = 2; k < 67; k++) {
		struct vm_desc one;
		change(&one, k);
		if (one.arch == VM_X86_64 || k == 50) /* 50 and 51 share psci.version */
			continue;
		/* take every field where one differs from the default */
		struct vm_desc base;
		vm_default(&base, VM_ARM64);
		uint8_t *a = (uint8_t *)&d;
		const uint8_t *b = (const uint8_t *)&one, *c = (const uint8_t *)&base;
		for (size_t i = 0; i < sizeof(d); i++)
			if (b[i] != c[i])
				a[i] = b[i];
	}
	for (unsigned style = 0; style < 5; style++) {
		o.style = style;
		const char *text = to_json(&d, &o);
		memset(&back, 0, sizeof(back));
		assert_int_equal(parse(&back, text), 0);
		assert_memory_equal(&back, &d, sizeof(d));
	}

	/* members absent: defaults; empty containers */
	struct vm_desc def;
	vm_default(&def, VM_ARM64);
	assert_int_equal(parse(&back, " {\n}\r\n\t"), 0);
	assert_memory_equal(&back, &def, sizeof(def));
	assert_int_equal(parse(&back, "{\"topology\":{},\"numa\":{\"nodes\":[]},\"uart\":{}}"), 0);
	assert_memory_equal(&back, &def, sizeof(def));
	assert_int_equal(parse(&back, "{\"rtc\":true,\"pcie\":true,\"chosen\":{\"initrd\":false}}"), 0);
	assert_memory_equal(&back, &def, sizeof(def));
	assert_int_equal(parse(&back, "{\"rtc\":false,\"pcie\":false,\"virtio\":false}"), 0);
	assert_false(back.rtc.present);
	assert_false(back.pcie.present);
	assert_int_equal(back.virtio.count, 0);
	assert_int_equal(parse(&back, "{\"pcie\":{\"mmio64\":false}}"), 0);
	assert_true(back.pcie.present);
	assert_int_equal(back.pcie.mmio64.size, 0);
	assert_int_equal(back.pcie.mmio64.cpu_base, 0);
	assert_int_equal(parse(&back, "{\"chosen\":{\"rng_seed\":\"\"}}"), 0);
	assert_int_equal(back.chosen.rng_seed_len, 0);

	/* escapes, and suffixes */
	assert_int_equal(parse(&back, "{\"chosen\":{\"bootargs\":\"\\u0041\\u007e\\b\\f\\n\\r\\t\\/\"}}"), 0);
	assert_string_equal(back.chosen.bootargs, "A~\b\f\n\r\t/");
	assert_int_equal(parse(&back, "{\"\\u0063pus\":3,\"memory\":{\"size\":\"3k\",\"base\":\"1T\"}}"), 0);
	assert_int_equal(back.cpus, 3);
	assert_int_equal(back.mem_size, 3072);
	assert_int_equal(back.mem_base, 1ull << 40);
	assert_int_equal(parse(&back, "{\"memory\":{\"size\":\"0x10m\",\"base\":\"16777215T\"}}"), 0);
	assert_int_equal(back.mem_size, 16ull << 20);
	assert_int_equal(back.mem_base, 16777215ull << 40);
	assert_int_equal(parse(&back, "{\"memory\":{\"size\":18446744073709551615,"
				      "\"base\":\"0xffffffffffffffff\"}}"), 0);
	assert_int_equal(back.mem_size, UINT64_MAX);
	assert_int_equal(back.mem_base, UINT64_MAX);
	assert_int_equal(parse(&back, "{\"cpus\":4294967295,\"acpi\":{\"oem_revision\":\"0xffffffff\"}}"), 0);
	assert_int_equal(back.cpus, UINT32_MAX);
	assert_int_equal(back.acpi.oem_revision, UINT32_MAX);
}

/* "arch" decides the defaults wherever it stands; "gic.version" 2 takes
 * QEMU's GICv2 layout. */
static void test_arch_first(void **state)
{
	(void)state;
	struct vm_desc d, want;

	assert_int_equal(parse(&d, "{\"cpus\":2,\"uart\":{\"irq\":3},\"arch\":\"x86_64\"}"), 0);
	vm_default(&want, VM_X86_64);
	want.cpus = 2;
	want.uart.irq = 3;
	assert_memory_equal(&d, &want, sizeof(d));
	valid(&d);

	assert_int_equal(parse(&d, "{\"gic\":{\"its_base\":\"0x08030000\",\"version\":2}}"), 0);
	assert_int_equal(d.irqchip, VM_GICV2);
	assert_int_equal(d.its_base, 0x08030000);
	assert_int_equal(parse(&d, "{\"gic\":{\"version\":2,\"its\":false}}"), 0);
	assert_false(d.its);
	valid(&d);
	assert_int_equal(parse(&d, "{\"gic\":{\"version\":3}}"), 0);
	vm_default(&want, VM_ARM64);
	assert_memory_equal(&d, &want, sizeof(d));

	/* members of the other arch */
	parse_fails("{\"gic\":{},\"arch\":\"x86_64\"}", FWK_ERR_BADFIELD, "gic", 1);
	parse_fails("{\"arch\":\"x86_64\",\"timer\":{}}", FWK_ERR_BADFIELD, "timer", 17);
	parse_fails("{\"arch\":\"x86_64\",\"psci\":{}}", FWK_ERR_BADFIELD, "psci", 17);
	parse_fails("{\"apic\":{}}", FWK_ERR_BADFIELD, "apic", 1);
	parse_fails("{\"arch\":\"arm64\",\"apic\":{}}", FWK_ERR_BADFIELD, "apic", 16);
}

/* ---- the example files ---------------------------------------------------- */

static void test_examples(void **state)
{
	(void)state;
	struct vm_desc d;
	size_t len;
	char *t;

	t = example("vm-arm64.json", &len);
	assert_int_equal(vm_parse_json(&d, t, len, &fault), 0);
	valid(&d);
	assert_int_equal(d.arch, VM_ARM64);
	assert_int_equal(d.cpus, 4);
	assert_int_equal(d.cores, 4);
	assert_int_equal(d.mem_size, 2 * GIB);
	assert_int_equal(d.pcie.mmio64.size, 0x8000000000ull);
	assert_int_equal(d.pcie.pio.size, 0x10000);
	assert_int_equal(d.chosen.rng_seed_len, 16);
	assert_int_equal(d.chosen.rng_seed[15], 0xff);
	assert_int_equal(d.chosen.initrd_end, 0x48800000);
	assert_string_equal(d.chosen.bootargs, "console=ttyAMA0 earlycon=pl011,0x09000000");
	/* the rest is the default, spelled out */
	struct vm_desc def;
	vm_default(&def, VM_ARM64);
	def.cpus = 4, def.sockets = 1, def.clusters = 1, def.cores = 4, def.threads = 1;
	def.mem_size = 2 * GIB;
	memcpy(def.chosen.bootargs, d.chosen.bootargs, sizeof(d.chosen.bootargs));
	def.chosen.initrd_start = 0x48000000, def.chosen.initrd_end = 0x48800000;
	memcpy(def.chosen.rng_seed, d.chosen.rng_seed, 16);
	def.chosen.rng_seed_len = 16;
	assert_memory_equal(&d, &def, sizeof(d));
	free(t);

	t = example("vm-x86_64.json", &len);
	assert_int_equal(vm_parse_json(&d, t, len, &fault), 0);
	valid(&d);
	assert_int_equal(d.arch, VM_X86_64);
	assert_int_equal(d.cpus, 2);
	assert_memory_equal(d.acpi.oem_id, "BOCHS \0", 7);
	assert_memory_equal(d.acpi.oem_table_id, "BXPC    \0", 9);
	assert_int_equal(d.acpi.oem_revision, 2);
	assert_int_equal(d.virtio.count, 0);
	vm_default(&def, VM_X86_64);
	def.cpus = 2;
	memcpy(def.acpi.oem_id, "BOCHS ", 7);
	memcpy(def.acpi.oem_table_id, "BXPC    ", 9);
	def.acpi.oem_revision = 2;
	strcpy(def.chosen.bootargs, "console=ttyS0");
	assert_memory_equal(&d, &def, sizeof(d));
	free(t);

	t = example("vm-arm64-numa.json", &len);
	assert_int_equal(vm_parse_json(&d, t, len, &fault), 0);
	valid(&d);
	assert_int_equal(d.nodes, 2);
	assert_int_equal(d.node[0].mem_size, GIB);
	assert_int_equal(d.node[1].mem_size, GIB);
	assert_int_equal(d.node[0].cpus, 2);
	assert_int_equal(d.node[1].cpus, 2);
	assert_int_equal(d.sockets, 2);
	assert_int_equal(d.virtio.count, 4);
	assert_int_equal(d.virtio.base, 0x0a000000);
	free(t);
}

/* ---- malformed text --------------------------------------------------------- */

/* Top-level members of a pretty-printed example: where each key ends and
 * its value ends. */
struct top {
	char name[24];
	size_t key_end, value_end;
	bool number;
};

static size_t tops_of(const char *t, size_t len, struct top *tops, size_t cap)
{
	size_t n = 0, depth = 0;
	bool in_str = false;

	for (size_t i = 0; i < len; i++) {
		char c = t[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = false;
			continue;
		}
		if (c == '"' && depth == 1) {
			/* a key: read it, then the value to its end */
			size_t k = i + 1, j = 0;
			assert_true(n < cap);
			struct top *tp = &tops[n++];
			while (t[k] != '"')
				tp->name[j++] = t[k++];
			tp->name[j] = 0;
			tp->key_end = k + 1;
			k++;
			while (t[k] == ' ' || t[k] == ':')
				k++;
			tp->number = (t[k] >= '0' && t[k] <= '9') || t[k] == '-';
			/* to the comma or brace that ends the value at depth 1 */
			size_t d = 0, last = k;
			bool s = false;
			for (; k < len; k++) {
				char e = t[k];
				if (s) {
					if (e == '\\')
						k++;
					else if (e == '"')
						s = false;
					last = k;
					continue;
				}
				if (e == '"')
					s = true;
				else if (e == '{' || e == '[')
					d++;
				else if ((e == '}' || e == ']') && d > 0)
					d--;
				else if (d == 0 && (e == ',' || e == '}'))
					break;
				if (e != ' ' && e != '\n')
					last = k;
			}
			tp->value_end = last + 1;
			i = k - 1;
			continue;
		}
		if (c == '"')
			in_str = true;
		else if (c == '{' || c == '[')
			depth++;
		else if (c == '}' || c == ']')
			depth--;
	}
	return n;
}

static void truncate_example(const char *name)
{
	struct top tops[32];
	struct vm_desc d;
	size_t len;
	char *t = example(name, &len);
	size_t ntops = tops_of(t, len, tops, 32), last = len;

	assert_true(ntops >= 8);
	while (t[last - 1] != '}')
		last--;
	for (size_t cut = 0; cut <= len; cut++) {
		char *c = (char *)exact_copy(t, cut);
		memset(&fault, 0, sizeof(fault));
		int rc = vm_parse_json(&d, c, cut, &fault);
		free(c);
		if (cut >= last) {
			assert_int_equal(rc, 0);
			continue;
		}
		const char *want = "(top level)";
		for (size_t k = 0; k < ntops; k++)
			if (cut >= tops[k].key_end &&
			    (cut < tops[k].value_end || (cut == tops[k].value_end && tops[k].number)))
				want = tops[k].name;
		size_t wl = strlen(want);
		if (rc != FWK_ERR_TRUNCATED || fault.offset != cut || !fault.field ||
		    strncmp(fault.field, want, wl) != 0 ||
		    (fault.field[wl] != 0 && fault.field[wl] != '.'))
			fail_msg("%s cut at %zu: got %d %s @%llu, want truncated in %s", name, cut, rc,
				 fault.field ? fault.field : "(null)",
				 (unsigned long long)fault.offset, want);
	}
	free(t);
}

static void test_truncation_everywhere(void **state)
{
	(void)state;
	truncate_example("vm-arm64.json");
	truncate_example("vm-x86_64.json");
	truncate_example("vm-arm64-numa.json");

	/* the exact member at a few cuts */
	parse_fails("", FWK_ERR_TRUNCATED, "(top level)", 0);
	parse_fails("  \n", FWK_ERR_TRUNCATED, "(top level)", 3);
	parse_fails("{\"cpus\"", FWK_ERR_TRUNCATED, "cpus", 7);
	parse_fails("{\"cpus\":", FWK_ERR_TRUNCATED, "cpus", 8);
	parse_fails("{\"cpus\":12", FWK_ERR_TRUNCATED, "cpus", 10);
	parse_fails("{\"cpus\":12 ", FWK_ERR_TRUNCATED, "(top level)", 11);
	parse_fails("{\"cpus\":\"12", FWK_ERR_TRUNCATED, "cpus", 11);
	parse_fails("{\"gic\":{\"its\":tr", FWK_ERR_TRUNCATED, "gic.its", 16);
	parse_fails("{\"rtc\":fa", FWK_ERR_TRUNCATED, "rtc", 9);
	parse_fails("{\"rtc\":false", FWK_ERR_TRUNCATED, "(top level)", 12);
	parse_fails("{\"gic\":{\"it", FWK_ERR_TRUNCATED, "gic", 11);
	parse_fails("{\"gic\":{", FWK_ERR_TRUNCATED, "gic", 8);
	parse_fails("{\"timer\":{\"interrupts\":[1,", FWK_ERR_TRUNCATED, "timer.interrupts", 26);
	parse_fails("{\"numa\":{\"nodes\":[{\"memory\":\"1", FWK_ERR_TRUNCATED,
		    "numa.nodes[].memory", 30);
	parse_fails("{\"numa\":{\"nodes\":[{", FWK_ERR_TRUNCATED, "numa.nodes[]", 19);
	parse_fails("{\"chosen\":{\"bootargs\":\"a\\", FWK_ERR_TRUNCATED, "chosen.bootargs", 25);
	parse_fails("{\"chosen\":{\"bootargs\":\"a\\u00", FWK_ERR_TRUNCATED, "chosen.bootargs", 28);
	parse_fails("{\"uart\":{\"type\":\"pl", FWK_ERR_TRUNCATED, "uart.type", 19);
}

static void test_malformed(void **state)
{
	(void)state;
	/* not an object, bytes after it */
	parse_fails("[]", FWK_ERR_BADFIELD, "(top level)", 0);
	parse_fails("null", FWK_ERR_BADFIELD, "(top level)", 0);
	parse_fails("\xef\xbb\xbf{}", FWK_ERR_BADFIELD, "(top level)", 0);
	parse_fails("{} {}", FWK_ERR_BADFIELD, "(top level)", 3);
	parse_fails("{}x", FWK_ERR_BADFIELD, "(top level)", 2);
	{
		struct vm_desc d;
		assert_int_equal(vm_parse_json(&d, "{}\0", 3, &fault), FWK_ERR_BADFIELD);
		assert_int_equal(fault.offset, 2);
		assert_int_equal(vm_parse_json(&d, "{\0}", 3, &fault), FWK_ERR_BADFIELD);
		assert_int_equal(fault.offset, 1);
		assert_int_equal(vm_parse_json(NULL, "{}", 2, &fault), FWK_ERR_INVAL);
		assert_int_equal(vm_parse_json(&d, NULL, 2, &fault), FWK_ERR_INVAL);
		assert_int_equal(vm_parse_json(&d, NULL, 0, NULL), FWK_ERR_TRUNCATED);
	}

	/* structure */
	parse_fails("{cpus:1}", FWK_ERR_BADFIELD, "(top level)", 1);
	parse_fails("{'cpus':1}", FWK_ERR_BADFIELD, "(top level)", 1);
	parse_fails("{\"cpus\" 1}", FWK_ERR_BADFIELD, "cpus", 8);
	parse_fails("{\"cpus\":1,}", FWK_ERR_BADFIELD, "(top level)", 10);
	parse_fails("{\"cpus\":1 \"arch\":\"arm64\"}", FWK_ERR_BADFIELD, "(top level)", 10);
	parse_fails("{,}", FWK_ERR_BADFIELD, "(top level)", 1);
	parse_fails("{\"timer\":{\"interrupts\":[1,2,3,4,]}}", FWK_ERR_LIMIT,
		    "timer.interrupts", 32);
	parse_fails("{\"timer\":{\"interrupts\":[1 2]}}", FWK_ERR_BADFIELD, "timer.interrupts", 26);
	parse_fails("{\"timer\":{\"interrupts\":[1,2,3]}}", FWK_ERR_BADFIELD, "timer.interrupts", 29);
	parse_fails("{\"timer\":{\"interrupts\":[]}}", FWK_ERR_BADFIELD, "timer.interrupts", 24);
	parse_fails("{\"timer\":{\"interrupts\":[1,2,3,4,5]}}", FWK_ERR_LIMIT, "timer.interrupts", 32);
	parse_fails("{\"numa\":{\"nodes\":[{},{},{},{},{},{},{},{},{}]}}", FWK_ERR_LIMIT,
		    "numa.nodes", 42);
	parse_fails("{\"numa\":{\"nodes\":[{\"memory\":1},]}}", FWK_ERR_BADFIELD, "numa.nodes[]", 31);

	/* unknown and duplicate members */
	parse_fails("{\"cpu\":1}", FWK_ERR_BADFIELD, "(top level)", 1);
	parse_fails("{\"CPUS\":1}", FWK_ERR_BADFIELD, "(top level)", 1);
	parse_fails("{\"cpus \":1}", FWK_ERR_BADFIELD, "(top level)", 1);
	parse_fails("{\"\":1}", FWK_ERR_BADFIELD, "(top level)", 1);
	parse_fails("{\"a_very_long_member_name_indeed\":1}", FWK_ERR_BADFIELD, "(top level)", 1);
	parse_fails("{\"gic\":{\"versions\":3}}", FWK_ERR_BADFIELD, "gic", 8);
	parse_fails("{\"gic\":{\"cpus\":3}}", FWK_ERR_BADFIELD, "gic", 8);
	parse_fails("{\"memory\":{\"memory\":3}}", FWK_ERR_BADFIELD, "memory", 11);
	parse_fails("{\"numa\":{\"nodes\":[{\"cpu\":1}]}}", FWK_ERR_BADFIELD, "numa.nodes[]", 19);
	parse_fails("{\"pcie\":{\"mmio32\":{\"base\":1}}}", FWK_ERR_BADFIELD, "pcie.mmio32", 19);
	parse_fails("{\"cpus\":1,\"cpus\":1}", FWK_ERR_BADFIELD, "cpus", 10);
	parse_fails("{\"cpus\":1,\"c\\u0070us\":2}", FWK_ERR_BADFIELD, "cpus", 10);
	parse_fails("{\"gic\":{\"its\":true,\"its\":false}}", FWK_ERR_BADFIELD, "gic.its", 19);
	parse_fails("{\"gic\":{},\"gic\":{}}", FWK_ERR_BADFIELD, "gic", 10);
	parse_fails("{\"numa\":{\"nodes\":[{\"cpus\":1,\"cpus\":1}]}}", FWK_ERR_BADFIELD,
		    "numa.nodes[].cpus", 28);
	/* the same member in two objects is no duplicate */
	{
		struct vm_desc d;
		assert_int_equal(parse(&d, "{\"numa\":{\"nodes\":[{\"cpus\":1},{\"cpus\":1}]}}"), 0);
		assert_int_equal(d.nodes, 2);
		assert_int_equal(parse(&d, "{\"uart\":{\"base\":0},\"rtc\":{\"base\":0}}"), 0);
	}

	/* strings: escapes, control characters, non-ASCII */
	parse_fails("{\"chosen\":{\"bootargs\":\"a\\x\"}}", FWK_ERR_BADFIELD, "chosen.bootargs", 24);
	parse_fails("{\"chosen\":{\"bootargs\":\"\\u00e9\"}}", FWK_ERR_BADFIELD, "chosen.bootargs", 23);
	parse_fails("{\"chosen\":{\"bootargs\":\"\\u0000\"}}", FWK_ERR_BADFIELD, "chosen.bootargs", 23);
	parse_fails("{\"chosen\":{\"bootargs\":\"\\ud83d\\ude00\"}}", FWK_ERR_BADFIELD,
		    "chosen.bootargs", 23);
	parse_fails("{\"chosen\":{\"bootargs\":\"\\u12g4\"}}", FWK_ERR_BADFIELD, "chosen.bootargs", 23);
	parse_fails("{\"chosen\":{\"bootargs\":\"\\U0041\"}}", FWK_ERR_BADFIELD, "chosen.bootargs", 23);
	parse_fails("{\"chosen\":{\"bootargs\":\"a\nb\"}}", FWK_ERR_BADFIELD, "chosen.bootargs", 24);
	parse_fails("{\"chosen\":{\"bootargs\":\"caf\xc3\xa9\"}}", FWK_ERR_BADFIELD,
		    "chosen.bootargs", 26);
	parse_fails("{\"c\\pus\":1}", FWK_ERR_BADFIELD, "(top level)", 3);
	parse_fails("{\"cp\xffus\":1}", FWK_ERR_BADFIELD, "(top level)", 4);
	parse_fails("{\"acpi\":{\"oem_id\":\"1234567\"}}", FWK_ERR_LIMIT, "acpi.oem_id", 18);
	parse_fails("{\"acpi\":{\"oem_table_id\":\"123456789\"}}", FWK_ERR_LIMIT,
		    "acpi.oem_table_id", 24);
	{
		static char big[VM_BOOTARGS_MAX + 64];
		struct vm_desc d;
		int n = snprintf(big, sizeof(big), "{\"chosen\":{\"bootargs\":\"");
		memset(big + n, 'x', VM_BOOTARGS_MAX - 1);
		strcpy(big + n + VM_BOOTARGS_MAX - 1, "\"}}");
		assert_int_equal(parse(&d, big), 0);
		assert_int_equal(strlen(d.chosen.bootargs), VM_BOOTARGS_MAX - 1);
		big[n + VM_BOOTARGS_MAX - 1] = 'x';
		strcpy(big + n + VM_BOOTARGS_MAX, "\"}}");
		parse_fails(big, FWK_ERR_LIMIT, "chosen.bootargs", 22);
	}
	parse_fails("{\"chosen\":{\"rng_seed\":\"abc\"}}", FWK_ERR_BADFIELD, "chosen.rng_seed", 22);
	parse_fails("{\"chosen\":{\"rng_seed\":\"0g\"}}", FWK_ERR_BADFIELD, "chosen.rng_seed", 22);
	{
		char seed[300];
		snprintf(seed, sizeof(seed), "{\"chosen\":{\"rng_seed\":\"%0130d\"}}", 0);
		parse_fails(seed, FWK_ERR_LIMIT, "chosen.rng_seed", 22);
	}
	parse_fails("{\"arch\":\"aarch64\"}", FWK_ERR_BADFIELD, "arch", 8);
	parse_fails("{\"arch\":\"arm\"}", FWK_ERR_BADFIELD, "arch", 8);
	parse_fails("{\"arch\":\"arm64 \"}", FWK_ERR_BADFIELD, "arch", 8);
	parse_fails("{\"arch\":\"\"}", FWK_ERR_BADFIELD, "arch", 8);
	parse_fails("{\"arch\":\"x86_64_and_more\"}", FWK_ERR_BADFIELD, "arch", 8);
	parse_fails("{\"uart\":{\"type\":\"PL011\"}}", FWK_ERR_BADFIELD, "uart.type", 16);
	parse_fails("{\"psci\":{\"version\":\"1.2\"}}", FWK_ERR_BADFIELD, "psci.version", 19);
	parse_fails("{\"psci\":{\"version\":1.1}}", FWK_ERR_BADFIELD, "psci.version", 19);
	parse_fails("{\"psci\":{\"conduit\":\"hvc\\u0000\"}}", FWK_ERR_BADFIELD, "psci.conduit", 23);

	/* wrong types */
	parse_fails("{\"cpus\":\"four\"}", FWK_ERR_BADFIELD, "cpus", 8);
	parse_fails("{\"cpus\":true}", FWK_ERR_BADFIELD, "cpus", 8);
	parse_fails("{\"cpus\":null}", FWK_ERR_BADFIELD, "cpus", 8);
	parse_fails("{\"cpus\":[4]}", FWK_ERR_BADFIELD, "cpus", 8);
	parse_fails("{\"cpus\":{\"n\":4}}", FWK_ERR_BADFIELD, "cpus", 8);
	parse_fails("{\"cpus\":\"\"}", FWK_ERR_BADFIELD, "cpus", 8);
	parse_fails("{\"cpus\":\"0x\"}", FWK_ERR_BADFIELD, "cpus", 8);
	parse_fails("{\"cpus\":\"G\"}", FWK_ERR_BADFIELD, "cpus", 8);
	parse_fails("{\"cpus\":\"4MK\"}", FWK_ERR_BADFIELD, "cpus", 8);
	parse_fails("{\"cpus\":\" 4\"}", FWK_ERR_BADFIELD, "cpus", 8);
	parse_fails("{\"cpus\":\"-4\"}", FWK_ERR_BADFIELD, "cpus", 8);
	parse_fails("{\"cpus\":\"0x1g0\"}", FWK_ERR_BADFIELD, "cpus", 8);
	parse_fails("{\"gic\":{\"its\":1}}", FWK_ERR_BADFIELD, "gic.its", 14);
	parse_fails("{\"gic\":{\"its\":\"true\"}}", FWK_ERR_BADFIELD, "gic.its", 14);
	parse_fails("{\"gic\":3}", FWK_ERR_BADFIELD, "gic", 7);
	parse_fails("{\"gic\":true}", FWK_ERR_BADFIELD, "gic", 7);
	parse_fails("{\"virtio\":true}", FWK_ERR_BADFIELD, "virtio", 10);
	parse_fails("{\"virtio\":null}", FWK_ERR_BADFIELD, "virtio", 10);
	parse_fails("{\"rtc\":null}", FWK_ERR_BADFIELD, "rtc", 7);
	parse_fails("{\"rtc\":[]}", FWK_ERR_BADFIELD, "rtc", 7);
	parse_fails("{\"timer\":{\"interrupts\":{}}}", FWK_ERR_BADFIELD, "timer.interrupts", 23);
	parse_fails("{\"timer\":{\"interrupts\":[1,true,3,4]}}", FWK_ERR_BADFIELD,
		    "timer.interrupts", 26);
	parse_fails("{\"numa\":{\"nodes\":[1]}}", FWK_ERR_BADFIELD, "numa.nodes[]", 18);
	parse_fails("{\"numa\":[]}", FWK_ERR_BADFIELD, "numa", 8);
	parse_fails("{\"chosen\":{\"bootargs\":42}}", FWK_ERR_BADFIELD, "chosen.bootargs", 22);
	parse_fails("{\"chosen\":{\"initrd\":true}}", FWK_ERR_BADFIELD, "chosen.initrd", 20);
	parse_fails("{\"acpi\":{\"oem_id\":[]}}", FWK_ERR_BADFIELD, "acpi.oem_id", 18);
	parse_fails("{\"acpi\":{\"oem_id\":nul}}", FWK_ERR_BADFIELD, "acpi.oem_id", 18);

	/* deep nesting stops at the first value of the wrong kind */
	{
		static char deep[20000];
		size_t n = (size_t)snprintf(deep, sizeof(deep), "{\"cpus\":");
		memset(deep + n, '[', 10000);
		deep[n + 10000] = 0;
		parse_fails(deep, FWK_ERR_BADFIELD, "cpus", 8);
		memset(deep, '[', 10000);
		deep[10000] = 0;
		parse_fails(deep, FWK_ERR_BADFIELD, "(top level)", 0);
		memset(deep, '{', 10000);
		parse_fails(deep, FWK_ERR_BADFIELD, "(top level)", 1);
		n = (size_t)snprintf(deep, sizeof(deep),
				     "{\"numa\":{\"nodes\":[{\"memory\":{\"memory\":[[[[{}]]]]}}]}}");
		parse_fails(deep, FWK_ERR_BADFIELD, "numa.nodes[].memory", 28);
		parse_fails("{\"numa\":{\"nodes\":[[]]}}", FWK_ERR_BADFIELD, "numa.nodes[]", 18);
	}

	/* numbers */
	parse_fails("{\"cpus\":-1}", FWK_ERR_RANGE, "cpus", 8);
	parse_fails("{\"cpus\":01}", FWK_ERR_BADFIELD, "cpus", 8);
	parse_fails("{\"cpus\":00}", FWK_ERR_BADFIELD, "cpus", 8);
	parse_fails("{\"cpus\":1.0}", FWK_ERR_BADFIELD, "cpus", 8);
	parse_fails("{\"cpus\":1e2}", FWK_ERR_BADFIELD, "cpus", 8);
	parse_fails("{\"cpus\":1E2}", FWK_ERR_BADFIELD, "cpus", 8);
	parse_fails("{\"cpus\":+1}", FWK_ERR_BADFIELD, "cpus", 8);
	parse_fails("{\"cpus\":0x10}", FWK_ERR_BADFIELD, "(top level)", 9);
	parse_fails("{\"cpus\":4294967296}", FWK_ERR_RANGE, "cpus", 8);
	parse_fails("{\"cpus\":\"0x100000000\"}", FWK_ERR_RANGE, "cpus", 8);
	parse_fails("{\"cpus\":\"4G\"}", FWK_ERR_RANGE, "cpus", 8);
	parse_fails("{\"memory\":{\"size\":18446744073709551616}}", FWK_ERR_RANGE, "memory.size", 18);
	parse_fails("{\"memory\":{\"size\":99999999999999999999999}}", FWK_ERR_RANGE,
		    "memory.size", 18);
	parse_fails("{\"memory\":{\"size\":\"18446744073709551616\"}}", FWK_ERR_RANGE,
		    "memory.size", 18);
	parse_fails("{\"memory\":{\"size\":\"0x10000000000000000\"}}", FWK_ERR_RANGE,
		    "memory.size", 18);
	parse_fails("{\"memory\":{\"size\":\"16777216T\"}}", FWK_ERR_RANGE, "memory.size", 18);
	parse_fails("{\"memory\":{\"size\":\"0x00000000000000000000000001\"}}", FWK_ERR_RANGE,
		    "memory.size", 18);
	parse_fails("{\"gic\":{\"version\":4294967299}}", FWK_ERR_RANGE, "gic.version", 18);
	parse_fails("{\"numa\":{\"nodes\":[{\"cpus\":-0}]}}", FWK_ERR_RANGE, "numa.nodes[].cpus", 26);
	parse_fails("{\"timer\":{\"interrupts\":[1,2,3,99999999999]}}", FWK_ERR_RANGE,
		    "timer.interrupts", 30);
}

/* A parsed description that vm_validate refuses names the same member. */
static void test_parse_then_validate(void **state)
{
	(void)state;
	static const struct {
		const char *text, *field;
	} cases[] = {
		{ "{\"cpus\":0}", "cpus" },
		{ "{\"topology\":{\"threads\":2}}", "topology.sockets" },
		{ "{\"memory\":{\"size\":\"1000K\"}}", "memory.size" },
		{ "{\"numa\":{\"nodes\":[{\"memory\":\"1G\",\"cpus\":1}]}}", "numa.nodes" },
		{ "{\"numa\":{\"nodes\":[{\"memory\":\"1G\",\"cpus\":1},{\"cpus\":0}]}}",
		  "numa.nodes[].memory" },
		{ "{\"gic\":{\"version\":4}}", "gic.version" },
		{ "{\"gic\":{\"redistributor_size\":\"64K\"}}", "gic.redistributor_size" },
		{ "{\"timer\":{\"interrupts\":[1,2,3,3]}}", "timer.interrupts" },
		{ "{\"uart\":{\"type\":\"16550\"}}", "uart.type" },
		{ "{\"virtio\":{\"count\":33}}", "virtio.count" },
		{ "{\"pcie\":{\"bus_start\":300}}", "pcie.bus_start" },
		{ "{\"pcie\":{\"bus_end\":300}}", "pcie.bus_end" },
		{ "{\"pcie\":{\"mmio32\":{\"cpu\":\"0x09000000\"}}}", "pcie.mmio32" },
		{ "{\"chosen\":{\"initrd\":{\"start\":1}}}", "chosen.initrd" },
		{ "{\"acpi\":{\"oem_id\":\"\"}}", "acpi.oem_id" },
		{ "{\"acpi\":{\"oem_table_id\":\"a\\tb\"}}", "acpi.oem_table_id" },
		{ "{\"arch\":\"x86_64\",\"uart\":{\"irq\":8}}", "rtc.irq" },
		{ "{\"arch\":\"x86_64\",\"apic\":{\"ioapic_id\":256}}", "apic.ioapic_id" },
		{ "{\"arch\":\"x86_64\",\"virtio\":{\"count\":1,\"base\":\"0xfec00000\",\"irq\":5}}",
		  "virtio.base" },
	};
	struct vm_desc d;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (parse(&d, cases[i].text) != 0)
			fail_msg("%s: %s: %s", cases[i].text, fault.field, fault.detail);
		validate_fails(&d, cases[i].field, cases[i].text);
	}
}

/* ---- fuzz regressions ----------------------------------------------------- */

static void test_fuzz_regressions(void **state)
{
	(void)state;
	char dir[PATH_MAX + 64];
	snprintf(dir, sizeof(dir), "%s/tests/fuzz/regressions/vm_desc", root);
	DIR *dp = opendir(dir);
	if (!dp)
		return; /* no crash was ever found */
	struct dirent *e;
	while ((e = readdir(dp)) != NULL) {
		char path[2 * PATH_MAX];
		struct vm_desc d;
		size_t len;
		if (e->d_name[0] == '.' || strncmp(e->d_name, "README", 6) == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		uint8_t *b = slurp(path, &len);
		memset(&fault, 0, sizeof(fault));
		int rc = vm_parse_json(&d, (const char *)b, len, &fault);
		if (rc == 0) {
			rc = vm_validate(&d, &fault);
		}
		if (rc != 0) {
			assert_non_null(fault.field);
			assert_non_null(fault.detail);
			assert_true(fault.offset <= len);
		}
		free(b);
	}
	closedir(dp);
}

static int setup(void **state)
{
	(void)state;
	const char *env = getenv("FWKIT_ROOT");

	if (!realpath(env && *env ? env : ".", root)) {
		fprintf(stderr, "test_vm_desc: no repository root\n");
		return -1;
	}
	char probe[PATH_MAX + 64];
	snprintf(probe, sizeof(probe), "%s/docs/examples/vm-arm64.json", root);
	if (access(probe, R_OK) != 0) {
		fprintf(stderr, "test_vm_desc: %s is missing (run from the repository root or "
				"set FWKIT_ROOT)\n", probe);
		return -1;
	}
	if (sh("command -v qemu-system-aarch64 >/dev/null") != 0) {
		fprintf(stderr, "test_vm_desc needs qemu-system-aarch64 (qemu-system-arm) to "
				"compare the defaults with QEMU's virt board\n");
		return -1;
	}
	tmp = temp_dir("vm-desc");
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
		cmocka_unit_test(test_defaults_validate),
		cmocka_unit_test(test_defaults_match_qemu),
		cmocka_unit_test(test_validate_rules),
		cmocka_unit_test(test_every_member_round_trips),
		cmocka_unit_test(test_arch_first),
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_truncation_everywhere),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_parse_then_validate),
		cmocka_unit_test(test_fuzz_regressions),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

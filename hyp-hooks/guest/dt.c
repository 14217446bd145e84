/* SPDX-License-Identifier: MIT */
/*
 * dt.c - the device tree of an arm64 guest, written from a struct vm_desc
 * with libfdt's sequential writer, one function per node.
 *
 * The tree follows QEMU 7.2 virt's own (same node names, properties and
 * interrupt encodings, so a guest sees the same machine), minus what a
 * vm_desc does not describe (flash, fw-cfg, pl061/gpio-keys, PMU,
 * platform-bus).  Cell sizes: 2/2 at the root and in the GIC; interrupts
 * are <type number flags> with type 0 = SPI, 1 = PPI and flags 4 = level
 * high, 1 = edge rising.  Nodes, in this order:
 *
 *   /                 compatible "linux,dummy-virt", model "fwkit arm64
 *                     virtual machine", #address-cells 2, #size-cells 2,
 *                     interrupt-parent <GIC>
 *   /psci             "arm,psci-1.0", "arm,psci-0.2", "arm,psci" (from 1.0)
 *                     or "arm,psci-0.2", "arm,psci" (0.2); method "hvc" |
 *                     "smc"
 *   /memory@BASE      one per NUMA node with RAM (numa-node-id when nodes
 *                     >= 2), else one for all of RAM; device_type "memory"
 *   /cpus             #address-cells 1 (2 when an MPIDR needs 64 bits),
 *                     #size-cells 0
 *     cpu@MPIDR       device_type "cpu", compatible "arm,armv8", reg MPIDR,
 *                     enable-method "psci", phandle, numa-node-id (NUMA)
 *     cpu-map         socketS/clusterC/coreK[/threadT] { cpu = <&cpu> },
 *                     only when the description gives a topology
 *   /distance-map     "numa-distance-map-v1", the full matrix (10 local, 20
 *                     remote), only when nodes >= 2
 *   /intc@GICD        GICv3: "arm,gic-v3", reg GICD 64 KiB + the one
 *                     redistributor region, #redistributor-regions 1;
 *                     GICv2: "arm,cortex-a15-gic", reg GICD + GICC 64 KiB
 *                     each; both: #interrupt-cells 3, interrupt-controller,
 *                     empty ranges with 2/2 cells (interrupt-map needs the
 *                     parent's #address-cells), phandle
 *     its@BASE        GICv3 with its: "arm,gic-v3-its", 128 KiB,
 *                     msi-controller, #msi-cells 1
 *     v2m@BASE        GICv2 with its: "arm,gic-v2m-frame", 4 KiB,
 *                     msi-controller
 *   /timer            "arm,armv8-timer", "arm,armv7-timer", always-on, the
 *                     four PPIs level high; on GICv2 the flags carry the CPU
 *                     mask ((1 << cpus) - 1) << 8
 *   /apb-pclk         "fixed-clock", #clock-cells 0, clock-frequency the
 *                     UART's clock (24 MHz by default)
 *   /pl011@BASE       "arm,pl011", "arm,primecell", 4 KiB, SPI level high,
 *                     clocks <&apb-pclk &apb-pclk> "uartclk", "apb_pclk"
 *   /pl031@BASE       "arm,pl031", "arm,primecell", 4 KiB, SPI level high,
 *                     clocks <&apb-pclk> "apb_pclk" (when the RTC is present)
 *   /virtio_mmio@A    "virtio,mmio", reg (A, stride), SPI edge rising,
 *                     dma-coherent; in ascending address order as in QEMU's
 *                     blob, so the guest numbers the devices as QEMU's does
 *   /pcie@ECAM        "pci-host-ecam-generic", device_type "pci", 3/2 cells,
 *                     #interrupt-cells 1, bus-range, linux,pci-domain, reg
 *                     the ECAM of the bus range (ecam_base is the bus
 *                     bus_start's configuration space), ranges (I/O, 32-bit,
 *                     64-bit memory), interrupt-map for slots 0..3 INTA..D
 *                     swizzled as QEMU's gpex (slot s pin p: irq + (s + p)
 *                     % 4, level high) with mask <0x1800 0 0 7>, msi-map
 *                     <0 &its 0 0x10000> when there is an ITS or v2m frame,
 *                     dma-coherent
 *   /chosen           bootargs (when not empty), linux,initrd-start/-end
 *                     (64-bit, when initrd_end), stdout-path "/pl011@BASE"
 *                     (when stdout), rng-seed (when given)
 *
 * Fixed phandles (fwkit/vm.h): the GIC 0x8001, the ITS or v2m frame 0x8002,
 * apb-pclk 0x8003, CPU n 0x1000 + n.
 *
 * The sequential writer needs no room beyond the finished tree, and
 * fdt_finish leaves it packed (totalsize == the bytes used).
 */
#include <fwkit/vm.h>

#include <libfdt.h>

/* Register window sizes QEMU virt gives these devices. */
#define GICD_SIZE 0x10000u
#define GICC_SIZE 0x10000u
#define ITS_SIZE 0x20000u
#define V2M_SIZE 0x1000u
#define PRIMECELL_SIZE 0x1000u

#define IRQ_SPI 0u
#define IRQ_PPI 1u
#define IRQ_EDGE_RISING 1u
#define IRQ_LEVEL_HIGH 4u

/* PCI address space codes of ranges' first cell (PCI bus binding). */
#define PCI_SPACE_IO 0x01000000u
#define PCI_SPACE_MEM32 0x02000000u
#define PCI_SPACE_MEM64 0x03000000u

/* The sequential writer and the first error it returned, so each node
 * function reads as a list of properties and checks once at its end. */
struct dtw {
	void *fdt;
	const struct vm_desc *d;
	int err;
};

static void note(struct dtw *w, int rc)
{
	if (rc < 0 && w->err == 0)
		w->err = rc;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* "prefix" followed by n in hex (lower case, no leading zeros) or decimal;
 * out holds at least 48 bytes and prefix is at most 24 characters. */
static void name_num(char *out, const char *prefix, uint64_t n, unsigned base)
{
	char digits[24];
	size_t i = 0, k = 0;

	while (prefix[i] != '\0') {
		out[i] = prefix[i];
		i++;
	}
	do {
		digits[k++] = "0123456789abcdef"[n % base];
		n /= base;
	} while (n != 0);
	while (k > 0)
		out[i++] = digits[--k];
	out[i] = '\0';
}

static void begin(struct dtw *w, const char *name)
{
	if (w->err == 0)
		note(w, fdt_begin_node(w->fdt, name));
}

/* Begin a node "name@" followed by addr in hex, as unit addresses are written. */
static void begin_at(struct dtw *w, const char *name, uint64_t addr)
{
	char n[48];

	name_num(n, name, addr, 16);
	begin(w, n);
}

static void end(struct dtw *w)
{
	if (w->err == 0)
		note(w, fdt_end_node(w->fdt));
}

static void prop(struct dtw *w, const char *name, const void *v, size_t len)
{
	if (w->err == 0)
		note(w, fdt_property(w->fdt, name, v, (int)len));
}

/* A string or a list of them: pass sizeof of the literal (NULs inside
 * separate the strings, the last one ends the list). */
#define prop_strs(w, name, lit) prop((w), (name), (lit), sizeof(lit))

static void prop_str(struct dtw *w, const char *name, const char *s)
{
	size_t n = 0;

	while (s[n] != '\0')
		n++;
	prop(w, name, s, n + 1);
}

static void prop_cells(struct dtw *w, const char *name, const uint32_t *c, size_t n)
{
	void *v = NULL;

	if (w->err != 0)
		return;
	note(w, fdt_property_placeholder(w->fdt, name, (int)(n * 4u), &v));
	for (size_t i = 0; w->err == 0 && i < n; i++)
		put_be32((uint8_t *)v + 4u * i, c[i]);
}

static void prop_u32(struct dtw *w, const char *name, uint32_t v)
{
	prop_cells(w, name, &v, 1);
}

/* reg of a node whose parent has 2 address and 2 size cells: n <= 2
 * (address, size) pairs. */
static void prop_reg(struct dtw *w, const uint64_t *pairs, size_t n)
{
	uint32_t c[8];

	for (size_t i = 0; i < 2u * n; i++) {
		c[2u * i] = (uint32_t)(pairs[i] >> 32);
		c[2u * i + 1u] = (uint32_t)pairs[i];
	}
	prop_cells(w, "reg", c, 4u * n);
}

static void prop_reg1(struct dtw *w, uint64_t base, uint64_t size)
{
	const uint64_t r[2] = { base, size };

	prop_reg(w, r, 1);
}

static void prop_irq(struct dtw *w, uint32_t type, uint32_t num, uint32_t flags)
{
	const uint32_t c[3] = { type, num, flags };

	prop_cells(w, "interrupts", c, 3);
}

/* ---- nodes -------------------------------------------------------------- */

static int make_root_props(struct dtw *w)
{
	prop_strs(w, "compatible", "linux,dummy-virt");
	prop_strs(w, "model", "fwkit arm64 virtual machine");
	prop_u32(w, "#address-cells", 2);
	prop_u32(w, "#size-cells", 2);
	prop_u32(w, "interrupt-parent", VM_PHANDLE_GIC);
	return w->err;
}

static int make_psci(struct dtw *w)
{
	uint32_t v = w->d->psci.version;

	/* 0.2 fixed the function ids, so no cpu_on & co. (vm_validate takes
	 * 0.2, 1.0 and 1.1 only) */
	begin(w, "psci");
	if (v >= 0x10000u)
		prop_strs(w, "compatible", "arm,psci-1.0\0arm,psci-0.2\0arm,psci");
	else
		prop_strs(w, "compatible", "arm,psci-0.2\0arm,psci");
	if (w->d->psci.conduit == VM_PSCI_SMC)
		prop_strs(w, "method", "smc");
	else
		prop_strs(w, "method", "hvc");
	end(w);
	return w->err;
}

static int make_memory(struct dtw *w, uint64_t base, uint64_t size, int node)
{
	begin_at(w, "memory@", base);
	prop_strs(w, "device_type", "memory");
	prop_reg1(w, base, size);
	if (node >= 0)
		prop_u32(w, "numa-node-id", (uint32_t)node);
	end(w);
	return w->err;
}

static int make_memories(struct dtw *w)
{
	const struct vm_desc *d = w->d;
	uint64_t base = d->mem_base;

	if (d->nodes < 2)
		return make_memory(w, d->mem_base, d->mem_size, -1);
	for (uint32_t i = 0; i < d->nodes; i++) {
		/* a node may have CPUs and no RAM of its own */
		if (d->node[i].mem_size != 0)
			make_memory(w, base, d->node[i].mem_size, (int)i);
		base += d->node[i].mem_size;
	}
	return w->err;
}

/* The MPIDR QEMU virt gives CPU i (fwkit/vm.h). */
static uint64_t cpu_mpidr(const struct vm_desc *d, uint32_t i)
{
	uint32_t per = d->irqchip == VM_GICV2 ? 8u : 16u;

	return (uint64_t)(i / per) << 8 | i % per;
}

/* The NUMA node of CPU i: nodes take CPUs in order. */
static uint32_t cpu_node(const struct vm_desc *d, uint32_t i)
{
	uint32_t first = 0;

	for (uint32_t n = 0; n < d->nodes; n++) {
		if (i - first < d->node[n].cpus)
			return n;
		first += d->node[n].cpus;
	}
	return d->nodes - 1u;
}

static int make_cpu(struct dtw *w, uint32_t i, uint32_t acells)
{
	uint64_t mpidr = cpu_mpidr(w->d, i);
	const uint32_t reg[2] = { (uint32_t)(mpidr >> 32), (uint32_t)mpidr };

	begin_at(w, "cpu@", mpidr);
	prop_strs(w, "device_type", "cpu");
	prop_strs(w, "compatible", "arm,armv8");
	prop_cells(w, "reg", reg + 2 - acells, acells);
	prop_strs(w, "enable-method", "psci");
	prop_u32(w, "phandle", VM_PHANDLE_CPU0 + i);
	if (w->d->nodes >= 2)
		prop_u32(w, "numa-node-id", cpu_node(w->d, i));
	end(w);
	return w->err;
}

static uint32_t at_least_1(uint32_t n)
{
	return n != 0 ? n : 1u;
}

/* cpu-map (Documentation/devicetree/bindings/cpu/cpu-topology.txt): the
 * CPUs in index order, socket-major; a core with threads gets a node per
 * thread, a core without holds its CPU itself. */
static int make_cpu_map(struct dtw *w)
{
	const struct vm_desc *d = w->d;
	uint32_t sockets = at_least_1(d->sockets), clusters = at_least_1(d->clusters);
	uint32_t cores = at_least_1(d->cores), threads = at_least_1(d->threads);
	uint32_t cpu = 0;
	char n[48];

	begin(w, "cpu-map");
	for (uint32_t s = 0; s < sockets; s++) {
		name_num(n, "socket", s, 10);
		begin(w, n);
		for (uint32_t c = 0; c < clusters; c++) {
			name_num(n, "cluster", c, 10);
			begin(w, n);
			for (uint32_t k = 0; k < cores; k++) {
				name_num(n, "core", k, 10);
				begin(w, n);
				for (uint32_t t = 0; t < threads && cpu < d->cpus; t++, cpu++) {
					if (threads > 1) {
						name_num(n, "thread", t, 10);
						begin(w, n);
					}
					prop_u32(w, "cpu", VM_PHANDLE_CPU0 + cpu);
					if (threads > 1)
						end(w);
				}
				end(w);
			}
			end(w);
		}
		end(w);
	}
	end(w);
	return w->err;
}

static int make_cpus(struct dtw *w)
{
	const struct vm_desc *d = w->d;
	uint32_t acells = 1;

	for (uint32_t i = 0; i < d->cpus; i++)
		if (cpu_mpidr(d, i) > 0xffffffffu)
			acells = 2;
	begin(w, "cpus");
	prop_u32(w, "#address-cells", acells);
	prop_u32(w, "#size-cells", 0);
	for (uint32_t i = 0; i < d->cpus && w->err == 0; i++)
		make_cpu(w, i, acells);
	if (d->sockets | d->clusters | d->cores | d->threads)
		make_cpu_map(w);
	end(w);
	return w->err;
}

static int make_distance_map(struct dtw *w)
{
	uint32_t m[VM_NODES_MAX * VM_NODES_MAX * 3u];
	uint32_t nodes = w->d->nodes, k = 0;

	for (uint32_t i = 0; i < nodes; i++) {
		for (uint32_t j = 0; j < nodes; j++) {
			m[k++] = i;
			m[k++] = j;
			m[k++] = i == j ? 10u : 20u;
		}
	}
	begin(w, "distance-map");
	prop_strs(w, "compatible", "numa-distance-map-v1");
	prop_cells(w, "distance-matrix", m, k);
	end(w);
	return w->err;
}

static int make_gic(struct dtw *w)
{
	const struct vm_desc *d = w->d;
	uint64_t reg[4] = { d->gicd_base, GICD_SIZE, d->gicc_base, GICC_SIZE };

	begin_at(w, "intc@", d->gicd_base);
	if (d->irqchip == VM_GICV3) {
		prop_strs(w, "compatible", "arm,gic-v3");
		reg[2] = d->gicr_base;
		reg[3] = d->gicr_size;
		prop_reg(w, reg, 2);
		prop_u32(w, "#redistributor-regions", 1);
	} else {
		prop_strs(w, "compatible", "arm,cortex-a15-gic");
		prop_reg(w, reg, 2);
	}
	prop_u32(w, "#interrupt-cells", 3);
	prop(w, "interrupt-controller", NULL, 0);
	prop_u32(w, "#address-cells", 2);
	prop_u32(w, "#size-cells", 2);
	prop(w, "ranges", NULL, 0);
	prop_u32(w, "phandle", VM_PHANDLE_GIC);
	if (d->its && d->irqchip == VM_GICV3) {
		begin_at(w, "its@", d->its_base);
		prop_strs(w, "compatible", "arm,gic-v3-its");
		prop_reg1(w, d->its_base, ITS_SIZE);
		prop(w, "msi-controller", NULL, 0);
		prop_u32(w, "#msi-cells", 1);
		prop_u32(w, "phandle", VM_PHANDLE_ITS);
		end(w);
	} else if (d->its) {
		begin_at(w, "v2m@", d->its_base);
		prop_strs(w, "compatible", "arm,gic-v2m-frame");
		prop_reg1(w, d->its_base, V2M_SIZE);
		prop(w, "msi-controller", NULL, 0);
		prop_u32(w, "phandle", VM_PHANDLE_ITS);
		end(w);
	}
	end(w);
	return w->err;
}

static int make_timer(struct dtw *w)
{
	const struct vm_desc *d = w->d;
	uint32_t flags = IRQ_LEVEL_HIGH, c[12];

	/* GICv2 PPIs name the CPUs they reach (at most 8) */
	if (d->irqchip == VM_GICV2)
		flags |= (((1u << (d->cpus < 8u ? d->cpus : 8u)) - 1u) & 0xffu) << 8;
	for (unsigned i = 0; i < 4; i++) {
		c[3 * i] = IRQ_PPI;
		c[3 * i + 1] = d->timer_ppi[i];
		c[3 * i + 2] = flags;
	}
	begin(w, "timer");
	prop_strs(w, "compatible", "arm,armv8-timer\0arm,armv7-timer");
	prop_cells(w, "interrupts", c, 12);
	prop(w, "always-on", NULL, 0);
	end(w);
	return w->err;
}

static uint32_t clock_hz(const struct vm_desc *d)
{
	return d->uart.clock_hz != 0 ? d->uart.clock_hz : 24000000u;
}

static int make_clock(struct dtw *w)
{
	begin(w, "apb-pclk");
	prop_strs(w, "compatible", "fixed-clock");
	prop_u32(w, "#clock-cells", 0);
	prop_u32(w, "clock-frequency", clock_hz(w->d));
	prop_u32(w, "phandle", VM_PHANDLE_CLK);
	end(w);
	return w->err;
}

static int make_uart(struct dtw *w)
{
	const uint32_t clocks[2] = { VM_PHANDLE_CLK, VM_PHANDLE_CLK };

	begin_at(w, "pl011@", w->d->uart.base);
	prop_strs(w, "compatible", "arm,pl011\0arm,primecell");
	prop_reg1(w, w->d->uart.base, PRIMECELL_SIZE);
	prop_irq(w, IRQ_SPI, w->d->uart.irq, IRQ_LEVEL_HIGH);
	prop_cells(w, "clocks", clocks, 2);
	prop_strs(w, "clock-names", "uartclk\0apb_pclk");
	end(w);
	return w->err;
}

static int make_rtc(struct dtw *w)
{
	begin_at(w, "pl031@", w->d->rtc.base);
	prop_strs(w, "compatible", "arm,pl031\0arm,primecell");
	prop_reg1(w, w->d->rtc.base, PRIMECELL_SIZE);
	prop_irq(w, IRQ_SPI, w->d->rtc.irq, IRQ_LEVEL_HIGH);
	prop_u32(w, "clocks", VM_PHANDLE_CLK);
	prop_strs(w, "clock-names", "apb_pclk");
	end(w);
	return w->err;
}

static int make_virtio_mmio(struct dtw *w, uint32_t n)
{
	uint64_t base = w->d->virtio.base + (uint64_t)n * w->d->virtio.stride;

	begin_at(w, "virtio_mmio@", base);
	prop_strs(w, "compatible", "virtio,mmio");
	prop_reg1(w, base, w->d->virtio.stride);
	prop_irq(w, IRQ_SPI, w->d->virtio.irq + n, IRQ_EDGE_RISING);
	prop(w, "dma-coherent", NULL, 0);
	end(w);
	return w->err;
}

/* One ranges entry: PCI address (3 cells), CPU address (2), size (2). */
static size_t pci_range(uint32_t *c, uint32_t space, const struct vm_window *win)
{
	if (win->size == 0)
		return 0;
	c[0] = space;
	c[1] = (uint32_t)(win->pci_base >> 32);
	c[2] = (uint32_t)win->pci_base;
	c[3] = (uint32_t)(win->cpu_base >> 32);
	c[4] = (uint32_t)win->cpu_base;
	c[5] = (uint32_t)(win->size >> 32);
	c[6] = (uint32_t)win->size;
	return 7;
}

static int make_pcie(struct dtw *w)
{
	const struct vm_desc *d = w->d;
	uint64_t buses = (uint64_t)d->pcie.bus_end - d->pcie.bus_start + 1u;
	uint32_t ranges[21], map[16 * 10];
	size_t nr = 0, k = 0;

	nr += pci_range(ranges + nr, PCI_SPACE_IO, &d->pcie.pio);
	nr += pci_range(ranges + nr, PCI_SPACE_MEM32, &d->pcie.mmio32);
	nr += pci_range(ranges + nr, PCI_SPACE_MEM64, &d->pcie.mmio64);
	/* child (devfn << 8, 0, 0, pin) -> GIC (0, 0, SPI, irq, level) */
	for (uint32_t slot = 0; slot < 4; slot++) {
		for (uint32_t pin = 0; pin < 4; pin++) {
			const uint32_t e[10] = { slot << 11, 0, 0, pin + 1u, VM_PHANDLE_GIC, 0, 0,
						 IRQ_SPI, d->pcie.irq + (slot + pin) % 4u,
						 IRQ_LEVEL_HIGH };

			memcpy(map + k, e, sizeof(e));
			k += 10;
		}
	}
	begin_at(w, "pcie@", d->pcie.ecam_base);
	prop_strs(w, "compatible", "pci-host-ecam-generic");
	prop_strs(w, "device_type", "pci");
	prop_u32(w, "#address-cells", 3);
	prop_u32(w, "#size-cells", 2);
	prop_u32(w, "#interrupt-cells", 1);
	prop_cells(w, "bus-range", (const uint32_t[]){ d->pcie.bus_start, d->pcie.bus_end }, 2);
	prop_u32(w, "linux,pci-domain", d->pcie.segment);
	prop_reg1(w, d->pcie.ecam_base, buses << 20);
	/* an empty ranges would mean 1:1, not "no windows" */
	if (nr != 0)
		prop_cells(w, "ranges", ranges, nr);
	prop_cells(w, "interrupt-map", map, k);
	prop_cells(w, "interrupt-map-mask", (const uint32_t[]){ 0x1800u, 0, 0, 7u }, 4);
	if (d->its)
		prop_cells(w, "msi-map", (const uint32_t[]){ 0, VM_PHANDLE_ITS, 0, 0x10000u }, 4);
	prop(w, "dma-coherent", NULL, 0);
	end(w);
	return w->err;
}

static void prop_u64(struct dtw *w, const char *name, uint64_t v)
{
	const uint32_t c[2] = { (uint32_t)(v >> 32), (uint32_t)v };

	prop_cells(w, name, c, 2);
}

static int make_chosen(struct dtw *w)
{
	const struct vm_desc *d = w->d;
	char path[48];

	begin(w, "chosen");
	if (d->chosen.bootargs[0] != '\0')
		prop_str(w, "bootargs", d->chosen.bootargs);
	if (d->chosen.initrd_end != 0) {
		prop_u64(w, "linux,initrd-start", d->chosen.initrd_start);
		prop_u64(w, "linux,initrd-end", d->chosen.initrd_end);
	}
	if (d->chosen.stdout) {
		name_num(path, "/pl011@", d->uart.base, 16);
		prop_str(w, "stdout-path", path);
	}
	if (d->chosen.rng_seed_len != 0)
		prop(w, "rng-seed", d->chosen.rng_seed, d->chosen.rng_seed_len);
	end(w);
	return w->err;
}

/* ---- the tree ----------------------------------------------------------- */

/* What the writer cannot take even from an unvalidated description: these
 * would index past the description's arrays or the bound of vm_dtb_size. */
static int dtb_refuse(const struct vm_desc *d, struct fwk_fault *f)
{
	size_t n = 0;

	if (d->arch == VM_X86_64)
		return fwk_fail(f, FWK_ERR_UNSUPPORTED, 0, "arch",
				"x86_64 guests are described by ACPI only");
	if (d->arch != VM_ARM64)
		return fwk_fail(f, FWK_ERR_INVAL, 0, "arch", "neither arm64 nor x86_64");
	if (d->irqchip != VM_GICV2 && d->irqchip != VM_GICV3)
		return fwk_fail(f, FWK_ERR_UNSUPPORTED, 0, "gic.version",
				"an arm64 guest needs GICv2 or GICv3");
	if (d->uart.kind != VM_UART_PL011)
		return fwk_fail(f, FWK_ERR_UNSUPPORTED, 0, "uart.type",
				"the arm64 device tree has a pl011 console only");
	if (d->cpus == 0 || d->cpus > VM_CPUS_MAX)
		return fwk_fail(f, FWK_ERR_LIMIT, 0, "cpus", "not between 1 and 512");
	if (d->nodes > VM_NODES_MAX)
		return fwk_fail(f, FWK_ERR_LIMIT, 0, "numa.nodes", "more than 8 NUMA nodes");
	if (d->virtio.count > VM_VIRTIO_MAX)
		return fwk_fail(f, FWK_ERR_LIMIT, 0, "virtio.count",
				"more than 32 virtio-mmio devices");
	if (d->chosen.rng_seed_len > VM_RNG_SEED_MAX)
		return fwk_fail(f, FWK_ERR_LIMIT, 0, "chosen.rng_seed",
				"longer than 64 bytes");
	while (n < VM_BOOTARGS_MAX && d->chosen.bootargs[n] != '\0')
		n++;
	if (n == VM_BOOTARGS_MAX)
		return fwk_fail(f, FWK_ERR_BADFIELD, 0, "chosen.bootargs",
				"not NUL-terminated within 1024 bytes");
	if (d->pcie.present && d->pcie.bus_end < d->pcie.bus_start)
		return fwk_fail(f, FWK_ERR_BADFIELD, 0, "pcie.bus_start", "after pcie.bus_end");
	return 0;
}

/*
 * The bound: header, reservation map and strings (every property name once,
 * under 600 bytes) plus each node at its largest (its name with a 16-digit
 * unit address, each property's 12-byte header and value): under 4 KiB of
 * fixed nodes, 1036 of bootargs, 192 cells of distance matrix; a CPU's node
 * under 160 bytes and its share of cpu-map under 100; a memory node or a
 * virtio-mmio node under 128.
 */
size_t vm_dtb_size(const struct vm_desc *d)
{
	if (d->arch != VM_ARM64)
		return 0;
	return 8192u + 256u * (size_t)(d->cpus < VM_CPUS_MAX ? d->cpus : VM_CPUS_MAX) +
	       128u * (VM_NODES_MAX + VM_VIRTIO_MAX);
}

static int dtb_write(struct dtw *w)
{
	const struct vm_desc *d = w->d;

	note(w, fdt_finish_reservemap(w->fdt));
	begin(w, "");
	make_root_props(w);
	make_psci(w);
	make_memories(w);
	make_cpus(w);
	if (d->nodes >= 2)
		make_distance_map(w);
	make_gic(w);
	make_timer(w);
	make_clock(w);
	make_uart(w);
	if (d->rtc.present)
		make_rtc(w);
	for (uint32_t n = 0; n < d->virtio.count && w->err == 0; n++)
		make_virtio_mmio(w, n);
	if (d->pcie.present)
		make_pcie(w);
	make_chosen(w);
	end(w);
	if (w->err == 0)
		note(w, fdt_finish(w->fdt));
	return w->err;
}

int vm_dtb(const struct vm_desc *d, void *buf, size_t cap, size_t *len, struct fwk_fault *f)
{
	struct dtw w = { buf, d, 0 };
	int rc;

	if (len)
		*len = 0;
	if (!d || !len || (!buf && cap != 0))
		return fwk_fail(f, FWK_ERR_INVAL, 0, "buf", "no description, buffer or length");
	rc = dtb_refuse(d, f);
	if (rc < 0)
		return rc;
	/* libfdt sizes are ints: more than that is more than any tree needs */
	if (cap > 0x7fffffffu)
		cap = 0x7fffffffu;
	if (cap < sizeof(struct fdt_header))
		return fwk_fail(f, FWK_ERR_NOSPACE, 0, "cap", "smaller than a tree header");
	note(&w, fdt_create(buf, (int)cap));
	if (w.err == 0)
		dtb_write(&w);
	if (w.err < 0) {
		/* a half-written tree must not pass for one */
		memset(buf, 0, 4);
		if (w.err == -FDT_ERR_NOSPACE)
			return fwk_fail(f, FWK_ERR_NOSPACE, cap, "cap",
					"too small for the device tree (vm_dtb_size gives enough)");
		return fwk_fail(f, FWK_ERR_INVAL, 0, "dtb", "libfdt refused a node or property");
	}
	*len = fdt_totalsize(buf);
	return 0;
}

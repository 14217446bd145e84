/* SPDX-License-Identifier: MIT */
/* desc.c - the VM description: QEMU's machines as defaults, the checks a
 * description must pass, and its strict JSON reader (docs/vm-description.md). */
#include <fwkit/vm.h>

#define KIB 0x400ull
#define MIB 0x100000ull
#define GIB 0x40000000ull

/* The reader writes enums as 32-bit values. */
_Static_assert(sizeof(enum vm_arch) == 4 && sizeof(enum vm_irqchip) == 4 &&
	       sizeof(enum vm_uart_kind) == 4 && sizeof(enum vm_psci_conduit) == 4,
	       "enums are 32-bit");

static void put_str(char *dst, const char *src, size_t cap)
{
	memset(dst, 0, cap);
	for (size_t i = 0; i + 1 < cap && src[i]; i++)
		dst[i] = src[i];
}

static void put_window(struct vm_window *w, uint64_t cpu, uint64_t pci, uint64_t size)
{
	w->cpu_base = cpu;
	w->pci_base = pci;
	w->size = size;
}

/* QEMU 7.2's virt board (hw/arm/virt.c's memory map, as -M
 * virt,gic-version=3,dumpdtb= shows it: ITS on, PSCI 1.1 over HVC) and its
 * q35 machine (the tables a q35 guest reads, 1 GiB, 1 CPU). */
void vm_default(struct vm_desc *d, enum vm_arch arch)
{
	memset(d, 0, sizeof(*d));
	d->arch = arch;
	d->cpus = 1;
	d->mem_size = GIB;
	d->virtio.stride = 0x200;
	d->rtc.present = true;
	d->pcie.present = true;
	d->pcie.bus_end = 255;
	d->chosen.stdout = true;
	put_str(d->acpi.oem_id, "FWKIT ", sizeof(d->acpi.oem_id));
	put_str(d->acpi.oem_table_id, "FWKITVM ", sizeof(d->acpi.oem_table_id));
	d->acpi.oem_revision = 1;
	if (arch == VM_X86_64) {
		d->irqchip = VM_APIC;
		d->lapic_base = 0xfee00000;
		d->ioapic_base = 0xfec00000;
		d->uart.kind = VM_UART_16550;
		d->uart.base = 0x3f8;
		d->uart.irq = 4;
		d->uart.clock_hz = 1843200;
		d->rtc.base = 0x70;
		d->rtc.irq = 8;
		d->pcie.ecam_base = 0xb0000000;
		/* q35's DSDT: PCI0 _CRS, 0x0d00-0xffff above the config ports */
		put_window(&d->pcie.mmio32, 0xc0000000, 0xc0000000, 0x3ec00000);
		put_window(&d->pcie.pio, 0xd00, 0xd00, 0xf300);
		put_window(&d->pcie.mmio64, 4 * GIB, 4 * GIB, 32 * GIB);
		d->pcie.irq = 16;
		return;
	}
	d->mem_base = GIB;
	d->irqchip = VM_GICV3;
	d->gicd_base = 0x08000000;
	d->gicc_base = 0x08010000;
	d->gicr_base = 0x080a0000;
	d->gicr_size = 0xf60000;
	d->its = true;
	d->its_base = 0x08080000;
	d->timer_ppi[0] = 13;
	d->timer_ppi[1] = 14;
	d->timer_ppi[2] = 11;
	d->timer_ppi[3] = 10;
	d->uart.kind = VM_UART_PL011;
	d->uart.base = 0x09000000;
	d->uart.irq = 1;
	d->uart.clock_hz = 24000000;
	d->rtc.base = 0x09010000;
	d->rtc.irq = 2;
	d->virtio.count = VM_VIRTIO_MAX;
	d->virtio.base = 0x0a000000;
	d->virtio.irq = 16;
	d->pcie.ecam_base = 0x4010000000;
	put_window(&d->pcie.mmio32, 0x10000000, 0x10000000, 0x2eff0000);
	put_window(&d->pcie.pio, 0x3eff0000, 0, 0x10000);
	put_window(&d->pcie.mmio64, 0x8000000000, 0x8000000000, 0x8000000000);
	d->pcie.irq = 3;
	d->psci.version = 1u << 16 | 1u;
	d->psci.conduit = VM_PSCI_HVC;
}

/* ---- vm_validate ---------------------------------------------------------- */

/* One copy of the fault's stores, not one per rule (-Os would inline it). */
#define ONE_COPY __attribute__((noinline))

static ONE_COPY int bad(struct fwk_fault *f, const char *field, const char *detail)
{
	return fwk_fail(f, FWK_ERR_BADFIELD, 0, field, detail);
}

static bool aligned(uint64_t v, uint64_t a)
{
	return (v & (a - 1)) == 0;
}

/* size bytes from base run past 2^64 (size > 0). */
static bool wraps(uint64_t base, uint64_t size)
{
	return size - 1 > UINT64_MAX - base;
}

/* A range of addresses, I/O ports or interrupts some member claims; clash
 * is what another member overlapping it is told. */
struct span {
	const char *field, *clash;
	uint64_t base, size;
	bool io;
};

#define SPANS_MAX 16u

struct spans {
	struct span s[SPANS_MAX];
	unsigned n;
};

static void claim(struct spans *l, const char *field, const char *clash, uint64_t base,
		  uint64_t size, bool io)
{
	l->s[l->n++] = (struct span){ field, clash, base, size, io };
}

/* Every span within its space, and none sharing a byte (or an interrupt)
 * with an earlier one. */
static int spans_apart(const struct spans *l, struct fwk_fault *f)
{
	for (unsigned j = 0; j < l->n; j++) {
		const struct span *b = &l->s[j];
		if (wraps(b->base, b->size))
			return bad(f, b->field, "runs past the end of the address space");
		for (unsigned i = 0; i < j; i++) {
			const struct span *a = &l->s[i];
			if (a->io == b->io && a->base <= b->base + (b->size - 1) &&
			    b->base <= a->base + (a->size - 1))
				return bad(f, b->field, a->clash);
		}
	}
	return 0;
}

static int check_cpus(const struct vm_desc *d, struct fwk_fault *f)
{
	const uint32_t t[4] = { d->sockets, d->clusters, d->cores, d->threads };
	static const char *const name[4] = { "topology.sockets", "topology.clusters",
					     "topology.cores", "topology.threads" };

	if (d->cpus < 1 || d->cpus > VM_CPUS_MAX)
		return bad(f, "cpus", "must be 1 to 512");
	if ((t[0] | t[1] | t[2] | t[3]) == 0)
		return 0;
	uint64_t product = 1;
	for (unsigned i = 0; i < 4; i++) {
		if (t[i] == 0)
			return bad(f, name[i], "must be 1 or more when a topology is given");
		product *= t[i];
		if (product > d->cpus)
			break;
	}
	if (product != d->cpus)
		return bad(f, "topology", "sockets * clusters * cores * threads is not cpus");
	return 0;
}

static int check_memory(const struct vm_desc *d, struct fwk_fault *f)
{
	if (d->mem_size == 0)
		return bad(f, "memory.size", "must not be 0");
	if (!aligned(d->mem_size, 2 * MIB))
		return bad(f, "memory.size", "not a multiple of 2 MiB");
	if (!aligned(d->mem_base, 2 * MIB))
		return bad(f, "memory.base", "not a multiple of 2 MiB");
	if (wraps(d->mem_base, d->mem_size))
		return bad(f, "memory.size", "runs past the end of the address space");
	if (d->nodes == 0)
		return 0;
	if (d->nodes == 1)
		return bad(f, "numa.nodes", "one node is no NUMA: give 2 or more, or none");
	if (d->nodes > VM_NODES_MAX)
		return bad(f, "numa.nodes", "more than 8 nodes");
	uint64_t mem = 0, cpus = 0;
	for (uint32_t i = 0; i < d->nodes; i++) {
		uint64_t m = d->node[i].mem_size;
		if (m == 0 || !aligned(m, 2 * MIB))
			return bad(f, "numa.nodes[].memory", "not a non-zero multiple of 2 MiB");
		if (m > d->mem_size - mem)
			return bad(f, "numa.nodes[].memory",
				   "the nodes hold more than memory.size");
		mem += m;
		cpus += d->node[i].cpus;
	}
	if (mem != d->mem_size)
		return bad(f, "numa.nodes[].memory", "the nodes hold less than memory.size");
	if (cpus != d->cpus)
		return bad(f, "numa.nodes[].cpus", "the nodes' CPUs do not add up to cpus");
	return 0;
}

static int check_arm64(const struct vm_desc *d, struct spans *mm, struct fwk_fault *f)
{
	/* The MADT writes an absent GIC frame as address 0. */
	static const char zero[] = "at address 0, which the MADT reads as absent";
	if (d->gicd_base == 0)
		return bad(f, "gic.distributor", zero);
	if (d->irqchip == VM_GICV2 && d->gicc_base == 0)
		return bad(f, "gic.cpu_interface", zero);
	if (d->irqchip == VM_GICV3 && d->gicr_base == 0)
		return bad(f, "gic.redistributor", zero);
	if (d->its && d->its_base == 0)
		return bad(f, "gic.its_base", zero);
	if (d->irqchip == VM_GICV2) {
		if (d->cpus > 8)
			return bad(f, "cpus", "GICv2 serves at most 8 CPUs");
		if (!aligned(d->gicd_base, 4 * KIB))
			return bad(f, "gic.distributor", "not 4 KiB aligned");
		if (!aligned(d->gicc_base, 4 * KIB))
			return bad(f, "gic.cpu_interface", "not 4 KiB aligned");
		if (d->its && !aligned(d->its_base, 4 * KIB))
			return bad(f, "gic.its_base", "not 4 KiB aligned");
		claim(mm, "gic.distributor", "overlaps gic.distributor", d->gicd_base, 4 * KIB, 0);
		claim(mm, "gic.cpu_interface", "overlaps gic.cpu_interface", d->gicc_base,
		      8 * KIB, 0);
		if (d->its)
			claim(mm, "gic.its_base", "overlaps gic.its_base", d->its_base, 4 * KIB, 0);
	} else if (d->irqchip == VM_GICV3) {
		if (!aligned(d->gicd_base, 64 * KIB))
			return bad(f, "gic.distributor", "not 64 KiB aligned");
		if (!aligned(d->gicr_base, 64 * KIB))
			return bad(f, "gic.redistributor", "not 64 KiB aligned");
		if (!aligned(d->gicr_size, 128 * KIB))
			return bad(f, "gic.redistributor_size", "not a multiple of 128 KiB");
		if (d->gicr_size < (uint64_t)d->cpus * 128 * KIB)
			return bad(f, "gic.redistributor_size", "less than 128 KiB per CPU");
		if (d->its && !aligned(d->its_base, 64 * KIB))
			return bad(f, "gic.its_base", "not 64 KiB aligned");
		claim(mm, "gic.distributor", "overlaps gic.distributor", d->gicd_base, 64 * KIB, 0);
		claim(mm, "gic.redistributor", "overlaps gic.redistributor", d->gicr_base,
		      d->gicr_size, 0);
		if (d->its)
			claim(mm, "gic.its_base", "overlaps gic.its_base", d->its_base,
			      128 * KIB, 0);
	} else {
		return bad(f, "gic.version", "arm64 needs GICv2 or GICv3");
	}
	for (unsigned i = 0; i < 4; i++) {
		if (d->timer_ppi[i] > 15)
			return bad(f, "timer.interrupts", "a PPI is 0 to 15");
		for (unsigned j = 0; j < i; j++)
			if (d->timer_ppi[j] == d->timer_ppi[i])
				return bad(f, "timer.interrupts", "the four timers share a PPI");
	}
	if (d->psci.version != 2 && d->psci.version != 1u << 16 &&
	    d->psci.version != (1u << 16 | 1u))
		return bad(f, "psci.version", "not 0.2, 1.0 or 1.1");
	if (d->psci.conduit != VM_PSCI_HVC && d->psci.conduit != VM_PSCI_SMC)
		return bad(f, "psci.conduit", "neither hvc nor smc");
	if (d->uart.kind != VM_UART_PL011)
		return bad(f, "uart.type", "arm64 needs a pl011");
	if (!aligned(d->uart.base, 4 * KIB))
		return bad(f, "uart.base", "not 4 KiB aligned");
	claim(mm, "uart.base", "overlaps uart.base", d->uart.base, 4 * KIB, 0);
	if (d->rtc.present) {
		if (!aligned(d->rtc.base, 4 * KIB))
			return bad(f, "rtc.base", "not 4 KiB aligned");
		claim(mm, "rtc.base", "overlaps rtc.base", d->rtc.base, 4 * KIB, 0);
	}
	return 0;
}

static int check_x86_64(const struct vm_desc *d, struct spans *mm, struct fwk_fault *f)
{
	if (d->irqchip != VM_APIC)
		return bad(f, "apic", "x86_64 needs local APICs and an IOAPIC");
	if (!aligned(d->lapic_base, 4 * KIB))
		return bad(f, "apic.lapic", "not 4 KiB aligned");
	if (!aligned(d->ioapic_base, 4 * KIB))
		return bad(f, "apic.ioapic", "not 4 KiB aligned");
	if (d->ioapic_id > 255)
		return bad(f, "apic.ioapic_id", "must be 0 to 255");
	if (d->uart.kind != VM_UART_16550)
		return bad(f, "uart.type", "x86_64 needs a 16550");
	/* the MSI window 0xfeexxxxx goes with the local APICs */
	claim(mm, "apic.lapic", "overlaps apic.lapic", d->lapic_base, MIB, 0);
	claim(mm, "apic.ioapic", "overlaps apic.ioapic", d->ioapic_base, 4 * KIB, 0);
	/* 8 ports each, within the 64 KiB I/O space */
	if (d->uart.base > 0x10000 - 8)
		return bad(f, "uart.base", "not an I/O port below 0xfff8");
	claim(mm, "uart.base", "overlaps uart.base", d->uart.base, 8, 1);
	if (d->rtc.present) {
		if (d->rtc.base > 0x10000 - 8)
			return bad(f, "rtc.base", "not an I/O port below 0xfff8");
		claim(mm, "rtc.base", "overlaps rtc.base", d->rtc.base, 8, 1);
	}
	return 0;
}

static int check_pcie(const struct vm_desc *d, struct spans *mm, struct fwk_fault *f)
{
	static const char *const name[3] = { "pcie.mmio32", "pcie.mmio64", "pcie.pio" };
	static const char *const clash[3] = { "overlaps pcie.mmio32", "overlaps pcie.mmio64",
					      "overlaps pcie.pio" };
	const struct vm_window *w[3] = { &d->pcie.mmio32, &d->pcie.mmio64, &d->pcie.pio };
	bool x86 = d->arch == VM_X86_64;

	if (d->pcie.segment > 0xffff)
		return bad(f, "pcie.segment", "must be 0 to 65535");
	if (d->pcie.bus_end > 255)
		return bad(f, "pcie.bus_end", "a bus number is 0 to 255");
	if (d->pcie.bus_start > d->pcie.bus_end)
		return bad(f, "pcie.bus_start", "after pcie.bus_end");
	if (!aligned(d->pcie.ecam_base, MIB))
		return bad(f, "pcie.ecam", "not 1 MiB aligned");
	/* MCFG's base is bus 0's place, bus_start MiB below */
	if (d->pcie.ecam_base < (uint64_t)d->pcie.bus_start * MIB)
		return bad(f, "pcie.ecam", "bus 0's place would be below address 0");
	claim(mm, "pcie.ecam", "overlaps pcie.ecam", d->pcie.ecam_base,
	      (uint64_t)(d->pcie.bus_end - d->pcie.bus_start + 1) * MIB, 0);
	for (unsigned i = 0; i < 3; i++) {
		if (w[i]->size == 0)
			continue;
		/* PCI-side limits: 32-bit memory, and ports on x86 */
		uint64_t limit = i == 1 ? UINT64_MAX : i == 2 && x86 ? 0x10000 : 4 * GIB;
		if (i < 2 && !aligned(w[i]->cpu_base | w[i]->pci_base | w[i]->size, 4 * KIB))
			return bad(f, name[i], "not 4 KiB aligned");
		if (wraps(w[i]->pci_base, w[i]->size) || w[i]->pci_base > limit ||
		    w[i]->size > limit - w[i]->pci_base)
			return bad(f, name[i], "runs past the end of the PCI address space");
		if (x86 && w[i]->cpu_base != w[i]->pci_base)
			return bad(f, name[i], "x86_64 has no address translation");
		claim(mm, name[i], clash[i], w[i]->cpu_base, w[i]->size, x86 && i == 2);
	}
	return 0;
}

static int check_chosen(const struct vm_desc *d, struct fwk_fault *f)
{
	size_t n = 0;

	while (n < VM_BOOTARGS_MAX && d->chosen.bootargs[n])
		n++;
	if (n == VM_BOOTARGS_MAX)
		return bad(f, "chosen.bootargs", "not NUL-terminated within 1024 bytes");
	uint64_t start = d->chosen.initrd_start, end = d->chosen.initrd_end;
	if (end == 0 && start != 0)
		return bad(f, "chosen.initrd", "a start without an end");
	if (end != 0 && start >= end)
		return bad(f, "chosen.initrd", "start is not below end");
	if (end != 0 && (start < d->mem_base || end - d->mem_base > d->mem_size))
		return bad(f, "chosen.initrd", "not inside memory");
	if (d->chosen.rng_seed_len > VM_RNG_SEED_MAX)
		return bad(f, "chosen.rng_seed", "more than 64 bytes");
	return 0;
}

/* A NUL-padded ACPI OEM string: 1 to cap - 1 printable ASCII characters. */
static bool oem_ok(const char *s, size_t cap)
{
	size_t n = 0;

	while (n < cap && s[n] >= 0x20 && s[n] <= 0x7e)
		n++;
	if (n == 0 || n == cap)
		return false;
	for (; n < cap; n++)
		if (s[n] != 0)
			return false;
	return true;
}

/* The interrupts each device takes: SPI numbers on arm64; on x86_64 GSIs
 * of the one IOAPIC, ISA IRQs for the UART and RTC, none on the timer's
 * IRQ 0 or on GSI 2, where the MADT's override puts it. */
static int check_irqs(const struct vm_desc *d, struct fwk_fault *f)
{
	struct spans irq = { .n = 0 };
	bool arm = d->arch == VM_ARM64;

	if (!arm && d->uart.irq > 15)
		return bad(f, "uart.irq", "not an ISA IRQ (0 to 15)");
	if (!arm && d->rtc.present && d->rtc.irq > 15)
		return bad(f, "rtc.irq", "not an ISA IRQ (0 to 15)");
	claim(&irq, "uart.irq", "shares an interrupt with uart.irq", d->uart.irq, 1, 0);
	if (d->rtc.present)
		claim(&irq, "rtc.irq", "shares an interrupt with rtc.irq", d->rtc.irq, 1, 0);
	if (d->virtio.count)
		claim(&irq, "virtio.irq", "shares an interrupt with virtio.irq", d->virtio.irq,
		      d->virtio.count, 0);
	/* x86_64: q35's eight PIRQ lines A..H, in GSI order (acpi_x86.c) */
	if (!arm && d->pcie.present && d->pcie.irq > 16)
		return bad(f, "pcie.irq", "PIRQA..H need GSIs up to 23: at most 16");
	if (d->pcie.present)
		claim(&irq, "pcie.irq", "shares an interrupt with pcie.irq", d->pcie.irq,
		      arm ? 4 : 8, 0);
	for (unsigned i = 0; i < irq.n; i++) {
		const struct span *s = &irq.s[i];
		if (s->base + s->size > (arm ? 988u : 24u))
			return bad(f, s->field,
				   arm ? "beyond SPI 987" : "beyond the IOAPIC's GSI 23");
		if (!arm && (s->base == 0 || (s->base <= 2 && s->base + s->size > 2)))
			return bad(f, s->field, "on the timer's IRQ 0 or GSI 2");
	}
	return spans_apart(&irq, f);
}

int vm_validate(const struct vm_desc *d, struct fwk_fault *f)
{
	struct spans mm = { .n = 0 };
	int rc;

	if (!d)
		return fwk_fail(f, FWK_ERR_INVAL, 0, "arch", "no description");
	if (d->arch != VM_ARM64 && d->arch != VM_X86_64)
		return bad(f, "arch", "neither arm64 nor x86_64");
	if ((rc = check_cpus(d, f)) || (rc = check_memory(d, f)))
		return rc;
	rc = d->arch == VM_ARM64 ? check_arm64(d, &mm, f) : check_x86_64(d, &mm, f);
	if (rc)
		return rc;
	if (d->uart.clock_hz == 0)
		return bad(f, "uart.clock", "must not be 0");
	if (d->virtio.count > VM_VIRTIO_MAX)
		return bad(f, "virtio.count", "more than 32 transports");
	if (d->virtio.count) {
		if (d->virtio.stride < 0x200 || !aligned(d->virtio.stride, 0x200))
			return bad(f, "virtio.stride", "not a non-zero multiple of 0x200");
		if (d->virtio.stride > UINT64_MAX / d->virtio.count)
			return bad(f, "virtio.stride", "runs past the end of the address space");
		if (!aligned(d->virtio.base, 0x200))
			return bad(f, "virtio.base", "not 512-byte aligned");
		claim(&mm, "virtio.base", "overlaps virtio.base", d->virtio.base,
		      d->virtio.count * d->virtio.stride, 0);
	}
	if (d->pcie.present && (rc = check_pcie(d, &mm, f)))
		return rc;
	/* last, so a RAM range that runs into a device is what gets named */
	claim(&mm, "memory.size", "overlaps memory", d->mem_base, d->mem_size, 0);
	if ((rc = spans_apart(&mm, f)) || (rc = check_irqs(d, f)) || (rc = check_chosen(d, f)))
		return rc;
	if (!oem_ok(d->acpi.oem_id, sizeof(d->acpi.oem_id)))
		return bad(f, "acpi.oem_id", "not 1 to 6 printable ASCII characters");
	if (!oem_ok(d->acpi.oem_table_id, sizeof(d->acpi.oem_table_id)))
		return bad(f, "acpi.oem_table_id", "not 1 to 8 printable ASCII characters");
	return 0;
}

/* ---- vm_parse_json -------------------------------------------------------- */

/* What a member's value is. */
enum jtype {
	J_OBJ,   /* an object */
	J_FLAG,  /* an object (bool at off set), or true/false for that bool */
	J_CLR,   /* an object, or false: aux bytes at off cleared */
	J_ARR,   /* an array of the next entry; aux elements at most; count at off */
	J_U32,   /* an integer: a number, or a string "0x..", "123", "2G" */
	J_U64,
	J_BOOL,
	J_WORD,  /* one of the words of group aux */
	J_STR,   /* ASCII text into char[aux], NUL-padded */
	J_HEX,   /* hex digits into chosen.rng_seed and its length */
};

#define NO_OFF 0xffffu /* J_ARR without a count: exactly aux elements */
#define OFF(m) ((uint16_t)offsetof(struct vm_desc, m))

struct member {
	const char *path;  /* the member's JSON path: the fault's field */
	uint8_t parent;
	uint8_t type;      /* enum jtype */
	uint8_t arch;      /* 0, or the only arch the member belongs to */
	uint16_t aux;      /* see enum jtype; an array element: its stride */
	uint16_t off;      /* offsetof in struct vm_desc (+ element stride * index) */
};

enum {
	M_ROOT, M_ARCH, M_CPUS,
	M_TOPO, M_SOCKETS, M_CLUSTERS, M_CORES, M_THREADS,
	M_MEM, M_MEM_BASE, M_MEM_SIZE,
	M_NUMA, M_NODES, M_NODE, M_NODE_MEM, M_NODE_CPUS,
	M_GIC, M_GIC_VER, M_GIC_ITS, M_GICD, M_GICR, M_GICR_SIZE, M_GICC, M_ITS_BASE,
	M_APIC, M_LAPIC, M_IOAPIC, M_IOAPIC_ID,
	M_TIMER, M_TIMER_IRQS, M_TIMER_IRQ,
	M_UART, M_UART_TYPE, M_UART_BASE, M_UART_IRQ, M_UART_CLOCK,
	M_RTC, M_RTC_BASE, M_RTC_IRQ,
	M_VIRTIO, M_VIRTIO_COUNT, M_VIRTIO_BASE, M_VIRTIO_STRIDE, M_VIRTIO_IRQ,
	M_PCIE, M_SEGMENT, M_ECAM, M_BUS_START, M_BUS_END, M_PCIE_IRQ,
	M_MMIO32, M_MMIO32_CPU, M_MMIO32_PCI, M_MMIO32_SIZE,
	M_MMIO64, M_MMIO64_CPU, M_MMIO64_PCI, M_MMIO64_SIZE,
	M_PIO, M_PIO_CPU, M_PIO_PCI, M_PIO_SIZE,
	M_PSCI, M_PSCI_VER, M_CONDUIT,
	M_CHOSEN, M_BOOTARGS, M_INITRD, M_INITRD_START, M_INITRD_END, M_STDOUT, M_RNG_SEED,
	M_ACPI, M_OEM_ID, M_OEM_TABLE_ID, M_OEM_REV,
	M_COUNT
};
_Static_assert(M_COUNT <= 128, "the seen-member mask has 128 bits");

enum { W_ARCH, W_UART, W_CONDUIT, W_PSCI };

#define A64 VM_ARM64
#define X86 VM_X86_64
#define WINDOW(m, name, field)                                                              \
	[m] = { "pcie." name, M_PCIE, J_CLR, 0, sizeof(struct vm_window), OFF(pcie.field) }, \
	[m + 1] = { "pcie." name ".cpu", m, J_U64, 0, 0, OFF(pcie.field.cpu_base) },         \
	[m + 2] = { "pcie." name ".pci", m, J_U64, 0, 0, OFF(pcie.field.pci_base) },         \
	[m + 3] = { "pcie." name ".size", m, J_U64, 0, 0, OFF(pcie.field.size) }

static const struct member tab[M_COUNT] = {
	[M_ROOT] = { "(top level)", M_ROOT, J_OBJ, 0, 0, 0 },
	[M_ARCH] = { "arch", M_ROOT, J_WORD, 0, W_ARCH, OFF(arch) },
	[M_CPUS] = { "cpus", M_ROOT, J_U32, 0, 0, OFF(cpus) },
	[M_TOPO] = { "topology", M_ROOT, J_OBJ, 0, 0, 0 },
	[M_SOCKETS] = { "topology.sockets", M_TOPO, J_U32, 0, 0, OFF(sockets) },
	[M_CLUSTERS] = { "topology.clusters", M_TOPO, J_U32, 0, 0, OFF(clusters) },
	[M_CORES] = { "topology.cores", M_TOPO, J_U32, 0, 0, OFF(cores) },
	[M_THREADS] = { "topology.threads", M_TOPO, J_U32, 0, 0, OFF(threads) },
	[M_MEM] = { "memory", M_ROOT, J_OBJ, 0, 0, 0 },
	[M_MEM_BASE] = { "memory.base", M_MEM, J_U64, 0, 0, OFF(mem_base) },
	[M_MEM_SIZE] = { "memory.size", M_MEM, J_U64, 0, 0, OFF(mem_size) },
	[M_NUMA] = { "numa", M_ROOT, J_OBJ, 0, 0, 0 },
	[M_NODES] = { "numa.nodes", M_NUMA, J_ARR, 0, VM_NODES_MAX, OFF(nodes) },
	[M_NODE] = { "numa.nodes[]", M_NODES, J_OBJ, 0, sizeof(((struct vm_desc *)0)->node[0]), 0 },
	[M_NODE_MEM] = { "numa.nodes[].memory", M_NODE, J_U64, 0, 0, OFF(node[0].mem_size) },
	[M_NODE_CPUS] = { "numa.nodes[].cpus", M_NODE, J_U32, 0, 0, OFF(node[0].cpus) },
	[M_GIC] = { "gic", M_ROOT, J_OBJ, A64, 0, 0 },
	[M_GIC_VER] = { "gic.version", M_GIC, J_U32, 0, 0, OFF(irqchip) },
	[M_GIC_ITS] = { "gic.its", M_GIC, J_BOOL, 0, 0, OFF(its) },
	[M_GICD] = { "gic.distributor", M_GIC, J_U64, 0, 0, OFF(gicd_base) },
	[M_GICR] = { "gic.redistributor", M_GIC, J_U64, 0, 0, OFF(gicr_base) },
	[M_GICR_SIZE] = { "gic.redistributor_size", M_GIC, J_U64, 0, 0, OFF(gicr_size) },
	[M_GICC] = { "gic.cpu_interface", M_GIC, J_U64, 0, 0, OFF(gicc_base) },
	[M_ITS_BASE] = { "gic.its_base", M_GIC, J_U64, 0, 0, OFF(its_base) },
	[M_APIC] = { "apic", M_ROOT, J_OBJ, X86, 0, 0 },
	[M_LAPIC] = { "apic.lapic", M_APIC, J_U64, 0, 0, OFF(lapic_base) },
	[M_IOAPIC] = { "apic.ioapic", M_APIC, J_U64, 0, 0, OFF(ioapic_base) },
	[M_IOAPIC_ID] = { "apic.ioapic_id", M_APIC, J_U32, 0, 0, OFF(ioapic_id) },
	[M_TIMER] = { "timer", M_ROOT, J_OBJ, A64, 0, 0 },
	[M_TIMER_IRQS] = { "timer.interrupts", M_TIMER, J_ARR, 0, 4, NO_OFF },
	[M_TIMER_IRQ] = { "timer.interrupts", M_TIMER_IRQS, J_U32, 0, 4, OFF(timer_ppi) },
	[M_UART] = { "uart", M_ROOT, J_OBJ, 0, 0, 0 },
	[M_UART_TYPE] = { "uart.type", M_UART, J_WORD, 0, W_UART, OFF(uart.kind) },
	[M_UART_BASE] = { "uart.base", M_UART, J_U64, 0, 0, OFF(uart.base) },
	[M_UART_IRQ] = { "uart.irq", M_UART, J_U32, 0, 0, OFF(uart.irq) },
	[M_UART_CLOCK] = { "uart.clock", M_UART, J_U32, 0, 0, OFF(uart.clock_hz) },
	[M_RTC] = { "rtc", M_ROOT, J_FLAG, 0, 0, OFF(rtc.present) },
	[M_RTC_BASE] = { "rtc.base", M_RTC, J_U64, 0, 0, OFF(rtc.base) },
	[M_RTC_IRQ] = { "rtc.irq", M_RTC, J_U32, 0, 0, OFF(rtc.irq) },
	[M_VIRTIO] = { "virtio", M_ROOT, J_CLR, 0, 4, OFF(virtio.count) },
	[M_VIRTIO_COUNT] = { "virtio.count", M_VIRTIO, J_U32, 0, 0, OFF(virtio.count) },
	[M_VIRTIO_BASE] = { "virtio.base", M_VIRTIO, J_U64, 0, 0, OFF(virtio.base) },
	[M_VIRTIO_STRIDE] = { "virtio.stride", M_VIRTIO, J_U64, 0, 0, OFF(virtio.stride) },
	[M_VIRTIO_IRQ] = { "virtio.irq", M_VIRTIO, J_U32, 0, 0, OFF(virtio.irq) },
	[M_PCIE] = { "pcie", M_ROOT, J_FLAG, 0, 0, OFF(pcie.present) },
	[M_SEGMENT] = { "pcie.segment", M_PCIE, J_U32, 0, 0, OFF(pcie.segment) },
	[M_ECAM] = { "pcie.ecam", M_PCIE, J_U64, 0, 0, OFF(pcie.ecam_base) },
	[M_BUS_START] = { "pcie.bus_start", M_PCIE, J_U32, 0, 0, OFF(pcie.bus_start) },
	[M_BUS_END] = { "pcie.bus_end", M_PCIE, J_U32, 0, 0, OFF(pcie.bus_end) },
	[M_PCIE_IRQ] = { "pcie.irq", M_PCIE, J_U32, 0, 0, OFF(pcie.irq) },
	WINDOW(M_MMIO32, "mmio32", mmio32),
	WINDOW(M_MMIO64, "mmio64", mmio64),
	WINDOW(M_PIO, "pio", pio),
	[M_PSCI] = { "psci", M_ROOT, J_OBJ, A64, 0, 0 },
	[M_PSCI_VER] = { "psci.version", M_PSCI, J_WORD, 0, W_PSCI, OFF(psci.version) },
	[M_CONDUIT] = { "psci.conduit", M_PSCI, J_WORD, 0, W_CONDUIT, OFF(psci.conduit) },
	[M_CHOSEN] = { "chosen", M_ROOT, J_OBJ, 0, 0, 0 },
	[M_BOOTARGS] = { "chosen.bootargs", M_CHOSEN, J_STR, 0, VM_BOOTARGS_MAX,
			 OFF(chosen.bootargs) },
	[M_INITRD] = { "chosen.initrd", M_CHOSEN, J_CLR, 0, 16, OFF(chosen.initrd_start) },
	[M_INITRD_START] = { "chosen.initrd.start", M_INITRD, J_U64, 0, 0,
			     OFF(chosen.initrd_start) },
	[M_INITRD_END] = { "chosen.initrd.end", M_INITRD, J_U64, 0, 0, OFF(chosen.initrd_end) },
	[M_STDOUT] = { "chosen.stdout", M_CHOSEN, J_BOOL, 0, 0, OFF(chosen.stdout) },
	[M_RNG_SEED] = { "chosen.rng_seed", M_CHOSEN, J_HEX, 0, 0, OFF(chosen.rng_seed) },
	[M_ACPI] = { "acpi", M_ROOT, J_OBJ, 0, 0, 0 },
	[M_OEM_ID] = { "acpi.oem_id", M_ACPI, J_STR, 0, 7, OFF(acpi.oem_id) },
	[M_OEM_TABLE_ID] = { "acpi.oem_table_id", M_ACPI, J_STR, 0, 9, OFF(acpi.oem_table_id) },
	[M_OEM_REV] = { "acpi.oem_revision", M_ACPI, J_U32, 0, 0, OFF(acpi.oem_revision) },
};
_Static_assert(offsetof(struct vm_desc, chosen.initrd_end) ==
	       offsetof(struct vm_desc, chosen.initrd_start) + 8, "initrd range is 16 bytes");

static const struct {
	uint8_t group;
	char word[7];
	uint32_t value;
} words[] = {
	{ W_ARCH, "arm64", VM_ARM64 },     { W_ARCH, "x86_64", VM_X86_64 },
	{ W_UART, "pl011", VM_UART_PL011 }, { W_UART, "16550", VM_UART_16550 },
	{ W_CONDUIT, "hvc", VM_PSCI_HVC },  { W_CONDUIT, "smc", VM_PSCI_SMC },
	{ W_PSCI, "0.2", 2 },               { W_PSCI, "1.0", 1u << 16 },
	{ W_PSCI, "1.1", 1u << 16 | 1u },
};

/* What a value of the wrong kind is told, by enum jtype. */
static const char *const want[] = {
	"expected an object",         "expected an object, true or false",
	"expected an object or false", "expected an array",
	"expected an integer",        "expected an integer",
	"expected true or false",     "expected a string",
	"expected a string",          "expected a string of hex digits",
};
_Static_assert(sizeof(want) / sizeof(want[0]) == J_HEX + 1, "one text per type");

struct jctx {
	struct vm_desc *d;
	const char *t;
	size_t len;
	bool apply;        /* second pass: write into d */
	uint32_t arch;     /* found by the first pass */
	uint32_t gic;      /* gic.version, found by the first pass */
	struct fwk_fault *f;
};

static ONE_COPY int jfail(struct jctx *c, int err, size_t at, unsigned m, const char *detail)
{
	return fwk_fail(c->f, err, at, tab[m].path, detail);
}

static int jtrunc(struct jctx *c, unsigned m)
{
	return jfail(c, FWK_ERR_TRUNCATED, c->len, m, "the text ends inside this value");
}

static size_t ws(const struct jctx *c, size_t i)
{
	while (i < c->len && (c->t[i] == ' ' || c->t[i] == '\t' || c->t[i] == '\n' ||
			      c->t[i] == '\r'))
		i++;
	return i;
}

static void put(struct jctx *c, unsigned off, const void *v, size_t n)
{
	if (c->apply)
		memcpy((uint8_t *)c->d + off, v, n);
}

/* The next character of the string whose opening quote is behind *i: a
 * value 1..127, JS_END after the closing quote, or an fwk_error (*i at
 * the offending byte).  Only ASCII is taken, raw or as \uXXXX. */
#define JS_END 256
static int jchar(const struct jctx *c, size_t *i)
{
	if (*i >= c->len)
		return FWK_ERR_TRUNCATED;
	uint8_t ch = (uint8_t)c->t[*i];
	if (ch == '"') {
		++*i;
		return JS_END;
	}
	if (ch < 0x20 || ch > 0x7f)
		return FWK_ERR_BADFIELD;
	if (ch != '\\') {
		++*i;
		return ch;
	}
	if (*i + 1 >= c->len)
		return FWK_ERR_TRUNCATED;
	static const char esc[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
	ch = (uint8_t)c->t[*i + 1];
	for (unsigned k = 0; k < sizeof(esc) - 1; k += 2)
		if ((uint8_t)esc[k] == ch) {
			*i += 2;
			return (uint8_t)esc[k + 1];
		}
	if (ch != 'u')
		return FWK_ERR_BADFIELD;
	unsigned v = 0;
	for (size_t k = 2; k < 6; k++) {
		if (*i + k >= c->len)
			return FWK_ERR_TRUNCATED;
		int h = fwk_hex_digit((uint8_t)c->t[*i + k]);
		if (h < 0)
			return FWK_ERR_BADFIELD;
		v = v << 4 | (unsigned)h;
	}
	if (v == 0 || v > 0x7f)
		return FWK_ERR_BADFIELD;
	*i += 6;
	return (int)v;
}

/* A whole string at *i (its opening quote) into buf (cap bytes with the
 * NUL; longer: FWK_ERR_LIMIT); *n its length. */
static int jstring(struct jctx *c, unsigned m, size_t *i, char *buf, size_t cap, size_t *n)
{
	size_t at = *i;
	int ch;

	*n = 0;
	++*i;
	while ((ch = jchar(c, i)) != JS_END) {
		if (ch == FWK_ERR_TRUNCATED)
			return jtrunc(c, m);
		if (ch < 0)
			return jfail(c, ch, *i, m,
				     "a bad escape, a control character or a non-ASCII byte");
		if (*n + 1 >= cap)
			return jfail(c, FWK_ERR_LIMIT, at, m, "too long");
		buf[(*n)++] = (char)ch;
	}
	buf[*n] = 0;
	return 0;
}

/* An integer: a JSON number (digits only), or a string of decimal or 0x
 * hex digits with an optional K, M, G or T (binary) suffix. */
static int jinteger(struct jctx *c, unsigned m, size_t *i, uint64_t *v)
{
	const char *t = c->t;
	size_t at = *i;
	uint64_t x = 0;

	if (t[at] == '"') {
		char s[24];
		size_t n, k = 0;
		unsigned base = 10, shift = 0;
		int rc = jstring(c, m, i, s, sizeof(s), &n);
		if (rc)
			return rc != FWK_ERR_LIMIT ? rc
						   : jfail(c, FWK_ERR_RANGE, at, m, "too large");
		if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
			base = 16, k = 2;
		if (n > k) {
			static const char suffix[] = "KkMmGgTt";
			for (unsigned j = 0; j < 8; j++)
				if (s[n - 1] == suffix[j]) {
					shift = 10 * (j / 2 + 1), n--;
					break;
				}
		}
		if (k == n)
			return jfail(c, FWK_ERR_BADFIELD, at, m, "not an integer");
		for (; k < n; k++) {
			int h = fwk_hex_digit((uint8_t)s[k]);
			if (h < 0 || (unsigned)h >= base)
				return jfail(c, FWK_ERR_BADFIELD, at, m, "not an integer");
			if (x > (UINT64_MAX - (unsigned)h) / base)
				return jfail(c, FWK_ERR_RANGE, at, m, "too large");
			x = x * base + (unsigned)h;
		}
		if (shift && x > UINT64_MAX >> shift)
			return jfail(c, FWK_ERR_RANGE, at, m, "too large");
		*v = x << shift;
		return 0;
	}
	if (t[at] == '-')
		return jfail(c, FWK_ERR_RANGE, at, m, "must not be negative");
	if (t[at] < '0' || t[at] > '9')
		return jfail(c, FWK_ERR_BADFIELD, at, m, want[tab[m].type]);
	for (; *i < c->len && t[*i] >= '0' && t[*i] <= '9'; ++*i) {
		unsigned dg = (unsigned)(t[*i] - '0');
		if (x > (UINT64_MAX - dg) / 10)
			return jfail(c, FWK_ERR_RANGE, at, m, "too large");
		x = x * 10 + dg;
	}
	if (*i >= c->len)
		return jtrunc(c, m);
	if (t[at] == '0' && *i - at > 1)
		return jfail(c, FWK_ERR_BADFIELD, at, m, "a number with a leading zero");
	if (t[*i] == '.' || t[*i] == 'e' || t[*i] == 'E')
		return jfail(c, FWK_ERR_BADFIELD, at, m, "integers only");
	*v = x;
	return 0;
}

/* true or false at *i: 1 or 0; 2 for anything else (null, which nothing
 * takes, too); FWK_ERR_TRUNCATED when the text ends inside one. */
static int jliteral(const struct jctx *c, size_t *i)
{
	static const char *const lit[3] = { "false", "true", "null" };

	for (int k = 0; k < 3; k++) {
		size_t n = 0;
		while (lit[k][n] && *i + n < c->len && c->t[*i + n] == lit[k][n])
			n++;
		if (!lit[k][n]) {
			*i += n;
			return k < 2 ? k : 2;
		}
		if (n && *i + n >= c->len)
			return FWK_ERR_TRUNCATED;
	}
	return 2;
}

/* One scalar value of member m at *i, written at base + tab[m].off. */
static int jscalar(struct jctx *c, unsigned m, unsigned base, size_t *i)
{
	const struct member *e = &tab[m];
	unsigned off = base + e->off;
	size_t at = *i, n;
	char s[VM_BOOTARGS_MAX];
	uint64_t v = 0;
	int rc;

	if (e->type == J_U32 || e->type == J_U64) {
		if ((rc = jinteger(c, m, i, &v)))
			return rc;
		if (e->type == J_U64) {
			put(c, off, &v, 8);
			return 0;
		}
		if (v > UINT32_MAX)
			return jfail(c, FWK_ERR_RANGE, at, m, "more than 32 bits");
		uint32_t w = (uint32_t)v;
		if (m == M_GIC_VER)
			c->gic = w;
		put(c, off, &w, 4);
		return 0;
	}
	if (e->type == J_BOOL) {
		rc = jliteral(c, i);
		if (rc == FWK_ERR_TRUNCATED)
			return jtrunc(c, m);
		if (rc > 1)
			return jfail(c, FWK_ERR_BADFIELD, at, m, want[J_BOOL]);
		bool b = rc;
		put(c, off, &b, sizeof(b));
		return 0;
	}
	if (c->t[at] != '"') {
		/* a literal cut short is a truncation like any other */
		if (jliteral(c, &(size_t){ at }) == FWK_ERR_TRUNCATED)
			return jtrunc(c, m);
		return jfail(c, FWK_ERR_BADFIELD, at, m, want[e->type]);
	}
	if (e->type == J_STR) {
		if ((rc = jstring(c, m, i, s, e->aux, &n)))
			return rc;
		memset(s + n, 0, e->aux - n);
		put(c, off, s, e->aux);
		return 0;
	}
	rc = jstring(c, m, i, s, e->type == J_HEX ? 2 * VM_RNG_SEED_MAX + 1 : 8, &n);
	if (rc == FWK_ERR_LIMIT && e->type == J_WORD)
		return jfail(c, FWK_ERR_BADFIELD, at, m, "not one of the allowed words");
	if (rc)
		return rc;
	if (e->type == J_HEX) {
		uint8_t seed[VM_RNG_SEED_MAX];
		uint32_t len = (uint32_t)(n / 2);
		if (n % 2)
			return jfail(c, FWK_ERR_BADFIELD, at, m, "an odd number of hex digits");
		for (size_t k = 0; k < n; k += 2) {
			int hi = fwk_hex_digit((uint8_t)s[k]);
			int lo = fwk_hex_digit((uint8_t)s[k + 1]);
			if (hi < 0 || lo < 0)
				return jfail(c, FWK_ERR_BADFIELD, at, m, "not hex digits");
			seed[k / 2] = (uint8_t)(hi << 4 | lo);
		}
		put(c, off, seed, len);
		put(c, OFF(chosen.rng_seed_len), &len, 4);
		return 0;
	}
	for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++) {
		size_t j = 0;
		if (words[k].group != e->aux)
			continue;
		while (j < n && words[k].word[j] == s[j])
			j++;
		if (j == n && !words[k].word[j]) {
			if (m == M_ARCH)
				c->arch = words[k].value;
			put(c, off, &words[k].value, 4);
			return 0;
		}
	}
	return jfail(c, FWK_ERR_BADFIELD, at, m, "not one of the allowed words");
}

/* The child of object p named by the key at *i (its opening quote). */
static int jkey(struct jctx *c, unsigned p, size_t *i, unsigned *child)
{
	size_t at = *i, n;
	char key[24];
	int rc = jstring(c, p, i, key, sizeof(key), &n);

	if (rc && rc != FWK_ERR_LIMIT)
		return rc;
	for (unsigned m = 1; !rc && m < M_COUNT; m++) {
		const char *name = tab[m].path;
		if (tab[m].parent != p)
			continue;
		for (const char *s = name; *s; s++)
			if (*s == '.')
				name = s + 1;
		size_t j = 0;
		while (j < n && name[j] == key[j])
			j++;
		if (j == n && !name[j]) {
			*child = m;
			return 0;
		}
	}
	return jfail(c, FWK_ERR_BADFIELD, at, p, "an unknown member");
}

#define JDEPTH 6u /* the deepest member path: numa.nodes[].memory, 4 */

struct jframe {
	uint8_t m;          /* the object or array being read */
	uint8_t n;          /* elements so far (arrays) */
	uint16_t base;      /* added to its members' offsets */
	uint64_t seen[2];   /* members already given (objects) */
};

/* One pass over the text.  The schema is the table: a value is read only
 * as its member's type says, so nesting never goes deeper than the
 * table's and no value is skipped unread. */
static int jwalk(struct jctx *c)
{
	enum { VALUE, NEXT, KEY, ELEMENT } state = VALUE;
	struct jframe st[JDEPTH];
	unsigned sp = 0, m = M_ROOT, base = 0;
	const char *t = c->t;
	size_t i = 0;
	int rc;

	for (;;) {
		struct jframe *fr = sp ? &st[sp - 1] : NULL;
		switch (state) {
		case VALUE: {
			const struct member *e = &tab[m];
			i = ws(c, i);
			if (i >= c->len)
				return jtrunc(c, m);
			state = NEXT;
			if (e->type > J_ARR) {
				if ((rc = jscalar(c, m, base, &i)))
					return rc;
				break;
			}
			if (t[i] == (e->type == J_ARR ? '[' : '{')) {
				bool yes = true;
				if (e->type == J_FLAG)
					put(c, base + e->off, &yes, sizeof(yes));
				if (sp == JDEPTH)
					return jfail(c, FWK_ERR_LIMIT, i, m, "nested too deep");
				st[sp++] = (struct jframe){ (uint8_t)m, 0, (uint16_t)base,
							    { 0, 0 } };
				i = ws(c, i + 1);
				if (i >= c->len)
					return jtrunc(c, m);
				if (t[i] == (e->type == J_ARR ? ']' : '}')) {
					state = NEXT;
					sp--;
					i++;
					if (e->type == J_ARR && e->off == NO_OFF)
						return jfail(c, FWK_ERR_BADFIELD, i - 1, m,
							     "needs exactly four values");
					if (e->type == J_ARR)
						put(c, base + e->off, &(uint32_t){ 0 }, 4);
				} else {
					state = e->type == J_ARR ? ELEMENT : KEY;
				}
				break;
			}
			size_t at = i;
			rc = jliteral(c, &i);
			if (rc == FWK_ERR_TRUNCATED)
				return jtrunc(c, m);
			if (rc > 1 || e->type == J_OBJ || e->type == J_ARR ||
			    (rc == 1 && e->type == J_CLR))
				return jfail(c, FWK_ERR_BADFIELD, at, m, want[e->type]);
			bool b = rc;
			if (e->type == J_FLAG)
				put(c, base + e->off, &b, sizeof(b));
			else
				put(c, base + e->off, (uint8_t[32]){ 0 }, e->aux);
			break;
		}
		case NEXT:
			i = ws(c, i);
			if (!fr) {
				if (i < c->len)
					return jfail(c, FWK_ERR_BADFIELD, i, M_ROOT,
						     "bytes after the description");
				return 0;
			}
			if (i >= c->len)
				return jtrunc(c, fr->m);
			if (tab[fr->m].type == J_ARR) {
				const struct member *a = &tab[fr->m];
				if (t[i] == ',') {
					state = ELEMENT;
				} else if (t[i] == ']') {
					if (a->off == NO_OFF && fr->n != a->aux)
						return jfail(c, FWK_ERR_BADFIELD, i, fr->m,
							     "needs exactly four values");
					if (a->off != NO_OFF)
						put(c, fr->base + a->off, &(uint32_t){ fr->n }, 4);
					sp--;
				} else {
					return jfail(c, FWK_ERR_BADFIELD, i, fr->m,
						     "expected , or ]");
				}
			} else if (t[i] == ',') {
				state = KEY;
			} else if (t[i] == '}') {
				sp--;
			} else {
				return jfail(c, FWK_ERR_BADFIELD, i, fr->m, "expected , or }");
			}
			i++;
			break;
		case KEY: {
			size_t at;
			unsigned child = M_ROOT;
			i = ws(c, i);
			if (i >= c->len)
				return jtrunc(c, fr->m);
			if (t[i] != '"')
				return jfail(c, FWK_ERR_BADFIELD, i, fr->m,
					     "expected a member name");
			at = i;
			if ((rc = jkey(c, fr->m, &i, &child)))
				return rc;
			if (fr->seen[child / 64] >> (child % 64) & 1)
				return jfail(c, FWK_ERR_BADFIELD, at, child, "given twice");
			fr->seen[child / 64] |= 1ull << (child % 64);
			if (c->apply && tab[child].arch && tab[child].arch != c->arch)
				return jfail(c, FWK_ERR_BADFIELD, at, child,
					     tab[child].arch == VM_ARM64 ? "arm64 only"
									 : "x86_64 only");
			i = ws(c, i);
			if (i >= c->len)
				return jtrunc(c, child);
			if (t[i] != ':')
				return jfail(c, FWK_ERR_BADFIELD, i, child, "expected :");
			i++;
			m = child;
			base = fr->base;
			state = VALUE;
			break;
		}
		case ELEMENT:
			if (fr->n >= tab[fr->m].aux)
				return jfail(c, FWK_ERR_LIMIT, ws(c, i), fr->m, "too many values");
			m = fr->m + 1u; /* an array's element follows it in the table */
			base = fr->base + fr->n++ * tab[m].aux;
			state = VALUE;
			break;
		}
	}
}

int vm_parse_json(struct vm_desc *d, const char *text, size_t len, struct fwk_fault *f)
{
	struct jctx c = { d, text, len, false, VM_ARM64, 0, f };
	int rc;

	if (!d || (!text && len))
		return fwk_fail(f, FWK_ERR_INVAL, 0, tab[M_ROOT].path, "no description");
	/* the first pass finds the arch (and GIC version) the defaults follow */
	if ((rc = jwalk(&c)))
		return rc;
	vm_default(d, (enum vm_arch)c.arch);
	if (c.arch == VM_ARM64 && c.gic == 2) {
		/* QEMU's GICv2 layout: the v2m frame after the CPU interface */
		d->irqchip = VM_GICV2;
		d->its_base = 0x08020000;
	}
	c.apply = true;
	return jwalk(&c);
}

/* SPDX-License-Identifier: MIT */
/* acpi_arm64.c - the arm64 guest's tables (Linux's arm64 ACPI set): FADT
 * (hardware-reduced, PSCI), DSDT, MADT (GIC), GTDT, SPCR, DBG2, MCFG, PPTT,
 * SRAT/SLIT with NUMA, IORT with an ITS. */
#include "acpi_int.h"

#define SPI(n) ((n) + 32u)   /* GIC INTID of an SPI number */
#define AT(off) ((off) - ACPI_HEADER_SIZE) /* a table offset, in its body */
#define PPI(n) ((n) + 16u)   /* ... of a PPI number */

/* FADT (ACPI 6.4 5.2.9), revision 6.3: no fixed hardware at all. */
#define FADT_FLAGS 112u
#define FADT_HW_REDUCED_ACPI (1u << 20)
#define FADT_ARM_BOOT_ARCH 129u
#define FADT_PSCI_COMPLIANT 0x1u
#define FADT_PSCI_USE_HVC 0x2u
#define FADT_MINOR 131u
#define FADT_SIZE 276u

static void fadt(struct acpi_out *o)
{
	const struct vm_desc *d = o->d;
	uint8_t *t;
	unsigned boot = 0;

	/* PSCI 0.2 or later is what the ACPI boot protocol relies on. */
	if (d->psci.version >= 2)
		boot = FADT_PSCI_COMPLIANT |
		       (d->psci.conduit == VM_PSCI_HVC ? FADT_PSCI_USE_HVC : 0);
	acpi_begin(o, "FACP", 6);
	t = acpi_grab(o, FADT_SIZE - ACPI_HEADER_SIZE);
	acpi_put32(t + AT(FADT_FLAGS), FADT_HW_REDUCED_ACPI);
	acpi_put16(t + AT(FADT_ARM_BOOT_ARCH), boot);
	t[AT(FADT_MINOR)] = 3;
	acpi_end(o);
}

static void dsdt(struct aml *a, const struct vm_desc *d)
{
	char name[5];

	aml_scope(a, "\\_SB");
	acpi_dsdt_cpus(a, d);

	aml_device(a, "COM0");
	aml_name_str(a, "_HID", "ARMH0011");
	aml_name_int(a, "_UID", 0);
	acpi_dsdt_sta(a);
	aml_name_decl(a, "_CRS");
	aml_rt(a);
	acpi_dsdt_mmio(a, d->uart.base, 0x1000);
	aml_rd_interrupt(a, AML_INT_CONSUMER, (uint32_t[]){ SPI(d->uart.irq) }, 1);
	aml_close(a);
	aml_close(a);

	/* The pl031 RTC has no ACPI binding in Linux: it stays DT-only. */

	/* virtio-mmio: level-triggered in ACPI, as QEMU's virt describes it
	 * (its device tree says edge; Linux's driver does not care). */
	for (uint32_t i = 0; i < d->virtio.count; i++) {
		acpi_hexname(name, "VR", i, 2);
		aml_device(a, name);
		aml_name_str(a, "_HID", "LNRO0005");
		aml_name_int(a, "_UID", i);
		aml_name_int(a, "_CCA", 1);
		acpi_dsdt_sta(a);
		aml_name_decl(a, "_CRS");
		aml_rt(a);
		acpi_dsdt_mmio(a, d->virtio.base + i * d->virtio.stride, d->virtio.stride);
		aml_rd_interrupt(a, AML_INT_CONSUMER, (uint32_t[]){ SPI(d->virtio.irq + i) }, 1);
		aml_close(a);
		aml_close(a);
	}

	acpi_dsdt_pci(a, d, NULL);
	aml_close(a);
}

/* The MPIDR of CPU i: Aff0 within a cluster of 8 (GICv2) or 16 (GICv3),
 * Aff1 the cluster, as QEMU's virt numbers them. */
static uint64_t mpidr(const struct vm_desc *d, uint32_t i)
{
	uint32_t per = d->irqchip == VM_GICV2 ? 8 : 16;

	return (uint64_t)(i / per) << 8 | i % per;
}

/* MADT (5.2.12), revision 5 (ACPI 6.3): GICD, a GICC per CPU, and the
 * redistributor range and ITS (GICv3) or the v2m MSI frame (GICv2). */
static void madt(struct acpi_out *o)
{
	const struct vm_desc *d = o->d;
	bool v3 = d->irqchip == VM_GICV3;
	uint8_t *p;

	acpi_begin(o, "APIC", 5);
	acpi_grab(o, 8);    /* no local APIC address, no flags */
	p = acpi_grab(o, 24);
	p[0] = 0xC;         /* GIC Distributor */
	p[1] = 24;
	acpi_put64(p + 8, d->gicd_base);
	p[20] = v3 ? 3 : 2;
	for (uint32_t i = 0; i < d->cpus; i++) {
		p = acpi_grab(o, 80);
		p[0] = 0xB;     /* GIC CPU Interface */
		p[1] = 80;
		acpi_put32(p + 4, i);           /* CPU interface number */
		acpi_put32(p + 8, i);           /* ACPI Processor UID */
		acpi_put32(p + 12, 1);          /* enabled */
		if (!v3)
			acpi_put64(p + 32, d->gicc_base);
		/* GICR base stays 0: the GICR structure below covers all. */
		acpi_put64(p + 68, mpidr(d, i));
	}
	if (v3) {
		p = acpi_grab(o, 16);
		p[0] = 0xE;     /* GIC Redistributor */
		p[1] = 16;
		acpi_put64(p + 4, d->gicr_base);
		acpi_put32(p + 12, (uint32_t)d->gicr_size);
	}
	if (d->its && v3) {
		p = acpi_grab(o, 20);
		p[0] = 0xF;     /* GIC ITS, ID 0 */
		p[1] = 20;
		acpi_put64(p + 8, d->its_base);
	} else if (d->its) {
		/* GICv2m frame; flags 0: SPI base and count come from the
		 * frame's MSI_TYPER register, as the device tree leaves them. */
		p = acpi_grab(o, 24);
		p[0] = 0xD;
		p[1] = 24;
		acpi_put64(p + 8, d->its_base);
	}
	acpi_end(o);
}

/* GTDT (5.2.24), revision 2: the four per-CPU timers; no memory-mapped
 * counter or platform timers.  Level, active high and always-on, as the
 * device tree's "always-on" timer. */
static void gtdt(struct acpi_out *o)
{
	const struct vm_desc *d = o->d;
	uint8_t *t;

	acpi_begin(o, "GTDT", 2);
	t = acpi_grab(o, AT(96));
	acpi_put64(t + AT(36), ~(uint64_t)0);   /* CntControlBase: none */
	for (unsigned i = 0; i < 4; i++) {
		acpi_put32(t + AT(48) + 8 * i, PPI(d->timer_ppi[i]));
		acpi_put32(t + AT(52) + 8 * i, 0x4);
	}
	acpi_put64(t + AT(80), ~(uint64_t)0);   /* CntReadBase: none */
	acpi_put32(t + AT(92), 96);             /* no platform timers: the end */
	acpi_end(o);
}

/* The pl011 as a Generic Address: 32-bit registers. */
static void uart_gas(uint8_t *p, const struct vm_desc *d)
{
	acpi_gas(p, ACPI_GAS_MEMORY, 32, 3, d->uart.base);
}

/* SPCR (Microsoft's Serial Port Console Redirection table), revision 2:
 * ARM PL011, GIC interrupt, 115200 8N1, no flow control, VT100. */
static void spcr(struct acpi_out *o)
{
	const struct vm_desc *d = o->d;
	uint8_t *t;

	acpi_begin(o, "SPCR", 2);
	t = acpi_grab(o, AT(80));
	t[AT(36)] = 3;                          /* ARM PL011 UART */
	uart_gas(t + AT(40), d);
	t[AT(52)] = 1u << 3;                    /* ARMH GIC interrupt */
	acpi_put32(t + AT(54), SPI(d->uart.irq));
	t[AT(58)] = 7;                          /* 115200 */
	t[AT(60)] = 1;                          /* 1 stop bit */
	acpi_put16(t + AT(64), 0xFFFF);         /* not a PCI device */
	acpi_put16(t + AT(66), 0xFFFF);
	acpi_end(o);
}

/* DBG2 (Microsoft's Debug Port Table 2): the pl011 as the one debug
 * device, named by its namespace path. */
static void dbg2(struct acpi_out *o)
{
	static const char path[] = "\\_SB.COM0";
	const struct vm_desc *d = o->d;
	uint8_t *p;

	acpi_begin(o, "DBG2", 0);
	p = acpi_grab(o, 8);
	acpi_put32(p, 44);                  /* device information at 44 */
	acpi_put32(p + 4, 1);
	p = acpi_grab(o, 38 + sizeof(path));
	acpi_put16(p + 1, 38 + sizeof(path));
	p[3] = 1;                           /* one Generic Address */
	acpi_put16(p + 4, sizeof(path));
	acpi_put16(p + 6, 38);              /* namespace string offset */
	acpi_put16(p + 12, 0x8000);         /* serial port */
	acpi_put16(p + 14, 0x0003);         /* ARM PL011 */
	acpi_put16(p + 18, 22);             /* Generic Address offset */
	acpi_put16(p + 20, 34);             /* address size offset */
	uart_gas(p + 22, d);
	acpi_put32(p + 34, 0x1000);
	memcpy(p + 38, path, sizeof(path));
	acpi_end(o);
}

/* One PPTT processor hierarchy node (5.2.29.1); returns its offset in the
 * table, what its children name as parent. */
#define PPTT_PACKAGE 0x1u
#define PPTT_ID_VALID 0x2u
#define PPTT_THREAD 0x4u
#define PPTT_LEAF 0x8u
static uint32_t pptt_node(struct acpi_out *o, uint32_t flags, uint32_t parent, uint32_t id)
{
	uint32_t at = o->pos - o->lay->table[o->lay->count - 1].offset;
	uint8_t *p = acpi_grab(o, 20);

	p[1] = 20;          /* type 0: processor, no private resources */
	acpi_put32(p + 4, flags);
	acpi_put32(p + 8, parent);
	acpi_put32(p + 12, id);
	return at;
}

/* PPTT (5.2.29), revision 2: socket, cluster, core and thread nodes
 * depth first; a leaf's ACPI Processor ID is the CPU's index (its MADT
 * and DSDT UID).  Inner nodes have no processor container, so no ID. */
static void pptt(struct acpi_out *o)
{
	struct acpi_topo t;
	uint32_t cpu = 0;

	acpi_topology(o->d, &t);
	acpi_begin(o, "PPTT", 2);
	for (uint32_t s = 0; s < t.sockets; s++) {
		uint32_t ps = pptt_node(o, PPTT_PACKAGE, 0, 0);

		for (uint32_t c = 0; c < t.clusters; c++) {
			uint32_t pc = pptt_node(o, 0, ps, 0);

			for (uint32_t k = 0; k < t.cores; k++) {
				uint32_t pk;

				if (t.threads == 1) {
					pptt_node(o, PPTT_ID_VALID | PPTT_LEAF, pc, cpu++);
					continue;
				}
				pk = pptt_node(o, 0, pc, 0);
				for (uint32_t h = 0; h < t.threads; h++)
					pptt_node(o, PPTT_ID_VALID | PPTT_THREAD | PPTT_LEAF, pk,
						  cpu++);
			}
		}
	}
	acpi_end(o);
}

/* IORT (Arm DEN 0049, revision 0 layout) with a GICv3 ITS and PCIe: one
 * ITS group and the root complex, whose every requester ID maps to the
 * same device ID at the ITS, so PCI devices get MSIs under ACPI. */
static void iort(struct acpi_out *o)
{
	const struct vm_desc *d = o->d;
	uint8_t *p;

	acpi_begin(o, "IORT", 0);
	p = acpi_grab(o, 12);
	acpi_put32(p, 2);                   /* nodes */
	acpi_put32(p + 4, 48);              /* first node at 48 */
	p = acpi_grab(o, 24);               /* ITS group, at 48 */
	p[0] = 0;
	acpi_put16(p + 1, 24);
	acpi_put32(p + 16, 1);              /* one ITS: ID 0 */
	p = acpi_grab(o, 52);               /* PCI root complex, at 72 */
	p[0] = 2;
	acpi_put16(p + 1, 52);
	acpi_put32(p + 8, 1);               /* one ID mapping ... */
	acpi_put32(p + 12, 32);             /* ... at 32 in the node */
	acpi_put32(p + 16, 1);              /* fully coherent */
	p[23] = 0x3;                        /* CPM and DACS */
	acpi_put32(p + 28, d->pcie.segment);
	acpi_put32(p + 36, 0xFFFF);         /* 65536 IDs from 0, identity */
	acpi_put32(p + 44, 48);             /* to the ITS group */
	acpi_end(o);
}

static bool has_iort(const struct vm_desc *d)
{
	return d->irqchip == VM_GICV3 && d->its && d->pcie.present;
}

uint32_t acpi_arm64_count(const struct vm_desc *d)
{
	/* FACP APIC GTDT SPCR DBG2 PPTT, MCFG, SRAT SLIT, IORT */
	return 6 + d->pcie.present + (d->nodes >= 2) * 2 + has_iort(d);
}

void acpi_arm64_tables(struct acpi_out *o)
{
	const struct vm_desc *d = o->d;

	fadt(o);
	acpi_dsdt_body(o, dsdt);
	madt(o);
	gtdt(o);
	spcr(o);
	dbg2(o);
	acpi_mcfg(o);
	pptt(o);
	acpi_srat_slit(o);
	if (has_iort(d))
		iort(o);
}

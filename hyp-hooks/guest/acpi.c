/* SPDX-License-Identifier: MIT */
/* acpi.c - the guest's ACPI tables: layout at a guest-physical base, RSDP,
 * XSDT, pointers and checksums, and what both architectures share (MCFG,
 * SRAT, SLIT, the DSDT's CPUs and PCIe host bridge). */
#include <fwkit/acpi.h>

#include "acpi_int.h"

/* Offsets of the pointers patched once every table is placed (ACPI 6.4
 * 5.2.5.3 RSDP, 5.2.9 FADT). */
#define RSDP_CHECKSUM 8u
#define RSDP_XSDT 24u
#define RSDP_EXT_CHECKSUM 32u
#define FADT_FACS 36u
#define FADT_DSDT 40u
#define FADT_X_FACS 132u
#define FADT_X_DSDT 140u

/* ---- writing tables ----------------------------------------------------- */

static void fail(struct acpi_out *o, int err, const char *where)
{
	if (!o->err) {
		o->err = err;
		o->where = where;
	}
}

static struct vm_table *current(struct acpi_out *o)
{
	return &o->lay->table[o->lay->count - 1];
}

uint8_t *acpi_grab(struct acpi_out *o, uint32_t n)
{
	uint8_t *p;

	if (!o->err && (uint64_t)o->pos + n > o->cap)
		fail(o, FWK_ERR_NOSPACE, o->lay->count ? current(o)->sig : "RSDP");
	if (o->err) {
		memset(o->scratch, 0, sizeof(o->scratch));
		return o->scratch;
	}
	p = o->buf + o->pos;
	memset(p, 0, n);
	o->pos += n;
	return p;
}

void acpi_place(struct acpi_out *o, const char *sig, uint32_t align)
{
	uint32_t pad = (uint32_t)((align - (o->base + o->pos) % align) % align);
	struct vm_table *t;

	if (o->lay->count == VM_TABLES_MAX)
		return fail(o, FWK_ERR_LIMIT, sig);
	if (pad)
		acpi_grab(o, pad);
	t = &o->lay->table[o->lay->count++];
	memcpy(t->sig, sig, 4);
	t->sig[4] = '\0';
	t->offset = o->pos;
}

/* An OEM ID field, padded with spaces as firmware and QEMU pad theirs, so
 * "BOCHS" written by a user matches QEMU's "BOCHS " for the kernel's table
 * upgrade. */
static void acpi_id(uint8_t *dst, const char *id, unsigned n)
{
	unsigned i = 0;

	for (; i < n && id[i]; i++)
		dst[i] = (uint8_t)id[i];
	for (; i < n; i++)
		dst[i] = ' ';
}

void acpi_begin(struct acpi_out *o, const char *sig, uint8_t revision)
{
	const struct vm_desc *d = o->d;
	uint8_t *h;

	acpi_place(o, sig, 8);
	h = acpi_grab(o, ACPI_HEADER_SIZE);
	memcpy(h, sig, 4);
	h[8] = revision;
	acpi_id(h + 10, d->acpi.oem_id, 6);
	acpi_id(h + 16, d->acpi.oem_table_id, 8);
	acpi_put32(h + 24, d->acpi.oem_revision);
	memcpy(h + 28, "FWKT", 4);
	acpi_put32(h + 32, 1);
}

void acpi_end(struct acpi_out *o)
{
	struct vm_table *t;

	if (o->err)
		return;
	t = current(o);
	t->length = o->pos - t->offset;
	acpi_put32(o->buf + t->offset + 4, t->length);
}

void acpi_gas(uint8_t *p, uint8_t space, uint8_t bits, uint8_t access, uint64_t addr)
{
	p[0] = space;
	p[1] = bits;
	p[2] = 0;
	p[3] = access;
	acpi_put64(p + 4, addr);
}

void acpi_hexname(char out[5], const char *prefix, uint32_t v, unsigned digits)
{
	unsigned n = 0;

	while (*prefix)
		out[n++] = *prefix++;
	while (digits--)
		out[n++] = "0123456789ABCDEF"[v >> 4 * digits & 0xF];
	out[n] = '\0';
}

/* ---- the machine, as every table sees it -------------------------------- */

int acpi_topology(const struct vm_desc *d, struct acpi_topo *t)
{
	bool any = d->sockets || d->clusters || d->cores || d->threads;

	t->sockets = d->sockets ? d->sockets : 1;
	t->clusters = d->clusters ? d->clusters : 1;
	t->threads = d->threads ? d->threads : 1;
	t->cores = d->cores ? d->cores : any ? 1 : d->cpus;
	/* Each at most cpus (<= 512), so the product cannot wrap. */
	if (t->sockets > d->cpus || t->clusters > d->cpus || t->cores > d->cpus ||
	    t->threads > d->cpus ||
	    (uint64_t)t->sockets * t->clusters * t->cores * t->threads != d->cpus)
		return FWK_ERR_INVAL;
	return 0;
}

uint32_t acpi_cpu_node(const struct vm_desc *d, uint32_t cpu)
{
	uint32_t n = 0;

	if (d->nodes < 2)
		return 0;
	while (n + 1 < d->nodes && cpu >= d->node[n].cpus)
		cpu -= d->node[n++].cpus;
	return n;
}

uint64_t acpi_node_base(const struct vm_desc *d, uint32_t node)
{
	uint64_t base = d->mem_base;

	for (uint32_t i = 0; i < node; i++)
		base += d->node[i].mem_size;
	return base;
}

/* ---- tables both architectures carry ------------------------------------ */

/* MCFG (PCI Firmware 3.2, 4.1.2): one ECAM allocation.  Its base address
 * is bus 0's, even when the first bus is not 0. */
void acpi_mcfg(struct acpi_out *o)
{
	const struct vm_desc *d = o->d;
	uint8_t *p;

	if (!d->pcie.present)
		return;
	acpi_begin(o, "MCFG", 1);
	acpi_grab(o, 8);
	p = acpi_grab(o, 16);
	acpi_put64(p, d->pcie.ecam_base - ((uint64_t)d->pcie.bus_start << 20));
	acpi_put16(p + 8, d->pcie.segment);
	p[10] = (uint8_t)d->pcie.bus_start;
	p[11] = (uint8_t)d->pcie.bus_end;
	acpi_end(o);
}

/* SRAT (5.2.16) and SLIT (5.2.17), with two nodes or more: each CPU's
 * and each node's memory proximity domain, distances 10 local, 20 remote. */
void acpi_srat_slit(struct acpi_out *o)
{
	const struct vm_desc *d = o->d;
	uint8_t *p;

	if (d->nodes < 2)
		return;
	acpi_begin(o, "SRAT", 3);
	acpi_put32(acpi_grab(o, 12), 1);   /* reserved, 1 for compatibility */
	for (uint32_t i = 0; i < d->cpus; i++) {
		uint32_t node = acpi_cpu_node(d, i);

		if (d->arch == VM_ARM64) {
			p = acpi_grab(o, 18);       /* GICC Affinity */
			p[0] = 3;
			p[1] = 18;
			acpi_put32(p + 2, node);
			acpi_put32(p + 6, i);       /* ACPI Processor UID */
			acpi_put32(p + 10, 1);      /* enabled */
		} else if (i < 255) {
			p = acpi_grab(o, 16);       /* Processor Local APIC Affinity */
			p[0] = 0;
			p[1] = 16;
			p[2] = (uint8_t)node;
			p[3] = (uint8_t)i;          /* APIC ID */
			acpi_put32(p + 4, 1);
		} else {
			p = acpi_grab(o, 24);       /* Processor Local x2APIC Affinity */
			p[0] = 2;
			p[1] = 24;
			acpi_put32(p + 4, node);
			acpi_put32(p + 8, i);
			acpi_put32(p + 12, 1);
		}
	}
	for (uint32_t n = 0; n < d->nodes; n++) {
		if (!d->node[n].mem_size)
			continue;
		p = acpi_grab(o, 40);               /* Memory Affinity */
		p[0] = 1;
		p[1] = 40;
		acpi_put32(p + 2, n);
		acpi_put64(p + 8, acpi_node_base(d, n));
		acpi_put64(p + 16, d->node[n].mem_size);
		acpi_put32(p + 28, 1);              /* enabled */
	}
	acpi_end(o);

	acpi_begin(o, "SLIT", 1);
	acpi_put64(acpi_grab(o, 8), d->nodes);
	for (uint32_t i = 0; i < d->nodes; i++) {
		p = acpi_grab(o, d->nodes);
		for (uint32_t j = 0; j < d->nodes; j++)
			p[j] = i == j ? 10 : 20;
	}
	acpi_end(o);
}

/* ---- DSDT parts ---------------------------------------------------------- */

void acpi_dsdt_sta(struct aml *a)
{
	aml_name_int(a, "_STA", 0x0F);   /* present, enabled, shown, working */
}

void acpi_dsdt_cpus(struct aml *a, const struct vm_desc *d)
{
	char name[5];

	for (uint32_t i = 0; i < d->cpus; i++) {
		acpi_hexname(name, "C", i, 3);
		aml_device(a, name);
		aml_name_str(a, "_HID", "ACPI0007");
		aml_name_int(a, "_UID", i);
		acpi_dsdt_sta(a);
		aml_close(a);
	}
}

/* A range a consumer decodes, in a 64-bit address descriptor. */
static void qword_range(struct aml *a, unsigned flags, unsigned type_flags, uint64_t min,
			uint64_t translation, uint64_t size)
{
	struct aml_addr r = {
		.space = AML_SPACE_MEMORY,
		.flags = (uint8_t)(flags | AML_MIN_FIXED | AML_MAX_FIXED),
		.type_flags = (uint8_t)type_flags,
		.min = min,
		.max = min + size - 1,
		.translation = translation,
		.length = size,
	};

	aml_rd_addr(a, 8, &r);
}

void acpi_dsdt_mmio(struct aml *a, uint64_t base, uint64_t size)
{
	if ((base + size - 1) >> 32 == 0 && size >> 32 == 0)
		aml_rd_mem32_fixed(a, (uint32_t)base, (uint32_t)size, true);
	else
		qword_range(a, AML_CONSUMER, AML_MEM_RW, base, 0, size);
}

/* A bridge window: min/max are PCI bus addresses, the translation
 * offset makes them CPU addresses (ACPI 6.4 6.4.3.5, _TRA).  The DWord
 * form when every value fits in 32 bits. */
static void window(struct aml *a, enum aml_space space, unsigned type_flags,
		   const struct vm_window *w)
{
	struct aml_addr r = {
		.space = (uint8_t)space,
		.flags = AML_MIN_FIXED | AML_MAX_FIXED,
		.type_flags = (uint8_t)type_flags,
		.min = w->pci_base,
		.max = w->pci_base + w->size - 1,
		.translation = w->cpu_base - w->pci_base,
		.length = w->size,
	};

	if (!w->size)
		return;
	aml_rd_addr(a, (r.max | r.translation | r.length) >> 32 ? 8 : 4, &r);
}

/* On x86 (q35) the bridge decodes the configuration ports 0xCF8-0xCFF
 * itself and forwards the legacy ports below them to the LPC bridge (the
 * ICH9 PM block at 0x600, SMBus, ISA devices), as QEMU's own _CRS says;
 * the description's window goes above them. */
static void pio_windows(struct aml *a, const struct vm_desc *d)
{
	static const struct vm_window legacy = { 0, 0, 0xCF8 };
	struct vm_window w = d->pcie.pio;

	if (d->arch == VM_X86_64) {
		aml_rd_io(a, 0xCF8, 0xCF8, 1, 8);
		window(a, AML_SPACE_IO, AML_IO_ENTIRE_RANGE, &legacy);
		if (w.size && w.pci_base < 0xD00) {
			uint64_t end = w.pci_base + w.size;

			w.cpu_base += 0xD00 - w.pci_base;
			w.pci_base = 0xD00;
			w.size = end > 0xD00 ? end - 0xD00 : 0;
		}
	}
	window(a, AML_SPACE_IO, AML_IO_ENTIRE_RANGE, &w);
}

/* _OSC for a PCI host bridge (PCI Firmware 3.2, 4.5): the OS may take
 * every feature it asks for (hotplug, SHPC, PME, AER, capability
 * structure: mask 0x1F); an unknown revision or UUID is flagged in the
 * first capabilities word as the specification says. */
static void pci_osc(struct aml *a)
{
	aml_method(a, "_OSC", 4, false);
	aml_byte(a, AML_OP_CREATE_DWORD_FIELD);
	aml_byte(a, AML_OP_ARG0 + 3);
	aml_int(a, 0);
	aml_name(a, "CDW1");
	aml_if(a);
	aml_byte(a, AML_OP_LEQUAL);
	aml_byte(a, AML_OP_ARG0);
	aml_uuid(a, "33db4d5b-1ff7-401c-9657-7441c03dd766");
	{
		aml_byte(a, AML_OP_CREATE_DWORD_FIELD);
		aml_byte(a, AML_OP_ARG0 + 3);
		aml_int(a, 8);
		aml_name(a, "CDW3");
		/* Local0 = CDW3 & 0x1F */
		aml_byte(a, AML_OP_AND);
		aml_name(a, "CDW3");
		aml_int(a, 0x1F);
		aml_byte(a, AML_OP_LOCAL0);
		/* If (Arg1 != One) { CDW1 |= 0x08 }: unknown revision */
		aml_if(a);
		aml_byte(a, AML_OP_LNOT);
		aml_byte(a, AML_OP_LEQUAL);
		aml_byte(a, AML_OP_ARG0 + 1);
		aml_byte(a, AML_OP_ONE);
		aml_byte(a, AML_OP_OR);
		aml_name(a, "CDW1");
		aml_int(a, 0x08);
		aml_name(a, "CDW1");
		aml_close(a);
		/* If (CDW3 != Local0) { CDW1 |= 0x10 }: capabilities masked */
		aml_if(a);
		aml_byte(a, AML_OP_LNOT);
		aml_byte(a, AML_OP_LEQUAL);
		aml_name(a, "CDW3");
		aml_byte(a, AML_OP_LOCAL0);
		aml_byte(a, AML_OP_OR);
		aml_name(a, "CDW1");
		aml_int(a, 0x10);
		aml_name(a, "CDW1");
		aml_close(a);
		/* CDW3 = Local0 */
		aml_byte(a, AML_OP_STORE);
		aml_byte(a, AML_OP_LOCAL0);
		aml_name(a, "CDW3");
	}
	aml_close(a);
	aml_else(a);
	/* CDW1 |= 0x04: unrecognized UUID */
	aml_byte(a, AML_OP_OR);
	aml_name(a, "CDW1");
	aml_int(a, 0x04);
	aml_name(a, "CDW1");
	aml_close(a);
	aml_byte(a, AML_OP_RETURN);
	aml_byte(a, AML_OP_ARG0 + 3);
	aml_close(a);
}

/* The GSI that device s's pin p (INTA = 0) raises.  arm64: the swizzle of
 * the device tree's interrupt-map, irq + (s + p) % 4 as SPIs.  x86_64:
 * q35's ICH9 in APIC mode, with irq the GSI of PIRQA of eight: its own
 * functions (devices 25-29, 31) use PIRQA-D by pin, device 30 (the
 * DMI-to-PCI bridge) PIRQE-H by pin, every other slot PIRQE-H swizzled,
 * as QEMU's q35 DSDT routes them. */
static uint32_t prt_gsi(const struct vm_desc *d, uint32_t s, uint32_t p)
{
	if (d->arch == VM_ARM64)
		return 32 + d->pcie.irq + (s + p) % 4;
	if ((s >= 25 && s <= 29) || s == 31)
		return d->pcie.irq + p;
	if (s == 30)
		return d->pcie.irq + 4 + p;
	return d->pcie.irq + 4 + (s + p) % 4;
}

void acpi_dsdt_pci(struct aml *a, const struct vm_desc *d,
		   void (*children)(struct aml *a, const struct vm_desc *d))
{
	uint64_t ecam_size = (uint64_t)(d->pcie.bus_end - d->pcie.bus_start + 1) << 20;
	struct aml_addr bus = {
		.space = AML_SPACE_BUS,
		.flags = AML_MIN_FIXED | AML_MAX_FIXED,
		.min = d->pcie.bus_start,
		.max = d->pcie.bus_end,
		.length = d->pcie.bus_end - d->pcie.bus_start + 1,
	};
	bool arm = d->arch == VM_ARM64;

	if (!d->pcie.present) {
		if (children)
			children(a, d);
		return;
	}
	aml_device(a, "PCI0");
	aml_name_eisaid(a, "_HID", "PNP0A08");
	aml_name_eisaid(a, "_CID", "PNP0A03");
	aml_name_int(a, "_SEG", d->pcie.segment);
	aml_name_int(a, "_BBN", d->pcie.bus_start);
	aml_name_int(a, "_UID", d->pcie.segment);
	if (arm)
		aml_name_int(a, "_CCA", 1);     /* DMA is cache coherent */
	acpi_dsdt_sta(a);

	/* Every slot's four pins; the source is a GSI (Source Zero, ACPI 6.4
	 * 6.2.13). */
	aml_name_decl(a, "_PRT");
	aml_package(a, 128);
	for (uint32_t s = 0; s < 32; s++)
		for (uint32_t p = 0; p < 4; p++) {
			aml_package(a, 4);
			aml_int(a, s << 16 | 0xFFFF);
			aml_int(a, p);
			aml_int(a, 0);
			aml_int(a, prt_gsi(d, s, p));
			aml_close(a);
		}
	aml_close(a);

	aml_name_decl(a, "_CRS");
	aml_rt(a);
	aml_rd_addr(a, 2, &bus);
	pio_windows(a, d);
	window(a, AML_SPACE_MEMORY, AML_MEM_RW, &d->pcie.mmio32);
	window(a, AML_SPACE_MEMORY, AML_MEM_RW | (arm ? 0 : AML_MEM_CACHEABLE), &d->pcie.mmio64);
	aml_close(a);
	pci_osc(a);

	/* The ECAM is the bridge's own: reserved as a motherboard resource,
	 * which Linux wants to see before it trusts MCFG. */
	aml_device(a, "RES0");
	aml_name_eisaid(a, "_HID", "PNP0C02");
	aml_name_int(a, "_UID", 0);
	acpi_dsdt_sta(a);
	aml_name_decl(a, "_CRS");
	aml_rt(a);
	acpi_dsdt_mmio(a, d->pcie.ecam_base, ecam_size);
	aml_close(a);
	aml_close(a);
	if (children)
		children(a, d);
	aml_close(a);
}

void acpi_dsdt_body(struct acpi_out *o, void (*body)(struct aml *a, const struct vm_desc *d))
{
	struct aml a;
	int n;

	acpi_begin(o, "DSDT", 2);
	if (o->err)
		return;
	aml_init(&a, o->buf + o->pos, o->cap - o->pos);
	body(&a, o->d);
	n = aml_finish(&a);
	if (n < 0)
		return fail(o, n, "DSDT");
	o->pos += (uint32_t)n;
	acpi_end(o);
}

/* ---- the whole set -------------------------------------------------------- */

size_t vm_acpi_size(const struct vm_desc *d)
{
	uint64_t cpus = d->cpus < VM_CPUS_MAX ? d->cpus : VM_CPUS_MAX;
	uint64_t virtio = d->virtio.count < VM_VIRTIO_MAX ? d->virtio.count : VM_VIRTIO_MAX;
	uint64_t nodes = d->nodes < VM_NODES_MAX ? d->nodes : VM_NODES_MAX;

	/* Fixed tables and the PCIe bridge, then per CPU: MADT 80, PPTT 4
	 * nodes of 20, SRAT 24, DSDT 48; per virtio device 96 bytes of
	 * DSDT; per node 40 bytes of SRAT and a SLIT row. */
	return (size_t)(8192 + cpus * (80 + 80 + 24 + 48) + virtio * 96 +
			nodes * (40 + VM_NODES_MAX));
}

static int table_index(const struct vm_acpi_layout *l, const char *sig)
{
	for (uint32_t i = 0; i < l->count; i++)
		if (memcmp(l->table[i].sig, sig, 4) == 0)
			return (int)i;
	return -1;
}

/* The checks that keep the writers inside their own bounds; the rest of
 * a description's consistency is vm_validate's. */
static int sane(const struct vm_desc *d, uint64_t base, struct fwk_fault *f)
{
	struct acpi_topo t;

	if (base % 16)
		return fwk_fail(f, FWK_ERR_INVAL, 0, "base", "the RSDP must be 16-byte aligned");
	if (d->arch != VM_ARM64 && d->arch != VM_X86_64)
		return fwk_fail(f, FWK_ERR_INVAL, 0, "arch", "neither arm64 nor x86_64");
	if (d->arch == VM_ARM64 ? d->irqchip != VM_GICV2 && d->irqchip != VM_GICV3
				: d->irqchip != VM_APIC)
		return fwk_fail(f, FWK_ERR_INVAL, 0, "irqchip", "not this architecture's");
	if (d->uart.kind != (d->arch == VM_ARM64 ? VM_UART_PL011 : VM_UART_16550))
		return fwk_fail(f, FWK_ERR_UNSUPPORTED, 0, "uart.kind",
				"only a pl011 on arm64, a 16550 on x86_64");
	if (d->cpus == 0 || d->cpus > VM_CPUS_MAX)
		return fwk_fail(f, FWK_ERR_INVAL, 0, "cpus", "not 1 to 512");
	if (acpi_topology(d, &t))
		return fwk_fail(f, FWK_ERR_INVAL, 0, "sockets",
				"sockets * clusters * cores * threads is not cpus");
	if (d->nodes > VM_NODES_MAX)
		return fwk_fail(f, FWK_ERR_INVAL, 0, "nodes", "more than 8");
	if (d->virtio.count > VM_VIRTIO_MAX)
		return fwk_fail(f, FWK_ERR_INVAL, 0, "virtio.count", "more than 32");
	if (d->pcie.present && (d->pcie.bus_start > d->pcie.bus_end || d->pcie.bus_end > 255))
		return fwk_fail(f, FWK_ERR_INVAL, 0, "pcie.bus_end", "not a bus range");
	if (d->arch == VM_X86_64 && d->pcie.present && d->pcie.irq > 16)
		return fwk_fail(f, FWK_ERR_INVAL, 0, "pcie.irq",
				"q35 routes PCI interrupts to PIRQA-H, 8 GSIs from pcie.irq: "
				"at most 16");
	return 0;
}

int vm_acpi(const struct vm_desc *d, uint64_t base, void *buf, size_t cap,
	    struct vm_acpi_layout *out, struct fwk_fault *f)
{
	struct acpi_out o;
	uint32_t nx;
	uint8_t *p;
	int err, i;

	if (!d || !out || (!buf && cap))
		return fwk_fail(f, FWK_ERR_INVAL, 0, "buf", "no description, buffer or layout");
	err = sane(d, base, f);
	if (err)
		return err;
	memset(out, 0, sizeof(*out));
	memset(&o, 0, sizeof(o));
	o.d = d;
	o.buf = buf;
	o.base = base;
	o.cap = cap > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)cap;
	if (base + o.cap < base)
		return fwk_fail(f, FWK_ERR_INVAL, 0, "base", "the tables would wrap the address space");
	o.lay = out;
	out->base = base;

	/* RSDP (5.2.5.3): revision 2, 36 bytes, no RSDT. */
	acpi_place(&o, "RSDP", 16);
	p = acpi_grab(&o, ACPI_RSDP_V2_SIZE);
	memcpy(p, "RSD PTR ", 8);
	acpi_id(p + 9, d->acpi.oem_id, 6);
	p[15] = 2;
	acpi_put32(p + 20, ACPI_RSDP_V2_SIZE);
	out->table[0].length = ACPI_RSDP_V2_SIZE;

	nx = d->arch == VM_ARM64 ? acpi_arm64_count(d) : acpi_x86_count(d);
	acpi_begin(&o, "XSDT", 1);
	acpi_grab(&o, 8 * nx);
	acpi_end(&o);
	if (d->arch == VM_ARM64)
		acpi_arm64_tables(&o);
	else
		acpi_x86_tables(&o);
	if (o.err)
		return fwk_fail(f, o.err, o.pos, o.where,
				o.err == FWK_ERR_NOSPACE ? "the buffer is too small for the ACPI tables"
							 : "cannot lay out this table");

	/* Pointers, now that every table has its place. */
	p = o.buf + out->table[1].offset + ACPI_HEADER_SIZE;
	for (uint32_t k = 2, n = 0; k < out->count; k++) {
		const char *sig = out->table[k].sig;

		if (memcmp(sig, "DSDT", 4) == 0 || memcmp(sig, "FACS", 4) == 0)
			continue;
		if (n == nx)
			return fwk_fail(f, FWK_ERR_INVAL, 0, "XSDT", "more tables than entries");
		acpi_put64(p + 8 * n++, base + out->table[k].offset);
	}
	acpi_put64(o.buf + RSDP_XSDT, base + out->table[1].offset);
	i = table_index(out, "FACP");
	if (i >= 0) {
		uint8_t *fadt = o.buf + out->table[i].offset;
		int ds = table_index(out, "DSDT"), fs = table_index(out, "FACS");

		if (ds >= 0) {
			uint64_t a = base + out->table[ds].offset;

			if (a >> 32 == 0)
				acpi_put32(fadt + FADT_DSDT, (uint32_t)a);
			acpi_put64(fadt + FADT_X_DSDT, a);
		}
		if (fs >= 0) {
			uint64_t a = base + out->table[fs].offset;

			/* One of the two, never both (ACPI 6.4 5.2.9). */
			if (a >> 32 == 0)
				acpi_put32(fadt + FADT_FACS, (uint32_t)a);
			else
				acpi_put64(fadt + FADT_X_FACS, a);
		}
	}

	/* Checksums last: the RSDP's two, then every table's but FACS's. */
	p = o.buf;
	p[RSDP_CHECKSUM] = (uint8_t)(0u - acpi_checksum(p, ACPI_RSDP_V1_SIZE));
	p[RSDP_EXT_CHECKSUM] = (uint8_t)(0u - acpi_checksum(p, ACPI_RSDP_V2_SIZE));
	for (uint32_t k = 1; k < out->count; k++) {
		uint8_t *t = o.buf + out->table[k].offset;

		if (memcmp(t, "FACS", 4) != 0)
			t[9] = acpi_checksum_fix_value(t, out->table[k].length);
	}
	out->total = o.pos;
	return 0;
}

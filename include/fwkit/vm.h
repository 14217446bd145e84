/* SPDX-License-Identifier: MIT */
/*
 * fwkit/vm.h - one description of a virtual machine, and the device tree
 * and ACPI tables a hypervisor hands its guest, generated from it.
 *
 * A VMM fills a struct vm_desc (vm_default, then its own changes, or
 * vm_parse_json), checks it with vm_validate, and asks for a DTB (vm_dtb)
 * and ACPI tables (vm_acpi).  Both describe the same machine; vm_parity
 * reads the two outputs back independently and says where they differ.
 *
 * Freestanding like the core (no allocation, no I/O, caller-owned
 * buffers), but built as its own object, build/fwkit-guest.o, with its own
 * size check: a boot path that only receives firmware does not link it.
 *
 * Interrupt numbers in a vm_desc are what the device tree writes: on arm64
 * an SPI number (GIC INTID - 32), a PPI number (INTID - 16) for the timer;
 * on x86_64 an ISA IRQ / GSI.  struct vm_dev (the parity check) uses GIC
 * INTIDs on arm64 and GSIs on x86_64, so both outputs compare directly.
 */
#ifndef FWKIT_VM_H
#define FWKIT_VM_H

#include <fwkit/env.h>
#include <fwkit/error.h>

enum vm_arch {
	VM_ARM64 = 1,
	VM_X86_64 = 2,
};

enum vm_irqchip {
	VM_GICV2 = 2,    /* arm64: GICD + GICC, v2m MSI frame */
	VM_GICV3 = 3,    /* arm64: GICD + redistributors, optional ITS */
	VM_APIC = 4,     /* x86_64: local APICs + one IOAPIC */
};

enum vm_uart_kind {
	VM_UART_PL011 = 1,
	VM_UART_16550 = 2,
};

enum vm_psci_conduit {
	VM_PSCI_HVC = 1,
	VM_PSCI_SMC = 2,
};

#define VM_CPUS_MAX 512u
#define VM_NODES_MAX 8u
#define VM_VIRTIO_MAX 32u
#define VM_BOOTARGS_MAX 1024u
#define VM_RNG_SEED_MAX 64u

/* Fixed phandles of the generated device tree (documented in
 * docs/vm.md); a CPU's is VM_PHANDLE_CPU0 + its index. */
#define VM_PHANDLE_GIC 0x8001u
#define VM_PHANDLE_ITS 0x8002u   /* GICv3 ITS, or the GICv2m frame */
#define VM_PHANDLE_CLK 0x8003u   /* the 24 MHz apb-pclk fixed clock */
#define VM_PHANDLE_CPU0 0x1000u

/* One window of a PCIe host bridge: CPU address, PCI bus address, size
 * (size 0: absent). */
struct vm_window {
	uint64_t cpu_base;
	uint64_t pci_base;
	uint64_t size;
};

struct vm_desc {
	enum vm_arch arch;

	/* CPUs.  sockets * clusters * cores * threads equals cpus when any of
	 * them is set; all 0 means one socket, one cluster, cpus cores, one
	 * thread each.  arm64 MPIDR: Aff0 = index % per_cluster, Aff1 = index
	 * / per_cluster, with per_cluster 8 (GICv2) or 16 (GICv3), as QEMU
	 * virt numbers them; x86_64 APIC ID = index. */
	uint32_t cpus;
	uint32_t sockets, clusters, cores, threads;

	/* RAM: one range.  With nodes >= 2 it is split between NUMA nodes in
	 * order (node[i].mem_size bytes each, summing to mem_size) and so are
	 * the CPUs (node[i].cpus each, summing to cpus).  Distances are 10
	 * local and 20 remote. */
	uint64_t mem_base, mem_size;
	uint32_t nodes;
	struct {
		uint64_t mem_size;
		uint32_t cpus;
	} node[VM_NODES_MAX];

	/* Interrupt controller.  GICv2: gicd_base, gicc_base, v2m at its_base
	 * when its.  GICv3: gicd_base, redistributors at gicr_base (0x20000
	 * each, gicr_size in all), an ITS at its_base when its.  x86_64:
	 * local APICs at lapic_base, IOAPIC ioapic_id at ioapic_base with
	 * GSIs from 0. */
	enum vm_irqchip irqchip;
	uint64_t gicd_base, gicc_base, gicr_base, gicr_size;
	bool its;
	uint64_t its_base;
	uint64_t lapic_base, ioapic_base;
	uint32_t ioapic_id;

	/* arm64 architected timer: PPI numbers of the secure physical,
	 * non-secure physical, virtual and hypervisor timers (13 14 11 10). */
	uint32_t timer_ppi[4];

	/* Console UART: pl011 (arm64) or 16550 (x86_64: base is an I/O port). */
	struct {
		enum vm_uart_kind kind;
		uint64_t base;
		uint32_t irq;
		uint32_t clock_hz;
	} uart;

	/* RTC: pl031 on arm64; on x86_64 the CMOS RTC at port 0x70, IRQ 8. */
	struct {
		bool present;
		uint64_t base;
		uint32_t irq;
	} rtc;

	/* virtio-mmio transports: device n at base + n * stride, irq + n. */
	struct {
		uint32_t count;
		uint64_t base, stride;
		uint32_t irq;
	} virtio;

	/* PCIe host bridge (ECAM): buses bus_start..bus_end, ECAM at
	 * ecam_base (bus_start's 1 MiB; 1 MiB per bus).  arm64: INTA..INTD
	 * on SPIs irq..irq+3, swizzled by slot as QEMU's gpex does.  x86_64:
	 * q35's PIRQA..H on GSIs irq..irq+7, routed by slot as ICH9 does
	 * (so irq is at most 16). */
	struct {
		bool present;
		uint32_t segment;
		uint64_t ecam_base;
		uint32_t bus_start, bus_end;
		struct vm_window mmio32, mmio64, pio;
		uint32_t irq;
	} pcie;

	/* PSCI (arm64): version as major << 16 | minor, and conduit. */
	struct {
		uint32_t version;
		enum vm_psci_conduit conduit;
	} psci;

	/* /chosen: bootargs (NUL-terminated), the initrd's range (end 0: no
	 * initrd), stdout-path to the UART when stdout, a seed when
	 * rng_seed_len > 0. */
	struct {
		char bootargs[VM_BOOTARGS_MAX];
		uint64_t initrd_start, initrd_end;
		bool stdout;
		uint8_t rng_seed[VM_RNG_SEED_MAX];
		uint32_t rng_seed_len;
	} chosen;

	/* ACPI header fields of every generated table (NUL-padded). */
	struct {
		char oem_id[7];
		char oem_table_id[9];
		uint32_t oem_revision;
	} acpi;
};

/* The standard machine: arm64 is QEMU virt (7.2's memory map and
 * interrupt numbers: GICv3 at 0x08000000, pl011 at 0x09000000 SPI 1, pl031
 * at 0x09010000 SPI 2, 32 virtio-mmio at 0x0a000000 SPI 16.., PCIe ECAM at
 * 0x4010000000, RAM at 0x40000000), 1 CPU, 1 GiB, PSCI 1.1 over HVC;
 * x86_64 is QEMU q35 (LAPIC 0xfee00000, IOAPIC 0xfec00000, COM1 0x3f8
 * IRQ 4, ECAM 0xb0000000), 1 CPU, 1 GiB.  OEM IDs "FWKIT " "FWKITVM ". */
void vm_default(struct vm_desc *d, enum vm_arch arch);

/* 0, or a fault naming the field (JSON member path, e.g. "pcie.mmio32")
 * that is out of range or inconsistent with another. */
int vm_validate(const struct vm_desc *d, struct fwk_fault *f);

/* Reads a JSON description (docs/vm.md): fills d with vm_default for its
 * "arch" (arm64 when absent), then applies every member.  An unknown
 * member, a wrong type or a value out of range fails with the member's
 * path as the fault's field and the byte offset in text.  Does not call
 * vm_validate. */
int vm_parse_json(struct vm_desc *d, const char *text, size_t len, struct fwk_fault *f);

/* An upper bound on vm_dtb's output for d. */
size_t vm_dtb_size(const struct vm_desc *d);

/* The device tree for a validated d, packed, in buf; *len its size.
 * Returns 0; FWK_ERR_NOSPACE when cap is too small (field "cap", nothing
 * written past cap); FWK_ERR_UNSUPPORTED for x86_64 ("arch": described
 * by ACPI only); FWK_ERR_LIMIT / FWK_ERR_BADFIELD for a d that was not
 * validated (counts beyond VM_*_MAX, bootargs without a NUL);
 * FWK_ERR_INVAL for NULL arguments. */
int vm_dtb(const struct vm_desc *d, void *buf, size_t cap, size_t *len, struct fwk_fault *f);

/* One generated table: its signature and where it is in the output. */
struct vm_table {
	char sig[5];
	uint32_t offset, length;
};
#define VM_TABLES_MAX 16u

struct vm_acpi_layout {
	uint64_t base;          /* guest-physical address of buf[0] */
	uint32_t total;         /* bytes used in buf */
	uint32_t count;         /* tables, RSDP first, then XSDT, FADT, ... */
	struct vm_table table[VM_TABLES_MAX];
};

/* An upper bound on vm_acpi's output for d. */
size_t vm_acpi_size(const struct vm_desc *d);

/* All ACPI tables for a validated d, laid out in buf as if buf[0] were at
 * guest-physical base: RSDP first (16-byte aligned), every table 8-byte
 * aligned, every pointer (RSDP -> XSDT -> tables, FADT -> DSDT) and
 * checksum final.  Each table can also be taken on its own from the
 * layout. */
int vm_acpi(const struct vm_desc *d, uint64_t base, void *buf, size_t cap,
	    struct vm_acpi_layout *out, struct fwk_fault *f);

/* ---- parity: what each output describes, read back independently ----- */

enum vm_dev_kind {
	VM_DEV_CPU = 1,     /* base: MPIDR (arm64) or APIC ID (x86_64) */
	VM_DEV_MEMORY,      /* a RAM range (DT memory nodes; ACPI SRAT) */
	VM_DEV_GICD,
	VM_DEV_GICC,        /* GICv2 CPU interface */
	VM_DEV_GICR,        /* GICv3 redistributor region */
	VM_DEV_ITS,         /* GICv3 ITS or GICv2m frame */
	VM_DEV_TIMER,       /* irq[0..3]: the four timer INTIDs */
	VM_DEV_UART,
	VM_DEV_RTC,
	VM_DEV_VIRTIO,
	VM_DEV_PCIE_ECAM,   /* base, size; index: first bus */
	VM_DEV_PCIE_MMIO32, /* base: CPU address */
	VM_DEV_PCIE_MMIO64,
	VM_DEV_PCIE_PIO,
	VM_DEV_LAPIC,
	VM_DEV_IOAPIC,
};

struct vm_dev {
	uint16_t kind;      /* enum vm_dev_kind */
	uint16_t nirq;
	uint32_t index;     /* CPU index, virtio index, NUMA node of memory */
	uint64_t base, size;
	uint32_t irq[4];    /* GIC INTIDs (arm64) or GSIs (x86_64) */
};

/* One input table for vm_acpi_devices. */
struct vm_blob {
	const void *p;
	size_t len;
};

/* The devices a DTB describes / ACPI tables describe (MADT, GTDT, SPCR,
 * MCFG, SRAT and the DSDT's Devices with their _HID and _CRS).  Each
 * input is checked before it is read; the readers are meant for any tree
 * or tables, not only fwkit's, and fail with a fault naming what they
 * could not read; vm_acpi_devices' fault offset counts bytes across the
 * tables as if laid end to end in the order given.  FWK_ERR_NOSPACE when
 * more than cap devices are found. */
int vm_dt_devices(const void *dtb, size_t len, struct vm_dev *out, size_t cap, size_t *n,
		  struct fwk_fault *f);
int vm_acpi_devices(const struct vm_blob *tables, size_t ntables, struct vm_dev *out,
		    size_t cap, size_t *n, struct fwk_fault *f);

/* Called once for each difference: a device in one list that the other
 * lacks (the other pointer NULL) or describes differently (what says
 * how: "base", "size", "irq", ...). */
typedef void (*vm_mismatch_fn)(void *ctx, const struct vm_dev *dt, const struct vm_dev *acpi,
			       const char *what);

/* Compares the two lists; kinds only one output can carry (docs/vm.md:
 * the RTC on arm64, memory without SRAT) are skipped.  Returns the number
 * of differences. */
size_t vm_parity(const struct vm_dev *dt, size_t ndt, const struct vm_dev *acpi, size_t nacpi,
		 vm_mismatch_fn fn, void *ctx);

/* A static name for a device kind ("cpu", "uart", ...). */
const char *vm_dev_name(unsigned kind);

#endif /* FWKIT_VM_H */

/* SPDX-License-Identifier: MIT */
/*
 * acpi_int.h - internal to hyp-hooks/guest: what the ACPI generator's files
 * (acpi.c: layout and the common tables; acpi_arm64.c, acpi_x86.c: each
 * architecture's tables and DSDT devices) share.
 */
#ifndef FWKIT_GUEST_ACPI_INT_H
#define FWKIT_GUEST_ACPI_INT_H

#include <fwkit/acpi.h>
#include <fwkit/vm.h>

#include "aml.h"

/* The output being laid out: tables are appended at pos.  A table that
 * does not fit sets err and from then on every grab hands out scratch, so
 * writers never check; vm_acpi reports the first failure. */
struct acpi_out {
	const struct vm_desc *d;
	uint8_t *buf;
	uint64_t base;        /* guest-physical address of buf[0] */
	uint32_t cap, pos;
	int err;
	const char *where;    /* the table that failed */
	struct vm_acpi_layout *lay;
	uint8_t scratch[256]; /* what grab hands out after a failure */
};

/* Little-endian stores. */
static inline void acpi_put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void acpi_put32(uint8_t *p, uint32_t v)
{
	acpi_put16(p, v);
	acpi_put16(p + 2, v >> 16);
}

static inline void acpi_put64(uint8_t *p, uint64_t v)
{
	acpi_put32(p, (uint32_t)v);
	acpi_put32(p + 4, (uint32_t)(v >> 32));
}

/* n zeroed bytes at the end of the current table; n is at most the
 * size of scratch (every caller asks for one structure at a time). */
uint8_t *acpi_grab(struct acpi_out *o, uint32_t n);

/* Start a table at the next guest-physical address aligned to align and
 * list it in the layout (acpi_place), and with it the common header
 * whose Length and Checksum are filled in later (acpi_begin: aligned to
 * 8).  End it: its Length (bytes 4..7 in every table, FACS too) is
 * everything grabbed since. */
void acpi_place(struct acpi_out *o, const char *sig, uint32_t align);
void acpi_begin(struct acpi_out *o, const char *sig, uint8_t revision);
void acpi_end(struct acpi_out *o);

/* A Generic Address Structure (ACPI 6.4 5.2.3.2) at p. */
void acpi_gas(uint8_t *p, uint8_t space, uint8_t bits, uint8_t access, uint64_t addr);
#define ACPI_GAS_MEMORY 0u
#define ACPI_GAS_IO 1u

/* "C000"-style names: prefix then the value in `digits` hex digits. */
void acpi_hexname(char out[5], const char *prefix, uint32_t v, unsigned digits);

/* The topology every table uses: all four >= 1, their product is cpus. */
struct acpi_topo {
	uint32_t sockets, clusters, cores, threads;
};
int acpi_topology(const struct vm_desc *d, struct acpi_topo *t);

/* The NUMA node of CPU i and the first byte of node n's memory. */
uint32_t acpi_cpu_node(const struct vm_desc *d, uint32_t cpu);
uint64_t acpi_node_base(const struct vm_desc *d, uint32_t node);

/* DSDT parts both architectures use: the CPUs (ACPI0007, _UID = index),
 * a device's memory-mapped register range (Memory32Fixed when it fits in
 * 32 bits, else a QWordMemory), _STA (0xF), and the PCIe host bridge PCI0
 * with its resources, routing, _OSC, the ECAM reservation and the
 * children the caller adds (emitted in \_SB when there is no PCIe).
 * Each goes into the open scope. */
void acpi_dsdt_cpus(struct aml *a, const struct vm_desc *d);
void acpi_dsdt_mmio(struct aml *a, uint64_t base, uint64_t size);
void acpi_dsdt_sta(struct aml *a);
void acpi_dsdt_pci(struct aml *a, const struct vm_desc *d,
		   void (*children)(struct aml *a, const struct vm_desc *d));

/* Emit the DSDT's AML body (after its header) into the output. */
void acpi_dsdt_body(struct acpi_out *o, void (*body)(struct aml *a, const struct vm_desc *d));

/* Each architecture's tables after RSDP and XSDT, in layout order, and
 * the number of XSDT entries they make. */
void acpi_arm64_tables(struct acpi_out *o);
uint32_t acpi_arm64_count(const struct vm_desc *d);
void acpi_x86_tables(struct acpi_out *o);
uint32_t acpi_x86_count(const struct vm_desc *d);

/* The shared tables. */
void acpi_mcfg(struct acpi_out *o);
void acpi_srat_slit(struct acpi_out *o);

#endif /* FWKIT_GUEST_ACPI_INT_H */

/* SPDX-License-Identifier: MIT */
/* acpi_x86.c - the x86_64 guest's tables for QEMU's q35: FADT and FACS (the
 * ICH9 power management block), DSDT, MADT (local APICs, IOAPIC,
 * overrides), MCFG, SRAT/SLIT. */
#include "acpi_int.h"

#define AT(off) ((off) - ACPI_HEADER_SIZE) /* a table offset, in its body */

/* FADT (ACPI 6.4 5.2.9), revision 3 and 244 bytes like q35's own, with
 * its values: the ICH9 PM block at I/O port 0x600, SCI on IRQ 9, ACPI
 * mode by writing 2 to the SMI command port 0xB2, reset by 0x0F to port
 * 0xCF9, the CMOS century at index 0x32, an 8042 present. */
#define FADT_SIZE 244u
#define PM_BASE 0x600u
static const struct {
	uint8_t off, size;
	uint16_t v;
} fadt_fields[] = {
	{ 46, 2, 9 },               /* SCI_INT */
	{ 48, 4, 0xB2 },            /* SMI_CMD */
	{ 52, 1, 2 },               /* ACPI_ENABLE */
	{ 53, 1, 3 },               /* ACPI_DISABLE */
	{ 56, 4, PM_BASE },         /* PM1a_EVT_BLK */
	{ 64, 4, PM_BASE + 4 },     /* PM1a_CNT_BLK */
	{ 76, 4, PM_BASE + 8 },     /* PM_TMR_BLK */
	{ 80, 4, PM_BASE + 0x20 },  /* GPE0_BLK */
	{ 88, 1, 4 },               /* PM1_EVT_LEN */
	{ 89, 1, 2 },               /* PM1_CNT_LEN */
	{ 91, 1, 4 },               /* PM_TMR_LEN */
	{ 92, 1, 16 },              /* GPE0_BLK_LEN */
	{ 96, 2, 0x0FFF },          /* P_LVL2_LAT: no C2 */
	{ 98, 2, 0x0FFF },          /* P_LVL3_LAT: no C3 */
	{ 108, 1, 0x32 },           /* CENTURY */
	{ 109, 2, 0x0002 },         /* IAPC_BOOT_ARCH: 8042 */
	/* Flags: WBINVD, PROC_C1, SLP_BUTTON, RTC_S4, RESET_REG_SUP,
	 * USE_PLATFORM_CLOCK. */
	{ 112, 2, 1u << 0 | 1u << 2 | 1u << 5 | 1u << 7 | 1u << 10 | 1u << 15 },
	{ 128, 1, 0x0F },           /* RESET_VALUE */
};

static void fadt(struct acpi_out *o)
{
	uint8_t *t;

	acpi_begin(o, "FACP", 3);
	t = acpi_grab(o, AT(FADT_SIZE));
	for (unsigned i = 0; i < sizeof(fadt_fields) / sizeof(fadt_fields[0]); i++) {
		uint8_t *p = t + AT(fadt_fields[i].off);
		uint16_t v = fadt_fields[i].v;

		if (fadt_fields[i].size == 1)
			p[0] = (uint8_t)v;
		else if (fadt_fields[i].size == 2)
			acpi_put16(p, v);
		else
			acpi_put32(p, v);
	}
	acpi_gas(t + AT(116), ACPI_GAS_IO, 8, 0, 0xCF9);         /* RESET_REG */
	acpi_gas(t + AT(148), ACPI_GAS_IO, 32, 0, PM_BASE);      /* X_PM1a_EVT_BLK */
	acpi_gas(t + AT(172), ACPI_GAS_IO, 16, 0, PM_BASE + 4);  /* X_PM1a_CNT_BLK */
	acpi_gas(t + AT(208), ACPI_GAS_IO, 32, 0, PM_BASE + 8);  /* X_PM_TMR_BLK */
	acpi_gas(t + AT(220), ACPI_GAS_IO, 128, 0, PM_BASE + 0x20); /* X_GPE0_BLK */
	acpi_end(o);
}

/* FACS (5.2.10): 64 bytes, 64-byte aligned, version 2, nothing else. */
static void facs(struct acpi_out *o)
{
	uint8_t *p;

	acpi_place(o, "FACS", 64);
	p = acpi_grab(o, 64);
	memcpy(p, "FACS", 4);
	p[32] = 2;
	acpi_end(o);
}

/* An ISA device's interrupt: IRQNoFlags for IRQs 0-15 (edge, high),
 * else an Extended Interrupt with the same meaning. */
static void isa_irq(struct aml *a, uint32_t irq)
{
	if (irq < 16)
		aml_rd_irq_noflags(a, (uint16_t)(1u << irq));
	else
		aml_rd_interrupt(a, AML_INT_CONSUMER | AML_INT_EDGE, &irq, 1);
}

/* The ISA devices q35's LPC bridge decodes: COM1 and the CMOS RTC. */
static void isa_devices(struct aml *a, const struct vm_desc *d)
{
	uint16_t base = (uint16_t)d->uart.base;

	aml_device(a, "COM1");
	aml_name_eisaid(a, "_HID", "PNP0501");
	aml_name_int(a, "_UID", 1);
	acpi_dsdt_sta(a);
	aml_name_decl(a, "_CRS");
	aml_rt(a);
	aml_rd_io(a, base, base, 1, 8);
	isa_irq(a, d->uart.irq);
	aml_close(a);
	aml_close(a);

	if (!d->rtc.present)
		return;
	base = (uint16_t)d->rtc.base;
	aml_device(a, "RTC");
	aml_name_eisaid(a, "_HID", "PNP0B00");
	acpi_dsdt_sta(a);
	aml_name_decl(a, "_CRS");
	aml_rt(a);
	aml_rd_io(a, base, base, 1, 8);
	isa_irq(a, d->rtc.irq);
	aml_close(a);
	aml_close(a);
}

static void dsdt(struct aml *a, const struct vm_desc *d)
{
	aml_scope(a, "\\_SB");
	acpi_dsdt_cpus(a, d);
	acpi_dsdt_pci(a, d, isa_devices);
	aml_close(a);
	/* S5 (soft off): SLP_TYP 0 in PM1a/PM1b control, as ICH9 wants. */
	aml_name_decl(a, "_S5");
	aml_package(a, 4);
	for (unsigned i = 0; i < 4; i++)
		aml_int(a, 0);
	aml_close(a);
}

/* MADT (5.2.12), revision 5: a local APIC per CPU (x2APIC from APIC ID
 * 255 on), the IOAPIC with GSIs from 0, and q35's interrupt source
 * overrides: IRQ 0 on GSI 2, the PCI interrupts 5, 9 (the SCI), 10, 11
 * level-triggered and active high; NMI on every CPU's LINT1. */
static void madt(struct acpi_out *o)
{
	static const uint8_t level_high[] = { 5, 9, 10, 11 };
	const struct vm_desc *d = o->d;
	uint8_t *p;

	acpi_begin(o, "APIC", 5);
	p = acpi_grab(o, 8);
	acpi_put32(p, (uint32_t)d->lapic_base);
	acpi_put32(p + 4, 1);               /* PCAT_COMPAT: 8259s present */
	for (uint32_t i = 0; i < d->cpus; i++) {
		if (i < 255) {
			p = acpi_grab(o, 8);
			p[0] = 0;
			p[1] = 8;
			p[2] = (uint8_t)i;      /* ACPI Processor UID */
			p[3] = (uint8_t)i;      /* APIC ID */
			acpi_put32(p + 4, 1);   /* enabled */
		} else {
			p = acpi_grab(o, 16);
			p[0] = 9;
			p[1] = 16;
			acpi_put32(p + 4, i);
			acpi_put32(p + 8, 1);
			acpi_put32(p + 12, i);
		}
	}
	p = acpi_grab(o, 12);
	p[0] = 1;
	p[1] = 12;
	p[2] = (uint8_t)d->ioapic_id;
	acpi_put32(p + 4, (uint32_t)d->ioapic_base);
	p = acpi_grab(o, 10);
	p[0] = 2;
	p[1] = 10;
	acpi_put32(p + 4, 2);               /* IRQ 0 -> GSI 2, conforming */
	for (unsigned i = 0; i < sizeof(level_high); i++) {
		p = acpi_grab(o, 10);
		p[0] = 2;
		p[1] = 10;
		p[3] = level_high[i];
		acpi_put32(p + 4, level_high[i]);
		acpi_put16(p + 8, 0x1 | 0x3 << 2);  /* active high, level */
	}
	p = acpi_grab(o, 6);
	p[0] = 4;
	p[1] = 6;
	p[2] = 0xFF;                        /* all processors */
	p[5] = 1;                           /* LINT1 */
	if (d->cpus > 255) {
		p = acpi_grab(o, 12);
		p[0] = 0xA;
		p[1] = 12;
		acpi_put32(p + 4, 0xFFFFFFFFu);
		p[8] = 1;
	}
	acpi_end(o);
}

uint32_t acpi_x86_count(const struct vm_desc *d)
{
	/* FACP APIC, MCFG, SRAT SLIT */
	return 2 + d->pcie.present + (d->nodes >= 2) * 2;
}

void acpi_x86_tables(struct acpi_out *o)
{
	fadt(o);
	facs(o);
	acpi_dsdt_body(o, dsdt);
	madt(o);
	acpi_mcfg(o);
	acpi_srat_slit(o);
}

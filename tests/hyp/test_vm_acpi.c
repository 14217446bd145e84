/* SPDX-License-Identifier: MIT */
/* test_vm_acpi.c - cmocka tests of vm_acpi: for both architectures' default
 * machines and variations (1 to 512 CPUs, GICv2/v3, ITS, NUMA, topology,
 * no PCIe, 0 or 32 virtio, OEM IDs, bases above 4 GiB), every table is
 * read back with this file's own little-endian readers and with fwkit's
 * ACPI checker: checksums, lengths, RSDP -> XSDT -> tables and FADT ->
 * DSDT/FACS pointers at the base, each table's fields against the
 * description; sizes within vm_acpi_size; NOSPACE for every short buffer
 * without a byte written past it; bad descriptions named by field. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../support/testkit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fwkit/acpi.h>
#include <fwkit/vm.h>

#define GUARD 0xC3
#define SLACK 64u    /* guard bytes after the buffer */
#define BASE 0x7ff00000u

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) | (uint32_t)get16(p + 2) << 16;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static unsigned sum(const uint8_t *p, size_t n)
{
	unsigned s = 0;

	for (size_t i = 0; i < n; i++)
		s += p[i];
	return s & 0xFF;
}

/* One generated set. */
struct gen {
	const struct vm_desc *d;
	uint8_t *buf;
	size_t cap;
	struct vm_acpi_layout lay;
};

/* The table with this signature: its bytes and length, or NULL. */
static const uint8_t *table(const struct gen *g, const char *sig, uint32_t *len)
{
	for (uint32_t i = 0; i < g->lay.count; i++)
		if (memcmp(g->lay.table[i].sig, sig, 4) == 0) {
			if (len)
				*len = g->lay.table[i].length;
			return g->buf + g->lay.table[i].offset;
		}
	return NULL;
}

/* The layout table a guest-physical address points at, or -1. */
static int at(const struct gen *g, uint64_t addr)
{
	for (uint32_t i = 0; i < g->lay.count; i++)
		if (addr == g->lay.base + g->lay.table[i].offset)
			return (int)i;
	return -1;
}

static bool has(const uint8_t *p, size_t n, const void *what, size_t wn)
{
	for (size_t i = 0; i + wn <= n; i++)
		if (memcmp(p + i, what, wn) == 0)
			return true;
	return false;
}

static size_t count(const uint8_t *p, size_t n, const void *what, size_t wn)
{
	size_t c = 0;

	for (size_t i = 0; i + wn <= n; i++)
		c += memcmp(p + i, what, wn) == 0;
	return c;
}

/* ---- checks every set must pass --------------------------------------- */


/* What the tables should carry for an ID: its characters, then spaces. */
static void space_pad(char *out, const char *id, unsigned n)
{
	unsigned i = 0;

	for (; i < n && id[i]; i++)
		out[i] = id[i];
	for (; i < n; i++)
		out[i] = ' ';
}

static void check_layout(const struct gen *g, uint64_t base)
{
	const struct vm_acpi_layout *l = &g->lay;
	struct fwk_fault f;
	struct acpi_rsdp r;
	uint64_t end = 0;

	assert_int_equal(l->base, base);
	assert_true(l->count >= 5 && l->count <= VM_TABLES_MAX);
	assert_true(l->total <= g->cap);
	assert_string_equal(l->table[0].sig, "RSDP");
	assert_int_equal(l->table[0].offset, 0);
	assert_int_equal(l->table[0].length, 36);
	assert_string_equal(l->table[1].sig, "XSDT");
	for (uint32_t i = 0; i < l->count; i++) {
		const struct vm_table *t = &l->table[i];
		uint32_t align = i == 0 ? 16 : memcmp(t->sig, "FACS", 4) == 0 ? 64 : 8;

		assert_int_equal(t->sig[4], '\0');
		assert_true(t->offset >= end);       /* in order, no overlap */
		assert_int_equal((base + t->offset) % align, 0);
		end = (uint64_t)t->offset + t->length;
		assert_true(end <= l->total);
		for (uint32_t j = 0; j < i; j++)
			assert_true(memcmp(l->table[j].sig, t->sig, 4) != 0);
	}
	assert_int_equal(end, l->total);

	/* RSDP: fwkit's checker, then the fields. */
	assert_int_equal(acpi_rsdp_parse(g->buf, 36, &r, &f), 0);
	assert_int_equal(acpi_table_check(g->buf, 36, &f), ACPI_KIND_RSDP);
	assert_int_equal(r.revision, 2);
	assert_int_equal(r.length, 36);
	assert_int_equal(r.rsdt_address, 0);
	assert_int_equal(r.xsdt_address, base + l->table[1].offset);
	/* IDs shorter than their field are padded with spaces, as QEMU's */
	char oem_id[6], oem_table_id[8];
	space_pad(oem_id, g->d->acpi.oem_id, 6);
	space_pad(oem_table_id, g->d->acpi.oem_table_id, 8);
	assert_memory_equal(r.oem_id, oem_id, 6);

	/* Every other table: kind, length, checksum, header fields. */
	for (uint32_t i = 1; i < l->count; i++) {
		const uint8_t *t = g->buf + l->table[i].offset;
		uint32_t n = l->table[i].length;
		struct acpi_header h;

		assert_memory_equal(t, l->table[i].sig, 4);
		assert_int_equal(get32(t + 4), n);
		if (memcmp(t, "FACS", 4) == 0) {
			assert_int_equal(acpi_table_check(t, n, &f), ACPI_KIND_FACS);
			assert_int_equal(n, 64);
			continue;
		}
		assert_int_equal(acpi_table_check(t, n, &f), ACPI_KIND_SDT);
		assert_int_equal(sum(t, n), 0);
		assert_int_equal(acpi_header_parse(t, n, &h, &f), 0);
		assert_memory_equal(h.oem_id, oem_id, 6);
		assert_memory_equal(h.oem_table_id, oem_table_id, 8);
		assert_int_equal(h.oem_revision, g->d->acpi.oem_revision);
		assert_memory_equal(h.creator_id, "FWKT", 4);
		assert_int_equal(h.creator_revision, 1);
	}

	/* XSDT: every table but RSDP, XSDT, DSDT and FACS, once each. */
	const uint8_t *x = g->buf + l->table[1].offset;
	uint32_t xn = l->table[1].length, want = 0;
	int n = acpi_root_entries(x, xn, &f);
	bool seen[VM_TABLES_MAX] = { false };

	for (uint32_t i = 2; i < l->count; i++)
		want += memcmp(l->table[i].sig, "DSDT", 4) && memcmp(l->table[i].sig, "FACS", 4);
	assert_int_equal(n, (int)want);
	for (int i = 0; i < n; i++) {
		uint64_t addr;
		int k;

		assert_int_equal(acpi_root_entry(x, xn, (uint32_t)i, &addr), 0);
		k = at(g, addr);
		assert_true(k >= 2);
		assert_false(seen[k]);
		seen[k] = true;
		assert_true(memcmp(l->table[k].sig, "DSDT", 4) && memcmp(l->table[k].sig, "FACS", 4));
	}

	/* FADT -> DSDT (and FACS): X_ pointers, 32-bit ones when they fit. */
	uint32_t fl;
	const uint8_t *fadt = table(g, "FACP", &fl);
	struct acpi_fadt_ptrs p;
	uint32_t dl;
	const uint8_t *dsdt = table(g, "DSDT", &dl);
	const uint8_t *facs = table(g, "FACS", NULL);

	assert_non_null(fadt);
	assert_non_null(dsdt);
	assert_int_equal(acpi_fadt_ptrs(fadt, fl, &p), 0);
	uint64_t da = base + (uint64_t)(dsdt - g->buf);
	assert_int_equal(p.x_dsdt, da);
	assert_int_equal(p.dsdt, da >> 32 ? 0 : da);
	if (facs) {
		uint64_t fa = base + (uint64_t)(facs - g->buf);
		assert_int_equal(p.facs, fa >> 32 ? 0 : fa);
		assert_int_equal(p.x_facs, fa >> 32 ? fa : 0);
	} else {
		assert_int_equal(p.facs | p.x_facs, 0);
	}
	assert_true(dl > 36 + 16);
	assert_int_equal(dsdt[8], 2);   /* revision 2: 64-bit integers */
}

/* ---- each table against the description --------------------------------- */

static uint32_t cpu_node(const struct vm_desc *d, uint32_t cpu)
{
	uint32_t n = 0;

	if (d->nodes < 2)
		return 0;
	while (cpu >= d->node[n].cpus) {
		cpu -= d->node[n++].cpus;
		assert_true(n < d->nodes);
	}
	return n;
}

static void check_srat_slit(const struct gen *g)
{
	const struct vm_desc *d = g->d;
	uint32_t n, sn;
	const uint8_t *s = table(g, "SRAT", &n), *sl = table(g, "SLIT", &sn);
	uint32_t cpus = 0, mems = 0;
	uint64_t next = d->mem_base;

	if (d->nodes < 2) {
		assert_null(s);
		assert_null(sl);
		return;
	}
	assert_non_null(s);
	assert_int_equal(s[8], 3);
	assert_int_equal(get32(s + 36), 1);
	for (uint32_t o = 48; o < n; o += s[o + 1]) {
		assert_true(s[o + 1] > 0 && o + s[o + 1] <= n);
		switch (s[o]) {
		case 0:     /* local APIC affinity */
			assert_int_equal(d->arch, VM_X86_64);
			assert_int_equal(s[o + 1], 16);
			assert_int_equal(s[o + 3], cpus);
			assert_int_equal(s[o + 2], cpu_node(d, cpus));
			assert_int_equal(get32(s + o + 4), 1);
			cpus++;
			break;
		case 2:     /* x2APIC affinity */
			assert_int_equal(d->arch, VM_X86_64);
			assert_int_equal(s[o + 1], 24);
			assert_true(cpus >= 255);
			assert_int_equal(get32(s + o + 8), cpus);
			assert_int_equal(get32(s + o + 4), cpu_node(d, cpus));
			cpus++;
			break;
		case 3:     /* GICC affinity */
			assert_int_equal(d->arch, VM_ARM64);
			assert_int_equal(s[o + 1], 18);
			assert_int_equal(get32(s + o + 6), cpus);
			assert_int_equal(get32(s + o + 2), cpu_node(d, cpus));
			assert_int_equal(get32(s + o + 10), 1);
			cpus++;
			break;
		case 1:     /* memory affinity: the nodes in order, back to back */
			assert_int_equal(s[o + 1], 40);
			assert_int_equal(get32(s + o + 2), mems);
			assert_int_equal(get64(s + o + 8), next);
			assert_int_equal(get64(s + o + 16), d->node[mems].mem_size);
			assert_int_equal(get32(s + o + 28), 1);
			next += d->node[mems++].mem_size;
			break;
		default:
			fail_msg("SRAT structure type %u", s[o]);
		}
	}
	assert_int_equal(cpus, d->cpus);
	assert_int_equal(mems, d->nodes);
	assert_int_equal(next, d->mem_base + d->mem_size);

	assert_non_null(sl);
	assert_int_equal(sn, 44 + d->nodes * d->nodes);
	assert_int_equal(get64(sl + 36), d->nodes);
	for (uint32_t i = 0; i < d->nodes; i++)
		for (uint32_t j = 0; j < d->nodes; j++)
			assert_int_equal(sl[44 + i * d->nodes + j], i == j ? 10 : 20);
}

static void check_mcfg(const struct gen *g)
{
	const struct vm_desc *d = g->d;
	uint32_t n;
	const uint8_t *m = table(g, "MCFG", &n);

	if (!d->pcie.present) {
		assert_null(m);
		return;
	}
	assert_non_null(m);
	assert_int_equal(n, 60);
	assert_int_equal(get64(m + 44), d->pcie.ecam_base - ((uint64_t)d->pcie.bus_start << 20));
	assert_int_equal(get16(m + 52), d->pcie.segment);
	assert_int_equal(m[54], d->pcie.bus_start);
	assert_int_equal(m[55], d->pcie.bus_end);
}

static void check_arm64(const struct gen *g)
{
	const struct vm_desc *d = g->d;
	bool v3 = d->irqchip == VM_GICV3;
	uint32_t n, gicc = 0, gicd = 0, gicr = 0, its = 0, v2m = 0;
	const uint8_t *t;

	/* FADT: hardware-reduced, PSCI over the description's conduit. */
	t = table(g, "FACP", &n);
	assert_int_equal(n, 276);
	assert_int_equal(t[8], 6);
	assert_int_equal(get32(t + 112), 1u << 20);
	assert_int_equal(get16(t + 129), d->psci.conduit == VM_PSCI_HVC ? 3 : 1);
	assert_int_equal(t[131], 3);

	/* MADT */
	t = table(g, "APIC", &n);
	assert_non_null(t);
	assert_int_equal(get64(t + 36), 0);
	for (uint32_t o = 44; o < n; o += t[o + 1]) {
		assert_true(t[o + 1] > 0 && o + t[o + 1] <= n);
		switch (t[o]) {
		case 0xB: {
			uint32_t per = v3 ? 16 : 8;
			assert_int_equal(t[o + 1], 80);
			assert_int_equal(get32(t + o + 4), gicc);
			assert_int_equal(get32(t + o + 8), gicc);
			assert_int_equal(get32(t + o + 12), 1);
			assert_int_equal(get64(t + o + 32), v3 ? 0 : d->gicc_base);
			assert_int_equal(get64(t + o + 60), 0);
			assert_int_equal(get64(t + o + 68), (uint64_t)(gicc / per) << 8 | gicc % per);
			gicc++;
			break;
		}
		case 0xC:
			assert_int_equal(t[o + 1], 24);
			assert_int_equal(get64(t + o + 8), d->gicd_base);
			assert_int_equal(t[o + 20], v3 ? 3 : 2);
			gicd++;
			break;
		case 0xD:
			assert_int_equal(t[o + 1], 24);
			assert_int_equal(get64(t + o + 8), d->its_base);
			v2m++;
			break;
		case 0xE:
			assert_int_equal(t[o + 1], 16);
			assert_int_equal(get64(t + o + 4), d->gicr_base);
			assert_int_equal(get32(t + o + 12), d->gicr_size);
			gicr++;
			break;
		case 0xF:
			assert_int_equal(t[o + 1], 20);
			assert_int_equal(get64(t + o + 8), d->its_base);
			its++;
			break;
		default:
			fail_msg("MADT structure type %u", t[o]);
		}
	}
	assert_int_equal(gicc, d->cpus);
	assert_int_equal(gicd, 1);
	assert_int_equal(gicr, v3);
	assert_int_equal(its, v3 && d->its);
	assert_int_equal(v2m, !v3 && d->its);

	/* GTDT: the four timers' INTIDs, level, active high, always-on. */
	t = table(g, "GTDT", &n);
	assert_int_equal(n, 96);
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(get32(t + 48 + 8 * i), d->timer_ppi[i] + 16);
		assert_int_equal(get32(t + 52 + 8 * i), 4);
	}

	/* SPCR and DBG2: the pl011 and its interrupt. */
	t = table(g, "SPCR", &n);
	assert_int_equal(n, 80);
	assert_int_equal(t[36], 3);
	assert_int_equal(get64(t + 44), d->uart.base);
	assert_int_equal(t[52], 8);
	assert_int_equal(get32(t + 54), d->uart.irq + 32);
	t = table(g, "DBG2", &n);
	assert_int_equal(get32(t + 36), 44);
	assert_int_equal(get32(t + 40), 1);
	assert_int_equal(get16(t + 44 + 12), 0x8000);
	assert_int_equal(get16(t + 44 + 14), 3);
	assert_int_equal(get64(t + 44 + get16(t + 44 + 18) + 4), d->uart.base);
	assert_string_equal((const char *)t + 44 + get16(t + 44 + 6), "\\_SB.COM0");

	/* IORT: with a GICv3 ITS and PCIe only. */
	t = table(g, "IORT", &n);
	if (v3 && d->its && d->pcie.present) {
		assert_non_null(t);
		assert_int_equal(get32(t + 36), 2);
		assert_int_equal(t[get32(t + 40)], 0);          /* ITS group first */
		assert_int_equal(t[get32(t + 40) + 24], 2);     /* then the root complex */
	} else {
		assert_null(t);
	}

	/* PPTT: one leaf per CPU with its index as ID, parents before children. */
	uint32_t s = d->sockets ? d->sockets : 1, c = d->clusters ? d->clusters : 1;
	uint32_t th = d->threads ? d->threads : 1;
	bool any = d->sockets || d->clusters || d->cores || d->threads;
	uint32_t co = d->cores ? d->cores : any ? 1 : d->cpus;
	uint32_t leaves = 0, packages = 0, nodes = 0;
	bool id_seen[VM_CPUS_MAX] = { false };

	t = table(g, "PPTT", &n);
	assert_non_null(t);
	assert_int_equal(t[8], 2);
	for (uint32_t o = 36; o < n; o += 20) {
		uint32_t flags = get32(t + o + 4), parent = get32(t + o + 8);

		assert_int_equal(t[o], 0);
		assert_int_equal(t[o + 1], 20);
		assert_int_equal(get32(t + o + 16), 0);
		if (flags & 1) {
			assert_int_equal(parent, 0);
			packages++;
		} else {
			assert_true(parent >= 36 && parent < o && (parent - 36) % 20 == 0);
			assert_int_equal(get32(t + parent + 4) & 8, 0);   /* not a leaf */
		}
		if (flags & 8) {
			uint32_t id = get32(t + o + 12);
			assert_true(flags & 2);
			assert_int_equal(!!(flags & 4), th > 1);
			assert_true(id < d->cpus);
			assert_false(id_seen[id]);
			id_seen[id] = true;
			assert_int_equal(id, leaves);   /* depth first: in order */
			leaves++;
		}
		nodes++;
	}
	assert_int_equal(leaves, d->cpus);
	assert_int_equal(packages, s);
	assert_int_equal(nodes, s + s * c + s * c * co + (th > 1 ? d->cpus : 0));

	/* DSDT: a processor per CPU, the UART, virtio, PCIe; no RTC. */
	t = table(g, "DSDT", &n);
	assert_int_equal(count(t, n, "ACPI0007", 9), d->cpus);
	assert_int_equal(count(t, n, "ARMH0011", 9), 1);
	assert_int_equal(count(t, n, "LNRO0005", 9), d->virtio.count);
	assert_int_equal(has(t, n, "PCI0", 4), d->pcie.present);
	assert_false(has(t, n, "\x41\xD0\x0B\x00", 4));   /* PNP0B00 */
	for (uint32_t i = 0; i < d->virtio.count; i++) {
		char name[12];
		snprintf(name, sizeof(name), "VR%02X", i);
		assert_true(has(t, n, name, 4));
	}
	char name[12];
	snprintf(name, sizeof(name), "C%03X", d->cpus - 1);
	assert_true(has(t, n, name, 4));
}

static void check_x86(const struct gen *g)
{
	const struct vm_desc *d = g->d;
	uint32_t n, lapic = 0, x2apic = 0, ioapic = 0, iso = 0, nmi = 0;
	const uint8_t *t;

	/* FADT: q35's ICH9 values, not hardware-reduced. */
	t = table(g, "FACP", &n);
	assert_int_equal(n, 244);
	assert_int_equal(t[8], 3);
	assert_int_equal(get16(t + 46), 9);
	assert_int_equal(get32(t + 56), 0x600);
	assert_int_equal(get32(t + 64), 0x604);
	assert_int_equal(get32(t + 76), 0x608);
	assert_int_equal(get32(t + 112) & (1u << 20), 0);
	assert_int_equal(get64(t + 120), 0xCF9);
	assert_non_null(table(g, "FACS", NULL));

	t = table(g, "APIC", &n);
	assert_int_equal(get32(t + 36), d->lapic_base);
	assert_int_equal(get32(t + 40), 1);
	for (uint32_t o = 44; o < n; o += t[o + 1]) {
		assert_true(t[o + 1] > 0 && o + t[o + 1] <= n);
		switch (t[o]) {
		case 0:
			assert_int_equal(t[o + 1], 8);
			assert_int_equal(t[o + 2], lapic);
			assert_int_equal(t[o + 3], lapic);
			assert_int_equal(get32(t + o + 4), 1);
			lapic++;
			break;
		case 9:
			assert_int_equal(t[o + 1], 16);
			assert_int_equal(get32(t + o + 4), 255 + x2apic);
			assert_int_equal(get32(t + o + 12), 255 + x2apic);
			x2apic++;
			break;
		case 1:
			assert_int_equal(t[o + 1], 12);
			assert_int_equal(t[o + 2], d->ioapic_id);
			assert_int_equal(get32(t + o + 4), d->ioapic_base);
			assert_int_equal(get32(t + o + 8), 0);
			ioapic++;
			break;
		case 2:
			assert_int_equal(t[o + 1], 10);
			if (t[o + 3] == 0) {
				assert_int_equal(get32(t + o + 4), 2);
				assert_int_equal(get16(t + o + 8), 0);
			} else {
				assert_int_equal(get32(t + o + 4), t[o + 3]);
				assert_int_equal(get16(t + o + 8), 0xD);
			}
			iso++;
			break;
		case 4:
		case 0xA:
			nmi++;
			break;
		default:
			fail_msg("MADT structure type %u", t[o]);
		}
	}
	assert_int_equal(lapic, d->cpus < 255 ? d->cpus : 255);
	assert_int_equal(x2apic, d->cpus > 255 ? d->cpus - 255 : 0);
	assert_int_equal(ioapic, 1);
	assert_int_equal(iso, 5);
	assert_int_equal(nmi, d->cpus > 255 ? 2 : 1);
	assert_null(table(g, "GTDT", NULL));
	assert_null(table(g, "PPTT", NULL));

	t = table(g, "DSDT", &n);
	assert_int_equal(count(t, n, "ACPI0007", 9), d->cpus);
	assert_true(has(t, n, "\x41\xD0\x05\x01", 4));   /* PNP0501 */
	assert_int_equal(has(t, n, "\x41\xD0\x0B\x00", 4), d->rtc.present);
	assert_int_equal(has(t, n, "\x41\xD0\x0A\x08", 4), d->pcie.present);
	assert_true(has(t, n, "_S5_", 4));
}

/* Generate for d at base into an exact-size buffer with guard bytes, and
 * check everything. */
static void generate(const struct vm_desc *d, uint64_t base, struct gen *g)
{
	struct fwk_fault f = { 0 };
	int rc;

	rc = vm_validate(d, &f);
	if (rc)
		fail_msg("vm_validate: %s: %s", f.field, f.detail);
	memset(g, 0, sizeof(*g));
	g->d = d;
	g->cap = vm_acpi_size(d);
	assert_true(g->cap > 0);
	g->buf = malloc(g->cap + SLACK);
	assert_non_null(g->buf);
	memset(g->buf, GUARD, g->cap + SLACK);
	rc = vm_acpi(d, base, g->buf, g->cap, &g->lay, &f);
	if (rc)
		fail_msg("vm_acpi: %d %s: %s", rc, f.field, f.detail);
	for (size_t i = g->cap; i < g->cap + SLACK; i++)
		assert_int_equal(g->buf[i], GUARD);
	check_layout(g, base);
	check_mcfg(g);
	check_srat_slit(g);
	if (d->arch == VM_ARM64)
		check_arm64(g);
	else
		check_x86(g);
}

static void run(const struct vm_desc *d, uint64_t base)
{
	struct gen g;

	generate(d, base, &g);
	free(g.buf);
}

static void numa(struct vm_desc *d, uint32_t nodes)
{
	d->nodes = nodes;
	for (uint32_t i = 0; i < nodes; i++) {
		d->node[i].cpus = d->cpus / nodes + (i < d->cpus % nodes);
		d->node[i].mem_size = d->mem_size / nodes;
	}
}

/* ---- the variations --------------------------------------------------------- */

static void test_arm64_default(void **state)
{
	(void)state;
	struct vm_desc d;
	struct gen g;

	vm_default(&d, VM_ARM64);
	generate(&d, BASE, &g);
	/* QEMU virt's numbers, as GIC INTIDs. */
	uint32_t n;
	const uint8_t *t = table(&g, "DSDT", &n);
	assert_true(has(t, n, "\x89\x06\x00\x01\x01\x21\x00\x00\x00", 9));  /* UART SPI 1 */
	assert_true(has(t, n, "\x89\x06\x00\x01\x01\x4F\x00\x00\x00", 9));  /* VR1F SPI 47 */
	static const char *const sigs[] = { "RSDP", "XSDT", "FACP", "DSDT", "APIC", "GTDT",
					    "SPCR", "DBG2", "MCFG", "PPTT", "IORT" };
	assert_int_equal(g.lay.count, 11);
	for (unsigned i = 0; i < 11; i++)
		assert_string_equal(g.lay.table[i].sig, sigs[i]);
	free(g.buf);
}

static void test_arm64_cpus(void **state)
{
	(void)state;
	static const uint32_t cpus[] = { 1, 2, 4, 64, 123, 512 };
	struct vm_desc d;

	for (unsigned i = 0; i < sizeof(cpus) / sizeof(cpus[0]); i++) {
		vm_default(&d, VM_ARM64);
		d.cpus = cpus[i];
		if (d.cpus * 0x20000ull > d.gicr_size) {
			/* QEMU's second redistributor region, high */
			d.gicr_base = 0x4000000000;
			d.gicr_size = d.cpus * 0x20000ull;
		}
		run(&d, BASE);
	}
}

static void test_arm64_gic(void **state)
{
	(void)state;
	struct vm_desc d;

	for (uint32_t cpus = 1; cpus <= 8; cpus++)
		for (int its = 0; its < 2; its++) {
			vm_default(&d, VM_ARM64);
			d.irqchip = VM_GICV2;
			d.cpus = cpus;
			d.its = its;
			d.its_base = 0x08020000;   /* the v2m frame */
			run(&d, BASE);
		}
	vm_default(&d, VM_ARM64);
	d.its = false;
	d.cpus = 4;
	run(&d, BASE);
	d.pcie.present = false;        /* an ITS without PCIe: no IORT */
	d.its = true;
	run(&d, BASE);
}

static void test_arm64_numa_topology(void **state)
{
	(void)state;
	struct vm_desc d;

	vm_default(&d, VM_ARM64);
	d.cpus = 4;
	d.mem_size = 2ull << 30;
	numa(&d, 2);
	run(&d, BASE);

	vm_default(&d, VM_ARM64);
	d.cpus = 64;
	d.mem_size = 4ull << 30;
	numa(&d, 4);
	run(&d, BASE);

	/* 2 sockets x 2 clusters x 2 cores x 2 threads, over 8 nodes */
	vm_default(&d, VM_ARM64);
	d.cpus = 16;
	d.sockets = d.clusters = d.cores = d.threads = 2;
	d.mem_size = 8ull << 30;
	numa(&d, 8);
	run(&d, BASE);

	/* one thread per core, 4 sockets of 3 cores */
	vm_default(&d, VM_ARM64);
	d.cpus = 12;
	d.sockets = 4;
	d.clusters = 1;
	d.cores = 3;
	d.threads = 1;
	run(&d, BASE);
}

static void test_arm64_devices_ids(void **state)
{
	(void)state;
	struct vm_desc d;

	vm_default(&d, VM_ARM64);
	d.pcie.present = false;
	d.virtio.count = 0;
	run(&d, BASE);

	vm_default(&d, VM_ARM64);
	d.virtio.count = 5;
	d.psci.conduit = VM_PSCI_SMC;
	memcpy(d.acpi.oem_id, "BOCHS ", 7);
	memcpy(d.acpi.oem_table_id, "BXPC    ", 9);
	d.acpi.oem_revision = 0x12345678;
	run(&d, BASE);
	/* short IDs come out space-padded: the same tables as above */
	struct vm_desc padded = d;
	memset(d.acpi.oem_id, 0, sizeof(d.acpi.oem_id));
	memset(d.acpi.oem_table_id, 0, sizeof(d.acpi.oem_table_id));
	memcpy(d.acpi.oem_id, "BOCHS", 5);
	memcpy(d.acpi.oem_table_id, "BXPC", 4);
	struct gen a, b;
	generate(&d, BASE, &a);
	generate(&padded, BASE, &b);
	assert_int_equal(a.lay.total, b.lay.total);
	assert_memory_equal(a.buf, b.buf, a.lay.total);
	free(a.buf);
	free(b.buf);

	/* A bus range not starting at 0: MCFG's base is bus 0's place. */
	vm_default(&d, VM_ARM64);
	d.pcie.bus_start = 0x10;
	d.pcie.bus_end = 0x1F;
	run(&d, BASE);
}

static void test_arm64_bases(void **state)
{
	(void)state;
	static const uint64_t bases[] = { 0, 0x10, 0x40, 0xFFFFF000, 0x100000000,
					  0x8000000010, 0xFFFFFFFFFFF00000 };
	struct vm_desc d;

	vm_default(&d, VM_ARM64);
	for (unsigned i = 0; i < sizeof(bases) / sizeof(bases[0]); i++)
		run(&d, bases[i]);
}

static void test_x86_default(void **state)
{
	(void)state;
	struct vm_desc d;
	struct gen g;

	vm_default(&d, VM_X86_64);
	generate(&d, BASE, &g);
	static const char *const sigs[] = { "RSDP", "XSDT", "FACP", "FACS", "DSDT", "APIC",
					    "MCFG" };
	assert_int_equal(g.lay.count, 7);
	for (unsigned i = 0; i < 7; i++)
		assert_string_equal(g.lay.table[i].sig, sigs[i]);
	/* q35's routing: 00:1f.0's INTA on PIRQA (GSI 16), slot 0's INTA
	 * on PIRQE (GSI 20). */
	uint32_t n;
	const uint8_t *t = table(&g, "DSDT", &n);
	assert_true(has(t, n, "\x12\x0B\x04\x0C\xFF\xFF\x1F\x00\x00\x00\x0A\x10", 12));
	assert_true(has(t, n, "\x12\x09\x04\x0B\xFF\xFF\x00\x00\x0A\x14", 10));
	free(g.buf);
}

static void test_x86_variations(void **state)
{
	(void)state;
	static const uint32_t cpus[] = { 1, 2, 4, 64, 254, 255, 256, 512 };
	struct vm_desc d;

	for (unsigned i = 0; i < sizeof(cpus) / sizeof(cpus[0]); i++) {
		vm_default(&d, VM_X86_64);
		d.cpus = cpus[i];
		run(&d, BASE);
		run(&d, 0x100000000);
	}
	vm_default(&d, VM_X86_64);
	d.cpus = 300;
	d.mem_size = 2ull << 30;
	numa(&d, 2);
	run(&d, BASE);
	vm_default(&d, VM_X86_64);
	d.pcie.present = false;
	d.rtc.present = false;
	memcpy(d.acpi.oem_id, "BOCHS ", 7);
	memcpy(d.acpi.oem_table_id, "BXPC    ", 9);
	d.acpi.oem_revision = 2;
	run(&d, BASE);
}

/* The same description at two bases 64 bytes apart: the same layout, and
 * only the pointers and the checksums differ. */
static void test_relocation(void **state)
{
	(void)state;
	struct vm_desc d;
	struct gen a, b;

	for (int arch = VM_ARM64; arch <= VM_X86_64; arch++) {
		vm_default(&d, (enum vm_arch)arch);
		generate(&d, 0x40000000, &a);
		generate(&d, 0x40000040, &b);
		assert_int_equal(a.lay.total, b.lay.total);
		assert_int_equal(a.lay.count, b.lay.count);
		for (uint32_t i = 0; i < a.lay.count; i++) {
			const struct vm_table *t = &a.lay.table[i];
			bool ptrs = i < 2 || !strcmp(t->sig, "FACP");

			assert_int_equal(t->offset, b.lay.table[i].offset);
			if (!ptrs)
				assert_memory_equal(a.buf + t->offset, b.buf + t->offset, t->length);
			else
				assert_memory_not_equal(a.buf + t->offset, b.buf + t->offset,
							t->length);
		}
		/* and a second run at the same base is byte for byte the same */
		struct gen c;
		generate(&d, 0x40000000, &c);
		assert_memory_equal(a.buf, c.buf, a.lay.total);
		free(a.buf);
		free(b.buf);
		free(c.buf);
	}
}

/* Every buffer shorter than the output: NOSPACE naming a table, nothing
 * written at or past cap. */
static void test_nospace(void **state)
{
	(void)state;
	struct vm_desc d;

	for (int arch = VM_ARM64; arch <= VM_X86_64; arch++) {
		struct vm_acpi_layout lay;
		struct fwk_fault f;
		struct gen g;
		uint8_t *b;

		vm_default(&d, (enum vm_arch)arch);
		d.virtio.count = arch == VM_ARM64 ? 4 : 0;
		generate(&d, BASE, &g);
		b = malloc(g.lay.total + SLACK);
		assert_non_null(b);
		for (uint32_t cap = 0; cap < g.lay.total; cap++) {
			memset(b + cap, GUARD, SLACK);
			f.field = NULL;
			assert_int_equal(vm_acpi(&d, BASE, b, cap, &lay, &f), FWK_ERR_NOSPACE);
			assert_int_equal(f.error, FWK_ERR_NOSPACE);
			assert_non_null(f.field);
			assert_int_equal(strlen(f.field), 4);
			for (uint32_t i = 0; i < SLACK; i++)
				assert_int_equal(b[cap + i], GUARD);
		}
		/* exactly enough is enough, and the same bytes */
		assert_int_equal(vm_acpi(&d, BASE, b, g.lay.total, &lay, &f), 0);
		assert_memory_equal(b, g.buf, g.lay.total);
		/* no buffer at all */
		assert_int_equal(vm_acpi(&d, BASE, NULL, 0, &lay, NULL), FWK_ERR_NOSPACE);
		free(b);
		free(g.buf);
	}
}

/* What vm_acpi refuses itself, with the field. */
static void test_bad_descriptions(void **state)
{
	(void)state;
	static uint8_t b[65536];
	struct vm_acpi_layout lay;
	struct vm_desc d;
	struct fwk_fault f;

#define REFUSE(arch, change, base, err, name)                                       \
	do {                                                                         \
		vm_default(&d, arch);                                                \
		change;                                                              \
		memset(&f, 0, sizeof(f));                                            \
		assert_int_equal(vm_acpi(&d, base, b, sizeof(b), &lay, &f), err);    \
		assert_string_equal(f.field, name);                                  \
	} while (0)

	REFUSE(VM_ARM64, (void)0, 0x1008, FWK_ERR_INVAL, "base");
	REFUSE(VM_ARM64, (void)0, 0xFFFFFFFFFFFFFFF0, FWK_ERR_INVAL, "base");
	REFUSE(VM_ARM64, d.arch = 0, 0, FWK_ERR_INVAL, "arch");
	REFUSE(VM_ARM64, d.irqchip = VM_APIC, 0, FWK_ERR_INVAL, "irqchip");
	REFUSE(VM_X86_64, d.irqchip = VM_GICV3, 0, FWK_ERR_INVAL, "irqchip");
	REFUSE(VM_ARM64, d.uart.kind = VM_UART_16550, 0, FWK_ERR_UNSUPPORTED, "uart.kind");
	REFUSE(VM_ARM64, d.cpus = 0, 0, FWK_ERR_INVAL, "cpus");
	REFUSE(VM_X86_64, d.cpus = 513, 0, FWK_ERR_INVAL, "cpus");
	REFUSE(VM_ARM64, (d.cpus = 4, d.sockets = 3), 0, FWK_ERR_INVAL, "sockets");
	REFUSE(VM_ARM64, d.nodes = 9, 0, FWK_ERR_INVAL, "nodes");
	REFUSE(VM_ARM64, d.virtio.count = 33, 0, FWK_ERR_INVAL, "virtio.count");
	REFUSE(VM_ARM64, (d.pcie.bus_start = 2, d.pcie.bus_end = 1), 0, FWK_ERR_INVAL,
	       "pcie.bus_end");
	REFUSE(VM_ARM64, (d.pcie.bus_start = 0, d.pcie.bus_end = 256), 0, FWK_ERR_INVAL,
	       "pcie.bus_end");
	REFUSE(VM_X86_64, d.pcie.irq = 17, 0, FWK_ERR_INVAL, "pcie.irq");
	assert_int_equal(vm_acpi(NULL, 0, b, sizeof(b), &lay, &f), FWK_ERR_INVAL);
	vm_default(&d, VM_ARM64);
	assert_int_equal(vm_acpi(&d, 0, b, sizeof(b), NULL, &f), FWK_ERR_INVAL);
	assert_int_equal(vm_acpi(&d, 0, NULL, 16, &lay, &f), FWK_ERR_INVAL);
}

/* vm_acpi_size grows linearly and bounds the largest machines. */
static void test_size_bound(void **state)
{
	(void)state;
	struct vm_desc d;
	struct gen g;

	vm_default(&d, VM_ARM64);
	d.cpus = 512;
	d.gicr_base = 0x4000000000;
	d.gicr_size = 512 * 0x20000ull;
	d.sockets = 2;
	d.clusters = 4;
	d.cores = 32;
	d.threads = 2;
	d.mem_size = 8ull << 30;
	numa(&d, 8);
	generate(&d, BASE, &g);
	assert_true(g.lay.total <= vm_acpi_size(&d));
	assert_true(vm_acpi_size(&d) < 4 * (size_t)g.lay.total);
	free(g.buf);

	size_t s1, s2, s3;
	vm_default(&d, VM_X86_64);
	s1 = vm_acpi_size(&d);
	d.cpus = 2;
	s2 = vm_acpi_size(&d);
	d.cpus = 3;
	s3 = vm_acpi_size(&d);
	assert_true(s2 > s1);
	assert_int_equal(s3 - s2, s2 - s1);
	d.cpus = 100000;   /* nonsense is clamped, not multiplied */
	assert_true(vm_acpi_size(&d) < (1u << 20));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arm64_default),
		cmocka_unit_test(test_arm64_cpus),
		cmocka_unit_test(test_arm64_gic),
		cmocka_unit_test(test_arm64_numa_topology),
		cmocka_unit_test(test_arm64_devices_ids),
		cmocka_unit_test(test_arm64_bases),
		cmocka_unit_test(test_x86_default),
		cmocka_unit_test(test_x86_variations),
		cmocka_unit_test(test_relocation),
		cmocka_unit_test(test_nospace),
		cmocka_unit_test(test_bad_descriptions),
		cmocka_unit_test(test_size_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

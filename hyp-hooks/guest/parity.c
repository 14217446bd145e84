/* SPDX-License-Identifier: MIT */
/*
 * parity.c - the parity check's device-tree side and the comparison: what a
 * DTB describes, read back with libfdt alone, and where two device lists
 * (this one and parity_aml.c's) disagree.
 *
 * The tree is checked with libfdt's fdt_check_full, not dt_check: dt_check
 * wants scratch in proportion to the tree, which a freestanding reader with
 * no allocation and a small stack cannot promise.  Every address is carried
 * up through the parents' ranges to a CPU address; a tree that needs a
 * translation this reader cannot do is refused with the node's offset, so
 * dt_node_path_at names it.
 */
#include <libfdt.h>

#include <fwkit/vm.h>

#include "parity_int.h"

#define PDT_DEPTH 16u   /* nodes deeper than this are refused: real trees stay under 8 */
#define PDT_GICR_MAX 16u
#define PDT_4G 0x100000000ull

/* Node kinds by compatible, beyond enum vm_dev_kind. */
enum { PDT_GICV3 = 32, PDT_GICV2 };

/* The compatibles read, most specific first; the GICs come first so the
 * interrupt controller can be found by walking the start of this list. */
static const struct {
	char compat[22];
	uint8_t kind;
} pdt_compat[] = {
	{ "arm,gic-v3", PDT_GICV3 },
	{ "arm,cortex-a15-gic", PDT_GICV2 },
	{ "arm,gic-400", PDT_GICV2 },
	{ "arm,cortex-a9-gic", PDT_GICV2 },
	{ "arm,cortex-a7-gic", PDT_GICV2 },
	{ "arm,gic-v3-its", VM_DEV_ITS },
	{ "arm,gic-v2m-frame", VM_DEV_ITS },
	{ "arm,armv8-timer", VM_DEV_TIMER },
	{ "arm,armv7-timer", VM_DEV_TIMER },
	{ "arm,pl011", VM_DEV_UART },
	{ "ns16550a", VM_DEV_UART },
	{ "ns16550", VM_DEV_UART },
	{ "arm,pl031", VM_DEV_RTC },
	{ "virtio,mmio", VM_DEV_VIRTIO },
	{ "pci-host-ecam-generic", VM_DEV_PCIE_ECAM },
};
#define PDT_NCOMPAT (sizeof(pdt_compat) / sizeof(pdt_compat[0]))
#define PDT_NGIC 5u

/* One reading of a tree; node[] holds the open nodes from the root down. */
struct pdt {
	const void *fdt;
	struct vm_dev *out;
	size_t cap, n;
	struct fwk_fault *f;
	int gic;               /* the GIC's node, or -1 */
	uint32_t gic_phandle;  /* 0: no GIC with 3-cell specifiers to resolve to */
	uint32_t cpus;
	int node[PDT_DEPTH + 1];
};

/* A fault at a node: its FDT_BEGIN_NODE's offset in the buffer. */
static int pdt_fail(struct pdt *t, int node, int err, const char *field, const char *detail)
{
	uint64_t at = (uint64_t)fdt_off_dt_struct(t->fdt) + (uint64_t)(node > 0 ? node : 0);

	return fwk_fail(t->f, err, at, field, detail);
}

/* A big-endian number of 0, 1 or 2 cells. */
static uint64_t pdt_num(const uint8_t *p, int cells)
{
	uint64_t v = 0;

	for (int i = 0; i < cells; i++)
		v = v << 32 | fwk_be32(p + 4 * i);
	return v;
}

/* A cell-count property of node, dflt when absent; a fault when it is not
 * one cell of at most max. */
static int pdt_cells(struct pdt *t, int node, const char *name, int dflt, uint32_t max)
{
	int len;
	const uint8_t *p = fdt_getprop(t->fdt, node, name, &len);

	if (!p)
		return dflt;
	if (len != 4 || fwk_be32(p) > max)
		return pdt_fail(t, node, FWK_ERR_UNSUPPORTED, name,
				"not one cell, or more cells than this reader handles");
	return (int)fwk_be32(p);
}

static bool pdt_prop_is(const void *fdt, int node, const char *name, const char *want,
			size_t wlen)
{
	int len;
	const char *p = fdt_getprop(fdt, node, name, &len);

	return p && (size_t)len == wlen && memcmp(p, want, wlen) == 0;
}
#define PDT_IS(t, node, name, lit) pdt_prop_is((t)->fdt, node, name, lit, sizeof(lit))

struct vm_dev *vm_dev_append(struct vm_dev *out, size_t cap, size_t *n, struct fwk_fault *f,
			     const char *full, unsigned kind, uint64_t base, uint64_t size,
			     uint32_t index)
{
	struct vm_dev *v;

	if (*n >= cap) {
		fwk_fail(f, FWK_ERR_NOSPACE, 0, "out", full);
		return NULL;
	}
	v = &out[(*n)++];
	memset(v, 0, sizeof(*v));
	v->kind = (uint16_t)kind;
	v->base = base;
	v->size = size;
	v->index = index;
	return v;
}

static struct vm_dev *pdt_add(struct pdt *t, unsigned kind, uint64_t base, uint64_t size,
			      uint32_t index)
{
	return vm_dev_append(t->out, t->cap, &t->n, t->f, "the tree describes more devices than fit",
			     kind, base, size, index);
}

/*
 * Carry *addr (size bytes from it) from the address space node[level] gives
 * its children up to the root's, through each bus's ranges: empty ranges
 * are the identity, no ranges means the bus does not reach the CPU.  at:
 * the node a fault names.
 */
static int pdt_translate(struct pdt *t, unsigned level, uint64_t *addr, uint64_t size, int at)
{
	for (; level >= 1; level--) {
		int bus = t->node[level], len;
		const uint8_t *r = fdt_getprop(t->fdt, bus, "ranges", &len);
		bool hit = false;

		if (!r)
			return pdt_fail(t, at, FWK_ERR_UNSUPPORTED, "ranges",
					"a parent bus has no ranges: the address does not reach the CPU");
		if (len == 0)
			continue;
		int ca = pdt_cells(t, bus, "#address-cells", 2, 2);
		int pa = pdt_cells(t, t->node[level - 1], "#address-cells", 2, 2);
		int cs = pdt_cells(t, bus, "#size-cells", 1, 2);
		if (ca < 0 || pa < 0 || cs < 0)
			return FWK_ERR_UNSUPPORTED;
		uint32_t step = 4u * (uint32_t)(ca + pa + cs);
		if (ca == 0 || cs == 0)
			return pdt_fail(t, bus, FWK_ERR_UNSUPPORTED, "ranges",
					"a bus with 0 address or size cells cannot translate");
		for (uint32_t i = 0; !hit && i + step <= (uint32_t)len; i += step) {
			uint64_t cb = pdt_num(r + i, ca), pb = pdt_num(r + i + 4 * ca, pa);
			uint64_t sz = pdt_num(r + i + 4 * (ca + pa), cs);

			if (*addr >= cb && *addr - cb < sz && size <= sz - (*addr - cb)) {
				*addr = pb + (*addr - cb);
				hit = true;
			}
		}
		if (!hit)
			return pdt_fail(t, at, FWK_ERR_RANGE, "ranges",
					"the address is in no range of a parent bus");
	}
	return 0;
}

/* Entry i of reg of node[d], as a CPU address; 1 when reg has no entry i. */
static int pdt_reg(struct pdt *t, unsigned d, uint32_t i, uint64_t *base, uint64_t *size)
{
	int node = t->node[d], parent = t->node[d - 1], len;
	int ac = pdt_cells(t, parent, "#address-cells", 2, 2);
	int sc = pdt_cells(t, parent, "#size-cells", 1, 2);
	const uint8_t *r;

	if (ac < 0 || sc < 0)
		return ac < 0 ? ac : sc;
	r = fdt_getprop(t->fdt, node, "reg", &len);
	uint64_t step = 4u * (uint64_t)(ac + sc), at = step * i;
	if (!r || step == 0 || at + step > (uint64_t)len)
		return 1;
	*base = pdt_num(r + at, ac);
	*size = pdt_num(r + at + 4 * (uint64_t)ac, sc);
	return pdt_translate(t, d - 1, base, *size, node);
}

/* reg entry i that the node must have. */
static int pdt_need_reg(struct pdt *t, unsigned d, uint32_t i, uint64_t *base, uint64_t *size)
{
	int rc = pdt_reg(t, d, i, base, size);

	if (rc == 1)
		return pdt_fail(t, t->node[d], FWK_ERR_BADFIELD, "reg",
				"missing, or fewer entries than the device has regions");
	return rc;
}

/* A 3-cell GIC specifier as an INTID: SPI n is 32 + n, PPI n 16 + n,
 * extended SPI 4096 + n, extended PPI 1056 + n.  The number is not held to
 * its range: Linux's GIC drivers take what real trees say (ThunderX's
 * UARTs are "PPI 21"). */
static int pdt_intid(struct pdt *t, int node, const uint8_t *spec, uint32_t *intid)
{
	static const uint32_t first[4] = { 32, 16, 4096, 1056 };
	uint32_t type = fwk_be32(spec), n = fwk_be32(spec + 4);

	if (type > 3 || n > 0xffffffu)
		return pdt_fail(t, node, FWK_ERR_BADFIELD, "interrupts",
				"a GIC specifier of no known type, or past any INTID");
	*intid = first[type] + n;
	return 0;
}

/* Whether node[d]'s interrupt parent is the GIC, found as Linux finds it:
 * the node's interrupt-parent, else its parent when that is an interrupt
 * controller or nexus (has #interrupt-cells), else that parent's own
 * interrupt parent, up the tree. */
static bool pdt_on_gic(struct pdt *t, unsigned d)
{
	int len;

	for (unsigned k = d;; k--) {
		const uint8_t *ip = fdt_getprop(t->fdt, t->node[k], "interrupt-parent", &len);

		if (ip)
			return len == 4 && fwk_be32(ip) == t->gic_phandle;
		if (k == 0)
			return false;
		if (fdt_getprop(t->fdt, t->node[k - 1], "#interrupt-cells", &len))
			return t->node[k - 1] == t->gic;
	}
}

/* The node's interrupts as INTIDs (at most 4), when its interrupt parent
 * is the GIC; none otherwise (a nexus's interrupt-map is not followed). */
static int pdt_irqs(struct pdt *t, unsigned d, struct vm_dev *v)
{
	const uint8_t *p;
	int len = 0, rc;

	if (!t->gic_phandle || !pdt_on_gic(t, d))
		return 0;
	p = fdt_getprop(t->fdt, t->node[d], "interrupts", &len);
	if (!p)
		return 0;
	if (len % 12)
		return pdt_fail(t, t->node[d], FWK_ERR_BADFIELD, "interrupts",
				"not a whole number of 3-cell GIC specifiers");
	for (int i = 0; i + 12 <= len && v->nirq < 4; i += 12)
		if ((rc = pdt_intid(t, t->node[d], p + i, &v->irq[v->nirq++])) < 0)
			return rc;
	return 0;
}

/* A PCI host bridge's INTA..INTD of slot 0 from interrupt-map, as the
 * ECAM device's irq[0..3]: only when every one of them goes to the GIC. */
static int pdt_intx(struct pdt *t, int node, struct vm_dev *v)
{
	int len;
	const uint8_t *m = fdt_getprop(t->fdt, node, "interrupt-map", &len);
	uint32_t irq[4], got = 0, step;

	if (!m || !t->gic_phandle)
		return 0;
	int ci = pdt_cells(t, node, "#interrupt-cells", 1, 1);
	int pa = pdt_cells(t, t->gic, "#address-cells", 0, 2);
	if (ci < 0 || pa < 0)
		return FWK_ERR_UNSUPPORTED;
	step = 4u * (3u + 1u + 1u + (uint32_t)pa + 3u);
	for (uint32_t o = 0; o + step <= (uint32_t)len; o += step) {
		const uint8_t *e = m + o;
		uint32_t pin = fwk_be32(e + 12);
		int rc;

		if (fwk_be32(e + 16) != t->gic_phandle)
			return 0;
		if ((fwk_be32(e) & 0xf800u) != 0 || pin < 1 || pin > 4)
			continue;
		if ((rc = pdt_intid(t, node, e + 20 + 4 * pa, &irq[pin - 1])) < 0)
			return rc;
		got |= 1u << (pin - 1);
	}
	if (got == 15) {
		memcpy(v->irq, irq, sizeof(irq));
		v->nirq = 4;
	}
	return 0;
}

/* A PCI host bridge's windows from ranges: I/O space as PIO, memory space
 * as MMIO32 when it ends at or below 4 GiB of PCI address, else MMIO64
 * (the same rule as the ACPI side, which has no space codes). */
static int pdt_windows(struct pdt *t, unsigned d)
{
	int node = t->node[d], len, rc;
	const uint8_t *r = fdt_getprop(t->fdt, node, "ranges", &len);
	int pa = pdt_cells(t, t->node[d - 1], "#address-cells", 2, 2);
	int cs = pdt_cells(t, node, "#size-cells", 1, 2);

	if (pa < 0 || cs < 0)
		return FWK_ERR_UNSUPPORTED;
	if (!r)
		return 0;
	uint32_t step = 4u * (3u + (uint32_t)pa + (uint32_t)cs);
	for (uint32_t o = 0; o + step <= (uint32_t)len; o += step) {
		const uint8_t *e = r + o;
		uint32_t space = fwk_be32(e) >> 24 & 3u;
		uint64_t pci = pdt_num(e + 4, 2), cpu = pdt_num(e + 12, pa);
		uint64_t size = pdt_num(e + 12 + 4 * pa, cs);
		unsigned kind = space == 1 ? VM_DEV_PCIE_PIO :
				pci < PDT_4G && size <= PDT_4G - pci ? VM_DEV_PCIE_MMIO32 :
				VM_DEV_PCIE_MMIO64;

		if (space == 0 || size == 0)
			continue;
		if ((rc = pdt_translate(t, d - 1, &cpu, size, node)) < 0)
			return rc;
		if (!pdt_add(t, kind, cpu, size, 0))
			return FWK_ERR_NOSPACE;
	}
	return 0;
}

static int pdt_cpu(struct pdt *t, unsigned d)
{
	int node = t->node[d], len;
	int ac = pdt_cells(t, t->node[d - 1], "#address-cells", 2, 2);
	const uint8_t *r = fdt_getprop(t->fdt, node, "reg", &len);

	if (ac < 0)
		return ac;
	if (!r || ac == 0 || len < 4 * ac)
		return pdt_fail(t, node, FWK_ERR_BADFIELD, "reg", "a cpu without its MPIDR");
	return pdt_add(t, VM_DEV_CPU, pdt_num(r, ac), 0, t->cpus++) ? 0 : FWK_ERR_NOSPACE;
}

static int pdt_memory(struct pdt *t, unsigned d)
{
	int len, rc;
	const uint8_t *nid = fdt_getprop(t->fdt, t->node[d], "numa-node-id", &len);
	uint32_t node = nid && len == 4 ? fwk_be32(nid) : 0;
	uint64_t base, size;

	for (uint32_t i = 0; (rc = pdt_reg(t, d, i, &base, &size)) == 0; i++)
		if (size && !pdt_add(t, VM_DEV_MEMORY, base, size, node))
			return FWK_ERR_NOSPACE;
	return rc < 0 ? rc : 0;
}

/* The GIC's frames: v3 GICD then #redistributor-regions GICR regions, v2
 * GICD then GICC. */
static int pdt_gic(struct pdt *t, unsigned d, unsigned kind)
{
	int regions = kind == PDT_GICV3 ? pdt_cells(t, t->node[d], "#redistributor-regions", 1,
						    PDT_GICR_MAX) : 1;
	uint64_t base, size;
	int rc;

	if (regions < 0)
		return regions;
	for (int i = 0; i <= regions; i++) {
		unsigned k = i == 0 ? VM_DEV_GICD : kind == PDT_GICV3 ? VM_DEV_GICR : VM_DEV_GICC;

		if ((rc = pdt_need_reg(t, d, (uint32_t)i, &base, &size)) < 0)
			return rc;
		if (!pdt_add(t, k, base, size, 0))
			return FWK_ERR_NOSPACE;
	}
	return 0;
}

static int pdt_pcie(struct pdt *t, unsigned d)
{
	int node = t->node[d], len, rc;
	const uint8_t *bus = fdt_getprop(t->fdt, node, "bus-range", &len);
	uint64_t base, size;
	struct vm_dev *v;

	/* the children's (and so interrupt-map's and ranges') addresses are
	 * PCI's three cells: phys.hi (space, bus, device), then 64 bits */
	if ((rc = pdt_cells(t, node, "#address-cells", 2, 3)) != 3)
		return rc < 0 ? rc : pdt_fail(t, node, FWK_ERR_UNSUPPORTED, "#address-cells",
					      "a PCI host bridge without 3 address cells");
	if ((rc = pdt_need_reg(t, d, 0, &base, &size)) < 0)
		return rc;
	if (!(v = pdt_add(t, VM_DEV_PCIE_ECAM, base, size, bus && len == 8 ? fwk_be32(bus) : 0)))
		return FWK_ERR_NOSPACE;
	if ((rc = pdt_intx(t, node, v)) < 0)
		return rc;
	return pdt_windows(t, d);
}

static int pdt_node(struct pdt *t, unsigned d)
{
	int node = t->node[d], len, rc;
	const char *status = fdt_getprop(t->fdt, node, "status", &len);
	unsigned kind = 0;
	uint64_t base = 0, size = 0;
	struct vm_dev *v;

	if (d == 0 || (status && !PDT_IS(t, node, "status", "okay") &&
		       !PDT_IS(t, node, "status", "ok")))
		return 0;
	if (PDT_IS(t, node, "device_type", "cpu"))
		return pdt_cpu(t, d);
	if (PDT_IS(t, node, "device_type", "memory"))
		return pdt_memory(t, d);
	for (size_t i = 0; i < PDT_NCOMPAT && !kind; i++)
		if (fdt_node_check_compatible(t->fdt, node, pdt_compat[i].compat) == 0)
			kind = pdt_compat[i].kind;
	switch (kind) {
	case 0:
		return 0;
	case PDT_GICV3:
	case PDT_GICV2:
		return pdt_gic(t, d, kind);
	case VM_DEV_PCIE_ECAM:
		return pdt_pcie(t, d);
	case VM_DEV_TIMER:
		break;
	default:
		if ((rc = pdt_need_reg(t, d, 0, &base, &size)) < 0)
			return rc;
	}
	if (!(v = pdt_add(t, kind, base, size, 0)))
		return FWK_ERR_NOSPACE;
	return pdt_irqs(t, d, v);
}

/* The interrupt controller everything's interrupts are read against: the
 * first GIC node, when it takes 3-cell specifiers and has a phandle. */
static void pdt_find_gic(struct pdt *t)
{
	int len;

	t->gic = -1;
	t->gic_phandle = 0;
	for (size_t i = 0; i < PDT_NGIC && t->gic < 0; i++)
		t->gic = fdt_node_offset_by_compatible(t->fdt, -1, pdt_compat[i].compat);
	if (t->gic < 0)
		return;
	const uint8_t *c = fdt_getprop(t->fdt, t->gic, "#interrupt-cells", &len);
	if (c && len == 4 && fwk_be32(c) == 3)
		t->gic_phandle = fdt_get_phandle(t->fdt, t->gic);
}

/* libfdt's refusal as an fwk_error. */
static int pdt_refused(struct fwk_fault *f, int err)
{
	switch (err) {
	case -FDT_ERR_BADMAGIC:
		return fwk_fail(f, FWK_ERR_BADMAGIC, 0, "magic", "not a flattened device tree");
	case -FDT_ERR_TRUNCATED:
		return fwk_fail(f, FWK_ERR_TRUNCATED, 4, "totalsize", "the tree ends past the buffer");
	case -FDT_ERR_BADVERSION:
		return fwk_fail(f, FWK_ERR_UNSUPPORTED, 20, "version", "a version libfdt does not read");
	default:
		return fwk_fail(f, FWK_ERR_BADFIELD, 0, "structure", "libfdt's full check refuses the tree");
	}
}

int vm_dt_devices(const void *dtb, size_t len, struct vm_dev *out, size_t cap, size_t *n,
		  struct fwk_fault *f)
{
	struct pdt t = { .fdt = dtb, .out = out, .cap = cap, .f = f };
	int depth = 0, node, rc;

	if (n)
		*n = 0;
	if (!dtb || !n || (!out && cap))
		return fwk_fail(f, FWK_ERR_INVAL, 0, "dtb", "no tree, or no array for the devices");
	if (len < sizeof(struct fdt_header))
		return fwk_fail(f, FWK_ERR_TRUNCATED, 0, "totalsize", "shorter than a tree's header");
	/* libfdt 1.6.1's fdt_check_full dereferences a NULL root name in a
	 * tree older than version 16, so such a tree never reaches it (fwkit
	 * reads versions 16 and 17 only, as dt_check does). */
	if (fdt_magic(dtb) == FDT_MAGIC && fdt_version(dtb) < 16)
		return fwk_fail(f, FWK_ERR_UNSUPPORTED, 20, "version", "older than 16");
	if ((rc = fdt_check_full(dtb, len)) < 0)
		return pdt_refused(f, rc);
	pdt_find_gic(&t);
	/* fdt_next_node leaves depth at -1 once past the root's end */
	for (node = 0; node >= 0 && depth >= 0; node = fdt_next_node(dtb, node, &depth)) {
		if ((unsigned)depth > PDT_DEPTH)
			return pdt_fail(&t, node, FWK_ERR_LIMIT, "depth",
					"nodes nested deeper than this reader follows");
		t.node[depth] = node;
		if ((rc = pdt_node(&t, (unsigned)depth)) < 0)
			return rc;
	}
	if (node < 0 && node != -FDT_ERR_NOTFOUND)
		return pdt_refused(f, node);

	/* virtio-mmio transports are numbered in address order, as a guest
	 * probes them and as the ACPI side's _UIDs count. */
	for (size_t i = 0; i < t.n; i++) {
		if (out[i].kind != VM_DEV_VIRTIO)
			continue;
		out[i].index = 0;
		for (size_t j = 0; j < t.n; j++)
			if (out[j].kind == VM_DEV_VIRTIO &&
			    (out[j].base < out[i].base || (out[j].base == out[i].base && j < i)))
				out[i].index++;
	}
	*n = t.n;
	return 0;
}

/* ---- the comparison --------------------------------------------------- */

/* Two devices are the same one: same kind and base (the MPIDR or APIC ID
 * of a CPU), and there is one timer whatever its base. */
static bool par_key(const struct vm_dev *a, const struct vm_dev *b)
{
	return a->kind == b->kind && (a->kind == VM_DEV_TIMER || a->base == b->base);
}

/* Kinds one output cannot carry: Linux has no ACPI binding for the pl031,
 * so an arm64 RTC is DT only; RAM is in ACPI only through SRAT, so memory
 * is compared only when the ACPI side has any. */
static bool par_skipped(unsigned kind, bool arm, bool acpi_memory)
{
	return (kind == VM_DEV_RTC && arm) || (kind == VM_DEV_MEMORY && !acpi_memory);
}

/* Where list[i]'s partner is in other: devices alike by par_key pair up in
 * order (the k-th such in one list with the k-th in the other). */
static const struct vm_dev *par_partner(const struct vm_dev *list, size_t i,
					const struct vm_dev *other, size_t n)
{
	size_t rank = 0;

	for (size_t j = 0; j < i; j++)
		rank += par_key(&list[j], &list[i]);
	for (size_t j = 0; j < n; j++)
		if (par_key(&other[j], &list[i]) && rank-- == 0)
			return &other[j];
	return NULL;
}

/* The fields a paired DT and ACPI device must agree on, one call each. */
static size_t par_fields(const struct vm_dev *d, const struct vm_dev *a, vm_mismatch_fn fn,
			 void *ctx)
{
	size_t diffs = 0;
	/* MADT and GTDT give no sizes for GIC frames, ITS, IOAPIC, LAPIC; a
	 * CPU and the timer have none. */
	bool sized = !(d->kind == VM_DEV_CPU || d->kind == VM_DEV_GICD || d->kind == VM_DEV_GICC ||
		       d->kind == VM_DEV_ITS || d->kind == VM_DEV_TIMER ||
		       d->kind == VM_DEV_LAPIC || d->kind == VM_DEV_IOAPIC);
	/* the index means something on both sides only for a NUMA node and a
	 * bridge's first bus; CPUs and virtio devices are numbered in order */
	bool indexed = d->kind == VM_DEV_MEMORY || d->kind == VM_DEV_PCIE_ECAM;
	/* a _PRT may route INTx through link devices this reader does not
	 * follow: the bridge's INTx are compared only when both sides have them */
	bool irqs = d->kind != VM_DEV_PCIE_ECAM || (d->nirq && a->nirq);

	if (d->base != a->base && d->kind != VM_DEV_TIMER && ++diffs)
		fn(ctx, d, a, "base");
	if (sized && d->size != a->size && ++diffs)
		fn(ctx, d, a, "size");
	if (indexed && d->index != a->index && ++diffs)
		fn(ctx, d, a, "index");
	if (irqs && (d->nirq != a->nirq ||
		     memcmp(d->irq, a->irq, sizeof(d->irq[0]) * (d->nirq < 4 ? d->nirq : 4))) &&
	    ++diffs)
		fn(ctx, d, a, "irq");
	return diffs;
}

static bool par_report(const struct vm_dev *v, bool arm, bool acpi_memory)
{
	return !par_skipped(v->kind, arm, acpi_memory);
}

/* The only device of v's kind that has no partner in list (other is its
 * own list), when there is exactly one; else NULL. */
static const struct vm_dev *par_lone(const struct vm_dev *list, size_t n,
				     const struct vm_dev *other, size_t no, unsigned kind)
{
	const struct vm_dev *lone = NULL;

	for (size_t j = 0; j < n; j++) {
		if (list[j].kind != kind || par_partner(list, j, other, no))
			continue;
		if (lone)
			return NULL;
		lone = &list[j];
	}
	return lone;
}

size_t vm_parity(const struct vm_dev *dt, size_t ndt, const struct vm_dev *acpi, size_t nacpi,
		 vm_mismatch_fn fn, void *ctx)
{
	bool arm = false, acpi_memory = false;
	size_t diffs = 0;

	if ((!dt && ndt) || (!acpi && nacpi) || !fn)
		return 0;
	for (size_t i = 0; i < ndt + nacpi; i++) {
		const struct vm_dev *v = i < ndt ? &dt[i] : &acpi[i - ndt];

		arm |= v->kind == VM_DEV_GICD || v->kind == VM_DEV_GICC || v->kind == VM_DEV_GICR;
		acpi_memory |= i >= ndt && v->kind == VM_DEV_MEMORY;
	}
	for (size_t i = 0; i < ndt; i++) {
		const struct vm_dev *a = par_partner(dt, i, acpi, nacpi), *lone;

		if (!par_report(&dt[i], arm, acpi_memory))
			continue;
		if (a) {
			diffs += par_fields(&dt[i], a, fn, ctx);
		} else if (par_lone(dt, ndt, acpi, nacpi, dt[i].kind) == &dt[i] &&
			   (lone = par_lone(acpi, nacpi, dt, ndt, dt[i].kind)) != NULL) {
			/* one device of a kind unpaired on each side: the same
			 * device, moved (its other fields compared too) */
			diffs += par_fields(&dt[i], lone, fn, ctx);
		} else {
			diffs++;
			fn(ctx, &dt[i], NULL, "missing");
		}
	}
	for (size_t j = 0; j < nacpi; j++) {
		if (!par_report(&acpi[j], arm, acpi_memory) || par_partner(acpi, j, dt, ndt))
			continue;
		const struct vm_dev *d = par_lone(dt, ndt, acpi, nacpi, acpi[j].kind);
		if (d && par_lone(acpi, nacpi, dt, ndt, acpi[j].kind) == &acpi[j])
			continue; /* reported above as moved */
		diffs++;
		fn(ctx, NULL, &acpi[j], "missing");
	}
	return diffs;
}

const char *vm_dev_name(unsigned kind)
{
	static const char names[][12] = {
		"unknown", "cpu", "memory", "gicd", "gicc", "gicr", "its", "timer", "uart",
		"rtc", "virtio", "pcie-ecam", "pcie-mmio32", "pcie-mmio64", "pcie-pio",
		"lapic", "ioapic",
	};

	return names[kind < sizeof(names) / sizeof(names[0]) ? kind : 0];
}

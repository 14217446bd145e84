/* SPDX-License-Identifier: MIT */
/*
 * parity_aml.c - the parity check's ACPI side: the devices MADT, GTDT,
 * MCFG, SRAT, SPCR and the Devices of the DSDT and SSDTs describe, read
 * back with an AML reader of its own that walks the namespace and runs no
 * method.
 *
 * Tables are read in three passes whatever their order: the fixed-layout
 * tables first (so the DSDT's ISA IRQs can go through MADT's interrupt
 * source overrides and a bridge's _PRT can land on MCFG's ECAM), then the
 * AML, then SPCR.  The DSDT is the description of the UART; SPCR names the
 * console, so it only has to agree with a DSDT UART at its address (an
 * interrupt that differs is a fault: the tables contradict each other), and
 * it adds a UART, without a size, only when no DSDT Device is at its
 * address.
 *
 * A fault's offset counts bytes across the tables as if they were laid end
 * to end in the order given: subtract the lengths of the tables before to
 * find the table and the offset inside it.  An AML fault names the term's
 * first byte; a device that cannot be read (a Method _CRS) names its
 * Device opcode, with its kind in the field.
 */
#include <fwkit/acpi.h>
#include <fwkit/vm.h>

#include "parity_int.h"

#define AMLR_DEPTH 16u     /* Scope/Device nesting, and term nesting, followed */
#define AMLR_SEGS 8u       /* name segments of a path kept; deeper is unknown */
#define AMLR_FINDS 16u     /* searches for a _CRS declared outside its Device */
#define PAC_4G 0x100000000ull

struct pac {
	const struct vm_blob *tables;
	size_t ntables;
	struct vm_dev *out;
	size_t cap, n;
	struct fwk_fault *f;
	const uint8_t *p;     /* the table being read */
	uint32_t len;
	size_t cur;           /* its index */
	uint64_t at;          /* its offset in the concatenation */
	uint32_t finds;
	uint32_t cpus;
	bool gicc;            /* a GICv2 CPU interface was reported */
	uint32_t isa_gsi[16]; /* ISA IRQ -> GSI, from MADT's overrides */
};

static uint64_t le64(const uint8_t *p)
{
	return fwk_le32(p) | (uint64_t)fwk_le32(p + 4) << 32;
}

/* A fault at offset off of the current table. */
static int pac_fail(struct pac *c, int err, uint64_t off, const char *field, const char *detail)
{
	return fwk_fail(c->f, err, c->at + off, field, detail);
}

static struct vm_dev *pac_add(struct pac *c, unsigned kind, uint64_t base, uint64_t size,
			      uint32_t index)
{
	return vm_dev_append(c->out, c->cap, &c->n, c->f,
			     "the tables describe more devices than fit", kind, base, size, index);
}

static void pac_irq(struct vm_dev *v, uint32_t irq)
{
	if (v->nirq < 4)
		v->irq[v->nirq++] = irq;
}

/* The device of kind at base, or (base ~0) the ECAM whose first bus is
 * bus. */
static struct vm_dev *pac_find(struct pac *c, unsigned kind, uint64_t base, uint32_t bus)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->out[i].kind == kind &&
		    (base == ~0ull ? c->out[i].index == bus : c->out[i].base == base))
			return &c->out[i];
	return NULL;
}

/* Make table i (at offset at of the concatenation) the current one. */
static void pac_select(struct pac *c, size_t i, uint64_t at)
{
	c->cur = i;
	c->p = c->tables[i].p;
	c->len = (uint32_t)c->tables[i].len;
	c->at = at;
}

/* ---- fixed-layout tables ---------------------------------------------- */

static int pac_madt(struct pac *c)
{
	const uint8_t *p = c->p;
	uint64_t lapic = 0;
	bool x86 = false;

	if (c->len < 44)
		return pac_fail(c, FWK_ERR_TRUNCATED, 4, "MADT Length", "shorter than MADT's fixed part");
	lapic = fwk_le32(p + 36);
	for (uint32_t o = 44, elen; o < c->len; o += elen) {
		static const uint8_t need[16] = { 8, 12, 10, 0, 0, 12, 0, 0, 0, 16, 0, 76, 24, 24, 16, 20 };
		const uint8_t *e = p + o;
		uint8_t type = e[0];
		struct vm_dev *v = NULL;

		if (c->len - o < 2 || (elen = e[1]) < 2 || elen > c->len - o)
			return pac_fail(c, FWK_ERR_RANGE, o, "MADT entry Length",
					"an entry runs past the table or is shorter than 2 bytes");
		if (type < 16 && elen < need[type])
			return pac_fail(c, FWK_ERR_BADFIELD, o + 1, "MADT entry Length",
					"shorter than its type's structure");
		switch (type) {
		case 0: /* Processor Local APIC: enabled or online capable */
			x86 = true;
			if (fwk_le32(e + 4) & 3 && !(v = pac_add(c, VM_DEV_CPU, e[3], 0, c->cpus++)))
				return FWK_ERR_NOSPACE;
			break;
		case 9: /* Processor Local x2APIC */
			x86 = true;
			if (fwk_le32(e + 8) & 3 &&
			    !(v = pac_add(c, VM_DEV_CPU, fwk_le32(e + 4), 0, c->cpus++)))
				return FWK_ERR_NOSPACE;
			break;
		case 1: /* I/O APIC: index its ID, irq its first GSI */
			if (!(v = pac_add(c, VM_DEV_IOAPIC, fwk_le32(e + 4), 0, e[2])))
				return FWK_ERR_NOSPACE;
			pac_irq(v, fwk_le32(e + 8));
			break;
		case 2: /* Interrupt Source Override, ISA bus */
			if (e[2] == 0 && e[3] < 16)
				c->isa_gsi[e[3]] = fwk_le32(e + 4);
			break;
		case 5: /* Local APIC Address Override */
			lapic = le64(e + 4);
			break;
		case 0x0b: /* GICC: enabled (bit 0) or online capable (bit 3) */
			if (fwk_le32(e + 12) & 9 &&
			    !pac_add(c, VM_DEV_CPU, le64(e + 68), 0, c->cpus++))
				return FWK_ERR_NOSPACE;
			if (le64(e + 32) && !c->gicc) { /* v2's CPU interface, one for all */
				c->gicc = true;
				if (!pac_add(c, VM_DEV_GICC, le64(e + 32), 0, 0))
					return FWK_ERR_NOSPACE;
			}
			break;
		case 0x0c:
			if (!pac_add(c, VM_DEV_GICD, le64(e + 8), 0, 0))
				return FWK_ERR_NOSPACE;
			break;
		case 0x0d: /* GIC MSI frame (v2m) */
		case 0x0f: /* GIC ITS */
			if (!pac_add(c, VM_DEV_ITS, le64(e + 8), 0, 0))
				return FWK_ERR_NOSPACE;
			break;
		case 0x0e: /* GICR: discovery range base and length */
			if (!pac_add(c, VM_DEV_GICR, le64(e + 4), fwk_le32(e + 12), 0))
				return FWK_ERR_NOSPACE;
			break;
		}
	}
	if (x86 && !pac_add(c, VM_DEV_LAPIC, lapic, 0, 0))
		return FWK_ERR_NOSPACE;
	return 0;
}

/* The secure EL1, non-secure EL1, virtual EL1 and EL2 timers' GSIVs, in
 * the order the DT binding lists them. */
static int pac_gtdt(struct pac *c)
{
	struct vm_dev *v;

	if (c->len < 80)
		return pac_fail(c, FWK_ERR_TRUNCATED, 4, "GTDT Length", "shorter than the four timers");
	if (!(v = pac_add(c, VM_DEV_TIMER, 0, 0, 0)))
		return FWK_ERR_NOSPACE;
	for (uint32_t o = 48; o < 80; o += 8)
		pac_irq(v, fwk_le32(c->p + o));
	return 0;
}

/* Each allocation: base of bus 0's space, segment, first and last bus; the
 * ECAM region itself starts at the first bus (1 MiB each). */
static int pac_mcfg(struct pac *c)
{
	if (c->len < 44 || (c->len - 44) % 16)
		return pac_fail(c, FWK_ERR_BADFIELD, 4, "MCFG Length",
				"not the fixed part and whole 16-byte allocations");
	for (uint32_t o = 44; o < c->len; o += 16) {
		const uint8_t *e = c->p + o;

		if (e[11] < e[10])
			return pac_fail(c, FWK_ERR_BADFIELD, o + 11, "MCFG End Bus",
					"below the start bus");
		if (!pac_add(c, VM_DEV_PCIE_ECAM, le64(e) + ((uint64_t)e[10] << 20),
			     (uint64_t)(e[11] - e[10] + 1) << 20, e[10]))
			return FWK_ERR_NOSPACE;
	}
	return 0;
}

/* Memory affinity structures that are enabled and not hot-pluggable (a DT
 * memory node describes RAM that is there). */
static int pac_srat(struct pac *c)
{
	if (c->len < 48)
		return pac_fail(c, FWK_ERR_TRUNCATED, 4, "SRAT Length", "shorter than SRAT's fixed part");
	for (uint32_t o = 48, elen; o < c->len; o += elen) {
		const uint8_t *e = c->p + o;

		if (c->len - o < 2 || (elen = e[1]) < 2 || elen > c->len - o)
			return pac_fail(c, FWK_ERR_RANGE, o, "SRAT entry Length",
					"an entry runs past the table or is shorter than 2 bytes");
		if (e[0] != 1)
			continue;
		if (elen < 40)
			return pac_fail(c, FWK_ERR_BADFIELD, o + 1, "SRAT entry Length",
					"a memory affinity structure shorter than 40 bytes");
		if ((fwk_le32(e + 28) & 3) == 1 && le64(e + 16) &&
		    !pac_add(c, VM_DEV_MEMORY, le64(e + 8), le64(e + 16), fwk_le32(e + 2)))
			return FWK_ERR_NOSPACE;
	}
	return 0;
}

static int pac_spcr(struct pac *c)
{
	const uint8_t *p = c->p;
	struct vm_dev *v;

	if (c->len < 58)
		return pac_fail(c, FWK_ERR_TRUNCATED, 4, "SPCR Length", "shorter than its interrupt");
	uint64_t base = le64(p + 44);
	uint8_t type = p[52];
	/* an 8259 IRQ goes through MADT's overrides; APIC, SAPIC and GIC
	 * interrupts are GSIs already */
	uint32_t irq = type & 0x0e ? fwk_le32(p + 54) : p[53] < 16 ? c->isa_gsi[p[53]] : p[53];

	if (!base)
		return 0;
	if ((v = pac_find(c, VM_DEV_UART, base, 0)) != NULL) {
		if (type && v->nirq && v->irq[0] != irq)
			return pac_fail(c, FWK_ERR_BADFIELD, type & 0x0e ? 54 : 53, "SPCR interrupt",
					"differs from the interrupt of the DSDT's UART at its address");
		return 0;
	}
	if (!(v = pac_add(c, VM_DEV_UART, base, 0, 0)))
		return FWK_ERR_NOSPACE;
	if (type)
		pac_irq(v, irq);
	return 0;
}

/* ---- AML ---------------------------------------------------------------- */

/* A resolved path: n segments, AMLR_SEGS + 1 when too deep to keep. */
struct amlr_path {
	uint8_t n;
	char seg[AMLR_SEGS][4];
};

/* What a Device's body said, as far as this reader cares. */
struct amlr_dev {
	uint32_t op;          /* its Device opcode */
	uint32_t crs, prt;    /* offsets of the _CRS Buffer and _PRT Package, 0: none */
	size_t crs_table;
	uint64_t uid;
	char hid[8];
	uint8_t hid_len;      /* 0: none; 9: longer than any mapped _HID */
	uint8_t flags;
};
#define AMLR_CRS_METHOD 1u
#define AMLR_CRS_BAD 2u     /* _CRS is named, but not a Buffer */
#define AMLR_ABSENT 4u      /* Name (_STA) says not present */

/* One open Scope or Device. */
struct amlr_level {
	uint32_t end;
	bool dev;
	struct amlr_path path;
	struct amlr_dev d;
};

/* A search for Name (want) across the AML tables. */
struct amlr_search {
	struct amlr_path want;
	size_t table;
	uint32_t at;          /* the object's offset in that table, 0: not found */
	bool method;          /* want is a Method */
};

static bool amlr_path_eq(const struct amlr_path *a, const struct amlr_path *b)
{
	return a->n == b->n && a->n <= AMLR_SEGS && memcmp(a->seg, b->seg, 4u * a->n) == 0;
}

static bool amlr_seg_is(const char *seg, const char *name)
{
	return memcmp(seg, name, 4) == 0;
}

/* A PkgLength at *pos: *pkgend is where the package ends, inside end. */
static int amlr_pkg(struct pac *c, uint32_t *pos, uint32_t end, uint32_t *pkgend)
{
	uint32_t o = *pos, bytes, len;

	if (o >= end || (bytes = c->p[o] >> 6) > end - o - 1)
		return pac_fail(c, FWK_ERR_TRUNCATED, o, "PkgLength", "cut off by its package's end");
	len = bytes ? c->p[o] & 0x0fu : c->p[o] & 0x3fu;
	for (uint32_t i = 1; i <= bytes; i++)
		len |= (uint32_t)c->p[o + i] << (8 * i - 4);
	if (len < 1 + bytes || len > end - o)
		return pac_fail(c, FWK_ERR_RANGE, o, "PkgLength",
				"a package that runs past the one around it");
	*pkgend = o + len;
	*pos = o + 1 + bytes;
	return 0;
}

/*
 * A NameString at *pos, resolved against cur into out (both may be NULL
 * to skip it).  Returns 1 for a plain one-segment name (an object of the
 * current scope), 0 for another name, or a fault.
 */
static int amlr_name(struct pac *c, uint32_t *pos, uint32_t end, const struct amlr_path *cur,
		    struct amlr_path *out)
{
	const uint8_t *p = c->p;
	uint32_t o = *pos, segs = 1;
	struct amlr_path r = { 0 };
	bool plain = true;

	if (cur)
		r = *cur;
	if (o < end && p[o] == '\\') {
		r.n = 0;
		o++;
		plain = false;
	}
	for (; o < end && p[o] == '^'; o++) {
		plain = false;
		if (r.n && r.n <= AMLR_SEGS)
			r.n--;
	}
	if (o < end && (p[o] == 0x00 || p[o] == 0x2e)) {
		segs = p[o++] ? 2 : 0;
		plain = false;
	} else if (o + 1 < end && p[o] == 0x2f) {
		segs = p[o + 1];
		o += 2;
		plain = false;
	}
	if (o > end || 4ull * segs > end - o)
		return pac_fail(c, FWK_ERR_TRUNCATED, *pos, "NameString", "cut off by its package's end");
	for (uint32_t i = 0; i < segs; i++, o += 4) {
		if (r.n < AMLR_SEGS)
			memcpy(r.seg[r.n++], p + o, 4);
		else
			r.n = AMLR_SEGS + 1;
	}
	if (out)
		*out = r;
	*pos = o;
	return plain;
}

/* An integer constant at *pos (< end); 1 when the term there is not one. */
static int amlr_int(struct pac *c, uint32_t *pos, uint32_t end, uint64_t *v)
{
	uint32_t o = *pos, w;

	switch (c->p[o]) {
	case 0x00: /* Zero */
	case 0x01: /* One */
	case 0xff: /* Ones */
		*v = c->p[o] == 0xff ? ~0ull : c->p[o];
		*pos = o + 1;
		return 0;
	case 0x0a: w = 1; break;
	case 0x0b: w = 2; break;
	case 0x0c: w = 4; break;
	case 0x0e: w = 8; break;
	default:
		return 1;
	}
	if (w > end - o - 1)
		return pac_fail(c, FWK_ERR_TRUNCATED, o, "AML integer", "cut off by its package's end");
	*v = 0;
	for (uint32_t i = w; i > 0; i--)
		*v = *v << 8 | c->p[o + i];
	*pos = o + 1 + w;
	return 0;
}

/* The argument shapes of the opcodes a namespace walk meets outside method
 * bodies and may need to step over: t a term, n a NameString, b a byte.
 * ext: after ExtOpPrefix 0x5b. */
static const struct amlr_op {
	uint8_t ext, op;
	char args[6];
} amlr_ops[] = {
	{ 0, 0x06, "nn" },   { 0, 0x08, "nt" },   { 0, 0x15, "nbb" },  { 0, 0x70, "tt" },
	{ 0, 0x71, "t" },    { 0, 0x72, "ttt" },  { 0, 0x73, "ttt" },  { 0, 0x74, "ttt" },
	{ 0, 0x75, "t" },    { 0, 0x76, "t" },    { 0, 0x77, "ttt" },  { 0, 0x78, "tttt" },
	{ 0, 0x79, "ttt" },  { 0, 0x7a, "ttt" },  { 0, 0x7b, "ttt" },  { 0, 0x7c, "ttt" },
	{ 0, 0x7d, "ttt" },  { 0, 0x7e, "ttt" },  { 0, 0x7f, "ttt" },  { 0, 0x80, "tt" },
	{ 0, 0x81, "tt" },   { 0, 0x82, "tt" },   { 0, 0x83, "t" },    { 0, 0x84, "ttt" },
	{ 0, 0x85, "ttt" },  { 0, 0x86, "tt" },   { 0, 0x87, "t" },    { 0, 0x88, "ttt" },
	{ 0, 0x89, "tbtbtt" }, { 0, 0x8a, "ttn" }, { 0, 0x8b, "ttn" }, { 0, 0x8c, "ttn" },
	{ 0, 0x8d, "ttn" },  { 0, 0x8e, "t" },    { 0, 0x8f, "ttn" },  { 0, 0x90, "tt" },
	{ 0, 0x91, "tt" },   { 0, 0x92, "t" },    { 0, 0x93, "tt" },   { 0, 0x94, "tt" },
	{ 0, 0x95, "tt" },   { 0, 0x96, "tt" },   { 0, 0x97, "tt" },   { 0, 0x98, "tt" },
	{ 0, 0x99, "tt" },   { 0, 0x9c, "ttt" },  { 0, 0x9d, "tt" },   { 0, 0x9e, "tttt" },
	{ 0, 0x9f, "" },     { 0, 0xa3, "" },     { 0, 0xa4, "t" },    { 0, 0xa5, "" },
	{ 0, 0xcc, "" },
	{ 1, 0x01, "nb" },   { 1, 0x02, "n" },    { 1, 0x12, "tt" },   { 1, 0x13, "tttn" },
	{ 1, 0x1f, "tttttt" }, { 1, 0x20, "tt" }, { 1, 0x21, "t" },    { 1, 0x22, "t" },
	{ 1, 0x23, "tbb" },  { 1, 0x24, "t" },    { 1, 0x25, "tt" },   { 1, 0x26, "t" },
	{ 1, 0x27, "t" },    { 1, 0x28, "tt" },   { 1, 0x29, "tt" },   { 1, 0x2a, "t" },
	{ 1, 0x30, "" },     { 1, 0x31, "" },     { 1, 0x33, "" },     { 1, 0x80, "nbtt" },
	{ 1, 0x88, "nttt" },
};

static bool amlr_lead(uint8_t b)
{
	return b == '\\' || b == '^' || b == '_' || b == 0x2e || b == 0x2f || (b >= 'A' && b <= 'Z');
}

/*
 * Step over one term at *pos: constants, strings, names (taken as
 * references: a method call's arguments cannot be counted without the
 * namespace), locals and args, everything with a PkgLength, and the
 * opcodes of amlr_ops, whose terms are stepped over in turn, at most
 * AMLR_DEPTH deep.
 */
static int amlr_skip(struct pac *c, uint32_t *pos, uint32_t end, unsigned depth)
{
	const uint8_t *p = c->p;
	uint32_t o = *pos, pe;
	const char *args = NULL;
	uint64_t v;
	int rc;

	if (depth > AMLR_DEPTH)
		return pac_fail(c, FWK_ERR_LIMIT, o, "AML", "terms nested deeper than this reader follows");
	if (o >= end)
		return pac_fail(c, FWK_ERR_TRUNCATED, o, "AML", "a term cut off by its package's end");
	if ((rc = amlr_int(c, pos, end, &v)) <= 0)
		return rc;
	uint8_t op = p[o], ext = o + 1 < end ? p[o + 1] : 0;
	if (amlr_lead(op))
		return amlr_name(c, pos, end, NULL, NULL) < 0 ? FWK_ERR_TRUNCATED : 0;
	if (op == 0x0d) { /* String */
		while (++o < end && p[o])
			;
		if (o >= end)
			return pac_fail(c, FWK_ERR_TRUNCATED, *pos, "AML string", "no NUL before the end");
		*pos = o + 1;
		return 0;
	}
	if (op >= 0x60 && op <= 0x6e) { /* Local0-7, Arg0-6 */
		*pos = o + 1;
		return 0;
	}
	/* Scope, Buffer, Package, VarPackage, Method, If, Else, While; Field,
	 * Device, Processor, PowerResource, ThermalZone, IndexField, BankField */
	if ((op >= 0x10 && op <= 0x14) || (op >= 0xa0 && op <= 0xa2) ||
	    (op == 0x5b && ext >= 0x81 && ext <= 0x87)) {
		o += op == 0x5b ? 2 : 1;
		if ((rc = amlr_pkg(c, &o, end, &pe)) < 0)
			return rc;
		*pos = pe;
		return 0;
	}
	for (size_t i = 0; i < sizeof(amlr_ops) / sizeof(amlr_ops[0]) && !args; i++)
		if (amlr_ops[i].ext ? op == 0x5b && ext == amlr_ops[i].op : op == amlr_ops[i].op)
			args = amlr_ops[i].args;
	if (!args)
		return pac_fail(c, FWK_ERR_UNSUPPORTED, o, "AML opcode", "AML opcode not understood");
	o += op == 0x5b ? 2 : 1;
	for (size_t i = 0; i < sizeof(amlr_ops[0].args) && args[i]; i++) {
		if (args[i] == 'b') {
			if (o++ >= end)
				return pac_fail(c, FWK_ERR_TRUNCATED, o - 1, "AML", "a term cut off by its package's end");
			continue;
		}
		rc = args[i] == 't' ? amlr_skip(c, &o, end, depth + 1) : amlr_name(c, &o, end, NULL, NULL);
		if (rc < 0)
			return rc;
	}
	*pos = o;
	return 0;
}

/* An EISA ID (as EISAID() compresses it) as its 7 characters. */
static void amlr_eisa(uint32_t v, char *out)
{
	static const char hex[] = "0123456789ABCDEF";

	out[0] = (char)(0x40 + (v >> 2 & 0x1f));
	out[1] = (char)(0x40 + ((v & 3) << 3 | (v >> 13 & 7)));
	out[2] = (char)(0x40 + (v >> 8 & 0x1f));
	out[3] = hex[v >> 20 & 15];
	out[4] = hex[v >> 16 & 15];
	out[5] = hex[v >> 28 & 15];
	out[6] = hex[v >> 24 & 15];
}

/* Name (seg, object at pos) inside Device v: keep what the reader needs. */
static int amlr_named(struct pac *c, struct amlr_dev *v, const char *seg, uint32_t pos,
		     uint32_t end)
{
	const uint8_t *p = c->p;
	uint64_t x;
	uint32_t o = pos;

	if (pos >= end)
		return 0;
	if (amlr_seg_is(seg, "_HID")) {
		if (p[pos] == 0x0d) {
			for (v->hid_len = 0, o++; o < end && p[o] && v->hid_len < 9; o++)
				if (v->hid_len < 8)
					v->hid[v->hid_len++] = (char)p[o];
				else
					v->hid_len = 9;
		} else if (amlr_int(c, &o, end, &x) == 0) {
			amlr_eisa((uint32_t)x, v->hid);
			v->hid_len = 7;
		}
	} else if (amlr_seg_is(seg, "_UID")) {
		if (amlr_int(c, &o, end, &x) == 0)
			v->uid = x;
	} else if (amlr_seg_is(seg, "_STA")) {
		if (amlr_int(c, &o, end, &x) == 0 && !(x & 1))
			v->flags |= AMLR_ABSENT;
	} else if (amlr_seg_is(seg, "_CRS")) {
		if (p[pos] == 0x11) {
			v->crs = pos;
			v->crs_table = c->cur;
		} else {
			v->flags |= AMLR_CRS_BAD;
		}
	} else if (amlr_seg_is(seg, "_PRT") && p[pos] == 0x12) {
		v->prt = pos;
	}
	return 0;
}

static int amlr_walk(struct pac *c, struct amlr_search *s);

/* Look for s->want in every AML table; the current table is restored. */
static int amlr_search(struct pac *c, struct amlr_search *s)
{
	size_t keep = c->cur;
	uint64_t keep_at = c->at, at = 0;
	int rc = 0;

	if (++c->finds > AMLR_FINDS)
		return pac_fail(c, FWK_ERR_LIMIT, 0, "_CRS",
				"too many devices whose _CRS is declared outside their body");
	s->at = 0;
	s->method = false;
	for (size_t i = 0; i < c->ntables && !s->at && !s->method && rc >= 0;
	     at += c->tables[i++].len) {
		if (memcmp(c->tables[i].p, "DSDT", 4) && memcmp(c->tables[i].p, "SSDT", 4))
			continue;
		pac_select(c, i, at);
		rc = amlr_walk(c, s);
		s->table = i;
	}
	pac_select(c, keep, keep_at);
	return rc;
}

/* The _HIDs mapped to devices; field names the device in a fault. */
static const struct {
	char hid[9];
	uint8_t kind;
	char field[12];
} amlr_hids[] = {
	{ "ARMH0011", VM_DEV_UART, "uart _CRS" },
	{ "PNP0501", VM_DEV_UART, "uart _CRS" },
	{ "LNRO0005", VM_DEV_VIRTIO, "virtio _CRS" },
	{ "PNP0A08", VM_DEV_PCIE_ECAM, "pcie _CRS" },
	{ "PNP0A03", VM_DEV_PCIE_ECAM, "pcie _CRS" },
	{ "PNP0B00", VM_DEV_RTC, "rtc _CRS" },
};

/* What a resource template holds for a plain device. */
struct amlr_res {
	uint64_t base, size;  /* the first memory or I/O range */
	bool ranged, bused;
	uint32_t bus;         /* a bridge's first bus */
	struct vm_dev irqs;   /* just its interrupts */
};

/* An address space descriptor: a bridge's window, or a device's range. */
static int amlr_address(struct pac *c, bool bridge, uint8_t type, uint64_t min, uint64_t tra,
		       uint64_t len, struct amlr_res *r)
{
	unsigned kind = type == 1 ? VM_DEV_PCIE_PIO :
			min < PAC_4G && len <= PAC_4G - min ? VM_DEV_PCIE_MMIO32 : VM_DEV_PCIE_MMIO64;

	if (type == 2 && !r->bused) {
		r->bused = true;
		r->bus = (uint32_t)min;
	}
	if (type > 1 || !len)
		return 0;
	if (!bridge) {
		if (!r->ranged) {
			r->ranged = true;
			r->base = min + tra;
			r->size = len;
		}
		return 0;
	}
	return pac_add(c, kind, min + tra, len, 0) ? 0 : FWK_ERR_NOSPACE;
}

/* The descriptors with a range (ACPI 6.5, 6.4): the smallest length that
 * holds it, its resource type (AMLR_TYPE_OWN: the descriptor's own type
 * byte, 0 memory, 1 I/O, 2 bus numbers; else 0 memory or 1 I/O), and where
 * the minimum address, the translation offset (offset 0: none) and the
 * length are, each as an offset and a width in bytes.  tag: a large
 * item's first byte, or a small item's name. */
#define AMLR_TYPE_OWN 0xffu
static const struct amlr_range {
	uint8_t tag, need, type, min, min_w, tra, tra_w, len, len_w;
} amlr_ranges[] = {
	{ 0x08, 7, 1, 2, 2, 0, 0, 7, 1 },                  /* I/O Port */
	{ 0x09, 3, 1, 1, 2, 0, 0, 3, 1 },                  /* Fixed Location I/O Port */
	{ 0x85, 17, 0, 4, 4, 0, 0, 16, 4 },                /* 32-bit Memory Range */
	{ 0x86, 9, 0, 4, 4, 0, 0, 8, 4 },                  /* 32-bit Fixed Memory Range */
	{ 0x87, 23, AMLR_TYPE_OWN, 10, 4, 18, 4, 22, 4 },   /* DWord Address Space */
	{ 0x88, 13, AMLR_TYPE_OWN, 8, 2, 12, 2, 14, 2 },    /* Word Address Space */
	{ 0x8a, 43, AMLR_TYPE_OWN, 14, 8, 30, 8, 38, 8 },   /* QWord Address Space */
	{ 0x8b, 53, AMLR_TYPE_OWN, 16, 8, 32, 8, 40, 8 },   /* Extended Address Space */
};

static uint64_t amlr_le(const uint8_t *p, unsigned w)
{
	uint64_t v = 0;

	while (w--)
		v = v << 8 | p[w];
	return v;
}

/* The resource template of the Buffer at pos: ranges and interrupts into
 * r, a bridge's windows straight into the output.  Descriptors of other
 * kinds are stepped over by their length. */
static int amlr_resources(struct pac *c, uint32_t pos, bool bridge, struct amlr_res *r,
			 const char *field)
{
	const uint8_t *p = c->p;
	uint32_t end, o = pos + 1;
	uint64_t size;
	int rc;

	if ((rc = amlr_pkg(c, &o, c->len, &end)) < 0)
		return rc;
	if (o >= end || amlr_int(c, &o, end, &size) != 0)
		return pac_fail(c, FWK_ERR_BADFIELD, pos, field, "a Buffer without a constant size");
	if (size < end - o)
		end = o + (uint32_t)size;
	while (o < end) {
		const uint8_t *e = p + o;
		bool large = e[0] & 0x80;
		uint32_t tag = large ? e[0] : e[0] >> 3 & 0x0fu, head = large ? 3 : 1, dl, need = 2;
		const struct amlr_range *k = NULL;

		if (end - o < head)
			return pac_fail(c, FWK_ERR_TRUNCATED, o, field, "a descriptor cut off by the buffer's end");
		dl = large ? fwk_le16(e + 1) : e[0] & 7u;
		if (dl > end - o - head)
			return pac_fail(c, FWK_ERR_RANGE, o, field, "a descriptor that runs past its buffer");
		if (tag == 0x0f) /* End Tag */
			return 0;
		for (size_t i = 0; i < sizeof(amlr_ranges) / sizeof(amlr_ranges[0]); i++)
			if (amlr_ranges[i].tag == tag)
				k = &amlr_ranges[i];
		if (tag == 0x89) /* Extended Interrupt: GSIs */
			need = dl < 2 ? 2 : 2u + 4u * e[4];
		else if (k)
			need = k->need;
		if ((k || tag == 0x04 || tag == 0x89) && dl < need)
			return pac_fail(c, FWK_ERR_BADFIELD, o, field,
					"a resource descriptor shorter than its kind");
		if (tag == 0x04) { /* IRQ: ISA IRQs, through MADT's overrides */
			for (uint32_t i = 0; i < 16; i++)
				if (fwk_le16(e + 1) >> i & 1)
					pac_irq(&r->irqs, c->isa_gsi[i]);
		} else if (tag == 0x89) {
			for (uint32_t i = 0; i < e[4]; i++)
				pac_irq(&r->irqs, fwk_le32(e + 5 + 4 * i));
		} else if (k) {
			bool own = k->type == AMLR_TYPE_OWN;

			rc = amlr_address(c, bridge && own, own ? e[3] : k->type,
					 amlr_le(e + k->min, k->min_w),
					 k->tra ? amlr_le(e + k->tra, k->tra_w) : 0,
					 amlr_le(e + k->len, k->len_w), r);
			if (rc < 0)
				return rc;
		}
		o += head + dl;
	}
	return 0;
}

/* A bridge's _PRT: the GSIs of slot 0's INTA..INTD when each is routed
 * straight to a GSI (a link device cannot be followed without running
 * its methods).  Returns the mask of pins found. */
static int amlr_prt(struct pac *c, uint32_t pos, uint32_t irq[4])
{
	uint32_t end, o = pos + 1, got = 0;
	int rc;

	if ((rc = amlr_pkg(c, &o, c->len, &end)) < 0)
		return rc;
	for (o++; o < end;) {
		uint32_t e;
		uint64_t v[4];
		int k = 0;

		if (c->p[o] != 0x12) {
			if ((rc = amlr_skip(c, &o, end, 0)) < 0)
				return rc;
			continue;
		}
		o++;
		if ((rc = amlr_pkg(c, &o, end, &e)) < 0)
			return rc;
		for (o++; k < 4 && o < e && (rc = amlr_int(c, &o, e, &v[k])) == 0; k++)
			;
		if (rc < 0)
			return rc;
		if (k == 4 && v[0] >> 16 == 0 && v[1] < 4 && v[2] == 0) {
			irq[v[1]] = (uint32_t)v[3];
			got |= 1u << v[1];
		}
		o = e;
	}
	return (int)got;
}

/* A Device's body is closed: if its _HID is one the parity check maps,
 * report it from its _CRS (and a bridge's _PRT). */
static int amlr_device(struct pac *c, const struct amlr_level *lv)
{
	const struct amlr_dev *v = &lv->d;
	struct amlr_search s;
	struct amlr_res r = { 0 };
	size_t crs_table = v->crs_table, keep = c->cur, i, nh = sizeof(amlr_hids) / sizeof(amlr_hids[0]);
	uint64_t keep_at = c->at, at = 0;
	uint32_t crs = v->crs, irq[4];
	struct vm_dev *d;
	int rc;

	for (i = 0; i < nh; i++)
		if (v->hid_len < 9 && amlr_hids[i].hid[v->hid_len] == 0 &&
		    memcmp(amlr_hids[i].hid, v->hid, v->hid_len) == 0 && v->hid_len)
			break;
	if (i == nh || v->flags & AMLR_ABSENT)
		return 0;
	unsigned kind = amlr_hids[i].kind;
	const char *field = amlr_hids[i].field;
	bool bridge = kind == VM_DEV_PCIE_ECAM;

	/* a _CRS may be given later, in a Scope naming the Device */
	if (!crs && !(v->flags & (AMLR_CRS_METHOD | AMLR_CRS_BAD)) && lv->path.n < AMLR_SEGS) {
		s.want = lv->path;
		memcpy(s.want.seg[s.want.n++], "_CRS", 4);
		if ((rc = amlr_search(c, &s)) < 0)
			return rc;
		crs = s.at;
		crs_table = s.table;
		if (s.method || (s.at && ((const uint8_t *)c->tables[s.table].p)[s.at] != 0x11))
			return pac_fail(c, FWK_ERR_UNSUPPORTED, v->op, field,
					"not a Name with a ResourceTemplate: this reader runs no AML");
	}
	if (v->flags & (AMLR_CRS_METHOD | AMLR_CRS_BAD))
		return pac_fail(c, FWK_ERR_UNSUPPORTED, v->op, field,
				"not a Name with a ResourceTemplate: this reader runs no AML");
	if (!crs)
		return pac_fail(c, FWK_ERR_BADFIELD, v->op, field, "the device has no _CRS");
	for (i = 0; i < crs_table; i++)
		at += c->tables[i].len;
	pac_select(c, crs_table, at);
	rc = amlr_resources(c, crs, bridge, &r, field);
	pac_select(c, keep, keep_at);
	if (rc < 0)
		return rc;
	if (bridge) {
		/* INTx of slot 0 go on the ECAM of the bridge's first bus */
		if (v->prt && (rc = amlr_prt(c, v->prt, irq)) == 15 &&
		    (d = pac_find(c, VM_DEV_PCIE_ECAM, ~0ull, r.bus)) != NULL) {
			memcpy(d->irq, irq, sizeof(irq));
			d->nirq = 4;
		}
		return rc < 0 ? rc : 0;
	}
	if (!(d = pac_add(c, kind, r.base, r.size, (uint32_t)v->uid)))
		return FWK_ERR_NOSPACE;
	d->nirq = r.irqs.nirq;
	memcpy(d->irq, r.irqs.irq, sizeof(d->irq));
	return 0;
}

/*
 * Walk the current table's term list: Scopes and Devices are entered
 * (their paths kept), Methods and every other package stepped over by its
 * PkgLength, other terms by amlr_skip.  Without s, every Device whose body
 * closes goes to amlr_device; with s, the walk looks for the Name or Method
 * s->want and stops there.
 */
static int amlr_walk(struct pac *c, struct amlr_search *s)
{
	struct amlr_level lv[AMLR_DEPTH + 1];
	unsigned d = 0;
	uint32_t pos = ACPI_HEADER_SIZE, end;
	int rc;

	lv[0].end = c->len;
	lv[0].dev = false;
	lv[0].path.n = 0;
	for (;;) {
		while (pos >= lv[d].end) {
			if (d == 0)
				return 0;
			if (lv[d].dev && !s && (rc = amlr_device(c, &lv[d])) < 0)
				return rc;
			d--;
		}
		const uint8_t *p = c->p;
		struct amlr_level *up = &lv[d];
		uint32_t at = pos;
		uint8_t op = p[pos];
		bool dev = op == 0x5b && pos + 1 < up->end && p[pos + 1] == 0x82;
		struct amlr_path name;

		if (op == 0x10 || dev) { /* Scope, Device */
			pos += dev ? 2 : 1;
			if ((rc = amlr_pkg(c, &pos, up->end, &end)) < 0)
				return rc;
			if (d == AMLR_DEPTH)
				return pac_fail(c, FWK_ERR_LIMIT, at, "AML",
						"scopes nested deeper than this reader follows");
			struct amlr_level *in = &lv[d + 1];
			if ((rc = amlr_name(c, &pos, end, &up->path, &in->path)) < 0)
				return rc;
			in->end = end;
			in->dev = dev;
			memset(&in->d, 0, sizeof(in->d));
			in->d.op = at;
			d++;
			continue;
		}
		if (op != 0x08 && op != 0x14) {
			if ((rc = amlr_skip(c, &pos, up->end, 0)) < 0)
				return rc;
			continue;
		}
		/* Name (object), Method (body) */
		end = up->end;
		pos++;
		if (op == 0x14 && (rc = amlr_pkg(c, &pos, up->end, &end)) < 0)
			return rc;
		if ((rc = amlr_name(c, &pos, end, &up->path, &name)) < 0)
			return rc;
		if (op == 0x08 && pos >= end)
			return pac_fail(c, FWK_ERR_TRUNCATED, at, "Name", "no object after the name");
		if (s && amlr_path_eq(&name, &s->want)) {
			s->at = op == 0x08 ? pos : 0;
			s->method = op == 0x14;
			return 0;
		}
		/* a plain name is the 4 bytes just read: an object of this Device */
		if (!s && rc == 1 && up->dev) {
			const char *seg = (const char *)p + pos - 4;

			if (op == 0x14 && amlr_seg_is(seg, "_CRS"))
				up->d.flags |= AMLR_CRS_METHOD;
			else if (op == 0x08)
				amlr_named(c, &up->d, seg, pos, end);
		}
		if (op == 0x14)
			pos = end;
		else if ((rc = amlr_skip(c, &pos, end, 0)) < 0)
			return rc;
	}
}

/* ---- the tables --------------------------------------------------------- */

/* Every input is an RSDP, a FACS or a table with the common header whose
 * Length is its size and whose bytes sum to 0. */
static int pac_check(struct pac *c, size_t len)
{
	struct fwk_fault lf = { 0, "header", "refused", 0 };
	struct acpi_rsdp rsdp;
	int rc;

	if (!c->p && len)
		return fwk_fail(c->f, FWK_ERR_INVAL, c->at, "tables", "a table without bytes");
	if (len >= 8 && memcmp(c->p, "RSD PTR ", 8) == 0)
		rc = acpi_rsdp_parse(c->p, len, &rsdp, &lf);
	else if ((rc = acpi_table_check(c->p, len, &lf)) == ACPI_KIND_SDT &&
		 acpi_checksum(c->p, len) != 0)
		return pac_fail(c, FWK_ERR_CHECKSUM, 9, "Checksum", "the table's bytes do not sum to 0");
	if (rc < 0)
		return fwk_fail(c->f, rc, c->at + lf.offset, lf.field, lf.detail);
	return rc;
}

int vm_acpi_devices(const struct vm_blob *tables, size_t ntables, struct vm_dev *out,
		    size_t cap, size_t *n, struct fwk_fault *f)
{
	struct pac c = { .tables = tables, .ntables = ntables, .out = out, .cap = cap, .f = f };
	int rc = 0;

	if (n)
		*n = 0;
	if (!n || (!tables && ntables) || (!out && cap))
		return fwk_fail(f, FWK_ERR_INVAL, 0, "tables", "no tables, or no array for the devices");
	for (uint32_t i = 0; i < 16; i++)
		c.isa_gsi[i] = i;
	for (int pass = 0; pass < 3; pass++) {
		uint64_t at = 0;

		for (size_t i = 0; i < ntables; at += tables[i++].len) {
			c.cur = i;
			c.p = tables[i].p;
			c.at = at;
			if (pass == 0 && (rc = pac_check(&c, tables[i].len)) < 0)
				return rc;
			pac_select(&c, i, at);
			if (c.len < ACPI_HEADER_SIZE || memcmp(c.p, "RSD PTR ", 8) == 0)
				continue;
			if (pass == 0 && memcmp(c.p, "APIC", 4) == 0)
				rc = pac_madt(&c);
			else if (pass == 0 && memcmp(c.p, "GTDT", 4) == 0)
				rc = pac_gtdt(&c);
			else if (pass == 0 && memcmp(c.p, "MCFG", 4) == 0)
				rc = pac_mcfg(&c);
			else if (pass == 0 && memcmp(c.p, "SRAT", 4) == 0)
				rc = pac_srat(&c);
			else if (pass == 1 && (memcmp(c.p, "DSDT", 4) == 0 || memcmp(c.p, "SSDT", 4) == 0))
				rc = amlr_walk(&c, NULL);
			else if (pass == 2 && memcmp(c.p, "SPCR", 4) == 0)
				rc = pac_spcr(&c);
			if (rc < 0)
				return rc;
		}
	}
	*n = c.n;
	return 0;
}

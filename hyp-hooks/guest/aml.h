/* SPDX-License-Identifier: MIT */
/*
 * aml.h - internal to hyp-hooks/guest: a bounded AML byte-code builder
 * (ACPI 6.4 chapter 20) with the resource descriptors of chapter 6.4.
 *
 * The builder writes into a caller's buffer.  The first failure (buffer
 * full, a bad name, too deep a nesting) is remembered in a->err and every
 * later call does nothing, so a generator calls on without checking and
 * asks aml_finish once at the end.  Nothing is ever written at or past
 * cap.
 *
 * Objects with a PkgLength (Scope, Device, Method, Package, Buffer, If,
 * Else, and a ResourceTemplate, which is a Buffer ending in an EndTag) are
 * opened, filled and closed with aml_close.  Closing measures the body,
 * moves it up by the size of its PkgLength (1 to 4 bytes, the shortest
 * that holds it, ACPI 6.4 20.2.4) and, for a Buffer, of its BufferSize,
 * and writes them in front: the body never has to guess its size.
 */
#ifndef FWKIT_GUEST_AML_H
#define FWKIT_GUEST_AML_H

#include <fwkit/error.h>

#define AML_NEST_MAX 8u
#define AML_PKGLENGTH_MAX 0x0FFFFFFFu /* 28 bits: the 4-byte form */

struct aml {
	uint8_t *buf;
	uint32_t cap, len;
	int err;              /* 0 or the first fwk_error */
	uint32_t depth;
	struct {
		uint32_t start;   /* where the PkgLength goes */
		uint8_t kind;     /* enum aml_kind (aml.c) */
	} open[AML_NEST_MAX];
};

/* Start building into buf[0..cap) (cap up to 4 GiB - 1). */
void aml_init(struct aml *a, void *buf, size_t cap);

/* The number of bytes built (>= 0), or the first error: FWK_ERR_NOSPACE
 * (the buffer was too small), FWK_ERR_INVAL (a bad name, count or
 * argument, a close without an open, or objects left open),
 * FWK_ERR_LIMIT (more than AML_NEST_MAX open objects, or a PkgLength
 * beyond 28 bits). */
int aml_finish(const struct aml *a);

/* Raw bytes: an opcode (the AML_OP_* below) or data. */
void aml_byte(struct aml *a, uint8_t v);
void aml_bytes(struct aml *a, const void *p, size_t n);

/* Opcodes for aml_byte, for the few statements the tables need. */
#define AML_OP_ZERO 0x00u    /* also NullName: "no target" */
#define AML_OP_ONE 0x01u
#define AML_OP_NAME 0x08u
#define AML_OP_LOCAL0 0x60u  /* Local0..Local7: + n */
#define AML_OP_ARG0 0x68u    /* Arg0..Arg6: + n */
#define AML_OP_STORE 0x70u   /* Store (source, target) */
#define AML_OP_AND 0x7Bu     /* And (a, b, target) */
#define AML_OP_OR 0x7Du      /* Or (a, b, target) */
#define AML_OP_CREATE_DWORD_FIELD 0x8Au /* (buffer, byte index, name) */
#define AML_OP_LNOT 0x92u
#define AML_OP_LEQUAL 0x93u
#define AML_OP_RETURN 0xA4u
#define AML_OP_ONES 0xFFu

/* A NameString (20.2.2): "\" for the root, leading "^" to go up, then
 * segments of 1 to 4 characters (A-Z, 0-9, '_', not starting with a
 * digit) separated by '.', each padded with '_' to 4: "\_SB.PCI0",
 * "^RES0", "_HID", "\" alone is the root.  Anything else: FWK_ERR_INVAL. */
void aml_name(struct aml *a, const char *path);

/* An integer in its shortest form: Zero, One, Ones (all 64 bits set), or
 * a Byte, Word, DWord or QWord constant. */
void aml_int(struct aml *a, uint64_t v);

/* A String constant (ASCII, NUL-terminated in AML). */
void aml_string(struct aml *a, const char *s);

/* A 7-character EISA ID ("PNP0A08": three capitals and four hex digits)
 * compressed into a DWord constant, as ASL's EISAID() does. */
void aml_eisaid(struct aml *a, const char *id);

/* A Buffer of the 16 bytes ASL's ToUUID makes of
 * "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx". */
void aml_uuid(struct aml *a, const char *uuid);

/* Name (name, ...): the caller emits the value next.  The _int/_str/
 * _eisaid forms emit it too. */
void aml_name_decl(struct aml *a, const char *name);
void aml_name_int(struct aml *a, const char *name, uint64_t v);
void aml_name_str(struct aml *a, const char *name, const char *s);
void aml_name_eisaid(struct aml *a, const char *name, const char *id);

/* Objects closed with aml_close. */
void aml_scope(struct aml *a, const char *path);
void aml_device(struct aml *a, const char *name);
/* Method (name, args 0..7, serialized or not), sync level 0. */
void aml_method(struct aml *a, const char *name, unsigned args, bool serialized);
/* Package (count) with count <= 255 elements, or VarPackage (count). */
void aml_package(struct aml *a, unsigned count);
void aml_varpackage(struct aml *a, uint32_t count);
/* Buffer () { bytes }: the size is what the body holds at close. */
void aml_buffer(struct aml *a);
void aml_if(struct aml *a);
void aml_else(struct aml *a);
/* ResourceTemplate () { descriptors }: aml_close adds the EndTag
 * (checksum 0). */
void aml_rt(struct aml *a);
void aml_close(struct aml *a);

/* ---- resource descriptors, inside aml_rt ---------------------------- */

/* Memory32Fixed (ReadWrite or ReadOnly, base, length), 6.4.3.4. */
void aml_rd_mem32_fixed(struct aml *a, uint32_t base, uint32_t length, bool rw);

/* Address Space descriptors (6.4.3.5): Word (2), DWord (4) or QWord (8)
 * wide; width picks the form.  Values that do not fit the width:
 * FWK_ERR_INVAL. */
enum aml_space { AML_SPACE_MEMORY = 0, AML_SPACE_IO = 1, AML_SPACE_BUS = 2 };
/* General flags. */
#define AML_CONSUMER 0x01u      /* else ResourceProducer */
#define AML_SUB_DECODE 0x02u    /* else PosDecode */
#define AML_MIN_FIXED 0x04u
#define AML_MAX_FIXED 0x08u
/* Type-specific flags, memory: */
#define AML_MEM_RW 0x01u
#define AML_MEM_CACHEABLE 0x02u /* _MEM = 1; 0 is NonCacheable */
#define AML_MEM_PREFETCH 0x06u  /* _MEM = 3 */
#define AML_MEM_TRANSLATION 0x20u /* _TTP: TypeTranslation */
/* ... and I/O: */
#define AML_IO_ENTIRE_RANGE 0x03u /* _RNG */
#define AML_IO_TRANSLATION 0x10u  /* _TTP: TypeTranslation */
struct aml_addr {
	uint8_t space;        /* enum aml_space */
	uint8_t flags;        /* general flags */
	uint8_t type_flags;   /* type-specific flags */
	uint64_t granularity, min, max, translation, length;
};
void aml_rd_addr(struct aml *a, unsigned width, const struct aml_addr *r);

/* Extended Interrupt descriptor (6.4.3.6) with n (1..255) GSIs. */
#define AML_INT_CONSUMER 0x01u  /* else ResourceProducer */
#define AML_INT_EDGE 0x02u      /* else Level */
#define AML_INT_ACTIVE_LOW 0x04u /* else ActiveHigh */
#define AML_INT_SHARED 0x08u    /* else Exclusive */
void aml_rd_interrupt(struct aml *a, unsigned flags, const uint32_t *gsi, unsigned n);

/* IO (Decode16, min, max, alignment, length), 6.4.2.5. */
void aml_rd_io(struct aml *a, uint16_t min, uint16_t max, uint8_t align, uint8_t length);

/* IRQNoFlags () {irqs}: mask bit n for ISA IRQ n (6.4.2.1). */
void aml_rd_irq_noflags(struct aml *a, uint16_t mask);

#endif /* FWKIT_GUEST_AML_H */

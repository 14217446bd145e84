/* SPDX-License-Identifier: MIT */
/* acpi_table.c - the ACPI table model: common header, checksums, the Linux
 * upgrade allowlist, signature names, RSDP, RSDT/XSDT and FADT pointers. */
#include <fwkit/acpi.h>

/* Offsets in the common header (ACPI 6.5, table 5.4). */
#define H_SIGNATURE 0u
#define H_LENGTH 4u
#define H_REVISION 8u
#define H_CHECKSUM 9u
#define H_OEM_ID 10u
#define H_OEM_TABLE_ID 16u
#define H_OEM_REVISION 24u
#define H_CREATOR_ID 28u
#define H_CREATOR_REVISION 32u

/* RSDP (ACPI 6.5, table 5.3). */
#define RSDP_CHECKSUM 8u
#define RSDP_OEM_ID 9u
#define RSDP_REVISION 15u
#define RSDP_RSDT 16u
#define RSDP_LENGTH 20u
#define RSDP_XSDT 24u
#define RSDP_EXT_CHECKSUM 32u

/* FADT pointers (ACPI 6.5, table 5.9). */
#define FADT_FIRMWARE_CTRL 36u
#define FADT_DSDT 40u
#define FADT_X_FIRMWARE_CTRL 132u
#define FADT_X_DSDT 140u

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)fwk_le32(p) | (uint64_t)fwk_le32(p + 4) << 32;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static bool sig_is(const void *sig, const char *want)
{
	return memcmp(sig, want, 4) == 0;
}

int acpi_header_parse(const void *buf, uint64_t len, struct acpi_header *h,
		      struct fwk_fault *f)
{
	const uint8_t *b = buf;

	if (len < ACPI_HEADER_SIZE)
		return fwk_fail(f, FWK_ERR_TRUNCATED, 0, "Length",
				"fewer than the 36 bytes of the table header");
	memcpy(h->signature, b + H_SIGNATURE, 4);
	h->length = fwk_le32(b + H_LENGTH);
	h->revision = b[H_REVISION];
	h->checksum = b[H_CHECKSUM];
	memcpy(h->oem_id, b + H_OEM_ID, 6);
	memcpy(h->oem_table_id, b + H_OEM_TABLE_ID, 8);
	h->oem_revision = fwk_le32(b + H_OEM_REVISION);
	memcpy(h->creator_id, b + H_CREATOR_ID, 4);
	h->creator_revision = fwk_le32(b + H_CREATOR_REVISION);
	return 0;
}

void acpi_header_write(void *out, const struct acpi_header *h)
{
	uint8_t *b = out;

	memcpy(b + H_SIGNATURE, h->signature, 4);
	put_le32(b + H_LENGTH, h->length);
	b[H_REVISION] = h->revision;
	b[H_CHECKSUM] = h->checksum;
	memcpy(b + H_OEM_ID, h->oem_id, 6);
	memcpy(b + H_OEM_TABLE_ID, h->oem_table_id, 8);
	put_le32(b + H_OEM_REVISION, h->oem_revision);
	memcpy(b + H_CREATOR_ID, h->creator_id, 4);
	put_le32(b + H_CREATOR_REVISION, h->creator_revision);
}

uint8_t acpi_checksum(const void *buf, uint64_t len)
{
	const uint8_t *p = buf;
	uint8_t sum = 0;

	for (uint64_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + p[i]);
	return sum;
}

uint8_t acpi_checksum_fix_value(const void *table, uint64_t len)
{
	const uint8_t *p = table;
	uint8_t rest = (uint8_t)(acpi_checksum(p, len) - p[H_CHECKSUM]);

	return (uint8_t)(0u - rest);
}

/* Debian 12's 6.1 kernel, table_sigs[] in drivers/acpi/tables.c. */
static const char upgrade_sigs[][4] = {
	"BERT", "BGRT", "CPEP", "ECDT", "EINJ", "ERST", "HEST", "APIC",
	"MSCT", "SBST", "SLIT", "SRAT", "ASF!", "BOOT", "DBGP", "DMAR",
	"HPET", "IBFT", "IVRS", "MCFG", "MCHI", "SLIC", "SPCR", "SPMI",
	"TCPA", "UEFI", "WAET", "WDAT", "WDDT", "WDRT", "DSDT", "FACP",
	"PSDT", "RSDT", "XSDT", "SSDT", "IORT", "NFIT", "HMAT", "PPTT",
	"NHLT", "AEST", "CEDT", "AGDI",
};

bool acpi_sig_upgradable(const char sig[4])
{
	for (size_t i = 0; i < sizeof(upgrade_sigs) / sizeof(upgrade_sigs[0]); i++)
		if (memcmp(sig, upgrade_sigs[i], 4) == 0)
			return true;
	return false;
}

/* ACPI 6.5 tables 5.5 and 5.6, plus the allowlist's few others. */
static const struct {
	char sig[4];
	const char *name;
} sig_names[] = {
	{ "AEST", "Arm Error Source Table" },
	{ "AGDI", "Arm Generic Diagnostic Dump and Reset Device Interface Table" },
	{ "APIC", "Multiple APIC Description Table" },
	{ "APMT", "Arm Performance Monitoring Unit Table" },
	{ "ASF!", "Alert Standard Format Table" },
	{ "BDAT", "BIOS Data ACPI Table" },
	{ "BERT", "Boot Error Record Table" },
	{ "BGRT", "Boot Graphics Resource Table" },
	{ "BOOT", "Simple Boot Flag Table" },
	{ "CCEL", "Confidential Computing Event Log Table" },
	{ "CDIT", "Component Distance Information Table" },
	{ "CEDT", "CXL Early Discovery Table" },
	{ "CPEP", "Corrected Platform Error Polling Table" },
	{ "CRAT", "Component Resource Attribute Table" },
	{ "CSRT", "Core System Resource Table" },
	{ "DBG2", "Debug Port Table 2" },
	{ "DBGP", "Debug Port Table" },
	{ "DMAR", "DMA Remapping Table" },
	{ "DRTM", "Dynamic Root of Trust for Measurement Table" },
	{ "DSDT", "Differentiated System Description Table" },
	{ "ECDT", "Embedded Controller Boot Resources Table" },
	{ "EINJ", "Error Injection Table" },
	{ "ERST", "Error Record Serialization Table" },
	{ "ETDT", "Event Timer Description Table" },
	{ "FACP", "Fixed ACPI Description Table" },
	{ "FACS", "Firmware ACPI Control Structure" },
	{ "FPDT", "Firmware Performance Data Table" },
	{ "GTDT", "Generic Timer Description Table" },
	{ "HEST", "Hardware Error Source Table" },
	{ "HMAT", "Heterogeneous Memory Attribute Table" },
	{ "HPET", "High Precision Event Timer Table" },
	{ "IBFT", "iSCSI Boot Firmware Table" },
	{ "IORT", "I/O Remapping Table" },
	{ "IVRS", "I/O Virtualization Reporting Structure" },
	{ "LPIT", "Low Power Idle Table" },
	{ "MCFG", "PCI Express Memory-mapped Configuration Space Base Address Table" },
	{ "MCHI", "Management Controller Host Interface Table" },
	{ "MISC", "Miscellaneous GUIDed Table Entries" },
	{ "MPAM", "Memory Partitioning And Monitoring Table" },
	{ "MPST", "Memory Power State Table" },
	{ "MSCT", "Maximum System Characteristics Table" },
	{ "MSDM", "Microsoft Data Management Table" },
	{ "NBFT", "NVMe-over-Fabric Boot Firmware Table" },
	{ "NFIT", "NVDIMM Firmware Interface Table" },
	{ "NHLT", "Non-HD Audio Link Table" },
	{ "PCCT", "Platform Communications Channel Table" },
	{ "PDTT", "Platform Debug Trigger Table" },
	{ "PHAT", "Platform Health Assessment Table" },
	{ "PMTT", "Platform Memory Topology Table" },
	{ "PPTT", "Processor Properties Topology Table" },
	{ "PRMT", "Platform Runtime Mechanism Table" },
	{ "PSDT", "Persistent System Description Table" },
	{ "RAS2", "ACPI RAS2 Feature Table" },
	{ "RASF", "ACPI RAS Feature Table" },
	{ "RGRT", "Regulatory Graphics Resource Table" },
	{ "RSDT", "Root System Description Table" },
	{ "SBST", "Smart Battery Specification Table" },
	{ "SDEI", "Software Delegated Exceptions Interface Table" },
	{ "SDEV", "Secure Devices Table" },
	{ "SLIC", "Software Licensing Description Table" },
	{ "SLIT", "System Locality Distance Information Table" },
	{ "SPCR", "Serial Port Console Redirection Table" },
	{ "SPMI", "Server Platform Management Interface Table" },
	{ "SRAT", "System Resource Affinity Table" },
	{ "SSDT", "Secondary System Description Table" },
	{ "STAO", "_STA Override Table" },
	{ "SVKL", "Storage Volume Key Location Table" },
	{ "TCPA", "Trusted Computing Platform Alliance Capabilities Table" },
	{ "TPM2", "Trusted Platform Module 2 Table" },
	{ "UEFI", "UEFI ACPI Data Table" },
	{ "WAET", "Windows ACPI Emulated Devices Table" },
	{ "WDAT", "Watchdog Action Table" },
	{ "WDDT", "Watchdog Descriptor Table" },
	{ "WDRT", "Watchdog Resource Table" },
	{ "WPBT", "Windows Platform Binary Table" },
	{ "WSMT", "Windows SMM Security Mitigations Table" },
	{ "XENV", "Xen Project Table" },
	{ "XSDT", "Extended System Description Table" },
};

const char *acpi_sig_describe(const char sig[4])
{
	for (size_t i = 0; i < sizeof(sig_names) / sizeof(sig_names[0]); i++)
		if (memcmp(sig, sig_names[i].sig, 4) == 0)
			return sig_names[i].name;
	return NULL;
}

/* What ACPI names are made of, plus the '!' of "ASF!" and lower case for
 * the OEM's own tables ("OEMx"). */
static bool sig_char_ok(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '!';
}

/* The RSDP's size as it describes itself; 0 when it cannot say so. */
static int rsdp_structure(const uint8_t *b, uint64_t len, struct fwk_fault *f)
{
	if (len < ACPI_RSDP_V1_SIZE)
		return fwk_fail(f, FWK_ERR_TRUNCATED, 0, "Length",
				"fewer than the 20 bytes of an ACPI 1.0 RSDP");
	if (b[RSDP_REVISION] < 2) {
		if (len != ACPI_RSDP_V1_SIZE)
			return fwk_fail(f, FWK_ERR_BADFIELD, RSDP_REVISION, "Revision",
					"a revision 0 RSDP is 20 bytes, the input is longer");
		return 0;
	}
	if (len < ACPI_RSDP_V2_SIZE)
		return fwk_fail(f, FWK_ERR_TRUNCATED, RSDP_LENGTH, "Length",
				"revision 2 RSDP shorter than 36 bytes");
	const uint32_t l = fwk_le32(b + RSDP_LENGTH);
	if (l < ACPI_RSDP_V2_SIZE)
		return fwk_fail(f, FWK_ERR_BADFIELD, RSDP_LENGTH, "Length",
				"less than the 36 bytes of a revision 2 RSDP");
	if (l > len)
		return fwk_fail(f, FWK_ERR_RANGE, RSDP_LENGTH, "Length",
				"says more bytes than there are");
	return 0;
}

int acpi_table_check(const void *buf, uint64_t len, struct fwk_fault *f)
{
	const uint8_t *b = buf;

	if (len >= 8 && memcmp(b, "RSD PTR ", 8) == 0) {
		int rc = rsdp_structure(b, len, f);
		if (rc < 0)
			return rc;
		if (b[RSDP_REVISION] >= 2 && fwk_le32(b + RSDP_LENGTH) != len)
			return fwk_fail(f, FWK_ERR_BADFIELD, RSDP_LENGTH, "Length",
					"less than the input's size");
		return ACPI_KIND_RSDP;
	}
	if (len < 4)
		return fwk_fail(f, FWK_ERR_TRUNCATED, 0, "Signature",
				"fewer than 4 bytes");
	for (unsigned i = 0; i < 4; i++)
		if (!sig_char_ok(b[i]))
			return fwk_fail(f, FWK_ERR_BADFIELD, i, "Signature",
					"not four letters, digits, '_' or '!'");
	const bool facs = sig_is(b, "FACS");
	const uint64_t need = facs ? 8 : ACPI_HEADER_SIZE;
	if (len < need)
		return fwk_fail(f, FWK_ERR_TRUNCATED, H_LENGTH, "Length",
				facs ? "FACS shorter than its Length field"
				     : "fewer than the 36 bytes of the table header");
	const uint32_t l = fwk_le32(b + H_LENGTH);
	if (l > len)
		return fwk_fail(f, FWK_ERR_RANGE, H_LENGTH, "Length",
				"says more bytes than there are");
	if (facs) {
		if (l < ACPI_FACS_MIN_SIZE)
			return fwk_fail(f, FWK_ERR_BADFIELD, H_LENGTH, "Length",
					"less than the 64 bytes of a FACS");
		if (l != len)
			return fwk_fail(f, FWK_ERR_BADFIELD, H_LENGTH, "Length",
					"less than the input's size");
		return ACPI_KIND_FACS;
	}
	if (l < ACPI_HEADER_SIZE)
		return fwk_fail(f, FWK_ERR_BADFIELD, H_LENGTH, "Length",
				"less than the 36 bytes of the table header");
	if (l != len)
		return fwk_fail(f, FWK_ERR_BADFIELD, H_LENGTH, "Length",
				"less than the input's size");
	if (sig_is(b, "RSDT") && (l - ACPI_HEADER_SIZE) % 4 != 0)
		return fwk_fail(f, FWK_ERR_BADFIELD, H_LENGTH, "Length",
				"RSDT entries are not a whole number of 4-byte addresses");
	if (sig_is(b, "XSDT") && (l - ACPI_HEADER_SIZE) % 8 != 0)
		return fwk_fail(f, FWK_ERR_BADFIELD, H_LENGTH, "Length",
				"XSDT entries are not a whole number of 8-byte addresses");
	return ACPI_KIND_SDT;
}

int acpi_rsdp_parse(const void *buf, uint64_t len, struct acpi_rsdp *r,
		    struct fwk_fault *f)
{
	const uint8_t *b = buf;

	if (len < 8)
		return fwk_fail(f, FWK_ERR_TRUNCATED, 0, "Signature",
				"fewer than 8 bytes");
	if (memcmp(b, "RSD PTR ", 8) != 0)
		return fwk_fail(f, FWK_ERR_BADMAGIC, 0, "Signature",
				"not \"RSD PTR \"");
	int rc = rsdp_structure(b, len, f);
	if (rc < 0)
		return rc;
	if (acpi_checksum(b, ACPI_RSDP_V1_SIZE) != 0)
		return fwk_fail(f, FWK_ERR_CHECKSUM, RSDP_CHECKSUM, "Checksum",
				"the first 20 bytes do not sum to 0");
	memset(r, 0, sizeof(*r));
	memcpy(r->oem_id, b + RSDP_OEM_ID, 6);
	r->revision = b[RSDP_REVISION];
	r->rsdt_address = fwk_le32(b + RSDP_RSDT);
	r->checksum = b[RSDP_CHECKSUM];
	r->length = ACPI_RSDP_V1_SIZE;
	if (r->revision < 2)
		return 0;
	r->length = fwk_le32(b + RSDP_LENGTH);
	if (acpi_checksum(b, r->length) != 0)
		return fwk_fail(f, FWK_ERR_CHECKSUM, RSDP_EXT_CHECKSUM,
				"Extended Checksum", "the whole RSDP does not sum to 0");
	r->xsdt_address = le64(b + RSDP_XSDT);
	r->ext_checksum = b[RSDP_EXT_CHECKSUM];
	return 0;
}

/* 4 for an RSDT, 8 for an XSDT, else 0. */
static unsigned root_entry_size(const uint8_t *b)
{
	return sig_is(b, "RSDT") ? 4 : sig_is(b, "XSDT") ? 8 : 0;
}

int acpi_root_entries(const void *table, uint64_t len, struct fwk_fault *f)
{
	const uint8_t *b = table;
	int kind = acpi_table_check(b, len, f);

	if (kind < 0)
		return kind;
	if (kind != ACPI_KIND_SDT || root_entry_size(b) == 0)
		return fwk_fail(f, FWK_ERR_BADMAGIC, 0, "Signature",
				"neither RSDT nor XSDT");
	/* acpi_table_check made len the Length, a u32: the count fits an int. */
	return (int)((len - ACPI_HEADER_SIZE) / root_entry_size(b));
}

int acpi_root_entry(const void *table, uint64_t len, uint32_t i, uint64_t *addr)
{
	const uint8_t *b = table;
	int n = acpi_root_entries(b, len, NULL);

	if (n < 0)
		return n;
	if (i >= (uint32_t)n)
		return FWK_ERR_INVAL;
	const uint64_t at = ACPI_HEADER_SIZE + (uint64_t)i * root_entry_size(b);
	*addr = root_entry_size(b) == 4 ? fwk_le32(b + at) : le64(b + at);
	return 0;
}

int acpi_fadt_ptrs(const void *fadt, uint64_t len, struct acpi_fadt_ptrs *p)
{
	const uint8_t *b = fadt;

	memset(p, 0, sizeof(*p));
	if (len < ACPI_HEADER_SIZE)
		return FWK_ERR_TRUNCATED;
	if (!sig_is(b, "FACP"))
		return FWK_ERR_BADMAGIC;
	/* Only what both the buffer and the table's own Length cover. */
	uint64_t n = fwk_le32(b + H_LENGTH);
	if (n > len)
		n = len;
	if (n >= FADT_FIRMWARE_CTRL + 4)
		p->facs = fwk_le32(b + FADT_FIRMWARE_CTRL);
	if (n >= FADT_DSDT + 4)
		p->dsdt = fwk_le32(b + FADT_DSDT);
	if (n >= FADT_X_FIRMWARE_CTRL + 8)
		p->x_facs = le64(b + FADT_X_FIRMWARE_CTRL);
	if (n >= FADT_X_DSDT + 8)
		p->x_dsdt = le64(b + FADT_X_DSDT);
	return 0;
}

static unsigned put_field(char *out, unsigned o, const char *s, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		uint8_t c = (uint8_t)s[i];
		out[o++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	return o;
}

int acpi_identity(const struct acpi_header *h, char *out)
{
	char digits[10];
	unsigned o = 0, nd = 0;
	uint32_t v = h->oem_revision;

	o = put_field(out, o, h->signature, 4);
	out[o++] = ' ';
	o = put_field(out, o, h->oem_id, 6);
	out[o++] = ' ';
	o = put_field(out, o, h->oem_table_id, 8);
	memcpy(out + o, " rev ", 5);
	o += 5;
	do {
		digits[nd++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (nd)
		out[o++] = digits[--nd];
	out[o] = '\0';
	return (int)o;
}

bool acpi_same_ids(const struct acpi_header *a, const struct acpi_header *b)
{
	return memcmp(a->signature, b->signature, 4) == 0 &&
	       memcmp(a->oem_id, b->oem_id, 6) == 0 &&
	       memcmp(a->oem_table_id, b->oem_table_id, 8) == 0;
}

/* SPDX-License-Identifier: MIT */
/* classify.c - what a boot module is, from its bytes, its command line and
 * its /chosen role: boot_classify, boot_kind_name and boot_kind_parse. */
#include <fwkit/bootpipe.h>
#include <fwkit/dt.h>
#include <fwkit/initrd.h>

#include "member.h"
#include "text.h"

/* The kinds' names, then the words only a hint uses. */
#define HINT_UCODE BOOT_KINDS
#define HINT_IGNORE (BOOT_KINDS + 1)
#define HINT_WORDS (BOOT_KINDS + 2)
static const char *const kind_names[HINT_WORDS] = {
	"unknown", "acpi-table", "dtb", "dt-overlay", "cpio", "compressed",
	"ucode-intel", "ucode-amd", "fwb", "kernel", "ucode", "ignore",
};

/* What the bytes are, for "but the bytes are ..."; "no ..." drops a
 * leading "a " or "an ". */
static const char *const kind_nouns[BOOT_KINDS] = {
	"of no known format", "an ACPI table", "a device tree",
	"a device-tree overlay", "a cpio archive", "a compressed initrd",
	"Intel microcode", "AMD microcode", "an fwb container", "a kernel image",
};

#define KIND_BIT(k) (1u << (k))
#define UCODE_BITS (KIND_BIT(BOOT_KIND_UCODE_INTEL) | KIND_BIT(BOOT_KIND_UCODE_AMD))

/* Per enum boot_module_role: the kinds it allows (0: any, for NONE and
 * XSM). */
static const uint16_t role_kinds[] = {
	0,
	KIND_BIT(BOOT_KIND_KERNEL),
	KIND_BIT(BOOT_KIND_CPIO) | KIND_BIT(BOOT_KIND_COMPRESSED),
	KIND_BIT(BOOT_KIND_DTB) | KIND_BIT(BOOT_KIND_DT_OVERLAY),
	UCODE_BITS | KIND_BIT(BOOT_KIND_CPIO),
	0,
};

/* One classification under way. */
struct cls {
	const uint8_t *d;
	uint64_t len;
	struct boot_class *c;
	uint32_t *scratch;
	size_t words;
	struct boot_text t;
	struct fwk_fault f;   /* why the bytes fail their kind's checks */
};

const char *boot_kind_name(enum boot_kind k)
{
	return kind_names[(unsigned)k < BOOT_KINDS ? k : 0];
}

static bool mem_is(const char *s, size_t len, const char *want)
{
	return len == boot_strlen(want) && memcmp(s, want, len) == 0;
}

enum boot_kind boot_kind_parse(const char *s, size_t len)
{
	for (unsigned k = 1; s && k < BOOT_KINDS; k++)
		if (mem_is(s, len, kind_names[k]))
			return (enum boot_kind)k;
	return BOOT_KIND_UNKNOWN;
}

/* "N one" when N is 1, else "N many", or "N ones" when many is NULL. */
static void num(struct boot_text *t, uint64_t n, const char *one, const char *many)
{
	boot_text_fmt(t, "%llu %s%s", (unsigned long long)n, n == 1 || !many ? one : many,
		      n == 1 || many ? "" : "s");
}

/* --- ACPI tables ---------------------------------------------------------- */

/* A table of a signature fwkit does not know, complete and summing to 0,
 * is still an ACPI table: one the pipeline must refuse. */
static bool acpi_shaped(const uint8_t *d, uint64_t len)
{
	return acpi_table_check(d, len, NULL) == ACPI_KIND_SDT && acpi_checksum(d, len) == 0;
}

static int check_acpi(struct cls *x)
{
	struct acpi_header *h = &x->c->acpi;
	char id[ACPI_IDENTITY_MAX];
	int rc;

	/* acpi_table_check takes a Length below the buffer's size for a
	 * short table; in a module it means bytes after the table. */
	if (!acpi_header_parse(x->d, x->len, h, NULL) && h->length >= ACPI_HEADER_SIZE &&
	    h->length < x->len)
		return fwk_fail(&x->f, FWK_ERR_BADFIELD, 4, "Length",
				"less than the module's size: trailing bytes");
	rc = acpi_table_check(x->d, x->len, &x->f);
	if (rc == ACPI_KIND_FACS || (rc > 0 && !acpi_sig_describe((const char *)x->d)))
		return fwk_fail(&x->f, FWK_ERR_UNSUPPORTED, 0, "Signature",
				"not a table fwkit takes from a module");
	if (rc > 0 && acpi_checksum(x->d, x->len))
		return fwk_fail(&x->f, FWK_ERR_CHECKSUM, 9, "Checksum",
				"the bytes do not sum to 0");
	if (rc < 0)
		return rc;
	acpi_identity(h, id);
	boot_text_fmt(&x->t, "%s, %llu bytes, checksum ok", id, (unsigned long long)x->len);
	return 0;
}

/* --- device trees --------------------------------------------------------- */

static int check_dt(struct cls *x)
{
	struct dt_summary s;
	int rc = dt_check(x->d, (size_t)x->len, x->scratch, x->words, NULL, NULL, &s, &x->f);

	if (rc < 0)
		return rc;
	if (s.fragments) {
		x->c->kind = BOOT_KIND_DT_OVERLAY;
		x->c->count = s.fragments;
		boot_text_fmt(&x->t, "overlay, %u fragment%s, %u label%s to resolve", s.fragments,
			      s.fragments == 1 ? "" : "s", s.fixups, s.fixups == 1 ? "" : "s");
		return 0;
	}
	x->c->count = s.nodes;
	boot_text_fmt(&x->t, "device tree, %u node%s, v%u", s.nodes, s.nodes == 1 ? "" : "s",
		      s.version);
	return 0;
}

/* --- cpio ----------------------------------------------------------------- */

/* p[0..n) starts with `head` and goes on, and ends with `tail`. */
static bool name_is(const char *p, size_t n, const char *head, const char *tail)
{
	size_t h = boot_strlen(head), l = boot_strlen(tail);

	return n > h + l && memcmp(p, head, h) == 0 && memcmp(p + n - l, tail, l) == 0;
}

enum boot_kind boot_member_kind(const char *p, size_t n)
{
	while (n >= 2 && p[0] == '.' && p[1] == '/') {
		p += 2;
		n -= 2;
	}
	if (mem_is(p, n, UCODE_EARLY_INTEL))
		return BOOT_KIND_UCODE_INTEL;
	if (mem_is(p, n, UCODE_EARLY_AMD))
		return BOOT_KIND_UCODE_AMD;
	if (name_is(p, n, ACPI_INITRD_PREFIX, ""))
		return BOOT_KIND_ACPI_TABLE;
	if (dt_overlay_member(p, n))
		return BOOT_KIND_DT_OVERLAY;
	if (name_is(p, n, "lib/firmware/", ".fwb"))
		return BOOT_KIND_FWB;
	return BOOT_KIND_UNKNOWN;
}

static int check_cpio(struct cls *x)
{
	static const char *const what[STEPS] = { "microcode", "acpi table", "dt overlay", "blob" };
	struct initrd_scanner s;
	struct initrd_segment seg;
	uint32_t found[STEPS] = { 0 };
	const char *tail = NULL, *sep = ": ";
	int rc;

	initrd_scan_init(&s, x->d, x->len);
	while ((rc = initrd_next_segment(&s, &seg)) > 0) {
		if (seg.format != INITRD_CPIO) {
			tail = initrd_format_name(seg.format);
			continue;
		}
		/* The scanner has read every header of this archive. */
		struct cpio_reader r;
		struct cpio_entry e;
		cpio_reader_init(&r, x->d, x->len, seg.offset);
		while (cpio_next_entry(&r, &e) > 0) {
			enum step k = step_of(boot_member_kind(e.name, e.namelen));
			if (k < STEPS && (e.st.mode & CPIO_S_IFMT) == CPIO_S_IFREG)
				found[k]++;
		}
		x->c->count += seg.entries;
	}
	if (rc < 0) {
		x->f = s.fault;
		return rc;
	}
	boot_text_str(&x->t, "cpio, ");
	num(&x->t, x->c->count, "entry", "entries");
	for (unsigned i = 0; i < STEPS; i++) {
		if (found[i]) {
			boot_text_str(&x->t, sep);
			num(&x->t, found[i], what[i], i ? NULL : what[0]);
			sep = ", ";
		}
	}
	if (tail)
		boot_text_fmt(&x->t, "; then a %s archive", tail);
	return 0;
}

/* --- microcode ------------------------------------------------------------ */

static int check_intel(struct cls *x)
{
	struct ucode_intel u;
	uint64_t off = 0;
	uint32_t sigs = 0, listed[4];
	int32_t newest = 0;
	int rc;

	/* Files group their updates by signature: a run of one signature is
	 * listed once, the first three runs by value. */
	while ((rc = ucode_intel_next(x->d, x->len, &off, &u, &x->f)) > 0) {
		if (!x->c->count++ || (int32_t)u.revision > newest)
			newest = (int32_t)u.revision;
		if (!sigs || (sigs < 4 && listed[sigs - 1] != u.signature))
			listed[sigs++] = u.signature;
	}
	if (rc < 0)
		return rc;
	num(&x->t, x->c->count, "update", NULL);
	boot_text_str(&x->t, ", signature");
	for (uint32_t i = 0; i < sigs; i++)
		boot_text_fmt(&x->t, i < 3 ? " 0x%x" : " ...", listed[i]);
	boot_text_fmt(&x->t, ", newest revision 0x%x", (uint32_t)newest);
	return 0;
}

static int check_amd(struct cls *x)
{
	struct ucode_amd it;
	uint64_t off = 0;
	uint32_t containers = 0, newest = 0;
	int rc;

	memset(&it, 0, sizeof(it));
	while ((rc = ucode_amd_next(x->d, x->len, &off, &it, &x->f)) > 0) {
		if (it.kind != UCODE_AMD_PATCH) {
			containers++;
		} else {
			x->c->count++;
			newest = it.patch_id > newest ? it.patch_id : newest;
		}
	}
	if (rc < 0)
		return rc;
	num(&x->t, x->c->count, "update", NULL);
	boot_text_str(&x->t, " in ");
	num(&x->t, containers, "container", NULL);
	boot_text_fmt(&x->t, ", newest patch 0x%x", newest);
	return 0;
}

/* --- fwb ------------------------------------------------------------------ */

static int check_fwb(struct cls *x)
{
	const struct fwb_info *i = &x->c->fwb;
	int rc = fwb_check(x->d, (size_t)x->len, &x->c->fwb, &x->f);

	if (rc < 0)
		return rc;
	/* fwb_parse has checked the target is printable ASCII. */
	boot_text_fmt(&x->t, "target %s type %s version %llu, %llu-byte payload, sha256 ok, ",
		      i->target, fwb_type_name(i->type), (unsigned long long)i->version,
		      (unsigned long long)i->payload_length);
	/* The core checks digests only; the signature is the platform's. */
	if (i->is_signed)
		boot_text_fmt(&x->t, "signed, key %08x", fwk_be32(i->key_id));
	else
		boot_text_str(&x->t, "unsigned");
	return 0;
}

/* --- kernels, by magic only ----------------------------------------------- */

/* Names a kernel image and returns true, or returns false. */
static bool kernel_name(struct cls *x)
{
	const uint8_t *d = x->d;
	const uint64_t len = x->len;
	struct boot_text *t = &x->t;

	if (len >= 20 && memcmp(d, "\177ELF", 4) == 0 && (d[4] == 1 || d[4] == 2)) {
		/* e_type and e_machine, in the file's byte order (EI_DATA). */
		const bool be = d[5] == 2;
		unsigned type = d[16 + be] | d[17 - be] << 8, m = d[18 + be] | d[19 - be] << 8;
		const char *name = m == 62 ? "x86-64" : m == 183 ? "aarch64" : m == 3 ? "i386" : NULL;

		boot_text_fmt(t, "ELF%u ", d[4] * 32u);
		if (name)
			boot_text_str(t, name);
		else
			boot_text_fmt(t, "machine %u", m);
		boot_text_str(t, type == 2 ? " executable" : " file");
		return true;
	}
	/* Linux boot protocol: the 0xaa55 boot flag, then "HdrS" and the
	 * version at 0x206; an EFI-stub bzImage is also a PE, so first. */
	if (len >= 0x212 && fwk_le16(d + 0x1fe) == 0xaa55 && memcmp(d + 0x202, "HdrS", 4) == 0) {
		boot_text_fmt(t, "bzImage, boot protocol %u.%u", d[0x207], d[0x206]);
		return true;
	}
	if (len < 0x40)
		return false;
	/* arm64 Image header: "ARM\x64" at 0x38; before PE likewise. */
	if (memcmp(d + 0x38, "ARM\x64", 4) == 0) {
		boot_text_str(t, "arm64 Image");
		return true;
	}
	uint64_t pe = fwk_le32(d + 0x3c);
	if (fwk_le16(d) == 0x5a4d && pe >= 0x40 && pe + 6 <= len &&
	    memcmp(d + pe, "PE\0\0", 4) == 0) {
		boot_text_fmt(t, "PE/COFF image, machine 0x%x", fwk_le16(d + pe + 4));
		return true;
	}
	return false;
}

/* --- the bytes alone ------------------------------------------------------ */

/*
 * The kind of the bytes by their magic; kinds without a check (kernel,
 * compressed, unknown) get their reason here.  The order of the tests,
 * where magics could collide:
 *   1. magics of 4 bytes or more at offset 0 that no other format here can
 *      start with: fwb, DTB, cpio, AMD microcode;
 *   2. ACPI tables of a known signature (four letters at offset 0, which a
 *      kernel image does not start with), and well-formed ones (Length the
 *      module's size, checksum 0) of a signature fwkit does not know;
 *   3. kernels: ELF before Intel microcode (an ELF's e_version at offset 20
 *      is 1, which ucode_detect takes for a loader_revision); bzImage and
 *      arm64 Image before PE, since both carry an EFI stub's "MZ";
 *   4. compressed initrds: lzma's two-byte magic is weak, so late;
 *   5. Intel microcode: ucode_detect needs only one dword to be 1;
 *   6. unknown.
 */
static enum boot_kind detect(struct cls *x)
{
	const uint8_t *d = x->d;
	const uint64_t len = x->len;
	enum initrd_format z = initrd_detect(d, len);

	if (len >= FWB_MAGIC_SIZE && memcmp(d, FWB_MAGIC, FWB_MAGIC_SIZE) == 0)
		return BOOT_KIND_FWB;
	if (len >= 4 && fwk_be32(d) == DT_MAGIC)
		return BOOT_KIND_DTB;
	if (z == INITRD_CPIO)
		return BOOT_KIND_CPIO;
	if (len >= 4 && fwk_le32(d) == UCODE_AMD_MAGIC)
		return BOOT_KIND_UCODE_AMD;
	if ((len >= 4 && acpi_sig_describe((const char *)d)) || acpi_shaped(d, len))
		return BOOT_KIND_ACPI_TABLE;
	if (kernel_name(x))
		return BOOT_KIND_KERNEL;
	if (z != INITRD_UNKNOWN) {
		boot_text_fmt(&x->t, "%s-compressed initrd, not inspected", initrd_format_name(z));
		return BOOT_KIND_COMPRESSED;
	}
	if (ucode_detect(d, len) == UCODE_INTEL)
		return BOOT_KIND_UCODE_INTEL;

	fwk_fail(&x->c->fault, FWK_ERR_BADMAGIC, 0, "magic", "no known format");
	boot_text_str(&x->t, len ? "no known format (first bytes" : "empty module");
	for (uint64_t i = 0; i < len && i < 4; i++)
		boot_text_fmt(&x->t, " %02x", d[i]);
	if (len)
		boot_text_str(&x->t, ")");
	return BOOT_KIND_UNKNOWN;
}

/* The full check of each kind that has one. */
static int (*const checks[BOOT_KINDS])(struct cls *) = {
	[BOOT_KIND_ACPI_TABLE] = check_acpi, [BOOT_KIND_DTB] = check_dt,
	[BOOT_KIND_CPIO] = check_cpio,       [BOOT_KIND_UCODE_INTEL] = check_intel,
	[BOOT_KIND_UCODE_AMD] = check_amd,   [BOOT_KIND_FWB] = check_fwb,
};

/* --- hints ---------------------------------------------------------------- */

/* The value of the last "fwkit=" word of the command line (words are
 * separated by spaces; a later word overrides an earlier one, as for the
 * kernel's own parameters); false when there is none. */
static bool hint_word(const char *cl, size_t n, const char **val, size_t *vlen)
{
	bool found = false;

	for (size_t i = 0, j; i < n; i = j + 1) {
		for (j = i; j < n && cl[j] != ' '; j++)
			;
		if (j - i >= 6 && memcmp(cl + i, "fwkit=", 6) == 0) {
			*val = cl + i + 6;
			*vlen = j - i - 6;
			found = true;
		}
	}
	return found;
}

/* Start the reason over, with everything else of c zeroed. */
static void restart(struct cls *x)
{
	memset(x->c, 0, sizeof(*x->c));
	boot_text_init(&x->t, x->c->reason, sizeof(x->c->reason));
}

int boot_classify(const uint8_t *data, uint64_t len, const char *cmdline,
		  size_t cmdline_len, enum boot_module_role role,
		  uint32_t *scratch, size_t scratch_words, struct boot_class *c)
{
	struct cls x = { .d = data, .len = len, .c = c, .scratch = scratch,
			 .words = scratch ? scratch_words : 0 };
	const char *hv, *who = NULL, *want = NULL;
	size_t hl;
	unsigned mask = 1;  /* the hint's kinds; 0 for a word naming none */

	if (!c || (!data && len) || (!cmdline && cmdline_len) ||
	    (unsigned)role >= sizeof(role_kinds) / sizeof(role_kinds[0]) ||
	    len > (uint64_t)SIZE_MAX)
		return FWK_ERR_INVAL;
	restart(&x);
	c->kind = detect(&x);
	c->valid = c->kind && (!checks[c->kind] || checks[c->kind](&x) == 0);

	const enum boot_kind got = c->kind;

	if (hint_word(cmdline, cmdline_len, &hv, &hl)) {
		unsigned k = 0;

		while (k < HINT_WORDS && !mem_is(hv, hl, kind_names[k]))
			k++;
		if (k == HINT_IGNORE) {
			restart(&x);
			boot_text_str(&x.t, "ignored (fwkit=ignore)");
			return 0;
		}
		mask = k < BOOT_KINDS ? KIND_BIT(k) : k == HINT_UCODE ? UCODE_BITS : 0;
		want = k < BOOT_KINDS ? kind_nouns[k] : "microcode";
		/* A tree that fails its checks may still be the overlay the
		 * hint says: the checks stopped before fragments were counted. */
		if (got == BOOT_KIND_DTB && !c->valid && (mask & KIND_BIT(BOOT_KIND_DT_OVERLAY)))
			c->kind = BOOT_KIND_DT_OVERLAY;
		if (!(mask & KIND_BIT(c->kind)))
			who = "command line says fwkit=";
	}
	if (!who && role_kinds[role] && !(role_kinds[role] & KIND_BIT(got))) {
		who = "/chosen says ";
		hv = boot_role_name(role);
		hl = boot_strlen(hv);
		want = NULL;
	}
	if (who) {
		/* "<who><what>, but the bytes are <noun>", or "... no <want>"
		 * (without its article) when they match no format. */
		restart(&x);
		boot_text_str(&x.t, who);
		boot_text_escaped(&x.t, (const uint8_t *)hv, hl);
		if (!mask) {
			boot_text_str(&x.t, ", which names no module kind");
		} else if (got || !want) {
			boot_text_fmt(&x.t, ", but the bytes are %s", kind_nouns[got]);
		} else {
			want += want[0] != 'a' ? 0 : want[1] == ' ' ? 2 : 3;
			boot_text_fmt(&x.t, ", but the bytes are no %s", want);
		}
		fwk_fail(&c->fault, FWK_ERR_BADFIELD, 0, who[0] == '/' ? "role" : "fwkit=",
			 "contradicts the bytes");
	} else if (c->kind && !c->valid) {
		/* "<kind>[ <signature>] at <offset>: <field>: <detail>"; counts
		 * of what was read before the fault mean nothing. */
		c->fault = x.f;
		c->count = 0;
		boot_text_init(&x.t, c->reason, sizeof(c->reason));
		boot_text_str(&x.t, kind_names[c->kind]);
		if (c->kind == BOOT_KIND_ACPI_TABLE) {
			boot_text_str(&x.t, " ");
			boot_text_escaped(&x.t, data, 4);
		}
		boot_text_fmt(&x.t, " at 0x%llx: %s: %s", (unsigned long long)x.f.offset,
			      x.f.field ? x.f.field : "?", x.f.detail ? x.f.detail : "?");
	}
	boot_text_cut(&x.t, "...");
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* ucode_select.c - which microcode to ship: the newest update per CPU (and,
 * for Intel, per platform bit), and the GenuineIntel.bin / AuthenticAMD.bin
 * files the early loader reads; plus the vendor-neutral helpers. */
#include <fwkit/ucode.h>

enum ucode_vendor ucode_detect(const void *buf, uint64_t len)
{
	const uint8_t *b = buf;

	if (len >= 4 && fwk_le32(b) == UCODE_AMD_MAGIC)
		return UCODE_AMD;
	if (len >= 4 && fwk_le32(b) == 1)
		return UCODE_INTEL;
	if (len >= 24 && fwk_le32(b + 20) == 1)
		return UCODE_INTEL;
	return UCODE_UNKNOWN;
}

const char *ucode_vendor_name(enum ucode_vendor v)
{
	switch (v) {
	case UCODE_INTEL: return "intel";
	case UCODE_AMD: return "amd";
	default: return "unknown";
	}
}

const char *ucode_early_path(enum ucode_vendor v)
{
	switch (v) {
	case UCODE_INTEL: return UCODE_EARLY_INTEL;
	case UCODE_AMD: return UCODE_EARLY_AMD;
	default: return 0;
	}
}

static void hex_digits(uint32_t v, int n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (int i = n - 1; i >= 0; i--) {
		out[i] = digits[v & 0xf];
		v >>= 4;
	}
}

void ucode_date_text(uint32_t date, char out[11])
{
	hex_digits(date & 0xffff, 4, out);
	out[4] = '-';
	hex_digits(date >> 24, 2, out + 5);
	out[7] = '-';
	hex_digits((date >> 16) & 0xff, 2, out + 8);
	out[10] = '\0';
}

/* ---- Intel ---------------------------------------------------------------- */

/* The platform "keys" a flags mask covers: its eight bits, or bit 8 standing
 * for a mask of 0 (CPUs without a platform ID). */
static uint32_t pf_keys(uint32_t pf)
{
	pf &= 0xff;
	return pf ? pf : 0x100;
}

/* Pair k of u: 0 is the header's signature and flags, 1.. the extended. */
static void intel_pair(const struct ucode_intel *u, uint32_t k, uint32_t *sig, uint32_t *pf)
{
	struct ucode_intel_sig s;

	if (k == 0) {
		*sig = u->signature;
		*pf = u->pf_mask;
		return;
	}
	ucode_intel_ext_sig(u, k - 1, &s);
	*sig = s.signature;
	*pf = s.pf_mask;
}

static bool intel_covers(const struct ucode_intel *u, uint32_t sig, uint32_t key)
{
	for (uint32_t k = 0; k <= u->ext_count; k++) {
		uint32_t s, pf;
		intel_pair(u, k, &s, &pf);
		if (s == sig && (pf_keys(pf) & key))
			return true;
	}
	return false;
}

/* Is u[i] the newest of u[] for (sig, key)?  Ties go to the first. */
static bool intel_newest(const struct ucode_intel *u, uint32_t n, uint32_t i,
			 uint32_t sig, uint32_t key)
{
	int32_t mine = (int32_t)u[i].revision;

	for (uint32_t j = 0; j < n; j++) {
		if (j == i || !intel_covers(&u[j], sig, key))
			continue;
		int32_t theirs = (int32_t)u[j].revision;
		if (theirs > mine || (theirs == mine && j < i))
			return false;
	}
	return true;
}

int ucode_intel_select(const struct ucode_intel *u, uint32_t n,
		       const struct ucode_cpu *cpu, bool *keep)
{
	uint32_t cpu_keys = 0;
	int kept = 0;

	if (n && (!u || !keep))
		return FWK_ERR_INVAL;
	if (cpu)
		cpu_keys = (cpu->pf_mask & 0xff) ? cpu->pf_mask & 0xff : UCODE_PF_ALL;
	for (uint32_t i = 0; i < n; i++) {
		keep[i] = false;
		for (uint32_t k = 0; k <= u[i].ext_count && !keep[i]; k++) {
			uint32_t sig, pf;
			intel_pair(&u[i], k, &sig, &pf);
			uint32_t keys = pf_keys(pf);
			if (cpu) {
				if (sig != cpu->signature)
					continue;
				keys &= cpu_keys;
			}
			for (uint32_t b = 0; b < 9 && !keep[i]; b++)
				if ((keys & (1u << b)) && intel_newest(u, n, i, sig, 1u << b))
					keep[i] = true;
		}
		kept += keep[i];
	}
	return kept;
}

/* iucode_tool's order: signature ascending, flags descending, then input. */
static bool intel_before(const struct ucode_intel *u, uint32_t a, uint32_t b)
{
	if (u[a].signature != u[b].signature)
		return u[a].signature < u[b].signature;
	if (u[a].pf_mask != u[b].pf_mask)
		return u[a].pf_mask > u[b].pf_mask;
	return a < b;
}

int64_t ucode_intel_bundle(const struct ucode_intel *u, uint32_t n, const bool *keep,
			   void *out, uint64_t cap)
{
	uint8_t *o = out;
	uint64_t size = 0;
	int64_t last = -1;

	if (n && (!u || !keep))
		return FWK_ERR_INVAL;
	for (uint32_t i = 0; i < n; i++)
		if (keep[i])
			size += u[i].total_size;
	if (!out)
		return (int64_t)size;
	if (size > cap)
		return FWK_ERR_NOSPACE;
	/* A selection sort: no allocation, and n is at most a few hundred. */
	uint64_t at = 0;
	for (;;) {
		int64_t next = -1;
		for (uint32_t i = 0; i < n; i++) {
			if (!keep[i] || (last >= 0 && !intel_before(u, (uint32_t)last, i)))
				continue;
			if (next < 0 || intel_before(u, i, (uint32_t)next))
				next = i;
		}
		if (next < 0)
			break;
		memcpy(o + at, u[next].data, u[next].total_size);
		at += u[next].total_size;
		last = next;
	}
	return (int64_t)at;
}

/* ---- AMD ------------------------------------------------------------------ */

static uint32_t entry_cpu(const uint8_t *table, uint32_t k)
{
	return fwk_le32(table + (uint64_t)k * UCODE_AMD_EQUIV_SIZE);
}

static uint16_t entry_equiv(const uint8_t *table, uint32_t k)
{
	return fwk_le16(table + (uint64_t)k * UCODE_AMD_EQUIV_SIZE + 12);
}

/* Does patch p serve CPU sig through its container's table? */
static bool amd_covers(const struct ucode_amd *p, uint32_t sig)
{
	if (p->kind != UCODE_AMD_PATCH)
		return false;
	for (uint32_t k = 0; k < p->table_entries; k++)
		if (entry_cpu(p->table, k) == sig)
			return entry_equiv(p->table, k) == p->equiv_id;
	return false;
}

/* The newest patch covering sig among p[] (only kept ones when keep is not
 * NULL), first on a tie; -1 if none. */
static int64_t amd_winner(const struct ucode_amd *p, uint32_t n, const bool *keep,
			  uint32_t sig)
{
	int64_t best = -1;

	for (uint32_t j = 0; j < n; j++) {
		if ((keep && !keep[j]) || !amd_covers(&p[j], sig))
			continue;
		if (best < 0 || p[j].patch_id > p[best].patch_id)
			best = j;
	}
	return best;
}

int ucode_amd_select(const struct ucode_amd *p, uint32_t n,
		     const struct ucode_cpu *cpu, bool *keep)
{
	int kept = 0;

	if (n && (!p || !keep))
		return FWK_ERR_INVAL;
	for (uint32_t i = 0; i < n; i++) {
		keep[i] = false;
		if (p[i].kind != UCODE_AMD_PATCH)
			continue;
		for (uint32_t k = 0; k < p[i].table_entries && !keep[i]; k++) {
			uint32_t sig = entry_cpu(p[i].table, k);
			if (entry_equiv(p[i].table, k) != p[i].equiv_id)
				continue;
			if (cpu && sig != cpu->signature)
				continue;
			if (amd_winner(p, n, 0, sig) == i)
				keep[i] = true;
		}
		kept += keep[i];
	}
	return kept;
}

static void put_le32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)v;
	b[1] = (uint8_t)(v >> 8);
	b[2] = (uint8_t)(v >> 16);
	b[3] = (uint8_t)(v >> 24);
}

/* Is entry k of table (of the container holding p[...]) carried over: the
 * newest kept patch for its CPU is in this container, with its equiv id? */
static bool amd_entry_carried(const struct ucode_amd *p, uint32_t n, const bool *keep,
			      const uint8_t *table, uint32_t k)
{
	int64_t w = amd_winner(p, n, keep, entry_cpu(table, k));

	return w >= 0 && p[w].table == table && p[w].equiv_id == entry_equiv(table, k);
}

/* Write (or only measure, out NULL) the rebuilt container of p[first]. */
static uint64_t amd_container(const struct ucode_amd *p, uint32_t n, const bool *keep,
			      uint32_t first, uint8_t *out)
{
	const uint8_t *table = p[first].table;
	uint32_t carried = 0;
	uint64_t at = UCODE_AMD_CONTAINER_HEADER_SIZE;

	for (uint32_t k = 0; k < p[first].table_entries; k++) {
		if (!amd_entry_carried(p, n, keep, table, k))
			continue;
		if (out)
			memcpy(out + at, table + (uint64_t)k * UCODE_AMD_EQUIV_SIZE,
			       UCODE_AMD_EQUIV_SIZE);
		at += UCODE_AMD_EQUIV_SIZE;
		carried++;
	}
	if (out) {
		put_le32(out, UCODE_AMD_MAGIC);
		put_le32(out + 4, UCODE_AMD_TYPE_EQUIV);
		put_le32(out + 8, (carried + 1) * UCODE_AMD_EQUIV_SIZE);
		memset(out + at, 0, UCODE_AMD_EQUIV_SIZE);
	}
	at += UCODE_AMD_EQUIV_SIZE;
	for (uint32_t j = first; j < n; j++) {
		if (!keep[j] || p[j].kind != UCODE_AMD_PATCH || p[j].table != table)
			continue;
		if (out) {
			put_le32(out + at, UCODE_AMD_TYPE_PATCH);
			put_le32(out + at + 4, p[j].size);
			memcpy(out + at + UCODE_AMD_SECTION_HEADER_SIZE, p[j].data, p[j].size);
		}
		at += UCODE_AMD_SECTION_HEADER_SIZE + (uint64_t)p[j].size;
	}
	return at;
}

/* Is p[i] the first kept patch of its container? */
static bool amd_container_first(const struct ucode_amd *p, const bool *keep, uint32_t i)
{
	if (!keep[i] || p[i].kind != UCODE_AMD_PATCH)
		return false;
	for (uint32_t j = 0; j < i; j++)
		if (keep[j] && p[j].kind == UCODE_AMD_PATCH && p[j].table == p[i].table)
			return false;
	return true;
}

int64_t ucode_amd_bundle(const struct ucode_amd *p, uint32_t n, const bool *keep,
			 void *out, uint64_t cap)
{
	uint64_t size = 0;

	if (n && (!p || !keep))
		return FWK_ERR_INVAL;
	for (uint32_t i = 0; i < n; i++)
		if (amd_container_first(p, keep, i))
			size += amd_container(p, n, keep, i, 0);
	if (!out)
		return (int64_t)size;
	if (size > cap)
		return FWK_ERR_NOSPACE;
	uint64_t at = 0;
	for (uint32_t i = 0; i < n; i++)
		if (amd_container_first(p, keep, i))
			at += amd_container(p, n, keep, i, (uint8_t *)out + at);
	return (int64_t)at;
}

/* SPDX-License-Identifier: MIT */
/* acpi_plan.c - predicts what Linux's initrd ACPI table upgrade does with each
 * table: the acceptance ladder, the override walk, then the install scan. */
#include <fwkit/acpi.h>

static bool is_sig(const struct acpi_header *h, const char *sig)
{
	return memcmp(h->signature, sig, 4) == 0;
}

static bool is_root(const struct acpi_header *h)
{
	return is_sig(h, "RSDT") || is_sig(h, "XSDT");
}

/* ACPICA offers a firmware table for override as it installs it; the root
 * table and the FACS are never offered, and tables the firmware loads at
 * run time are not there at boot. */
static bool offered(const struct acpi_target *t)
{
	return !t->dynamic && !is_root(&t->h) && !is_sig(&t->h, "FACS");
}

/* acpi_table_upgrade(): the checks of one file, in the kernel's order.
 * Returns true when the kernel takes the table. */
static bool accept(const struct acpi_candidate *c, struct acpi_plan_entry *e)
{
	e->verdict = ACPI_REJECTED;
	if (c->name && c->namelen >= ACPI_INITRD_NAME_WARN)
		e->warnings |= ACPI_WARN_LONG_NAME;
	if (c->len < ACPI_HEADER_SIZE) {
		e->reason = ACPI_WHY_SMALL;
		return false;
	}
	acpi_header_parse(c->data, c->len, &e->h, NULL);
	e->have_header = true;
	if (!acpi_sig_upgradable(e->h.signature))
		e->reason = ACPI_WHY_SIGNATURE;
	else if (c->len != e->h.length)
		e->reason = ACPI_WHY_LENGTH;
	else if (acpi_checksum(c->data, c->len) != 0)
		e->reason = ACPI_WHY_CHECKSUM;
	else
		return true;
	return false;
}

int acpi_plan(const struct acpi_candidate *c, uint32_t nc,
	      const struct acpi_target *t, uint32_t nt, unsigned flags,
	      struct acpi_plan_entry *out)
{
	uint32_t acc[ACPI_INITRD_MAX_FILES]; /* accepted candidates, in order */
	bool used[ACPI_INITRD_MAX_FILES];
	uint32_t na = 0;
	int n_used = 0;

	if ((nc && (!c || !out)) || (nt && !t) || nc > INT32_MAX ||
	    nt > INT32_MAX)
		return FWK_ERR_INVAL;
	for (uint32_t i = 0; i < nc && i < ACPI_INITRD_MAX_FILES; i++)
		if (!c[i].data && c[i].len)
			return FWK_ERR_INVAL;

	for (uint32_t i = 0; i < nc; i++) {
		struct acpi_plan_entry *e = &out[i];

		memset(e, 0, sizeof(*e));
		e->target = -1;
		/* The kernel stops looking after 64 files, taken or not. */
		if (i >= ACPI_INITRD_MAX_FILES) {
			e->verdict = ACPI_REJECTED;
			e->reason = ACPI_WHY_TOO_MANY;
			continue;
		}
		if (accept(&c[i], e)) {
			used[na] = false;
			acc[na++] = i;
		}
	}

	for (uint32_t a = 0; a < na; a++)
		for (uint32_t b = a + 1; b < na; b++)
			if (acpi_same_ids(&out[acc[a]].h, &out[acc[b]].h)) {
				out[acc[a]].warnings |= ACPI_WARN_SAME_IDS;
				out[acc[b]].warnings |= ACPI_WARN_SAME_IDS;
			}

	if (flags & ACPI_PLAN_LOCKDOWN) {
		for (uint32_t a = 0; a < na; a++) {
			out[acc[a]].verdict = ACPI_DROPPED;
			out[acc[a]].reason = ACPI_WHY_LOCKDOWN;
			out[acc[a]].warnings |= ACPI_WARN_LOCKDOWN;
		}
		return 0;
	}

	/* acpi_table_initrd_override(), once per firmware table as installed:
	 * every matching table it meets is used up; the first with a greater
	 * OEM revision replaces the firmware's and ends the walk. */
	for (uint32_t k = 0; k < nt; k++) {
		if (!offered(&t[k]))
			continue;
		for (uint32_t a = 0; a < na; a++) {
			struct acpi_plan_entry *e = &out[acc[a]];

			if (used[a] || !acpi_same_ids(&e->h, &t[k].h))
				continue;
			used[a] = true;
			e->target = (int32_t)k;
			if (t[k].h.oem_revision >= e->h.oem_revision) {
				e->verdict = ACPI_DROPPED;
				e->reason = ACPI_WHY_REVISION_NOT_GREATER;
				continue;
			}
			e->verdict = ACPI_OVERRIDE;
			e->reason = ACPI_WHY_REVISION_GREATER;
			n_used++;
			break;
		}
	}

	/* acpi_table_initrd_scan(): the rest is installed, but a root table. */
	for (uint32_t a = 0; a < na; a++) {
		struct acpi_plan_entry *e = &out[acc[a]];

		if (used[a])
			continue;
		if (is_root(&e->h)) {
			e->verdict = ACPI_DROPPED;
			e->reason = ACPI_WHY_ROOT_TABLE;
			continue;
		}
		e->verdict = ACPI_INSTALL;
		e->reason = ACPI_WHY_NEW_IDS;
		n_used++;
		if (is_sig(&e->h, "DSDT") || is_sig(&e->h, "FACP"))
			e->warnings |= ACPI_WARN_SINGLETON;
		for (uint32_t k = 0; k < nt; k++)
			if (t[k].dynamic && acpi_same_ids(&e->h, &t[k].h))
				e->warnings |= ACPI_WARN_DYNAMIC;
	}
	return n_used;
}

const char *acpi_verdict_name(enum acpi_verdict v)
{
	switch (v) {
	case ACPI_OVERRIDE: return "override";
	case ACPI_INSTALL: return "install";
	case ACPI_DROPPED: return "dropped";
	case ACPI_REJECTED: return "rejected";
	}
	return "unknown";
}

const char *acpi_reason_text(enum acpi_reason r)
{
	switch (r) {
	case ACPI_WHY_REVISION_GREATER:
		return "its signature, OEM ID and OEM table ID match a firmware "
		       "table and its OEM revision is greater, so it replaces it";
	case ACPI_WHY_NEW_IDS:
		return "no firmware table with its signature, OEM ID and OEM "
		       "table ID is left for it to replace, so it is added as a "
		       "new table";
	case ACPI_WHY_REVISION_NOT_GREATER:
		return "its signature, OEM ID and OEM table ID match a firmware "
		       "table but its OEM revision is not greater, so the kernel "
		       "uses it for nothing (raise the OEM revision)";
	case ACPI_WHY_ROOT_TABLE:
		return "an RSDT or XSDT from the initrd is never installed";
	case ACPI_WHY_LOCKDOWN:
		return "the kernel is locked down and ignores every table override";
	case ACPI_WHY_SMALL:
		return "the file is smaller than the 36-byte ACPI table header";
	case ACPI_WHY_SIGNATURE:
		return "the kernel does not upgrade tables with this signature";
	case ACPI_WHY_LENGTH:
		return "the file's size does not match the header's Length";
	case ACPI_WHY_CHECKSUM:
		return "the table's bytes do not sum to 0 (bad Checksum)";
	case ACPI_WHY_TOO_MANY:
		return "the kernel reads only the first 64 files under "
		       "kernel/firmware/acpi/";
	}
	return "unknown reason";
}

/* SPDX-License-Identifier: MIT */
/* acpi_verify.c - after boot: did each initrd table take effect, and if not, why. */
#include <fwkit/acpi.h>

static bool is_singleton(const char sig[4])
{
	return !memcmp(sig, "DSDT", 4) || !memcmp(sig, "FACP", 4);
}

/* The live table holding exactly the candidate's bytes, or -1. */
static int32_t find_same_bytes(const struct acpi_candidate *c, const uint8_t sha[32],
			       const struct acpi_target *live,
			       const uint8_t (*live_sha)[32], uint32_t nl)
{
	for (uint32_t i = 0; i < nl; i++)
		if (live[i].h.length == c->len && !memcmp(live_sha[i], sha, 32))
			return (int32_t)i;
	return -1;
}

/* How many live tables carry this signature. */
static uint32_t count_sig(const struct acpi_target *live, uint32_t nl, const char sig[4])
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < nl; i++)
		if (!memcmp(live[i].h.signature, sig, 4))
			n++;
	return n;
}

int acpi_verify(const struct acpi_candidate *c, const uint8_t (*cand_sha)[32],
		const enum acpi_log_hint *hints, uint32_t nc,
		const struct acpi_target *live, const uint8_t (*live_sha)[32],
		uint32_t nl, unsigned flags, struct acpi_verify_entry *out)
{
	int applied = 0;

	if ((nc && (!c || !cand_sha || !out)) || (nl && (!live || !live_sha)))
		return FWK_ERR_INVAL;

	for (uint32_t i = 0; i < nc; i++) {
		struct acpi_verify_entry *e = &out[i];
		struct acpi_plan_entry ladder;

		memset(e, 0, sizeof(*e));
		e->live = -1;
		/* The kernel's own checks, with nothing to match against. */
		if (acpi_plan(&c[i], 1, NULL, 0, 0, &ladder) < 0)
			return FWK_ERR_INVAL;
		if (i >= ACPI_INITRD_MAX_FILES) {
			ladder.verdict = ACPI_REJECTED;
			ladder.reason = ACPI_WHY_TOO_MANY;
		}
		if (ladder.verdict == ACPI_REJECTED) {
			e->plan = ladder;
			e->outcome = ACPI_NOT_APPLIED;
			e->why = ACPI_V_REJECTED;
			continue;
		}

		int32_t same = find_same_bytes(&c[i], cand_sha[i], live, live_sha, nl);
		if (same >= 0) {
			e->plan = ladder;
			e->live = same;
			enum acpi_log_hint hint = hints ? hints[i] : ACPI_LOG_UNKNOWN;
			bool override;
			if (hint == ACPI_LOG_NEITHER) {
				/* Live bytes equal to ours, yet no upgrade: the
				 * firmware's own table was packed unchanged. */
				e->outcome = ACPI_NOT_APPLIED;
				e->why = ACPI_V_SAME_AS_FIRMWARE;
				continue;
			}
			if (hint != ACPI_LOG_UNKNOWN)
				override = hint == ACPI_LOG_OVERRIDE;
			else
				/* Without the log: a singleton that is the only
				 * one of its kind replaced the firmware's. */
				override = is_singleton(ladder.h.signature) &&
					   count_sig(live, nl, ladder.h.signature) == 1;
			if (override) {
				e->outcome = ACPI_APPLIED_OVERRIDE;
				e->plan.verdict = ACPI_OVERRIDE;
				e->plan.reason = ACPI_WHY_REVISION_GREATER;
			} else if (is_singleton(ladder.h.signature)) {
				/* Installed beside the firmware's DSDT/FACP,
				 * which ACPICA goes on using. */
				e->outcome = ACPI_NOT_APPLIED;
				e->why = ACPI_V_INSTALLED_NOT_OVERRIDE;
				continue;
			} else {
				e->outcome = ACPI_APPLIED_INSTALL;
			}
			applied++;
			continue;
		}

		/* Not there: ask the planner what the live tables would do to it. */
		e->outcome = ACPI_NOT_APPLIED;
		if (acpi_plan(&c[i], 1, live, nl, flags, &e->plan) < 0)
			return FWK_ERR_INVAL;
		e->live = e->plan.target;
		if (flags & ACPI_PLAN_LOCKDOWN)
			e->why = ACPI_V_LOCKDOWN;
		else if (e->plan.reason == ACPI_WHY_REVISION_NOT_GREATER)
			e->why = ACPI_V_REVISION_NOT_GREATER;
		else if (e->plan.reason == ACPI_WHY_ROOT_TABLE)
			e->why = ACPI_V_ROOT_TABLE;
		else
			e->why = ACPI_V_NOT_TAKEN;
	}
	return applied;
}

const char *acpi_verify_text(enum acpi_verify_why why)
{
	switch (why) {
	case ACPI_V_OK:
		return "applied";
	case ACPI_V_REVISION_NOT_GREATER:
		return "its OEM revision is not greater than the firmware table's, "
		       "so the kernel dropped it";
	case ACPI_V_INSTALLED_NOT_OVERRIDE:
		return "installed as a new table instead of overriding: its OEM ID or "
		       "OEM table ID differs from the firmware's, which stays in use";
	case ACPI_V_LOCKDOWN:
		return "the kernel is locked down (Secure Boot) and ignores initrd tables";
	case ACPI_V_REJECTED:
		return "the kernel's checks reject it";
	case ACPI_V_ROOT_TABLE:
		return "an RSDT/XSDT from the initrd is never used";
	case ACPI_V_SAME_AS_FIRMWARE:
		return "it is the firmware's own table, unchanged: the kernel read it "
		       "and dropped it, nothing was overridden";
	case ACPI_V_NOT_TAKEN:
		return "the kernel did not take it: is it in the first, uncompressed "
		       "cpio of the initrd, and is the kernel built with "
		       "CONFIG_ACPI_TABLE_UPGRADE?";
	}
	return "unknown";
}

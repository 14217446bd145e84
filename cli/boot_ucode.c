/* SPDX-License-Identifier: MIT */
/* boot_ucode.c - `fwkit boot verify`, microcode half: did the early loader
 * apply the update the initrd carries for this CPU?  Record it if so. */
#include "cli.h"
#include "boot.h"

#include <fwkit/sha256.h>
#include <fwkit/ucode.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct running {
	bool have_rev;
	uint32_t rev;     /* the first "microcode" line */
	bool hypervisor;  /* "flags" lists it: the kernel loads no microcode then */
};

static int read_cpuinfo(const char *path, struct running *r)
{
	FILE *f = fopen(path, "r");
	char line[8192];

	memset(r, 0, sizeof(*r));
	if (!f)
		return bad("%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');
		uint64_t v;

		if (!colon)
			continue;
		if (!r->have_rev && !strncmp(line, "microcode", 9)) {
			char *s = colon + 1, *e;
			while (*s == ' ' || *s == '\t')
				s++;
			for (e = s; *e && *e != '\n'; e++)
				;
			*e = '\0';
			if (parse_u64(s, UINT32_MAX, &v)) {
				r->have_rev = true;
				r->rev = (uint32_t)v;
			}
		} else if (!strncmp(line, "flags", 5) && strstr(colon, " hypervisor")) {
			r->hypervisor = true;
		}
	}
	fclose(f);
	return 0;
}

/* One update of the file, vendor-neutral. */
struct update {
	uint32_t rev;
	const uint8_t *data;
	uint64_t size;
	char identity[LEDGER_IDENTITY_MAX];
};

/* Intel compares revisions as signed numbers, AMD as unsigned. */
static int rev_cmp(enum ucode_vendor v, uint32_t a, uint32_t b)
{
	if (v == UCODE_INTEL)
		return (int32_t)a < (int32_t)b ? -1 : (int32_t)a > (int32_t)b;
	return a < b ? -1 : a > b;
}

/* The updates of buf selected for cpu, into *out (malloc'ed); how many, or
 * -1 after one warning line when the file is damaged. */
static int selected(enum ucode_vendor v, const struct input *in, const char *rel,
		    const struct ucode_cpu *cpu, const struct verify_paths *vp,
		    struct update **out)
{
	struct fwk_fault f = { 0 };
	uint64_t off = 0;
	uint32_t n = 0, cap = 0;
	struct ucode_intel *iu = NULL;
	struct ucode_amd *au = NULL, it = { 0 };
	int rc;

	*out = NULL;
	for (;;) {
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			void *a = realloc(v == UCODE_INTEL ? (void *)iu : (void *)au,
					  (size_t)cap * (v == UCODE_INTEL ? sizeof(*iu) : sizeof(*au)));
			if (!a) {
				free(iu);
				free(au);
				return bad("out of memory"), -1;
			}
			if (v == UCODE_INTEL)
				iu = a;
			else
				au = a;
		}
		rc = v == UCODE_INTEL ? ucode_intel_next(in->data, in->len, &off, &iu[n], &f)
				      : ucode_amd_next(in->data, in->len, &off, &it, &f);
		if (rc <= 0)
			break;
		if (v == UCODE_AMD)
			au[n] = it;
		n++;
	}
	bool *keep = calloc(n ? n : 1, sizeof(*keep));
	int kept = 0;
	if (rc == 0 && keep)
		kept = v == UCODE_INTEL ? ucode_intel_select(iu, n, cpu, keep)
					: ucode_amd_select(au, n, cpu, keep);
	if (rc < 0 || !keep || kept < 0) {
		char line[600];
		if (rc < 0)
			snprintf(line, sizeof(line),
				 "microcode in initrd %s is damaged at offset 0x%llx: %s: %s; the "
				 "kernel's early loader may have skipped it", rel,
				 (unsigned long long)f.offset, f.field ? f.field : "?",
				 f.detail ? f.detail : fwk_strerror(rc));
		else
			snprintf(line, sizeof(line), "microcode in initrd %s: selection failed", rel);
		kmsg_line(vp->kmsg, 4, line);
		free(iu);
		free(au);
		free(keep);
		return -1;
	}
	struct update *u = calloc(kept ? (size_t)kept : 1, sizeof(*u));
	int k = 0;
	for (uint32_t i = 0; u && i < n; i++) {
		if (!keep[i])
			continue;
		if (v == UCODE_INTEL) {
			u[k].rev = iu[i].revision;
			u[k].data = iu[i].data;
			u[k].size = iu[i].total_size;
			snprintf(u[k].identity, sizeof(u[k].identity),
				 "intel sig 0x%08x pf 0x%02x rev 0x%x", cpu->signature,
				 iu[i].pf_mask, iu[i].revision);
		} else {
			u[k].rev = au[i].patch_id;
			u[k].data = au[i].data;
			u[k].size = au[i].size;
			snprintf(u[k].identity, sizeof(u[k].identity),
				 "amd sig 0x%08x equiv 0x%04x rev 0x%08x", cpu->signature,
				 au[i].equiv_id, au[i].patch_id);
		}
		k++;
	}
	free(iu);
	free(au);
	free(keep);
	if (!u)
		return bad("out of memory"), -1;
	*out = u;
	return k;
}

static int verify_file(const struct verify_paths *vp, enum ucode_vendor v,
		       const struct ucode_cpu *cpu, const struct running *run)
{
	const char *rel = ucode_early_path(v);
	char path[4096], line[900], hex[SHA256_HEX_SIZE];
	struct input in;
	struct update *u;
	int n, rc = EXIT_OK;

	snprintf(path, sizeof(path), "%s%s%s", vp->root,
		 vp->root[strlen(vp->root) - 1] == '/' ? "" : "/", rel);
	if (access(path, F_OK) != 0)
		return EXIT_OK;
	if (input_open(&in, path) != 0)
		return EXIT_BAD;
	n = selected(v, &in, rel, cpu, vp, &u);
	if (n < 0) {
		input_release(&in);
		return EXIT_FINDING;
	}
	if (n == 0) {
		printf("fwkit: initrd %s has no microcode for this CPU (signature 0x%08x)\n",
		       rel, cpu->signature);
		goto out;
	}
	if (!run->have_rev) {
		snprintf(line, sizeof(line), "microcode in initrd %s: %s has no 'microcode' "
			 "line, so whether it was applied is unknown", rel, vp->cpuinfo);
		kmsg_line(vp->kmsg, 4, line);
		rc = EXIT_FINDING;
		goto out;
	}
	/* The one the CPU runs, else the newest (several when the platform
	 * ID was unknown and the platforms have different updates). */
	const struct update *hit = NULL, *newest = &u[0];
	for (int i = 0; i < n; i++) {
		if (u[i].rev == run->rev)
			hit = &u[i];
		if (rev_cmp(v, u[i].rev, newest->rev) > 0)
			newest = &u[i];
	}
	if (!hit && rev_cmp(v, run->rev, newest->rev) > 0) {
		printf("fwkit: the CPU already runs microcode revision 0x%x, newer than the "
		       "0x%x in initrd %s: nothing to load\n", run->rev, newest->rev, rel);
		goto out;
	}
	if (!hit) {
		snprintf(line, sizeof(line),
			 "microcode %s from initrd %s NOT applied: the CPU runs revision 0x%x; %s",
			 newest->identity, rel, run->rev,
			 run->hypervisor ? "under a hypervisor, which owns microcode (the kernel "
					   "loads none in a guest)"
					 : "early loading is disabled (dis_ucode_ldr) or the "
					   "kernel refused the update");
		kmsg_line(vp->kmsg, run->hypervisor ? 5 : 4, line);
		if (!run->hypervisor)
			rc = EXIT_FINDING;
		goto out;
	}

	struct ledger_record r, *old = NULL;
	size_t nold = 0;
	memset(&r, 0, sizeof(r));
	r.kind = LEDGER_MICROCODE;
	snprintf(r.identity, sizeof(r.identity), "%s", hit->identity);
	snprintf(r.source, sizeof(r.source), "initrd:/%s", rel);
	sha256(hit->data, hit->size, r.sha256);
	snprintf(r.reason, sizeof(r.reason),
		 "early microcode loader: the CPU runs revision 0x%x", run->rev);
	r.taint_bit = -1;
	sha256_hex(r.sha256, hex);
	snprintf(line, sizeof(line), "microcode %s from initrd %s applied, sha256 %s",
		 hit->identity, rel, hex);
	kmsg_line(vp->kmsg, 5, line);
	if (ledger_read(vp->ledger, &old, &nold) != 0)
		rc = EXIT_BAD;
	else if (!ledger_has(old, nold, &r) && ledger_append(vp->ledger, &r) != 0)
		rc = EXIT_BAD;
	free(old);
out:
	free(u);
	input_release(&in);
	return rc;
}

int verify_microcode(const struct verify_paths *vp)
{
	static const enum ucode_vendor vendors[] = { UCODE_INTEL, UCODE_AMD };
	struct ucode_cpu cpu;
	enum ucode_vendor only = UCODE_UNKNOWN;
	struct running run;
	int rc = EXIT_OK;
	bool any = false;

	for (unsigned i = 0; i < 2; i++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", vp->root, ucode_early_path(vendors[i]));
		any = any || access(path, F_OK) == 0;
	}
	if (!any)
		return EXIT_OK;
	if (vp->cpu) {
		cpu = *vp->cpu;
	} else {
		struct ucode_host_cpu h;
		char err[200];
		if (ucode_host_cpu(&h, err, sizeof(err)) != 0)
			return bad("microcode: cannot identify this CPU: %s", err);
		cpu.signature = h.signature;
		cpu.pf_mask = h.pf_mask;
		only = h.vendor;
	}
	if (read_cpuinfo(vp->cpuinfo, &run) != 0)
		return EXIT_BAD;
	for (unsigned i = 0; i < 2; i++) {
		if (only != UCODE_UNKNOWN && only != vendors[i])
			continue;
		int r = verify_file(vp, vendors[i], &cpu, &run);
		if (r > rc)
			rc = r;
	}
	return rc;
}

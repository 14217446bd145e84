/* SPDX-License-Identifier: MIT */
/* ucode.c - `fwkit ucode info|pack`: arguments, files and output only. */
#include "cli.h"
#include "boot.h"

#include <fwkit/sha256.h>
#include <fwkit/ucode.h>

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char ucode_help[] =
	"usage: fwkit ucode info [--json] FILE...\n"
	"       fwkit ucode pack -o OUT [--cpu SIG[,PF] | --host] [--initrd IMAGE] FILE...\n"
	"\n"
	"Check x86 CPU microcode (Intel update files, AMD containers; told apart by\n"
	"content) and pack it where Linux's early loader reads it.\n"
	"\n"
	"  info  list every update of every FILE: signatures and platform masks\n"
	"        (extended signature tables included), date, revision and size, in\n"
	"        iucode_tool -L style; AMD patches with the CPUs their container's\n"
	"        equivalence table maps to them\n"
	"  pack  write an uncompressed early cpio holding\n"
	"          " UCODE_EARLY_INTEL " and/or\n"
	"          " UCODE_EARLY_AMD "\n"
	"        with the newest update for each CPU (and Intel platform) the FILEs\n"
	"        cover, or only for --cpu / --host; AMD containers are rebuilt to\n"
	"        carry just the selected patches and the table entries they serve.\n"
	"        File data aligned to 16 bytes, entries sorted, mtime\n"
	"        $SOURCE_DATE_EPOCH or 0.  With --initrd, followed by IMAGE: an early\n"
	"        archive at its start that holds only kernel/... entries (such as\n"
	"        'fwkit acpi pack' writes) is merged into ours, else IMAGE follows\n"
	"        unchanged\n"
	"\n"
	"  --cpu SIG[,PF]  select for one CPU: SIG is CPUID leaf 1 EAX (0x306c3), PF\n"
	"                  an Intel platform mask as iucode_tool -s takes it (0x2);\n"
	"                  without PF every platform\n"
	"  --host          select for this machine's CPU (CPUID; the platform ID from\n"
	"                  MSR 0x17 via /dev/cpu/0/msr when readable, else every\n"
	"                  platform)\n"
	"  --initrd IMAGE  the initrd the early archive goes in front of\n"
	"  -o OUT          written to a temporary file, renamed when complete\n"
	"  --json          info as JSON (docs/microcode.md has the schema)\n"
	"\n"
	"Exit status: 0 success; 1 nothing selected (pack writes nothing); 2 bad\n"
	"usage or a damaged file (one line: FILE: update N at offset 0xX: FIELD:\n"
	"detail).\n";

struct ufile {
	struct input in;
	enum ucode_vendor vendor;
	uint32_t first, count;  /* the file's items in the vendor's array */
	uint32_t updates;       /* Intel updates or AMD patches */
	uint32_t containers, entries;
	bool damaged;           /* reported; listed nowhere */
};

struct uset {
	struct ufile *f;
	unsigned nf;
	struct ucode_intel *intel;
	uint32_t nintel, capintel;
	struct ucode_amd *amd;  /* containers and patches, in file order */
	uint32_t namd, capamd;
};

static void uset_free(struct uset *s)
{
	for (unsigned i = 0; i < s->nf; i++)
		input_release(&s->f[i].in);
	free(s->f);
	free(s->intel);
	free(s->amd);
	memset(s, 0, sizeof(*s));
}

static bool grow(void **v, uint32_t *cap, uint32_t n, size_t size)
{
	if (n < *cap)
		return true;
	uint32_t ncap = *cap ? *cap * 2 : 64;
	void *nv = realloc(*v, (size_t)ncap * size);
	if (!nv)
		return false;
	*v = nv;
	*cap = ncap;
	return true;
}

/* What an error means for the user, after the parser's own words. */
static const char *damage(enum ucode_vendor v, int rc)
{
	if (rc == FWK_ERR_UNSUPPORTED)
		return "the kernel would refuse it";
	if (rc == FWK_ERR_TRUNCATED)
		return v == UCODE_INTEL ? "the file is cut short or the update is damaged"
					: "the file is cut short or the container is damaged";
	return v == UCODE_INTEL ? "the update is damaged" : "the container is malformed";
}

/* "FILE: update N at offset 0xX: FIELD: detail (byte 0xY): what it means" */
static int fault_line(const struct ufile *uf, const char *what, uint32_t n, uint64_t at,
		      const struct fwk_fault *f, int rc)
{
	return bad("%s: %s %u at offset 0x%llx: %s: %s (byte 0x%llx): %s", uf->in.path, what, n,
		   (unsigned long long)at, f->field ? f->field : "?",
		   f->detail ? f->detail : fwk_strerror(rc), (unsigned long long)f->offset,
		   damage(uf->vendor, rc));
}

static int load_intel(struct uset *s, struct ufile *uf)
{
	struct fwk_fault f = { 0 };
	struct ucode_intel u;
	uint64_t off = 0;
	int rc;

	uf->first = s->nintel;
	while ((rc = ucode_intel_next(uf->in.data, uf->in.len, &off, &u, &f)) == 1) {
		if (!grow((void **)&s->intel, &s->capintel, s->nintel, sizeof(u)))
			return bad("out of memory");
		s->intel[s->nintel++] = u;
		uf->updates++;
	}
	if (rc < 0)
		return fault_line(uf, "update", uf->updates + 1, off, &f, rc);
	uf->count = s->nintel - uf->first;
	return 0;
}

static int load_amd(struct uset *s, struct ufile *uf)
{
	struct fwk_fault f = { 0 };
	struct ucode_amd it = { 0 };
	uint64_t off = 0;
	int rc;

	uf->first = s->namd;
	while ((rc = ucode_amd_next(uf->in.data, uf->in.len, &off, &it, &f)) == 1) {
		if (!grow((void **)&s->amd, &s->capamd, s->namd, sizeof(it)))
			return bad("out of memory");
		s->amd[s->namd++] = it;
		if (it.kind == UCODE_AMD_CONTAINER) {
			uf->containers++;
			uf->entries += it.table_entries;
		} else {
			uf->updates++;
		}
	}
	if (rc < 0) {
		const uint8_t *d = uf->in.data;
		bool magic = uf->in.len - off >= 4 && fwk_le32(d + off) == UCODE_AMD_MAGIC;
		if (it.kind != UCODE_AMD_NONE && (off == uf->in.len || magic) && !it.patches)
			return fault_line(uf, "container", it.container + 1,
					  it.container_offset, &f, rc);
		if (it.kind == UCODE_AMD_NONE || magic)
			return fault_line(uf, "container",
					  it.kind == UCODE_AMD_NONE ? 1 : it.container + 2, off, &f, rc);
		return fault_line(uf, "update", uf->updates + 1, off, &f, rc);
	}
	uf->count = s->namd - uf->first;
	return 0;
}

/* Open and check every file; one line and EXIT_BAD per bad one. */
static int uset_load(struct uset *s, char **paths, int n, bool keep_going)
{
	int rc = EXIT_OK;

	memset(s, 0, sizeof(*s));
	s->f = calloc((size_t)n, sizeof(*s->f));
	if (!s->f)
		return bad("out of memory");
	for (int i = 0; i < n; i++) {
		struct ufile *uf = &s->f[s->nf++];
		int r;
		if (input_open(&uf->in, paths[i]) != 0) {
			r = EXIT_BAD;
		} else {
			uf->vendor = ucode_detect(uf->in.data, uf->in.len);
			if (uf->vendor == UCODE_INTEL)
				r = load_intel(s, uf);
			else if (uf->vendor == UCODE_AMD)
				r = load_amd(s, uf);
			else
				r = bad("%s: not CPU microcode: neither an Intel update (header_version "
					"1) nor an AMD container (magic 0x00414d44)", paths[i]);
			if (r == EXIT_OK && uf->updates == 0)
				r = bad("%s: holds no microcode update", paths[i]);
		}
		if (r != EXIT_OK) {
			rc = r;
			uf->damaged = true;
			if (!keep_going)
				return rc;
		}
	}
	return rc;
}

/* ---- info --------------------------------------------------------------- */

static void sha_hex(const void *p, uint64_t n, char hex[SHA256_HEX_SIZE])
{
	uint8_t d[SHA256_DIGEST_SIZE];

	sha256(p, (size_t)n, d);
	sha256_hex(d, hex);
}

static void intel_text(const struct uset *s, const struct ufile *uf, unsigned bundle)
{
	char date[11];

	printf("microcode bundle %u: %s\n", bundle, uf->in.path);
	for (uint32_t i = 0; i < uf->count; i++) {
		const struct ucode_intel *u = &s->intel[uf->first + i];
		ucode_date_text(u->date, date);
		printf("  %03u/%03u: sig 0x%08x, pf_mask 0x%02x, %s, rev 0x%04x, size %u\n",
		       bundle, i + 1, u->signature, u->pf_mask, date, u->revision, u->total_size);
		for (uint32_t k = 0; k < u->ext_count; k++) {
			struct ucode_intel_sig x;
			ucode_intel_ext_sig(u, k, &x);
			printf("           sig 0x%08x, pf_mask 0x%02x, %s, rev 0x%04x\n", x.signature,
			       x.pf_mask, date, u->revision);
		}
	}
	printf("  %u update%s (intel)\n", uf->count, uf->count == 1 ? "" : "s");
}

static void intel_json(struct json *j, const struct uset *s, const struct ufile *uf)
{
	char date[11], hex[SHA256_HEX_SIZE];

	json_key(j, "updates");
	json_arr_begin(j);
	for (uint32_t i = 0; i < uf->count; i++) {
		const struct ucode_intel *u = &s->intel[uf->first + i];
		ucode_date_text(u->date, date);
		json_obj_begin(j);
		json_ku64(j, "index", i + 1);
		json_ku64(j, "offset", u->offset);
		json_ku64(j, "signature", u->signature);
		json_ku64(j, "pf_mask", u->pf_mask);
		json_kstr(j, "date", date);
		json_ku64(j, "revision", u->revision);
		json_ku64(j, "size", u->total_size);
		json_ku64(j, "data_size", u->data_size);
		json_ku64(j, "header_version", u->header_version);
		json_ku64(j, "loader_revision", u->loader_revision);
		json_ku64(j, "checksum", u->checksum);
		json_key(j, "extended");
		json_arr_begin(j);
		for (uint32_t k = 0; k < u->ext_count; k++) {
			struct ucode_intel_sig x;
			ucode_intel_ext_sig(u, k, &x);
			json_obj_begin(j);
			json_ku64(j, "signature", x.signature);
			json_ku64(j, "pf_mask", x.pf_mask);
			json_ku64(j, "checksum", x.checksum);
			json_obj_end(j);
		}
		json_arr_end(j);
		sha_hex(u->data, u->total_size, hex);
		json_kstr(j, "sha256", hex);
		json_obj_end(j);
	}
	json_arr_end(j);
}

static void amd_text(const struct uset *s, const struct ufile *uf, unsigned bundle)
{
	char date[11];
	uint32_t patch = 0, sigs[256];

	printf("microcode bundle %u: %s\n", bundle, uf->in.path);
	for (uint32_t i = 0; i < uf->count; i++) {
		const struct ucode_amd *p = &s->amd[uf->first + i];
		if (p->kind == UCODE_AMD_CONTAINER) {
			printf("  container %u at offset 0x%llx: %u equivalence entr%s\n",
			       p->container + 1, (unsigned long long)p->container_offset,
			       p->table_entries, p->table_entries == 1 ? "y" : "ies");
			continue;
		}
		ucode_date_text(p->date, date);
		printf("  %03u/%03u: equiv 0x%04x, family 0x%02x, %s, rev 0x%08x, size %u\n",
		       bundle, ++patch, p->equiv_id, p->family, date, p->patch_id, p->size);
		uint32_t n = ucode_amd_cpus(p, sigs, 256);
		n = n < 256 ? n : 256;
		for (uint32_t k = 0; k < n; k++)
			printf("           sig 0x%08x\n", sigs[k]);
	}
	printf("  %u update%s in %u container%s (amd)\n", uf->updates,
	       uf->updates == 1 ? "" : "s", uf->containers, uf->containers == 1 ? "" : "s");
}

static void amd_json(struct json *j, const struct uset *s, const struct ufile *uf)
{
	char date[11], hex[SHA256_HEX_SIZE];
	uint32_t patch = 0, sigs[256];

	json_ku64(j, "equivalence_entries", uf->entries);
	json_key(j, "containers");
	json_arr_begin(j);
	for (uint32_t i = 0; i < uf->count; i++) {
		const struct ucode_amd *c = &s->amd[uf->first + i];
		if (c->kind != UCODE_AMD_CONTAINER)
			continue;
		uint32_t np = 0;
		for (uint32_t k = i + 1; k < uf->count && s->amd[uf->first + k].kind == UCODE_AMD_PATCH; k++)
			np++;
		json_obj_begin(j);
		json_ku64(j, "index", c->container + 1);
		json_ku64(j, "offset", c->container_offset);
		json_ku64(j, "patches", np);
		json_key(j, "equivalence");
		json_arr_begin(j);
		for (uint32_t k = 0; k < c->table_entries; k++) {
			struct ucode_amd_equiv e;
			ucode_amd_equiv(c, k, &e);
			json_obj_begin(j);
			json_ku64(j, "installed_cpu", e.installed_cpu);
			json_ku64(j, "fixed_errata_mask", e.fixed_errata_mask);
			json_ku64(j, "fixed_errata_compare", e.fixed_errata_compare);
			json_ku64(j, "equiv_cpu", e.equiv_cpu);
			json_obj_end(j);
		}
		json_arr_end(j);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_key(j, "updates");
	json_arr_begin(j);
	for (uint32_t i = 0; i < uf->count; i++) {
		const struct ucode_amd *p = &s->amd[uf->first + i];
		if (p->kind != UCODE_AMD_PATCH)
			continue;
		ucode_date_text(p->date, date);
		json_obj_begin(j);
		json_ku64(j, "index", ++patch);
		json_ku64(j, "container", p->container + 1);
		json_ku64(j, "offset", p->offset);
		json_ku64(j, "equiv_id", p->equiv_id);
		json_ku64(j, "family", p->family);
		json_key(j, "signatures");
		json_arr_begin(j);
		uint32_t n = ucode_amd_cpus(p, sigs, 256);
		n = n < 256 ? n : 256;
		for (uint32_t k = 0; k < n; k++)
			json_u64(j, sigs[k]);
		json_arr_end(j);
		json_kstr(j, "date", date);
		json_ku64(j, "revision", p->patch_id);
		json_ku64(j, "size", p->size);
		json_ku64(j, "patch_data_id", p->patch_data_id);
		json_ku64(j, "patch_data_len", p->patch_data_len);
		json_ku64(j, "init_flag", p->init_flag);
		json_ku64(j, "patch_data_checksum", p->patch_data_checksum);
		json_ku64(j, "nb_dev_id", p->nb_dev_id);
		json_ku64(j, "sb_dev_id", p->sb_dev_id);
		json_ku64(j, "nb_rev_id", p->nb_rev_id);
		json_ku64(j, "sb_rev_id", p->sb_rev_id);
		json_ku64(j, "bios_api_rev", p->bios_api_rev);
		sha_hex(p->data, p->size, hex);
		json_kstr(j, "sha256", hex);
		json_obj_end(j);
	}
	json_arr_end(j);
}

static int do_info(char **files, int n, bool as_json)
{
	struct uset s;
	struct json j;
	int rc = uset_load(&s, files, n, true);
	uint64_t total = 0;

	if (as_json) {
		json_init(&j, stdout);
		json_obj_begin(&j);
		json_key(&j, "files");
		json_arr_begin(&j);
	}
	for (unsigned i = 0; i < s.nf; i++) {
		const struct ufile *uf = &s.f[i];
		if (uf->damaged)
			continue;
		total += uf->updates;
		if (!as_json) {
			if (uf->vendor == UCODE_INTEL)
				intel_text(&s, uf, i + 1);
			else
				amd_text(&s, uf, i + 1);
			continue;
		}
		json_obj_begin(&j);
		json_kstr(&j, "file", uf->in.path);
		json_ku64(&j, "bundle", i + 1);
		json_kstr(&j, "vendor", ucode_vendor_name(uf->vendor));
		json_ku64(&j, "count", uf->updates);
		if (uf->vendor == UCODE_INTEL)
			intel_json(&j, &s, uf);
		else
			amd_json(&j, &s, uf);
		json_obj_end(&j);
	}
	if (as_json) {
		json_arr_end(&j);
		json_ku64(&j, "count", total);
		json_obj_end(&j);
	}
	uset_free(&s);
	if (fflush(stdout) != 0 || ferror(stdout))
		return bad("writing the listing failed");
	return rc;
}

/* ---- pack --------------------------------------------------------------- */

bool parse_cpu(const char *arg, struct ucode_cpu *cpu)
{
	char buf[64];
	uint64_t sig, pf = UCODE_PF_ALL;

	if (strlen(arg) >= sizeof(buf))
		return false;
	strcpy(buf, arg);
	char *comma = strchr(buf, ',');
	if (comma) {
		*comma = '\0';
		if (!parse_u64(comma + 1, 0xff, &pf) || pf == 0)
			return false;
	}
	if (!parse_u64(buf, UINT32_MAX, &sig))
		return false;
	cpu->signature = (uint32_t)sig;
	cpu->pf_mask = (uint32_t)pf;
	return true;
}

/* The path of the file item k of a vendor's array came from, and its
 * position in that file. */
static const struct ufile *owner(const struct uset *s, enum ucode_vendor v, uint32_t k)
{
	for (unsigned i = 0; i < s->nf; i++)
		if (s->f[i].vendor == v && k >= s->f[i].first && k < s->f[i].first + s->f[i].count)
			return &s->f[i];
	return NULL;
}

static void list_selected(const struct uset *s, const bool *ki, const bool *ka)
{
	char date[11];

	for (uint32_t k = 0; k < s->nintel; k++) {
		if (!ki[k])
			continue;
		const struct ucode_intel *u = &s->intel[k];
		const struct ufile *uf = owner(s, UCODE_INTEL, k);
		ucode_date_text(u->date, date);
		printf("  %s update %u: sig 0x%08x, pf_mask 0x%02x, %s, rev 0x%04x, size %u\n",
		       uf->in.path, k - uf->first + 1, u->signature, u->pf_mask, date, u->revision,
		       u->total_size);
	}
	for (uint32_t k = 0; k < s->namd; k++) {
		if (!ka[k])
			continue;
		const struct ucode_amd *p = &s->amd[k];
		const struct ufile *uf = owner(s, UCODE_AMD, k);
		uint32_t idx = 0;
		for (uint32_t m = uf->first; m <= k; m++)
			idx += s->amd[m].kind == UCODE_AMD_PATCH;
		ucode_date_text(p->date, date);
		printf("  %s update %u: equiv 0x%04x, %s, rev 0x%08x, size %u\n", uf->in.path, idx,
		       p->equiv_id, date, p->patch_id, p->size);
	}
}

static int do_pack(const char *out, const char *image, const struct ucode_cpu *cpu,
		   bool host, char **files, int n)
{
	struct ucode_cpu hc;
	struct uset s;
	struct input img = { 0 };
	uint8_t *bin[2] = { NULL, NULL }, *early = NULL;
	bool *ki = NULL, *ka = NULL;
	uint32_t mtime;
	int rc;

	if (source_date_epoch(&mtime) != 0)
		return EXIT_BAD;
	if (host) {
		struct ucode_host_cpu h;
		char err[256];
		if (ucode_host_cpu(&h, err, sizeof(err)) != 0)
			return bad("--host: %s", err);
		hc = (struct ucode_cpu){ h.signature, h.pf_mask };
		cpu = &hc;
		printf("host CPU: %s, signature 0x%08x, platform mask 0x%02x (%s)\n", h.vendor_id,
		       h.signature, h.pf_mask,
		       h.vendor != UCODE_INTEL ? "no platform ID"
		       : h.pf_known		? "MSR 0x17"
					: "MSR 0x17 not readable: every platform");
	}
	if ((rc = uset_load(&s, files, n, false)) != EXIT_OK) {
		uset_free(&s);
		return rc;
	}
	ki = calloc(s.nintel + 1, sizeof(*ki));
	ka = calloc(s.namd + 1, sizeof(*ka));
	if (!ki || !ka) {
		rc = bad("out of memory");
		goto done;
	}
	int kept = ucode_intel_select(s.intel, s.nintel, cpu, ki);
	int kept_amd = ucode_amd_select(s.amd, s.namd, cpu, ka);
	if (kept < 0 || kept_amd < 0) {
		rc = bad("selection failed: %s", fwk_strerror(kept < 0 ? kept : kept_amd));
		goto done;
	}
	if (kept + kept_amd == 0) {
		if (cpu)
			msg("%s: not written: no update for CPU signature 0x%08x, platform mask "
			    "0x%02x in the files given", out, cpu->signature, cpu->pf_mask);
		else
			msg("%s: not written: nothing selected", out);
		rc = EXIT_FINDING;
		goto done;
	}
	struct ucode_early_file ef[2];
	int nkept[2];
	unsigned nef = 0;
	int64_t sizes[2] = { kept ? ucode_intel_bundle(s.intel, s.nintel, ki, NULL, 0) : 0,
			     kept_amd ? ucode_amd_bundle(s.amd, s.namd, ka, NULL, 0) : 0 };
	for (int v = 0; v < 2; v++) {
		if (!sizes[v])
			continue;
		bin[v] = malloc((size_t)sizes[v]);
		int64_t got = !bin[v] ? FWK_ERR_NOSPACE
			      : v == 0 ? ucode_intel_bundle(s.intel, s.nintel, ki, bin[v], (uint64_t)sizes[v])
				       : ucode_amd_bundle(s.amd, s.namd, ka, bin[v], (uint64_t)sizes[v]);
		if (got != sizes[v]) {
			rc = bad("building %s failed: %s", v ? UCODE_EARLY_AMD : UCODE_EARLY_INTEL,
				 got < 0 ? fwk_strerror((int)got) : "size changed");
			goto done;
		}
		nkept[nef] = v ? kept_amd : kept;
		ef[nef++] = (struct ucode_early_file){ v ? UCODE_EARLY_AMD : UCODE_EARLY_INTEL,
						       bin[v], (uint64_t)sizes[v] };
	}
	if (image && input_open(&img, image) != 0) {
		rc = EXIT_BAD;
		goto done;
	}
	struct ucode_early_result res;
	uint64_t len;
	char err[768];
	if (ucode_early_image(image ? img.data : NULL, img.len, ef, nef, mtime, &early, &len,
			      &res, err, sizeof(err)) != 0) {
		rc = bad("%s: %s", image ? image : out, err);
		goto done;
	}
	if ((rc = output_write(out, early, (size_t)len)) != 0)
		goto done;
	for (unsigned i = 0; i < nef; i++)
		printf("%s: %s: %llu bytes, %d update%s\n", out, ef[i].name,
		       (unsigned long long)ef[i].size, nkept[i], nkept[i] == 1 ? "" : "s");
	list_selected(&s, ki, ka);
	if (image && res.merged)
		printf("%s: one early archive: %u entr%s of %s's early archive carried over%s, "
		       "the rest of %s follows unchanged\n", out, res.carried,
		       res.carried == 1 ? "y" : "ies", image,
		       res.replaced ? " (its older microcode replaced)" : "", image);
	else if (image)
		printf("%s: early archive followed by %s unchanged\n", out, image);
	if (res.shadowed)
		msg("%s: warning: %u older microcode file%s in %s's early archives now sit%s "
		    "behind ours; the kernel reads the first one it finds, ours",
		    out, res.shadowed, res.shadowed == 1 ? "" : "s", image,
		    res.shadowed == 1 ? "s" : "");
done:
	free(early);
	free(bin[0]);
	free(bin[1]);
	free(ki);
	free(ka);
	input_release(&img);
	uset_free(&s);
	return rc;
}

/* ---- dispatch ----------------------------------------------------------- */

int cmd_ucode(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ "output", required_argument, NULL, 'o' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "host", no_argument, NULL, 'H' },
		{ "initrd", required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 },
	};
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(ucode_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_BAD : EXIT_OK;
	}
	const char *sub = argv[1];
	char cmd[32];
	snprintf(cmd, sizeof(cmd), "ucode %s", sub);
	if (strcmp(sub, "info") && strcmp(sub, "pack"))
		return usage_error("ucode", "unknown command '%s'", sub);

	bool as_json = false, host = false, have_cpu = false;
	const char *out = NULL, *image = NULL;
	struct ucode_cpu cpu = { 0 };
	int c;

	optind = 1;
	while ((c = getopt_long(argc - 1, argv + 1, "ho:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': fputs(ucode_help, stdout); return EXIT_OK;
		case 'j': as_json = true; break;
		case 'o': out = optarg; break;
		case 'H': host = true; break;
		case 'i': image = optarg; break;
		case 'c':
			if (!parse_cpu(optarg, &cpu))
				return usage_error(cmd, "--cpu: '%s' is not SIG[,PF] (SIG up to "
						   "0xffffffff, PF from 0x1 to 0xff)", optarg);
			have_cpu = true;
			break;
		default: return bad_option(cmd, argv + 1);
		}
	}
	char **args = argv + 1 + optind;
	int nargs = argc - 1 - optind;

	if (nargs < 1)
		return usage_error(cmd, "expects at least one FILE");
	if (!strcmp(sub, "info")) {
		if (out || host || have_cpu || image)
			return usage_error(cmd, "takes only --json and FILEs");
		return do_info(args, nargs, as_json);
	}
	if (as_json)
		return usage_error(cmd, "--json is for 'ucode info'");
	if (!out)
		return usage_error(cmd, "-o OUT is required");
	if (host && have_cpu)
		return usage_error(cmd, "--cpu and --host exclude each other");
	return do_pack(out, image, have_cpu ? &cpu : NULL, host, args, nargs);
}

/* SPDX-License-Identifier: MIT */
/* acpi.c - `fwkit acpi info|check|fix|compile|pack`: arguments and output only. */
#include "cli.h"
#include "tables.h"

#include <fwkit/acpi.h>
#include <fwkit/initrd_image.h>
#include <fwkit/sha256.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char acpi_help[] =
	"usage: fwkit acpi info [--json] TABLE...\n"
	"       fwkit acpi check --against SRC [--lockdown] [--json] TABLE...\n"
	"       fwkit acpi fix [--oem-revision N | --bump] -o OUT TABLE\n"
	"       fwkit acpi compile -o OUT FILE.dsl\n"
	"       fwkit acpi pack -o OUT [--initrd IMAGE] [--against SRC] [--lockdown]\n"
	"                       [--force] TABLE...\n"
	"\n"
	"Check ACPI tables and ship them in an initrd, where Linux takes them as\n"
	"upgrades of the firmware's tables (CONFIG_ACPI_TABLE_UPGRADE).\n"
	"\n"
	"  info     decode each table's header (RSDP, FACS, RSDT/XSDT entries and\n"
	"           FADT pointers too) and judge its length and checksum\n"
	"  check    predict, with the kernel's own rules, what it will do with each\n"
	"           TABLE (a table file, or an initrd image's kernel/firmware/acpi/\n"
	"           files) on the machine whose tables SRC holds:\n"
	"             override  replaces the firmware table with the same signature,\n"
	"                       OEM ID and OEM table ID (its OEM revision is greater)\n"
	"             install   added as a new table (no firmware table has its IDs)\n"
	"             dropped   IDs match but its OEM revision is not greater, or an\n"
	"                       RSDT/XSDT, or a locked-down kernel: silently unused\n"
	"             rejected  refused by the kernel's checks (size, signature,\n"
	"                       length, checksum, more than 64 files)\n"
	"  fix      write a copy with the OEM revision set (--oem-revision N) or\n"
	"           raised by one (--bump), and the checksum made right\n"
	"  compile  compile ASL with iasl (acpica-tools); iasl's errors are shown as\n"
	"           FILE:LINE lines, and the result is checked before it is written\n"
	"  pack     write the early uncompressed cpio the kernel reads tables from,\n"
	"           kernel/firmware/acpi/<name of TABLE>; with --initrd, followed by\n"
	"           IMAGE unchanged (an early cpio already in it, such as microcode,\n"
	"           keeps working).  Tables the kernel would reject are refused;\n"
	"           with --against, a plan that drops a table writes nothing unless\n"
	"           --force\n"
	"\n"
	"  SRC         a directory of raw tables (/sys/firmware/acpi/tables, with its\n"
	"              dynamic/; or acpixtract output) or an acpidump text file\n"
	"  --lockdown  the target kernel is locked down (read from\n"
	"              /sys/kernel/security/lockdown when SRC is this machine's)\n"
	"  -o OUT      written to a temporary file, renamed when complete\n"
	"\n"
	"Exit status: 0 success; 1 a finding: a bad checksum (info), a table that\n"
	"would not take effect (check, pack); 2 bad usage or a malformed table (one\n"
	"line on stderr naming the file, the offset and the field).\n";

/* ---- shared ------------------------------------------------------------- */

static int fault_line(const char *path, const struct fwk_fault *f, int rc)
{
	return bad("%s: offset %llu: %s: %s", path, (unsigned long long)f->offset,
		   f->field ? f->field : "table", f->detail ? f->detail : fwk_strerror(rc));
}

/* A fixed-width header field as printable text (other bytes as '?'). */
static void field_text(const char *p, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		out[i] = p[i] >= 0x20 && p[i] < 0x7f ? p[i] : '?';
	out[n] = '\0';
}

/* Is SRC this machine's sysfs table directory?  Then lockdown is knowable. */
static bool machine_locked_down(const char *src)
{
	char *a = realpath(src, NULL);
	bool sysfs = a && !strcmp(a, "/sys/firmware/acpi/tables");
	free(a);
	if (!sysfs)
		return false;
	FILE *f = fopen("/sys/kernel/security/lockdown", "r");
	if (!f)
		return false;
	char line[128] = "";
	bool locked = fgets(line, sizeof(line), f) && !strstr(line, "[none]");
	fclose(f);
	return locked;
}

/* ---- info --------------------------------------------------------------- */

static void info_sdt_json(struct json *j, const uint8_t *d, uint64_t len)
{
	struct acpi_header h;

	acpi_header_parse(d, len, &h, NULL);
	uint8_t sum = acpi_checksum(d, len);
	json_kstr(j, "kind", "sdt");
	json_key(j, "signature");
	json_bytes(j, h.signature, 4);
	json_ku64(j, "length", h.length);
	json_ku64(j, "file_size", len);
	json_ku64(j, "revision", h.revision);
	json_ku64(j, "checksum", h.checksum);
	json_ku64(j, "byte_sum", sum);
	json_key(j, "checksum_ok");
	json_bool(j, sum == 0);
	json_key(j, "oem_id");
	json_bytes(j, h.oem_id, 6);
	json_key(j, "oem_table_id");
	json_bytes(j, h.oem_table_id, 8);
	json_ku64(j, "oem_revision", h.oem_revision);
	json_key(j, "creator_id");
	json_bytes(j, h.creator_id, 4);
	json_ku64(j, "creator_revision", h.creator_revision);
	json_key(j, "upgradable");
	json_bool(j, acpi_sig_upgradable(h.signature));
	const char *what = acpi_sig_describe(h.signature);
	if (what)
		json_kstr(j, "description", what);
	char id[ACPI_IDENTITY_MAX];
	acpi_identity(&h, id);
	json_kstr(j, "identity", id);
	uint8_t dg[32];
	char hex[SHA256_HEX_SIZE];
	sha256(d, len, dg);
	sha256_hex(dg, hex);
	json_kstr(j, "sha256", hex);
	int n = acpi_root_entries(d, len, NULL);
	if (n >= 0) {
		json_key(j, "entries");
		json_arr_begin(j);
		for (int i = 0; i < n; i++) {
			uint64_t a = 0;
			acpi_root_entry(d, len, (uint32_t)i, &a);
			json_u64(j, a);
		}
		json_arr_end(j);
	}
	struct acpi_fadt_ptrs fp;
	if (!memcmp(h.signature, "FACP", 4) && acpi_fadt_ptrs(d, len, &fp) == 0) {
		json_ku64(j, "dsdt", fp.dsdt);
		json_ku64(j, "x_dsdt", fp.x_dsdt);
		json_ku64(j, "facs", fp.facs);
		json_ku64(j, "x_facs", fp.x_facs);
	}
}

static void info_sdt_text(const char *path, const uint8_t *d, uint64_t len)
{
	struct acpi_header h;
	char sig[5], oem[7], tid[9], cid[5];

	acpi_header_parse(d, len, &h, NULL);
	field_text(h.signature, 4, sig);
	field_text(h.oem_id, 6, oem);
	field_text(h.oem_table_id, 8, tid);
	field_text(h.creator_id, 4, cid);
	const char *what = acpi_sig_describe(h.signature);
	uint8_t sum = acpi_checksum(d, len);
	printf("%s: %s%s%s%s, %u bytes\n", path, sig, what ? " (" : "", what ? what : "",
	       what ? ")" : "", h.length);
	printf("  revision %u, checksum 0x%02x: %s\n", h.revision, h.checksum,
	       sum ? "BAD (bytes sum to non-zero)" : "ok");
	if (sum)
		printf("  the right checksum is 0x%02x ('fwkit acpi fix' writes it)\n",
		       acpi_checksum_fix_value(d, len));
	printf("  OEM ID \"%s\", OEM table ID \"%s\", OEM revision %u (0x%08x)\n", oem, tid,
	       h.oem_revision, h.oem_revision);
	printf("  creator \"%s\" revision 0x%08x\n", cid, h.creator_revision);
	printf("  initrd upgrade: %s\n", acpi_sig_upgradable(h.signature)
					     ? "allowed"
					     : "not allowed (signature not in the kernel's list)");
	int n = acpi_root_entries(d, len, NULL);
	for (int i = 0; i < n; i++) {
		uint64_t a = 0;
		acpi_root_entry(d, len, (uint32_t)i, &a);
		printf("  entry %d: 0x%016llx\n", i, (unsigned long long)a);
	}
	struct acpi_fadt_ptrs fp;
	if (!memcmp(h.signature, "FACP", 4) && acpi_fadt_ptrs(d, len, &fp) == 0)
		printf("  DSDT 0x%llx, X_DSDT 0x%llx, FACS 0x%llx, X_FACS 0x%llx\n",
		       (unsigned long long)fp.dsdt, (unsigned long long)fp.x_dsdt,
		       (unsigned long long)fp.facs, (unsigned long long)fp.x_facs);
}

static int do_info(char **files, int n, bool as_json)
{
	struct json j;
	int rc = EXIT_OK;

	if (as_json) {
		json_init(&j, stdout);
		json_arr_begin(&j);
	}
	for (int i = 0; i < n; i++) {
		struct input in;
		struct fwk_fault f = { 0 };

		if (input_open(&in, files[i]) != 0) {
			rc = EXIT_BAD;
			continue;
		}
		int kind = acpi_table_check(in.data, in.len, &f);
		struct acpi_rsdp rsdp;
		if (kind == ACPI_KIND_RSDP && (kind = acpi_rsdp_parse(in.data, in.len, &rsdp, &f)) == 0)
			kind = ACPI_KIND_RSDP;
		if (kind < 0) {
			fault_line(files[i], &f, kind);
			rc = EXIT_BAD;
			input_release(&in);
			continue;
		}
		if (kind == ACPI_KIND_SDT && acpi_checksum(in.data, in.len) && rc == EXIT_OK)
			rc = EXIT_FINDING;
		if (as_json) {
			json_obj_begin(&j);
			json_kstr(&j, "file", files[i]);
			if (kind == ACPI_KIND_SDT) {
				info_sdt_json(&j, in.data, in.len);
			} else if (kind == ACPI_KIND_FACS) {
				json_kstr(&j, "kind", "facs");
				json_kstr(&j, "signature", "FACS");
				json_ku64(&j, "length", fwk_le32(in.data + 4));
				json_ku64(&j, "file_size", in.len);
				if (in.len >= 33)
					json_ku64(&j, "version", in.data[32]);
			} else {
				json_kstr(&j, "kind", "rsdp");
				json_kstr(&j, "signature", "RSD PTR ");
				json_key(&j, "oem_id");
				json_bytes(&j, rsdp.oem_id, 6);
				json_ku64(&j, "revision", rsdp.revision);
				json_ku64(&j, "length", rsdp.length);
				json_ku64(&j, "file_size", in.len);
				json_ku64(&j, "rsdt_address", rsdp.rsdt_address);
				json_ku64(&j, "xsdt_address", rsdp.xsdt_address);
				json_key(&j, "checksum_ok");
				json_bool(&j, true);
			}
			json_obj_end(&j);
		} else if (kind == ACPI_KIND_SDT) {
			info_sdt_text(files[i], in.data, in.len);
		} else if (kind == ACPI_KIND_FACS) {
			printf("%s: FACS (Firmware ACPI Control Structure), %u bytes, version %u\n",
			       files[i], fwk_le32(in.data + 4), in.len > 32 ? in.data[32] : 0);
			printf("  initrd upgrade: not allowed (the kernel never takes a FACS)\n");
		} else {
			char oem[7];
			field_text(rsdp.oem_id, 6, oem);
			printf("%s: RSDP (Root System Description Pointer), revision %u, %u bytes\n",
			       files[i], rsdp.revision, rsdp.length);
			printf("  OEM ID \"%s\", RSDT 0x%08x, XSDT 0x%016llx, checksums ok\n", oem,
			       rsdp.rsdt_address, (unsigned long long)rsdp.xsdt_address);
		}
		input_release(&in);
	}
	if (as_json)
		json_arr_end(&j);
	return rc;
}

/* ---- check -------------------------------------------------------------- */

static const char *reason_name(enum acpi_reason r)
{
	switch (r) {
	case ACPI_WHY_REVISION_GREATER: return "revision-greater";
	case ACPI_WHY_NEW_IDS: return "new-ids";
	case ACPI_WHY_REVISION_NOT_GREATER: return "revision-not-greater";
	case ACPI_WHY_ROOT_TABLE: return "root-table";
	case ACPI_WHY_LOCKDOWN: return "lockdown";
	case ACPI_WHY_SMALL: return "smaller-than-header";
	case ACPI_WHY_SIGNATURE: return "unknown-signature";
	case ACPI_WHY_LENGTH: return "length-mismatch";
	case ACPI_WHY_CHECKSUM: return "bad-checksum";
	case ACPI_WHY_TOO_MANY: return "too-many";
	}
	return "unknown";
}

static const struct {
	uint32_t bit;
	const char *name;
	const char *text;
} warn_table[] = {
	{ ACPI_WARN_LONG_NAME, "long-name",
	  "its name has 17 or more characters after " ACPI_INITRD_PREFIX
	  ": the kernel warns 'exceeding MAX_CPIO_FILE_NAME' and shows it cut" },
	{ ACPI_WARN_SAME_IDS, "same-ids",
	  "another table here has the same signature, OEM ID and OEM table ID: "
	  "only their order decides which one the kernel uses" },
	{ ACPI_WARN_LOCKDOWN, "lockdown",
	  "the target kernel is locked down (Secure Boot): it ignores every initrd table" },
	{ ACPI_WARN_DYNAMIC, "dynamic",
	  "its IDs are those of a table the firmware loads at run time: the kernel "
	  "installs this one at boot and the firmware still loads its own, so "
	  "their objects will clash" },
	{ ACPI_WARN_SINGLETON, "installed-singleton",
	  "a DSDT or FACP installed as a new table is not used: ACPICA keeps the "
	  "firmware's; give it the firmware's OEM ID and OEM table ID to override" },
};

/* A plan result the user must act on. */
static bool plan_is_finding(const struct acpi_plan_entry *e)
{
	return e->verdict == ACPI_DROPPED || e->verdict == ACPI_REJECTED ||
	       (e->warnings & (ACPI_WARN_LOCKDOWN | ACPI_WARN_SINGLETON | ACPI_WARN_DYNAMIC));
}

static void print_plan_text(const struct table_set *cs, const struct table_set *ts,
			    const struct acpi_plan_entry *p)
{
	for (uint32_t i = 0; i < cs->n; i++) {
		const struct table_file *c = &cs->f[i];
		const struct acpi_plan_entry *e = &p[i];
		char id[ACPI_IDENTITY_MAX] = "";
		if (e->have_header)
			acpi_identity(&e->h, id);
		printf("%s: %-8s %s\n", c->path, acpi_verdict_name(e->verdict), id);
		const struct table_file *t = e->target >= 0 ? &ts->f[e->target] : NULL;
		switch (e->reason) {
		case ACPI_WHY_REVISION_GREATER:
			printf("  replaces %s (OEM revision %u < %u)\n", t ? t->path : "?",
			       t ? t->h.oem_revision : 0, e->h.oem_revision);
			break;
		case ACPI_WHY_REVISION_NOT_GREATER:
			printf("  same IDs as %s, whose OEM revision is %u: %u is not greater,\n"
			       "  so the kernel drops it silently; raise it with 'fwkit acpi fix --bump'\n",
			       t ? t->path : "?", t ? t->h.oem_revision : 0, e->h.oem_revision);
			break;
		default:
			printf("  %s\n", acpi_reason_text(e->reason));
			break;
		}
		for (size_t w = 0; w < sizeof(warn_table) / sizeof(warn_table[0]); w++)
			if (e->warnings & warn_table[w].bit)
				printf("  warning: %s\n", warn_table[w].text);
	}
}

static void print_plan_json(const char *src, bool lockdown, const struct table_set *cs,
			    const struct table_set *ts, const struct acpi_plan_entry *p)
{
	struct json j;
	char hex[SHA256_HEX_SIZE];

	json_init(&j, stdout);
	json_obj_begin(&j);
	if (src)
		json_kstr(&j, "against", src);
	json_key(&j, "lockdown");
	json_bool(&j, lockdown);
	json_key(&j, "tables");
	json_arr_begin(&j);
	for (uint32_t i = 0; i < cs->n; i++) {
		const struct table_file *c = &cs->f[i];
		const struct acpi_plan_entry *e = &p[i];
		json_obj_begin(&j);
		json_kstr(&j, "file", c->path);
		json_kstr(&j, "name", c->name);
		json_kstr(&j, "verdict", acpi_verdict_name(e->verdict));
		json_kstr(&j, "reason", reason_name(e->reason));
		json_kstr(&j, "reason_text", acpi_reason_text(e->reason));
		if (e->have_header) {
			char id[ACPI_IDENTITY_MAX];
			acpi_identity(&e->h, id);
			json_kstr(&j, "identity", id);
			json_key(&j, "signature");
			json_bytes(&j, e->h.signature, 4);
			json_key(&j, "oem_id");
			json_bytes(&j, e->h.oem_id, 6);
			json_key(&j, "oem_table_id");
			json_bytes(&j, e->h.oem_table_id, 8);
			json_ku64(&j, "oem_revision", e->h.oem_revision);
		}
		sha256_hex(c->sha256, hex);
		json_kstr(&j, "sha256", hex);
		json_key(&j, "target");
		if (e->target >= 0 && ts) {
			const struct table_file *t = &ts->f[e->target];
			char id[ACPI_IDENTITY_MAX];
			acpi_identity(&t->h, id);
			json_obj_begin(&j);
			json_kstr(&j, "file", t->path);
			json_kstr(&j, "name", t->name);
			json_kstr(&j, "identity", id);
			json_ku64(&j, "oem_revision", t->h.oem_revision);
			sha256_hex(t->sha256, hex);
			json_kstr(&j, "sha256", hex);
			json_obj_end(&j);
		} else {
			json_null(&j);
		}
		json_key(&j, "warnings");
		json_arr_begin(&j);
		for (size_t w = 0; w < sizeof(warn_table) / sizeof(warn_table[0]); w++)
			if (e->warnings & warn_table[w].bit)
				json_str(&j, warn_table[w].name);
		json_arr_end(&j);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
}

/* Plan cs against the machine in src (NULL: nothing to match, the kernel's
 * checks only).  *p is allocated; returns 0 or EXIT_BAD. */
static int make_plan(const struct table_set *cs, const char *src, bool lockdown,
		     struct table_set *ts, struct acpi_plan_entry **p)
{
	memset(ts, 0, sizeof(*ts));
	if (src && table_set_load_machine(ts, src) != 0)
		return EXIT_BAD;
	struct acpi_candidate *c = calloc(cs->n + 1, sizeof(*c));
	struct acpi_target *t = calloc(ts->n + 1, sizeof(*t));
	*p = calloc(cs->n + 1, sizeof(**p));
	if (!c || !t || !*p) {
		free(c);
		free(t);
		free(*p);
		table_set_free(ts);
		return bad("out of memory");
	}
	table_set_candidates(cs, c);
	table_set_targets(ts, t);
	int rc = acpi_plan(c, cs->n, t, ts->n, lockdown ? ACPI_PLAN_LOCKDOWN : 0, *p);
	free(c);
	free(t);
	if (rc < 0) {
		free(*p);
		table_set_free(ts);
		return bad("planning failed: %s", fwk_strerror(rc));
	}
	return 0;
}

static int do_check(const char *src, bool lockdown, bool as_json, char **files, int n)
{
	struct table_set cs, ts;
	struct acpi_plan_entry *p;

	if (table_set_load_candidates(&cs, files, n, IMAGES_EXPANDED) != 0)
		return EXIT_BAD;
	lockdown = lockdown || machine_locked_down(src);
	if (make_plan(&cs, src, lockdown, &ts, &p) != 0) {
		table_set_free(&cs);
		return EXIT_BAD;
	}
	if (as_json)
		print_plan_json(src, lockdown, &cs, &ts, p);
	else
		print_plan_text(&cs, &ts, p);
	int rc = EXIT_OK;
	for (uint32_t i = 0; i < cs.n; i++)
		if (plan_is_finding(&p[i]))
			rc = EXIT_FINDING;
	free(p);
	table_set_free(&ts);
	table_set_free(&cs);
	return rc;
}

/* ---- fix ---------------------------------------------------------------- */

static int do_fix(const char *file, const char *out, bool bump, bool set_rev, uint64_t rev)
{
	struct input in;
	struct fwk_fault f = { 0 };

	if (input_open(&in, file) != 0)
		return EXIT_BAD;
	int kind = acpi_table_check(in.data, in.len, &f);
	if (kind < 0) {
		input_release(&in);
		return fault_line(file, &f, kind);
	}
	if (kind != ACPI_KIND_SDT) {
		input_release(&in);
		return bad("%s: Signature: a %s has no OEM revision or checksum to fix", file,
			   kind == ACPI_KIND_FACS ? "FACS" : "RSDP");
	}
	uint8_t *d = malloc(in.len);
	if (!d) {
		input_release(&in);
		return bad("out of memory");
	}
	memcpy(d, in.data, in.len);
	uint64_t len = in.len;
	input_release(&in);

	struct acpi_header h;
	acpi_header_parse(d, len, &h, NULL);
	uint32_t old_rev = h.oem_revision;
	uint8_t old_sum = h.checksum;
	if (bump) {
		if (h.oem_revision == UINT32_MAX) {
			free(d);
			return bad("%s: OEM Revision: already 0xffffffff, cannot be raised", file);
		}
		h.oem_revision++;
	} else if (set_rev) {
		h.oem_revision = (uint32_t)rev;
	}
	acpi_header_write(d, &h);
	d[9] = acpi_checksum_fix_value(d, len);
	acpi_header_parse(d, len, &h, NULL);
	if (acpi_checksum(d, len) != 0) {
		free(d);
		return bad("%s: Checksum: could not be made right", file);
	}
	int rc = output_write(out, d, len);
	if (rc == 0) {
		char id[ACPI_IDENTITY_MAX];
		acpi_identity(&h, id);
		printf("%s: %s (OEM revision %u -> %u, checksum 0x%02x -> 0x%02x)\n", out, id,
		       old_rev, h.oem_revision, old_sum, h.checksum);
	}
	free(d);
	return rc;
}

/* ---- compile ------------------------------------------------------------ */

/* Run argv with stdout and stderr into one buffer; returns the exit status,
 * -1 when it could not run (errno kept), -2 when killed. */
static int run_capture(char *const argv[], char **text)
{
	int fds[2];

	*text = NULL;
	if (pipe2(fds, O_CLOEXEC) != 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	for (;;) {
		if (buf && len + 1 >= cap) {
			char *nb = realloc(buf, cap *= 2);
			if (!nb) {
				free(buf);
				buf = NULL;
			} else {
				buf = nb;
			}
		}
		char sink[4096];
		ssize_t r = read(fds[0], buf ? buf + len : sink, buf ? cap - len - 1 : sizeof(sink));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (buf)
			len += (size_t)r;
	}
	close(fds[0]);
	if (buf)
		buf[len] = '\0';
	*text = buf;
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return -2;
}

/* iasl -vi writes "file(line) : error    6126 - syntax error"; show those as
 * "fwkit: file:line: iasl error 6126 - syntax error". */
static unsigned show_iasl_messages(const char *text, bool *had_error)
{
	unsigned shown = 0;
	const char *p = text;

	*had_error = false;
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		const char *open = memchr(p, '(', n);
		const char *sep = open ? strstr(open, ") : ") : NULL;
		if (open && sep && sep < p + n) {
			const char *kind = sep + 4;
			size_t rest = n - (size_t)(kind - p);
			bool err = rest >= 5 && !strncmp(kind, "error", 5);
			bool warn = rest >= 7 && !strncmp(kind, "warning", 7);
			if (err || warn) {
				int kl = err ? 5 : 7;
				const char *m = kind + kl;
				while (*m == ' ')
					m++;
				fprintf(stderr, "fwkit: %.*s:%.*s: iasl %s %.*s\n", (int)(open - p), p,
					(int)(sep - open - 1), open + 1, err ? "error" : "warning",
					(int)(n - (size_t)(m - p)), m);
				shown++;
				if (err)
					*had_error = true;
			}
		}
		p = nl ? nl + 1 : NULL;
	}
	return shown;
}

/* Remove dir and the files directly in it (iasl's outputs). */
static void remove_tree_flat(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (d) {
		while ((de = readdir(d)) != NULL) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			unlinkat(dirfd(d), de->d_name, 0);
		}
		closedir(d);
	}
	rmdir(dir);
}

static int do_compile(const char *src, const char *out)
{
	char dir[] = "/tmp/fwkit-iasl.XXXXXX";
	const char *iasl = getenv("FWKIT_IASL");

	if (!iasl || !*iasl)
		iasl = "iasl";
	if (access(src, R_OK) != 0)
		return bad("%s: %s", src, strerror(errno));
	if (!mkdtemp(dir))
		return bad("cannot make a temporary directory: %s", strerror(errno));
	char prefix[64];
	snprintf(prefix, sizeof(prefix), "%s/out", dir);
	char *argv[] = { (char *)iasl, "-vi", "-p", prefix, (char *)src, NULL };
	char *text = NULL;
	int st = run_capture(argv, &text);
	char aml[80];
	snprintf(aml, sizeof(aml), "%s.aml", prefix);
	int rc = EXIT_OK;
	bool had_error = false;
	unsigned shown = text ? show_iasl_messages(text, &had_error) : 0;
	if (st == 127 || st == -1) {
		rc = bad("%s: cannot run %s (apt-get install acpica-tools)", src, iasl);
	} else if (st != 0 || had_error) {
		if (!shown)
			rc = bad("%s: iasl failed (exit %d): %s", src, st,
				 text ? strtok(text, "\n") : "no output");
		else
			rc = bad("%s: iasl found errors; nothing written", src);
	} else {
		struct input in;
		struct fwk_fault f = { 0 };
		if (input_open(&in, aml) != 0) {
			rc = bad("%s: iasl wrote no AML", src);
		} else {
			int kind = acpi_table_check(in.data, in.len, &f);
			if (kind < 0)
				rc = fault_line(aml, &f, kind);
			else if (kind != ACPI_KIND_SDT || acpi_checksum(in.data, in.len))
				rc = bad("%s: iasl's output is not a valid table", src);
			else if ((rc = output_write(out, in.data, in.len)) == 0) {
				struct acpi_header h;
				char id[ACPI_IDENTITY_MAX];
				acpi_header_parse(in.data, in.len, &h, NULL);
				acpi_identity(&h, id);
				printf("%s: %s, %llu bytes\n", out, id, (unsigned long long)in.len);
			}
			input_release(&in);
		}
	}
	free(text);
	remove_tree_flat(dir);
	return rc;
}

/* ---- pack --------------------------------------------------------------- */

static int do_pack(const char *out, const char *image, const char *src, bool lockdown,
		   bool force, char **files, int n)
{
	struct table_set cs;
	struct input img = { 0 };
	int rc;

	for (int i = 0; i < n; i++)
		for (int k = 0; k < i; k++)
			if (!strcmp(path_base(files[i]), path_base(files[k])))
				return bad("%s: Name: %s also has this name in %s", files[i],
					   files[k], ACPI_INITRD_PREFIX);
	uint32_t mtime;
	if (source_date_epoch(&mtime) != 0)
		return EXIT_BAD;
	if (table_set_load_candidates(&cs, files, n, IMAGES_REFUSED) != 0)
		return EXIT_BAD;
	uint32_t ours = cs.n;
	if (image) {
		if (input_open(&img, image) != 0) {
			table_set_free(&cs);
			return EXIT_BAD;
		}
		/* Tables already in the image's early archive are read after ours. */
		uint32_t found = 0;
		if (table_set_add_image_tables(&cs, image, img.data, img.len, &found) != 0) {
			input_release(&img);
			table_set_free(&cs);
			return EXIT_BAD;
		}
		if (found)
			msg("%s: already carries %u table(s) under %s; the kernel reads them after these",
			    image, found, ACPI_INITRD_PREFIX);
	}
	if (src)
		lockdown = lockdown || machine_locked_down(src);

	struct table_set ts;
	struct acpi_plan_entry *p;
	if (make_plan(&cs, src, lockdown, &ts, &p) != 0) {
		input_release(&img);
		table_set_free(&cs);
		return EXIT_BAD;
	}
	rc = EXIT_OK;
	/* What the kernel refuses is never packed. */
	for (uint32_t i = 0; i < cs.n; i++)
		if (p[i].verdict == ACPI_REJECTED)
			rc = bad("%s: the kernel would reject it: %s", cs.f[i].path,
				 acpi_reason_text(p[i].reason));
	bool finding = false;
	if (rc == EXIT_OK) {
		if (src)
			print_plan_text(&cs, &ts, p);
		for (uint32_t i = 0; i < cs.n; i++) {
			if (src && plan_is_finding(&p[i]))
				finding = true;
			else if (!src && (p[i].warnings & ACPI_WARN_LONG_NAME))
				msg("%s: warning: %s", cs.f[i].path, warn_table[0].text);
		}
		if (finding && !force) {
			msg("%s: not written: a table would not take effect (--force packs anyway)",
			    out);
			rc = EXIT_FINDING;
		}
	}
	if (rc == EXIT_OK) {
		struct initrd_spec *specs = calloc(ours, sizeof(*specs));
		char **dests = calloc(ours, sizeof(*dests));
		if (!specs || !dests) {
			rc = bad("out of memory");
		} else {
			for (uint32_t i = 0; i < ours && rc == EXIT_OK; i++) {
				size_t dl = strlen(ACPI_INITRD_PREFIX) + strlen(cs.f[i].name) + 1;
				dests[i] = malloc(dl);
				if (!dests[i]) {
					rc = bad("out of memory");
					break;
				}
				snprintf(dests[i], dl, "%s%s", ACPI_INITRD_PREFIX, cs.f[i].name);
				specs[i].dest = dests[i];
				specs[i].src = files[i];
			}
		}
		if (rc == EXIT_OK) {
			/* No data alignment: it would pad names with NULs and make
			 * the kernel warn about their length. */
			struct initrd_build_opts bo = { .compress = INITRD_CPIO, .block = 512,
							.mtime = mtime };
			char err[768];
			if (initrd_build(out, specs, ours, &bo, image ? img.data : NULL,
					 image ? img.len : 0, err, sizeof(err)))
				rc = bad("%s", err);
			else
				printf("%s: %u table(s) under %s in an uncompressed early cpio%s%s\n",
				       out, ours, ACPI_INITRD_PREFIX, image ? ", followed by " : "",
				       image ? image : "");
		}
		for (uint32_t i = 0; dests && i < ours; i++)
			free(dests[i]);
		free(dests);
		free(specs);
	}
	free(p);
	table_set_free(&ts);
	table_set_free(&cs);
	input_release(&img);
	return rc;
}

/* ---- dispatch ----------------------------------------------------------- */

int cmd_acpi(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ "against", required_argument, NULL, 'a' },
		{ "lockdown", no_argument, NULL, 'L' },
		{ "oem-revision", required_argument, NULL, 'r' },
		{ "bump", no_argument, NULL, 'b' },
		{ "output", required_argument, NULL, 'o' },
		{ "initrd", required_argument, NULL, 'i' },
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(acpi_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_BAD : EXIT_OK;
	}
	const char *sub = argv[1];
	char cmd[32];
	snprintf(cmd, sizeof(cmd), "acpi %s", sub);
	if (strcmp(sub, "info") && strcmp(sub, "check") && strcmp(sub, "fix") &&
	    strcmp(sub, "compile") && strcmp(sub, "pack"))
		return usage_error("acpi", "unknown command '%s'", sub);

	bool as_json = false, lockdown = false, bump = false, set_rev = false, force = false;
	const char *against = NULL, *out = NULL, *image = NULL;
	uint64_t rev = 0;
	int c;

	optind = 1;
	while ((c = getopt_long(argc - 1, argv + 1, "ho:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': fputs(acpi_help, stdout); return EXIT_OK;
		case 'j': as_json = true; break;
		case 'a': against = optarg; break;
		case 'L': lockdown = true; break;
		case 'b': bump = true; break;
		case 'f': force = true; break;
		case 'o': out = optarg; break;
		case 'i': image = optarg; break;
		case 'r':
			if (!parse_u64(optarg, UINT32_MAX, &rev))
				return usage_error(cmd, "--oem-revision: '%s' is not a number up to 0xffffffff",
						   optarg);
			set_rev = true;
			break;
		default: return bad_option(cmd, argv + 1);
		}
	}
	char **args = argv + 1 + optind;
	int nargs = argc - 1 - optind;

	if (!strcmp(sub, "info")) {
		if (nargs < 1)
			return usage_error(cmd, "expects at least one TABLE");
		return do_info(args, nargs, as_json);
	}
	if (!strcmp(sub, "check")) {
		if (!against)
			return usage_error(cmd, "--against SRC is required");
		if (nargs < 1)
			return usage_error(cmd, "expects at least one TABLE");
		return do_check(against, lockdown, as_json, args, nargs);
	}
	if (!out)
		return usage_error(cmd, "-o OUT is required");
	if (!strcmp(sub, "fix")) {
		if (nargs != 1)
			return usage_error(cmd, "expects one TABLE");
		if (bump && set_rev)
			return usage_error(cmd, "--bump and --oem-revision exclude each other");
		return do_fix(args[0], out, bump, set_rev, rev);
	}
	if (!strcmp(sub, "compile")) {
		if (nargs != 1)
			return usage_error(cmd, "expects one FILE.dsl");
		return do_compile(args[0], out);
	}
	if (nargs < 1)
		return usage_error(cmd, "expects at least one TABLE");
	return do_pack(out, image, against, lockdown, force, args, nargs);
}

/* SPDX-License-Identifier: MIT */
/* boot.c - `fwkit boot verify`: run in the initramfs, confirm that each ACPI
 * table the initrd carried took effect, taint the kernel and record it. */
#include "cli.h"
#include "boot.h"
#include "ledger.h"
#include "tables.h"

#include <fwkit/acpi.h>
#include <fwkit/taint.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char boot_help[] =
	"usage: fwkit boot verify [--root DIR] [--tables DIR] [--tainted FILE]\n"
	"                         [--kmsg FILE] [--ledger FILE] [--lockdown FILE]\n"
	"                         [--cpuinfo FILE] [--cpu SIG[,PF]]\n"
	"       fwkit boot scan [--json] MODULE[:CMDLINE]...\n"
	"\n"
	"  scan    the hypervisor boot pipeline over module files, as a dry run\n"
	"          that writes nothing (see 'fwkit boot scan --help')\n"
	"\n"
	"  verify  for each table under DIR/kernel/firmware/acpi/ (what the kernel's\n"
	"          initrd table upgrade read; the initramfs keeps a copy), decide\n"
	"          from the live tables whether the running kernel uses it.\n"
	"          Applied: sets taint bit 8 ('A') through the taint file, writes\n"
	"          one line naming the table and its SHA-256 to the kernel log and\n"
	"          appends a ledger record.  Not applied: one warning line in the\n"
	"          kernel log with the most likely reason.  Nothing is tainted when\n"
	"          nothing took effect.\n"
	"          Then for DIR/kernel/x86/microcode/GenuineIntel.bin and\n"
	"          AuthenticAMD.bin: the newest update for this CPU against the\n"
	"          revision it runs.  Applied: one line with its SHA-256 in the\n"
	"          kernel log and a ledger record (no taint: the kernel loaded it\n"
	"          as designed).  Not applied: one warning line, and exit 1 unless\n"
	"          the CPU runs under a hypervisor, which owns microcode.\n"
	"\n"
	"  --root DIR       the initramfs root (default /)\n"
	"  --tables DIR     live tables (default /sys/firmware/acpi/tables)\n"
	"  --tainted FILE   taint mask (default /proc/sys/kernel/tainted)\n"
	"  --kmsg FILE      kernel log, read for 'Table Upgrade' lines and written\n"
	"                   to (default /dev/kmsg)\n"
	"  --ledger FILE    ledger (default " LEDGER_DEFAULT_PATH ")\n"
	"  --lockdown FILE  lockdown state (default /sys/kernel/security/lockdown)\n"
	"  --cpuinfo FILE   the running microcode revision and the hypervisor flag\n"
	"                   (default /proc/cpuinfo)\n"
	"  --cpu SIG[,PF]   the CPU to judge for (default: this one, by CPUID)\n"
	"\n"
	"Exit status: 0 every table and microcode update took effect (or there were\n"
	"none); 1 some did not; 2 bad usage or unreadable input.\n";

/* The candidate files, sorted by name as fwkit and mkinitramfs pack them. */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_tables(const char *dir, char ***paths, int *n)
{
	*paths = NULL;
	*n = 0;
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : bad("%s: %s", dir, strerror(errno));
	struct dirent *de;
	int cap = 0, rc = 0;
	while ((de = readdir(d)) != NULL) {
		char *p = malloc(strlen(dir) + strlen(de->d_name) + 2);
		struct stat st;
		if (!p) {
			rc = bad("out of memory");
			break;
		}
		sprintf(p, "%s/%s", dir, de->d_name);
		if (stat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
			free(p);
			continue;
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			char **np = realloc(*paths, (size_t)cap * sizeof(*np));
			if (!np) {
				free(p);
				rc = bad("out of memory");
				break;
			}
			*paths = np;
		}
		(*paths)[(*n)++] = p;
	}
	closedir(d);
	if (*n)
		qsort(*paths, (size_t)*n, sizeof(**paths), cmp_str);
	return rc;
}

/* The whole kernel log as text: /dev/kmsg gives one record per read and
 * EAGAIN at the end when opened non-blocking; a plain file is read whole. */
static char *read_kmsg(const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	while (buf) {
		if (cap - len < 8192) {
			char *nb = realloc(buf, cap *= 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
		}
		ssize_t r = read(fd, buf + len, cap - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EPIPE) /* a record was overwritten: go on */
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	if (buf)
		buf[len] = '\0';
	return buf;
}

/* "override [DSDT-BOCHS -BXPC    ]" in the log, as the kernel prints it;
 * or, when the log shows the kernel read the file ("DSDT ACPI table found
 * in initrd [kernel/firmware/acpi/NAME]", NAME cut to 17 characters) but
 * upgraded nothing with its IDs, ACPI_LOG_NEITHER. */
static enum acpi_log_hint log_hint(const char *log, const struct acpi_header *h,
				   const char *name)
{
	char want[128];

	if (!log)
		return ACPI_LOG_UNKNOWN;
	if (memchr(h->oem_id, 0, 6) || memchr(h->oem_table_id, 0, 8))
		return ACPI_LOG_UNKNOWN; /* %.Ns stops at a NUL: cannot match exactly */
	snprintf(want, sizeof(want), "Table Upgrade: override [%.4s-%.6s-%.8s]", h->signature,
		 h->oem_id, h->oem_table_id);
	if (strstr(log, want))
		return ACPI_LOG_OVERRIDE;
	snprintf(want, sizeof(want), "Table Upgrade: install [%.4s-%.6s-%.8s]", h->signature,
		 h->oem_id, h->oem_table_id);
	if (strstr(log, want))
		return ACPI_LOG_INSTALL;
	snprintf(want, sizeof(want), "%.4s ACPI table found in initrd [%s%.17s]", h->signature,
		 ACPI_INITRD_PREFIX, name);
	if (strstr(log, want))
		return ACPI_LOG_NEITHER;
	return ACPI_LOG_UNKNOWN;
}

static bool locked_down(const char *lockdown_file, const char *log)
{
	if (log && strstr(log, "kernel is locked down, ignoring table override"))
		return true;
	FILE *f = fopen(lockdown_file, "r");
	if (!f)
		return false;
	char line[128] = "";
	bool locked = fgets(line, sizeof(line), f) && !strstr(line, "[none]");
	fclose(f);
	return locked;
}

/* One line into the kernel log (level 5 notice, 4 warning), and stdout. */
void kmsg_line(const char *kmsg, int level, const char *text)
{
	printf("%s\n", text);
	int fd = open(kmsg, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return;
	char line[1024];
	int n = snprintf(line, sizeof(line), "<%d>fwkit: %s\n", level, text);
	if (n > 0) {
		ssize_t w = write(fd, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
		(void)w;
	}
	close(fd);
}

bool ledger_has(const struct ledger_record *recs, size_t n, const struct ledger_record *r)
{
	for (size_t i = 0; i < n; i++)
		if (recs[i].kind == r->kind && !memcmp(recs[i].sha256, r->sha256, 32) &&
		    !strcmp(recs[i].source, r->source))
			return true;
	return false;
}

static void copy_str(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src);
}

static int verify_acpi(const struct verify_paths *vp)
{
	char dir[4096];
	char **paths;
	int n;

	snprintf(dir, sizeof(dir), "%s%s%s", vp->root,
		 vp->root[strlen(vp->root) - 1] == '/' ? "" : "/", ACPI_INITRD_PREFIX);
	dir[strlen(dir) - 1] = '\0'; /* no trailing slash */
	if (list_tables(dir, &paths, &n) != 0)
		return EXIT_BAD;
	if (n == 0) {
		printf("fwkit: no ACPI tables under %s: nothing to verify\n", dir);
		free(paths);
		return EXIT_OK;
	}

	struct table_set cs, live;
	if (table_set_load_candidates(&cs, paths, n, IMAGES_AS_FILES) != 0) {
		for (int i = 0; i < n; i++)
			free(paths[i]);
		free(paths);
		return EXIT_BAD;
	}
	for (int i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	if (table_set_load_machine(&live, vp->tables) != 0) {
		table_set_free(&cs);
		return EXIT_BAD;
	}

	char *log = read_kmsg(vp->kmsg);
	bool lockdown = locked_down(vp->lockdown, log);
	struct acpi_candidate *c = calloc(cs.n, sizeof(*c));
	uint8_t(*csha)[32] = calloc(cs.n, 32);
	enum acpi_log_hint *hints = calloc(cs.n, sizeof(*hints));
	struct acpi_target *t = calloc(live.n, sizeof(*t));
	uint8_t(*lsha)[32] = calloc(live.n, 32);
	struct acpi_verify_entry *out = calloc(cs.n, sizeof(*out));
	int rc = EXIT_OK;
	if (!c || !csha || !hints || !t || !lsha || !out) {
		rc = bad("out of memory");
		goto done;
	}
	table_set_candidates(&cs, c);
	table_set_targets(&live, t);
	for (uint32_t i = 0; i < cs.n; i++) {
		memcpy(csha[i], cs.f[i].sha256, 32);
		hints[i] = cs.f[i].have_header ? log_hint(log, &cs.f[i].h, cs.f[i].name) : ACPI_LOG_UNKNOWN;
	}
	for (uint32_t i = 0; i < live.n; i++)
		memcpy(lsha[i], live.f[i].sha256, 32);
	int applied = acpi_verify(c, (const uint8_t(*)[32])csha, hints, cs.n, t,
				  (const uint8_t(*)[32])lsha, live.n,
				  lockdown ? ACPI_PLAN_LOCKDOWN : 0, out);
	if (applied < 0) {
		rc = bad("verification failed: %s", fwk_strerror(applied));
		goto done;
	}

	struct ledger_record *old = NULL;
	size_t nold = 0;
	if (applied > 0 && ledger_read(vp->ledger, &old, &nold) != 0)
		rc = EXIT_BAD; /* still taint and log below: the kernel did take them */
	if (applied > 0 && taint_add(vp->tainted, TAINT_OVERRIDDEN_ACPI_TABLE) != 0)
		rc = EXIT_BAD;

	for (uint32_t i = 0; i < cs.n; i++) {
		const struct table_file *f = &cs.f[i];
		const struct acpi_verify_entry *e = &out[i];
		char id[ACPI_IDENTITY_MAX] = "(no header)", hex[SHA256_HEX_SIZE], line[900];
		if (f->have_header)
			acpi_identity(&f->h, id);
		sha256_hex(f->sha256, hex);
		const char *src = f->path + strlen(vp->root);
		while (*src == '/')
			src++;
		if (e->outcome == ACPI_NOT_APPLIED) {
			const char *why = acpi_verify_text(e->why);
			char extra[200] = "";
			if (e->why == ACPI_V_REJECTED)
				snprintf(extra, sizeof(extra), " (%s)", acpi_reason_text(e->plan.reason));
			else if (e->why == ACPI_V_REVISION_NOT_GREATER && e->live >= 0)
				snprintf(extra, sizeof(extra), " (firmware's %s has OEM revision %u)",
					 live.f[e->live].name, live.f[e->live].h.oem_revision);
			snprintf(line, sizeof(line), "ACPI %s from initrd %s NOT applied: %s%s", id,
				 src, why, extra);
			kmsg_line(vp->kmsg, 4, line);
			if (rc == EXIT_OK)
				rc = EXIT_FINDING;
			continue;
		}
		bool ovr = e->outcome == ACPI_APPLIED_OVERRIDE;
		snprintf(line, sizeof(line),
			 "ACPI %s from initrd %s applied (%s), sha256 %s; tainting kernel (A)", id,
			 src, ovr ? "override" : "install", hex);
		kmsg_line(vp->kmsg, 5, line);

		struct ledger_record r;
		memset(&r, 0, sizeof(r));
		r.kind = ovr ? LEDGER_ACPI_OVERRIDE : LEDGER_ACPI_INSTALL;
		copy_str(r.identity, sizeof(r.identity), id);
		snprintf(r.source, sizeof(r.source), "initrd:/%s", src);
		memcpy(r.sha256, f->sha256, 32);
		snprintf(r.reason, sizeof(r.reason), "%s",
			 ovr ? "initrd table upgrade: replaced the firmware table with the same IDs "
			       "and a lower OEM revision"
			     : "initrd table upgrade: installed as a new table");
		r.taint_bit = (int)TAINT_OVERRIDDEN_ACPI_TABLE;
		if (!ledger_has(old, nold, &r) && ledger_append(vp->ledger, &r) != 0)
			rc = EXIT_BAD;
	}
	free(old);
done:
	free(c);
	free(csha);
	free(hints);
	free(t);
	free(lsha);
	free(out);
	free(log);
	table_set_free(&live);
	table_set_free(&cs);
	return rc;
}

int cmd_boot(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "root", required_argument, NULL, 'r' },
		{ "tables", required_argument, NULL, 't' },
		{ "tainted", required_argument, NULL, 'T' },
		{ "kmsg", required_argument, NULL, 'k' },
		{ "ledger", required_argument, NULL, 'l' },
		{ "lockdown", required_argument, NULL, 'L' },
		{ "cpuinfo", required_argument, NULL, 'C' },
		{ "cpu", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(boot_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_BAD : EXIT_OK;
	}
	const char *sub = argv[1];
	if (!strcmp(sub, "scan"))
		return cmd_boot_scan(argc - 1, argv + 1);
	if (strcmp(sub, "verify"))
		return usage_error("boot", "unknown command '%s'", sub);
	struct verify_paths vp = {
		.root = "/",
		.tables = "/sys/firmware/acpi/tables",
		.tainted = "/proc/sys/kernel/tainted",
		.kmsg = "/dev/kmsg",
		.ledger = LEDGER_DEFAULT_PATH,
		.lockdown = "/sys/kernel/security/lockdown",
		.cpuinfo = "/proc/cpuinfo",
	};
	struct ucode_cpu cpu;
	int c;
	optind = 1;
	while ((c = getopt_long(argc - 1, argv + 1, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': fputs(boot_help, stdout); return EXIT_OK;
		case 'r': vp.root = optarg; break;
		case 't': vp.tables = optarg; break;
		case 'T': vp.tainted = optarg; break;
		case 'k': vp.kmsg = optarg; break;
		case 'l': vp.ledger = optarg; break;
		case 'L': vp.lockdown = optarg; break;
		case 'C': vp.cpuinfo = optarg; break;
		case 'c':
			if (!parse_cpu(optarg, &cpu))
				return usage_error("boot verify", "--cpu: '%s' is not SIG[,PF]", optarg);
			vp.cpu = &cpu;
			break;
		default: return bad_option("boot verify", argv + 1);
		}
	}
	if (argc - 1 - optind != 0)
		return usage_error("boot verify", "takes no arguments");
	if (!*vp.root)
		return usage_error("boot verify", "--root is empty");
	int rc = verify_acpi(&vp), rm = verify_microcode(&vp);
	return rm > rc ? rm : rc;
}

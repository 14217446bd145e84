/* SPDX-License-Identifier: MIT */
/* boot_scan.c - `fwkit boot scan`: the boot pipeline of fwkit/bootpipe.h
 * over module files on a host, as a dry run; arguments and output only. */
#include "cli.h"

#include <fwkit/bootpipe.h>
#include <fwkit/sha256.h>

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char scan_help[] =
	"usage: fwkit boot scan [--json] MODULE[:CMDLINE]...\n"
	"\n"
	"Run the pipeline a hypervisor or boot loader runs over its boot modules\n"
	"(the same code as the freestanding test kernel) over files, and print its\n"
	"report.  Each module is classified by its bytes (acpi-table, dtb,\n"
	"dt-overlay, cpio, compressed, ucode-intel, ucode-amd, fwb, kernel,\n"
	"unknown), validated completely and handed on as a boot would: microcode\n"
	"first, then ACPI tables, then overlays planned against the first dtb, then\n"
	"blobs; what a cpio carries (kernel/x86/microcode/, kernel/firmware/acpi/,\n"
	"kernel/firmware/dtb/overlays/, lib/firmware/*.fwb) too.  The report:\n"
	"  fwkit boot report: N modules\n"
	"  module I NAME: KIND, LEN bytes, sha256 HEX16: REASON\n"
	"  ... one line per step ...\n"
	"  summary: A applied, P passed, R rejected, F failed, H no handler,\n"
	"           G ignored; taint MASK\n"
	"byte for byte what the test kernel prints for the same modules.\n"
	"\n"
	"  MODULE[:CMDLINE]  a module file and its command line, whose first word\n"
	"                    names it in the report and whose words fwkit=KIND and\n"
	"                    fwkit=ignore are hints.  Without CMDLINE the command\n"
	"                    line is the whole argument, as QEMU's -initrd \"a,b\"\n"
	"                    passes each module's (so give 'FILE:FILE fwkit=...' to\n"
	"                    keep the name).  The split is at the first ':' only\n"
	"                    when the part before it names an existing file;\n"
	"                    otherwise the whole argument is the file name, so a\n"
	"                    path containing ':' still works.  'FILE:' gives an\n"
	"                    empty command line (the module is named moduleN)\n"
	"  --json            one JSON document: per module its index, name, file,\n"
	"                    cmdline, kind, valid, verdict, reason, sha256, size,\n"
	"                    items and taint_bit; the summary; the taint mask\n"
	"\n"
	"A dry run: nothing is written, neither /proc/sys/kernel/tainted nor the\n"
	"ledger.  The platform is taken to accept every valid item: scan does not\n"
	"know the firmware's ACPI tables, so every valid table is reported as an\n"
	"install ('fwkit acpi check --against SRC' predicts overrides), and every\n"
	"valid overlay, microcode file and blob as applied.  The taint mask is what\n"
	"a boot would set.\n"
	"\n"
	"Exit status: 0 every module applied, passed or ignored; 1 something was\n"
	"rejected, failed or had no handler (the report says what); 2 bad usage or\n"
	"an unreadable file.\n";

static const char *const cmd = "boot scan";

/* The report text grows to this at most before scan gives up. */
#define SCAN_TEXT_MAX ((size_t)256 << 20)

/* One MODULE[:CMDLINE] argument, its file opened. */
struct scan_module {
	char *file;            /* owned */
	const char *cmdline;   /* into argv */
	struct input in;
};

/* Split arg at its first ':' when what precedes it names an existing file
 * that is not a directory; else the whole of arg is the file and its own
 * command line.  false only when out of memory. */
static bool split_arg(const char *arg, struct scan_module *m)
{
	const char *colon = strchr(arg, ':');

	m->cmdline = arg;
	if (colon && colon != arg) {
		struct stat st;
		char *head = strndup(arg, (size_t)(colon - arg));
		if (!head)
			return false;
		if (stat(head, &st) == 0 && !S_ISDIR(st.st_mode)) {
			m->file = head;
			m->cmdline = colon + 1;
			return true;
		}
		free(head);
	}
	m->file = strdup(arg);
	return m->file != NULL;
}

/* The platform a host scan stands for: it takes every item it is handed. */
static int take_acpi(void *ctx, const char *source, const char *path, const uint8_t *table,
		     uint64_t len, const struct acpi_header *h)
{
	(void)ctx, (void)source, (void)path, (void)table, (void)len, (void)h;
	return 0; /* installed: scan does not know the firmware's tables */
}

static int take_overlay(void *ctx, const char *source, const char *path, const uint8_t *dtbo,
			uint64_t len, const uint8_t *base, uint64_t base_len)
{
	(void)ctx, (void)source, (void)path, (void)dtbo, (void)len, (void)base, (void)base_len;
	return 0;
}

static int take_microcode(void *ctx, const char *source, const char *path,
			  enum ucode_vendor vendor, const uint8_t *data, uint64_t len,
			  uint32_t updates)
{
	(void)ctx, (void)source, (void)path, (void)vendor, (void)data, (void)len, (void)updates;
	return 0;
}

static int take_blob(void *ctx, const char *source, const char *path, const uint8_t *fwb,
		     uint64_t len, const struct fwb_info *info)
{
	(void)ctx, (void)source, (void)path, (void)fwb, (void)len, (void)info;
	return 0;
}

/* A dry run records nothing; the mask is still counted by the pipeline. */
static void record_nothing(void *ctx, const struct ledger_record *r)
{
	(void)ctx, (void)r;
}

/* The length of the UTF-8 sequence at s[0..n), 0 when none starts there. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned lo = 0x80, hi = 0xbf;
	size_t k;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		k = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		k = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		k = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0; /* overlong */
	else if (s[0] == 0xed)
		hi = 0x9f; /* surrogates */
	else if (s[0] == 0xf0)
		lo = 0x90; /* overlong */
	else if (s[0] == 0xf4)
		hi = 0x8f; /* past U+10FFFF */
	if (k > n || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < k; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return k;
}

/* A string as JSON: as it is when valid UTF-8 (file names, command lines
 * and module bytes need not be), else every byte outside ASCII escaped. */
static void json_text(struct json *j, const char *key, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), k;

	json_key(j, key);
	for (size_t i = 0; i < n; i += k)
		if ((k = utf8_len(u + i, n - i)) == 0) {
			json_bytes(j, s, n);
			return;
		}
	json_strn(j, s, n);
}

static void print_json(const struct boot_report *rep, const struct scan_module *m, uint32_t n)
{
	struct json j;

	json_init(&j, stdout);
	json_obj_begin(&j);
	json_key(&j, "modules");
	json_arr_begin(&j);
	for (uint32_t i = 0; i < rep->nresults; i++) {
		const struct boot_result *r = &rep->results[i];
		char hex[SHA256_HEX_SIZE];

		json_obj_begin(&j);
		json_ku64(&j, "index", r->module);
		json_text(&j, "name", r->name);
		if (r->module < n) {
			json_text(&j, "file", m[r->module].file);
			json_text(&j, "cmdline", m[r->module].cmdline);
			json_ku64(&j, "size", m[r->module].in.len);
		}
		json_kstr(&j, "kind", boot_kind_name(r->kind));
		json_key(&j, "valid");
		json_bool(&j, r->valid);
		json_kstr(&j, "verdict", boot_verdict_name(r->verdict));
		json_text(&j, "reason", r->reason);
		sha256_hex(r->sha256, hex);
		json_kstr(&j, "sha256", hex);
		json_ku64(&j, "items", r->items);
		json_key(&j, "taint_bit");
		if (r->taint_bit >= 0)
			json_u64(&j, (uint64_t)r->taint_bit);
		else
			json_null(&j);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_key(&j, "summary");
	json_obj_begin(&j);
	json_ku64(&j, "applied", rep->applied);
	json_ku64(&j, "passed", rep->passed);
	json_ku64(&j, "rejected", rep->rejected);
	json_ku64(&j, "failed", rep->failed);
	json_ku64(&j, "no_handler", rep->no_handler);
	json_ku64(&j, "ignored", rep->ignored);
	json_obj_end(&j);
	json_ku64(&j, "taint_mask", rep->taint_mask);
	json_obj_end(&j);
}

/* Run the pipeline over the opened modules, the text buffer grown until the
 * report fits; print it.  The exit status. */
static int scan(struct scan_module *m, uint32_t n, bool json)
{
	static const struct boot_platform pf = {
		.install_acpi = take_acpi,
		.apply_dt_overlay = take_overlay,
		.load_microcode = take_microcode,
		.deliver_blob = take_blob,
		.taint = record_nothing,
	};
	struct boot_module *mods = calloc(n, sizeof(*mods));
	struct boot_result *results = calloc(n, sizeof(*results));
	struct boot_report rep;
	uint64_t largest = 0;
	uint32_t *scratch = NULL;
	char *text = NULL;
	int rc;

	for (uint32_t i = 0; i < n; i++)
		if (m[i].in.len > largest)
			largest = m[i].in.len;
	size_t words = BOOT_SCRATCH_WORDS(largest);
	if (mods && results)
		scratch = malloc(words * sizeof(*scratch));
	if (!scratch) {
		rc = bad("out of memory");
		goto done;
	}
	for (uint32_t i = 0; i < n; i++) {
		mods[i].data = m[i].in.data;
		mods[i].size = m[i].in.len;
		mods[i].cmdline = m[i].cmdline;
		mods[i].cmdline_len = (uint32_t)strlen(m[i].cmdline);
		mods[i].role = BOOT_ROLE_NONE;
	}
	/* A few lines per module; a cpio adds a line per member it carries. */
	size_t cap = 4096 + (size_t)n * 512;
	for (;;) {
		free(text);
		if (!(text = malloc(cap))) {
			rc = bad("out of memory");
			goto done;
		}
		memset(&rep, 0, sizeof(rep));
		rep.text = text;
		rep.text_cap = cap;
		rep.results = results;
		rep.results_cap = n;
		rc = boot_pipeline_run(mods, n, &pf, scratch, words, &rep);
		if (rc < 0 || !rep.text_truncated)
			break;
		if (cap >= SCAN_TEXT_MAX) {
			rc = bad("the report is longer than %zu bytes", SCAN_TEXT_MAX);
			goto done;
		}
		cap *= 2; /* the callbacks keep nothing: running again is the same run */
	}
	if (rc < 0) {
		rc = bad("the boot pipeline refused the modules: %s", fwk_strerror(rc));
		goto done;
	}
	if (json)
		print_json(&rep, m, n);
	else /* text_len < text_cap by the contract; never trust past the buffer */
		fwrite(rep.text, 1, rep.text_len < cap ? rep.text_len : strnlen(text, cap), stdout);
	if (fflush(stdout) != 0 || ferror(stdout))
		rc = bad("writing the report failed");
	else
		rc = rc == 0 ? EXIT_OK : EXIT_FINDING;
done:
	free(text);
	free(scratch);
	free(results);
	free(mods);
	return rc;
}

int cmd_boot_scan(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': fputs(scan_help, stdout); return EXIT_OK;
		case 'j': json = true; break;
		default: return bad_option(cmd, argv);
		}
	}
	if (optind >= argc)
		return usage_error(cmd, "expects at least one MODULE");
	if ((unsigned)(argc - optind) > BOOT_MODULES_MAX)
		return usage_error(cmd, "%d modules: at most %u", argc - optind, BOOT_MODULES_MAX);

	uint32_t n = (uint32_t)(argc - optind), opened = 0;
	struct scan_module *m = calloc(n, sizeof(*m));
	int rc = EXIT_OK;

	if (!m)
		return bad("out of memory");
	for (; opened < n; opened++) {
		const char *arg = argv[optind + (int)opened];
		struct scan_module *sm = &m[opened];
		if (!*arg) {
			rc = usage_error(cmd, "an empty MODULE");
			break;
		}
		if (!split_arg(arg, sm)) {
			rc = bad("out of memory");
			break;
		}
		if (strlen(sm->cmdline) > BOOT_CMDLINE_MAX) {
			rc = bad("%s: the command line is longer than %u bytes", sm->file,
				 BOOT_CMDLINE_MAX);
			opened++; /* free its name below */
			break;
		}
		if (input_open(&sm->in, sm->file) != 0) {
			rc = EXIT_BAD;
			opened++;
			break;
		}
	}
	if (rc == EXIT_OK)
		rc = scan(m, n, json);
	for (uint32_t i = 0; i < opened; i++) {
		input_release(&m[i].in);
		free(m[i].file);
	}
	free(m);
	return rc;
}

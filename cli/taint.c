/* SPDX-License-Identifier: MIT */
/* taint.c - `fwkit taint show|decode`, and the ledger file the boot check
 * appends to (one JSON record per line). */
#include "cli.h"
#include "ledger.h"

#include <fwkit/taint.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char taint_help[] =
	"usage: fwkit taint show [--json] [--tainted FILE] [--ledger FILE]\n"
	"                        [--tcg OUT [--pcr N]]\n"
	"       fwkit taint decode [--json] MASK\n"
	"\n"
	"  show    decode the kernel's taint mask (/proc/sys/kernel/tainted) and list\n"
	"          fwkit's ledger (" LEDGER_DEFAULT_PATH "): one record per firmware\n"
	"          table or blob that replaced or added to the platform's own, with\n"
	"          the SHA-256 of what took effect.  --tcg writes the records as a\n"
	"          TCG PC Client crypto-agile event log (SHA-256 bank, EV_IPL events\n"
	"          in PCR N, default 9) that tpm2_eventlog reads\n"
	"  decode  the letters and meaning of each bit set in MASK (decimal or 0x)\n"
	"\n"
	"Exit status: 0 success; 2 bad usage or an unreadable ledger (one line\n"
	"naming the file, the line and the field).\n";

/* ---- the ledger file ------------------------------------------------------ */

int ledger_read(const char *path, struct ledger_record **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	FILE *f = fopen(path, "r");
	if (!f)
		return errno == ENOENT ? 0 : bad("%s: %s", path, strerror(errno));
	char *line = NULL;
	size_t cap = 0, have = 0;
	ssize_t len;
	unsigned lineno = 0;
	int rc = 0;
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			len--;
		if (len == 0)
			continue;
		if (*n == have) {
			have = have ? have * 2 : 16;
			struct ledger_record *nr = realloc(*out, have * sizeof(**out));
			if (!nr) {
				rc = bad("out of memory");
				break;
			}
			*out = nr;
		}
		struct fwk_fault fault = { 0 };
		int r = ledger_parse_json(line, (size_t)len, &(*out)[*n], &fault);
		if (r < 0) {
			rc = bad("%s: line %u: offset %llu: %s: %s", path, lineno,
				 (unsigned long long)fault.offset, fault.field ? fault.field : "json",
				 fault.detail ? fault.detail : fwk_strerror(r));
			break;
		}
		(*n)++;
	}
	free(line);
	fclose(f);
	if (rc) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

static int mkdir_parents(const char *path)
{
	char *p = strdup(path);
	if (!p)
		return -1;
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST) {
			free(p);
			return -1;
		}
		*s = '/';
	}
	free(p);
	return 0;
}

int ledger_append(const char *path, const struct ledger_record *r)
{
	char line[2048];
	int n = ledger_format_json(r, line, sizeof(line) - 1);
	if (n < 0)
		return bad("%s: cannot format a record: %s", path, fwk_strerror(n));
	line[n++] = '\n';
	if (mkdir_parents(path) != 0)
		return bad("%s: cannot create its directory: %s", path, strerror(errno));
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return bad("%s: %s", path, strerror(errno));
	/* One write per record: a reader never sees half a line. */
	ssize_t w = write(fd, line, (size_t)n);
	int e = errno;
	if (fsync(fd) != 0 && w == n)
		e = errno;
	close(fd);
	if (w != n)
		return bad("%s: cannot append: %s", path, strerror(w < 0 ? e : EIO));
	return 0;
}

/* ---- taint bits ---------------------------------------------------------- */

static void decode_text(uint64_t mask)
{
	char letters[TAINT_BITS + 1];

	taint_letters(mask, letters);
	printf("tainted: %llu (%s)\n", (unsigned long long)mask, mask ? letters : "not tainted");
	for (unsigned b = 0; b < 64; b++) {
		if (!(mask >> b & 1))
			continue;
		const struct taint_flag *t = taint_flag(b);
		if (t)
			printf("  %c  bit %2u  %-24s %s\n", t->letter, b, t->name, t->what);
		else
			printf("  ?  bit %2u  %-24s %s\n", b, "unknown", "not a bit Linux defines");
	}
}

static void decode_json(struct json *j, uint64_t mask)
{
	char letters[TAINT_BITS + 1];

	taint_letters(mask, letters);
	json_ku64(j, "tainted", mask);
	json_kstr(j, "letters", letters);
	json_key(j, "bits");
	json_arr_begin(j);
	for (unsigned b = 0; b < 64; b++) {
		if (!(mask >> b & 1))
			continue;
		const struct taint_flag *t = taint_flag(b);
		char l[2] = { t ? t->letter : '?', 0 };
		json_obj_begin(j);
		json_ku64(j, "bit", b);
		json_kstr(j, "letter", l);
		json_kstr(j, "name", t ? t->name : "unknown");
		json_kstr(j, "what", t ? t->what : "not a bit Linux defines");
		json_obj_end(j);
	}
	json_arr_end(j);
}

int taint_read(const char *path, uint64_t *mask)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return bad("%s: %s", path, strerror(errno));
	char buf[64] = "";
	bool ok = fgets(buf, sizeof(buf), f) != NULL;
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	if (!ok || !parse_u64(buf, UINT64_MAX, mask))
		return bad("%s: not a taint mask: '%s'", path, buf);
	return 0;
}

int taint_add(const char *path, unsigned bit)
{
	uint64_t mask = 0;

	if (taint_read(path, &mask) == 0 && (mask >> bit & 1))
		return 0;
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return bad("%s: cannot set taint bit %u: %s", path, bit, strerror(errno));
	char num[32];
	int n = snprintf(num, sizeof(num), "%llu\n", 1ull << bit);
	ssize_t w = write(fd, num, (size_t)n);
	int e = errno;
	close(fd);
	if (w != n)
		return bad("%s: cannot set taint bit %u: %s", path, bit, strerror(e));
	return 0;
}

static void record_json(struct json *j, const struct ledger_record *r)
{
	char hex[SHA256_HEX_SIZE];

	json_obj_begin(j);
	json_kstr(j, "kind", ledger_kind_name(r->kind));
	json_kstr(j, "identity", r->identity);
	json_kstr(j, "source", r->source);
	sha256_hex(r->sha256, hex);
	json_kstr(j, "sha256", hex);
	json_key(j, "replaced_sha256");
	if (r->have_replaced) {
		sha256_hex(r->replaced_sha256, hex);
		json_str(j, hex);
	} else {
		json_null(j);
	}
	json_kstr(j, "reason", r->reason);
	json_key(j, "taint_bit");
	if (r->taint_bit >= 0)
		json_u64(j, (uint64_t)r->taint_bit);
	else
		json_null(j);
	json_obj_end(j);
}

static int write_tcg(const char *out, const struct ledger_record *r, size_t n, uint32_t pcr)
{
	size_t cap = 256 + n * 4096, len = 0;
	uint8_t *buf = malloc(cap);
	if (!buf)
		return bad("out of memory");
	int w = tcg_log_header(buf, cap);
	if (w < 0) {
		free(buf);
		return bad("%s: cannot write the log header: %s", out, fwk_strerror(w));
	}
	len = (size_t)w;
	for (size_t i = 0; i < n; i++) {
		w = tcg_log_event(&r[i], pcr, buf + len, cap - len);
		if (w < 0) {
			free(buf);
			return bad("%s: record %zu: %s", out, i + 1, fwk_strerror(w));
		}
		len += (size_t)w;
	}
	int rc = output_write(out, buf, len);
	free(buf);
	return rc;
}

static int do_show(bool as_json, const char *tainted, const char *ledger, const char *tcg,
		   uint32_t pcr)
{
	uint64_t mask = 0;
	struct ledger_record *recs;
	size_t n;

	if (taint_read(tainted, &mask) != 0)
		return EXIT_BAD;
	if (ledger_read(ledger, &recs, &n) != 0)
		return EXIT_BAD;
	int rc = EXIT_OK;
	if (tcg)
		rc = write_tcg(tcg, recs, n, pcr);
	if (as_json) {
		struct json j;
		json_init(&j, stdout);
		json_obj_begin(&j);
		decode_json(&j, mask);
		json_kstr(&j, "ledger", ledger);
		json_key(&j, "records");
		json_arr_begin(&j);
		for (size_t i = 0; i < n; i++)
			record_json(&j, &recs[i]);
		json_arr_end(&j);
		json_obj_end(&j);
	} else {
		decode_text(mask);
		printf("ledger %s: %zu record%s\n", ledger, n, n == 1 ? "" : "s");
		for (size_t i = 0; i < n; i++) {
			char line[2048];
			if (ledger_format_text(&recs[i], line, sizeof(line)) >= 0)
				printf("  %s\n", line);
		}
	}
	free(recs);
	return rc;
}

int cmd_taint(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ "tainted", required_argument, NULL, 't' },
		{ "ledger", required_argument, NULL, 'l' },
		{ "tcg", required_argument, NULL, 'g' },
		{ "pcr", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(taint_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_BAD : EXIT_OK;
	}
	const char *sub = argv[1];
	char cmd[32];
	snprintf(cmd, sizeof(cmd), "taint %s", sub);
	if (strcmp(sub, "show") && strcmp(sub, "decode"))
		return usage_error("taint", "unknown command '%s'", sub);

	bool as_json = false;
	const char *tainted = "/proc/sys/kernel/tainted", *ledger = LEDGER_DEFAULT_PATH;
	const char *tcg = NULL;
	uint64_t pcr = TCG_LOG_PCR_DEFAULT;
	int c;

	optind = 1;
	while ((c = getopt_long(argc - 1, argv + 1, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': fputs(taint_help, stdout); return EXIT_OK;
		case 'j': as_json = true; break;
		case 't': tainted = optarg; break;
		case 'l': ledger = optarg; break;
		case 'g': tcg = optarg; break;
		case 'p':
			if (!parse_u64(optarg, 23, &pcr))
				return usage_error(cmd, "--pcr: '%s' is not a PCR index 0..23", optarg);
			break;
		default: return bad_option(cmd, argv + 1);
		}
	}
	char **args = argv + 1 + optind;
	int nargs = argc - 1 - optind;

	if (!strcmp(sub, "decode")) {
		uint64_t mask;
		if (nargs != 1)
			return usage_error(cmd, "expects one MASK");
		if (!parse_u64(args[0], UINT64_MAX, &mask))
			return usage_error(cmd, "'%s' is not a number", args[0]);
		if (as_json) {
			struct json j;
			json_init(&j, stdout);
			json_obj_begin(&j);
			decode_json(&j, mask);
			json_obj_end(&j);
		} else {
			decode_text(mask);
		}
		return EXIT_OK;
	}
	if (nargs)
		return usage_error(cmd, "takes no arguments");
	return do_show(as_json, tainted, ledger, tcg, (uint32_t)pcr);
}

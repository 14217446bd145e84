/* SPDX-License-Identifier: MIT */
/* dt.c - `fwkit dt check|info|apply`: arguments, files and output only; the
 * format lives in override/dt_check.c, override/dt_overlay.c and
 * override/hosted/dt_stack.c. */
#include "cli.h"
#include "ledger.h"

#include <fwkit/cpio.h>
#include <fwkit/dt.h>
#include <fwkit/dt_host.h>
#include <fwkit/initrd_image.h>
#include <fwkit/sha256.h>

#include <getopt.h>
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

static const char dt_help[] =
	"usage: fwkit dt check [-q] [--strict] FILE...\n"
	"       fwkit dt info [--json] FILE\n"
	"       fwkit dt apply -o OUT [--initrd IMAGE] [--ledger FILE | --no-ledger]\n"
	"                      BASE [OVERLAY...]\n"
	"\n"
	"Flattened device trees (.dtb) and overlays (.dtbo, as 'dtc -@' writes them\n"
	"for a /plugin/ source): every byte checked, overlays applied with libfdt\n"
	"only when they provably fit the base.\n"
	"\n"
	"  check  the structure of each FILE, and dtc's sanity warnings\n"
	"  info   header, memory reservations, counts, symbols, fixups, fragments\n"
	"  apply  apply overlays in order to BASE and write the result to OUT\n"
	"\n"
	"Run 'fwkit dt check --help' (info, apply) for a command's options.\n"
	"Exit status: 0 success; 1 a finding (check --strict: warnings; apply: an\n"
	"overlay that does not fit its base); 2 bad usage or a malformed file (one\n"
	"line: FILE: offset N (/node/path): FIELD: detail).\n";

static const char check_help[] =
	"usage: fwkit dt check [-q] [--strict] FILE...\n"
	"\n"
	"Check each DTB or DTBO against the Devicetree Specification's layout and\n"
	"dtc's rules: header, block bounds and overlaps, tokens, names, phandles,\n"
	"__symbols__, __fixups__, __local_fixups__ and overlay fragments.  A good\n"
	"file gets one line on stdout:\n"
	"  FILE: ok: dtb v17, 12 nodes, 40 properties, 3 phandles, 3 symbols\n"
	"  FILE: ok: overlay v17, 2 fragments, 3 fixups, 1 local fixup, ...\n"
	"and each sanity warning one line on stderr, in dtc's words:\n"
	"  FILE: Warning (unit_address_vs_reg): /soc/foo@0: node has a unit name, ...\n"
	"A bad file gets one line on stderr and the next FILE is still checked.\n"
	"\n"
	"  -q, --quiet  nothing on stdout for good files\n"
	"  --strict     warnings are a finding (exit 1)\n"
	"\n"
	"Exit status: 0 all good; 1 warnings with --strict; 2 bad usage or a\n"
	"malformed file (\"fwkit: FILE: offset N (/node/path): FIELD: detail\").\n";

static const char info_help[] =
	"usage: fwkit dt info [--json] FILE\n"
	"\n"
	"Check FILE as 'fwkit dt check' does, then show its header fields, memory\n"
	"reservations, node, property and phandle counts, the deepest nesting,\n"
	"its symbols (label -> path), fixups (label -> path:property:offset ...),\n"
	"overlay fragments (name -> target: a path, a label or a phandle), the\n"
	"number of local fixups and any warnings.\n"
	"\n"
	"  --json  the same as one JSON object\n"
	"\n"
	"Exit status: 0 success; 2 bad usage or a malformed file.\n";

static const char apply_help[] =
	"usage: fwkit dt apply -o OUT [--initrd IMAGE] [--ledger FILE | --no-ledger]\n"
	"                      BASE [OVERLAY...]\n"
	"\n"
	"Apply overlays to the device tree BASE, each to the result of the ones\n"
	"before (so an overlay may use labels an earlier one defined), and write\n"
	"the packed result to OUT.  Every overlay is checked against the tree it\n"
	"goes on before libfdt applies it: its targets and labels must exist there\n"
	"and it may not replace a node's phandle.  Per overlay one line:\n"
	"  OVERLAY: applied: created /a, /b; changed /c\n"
	"Nothing is written when any overlay fails; an existing OUT stays as it was.\n"
	"\n"
	"  -o, --output OUT  written to a temporary file, renamed when complete\n"
	"  --initrd IMAGE    first apply the overlays an initramfs carries: the\n"
	"                    files " DT_OVERLAY_DIR "/*" DT_OVERLAY_SUFFIX "\n"
	"                    (directly in it) of every segment, compressed ones\n"
	"                    too, in byte order of their names; a later archive's\n"
	"                    file replaces an earlier one of the same name\n"
	"  --ledger FILE     append one dt-overlay record per applied overlay once OUT\n"
	"                    is in place (default " LEDGER_DEFAULT_PATH "): the\n"
	"                    overlay's SHA-256, that of the tree it went on, and\n"
	"                    the nodes it created and changed.  No taint bit: an\n"
	"                    overlay applied to a file changes no running kernel\n"
	"  --no-ledger       write no record\n"
	"\n"
	"Exit status: 0 written; 1 an overlay does not fit (one line naming the\n"
	"overlay and the problem: a missing label, target path or phandle, a base\n"
	"without __symbols__, a phandle it would replace, libfdt's refusal); 2 bad\n"
	"usage or a malformed BASE, OVERLAY or IMAGE.\n";

/* ---- shared ------------------------------------------------------------- */

/* A sanity warning dt_check reported, kept until the file is known good so
 * that a bad file gets exactly one line. */
struct warning {
	uint64_t offset;
	char *check, *path, *detail;
};

struct warnings {
	struct warning *w;
	size_t n, cap;
	bool oom;
};

static void warnings_free(struct warnings *ws)
{
	for (size_t i = 0; i < ws->n; i++) {
		free(ws->w[i].check);
		free(ws->w[i].path);
		free(ws->w[i].detail);
	}
	free(ws->w);
	memset(ws, 0, sizeof(*ws));
}

static void on_warning(void *ctx, uint64_t offset, const char *path, const char *check,
		       const char *detail)
{
	struct warnings *ws = ctx;

	if (ws->n == ws->cap) {
		size_t ncap = ws->cap ? ws->cap * 2 : 16;
		struct warning *nw = realloc(ws->w, ncap * sizeof(*nw));
		if (!nw) {
			ws->oom = true;
			return;
		}
		ws->w = nw;
		ws->cap = ncap;
	}
	struct warning w = { offset, strdup(check ? check : "?"), strdup(path ? path : "/"),
			     strdup(detail ? detail : "") };
	if (!w.check || !w.path || !w.detail) {
		free(w.check);
		free(w.path);
		free(w.detail);
		ws->oom = true;
		return;
	}
	ws->w[ws->n++] = w;
}

/* "NAME: offset N (/node/path): FIELD: detail", the node when it can be
 * named; returns EXIT_BAD. */
static int fault_line(const char *name, const uint8_t *data, size_t len,
		      const struct fwk_fault *f, int rc)
{
	char path[DT_PATH_MAX];
	const char *field = f->field ? f->field : "tree";
	const char *detail = f->detail ? f->detail : fwk_strerror(rc);
	unsigned long long off = (unsigned long long)f->offset;

	if (dt_node_path_at(data, len, f->offset, path, sizeof(path)) >= 0)
		return bad("%s: offset %llu (%s): %s: %s", name, off, path, field, detail);
	return bad("%s: offset %llu: %s: %s", name, off, field, detail);
}

/* dt_check one buffer; EXIT_OK, or EXIT_BAD after one line naming name. */
static int check_buffer(const char *name, const uint8_t *data, size_t len,
			struct dt_summary *sum, struct warnings *ws)
{
	size_t words = DT_SCRATCH_WORDS(len);
	uint32_t *scratch = malloc(words * sizeof(*scratch));
	struct fwk_fault f = { 0 };

	if (!scratch)
		return bad("%s: out of memory", name);
	int rc = dt_check(data, len, scratch, words, on_warning, ws, sum, &f);
	free(scratch);
	if (rc < 0)
		return fault_line(name, data, len, &f, rc);
	if (ws->oom)
		return bad("%s: out of memory", name);
	return EXIT_OK;
}

/* A DTB or DTBO file, opened and checked. */
struct tree {
	struct input in;
	struct dt_summary sum;
	struct warnings warn;
};

static void tree_free(struct tree *t)
{
	input_release(&t->in);
	warnings_free(&t->warn);
}

static int tree_load(struct tree *t, const char *path)
{
	memset(t, 0, sizeof(*t));
	if (input_open(&t->in, path) != 0)
		return EXIT_BAD;
	/* size_t is as wide as any mapping, but not always as uint64_t. */
	if (t->in.len > SIZE_MAX / 2)
		return bad("%s: too large", path);
	return check_buffer(path, t->in.data, (size_t)t->in.len, &t->sum, &t->warn);
}

/* "3 nodes", "1 node" appended to buf at *len. */
static void count(char *buf, size_t cap, size_t *len, uint32_t n, const char *one,
		  const char *many)
{
	if (*len >= cap)
		return;
	int w = snprintf(buf + *len, cap - *len, "%s%u %s", *len ? ", " : "", n,
			 n == 1 ? one : many);
	if (w > 0)
		*len += (size_t)w;
}

/* "dtb v17, 12 nodes, ..." or "overlay v17, 2 fragments, ...". */
static void summary_text(const struct dt_summary *s, size_t warnings, char *buf, size_t cap)
{
	size_t len = 0;
	int w = snprintf(buf, cap, "%s v%u", s->overlay ? "overlay" : "dtb", s->version);

	len = w > 0 ? (size_t)w : 0;
	if (s->overlay) {
		count(buf, cap, &len, s->fragments, "fragment", "fragments");
		count(buf, cap, &len, s->fixup_refs, "fixup", "fixups");
		count(buf, cap, &len, s->local_fixup_refs, "local fixup", "local fixups");
	}
	count(buf, cap, &len, s->nodes, "node", "nodes");
	count(buf, cap, &len, s->properties, "property", "properties");
	count(buf, cap, &len, s->phandles, "phandle", "phandles");
	count(buf, cap, &len, s->symbols, "symbol", "symbols");
	if (warnings)
		count(buf, cap, &len, (uint32_t)warnings, "warning", "warnings");
}

static void print_warnings(const char *path, const struct warnings *ws)
{
	for (size_t i = 0; i < ws->n; i++)
		fprintf(stderr, "%s: Warning (%s): %s: %s\n", path, ws->w[i].check, ws->w[i].path,
			ws->w[i].detail);
}

/* After getopt_long: --help, or a bad option. */
static int common_opt(int c, const char *cmd, const char *help, char **args)
{
	if (c == 'h') {
		fputs(help, stdout);
		return EXIT_OK;
	}
	return bad_option(cmd, args);
}

/* ---- check -------------------------------------------------------------- */

static int do_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "strict", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = "dt check";
	bool quiet = false, strict = false, any_bad = false, any_warning = false;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "hq", longopts, NULL)) != -1) {
		switch (c) {
		case 'q': quiet = true; break;
		case 's': strict = true; break;
		default: return common_opt(c, cmd, check_help, argv);
		}
	}
	if (optind >= argc)
		return usage_error(cmd, "expects at least one FILE");
	for (int i = optind; i < argc; i++) {
		struct tree t;
		if (tree_load(&t, argv[i]) != EXIT_OK) {
			any_bad = true;
			tree_free(&t);
			continue;
		}
		print_warnings(argv[i], &t.warn);
		any_warning |= t.warn.n > 0;
		if (!quiet) {
			char text[256];
			summary_text(&t.sum, t.warn.n, text, sizeof(text));
			printf("%s: ok: %s\n", argv[i], text);
		}
		tree_free(&t);
	}
	if (fflush(stdout) != 0 || ferror(stdout))
		return bad("writing the results failed");
	if (any_bad)
		return EXIT_BAD;
	return strict && any_warning ? EXIT_FINDING : EXIT_OK;
}

/* ---- info --------------------------------------------------------------- */

/* What a fragment applies to. */
struct fragment_target {
	const char *path;  /* target-path, NUL-terminated (dt_check saw to it) */
	char label[256];   /* the __fixups__ label that patches target, or "" */
	uint32_t phandle;  /* target otherwise */
};

/* The __fixups__ label whose list holds "/FRAGMENT:target:0", or "". */
static void target_label(const void *fdt, const char *fragment, char *out, size_t cap)
{
	char want[128];
	int fixups = fdt_path_offset(fdt, "/__fixups__");
	int p;

	out[0] = '\0';
	if (fixups < 0 || (size_t)snprintf(want, sizeof(want), "/%s:target:0", fragment) >= sizeof(want))
		return;
	fdt_for_each_property_offset(p, fdt, fixups) {
		const char *label;
		int len;
		const char *v = fdt_getprop_by_offset(fdt, p, &label, &len);
		for (int i = 0; v && i < len;) {
			size_t n = strnlen(v + i, (size_t)(len - i));
			if (!strncmp(v + i, want, n) && want[n] == '\0') {
				snprintf(out, cap, "%s", label);
				return;
			}
			i += (int)n + 1;
		}
	}
}

static bool fragment_target(const void *fdt, int node, struct fragment_target *t)
{
	int len;

	memset(t, 0, sizeof(*t));
	if (fdt_subnode_offset(fdt, node, "__overlay__") < 0)
		return false;
	t->path = fdt_getprop(fdt, node, "target-path", &len);
	if (t->path)
		return true;
	const uint8_t *ph = fdt_getprop(fdt, node, "target", &len);
	if (ph && len == 4)
		t->phandle = fwk_be32(ph);
	target_label(fdt, fdt_get_name(fdt, node, NULL), t->label, sizeof(t->label));
	return true;
}

/* A string property's value without its NUL. */
static int str_len(const char *v, int len)
{
	return v ? (int)strnlen(v, (size_t)len) : 0;
}

static void info_text(const char *path, const struct tree *t)
{
	const void *fdt = t->in.data;
	const struct dt_summary *s = &t->sum;
	int node, p;

	printf("%s: %s, version %u (last compatible %u), %u bytes\n", path,
	       s->overlay ? "overlay" : "device tree", s->version, s->last_comp_version,
	       s->totalsize);
	printf("  header: off_mem_rsvmap 0x%x, off_dt_struct 0x%x (%u bytes), off_dt_strings 0x%x "
	       "(%u bytes), boot_cpuid_phys %u\n", s->off_mem_rsvmap, s->off_dt_struct,
	       s->size_dt_struct, s->off_dt_strings, s->size_dt_strings, s->boot_cpuid_phys);
	int nrsv = fdt_num_mem_rsv(fdt);
	printf("  memory reservations: %d\n", nrsv < 0 ? 0 : nrsv);
	for (int i = 0; i < nrsv; i++) {
		uint64_t addr, size;
		if (fdt_get_mem_rsv(fdt, i, &addr, &size) == 0)
			printf("    0x%016llx size 0x%llx\n", (unsigned long long)addr,
			       (unsigned long long)size);
	}
	printf("  nodes %u, properties %u, phandles %u, max depth %u\n", s->nodes, s->properties,
	       s->phandles, s->max_depth);

	printf("  symbols: %u\n", s->symbols);
	node = fdt_path_offset(fdt, "/__symbols__");
	if (node >= 0) {
		fdt_for_each_property_offset(p, fdt, node) {
			const char *label;
			int len;
			const char *v = fdt_getprop_by_offset(fdt, p, &label, &len);
			printf("    %s -> %.*s\n", label, str_len(v, len), v ? v : "");
		}
	}

	printf("  fixups: %u label%s, %u reference%s\n", s->fixups, s->fixups == 1 ? "" : "s",
	       s->fixup_refs, s->fixup_refs == 1 ? "" : "s");
	node = fdt_path_offset(fdt, "/__fixups__");
	if (node >= 0) {
		fdt_for_each_property_offset(p, fdt, node) {
			const char *label;
			int len;
			const char *v = fdt_getprop_by_offset(fdt, p, &label, &len);
			printf("    %s ->", label);
			for (int i = 0; v && i < len;) {
				int n = str_len(v + i, len - i);
				printf("%s %.*s", i ? "," : "", n, v + i);
				i += n + 1;
			}
			putchar('\n');
		}
	}

	printf("  fragments: %u\n", s->fragments);
	fdt_for_each_subnode(node, fdt, 0) {
		struct fragment_target ft;
		if (!fragment_target(fdt, node, &ft))
			continue;
		const char *name = fdt_get_name(fdt, node, NULL);
		if (ft.path)
			printf("    %s -> path %s\n", name, ft.path);
		else if (ft.label[0])
			printf("    %s -> label %s\n", name, ft.label);
		else
			printf("    %s -> phandle 0x%x\n", name, ft.phandle);
	}
	printf("  local fixups: %u\n", s->local_fixup_refs);
	printf("  warnings: %zu\n", t->warn.n);
	for (size_t i = 0; i < t->warn.n; i++)
		printf("    Warning (%s): %s: %s\n", t->warn.w[i].check, t->warn.w[i].path,
		       t->warn.w[i].detail);
}

static void info_json(const char *path, const struct tree *t)
{
	const void *fdt = t->in.data;
	const struct dt_summary *s = &t->sum;
	struct json j;
	int node, p;

	json_init(&j, stdout);
	json_obj_begin(&j);
	json_kstr(&j, "file", path);
	json_kstr(&j, "kind", s->overlay ? "overlay" : "dtb");
	json_key(&j, "header");
	json_obj_begin(&j);
	json_ku64(&j, "magic", DT_MAGIC);
	json_ku64(&j, "totalsize", s->totalsize);
	json_ku64(&j, "off_dt_struct", s->off_dt_struct);
	json_ku64(&j, "off_dt_strings", s->off_dt_strings);
	json_ku64(&j, "off_mem_rsvmap", s->off_mem_rsvmap);
	json_ku64(&j, "version", s->version);
	json_ku64(&j, "last_comp_version", s->last_comp_version);
	json_ku64(&j, "boot_cpuid_phys", s->boot_cpuid_phys);
	json_ku64(&j, "size_dt_strings", s->size_dt_strings);
	json_ku64(&j, "size_dt_struct", s->size_dt_struct);
	json_obj_end(&j);

	json_key(&j, "reserved");
	json_arr_begin(&j);
	int nrsv = fdt_num_mem_rsv(fdt);
	for (int i = 0; i < nrsv; i++) {
		uint64_t addr, size;
		if (fdt_get_mem_rsv(fdt, i, &addr, &size) != 0)
			continue;
		json_obj_begin(&j);
		json_ku64(&j, "address", addr);
		json_ku64(&j, "size", size);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_ku64(&j, "nodes", s->nodes);
	json_ku64(&j, "properties", s->properties);
	json_ku64(&j, "phandles", s->phandles);
	json_ku64(&j, "max_depth", s->max_depth);

	json_key(&j, "symbols");
	json_obj_begin(&j);
	node = fdt_path_offset(fdt, "/__symbols__");
	if (node >= 0) {
		fdt_for_each_property_offset(p, fdt, node) {
			const char *label;
			int len;
			const char *v = fdt_getprop_by_offset(fdt, p, &label, &len);
			json_key(&j, label);
			json_strn(&j, v ? v : "", (size_t)str_len(v, len));
		}
	}
	json_obj_end(&j);

	json_key(&j, "fixups");
	json_obj_begin(&j);
	node = fdt_path_offset(fdt, "/__fixups__");
	if (node >= 0) {
		fdt_for_each_property_offset(p, fdt, node) {
			const char *label;
			int len;
			const char *v = fdt_getprop_by_offset(fdt, p, &label, &len);
			json_key(&j, label);
			json_arr_begin(&j);
			for (int i = 0; v && i < len;) {
				int n = str_len(v + i, len - i);
				json_strn(&j, v + i, (size_t)n);
				i += n + 1;
			}
			json_arr_end(&j);
		}
	}
	json_obj_end(&j);
	json_ku64(&j, "fixup_refs", s->fixup_refs);

	json_key(&j, "fragments");
	json_arr_begin(&j);
	fdt_for_each_subnode(node, fdt, 0) {
		struct fragment_target ft;
		if (!fragment_target(fdt, node, &ft))
			continue;
		json_obj_begin(&j);
		json_kstr(&j, "name", fdt_get_name(fdt, node, NULL));
		json_key(&j, "target_path");
		if (ft.path)
			json_str(&j, ft.path);
		else
			json_null(&j);
		json_key(&j, "target_label");
		if (!ft.path && ft.label[0])
			json_str(&j, ft.label);
		else
			json_null(&j);
		json_key(&j, "target_phandle");
		if (!ft.path && !ft.label[0])
			json_u64(&j, ft.phandle);
		else
			json_null(&j);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_ku64(&j, "local_fixups", s->local_fixup_refs);

	json_key(&j, "warnings");
	json_arr_begin(&j);
	for (size_t i = 0; i < t->warn.n; i++) {
		json_obj_begin(&j);
		json_kstr(&j, "check", t->warn.w[i].check);
		json_kstr(&j, "path", t->warn.w[i].path);
		json_kstr(&j, "detail", t->warn.w[i].detail);
		json_ku64(&j, "offset", t->warn.w[i].offset);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
}

static int do_info(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = "dt info";
	bool as_json = false;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': as_json = true; break;
		default: return common_opt(c, cmd, info_help, argv);
		}
	}
	if (argc - optind != 1)
		return usage_error(cmd, "expects exactly one FILE");
	struct tree t;
	const char *path = argv[optind];
	if (tree_load(&t, path) != EXIT_OK) {
		tree_free(&t);
		return EXIT_BAD;
	}
	/* libfdt reads the tree only now that every offset in it is known good. */
	if (as_json)
		info_json(path, &t);
	else
		info_text(path, &t);
	tree_free(&t);
	if (fflush(stdout) != 0 || ferror(stdout))
		return bad("writing the listing failed");
	return EXIT_OK;
}

/* ---- apply -------------------------------------------------------------- */

struct pathlist {
	char **p;
	size_t n, cap;
};

static bool pathlist_has(const struct pathlist *l, const char *path)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->p[i], path))
			return true;
	return false;
}

static bool pathlist_add(struct pathlist *l, const char *path)
{
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 16;
		char **np = realloc(l->p, ncap * sizeof(*np));
		if (!np)
			return false;
		l->p = np;
		l->cap = ncap;
	}
	if (!(l->p[l->n] = strdup(path)))
		return false;
	l->n++;
	return true;
}

static void pathlist_free(struct pathlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->p[i]);
	free(l->p);
	memset(l, 0, sizeof(*l));
}

/* One overlay to apply: from the command line or from the initrd. */
struct ovl {
	char *name;          /* for messages and the ledger's source */
	const char *file;    /* the ledger's identity: the file's own name */
	const uint8_t *data;
	size_t len;
	struct input in;     /* a command-line overlay's file */
	char *archive_name;  /* an initrd overlay's normalised name */
	struct pathlist created, changed;
	uint8_t applied_to[SHA256_DIGEST_SIZE]; /* SHA-256 of the tree it went on */
};

struct ovlset {
	struct ovl *v;
	size_t n, cap;
	const char *image;
	bool oom;
};

static struct ovl *ovlset_add(struct ovlset *s)
{
	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 8;
		struct ovl *nv = realloc(s->v, ncap * sizeof(*nv));
		if (!nv)
			return NULL;
		s->v = nv;
		s->cap = ncap;
	}
	struct ovl *o = &s->v[s->n++];
	memset(o, 0, sizeof(*o));
	return o;
}

static void ovlset_free(struct ovlset *s)
{
	for (size_t i = 0; i < s->n; i++) {
		struct ovl *o = &s->v[i];
		free(o->name);
		free(o->archive_name);
		input_release(&o->in);
		pathlist_free(&o->created);
		pathlist_free(&o->changed);
	}
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* dt_cpio_overlays' callback: one overlay of one archive of the image; the
 * same name in a later archive replaces it, as the kernel's unpacking does. */
static int on_image_overlay(void *ctx, const char *name, size_t namelen, const uint8_t *data,
			    size_t len)
{
	struct ovlset *s = ctx;
	char *norm = malloc(namelen + 1);

	if (!norm) {
		s->oom = true;
		return FWK_ERR_NOSPACE;
	}
	if (namelen > UINT32_MAX ||
	    cpio_name_normalise(name, (uint32_t)namelen, norm, (uint32_t)namelen + 1, 0) < 0) {
		memcpy(norm, name, namelen);
		norm[namelen] = '\0';
	}
	for (size_t i = 0; i < s->n; i++) {
		if (!strcmp(s->v[i].archive_name, norm)) {
			free(norm);
			s->v[i].data = data;
			s->v[i].len = len;
			return 0;
		}
	}
	size_t nl = strlen(s->image) + 1 + strlen(norm) + 1;
	struct ovl *o = ovlset_add(s);
	char *full = o ? malloc(nl) : NULL;
	if (!full) {
		free(norm);
		if (o)
			s->n--;
		s->oom = true;
		return FWK_ERR_NOSPACE;
	}
	snprintf(full, nl, "%s:%s", s->image, norm);
	o->name = full;
	o->archive_name = norm;
	o->file = path_base(norm);
	o->data = data;
	o->len = len;
	return 0;
}

static int by_archive_name(const void *a, const void *b)
{
	return strcmp(((const struct ovl *)a)->archive_name, ((const struct ovl *)b)->archive_name);
}

/* The overlays of every archive of every segment of img, in name order.
 * EXIT_OK, or EXIT_BAD after one line. */
static int image_overlays(const char *path, const struct initrd_image *img, struct ovlset *s)
{
	s->image = path;
	for (unsigned i = 0; i < img->nparts; i++) {
		const struct initrd_part *p = &img->part[i];
		struct initrd_scanner sc;
		struct initrd_segment seg;
		int rc;

		/* A part may hold several archives with NUL padding between them. */
		initrd_scan_init(&sc, p->data, p->size);
		sc.max_segments = UINT32_MAX;
		while ((rc = initrd_next_segment(&sc, &seg)) == 1) {
			struct fwk_fault f = { 0 };
			if (seg.format != INITRD_CPIO)
				return bad("%s: segment %u: a compressed stream inside a compressed "
					   "segment", path, i);
			int r = dt_cpio_overlays(p->data + seg.offset, (size_t)seg.length,
						 on_image_overlay, s, &f);
			if (s->oom)
				return bad("%s: out of memory", path);
			if (r < 0 && p->seg.format == INITRD_CPIO)
				return bad("%s: offset %llu: %s: %s", path,
					   (unsigned long long)(p->seg.offset + seg.offset + f.offset),
					   f.field ? f.field : "cpio", f.detail ? f.detail : fwk_strerror(r));
			if (r < 0)
				return bad("%s: segment %u (%s at offset %llu), unpacked offset %llu: %s: %s",
					   path, i, initrd_format_name(p->seg.format),
					   (unsigned long long)p->seg.offset,
					   (unsigned long long)(seg.offset + f.offset),
					   f.field ? f.field : "cpio",
					   f.detail ? f.detail : fwk_strerror(r));
		}
		if (rc < 0)
			return bad("%s: segment %u, unpacked offset %llu: %s: %s", path, i,
				   (unsigned long long)sc.fault.offset,
				   sc.fault.field ? sc.fault.field : "cpio",
				   sc.fault.detail ? sc.fault.detail : fwk_strerror(rc));
	}
	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), by_archive_name);
	return EXIT_OK;
}

struct apply_state {
	struct ovl *cur;
	bool oom;
};

/* A node the overlay being planned creates or changes.  A node one fragment
 * creates and a later fragment of the same overlay changes is "created". */
static void on_change(void *ctx, size_t index, enum dt_change what, const char *path)
{
	struct apply_state *st = ctx;
	struct ovl *o = st->cur;
	bool ok = true;

	(void)index;
	if (pathlist_has(&o->created, path))
		return;
	if (what == DT_NODE_CREATED)
		ok = pathlist_add(&o->created, path);
	else if (!pathlist_has(&o->changed, path))
		ok = pathlist_add(&o->changed, path);
	if (!ok)
		st->oom = true;
}

/* Whether buf passes dt_check on its own (out of memory: no, and the fault
 * in hand is reported as it is). */
static bool well_formed(const uint8_t *buf, size_t len)
{
	size_t words = DT_SCRATCH_WORDS(len);
	uint32_t *scratch = malloc(words * sizeof(*scratch));
	struct fwk_fault f = { 0 };

	if (!scratch)
		return false;
	int rc = dt_check(buf, len, scratch, words, NULL, NULL, NULL, &f);
	free(scratch);
	return rc >= 0;
}

/* What the overlay went on, for messages: BASE, or the result of the k
 * overlays before it. */
static void tree_name(const char *base, size_t k, char *out, size_t cap)
{
	if (k == 0)
		snprintf(out, cap, "%s", base);
	else
		snprintf(out, cap, "the tree after %zu overlay%s on %s", k, k == 1 ? "" : "s", base);
}

/* One line saying why overlay k does not go on the tree cur; returns the
 * exit status. */
static int refusal(const char *base, const struct ovl *o, size_t k, const uint8_t *cur,
		   size_t cur_len, const struct dt_overlay_diag *d, int rc)
{
	char where[DT_PATH_MAX + 64], frag[80] = "";

	tree_name(base, k, where, sizeof(where));
	if (d->fragment[0])
		snprintf(frag, sizeof(frag), "%.64s: ", d->fragment);
	switch (d->problem) {
	case DT_OVL_BASE_BAD:
		if (k == 0)
			return fault_line(base, cur, cur_len, &d->fault, d->fault.error ? d->fault.error : rc);
		{
			/* libfdt's own result failed the check: the inputs were good. */
			char name[DT_PATH_MAX + 128];
			snprintf(name, sizeof(name), "%s: %s fails the check", o->name, where);
			fault_line(name, cur, cur_len, &d->fault, d->fault.error ? d->fault.error : rc);
		}
		return EXIT_FINDING;
	case DT_OVL_OVERLAY_BAD:
		if (!well_formed(o->data, o->len))
			return fault_line(o->name, o->data, o->len, &d->fault,
					  d->fault.error ? d->fault.error : rc);
		{
			/* Good on its own, so the fault is in how it meets this tree
			 * (phandles that overflow once renumbered, a path too long). */
			char name[DT_PATH_MAX + 128];
			snprintf(name, sizeof(name), "%s (on %s)", o->name, where);
			fault_line(name, o->data, o->len, &d->fault,
				   d->fault.error ? d->fault.error : rc);
		}
		return EXIT_FINDING;
	case DT_OVL_NOT_OVERLAY:
		return bad("%s: not an overlay: no fragment (a top-level node with an __overlay__ "
			   "child); was it built with dtc from a /plugin/ source?", o->name);
	case DT_OVL_NO_SYMBOLS:
		if (k == 0)
			msg("%s: no __symbols__ node, but %s refers to labels: rebuild %s with dtc -@",
			    base, o->name, base);
		else
			msg("%s: %srefers to labels, but %s has no __symbols__ node: rebuild %s with "
			    "dtc -@", o->name, frag, where, base);
		return EXIT_FINDING;
	case DT_OVL_UNRESOLVED_LABEL:
		msg("%s: %slabel '%s' is not in the __symbols__ of %s", o->name, frag, d->name, where);
		return EXIT_FINDING;
	case DT_OVL_BAD_SYMBOL:
		msg("%s: %slabel '%s' cannot be resolved in %s: %s", o->name, frag, d->name, where,
		    d->fault.detail ? d->fault.detail : "its __symbols__ path names no node");
		return EXIT_FINDING;
	case DT_OVL_TARGET_PATH:
		msg("%s: %starget-path '%s' does not exist in %s", o->name, frag, d->name, where);
		return EXIT_FINDING;
	case DT_OVL_TARGET_PHANDLE:
		msg("%s: %starget phandle %s is not in %s", o->name, frag, d->name, where);
		return EXIT_FINDING;
	case DT_OVL_PHANDLE_OVERWRITE:
		if (k == 0)
			msg("%s: %swould replace the phandle of %s's %s", o->name, frag, base, d->name);
		else
			msg("%s: %swould replace the phandle of %s in %s", o->name, frag, d->name, where);
		return EXIT_FINDING;
	case DT_OVL_LIBFDT:
		if (k == 0)
			msg("%s: libfdt refused the overlay: %s", o->name,
			    fdt_strerror(d->libfdt_error));
		else
			msg("%s: libfdt refused the overlay: %s (applying it to %s)", o->name,
			    fdt_strerror(d->libfdt_error), where);
		return EXIT_FINDING;
	case DT_OVL_NOSPACE:
		return bad("%s: out of memory applying it to %s", o->name, where);
	default:
		msg("%s: %s%s (%s)", o->name, frag, dt_overlay_problem_text(d->problem),
		    fwk_strerror(rc));
		return EXIT_FINDING;
	}
}

/* Copy src into dst[0..cap) as valid UTF-8 (the ledger's rule): whole
 * sequences only, '?' for each byte that starts none. */
static size_t utf8_seq(const unsigned char *s)
{
	unsigned lo = 0x80, hi = 0xbf;
	size_t n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		lo = s[0] == 0xe0 ? 0xa0 : 0x80; /* no overlong forms */
		hi = s[0] == 0xed ? 0x9f : 0xbf; /* no surrogates */
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		lo = s[0] == 0xf0 ? 0x90 : 0x80;
		hi = s[0] == 0xf4 ? 0x8f : 0xbf; /* nothing past U+10FFFF */
	} else {
		return 0;
	}
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

static void utf8_copy(char *dst, size_t cap, const char *src)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t o = 0;

	while (*s) {
		size_t n = utf8_seq(s);
		if (o + (n ? n : 1) >= cap)
			break;
		if (n) {
			memcpy(dst + o, s, n);
			o += n;
			s += n;
		} else {
			dst[o++] = '?';
			s++;
		}
	}
	dst[o] = '\0';
}

/* "created /a /b; changed /c" into out[0..cap), ending in " ... +N more"
 * when not every path fits. */
static void reason_text(const struct ovl *o, char *out, size_t cap)
{
	const size_t reserve = 32; /* " ... +N more" */
	size_t total = o->created.n + o->changed.n, done = 0, len = 0;

	out[0] = '\0';
	if (total == 0) {
		snprintf(out, cap, "no node created or changed");
		return;
	}
	for (int part = 0; part < 2; part++) {
		const struct pathlist *l = part ? &o->changed : &o->created;
		for (size_t i = 0; i < l->n; i++) {
			const char *lead = i ? " "
					   : part ? (o->created.n ? "; changed " : "changed ")
						  : "created ";
			size_t need = strlen(lead) + strlen(l->p[i]);
			size_t keep = done + 1 == total ? 0 : reserve;
			if (len + need + keep + 1 > cap)
				goto cut;
			memcpy(out + len, lead, strlen(lead));
			memcpy(out + len + strlen(lead), l->p[i], strlen(l->p[i]) + 1);
			len += need;
			done++;
		}
	}
	return;
cut:
	if (len == 0)
		snprintf(out, cap, "%zu nodes created or changed (paths too long to list)", total);
	else
		snprintf(out + len, cap - len, " ... +%zu more", total - done);
}

static void print_applied(const struct ovl *o)
{
	printf("%s: applied:", o->name);
	for (int part = 0; part < 2; part++) {
		const struct pathlist *l = part ? &o->changed : &o->created;
		if (!l->n)
			continue;
		printf("%s%s", part && o->created.n ? ";" : "", part ? " changed" : " created");
		for (size_t i = 0; i < l->n; i++)
			printf("%s %s", i ? "," : "", l->p[i]);
	}
	if (!o->created.n && !o->changed.n)
		printf(" no node created or changed");
	putchar('\n');
}

static int record(const char *ledger, const struct ovl *o)
{
	struct ledger_record r;

	memset(&r, 0, sizeof(r));
	r.kind = LEDGER_DT_OVERLAY;
	utf8_copy(r.identity, sizeof(r.identity), o->file);
	utf8_copy(r.source, sizeof(r.source), o->name);
	sha256(o->data, o->len, r.sha256);
	r.have_replaced = true;
	memcpy(r.replaced_sha256, o->applied_to, sizeof(r.replaced_sha256));
	reason_text(o, r.reason, sizeof(r.reason));
	/* The overlay went into a file, not into a running kernel's tree. */
	r.taint_bit = -1;
	return ledger_append(ledger, &r);
}

struct apply_args {
	const char *out, *image, *ledger, *base;
	char **files;
	int nfiles;
};

static int apply_all(const struct apply_args *a)
{
	struct input base = { 0 }, imgfile = { 0 };
	struct initrd_image img;
	struct ovlset s = { 0 };
	struct apply_state st = { 0 };
	uint8_t *owned = NULL;
	bool have_img = false;
	int rc = EXIT_OK;

	if (input_open(&base, a->base) != 0)
		return EXIT_BAD;
	if (base.len > SIZE_MAX / 2) {
		rc = bad("%s: too large", a->base);
		goto done;
	}
	if (a->image) {
		if (input_open(&imgfile, a->image) != 0) {
			rc = EXIT_BAD;
			goto done;
		}
		memset(&img, 0, sizeof(img));
		if (initrd_image_open(&img, imgfile.data, imgfile.len) != 0) {
			char why[512];
			initrd_image_fault_text(&img, why, sizeof(why));
			initrd_image_close(&img);
			rc = bad("%s: %s", a->image, why);
			goto done;
		}
		have_img = true;
		if ((rc = image_overlays(a->image, &img, &s)) != EXIT_OK)
			goto done;
	}
	for (int i = 0; i < a->nfiles; i++) {
		struct ovl *o = ovlset_add(&s);
		if (!o || !(o->name = strdup(a->files[i]))) {
			rc = bad("out of memory");
			goto done;
		}
		if (input_open(&o->in, a->files[i]) != 0) {
			rc = EXIT_BAD;
			goto done;
		}
		if (o->in.len > SIZE_MAX / 2) {
			rc = bad("%s: too large", a->files[i]);
			goto done;
		}
		o->file = path_base(a->files[i]);
		o->data = o->in.data;
		o->len = (size_t)o->in.len;
	}
	if (s.n == 0) {
		msg("%s: no overlay in %s/ (*%s) and none given: nothing to apply", a->image,
		    DT_OVERLAY_DIR, DT_OVERLAY_SUFFIX);
		rc = EXIT_FINDING;
		goto done;
	}

	/* One overlay at a time, so each record can name the tree it went on. */
	const uint8_t *cur = base.data;
	size_t cur_len = (size_t)base.len;
	for (size_t k = 0; k < s.n; k++) {
		struct ovl *o = &s.v[k];
		struct dt_blob blob = { o->data, o->len, o->name };
		struct dt_overlay_diag d;
		uint8_t *next = NULL;
		size_t next_len = 0, failed = 0;

		memset(&d, 0, sizeof(d));
		sha256(cur, cur_len, o->applied_to);
		st.cur = o;
		int r = dt_apply_stack(cur, cur_len, &blob, 1, on_change, &st, &next, &next_len,
				       &failed, &d);
		if (r < 0) {
			free(next);
			rc = refusal(a->base, o, k, cur, cur_len, &d, r);
			goto done;
		}
		if (st.oom) {
			free(next);
			rc = bad("out of memory");
			goto done;
		}
		free(owned);
		owned = next;
		cur = next;
		cur_len = next_len;
	}
	if ((rc = output_write(a->out, cur, cur_len)) != EXIT_OK)
		goto done;
	for (size_t k = 0; k < s.n; k++)
		print_applied(&s.v[k]);
	printf("%s: %zu overlay%s, %zu bytes\n", a->out, s.n, s.n == 1 ? "" : "s", cur_len);
	if (fflush(stdout) != 0 || ferror(stdout))
		rc = bad("writing the report failed");
	for (size_t k = 0; a->ledger && k < s.n; k++)
		if (record(a->ledger, &s.v[k]) != 0) {
			rc = EXIT_BAD; /* ledger_append said which file */
			break;
		}
done:
	free(owned);
	ovlset_free(&s);
	if (have_img)
		initrd_image_close(&img);
	input_release(&imgfile);
	input_release(&base);
	return rc;
}

static int do_apply(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "output", required_argument, NULL, 'o' },
		{ "initrd", required_argument, NULL, 'i' },
		{ "ledger", required_argument, NULL, 'l' },
		{ "no-ledger", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = "dt apply";
	struct apply_args a = { .ledger = LEDGER_DEFAULT_PATH };
	bool ledger_given = false, no_ledger = false;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': a.out = optarg; break;
		case 'i': a.image = optarg; break;
		case 'l': a.ledger = optarg; ledger_given = true; break;
		case 'n': no_ledger = true; break;
		default: return common_opt(c, cmd, apply_help, argv);
		}
	}
	if (!a.out)
		return usage_error(cmd, "-o OUT is required");
	if (!*a.out)
		return usage_error(cmd, "-o: the output name is empty");
	if (ledger_given && no_ledger)
		return usage_error(cmd, "--ledger and --no-ledger exclude each other");
	if (no_ledger)
		a.ledger = NULL;
	if (optind >= argc)
		return usage_error(cmd, "expects BASE and at least one OVERLAY");
	a.base = argv[optind];
	a.files = argv + optind + 1;
	a.nfiles = argc - optind - 1;
	if (a.nfiles == 0 && !a.image)
		return usage_error(cmd, "expects at least one OVERLAY after BASE (or --initrd IMAGE)");
	return apply_all(&a);
}

/* ---- dispatch ----------------------------------------------------------- */

int cmd_dt(int argc, char **argv)
{
	if (argc < 2) {
		fputs(dt_help, stderr);
		return EXIT_BAD;
	}
	const char *sub = argv[1];
	if (!strcmp(sub, "--help") || !strcmp(sub, "-h") || !strcmp(sub, "help")) {
		fputs(dt_help, stdout);
		return EXIT_OK;
	}
	if (!strcmp(sub, "check"))
		return do_check(argc - 1, argv + 1);
	if (!strcmp(sub, "info"))
		return do_info(argc - 1, argv + 1);
	if (!strcmp(sub, "apply"))
		return do_apply(argc - 1, argv + 1);
	return usage_error("dt", "unknown command '%s'", sub);
}

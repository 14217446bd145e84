/* SPDX-License-Identifier: MIT */
/* initrd.c - `fwkit initrd ls|extract|build|prepend`: arguments and output only. */
#include "cli.h"

#include <fwkit/initrd_image.h>

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char initrd_help[] =
	"usage: fwkit initrd ls IMAGE [--json]\n"
	"       fwkit initrd extract IMAGE DIR [--force] [--devices]\n"
	"       fwkit initrd build -o OUT [--compress none|gzip|zstd|xz] [--level N]\n"
	"                          [--align N] SPEC...\n"
	"       fwkit initrd prepend -o OUT [--align N] IMAGE DEST=SRC...\n"
	"\n"
	"Read and write Linux initramfs images: uncompressed newc/crc cpio archives,\n"
	"NUL padding and compressed segments (gzip, zstd, xz, lzma, bzip2, lz4, lzo)\n"
	"in any sequence, as the kernel unpacks them.\n"
	"\n"
	"  ls       list every segment (index, offset, length, format) and its\n"
	"           entries (mode, size, name); --json for a machine-readable form\n"
	"  extract  unpack every segment under DIR; with several segments into\n"
	"           DIR/early, DIR/early2, ..., DIR/main as unmkinitramfs does.\n"
	"           Refuses absolute names, '..', paths through symlinks that leave\n"
	"           DIR, device nodes (unless --devices) and existing files (unless\n"
	"           --force); each file is written to a temporary name first\n"
	"  build    write a deterministic newc archive: SPEC is DIR (its contents at\n"
	"           the root) or DEST=SRC (file or directory SRC at path DEST; a\n"
	"           later SPEC replaces an earlier one's file). Entries sorted,\n"
	"           parent directories added, uid/gid 0, mtime 0 or\n"
	"           $SOURCE_DATE_EPOCH, inode numbers in order; padded to 512 bytes\n"
	"  prepend  put an uncompressed early archive of DEST=SRC files in front of\n"
	"           IMAGE (checked first), where the kernel looks for microcode and\n"
	"           ACPI tables; file data aligned to 16 bytes unless --align says\n"
	"\n"
	"  -o, --output OUT   written to a temporary file, renamed when complete\n"
	"  --compress FMT     none (default), gzip, zstd or xz (CRC32, as the kernel needs)\n"
	"  --level N          compression level (default gzip 9, zstd 3, xz 6)\n"
	"  --align N          start file data at a multiple of N (power of two)\n"
	"\n"
	"Exit status: 0 success, 2 bad usage or a malformed image (one line on\n"
	"stderr naming the file, the offset and the field).\n";

static const char *type_name(uint32_t mode)
{
	switch (mode & CPIO_S_IFMT) {
	case CPIO_S_IFREG: return "file";
	case CPIO_S_IFDIR: return "dir";
	case CPIO_S_IFLNK: return "symlink";
	case CPIO_S_IFCHR: return "char";
	case CPIO_S_IFBLK: return "block";
	case CPIO_S_IFIFO: return "fifo";
	default: return "socket";
	}
}

static void mode_string(uint32_t mode, char out[11])
{
	static const char types[] = { [CPIO_S_IFREG >> 12] = '-', [CPIO_S_IFDIR >> 12] = 'd',
				      [CPIO_S_IFLNK >> 12] = 'l', [CPIO_S_IFCHR >> 12] = 'c',
				      [CPIO_S_IFBLK >> 12] = 'b', [CPIO_S_IFIFO >> 12] = 'p',
				      [CPIO_S_IFSOCK >> 12] = 's' };
	const char *rwx = "rwxrwxrwx";

	out[0] = types[(mode & CPIO_S_IFMT) >> 12];
	for (int i = 0; i < 9; i++)
		out[1 + i] = mode & (0400u >> i) ? rwx[i] : '-';
	if (mode & 04000) out[3] = out[3] == 'x' ? 's' : 'S';
	if (mode & 02000) out[6] = out[6] == 'x' ? 's' : 'S';
	if (mode & 01000) out[9] = out[9] == 'x' ? 't' : 'T';
	out[10] = '\0';
}

static int print_entry_text(const struct cpio_entry *e, void *arg)
{
	FILE *f = arg;
	char mode[11];

	mode_string(e->st.mode, mode);
	fprintf(f, "  %s %10u  %.*s", mode, e->st.size, (int)e->namelen, e->name);
	if ((e->st.mode & CPIO_S_IFMT) == CPIO_S_IFLNK)
		fprintf(f, " -> %.*s", (int)e->st.size, (const char *)e->data);
	fputc('\n', f);
	return 0;
}

static int print_entry_json(const struct cpio_entry *e, void *arg)
{
	struct json *j = arg;
	char perm[8];

	json_obj_begin(j);
	json_key(j, "name");
	json_strn(j, e->name, e->namelen);
	json_kstr(j, "type", type_name(e->st.mode));
	json_ku64(j, "mode", e->st.mode);
	snprintf(perm, sizeof(perm), "%04o", e->st.mode & 07777);
	json_kstr(j, "perm", perm);
	json_ku64(j, "size", e->st.size);
	json_ku64(j, "uid", e->st.uid);
	json_ku64(j, "gid", e->st.gid);
	json_ku64(j, "mtime", e->st.mtime);
	json_ku64(j, "ino", e->st.ino);
	json_ku64(j, "nlink", e->st.nlink);
	json_ku64(j, "data_offset", e->data_offset);
	if ((e->st.mode & CPIO_S_IFMT) == CPIO_S_IFLNK) {
		json_key(j, "target");
		json_strn(j, (const char *)e->data, e->st.size);
	}
	if ((e->st.mode & CPIO_S_IFMT) == CPIO_S_IFCHR ||
	    (e->st.mode & CPIO_S_IFMT) == CPIO_S_IFBLK) {
		json_ku64(j, "rdevmajor", e->st.rdevmajor);
		json_ku64(j, "rdevminor", e->st.rdevminor);
	}
	json_obj_end(j);
	return 0;
}

/* Open and fully check an image; on failure one line naming file, offset
 * and field, and EXIT_BAD. */
static int load_image(struct input *in, struct initrd_image *img, const char *path)
{
	if (input_open(in, path) != 0)
		return EXIT_BAD;
	memset(img, 0, sizeof(*img));
	if (initrd_image_open(img, in->data, in->len) != 0) {
		char why[512];
		initrd_image_fault_text(img, why, sizeof(why));
		input_release(in);
		return bad("%s: %s", path, why);
	}
	return 0;
}

static int do_ls(const char *path, bool as_json)
{
	struct input in;
	struct initrd_image img;
	int rc = load_image(&in, &img, path);
	if (rc)
		return rc;

	if (as_json) {
		struct json j;
		json_init(&j, stdout);
		json_obj_begin(&j);
		json_kstr(&j, "image", path);
		json_ku64(&j, "size", in.len);
		json_key(&j, "segments");
		json_arr_begin(&j);
		for (unsigned i = 0; i < img.nparts; i++) {
			const struct initrd_part *p = &img.part[i];
			json_obj_begin(&j);
			json_ku64(&j, "index", i);
			json_ku64(&j, "offset", p->seg.offset);
			json_ku64(&j, "length", p->seg.length);
			json_ku64(&j, "padding", p->seg.padding);
			json_kstr(&j, "format", initrd_format_name(p->seg.format));
			if (p->seg.format != INITRD_CPIO)
				json_ku64(&j, "decompressed", p->size);
			json_ku64(&j, "count", p->entries);
			json_key(&j, "entries");
			json_arr_begin(&j);
			initrd_part_foreach(p, print_entry_json, &j);
			json_arr_end(&j);
			json_obj_end(&j);
		}
		json_arr_end(&j);
		json_obj_end(&j);
	} else {
		printf("%s: %llu bytes, %u segment%s\n", path, (unsigned long long)in.len,
		       img.nparts, img.nparts == 1 ? "" : "s");
		for (unsigned i = 0; i < img.nparts; i++) {
			const struct initrd_part *p = &img.part[i];
			printf("segment %u: %s at offset %llu, %llu bytes", i,
			       initrd_format_name(p->seg.format),
			       (unsigned long long)p->seg.offset,
			       (unsigned long long)p->seg.length);
			if (p->seg.format != INITRD_CPIO)
				printf(" (%llu unpacked)", (unsigned long long)p->size);
			if (p->seg.padding)
				printf(", after %llu NUL bytes", (unsigned long long)p->seg.padding);
			printf(", %u entr%s\n", p->entries, p->entries == 1 ? "y" : "ies");
			initrd_part_foreach(p, print_entry_text, stdout);
		}
	}
	initrd_image_close(&img);
	input_release(&in);
	if (fflush(stdout) != 0 || ferror(stdout))
		return bad("writing the listing failed");
	return EXIT_OK;
}

static int do_extract(const char *path, const char *dir, const struct initrd_extract_opts *o)
{
	struct input in;
	struct initrd_image img;
	char err[768];
	int rc = load_image(&in, &img, path);
	if (rc)
		return rc;
	if (initrd_extract(&img, dir, o, err, sizeof(err)) != 0)
		rc = bad("%s: %s", path, err);
	initrd_image_close(&img);
	input_release(&in);
	return rc;
}

/* Progress on a terminal for builds that take a while. */
struct progress {
	struct timespec start, last;
	bool shown;
};

static double since(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void show_progress(void *arg, uint64_t de, uint64_t e, uint64_t db, uint64_t b)
{
	struct progress *p = arg;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (de != e && (since(&p->start, &now) < 1.0 || since(&p->last, &now) < 0.2))
		return;
	if (de == e && !p->shown)
		return;
	p->last = now;
	p->shown = true;
	fprintf(stderr, "\rfwkit: %llu/%llu entries, %llu/%llu MiB%s",
		(unsigned long long)de, (unsigned long long)e,
		(unsigned long long)(db >> 20), (unsigned long long)(b >> 20),
		de == e ? "\n" : "");
}

static bool parse_compress(const char *s, enum initrd_format *out)
{
	static const struct { const char *name; enum initrd_format fmt; } map[] = {
		{ "none", INITRD_CPIO }, { "gzip", INITRD_GZIP },
		{ "zstd", INITRD_ZSTD }, { "xz", INITRD_XZ },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(s, map[i].name)) {
			*out = map[i].fmt;
			return true;
		}
	return false;
}

/* SOURCE_DATE_EPOCH, as reproducible-builds.org defines it, or 0. */
/* Turn SPEC arguments into specs; DEST=SRC splits at the first '='. */
static int parse_specs(const char *cmd, char **args, int n, bool need_dest,
		       struct initrd_spec *specs)
{
	for (int i = 0; i < n; i++) {
		char *eq = strchr(args[i], '=');
		if (eq) {
			*eq = '\0';
			specs[i] = (struct initrd_spec){ args[i], eq + 1 };
			if (!*args[i] || !eq[1])
				return usage_error(cmd, "'%s=%s': DEST and SRC must both be given",
						   args[i], eq + 1);
		} else if (need_dest) {
			return usage_error(cmd, "'%s': give files as DEST=SRC", args[i]);
		} else {
			specs[i] = (struct initrd_spec){ NULL, args[i] };
		}
	}
	return 0;
}

int cmd_initrd(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, 0, 'j' },     { "force", no_argument, 0, 'f' },
		{ "devices", no_argument, 0, 'd' },  { "output", required_argument, 0, 'o' },
		{ "compress", required_argument, 0, 'c' },
		{ "level", required_argument, 0, 'l' },
		{ "align", required_argument, 0, 'a' }, { "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(initrd_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_BAD : EXIT_OK;
	}
	const char *sub = argv[1];
	char cmd[32];
	snprintf(cmd, sizeof(cmd), "initrd %s", sub);
	if (strcmp(sub, "ls") && strcmp(sub, "extract") && strcmp(sub, "build") &&
	    strcmp(sub, "prepend"))
		return usage_error("initrd", "unknown command '%s'", sub);

	bool as_json = false;
	struct initrd_extract_opts xo = { 0 };
	struct initrd_build_opts bo = { .compress = INITRD_CPIO, .block = 512 };
	const char *out = NULL;
	bool align_set = false;
	uint64_t v;
	int c;

	optind = 1;
	while ((c = getopt_long(argc - 1, argv + 1, "ho:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': fputs(initrd_help, stdout); return EXIT_OK;
		case 'j': as_json = true; break;
		case 'f': xo.force = true; break;
		case 'd': xo.devices = true; break;
		case 'o': out = optarg; break;
		case 'c':
			if (!parse_compress(optarg, &bo.compress))
				return usage_error(cmd, "--compress: '%s' is not none, gzip, zstd or xz", optarg);
			break;
		case 'l':
			if (!parse_u64(optarg, 22, &v) || v == 0)
				return usage_error(cmd, "--level: '%s' is not a level from 1 to 22", optarg);
			bo.level = (int)v;
			break;
		case 'a':
			if (!parse_u64(optarg, 4096, &v) || (v & (v - 1)) || v < 4)
				return usage_error(cmd, "--align: '%s' is not a power of two from 4 to 4096", optarg);
			bo.align = (uint32_t)v;
			align_set = true;
			break;
		default:
			return bad_option(cmd, argv + 1);
		}
	}
	char **args = argv + 1 + optind;
	int nargs = argc - 1 - optind;

	if (!strcmp(sub, "ls")) {
		if (nargs != 1)
			return usage_error(cmd, "expects one IMAGE");
		return do_ls(args[0], as_json);
	}
	if (!strcmp(sub, "extract")) {
		if (nargs != 2)
			return usage_error(cmd, "expects IMAGE and DIR");
		return do_extract(args[0], args[1], &xo);
	}

	/* build and prepend */
	if (!out)
		return usage_error(cmd, "-o OUT is required");
	int rc = source_date_epoch(&bo.mtime);
	if (rc)
		return rc;
	struct progress prog;
	clock_gettime(CLOCK_MONOTONIC, &prog.start);
	prog.last = prog.start;
	prog.shown = false;
	if (isatty(STDERR_FILENO)) {
		bo.progress = show_progress;
		bo.progress_arg = &prog;
	}

	char err[768];
	if (!strcmp(sub, "build")) {
		if (nargs < 1)
			return usage_error(cmd, "expects at least one SPEC (DIR or DEST=SRC)");
		if (bo.level && bo.compress == INITRD_CPIO)
			return usage_error(cmd, "--level needs --compress");
		struct initrd_spec *specs = calloc((size_t)nargs, sizeof(*specs));
		if (!specs)
			return bad("out of memory");
		rc = parse_specs(cmd, args, nargs, false, specs);
		if (rc == 0 && initrd_build(out, specs, (unsigned)nargs, &bo, NULL, 0, err, sizeof(err)))
			rc = bad("%s", err);
		free(specs);
		return rc;
	}

	/* prepend: the early archive is uncompressed, data aligned for loaders. */
	if (nargs < 2)
		return usage_error(cmd, "expects IMAGE and at least one DEST=SRC");
	if (bo.compress != INITRD_CPIO)
		return usage_error(cmd, "the early archive is never compressed");
	if (!align_set)
		bo.align = 16;
	struct input in;
	struct initrd_image img;
	if ((rc = load_image(&in, &img, args[0])) != 0)
		return rc;
	initrd_image_close(&img);
	struct initrd_spec *specs = calloc((size_t)nargs - 1, sizeof(*specs));
	if (!specs) {
		input_release(&in);
		return bad("out of memory");
	}
	rc = parse_specs(cmd, args + 1, nargs - 1, true, specs);
	if (rc == 0 && initrd_build(out, specs, (unsigned)nargs - 1, &bo, in.data, in.len,
				    err, sizeof(err)))
		rc = bad("%s", err);
	free(specs);
	input_release(&in);
	return rc;
}

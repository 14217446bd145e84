/* SPDX-License-Identifier: MIT */
/* cli.h - what the fwkit command's files share: messages, files, JSON. */
#ifndef FWKIT_CLI_H
#define FWKIT_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define FWKIT_VERSION "0.1.0"

/* Exit codes of every command (the user contract). */
enum { EXIT_OK = 0, EXIT_FINDING = 1, EXIT_BAD = 2 };

/* "fwkit: <message>" on stderr, one line. */
void msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* msg() then return EXIT_BAD, for `return bad(...)`. */
int bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Bad usage: the message and a pointer to --help; returns EXIT_BAD. */
int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A whole input file, mapped read-only (or read, for pipes). */
struct input {
	const char *path;
	const uint8_t *data;
	uint64_t len;
	void *map;     /* munmap on release when set */
	uint8_t *heap; /* free on release when set */
};
int input_open(struct input *in, const char *path); /* 0, or -1 after msg() */
void input_release(struct input *in);

/* Write data to path through a temp file beside it, fsync'ed and renamed
 * into place; 0, or EXIT_BAD after one message naming path. */
int output_write(const char *path, const void *data, size_t len);
/* The part of path after its last '/'. */
const char *path_base(const char *path);

/* After getopt_long returned '?' (opterr is 0): one usage line naming the
 * option; args is the vector given to getopt_long.  Returns EXIT_BAD. */
int bad_option(const char *cmd, char **args);
/* The mtime for written entries: $SOURCE_DATE_EPOCH, or 0 when unset; a
 * malformed value is EXIT_BAD after one message. */
int source_date_epoch(uint32_t *mtime);

/* Parse an unsigned number (decimal or 0x hex) no greater than max. */
bool parse_u64(const char *s, uint64_t max, uint64_t *out);

/* A small JSON writer onto a FILE. */
struct json {
	FILE *f;
	int depth;
	bool need_comma[32];
	bool after_key;
};
void json_init(struct json *j, FILE *f);
void json_obj_begin(struct json *j);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j);
void json_arr_end(struct json *j);
void json_key(struct json *j, const char *key);
void json_str(struct json *j, const char *s);
void json_strn(struct json *j, const char *s, size_t n);
void json_u64(struct json *j, uint64_t v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/* Bytes of a fixed-width binary field: printable ASCII as is, every other
 * byte as \u00XX (as if Latin-1), so the output is always valid JSON. */
void json_bytes(struct json *j, const void *p, size_t n);
/* key + value in one call */
void json_kstr(struct json *j, const char *key, const char *s);
void json_ku64(struct json *j, const char *key, uint64_t v);

int cmd_initrd(int argc, char **argv);
int cmd_acpi(int argc, char **argv);
int cmd_boot(int argc, char **argv);
int cmd_taint(int argc, char **argv);
int cmd_ucode(int argc, char **argv);
int cmd_blob(int argc, char **argv);
int cmd_dt(int argc, char **argv);
int cmd_vm(int argc, char **argv);
/* fwkit boot scan (cli/boot_scan.c); argv[0] is "scan". */
int cmd_boot_scan(int argc, char **argv);
/* fwkit blob deliver (cli/deliver.c); argv[0] is "deliver". */
int cmd_blob_deliver(int argc, char **argv);

#endif /* FWKIT_CLI_H */

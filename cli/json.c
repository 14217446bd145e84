/* SPDX-License-Identifier: MIT */
/* json.c - a minimal streaming JSON writer for --json output. */
#include "cli.h"

#include <inttypes.h>
#include <string.h>

void json_init(struct json *j, FILE *f)
{
	*j = (struct json){ .f = f };
}

/* Separate this value from the previous sibling, unless it follows a key. */
static void sep(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->need_comma[j->depth])
		fputc(',', j->f);
	j->need_comma[j->depth] = true;
}

static void open_(struct json *j, char c)
{
	sep(j);
	fputc(c, j->f);
	if (j->depth < 31)
		j->depth++;
	j->need_comma[j->depth] = false;
}

static void close_(struct json *j, char c)
{
	if (j->depth > 0)
		j->depth--;
	fputc(c, j->f);
	if (j->depth == 0)
		fputc('\n', j->f);
}

void json_obj_begin(struct json *j) { open_(j, '{'); }
void json_obj_end(struct json *j) { close_(j, '}'); }
void json_arr_begin(struct json *j) { open_(j, '['); }
void json_arr_end(struct json *j) { close_(j, ']'); }

void json_strn(struct json *j, const char *s, size_t n)
{
	sep(j);
	fputc('"', j->f);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fprintf(j->f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", j->f);
		else if (c == '\t')
			fputs("\\t", j->f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(j->f, "\\u%04x", c);
		else
			fputc(c, j->f);
	}
	fputc('"', j->f);
}

void json_str(struct json *j, const char *s) { json_strn(j, s, strlen(s)); }

void json_key(struct json *j, const char *key)
{
	json_str(j, key);
	fputc(':', j->f);
	j->after_key = true;
}

void json_u64(struct json *j, uint64_t v)
{
	sep(j);
	fprintf(j->f, "%" PRIu64, v);
}

void json_bool(struct json *j, bool v)
{
	sep(j);
	fputs(v ? "true" : "false", j->f);
}

void json_kstr(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_str(j, s);
}

void json_ku64(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	json_u64(j, v);
}

void json_null(struct json *j)
{
	sep(j);
	fputs("null", j->f);
}

void json_bytes(struct json *j, const void *p, size_t n)
{
	const unsigned char *b = p;

	sep(j);
	fputc('"', j->f);
	for (size_t i = 0; i < n; i++) {
		if (b[i] == '"' || b[i] == '\\')
			fprintf(j->f, "\\%c", b[i]);
		else if (b[i] < 0x20 || b[i] >= 0x7f)
			fprintf(j->f, "\\u%04x", b[i]);
		else
			fputc(b[i], j->f);
	}
	fputc('"', j->f);
}

/* SPDX-License-Identifier: MIT */
/* testkit.c - the helpers of testkit.h, failing the running cmocka test on error. */
#include "testkit.h"

#include <limits.h>
#include <stdarg.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

struct img *img_new(void)
{
	struct img *m = calloc(1, sizeof(*m));

	assert_non_null(m);
	return m;
}

void img_bytes(struct img *m, const void *p, size_t n)
{
	assert_true(n <= IMG_MAX - m->len);
	if (n)
		memcpy(m->b + m->len, p, n);
	m->len += n;
}

void img_zeros(struct img *m, size_t n)
{
	assert_true(n <= IMG_MAX - m->len);
	memset(m->b + m->len, 0, n);
	m->len += n;
}

uint8_t *exact_copy(const void *p, size_t n)
{
	uint8_t *c = malloc(n ? n : 1);

	assert_non_null(c);
	if (n)
		memcpy(c, p, n);
	return c;
}

uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		fail_msg("cannot open %s", path);
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			b = realloc(b, cap);
			assert_non_null(b);
		}
		size_t got = fread(b + n, 1, cap - n, f);
		if (got == 0)
			break;
		n += got;
	}
	fclose(f);
	uint8_t *c = exact_copy(b, n);
	free(b);
	*len = n;
	return c;
}

void spew(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

int sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_true(n > 0 && (size_t)n < sizeof(cmd));
	int st = system(cmd);
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		print_error("command failed (status %d): %s\n", st, cmd);
		return -1;
	}
	return 0;
}

char *temp_dir(const char *what)
{
	char *d = malloc(strlen(what) + 32);

	assert_non_null(d);
	sprintf(d, "/tmp/fwkit-test-%s-XXXXXX", what);
	assert_non_null(mkdtemp(d));
	return d;
}

void remove_dir(char *dir)
{
	sh("rm -rf '%s'", dir);
	free(dir);
}

const char *shared_dir(void)
{
	static char dir[PATH_MAX];
	char rel[PATH_MAX];
	const char *env = getenv("FWKIT_SHARED");
	const char *root = getenv("FWKIT_ROOT");

	if (env && *env)
		snprintf(rel, sizeof(rel), "%s", env);
	else
		snprintf(rel, sizeof(rel), "%s%s../shared", root ? root : "",
			 root ? "/" : "");
	if (!realpath(rel, dir))
		fail_msg("shared corpus %s is missing (set FWKIT_SHARED or run "
			 "from the repository root)", rel);
	return dir;
}

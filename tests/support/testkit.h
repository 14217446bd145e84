/* SPDX-License-Identifier: MIT */
/* testkit.h - what fwkit's cmocka programs share: a hand-made image buffer,
 * exact-size heap copies (so ASan sees overreads), files, shell, temp dirs. */
#ifndef FWKIT_TESTKIT_H
#define FWKIT_TESTKIT_H

#include <stddef.h>
#include <stdint.h>

#define IMG_MAX (64u * 1024u)

/* A bounded byte buffer tests assemble images in. */
struct img {
	uint8_t b[IMG_MAX];
	size_t len;
	uint32_t ino; /* for builders that number entries */
};

struct img *img_new(void);
void img_bytes(struct img *m, const void *p, size_t n);
void img_zeros(struct img *m, size_t n);

/* A heap copy of exactly n bytes (at least one allocated). */
uint8_t *exact_copy(const void *p, size_t n);

/* A whole file as an exact-size heap copy; fails the test if unreadable. */
uint8_t *slurp(const char *path, size_t *len);
/* Write n bytes to path; fails the test on error. */
void spew(const char *path, const void *p, size_t n);

/* Run a shell command; 0 when it exited 0, else -1 after printing it. */
int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* mkdtemp under /tmp named after `what`; remove_dir deletes and frees it. */
char *temp_dir(const char *what);
void remove_dir(char *dir);

/* The shared corpus directory: $FWKIT_SHARED, else ../shared beside the
 * repository ($FWKIT_ROOT, else the current directory, the repository's
 * root); fails the test when it is missing. */
const char *shared_dir(void);

#endif /* FWKIT_TESTKIT_H */

/* SPDX-License-Identifier: MIT */
/* tables.h - ACPI table sets the fwkit command loads from files. */
#ifndef FWKIT_CLI_TABLES_H
#define FWKIT_CLI_TABLES_H

#include <fwkit/acpi.h>
#include <fwkit/sha256.h>

struct table_file {
	char *path;   /* where it came from (file, or IMAGE:entry) */
	char *name;   /* file name, or the name after kernel/firmware/acpi/ */
	uint8_t *data;
	uint64_t len;
	bool have_header;
	struct acpi_header h;
	bool dynamic;
	uint8_t sha256[SHA256_DIGEST_SIZE];
};

struct table_set {
	struct table_file *f;
	uint32_t n, cap;
};

/* A machine's tables: a directory (/sys/firmware/acpi/tables with its
 * dynamic/, or acpixtract output) or an acpidump text file.  FACS and RSDP
 * are left out; order is the firmware's as far as names tell.  0, or
 * EXIT_BAD after one message. */
int table_set_load_machine(struct table_set *s, const char *src);

/* What a path holding an initrd image (cpio magic) stands for. */
enum image_mode {
	IMAGES_EXPANDED, /* its early archives' kernel/firmware/acpi/ files */
	IMAGES_REFUSED,  /* an error: a table file was wanted */
	IMAGES_AS_FILES  /* a file like any other (the kernel will reject it) */
};

/* Tables to plan for, in order, one per path (or, for an image, as
 * `images` says).  0, or EXIT_BAD after one message. */
int table_set_load_candidates(struct table_set *s, char **paths, int n,
			       enum image_mode images);

/* Append the kernel/firmware/acpi/ files of image data[0..len) (named path
 * in messages); *found gets how many.  0, or EXIT_BAD after one message. */
int table_set_add_image_tables(struct table_set *s, const char *path, const uint8_t *data,
			       uint64_t len, uint32_t *found);

void table_set_free(struct table_set *s);

/* Fill arrays of s->n elements for acpi_plan/acpi_verify. */
void table_set_candidates(const struct table_set *s, struct acpi_candidate *c);
void table_set_targets(const struct table_set *s, struct acpi_target *t);

void acpi_id_text(const struct acpi_header *h, char out[ACPI_IDENTITY_MAX]);

#endif /* FWKIT_CLI_TABLES_H */

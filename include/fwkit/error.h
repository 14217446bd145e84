/* SPDX-License-Identifier: MIT */
/*
 * fwkit/error.h - the one error vocabulary of every fwkit module.
 *
 * Functions return a value >= 0 on success and one of these negative codes
 * on failure.  Parsers also fill a struct fwk_fault that says where (byte
 * offset in the caller's buffer) and in which field the problem was found,
 * so a front end can print one line naming both.
 */
#ifndef FWKIT_ERROR_H
#define FWKIT_ERROR_H

#include <fwkit/env.h>

enum fwk_error {
	FWK_OK = 0,
	FWK_ERR_TRUNCATED = -1,   /* the input ends inside a structure */
	FWK_ERR_BADMAGIC = -2,    /* a magic number or signature is wrong */
	FWK_ERR_BADFIELD = -3,    /* a field is not well formed */
	FWK_ERR_RANGE = -4,       /* a length or offset points outside the input */
	FWK_ERR_LIMIT = -5,       /* a hard cap (count, size) was exceeded */
	FWK_ERR_NOSPACE = -6,     /* the caller's output buffer is too small */
	FWK_ERR_BADNAME = -7,     /* a path name is empty, absolute or climbs out */
	FWK_ERR_CHECKSUM = -8,    /* a checksum does not match the data */
	FWK_ERR_INVAL = -9,       /* the caller passed an invalid argument */
	FWK_ERR_UNSUPPORTED = -10 /* well formed, but not something fwkit handles */
};

/* Where a parser stopped: byte offset into the caller's buffer, the name of
 * the field at fault (a static string such as "c_filesize"), and the code. */
struct fwk_fault {
	uint64_t offset;
	const char *field;
	const char *detail; /* static text saying what is wrong with the field */
	int error;
};

/* A static, human-readable description of an fwk_error code. */
const char *fwk_strerror(int error);

/* Record a fault and return its code, so parsers can `return fwk_fail(...)`. */
static inline int fwk_fail(struct fwk_fault *f, int error, uint64_t offset,
			   const char *field, const char *detail)
{
	if (f) {
		f->offset = offset;
		f->field = field;
		f->detail = detail;
		f->error = error;
	}
	return error;
}

#endif /* FWKIT_ERROR_H */

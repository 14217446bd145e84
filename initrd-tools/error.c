/* SPDX-License-Identifier: MIT */
/* error.c - the text of each fwk_error code. */
#include <fwkit/error.h>

const char *fwk_strerror(int error)
{
	switch (error) {
	case FWK_OK: return "success";
	case FWK_ERR_TRUNCATED: return "input ends inside a structure";
	case FWK_ERR_BADMAGIC: return "bad magic";
	case FWK_ERR_BADFIELD: return "malformed field";
	case FWK_ERR_RANGE: return "offset or length outside the input";
	case FWK_ERR_LIMIT: return "limit exceeded";
	case FWK_ERR_NOSPACE: return "output buffer too small";
	case FWK_ERR_BADNAME: return "unsafe or malformed name";
	case FWK_ERR_CHECKSUM: return "checksum mismatch";
	case FWK_ERR_INVAL: return "invalid argument";
	case FWK_ERR_UNSUPPORTED: return "not supported";
	}
	return "unknown error";
}

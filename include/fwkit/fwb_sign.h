/* SPDX-License-Identifier: MIT */
/*
 * fwkit/fwb_sign.h - Ed25519 signatures of .fwb containers, through OpenSSL.
 *
 * Keys are the PEM files OpenSSL writes: a private key from
 * `openssl genpkey -algorithm ed25519 -out KEY` (PKCS#8), a public key from
 * `openssl pkey -in KEY -pubout -out PUB` (SubjectPublicKeyInfo).  A key id
 * is the SHA-256 of the raw 32-byte public key.
 *
 * Hosted module (libcrypto).  Each function returns 0 or a negative
 * fwk_error; on failure it writes one line of English into err (at most
 * errcap bytes, NUL-terminated, no trailing newline) that names the field or
 * the key file at fault, for the caller to prefix with the container's name.
 */
#ifndef FWKIT_FWB_SIGN_H
#define FWKIT_FWB_SIGN_H

#include <fwkit/fwb.h>

/*
 * The key id of a public or private key file.  Errors: FWK_ERR_INVAL (the
 * file cannot be read, is not PEM, or is not an Ed25519 key).
 */
int fwb_key_id(const char *key_path, uint8_t key_id[SHA256_DIGEST_SIZE],
	       char *err, size_t errcap);

/*
 * Sign msg[0..len) with the Ed25519 private key in key_path; writes the key
 * id and the 64-byte signature.  Errors: FWK_ERR_INVAL (key file), and
 * FWK_ERR_UNSUPPORTED (OpenSSL refused to sign).
 */
int fwb_sign(const char *key_path, const void *msg, size_t len,
	     uint8_t key_id[SHA256_DIGEST_SIZE], uint8_t sig[FWB_ED25519_SIG_SIZE],
	     char *err, size_t errcap);

/*
 * Verify a parsed container (info from fwb_parse of buf) against the public
 * key in pub_path: the container must be signed, its key id must be the
 * key's, and the signature must verify over bytes 0..info->signed_length-1.
 * Errors: FWK_ERR_INVAL (key file; info does not describe buf),
 * FWK_ERR_UNSUPPORTED (the container is not signed: "signature: the
 * container is not signed"), FWK_ERR_BADFIELD (key_id: "signed by key <hex
 * prefix>, not by <pub_path>"), FWK_ERR_CHECKSUM (signature: "does not
 * verify with <pub_path>").
 */
int fwb_verify(const void *buf, size_t len, const struct fwb_info *info,
	       const char *pub_path, char *err, size_t errcap);

#endif /* FWKIT_FWB_SIGN_H */

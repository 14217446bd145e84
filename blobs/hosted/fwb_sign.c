/* SPDX-License-Identifier: MIT */
/* fwb_sign.c - Ed25519 signing and verification of .fwb containers with
 * OpenSSL 3's EVP interface; key files are PEM. */
#include <fwkit/fwb_sign.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

/* A PEM key is a few hundred bytes; anything this big is something else. */
#define KEY_FILE_MAX (64u * 1024u)

/* Where the key id and the signature sit in the signature block. */
#define SIG_KEY_ID 8u
#define SIG_SIGNATURE 40u
_Static_assert(SIG_SIGNATURE + FWB_ED25519_SIG_SIZE == FWB_SIG_SIZE, "layout");

static void say(char *err, size_t errcap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(char *err, size_t errcap, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errcap)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errcap, fmt, ap);
	va_end(ap);
}

/* OpenSSL must not prompt on the terminal for an encrypted key. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

/* The whole key file into buf; its length, or -1 after say(). */
static long read_key_file(const char *path, char *buf, size_t cap, char *err,
			  size_t errcap)
{
	FILE *fp = fopen(path, "rb");

	if (!fp) {
		say(err, errcap, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	size_t n = fread(buf, 1, cap, fp);
	int failed = ferror(fp);
	int e = errno;
	fclose(fp);
	if (failed) {
		say(err, errcap, "%s: cannot read: %s", path, strerror(e));
		return -1;
	}
	if (n == cap) {
		say(err, errcap, "%s: more than 64 KiB, not a PEM key file", path);
		return -1;
	}
	return (long)n;
}

enum key_want { WANT_PRIVATE, WANT_ANY };

/* The Ed25519 key in path (a private key; with WANT_ANY also a public key),
 * or NULL after say(); the OpenSSL error queue is left empty either way. */
static EVP_PKEY *load_key(const char *path, enum key_want want, char *err,
			  size_t errcap)
{
	EVP_PKEY *pkey = NULL;
	char *text = malloc(KEY_FILE_MAX);

	if (!text) {
		say(err, errcap, "%s: out of memory", path);
		return NULL;
	}
	long n = read_key_file(path, text, KEY_FILE_MAX, err, errcap);
	if (n < 0) {
		free(text);
		return NULL;
	}
	BIO *bio = BIO_new_mem_buf(text, (int)n);
	if (bio) {
		pkey = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL);
		if (!pkey && want == WANT_ANY && BIO_reset(bio) == 1)
			pkey = PEM_read_bio_PUBKEY(bio, NULL, no_passphrase, NULL);
		BIO_free(bio);
	}
	ERR_clear_error();
	const bool encrypted = memmem(text, (size_t)n, "ENCRYPTED", 9) != NULL;
	const bool has_public = memmem(text, (size_t)n, "PUBLIC KEY-----", 15) != NULL;
	OPENSSL_cleanse(text, (size_t)n); /* it may hold a private key */
	free(text);
	if (!pkey) {
		if (encrypted)
			say(err, errcap, "%s: an encrypted private key; fwkit needs an "
			    "unencrypted one", path);
		else if (want == WANT_PRIVATE && has_public)
			say(err, errcap, "%s: a public key; signing needs the private key", path);
		else
			say(err, errcap, "%s: not a PEM %s key", path,
			    want == WANT_PRIVATE ? "private" : "private or public");
		return NULL;
	}
	if (!EVP_PKEY_is_a(pkey, "ED25519")) {
		const char *type = EVP_PKEY_get0_type_name(pkey);
		say(err, errcap, "%s: key type %s, not Ed25519", path,
		    type ? type : "unknown");
		EVP_PKEY_free(pkey);
		ERR_clear_error();
		return NULL;
	}
	return pkey;
}

/* SHA-256 of the key's raw 32-byte public key; 0, or -1 after say(). */
static int key_id_of(EVP_PKEY *pkey, const char *path,
		     uint8_t key_id[SHA256_DIGEST_SIZE], char *err, size_t errcap)
{
	uint8_t raw[FWB_ED25519_KEY_SIZE];
	size_t rawlen = sizeof(raw);

	if (EVP_PKEY_get_raw_public_key(pkey, raw, &rawlen) != 1 ||
	    rawlen != FWB_ED25519_KEY_SIZE) {
		ERR_clear_error();
		say(err, errcap, "%s: OpenSSL cannot give the raw Ed25519 public key", path);
		return -1;
	}
	sha256(raw, rawlen, key_id);
	return 0;
}

int fwb_key_id(const char *key_path, uint8_t key_id[SHA256_DIGEST_SIZE],
	       char *err, size_t errcap)
{
	if (!key_path || !key_id) {
		say(err, errcap, "no key file given");
		return FWK_ERR_INVAL;
	}
	EVP_PKEY *pkey = load_key(key_path, WANT_ANY, err, errcap);
	if (!pkey)
		return FWK_ERR_INVAL;
	int rc = key_id_of(pkey, key_path, key_id, err, errcap);
	EVP_PKEY_free(pkey);
	return rc < 0 ? FWK_ERR_INVAL : 0;
}

int fwb_sign(const char *key_path, const void *msg, size_t len,
	     uint8_t key_id[SHA256_DIGEST_SIZE], uint8_t sig[FWB_ED25519_SIG_SIZE],
	     char *err, size_t errcap)
{
	if (!key_path || (!msg && len) || !key_id || !sig) {
		say(err, errcap, "no key file, message or output given");
		return FWK_ERR_INVAL;
	}
	EVP_PKEY *pkey = load_key(key_path, WANT_PRIVATE, err, errcap);
	if (!pkey)
		return FWK_ERR_INVAL;
	int rc = FWK_ERR_INVAL;
	if (key_id_of(pkey, key_path, key_id, err, errcap) < 0)
		goto out;

	/* Ed25519 is one-shot over the message itself: no separate digest. */
	static const uint8_t empty[1];
	size_t siglen = FWB_ED25519_SIG_SIZE;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (!ctx || EVP_DigestSignInit(ctx, NULL, NULL, NULL, pkey) != 1 ||
	    EVP_DigestSign(ctx, sig, &siglen, len ? msg : empty, len) != 1 ||
	    siglen != FWB_ED25519_SIG_SIZE) {
		ERR_clear_error();
		say(err, errcap, "%s: OpenSSL refused to sign with this key", key_path);
		rc = FWK_ERR_UNSUPPORTED;
	} else {
		rc = 0;
	}
	EVP_MD_CTX_free(ctx);
out:
	EVP_PKEY_free(pkey);
	return rc;
}

static void hex_prefix(const uint8_t *d, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[2 * n] = '\0';
}

int fwb_verify(const void *buf, size_t len, const struct fwb_info *info,
	       const char *pub_path, char *err, size_t errcap)
{
	const uint8_t *b = buf;

	if (!b || !info || !pub_path) {
		say(err, errcap, "no container or key file given");
		return FWK_ERR_INVAL;
	}
	if (!info->is_signed) {
		say(err, errcap, "signature: the container is not signed");
		return FWK_ERR_UNSUPPORTED;
	}
	/* Only what fwb_parse() says of this very buffer is believed. */
	const uint64_t n = len;
	if (info->signed_length != info->payload_offset + info->payload_length ||
	    info->payload_offset != FWB_HEADER_SIZE ||
	    info->sig_offset != info->signed_length ||
	    info->sig_algorithm != FWB_SIG_ED25519 ||
	    info->sig_offset > n || n - info->sig_offset != FWB_SIG_SIZE ||
	    memcmp(b + info->sig_offset + SIG_KEY_ID, info->key_id, SHA256_DIGEST_SIZE) != 0 ||
	    memcmp(b + info->sig_offset + SIG_SIGNATURE, info->signature, FWB_ED25519_SIG_SIZE) != 0) {
		say(err, errcap, "the parsed container does not describe this buffer");
		return FWK_ERR_INVAL;
	}

	EVP_PKEY *pkey = load_key(pub_path, WANT_ANY, err, errcap);
	if (!pkey)
		return FWK_ERR_INVAL;
	uint8_t want[SHA256_DIGEST_SIZE];
	int rc = FWK_ERR_INVAL;
	if (key_id_of(pkey, pub_path, want, err, errcap) < 0)
		goto out;
	if (memcmp(want, info->key_id, SHA256_DIGEST_SIZE) != 0) {
		char hex[17];
		hex_prefix(info->key_id, 8, hex);
		say(err, errcap, "key_id: signed by key %s, not by %s", hex, pub_path);
		rc = FWK_ERR_BADFIELD;
		goto out;
	}
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pkey) == 1 &&
	    EVP_DigestVerify(ctx, info->signature, FWB_ED25519_SIG_SIZE, b,
			     (size_t)info->signed_length) == 1) {
		rc = 0;
	} else {
		say(err, errcap, "signature: does not verify with %s", pub_path);
		rc = FWK_ERR_CHECKSUM;
	}
	ERR_clear_error();
	EVP_MD_CTX_free(ctx);
out:
	EVP_PKEY_free(pkey);
	return rc;
}

/* SPDX-License-Identifier: MIT */
/* blob.c - `fwkit blob pack|info|verify` (and the dispatch of `deliver`):
 * arguments, files and output only; the format lives in blobs/fwb.c. */
#include "cli.h"

#include <fwkit/fwb.h>
#include <fwkit/fwb_sign.h>
#include <fwkit/sha256.h>

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char blob_help[] =
	"usage: fwkit blob pack --target COMPATIBLE [--instance N] --type TYPE\n"
	"                       --version N [--sign KEY.pem] -o OUT PAYLOAD\n"
	"       fwkit blob info [--json] FILE...\n"
	"       fwkit blob verify [--pubkey PUB.pem] FILE...\n"
	"       fwkit blob deliver ...            (see 'fwkit blob deliver --help')\n"
	"\n"
	"Device firmware containers (.fwb, docs/formats/fwb.md): one opaque payload\n"
	"for a PMIC, coprocessor, DSP, FPGA or microcontroller, with its target,\n"
	"version, SHA-256 digests and an optional Ed25519 signature.\n"
	"\n"
	"  pack    wrap PAYLOAD in a container (signed with --sign)\n"
	"  info    show every header field; checks structure and digests\n"
	"  verify  check structure and digests, and with --pubkey the signature\n"
	"\n"
	"Run 'fwkit blob pack --help' (info, verify) for a command's options.\n"
	"Exit status: 0 success; 1 a finding (verify: a wrong key, a bad signature,\n"
	"an unsigned container); 2 bad usage or a malformed container (one line on\n"
	"stderr naming the file, the offset and the field).\n";

static const char pack_help[] =
	"usage: fwkit blob pack --target COMPATIBLE [--instance N] --type TYPE\n"
	"                       --version N [--sign KEY.pem] -o OUT PAYLOAD\n"
	"\n"
	"Wrap the firmware file PAYLOAD in a .fwb container.\n"
	"\n"
	"  --target COMPATIBLE  the device it is for: its devicetree compatible\n"
	"                       string, 1 to 63 printable ASCII characters\n"
	"                       (\"ti,tps65219\")\n"
	"  --instance N         which of several such devices (default 0)\n"
	"  --type TYPE          pmic, coprocessor, dsp, fpga, mcu or other\n"
	"  --version N          the payload's version (0 to 2^64-1); a device\n"
	"                       refuses a version lower than the one it runs\n"
	"  --sign KEY.pem       sign with this Ed25519 private key (PEM, as\n"
	"                       'openssl genpkey -algorithm ed25519' writes it)\n"
	"  -o, --output OUT     written to a temporary file, renamed when complete\n"
	"\n"
	"Exit status: 0 written; 2 bad usage or an unreadable PAYLOAD or key.\n";

static const char info_help[] =
	"usage: fwkit blob info [--json] FILE...\n"
	"\n"
	"Show each container's header fields, its payload's SHA-256, and whether\n"
	"and by which key (id: SHA-256 of the raw public key) it is signed.  The\n"
	"structure and both digests are checked; the signature is not (see\n"
	"'fwkit blob verify').\n"
	"\n"
	"  --json  one JSON array, an object per container\n"
	"\n"
	"Exit status: 0 all well formed; 2 bad usage or a malformed container\n"
	"(\"fwkit: FILE: offset N: FIELD: what is wrong\").\n";

static const char verify_help[] =
	"usage: fwkit blob verify [--pubkey PUB.pem] FILE...\n"
	"\n"
	"Check each container's structure and digests; with --pubkey also that it\n"
	"is signed by that key and that the signature verifies.  Prints\n"
	"\"FILE: ok (...)\" for each good container.\n"
	"\n"
	"  --pubkey PUB.pem  the Ed25519 public key (PEM, as 'openssl pkey -pubout'\n"
	"                    writes it; a private key file works too)\n"
	"\n"
	"Exit status: 0 all good; 1 a finding: signed by another key, a signature\n"
	"that does not verify, or not signed although --pubkey was given; 2 bad\n"
	"usage, an unreadable key or a malformed container.\n";

/* ---- shared ------------------------------------------------------------- */

static int fault_line(const char *path, const struct fwk_fault *f, int rc)
{
	return bad("%s: offset %llu: %s: %s", path, (unsigned long long)f->offset,
		   f->field ? f->field : "container", f->detail ? f->detail : fwk_strerror(rc));
}

static void hex(const uint8_t *d, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[2 * n] = '\0';
}

/* "pmic for "ti,tps65219" instance 0, payload version 7" */
static void describe(const struct fwb_info *info, char *out, size_t cap)
{
	snprintf(out, cap, "%s for \"%s\" instance %u, payload version %llu",
		 fwb_type_name(info->type), info->target, info->instance,
		 (unsigned long long)info->version);
}

/* Open and fully check one container; EXIT_OK, or EXIT_BAD after one line. */
static int open_checked(struct input *in, const char *path, struct fwb_info *info)
{
	struct fwk_fault f = { 0 };

	if (input_open(in, path) != 0)
		return EXIT_BAD;
	/* size_t is as wide as any mapping, but not always as uint64_t. */
	if (in->len > SIZE_MAX) {
		input_release(in);
		return bad("%s: too large", path);
	}
	int rc = fwb_check(in->data, (size_t)in->len, info, &f);
	if (rc < 0) {
		fault_line(path, &f, rc);
		input_release(in);
		return EXIT_BAD;
	}
	return EXIT_OK;
}

/* After getopt_long: --help, or a bad option.  -1 when neither. */
static int common_opt(int c, const char *cmd, const char *help, char **args)
{
	if (c == 'h') {
		fputs(help, stdout);
		return EXIT_OK;
	}
	return bad_option(cmd, args);
}

/* ---- pack --------------------------------------------------------------- */

static int do_pack(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "target", required_argument, NULL, 't' },
		{ "instance", required_argument, NULL, 'i' },
		{ "type", required_argument, NULL, 'T' },
		{ "version", required_argument, NULL, 'v' },
		{ "sign", required_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = "blob pack";
	const char *target = NULL, *type_s = NULL, *key = NULL, *out = NULL;
	uint64_t instance = 0, version = 0;
	bool have_version = false;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		switch (c) {
		case 't': target = optarg; break;
		case 'T': type_s = optarg; break;
		case 's': key = optarg; break;
		case 'o': out = optarg; break;
		case 'i':
			if (!parse_u64(optarg, UINT32_MAX, &instance))
				return usage_error(cmd, "--instance: '%s' is not a number up to 4294967295",
						   optarg);
			break;
		case 'v':
			if (!parse_u64(optarg, UINT64_MAX, &version))
				return usage_error(cmd, "--version: '%s' is not a number up to 2^64-1",
						   optarg);
			have_version = true;
			break;
		default: return common_opt(c, cmd, pack_help, argv);
		}
	}
	if (argc - optind != 1)
		return usage_error(cmd, "expects exactly one PAYLOAD file");
	const char *payload = argv[optind];
	if (!out)
		return usage_error(cmd, "-o OUT is required");
	if (!target)
		return usage_error(cmd, "--target COMPATIBLE is required");
	if (!type_s)
		return usage_error(cmd, "--type is required (pmic, coprocessor, dsp, fpga, mcu, other)");
	if (!have_version)
		return usage_error(cmd, "--version N is required");

	struct fwb_spec spec = {
		.type = fwb_type_parse(type_s, strlen(type_s)),
		.instance = (uint32_t)instance,
		.version = version,
		.target = target,
		.is_signed = key != NULL,
	};
	if (!spec.type)
		return usage_error(cmd, "--type: '%s' is not one of pmic, coprocessor, dsp, fpga, mcu, other",
				   type_s);
	/* A trial header: the library is the judge of a target string. */
	uint8_t probe[FWB_HEADER_SIZE];
	if (fwb_write_header(&spec, probe, sizeof(probe)) < 0)
		return usage_error(cmd, "--target: '%s' is not 1 to %u printable ASCII characters",
				   target, FWB_TARGET_SIZE - 1);

	struct input in;
	if (input_open(&in, payload) != 0)
		return EXIT_BAD;
	int rc = EXIT_BAD;
	uint8_t *buf = NULL;
	if (in.len > FWB_PAYLOAD_MAX || in.len > SIZE_MAX - FWB_HEADER_SIZE - FWB_SIG_SIZE) {
		bad("%s: %llu bytes, more than the 4 GiB a container holds", payload,
		    (unsigned long long)in.len);
		goto out;
	}
	const size_t plen = (size_t)in.len;
	const size_t signed_len = FWB_HEADER_SIZE + plen;
	const size_t total = signed_len + (key ? FWB_SIG_SIZE : 0);
	buf = malloc(total);
	if (!buf) {
		bad("%s: out of memory for a %zu-byte container", out, total);
		goto out;
	}
	spec.payload_length = plen;
	sha256(in.data, plen, spec.payload_sha256);
	if (fwb_write_header(&spec, buf, total) != (int)FWB_HEADER_SIZE) {
		bad("%s: cannot write the header", out);
		goto out;
	}
	if (plen)
		memcpy(buf + FWB_HEADER_SIZE, in.data, plen);

	char err[512];
	uint8_t key_id[SHA256_DIGEST_SIZE];
	if (key) {
		uint8_t sig[FWB_ED25519_SIG_SIZE];
		if (fwb_sign(key, buf, signed_len, key_id, sig, err, sizeof(err)) < 0) {
			bad("%s", err);
			goto out;
		}
		if (fwb_write_signature(FWB_SIG_ED25519, key_id, sig, buf + signed_len,
					total - signed_len) != (int)FWB_SIG_SIZE) {
			bad("%s: cannot write the signature block", out);
			goto out;
		}
	}

	/* Read back what is about to be written, as any reader will. */
	struct fwb_info info;
	struct fwk_fault f = { 0 };
	int crc = fwb_check(buf, total, &info, &f);
	if (crc < 0 || info.signed_length + (key ? FWB_SIG_SIZE : 0) != total) {
		fault_line(out, &f, crc);
		goto out;
	}
	if (key && fwb_verify(buf, total, &info, key, err, sizeof(err)) < 0) {
		bad("%s: %s", out, err);
		goto out;
	}
	if (output_write(out, buf, total) != 0)
		goto out;

	char what[160], id[2 * SHA256_DIGEST_SIZE + 1];
	describe(&info, what, sizeof(what));
	if (key) {
		hex(key_id, SHA256_DIGEST_SIZE, id);
		printf("%s: %zu bytes, %s, signed by key %.16s\n", out, total, what, id);
	} else {
		printf("%s: %zu bytes, %s, not signed\n", out, total, what);
	}
	rc = EXIT_OK;
out:
	free(buf);
	input_release(&in);
	return rc;
}

/* ---- info --------------------------------------------------------------- */

static void info_json(struct json *j, const char *path, uint64_t size,
		      const struct fwb_info *info)
{
	char h[2 * FWB_ED25519_SIG_SIZE + 1];

	json_obj_begin(j);
	json_kstr(j, "file", path);
	json_ku64(j, "size", size);
	json_ku64(j, "format_version", info->format_version);
	json_ku64(j, "flags", info->flags);
	json_ku64(j, "header_length", info->header_length);
	json_kstr(j, "type", fwb_type_name(info->type));
	json_ku64(j, "type_code", info->type);
	json_kstr(j, "target", info->target);
	json_ku64(j, "instance", info->instance);
	json_ku64(j, "payload_version", info->version);
	json_ku64(j, "payload_offset", info->payload_offset);
	json_ku64(j, "payload_length", info->payload_length);
	hex(info->payload_sha256, SHA256_DIGEST_SIZE, h);
	json_kstr(j, "payload_sha256", h);
	hex(info->header_sha256, SHA256_DIGEST_SIZE, h);
	json_kstr(j, "header_sha256", h);
	json_key(j, "signed");
	json_bool(j, info->is_signed);
	json_ku64(j, "signed_length", info->signed_length);
	if (info->is_signed) {
		json_ku64(j, "signature_offset", info->sig_offset);
		json_kstr(j, "signature_algorithm", "ed25519");
		hex(info->key_id, SHA256_DIGEST_SIZE, h);
		json_kstr(j, "key_id", h);
		hex(info->signature, FWB_ED25519_SIG_SIZE, h);
		json_kstr(j, "signature", h);
	}
	json_obj_end(j);
}

static void info_text(const char *path, uint64_t size, const struct fwb_info *info)
{
	char h[2 * SHA256_DIGEST_SIZE + 1];

	printf("%s: .fwb format %u, %llu bytes\n", path, info->format_version,
	       (unsigned long long)size);
	printf("  type             %s (%u)\n", fwb_type_name(info->type), info->type);
	printf("  target           \"%s\" instance %u\n", info->target, info->instance);
	printf("  payload version  %llu\n", (unsigned long long)info->version);
	hex(info->payload_sha256, SHA256_DIGEST_SIZE, h);
	printf("  payload          %llu bytes at offset %llu, sha256 %s\n",
	       (unsigned long long)info->payload_length,
	       (unsigned long long)info->payload_offset, h);
	hex(info->header_sha256, SHA256_DIGEST_SIZE, h);
	printf("  header           %u bytes, sha256 %s\n", info->header_length, h);
	if (info->is_signed) {
		hex(info->key_id, SHA256_DIGEST_SIZE, h);
		printf("  signed           Ed25519 over bytes 0..%llu, key id %s\n",
		       (unsigned long long)info->signed_length - 1, h);
	} else {
		printf("  signed           no\n");
	}
}

static int do_info(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = "blob info";
	bool as_json = false;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'j')
			as_json = true;
		else
			return common_opt(c, cmd, info_help, argv);
	}
	if (optind >= argc)
		return usage_error(cmd, "expects at least one FILE");

	struct json j;
	int rc = EXIT_OK;
	if (as_json) {
		json_init(&j, stdout);
		json_arr_begin(&j);
	}
	for (int i = optind; i < argc; i++) {
		struct input in;
		struct fwb_info info;

		if (open_checked(&in, argv[i], &info) != EXIT_OK) {
			rc = EXIT_BAD;
			continue;
		}
		if (as_json)
			info_json(&j, argv[i], in.len, &info);
		else
			info_text(argv[i], in.len, &info);
		input_release(&in);
	}
	if (as_json)
		json_arr_end(&j);
	return rc;
}

/* ---- verify ------------------------------------------------------------- */

static int do_verify(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "pubkey", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = "blob verify";
	const char *pub = NULL;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'p')
			pub = optarg;
		else
			return common_opt(c, cmd, verify_help, argv);
	}
	if (optind >= argc)
		return usage_error(cmd, "expects at least one FILE");

	char err[512], id[2 * SHA256_DIGEST_SIZE + 1];
	uint8_t pub_id[SHA256_DIGEST_SIZE];
	/* A key that cannot be read is the same failure for every file. */
	if (pub && fwb_key_id(pub, pub_id, err, sizeof(err)) < 0)
		return bad("%s", err);

	int rc = EXIT_OK;
	for (int i = optind; i < argc; i++) {
		struct input in;
		struct fwb_info info;
		char what[160];

		if (open_checked(&in, argv[i], &info) != EXIT_OK) {
			rc = EXIT_BAD;
			continue;
		}
		describe(&info, what, sizeof(what));
		if (info.is_signed)
			hex(info.key_id, SHA256_DIGEST_SIZE, id);
		if (pub) {
			int v = fwb_verify(in.data, (size_t)in.len, &info, pub, err, sizeof(err));
			if (v < 0) {
				msg("%s: %s", argv[i], err);
				if (v == FWK_ERR_INVAL)
					rc = EXIT_BAD;
				else if (rc == EXIT_OK)
					rc = EXIT_FINDING;
			} else {
				printf("%s: ok (%s; signature by key %.16s verifies with %s)\n",
				       argv[i], what, id, pub);
			}
		} else if (info.is_signed) {
			printf("%s: ok (%s; digests match; signed by key %.16s, signature "
			       "not checked without --pubkey)\n", argv[i], what, id);
		} else {
			printf("%s: ok (%s; digests match; not signed)\n", argv[i], what);
		}
		input_release(&in);
	}
	return rc;
}

/* ---- dispatch ----------------------------------------------------------- */

int cmd_blob(int argc, char **argv)
{
	if (argc < 2) {
		fputs(blob_help, stderr);
		return EXIT_BAD;
	}
	const char *sub = argv[1];
	if (!strcmp(sub, "--help") || !strcmp(sub, "-h") || !strcmp(sub, "help")) {
		fputs(blob_help, stdout);
		return EXIT_OK;
	}
	if (!strcmp(sub, "deliver"))
		return cmd_blob_deliver(argc - 1, argv + 1);
	if (!strcmp(sub, "pack"))
		return do_pack(argc - 1, argv + 1);
	if (!strcmp(sub, "info"))
		return do_info(argc - 1, argv + 1);
	if (!strcmp(sub, "verify"))
		return do_verify(argc - 1, argv + 1);
	return usage_error("blob", "unknown command '%s'", sub);
}

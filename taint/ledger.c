/* SPDX-License-Identifier: MIT */
/* ledger.c - the taint ledger record as one text line and as one JSON object,
 * and the strict, bounded parser that reads the JSON object back. */
#include <fwkit/taint.h>

static const char *const kind_names[] = {
	[LEDGER_ACPI_OVERRIDE] = "acpi-override",
	[LEDGER_ACPI_INSTALL] = "acpi-install",
	[LEDGER_DT_OVERLAY] = "dt-overlay",
	[LEDGER_MICROCODE] = "microcode",
	[LEDGER_BLOB] = "blob",
};
#define KIND_COUNT (sizeof(kind_names) / sizeof(kind_names[0]))

static const char hex_digits[] = "0123456789abcdef";

/* Length of a NUL-terminated string that must end inside cap bytes; -1 if
 * it does not (a record that was never properly filled in). */
static long bounded_len(const char *s, size_t cap)
{
	for (size_t i = 0; i < cap; i++)
		if (s[i] == '\0')
			return (long)i;
	return -1;
}

static bool str_equal(const char *a, size_t alen, const char *b)
{
	size_t i = 0;

	for (; i < alen; i++)
		if (b[i] == '\0' || a[i] != b[i])
			return false;
	return b[i] == '\0';
}

const char *ledger_kind_name(enum ledger_kind k)
{
	if ((unsigned)k >= KIND_COUNT)
		return NULL;
	return kind_names[k];
}

enum ledger_kind ledger_kind_parse(const char *s, size_t len)
{
	for (unsigned k = 1; k < KIND_COUNT; k++)
		if (str_equal(s, len, kind_names[k]))
			return (enum ledger_kind)k;
	return 0;
}

/* Length of the well-formed UTF-8 sequence at s[0..len), or 0 if there is
 * none (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF). */
static size_t utf8_seq(const uint8_t *s, size_t len)
{
	uint8_t c = s[0], lo = 0x80, hi = 0xbf;
	size_t n;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	/* The second byte's range is what rules out the bad forms. */
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (len < n || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

static bool utf8_valid(const char *s, size_t len)
{
	const uint8_t *p = (const uint8_t *)s;

	for (size_t i = 0; i < len;) {
		size_t n = utf8_seq(p + i, len - i);

		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

/* ---- output ---- */

/* A bounded writer: bytes past cap are counted, never stored. */
struct out {
	char *buf;
	size_t cap;
	size_t len;
};

static void put_c(struct out *o, char c)
{
	if (o->len < o->cap)
		o->buf[o->len] = c;
	o->len++;
}

static void put_s(struct out *o, const char *s)
{
	while (*s)
		put_c(o, *s++);
}

static void put_hex_byte(struct out *o, uint8_t b)
{
	put_c(o, hex_digits[b >> 4]);
	put_c(o, hex_digits[b & 15]);
}

static void put_digest(struct out *o, const uint8_t d[SHA256_DIGEST_SIZE])
{
	for (unsigned i = 0; i < SHA256_DIGEST_SIZE; i++)
		put_hex_byte(o, d[i]);
}

/* Add the NUL and return the length, or fail leaving an empty string. */
static int out_finish(struct out *o)
{
	if (o->len >= o->cap || o->len > INT32_MAX) {
		if (o->cap)
			o->buf[0] = '\0';
		return FWK_ERR_NOSPACE;
	}
	o->buf[o->len] = '\0';
	return (int)o->len;
}

/* Lengths of the three strings, or -1 if the record cannot be written. */
struct lens {
	long identity, source, reason;
};

static int record_check(const struct ledger_record *r, struct lens *l)
{
	if (!ledger_kind_name(r->kind))
		return FWK_ERR_INVAL;
	if (r->taint_bit != -1 &&
	    (r->taint_bit < 0 || !taint_flag((unsigned)r->taint_bit)))
		return FWK_ERR_INVAL;
	l->identity = bounded_len(r->identity, sizeof(r->identity));
	l->source = bounded_len(r->source, sizeof(r->source));
	l->reason = bounded_len(r->reason, sizeof(r->reason));
	if (l->identity < 0 || l->source < 0 || l->reason < 0)
		return FWK_ERR_INVAL;
	return 0;
}

/* Text: a control byte would end or garble the line, so it shows as \xNN. */
static void put_text(struct out *o, const char *s)
{
	for (; *s; s++) {
		uint8_t c = (uint8_t)*s;

		if (c < 0x20 || c == 0x7f) {
			put_s(o, "\\x");
			put_hex_byte(o, c);
		} else {
			put_c(o, (char)c);
		}
	}
}

int ledger_format_text(const struct ledger_record *r, char *out, size_t cap)
{
	struct out o = { out, cap, 0 };
	struct lens l;
	int rc = record_check(r, &l);

	if (rc)
		return rc;
	put_s(&o, ledger_kind_name(r->kind));
	put_c(&o, ' ');
	put_text(&o, r->identity);
	put_s(&o, " sha256=");
	put_digest(&o, r->sha256);
	if (r->have_replaced) {
		put_s(&o, " replaced=");
		put_digest(&o, r->replaced_sha256);
	}
	if (r->taint_bit >= 0) {
		put_s(&o, " taint=");
		put_c(&o, taint_flag((unsigned)r->taint_bit)->letter);
	}
	put_s(&o, " source=");
	put_text(&o, r->source);
	put_s(&o, " reason=");
	put_text(&o, r->reason);
	return out_finish(&o);
}

/* A JSON string: '"' and '\\' escaped, control characters as \u00XX. */
static void put_json_str(struct out *o, const char *s)
{
	put_c(o, '"');
	for (; *s; s++) {
		uint8_t c = (uint8_t)*s;

		if (c == '"' || c == '\\') {
			put_c(o, '\\');
			put_c(o, (char)c);
		} else if (c < 0x20) {
			put_s(o, "\\u00");
			put_hex_byte(o, c);
		} else {
			put_c(o, (char)c);
		}
	}
	put_c(o, '"');
}

static void put_json_digest(struct out *o, const uint8_t d[SHA256_DIGEST_SIZE])
{
	put_c(o, '"');
	put_digest(o, d);
	put_c(o, '"');
}

int ledger_format_json(const struct ledger_record *r, char *out, size_t cap)
{
	struct out o = { out, cap, 0 };
	struct lens l;
	int rc = record_check(r, &l);

	if (rc)
		return rc;
	/* JSON text is UTF-8 (RFC 8259 8.1); the parser refuses anything else,
	 * so the writer must not produce it. */
	if (!utf8_valid(r->identity, (size_t)l.identity) ||
	    !utf8_valid(r->source, (size_t)l.source) ||
	    !utf8_valid(r->reason, (size_t)l.reason))
		return FWK_ERR_INVAL;

	put_s(&o, "{\"kind\":\"");
	put_s(&o, ledger_kind_name(r->kind));
	put_s(&o, "\",\"identity\":");
	put_json_str(&o, r->identity);
	put_s(&o, ",\"source\":");
	put_json_str(&o, r->source);
	put_s(&o, ",\"sha256\":");
	put_json_digest(&o, r->sha256);
	put_s(&o, ",\"replaced_sha256\":");
	if (r->have_replaced)
		put_json_digest(&o, r->replaced_sha256);
	else
		put_s(&o, "null");
	put_s(&o, ",\"reason\":");
	put_json_str(&o, r->reason);
	put_s(&o, ",\"taint_bit\":");
	if (r->taint_bit >= 0) {
		/* Bits are below 100, two digits at most. */
		if (r->taint_bit >= 10)
			put_c(&o, (char)('0' + r->taint_bit / 10));
		put_c(&o, (char)('0' + r->taint_bit % 10));
		put_s(&o, ",\"taint_letter\":\"");
		put_c(&o, taint_flag((unsigned)r->taint_bit)->letter);
		put_s(&o, "\"}");
	} else {
		put_s(&o, "null,\"taint_letter\":null}");
	}
	return out_finish(&o);
}

/* ---- input ---- */

enum key {
	K_KIND,
	K_IDENTITY,
	K_SOURCE,
	K_SHA256,
	K_REPLACED,
	K_REASON,
	K_TAINT_BIT,
	K_TAINT_LETTER,
	K_COUNT
};

static const char *const key_names[K_COUNT] = {
	"kind", "identity", "source", "sha256", "replaced_sha256", "reason",
	"taint_bit", "taint_letter",
};

/* Longer than any kind name ("acpi-override") and any key ("replaced_sha256"). */
#define KIND_NAME_MAX 16u
#define KEY_MAX 24u

struct parser {
	const uint8_t *p;
	size_t len;
	size_t at;
	struct fwk_fault *f;
};

static int bad(struct parser *ps, size_t at, const char *field, const char *what)
{
	return fwk_fail(ps->f, FWK_ERR_BADFIELD, at, field, what);
}

static int truncated(struct parser *ps, const char *what)
{
	return fwk_fail(ps->f, FWK_ERR_TRUNCATED, ps->len, "json", what);
}

static void skip_ws(struct parser *ps)
{
	while (ps->at < ps->len) {
		uint8_t c = ps->p[ps->at];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		ps->at++;
	}
}

/* Skip whitespace, then require byte c. */
static int expect(struct parser *ps, char c, const char *field, const char *what)
{
	skip_ws(ps);
	if (ps->at >= ps->len)
		return truncated(ps, what);
	if (ps->p[ps->at] != (uint8_t)c)
		return bad(ps, ps->at, field, what);
	ps->at++;
	return 0;
}

/* What to report when a decoded string does not fit its buffer. */
struct too_long {
	int error;        /* FWK_ERR_LIMIT for text, FWK_ERR_BADFIELD elsewhere */
	const char *what;
};

static const struct too_long text_too_long = {
	FWK_ERR_LIMIT, "a string longer than its field"
};

/* True if s[0..len) is the start of a UTF-8 sequence that the end of the
 * line cut short, rather than a bad one. */
static bool utf8_cut_short(const uint8_t *s, size_t len)
{
	size_t need = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : 2;

	if (s[0] < 0xc2 || s[0] > 0xf4 || len >= need)
		return false;
	for (size_t i = 1; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return false;
	return true;
}

/* Decode the escape at the cursor (its backslash) into *c; *used is how
 * many input bytes it took.  Only \uXXXX below U+0080 (and not U+0000) is
 * taken: the writer never needs more. */
static int parse_escape(struct parser *ps, const char *field, uint8_t *c,
			size_t *used)
{
	static const char plain_in[8] = { '"', '\\', '/', 'b', 'f', 'n', 'r', 't' };
	static const char plain_out[8] = { '"', '\\', '/', '\b', '\f', '\n', '\r', '\t' };
	const size_t at = ps->at;
	unsigned v = 0;

	if (ps->len - at < 2)
		return truncated(ps, "the line ends inside an escape");
	for (unsigned i = 0; i < sizeof(plain_in); i++) {
		if (ps->p[at + 1] == (uint8_t)plain_in[i]) {
			*c = (uint8_t)plain_out[i];
			*used = 2;
			return 0;
		}
	}
	if (ps->p[at + 1] != 'u')
		return bad(ps, at, field, "an unknown escape");
	for (size_t i = 2; i < 6; i++) {
		int d;

		if (at + i >= ps->len)
			return truncated(ps, "the line ends inside an escape");
		d = fwk_hex_digit(ps->p[at + i]);
		if (d < 0)
			return bad(ps, at, field, "a \\u escape without 4 hex digits");
		v = v << 4 | (unsigned)d;
	}
	if (v == 0 || v >= 0x80)
		return bad(ps, at, field, "a \\u escape outside U+0001..U+007F");
	*c = (uint8_t)v;
	*used = 6;
	return 0;
}

/*
 * Decode the JSON string at the cursor (its opening quote included) into
 * out, NUL-terminated.  A value that does not fit in cap bytes with its NUL
 * fails as tl says, but only once the whole string has been checked, so a
 * bad or truncated string is reported as that.
 */
static int parse_string(struct parser *ps, const char *field, char *out,
			size_t cap, size_t *outlen, const struct too_long *tl)
{
	size_t start, n = 0;
	bool over = false;

	skip_ws(ps);
	if (ps->at >= ps->len)
		return truncated(ps, "the line ends before a value");
	if (ps->p[ps->at] != '"')
		return bad(ps, ps->at, field, "expected a string");
	start = ps->at++;
	for (;;) {
		const uint8_t *src = ps->p + ps->at;
		size_t used = 1, emit = 1;
		uint8_t c;
		int rc;

		if (ps->at >= ps->len)
			return truncated(ps, "the line ends inside a string");
		c = *src;
		if (c == '"')
			break;
		if (c < 0x20)
			return bad(ps, ps->at, field, "a raw control character in a string");
		if (c == '\\') {
			rc = parse_escape(ps, field, &c, &used);
			if (rc)
				return rc;
			src = &c;
		} else if (c >= 0x80) {
			used = emit = utf8_seq(src, ps->len - ps->at);
			if (used == 0) {
				if (utf8_cut_short(src, ps->len - ps->at))
					return truncated(ps, "the line ends inside a UTF-8 sequence");
				return bad(ps, ps->at, field, "a string is not UTF-8");
			}
		}
		if (n + emit < cap) {
			memcpy(out + n, src, emit);
			n += emit;
		} else {
			over = true;
		}
		ps->at += used;
	}
	ps->at++; /* the closing quote */
	if (over)
		return fwk_fail(ps->f, tl->error, start, field, tl->what);
	out[n] = '\0';
	*outlen = n;
	return 0;
}

/* Sets *is_null, and moves past it, if the literal null is at the cursor. */
static int parse_null(struct parser *ps, const char *field, bool *is_null)
{
	static const char null_word[] = "null";

	skip_ws(ps);
	*is_null = false;
	if (ps->at >= ps->len)
		return truncated(ps, "the line ends before a value");
	if (ps->p[ps->at] != 'n')
		return 0;
	for (size_t i = 0; i < 4; i++) {
		if (ps->at + i >= ps->len)
			return truncated(ps, "the line ends inside null");
		if (ps->p[ps->at + i] != (uint8_t)null_word[i])
			return bad(ps, ps->at, field, "an unknown literal");
	}
	ps->at += 4;
	*is_null = true;
	return 0;
}

static int parse_digest(struct parser *ps, const char *field,
			uint8_t d[SHA256_DIGEST_SIZE])
{
	static const struct too_long tl = { FWK_ERR_BADFIELD, "not 64 hex digits" };
	char hex[2 * SHA256_DIGEST_SIZE + 1];
	size_t start, n;
	int rc;

	skip_ws(ps);
	start = ps->at;
	rc = parse_string(ps, field, hex, sizeof(hex), &n, &tl);
	if (rc)
		return rc;
	if (n != 2 * SHA256_DIGEST_SIZE)
		return bad(ps, start, field, "not 64 hex digits");
	for (size_t i = 0; i < SHA256_DIGEST_SIZE; i++) {
		int hi = fwk_hex_digit((uint8_t)hex[2 * i]);
		int lo = fwk_hex_digit((uint8_t)hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return bad(ps, start, field, "not 64 hex digits");
		d[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

/* A JSON number that must be a Linux taint bit: digits only, no sign,
 * fraction, exponent or leading zero. */
static int parse_taint_bit(struct parser *ps, int *bit)
{
	size_t start = ps->at;
	unsigned v = 0;

	if (ps->p[ps->at] == '-')
		return bad(ps, start, "taint_bit", "not a Linux taint bit");
	if (ps->p[ps->at] < '0' || ps->p[ps->at] > '9')
		return bad(ps, start, "taint_bit", "expected a number or null");
	while (ps->at < ps->len && ps->p[ps->at] >= '0' && ps->p[ps->at] <= '9') {
		if (ps->at - start >= 3)
			return bad(ps, start, "taint_bit", "not a Linux taint bit");
		v = v * 10 + (unsigned)(ps->p[ps->at] - '0');
		ps->at++;
	}
	if (ps->at - start > 1 && ps->p[start] == '0')
		return bad(ps, start, "taint_bit", "a number with a leading zero");
	if (ps->at < ps->len && (ps->p[ps->at] == '.' || ps->p[ps->at] == 'e' ||
				 ps->p[ps->at] == 'E'))
		return bad(ps, start, "taint_bit", "not an integer");
	if (!taint_flag(v))
		return bad(ps, start, "taint_bit", "not a Linux taint bit");
	*bit = (int)v;
	return 0;
}

/* taint_letter as read; checked against taint_bit once both are known. */
struct letter {
	char c;
	bool is_null;
	size_t at;
};

static int parse_value(struct parser *ps, enum key k, struct ledger_record *r,
		       struct letter *l)
{
	static const struct too_long kind_tl = { FWK_ERR_BADFIELD, "an unknown kind" };
	static const struct too_long letter_tl = { FWK_ERR_BADFIELD, "not one letter" };
	char buf[KIND_NAME_MAX];
	size_t n, start;
	bool is_null;
	int rc;

	skip_ws(ps);
	start = ps->at;
	switch (k) {
	case K_KIND:
		rc = parse_string(ps, "kind", buf, sizeof(buf), &n, &kind_tl);
		if (rc)
			return rc;
		r->kind = ledger_kind_parse(buf, n);
		if (r->kind == 0)
			return bad(ps, start, "kind", "an unknown kind");
		return 0;
	case K_IDENTITY:
		return parse_string(ps, "identity", r->identity, sizeof(r->identity),
				    &n, &text_too_long);
	case K_SOURCE:
		return parse_string(ps, "source", r->source, sizeof(r->source), &n,
				    &text_too_long);
	case K_REASON:
		return parse_string(ps, "reason", r->reason, sizeof(r->reason), &n,
				    &text_too_long);
	case K_SHA256:
		return parse_digest(ps, "sha256", r->sha256);
	case K_REPLACED:
		rc = parse_null(ps, "replaced_sha256", &is_null);
		if (rc || is_null)
			return rc;
		r->have_replaced = true;
		return parse_digest(ps, "replaced_sha256", r->replaced_sha256);
	case K_TAINT_BIT:
		rc = parse_null(ps, "taint_bit", &is_null);
		if (rc || is_null)
			return rc;
		return parse_taint_bit(ps, &r->taint_bit);
	case K_TAINT_LETTER:
		l->at = start;
		rc = parse_null(ps, "taint_letter", &l->is_null);
		if (rc || l->is_null)
			return rc;
		rc = parse_string(ps, "taint_letter", buf, 2, &n, &letter_tl);
		if (rc)
			return rc;
		if (n != 1)
			return bad(ps, start, "taint_letter", "not one letter");
		l->c = buf[0];
		return 0;
	case K_COUNT:
		break;
	}
	return bad(ps, start, "json", "an unknown key");
}

int ledger_parse_json(const char *line, size_t len, struct ledger_record *r,
		      struct fwk_fault *f)
{
	struct parser ps = { (const uint8_t *)line, len, 0, f };
	struct ledger_record rec;
	struct letter letter = { 0, true, 0 };
	unsigned seen = 0;
	size_t close_at;
	bool letter_ok;
	int rc;

	memset(&rec, 0, sizeof(rec));
	rec.taint_bit = -1;

	rc = expect(&ps, '{', "json", "expected '{'");
	if (rc)
		return rc;
	skip_ws(&ps);
	if (ps.at < ps.len && ps.p[ps.at] == '}') {
		close_at = ps.at++;
	} else {
		for (;;) {
			static const struct too_long key_tl = {
				FWK_ERR_BADFIELD, "an unknown key"
			};
			char key[KEY_MAX];
			size_t n, key_at;
			enum key k;

			skip_ws(&ps);
			key_at = ps.at;
			rc = parse_string(&ps, "json", key, sizeof(key), &n, &key_tl);
			if (rc)
				return rc;
			for (k = 0; k < K_COUNT; k++)
				if (str_equal(key, n, key_names[k]))
					break;
			if (k == K_COUNT)
				return bad(&ps, key_at, "json", "an unknown key");
			if (seen & 1u << k)
				return bad(&ps, key_at, key_names[k], "a duplicate key");
			seen |= 1u << k;
			rc = expect(&ps, ':', key_names[k], "expected ':'");
			if (rc)
				return rc;
			rc = parse_value(&ps, k, &rec, &letter);
			if (rc)
				return rc;
			skip_ws(&ps);
			if (ps.at >= ps.len)
				return truncated(&ps, "the line ends inside the object");
			if (ps.p[ps.at] == '}') {
				close_at = ps.at++;
				break;
			}
			if (ps.p[ps.at] != ',')
				return bad(&ps, ps.at, "json", "expected ',' or '}'");
			ps.at++;
		}
	}
	skip_ws(&ps);
	if (ps.at != ps.len)
		return bad(&ps, ps.at, "json", "trailing bytes after the object");

	for (unsigned k = 0; k < K_COUNT; k++)
		if (!(seen & 1u << k))
			return bad(&ps, close_at, key_names[k], "a missing key");
	/* The letter is redundant; it must say what the bit says. */
	if (rec.taint_bit < 0)
		letter_ok = letter.is_null;
	else
		letter_ok = !letter.is_null &&
			    letter.c == taint_flag((unsigned)rec.taint_bit)->letter;
	if (!letter_ok)
		return bad(&ps, letter.at, "taint_letter", "does not match taint_bit");

	memcpy(r, &rec, sizeof(rec));
	return 0;
}

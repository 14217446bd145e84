/* SPDX-License-Identifier: MIT */
/* sha256_shani.c - SHA-256 blocks with the x86 SHA extensions (SHA-NI). */
#include "sha256_impl.h"

#if (defined(__x86_64__) || defined(__i386__)) && \
	(defined(__GNUC__) || defined(__clang__)) && !defined(FWKIT_SHA256_PORTABLE)
#define HAVE_SHANI 1
#include <cpuid.h>
#include <immintrin.h>
#endif

#ifdef HAVE_SHANI

bool sha256_shani_usable(void)
{
	unsigned a, b, c, d;

	/* Leaf 1 ECX: SSSE3 (bit 9) for the byte shuffle, SSE4.1 (bit 19) for
	 * the blend; leaf 7 EBX bit 29: the SHA extensions. */
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & 1u << 9) || !(c & 1u << 19))
		return false;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return false;
	return (b & 1u << 29) != 0;
}

#define SHANI_TARGET __attribute__((target("sha,ssse3,sse4.1")))

/*
 * sha256rnds2 works on the state split as ABEF and CDGH (A in the top
 * lane), not as the a..h words FIPS 180-4 keeps; convert on the way in and
 * out of a run of blocks, not per block.
 */
SHANI_TARGET
void sha256_blocks_shani(uint32_t h[8], const uint8_t *p, size_t n)
{
	/* Reverses the bytes of each 32-bit lane: message words are big-endian. */
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bll, 0x0405060700010203ll);
	__m128i abcd = _mm_loadu_si128((const __m128i *)(const void *)&h[0]);
	__m128i efgh = _mm_loadu_si128((const __m128i *)(const void *)&h[4]);
	__m128i badc = _mm_shuffle_epi32(abcd, 0xb1);
	__m128i hgfe = _mm_shuffle_epi32(efgh, 0x1b);
	__m128i abef = _mm_alignr_epi8(badc, hgfe, 8); /* lanes F E B A */
	__m128i cdgh = _mm_blend_epi16(hgfe, badc, 0xf0); /* lanes H G D C */

	for (; n; n--, p += 64) {
		const __m128i abef0 = abef, cdgh0 = cdgh;
		__m128i w[4];

#pragma GCC unroll 4
		for (unsigned i = 0; i < 4; i++)
			w[i] = _mm_shuffle_epi8(
				_mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i)),
				bswap);
		/* Unrolled, the schedule words stay in registers and the
		 * compiler can overlap msg1/msg2 with the rounds. */
#pragma GCC unroll 16
		for (unsigned g = 0; g < 16; g++) {
			__m128i wk;

			/* From round 16 on, the next four words of the schedule:
			 * msg1 adds sigma0 of w[t-15..t-12] to w[t-16..t-13], the
			 * align supplies w[t-7..t-4], msg2 adds sigma1 of w[t-2]. */
			if (g >= 4) {
				__m128i *next = &w[g & 3];
				const __m128i w12 = w[(g + 3) & 3], w8 = w[(g + 2) & 3];

				*next = _mm_sha256msg1_epu32(*next, w[(g + 1) & 3]);
				*next = _mm_add_epi32(*next, _mm_alignr_epi8(w12, w8, 4));
				*next = _mm_sha256msg2_epu32(*next, w12);
			}
			wk = _mm_add_epi32(w[g & 3], _mm_loadu_si128(
				(const __m128i *)(const void *)&sha256_round_k[4 * g]));
			/* Two rounds each: the old ABEF becomes the new CDGH. */
			cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
			abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(wk, 0x0e));
		}
		abef = _mm_add_epi32(abef, abef0);
		cdgh = _mm_add_epi32(cdgh, cdgh0);
	}

	{
		const __m128i abfe = _mm_shuffle_epi32(abef, 0x1b); /* lanes A B E F */
		const __m128i ghcd = _mm_shuffle_epi32(cdgh, 0xb1); /* lanes G H C D */

		_mm_storeu_si128((__m128i *)(void *)&h[0], _mm_blend_epi16(abfe, ghcd, 0xf0));
		_mm_storeu_si128((__m128i *)(void *)&h[4], _mm_alignr_epi8(ghcd, abfe, 8));
	}
}

#else /* no SHA-NI in this build */

bool sha256_shani_usable(void)
{
	return false;
}

void sha256_blocks_shani(uint32_t h[8], const uint8_t *p, size_t n)
{
	(void)h;
	(void)p;
	(void)n; /* never called: sha256_shani_usable() said no */
}

#endif

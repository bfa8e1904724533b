/* SPDX-License-Identifier: MIT */
/*
 * Hashing: a fast 64-bit hash for keys (post ids, authors) and SHA-256
 * for content versions (the lexicon's version is its SHA-256).
 */
#ifndef CND_HASH_H
#define CND_HASH_H

#include <stddef.h>
#include <stdint.h>

/* 64-bit hash of "len" bytes at "data", continuing from "seed". */
uint64_t cnd_hash64(const void *data, size_t len, uint64_t seed);

/*
 * Spreads the bits of "x" over all 64 (a bijection): for keys that may be
 * sequential, as in tests, before taking some of their bits.
 */
uint64_t cnd_hash_mix(uint64_t x);

struct cnd_sha256 {
    uint32_t h[8];
    uint64_t total;
    unsigned char block[64];
    size_t fill;
};

void cnd_sha256_init(struct cnd_sha256 *s);
void cnd_sha256_update(struct cnd_sha256 *s, const void *data, size_t len);
/* Writes the digest as 64 lowercase hex characters plus a NUL into "hex". */
void cnd_sha256_final_hex(struct cnd_sha256 *s, char hex[65]);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * The seen-post set: an open-addressing hash set of 64-bit keys (linear
 * probing, 0 marks an empty slot) used to count each post exactly once
 * however many pages, runs or replays bring it again. The table doubles
 * when it would pass half full, so it costs 16 to 32 bytes per key. Key 0
 * is stored as another fixed constant; the keys are hashes already, so
 * the one collision this adds is as likely as any other.
 */
#include <stdint.h>
#include <string.h>

#include "common/alloc.h"
#include "common/err.h"
#include "common/hash.h"
#include "output/output.h"

#define SEEN_MIN_SLOTS 8
/* Stands for key 0, which marks empty slots. */
#define SEEN_ZERO_KEY 0x9e3779b97f4a7c15ULL

struct cnd_seen {
    uint64_t *slots;   /* "mask" + 1 slots, 0 = empty */
    size_t mask;
    size_t count;
};

/* ---- Helpers ---- */

/* Spreads the bits again: tests and callers may use sequential keys. */
static size_t slot_of(uint64_t key, size_t mask)
{
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdULL;
    key ^= key >> 33;
    return (size_t)key & mask;
}

static void insert_slot(uint64_t *slots, size_t mask, uint64_t key)
{
    size_t i = slot_of(key, mask);

    while (slots[i] != 0) {
        i = (i + 1) & mask;
    }
    slots[i] = key;
}

static int grow(struct cnd_seen *s)
{
    size_t old_n = s->mask + 1, new_n, i;
    uint64_t *slots;

    if (old_n > SIZE_MAX / 2 / sizeof(uint64_t)) {
        return CND_ENOMEM;
    }
    new_n = old_n * 2;
    slots = cnd_calloc(new_n, sizeof(uint64_t));
    if (slots == NULL) {
        return CND_ENOMEM;
    }
    for (i = 0; i < old_n; i++) {
        if (s->slots[i] != 0) {
            insert_slot(slots, new_n - 1, s->slots[i]);
        }
    }
    cnd_free(s->slots);
    s->slots = slots;
    s->mask = new_n - 1;
    return 0;
}

/* ---- Public API ---- */

struct cnd_seen *cnd_seen_new(void)
{
    struct cnd_seen *s = cnd_calloc(1, sizeof(*s));

    if (s == NULL) {
        return NULL;
    }
    s->slots = cnd_calloc(SEEN_MIN_SLOTS, sizeof(uint64_t));
    if (s->slots == NULL) {
        cnd_free(s);
        return NULL;
    }
    s->mask = SEEN_MIN_SLOTS - 1;
    return s;
}

void cnd_seen_free(struct cnd_seen *s)
{
    if (s == NULL) {
        return;
    }
    cnd_free(s->slots);
    cnd_free(s);
}

/*
 * The key of a post: cnd_hash64 over its "source", one 0x1f byte (a byte
 * that never appears in source names or ids) and its "id", chained
 * through the seed so that no copy is needed. Stable across runs and
 * machines of the same byte order, as the state files need.
 */
uint64_t cnd_post_key(const struct cnd_post *post)
{
    static const char sep = 0x1f;
    uint64_t h;

    h = cnd_hash64(post->source.ptr ? post->source.ptr : "", post->source.len, 0);
    h = cnd_hash64(&sep, 1, h);
    return cnd_hash64(post->id.ptr ? post->id.ptr : "", post->id.len, h);
}

int cnd_seen_add(struct cnd_seen *s, uint64_t key)
{
    size_t i;
    int ret;

    if (key == 0) {
        key = SEEN_ZERO_KEY;
    }
    i = slot_of(key, s->mask);
    while (s->slots[i] != 0) {
        if (s->slots[i] == key) {
            return 0;
        }
        i = (i + 1) & s->mask;
    }
    /* Keep the load at or under one half after this insertion. */
    if ((s->count + 1) * 2 > s->mask + 1) {
        ret = grow(s);
        if (ret < 0) {
            return ret;
        }
        insert_slot(s->slots, s->mask, key);
    } else {
        s->slots[i] = key;
    }
    s->count++;
    return 1;
}

size_t cnd_seen_count(const struct cnd_seen *s)
{
    return s->count;
}

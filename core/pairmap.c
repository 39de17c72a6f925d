/*
 * pairmap.c - a map from a pair of ints (two lock classes: "TO taken while
 * FROM held") to an index, for every caller that needs one: the observed
 * order (sites.c) and the edges of the cycle search (cycles.c).
 *
 * Open addressing, linear probing, the table kept at most half full.
 *
 * What it does NOT do: own what the index points to, or remove entries
 * (a merge only ever adds pairs, then frees the map).
 */
#include <stdint.h>
#include <stdlib.h>

#include "internal.h"

static size_t pair_hash(int a, int b)
{
	uint64_t h = ((uint64_t)(uint32_t)a << 32) | (uint32_t)b;

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (size_t)h;
}

long lo_pairmap_get(const struct lo_pairmap *pm, int a, int b)
{
	size_t i;

	if (!pm->cap)
		return -1;
	for (i = pair_hash(a, b) & (pm->cap - 1); pm->e[i].val >= 0;
	     i = (i + 1) & (pm->cap - 1))
		if (pm->e[i].a == a && pm->e[i].b == b)
			return pm->e[i].val;
	return -1;
}

static void insert(struct lo_pairmap *pm, int a, int b, long val)
{
	size_t i;

	for (i = pair_hash(a, b) & (pm->cap - 1); pm->e[i].val >= 0;
	     i = (i + 1) & (pm->cap - 1))
		if (pm->e[i].a == a && pm->e[i].b == b) {
			pm->e[i].val = val;
			return;
		}
	pm->e[i].a = a;
	pm->e[i].b = b;
	pm->e[i].val = val;
	pm->n++;
}

void lo_pairmap_put(struct lo_pairmap *pm, int a, int b, long val)
{
	if ((pm->n + 1) * 2 > pm->cap) {
		struct lo_pairmap old = *pm;
		size_t i;

		pm->cap = pm->cap ? pm->cap * 2 : 64;
		pm->e = lo_xmalloc(pm->cap * sizeof(*pm->e));
		pm->n = 0;
		for (i = 0; i < pm->cap; i++)
			pm->e[i].val = -1;
		for (i = 0; i < old.cap; i++)
			if (old.e[i].val >= 0)
				insert(pm, old.e[i].a, old.e[i].b, old.e[i].val);
		free(old.e);
	}
	insert(pm, a, b, val);
}

void lo_pairmap_free(struct lo_pairmap *pm)
{
	free(pm->e);
	pm->e = NULL;
	pm->cap = pm->n = 0;
}

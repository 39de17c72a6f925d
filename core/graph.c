/*
 * graph.c - the order locks were taken in, as seen in code: an edge
 * "TO taken while FROM held" per pair of classes, and the pairs taken
 * both ways round.
 *
 * What it does NOT do: find longer cycles (a -> b -> c -> a) or say
 * where a site is; sites are the caller's numbers.  Only two-lock
 * inversions are reported here, because each comes with two sites a
 * reader can look at; a pair the rules order either way is left to the
 * rule checks (check.c), which already report whichever side is wrong.
 *
 * Class ids can be anything (hashes, large and sparse), so edges live in
 * an open-addressing hash table keyed by the pair, plus an array in
 * insertion order; output never follows hash order.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct gedge {
	int from, to;
	int from_decl, to_decl;
	int site;
};

struct lo_graph {
	struct gedge *v;
	size_t n, cap;
	size_t *slots; /* index + 1 into v, 0 for empty */
	size_t nslots;
	int oom;
};

static size_t pair_hash(int from, int to)
{
	uint64_t h = ((uint64_t)(uint32_t)from << 32) | (uint32_t)to;

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return (size_t)h;
}

lo_graph *lo_graph_new(void)
{
	return calloc(1, sizeof(lo_graph));
}

void lo_graph_free(lo_graph *g)
{
	if (!g)
		return;
	free(g->v);
	free(g->slots);
	free(g);
}

static long find_slot(const lo_graph *g, int from, int to)
{
	size_t i;

	if (!g->nslots)
		return -1;
	for (i = pair_hash(from, to) & (g->nslots - 1); g->slots[i];
	     i = (i + 1) & (g->nslots - 1)) {
		const struct gedge *e = &g->v[g->slots[i] - 1];

		if (e->from == from && e->to == to)
			return (long)(g->slots[i] - 1);
	}
	return -1;
}

static int rehash(lo_graph *g, size_t nslots)
{
	size_t *slots = calloc(nslots, sizeof(*slots));
	size_t i, k;

	if (!slots)
		return -1;
	for (k = 0; k < g->n; k++) {
		for (i = pair_hash(g->v[k].from, g->v[k].to) & (nslots - 1);
		     slots[i]; i = (i + 1) & (nslots - 1))
			;
		slots[i] = k + 1;
	}
	free(g->slots);
	g->slots = slots;
	g->nslots = nslots;
	return 0;
}

/* Out of memory drops the edge: a missed inversion, never a crash.  The
 * graph remembers it in OOM for whoever wants to know. */
void lo_graph_add(lo_graph *g, int from, int from_decl, int to, int to_decl,
		  int site)
{
	long k;
	size_t i;

	if (!g)
		return;
	k = find_slot(g, from, to);
	if (k >= 0) {
		struct gedge *e = &g->v[k];

		/* keep the first site; fill in a decl learnt later */
		if (e->from_decl < 0)
			e->from_decl = from_decl;
		if (e->to_decl < 0)
			e->to_decl = to_decl;
		return;
	}
	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 16;
		struct gedge *v = realloc(g->v, cap * sizeof(*v));

		if (!v) {
			g->oom = 1;
			return;
		}
		g->v = v;
		g->cap = cap;
	}
	if ((g->n + 1) * 2 > g->nslots &&
	    rehash(g, g->nslots ? g->nslots * 2 : 32)) {
		g->oom = 1;
		return;
	}
	g->v[g->n].from = from;
	g->v[g->n].to = to;
	g->v[g->n].from_decl = from_decl;
	g->v[g->n].to_decl = to_decl;
	g->v[g->n].site = site;
	for (i = pair_hash(from, to) & (g->nslots - 1); g->slots[i];
	     i = (i + 1) & (g->nslots - 1))
		;
	g->slots[i] = g->n + 1;
	g->n++;
}

static int cmp_inversion(const void *x, const void *y)
{
	const struct lo_inversion *a = x, *b = y;

	if (a->site_ba != b->site_ba)
		return a->site_ba < b->site_ba ? -1 : 1;
	if (a->site_ab != b->site_ab)
		return a->site_ab < b->site_ab ? -1 : 1;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	if (a->b != b->b)
		return a->b < b->b ? -1 : 1;
	return 0;
}

static int pick_decl(int x, int y)
{
	return x >= 0 ? x : y;
}

size_t lo_graph_inversions(const lo_graph *g, const lo_rules *r,
			   struct lo_inversion **out)
{
	struct lo_inversion *v = NULL;
	size_t n = 0, k;

	if (out)
		*out = NULL;
	if (!g || !out)
		return 0;
	for (k = 0; k < g->n; k++) {
		const struct gedge *e = &g->v[k], *rev;
		struct lo_inversion *inv;
		long j;
		int da, db;

		/* each unordered pair once: from the edge with from < to */
		if (e->from >= e->to)
			continue;
		j = find_slot(g, e->to, e->from);
		if (j < 0)
			continue;
		rev = &g->v[j];
		da = pick_decl(e->from_decl, rev->to_decl);
		db = pick_decl(e->to_decl, rev->from_decl);
		if (r && da >= 0 && db >= 0 &&
		    (lo_rules_outside(r, da, db, NULL, 0, NULL) ||
		     lo_rules_outside(r, db, da, NULL, 0, NULL)))
			continue;
		if (!v) {
			v = malloc(g->n * sizeof(*v));
			if (!v)
				return 0;
		}
		inv = &v[n++];
		/* name the pair so that a then b is the earlier site */
		if (e->site <= rev->site) {
			inv->a = e->from;
			inv->b = e->to;
			inv->site_ab = e->site;
			inv->site_ba = rev->site;
		} else {
			inv->a = e->to;
			inv->b = e->from;
			inv->site_ab = rev->site;
			inv->site_ba = e->site;
		}
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_inversion);
	*out = v;
	return n;
}

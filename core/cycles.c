/*
 * cycles.c - circular locking dependencies no rule covers: the observed
 * order's edges (a blocking acquisition while another class is held),
 * each pair taken both ways, and for each strongly connected component
 * whose shortest cycle is longer than two, that cycle.
 *
 * What it does NOT do: report an edge between locks the rules order
 * (either way) or one that already breaks a leaf rule: the rule checks
 * report those.  A component with a two-lock cycle gets no report for its
 * longer cycles: fixing the pairs usually breaks them too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merge_internal.h"

struct tarjan {
	int *index, *low, *onstack, *stack, *comp;
	size_t *adj_start;
	int *adj; /* edge indexes by source class */
	int next, sp, ncomp;
};

/* Is site E a better witness of its edge than X: a shorter chain, then
 * the earlier place. */
static int edge_better(const lo_merge *m, const struct oedge *e,
		       const struct oedge *x)
{
	int le = e->chain >= 0 ? m->nodes[e->chain].len : 0;
	int lx = x->chain >= 0 ? m->nodes[x->chain].len : 0;
	int c;

	if (le != lx)
		return le < lx;
	c = mg_loc_cmp(e->at, x->at);
	if (c)
		return c < 0;
	return strcmp(m->fns[e->fn].name, m->fns[x->fn].name) < 0;
}

/* Places in the report's order: file, line, column, then function. */
static int hop_place_cmp(const lo_merge *m, const struct hop *a,
			 const struct hop *b)
{
	int c = mg_loc_cmp(a->at, b->at);

	return c ? c : strcmp(m->fns[a->fn].name, m->fns[b->fn].name);
}

void mg_edge_add(lo_merge *m, const struct oedge *e)
{
	long k = lo_pairmap_get(&m->edgemap, e->from, e->to);

	if (k >= 0) {
		if (edge_better(m, e, &m->edges[k]))
			m->edges[k] = *e;
		return;
	}
	lo_grow(&m->edges, &m->capedges, m->nedges + 1, sizeof(*m->edges));
	lo_pairmap_put(&m->edgemap, e->from, e->to, (long)m->nedges);
	m->edges[m->nedges++] = *e;
}

static void strongconnect(const lo_merge *m, struct tarjan *t, int v)
{
	size_t k;

	t->index[v] = t->low[v] = t->next++;
	t->stack[t->sp++] = v;
	t->onstack[v] = 1;
	for (k = t->adj_start[v]; k < t->adj_start[v + 1]; k++) {
		int w = m->edges[t->adj[k]].to;

		if (t->index[w] < 0) {
			strongconnect(m, t, w);
			if (t->low[w] < t->low[v])
				t->low[v] = t->low[w];
		} else if (t->onstack[w] && t->index[w] < t->low[v]) {
			t->low[v] = t->index[w];
		}
	}
	if (t->low[v] == t->index[v]) {
		int w;

		do {
			w = t->stack[--t->sp];
			t->onstack[w] = 0;
			t->comp[w] = t->ncomp;
		} while (w != v);
		t->ncomp++;
	}
}

/* Edge E's path and the index of its place in it. */
static int edge_path(const lo_merge *m, const struct oedge *e, struct path *p)
{
	mg_path_of(m, e->fn, e->tu, e->at, e->chain, p);
	return mg_path_primary(m, p);
}

/* "file:line" of hop H, seen from translation unit BASE. */
static char *where(lo_merge *m, const struct hop *h, int base)
{
	struct lo_loc l = mg_loc_from(m, h->tu, base, h->at);

	return lo_xasprintf("%s:%d", l.file ? l.file : "?", l.line);
}

/* Reports the cycle of edges E[0..N) (E[i].to == E[i + 1].from), in
 * lockdep's shape: at the acquisition that closes it, the path there in
 * full, each other edge's acquisition and held lock, and for two locks
 * the scenario of two CPUs. */
static void report_cycle(lo_merge *m, const int *e, size_t n)
{
	size_t first = 0, i, cap = 0, small = 0;
	const struct oedge *e0;
	struct rawf *r;
	struct lo_finding *f;
	struct path *paths = lo_xmalloc(n * sizeof(*paths));
	int *prim = lo_xmalloc(n * sizeof(*prim));
	char *msg, *keys;
	int cross = 0, base;

	for (i = 0; i < n; i++)
		prim[i] = edge_path(m, &m->edges[e[i]], &paths[i]);
	/* A pair taken both ways is reported where the second order is
	 * taken, as lockdep reports the acquisition that closes a cycle; a
	 * longer cycle starts at the edge seen first in the sorted report. */
	for (i = 1; i < n; i++) {
		int c = hop_place_cmp(m, &paths[i].h[prim[i]],
				      &paths[first].h[prim[first]]);

		if (n == 2 ? c > 0 : c < 0)
			first = i;
	}
	e0 = &m->edges[e[first]];
	base = paths[first].h[prim[first]].tu;
	if (n == 2) {
		struct lo_violation v = { LO_V_INVERSION, 0, -1, -1 };
		struct lo_acq acq = { e0->to, -1, LO_KIND_NONE, 0, 0, LO_ACQUIRE,
				      0, "" };
		struct lo_held held = { e0->from, -1, LO_KIND_NONE, 0, 0 };

		msg = lo_violation_message(m->rules, &v, &acq,
					   m->classnames[e0->to], &held,
					   m->classnames[e0->from]);
		if (!msg)
			abort();
	} else {
		char *s = lo_xasprintf("possible circular locking dependency: '%s'",
				       m->classnames[e0->from]);

		for (i = 0; i < n; i++) {
			const struct oedge *x = &m->edges[e[(first + i) % n]];
			char *t = lo_xasprintf("%s -> '%s'", s, m->classnames[x->to]);

			free(s);
			s = t;
		}
		msg = lo_xasprintf("%s; no rule orders them", s);
		free(s);
	}
	r = mg_new_raw(m);
	f = &r->f;
	f->kind = LO_V_INVERSION;
	f->message = msg;
	mg_finding_at(m, f, &paths[first].h[prim[first]]);
	for (i = 0; i < n; i++) {
		size_t k = (first + i) % n;
		const struct oedge *x = &m->edges[e[k]];
		const char *from = m->classnames[x->from];
		const char *to = m->classnames[x->to];
		const struct hop *at = &paths[k].h[prim[k]];

		cross |= x->multi || x->tu != e0->tu;
		/* the path to this edge's acquisition: the finding's own is
		 * the steps of the report, the others' are notes */
		if (i > 0)
			mg_add_note(f, &cap, mg_loc_from(m, at->tu, base, at->at),
				    lo_xasprintf("'%s' acquired while holding '%s' here, in '%s'",
						 to, from, m->fns[at->fn].name),
				    0);
		mg_held_note(m, f, &cap, base, x->tu, x->held, x->fn, i == 0);
		mg_path_notes(m, f, &cap, &paths[k], prim[k], to, LO_ACQUIRE,
			      base, i == 0);
	}
	if (n == 2) {
		size_t o = 1 - first;
		const struct oedge *e1 = &m->edges[e[o]];
		struct hop h0 = { e0->fn, e0->tu, &e0->held->at };
		struct hop h1 = { e1->fn, e1->tu, &e1->held->at };
		char *w0 = where(m, &h0, base), *w1 = where(m, &h1, base);
		char *a0 = where(m, &paths[first].h[prim[first]], base);
		char *a1 = where(m, &paths[o].h[prim[o]], base);

		mg_add_note(f, &cap, f->at,
			    lo_xasprintf("possible scenario: CPU0 holds '%s' (%s) and "
					 "waits for '%s' (%s) while CPU1 holds '%s' (%s) "
					 "and waits for '%s' (%s): deadlock",
					 m->classnames[e1->to], w0,
					 m->classnames[e0->to], a0,
					 m->classnames[e0->to], w1,
					 m->classnames[e1->to], a1),
			    0);
		free(w0);
		free(w1);
		free(a0);
		free(a1);
	}
	f->cross_file = cross;
	/* the key: the classes from the smallest name on, no places */
	for (i = 1; i < n; i++)
		if (strcmp(m->classnames[m->edges[e[i]].from],
			   m->classnames[m->edges[e[small]].from]) < 0)
			small = i;
	keys = lo_xasprintf("inversion");
	for (i = 0; i < n; i++) {
		char *t = lo_xasprintf("%s|%s", keys,
				       m->classnames[m->edges[e[(small + i) % n]].from]);

		free(keys);
		keys = t;
	}
	f->key = mg_hash_key(keys);
	free(keys);
	free(paths);
	free(prim);
}

/* The shortest cycle through the component COMP, by a breadth-first
 * search from each of its classes.  Writes its edges to BEST (room for
 * the component's size) and returns its length, 0 if none. */
static size_t shortest_cycle(const lo_merge *m, const struct tarjan *t,
			     int comp, int *best)
{
	size_t nbest = 0, n = m->nclasses, s;
	int *prev = lo_xmalloc(n * sizeof(int)); /* edge into the class */
	int *q = lo_xmalloc(n * sizeof(int));

	for (s = 0; s < n; s++) {
		size_t head = 0, tail = 0, k, i;
		int found = -1;

		if (t->comp[s] != comp)
			continue;
		for (i = 0; i < n; i++)
			prev[i] = -1;
		q[tail++] = (int)s;
		while (head < tail && found < 0) {
			int v = q[head++];

			for (k = t->adj_start[v]; k < t->adj_start[v + 1]; k++) {
				int ei = t->adj[k], w = m->edges[ei].to;

				if (t->comp[w] != comp)
					continue;
				if (w == (int)s) {
					found = ei;
					break;
				}
				if (prev[w] < 0) {
					prev[w] = ei;
					q[tail++] = w;
				}
			}
		}
		if (found >= 0) {
			size_t len = 1;
			int v = m->edges[found].from;

			while (v != (int)s) {
				len++;
				v = m->edges[prev[v]].from;
			}
			if (!nbest || len < nbest) {
				size_t j = len;

				best[--j] = found;
				v = m->edges[found].from;
				while (v != (int)s) {
					best[--j] = prev[v];
					v = m->edges[prev[v]].from;
				}
				nbest = len;
			}
		}
	}
	free(prev);
	free(q);
	return nbest;
}

void mg_find_cycles(lo_merge *m)
{
	struct tarjan t;
	size_t n = m->nclasses, i, *size;
	int *best;

	if (!m->nedges)
		return;
	memset(&t, 0, sizeof(t));
	t.index = lo_xmalloc(n * sizeof(int));
	t.low = lo_xmalloc(n * sizeof(int));
	t.onstack = lo_xcalloc(n, sizeof(int));
	t.stack = lo_xmalloc(n * sizeof(int));
	t.comp = lo_xmalloc(n * sizeof(int));
	t.adj_start = lo_xcalloc(n + 1, sizeof(size_t));
	t.adj = lo_xmalloc(m->nedges * sizeof(int));
	for (i = 0; i < n; i++)
		t.index[i] = -1;
	for (i = 0; i < m->nedges; i++)
		t.adj_start[m->edges[i].from + 1]++;
	for (i = 0; i < n; i++)
		t.adj_start[i + 1] += t.adj_start[i];
	{
		size_t *fill = lo_xmalloc((n + 1) * sizeof(size_t));

		memcpy(fill, t.adj_start, (n + 1) * sizeof(size_t));
		for (i = 0; i < m->nedges; i++)
			t.adj[fill[m->edges[i].from]++] = (int)i;
		free(fill);
	}
	for (i = 0; i < n; i++)
		if (t.index[i] < 0)
			strongconnect(m, &t, (int)i);

	/* every pair taken both ways */
	for (i = 0; i < m->nedges; i++) {
		const struct oedge *e = &m->edges[i];
		long r;
		int pair[2];

		if (e->from >= e->to)
			continue;
		r = lo_pairmap_get(&m->edgemap, e->to, e->from);
		if (r < 0)
			continue;
		pair[0] = (int)i;
		pair[1] = (int)r;
		report_cycle(m, pair, 2);
	}
	/* each component whose shortest cycle is longer */
	size = lo_xcalloc((size_t)t.ncomp, sizeof(*size));
	for (i = 0; i < n; i++)
		size[t.comp[i]]++;
	best = lo_xmalloc(n * sizeof(int));
	for (i = 0; i < (size_t)t.ncomp; i++) {
		size_t len;

		if (size[i] < 3)
			continue;
		len = shortest_cycle(m, &t, (int)i, best);
		if (len >= 3)
			report_cycle(m, best, len);
	}
	free(best);
	free(size);
	free(t.index);
	free(t.low);
	free(t.onstack);
	free(t.stack);
	free(t.comp);
	free(t.adj_start);
	free(t.adj);
}

/*
 * group.c - one finding per bug: every path that reaches one acquisition
 * under one rule (every holder up the callers, every route from one
 * holder) is one finding, at that acquisition, with the shortest path in
 * full and a note for each other one, shortest first: "also reached from
 * 'F'" at its holder's call, or, for another route from the same holder,
 * at the call where it leaves the shortest.
 *
 * What it does NOT do: drop a finding for any other reason (baselines are
 * lo_merge_filter()'s).  Routes that differ only below the finding's
 * place (inside a header's lock wrapper) are the same line to change and
 * get no note.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merge_internal.h"

/* Notes for this many other paths, then a count. */
#define MAX_ALTERNATIVES 3

static const lo_merge *sort_m;

static int hop_cmp(const struct hop *a, const struct hop *b)
{
	int c = mg_loc_cmp(a->at, b->at);

	if (c)
		return c;
	return strcmp(sort_m->fns[a->fn].name, sort_m->fns[b->fn].name);
}

/* By finding (place, kind, message), then the shortest path first, then
 * by the places of the paths. */
static int cmp_raw(const void *x, const void *y)
{
	const struct rawf *a = &sort_m->raw[*(const size_t *)x];
	const struct rawf *b = &sort_m->raw[*(const size_t *)y];
	int c = mg_loc_cmp(&a->f.at, &b->f.at), i;

	if (c)
		return c;
	if (a->f.kind != b->f.kind)
		return a->f.kind < b->f.kind ? -1 : 1;
	c = strcmp(a->f.message, b->f.message);
	if (c)
		return c;
	if (a->npath != b->npath)
		return a->npath < b->npath ? -1 : 1;
	for (i = 0; i < a->npath; i++)
		if ((c = hop_cmp(&a->path[i], &b->path[i])) != 0)
			return c;
	return *(const size_t *)x < *(const size_t *)y ? -1 : 1;
}

static int same_finding(const struct rawf *a, const struct rawf *b)
{
	return mg_loc_cmp(&a->f.at, &b->f.at) == 0 && a->f.kind == b->f.kind &&
	       strcmp(a->f.message, b->f.message) == 0;
}

/* The place that names path R beside the shortest path P: R's own
 * holder (the function it starts in) when another function holds the
 * lock; else the first hop where R leaves P, or -1 when R follows P down
 * to the finding's place. */
static int leaves_at(const struct rawf *p, const struct rawf *r)
{
	int i;

	for (i = 0; i <= r->primary && i < p->npath; i++)
		if (hop_cmp(&r->path[i], &p->path[i]) != 0)
			return i;
	return -1;
}

void mg_group(lo_merge *m)
{
	size_t *idx = lo_xmalloc((m->nraw ? m->nraw : 1) * sizeof(size_t));
	size_t i, j, k, n = 0;

	for (i = 0; i < m->nraw; i++)
		if (!m->raw[i].dead && m->raw[i].path)
			idx[n++] = i;
	sort_m = m;
	qsort(idx, n, sizeof(*idx), cmp_raw);
	for (i = 0; i < n; i = j) {
		struct rawf *p = &m->raw[idx[i]];
		struct hop seen[MAX_ALTERNATIVES];
		size_t nseen = 0, more = 0, cap = p->f.nnotes;
		int cross = p->f.cross_file;

		for (j = i + 1; j < n && same_finding(p, &m->raw[idx[j]]); j++) {
			struct rawf *r = &m->raw[idx[j]];
			int at = leaves_at(p, r), dup = 0;
			struct lo_loc l;

			r->dead = 1;
			cross &= r->f.cross_file;
			if (at < 0)
				continue;
			for (k = 0; k < nseen; k++)
				dup |= hop_cmp(&seen[k], &r->path[at]) == 0;
			if (dup)
				continue;
			if (nseen == MAX_ALTERNATIVES) {
				more++;
				continue;
			}
			seen[nseen++] = r->path[at];
			l = mg_loc_from(m, r->path[at].tu, p->path[p->primary].tu,
					r->path[at].at);
			mg_add_note(&p->f, &cap, l,
				    lo_xasprintf("also reached from '%s' (%s:%d)",
						 m->fns[r->path[at].fn].name,
						 l.file ? l.file : "?", l.line),
				    0);
		}
		if (more)
			mg_add_note(&p->f, &cap, p->f.at,
				    lo_xasprintf("and from %zu more place%s", more,
						 more == 1 ? "" : "s"),
				    0);
		/* a finding one translation unit shows is the compile's */
		p->f.cross_file = cross;
	}
	free(idx);
}

int mg_cmp_finding(const void *x, const void *y)
{
	const struct lo_finding *a = x, *b = y;
	int c = mg_loc_cmp(&a->at, &b->at);

	if (c)
		return c;
	c = strcmp(a->message, b->message);
	if (c)
		return c;
	c = strcmp(a->fn, b->fn);
	if (c)
		return c;
	return strcmp(a->key, b->key);
}

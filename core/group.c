/*
 * group.c - one finding per deadlock: the same acquisition seen from every
 * caller up a chain is one finding, where the locks meet (the shortest
 * path whose end the others share), and the same place reached by several
 * chains is one finding with a note for each other route.
 *
 * What it does NOT do: drop a finding for any other reason (baselines are
 * lo_merge_filter()'s).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merge_internal.h"

#define MAX_ALTERNATIVES 3

static const lo_merge *sort_m;

static size_t path_len(const struct lo_finding *f)
{
	size_t n = 1, i;

	for (i = 0; i < f->nnotes; i++)
		n += f->notes[i].hop != 0;
	return n;
}

/* The I-th place of F's path: its location, then each hop's. */
static const struct lo_loc *path_at(const struct lo_finding *f, size_t i)
{
	size_t k;

	if (i == 0)
		return &f->at;
	for (k = 0; k < f->nnotes; k++)
		if (f->notes[k].hop && --i == 0)
			return &f->notes[k].at;
	return &f->at;
}

static int ends_with(const struct lo_finding *p, const struct lo_finding *s)
{
	size_t np = path_len(p), ns = path_len(s), i;

	if (ns > np)
		return 0;
	for (i = 1; i <= ns; i++)
		if (mg_loc_cmp(path_at(p, np - i), path_at(s, ns - i)) != 0)
			return 0;
	return 1;
}

static int cmp_group(const void *x, const void *y)
{
	const struct rawf *a = &sort_m->raw[*(const size_t *)x];
	const struct rawf *b = &sort_m->raw[*(const size_t *)y];
	int c = strcmp(a->f.message, b->f.message);
	size_t la, lb;

	if (c)
		return c;
	c = strcmp(mg_nz(a->held_name), mg_nz(b->held_name));
	if (c)
		return c;
	la = path_len(&a->f);
	lb = path_len(&b->f);
	if (la != lb)
		return la < lb ? -1 : 1;
	return *(const size_t *)x < *(const size_t *)y ? -1 : 1;
}

void mg_dedup(lo_merge *m)
{
	size_t *idx = lo_xmalloc((m->nraw ? m->nraw : 1) * sizeof(size_t));
	size_t i, j, start = 0;

	for (i = 0; i < m->nraw; i++)
		idx[i] = i;
	sort_m = m;
	qsort(idx, m->nraw, sizeof(*idx), cmp_group);
	for (i = 0; i < m->nraw; i++) {
		struct rawf *r = &m->raw[idx[i]];

		if (i > 0) {
			const struct rawf *p = &m->raw[idx[i - 1]];

			if (strcmp(p->f.message, r->f.message) ||
			    strcmp(mg_nz(p->held_name), mg_nz(r->held_name)))
				start = i;
		}
		for (j = start; j < i && !r->dead; j++) {
			const struct rawf *o = &m->raw[idx[j]];

			if (!o->dead && ends_with(&r->f, &o->f))
				r->dead = 1;
		}
	}
	free(idx);
}

/* By place first, then as cmp_group(). */
static int cmp_alt(const void *x, const void *y)
{
	const struct rawf *a = &sort_m->raw[*(const size_t *)x];
	const struct rawf *b = &sort_m->raw[*(const size_t *)y];
	int c = mg_loc_cmp(&a->f.at, &b->f.at);

	return c ? c : cmp_group(x, y);
}

/* One finding per place and rule: the same acquisition reached from one
 * call by several chains (a vendor's exit handler for VMX and one for SVM,
 * the timer path and the hypercall path) is one finding with the shortest
 * chain first and a note for each other route. */
void mg_group_alternatives(lo_merge *m)
{
	size_t *idx = lo_xmalloc((m->nraw ? m->nraw : 1) * sizeof(size_t));
	size_t i, n = 0, primary = 0, nalt = 0, cap;

	for (i = 0; i < m->nraw; i++)
		if (!m->raw[i].dead)
			idx[n++] = i;
	sort_m = m;
	qsort(idx, n, sizeof(*idx), cmp_alt);
	for (i = 0; i < n; i++) {
		struct rawf *r = &m->raw[idx[i]];
		struct rawf *p = &m->raw[idx[primary]];

		if (i == 0 || mg_loc_cmp(&p->f.at, &r->f.at) ||
		    strcmp(p->f.message, r->f.message) ||
		    strcmp(mg_nz(p->held_name), mg_nz(r->held_name))) {
			primary = i;
			nalt = 0;
			continue;
		}
		r->dead = 1;
		p->f.cross_file |= r->f.cross_file;
		if (nalt++ >= MAX_ALTERNATIVES || !r->route)
			continue;
		cap = p->f.nnotes;
		mg_add_note(&p->f, &cap, path_len(&r->f) > 1 ? *path_at(&r->f, 1)
							   : r->f.at,
			 lo_xasprintf("also reached through %s", r->route), 0);
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

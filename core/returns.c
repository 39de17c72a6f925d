/*
 * returns.c - a function's ways of returning, as its callers see them:
 * per way, what it returns holding (taken in it and not released), which
 * of its caller's locks it released, and what is known of its return value
 * (zero, nonzero, negative).  The front end walks on past a call with it
 * (a trylock wrapper returns holding its lock only when it returns
 * nonzero); the summary's `ret` record is their union.
 *
 * The join, once for every caller: ways that hold the same locks are one
 * way (the return values, if they differ, are unknown, and what any of
 * them releases of the caller's counts as released: a guard destructor's
 * `if (_T) unlock` releases on the path that matters, and fewer locks held
 * means fewer reports, never false ones).  Past LO_MAX_RETURNS ways, the
 * last keeps only what it and the new one both hold.
 *
 * What it does NOT do: know what a lock is.  Locks are the caller's
 * numbers (struct lo_lockref): a class, or what a parameter points to.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct lo_returns {
	struct lo_return *v;
	size_t n, cap;
};

lo_returns *lo_returns_new(void)
{
	return lo_xcalloc(1, sizeof(lo_returns));
}

void lo_returns_free(lo_returns *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->v[i].holds);
		free(r->v[i].releases);
	}
	free(r->v);
	free(r);
}

size_t lo_returns_count(const lo_returns *r)
{
	return r ? r->n : 0;
}

const struct lo_return *lo_returns_get(const lo_returns *r, size_t i)
{
	return r && i < r->n ? &r->v[i] : NULL;
}

int lo_lockref_eq(const struct lo_lockref *a, const struct lo_lockref *b)
{
	return a->cls == b->cls && a->param == b->param && a->deref == b->deref;
}

static int same_hold(const struct lo_rhold *a, const struct lo_rhold *b)
{
	return lo_lockref_eq(&a->lock, &b->lock) && a->shared == b->shared &&
	       a->subclass == b->subclass;
}

static int has_hold(const struct lo_rhold *v, size_t n,
		    const struct lo_rhold *h)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (same_hold(&v[i], h))
			return 1;
	return 0;
}

/* The same locks held, whatever the order and sites. */
static int same_holds(const struct lo_return *w, const struct lo_rhold *h,
		      size_t n)
{
	size_t i;

	if (w->nholds != n)
		return 0;
	for (i = 0; i < n; i++)
		if (!has_hold(w->holds, w->nholds, &h[i]))
			return 0;
	return 1;
}

static void add_release(struct lo_return *w, const struct lo_lockref *l,
			size_t *cap)
{
	size_t i;

	for (i = 0; i < w->nreleases; i++)
		if (lo_lockref_eq(&w->releases[i], l))
			return;
	lo_grow(&w->releases, cap, w->nreleases + 1, sizeof(*w->releases));
	w->releases[w->nreleases++] = *l;
}

/* A hold's object (lo_rhold's obj) is kept where every way joined agrees. */
static void forget_objects(struct lo_return *w, const struct lo_rhold *holds,
			   size_t nholds)
{
	size_t i, k;

	for (i = 0; i < w->nholds; i++)
		for (k = 0; k < nholds; k++)
			if (same_hold(&w->holds[i], &holds[k]) &&
			    (!w->holds[i].obj || !holds[k].obj ||
			     strcmp(w->holds[i].obj, holds[k].obj) != 0))
				w->holds[i].obj = NULL;
}

void lo_returns_add(lo_returns *r, enum lo_retval ret,
		    const struct lo_rhold *holds, size_t nholds,
		    const struct lo_lockref *releases, size_t nreleases)
{
	struct lo_return *w;
	size_t i, k, cap;

	for (i = 0; i < r->n; i++) {
		w = &r->v[i];
		if (!same_holds(w, holds, nholds))
			continue;
		if (w->ret != ret)
			w->ret = LO_RET_UNKNOWN;
		forget_objects(w, holds, nholds);
		cap = w->nreleases;
		for (k = 0; k < nreleases; k++)
			add_release(w, &releases[k], &cap);
		return;
	}
	if (r->n == LO_MAX_RETURNS) {
		/* past the bound: what every way of returning holds */
		w = &r->v[r->n - 1];
		for (i = k = 0; i < w->nholds; i++)
			if (has_hold(holds, nholds, &w->holds[i]))
				w->holds[k++] = w->holds[i];
		w->nholds = k;
		forget_objects(w, holds, nholds);
		w->ret = LO_RET_UNKNOWN;
		return;
	}
	lo_grow(&r->v, &r->cap, r->n + 1, sizeof(*r->v));
	w = &r->v[r->n++];
	memset(w, 0, sizeof(*w));
	w->ret = ret;
	if (nholds) {
		w->holds = lo_xmalloc(nholds * sizeof(*holds));
		memcpy(w->holds, holds, nholds * sizeof(*holds));
		w->nholds = nholds;
	}
	cap = 0;
	for (k = 0; k < nreleases; k++)
		add_release(w, &releases[k], &cap);
}

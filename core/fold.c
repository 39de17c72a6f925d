/*
 * fold.c - a header's static inline function, once per merge: every
 * translation unit that includes a header carries its own copy of each
 * static inline it calls (spin_lock_irqsave's helpers, kref_put, the
 * guard constructors), and a whole tree has thousands of copies of each.
 * Copies that say the same thing (same name, same definition, the same
 * acquisitions and calls at the same places) are one function of the
 * merge: the first translation unit's, in sorted order.  What a function
 * acquires through its callees is then computed once per header inline,
 * not once per file that includes it.
 *
 * What it does NOT do: fold a function of a main file (two .c files'
 * statics of one name are different functions), or copies that differ in
 * any record (a header compiled under different macros, or calling a
 * static that means another function in each file): those stay apart.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merge_internal.h"

struct hasher {
	uint64_t h;
};

static void mix_bytes(struct hasher *x, const void *p, size_t n)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < n; i++)
		x->h = (x->h ^ c[i]) * 1099511628211ULL;
}

static void mix_str(struct hasher *x, const char *s)
{
	mix_bytes(x, s ? s : "\1", s ? strlen(s) + 1 : 1);
}

static void mix_int(struct hasher *x, long long v)
{
	mix_bytes(x, &v, sizeof(v));
}

static void mix_loc(struct hasher *x, const struct lo_loc *l)
{
	mix_str(x, l->file);
	mix_int(x, l->line);
	mix_int(x, l->col);
}

static void mix_ref(struct hasher *x, const struct lo_sref *r)
{
	mix_str(x, r->cls);
	mix_str(x, r->name);
	mix_int(x, r->kind);
	mix_int(x, r->declared);
	mix_int(x, r->param);
	mix_int(x, r->deref);
	mix_str(x, r->obj);
}

static void mix_held(struct hasher *x, const struct lo_sheld *h, size_t n)
{
	size_t i;

	mix_int(x, (long long)n);
	for (i = 0; i < n; i++) {
		mix_ref(x, &h[i].lock);
		mix_int(x, h[i].shared);
		mix_int(x, h[i].subclass);
		mix_int(x, h[i].asserted);
		mix_loc(x, &h[i].at);
	}
}

static void mix_refs(struct hasher *x, const struct lo_sref *r, size_t n)
{
	size_t i;

	mix_int(x, (long long)n);
	for (i = 0; i < n; i++)
		mix_ref(x, &r[i]);
}

static void mix_when(struct hasher *x, const struct lo_scond *w, size_t n)
{
	size_t i;

	mix_int(x, (long long)n);
	for (i = 0; i < n; i++) {
		mix_int(x, w[i].param);
		mix_int(x, w[i].kind);
		mix_int(x, w[i].value);
	}
}

static void mix_acq(struct hasher *x, const struct lo_sacq *a)
{
	mix_int(x, 'A');
	mix_ref(x, &a->lock);
	mix_int(x, a->op);
	mix_int(x, a->shared);
	mix_int(x, a->subclass);
	mix_int(x, a->trylock);
	mix_loc(x, &a->at);
	mix_held(x, a->held, a->nheld);
	mix_refs(x, a->released, a->nreleased);
	mix_when(x, a->when, a->nwhen);
}

static void mix_call(struct hasher *x, const struct lo_scall *c)
{
	size_t i;

	mix_int(x, 'C');
	mix_str(x, c->callee);
	mix_str(x, c->target);
	mix_loc(x, &c->at);
	mix_held(x, c->held, c->nheld);
	mix_refs(x, c->released, c->nreleased);
	mix_when(x, c->when, c->nwhen);
	mix_int(x, (long long)c->nargs);
	for (i = 0; i < c->nargs; i++) {
		const struct lo_sarg *a = &c->args[i];

		mix_int(x, a->kind);
		mix_ref(x, &a->lock);
		mix_str(x, a->fn);
		mix_int(x, a->fn_static);
		mix_int(x, a->value);
		mix_str(x, a->obj);
	}
}

/* Index of NAME among TU's folding candidates (static functions of
 * headers), or -1. */
static int candidate(const struct lo_strmap *cand, const char *name,
		     int is_static)
{
	return is_static ? lo_strmap_get(cand, name) : -1;
}

void mg_fold_unit(lo_merge *m, int t, int *folded_to, const char **first)
{
	const lo_summary *s = m->tus[t].s;
	size_t nf = lo_summary_function_count(s), i;
	struct lo_strmap cand = { 0 };
	struct hasher *h;

	for (i = 0; i < nf; i++) {
		const struct lo_sfunc *sf = lo_summary_function(s, i);

		folded_to[i] = -1;
		first[i] = NULL;
		if (sf->is_static && !sf->in_main && sf->name)
			lo_strmap_put(&cand, sf->name, (int)i);
	}
	if (!cand.n)
		return;
	h = lo_xcalloc(nf, sizeof(*h));
	for (i = 0; i < nf; i++) {
		const struct lo_sfunc *sf = lo_summary_function(s, i);

		h[i].h = 14695981039346656037ULL;
		mix_str(&h[i], sf->name);
		mix_loc(&h[i], &sf->at);
		mix_int(&h[i], sf->nparams);
	}
	for (i = 0; i < lo_summary_acq_count(s); i++) {
		const struct lo_sacq *a = lo_summary_acq(s, i);
		int k = candidate(&cand, a->fn, a->fn_static);

		if (k >= 0)
			mix_acq(&h[k], a);
	}
	for (i = 0; i < lo_summary_call_count(s); i++) {
		const struct lo_scall *c = lo_summary_call(s, i);
		int k = candidate(&cand, c->fn, c->fn_static);

		if (k >= 0)
			mix_call(&h[k], c);
	}
	for (i = 0; i < nf; i++) {
		const struct lo_sfunc *sf = lo_summary_function(s, i);
		char *key;

		if (!sf->name || lo_strmap_get(&cand, sf->name) != (int)i)
			continue;
		key = lo_xasprintf("%s\n%016llx", sf->name,
				   (unsigned long long)h[i].h);
		folded_to[i] = lo_strmap_get(&m->foldmap, key);
		if (folded_to[i] >= 0) {
			free(key);
			continue;
		}
		/* the first copy: the caller makes its function and says so
		 * in m->foldmap under this key */
		first[i] = mg_pool_str(m, key);
	}
	free(h);
	lo_strmap_free(&cand);
}

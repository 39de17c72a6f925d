/*
 * apply.c - a callee's summary at one call: its locks in the caller's
 * terms (a parameter's lock becomes the argument's), what the paths to an
 * acquisition assume of the callee's parameters against the arguments
 * passed, the caller's locks it released before, the locks the chain held
 * at it (for requirements), and the function a function-pointer parameter
 * was bound to.
 *
 * What it does NOT do: decide anything about order.  Each step returns
 * whether the callee's acquisition can be reached from this call at all;
 * when an argument does not say, we keep it (a caller passing a value we
 * cannot tell may reach it).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merge_internal.h"

/* R, which a callee sees, in the terms of the call C.  Returns 0 when the
 * call does not say what R is (the record is then dropped). */
int mg_subst(const struct lo_sref *r, const struct lo_scall *c,
		 struct lo_sref *out)
{
	const struct lo_sref *a;

	if (r->cls) {
		/* the object's path is the callee's: mg_obj_through() */
		*out = *r;
		out->obj = NULL;
		return 1;
	}
	if (r->param < 0 || r->param >= MAX_PARAM || (size_t)r->param >= c->nargs ||
	    c->args[r->param].kind != LO_ARG_LOCK)
		return 0;
	a = &c->args[r->param].lock;
	if (!a->cls && (a->param < 0 || a->param >= MAX_PARAM))
		return 0;
	*out = *a;
	if (out->kind == LO_KIND_NONE)
		out->kind = r->kind;
	if (!r->deref)
		return 1;
	out->obj = NULL;
	/* The callee locks what *param points to: only a caller passing
	 * its own parameter on says which lock that is. */
	if (a->cls || a->deref)
		return 0;
	out->deref = 1;
	return 1;
}

const char *mg_obj_through(lo_merge *m, const char *obj,
			   const struct lo_scall *c)
{
	const char *buf[64];
	size_t i, n = c->nargs < 64 ? c->nargs : 64;
	char *s;
	int k;

	if (!obj)
		return NULL;
	for (i = 0; i < n; i++)
		buf[i] = c->args[i].obj;
	s = lo_obj_subst(obj, buf, n);
	if (!s)
		return NULL;
	k = lo_strmap_get(&m->objmap, s);
	if (k >= 0) {
		free(s);
		return m->pool[k];
	}
	mg_pool_str(m, s);
	lo_strmap_put(&m->objmap, s, (int)m->npool - 1);
	return s;
}

/* W, a callee's witness, as its caller sees it through call C: what the
 * callee had released of its caller's locks, and what the caller itself had
 * released of its own caller's by C, carry on.  A released lock that the
 * caller holds at C stays released too: the caller may hold it only
 * because the callee handed it back on an earlier turn of a loop
 * (shadow_mmu_try_split_huge_page() drops and retakes kvm->mmu_lock). */
/* The refs IN[0..N) in the terms of call C, into OUT (room for N): those
 * the call says; returns how many. */
int mg_subst_all(const struct lo_sref *in, int n, const struct lo_scall *c,
		 struct lo_sref *out)
{
	int i, k = 0;

	for (i = 0; i < n; i++)
		if (mg_subst(&in[i], c, &out[k]))
			k++;
	return k;
}

void mg_rel_through(lo_merge *m, struct wit *w, const struct lo_scall *c)
{
	struct lo_sref out[MAX_REL];
	int i, n = 0;
	size_t k;

	(void)m;
	for (i = 0; i < w->nrel; i++) {
		struct lo_sref s;
		int held = 0;

		if (!mg_subst(&w->rel[i], c, &s))
			continue;
		for (k = 0; k < (size_t)n; k++)
			held |= s.cls && out[k].cls && strcmp(s.cls, out[k].cls) == 0;
		if (!held && n < MAX_REL)
			out[n++] = s;
	}
	for (k = 0; k < c->nreleased && n < MAX_REL; k++)
		out[n++] = c->released[k];
	memcpy(w->rel, out, sizeof(out[0]) * (size_t)n);
	w->nrel = n;
}

/* Whether a value known to be V (LO_ARG_INT) meets condition C. */
static int when_holds(const struct lo_scond *c, long long v)
{
	switch (c->kind) {
	case LO_WHEN_ZERO:
		return v == 0;
	case LO_WHEN_NONZERO:
		return v != 0;
	case LO_WHEN_NEGATIVE:
		return v < 0;
	case LO_WHEN_EQ:
		return v == c->value;
	case LO_WHEN_BITS:
		return (v & c->value) != 0;
	case LO_WHEN_NOBITS:
		return (v & c->value) == 0;
	}
	return 1;
}

/* W through call MC: a witness reached through the callee's
 * function-pointer parameter holds only when the call passes that function
 * (returns 0 when it passes another); passed on as the caller's own
 * parameter, it stays bound to the caller's. */
int mg_via_through(lo_merge *m, struct wit *w, const struct mcall *mc)
{
	const struct lo_scall *c = mc->c;
	const struct lo_sarg *a;

	if (w->via_param < 0)
		return 1;
	if ((size_t)w->via_param >= c->nargs) {
		w->via_param = -1;
		return 1;
	}
	a = &c->args[w->via_param];
	if (a->kind == LO_ARG_FUNCTION) {
		int fn = mg_fn_ref(m, mc->tu, a->fn, a->fn_static);

		w->via_param = -1;
		return fn < 0 || fn == w->via_fn;
	}
	w->via_param = a->kind == LO_ARG_PARAM ? a->param : -1;
	return 1;
}

/* Whether one value can meet both A and B. */
static int when_meet(const struct lo_scond *a, const struct lo_scond *b)
{
	if (a->kind == LO_WHEN_EQ)
		return when_holds(b, a->value);
	if (b->kind == LO_WHEN_EQ)
		return when_holds(a, b->value);
	if (a->kind == LO_WHEN_ZERO)
		return b->kind == LO_WHEN_ZERO || b->kind == LO_WHEN_NOBITS;
	if (b->kind == LO_WHEN_ZERO)
		return a->kind == LO_WHEN_NOBITS;
	/* some bit of A's mask set, none of B's: A's mask has another bit */
	if (a->kind == LO_WHEN_BITS && b->kind == LO_WHEN_NOBITS)
		return (a->value & ~b->value) != 0;
	if (b->kind == LO_WHEN_BITS && a->kind == LO_WHEN_NOBITS)
		return (b->value & ~a->value) != 0;
	return 1; /* nonzero, negative and some bits set meet */
}

/* W's assumptions about its owner's parameters, through call C: a constant
 * argument that contradicts one makes W unreachable from C (returns 0); an
 * argument that is the caller's own parameter carries it on; what the
 * caller itself assumed at C joins them. */
int mg_when_through(struct wit *w, const struct lo_scall *c)
{
	struct lo_scond out[MAX_WHEN];
	int i, n = 0;
	size_t k;

	for (i = 0; i < w->nwhen; i++) {
		const struct lo_scond *x = &w->when[i];
		const struct lo_sarg *a;

		if (x->param < 0 || (size_t)x->param >= c->nargs)
			continue;
		a = &c->args[x->param];
		if (a->kind == LO_ARG_INT) {
			if (!when_holds(x, a->value))
				return 0;
		} else if (a->kind == LO_ARG_NONZERO) {
			if (x->kind == LO_WHEN_ZERO ||
			    (x->kind == LO_WHEN_EQ && x->value == 0))
				return 0;
		} else if (a->kind == LO_ARG_PARAM) {
			/* the caller's path at C may already know its value */
			for (k = 0; k < c->nwhen; k++)
				if (c->when[k].param == a->param &&
				    !when_meet(x, &c->when[k]))
					return 0;
			if (n < MAX_WHEN) {
				out[n] = *x;
				out[n++].param = a->param;
			}
		}
	}
	for (k = 0; k < c->nwhen && n < MAX_WHEN; k++)
		out[n++] = c->when[k];
	memcpy(w->when, out, sizeof(out[0]) * (size_t)n);
	w->nwhen = n;
	return 1;
}

/* Adds the locks of HELD that a requirement can name (a declared lock,
 * or a parameter's, which may be one in a caller) to W's inner set. */
void mg_inner_add(struct wit *w, const struct lo_sheld *held, size_t n)
{
	size_t k;
	int i, dup;

	for (k = 0; k < n; k++) {
		const struct lo_sref *l = &held[k].lock;

		if (l->cls ? !l->declared : (l->param < 0 || l->param >= MAX_PARAM))
			continue;
		for (dup = 0, i = 0; i < w->ninner && !dup; i++)
			dup = l->cls ? w->inner[i].cls && strcmp(w->inner[i].cls, l->cls) == 0
				     : !w->inner[i].cls && w->inner[i].param == l->param &&
					       w->inner[i].deref == l->deref;
		if (dup)
			continue;
		if (w->ninner == MAX_INNER) {
			w->inner_lost = 1;
			break;
		}
		w->inner[w->ninner++] = held[k].lock;
	}
}

/* W's inner set in the terms of call C's caller, with what the caller
 * holds at C.  A lock the caller cannot name (its callee's parameter the
 * call passes no lock for) is lost. */
void mg_inner_through(struct wit *w, const struct lo_scall *c)
{
	struct lo_sref out[MAX_INNER];
	int n;

	n = mg_subst_all(w->inner, w->ninner, c, out);
	if (n < w->ninner)
		w->inner_lost = 1;
	memcpy(w->inner, out, sizeof(out[0]) * (size_t)n);
	w->ninner = n;
	mg_inner_add(w, c->held, c->nheld);
}

/*
 * sites.c - the checks: every acquisition a function of a main file makes,
 * and every witness of every callee at every call, against the locks held
 * there (lo_check_acquire(), the one judge), and the order the code takes
 * (for cycles and `lockorder graph`).
 *
 * What it does NOT do: word a finding (finding.c) or find cycles
 * (cycles.c).  A lock that a callee released of its caller's before the
 * acquisition is not held at it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merge_internal.h"

static int decl_of(const lo_merge *m, const struct lo_sref *r)
{
	if (!m->rules || !r->cls || !r->declared || !r->name)
		return -1;
	return lo_rules_find_lock(m->rules, r->name);
}

static enum lo_kind kind_of(const lo_merge *m, const struct lo_sref *r,
			    int decl)
{
	if (r->kind != LO_KIND_NONE || decl < 0)
		return r->kind;
	return lo_rules_lock(m->rules, (size_t)decl)->kind;
}

const char *mg_lock_name(const struct lo_sref *r)
{
	if (r->name)
		return r->name;
	return r->cls ? r->cls : "lock";
}

/* Records that ACQ was taken with H held at ST (BROKEN: against a rule). */
static void observe(lo_merge *m, const struct site *st, const struct lo_held *h,
		    const struct lo_acq *acq, int broken)
{
	struct lo_observed *o;
	long x = lo_pairmap_get(&m->obsmap, h->cls, acq->cls);

	if (x >= 0) {
		m->obs[x].violation |= broken;
		return;
	}
	lo_pairmap_put(&m->obsmap, h->cls, acq->cls, (long)m->nobs);
	lo_grow(&m->obs, &m->capobs, m->nobs + 1, sizeof(*m->obs));
	o = &m->obs[m->nobs++];
	o->from = m->classnames[h->cls];
	o->to = m->classnames[acq->cls];
	o->from_decl = h->decl;
	o->to_decl = acq->decl;
	o->at = mg_loc_from(m, st->tu, st->tu, st->at);
	o->fn = m->fns[st->fn].name;
	o->declared = h->decl >= 0 && acq->decl >= 0 &&
		      lo_rules_outside(m->rules, h->decl, acq->decl, NULL, 0, NULL);
	o->violation = broken;
}


size_t lo_merge_observed_count(const lo_merge *m)
{
	return m ? m->nobs : 0;
}

const struct lo_observed *lo_merge_observed(const lo_merge *m, size_t i)
{
	return m && i < m->nobs ? &m->obs[i] : NULL;
}

static int ordered(const lo_merge *m, int a, int b)
{
	return a >= 0 && b >= 0 &&
	       (lo_rules_outside(m->rules, a, b, NULL, 0, NULL) ||
		lo_rules_outside(m->rules, b, a, NULL, 0, NULL));
}

/* Where a requirement (`A requires B`) is checked: in a function nothing
 * calls that could hold B for it.  That is a static function no code
 * calls (a callback the kernel invokes, dead code); an extern function
 * that no analysed code calls may be called from anywhere, with B held or
 * not, and is given the benefit of the doubt.  Anywhere else the
 * requirement goes up to the callers, with what each holds at its call
 * (kvm_tdp_mmu_get_vcpu_root_hpa() runs under its caller's
 * write_lock(&kvm->mmu_lock)). */
static int requirement_root(const struct mfn *f)
{
	return f->is_static && f->callers.n == 0;
}

/* Whether requirement V, broken at ST by what ST holds, is to be
 * reported: where requirements are checked, when no lock the chain below
 * held at the acquisition meets it. */
static int requirement_unmet(const lo_merge *m, const struct site *st,
			     const struct lo_violation *v)
{
	int i;

	if (!st->requires || st->inner_lost)
		return 0;
	for (i = 0; i < st->ninner; i++)
		if (decl_of(m, &st->inner[i]) == v->other)
			return 0;
	return 1;
}

/* Whether taking ACQ while holding H, a lock of its class, is recursive
 * locking as lockdep sees it: the very same object (objpath.c), or two
 * objects of a class whose locks all get one key that this merge sees.
 * Keys given elsewhere (another translation unit's init, several keys,
 * lock_set_cmp_fn(), lockdep_set_subclass()) may make two objects two
 * of lockdep's classes, and we prefer missing a report to a false one. */
static int recursion_proven(const lo_merge *m, const struct lo_sref *h,
			    const struct lo_sref *acq)
{
	int f = mg_key_flags(m, acq->cls);

	if (h->obj && acq->obj && strcmp(h->obj, acq->obj) == 0)
		return 1;
	return (f & KEY_KNOWN) && !(f & KEY_SEVERAL);
}

/* Whether an order edge between these two is one lockdep would record:
 * a counting semaphore is not tracked by lockdep (dm's
 * swap_bios_semaphore, taken in one task and released by bio completion
 * in another), so it is in no cycle.  Rules that name one still apply,
 * and so does sleeping under a spinlock. */
static int tracked(const struct lo_held *h, const struct lo_acq *acq)
{
	return h->kind != LO_SEMAPHORE && acq->kind != LO_SEMAPHORE;
}

/* Checks one acquisition at ST and records its edges. */
static void check(lo_merge *m, const struct site *st, const struct taken *t)
{
	struct lo_held hbuf[16], *hv = hbuf;
	int ibuf[16], *hidx = ibuf;
	struct lo_violation v[MAX_VIOLATIONS];
	struct lo_acq acq;
	const char *acq_name = mg_lock_name(t->lock);
	size_t nh = 0, nv, i, k;
	int blocks;

	/* lockdep validates nothing of a novalidate class */
	if (mg_key_flags(m, t->lock->cls) & KEY_NOVALIDATE)
		return;
	if (st->nheld > 16) {
		hv = lo_xcalloc(st->nheld, sizeof(*hv));
		hidx = lo_xcalloc(st->nheld, sizeof(*hidx));
	}
	for (i = 0; i < st->nheld; i++) {
		const struct lo_sheld *h = &st->held[i];

		int k, gone = 0;

		for (k = 0; k < st->nrel && h->lock.cls; k++)
			gone |= st->rel[k].cls &&
				strcmp(st->rel[k].cls, h->lock.cls) == 0;
		if (gone || (!h->lock.cls && (h->lock.param < 0 ||
					      h->lock.param >= MAX_PARAM)) ||
		    (mg_key_flags(m, h->lock.cls) & KEY_NOVALIDATE))
			continue;
		/* a parameter's lock is a class of its own in this function */
		hv[nh].cls = mg_lock_id(m, &h->lock);
		hv[nh].decl = decl_of(m, &h->lock);
		hv[nh].kind = kind_of(m, &h->lock, hv[nh].decl);
		hv[nh].shared = h->shared;
		hv[nh].subclass = h->subclass;
		hidx[nh++] = (int)i;
	}
	acq.cls = t->lock->cls || (t->lock->param >= 0 &&
				   t->lock->param < MAX_PARAM)
			  ? mg_lock_id(m, t->lock) : -1;
	acq.decl = decl_of(m, t->lock);
	acq.kind = kind_of(m, t->lock, acq.decl);
	acq.shared = t->shared;
	acq.subclass = t->subclass;
	acq.op = t->op;
	acq.trylock = t->trylock;
	acq.function = m->fns[st->fn].name;

	nv = lo_check_acquire(m->rules, hv, nh, &acq, v, MAX_VIOLATIONS);
	if (nv > MAX_VIOLATIONS)
		nv = MAX_VIOLATIONS;
	for (i = 0; i < nv; i++) {
		if (v[i].kind == LO_V_RECURSIVE &&
		    !recursion_proven(m, &st->held[hidx[v[i].held]].lock,
				      t->lock))
			continue;
		if (v[i].kind != LO_V_REQUIRES || requirement_unmet(m, st, &v[i]))
			mg_report_violation(m, st, &v[i], &acq, acq_name, hv, hidx);
	}

	blocks = lo_acq_blocks(&acq);
	for (i = 0; blocks && acq.cls >= 0 && i < nh; i++) {
		int broken = 0;

		if (hv[i].cls < 0 || hv[i].cls == acq.cls)
			continue;
		for (k = 0; k < nv; k++)
			broken |= v[k].held == (int)i &&
				  (v[k].kind == LO_V_ORDER || v[k].kind == LO_V_LEAF ||
				   v[k].kind == LO_V_SRCU_READER ||
				   v[k].kind == LO_V_SRCU_SYNC);
		observe(m, st, &hv[i], &acq, broken);
	}
	for (i = 0; blocks && acq.cls >= 0 && i < nh; i++) {
		struct oedge e;
		int leaf = 0;

		if (hv[i].cls < 0 || hv[i].cls == acq.cls ||
		    ordered(m, hv[i].decl, acq.decl) || !tracked(&hv[i], &acq))
			continue;
		for (k = 0; k < nv; k++)
			leaf |= v[k].kind == LO_V_LEAF && v[k].held == (int)i;
		if (leaf)
			continue;
		e.from = hv[i].cls;
		e.to = acq.cls;
		e.fn = st->fn;
		e.tu = st->tu;
		e.at = st->at;
		e.chain = st->chain;
		e.held = &st->held[hidx[i]];
		e.multi = st->cross;
		mg_edge_add(m, &e);
	}
	if (hv != hbuf) {
		free(hv);
		free(hidx);
	}
}

static int has_class_held(const struct lo_sheld *h, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (h[i].lock.cls)
			return 1;
	return 0;
}

void mg_check_all(lo_merge *m)
{
	size_t fi, k, ci, ti, wi;

	for (fi = 0; fi < m->nfns; fi++) {
		const struct mfn *f = &m->fns[fi];

		/* Only the main file's functions are checked, as the
		 * plugin checks them: a header's inline is checked through
		 * the calls that reach it. */
		if (!f->in_main)
			continue;
		for (k = 0; k < f->nacqs; k++) {
			const struct lo_sacq *a = f->acqs[k];
			struct site st = { (int)fi, f->tu, &a->at, -1, a->held,
					   a->nheld, 0, NULL, 0,
					   requirement_root(f), NULL, 0, 0 };
			struct taken t = { &a->lock, a->op, a->shared,
					   a->subclass, a->trylock };

			if (!has_class_held(a->held, a->nheld) &&
			    !m->never_rules && !m->requires_rules)
				continue;
			check(m, &st, &t);
		}
		for (ci = 0; ci < f->calls.n; ci++) {
			const struct mcall *mc = &m->calls[f->calls.v[ci]];
			const struct lo_scall *c = mc->c;

			if (!has_class_held(c->held, c->nheld) &&
			    !m->never_rules && !m->requires_rules)
				continue;
			for (ti = 0; ti < mc->targets.n; ti++) {
				const struct mfn *g = &m->fns[mc->targets.v[ti]];

				for (wi = 0; wi < g->nw; wi++) {
					struct wit wu, *w = &wu;
					struct lo_sref s;
					struct site st = { (int)fi, mc->tu, &c->at,
							   -1, c->held,
							   c->nheld, 0, NULL, 0,
							   0, NULL, 0, 0 };
					struct taken t = { &s, 0, 0, 0, 0 };
					struct lo_sref rs[MAX_REL], is[MAX_INNER];
					struct wit wc;

					mg_wit_unpack(m, &g->w[wi], &wu);
					wc = wu;
					st.chain = w->chain;
					t.op = w->op;
					t.shared = w->shared;
					t.subclass = w->subclass;
					t.trylock = w->trylock;
					if (!mg_subst(&w->lock, c, &s))
						continue;
					if (w->lock.cls)
						s.obj = mg_obj_through(m, w->lock.obj, c);
					if (!mg_when_through(&wc, c) ||
					    !mg_via_through(m, &wc, mc))
						continue;
					st.rel = rs;
					st.nrel = mg_subst_all(w->rel, w->nrel, c, rs);
					st.requires = requirement_root(f);
					st.inner = is;
					st.ninner = mg_subst_all(w->inner, w->ninner,
								 c, is);
					st.inner_lost = w->inner_lost ||
							st.ninner < w->ninner;
					st.cross = w->multi || g->tu != mc->tu ||
						   mc->indirect;
					check(m, &st, &t);
				}
			}
		}
	}
}


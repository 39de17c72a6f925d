/*
 * reach.c - what every function acquires, itself and through its callees,
 * to a fixpoint over the call graph: the witnesses (struct wit), up to
 * MAX_ROUTES distinct shortest chains per lock and mode, and the chains
 * themselves (struct node, immutable, sharing their tails).
 *
 * What it does NOT do: check anything (sites.c).  A route through a
 * recursion is no route of its own, and a chain longer than MAX_CHAIN hops
 * is dropped: a report nobody can follow is worth less than the time to
 * find it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merge_internal.h"

#define MAX_ROUTES 3

static int class_id(lo_merge *m, const char *key, const char *name)
{
	int id = lo_strmap_get(&m->classmap, key);

	if (id >= 0)
		return id;
	lo_grow(&m->classnames, &m->capclasses, m->nclasses + 1,
		sizeof(*m->classnames));
	m->classnames[m->nclasses] = name ? name : key;
	id = (int)m->nclasses++;
	lo_strmap_put(&m->classmap, key, id);
	return id;
}

/* A lock's identity within one function: its class, or its parameter. */
int mg_lock_id(lo_merge *m, const struct lo_sref *r)
{
	if (r->cls)
		return class_id(m, r->cls, r->name);
	return -2 - 2 * r->param - (r->deref ? 1 : 0);
}

/* FN's bit in a node's filter of the functions on its chain. */
static uint64_t fn_bit(int fn)
{
	return (uint64_t)1 << ((unsigned)fn * 0x9e3779b1u >> 26);
}

static int new_node(lo_merge *m, int fn, const struct lo_loc *at, int next)
{
	struct node *n;

	lo_grow(&m->nodes, &m->capnodes, m->nnodes + 1, sizeof(*m->nodes));
	n = &m->nodes[m->nnodes];
	n->fn = fn;
	n->at = at;
	n->next = next;
	n->len = next >= 0 ? m->nodes[next].len + 1 : 1;
	n->fns = fn_bit(fn) | (next >= 0 ? m->nodes[next].fns : 0);
	return (int)m->nnodes++;
}

static size_t wit_hash(int lockid, int shared, int subclass, int op,
		       int trylock)
{
	uint64_t h = (uint32_t)lockid;

	h = h * 0x9e3779b97f4a7c15ULL + (uint32_t)subclass;
	h = h * 0x9e3779b97f4a7c15ULL +
	    (uint64_t)(shared | trylock << 1 | op << 2);
	h ^= h >> 31;
	return (size_t)h;
}

static int wit_same(const struct swit *w, const struct wit *x)
{
	return w->lockid == x->lockid && w->shared == x->shared &&
	       w->subclass == x->subclass && w->op == (int)x->op &&
	       w->trylock == x->trylock;
}

static void wit_rehash(struct mfn *f, size_t nslots)
{
	size_t i, k;

	free(f->slots);
	f->slots = lo_xcalloc(nslots, sizeof(*f->slots));
	f->nslots = nslots;
	for (k = 0; k < f->nw; k++) {
		const struct swit *w = &f->w[k];

		for (i = wit_hash(w->lockid, w->shared, w->subclass, w->op,
				  w->trylock) & (nslots - 1);
		     f->slots[i]; i = (i + 1) & (nslots - 1))
			;
		f->slots[i] = (int)k + 1;
	}
}

/* Witness K of F changed: its callers have to hear of it. */
static void mark_dirty(struct mfn *f, int k)
{
	if (f->w[k].dirty)
		return;
	f->w[k].dirty = 1;
	ilist_add(&f->dirty, k);
}

/* Offers witness W (its chain not yet built: LEN hops, made by MAKE) to
 * function FN.  A function keeps up to MAX_ROUTES witnesses of each lock
 * and mode, the shortest distinct chains (distinct by the call they start
 * with and what follows it), so a report can show the shortest route and
 * name the others.  Returns 1 when FN's summary changed. */
static int wit_offer(lo_merge *m, int fn, struct wit *w, int len,
		     const struct lo_loc *at, int next)
{
	struct mfn *f = &m->fns[fn];
	size_t i;
	int same = 0, k;
	struct swit *longest = NULL;

	if (len > MAX_CHAIN)
		return 0;
	/* a route through a recursion is no route of its own */
	if (next >= 0 && (m->nodes[next].fns & fn_bit(fn)))
		for (k = next; k >= 0; k = m->nodes[k].next)
			if (m->nodes[k].fn == fn)
				return 0;
	if (f->nslots) {
		for (i = wit_hash(w->lockid, w->shared, w->subclass, w->op,
				  w->trylock) & (f->nslots - 1);
		     f->slots[i]; i = (i + 1) & (f->nslots - 1)) {
			struct swit *x = &f->w[f->slots[i] - 1];
			const struct node *xn;

			if (!wit_same(x, w))
				continue;
			same++;
			xn = &m->nodes[x->chain];
			if (xn->at == at && xn->next == next)
				return 0; /* this very route */
			if (!longest || m->nodes[longest->chain].len < xn->len)
				longest = x;
		}
	}
	if (same >= MAX_ROUTES) {
		if (m->nodes[longest->chain].len <= len)
			return 0;
		w->chain = new_node(m, fn, at, next);
		w->dirty = longest->dirty;
		mg_wit_pack(m, w, longest);
		mark_dirty(f, (int)(longest - f->w));
		return 1;
	}
	w->chain = new_node(m, fn, at, next);
	w->dirty = 0;
	lo_grow(&f->w, &f->capw, f->nw + 1, sizeof(*f->w));
	mg_wit_pack(m, w, &f->w[f->nw++]);
	mark_dirty(f, (int)f->nw - 1);
	if (f->nw * 2 > f->nslots)
		wit_rehash(f, f->nslots ? f->nslots * 2 : 16);
	else {
		for (i = wit_hash(w->lockid, w->shared, w->subclass, w->op,
				  w->trylock) & (f->nslots - 1);
		     f->slots[i]; i = (i + 1) & (f->nslots - 1))
			;
		f->slots[i] = (int)f->nw;
	}
	return 1;
}

void mg_fixpoint(lo_merge *m)
{
	struct ilist q = { 0 };
	size_t i, head = 0;

	for (i = 0; i < m->nfns; i++) {
		struct mfn *f = &m->fns[i];
		size_t k;

		for (k = 0; k < f->nacqs; k++) {
			const struct lo_sacq *a = f->acqs[k];
			struct wit w;
			size_t r;

			if (!a->lock.cls && (a->lock.param < 0 ||
					     a->lock.param >= MAX_PARAM))
				continue;
			memset(&w, 0, sizeof(w));
			w.lock = a->lock;
			w.lockid = mg_lock_id(m, &a->lock);
			w.op = a->op;
			w.shared = a->shared;
			w.subclass = a->subclass;
			w.trylock = a->trylock;
			for (r = 0; r < a->nreleased && w.nrel < MAX_REL; r++)
				w.rel[w.nrel++] = a->released[r];
			for (r = 0; r < a->nwhen && w.nwhen < MAX_WHEN; r++)
				w.when[w.nwhen++] = a->when[r];
			w.via_param = -1;
			mg_inner_add(&w, a->held, a->nheld);
			wit_offer(m, (int)i, &w, 1, &a->at, -1);
		}
		if (m->fns[i].nw) {
			m->fns[i].queued = 1;
			ilist_add(&q, (int)i);
		}
	}
	/* A FIFO worklist: a function's witnesses only ever get shorter
	 * chains, so each is replaced finitely often and this ends. */
	while (head < q.n) {
		int g = q.v[head++];
		struct ilist dirty = m->fns[g].dirty;
		size_t ci, d;

		m->fns[g].queued = 0;
		memset(&m->fns[g].dirty, 0, sizeof(m->fns[g].dirty));
		for (d = 0; d < dirty.n; d++)
			m->fns[g].w[dirty.v[d]].dirty = 0;
		for (ci = 0; ci < m->fns[g].callers.n; ci++) {
			const struct mcall *mc =
				&m->calls[m->fns[g].callers.v[ci]];
			int f = mc->fn, changed = 0;

			for (d = 0; d < dirty.n; d++) {
				struct wit w;
				struct lo_sref s;

				mg_wit_unpack(m, &m->fns[g].w[dirty.v[d]], &w);
				if (!mg_subst(&w.lock, mc->c, &s))
					continue;
				if (w.lock.cls)
					s.obj = mg_obj_through(m, w.lock.obj,
							       mc->c);
				if (!mg_when_through(&w, mc->c) || !mg_via_through(m, &w, mc))
					continue;
				if (mc->via_param >= 0) {
					w.via_param = mc->via_param;
					w.via_fn = g;
				}
				w.lock = s;
				w.lockid = mg_lock_id(m, &s);
				mg_rel_through(m, &w, mc->c);
				mg_inner_through(&w, mc->c);
				w.multi = w.multi || m->fns[g].tu != mc->tu ||
					  mc->indirect;
				changed |= wit_offer(m, f, &w,
						     m->nodes[w.chain].len + 1,
						     &mc->c->at, w.chain);
			}
			if (changed && !m->fns[f].queued) {
				m->fns[f].queued = 1;
				/* compact the queue now and then */
				if (head > 1024 && head * 2 > q.n) {
					memmove(q.v, q.v + head,
						(q.n - head) * sizeof(*q.v));
					q.n -= head;
					head = 0;
				}
				ilist_add(&q, f);
			}
		}
		free(dirty.v);
	}
	free(q.v);
}

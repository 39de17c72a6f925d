/*
 * witness.c - witnesses as functions keep them: a whole kernel's functions
 * keep millions, and most of what a working witness (struct wit) carries
 * besides its lock - the caller's locks released before the acquisition,
 * what the path assumes of parameters, the locks held below - is empty or
 * the same for many.  A stored witness (struct swit) names that context
 * by index; each distinct context is stored once.
 *
 * What it does NOT do: decide what a witness means (reach.c, apply.c).
 * Contexts are compared as bytes: two that name equal strings through
 * different pointers are stored twice, which costs memory, never a result.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "merge_internal.h"

static uint64_t ctx_hash(const struct wctx *c)
{
	const unsigned char *p = (const unsigned char *)c;
	uint64_t h = 14695981039346656037ULL;
	size_t i;

	for (i = 0; i < sizeof(*c); i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return h;
}

static void ctx_rehash(lo_merge *m, size_t nslots)
{
	size_t i, k;

	free(m->ctxslots);
	m->ctxslots = lo_xcalloc(nslots, sizeof(*m->ctxslots));
	m->nctxslots = nslots;
	for (k = 0; k < m->nctxs; k++) {
		for (i = ctx_hash(&m->ctxs[k]) & (nslots - 1); m->ctxslots[i];
		     i = (i + 1) & (nslots - 1))
			;
		m->ctxslots[i] = (int)k + 1;
	}
}

/* The index of context C, stored if new.  C is all bytes, padding and
 * unused entries zero. */
static int ctx_intern(lo_merge *m, const struct wctx *c)
{
	size_t i;

	if (m->nctxslots)
		for (i = ctx_hash(c) & (m->nctxslots - 1); m->ctxslots[i];
		     i = (i + 1) & (m->nctxslots - 1))
			if (memcmp(&m->ctxs[m->ctxslots[i] - 1], c, sizeof(*c)) == 0)
				return m->ctxslots[i] - 1;
	lo_grow(&m->ctxs, &m->capctxs, m->nctxs + 1, sizeof(*m->ctxs));
	m->ctxs[m->nctxs++] = *c;
	if (m->nctxs * 2 > m->nctxslots)
		ctx_rehash(m, m->nctxslots ? m->nctxslots * 2 : 1024);
	else {
		for (i = ctx_hash(c) & (m->nctxslots - 1); m->ctxslots[i];
		     i = (i + 1) & (m->nctxslots - 1))
			;
		m->ctxslots[i] = (int)m->nctxs;
	}
	return (int)m->nctxs - 1;
}

void mg_wit_pack(lo_merge *m, const struct wit *w, struct swit *out)
{
	struct wctx c;
	int i;

	memset(&c, 0, sizeof(c));
	c.nrel = w->nrel;
	for (i = 0; i < w->nrel; i++)
		c.rel[i] = w->rel[i];
	c.nwhen = w->nwhen;
	for (i = 0; i < w->nwhen; i++) {
		c.when[i].param = w->when[i].param;
		c.when[i].kind = w->when[i].kind;
		c.when[i].value = w->when[i].value;
	}
	c.ninner = w->ninner;
	for (i = 0; i < w->ninner; i++)
		c.inner[i] = w->inner[i];
	c.inner_lost = w->inner_lost;
	memset(out, 0, sizeof(*out));
	out->lock = w->lock;
	out->lockid = w->lockid;
	out->subclass = w->subclass;
	out->chain = w->chain;
	out->via_param = w->via_param;
	out->via_fn = w->via_fn;
	out->op = (unsigned char)w->op;
	out->shared = (unsigned char)w->shared;
	out->trylock = (unsigned char)w->trylock;
	out->multi = (unsigned char)w->multi;
	out->dirty = (unsigned char)w->dirty;
	out->ctx = ctx_intern(m, &c);
}

void mg_wit_unpack(const lo_merge *m, const struct swit *s, struct wit *out)
{
	const struct wctx *c = &m->ctxs[s->ctx];
	int i;

	out->lock = s->lock;
	out->lockid = s->lockid;
	out->subclass = s->subclass;
	out->chain = s->chain;
	out->via_param = s->via_param;
	out->via_fn = s->via_fn;
	out->op = (enum lo_effect_op)s->op;
	out->shared = s->shared;
	out->trylock = s->trylock;
	out->multi = s->multi;
	out->dirty = s->dirty;
	out->nrel = c->nrel;
	for (i = 0; i < c->nrel; i++)
		out->rel[i] = c->rel[i];
	out->nwhen = c->nwhen;
	for (i = 0; i < c->nwhen; i++)
		out->when[i] = c->when[i];
	out->ninner = c->ninner;
	for (i = 0; i < c->ninner; i++)
		out->inner[i] = c->inner[i];
	out->inner_lost = c->inner_lost;
}

void mg_wit_free(lo_merge *m)
{
	free(m->ctxs);
	free(m->ctxslots);
	m->ctxs = NULL;
	m->ctxslots = NULL;
	m->nctxs = m->capctxs = m->nctxslots = 0;
}

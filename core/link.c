/*
 * link.c - the merge's call graph: every function of every summary, known
 * by (translation unit, name) when static and by name otherwise; the
 * function-pointer slots and what is stored in them; and every call's
 * targets, direct, through a slot, or through a static-call alias.
 *
 * What it does NOT do: follow what a call acquires (reach.c) or judge it.
 * A slot is a (struct type, field), a variable or a parameter: every
 * function stored into it anywhere is a target of every call through it,
 * which is exact for an ops table filled once (kvm_x86_ops) and coarse for
 * a field many drivers fill: a call through a struct type's field that
 * more than MAX_TYPE_SLOT functions are stored in (file_operations.open,
 * notifier_block.notifier_call across a whole kernel) is not followed at
 * all, and counted (lo_merge_get_stats()).  We prefer missing what such a
 * call reaches to reporting every driver's locks under every caller's.
 * A variable's slot (an exit-handler table) and a parameter's are exact
 * and always followed.  (A call through a function-pointer
 * parameter is bound to the function each caller passes: apply.c.)
 *
 * Linking: a static function is known by (translation unit, name), any
 * other by its name.  A name defined by several translation units (an
 * extern inline in a header, or two kernels' worth of objects) is taken
 * from the first translation unit, in sorted order, that defines it in its
 * main file; a merge that mixes configurations gets one of them, not all.
 * Copies of a header's static inline that say the same thing are one
 * function (fold.c).  A name with an `alias` record is a static-call trampoline: calls to it
 * go to every function stored in the alias's slot, even when a definition
 * of the name exists.  Function addresses passed as arguments count as
 * stores into the callee's parameter slot even without a `store` record.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merge_internal.h"

/* The function NAME of translation unit TU (static or not); created when
 * CREATE is set, else -1 when there is none. */
static int fn_local(lo_merge *m, int tu, const char *name, int is_static,
		    int create)
{
	struct lo_strmap *map = &m->tus[tu].fns;
	int id = lo_strmap_get(map, name);
	struct mfn *f;

	if (id >= 0 || !create)
		return id;
	lo_grow(&m->fns, &m->capfns, m->nfns + 1, sizeof(*m->fns));
	f = &m->fns[m->nfns];
	memset(f, 0, sizeof(*f));
	f->name = name;
	f->tu = tu;
	f->is_static = is_static;
	id = (int)m->nfns++;
	lo_strmap_put(map, name, id);
	return id;
}

/* The function a reference (NAME, IS_STATIC) made in TU means. */
int mg_fn_ref(lo_merge *m, int tu, const char *name, int is_static)
{
	if (is_static)
		return fn_local(m, tu, name, 1, 1);
	return lo_strmap_get(&m->extmap, name);
}

static int cmp_tu(const void *x, const void *y)
{
	const struct mtu *a = x, *b = y;
	int c = strcmp(mg_nz(lo_summary_source(a->s)), mg_nz(lo_summary_source(b->s)));

	if (c)
		return c;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* K, for a slot key "param:FN:K" (or "param:SOURCE:FN:K"), else -1. */
static int param_slot(const char *key)
{
	const char *colon;
	char *end;
	long k;

	if (!key || strncmp(key, "param:", 6) != 0)
		return -1;
	colon = strrchr(key, ':');
	k = strtol(colon + 1, &end, 10);
	if (*end || end == colon + 1 || k < 0 || k > 1 << 20)
		return -1;
	return (int)k;
}

/* Whether record FN (IS_STATIC) of translation unit T belongs to a copy
 * of a header inline folded into an earlier one (fold.c). */
static int folded(lo_merge *m, int t, const char *fn, int is_static)
{
	int id;

	if (!is_static)
		return 0;
	id = lo_strmap_get(&m->tus[t].fns, fn);
	return id >= 0 && m->fns[id].tu != t;
}

void mg_build_functions(lo_merge *m)
{
	size_t t, i;
	int pass, *to = NULL;
	const char **first = NULL;
	size_t cap = 0, capf = 0;

	if (m->ntus > 1)
		qsort(m->tus, m->ntus, sizeof(*m->tus), cmp_tu);
	for (t = 0; t < m->ntus; t++) {
		const lo_summary *s = m->tus[t].s;
		size_t nf = lo_summary_function_count(s);

		lo_grow(&to, &cap, nf + 1, sizeof(*to));
		lo_grow(&first, &capf, nf + 1, sizeof(*first));
		mg_fold_unit(m, (int)t, to, first);
		for (i = 0; i < nf; i++) {
			const struct lo_sfunc *sf = lo_summary_function(s, i);
			int id;

			if (to[i] >= 0) {
				lo_strmap_put(&m->tus[t].fns, sf->name, to[i]);
				m->nfolded++;
				continue;
			}
			id = fn_local(m, (int)t, sf->name, sf->is_static, 1);
			m->fns[id].defined = 1;
			m->fns[id].in_main |= sf->in_main;
			m->fns[id].described = 1;
			if (first[i])
				lo_strmap_put(&m->foldmap, first[i], id);
		}
		for (i = 0; i < lo_summary_acq_count(s); i++) {
			const struct lo_sacq *a = lo_summary_acq(s, i);
			struct mfn *f;
			int id;

			if (folded(m, (int)t, a->fn, a->fn_static))
				continue;
			id = fn_local(m, (int)t, a->fn, a->fn_static, 1);
			f = &m->fns[id];
			f->defined = 1;
			lo_grow(&f->acqs, &f->capacqs, f->nacqs + 1,
				sizeof(*f->acqs));
			f->acqs[f->nacqs++] = a;
		}
		for (i = 0; i < lo_summary_call_count(s); i++) {
			const struct lo_scall *c = lo_summary_call(s, i);
			struct mcall *mc;
			int id;

			if (folded(m, (int)t, c->fn, c->fn_static))
				continue;
			id = fn_local(m, (int)t, c->fn, c->fn_static, 1);
			m->fns[id].defined = 1;
			lo_grow(&m->calls, &m->capcalls, m->ncalls + 1,
				sizeof(*m->calls));
			mc = &m->calls[m->ncalls];
			memset(mc, 0, sizeof(*mc));
			mc->fn = id;
			mc->tu = (int)t;
			mc->c = c;
			mc->via_param = param_slot(c->target);
			ilist_add(&m->fns[id].calls, (int)m->ncalls);
			m->ncalls++;
		}
	}
	free(to);
	free(first);
	for (i = 0; i < m->nfns; i++)
		if (!m->fns[i].described)
			m->fns[i].in_main = 1;
	/* external names: main-file definitions first, in sorted order */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < m->nfns; i++) {
			const struct mfn *f = &m->fns[i];

			if (f->is_static || !f->defined ||
			    (pass == 0 && !f->in_main))
				continue;
			if (lo_strmap_get(&m->extmap, f->name) < 0)
				lo_strmap_put(&m->extmap, f->name, (int)i);
		}
	}
}

static struct ilist *slot(lo_merge *m, const char *key, int create)
{
	int i = lo_strmap_get(&m->storemap, key);

	if (i < 0) {
		if (!create)
			return NULL;
		lo_grow(&m->slots, &m->capslots, m->nslots + 1,
			sizeof(*m->slots));
		memset(&m->slots[m->nslots], 0, sizeof(*m->slots));
		i = (int)m->nslots++;
		lo_strmap_put(&m->storemap, key, i);
	}
	return &m->slots[i];
}

static void store(lo_merge *m, const char *key, int fn)
{
	struct ilist *l;
	size_t i;

	if (fn < 0)
		return;
	l = slot(m, key, 1);
	for (i = 0; i < l->n; i++)
		if (l->v[i] == fn)
			return;
	ilist_add(l, fn);
}

void mg_build_slots(lo_merge *m)
{
	size_t t, i;

	for (t = 0; t < m->ntus; t++) {
		const lo_summary *s = m->tus[t].s;

		for (i = 0; i < lo_summary_store_count(s); i++) {
			const struct lo_sstore *st = lo_summary_store(s, i);

			store(m, st->key, mg_fn_ref(m, (int)t, st->fn, st->fn_static));
		}
		for (i = 0; i < lo_summary_alias_count(s); i++) {
			const struct lo_salias *al = lo_summary_alias(s, i);
			int a = lo_strmap_get(&m->aliasmap, al->name);
			struct ilist *keys;
			int k;

			if (a < 0) {
				lo_grow(&m->aliases, &m->capaliases,
					m->naliases + 1, sizeof(*m->aliases));
				memset(&m->aliases[m->naliases], 0,
				       sizeof(*m->aliases));
				a = (int)m->naliases++;
				lo_strmap_put(&m->aliasmap, al->name, a);
			}
			/* an alias names a slot: remember the slot's index */
			slot(m, al->key, 1);
			k = lo_strmap_get(&m->storemap, al->key);
			keys = &m->aliases[a];
			ilist_add(keys, k);
		}
	}
}

static void add_target(struct mcall *mc, int fn)
{
	size_t i;

	if (fn < 0)
		return;
	for (i = 0; i < mc->targets.n; i++)
		if (mc->targets.v[i] == fn)
			return;
	ilist_add(&mc->targets, fn);
}

static void add_slot_targets(lo_merge *m, struct mcall *mc, int k)
{
	size_t i;

	for (i = 0; k >= 0 && i < m->slots[k].n; i++)
		add_target(mc, m->slots[k].v[i]);
}

/* A slot named by a struct type and field, not by the variable or the
 * parameter a call goes through. */
static int by_type(const char *key)
{
	return strncmp(key, "var:", 4) != 0 && strncmp(key, "param:", 6) != 0;
}

static int cmp_int(const void *x, const void *y)
{
	int a = *(const int *)x, b = *(const int *)y;

	return a < b ? -1 : a > b;
}

/* Direct calls first (their function arguments are stores into the
 * callee's parameter slots), then calls through slots and aliases. */
void mg_resolve_calls(lo_merge *m)
{
	size_t i, k;

	for (i = 0; i < m->ncalls; i++) {
		struct mcall *mc = &m->calls[i];
		const struct lo_scall *c = mc->c;
		int g;

		if (!c->callee)
			continue;
		g = fn_local(m, mc->tu, c->callee, 0, 0);
		if (g < 0 || !m->fns[g].is_static) {
			if (lo_strmap_get(&m->aliasmap, c->callee) >= 0) {
				mc->pending_alias = 1;
				continue;
			}
			g = lo_strmap_get(&m->extmap, c->callee);
		}
		if (g < 0)
			continue;
		add_target(mc, g);
		for (k = 0; k < c->nargs; k++) {
			const struct lo_sarg *a = &c->args[k];
			const struct mfn *gf = &m->fns[g];
			char *key;

			if (a->kind != LO_ARG_FUNCTION)
				continue;
			if (gf->is_static)
				key = lo_xasprintf("param:%s:%s:%zu",
					      mg_tu_source(m, gf->tu), gf->name, k);
			else
				key = lo_xasprintf("param:%s:%zu", gf->name, k);
			mg_pool_str(m, key);
			store(m, key, mg_fn_ref(m, mc->tu, a->fn, a->fn_static));
		}
	}
	for (i = 0; i < m->ncalls; i++) {
		struct mcall *mc = &m->calls[i];
		const struct lo_scall *c = mc->c;

		if (c->target) {
			int k2 = lo_strmap_get(&m->storemap, c->target);

			mc->indirect = 1;
			if (k2 >= 0 && by_type(c->target) &&
			    m->slots[k2].n > MAX_TYPE_SLOT) {
				m->nwide++;
				mc->wide = (int)m->slots[k2].n;
			} else
				add_slot_targets(m, mc, k2);
		} else if (mc->pending_alias) {
			const struct ilist *keys =
				&m->aliases[lo_strmap_get(&m->aliasmap,
							  c->callee)];

			mc->indirect = 1;
			for (k = 0; k < keys->n; k++)
				add_slot_targets(m, mc, keys->v[k]);
		}
		if (mc->targets.n > 1)
			qsort(mc->targets.v, mc->targets.n, sizeof(int),
			      cmp_int);
		for (k = 0; k < mc->targets.n; k++)
			ilist_add(&m->fns[mc->targets.v[k]].callers, (int)i);
	}
}

/*
 * merge.c - the whole program: link the summaries of many translation
 * units, follow every call (direct, through function-pointer slots and
 * static-call aliases), compute what each function acquires through its
 * callees, and check every call against the locks held at it.
 *
 * What it does NOT do:
 *
 *  - look at C code or decide what an expression locks: the plugin wrote
 *    that into the summaries, and a lock is what the summary says it is;
 *  - extend a caller's held set with what a callee of another translation
 *    unit returns holding (`ret` records are read and kept, but a held set
 *    is the plugin's, computed within its translation unit): a lock taken
 *    in one file and released in another is missed, not guessed;
 *  - check requirements (`A requires B`): whether B is held is only known
 *    where A is taken, and the plugin checks that at compile time;
 *  - keep more than one way of reaching each acquisition: each function
 *    keeps one witness per (lock, shared, subclass, op, trylock), the one
 *    with the shortest call chain.  A caller may reach the same lock
 *    through several callees; each call is checked on its own, so nothing
 *    is lost at the call, only longer chains inside callees are forgotten.
 *    Chains longer than MAX_CHAIN hops are dropped: a report nobody can
 *    follow is worth less than the time to find it.
 *
 * Linking: a static function is known by (translation unit, name), any
 * other by its name.  A name defined by several translation units (an
 * extern inline in a header, or two kernels' worth of objects) is taken
 * from the first translation unit, in sorted order, that defines it in its
 * main file; a merge that mixes configurations gets one of them, not all.
 * A name with an `alias` record is a static-call trampoline: calls to it
 * go to every function stored in the alias's slot, even when a definition
 * of the name exists.  Function addresses passed as arguments count as
 * stores into the callee's parameter slot even without a `store` record.
 *
 * Cycles: besides what the rules forbid, every acquisition that blocks
 * while another class is held is an edge of the observed order.  Edges
 * between locks the rules order (either way) are left to the rule checks,
 * as are edges that already break a leaf rule; a cycle of what is left is
 * reported once: each pair taken both ways, and for each strongly
 * connected component whose shortest cycle is longer than two, that
 * cycle.  A component with a two-lock cycle gets no report for its longer
 * cycles: fixing the pairs usually breaks them too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_CHAIN 64
#define MAX_VIOLATIONS 32
#define MAX_RULE_PATH 16

struct ilist {
	int *v;
	size_t n, cap;
};

static void ilist_add(struct ilist *l, int x)
{
	lo_grow(&l->v, &l->cap, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = x;
}

/* One hop of a call chain: function FN at AT (a call, or the acquisition
 * itself when NEXT is -1).  Chains are immutable and share their tails. */
struct node {
	int fn;
	const struct lo_loc *at;
	int next;
	int len;
};

#define MAX_REL 4
#define MAX_WHEN 4
#define MAX_INNER 8

/* One acquisition a function makes, itself or through its callees. */
struct wit {
	struct lo_sref lock;
	int lockid; /* class id, or -2 - 2 * param - deref */
	enum lo_effect_op op;
	int shared, subclass, trylock;
	int multi;  /* the chain leaves the translation unit or goes indirect */
	int chain;  /* node index */
	/* The owner's caller's locks released before the acquisition (a
	 * function that drops its caller's lock around a call). */
	struct lo_sref rel[MAX_REL];
	int nrel;
	/* What the path assumes of the owner's parameters. */
	struct lo_scond when[MAX_WHEN];
	int nwhen;
	/* A requirement (`A requires B`) is checked once, in the first
	 * function of the main file on the way up: CHECKED says the chain
	 * has passed one; until then INNER holds the locks the functions of
	 * the chain (a header's spin_lock() wrapper) held at it. */
	int checked;
	struct lo_sref inner[MAX_INNER];
	int ninner;
	/* Reached through the owner's function-pointer parameter VIA_PARAM
	 * (-1: not), calling VIA_FN: a caller passing another function there
	 * does not reach it (kvm_do_msr_access()'s msr_access_fn). */
	int via_param, via_fn;
};

struct mfn {
	const char *name;
	int tu;
	int is_static, defined, in_main;
	struct ilist calls;   /* mcall indexes */
	struct ilist callers; /* mcall indexes of calls that reach this one */
	const struct lo_sacq **acqs;
	size_t nacqs, capacqs;
	struct wit *w;
	size_t nw, capw;
	int *slots; /* witness index + 1, open addressing */
	size_t nslots;
	int queued;
};

struct mcall {
	int fn, tu;
	const struct lo_scall *c;
	struct ilist targets;
	int indirect;
	int via_param; /* a call through FN's own parameter K: K, else -1 */
	int pending_alias; /* resolve through aliases once stores are known */
};

struct mtu {
	lo_summary *s;
	size_t order;
};

/* An edge of the observed order: TO taken while FROM held. */
struct oedge {
	int from, to;
	int fn, tu;
	const struct lo_loc *at;
	int chain;                 /* node below FN, or -1 */
	const struct lo_sheld *held;
	int multi;
};

/* A finding under construction, with what deduplication needs. */
struct rawf {
	struct lo_finding f;
	char *held_name;
	char *route; /* "'f' -> 'g' -> 'h'": the functions of the chain */
	int dead;
};

struct lo_merge {
	const lo_rules *rules;
	struct mtu *tus;
	size_t ntus, captus;

	char **pool; /* strings the merge owns */
	size_t npool, cappool;

	struct mfn *fns;
	size_t nfns, capfns;
	struct lo_strmap localmap; /* "TU\x1fname" -> fn */
	struct lo_strmap extmap;   /* name -> fn */
	struct mcall *calls;
	size_t ncalls, capcalls;
	struct lo_strmap storemap; /* slot key -> index into slots */
	struct ilist *slots;
	size_t nslots, capslots;
	struct lo_strmap aliasmap; /* name -> index into aliases */
	struct ilist *aliases;     /* of pool/summary key strings, as slot ids */
	size_t naliases, capaliases;

	struct node *nodes;
	size_t nnodes, capnodes;

	struct lo_strmap classmap; /* class key -> class id */
	const char **classnames;
	size_t nclasses, capclasses;

	struct oedge *edges;
	size_t nedges, capedges;
	/* Rules locks no translation unit resolves (lo_merge_unresolved). */
	const struct lo_sname **unres;
	size_t nunres, capunres;
	/* Every pair of the order the code takes, for `lockorder graph`. */
	struct lo_observed *obs;
	int *obscls; /* 2 per observed pair: its classes */
	size_t nobs, capobs, capobscls;
	size_t *oslots; /* observed index + 1 */
	size_t noslots;
	size_t *eslots; /* edge index + 1 */
	size_t neslots;

	struct rawf *raw;
	size_t nraw, capraw;

	struct lo_finding *findings;
	size_t nfindings;

	int never_rules, requires_rules;
	int ran;
};

/* ---- small helpers ---------------------------------------------------- */

static const char *pool_str(lo_merge *m, char *s)
{
	lo_grow(&m->pool, &m->cappool, m->npool + 1, sizeof(*m->pool));
	m->pool[m->npool++] = s;
	return s;
}

static char *xprintf(const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
	__attribute__((format(printf, 1, 2)))
#endif
	;

#include <stdarg.h>

static char *xprintf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *s;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	s = lo_xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

static const char *tu_source(const lo_merge *m, int tu)
{
	return nz(lo_summary_source(m->tus[tu].s));
}

static const char *tu_dir(const lo_merge *m, int tu)
{
	return lo_summary_directory(m->tus[tu].s);
}

static int loc_cmp(const struct lo_loc *a, const struct lo_loc *b)
{
	int c = strcmp(nz(a->file), nz(b->file));

	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return 0;
}

/* ---- building --------------------------------------------------------- */

lo_merge *lo_merge_new(const lo_rules *r)
{
	lo_merge *m = calloc(1, sizeof(*m));
	size_t i;

	if (!m)
		return NULL;
	m->rules = r;
	for (i = 0; r && i < lo_rules_rule_count(r); i++)
		if (lo_rules_rule(r, i)->kind == LO_RULE_NEVER)
			m->never_rules = 1;
		else if (lo_rules_rule(r, i)->kind == LO_RULE_REQUIRES)
			m->requires_rules = 1;
	return m;
}

void lo_merge_add(lo_merge *m, lo_summary *s)
{
	if (!s)
		return;
	lo_grow(&m->tus, &m->captus, m->ntus + 1, sizeof(*m->tus));
	m->tus[m->ntus].s = s;
	m->tus[m->ntus].order = m->ntus;
	m->ntus++;
}


static void free_finding(struct lo_finding *f)
{
	size_t i;

	free(f->message);
	free(f->fn);
	free(f->source);
	free(f->directory);
	for (i = 0; i < f->nnotes; i++)
		free(f->notes[i].text);
	free(f->notes);
	free(f->key);
}

/* Forgets everything lo_merge_run() computed. */
static void reset(lo_merge *m)
{
	size_t i;

	for (i = 0; i < m->nfns; i++) {
		struct mfn *f = &m->fns[i];

		free(f->calls.v);
		free(f->callers.v);
		free(f->acqs);
		free(f->w);
		free(f->slots);
	}
	free(m->fns);
	m->fns = NULL;
	m->nfns = m->capfns = 0;
	for (i = 0; i < m->ncalls; i++)
		free(m->calls[i].targets.v);
	free(m->calls);
	m->calls = NULL;
	m->ncalls = m->capcalls = 0;
	for (i = 0; i < m->nslots; i++)
		free(m->slots[i].v);
	free(m->slots);
	m->slots = NULL;
	m->nslots = m->capslots = 0;
	for (i = 0; i < m->naliases; i++)
		free(m->aliases[i].v);
	free(m->aliases);
	m->aliases = NULL;
	m->naliases = m->capaliases = 0;
	lo_strmap_free(&m->localmap);
	lo_strmap_free(&m->extmap);
	lo_strmap_free(&m->storemap);
	lo_strmap_free(&m->aliasmap);
	lo_strmap_free(&m->classmap);
	free(m->classnames);
	m->classnames = NULL;
	m->nclasses = m->capclasses = 0;
	free(m->nodes);
	m->nodes = NULL;
	m->nnodes = m->capnodes = 0;
	free(m->unres);
	m->unres = NULL;
	m->nunres = m->capunres = 0;
	free(m->edges);
	free(m->obs);
	free(m->obscls);
	free(m->oslots);
	m->obs = NULL;
	m->obscls = NULL;
	m->oslots = NULL;
	m->nobs = m->capobs = m->capobscls = m->noslots = 0;
	m->edges = NULL;
	m->nedges = m->capedges = 0;
	free(m->eslots);
	m->eslots = NULL;
	m->neslots = 0;
	for (i = 0; i < m->nraw; i++) {
		free_finding(&m->raw[i].f);
		free(m->raw[i].held_name);
		free(m->raw[i].route);
	}
	free(m->raw);
	m->raw = NULL;
	m->nraw = m->capraw = 0;
	for (i = 0; i < m->nfindings; i++)
		free_finding(&m->findings[i]);
	free(m->findings);
	m->findings = NULL;
	m->nfindings = 0;
	for (i = 0; i < m->npool; i++)
		free(m->pool[i]);
	free(m->pool);
	m->pool = NULL;
	m->npool = m->cappool = 0;
}

void lo_merge_free(lo_merge *m)
{
	size_t i;

	if (!m)
		return;
	reset(m);
	for (i = 0; i < m->ntus; i++)
		lo_summary_free(m->tus[i].s);
	free(m->tus);
	free(m);
}

size_t lo_merge_finding_count(const lo_merge *m)
{
	return m ? m->nfindings : 0;
}

const struct lo_finding *lo_merge_finding(const lo_merge *m, size_t i)
{
	return m && i < m->nfindings ? &m->findings[i] : NULL;
}

/* The rules locks some translation unit could not resolve and none could. */
static void find_unresolved(lo_merge *m)
{
	size_t t, i, u, t2, j;

	for (t = 0; t < m->ntus; t++)
		for (i = 0; i < lo_summary_name_count(m->tus[t].s); i++) {
			const struct lo_sname *n = lo_summary_name(m->tus[t].s, i);
			int seen = 0;

			if (n->resolved)
				continue;
			for (u = 0; u < m->nunres && !seen; u++)
				seen = strcmp(m->unres[u]->lock, n->lock) == 0;
			for (t2 = 0; t2 < m->ntus && !seen; t2++)
				for (j = 0; j < lo_summary_name_count(m->tus[t2].s); j++) {
					const struct lo_sname *o =
						lo_summary_name(m->tus[t2].s, j);

					if (o->resolved && strcmp(o->lock, n->lock) == 0)
						seen = 1;
				}
			if (seen)
				continue;
			lo_grow(&m->unres, &m->capunres, m->nunres + 1,
				sizeof(*m->unres));
			m->unres[m->nunres++] = n;
		}
}

size_t lo_merge_unresolved_count(const lo_merge *m)
{
	return m ? m->nunres : 0;
}

const struct lo_sname *lo_merge_unresolved(const lo_merge *m, size_t i)
{
	return m && i < m->nunres ? m->unres[i] : NULL;
}

size_t lo_merge_filter(lo_merge *m, int (*keep)(const struct lo_finding *f,
						void *ctx),
		       void *ctx)
{
	size_t i, n = 0, dropped;

	if (!m)
		return 0;
	for (i = 0; i < m->nfindings; i++) {
		if (keep(&m->findings[i], ctx))
			m->findings[n++] = m->findings[i];
		else
			free_finding(&m->findings[i]);
	}
	dropped = m->nfindings - n;
	m->nfindings = n;
	return dropped;
}

/* ---- functions -------------------------------------------------------- */

/* The function NAME of translation unit TU (static or not); created when
 * CREATE is set, else -1 when there is none. */
static int fn_local(lo_merge *m, int tu, const char *name, int is_static,
		    int create)
{
	char *key = xprintf("%d\x1f%s", tu, name);
	int id = lo_strmap_get(&m->localmap, key);
	struct mfn *f;

	if (id >= 0 || !create) {
		free(key);
		return id;
	}
	pool_str(m, key);
	lo_grow(&m->fns, &m->capfns, m->nfns + 1, sizeof(*m->fns));
	f = &m->fns[m->nfns];
	memset(f, 0, sizeof(*f));
	f->name = name;
	f->tu = tu;
	f->is_static = is_static;
	id = (int)m->nfns++;
	lo_strmap_put(&m->localmap, key, id);
	return id;
}

/* The function a reference (NAME, IS_STATIC) made in TU means. */
static int fn_ref(lo_merge *m, int tu, const char *name, int is_static)
{
	if (is_static)
		return fn_local(m, tu, name, 1, 1);
	return lo_strmap_get(&m->extmap, name);
}

static int cmp_tu(const void *x, const void *y)
{
	const struct mtu *a = x, *b = y;
	int c = strcmp(nz(lo_summary_source(a->s)), nz(lo_summary_source(b->s)));

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

static void build_functions(lo_merge *m)
{
	size_t t, i;
	int pass;

	qsort(m->tus, m->ntus, sizeof(*m->tus), cmp_tu);
	for (t = 0; t < m->ntus; t++) {
		const lo_summary *s = m->tus[t].s;

		for (i = 0; i < lo_summary_function_count(s); i++) {
			const struct lo_sfunc *sf = lo_summary_function(s, i);
			int id = fn_local(m, (int)t, sf->name, sf->is_static, 1);

			m->fns[id].defined = 1;
			m->fns[id].in_main |= sf->in_main;
		}
		for (i = 0; i < lo_summary_acq_count(s); i++) {
			const struct lo_sacq *a = lo_summary_acq(s, i);
			struct mfn *f;
			int id = fn_local(m, (int)t, a->fn, a->fn_static, 1);

			f = &m->fns[id];
			f->defined = 1;
			lo_grow(&f->acqs, &f->capacqs, f->nacqs + 1,
				sizeof(*f->acqs));
			f->acqs[f->nacqs++] = a;
		}
		for (i = 0; i < lo_summary_call_count(s); i++) {
			const struct lo_scall *c = lo_summary_call(s, i);
			int id = fn_local(m, (int)t, c->fn, c->fn_static, 1);
			struct mcall *mc;

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

/* ---- slots: stores and aliases ----------------------------------------- */

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

static void build_slots(lo_merge *m)
{
	size_t t, i;

	for (t = 0; t < m->ntus; t++) {
		const lo_summary *s = m->tus[t].s;

		for (i = 0; i < lo_summary_store_count(s); i++) {
			const struct lo_sstore *st = lo_summary_store(s, i);

			store(m, st->key, fn_ref(m, (int)t, st->fn, st->fn_static));
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

static int cmp_int(const void *x, const void *y)
{
	int a = *(const int *)x, b = *(const int *)y;

	return a < b ? -1 : a > b;
}

/* Direct calls first (their function arguments are stores into the
 * callee's parameter slots), then calls through slots and aliases. */
static void resolve_calls(lo_merge *m)
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
				key = xprintf("param:%s:%s:%zu",
					      tu_source(m, gf->tu), gf->name, k);
			else
				key = xprintf("param:%s:%zu", gf->name, k);
			pool_str(m, key);
			store(m, key, fn_ref(m, mc->tu, a->fn, a->fn_static));
		}
	}
	for (i = 0; i < m->ncalls; i++) {
		struct mcall *mc = &m->calls[i];
		const struct lo_scall *c = mc->c;

		if (c->target) {
			mc->indirect = 1;
			add_slot_targets(m, mc, lo_strmap_get(&m->storemap,
							      c->target));
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

/* ---- transitive acquisitions ------------------------------------------- */

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
static int lock_id(lo_merge *m, const struct lo_sref *r)
{
	if (r->cls)
		return class_id(m, r->cls, r->name);
	return -2 - 2 * r->param - (r->deref ? 1 : 0);
}

/* Parameter indexes beyond this are nonsense, and would overflow
 * lock_id(). */
#define MAX_PARAM (1 << 20)

/* R, which a callee sees, in the terms of the call C.  Returns 0 when the
 * call does not say what R is (the record is then dropped). */
static int subst(const struct lo_sref *r, const struct lo_scall *c,
		 struct lo_sref *out)
{
	const struct lo_sref *a;

	if (r->cls) {
		*out = *r;
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
	/* The callee locks what *param points to: only a caller passing
	 * its own parameter on says which lock that is. */
	if (a->cls || a->deref)
		return 0;
	out->deref = 1;
	return 1;
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

static int wit_same(const struct wit *w, const struct wit *x)
{
	return w->lockid == x->lockid && w->shared == x->shared &&
	       w->subclass == x->subclass && w->op == x->op &&
	       w->trylock == x->trylock;
}

static void wit_rehash(struct mfn *f, size_t nslots)
{
	size_t i, k;

	free(f->slots);
	f->slots = lo_xcalloc(nslots, sizeof(*f->slots));
	f->nslots = nslots;
	for (k = 0; k < f->nw; k++) {
		const struct wit *w = &f->w[k];

		for (i = wit_hash(w->lockid, w->shared, w->subclass, w->op,
				  w->trylock) & (nslots - 1);
		     f->slots[i]; i = (i + 1) & (nslots - 1))
			;
		f->slots[i] = (int)k + 1;
	}
}

#define MAX_ROUTES 3

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
	struct wit *longest = NULL;

	if (len > MAX_CHAIN)
		return 0;
	/* a route through a recursion is no route of its own */
	for (k = next; k >= 0; k = m->nodes[k].next)
		if (m->nodes[k].fn == fn)
			return 0;
	if (f->nslots) {
		for (i = wit_hash(w->lockid, w->shared, w->subclass, w->op,
				  w->trylock) & (f->nslots - 1);
		     f->slots[i]; i = (i + 1) & (f->nslots - 1)) {
			struct wit *x = &f->w[f->slots[i] - 1];
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
		*longest = *w;
		return 1;
	}
	w->chain = new_node(m, fn, at, next);
	lo_grow(&f->w, &f->capw, f->nw + 1, sizeof(*f->w));
	f->w[f->nw++] = *w;
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

/* W, a callee's witness, as its caller sees it through call C: what the
 * callee had released of its caller's locks, and what the caller itself had
 * released of its own caller's by C, carry on.  A released lock that the
 * caller holds at C stays released too: the caller may hold it only
 * because the callee handed it back on an earlier turn of a loop
 * (shadow_mmu_try_split_huge_page() drops and retakes kvm->mmu_lock). */
static void rel_through(lo_merge *m, struct wit *w, const struct lo_scall *c)
{
	struct lo_sref out[MAX_REL];
	int i, n = 0;
	size_t k;

	(void)m;
	for (i = 0; i < w->nrel; i++) {
		struct lo_sref s;
		int held = 0;

		if (!subst(&w->rel[i], c, &s))
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
	}
	return 1;
}

/* W through call MC: a witness reached through the callee's
 * function-pointer parameter holds only when the call passes that function
 * (returns 0 when it passes another); passed on as the caller's own
 * parameter, it stays bound to the caller's. */
static int via_through(lo_merge *m, struct wit *w, const struct mcall *mc)
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
		int fn = fn_ref(m, mc->tu, a->fn, a->fn_static);

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
	if (a->kind == LO_WHEN_ZERO || b->kind == LO_WHEN_ZERO)
		return a->kind == b->kind;
	return 1; /* nonzero and negative meet */
}

/* W's assumptions about its owner's parameters, through call C: a constant
 * argument that contradicts one makes W unreachable from C (returns 0); an
 * argument that is the caller's own parameter carries it on; what the
 * caller itself assumed at C joins them. */
static int when_through(struct wit *w, const struct lo_scall *c)
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

/* Adds the locks of HELD to W's inner set, while W is unchecked. */
static void inner_add(struct wit *w, const struct lo_sheld *held, size_t n)
{
	size_t k;

	for (k = 0; !w->checked && k < n && w->ninner < MAX_INNER; k++)
		w->inner[w->ninner++] = held[k].lock;
}

/* W's inner set in the terms of call C's caller, with what the caller
 * holds at C. */
static void inner_through(struct wit *w, const struct lo_scall *c)
{
	struct lo_sref out[MAX_INNER];
	int i, n = 0;

	if (w->checked)
		return;
	for (i = 0; i < w->ninner; i++)
		if (subst(&w->inner[i], c, &out[n]))
			n++;
	memcpy(w->inner, out, sizeof(out[0]) * (size_t)n);
	w->ninner = n;
	inner_add(w, c->held, c->nheld);
}

static void fixpoint(lo_merge *m)
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
			w.lockid = lock_id(m, &a->lock);
			w.op = a->op;
			w.shared = a->shared;
			w.subclass = a->subclass;
			w.trylock = a->trylock;
			for (r = 0; r < a->nreleased && w.nrel < MAX_REL; r++)
				w.rel[w.nrel++] = a->released[r];
			for (r = 0; r < a->nwhen && w.nwhen < MAX_WHEN; r++)
				w.when[w.nwhen++] = a->when[r];
			w.checked = f->in_main;
			w.via_param = -1;
			inner_add(&w, a->held, a->nheld);
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
		size_t ci;

		m->fns[g].queued = 0;
		for (ci = 0; ci < m->fns[g].callers.n; ci++) {
			const struct mcall *mc =
				&m->calls[m->fns[g].callers.v[ci]];
			int f = mc->fn, changed = 0;
			size_t k, nw = m->fns[g].nw;

			for (k = 0; k < nw; k++) {
				struct wit w = m->fns[g].w[k];
				struct lo_sref s;

				if (!subst(&w.lock, mc->c, &s))
					continue;
				if (!when_through(&w, mc->c) || !via_through(m, &w, mc))
					continue;
				if (mc->via_param >= 0) {
					w.via_param = mc->via_param;
					w.via_fn = g;
				}
				w.lock = s;
				w.lockid = lock_id(m, &s);
				rel_through(m, &w, mc->c);
				inner_through(&w, mc->c);
				w.checked |= m->fns[f].in_main;
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
	}
	free(q.v);
}

/* ---- checks ------------------------------------------------------------ */

/* Where a check happens: in function FN (of translation unit TU) at AT,
 * with HELD held; CHAIN is the callee's chain down to the acquisition
 * (-1 for an acquisition FN makes itself). */
struct site {
	int fn, tu;
	const struct lo_loc *at;
	int chain;
	const struct lo_sheld *held;
	size_t nheld;
	int cross;
	const struct lo_sref *rel; /* held locks released before: not held */
	int nrel;
	/* Whether a requirement is checked here, and the locks the chain
	 * below held at the acquisition (which meet it as well). */
	int requires;
	const struct lo_sref *inner;
	int ninner;
};

/* What is taken there. */
struct taken {
	const struct lo_sref *lock;
	enum lo_effect_op op;
	int shared, subclass, trylock;
};

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

static const char *lock_name(const struct lo_sref *r)
{
	if (r->name)
		return r->name;
	return r->cls ? r->cls : "lock";
}

/* AT, a location of translation unit TU, as seen from translation unit
 * BASE: a relative file of a translation unit compiled elsewhere is made
 * absolute, so that every location of a finding is relative to its
 * directory or absolute. */
static struct lo_loc loc_from(lo_merge *m, int tu, int base,
			      const struct lo_loc *at)
{
	struct lo_loc l = *at;
	const char *d = tu_dir(m, tu), *bd = tu_dir(m, base);

	if (tu == base || !l.file || l.file[0] == '/' || !d ||
	    (bd && strcmp(d, bd) == 0))
		return l;
	l.file = pool_str(m, xprintf("%s/%s", d, l.file));
	return l;
}

static void add_note(struct lo_finding *f, size_t *cap, struct lo_loc at,
		     char *text, int hop)
{
	lo_grow(&f->notes, cap, f->nnotes + 1, sizeof(*f->notes));
	f->notes[f->nnotes].at = at;
	f->notes[f->nnotes].text = text;
	f->notes[f->nnotes].hop = hop;
	f->nnotes++;
}

/* The chain's notes: "'G' calls 'H' here" ... "'L' acquired here in 'H'". */
static void chain_notes(lo_merge *m, struct lo_finding *f, size_t *cap,
			int base, int n, const char *acq_name)
{
	for (; n >= 0; n = m->nodes[n].next) {
		const struct node *x = &m->nodes[n];
		const struct mfn *g = &m->fns[x->fn];
		char *text;

		if (x->next >= 0)
			text = xprintf("'%s' calls '%s' here", g->name,
				       m->fns[m->nodes[x->next].fn].name);
		else
			text = xprintf("'%s' acquired here in '%s'", acq_name,
				       g->name);
		add_note(f, cap, loc_from(m, g->tu, base, x->at), text, 1);
	}
}

static void held_note(struct lo_finding *f, size_t *cap,
		      const struct lo_sheld *h)
{
	add_note(f, cap, h->at,
		 xprintf("'%s' %s", lock_name(&h->lock),
			 h->asserted ? "asserted held here" : "acquired here"),
		 0);
}

/* "'f' -> 'g' -> 'h'": FN, then the functions of CHAIN. */
static char *route_of(lo_merge *m, int fn, int n)
{
	char *s = xprintf("'%s'", m->fns[fn].name), *t;

	for (; n >= 0; n = m->nodes[n].next) {
		t = xprintf("%s -> '%s'", s, m->fns[m->nodes[n].fn].name);
		free(s);
		s = t;
	}
	return s;
}

/* FNV-1a, 64 bits, as 16 hex digits: a key for baselines. */
static char *hash_key(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return xprintf("%016llx", (unsigned long long)h);
}

/* The finding's key: its kind, function, message and the functions of
 * its chain, without a line number. */
static char *finding_key(lo_merge *m, const struct lo_finding *f, int chain)
{
	size_t len = 0, cap = 0;
	char *s = NULL, *k;
	char *head = xprintf("%s|%s|%s|", lo_violation_kind_name(f->kind),
			     f->fn, f->message);
	int n;

	lo_grow(&s, &cap, strlen(head) + 1, 1);
	strcpy(s, head);
	len = strlen(head);
	free(head);
	for (n = chain; n >= 0; n = m->nodes[n].next) {
		const char *name = m->fns[m->nodes[n].fn].name;
		size_t l = strlen(name);

		lo_grow(&s, &cap, len + l + 2, 1);
		memcpy(s + len, name, l);
		len += l;
		s[len++] = '>';
		s[len] = '\0';
	}
	k = hash_key(s);
	free(s);
	return k;
}

static struct rawf *new_raw(lo_merge *m)
{
	struct rawf *r;

	lo_grow(&m->raw, &m->capraw, m->nraw + 1, sizeof(*m->raw));
	r = &m->raw[m->nraw++];
	memset(r, 0, sizeof(*r));
	return r;
}

static void finding_at(lo_merge *m, struct lo_finding *f, int fn, int tu,
		       const struct lo_loc *at)
{
	const char *d = tu_dir(m, tu);

	f->at = *at;
	f->fn = lo_xstrdup(m->fns[fn].name);
	f->source = lo_xstrdup(tu_source(m, tu));
	f->directory = d ? lo_xstrdup(d) : NULL;
}

static void report_violation(lo_merge *m, const struct site *st,
			     const struct lo_violation *v,
			     const struct lo_acq *acq, const char *acq_name,
			     const struct lo_held *hv, const int *hidx)
{
	const struct lo_sheld *h = v->held >= 0 ? &st->held[hidx[v->held]] : NULL;
	const struct lo_held *hl = v->held >= 0 ? &hv[v->held] : NULL;
	const char *held_name = h ? lock_name(&h->lock) : NULL;
	char *msg = lo_violation_message(m->rules, v, acq, acq_name, hl,
					 held_name);
	struct rawf *r;
	struct lo_finding *f;
	size_t cap = 0, np = 0, i;
	int path[MAX_RULE_PATH];

	if (!msg)
		abort();
	r = new_raw(m);
	r->held_name = held_name ? lo_xstrdup(held_name) : NULL;
	f = &r->f;
	f->kind = v->kind;
	f->message = msg;
	finding_at(m, f, st->fn, st->tu, st->at);
	f->cross_file = st->cross;
	chain_notes(m, f, &cap, st->tu, st->chain, acq_name);
	if (h)
		held_note(f, &cap, h);
	if (!((v->kind == LO_V_ORDER || v->kind == LO_V_SRCU_READER ||
	       v->kind == LO_V_SRCU_SYNC) && hl && acq->decl >= 0 &&
	      hl->decl >= 0 &&
	      lo_rules_outside(m->rules, acq->decl, hl->decl, path,
			       MAX_RULE_PATH, &np) && np > 0)) {
		np = 0;
		if (v->rule >= 0 && (size_t)v->rule < lo_rules_rule_count(m->rules))
			path[np++] = v->rule;
	}
	for (i = 0; i < np && i < MAX_RULE_PATH; i++) {
		const struct lo_rule *rule = lo_rules_rule(m->rules, (size_t)path[i]);
		struct lo_loc at = { rule->file, rule->line, 1 };

		add_note(f, &cap, at, lo_xstrdup("rule stated here"), 0);
	}
	f->key = finding_key(m, f, st->chain);
	r->route = route_of(m, st->fn, st->chain);
}

/* ---- the observed order ------------------------------------------------ */

static size_t pair_hash(int from, int to)
{
	uint64_t h = ((uint64_t)(uint32_t)from << 32) | (uint32_t)to;

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (size_t)h;
}

static long edge_find(const lo_merge *m, int from, int to)
{
	size_t i;

	if (!m->neslots)
		return -1;
	for (i = pair_hash(from, to) & (m->neslots - 1); m->eslots[i];
	     i = (i + 1) & (m->neslots - 1)) {
		const struct oedge *e = &m->edges[m->eslots[i] - 1];

		if (e->from == from && e->to == to)
			return (long)(m->eslots[i] - 1);
	}
	return -1;
}

static void edge_slot(lo_merge *m, size_t k)
{
	size_t i;

	for (i = pair_hash(m->edges[k].from, m->edges[k].to) &
		 (m->neslots - 1);
	     m->eslots[i]; i = (i + 1) & (m->neslots - 1))
		;
	m->eslots[i] = k + 1;
}

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
	c = loc_cmp(e->at, x->at);
	if (c)
		return c < 0;
	return strcmp(m->fns[e->fn].name, m->fns[x->fn].name) < 0;
}

static void edge_add(lo_merge *m, const struct oedge *e)
{
	long k = edge_find(m, e->from, e->to);
	size_t i;

	if (k >= 0) {
		if (edge_better(m, e, &m->edges[k]))
			m->edges[k] = *e;
		return;
	}
	lo_grow(&m->edges, &m->capedges, m->nedges + 1, sizeof(*m->edges));
	m->edges[m->nedges++] = *e;
	if (m->nedges * 2 > m->neslots) {
		free(m->eslots);
		m->neslots = m->neslots ? m->neslots * 2 : 64;
		m->eslots = lo_xcalloc(m->neslots, sizeof(*m->eslots));
		for (i = 0; i < m->nedges; i++)
			edge_slot(m, i);
	} else {
		edge_slot(m, m->nedges - 1);
	}
}

static int ordered(const lo_merge *m, int a, int b)
{
	return a >= 0 && b >= 0 &&
	       (lo_rules_outside(m->rules, a, b, NULL, 0, NULL) ||
		lo_rules_outside(m->rules, b, a, NULL, 0, NULL));
}

static size_t obs_hash(int from, int to);

/* Records that ACQ was taken with H held at ST (BROKEN: against a rule). */
static void observe(lo_merge *m, const struct site *st, const struct lo_held *h,
		    const struct lo_acq *acq, int broken)
{
	struct lo_observed *o;
	size_t i, k;

	if (m->noslots)
		for (i = obs_hash(h->cls, acq->cls) & (m->noslots - 1);
		     m->oslots[i]; i = (i + 1) & (m->noslots - 1)) {
			size_t x = m->oslots[i] - 1;

			if (m->obscls[2 * x] == h->cls &&
			    m->obscls[2 * x + 1] == acq->cls) {
				m->obs[x].violation |= broken;
				return;
			}
		}
	lo_grow(&m->obs, &m->capobs, m->nobs + 1, sizeof(*m->obs));
	lo_grow(&m->obscls, &m->capobscls, 2 * m->nobs + 2, sizeof(*m->obscls));
	m->obscls[2 * m->nobs] = h->cls;
	m->obscls[2 * m->nobs + 1] = acq->cls;
	o = &m->obs[m->nobs++];
	o->from = m->classnames[h->cls];
	o->to = m->classnames[acq->cls];
	o->from_decl = h->decl;
	o->to_decl = acq->decl;
	o->at = *st->at;
	o->fn = m->fns[st->fn].name;
	o->declared = h->decl >= 0 && acq->decl >= 0 &&
		      lo_rules_outside(m->rules, h->decl, acq->decl, NULL, 0, NULL);
	o->violation = broken;
	if (m->nobs * 2 > m->noslots) {
		free(m->oslots);
		m->noslots = m->noslots ? m->noslots * 2 : 64;
		m->oslots = lo_xcalloc(m->noslots, sizeof(*m->oslots));
		for (k = 0; k < m->nobs; k++) {
			for (i = obs_hash(m->obscls[2 * k], m->obscls[2 * k + 1]) &
				 (m->noslots - 1);
			     m->oslots[i]; i = (i + 1) & (m->noslots - 1))
				;
			m->oslots[i] = k + 1;
		}
	} else {
		for (i = obs_hash(h->cls, acq->cls) & (m->noslots - 1);
		     m->oslots[i]; i = (i + 1) & (m->noslots - 1))
			;
		m->oslots[i] = m->nobs;
	}
}

static size_t obs_hash(int from, int to)
{
	uint64_t h = ((uint64_t)(uint32_t)from << 32) | (uint32_t)to;

	h *= 0x9e3779b97f4a7c15ULL;
	return (size_t)(h ^ h >> 29);
}

size_t lo_merge_observed_count(const lo_merge *m)
{
	return m ? m->nobs : 0;
}

const struct lo_observed *lo_merge_observed(const lo_merge *m, size_t i)
{
	return m && i < m->nobs ? &m->obs[i] : NULL;
}

/* Whether requirement V, broken at ST by what ST holds, is to be
 * reported: where requirements are checked, when no lock the chain below
 * held at the acquisition meets it. */
static int requirement_unmet(const lo_merge *m, const struct site *st,
			     const struct lo_violation *v)
{
	int i;

	if (!st->requires)
		return 0;
	for (i = 0; i < st->ninner; i++)
		if (decl_of(m, &st->inner[i]) == v->other)
			return 0;
	return 1;
}

/* Checks one acquisition at ST and records its edges. */
static void check(lo_merge *m, const struct site *st, const struct taken *t)
{
	struct lo_held hbuf[16], *hv = hbuf;
	int ibuf[16], *hidx = ibuf;
	struct lo_violation v[MAX_VIOLATIONS];
	struct lo_acq acq;
	const char *acq_name = lock_name(t->lock);
	size_t nh = 0, nv, i, k;
	int blocks;

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
					      h->lock.param >= MAX_PARAM)))
			continue;
		/* a parameter's lock is a class of its own in this function */
		hv[nh].cls = lock_id(m, &h->lock);
		hv[nh].decl = decl_of(m, &h->lock);
		hv[nh].kind = kind_of(m, &h->lock, hv[nh].decl);
		hv[nh].shared = h->shared;
		hv[nh].subclass = h->subclass;
		hidx[nh++] = (int)i;
	}
	acq.cls = t->lock->cls || (t->lock->param >= 0 &&
				   t->lock->param < MAX_PARAM)
			  ? lock_id(m, t->lock) : -1;
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
	for (i = 0; i < nv; i++)
		if (v[i].kind != LO_V_REQUIRES || requirement_unmet(m, st, &v[i]))
			report_violation(m, st, &v[i], &acq, acq_name, hv, hidx);

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
		    ordered(m, hv[i].decl, acq.decl))
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
		edge_add(m, &e);
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

static void check_all(lo_merge *m)
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
					   a->nheld, 0, NULL, 0, 1, NULL, 0 };
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
					const struct wit *w = &g->w[wi];
					struct lo_sref s;
					struct site st = { (int)fi, mc->tu, &c->at,
							   w->chain, c->held,
							   c->nheld, 0, NULL, 0,
							   0, NULL, 0 };
					struct taken t = { &s, w->op, w->shared,
							   w->subclass,
							   w->trylock };

					struct lo_sref rs[MAX_REL], is[MAX_INNER];
					int r, nr = 0, ni = 0;

					struct wit wc = *w;

					if (!subst(&w->lock, c, &s))
						continue;
					if (!when_through(&wc, c) ||
					    !via_through(m, &wc, mc))
						continue;
					for (r = 0; r < w->nrel; r++)
						if (subst(&w->rel[r], c, &rs[nr]))
							nr++;
					st.rel = rs;
					st.nrel = nr;
					st.requires = !w->checked;
					for (r = 0; !w->checked && r < w->ninner; r++)
						if (subst(&w->inner[r], c, &is[ni]))
							ni++;
					st.inner = is;
					st.ninner = ni;
					st.cross = w->multi || g->tu != mc->tu ||
						   mc->indirect;
					check(m, &st, &t);
				}
			}
		}
	}
}

/* ---- cycles ------------------------------------------------------------ */

struct tarjan {
	int *index, *low, *onstack, *stack, *comp;
	size_t *adj_start;
	int *adj; /* edge indexes by source class */
	int next, sp, ncomp;
};

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

/* Reports the cycle of edges E[0..N) (E[i].to == E[i + 1].from). */
static void report_cycle(lo_merge *m, const int *e, size_t n)
{
	size_t first = 0, i, cap = 0, small = 0;
	const struct oedge *e0;
	struct rawf *r;
	struct lo_finding *f;
	char *msg, *keys;
	int cross = 0;

	/* A pair taken both ways is reported where the second order is
	 * taken, as lockdep reports the acquisition that closes a cycle; a
	 * longer cycle starts at the edge seen first in the sorted report. */
	for (i = 1; i < n; i++) {
		const struct oedge *a = &m->edges[e[i]], *b = &m->edges[e[first]];
		int c = loc_cmp(a->at, b->at);

		if (c == 0)
			c = strcmp(m->fns[a->fn].name, m->fns[b->fn].name);
		if (n == 2 ? c > 0 : c < 0)
			first = i;
	}
	e0 = &m->edges[e[first]];
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
		char *s = xprintf("possible circular locking dependency: '%s'",
				  m->classnames[e0->from]);

		for (i = 0; i < n; i++) {
			const struct oedge *x = &m->edges[e[(first + i) % n]];
			char *t = xprintf("%s -> '%s'", s, m->classnames[x->to]);

			free(s);
			s = t;
		}
		msg = xprintf("%s; no rule orders them", s);
		free(s);
	}
	r = new_raw(m);
	f = &r->f;
	f->kind = LO_V_INVERSION;
	f->message = msg;
	finding_at(m, f, e0->fn, e0->tu, e0->at);
	for (i = 0; i < n; i++) {
		const struct oedge *x = &m->edges[e[(first + i) % n]];
		const char *from = m->classnames[x->from];
		const char *to = m->classnames[x->to];

		cross |= x->multi || x->tu != e0->tu;
		if (i > 0)
			add_note(f, &cap, loc_from(m, x->tu, e0->tu, x->at),
				 xprintf("'%s' acquired while holding '%s' here",
					 to, from), 1);
		chain_notes(m, f, &cap, e0->tu, x->chain, to);
		add_note(f, &cap, loc_from(m, x->tu, e0->tu, &x->held->at),
			 xprintf("'%s' %s", from,
				 x->held->asserted ? "asserted held here"
						   : "acquired here"), 0);
	}
	f->cross_file = cross;
	/* the key: the classes from the smallest name on, no places */
	for (i = 1; i < n; i++)
		if (strcmp(m->classnames[m->edges[e[i]].from],
			   m->classnames[m->edges[e[small]].from]) < 0)
			small = i;
	keys = xprintf("inversion");
	for (i = 0; i < n; i++) {
		char *t = xprintf("%s|%s", keys,
				  m->classnames[m->edges[e[(small + i) % n]].from]);

		free(keys);
		keys = t;
	}
	f->key = hash_key(keys);
	free(keys);
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

static void find_cycles(lo_merge *m)
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
		r = edge_find(m, e->to, e->from);
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

/* ---- one finding per deadlock ----------------------------------------- */

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
		if (loc_cmp(path_at(p, np - i), path_at(s, ns - i)) != 0)
			return 0;
	return 1;
}

static const lo_merge *sort_m;

static int cmp_group(const void *x, const void *y)
{
	const struct rawf *a = &sort_m->raw[*(const size_t *)x];
	const struct rawf *b = &sort_m->raw[*(const size_t *)y];
	int c = strcmp(a->f.message, b->f.message);
	size_t la, lb;

	if (c)
		return c;
	c = strcmp(nz(a->held_name), nz(b->held_name));
	if (c)
		return c;
	la = path_len(&a->f);
	lb = path_len(&b->f);
	if (la != lb)
		return la < lb ? -1 : 1;
	return *(const size_t *)x < *(const size_t *)y ? -1 : 1;
}

static void dedup(lo_merge *m)
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
			    strcmp(nz(p->held_name), nz(r->held_name)))
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
	int c = loc_cmp(&a->f.at, &b->f.at);

	return c ? c : cmp_group(x, y);
}

#define MAX_ALTERNATIVES 3

/* One finding per place and rule: the same acquisition reached from one
 * call by several chains (a vendor's exit handler for VMX and one for SVM,
 * the timer path and the hypercall path) is one finding with the shortest
 * chain first and a note for each other route. */
static void group_alternatives(lo_merge *m)
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

		if (i == 0 || loc_cmp(&p->f.at, &r->f.at) ||
		    strcmp(p->f.message, r->f.message) ||
		    strcmp(nz(p->held_name), nz(r->held_name))) {
			primary = i;
			nalt = 0;
			continue;
		}
		r->dead = 1;
		p->f.cross_file |= r->f.cross_file;
		if (nalt++ >= MAX_ALTERNATIVES || !r->route)
			continue;
		cap = p->f.nnotes;
		add_note(&p->f, &cap, path_len(&r->f) > 1 ? *path_at(&r->f, 1)
							   : r->f.at,
			 xprintf("also reached through %s", r->route), 0);
	}
	free(idx);
}

static int cmp_finding(const void *x, const void *y)
{
	const struct lo_finding *a = x, *b = y;
	int c = loc_cmp(&a->at, &b->at);

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

size_t lo_merge_run(lo_merge *m, int flags)
{
	size_t i, n = 0;

	if (!m)
		return 0;
	reset(m);
	build_functions(m);
	build_slots(m);
	resolve_calls(m);
	fixpoint(m);
	check_all(m);
	dedup(m);
	group_alternatives(m);
	find_cycles(m);
	find_unresolved(m);

	m->findings = lo_xcalloc(m->nraw ? m->nraw : 1, sizeof(*m->findings));
	for (i = 0; i < m->nraw; i++) {
		struct rawf *r = &m->raw[i];

		if (r->dead || (!(flags & LO_MERGE_ALL) && !r->f.cross_file)) {
			free_finding(&r->f);
			continue;
		}
		m->findings[n++] = r->f;
	}
	/* identical findings of different functions' copies (a header's
	 * static inline in every translation unit) collapse in dedup(); the
	 * rest are distinct */
	for (i = 0; i < m->nraw; i++) {
		free(m->raw[i].held_name);
		free(m->raw[i].route);
	}
	free(m->raw);
	m->raw = NULL;
	m->nraw = m->capraw = 0;
	m->nfindings = n;
	qsort(m->findings, n, sizeof(*m->findings), cmp_finding);
	m->ran = 1;
	return n;
}

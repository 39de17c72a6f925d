/*
 * merge.c - the whole program, and the one translation unit of a compile:
 * link the summaries, follow every call (direct, through function-pointer
 * slots and static-call aliases), compute what each function acquires
 * through its callees, and check every call against the locks held at it.
 * The plugin runs this over its own summary (LO_MERGE_ALL), `lockorder
 * merge` over a tree's: one machinery, the same findings.
 *
 * This file is the object and its steps in order (lo_merge_run()); each
 * step lives in a file of its own: link.c (functions, slots, calls),
 * apply.c (a callee's summary at a call), reach.c (the fixpoint),
 * sites.c (the checks at each site, the observed order), finding.c (a
 * finding and its notes), cycles.c (circular dependencies no rule
 * covers), group.c (one finding per deadlock).
 *
 * What it does NOT do:
 *
 *  - look at C code or decide what an expression locks: the plugin wrote
 *    that into the summaries, and a lock is what the summary says it is;
 *  - extend a caller's held set with what a callee of another translation
 *    unit returns holding (`ret` records are read and kept, but a held set
 *    is the plugin's, computed within its translation unit): a lock taken
 *    in one file and released in another is missed, not guessed;
 *  - check a function that is not in its translation unit's main file (a
 *    header's inline): it is checked through the calls that reach it,
 *    and a requirement (`A requires B`) once, in the first function of a
 *    main file on the way up, counting what the header's functions held;
 *  - keep every way of reaching each acquisition: each function keeps up
 *    to MAX_ROUTES witnesses per (lock, shared, subclass, op, trylock),
 *    the shortest distinct chains.  A caller may reach the same lock
 *    through several callees; each call is checked on its own, so nothing
 *    is lost at the call, only longer chains inside callees are forgotten.
 *    Chains longer than MAX_CHAIN hops are dropped: a report nobody can
 *    follow is worth less than the time to find it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merge_internal.h"

const char *mg_pool_str(lo_merge *m, char *s)
{
	lo_grow(&m->pool, &m->cappool, m->npool + 1, sizeof(*m->pool));
	m->pool[m->npool++] = s;
	return s;
}

const char *mg_nz(const char *s)
{
	return s ? s : "";
}

const char *mg_tu_source(const lo_merge *m, int tu)
{
	return mg_nz(lo_summary_source(m->tus[tu].s));
}

const char *mg_tu_dir(const lo_merge *m, int tu)
{
	return lo_summary_directory(m->tus[tu].s);
}

int mg_loc_cmp(const struct lo_loc *a, const struct lo_loc *b)
{
	int c = strcmp(mg_nz(a->file), mg_nz(b->file));

	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return 0;
}

lo_merge *lo_merge_new(const lo_rules *r)
{
	lo_merge *m = lo_xcalloc(1, sizeof(*m));
	size_t i;

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
	memset(&m->tus[m->ntus], 0, sizeof(m->tus[m->ntus]));
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
		free(f->dirty.v);
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
	for (i = 0; i < m->ntus; i++)
		lo_strmap_free(&m->tus[i].fns);
	lo_strmap_free(&m->extmap);
	lo_strmap_free(&m->foldmap);
	m->nfolded = 0;
	m->nwide = 0;
	lo_strmap_free(&m->storemap);
	lo_strmap_free(&m->aliasmap);
	lo_strmap_free(&m->classmap);
	lo_strmap_free(&m->keyflags);
	lo_strmap_free(&m->objmap);
	lo_strmap_free(&m->keyfirst);
	free(m->keynames);
	m->keynames = NULL;
	m->nkeynames = m->capkeynames = 0;
	free(m->classnames);
	m->classnames = NULL;
	m->nclasses = m->capclasses = 0;
	free(m->nodes);
	m->nodes = NULL;
	mg_wit_free(m);
	m->nnodes = m->capnodes = 0;
	free(m->unres);
	m->unres = NULL;
	m->nunres = m->capunres = 0;
	free(m->edges);
	free(m->obs);
	lo_pairmap_free(&m->obsmap);
	lo_pairmap_free(&m->edgemap);
	m->obs = NULL;
	m->nobs = m->capobs = 0;
	m->edges = NULL;
	m->nedges = m->capedges = 0;
	for (i = 0; i < m->nraw; i++) {
		free_finding(&m->raw[i].f);
		free(m->raw[i].path);
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
	free(m->root);
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

void lo_merge_get_stats(const lo_merge *m, struct lo_merge_stats *st)
{
	size_t i;

	memset(st, 0, sizeof(*st));
	st->wide_limit = MAX_TYPE_SLOT;
	if (!m)
		return;
	st->tus = m->ntus;
	st->functions = m->nfns;
	st->folded = m->nfolded;
	st->calls = m->ncalls;
	st->wide_calls = m->nwide;
	for (i = 0; i < m->nfns; i++)
		st->witnesses += m->fns[i].nw;
	st->contexts = m->nctxs;
	st->nodes = m->nnodes;
	st->classes = m->nclasses;
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

size_t lo_merge_run(lo_merge *m, int flags)
{
	size_t i, n = 0;

	if (!m)
		return 0;
	reset(m);
	mg_build_functions(m);
	mg_build_slots(m);
	mg_resolve_calls(m);
	mg_fixpoint(m);
	mg_build_keys(m);
	mg_check_all(m);
	mg_group(m);
	mg_find_cycles(m);
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
	 * static inline in every translation unit) collapse in mg_group(); the
	 * rest are distinct */
	for (i = 0; i < m->nraw; i++) {
		free(m->raw[i].path);
	}
	free(m->raw);
	m->raw = NULL;
	m->nraw = m->capraw = 0;
	m->nfindings = n;
	qsort(m->findings, n, sizeof(*m->findings), mg_cmp_finding);
	m->ran = 1;
	return n;
}


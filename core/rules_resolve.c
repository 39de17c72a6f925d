/*
 * rules_resolve.c - what the rules' names mean, once every file is read:
 * each lock path's type, each effect's lock and each statement's locks
 * become indexes; order statements become the edges of the declared
 * order; leaves are marked and checked; the order is built and its
 * cycles reported.  It also puts every error of a parse in the order a
 * reader meets them.
 *
 * What it does NOT do: compute the closure or find the cycles itself
 * (order.c's lo_order_build and lo_order_check_cycles do), or decide
 * anything about code (check.c).  Names are looked up only here, after
 * parsing, so that a lock may be used before (or in another file than)
 * the line that declares it.
 */
#include <stdlib.h>
#include <string.h>

#include "rules_internal.h"

/* ---- errors in file order --------------------------------------------- */

struct eorder {
	size_t idx, lead;
	size_t file;
	int line, col;
};

static size_t file_index(const struct parser *p, const char *file)
{
	size_t i;

	for (i = 0; file && i < p->nfiles; i++)
		if (strcmp(p->files[i], file) == 0)
			return i;
	return p->nfiles;
}

static int cmp_eorder(const void *x, const void *y)
{
	const struct eorder *a = x, *b = y;

	if (a->file != b->file)
		return a->file < b->file ? -1 : 1;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	if (a->lead != b->lead)
		return a->lead < b->lead ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Moves the entries of TMP to OUT in the order of the files and lines
 * they are about, each note staying right after its error.  Resolution
 * goes by kind of name (types, then effects, then order statements), but
 * a reader goes down the file. */
void lo_rules_errors_in_file_order(const struct parser *p,
				   struct lo_errors *tmp,
				   struct lo_errors *out)
{
	struct eorder *o = lo_xcalloc(tmp->n, sizeof(*o));
	size_t i, lead = 0;

	for (i = 0; i < tmp->n; i++) {
		if (tmp->v[i].severity != LO_SEV_NOTE || i == 0)
			lead = i;
		o[i].idx = i;
		o[i].lead = lead;
		o[i].file = file_index(p, tmp->v[lead].file);
		o[i].line = tmp->v[lead].line;
		o[i].col = tmp->v[lead].col;
	}
	qsort(o, tmp->n, sizeof(*o), cmp_eorder);
	lo_grow(&out->v, &out->cap, out->n + tmp->n, sizeof(*out->v));
	for (i = 0; i < tmp->n; i++) {
		out->v[out->n++] = tmp->v[o[i].idx];
		if (tmp->v[o[i].idx].severity == LO_SEV_ERROR)
			out->n_errors++;
	}
	free(o);
	free(tmp->v);
	memset(tmp, 0, sizeof(*tmp));
}

/* ---- resolving names -------------------------------------------------- */

static void add_edge(lo_rules *r, int from, int to, size_t rule)
{
	lo_grow(&r->edges, &r->capedges, r->nedges + 1, sizeof(*r->edges));
	r->edges[r->nedges].from = from;
	r->edges[r->nedges].to = to;
	r->edges[r->nedges].rule = (int)rule;
	r->nedges++;
}

/* Types first, then effects, then the locks of order statements; the
 * edges, leaves and cycles only once every name has its index. */
void lo_rules_resolve(struct parser *p)
{
	lo_rules *r = p->r;
	size_t i, j, k;

	for (i = 0; i < r->nlocks; i++) {
		struct lo_lock *lk = &r->locks[i];
		int t;

		if (!lk->root)
			continue;
		t = lo_strmap_get(&r->typemap, lk->root);
		if (t < 0)
			error_loc(p, lk->file, lk->line, lk->col,
				  "unknown type '%s' in '%s'; declare it with 'type %s = struct ...'",
				  lk->root, lk->name, lk->root);
		else
			lk->root_tag = r->types[t].tag;
	}

	for (i = 0; i < p->neffs; i++) {
		const struct peff *pe = &p->effs[i];
		const struct lo_function *fn = &r->funcs[pe->func];
		int idx = lo_strmap_get(&r->lockmap, pe->name);

		if (idx < 0)
			error_loc(p, pe->file, pe->line, pe->col,
				  "'%s' is neither a parameter of '%s' nor a declared lock",
				  pe->name, fn->name);
		else
			/* the lo_rules owns the array; only the public view is const */
			((struct lo_effect *)fn->effects)[pe->eff].lock = idx;
	}

	for (i = 0; i < p->nrefs; i++) {
		struct pref *ref = &p->refs[i];

		ref->idx = lo_strmap_get(&r->lockmap, ref->name);
		if (ref->idx < 0)
			error_loc(p, ref->file, ref->line, ref->col,
				  "undeclared lock '%s'; declare it with its kind, e.g. 'mutex %s'",
				  ref->name, ref->name);
	}

	for (i = 0; i < p->nstmts; i++) {
		const struct pstmt *st = &p->stmts[i];
		/* refs may still be NULL when no statement named a lock */
		const struct pref *L = st->nl ? p->refs + st->l0 : NULL;
		const struct pref *R = st->nr ? p->refs + st->r0 : NULL;
		struct lo_rule_ext *x = &r->rext[st->rule];
		int ok = 1;

		for (j = 0; j < st->nl; j++)
			ok &= L[j].idx >= 0;
		for (j = 0; j < st->nr; j++)
			ok &= R[j].idx >= 0;
		if (!ok)
			continue;
		switch (x->stmt) {
		case LO_STMT_OUTSIDE:
			for (j = 0; j < st->nl; j++)
				for (k = 0; k < st->nr; k++)
					add_edge(r, L[j].idx, R[k].idx, st->rule);
			break;
		case LO_STMT_INSIDE:
			for (k = 0; k < st->nr; k++)
				for (j = 0; j < st->nl; j++)
					add_edge(r, R[k].idx, L[j].idx, st->rule);
			break;
		case LO_STMT_REQUIRES:
			for (j = 0; j < st->nl; j++) {
				for (k = 0; k < st->nr; k++) {
					struct lo_require *q;

					lo_grow(&r->reqs, &r->capreqs, r->nreqs + 1,
						sizeof(*r->reqs));
					q = &r->reqs[r->nreqs++];
					q->a = L[j].idx;
					q->b = R[k].idx;
					q->rule = (int)st->rule;
					add_edge(r, R[k].idx, L[j].idx, st->rule);
				}
			}
			break;
		case LO_STMT_LEAF:
			for (j = 0; j < st->nl; j++) {
				struct lo_lock *lk = &r->locks[L[j].idx];

				if (!lk->leaf) {
					lk->leaf = 1;
					lk->leaf_rule = (int)st->rule;
				}
			}
			break;
		case LO_STMT_NEVER:
			x->locks = own(r, lo_xcalloc(st->nl, sizeof(int)));
			x->nlocks = st->nl;
			for (j = 0; j < st->nl; j++)
				x->locks[j] = L[j].idx;
			break;
		case LO_STMT_LEAF_ALL:
			break;
		}
	}

	lo_order_build(r);

	/* A lock stated to be a leaf must not be put outside anything. */
	for (i = 0; i < p->nstmts; i++) {
		const struct pstmt *st = &p->stmts[i];

		if (r->rext[st->rule].stmt != LO_STMT_LEAF)
			continue;
		for (j = 0; j < st->nl; j++) {
			const struct pref *ref = &p->refs[st->l0 + j];

			if (ref->idx < 0)
				continue;
			for (k = r->adj_start[ref->idx];
			     k < r->adj_start[ref->idx + 1]; k++) {
				const struct lo_edge *e = &r->edges[r->adj[k]];
				const struct lo_rule *ru = &r->rules[e->rule];

				error_loc(p, ref->file, ref->line, ref->col,
					  "'%s' cannot be a leaf lock: the rule at %s:%d puts it outside '%s'",
					  ref->name, ru->file, ru->line,
					  r->locks[e->to].name);
			}
		}
	}

	/* leaf *: only the locks declared in the file that says it.  An
	 * included file is the API the subsystem uses (linux.lockorder's
	 * cpus_read_lock, say), not part of this subsystem's order: making
	 * its locks leaves here would forbid what other subsystems do
	 * inside them. */
	for (i = 0; i < p->nstmts; i++) {
		const struct pstmt *st = &p->stmts[i];
		const struct lo_rule *ru = &r->rules[st->rule];

		if (r->rext[st->rule].stmt != LO_STMT_LEAF_ALL)
			continue;
		for (j = 0; j < r->nlocks; j++) {
			struct lo_lock *lk = &r->locks[j];

			if (lk->leaf || strcmp(lk->file, ru->file) != 0 ||
			    r->adj_start[j] != r->adj_start[j + 1])
				continue;
			lk->leaf = 1;
			lk->leaf_rule = (int)st->rule;
		}
	}

	lo_order_check_cycles(r, p->errs);
}

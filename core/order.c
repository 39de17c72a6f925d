/*
 * order.c - the declared order as a relation: the edges the rules state,
 * their transitive closure, the statements behind a pair, cycles, and
 * the printout of `lockorder rules`.
 *
 * What it does NOT do: read rules (rules.c) or look at held locks
 * (check.c).  The closure is a bit matrix computed once, after parsing,
 * with Warshall's algorithm on 64-bit words: cubic in the number of
 * locks but a few milliseconds for the hundreds a subsystem declares, and
 * every later question is one bit test.  Paths are found on demand by a
 * breadth-first search over the direct edges, so they are shortest and,
 * among those, use the statements that come first.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int bit(const lo_rules *r, size_t a, size_t b)
{
	return (r->reach[a * r->words + b / 64] >> (b % 64)) & 1;
}

void lo_order_build(lo_rules *r)
{
	size_t n = r->nlocks, i, k, w;

	lo_order_free(r);
	r->adj_start = lo_xcalloc(n + 1, sizeof(*r->adj_start));
	r->adj = lo_xcalloc(r->nedges, sizeof(*r->adj));
	for (i = 0; i < r->nedges; i++)
		r->adj_start[r->edges[i].from + 1]++;
	for (i = 0; i < n; i++)
		r->adj_start[i + 1] += r->adj_start[i];
	{
		size_t *fill = lo_xcalloc(n + 1, sizeof(*fill));

		/* in edge order, so that each lock's edges keep rule order */
		for (i = 0; i < r->nedges; i++) {
			int f = r->edges[i].from;

			r->adj[r->adj_start[f] + fill[f]++] = (int)i;
		}
		free(fill);
	}

	r->words = (n + 63) / 64;
	r->reach = lo_xcalloc(n * r->words, sizeof(*r->reach));
	for (i = 0; i < r->nedges; i++) {
		size_t f = (size_t)r->edges[i].from, t = (size_t)r->edges[i].to;

		r->reach[f * r->words + t / 64] |= (uint64_t)1 << (t % 64);
	}
	for (k = 0; k < n; k++) {
		const uint64_t *rk = &r->reach[k * r->words];

		for (i = 0; i < n; i++) {
			uint64_t *ri = &r->reach[i * r->words];

			if (!((ri[k / 64] >> (k % 64)) & 1))
				continue;
			for (w = 0; w < r->words; w++)
				ri[w] |= rk[w];
		}
	}
}

void lo_order_free(lo_rules *r)
{
	free(r->adj_start);
	free(r->adj);
	free(r->reach);
	r->adj_start = NULL;
	r->adj = NULL;
	r->reach = NULL;
	r->words = 0;
}

int lo_order_reaches(const lo_rules *r, int a, int b)
{
	if (!r || !r->reach || a < 0 || b < 0 || (size_t)a >= r->nlocks ||
	    (size_t)b >= r->nlocks)
		return 0;
	return bit(r, (size_t)a, (size_t)b);
}

size_t lo_order_path(const lo_rules *r, int a, int b, int *edges, size_t max)
{
	size_t n = r->nlocks, head = 0, tail = 0, len = 0, i;
	int *prev, *queue, v;

	if (!lo_order_reaches(r, a, b))
		return 0;
	/* prev[v]: the edge that reached v, -1 for the start, -2 unseen.
	 * When A == B the start stays unseen so that the search can come
	 * back to it. */
	prev = lo_xmalloc(n * sizeof(*prev));
	queue = lo_xmalloc((n + 1) * sizeof(*queue));
	for (i = 0; i < n; i++)
		prev[i] = -2;
	if (a != b)
		prev[a] = -1;
	queue[tail++] = a;
	while (head < tail && prev[b] == -2) {
		int u = queue[head++];

		for (i = r->adj_start[u]; i < r->adj_start[u + 1]; i++) {
			int e = r->adj[i], to = r->edges[e].to;

			if (prev[to] != -2)
				continue;
			prev[to] = e;
			if (to == b)
				break;
			queue[tail++] = to;
		}
	}
	/* walk back from B to A, counting, then fill from the end */
	if (prev[b] == -2) {
		len = 0;
	} else {
		v = b;
		do {
			len++;
			v = r->edges[prev[v]].from;
		} while (v != a);
		for (v = b, i = len; i > 0; i--) {
			int e = prev[v];

			if (i - 1 < max)
				edges[i - 1] = e;
			v = r->edges[e].from;
		}
	}
	free(prev);
	free(queue);
	return len;
}

int lo_rules_outside(const lo_rules *r, int a, int b, int *path, size_t max,
		     size_t *npath)
{
	int yes = lo_order_reaches(r, a, b);

	if (npath)
		*npath = 0;
	if (yes && path && max) {
		int *edges;
		size_t n, i;

		edges = lo_xmalloc(r->nlocks * sizeof(*edges) + sizeof(*edges));
		n = lo_order_path(r, a, b, edges, r->nlocks + 1);
		for (i = 0; i < n && i < max; i++)
			path[i] = r->edges[edges[i]].rule;
		if (npath)
			*npath = i;
		free(edges);
	}
	return yes;
}

/* Reports one cycle per uncovered edge on a cycle: an edge that is
 * already part of a reported cycle starts no new report, so every cycle
 * is told once, and a knot of cycles is told as a few, not as all of
 * its (exponentially many) elementary cycles. */
void lo_order_check_cycles(const lo_rules *r, struct lo_errors *errs)
{
	char *covered = lo_xcalloc(r->nedges, 1);
	int *cyc = lo_xmalloc((r->nlocks + 1) * sizeof(*cyc));
	size_t i, j;

	for (i = 0; i < r->nedges; i++) {
		const struct lo_edge *e = &r->edges[i];
		size_t n = 1, first = 0, cap, len;
		char *msg;

		if (covered[i])
			continue;
		if (e->to != e->from && !lo_order_reaches(r, e->to, e->from))
			continue;
		cyc[0] = (int)i;
		if (e->to != e->from)
			n += lo_order_path(r, e->to, e->from, cyc + 1, r->nlocks);
		for (j = 0; j < n; j++) {
			covered[cyc[j]] = 1;
			if (r->edges[cyc[j]].rule < r->edges[cyc[first]].rule)
				first = j;
		}
		/* start the story at the first statement */
		cap = 64;
		for (j = 0; j < n; j++)
			cap += strlen(r->locks[r->edges[cyc[j]].from].name) + 8;
		cap += strlen(r->locks[r->edges[cyc[first]].from].name);
		msg = lo_xmalloc(cap);
		len = (size_t)sprintf(msg, "cycle in the declared lock order: ");
		for (j = 0; j < n; j++) {
			const struct lo_edge *c = &r->edges[cyc[(first + j) % n]];

			len += (size_t)sprintf(msg + len, "'%s' -> ",
					       r->locks[c->from].name);
		}
		sprintf(msg + len, "'%s'",
			r->locks[r->edges[cyc[first]].from].name);
		{
			const struct lo_rule *ru = &r->rules[r->edges[cyc[first]].rule];

			lo_errors_add(errs, LO_SEV_ERROR, ru->file, ru->line,
				      r->rext[r->edges[cyc[first]].rule].col, "%s",
				      msg);
		}
		free(msg);
		for (j = 0; j < n; j++) {
			const struct lo_edge *c = &r->edges[cyc[(first + j) % n]];
			const struct lo_rule *ru = &r->rules[c->rule];

			lo_errors_add(errs, LO_SEV_NOTE, ru->file, ru->line,
				      r->rext[c->rule].col,
				      "'%s' outside '%s' stated here",
				      r->locks[c->from].name,
				      r->locks[c->to].name);
		}
	}
	free(covered);
	free(cyc);
}

/* ---- printing --------------------------------------------------------- */

static const lo_rules *sort_rules; /* qsort has no context argument */

static int cmp_lock_idx(const void *x, const void *y)
{
	int a = *(const int *)x, b = *(const int *)y;
	int c = strcmp(sort_rules->locks[a].name, sort_rules->locks[b].name);

	return c ? c : a - b;
}

static int cmp_type_idx(const void *x, const void *y)
{
	int a = *(const int *)x, b = *(const int *)y;
	int c = strcmp(sort_rules->types[a].alias, sort_rules->types[b].alias);

	return c ? c : a - b;
}

static int cmp_func_idx(const void *x, const void *y)
{
	int a = *(const int *)x, b = *(const int *)y;
	int c = strcmp(sort_rules->funcs[a].name, sort_rules->funcs[b].name);

	return c ? c : a - b;
}

static int cmp_req(const void *x, const void *y)
{
	const struct lo_require *a = x, *b = y;
	int c = strcmp(sort_rules->locks[a->a].name, sort_rules->locks[b->a].name);

	if (!c)
		c = strcmp(sort_rules->locks[a->b].name,
			   sort_rules->locks[b->b].name);
	return c ? c : a->rule - b->rule;
}

static int cmp_rule_text(const void *x, const void *y)
{
	int a = *(const int *)x, b = *(const int *)y;
	int c = strcmp(sort_rules->rules[a].text, sort_rules->rules[b].text);

	return c ? c : a - b;
}

static int *sorted_indexes(const lo_rules *r, size_t n,
			   int (*cmp)(const void *, const void *))
{
	int *v = lo_xcalloc(n, sizeof(*v));
	size_t i;

	for (i = 0; i < n; i++)
		v[i] = (int)i;
	sort_rules = r;
	qsort(v, n, sizeof(*v), cmp);
	sort_rules = NULL;
	return v;
}

static const char *effect_target(const lo_rules *r,
				 const struct lo_function *f,
				 const struct lo_effect *e)
{
	if (e->param >= 0 && (size_t)e->param < f->nparams)
		return f->params[e->param];
	if (e->lock >= 0 && (size_t)e->lock < r->nlocks)
		return r->locks[e->lock].name;
	return "?";
}

static void print_function(const lo_rules *r, const struct lo_function *f,
			   FILE *out)
{
	static const char *const ops[] = {
		[LO_ACQUIRE] = "acquires", [LO_RELEASE] = "releases",
		[LO_WAIT] = "waits", [LO_ASSERT] = "asserts", [LO_KEY] = "keys",
	};
	size_t i;

	fprintf(out, "function %s(", f->name);
	for (i = 0; i < f->nparams; i++)
		fprintf(out, "%s%s", i ? ", " : "", f->params[i]);
	fputc(')', out);
	for (i = 0; i < f->neffects; i++) {
		const struct lo_effect *e = &f->effects[i];

		fprintf(out, "%s %s%s %s", i ? "," : "",
			e->trylock ? "tries" : ops[e->op],
			e->shared ? " shared" : "", effect_target(r, f, e));
		if (e->nested_param >= 0 && (size_t)e->nested_param < f->nparams)
			fprintf(out, " nested %s", f->params[e->nested_param]);
		if (e->nest_param >= 0 && (size_t)e->nest_param < f->nparams)
			fprintf(out, " under %s", f->params[e->nest_param]);
		if (e->op == LO_KEY && e->key_param >= 0 &&
		    (size_t)e->key_param < f->nparams)
			fprintf(out, " with %s", f->params[e->key_param]);
		if (e->cond == LO_IF_RETURNS_ZERO)
			fputs(" if returns 0", out);
		else if (e->cond == LO_IF_RETURNS_NONZERO)
			fputs(" if returns nonzero", out);
	}
	fputc('\n', out);
}

/* The first statement stating A outside B directly, or -1. */
static int direct_rule(const lo_rules *r, int a, int b)
{
	size_t i;

	for (i = r->adj_start[a]; i < r->adj_start[a + 1]; i++)
		if (r->edges[r->adj[i]].to == b)
			return r->edges[r->adj[i]].rule;
	return -1;
}

void lo_rules_print(const lo_rules *r, FILE *out)
{
	int *ti, *li, *fi, *ri;
	size_t i, j, n;
	int *path;
	int sep = 0;

	if (!r)
		return;
	ti = sorted_indexes(r, r->ntypes, cmp_type_idx);
	li = sorted_indexes(r, r->nlocks, cmp_lock_idx);
	fi = sorted_indexes(r, r->nfuncs, cmp_func_idx);
	ri = sorted_indexes(r, r->nrules, cmp_rule_text);
	path = lo_xmalloc((r->nlocks + 1) * sizeof(*path));

#define SECTION(cond, title)                                                   \
	do {                                                                   \
		if (cond) {                                                    \
			fprintf(out, "%s# %s\n", sep ? "\n" : "", title);     \
			sep = 1;                                               \
		}                                                              \
	} while (0)

	SECTION(r->ntypes, "types");
	for (i = 0; i < r->ntypes; i++) {
		const struct lo_type *t = &r->types[ti[i]];

		fprintf(out, "type %s = %s %s\n", t->alias, t->keyword, t->tag);
	}

	SECTION(r->nlocks, "locks");
	for (i = 0; i < r->nlocks; i++) {
		const struct lo_lock *l = &r->locks[li[i]];

		fprintf(out, "%-12s %s\n", lo_kind_name(l->kind), l->name);
	}

	SECTION(r->nfuncs, "functions");
	for (i = 0; i < r->nfuncs; i++)
		print_function(r, &r->funcs[fi[i]], out);

	SECTION(r->nedges, "order: every pair of the closure, outer lock first");
	for (i = 0; i < r->nlocks; i++) {
		for (j = 0; j < r->nlocks; j++) {
			int a = li[i], b = li[j], d;
			size_t k;

			if (!lo_order_reaches(r, a, b))
				continue;
			d = direct_rule(r, a, b);
			fprintf(out, "%s outside %s    # ", r->locks[a].name,
				r->locks[b].name);
			if (d >= 0) {
				fprintf(out, "%s:%d\n", r->rules[d].file,
					r->rules[d].line);
				continue;
			}
			n = lo_order_path(r, a, b, path, r->nlocks + 1);
			fputs("via ", out);
			for (k = 0; k + 1 < n; k++)
				fprintf(out, "%s%s", k ? ", " : "",
					r->locks[r->edges[path[k]].to].name);
			fputc('\n', out);
		}
	}

	n = 0;
	for (i = 0; i < r->nlocks; i++)
		n += r->locks[i].leaf != 0;
	SECTION(n, "leaves");
	for (i = 0; i < r->nlocks; i++) {
		const struct lo_lock *l = &r->locks[li[i]];
		const struct lo_rule *ru;

		if (!l->leaf)
			continue;
		ru = &r->rules[l->leaf_rule];
		fprintf(out, "leaf %s    # %s:%d%s\n", l->name, ru->file, ru->line,
			r->rext[l->leaf_rule].stmt == LO_STMT_LEAF_ALL ?
				" (leaf *)" : "");
	}

	SECTION(r->nreqs, "requires");
	{
		struct lo_require *q = lo_xcalloc(r->nreqs, sizeof(*q));

		if (r->nreqs)
			memcpy(q, r->reqs, r->nreqs * sizeof(*q));
		sort_rules = r;
		qsort(q, r->nreqs, sizeof(*q), cmp_req);
		sort_rules = NULL;
		for (i = 0; i < r->nreqs; i++)
			fprintf(out, "%s requires %s    # %s:%d\n",
				r->locks[q[i].a].name, r->locks[q[i].b].name,
				r->rules[q[i].rule].file, r->rules[q[i].rule].line);
		free(q);
	}

	n = 0;
	for (i = 0; i < r->nrules; i++)
		n += r->rules[i].kind == LO_RULE_NEVER;
	SECTION(n, "never");
	for (i = 0; i < r->nrules; i++) {
		const struct lo_rule *ru = &r->rules[ri[i]];

		if (ru->kind == LO_RULE_NEVER)
			fprintf(out, "%s    # %s:%d\n", ru->text, ru->file,
				ru->line);
	}
#undef SECTION
	free(ti);
	free(li);
	free(fi);
	free(ri);
	free(path);
}

size_t lo_rules_edge_count(const lo_rules *r)
{
	return r ? r->nedges : 0;
}

int lo_rules_edge(const lo_rules *r, size_t i, int *from, int *to, int *rule)
{
	if (!r || i >= r->nedges)
		return -1;
	*from = r->edges[i].from;
	*to = r->edges[i].to;
	*rule = r->edges[i].rule;
	return 0;
}

/*
 * explain.c - the rules read back as sentences, in the voice of
 * Documentation/virt/kvm/locking.rst, so that the document and the rules
 * file can be laid side by side.
 *
 * What it does NOT do: judge anything.  It says what each statement of the
 * rules makes the checks enforce, one bullet per statement, in file order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The names of the locks in V (N of them, duplicates skipped): "a", "a and
 * b", "a, b and c" (CONJ instead of " and "). */
static void put_names_conj(FILE *out, const lo_rules *r, const int *v,
			   size_t n, const char *conj)
{
	size_t i, j, shown = 0, total = 0;

	for (i = 0; i < n; i++) {
		for (j = 0; j < i && v[j] != v[i]; j++)
			;
		total += j == i;
	}
	for (i = 0; i < n; i++) {
		for (j = 0; j < i && v[j] != v[i]; j++)
			;
		if (j < i)
			continue;
		if (shown)
			fputs(shown + 1 == total ? conj : ", ", out);
		fputs(r->locks[v[i]].name, out);
		shown++;
	}
}

static void put_names(FILE *out, const lo_rules *r, const int *v, size_t n)
{
	put_names_conj(out, r, v, n, " and ");
}

static size_t count_distinct(const int *v, size_t n)
{
	size_t i, j, total = 0;

	for (i = 0; i < n; i++) {
		for (j = 0; j < i && v[j] != v[i]; j++)
			;
		total += j == i;
	}
	return total;
}

static int all_srcu(const lo_rules *r, const int *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (r->locks[v[i]].kind != LO_SRCU)
			return 0;
	return n > 0;
}

void lo_rules_explain(const lo_rules *r, FILE *out)
{
	size_t i, k;
	int *from, *to;

	if (!r)
		return;
	from = lo_xcalloc(r->nedges + r->nreqs + 1, sizeof(*from));
	to = lo_xcalloc(r->nedges + r->nreqs + r->nlocks + 1, sizeof(*to));
	fputs("The acquisition orders, as the rules state them:\n\n", out);
	for (i = 0; i < r->nrules; i++) {
		const struct lo_rule *rule = &r->rules[i];
		const struct lo_rule_ext *x = &r->rext[i];
		size_t n = 0, nt = 0;

		for (k = 0; k < r->nedges; k++)
			if (r->edges[k].rule == (int)i) {
				from[n++] = r->edges[k].from;
				to[nt++] = r->edges[k].to;
			}
		switch (x->stmt) {
		case LO_STMT_OUTSIDE:
			fputs("- ", out);
			put_names(out, r, from, n);
			fprintf(out, " %s taken outside ",
				count_distinct(from, n) > 1 ? "are" : "is");
			put_names(out, r, to, nt);
			if (all_srcu(r, to, nt)) {
				fprintf(out, "; %s cannot be taken inside a ",
					count_distinct(from, n) > 1 ? "they" : "it");
				put_names(out, r, to, nt);
				fputs(" read-side critical section", out);
			}
			break;
		case LO_STMT_INSIDE:
			fputs("- ", out);
			put_names(out, r, to, nt);
			fprintf(out, " %s taken inside ",
				count_distinct(to, nt) > 1 ? "are" : "is");
			put_names(out, r, from, n);
			if (all_srcu(r, from, n)) {
				fputs(": it can be taken inside a read-side critical "
				      "section, and synchronize_srcu() must not be "
				      "called while holding it", out);
			}
			break;
		case LO_STMT_REQUIRES:
			n = nt = 0;
			for (k = 0; k < r->nreqs; k++)
				if (r->reqs[k].rule == (int)i) {
					to[nt++] = r->reqs[k].a;
					from[n++] = r->reqs[k].b;
				}
			fputs("- critical sections for ", out);
			put_names(out, r, to, nt);
			fputs(" must also take ", out);
			put_names(out, r, from, n);
			break;
		case LO_STMT_LEAF:
		case LO_STMT_LEAF_ALL:
			nt = 0;
			for (k = 0; k < r->nlocks; k++)
				if (r->locks[k].leaf && r->locks[k].leaf_rule == (int)i)
					to[nt++] = (int)k;
			if (x->stmt == LO_STMT_LEAF_ALL)
				fputs("- Everything else is a leaf: no other lock is "
				      "taken inside the critical sections of ", out);
			else
				fputs("- no other lock is taken inside the critical "
				      "section of ", out);
			if (nt)
				put_names(out, r, to, nt);
			else
				fputs("(no lock)", out);
			break;
		case LO_STMT_NEVER:
			fputs("- ", out);
			for (k = 0; k < x->npatterns; k++)
				fprintf(out, "%s%s",
					k ? (k + 1 == x->npatterns ? " and " : ", ") : "",
					x->patterns[k]);
			fputs(" must not take ", out);
			put_names_conj(out, r, x->locks, x->nlocks, " or ");
			fputs(" (nor any function they call)", out);
			break;
		}
		fprintf(out, "   [%s:%d]\n", rule->file, rule->line);
	}
	free(from);
	free(to);
}

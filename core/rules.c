/*
 * rules.c - the rules a rules file states, once read: what a lo_rules
 * owns, freeing it, and the queries on its types, locks, functions and
 * rules.
 *
 * What it does NOT do: read anything.  The reader is in stages, each in
 * its own file: rules_lex.c (lines and tokens), rules_parse.c (statements
 * and the entry points lo_rules_parse_file and lo_rules_parse_string),
 * rules_include.c (include) and rules_resolve.c (names, the declared
 * order's edges, leaves).  Nor does it answer questions about the order
 * (lo_rules_outside, lo_rules_edge and lo_rules_print are order.c's) or
 * put the rules into words (lo_rules_explain is explain.c's).
 */
#include <stdlib.h>
#include <string.h>

#include "rules_internal.h"

void lo_rules_free(lo_rules *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nowned; i++)
		free(r->owned[i]);
	free(r->owned);
	free(r->types);
	free(r->locks);
	free(r->funcs);
	free(r->patterns);
	free(r->rules);
	free(r->rext);
	free(r->edges);
	free(r->reqs);
	lo_strmap_free(&r->lockmap);
	lo_strmap_free(&r->funcmap);
	lo_strmap_free(&r->typemap);
	lo_order_free(r);
	free(r);
}

/* ---- queries ---------------------------------------------------------- */

size_t lo_rules_type_count(const lo_rules *r)
{
	return r ? r->ntypes : 0;
}

const char *lo_rules_type_alias(const lo_rules *r, size_t i)
{
	return r && i < r->ntypes ? r->types[i].alias : NULL;
}

const char *lo_rules_type_tag(const lo_rules *r, size_t i)
{
	return r && i < r->ntypes ? r->types[i].tag : NULL;
}

size_t lo_rules_lock_count(const lo_rules *r)
{
	return r ? r->nlocks : 0;
}

const struct lo_lock *lo_rules_lock(const lo_rules *r, size_t i)
{
	return r && i < r->nlocks ? &r->locks[i] : NULL;
}

int lo_rules_find_lock(const lo_rules *r, const char *name)
{
	return r && name ? lo_strmap_get(&r->lockmap, name) : -1;
}

size_t lo_rules_function_count(const lo_rules *r)
{
	return r ? r->nfuncs : 0;
}

const struct lo_function *lo_rules_function(const lo_rules *r, size_t i)
{
	return r && i < r->nfuncs ? &r->funcs[i] : NULL;
}

const struct lo_function *lo_rules_find_function(const lo_rules *r,
						 const char *name)
{
	const struct lo_function *best = NULL;
	size_t i, bestlen = 0;
	int idx;

	if (!r || !name)
		return NULL;
	idx = lo_strmap_get(&r->funcmap, name);
	if (idx >= 0)
		return &r->funcs[idx];
	for (i = 0; i < r->npatterns; i++) {
		const struct lo_function *f = &r->funcs[r->patterns[i]];
		size_t n = strlen(f->name);

		if (lo_glob_match(f->name, name) && (!best || n > bestlen)) {
			best = f;
			bestlen = n;
		}
	}
	return best;
}

size_t lo_rules_rule_count(const lo_rules *r)
{
	return r ? r->nrules : 0;
}

const struct lo_rule *lo_rules_rule(const lo_rules *r, size_t i)
{
	return r && i < r->nrules ? &r->rules[i] : NULL;
}

int lo_glob_match(const char *pattern, const char *s)
{
	size_t n;

	if (!pattern || !s)
		return 0;
	n = strlen(pattern);
	if (n && pattern[n - 1] == '*')
		return strncmp(pattern, s, n - 1) == 0;
	return strcmp(pattern, s) == 0;
}

/*
 * finding.c - a finding: its place, its message (the core's words,
 * lo_violation_message()), its notes in order (each hop of the chain, the
 * held lock's site, each rule statement that orders the two), and its key
 * for baselines (no line numbers, so it survives unrelated edits).
 *
 * What it does NOT do: decide whether there is a finding, or group them
 * (group.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merge_internal.h"

/* AT, a location of translation unit TU, as seen from translation unit
 * BASE: a relative file of a translation unit compiled elsewhere is made
 * absolute, so that every location of a finding is relative to its
 * directory or absolute. */
struct lo_loc mg_loc_from(lo_merge *m, int tu, int base,
			      const struct lo_loc *at)
{
	struct lo_loc l = *at;
	const char *d = mg_tu_dir(m, tu), *bd = mg_tu_dir(m, base);

	if (tu == base || !l.file || l.file[0] == '/' || !d ||
	    (bd && strcmp(d, bd) == 0))
		return l;
	l.file = mg_pool_str(m, lo_xasprintf("%s/%s", d, l.file));
	return l;
}

void mg_add_note(struct lo_finding *f, size_t *cap, struct lo_loc at,
		     char *text, int hop)
{
	lo_grow(&f->notes, cap, f->nnotes + 1, sizeof(*f->notes));
	f->notes[f->nnotes].at = at;
	f->notes[f->nnotes].text = text;
	f->notes[f->nnotes].hop = hop;
	f->nnotes++;
}

/* The chain's notes: "'G' calls 'H' here" ... "'L' acquired here in 'H'". */
void mg_chain_notes(lo_merge *m, struct lo_finding *f, size_t *cap,
			int base, int n, const char *acq_name)
{
	for (; n >= 0; n = m->nodes[n].next) {
		const struct node *x = &m->nodes[n];
		const struct mfn *g = &m->fns[x->fn];
		char *text;

		if (x->next >= 0)
			text = lo_xasprintf("'%s' calls '%s' here", g->name,
				       m->fns[m->nodes[x->next].fn].name);
		else
			text = lo_xasprintf("'%s' acquired here in '%s'", acq_name,
				       g->name);
		mg_add_note(f, cap, mg_loc_from(m, g->tu, base, x->at), text, 1);
	}
}

static void held_note(struct lo_finding *f, size_t *cap,
		      const struct lo_sheld *h)
{
	mg_add_note(f, cap, h->at,
		 lo_xasprintf("'%s' %s", mg_lock_name(&h->lock),
			 h->asserted ? "asserted held here" : "acquired here"),
		 0);
}

/* "'f' -> 'g' -> 'h'": FN, then the functions of CHAIN. */
static char *route_of(lo_merge *m, int fn, int n)
{
	char *s = lo_xasprintf("'%s'", m->fns[fn].name), *t;

	for (; n >= 0; n = m->nodes[n].next) {
		t = lo_xasprintf("%s -> '%s'", s, m->fns[m->nodes[n].fn].name);
		free(s);
		s = t;
	}
	return s;
}

/* FNV-1a, 64 bits, as 16 hex digits: a key for baselines. */
char *mg_hash_key(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return lo_xasprintf("%016llx", (unsigned long long)h);
}

/* The finding's key: its kind, function, message and the functions of
 * its chain, without a line number. */
static char *finding_key(lo_merge *m, const struct lo_finding *f, int chain)
{
	size_t len = 0, cap = 0;
	char *s = NULL, *k;
	char *head = lo_xasprintf("%s|%s|%s|", lo_violation_kind_name(f->kind),
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
	k = mg_hash_key(s);
	free(s);
	return k;
}

struct rawf *mg_new_raw(lo_merge *m)
{
	struct rawf *r;

	lo_grow(&m->raw, &m->capraw, m->nraw + 1, sizeof(*m->raw));
	r = &m->raw[m->nraw++];
	memset(r, 0, sizeof(*r));
	return r;
}

void mg_finding_at(lo_merge *m, struct lo_finding *f, int fn, int tu,
		       const struct lo_loc *at)
{
	const char *d = mg_tu_dir(m, tu);

	f->at = *at;
	f->fn = lo_xstrdup(m->fns[fn].name);
	f->source = lo_xstrdup(mg_tu_source(m, tu));
	f->directory = d ? lo_xstrdup(d) : NULL;
}

void mg_report_violation(lo_merge *m, const struct site *st,
			     const struct lo_violation *v,
			     const struct lo_acq *acq, const char *acq_name,
			     const struct lo_held *hv, const int *hidx)
{
	const struct lo_sheld *h = v->held >= 0 ? &st->held[hidx[v->held]] : NULL;
	const struct lo_held *hl = v->held >= 0 ? &hv[v->held] : NULL;
	const char *held_name = h ? mg_lock_name(&h->lock) : NULL;
	char *msg = lo_violation_message(m->rules, v, acq, acq_name, hl,
					 held_name);
	struct rawf *r;
	struct lo_finding *f;
	size_t cap = 0, np = 0, i;
	int path[MAX_RULE_PATH];

	if (!msg)
		abort();
	r = mg_new_raw(m);
	r->held_name = held_name ? lo_xstrdup(held_name) : NULL;
	f = &r->f;
	f->kind = v->kind;
	f->message = msg;
	mg_finding_at(m, f, st->fn, st->tu, st->at);
	f->cross_file = st->cross;
	mg_chain_notes(m, f, &cap, st->tu, st->chain, acq_name);
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

		mg_add_note(f, &cap, at, lo_xstrdup("rule stated here"), 0);
	}
	f->key = finding_key(m, f, st->chain);
	r->route = route_of(m, st->fn, st->chain);
}

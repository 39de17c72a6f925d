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

/* AT, a location of translation unit TU, as the finding names it: under
 * a root (root.c), relative to the root or absolute.  Without one, as
 * seen from translation unit BASE: a relative file of a translation unit
 * compiled elsewhere is made absolute, so that every location of a
 * finding is relative to its directory or absolute.  Either way without
 * "dir/.." segments. */
struct lo_loc mg_loc_from(lo_merge *m, int tu, int base,
			  const struct lo_loc *at)
{
	struct lo_loc l = *at;
	const char *d = mg_tu_dir(m, tu), *bd = mg_tu_dir(m, base);
	char *n;

	if (m->root && l.file && (d || l.file[0] == '/')) {
		l.file = mg_root_path(m, d, l.file);
		return l;
	}
	if (!(tu == base || !l.file || l.file[0] == '/' || !d ||
	      (bd && strcmp(d, bd) == 0)))
		l.file = mg_pool_str(m, lo_xasprintf("%s/%s", d, l.file));
	if (l.file && (n = lo_path_normal(l.file)) != NULL)
		l.file = mg_pool_str(m, n);
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

/* The path of a check in function FN of TU at AT, CHAIN below it. */
void mg_path_of(const lo_merge *m, int fn, int tu, const struct lo_loc *at,
		int chain, struct path *p)
{
	int n;

	p->n = 0;
	p->h[p->n].fn = fn;
	p->h[p->n].tu = tu;
	p->h[p->n++].at = at;
	for (n = chain; n >= 0 && p->n <= MAX_CHAIN; n = m->nodes[n].next) {
		p->h[p->n].fn = m->nodes[n].fn;
		p->h[p->n].tu = m->fns[m->nodes[n].fn].tu;
		p->h[p->n++].at = m->nodes[n].at;
	}
}

/* The line to change: the acquisition, or when a header's inline makes it
 * (a spin_lock() wrapper), the last call of the path in a main file.  The
 * checked function is in its main file, so there always is one. */
int mg_path_primary(const lo_merge *m, const struct path *p)
{
	int i;

	for (i = p->n - 1; i > 0; i--)
		if (m->fns[p->h[i].fn].in_main)
			return i;
	return 0;
}

static const char *op_verb(enum lo_effect_op op)
{
	return op == LO_WAIT ? "waited for" : "acquired";
}

/* The path's notes but the finding's own place (STEP: the path is the
 * finding's own; BASE: its translation unit): "'G' calls 'H' here" for
 * each call, "'L' acquired here in 'H'" for the acquisition; each a step
 * of the path (SARIF's codeFlow). */
void mg_path_notes(lo_merge *m, struct lo_finding *f, size_t *cap,
		   const struct path *p, int primary, const char *acq_name,
		   enum lo_effect_op op, int base, int step)
{
	int i;
	size_t k;

	for (i = 0; i < p->n; i++) {
		const struct hop *h = &p->h[i];
		char *text;

		if (i == primary) {
			for (k = 0; step && k < f->nnotes; k++)
				f->at_step += f->notes[k].hop != 0;
			continue;
		}
		if (i + 1 < p->n)
			text = lo_xasprintf("'%s' calls '%s' here",
					    m->fns[h->fn].name,
					    m->fns[p->h[i + 1].fn].name);
		else
			text = lo_xasprintf("'%s' %s here in '%s'", acq_name,
					    op_verb(op), m->fns[h->fn].name);
		mg_add_note(f, cap, mg_loc_from(m, h->tu, base, h->at), text,
			    step);
	}
}

/* Where the held lock H was taken, by function FN of TU: the first step
 * of the path (STEP: a step of the finding's own path). */
void mg_held_note(lo_merge *m, struct lo_finding *f, size_t *cap, int base,
		  int tu, const struct lo_sheld *h, int fn, int step)
{
	mg_add_note(f, cap, mg_loc_from(m, tu, base, &h->at),
		    lo_xasprintf("'%s' %s here in '%s'", mg_lock_name(&h->lock),
				 h->asserted ? "asserted held" : "acquired",
				 m->fns[fn].name),
		    step);
}

/* FNV-1a, 64 bits, as 16 hex digits: a key for baselines. */
char *mg_hash_key(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return lo_xasprintf("%016llx", (unsigned long long)h);
}

/* The finding's key: its kind, the function of its place and its message
 * (the lock classes and the rule), no line number and no route: a new
 * route to a known acquisition is the same finding, a new bad acquisition
 * a new one. */
static char *finding_key(const struct lo_finding *f)
{
	char *s = lo_xasprintf("%s|%s|%s", lo_violation_kind_name(f->kind),
			       f->fn, f->message);
	char *k = mg_hash_key(s);

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

void mg_raw_path(struct rawf *r, const struct path *p, int primary)
{
	r->path = lo_xmalloc((size_t)p->n * sizeof(*r->path));
	memcpy(r->path, p->h, (size_t)p->n * sizeof(*r->path));
	r->npath = p->n;
	r->primary = primary;
}

/* The finding's place: H, as its own translation unit names it. */
void mg_finding_at(lo_merge *m, struct lo_finding *f, const struct hop *h)
{
	const char *d = mg_tu_dir(m, h->tu);
	const char *src = mg_tu_source(m, h->tu);

	f->at = mg_loc_from(m, h->tu, h->tu, h->at);
	f->fn = lo_xstrdup(m->fns[h->fn].name);
	if (m->root) {
		/* the files are relative to the root now, the source too */
		f->source = lo_xstrdup(src[0] && (d || src[0] == '/') ?
				       mg_root_path(m, d, src) : src);
		f->directory = lo_xstrdup(m->root);
		return;
	}
	f->source = lo_xstrdup(src);
	f->directory = d ? lo_xstrdup(d) : NULL;
}

/* Finding V at site ST: placed at the line to change, its notes where the
 * held lock was taken, each call from there down, the rule. */
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
	struct path p;
	size_t cap = 0, np = 0, i;
	int path[MAX_RULE_PATH], primary, base;

	if (!msg)
		abort();
	mg_path_of(m, st->fn, st->tu, st->at, st->chain, &p);
	primary = mg_path_primary(m, &p);
	base = p.h[primary].tu;
	r = mg_new_raw(m);
	mg_raw_path(r, &p, primary);
	f = &r->f;
	f->kind = v->kind;
	f->message = msg;
	mg_finding_at(m, f, &p.h[primary]);
	f->cross_file = st->cross;
	if (h)
		mg_held_note(m, f, &cap, base, st->tu, h, st->fn, 1);
	mg_path_notes(m, f, &cap, &p, primary, acq_name, acq->op, base, 1);
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
		struct lo_loc at = { mg_rules_path(m, rule->file), rule->line, 1 };

		mg_add_note(f, &cap, at, lo_xstrdup("rule stated here"), 0);
	}
	f->key = finding_key(f);
}

/*
 * check.c - does taking one lock, with these locks held, break a rule?
 * And the sentence that says so.
 *
 * What it does NOT do: keep a lockset, follow calls or remember where a
 * lock was taken.  The caller (the plugin, or `lockorder` over merged
 * summaries) owns the held set and the sites; this file only judges one
 * (held set, acquisition) pair, so both callers judge alike.
 *
 * The trade-offs: an acquisition that cannot block (a trylock, a shared
 * srcu or rcu read lock) never breaks an order, a leaf or an atomic
 * section, because it cannot be the one that waits in a deadlock; it is
 * still recorded by the caller, and holding it can make a later
 * acquisition wrong.  Two shared acquisitions of a lock whose readers
 * may nest (srcu, rcu, rwlock) are not recursive locking.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static void emit(struct lo_violation *out, size_t max, size_t *n,
		 enum lo_violation_kind kind, int held, int rule, int other)
{
	if (*n < max) {
		out[*n].kind = kind;
		out[*n].held = held;
		out[*n].rule = rule;
		out[*n].other = other;
	}
	(*n)++;
}

static int valid_decl(const lo_rules *r, int d)
{
	return r && d >= 0 && (size_t)d < r->nlocks;
}

int lo_acq_blocks(const struct lo_acq *acq)
{
	if (acq->op == LO_WAIT)
		return 1;
	return acq->op == LO_ACQUIRE && !acq->trylock &&
	       !(acq->shared && (acq->kind == LO_SRCU || acq->kind == LO_RCU));
}

size_t lo_check_acquire(const lo_rules *r, const struct lo_held *held,
			size_t nheld, const struct lo_acq *acq,
			struct lo_violation *out, size_t max)
{
	size_t n = 0, i, j;
	int blocks, atomic_done = 0;

	if (!acq || (acq->op != LO_ACQUIRE && acq->op != LO_WAIT))
		return 0;
	if (!held)
		nheld = 0;
	blocks = lo_acq_blocks(acq);

	for (i = 0; i < nheld; i++) {
		const struct lo_held *h = &held[i];
		int ordered = 0;

		/* A negative subclass is one the caller could not tell
		 * (mutex_lock_nested(l, role) with role a variable): it may
		 * differ, and we prefer missing a report to a false one. */
		/* A counting semaphore may be taken more than once, and
		 * lockdep does not track it (dm's swap_bios_semaphore). */
		if (acq->op == LO_ACQUIRE && !acq->trylock &&
		    acq->kind != LO_SEMAPHORE &&
		    h->cls == acq->cls && h->subclass == acq->subclass &&
		    acq->subclass >= 0 &&
		    !(h->shared && acq->shared &&
		      lo_kind_recursive_read(acq->kind)))
			emit(out, max, &n, LO_V_RECURSIVE, (int)i, -1, -1);

		if (acq->op == LO_WAIT && h->shared &&
		    (h->cls == acq->cls || (h->decl >= 0 && h->decl == acq->decl)))
			emit(out, max, &n, LO_V_SRCU_SELF, (int)i, -1, -1);

		if (!blocks)
			continue;

		if (valid_decl(r, h->decl) && valid_decl(r, acq->decl) &&
		    h->decl != acq->decl) {
			int path[1];
			size_t np = 0;

			if (lo_rules_outside(r, acq->decl, h->decl, path, 1, &np)) {
				enum lo_violation_kind k = LO_V_ORDER;

				if (acq->op == LO_WAIT)
					k = LO_V_SRCU_SYNC;
				else if (h->kind == LO_SRCU || h->kind == LO_RCU)
					k = LO_V_SRCU_READER;
				emit(out, max, &n, k, (int)i, np ? path[0] : -1, -1);
				ordered = 1;
			}
		}

		if (!ordered && valid_decl(r, h->decl) &&
		    r->locks[h->decl].leaf && valid_decl(r, acq->decl) &&
		    acq->decl != h->decl)
			emit(out, max, &n, LO_V_LEAF, (int)i,
			     r->locks[h->decl].leaf_rule, -1);

		if (!atomic_done && lo_kind_atomic(h->kind) &&
		    (acq->op == LO_WAIT || lo_kind_sleeps(acq->kind))) {
			emit(out, max, &n, LO_V_ATOMIC, (int)i, -1, -1);
			atomic_done = 1;
		}
	}

	if (!valid_decl(r, acq->decl))
		return n;

	if (acq->function) {
		for (i = 0; i < r->nrules; i++) {
			const struct lo_rule_ext *x = &r->rext[i];
			int listed = 0, matched = 0;

			if (x->stmt != LO_STMT_NEVER)
				continue;
			for (j = 0; j < x->nlocks; j++)
				listed |= x->locks[j] == acq->decl;
			for (j = 0; listed && j < x->npatterns; j++)
				matched |= lo_glob_match(x->patterns[j],
							 acq->function);
			if (listed && matched)
				emit(out, max, &n, LO_V_NEVER, -1, (int)i, -1);
		}
	}

	for (i = 0; i < r->nreqs; i++) {
		const struct lo_require *q = &r->reqs[i];
		int have = 0;

		if (q->a != acq->decl)
			continue;
		for (j = 0; j < nheld; j++)
			have |= held[j].decl == q->b;
		if (!have)
			emit(out, max, &n, LO_V_REQUIRES, -1, q->rule, q->b);
	}
	return n;
}

/* ---- messages --------------------------------------------------------- */

/* A growing string. */
struct sbuf {
	char *s;
	size_t len, cap;
};

static void sb_add(struct sbuf *b, const char *s)
{
	size_t n = strlen(s);

	lo_grow(&b->s, &b->cap, b->len + n + 1, 1);
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

/* Expands %A %H %B %K %F %P in TEMPLATE. */
static char *expand(const char *tmpl, const char *A, const char *H,
		    const char *B, const char *K, const char *F, const char *P)
{
	struct sbuf b = { NULL, 0, 0 };
	const char *p;
	char one[2] = { 0, 0 };

	for (p = tmpl; *p; p++) {
		if (*p == '%' && p[1]) {
			const char *v = NULL;

			switch (p[1]) {
			case 'A': v = A; break;
			case 'H': v = H; break;
			case 'B': v = B; break;
			case 'K': v = K; break;
			case 'F': v = F; break;
			case 'P': v = P; break;
			}
			if (v) {
				sb_add(&b, v);
				p++;
				continue;
			}
		}
		one[0] = *p;
		sb_add(&b, one);
	}
	return b.s ? b.s : lo_xstrdup("");
}

char *lo_violation_message(const lo_rules *r, const struct lo_violation *v,
			   const struct lo_acq *acq, const char *acq_name,
			   const struct lo_held *held, const char *held_name)
{
	const char *A = acq_name ? acq_name : "?";
	const char *H = held_name ? held_name : "?";
	const char *B = "?", *K = lo_kind_name(held ? held->kind : LO_KIND_NONE);
	const char *F = acq && acq->function ? acq->function : "?";
	const char *P = "?";
	const char *t = NULL;
	int wait = acq && acq->op == LO_WAIT;

	if (!v)
		return NULL;
	if (valid_decl(r, v->other))
		B = r->locks[v->other].name;
	if (r && v->kind == LO_V_NEVER && v->rule >= 0 &&
	    (size_t)v->rule < r->nrules) {
		const struct lo_rule_ext *x = &r->rext[v->rule];
		size_t j;

		if (x->npatterns)
			P = x->patterns[0];
		for (j = 0; j < x->npatterns; j++) {
			if (!acq || !acq->function ||
			    lo_glob_match(x->patterns[j], acq->function)) {
				P = x->patterns[j];
				break;
			}
		}
	}

	switch (v->kind) {
	case LO_V_ORDER:
		t = "'%A' acquired while holding '%H'; rules put '%A' outside '%H'";
		break;
	case LO_V_SRCU_READER:
		t = "'%A' acquired inside a '%H' read-side critical section; rules put '%A' outside '%H'";
		break;
	case LO_V_SRCU_SYNC:
		t = "waiting for '%A' readers while holding '%H'; rules put '%H' inside '%A'";
		break;
	case LO_V_SRCU_SELF:
		t = "waiting for '%A' readers inside its own read-side critical section";
		break;
	case LO_V_LEAF:
		t = wait ? "waiting for '%A' readers while holding '%H'; rules make '%H' a leaf lock"
			 : "'%A' acquired while holding '%H'; rules make '%H' a leaf lock";
		break;
	case LO_V_REQUIRES:
		t = "'%A' acquired without holding '%B'; rules say '%A' requires '%B'";
		break;
	case LO_V_NEVER:
		t = "'%A' acquired from '%F'; rules say '%A' is never taken in '%P'";
		break;
	case LO_V_ATOMIC:
		t = wait ? "waiting for '%A' readers sleeps while holding %K '%H'"
			 : "sleeping lock '%A' acquired while holding %K '%H'";
		break;
	case LO_V_RECURSIVE:
		t = "'%A' acquired while already holding '%A'; possible recursive locking";
		break;
	case LO_V_INVERSION:
		t = "'%A' acquired while holding '%H', and elsewhere '%H' while holding '%A'; no rule orders them: possible circular locking dependency";
		break;
	}
	if (!t)
		return NULL;
	return expand(t, A, H, B, K, F, P);
}

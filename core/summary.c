/*
 * summary.c - one translation unit's summary in memory: built by the
 * plugin with lo_summary_add_*, read by the merge through the accessors.
 * summary_write.c writes it as JSON Lines (docs/summary-format.md) and
 * summary_read.c reads it back, both through the public functions here.
 *
 * What it does NOT do: link functions, resolve calls or judge anything;
 * that is merge.c.  Nor does it check that the records agree with each
 * other: a summary holds what it is given.
 *
 * Every string given to lo_summary_add_* is copied, once per summary
 * (identical strings share one copy: a summary repeats its file names and
 * lock names thousands of times).  The arrays a record points to (held
 * sets, arguments) are copied too.  Pointers returned by the accessors
 * stay valid until the next lo_summary_add_* of the same kind.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct lo_summary {
	void **owned;
	size_t nowned, capowned;
	struct lo_strmap strings; /* interned copies: string -> 1 */

	char *source, *directory, *rules, *producer;

	struct lo_sfunc *funcs;
	size_t nfuncs, capfuncs;
	struct lo_sacq *acqs;
	size_t nacqs, capacqs;
	struct lo_scall *calls;
	size_t ncalls, capcalls;
	struct lo_sstore *stores;
	size_t nstores, capstores;
	struct lo_salias *aliases;
	size_t naliases, capaliases;
	struct lo_sret *rets;
	size_t nrets, caprets;
	struct lo_sname *names;
	size_t nnames, capnames;
	struct lo_skey *keys;
	size_t nkeys, capkeys;
};

/* ---- building --------------------------------------------------------- */

static void *own(lo_summary *s, void *p)
{
	lo_grow(&s->owned, &s->capowned, s->nowned + 1, sizeof(*s->owned));
	s->owned[s->nowned++] = p;
	return p;
}

/* The summary's copy of IN (NULL stays NULL).  The map's value is the
 * copy's index in OWNED: the map itself does not hand out its keys. */
static const char *str(lo_summary *s, const char *in)
{
	char *c;
	int i;

	if (!in)
		return NULL;
	i = lo_strmap_get(&s->strings, in);
	if (i >= 0)
		return s->owned[i];
	c = lo_xstrdup(in);
	i = (int)s->nowned;
	own(s, c);
	lo_strmap_put(&s->strings, c, i);
	return c;
}

static char *dup_or_null(const char *in)
{
	return in ? lo_xstrdup(in) : NULL;
}

lo_summary *lo_summary_new(const char *source, const char *directory,
			   const char *rules)
{
	lo_summary *s = lo_xcalloc(1, sizeof(*s));

	s->source = dup_or_null(source);
	s->directory = dup_or_null(directory);
	s->rules = dup_or_null(rules);
	return s;
}

void lo_summary_free(lo_summary *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nowned; i++)
		free(s->owned[i]);
	free(s->owned);
	lo_strmap_free(&s->strings);
	free(s->source);
	free(s->directory);
	free(s->rules);
	free(s->producer);
	free(s->funcs);
	free(s->acqs);
	free(s->calls);
	free(s->stores);
	free(s->aliases);
	free(s->rets);
	free(s->names);
	free(s->keys);
	free(s);
}

void lo_summary_set_producer(lo_summary *s, const char *producer)
{
	free(s->producer);
	s->producer = dup_or_null(producer);
}

static struct lo_loc copy_loc(lo_summary *s, struct lo_loc at)
{
	at.file = str(s, at.file);
	return at;
}

static struct lo_sref copy_ref(lo_summary *s, struct lo_sref r)
{
	r.cls = str(s, r.cls);
	r.name = str(s, r.name);
	r.obj = str(s, r.obj);
	if (r.cls)
		r.param = -1;
	return r;
}

static const struct lo_scond *copy_conds(lo_summary *s,
					 const struct lo_scond *in, size_t n)
{
	struct lo_scond *v;

	if (!in || !n)
		return NULL;
	v = own(s, lo_xcalloc(n, sizeof(*v)));
	memcpy(v, in, n * sizeof(*v));
	return v;
}

static const struct lo_sref *copy_refs(lo_summary *s,
				       const struct lo_sref *in, size_t n)
{
	struct lo_sref *v;
	size_t i;

	if (!in || !n)
		return NULL;
	v = own(s, lo_xcalloc(n, sizeof(*v)));
	for (i = 0; i < n; i++)
		v[i] = copy_ref(s, in[i]);
	return v;
}

static const struct lo_sheld *copy_held(lo_summary *s,
					const struct lo_sheld *in, size_t n)
{
	struct lo_sheld *v;
	size_t i;

	if (!in || !n)
		return NULL;
	v = own(s, lo_xcalloc(n, sizeof(*v)));
	for (i = 0; i < n; i++) {
		v[i] = in[i];
		v[i].lock = copy_ref(s, in[i].lock);
		v[i].at = copy_loc(s, in[i].at);
	}
	return v;
}

void lo_summary_add_function(lo_summary *s, const struct lo_sfunc *f)
{
	struct lo_sfunc *d;

	lo_grow(&s->funcs, &s->capfuncs, s->nfuncs + 1, sizeof(*s->funcs));
	d = &s->funcs[s->nfuncs++];
	*d = *f;
	d->name = str(s, f->name ? f->name : "");
	d->at = copy_loc(s, f->at);
}

void lo_summary_add_acq(lo_summary *s, const struct lo_sacq *a)
{
	struct lo_sacq *d;

	lo_grow(&s->acqs, &s->capacqs, s->nacqs + 1, sizeof(*s->acqs));
	d = &s->acqs[s->nacqs++];
	*d = *a;
	d->fn = str(s, a->fn ? a->fn : "");
	d->lock = copy_ref(s, a->lock);
	d->at = copy_loc(s, a->at);
	d->held = copy_held(s, a->held, a->nheld);
	d->nheld = d->held ? a->nheld : 0;
	d->released = copy_refs(s, a->released, a->nreleased);
	d->nreleased = d->released ? a->nreleased : 0;
	d->when = copy_conds(s, a->when, a->nwhen);
	d->nwhen = d->when ? a->nwhen : 0;
}

void lo_summary_add_call(lo_summary *s, const struct lo_scall *c)
{
	struct lo_scall *d;
	struct lo_sarg *args = NULL;
	size_t i;

	lo_grow(&s->calls, &s->capcalls, s->ncalls + 1, sizeof(*s->calls));
	d = &s->calls[s->ncalls++];
	*d = *c;
	d->fn = str(s, c->fn ? c->fn : "");
	d->callee = str(s, c->callee);
	d->target = d->callee ? NULL : str(s, c->target ? c->target : "");
	d->at = copy_loc(s, c->at);
	d->held = copy_held(s, c->held, c->nheld);
	d->nheld = d->held ? c->nheld : 0;
	d->released = copy_refs(s, c->released, c->nreleased);
	d->nreleased = d->released ? c->nreleased : 0;
	d->when = copy_conds(s, c->when, c->nwhen);
	d->nwhen = d->when ? c->nwhen : 0;
	if (c->args && c->nargs) {
		args = own(s, lo_xcalloc(c->nargs, sizeof(*args)));
		for (i = 0; i < c->nargs; i++) {
			args[i] = c->args[i];
			args[i].lock = copy_ref(s, c->args[i].lock);
			args[i].fn = str(s, c->args[i].fn);
			args[i].obj = str(s, c->args[i].obj);
			if (args[i].kind == LO_ARG_FUNCTION && !args[i].fn)
				args[i].kind = LO_ARG_NONE;
		}
	}
	d->args = args;
	d->nargs = args ? c->nargs : 0;
}

void lo_summary_add_store(lo_summary *s, const struct lo_sstore *st)
{
	struct lo_sstore *d;

	lo_grow(&s->stores, &s->capstores, s->nstores + 1, sizeof(*s->stores));
	d = &s->stores[s->nstores++];
	*d = *st;
	d->key = str(s, st->key ? st->key : "");
	d->fn = str(s, st->fn ? st->fn : "");
	d->at = copy_loc(s, st->at);
}

void lo_summary_add_alias(lo_summary *s, const struct lo_salias *al)
{
	struct lo_salias *d;

	lo_grow(&s->aliases, &s->capaliases, s->naliases + 1,
		sizeof(*s->aliases));
	d = &s->aliases[s->naliases++];
	d->name = str(s, al->name ? al->name : "");
	d->key = str(s, al->key ? al->key : "");
}

void lo_summary_add_name(lo_summary *s, const struct lo_sname *n)
{
	struct lo_sname *d;

	lo_grow(&s->names, &s->capnames, s->nnames + 1, sizeof(*s->names));
	d = &s->names[s->nnames++];
	d->lock = str(s, n->lock ? n->lock : "");
	d->resolved = n->resolved;
	d->why = n->why ? str(s, n->why) : NULL;
}

void lo_summary_add_key(lo_summary *s, const struct lo_skey *k)
{
	struct lo_skey *d;

	lo_grow(&s->keys, &s->capkeys, s->nkeys + 1, sizeof(*s->keys));
	d = &s->keys[s->nkeys++];
	d->cls = str(s, k->cls ? k->cls : "");
	d->key = k->key ? str(s, k->key) : NULL;
	d->novalidate = k->novalidate;
}

void lo_summary_add_ret(lo_summary *s, const struct lo_sret *r)
{
	struct lo_sret *d;
	struct lo_sref *rel = NULL;
	size_t i;

	lo_grow(&s->rets, &s->caprets, s->nrets + 1, sizeof(*s->rets));
	d = &s->rets[s->nrets++];
	*d = *r;
	d->fn = str(s, r->fn ? r->fn : "");
	d->holds = copy_held(s, r->holds, r->nholds);
	d->nholds = d->holds ? r->nholds : 0;
	if (r->releases && r->nreleases) {
		rel = own(s, lo_xcalloc(r->nreleases, sizeof(*rel)));
		for (i = 0; i < r->nreleases; i++)
			rel[i] = copy_ref(s, r->releases[i]);
	}
	d->releases = rel;
	d->nreleases = rel ? r->nreleases : 0;
}

/* ---- accessors -------------------------------------------------------- */

const char *lo_summary_source(const lo_summary *s) { return s->source; }
const char *lo_summary_directory(const lo_summary *s) { return s->directory; }
const char *lo_summary_rules(const lo_summary *s) { return s->rules; }
const char *lo_summary_producer(const lo_summary *s) { return s->producer; }

#define ACCESSORS(what, type, arr, n)                                       \
	size_t lo_summary_##what##_count(const lo_summary *s)               \
	{                                                                   \
		return s->n;                                                \
	}                                                                   \
	const type *lo_summary_##what(const lo_summary *s, size_t i)        \
	{                                                                   \
		return i < s->n ? &s->arr[i] : NULL;                        \
	}

ACCESSORS(function, struct lo_sfunc, funcs, nfuncs)
ACCESSORS(acq, struct lo_sacq, acqs, nacqs)
ACCESSORS(call, struct lo_scall, calls, ncalls)
ACCESSORS(store, struct lo_sstore, stores, nstores)
ACCESSORS(alias, struct lo_salias, aliases, naliases)
ACCESSORS(ret, struct lo_sret, rets, nrets)
ACCESSORS(name, struct lo_sname, names, nnames)
ACCESSORS(key, struct lo_skey, keys, nkeys)

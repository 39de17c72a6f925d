/*
 * summary_write.c - writing a summary as JSON Lines
 * (docs/summary-format.md): a header, one record a line for every
 * function, acquisition, call, return, store, alias and name, in that
 * order, and an end record counting the lines before it.  The file is
 * written atomically.
 *
 * What it does NOT do: know how a summary is kept in memory.  It reads
 * one through the public accessors only (summary.c owns the struct), so
 * that what is written is exactly what a reader of the API sees.  Nor
 * does it fsync: see write_summary().
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "internal.h"

#define jstr lo_json_str
#define set lo_json_set

static json_t *jloc(struct lo_loc at)
{
	if (!at.file)
		return json_null();
	return json_pack("[o,i,i]", jstr(at.file), (json_int_t)at.line,
			 (json_int_t)at.col);
}

static json_t *jref(const struct lo_sref *r)
{
	json_t *o = json_object();

	if (r->cls) {
		set(o, "class", jstr(r->cls));
		set(o, "name", jstr(r->name ? r->name : r->cls));
		set(o, "kind", jstr(lo_kind_name(r->kind)));
		set(o, "declared", json_boolean(r->declared));
	} else {
		set(o, "param", json_integer(r->param));
		set(o, "deref", json_boolean(r->deref));
		set(o, "name", jstr(r->name ? r->name : "lock"));
		set(o, "kind", jstr(lo_kind_name(r->kind)));
	}
	if (r->obj)
		set(o, "obj", jstr(r->obj));
	return o;
}

static json_t *jconds(const struct lo_scond *c, size_t n)
{
	static const char *const is[] = { "zero", "nonzero", "negative" };
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "param", json_integer(c[i].param));
		if (c[i].kind == LO_WHEN_EQ)
			json_object_set_new(o, "eq", json_integer(c[i].value));
		else if (c[i].kind == LO_WHEN_BITS)
			json_object_set_new(o, "bits", json_integer(c[i].value));
		else if (c[i].kind == LO_WHEN_NOBITS)
			json_object_set_new(o, "nobits", json_integer(c[i].value));
		else
			json_object_set_new(o, "is", json_string(is[c[i].kind]));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *jrefs(const struct lo_sref *r, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, jref(&r[i]));
	return a;
}

/* The optional members of acq and call records: what the path released
 * of the caller's locks, and what it assumes of the parameters. */
static void path_members(json_t *o, const struct lo_sref *rel, size_t nrel,
			 const struct lo_scond *when, size_t nwhen)
{
	if (nrel)
		set(o, "released", jrefs(rel, nrel));
	if (nwhen)
		set(o, "when", jconds(when, nwhen));
}

static json_t *jheld(const struct lo_sheld *h, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++) {
		json_t *o = json_object();

		set(o, "lock", jref(&h[i].lock));
		set(o, "shared", json_boolean(h[i].shared));
		set(o, "subclass", json_integer(h[i].subclass));
		set(o, "asserted", json_boolean(h[i].asserted));
		set(o, "at", jloc(h[i].at));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *record(const char *kind)
{
	json_t *o = json_object();

	set(o, "r", json_string(kind));
	return o;
}

static void fn_members(json_t *o, const char *fn, int is_static)
{
	set(o, "fn", jstr(fn));
	set(o, "static", json_boolean(is_static));
}

/* Writes O as one line and frees it; counts the line in *N. */
static int put(FILE *f, json_t *o, size_t *n)
{
	int rc = json_dumpf(o, f, JSON_COMPACT | JSON_PRESERVE_ORDER);

	json_decref(o);
	if (rc != 0 || fputc('\n', f) == EOF)
		return -1;
	(*n)++;
	return 0;
}

static int write_records(const lo_summary *s, FILE *f)
{
	const char *producer = lo_summary_producer(s);
	size_t n = 0, i;
	json_t *o;

	o = record("lockorder-summary");
	set(o, "version", json_integer(LO_SUMMARY_VERSION));
	set(o, "source", jstr(lo_summary_source(s)));
	set(o, "directory", jstr(lo_summary_directory(s)));
	set(o, "rules", jstr(lo_summary_rules(s)));
	set(o, "producer", jstr(producer ? producer : "lockorder"));
	if (put(f, o, &n))
		return -1;

	for (i = 0; i < lo_summary_function_count(s); i++) {
		const struct lo_sfunc *x = lo_summary_function(s, i);

		o = record("function");
		set(o, "name", jstr(x->name));
		set(o, "static", json_boolean(x->is_static));
		set(o, "main", json_boolean(x->in_main));
		set(o, "at", jloc(x->at));
		set(o, "params", json_integer(x->nparams));
		if (put(f, o, &n))
			return -1;
	}
	for (i = 0; i < lo_summary_acq_count(s); i++) {
		const struct lo_sacq *x = lo_summary_acq(s, i);

		o = record("acq");
		fn_members(o, x->fn, x->fn_static);
		set(o, "lock", jref(&x->lock));
		set(o, "op", json_string(x->op == LO_WAIT ? "wait" : "acquire"));
		set(o, "shared", json_boolean(x->shared));
		set(o, "subclass", json_integer(x->subclass));
		set(o, "trylock", json_boolean(x->trylock));
		set(o, "at", jloc(x->at));
		set(o, "held", jheld(x->held, x->nheld));
		path_members(o, x->released, x->nreleased, x->when, x->nwhen);
		if (put(f, o, &n))
			return -1;
	}
	for (i = 0; i < lo_summary_call_count(s); i++) {
		const struct lo_scall *x = lo_summary_call(s, i);
		json_t *args = json_array();
		size_t k;

		o = record("call");
		fn_members(o, x->fn, x->fn_static);
		if (x->callee)
			set(o, "callee", jstr(x->callee));
		else
			set(o, "target", jstr(x->target));
		set(o, "at", jloc(x->at));
		set(o, "held", jheld(x->held, x->nheld));
		for (k = 0; k < x->nargs; k++) {
			const struct lo_sarg *a = &x->args[k];
			json_t *ao = json_null();

			if (a->kind == LO_ARG_LOCK) {
				ao = json_object();
				set(ao, "lock", jref(&a->lock));
			} else if (a->kind == LO_ARG_FUNCTION) {
				ao = json_object();
				set(ao, "fn", jstr(a->fn));
				set(ao, "static", json_boolean(a->fn_static));
			} else if (a->kind == LO_ARG_INT) {
				ao = json_object();
				set(ao, "int", json_integer(a->value));
			} else if (a->kind == LO_ARG_PARAM) {
				ao = json_object();
				set(ao, "param", json_integer(a->param));
			} else if (a->kind == LO_ARG_NONZERO) {
				ao = json_object();
				set(ao, "nonzero", json_true());
			}
			if (a->obj) {
				if (json_is_null(ao))
					ao = json_object();
				set(ao, "obj", jstr(a->obj));
			}
			json_array_append_new(args, ao);
		}
		set(o, "args", args);
		path_members(o, x->released, x->nreleased, x->when, x->nwhen);
		if (put(f, o, &n))
			return -1;
	}
	for (i = 0; i < lo_summary_ret_count(s); i++) {
		const struct lo_sret *x = lo_summary_ret(s, i);

		o = record("ret");
		fn_members(o, x->fn, x->fn_static);
		set(o, "holds", jheld(x->holds, x->nholds));
		set(o, "releases", jrefs(x->releases, x->nreleases));
		if (put(f, o, &n))
			return -1;
	}
	for (i = 0; i < lo_summary_store_count(s); i++) {
		const struct lo_sstore *x = lo_summary_store(s, i);

		o = record("store");
		set(o, "key", jstr(x->key));
		fn_members(o, x->fn, x->fn_static);
		set(o, "at", jloc(x->at));
		if (put(f, o, &n))
			return -1;
	}
	for (i = 0; i < lo_summary_alias_count(s); i++) {
		const struct lo_salias *x = lo_summary_alias(s, i);

		o = record("alias");
		set(o, "name", jstr(x->name));
		set(o, "key", jstr(x->key));
		if (put(f, o, &n))
			return -1;
	}
	for (i = 0; i < lo_summary_name_count(s); i++) {
		const struct lo_sname *x = lo_summary_name(s, i);

		o = record("name");
		set(o, "lock", jstr(x->lock));
		set(o, "resolved", json_boolean(x->resolved));
		if (x->why)
			set(o, "why", jstr(x->why));
		if (put(f, o, &n))
			return -1;
	}
	for (i = 0; i < lo_summary_key_count(s); i++) {
		const struct lo_skey *x = lo_summary_key(s, i);

		o = record("key");
		set(o, "class", jstr(x->cls));
		set(o, "key", x->key ? jstr(x->key) : json_null());
		if (x->novalidate)
			set(o, "novalidate", json_true());
		if (put(f, o, &n))
			return -1;
	}
	o = record("end");
	set(o, "records", json_integer((json_int_t)n));
	return put(f, o, &n);
}

/* No fsync: a summary torn by a crash lacks its `end` record and the
 * reader refuses it, so the cost of a sync per translation unit buys
 * nothing. */
static int write_summary(FILE *out, const void *s)
{
	return write_records(s, out);
}

int lo_summary_write(const lo_summary *s, const char *path, char **err)
{
	return lo_write_atomic(path, write_summary, s, err);
}

char *lo_summary_write_string(const lo_summary *s, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	/* a memory stream fails only when memory does */
	if (!f || write_records(s, f) != 0 || fclose(f) != 0) {
		fputs("lockorder: out of memory\n", stderr);
		abort();
	}
	*len = n;
	return buf;
}

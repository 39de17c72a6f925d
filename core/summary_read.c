/*
 * summary_read.c - reading a summary back from JSON Lines
 * (docs/summary-format.md), for `lockorder merge`: every line parsed with
 * jansson and checked for its shape, every problem an error naming the
 * file and the line.
 *
 * What it does NOT do: check that the records agree with each other (a
 * call naming a function with no `function` record, a parameter index
 * beyond the function's count): the merge copes with those.  It checks
 * the shape of every line and refuses the whole file on any problem,
 * because a summary that is half read would make the merge quietly miss
 * deadlocks.  It builds the summary through the public lo_summary_add_*
 * only (summary.c owns the struct), which copy what it hands them.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "internal.h"

/* A reader gives up on a file after this many problems: a binary file
 * fed by mistake would otherwise produce one error per line. */
#define MAX_ERRORS_PER_FILE 20

/* The state of one read: where we are, for the errors. */
struct reader {
	const char *name;
	struct lo_errors *errs;
	size_t line;
	const char *rec; /* the record kind being read, for messages */
	int col;         /* the column of the next error, when known */
	int nerr;
	int failed; /* this line is bad */
};

static void rerr(struct reader *rd, const char *fmt, const char *a,
		 const char *b)
{
	if (rd->failed)
		return; /* one error a line: the first explains the rest */
	rd->failed = 1;
	rd->nerr++;
	if (rd->nerr > MAX_ERRORS_PER_FILE)
		return;
	{
		char msg[512];

		snprintf(msg, sizeof(msg), fmt, a ? a : "", b ? b : "");
		lo_errors_add(rd->errs, LO_SEV_ERROR, rd->name, (int)rd->line,
			      rd->col, "%s", msg);
	}
}

static json_t *member(struct reader *rd, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!v)
		rerr(rd, "'%s' record has no member '%s'", rd->rec, key);
	return v;
}

static const char *get_str(struct reader *rd, json_t *o, const char *key)
{
	json_t *v = member(rd, o, key);

	if (!v)
		return NULL;
	if (!json_is_string(v)) {
		rerr(rd, "member '%s' of a '%s' record is not a string", key,
		     rd->rec);
		return NULL;
	}
	return json_string_value(v);
}

/* A string or null (NULL); a missing member is NULL too. */
static const char *get_opt_str(struct reader *rd, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		rerr(rd, "member '%s' of a '%s' record is not a string", key,
		     rd->rec);
		return NULL;
	}
	return json_string_value(v);
}

static int get_bool(struct reader *rd, json_t *o, const char *key)
{
	json_t *v = member(rd, o, key);

	if (!v)
		return 0;
	if (!json_is_boolean(v)) {
		rerr(rd, "member '%s' of a '%s' record is not true or false",
		     key, rd->rec);
		return 0;
	}
	return json_is_true(v);
}

static int int_of(struct reader *rd, json_t *v, const char *key, int min)
{
	json_int_t x;

	if (!json_is_integer(v)) {
		rerr(rd, "member '%s' of a '%s' record is not an integer", key,
		     rd->rec);
		return 0;
	}
	x = json_integer_value(v);
	if (x < min || x > INT_MAX) {
		rerr(rd, "member '%s' of a '%s' record is out of range", key,
		     rd->rec);
		return 0;
	}
	return (int)x;
}

static int get_int(struct reader *rd, json_t *o, const char *key, int min)
{
	json_t *v = member(rd, o, key);

	return v ? int_of(rd, v, key, min) : 0;
}

static json_t *get_array(struct reader *rd, json_t *o, const char *key)
{
	json_t *v = member(rd, o, key);

	if (v && !json_is_array(v)) {
		rerr(rd, "member '%s' of a '%s' record is not an array", key,
		     rd->rec);
		return NULL;
	}
	return v;
}

/* "at": [file, line, col] or null. */
static struct lo_loc get_loc(struct reader *rd, json_t *o)
{
	struct lo_loc at = { NULL, 0, 0 };
	json_t *v = member(rd, o, "at");

	if (!v || json_is_null(v))
		return at;
	if (!json_is_array(v) || json_array_size(v) != 3 ||
	    !json_is_string(json_array_get(v, 0))) {
		rerr(rd, "member 'at' of a '%s' record is not [file, line, column]",
		     rd->rec, NULL);
		return at;
	}
	at.file = json_string_value(json_array_get(v, 0));
	at.line = int_of(rd, json_array_get(v, 1), "at", 0);
	at.col = int_of(rd, json_array_get(v, 2), "at", 0);
	return at;
}

static enum lo_kind get_kind(struct reader *rd, json_t *o)
{
	const char *k = get_str(rd, o, "kind");
	enum lo_kind kind;

	if (!k)
		return LO_KIND_NONE;
	kind = lo_kind_from_name(k);
	if (kind == LO_KIND_NONE && strcmp(k, "lock") != 0)
		rerr(rd, "unknown lock kind '%s' in a '%s' record", k, rd->rec);
	return kind;
}

/* A LOCK object; strings point into the JSON (copied by add_*). */
static struct lo_sref get_ref(struct reader *rd, json_t *v)
{
	struct lo_sref r = { NULL, NULL, LO_KIND_NONE, 0, -1, 0, NULL };

	if (!json_is_object(v)) {
		rerr(rd, "a lock of a '%s' record is not an object", rd->rec,
		     NULL);
		return r;
	}
	if (json_object_get(v, "class")) {
		r.cls = get_str(rd, v, "class");
		r.declared = get_bool(rd, v, "declared");
	} else if (json_object_get(v, "param")) {
		r.param = get_int(rd, v, "param", 0);
		r.deref = get_bool(rd, v, "deref");
	} else {
		rerr(rd, "a lock of a '%s' record has neither 'class' nor 'param'",
		     rd->rec, NULL);
		return r;
	}
	r.name = get_str(rd, v, "name");
	r.kind = get_kind(rd, v);
	r.obj = get_opt_str(rd, v, "obj");
	return r;
}

/* An array of HELD objects; *N their number.  The array is malloc'd and
 * freed by the caller (the strings stay in the JSON). */
static struct lo_sheld *get_held(struct reader *rd, json_t *o,
				 const char *key, size_t *n)
{
	json_t *a = get_array(rd, o, key);
	struct lo_sheld *v;
	size_t i;

	*n = 0;
	if (!a || !json_array_size(a))
		return NULL;
	v = lo_xcalloc(json_array_size(a), sizeof(*v));
	for (i = 0; i < json_array_size(a); i++) {
		json_t *h = json_array_get(a, i);
		json_t *l;

		if (!json_is_object(h)) {
			rerr(rd, "a held lock of a '%s' record is not an object",
			     rd->rec, NULL);
			break;
		}
		l = member(rd, h, "lock");
		if (l)
			v[i].lock = get_ref(rd, l);
		v[i].shared = get_bool(rd, h, "shared");
		v[i].subclass = get_int(rd, h, "subclass", INT_MIN);
		v[i].asserted = get_bool(rd, h, "asserted");
		v[i].at = get_loc(rd, h);
	}
	*n = i;
	return v;
}

static void read_function(struct reader *rd, lo_summary *s, json_t *o)
{
	struct lo_sfunc f;

	f.name = get_str(rd, o, "name");
	f.is_static = get_bool(rd, o, "static");
	f.in_main = get_bool(rd, o, "main");
	f.at = get_loc(rd, o);
	f.nparams = get_int(rd, o, "params", 0);
	if (!rd->failed)
		lo_summary_add_function(s, &f);
}

/* The optional "when" array of O (absent: nothing assumed). */
static struct lo_scond *get_conds_opt(struct reader *rd, json_t *o,
				      size_t *n)
{
	json_t *a = json_object_get(o, "when");
	struct lo_scond *v;
	size_t i;

	*n = 0;
	if (!a)
		return NULL;
	if (!json_is_array(a)) {
		rerr(rd, "member '%s' is not an array", "when", NULL);
		return NULL;
	}
	if (!json_array_size(a))
		return NULL;
	v = lo_xcalloc(json_array_size(a), sizeof(*v));
	for (i = 0; i < json_array_size(a); i++) {
		json_t *x = json_array_get(a, i);
		json_t *p = json_is_object(x) ? json_object_get(x, "param") : NULL;
		json_t *eq = json_is_object(x) ? json_object_get(x, "eq") : NULL;
		json_t *is = json_is_object(x) ? json_object_get(x, "is") : NULL;
		json_t *bits = json_is_object(x) ? json_object_get(x, "bits") : NULL;
		json_t *nobits =
			json_is_object(x) ? json_object_get(x, "nobits") : NULL;
		const char *iss = json_is_string(is) ? json_string_value(is) : "";

		if (!json_is_integer(p) || json_integer_value(p) < 0 ||
		    json_integer_value(p) >= (1 << 20)) {
			rerr(rd, "an entry of '%s' has no valid 'param'", "when",
			     NULL);
			continue;
		}
		v[i].param = (int)json_integer_value(p);
		if (json_is_integer(eq)) {
			v[i].kind = LO_WHEN_EQ;
			v[i].value = json_integer_value(eq);
		} else if (json_is_integer(bits)) {
			v[i].kind = LO_WHEN_BITS;
			v[i].value = json_integer_value(bits);
		} else if (json_is_integer(nobits)) {
			v[i].kind = LO_WHEN_NOBITS;
			v[i].value = json_integer_value(nobits);
		} else if (strcmp(iss, "zero") == 0) {
			v[i].kind = LO_WHEN_ZERO;
		} else if (strcmp(iss, "nonzero") == 0) {
			v[i].kind = LO_WHEN_NONZERO;
		} else if (strcmp(iss, "negative") == 0) {
			v[i].kind = LO_WHEN_NEGATIVE;
		} else {
			rerr(rd, "an entry of '%s' has none of 'eq', 'bits', 'nobits' and a valid 'is'",
			     "when", NULL);
		}
	}
	*n = json_array_size(a);
	return v;
}

/* The optional array of locks NAME of O (absent: none). */
static struct lo_sref *get_refs_opt(struct reader *rd, json_t *o,
				    const char *name, size_t *n)
{
	json_t *a = json_object_get(o, name);
	struct lo_sref *v;
	size_t i;

	*n = 0;
	if (!a)
		return NULL;
	if (!json_is_array(a)) {
		rerr(rd, "member '%s' is not an array", name, NULL);
		return NULL;
	}
	if (!json_array_size(a))
		return NULL;
	v = lo_xcalloc(json_array_size(a), sizeof(*v));
	for (i = 0; i < json_array_size(a); i++)
		v[i] = get_ref(rd, json_array_get(a, i));
	*n = json_array_size(a);
	return v;
}

static void read_acq(struct reader *rd, lo_summary *s, json_t *o)
{
	struct lo_sacq a;
	struct lo_sref *rel;
	struct lo_scond *when;
	struct lo_sheld *held;
	const char *op;
	json_t *l;

	memset(&a, 0, sizeof(a));
	a.fn = get_str(rd, o, "fn");
	a.fn_static = get_bool(rd, o, "static");
	l = member(rd, o, "lock");
	if (l)
		a.lock = get_ref(rd, l);
	op = get_str(rd, o, "op");
	if (op && strcmp(op, "acquire") == 0)
		a.op = LO_ACQUIRE;
	else if (op && strcmp(op, "wait") == 0)
		a.op = LO_WAIT;
	else if (op)
		rerr(rd, "member 'op' of an 'acq' record is '%s', not 'acquire' or 'wait'",
		     op, NULL);
	a.shared = get_bool(rd, o, "shared");
	a.subclass = get_int(rd, o, "subclass", INT_MIN);
	a.trylock = get_bool(rd, o, "trylock");
	a.at = get_loc(rd, o);
	held = get_held(rd, o, "held", &a.nheld);
	a.held = held;
	rel = get_refs_opt(rd, o, "released", &a.nreleased);
	a.released = rel;
	when = get_conds_opt(rd, o, &a.nwhen);
	a.when = when;
	if (!rd->failed)
		lo_summary_add_acq(s, &a);
	free(held);
	free(rel);
	free(when);
}

static void read_call(struct reader *rd, lo_summary *s, json_t *o)
{
	struct lo_scall c;
	struct lo_sref *rel;
	struct lo_scond *when;
	struct lo_sheld *held;
	struct lo_sarg *args = NULL;
	json_t *a;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.fn = get_str(rd, o, "fn");
	c.fn_static = get_bool(rd, o, "static");
	if (json_object_get(o, "callee") && json_object_get(o, "target"))
		rerr(rd, "a 'call' record has both 'callee' and 'target'", NULL,
		     NULL);
	else if (json_object_get(o, "callee"))
		c.callee = get_str(rd, o, "callee");
	else if (json_object_get(o, "target"))
		c.target = get_str(rd, o, "target");
	else
		rerr(rd, "a 'call' record has neither 'callee' nor 'target'",
		     NULL, NULL);
	c.at = get_loc(rd, o);
	held = get_held(rd, o, "held", &c.nheld);
	c.held = held;
	a = get_array(rd, o, "args");
	if (a && json_array_size(a)) {
		args = lo_xcalloc(json_array_size(a), sizeof(*args));
		for (i = 0; i < json_array_size(a); i++) {
			json_t *x = json_array_get(a, i);

			args[i].lock.param = -1;
			if (json_is_null(x))
				continue;
			if (json_is_object(x))
				args[i].obj = get_opt_str(rd, x, "obj");
			if (json_is_object(x) && json_object_get(x, "lock")) {
				args[i].kind = LO_ARG_LOCK;
				args[i].lock = get_ref(rd, json_object_get(x, "lock"));
			} else if (json_is_object(x) && json_object_get(x, "fn")) {
				args[i].kind = LO_ARG_FUNCTION;
				args[i].fn = get_str(rd, x, "fn");
				args[i].fn_static = get_bool(rd, x, "static");
			} else if (json_is_object(x) &&
				   json_is_integer(json_object_get(x, "int"))) {
				args[i].kind = LO_ARG_INT;
				args[i].value = json_integer_value(
					json_object_get(x, "int"));
			} else if (json_is_object(x) &&
				   json_is_true(json_object_get(x, "nonzero"))) {
				args[i].kind = LO_ARG_NONZERO;
			} else if (json_is_object(x) &&
				   json_is_integer(json_object_get(x, "param")) &&
				   json_integer_value(json_object_get(x, "param")) >= 0 &&
				   json_integer_value(json_object_get(x, "param")) < (1 << 20)) {
				args[i].kind = LO_ARG_PARAM;
				args[i].param = (int)json_integer_value(
					json_object_get(x, "param"));
			} else if (!args[i].obj) {
				rerr(rd, "an argument of a 'call' record is not null, a lock or a function",
				     NULL, NULL);
			}
		}
		c.nargs = json_array_size(a);
	}
	c.args = args;
	rel = get_refs_opt(rd, o, "released", &c.nreleased);
	c.released = rel;
	when = get_conds_opt(rd, o, &c.nwhen);
	c.when = when;
	if (!rd->failed)
		lo_summary_add_call(s, &c);
	free(held);
	free(args);
	free(rel);
	free(when);
}

static void read_ret(struct reader *rd, lo_summary *s, json_t *o)
{
	struct lo_sret r;
	struct lo_sheld *holds;
	struct lo_sref *rel = NULL;
	json_t *a;
	size_t i;

	memset(&r, 0, sizeof(r));
	r.fn = get_str(rd, o, "fn");
	r.fn_static = get_bool(rd, o, "static");
	holds = get_held(rd, o, "holds", &r.nholds);
	r.holds = holds;
	a = get_array(rd, o, "releases");
	if (a && json_array_size(a)) {
		rel = lo_xcalloc(json_array_size(a), sizeof(*rel));
		for (i = 0; i < json_array_size(a); i++)
			rel[i] = get_ref(rd, json_array_get(a, i));
		r.nreleases = json_array_size(a);
	}
	r.releases = rel;
	if (!rd->failed)
		lo_summary_add_ret(s, &r);
	free(holds);
	free(rel);
}

static void read_store(struct reader *rd, lo_summary *s, json_t *o)
{
	struct lo_sstore st;

	st.key = get_str(rd, o, "key");
	st.fn = get_str(rd, o, "fn");
	st.fn_static = get_bool(rd, o, "static");
	st.at = get_loc(rd, o);
	if (!rd->failed)
		lo_summary_add_store(s, &st);
}

static void read_name(struct reader *rd, lo_summary *s, json_t *o)
{
	struct lo_sname n;

	n.lock = get_str(rd, o, "lock");
	n.resolved = get_bool(rd, o, "resolved");
	n.why = json_string_value(json_object_get(o, "why"));
	if (!rd->failed)
		lo_summary_add_name(s, &n);
}

static void read_key(struct reader *rd, lo_summary *s, json_t *o)
{
	struct lo_skey k;
	json_t *key = json_object_get(o, "key");

	k.cls = get_str(rd, o, "class");
	k.key = json_is_string(key) ? json_string_value(key) : NULL;
	if (key && !json_is_null(key) && !json_is_string(key))
		rerr(rd, "a 'key' record's 'key' is not a string or null", NULL,
		     NULL);
	k.novalidate = json_is_true(json_object_get(o, "novalidate"));
	if (!rd->failed)
		lo_summary_add_key(s, &k);
}

static void read_alias(struct reader *rd, lo_summary *s, json_t *o)
{
	struct lo_salias al;

	al.name = get_str(rd, o, "name");
	al.key = get_str(rd, o, "key");
	if (!rd->failed)
		lo_summary_add_alias(s, &al);
}

/* The header, the first line.  Returns the new summary, or NULL. */
static lo_summary *read_header(struct reader *rd, json_t *o)
{
	const char *r = json_string_value(json_object_get(o, "r"));
	json_t *v = json_object_get(o, "version");
	const char *source, *directory, *rules, *producer;
	lo_summary *s;

	if (!r || strcmp(r, "lockorder-summary") != 0) {
		rd->failed = 1;
		rd->nerr++;
		lo_errors_add(rd->errs, LO_SEV_ERROR, rd->name, 1, 0,
			      "not a summary: it does not start with a lockorder-summary header");
		return NULL;
	}
	rd->rec = "lockorder-summary";
	if (!v || !json_is_integer(v)) {
		rerr(rd, "the header has no integer 'version'", NULL, NULL);
		return NULL;
	}
	if (json_integer_value(v) != LO_SUMMARY_VERSION) {
		rd->failed = 1;
		rd->nerr++;
		lo_errors_add(rd->errs, LO_SEV_ERROR, rd->name, 1, 0,
			      "summary of version %lld; this lockorder reads version %d: rebuild the summaries",
			      (long long)json_integer_value(v),
			      LO_SUMMARY_VERSION);
		return NULL;
	}
	source = get_opt_str(rd, o, "source");
	directory = get_opt_str(rd, o, "directory");
	rules = get_opt_str(rd, o, "rules");
	producer = get_opt_str(rd, o, "producer");
	if (rd->failed)
		return NULL;
	s = lo_summary_new(source, directory, rules);
	lo_summary_set_producer(s, producer);
	return s;
}

lo_summary *lo_summary_read_string(const char *text, size_t len,
				   const char *name, struct lo_errors *errs)
{
	struct reader rd = { name, errs, 0, "", 0, 0, 0 };
	lo_summary *s = NULL;
	size_t pos = 0, records = 0;
	int ended = 0, bad_header = 0;

	if (len == 0) {
		lo_errors_add(errs, LO_SEV_ERROR, name, 0, 0,
			      "summary '%s' is empty", name);
		return NULL;
	}
	while (pos < len && rd.nerr <= MAX_ERRORS_PER_FILE && !bad_header) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		json_error_t jerr;
		json_t *o;
		const char *r;

		pos += n + (nl ? 1 : 0);
		rd.line++;
		rd.failed = 0;
		rd.rec = "";
		if (ended) {
			rerr(&rd, "data after the end record", NULL, NULL);
			break;
		}
		if (n == 0) {
			rerr(&rd, "blank line", NULL, NULL);
			if (rd.line == 1)
				bad_header = 1;
			continue;
		}
		o = json_loadb(line, n, JSON_REJECT_DUPLICATES, &jerr);
		if (!o) {
			rd.col = jerr.column;
			rerr(&rd, "not JSON: %s", jerr.text, NULL);
			rd.col = 0;
			if (rd.line == 1)
				bad_header = 1;
			continue;
		}
		if (!json_is_object(o)) {
			rerr(&rd, "not a JSON object", NULL, NULL);
			json_decref(o);
			if (rd.line == 1)
				bad_header = 1;
			continue;
		}
		if (rd.line == 1) {
			s = read_header(&rd, o);
			json_decref(o);
			if (!s)
				bad_header = 1;
			records++;
			continue;
		}
		r = json_string_value(json_object_get(o, "r"));
		if (!s) {
			json_decref(o);
			break;
		} else if (!r) {
			rerr(&rd, "record has no string member 'r'", NULL, NULL);
		} else {
			rd.rec = r;
			if (strcmp(r, "function") == 0)
				read_function(&rd, s, o);
			else if (strcmp(r, "acq") == 0)
				read_acq(&rd, s, o);
			else if (strcmp(r, "call") == 0)
				read_call(&rd, s, o);
			else if (strcmp(r, "ret") == 0)
				read_ret(&rd, s, o);
			else if (strcmp(r, "store") == 0)
				read_store(&rd, s, o);
			else if (strcmp(r, "alias") == 0)
				read_alias(&rd, s, o);
			else if (strcmp(r, "name") == 0)
				read_name(&rd, s, o);
			else if (strcmp(r, "key") == 0)
				read_key(&rd, s, o);
			else if (strcmp(r, "lockorder-summary") == 0)
				rerr(&rd, "a second header", NULL, NULL);
			else if (strcmp(r, "end") == 0) {
				json_t *c = json_object_get(o, "records");

				ended = 1;
				if (!json_is_integer(c)) {
					rerr(&rd, "'end' record has no integer 'records'",
					     NULL, NULL);
				} else if (json_integer_value(c) < 0 ||
					   (size_t)json_integer_value(c) != records) {
					rd.failed = 1;
					rd.nerr++;
					lo_errors_add(errs, LO_SEV_ERROR, name,
						      (int)rd.line, 0,
						      "the summary is truncated: its end record counts %lld records, but %zu precede it",
						      (long long)json_integer_value(c),
						      records);
				}
			}
			/* other kinds: a later minor addition; skipped */
		}
		json_decref(o);
		records++;
	}
	if (!bad_header && !ended && rd.nerr == 0) {
		lo_errors_add(errs, LO_SEV_ERROR, name, (int)rd.line, 0,
			      "the summary is truncated: it does not end with an end record");
		rd.nerr++;
	}
	if (rd.nerr > MAX_ERRORS_PER_FILE)
		lo_errors_add(errs, LO_SEV_ERROR, name, 0, 0,
			      "summary '%s': too many errors; giving up on it",
			      name);
	if (rd.nerr) {
		lo_summary_free(s);
		return NULL;
	}
	return s;
}

lo_summary *lo_summary_read(const char *path, struct lo_errors *errs)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, got;
	lo_summary *s;

	if (!f) {
		lo_errors_add(errs, LO_SEV_ERROR, path, 0, 0,
			      "cannot open summary '%s': %s", path,
			      strerror(errno));
		return NULL;
	}
	for (;;) {
		lo_grow(&buf, &cap, len + 65536, 1);
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		lo_errors_add(errs, LO_SEV_ERROR, path, 0, 0,
			      "cannot read summary '%s': %s", path,
			      strerror(errno ? errno : EIO));
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	s = lo_summary_read_string(buf, len, path, errs);
	free(buf);
	return s;
}

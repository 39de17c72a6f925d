/*
 * test_summary.c - unit tests of summaries on disk: writing one and
 * reading it back record for record and byte for byte, a write that
 * cannot create its file, and every way a file can be bad (missing,
 * empty, not JSON, wrong version, truncated, a record of the wrong
 * shape, too many errors), as well as what a reader lets through.
 *
 * What it does NOT test: what the plugin writes (the plugin's lit tests)
 * or what the merge makes of a summary (test_merge.c).
 */
#define _GNU_SOURCE /* open_memstream, mkdtemp */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lockorder.h"
#include "helpers_summary.h"

/* ---- summaries on disk ------------------------------------------------- */

static char tmpdir[64];

static int tmp_setup(void **state)
{
	(void)state;
	strcpy(tmpdir, "/tmp/lo-merge-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int tmp_teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd);
}

static char *path_of(const char *name)
{
	static char p[256];

	snprintf(p, sizeof(p), "%s/%s", tmpdir, name);
	return p;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

static void spit(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static lo_summary *full_summary(void)
{
	lo_summary *s = lo_summary_new("a.c", "/src", "r.lockorder");
	struct lo_sheld h[2];
	struct lo_sarg args[3];
	struct lo_sref rel = param(0, 1);
	struct lo_sstore st = { "ops.run", "g", 1, at("a.c", 40) };
	struct lo_salias al = { "__SCT__run", "ops.run" };
	struct lo_sret ret;
	struct lo_scall c;
	/* what the path assumes of f's parameters: bits, no bits, a value */
	static const struct lo_scond when[3] = {
		{ 2, LO_WHEN_BITS, 2 }, { 2, LO_WHEN_NOBITS, 8 }, { 0, LO_WHEN_EQ, 7 }
	};

	fn(s, "f", 0);
	fn(s, "g", 1);
	h[0] = held(s, VCPU_MUTEX, 3);
	h[1] = held(s, SRCU, 4);
	h[1].shared = 1;
	h[1].asserted = 1;
	h[1].subclass = 2;
	acq(s, "f", 0, KVM_LOCK, 5, h);
	acq(s, "g", 1, param(1, 1), 6, NULL);
	memset(args, 0, sizeof(args));
	args[1].kind = LO_ARG_LOCK;
	args[1].lock = KVM_LOCK;
	args[2].kind = LO_ARG_FUNCTION;
	args[2].fn = "g";
	args[2].fn_static = 1;
	memset(&c, 0, sizeof(c));
	c.fn = "f";
	c.callee = "h";
	c.at = at("a.c", 7);
	c.held = h;
	c.nheld = 2;
	c.args = args;
	c.nargs = 3;
	c.when = when;
	c.nwhen = 3;
	lo_summary_add_call(s, &c);
	call(s, "f", 0, NULL, "ops.run", 8, NULL, NULL);
	memset(&ret, 0, sizeof(ret));
	ret.fn = "g";
	ret.fn_static = 1;
	ret.holds = h;
	ret.nholds = 1;
	ret.releases = &rel;
	ret.nreleases = 1;
	lo_summary_add_ret(s, &ret);
	lo_summary_add_store(s, &st);
	lo_summary_add_alias(s, &al);
	return s;
}

static void test_round_trip(void **state)
{
	lo_summary *s = full_summary(), *t;
	struct lo_errors errs = { 0 };
	char *err = NULL, *one, *two;
	const struct lo_scall *c;
	const struct lo_sacq *a;
	const struct lo_sret *r;

	(void)state;
	assert_int_equal(lo_summary_write(s, path_of("a.lockorder.json"), &err), 0);
	assert_null(err);
	t = lo_summary_read(path_of("a.lockorder.json"), &errs);
	assert_int_equal(errs.n, 0);
	assert_non_null(t);
	assert_string_equal(lo_summary_source(t), "a.c");
	assert_string_equal(lo_summary_directory(t), "/src");
	assert_string_equal(lo_summary_rules(t), "r.lockorder");
	assert_int_equal(lo_summary_function_count(t), 2);
	assert_int_equal(lo_summary_function(t, 1)->is_static, 1);
	assert_int_equal(lo_summary_acq_count(t), 2);
	a = lo_summary_acq(t, 0);
	assert_string_equal(a->lock.cls, "kvm.lock");
	assert_int_equal(a->nheld, 1);
	assert_string_equal(a->held[0].lock.name, "vcpu->mutex");
	a = lo_summary_acq(t, 1);
	assert_null(a->lock.cls);
	assert_int_equal(a->lock.param, 1);
	assert_int_equal(a->lock.deref, 1);
	c = lo_summary_call(t, 0);
	assert_string_equal(c->callee, "h");
	assert_null(c->target);
	assert_int_equal(c->nheld, 2);
	assert_int_equal(c->held[1].shared, 1);
	assert_int_equal(c->held[1].asserted, 1);
	assert_int_equal(c->held[1].subclass, 2);
	assert_int_equal(c->held[1].lock.kind, LO_SRCU);
	assert_int_equal(c->nargs, 3);
	assert_int_equal(c->args[0].kind, LO_ARG_NONE);
	assert_int_equal(c->args[1].kind, LO_ARG_LOCK);
	assert_string_equal(c->args[1].lock.cls, "kvm.lock");
	assert_int_equal(c->args[2].kind, LO_ARG_FUNCTION);
	assert_string_equal(c->args[2].fn, "g");
	assert_int_equal(c->nwhen, 3);
	assert_int_equal(c->when[0].param, 2);
	assert_int_equal(c->when[0].kind, LO_WHEN_BITS);
	assert_int_equal(c->when[0].value, 2);
	assert_int_equal(c->when[1].kind, LO_WHEN_NOBITS);
	assert_int_equal(c->when[1].value, 8);
	assert_int_equal(c->when[2].kind, LO_WHEN_EQ);
	assert_int_equal(c->when[2].value, 7);
	assert_string_equal(lo_summary_call(t, 1)->target, "ops.run");
	r = lo_summary_ret(t, 0);
	assert_int_equal(r->nholds, 1);
	assert_int_equal(r->nreleases, 1);
	assert_int_equal(r->releases[0].param, 0);
	assert_string_equal(lo_summary_store(t, 0)->key, "ops.run");
	assert_string_equal(lo_summary_alias(t, 0)->name, "__SCT__run");

	/* writing what was read gives the same bytes */
	assert_int_equal(lo_summary_write(t, path_of("b.lockorder.json"), &err), 0);
	one = slurp(path_of("a.lockorder.json"));
	two = slurp(path_of("b.lockorder.json"));
	assert_string_equal(one, two);
	/* one object a line, in the documented order, ending in `end` */
	assert_non_null(strstr(one, "{\"r\":\"lockorder-summary\",\"version\":1,\"source\":\"a.c\""));
	assert_non_null(strstr(one, "\n{\"r\":\"end\",\"records\":10}\n"));
	/* no temporary file left behind */
	assert_int_equal(access(path_of("a.lockorder.json.tmp"), F_OK), -1);
	free(one);
	free(two);
	lo_summary_free(s);
	lo_summary_free(t);
	lo_errors_free(&errs);
}

static void test_write_error(void **state)
{
	lo_summary *s = lo_summary_new("a.c", NULL, NULL);
	char *err = NULL;

	(void)state;
	assert_int_equal(lo_summary_write(s, "/nonexistent-dir/x.json", &err), -1);
	assert_non_null(err);
	/* the file asked for, not the temporary one beside it */
	assert_string_equal(err, "cannot create '/nonexistent-dir/x.json': No such file or directory");
	free(err);
	lo_summary_free(s);
}

/* Reads TEXT, which must fail, and wants the first error's message. */
static void expect_read_error(const char *text, const char *want)
{
	struct lo_errors errs = { 0 };
	lo_summary *s = lo_summary_read_string(text, strlen(text), "s.json",
					       &errs);
	char got[512];

	assert_null(s);
	assert_true(errs.n >= 1);
	assert_int_equal(errs.n_errors, errs.n);
	assert_string_equal(errs.v[0].file, "s.json");
	/* as print_errors() says it: the place, then the problem */
	if (errs.v[0].col > 0)
		snprintf(got, sizeof(got), "%s:%d:%d: %s", errs.v[0].file,
			 errs.v[0].line, errs.v[0].col, errs.v[0].msg);
	else
		snprintf(got, sizeof(got), "%s:%d: %s", errs.v[0].file,
			 errs.v[0].line, errs.v[0].msg);
	assert_string_equal(got, want);
	lo_errors_free(&errs);
}

#define HDR "{\"r\":\"lockorder-summary\",\"version\":1,\"source\":\"a.c\"}\n"

static void test_read_errors(void **state)
{
	struct lo_errors errs = { 0 };

	(void)state;
	assert_null(lo_summary_read(path_of("missing.json"), &errs));
	assert_int_equal(errs.n, 1);
	assert_non_null(strstr(errs.v[0].msg, "cannot open summary '"));
	assert_non_null(strstr(errs.v[0].msg, "missing.json': No such file or directory"));
	lo_errors_free(&errs);

	spit(path_of("empty.json"), "");
	assert_null(lo_summary_read(path_of("empty.json"), &errs));
	assert_int_equal(errs.n, 1);
	assert_non_null(strstr(errs.v[0].msg, "empty.json' is empty"));
	lo_errors_free(&errs);

	expect_read_error("{\"r\":", "s.json:1:5: not JSON: unexpected token near end of file");
	expect_read_error("[1]\n", "s.json:1: not a JSON object");
	expect_read_error("{\"r\":\"function\"}\n",
			  "s.json:1: not a summary: it does not start with a lockorder-summary header");
	expect_read_error("{\"r\":\"lockorder-summary\",\"version\":2}\n{\"r\":\"end\",\"records\":1}\n",
			  "s.json:1: summary of version 2; this lockorder reads version 1: rebuild the summaries");
	expect_read_error(HDR, "s.json:1: the summary is truncated: it does not end with an end record");
	expect_read_error(HDR "{\"r\":\"alias\",\"name\":\"a\",\"key\":\"k\"}\n{\"r\":\"end\",\"records\":3}\n",
			  "s.json:3: the summary is truncated: its end record counts 3 records, but 2 precede it");
	expect_read_error(HDR "{\"r\":\"alias\",\"name\":\"a\"}\n{\"r\":\"end\",\"records\":2}\n",
			  "s.json:2: 'alias' record has no member 'key'");
	expect_read_error(HDR "{\"r\":\"function\",\"name\":\"f\",\"static\":1,\"main\":true,\"at\":null,\"params\":0}\n{\"r\":\"end\",\"records\":2}\n",
			  "s.json:2: member 'static' of a 'function' record is not true or false");
	expect_read_error(HDR "{\"r\":\"store\",\"key\":\"k\",\"fn\":\"f\",\"static\":true,\"at\":[\"a.c\",1]}\n{\"r\":\"end\",\"records\":2}\n",
			  "s.json:2: member 'at' of a 'store' record is not [file, line, column]");
	expect_read_error(HDR "{\"r\":\"acq\",\"fn\":\"f\",\"static\":true,\"lock\":{\"class\":\"c\",\"name\":\"n\",\"kind\":\"futex\",\"declared\":false},\"op\":\"acquire\",\"shared\":false,\"subclass\":0,\"trylock\":false,\"at\":null,\"held\":[]}\n{\"r\":\"end\",\"records\":2}\n",
			  "s.json:2: unknown lock kind 'futex' in a 'acq' record");
	expect_read_error(HDR "{\"r\":\"call\",\"fn\":\"f\",\"static\":true,\"at\":null,\"held\":[],\"args\":[]}\n{\"r\":\"end\",\"records\":2}\n",
			  "s.json:2: a 'call' record has neither 'callee' nor 'target'");
	expect_read_error(HDR "\n{\"r\":\"end\",\"records\":2}\n",
			  "s.json:2: blank line");
	expect_read_error(HDR "{\"r\":\"end\",\"records\":1}\n{}\n",
			  "s.json:3: data after the end record");
	expect_read_error(HDR "{\"r\":\"alias\",\"name\":\"a\",\"key\":\"k\",\"key\":\"l\"}\n{\"r\":\"end\",\"records\":2}\n",
			  "s.json:2:39: not JSON: duplicate object key near '\"key\"'");
}

static void test_read_lenient(void **state)
{
	/* unknown members and record kinds are a later minor addition */
	static const char text[] =
		HDR
		"{\"r\":\"alias\",\"name\":\"a\",\"key\":\"k\",\"new\":[1,2]}\n"
		"{\"r\":\"flavour\",\"x\":1}\n"
		"{\"r\":\"end\",\"records\":3}";
	struct lo_errors errs = { 0 };
	lo_summary *s;

	(void)state;
	s = lo_summary_read_string(text, strlen(text), "s.json", &errs);
	assert_non_null(s);
	assert_int_equal(errs.n, 0);
	assert_int_equal(lo_summary_alias_count(s), 1);
	assert_null(lo_summary_directory(s));
	lo_summary_free(s);
}

static void test_read_many_errors(void **state)
{
	struct lo_errors errs = { 0 };
	char *text = malloc(100 * 4 + sizeof(HDR));
	size_t i;

	(void)state;
	strcpy(text, HDR);
	for (i = 0; i < 100; i++)
		strcat(text, "{x}\n");
	assert_null(lo_summary_read_string(text, strlen(text), "s.json", &errs));
	/* twenty, then one saying it gave up */
	assert_int_equal(errs.n, 21);
	assert_string_equal(errs.v[20].msg,
			    "summary 's.json': too many errors; giving up on it");
	lo_errors_free(&errs);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, tmp_setup, tmp_teardown),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test_setup_teardown(test_read_errors, tmp_setup, tmp_teardown),
		cmocka_unit_test(test_read_lenient),
		cmocka_unit_test(test_read_many_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

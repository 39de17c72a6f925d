/*
 * test_merge.c - unit tests of summaries (write, read, every way a file
 * can be bad) and of the whole-program merge on hand-built summaries:
 * linking, indirect calls, parameter substitution, the fixpoint, the
 * shortest witness, cross_file, one finding per deadlock and cycles.
 *
 * What it does NOT test: what the plugin writes (the plugin's lit tests)
 * or the command line (test/tools/merge-*.test).
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

static const char rules_text[] =
	"type kvm  = struct kvm\n"
	"type vcpu = struct kvm_vcpu\n"
	"mutex kvm->lock, vcpu->mutex, kvm->slots_lock\n"
	"srcu kvm->srcu\n"
	"spinlock kvm->arch.xen.xen_lock\n"
	"function mutex_lock(lock) acquires lock\n"
	"kvm->lock outside vcpu->mutex\n"                          /* 7 */
	"kvm->lock, vcpu->mutex, kvm->slots_lock outside kvm->srcu\n" /* 8 */
	"leaf kvm->arch.xen.xen_lock\n"
	"never kvm->slots_lock in kvm_mmu_notifier_*\n";

static lo_rules *rules(void)
{
	struct lo_errors errs = { 0 };
	lo_rules *r = lo_rules_parse_string(rules_text, strlen(rules_text),
					    "t.lockorder", 0, &errs);

	assert_non_null(r);
	lo_errors_free(&errs);
	return r;
}

/* ---- building summaries ------------------------------------------------ */

static struct lo_sref cls(const char *key, const char *name, enum lo_kind k,
			  int declared)
{
	struct lo_sref r = { key, name, k, declared, -1, 0 };

	return r;
}

static struct lo_sref param(int i, int deref)
{
	struct lo_sref r = { NULL, "lock", LO_MUTEX, 0, i, deref };

	return r;
}

#define KVM_LOCK cls("kvm.lock", "kvm->lock", LO_MUTEX, 1)
#define VCPU_MUTEX cls("kvm_vcpu.mutex", "vcpu->mutex", LO_MUTEX, 1)
#define SRCU cls("kvm.srcu", "kvm->srcu", LO_SRCU, 1)
#define LOCK_A cls("foo.a", "foo->a", LO_MUTEX, 0)
#define LOCK_B cls("foo.b", "foo->b", LO_MUTEX, 0)
#define LOCK_C cls("foo.c", "foo->c", LO_MUTEX, 0)

static struct lo_loc at(const char *file, int line)
{
	struct lo_loc l = { file, line, 2 };

	return l;
}

static void fn(lo_summary *s, const char *name, int is_static)
{
	struct lo_sfunc f = { name, is_static, 1, at(lo_summary_source(s), 1), 1 };

	lo_summary_add_function(s, &f);
}

/* NAME takes LOCK at LINE (holding HELD, or nothing). */
static void acq(lo_summary *s, const char *name, int is_static,
		struct lo_sref lock, int line, const struct lo_sheld *held)
{
	struct lo_sacq a;

	memset(&a, 0, sizeof(a));
	a.fn = name;
	a.fn_static = is_static;
	a.lock = lock;
	a.op = LO_ACQUIRE;
	a.at = at(lo_summary_source(s), line);
	a.held = held;
	a.nheld = held ? 1 : 0;
	lo_summary_add_acq(s, &a);
}

/* NAME calls CALLEE (or through TARGET) at LINE holding HELD (or
 * nothing), with one argument ARG (or none). */
static void call(lo_summary *s, const char *name, int is_static,
		 const char *callee, const char *target, int line,
		 const struct lo_sheld *held, const struct lo_sarg *arg)
{
	struct lo_scall c;

	memset(&c, 0, sizeof(c));
	c.fn = name;
	c.fn_static = is_static;
	c.callee = callee;
	c.target = target;
	c.at = at(lo_summary_source(s), line);
	c.held = held;
	c.nheld = held ? 1 : 0;
	c.args = arg;
	c.nargs = arg ? 1 : 0;
	lo_summary_add_call(s, &c);
}

static struct lo_sheld held(lo_summary *s, struct lo_sref lock, int line)
{
	struct lo_sheld h;

	memset(&h, 0, sizeof(h));
	h.lock = lock;
	h.at = at(lo_summary_source(s), line);
	return h;
}

static char *report(const lo_merge *m, enum lo_format fmt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(lo_report_write(m, fmt, f), 0);
	fclose(f);
	return buf;
}

/* Runs a merge of the summaries S[0..N) and compares the text report. */
static void expect(lo_summary **s, size_t n, int flags, const char *want)
{
	lo_rules *r = rules();
	lo_merge *m = lo_merge_new(r);
	size_t i;
	char *got;

	for (i = 0; i < n; i++)
		lo_merge_add(m, s[i]);
	lo_merge_run(m, flags);
	got = report(m, LO_FORMAT_TEXT);
	assert_string_equal(got, want);
	free(got);
	lo_merge_free(m);
	lo_rules_free(r);
}

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
	assert_non_null(strstr(err, "cannot create '/nonexistent-dir/x.json.tmp."));
	free(err);
	lo_summary_free(s);
}

/* Reads TEXT, which must fail, and wants the first error's message. */
static void expect_read_error(const char *text, const char *want)
{
	struct lo_errors errs = { 0 };
	lo_summary *s = lo_summary_read_string(text, strlen(text), "s.json",
					       &errs);

	assert_null(s);
	assert_true(errs.n >= 1);
	assert_int_equal(errs.n_errors, errs.n);
	assert_string_equal(errs.v[0].file, "s.json");
	assert_string_equal(errs.v[0].msg, want);
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

	expect_read_error("{\"r\":", "summary 's.json' line 1: not JSON: unexpected token near end of file (column 5)");
	expect_read_error("[1]\n", "summary 's.json' line 1: not a JSON object");
	expect_read_error("{\"r\":\"function\"}\n",
			  "summary 's.json' does not start with a lockorder-summary header");
	expect_read_error("{\"r\":\"lockorder-summary\",\"version\":2}\n{\"r\":\"end\",\"records\":1}\n",
			  "summary 's.json' has version 2; this lockorder reads version 1: rebuild the summaries");
	expect_read_error(HDR, "summary 's.json' is truncated: it does not end with an end record");
	expect_read_error(HDR "{\"r\":\"alias\",\"name\":\"a\",\"key\":\"k\"}\n{\"r\":\"end\",\"records\":3}\n",
			  "summary 's.json' is truncated: its end record counts 3 records, but 2 precede it");
	expect_read_error(HDR "{\"r\":\"alias\",\"name\":\"a\"}\n{\"r\":\"end\",\"records\":2}\n",
			  "summary 's.json' line 2: 'alias' record has no member 'key'");
	expect_read_error(HDR "{\"r\":\"function\",\"name\":\"f\",\"static\":1,\"main\":true,\"at\":null,\"params\":0}\n{\"r\":\"end\",\"records\":2}\n",
			  "summary 's.json' line 2: member 'static' of a 'function' record is not true or false");
	expect_read_error(HDR "{\"r\":\"store\",\"key\":\"k\",\"fn\":\"f\",\"static\":true,\"at\":[\"a.c\",1]}\n{\"r\":\"end\",\"records\":2}\n",
			  "summary 's.json' line 2: member 'at' of a 'store' record is not [file, line, column]");
	expect_read_error(HDR "{\"r\":\"acq\",\"fn\":\"f\",\"static\":true,\"lock\":{\"class\":\"c\",\"name\":\"n\",\"kind\":\"futex\",\"declared\":false},\"op\":\"acquire\",\"shared\":false,\"subclass\":0,\"trylock\":false,\"at\":null,\"held\":[]}\n{\"r\":\"end\",\"records\":2}\n",
			  "summary 's.json' line 2: unknown lock kind 'futex' in a 'acq' record");
	expect_read_error(HDR "{\"r\":\"call\",\"fn\":\"f\",\"static\":true,\"at\":null,\"held\":[],\"args\":[]}\n{\"r\":\"end\",\"records\":2}\n",
			  "summary 's.json' line 2: a 'call' record has neither 'callee' nor 'target'");
	expect_read_error(HDR "\n{\"r\":\"end\",\"records\":2}\n",
			  "summary 's.json' line 2: blank line");
	expect_read_error(HDR "{\"r\":\"end\",\"records\":1}\n{}\n",
			  "summary 's.json' line 3: data after the end record");
	expect_read_error(HDR "{\"r\":\"alias\",\"name\":\"a\",\"key\":\"k\",\"key\":\"l\"}\n{\"r\":\"end\",\"records\":2}\n",
			  "summary 's.json' line 2: not JSON: duplicate object key near '\"key\"' (column 39)");
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

/* ---- the merge --------------------------------------------------------- */

static void test_direct_call_across_files(void **state)
{
	lo_summary *s[2];
	struct lo_sheld h;

	(void)state;
	s[0] = lo_summary_new("a.c", "/src", NULL);
	s[1] = lo_summary_new("b.c", "/src", NULL);
	fn(s[0], "f", 0);
	h = held(s[0], VCPU_MUTEX, 3);
	acq(s[0], "f", 0, VCPU_MUTEX, 3, NULL);
	call(s[0], "f", 0, "g", NULL, 4, &h, NULL);
	fn(s[1], "g", 0);
	acq(s[1], "g", 0, KVM_LOCK, 10, NULL);
	expect(s, 2, 0,
	       "a.c:4:2: warning: 'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'\n"
	       "b.c:10:2: note: 'kvm->lock' acquired here in 'g'\n"
	       "a.c:3:2: note: 'vcpu->mutex' acquired here\n"
	       "t.lockorder:7:1: note: rule stated here\n");
}

/* Within one translation unit: only with LO_MERGE_ALL. */
static void test_one_file_needs_all(void **state)
{
	lo_summary *s[1];
	struct lo_sheld h;

	(void)state;
	s[0] = lo_summary_new("a.c", "/src", NULL);
	h = held(s[0], VCPU_MUTEX, 3);
	call(s[0], "f", 0, "g", NULL, 4, &h, NULL);
	acq(s[0], "g", 1, KVM_LOCK, 10, NULL);
	acq(s[0], "f", 0, KVM_LOCK, 5, &h);
	expect(s, 1, 0, "");

	s[0] = lo_summary_new("a.c", "/src", NULL);
	h = held(s[0], VCPU_MUTEX, 3);
	call(s[0], "f", 0, "g", NULL, 4, &h, NULL);
	acq(s[0], "g", 1, KVM_LOCK, 10, NULL);
	acq(s[0], "f", 0, KVM_LOCK, 5, &h);
	expect(s, 1, LO_MERGE_ALL,
	       "a.c:4:2: warning: 'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'\n"
	       "a.c:10:2: note: 'kvm->lock' acquired here in 'g'\n"
	       "a.c:3:2: note: 'vcpu->mutex' acquired here\n"
	       "t.lockorder:7:1: note: rule stated here\n"
	       "a.c:5:2: warning: 'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'\n"
	       "a.c:3:2: note: 'vcpu->mutex' acquired here\n"
	       "t.lockorder:7:1: note: rule stated here\n");
}

/* A static g of the caller's file wins over an external g elsewhere; a
 * third file's call to g reaches the external one. */
static void test_static_names(void **state)
{
	lo_summary *s[3];
	struct lo_sheld h;

	(void)state;
	s[0] = lo_summary_new("a.c", NULL, NULL);
	s[1] = lo_summary_new("b.c", NULL, NULL);
	s[2] = lo_summary_new("c.c", NULL, NULL);
	fn(s[0], "g", 1);
	h = held(s[0], VCPU_MUTEX, 3);
	call(s[0], "f", 0, "g", NULL, 4, &h, NULL);
	fn(s[1], "g", 0);
	acq(s[1], "g", 0, KVM_LOCK, 10, NULL);
	h = held(s[2], VCPU_MUTEX, 3);
	call(s[2], "k", 0, "g", NULL, 4, &h, NULL);
	expect(s, 3, 0,
	       "c.c:4:2: warning: 'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'\n"
	       "b.c:10:2: note: 'kvm->lock' acquired here in 'g'\n"
	       "c.c:3:2: note: 'vcpu->mutex' acquired here\n"
	       "t.lockorder:7:1: note: rule stated here\n");
}

/* ops->run(...) reaches every function stored into ops.run; a call to a
 * static-call trampoline reaches its alias's slot. */
static void test_store_target_alias(void **state)
{
	lo_summary *s[2];
	struct lo_sheld h;
	struct lo_sstore st = { "ops.run", "vmx_run", 1, at("b.c", 30) };
	struct lo_salias al = { "__SCT__run", "ops.run" };

	(void)state;
	s[0] = lo_summary_new("a.c", NULL, NULL);
	s[1] = lo_summary_new("b.c", NULL, NULL);
	h = held(s[0], SRCU, 3);
	h.shared = 1;
	call(s[0], "f", 0, NULL, "ops.run", 4, &h, NULL);
	call(s[0], "f", 0, "__SCT__run", NULL, 5, &h, NULL);
	lo_summary_add_alias(s[0], &al);
	lo_summary_add_store(s[1], &st);
	acq(s[1], "vmx_run", 1, KVM_LOCK, 10, NULL);
	expect(s, 2, 0,
	       "a.c:4:2: warning: 'kvm->lock' acquired inside a 'kvm->srcu' read-side critical section; rules put 'kvm->lock' outside 'kvm->srcu'\n"
	       "b.c:10:2: note: 'kvm->lock' acquired here in 'vmx_run'\n"
	       "a.c:3:2: note: 'kvm->srcu' acquired here\n"
	       "t.lockorder:8:1: note: rule stated here\n"
	       "a.c:5:2: warning: 'kvm->lock' acquired inside a 'kvm->srcu' read-side critical section; rules put 'kvm->lock' outside 'kvm->srcu'\n"
	       "b.c:10:2: note: 'kvm->lock' acquired here in 'vmx_run'\n"
	       "a.c:3:2: note: 'kvm->srcu' acquired here\n"
	       "t.lockorder:8:1: note: rule stated here\n");
}

/* A function passed as an argument is stored in the callee's parameter
 * slot; the callee's call through it reaches it, even in one file, and
 * the indirect call makes it cross_file. */
static void test_function_argument(void **state)
{
	lo_summary *s[1];
	struct lo_sheld h;
	struct lo_sarg a;

	(void)state;
	s[0] = lo_summary_new("a.c", NULL, NULL);
	memset(&a, 0, sizeof(a));
	a.kind = LO_ARG_FUNCTION;
	a.fn = "handler";
	a.fn_static = 1;
	call(s[0], "f", 0, "do_access", NULL, 4, NULL, &a);
	h = held(s[0], VCPU_MUTEX, 19);
	call(s[0], "do_access", 0, NULL, "param:do_access:0", 20, &h, NULL);
	acq(s[0], "handler", 1, KVM_LOCK, 10, NULL);
	expect(s, 1, 0,
	       "a.c:20:2: warning: 'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'\n"
	       "a.c:10:2: note: 'kvm->lock' acquired here in 'handler'\n"
	       "a.c:19:2: note: 'vcpu->mutex' acquired here\n"
	       "t.lockorder:7:1: note: rule stated here\n");
}

/* take(lock) locks its parameter: the caller's argument says which. */
static void test_param_substitution(void **state)
{
	lo_summary *s[2];
	struct lo_sheld h;
	struct lo_sarg a, p;

	(void)state;
	s[0] = lo_summary_new("a.c", NULL, NULL);
	s[1] = lo_summary_new("b.c", NULL, NULL);
	memset(&a, 0, sizeof(a));
	a.kind = LO_ARG_LOCK;
	a.lock = KVM_LOCK;
	memset(&p, 0, sizeof(p));
	p.kind = LO_ARG_LOCK;
	p.lock = param(0, 0);
	h = held(s[0], VCPU_MUTEX, 3);
	/* f -> wrap(&kvm->lock) -> take(lock): substituted twice */
	call(s[0], "f", 0, "wrap", NULL, 4, &h, &a);
	call(s[1], "wrap", 0, "take", NULL, 20, NULL, &p);
	acq(s[1], "take", 0, param(0, 0), 10, NULL);
	/* g -> take_deref(&kvm->lock): *lock is not known, nothing taken */
	call(s[0], "g", 0, "take_deref", NULL, 6, &h, &a);
	acq(s[1], "take_deref", 0, param(0, 1), 12, NULL);
	/* k -> take() with no argument: nothing known */
	call(s[0], "k", 0, "take", NULL, 7, &h, NULL);
	expect(s, 2, 0,
	       "a.c:4:2: warning: 'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'\n"
	       "b.c:20:2: note: 'wrap' calls 'take' here\n"
	       "b.c:10:2: note: 'kvm->lock' acquired here in 'take'\n"
	       "a.c:3:2: note: 'vcpu->mutex' acquired here\n"
	       "t.lockorder:7:1: note: rule stated here\n");
}

/* Mutual recursion reaches a fixpoint; each function keeps the witness
 * with the shortest chain. */
static void test_recursion_and_shortest(void **state)
{
	lo_summary *s[2];
	struct lo_sheld h;

	(void)state;
	s[0] = lo_summary_new("a.c", NULL, NULL);
	s[1] = lo_summary_new("b.c", NULL, NULL);
	h = held(s[0], VCPU_MUTEX, 3);
	call(s[0], "f", 0, "r1", NULL, 4, &h, NULL);
	call(s[1], "r1", 0, "r2", NULL, 20, NULL, NULL);
	call(s[1], "r2", 0, "r1", NULL, 30, NULL, NULL);
	call(s[1], "r2", 0, "r3", NULL, 31, NULL, NULL);
	call(s[1], "r3", 0, "r4", NULL, 40, NULL, NULL);
	call(s[1], "r4", 0, "take", NULL, 50, NULL, NULL);
	call(s[1], "r1", 0, "take", NULL, 21, NULL, NULL); /* the short way */
	acq(s[1], "take", 0, KVM_LOCK, 10, NULL);
	expect(s, 2, 0,
	       "a.c:4:2: warning: 'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'\n"
	       "b.c:21:2: note: 'r1' calls 'take' here\n"
	       "b.c:10:2: note: 'kvm->lock' acquired here in 'take'\n"
	       "a.c:3:2: note: 'vcpu->mutex' acquired here\n"
	       "t.lockorder:7:1: note: rule stated here\n"
	       "b.c:20:2: note: also reached through 'f' -> 'r1' -> 'r2' -> 'r3' -> 'r4' -> 'take'\n");
}

/* A deadlock is reported once, at its shortest path: e's call reaches
 * f's finding, whose path it ends with. */
static void test_one_per_deadlock(void **state)
{
	lo_summary *s[2];
	struct lo_sheld h;

	(void)state;
	s[0] = lo_summary_new("a.c", NULL, NULL);
	s[1] = lo_summary_new("b.c", NULL, NULL);
	h = held(s[0], VCPU_MUTEX, 3);
	call(s[0], "e", 0, "f", NULL, 4, &h, NULL);
	h = held(s[0], VCPU_MUTEX, 8);
	call(s[0], "f", 0, "take", NULL, 9, &h, NULL);
	acq(s[1], "take", 0, KVM_LOCK, 10, NULL);
	expect(s, 2, 0,
	       "a.c:9:2: warning: 'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'\n"
	       "b.c:10:2: note: 'kvm->lock' acquired here in 'take'\n"
	       "a.c:8:2: note: 'vcpu->mutex' acquired here\n"
	       "t.lockorder:7:1: note: rule stated here\n");
}

/* A header's static inline is in every translation unit that includes
 * it: the same finding twice is reported once. */
static void test_identical_once(void **state)
{
	lo_summary *s[3];
	struct lo_sheld h;
	int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		s[i] = lo_summary_new(i ? "b.c" : "a.c", NULL, NULL);
		h = held(s[i], VCPU_MUTEX, 3);
		h.at.file = "kvm_host.h";
		call(s[i], "inl", 1, "take", NULL, 4, &h, NULL);
		lo_summary_call(s[i], 0);
	}
	s[2] = lo_summary_new("c.c", NULL, NULL);
	acq(s[2], "take", 0, KVM_LOCK, 10, NULL);
	/* the calls are at a.c:4 and b.c:4: make them the header's */
	{
		struct lo_scall *c0 = (struct lo_scall *)lo_summary_call(s[0], 0);
		struct lo_scall *c1 = (struct lo_scall *)lo_summary_call(s[1], 0);

		c0->at.file = c1->at.file = "kvm_host.h";
	}
	expect(s, 3, 0,
	       "kvm_host.h:4:2: warning: 'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'\n"
	       "c.c:10:2: note: 'kvm->lock' acquired here in 'take'\n"
	       "kvm_host.h:3:2: note: 'vcpu->mutex' acquired here\n"
	       "t.lockorder:7:1: note: rule stated here\n");
}

/* never L in F: F and everything it calls, with nothing held. */
static void test_never(void **state)
{
	lo_summary *s[2];

	(void)state;
	s[0] = lo_summary_new("a.c", NULL, NULL);
	s[1] = lo_summary_new("b.c", NULL, NULL);
	call(s[0], "kvm_mmu_notifier_x", 0, "g", NULL, 4, NULL, NULL);
	acq(s[1], "g", 0, cls("kvm.slots_lock", "kvm->slots_lock", LO_MUTEX, 1),
	    10, NULL);
	expect(s, 2, 0,
	       "a.c:4:2: warning: 'kvm->slots_lock' acquired in 'kvm_mmu_notifier_x'; rules say 'kvm->slots_lock' is never taken in 'kvm_mmu_notifier_*'\n"
	       "b.c:10:2: note: 'kvm->slots_lock' acquired here in 'g'\n"
	       "t.lockorder:10:1: note: rule stated here\n");
}

/* Locks no rule orders, taken both ways round in two files. */
static void test_two_cycle(void **state)
{
	lo_summary *s[2];
	struct lo_sheld h;

	(void)state;
	s[0] = lo_summary_new("a.c", NULL, NULL);
	s[1] = lo_summary_new("b.c", NULL, NULL);
	h = held(s[0], LOCK_A, 3);
	call(s[0], "f", 0, "g", NULL, 4, &h, NULL);
	acq(s[1], "g", 0, LOCK_B, 10, NULL);
	h = held(s[1], LOCK_B, 20);
	acq(s[1], "k", 0, LOCK_A, 21, &h);
	expect(s, 2, 0,
	       "a.c:4:2: warning: possible circular locking dependency between 'foo->a' and 'foo->b'; no rule orders them\n"
	       "b.c:10:2: note: 'foo->b' acquired here in 'g'\n"
	       "a.c:3:2: note: 'foo->a' acquired here\n"
	       "b.c:21:2: note: 'foo->a' acquired while holding 'foo->b' here\n"
	       "b.c:20:2: note: 'foo->b' acquired here\n");
}

/* a -> b -> c -> a, one edge per file; a two-lock cycle elsewhere is
 * reported on its own. */
static void test_three_cycle(void **state)
{
	lo_summary *s[3];
	struct lo_sheld h;
	lo_rules *r = rules();
	lo_merge *m = lo_merge_new(r);
	const struct lo_finding *f;

	(void)state;
	s[0] = lo_summary_new("a.c", NULL, NULL);
	s[1] = lo_summary_new("b.c", NULL, NULL);
	s[2] = lo_summary_new("c.c", NULL, NULL);
	h = held(s[0], LOCK_A, 3);
	acq(s[0], "fa", 0, LOCK_B, 4, &h);
	h = held(s[1], LOCK_B, 3);
	acq(s[1], "fb", 0, LOCK_C, 4, &h);
	h = held(s[2], LOCK_C, 3);
	acq(s[2], "fc", 0, LOCK_A, 4, &h);
	lo_merge_add(m, s[0]);
	lo_merge_add(m, s[1]);
	lo_merge_add(m, s[2]);
	assert_int_equal(lo_merge_run(m, 0), 1);
	f = lo_merge_finding(m, 0);
	assert_int_equal(f->kind, LO_V_INVERSION);
	assert_int_equal(f->cross_file, 1);
	assert_string_equal(f->message,
			    "possible circular locking dependency: 'foo->a' -> 'foo->b' -> 'foo->c' -> 'foo->a'; no rule orders them");
	assert_string_equal(f->at.file, "a.c");
	assert_int_equal(f->nnotes, 5);
	assert_string_equal(f->notes[1].text,
			    "'foo->c' acquired while holding 'foo->b' here");
	assert_string_equal(f->notes[1].at.file, "b.c");
	assert_int_equal(strlen(f->key), 16);
	/* the same cycle in one file is not cross-file */
	lo_merge_free(m);
	lo_rules_free(r);
}

/* Keys survive line changes; JSON and SARIF carry what the text does. */
static void test_keys_and_formats(void **state)
{
	char *keys[2], *json, *sarif;
	int line;

	(void)state;
	for (line = 0; line < 2; line++) {
		lo_summary *s[2];
		struct lo_sheld h;
		lo_rules *r = rules();
		lo_merge *m = lo_merge_new(r);

		s[0] = lo_summary_new("a.c", "/src", NULL);
		s[1] = lo_summary_new("b.c", "/src", NULL);
		h = held(s[0], VCPU_MUTEX, 3 + line);
		call(s[0], "f", 0, "g", NULL, 4 + line, &h, NULL);
		acq(s[1], "g", 0, KVM_LOCK, 10 + 5 * line, NULL);
		lo_merge_add(m, s[0]);
		lo_merge_add(m, s[1]);
		assert_int_equal(lo_merge_run(m, 0), 1);
		keys[line] = strdup(lo_merge_finding(m, 0)->key);
		if (line == 0) {
			json = report(m, LO_FORMAT_JSON);
			sarif = report(m, LO_FORMAT_SARIF);
		}
		lo_merge_free(m);
		lo_rules_free(r);
	}
	assert_string_equal(keys[0], keys[1]);
	assert_non_null(strstr(json, "\"kind\": \"order\""));
	assert_non_null(strstr(json, "\"cross_file\": true"));
	assert_non_null(strstr(json, "\"message\": \"'kvm->lock' acquired here in 'g'\""));
	assert_non_null(strstr(sarif, "\"version\": \"2.1.0\""));
	assert_non_null(strstr(sarif, "\"ruleId\": \"lockorder/order\""));
	assert_non_null(strstr(sarif, "\"lockorderKey/v1\""));
	assert_non_null(strstr(sarif, "\"uri\": \"file:///src/\""));
	assert_non_null(strstr(sarif, "\"threadFlows\""));
	assert_string_equal(lo_violation_kind_name(LO_V_SRCU_READER), "srcu-reader");
	free(keys[0]);
	free(keys[1]);
	free(json);
	free(sarif);
}

/* Nonsense a reader lets through (it checks shapes, not meaning) does
 * not crash the merge: unknown callees, huge parameter indexes. */
static void test_merge_robust(void **state)
{
	lo_summary *s[1];
	struct lo_sheld h;

	(void)state;
	s[0] = lo_summary_new(NULL, NULL, NULL);
	h = held(s[0], VCPU_MUTEX, 3);
	call(s[0], "f", 0, "nowhere", NULL, 4, &h, NULL);
	call(s[0], "f", 0, NULL, "no.slot", 5, &h, NULL);
	call(s[0], "f", 0, "g", NULL, 6, &h, NULL);
	acq(s[0], "g", 0, param(1000000000, 0), 10, NULL);
	acq(s[0], "g", 0, param(3, 1), 11, NULL);
	expect(s, 1, LO_MERGE_ALL, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, tmp_setup, tmp_teardown),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test_setup_teardown(test_read_errors, tmp_setup, tmp_teardown),
		cmocka_unit_test(test_read_lenient),
		cmocka_unit_test(test_read_many_errors),
		cmocka_unit_test(test_direct_call_across_files),
		cmocka_unit_test(test_one_file_needs_all),
		cmocka_unit_test(test_static_names),
		cmocka_unit_test(test_store_target_alias),
		cmocka_unit_test(test_function_argument),
		cmocka_unit_test(test_param_substitution),
		cmocka_unit_test(test_recursion_and_shortest),
		cmocka_unit_test(test_one_per_deadlock),
		cmocka_unit_test(test_identical_once),
		cmocka_unit_test(test_never),
		cmocka_unit_test(test_two_cycle),
		cmocka_unit_test(test_three_cycle),
		cmocka_unit_test(test_keys_and_formats),
		cmocka_unit_test(test_merge_robust),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

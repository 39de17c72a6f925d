/*
 * test_root.c - unit tests of how the merge names files: lexical
 * normalisation (lo_path_normal, lo_path_absolute), a path under the top
 * of the tree (lo_path_under), and the directory the summaries share
 * (lo_merge_common_dir), whole segments only.
 *
 * What it does NOT test: a report's paths (test/tools/paths-normal.test
 * checks them in every format) or symlinks (never resolved).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "internal.h"
#include "lockorder.h"

/* PATH normalised is WANT ("=" for unchanged: lo_path_normal says NULL). */
static void normal(const char *path, const char *want)
{
	char *n = lo_path_normal(path);

	if (strcmp(want, "=") == 0) {
		assert_null(n);
		return;
	}
	assert_non_null(n);
	assert_string_equal(n, want);
	free(n);
}

static void test_normal(void **state)
{
	(void)state;
	normal("arch/x86/kvm/../../../virt/kvm/kvm_main.c", "virt/kvm/kvm_main.c");
	normal("virt/kvm/kvm_main.c", "=");
	normal("./a.c", "a.c");
	normal("a/./b.c", "a/b.c");
	normal("a//b.c", "a/b.c");
	normal("../x/../y.c", "../y.c");
	normal("../../a.c", "../../a.c");
	normal("/a/../../b.c", "/b.c");
	normal("/src/linux/./arch//x.c", "/src/linux/arch/x.c");
	normal("a/b/..", "a");
	normal("a/.", "a");
	normal("a/..", ".");
}

static void absolute(const char *dir, const char *path, const char *want)
{
	char *a = lo_path_absolute(dir, path);

	assert_string_equal(a, want);
	free(a);
}

static void test_absolute(void **state)
{
	char cwd[4096], want[4200];

	(void)state;
	absolute("/src/linux", "arch/x86/kvm/../../../virt/kvm/kvm_main.c",
		 "/src/linux/virt/kvm/kvm_main.c");
	absolute("/src/linux/arch/x86/kvm", "xen.c", "/src/linux/arch/x86/kvm/xen.c");
	absolute("/elsewhere", "/src/./a.c", "/src/a.c");
	absolute("/src/", "", "/src");
	absolute(NULL, "/", "/");
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	snprintf(want, sizeof(want), "%s/b.c", cwd);
	absolute(NULL, "sub/../b.c", want);
	snprintf(want, sizeof(want), "%s/d/b.c", cwd);
	absolute("d", "b.c", want);
}

static void test_under(void **state)
{
	(void)state;
	assert_string_equal(lo_path_under("/src/linux", "/src/linux/virt/a.c"), "virt/a.c");
	assert_string_equal(lo_path_under("/src/linux", "/src/linux"), ".");
	assert_null(lo_path_under("/src/linux", "/src/linux-6.1/a.c"));
	assert_null(lo_path_under("/src/linux", "/src/lin"));
	assert_null(lo_path_under("/src/linux", "/usr/include/stdio.h"));
	assert_string_equal(lo_path_under("/", "/usr/a.h"), "usr/a.h");
}

/* The directory the summaries compiled in DIRS (NULL-terminated) share. */
static void common(const char *const *dirs, const char *want)
{
	lo_merge *m = lo_merge_new(NULL);
	char *c;

	for (; *dirs; dirs++)
		lo_merge_add(m, lo_summary_new("a.c", **dirs ? *dirs : NULL, NULL));
	c = lo_merge_common_dir(m);
	if (want) {
		assert_non_null(c);
		assert_string_equal(c, want);
	} else {
		assert_null(c);
	}
	free(c);
	lo_merge_free(m);
}

static void test_common_dir(void **state)
{
	static const char *const one[] = { "/src/linux", "/src/linux", NULL };
	static const char *const sub[] = { "/src/linux", "/src/linux/arch/x86/kvm", NULL };
	static const char *const sub2[] = { "/src/linux/arch/x86/kvm", "/src/linux", NULL };
	static const char *const part[] = { "/src/linux", "/src/linux-6.1", NULL };
	static const char *const none[] = { "/a", "/b", NULL };
	static const char *const nodir[] = { "", "/src/linux/", NULL };
	static const char *const empty[] = { NULL };

	(void)state;
	common(one, "/src/linux");
	common(sub, "/src/linux");
	common(sub2, "/src/linux");
	common(part, "/src"); /* whole segments: not "/src/linux" */
	common(none, NULL);
	common(nodir, "/src/linux");
	common(empty, NULL);
}

static void test_set_root(void **state)
{
	lo_merge *m = lo_merge_new(NULL);

	(void)state;
	assert_null(lo_merge_root(m));
	lo_merge_set_root(m, "/src/linux/./arch/..//");
	assert_string_equal(lo_merge_root(m), "/src/linux");
	lo_merge_set_root(m, NULL);
	assert_null(lo_merge_root(m));
	lo_merge_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normal),
		cmocka_unit_test(test_absolute),
		cmocka_unit_test(test_under),
		cmocka_unit_test(test_common_dir),
		cmocka_unit_test(test_set_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

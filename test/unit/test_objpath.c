/*
 * test_objpath.c - unit tests of lock object paths through a call
 * (lo_obj_subst): a callee's "$K" becomes its caller's argument K.
 *
 * Modelled on the kernel: device_lock(dev) locks "&$0->mutex" of its
 * parameter; read_seqlock_excl(&rename_lock) passes a global's address
 * ("(&@rename_lock)->lock" is "@rename_lock.lock"); a helper locking the
 * mutex pointer it is given ("$0") passed "&$1->lock".
 *
 * What it does NOT test: which paths the plugin writes
 * (test/plugin/lock-class-objects.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lockorder.h"

static void expect(const char *obj, const char *const *args, size_t n,
		   const char *want)
{
	char *s = lo_obj_subst(obj, args, n);

	if (!want) {
		assert_null(s);
		return;
	}
	assert_non_null(s);
	assert_string_equal(s, want);
	free(s);
}

static void test_param_field(void **state)
{
	const char *dev[] = { "$1->parent" };
	const char *glob[] = { "&@rename_lock" };

	(void)state;
	expect("&$0->mutex", dev, 1, "&$1->parent->mutex");
	expect("&$0->lock", glob, 1, "&@rename_lock.lock");
}

static void test_lock_pointer(void **state)
{
	const char *args[] = { NULL, "&$1->lock" };

	(void)state;
	expect("$1", args, 2, "&$1->lock");
	expect("*$1", args, 2, "$1->lock");
}

static void test_not_told(void **state)
{
	const char *args[] = { NULL };

	(void)state;
	expect("&$0->mutex", args, 1, NULL);
	expect("&$3->mutex", args, 1, NULL);
	expect(NULL, args, 1, NULL);
	expect("&@ioapic_lock", args, 1, "&@ioapic_lock");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_param_field),
		cmocka_unit_test(test_lock_pointer),
		cmocka_unit_test(test_not_told),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_kind.c - unit tests of the lock kinds: their names, which sleep,
 * which make the holder atomic, which readers nest, and the kind a C
 * type implies.
 *
 * What it does NOT test: how the checks use the kinds (test_check.c) or
 * the kinds in a rules file (test_rules.c).
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

static void test_kinds(void **state)
{
	(void)state;
	assert_string_equal(lo_kind_name(LO_KIND_NONE), "lock");
	assert_string_equal(lo_kind_name(LO_MUTEX), "mutex");
	assert_string_equal(lo_kind_name(LO_PERCPU_RWSEM), "percpu_rwsem");
	assert_string_equal(lo_kind_name(LO_RCU), "rcu");
	assert_string_equal(lo_kind_name((enum lo_kind)99), "lock");

	assert_int_equal(lo_kind_from_name("mutex"), LO_MUTEX);
	assert_int_equal(lo_kind_from_name("rwsem"), LO_RWSEM);
	assert_int_equal(lo_kind_from_name("percpu_rwsem"), LO_PERCPU_RWSEM);
	assert_int_equal(lo_kind_from_name("semaphore"), LO_SEMAPHORE);
	assert_int_equal(lo_kind_from_name("spinlock"), LO_SPINLOCK);
	assert_int_equal(lo_kind_from_name("raw_spinlock"), LO_RAW_SPINLOCK);
	assert_int_equal(lo_kind_from_name("rwlock"), LO_RWLOCK);
	assert_int_equal(lo_kind_from_name("srcu"), LO_SRCU);
	assert_int_equal(lo_kind_from_name("rcu"), LO_RCU);
	assert_int_equal(lo_kind_from_name("lock"), LO_KIND_NONE);
	assert_int_equal(lo_kind_from_name("mutexx"), LO_KIND_NONE);
	assert_int_equal(lo_kind_from_name(NULL), LO_KIND_NONE);

	assert_true(lo_kind_sleeps(LO_MUTEX));
	assert_true(lo_kind_sleeps(LO_RWSEM));
	assert_true(lo_kind_sleeps(LO_PERCPU_RWSEM));
	assert_true(lo_kind_sleeps(LO_SEMAPHORE));
	assert_false(lo_kind_sleeps(LO_SPINLOCK));
	assert_false(lo_kind_sleeps(LO_SRCU));
	assert_false(lo_kind_sleeps(LO_RCU));

	assert_true(lo_kind_atomic(LO_SPINLOCK));
	assert_true(lo_kind_atomic(LO_RAW_SPINLOCK));
	assert_true(lo_kind_atomic(LO_RWLOCK));
	assert_true(lo_kind_atomic(LO_RCU));
	assert_false(lo_kind_atomic(LO_SRCU));
	assert_false(lo_kind_atomic(LO_MUTEX));

	assert_true(lo_kind_recursive_read(LO_SRCU));
	assert_true(lo_kind_recursive_read(LO_RCU));
	assert_true(lo_kind_recursive_read(LO_RWLOCK));
	assert_false(lo_kind_recursive_read(LO_RWSEM));
	assert_false(lo_kind_recursive_read(LO_SPINLOCK));

	assert_int_equal(lo_kind_from_type("mutex"), LO_MUTEX);
	assert_int_equal(lo_kind_from_type("struct mutex"), LO_MUTEX);
	assert_int_equal(lo_kind_from_type("spinlock"), LO_SPINLOCK);
	assert_int_equal(lo_kind_from_type("spinlock_t"), LO_SPINLOCK);
	assert_int_equal(lo_kind_from_type("struct spinlock"), LO_SPINLOCK);
	assert_int_equal(lo_kind_from_type("raw_spinlock"), LO_RAW_SPINLOCK);
	assert_int_equal(lo_kind_from_type("raw_spinlock_t"), LO_RAW_SPINLOCK);
	assert_int_equal(lo_kind_from_type("rwlock_t"), LO_RWLOCK);
	assert_int_equal(lo_kind_from_type("struct rw_semaphore"), LO_RWSEM);
	assert_int_equal(lo_kind_from_type("percpu_rw_semaphore"), LO_PERCPU_RWSEM);
	assert_int_equal(lo_kind_from_type("struct semaphore"), LO_SEMAPHORE);
	assert_int_equal(lo_kind_from_type("struct srcu_struct"), LO_SRCU);
	assert_int_equal(lo_kind_from_type("struct kvm"), LO_KIND_NONE);
	assert_int_equal(lo_kind_from_type("structmutex"), LO_KIND_NONE);
	assert_int_equal(lo_kind_from_type(NULL), LO_KIND_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

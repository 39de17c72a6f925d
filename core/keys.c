/*
 * keys.c - lock classes as lockdep forms them: a lock's class is its key.
 * mutex_init() and spin_lock_init() give every lock initialised at one
 * place the static key of that place; lockdep_set_class() another.  The
 * analysis names a class by its struct and field (kvm_vcpu.mutex), which
 * is lockdep's class only while every lock of it gets one key.  Given
 * several (inet's bhash and bhash2 initialised at two places), or a key
 * per object (rcu_init_one()'s &rcu_node_class[i] for each level of the
 * tree), two locks of the class may be of two lockdep classes: taking one
 * while holding another is no proven recursion.  A class given
 * lockdep_set_novalidate_class() (dev->mutex) is not checked at all, as
 * lockdep does not.  A class with no key seen at all (its locks are
 * initialised in another translation unit: bhash and bhash2 in
 * tcp_init(), dev->mutex in device_initialize()) may be any number of
 * lockdep's classes: two objects of it held at once are no proven
 * recursion either; only the very same object taken twice is (sites.c).
 * lock_set_cmp_fn() and lockdep_set_subclass() count as several keys: a
 * cmp function orders locks of one class, a subclass set at run time
 * makes objects of one key differ.
 *
 * What it does NOT do: tell which of the keys a lock has; that is the
 * object's history, not its type.
 */
#include <stdlib.h>
#include <string.h>

#include "merge_internal.h"

void mg_build_keys(lo_merge *m)
{
	size_t t, i;

	for (t = 0; t < m->ntus; t++)
		for (i = 0; i < lo_summary_key_count(m->tus[t].s); i++) {
			const struct lo_skey *k = lo_summary_key(m->tus[t].s, i);
			int flags = lo_strmap_get(&m->keyflags, k->cls);
			int first = lo_strmap_get(&m->keyfirst, k->cls);

			if (flags < 0)
				flags = KEY_KNOWN;
			if (k->novalidate)
				flags |= KEY_NOVALIDATE;
			if (!k->key)
				flags |= KEY_SEVERAL;
			else if (first < 0) {
				lo_grow(&m->keynames, &m->capkeynames,
					m->nkeynames + 1, sizeof(*m->keynames));
				m->keynames[m->nkeynames] = k->key;
				lo_strmap_put(&m->keyfirst, k->cls,
					      (int)m->nkeynames++);
			} else if (strcmp(m->keynames[first], k->key) != 0) {
				flags |= KEY_SEVERAL;
			}
			lo_strmap_put(&m->keyflags, k->cls, flags);
		}
}

int mg_key_flags(const lo_merge *m, const char *cls)
{
	int f = cls ? lo_strmap_get(&m->keyflags, cls) : -1;

	return f < 0 ? 0 : f;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gcc-kernel: the mutex API of include/linux/mutex.h as a build with
 * CONFIG_DEBUG_LOCK_ALLOC expands it: mutex_lock(l) is
 * mutex_lock_nested(l, 0).  No system header: the tree is compiled with
 * -nostdinc, like the kernel.
 */
#ifndef __LINUX_MUTEX_H
#define __LINUX_MUTEX_H

struct lockdep_map { int x; };

struct mutex {
	long owner;
	struct lockdep_map dep_map;
};

#if IS_ENABLED(CONFIG_DEBUG_LOCK_ALLOC)
void mutex_lock_nested(struct mutex *lock, unsigned int subclass);
#define mutex_lock(lock) mutex_lock_nested(lock, 0)
#else
void mutex_lock(struct mutex *lock);
#endif
void mutex_unlock(struct mutex *lock);

#endif

/*
 * linux/locks.h - the parts of the Linux locking API the HTML report's
 * test tree uses, expanded as a CONFIG_PROVE_LOCKING build expands them
 * (adapted from test/plugin/Inputs/kernel.h).  No system header: the tree
 * is compiled with -nostdinc, like the kernel.
 */
#ifndef HTML_TREE_LINUX_LOCKS_H
#define HTML_TREE_LINUX_LOCKS_H

struct lockdep_map { int x; };

struct mutex { int owner; struct lockdep_map dep_map; };

void mutex_lock_nested(struct mutex *lock, unsigned int subclass);
#define mutex_lock(l) mutex_lock_nested(l, 0)
void mutex_unlock(struct mutex *lock);

struct raw_spinlock { int raw; struct lockdep_map dep_map; };
typedef struct raw_spinlock raw_spinlock_t;
typedef struct spinlock { struct raw_spinlock rlock; } spinlock_t;

void _raw_spin_lock(raw_spinlock_t *lock);
void _raw_spin_unlock(raw_spinlock_t *lock);

static inline void spin_lock(spinlock_t *lock)
{
	_raw_spin_lock(&lock->rlock);
}

static inline void spin_unlock(spinlock_t *lock)
{
	_raw_spin_unlock(&lock->rlock);
}

struct kmem_cache {
	struct mutex mutex;
	spinlock_t list_lock;
	unsigned long nr_slabs;
};

struct super_block {
	struct mutex s_umount;
};

struct inode {
	struct mutex i_mutex;
	spinlock_t i_lock;
	struct super_block *i_sb;
	struct kmem_cache *i_cache;
};

void slab_flush(struct kmem_cache *s);
void inode_sync(struct inode *inode);

#endif /* HTML_TREE_LINUX_LOCKS_H */

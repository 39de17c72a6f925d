// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// lock-class-keys.c - lockdep's class of a lock is its key, not its type.
// mutex_init() and spin_lock_init() give every lock they initialise the
// static key of the place they are written; lockdep_set_class() gives
// another.  lockorder names a class by its struct and field; while every
// lock of it gets one key that is lockdep's class, and taking a second
// while holding one is recursive locking, as lockdep reports it.  Given
// several keys, or a key per object, two locks of the class may be of two
// lockdep classes: no proven recursion.  A class lockdep is told not to
// validate is not checked.

#include "kvm.h"

// kernel/rcu/tree.c: each level of the rcu_node tree is a class of its
// own (rcu_init_one(): lockdep_set_class_and_name(&rnp->lock,
// &rcu_node_class[i], buf[i])), and a child's lock is held while its
// parent's is taken.
struct rcu_node { struct mutex lock; struct rcu_node *parent; };
static struct lock_class_key rcu_node_class[4];

void rcu_init_one(struct rcu_node *rnp, int i)
{
	mutex_init(&rnp->lock);
	lockdep_set_class_and_name(&rnp->lock, &rcu_node_class[i], "rcu_node_x");
}

void ok_rcu_node_parent_under_child(struct rcu_node *rnp)
{
	mutex_lock(&rnp->lock);
	mutex_lock(&rnp->parent->lock);		// no-warning: another level, another class
	mutex_unlock(&rnp->parent->lock);
	mutex_unlock(&rnp->lock);
}

// mm/hugetlb.c: every hstate's resize_lock has the hstate's own key
// (__mutex_init(&h->resize_lock, "resize mutex", &h->resize_key)).
struct hstate { struct mutex resize_lock; struct lock_class_key resize_key; };

void hugetlb_add_hstate(struct hstate *h)
{
	__mutex_init(&h->resize_lock, "resize mutex", &h->resize_key);
}

void ok_demote_two_hstates(struct hstate *src, struct hstate *dst)
{
	mutex_lock(&src->resize_lock);
	mutex_lock(&dst->resize_lock);		// no-warning: a key per hstate
	mutex_unlock(&dst->resize_lock);
	mutex_unlock(&src->resize_lock);
}

// net/ipv4/inet_hashtables.c: one bucket type, two tables, each table's
// buckets initialised at a place of its own: two classes.
struct inet_bind_hashbucket { spinlock_t lock; };

void inet_hashinfo_init(struct inet_bind_hashbucket *bhash,
			struct inet_bind_hashbucket *bhash2)
{
	spin_lock_init(&bhash->lock);
	spin_lock_init(&bhash2->lock);
}

void ok_bhash_then_bhash2(struct inet_bind_hashbucket *head,
			  struct inet_bind_hashbucket *head2)
{
	spin_lock(&head->lock);
	spin_lock(&head2->lock);		// no-warning: two places, two keys
	spin_unlock(&head2->lock);
	spin_unlock(&head->lock);
}

// kernel/padata.c: the reorder and serial lists are both struct
// padata_list, initialised by the one spin_lock_init() of
// __padata_list_init(): one class, nested without spin_lock_nested().
// lockdep reports it, and so do we.
struct padata_list { spinlock_t lock; };

static void __padata_list_init(struct padata_list *pd_list)
{
	spin_lock_init(&pd_list->lock);
}

void padata_init_lists(struct padata_list *reorder, struct padata_list *serial)
{
	__padata_list_init(reorder);
	__padata_list_init(serial);
}

void bad_padata_reorder_under_serial(struct padata_list *squeue,
				     struct padata_list *reorder)
{
	spin_lock(&squeue->lock);		// expected-note{{'pd_list->lock' acquired here in 'bad_padata_reorder_under_serial'}}
	spin_lock(&reorder->lock);		// expected-warning{{'pd_list->lock' acquired while already holding 'pd_list->lock'; possible recursive locking}}
						// expected-note@Inputs/kernel.h:72 {{'pd_list->lock' acquired here in 'spin_lock'}}
	spin_unlock(&reorder->lock);
	spin_unlock(&squeue->lock);
}

// drivers/base/core.c: device_initialize() does
// lockdep_set_novalidate_class(&dev->mutex); a parent's mutex is held
// while a child's is taken, and lockdep checks none of it.
struct device { struct mutex mutex; struct device *parent; };

void device_initialize(struct device *dev)
{
	mutex_init(&dev->mutex);
	lockdep_set_novalidate_class(&dev->mutex);
}

void ok_device_lock_child_under_parent(struct device *dev)
{
	mutex_lock(&dev->parent->mutex);
	mutex_lock(&dev->mutex);		// no-warning: not validated
	mutex_unlock(&dev->mutex);
	mutex_unlock(&dev->parent->mutex);
}

// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// flag-arguments.c - a flag passed as an argument, one or more calls down,
// decides whether a callee takes or retakes a lock:
//
//  1. a bit test: io_ring_submit_lock(ctx, issue_flags) takes uring_lock
//     only `if (issue_flags & IO_URING_F_UNLOCKED)`: the path assumes that
//     bit of the parameter (`when` "bits"), so a caller passing 0 or other
//     bits (IO_URING_F_NONBLOCK|IO_URING_F_COMPLETE_DEFER) never reaches the
//     lock;
//  2. a callee's way of returning holding a lock only for one value of its
//     parameter (__wait_on_freeing_inode() retakes inode_hash_lock only
//     `if (is_inode_hash_locked)`, stop_sync_thread() only `if (locked)`):
//     a caller passing the other value does not get that way;
//  3. a parameter tested against enumerators (hub_activate(): `type ==
//     HUB_INIT2 || type == HUB_INIT3`): each path keeps the value it
//     assumed, so a caller passing HUB_POST_RESET never reaches the lock;
//  4. a local set only when a parameter is nonzero (put_cpu_partial():
//     `if (drain && ...) slab_to_put = oldslab;` then `if (slab_to_put)
//     __put_partials()`): paths assuming different things of a parameter
//     are not joined, so the call is reached only with drain nonzero.
//
// Each ok_ case is one of Linux 6.12's, once a false finding; the bad_
// case beside it passes the value that does take the lock.

#include "kernel.h"

typedef _Bool bool;
#define true 1
#define false 0

// ---- 1. a bit of the flags (io_uring/cancel.c) -------------------------

#define IO_URING_F_UNLOCKED		2
#define IO_URING_F_NONBLOCK		(-2147483647 - 1)
#define IO_URING_F_COMPLETE_DEFER	8
struct io_ring_ctx { struct mutex uring_lock; spinlock_t completion_lock; };

static inline void io_ring_submit_lock(struct io_ring_ctx *ctx,
				       unsigned issue_flags)
{
	if (unlikely(issue_flags & IO_URING_F_UNLOCKED))
		mutex_lock(&ctx->uring_lock);	// expected-warning{{sleeping lock 'ctx->uring_lock' acquired while holding spinlock 'ctx->completion_lock'}}
}

static inline void io_ring_submit_unlock(struct io_ring_ctx *ctx,
					 unsigned issue_flags)
{
	if (unlikely(issue_flags & IO_URING_F_UNLOCKED))
		mutex_unlock(&ctx->uring_lock);
}

static int __io_async_cancel(struct io_ring_ctx *ctx, unsigned issue_flags)
{
	io_ring_submit_lock(ctx, issue_flags);	// expected-note{{'__io_async_cancel' calls 'io_ring_submit_lock' here}}
	io_ring_submit_unlock(ctx, issue_flags);
	return 0;
}

void ok_io_sync_cancel(struct io_ring_ctx *ctx)
{
	spin_lock(&ctx->completion_lock);
	__io_async_cancel(ctx, 0);		// no-warning
	spin_unlock(&ctx->completion_lock);
}

// io_queue_sqe(): other bits set, not IO_URING_F_UNLOCKED.
void ok_io_queue_sqe(struct io_ring_ctx *ctx)
{
	spin_lock(&ctx->completion_lock);
	__io_async_cancel(ctx, IO_URING_F_NONBLOCK|IO_URING_F_COMPLETE_DEFER);	// no-warning
	spin_unlock(&ctx->completion_lock);
}

void bad_io_async_cancel(struct io_ring_ctx *ctx)
{
	spin_lock(&ctx->completion_lock);	// expected-note{{'ctx->completion_lock' acquired here in 'bad_io_async_cancel'}}
	__io_async_cancel(ctx, IO_URING_F_UNLOCKED);	// expected-note{{'bad_io_async_cancel' calls '__io_async_cancel' here}}
	spin_unlock(&ctx->completion_lock);
}

// ---- 2. a way of returning for one value (fs/inode.c) ------------------

struct inode { spinlock_t i_lock; struct inode *next; };
extern spinlock_t inode_hash_lock;
void schedule(void);

static void __wait_on_freeing_inode(struct inode *inode,
				    bool is_inode_hash_locked)
{
	spin_unlock(&inode->i_lock);
	if (is_inode_hash_locked)
		spin_unlock(&inode_hash_lock);
	schedule();
	if (is_inode_hash_locked)
		spin_lock(&inode_hash_lock);
}

static struct inode *find_inode(struct inode *head, bool is_inode_hash_locked)
{
	struct inode *inode;

	for (inode = head; inode; inode = inode->next) {
		spin_lock(&inode->i_lock);
		if (inode->next) {
			__wait_on_freeing_inode(inode, is_inode_hash_locked);
			continue;
		}
		spin_unlock(&inode->i_lock);
		return inode;
	}
	return NULL;
}

// iget5_locked_rcu(): find_inode(..., false) leaves inode_hash_lock alone.
void ok_iget_locked(struct inode *head)
{
	find_inode(head, false);
	spin_lock(&inode_hash_lock);		// no-warning
	spin_unlock(&inode_hash_lock);
}

// ---- 2. the same through stop_sync_thread() (drivers/md/md.c) ----------

struct mddev { struct mutex reconfig_mutex; int sync_thread; };
void md_wakeup_thread(struct mddev *mddev);

static void stop_sync_thread(struct mddev *mddev, bool locked)
{
	if (!mddev->sync_thread) {
		if (!locked)
			mutex_unlock(&mddev->reconfig_mutex);
		return;
	}
	mutex_unlock(&mddev->reconfig_mutex);
	md_wakeup_thread(mddev);
	if (locked)
		mutex_lock(&mddev->reconfig_mutex);
}

// md_set_readonly(): stop_sync_thread(mddev, false) returns unlocked.
void ok_md_set_readonly(struct mddev *mddev)
{
	mutex_lock(&mddev->reconfig_mutex);
	stop_sync_thread(mddev, false);
	mutex_lock(&mddev->reconfig_mutex);	// no-warning
	mutex_unlock(&mddev->reconfig_mutex);
}

void bad_md_locked(struct mddev *mddev)
{
	mutex_lock(&mddev->reconfig_mutex);
	stop_sync_thread(mddev, true);		// expected-note{{'mddev->reconfig_mutex' acquired here in 'bad_md_locked'}}
	mutex_lock(&mddev->reconfig_mutex);	// expected-warning{{'mddev->reconfig_mutex' acquired while already holding 'mddev->reconfig_mutex'; possible recursive locking}}
	mutex_unlock(&mddev->reconfig_mutex);
}

// ---- 3. enumerators (drivers/usb/core/hub.c) ---------------------------

enum hub_activation_type {
	HUB_INIT, HUB_INIT2, HUB_INIT3,
	HUB_POST_RESET, HUB_RESUME, HUB_RESET_RESUME,
};
struct usb_device { struct mutex mutex; };
struct usb_hub { struct usb_device *hdev; spinlock_t irq_urb_lock; };

static void hub_activate(struct usb_hub *hub, enum hub_activation_type type)
{
	struct usb_device *hdev = hub->hdev;

	if (type == HUB_INIT2 || type == HUB_INIT3)
		mutex_lock(&hdev->mutex);	// expected-warning{{sleeping lock 'hdev->mutex' acquired while holding spinlock 'hub->irq_urb_lock'}}
	md_wakeup_thread(NULL);
	if (type == HUB_INIT2 || type == HUB_INIT3)
		mutex_unlock(&hdev->mutex);
}

void ok_hub_post_reset(struct usb_hub *hub)
{
	spin_lock(&hub->irq_urb_lock);
	hub_activate(hub, HUB_POST_RESET);	// no-warning
	spin_unlock(&hub->irq_urb_lock);
}

void bad_hub_init3(struct usb_hub *hub)
{
	spin_lock(&hub->irq_urb_lock);		// expected-note{{'hub->irq_urb_lock' acquired here in 'bad_hub_init3'}}
	hub_activate(hub, HUB_INIT3);		// expected-note{{'bad_hub_init3' calls 'hub_activate' here}}
	spin_unlock(&hub->irq_urb_lock);
}

// ---- 4. a local set under a parameter (mm/slub.c) ----------------------

struct slab { struct slab *next; int slabs; };
struct kmem_cache_node { spinlock_t list_lock; };
struct kmem_cache { struct slab *partial; int cpu_partial_slabs;
		    struct kmem_cache_node *node; };

static void __put_partials(struct kmem_cache *s, struct slab *slab)
{
	spin_lock(&s->node->list_lock);		// expected-warning{{'s->node->list_lock' acquired while already holding 's->node->list_lock'; possible recursive locking}}
						// expected-note@Inputs/kernel.h:72 {{'s->node->list_lock' acquired here in 'spin_lock'}}
	spin_unlock(&s->node->list_lock);
}

static void put_cpu_partial(struct kmem_cache *s, struct slab *slab, int drain)
{
	struct slab *oldslab = s->partial;
	struct slab *slab_to_put = NULL;

	if (oldslab) {
		if (drain && oldslab->slabs >= s->cpu_partial_slabs) {
			slab_to_put = oldslab;
			oldslab = NULL;
		}
	}
	slab->next = oldslab;
	s->partial = slab;
	if (slab_to_put)
		__put_partials(s, slab_to_put);	// expected-note{{'put_cpu_partial' calls '__put_partials' here}}
}

// get_partial_node(): put_cpu_partial(s, slab, 0) under list_lock.
void ok_get_partial_node(struct kmem_cache *s, struct slab *slab)
{
	spin_lock(&s->node->list_lock);
	put_cpu_partial(s, slab, 0);		// no-warning
	spin_unlock(&s->node->list_lock);
}

void bad_get_partial_drain(struct kmem_cache *s, struct slab *slab)
{
	spin_lock(&s->node->list_lock);		// expected-note{{'s->node->list_lock' acquired here in 'bad_get_partial_drain'}}
	put_cpu_partial(s, slab, 1);		// expected-note{{'bad_get_partial_drain' calls 'put_cpu_partial' here}}
	spin_unlock(&s->node->list_lock);
}

// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// lock-class-objects.c - two locks of one class held at once are recursive
// locking for certain only when they are the very same object, or when
// every lock of the class gets the one key this unit sees.  A unit that
// does not see how the class is initialised (the init is in another file)
// cannot know whether lockdep gives two objects one class: that is left
// to `lockorder check`, which sees every unit's keys.  lock_set_cmp_fn()
// and lockdep_set_subclass() make a class's objects nest as lockdep
// allows.  The same object taken twice is reported whatever the keys.
// Counting semaphores are not tracked by lockdep: in no cycle.

#include "kvm.h"

// drivers/base/dd.c __device_driver_lock(): the parent, then the child.
// dev->mutex is initialised (and made novalidate) in drivers/base/core.c.
struct device_type { int need_parent_lock; };
struct device { struct mutex mutex; struct device *parent; const struct device_type *type; };

static inline void device_lock(struct device *dev)
{
	mutex_lock(&dev->mutex);	// expected-warning{{'dev->mutex' acquired while already holding 'dev->mutex'; possible recursive locking}}
}

static inline void device_unlock(struct device *dev)
{
	mutex_unlock(&dev->mutex);
}

void ok_device_driver_lock(struct device *dev, struct device *parent)
{
	if (dev->type && dev->type->need_parent_lock && parent)
		device_lock(parent);
	device_lock(dev);		// no-warning: two devices, keys not in sight
	device_unlock(dev);
	if (parent)
		device_unlock(parent);
}

void ok_child_under_parent(struct device *udev)
{
	device_lock(udev->parent);
	device_lock(udev);		// no-warning
	device_unlock(udev);
	device_unlock(udev->parent);
}

// The very same device locked twice is a self-deadlock, whatever the keys.
void bad_device_lock_twice(struct device *dev)
{
	device_lock(dev);		// expected-note{{'dev->mutex' acquired here in 'bad_device_lock_twice'}}
	device_lock(dev);		// expected-note{{'bad_device_lock_twice' calls 'device_lock' here}}
	device_unlock(dev);
	device_unlock(dev);
}

void bad_same_mutex_twice(struct device *dev)
{
	mutex_lock(&dev->mutex);	// expected-note{{'dev->mutex' acquired here in 'bad_same_mutex_twice'}}
	mutex_lock(&dev->mutex);	// expected-warning{{'dev->mutex' acquired while already holding 'dev->mutex'; possible recursive locking}}
	mutex_unlock(&dev->mutex);
	mutex_unlock(&dev->mutex);
}

// net/ipv4/inet_connection_sock.c: a bhash bucket, then a bhash2 one; both
// tables are initialised in net/ipv4/tcp.c tcp_init(), at two places.
struct inet_bind_hashbucket { spinlock_t lock; };
struct inet_hashinfo { struct inet_bind_hashbucket *bhash, *bhash2; };

void ok_bhash_then_bhash2_elsewhere_keyed(struct inet_hashinfo *h, int i, int j)
{
	struct inet_bind_hashbucket *head = &h->bhash[i];
	struct inet_bind_hashbucket *head2 = &h->bhash2[j];

	spin_lock(&head->lock);
	spin_lock(&head2->lock);	// no-warning: keys not in sight
	spin_unlock(&head2->lock);
	spin_unlock(&head->lock);
}

// fs/d_path.c prepend_path(): two static seqlocks, each its own object
// (lockdep keys a static lock by its address).
typedef struct { spinlock_t lock; unsigned sequence; } seqlock_t;
static seqlock_t mount_lock, rename_lock;

static inline void read_seqlock_excl(seqlock_t *sl)
{
	spin_lock(&sl->lock);		// expected-warning{{'sl->lock' acquired while already holding 'sl->lock'; possible recursive locking}}
					// expected-note@Inputs/kernel.h:72 {{'sl->lock' acquired here in 'spin_lock'}}
}

static inline void read_sequnlock_excl(seqlock_t *sl)
{
	spin_unlock(&sl->lock);
}

void ok_mount_then_rename(void)
{
	read_seqlock_excl(&mount_lock);
	read_seqlock_excl(&rename_lock);	// no-warning: two globals
	read_sequnlock_excl(&rename_lock);
	read_sequnlock_excl(&mount_lock);
}

void bad_rename_lock_twice(void)
{
	read_seqlock_excl(&rename_lock);	// expected-note{{'sl->lock' acquired here in 'bad_rename_lock_twice'}}
	read_seqlock_excl(&rename_lock);	// expected-note{{'bad_rename_lock_twice' calls 'read_seqlock_excl' here}}
	read_sequnlock_excl(&rename_lock);
	read_sequnlock_excl(&rename_lock);
}

// drivers/char/random.c: base_crng and input_pool, two static structs of
// anonymous types, each with its own lock.
static struct { spinlock_t lock; unsigned long generation; } base_crng;
static struct { spinlock_t lock; unsigned init_bits; } input_pool;

void ok_extract_entropy_under_crng(void)
{
	spin_lock(&base_crng.lock);
	spin_lock(&input_pool.lock);	// no-warning: two globals
	spin_unlock(&input_pool.lock);
	spin_unlock(&base_crng.lock);
}

// net/unix/af_unix.c: unix_create1() gives the class an order function,
// and unix_state_double_lock() takes two sockets in that order.
struct unix_sock { spinlock_t lock; };
int unix_state_lock_cmp_fn(const struct lockdep_map *a, const struct lockdep_map *b);

void unix_create1(struct unix_sock *u)
{
	spin_lock_init(&u->lock);
	lock_set_cmp_fn(&u->lock, unix_state_lock_cmp_fn, NULL);
}

void ok_unix_state_double_lock(struct unix_sock *sk1, struct unix_sock *sk2)
{
	if (sk1 > sk2) {
		struct unix_sock *t = sk1;

		sk1 = sk2;
		sk2 = t;
	}
	spin_lock(&sk1->lock);
	spin_lock(&sk2->lock);		// no-warning: ordered by the cmp function
	spin_unlock(&sk2->lock);
	spin_unlock(&sk1->lock);
}

void ok_unix_stream_connect(struct unix_sock *other, struct unix_sock *sk)
{
	spin_lock(&other->lock);
	spin_lock(&sk->lock);		// no-warning: the cmp function orders them
	spin_unlock(&sk->lock);
	spin_unlock(&other->lock);
}

// drivers/gpu/drm/i915/i915_scheduler.c i915_sched_engine_create(): one
// init, then a subclass per engine kind (physical, virtual).
struct i915_sched_engine { spinlock_t lock; };

void i915_sched_engine_create(struct i915_sched_engine *se, int subclass)
{
	spin_lock_init(&se->lock);
	lockdep_set_subclass(&se->lock, subclass);
}

void ok_virtual_under_physical(struct i915_sched_engine *phys,
			       struct i915_sched_engine *virt)
{
	spin_lock(&phys->lock);
	spin_lock(&virt->lock);		// no-warning: subclasses set at run time
	spin_unlock(&virt->lock);
	spin_unlock(&phys->lock);
}

// A store between the two acquisitions may change what the path reads:
// resubmit_virtual_request() moves rq->engine before submitting.
struct intel_engine_cs { struct i915_sched_engine *sched_engine; };
struct i915_request { struct intel_engine_cs *engine; };

void ok_resubmit_virtual_request(struct i915_request *rq,
				 struct intel_engine_cs *ve)
{
	spin_lock(&rq->engine->sched_engine->lock);
	rq->engine = ve;
	spin_lock(&rq->engine->sched_engine->lock);	// no-warning
	spin_unlock(&rq->engine->sched_engine->lock);
}

// drivers/md/dm.c: a counting semaphore taken under a mutex here and the
// mutex taken under the semaphore there is no cycle lockdep sees.
struct mapped_device { struct mutex swap_bios_lock; struct semaphore swap_bios_semaphore; };

void ok_set_swap_bios_limit(struct mapped_device *md)
{
	mutex_lock(&md->swap_bios_lock);
	down(&md->swap_bios_semaphore);		// no-warning
	up(&md->swap_bios_semaphore);
	mutex_unlock(&md->swap_bios_lock);
}

void ok_map_bio(struct mapped_device *md)
{
	down(&md->swap_bios_semaphore);
	mutex_lock(&md->swap_bios_lock);	// no-warning: semaphores are in no cycle
	mutex_unlock(&md->swap_bios_lock);
	up(&md->swap_bios_semaphore);
}

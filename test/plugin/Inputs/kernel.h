/*
 * kernel.h - the Linux locking API as a CONFIG_PROVE_LOCKING build expands
 * it, for the lockorder plugin tests.
 *
 * Only what the tests use, but each name and each macro layer is the
 * kernel's: mutex_lock() is mutex_lock_nested(l, 0); spin_lock() and
 * srcu_read_lock() are static inlines; spin_lock_irqsave() goes through
 * spinlock_check(); lockdep_assert_held() is a call to lock_is_held_type()
 * on the lock's dep_map; guard(mutex)() is a cleanup-attribute variable.
 *
 * Tests point notes at lines of this file
 * (expected-note@Inputs/kernel.h:LINE): add at the end, never in between.
 */
#ifndef LOCKORDER_TEST_KERNEL_H
#define LOCKORDER_TEST_KERNEL_H

#define NULL			((void *)0)
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define BUG()			do { __builtin_trap(); } while (0)
#define EINTR			4
#define EINVAL			22
#define SINGLE_DEPTH_NESTING	1

void cond_resched(void);

struct lock_class_key; struct lockdep_map { int x; struct lock_class_key *key; const char *name; };

/* ---- mutex ---------------------------------------------------------- */

struct mutex { int owner; struct lockdep_map dep_map; };

void mutex_lock_nested(struct mutex *lock, unsigned int subclass);
#define mutex_lock(l) mutex_lock_nested(l, 0)
int mutex_lock_interruptible_nested(struct mutex *lock, unsigned int subclass);
#define mutex_lock_interruptible(l) mutex_lock_interruptible_nested(l, 0)
int mutex_lock_killable_nested(struct mutex *lock, unsigned int subclass);
#define mutex_lock_killable(l) mutex_lock_killable_nested(l, 0)
int mutex_trylock(struct mutex *lock);
void mutex_unlock(struct mutex *lock);

/* ---- spinlock_t and raw_spinlock_t ---------------------------------- */

struct raw_spinlock { int raw; struct lockdep_map dep_map; };
typedef struct raw_spinlock raw_spinlock_t;

typedef struct spinlock {
	union {
		struct raw_spinlock rlock;
		struct {
			unsigned char __padding[sizeof(int)];
			struct lockdep_map dep_map;
		};
	};
} spinlock_t;

void _raw_spin_lock(raw_spinlock_t *lock);
void _raw_spin_unlock(raw_spinlock_t *lock);
unsigned long _raw_spin_lock_irqsave(raw_spinlock_t *lock);
void _raw_spin_unlock_irqrestore(raw_spinlock_t *lock, unsigned long flags);

#define raw_spin_lock(lock)	_raw_spin_lock(lock)
#define raw_spin_unlock(lock)	_raw_spin_unlock(lock)

static inline raw_spinlock_t *spinlock_check(spinlock_t *lock)
{
	return &lock->rlock;
}

static inline void spin_lock(spinlock_t *lock)
{
	raw_spin_lock(&lock->rlock);
}

static inline void spin_unlock(spinlock_t *lock)
{
	raw_spin_unlock(&lock->rlock);
}

#define spin_lock_irqsave(lock, flags)				\
do {								\
	flags = _raw_spin_lock_irqsave(spinlock_check(lock));	\
} while (0)

static inline void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
{
	_raw_spin_unlock_irqrestore(&lock->rlock, flags);
}

/* ---- rwlock_t -------------------------------------------------------- */

typedef struct { int raw; struct lockdep_map dep_map; } rwlock_t;

void _raw_read_lock(rwlock_t *lock);
void _raw_read_unlock(rwlock_t *lock);
void _raw_write_lock(rwlock_t *lock);
void _raw_write_unlock(rwlock_t *lock);

#define read_lock(lock)		_raw_read_lock(lock)
#define read_unlock(lock)	_raw_read_unlock(lock)
#define write_lock(lock)	_raw_write_lock(lock)
#define write_unlock(lock)	_raw_write_unlock(lock)

/* ---- rw_semaphore ---------------------------------------------------- */

struct rw_semaphore { long count; struct lockdep_map dep_map; };

void down_read(struct rw_semaphore *sem);
void up_read(struct rw_semaphore *sem);
void down_write(struct rw_semaphore *sem);
void up_write(struct rw_semaphore *sem);

/* ---- SRCU and RCU ---------------------------------------------------- */

struct srcu_struct { int srcu_idx; struct lockdep_map dep_map; };

int __srcu_read_lock(struct srcu_struct *ssp);
void __srcu_read_unlock(struct srcu_struct *ssp, int idx);

/* The rules declare srcu_read_lock() itself; a rule wins over a body. */
static inline int srcu_read_lock(struct srcu_struct *ssp)
{
	return __srcu_read_lock(ssp);
}

static inline void srcu_read_unlock(struct srcu_struct *ssp, int idx)
{
	__srcu_read_unlock(ssp, idx);
}

void synchronize_srcu(struct srcu_struct *ssp);
void synchronize_srcu_expedited(struct srcu_struct *ssp);

void __rcu_read_lock(void);
void __rcu_read_unlock(void);

static inline void rcu_read_lock(void)
{
	__rcu_read_lock();
}

static inline void rcu_read_unlock(void)
{
	__rcu_read_unlock();
}

/* ---- lockdep --------------------------------------------------------- */

int lock_is_held_type(const struct lockdep_map *lock, int read);
#define lockdep_assert_held(l)	\
	do { (void)lock_is_held_type(&(l)->dep_map, -1); } while (0)

/* ---- CPU hotplug ----------------------------------------------------- */

void cpus_read_lock(void);
void cpus_read_unlock(void);

/* ---- scope-based cleanup (include/linux/cleanup.h) ------------------- */

#define __cleanup(func)		__attribute__((__cleanup__(func)))
#define ___PASTE(a, b)		a##b
#define __PASTE(a, b)		___PASTE(a, b)
#define __UNIQUE_ID(prefix)	__PASTE(__PASTE(__UNIQUE_ID_, prefix), __COUNTER__)

#define CLASS(_name, var)						\
	class_##_name##_t var __cleanup(class_##_name##_destructor) =	\
		class_##_name##_constructor

#define guard(_name)	CLASS(_name, __UNIQUE_ID(guard))

/* DEFINE_GUARD(mutex, struct mutex *, mutex_lock(_T), mutex_unlock(_T)) */
typedef struct mutex *class_mutex_t;

static inline void class_mutex_destructor(class_mutex_t *p)
{
	if (*p)
		mutex_unlock(*p);
}

static inline class_mutex_t class_mutex_constructor(struct mutex *m)
{
	mutex_lock(m);
	return m;
}

/* DEFINE_LOCK_GUARD_1(raw_spinlock_irqsave, raw_spinlock_t,
 *		       raw_spin_lock_irqsave(_T->lock, _T->flags),
 *		       raw_spin_unlock_irqrestore(_T->lock, _T->flags),
 *		       unsigned long flags): the guard is a struct holding the
 * lock pointer, returned by value from the constructor. */
#define raw_spin_lock_irqsave(lock, flags)	\
	do { flags = _raw_spin_lock_irqsave(lock); } while (0)
#define raw_spin_unlock_irqrestore(lock, flags)	\
	_raw_spin_unlock_irqrestore(lock, flags)

typedef struct {
	raw_spinlock_t *lock;
	unsigned long flags;
} class_raw_spinlock_irqsave_t;

static inline void
class_raw_spinlock_irqsave_destructor(class_raw_spinlock_irqsave_t *_T)
{
	if (_T->lock) { raw_spin_unlock_irqrestore(_T->lock, _T->flags); }
}

static inline class_raw_spinlock_irqsave_t
class_raw_spinlock_irqsave_constructor(raw_spinlock_t *l)
{
	class_raw_spinlock_irqsave_t _t = { .lock = l }, *_T = &_t;
	raw_spin_lock_irqsave(_T->lock, _T->flags);
	return _t;
}

/* ---- semaphore (not lockdep-tracked) ---------------------------------- */

struct semaphore { int count; };

void down(struct semaphore *sem);
void up(struct semaphore *sem);
int down_trylock(struct semaphore *sem);
int atomic_dec_and_mutex_lock(int *cnt, struct mutex *lock);

/* ---- nest_lock (lockdep): several of one class under a nest lock ------ */

void _down_write_nest_lock(struct rw_semaphore *sem, struct lockdep_map *nest);
#define down_write_nest_lock(sem, nest)	\
	_down_write_nest_lock(sem, &(nest)->dep_map)

/* ---- lock class keys (lockdep.h, mutex.h, spinlock.h) ------------------ */

struct lock_class_key { int k; };
void lockdep_init_map_type(struct lockdep_map *lock, const char *name,
			   struct lock_class_key *key, int subclass,
			   unsigned char inner, unsigned char outer,
			   unsigned char type);
#define lockdep_set_class_and_name(lock, key, name)	\
	lockdep_init_map_type(&(lock)->dep_map, name, key, 0, 0, 0, 0)
#define lockdep_set_class(lock, key)	lockdep_set_class_and_name(lock, key, #key)
extern struct lock_class_key __lockdep_no_validate__;
#define lockdep_set_novalidate_class(lock)	\
	lockdep_set_class_and_name(lock, &__lockdep_no_validate__, #lock)
void __mutex_init(struct mutex *lock, const char *name, struct lock_class_key *key);
#define mutex_init(m)	\
	do { static struct lock_class_key __key; __mutex_init((m), #m, &__key); } while (0)
void __raw_spin_lock_init(raw_spinlock_t *lock, const char *name,
			  struct lock_class_key *key, short type);
#define spin_lock_init(l)	\
	do { static struct lock_class_key __key;	\
	     __raw_spin_lock_init(spinlock_check(l), #l, &__key, 0); } while (0)
/* lockdep_set_subclass() keeps the lock's key and name, with a subclass */
#define lockdep_set_subclass(lock, sub)	\
	lockdep_init_map_type(&(lock)->dep_map, (lock)->dep_map.name,	\
			      (lock)->dep_map.key, sub, 0, 0, 0)
typedef int (*lock_cmp_fn)(const struct lockdep_map *a, const struct lockdep_map *b);
typedef void (*lock_print_fn)(const struct lockdep_map *map);
void lockdep_set_lock_cmp_fn(struct lockdep_map *, lock_cmp_fn, lock_print_fn);
#define lock_set_cmp_fn(lock, ...)	lockdep_set_lock_cmp_fn(&(lock)->dep_map, __VA_ARGS__)
void __init_rwsem(struct rw_semaphore *sem, const char *name, struct lock_class_key *key);
#define init_rwsem(sem)	\
	do { static struct lock_class_key __key; __init_rwsem((sem), #sem, &__key); } while (0)

#endif /* LOCKORDER_TEST_KERNEL_H */

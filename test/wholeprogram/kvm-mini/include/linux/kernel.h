/*
 * linux/kernel.h - the parts of the Linux API kvm-mini uses, expanded as a
 * CONFIG_PROVE_LOCKING build expands them (adapted from
 * test/plugin/Inputs/kernel.h): mutex_lock(l) is mutex_lock_nested(l, 0),
 * srcu_read_lock() is a static inline, and static calls are the
 * __SCT__/__SCK__ pair of include/linux/static_call.h.  No system header
 * is used: the tree is compiled with -nostdinc, like the kernel.
 */
#ifndef KVM_MINI_LINUX_KERNEL_H
#define KVM_MINI_LINUX_KERNEL_H

#define NULL		((void *)0)
#define EINTR		4
#define EINVAL		22
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

typedef unsigned long long u64;
typedef unsigned int u32;

void *memcpy(void *dst, const void *src, unsigned long n);

struct lockdep_map { int x; };

/* ---- mutex ---------------------------------------------------------- */

struct mutex { int owner; struct lockdep_map dep_map; };

void mutex_lock_nested(struct mutex *lock, unsigned int subclass);
#define mutex_lock(l) mutex_lock_nested(l, 0)
int mutex_lock_killable_nested(struct mutex *lock, unsigned int subclass);
#define mutex_lock_killable(l) mutex_lock_killable_nested(l, 0)
void mutex_unlock(struct mutex *lock);

/* ---- SRCU ------------------------------------------------------------ */

struct srcu_struct { int srcu_idx; struct lockdep_map dep_map; };

int __srcu_read_lock(struct srcu_struct *ssp);
void __srcu_read_unlock(struct srcu_struct *ssp, int idx);

static inline int srcu_read_lock(struct srcu_struct *ssp)
{
	return __srcu_read_lock(ssp);
}

static inline void srcu_read_unlock(struct srcu_struct *ssp, int idx)
{
	__srcu_read_unlock(ssp, idx);
}

void synchronize_srcu(struct srcu_struct *ssp);

/* ---- static calls (include/linux/static_call.h, x86) ----------------- */

struct static_call_key { void *func; };

#define STATIC_CALL_KEY(name)		__SCK__##name
#define STATIC_CALL_TRAMP(name)		__SCT__##name
#define STATIC_CALL_TRAMP_ADDR(name)	&STATIC_CALL_TRAMP(name)

#define DECLARE_STATIC_CALL(name, func)					\
	extern struct static_call_key STATIC_CALL_KEY(name);		\
	extern typeof(func) STATIC_CALL_TRAMP(name)

#define DEFINE_STATIC_CALL_NULL(name, _func)				\
	DECLARE_STATIC_CALL(name, _func);				\
	struct static_call_key STATIC_CALL_KEY(name) = { .func = NULL }

#define static_call(name)						\
	((typeof(STATIC_CALL_TRAMP(name)) *)(STATIC_CALL_TRAMP(name)))

void __static_call_update(struct static_call_key *key, void *tramp,
			  void *func);

#define static_call_update(name, func)					\
({									\
	typeof(&STATIC_CALL_TRAMP(name)) __F = (func);			\
	__static_call_update(&STATIC_CALL_KEY(name),			\
			     STATIC_CALL_TRAMP_ADDR(name), __F);	\
})

#endif /* KVM_MINI_LINUX_KERNEL_H */

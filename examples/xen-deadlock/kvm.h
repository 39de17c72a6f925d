/*
 * kvm.h - a small stand-in for the kernel headers the Xen deadlock example needs.
 *
 * It declares what the real headers declare once a CONFIG_PROVE_LOCKING x86_64 build
 * has preprocessed them, and nothing else: the struct and field names of
 * include/linux/kvm_host.h and arch/x86/include/asm/kvm_host.h (so that the rules'
 * kvm->lock, vcpu->mutex, kvm->srcu and kvm->arch.xen.xen_lock resolve), and the lock
 * API under the names rules/linux.lockorder declares (mutex_lock is a macro for
 * mutex_lock_nested(l, 0); srcu_read_lock is a static inline around __srcu_read_lock).
 * The layout is 6.12's; in 6.1 struct kvm_xen had no xen_lock, which xen-deadlock.c
 * (the 6.1 code) simply does not use.
 *
 * No system headers: the example must compile with -nostdinc.
 */
#ifndef XEN_DEADLOCK_KVM_H
#define XEN_DEADLOCK_KVM_H

typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef long long s64;
typedef u64 gpa_t;
typedef _Bool bool;
#define true 1
#define false 0
#define NULL ((void *)0)

#define ENOENT 2
#define EINTR 4
#define ENOMEM 12
#define EFAULT 14
#define EINVAL 22
#define ENOSYS 38
#define ENOTCONN 107
#define EWOULDBLOCK 11

/* --- include/linux/lockdep_types.h, mutex_types.h, spinlock_types.h, srcutree.h --- */

struct lockdep_map {
	const char *name;
};

struct mutex {
	long owner;
	struct lockdep_map dep_map;	/* CONFIG_DEBUG_LOCK_ALLOC */
};

typedef struct {
	u32 cnts;
	struct lockdep_map dep_map;
} rwlock_t;

struct raw_spinlock {
	u32 raw_lock;
	struct lockdep_map dep_map;
};
typedef struct spinlock {
	struct raw_spinlock rlock;
} spinlock_t;

struct srcu_struct {
	void *srcu_sup;
	struct lockdep_map dep_map;
};

/* --- include/linux/mutex.h, with CONFIG_DEBUG_LOCK_ALLOC --- */

extern void mutex_lock_nested(struct mutex *lock, unsigned int subclass);
extern int mutex_lock_killable_nested(struct mutex *lock, unsigned int subclass);
extern void mutex_unlock(struct mutex *lock);

#define mutex_lock(lock) mutex_lock_nested(lock, 0)
#define mutex_lock_killable(lock) mutex_lock_killable_nested(lock, 0)

/* --- include/linux/srcu.h (lockdep calls left out of the inline bodies) --- */

extern int __srcu_read_lock(struct srcu_struct *ssp);
extern void __srcu_read_unlock(struct srcu_struct *ssp, int idx);
extern void synchronize_srcu(struct srcu_struct *ssp);

static inline int srcu_read_lock(struct srcu_struct *ssp)
{
	int retval;

	retval = __srcu_read_lock(ssp);
	return retval;
}

static inline void srcu_read_unlock(struct srcu_struct *ssp, int idx)
{
	__srcu_read_unlock(ssp, idx);
}

/* --- include/linux/rcupdate.h --- */

extern void __rcu_read_lock(void);
extern void __rcu_read_unlock(void);

static inline void rcu_read_lock(void)
{
	__rcu_read_lock();
}

static inline void rcu_read_unlock(void)
{
	__rcu_read_unlock();
}

/* --- arch/x86/include/asm/kvm_host.h --- */

struct kvm_hv {
	struct mutex hv_lock;
};

struct gfn_to_pfn_cache {
	u64 gpa;
	void *khva;
	bool active;
};

struct idr {
	void *idr_rt;
};

struct kvm_xen {
	struct mutex xen_lock;		/* 6.12; not in 6.1 */
	u32 xen_version;
	bool long_mode;
	struct gfn_to_pfn_cache shinfo_cache;
	struct idr evtchn_ports;
};

struct kvm_xen_hvm_config {
	u32 flags;
	u32 msr;
};

struct kvm_arch {
	spinlock_t mmu_unsync_pages_lock;
	struct kvm_hv hyperv;		/* CONFIG_KVM_HYPERV in 6.12 */
	struct kvm_xen xen;		/* CONFIG_KVM_XEN in 6.12 */
	struct kvm_xen_hvm_config xen_hvm_config;
	spinlock_t tdp_mmu_pages_lock;	/* CONFIG_X86_64 */
};

/* --- include/linux/kvm_host.h --- */

struct kvm {
	rwlock_t mmu_lock;		/* KVM_HAVE_MMU_RWLOCK on x86 */
	struct mutex slots_lock;
	struct mutex slots_arch_lock;
	struct mutex lock;
	struct kvm_arch arch;
	struct mutex irq_lock;
	struct srcu_struct srcu;
	struct srcu_struct irq_srcu;
};

struct kvm_vcpu {
	struct kvm *kvm;
	int vcpu_id;
	struct mutex mutex;
	int srcu_depth;			/* CONFIG_PROVE_RCU */
	int ____srcu_idx;
	u32 exit_reason;		/* stands in for vmx->exit_reason */
	u64 regs_rax;			/* stands in for kvm_register_read(vcpu, VCPU_REGS_RAX) */
};

extern struct mutex kvm_lock;

/* include/linux/kvm_host.h: static inline in 6.1 and 6.12, no rule needed. */
static inline void kvm_vcpu_srcu_read_lock(struct kvm_vcpu *vcpu)
{
	vcpu->srcu_depth++;		/* WARN_ONCE(vcpu->srcu_depth++, ...) */
	vcpu->____srcu_idx = srcu_read_lock(&vcpu->kvm->srcu);
}

static inline void kvm_vcpu_srcu_read_unlock(struct kvm_vcpu *vcpu)
{
	srcu_read_unlock(&vcpu->kvm->srcu, vcpu->____srcu_idx);
	vcpu->srcu_depth--;
}

/* --- what the example calls but does not model: no lock effects --- */

struct file {
	void *private_data;
};

struct file_operations {
	long (*unlocked_ioctl)(struct file *, unsigned int, unsigned long);
};

struct kvm_xen_evtchn {
	u32 port;
	u32 vcpu_id;
	u32 priority;
};

struct eventfd_ctx;

struct evtchnfd {
	u32 send_port;
	u32 type;
	union {
		struct kvm_xen_evtchn port;
		struct {
			u32 port;
			struct eventfd_ctx *ctx;
		} eventfd;
	} deliver;
};

struct evtchn_send {
	u32 port;
};

struct kvm_xen_hvm_attr {
	u32 type;
	union {
		struct {
			u32 send_port;
			u32 flags;
		} evtchn;
	} u;
};

#define KVM_RUN			0xae80
#define KVM_XEN_HVM_SET_ATTR	0x4048aec9
#define KVM_XEN_ATTR_TYPE_EVTCHN	0x3
#define KVM_XEN_EVTCHN_RESET	(1 << 2)
#define EXIT_REASON_VMCALL	18
#define EXIT_REASON_MSR_WRITE	32
#define __HYPERVISOR_event_channel_op	32
#define EVTCHNOP_send		4

extern int kvm_xen_set_evtchn_fast(struct kvm_xen_evtchn *xe, struct kvm *kvm);
extern int kvm_gpc_refresh(struct gfn_to_pfn_cache *gpc, unsigned long len);
extern int kvm_read_guest_virt(struct kvm_vcpu *vcpu, u64 addr, void *val, unsigned int bytes);
extern void *idr_find(const struct idr *idr, unsigned long id);
extern void *idr_remove(struct idr *idr, unsigned long id);
extern void *idr_get_next(struct idr *idr, int *nextid);
extern void eventfd_signal(struct eventfd_ctx *ctx);
extern void eventfd_ctx_put(struct eventfd_ctx *ctx);
extern void kfree(const void *p);
extern void *kmalloc_array(unsigned long n, unsigned long size);
extern int copy_from_user(void *to, const void *from, unsigned long n);
extern int vmx_vcpu_run(struct kvm_vcpu *vcpu);
extern u64 kvm_rdi_read(struct kvm_vcpu *vcpu);
extern u64 kvm_rsi_read(struct kvm_vcpu *vcpu);
extern bool kvm_xen_hypercall_enabled(struct kvm *kvm);	/* static inline in xen.h */
extern int kvm_xen_hcall_sched_op(struct kvm_vcpu *vcpu, u64 cmd, u64 param, u64 *r);

/* include/linux/idr.h */
#define idr_for_each_entry(idr, entry, id)			\
	for (id = 0; ((entry) = idr_get_next(idr, &(id))) != NULL; id += 1U)

#endif /* XEN_DEADLOCK_KVM_H */

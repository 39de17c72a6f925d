// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// param-conditions.c - what the path to an acquisition assumes of the
// function's parameters goes with it into the summary: a caller passing a
// value that contradicts it never reaches the acquisition.
//
// In Linux 6.1, irqfd_resampler_ack() calls kvm_set_irq(..., level = 0),
// which calls each routing entry's set function; the Xen one,
// evtchn_set_fn(), returns at once for level 0 and takes kvm->lock only
// otherwise.  svm_cache_reg() switches on the register it is asked for and
// reaches kvm->mmu_lock for VCPU_EXREG_PDPTR only.

#include "kvm.h"

// Reached with vcpu->mutex held by bad_level_unknown directly and by
// bad_level_one through set_irq(): one finding, here, with the shorter
// chain in full and the other as a note.
static int evtchn_set_fn(struct kvm *kvm, int level)
{
	if (!level)
		return -EINVAL;
	mutex_lock(&kvm->lock);		// expected-warning{{'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'}}
					// expected-note@Inputs/test.lockorder:81 {{rule stated here}}
	mutex_unlock(&kvm->lock);
	return 0;
}

// The condition is carried through a caller passing its own parameter on.
static int set_irq(struct kvm *kvm, int level)
{
	return evtchn_set_fn(kvm, level);
}

enum { EXREG_CR4 = 4, EXREG_PDPTR = 7 };

static void cache_reg(struct kvm *kvm, int reg)
{
	switch (reg) {
	case EXREG_PDPTR:
		mutex_lock(&kvm->lock);	// expected-warning{{'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'}}
					// expected-note@Inputs/test.lockorder:81 {{rule stated here}}
		mutex_unlock(&kvm->lock);
		break;
	case EXREG_CR4:
	default:
		break;
	}
}

void ok_level_zero(struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->mutex);
	evtchn_set_fn(vcpu->kvm, 0);	// no-warning
	set_irq(vcpu->kvm, 0);		// no-warning
	mutex_unlock(&vcpu->mutex);
}

void ok_other_register(struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->mutex);
	cache_reg(vcpu->kvm, EXREG_CR4);	// no-warning
	mutex_unlock(&vcpu->mutex);
}

void ok_level_known_zero(struct kvm_vcpu *vcpu, int level)
{
	if (level)
		return;
	mutex_lock(&vcpu->mutex);
	set_irq(vcpu->kvm, level);	// no-warning
	mutex_unlock(&vcpu->mutex);
}

void bad_level_one(struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->mutex);	// expected-note{{'vcpu->mutex' acquired here in 'bad_level_one'}}
	set_irq(vcpu->kvm, 1);		// expected-note-re{{also reached from 'bad_level_one' ({{.*}}param-conditions.c:77)}}
	cache_reg(vcpu->kvm, EXREG_PDPTR);	// expected-note{{'bad_level_one' calls 'cache_reg' here}}
	mutex_unlock(&vcpu->mutex);
}

// Nothing is known of the level: the acquisition may happen.
void bad_level_unknown(struct kvm_vcpu *vcpu, int level)
{
	mutex_lock(&vcpu->mutex);	// expected-note{{'vcpu->mutex' acquired here in 'bad_level_unknown'}}
	evtchn_set_fn(vcpu->kvm, level);	// expected-note{{'bad_level_unknown' calls 'evtchn_set_fn' here}}
	mutex_unlock(&vcpu->mutex);
}

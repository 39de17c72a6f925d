/* broken.c - does not compile: check-compile-error.test. */
#include <linux/kvm_host.h>

void broken(struct kvm *kvm)
{
	mutex_lock(&kvm->no_such_lock);
}

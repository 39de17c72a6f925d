/* good.c - compiles; takes kvm->lock and nothing else. */
#include <linux/kvm_host.h>

void good(struct kvm *kvm)
{
	mutex_lock(&kvm->lock);
	mutex_unlock(&kvm->lock);
}

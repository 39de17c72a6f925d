// SPDX-License-Identifier: GPL-2.0
/*
 * foo_main.c - the device's state: open takes state_lock, then applies the
 * configuration under cfg_lock (foo_apply_cfg(), foo_ioctl.c).
 */
#include "foo.h"

int foo_set_state(struct foo_dev *foo, int state)
{
	mutex_lock(&foo->state_lock);
	foo->state = state;
	mutex_unlock(&foo->state_lock);
	return 0;
}

int foo_open(struct foo_dev *foo)
{
	int ret;

	mutex_lock(&foo->state_lock);
	ret = foo_apply_cfg(foo);
	if (!ret)
		foo->state = 1;
	mutex_unlock(&foo->state_lock);
	return ret;
}

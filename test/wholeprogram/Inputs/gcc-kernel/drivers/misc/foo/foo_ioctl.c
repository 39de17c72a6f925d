// SPDX-License-Identifier: GPL-2.0
/*
 * foo_ioctl.c - the configuration ioctls.  The bug: setting the rate holds
 * cfg_lock while it resets the state machine, which takes state_lock;
 * foo_open() (foo_main.c) takes them the other way round.  Neither file
 * shows the inversion alone.
 */
#include "foo.h"

int foo_apply_cfg(struct foo_dev *foo)
{
	int ret = 0;

	mutex_lock(&foo->cfg_lock);
	if (!foo->cfg.rate)
		ret = -EINVAL;
	mutex_unlock(&foo->cfg_lock);
	return ret;
}

long foo_ioctl_set_rate(struct foo_dev *foo, unsigned int rate)
{
	mutex_lock(&foo->cfg_lock);
	foo->cfg.rate = rate;
	foo_set_state(foo, 0);
	mutex_unlock(&foo->cfg_lock);
	return 0;
}

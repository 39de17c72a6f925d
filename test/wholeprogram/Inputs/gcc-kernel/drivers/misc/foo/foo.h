/* SPDX-License-Identifier: GPL-2.0 */
/*
 * foo.h - a kernel-style driver split over two files, as drivers are: the
 * device's state machine (foo_main.c) and its ioctls (foo_ioctl.c), each
 * with its own mutex.
 */
#ifndef FOO_H
#define FOO_H

#include <linux/mutex.h>

#define EINVAL	22

struct foo_cfg {
	unsigned int rate;
};

struct foo_dev {
	struct mutex state_lock;	/* protects state; taken before cfg_lock */
	struct mutex cfg_lock;		/* protects cfg */
	int state;
	struct foo_cfg cfg;
};

/* foo_main.c */
int foo_open(struct foo_dev *foo);
int foo_set_state(struct foo_dev *foo, int state);
/* foo_ioctl.c */
int foo_apply_cfg(struct foo_dev *foo);
long foo_ioctl_set_rate(struct foo_dev *foo, unsigned int rate);

#endif

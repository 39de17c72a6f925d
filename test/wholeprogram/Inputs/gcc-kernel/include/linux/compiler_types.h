/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gcc-kernel: the few attributes of include/linux/compiler_types.h the
 * driver uses, forced in by the command line as kbuild forces the real one.
 */
#ifndef __LINUX_COMPILER_TYPES_H
#define __LINUX_COMPILER_TYPES_H

#define __always_inline	inline __attribute__((__always_inline__))
#define __must_check	__attribute__((__warn_unused_result__))
#define noinline	__attribute__((__noinline__))

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gcc-kernel: what kbuild's generated compiler-version.h stands for.  The
 * real one only makes a compiler upgrade rebuild everything; every kernel
 * command line forces it in with -include, so it has to exist.
 */

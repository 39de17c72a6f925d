/*
 * build.h - what the files of `lockorder build` share: the build command
 * and how the plugin gets into it (build.c), a kernel build's KCFLAGS and
 * objects (build_kbuild.c), any other build's compiler wrapper
 * (build_cc.c).
 */
#ifndef LOCKORDER_BUILD_H
#define LOCKORDER_BUILD_H

#include "util.h"

/* The build to run, and what is learnt about it before it runs. */
struct build {
	const char *prog;   /* "lockorder build" */
	char **cmd;         /* CMD ARGS..., NULL-terminated (argv's) */
	size_t ncmd;
	int is_make;        /* CMD is make or gmake */
	char *dir;          /* the directory it builds: make -C, cmake -B... */
	/* a kernel tree: the directory holding the top Makefile that make
	 * reads, and O= (relative to DIR) or NULL */
	int kernel;
	const char *kbuild_output;
	struct strv launchers; /* ccache and the like in front of it */
	struct strv compiler;  /* the compiler the build names, words */
	struct strv argv;     /* CMD ARGS... as it will run (rewritten) */
};

/* The value of make's command-line variable NAME (NAME=, :=, ::=, +=,
 * ?=; the last one given), or NULL; *INDEX is set to its argument. */
const char *make_var(const struct build *b, const char *name, size_t *index);

/*
 * Whether B's make builds a kernel tree: B->dir (or the source tree an
 * O= build directory's generated Makefile includes) holds a Kbuild top
 * Makefile.  Sets B->kernel, B->kbuild_output and B->compiler (CC=, else
 * clang for LLVM=, else gcc, as the kernel's Makefile chooses).
 */
void kbuild_detect(struct build *b);

/*
 * Adds FLAGS (one string, words separated by spaces) to a kernel build's
 * KCFLAGS: appended to the KCFLAGS=... make argument the user gave, else
 * to $KCFLAGS in the environment (setenv), never replacing theirs.
 * Returns 0, or 2 after saying why (KCFLAGS already loads lockorder).
 */
int kbuild_inject(struct build *b, const char *flags);

/*
 * What a kernel build made, to merge, into OUT: vmlinux.a (thin: every
 * built-in object as the build left it), the lib.a archives and every
 * module of modules.order, under the object tree; the object tree itself
 * (every *.o under it) when there is no vmlinux.a (a build of a folder or
 * of one object).
 */
void kbuild_objects(const struct build *b, struct strv *out);

/* Any other build's compiler: CC= given to make, else $CC; none when
 * neither is set. */
void build_cc_detect(struct build *b);

/*
 * Any other build: CC (the make argument CC=..., and $CC for configure
 * steps and CMake) becomes the launchers the user had in front of the
 * compiler (B->launchers: ccache), then WRAPPER, the lockorder-cc that
 * runs the real compiler B->compiler (not empty) with FLAGS
 * (newline-separated) added; LOCKORDER_BUILD_CC and LOCKORDER_BUILD_FLAGS
 * carry both to it.
 */
void build_cc_inject(struct build *b, const char *wrapper, const char *flags);

/* The lockorder-cc to use: beside this lockorder (installed, or in its
 * build tree), else a symbolic link to it in TMPDIR (*TMP set to the
 * directory made, to remove at the end).  NULL after saying why. */
char *build_cc_wrapper(const char *prog, char **tmp);

/* Whether ARGV0 names lockorder-cc, and its main(). */
int build_cc_invoked(const char *argv0);
int build_cc_main(int argc, char **argv);

#endif

/*
 * build_cc.c - `lockorder build` of anything but a kernel: the compiler
 * wrapper lockorder-cc, and putting it into the build's CC.
 *
 * lockorder-cc is this same executable under another name (a symbolic
 * link installed beside lockorder; main() looks at argv[0]).  It runs the
 * real compiler, $LOCKORDER_BUILD_CC (words split at spaces, as make
 * hands $(CC) to the shell), with the plugin's flags,
 * $LOCKORDER_BUILD_FLAGS (one per line), added to every command that
 * compiles (-c, -S, or a .c input) and nothing added to a link.  Both
 * variables come from `lockorder build`; so the build must run under it,
 * a CMake configure step included (CMake keeps CC's path in its cache).
 *
 * CC is set in the environment (configure scripts, CMake's first
 * configure, make's default CC) and, for make, as a command-line
 * variable too, which beats a Makefile's own CC = ... .  Launchers the
 * user put in front of the compiler (CC="ccache clang") stay in front of
 * lockorder-cc, so a ccache hit still runs no compiler.
 *
 * What it does NOT do: distcc or icecream (the remote machine has no
 * $LOCKORDER_BUILD_CC: install a wrapper there, as
 * test/build/Inputs/distcc-build.py does), C++ (CXX: the plugin is for
 * C), or a CMake tree already configured with another compiler.
 */
#define _GNU_SOURCE /* realpath, mkdtemp */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"

#define WRAPPER "lockorder-cc"

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

int build_cc_invoked(const char *argv0)
{
	return argv0 && strcmp(base_name(argv0), WRAPPER) == 0;
}

/* The command line compiles: -c, -S, or a C source among the inputs. */
static int compiles(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-o") == 0) {
			i++;
			continue;
		}
		if (strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "-S") == 0 ||
		    (argv[i][0] != '-' && ends_with(argv[i], ".c")))
			return 1;
	}
	return 0;
}

int build_cc_main(int argc, char **argv)
{
	const char *cc = getenv("LOCKORDER_BUILD_CC");
	const char *flags = getenv("LOCKORDER_BUILD_FLAGS");
	struct strv args = { 0 };
	char *copy, *save, *w;
	int i;

	if (!cc || !*cc) {
		fputs(WRAPPER ": no compiler to run: LOCKORDER_BUILD_CC is not set\n"
		      "  (run the build, its configure step too, under 'lockorder build')\n",
		      stderr);
		return 2;
	}
	copy = xstrdup(cc);
	for (w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
		strv_push(&args, w);
	free(copy);
	if (flags && compiles(argc, argv)) {
		copy = xstrdup(flags);
		for (w = strtok_r(copy, "\n", &save); w; w = strtok_r(NULL, "\n", &save))
			strv_push(&args, w);
		free(copy);
	}
	for (i = 1; i < argc; i++)
		strv_push(&args, argv[i]);
	execvp(args.v[0], args.v);
	fprintf(stderr, WRAPPER ": cannot run '%s': %s\n", args.v[0],
		strerror(errno));
	strv_free(&args);
	return 127;
}

void build_cc_detect(struct build *b)
{
	const char *cc = make_var(b, "CC", NULL);
	char *copy, *save, *w;

	if (!cc)
		cc = getenv("CC");
	if (!cc)
		return;
	copy = xstrdup(cc);
	for (w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
		strv_push(&b->compiler, w);
	free(copy);
}

void build_cc_inject(struct build *b, const char *wrapper, const char *flags)
{
	char *cc = xstrdup(""), *real = xstrdup(""), *t;
	size_t i, at;

	for (i = 0; i < b->launchers.n; i++) {
		t = xasprintf("%s%s ", cc, b->launchers.v[i]);
		free(cc);
		cc = t;
	}
	t = xasprintf("%s%s", cc, wrapper);
	free(cc);
	cc = t;
	for (i = 0; i < b->compiler.n; i++) {
		t = xasprintf("%s%s%s", real, i ? " " : "", b->compiler.v[i]);
		free(real);
		real = t;
	}
	setenv("LOCKORDER_BUILD_CC", real, 1);
	setenv("LOCKORDER_BUILD_FLAGS", flags, 1);
	setenv("CC", cc, 1);
	if (b->is_make) {
		t = xasprintf("CC=%s", cc);
		if (make_var(b, "CC", &at)) {
			free(b->argv.v[at]);
			b->argv.v[at] = t;
		} else {
			strv_push(&b->argv, t);
			free(t);
		}
	}
	free(real);
	free(cc);
}

char *build_cc_wrapper(const char *prog, char **tmp)
{
	char exe[PATH_MAX], *beside, *a, *b, *dir, *link;
	const char *tmpdir = getenv("TMPDIR");
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int same;

	*tmp = NULL;
	if (n <= 0) {
		fprintf(stderr, "%s: cannot find this lockorder: %s\n", prog,
			strerror(errno));
		return NULL;
	}
	exe[n] = '\0';
	beside = xstrdup(exe);
	*strrchr(beside, '/') = '\0';
	a = xasprintf("%s/" WRAPPER, beside);
	b = realpath(a, NULL);
	same = b && strcmp(b, exe) == 0;
	free(b);
	free(beside);
	if (same)
		return a;
	free(a);

	/* not installed beside it: a link for this run */
	dir = xasprintf("%s/lockorder-build.XXXXXX",
			tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(dir)) {
		fprintf(stderr, "%s: cannot create a directory in '%s': %s\n", prog,
			tmpdir && *tmpdir ? tmpdir : "/tmp", strerror(errno));
		free(dir);
		return NULL;
	}
	link = xasprintf("%s/" WRAPPER, dir);
	if (symlink(exe, link) != 0) {
		fprintf(stderr, "%s: cannot create a link in '%s': %s\n", prog,
			dir, strerror(errno));
		rmdir(dir);
		free(dir);
		free(link);
		return NULL;
	}
	*tmp = dir;
	return link;
}

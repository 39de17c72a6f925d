/*
 * build_kbuild.c - `lockorder build` of a Linux kernel tree: tell a
 * kbuild make from any other, find the compiler it will use, add the
 * plugin to KCFLAGS, and after the build name what it made.
 *
 * The compiler is chosen as the kernel's top Makefile chooses it: CC=
 * given to make, else clang (with LLVM='s prefix or suffix) when LLVM is
 * set in make's arguments or the environment, else $(CROSS_COMPILE)gcc.
 * $CC in the environment does not count: the Makefile assigns CC.
 *
 * What it does NOT do: run make, parse .config (the compiler make runs is
 * what counts, and kbuild reconfigures when it changes), or know about
 * external modules (M=): those are read as a folder of objects.
 */
#define _GNU_SOURCE /* realpath */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"

static int exists(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	struct stat st;
	int ok = stat(p, &st) == 0;

	free(p);
	return ok;
}

/* DIR is the top of a kernel source tree. */
static int is_kernel_tree(const char *dir)
{
	return exists(dir, "Kbuild") && exists(dir, "Makefile") &&
	       exists(dir, "scripts/Kbuild.include");
}

/* An O= build directory's Makefile, which kbuild writes as "include
 * SRCTREE/Makefile": whether it includes a kernel tree's. */
static int includes_kernel_tree(const char *dir)
{
	char *path = xasprintf("%s/Makefile", dir), line[4096];
	FILE *f = fopen(path, "r");
	int n = 0, found = 0;

	free(path);
	if (!f)
		return 0;
	while (!found && n++ < 16 && fgets(line, sizeof(line), f)) {
		size_t len = strcspn(line, "\n");
		char *inc;

		line[len] = '\0';
		if (strncmp(line, "include ", 8) != 0 ||
		    !ends_with(line, "/Makefile"))
			continue;
		inc = line + 8;
		inc[strlen(inc) - strlen("/Makefile")] = '\0';
		if (inc[0] == '/')
			found = is_kernel_tree(inc);
		else {
			char *abs = xasprintf("%s/%s", dir, inc);

			found = is_kernel_tree(abs);
			free(abs);
		}
	}
	fclose(f);
	return found;
}

/* A make variable's assignment on the command line: NAME then one of
 * =, :=, ::=, +=, ?=. */
static const char *assigned(const char *arg, const char *name)
{
	size_t n = strlen(name);
	const char *ops[] = { "=", ":=", "::=", "+=", "?=" };
	size_t i;

	if (strncmp(arg, name, n) != 0)
		return NULL;
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (starts_with(arg + n, ops[i]))
			return arg + n + strlen(ops[i]);
	return NULL;
}

const char *make_var(const struct build *b, const char *name, size_t *index)
{
	const char *v = NULL;
	size_t i;

	if (!b->is_make)
		return NULL;
	for (i = 1; i < b->argv.n; i++) {
		const char *a = b->argv.v[i], *val;

		if (strcmp(a, "--") == 0)
			break;
		val = assigned(a, name);
		if (val) {
			v = val;
			if (index)
				*index = i;
		}
	}
	return v;
}

/* Splits S at spaces and tabs into OUT. */
static void split_words(const char *s, struct strv *out)
{
	char *copy = xstrdup(s), *save, *w;

	for (w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
		strv_push(out, w);
	free(copy);
}

void kbuild_detect(struct build *b)
{
	const char *cc, *llvm;

	if (!b->is_make || !b->dir)
		return;
	if (!is_kernel_tree(b->dir) && !includes_kernel_tree(b->dir))
		return;
	b->kernel = 1;
	b->kbuild_output = make_var(b, "O", NULL);
	if (!b->kbuild_output && getenv("KBUILD_OUTPUT") && *getenv("KBUILD_OUTPUT"))
		b->kbuild_output = getenv("KBUILD_OUTPUT");

	cc = make_var(b, "CC", NULL);
	if (cc && *cc) {
		split_words(cc, &b->compiler);
		return;
	}
	llvm = make_var(b, "LLVM", NULL);
	if (!llvm)
		llvm = getenv("LLVM");
	if (llvm && *llvm) {
		char *c;

		if (ends_with(llvm, "/"))
			c = xasprintf("%sclang", llvm);
		else if (llvm[0] == '-')
			c = xasprintf("clang%s", llvm);
		else
			c = xstrdup("clang");
		strv_push(&b->compiler, c);
		free(c);
		return;
	}
	cc = make_var(b, "CROSS_COMPILE", NULL);
	if (!cc)
		cc = getenv("CROSS_COMPILE");
	{
		char *c = xasprintf("%sgcc", cc ? cc : "");

		strv_push(&b->compiler, c);
		free(c);
	}
}

/* A KCFLAGS that already loads the plugin. */
static int loads_lockorder(const char *flags)
{
	return strstr(flags, "-fplugin-arg-lockorder-") ||
	       (strstr(flags, "-fplugin=") && strstr(flags, "lockorder"));
}

int kbuild_inject(struct build *b, const char *flags)
{
	size_t i;
	const char *given = make_var(b, "KCFLAGS", &i), *env;

	if (given) {
		char *arg;

		if (loads_lockorder(given))
			goto twice;
		arg = xasprintf("%s%s%s", b->argv.v[i], *given ? " " : "", flags);
		free(b->argv.v[i]);
		b->argv.v[i] = arg;
		return 0;
	}
	env = getenv("KCFLAGS");
	if (env && *env) {
		char *v;

		if (loads_lockorder(env))
			goto twice;
		v = xasprintf("%s %s", env, flags);
		setenv("KCFLAGS", v, 1);
		free(v);
		return 0;
	}
	setenv("KCFLAGS", flags, 1);
	return 0;
twice:
	fprintf(stderr, "%s: KCFLAGS already loads the plugin; drop it from KCFLAGS "
		"(lockorder build adds it)\n", b->prog);
	return 2;
}

/* Pushes DIR/NAME when it exists. */
static void push_if(struct strv *out, const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);

	if (access(p, F_OK) == 0)
		strv_push(out, p);
	free(p);
}

void kbuild_objects(const struct build *b, struct strv *out)
{
	char *objtree, *abs, *path, line[4096];
	glob_t g;
	FILE *f;
	size_t i;

	if (b->kbuild_output && b->kbuild_output[0] == '/')
		objtree = xstrdup(b->kbuild_output);
	else if (b->kbuild_output)
		objtree = xasprintf("%s/%s", b->dir, b->kbuild_output);
	else
		objtree = xstrdup(b->dir);
	abs = realpath(objtree, NULL);
	if (abs) {
		free(objtree);
		objtree = abs;
	}
	if (!exists(objtree, "vmlinux.a")) {
		strv_push(out, objtree);
		free(objtree);
		return;
	}
	push_if(out, objtree, "vmlinux.a");
	/* KBUILD_VMLINUX_LIBS: linked from, not into, vmlinux.a */
	push_if(out, objtree, "lib/lib.a");
	path = xasprintf("%s/arch/*/lib/lib.a", objtree);
	if (glob(path, 0, NULL, &g) == 0) {
		for (i = 0; i < g.gl_pathc; i++)
			strv_push(out, g.gl_pathv[i]);
		globfree(&g);
	}
	free(path);
	/* every module built: FOO.o (kernels before 6.2 list FOO.ko), an
	 * ld -r of its objects for a module of several */
	path = xasprintf("%s/modules.order", objtree);
	f = fopen(path, "r");
	free(path);
	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (ends_with(line, ".ko"))
			strcpy(line + strlen(line) - 3, ".o");
		if (ends_with(line, ".o"))
			push_if(out, objtree, line);
	}
	if (f)
		fclose(f);
	free(objtree);
}

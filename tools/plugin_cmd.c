/*
 * plugin_cmd.c - turn a recorded compile command into the one that runs
 * the plugin: the compiler (and any ccache in front of it) swapped for the
 * clang the plugin was built against, -c, -o and the dependency-file
 * options dropped, -fsyntax-only and the plugin's arguments added.
 *
 * A command recorded from GCC (a kernel built without LLVM=1, a CMake
 * project built with gcc) holds flags clang does not accept; they are
 * dropped as clang itself says (clang_flags.c), and the build's -Werror,
 * aimed at GCC's warnings, does not make clang's own an error.
 *
 * What it does NOT do:
 * - translate a GCC flag into clang's: what clang does not accept goes.
 * - read the database (compdb.c) or run the plugin (jobs.c).
 */
#define _GNU_SOURCE /* realpath, and POSIX.1-2008 everywhere */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clang_flags.h"
#include "plugin_cmd.h"

/* Some command rewritten had its -Werror turned off. */
static int werror_off;

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* Compiler launchers that put the real compiler in argv[1]. */
static int is_launcher(const char *arg)
{
	const char *b = base_name(arg);

	return strcmp(b, "ccache") == 0 || strcmp(b, "sccache") == 0 ||
	       strcmp(b, "distcc") == 0;
}

/* CC (run in DIR) is a clang: its name, once symlinks are followed and
 * found on $PATH, says so.  /usr/bin/cc is gcc on Debian, clang on
 * FreeBSD; a compiler that is not on this machine is judged by its
 * recorded name. */
static int is_clang(const char *cc, const char *dir)
{
	char real[PATH_MAX];
	int found = 0;

	if (strchr(cc, '/')) {
		char *full = cc[0] == '/' || !dir ? xstrdup(cc)
						  : xasprintf("%s/%s", dir, cc);

		found = realpath(full, real) != NULL;
		free(full);
	} else {
		const char *path = getenv("PATH");
		char *copy = xstrdup(path ? path : "/usr/bin:/bin"), *save, *d;

		for (d = strtok_r(copy, ":", &save); d && !found;
		     d = strtok_r(NULL, ":", &save)) {
			char *full = xasprintf("%s/%s", *d ? d : ".", cc);

			found = access(full, X_OK) == 0 &&
				realpath(full, real) != NULL;
			free(full);
		}
		free(copy);
	}
	return strstr(base_name(found ? real : cc), "clang") != NULL;
}

static void push_arg(struct strv *out, const char *name, const char *value)
{
	char *s = xasprintf("%s%s", name, value);

	strv_push(out, s);
	free(s);
}

/*
 * -Werror stays in a command recorded from clang: the plugin's findings
 * are custom diagnostics, which -Werror does not turn into errors, so it
 * only stops what the real build stops too.  In one recorded from another
 * compiler it was meant for that compiler's warnings, not clang's (a
 * GCC-configured kernel's percpu accessors draw -Wduplicate-decl-specifier
 * from clang), so -Wno-error follows it.
 */
void plugin_command_in(const char *dir, const struct strv *in,
		       const char *clang, const char *plugin,
		       const char *rules, const char *summary,
		       struct strv *out)
{
	struct strv args = { 0 };
	int werror = 0;
	size_t i = 0, k;
	const char *cc;

	while (i + 1 < in->n && is_launcher(in->v[i]))
		i++;
	cc = i < in->n ? in->v[i] : "cc";
	i++; /* the compiler */

	strv_push(out, clang);
	strv_push(out, "-fsyntax-only");
	push_arg(out, "-fplugin=", plugin);
	push_arg(out, "-fplugin-arg-lockorder-rules=", rules);
	if (summary)
		push_arg(out, "-fplugin-arg-lockorder-summary=", summary);

	for (; i < in->n; i++) {
		const char *a = in->v[i];

		/* what to produce: replaced by -fsyntax-only */
		if (strcmp(a, "-c") == 0 || strcmp(a, "-S") == 0 ||
		    strcmp(a, "-E") == 0)
			continue;
		/* the output file */
		if (strcmp(a, "-o") == 0) {
			i++;
			continue;
		}
		if (starts_with(a, "-o") && !starts_with(a, "-obj"))
			continue;
		/* dependency files: nothing is written with -fsyntax-only
		 * that a later make could trip over */
		if (strcmp(a, "-M") == 0 || strcmp(a, "-MM") == 0 ||
		    strcmp(a, "-MD") == 0 || strcmp(a, "-MMD") == 0 ||
		    strcmp(a, "-MP") == 0 || strcmp(a, "-MG") == 0 ||
		    strcmp(a, "-MV") == 0)
			continue;
		if (strcmp(a, "-MF") == 0 || strcmp(a, "-MT") == 0 ||
		    strcmp(a, "-MQ") == 0 || strcmp(a, "-MJ") == 0) {
			i++;
			continue;
		}
		if (starts_with(a, "-MF") || starts_with(a, "-MT") ||
		    starts_with(a, "-MQ") || starts_with(a, "-MJ"))
			continue;
		if (starts_with(a, "-Wp,-MD,") || starts_with(a, "-Wp,-MMD,"))
			continue;
		/* a build that already loads lockorder (KCFLAGS): once is
		 * enough, and with our arguments */
		if (starts_with(a, "-fplugin-arg-lockorder-") ||
		    (starts_with(a, "-fplugin=") && strstr(a, "lockorder")))
			continue;
		werror |= strcmp(a, "-Werror") == 0;
		strv_push(&args, a);
	}

	clang_flags_drop(clang, dir, &args);
	for (k = 0; k < args.n; k++)
		strv_push(out, args.v[k]);
	strv_free(&args);
	if (werror && !is_clang(cc, dir)) {
		strv_push(out, "-Wno-error");
		werror_off = 1;
	}
}

void plugin_command(const struct strv *in, const char *clang,
		    const char *plugin, const char *rules,
		    const char *summary, struct strv *out)
{
	plugin_command_in(NULL, in, clang, plugin, rules, summary, out);
}

void plugin_command_note(const char *prog)
{
	static int noted;

	clang_flags_note(prog);
	if (werror_off && !noted)
		fprintf(stderr,
			"%s: note: -Werror of commands not recorded from clang does not make clang's own warnings errors (-Wno-error added)\n",
			prog);
	noted = 1;
}

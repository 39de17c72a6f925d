/*
 * plugin_cmd.c - turn a recorded compile command into the one that runs
 * the plugin: the compiler (and any ccache in front of it) swapped for the
 * clang the plugin was built against, -c, -o and the dependency-file
 * options dropped, -fsyntax-only and the plugin's arguments added.
 *
 * What it does NOT do:
 * - translate gcc-only flags.  A database recorded from a gcc build can
 *   carry options clang rejects (-fconserve-stack, -mrecord-mcount, ...);
 *   such translation units then fail to compile, and `lockorder check`
 *   says so.  The kernel trees lockorder is aimed at are built with
 *   LLVM=1 / LLVM=-19, whose databases already hold clang commands.
 * - read the database (compdb.c) or run anything (jobs.c).
 */
#include <stdlib.h>
#include <string.h>

#include "plugin_cmd.h"

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

static void push_arg(struct strv *out, const char *name, const char *value)
{
	char *s = xasprintf("%s%s", name, value);

	strv_push(out, s);
	free(s);
}

/*
 * -Werror stays: the plugin's findings are custom diagnostics, which
 * -Werror does not turn into errors, so it only stops what the real build
 * stops too.
 */
void plugin_command(const struct strv *in, const char *clang,
		    const char *plugin, const char *rules,
		    const char *summary, struct strv *out)
{
	size_t i = 0;

	while (i + 1 < in->n && is_launcher(in->v[i]))
		i++;
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
		strv_push(out, a);
	}
}

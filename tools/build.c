/*
 * build.c - `lockorder build`: run a build with the plugin injected, then
 * merge what it built, so that a whole-program run is one command and one
 * compile.
 *
 *   lockorder build --rules R [merge's options] [--plugin SO]
 *                   [--objects PATH]... [--cross-file-only] [-v]
 *                   -- CMD ARGS...
 *
 * A kernel tree (CMD is make and the directory it builds holds a Kbuild
 * top Makefile; build_kbuild.c) gets the plugin through KCFLAGS; any
 * other build through CC, a wrapper that adds it (build_cc.c).  Every
 * compile embeds its summary in its object, so the objects the build
 * left, those it did not need to recompile included, carry the whole
 * program; merge.c's merge_inputs() reads and reports them.
 *
 * Before the build, everything that can fail without it: the options,
 * the outputs (-o, the baselines), the rules, the compiler the build
 * names being clang, the plugin for that clang and its loading into it.
 * A failed build is said and its exit status kept; nothing is merged
 * (the objects are a mix of this push and the one before).
 *
 * What it does NOT do: add -j or any other option to the build, record a
 * compilation database, or rerun any compile (that is `lockorder check`).
 */
#define _GNU_SOURCE /* realpath */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "build.h"
#include "commands.h"
#include "paths.h"
#include "plugin_cmd.h"
#include "util.h"

#define PROG "lockorder build"

static const char build_help[] =
	"usage: lockorder build --rules R [--format F] [-o FILE]\n"
	"                       [--baseline FILE | --update-baseline FILE]\n"
	"                       [--all | --cross-file-only] [--plugin SO]\n"
	"                       [--objects PATH]... [-v] -- CMD ARGS...\n"
	"\n"
	"Runs the build CMD ARGS with the plugin loaded into every compile, then\n"
	"merges the summaries the objects carry and reports, as merge does: one\n"
	"command, one compile.  An incremental build gives the whole program too\n"
	"(the objects it did not recompile carry their summaries).\n"
	"\n"
	"A kernel (CMD is make, and the directory it builds, -C DIR or this\n"
	"one, holds a Kbuild top Makefile): the plugin and its rules are added\n"
	"to KCFLAGS (to the KCFLAGS=... make argument, else to $KCFLAGS; theirs\n"
	"are kept).  make must compile with clang (LLVM=1, LLVM=-19, CC=clang);\n"
	"with gcc it stops before building.  Merged: vmlinux.a, lib/lib.a and\n"
	"the modules of modules.order under the object tree (O=), or every *.o\n"
	"there when the build made no vmlinux.a.\n"
	"\n"
	"Any other build: CC is set, in the environment and as make's CC=...,\n"
	"to lockorder-cc, which runs the real compiler (the CC you gave, else\n"
	"$LOCKORDER_CLANG, else " LOCKORDER_LLVM_BIN "/clang) with the plugin\n"
	"added; LOCKORDER_BUILD_CC and LOCKORDER_BUILD_FLAGS tell it both.  A\n"
	"CMake configure step takes $CC: run it under lockorder build too (it\n"
	"is run, and not merged: nothing is compiled yet).\n"
	"Merged: every *.o under the directory built (make -C, ninja -C, cmake\n"
	"--build or -B DIR, else this one), or under --objects.\n"
	"\n"
	"Checked before the build: the options, the rules, that -o and the\n"
	"baselines can be written, that the compiler is clang and the plugin\n"
	"loads into it.\n"
	"\n"
	"  --rules R              the rules file\n"
	"  --format F             text (default), json, sarif or html (a directory)\n"
	"  -o, --output FILE      write the report to FILE ('-': stdout)\n"
	"  --baseline FILE        report, and fail on, only findings not in FILE\n"
	"  --update-baseline FILE write every finding to FILE as the baseline\n"
	"  --all                  report every finding (the default)\n"
	"  --cross-file-only      report only what needs several translation units\n"
	"  --plugin SO            lockorder.so to load (env LOCKORDER_PLUGIN;\n"
	"                         default: the one for the build's clang)\n"
	"  --objects PATH         merge PATH (objects, archives, folders) instead\n"
	"  -v, --verbose          say how the plugin goes into the build\n"
	"  -h, --help             print this help\n"
	"\n"
	"Exit status: the build's when it fails (nothing is merged); else 0 no\n"
	"findings, 1 findings, 2 bad usage or input (also: nothing to merge).\n";

struct build_args {
	struct merge_args m;
	const char *plugin;
	struct strv objects;
	int verbose;
};

/* Fills A, and B->cmd with CMD ARGS.  Returns -1 to go on, or the exit
 * status. */
static int parse_args(int argc, char **argv, struct build_args *a,
		      struct build *b)
{
	enum { OPT_PLUGIN = 300, OPT_OBJECTS, OPT_CROSS };
	static const struct option options[] = {
		MERGE_LONGOPTS,
		{ "cross-file-only", no_argument, NULL, OPT_CROSS },
		{ "plugin", required_argument, NULL, OPT_PLUGIN },
		{ "objects", required_argument, NULL, OPT_OBJECTS },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;

	a->m.ro.format = LO_FORMAT_TEXT;
	a->m.flags = LO_MERGE_ALL;
	optind = 1;
	opterr = 0;
	/* '+': the options end at CMD, whose own options are its own */
	while ((c = getopt_long(argc, argv, "+:o:vh", options, NULL)) != -1) {
		switch (c) {
		case OPT_CROSS:
			a->m.flags &= ~LO_MERGE_ALL;
			continue;
		case OPT_PLUGIN:
			a->plugin = optarg;
			continue;
		case OPT_OBJECTS:
			strv_push(&a->objects, optarg);
			continue;
		case 'v':
			a->verbose = 1;
			continue;
		case 'h':
			fputs(build_help, stdout);
			return 0;
		}
		rc = merge_option(PROG, c, optarg, &a->m);
		if (rc == 1)
			return option_error(PROG, c, argv);
		if (rc != 0)
			return rc;
	}
	if (!a->m.rules)
		return usage_error(PROG, "no rules file; pass --rules FILE");
	if (optind == argc)
		return usage_error(PROG, "no build command; pass it after '--' "
				   "(lockorder build --rules R -- make -j8)");
	b->cmd = argv + optind;
	b->ncmd = argc - optind;
	return -1;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* DIR joined with PATH (PATH itself when absolute); the caller frees. */
static char *join(const char *dir, const char *path)
{
	if (path[0] == '/' || !dir)
		return xstrdup(path);
	return xasprintf("%s/%s", dir, path);
}

/* The directory the build builds: make's and ninja's -C (make's
 * cumulative), cmake's --build DIR or -B DIR, else here. */
static void build_dir(struct build *b)
{
	const char *name = base_name(b->cmd[0]);
	int make = b->is_make, ninja = strcmp(name, "ninja") == 0;
	int cmake = strcmp(name, "cmake") == 0;
	char *dir = xstrdup("."), *abs;
	size_t i;

	for (i = 1; i < b->ncmd; i++) {
		const char *a = b->cmd[i], *d = NULL;
		char *next;

		if (strcmp(a, "--") == 0)
			break;
		if ((make || ninja) && strcmp(a, "-C") == 0 && i + 1 < b->ncmd)
			d = b->cmd[++i];
		else if ((make || ninja) && starts_with(a, "-C") && a[2])
			d = a + 2;
		else if (make && starts_with(a, "--directory="))
			d = a + 12;
		else if (make && strcmp(a, "--directory") == 0 && i + 1 < b->ncmd)
			d = b->cmd[++i];
		else if (cmake && (strcmp(a, "--build") == 0 || strcmp(a, "-B") == 0) &&
			 i + 1 < b->ncmd)
			d = b->cmd[++i];
		else if (cmake && starts_with(a, "-B") && a[2])
			d = a + 2;
		if (!d)
			continue;
		/* make's -C is relative to the one before; the others' last
		 * one counts */
		next = make ? join(dir, d) : xstrdup(d);
		free(dir);
		dir = next;
	}
	abs = realpath(dir, NULL);
	b->dir = abs ? abs : dir;
	if (abs)
		free(dir);
}

/* B is a CMake configure step (cmake without --build, --install, -E,
 * -P): it compiles nothing to merge. */
static int is_cmake_configure(const struct build *b)
{
	size_t i;

	if (strcmp(base_name(b->cmd[0]), "cmake") != 0)
		return 0;
	for (i = 1; i < b->ncmd; i++)
		if (strcmp(b->cmd[i], "--build") == 0 ||
		    strcmp(b->cmd[i], "--install") == 0 ||
		    strcmp(b->cmd[i], "-E") == 0 || strcmp(b->cmd[i], "-P") == 0)
			return 0;
	return 1;
}

/* Compiler launchers that take the real compiler as their argument. */
static int is_launcher(const char *w)
{
	const char *n = base_name(w);

	return strcmp(n, "ccache") == 0 || strcmp(n, "sccache") == 0 ||
	       strcmp(n, "distcc") == 0 || strcmp(n, "icecc") == 0;
}

/* Moves the launchers in front of B->compiler to B->launchers. */
static void split_launchers(struct build *b)
{
	struct strv rest = { 0 };
	size_t i = 0;

	while (i + 1 < b->compiler.n && is_launcher(b->compiler.v[i]))
		strv_push(&b->launchers, b->compiler.v[i++]);
	for (; i < b->compiler.n; i++)
		strv_push(&rest, b->compiler.v[i]);
	strv_free(&b->compiler);
	b->compiler = rest;
}

/* Runs ARGV with an empty stdin, its stdout and stderr into a buffer
 * (their first SIZE - 1 bytes into OUT).  Returns its exit status, or -1 when it could not be
 * run. */
static int run_captured(char **argv, char *out, size_t size)
{
	size_t len = 0;
	int fd[2], in[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe(fd) != 0)
		return -1;
	if (pipe(in) != 0) {
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		/* stdin: empty, the end of a pipe nothing writes to */
		dup2(in[0], STDIN_FILENO);
		close(in[0]);
		close(in[1]);
		dup2(fd[1], STDOUT_FILENO);
		dup2(fd[1], STDERR_FILENO);
		close(fd[0]);
		close(fd[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(in[0]);
	close(in[1]);
	close(fd[1]);
	while ((n = read(fd[0], out + len, size - 1 - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		len += n;
		if (len == size - 1) { /* drain the rest */
			char sink[4096];

			while (read(fd[0], sink, sizeof(sink)) > 0)
				;
			break;
		}
	}
	out[len] = '\0';
	close(fd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The words of B->compiler, then EXTRA..., NULL-terminated, into OUT. */
static void compiler_cmd(const struct build *b, struct strv *out,
			 const char *const *extra)
{
	size_t i;

	for (i = 0; i < b->compiler.n; i++)
		strv_push(out, b->compiler.v[i]);
	for (; *extra; extra++)
		strv_push(out, *extra);
}

/* Says OUT's first lines, indented. */
static void say_output(const char *out)
{
	int lines = 0;

	while (*out && lines++ < 8) {
		size_t n = strcspn(out, "\n");

		fprintf(stderr, "  %.*s\n", (int)n, out);
		out += n + (out[n] == '\n');
	}
}

/* The compiler the build names is clang.  Returns 0, or 2 after saying
 * why not. */
static int check_clang(const struct build *b)
{
	static const char *const version[] = { "--version", NULL };
	struct strv cmd = { 0 };
	char out[4096];
	int rc;

	compiler_cmd(b, &cmd, version);
	rc = run_captured(cmd.v, out, sizeof(out));
	strv_free(&cmd);
	if (rc < 0) {
		fprintf(stderr, "%s: cannot run the build's compiler '%s'\n", PROG,
			b->compiler.v[0]);
		return 2;
	}
	if (rc == 0 && strstr(out, "clang version"))
		return 0;
	if (b->kernel)
		fprintf(stderr, "%s: this kernel build compiles with '%s', not clang: "
			"the plugin loads only into clang\n"
			"  build with clang: add LLVM=1 (or LLVM=-19, CC=clang) to the make "
			"command\n", PROG, b->compiler.v[0]);
	else
		fprintf(stderr, "%s: this build compiles with '%s', not clang: the "
			"plugin loads only into clang\n"
			"  pass CC=clang (make CC=clang, or CC=clang in the environment)\n",
			PROG, b->compiler.v[0]);
	return 2;
}

/* The plugin for the build's clang, absolute, into *PLUGIN, and loaded
 * into that clang with RULES once.  Returns 0, or 2 after saying why. */
static int check_plugin(const struct build *b, const struct build_args *a,
			const char *rules, char **plugin)
{
	const char *p = a->plugin;
	struct strv cmd = { 0 };
	char out[4096], *load, *args;
	int rc;

	if (!p || !*p)
		p = getenv("LOCKORDER_PLUGIN");
	if (!p || !*p)
		p = plugin_path(PROG, b->compiler.v[0]);
	if (!*p)
		return 2;
	*plugin = realpath(p, NULL);
	if (!*plugin) {
		fprintf(stderr, "%s: cannot open '%s': %s\n", PROG, p, strerror(errno));
		return 2;
	}
	load = xasprintf("-fplugin=%s", *plugin);
	args = xasprintf("-fplugin-arg-lockorder-rules=%s", rules);
	{
		const char *const probe[] = { load, args, "-fsyntax-only", "-xc",
					      "-", NULL };

		compiler_cmd(b, &cmd, probe);
	}
	rc = run_captured(cmd.v, out, sizeof(out));
	strv_free(&cmd);
	free(load);
	free(args);
	if (rc == 0)
		return 0;
	fprintf(stderr, "%s: the plugin '%s' does not load into '%s':\n", PROG, p,
		b->compiler.v[0]);
	say_output(out);
	return 2;
}

/* Runs B->argv, waiting with SIGINT and SIGQUIT ignored as system() does
 * (the terminal's ^C goes to the build, which ends, and then we do).
 * Returns its exit status, 128 + the signal that killed it, or -1 when it
 * could not be run. */
static int run_build(const struct build *b)
{
	struct sigaction ign = { 0 }, oldint, oldquit;
	int status = 0, err[2], failed = 0;
	pid_t pid;

	if (pipe2(err, O_CLOEXEC) != 0)
		return -1;
	ign.sa_handler = SIG_IGN;
	sigaction(SIGINT, &ign, &oldint);
	sigaction(SIGQUIT, &ign, &oldquit);
	pid = fork();
	if (pid == 0) {
		int e;

		sigaction(SIGINT, &oldint, NULL);
		sigaction(SIGQUIT, &oldquit, NULL);
		close(err[0]);
		execvp(b->argv.v[0], b->argv.v);
		e = errno;
		if (write(err[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(err[1]);
	if (pid > 0) {
		int e;

		if (read(err[0], &e, sizeof(e)) == sizeof(e)) {
			fprintf(stderr, "%s: cannot run '%s': %s\n", PROG, b->argv.v[0],
				strerror(e));
			failed = 1;
		}
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	close(err[0]);
	sigaction(SIGINT, &oldint, NULL);
	sigaction(SIGQUIT, &oldquit, NULL);
	if (pid < 0 || failed)
		return -1;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* The plugin's flags, separated by SEP. */
static char *plugin_flags(const char *plugin, const char *rules, char sep)
{
	return xasprintf("-fplugin=%s%c-fplugin-arg-lockorder-rules=%s", plugin,
			 sep, rules);
}

/* Gets the plugin into B's argv and environment.  Returns 0, or 2 after
 * saying why not. */
static int inject(struct build *b, const struct build_args *a,
		  const char *plugin, const char *rules, char **tmpdir)
{
	char *flags, *wrapper;

	if (b->kernel) {
		int rc;

		if (strpbrk(plugin, " \t") || strpbrk(rules, " \t")) {
			fprintf(stderr, "%s: KCFLAGS cannot carry a path with a space: '%s'\n",
				PROG, strpbrk(plugin, " \t") ? plugin : rules);
			return 2;
		}
		flags = plugin_flags(plugin, rules, ' ');
		rc = kbuild_inject(b, flags);
		if (a->verbose && rc == 0)
			fprintf(stderr, "%s: a kernel tree: KCFLAGS += %s\n", PROG, flags);
		free(flags);
		return rc;
	}
	wrapper = build_cc_wrapper(PROG, tmpdir);
	if (!wrapper)
		return 2;
	flags = plugin_flags(plugin, rules, '\n');
	build_cc_inject(b, wrapper, flags);
	if (a->verbose)
		fprintf(stderr, "%s: CC=%s, running '%s' with the plugin\n", PROG,
			getenv("CC"), getenv("LOCKORDER_BUILD_CC"));
	free(flags);
	free(wrapper);
	return 0;
}

static void free_build(struct build *b)
{
	free(b->dir);
	strv_free(&b->launchers);
	strv_free(&b->compiler);
	strv_free(&b->argv);
}

int cmd_build(int argc, char **argv)
{
	struct build_args a = { 0 };
	struct build b = { 0 };
	struct strv inputs = { 0 };
	char *rules_abs = NULL, *plugin = NULL, *tmpdir = NULL;
	lo_rules *rules = NULL;
	size_t i;
	int ret;

	ret = parse_args(argc, argv, &a, &b);
	if (ret >= 0)
		goto out_args;
	ret = 2;
	b.prog = PROG;
	for (i = 0; i < b.ncmd; i++)
		strv_push(&b.argv, b.cmd[i]);
	b.is_make = strcmp(base_name(b.cmd[0]), "make") == 0 ||
		    strcmp(base_name(b.cmd[0]), "gmake") == 0;
	build_dir(&b);

	/* everything checkable, before a build that may take an hour */
	if (report_prepare(PROG, &a.m.ro) != 0)
		goto out;
	rules = load_rules(PROG, a.m.rules);
	if (!rules || !(rules_abs = rules_realpath(PROG, a.m.rules)))
		goto out;
	kbuild_detect(&b);
	if (!b.kernel)
		build_cc_detect(&b);
	split_launchers(&b);
	if (!b.compiler.n) {
		const char *env = getenv("LOCKORDER_CLANG");

		strv_push(&b.compiler, env && *env ? env : LOCKORDER_LLVM_BIN "/clang");
	}
	if (check_clang(&b) != 0 || check_plugin(&b, &a, rules_abs, &plugin) != 0)
		goto out;
	if (inject(&b, &a, plugin, rules_abs, &tmpdir) != 0)
		goto out;

	ret = run_build(&b);
	if (ret == 0 && is_cmake_configure(&b)) {
		/* the compiler is in CMake's cache now; the build that
		 * follows, under lockorder build too, is merged */
		fprintf(stderr, "%s: configured; nothing to merge before the build\n",
			PROG);
		goto out;
	}
	if (ret != 0) {
		if (ret > 128)
			fprintf(stderr, "%s: the build was killed by signal %d; nothing merged\n",
				PROG, ret - 128);
		else if (ret > 0)
			fprintf(stderr, "%s: the build failed (exit %d); nothing merged\n",
				PROG, ret);
		ret = ret < 0 ? 2 : ret;
		goto out;
	}

	if (a.objects.n)
		for (i = 0; i < a.objects.n; i++)
			strv_push(&inputs, a.objects.v[i]);
	else if (b.kernel)
		kbuild_objects(&b, &inputs);
	else
		strv_push(&inputs, b.dir);
	ret = merge_inputs(PROG, rules, inputs.v, inputs.n, &a.m);
out:
	if (tmpdir) {
		char *link = xasprintf("%s/lockorder-cc", tmpdir);

		unlink(link);
		free(link);
		rmdir(tmpdir);
		free(tmpdir);
	}
	strv_free(&inputs);
	free(plugin);
	free(rules_abs);
	lo_rules_free(rules);
	free_build(&b);
out_args:
	report_options_free(&a.m.ro);
	strv_free(&a.objects);
	return ret;
}

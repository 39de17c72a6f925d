/*
 * paths.c - where lockorder finds its plugin and its rules files.
 *
 * An installed lockorder finds both relative to itself (/proc/self/exe),
 * as `cmake --install` lays them out under a prefix P:
 *
 *   P/bin/lockorder
 *   P/lib/lockorder/llvm-N/lockorder.so   one per LLVM it was built for
 *   P/share/lockorder/rules/NAME.lockorder
 *
 * so a prefix can be moved, and several LLVMs' builds can be installed
 * into one prefix: the plugin chosen is the one for the clang that will
 * run it (a plugin loads into no other), the default clang of this
 * lockorder's own LLVM, or the one given with --clang, whose major version
 * `clang -dumpversion` says.  The relative paths come from the build
 * (GNUInstallDirs: LOCKORDER_REL_PLUGINDIR, LOCKORDER_REL_RULESDIR).
 *
 * A lockorder run from its build tree has no such layout beside it; it
 * falls back to the plugin its build made (LOCKORDER_PLUGIN_PATH) and the
 * source tree's rules/ (LOCKORDER_SOURCE_RULES).  Where the layout is
 * beside the executable, only it is used: an installed lockorder never
 * reads the build or source tree it came from, which may be gone.
 *
 * What it does NOT do: read --plugin, --clang or the environment
 * (LOCKORDER_PLUGIN, LOCKORDER_CLANG, LOCKORDER_RULES: the subcommands
 * check those first and call here only without them), search $PATH for
 * rules, or check that a plugin loads (clang says so when it runs).
 */
#define _GNU_SOURCE /* realpath */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "paths.h"
#include "plugin_cmd.h"
#include "util.h"

#ifndef LOCKORDER_REL_PLUGINDIR
#define LOCKORDER_REL_PLUGINDIR "../lib/lockorder"
#endif
#ifndef LOCKORDER_REL_RULESDIR
#define LOCKORDER_REL_RULESDIR "../share/lockorder/rules"
#endif
#ifndef LOCKORDER_SOURCE_RULES
#define LOCKORDER_SOURCE_RULES ""
#endif

/* The directory REL (relative to the directory of the running lockorder)
 * as an absolute path without "..", or NULL when it does not exist. */
static char *beside_exe(const char *rel)
{
	char exe[PATH_MAX], *slash, *p, *abs;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct stat st;

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	p = xasprintf("%s/%s", exe, rel);
	abs = realpath(p, NULL);
	free(p);
	if (abs && (stat(abs, &st) != 0 || !S_ISDIR(st.st_mode))) {
		free(abs);
		abs = NULL;
	}
	return abs;
}

static int is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Runs `CLANG -dumpversion` and puts the major version it prints
 * ("22.1.8" -> "22") into MAJOR.  Returns 0, -1 when it printed no
 * version, or -2 when it could not be run. */
static int run_dumpversion(const char *clang, char *major, size_t size)
{
	char out[64];
	size_t len = 0, k;
	int fd[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe(fd) != 0)
		return -2;
	pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return -2;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(fd[1], STDOUT_FILENO);
		if (null >= 0) {
			dup2(null, STDIN_FILENO);
			dup2(null, STDERR_FILENO);
		}
		close(fd[0]);
		close(fd[1]);
		execlp(clang, clang, "-dumpversion", (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	while (len < sizeof(out) - 1 &&
	       (n = read(fd[0], out + len, sizeof(out) - 1 - len)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		len += n;
	}
	out[len] = '\0';
	close(fd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return -2;
	k = strspn(out, "0123456789");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || k == 0 ||
	    k >= size || (out[k] != '.' && out[k] != '\n' && out[k] != '\0'))
		return -1;
	memcpy(major, out, k);
	major[k] = '\0';
	return 0;
}

/* The major version of CLANG's LLVM into MAJOR (size 16): this
 * lockorder's own for its default clang, without running it. */
static int clang_major(const char *clang, char *major)
{
	char *a, *b;
	int same;

	if (!clang || !*clang) {
		snprintf(major, 16, "%s", LOCKORDER_LLVM_MAJOR);
		return 0;
	}
	a = realpath(clang, NULL);
	b = realpath(LOCKORDER_LLVM_BIN "/clang", NULL);
	same = a && b && strcmp(a, b) == 0;
	free(a);
	free(b);
	if (same) {
		snprintf(major, 16, "%s", LOCKORDER_LLVM_MAJOR);
		return 0;
	}
	return run_dumpversion(clang, major, 16);
}

const char *plugin_path(const char *prog, const char *clang)
{
	static char found[PATH_MAX];
	const char *shown = clang && *clang ? clang : LOCKORDER_LLVM_BIN "/clang";
	char major[16];
	char *dir;
	int rc = clang_major(clang, major);

	if (rc == -2) {
		fprintf(stderr, "%s: cannot run the clang '%s'\n", prog, shown);
		return "";
	}
	if (rc != 0) {
		fprintf(stderr,
			"%s: cannot tell which LLVM '%s' is from ('%s -dumpversion' "
			"printed no version); pass --plugin SO built for it\n",
			prog, shown, shown);
		return "";
	}
	dir = beside_exe(LOCKORDER_REL_PLUGINDIR);
	if (dir) {
		snprintf(found, sizeof(found), "%s/llvm-%s/lockorder.so", dir, major);
		if (is_file(found)) {
			free(dir);
			return found;
		}
	}
	if (!dir && strcmp(major, LOCKORDER_LLVM_MAJOR) == 0 &&
	    is_file(LOCKORDER_PLUGIN_PATH))
		return LOCKORDER_PLUGIN_PATH;

	if (dir)
		fprintf(stderr, "%s: no plugin for LLVM %s (the clang '%s'): no %s; "
			"install lockorder built against LLVM %s, or pass --plugin SO\n",
			prog, major, shown, found, major);
	else if (strcmp(major, LOCKORDER_LLVM_MAJOR) != 0)
		fprintf(stderr, "%s: no plugin for LLVM %s (the clang '%s'): this "
			"lockorder was built against LLVM %s; build it against LLVM "
			"%s, or pass --plugin SO\n",
			prog, major, shown, LOCKORDER_LLVM_MAJOR, major);
	else if (*LOCKORDER_PLUGIN_PATH)
		fprintf(stderr, "%s: no plugin: %s is not built; build it (the "
			"target lockorder_plugin), or pass --plugin SO\n",
			prog, LOCKORDER_PLUGIN_PATH);
	else
		fprintf(stderr, "%s: no plugin: this build has none; pass "
			"--plugin SO\n", prog);
	free(dir);
	return "";
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names (without .lockorder) of the rules files in DIR, sorted, to
 * stderr as " (there: kvm, linux)". */
static void list_rules(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct strv names = { 0 };
	size_t i;

	if (!d)
		return;
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (de->d_name[0] != '.' && ends_with(de->d_name, ".lockorder")) {
			strv_push(&names, de->d_name);
			names.v[names.n - 1][n - strlen(".lockorder")] = '\0';
		}
	}
	closedir(d);
	if (names.n)
		qsort(names.v, names.n, sizeof(*names.v), compare_names);
	fputs(names.n ? " (there: " : " (there: none", stderr);
	for (i = 0; i < names.n; i++)
		fprintf(stderr, "%s%s", i ? ", " : "", names.v[i]);
	fputs(")", stderr);
	strv_free(&names);
}

char *rules_path(const char *prog, const char *name)
{
	char *dir, *path;
	struct stat st;

	if (strchr(name, '/') || ends_with(name, ".lockorder") || is_file(name))
		return xstrdup(name);

	dir = beside_exe(LOCKORDER_REL_RULESDIR);
	if (!dir && stat(LOCKORDER_SOURCE_RULES, &st) == 0 && S_ISDIR(st.st_mode))
		dir = xstrdup(LOCKORDER_SOURCE_RULES);
	if (!dir) {
		fprintf(stderr, "%s: no rules named '%s': no %s beside this "
			"lockorder; pass the rules file's path\n",
			prog, name, LOCKORDER_REL_RULESDIR);
		return NULL;
	}
	path = xasprintf("%s/%s.lockorder", dir, name);
	if (is_file(path)) {
		free(dir);
		return path;
	}
	fprintf(stderr, "%s: no rules named '%s': no %s", prog, name, path);
	list_rules(dir);
	fputs("; pass one of those names or a file's path\n", stderr);
	free(path);
	free(dir);
	return NULL;
}

char *rules_realpath(const char *prog, const char *name)
{
	char *path = rules_path(prog, name), *abs;

	if (!path)
		return NULL;
	abs = realpath(path, NULL);
	if (!abs)
		fprintf(stderr, "%s: cannot open '%s': %s\n", prog, path,
			strerror(errno));
	free(path);
	return abs;
}

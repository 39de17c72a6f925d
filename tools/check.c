/*
 * check.c - `lockorder check`: replay a compilation database through the
 * plugin, merge the translation units' summaries and report.
 *
 *   lockorder check -p compile_commands.json --rules R [-j N]
 *                   [--format text|json|sarif|html] [-o FILE] [--all]
 *                   [--cross-file-only] [--plugin SO] [--clang PATH]
 *                   [--keep-summaries DIR] [-v]
 *
 * Why it replays the database instead of wrapping scan-build: scan-build
 * runs a plugin twice and never reports its findings; intercept-build
 * records `cc`, which is gcc here and rejects -fplugin=*.so.  So every
 * entry's command is rerun with the compiler swapped for the clang the
 * plugin was built against (a plugin only loads into that clang), with
 * the outputs dropped (-c, -o, -MD and friends) and -fsyntax-only and the
 * plugin's arguments added.  Each run writes one summary into a private
 * directory; the core then merges them (lo_merge_*) and writes the report.
 *
 * What it does NOT do:
 * - translate gcc-only flags.  A database recorded from a gcc build can
 *   carry options clang rejects (-fconserve-stack, -mrecord-mcount, ...);
 *   such translation units are reported as failing to compile.  The kernel
 *   trees lockorder is aimed at are built with LLVM=1 / LLVM=-19, whose
 *   databases already hold clang commands.
 * - wrap a build (`lockorder check ... -- make`): record the database with
 *   bear 3 or the kernel's scripts/clang-tools/gen_compile_commands.py.
 * - expand anything in a `command` string.  It is split into words by
 *   quote removal only, as clang's JSONCompilationDatabase does: wordexp(3)
 *   would also expand $VARIABLES, ~ and globs (and refuse unquoted | ; &
 *   ( ) < >), none of which the compiler saw when the build ran.
 *
 * Exit status: 0 no findings, 1 findings, 2 bad usage or input (no
 * database, bad rules, no plugin) or no translation unit analysed.
 * A translation unit that fails to compile, or whose summary cannot be
 * read, is reported on stderr and left out; the others are still merged.
 */
#define _GNU_SOURCE /* strsignal, and POSIX.1-2008 everywhere */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "commands.h"
#include "lockorder.h"

/* The build tells us which clang the plugin belongs to and where the
 * plugin was built; both can be overridden at run time. */
#ifndef LOCKORDER_LLVM_MAJOR
#define LOCKORDER_LLVM_MAJOR "19"
#endif
#ifndef LOCKORDER_LLVM_BIN
#define LOCKORDER_LLVM_BIN "/usr/lib/llvm-" LOCKORDER_LLVM_MAJOR "/bin"
#endif
#ifndef LOCKORDER_PLUGIN_PATH
#define LOCKORDER_PLUGIN_PATH ""
#endif

#define PROG "lockorder check"

static const char usage_text[] =
	"usage: lockorder check -p compile_commands.json --rules R [-j N]\n"
	"                       [--format text|json|sarif|html] [-o FILE] [--all]\n"
	"                       [--cross-file-only] [--plugin SO] [--clang PATH]\n"
	"                       [--keep-summaries DIR] [-v]\n"
	"\n"
	"Runs the plugin over every translation unit of a compilation database,\n"
	"merges their summaries and reports every finding.\n"
	"\n"
	"  -p PATH               compile_commands.json, or the directory holding it\n"
	"  --rules R             the rules file\n"
	"  -j N                  translation units analysed at once (default: CPUs)\n"
	"  --format F            text (default), json, sarif or html (a directory)\n"
	"  -o FILE               write the report to FILE instead of stdout\n"
	"  --baseline FILE       report, and fail on, only findings not in FILE\n"
	"  --update-baseline FILE  write every finding to FILE as the baseline\n"
	"  --all                 report every finding (the default)\n"
	"  --cross-file-only     report only what needs several translation units\n"
	"  --plugin SO           lockorder.so to load (env LOCKORDER_PLUGIN;\n"
	"                        default: the one this lockorder was built with)\n"
	"  --clang PATH          the clang SO was built for (env LOCKORDER_CLANG;\n"
	"                        default: " LOCKORDER_LLVM_BIN "/clang)\n"
	"  --keep-summaries DIR  write the summaries (NNNN.lockorder.json) and the\n"
	"                        compiler's output (NNNN.log) to DIR and keep them\n"
	"  -v                    print each command and its diagnostics\n"
	"\n"
	"Exit status: 0 no findings, 1 findings, 2 bad usage or input.\n";

/* ---- small helpers --------------------------------------------------- */

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		abort();
	return d;
}

static char *xasprintf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	return s;
}

/* A NULL-terminated, growable argv. */
void strv_push(struct strv *sv, const char *s)
{
	if (sv->n + 2 > sv->cap) {
		sv->cap = sv->cap ? sv->cap * 2 : 16;
		sv->v = xrealloc(sv->v, sv->cap * sizeof(*sv->v));
	}
	sv->v[sv->n++] = xstrdup(s);
	sv->v[sv->n] = NULL;
}

void strv_free(struct strv *sv)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

/* A growable string for the splitter. */
struct buf {
	char *s;
	size_t n, cap;
};

static void buf_add(struct buf *b, char c)
{
	if (b->n + 2 > b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->s = xrealloc(b->s, b->cap);
	}
	b->s[b->n++] = c;
	b->s[b->n] = '\0';
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- splitting a `command` string ------------------------------------ */

/*
 * Splits CMD into words the way sh(1) does with quote removal only (no
 * expansion of any kind): blanks separate words; a backslash quotes the
 * next character (and a backslash-newline disappears); '...' quotes
 * everything up to the next '; "..." quotes everything but \ before
 * $ ` " \ and newline.  This is also what clang's JSONCompilationDatabase
 * does with `command`, so both see the same arguments: the kernel's
 * -DKBUILD_MODNAME='"kvm"' becomes -DKBUILD_MODNAME="kvm".
 * Returns 0, or -1 with *WHY set on an unterminated quote.
 */
int split_command(const char *cmd, struct strv *out, const char **why)
{
	const char *p = cmd;
	struct buf w = { 0 };

	for (;;) {
		int have = 0;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p)
			break;
		w.n = 0;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' &&
		       *p != '\r') {
			have = 1;
			if (*p == '\\') {
				p++;
				if (*p == '\n') {
					p++;
					continue;
				}
				if (!*p)
					break; /* a trailing backslash: dropped */
				buf_add(&w, *p++);
			} else if (*p == '\'') {
				p++;
				while (*p && *p != '\'')
					buf_add(&w, *p++);
				if (!*p)
					goto unterminated;
				p++;
			} else if (*p == '"') {
				p++;
				while (*p && *p != '"') {
					if (*p == '\\' && p[1] == '\n') {
						p += 2;
						continue;
					}
					if (*p == '\\' &&
					    (p[1] == '$' || p[1] == '`' ||
					     p[1] == '"' || p[1] == '\\'))
						p++;
					buf_add(&w, *p++);
				}
				if (!*p)
					goto unterminated;
				p++;
			} else {
				buf_add(&w, *p++);
			}
		}
		if (have)
			strv_push(out, w.s ? w.s : "");
	}
	free(w.s);
	return 0;
unterminated:
	free(w.s);
	*why = "unterminated quote";
	return -1;
}

/* ---- the compile command the plugin runs in -------------------------- */

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

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

/*
 * Rewrites the recorded command IN (compiler first) into the plugin's:
 * CLANG in place of the compiler (and of any ccache in front of it), the
 * plugin's arguments right after it, and no outputs.  -Werror stays: the
 * plugin's findings are custom diagnostics, which -Werror does not turn
 * into errors, so it only stops what the real build stops too.
 */
void plugin_command(const struct strv *in, const char *clang,
		    const char *plugin, const char *rules,
		    const char *summary, struct strv *out)
{
	size_t i = 0;
	char *s;

	while (i + 1 < in->n && is_launcher(in->v[i]))
		i++;
	i++; /* the compiler */

	strv_push(out, clang);
	strv_push(out, "-fsyntax-only");
	s = xasprintf("-fplugin=%s", plugin);
	strv_push(out, s);
	free(s);
	s = xasprintf("-fplugin-arg-lockorder-rules=%s", rules);
	strv_push(out, s);
	free(s);
	if (summary) {
		s = xasprintf("-fplugin-arg-lockorder-summary=%s", summary);
		strv_push(out, s);
		free(s);
	}

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

/* ---- the compilation database ---------------------------------------- */

enum tu_state { TU_PENDING, TU_RUNNING, TU_OK, TU_FAILED };

struct tu {
	char *display;   /* the file as progress and errors name it */
	char *directory; /* absolute */
	struct strv argv;
	char *summary;
	char *log;
	lo_summary *sum; /* read when the compile ends, merged in order */
	pid_t pid;
	double start;
	enum tu_state state;
};

struct check {
	const char *db_path;
	const char *rules_arg;
	char *rules;   /* absolute */
	char *plugin;  /* absolute */
	char *clang;
	char *tmpdir;  /* private; removed at the end */
	char *sumdir;  /* tmpdir, or --keep-summaries DIR */
	int keep;
	int jobs;
	int verbose;
	int tty;
	struct tu *tus;
	size_t ntus;
	size_t skipped; /* entries that are not C */
	size_t done, analysed, failed;
};

/* The file as the kernel's tools name it: relative to the entry's
 * directory when it lies under it. */
static char *display_name(const char *file, const char *dir)
{
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (file[0] == '/' && strncmp(file, dir, n) == 0 && file[n] == '/')
		return xstrdup(file + n + 1);
	if (starts_with(file, "./"))
		return xstrdup(file + 2);
	return xstrdup(file);
}

static const char *json_str(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/*
 * Reads the database at PATH into C->tus.  Returns 0, or 2 after saying
 * what is wrong (git's voice: the error, then the subject in quotes).
 */
static int read_database(struct check *c, const char *path)
{
	json_error_t jerr;
	json_t *root, *e;
	FILE *f;
	size_t i;
	char *dbdir, *slash;

	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, PROG ": cannot open '%s': %s\n", path,
			strerror(errno));
		return 2;
	}
	root = json_loadf(f, 0, &jerr);
	fclose(f);
	if (!root) {
		fprintf(stderr, PROG ": '%s' is not valid JSON: line %d: %s\n",
			path, jerr.line, jerr.text);
		return 2;
	}
	if (!json_is_array(root)) {
		fprintf(stderr,
			PROG ": '%s' is not a compilation database: expected an array of entries\n",
			path);
		json_decref(root);
		return 2;
	}
	if (json_array_size(root) == 0) {
		fprintf(stderr, PROG ": '%s' lists no translation units\n", path);
		json_decref(root);
		return 2;
	}

	/* A relative `directory` is taken relative to the database. */
	dbdir = realpath(path, NULL);
	if (!dbdir)
		dbdir = xstrdup(".");
	slash = strrchr(dbdir, '/');
	if (slash)
		*(slash == dbdir ? slash + 1 : slash) = '\0';

	c->ntus = json_array_size(root);
	c->tus = calloc(c->ntus, sizeof(*c->tus));
	if (!c->tus)
		abort();
	c->ntus = 0;
	json_array_foreach(root, i, e) {
		struct tu *t = &c->tus[c->ntus];
		const char *dir = json_str(e, "directory");
		const char *file = json_str(e, "file");
		size_t flen = file ? strlen(file) : 0;
		const char *command = json_str(e, "command");
		json_t *args = json_object_get(e, "arguments");
		struct strv in = { 0 };
		const char *why = NULL;

		if (!json_is_object(e) || !dir || !file ||
		    (!command && !json_is_array(args))) {
			fprintf(stderr,
				PROG ": '%s': entry %zu needs 'directory', 'file' and 'arguments' or 'command'\n",
				path, i + 1);
			goto bad;
		}
		/* Assembler (arch/x86/kvm/vmx/vmenter.S) and anything else
		 * that is not C has no locks for the plugin to follow. */
		if (flen < 2 || strcmp(file + flen - 2, ".c") != 0) {
			c->skipped++;
			continue;
		}
		c->ntus++;
		if (json_is_array(args)) {
			size_t k;
			json_t *a;

			json_array_foreach(args, k, a) {
				if (!json_is_string(a)) {
					fprintf(stderr,
						PROG ": '%s': entry %zu: 'arguments' holds a non-string\n",
						path, i + 1);
					strv_free(&in);
					goto bad;
				}
				strv_push(&in, json_string_value(a));
			}
		} else if (split_command(command, &in, &why) != 0) {
			fprintf(stderr, PROG ": '%s': entry %zu: %s in 'command'\n",
				path, i + 1, why);
			strv_free(&in);
			goto bad;
		}
		if (in.n == 0) {
			fprintf(stderr, PROG ": '%s': entry %zu has an empty command\n",
				path, i + 1);
			goto bad;
		}
		t->directory = dir[0] == '/' ? xstrdup(dir)
					     : xasprintf("%s/%s", dbdir, dir);
		t->display = display_name(file, t->directory);
		t->summary = xasprintf("%s/%04zu.lockorder.json", c->sumdir, i);
		/* the compiler's output is kept beside the summaries, so a
		 * CI run with --keep-summaries can show why a unit failed */
		t->log = xasprintf("%s/%04zu.log", c->sumdir, i);
		plugin_command(&in, c->clang, c->plugin, c->rules, t->summary,
			       &t->argv);
		strv_free(&in);
	}
	free(dbdir);
	json_decref(root);
	return 0;
bad:
	free(dbdir);
	json_decref(root);
	return 2;
}

/* ---- running the plugin ---------------------------------------------- */

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

static void on_child(int sig)
{
	(void)sig; /* only to wake sigsuspend() */
}

/* Prints the command of T as a shell would take it back, for -v. */
static void print_command(const struct tu *t)
{
	size_t i;

	fprintf(stderr, "lockorder: cd '%s' &&", t->directory);
	for (i = 0; i < t->argv.n; i++) {
		const char *a = t->argv.v[i];

		if (a[strcspn(a, " \t\n'\"\\$`*?[]#~;&|<>()")] == '\0' && *a) {
			fprintf(stderr, " %s", a);
			continue;
		}
		fputs(" '", stderr);
		for (; *a; a++) {
			if (*a == '\'')
				fputs("'\\''", stderr);
			else
				fputc(*a, stderr);
		}
		fputc('\'', stderr);
	}
	fputc('\n', stderr);
}

/* Starts T: its output and diagnostics go to its log.  ORIG is the
 * signal mask to give the child back. */
static int spawn(struct tu *t, const sigset_t *orig)
{
	pid_t pid;

	if (t->argv.n == 0)
		return -1;
	unlink(t->summary); /* a stale one must not pass for a new one */
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(t->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			      0666);
		int null = open("/dev/null", O_RDONLY | O_CLOEXEC);

		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		sigprocmask(SIG_SETMASK, orig, NULL);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		if (null >= 0)
			dup2(null, 0);
		if (chdir(t->directory) != 0) {
			dprintf(2, "error: cannot change to '%s': %s\n",
				t->directory, strerror(errno));
			_exit(127);
		}
		if (strchr(t->argv.v[0], '/'))
			execv(t->argv.v[0], t->argv.v);
		else
			execvp(t->argv.v[0], t->argv.v);
		dprintf(2, "error: cannot run '%s': %s\n", t->argv.v[0],
			strerror(errno));
		_exit(127);
	}
	t->pid = pid;
	t->start = now_seconds();
	t->state = TU_RUNNING;
	return 0;
}

/* Copies the log of T to stderr: all of it (-v), or the first lines that
 * say "error" (at most MAX; the first MAX lines if none does). */
static void print_log(const struct tu *t, size_t max, int all)
{
	FILE *f = fopen(t->log, "r");
	char *line = NULL;
	size_t cap = 0, shown = 0;
	ssize_t len;

	if (!f)
		return;
	while ((len = getline(&line, &cap, f)) > 0) {
		if (all) {
			fputs(line, stderr);
			if (line[len - 1] != '\n')
				fputc('\n', stderr);
			continue;
		}
		if (!strstr(line, "error:"))
			continue;
		fprintf(stderr, "  %s", line);
		if (line[len - 1] != '\n')
			fputc('\n', stderr);
		if (++shown == max)
			break;
	}
	if (!all && shown == 0) {
		rewind(f);
		while (shown < max && (len = getline(&line, &cap, f)) > 0) {
			if (len == 1)
				continue;
			fprintf(stderr, "  %s", line);
			if (line[len - 1] != '\n')
				fputc('\n', stderr);
			shown++;
		}
	}
	free(line);
	fclose(f);
}

/* T's compiler ended with STATUS: report it, and read its summary. */
static void finish(struct check *c, struct tu *t, int status)
{
	double secs = now_seconds() - t->start;
	int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;

	c->done++;
	if (c->tty)
		fprintf(stderr, "[%zu/%zu] %s (%.1f s)\n", c->done, c->ntus,
			t->display, secs);
	if (c->verbose && ok)
		print_log(t, 0, 1);
	if (!ok) {
		t->state = TU_FAILED;
		c->failed++;
		if (WIFSIGNALED(status))
			fprintf(stderr,
				"lockorder: %s failed to compile: clang was killed by signal %d (%s)\n",
				t->display, WTERMSIG(status),
				strsignal(WTERMSIG(status)));
		else
			fprintf(stderr,
				"lockorder: %s failed to compile: clang exited with status %d\n",
				t->display, WEXITSTATUS(status));
		print_log(t, 5, c->verbose);
		return;
	}

	{
		struct lo_errors errs = { 0 };
		lo_summary *s = lo_summary_read(t->summary, &errs);

		if (!s) {
			t->state = TU_FAILED;
			c->failed++;
			fprintf(stderr,
				"lockorder: %s compiled, but its summary cannot be used:\n",
				t->display);
			lo_errors_print(&errs, stderr);
			lo_errors_free(&errs);
			return;
		}
		lo_errors_free(&errs);
		t->sum = s;
		t->state = TU_OK;
		c->analysed++;
	}
}

static struct tu *find_pid(struct check *c, pid_t pid)
{
	size_t i;

	for (i = 0; i < c->ntus; i++)
		if (c->tus[i].state == TU_RUNNING && c->tus[i].pid == pid)
			return &c->tus[i];
	return NULL;
}

/* Removes the files of the flat directory DIR and DIR itself. */
static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (d) {
		while ((de = readdir(d))) {
			char *p;

			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			p = xasprintf("%s/%s", dir, de->d_name);
			unlink(p);
			free(p);
		}
		closedir(d);
	}
	rmdir(dir);
}

/* Removes the NNNN.lockorder.json and NNNN.log files a previous run left
 * in DIR, so that `lockorder merge DIR` afterwards sees this run only. */
static void clear_old_summaries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		const char *n = de->d_name;
		size_t k = strspn(n, "0123456789");

		if (k > 0 && (strcmp(n + k, ".lockorder.json") == 0 ||
			      strcmp(n + k, ".log") == 0)) {
			char *p = xasprintf("%s/%s", dir, n);

			unlink(p);
			free(p);
		}
	}
	closedir(d);
}

/*
 * Runs every translation unit, C->jobs at a time, reading their summaries.
 * Returns 0, or the signal that interrupted it (the children are then
 * stopped and reaped).  SIGCHLD, SIGINT, SIGTERM and SIGHUP are blocked
 * outside sigsuspend(), so a child's end or a ^C cannot slip between the
 * check and the wait.
 */
static int run_all(struct check *c)
{
	sigset_t block, orig, wait_mask;
	struct sigaction sa, old_int, old_term, old_hup, old_chld;
	size_t next = 0, running = 0, i;
	int sig;

	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &orig);
	wait_mask = orig;
	sigdelset(&wait_mask, SIGCHLD);
	sigdelset(&wait_mask, SIGINT);
	sigdelset(&wait_mask, SIGTERM);
	sigdelset(&wait_mask, SIGHUP);

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_child;
	sigaction(SIGCHLD, &sa, &old_chld);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	/* a run under nohup keeps ignoring what it was told to ignore */
	if (old_int.sa_handler == SIG_IGN)
		sigaction(SIGINT, &old_int, NULL);
	if (old_hup.sa_handler == SIG_IGN)
		sigaction(SIGHUP, &old_hup, NULL);

	while ((next < c->ntus || running > 0) && !got_signal) {
		pid_t pid;
		int status, reaped = 0;

		while (running < (size_t)c->jobs && next < c->ntus) {
			struct tu *t = &c->tus[next++];

			if (c->verbose)
				print_command(t);
			if (spawn(t, &orig) != 0) {
				fprintf(stderr,
					"lockorder: %s: cannot start clang: %s\n",
					t->display, strerror(errno));
				t->state = TU_FAILED;
				c->failed++;
				c->done++;
				continue;
			}
			running++;
		}
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			struct tu *t = find_pid(c, pid);

			reaped = 1;
			if (!t)
				continue;
			running--;
			finish(c, t, status);
		}
		if (!reaped && running > 0 && !got_signal)
			sigsuspend(&wait_mask);
	}

	sig = got_signal;
	if (sig) {
		for (i = 0; i < c->ntus; i++)
			if (c->tus[i].state == TU_RUNNING)
				kill(c->tus[i].pid, SIGTERM);
		for (i = 0; i < c->ntus; i++)
			if (c->tus[i].state == TU_RUNNING) {
				waitpid(c->tus[i].pid, NULL, 0);
				c->tus[i].state = TU_FAILED;
			}
	}
	sigaction(SIGCHLD, &old_chld, NULL);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	if (!sig)
		sigprocmask(SIG_SETMASK, &orig, NULL);
	/* with a signal, the mask stays until the caller has cleaned up
	 * and re-raised it */
	return sig;
}

/* ---- the report ------------------------------------------------------ */

/* ---- the command ----------------------------------------------------- */

static int usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nsee 'lockorder check --help'\n", stderr);
	return 2;
}

/* The clang to run: --clang, $LOCKORDER_CLANG, or the clang the plugin
 * was built against. */
static char *choose_clang(const char *opt)
{
	const char *env = getenv("LOCKORDER_CLANG");

	if (opt)
		return xstrdup(opt);
	if (env && *env)
		return xstrdup(env);
	return xstrdup(LOCKORDER_LLVM_BIN "/clang");
}

static void free_check(struct check *c)
{
	size_t i;

	for (i = 0; i < c->ntus; i++) {
		strv_free(&c->tus[i].argv);
		free(c->tus[i].display);
		free(c->tus[i].directory);
		free(c->tus[i].summary);
		free(c->tus[i].log);
		if (c->tus[i].sum)
			lo_summary_free(c->tus[i].sum);
	}
	free(c->tus);
	free(c->rules);
	free(c->plugin);
	free(c->clang);
	if (c->sumdir != c->tmpdir)
		free(c->sumdir);
	free(c->tmpdir);
}

int cmd_check(int argc, char **argv)
{
	enum {
		OPT_RULES = 256, OPT_FORMAT, OPT_ALL, OPT_CROSS, OPT_PLUGIN,
		OPT_CLANG, OPT_KEEP, OPT_BASELINE, OPT_UPDATE,
	};
	static const struct option longopts[] = {
		{ "rules", required_argument, NULL, OPT_RULES },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "all", no_argument, NULL, OPT_ALL },
		{ "cross-file-only", no_argument, NULL, OPT_CROSS },
		{ "plugin", required_argument, NULL, OPT_PLUGIN },
		{ "clang", required_argument, NULL, OPT_CLANG },
		{ "keep-summaries", required_argument, NULL, OPT_KEEP },
		{ "baseline", required_argument, NULL, OPT_BASELINE },
		{ "update-baseline", required_argument, NULL, OPT_UPDATE },
		{ "jobs", required_argument, NULL, 'j' },
		{ "output", required_argument, NULL, 'o' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct check c = { 0 };
	const char *db_arg = NULL, *plugin_arg = NULL;
	const char *clang_arg = NULL, *keep_arg = NULL;
	struct report_options ro = { LO_FORMAT_TEXT, NULL, NULL, NULL };
	int flags = LO_MERGE_ALL, opt, ret = 2, sig;
	char *db_path = NULL, tmpl[PATH_MAX];
	struct lo_errors errs = { 0 };
	lo_rules *rules = NULL;
	lo_merge *m = NULL;
	struct stat st;
	long ncpu;

	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	c.jobs = ncpu > 0 ? (int)ncpu : 1;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+:p:j:o:vh", longopts,
				  NULL)) != -1) {
		switch (opt) {
		case 'p':
			db_arg = optarg;
			break;
		case OPT_RULES:
			c.rules_arg = optarg;
			break;
		case 'j': {
			char *end;
			long n = strtol(optarg, &end, 10);

			if (*end || end == optarg || n < 1 || n > 4096)
				return usage_error("-j expects a number from 1 to 4096, not '%s'",
						   optarg);
			c.jobs = (int)n;
			break;
		}
		case OPT_FORMAT:
			if (lo_format_from_name(optarg, &ro.format) != 0)
				return usage_error("unknown format '%s' (text, json, sarif or html)",
						   optarg);
			break;
		case 'o':
			ro.output = optarg;
			break;
		case OPT_BASELINE:
			ro.baseline = optarg;
			break;
		case OPT_UPDATE:
			ro.update_baseline = optarg;
			break;
		case OPT_ALL:
			flags |= LO_MERGE_ALL;
			break;
		case OPT_CROSS:
			flags &= ~LO_MERGE_ALL;
			break;
		case OPT_PLUGIN:
			plugin_arg = optarg;
			break;
		case OPT_CLANG:
			clang_arg = optarg;
			break;
		case OPT_KEEP:
			keep_arg = optarg;
			break;
		case 'v':
			c.verbose = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		case ':':
			return usage_error("option '%s' needs a value",
					   argv[optind - 1]);
		default:
			if (optopt)
				return usage_error("unknown option '-%c'",
						   optopt);
			return usage_error("unknown option '%s'",
					   argv[optind - 1]);
		}
	}
	if (optind < argc) {
		if (strcmp(argv[optind - 1], "--") == 0)
			return usage_error("wrapping a build is not supported: record "
					   "compile_commands.json (bear, or the kernel's "
					   "gen_compile_commands.py) and pass it with -p");
		return usage_error("unexpected argument '%s'", argv[optind]);
	}
	if (!db_arg)
		return usage_error("expected -p compile_commands.json");
	if (!c.rules_arg)
		return usage_error("expected --rules R");

	/* -p accepts the database or the build directory holding it, like
	 * clang's own tools */
	if (stat(db_arg, &st) == 0 && S_ISDIR(st.st_mode))
		db_path = xasprintf("%s/compile_commands.json", db_arg);
	else
		db_path = xstrdup(db_arg);
	c.db_path = db_path;
	if (access(db_path, R_OK) != 0) {
		fprintf(stderr, PROG ": cannot open '%s': %s\n", db_path,
			strerror(errno));
		goto out;
	}

	/* The rules: parsed here so that a bad file is reported once, not
	 * once per translation unit; and the merge needs them. */
	rules = lo_rules_parse_file(c.rules_arg, &errs);
	if (!rules) {
		if (errs.n == 1 && errs.v[0].line == 0)
			fprintf(stderr, PROG ": %s\n", errs.v[0].msg);
		else
			lo_errors_print(&errs, stderr);
		lo_errors_free(&errs);
		goto out;
	}
	lo_errors_print(&errs, stderr);
	lo_errors_free(&errs);
	/* each compile runs in its own directory: absolute paths only */
	c.rules = realpath(c.rules_arg, NULL);
	if (!c.rules) {
		fprintf(stderr, PROG ": cannot open '%s': %s\n", c.rules_arg,
			strerror(errno));
		goto out;
	}

	if (!plugin_arg)
		plugin_arg = getenv("LOCKORDER_PLUGIN");
	if (!plugin_arg || !*plugin_arg)
		plugin_arg = LOCKORDER_PLUGIN_PATH;
	if (!*plugin_arg) {
		fputs(PROG ": no plugin: this build has none; pass --plugin lockorder.so\n",
		      stderr);
		goto out;
	}
	c.plugin = realpath(plugin_arg, NULL);
	if (!c.plugin) {
		fprintf(stderr, PROG ": cannot open '%s': %s\n", plugin_arg,
			strerror(errno));
		goto out;
	}
	c.clang = choose_clang(clang_arg);
	if (strchr(c.clang, '/')) {
		/* relative to here, not to each entry's directory */
		char *abs = realpath(c.clang, NULL);

		if (!abs || access(abs, X_OK) != 0) {
			fprintf(stderr, PROG ": cannot run '%s': %s\n",
				c.clang, strerror(errno));
			free(abs);
			goto out;
		}
		free(c.clang);
		c.clang = abs;
	}

	snprintf(tmpl, sizeof(tmpl), "%s/lockorder-check.XXXXXX",
		 getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmpl)) {
		fprintf(stderr, PROG ": cannot create a directory in '%s': %s\n",
			getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
			strerror(errno));
		goto out;
	}
	c.tmpdir = xstrdup(tmpl);
	c.sumdir = c.tmpdir;
	if (keep_arg) {
		if (mkdir(keep_arg, 0777) != 0 && errno != EEXIST) {
			fprintf(stderr, PROG ": cannot create '%s': %s\n",
				keep_arg, strerror(errno));
			goto out;
		}
		c.sumdir = realpath(keep_arg, NULL);
		if (!c.sumdir) {
			fprintf(stderr, PROG ": cannot open '%s': %s\n",
				keep_arg, strerror(errno));
			c.sumdir = c.tmpdir;
			goto out;
		}
		clear_old_summaries(c.sumdir);
		c.keep = 1;
	}

	if (read_database(&c, db_path) != 0)
		goto out;

	c.tty = isatty(2);
	sig = run_all(&c);
	if (sig) {
		/* stopped: leave no children and no temporary files, then
		 * die of the signal as the shell expects */
		remove_dir(c.tmpdir);
		lo_rules_free(rules);
		signal(sig, SIG_DFL);
		{
			sigset_t s;

			sigemptyset(&s);
			sigaddset(&s, sig);
			sigprocmask(SIG_UNBLOCK, &s, NULL);
		}
		raise(sig);
		_exit(128 + sig);
	}

	fprintf(stderr, "lockorder: %zu translation unit%s, %zu analysed, %zu failed",
		c.ntus, c.ntus == 1 ? "" : "s", c.analysed, c.failed);
	if (c.skipped)
		fprintf(stderr, " (%zu not C, skipped)", c.skipped);
	fputc('\n', stderr);
	if (c.analysed == 0) {
		fputs(PROG ": no translation unit could be analysed\n", stderr);
		goto out;
	}

	/* in the database's order, not the order the compiles ended in,
	 * so that a report does not depend on -j or on timing */
	m = lo_merge_new(rules);
	for (size_t i = 0; i < c.ntus; i++)
		if (c.tus[i].sum) {
			lo_merge_add(m, c.tus[i].sum);
			c.tus[i].sum = NULL; /* the merge owns it now */
		}
	{
		lo_merge_run(m, flags);
		ret = report_findings(PROG, m, &ro);
	}
out:
	if (m)
		lo_merge_free(m);
	if (rules)
		lo_rules_free(rules);
	if (c.tmpdir)
		remove_dir(c.tmpdir);
	free(db_path);
	free_check(&c);
	return ret;
}

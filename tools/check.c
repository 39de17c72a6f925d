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
 * entry's command (compdb.c) is rerun as the plugin's (plugin_cmd.c), a
 * few at a time (jobs.c).  Each run writes one summary into a private
 * directory; the core then merges them (lo_merge_*) and report.c writes
 * the report.  This file parses the options, checks the inputs once, and
 * ties those steps together.
 *
 * What it does NOT do:
 * - wrap a build (`lockorder check ... -- make`): record the database with
 *   bear 3 or the kernel's scripts/clang-tools/gen_compile_commands.py.
 * - translate gcc-only flags or expand anything in a `command` string
 *   (see plugin_cmd.c and compdb.c for why).
 *
 * Exit status: 0 no findings, 1 findings, 2 bad usage or input (no
 * database, bad rules, no plugin, an output that cannot be written, all
 * checked before the first compile) or no translation unit analysed.
 * A translation unit that fails to compile, or whose summary cannot be
 * read, is reported on stderr and left out; the others are still merged.
 */
#define _GNU_SOURCE /* realpath, mkdtemp, and POSIX.1-2008 everywhere */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "compdb.h"
#include "jobs.h"
#include "lockorder.h"
#include "paths.h"
#include "plugin_cmd.h"
#include "util.h"

#define PROG "lockorder check"

static const char usage_text[] =
	"usage: lockorder check -p compile_commands.json --rules R [-j N]\n"
	"                       [--format text|json|sarif|html] [-o FILE] [--all]\n"
	"                       [--cross-file-only] [--plugin SO] [--clang PATH]\n"
	"                       [--baseline FILE | --update-baseline FILE]\n"
	"                       [--keep-summaries DIR] [-v]\n"
	"\n"
	"Runs the plugin over every translation unit of a compilation database,\n"
	"merges their summaries and reports every finding.  Paths in the report\n"
	"are relative to the database's directory (the top of the tree).\n"
	"\n"
	"  -p PATH               compile_commands.json, or the directory holding it\n"
	"  --rules R             the rules file\n"
	"  -j, --jobs N          translation units analysed at once (default: CPUs)\n"
	"  --format F            text (default), json, sarif or html (a directory)\n"
	"  -o, --output FILE     write the report to FILE ('-': stdout, the default)\n"
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
	"  -v, --verbose         print each command and its diagnostics\n"
	"  -h, --help            print this help\n"
	"\n"
	"Exit status: 0 no findings, 1 findings, 2 bad usage or input.\n";

/* The command line, as given. */
struct check_args {
	const char *db, *rules, *plugin, *clang, *keep;
	struct report_options ro;
	int flags;
	int jobs;
	int verbose;
};

/* One run: the inputs made absolute (each compile runs in its own
 * directory), and what the runs produced. */
struct check {
	char *rules;
	char *plugin;
	char *clang;
	char *tmpdir;  /* private; removed at the end */
	char *sumdir;  /* tmpdir, or --keep-summaries DIR */
	struct compdb db;
	struct jobs js;
	lo_summary **sums; /* one per job, read when it ends */
};

/* Fills A from ARGV.  Returns -1 to go on, or the exit status (0 after
 * --help, 2 after a usage error). */
static int parse_args(int argc, char **argv, struct check_args *a)
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
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int opt;

	a->ro.format = LO_FORMAT_TEXT;
	a->flags = LO_MERGE_ALL;
	a->jobs = ncpu > 0 ? (int)ncpu : 1;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":p:j:o:vh", longopts,
				  NULL)) != -1) {
		switch (opt) {
		case 'p':
			a->db = optarg;
			break;
		case OPT_RULES:
			a->rules = optarg;
			break;
		case 'j': {
			char *end;
			long n = strtol(optarg, &end, 10);

			if (*end || end == optarg || n < 1 || n > 4096)
				return usage_error(PROG, "-j expects a number from 1 to 4096, not '%s'",
						   optarg);
			a->jobs = (int)n;
			break;
		}
		case OPT_FORMAT:
			if (lo_format_from_name(optarg, &a->ro.format) != 0)
				return usage_error(PROG, "unknown format '%s'; use text, json, sarif or html",
						   optarg);
			break;
		case 'o':
			a->ro.output = strcmp(optarg, "-") == 0 ? NULL : optarg;
			break;
		case OPT_BASELINE:
			a->ro.baseline = optarg;
			break;
		case OPT_UPDATE:
			a->ro.update_baseline = optarg;
			break;
		case OPT_ALL:
			a->flags |= LO_MERGE_ALL;
			break;
		case OPT_CROSS:
			a->flags &= ~LO_MERGE_ALL;
			break;
		case OPT_PLUGIN:
			a->plugin = optarg;
			break;
		case OPT_CLANG:
			a->clang = optarg;
			break;
		case OPT_KEEP:
			a->keep = optarg;
			break;
		case 'v':
			a->verbose = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			return option_error(PROG, opt, argv);
		}
	}
	if (optind < argc) {
		if (strcmp(argv[optind - 1], "--") == 0)
			return usage_error(PROG, "wrapping a build is not supported: record "
					   "compile_commands.json (bear, or the kernel's "
					   "gen_compile_commands.py) and pass it with -p");
		return usage_error(PROG, "unexpected argument '%s'", argv[optind]);
	}
	if (!a->db)
		return usage_error(PROG, "no compilation database; pass -p compile_commands.json");
	if (!a->rules)
		return usage_error(PROG, "no rules file; pass --rules FILE");
	return -1;
}

/* realpath(PATH), or NULL after saying why. */
static char *absolute(const char *path)
{
	char *abs = realpath(path, NULL);

	if (!abs)
		fprintf(stderr, PROG ": cannot open '%s': %s\n", path,
			strerror(errno));
	return abs;
}

/* The plugin and the clang to run it in, into C: --plugin,
 * $LOCKORDER_PLUGIN or the one built with this lockorder; --clang,
 * $LOCKORDER_CLANG or the clang the plugin was built against.  Returns 0,
 * or 2 after saying why. */
static int find_plugin(struct check *c, const struct check_args *a)
{
	const char *plugin = a->plugin, *clang = a->clang;

	if (!plugin)
		plugin = getenv("LOCKORDER_PLUGIN");
	if (!plugin || !*plugin)
		plugin = plugin_path(PROG, clang ? clang : getenv("LOCKORDER_CLANG"));
	if (!*plugin)
		return 2;
	c->plugin = absolute(plugin);
	if (!c->plugin)
		return 2;

	if (!clang) {
		const char *env = getenv("LOCKORDER_CLANG");

		clang = env && *env ? env : LOCKORDER_LLVM_BIN "/clang";
	}
	if (!strchr(clang, '/')) {
		c->clang = xstrdup(clang); /* found on $PATH by each run */
		return 0;
	}
	/* relative to here, not to each entry's directory */
	c->clang = realpath(clang, NULL);
	if (!c->clang || access(c->clang, X_OK) != 0) {
		fprintf(stderr, PROG ": cannot run '%s': %s\n", clang,
			strerror(errno));
		return 2;
	}
	return 0;
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

/* The private directory, and --keep-summaries DIR emptied of an earlier
 * run's files.  Returns 0, or 2 after saying why. */
static int make_dirs(struct check *c, const char *keep)
{
	const char *tmp = getenv("TMPDIR");
	char tmpl[PATH_MAX];

	snprintf(tmpl, sizeof(tmpl), "%s/lockorder-check.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(tmpl)) {
		fprintf(stderr, PROG ": cannot create a directory in '%s': %s\n",
			tmp ? tmp : "/tmp", strerror(errno));
		return 2;
	}
	c->tmpdir = xstrdup(tmpl);
	c->sumdir = c->tmpdir;
	if (!keep)
		return 0;
	if (mkdir(keep, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, PROG ": cannot create '%s': %s\n", keep,
			strerror(errno));
		return 2;
	}
	c->sumdir = absolute(keep);
	if (!c->sumdir) {
		c->sumdir = c->tmpdir;
		return 2;
	}
	clear_old_summaries(c->sumdir);
	return 0;
}

/* A job's command ended well: its summary must be readable. */
static int read_summary(struct jobs *js, size_t i, void *arg)
{
	struct check *c = arg;
	struct lo_errors errs = { 0 };
	lo_summary *s = lo_summary_read(js->v[i].output, &errs);

	if (!s) {
		fprintf(stderr, PROG ": %s compiled, but its summary cannot be used:\n",
			js->v[i].display);
		print_errors(PROG, &errs);
	}
	lo_errors_free(&errs);
	c->sums[i] = s;
	return s ? 0 : -1;
}

/* One job per translation unit of C->db: the plugin's command, its
 * summary and its log in C->sumdir, named by the entry's place in the
 * database. */
static void make_jobs(struct check *c, const struct check_args *a)
{
	size_t i;

	c->js.prog = PROG;
	c->js.v = xcalloc(c->db.n, sizeof(*c->js.v));
	c->js.n = c->db.n;
	c->js.max = a->jobs;
	c->js.verbose = a->verbose;
	c->js.tty = isatty(2);
	c->js.on_success = read_summary;
	c->js.arg = c;
	c->sums = xcalloc(c->db.n, sizeof(*c->sums));
	for (i = 0; i < c->db.n; i++) {
		const struct compdb_entry *e = &c->db.v[i];
		struct job *j = &c->js.v[i];

		j->display = xstrdup(e->display);
		j->directory = xstrdup(e->directory);
		j->output = xasprintf("%s/%04zu.lockorder.json", c->sumdir,
				      e->index);
		/* the compiler's output is kept beside the summaries, so a
		 * CI run with --keep-summaries can show why a unit failed */
		j->log = xasprintf("%s/%04zu.log", c->sumdir, e->index);
		plugin_command_in(e->directory, &e->argv, c->clang, c->plugin,
				  c->rules, j->output, &j->argv);
	}
	if (a->verbose)
		plugin_command_note(PROG);
}

/* Stopped by SIG: leave no temporary files, then die of the signal as
 * the shell expects (jobs_run() has stopped the children and left SIG
 * blocked). */
static __attribute__((noreturn)) void die_of_signal(struct check *c, int sig)
{
	sigset_t s;

	remove_dir(c->tmpdir);
	signal(sig, SIG_DFL);
	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	raise(sig);
	_exit(128 + sig);
}

/* The report's paths relative to the top of the tree: the directory of
 * the database DB (kbuild's, and most builds', compile at the top), or
 * when some translation unit was compiled outside it (a database copied
 * elsewhere), the directory every compile ran in or under, as merge
 * takes it.  Real paths both, because each compile records the directory
 * it ran in as getcwd() gives it, symlinks resolved. */
static void set_db_root(lo_merge *m, const char *db)
{
	char *abs = realpath(db, NULL), *common = lo_merge_common_dir(m);
	char *slash;
	size_t n;

	if (abs) {
		slash = strrchr(abs, '/');
		if (slash == abs)
			slash[1] = '\0';
		else if (slash)
			*slash = '\0';
	}
	n = abs ? strlen(abs) : 0;
	if (abs && (!common || (strncmp(common, abs, n) == 0 &&
				(common[n] == '/' || common[n] == '\0' ||
				 n == 1))))
		lo_merge_set_root(m, abs);
	else
		lo_merge_set_root(m, common);
	free(common);
	free(abs);
}

static void free_check(struct check *c)
{
	size_t i;

	for (i = 0; i < c->js.n; i++)
		if (c->sums[i])
			lo_summary_free(c->sums[i]);
	free(c->sums);
	jobs_free(&c->js);
	compdb_free(&c->db);
	free(c->rules);
	free(c->plugin);
	free(c->clang);
	if (c->sumdir != c->tmpdir)
		free(c->sumdir);
	free(c->tmpdir);
}

int cmd_check(int argc, char **argv)
{
	struct check_args a = { 0 };
	struct check c = { 0 };
	char *db_path = NULL;
	lo_rules *rules = NULL;
	lo_merge *m = NULL;
	struct stat st;
	int ret, sig;
	size_t i;

	ret = parse_args(argc, argv, &a);
	if (ret >= 0)
		return ret;
	ret = 2;

	/* -p accepts the database or the build directory holding it, like
	 * clang's own tools */
	if (stat(a.db, &st) == 0 && S_ISDIR(st.st_mode))
		db_path = xasprintf("%s/compile_commands.json", a.db);
	else
		db_path = xstrdup(a.db);
	if (access(db_path, R_OK) != 0) {
		fprintf(stderr, PROG ": cannot open '%s': %s\n", db_path,
			strerror(errno));
		goto out;
	}
	/* every output, and the baseline, before the long work */
	if (report_prepare(PROG, &a.ro) != 0)
		goto out;

	/* The rules: parsed here so that a bad file is reported once, not
	 * once per translation unit; and the merge needs them. */
	rules = load_rules(PROG, a.rules);
	if (!rules || !(c.rules = rules_realpath(PROG, a.rules)))
		goto out;
	if (find_plugin(&c, &a) != 0 || make_dirs(&c, a.keep) != 0)
		goto out;
	if (compdb_read(PROG, db_path, &c.db) != 0)
		goto out;

	make_jobs(&c, &a);
	sig = jobs_run(&c.js);
	if (sig) {
		lo_rules_free(rules);
		die_of_signal(&c, sig);
	}

	fprintf(stderr, PROG ": %zu translation unit%s, %zu analysed, %zu failed",
		c.js.n, c.js.n == 1 ? "" : "s", c.js.nok, c.js.nfailed);
	if (c.db.skipped)
		fprintf(stderr, " (%zu not C, skipped)", c.db.skipped);
	fputc('\n', stderr);
	if (c.js.nok == 0) {
		fputs(PROG ": no translation unit could be analysed\n", stderr);
		goto out;
	}

	/* in the database's order, not the order the compiles ended in,
	 * so that a report does not depend on -j or on timing */
	m = lo_merge_new(rules);
	for (i = 0; i < c.js.n; i++)
		if (c.sums[i]) {
			lo_merge_add(m, c.sums[i]);
			c.sums[i] = NULL; /* the merge owns it now */
		}
	set_db_root(m, db_path);
	lo_merge_run(m, a.flags);
	ret = report_findings(PROG, m, &a.ro);
out:
	if (m)
		lo_merge_free(m);
	if (rules)
		lo_rules_free(rules);
	if (c.tmpdir)
		remove_dir(c.tmpdir);
	free(db_path);
	free_check(&c);
	report_options_free(&a.ro);
	return ret;
}

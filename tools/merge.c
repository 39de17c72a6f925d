/*
 * merge.c - `lockorder merge`: read the summaries the plugin wrote, link
 * them, and report what only shows across translation units.
 *
 *   lockorder merge --rules R [--all] [--format text|json|sarif|html]
 *                   [-o FILE] [--baseline FILE | --update-baseline FILE]
 *                   SUMMARY... | DIR
 *
 * A SUMMARY is a summary file, or an object, archive or ld -r link
 * holding the summaries the plugin embedded (lo_loader); a directory
 * stands for every *.lockorder.json and *.o file under it, in sorted
 * order.  Exit status: 0 no findings, 1 findings, 2 bad usage or input
 * (every unreadable summary is named before giving up; nothing to merge
 * is bad input too, so that a CI gate on a build that wrote no summaries
 * fails).  The report's paths are relative to the directory the
 * summaries were compiled in (set_summaries_root()).
 *
 * What it does NOT do: run the compiler (that is `lockorder check`).  The
 * report goes to stdout or -o FILE; the number of findings and every
 * problem go to stderr.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <getopt.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "lockorder.h"
#include "util.h"

#define PROG "lockorder merge"
#define SUFFIX ".lockorder.json"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds every summary under DIR.  Returns -1 (and says why, after PROG)
 * when a directory cannot be read. */
static int walk(const char *prog, const char *dir, struct strv *out)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc = 0;

	if (!d) {
		fprintf(stderr, "%s: cannot open '%s': %s\n", prog, dir,
			strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		struct stat st;
		char *p;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		if (stat(p, &st) != 0) {
			free(p);
			continue; /* a dangling link, or gone meanwhile */
		}
		if (S_ISDIR(st.st_mode))
			rc |= walk(prog, p, out);
		else if (S_ISREG(st.st_mode) && (ends_with(e->d_name, SUFFIX) ||
						  ends_with(e->d_name, ".o")))
			strv_push(out, p);
		free(p);
	}
	closedir(d);
	return rc;
}

int add_summaries(const char *prog, lo_merge *m, char **inputs, size_t n)
{
	struct lo_errors errs = { 0 };
	lo_loader *loader = lo_loader_new(m);
	const char *empty = NULL;
	size_t k, i, ndirs = 0;
	int bad = 0;

	for (k = 0; k < n; k++) {
		struct strv files = { 0 };
		struct stat st;
		size_t before = lo_loader_added(loader);
		size_t dups = lo_loader_duplicates(loader);
		int dir = stat(inputs[k], &st) == 0 && S_ISDIR(st.st_mode);

		if (dir) {
			if (walk(prog, inputs[k], &files))
				bad = 1;
			if (files.n)
				qsort(files.v, files.n, sizeof(char *), cmp_str);
			ndirs++;
		} else {
			strv_push(&files, inputs[k]);
		}
		for (i = 0; i < files.n; i++)
			if (lo_loader_add(loader, files.v[i], &errs) < 0)
				bad = 1;
		/* a summary seen before through another input counts: the
		 * directory held some */
		if (dir && lo_loader_added(loader) == before &&
		    lo_loader_duplicates(loader) == dups && !empty)
			empty = inputs[k];
		strv_free(&files);
	}
	print_errors(prog, &errs);
	/* nothing to merge is an error: a CI gate must not pass on a
	 * build that left no summaries (the plugin not loaded, the wrong
	 * directory); one empty directory among others is only odd */
	if (!bad && lo_loader_added(loader) == 0) {
		if (ndirs == 1 && n == 1)
			fprintf(stderr, "%s: nothing to merge: no summaries under '%s'\n",
				prog, inputs[0]);
		else
			fprintf(stderr, "%s: nothing to merge: no summaries in the %zu "
				"file%s and folder%s given\n", prog, n,
				n == 1 ? "" : "s", n == 1 ? "" : "s");
		fputs("  (the plugin embeds them in each object it compiles, or writes\n"
		      "  them with -fplugin-arg-lockorder-summary=FILE)\n", stderr);
		bad = 1;
	} else if (!bad && empty) {
		fprintf(stderr, "%s: warning: no summaries under '%s'\n", prog,
			empty);
	}
	lo_errors_free(&errs);
	lo_loader_free(loader);
	return bad ? 2 : 0;
}

void set_summaries_root(lo_merge *m)
{
	char *root = lo_merge_common_dir(m);

	lo_merge_set_root(m, root);
	free(root);
}

const char merge_help[] =
	"usage: lockorder merge --rules R [--all] [--format F] [-o FILE]\n"
	"                       [--baseline FILE | --update-baseline FILE]\n"
	"                       SUMMARY...|DIR...\n"
	"\n"
	"Links the summaries the plugin left during a build and reports what\n"
	"only several translation units together show.  A SUMMARY is a summary\n"
	"file (-fplugin-arg-lockorder-summary=FILE), an object the plugin\n"
	"compiled (it embeds the summary), an archive of objects or an ld -r\n"
	"link of them (vmlinux.o); a directory stands for every *.lockorder.json\n"
	"and *.o under it.  Paths in the report are relative to the directory\n"
	"the summaries were compiled in (the top of the tree).\n"
	"\n"
	"  --rules R              the rules file\n"
	"  --all                  also report what one translation unit shows\n"
	"                         (the plugin reports those at compile time)\n"
	"  --format F             text (default), json, sarif or html (a directory)\n"
	"  -o, --output FILE      write the report to FILE ('-': stdout)\n"
	"  --baseline FILE        report, and fail on, only findings not in FILE\n"
	"  --update-baseline FILE write every finding to FILE as the baseline\n"
	"  --stats                print what the merge worked on (functions,\n"
	"                         calls, witnesses) to stderr\n"
	"  -h, --help             print this help\n"
	"\n"
	"Exit status: 0 no findings, 1 findings, 2 bad usage or input (an\n"
	"unreadable summary, no summaries at all).\n";

int merge_option(const char *prog, int c, const char *arg,
		 struct merge_args *a)
{
	switch (c) {
	case MERGE_OPT_RULES:
		a->rules = arg;
		return 0;
	case MERGE_OPT_FORMAT:
		if (lo_format_from_name(arg, &a->ro.format) != 0)
			return usage_error(prog, "unknown format '%s'; use text, json, sarif or html",
					   arg);
		return 0;
	case MERGE_OPT_ALL:
		a->flags |= LO_MERGE_ALL;
		return 0;
	case MERGE_OPT_BASELINE:
		a->ro.baseline = arg;
		return 0;
	case MERGE_OPT_UPDATE:
		a->ro.update_baseline = arg;
		return 0;
	case MERGE_OPT_STATS:
		a->stats = 1;
		return 0;
	case 'o':
		a->ro.output = strcmp(arg, "-") == 0 ? NULL : arg;
		return 0;
	}
	return 1;
}

static void print_stats(const char *prog, const lo_merge *m)
{
	struct lo_merge_stats st;

	lo_merge_get_stats(m, &st);
	fprintf(stderr,
		"%s: %zu translation units, %zu functions (%zu copies of header "
		"inlines folded), %zu calls (%zu through a struct field that more "
		"than %zu functions are stored in, not followed), %zu witnesses "
		"(%zu contexts), %zu chain nodes, %zu lock classes\n",
		prog, st.tus, st.functions, st.folded, st.calls, st.wide_calls,
		st.wide_limit, st.witnesses, st.contexts, st.nodes, st.classes);
}

int merge_inputs(const char *prog, const lo_rules *rules, char **inputs,
		 size_t n, const struct merge_args *a)
{
	lo_merge *m = lo_merge_new(rules);
	int ret = 2;

	if (add_summaries(prog, m, inputs, n) == 0) {
		set_summaries_root(m);
		lo_merge_run(m, a->flags);
		if (a->stats)
			print_stats(prog, m);
		ret = report_findings(prog, m, &a->ro);
	}
	lo_merge_free(m);
	return ret;
}

int cmd_merge(int argc, char **argv)
{
	static const struct option options[] = {
		MERGE_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct merge_args a = { NULL, { LO_FORMAT_TEXT, NULL, NULL, NULL, NULL }, 0, 0 };
	lo_rules *rules = NULL;
	int c, ret = 2;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:h", options, NULL)) != -1) {
		if (c == 'h') {
			fputs(merge_help, stdout);
			return 0;
		}
		ret = merge_option(PROG, c, optarg, &a);
		if (ret == 1)
			return option_error(PROG, c, argv);
		if (ret != 0)
			return ret;
	}
	ret = 2;
	if (!a.rules)
		return usage_error(PROG, "no rules file; pass --rules FILE");
	if (optind == argc)
		return usage_error(PROG, "no summaries; pass summary files or a directory");
	if (report_prepare(PROG, &a.ro) != 0)
		goto out;
	rules = load_rules(PROG, a.rules);
	if (!rules)
		goto out;
	ret = merge_inputs(PROG, rules, argv + optind, argc - optind, &a);
out:
	lo_rules_free(rules);
	report_options_free(&a.ro);
	return ret;
}

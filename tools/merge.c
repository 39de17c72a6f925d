/*
 * merge.c - `lockorder merge`: read the summaries the plugin wrote, link
 * them, and report what only shows across translation units.
 *
 *   lockorder merge --rules R [--all] [--format text|json|sarif|html]
 *                   [-o FILE] [--baseline FILE | --update-baseline FILE]
 *                   SUMMARY... | DIR
 *
 * A directory stands for every *.lockorder.json file under it, in sorted
 * order.  Exit status: 0 no findings, 1 findings, 2 bad usage or input
 * (every unreadable summary is named before giving up).
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

static const char usage[] =
	"usage: lockorder merge --rules R [--all] [--format text|json|sarif|html] [-o FILE]\n"
	"                       [--baseline FILE | --update-baseline FILE] SUMMARY...|DIR\n";

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
	struct strv files = { 0 };
	struct lo_errors errs = { 0 };
	lo_loader *loader;
	size_t k;
	int bad = 0;

	for (k = 0; k < n; k++) {
		struct stat st;
		size_t first = files.n;

		if (stat(inputs[k], &st) == 0 && S_ISDIR(st.st_mode)) {
			if (walk(prog, inputs[k], &files))
				bad = 1;
			qsort(files.v + first, files.n - first, sizeof(char *),
			      cmp_str);
			if (files.n == first)
				fprintf(stderr, "%s: no summaries (*%s) under '%s'\n",
					prog, SUFFIX, inputs[k]);
		} else {
			strv_push(&files, inputs[k]);
		}
	}
	loader = lo_loader_new(m);
	for (k = 0; k < files.n; k++)
		if (lo_loader_add(loader, files.v[k], &errs) < 0)
			bad = 1;
	for (k = 0; k < errs.n; k++)
		fprintf(stderr, "%s: %s%s\n", prog,
			errs.v[k].severity == LO_SEV_WARNING ? "warning: " : "",
			errs.v[k].msg);
	lo_errors_free(&errs);
	lo_loader_free(loader);
	strv_free(&files);
	return bad ? 2 : 0;
}

int cmd_merge(int argc, char **argv)
{
	enum { OPT_RULES = 256, OPT_FORMAT, OPT_ALL, OPT_BASELINE, OPT_UPDATE };
	static const struct option options[] = {
		{ "rules", required_argument, NULL, OPT_RULES },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "all", no_argument, NULL, OPT_ALL },
		{ "baseline", required_argument, NULL, OPT_BASELINE },
		{ "update-baseline", required_argument, NULL, OPT_UPDATE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *rules_path = NULL;
	struct report_options ro = { LO_FORMAT_TEXT, NULL, NULL, NULL };
	struct strv inputs = { 0 };
	lo_rules *rules;
	lo_merge *m;
	int flags = 0, bad = 0, c, ret;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+o:h", options, NULL)) != -1) {
		switch (c) {
		case OPT_RULES:
			rules_path = optarg;
			break;
		case OPT_FORMAT:
			if (lo_format_from_name(optarg, &ro.format) != 0) {
				fprintf(stderr, PROG ": unknown format '%s'; use text, json, sarif or html\n",
					optarg);
				return 2;
			}
			break;
		case OPT_ALL:
			flags |= LO_MERGE_ALL;
			break;
		case OPT_BASELINE:
			ro.baseline = optarg;
			break;
		case OPT_UPDATE:
			ro.update_baseline = optarg;
			break;
		case 'o':
			ro.output = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			if (optopt && optopt < 256)
				fprintf(stderr, PROG ": '-%c' needs a value\n", optopt);
			else if (optopt)
				fprintf(stderr, PROG ": '%s' needs a value\n",
					argv[optind - 1]);
			else
				fprintf(stderr, PROG ": unknown option '%s'\n",
					argv[optind - 1]);
			fputs(usage, stderr);
			return 2;
		}
	}
	for (; optind < argc; optind++)
		strv_push(&inputs, argv[optind]);
	if (!rules_path) {
		fputs(PROG ": no rules file; pass --rules FILE\n", stderr);
		strv_free(&inputs);
		return 2;
	}
	if (!inputs.n) {
		fputs(PROG ": no summaries; pass summary files or a directory\n",
		      stderr);
		fputs(usage, stderr);
		strv_free(&inputs);
		return 2;
	}

	rules = load_rules(PROG, rules_path);
	if (!rules) {
		strv_free(&inputs);
		return 2;
	}

	m = lo_merge_new(rules);
	if (!m) {
		perror(PROG);
		exit(2);
	}
	bad = add_summaries(PROG, m, inputs.v, inputs.n);
	strv_free(&inputs);
	if (bad) {
		lo_merge_free(m);
		lo_rules_free(rules);
		return 2;
	}

	lo_merge_run(m, flags);
	ret = report_findings(PROG, m, &ro);
	lo_merge_free(m);
	lo_rules_free(rules);
	return ret;
}

/*
 * graph.c - `lockorder graph`: draw the lock order.
 *
 *   lockorder graph --rules R [-o FILE.dot | FILE.svg] [SUMMARY... | DIR]
 *
 * With only the rules, the declared order; with summaries, also the order
 * the code takes (see lo_graph_write_dot).  DOT goes to stdout or -o FILE;
 * a FILE ending in .svg is drawn by Graphviz's dot, when it is installed.
 *
 * What it does NOT do: lay out or render anything itself.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <getopt.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "lockorder.h"
#include "util.h"

#define PROG "lockorder graph"

extern char **environ;

static const char usage[] =
	"usage: lockorder graph --rules R [-o FILE.dot|FILE.svg] [SUMMARY...|DIR]\n";

/* Runs `dot -Tsvg -o SVG DOTFILE`.  Returns 0, or 2 after saying why. */
static int render_svg(const char *dotfile, const char *svg)
{
	char *tmp_svg;
	char *argv[] = { "dot", "-Tsvg", "-o", NULL, (char *)dotfile, NULL };
	pid_t pid;
	int status, rc;

	tmp_svg = xasprintf("%s.tmp.%ld", svg, (long)getpid());
	argv[3] = tmp_svg;
	rc = posix_spawnp(&pid, "dot", NULL, NULL, argv, environ);
	if (rc != 0) {
		fprintf(stderr, PROG ": cannot make '%s': %s (Graphviz's 'dot' is needed for SVG; "
			"write DOT with -o FILE.dot)\n", svg, strerror(rc));
		free(tmp_svg);
		return 2;
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0 || rename(tmp_svg, svg) != 0) {
		fprintf(stderr, PROG ": dot could not draw '%s'\n", svg);
		unlink(tmp_svg);
		free(tmp_svg);
		return 2;
	}
	free(tmp_svg);
	return 0;
}

int cmd_graph(int argc, char **argv)
{
	static const struct option options[] = {
		{ "rules", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *rules_path = NULL, *out = NULL;
	lo_rules *rules;
	lo_merge *m = NULL;
	char *err = NULL;
	int c, ret = 0;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+o:h", options, NULL)) != -1) {
		switch (c) {
		case 'r':
			rules_path = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fprintf(stderr, PROG ": bad option '%s'\n", argv[optind - 1]);
			fputs(usage, stderr);
			return 2;
		}
	}
	if (!rules_path) {
		fputs(PROG ": no rules file; pass --rules FILE\n", stderr);
		return 2;
	}
	rules = load_rules(PROG, rules_path);
	if (!rules)
		return 2;
	if (optind < argc) {
		m = lo_merge_new(rules);
		if (!m || add_summaries(PROG, m, argv + optind,
					(size_t)(argc - optind)) != 0) {
			ret = 2;
			goto done;
		}
		lo_merge_run(m, LO_MERGE_ALL);
	}
	if (!out) {
		if (lo_graph_write_dot(rules, m, stdout) != 0 || fflush(stdout) != 0) {
			perror(PROG ": cannot write the graph");
			ret = 2;
		}
	} else if (ends_with(out, ".svg")) {
		char *dotfile = xasprintf("%s.dot.tmp.%ld", out, (long)getpid());
		if (lo_graph_write_dot_file(rules, m, dotfile, &err) != 0) {
			fprintf(stderr, PROG ": %s\n", err ? err : "cannot write the graph");
			ret = 2;
		} else {
			ret = render_svg(dotfile, out);
		}
		unlink(dotfile);
		free(dotfile);
	} else if (lo_graph_write_dot_file(rules, m, out, &err) != 0) {
		fprintf(stderr, PROG ": %s\n", err ? err : "cannot write the graph");
		ret = 2;
	}
done:
	free(err);
	lo_merge_free(m);
	lo_rules_free(rules);
	return ret;
}

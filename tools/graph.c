/*
 * graph.c - `lockorder graph`: draw the lock order.
 *
 *   lockorder graph --rules R [-o FILE] [--format dot|svg|png|pdf]
 *                   [SUMMARY... | DIR...]
 *
 * With only the rules, the declared order; with summaries, also the order
 * the code takes (see lo_graph_write_dot).  The format is --format, else
 * the name of -o FILE (.dot or .gv, .svg, .png, .pdf), else DOT; any other
 * name is refused rather than filled with text it does not promise.  DOT
 * goes to stdout or is written atomically to FILE; the others are drawn
 * by Graphviz's `dot`, fed the DOT on a pipe, into a temporary file
 * renamed over FILE.  Whether dot is installed and FILE can be written is
 * checked before the summaries are read and merged.
 *
 * What it does NOT do: lay out or render anything itself.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
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

const char graph_help[] =
	"usage: lockorder graph --rules R [-o FILE] [--format dot|svg|png|pdf]\n"
	"                       [SUMMARY...|DIR...]\n"
	"\n"
	"Draws the order the rules declare and, given the summaries the plugin\n"
	"wrote (a directory stands for every *.lockorder.json under it), the\n"
	"order the code takes: declared and taken green, taken but not in the\n"
	"rules dashed blue, against a rule red with its first site.\n"
	"\n"
	"  --rules R              the rules file\n"
	"  -o, --output FILE      write to FILE ('-': stdout, the default); its\n"
	"                         name gives the format: .dot or .gv (DOT), .svg,\n"
	"                         .png, .pdf (drawn by Graphviz's dot)\n"
	"  --format F             dot, svg, png or pdf, whatever FILE's name\n"
	"  -h, --help             print this help\n"
	"\n"
	"Exit status: 0 the graph was written, 2 bad usage or input (dot not\n"
	"installed for svg, png or pdf included).\n";

static const char *const formats[] = { "dot", "svg", "png", "pdf" };

/* The format named NAME, or NULL. */
static const char *format_named(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(name, formats[i]) == 0)
			return formats[i];
	return NULL;
}

/* The format FILE's name gives, or NULL. */
static const char *format_of(const char *file)
{
	const char *base = strrchr(file, '/'), *dot;

	dot = strrchr(base ? base + 1 : file, '.');
	if (!dot)
		return NULL;
	if (strcmp(dot, ".gv") == 0)
		return "dot";
	return format_named(dot + 1);
}

struct graph_ctx {
	const lo_rules *rules;
	const lo_merge *m;
};

static int write_dot(FILE *out, const struct graph_ctx *g)
{
	if (lo_graph_write_dot(g->rules, g->m, out) != 0 || fflush(out) != 0)
		return -1;
	return 0;
}

/*
 * Runs `dot -TFMT [-o TMP]` with the DOT of G on its stdin and renames TMP
 * over OUT (or lets dot write to our stdout when OUT is NULL).  Returns 0,
 * or 2 after saying why, naming OUT as given.
 */
static int render(const char *fmt, const char *out, const struct graph_ctx *g)
{
	char *tflag = xasprintf("-T%s", fmt), *tmp = NULL;
	char *argv[] = { "dot", tflag, NULL, NULL, NULL };
	const char *what = out ? out : "the graph";
	posix_spawn_file_actions_t fa;
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	int pipefd[2], rc, status = -1, ret = 2, werr;
	pid_t pid;
	FILE *to;

	if (out) {
		tmp = xasprintf("%s.tmp.%ld", out, (long)getpid());
		argv[2] = "-o";
		argv[3] = tmp;
	}
	if (pipe2(pipefd, O_CLOEXEC) != 0) {
		fprintf(stderr, PROG ": cannot draw %s%s%s: %s\n", out ? "'" : "",
			what, out ? "'" : "", strerror(errno));
		goto free;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[0], 0);
	rc = posix_spawnp(&pid, "dot", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[0]);
	if (rc != 0) {
		close(pipefd[1]);
		fprintf(stderr, PROG ": cannot run Graphviz's dot: %s; install graphviz, "
			"or write DOT with -o FILE.dot\n", strerror(rc));
		goto free;
	}
	/* dot may die before reading it all: a write error, not a signal */
	sigaction(SIGPIPE, &ign, &old);
	to = fdopen(pipefd[1], "w");
	werr = !to || write_dot(to, g) != 0;
	if (to)
		werr |= fclose(to) != 0;
	else
		close(pipefd[1]);
	sigaction(SIGPIPE, &old, NULL);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		if (WIFEXITED(status))
			fprintf(stderr, PROG ": Graphviz's dot failed (exit status %d) "
				"drawing %s%s%s\n", WEXITSTATUS(status),
				out ? "'" : "", what, out ? "'" : "");
		else
			fprintf(stderr, PROG ": Graphviz's dot died drawing %s%s%s\n",
				out ? "'" : "", what, out ? "'" : "");
	} else if (werr) {
		fprintf(stderr, PROG ": cannot give the graph to Graphviz's dot\n");
	} else if (out && rename(tmp, out) != 0) {
		fprintf(stderr, PROG ": cannot write '%s': %s\n", out,
			strerror(errno));
	} else {
		ret = 0;
	}
free:
	if (tmp && ret != 0)
		unlink(tmp);
	free(tmp);
	free(tflag);
	return ret;
}

int cmd_graph(int argc, char **argv)
{
	enum { OPT_RULES = 256, OPT_FORMAT };
	static const struct option options[] = {
		{ "rules", required_argument, NULL, OPT_RULES },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *rules_path = NULL, *out = NULL, *fmt = NULL;
	struct graph_ctx g = { NULL, NULL };
	lo_rules *rules = NULL;
	lo_merge *m = NULL;
	char *err = NULL;
	int c, ret = 2;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:h", options, NULL)) != -1) {
		switch (c) {
		case OPT_RULES:
			rules_path = optarg;
			break;
		case OPT_FORMAT:
			fmt = format_named(optarg);
			if (!fmt)
				return usage_error(PROG, "unknown format '%s'; use dot, svg, png or pdf",
						   optarg);
			break;
		case 'o':
			out = strcmp(optarg, "-") == 0 ? NULL : optarg;
			break;
		case 'h':
			fputs(graph_help, stdout);
			return 0;
		default:
			return option_error(PROG, c, argv);
		}
	}
	if (!rules_path)
		return usage_error(PROG, "no rules file; pass --rules FILE");
	if (!fmt && out && !(fmt = format_of(out)))
		return usage_error(PROG, "cannot tell the format of '%s' from its name: "
				   "name it .dot, .svg, .png or .pdf, or pass --format", out);
	if (!fmt)
		fmt = "dot";
	/* before the work: what would fail after it */
	if (strcmp(fmt, "dot") != 0 && !on_path("dot")) {
		fprintf(stderr, PROG ": %s needs Graphviz's 'dot', which is not on PATH: "
			"install graphviz (apt install graphviz), or write DOT with "
			"-o FILE.dot\n", fmt);
		return 2;
	}
	if (out && check_output(PROG, out, 0) != 0)
		return 2;

	rules = load_rules(PROG, rules_path);
	if (!rules)
		return 2;
	if (optind < argc) {
		m = lo_merge_new(rules);
		if (add_summaries(PROG, m, argv + optind, (size_t)(argc - optind)) != 0)
			goto done;
		set_summaries_root(m);
		lo_merge_run(m, LO_MERGE_ALL);
	}
	g.rules = rules;
	g.m = m;
	if (strcmp(fmt, "dot") != 0) {
		ret = render(fmt, out, &g);
	} else if (!out) {
		ret = 0;
		if (write_dot(stdout, &g) != 0) {
			fprintf(stderr, PROG ": cannot write the graph: %s\n",
				strerror(errno ? errno : EIO));
			ret = 2;
		}
	} else if (lo_graph_write_dot_file(rules, m, out, &err) != 0) {
		fprintf(stderr, PROG ": %s\n", err ? err : "cannot write the graph");
	} else {
		ret = 0;
	}
done:
	free(err);
	lo_merge_free(m);
	lo_rules_free(rules);
	return ret;
}

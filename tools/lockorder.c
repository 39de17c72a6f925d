/*
 * lockorder.c - the `lockorder` command: a table of subcommands, git
 * style, each a function taking its own argv.
 *
 * What it does NOT do: any analysis of its own.  Every subcommand is a
 * thin shell around the core library (lockorder.h); `rules` parses a
 * rules file and prints what the core understood.  Later subcommands
 * (merge, check) are added to the table below.
 *
 * Exit status: 0 success, 1 findings (for the checking subcommands),
 * 2 usage errors and unreadable or invalid input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lockorder.h"

#define LOCKORDER_VERSION "0.1.0"

struct subcommand {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;   /* arguments after the name */
	const char *summary; /* one line for --help */
};

static int cmd_rules(int argc, char **argv);
static int cmd_explain(int argc, char **argv);
#include "commands.h"

static const struct subcommand subcommands[] = {
	{ "rules", cmd_rules, "FILE",
	  "parse a rules file and print the order it states" },
	{ "explain", cmd_explain, "--rules FILE",
	  "say the rules back as sentences, to compare with the document" },
	{ "clangd", cmd_clangd, "--rules R [--plugin SO] [--clangd CLANGD] [-- ARGS...]",
	  "a language server: clangd, with lockorder's findings added" },
	{ "graph", cmd_graph, "--rules R [-o FILE.dot|FILE.svg] [SUMMARY...|DIR]",
	  "draw the declared order and the order the code takes (Graphviz)" },
	{ "merge", cmd_merge,
	  "[--rules R] [--all] [--format text|json|sarif|html] [-o FILE] [--baseline F] SUMMARY...|DIR",
	  "link translation units' summaries and report what needs several files" },
	{ "check", cmd_check,
	  "-p compile_commands.json --rules R [-j N] [--format text|json|sarif|html] [-o FILE] [--baseline F]",
	  "run the plugin over a compilation database, merge and report" },
};

#define NSUBCOMMANDS (sizeof(subcommands) / sizeof(subcommands[0]))

static void print_usage(FILE *out)
{
	size_t i;

	fputs("usage: lockorder [--help] [--version] <command> [<args>]\n\n"
	      "commands:\n", out);
	for (i = 0; i < NSUBCOMMANDS; i++)
		fprintf(out, "  %-8s %s\n", subcommands[i].name,
			subcommands[i].summary);
	fputs("\nSee 'lockorder <command> --help' for a command's arguments.\n",
	      out);
}

static void print_subusage(FILE *out, const struct subcommand *c)
{
	fprintf(out, "usage: lockorder %s %s\n\n%s\n", c->name, c->usage,
		c->summary);
}

/* Parses the rules file PATH for subcommand PROG; on errors, says them
 * (an unreadable top file in git's voice) and returns NULL. */
static lo_rules *load_rules(const char *path)
{
	struct lo_errors errs = { 0 };
	lo_rules *r = lo_rules_parse_file(path, &errs);

	if (!r && errs.n == 1 && errs.v[0].line == 0)
		fprintf(stderr, "lockorder: %s\n", errs.v[0].msg);
	else
		/* warnings and notes of a successful parse deserve a look */
		lo_errors_print(&errs, stderr);
	lo_errors_free(&errs);
	return r;
}

/* The one rules file a subcommand takes, as FILE or --rules FILE; NULL
 * (after a usage message) when there is not exactly one. */
static const char *rules_arg(int argc, char **argv,
			     const struct subcommand *c)
{
	if (argc == 3 && strcmp(argv[1], "--rules") == 0 && argv[2][0])
		return argv[2];
	if (argc == 2 && strncmp(argv[1], "--rules=", 8) == 0 && argv[1][8])
		return argv[1] + 8;
	if (argc == 2 && argv[1][0] && argv[1][0] != '-')
		return argv[1];
	fprintf(stderr, "lockorder %s: expected one rules file\n", c->name);
	print_subusage(stderr, c);
	return NULL;
}

static int finish_output(void)
{
	if (fflush(stdout) != 0) {
		perror("lockorder: cannot write the output");
		return 2;
	}
	return 0;
}

/* lockorder rules FILE: errors to stderr and exit 2, or the normalised
 * rules to stdout and exit 0. */
static int cmd_rules(int argc, char **argv)
{
	const char *path;
	lo_rules *r;

	if (argc == 2 && (strcmp(argv[1], "--help") == 0 ||
			  strcmp(argv[1], "-h") == 0)) {
		print_subusage(stdout, &subcommands[0]);
		return 0;
	}
	path = rules_arg(argc, argv, &subcommands[0]);
	if (!path || !(r = load_rules(path)))
		return 2;
	lo_rules_print(r, stdout);
	lo_rules_free(r);
	return finish_output();
}

/* lockorder explain --rules FILE: the rules as sentences. */
static int cmd_explain(int argc, char **argv)
{
	const char *path;
	lo_rules *r;

	if (argc == 2 && (strcmp(argv[1], "--help") == 0 ||
			  strcmp(argv[1], "-h") == 0)) {
		print_subusage(stdout, &subcommands[1]);
		return 0;
	}
	path = rules_arg(argc, argv, &subcommands[1]);
	if (!path || !(r = load_rules(path)))
		return 2;
	lo_rules_explain(r, stdout);
	lo_rules_free(r);
	return finish_output();
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		print_usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		print_usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("lockorder %s\n", LOCKORDER_VERSION);
		return 0;
	}
	for (i = 0; i < NSUBCOMMANDS; i++)
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return subcommands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "lockorder: '%s' is not a lockorder command; see 'lockorder --help'\n",
		argv[1]);
	return 2;
}

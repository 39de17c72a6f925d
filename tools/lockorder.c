/*
 * lockorder.c - the `lockorder` command: a table of subcommands, git
 * style, each a function taking its own argv.
 *
 * What it does NOT do: any analysis of its own.  Every subcommand is a
 * thin shell around the core library (lockorder.h); `rules` parses a
 * rules file and prints what the core understood, `explain` says it as
 * sentences.  The other subcommands live in their own files
 * (commands.h); what they share is in util.h.
 *
 * Messages: a subcommand's own start with its name ("lockorder check:
 * cannot open 'x.json': No such file or directory"), this table's with
 * "lockorder:"; a problem at a place in a file is said as a compiler says
 * it ("x.lockorder:3:5: error: ...").  Only the closing count ("2
 * findings"), the result rather than a message, has no prefix.
 *
 * Exit status: 0 success, 1 findings (for the checking subcommands),
 * 2 usage errors and unreadable or invalid input.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lockorder.h"
#include "util.h"


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

/*
 * `lockorder rules FILE` and `lockorder explain --rules FILE`: parse the
 * rules and SAY them to stdout (exit 0), or say what is wrong on stderr
 * (exit 2).
 */
static int say_rules(int argc, char **argv, const struct subcommand *c,
		     void (*say)(const lo_rules *, FILE *))
{
	char prog[64];
	const char *path;
	lo_rules *r;

	if (argc == 2 && (strcmp(argv[1], "--help") == 0 ||
			  strcmp(argv[1], "-h") == 0)) {
		print_subusage(stdout, c);
		return 0;
	}
	snprintf(prog, sizeof(prog), "lockorder %s", c->name);
	path = rules_arg(argc, argv, c);
	if (!path || !(r = load_rules(prog, path)))
		return 2;
	say(r, stdout);
	lo_rules_free(r);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "%s: cannot write the output: %s\n", prog,
			strerror(errno));
		return 2;
	}
	return 0;
}

static int cmd_rules(int argc, char **argv)
{
	return say_rules(argc, argv, &subcommands[0], lo_rules_print);
}

static int cmd_explain(int argc, char **argv)
{
	return say_rules(argc, argv, &subcommands[1], lo_rules_explain);
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
		printf("lockorder %s\n", LO_VERSION);
		return 0;
	}
	for (i = 0; i < NSUBCOMMANDS; i++)
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return subcommands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "lockorder: '%s' is not a lockorder command; see 'lockorder --help'\n",
		argv[1]);
	return 2;
}

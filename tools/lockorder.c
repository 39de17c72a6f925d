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
#include "commands.h"

static const struct subcommand subcommands[] = {
	{ "rules", cmd_rules, "FILE",
	  "parse a rules file and print the order it states" },
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

/* lockorder rules FILE: errors to stderr and exit 2, or the normalised
 * rules to stdout and exit 0. */
static int cmd_rules(int argc, char **argv)
{
	struct lo_errors errs = { 0 };
	lo_rules *r;

	if (argc == 2 && (strcmp(argv[1], "--help") == 0 ||
			  strcmp(argv[1], "-h") == 0)) {
		print_subusage(stdout, &subcommands[0]);
		return 0;
	}
	if (argc != 2 || argv[1][0] == '\0') {
		fputs("lockorder rules: expected one rules file\n", stderr);
		print_subusage(stderr, &subcommands[0]);
		return 2;
	}
	r = lo_rules_parse_file(argv[1], &errs);
	if (!r) {
		/* An unreadable top file is the command's error, not a
		 * line in a file: say it in git's voice. */
		if (errs.n == 1 && errs.v[0].line == 0)
			fprintf(stderr, "lockorder: %s\n", errs.v[0].msg);
		else
			lo_errors_print(&errs, stderr);
		lo_errors_free(&errs);
		return 2;
	}
	/* warnings and notes of a successful parse still deserve a look */
	lo_errors_print(&errs, stderr);
	lo_errors_free(&errs);
	lo_rules_print(r, stdout);
	lo_rules_free(r);
	if (fflush(stdout) != 0) {
		perror("lockorder: cannot write the output");
		return 2;
	}
	return 0;
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

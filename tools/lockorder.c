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
 * Options and operands come in any order (GNU getopt's permutation);
 * "--" ends the options.  `lockorder help NAME` and `lockorder NAME
 * --help` print the same text: the first runs the second.
 *
 * Messages, one style in every subcommand and file of tools/ (util.h has
 * the helpers):
 * - A subcommand's own start with "lockorder NAME: " as git's do
 *   ("lockorder check: cannot open 'x.json': No such file or directory"),
 *   this table's with "lockorder: "; then lowercase, no final period, the
 *   subject in single quotes as the user gave it (never the name of a
 *   temporary file), and what to do where there is something to do.
 * - An error needs no label; a warning says "warning: " after the prefix.
 * - A problem at a place in a file is said as clang says it, with no
 *   prefix: "x.lockorder:3:5: error: ..." (print_errors()).
 * - A usage error ends with "see 'lockorder NAME --help'" (usage_error()).
 * - A message's continuation lines are indented by two spaces.
 * - Only results have no prefix: the closing count ("2 findings") and
 *   check's progress lines ("[3/10] arch/x86/kvm/x86.c (1.2 s)").
 *
 * Exit status: 0 success and no findings, 1 findings (check, merge and
 * build; a failed build keeps its own status),
 * 2 usage errors and unreadable or invalid input, nothing to merge
 * included.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lockorder.h"
#include "build.h"
#include "util.h"


struct subcommand {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary; /* one line for the list of commands */
};

static int cmd_rules(int argc, char **argv);
static int cmd_explain(int argc, char **argv);
#include "commands.h"

/* Each command's help is its own --help: `lockorder help NAME` runs
 * `lockorder NAME --help`, so the two cannot differ. */
static const struct subcommand subcommands[] = {
	{ "rules", cmd_rules,
	  "parse a rules file and print the order it states" },
	{ "explain", cmd_explain,
	  "say the rules back as sentences, to compare with the document" },
	{ "clangd", cmd_clangd,
	  "a language server: clangd, with lockorder's findings added" },
	{ "graph", cmd_graph,
	  "draw the declared order and the order the code takes (Graphviz)" },
	{ "merge", cmd_merge,
	  "link translation units' summaries and report what needs several files" },
	{ "check", cmd_check,
	  "run the plugin over a compilation database, merge and report" },
	{ "build", cmd_build,
	  "run a build with the plugin injected, then merge what it built" },
};

#define NSUBCOMMANDS (sizeof(subcommands) / sizeof(subcommands[0]))

static const char rules_help[] =
	"usage: lockorder rules FILE\n"
	"\n"
	"Parses the rules file FILE (with its includes) and prints what lockorder\n"
	"understood: every lock with its kind, every function with what it does\n"
	"to its arguments, and the order as every ordered pair of its closure\n"
	"with the statements it comes from.  Problems are said as a compiler\n"
	"says them (FILE:LINE:COL: error: ...).\n"
	"\n"
	"  -h, --help             print this help\n"
	"\n"
	"Exit status: 0 the rules are valid, 2 they are not, or bad usage.\n";

static const char explain_help[] =
	"usage: lockorder explain --rules FILE\n"
	"\n"
	"Says every statement of the rules FILE as a sentence in the voice of\n"
	"the locking documentation, with its file:line, so that the document\n"
	"and the rules can be compared.  'lockorder explain FILE' is the same.\n"
	"\n"
	"  --rules FILE           the rules file\n"
	"  -h, --help             print this help\n"
	"\n"
	"Exit status: 0 the rules are valid, 2 they are not, or bad usage.\n";

static void print_usage(FILE *out)
{
	size_t i;

	fputs("usage: lockorder [--help] [--version] <command> [<args>]\n"
	      "       lockorder help <command>\n\n"
	      "commands:\n", out);
	for (i = 0; i < NSUBCOMMANDS; i++)
		fprintf(out, "  %-8s %s\n", subcommands[i].name,
			subcommands[i].summary);
	fputs("\nSee 'lockorder help <command>' or 'lockorder <command> --help' for\n"
	      "a command's options, and lockorder(1) for the rules language.\n"
	      "\n"
	      "Exit status: 0 no findings, 1 findings, 2 bad usage or input.\n",
	      out);
}

/* The one rules file a subcommand takes, as FILE or --rules FILE; NULL
 * (after a usage message) when there is not exactly one. */
static const char *rules_arg(int argc, char **argv, const char *prog)
{
	if (argc == 3 && strcmp(argv[1], "--rules") == 0 && argv[2][0])
		return argv[2];
	if (argc == 2 && strncmp(argv[1], "--rules=", 8) == 0 && argv[1][8])
		return argv[1] + 8;
	if (argc == 2 && argv[1][0] && argv[1][0] != '-')
		return argv[1];
	if (argc >= 2 && argv[1][0] == '-' && strcmp(argv[1], "--rules") != 0 &&
	    strncmp(argv[1], "--rules=", 8) != 0)
		usage_error(prog, "unknown option '%s'", argv[1]);
	else
		usage_error(prog, "expected one rules file");
	return NULL;
}

/*
 * `lockorder rules FILE` and `lockorder explain --rules FILE`: parse the
 * rules and SAY them to stdout (exit 0), or say what is wrong on stderr
 * (exit 2).
 */
static int say_rules(int argc, char **argv, const char *help,
		     void (*say)(const lo_rules *, FILE *))
{
	char prog[64];
	const char *path;
	lo_rules *r;
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(help, stdout);
			return 0;
		}
	snprintf(prog, sizeof(prog), "lockorder %s", argv[0]);
	path = rules_arg(argc, argv, prog);
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
	return say_rules(argc, argv, rules_help, lo_rules_print);
}

static int cmd_explain(int argc, char **argv)
{
	return say_rules(argc, argv, explain_help, lo_rules_explain);
}

static const struct subcommand *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NSUBCOMMANDS; i++)
		if (strcmp(name, subcommands[i].name) == 0)
			return &subcommands[i];
	return NULL;
}

static int not_a_command(const char *name)
{
	fprintf(stderr, "lockorder: '%s' is not a lockorder command; see 'lockorder --help'\n",
		name);
	return 2;
}

/* `lockorder help [NAME]`: the list of commands, or NAME's --help. */
static int help(int argc, char **argv)
{
	const struct subcommand *c;
	char *args[3];

	if (argc < 2) {
		print_usage(stdout);
		return 0;
	}
	if (argc > 2) {
		fputs("lockorder help: expected one command\n"
		      "see 'lockorder --help'\n", stderr);
		return 2;
	}
	c = find_command(argv[1]);
	if (!c)
		return not_a_command(argv[1]);
	args[0] = (char *)c->name;
	args[1] = "--help";
	args[2] = NULL;
	return c->run(2, args);
}

int main(int argc, char **argv)
{
	const struct subcommand *c;

	/* run as lockorder-cc: the compiler `lockorder build` puts in CC */
	if (build_cc_invoked(argv[0]))
		return build_cc_main(argc, argv);
	if (argc < 2) {
		print_usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)
		return help(argc - 1, argv + 1);
	if (strcmp(argv[1], "--version") == 0) {
		printf("lockorder %s\n", LO_VERSION);
		return 0;
	}
	if (argv[1][0] == '-') {
		fprintf(stderr, "lockorder: unknown option '%s'\n"
			"see 'lockorder --help'\n", argv[1]);
		return 2;
	}
	c = find_command(argv[1]);
	if (!c)
		return not_a_command(argv[1]);
	return c->run(argc - 1, argv + 1);
}

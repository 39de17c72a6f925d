/*
 * commands.h - the subcommands of `lockorder` that live in their own files.
 * Each takes the arguments after its name (argv[0] is the name), options
 * and operands in any order, and returns the exit status: 0 no findings,
 * 1 findings, 2 bad usage or input.  Each prints its whole help for
 * --help, the one text `lockorder help NAME` prints too (lockorder.c runs
 * it with "--help").
 */
#ifndef LOCKORDER_COMMANDS_H
#define LOCKORDER_COMMANDS_H

int cmd_merge(int argc, char **argv); /* merge.c */
int cmd_check(int argc, char **argv); /* check.c */
int cmd_graph(int argc, char **argv); /* graph.c */
int cmd_clangd(int argc, char **argv); /* clangd.c */
int cmd_build(int argc, char **argv); /* build.c */

#include "lockorder.h"

/* How merge and check end: the report's format and file (stdout when
 * NULL), and a baseline to apply or to write. */
struct report_options {
	enum lo_format format;
	const char *output;
	const char *baseline;        /* --baseline FILE: report only new */
	const char *update_baseline; /* --update-baseline FILE: write it */
	lo_baseline *known;          /* --baseline's, read by report_prepare() */
};

/* Before the long work: checks that -o and --update-baseline can be
 * written (check_output()) and reads --baseline into O->known.  Returns
 * 0, or 2 after saying why; report_options_free() frees O->known either
 * way.  report.c */
int report_prepare(const char *prog, struct report_options *o);
void report_options_free(struct report_options *o);

/* Applies or writes the baseline, writes the report, says how many
 * findings on stderr.  Returns the exit status: 0 no (new) findings, 1
 * findings, 2 a file could not be written.  report.c */
int report_findings(const char *prog, lo_merge *m,
		    const struct report_options *o);

/* Reads the summaries INPUTS (files, or directories standing for every
 * *.lockorder.json under them, sorted) into M.  Every unreadable one is
 * named on stderr; returns 0, or 2 when any was or when there was none
 * (nothing to merge).  merge.c */
int add_summaries(const char *prog, lo_merge *m, char **inputs, size_t n);

/* Puts M's findings relative to the directory its summaries were
 * compiled in (lo_merge_common_dir()), when they share one.  merge.c */
void set_summaries_root(lo_merge *m);

/* The options merge and build share, their getopt_long() values, and the
 * entries of their option table (MERGE_LONGOPTS, with -o). */
enum {
	MERGE_OPT_RULES = 256, MERGE_OPT_FORMAT, MERGE_OPT_ALL,
	MERGE_OPT_BASELINE, MERGE_OPT_UPDATE, MERGE_OPT_STATS,
};
#define MERGE_LONGOPTS \
	{ "rules", required_argument, NULL, MERGE_OPT_RULES }, \
	{ "format", required_argument, NULL, MERGE_OPT_FORMAT }, \
	{ "all", no_argument, NULL, MERGE_OPT_ALL }, \
	{ "baseline", required_argument, NULL, MERGE_OPT_BASELINE }, \
	{ "update-baseline", required_argument, NULL, MERGE_OPT_UPDATE }, \
	{ "stats", no_argument, NULL, MERGE_OPT_STATS }, \
	{ "output", required_argument, NULL, 'o' }

struct merge_args {
	const char *rules; /* --rules R, as given */
	struct report_options ro;
	int flags;         /* LO_MERGE_* */
	int stats;         /* --stats: the merge's figures to stderr */
};

/* Takes the option C (as getopt_long() returned it) with its value ARG
 * into A.  Returns 0, 1 when C is not one of merge's, or 2 after a usage
 * error.  merge.c */
int merge_option(const char *prog, int c, const char *arg,
		 struct merge_args *a);

/* Merges the summaries INPUTS (as add_summaries() reads them) under
 * RULES and reports as A says (report_prepare() done).  Returns the exit
 * status: 0 no findings, 1 findings, 2 bad input.  merge.c */
int merge_inputs(const char *prog, const lo_rules *rules, char **inputs,
		 size_t n, const struct merge_args *a);

/* clangd.c finds and rewrites compile commands as check.c does. */
#include "compdb.h"
#include "paths.h"
#include "plugin_cmd.h"
#include "util.h"

#endif

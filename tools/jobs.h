/*
 * jobs.h - run a list of compile commands, several at a time, each with
 * its output in a log file.  jobs.c
 */
#ifndef LOCKORDER_JOBS_H
#define LOCKORDER_JOBS_H

#include <stddef.h>
#include <sys/types.h>

#include "util.h"

enum job_state { JOB_PENDING, JOB_RUNNING, JOB_OK, JOB_FAILED };

/* One command.  The strings belong to the job; jobs_free() frees them. */
struct job {
	char *display;    /* how progress and errors name it */
	char *directory;  /* where the command runs */
	struct strv argv; /* the command, found on $PATH when it has no '/' */
	char *log;        /* its stdout and stderr */
	char *output;     /* a file it writes, removed before it starts (a
			   * stale one must not pass for a new one); or NULL */
	pid_t pid;
	double start;
	enum job_state state;
};

struct jobs {
	const char *prog; /* "lockorder check", before every message */
	struct job *v;    /* allocated by the caller; jobs_free() frees it */
	size_t n;
	int max;          /* commands at once, at least 1 */
	int verbose;      /* say each command, and copy every log */
	int tty;          /* a progress line as each command ends */
	/* Called when job I exits with status 0; returns 0 when what it
	 * wrote is good, or -1 (after saying why) to count it as failed. */
	int (*on_success)(struct jobs *js, size_t i, void *arg);
	void *arg;
	size_t ndone, nok, nfailed;
};

/*
 * Runs every job of JS, JS->max at a time, and says on stderr which
 * failed and why (the first lines of the log that say "error").  Returns
 * 0, or the signal (SIGINT, SIGTERM, SIGHUP) that stopped it: the
 * commands running are then stopped and reaped, and the signal stays
 * blocked, so that the caller can clean up and raise it again.
 */
int jobs_run(struct jobs *js);
void jobs_free(struct jobs *js);

#endif

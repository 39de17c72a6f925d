/*
 * jobs.c - the job runner of `lockorder check`: start each compile in its
 * directory with its output in a log, a few at a time, report progress
 * and failures, and stop cleanly on ^C.
 *
 * What it does NOT do: know what a command is for.  It neither builds the
 * commands (plugin_cmd.c) nor reads what they write: the caller's
 * on_success() judges the output of each command that succeeded.
 */
#define _GNU_SOURCE /* strsignal, and POSIX.1-2008 everywhere */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "jobs.h"

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

static void on_child(int sig)
{
	(void)sig; /* only to wake sigsuspend() */
}

/* Prints the command of J as a shell would take it back, for -v. */
static void print_command(const char *prog, const struct job *j)
{
	size_t i;

	fprintf(stderr, "%s: cd '%s' &&", prog, j->directory);
	for (i = 0; i < j->argv.n; i++) {
		const char *a = j->argv.v[i];

		if (a[strcspn(a, " \t\n'\"\\$`*?[]#~;&|<>()")] == '\0' && *a) {
			fprintf(stderr, " %s", a);
			continue;
		}
		fputs(" '", stderr);
		for (; *a; a++) {
			if (*a == '\'')
				fputs("'\\''", stderr);
			else
				fputc(*a, stderr);
		}
		fputc('\'', stderr);
	}
	fputc('\n', stderr);
}

/* Starts J: its output and diagnostics go to its log.  ORIG is the
 * signal mask to give the child back. */
static int spawn(struct job *j, const sigset_t *orig)
{
	pid_t pid;

	if (j->argv.n == 0)
		return -1;
	if (j->output)
		unlink(j->output);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(j->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			      0666);
		int null = open("/dev/null", O_RDONLY | O_CLOEXEC);

		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		sigprocmask(SIG_SETMASK, orig, NULL);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		if (null >= 0)
			dup2(null, 0);
		if (chdir(j->directory) != 0) {
			dprintf(2, "error: cannot change to '%s': %s\n",
				j->directory, strerror(errno));
			_exit(127);
		}
		if (strchr(j->argv.v[0], '/'))
			execv(j->argv.v[0], j->argv.v);
		else
			execvp(j->argv.v[0], j->argv.v);
		dprintf(2, "error: cannot run '%s': %s\n", j->argv.v[0],
			strerror(errno));
		_exit(127);
	}
	j->pid = pid;
	j->start = now_seconds();
	j->state = JOB_RUNNING;
	return 0;
}

/* Copies the log of J to stderr: all of it (-v), or the first lines that
 * say "error" (at most MAX; the first MAX lines if none does). */
static void print_log(const struct job *j, size_t max, int all)
{
	FILE *f = fopen(j->log, "r");
	char *line = NULL;
	size_t cap = 0, shown = 0;
	ssize_t len;

	if (!f)
		return;
	while ((len = getline(&line, &cap, f)) > 0) {
		if (all) {
			fputs(line, stderr);
			if (line[len - 1] != '\n')
				fputc('\n', stderr);
			continue;
		}
		if (!strstr(line, "error:"))
			continue;
		fprintf(stderr, "  %s", line);
		if (line[len - 1] != '\n')
			fputc('\n', stderr);
		if (++shown == max)
			break;
	}
	if (!all && shown == 0) {
		rewind(f);
		while (shown < max && (len = getline(&line, &cap, f)) > 0) {
			if (len == 1)
				continue;
			fprintf(stderr, "  %s", line);
			if (line[len - 1] != '\n')
				fputc('\n', stderr);
			shown++;
		}
	}
	free(line);
	fclose(f);
}

/* Job I ended with STATUS: report it, and let the caller judge its
 * output. */
static void finish(struct jobs *js, size_t i, int status)
{
	struct job *j = &js->v[i];
	double secs = now_seconds() - j->start;
	int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;

	js->ndone++;
	if (js->tty)
		fprintf(stderr, "[%zu/%zu] %s (%.1f s)\n", js->ndone, js->n,
			j->display, secs);
	if (js->verbose && ok)
		print_log(j, 0, 1);
	if (!ok) {
		j->state = JOB_FAILED;
		js->nfailed++;
		if (WIFSIGNALED(status))
			fprintf(stderr,
				"%s: %s failed to compile: clang was killed by signal %d (%s)\n",
				js->prog, j->display, WTERMSIG(status),
				strsignal(WTERMSIG(status)));
		else
			fprintf(stderr,
				"%s: %s failed to compile: clang exited with status %d\n",
				js->prog, j->display, WEXITSTATUS(status));
		print_log(j, 5, js->verbose);
		return;
	}
	if (js->on_success && js->on_success(js, i, js->arg) != 0) {
		j->state = JOB_FAILED;
		js->nfailed++;
		return;
	}
	j->state = JOB_OK;
	js->nok++;
}

static ssize_t find_pid(const struct jobs *js, pid_t pid)
{
	size_t i;

	for (i = 0; i < js->n; i++)
		if (js->v[i].state == JOB_RUNNING && js->v[i].pid == pid)
			return (ssize_t)i;
	return -1;
}

/*
 * SIGCHLD, SIGINT, SIGTERM and SIGHUP are blocked outside sigsuspend(),
 * so a child's end or a ^C cannot slip between the check and the wait.
 */
int jobs_run(struct jobs *js)
{
	sigset_t block, orig, wait_mask;
	struct sigaction sa, old_int, old_term, old_hup, old_chld;
	size_t next = 0, running = 0, i;
	int sig;

	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &orig);
	wait_mask = orig;
	sigdelset(&wait_mask, SIGCHLD);
	sigdelset(&wait_mask, SIGINT);
	sigdelset(&wait_mask, SIGTERM);
	sigdelset(&wait_mask, SIGHUP);

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_child;
	sigaction(SIGCHLD, &sa, &old_chld);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	/* a run under nohup keeps ignoring what it was told to ignore */
	if (old_int.sa_handler == SIG_IGN)
		sigaction(SIGINT, &old_int, NULL);
	if (old_hup.sa_handler == SIG_IGN)
		sigaction(SIGHUP, &old_hup, NULL);

	while ((next < js->n || running > 0) && !got_signal) {
		pid_t pid;
		int status, reaped = 0;

		while (running < (size_t)js->max && next < js->n) {
			struct job *j = &js->v[next++];

			if (js->verbose)
				print_command(js->prog, j);
			if (spawn(j, &orig) != 0) {
				fprintf(stderr,
					"%s: %s: cannot start clang: %s\n",
					js->prog, j->display, strerror(errno));
				j->state = JOB_FAILED;
				js->nfailed++;
				js->ndone++;
				continue;
			}
			running++;
		}
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			ssize_t k = find_pid(js, pid);

			reaped = 1;
			if (k < 0)
				continue;
			running--;
			finish(js, (size_t)k, status);
		}
		if (!reaped && running > 0 && !got_signal)
			sigsuspend(&wait_mask);
	}

	sig = got_signal;
	if (sig) {
		for (i = 0; i < js->n; i++)
			if (js->v[i].state == JOB_RUNNING)
				kill(js->v[i].pid, SIGTERM);
		for (i = 0; i < js->n; i++)
			if (js->v[i].state == JOB_RUNNING) {
				waitpid(js->v[i].pid, NULL, 0);
				js->v[i].state = JOB_FAILED;
			}
	}
	sigaction(SIGCHLD, &old_chld, NULL);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	if (!sig)
		sigprocmask(SIG_SETMASK, &orig, NULL);
	/* with a signal, the mask stays until the caller has cleaned up
	 * and re-raised it */
	return sig;
}

void jobs_free(struct jobs *js)
{
	size_t i;

	for (i = 0; i < js->n; i++) {
		free(js->v[i].display);
		free(js->v[i].directory);
		strv_free(&js->v[i].argv);
		free(js->v[i].log);
		free(js->v[i].output);
	}
	free(js->v);
	js->v = NULL;
	js->n = 0;
}

/*
 * clangd_run.c - one plugin run for `lockorder clangd`: the file's compile
 * command (clangd_cmd.c) rewritten for the plugin (plugin_cmd.c), the
 * editor's unsaved text handed to clang, clang started in the background,
 * and at its end either lockorder's findings as LSP diagnostics or the
 * one diagnostic that says why the file could not be analysed.
 *
 * Unsaved text: the text of every document the editor changed is written
 * to a file of the server's private directory, and clang is told to read
 * that file in place of the real one (-Xclang -remap-file -Xclang
 * REAL;COPY).  Clang's own mechanism, so every location, the plugin's
 * findings included, names the real file with the buffer's line numbers.
 *
 * Each run is a process group of its own, so a timeout or a newer edit
 * kills whatever the clang it runs started too.
 *
 * What it does NOT do: decide when to run or what to publish (clangd.c),
 * or look at clang's warnings (-w: they are clangd's to show).  Of what
 * clang says only the first error is kept, as the reason a run failed.
 */
#define _GNU_SOURCE /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clangd_cmd.h"
#include "clangd_run.h"
#include "plugin_cmd.h"

#define OUT_MAX 65536 /* bytes of clang's messages kept */

double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The message without our program's prefix: it sits in the editor. */
static const char *unprefixed(const char *msg)
{
	static const char prefix[] = "lockorder clangd: ";

	return strncmp(msg, prefix, sizeof(prefix) - 1) == 0
		       ? msg + sizeof(prefix) - 1
		       : msg;
}

int run_start(struct run *r, const struct run_setup *s, const char *path,
	      const struct remap *remaps, size_t n, char **why)
{
	static unsigned long next_id;
	struct file_command fc;
	struct strv argv = { 0 };
	char *err = NULL, *arg;
	int p[2], null;
	size_t i;

	if (file_command_find(path, s->ccdir, &fc, &err) != 0) {
		*why = xasprintf("lockorder could not analyse this file: %s",
				 unprefixed(err));
		free(err);
		file_command_free(&fc);
		return -1;
	}
	plugin_command_in(fc.dir, &fc.argv, s->clang, s->plugin, s->rules, NULL,
			  &argv);
	/* Clang's own warnings stay clangd's: -w silences them and not the
	 * plugin's report, a file of its own. */
	strv_push(&argv, "-w");
	strv_push(&argv, "-fno-color-diagnostics");
	strv_push(&argv, "-fno-caret-diagnostics");
	r->id = ++next_id;
	r->findings = xasprintf("%s/findings-%lu.json", s->tmpdir, r->id);
	arg = xasprintf("-fplugin-arg-lockorder-findings=%s", r->findings);
	strv_push(&argv, arg);
	free(arg);
	for (i = 0; i < n; i++) {
		strv_push(&argv, "-Xclang");
		strv_push(&argv, "-remap-file");
		strv_push(&argv, "-Xclang");
		arg = xasprintf("%s;%s", remaps[i].path, remaps[i].text_file);
		strv_push(&argv, arg);
		free(arg);
	}

	null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (null < 0 || pipe2(p, O_CLOEXEC) != 0) {
		*why = xasprintf("lockorder could not analyse this file: cannot start clang: %s",
				 strerror(errno));
		if (null >= 0)
			close(null);
		goto fail;
	}
	r->pid = fork();
	if (r->pid == 0) {
		setpgid(0, 0);
		signal(SIGPIPE, SIG_DFL);
		dup2(null, 0);
		dup2(p[1], 1);
		dup2(p[1], 2);
		if (chdir(fc.dir) != 0) {
			fprintf(stderr, "cannot enter '%s': %s\n", fc.dir, strerror(errno));
			_exit(127);
		}
		execvp(argv.v[0], argv.v);
		fprintf(stderr, "cannot run '%s': %s\n", argv.v[0], strerror(errno));
		_exit(127);
	}
	close(p[1]);
	close(null);
	if (r->pid < 0) {
		*why = xasprintf("lockorder could not analyse this file: cannot start clang: %s",
				 strerror(errno));
		close(p[0]);
		r->pid = 0;
		goto fail;
	}
	setpgid(r->pid, r->pid); /* whichever of the two runs first */
	r->fd = p[0];
	r->path = xstrdup(path);
	r->dir = fc.dir;
	fc.dir = NULL;
	r->guessed = fc.guessed;
	r->outlen = 0;
	r->start = now_seconds();
	strv_free(&argv);
	file_command_free(&fc);
	return 0;
fail:
	free(r->findings);
	r->findings = NULL;
	strv_free(&argv);
	file_command_free(&fc);
	return -1;
}

int run_read(struct run *r)
{
	char scratch[4096], *to = scratch;
	size_t room = sizeof(scratch);
	ssize_t got;

	if (r->outlen < OUT_MAX) {
		if (r->outcap < OUT_MAX + 1) {
			r->outcap = OUT_MAX + 1;
			r->out = xrealloc(r->out, r->outcap);
		}
		to = r->out + r->outlen;
		room = OUT_MAX - r->outlen;
	}
	got = read(r->fd, to, room);
	if (got > 0 && to != scratch)
		r->outlen += (size_t)got;
	if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN))
		return 1;
	return 0;
}

/* FILE of a report entry or a message, as a real path: relative to DIR. */
static char *real_of(const char *file, const char *dir)
{
	char *full = file[0] == '/' || !dir ? xstrdup(file)
					     : xasprintf("%s/%s", dir, file);
	char *r = realpath(full, NULL);

	if (!r)
		return full;
	free(full);
	return r;
}

static char *path_uri(const char *path)
{
	char *u = xrealloc(NULL, strlen(path) * 3 + 8), *o = u;

	o += sprintf(o, "file://");
	for (const unsigned char *s = (const unsigned char *)path; *s; s++) {
		if (*s <= ' ' || *s == '%' || *s == '#' || *s == '?' || *s >= 0x7f)
			o += sprintf(o, "%%%02X", *s);
		else
			*o++ = (char)*s;
	}
	*o = '\0';
	return u;
}

/* An LSP range at clang's LINE:COL (1-based) of PATH. */
static json_t *range_at(const char *path, long line, long col,
			character_fn character, void *ctx)
{
	long l = line > 0 ? line - 1 : 0, c = col > 0 ? col - 1 : 0;
	long start = character(ctx, path, l, c);
	long end = character(ctx, path, l, c + 1);

	if (end <= start)
		end = start + 1;
	return json_pack("{s:{s:I,s:I}, s:{s:I,s:I}}", "start", "line",
			 (json_int_t)l, "character", (json_int_t)start, "end",
			 "line", (json_int_t)l, "character", (json_int_t)end);
}

static json_t *location(const char *real, long line, long col,
			character_fn character, void *ctx)
{
	char *u = path_uri(real);
	json_t *loc = json_pack("{s:s, s:o}", "uri", u, "range",
				range_at(real, line, col, character, ctx));

	free(u);
	return loc;
}

/* The plugin's findings on R's file, as LSP diagnostics; NULL when the
 * report cannot be read. */
static json_t *findings_of(const struct run *r, character_fn character,
			   void *ctx)
{
	json_t *report = json_load_file(r->findings, 0, NULL), *list, *f;
	json_t *fs = json_object_get(report, "findings");
	char *real = real_of(r->path, NULL);
	size_t i, k;

	if (!json_is_array(fs)) {
		json_decref(report);
		free(real);
		return NULL;
	}
	list = json_array();
	json_array_foreach(fs, i, f) {
		const char *file = json_string_value(json_object_get(f, "file"));
		const char *dir = json_string_value(json_object_get(f, "directory"));
		const char *msg = json_string_value(json_object_get(f, "message"));
		json_t *d, *related, *notes = json_object_get(f, "notes"), *n;
		char *fr;

		if (!file || !msg)
			continue;
		if (!dir)
			dir = r->dir;
		fr = real_of(file, dir);
		if (strcmp(fr, real) != 0) {
			free(fr);
			continue; /* a finding in a header: another file's */
		}
		free(fr);
		related = json_array();
		json_array_foreach(notes, k, n) {
			const char *nf = json_string_value(json_object_get(n, "file"));
			const char *nm = json_string_value(json_object_get(n, "message"));
			char *nr;

			if (!nf || !nm)
				continue;
			nr = real_of(nf, dir);
			json_array_append_new(
				related,
				json_pack("{s:o, s:s}", "location",
					  location(nr, (long)json_integer_value(json_object_get(n, "line")),
						   (long)json_integer_value(json_object_get(n, "col")),
						   character, ctx),
					  "message", nm));
			free(nr);
		}
		d = json_pack("{s:o, s:i, s:s, s:s, s:o}", "range",
			      range_at(real, (long)json_integer_value(json_object_get(f, "line")),
				       (long)json_integer_value(json_object_get(f, "col")),
				       character, ctx),
			      "severity", 2, "source", "lockorder", "message", msg,
			      "relatedInformation", related);
		json_array_append_new(list, d);
	}
	json_decref(report);
	free(real);
	return list;
}

json_t *status_diagnostic(const char *message, int severity, json_t *related)
{
	json_t *d = json_pack("{s:{s:{s:i,s:i}, s:{s:i,s:i}}, s:i, s:s, s:s}",
			      "range", "start", "line", 0, "character", 0, "end",
			      "line", 0, "character", 0, "severity", severity,
			      "source", "lockorder", "message", message);

	if (related)
		json_object_set_new(d, "relatedInformation", related);
	return d;
}

/* The first line of clang's messages that says "error", or NULL. */
static char *first_error(const struct run *r)
{
	const char *p = r->out, *end;

	if (!p)
		return NULL;
	end = p + r->outlen;
	while (p && p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);
		char *line = strndup(p, n);

		if (!line)
			return NULL;
		if (strstr(line, "error: ") || strncmp(line, "cannot ", 7) == 0)
			return line;
		free(line);
		p = eol ? eol + 1 : NULL;
	}
	return NULL;
}

/* Why a run that exited with STATUS failed: the status diagnostic. */
static json_t *failure(const struct run *r, const struct run_setup *s,
		       int status, character_fn character, void *ctx)
{
	char *line = first_error(r), *msg;
	json_t *related = NULL, *d;
	int severity = 2;

	if (WIFSIGNALED(status)) {
		msg = xasprintf("lockorder could not analyse this file: clang was killed by signal %d (%s)",
				WTERMSIG(status), strsignal(WTERMSIG(status)));
	} else if (!line) {
		msg = xasprintf("lockorder could not analyse this file: the compile failed (exit %d)",
				WEXITSTATUS(status));
	} else {
		/* FILE:LINE:COL: error: ..., where the cause is */
		const char *what = "the compile failed";
		char file[PATH_MAX];
		long l = 0, c = 0;
		char *real = NULL;

		if (sscanf(line, "%4095[^:]:%ld:%ld:", file, &l, &c) == 3 && l > 0) {
			real = real_of(file, r->dir);
			related = json_pack("[{s:o, s:s}]", "location",
					    location(real, l, c, character, ctx),
					    "message", "clang's first error");
		}
		if (strncmp(line, "cannot ", 7) == 0)
			what = "cannot run clang";
		else if (strstr(line, "unable to load plugin"))
			what = "clang cannot load the plugin";
		else if (real && strcmp(real, s->rules) == 0)
			what = "the rules are invalid";
		else
			severity = 3; /* the file's own errors, which clangd shows */
		msg = xasprintf("lockorder could not analyse this file: %s: %s%s", what,
				line, r->guessed ? " (the command is a neighbour's: "
						   "the compilation database does not list this file)"
						 : "");
		free(real);
	}
	fprintf(stderr, "lockorder clangd: '%s': %s\n", r->path, msg);
	d = status_diagnostic(msg, severity, related);
	free(msg);
	free(line);
	return d;
}

void run_finish(struct run *r, const struct run_setup *s, enum run_end how,
		character_fn character, void *ctx, json_t **diags,
		json_t **status)
{
	int st = 0;

	*diags = *status = NULL;
	if (how != RUN_DONE)
		kill(-r->pid, SIGKILL);
	while (waitpid(r->pid, &st, 0) < 0 && errno == EINTR)
		;
	close(r->fd);
	if (how == RUN_TIMED_OUT) {
		char *msg = xasprintf("lockorder gave up on this file: the plugin took longer "
				      "than %d s (lockorder clangd --timeout)", s->timeout);

		fprintf(stderr, "lockorder clangd: '%s': %s\n", r->path, msg);
		*status = status_diagnostic(msg, 2, NULL);
		free(msg);
	} else if (how == RUN_DONE && WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		*diags = findings_of(r, character, ctx);
		if (!*diags) {
			char *msg = xasprintf("lockorder could not analyse this file: the plugin "
					      "wrote no findings report (is '%s' lockorder's plugin?)",
					      s->plugin);

			*status = status_diagnostic(msg, 2, NULL);
			free(msg);
		}
	} else if (how == RUN_DONE) {
		*status = failure(r, s, st, character, ctx);
	}
	unlink(r->findings);
	free(r->findings);
	free(r->path);
	free(r->dir);
	free(r->out);
	memset(r, 0, sizeof(*r));
}

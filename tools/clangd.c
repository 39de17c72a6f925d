/*
 * clangd.c - `lockorder clangd`: lockorder's findings in editors that use
 * clangd.
 *
 *   lockorder clangd --rules R [--plugin SO] [--clang CLANG]
 *                    [--clangd CLANGD] [-- CLANGD-ARGUMENTS...]
 *
 * clangd never loads -fplugin, so an editor starts this instead of clangd.
 * It starts the real clangd and passes every LSP message through both ways
 * unchanged, except that when a file is opened or saved it runs the plugin
 * on it (the file's command from compile_commands.json, found upwards from
 * the file, or a plain compile), in the background, and adds lockorder's
 * findings to clangd's textDocument/publishDiagnostics for that file, with
 * the notes as related information.  The findings come from the plugin's
 * JSON handler (-fplugin-arg-lockorder-findings=FILE): the core's own
 * report, the same findings as every other mode, never clang's text.  A plugin run that fails or takes too
 * long is logged to stderr; clangd's diagnostics keep flowing.
 *
 * What it does NOT do: touch any other message, or analyse unsaved text
 * (the plugin compiles the file on disk, so findings follow saves).
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "commands.h"
#include "lockorder.h"

#define PROG "lockorder clangd"
#define RUN_TIMEOUT 60 /* seconds for one plugin run */
#define MAX_DOCS 256

/* Bytes read from one side, cut into LSP messages. */
struct stream {
	int fd;
	char *buf;
	size_t len, cap;
	int eof;
};

/* What we know of one open document. */
struct doc {
	char *uri;
	json_t *clangd; /* clangd's last diagnostics, or NULL */
	json_t *ours;   /* lockorder's, or NULL */
};

struct server {
	const char *rules, *plugin, *clang;
	int to_clangd;
	pid_t clangd;
	struct doc docs[MAX_DOCS];
	size_t ndocs;
	/* the plugin run going on, if any */
	pid_t run;
	int run_fd;
	char *run_uri, *run_path, *run_dir;
	char *run_findings; /* the plugin's JSON report of the run */
	char *out;
	size_t outlen, outcap;
	time_t run_start;
	/* URIs waiting for a run */
	char *queue[MAX_DOCS];
	size_t nqueue;
};

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Sends JSON message O to FD with its Content-Length header. */
static int send_json(int fd, json_t *o)
{
	char *body = json_dumps(o, JSON_COMPACT);
	char head[64];
	int rc;

	if (!body)
		return -1;
	snprintf(head, sizeof(head), "Content-Length: %zu\r\n\r\n", strlen(body));
	rc = write_all(fd, head, strlen(head)) || write_all(fd, body, strlen(body));
	free(body);
	return rc ? -1 : 0;
}

/* Reads what FD has into S; 0 at end of file sets eof. */
static void fill(struct stream *s)
{
	ssize_t r;

	if (s->cap - s->len < 65536) {
		s->cap = s->cap ? s->cap * 2 : 131072;
		s->buf = xrealloc(s->buf, s->cap);
	}
	r = read(s->fd, s->buf + s->len, s->cap - s->len);
	if (r > 0)
		s->len += (size_t)r;
	else if (r == 0 || (errno != EINTR && errno != EAGAIN))
		s->eof = 1;
}

/* The next whole message of S: its header and body lengths, or 0. */
static size_t next_message(const struct stream *s, size_t *head, size_t *body)
{
	const char *end = memmem(s->buf, s->len, "\r\n\r\n", 4);
	const char *cl;
	size_t h;

	if (!end)
		return 0;
	h = (size_t)(end - s->buf) + 4;
	cl = memmem(s->buf, h, "Content-Length:", 15);
	if (!cl)
		cl = memmem(s->buf, h, "content-length:", 15);
	*body = cl ? strtoul(cl + 15, NULL, 10) : 0;
	*head = h;
	return s->len >= h + *body ? h + *body : 0;
}

static void consume(struct stream *s, size_t n)
{
	memmove(s->buf, s->buf + n, s->len - n);
	s->len -= n;
}

static struct doc *doc_for(struct server *sv, const char *uri)
{
	size_t i;

	for (i = 0; i < sv->ndocs; i++)
		if (strcmp(sv->docs[i].uri, uri) == 0)
			return &sv->docs[i];
	if (sv->ndocs == MAX_DOCS)
		return NULL;
	sv->docs[sv->ndocs].uri = xstrdup(uri);
	return &sv->docs[sv->ndocs++];
}

/* file:///a%20b/c.c -> /a b/c.c; NULL for other schemes. */
static char *uri_path(const char *uri)
{
	char *p, *o;

	if (strncmp(uri, "file://", 7) != 0)
		return NULL;
	p = o = xstrdup(uri + 7);
	for (const char *s = uri + 7; *s; s++) {
		if (s[0] == '%' && s[1] && s[2]) {
			char hex[3] = { s[1], s[2], 0 };

			*o++ = (char)strtol(hex, NULL, 16);
			s += 2;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
	return p;
}

static char *path_uri(const char *path)
{
	size_t n = strlen(path) * 3 + 8;
	char *u = xrealloc(NULL, n), *o = u;

	o += sprintf(o, "file://");
	for (const unsigned char *s = (const unsigned char *)path; *s; s++) {
		if (*s == ' ' || *s == '%' || *s == '#' || *s >= 0x80)
			o += sprintf(o, "%%%02X", *s);
		else
			*o++ = (char)*s;
	}
	*o = '\0';
	return u;
}

/* Sends clangd's last diagnostics for D with ours added. */
static void publish(struct doc *d)
{
	json_t *all = json_array(), *msg, *params;
	size_t i;
	json_t *x;

	if (d->clangd)
		json_array_foreach(d->clangd, i, x)
			json_array_append(all, x);
	if (d->ours)
		json_array_foreach(d->ours, i, x)
			json_array_append(all, x);
	params = json_pack("{s:s, s:o}", "uri", d->uri, "diagnostics", all);
	msg = json_pack("{s:s, s:s, s:o}", "jsonrpc", "2.0", "method",
			"textDocument/publishDiagnostics", "params", params);
	if (send_json(STDOUT_FILENO, msg) != 0)
		fprintf(stderr, PROG ": cannot write to the editor\n");
	json_decref(msg);
}

/* The compile command of PATH from the nearest compile_commands.json
 * above it, into ARGV (rewritten for the plugin) and *DIR. */
static int command_for(const struct server *sv, const char *path,
		       struct strv *argv, char **dir)
{
	char *d = xstrdup(path), *slash;
	char real[PATH_MAX];

	if (!realpath(path, real))
		snprintf(real, sizeof(real), "%s", path);
	while ((slash = strrchr(d, '/')) != NULL) {
		char *db;
		json_t *root, *e;
		size_t i;

		*slash = '\0';
		if (asprintf(&db, "%s/compile_commands.json", *d ? d : "") < 0)
			break;
		root = json_load_file(db, 0, NULL);
		free(db);
		if (!root)
			continue;
		json_array_foreach(root, i, e) {
			const char *ed = json_string_value(json_object_get(e, "directory"));
			const char *ef = json_string_value(json_object_get(e, "file"));
			json_t *args = json_object_get(e, "arguments");
			const char *cmd = json_string_value(json_object_get(e, "command"));
			char *full, r2[PATH_MAX];
			struct strv in = { 0 };
			const char *why;
			size_t k;
			json_t *a;

			if (!ed || !ef)
				continue;
			if (asprintf(&full, "%s/%s", ed, ef) < 0)
				continue;
			if (ef[0] == '/')
				snprintf(r2, sizeof(r2), "%s", ef);
			else if (!realpath(full, r2))
				snprintf(r2, sizeof(r2), "%s", full);
			free(full);
			if (strcmp(r2, real) != 0)
				continue;
			if (json_is_array(args))
				json_array_foreach(args, k, a)
					strv_push(&in, json_string_value(a) ? json_string_value(a) : "");
			else if (!cmd || split_command(cmd, &in, &why) != 0)
				continue;
			plugin_command(&in, sv->clang, sv->plugin, sv->rules, NULL, argv);
			strv_free(&in);
			*dir = xstrdup(ed);
			json_decref(root);
			free(d);
			return 0;
		}
		json_decref(root);
	}
	free(d);
	/* no database: the file alone */
	{
		struct strv in = { 0 };

		strv_push(&in, "cc");
		strv_push(&in, path);
		plugin_command(&in, sv->clang, sv->plugin, sv->rules, NULL, argv);
		strv_free(&in);
		*dir = xstrdup(path);
		slash = strrchr(*dir, '/');
		if (slash)
			*(slash == *dir ? slash + 1 : slash) = '\0';
	}
	return 0;
}

static void start_run(struct server *sv, const char *uri)
{
	struct strv argv = { 0 };
	char *path = uri_path(uri), *dir = NULL;
	int p[2];

	if (!path)
		return;
	command_for(sv, path, &argv, &dir);
	/* Clang's own warnings stay clangd's: -w silences them and not the
	 * plugin's, whose findings are custom diagnostics. */
	strv_push(&argv, "-w");
	strv_push(&argv, "-fno-color-diagnostics");
	strv_push(&argv, "-fno-caret-diagnostics");
	{
		char tmpl[] = "/tmp/lockorder-clangd-XXXXXX";
		int fd = mkstemp(tmpl);
		char *arg;

		if (fd < 0) {
			perror(PROG);
			goto out;
		}
		close(fd);
		arg = xasprintf("-fplugin-arg-lockorder-findings=%s", tmpl);
		strv_push(&argv, arg);
		free(arg);
		free(sv->run_findings);
		sv->run_findings = xstrdup(tmpl);
	}
	if (pipe(p) != 0) {
		perror(PROG);
		goto out;
	}
	sv->run = fork();
	if (sv->run == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(null, 0);
		dup2(p[1], 1);
		dup2(p[1], 2);
		close(p[0]);
		close(p[1]);
		if (chdir(dir) != 0)
			_exit(127);
		execv(argv.v[0], argv.v);
		fprintf(stderr, "cannot run '%s': %s\n", argv.v[0], strerror(errno));
		_exit(127);
	}
	close(p[1]);
	if (sv->run < 0) {
		perror(PROG);
		close(p[0]);
		sv->run = 0;
		goto out;
	}
	sv->run_fd = p[0];
	sv->run_uri = xstrdup(uri);
	sv->run_path = xstrdup(path);
	sv->run_dir = dir;
	dir = NULL;
	sv->outlen = 0;
	sv->run_start = time(NULL);
out:
	strv_free(&argv);
	free(path);
	free(dir);
}

static json_t *range(int line, int col)
{
	line = line > 0 ? line - 1 : 0;
	col = col > 0 ? col - 1 : 0;
	return json_pack("{s:{s:i,s:i}, s:{s:i,s:i}}", "start", "line", line,
			 "character", col, "end", "line", line, "character", col + 1);
}

/* FILE of a report entry, as a real path: relative to DIR. */
static void real_of(const char *file, const char *dir, char *out, size_t n)
{
	char full[PATH_MAX * 2];

	if (file[0] == '/' || !dir)
		snprintf(full, sizeof(full), "%s", file);
	else
		snprintf(full, sizeof(full), "%s/%s", dir, file);
	if (!realpath(full, out))
		snprintf(out, n, "%s", full);
}

/* The plugin's findings on the file of the run, as LSP diagnostics. */
static json_t *diagnostics_of(struct server *sv)
{
	json_t *list = json_array(), *report, *fs, *f;
	char real[PATH_MAX];
	size_t i, k;

	if (!realpath(sv->run_path, real))
		snprintf(real, sizeof(real), "%s", sv->run_path);
	report = json_load_file(sv->run_findings, 0, NULL);
	fs = json_object_get(report, "findings");
	json_array_foreach(fs, i, f) {
		const char *file = json_string_value(json_object_get(f, "file"));
		const char *dir = json_string_value(json_object_get(f, "directory"));
		const char *msg = json_string_value(json_object_get(f, "message"));
		json_t *d, *notes = json_object_get(f, "notes"), *n;
		char r[PATH_MAX];

		if (!file || !msg)
			continue;
		if (!dir)
			dir = sv->run_dir;
		real_of(file, dir, r, sizeof(r));
		if (strcmp(r, real) != 0)
			continue; /* a finding in a header: another file's */
		d = json_pack("{s:o, s:i, s:s, s:s, s:[]}", "range",
			      range((int)json_integer_value(json_object_get(f, "line")),
				    (int)json_integer_value(json_object_get(f, "col"))),
			      "severity", 2, "source", "lockorder", "message", msg,
			      "relatedInformation");
		json_array_foreach(notes, k, n) {
			const char *nf = json_string_value(json_object_get(n, "file"));
			const char *nm = json_string_value(json_object_get(n, "message"));
			char nr[PATH_MAX], *u;

			if (!nf || !nm)
				continue;
			real_of(nf, dir, nr, sizeof(nr));
			u = path_uri(nr);
			json_array_append_new(
				json_object_get(d, "relatedInformation"),
				json_pack("{s:{s:s, s:o}, s:s}", "location", "uri", u,
					  "range",
					  range((int)json_integer_value(json_object_get(n, "line")),
						(int)json_integer_value(json_object_get(n, "col"))),
					  "message", nm));
			free(u);
		}
		json_array_append_new(list, d);
	}
	json_decref(report);
	return list;
}

static void finish_run(struct server *sv, int timed_out)
{
	int status = 0;
	struct doc *d = doc_for(sv, sv->run_uri);

	if (timed_out)
		kill(sv->run, SIGKILL);
	waitpid(sv->run, &status, 0);
	close(sv->run_fd);
	if (timed_out || WIFSIGNALED(status) ||
	    (WIFEXITED(status) && WEXITSTATUS(status) == 127)) {
		fprintf(stderr, PROG ": lockorder %s on '%s'; keeping clangd's diagnostics\n",
			timed_out ? "timed out" : "could not run", sv->run_path);
	} else if (d) {
		json_t *ours = diagnostics_of(sv);

		/* A compile that fails (a broken rules file, or code with
		 * errors, which clangd shows) leaves clangd's diagnostics
		 * alone; say so for whoever reads the server's log. */
		if (WEXITSTATUS(status) != 0 && !json_array_size(ours))
			fprintf(stderr, PROG ": lockorder found nothing to add on '%s': "
				"the compile failed (exit %d)\n",
				sv->run_path, WEXITSTATUS(status));
		json_decref(d->ours);
		d->ours = ours;
		publish(d);
	}
	if (sv->run_findings)
		unlink(sv->run_findings);
	free(sv->run_findings);
	sv->run_findings = NULL;
	free(sv->run_uri);
	free(sv->run_path);
	free(sv->run_dir);
	sv->run = 0;
	sv->run_uri = sv->run_path = sv->run_dir = NULL;
}

static void enqueue(struct server *sv, const char *uri)
{
	size_t i;

	for (i = 0; i < sv->nqueue; i++)
		if (strcmp(sv->queue[i], uri) == 0)
			return;
	if (sv->nqueue < MAX_DOCS)
		sv->queue[sv->nqueue++] = xstrdup(uri);
}

/* A message from the editor: noted, then passed on as it came. */
static void from_editor(struct server *sv, const char *raw, size_t n,
			size_t head)
{
	json_t *o = json_loadb(raw + head, n - head, 0, NULL);
	const char *method = o ? json_string_value(json_object_get(o, "method")) : NULL;

	if (method && (strcmp(method, "textDocument/didOpen") == 0 ||
		       strcmp(method, "textDocument/didSave") == 0)) {
		const char *uri = json_string_value(json_object_get(
			json_object_get(json_object_get(o, "params"), "textDocument"), "uri"));

		if (uri)
			enqueue(sv, uri);
	}
	json_decref(o);
	if (write_all(sv->to_clangd, raw, n) != 0)
		fprintf(stderr, PROG ": cannot write to clangd\n");
}

/* A message from clangd: diagnostics get ours added. */
static void from_clangd(struct server *sv, const char *raw, size_t n,
			size_t head)
{
	json_t *o = json_loadb(raw + head, n - head, 0, NULL);
	const char *method = o ? json_string_value(json_object_get(o, "method")) : NULL;

	if (method && strcmp(method, "textDocument/publishDiagnostics") == 0) {
		json_t *params = json_object_get(o, "params");
		const char *uri = json_string_value(json_object_get(params, "uri"));
		struct doc *d = uri ? doc_for(sv, uri) : NULL;

		if (d) {
			json_decref(d->clangd);
			d->clangd = json_deep_copy(json_object_get(params, "diagnostics"));
			if (d->ours && json_array_size(d->ours)) {
				publish(d);
				json_decref(o);
				return;
			}
		}
	}
	json_decref(o);
	if (write_all(STDOUT_FILENO, raw, n) != 0)
		fprintf(stderr, PROG ": cannot write to the editor\n");
}

static const char usage[] =
	"usage: lockorder clangd --rules R [--plugin SO] [--clang CLANG] [--clangd CLANGD]\n"
	"                        [-- CLANGD-ARGUMENTS...]\n";

int cmd_clangd(int argc, char **argv)
{
	static const struct option options[] = {
		{ "rules", required_argument, NULL, 'r' },
		{ "plugin", required_argument, NULL, 'p' },
		{ "clang", required_argument, NULL, 'c' },
		{ "clangd", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct server sv = { 0 };
	const char *clangd = NULL;
	struct strv cargv = { 0 };
	struct stream in = { STDIN_FILENO, NULL, 0, 0, 0 };
	struct stream out = { -1, NULL, 0, 0, 0 };
	int c, to[2], from[2], status = 0, i;

	sv.rules = getenv("LOCKORDER_RULES");
	sv.plugin = getenv("LOCKORDER_PLUGIN");
	sv.clang = getenv("LOCKORDER_CLANG");
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", options, NULL)) != -1) {
		switch (c) {
		case 'r':
			sv.rules = optarg;
			break;
		case 'p':
			sv.plugin = optarg;
			break;
		case 'c':
			sv.clang = optarg;
			break;
		case 'd':
			clangd = optarg;
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
	if (!sv.rules) {
		fputs(PROG ": no rules file; pass --rules FILE or set LOCKORDER_RULES\n", stderr);
		return 2;
	}
	if (!sv.plugin || !*sv.plugin)
		sv.plugin = plugin_path(PROG, sv.clang);
	if (!sv.clang)
		sv.clang = LOCKORDER_LLVM_BIN "/clang";
	if (!clangd)
		clangd = access("/usr/bin/clangd-" LOCKORDER_LLVM_MAJOR, X_OK) == 0
				 ? "/usr/bin/clangd-" LOCKORDER_LLVM_MAJOR
				 : "clangd";
	{
		static char rules_abs[PATH_MAX], plugin_abs[PATH_MAX];

		if (realpath(sv.rules, rules_abs))
			sv.rules = rules_abs;
		if (realpath(sv.plugin, plugin_abs))
			sv.plugin = plugin_abs;
	}
	strv_push(&cargv, clangd);
	for (i = optind; i < argc; i++)
		strv_push(&cargv, argv[i]);

	signal(SIGPIPE, SIG_IGN);
	if (pipe(to) != 0 || pipe(from) != 0) {
		perror(PROG);
		return 2;
	}
	sv.clangd = fork();
	if (sv.clangd == 0) {
		dup2(to[0], 0);
		dup2(from[1], 1);
		close(to[0]);
		close(to[1]);
		close(from[0]);
		close(from[1]);
		execvp(cargv.v[0], cargv.v);
		fprintf(stderr, PROG ": cannot run '%s': %s\n", cargv.v[0], strerror(errno));
		_exit(127);
	}
	close(to[0]);
	close(from[1]);
	sv.to_clangd = to[1];
	out.fd = from[0];
	strv_free(&cargv);

	while (!out.eof) {
		struct pollfd pf[3];
		int np = 0, ii = -1, io, ir = -1;
		size_t head, body, n;

		if (!in.eof) {
			pf[np] = (struct pollfd){ in.fd, POLLIN, 0 };
			ii = np++;
		}
		pf[np] = (struct pollfd){ out.fd, POLLIN, 0 };
		io = np++;
		if (sv.run) {
			pf[np] = (struct pollfd){ sv.run_fd, POLLIN, 0 };
			ir = np++;
		}
		if (poll(pf, (nfds_t)np, 1000) < 0 && errno != EINTR)
			break;
		if (ii >= 0 && pf[ii].revents) {
			fill(&in);
			while ((n = next_message(&in, &head, &body)) != 0) {
				from_editor(&sv, in.buf, n, head);
				consume(&in, n);
			}
			if (in.eof)
				close(sv.to_clangd); /* clangd sees the end too */
		}
		if (pf[io].revents) {
			fill(&out);
			while ((n = next_message(&out, &head, &body)) != 0) {
				from_clangd(&sv, out.buf, n, head);
				consume(&out, n);
			}
		}
		if (ir >= 0 && pf[ir].revents) {
			char buf[65536];
			ssize_t r = read(sv.run_fd, buf, sizeof(buf));

			if (r > 0) {
				if (sv.outlen + (size_t)r + 1 > sv.outcap) {
					sv.outcap = (sv.outlen + (size_t)r + 1) * 2;
					sv.out = xrealloc(sv.out, sv.outcap);
				}
				memcpy(sv.out + sv.outlen, buf, (size_t)r);
				sv.outlen += (size_t)r;
			} else if (r == 0 || errno != EINTR) {
				finish_run(&sv, 0);
			}
		}
		if (sv.run && time(NULL) - sv.run_start > RUN_TIMEOUT)
			finish_run(&sv, 1);
		if (!sv.run && sv.nqueue) {
			char *uri = sv.queue[0];

			memmove(sv.queue, sv.queue + 1, --sv.nqueue * sizeof(*sv.queue));
			start_run(&sv, uri);
			free(uri);
		}
	}
	if (sv.run)
		finish_run(&sv, 1);
	if (!in.eof)
		close(sv.to_clangd);
	waitpid(sv.clangd, &status, 0);
	for (size_t k = 0; k < sv.ndocs; k++) {
		free(sv.docs[k].uri);
		json_decref(sv.docs[k].clangd);
		json_decref(sv.docs[k].ours);
	}
	for (size_t k = 0; k < sv.nqueue; k++)
		free(sv.queue[k]);
	free(in.buf);
	free(out.buf);
	free(sv.out);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

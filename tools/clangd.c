/*
 * clangd.c - `lockorder clangd`: lockorder's findings in editors that use
 * clangd, following every edit.
 *
 *   lockorder clangd --rules R [--plugin SO] [--clang CLANG]
 *                    [--clangd CLANGD] [--timeout S] [--debounce MS]
 *                    [-- CLANGD-ARGUMENTS...]
 *
 * clangd never loads -fplugin, so an editor starts this instead of clangd.
 * It starts the real clangd and passes every LSP message through both ways
 * unchanged, and keeps the text of each open document as the editor edits
 * it (clangd_docs.c: didOpen, didChange full or incremental, in the
 * position encoding initialize negotiated).  When a C file is opened or
 * saved, and a few hundred milliseconds after its last change, it runs
 * the plugin on the editor's text of it (clangd_run.c) with the file's
 * own compile command, found as clangd finds it (clangd_cmd.c), in the
 * background, and adds lockorder's findings to clangd's
 * textDocument/publishDiagnostics for that file, with the notes as
 * related information.  The findings come
 * from the plugin's JSON report (-fplugin-arg-lockorder-findings=FILE):
 * the core's own report, the same findings as every other mode.
 *
 * Runs are versioned: an edit cancels the run of the text it replaces, and
 * a run's findings are published only for the text it analysed.  Until the
 * next run ends, the findings already shown move with the lines the edit
 * moved, and go where the edit touched their line.  When lockorder cannot
 * analyse a file (its compile fails, the rules are invalid, clang cannot
 * load the plugin, the run takes longer than --timeout), the file gets one
 * diagnostic at its top saying why, until it analyses again.
 *
 * What it does NOT do: touch any other message, analyse headers on their
 * own (their code is checked through the .c files that include them), or
 * run more than MAX_RUNS plugins at once.
 */
#define _GNU_SOURCE

#include <dirent.h>
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
#include <unistd.h>

#include <jansson.h>

#include "clangd_cmd.h"
#include "clangd_server.h"
#include "commands.h"

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static long character_of(void *ctx, const char *path, long line, long byte)
{
	struct server *sv = ctx;
	struct doc *d = doc_of_path(sv, path);

	/* Files not open are taken as ASCII, where every encoding agrees. */
	return d ? doc_text_character(&d->text, line, byte, sv->enc) : byte;
}

/* Sends clangd's last diagnostics for D with ours and the status added. */
static void publish(struct server *sv, struct doc *d)
{
	json_t *params, *all = json_array(), *x, *msg;
	size_t i;

	params = d->clangd ? json_deep_copy(d->clangd)
			   : json_pack("{s:s}", "uri", d->uri);
	json_array_foreach(json_object_get(params, "diagnostics"), i, x)
		json_array_append(all, x);
	json_array_foreach(d->ours, i, x)
		json_array_append(all, x);
	if (d->status)
		json_array_append(all, d->status);
	json_object_set_new(params, "diagnostics", all);
	msg = json_pack("{s:s, s:s, s:o}", "jsonrpc", "2.0", "method",
			"textDocument/publishDiagnostics", "params", params);
	lsp_out_json(&sv->to_editor, msg);
	json_decref(msg);
}

static int same(json_t *a, json_t *b)
{
	return a == b || (a && b && json_equal(a, b));
}

/* Two lists of diagnostics, NULL being empty. */
static int same_list(json_t *a, json_t *b)
{
	return (!json_array_size(a) && !json_array_size(b)) || same(a, b);
}

/* Ends the run in SLOT; a finished one's results go to its document. */
static void end_run(struct server *sv, int slot, enum run_end how)
{
	struct doc *d = sv->run_doc[slot];
	json_t *diags, *status;

	run_finish(&sv->runs[slot], &sv->setup, how, character_of, sv, &diags,
		   &status);
	sv->run_doc[slot] = NULL;
	d->run = -1;
	if (how == RUN_CANCELLED || d->run_gen != d->gen) {
		/* the text changed meanwhile: its findings are not the text's */
		json_decref(diags);
		json_decref(status);
		return;
	}
	/* A run that failed leaves no findings: the status says why. */
	if (same_list(diags, d->ours) && same(status, d->status)) {
		json_decref(diags);
		json_decref(status);
		return; /* nothing new to show */
	}
	json_decref(d->ours);
	d->ours = diags;
	json_decref(d->status);
	d->status = status;
	publish(sv, d);
}

void cancel_run(struct server *sv, struct doc *d)
{
	if (d->run >= 0)
		end_run(sv, d->run, RUN_CANCELLED);
}

static void start_run(struct server *sv, int slot, struct doc *d)
{
	struct remap *remaps = xcalloc(sv->ndocs, sizeof(*remaps));
	size_t i, n = 0;
	char *why = NULL;

	/* The file as the editor has it, and every header it changed. */
	for (i = 0; i < sv->ndocs; i++) {
		struct doc *o = sv->docs[i];

		if (o->path && (o == d || o->dirty) && doc_write_text(sv, o) == 0)
			remaps[n++] = (struct remap){ o->path, o->text_file };
	}
	d->due = 0;
	if (run_start(&sv->runs[slot], &sv->setup, d->path, remaps, n, &why) == 0) {
		sv->run_doc[slot] = d;
		d->run = slot;
		d->run_gen = d->gen;
	} else {
		json_t *st = status_diagnostic(why, 2, NULL);

		fprintf(stderr, PROG ": '%s': %s\n", d->path, why);
		free(why);
		if (json_array_size(d->ours) || !same(st, d->status)) {
			json_decref(d->ours);
			d->ours = NULL;
			json_decref(d->status);
			d->status = st;
			publish(sv, d);
		} else {
			json_decref(st);
		}
	}
	free(remaps);
}

/* Starts the runs that are due; returns the ms until the next is. */
static int schedule(struct server *sv)
{
	double now = now_seconds(), next = 1.0;
	int slot;

	for (slot = 0; slot < MAX_RUNS; slot++)
		if (sv->run_doc[slot] &&
		    now - sv->runs[slot].start > sv->setup.timeout)
			end_run(sv, slot, RUN_TIMED_OUT);
	for (slot = 0; slot < MAX_RUNS; slot++) {
		struct doc *best = NULL;
		size_t i;

		if (sv->run_doc[slot])
			continue;
		for (i = 0; i < sv->ndocs; i++) {
			struct doc *d = sv->docs[i];

			if (d->due > 0 && d->due <= now && d->run < 0 &&
			    (!best || d->due < best->due))
				best = d;
		}
		if (!best)
			break;
		start_run(sv, slot, best);
	}
	for (size_t i = 0; i < sv->ndocs; i++)
		if (sv->docs[i]->due > 0 && sv->docs[i]->due - now < next)
			next = sv->docs[i]->due - now;
	for (slot = 0; slot < MAX_RUNS; slot++)
		if (sv->run_doc[slot] &&
		    sv->runs[slot].start + sv->setup.timeout - now < next)
			next = sv->runs[slot].start + sv->setup.timeout - now;
	return next <= 0 ? 0 : (int)(next * 1000) + 1;
}

/* A message from the editor: noted, then passed on as it came. */
static void from_editor(struct server *sv, const char *raw, size_t n,
			size_t head)
{
	json_t *o = json_loadb(raw + head, n - head, 0, NULL);
	const char *method = json_string_value(json_object_get(o, "method"));
	json_t *params = json_object_get(o, "params");

	if (!method) {
		/* a response to clangd, or not JSON: only passed on */
	} else if (strcmp(method, "initialize") == 0) {
		json_decref(sv->init_id);
		sv->init_id = json_deep_copy(json_object_get(o, "id"));
	} else if (strcmp(method, "textDocument/didOpen") == 0) {
		did_open(sv, json_object_get(params, "textDocument"));
	} else if (strcmp(method, "textDocument/didChange") == 0) {
		did_change(sv, params);
	} else if (strcmp(method, "textDocument/didSave") == 0) {
		did_save(sv, params);
	} else if (strcmp(method, "textDocument/didClose") == 0) {
		did_close(sv, json_object_get(params, "textDocument"));
	}
	json_decref(o);
	lsp_out_raw(&sv->to_clangd, raw, n);
}

/* clangd's answer to initialize says how positions count. */
static void negotiated(struct server *sv, json_t *result)
{
	json_t *caps = json_object_get(result, "capabilities");
	const char *e = json_string_value(json_object_get(caps, "positionEncoding"));
	int enc;

	if (!e)
		e = json_string_value(json_object_get(result, "offsetEncoding"));
	enc = pos_encoding_parse(e);
	sv->enc = enc >= 0 ? (enum pos_encoding)enc : POS_UTF16;
}

/* A message from clangd: diagnostics get ours added. */
static void from_clangd(struct server *sv, const char *raw, size_t n,
			size_t head)
{
	json_t *o = json_loadb(raw + head, n - head, 0, NULL);
	const char *method = json_string_value(json_object_get(o, "method"));

	if (!method && sv->init_id && json_equal(json_object_get(o, "id"), sv->init_id)) {
		negotiated(sv, json_object_get(o, "result"));
		json_decref(sv->init_id);
		sv->init_id = NULL;
	} else if (method && strcmp(method, "textDocument/publishDiagnostics") == 0) {
		json_t *params = json_object_get(o, "params");
		const char *uri = json_string_value(json_object_get(params, "uri"));
		struct doc *d = uri ? doc_find(sv, uri) : NULL;

		if (d && json_is_array(json_object_get(params, "diagnostics"))) {
			json_decref(d->clangd);
			d->clangd = json_deep_copy(params);
			if (doc_shows_ours(d)) {
				publish(sv, d);
				json_decref(o);
				return;
			}
		}
	}
	json_decref(o);
	lsp_out_raw(&sv->to_editor, raw, n);
}

/* Removes the server's private directory and what is in it. */
static void remove_tmpdir(const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *e;

	while (dp && (e = readdir(dp)) != NULL) {
		char *p;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		unlink(p);
		free(p);
	}
	if (dp)
		closedir(dp);
	rmdir(dir);
}

static void set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl >= 0)
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static const char usage[] =
	"usage: lockorder clangd --rules R [--plugin SO] [--clang CLANG] [--clangd CLANGD]\n"
	"                        [--timeout S] [--debounce MS] [-- CLANGD-ARGUMENTS...]\n"
	"\n"
	"A language server for the editor: clangd, with lockorder's findings added to\n"
	"its diagnostics.  The plugin analyses each open C file when it is opened or\n"
	"saved and DEBOUNCE ms after its last edit, on the editor's text, with the\n"
	"file's command from compile_commands.json or compile_flags.txt (found as\n"
	"clangd finds them), else a plain `clang FILE`.\n"
	"\n"
	"  --rules R        the rules file (or LOCKORDER_RULES)\n"
	"  --plugin SO      the plugin (or LOCKORDER_PLUGIN; default: the one built)\n"
	"  --clang CLANG    the clang that loads it (or LOCKORDER_CLANG)\n"
	"  --clangd CLANGD  the clangd to run (default clangd-" LOCKORDER_LLVM_MAJOR ", else clangd)\n"
	"  --timeout S      give up on a file after S seconds (default 60)\n"
	"  --debounce MS    wait MS ms after an edit before analysing (default 300)\n"
	"  -- ARGS          passed to clangd (--compile-commands-dir=DIR is honoured)\n";

static int parse_number(const char *opt, const char *s, long min, long max,
			long *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < min || v > max) {
		fprintf(stderr, PROG ": '%s' for %s: expected a number from %ld to %ld\n",
			s, opt, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

static void loop(struct server *sv, struct lsp_in *in, struct lsp_in *out,
		 pid_t clangd)
{
	int to_clangd_open = 1;

	while (!out->eof && !stop_signal) {
		struct pollfd pf[4 + MAX_RUNS];
		int np = 0, ii = -1, io, ie = -1, ic = -1, ir[MAX_RUNS], wait_ms, slot;
		const char *raw;
		size_t head, n;

		wait_ms = schedule(sv);
		if (!in->eof) {
			pf[np] = (struct pollfd){ in->fd, POLLIN, 0 };
			ii = np++;
		}
		pf[np] = (struct pollfd){ out->fd, POLLIN, 0 };
		io = np++;
		if (lsp_out_pending(&sv->to_editor)) {
			pf[np] = (struct pollfd){ sv->to_editor.fd, POLLOUT, 0 };
			ie = np++;
		}
		if (to_clangd_open && lsp_out_pending(&sv->to_clangd)) {
			pf[np] = (struct pollfd){ sv->to_clangd.fd, POLLOUT, 0 };
			ic = np++;
		}
		for (slot = 0; slot < MAX_RUNS; slot++) {
			ir[slot] = -1;
			if (sv->run_doc[slot]) {
				pf[np] = (struct pollfd){ sv->runs[slot].fd, POLLIN, 0 };
				ir[slot] = np++;
			}
		}
		if (poll(pf, (nfds_t)np, wait_ms) < 0) {
			if (errno == EINTR)
				continue;
			perror(PROG ": poll");
			break;
		}
		if (ie >= 0 && pf[ie].revents)
			lsp_out_flush(&sv->to_editor);
		if (ic >= 0 && pf[ic].revents)
			lsp_out_flush(&sv->to_clangd);
		if (ii >= 0 && pf[ii].revents) {
			lsp_in_fill(in);
			while ((n = lsp_in_next(in, PROG, &raw, &head)) != 0)
				from_editor(sv, raw, n, head);
		}
		if (pf[io].revents) {
			lsp_in_fill(out);
			while ((n = lsp_in_next(out, PROG, &raw, &head)) != 0)
				from_clangd(sv, raw, n, head);
		}
		for (slot = 0; slot < MAX_RUNS; slot++)
			/* (a run the editor's messages cancelled is gone) */
			if (ir[slot] >= 0 && sv->run_doc[slot] &&
			    pf[ir[slot]].revents && run_read(&sv->runs[slot]))
				end_run(sv, slot, RUN_DONE);
		/* The editor is gone: once clangd has all it sent, it sees the
		 * end too, and exits. */
		if (in->eof && to_clangd_open && !lsp_out_pending(&sv->to_clangd)) {
			close(sv->to_clangd.fd);
			to_clangd_open = 0;
		}
	}
	if (stop_signal)
		kill(clangd, stop_signal);
	if (to_clangd_open)
		close(sv->to_clangd.fd);
}

int cmd_clangd(int argc, char **argv)
{
	static const struct option options[] = {
		{ "rules", required_argument, NULL, 'r' },
		{ "plugin", required_argument, NULL, 'p' },
		{ "clang", required_argument, NULL, 'c' },
		{ "clangd", required_argument, NULL, 'd' },
		{ "timeout", required_argument, NULL, 't' },
		{ "debounce", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static char rules_abs[PATH_MAX], plugin_abs[PATH_MAX], clang_abs[PATH_MAX];
	struct server sv = { 0 };
	const char *clangd = NULL, *tmp;
	struct strv cargv = { 0 };
	struct lsp_in in = { 0 }, out = { 0 };
	char tmpdir[PATH_MAX];
	int c, to[2], from[2], status = 0, i, stdout_flags;
	long v;
	pid_t pid;

	sv.setup.rules = getenv("LOCKORDER_RULES");
	sv.setup.plugin = getenv("LOCKORDER_PLUGIN");
	sv.setup.clang = getenv("LOCKORDER_CLANG");
	sv.setup.timeout = 60;
	sv.debounce_ms = 300;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", options, NULL)) != -1) {
		switch (c) {
		case 'r':
			sv.setup.rules = optarg;
			break;
		case 'p':
			sv.setup.plugin = optarg;
			break;
		case 'c':
			sv.setup.clang = optarg;
			break;
		case 'd':
			clangd = optarg;
			break;
		case 't':
			if (parse_number("--timeout", optarg, 1, 86400, &v) != 0)
				return 2;
			sv.setup.timeout = (int)v;
			break;
		case 'b':
			if (parse_number("--debounce", optarg, 0, 60000, &v) != 0)
				return 2;
			sv.debounce_ms = (int)v;
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
	if (!sv.setup.rules) {
		fputs(PROG ": no rules file; pass --rules FILE or set LOCKORDER_RULES\n", stderr);
		return 2;
	}
	if (!sv.setup.clang)
		sv.setup.clang = LOCKORDER_LLVM_BIN "/clang";
	if (!sv.setup.plugin || !*sv.setup.plugin)
		sv.setup.plugin = plugin_path(PROG, sv.setup.clang);
	if (!clangd)
		clangd = access("/usr/bin/clangd-" LOCKORDER_LLVM_MAJOR, X_OK) == 0
				 ? "/usr/bin/clangd-" LOCKORDER_LLVM_MAJOR
				 : "clangd";
	/* Runs happen in other directories: every path made absolute. */
	/* --rules kvm: the installed (or the source tree's) kvm.lockorder.
	 * A name found nowhere is kept: the editor is told why, per file. */
	{
		char *named = rules_path(PROG, sv.setup.rules);

		if (named && !realpath(named, rules_abs))
			snprintf(rules_abs, sizeof(rules_abs), "%s", named);
		if (named || realpath(sv.setup.rules, rules_abs))
			sv.setup.rules = rules_abs;
		free(named);
	}
	if (realpath(sv.setup.plugin, plugin_abs))
		sv.setup.plugin = plugin_abs;
	if (strchr(sv.setup.clang, '/') && realpath(sv.setup.clang, clang_abs))
		sv.setup.clang = clang_abs;
	strv_push(&cargv, clangd);
	for (i = optind; i < argc; i++) {
		strv_push(&cargv, argv[i]);
		if (starts_with(argv[i], "--compile-commands-dir="))
			sv.setup.ccdir = argv[i] + strlen("--compile-commands-dir=");
		else if (strcmp(argv[i], "--compile-commands-dir") == 0 && i + 1 < argc)
			sv.setup.ccdir = argv[i + 1];
	}
	tmp = getenv("TMPDIR");
	snprintf(tmpdir, sizeof(tmpdir), "%s/lockorder-clangd-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(tmpdir)) {
		fprintf(stderr, PROG ": cannot make a directory in '%s': %s\n",
			tmp && *tmp ? tmp : "/tmp", strerror(errno));
		strv_free(&cargv);
		return 2;
	}
	sv.setup.tmpdir = tmpdir;

	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGHUP, on_signal);
	if (pipe2(to, O_CLOEXEC) != 0 || pipe2(from, O_CLOEXEC) != 0) {
		perror(PROG);
		remove_tmpdir(tmpdir);
		strv_free(&cargv);
		return 2;
	}
	pid = fork();
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		dup2(to[0], 0);
		dup2(from[1], 1);
		execvp(cargv.v[0], cargv.v);
		fprintf(stderr, PROG ": cannot run '%s': %s\n", cargv.v[0], strerror(errno));
		_exit(127);
	}
	close(to[0]);
	close(from[1]);
	strv_free(&cargv);
	if (pid < 0) {
		perror(PROG);
		remove_tmpdir(tmpdir);
		return 2;
	}
	sv.to_clangd.fd = to[1];
	sv.to_editor.fd = STDOUT_FILENO;
	set_nonblock(to[1]);
	stdout_flags = fcntl(STDOUT_FILENO, F_GETFL);
	set_nonblock(STDOUT_FILENO);
	in.fd = STDIN_FILENO;
	out.fd = from[0];

	loop(&sv, &in, &out, pid);

	for (i = 0; i < MAX_RUNS; i++)
		if (sv.run_doc[i])
			end_run(&sv, i, RUN_CANCELLED);
	lsp_out_drain(&sv.to_editor);
	if (stdout_flags >= 0)
		fcntl(STDOUT_FILENO, F_SETFL, stdout_flags);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	close(from[0]);
	for (size_t k = 0; k < sv.ndocs; k++)
		doc_free(sv.docs[k]);
	free(sv.docs);
	json_decref(sv.init_id);
	file_command_forget();
	lsp_in_free(&in);
	lsp_in_free(&out);
	lsp_out_free(&sv.to_editor);
	lsp_out_free(&sv.to_clangd);
	remove_tmpdir(tmpdir);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

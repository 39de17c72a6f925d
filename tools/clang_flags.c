/*
 * clang_flags.c - drop from a recorded compile command the flags the clang
 * running the plugin does not accept, by asking that clang.
 *
 * A database recorded from a GCC build holds flags clang rejects
 * (-fconserve-stack, -mindirect-branch-register: "unknown argument"),
 * rejects for the target (-mrecord-mcount: "unsupported option"), ignores
 * with a warning that the build's -Werror makes an error (-falign-jumps=1:
 * "optimization flag ... is not supported"), and warning options it does
 * not know (-Wimplicit-fallthrough=5, -Wno-maybe-uninitialized).  clangd
 * copes by parsing the command with the driver's own option table
 * (CommandMangler) and letting the driver recover from what it does not
 * know.  A C program has no option table, so it asks the clang that will
 * run instead, twice per command that holds a flag it has not asked about:
 *
 *   clang -### -fsyntax-only ARGS...      the driver: it parses ARGS as the
 *                                         plugin's run will, builds the
 *                                         jobs and runs nothing;
 *   clang -fsyntax-only -W... -Wno-error -Wunknown-warning-option
 *         -x c /dev/null                  the front end: only it knows the
 *                                         warning options (and what -Wp,
 *                                         passes it).
 *
 * and reads the diagnostics, whose wording is clang's own
 * (DiagnosticDriverKinds.td, DiagnosticFrontendKinds.td), each naming the
 * flag in single quotes.  The flags named are dropped, and the driver is
 * asked again without them (a few rounds at most): an option that takes
 * a separate value the driver does not know leaves its value behind as an
 * input ("no such file or directory: 'VALUE'"), which goes with it.
 *
 * The answers are kept per clang for the life of the process, so a
 * database of thousands of kernel units asks a handful of times: -D, -U
 * and -I words (POSIX c99's, which every compiler accepts, and which
 * differ from file to file) do not make a command worth asking about.
 *
 * What it does NOT do:
 * - hold a list of GCC's flags: what is dropped is what this clang says,
 *   so a newer clang keeps the flags it learnt.
 * - drop anything when clang cannot be run or says nothing: the plugin's
 *   run then fails with clang's own message, as before.
 * - ask again per translation unit: a flag accepted (or dropped) in one
 *   command is taken to be accepted (or dropped) in every other.  A flag
 *   clang accepts for one target and not another in the same database is
 *   judged by the first command that holds it.
 */
#define _GNU_SOURCE /* posix_spawn_file_actions_addchdir_np */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "clang_flags.h"
#include "compdb.h"

extern char **environ;

#define MAX_ROUNDS 4
#define MAX_NESTING 16 /* response files within response files */

/* What a clang said of a flag. */
enum {
	ACCEPTED = 1,
	DROPPED = 2,       /* the word alone */
	DROPPED_VALUE = 3, /* the word and the next one, its value */
};

/* What one clang said so far. */
struct asked {
	char *clang;
	json_t *flags;        /* word -> ACCEPTED, DROPPED, DROPPED_VALUE */
	struct strv dropped;  /* the words dropped, in the order first seen */
	int broken;           /* it could not be run: ask no more */
	int noted;
};

static struct asked *asked;
static size_t nasked;

static struct asked *asked_for(const char *clang)
{
	size_t i;

	for (i = 0; i < nasked; i++)
		if (strcmp(asked[i].clang, clang) == 0)
			return &asked[i];
	asked = xrealloc(asked, (nasked + 1) * sizeof(*asked));
	memset(&asked[nasked], 0, sizeof(*asked));
	asked[nasked].clang = xstrdup(clang);
	asked[nasked].flags = json_object();
	return &asked[nasked++];
}

static int state_of(struct asked *a, const char *word)
{
	return (int)json_integer_value(json_object_get(a->flags, word));
}

static void set_state(struct asked *a, const char *word, int st)
{
	if (st != ACCEPTED && state_of(a, word) < DROPPED)
		strv_push(&a->dropped, word);
	json_object_set_new(a->flags, word, json_integer(st));
}

/* A word worth asking about: an option, and not one of POSIX c99's -D,
 * -U and -I with its value, which every compiler accepts. */
static int askable(const char *w)
{
	if (w[0] != '-' || !w[1])
		return 0;
	return !((w[1] == 'D' || w[1] == 'U' || w[1] == 'I') && w[2]);
}

/* A warning option, which only the front end judges: -W..., but not
 * -Wl, and -Wa, (the linker's and the assembler's, which a
 * -fsyntax-only run leaves to the driver). */
static int warning_option(const char *w)
{
	return starts_with(w, "-W") && !starts_with(w, "-Wl,") &&
	       !starts_with(w, "-Wa,");
}

/* The words of a command with its response files read. */
struct words {
	struct strv w;
	size_t *from;     /* the index in the command each word comes from */
	size_t cap;
	char *drop;       /* 0, or 1 dropped, or 2 dropped as a value */
	char *from_file;  /* per command word: it is a response file read */
};

static void words_add(struct words *ws, const char *s, size_t from)
{
	if (ws->w.n + 1 > ws->cap) {
		ws->cap = ws->cap ? 2 * ws->cap : 64;
		ws->from = xrealloc(ws->from, ws->cap * sizeof(*ws->from));
	}
	ws->from[ws->w.n] = from;
	strv_push(&ws->w, s);
}

/* The text of the file PATH (relative to DIR), or NULL. */
static char *slurp(const char *dir, const char *path)
{
	char *full = path[0] == '/' || !dir ? xstrdup(path)
					    : xasprintf("%s/%s", dir, path);
	FILE *f = fopen(full, "r");
	char *text = NULL;
	size_t n = 0, cap = 0, got;

	free(full);
	if (!f)
		return NULL;
	do {
		if (n + 4096 + 1 > cap) {
			cap = cap ? 2 * cap : 8192;
			text = xrealloc(text, cap);
		}
		got = fread(text + n, 1, cap - n - 1, f);
		n += got;
	} while (got > 0);
	fclose(f);
	text[n] = '\0';
	return text;
}

/* Appends WORD (command word FROM) to WS, a response file's words in its
 * place, as GCC and clang read them: a file that cannot be read stays a
 * word. */
static int add_expanded(struct words *ws, const char *dir, const char *word,
			size_t from, int depth)
{
	struct strv inner = { 0 };
	char *text;
	size_t i;

	if (word[0] != '@' || depth >= MAX_NESTING ||
	    !(text = slurp(dir, word + 1))) {
		words_add(ws, word, from);
		return 0;
	}
	split_response_file(text, &inner);
	free(text);
	for (i = 0; i < inner.n; i++)
		add_expanded(ws, dir, inner.v[i], from, depth + 1);
	strv_free(&inner);
	return 1;
}

/*
 * Runs ARGV in DIR (here when NULL), its input /dev/null, and returns
 * what it wrote on stdout and stderr, or NULL when it could not be run
 * or died of a signal.  The exit status does not matter: a clang that
 * rejects a flag exits 1 after saying so.
 */
static char *run_capture(char *const argv[], const char *dir)
{
	posix_spawn_file_actions_t fa;
	char *out = NULL;
	size_t n = 0, cap = 0;
	int p[2], status, rc;
	ssize_t got;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) != 0)
		return NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_adddup2(&fa, p[1], 2);
	if (dir)
		posix_spawn_file_actions_addchdir_np(&fa, dir);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (rc != 0) {
		close(p[0]);
		return NULL;
	}
	for (;;) {
		if (n + 4096 + 1 > cap) {
			cap = cap ? 2 * cap : 16384;
			out = xrealloc(out, cap);
		}
		got = read(p[0], out + n, cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		n += (size_t)got;
	}
	out[n] = '\0';
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status)) {
		free(out);
		return NULL;
	}
	return out;
}

static char *xstrndup(const char *s, size_t n)
{
	char *d = xrealloc(NULL, n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* What clang's diagnostics name, in the words they name them with. */
struct said {
	json_t *flags;   /* set: the flags rejected or ignored */
	json_t *missing; /* set: inputs that are no file */
};

/* The text after PREFIX in MSG up to the quote that closes it (one
 * followed by the end, a blank or ';'), copied; or NULL. */
static char *quoted_after(const char *msg, const char *prefix,
			  const char **rest)
{
	const char *s = strstr(msg, prefix), *e;

	if (!s)
		return NULL;
	s += strlen(prefix);
	for (e = s; (e = strchr(e, '\'')) != NULL; e++)
		if (!e[1] || e[1] == ' ' || e[1] == ';' || e[1] == '\n')
			break;
	if (!e)
		return NULL;
	if (rest)
		*rest = e + 1;
	return xstrndup(s, (size_t)(e - s));
}

static void said_add(json_t *set, char *s)
{
	if (s)
		json_object_set_new(set, s, json_true());
	free(s);
}

/* One diagnostic's message (after "error: " or "warning: ") into SAID. */
static void read_message(const char *msg, struct said *said)
{
	/* the flag is the first quoted name */
	static const char *const first[] = {
		"unknown argument: '",          /* err_drv_unknown_argument */
		"unknown argument '",           /* ... with a suggestion */
		"unsupported option '",         /* err_drv_unsupported_opt* */
		"argument unused during compilation: '",
		"optimization flag '",          /* warn_ignored_gcc_optimization */
		"the clang compiler does not support '",
		"unknown warning option '",     /* warn_unknown_warning_option */
		"unknown remark option '",
		"warning specifier: '",         /* warn_unknown_warning_specifier */
	};
	const char *rest;
	char *v, *o;
	size_t i;

	for (i = 0; i < sizeof(first) / sizeof(first[0]); i++)
		if (starts_with(msg, first[i])) {
			said_add(said->flags, quoted_after(msg, first[i], NULL));
			return;
		}
	/* err_drv_unsupported_option_argument: "unsupported argument 'V'
	 * to option 'O'" names the option without its value; and
	 * err_drv_invalid_value: "invalid value 'V' in 'FLAG'" */
	if (starts_with(msg, "unsupported argument '") &&
	    (v = quoted_after(msg, "unsupported argument '", &rest))) {
		o = quoted_after(rest, " to option '", NULL);
		if (o) {
			said_add(said->flags, xasprintf("%s%s", o, v));
			said_add(said->flags, xasprintf("%s %s", o, v));
		}
		free(o);
		free(v);
		return;
	}
	if (starts_with(msg, "invalid value '") &&
	    (v = quoted_after(msg, "invalid value '", &rest))) {
		said_add(said->flags, quoted_after(rest, " in '", NULL));
		free(v);
		return;
	}
	if (starts_with(msg, "no such file or directory: '"))
		said_add(said->missing,
			 quoted_after(msg, "no such file or directory: '", NULL));
}

/* Every diagnostic of OUT into SAID.  The driver's start with its name
 * ("clang: error: "), the front end's with "error: " or "warning: "; the
 * jobs -### prints start with a blank. */
static void read_output(const char *out, struct said *said)
{
	const char *line = out;

	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char *l = xstrndup(line, len);
		char *m = NULL;

		if (l[0] != ' ' && l[0] != '"') {
			m = strstr(l, "error: ");
			if (m)
				m += strlen("error: ");
			else if ((m = strstr(l, "warning: ")))
				m += strlen("warning: ");
		}
		if (m)
			read_message(m, said);
		free(l);
		line += len + (nl ? 1 : 0);
	}
}

static int said_flag(const struct said *said, const char *s)
{
	return json_object_get(said->flags, s) != NULL;
}

/* WORD is named in SAID, as itself, or as the front end renames it:
 * -Wno-error=X as -Werror=X, and one of -Wp,A,B's A and B. */
static int named(const struct said *said, const char *word)
{
	if (said_flag(said, word))
		return 1;
	if (starts_with(word, "-Wno-error=")) {
		char *s = xasprintf("-Werror=%s", word + strlen("-Wno-error="));
		int r = said_flag(said, s);

		free(s);
		return r;
	}
	if (starts_with(word, "-Wp,")) {
		char *list = xstrdup(word + 4), *save = NULL, *tok;
		int r = 0;

		for (tok = strtok_r(list, ",", &save); tok && !r;
		     tok = strtok_r(NULL, ",", &save))
			r = said_flag(said, tok);
		free(list);
		return r;
	}
	return 0;
}

/* Marks in WS what SAID names, and what goes with it, as dropped; and
 * says so to A.  Returns how many words it marked.  The value of a flag
 * dropped is known only by the input it leaves behind: a word after it
 * that the driver could not open (in DIR; without one, an input of a
 * different directory could look alike, so nothing is taken for a
 * value). */
static size_t mark(struct asked *a, struct words *ws, const struct said *said,
		   const char *dir)
{
	size_t i, n = ws->w.n, marked = 0;

	for (i = 0; i < n; i++) {
		const char *w = ws->w.v[i];
		size_t j = i + 1;

		if (ws->drop[i])
			continue;
		while (j < n && ws->drop[j])
			j++;
		if (named(said, w)) {
			ws->drop[i] = 1;
			marked++;
			if (dir && j < n && ws->w.v[j][0] != '-' &&
			    json_object_get(said->missing, ws->w.v[j])) {
				ws->drop[j] = 2;
				marked++;
				set_state(a, w, DROPPED_VALUE);
			} else {
				set_state(a, w, DROPPED);
			}
		} else if (j < n) {
			/* a flag with a separate value, named "-flag value" */
			char *both = xasprintf("%s %s", w, ws->w.v[j]);

			if (said_flag(said, both)) {
				ws->drop[i] = 1;
				ws->drop[j] = 2;
				marked += 2;
				set_state(a, w, DROPPED_VALUE);
			}
			free(both);
		}
	}
	/* a flag the driver knew takes a value, dropped in an earlier
	 * round, left its value behind as an input */
	for (i = 1; dir && i < n; i++) {
		if (ws->drop[i] || ws->w.v[i][0] == '-' ||
		    !json_object_get(said->missing, ws->w.v[i]))
			continue;
		if (ws->drop[i - 1] == 1 &&
		    state_of(a, ws->w.v[i - 1]) == DROPPED) {
			ws->drop[i] = 2;
			marked++;
			set_state(a, ws->w.v[i - 1], DROPPED_VALUE);
		}
	}
	return marked;
}

/* Asks A's clang about WS with the words of FIXED in front (and of TAIL
 * after), those for which WANT says yes, and marks what it names.
 * Returns how many words were marked, or -1 when clang could not be
 * run. */
static long ask(struct asked *a, struct words *ws, const char *dir,
		const char *const *fixed, const char *const *tail,
		int (*want)(struct asked *, const char *))
{
	struct strv argv = { 0 };
	struct said said = { json_object(), json_object() };
	char *out;
	long marked = -1;
	size_t i;

	strv_push(&argv, a->clang);
	for (; *fixed; fixed++)
		strv_push(&argv, *fixed);
	for (i = 0; i < ws->w.n; i++)
		if (!ws->drop[i] && (!want || want(a, ws->w.v[i])))
			strv_push(&argv, ws->w.v[i]);
	for (; *tail; tail++)
		strv_push(&argv, *tail);
	out = run_capture(argv.v, dir);
	if (out) {
		read_output(out, &said);
		marked = (long)mark(a, ws, &said, dir);
		free(out);
	}
	json_decref(said.flags);
	json_decref(said.missing);
	strv_free(&argv);
	return marked;
}

/* A warning option not yet judged: the one kind the second question
 * asks about. */
static int new_warning_option(struct asked *a, const char *w)
{
	return warning_option(w) && !state_of(a, w);
}

/* Asks A's clang about the words of WS it has not judged, and keeps the
 * answers. */
static void ask_about(struct asked *a, struct words *ws, const char *dir)
{
	static const char *const driver[] = { "-###", "-fsyntax-only", NULL };
	static const char *const front[] = { "-fsyntax-only", NULL };
	static const char *const front_tail[] = {
		/* report unknown warning options even if the command turns
		 * that warning off, and as warnings, all of them */
		"-Wno-error", "-Wunknown-warning-option", "-x", "c",
		"/dev/null", NULL,
	};
	static const char *const none[] = { NULL };
	int round, warnings = 0;
	long marked;
	size_t i;

	for (round = 0; round < MAX_ROUNDS; round++) {
		marked = ask(a, ws, dir, driver, none, NULL);
		if (marked < 0) {
			a->broken = 1;
			return;
		}
		if (marked == 0)
			break;
	}
	for (i = 0; i < ws->w.n && !warnings; i++)
		warnings = !ws->drop[i] && new_warning_option(a, ws->w.v[i]);
	if (warnings && ask(a, ws, dir, front, front_tail,
			    new_warning_option) < 0) {
		a->broken = 1;
		return;
	}
	for (i = 0; i < ws->w.n; i++)
		if (!ws->drop[i] && askable(ws->w.v[i]) &&
		    !state_of(a, ws->w.v[i]))
			set_state(a, ws->w.v[i], ACCEPTED);
}

void clang_flags_drop(const char *clang, const char *dir, struct strv *args)
{
	struct asked *a = asked_for(clang);
	struct words ws = { 0 };
	struct strv kept = { 0 };
	int unknown = 0;
	size_t i, k;

	ws.from_file = xcalloc(args->n + 1, 1);
	for (k = 0; k < args->n; k++)
		ws.from_file[k] = (char)add_expanded(&ws, dir, args->v[k], k, 0);
	ws.drop = xcalloc(ws.w.n + 1, 1);

	for (i = 0; i < ws.w.n && !unknown; i++)
		unknown = askable(ws.w.v[i]) && !state_of(a, ws.w.v[i]);
	/* a directory that is gone fails this command's run, not clang */
	if (unknown && !a->broken && (!dir || access(dir, X_OK) == 0))
		ask_about(a, &ws, dir);

	/* what was asked about before, or in another command */
	for (i = 0; i < ws.w.n; i++) {
		int st = ws.drop[i] ? 0 : state_of(a, ws.w.v[i]);

		if (st == DROPPED || st == DROPPED_VALUE)
			ws.drop[i] = 1;
		if (st == DROPPED_VALUE && i + 1 < ws.w.n)
			ws.drop[++i] = 2;
	}

	/* a response file stays one word unless a word of it goes */
	for (i = 0, k = 0; k < args->n; k++) {
		size_t start = i;
		int gone = 0;

		for (; i < ws.w.n && ws.from[i] == k; i++)
			gone |= ws.drop[i];
		if (ws.from_file[k] && !gone) {
			strv_push(&kept, args->v[k]);
			continue;
		}
		for (; start < i; start++)
			if (!ws.drop[start])
				strv_push(&kept, ws.w.v[start]);
	}
	strv_free(args);
	*args = kept;
	strv_free(&ws.w);
	free(ws.from);
	free(ws.drop);
	free(ws.from_file);
}

void clang_flags_note(const char *prog)
{
	size_t i, k;

	for (i = 0; i < nasked; i++) {
		struct asked *a = &asked[i];

		if (a->noted || a->dropped.n == 0)
			continue;
		a->noted = 1;
		fprintf(stderr, "%s: note: dropped %zu flag%s that '%s' does not accept:",
			prog, a->dropped.n, a->dropped.n == 1 ? "" : "s",
			a->clang);
		for (k = 0; k < a->dropped.n; k++)
			fprintf(stderr, " %s", a->dropped.v[k]);
		fputc('\n', stderr);
	}
}

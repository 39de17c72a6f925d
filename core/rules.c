/*
 * rules.c - the rules language: reading a rules file and the files it
 * includes, cutting it into statements and tokens, parsing every
 * statement, and resolving the names the statements use once everything
 * has been read.
 *
 * What it does NOT do: compute the order (order.c builds the closure and
 * finds cycles) or decide anything about code (check.c).  It also never
 * stops at the first problem: a statement with a syntax error is
 * reported and skipped, parsing goes on at the next line, and names are
 * resolved only after every file is read, so a lock may be used before
 * (or in another file than) the line that declares it.
 *
 * Lines: a '#' outside a string starts a comment that ends with the
 * physical line; a line whose text (before any comment) ends in '\'
 * continues on the next line, the backslash and the newline removed as in
 * C.  So "a, \  # why" continues, and a comment never swallows the line
 * after it.  Columns are 1-based byte columns of the physical line.
 */
#define _XOPEN_SOURCE 700 /* realpath */

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Deeper than any real include tree; stops a runaway chain of distinct
 * files before it exhausts the stack. */
#define MAX_INCLUDE_DEPTH 64

enum tok {
	T_EOL,
	T_IDENT,
	T_NUMBER,
	T_STRING,
	T_STAR,
	T_COMMA,
	T_LPAREN,
	T_RPAREN,
	T_EQ,
	T_ARROW,
	T_DOT,
};

struct token {
	enum tok kind;
	const char *s;    /* into the logical line; not NUL-terminated */
	size_t len;
	size_t pos, end;  /* offsets in the logical line */
	int line, col;
};

/* One statement: its physical lines joined, and where each byte came
 * from, so that an error deep in a continued line has its true column. */
struct lline {
	char *buf;
	int *lines, *cols;
	size_t len, cap;
	int end_line, end_col; /* just after the last byte */
};

/* A lock named by an order statement, resolved after parsing. */
struct pref {
	const char *name;
	const char *file;
	int line, col;
	int idx;
};

/* An order statement waiting for its names: refs [l0, l0 + nl) are on
 * the left of its keyword (or all of them), [r0, r0 + nr) on the right. */
struct pstmt {
	size_t rule;
	size_t l0, nl, r0, nr;
};

/* An effect naming something that is not a parameter: a lock, resolved
 * after parsing. */
struct peff {
	size_t func, eff;
	const char *name;
	const char *file;
	int line, col;
};

struct incfile {
	char *key;           /* realpath, or the name when that fails */
	const char *display; /* owned by the lo_rules */
};

struct parser {
	lo_rules *r;
	struct lo_errors *errs;
	int allow_include;
	const char *file; /* the file being parsed, owned by the lo_rules */

	struct incfile *stack; /* files being parsed, outermost first */
	size_t nstack, capstack;
	char **seen;           /* keys of every file parsed */
	size_t nseen, capseen;
	const char **files;    /* their names, in the order they were read */
	size_t nfiles, capfiles;

	struct lline ll;
	struct token *tk;
	size_t ntk, captk, pos;

	struct pref *refs;
	size_t nrefs, caprefs;
	struct pstmt *stmts;
	size_t nstmts, capstmts;
	struct peff *effs;
	size_t neffs, capeffs;
};

/* ---- ownership -------------------------------------------------------- */

static void *own(lo_rules *r, void *p)
{
	lo_grow(&r->owned, &r->capowned, r->nowned + 1, sizeof(*r->owned));
	r->owned[r->nowned++] = p;
	return p;
}

static char *own_strndup(lo_rules *r, const char *s, size_t n)
{
	return own(r, lo_xstrndup(s, n));
}

/* ---- errors ----------------------------------------------------------- */

static void verror(struct parser *p, enum lo_severity sev, const char *file,
		   int line, int col, const char *fmt, va_list ap)
{
	va_list aq;
	char *msg;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		n = 0;
	msg = lo_xmalloc((size_t)n + 1);
	vsnprintf(msg, (size_t)n + 1, fmt, ap);
	lo_errors_add(p->errs, sev, file, line, col, "%s", msg);
	free(msg);
}

#if defined(__GNUC__) || defined(__clang__)
#define PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define PRINTF(a, b)
#endif

static void PRINTF(5, 6) error_loc(struct parser *p, const char *file,
				   int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(p, LO_SEV_ERROR, file, line, col, fmt, ap);
	va_end(ap);
}

static void PRINTF(3, 4) error_at(struct parser *p, const struct token *t,
				  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(p, LO_SEV_ERROR, p->file, t->line, t->col, fmt, ap);
	va_end(ap);
}

/* ---- lines and tokens ------------------------------------------------- */

static void lline_append(struct lline *ll, const char *s, size_t n, int line)
{
	size_t i;

	if (ll->len + n > ll->cap) {
		size_t cap = ll->cap ? ll->cap : 64;

		while (cap < ll->len + n)
			cap *= 2;
		ll->buf = lo_xrealloc(ll->buf, cap);
		ll->lines = lo_xrealloc(ll->lines, cap * sizeof(int));
		ll->cols = lo_xrealloc(ll->cols, cap * sizeof(int));
		ll->cap = cap;
	}
	for (i = 0; i < n; i++) {
		ll->buf[ll->len] = s[i];
		ll->lines[ll->len] = line;
		ll->cols[ll->len] = i + 1 > INT_MAX ? INT_MAX : (int)(i + 1);
		ll->len++;
	}
	if (n) {
		ll->end_line = line;
		ll->end_col = ll->cols[ll->len - 1] + (ll->cols[ll->len - 1] < INT_MAX);
	}
}

static void push_token(struct parser *p, const struct token *t)
{
	lo_grow(&p->tk, &p->captk, p->ntk + 1, sizeof(*p->tk));
	p->tk[p->ntk++] = *t;
}

static int is_ident_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_ident_char(unsigned char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Cuts the logical line into p->tk, ending with a T_EOL token placed just
 * after the last byte.  Returns -1 after reporting a bad character or an
 * unterminated string (the statement is then skipped). */
static int lex_line(struct parser *p)
{
	const struct lline *ll = &p->ll;
	size_t i = 0;
	struct token t;

	p->ntk = 0;
	p->pos = 0;
	while (i < ll->len) {
		unsigned char c = (unsigned char)ll->buf[i];

		if (is_space(c)) {
			i++;
			continue;
		}
		memset(&t, 0, sizeof(t));
		t.s = ll->buf + i;
		t.pos = i;
		t.line = ll->lines[i];
		t.col = ll->cols[i];
		if (is_ident_start(c)) {
			while (i < ll->len && is_ident_char((unsigned char)ll->buf[i]))
				i++;
			t.kind = T_IDENT;
		} else if (c >= '0' && c <= '9') {
			while (i < ll->len && is_ident_char((unsigned char)ll->buf[i]))
				i++;
			t.kind = T_NUMBER;
		} else if (c == '"') {
			size_t j = i + 1;

			while (j < ll->len && ll->buf[j] != '"')
				j++;
			if (j >= ll->len) {
				error_at(p, &t, "missing terminating '\"' character");
				return -1;
			}
			i = j + 1;
			t.kind = T_STRING;
		} else if (c == '-' && i + 1 < ll->len && ll->buf[i + 1] == '>') {
			i += 2;
			t.kind = T_ARROW;
		} else {
			switch (c) {
			case '*': t.kind = T_STAR; break;
			case ',': t.kind = T_COMMA; break;
			case '(': t.kind = T_LPAREN; break;
			case ')': t.kind = T_RPAREN; break;
			case '=': t.kind = T_EQ; break;
			case '.': t.kind = T_DOT; break;
			default:
				if (c >= 0x21 && c < 0x7f)
					error_at(p, &t, "invalid character '%c'", c);
				else
					error_at(p, &t, "invalid character '\\x%02x'", c);
				return -1;
			}
			i++;
		}
		t.len = i - t.pos;
		t.end = i;
		push_token(p, &t);
	}
	memset(&t, 0, sizeof(t));
	t.kind = T_EOL;
	t.s = "";
	t.pos = t.end = ll->len;
	t.line = ll->end_line;
	t.col = ll->end_col;
	push_token(p, &t);
	return 0;
}

static const struct token *peek(const struct parser *p)
{
	return &p->tk[p->pos];
}

static const struct token *peek2(const struct parser *p)
{
	return p->tk[p->pos].kind == T_EOL ? &p->tk[p->pos] : &p->tk[p->pos + 1];
}

/* Returns the current token and moves past it (never past T_EOL). */
static const struct token *take(struct parser *p)
{
	const struct token *t = &p->tk[p->pos];

	if (t->kind != T_EOL)
		p->pos++;
	return t;
}

static int is_word(const struct token *t, const char *w)
{
	return t->kind == T_IDENT && strlen(w) == t->len &&
	       memcmp(t->s, w, t->len) == 0;
}

static int expect_eol(struct parser *p, const char *what)
{
	if (peek(p)->kind == T_EOL)
		return 0;
	error_at(p, peek(p), "expected %s", what);
	return -1;
}

/* The statement's text with single spaces, none inside a lock path or
 * before ',' and ')'.  Owned by the lo_rules. */
static const char *stmt_text(struct parser *p)
{
	size_t i, n = 1;
	char *buf, *o;

	for (i = 0; i < p->ntk; i++)
		n += p->tk[i].len + 1;
	o = buf = own(p->r, lo_xmalloc(n));
	for (i = 0; i < p->ntk && p->tk[i].kind != T_EOL; i++) {
		const struct token *t = &p->tk[i];
		const struct token *prev = i ? &p->tk[i - 1] : NULL;
		int space = prev != NULL;

		if (t->kind == T_COMMA || t->kind == T_RPAREN ||
		    t->kind == T_ARROW || t->kind == T_DOT)
			space = 0;
		if (prev && (prev->kind == T_LPAREN || prev->kind == T_ARROW ||
			     prev->kind == T_DOT))
			space = 0;
		if (prev && t->kind == T_LPAREN &&
		    (prev->kind == T_IDENT || prev->kind == T_STAR))
			space = 0;
		if (prev && t->kind == T_STAR && prev->kind == T_IDENT &&
		    prev->end == t->pos)
			space = 0;
		if (space)
			*o++ = ' ';
		memcpy(o, t->s, t->len);
		o += t->len;
	}
	*o = '\0';
	return buf;
}

/* ---- pieces of statements --------------------------------------------- */

/* A lock path at the cursor: IDENT, then ("->" | ".") IDENT any number of
 * times.  Its tokens are [*first, *last).  WHAT says what was expected. */
static int parse_lockref(struct parser *p, const char *what, size_t *first,
			 size_t *last)
{
	if (peek(p)->kind != T_IDENT) {
		error_at(p, peek(p), "expected %s", what);
		return -1;
	}
	*first = p->pos;
	take(p);
	while (peek(p)->kind == T_ARROW || peek(p)->kind == T_DOT) {
		const struct token *sep = take(p);

		if (peek(p)->kind != T_IDENT) {
			error_at(p, peek(p), "expected a field name after '%.*s'",
				 (int)sep->len, sep->s);
			return -1;
		}
		take(p);
	}
	*last = p->pos;
	return 0;
}

/* The lock path in tokens [first, last) spelled without spaces; owned by
 * the lo_rules. */
static const char *ref_name(struct parser *p, size_t first, size_t last)
{
	size_t i, n = 0;
	char *s, *o;

	for (i = first; i < last; i++)
		n += p->tk[i].len;
	o = s = own(p->r, lo_xmalloc(n + 1));
	for (i = first; i < last; i++) {
		memcpy(o, p->tk[i].s, p->tk[i].len);
		o += p->tk[i].len;
	}
	*o = '\0';
	return s;
}

/* "LOCK, LOCK, ..." into p->refs as [*start, *start + *n).  Stops at the
 * first token after a lock that is not ','. */
static int parse_ref_list(struct parser *p, const char *what, size_t *start,
			  size_t *n)
{
	*start = p->nrefs;
	*n = 0;
	for (;;) {
		size_t f, l;
		struct pref *ref;

		if (parse_lockref(p, what, &f, &l))
			return -1;
		lo_grow(&p->refs, &p->caprefs, p->nrefs + 1, sizeof(*p->refs));
		ref = &p->refs[p->nrefs++];
		ref->name = ref_name(p, f, l);
		ref->file = p->file;
		ref->line = p->tk[f].line;
		ref->col = p->tk[f].col;
		ref->idx = -1;
		(*n)++;
		if (peek(p)->kind != T_COMMA)
			return 0;
		take(p);
	}
}

/* A function name or pattern: IDENT, IDENT immediately followed by '*',
 * or (when LONE_STAR) a lone '*'.  Owned by the lo_rules, or NULL. */
static const char *parse_funcname(struct parser *p, int lone_star,
				  const char *what)
{
	const struct token *t = peek(p);

	if (t->kind == T_STAR && lone_star) {
		take(p);
		return own_strndup(p->r, "*", 1);
	}
	if (t->kind != T_IDENT) {
		error_at(p, t, "expected %s", what);
		return NULL;
	}
	take(p);
	if (peek(p)->kind == T_STAR && peek(p)->pos == t->end) {
		take(p);
		return own_strndup(p->r, t->s, t->len + 1);
	}
	return own_strndup(p->r, t->s, t->len);
}

static size_t add_rule(struct parser *p, enum lo_rule_kind kind,
		       enum lo_stmt stmt)
{
	lo_rules *r = p->r;
	size_t i = r->nrules;
	size_t cap = r->caprules;

	lo_grow(&r->rules, &r->caprules, i + 1, sizeof(*r->rules));
	lo_grow(&r->rext, &cap, i + 1, sizeof(*r->rext));
	r->rules[i].kind = kind;
	r->rules[i].file = p->file;
	r->rules[i].line = p->tk[0].line;
	r->rules[i].text = stmt_text(p);
	memset(&r->rext[i], 0, sizeof(r->rext[i]));
	r->rext[i].stmt = stmt;
	r->rext[i].col = p->tk[0].col;
	r->nrules++;
	return i;
}

static void add_stmt(struct parser *p, size_t rule, size_t l0, size_t nl,
		     size_t r0, size_t nr)
{
	struct pstmt *st;

	lo_grow(&p->stmts, &p->capstmts, p->nstmts + 1, sizeof(*p->stmts));
	st = &p->stmts[p->nstmts++];
	st->rule = rule;
	st->l0 = l0;
	st->nl = nl;
	st->r0 = r0;
	st->nr = nr;
}

/* ---- statements ------------------------------------------------------- */

static void parse_text(struct parser *p, const char *text, size_t len);

/* The contents of PATH (not NUL-terminated) and their length in *LEN; the
 * caller frees.  NULL with errno's value in *ERR when it cannot be read. */
static char *read_whole_file(const char *path, size_t *len, int *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (!f) {
		*err = errno;
		return NULL;
	}
	for (;;) {
		size_t got;

		lo_grow(&buf, &cap, n + 4096, 1);
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		*err = errno ? errno : EIO;
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

/* The key that makes "include once" work: the resolved path when there
 * is one, so that "a/../b.lockorder" and "b.lockorder" are one file.
 * The caller frees it. */
static char *file_key(const char *name)
{
	char *rp = realpath(name, NULL);

	return rp ? rp : lo_xstrdup(name);
}

/* Parses TEXT as the file DISPLAY (owned by the lo_rules) whose key is
 * KEY (taken over). */
static void parse_file_text(struct parser *p, const char *display, char *key,
			    const char *text, size_t len)
{
	const char *saved = p->file;

	lo_grow(&p->stack, &p->capstack, p->nstack + 1, sizeof(*p->stack));
	p->stack[p->nstack].key = key;
	p->stack[p->nstack].display = display;
	p->nstack++;
	lo_grow(&p->seen, &p->capseen, p->nseen + 1, sizeof(*p->seen));
	p->seen[p->nseen++] = lo_xstrdup(key);
	lo_grow(&p->files, &p->capfiles, p->nfiles + 1, sizeof(*p->files));
	p->files[p->nfiles++] = display;
	p->file = display;
	parse_text(p, text, len);
	p->file = saved;
	p->nstack--;
	free(p->stack[p->nstack].key);
}

static void parse_include(struct parser *p)
{
	const struct token *t = peek(p);
	int line = t->line, col = t->col;
	const char *dir_end, *display;
	char *path, *key, *text;
	size_t i, len, dirlen;
	int err = 0;

	if (t->kind != T_STRING) {
		error_at(p, t, "expected a quoted file name after 'include'");
		return;
	}
	take(p);
	if (expect_eol(p, "end of line"))
		return;
	if (!p->allow_include) {
		error_at(p, t, "'include' is not allowed in rules read from a string");
		return;
	}
	if (t->len == 2) {
		error_at(p, t, "expected a file name inside the quotes");
		return;
	}
	/* Relative to the including file's directory, as C's "..." */
	dir_end = strrchr(p->file, '/');
	dirlen = t->s[1] == '/' || !dir_end ? 0 : (size_t)(dir_end - p->file) + 1;
	path = lo_xmalloc(dirlen + t->len - 1);
	memcpy(path, p->file, dirlen);
	memcpy(path + dirlen, t->s + 1, t->len - 2);
	path[dirlen + t->len - 2] = '\0';
	display = own(p->r, path);

	key = file_key(display);
	for (i = 0; i < p->nstack; i++) {
		if (strcmp(p->stack[i].key, key) == 0) {
			size_t j, n = 32;
			char *msg, *o;

			for (j = i; j < p->nstack; j++)
				n += strlen(p->stack[j].display) + 6;
			n += strlen(display);
			o = msg = lo_xmalloc(n);
			o += sprintf(o, "include cycle: ");
			for (j = i; j < p->nstack; j++)
				o += sprintf(o, "'%s' -> ", p->stack[j].display);
			sprintf(o, "'%s'", display);
			error_loc(p, p->file, line, col, "%s", msg);
			free(msg);
			free(key);
			return;
		}
	}
	for (i = 0; i < p->nseen; i++) {
		if (strcmp(p->seen[i], key) == 0) {
			free(key); /* included before: once is enough */
			return;
		}
	}
	if (p->nstack >= MAX_INCLUDE_DEPTH) {
		error_loc(p, p->file, line, col,
			  "includes nested too deeply (more than %d files)",
			  MAX_INCLUDE_DEPTH);
		free(key);
		return;
	}
	text = read_whole_file(display, &len, &err);
	if (!text) {
		error_loc(p, p->file, line, col, "cannot open '%s': %s", display,
			  strerror(err));
		free(key);
		return;
	}
	parse_file_text(p, display, key, text, len);
	free(text);
}

static void parse_type(struct parser *p)
{
	const struct token *alias, *kw, *tag;
	struct lo_type *ty;
	const char *name;
	int prev;

	alias = peek(p);
	if (alias->kind != T_IDENT) {
		error_at(p, alias, "expected a type alias name after 'type'");
		return;
	}
	take(p);
	if (peek(p)->kind != T_EQ) {
		error_at(p, peek(p), "expected '=' after 'type %.*s'",
			 (int)alias->len, alias->s);
		return;
	}
	take(p);
	kw = peek(p);
	if (!is_word(kw, "struct") && !is_word(kw, "union")) {
		error_at(p, kw, "expected 'struct' or 'union'");
		return;
	}
	take(p);
	tag = peek(p);
	if (tag->kind != T_IDENT) {
		error_at(p, tag, "expected a tag after '%.*s'", (int)kw->len,
			 kw->s);
		return;
	}
	take(p);
	if (expect_eol(p, "end of line"))
		return;
	name = own_strndup(p->r, alias->s, alias->len);
	prev = lo_strmap_get(&p->r->typemap, name);
	if (prev >= 0) {
		error_at(p, alias, "redeclaration of type '%s'; first declared at %s:%d",
			 name, p->r->types[prev].file, p->r->types[prev].line);
		return;
	}
	lo_grow(&p->r->types, &p->r->captypes, p->r->ntypes + 1,
		sizeof(*p->r->types));
	ty = &p->r->types[p->r->ntypes];
	ty->alias = name;
	ty->keyword = is_word(kw, "struct") ? "struct" : "union";
	ty->tag = own_strndup(p->r, tag->s, tag->len);
	ty->file = p->file;
	ty->line = alias->line;
	ty->col = alias->col;
	lo_strmap_put(&p->r->typemap, name, (int)p->r->ntypes);
	p->r->ntypes++;
}

static void add_lock(struct parser *p, enum lo_kind kind, size_t f, size_t l)
{
	lo_rules *r = p->r;
	const char *name = ref_name(p, f, l);
	int prev = lo_strmap_get(&r->lockmap, name);
	struct lo_lock *lk;

	if (prev >= 0) {
		error_at(p, &p->tk[f],
			 "redeclaration of lock '%s'; first declared at %s:%d",
			 name, r->locks[prev].file, r->locks[prev].line);
		return;
	}
	lo_grow(&r->locks, &r->caplocks, r->nlocks + 1, sizeof(*r->locks));
	lk = &r->locks[r->nlocks];
	memset(lk, 0, sizeof(*lk));
	lk->name = name;
	lk->kind = kind;
	if (l - f > 1) {
		/* tokens: root sep field sep field ... */
		size_t i, n = (l - f - 1) / 2;
		const char **fields = own(r, lo_xcalloc(n, sizeof(*fields)));

		lk->root = own_strndup(r, p->tk[f].s, p->tk[f].len);
		for (i = 0; i < n; i++)
			fields[i] = own_strndup(r, p->tk[f + 2 + 2 * i].s,
						p->tk[f + 2 + 2 * i].len);
		lk->fields = fields;
		lk->nfields = n;
	}
	lk->file = p->file;
	lk->line = p->tk[f].line;
	lk->col = p->tk[f].col;
	lk->leaf_rule = -1;
	lo_strmap_put(&r->lockmap, name, (int)r->nlocks);
	r->nlocks++;
}

static void parse_locks(struct parser *p, enum lo_kind kind)
{
	for (;;) {
		size_t f, l;

		if (parse_lockref(p, "a lock name", &f, &l))
			return;
		add_lock(p, kind, f, l);
		if (peek(p)->kind != T_COMMA)
			break;
		take(p);
	}
	expect_eol(p, "',' or end of line");
}

static int find_param(const char *const *params, size_t n, const char *s,
		      size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(params[i]) == len && memcmp(params[i], s, len) == 0)
			return (int)i;
	return -1;
}

/* One effect of function FNAME (to become function number FUNC). */
static int parse_effect(struct parser *p, size_t func, const char *fname,
			const char *const *params, size_t nparams,
			struct lo_effect *e, size_t eff)
{
	const struct token *t = peek(p);
	size_t f, l;

	memset(e, 0, sizeof(*e));
	e->param = e->lock = e->nested_param = -1;
	e->cond = LO_ALWAYS;
	if (is_word(t, "acquires"))
		e->op = LO_ACQUIRE;
	else if (is_word(t, "releases"))
		e->op = LO_RELEASE;
	else if (is_word(t, "waits"))
		e->op = LO_WAIT;
	else if (is_word(t, "asserts"))
		e->op = LO_ASSERT;
	else {
		error_at(p, t, "expected 'acquires', 'releases', 'waits' or 'asserts'");
		return -1;
	}
	take(p);
	/* "shared" is the mode unless it is the lock itself ("acquires shared"
	 * with a parameter called shared). */
	if (e->op != LO_WAIT && is_word(peek(p), "shared") &&
	    peek2(p)->kind == T_IDENT) {
		take(p);
		e->shared = 1;
	}
	if (parse_lockref(p, "a parameter or lock name", &f, &l))
		return -1;
	if (l - f == 1)
		e->param = find_param(params, nparams, p->tk[f].s, p->tk[f].len);
	if (e->param < 0) {
		struct peff *pe;

		lo_grow(&p->effs, &p->capeffs, p->neffs + 1, sizeof(*p->effs));
		pe = &p->effs[p->neffs++];
		pe->func = func;
		pe->eff = eff;
		pe->name = ref_name(p, f, l);
		pe->file = p->file;
		pe->line = p->tk[f].line;
		pe->col = p->tk[f].col;
	}
	if (e->op != LO_ACQUIRE)
		return 0;
	if (is_word(peek(p), "nested")) {
		take(p);
		t = peek(p);
		if (t->kind != T_IDENT) {
			error_at(p, t, "expected a parameter name after 'nested'");
			return -1;
		}
		e->nested_param = find_param(params, nparams, t->s, t->len);
		if (e->nested_param < 0) {
			error_at(p, t, "'%.*s' is not a parameter of '%s'",
				 (int)t->len, t->s, fname);
			return -1;
		}
		take(p);
	}
	if (is_word(peek(p), "if")) {
		take(p);
		if (!is_word(peek(p), "returns")) {
			error_at(p, peek(p), "expected 'returns' after 'if'");
			return -1;
		}
		take(p);
		t = peek(p);
		if (t->kind == T_NUMBER && t->len == 1 && t->s[0] == '0')
			e->cond = LO_IF_RETURNS_ZERO;
		else if (is_word(t, "nonzero"))
			e->cond = LO_IF_RETURNS_NONZERO;
		else {
			error_at(p, t, "expected '0' or 'nonzero' after 'returns'");
			return -1;
		}
		take(p);
	}
	return 0;
}

static void parse_function(struct parser *p)
{
	lo_rules *r = p->r;
	const struct token *nt = peek(p);
	const char **params = NULL;
	struct lo_effect *effects = NULL;
	size_t nparams = 0, capparams = 0, neffects = 0, capeffects = 0;
	size_t saved_effs = p->neffs;
	struct lo_function *fn;
	const char *name;
	int prev;

	name = parse_funcname(p, 0, "a function name after 'function'");
	if (!name)
		return;
	prev = lo_strmap_get(&r->funcmap, name);
	if (prev >= 0) {
		error_at(p, nt, "redeclaration of function '%s'; first declared at %s:%d",
			 name, r->funcs[prev].file, r->funcs[prev].line);
		return;
	}
	if (peek(p)->kind != T_LPAREN) {
		error_at(p, peek(p), "expected '(' after '%s'", name);
		return;
	}
	take(p);
	if (peek(p)->kind == T_RPAREN) {
		take(p);
	} else {
		for (;;) {
			const struct token *t = peek(p);

			if (t->kind != T_IDENT) {
				error_at(p, t, "expected a parameter name");
				goto fail;
			}
			if (find_param(params, nparams, t->s, t->len) >= 0) {
				error_at(p, t, "duplicate parameter '%.*s'",
					 (int)t->len, t->s);
				goto fail;
			}
			lo_grow(&params, &capparams, nparams + 1, sizeof(*params));
			params[nparams++] = own_strndup(r, t->s, t->len);
			take(p);
			if (peek(p)->kind == T_RPAREN) {
				take(p);
				break;
			}
			if (peek(p)->kind != T_COMMA) {
				error_at(p, peek(p), "expected ',' or ')'");
				goto fail;
			}
			take(p);
		}
	}
	/* A function with no effects is allowed: it says the function does
	 * nothing to any lock, whatever its body does. */
	while (peek(p)->kind != T_EOL) {
		lo_grow(&effects, &capeffects, neffects + 1, sizeof(*effects));
		if (parse_effect(p, r->nfuncs, name, params, nparams,
				 &effects[neffects], neffects))
			goto fail;
		neffects++;
		if (peek(p)->kind == T_COMMA) {
			take(p);
			if (peek(p)->kind == T_EOL) {
				error_at(p, peek(p), "expected an effect after ','");
				goto fail;
			}
		} else if (expect_eol(p, "',' or end of line")) {
			goto fail;
		}
	}
	lo_grow(&r->funcs, &r->capfuncs, r->nfuncs + 1, sizeof(*r->funcs));
	fn = &r->funcs[r->nfuncs];
	fn->name = name;
	fn->params = params ? own(r, params) : NULL;
	fn->nparams = nparams;
	fn->effects = effects ? own(r, effects) : NULL;
	fn->neffects = neffects;
	fn->file = p->file;
	fn->line = nt->line;
	lo_strmap_put(&r->funcmap, name, (int)r->nfuncs);
	r->nfuncs++;
	return;
fail:
	p->neffs = saved_effs;
	free(params);
	free(effects);
}

static void parse_leaf(struct parser *p)
{
	size_t l0, nl;

	if (peek(p)->kind == T_STAR) {
		take(p);
		if (expect_eol(p, "end of line after 'leaf *'"))
			return;
		add_stmt(p, add_rule(p, LO_RULE_LEAF, LO_STMT_LEAF_ALL),
			 p->nrefs, 0, p->nrefs, 0);
		return;
	}
	if (parse_ref_list(p, "a lock name or '*' after 'leaf'", &l0, &nl) ||
	    expect_eol(p, "',' or end of line")) {
		p->nrefs = l0;
		return;
	}
	add_stmt(p, add_rule(p, LO_RULE_LEAF, LO_STMT_LEAF), l0, nl, l0 + nl, 0);
}

static void parse_never(struct parser *p)
{
	const char **pats = NULL;
	size_t npats = 0, cap = 0, l0, nl, rule;

	if (parse_ref_list(p, "a lock name after 'never'", &l0, &nl))
		goto fail;
	if (!is_word(peek(p), "in")) {
		error_at(p, peek(p), "expected ',' or 'in'");
		goto fail;
	}
	take(p);
	for (;;) {
		const char *pat = parse_funcname(p, 1,
						 "a function name or pattern");

		if (!pat)
			goto fail;
		lo_grow(&pats, &cap, npats + 1, sizeof(*pats));
		pats[npats++] = pat;
		if (peek(p)->kind != T_COMMA)
			break;
		take(p);
	}
	if (expect_eol(p, "',' or end of line"))
		goto fail;
	rule = add_rule(p, LO_RULE_NEVER, LO_STMT_NEVER);
	p->r->rext[rule].patterns = own(p->r, pats);
	p->r->rext[rule].npatterns = npats;
	add_stmt(p, rule, l0, nl, l0 + nl, 0);
	return;
fail:
	p->nrefs = l0;
	free(pats);
}

/* LOCKS outside|inside|requires LOCKS */
static void parse_order(struct parser *p)
{
	const struct token *first = peek(p), *kw;
	size_t l0, nl, r0, nr;
	enum lo_stmt stmt;
	char what[64];

	if (parse_ref_list(p, "a lock name", &l0, &nl))
		goto fail;
	kw = peek(p);
	if (is_word(kw, "outside"))
		stmt = LO_STMT_OUTSIDE;
	else if (is_word(kw, "inside"))
		stmt = LO_STMT_INSIDE;
	else if (is_word(kw, "requires"))
		stmt = LO_STMT_REQUIRES;
	else {
		/* "mutx a": a misspelt keyword reads better named as such */
		if (nl == 1 && p->pos == 1 && kw->kind == T_IDENT)
			error_at(p, first, "unknown statement '%.*s'",
				 (int)first->len, first->s);
		else
			error_at(p, kw, "expected 'outside', 'inside' or 'requires'");
		goto fail;
	}
	take(p);
	snprintf(what, sizeof(what), "a lock name after '%.*s'", (int)kw->len,
		 kw->s);
	if (parse_ref_list(p, what, &r0, &nr) ||
	    expect_eol(p, "',' or end of line"))
		goto fail;
	add_stmt(p, add_rule(p, stmt == LO_STMT_REQUIRES ? LO_RULE_REQUIRES :
				LO_RULE_OUTSIDE, stmt),
		 l0, nl, r0, nr);
	return;
fail:
	p->nrefs = l0;
}

static void parse_statement(struct parser *p)
{
	const struct token *t;
	enum lo_kind kind = LO_KIND_NONE;

	if (lex_line(p))
		return;
	t = peek(p);
	if (t->kind == T_EOL)
		return;
	if (t->kind != T_IDENT) {
		error_at(p, t, "expected a statement");
		return;
	}
	if (t->len < 32) {
		char word[32];

		memcpy(word, t->s, t->len);
		word[t->len] = '\0';
		kind = lo_kind_from_name(word);
	}
	/* Keywords are reserved only where a statement starts, and only
	 * when what follows cannot continue a lock path: a global lock
	 * called "leaf" would still need "leaf outside x" to be read as a
	 * leaf statement, so we do not try to be clever. */
	if (kind != LO_KIND_NONE) {
		take(p);
		parse_locks(p, kind);
	} else if (is_word(t, "include")) {
		take(p);
		parse_include(p);
	} else if (is_word(t, "type")) {
		take(p);
		parse_type(p);
	} else if (is_word(t, "function")) {
		take(p);
		parse_function(p);
	} else if (is_word(t, "leaf")) {
		take(p);
		parse_leaf(p);
	} else if (is_word(t, "never")) {
		take(p);
		parse_never(p);
	} else {
		parse_order(p);
	}
}

static void parse_text(struct parser *p, const char *text, size_t len)
{
	size_t i = 0;
	int lineno = 0, pending = 0;

	p->ll.len = 0;
	while (i < len) {
		size_t b = i, e, k;
		int inq = 0, cont;

		if (lineno < INT_MAX)
			lineno++;
		while (i < len && text[i] != '\n')
			i++;
		e = i;
		if (i < len)
			i++;
		for (k = b; k < e; k++) {
			if (text[k] == '"')
				inq = !inq;
			else if (text[k] == '#' && !inq)
				break;
		}
		e = k;
		while (e > b && is_space((unsigned char)text[e - 1]))
			e--;
		cont = e > b && text[e - 1] == '\\';
		if (cont)
			e--;
		if (!pending) {
			p->ll.len = 0;
			p->ll.end_line = lineno;
			p->ll.end_col = 1;
		}
		lline_append(&p->ll, text + b, e - b, lineno);
		pending = cont;
		if (cont && i < len)
			continue;
		parse_statement(p);
		pending = 0;
	}
}

/* ---- resolving names -------------------------------------------------- */

static void add_edge(lo_rules *r, int from, int to, size_t rule)
{
	lo_grow(&r->edges, &r->capedges, r->nedges + 1, sizeof(*r->edges));
	r->edges[r->nedges].from = from;
	r->edges[r->nedges].to = to;
	r->edges[r->nedges].rule = (int)rule;
	r->nedges++;
}

struct eorder {
	size_t idx, lead;
	size_t file;
	int line, col;
};

static size_t file_index(const struct parser *p, const char *file)
{
	size_t i;

	for (i = 0; file && i < p->nfiles; i++)
		if (strcmp(p->files[i], file) == 0)
			return i;
	return p->nfiles;
}

static int cmp_eorder(const void *x, const void *y)
{
	const struct eorder *a = x, *b = y;

	if (a->file != b->file)
		return a->file < b->file ? -1 : 1;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	if (a->lead != b->lead)
		return a->lead < b->lead ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Moves the entries of TMP to OUT in the order of the files and lines
 * they are about, each note staying right after its error.  Resolution
 * goes by kind of name (types, then effects, then order statements), but
 * a reader goes down the file. */
static void append_in_file_order(const struct parser *p, struct lo_errors *tmp,
				 struct lo_errors *out)
{
	struct eorder *o = lo_xcalloc(tmp->n, sizeof(*o));
	size_t i, lead = 0;

	for (i = 0; i < tmp->n; i++) {
		if (tmp->v[i].severity != LO_SEV_NOTE || i == 0)
			lead = i;
		o[i].idx = i;
		o[i].lead = lead;
		o[i].file = file_index(p, tmp->v[lead].file);
		o[i].line = tmp->v[lead].line;
		o[i].col = tmp->v[lead].col;
	}
	qsort(o, tmp->n, sizeof(*o), cmp_eorder);
	lo_grow(&out->v, &out->cap, out->n + tmp->n, sizeof(*out->v));
	for (i = 0; i < tmp->n; i++) {
		out->v[out->n++] = tmp->v[o[i].idx];
		if (tmp->v[o[i].idx].severity == LO_SEV_ERROR)
			out->n_errors++;
	}
	free(o);
	free(tmp->v);
	memset(tmp, 0, sizeof(*tmp));
}

static void resolve_names(struct parser *p);

static void resolve(struct parser *p)
{
	resolve_names(p);
}

static void resolve_names(struct parser *p)
{
	lo_rules *r = p->r;
	size_t i, j, k;

	for (i = 0; i < r->nlocks; i++) {
		struct lo_lock *lk = &r->locks[i];
		int t;

		if (!lk->root)
			continue;
		t = lo_strmap_get(&r->typemap, lk->root);
		if (t < 0)
			error_loc(p, lk->file, lk->line, lk->col,
				  "unknown type '%s' in '%s'; declare it with 'type %s = struct ...'",
				  lk->root, lk->name, lk->root);
		else
			lk->root_tag = r->types[t].tag;
	}

	for (i = 0; i < p->neffs; i++) {
		const struct peff *pe = &p->effs[i];
		const struct lo_function *fn = &r->funcs[pe->func];
		int idx = lo_strmap_get(&r->lockmap, pe->name);

		if (idx < 0)
			error_loc(p, pe->file, pe->line, pe->col,
				  "'%s' is neither a parameter of '%s' nor a declared lock",
				  pe->name, fn->name);
		else
			/* the lo_rules owns the array; only the public view is const */
			((struct lo_effect *)fn->effects)[pe->eff].lock = idx;
	}

	for (i = 0; i < p->nrefs; i++) {
		struct pref *ref = &p->refs[i];

		ref->idx = lo_strmap_get(&r->lockmap, ref->name);
		if (ref->idx < 0)
			error_loc(p, ref->file, ref->line, ref->col,
				  "undeclared lock '%s'; declare it with its kind, e.g. 'mutex %s'",
				  ref->name, ref->name);
	}

	for (i = 0; i < p->nstmts; i++) {
		const struct pstmt *st = &p->stmts[i];
		/* refs may still be NULL when no statement named a lock */
		const struct pref *L = st->nl ? p->refs + st->l0 : NULL;
		const struct pref *R = st->nr ? p->refs + st->r0 : NULL;
		struct lo_rule_ext *x = &r->rext[st->rule];
		int ok = 1;

		for (j = 0; j < st->nl; j++)
			ok &= L[j].idx >= 0;
		for (j = 0; j < st->nr; j++)
			ok &= R[j].idx >= 0;
		if (!ok)
			continue;
		switch (x->stmt) {
		case LO_STMT_OUTSIDE:
			for (j = 0; j < st->nl; j++)
				for (k = 0; k < st->nr; k++)
					add_edge(r, L[j].idx, R[k].idx, st->rule);
			break;
		case LO_STMT_INSIDE:
			for (k = 0; k < st->nr; k++)
				for (j = 0; j < st->nl; j++)
					add_edge(r, R[k].idx, L[j].idx, st->rule);
			break;
		case LO_STMT_REQUIRES:
			for (j = 0; j < st->nl; j++) {
				for (k = 0; k < st->nr; k++) {
					struct lo_require *q;

					lo_grow(&r->reqs, &r->capreqs, r->nreqs + 1,
						sizeof(*r->reqs));
					q = &r->reqs[r->nreqs++];
					q->a = L[j].idx;
					q->b = R[k].idx;
					q->rule = (int)st->rule;
					add_edge(r, R[k].idx, L[j].idx, st->rule);
				}
			}
			break;
		case LO_STMT_LEAF:
			for (j = 0; j < st->nl; j++) {
				struct lo_lock *lk = &r->locks[L[j].idx];

				if (!lk->leaf) {
					lk->leaf = 1;
					lk->leaf_rule = (int)st->rule;
				}
			}
			break;
		case LO_STMT_NEVER:
			x->locks = own(r, lo_xcalloc(st->nl, sizeof(int)));
			x->nlocks = st->nl;
			for (j = 0; j < st->nl; j++)
				x->locks[j] = L[j].idx;
			break;
		case LO_STMT_LEAF_ALL:
			break;
		}
	}

	lo_order_build(r);

	/* A lock stated to be a leaf must not be put outside anything. */
	for (i = 0; i < p->nstmts; i++) {
		const struct pstmt *st = &p->stmts[i];

		if (r->rext[st->rule].stmt != LO_STMT_LEAF)
			continue;
		for (j = 0; j < st->nl; j++) {
			const struct pref *ref = &p->refs[st->l0 + j];

			if (ref->idx < 0)
				continue;
			for (k = r->adj_start[ref->idx];
			     k < r->adj_start[ref->idx + 1]; k++) {
				const struct lo_edge *e = &r->edges[r->adj[k]];
				const struct lo_rule *ru = &r->rules[e->rule];

				error_loc(p, ref->file, ref->line, ref->col,
					  "'%s' cannot be a leaf lock: the rule at %s:%d puts it outside '%s'",
					  ref->name, ru->file, ru->line,
					  r->locks[e->to].name);
			}
		}
	}

	/* leaf *: only the locks declared in the file that says it.  An
	 * included file is the API the subsystem uses (linux.lockorder's
	 * cpus_read_lock, say), not part of this subsystem's order: making
	 * its locks leaves here would forbid what other subsystems do
	 * inside them. */
	for (i = 0; i < p->nstmts; i++) {
		const struct pstmt *st = &p->stmts[i];
		const struct lo_rule *ru = &r->rules[st->rule];

		if (r->rext[st->rule].stmt != LO_STMT_LEAF_ALL)
			continue;
		for (j = 0; j < r->nlocks; j++) {
			struct lo_lock *lk = &r->locks[j];

			if (lk->leaf || strcmp(lk->file, ru->file) != 0 ||
			    r->adj_start[j] != r->adj_start[j + 1])
				continue;
			lk->leaf = 1;
			lk->leaf_rule = (int)st->rule;
		}
	}

	lo_order_check_cycles(r, p->errs);
}

/* ---- entry points ----------------------------------------------------- */

static void parser_free(struct parser *p)
{
	size_t i;

	for (i = 0; i < p->nstack; i++)
		free(p->stack[i].key);
	free(p->stack);
	for (i = 0; i < p->nseen; i++)
		free(p->seen[i]);
	free(p->seen);
	free(p->files);
	free(p->ll.buf);
	free(p->ll.lines);
	free(p->ll.cols);
	free(p->tk);
	free(p->refs);
	free(p->stmts);
	free(p->effs);
}

static lo_rules *parse(const char *name, const char *text, size_t len,
		       int allow_include, struct lo_errors *errs)
{
	struct parser p;
	size_t before = errs->n_errors;
	const char *display;

	struct lo_errors tmp = { 0 };

	memset(&p, 0, sizeof(p));
	p.r = lo_xcalloc(1, sizeof(*p.r));
	/* Syntax errors and the errors of name resolution (which goes by kind
	 * of name: types, effects, then order statements) are gathered, then
	 * listed as a reader goes down the files, like a compiler's. */
	p.errs = &tmp;
	p.allow_include = allow_include;
	display = own_strndup(p.r, name, strlen(name));
	parse_file_text(&p, display, file_key(display), text, len);
	resolve(&p);
	append_in_file_order(&p, &tmp, errs);
	parser_free(&p);
	if (errs->n_errors > before) {
		lo_rules_free(p.r);
		return NULL;
	}
	return p.r;
}

lo_rules *lo_rules_parse_file(const char *path, struct lo_errors *errs)
{
	lo_rules *r;
	size_t len = 0;
	int err = 0;
	char *text = read_whole_file(path, &len, &err);

	if (!text) {
		lo_errors_add(errs, LO_SEV_ERROR, path, 0, 0,
			      "cannot open '%s': %s", path, strerror(err));
		return NULL;
	}
	r = parse(path, text, len, 1, errs);
	free(text);
	return r;
}

lo_rules *lo_rules_parse_string(const char *text, size_t len,
				const char *name, int allow_include,
				struct lo_errors *errs)
{
	return parse(name ? name : "<string>", text ? text : "", text ? len : 0,
		     allow_include, errs);
}

void lo_rules_free(lo_rules *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nowned; i++)
		free(r->owned[i]);
	free(r->owned);
	free(r->types);
	free(r->locks);
	free(r->funcs);
	free(r->rules);
	free(r->rext);
	free(r->edges);
	free(r->reqs);
	lo_strmap_free(&r->lockmap);
	lo_strmap_free(&r->funcmap);
	lo_strmap_free(&r->typemap);
	lo_order_free(r);
	free(r);
}

/* ---- queries ---------------------------------------------------------- */

size_t lo_rules_type_count(const lo_rules *r)
{
	return r ? r->ntypes : 0;
}

const char *lo_rules_type_alias(const lo_rules *r, size_t i)
{
	return r && i < r->ntypes ? r->types[i].alias : NULL;
}

const char *lo_rules_type_tag(const lo_rules *r, size_t i)
{
	return r && i < r->ntypes ? r->types[i].tag : NULL;
}

size_t lo_rules_lock_count(const lo_rules *r)
{
	return r ? r->nlocks : 0;
}

const struct lo_lock *lo_rules_lock(const lo_rules *r, size_t i)
{
	return r && i < r->nlocks ? &r->locks[i] : NULL;
}

int lo_rules_find_lock(const lo_rules *r, const char *name)
{
	return r && name ? lo_strmap_get(&r->lockmap, name) : -1;
}

size_t lo_rules_function_count(const lo_rules *r)
{
	return r ? r->nfuncs : 0;
}

const struct lo_function *lo_rules_function(const lo_rules *r, size_t i)
{
	return r && i < r->nfuncs ? &r->funcs[i] : NULL;
}

const struct lo_function *lo_rules_find_function(const lo_rules *r,
						 const char *name)
{
	const struct lo_function *best = NULL;
	size_t i, bestlen = 0;
	int idx;

	if (!r || !name)
		return NULL;
	idx = lo_strmap_get(&r->funcmap, name);
	if (idx >= 0)
		return &r->funcs[idx];
	for (i = 0; i < r->nfuncs; i++) {
		const char *pat = r->funcs[i].name;
		size_t n = strlen(pat);

		if (n && pat[n - 1] == '*' && lo_glob_match(pat, name) &&
		    (!best || n > bestlen)) {
			best = &r->funcs[i];
			bestlen = n;
		}
	}
	return best;
}

size_t lo_rules_rule_count(const lo_rules *r)
{
	return r ? r->nrules : 0;
}

const struct lo_rule *lo_rules_rule(const lo_rules *r, size_t i)
{
	return r && i < r->nrules ? &r->rules[i] : NULL;
}

int lo_glob_match(const char *pattern, const char *s)
{
	size_t n;

	if (!pattern || !s)
		return 0;
	n = strlen(pattern);
	if (n && pattern[n - 1] == '*')
		return strncmp(pattern, s, n - 1) == 0;
	return strcmp(pattern, s) == 0;
}

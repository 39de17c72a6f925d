/*
 * rules_internal.h - what the stages of the rules reader share: the state
 * of one parse (the files being read, the tokens of the statement at
 * hand, the names waiting to be resolved) and what each stage offers the
 * others.
 *
 *   rules_lex.c      text -> logical lines (comments, continuations)
 *                    -> tokens
 *   rules_parse.c    tokens -> statements -> the lo_rules; the errors
 *                    with file:line:col; the entry points
 *   rules_include.c  include: reading files, each once, no cycles
 *   rules_resolve.c  names -> indexes, the declared order's edges,
 *                    leaves; the errors put in file order
 *   rules.c          the finished lo_rules: freeing it, its queries
 *
 * The helpers every stage calls many times (the token cursor, error_at,
 * own) are static inline here, with the short names the stages had when
 * they were one file: they are not symbols of the library.
 *
 * This is NOT a header for the rest of the core: order.c, check.c and
 * the others only ever see a finished lo_rules, through internal.h.
 */
#ifndef LOCKORDER_RULES_INTERNAL_H
#define LOCKORDER_RULES_INTERNAL_H

#include <stdarg.h>
#include <string.h>

#include "internal.h"

#if defined(__GNUC__) || defined(__clang__)
#define LO_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define LO_PRINTF(a, b)
#endif

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

/* Hands P (malloc'd) to R, which frees it in lo_rules_free(); returns P.
 * Every stage allocates what the rules keep this way. */
static inline void *own(lo_rules *r, void *p)
{
	lo_grow(&r->owned, &r->capowned, r->nowned + 1, sizeof(*r->owned));
	r->owned[r->nowned++] = p;
	return p;
}

/* A NUL-terminated copy of the N bytes at S, owned by R. */
static inline char *own_strndup(lo_rules *r, const char *s, size_t n)
{
	return own(r, lo_xstrndup(s, n));
}

/* ---- rules_lex.c: lines and tokens ------------------------------------ */

/* Reads into LL the logical line of TEXT (LEN bytes) that starts at *POS,
 * and moves *POS past it; *LINENO counts the physical lines read.
 * Returns 0, LL untouched, when nothing is left to read, else 1. */
int lo_rules_next_line(struct lline *ll, const char *text, size_t len,
		       size_t *pos, int *lineno);

/* Cuts the logical line p->ll into p->tk, ending with a T_EOL token
 * placed just after the last byte, and puts the cursor on the first
 * token.  Returns -1 after reporting a bad character or an unterminated
 * string (the statement is then skipped). */
int lo_rules_lex_line(struct parser *p);

/* The token cursor over p->tk.  It never moves past T_EOL, so a parser
 * that reads too far sees the end of the line, not garbage. */
static inline const struct token *peek(const struct parser *p)
{
	return &p->tk[p->pos];
}

static inline const struct token *peek2(const struct parser *p)
{
	return p->tk[p->pos].kind == T_EOL ? &p->tk[p->pos] : &p->tk[p->pos + 1];
}

/* Returns the current token and moves past it (never past T_EOL). */
static inline const struct token *take(struct parser *p)
{
	const struct token *t = &p->tk[p->pos];

	if (t->kind != T_EOL)
		p->pos++;
	return t;
}

static inline int is_word(const struct token *t, const char *w)
{
	return t->kind == T_IDENT && strlen(w) == t->len &&
	       memcmp(t->s, w, t->len) == 0;
}

/* ---- rules_parse.c: errors and statements ----------------------------- */

/* Appends an entry of severity SEV at FILE:LINE:COL (COL 0 when unknown)
 * to p->errs, its message formatted from FMT. */
void lo_rules_verror(struct parser *p, enum lo_severity sev, const char *file,
		     int line, int col, const char *fmt, va_list ap);

/* An error at FILE:LINE:COL. */
static inline void LO_PRINTF(5, 6) error_loc(struct parser *p,
					     const char *file, int line,
					     int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	lo_rules_verror(p, LO_SEV_ERROR, file, line, col, fmt, ap);
	va_end(ap);
}

/* An error at token T of the file being parsed. */
static inline void LO_PRINTF(3, 4) error_at(struct parser *p,
					    const struct token *t,
					    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	lo_rules_verror(p, LO_SEV_ERROR, p->file, t->line, t->col, fmt, ap);
	va_end(ap);
}

/* 0 at the end of the statement, else -1 after "expected WHAT". */
static inline int expect_eol(struct parser *p, const char *what)
{
	if (peek(p)->kind == T_EOL)
		return 0;
	error_at(p, peek(p), "expected %s", what);
	return -1;
}

/* Parses every statement of TEXT (LEN bytes) as the file p->file. */
void lo_rules_parse_text(struct parser *p, const char *text, size_t len);

/* ---- rules_include.c: files ------------------------------------------- */

/* The contents of PATH (not NUL-terminated) and their length in *LEN; the
 * caller frees.  NULL with errno's value in *ERR when it cannot be read. */
char *lo_rules_read_file(const char *path, size_t *len, int *err);
/* The key that makes "include once" work; the caller frees it. */
char *lo_rules_file_key(const char *name);
/* Parses TEXT as the file DISPLAY (owned by the lo_rules) whose key is
 * KEY (taken over). */
void lo_rules_parse_file_text(struct parser *p, const char *display,
			      char *key, const char *text, size_t len);
/* The rest of an include statement, after the keyword. */
void lo_rules_parse_include(struct parser *p);

/* ---- rules_resolve.c: names ------------------------------------------- */

/* Once every file is read: resolves the names the statements use, builds
 * the declared order and checks it (leaves, cycles), reporting to
 * p->errs. */
void lo_rules_resolve(struct parser *p);
/* Moves the entries of TMP to OUT in the order of the files and lines
 * they are about, each note staying right after its error. */
void lo_rules_errors_in_file_order(const struct parser *p,
				   struct lo_errors *tmp,
				   struct lo_errors *out);

#endif

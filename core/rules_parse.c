/*
 * rules_parse.c - the rules language's parser: every statement of a
 * rules file, from its tokens to what it adds to the lo_rules, the errors
 * it finds (each at its file:line:col), and the entry points that read a
 * file or a string.
 *
 * What it does NOT do: resolve names.  A statement that uses a lock, a
 * type or a function keeps the name and where it was written; only once
 * every file is read does rules_resolve.c look the names up, so a lock
 * may be used before (or in another file than) the line that declares
 * it.  Nor does it read files: an include is rules_include.c's.  It also
 * never stops at the first problem: a statement with a syntax error is
 * reported and skipped, and parsing goes on at the next line.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "rules_internal.h"

/* ---- errors ----------------------------------------------------------- */

void lo_rules_verror(struct parser *p, enum lo_severity sev, const char *file,
		     int line, int col, const char *fmt, va_list ap)
{
	char *msg = lo_xvasprintf(fmt, ap);

	lo_errors_add(p->errs, sev, file, line, col, "%s", msg);
	free(msg);
}

/* ---- statements' text ------------------------------------------------- */

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

/* WORD (the next token) and the parameter of FNAME it names, into *OUT. */
static int param_after(struct parser *p, const char *word,
		       const char *const *params, size_t nparams,
		       const char *fname, int *out)
{
	const struct token *t;

	take(p);
	t = peek(p);
	if (t->kind != T_IDENT) {
		error_at(p, t, "expected a parameter name after '%s'", word);
		return -1;
	}
	*out = find_param(params, nparams, t->s, t->len);
	if (*out < 0) {
		error_at(p, t, "'%.*s' is not a parameter of '%s'",
			 (int)t->len, t->s, fname);
		return -1;
	}
	take(p);
	return 0;
}

/* One effect of function FNAME (to become function number FUNC). */
static int parse_effect(struct parser *p, size_t func, const char *fname,
			const char *const *params, size_t nparams,
			struct lo_effect *e, size_t eff)
{
	const struct token *t = peek(p);
	size_t f, l;

	memset(e, 0, sizeof(*e));
	e->param = e->lock = e->nested_param = e->nest_param = -1;
	e->key_param = -1;
	e->cond = LO_ALWAYS;
	if (is_word(t, "acquires"))
		e->op = LO_ACQUIRE;
	else if (is_word(t, "tries")) {
		e->op = LO_ACQUIRE;
		e->trylock = 1;
	} else if (is_word(t, "releases"))
		e->op = LO_RELEASE;
	else if (is_word(t, "waits"))
		e->op = LO_WAIT;
	else if (is_word(t, "asserts"))
		e->op = LO_ASSERT;
	else if (is_word(t, "keys"))
		e->op = LO_KEY;
	else {
		error_at(p, t, "expected 'acquires', 'tries', 'releases', 'waits', 'asserts' or 'keys'");
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
	if (e->op == LO_KEY) {
		/* "keys L with K": lockdep's class of L is key K's */
		if (e->param < 0) {
			error_at(p, &p->tk[f], "'keys' takes a parameter of '%s'", fname);
			return -1;
		}
		if (!is_word(peek(p), "with")) {
			error_at(p, peek(p), "expected 'with KEY' after 'keys %.*s'",
				 (int)p->tk[f].len, p->tk[f].s);
			return -1;
		}
		take(p);
		t = peek(p);
		e->key_param = t->kind == T_IDENT
				       ? find_param(params, nparams, t->s, t->len)
				       : -1;
		if (e->key_param < 0) {
			error_at(p, t, "expected a parameter of '%s' after 'with'", fname);
			return -1;
		}
		take(p);
		return 0;
	}
	if (e->op != LO_ACQUIRE)
		return 0;
	if (is_word(peek(p), "nested") &&
	    param_after(p, "nested", params, nparams, fname, &e->nested_param))
		return -1;
	/* lockdep's nest_lock: any number of locks of the class, each
	 * once, while N is held (mm_take_all_locks()) */
	if (is_word(peek(p), "under") &&
	    param_after(p, "under", params, nparams, fname, &e->nest_param))
		return -1;
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
	if (e->trylock && e->cond == LO_ALWAYS) {
		error_at(p, peek(p), "a lock that is tried is taken only on success: "
			 "say 'if returns 0' or 'if returns nonzero'");
		return -1;
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
	if (name[0] && name[strlen(name) - 1] == '*') {
		lo_grow(&r->patterns, &r->cappatterns, r->npatterns + 1,
			sizeof(*r->patterns));
		r->patterns[r->npatterns++] = (int)r->nfuncs;
	}
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

	if (lo_rules_lex_line(p))
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
		lo_rules_parse_include(p);
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

void lo_rules_parse_text(struct parser *p, const char *text, size_t len)
{
	size_t pos = 0;
	int lineno = 0;

	p->ll.len = 0;
	while (lo_rules_next_line(&p->ll, text, len, &pos, &lineno))
		parse_statement(p);
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
	lo_rules_parse_file_text(&p, display, lo_rules_file_key(display), text,
				 len);
	lo_rules_resolve(&p);
	lo_rules_errors_in_file_order(&p, &tmp, errs);
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
	char *text = lo_rules_read_file(path, &len, &err);

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

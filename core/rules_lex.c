/*
 * rules_lex.c - the rules language's lexer: cutting a rules file into
 * logical lines (comments removed, continued lines joined) and a logical
 * line into tokens.
 *
 * What it does NOT do: know any keyword.  "mutex", "outside" and
 * "include" are plain identifiers here; which word starts which
 * statement is the parser's business (rules_parse.c), because keywords
 * are reserved only where a statement starts.
 *
 * Lines: a '#' outside a string starts a comment that ends with the
 * physical line; a line whose text (before any comment) ends in '\'
 * continues on the next line, the backslash and the newline removed as in
 * C.  So "a, \  # why" continues, and a comment never swallows the line
 * after it.  Columns are 1-based byte columns of the physical line.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "rules_internal.h"

/* ---- lines ------------------------------------------------------------ */

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

int lo_rules_next_line(struct lline *ll, const char *text, size_t len,
		       size_t *pos, int *lineno)
{
	size_t i = *pos;
	int pending = 0;

	if (i >= len)
		return 0;
	while (i < len) {
		size_t b = i, e, k;
		int inq = 0, cont;

		if (*lineno < INT_MAX)
			(*lineno)++;
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
			ll->len = 0;
			ll->end_line = *lineno;
			ll->end_col = 1;
		}
		lline_append(ll, text + b, e - b, *lineno);
		pending = cont;
		if (cont && i < len)
			continue;
		break;
	}
	*pos = i;
	return 1;
}

/* ---- tokens ----------------------------------------------------------- */

static void push_token(struct parser *p, const struct token *t)
{
	lo_grow(&p->tk, &p->captk, p->ntk + 1, sizeof(*p->tk));
	p->tk[p->ntk++] = *t;
}

int lo_rules_lex_line(struct parser *p)
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

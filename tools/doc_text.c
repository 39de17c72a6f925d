/*
 * doc_text.c - an open document's text, kept as the editor edits it
 * (didOpen, then didChange, full or incremental), and the conversion
 * between LSP positions and bytes.
 *
 * LSP counts a position's `character` in UTF-16 code units unless the
 * client and server agreed on UTF-8 or UTF-32 in initialize; clang counts
 * columns in bytes.  Both directions go through the line's bytes here.
 * Bytes that are not valid UTF-8 count as one unit each, as clangd counts
 * them.
 *
 * What it does NOT do: know about files on disk or about LSP messages
 * (clangd.c reads the changes out of them).
 */
#include <stdlib.h>
#include <string.h>

#include "doc_text.h"
#include "util.h"

int pos_encoding_parse(const char *name)
{
	if (!name)
		return -1;
	if (strcmp(name, "utf-16") == 0)
		return POS_UTF16;
	if (strcmp(name, "utf-8") == 0)
		return POS_UTF8;
	if (strcmp(name, "utf-32") == 0)
		return POS_UTF32;
	return -1;
}

static void reserve(struct doc_text *t, size_t n)
{
	if (n + 1 <= t->cap)
		return;
	while (t->cap < n + 1)
		t->cap = t->cap ? t->cap * 2 : 4096;
	t->s = xrealloc(t->s, t->cap);
}

void doc_text_set(struct doc_text *t, const char *s, size_t n)
{
	reserve(t, n);
	memcpy(t->s, s, n);
	t->len = n;
	t->s[n] = '\0';
}

/* The offset of the first byte of LINE, or the text's length. */
static size_t line_start(const struct doc_text *t, long line)
{
	size_t i = 0;

	while (line > 0 && i < t->len) {
		char c = t->s[i++];

		if (c == '\n' || (c == '\r' && (i == t->len || t->s[i] != '\n')))
			line--;
	}
	return i;
}

/* The length in bytes of the UTF-8 sequence at P (at most N bytes), and
 * in *UNITS16 how many UTF-16 code units it is. */
static size_t seq_len(const unsigned char *p, size_t n, int *units16)
{
	size_t k = 1, i;

	*units16 = 1;
	if (p[0] >= 0xf0 && p[0] < 0xf8)
		k = 4;
	else if (p[0] >= 0xe0)
		k = p[0] < 0xf0 ? 3 : 1;
	else if (p[0] >= 0xc0)
		k = 2;
	if (k > n)
		return 1;
	for (i = 1; i < k; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 1;
	if (k == 4)
		*units16 = 2;
	return k;
}

static long units(int units16, size_t bytes, enum pos_encoding enc)
{
	switch (enc) {
	case POS_UTF8:
		return (long)bytes;
	case POS_UTF32:
		return 1;
	default:
		return units16;
	}
}

static int is_eol(const struct doc_text *t, size_t i)
{
	return t->s[i] == '\n' || t->s[i] == '\r';
}

size_t doc_text_offset(const struct doc_text *t, long line, long character,
		       enum pos_encoding enc)
{
	size_t i = line_start(t, line < 0 ? 0 : line);

	while (character > 0 && i < t->len && !is_eol(t, i)) {
		int u16;
		size_t k = seq_len((const unsigned char *)t->s + i, t->len - i, &u16);

		character -= units(u16, k, enc);
		i += k; /* a position inside a character: after it */
	}
	return i;
}

void doc_text_replace(struct doc_text *t, size_t from, size_t to,
		      const char *s, size_t n)
{
	if (to > t->len)
		to = t->len;
	if (from > to)
		from = to;
	reserve(t, t->len - (to - from) + n);
	memmove(t->s + from + n, t->s + to, t->len - to);
	memcpy(t->s + from, s, n);
	t->len = t->len - (to - from) + n;
	t->s[t->len] = '\0';
}

long doc_text_character(const struct doc_text *t, long line, long byte,
			enum pos_encoding enc)
{
	size_t i = line_start(t, line < 0 ? 0 : line), end = i + (size_t)(byte < 0 ? 0 : byte);
	long c = 0;

	while (i < end && i < t->len && !is_eol(t, i)) {
		int u16;
		size_t k = seq_len((const unsigned char *)t->s + i, t->len - i, &u16);

		c += units(u16, k, enc);
		i += k;
	}
	return c;
}

long count_line_breaks(const char *s, size_t n)
{
	long lines = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n')))
			lines++;
	return lines;
}

void doc_text_free(struct doc_text *t)
{
	free(t->s);
	t->s = NULL;
	t->len = t->cap = 0;
}

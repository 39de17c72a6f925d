/*
 * doc_text.h - the text of an open document as the editor has it, and
 * LSP positions in it.  doc_text.c
 */
#ifndef LOCKORDER_DOC_TEXT_H
#define LOCKORDER_DOC_TEXT_H

#include <stddef.h>

/* What an LSP position's `character` counts, as initialize negotiated
 * (positionEncoding, or clangd's offsetEncoding); UTF-16 by default. */
enum pos_encoding { POS_UTF16, POS_UTF8, POS_UTF32 };

/* "utf-8", "utf-16", "utf-32" (as LSP spells them); -1 for others. */
int pos_encoding_parse(const char *name);

/* A document's bytes (UTF-8, as LSP sends them).  Zero-initialise; s is
 * always NUL-terminated once set. */
struct doc_text {
	char *s;
	size_t len, cap;
};

/* Replaces the whole text with the N bytes at S. */
void doc_text_set(struct doc_text *t, const char *s, size_t n);

/*
 * The byte offset of the position (LINE, CHARACTER), both 0-based, with
 * CHARACTER counted in ENC.  As LSP says: a character past the end of its
 * line means the line's end, a line past the last means the text's end.
 * A line ends at \n, \r\n or \r.
 */
size_t doc_text_offset(const struct doc_text *t, long line, long character,
		       enum pos_encoding enc);

/* Replaces the bytes [FROM, TO) with the N bytes at S. */
void doc_text_replace(struct doc_text *t, size_t from, size_t to,
		      const char *s, size_t n);

/* The `character` (in ENC) of byte column BYTE (0-based) of LINE: a
 * clang column made an LSP one. */
long doc_text_character(const struct doc_text *t, long line, long byte,
			enum pos_encoding enc);

/* How many line breaks the N bytes at S hold. */
long count_line_breaks(const char *s, size_t n);

void doc_text_free(struct doc_text *t);

#endif

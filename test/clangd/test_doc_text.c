/*
 * test_doc_text.c - the editor's text of a document (tools/doc_text.c):
 * LSP positions in UTF-16, UTF-8 and UTF-32 made byte offsets and back,
 * incremental edits, and line ends as LSP counts them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "doc_text.h"

/* "é" is 2 bytes and 1 UTF-16 unit, the emoji 4 bytes and 2 units. */
#define WIDE "a\xc3\xa9\xf0\x9f\x98\x80z\n"

static void set(struct doc_text *t, const char *s)
{
	doc_text_set(t, s, strlen(s));
}

static void test_offset_utf16(void **state)
{
	struct doc_text t = { 0 };

	(void)state;
	set(&t, WIDE "second\n");
	assert_int_equal(doc_text_offset(&t, 0, 0, POS_UTF16), 0);
	assert_int_equal(doc_text_offset(&t, 0, 1, POS_UTF16), 1);
	assert_int_equal(doc_text_offset(&t, 0, 2, POS_UTF16), 3);
	assert_int_equal(doc_text_offset(&t, 0, 4, POS_UTF16), 7);
	/* inside the surrogate pair: after the character */
	assert_int_equal(doc_text_offset(&t, 0, 3, POS_UTF16), 7);
	assert_int_equal(doc_text_offset(&t, 0, 5, POS_UTF16), 8);
	/* past the line's end: the line's end; past the last line: the end */
	assert_int_equal(doc_text_offset(&t, 0, 99, POS_UTF16), 8);
	assert_int_equal(doc_text_offset(&t, 1, 3, POS_UTF16), 12);
	assert_int_equal(doc_text_offset(&t, 7, 0, POS_UTF16), t.len);
	doc_text_free(&t);
}

static void test_offset_utf8_utf32(void **state)
{
	struct doc_text t = { 0 };

	(void)state;
	set(&t, WIDE);
	assert_int_equal(doc_text_offset(&t, 0, 7, POS_UTF8), 7);
	assert_int_equal(doc_text_offset(&t, 0, 2, POS_UTF8), 3); /* mid-é */
	assert_int_equal(doc_text_offset(&t, 0, 3, POS_UTF32), 7);
	assert_int_equal(doc_text_offset(&t, 0, 2, POS_UTF32), 3);
	doc_text_free(&t);
}

static void test_character(void **state)
{
	struct doc_text t = { 0 };

	(void)state;
	set(&t, "x\n" WIDE);
	/* clang's byte column of 'z' (7, 0-based) on line 1 */
	assert_int_equal(doc_text_character(&t, 1, 7, POS_UTF16), 4);
	assert_int_equal(doc_text_character(&t, 1, 7, POS_UTF8), 7);
	assert_int_equal(doc_text_character(&t, 1, 7, POS_UTF32), 3);
	assert_int_equal(doc_text_character(&t, 1, 0, POS_UTF16), 0);
	/* past the line's end stops there */
	assert_int_equal(doc_text_character(&t, 1, 50, POS_UTF16), 5);
	doc_text_free(&t);
}

static void test_line_ends(void **state)
{
	struct doc_text t = { 0 };

	(void)state;
	set(&t, "ab\r\ncd\ref\ngh");
	assert_int_equal(doc_text_offset(&t, 1, 0, POS_UTF16), 4);
	assert_int_equal(doc_text_offset(&t, 1, 9, POS_UTF16), 6);
	assert_int_equal(doc_text_offset(&t, 2, 1, POS_UTF16), 8);
	assert_int_equal(doc_text_offset(&t, 3, 2, POS_UTF16), 12);
	assert_int_equal(count_line_breaks(t.s, t.len), 3);
	assert_int_equal(count_line_breaks("a\r", 2), 1);
	doc_text_free(&t);
}

static void test_replace(void **state)
{
	struct doc_text t = { 0 };
	size_t from, to;

	(void)state;
	set(&t, "one\ntwo\nthree\n");
	/* replace "two\n" by two lines */
	from = doc_text_offset(&t, 1, 0, POS_UTF16);
	to = doc_text_offset(&t, 2, 0, POS_UTF16);
	doc_text_replace(&t, from, to, "2a\n2b\n", 6);
	assert_string_equal(t.s, "one\n2a\n2b\nthree\n");
	/* an insertion at the end, a deletion at the start */
	doc_text_replace(&t, t.len, t.len, "four", 4);
	doc_text_replace(&t, 0, 4, "", 0);
	assert_string_equal(t.s, "2a\n2b\nthree\nfour");
	/* ranges past the end are clamped, reversed ones are empty */
	doc_text_replace(&t, 100, 200, "!", 1);
	doc_text_replace(&t, 3, 1, "", 0);
	assert_string_equal(t.s, "2a\n2b\nthree\nfour!");
	/* growing well past the first allocation */
	for (int i = 0; i < 2000; i++)
		doc_text_replace(&t, 0, 0, "0123456789", 10);
	assert_int_equal(t.len, 20000 + strlen("2a\n2b\nthree\nfour!"));
	assert_int_equal(t.s[t.len], '\0');
	doc_text_free(&t);
}

static void test_encoding_names(void **state)
{
	(void)state;
	assert_int_equal(pos_encoding_parse("utf-16"), POS_UTF16);
	assert_int_equal(pos_encoding_parse("utf-8"), POS_UTF8);
	assert_int_equal(pos_encoding_parse("utf-32"), POS_UTF32);
	assert_int_equal(pos_encoding_parse("latin-1"), -1);
	assert_int_equal(pos_encoding_parse(NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offset_utf16),
		cmocka_unit_test(test_offset_utf8_utf32),
		cmocka_unit_test(test_character),
		cmocka_unit_test(test_line_ends),
		cmocka_unit_test(test_replace),
		cmocka_unit_test(test_encoding_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

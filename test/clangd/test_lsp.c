/*
 * test_lsp.c - the LSP framing of `lockorder clangd` (tools/lsp.c):
 * messages cut out of what arrives in pieces of any size, headers with
 * other fields or none, a message larger than any read, and output
 * queued for a peer that reads slowly.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lsp.h"

/* An lsp_in reading the bytes S from a file, as a peer would send them. */
static void feed(struct lsp_in *in, const char *s, size_t n)
{
	FILE *f = tmpfile();

	assert_non_null(f);
	assert_int_equal(fwrite(s, 1, n, f), n);
	fflush(f);
	memset(in, 0, sizeof(*in));
	in->fd = dup(fileno(f));
	lseek(in->fd, 0, SEEK_SET);
	fclose(f);
}

/* The next body, reading as needed; NULL at the end. */
static char *next_body(struct lsp_in *in)
{
	const char *raw;
	size_t head, n;

	for (;;) {
		n = lsp_in_next(in, "test", &raw, &head);
		if (n)
			return strndup(raw + head, n - head);
		if (in->eof)
			return NULL;
		lsp_in_fill(in);
	}
}

static void test_messages(void **state)
{
	static const char s[] =
		"Content-Length: 2\r\n\r\n{}"
		"content-length: 7\r\nContent-Type: application/vscode-jsonrpc\r\n\r\n{\"a\":1}"
		"Content-Type: x\r\n\r\n"            /* no length: skipped */
		"Content-Length: 3\r\n\r\n[1]";
	struct lsp_in in;
	char *b;

	(void)state;
	feed(&in, s, sizeof(s) - 1);
	b = next_body(&in);
	assert_string_equal(b, "{}");
	free(b);
	b = next_body(&in);
	assert_string_equal(b, "{\"a\":1}");
	free(b);
	b = next_body(&in);
	assert_string_equal(b, "[1]");
	free(b);
	assert_null(next_body(&in));
	close(in.fd);
	lsp_in_free(&in);
}

static void test_large_message(void **state)
{
	size_t n = 1000000, i;
	char *body = malloc(n + 1), *msg, *b;
	struct lsp_in in;
	int len;

	(void)state;
	for (i = 0; i < n; i++)
		body[i] = (char)('a' + i % 26);
	body[n] = '\0';
	len = asprintf(&msg, "Content-Length: %zu\r\n\r\n%sContent-Length: 1\r\n\r\n1", n, body);
	assert_true(len > 0);
	feed(&in, msg, (size_t)len);
	b = next_body(&in);
	assert_non_null(b);
	assert_int_equal(strlen(b), n);
	assert_memory_equal(b, body, n);
	free(b);
	b = next_body(&in);
	assert_string_equal(b, "1");
	free(b);
	close(in.fd);
	lsp_in_free(&in);
	free(body);
	free(msg);
}

static void test_bad_length(void **state)
{
	static const char s[] = "Content-Length: -5\r\n\r\nContent-Length: 99999999999999999999999\r\n\r\n"
				"Content-Length: 1\r\n\r\nx";
	struct lsp_in in;
	char *b;

	(void)state;
	feed(&in, s, sizeof(s) - 1);
	b = next_body(&in);
	assert_string_equal(b, "x");
	free(b);
	close(in.fd);
	lsp_in_free(&in);
}

static void test_slow_reader(void **state)
{
	int p[2];
	json_t *o = json_pack("{s:s}", "k", "v");
	struct lsp_out out = { 0 };
	size_t sent = 0, got = 0, i;
	char chunk[65536], one[4096];

	(void)state;
	assert_int_equal(pipe(p), 0);
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	out.fd = p[1];
	memset(one, 'q', sizeof(one));
	/* far more than a pipe holds: the rest waits in the queue */
	for (i = 0; i < 100; i++) {
		lsp_out_raw(&out, one, sizeof(one));
		sent += sizeof(one);
	}
	lsp_out_json(&out, o);
	sent += strlen("Content-Length: 9\r\n\r\n{\"k\":\"v\"}");
	assert_true(lsp_out_pending(&out));
	while (got < sent) {
		ssize_t r = read(p[0], chunk, sizeof(chunk));

		assert_true(r > 0);
		if (got + (size_t)r == sent)
			assert_memory_equal(chunk + r - 9, "{\"k\":\"v\"}", 9);
		got += (size_t)r;
		lsp_out_flush(&out);
	}
	assert_false(lsp_out_pending(&out));
	/* a peer that is gone: writes are dropped, nothing blocks */
	close(p[0]);
	lsp_out_raw(&out, one, sizeof(one));
	assert_true(out.broken);
	assert_false(lsp_out_pending(&out));
	close(p[1]);
	lsp_out_free(&out);
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_large_message),
		cmocka_unit_test(test_bad_length),
		cmocka_unit_test(test_slow_reader),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

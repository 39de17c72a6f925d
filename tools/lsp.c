/*
 * lsp.c - the Language Server Protocol's framing: cutting messages out of
 * what a peer sends, and queueing what we send so that neither side can
 * block the other.
 *
 * Why the output is queued: the wrapper sits between two peers that both
 * write while the other is busy.  With blocking writes, a large didOpen
 * into clangd's full pipe while clangd waits for us to read its answers
 * would stop both for good; with a queue and poll(2) the wrapper always
 * goes on reading.
 *
 * What it does NOT do: look inside the JSON (clangd.c does), or limit a
 * message's size below 1 GiB: a peer that sends a large file gets it
 * buffered whole.  Bytes that are not LSP framing are skipped, said on
 * stderr, and never end the session.
 */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <poll.h>
#include <unistd.h>

#include "lsp.h"
#include "util.h"

#define READ_CHUNK 65536
#define MAX_HEADER 65536 /* bytes of header that never end: not LSP */
#define MAX_BODY (1LL << 30) /* a claimed length past this: not LSP either */

void lsp_in_fill(struct lsp_in *in)
{
	ssize_t r;

	/* Drop what was handed out, then make room for one chunk. */
	if (in->skip) {
		memmove(in->buf, in->buf + in->skip, in->len - in->skip);
		in->len -= in->skip;
		in->skip = 0;
	}
	while (in->cap - in->len < READ_CHUNK) {
		in->cap = in->cap ? in->cap * 2 : 2 * READ_CHUNK;
		in->buf = xrealloc(in->buf, in->cap);
	}
	r = read(in->fd, in->buf + in->len, in->cap - in->len);
	if (r > 0)
		in->len += (size_t)r;
	else if (r == 0 || (errno != EINTR && errno != EAGAIN))
		in->eof = 1;
}

/* The value of header field NAME in the N bytes at H, or -1. */
static long long header_value(const char *h, size_t n, const char *name)
{
	size_t k = strlen(name);
	const char *line = h, *end = h + n;

	while (line < end) {
		const char *eol = memchr(line, '\n', (size_t)(end - line));

		if (!eol)
			eol = end;
		if ((size_t)(eol - line) > k && strncasecmp(line, name, k) == 0 &&
		    line[k] == ':') {
			char *stop;
			long long v;

			errno = 0;
			v = strtoll(line + k + 1, &stop, 10);
			return stop == line + k + 1 || v < 0 || errno ? -1 : v;
		}
		line = eol + 1;
	}
	return -1;
}

size_t lsp_in_next(struct lsp_in *in, const char *prog, const char **raw,
		   size_t *body)
{
	for (;;) {
		size_t have = in->len - in->skip, h;
		const char *start, *end;
		long long n;

		if (!have)
			return 0;
		start = in->buf + in->skip;
		end = memmem(start, have, "\r\n\r\n", 4);
		if (!end) {
			if (have > MAX_HEADER) {
				fprintf(stderr, "%s: dropping %zu bytes that are not an LSP header\n",
					prog, have);
				in->skip = in->len;
			}
			return 0;
		}
		h = (size_t)(end - start) + 4;
		n = header_value(start, h, "Content-Length");
		if (n < 0 || n > MAX_BODY) {
			fprintf(stderr, "%s: dropping an LSP header without a valid Content-Length\n",
				prog);
			in->skip += h;
			continue;
		}
		if (have < h + (size_t)n)
			return 0;
		*raw = start;
		*body = h;
		in->skip += h + (size_t)n;
		return h + (size_t)n;
	}
}

void lsp_in_free(struct lsp_in *in)
{
	free(in->buf);
	in->buf = NULL;
	in->len = in->cap = in->skip = 0;
}

void lsp_out_flush(struct lsp_out *out)
{
	while (out->off < out->len && !out->broken) {
		ssize_t w = write(out->fd, out->buf + out->off, out->len - out->off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (w <= 0) {
			out->broken = 1;
			break;
		}
		out->off += (size_t)w;
	}
	if (out->off == out->len || out->broken)
		out->off = out->len = 0;
}

void lsp_out_raw(struct lsp_out *out, const char *p, size_t n)
{
	if (out->broken)
		return;
	if (out->off && out->off == out->len)
		out->off = out->len = 0;
	if (out->len + n > out->cap) {
		/* compact first: the front may be written already */
		if (out->off) {
			memmove(out->buf, out->buf + out->off, out->len - out->off);
			out->len -= out->off;
			out->off = 0;
		}
		while (out->len + n > out->cap)
			out->cap = out->cap ? out->cap * 2 : READ_CHUNK;
		out->buf = xrealloc(out->buf, out->cap);
	}
	memcpy(out->buf + out->len, p, n);
	out->len += n;
	lsp_out_flush(out);
}

void lsp_out_json(struct lsp_out *out, json_t *o)
{
	char *body = json_dumps(o, JSON_COMPACT);
	char head[64];
	size_t n;

	if (!body)
		return;
	n = strlen(body);
	snprintf(head, sizeof(head), "Content-Length: %zu\r\n\r\n", n);
	lsp_out_raw(out, head, strlen(head));
	lsp_out_raw(out, body, n);
	free(body);
}

int lsp_out_pending(const struct lsp_out *out)
{
	return !out->broken && out->off < out->len;
}

void lsp_out_drain(struct lsp_out *out)
{
	while (lsp_out_pending(out)) {
		struct pollfd pf = { out->fd, POLLOUT, 0 };
		int r = poll(&pf, 1, 5000);

		if (r == 0 || (r < 0 && errno != EINTR))
			break; /* a peer that reads nothing for 5 s is gone */
		lsp_out_flush(out);
	}
}

void lsp_out_free(struct lsp_out *out)
{
	free(out->buf);
	out->buf = NULL;
	out->len = out->cap = out->off = 0;
}

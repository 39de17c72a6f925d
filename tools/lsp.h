/*
 * lsp.h - the Language Server Protocol's framing for `lockorder clangd`:
 * messages cut out of a byte stream ("Content-Length: N\r\n\r\n" and N
 * bytes of JSON), and messages queued for a peer that may be slow to
 * read.  lsp.c
 */
#ifndef LOCKORDER_LSP_H
#define LOCKORDER_LSP_H

#include <stddef.h>

#include <jansson.h>

/* Bytes read from one peer.  Zero-initialise, then set fd. */
struct lsp_in {
	int fd;
	char *buf;
	size_t len, cap;
	size_t skip; /* bytes at the front already handed out */
	int eof;     /* the peer closed its end, or reading failed */
};

/*
 * Reads what IN's descriptor has (one read(2); call it when poll(2) says
 * the descriptor is readable).  Sets eof at end of file or on an error.
 */
void lsp_in_fill(struct lsp_in *in);

/*
 * The next whole message of IN: returns its length (header and body) and
 * sets *RAW to its first byte and *BODY to the offset of its JSON body;
 * returns 0 when no whole message is buffered yet.  The bytes stay valid
 * until the next lsp_in_fill() or lsp_in_next().  A header with no
 * Content-Length, or garbage that never ends a header, is skipped and
 * said on stderr after PROG.
 */
size_t lsp_in_next(struct lsp_in *in, const char *prog, const char **raw,
		   size_t *body);

void lsp_in_free(struct lsp_in *in);

/* Bytes waiting to be written to one peer, whose descriptor is
 * non-blocking.  Zero-initialise, then set fd. */
struct lsp_out {
	int fd;
	char *buf;
	size_t len, cap, off; /* buf[off..len) is still to be written */
	int broken;           /* a write failed: the peer is gone */
};

/* Queues the N bytes at P and writes what the peer takes now. */
void lsp_out_raw(struct lsp_out *out, const char *p, size_t n);
/* Queues message O with its header (O is not consumed). */
void lsp_out_json(struct lsp_out *out, json_t *o);
/* Writes what the peer takes now (call it when poll(2) says POLLOUT). */
void lsp_out_flush(struct lsp_out *out);
/* Whether bytes are waiting. */
int lsp_out_pending(const struct lsp_out *out);
/* Writes everything, waiting for the peer (at the end of a session). */
void lsp_out_drain(struct lsp_out *out);
void lsp_out_free(struct lsp_out *out);

#endif

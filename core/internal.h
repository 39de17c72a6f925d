/*
 * internal.h - what the core's own files share: the layout of struct
 * lo_rules and the allocation helpers.
 *
 * This is NOT a public header.  The plugin and the tools include
 * lockorder.h only and see lo_rules as an opaque type; nothing here is a
 * promise to them.
 */
#ifndef LOCKORDER_INTERNAL_H
#define LOCKORDER_INTERNAL_H

#include <stdarg.h>
#include <stdint.h>

#include "lockorder.h"

/* Allocation that cannot fail: on out-of-memory these abort(), like
 * cmark's default allocator.  A rules file is small; threading an
 * out-of-memory path through every helper of the parser would hide what
 * the parser does. */
void *lo_xmalloc(size_t n);
void *lo_xcalloc(size_t n, size_t size);
void *lo_xrealloc(void *p, size_t n);
char *lo_xstrndup(const char *s, size_t n);
char *lo_xstrdup(const char *s);
/* The string FMT formats to, in memory the caller frees. */
char *lo_xvasprintf(const char *fmt, va_list ap);
char *lo_xasprintf(const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
	__attribute__((format(printf, 1, 2)))
#endif
	;
/* Grows *V (of *CAP elements of SIZE bytes) to hold at least N. */
void lo_grow(void *v, size_t *cap, size_t n, size_t size);
/* PATH without "." and "dir/.." segments (lexically: kbuild's
 * arch/x86/kvm/../../../virt/kvm/kvm_main.c is virt/kvm/kvm_main.c);
 * NULL when it has none to drop.  Caller frees. */
char *lo_path_normal(const char *path);
/* PATH made absolute, lexically (no symlink is resolved, as for
 * lo_path_normal()): joined to DIR when relative, DIR itself joined to
 * the working directory when relative or NULL; no trailing '/'.  Caller
 * frees. */
char *lo_path_absolute(const char *dir, const char *path);
/* The absolute, normal PATH relative to the directory ROOT (absolute,
 * normal, no trailing '/'): the part after "ROOT/", "." for ROOT itself,
 * or NULL when PATH is not under ROOT.  Points into PATH. */
const char *lo_path_under(const char *root, const char *path);

/* Writes PATH atomically: WRITE fills a temporary file in PATH's
 * directory, which is then renamed over PATH, so that a reader (a parallel
 * build, a CI job) never sees a torn file.  Returns 0, or -1 and sets *ERR
 * (when not NULL) to a message naming the file, freed with free(). */
int lo_write_atomic(const char *path, int (*write)(FILE *out, const void *ctx),
		    const void *ctx, char **err);

/* Renames the directory TMP over DIR, removing an old DIR first (a
 * report directory is replaced whole).  Returns 0, or -1 and *ERR. */
int lo_replace_dir(const char *tmp, const char *dir, char **err);
/* Removes PATH and everything below it; errors are ignored. */
void lo_remove_tree(const char *path);

/* JSON helpers for summaries and reports (jansson). */
struct json_t;
/* A JSON string for S (null for NULL).  jansson refuses text that is not
 * UTF-8 (a file name in Latin-1, say); such bytes become '?' rather than
 * losing the record. */
struct json_t *lo_json_str(const char *s);
/* Sets KEY of O to V, or to null when V is NULL (out of memory). */
void lo_json_set(struct json_t *o, const char *key, struct json_t *v);

/* A string -> int map for names (locks, functions, types).  Keys are not
 * copied: they must outlive the map (they live in the lo_rules). */
struct lo_strmap {
	const char **keys;
	int *vals;
	size_t cap, n;
};

int lo_strmap_get(const struct lo_strmap *m, const char *key);
void lo_strmap_put(struct lo_strmap *m, const char *key, int val);
void lo_strmap_free(struct lo_strmap *m);

/* A (int, int) -> index map (pairmap.c), zero-initialised; VAL >= 0. */
struct lo_pairmap {
	struct lo_pair { int a, b; long val; } *e;
	size_t cap, n;
};

/* The index of (A, B), or -1. */
long lo_pairmap_get(const struct lo_pairmap *pm, int a, int b);
/* Maps (A, B) to VAL (>= 0), replacing what it mapped to. */
void lo_pairmap_put(struct lo_pairmap *pm, int a, int b, long val);
void lo_pairmap_free(struct lo_pairmap *pm);

struct lo_type {
	const char *alias;
	const char *keyword; /* "struct" or "union" */
	const char *tag;
	const char *file;
	int line, col;
};

/* One edge of the declared order: FROM is taken outside TO, as RULE says. */
struct lo_edge {
	int from, to, rule;
};

/* A requires B, as RULE says. */
struct lo_require {
	int a, b, rule;
};

/* How an order statement was written (struct lo_rule only knows its
 * lo_rule_kind: "inside" is an outside rule read the other way). */
enum lo_stmt {
	LO_STMT_OUTSIDE,
	LO_STMT_INSIDE,
	LO_STMT_REQUIRES,
	LO_STMT_LEAF,
	LO_STMT_LEAF_ALL,
	LO_STMT_NEVER,
};

/* What the core keeps about a rule beyond the public struct lo_rule. */
struct lo_rule_ext {
	enum lo_stmt stmt;
	int col;
	int *locks;              /* never: the locks, resolved */
	size_t nlocks;
	const char **patterns;   /* never: the function patterns */
	size_t npatterns;
};

struct lo_rules {
	/* Every string and array below that is not one of the arrays
	 * listed here is owned through this list and freed with it. */
	void **owned;
	size_t nowned, capowned;

	struct lo_type *types;
	size_t ntypes, captypes;
	struct lo_lock *locks;
	size_t nlocks, caplocks;
	struct lo_function *funcs;
	size_t nfuncs, capfuncs;
	/* The functions whose name ends in '*', by index: a name no exact
	 * declaration matches (most calls) is tried against these only. */
	int *patterns;
	size_t npatterns, cappatterns;
	struct lo_rule *rules;
	struct lo_rule_ext *rext;
	size_t nrules, caprules;
	struct lo_edge *edges;
	size_t nedges, capedges;
	struct lo_require *reqs;
	size_t nreqs, capreqs;

	struct lo_strmap lockmap, funcmap, typemap;

	/* Built by lo_order_build(): the edges leaving lock i are
	 * adj[adj_start[i] .. adj_start[i + 1]) (edge indexes, in rule
	 * order), and reach is the transitive closure, one row of WORDS
	 * 64-bit words per lock. */
	size_t *adj_start;
	int *adj;
	uint64_t *reach;
	size_t words;
};

/* order.c */
void lo_order_build(lo_rules *r);
void lo_order_free(lo_rules *r);
/* Nonzero when lock A reaches lock B through one or more edges. */
int lo_order_reaches(const lo_rules *r, int a, int b);
/* The shortest path of edges from A to B (at least one edge, so A == B
 * finds a cycle).  Returns its length, or 0 when there is none; writes
 * at most MAX edge indexes to EDGES. */
size_t lo_order_path(const lo_rules *r, int a, int b, int *edges, size_t max);
/* Reports every cycle of the declared order once to ERRS. */
void lo_order_check_cycles(const lo_rules *r, struct lo_errors *errs);

#endif

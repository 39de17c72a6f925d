/*
 * baseline.c - the findings a tree already has, so that a CI job fails only
 * on new ones.
 *
 * A finding is known by its key (merge.c: kind, function, message and the
 * functions of its chain, no line numbers), which survives edits elsewhere
 * in the file.  What this file does NOT do: decide what a finding is or
 * print one; it reads and writes the list of keys and filters a merge.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "internal.h"

#define BASELINE_VERSION 1

struct lo_baseline {
	char **keys; /* sorted, for bsearch */
	size_t n;
};

static int cmp_key(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

lo_baseline *lo_baseline_read(const char *path, struct lo_errors *errs)
{
	json_error_t je;
	FILE *in = fopen(path, "rb");
	json_t *root, *list, *f;
	lo_baseline *b;
	size_t i;

	if (!in) {
		lo_errors_add(errs, LO_SEV_ERROR, path, 0, 0,
			      "cannot open baseline '%s': %s", path,
			      strerror(errno));
		return NULL;
	}
	root = json_loadf(in, 0, &je);
	fclose(in);
	if (!root) {
		/* at its place, as a compiler says it */
		lo_errors_add(errs, LO_SEV_ERROR, path, je.line > 0 ? je.line : 0,
			      je.line > 0 && je.column > 0 ? je.column : 0,
			      "not a baseline: not JSON: %s", je.text);
		return NULL;
	}
	if (json_integer_value(json_object_get(root, "lockorder_baseline")) !=
	    BASELINE_VERSION) {
		lo_errors_add(errs, LO_SEV_ERROR, path, 0, 0,
			      "'%s' is not a lockorder baseline of version %d: "
			      "write it again with --update-baseline",
			      path, BASELINE_VERSION);
		json_decref(root);
		return NULL;
	}
	list = json_object_get(root, "findings");
	if (!json_is_array(list)) {
		lo_errors_add(errs, LO_SEV_ERROR, path, 0, 0,
			      "baseline '%s' has no 'findings' array", path);
		json_decref(root);
		return NULL;
	}
	b = lo_xcalloc(1, sizeof(*b));
	b->keys = lo_xcalloc(json_array_size(list) + 1, sizeof(*b->keys));
	json_array_foreach(list, i, f) {
		const char *key = json_string_value(json_object_get(f, "key"));

		if (!key) {
			lo_errors_add(errs, LO_SEV_ERROR, path, 0, 0,
				      "entry %zu of baseline '%s' has no 'key'",
				      i + 1, path);
			json_decref(root);
			lo_baseline_free(b);
			return NULL;
		}
		b->keys[b->n++] = lo_xstrdup(key);
	}
	json_decref(root);
	qsort(b->keys, b->n, sizeof(*b->keys), cmp_key);
	return b;
}

void lo_baseline_free(lo_baseline *b)
{
	size_t i;

	if (!b)
		return;
	for (i = 0; i < b->n; i++)
		free(b->keys[i]);
	free(b->keys);
	free(b);
}

static int not_known(const struct lo_finding *f, void *ctx)
{
	const lo_baseline *b = ctx;
	const char *key = f->key ? f->key : "";

	return bsearch(&key, b->keys, b->n, sizeof(*b->keys), cmp_key) == NULL;
}

size_t lo_baseline_apply(const lo_baseline *b, lo_merge *m)
{
	return b ? lo_merge_filter(m, not_known, (void *)b) : 0;
}

static int write_baseline(FILE *out, const void *ctx)
{
	const lo_merge *m = ctx;
	json_t *root = json_object(), *list = json_array();
	size_t i;
	int rc;

	lo_json_set(root, "lockorder_baseline", json_integer(BASELINE_VERSION));
	for (i = 0; i < lo_merge_finding_count(m); i++) {
		const struct lo_finding *f = lo_merge_finding(m, i);
		json_t *o = json_object();

		lo_json_set(o, "key", lo_json_str(f->key));
		lo_json_set(o, "message", lo_json_str(f->message));
		lo_json_set(o, "file", lo_json_str(f->at.file));
		lo_json_set(o, "line", json_integer(f->at.line));
		json_array_append_new(list, o);
	}
	lo_json_set(root, "findings", list);
	rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(root);
	if (rc == 0 && fputc('\n', out) == EOF)
		rc = -1;
	return rc;
}

int lo_baseline_write(const lo_merge *m, const char *path, char **err)
{
	return lo_write_atomic(path, write_baseline, m, err);
}

/*
 * dot.c - the lock order as a Graphviz graph: what the rules declare and,
 * given a merge, what the code takes.
 *
 * Declared edges are black (as stated, not the closure); a pair the code
 * takes that the rules declare is drawn green; one the rules do not
 * mention (the documentation has drifted from the code) dashed blue; one
 * that breaks a rule red, labelled with its first site.  Leaves have a
 * double border.  What it does NOT do: lay the graph out (dot does).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* S as a DOT string: quotes and backslashes escaped, newlines as \n. */
static void put_id(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '\n') {
			fputs("\\n", out);
			continue;
		}
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static int write_dot(FILE *out, const void *ctx)
{
	const void *const *p = ctx;
	const lo_rules *r = p[0];
	const lo_merge *m = p[1];
	size_t i, n = lo_rules_lock_count(r), no = lo_merge_observed_count(m);
	char *stated;

	fputs("digraph lockorder {\n"
	      "\tgraph [rankdir=TB, fontname=\"Helvetica\", labelloc=t,\n"
	      "\t       label=\"lock order: black declared, green declared and taken,\\n"
	      "blue dashed taken but not in the rules, red breaks a rule\"];\n"
	      "\tnode [shape=box, fontname=\"monospace\", fontsize=10];\n"
	      "\tedge [fontname=\"Helvetica\", fontsize=9];\n", out);
	for (i = 0; i < n; i++) {
		const struct lo_lock *l = lo_rules_lock(r, i);

		fputc('\t', out);
		put_id(out, l->name);
		fprintf(out, " [label=\"%s\\n%s%s\"%s];\n", l->name,
			lo_kind_name(l->kind), l->leaf ? ", leaf" : "",
			l->leaf ? ", peripheries=2" : "");
	}
	for (i = 0; i < no; i++) {
		const struct lo_observed *o = lo_merge_observed(m, i);
		const char *names[2] = { o->from, o->to };
		int decls[2] = { o->from_decl, o->to_decl }, k;

		for (k = 0; k < 2; k++)
			if (decls[k] < 0) {
				fputc('\t', out);
				put_id(out, names[k]);
				fputs(" [shape=ellipse, style=dashed];\n", out);
			}
	}
	/* A declared edge the code takes is drawn once, green. */
	stated = lo_xcalloc(lo_rules_edge_count(r) + 1, 1);
	for (i = 0; i < no; i++) {
		const struct lo_observed *o = lo_merge_observed(m, i);
		size_t e;

		for (e = 0; e < lo_rules_edge_count(r); e++) {
			int from, to, rule;

			lo_rules_edge(r, e, &from, &to, &rule);
			if (from == o->from_decl && to == o->to_decl)
				stated[e] = 1;
		}
	}
	for (i = 0; i < lo_rules_edge_count(r); i++) {
		int from, to, rule;
		const struct lo_rule *ru;

		lo_rules_edge(r, i, &from, &to, &rule);
		ru = lo_rules_rule(r, (size_t)rule);
		fputc('\t', out);
		put_id(out, lo_rules_lock(r, (size_t)from)->name);
		fputs(" -> ", out);
		put_id(out, lo_rules_lock(r, (size_t)to)->name);
		fprintf(out, " [tooltip=\"%s:%d\"%s];\n", ru->file, ru->line,
			stated[i] ? ", color=darkgreen, penwidth=2" : "");
	}
	free(stated);
	for (i = 0; i < no; i++) {
		const struct lo_observed *o = lo_merge_observed(m, i);
		size_t e;
		int direct = 0;

		for (e = 0; e < lo_rules_edge_count(r); e++) {
			int from, to, rule;

			lo_rules_edge(r, e, &from, &to, &rule);
			direct |= from == o->from_decl && to == o->to_decl;
		}
		if (direct && !o->violation)
			continue; /* drawn green above */
		fputc('\t', out);
		put_id(out, o->from);
		fputs(" -> ", out);
		put_id(out, o->to);
		if (o->violation)
			fputs(" [color=red, fontcolor=red, penwidth=2, label=", out);
		else if (o->declared)
			fputs(" [color=darkgreen, style=dotted, label=", out);
		else
			fputs(" [color=blue, fontcolor=blue, style=dashed, label=", out);
		{
			char buf[512];

			snprintf(buf, sizeof(buf), "%s\n%s:%d", o->fn ? o->fn : "",
				 o->at.file ? o->at.file : "?", o->at.line);
			put_id(out, buf);
		}
		fputs("];\n", out);
	}
	fputs("}\n", out);
	return ferror(out) ? -1 : 0;
}

int lo_graph_write_dot(const lo_rules *r, const lo_merge *m, FILE *out)
{
	const void *ctx[2] = { r, m };

	return write_dot(out, ctx);
}

int lo_graph_write_dot_file(const lo_rules *r, const lo_merge *m,
			    const char *path, char **err)
{
	const void *ctx[2] = { r, m };

	return lo_write_atomic(path, write_dot, ctx, err);
}

/*
 * report.c - the findings of a merge in words: Clang's diagnostic text,
 * JSON for scripts, SARIF 2.1.0 for code-scanning services.
 *
 * What it does NOT do: choose, sort or count findings (the merge has done
 * that, and the command says how many there were, on stderr), or rewrite
 * paths.  Files are printed as the merge made them (root.c): relative to
 * the top of the tree, which is every finding's directory, or absolute;
 * without a root (the plugin's own merge), relative to the translation
 * unit's directory.  In SARIF a relative file is given with uriBaseId
 * "SRCROOT", which the log maps to the first finding's directory, so a
 * viewer opened elsewhere still finds it.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "internal.h"

static const char *const kind_names[] = {
	[LO_V_ORDER] = "order",
	[LO_V_SRCU_READER] = "srcu-reader",
	[LO_V_SRCU_SYNC] = "srcu-sync",
	[LO_V_SRCU_SELF] = "srcu-self",
	[LO_V_LEAF] = "leaf",
	[LO_V_REQUIRES] = "requires",
	[LO_V_NEVER] = "never",
	[LO_V_ATOMIC] = "atomic",
	[LO_V_RECURSIVE] = "recursive",
	[LO_V_INVERSION] = "inversion",
};

#define NKINDS (sizeof(kind_names) / sizeof(kind_names[0]))

static const char *const kind_descriptions[] = {
	[LO_V_ORDER] = "A lock is acquired while holding a lock the rules put inside it",
	[LO_V_SRCU_READER] = "A lock the rules put outside an SRCU or RCU is acquired inside its read-side critical section",
	[LO_V_SRCU_SYNC] = "synchronize_srcu() is called while holding a lock the rules put inside that SRCU",
	[LO_V_SRCU_SELF] = "synchronize_srcu() is called inside a read-side critical section of the same SRCU",
	[LO_V_LEAF] = "A lock is acquired while holding a lock the rules make a leaf",
	[LO_V_REQUIRES] = "A lock is acquired without holding the lock the rules say it requires",
	[LO_V_NEVER] = "A lock is acquired in a function the rules say never takes it",
	[LO_V_ATOMIC] = "A sleeping lock is acquired, or an SRCU waited for, in atomic context",
	[LO_V_RECURSIVE] = "A lock is acquired while already held: possible recursive locking",
	[LO_V_INVERSION] = "Locks no rule orders are acquired in a cycle: possible circular locking dependency",
};

const char *lo_violation_kind_name(enum lo_violation_kind kind)
{
	if ((size_t)kind >= NKINDS || !kind_names[kind])
		return "unknown";
	return kind_names[kind];
}

/* ---- text ------------------------------------------------------------- */

static void print_loc(FILE *out, const struct lo_loc *at)
{
	if (!at->file)
		return;
	fputs(at->file, out);
	if (at->line > 0) {
		fprintf(out, ":%d", at->line);
		if (at->col > 0)
			fprintf(out, ":%d", at->col);
	}
	fputs(": ", out);
}

static void write_text(const lo_merge *m, FILE *out)
{
	size_t i, k;

	for (i = 0; i < lo_merge_finding_count(m); i++) {
		const struct lo_finding *f = lo_merge_finding(m, i);

		print_loc(out, &f->at);
		fprintf(out, "warning: %s\n", f->message);
		for (k = 0; k < f->nnotes; k++) {
			print_loc(out, &f->notes[k].at);
			fprintf(out, "note: %s\n", f->notes[k].text);
		}
	}
}

/* ---- JSON ------------------------------------------------------------- */

#define jstr lo_json_str
#define set lo_json_set

static void set_loc(json_t *o, const struct lo_loc *at)
{
	set(o, "file", jstr(at->file));
	set(o, "line", json_integer(at->line));
	set(o, "col", json_integer(at->col));
}

static json_t *json_report(const lo_merge *m)
{
	json_t *root = json_object(), *arr = json_array();
	size_t i, k;

	set(root, "version", json_integer(1));
	for (i = 0; i < lo_merge_finding_count(m); i++) {
		const struct lo_finding *f = lo_merge_finding(m, i);
		json_t *o = json_object(), *notes = json_array();

		set(o, "kind", jstr(lo_violation_kind_name(f->kind)));
		set(o, "message", jstr(f->message));
		set_loc(o, &f->at);
		set(o, "function", jstr(f->fn));
		set(o, "source", jstr(f->source));
		set(o, "directory", jstr(f->directory));
		set(o, "cross_file", json_boolean(f->cross_file));
		set(o, "key", jstr(f->key));
		for (k = 0; k < f->nnotes; k++) {
			json_t *n = json_object();

			set_loc(n, &f->notes[k].at);
			set(n, "message", jstr(f->notes[k].text));
			json_array_append_new(notes, n);
		}
		set(o, "notes", notes);
		json_array_append_new(arr, o);
	}
	set(root, "findings", arr);
	return root;
}

/* ---- SARIF ------------------------------------------------------------ */

/* S percent-encoded for a URI: unreserved characters and '/' stay. */
static char *uri_encode(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *u = lo_xmalloc(strlen(s) * 3 + 1), *p = u;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~/", c)) {
			*p++ = (char)c;
		} else {
			*p++ = '%';
			*p++ = hex[c >> 4];
			*p++ = hex[c & 15];
		}
	}
	*p = '\0';
	return u;
}

static json_t *artifact(const char *file)
{
	json_t *a = json_object();
	char *u;

	if (!file)
		file = "";
	u = uri_encode(file);
	if (file[0] == '/') {
		char *abs = lo_xmalloc(strlen(u) + 8);

		strcpy(abs, "file://");
		strcat(abs, u);
		set(a, "uri", jstr(abs));
		free(abs);
	} else {
		set(a, "uri", jstr(u));
		set(a, "uriBaseId", json_string("SRCROOT"));
	}
	free(u);
	return a;
}

static json_t *physical(const struct lo_loc *at)
{
	json_t *p = json_object(), *region = json_object();

	set(p, "artifactLocation", artifact(at->file));
	set(region, "startLine", json_integer(at->line > 0 ? at->line : 1));
	if (at->col > 0)
		set(region, "startColumn", json_integer(at->col));
	set(p, "region", region);
	return p;
}

static json_t *message(const char *text)
{
	json_t *o = json_object();

	set(o, "text", jstr(text));
	return o;
}

static json_t *sarif_rules(void)
{
	json_t *rules = json_array();
	size_t k;

	for (k = 0; k < NKINDS; k++) {
		json_t *r = json_object(), *conf = json_object();
		char id[64];

		snprintf(id, sizeof(id), "lockorder/%s", kind_names[k]);
		set(r, "id", json_string(id));
		set(r, "name", json_string(kind_names[k]));
		set(r, "shortDescription", message(kind_descriptions[k]));
		set(conf, "level", json_string("warning"));
		set(r, "defaultConfiguration", conf);
		json_array_append_new(rules, r);
	}
	return rules;
}

static void flow_step(json_t *flow_locs, const struct lo_loc *at,
		      const char *text)
{
	json_t *tl = json_object(), *l = json_object();

	set(l, "physicalLocation", physical(at));
	set(l, "message", message(text));
	set(tl, "location", l);
	json_array_append_new(flow_locs, tl);
}

static json_t *sarif_result(const struct lo_finding *f)
{
	json_t *res = json_object(), *locs = json_array(), *loc = json_object();
	json_t *related = json_array(), *fp = json_object();
	json_t *flow_locs = json_array();
	char id[64];
	size_t k, steps = 0;
	int placed = 0;

	snprintf(id, sizeof(id), "lockorder/%s", lo_violation_kind_name(f->kind));
	set(res, "ruleId", json_string(id));
	set(res, "ruleIndex", json_integer((json_int_t)f->kind));
	set(res, "level", json_string("warning"));
	set(res, "message", message(f->message));
	set(loc, "physicalLocation", physical(&f->at));
	json_array_append_new(locs, loc);
	set(res, "locations", locs);

	/* the path: where the held lock was taken, each call down to the
	 * acquisition, the warning's place among them */
	for (k = 0; k <= f->nnotes; k++) {
		json_t *r;

		if (!placed && steps == f->at_step &&
		    (k == f->nnotes || f->notes[k].hop)) {
			flow_step(flow_locs, &f->at, f->message);
			placed = 1;
		}
		if (k == f->nnotes)
			break;
		r = json_object();
		set(r, "id", json_integer((json_int_t)k + 1));
		set(r, "physicalLocation", physical(&f->notes[k].at));
		set(r, "message", message(f->notes[k].text));
		json_array_append_new(related, r);
		if (f->notes[k].hop) {
			flow_step(flow_locs, &f->notes[k].at, f->notes[k].text);
			steps++;
		}
	}
	if (f->nnotes)
		set(res, "relatedLocations", related);
	else
		json_decref(related);
	if (steps) {
		json_t *flows = json_array(), *flow = json_object();
		json_t *threads = json_array(), *thread = json_object();

		set(thread, "locations", flow_locs);
		json_array_append_new(threads, thread);
		set(flow, "threadFlows", threads);
		json_array_append_new(flows, flow);
		set(res, "codeFlows", flows);
	} else {
		json_decref(flow_locs);
	}
	set(fp, "lockorderKey/v1", jstr(f->key));
	set(res, "partialFingerprints", fp);
	return res;
}

static json_t *sarif_report(const lo_merge *m)
{
	json_t *root = json_object(), *runs = json_array(), *run = json_object();
	json_t *tool = json_object(), *driver = json_object();
	json_t *results = json_array();
	const char *dir = NULL;
	size_t i;

	set(root, "$schema", json_string("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"));
	set(root, "version", json_string("2.1.0"));
	set(driver, "name", json_string("lockorder"));
	set(driver, "version", json_string(LO_VERSION));
	set(driver, "rules", sarif_rules());
	set(tool, "driver", driver);
	set(run, "tool", tool);
	for (i = 0; i < lo_merge_finding_count(m); i++) {
		const struct lo_finding *f = lo_merge_finding(m, i);

		if (!dir && f->directory && f->directory[0] == '/')
			dir = f->directory;
		json_array_append_new(results, sarif_result(f));
	}
	if (dir) {
		json_t *bases = json_object(), *src = json_object();
		size_t len = strlen(dir);
		char *u = uri_encode(dir);
		char *s = lo_xmalloc(strlen(u) + 10);

		/* a base URI must end in '/' */
		sprintf(s, "file://%s%s", u, len && dir[len - 1] == '/' ? "" : "/");
		set(src, "uri", jstr(s));
		set(bases, "SRCROOT", src);
		set(run, "originalUriBaseIds", bases);
		free(s);
		free(u);
	}
	set(run, "columnKind", json_string("unicodeCodePoints"));
	set(run, "results", results);
	json_array_append_new(runs, run);
	set(root, "runs", runs);
	return root;
}

int lo_report_write(const lo_merge *m, enum lo_format fmt, FILE *out)
{
	json_t *root = NULL;
	int rc = 0;

	switch (fmt) {
	case LO_FORMAT_TEXT:
		write_text(m, out);
		break;
	case LO_FORMAT_JSON:
		root = json_report(m);
		break;
	case LO_FORMAT_SARIF:
		root = sarif_report(m);
		break;
	default:
		return -1;
	}
	if (root) {
		rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_SORT_KEYS);
		json_decref(root);
		if (rc == 0 && fputc('\n', out) == EOF)
			rc = -1;
	}
	if (fflush(out) != 0 || ferror(out))
		rc = -1;
	return rc ? -1 : 0;
}

/* The HTML report goes to DIR.tmp.PID, then replaces DIR. */
static int write_html_atomic(const lo_merge *m, const char *dir, char **err)
{
	size_t len = strlen(dir) + 32;
	char *tmp = lo_xmalloc(len);
	int rc;

	snprintf(tmp, len, "%s.tmp.%ld", dir, (long)getpid());
	rc = lo_report_write_html(m, tmp, err);
	if (rc == 0 && lo_replace_dir(tmp, dir, err) != 0)
		rc = -1;
	if (rc != 0)
		lo_remove_tree(tmp);
	free(tmp);
	return rc;
}

struct report_ctx {
	const lo_merge *m;
	enum lo_format fmt;
};

static int write_report(FILE *out, const void *ctx)
{
	const struct report_ctx *c = ctx;

	return lo_report_write(c->m, c->fmt, out);
}

int lo_report_write_file(const lo_merge *m, enum lo_format fmt,
			 const char *path, char **err)
{
	struct report_ctx c = { m, fmt };

	if (fmt == LO_FORMAT_HTML)
		return write_html_atomic(m, path, err);
	return lo_write_atomic(path, write_report, &c, err);
}

int lo_format_from_name(const char *name, enum lo_format *fmt)
{
	static const struct {
		const char *name;
		enum lo_format fmt;
	} formats[] = {
		{ "text", LO_FORMAT_TEXT },
		{ "json", LO_FORMAT_JSON },
		{ "sarif", LO_FORMAT_SARIF },
		{ "html", LO_FORMAT_HTML },
	};
	size_t i;

	for (i = 0; name && i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(name, formats[i].name) == 0) {
			*fmt = formats[i].fmt;
			return 0;
		}
	return -1;
}

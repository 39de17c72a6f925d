/*
 * root.c - the top of the tree a merge's findings are in, and every path
 * of a finding written relative to it: "virt/kvm/kvm_main.c" as a
 * developer at the top of the tree names the file, whichever directory
 * the translation unit was compiled in and however kbuild spelt it
 * ("arch/x86/kvm/../../../virt/kvm/kvm_main.c").  Done here, once, as the
 * findings are made, so that the text, JSON, SARIF and HTML reports and
 * the graph all say the same.  A file outside the tree stays absolute.
 *
 * What it does NOT do: resolve symlinks (paths are normalised lexically,
 * as clang and kbuild name files: resolving would turn a symlinked source
 * tree into paths nobody typed), or choose the root (the command does:
 * lockorder check the compile database's directory, merge the summaries'
 * common directory, lo_merge_common_dir()).  Without a root, as in the
 * plugin's own one-translation-unit merge, a finding's paths are relative
 * to its translation unit's directory (finding.c).
 */
#include <stdlib.h>
#include <string.h>

#include "merge_internal.h"

void lo_merge_set_root(lo_merge *m, const char *dir)
{
	free(m->root);
	m->root = dir ? lo_path_absolute(NULL, dir) : NULL;
}

const char *lo_merge_root(const lo_merge *m)
{
	return m ? m->root : NULL;
}

char *lo_merge_common_dir(const lo_merge *m)
{
	char *common = NULL;
	size_t t, n;

	for (t = 0; t < m->ntus; t++) {
		const char *d = lo_summary_directory(m->tus[t].s);
		char *a;

		if (!d || d[0] != '/')
			continue; /* a hand-made summary without one */
		a = lo_path_absolute(NULL, d);
		if (!common) {
			common = a;
			continue;
		}
		/* the longest leading run of whole segments of both */
		for (n = 0; common[n] && common[n] == a[n]; n++)
			;
		if (!((common[n] == '\0' || common[n] == '/') &&
		      (a[n] == '\0' || a[n] == '/'))) {
			while (n > 0 && common[n - 1] != '/')
				n--;
			if (n > 1)
				n--; /* the '/' itself, but for "/" */
		}
		common[n] = '\0';
		free(a);
	}
	if (common && strcmp(common, "/") == 0) {
		free(common); /* nothing shared: absolute paths say more */
		common = NULL;
	}
	return common;
}

const char *mg_root_path(lo_merge *m, const char *dir, const char *file)
{
	char *abs = lo_path_absolute(dir, file);
	const char *rel = lo_path_under(m->root, abs);
	char *r;

	if (!rel)
		return mg_pool_str(m, abs);
	r = lo_xstrdup(rel);
	free(abs);
	return mg_pool_str(m, r);
}

const char *mg_rules_path(lo_merge *m, const char *file)
{
	if (!m->root || !file)
		return file;
	return mg_root_path(m, NULL, file);
}

/*
 * plugin_cmd.h - the clang command that runs the plugin on one translation
 * unit, made from the command that compiled it.  plugin_cmd.c
 */
#ifndef LOCKORDER_PLUGIN_CMD_H
#define LOCKORDER_PLUGIN_CMD_H

#include "util.h"

/* The build says which clang the plugin belongs to (a plugin loads into
 * no other) and where the plugin was built; the commands let --clang,
 * --plugin and the environment override both. */
#ifndef LOCKORDER_LLVM_MAJOR
#define LOCKORDER_LLVM_MAJOR "19"
#endif
#ifndef LOCKORDER_LLVM_BIN
#define LOCKORDER_LLVM_BIN "/usr/lib/llvm-" LOCKORDER_LLVM_MAJOR "/bin"
#endif
#ifndef LOCKORDER_PLUGIN_PATH
#define LOCKORDER_PLUGIN_PATH ""
#endif

/*
 * The compile command IN (compiler first), run in DIR, rewritten to run
 * the plugin, appended to OUT: CLANG for the compiler, -fsyntax-only, the
 * plugin and its rules (and SUMMARY, when not NULL), outputs and
 * dependency files dropped, and the flags CLANG does not accept dropped
 * as CLANG says (clang_flags.h: it is asked once per flag per process).
 * DIR (NULL: here) is where response files are read and CLANG is asked.
 * The strings are copied.
 */
void plugin_command_in(const char *dir, const struct strv *in,
		       const char *clang, const char *plugin,
		       const char *rules, const char *summary,
		       struct strv *out);

/* plugin_command_in() asking CLANG here. */
void plugin_command(const struct strv *in, const char *clang,
		    const char *plugin, const char *rules,
		    const char *summary, struct strv *out);

/* Says on stderr, after PROG, once per process, what the commands made so
 * far had dropped or turned off: for `-v`. */
void plugin_command_note(const char *prog);

#endif

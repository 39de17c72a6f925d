/*
 * paths.h - where lockorder finds its plugin and its rules: next to
 * itself when installed, in the build and source trees when run from the
 * build tree.  paths.c
 */
#ifndef LOCKORDER_PATHS_H
#define LOCKORDER_PATHS_H

/*
 * The plugin to load into CLANG (NULL or "": the clang of the LLVM this
 * lockorder was built against; else a path, or a name found on $PATH):
 * BINDIR/../lib/lockorder/llvm-N/lockorder.so next to this lockorder, N
 * being CLANG's major version, else, for this lockorder's own LLVM, the
 * plugin of its build tree.  --plugin and $LOCKORDER_PLUGIN are the
 * caller's to check first.  Returns the path (static storage), or "" after
 * saying after PROG what was looked for and where.
 */
const char *plugin_path(const char *prog, const char *clang);

/*
 * The rules file --rules NAME stands for: NAME itself when it holds a '/',
 * ends in ".lockorder" or is a file here; else NAME.lockorder in the
 * installed rules directory (BINDIR/../share/lockorder/rules), or in the
 * source tree's rules/ for a lockorder run from its build tree.  Returns
 * the path (the caller frees it), or NULL after saying after PROG where
 * it looked and which names it found there.
 */
char *rules_path(const char *prog, const char *name);

/* rules_path() made absolute (realpath), for a command that runs in
 * another directory; NULL after saying why. */
char *rules_realpath(const char *prog, const char *name);

#endif

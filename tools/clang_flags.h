/*
 * clang_flags.h - the flags of a recorded compile command that the clang
 * running the plugin does not accept, found by asking that clang and
 * dropped.  clang_flags.c
 */
#ifndef LOCKORDER_CLANG_FLAGS_H
#define LOCKORDER_CLANG_FLAGS_H

#include "util.h"

/*
 * Removes from ARGS (a compile command's words after the compiler) every
 * flag CLANG rejects or ignores with a diagnostic when it runs ARGS with
 * -fsyntax-only, with the value it takes, if any.  CLANG is asked (run
 * in DIR, or here when DIR is NULL) only about flags it was not asked
 * about before in this process; the answers are kept until the process
 * ends.  A response file (@FILE, read from DIR) is asked about word by
 * word and stays as it is unless one of its words is dropped; then its
 * words take its place.  When CLANG cannot be run, nothing is dropped:
 * the plugin's own run then says why.
 */
void clang_flags_drop(const char *clang, const char *dir, struct strv *args);

/*
 * Says on stderr, after PROG, which flags clang_flags_drop() has dropped
 * so far, for each clang it asked: one note per clang, the first time it
 * is called; nothing when none were dropped.
 */
void clang_flags_note(const char *prog);

#endif

/*
 * commands.h - the subcommands of `lockorder` that live in their own files.
 * Each takes the arguments after its name (argv[0] is the name) and
 * returns the exit status: 0 no findings, 1 findings, 2 bad usage or input.
 */
#ifndef LOCKORDER_COMMANDS_H
#define LOCKORDER_COMMANDS_H

int cmd_merge(int argc, char **argv); /* merge.c */
int cmd_check(int argc, char **argv); /* check.c */

#endif

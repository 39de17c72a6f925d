/* merge.c - `lockorder merge`: placeholder until the merge lands. */
#include <stdio.h>
#include "commands.h"

int cmd_merge(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("lockorder merge: not implemented yet\n", stderr);
	return 2;
}

/* check.c - `lockorder check`: placeholder until the check lands. */
#include <stdio.h>
#include "commands.h"

int cmd_check(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("lockorder check: not implemented yet\n", stderr);
	return 2;
}

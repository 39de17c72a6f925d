/*
 * report_html.c - the HTML report: being written.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int lo_report_write_html(const lo_merge *m, const char *dir, char **err)
{
	(void)m;
	(void)dir;
	if (err)
		*err = lo_xstrdup("the HTML report is not written yet");
	return -1;
}

/*
 * objpath.c - which lock object: a lock's address as a path from the
 * function's parameters and globals, so that two acquisitions of one
 * class can be told to be of the very same object.
 *
 * A path is C text over two kinds of base: "$K", the value of parameter
 * K on entry (the plugin writes one only while the parameter is not
 * assigned), and "@G", the global variable G (qualified by its file when
 * it has internal linkage).  "&$0->mutex" is the address of the mutex
 * field of what parameter 0 points to, "&@rename_lock.lock" the lock of
 * the global rename_lock, "$1" a lock pointer passed as parameter 1.
 * Through a call, each "$K" becomes the caller's path of argument K.
 *
 * What it does NOT do: tell that two different paths are two objects
 * (two parameters may point to one); only an equal path proves the same
 * object.  The checks (sites.c) use that proof and nothing else.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

char *lo_obj_subst(const char *obj, const char *const *args, size_t nargs)
{
	const char *d, *a, *rest;
	char *end, *out;
	size_t k, np, na, nr;
	int dot = 0;

	if (!obj)
		return NULL;
	d = strchr(obj, '$');
	if (!d)
		return lo_xstrdup(obj);
	k = strtoul(d + 1, &end, 10);
	if (end == d + 1 || k >= nargs || !args || !args[k] ||
	    strchr(end, '$'))
		return NULL;
	a = args[k];
	rest = end;
	np = (size_t)(d - obj);
	/* (&X)->f is X.f, and *&X is X */
	if (a[0] == '&' && strncmp(rest, "->", 2) == 0) {
		a++;
		rest += 2;
		dot = 1;
	} else if (a[0] == '&' && np && obj[np - 1] == '*') {
		a++;
		np--;
	}
	na = strlen(a);
	nr = strlen(rest);
	out = lo_xcalloc(np + na + dot + nr + 1, 1);
	memcpy(out, obj, np);
	memcpy(out + np, a, na);
	if (dot)
		out[np + na] = '.';
	memcpy(out + np + na + dot, rest, nr);
	/* &*P is P */
	if (out[0] == '&' && out[1] == '*')
		memmove(out, out + 2, strlen(out + 2) + 1);
	return out;
}

#!/usr/bin/env python3
"""gen-ops.py DIR N: a driver-model project under DIR, in the shape that
made the whole-kernel merge explode.  core.c holds foo->a across a call
through a struct type's function-pointer field, `ops->probe(f)`;
drv_K.c (K < N) are N drivers, each storing its own probe, which takes
foo->b, into a `struct foo_ops`; order.c takes foo->a inside foo->b.  The
only route from foo->a to foo->b is the indirect call, so whether the
cycle is found says whether the call was followed.  Every file also calls
the header's static inline foo_get() (it takes foo->r, inside
everything), whose copies the merge folds."""
import os
import sys

root, n = sys.argv[1], int(sys.argv[2])
os.makedirs(root, exist_ok=True)


def write(name, text):
    with open(os.path.join(root, name), "w") as f:
        f.write(text)


write("foo.h", """struct mutex { int owner; };
void mutex_lock(struct mutex *lock);
void mutex_unlock(struct mutex *lock);
struct foo { struct mutex a, b, r; int refs; };
struct foo_ops { int (*probe)(struct foo *f); };
static inline void foo_get(struct foo *f)
{
	mutex_lock(&f->r);
	f->refs++;
	mutex_unlock(&f->r);
}
""")
write("core.c", """#include "foo.h"

int foo_probe(struct foo *f, const struct foo_ops *ops)
{
	int ret;

	foo_get(f);
	mutex_lock(&f->a);
	ret = ops->probe(f);
	mutex_unlock(&f->a);
	return ret;
}
""")
write("order.c", """#include "foo.h"

void foo_reorder(struct foo *f)
{
	foo_get(f);
	mutex_lock(&f->b);
	mutex_lock(&f->a);
	mutex_unlock(&f->a);
	mutex_unlock(&f->b);
}
""")
for k in range(n):
    write("drv_%d.c" % k, """#include "foo.h"

static int drv_%d_probe(struct foo *f)
{
	foo_get(f);
	mutex_lock(&f->b);
	mutex_unlock(&f->b);
	return 0;
}

const struct foo_ops drv_%d_ops = { .probe = drv_%d_probe };
""" % (k, k, k))

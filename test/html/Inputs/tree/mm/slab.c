/*
 * mm/slab.c - part of the HTML report's test tree: kernel-style code,
 * indented with tabs, with a recursive acquisition, a sleeping lock taken
 * under a spinlock, and half of a circular dependency with fs/inode.c.
 *
 * slab_grow() has a line aligned with tabs above one aligned with spaces
 * to the same columns: the test measures that the report renders both
 * alike.  Keep them within three lines of the acquisitions.
 */
#include <linux/locks.h>

void slab_grow(struct kmem_cache *s)
{
	int tabs = 1;	/* col 24 */
        int spaces = 2; /* col 24 */
	mutex_lock(&s->mutex);
	mutex_lock(&s->mutex);
	s->nr_slabs += tabs + spaces;
	mutex_unlock(&s->mutex);
	mutex_unlock(&s->mutex);
}

void slab_shrink(struct kmem_cache *s)
{
	spin_lock(&s->list_lock);
	if (s->nr_slabs > 1)
		mutex_lock(&s->mutex);	/* a long line follows */
	s->nr_slabs = s->nr_slabs / 2 + s->nr_slabs / 4 + s->nr_slabs / 8 + s->nr_slabs / 16 + s->nr_slabs / 32 + s->nr_slabs / 64 + s->nr_slabs / 128 + s->nr_slabs / 256; /* long */
	mutex_unlock(&s->mutex);
	spin_unlock(&s->list_lock);
}

void slab_flush(struct kmem_cache *s)
{
	mutex_lock(&s->mutex);
	s->nr_slabs = 0;
	mutex_unlock(&s->mutex);
}

void slab_drop_inode(struct kmem_cache *s, struct inode *inode)
{
	mutex_lock(&s->mutex);
	mutex_lock(&inode->i_mutex);
	inode->i_cache = (void *)0;
	mutex_unlock(&inode->i_mutex);
	mutex_unlock(&s->mutex);
}

void slab_lock_lists(struct kmem_cache *a, struct kmem_cache *b)
{
	spin_lock(&a->list_lock);
	spin_lock(&b->list_lock);
	spin_unlock(&b->list_lock);
	spin_unlock(&a->list_lock);
}

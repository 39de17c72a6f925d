/*
 * fs/inode.c - part of the HTML report's test tree: an order the rules
 * forbid, a sleeping lock under a spinlock, and the other half of the
 * circular dependency with mm/slab.c.
 */
#include <linux/locks.h>

void inode_sync(struct inode *inode)
{
	mutex_lock(&inode->i_mutex);
	mutex_lock(&inode->i_sb->s_umount);
	mutex_unlock(&inode->i_sb->s_umount);
	mutex_unlock(&inode->i_mutex);
}

void inode_evict(struct inode *inode)
{
	spin_lock(&inode->i_lock);
	inode_sync(inode);
	spin_unlock(&inode->i_lock);
}

void inode_shrink_cache(struct inode *inode)
{
	mutex_lock(&inode->i_mutex);
	slab_flush(inode->i_cache);
	mutex_unlock(&inode->i_mutex);
}

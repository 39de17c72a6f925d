// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// seqlock-or-lock.c - include/linux/seqlock.h's "locking or lockless"
// readers: read_seqbegin_or_lock(lock, &seq) takes the lock only when seq
// is odd, need_seqretry(lock, seq) asks for a retry only when seq is even
// (`return !(seq & 1) && read_seqretry(lock, seq)`), and done_seqretry()
// drops the lock when seq is odd.  d_walk(), __dentry_path(),
// do_io_accounting() and getrusage() retry with seq = 1, so the locked pass
// never loops back with the lock held.
//
// Three things make that visible, none special to seqlocks:
//  1. what a callee knows at its return of *p (the holding way of
//     read_seqbegin_or_lock() knows `*seq & 1`) is, for a caller passing
//     &x, known of x;
//  2. a callee's way of returning keeps one outcome per value it returns,
//     each with what its paths know of the parameters: need_seqretry()
//     returns 0 where `seq & 1`, and its other outcome assumes `!(seq & 1)`,
//     which the caller's seq contradicts;
//  3. paths that assume different things of `seq & 1` are not joined.
//
// The bad_ case loops back while still holding the lock, and is reported.

#include "kernel.h"

typedef struct { unsigned sequence; spinlock_t lock; } seqlock_t;

extern seqlock_t rename_lock;
unsigned read_seqbegin(const seqlock_t *sl);
int read_seqretry(const seqlock_t *sl, unsigned start);

static inline void read_seqlock_excl(seqlock_t *sl)
{
	spin_lock(&sl->lock);	// expected-warning{{'sl->lock' acquired while already holding 'sl->lock'; possible recursive locking}}
				// expected-note@Inputs/kernel.h:72 {{'sl->lock' acquired here in 'spin_lock'}}
}

static inline void read_sequnlock_excl(seqlock_t *sl)
{
	spin_unlock(&sl->lock);
}

static inline void read_seqbegin_or_lock(seqlock_t *lock, int *seq)
{
	if (!(*seq & 1))	/* Even */
		*seq = read_seqbegin(lock);
	else			/* Odd */
		read_seqlock_excl(lock);	// expected-note{{'read_seqbegin_or_lock' calls 'read_seqlock_excl' here}}
}

static inline int need_seqretry(seqlock_t *lock, int seq)
{
	return !(seq & 1) && read_seqretry(lock, seq);
}

static inline void done_seqretry(seqlock_t *lock, int seq)
{
	if (seq & 1)
		read_sequnlock_excl(lock);
}

struct dentry { struct dentry *d_parent; spinlock_t d_lock; };
int d_visit(struct dentry *dentry);

// d_walk() and __dentry_path(): the locked pass does not retry.
void ok_d_walk(struct dentry *parent)
{
	int seq = 0;

again:
	read_seqbegin_or_lock(&rename_lock, &seq);	// no-warning
	spin_lock(&parent->d_lock);
	d_visit(parent);
	spin_unlock(&parent->d_lock);
	if (need_seqretry(&rename_lock, seq)) {
		seq = 1;
		goto again;
	}
	done_seqretry(&rename_lock, seq);
}

// Retrying on something else, with the lock held, takes it twice.
void bad_retry_locked(struct dentry *parent)
{
	int seq = 0;

again:
	read_seqbegin_or_lock(&rename_lock, &seq);	// expected-note{{'sl->lock' acquired here in 'bad_retry_locked'}}
							// expected-note@-1 {{'bad_retry_locked' calls 'read_seqbegin_or_lock' here}}
	if (d_visit(parent)) {
		seq = 1;
		goto again;
	}
	done_seqretry(&rename_lock, seq);
}

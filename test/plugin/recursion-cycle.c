// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// recursion-cycle.c - functions that call each other in a cycle.  mm/hugetlb.c:
// hugepage_subpool_put_pages() takes spool->lock and drops it in
// unlock_or_release_subpool(), which may call hugetlb_acct_memory(), which
// frees surplus pages through free_huge_folio(), which calls
// hugepage_subpool_put_pages() again.  While the cycle is analysed, the
// call back into a function still under way is not known yet: what the
// functions of the cycle return holding is not trusted (none is), what
// they acquire still is.

#include "kvm.h"

struct hugepage_subpool { spinlock_t lock; long used_hpages, min_hpages; };
struct folio { struct hugepage_subpool *spool; };

struct folio *next_surplus_folio(void);
static void hugetlb_acct_memory(long delta);

static inline void unlock_or_release_subpool(struct hugepage_subpool *spool,
					     unsigned long flags)
{
	spin_unlock_irqrestore(&spool->lock, flags);
	if (spool->used_hpages == 0)
		hugetlb_acct_memory(-spool->min_hpages);
}

static long hugepage_subpool_put_pages(struct hugepage_subpool *spool, long delta)
{
	unsigned long flags;

	// reached from bad_put_pages_under_lock() only:
	spin_lock_irqsave(&spool->lock, flags);	// expected-warning{{'spool->lock' acquired while already holding 'spool->lock'; possible recursive locking}}
	spool->used_hpages -= delta;
	unlock_or_release_subpool(spool, flags);
	return delta;
}

static void free_huge_folio(struct folio *folio)
{
	hugepage_subpool_put_pages(folio->spool, 1);
}

static void hugetlb_acct_memory(long delta)
{
	if (delta < 0)
		free_huge_folio(next_surplus_folio());
}

void ok_put_pages_twice(struct hugepage_subpool *spool)
{
	hugepage_subpool_put_pages(spool, 1);
	hugepage_subpool_put_pages(spool, 1);	// no-warning: the first released it
}

// What a function of the cycle acquires is still checked at its callers:
// this caller really holds spool->lock, and the finding is at the
// spin_lock_irqsave() in hugepage_subpool_put_pages() above; reached from
// ok_put_pages_twice(), it is not reported.
void bad_put_pages_under_lock(struct hugepage_subpool *spool)
{
	unsigned long flags;

	spin_lock_irqsave(&spool->lock, flags);	// expected-note{{'spool->lock' acquired here in 'bad_put_pages_under_lock'}}
	hugepage_subpool_put_pages(spool, 1);	// expected-note{{'bad_put_pages_under_lock' calls 'hugepage_subpool_put_pages' here}}
	spin_unlock_irqrestore(&spool->lock, flags);
}

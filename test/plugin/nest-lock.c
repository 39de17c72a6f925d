// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// nest-lock.c - lockdep's nest_lock: down_write_nest_lock(sem, nest) takes
// sem with nest held, and lockdep lets any number of semaphores of sem's
// class be held at once that way, each taken once.  mm/vma.c
// mm_take_all_locks() takes every anon_vma root and every mapping of an mm
// under mm->mmap_lock.  Taking another of the class under the nest lock is
// no recursive locking; taking one the plain way is.

#include "kvm.h"

struct anon_vma { struct anon_vma *root; struct rw_semaphore rwsem; unsigned long flags; };
struct vm_area_struct { struct anon_vma *anon_vma; struct vm_area_struct *next; };
struct mm_struct { struct rw_semaphore mmap_lock; struct vm_area_struct *vmas; };
int test_bit(int nr, unsigned long *p);
void __set_bit(int nr, unsigned long *p);

static void vm_lock_anon_vma(struct mm_struct *mm, struct anon_vma *anon_vma)
{
	if (!test_bit(0, &anon_vma->root->flags)) {
		down_write_nest_lock(&anon_vma->root->rwsem, &mm->mmap_lock);	// no-warning
		__set_bit(0, &anon_vma->root->flags);
	}
}

void ok_take_all_locks(struct mm_struct *mm)
{
	struct vm_area_struct *vma;

	down_write(&mm->mmap_lock);
	for (vma = mm->vmas; vma; vma = vma->next)
		if (vma->anon_vma)
			vm_lock_anon_vma(mm, vma->anon_vma);
}

// Without the nest lock, two of the class are recursive locking.
void bad_two_roots_plain(struct anon_vma *a, struct anon_vma *b)
{
	down_write(&a->root->rwsem);		// expected-note{{'anon_vma->root->rwsem' acquired here in 'bad_two_roots_plain'}}
	down_write(&b->root->rwsem);		// expected-warning{{'anon_vma->root->rwsem' acquired while already holding 'anon_vma->root->rwsem'; possible recursive locking}}
	up_write(&b->root->rwsem);
	up_write(&a->root->rwsem);
}

// mm/rmap.c anon_vma_ctor(): every anon_vma's rwsem gets this one key, so
// two roots are one lockdep class (lock-class-objects.c: without the key
// in sight, two objects are no proven recursion).
void anon_vma_ctor(void *data)
{
	struct anon_vma *anon_vma = data;

	init_rwsem(&anon_vma->rwsem);
}

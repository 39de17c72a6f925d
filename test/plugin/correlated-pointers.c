// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// correlated-pointers.c - much kernel code keeps "which lock do I hold" in
// a pointer: NULL means nothing is held, anything else means that object's
// lock is.  mm/slub.c, mm/mlock.c, mm/vmscan.c and mm/compaction.c drop the
// lock they hold under `if (n)` / `if (locked)` before taking the next one,
// and find_lock_task_mm() returns the task it locked, or NULL.  Such a
// pointer is not NULL while the lock is held:
//
//  1. taking a lock through p (&p->lock, spinlock_check(&p->lock)) means p
//     is not NULL from there on that path;
//  2. a function that takes a lock through its parameter (task_lock(p))
//     tells its callers that the argument is not NULL, so a function
//     returning it returns nonzero with the lock held and NULL without;
//  3. a pointer argument the caller knows is not NULL (a pointer it locked
//     through, &x) or NULL is checked against what the callee's paths
//     assume of that parameter (`if (locked_lruvec) unlock(...)`);
//  4. a GNU statement expression's value is its last expression
//     (raw_spin_trylock_rcu_node());
//  5. a callee with a single way of returning still tells the value it
//     returns (debug_pagealloc_enabled() with CONFIG_DEBUG_PAGEALLOC off).
//
// Each ok_ case below is one of Linux 6.12's, once a false "possible
// recursive locking"; the bad_ case beside it gets the pointer test wrong,
// or really takes the lock twice, and is still reported.

#include "kernel.h"

typedef _Bool bool;

// ---- 1. A lock taken through a pointer: the pointer is not NULL --------

struct kmem_cache_node { spinlock_t list_lock; unsigned long nr_partial; };
struct slab { struct slab *next; int nid; int inuse; void *freelist; };
struct kmem_cache { struct kmem_cache_node *node[4]; };

static struct kmem_cache_node *get_node(struct kmem_cache *s, int nid)
{
	return s->node[nid];
}
void add_partial(struct kmem_cache_node *n, struct slab *slab);
int slab_update_freelist(struct slab *slab, void *old, void *new);

void ok_unlock_if_locked(struct kmem_cache_node *n)
{
	spin_lock(&n->list_lock);
	if (n)
		spin_unlock(&n->list_lock);
	spin_lock(&n->list_lock);	// no-warning: n is not NULL, the lock was dropped
	spin_unlock(&n->list_lock);
}

void bad_unlock_if_null(struct kmem_cache_node *n)
{
	spin_lock(&n->list_lock);	// expected-note{{'n->list_lock' acquired here in 'bad_unlock_if_null'}}
	if (!n)
		spin_unlock(&n->list_lock);
	spin_lock(&n->list_lock);	// expected-warning{{'n->list_lock' acquired while already holding 'n->list_lock'; possible recursive locking}}
					// expected-note@Inputs/kernel.h:72 {{'n->list_lock' acquired here in 'spin_lock'}}
	spin_unlock(&n->list_lock);
}

// mm/slub.c __put_partials(): the slabs are put back node by node; the
// previous node's lock is dropped (`if (n)`) before the next node's is
// taken, and the last one after the loop.  n is not NULL whenever its
// list_lock is held, so neither the loop nor ___slab_alloc(), which takes
// a node's list_lock after the call, holds two.
static void ok_put_partials(struct kmem_cache *s, struct slab *partial_slab)
{
	struct kmem_cache_node *n = NULL, *n2 = NULL;
	struct slab *slab;
	unsigned long flags = 0;

	while (partial_slab) {
		slab = partial_slab;
		partial_slab = slab->next;

		n2 = get_node(s, slab->nid);
		if (n != n2) {
			if (n)
				spin_unlock_irqrestore(&n->list_lock, flags);

			n = n2;
			spin_lock_irqsave(&n->list_lock, flags);	// no-warning
		}
		add_partial(n, slab);
	}

	if (n)
		spin_unlock_irqrestore(&n->list_lock, flags);
}

void ok_slab_alloc(struct kmem_cache *s, struct slab *slab)
{
	struct kmem_cache_node *n = get_node(s, 0);
	unsigned long flags;

	ok_put_partials(s, slab);
	spin_lock_irqsave(&n->list_lock, flags);	// no-warning: __put_partials() dropped its node's lock
	spin_unlock_irqrestore(&n->list_lock, flags);
}

// The test the wrong way round: the previous node's lock is kept.
static void bad_put_partials_test_reversed(struct kmem_cache *s,
					   struct slab *partial_slab)
{
	struct kmem_cache_node *n = NULL, *n2 = NULL;
	struct slab *slab;
	unsigned long flags = 0;

	while (partial_slab) {
		slab = partial_slab;
		partial_slab = slab->next;

		n2 = get_node(s, slab->nid);
		if (n != n2) {
			if (!n)
				spin_unlock_irqrestore(&n->list_lock, flags);

			n = n2;
			spin_lock_irqsave(&n->list_lock, flags);	// expected-warning{{'n->list_lock' acquired while already holding 'n->list_lock'; possible recursive locking}}
									// expected-note@-1 {{'n->list_lock' acquired here in 'bad_put_partials_test_reversed'}}
		}
		add_partial(n, slab);
	}

	if (n)
		spin_unlock_irqrestore(&n->list_lock, flags);
}

// mm/slub.c __slab_free(): a cmpxchg retry loop that takes n->list_lock
// speculatively, drops it at the top of the next try under
// `if (unlikely(n)) { unlock; n = NULL; }`, and returns at once under
// `if (likely(!n))`, which is only taken with nothing held.  So the retry
// takes no second list_lock, and __kmem_cache_free_bulk()'s loop gets
// __slab_free() back with nothing held.
static void ok_slab_free(struct kmem_cache *s, struct slab *slab, void *head)
{
	struct kmem_cache_node *n = NULL;
	unsigned long flags;
	void *prior;

	do {
		if (unlikely(n)) {
			spin_unlock_irqrestore(&n->list_lock, flags);
			n = NULL;
		}
		prior = slab->freelist;
		if (!prior) {
			n = get_node(s, slab->nid);
			spin_lock_irqsave(&n->list_lock, flags);	// no-warning: dropped before the retry
		}
	} while (!slab_update_freelist(slab, prior, head));

	if (likely(!n))
		return;

	slab->inuse--;
	spin_unlock_irqrestore(&n->list_lock, flags);
}

void ok_kmem_cache_free_bulk(struct kmem_cache *s, struct slab **p, int size)
{
	int i;

	for (i = 0; i < size; i++)
		ok_slab_free(s, p[i], NULL);	// no-warning
}

// The retry forgets n without dropping its lock: the next try takes it
// again.
static void bad_slab_free_retry_keeps_lock(struct kmem_cache *s,
					   struct slab *slab, void *head)
{
	struct kmem_cache_node *n = NULL;
	unsigned long flags;
	void *prior;

	do {
		if (unlikely(n))
			n = NULL;
		prior = slab->freelist;
		if (!prior) {
			n = get_node(s, slab->nid);
			spin_lock_irqsave(&n->list_lock, flags);	// expected-warning{{'n->list_lock' acquired while already holding 'n->list_lock'; possible recursive locking}}
									// expected-note@-1 {{'n->list_lock' acquired here in 'bad_slab_free_retry_keeps_lock'}}
		}
	} while (!slab_update_freelist(slab, prior, head));

	if (likely(!n))
		return;

	slab->inuse--;
	spin_unlock_irqrestore(&n->list_lock, flags);
}

// mm/compaction.c isolate_migratepages_block(): `locked = lruvec` just
// after taking lruvec->lru_lock, so locked is not NULL while a lock is
// held, and `if (locked)` drops it before the next lruvec's is taken.
struct lruvec { spinlock_t lru_lock; };
struct pglist_data { struct lruvec __lruvec; };
struct folio { struct lruvec *lv; int lru; };
struct folio_batch { int nr; struct folio *folios[15]; };

struct lruvec *folio_lruvec(struct folio *folio);
int folio_matches_lruvec(struct folio *folio, struct lruvec *lruvec);
struct pglist_data *folio_pgdat(struct folio *folio);

void ok_isolate_migratepages_block(struct folio **folios, int nr)
{
	struct lruvec *lruvec, *locked = NULL;
	int i;

	for (i = 0; i < nr; i++) {
		lruvec = folio_lruvec(folios[i]);
		if (lruvec != locked) {
			if (locked)
				spin_unlock(&locked->lru_lock);
			spin_lock(&lruvec->lru_lock);	// no-warning
			locked = lruvec;
		}
	}
	if (locked)
		spin_unlock(&locked->lru_lock);
}

// ---- 2. A function locking through its parameter: not NULL for callers --

#define offsetof(T, m)		__builtin_offsetof(T, m)
#define list_entry(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

struct list_head { struct list_head *next; };
struct mm_struct;
struct signal_struct { struct list_head thread_head; };
struct task_struct {
	spinlock_t alloc_lock;
	struct mm_struct *mm;
	struct signal_struct *signal;
	struct list_head thread_node;
	int pid;
};

// include/linux/sched/signal.h, via list_for_each_entry_rcu(): the loop
// never tests t itself against NULL.
#define for_each_thread(p, t)						\
	for (t = list_entry((p)->signal->thread_head.next,		\
			    struct task_struct, thread_node);		\
	     &t->thread_node != &(p)->signal->thread_head;		\
	     t = list_entry(t->thread_node.next, struct task_struct, thread_node))

// include/linux/sched/task.h
static inline void task_lock(struct task_struct *p)
{
	spin_lock(&p->alloc_lock);	// expected-warning{{'p->alloc_lock' acquired while already holding 'p->alloc_lock'; possible recursive locking}}
					// expected-note@Inputs/kernel.h:72 {{'p->alloc_lock' acquired here in 'spin_lock'}}
}

static inline void task_unlock(struct task_struct *p)
{
	spin_unlock(&p->alloc_lock);
}

void pr_info(const char *fmt, ...);

// After task_lock(p), p is not NULL: the early return is not taken with
// the lock held.
static void ok_task_lock_then_test(struct task_struct *p)
{
	task_lock(p);
	if (!p)
		return;
	task_unlock(p);
}

void ok_after_task_lock_then_test(struct task_struct *p)
{
	ok_task_lock_then_test(p);
	spin_lock(&p->alloc_lock);	// no-warning: released on the only way back
	spin_unlock(&p->alloc_lock);
}

static void bad_task_lock_then_test_reversed(struct task_struct *p)
{
	task_lock(p);
	if (p)
		return;
	task_unlock(p);
}

void bad_after_task_lock_then_test(struct task_struct *p)
{
	bad_task_lock_then_test_reversed(p);	// expected-note{{'p->alloc_lock' acquired here in 'bad_after_task_lock_then_test'}}
	spin_lock(&p->alloc_lock);		// expected-warning{{'p->alloc_lock' acquired while already holding 'p->alloc_lock'; possible recursive locking}}
						// expected-note@Inputs/kernel.h:72 {{'p->alloc_lock' acquired here in 'spin_lock'}}
	spin_unlock(&p->alloc_lock);
}

// mm/oom_kill.c find_lock_task_mm(): returns the thread it locked, or NULL
// with nothing held.  dump_task() returns early if there was none, and
// dump_tasks() calls it for every task.
struct task_struct *find_lock_task_mm(struct task_struct *p)
{
	struct task_struct *t;

	rcu_read_lock();

	for_each_thread(p, t) {
		task_lock(t);			// expected-note{{'find_lock_task_mm' calls 'task_lock' here}}
		if (likely(t->mm))
			goto found;
		task_unlock(t);
	}
	t = NULL;
found:
	rcu_read_unlock();

	return t;
}

static void ok_dump_task(struct task_struct *p)
{
	struct task_struct *task;

	task = find_lock_task_mm(p);
	if (!task)
		return;			// no-warning: nothing is held when task is NULL

	pr_info("%d\n", task->pid);
	task_unlock(task);
}

void ok_dump_tasks(struct task_struct **procs, int n)
{
	int i;

	for (i = 0; i < n; i++)
		ok_dump_task(procs[i]);	// no-warning
}

// A caller that really holds the thread's lock and takes it again.
void bad_lock_found_task_again(struct task_struct *p)
{
	struct task_struct *task;

	task = find_lock_task_mm(p);		// expected-note{{'p->alloc_lock' acquired here in 'bad_lock_found_task_again'}}
	if (!task)
		return;
	spin_lock(&task->alloc_lock);		// expected-warning{{'p->alloc_lock' acquired while already holding 'p->alloc_lock'; possible recursive locking}}
						// expected-note@Inputs/kernel.h:72 {{'p->alloc_lock' acquired here in 'spin_lock'}}
	spin_unlock(&task->alloc_lock);
	task_unlock(task);
}

// The test the wrong way round: the task found is returned locked, and the
// next call of the loop takes a thread's lock again, in task_lock().
static void bad_dump_task_test_reversed(struct task_struct *p)
{
	struct task_struct *task;

	task = find_lock_task_mm(p);		// expected-note{{'bad_dump_task_test_reversed' calls 'find_lock_task_mm' here}}
	if (task)
		return;

	pr_info("no mm\n");
}

void bad_dump_tasks(struct task_struct **procs, int n)
{
	int i;

	for (i = 0; i < n; i++)
		bad_dump_task_test_reversed(procs[i]);	// expected-note{{'p->alloc_lock' acquired here in 'bad_dump_tasks'}}
							// expected-note@-1 {{'bad_dump_tasks' calls 'bad_dump_task_test_reversed' here}}
}

// ---- 3. A pointer argument known not NULL, against the callee's paths --

// include/linux/memcontrol.h: folio_lruvec_relock_irq(folio, locked)
// drops the lock of the lruvec passed in, if any (`if (locked_lruvec)`),
// unless it is the folio's, and takes the folio's lruvec's lock.
static inline struct lruvec *folio_lruvec_lock_irq(struct folio *folio)
{
	struct lruvec *lruvec = folio->lv;

	spin_lock(&lruvec->lru_lock);	// expected-warning{{'lruvec->lru_lock' acquired while already holding 'lruvec->lru_lock'; possible recursive locking}}
					// expected-note@Inputs/kernel.h:72 {{'lruvec->lru_lock' acquired here in 'spin_lock'}}
	return lruvec;
}

static inline void unlock_page_lruvec_irq(struct lruvec *lruvec)
{
	spin_unlock(&lruvec->lru_lock);
}

static inline struct lruvec *folio_lruvec_relock_irq(struct folio *folio,
		struct lruvec *locked_lruvec)
{
	if (locked_lruvec) {
		if (folio_matches_lruvec(folio, locked_lruvec))
			return locked_lruvec;

		unlock_page_lruvec_irq(locked_lruvec);
	}

	return folio_lruvec_lock_irq(folio);	// expected-note{{'folio_lruvec_relock_irq' calls 'folio_lruvec_lock_irq' here}}
}

// mm/mlock.c mlock_folio_batch() -> __mlock_folio(): the lruvec returned
// holding its lock is not NULL, and __mlock_folio() passes its own
// parameter on unchanged, so folio_lruvec_relock_irq() is never entered
// with a lock held and locked_lruvec NULL.
static struct lruvec *__mlock_folio(struct folio *folio, struct lruvec *lruvec)
{
	lruvec = folio_lruvec_relock_irq(folio, lruvec);
	folio->lru = 1;
	return lruvec;
}

void ok_mlock_folio_batch(struct folio_batch *fbatch)
{
	struct lruvec *lruvec = NULL;
	int i;

	for (i = 0; i < fbatch->nr; i++)
		lruvec = __mlock_folio(fbatch->folios[i], lruvec);	// no-warning

	if (lruvec)
		unlock_page_lruvec_irq(lruvec);
}

// &x is never NULL either.
void ok_relock_address(struct folio *a, struct folio *b)
{
	struct pglist_data *pgdat = folio_pgdat(a);
	struct lruvec *lruvec;

	spin_lock(&pgdat->__lruvec.lru_lock);
	lruvec = folio_lruvec_relock_irq(b, &pgdat->__lruvec);	// no-warning
	unlock_page_lruvec_irq(lruvec);
}

// Holding a lruvec's lock and passing NULL: the callee takes another.
void bad_relock_passing_null(struct folio *a, struct folio *b)
{
	struct lruvec *lruvec;

	lruvec = folio_lruvec_lock_irq(a);		// expected-note{{'lruvec->lru_lock' acquired here in 'bad_relock_passing_null'}}
	lruvec = folio_lruvec_relock_irq(b, NULL);	// expected-note{{'bad_relock_passing_null' calls 'folio_lruvec_relock_irq' here}}
	unlock_page_lruvec_irq(lruvec);
}

// mm/vmscan.c check_move_unevictable_folios(), where (without memcg)
// folio_lruvec_lock_irq() locks and returns the node's own lruvec,
// &pgdat->__lruvec: not NULL.
static inline struct lruvec *node_lruvec_lock_irq(struct folio *folio)
{
	struct pglist_data *pgdat = folio_pgdat(folio);

	spin_lock(&pgdat->__lruvec.lru_lock);	// expected-warning{{'lruvec->lru_lock' acquired while already holding 'lruvec->lru_lock'; possible recursive locking}}
						// expected-note@Inputs/kernel.h:72 {{'lruvec->lru_lock' acquired here in 'spin_lock'}}
	return &pgdat->__lruvec;
}

static inline struct lruvec *node_lruvec_relock_irq(struct folio *folio,
		struct lruvec *locked_lruvec)
{
	if (locked_lruvec) {
		if (folio_matches_lruvec(folio, locked_lruvec))
			return locked_lruvec;
		spin_unlock(&locked_lruvec->lru_lock);
	}
	return node_lruvec_lock_irq(folio);
}

void ok_check_move_unevictable_folios(struct folio **folios, int nr)
{
	struct lruvec *lruvec = NULL;
	int i;

	for (i = 0; i < nr; i++)
		lruvec = node_lruvec_relock_irq(folios[i], lruvec);	// no-warning
	if (lruvec)
		spin_unlock(&lruvec->lru_lock);
}

// Locking each folio's lruvec instead of relocking: the previous one is
// still held.
void bad_check_move_lock_each(struct folio **folios, int nr)
{
	struct lruvec *lruvec = NULL;
	int i;

	for (i = 0; i < nr; i++)
		lruvec = node_lruvec_lock_irq(folios[i]);	// expected-note{{'lruvec->lru_lock' acquired here in 'bad_check_move_lock_each'}}
								// expected-note@-1 {{'bad_check_move_lock_each' calls 'node_lruvec_lock_irq' here}}
	if (lruvec)
		spin_unlock(&lruvec->lru_lock);
}

// ---- 4. A statement expression's value is its last expression ------------

struct rcu_node { struct mutex lock; unsigned long gp_seq; };
struct rcu_data { struct rcu_node *mynode; unsigned long gp_seq; };

// kernel/rcu/rcu.h (raw_spin_trylock() is mutex_trylock() here).
#define raw_spin_trylock_rcu_node(p)			\
({							\
	bool ___locked = mutex_trylock(&p->lock);	\
							\
	if (___locked)					\
		cond_resched();				\
	___locked;					\
})

// kernel/rcu/tree.c note_gp_changes(): returns at once if nothing changed
// or the trylock failed; rcu_core() and friends lock rnp afterwards.
static void ok_note_gp_changes(struct rcu_data *rdp)
{
	struct rcu_node *rnp = rdp->mynode;

	if (rdp->gp_seq == rnp->gp_seq || !raw_spin_trylock_rcu_node(rnp))
		return;
	rdp->gp_seq = rnp->gp_seq;
	mutex_unlock(&rnp->lock);
}

void ok_rcu_core(struct rcu_data *rdp)
{
	ok_note_gp_changes(rdp);
	mutex_lock(&rdp->mynode->lock);		// no-warning: note_gp_changes() holds nothing on return
	mutex_unlock(&rdp->mynode->lock);
}

void ok_trylock_stmt_expr_failed(struct rcu_node *rnp)
{
	if (raw_spin_trylock_rcu_node(rnp)) {
		mutex_unlock(&rnp->lock);
		return;
	}
	mutex_lock(&rnp->lock);			// no-warning: the trylock failed
	mutex_unlock(&rnp->lock);
}

// The test the wrong way round: returns holding rnp->lock when the trylock
// succeeds.
static void bad_note_gp_changes_test_reversed(struct rcu_data *rdp)
{
	struct rcu_node *rnp = rdp->mynode;

	if (rdp->gp_seq == rnp->gp_seq || raw_spin_trylock_rcu_node(rnp))
		return;
	rdp->gp_seq = rnp->gp_seq;
}

void bad_rcu_core(struct rcu_data *rdp)
{
	bad_note_gp_changes_test_reversed(rdp);	// expected-note{{'rcu_node.lock' acquired here in 'bad_rcu_core'}}
	mutex_lock(&rdp->mynode->lock);		// expected-warning{{'rcu_node.lock' acquired while already holding 'rcu_node.lock'; possible recursive locking}}
	mutex_unlock(&rdp->mynode->lock);
}

void bad_lock_after_trylock_stmt_expr(struct rcu_node *rnp)
{
	if (!raw_spin_trylock_rcu_node(rnp))	// expected-note{{'rcu_node.lock' acquired here in 'bad_lock_after_trylock_stmt_expr'}}
		return;
	mutex_lock(&rnp->lock);			// expected-warning{{'rcu_node.lock' acquired while already holding 'rcu_node.lock'; possible recursive locking}}
	mutex_unlock(&rnp->lock);
	mutex_unlock(&rnp->lock);
}

// ---- 5. A callee with one way of returning tells its value --------------

// include/linux/mm.h: IS_ENABLED(CONFIG_DEBUG_PAGEALLOC) && ..., with the
// option off: one way of returning, and it returns 0.
#define IS_ENABLED_CONFIG_DEBUG_PAGEALLOC	0
extern bool _debug_pagealloc_enabled_early;

static inline bool debug_pagealloc_enabled(void)
{
	return IS_ENABLED_CONFIG_DEBUG_PAGEALLOC &&
		_debug_pagealloc_enabled_early;
}

#define ENOMEM	12
static spinlock_t cpa_lock;
struct page;
struct cpa_data { int numpages; };
struct page *alloc_pages(unsigned int gfp, unsigned int order);

// arch/x86/mm/pat/set_memory.c split_large_page(): drops cpa_lock around
// the allocation and takes it back, under two tests of one value; its
// caller __change_page_attr_set_clr() holds cpa_lock around the call, in a
// loop, under the same test.
static int ok_split_large_page(struct cpa_data *cpa)
{
	struct page *base;

	if (!debug_pagealloc_enabled())
		spin_unlock(&cpa_lock);
	base = alloc_pages(0, 0);
	if (!debug_pagealloc_enabled())
		spin_lock(&cpa_lock);		// no-warning
	if (!base)
		return -ENOMEM;
	return 0;
}

int ok_change_page_attr_set_clr(struct cpa_data *cpa, int rempages)
{
	int ret = 0;

	while (rempages) {
		if (!debug_pagealloc_enabled())
			spin_lock(&cpa_lock);		// no-warning
		ret = ok_split_large_page(cpa);		// no-warning
		if (!debug_pagealloc_enabled())
			spin_unlock(&cpa_lock);
		if (ret)
			return ret;
		rempages--;
	}
	return ret;
}

// The first test the wrong way round: cpa_lock is never dropped, and taken
// again.
static int bad_split_large_page_test_reversed(struct cpa_data *cpa)
{
	struct page *base;

	if (debug_pagealloc_enabled())
		spin_unlock(&cpa_lock);
	base = alloc_pages(0, 0);
	if (!debug_pagealloc_enabled())
		spin_lock(&cpa_lock);		// expected-warning{{'cpa_lock' acquired while already holding 'cpa_lock'; possible recursive locking}}
						// expected-note@Inputs/kernel.h:72 {{'cpa_lock' acquired here in 'spin_lock'}}
	if (!base)
		return -ENOMEM;
	return 0;
}

int bad_change_page_attr_set_clr(struct cpa_data *cpa)
{
	int ret;

	if (!debug_pagealloc_enabled())
		spin_lock(&cpa_lock);				// expected-note{{'cpa_lock' acquired here in 'bad_change_page_attr_set_clr'}}
	ret = bad_split_large_page_test_reversed(cpa);		// expected-note{{'bad_change_page_attr_set_clr' calls 'bad_split_large_page_test_reversed' here}}
	if (!debug_pagealloc_enabled())
		spin_unlock(&cpa_lock);
	return ret;
}

// ---- The keys of these classes -------------------------------------------
//
// Two objects of one class held at once are recursive locking only where
// the unit sees the class's one key (lock-class-objects.c): the cases
// above take two nodes, tasks and lruvecs, so this unit sees their
// initialisation, as mm/slub.c sees init_kmem_cache_node()'s and a whole
// tree kernel/fork.c's copy_process() and mm/mmzone.c's lruvec_init().
void init_kmem_cache_node(struct kmem_cache_node *n)
{
	spin_lock_init(&n->list_lock);
}

void copy_process_alloc_lock(struct task_struct *p)
{
	spin_lock_init(&p->alloc_lock);
}

void lruvec_init(struct lruvec *lruvec)
{
	spin_lock_init(&lruvec->lru_lock);
}

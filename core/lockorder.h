/*
 * lockorder.h - the lockorder core: rules, the declared order, the checks,
 * summaries and their merge, and the words of a report.
 *
 * This is the one public header of the C core.  The Clang plugin and the
 * `lockorder` command both use it; neither reimplements what is here.  The
 * plugin reports what each function of a translation unit does into a
 * summary and runs lo_merge_run() over that one summary for the compile's
 * findings; `lockorder merge` and `check` run the same over a whole tree's
 * summaries.  So every interprocedural step (a callee's summary applied at
 * a call, the fixpoint, indirect calls, the checks, cycles, building and
 * grouping findings, baseline keys and every output format) exists once,
 * here, and a finding is the same, at the same place, in every mode.
 *
 * What this library does NOT do: it never looks at C code.  It knows lock
 * classes only by the numbers and names its callers give it, and it never
 * decides what an expression locks.  That is the plugin's job, because only
 * the plugin has the AST.  What it does own is everything that can be said
 * without an AST: what the rules file says, whether holding one lock while
 * taking another breaks a rule, what translation units' summaries add up
 * to across files, and how all of it is put into words (text, JSON, SARIF,
 * HTML, DOT, baselines).
 *
 * Ownership: every object returned by a lo_*_new / lo_*_parse_* / _read
 * function is freed by the matching lo_*_free.  Strings reachable from a
 * lo_rules live as long as the lo_rules.  No function prints on its own:
 * those that write are given the FILE or the path to write to.
 *
 * Out of memory: one policy for the whole core.  Every allocation goes
 * through lo_xmalloc() and friends, which write "lockorder: out of memory"
 * to stderr and abort(); no function returns NULL for want of memory, so
 * no caller checks for it.  (A rules file, a summary and a merge are small
 * next to the compile they run in; threading a failure path through every
 * step would hide what each step does.)
 */
#ifndef LOCKORDER_H
#define LOCKORDER_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- lock kinds ------------------------------------------------------- */

/* The kinds of lock the rules language names.  Sleeping kinds may block;
 * atomic kinds make the holder atomic (no sleeping until released). */
enum lo_kind {
	LO_KIND_NONE = 0,
	LO_MUTEX,
	LO_RWSEM,
	LO_PERCPU_RWSEM,
	LO_SEMAPHORE,
	LO_SPINLOCK,
	LO_RAW_SPINLOCK,
	LO_RWLOCK,
	LO_SRCU,
	LO_RCU,
};

/* "mutex", "spinlock", ...; "lock" for LO_KIND_NONE. Never NULL. */
const char *lo_kind_name(enum lo_kind kind);
/* The kind spelled NAME, or LO_KIND_NONE. */
enum lo_kind lo_kind_from_name(const char *name);
/* Nonzero when taking a lock of this kind may sleep. */
int lo_kind_sleeps(enum lo_kind kind);
/* Nonzero when holding a lock of this kind (any mode) makes the holder
 * atomic: spinlocks, rwlocks, raw spinlocks and rcu read sections. */
int lo_kind_atomic(enum lo_kind kind);
/* Nonzero when two shared acquisitions of the same lock of this kind may
 * nest without deadlock (srcu, rcu, rwlock readers). */
int lo_kind_recursive_read(enum lo_kind kind);
/* The kind implied by the C type that holds the lock: "mutex",
 * "spinlock", "spinlock_t", "raw_spinlock", "rwlock_t", "rw_semaphore",
 * "percpu_rw_semaphore", "semaphore", "srcu_struct".  LO_KIND_NONE if the
 * type is not one of Linux's lock types. */
enum lo_kind lo_kind_from_type(const char *type_name);

/* ---- errors ----------------------------------------------------------- */

enum lo_severity { LO_SEV_ERROR, LO_SEV_WARNING, LO_SEV_NOTE };

/* One problem found in a rules file.  FILE is the file as it was named
 * (the including file's directory joined with the include's path). */
struct lo_error {
	enum lo_severity severity;
	char *file;
	int line, col; /* 1-based; col 0 when unknown */
	char *msg;     /* Clang's voice: lowercase, no final period */
};

/* A growable list of errors.  Zero-initialise it; free with
 * lo_errors_free().  n_errors counts LO_SEV_ERROR entries only. */
struct lo_errors {
	struct lo_error *v;
	size_t n, cap;
	size_t n_errors;
};

void lo_errors_free(struct lo_errors *errs);
/* Appends one entry to ERRS: FILE (copied; NULL for none), LINE and COL
 * (0 when unknown) and the message formatted from FMT.  Counts it in
 * n_errors when SEV is LO_SEV_ERROR.  (Added for the summary readers that come later.) */
void lo_errors_add(struct lo_errors *errs, enum lo_severity sev,
		   const char *file, int line, int col, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
	__attribute__((format(printf, 6, 7)))
#endif
	;
/* Writes every entry as "FILE:LINE:COL: error: MSG\n" to OUT ("warning",
 * "note" for the other severities; ":COL" left out when col is 0 and
 * ":LINE:COL" when line is 0). */
void lo_errors_print(const struct lo_errors *errs, FILE *out);

/* ---- rules ------------------------------------------------------------ */

typedef struct lo_rules lo_rules;

/* A declared lock class, as the rules spell it.  "kvm->arch.xen.xen_lock"
 * has root "kvm" (a type alias, root_tag "kvm" for struct kvm) and fields
 * {"arch", "xen", "xen_lock"}.  "kvm_lock" and "cpus_read_lock" have no
 * root: they name a global variable or the function that takes them. */
struct lo_lock {
	const char *name;
	enum lo_kind kind;
	const char *root;     /* type alias, or NULL */
	const char *root_tag; /* struct tag the alias names, or NULL */
	const char *const *fields;
	size_t nfields;
	const char *file;
	int line, col;
	int leaf;             /* nothing declared is taken inside it */
	int leaf_rule;        /* index of the rule making it a leaf, or -1 */
};

enum lo_effect_op { LO_ACQUIRE, LO_RELEASE, LO_WAIT, LO_ASSERT, LO_KEY };

/* When a conditional acquisition succeeds. */
enum lo_cond { LO_ALWAYS, LO_IF_RETURNS_ZERO, LO_IF_RETURNS_NONZERO };

/* What a function does to one lock.  The lock is either one of the
 * function's parameters (param >= 0) or a declared lock (lock >= 0). */
struct lo_effect {
	enum lo_effect_op op;
	int shared;
	int param;        /* parameter index, or -1 */
	int lock;         /* declared lock index, or -1 */
	int nested_param; /* parameter giving the lockdep subclass, or -1 */
	enum lo_cond cond;
	int trylock;      /* "tries": taken without blocking, or not at all */
	int nest_param;   /* "under N": parameter naming the nest lock, or -1 */
	int key_param;    /* LO_KEY, "keys L with K": the key's parameter */
};

struct lo_function {
	const char *name; /* may end in '*' */
	const char *const *params;
	size_t nparams;
	const struct lo_effect *effects;
	size_t neffects;
	const char *file;
	int line;
};

enum lo_rule_kind {
	LO_RULE_OUTSIDE,  /* A outside B, or B inside A */
	LO_RULE_LEAF,     /* leaf L, leaf * */
	LO_RULE_REQUIRES, /* A requires B */
	LO_RULE_NEVER,    /* never L in F */
};

/* One order statement of the rules file, for notes: "rule stated here". */
struct lo_rule {
	enum lo_rule_kind kind;
	const char *file;
	int line;
	const char *text; /* the statement, whitespace normalised */
};

/* Parses the rules file PATH and everything it includes.  Returns NULL
 * when any error was found; every problem (not just the first) is
 * appended to ERRS, which the caller frees.  On success the caller frees
 * the result with lo_rules_free().  An unreadable file is an error at
 * line 0 naming the file and strerror(). */
lo_rules *lo_rules_parse_file(const char *path, struct lo_errors *errs);

/* Like lo_rules_parse_file() on TEXT (LEN bytes, need not be
 * NUL-terminated), named NAME in errors.  Includes are resolved relative
 * to NAME's directory unless ALLOW_INCLUDE is zero, in which case an
 * include is an error (the fuzzer uses that). */
lo_rules *lo_rules_parse_string(const char *text, size_t len,
				const char *name, int allow_include,
				struct lo_errors *errs);

void lo_rules_free(lo_rules *rules);

/* Type aliases: "kvm" -> "kvm" (struct kvm), "vcpu" -> "kvm_vcpu". */
size_t lo_rules_type_count(const lo_rules *r);
const char *lo_rules_type_alias(const lo_rules *r, size_t i);
const char *lo_rules_type_tag(const lo_rules *r, size_t i);

size_t lo_rules_lock_count(const lo_rules *r);
const struct lo_lock *lo_rules_lock(const lo_rules *r, size_t i);
/* Index of the lock spelled NAME, or -1. */
int lo_rules_find_lock(const lo_rules *r, const char *name);

size_t lo_rules_function_count(const lo_rules *r);
const struct lo_function *lo_rules_function(const lo_rules *r, size_t i);
/* The function NAME: an exact declaration first, then the longest
 * matching pattern ending in '*'.  NULL if none. */
const struct lo_function *lo_rules_find_function(const lo_rules *r,
						 const char *name);

size_t lo_rules_rule_count(const lo_rules *r);
const struct lo_rule *lo_rules_rule(const lo_rules *r, size_t i);
/* The edges of the declared order as stated (not the closure): lock FROM
 * outside lock TO, from rule RULE.  Returns 0, or -1 past the end. */
size_t lo_rules_edge_count(const lo_rules *r);
int lo_rules_edge(const lo_rules *r, size_t i, int *from, int *to, int *rule);

/* Nonzero when the rules put lock A outside lock B, directly or through
 * the transitive closure (A is taken first).  When PATH is not NULL it
 * receives up to MAX rule indexes of the statements that make it so, in
 * order from A to B, and *NPATH their number. */
int lo_rules_outside(const lo_rules *r, int a, int b, int *path, size_t max,
		     size_t *npath);

/* Writes the normalised relation: kinds, functions, every ordered pair of
 * the closure with the statement(s) it comes from, leaves, requirements
 * and never-rules, sorted by name.  For `lockorder rules`. */
void lo_rules_print(const lo_rules *r, FILE *out);

/* Writes the rules back as sentences in the voice of locking.rst, one
 * bullet per order statement in file order, each with its file:line, so
 * that the document and the rules file can be compared.  For `lockorder
 * explain`. */
void lo_rules_explain(const lo_rules *r, FILE *out);

/* Nonzero when glob PATTERN (only a trailing '*' is special) matches S. */
int lo_glob_match(const char *pattern, const char *s);

/* ---- checks ----------------------------------------------------------- */

/* A lock held at a program point.  CLS identifies the lock class within
 * one analysis (any numbering the caller likes, equal for equal classes);
 * DECL is its declared lock index or -1 for a lock the rules do not
 * declare. */
struct lo_held {
	int cls;
	int decl;
	enum lo_kind kind;
	int shared;
	int subclass; /* lockdep subclass; negative when it cannot be told */
};

/* An acquisition (op LO_ACQUIRE) or a wait for every reader (op LO_WAIT,
 * synchronize_srcu) about to happen while some locks are held.
 * FUNCTION is the function whose code (or callee) does it, for `never`. */
struct lo_acq {
	int cls;
	int decl;
	enum lo_kind kind;
	int shared;
	int subclass;
	enum lo_effect_op op;
	int trylock;
	const char *function;
};

enum lo_violation_kind {
	LO_V_ORDER,       /* A taken while holding B; rules put A outside B */
	LO_V_SRCU_READER, /* A taken in a read section of S; A outside S */
	LO_V_SRCU_SYNC,   /* waiting for S while holding A; A inside S */
	LO_V_SRCU_SELF,   /* waiting for S inside a read section of S */
	LO_V_LEAF,        /* anything declared taken inside a leaf */
	LO_V_REQUIRES,    /* A taken without B; rules say A requires B */
	LO_V_NEVER,       /* L taken in F; rules say never L in F */
	LO_V_ATOMIC,      /* sleeping lock or wait while atomic */
	LO_V_RECURSIVE,   /* a lock taken while already held */
	LO_V_INVERSION,   /* A then B here, B then A elsewhere; no rule */
};

struct lo_violation {
	enum lo_violation_kind kind;
	int held;  /* index into the held array, or -1 */
	int rule;  /* index of the rule broken, or -1 */
	int other; /* LO_V_REQUIRES: the missing lock's decl index, else -1 */
};

/* Nonzero when ACQ can block, and so be the acquisition that waits in a
 * deadlock: a wait for every reader, or an acquisition that is neither a
 * trylock nor a shared srcu/rcu read lock.  Only such an acquisition breaks
 * an order or adds an edge to the observed order; the one test every
 * caller uses. */
int lo_acq_blocks(const struct lo_acq *acq);

/* Checks one acquisition against the locks held.  Writes at most MAX
 * violations to OUT and returns how many there are (which may exceed
 * MAX).  A shared srcu acquisition and a trylock never break an order
 * (neither can block); holding them can. */
size_t lo_check_acquire(const lo_rules *r, const struct lo_held *held,
			size_t nheld, const struct lo_acq *acq,
			struct lo_violation *out, size_t max);

/* The warning text for V, in Clang's voice:
 *   'kvm->lock' acquired while holding 'vcpu->mutex'; rules put
 *   'kvm->lock' outside 'vcpu->mutex'
 * ACQ_NAME names the acquired lock, HELD_NAME the held one (NULL when
 * V has none), FUNCTION the function for LO_V_NEVER.  Returns a string
 * the caller frees with free(); NULL only for a kind it does not know. */
char *lo_violation_message(const lo_rules *r, const struct lo_violation *v,
			   const struct lo_acq *acq, const char *acq_name,
			   const struct lo_held *held, const char *held_name);

/* ---- lock objects ----------------------------------------------------- */

/* OBJ, a lock object's path in a callee's terms ("&$0->mutex"), in its
 * caller's: each "$K" is replaced by ARGS[K], the caller's path of the
 * K-th argument (NULL when it cannot be told).  Returns a new string the
 * caller frees, or NULL when OBJ is NULL or names an argument not told. */
char *lo_obj_subst(const char *obj, const char *const *args, size_t nargs);

/* ---- ways of returning ---------------------------------------------- */

/* A lock as a function's caller numbers it: a class (CLS >= 0, any
 * numbering the caller likes), or the lock its parameter PARAM points to
 * (CLS -1; DEREF: the lock *PARAM points to). */
struct lo_lockref {
	int cls;
	int param;
	int deref;
};

/* Nonzero when A and B are the same lock. */
int lo_lockref_eq(const struct lo_lockref *a, const struct lo_lockref *b);

/* What is known of a return value. */
enum lo_retval { LO_RET_UNKNOWN, LO_RET_ZERO, LO_RET_NONZERO,
		 LO_RET_NEGATIVE };

/* A lock a function returns holding; SITE is the caller's number for
 * where it was taken (the plugin: a source location). */
struct lo_rhold {
	struct lo_lockref lock;
	int shared, subclass;
	unsigned site;
	const char *obj; /* the object (lo_sref's obj), or NULL; not owned */
};

/* One way of returning: the value known, the locks returned holding, and
 * the caller's locks released. */
struct lo_return {
	enum lo_retval ret;
	struct lo_rhold *holds;
	size_t nholds;
	struct lo_lockref *releases;
	size_t nreleases;
};

/* A function's ways of returning (returns.c says how they are joined).
 * lo_returns_new() never returns NULL; free with lo_returns_free(). */
typedef struct lo_returns lo_returns;
#define LO_MAX_RETURNS 4

lo_returns *lo_returns_new(void);
void lo_returns_free(lo_returns *r);
/* Adds one way of returning (the arrays are copied), joined with a way
 * that holds the same locks, or, past LO_MAX_RETURNS ways, with the last. */
void lo_returns_add(lo_returns *r, enum lo_retval ret,
		    const struct lo_rhold *holds, size_t nholds,
		    const struct lo_lockref *releases, size_t nreleases);
size_t lo_returns_count(const lo_returns *r);
/* The I-th way, valid until the next lo_returns_add(); NULL past the end. */
const struct lo_return *lo_returns_get(const lo_returns *r, size_t i);

/* ---- summaries -------------------------------------------------------- */

/* What one translation unit says about its functions, for `lockorder
 * merge`: every function it analysed (those of the main file and the
 * header inlines they reached), the acquisitions each makes itself, every
 * call with the locks held at it, what each returns holding, and every
 * function address stored where an indirect call may find it.  The format
 * on disk is JSON Lines, documented in docs/summary-format.md; version
 * LO_SUMMARY_VERSION.  Strings given to lo_summary_add_* are copied. */
#define LO_SUMMARY_VERSION 1

struct lo_loc {
	const char *file; /* as the compiler saw it: relative to directory */
	int line, col;
};

/* A lock as a function sees it: a class ("kvm_xen.xen_lock", the rules'
 * name when declared), or the lock its parameter PARAM points to (DEREF:
 * the lock *PARAM points to). */
struct lo_sref {
	const char *cls;  /* class key, or NULL for a parameter */
	const char *name; /* rules name or the code's spelling */
	enum lo_kind kind;
	int declared;     /* NAME is a lock the rules declare */
	int param;        /* parameter index, or -1 */
	int deref;
	/* The lock object's address as a path from the function's parameters
	 * and globals ("&$0->mutex", "&@rename_lock.lock"; see objpath.c),
	 * or NULL when it cannot be told. */
	const char *obj;
};

/* A lock held at a point of a function. */
struct lo_sheld {
	struct lo_sref lock;
	int shared, subclass, asserted;
	struct lo_loc at; /* where this function took (or asserted) it */
};

/* What a path assumes of one of its function's parameters: zero, nonzero,
 * negative, equal to VALUE (a switch case), or with some (LO_WHEN_BITS) or
 * none (LO_WHEN_NOBITS) of the bits of VALUE set (`flags & F`).  A caller
 * passing a value that contradicts it does not reach what the path does. */
enum lo_scond_kind { LO_WHEN_ZERO, LO_WHEN_NONZERO, LO_WHEN_NEGATIVE,
		     LO_WHEN_EQ, LO_WHEN_BITS, LO_WHEN_NOBITS };
struct lo_scond {
	int param;
	enum lo_scond_kind kind;
	long long value; /* LO_WHEN_EQ: the value; LO_WHEN_*BITS: the mask */
};

/* An acquisition (op LO_ACQUIRE) or a wait (LO_WAIT) that function FN
 * makes itself, through a function the rules describe. */
struct lo_sacq {
	const char *fn;
	int fn_static;
	struct lo_sref lock;
	enum lo_effect_op op;
	int shared, subclass, trylock;
	struct lo_loc at;
	const struct lo_sheld *held;
	size_t nheld;
	/* Its caller's locks FN has released by then (a function that drops
	 * its caller's lock around a call and takes it again). */
	const struct lo_sref *released;
	size_t nreleased;
	const struct lo_scond *when; /* what the path assumes of FN's params */
	size_t nwhen;
};

/* One argument of a call, as far as locks and functions go. */
enum lo_sarg_kind { LO_ARG_NONE, LO_ARG_LOCK, LO_ARG_FUNCTION, LO_ARG_INT,
		   LO_ARG_PARAM, LO_ARG_NONZERO };
struct lo_sarg {
	enum lo_sarg_kind kind;
	struct lo_sref lock;  /* LO_ARG_LOCK: the lock the argument points to */
	const char *fn;       /* LO_ARG_FUNCTION: the function's name */
	int fn_static;
	long long value;      /* LO_ARG_INT: an integer constant */
	int param;            /* LO_ARG_PARAM: the caller's own parameter */
	const char *obj;      /* a pointer argument as a path (objpath.c), or NULL */
	/* LO_ARG_NONZERO: a value the caller's path knows is not 0 (a
	 * pointer it took a lock through) */
};

/* A call FN makes: to CALLEE directly, or through TARGET, the key of a
 * function-pointer slot: "kvm_x86_ops.handle_exit" (field handle_exit of
 * any struct kvm_x86_ops), "var:kvm_vmx_exit_handlers" (an array or
 * variable of function pointers), "param:kvm_do_msr_access:3" (FN's own
 * function-pointer parameter).  Exactly one of CALLEE and TARGET is set. */
struct lo_scall {
	const char *fn;
	int fn_static;
	const char *callee;
	const char *target;
	struct lo_loc at;
	const struct lo_sheld *held;
	size_t nheld;
	const struct lo_sarg *args;
	size_t nargs;
	const struct lo_sref *released; /* as for lo_sacq */
	size_t nreleased;
	const struct lo_scond *when;    /* as for lo_sacq */
	size_t nwhen;
};

/* A function defined in the translation unit and analysed. */
struct lo_sfunc {
	const char *name;
	int is_static; /* internal linkage: known by (source, name) */
	int in_main;   /* defined in the main file (not a header inline) */
	struct lo_loc at;
	int nparams;
};

/* Function FN's address stored into the slot KEY (see lo_scall). */
struct lo_sstore {
	const char *key;
	const char *fn;
	int fn_static;
	struct lo_loc at;
};

/* Calls to NAME are calls through KEY: a static call's trampoline
 * ("__SCT__kvm_x86_handle_exit") updated from "kvm_x86_ops.handle_exit". */
struct lo_salias {
	const char *name;
	const char *key;
};

/* What FN returns holding (taken in it and not released), and which of its
 * caller's locks it releases, over all its ways of returning. */
struct lo_sret {
	const char *fn;
	int fn_static;
	const struct lo_sheld *holds;
	size_t nholds;
	const struct lo_sref *releases;
	size_t nreleases;
};

/* A rules lock spelled through a struct (kvm->arch.xen.xen_lock) whose
 * root struct this translation unit defines: whether the path named a
 * field here (WHY says what is missing when not). */
struct lo_sname {
	const char *lock;
	int resolved;
	const char *why;
};

/* A lock class key given to locks of class CLS (lockdep_set_class(),
 * mutex_init()'s static key at one place): KEY names the key, or is NULL
 * for one that differs between objects (&rcu_node_class[i], &h->key).
 * Locks of a class with more than one key, or a NULL one, may be of
 * several lockdep classes: taking two of them is no proven recursion.
 * NOVALIDATE: lockdep_set_novalidate_class(), never checked. */
struct lo_skey {
	const char *cls;
	const char *key;
	int novalidate;
};

typedef struct lo_summary lo_summary;

/* A new, empty summary for the translation unit SOURCE compiled in
 * DIRECTORY with the rules file RULES (any may be NULL).  Never NULL
 * (see "Out of memory" above); free with lo_summary_free(). */
lo_summary *lo_summary_new(const char *source, const char *directory,
			   const char *rules);
void lo_summary_free(lo_summary *s);

void lo_summary_add_function(lo_summary *s, const struct lo_sfunc *f);
void lo_summary_add_acq(lo_summary *s, const struct lo_sacq *a);
void lo_summary_add_call(lo_summary *s, const struct lo_scall *c);
void lo_summary_add_store(lo_summary *s, const struct lo_sstore *st);
void lo_summary_add_alias(lo_summary *s, const struct lo_salias *al);
void lo_summary_add_ret(lo_summary *s, const struct lo_sret *r);
void lo_summary_add_name(lo_summary *s, const struct lo_sname *n);
void lo_summary_add_key(lo_summary *s, const struct lo_skey *k);

/* Writes S to PATH atomically: to a temporary file in the same directory,
 * then rename(), so a parallel build never sees a torn summary.  Returns 0,
 * or -1 and sets *ERR to a message the caller frees with free(). */
int lo_summary_write(const lo_summary *s, const char *path, char **err);

/* Reads the summary at PATH.  Returns NULL and appends to ERRS (naming
 * the file, the line and what is wrong: missing, truncated, not JSON,
 * wrong version) when it cannot be used.  Caller frees the result with
 * lo_summary_free(). */
lo_summary *lo_summary_read(const char *path, struct lo_errors *errs);
/* Like lo_summary_read() on TEXT (LEN bytes, need not be NUL-terminated),
 * named NAME in errors.  For the fuzzer and the tests. */
lo_summary *lo_summary_read_string(const char *text, size_t len,
				   const char *name, struct lo_errors *errs);

/* The summary S as the text lo_summary_write() writes (LEN bytes, also
 * NUL-terminated); the caller frees it.  What the plugin embeds. */
char *lo_summary_write_string(const lo_summary *s, size_t *len);

/* The header's "producer" ("lockorder 0.1.0 (clang 19.1.7)"); "lockorder"
 * when never set.  PRODUCER is copied. */
void lo_summary_set_producer(lo_summary *s, const char *producer);
const char *lo_summary_producer(const lo_summary *s);

const char *lo_summary_source(const lo_summary *s);
const char *lo_summary_directory(const lo_summary *s);
const char *lo_summary_rules(const lo_summary *s);
/* The records, in the order they were added (or read).  A pointer stays
 * valid until the next lo_summary_add_* of the same kind. */
size_t lo_summary_function_count(const lo_summary *s);
const struct lo_sfunc *lo_summary_function(const lo_summary *s, size_t i);
size_t lo_summary_acq_count(const lo_summary *s);
const struct lo_sacq *lo_summary_acq(const lo_summary *s, size_t i);
size_t lo_summary_call_count(const lo_summary *s);
const struct lo_scall *lo_summary_call(const lo_summary *s, size_t i);
size_t lo_summary_store_count(const lo_summary *s);
const struct lo_sstore *lo_summary_store(const lo_summary *s, size_t i);
size_t lo_summary_alias_count(const lo_summary *s);
const struct lo_salias *lo_summary_alias(const lo_summary *s, size_t i);
size_t lo_summary_ret_count(const lo_summary *s);
const struct lo_sret *lo_summary_ret(const lo_summary *s, size_t i);
size_t lo_summary_name_count(const lo_summary *s);
const struct lo_sname *lo_summary_name(const lo_summary *s, size_t i);
size_t lo_summary_key_count(const lo_summary *s);
const struct lo_skey *lo_summary_key(const lo_summary *s, size_t i);

/* ---- the whole program ------------------------------------------------ */

/* lockorder's version: `lockorder --version`, SARIF's tool.driver. */
#define LO_VERSION "0.2.0"

/* One note of a finding: a hop of the call chain, the held lock's site,
 * a rule's line.  TEXT is worded in Clang's voice. */
struct lo_note {
	struct lo_loc at;
	char *text;
	int hop; /* nonzero for a step of the path (SARIF's codeFlows) */
};

/* A finding of `lockorder merge`: the warning at AT (in FN, of the
 * translation unit SOURCE) and its notes, in order. */
struct lo_finding {
	enum lo_violation_kind kind;
	char *message;
	struct lo_loc at;
	char *fn;
	char *source;    /* translation unit of AT, for paths relative to DIR */
	char *directory;
	int cross_file;  /* needs more than one translation unit to see */
	struct lo_note *notes;
	size_t nnotes;
	/* AT is on the path the steps (notes with hop set) walk, after the
	 * first AT_STEP of them: where the held lock was taken, each call
	 * down to the acquisition. */
	size_t at_step;
	char *key;       /* stable across unrelated edits (no line numbers) */
};

typedef struct lo_merge lo_merge;

/* A merge of summaries under rules R (which must outlive it): a whole
 * tree's, or the plugin's one translation unit.  Free with
 * lo_merge_free(). */
lo_merge *lo_merge_new(const lo_rules *r);
void lo_merge_free(lo_merge *m);
/* Adds S; the merge owns it from now on. */
void lo_merge_add(lo_merge *m, lo_summary *s);
/* Links the summaries, resolves indirect calls, computes every function's
 * transitive acquisitions to a fixpoint and checks every call.  With
 * LO_MERGE_ALL, also reports what one translation unit shows (the plugin
 * reports those at compile time).  Returns the number of findings,
 * sorted, one per deadlock (the shortest chain). */
#define LO_MERGE_ALL 1
size_t lo_merge_run(lo_merge *m, int flags);
/* The top of the tree (DIR, relative to the working directory or
 * absolute; NULL for none), set before lo_merge_run(): every path of the
 * findings and of the observed order is then written relative to it when
 * under it and absolute otherwise, without "." and "dir/.." segments
 * (lexically, no symlink resolved); each finding's DIRECTORY is the root.
 * Without one, a finding's paths are relative to its translation unit's
 * directory, or absolute.  lo_merge_root() is the root, made absolute, or
 * NULL. */
void lo_merge_set_root(lo_merge *m, const char *dir);
const char *lo_merge_root(const lo_merge *m);
/* The deepest directory holding the directory every added summary
 * recorded (the one they share, for a build that compiles at the top,
 * as kbuild does), or NULL when they share none but "/".  Caller frees. */
char *lo_merge_common_dir(const lo_merge *m);
size_t lo_merge_finding_count(const lo_merge *m);
/* Rules locks whose root struct some translation unit defines but whose
 * path names a field in none (a misspelling, or locking.rst's name for a
 * field the code calls otherwise): the lock's name and why, for the last
 * run.  Not a finding about the code, so not in the report. */
size_t lo_merge_unresolved_count(const lo_merge *m);

/* What the last lo_merge_run() worked on, for `merge --stats` and the
 * benchmarks: translation units; functions, and the copies of header
 * inlines folded into one (fold.c); calls, and those through a struct
 * type's function-pointer field too wide to follow (more than
 * WIDE_LIMIT functions stored in it, link.c); witnesses (a function
 * reaching a lock, one per route kept) and their distinct contexts;
 * chain nodes; lock classes. */
struct lo_merge_stats {
	size_t tus, functions, folded, calls, wide_calls, wide_limit;
	size_t witnesses, contexts, nodes, classes;
};
void lo_merge_get_stats(const lo_merge *m, struct lo_merge_stats *st);
const struct lo_sname *lo_merge_unresolved(const lo_merge *m, size_t i);
const struct lo_finding *lo_merge_finding(const lo_merge *m, size_t i);

/*
 * Summaries in a build's outputs.  The plugin embeds each translation
 * unit's summary in its object file, in the section LO_SUMMARY_SECTION
 * (SHF_EXCLUDE: final links drop it, `ld -r` keeps and concatenates it;
 * the kernel's linker scripts discard .discard.* from vmlinux and
 * modules).  A loader reads summary files, object files, archives
 * (regular and thin) and relocatable links of objects, adds each summary
 * to its merge once (a summary seen again through another file is a
 * duplicate, not added), and leaves out stale ones (the source no longer
 * exists where it was compiled), with a warning.  summary_objects.c
 */
#define LO_SUMMARY_SECTION ".discard.lockorder"
typedef struct lo_loader lo_loader;
lo_loader *lo_loader_new(lo_merge *m);
void lo_loader_free(lo_loader *l);
/* Adds the summaries in the file PATH.  Returns how many were added, or
 * -1 after appending to ERRS what is wrong (warnings, such as a stale
 * summary, are appended without failing). */
int lo_loader_add(lo_loader *l, const char *path, struct lo_errors *errs);
size_t lo_loader_added(const lo_loader *l);
size_t lo_loader_duplicates(const lo_loader *l);
size_t lo_loader_stale(const lo_loader *l);

/* "order", "srcu-reader", "srcu-sync", "srcu-self", "leaf", "requires",
 * "never", "atomic", "recursive", "inversion": the kind's name in JSON
 * output and, as "lockorder/NAME", SARIF's rule id.  Never NULL. */
const char *lo_violation_kind_name(enum lo_violation_kind kind);

/* One pair of the order the code takes: TO acquired (in a way that can
 * block) while FROM is held, first seen AT in function FN.  DECLARED: the
 * rules put FROM outside TO; VIOLATION: the pair breaks a rule (the other
 * way round, a leaf, an srcu reader).  Neither: the rules do not mention
 * it, the documentation has drifted from the code. */
struct lo_observed {
	const char *from, *to;
	int from_decl, to_decl; /* declared lock indexes, or -1 */
	struct lo_loc at;
	const char *fn;
	int declared, violation;
};
/* The observed order of the last lo_merge_run(), in the order first seen;
 * valid until the merge is run again or freed. */
size_t lo_merge_observed_count(const lo_merge *m);
const struct lo_observed *lo_merge_observed(const lo_merge *m, size_t i);

/* Keeps only the findings KEEP says yes to (CTX passed along), in order;
 * returns how many were dropped.  For baselines. */
size_t lo_merge_filter(lo_merge *m, int (*keep)(const struct lo_finding *f,
						void *ctx),
		       void *ctx);

/* The lock order as Graphviz DOT: the declared order of R and, when M is
 * not NULL (a merge that has run), the order the code takes: declared and
 * taken green, taken but not in the rules dashed blue, against a rule red
 * with its first site.  Returns 0, or -1 on a write error.  The _file
 * variant writes PATH atomically and sets *ERR (caller frees). */
int lo_graph_write_dot(const lo_rules *r, const lo_merge *m, FILE *out);
int lo_graph_write_dot_file(const lo_rules *r, const lo_merge *m,
			    const char *path, char **err);

/* ---- baselines -------------------------------------------------------- */

/* The findings a tree already has, by key (struct lo_finding's key: its
 * kind, the function of its place and its message, no line numbers and
 * no route, so it survives unrelated edits and new callers).  A CI job fails only on
 * findings not in its baseline.  The file is JSON:
 *   {"lockorder_baseline": 1, "findings": [{"key": ..., "message": ...,
 *    "file": ..., "line": ...}, ...]}
 * where only "key" is used; the rest is for the people reading it. */
typedef struct lo_baseline lo_baseline;

/* Reads the baseline at PATH; NULL, with the problem appended to ERRS
 * (missing file, not JSON, wrong version), when it cannot be used.
 * Caller frees with lo_baseline_free(). */
lo_baseline *lo_baseline_read(const char *path, struct lo_errors *errs);
void lo_baseline_free(lo_baseline *b);
/* Drops from M the findings B knows; returns how many were dropped. */
size_t lo_baseline_apply(const lo_baseline *b, lo_merge *m);
/* Writes M's findings as a baseline to PATH, atomically.  Returns 0, or
 * -1 and *ERR (caller frees). */
int lo_baseline_write(const lo_merge *m, const char *path, char **err);

enum lo_format { LO_FORMAT_TEXT, LO_FORMAT_JSON, LO_FORMAT_SARIF,
		 LO_FORMAT_HTML };
/* The format named NAME ("text", "json", "sarif", "html"): 0 and *FMT set,
 * or -1 for an unknown name. */
int lo_format_from_name(const char *name, enum lo_format *fmt);
/* Writes the findings of M to OUT.  Returns 0, or -1 on a write error
 * (and for LO_FORMAT_HTML, which is a directory: see below). */
int lo_report_write(const lo_merge *m, enum lo_format fmt, FILE *out);
/* Writes the findings of M to PATH atomically (a temporary file in the same
 * directory, then rename()), so that no reader sees half a report.  For
 * LO_FORMAT_HTML, PATH is a directory (an index and a page per finding),
 * built beside it and renamed into place.  Returns 0, or -1 and sets *ERR
 * to a message naming the file, which the caller frees with free(). */
int lo_report_write_file(const lo_merge *m, enum lo_format fmt,
			 const char *path, char **err);
/* The HTML report of M into the new directory DIR (which must not exist).
 * Returns 0, or -1 and sets *ERR (caller frees).  Used by
 * lo_report_write_file(), which makes it atomic. */
int lo_report_write_html(const lo_merge *m, const char *dir, char **err);

#ifdef __cplusplus
}
#endif

#endif

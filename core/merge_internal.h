/*
 * merge_internal.h - what the files of the merge share: the merge object,
 * its call graph, witnesses, chains, sites and findings under
 * construction.  See merge.c for the steps and where each lives.
 *
 * This is NOT a public header.
 */
#ifndef LOCKORDER_MERGE_INTERNAL_H
#define LOCKORDER_MERGE_INTERNAL_H

#include "internal.h"

#define MAX_CHAIN 64
/* A call through a struct type's field (not a variable's, not a
 * parameter's) that more functions than this are stored in is not
 * followed (link.c). */
#define MAX_TYPE_SLOT 32
#define MAX_VIOLATIONS 32
#define MAX_RULE_PATH 16
/* Parameter indexes beyond this are nonsense, and would overflow
 * mg_lock_id(). */
#define MAX_PARAM (1 << 20)

struct ilist {
	int *v;
	size_t n, cap;
};

static inline void ilist_add(struct ilist *l, int x)
{
	lo_grow(&l->v, &l->cap, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = x;
}

/* One hop of a call chain: function FN at AT (a call, or the acquisition
 * itself when NEXT is -1).  Chains are immutable and share their tails. */
struct node {
	int fn;
	const struct lo_loc *at;
	int next;
	int len;
	uint64_t fns; /* a filter of the functions on the chain (reach.c) */
};

#define MAX_REL 4
#define MAX_WHEN 4
#define MAX_INNER 8

/* One acquisition a function makes, itself or through its callees. */
struct wit {
	struct lo_sref lock;
	int lockid; /* class id, or -2 - 2 * param - deref */
	enum lo_effect_op op;
	int shared, subclass, trylock;
	int multi;  /* the chain leaves the translation unit or goes indirect */
	int chain;  /* node index */
	/* The owner's caller's locks released before the acquisition (a
	 * function that drops its caller's lock around a call). */
	struct lo_sref rel[MAX_REL];
	int nrel;
	/* What the path assumes of the owner's parameters. */
	struct lo_scond when[MAX_WHEN];
	int nwhen;
	/* A requirement (`A requires B`) is checked where nothing can call
	 * the function that may hold B (requirement_root() in sites.c);
	 * until then INNER holds the locks the functions of the chain held
	 * at it (a header's spin_lock() wrapper, a caller that took B), and
	 * INNER_LOST says some did not fit or could not be followed up (the
	 * requirement then counts as met). */
	int inner_lost;
	struct lo_sref inner[MAX_INNER];
	int ninner;
	/* Reached through the owner's function-pointer parameter VIA_PARAM
	 * (-1: not), calling VIA_FN: a caller passing another function there
	 * does not reach it (kvm_do_msr_access()'s msr_access_fn). */
	int via_param, via_fn;
	int dirty; /* changed since its callers last heard (reach.c) */
};

/* What a witness assumes and carries besides its lock: the caller's locks
 * released, the conditions on parameters, the locks held below.  Most
 * witnesses share one (most often the empty one), so it is stored once
 * (witness.c) and a stored witness names it by index. */
struct wctx {
	struct lo_sref rel[MAX_REL];
	struct lo_scond when[MAX_WHEN];
	struct lo_sref inner[MAX_INNER];
	int nrel, nwhen, ninner, inner_lost;
};

/* A witness as a function keeps it (struct wit, packed). */
struct swit {
	struct lo_sref lock;
	int lockid, subclass, chain, via_param, via_fn, ctx;
	unsigned char op, shared, trylock, multi, dirty;
};

struct mfn {
	const char *name;
	int tu;
	int is_static, defined;
	/* Defined in its translation unit's main file: a function record
	 * says so; one known only from acquisitions and calls counts as in
	 * it. */
	int in_main, described;
	struct ilist calls;   /* mcall indexes */
	struct ilist callers; /* mcall indexes of calls that reach this one */
	const struct lo_sacq **acqs;
	size_t nacqs, capacqs;
	struct swit *w;
	size_t nw, capw;
	int *slots; /* witness index + 1, open addressing */
	struct ilist dirty; /* witnesses changed since last propagated */
	size_t nslots;
	int queued;
};

struct mcall {
	int fn, tu;
	const struct lo_scall *c;
	struct ilist targets;
	int indirect;
	int via_param; /* a call through FN's own parameter K: K, else -1 */
	int pending_alias; /* resolve through aliases once stores are known */
	int wide; /* through a struct type's slot too wide to follow: its size */
};

struct mtu {
	lo_summary *s;
	size_t order;
	struct lo_strmap fns; /* its functions by name -> fn */
};

/* An edge of the observed order: TO taken while FROM held. */
struct oedge {
	int from, to;
	int fn, tu;
	const struct lo_loc *at;
	int chain;                 /* node below FN, or -1 */
	const struct lo_sheld *held;
	int multi;
};

/* One place of a path: function FN (of translation unit TU) at AT. */
struct hop {
	int fn, tu;
	const struct lo_loc *at;
};

/* The path of a check: the checked function's place (its call, or the
 * acquisition it makes), then each hop of the chain below, the last one
 * the acquisition. */
struct path {
	struct hop h[MAX_CHAIN + 1];
	int n;
};

/* A finding under construction, with the path grouping needs: every
 * path to one acquisition under one rule is one finding. */
struct rawf {
	struct lo_finding f;
	struct hop *path;
	int npath;
	int primary; /* the index in PATH of the finding's place */
	int dead;
};

struct lo_merge {
	const lo_rules *rules;
	struct mtu *tus;
	size_t ntus, captus;

	char **pool; /* strings the merge owns */
	struct lo_strmap objmap; /* lock object paths in the pool -> index */
	size_t npool, cappool;

	struct mfn *fns;
	size_t nfns, capfns;
	struct lo_strmap extmap;   /* name -> fn */
	struct lo_strmap foldmap;  /* header inline's content key -> fn */
	size_t nfolded;            /* copies folded into an earlier one */
	size_t nwide;              /* calls through slots too wide to follow */
	struct mcall *calls;
	size_t ncalls, capcalls;
	struct lo_strmap storemap; /* slot key -> index into slots */
	struct ilist *slots;
	size_t nslots, capslots;
	struct lo_strmap aliasmap; /* name -> index into aliases */
	struct ilist *aliases;     /* of pool/summary key strings, as slot ids */
	size_t naliases, capaliases;

	struct node *nodes;
	size_t nnodes, capnodes;

	struct wctx *ctxs; /* witness contexts, [0] the empty one */
	size_t nctxs, capctxs;
	int *ctxslots;     /* index + 1, open addressing */
	size_t nctxslots;

	struct lo_strmap classmap; /* class key -> class id */
	/* class key -> KEY_* of the lock class keys its locks are given
	 * (keys.c), and the first key seen */
	struct lo_strmap keyflags, keyfirst;
	const char **keynames;
	size_t nkeynames, capkeynames;
	const char **classnames;
	size_t nclasses, capclasses;

	struct oedge *edges;
	size_t nedges, capedges;
	/* Rules locks no translation unit resolves (lo_merge_unresolved). */
	const struct lo_sname **unres;
	size_t nunres, capunres;
	/* Every pair of the order the code takes, for `lockorder graph`. */
	struct lo_observed *obs;
	size_t nobs, capobs;
	struct lo_pairmap obsmap;  /* (from, to) classes -> observed index */
	struct lo_pairmap edgemap; /* (from, to) classes -> edge index */

	struct rawf *raw;
	size_t nraw, capraw;

	struct lo_finding *findings;
	size_t nfindings;

	int never_rules, requires_rules;
	int ran;
	/* lo_merge_set_root(): absolute and normal, or NULL (root.c) */
	char *root;
};

/* Where a check happens: in function FN (of translation unit TU) at AT,
 * with HELD held; CHAIN is the callee's chain down to the acquisition
 * (-1 for an acquisition FN makes itself). */
struct site {
	int fn, tu;
	const struct lo_loc *at;
	int chain;
	const struct lo_sheld *held;
	size_t nheld;
	int cross;
	const struct lo_sref *rel; /* held locks released before: not held */
	int nrel;
	/* Whether a requirement is checked here, and the locks the chain
	 * below held at the acquisition (which meet it as well). */
	int requires;
	const struct lo_sref *inner;
	int ninner, inner_lost;
};

/* What is taken there. */
struct taken {
	const struct lo_sref *lock;
	enum lo_effect_op op;
	int shared, subclass, trylock;
};

/* merge.c */
const char *mg_pool_str(lo_merge *m, char *s);
const char *mg_nz(const char *s);
const char *mg_tu_source(const lo_merge *m, int tu);
const char *mg_tu_dir(const lo_merge *m, int tu);
int mg_loc_cmp(const struct lo_loc *a, const struct lo_loc *b);

/* link.c */
int mg_fn_ref(lo_merge *m, int tu, const char *name, int is_static);
void mg_build_functions(lo_merge *m);
void mg_build_slots(lo_merge *m);
void mg_resolve_calls(lo_merge *m);

/* fold.c: for each function of translation unit T, FOLDED_TO the
 * function an identical earlier copy of a header inline made (else -1),
 * and FIRST the key to register the function it makes under (else NULL;
 * the merge's string). */
void mg_fold_unit(lo_merge *m, int t, int *folded_to, const char **first);

/* witness.c */
void mg_wit_pack(lo_merge *m, const struct wit *w, struct swit *out);
void mg_wit_unpack(const lo_merge *m, const struct swit *s, struct wit *out);
void mg_wit_free(lo_merge *m);

/* apply.c */
int mg_subst(const struct lo_sref *r, const struct lo_scall *c,
		 struct lo_sref *out);
/* OBJ, a lock object path of a callee (objpath.c), in the terms of its
 * caller at call C; a string the merge owns, or NULL. */
const char *mg_obj_through(lo_merge *m, const char *obj,
			   const struct lo_scall *c);
int mg_subst_all(const struct lo_sref *in, int n, const struct lo_scall *c,
		 struct lo_sref *out);
void mg_rel_through(lo_merge *m, struct wit *w, const struct lo_scall *c);
int mg_via_through(lo_merge *m, struct wit *w, const struct mcall *mc);
int mg_when_through(struct wit *w, const struct lo_scall *c);
void mg_inner_add(struct wit *w, const struct lo_sheld *held, size_t n);
void mg_inner_through(struct wit *w, const struct lo_scall *c);

/* reach.c */
int mg_lock_id(lo_merge *m, const struct lo_sref *r);
void mg_fixpoint(lo_merge *m);

/* keys.c */
#define KEY_SEVERAL 1    /* several keys, or one per object */
#define KEY_NOVALIDATE 2 /* lockdep_set_novalidate_class() */
#define KEY_KNOWN 4      /* some key of the class is seen */
void mg_build_keys(lo_merge *m);
int mg_key_flags(const lo_merge *m, const char *cls);

/* sites.c */
const char *mg_lock_name(const struct lo_sref *r);
void mg_check_all(lo_merge *m);

/* finding.c */
struct lo_loc mg_loc_from(lo_merge *m, int tu, int base,
			  const struct lo_loc *at);
void mg_add_note(struct lo_finding *f, size_t *cap, struct lo_loc at,
		     char *text, int hop);
void mg_path_of(const lo_merge *m, int fn, int tu, const struct lo_loc *at,
		int chain, struct path *p);
int mg_path_primary(const lo_merge *m, const struct path *p);
void mg_path_notes(lo_merge *m, struct lo_finding *f, size_t *cap,
		   const struct path *p, int primary, const char *acq_name,
		   enum lo_effect_op op, int base, int step);
void mg_held_note(lo_merge *m, struct lo_finding *f, size_t *cap, int base,
		  int tu, const struct lo_sheld *h, int fn, int step);
char *mg_hash_key(const char *s);
struct rawf *mg_new_raw(lo_merge *m);
void mg_raw_path(struct rawf *r, const struct path *p, int primary);
void mg_finding_at(lo_merge *m, struct lo_finding *f, const struct hop *h);
void mg_report_violation(lo_merge *m, const struct site *st,
			     const struct lo_violation *v,
			     const struct lo_acq *acq, const char *acq_name,
			     const struct lo_held *hv, const int *hidx);

/* root.c: FILE, relative to DIR (the working directory when NULL), as
 * the report names it: relative to M's root when under it, else absolute;
 * normal either way.  Needs a root.  The string is M's. */
const char *mg_root_path(lo_merge *m, const char *dir, const char *file);
/* A rules file's path (relative to the working directory, or absolute)
 * as the report names it: as given when M has no root. */
const char *mg_rules_path(lo_merge *m, const char *file);

/* cycles.c */
void mg_edge_add(lo_merge *m, const struct oedge *e);
void mg_find_cycles(lo_merge *m);

/* group.c */
void mg_group(lo_merge *m);
int mg_cmp_finding(const void *x, const void *y);

#endif

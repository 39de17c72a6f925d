/*
 * kind.c - the lock kinds: their names, which of them sleep, which make
 * the holder atomic, and the kind a C lock type implies.
 *
 * What it does NOT do: decide the kind of a lock in code.  The plugin
 * sees the type and asks lo_kind_from_type(); a lock the rules declare
 * has the kind the rules give it, even when the type says otherwise.
 */
#include <string.h>

#include "lockorder.h"

static const char *const kind_names[] = {
	[LO_KIND_NONE] = "lock",
	[LO_MUTEX] = "mutex",
	[LO_RWSEM] = "rwsem",
	[LO_PERCPU_RWSEM] = "percpu_rwsem",
	[LO_SEMAPHORE] = "semaphore",
	[LO_SPINLOCK] = "spinlock",
	[LO_RAW_SPINLOCK] = "raw_spinlock",
	[LO_RWLOCK] = "rwlock",
	[LO_SRCU] = "srcu",
	[LO_RCU] = "rcu",
};

#define NKINDS (sizeof(kind_names) / sizeof(kind_names[0]))

const char *lo_kind_name(enum lo_kind kind)
{
	if ((unsigned)kind >= NKINDS)
		return "lock";
	return kind_names[kind];
}

enum lo_kind lo_kind_from_name(const char *name)
{
	size_t i;

	if (!name)
		return LO_KIND_NONE;
	/* Start at 1: "lock" is not a kind the rules may declare. */
	for (i = 1; i < NKINDS; i++)
		if (strcmp(name, kind_names[i]) == 0)
			return (enum lo_kind)i;
	return LO_KIND_NONE;
}

int lo_kind_sleeps(enum lo_kind kind)
{
	return kind == LO_MUTEX || kind == LO_RWSEM ||
	       kind == LO_PERCPU_RWSEM || kind == LO_SEMAPHORE;
}

int lo_kind_atomic(enum lo_kind kind)
{
	return kind == LO_SPINLOCK || kind == LO_RAW_SPINLOCK ||
	       kind == LO_RWLOCK || kind == LO_RCU;
}

int lo_kind_recursive_read(enum lo_kind kind)
{
	return kind == LO_SRCU || kind == LO_RCU || kind == LO_RWLOCK;
}

static const struct {
	const char *type;
	enum lo_kind kind;
} type_kinds[] = {
	{ "mutex", LO_MUTEX },
	{ "spinlock", LO_SPINLOCK },
	{ "spinlock_t", LO_SPINLOCK },
	{ "raw_spinlock", LO_RAW_SPINLOCK },
	{ "raw_spinlock_t", LO_RAW_SPINLOCK },
	{ "rwlock_t", LO_RWLOCK },
	{ "rw_semaphore", LO_RWSEM },
	{ "percpu_rw_semaphore", LO_PERCPU_RWSEM },
	{ "semaphore", LO_SEMAPHORE },
	{ "srcu_struct", LO_SRCU },
};

enum lo_kind lo_kind_from_type(const char *type_name)
{
	size_t i;

	if (!type_name)
		return LO_KIND_NONE;
	/* Clang spells record types "struct mutex"; typedefs have no tag. */
	if (strncmp(type_name, "struct", 6) == 0 &&
	    (type_name[6] == ' ' || type_name[6] == '\t')) {
		type_name += 6;
		while (*type_name == ' ' || *type_name == '\t')
			type_name++;
	}
	for (i = 0; i < sizeof(type_kinds) / sizeof(type_kinds[0]); i++)
		if (strcmp(type_name, type_kinds[i].type) == 0)
			return type_kinds[i].kind;
	return LO_KIND_NONE;
}

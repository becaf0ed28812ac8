/*
 * hooks.c: the hook registry. hook_table[] is generated from the same
 * hooks-*.def files that generate the wrappers and enum hook_id, so the
 * ids, names and flags can never drift apart.
 */
#include "config.h"

#include <string.h>

#include "chaos.h"

const struct hook_info hook_table[HOOK_COUNT] = {
#define HOOK(name, groups, flags, ...) { #name, groups, flags },
#define HOOK_ODD(name, groups, flags) { #name, groups, flags },
#include "hooks-file.def"
#include "hooks-net.def"
#include "hooks-dns.def"
#include "hooks-mem.def"
#include "hooks-proc.def"
#undef HOOK
#undef HOOK_ODD
};

static const struct {
	const char	*name;
	unsigned	 mask;
} groups[] = {
	{ "%open",  G_OPEN },
	{ "%read",  G_READ },
	{ "%write", G_WRITE },
	{ "%sync",  G_SYNC },
	{ "%close", G_CLOSE },
	{ "%stat",  G_STAT },
	{ "%fs",    G_FS },
	{ "%file",  G_FILE },
	{ "%net",   G_NET },
	{ "%dns",   G_DNS },
	{ "%mem",   G_MEM },
	{ "%proc",  G_PROC },
};

int
hook_find(const char *name)
{
	int	 i;

	for (i = 0; i < HOOK_COUNT; i++) {
		if (strcmp(hook_table[i].name, name) == 0)
			return i;
	}
	return -1;
}

unsigned
group_find(const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof groups / sizeof groups[0]; i++) {
		if (strcmp(groups[i].name, name) == 0)
			return groups[i].mask;
	}
	return 0;
}

/* The name of one group bit, or of G_FILE; NULL for anything else. */
const char *
group_name(unsigned group)
{
	size_t	 i;

	for (i = 0; i < sizeof groups / sizeof groups[0]; i++) {
		if (groups[i].mask == group)
			return groups[i].name;
	}
	return NULL;
}

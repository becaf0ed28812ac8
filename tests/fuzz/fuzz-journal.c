/*
 * fuzz-journal: the journal's reader (journal_parse, what journal_read,
 * journal_list, chaosd recover and the guardian go through) on an entry
 * made of the input, then the network type's reader of its fields
 * (net_entry_from_journal). A corrupted entry must be refused, or read
 * into what the journal would write again, never crash recover.
 * Properties: an accepted entry has a known type and no control
 * character in its text; written back with journal_write (in a run
 * directory of its own, CHAOSD_RUNDIR) and read again, it is the same
 * entry; journal_list finds it.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chaosd.h"
#include "net.h"
#include "fuzz.h"

const char	fuzz_name[] = "journal";
const int	fuzz_rounds = 10000;
const char	fuzz_alphabet[] = "=\n#0123456789-abcdefx";

#define TERMINATED(a) (memchr((a), '\0', sizeof (a)) != NULL)

static int
clean(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

/* What journal_write writes of two entries: NULL if the same, or what
   differs. */
static const char *
differs(const struct jentry *a, const struct jentry *b)
{
	int	i;

	if (strcmp(a->type, b->type) != 0)
		return "type";
	if (a->state != b->state)
		return "state";
	if (a->owner != b->owner || a->owner_start != b->owner_start)
		return "owner";
	if ((a->bound != 0) != (b->bound != 0))
		return "bound";
	if (a->instance != b->instance)
		return "instance";
	if (a->created_ms != b->created_ms || a->expires_ms != b->expires_ms)
		return "created_ms or expires_ms";
	if (strcmp(a->what, b->what) != 0)
		return "what";
	if (a->nfields != b->nfields)
		return "the number of fields";
	for (i = 0; i < a->nfields; i++)
		if (strcmp(a->fields[i].key, b->fields[i].key) != 0 ||
		    strcmp(a->fields[i].value, b->fields[i].value) != 0)
			return a->fields[i].key;
	return NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char id[] = "net-1-fuzz0";
	struct jentry	 j, back, *v;
	struct net_entry e;
	char		 err[RULE_ERR_MAX], *copy;
	const char	*what;
	FILE		*f;
	int		 i, n, r;

	if (setenv("CHAOSD_RUNDIR", fuzz_dir(), 1) != 0)
		abort();
	if (size == 0)		/* fmemopen() refuses an empty buffer */
		return 0;
	if ((copy = malloc(size)) == NULL)
		abort();
	memcpy(copy, data, size);
	if ((f = fmemopen(copy, size, "r")) == NULL)
		abort();
	r = journal_parse(f, id, &j);
	fclose(f);
	free(copy);
	if (r != 0)
		return 0;
	if (journal_type_find(j.type) == NULL)
		fuzz_fail("accepted an entry of type '%s'", j.type);
	if (!TERMINATED(j.what) || !clean(j.what))
		fuzz_fail("accepted what= with a control character");
	for (i = 0; i < j.nfields; i++)
		if (!clean(j.fields[i].key) || !clean(j.fields[i].value) ||
		    strchr(j.fields[i].key, '=') != NULL ||
		    j.fields[i].key[0] == '\0')
			fuzz_fail("accepted a bad field '%s'", j.fields[i].key);
	if (strcmp(j.type, "net") == 0) {
		net_entry_from_journal(&j, &e);
		if (!TERMINATED(e.netns) || !TERMINATED(e.dev) ||
		    !TERMINATED(e.ifb))
			fuzz_fail("net_entry_from_journal: an unterminated "
			    "string");
	}

	/* written back and read again: the same entry, listed */
	journal_remove(&j);
	if (journal_write(&j, err, sizeof err) != 0)
		fuzz_fail("an accepted entry cannot be written back: %s", err);
	else if (journal_read(id, &back) != 0)
		fuzz_fail("an accepted entry, written back, is refused");
	else {
		if ((what = differs(&j, &back)) != NULL)
			fuzz_fail("an accepted entry reads back with another "
			    "%s", what);
		jentry_free(&back);
		if (journal_list(NULL, &v, &n) != 0 || n != 1)
			fuzz_fail("journal_list: %d entries, not 1", n);
		else
			journal_list_free(v, n);
	}
	journal_remove(&j);
	jentry_free(&j);
	return 0;
}

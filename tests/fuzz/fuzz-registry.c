/*
 * fuzz-registry: the registry of fault tables (registry.c), in a run
 * directory of its own (CHAOSD_RUNDIR). Two kinds of input, by the first
 * byte:
 *
 *   'a' PATH  registry_add(PATH): refused, or listed by registry_list()
 *             as exactly PATH, alone, with no bad entry (what chaosd
 *             writes reads back exactly)
 *   else      the input as an entry file, tables/tmp-x.table.entry: it is
 *             listed as /tmp/x.table (the path its name encodes) or
 *             reported as a bad entry, never anything else
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chaosd.h"
#include "fuzz.h"

const char	fuzz_name[] = "registry";
const int	fuzz_rounds = 10000;
const char	fuzz_alphabet[] = "=\n#/-%.~path";

static void
added(const char *path)
{
	struct registry_list	 l;
	char			 err[RULE_ERR_MAX];

	if (registry_add(path, 1, 2, err, sizeof err) != 0) {
		if (memchr(err, '\0', sizeof err) == NULL)
			fuzz_fail("registry_add: unterminated error");
		return;
	}
	registry_list(&l);
	if (l.n != 1 || l.nbad != 0 || strcmp(l.path[0], path) != 0)
		fuzz_fail("registry_add('%s') lists %d paths ('%s'), %d bad "
		    "entries ('%s')", path, l.n, l.n > 0 ? l.path[0] : "",
		    l.nbad, l.nbad > 0 ? l.bad[0] : "");
	registry_list_free(&l);
	registry_remove(path);
	registry_list(&l);
	if (l.n != 0)
		fuzz_fail("registry_remove('%s') left '%s'", path, l.path[0]);
	registry_list_free(&l);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char		 tables[4096];
	struct registry_list	 l;
	char			*path;

	if (tables[0] == '\0') {
		if (setenv("CHAOSD_RUNDIR", fuzz_dir(), 1) != 0)
			abort();
		snprintf(tables, sizeof tables, "%s/tables", fuzz_dir());
		mkdir(tables, 0700);
	}
	if (size > 0 && data[0] == 'a') {
		unlink(fuzz_file("tables/tmp-x.table.entry", data, 0));
		path = fuzz_string(data + 1, size - 1);
		added(path);
		free(path);
		return 0;
	}
	fuzz_file("tables/tmp-x.table.entry", data, size);
	registry_list(&l);
	if (l.n + l.nbad != 1)
		fuzz_fail("one entry: %d paths, %d bad", l.n, l.nbad);
	else if (l.n == 1 && strcmp(l.path[0], "/tmp/x.table") != 0)
		fuzz_fail("tmp-x.table.entry read as '%s'", l.path[0]);
	registry_list_free(&l);
	return 0;
}

/*
 * test-journal.c: the journal: entries written and read back exactly,
 * created once (link(2)), listed oldest first, malformed files refused
 * (never half-read), old untyped network entries still read, a revert
 * tied to the instance that made the entry.
 */
#include "unit.h"

#include <errno.h>
#include <sys/stat.h>

#include "chaosd.h"
#include "net.h"

static char	 dir[256];

static int
setup(void **state)
{
	const char *t = getenv("TMPDIR");

	(void)state;
	snprintf(dir, sizeof dir, "%s/chaos-journal-XXXXXX",
	    t != NULL && *t != '\0' ? t : "/tmp");
	assert_non_null(mkdtemp(dir));
	setenv("CHAOSD_RUNDIR", dir, 1);
	return (0);
}

static int
teardown(void **state)
{
	char	cmd[300];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	return (0);
}

static void
write_file(const char *name, const char *text)
{
	char	 path[512];
	FILE	*f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

static void
round_trip(void **state)
{
	struct jentry	j, back;
	char		err[256];

	(void)state;
	jentry_init(&j, "run");
	snprintf(j.id, sizeof j.id, "run-test-1");
	snprintf(j.what, sizeof j.what, "chaosd run test");
	j.bound = 1;
	j.expires_ms = 1234567;
	jentry_add(&j, "table", "%s", "/run/chaosd/a.table");
	jentry_add(&j, "table", "%s", "/run/chaosd/b.table");
	jentry_set(&j, "group:workload", "%d %d", 42, 7);
	assert_int_equal(journal_write(&j, err, sizeof err), 0);
	/* a second new entry of the same name is refused by link(2) */
	assert_int_equal(journal_write(&j, err, sizeof err), -EEXIST);

	assert_int_equal(journal_read("run-test-1", &back), 0);
	assert_string_equal(back.type, "run");
	assert_int_equal(back.state, J_APPLYING);
	assert_int_equal(back.owner, getpid());
	assert_true(back.owner_start == j.owner_start);
	assert_true(back.instance == j.instance);
	assert_int_equal(back.bound, 1);
	assert_true(back.expires_ms == 1234567);
	assert_string_equal(back.what, "chaosd run test");
	assert_int_equal(back.nfields, 3);
	assert_string_equal(jentry_get(&back, "table"), "/run/chaosd/a.table");
	assert_string_equal(back.fields[1].value, "/run/chaosd/b.table");
	assert_string_equal(jentry_get(&back, "group:workload"), "42 7");
	assert_true(jentry_owner_alive(&back));
	jentry_free(&back);

	/* rewritten active, a field replaced, one removed */
	j.state = J_ACTIVE;
	jentry_set(&j, "group:workload", "%d %d", 43, 8);
	jentry_del(&j, "table", "/run/chaosd/a.table");
	assert_int_equal(journal_write(&j, err, sizeof err), 0);
	assert_int_equal(journal_read("run-test-1", &back), 0);
	assert_int_equal(back.state, J_ACTIVE);
	assert_int_equal(back.nfields, 2);
	assert_string_equal(jentry_get(&back, "table"), "/run/chaosd/b.table");
	assert_string_equal(jentry_get(&back, "group:workload"), "43 8");
	jentry_free(&back);

	/* control characters are never journaled */
	jentry_set(&j, "table", "%s", "/tmp/a\nb");
	assert_int_equal(journal_write(&j, err, sizeof err), -1);
	assert_contains(err, "control characters");
	assert_int_equal(journal_remove(&j), 0);
	assert_int_equal(journal_read("run-test-1", &back), -ENOENT);
	jentry_free(&j);
}

static void
malformed_refused(void **state)
{
	struct jentry	 j;
	struct jentry	*v;
	char		 big[6000];
	int		 n;

	(void)state;
	write_file("net-1-lo.journal", "state=active\nowner=1\n"
	    "ns_dev=3\nns_ino=4\ndev=lo\nifindex=1\nhandle=c4050000\n"
	    "created_ms=5\nexpires_ms=0\nwhat=old\n");
	/* an entry written before the journal had types: a network fault */
	assert_int_equal(journal_read("net-1-lo", &j), 0);
	assert_string_equal(j.type, "net");
	assert_string_equal(jentry_get(&j, "dev"), "lo");
	jentry_free(&j);

	write_file("run-a.journal", "type=run\nowner=notanumber\n");
	assert_int_equal(journal_read("run-a", &j), -EINVAL);
	write_file("run-b.journal", "type=run\nthis line has no equals sign\n");
	assert_int_equal(journal_read("run-b", &j), -EINVAL);
	write_file("run-c.journal", "type=nosuchtype\nowner=1\n");
	assert_int_equal(journal_read("run-c", &j), -EINVAL);
	write_file("run-d.journal", "owner=1\n");	/* no type */
	assert_int_equal(journal_read("run-d", &j), -EINVAL);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	memcpy(big, "type=run\nwhat=", 14);
	write_file("run-e.journal", big);
	assert_int_equal(journal_read("run-e", &j), -EINVAL);
	/* listing skips what it cannot read */
	assert_int_equal(journal_list(NULL, &v, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].id, "net-1-lo");
	journal_list_free(v, n);
	assert_int_equal(journal_list("run", &v, &n), 0);
	assert_int_equal(n, 0);
	journal_list_free(v, n);
}

static void
revert_tied_to_its_instance(void **state)
{
	struct jentry	 mine, newer;
	char		 err[256];
	char		 cmd[300];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -f '%s'/*.journal", dir);
	assert_int_equal(system(cmd), 0);
	jentry_init(&mine, "run");
	snprintf(mine.id, sizeof mine.id, "run-tie");
	assert_int_equal(journal_write(&mine, err, sizeof err), 0);
	/* someone undid it, and someone else made one of the same name */
	assert_int_equal(journal_remove(&mine), 0);
	jentry_init(&newer, "run");
	snprintf(newer.id, sizeof newer.id, "run-tie");
	assert_true(newer.instance != mine.instance);
	assert_int_equal(journal_write(&newer, err, sizeof err), 0);
	/* our revert is not for that one */
	assert_int_equal(journal_revert(&mine, 1, err, sizeof err), -ESTALE);
	assert_int_equal(journal_read("run-tie", &mine), 0);
	jentry_free(&mine);
	/* its own is */
	assert_int_equal(journal_revert(&newer, 1, err, sizeof err), 0);
	assert_int_equal(journal_read("run-tie", &mine), -ENOENT);
	jentry_free(&newer);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(round_trip),
	cmocka_unit_test(malformed_refused),
	cmocka_unit_test(revert_tied_to_its_instance),
};

int
main(void)
{
	return (cmocka_run_group_tests(tests, setup, teardown) != 0 ? 1 : 0);
}

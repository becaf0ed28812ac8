/*
 * test-registry.c: the registry of fault tables chaosd knows: an entry
 * per armed table (its path written back exactly), the tables of the
 * run directory listed too, paths with control characters refused,
 * entries removed, a tampered entry never taken for a table.
 */
#include "unit.h"

#include <errno.h>
#include <sys/stat.h>

#include "chaosd.h"

static char	 dir[256];

static int
setup(void **state)
{
	const char *t = getenv("TMPDIR");

	(void)state;
	snprintf(dir, sizeof dir, "%s/chaos-registry-XXXXXX",
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
add_list_remove(void **state)
{
	struct registry_list l;
	char	 err[256], a[512], b[512], svc[512];
	FILE	*f;

	(void)state;
	snprintf(a, sizeof a, "%s/with space-and-dash.table", dir);
	snprintf(b, sizeof b, "/var/lib/app/%%odd.table");
	snprintf(svc, sizeof svc, "%s/api.table", dir);
	assert_int_equal(registry_add(a, 1000000, 2000000, err, sizeof err), 0);
	assert_int_equal(registry_add(b, 1000000, 2000000, err, sizeof err), 0);
	/* arming it again rewrites the one entry */
	assert_int_equal(registry_add(b, 1000000, 3000000, err, sizeof err), 0);
	/* a preloaded service's table in the run directory: listed too */
	assert_non_null(f = fopen(svc, "w"));
	fclose(f);

	registry_list(&l);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.path[0], svc);	/* sorted */
	assert_int_equal(l.registered[0], 0);
	assert_string_equal(l.path[1], a);
	assert_int_equal(l.registered[1], 1);
	assert_string_equal(l.path[2], b);
	assert_int_equal(l.registered[2], 1);
	assert_int_equal(registry_warn_bad(&l), 0);
	registry_list_free(&l);

	registry_remove(a);
	registry_remove(b);
	unlink(svc);
	registry_list(&l);
	assert_int_equal(l.n, 0);
	registry_list_free(&l);
}

static void
control_characters_refused(void **state)
{
	char	err[256];

	(void)state;
	assert_int_equal(registry_add("/tmp/a\nb.table", 1, 2, err,
	    sizeof err), -1);
	assert_int_equal(registry_path_ok("/tmp/a\tb", err, sizeof err), -1);
	assert_int_equal(registry_path_ok("/tmp/ok.table", err, sizeof err),
	    0);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(add_list_remove),
	cmocka_unit_test(control_characters_refused),
};

int
main(void)
{
	return (cmocka_run_group_tests(tests, setup, teardown) != 0 ? 1 : 0);
}

/*
 * test-table.c: the fault table and its reach file, through the API
 * chaosd uses (table.c, reach.c): made together and whole, counters
 * summed over both and zeroed by arming, attach records claimed,
 * listed, rewritten by the same process, freed when their process is
 * gone, counted when there is no room; the descriptors a process
 * inherits are checked like a path.
 */
#include "unit.h"

#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <sys/wait.h>

struct fixture {
	char	 dir[64];
	char	 path[128];
	char	 reach[140];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/chaos-unit-table-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/t.table", f->dir);
	snprintf(f->reach, sizeof f->reach, "%s%s", f->path, REACH_SUFFIX);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	unlink(f->path);
	unlink(f->reach);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void
arm_one(struct table *tb)
{
	struct rule_set *set = calloc(1, sizeof *set);
	char err[RULE_ERR_MAX];

	assert_non_null(set);
	assert_int_equal(rules_parse(set, "read:path=/nowhere:error=EIO",
	    err, sizeof err), 0);
	assert_int_equal(table_arm(tb, set, realtime_ns() + 60000000000ull,
	    "test", err, sizeof err), 0);
	free(set);
}

static void
made_together(void **state)
{
	struct fixture *f = *state;
	struct table tb;
	struct stat st;
	char err[RULE_ERR_MAX];

	assert_int_equal(table_open(&tb, f->path, TABLE_CREATE, err,
	    sizeof err), 0);
	assert_non_null(tb.reach);
	assert_int_equal(stat(f->reach, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(st.st_size, sizeof(struct fault_reach));
	assert_true(tb.reach->h.magic == REACH_MAGIC);
	table_close(&tb);

	/* without TABLE_CREATE, a missing reach file is no error... */
	assert_int_equal(unlink(f->reach), 0);
	assert_int_equal(table_open(&tb, f->path, 0, err, sizeof err), 0);
	assert_null(tb.reach);
	table_close(&tb);
	/* ...and a file that is not one is refused */
	assert_int_equal(close(open(f->reach, O_CREAT | O_WRONLY, 0600)), 0);
	assert_int_equal(table_open(&tb, f->path, TABLE_CREATE, err,
	    sizeof err), -1);
	assert_contains(err, "reach file: not a reach file");
	assert_int_equal(stat(f->reach, &st), 0);
	assert_int_equal(st.st_size, 0);
}

static void
counts_summed(void **state)
{
	struct fixture *f = *state;
	struct table tb;
	uint64_t m, i;
	char err[RULE_ERR_MAX];

	assert_int_equal(table_open(&tb, f->path, TABLE_CREATE, err,
	    sizeof err), 0);
	arm_one(&tb);
	atomic_store(&tb.map->counter[0].matched, 5);
	atomic_store(&tb.map->counter[0].injected, 2);
	atomic_store(&tb.reach->counter[0].matched, 7);
	atomic_store(&tb.reach->counter[0].injected, 3);
	table_counts(&tb, 0, &m, &i);
	assert_int_equal(m, 12);
	assert_int_equal(i, 5);
	arm_one(&tb);		/* arming again starts both from zero */
	table_counts(&tb, 0, &m, &i);
	assert_int_equal(m, 0);
	assert_int_equal(i, 0);
	table_close(&tb);
}

static void
attach_records(void **state)
{
	struct fixture *f = *state;
	struct table_attach a[4];
	struct table tb;
	uint64_t unrec;
	char err[RULE_ERR_MAX];
	pid_t child;
	int slot, k, status;

	assert_int_equal(table_open(&tb, f->path, TABLE_CREATE, err,
	    sizeof err), 0);
	slot = reach_attach(tb.reach, REACH_FD, "svc");
	assert_true(slot >= 0);
	/* the same process again (an exec, a setuid): the same slot */
	assert_int_equal(reach_attach(tb.reach, REACH_DROPPED, "svc2"), slot);
	/* a process that is gone */
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		reach_attach(tb.reach, REACH_RW, "child");
		_exit(0);
	}
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_int_equal(table_attached(&tb, a, 4, &unrec), 2);
	assert_int_equal(unrec, 0);
	for (k = 0; k < 2; k++) {
		if (a[k].pid == getpid()) {
			assert_true(a[k].alive);
			assert_string_equal(a[k].exe, "svc2");
			assert_string_equal(a[k].mode, "dropped");
			assert_int_equal(a[k].uid, geteuid());
		} else {
			assert_int_equal(a[k].pid, child);
			assert_false(a[k].alive);
			assert_string_equal(a[k].mode, "rw");
		}
	}
	assert_int_equal(table_reap(&tb), 1);
	assert_int_equal(table_attached(&tb, a, 4, NULL), 1);
	assert_int_equal(a[0].pid, getpid());

	/* no free slot: counted, not fatal */
	for (k = 0; k < REACH_SLOTS; k++)
		atomic_store(&tb.reach->slot[k].pid, 1);
	assert_int_equal(reach_attach(tb.reach, REACH_RO, "late"), -1);
	assert_int_equal(table_attached(&tb, a, 1, &unrec), 1);
	assert_int_equal(unrec, 1);
	table_close(&tb);
}

static void
inherited_descriptors(void **state)
{
	struct fixture *f = *state;
	struct table tb, ro;
	char err[RULE_ERR_MAX], other[160];
	int tfd, rfd, rrd;

	assert_int_equal(table_open(&tb, f->path, TABLE_CREATE, err,
	    sizeof err), 0);
	table_close(&tb);
	tfd = open(f->path, O_RDONLY);
	rfd = open(f->reach, O_RDWR);
	rrd = open(f->reach, O_RDONLY);
	assert_true(tfd >= 0 && rfd >= 0 && rrd >= 0);

	assert_int_equal(table_open_fds(&ro, tfd, rfd, f->path, err,
	    sizeof err), 0);
	assert_true(ro.rdonly);
	assert_non_null(ro.reach);
	table_close(&ro);
	/* they stay the process's */
	assert_true(fcntl(tfd, F_GETFD) >= 0 && fcntl(rfd, F_GETFD) >= 0);

	/* a reach file the process may not write to */
	assert_int_equal(table_open_fds(&ro, tfd, rrd, f->path, err,
	    sizeof err), -1);
	assert_contains(err, "not open for reading and writing");
	/* descriptors that are not the table CHAOS_TABLE names */
	snprintf(other, sizeof other, "%s/other.table", f->dir);
	assert_int_equal(table_open(&tb, other, TABLE_CREATE, err,
	    sizeof err), 0);
	table_close(&tb);
	assert_int_equal(table_open_fds(&ro, tfd, rfd, other, err,
	    sizeof err), -1);
	assert_contains(err, "is not the table");
	/* the reach file in the table's place */
	assert_int_equal(table_open_fds(&ro, rfd, rfd, NULL, err,
	    sizeof err), -1);
	assert_contains(err, "not a fault table");
	unlink(other);
	snprintf(other, sizeof other, "%s/other.table%s", f->dir, REACH_SUFFIX);
	unlink(other);
	close(tfd);
	close(rfd);
	close(rrd);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup_teardown(made_together, setup, teardown),
	cmocka_unit_test_setup_teardown(counts_summed, setup, teardown),
	cmocka_unit_test_setup_teardown(attach_records, setup, teardown),
	cmocka_unit_test_setup_teardown(inherited_descriptors, setup,
	    teardown),
};

UNIT_MAIN(tests)

/*
 * test-res.c: the values and rules of process and resource faults, as
 * chaosd proc, chaosd stress and [process.*], [stress.*], [limit.*]
 * sections take them: sizes and percentages, one target per fault, the
 * keys that go together, kill decisions reproducible from a seed, and
 * the doctor lines of the three kinds.
 */
#include "unit.h"

#include <math.h>
#include <signal.h>

#include "chaosd.h"
#include "kind.h"
#include "res.h"
#include "scenario.h"

static void
test_sizes(void **state)
{
	char		err[256], buf[32];
	uint64_t	v;

	(void)state;
	assert_int_equal(parse_size("4096", UINT64_MAX, &v, err, sizeof err),
	    0);
	assert_int_equal(v, 4096);
	assert_int_equal(parse_size("512M", UINT64_MAX, &v, err, sizeof err),
	    0);
	assert_int_equal(v, 512ull << 20);
	assert_int_equal(parse_size("2G", UINT64_MAX, &v, err, sizeof err), 0);
	assert_int_equal(v, 2ull << 30);
	assert_int_equal(parse_size("1.5GiB", UINT64_MAX, &v, err,
	    sizeof err), 0);
	assert_int_equal(v, 3ull << 29);
	assert_int_equal(parse_size("64k", UINT64_MAX, &v, err, sizeof err),
	    0);
	assert_int_equal(v, 65536);
	assert_int_equal(parse_size("1T", UINT64_MAX, &v, err, sizeof err), 0);
	assert_int_equal(v, 1ull << 40);
	assert_int_equal(parse_size("12furlongs", UINT64_MAX, &v, err,
	    sizeof err), -1);
	assert_contains(err, "unknown unit");
	assert_int_equal(parse_size("-1M", UINT64_MAX, &v, err, sizeof err),
	    -1);
	assert_int_equal(parse_size("0", UINT64_MAX, &v, err, sizeof err), -1);
	assert_contains(err, "no size");
	assert_int_equal(parse_size("", UINT64_MAX, &v, err, sizeof err), -1);
	assert_int_equal(parse_size("2G", 1ull << 30, &v, err, sizeof err), -1);
	assert_contains(err, "at most 1 GiB");
	assert_int_equal(parse_size("99999999999T", UINT64_MAX, &v, err,
	    sizeof err), -1);
	format_size(1ull << 30, buf, sizeof buf);
	assert_string_equal(buf, "1 GiB");
	format_size(3ull << 29, buf, sizeof buf);
	assert_string_equal(buf, "1.50 GiB");
	format_size(100, buf, sizeof buf);
	assert_string_equal(buf, "100 B");
	format_size(250ull << 20, buf, sizeof buf);
	assert_string_equal(buf, "250 MiB");
}

static void
test_percent(void **state)
{
	char	err[256];
	double	v;

	(void)state;
	assert_int_equal(parse_percent("50%", 1, &v, err, sizeof err), 0);
	assert_true(fabs(v - 0.5) < 1e-12);
	assert_int_equal(parse_percent("0.25", 1, &v, err, sizeof err), 0);
	assert_true(fabs(v - 0.25) < 1e-12);
	assert_int_equal(parse_percent("150%", 100, &v, err, sizeof err), 0);
	assert_true(fabs(v - 1.5) < 1e-12);
	assert_int_equal(parse_percent("150%", 1, &v, err, sizeof err), -1);
	assert_contains(err, "at most 100%");
	assert_int_equal(parse_percent("0%", 1, &v, err, sizeof err), -1);
	assert_int_equal(parse_percent("half", 1, &v, err, sizeof err), -1);
	assert_contains(err, "not a percentage");
	assert_int_equal(parse_percent("5%%", 1, &v, err, sizeof err), -1);
}

/* Set key = value through a kind's table; then its check. */
static int
section(const char *kind, void *spec, const char *const *kv, char *err,
    size_t errlen)
{
	const struct fault_kind *k = kind_find(kind);
	struct sc_fault	 f;
	int		 found;

	assert_non_null(k);
	memset(&f, 0, sizeof f);
	f.kind = k;
	f.spec = spec;
	memset(spec, 0, k->spec_size);
	if (k->init != NULL)
		k->init(spec, "t");
	err[0] = '\0';
	for (; kv[0] != NULL; kv += 2) {
		if (kind_set_option(k->options, spec, kv[0], kv[1], &found, err,
		    errlen) != 0)
			return (-1);
		assert_true(found);
	}
	return (k->check(&f, err, errlen));
}

static void
test_process_keys(void **state)
{
	struct proc_spec s;
	char	err[512];

	(void)state;
	{
		const char *const kv[] = { "pid", "42", NULL };

		assert_int_equal(section("process", &s, kv, err, sizeof err),
		    0);
		assert_int_equal(s.sig, SIGKILL);
		assert_int_equal(s.action, PA_KILL);
	}
	{
		const char *const kv[] = { "pid", "42", "name", "api", NULL };

		assert_int_equal(section("process", &s, kv, err, sizeof err),
		    -1);
		assert_contains(err, "pid = is given already");
	}
	{
		const char *const kv[] = { "signal", "TERM", NULL };

		assert_int_equal(section("process", &s, kv, err, sizeof err),
		    -1);
		assert_contains(err, "no target given");
	}
	{
		const char *const kv[] = { "name", "api", "probability", "10%",
		    NULL };

		assert_int_equal(section("process", &s, kv, err, sizeof err),
		    -1);
		assert_contains(err, "go with every");
	}
	{
		const char *const kv[] = { "name", "api", "action", "pause",
		    "signal", "TERM", NULL };

		assert_int_equal(section("process", &s, kv, err, sizeof err),
		    -1);
		assert_contains(err, "not pause");
	}
	{
		const char *const kv[] = { "name", "api", "signal", "SIGSTOP",
		    NULL };

		assert_int_equal(section("process", &s, kv, err, sizeof err),
		    -1);
		assert_contains(err, "use pause");
	}
	{
		const char *const kv[] = { "name", "a/b", NULL };

		assert_int_equal(section("process", &s, kv, err, sizeof err),
		    -1);
		assert_contains(err, "a base name");
	}
	{
		const char *const kv[] = { "cgroup", "relative", NULL };

		assert_int_equal(section("process", &s, kv, err, sizeof err),
		    -1);
		assert_contains(err, "an absolute path");
	}
	{
		const char *const kv[] = { "pid", "42", "all", "yes", NULL };

		assert_int_equal(section("process", &s, kv, err, sizeof err),
		    -1);
		assert_contains(err, "all goes with name");
	}
	{
		const char *const kv[] = { "unit", "api", NULL };

		assert_int_equal(section("process", &s, kv, err, sizeof err),
		    0);
		assert_string_equal(s.tg.text, "api.service");
	}
	{
		const char *const kv[] = { "name", "api", "every", "5ms", NULL };

		assert_int_equal(section("process", &s, kv, err, sizeof err),
		    -1);
		assert_contains(err, "10ms or more");
	}
}

static void
test_stress_keys(void **state)
{
	struct stress_spec s;
	char	err[512];

	(void)state;
	{
		const char *const kv[] = { "memory", "90%", NULL };

		assert_int_equal(section("stress", &s, kv, err, sizeof err), 0);
		assert_true(s.is_frac);
		assert_true(fabs(s.frac - 0.9) < 1e-12);
	}
	{
		const char *const kv[] = { "memory", "2G", "cpu", "50%", NULL };

		assert_int_equal(section("stress", &s, kv, err, sizeof err),
		    -1);
		assert_contains(err, "one of memory, cpu, fill or io");
	}
	{
		const char *const kv[] = { "fill", "/srv", NULL };

		assert_int_equal(section("stress", &s, kv, err, sizeof err),
		    -1);
		assert_contains(err, "size (how much) or free");
	}
	{
		const char *const kv[] = { "fill", "/srv", "size", "1G",
		    "pid", "42", NULL };

		assert_int_equal(section("stress", &s, kv, err, sizeof err),
		    -1);
		assert_contains(err, "joins no cgroup");
	}
	{
		const char *const kv[] = { "cpu", "50%", "ramp", "1s", NULL };

		assert_int_equal(section("stress", &s, kv, err, sizeof err),
		    -1);
		assert_contains(err, "ramp and oom go with memory");
	}
	{
		const char *const kv[] = { "memory", "1G", "workers", "2", NULL };

		assert_int_equal(section("stress", &s, kv, err, sizeof err),
		    -1);
		assert_contains(err, "workers goes with cpu or io");
	}
	{
		const char *const kv[] = { "memory", "150%", NULL };

		assert_int_equal(section("stress", &s, kv, err, sizeof err),
		    -1);
	}
	{
		const char *const kv[] = { "io", "/srv", "io_mode", "append",
		    NULL };

		assert_int_equal(section("stress", &s, kv, err, sizeof err),
		    -1);
		assert_contains(err, "write, read or fsync");
	}
	{
		int found = 1;

		/* name is no key of stress: a stressor joins cgroups */
		assert_int_equal(kind_set_option(stress_options, &s, "name",
		    "api", &found, err, sizeof err), 0);
		assert_false(found);
	}
}

static void
test_limit_keys(void **state)
{
	void	*spec = calloc(1, kind_find("limit")->spec_size);
	char	 err[512];

	(void)state;
	assert_non_null(spec);
	{
		const char *const kv[] = { "service", "api", "cpu", "150%",
		    NULL };

		assert_int_equal(section("limit", spec, kv, err, sizeof err),
		    0);
	}
	{
		const char *const kv[] = { "service", "api", NULL };

		assert_int_equal(section("limit", spec, kv, err, sizeof err),
		    -1);
		assert_contains(err, "no limit given");
	}
	{
		const char *const kv[] = { "service", "api", "io_write_bps",
		    "1M", NULL };

		assert_int_equal(section("limit", spec, kv, err, sizeof err),
		    -1);
		assert_contains(err, "need path");
	}
	{
		const char *const kv[] = { "cpu", "20%", NULL };

		assert_int_equal(section("limit", spec, kv, err, sizeof err),
		    -1);
		assert_contains(err, "no target given");
	}
	free(spec);
}

/* Decisions fall on a grid from the start: the same seed, the same. */
static void
test_killer(void **state)
{
	struct proc_spec s;
	struct killer	 a, b;
	uint64_t	 t, ms = 1000000;
	int		 fire, fb, n = 0, kills = 0;

	(void)state;
	proc_spec_init(&s);
	s.every_ns = 10 * ms;
	s.probability = 0.3;
	killer_init(&a, &s, 42, 0);
	killer_init(&b, &s, 42, 0);
	/* a polled every ms, b only every 35 ms: the same decisions */
	for (t = 0; t < 1000 * ms; t += ms) {
		while (killer_next(&a, t, 1000 * ms, &fire)) {
			n++;
			kills += fire;
		}
		if (t % (35 * ms) == 0)
			while (killer_next(&b, t, 1000 * ms, &fb))
				;
	}
	while (killer_next(&b, 999 * ms, 1000 * ms, &fb))
		;
	assert_int_equal(n, 100);
	assert_int_equal(a.decisions, 100);
	assert_int_equal(b.decisions, 100);
	assert_int_equal(a.fired, b.fired);
	/* binomial(100, 0.3): mean 30, sd 4.6 */
	assert_in_range(kills, 12, 48);
	/* count caps the kills, and then there are no more decisions */
	s.count = 3;
	killer_init(&a, &s, 42, 0);
	kills = 0;
	for (t = 0; t < 1000 * ms; t += ms)
		while (killer_next(&a, t, 1000 * ms, &fire))
			kills += fire;
	assert_int_equal(kills, 3);
	assert_true(a.decisions < 100);
	/* once: one decision, at the start, that kills */
	s.every_ns = 0;
	s.count = 0;
	killer_init(&a, &s, 1, 5 * ms);
	assert_int_equal(killer_next(&a, 4 * ms, 100 * ms, &fire), 0);
	assert_int_equal(killer_next(&a, 5 * ms, 100 * ms, &fire), 1);
	assert_int_equal(fire, 1);
	assert_int_equal(killer_next(&a, 50 * ms, 100 * ms, &fire), 0);
	/* the seed of a fault: its scenario's, and its own name */
	assert_true(fault_seed(1, 42, "a") == fault_seed(1, 42, "a"));
	assert_true(fault_seed(1, 42, "a") != fault_seed(1, 42, "b"));
}

static void
test_untouchable(void **state)
{
	char	why[256];

	(void)state;
	assert_int_equal(proc_untouchable(1, why, sizeof why), -1);
	assert_contains(why, "pid 1");
	assert_int_equal(proc_untouchable(getpid(), why, sizeof why), -1);
	assert_contains(why, "chaosd itself");
	assert_int_equal(proc_untouchable(getppid(), why, sizeof why), 0);
}

static int	doctor_lines, doctor_ok;
static char	doctor_text[4096];

static void
doctor_line(const char *what, int ok, const char *detail, const char *fix)
{
	doctor_lines++;
	doctor_ok += ok != 0;
	snprintf(doctor_text + strlen(doctor_text), sizeof doctor_text -
	    strlen(doctor_text), "%s %d %s %s\n", what, ok, detail ? detail :
	    "", fix ? fix : "");
	assert_true(ok || fix != NULL);		/* a missing line says the fix */
}

/* limit says whether this machine's cgroup v2 has each controller */
static void
test_doctor(void **state)
{
	char	root[PATH_MAX];
	int	v2cpu;

	(void)state;
	v2cpu = cgroup_v2_root(root, sizeof root) == 0 &&
	    cgroup_has_controller(root, "cpu");
	doctor_lines = doctor_ok = 0;
	doctor_text[0] = '\0';
	kind_find("limit")->doctor(doctor_line);
	assert_int_equal(doctor_lines, 3);
	assert_int_equal(strstr(doctor_text, "cpu.max (limit cpu) 1") !=
	    NULL, v2cpu);
	kind_find("process")->doctor(doctor_line);
	kind_find("stress")->doctor(doctor_line);
	assert_true(doctor_lines >= 6);
	assert_non_null(strstr(doctor_text, "cgroup freezer (pause)"));
	assert_non_null(strstr(doctor_text, "memory stressor 1"));
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_sizes),
	cmocka_unit_test(test_percent),
	cmocka_unit_test(test_process_keys),
	cmocka_unit_test(test_stress_keys),
	cmocka_unit_test(test_limit_keys),
	cmocka_unit_test(test_killer),
	cmocka_unit_test(test_untouchable),
	cmocka_unit_test(test_doctor),
};

UNIT_MAIN(tests)

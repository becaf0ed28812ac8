/*
 * test-scenario.c: scenario_load(): sections through their kinds, the
 * window keys, services, checks, and errors at FILE:LINE with the
 * section and a did-you-mean.
 */
#include "unit.h"

#include "chaosd.h"
#include "kind.h"
#include "net.h"
#include "scenario.h"

static struct scenario *
load(const char *text, char *err, size_t errlen, char **pathp)
{
	char	*path = unit_tmpfile(text, strlen(text));
	struct scenario *sc;

	err[0] = '\0';
	sc = scenario_load(path, err, errlen);
	if (pathp != NULL)
		*pathp = path;
	else {
		unlink(path);
		free(path);
	}
	return (sc);
}

/* text must be refused with "PATH:msg" (msg from the line number on). */
static void
refused(const char *text, const char *msg)
{
	char	 err[1024], *path, want[1024];
	struct scenario *sc;

	sc = load(text, err, sizeof err, &path);
	if (sc != NULL) {
		print_error("accepted:\n%s\n", text);
		fail();
	}
	snprintf(want, sizeof want, "%s:%s", path, msg);
	assert_string_equal(err, want);
	unlink(path);
	free(path);
}

static void
whole_file(void **state)
{
	static const char text[] =
	    "[scenario]\n"
	    "name = checkout\n"
	    "duration = 2m\n"
	    "command = make test\n"
	    "seed = 42\n"
	    "[service.api]\n"
	    "command = ./api --port 8080\n"
	    "ready = http://127.0.0.1:8080/health\n"
	    "restart = on-failure\n"
	    "restart_max = 2\n"
	    "restart_delay = 50ms\n"
	    "stop_timeout = 1s\n"
	    "user = root\n"
	    "log = /tmp/api.log\n"
	    "[inject.disk]\n"
	    "call = %write, %sync\n"
	    "path = /var/lib/app/*\n"
	    "error = EIO\n"
	    "probability = 1%\n"
	    "start = 10s\n"
	    "for = 30s\n"
	    "[network.slow]\n"
	    "netns = app\n"
	    "dev = veth0\n"
	    "delay = 300ms\n"
	    "jitter = 50ms\n"
	    "dport = 5432\n"
	    "optional = yes\n"
	    "[syscall.gr]\n"
	    "syscall = getrandom\n"
	    "error = EIO\n"
	    "[check.health]\n"
	    "type = http\n"
	    "url = http://127.0.0.1:8080/health\n"
	    "abort_after = 5\n"
	    "recover_within = 30s\n";
	struct scenario	*sc;
	struct net_spec	*ns;
	char		 err[1024];

	(void)state;
	sc = load(text, err, sizeof err, NULL);
	if (sc == NULL) {
		print_error("%s\n", err);
		fail();
	}
	assert_string_equal(sc->name, "checkout");
	assert_true(sc->duration_ns == 120 * NS_PER_S);
	assert_string_equal(sc->command, "make test");
	assert_true(sc->have_seed && sc->seed == 42);

	assert_int_equal(sc->nservices, 1);
	assert_int_equal(sc->services[0].restart, RESTART_ON_FAILURE);
	assert_true(sc->services[0].restart_max == 2);
	assert_true(sc->services[0].restart_delay_ns == 50 * NS_PER_MS);
	assert_true(sc->services[0].stop_timeout_ns == NS_PER_S);
	assert_int_equal(sc->services[0].uid, 0);
	assert_string_equal(sc->services[0].log, "/tmp/api.log");

	assert_int_equal(sc->nfaults, 3);
	assert_ptr_equal(sc->faults[0].kind, kind_find("inject"));
	assert_true(sc->faults[0].start_ns == 10 * NS_PER_S);
	assert_true(sc->faults[0].for_ns == 30 * NS_PER_S);
	assert_contains(sc->faults[0].what, "error=EIO");
	assert_ptr_equal(sc->faults[1].kind, kind_find("network"));
	assert_true(sc->faults[1].optional);
	ns = sc->faults[1].spec;
	assert_string_equal(ns->t.netns, "app");
	assert_string_equal(ns->t.dev, "veth0");
	assert_true(ns->f.delay_ns == 300 * NS_PER_MS);
	assert_int_equal(ns->m.dport_lo, 5432);
	assert_contains(sc->faults[1].what, "delay 300ms");
	assert_contains(sc->faults[1].what, "veth0 (netns app)");
	assert_ptr_equal(sc->faults[2].kind, kind_find("syscall"));
	assert_contains(sc->faults[2].what, "getrandom");

	assert_int_equal(sc->nchecks, 1);
	assert_true(sc->checks[0].abort_after == 5);
	assert_true(sc->checks[0].recover_within_ns == 30 * NS_PER_S);
	scenario_free(sc);
}

static void
file_name_is_the_default_name(void **state)
{
	char		 err[1024], *path, *base, *dot;
	struct scenario	*sc;

	(void)state;
	sc = load("[scenario]\nduration = 1s\n", err, sizeof err, &path);
	assert_non_null(sc);
	base = strrchr(path, '/') + 1;
	dot = strrchr(base, '.');
	assert_int_equal(strncmp(sc->name, base, dot != NULL ?
	    (size_t)(dot - base) : strlen(base)), 0);
	scenario_free(sc);
	unlink(path);
	free(path);
}

static void
errors_at_their_line(void **state)
{
	(void)state;
	refused("[scenario]\nduration = 1s\n[network.n]\ndev = lo\ndleay = 1s\n",
	    "5: [network.n] unknown key 'dleay' (did you mean 'delay'?)");
	/* the same parser as net apply: what it refuses, validate refuses */
	refused("[network.n]\ndev = lo\nrate = 1mbit\npid = 0\n",
	    "4: [network.n] pid: bad process id '0'");
	refused("[network.n]\ndev = lo\ndelay = 10ms\nreorder = 5%\ngap = 0\n",
	    "5: [network.n] gap: bad count '0' (1 or more)");
	refused("[network.n]\ndev = lo\nrate = 1mbit\ndport = 0\n",
	    "4: [network.n] dport: '0': port 0 is no port (1-65535)");
	refused("[network.n]\nrate = 1mbit\n",
	    "1: [network.n] no dev given: the device is required (dev = "
	    "eth0, --dev eth0)");
	refused("[inject.x]\ncall = read\neror = EIO\n",
	    "3: [inject.x] unknown key 'eror' (did you mean 'error'?)");
	refused("[inject.x]\ncall = read\nname = y\nerror = EIO\n",
	    "3: [inject.x] name: a scenario's rule is named by its section");
	refused("[syscall.s]\nsyscall = read\nerror = EIO\nstart = 1s\n",
	    "1: [syscall.s] start and for cannot be given: a seccomp filter "
	    "cannot be removed, so a syscall fault lasts as long as the "
	    "workload");
	refused("[check.a]\ntype = tcp\naddress = a:1\n[check.a]\n",
	    "4: [check.a] given twice (merge them into one)");
	refused("[check.a]\ntype = tcp\naddress = a:1\ntype = tcp\n",
	    "4: [check.a] 'type' given twice");
	refused("[inejct.x]\ncall = read\n",
	    "1: [inejct.x] unknown section (did you mean [inject.x]?): "
	    "scenario, service.NAME, check.NAME, inject.NAME, "
	    "syscall.NAME, network.NAME, process.NAME, stress.NAME, "
	    "limit.NAME");
	refused("[service.s]\ncommand = x\nrestart_max = many\n",
	    "3: [service.s] restart_max: 'many' is not a whole number");
	refused("[service.s]\ncommand = x\nuser = no-such-user-here\n",
	    "3: [service.s] user: no user 'no-such-user-here' on this "
	    "machine");
	refused("[scenario]\nduration = 1s\n[inject.x]\ncall = read\n"
	    "error = EIO\nstart = 2s\n",
	    "3: [inject.x] start = 2s is not before the scenario's "
	    "duration (1s)");
}

/* ${VAR} and ${VAR:-default} in ready, log, url and address */
static void
variables(void **state)
{
	struct scenario	*sc;
	char		 err[1024];

	(void)state;
	setenv("CHAOSD_UNIT_PORT", "5433", 1);
	unsetenv("CHAOSD_UNIT_UNSET");
	sc = load("[service.db]\ncommand = x\n"
	    "ready = tcp://127.0.0.1:${CHAOSD_UNIT_PORT}\n"
	    "log = ${CHAOSD_UNIT_UNSET:-/tmp/db}/db.log\n"
	    "[check.c]\ntype = http\n"
	    "url = http://127.0.0.1:${CHAOSD_UNIT_PORT:-1}/$$x\n",
	    err, sizeof err, NULL);
	if (sc == NULL) {
		print_error("%s\n", err);
		fail();
	}
	assert_string_equal(sc->services[0].ready, "tcp://127.0.0.1:5433");
	assert_string_equal(sc->services[0].log, "/tmp/db/db.log");
	assert_string_equal(sc->checks[0].url, "http://127.0.0.1:5433/$x");
	scenario_free(sc);
	refused("[check.c]\ntype = tcp\naddress = h:${CHAOSD_UNIT_UNSET}\n",
	    "3: [check.c] address: ${CHAOSD_UNIT_UNSET} is not set (export "
	    "it, or give a default: ${CHAOSD_UNIT_UNSET:-VALUE})");
	refused("[check.c]\ntype = tcp\naddress = h:${A\n",
	    "3: [check.c] address: 'h:${A': no '}' after '${'");
}

/* baseline, the conditions in each form, window, the goals */
static void
steady_state_keys(void **state)
{
	struct scenario	*sc;
	const struct sc_check *c;
	char		 err[1024];

	(void)state;
	sc = load("[scenario]\nmttd_max = 1m\nmttr_max = 5m\n"
	    "[check.a]\ntype = tcp\naddress = h:1\nbaseline = 20\n"
	    "max_p50 = +50ms\nmax_p90 = 250ms\nmax_p99 = 1.5x\n"
	    "max_error_rate = 5%\nwindow = 30\nmttr_max = 10s\n"
	    "[check.b]\ntype = tcp\naddress = h:1\nbaseline = 10s\n"
	    "max_error_rate = 2x\n"
	    "[check.c]\ntype = tcp\naddress = h:1\n",
	    err, sizeof err, NULL);
	if (sc == NULL) {
		print_error("%s\n", err);
		fail();
	}
	assert_true(sc->mttd_max_ns == 60 * NS_PER_S);
	assert_true(sc->mttr_max_ns == 300 * NS_PER_S);
	c = &sc->checks[0];
	assert_true(c->baseline == 20 && c->baseline_ns == 0);
	assert_int_equal(c->cond[COND_P50].form, LIMIT_PLUS);
	assert_true(c->cond[COND_P50].ns == 50 * NS_PER_MS);
	assert_int_equal(c->cond[COND_P90].form, LIMIT_ABS);
	assert_true(c->cond[COND_P90].ns == 250 * NS_PER_MS);
	assert_int_equal(c->cond[COND_P99].form, LIMIT_TIMES);
	assert_true(c->cond[COND_P99].times == 1.5);
	assert_int_equal(c->cond[COND_ERROR_RATE].form, LIMIT_ABS);
	assert_true(c->cond[COND_ERROR_RATE].rate == 0.05);
	assert_true(c->window == 30);
	assert_true(c->mttr_max_ns == 10 * NS_PER_S && c->mttd_max_ns == 0);
	c = &sc->checks[1];
	assert_true(c->baseline == 0 && c->baseline_ns == 10 * NS_PER_S);
	assert_int_equal(c->cond[COND_ERROR_RATE].form, LIMIT_TIMES);
	assert_true(c->cond[COND_ERROR_RATE].times == 2);
	assert_true(c->window == WINDOW_DEFAULT);
	assert_false(check_has_conditions(&sc->checks[2]));
	scenario_free(sc);

	refused("[check.a]\ntype = tcp\naddress = h:1\nmax_p99 = 3x\n",
	    "1: [check.a] max_p99 = 3x is relative to the check's baseline: "
	    "give baseline = N (probes before the faults), with when = "
	    "before");
	refused("[check.a]\ntype = tcp\naddress = h:1\nwhen = during\n"
	    "baseline = 5\n",
	    "1: [check.a] baseline needs when = before (it is learnt before "
	    "the faults)");
	refused("[check.a]\ntype = tcp\naddress = h:1\nwhen = before\n"
	    "max_p99 = 250ms\n",
	    "1: [check.a] max_p99 is judged during the chaos: it needs when "
	    "= during");
	refused("[check.a]\ntype = tcp\naddress = h:1\nwindow = 5\n",
	    "1: [check.a] window needs a condition to judge (max_p50, "
	    "max_p90, max_p99, max_error_rate)");
	refused("[check.a]\ntype = tcp\naddress = h:1\nwhen = after\n"
	    "mttr_max = 1s\n",
	    "1: [check.a] mttr_max needs when = during (a check detects a "
	    "fault while it lasts)");
	refused("[check.a]\ntype = tcp\naddress = h:1\nmax_p99 = 3y\n",
	    "4: [check.a] max_p99: '3y': a multiple of the baseline's (3x), "
	    "an increase over it (+50ms) or a latency (250ms)");
	refused("[check.a]\ntype = tcp\naddress = h:1\nmax_p50 = 0.5x\n",
	    "4: [check.a] max_p50: '0.5x': a multiple from 1x to 1000x");
	refused("[check.a]\ntype = tcp\naddress = h:1\nmax_p90 = 0ms\n",
	    "4: [check.a] max_p90: '0ms': a multiple of the baseline's (3x), "
	    "an increase over it (+50ms) or a latency (250ms)");
	refused("[check.a]\ntype = tcp\naddress = h:1\n"
	    "max_error_rate = 150%\n",
	    "4: [check.a] max_error_rate: '150%': a rate (5%, 0.05) or a "
	    "multiple of the baseline's (2x)");
	refused("[check.a]\ntype = tcp\naddress = h:1\n"
	    "max_error_rate = +1%\n",
	    "4: [check.a] max_error_rate: '+1%': a rate (5%, 0.05) or a "
	    "multiple of the baseline's (2x)");
	refused("[check.a]\ntype = tcp\naddress = h:1\nbaseline = 0\n",
	    "4: [check.a] baseline: '0': from 1 to 100000 probes");
	refused("[check.a]\ntype = tcp\naddress = h:1\nbaseline = lots\n",
	    "4: [check.a] baseline: 'lots': a number of probes (20) or a "
	    "duration to probe for (10s)");
	refused("[check.a]\ntype = tcp\naddress = h:1\nwindow = 0\n",
	    "4: [check.a] window: '0': from 1 to 1000 probes");
	refused("[scenario]\nmttd_max = 0s\n",
	    "2: [scenario] mttd_max: must be 1ms or more (the times are "
	    "measured in milliseconds; leave it out: no goal)");
	refused("[check.a]\ntype = tcp\naddress = h:1\nmax_p99 = 3x\n"
	    "max_99 = 3x\n",
	    "5: [check.a] unknown key 'max_99' (did you mean 'max_p99'?)");
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(steady_state_keys),
	cmocka_unit_test(variables),
	cmocka_unit_test(whole_file),
	cmocka_unit_test(file_name_is_the_default_name),
	cmocka_unit_test(errors_at_their_line),
};

UNIT_MAIN(tests)

/*
 * scenario.h: chaosd run and validate: the scenario, and what a run
 * found (run.h has the running itself).
 *
 * The pieces, one file each:
 *   scenario.c     the INI file into struct scenario (every error
 *                  "FILE:LINE: [section] message"); fault sections are
 *                  read through their kind (kind.h)
 *   timeline.c     the scenario clock: fault windows, the printed timeline
 *   service.c      [service.*]: started preloaded, waited for, restarted,
 *                  stopped
 *   check.c        [check.*]: the check types' table, the probing threads,
 *                  pass rates and latency percentiles
 *   check-exec.c, check-tcp.c, check-http.c   one check type each
 *   baseline.c     the steady state: the baseline the before phase
 *                  learns, the conditions judged against it over a
 *                  window of probes
 *   report-text.c, report-json.c, report-junit.c, report-html.c,
 *   report-prom.c  one report format each (report.h)
 *   progress.c     the live status line
 *   cmd-run.c, cmd-validate.c                      the subcommands
 */
#ifndef SCENARIO_H
#define SCENARIO_H

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "chaos.h"

#define SC_NAME_MAX	RULE_NAME_MAX
#define SC_DURATION_DEFAULT (5ull * 60 * 1000000000ull)	/* 5m */
#define NS_PER_MS	1000000ull
#define NS_PER_S	1000000000ull

struct fault_kind;

/* One fault section, [KIND.NAME]: what every kind has, and its own. */
struct sc_fault {
	char		 name[SC_NAME_MAX];
	const struct fault_kind *kind;
	int		 line;		/* of the section header */
	uint64_t	 start_ns;	/* on the scenario clock */
	uint64_t	 for_ns;	/* 0: until the end */
	int		 optional;
	void		*spec;		/* the kind's parsed fault */
	char		 what[512];	/* one line, for the timeline */
};

#define WHEN_BEFORE	(1u << 0)
#define WHEN_DURING	(1u << 1)
#define WHEN_AFTER	(1u << 2)

struct check_type;

/*
 * A condition's limit (baseline.c): max_p50, max_p90, max_p99 on the
 * latency, max_error_rate on the failures, over a window of probes.
 */
enum limit_form {
	LIMIT_NONE,
	LIMIT_ABS,		/* 250ms; an error rate 5% */
	LIMIT_TIMES,		/* 3x the baseline's */
	LIMIT_PLUS		/* +50ms over the baseline's */
};
enum { COND_P50, COND_P90, COND_P99, COND_ERROR_RATE, COND_MAX };

struct limit {
	enum limit_form	 form;
	double		 times;		/* LIMIT_TIMES */
	uint64_t	 ns;		/* LIMIT_ABS, LIMIT_PLUS: a latency */
	double		 rate;		/* LIMIT_ABS: an error rate, 0..1 */
	char		 text[32];	/* as written */
};

struct sc_check {
	char		 name[SC_NAME_MAX];
	int		 line;
	const struct check_type *type;
	char		*url;		/* http */
	int		 expect;	/* http: status code */
	char		*address;	/* tcp: HOST:PORT */
	char		*command;	/* exec */
	uint64_t	 interval_ns;
	uint64_t	 timeout_ns;
	unsigned	 when;
	uint64_t	 abort_after;	/* 0: never */
	uint64_t	 recover_within_ns;
	uint64_t	 baseline;	/* probes in the before phase; 0: one */
	uint64_t	 baseline_ns;	/* or probes for this long */
	struct limit	 cond[COND_MAX];
	uint64_t	 window;	/* probes the conditions are judged on */
	uint64_t	 mttd_max_ns;	/* goals; 0: none */
	uint64_t	 mttr_max_ns;
};

enum restart_policy { RESTART_NO, RESTART_ON_FAILURE };

struct sc_service {
	char		 name[SC_NAME_MAX];
	int		 line;
	char		*command;
	char		*ready;		/* http://... or tcp://HOST:PORT */
	uint64_t	 ready_timeout_ns;
	enum restart_policy restart;
	uint64_t	 restart_delay_ns;	/* first delay, doubling */
	uint64_t	 restart_delay_max_ns;
	uint64_t	 restart_max;	/* restarts allowed; 0: none */
	int		 restart_max_set;
	int		 crash_loop_ok;	/* a crash loop is expected */
	uint64_t	 stop_timeout_ns; /* SIGTERM, then SIGKILL after it */
	char		*user;		/* run as this user, or NULL */
	uid_t		 uid;
	gid_t		 gid;
	char		*log;		/* output to this file, or NULL */
};

struct scenario {
	char		*path;
	char		 name[SC_NAME_MAX];
	char		*description;
	uint64_t	 duration_ns;
	char		*command;	/* workload, run with sh -c */
	int		 have_seed;
	uint64_t	 seed;
	uint64_t	 mttd_max_ns;	/* goals for every fault; 0: none */
	uint64_t	 mttr_max_ns;

	struct sc_service *services;
	int		 nservices;
	struct sc_fault	*faults;
	int		 nfaults;
	struct sc_check	*checks;
	int		 nchecks;
};

/* ---- results ---------------------------------------------------- */

enum verdict { V_PASS, V_FAIL, V_ERROR };

struct probe {
	uint64_t	 t_ns;		/* on the scenario clock, at its end */
	uint64_t	 latency_ns;
	int		 phase;		/* WHEN_* */
	enum verdict	 v;
	unsigned	 deviated;	/* 1 << COND_*: over its limit */
};

/* What the before phase learnt, and the limits it gives (baseline.c). */
struct baseline {
	size_t		 probes;	/* passed or failed (errors aside) */
	uint64_t	 fails;
	double		 error_rate;
	uint64_t	 p_ns[3];	/* p50, p90, p99 */
	uint64_t	 max_ns[3];	/* the latency limits; 0: none */
	double		 max_rate;	/* the error rate's; < 0: none */
};

struct check_result {
	struct probe	*probes;
	size_t		 nprobes, cap;
	uint64_t	 passes, fails, errors;
	uint64_t	 consecutive;	/* failures in a row, during */
	enum verdict	 verdict;
	int		 ran;		/* had its chance to run */
	char		 message[256];	/* the last failure, one line */
	uint64_t	 p50_ns, p90_ns, p99_ns, max_ns;
	struct baseline	 base;
	uint64_t	 deviations;	/* probes that deviated */
	uint64_t	 deviation_t_ns;	/* the first one's */
	char		 deviation[256];	/* what it was, one line */
};

/* One check's time to detect and recover one fault; -1: null. */
struct check_times {
	int64_t		 ttd_ms, ttr_ms;
};

enum fault_status {
	FS_PENDING, FS_ACTIVE, FS_DONE, FS_SKIPPED, FS_FAILED, FS_REVERT_FAILED
};

struct fault_result {
	enum fault_status status;
	int		 applied;
	uint64_t	 start_ns, end_ns;	/* actual, scenario clock */
	int		 counted;	/* the kind counts calls: */
	uint64_t	 matched, injected;	/* calls matched and faulted */
	int		 reached;	/* the proof: 1 yes, 0 no, -1 unknown */
	char		 reach[256];	/* how it reached its target */
	int64_t		 ttd_ms, ttr_ms;	/* -1: null */
	struct check_times *ct;		/* each check's own, [nchecks] */
	char		 goal[256];	/* the first goal missed, or "" */
	char		 message[256];
	void		*state;		/* the kind's, while it runs */
};

struct service_result {
	pid_t		 pid;
	uint64_t	 start_time;	/* proc_start_time(pid) */
	int		 restarts;
	int		 died;		/* times it died before the end */
	int		 ready;
	uint64_t	 ready_ns;
	uint64_t	 restart_at;	/* mono ns; 0: none pending */
	uint64_t	 restart_delay_ns;	/* the next one */
	uint64_t	 started_ns;	/* mono ns of the last start */
	int		 killed;	/* SIGKILLed at the stop */
	int		 crash_loop;	/* restart_max reached */
	char		 message[256];
	char		 log_tail[1024];	/* the end of its log, when it died */
};

/* What an event is, for the reports that draw it (report-html.c). */
enum ev_kind {
	EV_NOTE,		/* anything else: only its text */
	EV_FAULT_ON,		/* index: the fault */
	EV_FAULT_OFF,
	EV_FAULT_FAILED,	/* could not be applied, or reverted */
	EV_SERVICE_DIED,	/* index: the service; status or signal */
	EV_SERVICE_RESTARTED,
	EV_WORKLOAD_START,
	EV_WORKLOAD_EXIT,	/* status or signal */
	EV_ABORT		/* index: the check, or -1 */
};

struct run_event {
	uint64_t	 t_ns;
	enum ev_kind	 kind;
	int		 index;		/* fault, service or check; -1: none */
	int		 status;	/* exit status; -1: none */
	int		 signal;	/* the signal that killed it; 0: none */
	char		 what[256];
};

struct run_result {
	const struct scenario *sc;
	int		 exit_status;
	char		 reason[512];
	char		 status[32];	/* passed failed aborted ... */
	char		 started[40];	/* ISO 8601 UTC */
	uint64_t	 t0_mono;	/* CLOCK_MONOTONIC ns of the clock's 0 */
	uint64_t	 elapsed_ns;
	uint64_t	 chaos_start_ns, chaos_end_ns;
	int		 dry_run;

	char		*workload;	/* what ran, or NULL */
	int		 workload_ran;
	int		 workload_status;	/* -1: not reaped */
	int		 workload_signal;

	char		*table_path;
	struct check_result   *checks;
	struct fault_result   *faults;
	struct service_result *services;
	struct run_event *events;
	size_t		 nevents, evcap;
	pthread_mutex_t	 lock;
};

/* ---- functions -------------------------------------------------- */

/* scenario.c */
struct scenario *scenario_load(const char *path, char *err, size_t errlen);
void	 scenario_free(struct scenario *);
const char *fault_kind_name(const struct fault_kind *);
int	 scenario_service_index(const struct scenario *, const char *name);

/* scenario-keys.c */
int	 scenario_key(struct scenario *, const char *key, const char *value,
	    char *err, size_t errlen);
int	 service_key(struct sc_service *, const char *key, const char *value,
	    char *err, size_t errlen);
int	 service_end(struct sc_service *, char *err, size_t errlen);
int	 check_key(struct sc_check *, const char *key, const char *value,
	    char *err, size_t errlen);
int	 check_end(struct sc_check *, char *err, size_t errlen);
int	 scenario_unknown_key(const char *key, const char *const *choices,
	    int n, char *err, size_t errlen);

/* timeline.c */
uint64_t fault_end_ns(const struct scenario *, const struct sc_fault *);
uint64_t chaos_end_ns(const struct scenario *);
void	 timeline_print(const struct scenario *, FILE *);
int	 scenario_notes(const struct scenario *, FILE *);

/* service.c */
int	 ready_probe(const char *ready, uint64_t timeout_ns, char *msg,
	    size_t len);

/* check.c */
struct check_type {
	const char *name;
	/* validate the check's keys at parse time */
	int	(*check)(const struct sc_check *, char *err, size_t errlen);
	/* one probe: V_PASS, V_FAIL or V_ERROR, msg one line on failure */
	enum verdict (*probe)(const struct sc_check *, char **env, char *msg,
	    size_t len);
};
const struct check_type *check_type_find(const char *name);
const char *check_type_names(void);
char	**check_environment(void);
enum verdict check_probe(struct run_result *, int i, int phase, char **env);
int	 checks_start(struct run_result *, char **env, volatile int *stop);
void	 checks_stop(void);
void	 checks_finish(struct run_result *);
void	 u64_sort(uint64_t *, size_t);
uint64_t u64_rank(const uint64_t *sorted, size_t n, unsigned pct);
void	 run_event(struct run_result *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 run_event_ex(struct run_result *, enum ev_kind, int index,
	    int wstatus, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));
uint64_t run_clock(const struct run_result *);
void	 one_line(char *dst, size_t len, const char *src);
void	 utf8_clean(char *dst, size_t len, const char *src);

/* baseline.c */
#define WINDOW_DEFAULT	10
#define WINDOW_MAX	1000
const char *cond_key(int cond);
int	 check_has_conditions(const struct sc_check *);
int	 check_tolerates(const struct sc_check *);
int	 probe_bad(const struct sc_check *, const struct probe *);
int	 probe_ok(const struct check_result *, const struct probe *);
void	 baseline_learn(const struct sc_check *, struct check_result *);
int	 baseline_refused(const struct sc_check *, const struct check_result *,
	    char *why, size_t len);
unsigned baseline_judge(const struct sc_check *, struct check_result *);
void	 baseline_text(const struct sc_check *, const struct check_result *,
	    char *buf, size_t len);
void	 conditions_text(const struct sc_check *, const struct check_result *,
	    char *buf, size_t len);

/* check-exec.c, check-tcp.c, check-http.c */
extern const struct check_type check_exec_type;
extern const struct check_type check_tcp_type;
extern const struct check_type check_http_type;
int	 tcp_probe_address(const char *address, uint64_t timeout_ns,
	    char *msg, size_t len);
int	 http_probe_url(const char *url, uint64_t timeout_ns, long *code,
	    char *msg, size_t len);
#define SPAWN_INHERIT	0	/* stdout, stderr: chaosd's */
#define SPAWN_QUIET	1	/* to /dev/null */
#define SPAWN_STDERR	2	/* stdout to chaosd's stderr */
int	 spawn_sh(const char *command, char **env, int mode, pid_t *pid,
	    char *err, size_t errlen);

/* report-*.c: one format each (report.h has what they share) */
struct report_format {
	const char *name;
	int	(*write)(const struct run_result *, FILE *);
};
extern const struct report_format report_text_format;
extern const struct report_format report_json_format;
extern const struct report_format report_junit_format;
extern const struct report_format report_html_format;
extern const struct report_format report_prom_format;

/* progress.c */
void	 report_progress(struct run_result *, FILE *);
void	 progress_end(struct run_result *, FILE *);
const char *fault_status_name(enum fault_status);
const char *verdict_name(enum verdict);

#endif

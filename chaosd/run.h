/*
 * run.h: chaosd run while it runs, shared by its files and by the fault
 * kinds' run functions (kind.h).
 *
 *   cmd-run.c       the command: options, the order of the phases
 *   run-chaos.c     the chaos phase: the clock, fault windows through
 *                   the kinds, the workload, services, abort thresholds
 *   run-steady.c    the steady state: services ready, checks' baselines
 *   run-verdict.c   verdicts, the time to detect and recover, goals,
 *                   outcomes
 *   run-journal.c   the run's own journal entry (its services, its files)
 *                   and the journal type that cleans up after a killed run
 *   service.c       [service.*]: started, watched, restarted, stopped
 */
#ifndef CHAOSD_RUN_H
#define CHAOSD_RUN_H

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

#include "chaosd.h"
#include "kind.h"
#include "scenario.h"

#define RUN_REPORTS_MAX	8
#define RUN_KINDS_MAX	16

struct report_req {
	const struct report_format *fmt;
	const char	*path;
};

struct run {
	struct run_result *rr;
	const struct scenario *sc;
	struct report_req reports[RUN_REPORTS_MAX];
	int		 nreports;
	int		 dry_run;
	char		*workload_text;	/* what sh -c runs, or NULL */
	struct env	 env;		/* the workload's and the services' */
	char		**check_env;
	char		*libinject;
	char		*dir;		/* where the run's files go */
	char		*private_dir;	/* dir, when made for this run */
	char		 id[64];	/* NAME-PID: the run's files and entry */
	pid_t		 workload;
	int		 rollback_failed;
	int		 progress;
	void		*kstate[RUN_KINDS_MAX];	/* each kind's, by index */
	struct jentry	 journal;	/* the run's own entry */
	int		 journaled;
	/* fds the services and the workload inherit (kinds add theirs) */
	int		 keep_fd[8];
	int		 nkeep_fd;
};

/*
 * Keep fd open in the services and the workload (kinds hand these); here,
 * not in run-chaos.c, so that a kind does not pull the run into programs
 * that only parse scenarios.
 */
static inline int
run_keep_fd(struct run *r, int fd)
{
	if (r->nkeep_fd >= (int)(sizeof r->keep_fd / sizeof r->keep_fd[0]))
		return (-1);
	r->keep_fd[r->nkeep_fd++] = fd;
	return (0);
}

extern volatile sig_atomic_t run_signal;
extern volatile int run_stop;

/* cmd-run.c */
void	 set_outcome(struct run_result *, int status, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
int	 outcome_rank(int exit_status);

/* run-chaos.c */
void	 chaos(struct run *);
void	 rollback(struct run *);
void	 after_checks(struct run *);
int	 faults_preflight(struct run *);

/* run-steady.c */
int	 steady_state(struct run *);

/* run-verdict.c */
void	 fault_times(struct run_result *);
void	 verdicts(struct run *);
const char *status_word(int exit_status);

/* run-journal.c */
int	 run_journal_begin(struct run *, char *err, size_t errlen);
void	 run_journal_update(struct run *);
void	 run_journal_group(struct run *, const char *name, pid_t,
	    uint64_t start_time);
void	 run_journal_end(struct run *);

/* service.c */
int	 service_start(struct run *, int i, char *err, size_t errlen);
int	 service_wait_ready(struct run *, int i, char *err, size_t errlen);
void	 service_poll(struct run *, int stopping);
void	 service_stop_all(struct run *);

#endif

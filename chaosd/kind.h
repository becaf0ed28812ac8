/*
 * kind.h: fault kinds behind one interface.
 *
 * A kind of fault (inject: libc calls through libinject's tables;
 * syscall: seccomp; network: tc through netlink; ...) is one file,
 * kind-NAME.c, exporting one `const struct fault_kind`, listed once in
 * kinds.c's kind_table[]. Everything that handles faults in general walks
 * that table: the scenario parser ([NAME.SECTION] sections), chaosd run
 * (apply at a window's start, poll while it is open, revert at its end,
 * prove that the fault reached its target), validate, the reports, and
 * doctor. What a kind changes on the system is journaled by its own
 * journal type (journal_types[], kinds.c), which the guardian, recover and
 * abort call without knowing the kind.
 *
 * A kind's keys are a table of struct kind_option, shared by its scenario
 * section and its own subcommand (chaosd net apply takes --delay where
 * [network.*] takes delay =), so that the two can never disagree:
 * validate refuses exactly what apply would.
 */
#ifndef CHAOSD_KIND_H
#define CHAOSD_KIND_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

struct env;
struct run;
struct run_result;
struct scenario;
struct sc_fault;
struct fault_result;
struct json_t;

/*
 * One key of a kind. On a command line it is --NAME with '_' written '-';
 * a flag (arg NULL) takes no value there and a boolean in a scenario.
 * set() parses value into the kind's spec; its message names neither the
 * key nor the place (the caller adds "--delay: " or "FILE:LINE: [network.x]
 * delay: ").
 */
struct kind_option {
	const char	*name;
	const char	*arg;		/* "D", "P", "RATE"...; NULL: a flag */
	int		(*set)(void *spec, const char *value, char *err,
			    size_t errlen);
	const char	*help;		/* one line, for --help */
	const char	*group;		/* --help heading, where it changes */
	unsigned	 flags;
};
#define KO_SCENARIO	0x1u	/* a scenario key only: no --option */

#define KIND_OPTIONS_MAX 64

/*
 * A kind. spec is the kind's parsed fault (spec_size bytes, zeroed, then
 * init()); every function but the parsing ones may be NULL.
 */
struct fault_kind {
	const char	*name;		/* the section prefix: "network" */
	const char	*summary;	/* one line, for validate and docs */
	const struct kind_option *options;	/* NULL-terminated */
	size_t		 spec_size;

	/* parsing: defaults, keys outside options[] (NULL: none), the
	   section's end (whole-section checks), the timeline's one line */
	void	(*init)(void *spec, const char *name);
	int	(*key)(void *spec, const char *key, const char *value,
		    char *err, size_t errlen);
	int	(*check)(struct sc_fault *, char *err, size_t errlen);
	void	(*describe)(const struct sc_fault *, char *buf, size_t len);
	void	(*free)(void *spec);
	/* checks across sections, once the whole file is read */
	int	(*check_scenario)(const struct scenario *, struct sc_fault *,
		    char *err, size_t errlen);
	/* what validate and --dry-run can already tell (a fault nothing
	   will run under): 1 and a note, or 0 */
	int	(*lint)(const struct scenario *, const struct sc_fault *,
		    char *note, size_t len);

	/* running: what this machine must offer (a "why" skips an
	   optional fault, else the run stops with exit 2 before anything
	   is applied) */
	int	(*preflight)(struct run *, int fault, char *why, size_t len);
	/* per run: state shared by a kind's faults (run->kstate[]) */
	int	(*run_init)(struct run *, char *err, size_t errlen);
	void	(*run_fini)(struct run *);
	/* a window opens, is open (every tick), closes: 0, or -1 with
	   fault_result.message saying why */
	int	(*apply)(struct run *, int fault);
	int	(*poll)(struct run *, int fault);
	int	(*revert)(struct run *, int fault);
	/* a batch of applies or reverts at one instant is over (inject
	   arms its tables once, not once per fault) */
	void	(*step_done)(struct run *);
	/* the proof: did the fault reach its target? Fills fault_result's
	   reached and reach; called once its window closed */
	void	(*proof)(struct run *, int fault);

	/* the processes a run starts (services, workload): environment
	   entries; and for the workload only, around its fork */
	void	(*environ)(struct run *, struct env *);
	int	(*workload_child)(struct run *);	/* -1: _exit(125) */
	int	(*workload_started)(struct run *, pid_t, char *err,
		    size_t errlen);
	void	(*workload_ended)(struct run *);

	/* report fields beside the common ones (NULL: none) */
	void	(*report_json)(const struct run_result *, int fault,
		    struct json_t *);
	/* lines under the fault's own in the text report (NULL: none) */
	void	(*report_text)(const struct run_result *, int fault, FILE *);
	/* chaosd doctor: one line per capability this kind needs, through
	   line() (ok, what was found, the fix when it is missing) */
	void	(*doctor)(void (*line)(const char *what, int ok,
		    const char *detail, const char *fix));
	/* chaosd doctor SCENARIO: each capability this fault needs on
	   the machine, by doctor's names ("netem", "seccomp_notify"...;
	   a kind's own lines are named from their label: limit's "cpu.max
	   (limit cpu)" is "limit_cpu_max"), through need(arg, name);
	   NULL: nothing a machine could lack */
	void	(*needs)(const struct sc_fault *, void (*need)(void *arg,
		    const char *capability), void *arg);
};

/* kinds.c */
extern const struct fault_kind *const kind_table[];
const struct fault_kind *kind_find(const char *name);
int	 kind_index(const struct fault_kind *);
int	 kind_count(void);
const char *kind_names(void);		/* "inject, network, ..." */
int	 kind_set_option(const struct kind_option *, void *spec,
	    const char *key, const char *value, int *found, char *err,
	    size_t errlen);
int	 kind_option_names(const struct kind_option *, const char **names,
	    int max);
void	 kind_print_options(const struct kind_option *, FILE *);

/*
 * The command line of a kind's subcommand (chaosd net apply, proc,
 * stress): getopt_long() over the kind's options (--NAME, '_' written
 * '-', KO_SCENARIO ones left out), set into spec as they come, and the
 * command's own, returned one by one (kinds.c: kind_getopt_next()).
 */
#define KIND_OPT_BASE		2000
#define KIND_GETOPT_END		(-1)
#define KIND_GETOPT_ERROR	(-2)
struct option;
struct kind_getopt {
	const struct kind_option *opts;
	struct option	*lo;
	char		 names[KIND_OPTIONS_MAX][32];
	int		 nkind;
	void		*spec;
	int		 given;		/* kind options set */
};
void	 kind_getopt_init(struct kind_getopt *, const struct kind_option *,
	    const struct option *own, int nown, void *spec);
int	 kind_getopt_next(struct kind_getopt *, int argc, char **argv,
	    char *err, size_t errlen);
void	 kind_getopt_free(struct kind_getopt *);
int	 kind_duration_arg(const char *opt, const char *arg, uint64_t *ns,
	    char *err, size_t errlen);

#endif

/*
 * kind-inject.c: [inject.NAME], faults on libc calls through libinject.
 *
 * The section's keys are the rule language's (libinject(7)), read by the
 * parser the shim uses, plus table = PATH. A run's services and workload
 * are started preloaded with libinject and CHAOS_TABLE naming the run's
 * own fault table; a fault with table = PATH arms that table instead (a
 * staging service's, preloaded outside the run). A table is armed with
 * the rules whose windows are open, its deadline the next change, so
 * that faults stop by themselves should chaosd be killed; it is
 * registered before it is armed, so that status, abort and recover find
 * it. The proof that a fault happened: the calls it matched in its
 * window, counted by the processes themselves in the table and its reach
 * file; and who attached to the table, or refused it, and why
 * (inject-reach.c).
 *
 * A service that runs as another user (user =, setpriv, a postmaster's
 * backends, nginx's workers) may not open the run's table, root's 0600
 * file in a 0700 directory: services and the workload inherit it open
 * read-only and its reach file open read-write (CHAOS_TABLE_FD=T,R), and
 * the run's shim log (CHAOS_LOG_FD), where every process under the run
 * says that it attached, or why it refused (libinject(7)).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "chaosd.h"
#include "exec-reach.h"
#include "inject-reach.h"
#include "kind.h"
#include "run.h"

struct inject_spec {
	struct rule	 rule;
	char		*table;		/* table = PATH, or NULL: the run's */
};

/* One fault table being armed: the run's, or one named by table =. */
struct inject_table {
	char		*path;
	int		 own;		/* made for this run: removed after */
	struct table	 tb;
	int		 open;
	int		 armed;
	int		 dirty;		/* its set of active faults changed */
	int		 slot[RULE_MAX];	/* fault index of each armed rule */
	int		 nslots;
	/* who attached or refused: kept for the reports (fault_result's
	   state), past the run's end */
	struct inject_reach *reach;
};

struct inject_run {
	struct inject_table *tables;	/* [0]: the run's own */
	int		 ntables;
	int		*fault_table;	/* by fault index: a table, or -1 */
	int		 tfd, rfd;	/* the run's table, its reach file */
	int		 logfd;		/* the shim's lines: CHAOS_LOG_FD */
	char		*log;
};

/* an [inject.*] section's keys beyond a rule's (rule.c's, but name) */
static const char *const inject_own_keys[] = { "optional", "table" };
#define NOWNKEYS ((int)(sizeof inject_own_keys / sizeof inject_own_keys[0]))

#define SPEC(f) ((struct inject_spec *)(f)->spec)
#define IRUN(r) ((struct inject_run *)(r)->kstate[kind_index(&kind_inject)])

extern const struct fault_kind kind_inject;

/* ---- parsing ---------------------------------------------------- */

static void
inject_init(void *spec, const char *name)
{
	struct inject_spec *s = spec;

	rule_init(&s->rule);
	strlcpy_chaos(s->rule.name, name, sizeof s->rule.name);
}

static int
inject_key(void *spec, const char *key, const char *value, char *err,
    size_t errlen)
{
	struct inject_spec *s = spec;
	const char *keys[RULE_KEYS_MAX + NOWNKEYS];
	char	 why[RULE_ERR_MAX], esc[72];
	int	 r, k, i, n, nkeys = 0;

	if (strcmp(key, "table") == 0) {
		if (value[0] != '/') {
			snprintf(err, errlen, "table: '%.80s': an absolute "
			    "path", value);
			return (-1);
		}
		free(s->table);
		s->table = xstrdup(value);
		return (0);
	}
	if (strcmp(key, "name") == 0) {
		snprintf(err, errlen, "name: a scenario's rule is named by its "
		    "section");
		return (-1);
	}
	if (strcmp(key, "call") == 0)
		r = rule_set_calls(&s->rule, value, why, sizeof why);
	else
		r = rule_set_key(&s->rule, key, value, why, sizeof why);
	if (r == 0)
		return (0);
	if (strncmp(why, "unknown key", 11) == 0) {
		n = rule_key_names(keys, RULE_KEYS_MAX);
		for (i = 0; i < n; i++)
			if (strcmp(keys[i], "name") != 0)
				keys[nkeys++] = keys[i];
		for (i = 0; i < NOWNKEYS; i++)
			keys[nkeys++] = inject_own_keys[i];
		if ((k = did_you_mean(key, keys, nkeys)) >= 0) {
			str_escape(esc, sizeof esc, key);
			snprintf(err, errlen, "unknown key '%s' (did you mean "
			    "'%s'?)", esc, keys[k]);
			return (-1);
		}
	}
	snprintf(err, errlen, "%s", why);
	return (-1);
}

static int
inject_check(struct sc_fault *f, char *err, size_t errlen)
{
	return (rule_check(&SPEC(f)->rule, err, errlen));
}

static void
inject_describe(const struct sc_fault *f, char *buf, size_t len)
{
	char	rule[1024];

	if (rule_format(&SPEC(f)->rule, rule, sizeof rule) < 0)
		rule[0] = '\0';
	one_line(buf, len, rule);
	if (SPEC(f)->table != NULL) {
		size_t n = strlen(buf);

		snprintf(buf + n, len - n, " (table %s)", SPEC(f)->table);
	}
}

static void
inject_free(void *spec)
{
	free(((struct inject_spec *)spec)->table);
}

/* table = PATH: a file there must be a fault table already. */
static int
inject_check_scenario(const struct scenario *sc, struct sc_fault *f,
    char *err, size_t errlen)
{
	const char	*path = SPEC(f)->table;
	uint64_t	 magic = 0;
	int		 fd;

	(void)sc;
	if (path == NULL)
		return (0);
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return (0);	/* its service creates it */
		snprintf(err, errlen, "table: %s: %s", path, errno == ELOOP ?
		    "a symbolic link: refused" : strerror(errno));
		return (-1);
	}
	if (read(fd, &magic, sizeof magic) != (ssize_t)sizeof magic ||
	    magic != TABLE_MAGIC) {
		close(fd);
		snprintf(err, errlen, "table: %s is not a fault table (a "
		    "preloaded service creates its own: CHAOS_TABLE=PATH)",
		    path);
		return (-1);
	}
	close(fd);
	return (0);
}

/* The run's table reaches its services and workload only. */
static int
inject_lint(const struct scenario *sc, const struct sc_fault *f, char *note,
    size_t len)
{
	if (SPEC(f)->table != NULL || sc->command != NULL || sc->nservices > 0)
		return (0);
	snprintf(note, len, "no service and no workload run under the "
	    "scenario's table: this fault will match nothing, and the run "
	    "will be inconclusive (give a [service], a command, -- CMD, or "
	    "table =)");
	return (1);
}

/* ---- running ---------------------------------------------------- */

/*
 * What the run's processes inherit: its table read-only, its reach file
 * read-write, its shim log (appended to); close-on-exec here, kept open in
 * the services and the workload (run_keep_fd).
 */
static int
inject_fds(struct run *r, struct inject_run *ir, char *err, size_t errlen)
{
	const char *path = ir->tables[0].path;
	char	*reach;

	xasprintf(&ir->log, "%s/%s.log", r->dir, r->id);
	/* journaled before it exists: recover removes it after a crash */
	jentry_add(&r->journal, "file", "%s", ir->log);
	run_journal_update(r);
	xasprintf(&reach, "%s.reach", path);
	ir->tfd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	ir->rfd = open(reach, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
	if (ir->tfd < 0 || ir->rfd < 0) {
		snprintf(err, errlen, "fault table: %s: %s", ir->tfd < 0 ?
		    path : reach, strerror(errno));
		free(reach);
		return (-1);
	}
	free(reach);
	ir->logfd = open(ir->log, O_RDWR | O_CREAT | O_TRUNC | O_APPEND |
	    O_NOFOLLOW | O_CLOEXEC, 0600);
	if (ir->logfd < 0) {
		snprintf(err, errlen, "shim log: %s: %s", ir->log,
		    strerror(errno));
		return (-1);
	}
	if (run_keep_fd(r, ir->tfd) != 0 || run_keep_fd(r, ir->rfd) != 0 ||
	    run_keep_fd(r, ir->logfd) != 0) {
		snprintf(err, errlen, "fault table: too many descriptors to "
		    "hand down");
		return (-1);
	}
	return (0);
}

static int
inject_run_init(struct run *r, char *err, size_t errlen)
{
	const struct scenario *sc = r->sc;
	struct inject_run *ir;
	char	 why[RULE_ERR_MAX];
	int	 i, j;

	ir = xcalloc(1, sizeof *ir);
	r->kstate[kind_index(&kind_inject)] = ir;
	ir->tables = xcalloc(sc->nfaults + 1, sizeof *ir->tables);
	ir->fault_table = xcalloc(sc->nfaults + 1, sizeof *ir->fault_table);
	ir->ntables = 1;
	ir->tfd = ir->rfd = ir->logfd = -1;
	xasprintf(&ir->tables[0].path, "%s/%s.table", r->dir, r->id);
	ir->tables[0].own = 1;
	/* journaled before it exists: recover removes it after a crash */
	jentry_add(&r->journal, "table", "%s", ir->tables[0].path);
	run_journal_update(r);
	if (table_open(&ir->tables[0].tb, ir->tables[0].path, TABLE_CREATE,
	    why, sizeof why) != 0) {
		snprintf(err, errlen, "fault table: %s", why);
		return (-1);
	}
	ir->tables[0].open = 1;
	ir->tables[0].reach = xcalloc(1, sizeof *ir->tables[0].reach);
	r->rr->table_path = xstrdup(ir->tables[0].path);
	if (inject_fds(r, ir, err, errlen) != 0)
		return (-1);
	log_info("fault table %s", ir->tables[0].path);

	for (i = 0; i < sc->nfaults; i++) {
		const struct sc_fault *f = &sc->faults[i];

		ir->fault_table[i] = -1;
		if (f->kind != &kind_inject ||
		    r->rr->faults[i].status == FS_SKIPPED)
			continue;
		r->rr->faults[i].counted = 1;
		if (SPEC(f)->table == NULL) {
			ir->fault_table[i] = 0;
			continue;
		}
		for (j = 1; j < ir->ntables; j++)
			if (strcmp(ir->tables[j].path, SPEC(f)->table) == 0)
				break;
		if (j == ir->ntables) {
			ir->tables[j].path = xstrdup(SPEC(f)->table);
			if (table_open(&ir->tables[j].tb, SPEC(f)->table, 0, why,
			    sizeof why) != 0) {
				if (!f->optional) {
					snprintf(err, errlen, "%s:%d: [inject.%s] "
					    "%s", sc->path, f->line, f->name,
					    why);
					return (-1);
				}
				free(ir->tables[j].path);
				snprintf(r->rr->faults[i].message,
				    sizeof r->rr->faults[i].message,
				    "skipped (optional): %.200s", why);
				r->rr->faults[i].status = FS_SKIPPED;
				log_warn("[inject.%s] %s", f->name,
				    r->rr->faults[i].message);
				continue;
			}
			ir->tables[j].open = 1;
			ir->tables[j].reach = xcalloc(1,
			    sizeof *ir->tables[j].reach);
			ir->ntables++;
		}
		ir->fault_table[i] = j;
	}
	return (0);
}

/* Add what the armed rules of t counted so far to their faults. */
static void
table_harvest(struct run *r, struct inject_table *t)
{
	uint64_t matched, injected;
	int	 k;

	if (!t->open || !t->armed)
		return;
	for (k = 0; k < t->nslots; k++) {
		struct fault_result *fr = &r->rr->faults[t->slot[k]];

		/* the table's counts and its reach file's (read-only
		   processes: libinject(7)) */
		table_counts(&t->tb, k, &matched, &injected);
		fr->matched += matched;
		fr->injected += injected;
	}
}

/* Arm t with the [inject.*] rules active now, or disarm it. */
static void
table_update(struct run *r, int ti)
{
	const struct scenario *sc = r->sc;
	struct inject_run *ir = IRUN(r);
	struct inject_table *t = &ir->tables[ti];
	struct rule_set	*set;
	uint64_t	 now = run_clock(r->rr), next = sc->duration_ns, deadline;
	char		 err[RULE_ERR_MAX], owner[128];
	int		 i;

	if (!t->open)
		return;
	table_harvest(r, t);
	/* before arming frees the records of processes gone */
	ireach_collect(t->reach, &t->tb);
	set = xcalloc(1, sizeof *set);
	t->nslots = 0;
	for (i = 0; i < sc->nfaults; i++) {
		const struct sc_fault *f = &sc->faults[i];
		uint64_t end;

		if (ir->fault_table[i] != ti)
			continue;
		if (r->rr->faults[i].status == FS_ACTIVE) {
			set->rule[set->n++] = SPEC(f)->rule;
			t->slot[t->nslots++] = i;
			end = fault_end_ns(sc, f);
			if (end < next)
				next = end;
		} else if (r->rr->faults[i].status == FS_PENDING &&
		    f->start_ns > now && f->start_ns < next)
			next = f->start_ns;
	}
	if (set->n == 0) {
		if (t->armed) {
			table_disarm(&t->tb);
			registry_remove(t->path);
		}
		t->armed = 0;
		free(set);
		return;
	}
	deadline = realtime_ns() + (next > now ? next - now : 0);
	snprintf(owner, sizeof owner, "chaosd run %s (pid %d)", sc->name,
	    (int)getpid());
	/* registered before it is armed, so abort and recover find it even
	 * if this chaosd is killed; the deadline ends it regardless */
	if (registry_add(t->path, realtime_ns(), deadline, err,
	    sizeof err) != 0)
		log_warn("%s: %s", t->path, err);
	if (table_arm(&t->tb, set, deadline, owner, err, sizeof err) != 0)
		log_warn("%s: %s", t->path, err);
	else
		t->armed = 1;
	free(set);
}

static int
inject_apply(struct run *r, int i)
{
	struct inject_run *ir = IRUN(r);

	if (ir->fault_table[i] >= 0)
		ir->tables[ir->fault_table[i]].dirty = 1;
	return (0);
}

static int
inject_revert(struct run *r, int i)
{
	return (inject_apply(r, i));
}

/* Re-arm the tables whose active set changed, once per instant. */
static void
inject_step_done(struct run *r)
{
	struct inject_run *ir = IRUN(r);
	int	i;

	if (ir == NULL)
		return;
	for (i = 0; i < ir->ntables; i++) {
		if (ir->tables[i].dirty) {
			ir->tables[i].dirty = 0;
			table_update(r, i);
		}
	}
}

/* The table fault i is armed in, open, or NULL. */
static struct inject_table *
inject_table_of(struct run *r, int i)
{
	struct inject_run *ir = IRUN(r);
	struct inject_table *t;

	if (ir == NULL || ir->fault_table[i] < 0)
		return (NULL);
	t = &ir->tables[ir->fault_table[i]];
	return (t->open ? t : NULL);
}

/* Who the fault's table reached, attached or refused, so far. */
static struct inject_reach *
table_reach(struct run *r, int i)
{
	struct inject_run *ir = IRUN(r);
	struct inject_table *t;

	if ((t = inject_table_of(r, i)) == NULL)
		return (NULL);
	ireach_collect(t->reach, &t->tb);
	if (ir->fault_table[i] == 0)
		ireach_read_log(t->reach, ir->logfd, t->path);
	return (t->reach);
}

static void
inject_proof(struct run *r, int i)
{
	struct fault_result *fr = &r->rr->faults[i];
	struct inject_reach *reach;
	struct inject_table *t;
	char	 why[200] = "";
	int	 n;

	if (!fr->applied)
		return;
	if ((reach = table_reach(r, i)) != NULL) {
		fr->state = reach;
		ireach_why(reach, why, sizeof why);
	}
	/* the table truncated under the run (table-guard.c): from then on
	   no process saw the fault, nor counted it */
	if ((t = inject_table_of(r, i)) != NULL && table_guard_cut(t->tb.map)) {
		fr->reached = 0;
		n = snprintf(fr->reach, sizeof fr->reach, "its table %s was "
		    "cut short during the run (truncated by another process): "
		    "the fault stopped there, and its counts were lost",
		    t->path);
		if (fr->injected > 0 && n > 0 && (size_t)n < sizeof fr->reach)
			snprintf(fr->reach + n, sizeof fr->reach - (size_t)n,
			    " (%llu injected before)",
			    (unsigned long long)fr->injected);
		return;
	}
	if (fr->injected > 0) {
		fr->reached = 1;
		snprintf(fr->reach, sizeof fr->reach, "injected %llu of %llu "
		    "matching calls", (unsigned long long)fr->injected,
		    (unsigned long long)fr->matched);
		return;
	}
	fr->reached = 0;
	if (fr->matched > 0)
		snprintf(fr->reach, sizeof fr->reach, "matched %llu calls in "
		    "its window but injected none (its trigger never fired: "
		    "nth, after, probability)", (unsigned long long)
		    fr->matched);
	else if (reach != NULL && reach->nrefused > 0)
		snprintf(fr->reach, sizeof fr->reach, "matched no call in its "
		    "window: %s", why);
	else if (why[0] != '\0')
		snprintf(fr->reach, sizeof fr->reach, "matched no call in its "
		    "window: %s (check call and path; a static or Go program "
		    "needs [syscall.*])", why);
	else
		snprintf(fr->reach, sizeof fr->reach, "matched no call in its "
		    "window: no process under the table made a call its "
		    "filters take (check call and path; a static or Go "
		    "program needs [syscall.*])");
}

static void
inject_environ(struct run *r, struct env *e)
{
	struct inject_run *ir = IRUN(r);
	char	seed[32], fds[64];

	env_set(e, "LD_PRELOAD", r->libinject);
	env_set(e, "CHAOS_TABLE", ir->tables[0].path);
	if (ir->tfd >= 0 && ir->rfd >= 0) {
		snprintf(fds, sizeof fds, "%d,%d", ir->tfd, ir->rfd);
		env_set(e, "CHAOS_TABLE_FD", fds);
	}
	if (ir->logfd >= 0 && shim_log_fd_env(ir->logfd, fds, sizeof fds) == 0)
		env_set(e, "CHAOS_LOG_FD", fds);
	if (r->sc->have_seed) {
		snprintf(seed, sizeof seed, "%llu",
		    (unsigned long long)r->sc->seed);
		env_set(e, "CHAOS_SEED", seed);
	}
}

static void
inject_run_fini(struct run *r)
{
	struct inject_run *ir = IRUN(r);
	int	i;

	if (ir == NULL)
		return;
	for (i = 0; i < ir->ntables; i++) {
		struct inject_table *t = &ir->tables[i];

		if (t->open && t->armed) {
			table_harvest(r, t);
			table_disarm(&t->tb);
			registry_remove(t->path);
			t->armed = 0;
		}
		if (t->open)
			table_close(&t->tb);
		if (t->own) {
			unlink(t->path);
			table_unlink_reach(t->path);
			jentry_del(&r->journal, "table", t->path);
		}
		free(t->path);
	}
	if (ir->tfd >= 0)
		close(ir->tfd);
	if (ir->rfd >= 0)
		close(ir->rfd);
	if (ir->logfd >= 0)
		close(ir->logfd);
	if (ir->log != NULL) {
		unlink(ir->log);
		jentry_del(&r->journal, "file", ir->log);
		free(ir->log);
	}
	free(ir->tables);
	free(ir->fault_table);
	free(ir);
	r->kstate[kind_index(&kind_inject)] = NULL;
}

static void
inject_report_json(const struct run_result *rr, int i, json_t *o)
{
	const char *t = SPEC(&rr->sc->faults[i])->table;

	json_object_set_new(o, "table", json_string(t != NULL ? t :
	    rr->table_path != NULL ? rr->table_path : ""));
	if (rr->faults[i].state != NULL)
		ireach_json(rr->faults[i].state, o);
}

static void
inject_report_text(const struct run_result *rr, int i, FILE *f)
{
	if (rr->faults[i].state != NULL)
		ireach_text(rr->faults[i].state, f);
}

const struct fault_kind kind_inject = {
	.name = "inject",
	.summary = "faults on libc calls, through libinject's fault tables",
	.options = NULL,
	.spec_size = sizeof(struct inject_spec),
	.init = inject_init,
	.key = inject_key,
	.check = inject_check,
	.describe = inject_describe,
	.free = inject_free,
	.check_scenario = inject_check_scenario,
	.lint = inject_lint,
	.run_init = inject_run_init,
	.run_fini = inject_run_fini,
	.environ = inject_environ,
	.apply = inject_apply,
	.revert = inject_revert,
	.step_done = inject_step_done,
	.proof = inject_proof,
	.report_json = inject_report_json,
	.report_text = inject_report_text,
};

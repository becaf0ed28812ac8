/*
 * target.c: what a process or resource fault aims at, and what that is
 * at a given moment.
 *
 * A target is one of: a scenario's service (its process group, as
 * chaosd run started it), a pid, a name (the executable's base name or
 * the command name, exactly, as pgrep -x matches; more than one match is
 * refused unless all = yes), a cgroup (its directory, or its path as
 * /proc/PID/cgroup shows it) or a systemd unit (through its cgroup). The
 * same option rows serve every kind that takes one, each kind allowing
 * the types that make sense for it. Resolving a target gives its
 * processes now, each with its start time so that a reused pid is never
 * taken for it. Some processes chaosd never touches, and says so: pid 1,
 * chaosd itself, its guardian, and kernel threads.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chaosd.h"
#include "res.h"
#include "run.h"

#define PF_KTHREAD	0x00200000u

static const char *const type_keys[] = {
	"", "service", "pid", "name", "cgroup", "unit"
};

/* ---- options ---------------------------------------------------- */

static int
target_set(struct target *t, enum target_type type, char *err,
    size_t errlen)
{
	if (t->type != TG_NONE && t->type != type) {
		snprintf(err, errlen, "%s = is given already: a fault has one "
		    "target (service, pid, name, cgroup or unit)",
		    type_keys[t->type]);
		return (-1);
	}
	t->type = type;
	return (0);
}

static int
set_text(struct target *t, enum target_type type, const char *v,
    size_t max, char *err, size_t errlen)
{
	if (target_set(t, type, err, errlen) != 0)
		return (-1);
	if (*v == '\0' || strlen(v) >= max) {
		snprintf(err, errlen, "'%.80s': %s", v, *v == '\0' ? "empty" :
		    "too long");
		return (-1);
	}
	snprintf(t->text, sizeof t->text, "%s", v);
	return (0);
}

int
target_o_service(void *spec, const char *v, char *err, size_t errlen)
{
	return (set_text(spec, TG_SERVICE, v, RULE_NAME_MAX, err, errlen));
}

int
target_o_pid(void *spec, const char *v, char *err, size_t errlen)
{
	struct target	*t = spec;
	uint64_t	 n;
	char		 why[RULE_ERR_MAX];

	if (target_set(t, TG_PID, err, errlen) != 0)
		return (-1);
	if (parse_uint(v, INT32_MAX, &n, why, sizeof why) != 0 || n == 0) {
		snprintf(err, errlen, "bad process id '%.40s'", v);
		return (-1);
	}
	t->pid = (pid_t)n;
	return (0);
}

int
target_o_name(void *spec, const char *v, char *err, size_t errlen)
{
	if (strchr(v, '/') != NULL) {
		snprintf(err, errlen, "'%.80s': a base name, without '/' (as "
		    "pgrep -x takes it)", v);
		return (-1);
	}
	return (set_text(spec, TG_NAME, v, NAME_MAX, err, errlen));
}

int
target_o_all(void *spec, const char *v, char *err, size_t errlen)
{
	return (parse_bool(v, &((struct target *)spec)->all, err, errlen));
}

int
target_o_cgroup(void *spec, const char *v, char *err, size_t errlen)
{
	if (v[0] != '/') {
		snprintf(err, errlen, "'%.80s': an absolute path (a directory "
		    "under /sys/fs/cgroup, or a path as /proc/PID/cgroup shows "
		    "it)", v);
		return (-1);
	}
	return (set_text(spec, TG_CGROUP, v, PATH_MAX - 64, err, errlen));
}

/* A unit name as systemd writes them; "api" means "api.service". */
int
target_o_unit(void *spec, const char *v, char *err, size_t errlen)
{
	struct target	*t = spec;
	const char	*c;

	for (c = v; *c != '\0'; c++) {
		if (!isalnum((unsigned char)*c) && strchr(":-_.\\@", *c) ==
		    NULL) {
			snprintf(err, errlen, "'%.80s' is not a unit name", v);
			return (-1);
		}
	}
	if (set_text(t, TG_UNIT, v, NAME_MAX - 16, err, errlen) != 0)
		return (-1);
	if (strchr(v, '.') == NULL)
		snprintf(t->text, sizeof t->text, "%s.service", v);
	return (0);
}

int
target_check(const struct target *t, unsigned allowed, int required,
    char *err, size_t errlen)
{
	char	list[96] = "";
	int	i;

	for (i = TG_SERVICE; i <= TG_UNIT; i++) {
		if (!(allowed & TGM(i)))
			continue;
		snprintf(list + strlen(list), sizeof list - strlen(list),
		    "%s%s", list[0] != '\0' ? ", " : "", type_keys[i]);
	}
	if (t->type == TG_NONE) {
		if (!required && !t->all)
			return (0);
		snprintf(err, errlen, t->all ? "all goes with name = " :
		    "no target given: one of %s", list);
		return (-1);
	}
	if (!(allowed & TGM(t->type))) {
		snprintf(err, errlen, "%s = cannot be used here (one of %s)",
		    type_keys[t->type], list);
		return (-1);
	}
	if (t->all && t->type != TG_NAME) {
		snprintf(err, errlen, "all goes with name =, not %s =",
		    type_keys[t->type]);
		return (-1);
	}
	return (0);
}

const char *
target_describe(const struct target *t, char *buf, size_t len)
{
	switch (t->type) {
	case TG_SERVICE:
		snprintf(buf, len, "service %s", t->text);
		break;
	case TG_PID:
		snprintf(buf, len, "pid %ld", (long)t->pid);
		break;
	case TG_NAME:
		snprintf(buf, len, "%s named %s", t->all ? "every process" :
		    "the process", t->text);
		break;
	case TG_CGROUP:
		snprintf(buf, len, "cgroup %s", t->text);
		break;
	case TG_UNIT:
		snprintf(buf, len, "unit %s", t->text);
		break;
	default:
		snprintf(buf, len, "nothing");
	}
	return (buf);
}

/* ---- processes -------------------------------------------------- */

int
procset_add(struct procset *s, pid_t pid, uint64_t start)
{
	if (procset_has(s, pid))
		return (0);
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = xreallocarray(s->v, (size_t)s->cap, sizeof *s->v);
	}
	s->v[s->n].pid = pid;
	s->v[s->n++].start = start;
	return (1);
}

int
procset_has(const struct procset *s, pid_t pid)
{
	int	i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].pid == pid)
			return (1);
	return (0);
}

void
procset_free(struct procset *s)
{
	free(s->v);
	memset(s, 0, sizeof *s);
}

/* The guardian of this journal directory (guardian.pid), or 0. */
pid_t
guardian_pid(void)
{
	char	path[PATH_MAX], buf[32];
	ssize_t	n;
	long	pid;
	int	fd;

	snprintf(path, sizeof path, "%s/guardian.pid", journal_dir());
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return (0);
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return (0);
	buf[n] = '\0';
	pid = strtol(buf, NULL, 10);
	return (pid > 0 && proc_alive((pid_t)pid, 0) ? (pid_t)pid : 0);
}

/* May chaosd signal or stop pid? 0, or -1 with why. */
int
proc_untouchable(pid_t pid, char *why, size_t len)
{
	struct proc_stat ps;

	if (pid == 1)
		snprintf(why, len, "pid 1 (init) is never signalled or paused");
	else if (pid == getpid())
		snprintf(why, len, "pid %ld is chaosd itself", (long)pid);
	else if (pid == guardian_pid())
		snprintf(why, len, "pid %ld is chaosd's guardian, which undoes "
		    "faults", (long)pid);
	else if (proc_stat(pid, &ps) == 0 && (ps.flags & PF_KTHREAD))
		snprintf(why, len, "pid %ld (%s) is a kernel thread", (long)pid,
		    ps.comm);
	else
		return (0);
	return (-1);
}

/* Is pid's executable (base name) or command name exactly name? */
static int
name_matches(pid_t pid, const char *comm, const char *name)
{
	char	exe[NAME_MAX + 1], *del;

	if (strcmp(comm, name) == 0 || (strlen(name) > 15 &&
	    strlen(comm) == 15 && strncmp(comm, name, 15) == 0))
		return (1);
	if (proc_exe_name(pid, exe, sizeof exe) != 0)
		return (0);
	if ((del = strstr(exe, " (deleted)")) != NULL && del[10] == '\0')
		*del = '\0';
	return (strcmp(exe, name) == 0);
}

/*
 * Every live process (not a zombie) for which match() says yes, into s.
 * -1 when /proc cannot be read.
 */
static int
proc_scan(struct procset *s, int (*match)(pid_t, const struct proc_stat *,
    const void *), const void *arg)
{
	struct proc_stat ps;
	struct dirent	*de;
	DIR		*d;

	if ((d = opendir("/proc")) == NULL)
		return (-1);
	while ((de = readdir(d)) != NULL) {
		char	*end;
		long	 pid = strtol(de->d_name, &end, 10);

		if (*end != '\0' || pid <= 0 ||
		    proc_stat((pid_t)pid, &ps) != 0 || ps.state == 'Z' ||
		    ps.state == 'X')
			continue;
		if (match((pid_t)pid, &ps, arg))
			procset_add(s, (pid_t)pid, ps.start);
	}
	closedir(d);
	return (0);
}

static int
match_group(pid_t pid, const struct proc_stat *ps, const void *arg)
{
	(void)pid;
	return (ps->pgrp == *(const pid_t *)arg);
}

static int
match_name(pid_t pid, const struct proc_stat *ps, const void *arg)
{
	return (name_matches(pid, ps->comm, arg));
}

/* The processes of a cgroup directory. */
static int
cgroup_set(const char *dir, struct procset *s, char *err, size_t errlen)
{
	pid_t	*pids;
	int	 n, i;

	if (cgroup_pids(dir, &pids, &n) != 0) {
		snprintf(err, errlen, "%s: cannot read its processes: %s", dir,
		    strerror(errno));
		return (-1);
	}
	for (i = 0; i < n; i++) {
		uint64_t start = proc_start_time(pids[i]);

		if (start != 0)
			procset_add(s, pids[i], start);
	}
	free(pids);
	snprintf(s->cgroup, sizeof s->cgroup, "%s", dir);
	return (0);
}

/*
 * What t is now, into s (which the caller frees). group and group_start
 * are a service's process group (0: it is down). 0, with s->n 0 when
 * nothing matched (s->what says what was looked for); -1 with err when
 * the target is refused: an untouchable process, more than one match
 * without all, a cgroup that is not there.
 */
int
target_resolve(const struct target *t, pid_t group, uint64_t group_start,
    struct procset *s, char *err, size_t errlen)
{
	char	dir[PATH_MAX], why[256];
	int	i;

	memset(s, 0, sizeof *s);
	switch (t->type) {
	case TG_SERVICE:
		snprintf(s->what, sizeof s->what, "service %.64s", t->text);
		if (group <= 0 || !proc_alive(group, group_start))
			return (0);
		s->group = group;
		s->group_start = group_start;
		if (proc_scan(s, match_group, &group) != 0)
			procset_add(s, group, group_start);
		snprintf(s->what, sizeof s->what, "service %.64s (process "
		    "group %ld)", t->text, (long)group);
		break;
	case TG_PID: {
		struct proc_stat ps;

		snprintf(s->what, sizeof s->what, "pid %ld", (long)t->pid);
		if (proc_stat(t->pid, &ps) != 0 || ps.state == 'Z')
			return (0);
		procset_add(s, t->pid, ps.start);
		snprintf(s->what, sizeof s->what, "pid %ld (%s)", (long)t->pid,
		    ps.comm);
		break;
	}
	case TG_NAME:
		snprintf(s->what, sizeof s->what, "a process named %.100s",
		    t->text);
		if (proc_scan(s, match_name, t->text) != 0) {
			snprintf(err, errlen, "cannot read /proc: %s",
			    strerror(errno));
			return (-1);
		}
		if (s->n > 1 && !t->all) {
			char list[96] = "";

			for (i = 0; i < s->n && i < 5; i++)
				snprintf(list + strlen(list), sizeof list -
				    strlen(list), "%s%ld", i ? ", " : "",
				    (long)s->v[i].pid);
			snprintf(err, errlen, "%d processes are named %s (pids "
			    "%s%s): give all = yes (--all) for every one, or "
			    "pid = for one", s->n, t->text, list, s->n > 5 ?
			    "..." : "");
			procset_free(s);
			return (-1);
		}
		if (s->n > 0)
			snprintf(s->what, sizeof s->what, "%d process%s named "
			    "%.100s", s->n, s->n == 1 ? "" : "es", t->text);
		break;
	case TG_CGROUP:
	case TG_UNIT:
		if ((t->type == TG_CGROUP ? cgroup_resolve(t->text, dir,
		    sizeof dir, err, errlen) : cgroup_unit_dir(t->text, dir,
		    sizeof dir, err, errlen)) != 0)
			return (-1);
		if (cgroup_set(dir, s, err, errlen) != 0)
			return (-1);
		if (t->type == TG_UNIT)
			snprintf(s->what, sizeof s->what, "unit %.40s (cgroup "
			    "%.100s)", t->text, dir);
		else
			snprintf(s->what, sizeof s->what, "cgroup %.140s", dir);
		break;
	default:
		snprintf(err, errlen, "no target");
		return (-1);
	}
	for (i = 0; i < s->n; i++) {
		if (proc_untouchable(s->v[i].pid, why, sizeof why) != 0) {
			snprintf(err, errlen, "%s: %s", s->what, why);
			procset_free(s);
			return (-1);
		}
	}
	return (0);
}

/* ---- in a scenario, in a run ------------------------------------ */

/* service = NAME names a [service.NAME] of the scenario (a kind's
   check_scenario: every spec begins with its target). */
int
target_check_scenario(const struct scenario *sc, struct sc_fault *f,
    char *err, size_t errlen)
{
	const struct target *t = f->spec;

	if (t->type == TG_SERVICE && scenario_service_index(sc, t->text) < 0) {
		snprintf(err, errlen, "service = %.64s: no [service.%.64s] in "
		    "this scenario", t->text, t->text);
		return (-1);
	}
	return (0);
}

/* A pid, cgroup or unit must be there before a run starts. */
int
target_preflight(const struct target *t, char *why, size_t len)
{
	struct procset	s;

	if (t->type != TG_PID && t->type != TG_CGROUP && t->type != TG_UNIT)
		return (0);
	if (target_resolve(t, 0, 0, &s, why, len) != 0)
		return (-1);
	if (s.n == 0 && s.cgroup[0] == '\0') {
		snprintf(why, len, "no process %ld", (long)t->pid);
		return (-1);
	}
	procset_free(&s);
	return (0);
}

/* A service target's process group in the run now; 0: it is down. */
pid_t
target_service_group(const struct run *r, const struct target *t,
    uint64_t *start)
{
	int	k;

	*start = 0;
	if (t->type != TG_SERVICE ||
	    (k = scenario_service_index(r->sc, t->text)) < 0 ||
	    r->rr->services[k].pid <= 0)
		return (0);
	*start = r->rr->services[k].start_time;
	return (r->rr->services[k].pid);
}

/* What t is now in the run: target_resolve() with its service's group. */
int
target_resolve_run(const struct run *r, const struct target *t,
    struct procset *s, char *err, size_t errlen)
{
	uint64_t	start;
	pid_t		group = target_service_group(r, t, &start);

	return (target_resolve(t, group, start, s, err, errlen));
}

/*
 * stress.c: stressors as a library, for chaosd stress and for
 * [stress.*] in chaosd run.
 *
 * A memory, cpu or io stressor is a child process: chaosd itself
 * re-executed from /proc/self/exe as "chaosd stress worker ..."
 * (stress-worker.c), with PR_SET_PDEATHSIG so that it dies with the
 * chaosd that started it, joining the cgroups it is told to before it
 * does anything, and saying "started", then "ready" (or "error: ...")
 * on a pipe. chaosd watches it through /proc: its resident anonymous
 * memory, its CPU time, the bytes it read and wrote. A fill is a file
 * chaosd preallocates itself (stress-fill.c).
 *
 * Everything is journaled before it exists (type "stress": the workers
 * as "proc=PID START", the files as "file=INO PATH", INO 0 until it is
 * known), bound to this chaosd and expiring with the window: the
 * guardian, recover and abort kill the workers (the same processes:
 * their start times) and remove the files (the same files: their
 * inodes).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>

#include "chaosd.h"
#include "res.h"

#define START_WAIT_NS	(5ull * 1000000000)
#define SAMPLE_NS	(200ull * 1000000)
#define CAP_SYS_RESOURCE 24

/* ---- the machine ------------------------------------------------ */

uint64_t
vmstat_oom_kills(void)
{
	char		 line[128];
	unsigned long long n = 0;
	FILE		*f;

	if ((f = fopen("/proc/vmstat", "re")) == NULL)
		return (0);
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "oom_kill %llu", &n) == 1)
			break;
	fclose(f);
	return (n);
}

/*
 * Where a stressor goes to be where the target is: the cgroup.procs
 * files it joins, and the memory limit it then feels (0: none).
 */
int
stress_placement(const struct procset *s, struct stress_how *how,
    char *err, size_t errlen)
{
	char	dir[PATH_MAX], **mine;
	pid_t	pid = s->group > 0 ? s->group : s->n > 0 ? s->v[0].pid : 0;
	int	nmine, i, k, m;

	how->mem_limit = 0;
	if (s->cgroup[0] != '\0') {
		how->join = xcalloc(1, sizeof *how->join);
		xasprintf(&how->join[0], "%s/cgroup.procs", s->cgroup);
		how->njoin = 1;
		cgroup_memory_limit(s->cgroup, &how->mem_limit);
		return (0);
	}
	if (pid <= 0 || cgroup_joins_like(pid, &how->join, &how->njoin) != 0) {
		snprintf(err, errlen, "%s: its cgroups cannot be read",
		    s->what);
		return (-1);
	}
	/* where chaosd is already, the stressor is too: no join (which a
	   user could not make into a cgroup that root owns) */
	if (cgroup_joins_like(getpid(), &mine, &nmine) == 0) {
		for (i = k = 0; i < how->njoin; i++) {
			for (m = 0; m < nmine; m++)
				if (strcmp(how->join[i], mine[m]) == 0)
					break;
			if (m < nmine)
				free(how->join[i]);
			else
				how->join[k++] = how->join[i];
		}
		how->njoin = k;
		cgroup_paths_free(mine, nmine);
	}
	if ((cgroup_of_pid(pid, NULL, dir, sizeof dir) == 0 &&
	    cgroup_memory_limit(dir, &how->mem_limit) == 0) ||
	    (cgroup_of_pid(pid, "memory", dir, sizeof dir) == 0 &&
	    cgroup_memory_limit(dir, &how->mem_limit) == 0))
		return (0);
	how->mem_limit = 0;
	return (0);
}

/* ---- workers ---------------------------------------------------- */

/* Start chaosd stress worker ARGS: its pid, and its status pipe. */
static int
worker_spawn(char **argv, struct stressor *st, char *err, size_t errlen)
{
	pid_t		 parent = getpid(), p;
	int		 pfd[2], nul;

	if (pipe2(pfd, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return (-1);
	}
	fflush(NULL);
	if ((p = fork()) < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(pfd[0]);
		close(pfd[1]);
		return (-1);
	}
	if (p == 0) {
		/* it dies with this chaosd, whatever kills it */
		if (spawn_child_reset(SIGKILL, parent) != 0)
			_exit(EXIT_INTERNAL);
		if ((nul = open("/dev/null", O_RDONLY)) >= 0)
			dup2(nul, 0);
		if (dup2(pfd[1], 1) < 0)
			_exit(125);
		execv("/proc/self/exe", argv);
		_exit(127);
	}
	close(pfd[1]);
	fcntl(pfd[0], F_SETFL, O_NONBLOCK);
	st->pid = p;
	st->start = proc_start_time(p);
	st->fd = pfd[0];
	return (0);
}

/* Read what the worker said; 1 when a line came. */
static int
worker_lines(struct stressor *st)
{
	char	buf[256], *nl;
	ssize_t	n = -1;	/* nothing read yet: no end of file seen */
	int	got = 0, e;

	while (st->fd >= 0 && (n = read(st->fd, buf, sizeof buf)) != 0) {
		if (n < 0) {
			if ((e = errno) == EINTR)
				continue;
			if (e != EAGAIN) {
				close(st->fd);
				st->fd = -1;
			}
			break;
		}
		if (st->llen + (size_t)n >= sizeof st->line)
			st->llen = 0;	/* a line too long: not ours */
		memcpy(st->line + st->llen, buf, (size_t)n);
		st->llen += (size_t)n;
		st->line[st->llen] = '\0';
		while ((nl = strchr(st->line, '\n')) != NULL) {
			*nl = '\0';
			if (strcmp(st->line, "ready") == 0 && !st->ready) {
				st->ready = 1;
				st->t_ready = mono_ns();
				st->cpu0 = proc_cpu_ns(st->pid);
				st->io0 = proc_io_bytes(st->pid);
			} else if (strncmp(st->line, "started", 7) == 0) {
				/* memory: its RssAnon before it began */
				st->started = 1;
				st->rss_base = strtoull(st->line + 7, NULL, 10);
			}
			else if (strncmp(st->line, "error: ", 7) == 0)
				snprintf(st->error, sizeof st->error, "%s",
				    st->line + 7);
			got = 1;
			st->llen -= (size_t)(nl + 1 - st->line);
			memmove(st->line, nl + 1, st->llen + 1);
		}
	}
	if (n == 0 && st->fd >= 0) {
		close(st->fd);
		st->fd = -1;
	}
	return (got);
}

static void
worker_sample(struct stressor *st)
{
	char		path[64];
	uint64_t	rss;

	if (st->pid <= 0 || st->exited)
		return;
	st->t_sample = mono_ns();
	if (st->type == ST_MEMORY) {
		snprintf(path, sizeof path, "/proc/%ld/status", (long)st->pid);
		if (proc_kb(path, "RssAnon", &rss) != 0)
			return;
		/* what it holds above what it had before it began */
		st->rss = rss > st->rss_base ? rss - st->rss_base : 0;
		rss = st->rss;
		if (!st->ready)
			return;
		if (st->rss_min == 0 || rss < st->rss_min)
			st->rss_min = rss;
		if (rss > st->rss_max)
			st->rss_max = rss;
	} else if (st->type == ST_CPU)
		st->cpu = proc_cpu_ns(st->pid);
	else if (st->type == ST_IO)
		st->io = proc_io_bytes(st->pid);
}

/*
 * What the worker says and does: its lines, a sample of it now and
 * then, its death. 1 when something changed (it became ready, or died).
 */
int
stress_poll(struct stressor *st)
{
	int	was = st->ready, status, changed;

	if (st->pid <= 0 || st->exited)
		return (0);
	worker_lines(st);
	changed = st->ready != was;
	if (changed || mono_ns() - st->t_sample >= SAMPLE_NS)
		worker_sample(st);
	if (waitpid(st->pid, &status, WNOHANG) == st->pid) {
		worker_lines(st);
		st->exited = 1;
		st->status = status;
		st->t_end = mono_ns();
		st->ooms = vmstat_oom_kills() - st->oom0;
		changed = 1;
	}
	return (changed);
}

/* Wait for the worker's first word: started, or its error. */
static int
worker_started(struct stressor *st, char *err, size_t errlen)
{
	uint64_t until = mono_ns() + START_WAIT_NS;

	while (mono_ns() < until) {
		worker_lines(st);
		if (st->error[0] != '\0') {
			snprintf(err, errlen, "%s", st->error);
			return (-1);
		}
		if (st->started || st->ready)
			return (0);
		if (waitpid(st->pid, &st->status, WNOHANG) == st->pid) {
			st->exited = 1;
			worker_lines(st);
			snprintf(err, errlen, "the stressor died as it "
			    "started%s%s", st->error[0] ? ": " : "", st->error);
			return (-1);
		}
		sleep_ns(2 * 1000000ull);
	}
	snprintf(err, errlen, "the stressor did not start within 5 s");
	return (-1);
}

/* ---- start, stop, say ------------------------------------------- */

static int
journal_first(struct stressor *st, char *err, size_t errlen)
{
	if (journal_write(st->j, err, errlen) != 0)
		return (-1);
	if (guardian_ensure() != 0)
		log_warn("cannot start the guardian: the stressor will not be "
		    "stopped by itself if chaosd is killed");
	return (0);
}

/*
 * How much a memory stressor holds: SIZE, or P% of the limit of the
 * cgroup it joins (limit, 0: none) or of MemAvailable. More than
 * MemAvailable is refused unless force; oom = target needs
 * CAP_SYS_RESOURCE.
 */
int
stress_memory_want(const struct stress_spec *s, uint64_t limit,
    uint64_t *want, char *err, size_t errlen)
{
	uint64_t	avail;
	char		a[32], b[32];

	if (proc_kb("/proc/meminfo", "MemAvailable", &avail) != 0) {
		snprintf(err, errlen, "cannot read MemAvailable in "
		    "/proc/meminfo");
		return (-1);
	}
	*want = s->is_frac ? (uint64_t)(s->frac * (double)(limit != 0 ?
	    limit : avail)) : s->bytes;
	*want -= *want % 4096;
	if (*want == 0) {
		snprintf(err, errlen, "memory: less than a page to hold");
		return (-1);
	}
	if (*want > avail && !s->force) {
		format_size(*want, a, sizeof a);
		format_size(avail, b, sizeof b);
		snprintf(err, errlen, "memory %s is more than this machine has "
		    "available (MemAvailable %s): the OOM killer would have "
		    "to act; force = yes (--force) holds it anyway", a, b);
		return (-1);
	}
	if (s->oom_target && !proc_has_cap(CAP_SYS_RESOURCE)) {
		snprintf(err, errlen, "oom = target lowers the stressor's "
		    "oom_score_adj, which needs CAP_SYS_RESOURCE (run chaosd "
		    "as root)");
		return (-1);
	}
	return (0);
}

/* The worker's command line for s: its kind, numbers, files, cgroups. */
static int
worker_argv(const struct stress_spec *s, const struct stress_how *how,
    struct stressor *st, char **argv, char nums[][64], char *err,
    size_t errlen)
{
	static unsigned	 seq;
	struct stat	 sb;
	uint64_t	 size;
	int		 n = 0, i;
	long		 ncpu;

	argv[n++] = (char *)(uintptr_t)"chaosd";
	argv[n++] = (char *)(uintptr_t)"stress";
	argv[n++] = (char *)(uintptr_t)"worker";
	argv[n++] = (char *)(uintptr_t)stress_type_name(s->type);
	switch (s->type) {
	case ST_MEMORY:
		if (stress_memory_want(s, how->mem_limit, &st->want, err,
		    errlen) != 0)
			return (-1);
		snprintf(nums[0], 64, "%llu", (unsigned long long)st->want);
		snprintf(nums[1], 64, "%llu", (unsigned long long)s->ramp_ns);
		snprintf(nums[2], 64, "%d", s->oom_target ? -1000 : 1000);
		break;
	case ST_CPU:
		ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		st->workers = s->workers ? s->workers : ncpu > 0 ?
		    (uint32_t)ncpu : 1;
		st->cpu_frac = s->frac;
		snprintf(nums[0], 64, "%llu", (unsigned long long)(s->frac *
		    1e6 + 0.5));
		snprintf(nums[1], 64, "%u", st->workers);
		snprintf(nums[2], 64, "-");
		break;
	case ST_IO:
		if (stat(s->path, &sb) != 0) {
			snprintf(err, errlen, "io %s: %s", s->path,
			    strerror(errno));
			return (-1);
		}
		if (!S_ISDIR(sb.st_mode)) {
			snprintf(err, errlen, "io %s: not a directory (the "
			    "workers make their files in it)", s->path);
			return (-1);
		}
		st->workers = s->workers ? s->workers : 1;
		size = s->has_size ? s->bytes : STRESS_IO_SIZE;
		snprintf(st->where, sizeof st->where,
		    "%.4000s/.chaosd-io.%ld.%u", s->path, (long)getpid(),
		    ++seq);
		for (i = 0; i < (int)st->workers; i++)
			jentry_add(st->j, "file", "0 %s.%d", st->where, i);
		snprintf(nums[0], 64, "%s", s->io_mode == IO_READ ? "read" :
		    s->io_mode == IO_FSYNC ? "fsync" : "write");
		snprintf(nums[1], 64, "%llu", (unsigned long long)size);
		snprintf(nums[2], 64, "%u", st->workers);
		argv[n++] = st->where;
		break;
	default:
		snprintf(err, errlen, "no stressor");
		return (-1);
	}
	for (i = 0; i < 3; i++)
		argv[n++] = nums[i];
	for (i = 0; i < how->njoin; i++)
		argv[n++] = how->join[i];
	argv[n] = NULL;
	return (0);
}

/* The files the io workers made: their inodes, into the journal. */
static void
journal_inodes(struct stressor *st)
{
	struct stat	sb;
	int		i;

	for (i = 0; i < st->j->nfields; i++) {
		char *path = strchr(st->j->fields[i].value, ' ');

		if (strcmp(st->j->fields[i].key, "file") != 0 || path == NULL ||
		    lstat(path + 1, &sb) != 0)
			continue;
		path = xstrdup(path + 1);
		free(st->j->fields[i].value);
		xasprintf(&st->j->fields[i].value, "%llu %s",
		    (unsigned long long)sb.st_ino, path);
		free(path);
	}
}

static void
stress_undo(struct stressor *st)
{
	char	err[512];

	if (st->pid > 0 && !st->exited) {
		kill(st->pid, SIGKILL);
		waitpid(st->pid, &st->status, 0);
		st->exited = 1;
	}
	if (st->fd >= 0)
		close(st->fd);
	st->fd = -1;
	if (journal_revert(st->j, 1, err, sizeof err) != 0)
		log_warn("%s", err);
	jentry_free(st->j);
	free(st->j);
	st->j = NULL;
}

/*
 * Start a stressor: journaled first, then the worker (or the fill). 0
 * once it has started (a memory stressor is ready later: stress_poll()),
 * or -1 with err and nothing left behind.
 */
int
stress_start(const struct stress_spec *s, const struct stress_how *how,
    struct stressor *st, char *err, size_t errlen)
{
	static unsigned	 seq;
	char		**argv, nums[3][64];

	memset(st, 0, sizeof *st);
	st->fd = -1;
	st->type = s->type;
	st->t_start = st->t_sample = mono_ns();
	st->oom0 = vmstat_oom_kills();
	if (journal_ensure_dir(err, errlen) != 0)
		return (-1);
	st->j = xcalloc(1, sizeof *st->j);
	jentry_init(st->j, "stress");
	snprintf(st->j->id, sizeof st->j->id, "stress-%ld-%u",
	    (long)getpid(), ++seq);
	stress_spec_describe(s, st->j->what, sizeof st->j->what);
	st->j->bound = how->bound;
	st->j->expires_ms = how->expires_ms;
	if (s->type == ST_FILL) {
		if (stress_fill_start(s, st, err, errlen) != 0)
			goto fail;
		if (guardian_ensure() != 0)
			log_warn("cannot start the guardian: the fill will not "
			    "be removed by itself if chaosd is killed");
	} else {
		argv = xcalloc((size_t)how->njoin + 12, sizeof *argv);
		if (worker_argv(s, how, st, argv, nums, err, errlen) != 0 ||
		    journal_first(st, err, errlen) != 0 ||
		    worker_spawn(argv, st, err, errlen) != 0) {
			free(argv);
			journal_remove(st->j);
			goto fail;
		}
		free(argv);
		jentry_add(st->j, "proc", "%ld %llu", (long)st->pid,
		    (unsigned long long)st->start);
		st->j->state = J_ACTIVE;	/* rewritten: see journal.c */
		if (journal_write(st->j, err, errlen) != 0 ||
		    worker_started(st, err, errlen) != 0) {
			stress_undo(st);
			return (-1);
		}
		if (s->type == ST_IO)
			journal_inodes(st);
	}
	st->j->state = J_ACTIVE;
	if (journal_write(st->j, err, errlen) != 0)
		log_warn("%s (the stressor runs; the guardian still knows it "
		    "as applying)", err);
	return (0);
fail:
	jentry_free(st->j);
	free(st->j);
	st->j = NULL;
	return (-1);
}

/* Stop it: the worker killed, the files removed, the entry gone. */
int
stress_stop(struct stressor *st, char *err, size_t errlen)
{
	int	r = 0;

	if (st->pid > 0 && !st->exited) {
		worker_lines(st);
		worker_sample(st);
		kill(st->pid, SIGKILL);
		waitpid(st->pid, &st->status, 0);
		st->exited = 1;
		st->killed_by_us = 1;
	}
	if (st->t_end == 0)
		st->t_end = mono_ns();
	st->ooms = vmstat_oom_kills() - st->oom0;
	if (st->fd >= 0)
		close(st->fd);
	st->fd = -1;
	if (st->j != NULL) {
		r = journal_revert(st->j, 1, err, errlen) == 0 ? 0 : -1;
		jentry_free(st->j);
		free(st->j);
		st->j = NULL;
	}
	return (r);
}

/* How a worker that was not stopped by us ended. */
static void
worker_death(const struct stressor *st, char *buf, size_t len)
{
	int	sig;

	if (WIFSIGNALED(st->status)) {
		sig = WTERMSIG(st->status);
		snprintf(buf, len, "killed by %s%s", signal_name(sig) ?
		    signal_name(sig) : "a signal", sig == SIGKILL && st->ooms ?
		    " (the OOM killer)" : "");
	} else
		snprintf(buf, len, "exited%s%.100s", st->error[0] ? ": " : "",
		    st->error);
}

/*
 * What the stressor did, in one line for the report: 1 when it reached
 * what it was asked (or the OOM killer took it, which is what memory
 * pressure is for), 0 when not.
 */
int
stress_result(const struct stressor *st, char *buf, size_t len)
{
	char		 a[32], b[32], c[32], how[128] = "";
	uint64_t	 held = st->t_end > st->t_ready ? st->t_end -
			    st->t_ready : 0;
	double		 s = (double)held / 1e9;
	int		 reached = st->ready;
	size_t		 n;

	if (st->exited && !st->killed_by_us && st->type != ST_FILL)
		worker_death(st, how, sizeof how);
	switch (st->type) {
	case ST_MEMORY:
		format_size(st->want, a, sizeof a);
		if (st->ready) {
			format_size(st->rss_min, b, sizeof b);
			snprintf(buf, len, "held %s resident (measured %.1f%% "
			    "to %.1f%% of it) for %.1fs, reached in %.2fs", a,
			    st->want ? 100.0 * (double)st->rss_min /
			    (double)st->want : 0, st->want ? 100.0 *
			    (double)st->rss_max / (double)st->want : 0, s,
			    (double)(st->t_ready - st->t_start) / 1e9);
		} else {
			format_size(st->rss, b, sizeof b);
			snprintf(buf, len, "reached %s of %s%s", b, a,
			    st->killed_by_us ? " when its window ended (still "
			    "growing)" : "");
			reached = st->exited && WIFSIGNALED(st->status) &&
			    WTERMSIG(st->status) == SIGKILL && st->ooms > 0;
		}
		break;
	case ST_CPU:
		snprintf(buf, len, "%u worker%s at %g%%: measured %.1f%% each "
		    "over %.1fs", st->workers, st->workers == 1 ? "" : "s",
		    st->cpu_frac * 100, held && st->workers ? 100.0 *
		    (double)(st->cpu - st->cpu0) / (double)held /
		    st->workers : 0, s);
		reached = st->ready && st->cpu > st->cpu0;
		break;
	case ST_FILL:
		format_size(st->filled, a, sizeof a);
		format_size(st->left, b, sizeof b);
		snprintf(buf, len, "filled %s (%s), leaving %s free", a,
		    st->where, b);
		break;
	case ST_IO:
		format_size(st->io - st->io0, a, sizeof a);
		format_size(s > 0 ? (uint64_t)((double)(st->io - st->io0) / s) :
		    0, c, sizeof c);
		snprintf(buf, len, "%u worker%s moved %s (%s/s) in %.*s",
		    st->workers, st->workers == 1 ? "" : "s", a, c,
		    (int)(strrchr(st->where, '/') != NULL ?
		    strrchr(st->where, '/') - st->where : 0), st->where);
		reached = st->ready && st->io > st->io0;
		break;
	default:
		snprintf(buf, len, "nothing");
		return (0);
	}
	n = strlen(buf);
	if (how[0] != '\0')
		snprintf(buf + n, len - n, "; the stressor %s", how);
	n = strlen(buf);
	if (st->ooms > 0)
		snprintf(buf + n, len - n, "; %llu OOM kill%s meanwhile",
		    (unsigned long long)st->ooms, st->ooms == 1 ? "" : "s");
	return (reached);
}

/* ---- the journal type ------------------------------------------- */

/* Kill the workers (the same ones), remove the files (the same ones). */
static int
stress_journal_revert(struct jentry *j, char *err, size_t errlen)
{
	struct stat	 sb;
	unsigned long long start, ino;
	uint64_t	 until;
	char		 path[PATH_MAX];
	long		 pid;
	int		 i, r = 0;

	for (i = 0; i < j->nfields; i++) {
		if (strcmp(j->fields[i].key, "proc") != 0 ||
		    sscanf(j->fields[i].value, "%ld %llu", &pid, &start) != 2 ||
		    pid <= 1)
			continue;
		proc_signal_one((pid_t)pid, start, SIGKILL);
		until = mono_ns() + 1000000000ull;
		while (proc_alive((pid_t)pid, start) && mono_ns() < until)
			sleep_ns(2 * 1000000ull);
	}
	for (i = 0; i < j->nfields; i++) {
		if (strcmp(j->fields[i].key, "file") != 0 ||
		    sscanf(j->fields[i].value, "%llu %4095[^\n]", &ino,
		    path) != 2 || lstat(path, &sb) != 0)
			continue;
		if (!S_ISREG(sb.st_mode) || (ino != 0 && sb.st_ino != ino)) {
			log_warn("%s: %s is not the file chaosd made: left "
			    "alone", j->id, path);
			continue;
		}
		if (unlink(path) != 0 && errno != ENOENT) {
			snprintf(err, errlen, "cannot remove %s: %s", path,
			    strerror(errno));
			r = -1;
		}
	}
	return (r);
}

const struct journal_type journal_stress = {
	.name = "stress",
	.revert = stress_journal_revert,
};

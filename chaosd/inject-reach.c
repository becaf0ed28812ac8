/*
 * inject-reach.c: the proof of reach of a run's fault table, gathered
 * while the run goes: the processes that attached (the table's attach
 * records, read before each arming, since arming frees the records of
 * processes that are gone) and those that refused it (the 'refused'
 * lines the shim writes on the run's log, CHAOS_LOG_FD: libinject(7),
 * LOG LINES). chaosd run names them in the report, and in the reason a
 * fault that matched nothing did not happen.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "chaosd.h"
#include "exec-reach.h"
#include "inject-reach.h"
#include "scenario.h"

#define IREACH_MAX	256	/* processes kept, each way */

static struct reach_proc *
proc_add(struct reach_proc **v, int *n)
{
	if (*n >= IREACH_MAX)
		return (NULL);
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	memset(&(*v)[*n], 0, sizeof **v);
	return (&(*v)[(*n)++]);
}

/* The attach records now, added to those seen before. */
void
ireach_collect(struct inject_reach *ir, const struct table *tb)
{
	struct table_attach *a;
	struct reach_proc *p;
	uint64_t unrecorded;
	int	 n, i, j;

	if (tb->reach == NULL)
		return;
	ir->has_reach = 1;
	a = xcalloc(IREACH_MAX, sizeof *a);
	n = table_attached(tb, a, IREACH_MAX, &unrecorded);
	if (unrecorded > ir->unrecorded)
		ir->unrecorded = unrecorded;
	for (i = 0; i < n; i++) {
		for (j = 0; j < ir->nattached; j++)
			if (ir->attached[j].pid == a[i].pid &&
			    ir->attached[j].start == a[i].start)
				break;
		if (j < ir->nattached)
			p = &ir->attached[j];	/* it exec'ed: its last */
		else if ((p = proc_add(&ir->attached, &ir->nattached)) == NULL)
			break;
		p->pid = a[i].pid;
		p->uid = a[i].uid;
		p->start = a[i].start;
		p->attached = a[i].attached;
		snprintf(p->exe, sizeof p->exe, "%s", a[i].exe);
		snprintf(p->mode, sizeof p->mode, "%s", a[i].mode);
	}
	free(a);
}

/* A value as the shim writes it (\xNN escapes), back as it was. */
static void
unescape(char *dst, size_t len, const char *s, size_t n)
{
	size_t	 i, o = 0;
	unsigned x;

	for (i = 0; i < n && o + 1 < len; i++) {
		if (s[i] == '\\' && i + 3 < n && s[i + 1] == 'x' &&
		    sscanf(s + i + 2, "%2x", &x) == 1) {
			dst[o++] = (char)x;
			i += 3;
		} else
			dst[o++] = s[i];
	}
	dst[o] = '\0';
}

/*
 * One line of the log: "libinject[PID] EXE: refused table=PATH -- REASON;
 * no table faults", for this table (or its descriptors).
 */
static void
log_line(struct inject_reach *ir, const char *line, const char *table)
{
	struct reach_proc *p;
	const char *exe, *t, *end, *why;
	char	 path[4096];
	long	 pid;
	char	*e;
	size_t	 n;
	int	 i;

	if (strncmp(line, "libinject[", 10) != 0)
		return;
	pid = strtol(line + 10, &e, 10);
	if (e == line + 10 || pid <= 0 || e[0] != ']' || e[1] != ' ')
		return;
	exe = e + 2;
	if ((t = strstr(exe, ": refused table=")) == NULL)
		return;
	n = (size_t)(t - exe);
	t += strlen(": refused table=");
	if ((end = strchr(t, ' ')) == NULL)
		return;
	unescape(path, sizeof path, t, (size_t)(end - t));
	if (strcmp(path, table) != 0 && strcmp(path, "(descriptors)") != 0)
		return;
	for (i = 0; i < ir->nrefused; i++)
		if (ir->refused[i].pid == pid)
			return;		/* said once is enough */
	if ((p = proc_add(&ir->refused, &ir->nrefused)) == NULL)
		return;
	p->pid = (int)pid;
	p->uid = -1;
	unescape(p->exe, sizeof p->exe, exe, n);
	why = strncmp(end, " -- ", 4) == 0 ? end + 4 : end;
	n = strlen(why);
	if (n >= 17 && strcmp(why + n - 17, "; no table faults") == 0)
		n -= 17;
	snprintf(p->reason, sizeof p->reason, "%.*s", (int)n, why);
	/* the uid the shim said, "(uid N" */
	if ((t = strstr(p->reason, "(uid ")) != NULL)
		p->uid = strtol(t + 5, NULL, 10);
}

struct log_arg {
	struct inject_reach *ir;
	const char	*table;
};

static void
log_line_cb(void *arg, char *s)
{
	struct log_arg *a = arg;

	log_line(a->ir, s, a->table);
}

/* The complete lines the run's log gained since the last call. */
void
ireach_read_log(struct inject_reach *ir, int fd, const char *table)
{
	struct log_arg a = { ir, table };

	if (fd >= 0)
		shim_lines(fd, &ir->log_off, 0, log_line_cb, &a);
}

/* Why nothing matched, as far as the processes tell: "" if they don't. */
void
ireach_why(const struct inject_reach *ir, char *buf, size_t len)
{
	const struct reach_proc *p;
	char	 uid[32] = "";

	buf[0] = '\0';
	if (ir->nrefused > 0) {
		p = &ir->refused[0];
		if (p->uid >= 0 && strstr(p->reason, "(uid ") == NULL)
			snprintf(uid, sizeof uid, " (uid %ld)", p->uid);
		snprintf(buf, len, "%s[%d]%s refused the table: %s", p->exe,
		    p->pid, uid, p->reason);
		if (ir->nrefused > 1) {
			size_t n = strlen(buf);

			snprintf(buf + n, len - n, " (and %d more processes)",
			    ir->nrefused - 1);
		}
		return;
	}
	if (ir->has_reach && ir->nattached == 0 && ir->unrecorded == 0)
		snprintf(buf, len, "no process attached to the table");
	else if (ir->nattached > 0) {
		p = &ir->attached[ir->nattached - 1];
		snprintf(buf, len, "%d process%s attached (the last: %s[%d] "
		    "uid %ld, %s) but made no call its filters take",
		    ir->nattached, ir->nattached == 1 ? "" : "es", p->exe,
		    p->pid, p->uid, p->mode);
	}
}

static json_t *
jclean(const char *s)
{
	char	buf[512];

	utf8_clean(buf, sizeof buf, s);
	return (json_string(buf));
}

void
ireach_json(const struct inject_reach *ir, json_t *o)
{
	json_t	*a, *p;
	int	 i;

	a = json_array();
	for (i = 0; i < ir->nattached; i++) {
		const struct reach_proc *q = &ir->attached[i];

		p = json_object();
		json_object_set_new(p, "pid", json_integer(q->pid));
		json_object_set_new(p, "exe", jclean(q->exe));
		json_object_set_new(p, "uid", json_integer(q->uid));
		json_object_set_new(p, "mode", json_string(q->mode));
		json_object_set_new(p, "attached_ms", json_integer(
		    (json_int_t)(q->attached / 1000000)));
		json_array_append_new(a, p);
	}
	json_object_set_new(o, "attached", a);
	a = json_array();
	for (i = 0; i < ir->nrefused; i++) {
		const struct reach_proc *q = &ir->refused[i];

		p = json_object();
		json_object_set_new(p, "pid", json_integer(q->pid));
		json_object_set_new(p, "exe", jclean(q->exe));
		json_object_set_new(p, "uid", q->uid >= 0 ?
		    json_integer(q->uid) : json_null());
		json_object_set_new(p, "reason", jclean(q->reason));
		json_array_append_new(a, p);
	}
	json_object_set_new(o, "refused", a);
	json_object_set_new(o, "unrecorded", json_integer((json_int_t)
	    ir->unrecorded));
}

/* Two lines under the fault's, in the text report. */
void
ireach_text(const struct inject_reach *ir, FILE *f)
{
	int	i;

	if (ir->nattached > 0) {
		fprintf(f, "  %-24s attached:", "");
		for (i = 0; i < ir->nattached && i < 8; i++)
			fprintf(f, "%s %s[%d] uid %ld %s", i ? "," : "",
			    ir->attached[i].exe, ir->attached[i].pid,
			    ir->attached[i].uid, ir->attached[i].mode);
		if (i < ir->nattached)
			fprintf(f, " and %d more", ir->nattached - i);
		fputc('\n', f);
	}
	for (i = 0; i < ir->nrefused && i < 3; i++)
		fprintf(f, "  %-24s refused: %s[%d]: %s\n", "",
		    ir->refused[i].exe, ir->refused[i].pid,
		    ir->refused[i].reason);
	if (i < ir->nrefused)
		fprintf(f, "  %-24s refused: %d more (the JSON report lists "
		    "them)\n", "", ir->nrefused - i);
}

void
ireach_free(struct inject_reach *ir)
{
	free(ir->attached);
	free(ir->refused);
	memset(ir, 0, sizeof *ir);
}

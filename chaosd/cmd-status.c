/*
 * cmd-status.c: chaosd status, what chaosd has armed right now.
 *
 *	chaosd status [--json]
 *
 * Lists the known fault tables (those chaosd inject registered, and
 * every RUNDIR/NAME.table a preloaded service created: registry.c) with
 * their state (armed, disarmed, killed, expired, or why it could not be
 * read), who armed them, the time left before the deadline, each rule's
 * matched and injected counters (summed over the table and its reach
 * file), and the processes attached to it that still run, from their
 * attach records. A registered table whose file is gone is shown once,
 * as missing, and its registry entry removed. Then the journaled network
 * faults, through `chaosd net show` when this chaosd has it. Reading a
 * table changes nothing in it.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "chaosd.h"
#include "net.h"

static int	cmd_status_exec(int, char **);

const struct cmd_entry cmd_status_entry = {
	.name = "status",
	.usage = "[--json]",
	.summary = "list armed fault tables, their counters, network faults",
	.exec = cmd_status_exec,
};

struct status_one {
	const char		*path;
	int			 registered;
	int			 ok;		/* read */
	char			 why[RULE_ERR_MAX];
	const char		*state;
	struct table_state	 st;
	struct rule_set		*set;
	uint64_t		 matched[RULE_MAX], injected[RULE_MAX];
	struct table_attach	*att;		/* the live ones */
	int			 natt, gone;	/* live, and gone */
	uint64_t		 unrecorded;
	int			 has_reach;
};

static void
status_attached(struct status_one *s, const struct table *tb)
{
	struct table_attach	*all;
	int			 n, i;

	s->has_reach = tb->reach != NULL;
	all = xcalloc(REACH_SLOTS, sizeof *all);
	n = table_attached(tb, all, REACH_SLOTS, &s->unrecorded);
	s->att = xcalloc((size_t)n + 1, sizeof *s->att);
	for (i = 0; i < n; i++) {
		if (all[i].alive)
			s->att[s->natt++] = all[i];
		else
			s->gone++;
	}
	free(all);
}

static void
status_read(struct status_one *s)
{
	struct table	tb;
	uint64_t	now = realtime_ns();
	int		i;

	s->set = xcalloc(1, sizeof *s->set);
	if (access(s->path, F_OK) != 0 && errno == ENOENT) {
		s->state = "missing";
		/* shown this once: nothing is left to stop or to read */
		if (s->registered)
			registry_remove(s->path);
		return;
	}
	if (table_open(&tb, s->path, TABLE_RDONLY, s->why,
	    sizeof s->why) != 0) {
		s->state = "unreadable";
		return;
	}
	if (table_snapshot(tb.map, s->set, &s->st) != 0) {
		snprintf(s->why, sizeof s->why, "%s: being written, try again",
		    s->path);
		s->state = "unreadable";
		table_close(&tb);
		return;
	}
	for (i = 0; i < s->set->n; i++)
		table_counts(&tb, i, &s->matched[i], &s->injected[i]);
	status_attached(s, &tb);
	table_close(&tb);
	s->ok = 1;
	if (s->st.killed)
		s->state = "killed";
	else if (!s->st.armed)
		s->state = "disarmed";
	else if (s->st.deadline <= now)
		s->state = "expired";
	else
		s->state = "armed";
}

static void
status_json(struct status_one *v, int n)
{
	char	buf[4096];
	uint64_t now = realtime_ns();
	int	i, k;

	printf("{\n\"tables\": [");
	for (i = 0; i < n; i++) {
		struct status_one *s = &v[i];

		printf("%s\n  {\"path\": ", i ? "," : "");
		json_print_string(s->path);
		printf(", \"registered\": %s, \"state\": \"%s\"",
		    s->registered ? "true" : "false", s->state);
		if (!s->ok) {
			printf(", \"error\": ");
			if (s->why[0])
				json_print_string(s->why);
			else if (strcmp(s->state, "missing") == 0)
				json_print_string("the file is gone; its "
				    "registry entry was removed");
			else
				printf("null");
			printf("}");
			continue;
		}
		printf(", \"armed\": %s, \"killed\": %s, \"owner\": ",
		    s->st.armed ? "true" : "false",
		    s->st.killed ? "true" : "false");
		json_print_string(s->st.owner);
		printf(", \"armed_at_ms\": %" PRIu64 ", \"deadline_ms\": %"
		    PRIu64 ", \"left_ms\": ", s->st.armed_at / 1000000,
		    s->st.deadline / 1000000);
		if (strcmp(s->state, "armed") == 0)
			printf("%" PRIu64, (s->st.deadline - now) / 1000000);
		else
			printf("null");
		printf(", \"rules\": [");
		for (k = 0; k < s->set->n; k++) {
			if (rule_format(&s->set->rule[k], buf, sizeof buf) < 0)
				buf[0] = '\0';
			printf("%s\n    {\"name\": ", k ? "," : "");
			json_print_string(s->set->rule[k].name);
			printf(", \"rule\": ");
			json_print_string(buf);
			printf(", \"matched\": %" PRIu64 ", \"injected\": %"
			    PRIu64 "}", s->matched[k], s->injected[k]);
		}
		printf("%s], \"attached\": [", s->set->n ? "\n  " : "");
		for (k = 0; k < s->natt; k++) {
			const struct table_attach *a = &s->att[k];

			printf("%s\n    {\"pid\": %d, \"uid\": %u, \"exe\": ",
			    k ? "," : "", a->pid, a->uid);
			json_print_string(a->exe);
			printf(", \"mode\": \"%s\", \"attached_ms\": %" PRIu64
			    ", \"start_ticks\": %" PRIu64 "}", a->mode,
			    a->attached / 1000000, a->start);
		}
		printf("%s], \"attached_gone\": %d, \"unrecorded\": %" PRIu64
		    ", \"reach\": %s}", s->natt ? "\n  " : "", s->gone,
		    s->unrecorded, s->has_reach ? "true" : "false");
	}
	printf("%s],\n\"network\": ", n ? "\n" : "");
}

static void
status_left(uint64_t ns, char *buf, size_t len)
{
	unsigned long	s = (unsigned long)(ns / 1000000000ull);

	if (s >= 3600)
		snprintf(buf, len, "%luh%02lum", s / 3600, s / 60 % 60);
	else if (s >= 60)
		snprintf(buf, len, "%lum%02lus", s / 60, s % 60);
	else
		snprintf(buf, len, "%lus", s);
}

static void
status_text_attached(const struct status_one *s)
{
	char		 when[32];
	struct tm	 tm;
	time_t		 t;
	int		 k;

	if (!s->has_reach) {
		printf("  attached: unknown (no reach file)\n");
		return;
	}
	printf("  attached: %d running", s->natt);
	if (s->gone)
		printf(", %d gone", s->gone);
	if (s->unrecorded)
		printf(", %" PRIu64 " not recorded (no free slot)",
		    s->unrecorded);
	printf("\n");
	for (k = 0; k < s->natt; k++) {
		const struct table_attach *a = &s->att[k];
		char exe[REACH_EXE_MAX * 4];

		t = (time_t)(a->attached / 1000000000ull);
		if (localtime_r(&t, &tm) == NULL ||
		    strftime(when, sizeof when, "%H:%M:%S", &tm) == 0)
			snprintf(when, sizeof when, "?");
		str_escape(exe, sizeof exe, a->exe);
		printf("    pid %-7d uid %-6u %-8s %-16s since %s\n", a->pid,
		    a->uid, a->mode, exe[0] ? exe : "?", when);
	}
}

static void
status_text(struct status_one *v, int n)
{
	char	 buf[4096], left[32];
	uint64_t now = realtime_ns();
	int	 i, k;

	if (n == 0) {
		printf("no fault tables known (none registered in %s/tables, "
		    "no %s/*.table)\n", registry_rundir(), registry_rundir());
		return;
	}
	printf("%-36s %-10s %-10s %s\n", "TABLE", "STATE", "LEFT", "OWNER");
	for (i = 0; i < n; i++) {
		struct status_one *s = &v[i];

		if (!s->ok) {
			printf("%-36s %-10s %-10s %s\n", s->path, s->state,
			    "-", s->why[0] ? s->why : strcmp(s->state,
			    "missing") == 0 ? "the file is gone; registry "
			    "entry removed" : "-");
			continue;
		}
		if (s->st.armed && !s->st.killed && s->st.deadline > now)
			status_left(s->st.deadline - now, left, sizeof left);
		else
			snprintf(left, sizeof left, "-");
		printf("%-36s %-10s %-10s %s\n", s->path, s->state, left,
		    s->st.owner[0] ? s->st.owner : "-");
		for (k = 0; k < s->set->n; k++) {
			if (rule_format(&s->set->rule[k], buf, sizeof buf) < 0)
				snprintf(buf, sizeof buf, "?");
			printf("  %-16s matched %-8" PRIu64 " injected %-8"
			    PRIu64 " %s\n", s->set->rule[k].name,
			    s->matched[k], s->injected[k], buf);
		}
		status_text_attached(s);
	}
}

static int
cmd_status_exec(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json",	no_argument,	NULL, 'j' },
		{ "help",	no_argument,	NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct registry_list	 l;
	struct status_one	*v;
	int			 ch, json = 0, i, r = 0;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+jh", opts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			json = 1;
			break;
		case 'h':
			cmd_usage(&cmd_status_entry, 0);
			printf("\nList the fault tables chaosd knows, their "
			    "rules and counters, the processes\nattached to "
			    "each that still run, and the journaled network "
			    "faults.\n--json: the same, as one JSON object.\n");
			return (0);
		default:
			log_warn("unknown option '%s'", argv[optind - 1]);
			cmd_usage(&cmd_status_entry, 1);
			return (EXIT_USAGE);
		}
	}
	if (optind < argc) {
		cmd_usage(&cmd_status_entry, 1);
		return (EXIT_USAGE);
	}

	registry_list(&l);
	(void)registry_warn_bad(&l);
	v = xcalloc((size_t)l.n + 1, sizeof *v);
	for (i = 0; i < l.n; i++) {
		v[i].path = l.path[i];
		v[i].registered = l.registered[i];
		status_read(&v[i]);
	}
	if (json)
		status_json(v, l.n);
	else
		status_text(v, l.n);

	/* the network faults: the journal */
	if (!json)
		printf("network faults:\n");
	fflush(stdout);
	r = net_show(json);
	fflush(stdout);
	if (json)
		printf("%s}\n", r != 0 ? "null\n" : "");
	r = 0;	/* the tables were listed; net_show said why not the rest */
	for (i = 0; i < l.n; i++) {
		free(v[i].set);
		free(v[i].att);
	}
	free(v);
	registry_list_free(&l);
	return (r);
}

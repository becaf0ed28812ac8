/*
 * cmd-status.c: chaosd status, what chaosd has armed right now.
 *
 *	chaosd status [--json]
 *
 * Lists the known fault tables (those chaosd inject registered, and
 * every RUNDIR/NAME.table a preloaded service created: registry.c) with
 * their state (armed, disarmed, killed, expired, missing, or why it
 * could not be read), who armed them, the time left before the deadline,
 * and each rule's matched and injected counters, read from the table
 * itself. Then the journaled network faults, through `chaosd net show`
 * when this chaosd has it. Reading a table changes nothing in it.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
};

static void
status_read(struct status_one *s)
{
	struct table	tb;
	uint64_t	now = realtime_ns();
	int		i;

	s->set = xcalloc(1, sizeof *s->set);
	if (access(s->path, F_OK) != 0 && errno == ENOENT) {
		s->state = "missing";
		return;
	}
	if (table_open(&tb, s->path, 0, s->why, sizeof s->why) != 0) {
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
	for (i = 0; i < s->set->n; i++) {
		s->matched[i] = atomic_load(&tb.map->counter[i].matched);
		s->injected[i] = atomic_load(&tb.map->counter[i].injected);
	}
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
		    PRIu64 ", \"left_ms\": %" PRIu64 ", \"rules\": [",
		    s->st.armed_at / 1000000, s->st.deadline / 1000000,
		    s->st.deadline > now ? (s->st.deadline - now) / 1000000 :
		    0);
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
		printf("%s]}", s->set->n ? "\n  " : "");
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
			    "-", s->why[0] ? s->why : "-");
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
			    "rules and counters, and the\njournaled network "
			    "faults. --json: the same, as one JSON object.\n");
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
	for (i = 0; i < l.n; i++)
		free(v[i].set);
	free(v);
	registry_list_free(&l);
	return (r);
}

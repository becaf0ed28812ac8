/*
 * cmd-report.c: chaosd report merge, one fleet report from the JSON
 * reports of many hosts (chaosd run --report json=FILE on each).
 *
 *	chaosd report merge FILE.json... [--report FORMAT=FILE]...
 *
 * Each file is read whole with jansson; a file that cannot be read, is
 * not JSON or is not a chaosd run report is exit 2, naming it, and
 * nothing is written. A host is named by the report's "host" field
 * (chaosd run writes $CHAOSD_HOST or the host name there), else by the
 * directory holding the file (reports/web1/checkout.json: web1, the
 * layout the fleet playbook fetches into), else by the file's own name
 * without .json; the text says which.
 *
 * The fleet's verdict is its worst host's, ranked as chaosd run ranks
 * its own outcomes (outcome_rank: passed, inconclusive, failed, error,
 * aborted, rollback failed), and its exit status is the exit status. Formats: text (always on standard output, unless a
 * report goes there), json (the hosts' verdicts with their faults,
 * checks, services and workload as their reports give them; events are
 * left in the hosts' own reports) and junit (merge-junit.c). Files are
 * written atomically; FILE '-' is standard output.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "chaosd.h"
#include "run.h"
#include "scenario.h"
#include "merge.h"

#define MERGE_SCHEMA	1
#define MERGE_REPORTS	8
#define NFORMATS	3

static int	cmd_report_exec(int, char **);

const struct cmd_entry cmd_report_entry = {
	.name = "report",
	.usage = "merge FILE.json... [--report FORMAT=FILE]...",
	.summary = "merge hosts' JSON reports into one fleet report",
	.exec = cmd_report_exec,
};

struct merge_format {
	const char	*name;
	int		(*write)(FILE *, const void *);
};

/* ---- reading ---------------------------------------------------- */

const char *
jget_str(json_t *o, const char *key)
{
	json_t	*v = json_object_get(o, key);

	return (json_is_string(v) ? json_string_value(v) : NULL);
}

long long
jget_int(json_t *o, const char *key, long long def)
{
	json_t	*v = json_object_get(o, key);

	return (json_is_integer(v) ? (long long)json_integer_value(v) : def);
}

const char *
or_dash(const char *s)
{
	return (s != NULL && *s != '\0' ? s : "-");
}

/* reports/web1/checkout.json: web1; web1.json (no directory): web1 */
static char *
host_from_path(const char *path, enum host_from *from)
{
	char	*copy = xstrdup(path), *slash, *dir, *base, *name;
	size_t	 len;

	while ((len = strlen(copy)) > 1 && copy[len - 1] == '/')
		copy[len - 1] = '\0';
	if ((slash = strrchr(copy, '/')) != NULL) {
		*slash = '\0';
		dir = strrchr(copy, '/');
		dir = dir != NULL ? dir + 1 : copy;
		if (*dir != '\0' && strcmp(dir, ".") != 0 &&
		    strcmp(dir, "..") != 0) {
			*from = FROM_DIRECTORY;
			name = xstrdup(dir);
			free(copy);
			return (name);
		}
		base = slash + 1;
	} else
		base = copy;
	len = strlen(base);
	if (len > 5 && strcmp(base + len - 5, ".json") == 0)
		base[len - 5] = '\0';
	*from = FROM_FILE;
	name = xstrdup(base);
	free(copy);
	return (name);
}

static int
host_read(struct host_report *h, const char *path, char *err, size_t errlen)
{
	json_error_t	 je;
	const char	*name;
	char		 clean[512];
	long long	 schema;

	memset(h, 0, sizeof *h);
	h->file = path;
	if ((h->root = json_load_file(path, 0, &je)) == NULL) {
		if (je.line <= 0)
			snprintf(err, errlen, "%s: cannot read: %s", path,
			    je.text);
		else
			snprintf(err, errlen, "%s:%d:%d: not valid JSON: %s",
			    path, je.line, je.column, je.text);
		return (-1);
	}
	schema = jget_int(h->root, "schema", -1);
	if (!json_is_object(h->root) || schema < 0 ||
	    !json_is_integer(json_object_get(h->root, "exit_status")) ||
	    jget_str(h->root, "status") == NULL) {
		snprintf(err, errlen, "%s: not a chaosd run report (no schema, "
		    "status or exit_status; write one with chaosd run "
		    "--report json=FILE)", path);
		return (-1);
	}
	if (schema > MERGE_SCHEMA) {
		snprintf(err, errlen, "%s: report schema %lld is newer than "
		    "this chaosd reads (%d): merge with a newer chaosd", path,
		    schema, MERGE_SCHEMA);
		return (-1);
	}
	h->exit_status = (int)jget_int(h->root, "exit_status", 0);
	h->status = jget_str(h->root, "status");
	if ((name = jget_str(h->root, "host")) != NULL && *name != '\0') {
		utf8_clean(clean, sizeof clean, name);
		h->host = xstrdup(clean);
		h->from = FROM_REPORT;
	} else
		h->host = host_from_path(path, &h->from);
	return (0);
}

/* ---- text ------------------------------------------------------- */

static void
text_ms(char *buf, size_t len, long long ms)
{
	if (ms < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%lld.%llds", ms / 1000, ms % 1000 / 100);
}

static const char *
from_text(const struct host_report *h, char *buf, size_t len)
{
	switch (h->from) {
	case FROM_REPORT:
		snprintf(buf, len, "named in %s", h->file);
		break;
	case FROM_DIRECTORY:
		snprintf(buf, len, "no host in the report: named after the "
		    "directory of %s", h->file);
		break;
	case FROM_FILE:
		snprintf(buf, len, "no host in the report: named after the "
		    "file %s", h->file);
		break;
	}
	return (buf);
}

static void
text_faults(FILE *f, json_t *faults)
{
	json_t	*o;
	size_t	 i;
	char	 name[160], ttd[32], ttr[32];

	if (json_array_size(faults) == 0)
		return;
	fprintf(f, "  faults:\n");
	json_array_foreach(faults, i, o) {
		snprintf(name, sizeof name, "%s.%s",
		    or_dash(jget_str(o, "kind")), or_dash(jget_str(o, "name")));
		fprintf(f, "    %-24s %-13s", name,
		    or_dash(jget_str(o, "status")));
		if (json_is_integer(json_object_get(o, "matched")))
			fprintf(f, " injected %lld of %lld matching calls",
			    jget_int(o, "injected", 0),
			    jget_int(o, "matched", 0));
		text_ms(ttd, sizeof ttd, jget_int(o, "time_to_detect_ms", -1));
		text_ms(ttr, sizeof ttr, jget_int(o, "time_to_recover_ms",
		    -1));
		if (strcmp(ttd, "-") != 0 || strcmp(ttr, "-") != 0)
			fprintf(f, ", detected %s, recovered %s", ttd, ttr);
		if (jget_str(o, "message") != NULL)
			fprintf(f, " (%s)", jget_str(o, "message"));
		fputc('\n', f);
	}
}

static void
text_checks(FILE *f, json_t *checks)
{
	json_t	*o;
	size_t	 i;

	if (json_array_size(checks) == 0)
		return;
	fprintf(f, "  checks:\n");
	json_array_foreach(checks, i, o) {
		fprintf(f, "    %-24s %-5s %-8s %lld/%lld passed",
		    or_dash(jget_str(o, "name")), or_dash(jget_str(o, "type")),
		    or_dash(jget_str(o, "status")), jget_int(o, "passed", 0),
		    jget_int(o, "probes", 0));
		if (jget_str(o, "message") != NULL)
			fprintf(f, ": %s", jget_str(o, "message"));
		fputc('\n', f);
	}
}

int
merge_text(FILE *f, const void *arg)
{
	const struct merge *m = arg;
	char	 up[32], el[32], from[1024];
	int	 i, k, counted, width = 4;

	for (i = 0; i < m->n; i++)
		if ((int)strlen(m->h[i].host) > width)
			width = (int)strlen(m->h[i].host);
	if (width > 40)
		width = 40;
	snprintf(up, sizeof up, "%s", m->status);
	for (k = 0; up[k] != '\0'; k++)
		if (up[k] >= 'a' && up[k] <= 'z')
			up[k] = (char)(up[k] - 'a' + 'A');
	fprintf(f, "fleet: %s (exit %d), %d host%s:", up, m->exit_status,
	    m->n, m->n == 1 ? "" : "s");
	/* how many hosts of each status, in order of first appearance */
	for (i = 0; i < m->n; i++) {
		for (k = 0; k < i; k++)
			if (strcmp(m->h[k].status, m->h[i].status) == 0)
				break;
		if (k < i)
			continue;
		for (counted = 0, k = i; k < m->n; k++)
			counted += strcmp(m->h[k].status, m->h[i].status) == 0;
		fprintf(f, "%s %d %s", i ? "," : "", counted, m->h[i].status);
	}
	fputc('\n', f);
	if (m->exit_status != 0)
		fprintf(f, "worst: %s: %s\n", m->h[m->worst].host,
		    or_dash(jget_str(m->h[m->worst].root, "reason")));
	fprintf(f, "%-*s %-16s %4s  %-20s %8s  %s\n", width, "HOST", "VERDICT",
	    "EXIT", "SCENARIO", "ELAPSED", "REASON");
	for (i = 0; i < m->n; i++) {
		const struct host_report *h = &m->h[i];

		text_ms(el, sizeof el, jget_int(h->root, "elapsed_ms", -1));
		fprintf(f, "%-*s %-16s %4d  %-20s %8s  %s\n", width, h->host,
		    h->status, h->exit_status,
		    or_dash(jget_str(h->root, "scenario")), el,
		    or_dash(jget_str(h->root, "reason")));
	}
	for (i = 0; i < m->n; i++) {
		const struct host_report *h = &m->h[i];
		json_t	*o;
		size_t	 j;

		fprintf(f, "\n%s: %s (exit %d), scenario %s, started %s (%s)\n",
		    h->host, h->status, h->exit_status,
		    or_dash(jget_str(h->root, "scenario")),
		    or_dash(jget_str(h->root, "started")),
		    from_text(h, from, sizeof from));
		json_array_foreach(json_object_get(h->root, "services"), j, o)
			fprintf(f, "  service %s: %s, died %lld, restarted "
			    "%lld\n", or_dash(jget_str(o, "name")),
			    json_is_true(json_object_get(o, "ready")) ?
			    "ready" : "never ready", jget_int(o, "died", 0),
			    jget_int(o, "restarts", 0));
		text_faults(f, json_object_get(h->root, "faults"));
		text_checks(f, json_object_get(h->root, "checks"));
	}
	return (ferror(f) ? -1 : 0);
}

/* ---- JSON ------------------------------------------------------- */

int
merge_json(FILE *f, const void *arg)
{
	static const char *const copied[] = { "scenario", "file", "started",
	    "elapsed_ms", "status", "exit_status", "reason", "seed",
	    "workload", "services", "faults", "checks", NULL };
	static const char *const from_names[] = { "report", "directory",
	    "file" };
	const struct merge *m = arg;
	json_t	*root = json_object(), *hosts = json_array();
	json_t	*counts, *o, *v;
	int	 i, k, r;

	json_object_set_new(root, "schema", json_integer(MERGE_SCHEMA));
	json_object_set_new(root, "chaosd", json_string(PACKAGE_VERSION));
	json_object_set_new(root, "status", json_string(m->status));
	json_object_set_new(root, "exit_status", json_integer(m->exit_status));
	json_object_set_new(root, "worst", m->exit_status != 0 ?
	    json_string(m->h[m->worst].host) : json_null());
	counts = json_object();
	for (i = 0; i < m->n; i++) {
		v = json_object_get(counts, m->h[i].status);
		json_object_set_new(counts, m->h[i].status, json_integer(
		    (v != NULL ? json_integer_value(v) : 0) + 1));
	}
	json_object_set_new(root, "hosts_total", json_integer(m->n));
	json_object_set_new(root, "hosts_by_status", counts);
	for (i = 0; i < m->n; i++) {
		const struct host_report *h = &m->h[i];

		o = json_object();
		json_object_set_new(o, "host", json_string(h->host));
		json_object_set_new(o, "host_from", json_string(
		    from_names[h->from]));
		json_object_set_new(o, "report", json_string(h->file));
		for (k = 0; copied[k] != NULL; k++) {
			v = json_object_get(h->root, copied[k]);
			json_object_set(o, copied[k], v != NULL ? v :
			    json_null());
		}
		json_array_append_new(hosts, o);
	}
	json_object_set_new(root, "hosts", hosts);
	r = json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
	    JSON_REAL_PRECISION(6));
	fputc('\n', f);
	json_decref(root);
	return (r == 0 && !ferror(f) ? 0 : -1);
}

/* ---- the command ------------------------------------------------ */

static const struct merge_format merge_formats[NFORMATS] = {
	{ "text", merge_text },
	{ "json", merge_json },
	{ "junit", merge_junit },
};

static void
report_help(void)
{
	cmd_usage(&cmd_report_entry, 0);
	printf("\n"
	    "Merge the JSON reports of one game day on many hosts (chaosd\n"
	    "run --report json=FILE on each) into one fleet report: each\n"
	    "host's verdict, exit status, faults and checks, and the fleet's\n"
	    "verdict, the worst host's. A host is named by the report's\n"
	    "\"host\" field, else by the directory holding the file\n"
	    "(reports/web1/x.json: web1), else by the file's name.\n"
	    "\n"
	    "  --report FORMAT=FILE  also write text, json or junit (one\n"
	    "                        testsuite per host) to FILE, atomically;\n"
	    "                        FILE '-' is standard output (the text\n"
	    "                        summary is then not printed); repeatable\n"
	    "  -h, --help            this text\n"
	    "\n"
	    "Exit status: the worst host's, as chaosd run ranks them (0 every\n"
	    "host passed, then 5 inconclusive, 1 failed, 2 error, 3 aborted,\n"
	    "4 rollback failed); 2 also for a usage error or a report that\n"
	    "cannot be read (nothing is written then).\n");
}

static int
report_usage_error(void)
{
	cmd_usage(&cmd_report_entry, 1);
	fprintf(stderr, "Try 'chaosd report --help'.\n");
	return (EXIT_USAGE);
}

struct merge_out {
	const struct merge_format *fmt;
	const char	*path;
};

static int
merge_parse_out(const char *arg, struct merge_out *out)
{
	const char	*eq = strchr(arg, '=');
	size_t		 k;

	for (k = 0; eq != NULL && k < NFORMATS; k++)
		if (strlen(merge_formats[k].name) == (size_t)(eq - arg) &&
		    strncmp(merge_formats[k].name, arg, eq - arg) == 0)
			break;
	if (eq == NULL || k == NFORMATS || eq[1] == '\0')
		return (-1);
	out->fmt = &merge_formats[k];
	out->path = eq + 1;
	return (0);
}

static int
report_merge(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "report",	required_argument, NULL, 'r' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct merge_out out[MERGE_REPORTS];
	struct merge	 m;
	char		 err[1024], q[128];
	int		 ch, nout = 0, to_stdout = 0, i, k, r = 0;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":r:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			if (nout == MERGE_REPORTS) {
				log_warn("--report: at most %d", MERGE_REPORTS);
				return (report_usage_error());
			}
			if (merge_parse_out(optarg, &out[nout]) != 0) {
				log_warn("--report '%s': give text=FILE, "
				    "json=FILE or junit=FILE ('-' for "
				    "standard output)", log_excerpt(q,
				    sizeof q, optarg));
				return (report_usage_error());
			}
			to_stdout |= strcmp(out[nout++].path, "-") == 0;
			break;
		case 'h':
			report_help();
			return (0);
		case ':':
			log_warn("option '%s' needs an argument",
			    log_excerpt(q, sizeof q, argv[optind - 1]));
			return (report_usage_error());
		default:
			log_warn("unknown option '%s'", log_excerpt(q, sizeof q,
			    argv[optind - 1]));
			return (report_usage_error());
		}
	}
	if (optind >= argc) {
		log_warn("no report given (the hosts' chaosd run --report "
		    "json=FILE files)");
		return (report_usage_error());
	}

	memset(&m, 0, sizeof m);
	m.h = xcalloc((size_t)(argc - optind), sizeof *m.h);
	for (i = optind; i < argc; i++) {
		if (host_read(&m.h[m.n], argv[i], err, sizeof err) != 0) {
			log_warn("%s", err);
			json_decref(m.h[m.n].root);
			r = EXIT_USAGE;
			goto out;
		}
		m.n++;
	}
	m.status = "passed";
	for (i = 0; i < m.n; i++) {
		for (k = 0; k < i; k++)
			if (strcmp(m.h[k].host, m.h[i].host) == 0)
				log_warn("host %s has two reports: %s and %s",
				    m.h[i].host, m.h[k].file, m.h[i].file);
		if (outcome_rank(m.h[i].exit_status) >
		    outcome_rank(m.exit_status)) {
			m.exit_status = m.h[i].exit_status;
			m.status = m.h[i].status;
			m.worst = i;
		}
	}

	if (!to_stdout)
		merge_text(stdout, &m);
	fflush(stdout);
	for (k = 0; k < nout; k++) {
		if (strcmp(out[k].path, "-") == 0) {
			if (out[k].fmt->write(stdout, &m) != 0 ||
			    fflush(stdout) != 0) {
				log_warn("standard output: %s",
				    strerror(errno));
				r = EXIT_USAGE;
			}
		} else if (file_write_atomic(out[k].path, out[k].fmt->write,
		    &m, err, sizeof err) != 0) {
			log_warn("report %s", err);
			r = EXIT_USAGE;
		}
	}
	if (r == 0)
		r = m.exit_status;
out:
	for (i = 0; i < m.n; i++) {
		json_decref(m.h[i].root);
		free(m.h[i].host);
	}
	free(m.h);
	return (r);
}

static int
cmd_report_exec(int argc, char **argv)
{
	char	q[128];

	if (argc < 2) {
		log_warn("which report command? (merge)");
		return (report_usage_error());
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		report_help();
		return (0);
	}
	if (strcmp(argv[1], "merge") == 0) {
		optind = 0;
		return (report_merge(argc - 1, argv + 1));
	}
	log_warn("unknown report command '%s' (there is: merge)",
	    log_excerpt(q, sizeof q, argv[1]));
	return (report_usage_error());
}

/*
 * cmd-doctor.c: chaosd doctor: what this machine can do, one line each.
 *
 *	chaosd doctor [--json] [SCENARIO]
 *
 * The kernel features are tried for real, in a scratch network namespace
 * (unshare(CLONE_NEWNET) in a child process, on its loopback device), so
 * the answer is the kernel's, module autoloading included, and nothing
 * of the machine's own network is touched. Every probe is one entry
 * (key, label, ok, detail, fix); the child writes its entries into a
 * shared mapping, and the parent prints them all, as lines or, with
 * --json, as one object for scripts (the fleet's preflight). prio is
 * reported but not needed (targeting uses htb, which has no priomap).
 * Then every kind that has its own (kind.h: doctor) says what it finds:
 * process signals and the cgroup freezer, the stressors, cgroup v2's
 * controllers for limits; doctor only names and prints those lines.
 *
 * With a SCENARIO, doctor also says what that scenario needs (each
 * fault's kind says its own: kind.h, needs) and whether this machine has
 * it. Exit status: 0 everything works (with a SCENARIO: everything it
 * needs), 1 something is missing (each such entry says the fix), 2 a
 * usage error or a bad scenario.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/seccomp.h>

#include <jansson.h>
#include <netlink/netlink.h>

#include "chaosd.h"
#include "kind.h"
#include "net.h"
#include "scenario.h"

static int	cmd_doctor_exec(int, char **);

const struct cmd_entry cmd_doctor_entry = {
	.name = "doctor",
	.usage = "[--json] [SCENARIO]",
	.summary = "check what this machine lets chaosd do",
	.exec = cmd_doctor_exec,
};

#define DOCTOR_MAX	40
#define NEEDS_MAX	16

struct doctor_entry {
	char		 key[48];	/* JSON name: "netem" */
	char		 label[64];	/* text: "netem (sch_netem)" */
	const char	*kind;		/* a kind's own line: its name */
	int		 ok;
	int		 needed;	/* 0: informational (prio) */
	int		 quiet;		/* text: only if it fails */
	char		 detail[512];
	const char	*fix;
};

/* In a MAP_SHARED mapping: the scratch child appends to it too. */
struct doctor {
	int			n;
	struct doctor_entry	e[DOCTOR_MAX];
};

/* What a scenario needs: a capability, and the first section asking. */
struct need {
	const char	*key;
	char		 by[SC_NAME_MAX + 16];
};

struct needs {
	int		n;
	struct need	v[NEEDS_MAX];
};

static struct doctor_entry *
add(struct doctor *d, const char *key, const char *label, int ok,
    const char *detail, const char *fix)
{
	struct doctor_entry *e;

	if (d->n == DOCTOR_MAX)
		fatalx("doctor: too many entries");
	e = &d->e[d->n++];
	memset(e, 0, sizeof *e);
	snprintf(e->key, sizeof e->key, "%s", key);
	snprintf(e->label, sizeof e->label, "%s", label);
	e->ok = ok;
	e->needed = 1;
	snprintf(e->detail, sizeof e->detail, "%s", detail != NULL ? detail :
	    "");
	e->fix = ok ? NULL : fix;
	return (e);
}

static const struct doctor_entry *
find(const struct doctor *d, const char *key)
{
	int	i;

	for (i = 0; i < d->n; i++)
		if (strcmp(d->e[i].key, key) == 0)
			return (&d->e[i]);
	return (NULL);
}

static void
probe(struct doctor *d, struct nl_sock *sk, const char *key,
    const char *label, const char *kind, const char *fix)
{
	struct doctor_entry *e;
	char	 err[512] = "", *cut;
	int	 r;

	r = netfault_probe(sk, 1, kind, err, sizeof err);
	if ((cut = strstr(err, ". Load it")) != NULL)
		*cut = '\0';	/* the fix is said apart */
	if (fix == NULL) {
		/* informational: chaosd does not need it */
		e = add(d, key, label, r == 0, r == 0 ? "" : "chaosd does "
		    "not need it: targeting uses htb", NULL);
		e->needed = 0;
		return;
	}
	add(d, key, label, r == 0, r == 0 ? "" : err, fix);
}

/* The network probes, inside the scratch namespace (a child process). */
static void
doctor_scratch(struct doctor *d)
{
	struct nl_sock	*sk;
	char		 err[512] = "";
	int		 r, ifb;

	if (unshare(CLONE_NEWNET) != 0) {
		add(d, "netns", "scratch network namespace", 0,
		    strerror(errno), "run as root (CAP_SYS_ADMIN) to let "
		    "doctor try the kernel's qdiscs");
		return;
	}
	add(d, "netns", "scratch network namespace", 1, "", NULL)->quiet = 1;
	if ((sk = nl_open(err, sizeof err)) == NULL) {
		add(d, "rtnetlink", "rtnetlink socket", 0, err, NULL);
		return;
	}
	probe(d, sk, "netem", "netem (sch_netem)", "netem", "modprobe "
	    "sch_netem; if it is missing install the kernel's extra modules "
	    "(Debian/Ubuntu: linux-modules-extra-$(uname -r)); --rate alone "
	    "works without it");
	probe(d, sk, "tbf", "tbf (sch_tbf)", "tbf", "modprobe sch_tbf");
	probe(d, sk, "htb", "htb (sch_htb)", "htb", "modprobe sch_htb "
	    "(targeting by address or port needs it)");
	probe(d, sk, "prio", "prio (sch_prio)", "prio", NULL);
	r = netfault_probe_filters(sk, 1, 0, err, sizeof err);
	add(d, "u32", "u32 filters (cls_u32)", r == 0, r == 0 ? "" : err,
	    "modprobe cls_u32 (targeting needs it)");
	r = link_add_ifb(sk, NET_IFB_PREFIX "probe", err, sizeof err);
	add(d, "ifb", "ifb devices (ifb)", r == 0, r == 0 ? "" : err,
	    "modprobe ifb (--ingress needs it)");
	if (r == 0 && (ifb = link_index(sk, NET_IFB_PREFIX "probe", err,
	    sizeof err)) > 0) {
		r = netfault_probe_filters(sk, 1, ifb, err, sizeof err);
		add(d, "mirred", "mirred redirect (act_mirred)", r == 0,
		    r == 0 ? "" : err, "modprobe act_mirred (--ingress needs "
		    "it)");
		link_del(sk, NET_IFB_PREFIX "probe", "ifb");
	} else
		add(d, "mirred", "mirred redirect (act_mirred)", 0,
		    "needs an ifb device", "modprobe ifb act_mirred (--ingress "
		    "needs them)");
	probe(d, sk, "ingress", "ingress qdisc (sch_ingress)", "ingress",
	    "modprobe sch_ingress (--ingress needs it)");
	nl_close(sk);
}

static void
doctor_probe_all(struct doctor *d)
{
	char	*lib, *cause = NULL, why[256], msg[128];
	pid_t	 pid;
	int	 status, ok;

	add(d, "cap_net_admin", "CAP_NET_ADMIN", net_has_cap_admin(), "",
	    "run chaosd as root, or give it CAP_NET_ADMIN, for network "
	    "faults");

	fflush(stdout);
	if ((pid = fork()) < 0)
		fatal("fork");
	if (pid == 0) {
		doctor_scratch(d);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		if (WIFSIGNALED(status))
			snprintf(msg, sizeof msg, "killed by signal %d (%s)",
			    WTERMSIG(status), strsignal(WTERMSIG(status)));
		else
			snprintf(msg, sizeof msg, "failed");
		add(d, "netns_probes", "network probes", 0, msg, NULL);
	}

	/* the very probe chaosd exec -s makes (seccomp.c) */
	ok = syscall_faults_supported(why, sizeof why);
	add(d, "seccomp_notify", "seccomp user notification", ok, why,
	    "a kernel of 5.5 or later (-s rules other than a plain error= "
	    "need it)");
	if ((lib = preload_find(&cause)) != NULL) {
		add(d, "libinject", "libinject found", 1, lib, NULL);
		free(lib);
	} else {
		add(d, "libinject", "libinject found", 0, cause ? cause : "",
		    "install chaosd, or set CHAOS_LIBINJECT to libinject.so");
		free(cause);
	}
}

/* ---- the kinds' own lines (kind.h: doctor) ---------------------- */

static struct doctor		*kind_doctor;	/* while a hook runs */
static const struct fault_kind	*kind_doctor_kind;

/*
 * A kind's line is named (for --json and for what a scenario needs)
 * from its label: the words before " (", in lower case with '_' for
 * anything else, after the kind's name unless they start with it:
 * limit's "cpu.max (limit cpu)" is limit_cpu_max, process's "process
 * signals (pidfd)" is process_signals.
 */
static void
kind_line_key(const char *kind, const char *label, char *key, size_t len)
{
	char	 word[32];
	size_t	 i, n;

	n = strcspn(label, "(");
	while (n > 0 && label[n - 1] == ' ')
		n--;
	if (n >= sizeof word)
		n = sizeof word - 1;
	for (i = 0; i < n; i++) {
		if (isalnum((unsigned char)label[i]))
			word[i] = tolower((unsigned char)label[i]);
		else
			word[i] = '_';
	}
	word[n] = '\0';
	if (strncmp(word, kind, strlen(kind)) == 0)
		snprintf(key, len, "%s", word);
	else
		snprintf(key, len, "%s_%s", kind, word);
}

static void
kind_line(const char *what, int ok, const char *detail, const char *fix)
{
	struct doctor_entry *e;
	char	 key[sizeof e->key];

	kind_line_key(kind_doctor_kind->name, what, key, sizeof key);
	e = add(kind_doctor, key, what, ok, detail, fix);
	e->kind = kind_doctor_kind->name;
}

/* Every kind that says what it needs on a machine, in kind_table[]. */
static void
doctor_kinds(struct doctor *d)
{
	int	i;

	kind_doctor = d;
	for (i = 0; kind_table[i] != NULL; i++) {
		if (kind_table[i]->doctor == NULL)
			continue;
		kind_doctor_kind = kind_table[i];
		kind_table[i]->doctor(kind_line);
	}
	kind_doctor = NULL;
	kind_doctor_kind = NULL;
}

/* ---- what a scenario needs -------------------------------------- */

struct need_ctx {
	struct needs	*nd;
	const char	*by;
};

static void
need(void *arg, const char *key)
{
	struct need_ctx	*c = arg;
	struct needs	*nd = c->nd;
	int		 i;

	for (i = 0; i < nd->n; i++)
		if (strcmp(nd->v[i].key, key) == 0)
			return;
	if (nd->n == NEEDS_MAX)
		return;
	nd->v[nd->n].key = key;
	snprintf(nd->v[nd->n].by, sizeof nd->v[nd->n].by, "%s", c->by);
	nd->n++;
}

/*
 * The capabilities a scenario needs, from its sections: each fault's
 * kind says its own (kind.h: needs), the first section asking is kept;
 * services or a workload need libinject. Optional faults (optional =
 * yes) need nothing: chaosd run skips them with a notice.
 */
static void
scenario_needs(const struct scenario *sc, struct needs *nd)
{
	struct need_ctx	 c = { .nd = nd };
	char		 by[sizeof nd->v[0].by];
	int		 i;

	memset(nd, 0, sizeof *nd);
	c.by = by;
	for (i = 0; i < sc->nfaults; i++) {
		const struct sc_fault *f = &sc->faults[i];

		if (f->optional || f->kind->needs == NULL)
			continue;
		snprintf(by, sizeof by, "[%s.%s]", fault_kind_name(f->kind),
		    f->name);
		f->kind->needs(f, need, &c);
	}
	if (sc->nservices > 0) {
		snprintf(by, sizeof by, "[service.%s]", sc->services[0].name);
		need(&c, "libinject");
	} else if (sc->command != NULL) {
		snprintf(by, sizeof by, "[scenario] command");
		need(&c, "libinject");
	}
}

static int
need_ok(const struct doctor *d, const struct need *n)
{
	const struct doctor_entry *e = find(d, n->key);

	return (e != NULL && e->ok);
}

/* ---- output ----------------------------------------------------- */

static int
doctor_text(const struct doctor *d, const struct scenario *sc,
    const struct needs *nd)
{
	const struct doctor_entry *e;
	int	 i, missing = 0;

	for (i = 0; i < d->n; i++) {
		e = &d->e[i];
		if (!e->needed) {
			printf("%-32s %s", e->label, e->ok ? "ok" : "absent");
			if (!e->ok)
				printf(" (%s)", e->detail);
			printf("\n");
			continue;
		}
		missing += !e->ok;
		if (e->quiet && e->ok)
			continue;
		printf("%-32s %s", e->label, e->ok ? "ok" : "MISSING");
		if (e->detail[0] != '\0')
			printf("  (%s)", e->detail);
		if (!e->ok && e->fix != NULL)
			printf("\n%-32s fix: %s", "", e->fix);
		printf("\n");
	}
	if (sc == NULL)
		return (missing);

	missing = 0;
	printf("scenario %s needs:", sc->name);
	for (i = 0; i < nd->n; i++)
		printf("%s %s (for %s)", i ? "," : "", nd->v[i].key,
		    nd->v[i].by);
	printf("%s\n", nd->n == 0 ? " nothing this machine could lack" : "");
	for (i = 0; i < nd->n; i++) {
		if (need_ok(d, &nd->v[i]))
			continue;
		e = find(d, nd->v[i].key);
		printf("scenario %s: MISSING %s (for %s): %s\n", sc->name,
		    nd->v[i].key, nd->v[i].by, e == NULL ? "not probed (see "
		    "above)" : e->fix != NULL ? e->fix : e->detail);
		missing++;
	}
	if (missing == 0)
		printf("scenario %s: this machine has everything it needs\n",
		    sc->name);
	return (missing);
}

static json_t *
jstr_or_null(const char *s)
{
	return (s != NULL && *s != '\0' ? json_string(s) : json_null());
}

static int
doctor_json(const struct doctor *d, const struct scenario *sc,
    const struct needs *nd)
{
	const struct doctor_entry *e;
	json_t	*root = json_object(), *caps = json_object(), *o, *a, *m;
	int	 i, missing = 0;
	char	 clean[1024];

	json_object_set_new(root, "chaosd", json_string(PACKAGE_VERSION));
	utf8_clean(clean, sizeof clean, host_name());
	json_object_set_new(root, "host", json_string(clean));
	json_object_set_new(root, "ok", json_true());	/* set below */
	for (i = 0; i < d->n; i++) {
		e = &d->e[i];
		missing += e->needed && !e->ok;
		o = json_object();
		json_object_set_new(o, "ok", json_boolean(e->ok));
		json_object_set_new(o, "needed", json_boolean(e->needed));
		json_object_set_new(o, "label", json_string(e->label));
		if (e->kind != NULL)
			json_object_set_new(o, "kind", json_string(e->kind));
		utf8_clean(clean, sizeof clean, e->detail);
		json_object_set_new(o, "detail", jstr_or_null(clean));
		json_object_set_new(o, "fix", jstr_or_null(e->fix));
		json_object_set_new(caps, e->key, o);
	}
	if (sc != NULL) {
		missing = 0;
		o = json_object();
		utf8_clean(clean, sizeof clean, sc->path);
		json_object_set_new(o, "file", json_string(clean));
		utf8_clean(clean, sizeof clean, sc->name);
		json_object_set_new(o, "name", json_string(clean));
		a = json_array();
		m = json_array();
		for (i = 0; i < nd->n; i++) {
			json_t	*n = json_object();
			int	 ok = need_ok(d, &nd->v[i]);

			json_object_set_new(n, "capability",
			    json_string(nd->v[i].key));
			utf8_clean(clean, sizeof clean, nd->v[i].by);
			json_object_set_new(n, "for", json_string(clean));
			json_object_set_new(n, "ok", json_boolean(ok));
			if (!ok) {
				json_array_append(m, n);
				missing++;
			}
			json_array_append_new(a, n);
		}
		json_object_set_new(o, "needs", a);
		json_object_set_new(o, "missing", m);
		json_object_set_new(root, "scenario", o);
	}
	json_object_set_new(root, "ok", json_boolean(missing == 0));
	json_object_set_new(root, "capabilities", caps);
	json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(root);
	return (missing);
}

static void
doctor_help(void)
{
	cmd_usage(&cmd_doctor_entry, 0);
	printf("\n"
	    "Try what chaosd needs on this machine, for real (the network\n"
	    "features in a scratch namespace; then each fault kind's own:\n"
	    "process, stress, limit), one line each, with the fix for\n"
	    "what is missing. With a SCENARIO file, also what that\n"
	    "scenario needs and whether this machine has it.\n"
	    "\n"
	    "  --json     one JSON object: capabilities (key: ok, needed,\n"
	    "             label, detail, fix; a kind's own lines: kind),\n"
	    "             ok, with SCENARIO its needs\n"
	    "  -h, --help this text\n"
	    "\n"
	    "Exit status: 0 everything works (with SCENARIO: everything it\n"
	    "needs), 1 something is missing, 2 a usage error or a bad "
	    "scenario.\n");
}

static int
cmd_doctor_exec(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json",	no_argument,	NULL, 'j' },
		{ "help",	no_argument,	NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct doctor	*d;
	struct scenario	*sc = NULL;
	struct needs	 nd = { 0 };
	char		 err[RULE_ERR_MAX * 2], q[128];
	int		 ch, json = 0, missing;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+jh", opts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			json = 1;
			break;
		case 'h':
			doctor_help();
			return (0);
		default:
			log_warn("unknown option '%s'", log_excerpt(q, sizeof q,
			    argv[optind - 1]));
			cmd_usage(&cmd_doctor_entry, 1);
			return (EXIT_USAGE);
		}
	}
	if (argc - optind > 1) {
		log_warn("one scenario at most");
		cmd_usage(&cmd_doctor_entry, 1);
		return (EXIT_USAGE);
	}
	if (optind < argc) {
		if ((sc = scenario_load(argv[optind], err, sizeof err)) ==
		    NULL) {
			log_warn("%s", err);
			return (EXIT_USAGE);
		}
		scenario_needs(sc, &nd);
	}

	d = mmap(NULL, sizeof *d, PROT_READ | PROT_WRITE, MAP_SHARED |
	    MAP_ANONYMOUS, -1, 0);
	if (d == MAP_FAILED)
		fatal("mmap");
	d->n = 0;
	doctor_probe_all(d);
	doctor_kinds(d);
	if (json)
		missing = doctor_json(d, sc, &nd);
	else
		missing = doctor_text(d, sc, &nd);
	munmap(d, sizeof *d);
	if (sc != NULL)
		scenario_free(sc);
	return (missing ? 1 : 0);
}

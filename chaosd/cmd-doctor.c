/*
 * cmd-doctor.c: chaosd doctor: what this machine can do, one line each.
 *
 * The kernel features are tried for real, in a scratch network namespace
 * (unshare(CLONE_NEWNET) in a child process, on its loopback device), so
 * the answer is the kernel's, module autoloading included, and nothing
 * of the machine's own network is touched. Exit status: 0 everything
 * works, 1 something is missing (each such line says the fix). prio is
 * reported but not needed (targeting uses htb, which has no priomap).
 */
#include "config.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/seccomp.h>

#include <netlink/netlink.h>

#include "chaosd.h"
#include "net.h"

static int	cmd_doctor_exec(int, char **);

const struct cmd_entry cmd_doctor_entry = {
	.name = "doctor",
	.usage = "",
	.summary = "check what this machine lets chaosd do",
	.exec = cmd_doctor_exec,
};


static int	missing;

static void
line(const char *what, int ok, const char *detail, const char *fix)
{
	printf("%-28s %s", what, ok ? "ok" : "MISSING");
	if (detail != NULL && *detail != '\0')
		printf("  (%s)", detail);
	if (!ok && fix != NULL)
		printf("\n%-28s fix: %s", "", fix);
	printf("\n");
	if (!ok)
		missing++;
}

static void
probe(struct nl_sock *sk, const char *label, const char *kind,
    const char *fix)
{
	char	err[512] = "";
	int	r;

	char	*cut;

	r = netfault_probe(sk, 1, kind, err, sizeof err);
	if ((cut = strstr(err, ". Load it")) != NULL)
		*cut = '\0';	/* the fix gets its own line */
	if (fix == NULL) {
		/* informational: chaosd does not need it */
		printf("%-28s %s\n", label, r == 0 ? "ok" :
		    "absent (chaosd does not need it: targeting uses htb)");
		return;
	}
	line(label, r == 0, r == 0 ? "" : err, fix);
}

/* The network probes, inside the scratch namespace. */
static int
doctor_scratch(void)
{
	struct nl_sock	*sk;
	char		 err[512] = "";
	int		 r, ifb;

	if (unshare(CLONE_NEWNET) != 0) {
		line("scratch network namespace", 0, strerror(errno),
		    "run as root (CAP_SYS_ADMIN) to let doctor try the "
		    "kernel's qdiscs");
		return (missing);
	}
	if ((sk = nl_open(err, sizeof err)) == NULL) {
		line("rtnetlink socket", 0, err, NULL);
		return (missing);
	}
	probe(sk, "netem (sch_netem)", "netem", "modprobe sch_netem; if it "
	    "is missing install the kernel's extra modules (Debian/Ubuntu: "
	    "linux-modules-extra-$(uname -r)); --rate alone works without it");
	probe(sk, "tbf (sch_tbf)", "tbf", "modprobe sch_tbf");
	probe(sk, "htb (sch_htb)", "htb", "modprobe sch_htb (targeting by "
	    "address or port needs it)");
	probe(sk, "prio (sch_prio)", "prio", NULL);
	r = netfault_probe_filters(sk, 1, 0, err, sizeof err);
	line("u32 filters (cls_u32)", r == 0, r == 0 ? "" : err,
	    "modprobe cls_u32 (targeting needs it)");
	r = link_add_ifb(sk, NET_IFB_PREFIX "probe", err, sizeof err);
	line("ifb devices (ifb)", r == 0, r == 0 ? "" : err,
	    "modprobe ifb (--ingress needs it)");
	if (r == 0 && (ifb = link_index(sk, NET_IFB_PREFIX "probe", err,
	    sizeof err)) > 0) {
		r = netfault_probe_filters(sk, 1, ifb, err, sizeof err);
		line("mirred redirect (act_mirred)", r == 0, r == 0 ? "" : err,
		    "modprobe act_mirred (--ingress needs it)");
		link_del(sk, NET_IFB_PREFIX "probe", "ifb");
	} else
		line("mirred redirect (act_mirred)", 0, "needs an ifb device",
		    "modprobe ifb act_mirred (--ingress needs them)");
	probe(sk, "ingress qdisc (sch_ingress)", "ingress",
	    "modprobe sch_ingress (--ingress needs it)");
	nl_close(sk);
	return (missing);
}

static int
cmd_doctor_exec(int argc, char **argv)
{
	char	*lib, *cause = NULL, why[256];
	pid_t	 pid;
	int	 status, ok;

	if (argc > 1) {
		if (strcmp(argv[1], "--help") == 0 ||
		    strcmp(argv[1], "-h") == 0) {
			cmd_usage(&cmd_doctor_entry, 0);
			return (0);
		}
		cmd_usage(&cmd_doctor_entry, 1);
		return (EXIT_USAGE);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	line("CAP_NET_ADMIN", net_has_cap_admin(), "", "run chaosd as root, "
	    "or give it CAP_NET_ADMIN, for network faults");
	fflush(stdout);

	if ((pid = fork()) < 0)
		fatal("fork");
	if (pid == 0) {
		fflush(stdout);
		_exit(doctor_scratch() ? 1 : 0);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		missing++;

	/* the very probe chaosd exec -s makes (seccomp.c) */
	ok = syscall_faults_supported(why, sizeof why);
	line("seccomp user notification", ok, why, ok ? NULL : "a kernel "
	    "of 5.5 or later (-s rules other than a plain error= need it)");
	if ((lib = preload_find(&cause)) != NULL) {
		line("libinject found", 1, lib, NULL);
		free(lib);
	} else {
		line("libinject found", 0, cause ? cause : "", "install "
		    "chaosd, or set CHAOS_LIBINJECT to libinject.so");
		free(cause);
	}
	return (missing ? 1 : 0);
}

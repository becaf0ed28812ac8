/*
 * kind-network.c: [network.NAME], tc netem, tbf and filters through
 * netlink (net-apply.c), applied and reverted by chaosd run itself.
 *
 * The section's keys are chaosd net apply's options (net-options.c),
 * '_' for '-'. At the window's start the fault is applied in-process:
 * journaled first, bound to this chaosd (the guardian takes it down at
 * once if chaosd dies, even by SIGKILL) and expiring at the window's end,
 * then built and confirmed by the kernel before anything goes on. At the
 * end it is reverted, this instance's only: a fault that someone cleared
 * and applied again meanwhile is left alone.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chaosd.h"
#include "kind.h"
#include "net.h"
#include "run.h"

#define SPEC(f) ((struct net_spec *)(f)->spec)

static void
network_init(void *spec, const char *name)
{
	(void)name;
	net_spec_init(spec);
}

static int
network_check(struct sc_fault *f, char *err, size_t errlen)
{
	return (net_spec_check(SPEC(f), err, errlen));
}

static void
network_describe(const struct sc_fault *f, char *buf, size_t len)
{
	char	what[512], here[NAME_MAX + 64];

	netfault_describe(&SPEC(f)->f, &SPEC(f)->m, what, sizeof what);
	net_where(&SPEC(f)->t, here, sizeof here);
	snprintf(buf, len, "%s on %s", what, here);
}

static int
network_lint(const struct scenario *sc, const struct sc_fault *f, char *note,
    size_t len)
{
	(void)sc;
	if (net_has_cap_admin() || f->optional)
		return (0);
	snprintf(note, len, "needs CAP_NET_ADMIN: chaosd run must run as root "
	    "(or mark it optional = yes)");
	return (1);
}

static int
network_preflight(struct run *r, int i, char *why, size_t len)
{
	(void)r;
	(void)i;
	if (!net_has_cap_admin()) {
		snprintf(why, len, "needs CAP_NET_ADMIN (run chaosd as root)");
		return (-1);
	}
	return (0);
}

static int
network_apply(struct run *r, int i)
{
	const struct sc_fault *f = &r->sc->faults[i];
	struct fault_result *fr = &r->rr->faults[i];
	struct net_apply how;
	struct jentry	*j;
	uint64_t	 now = run_clock(r->rr), end = fault_end_ns(r->sc, f);
	char		 err[1024];

	how.bound = 1;
	how.expires_ms = now_ms() + (end > now ? end - now : 0) / NS_PER_MS;
	j = xcalloc(1, sizeof *j);
	if (netfault_apply(SPEC(f), &how, j, err, sizeof err) != 0) {
		free(j);
		snprintf(fr->message, sizeof fr->message, "%.250s", err);
		return (-1);
	}
	fr->state = j;
	return (0);
}

static int
network_revert(struct run *r, int i)
{
	struct fault_result *fr = &r->rr->faults[i];
	struct jentry	*j = fr->state;
	char		 err[1024];
	int		 ret;

	if (j == NULL)
		return (0);
	ret = netfault_unapply(j, err, sizeof err);
	jentry_free(j);
	free(j);
	fr->state = NULL;
	if (ret < 0) {
		snprintf(fr->message, sizeof fr->message, "revert failed: "
		    "%.230s", err);
		return (-1);
	}
	if (ret == 1)
		snprintf(fr->message, sizeof fr->message, "cleared by someone "
		    "else before its end");
	return (0);
}

static void
network_proof(struct run *r, int i)
{
	const struct sc_fault *f = &r->sc->faults[i];
	struct fault_result *fr = &r->rr->faults[i];
	char	here[NAME_MAX + 64];

	if (!fr->applied)
		return;
	fr->reached = 1;
	snprintf(fr->reach, sizeof fr->reach, "held by the kernel on %s "
	    "(chaosd's qdisc c405:, read back once built)",
	    net_where(&SPEC(f)->t, here, sizeof here));
}

static void
network_needs(const struct sc_fault *f, void (*need)(void *, const char *),
    void *arg)
{
	const struct net_spec *s = SPEC(f);

	need(arg, "cap_net_admin");
	need(arg, s->f.has & NF_NETEM ? "netem" : "tbf");
	/* targeted, or excluding ports (22 unless none): the htb tree */
	if (s->m.has != 0 || s->m.nexclude > 0) {
		need(arg, "htb");
		need(arg, "u32");
	}
	if (s->t.ingress) {
		need(arg, "ifb");
		need(arg, "mirred");
		need(arg, "ingress");
	}
}

const struct fault_kind kind_network = {
	.name = "network",
	.summary = "netem delay, loss and more, and tbf rates, through "
	    "netlink",
	.options = net_options,
	.spec_size = sizeof(struct net_spec),
	.init = network_init,
	.check = network_check,
	.describe = network_describe,
	.lint = network_lint,
	.preflight = network_preflight,
	.apply = network_apply,
	.revert = network_revert,
	.proof = network_proof,
	.needs = network_needs,
};

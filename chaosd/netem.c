/*
 * netem.c: netem's TCA_OPTIONS, built by hand.
 *
 * libnl 3.7's netem object keeps delay in µs ticks, has no 64-bit
 * latency, no rate, no loss models, and turns probabilities above 50%
 * negative; so this file writes what iproute2's q_netem.c writes: a
 * struct tc_netem_qopt followed, inside the same TCA_OPTIONS, by nested
 * attributes. chaosd keeps ns and 0..1 probabilities and converts here.
 *
 * Distribution tables are iproute2's .dist files (normal, pareto,
 * paretonormal): whitespace-separated signed 16-bit integers, '#'
 * comments.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/pkt_sched.h>

#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>

#include "chaosd.h"
#include "net.h"

static const char *const dist_names[] = {
	[DIST_NONE] = "uniform",
	[DIST_NORMAL] = "normal",
	[DIST_PARETO] = "pareto",
	[DIST_PARETONORMAL] = "paretonormal",
};

/* Where iproute2 installs its tables (Debian: the multiarch path). */
static const char *const dist_dirs[] = {
	"/usr/lib/x86_64-linux-gnu/tc",
	"/usr/lib/aarch64-linux-gnu/tc",
	"/usr/lib64/tc",
	"/usr/lib/tc",
	"/usr/local/lib/tc",
};

const char *
netem_dist_name(enum net_dist d)
{
	return (dist_names[d]);
}

int
netem_dist_parse(const char *s, enum net_dist *d)
{
	if (strcmp(s, "normal") == 0)
		*d = DIST_NORMAL;
	else if (strcmp(s, "pareto") == 0)
		*d = DIST_PARETO;
	else if (strcmp(s, "paretonormal") == 0)
		*d = DIST_PARETONORMAL;
	else if (strcmp(s, "uniform") == 0)
		*d = DIST_NONE;
	else
		return (-1);
	return (0);
}

int
netem_dist_load(enum net_dist d, int16_t **out, size_t *n, char *err,
    size_t errlen)
{
	char		 path[256], line[1024], *p, *end;
	const char	*env = getenv("CHAOSD_TC_LIB");
	FILE		*f = NULL;
	int16_t		*tab;
	size_t		 i, len = 0;
	long		 v;

	if (env != NULL && *env != '\0') {
		snprintf(path, sizeof path, "%s/%s.dist", env, dist_names[d]);
		f = fopen(path, "re");
	}
	for (i = 0; f == NULL && i < sizeof dist_dirs / sizeof dist_dirs[0];
	    i++) {
		snprintf(path, sizeof path, "%s/%s.dist", dist_dirs[i],
		    dist_names[d]);
		f = fopen(path, "re");
	}
	if (f == NULL) {
		snprintf(err, errlen, "no %s.dist distribution table (install "
		    "iproute2, which ships them in /usr/lib/tc or "
		    "/usr/lib/<arch>/tc, or set CHAOSD_TC_LIB)", dist_names[d]);
		return (-1);
	}
	tab = xreallocarray(NULL, NETEM_DIST_MAX, sizeof *tab);
	while (fgets(line, sizeof line, f) != NULL) {
		if ((p = strchr(line, '#')) != NULL)
			*p = '\0';
		for (p = line;;) {
			while (*p == ' ' || *p == '\t' || *p == '\n' ||
			    *p == '\r')
				p++;
			if (*p == '\0')
				break;
			errno = 0;
			v = strtol(p, &end, 10);
			if (end == p || errno != 0 || v < INT16_MIN ||
			    v > INT16_MAX || len == NETEM_DIST_MAX) {
				snprintf(err, errlen, "%s: not a distribution "
				    "table", path);
				free(tab);
				fclose(f);
				return (-1);
			}
			tab[len++] = (int16_t)v;
			p = end;
		}
	}
	fclose(f);
	if (len == 0) {
		snprintf(err, errlen, "%s: empty distribution table", path);
		free(tab);
		return (-1);
	}
	*out = tab;
	*n = len;
	return (0);
}

/*
 * Append netem's TCA_OPTIONS to a RTM_NEWQDISC message whose tcmsg and
 * TCA_KIND are already there.
 */
int
netem_msg(struct nl_msg *msg, const struct net_fault *f, char *err,
    size_t errlen)
{
	struct tc_netem_qopt	 qopt;
	struct tc_netem_corr	 corr;
	struct tc_netem_reorder	 reorder;
	struct tc_netem_corrupt	 corrupt;
	struct tc_netem_rate	 rate;
	struct tc_netem_gemodel	 ge;
	struct nlattr		*opts, *loss;
	int16_t			*dist = NULL;
	size_t			 ndist = 0;
	int			 r = -1;

	if (f->dist != DIST_NONE &&
	    netem_dist_load(f->dist, &dist, &ndist, err, errlen) != 0)
		return (-1);

	memset(&qopt, 0, sizeof qopt);
	/* psched ticks are 64 ns; LATENCY64 below carries the real value */
	qopt.latency = f->delay_ns >> 6 > UINT32_MAX ? UINT32_MAX :
	    (uint32_t)(f->delay_ns >> 6);
	qopt.jitter = f->jitter_ns >> 6 > UINT32_MAX ? UINT32_MAX :
	    (uint32_t)(f->jitter_ns >> 6);
	qopt.limit = (f->has & NF_LIMIT) ? f->limit : 1000;
	if (!(f->has & NF_LOSS_GE))
		qopt.loss = prob_u32(f->loss);
	qopt.duplicate = prob_u32(f->duplicate);
	if (f->has & NF_REORDER)
		qopt.gap = (f->has & NF_GAP) ? f->gap : 1;

	if ((opts = nla_nest_start(msg, TCA_OPTIONS)) == NULL)
		goto toobig;
	if (nlmsg_append(msg, &qopt, sizeof qopt, NLMSG_ALIGNTO) < 0)
		goto toobig;

	if (f->has & (NF_CORR | NF_LOSS_CORR)) {
		memset(&corr, 0, sizeof corr);
		corr.delay_corr = prob_u32(f->delay_corr);
		corr.loss_corr = prob_u32(f->loss_corr);
		if (nla_put(msg, TCA_NETEM_CORR, sizeof corr, &corr) < 0)
			goto toobig;
	}
	if (f->has & NF_REORDER) {
		reorder.probability = prob_u32(f->reorder);
		reorder.correlation = 0;
		if (nla_put(msg, TCA_NETEM_REORDER, sizeof reorder,
		    &reorder) < 0)
			goto toobig;
	}
	if (f->has & NF_CORRUPT) {
		corrupt.probability = prob_u32(f->corrupt);
		corrupt.correlation = 0;
		if (nla_put(msg, TCA_NETEM_CORRUPT, sizeof corrupt,
		    &corrupt) < 0)
			goto toobig;
	}
	if (f->has & NF_LOSS_GE) {
		/*
		 * The kernel's h is the chance to *deliver* in the bad state
		 * and k1 the chance to lose in the good state; chaosd's
		 * third and fourth values are the loss chances (1-h, 1-k).
		 */
		ge.p = prob_u32(f->ge[0]);
		ge.r = prob_u32(f->ge[1]);
		ge.h = prob_u32(1. - f->ge[2]);
		ge.k1 = prob_u32(f->ge[3]);
		if ((loss = nla_nest_start(msg, TCA_NETEM_LOSS)) == NULL ||
		    nla_put(msg, NETEM_LOSS_GE, sizeof ge, &ge) < 0)
			goto toobig;
		nla_nest_end(msg, loss);
	}
	if (f->has & NF_RATE) {
		memset(&rate, 0, sizeof rate);
		if (f->rate >= UINT32_MAX) {
			rate.rate = UINT32_MAX;
			if (nla_put_u64(msg, TCA_NETEM_RATE64, f->rate) < 0)
				goto toobig;
		} else
			rate.rate = (uint32_t)f->rate;
		if (nla_put(msg, TCA_NETEM_RATE, sizeof rate, &rate) < 0)
			goto toobig;
	}
	if (f->delay_ns != 0 &&
	    nla_put_s64(msg, TCA_NETEM_LATENCY64, (int64_t)f->delay_ns) < 0)
		goto toobig;
	if (f->jitter_ns != 0 &&
	    nla_put_s64(msg, TCA_NETEM_JITTER64, (int64_t)f->jitter_ns) < 0)
		goto toobig;
	if (dist != NULL && nla_put(msg, TCA_NETEM_DELAY_DIST,
	    (int)(ndist * sizeof *dist), dist) < 0)
		goto toobig;
	nla_nest_end(msg, opts);
	r = 0;
	goto out;

toobig:
	snprintf(err, errlen, "netem options do not fit in a netlink message");
out:
	free(dist);
	return (r);
}

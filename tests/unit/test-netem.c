/*
 * test-netem.c: chaosd net's values and netem's hand-built options,
 * decoded back the way the kernel reads them (a struct tc_netem_qopt,
 * then attributes, inside one TCA_OPTIONS).
 */
#include "unit.h"

#include <math.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>

#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>

#include "chaosd.h"
#include "net.h"

static void
test_rates(void **state)
{
	char		err[256], buf[64];
	uint64_t	b;

	(void)state;
	assert_int_equal(parse_rate("8mbit", &b, err, sizeof err), 0);
	assert_int_equal(b, 1000000);
	assert_int_equal(parse_rate("500kbit", &b, err, sizeof err), 0);
	assert_int_equal(b, 62500);
	assert_int_equal(parse_rate("1gbit", &b, err, sizeof err), 0);
	assert_int_equal(b, 125000000);
	assert_int_equal(parse_rate("100kbps", &b, err, sizeof err), 0);
	assert_int_equal(b, 100000);
	assert_int_equal(parse_rate("1mibit", &b, err, sizeof err), 0);
	assert_int_equal(b, 131072);
	assert_int_equal(parse_rate("1.5Mbit", &b, err, sizeof err), 0);
	assert_int_equal(b, 187500);
	assert_int_equal(parse_rate("1000", &b, err, sizeof err), -1);
	assert_contains(err, "needs a unit");
	assert_int_equal(parse_rate("8furlongs", &b, err, sizeof err), -1);
	assert_contains(err, "unknown unit 'furlongs'");
	assert_int_equal(parse_rate("-1mbit", &b, err, sizeof err), -1);
	assert_int_equal(parse_rate("", &b, err, sizeof err), -1);
	assert_int_equal(parse_rate("1bit", &b, err, sizeof err), -1);
	/* as tc prints them: the largest unit that divides, no exponent */
	format_rate(1000000, buf, sizeof buf);
	assert_string_equal(buf, "8Mbit");
	format_rate(62500, buf, sizeof buf);
	assert_string_equal(buf, "500Kbit");
	format_rate(125000000, buf, sizeof buf);
	assert_string_equal(buf, "1Gbit");
	format_rate(125, buf, sizeof buf);
	assert_string_equal(buf, "1Kbit");
	format_rate(1, buf, sizeof buf);
	assert_string_equal(buf, "8bit");
	format_rate(100000000000000ull, buf, sizeof buf);
	assert_string_equal(buf, "800Tbit");
	/* was "1.23457e+06kbit": every digit kept */
	format_rate(154320987, buf, sizeof buf);
	assert_string_equal(buf, "1234567896bit");
	format_rate(1234567, buf, sizeof buf);
	assert_string_equal(buf, "9876536bit");
	format_rate(187500, buf, sizeof buf);
	assert_string_equal(buf, "1500Kbit");
}

/* parse_rate(format_rate(x)) == x, over the whole range parse_rate takes */
static void
test_rate_round_trip(void **state)
{
	static const uint64_t edges[] = {
		1, 2, 3, 124, 125, 126, 999, 1000, 1001, 62500, 131072,
		154320987, 999999999999ull, 1000000000000ull, 12345678901234ull,
		99999999999999ull, 100000000000000ull,
	};
	char		err[256], buf[64];
	struct prng	g;
	uint64_t	x, back;
	int		k;

	(void)state;
	prng_seed(&g, 12);
	for (k = 0; k < 200000; k++) {
		if (k < (int)(sizeof edges / sizeof edges[0]))
			x = edges[k];
		else if (k % 2)	/* round numbers, where units are used */
			x = (1 + prng_next(&g) % 1000) *
			    (uint64_t)pow(10, (double)(prng_next(&g) % 12));
		else
			x = 1 + prng_next(&g) % 100000000000000ull;
		if (x > 100000000000000ull)
			continue;
		format_rate(x, buf, sizeof buf);
		assert_null(strpbrk(buf, "e.+"));
		if (parse_rate(buf, &back, err, sizeof err) != 0)
			fail_msg("format_rate(%llu) = '%s' does not parse: %s",
			    (unsigned long long)x, buf, err);
		if (back != x)
			fail_msg("format_rate(%llu) = '%s' parses as %llu",
			    (unsigned long long)x, buf,
			    (unsigned long long)back);
	}
}

static void
test_probabilities(void **state)
{
	(void)state;
	assert_int_equal(prob_u32(0), 0);
	assert_int_equal(prob_u32(-1), 0);
	assert_int_equal(prob_u32(1), UINT32_MAX);
	assert_int_equal(prob_u32(0.5), 2147483648u);
	/* libnl 3.7 turns probabilities above 50% negative: not here */
	assert_true(prob_u32(0.75) > prob_u32(0.5));
	assert_int_equal(prob_u32(0.05), (uint32_t)llround(0.05 * UINT32_MAX));
}

static void
test_exclude_proto(void **state)
{
	struct net_match	m;
	char			err[256];
	int			p;

	(void)state;
	memset(&m, 0, sizeof m);
	assert_int_equal(parse_exclude("22,2222", &m, err, sizeof err), 0);
	assert_int_equal(m.nexclude, 2);
	assert_int_equal(m.exclude[1], 2222);
	assert_int_equal(parse_exclude("none", &m, err, sizeof err), 0);
	assert_int_equal(m.nexclude, 0);
	assert_int_equal(parse_exclude("70000", &m, err, sizeof err), -1);
	assert_int_equal(parse_exclude(",", &m, err, sizeof err), -1);
	assert_int_equal(parse_proto("udp", &p, err, sizeof err), 0);
	assert_int_equal(p, IPPROTO_UDP);
	assert_int_equal(parse_proto("sctp", &p, err, sizeof err), -1);
}

/* Build netem's options for f; return the qopt and the attributes. */
static void
decode(const struct net_fault *f, struct tc_netem_qopt *qopt,
    struct nlattr **tb, struct nl_msg **keep)
{
	struct nl_msg	*msg;
	struct nlattr	*opts;
	char		 err[256] = "";
	int		 len;

	msg = nlmsg_alloc_size(32768);
	assert_non_null(msg);
	assert_non_null(nlmsg_put(msg, 0, 0, RTM_NEWQDISC, 0, 0));
	assert_int_equal(netem_msg(msg, f, err, sizeof err), 0);
	opts = nlmsg_find_attr(nlmsg_hdr(msg), 0, TCA_OPTIONS);
	assert_non_null(opts);
	len = nla_len(opts);
	assert_true(len >= (int)sizeof *qopt);
	memcpy(qopt, nla_data(opts), sizeof *qopt);
	/* as the kernel's parse_attr: attributes after the aligned qopt */
	assert_int_equal(nla_parse(tb, TCA_NETEM_MAX,
	    (struct nlattr *)((char *)nla_data(opts) + NLA_ALIGN(sizeof *qopt)),
	    len - (int)NLA_ALIGN(sizeof *qopt), NULL), 0);
	*keep = msg;
}

static void
test_netem_delay_loss(void **state)
{
	struct net_fault	 f;
	struct tc_netem_qopt	 q;
	struct tc_netem_corr	 c;
	struct nlattr		*tb[TCA_NETEM_MAX + 1];
	struct nl_msg		*msg;

	(void)state;
	memset(&f, 0, sizeof f);
	f.has = NF_DELAY | NF_JITTER | NF_CORR | NF_LOSS | NF_LOSS_CORR |
	    NF_DUPLICATE;
	f.delay_ns = 100000000;		/* 100ms */
	f.jitter_ns = 10000000;		/* 10ms */
	f.delay_corr = 0.25;
	f.loss = 0.05;
	f.loss_corr = 0.9;
	f.duplicate = 0.6;
	decode(&f, &q, tb, &msg);
	assert_int_equal(q.latency, 100000000 >> 6);
	assert_int_equal(q.jitter, 10000000 >> 6);
	assert_int_equal(q.limit, 1000);
	assert_int_equal(q.loss, prob_u32(0.05));
	assert_int_equal(q.duplicate, prob_u32(0.6));
	assert_int_equal(q.gap, 0);
	assert_non_null(tb[TCA_NETEM_LATENCY64]);
	assert_int_equal(nla_get_s64(tb[TCA_NETEM_LATENCY64]), 100000000);
	assert_non_null(tb[TCA_NETEM_JITTER64]);
	assert_int_equal(nla_get_s64(tb[TCA_NETEM_JITTER64]), 10000000);
	assert_non_null(tb[TCA_NETEM_CORR]);
	memcpy(&c, nla_data(tb[TCA_NETEM_CORR]), sizeof c);
	assert_int_equal(c.delay_corr, prob_u32(0.25));
	assert_int_equal(c.loss_corr, prob_u32(0.9));
	assert_null(tb[TCA_NETEM_LOSS]);
	assert_null(tb[TCA_NETEM_RATE]);
	assert_null(tb[TCA_NETEM_DELAY_DIST]);
	nlmsg_free(msg);
}

static void
test_netem_long_delay(void **state)
{
	struct net_fault	 f;
	struct tc_netem_qopt	 q;
	struct nlattr		*tb[TCA_NETEM_MAX + 1];
	struct nl_msg		*msg;

	(void)state;
	memset(&f, 0, sizeof f);
	f.has = NF_DELAY;
	f.delay_ns = 600ULL * 1000000000;	/* 10 minutes: past 32 bits */
	decode(&f, &q, tb, &msg);
	/* the 32-bit field saturates; LATENCY64 carries the delay */
	assert_int_equal(q.latency, UINT32_MAX);
	assert_int_equal(nla_get_s64(tb[TCA_NETEM_LATENCY64]),
	    600LL * 1000000000);
	nlmsg_free(msg);
}

static void
test_netem_ge_rate_reorder(void **state)
{
	struct net_fault	 f;
	struct tc_netem_qopt	 q;
	struct tc_netem_gemodel	 ge;
	struct tc_netem_rate	 rate;
	struct tc_netem_reorder	 ro;
	struct tc_netem_corrupt	 co;
	struct nlattr		*tb[TCA_NETEM_MAX + 1], *lt[NETEM_LOSS_MAX + 1];
	struct nl_msg		*msg;

	(void)state;
	memset(&f, 0, sizeof f);
	f.has = NF_DELAY | NF_LOSS_GE | NF_RATE | NF_REORDER | NF_GAP |
	    NF_CORRUPT | NF_LIMIT;
	f.delay_ns = 10000000;
	f.ge[0] = 0.1;		/* p */
	f.ge[1] = 0.5;		/* r */
	f.ge[2] = 0.8;		/* 1-h: lose 80% in the bad state */
	f.ge[3] = 0.01;		/* 1-k */
	f.rate = 12500000000ULL;	/* 100gbit: past 32 bits */
	f.reorder = 0.25;
	f.gap = 5;
	f.corrupt = 0.05;
	f.limit = 500;
	decode(&f, &q, tb, &msg);
	assert_int_equal(q.loss, 0);
	assert_int_equal(q.gap, 5);
	assert_int_equal(q.limit, 500);
	assert_non_null(tb[TCA_NETEM_LOSS]);
	assert_int_equal(nla_parse_nested(lt, NETEM_LOSS_MAX,
	    tb[TCA_NETEM_LOSS], NULL), 0);
	assert_non_null(lt[NETEM_LOSS_GE]);
	memcpy(&ge, nla_data(lt[NETEM_LOSS_GE]), sizeof ge);
	assert_int_equal(ge.p, prob_u32(0.1));
	assert_int_equal(ge.r, prob_u32(0.5));
	/* the kernel's h is the chance to deliver in the bad state */
	assert_int_equal(ge.h, prob_u32(1 - 0.8));
	assert_int_equal(ge.k1, prob_u32(0.01));
	memcpy(&rate, nla_data(tb[TCA_NETEM_RATE]), sizeof rate);
	assert_int_equal(rate.rate, UINT32_MAX);
	assert_non_null(tb[TCA_NETEM_RATE64]);
	assert_int_equal(nla_get_u64(tb[TCA_NETEM_RATE64]), 12500000000ULL);
	memcpy(&ro, nla_data(tb[TCA_NETEM_REORDER]), sizeof ro);
	assert_int_equal(ro.probability, prob_u32(0.25));
	memcpy(&co, nla_data(tb[TCA_NETEM_CORRUPT]), sizeof co);
	assert_int_equal(co.probability, prob_u32(0.05));
	nlmsg_free(msg);
}

static void
test_netem_distribution(void **state)
{
	struct net_fault	 f;
	struct tc_netem_qopt	 q;
	struct nlattr		*tb[TCA_NETEM_MAX + 1];
	struct nl_msg		*msg;
	int16_t			*tab;
	size_t			 n;
	char			 err[256];

	(void)state;
	if (netem_dist_load(DIST_NORMAL, &tab, &n, err, sizeof err) != 0) {
		print_message("# no normal.dist here (%s)\n", err);
		skip();
	}
	memset(&f, 0, sizeof f);
	f.has = NF_DELAY | NF_JITTER | NF_DIST;
	f.delay_ns = 50000000;
	f.jitter_ns = 20000000;
	f.dist = DIST_NORMAL;
	decode(&f, &q, tb, &msg);
	assert_non_null(tb[TCA_NETEM_DELAY_DIST]);
	assert_int_equal(nla_len(tb[TCA_NETEM_DELAY_DIST]),
	    (int)(n * sizeof *tab));
	assert_memory_equal(nla_data(tb[TCA_NETEM_DELAY_DIST]), tab,
	    n * sizeof *tab);
	/* iproute2's table: 4096 values, the first -32768 */
	assert_int_equal(n, 4096);
	assert_int_equal(tab[0], -32768);
	free(tab);
	nlmsg_free(msg);
}

static void
test_checks(void **state)
{
	struct net_fault	f;
	struct net_match	m;
	char			err[256];

	(void)state;
	memset(&f, 0, sizeof f);
	memset(&m, 0, sizeof m);
	assert_int_equal(netfault_check(&f, &m, err, sizeof err), -1);
	assert_contains(err, "nothing to apply");
	f.has = NF_LIMIT;
	assert_int_equal(netfault_check(&f, &m, err, sizeof err), -1);
	f.has = NF_JITTER;
	assert_int_equal(netfault_check(&f, &m, err, sizeof err), -1);
	assert_contains(err, "--jitter needs --delay");
	f.has = NF_REORDER;
	assert_int_equal(netfault_check(&f, &m, err, sizeof err), -1);
	f.has = NF_RATE;
	assert_int_equal(netfault_check(&f, &m, err, sizeof err), 0);
	m.nexclude = 1;
	m.exclude[0] = 22;
	m.has = NM_DPORT;
	m.dport_lo = m.dport_hi = 22;
	assert_int_equal(netfault_check(&f, &m, err, sizeof err), -1);
	assert_contains(err, "port 22 is excluded");
	m.dport_lo = 20;
	m.dport_hi = 30;	/* a range: the exclusion wins inside it */
	assert_int_equal(netfault_check(&f, &m, err, sizeof err), 0);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_rates),
	cmocka_unit_test(test_rate_round_trip),
	cmocka_unit_test(test_probabilities),
	cmocka_unit_test(test_exclude_proto),
	cmocka_unit_test(test_netem_delay_loss),
	cmocka_unit_test(test_netem_long_delay),
	cmocka_unit_test(test_netem_ge_rate_reorder),
	cmocka_unit_test(test_netem_distribution),
	cmocka_unit_test(test_checks),
};

UNIT_MAIN(tests)

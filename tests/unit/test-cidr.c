/*
 * test-cidr.c: CIDRs, address matching and port ranges (cidr.c).
 */
#include "unit.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/un.h>

static struct cidr
cidr_of(const char *s)
{
	char	 err[RULE_ERR_MAX] = "";
	struct cidr c;

	memset(&c, 0xaa, sizeof c);
	if (parse_cidr(s, &c, err, sizeof err) != 0) {
		print_error("parse_cidr(\"%s\"): %s\n", s, err);
		fail();
	}
	return c;
}

static void
expect_cidr_error(const char *s, const char *msg)
{
	char	 err[RULE_ERR_MAX] = "";
	struct cidr c;

	memset(&c, 0xaa, sizeof c);
	assert_int_equal(parse_cidr(s, &c, err, sizeof err), -1);
	assert_contains(err, msg);
	assert_int_equal(c.prefix, 0xaa);
}

static struct sockaddr_in
v4(const char *a, int port)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	assert_int_equal(inet_pton(AF_INET, a, &sin.sin_addr), 1);
	return sin;
}

static struct sockaddr_in6
v6(const char *a, int port)
{
	struct sockaddr_in6 sin6;

	memset(&sin6, 0, sizeof sin6);
	sin6.sin6_family = AF_INET6;
	sin6.sin6_port = htons((uint16_t)port);
	assert_int_equal(inet_pton(AF_INET6, a, &sin6.sin6_addr), 1);
	return sin6;
}

static int
match4(const char *cidr, const char *addr)
{
	struct cidr c = cidr_of(cidr);
	struct sockaddr_in sin = v4(addr, 0);

	return cidr_match(&c, (struct sockaddr *)&sin, sizeof sin);
}

static int
match6(const char *cidr, const char *addr)
{
	struct cidr c = cidr_of(cidr);
	struct sockaddr_in6 sin6 = v6(addr, 0);

	return cidr_match(&c, (struct sockaddr *)&sin6, sizeof sin6);
}

static void
parse_v4(void **state)
{
	struct cidr c;
	const uint8_t net10[4] = { 10, 0, 0, 0 };
	const uint8_t host[4] = { 192, 168, 1, 1 };

	(void)state;
	c = cidr_of("10.0.0.0/8");
	assert_int_equal(c.family, AF_INET);
	assert_int_equal(c.prefix, 8);
	assert_memory_equal(c.addr, net10, 4);
	c = cidr_of("10.1.2.3/8");		/* host bits cleared */
	assert_memory_equal(c.addr, net10, 4);
	c = cidr_of("192.168.1.1");
	assert_int_equal(c.prefix, 32);
	assert_memory_equal(c.addr, host, 4);
	c = cidr_of("0.0.0.0/0");
	assert_int_equal(c.prefix, 0);
	c = cidr_of("192.168.1.129/25");
	assert_int_equal(c.addr[3], 128);
}

static void
parse_v6(void **state)
{
	struct cidr c;
	uint8_t	 want[16];

	(void)state;
	c = cidr_of("2001:db8::/32");
	assert_int_equal(c.family, AF_INET6);
	assert_int_equal(c.prefix, 32);
	assert_int_equal(inet_pton(AF_INET6, "2001:db8::", want), 1);
	assert_memory_equal(c.addr, want, 16);
	c = cidr_of("2001:db8:ffff::1/33");
	assert_int_equal(inet_pton(AF_INET6, "2001:db8:8000::", want), 1);
	assert_memory_equal(c.addr, want, 16);
	c = cidr_of("::1");
	assert_int_equal(c.prefix, 128);
	assert_int_equal(c.addr[15], 1);
	c = cidr_of("[2001:db8::]/32");
	assert_int_equal(c.family, AF_INET6);
	assert_int_equal(c.prefix, 32);
	c = cidr_of("[::1]");
	assert_int_equal(c.prefix, 128);
	c = cidr_of("::/0");
	assert_int_equal(c.prefix, 0);
}

static void
parse_errors(void **state)
{
	(void)state;
	expect_cidr_error("10.0.0.0/40", "'10.0.0.0/40' has a bad prefix "
	    "length (0..32)");
	expect_cidr_error("10.0.0.0/33", "(0..32)");
	expect_cidr_error("::/129", "'::/129' has a bad prefix length "
	    "(0..128)");
	expect_cidr_error("garbage", "'garbage' is not an IPv4 or IPv6 "
	    "address");
	expect_cidr_error("", "empty address");
	expect_cidr_error("10.0.0.0/", "bad prefix");
	expect_cidr_error("10.0.0.0/a", "bad prefix");
	expect_cidr_error("10.0.0.0/-1", "bad prefix");
	expect_cidr_error("10.0.0.0/8/8", "bad prefix");
	expect_cidr_error("10.0.0.0/ 8", "bad prefix");
	expect_cidr_error("1.2.3", "is not an IPv4 or IPv6 address");
	expect_cidr_error("256.0.0.1", "is not an IPv4");
	expect_cidr_error(" 10.0.0.1", "is not an IPv4");
	expect_cidr_error("[1.2.3.4]", "is not an IPv4");
	expect_cidr_error("[::1", "is not an IPv4");
	expect_cidr_error("/8", "is not an IPv4");
	expect_cidr_error("example.com", "is not an IPv4");
	expect_cidr_error("10.0.0.\xff", "'10.0.0.\\xff'");
}

static void
matching(void **state)
{
	struct cidr c = cidr_of("10.0.0.0/8");
	struct sockaddr_un sun;
	struct sockaddr_in sin = v4("10.9.9.9", 80);

	(void)state;
	assert_true(match4("10.0.0.0/8", "10.255.0.1"));
	assert_false(match4("10.0.0.0/8", "11.0.0.1"));
	assert_true(match4("0.0.0.0/0", "203.0.113.7"));
	assert_true(match4("192.168.1.128/25", "192.168.1.200"));
	assert_false(match4("192.168.1.128/25", "192.168.1.100"));
	assert_true(match4("127.0.0.1", "127.0.0.1"));
	assert_false(match4("127.0.0.1", "127.0.0.2"));
	assert_false(match4("2001:db8::/32", "10.0.0.1"));
	assert_false(match4("::/0", "10.0.0.1"));

	assert_true(match6("2001:db8::/32", "2001:db8:1::5"));
	assert_false(match6("2001:db8::/32", "2001:db9::5"));
	assert_true(match6("::1", "::1"));
	assert_false(match6("::1", "::2"));
	assert_true(match6("::/0", "fe80::1"));
	assert_true(match6("2001:db8::/33", "2001:db8:7fff::1"));
	assert_false(match6("2001:db8::/33", "2001:db8:8000::1"));

	/* IPv4-mapped IPv6 peers match IPv4 CIDRs, and the other way. */
	assert_true(match6("10.0.0.0/8", "::ffff:10.1.2.3"));
	assert_false(match6("10.0.0.0/8", "::ffff:11.1.2.3"));
	assert_false(match6("10.0.0.0/8", "::a01:203"));	/* compat */
	assert_true(match4("::ffff:10.0.0.0/104", "10.1.2.3"));
	assert_false(match4("::ffff:10.0.0.0/104", "11.1.2.3"));

	/* Other families, short lengths and NULL never match. */
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	assert_false(cidr_match(&c, (struct sockaddr *)&sun, sizeof sun));
	assert_false(cidr_match(&c, (struct sockaddr *)&sin, 4));
	assert_true(cidr_match(&c, (struct sockaddr *)&sin, sizeof sin));
	assert_false(cidr_match(&c, NULL, 0));
}

static void
ports(void **state)
{
	char	 err[RULE_ERR_MAX];
	uint16_t lo = 1, hi = 1;

	(void)state;
	assert_int_equal(parse_port_range("5432", &lo, &hi, err, sizeof err),
	    0);
	assert_int_equal(lo, 5432);
	assert_int_equal(hi, 5432);
	assert_int_equal(parse_port_range("8000-8099", &lo, &hi, err,
	    sizeof err), 0);
	assert_int_equal(lo, 8000);
	assert_int_equal(hi, 8099);
	assert_int_equal(parse_port_range("0", &lo, &hi, err, sizeof err), 0);
	assert_int_equal(lo, 0);
	assert_int_equal(parse_port_range("0-65535", &lo, &hi, err,
	    sizeof err), 0);
	assert_int_equal(hi, 65535);
	assert_int_equal(parse_port_range("80-80", &lo, &hi, err, sizeof err),
	    0);

	lo = hi = 7;
	assert_int_equal(parse_port_range("70000", &lo, &hi, err, sizeof err),
	    -1);
	assert_string_equal(err, "'70000' is out of range (0..65535)");
	assert_int_equal(parse_port_range("65536", &lo, &hi, err, sizeof err),
	    -1);
	assert_int_equal(parse_port_range("1-70000", &lo, &hi, err,
	    sizeof err), -1);
	assert_contains(err, "out of range");
	assert_int_equal(parse_port_range("99999999999999", &lo, &hi, err,
	    sizeof err), -1);
	assert_contains(err, "out of range");
	assert_int_equal(parse_port_range("100-50", &lo, &hi, err,
	    sizeof err), -1);
	assert_string_equal(err, "'100-50' is an empty range (100 is above "
	    "50)");
	assert_int_equal(parse_port_range("http", &lo, &hi, err, sizeof err),
	    -1);
	assert_contains(err, "'http' is not a port");
	assert_int_equal(parse_port_range("80-", &lo, &hi, err, sizeof err),
	    -1);
	assert_int_equal(parse_port_range("-80", &lo, &hi, err, sizeof err),
	    -1);
	assert_int_equal(parse_port_range("1-2-3", &lo, &hi, err, sizeof err),
	    -1);
	assert_int_equal(parse_port_range(" 80", &lo, &hi, err, sizeof err),
	    -1);
	assert_int_equal(parse_port_range("", &lo, &hi, err, sizeof err), -1);
	assert_string_equal(err, "empty port");
	assert_int_equal(lo, 7);
	assert_int_equal(hi, 7);
}

static void
sockaddr_ports(void **state)
{
	struct sockaddr_in sin = v4("10.0.0.1", 5432);
	struct sockaddr_in6 sin6 = v6("::1", 443);
	struct sockaddr_un sun;

	(void)state;
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	assert_int_equal(sockaddr_port((struct sockaddr *)&sin, sizeof sin),
	    5432);
	assert_int_equal(sockaddr_port((struct sockaddr *)&sin6, sizeof sin6),
	    443);
	assert_int_equal(sockaddr_port((struct sockaddr *)&sun, sizeof sun),
	    -1);
	assert_int_equal(sockaddr_port((struct sockaddr *)&sin, 2), -1);
	assert_int_equal(sockaddr_port(NULL, 0), -1);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(parse_v4),
	cmocka_unit_test(parse_v6),
	cmocka_unit_test(parse_errors),
	cmocka_unit_test(matching),
	cmocka_unit_test(ports),
	cmocka_unit_test(sockaddr_ports),
};

UNIT_MAIN(tests)

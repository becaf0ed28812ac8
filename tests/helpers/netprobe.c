/*
 * netprobe: what the network tests measure, with nothing but libc (it is
 * linked statically so the real-kernel lane's initramfs can carry it).
 *
 *   netprobe serve PORT SECONDS
 *	TCP on PORT: each connection is read to EOF and answered with
 *	"BYTES MICROSECONDS" (first byte to EOF). UDP on PORT: echo.
 *	Exits after SECONDS.
 *   netprobe send ADDR PORT MILLISECONDS
 *	Writes to ADDR:PORT for that long; prints "bits_per_sec N" as the
 *	server measured it.
 *   netprobe connect ADDR PORT COUNT
 *	Prints "connect_ms MIN MEDIAN MAX" over COUNT TCP connects.
 *   netprobe udp ADDR PORT COUNT INTERVAL_MS
 *	Sends COUNT numbered datagrams; prints "sent N received M" and
 *	"rtt_ms MIN MEDIAN MAX" over the replies (waits 1 s for the last).
 *
 * Every loop is bounded in count and time. Exit 0, or 1 with a message.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

static void
die(const char *what)
{
	fprintf(stderr, "netprobe: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int
addr_of(const char *host, const char *port, struct sockaddr_storage *ss,
    socklen_t *len)
{
	struct sockaddr_in	*in = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof *ss);
	if (inet_pton(AF_INET, host, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)atoi(port));
		*len = sizeof *in;
		return (0);
	}
	if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)atoi(port));
		*len = sizeof *in6;
		return (0);
	}
	fprintf(stderr, "netprobe: bad address '%s'\n", host);
	exit(1);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x < y ? -1 : x > y);
}

static void
print_stats(const char *label, double *v, int n)
{
	if (n == 0) {
		printf("%s none\n", label);
		return;
	}
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	printf("%s %.3f %.3f %.3f\n", label, v[0], v[n / 2], v[n - 1]);
}

static void
serve_tcp_conn(int c)
{
	char		buf[65536], ans[64];
	long long	total = 0;
	double		first = 0, last = 0;
	ssize_t		r;

	while ((r = read(c, buf, sizeof buf)) > 0) {
		if (total == 0)
			first = now_s();
		total += r;
		last = now_s();
	}
	snprintf(ans, sizeof ans, "%lld %lld\n", total,
	    (long long)((last - first) * 1e6));
	if (write(c, ans, strlen(ans)) < 0)
		return;
}

static int
serve(const char *port, int seconds)
{
	struct sockaddr_in6	sa;
	struct pollfd		pfd[2];
	char			buf[2048];
	struct sockaddr_storage	peer;
	socklen_t		plen;
	double			end = now_s() + seconds;
	int			t, u, c, one = 1, zero = 0;
	ssize_t			r;

	signal(SIGCHLD, SIG_IGN);
	memset(&sa, 0, sizeof sa);
	sa.sin6_family = AF_INET6;
	sa.sin6_addr = in6addr_any;
	sa.sin6_port = htons((uint16_t)atoi(port));
	if ((t = socket(AF_INET6, SOCK_STREAM, 0)) < 0 ||
	    (u = socket(AF_INET6, SOCK_DGRAM, 0)) < 0)
		die("socket");
	setsockopt(t, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	setsockopt(t, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
	setsockopt(u, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
	if (bind(t, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    bind(u, (struct sockaddr *)&sa, sizeof sa) != 0)
		die("bind");
	if (listen(t, 64) != 0)
		die("listen");
	printf("ready\n");
	fflush(stdout);
	pfd[0].fd = t;
	pfd[0].events = POLLIN;
	pfd[1].fd = u;
	pfd[1].events = POLLIN;
	while (now_s() < end) {
		if (poll(pfd, 2, 100) <= 0)
			continue;
		if (pfd[0].revents & POLLIN) {
			if ((c = accept(t, NULL, NULL)) < 0)
				continue;
			if (fork() == 0) {
				alarm((unsigned)seconds + 1);
				serve_tcp_conn(c);
				_exit(0);
			}
			close(c);
		}
		if (pfd[1].revents & POLLIN) {
			plen = sizeof peer;
			r = recvfrom(u, buf, sizeof buf, 0,
			    (struct sockaddr *)&peer, &plen);
			if (r > 0)
				sendto(u, buf, (size_t)r, 0,
				    (struct sockaddr *)&peer, plen);
		}
	}
	return (0);
}

static int
tcp_connect(const char *host, const char *port)
{
	struct sockaddr_storage	ss;
	socklen_t		len;
	int			s;

	addr_of(host, port, &ss, &len);
	if ((s = socket(ss.ss_family, SOCK_STREAM, 0)) < 0)
		die("socket");
	if (connect(s, (struct sockaddr *)&ss, len) != 0)
		die("connect");
	return (s);
}

static int
send_for(const char *host, const char *port, int ms)
{
	static char	buf[65536];
	char		ans[64];
	long long	total, us;
	double		end;
	ssize_t		r;
	size_t		got = 0;
	int		s;

	s = tcp_connect(host, port);
	end = now_s() + ms / 1000.;
	while (now_s() < end) {
		if (write(s, buf, sizeof buf) < 0)
			die("write");
	}
	shutdown(s, SHUT_WR);
	alarm(30);
	while (got < sizeof ans - 1 &&
	    (r = read(s, ans + got, sizeof ans - 1 - got)) > 0)
		got += (size_t)r;
	ans[got] = '\0';
	if (sscanf(ans, "%lld %lld", &total, &us) != 2 || us <= 0) {
		fprintf(stderr, "netprobe: no answer from the server\n");
		return (1);
	}
	printf("bits_per_sec %.0f\n", (double)total * 8 / ((double)us / 1e6));
	return (0);
}

static int
connect_times(const char *host, const char *port, int n)
{
	double	*v = calloc((size_t)n, sizeof *v), t0;
	int	 i, s;

	for (i = 0; i < n; i++) {
		t0 = now_s();
		s = tcp_connect(host, port);
		v[i] = (now_s() - t0) * 1000;
		close(s);
	}
	print_stats("connect_ms", v, n);
	return (0);
}

static int
udp_probe(const char *host, const char *port, int n, int interval_ms)
{
	struct sockaddr_storage	ss;
	struct pollfd		pfd;
	socklen_t		len;
	double			*sent_at = calloc((size_t)n, sizeof(double));
	double			*rtt = calloc((size_t)n, sizeof(double));
	char			*seen = calloc((size_t)n, 1);
	double			next, stop;
	uint32_t		seq;
	int			s, i = 0, got = 0, wait;
	char			buf[64];

	addr_of(host, port, &ss, &len);
	/* not connected: a server with several addresses may answer from
	 * another one than was asked */
	if ((s = socket(ss.ss_family, SOCK_DGRAM, 0)) < 0)
		die("socket");
	pfd.fd = s;
	pfd.events = POLLIN;
	next = now_s();
	stop = next + (double)n * interval_ms / 1000. + 1.0;
	while (now_s() < stop) {
		if (i < n && now_s() >= next) {
			seq = (uint32_t)i;
			memset(buf, 0, sizeof buf);
			memcpy(buf, &seq, sizeof seq);
			sent_at[i] = now_s();
			if (sendto(s, buf, sizeof buf, 0,
			    (struct sockaddr *)&ss, len) < 0 &&
			    errno != ECONNREFUSED)
				die("sendto");
			i++;
			next += interval_ms / 1000.;
			if (i == n)
				stop = now_s() + 1.0;
		}
		wait = i < n ? (int)((next - now_s()) * 1000) : 50;
		if (wait < 0)
			wait = 0;
		if (poll(&pfd, 1, wait) > 0 &&
		    recv(s, buf, sizeof buf, 0) >= (ssize_t)sizeof seq) {
			memcpy(&seq, buf, sizeof seq);
			if (seq < (uint32_t)n && !seen[seq]) {
				seen[seq] = 1;
				rtt[got++] = (now_s() - sent_at[seq]) * 1000;
			}
		}
	}
	printf("sent %d received %d\n", n, got);
	print_stats("rtt_ms", rtt, got);
	return (0);
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 4 && strcmp(argv[1], "serve") == 0)
		return (serve(argv[2], atoi(argv[3])));
	if (argc == 5 && strcmp(argv[1], "send") == 0)
		return (send_for(argv[2], argv[3], atoi(argv[4])));
	if (argc == 5 && strcmp(argv[1], "connect") == 0)
		return (connect_times(argv[2], argv[3], atoi(argv[4])));
	if (argc == 6 && strcmp(argv[1], "udp") == 0)
		return (udp_probe(argv[2], argv[3], atoi(argv[4]),
		    atoi(argv[5])));
	fprintf(stderr, "usage: netprobe serve PORT SECONDS | send ADDR PORT MS"
	    " | connect ADDR PORT N | udp ADDR PORT N INTERVAL_MS\n");
	return (2);
}

/*
 * net: TCP calls on the loopback, in one process, printing each result.
 *
 *	net OP[=ARG]...
 *
 * Ops (ADDR is an IPv4 or IPv6 literal, PORT a number; 0 in listen=
 * picks a free port, printed as port=N):
 *   listen=ADDR,PORT  socket, bind and listen: the listener
 *   connect=ADDR,PORT a client socket connected there
 *   accept            accept on the listener: the server side
 *   send=TEXT recv=N  client -> server: send on the client, recv on
 *                     the server side
 *   ssend=TEXT crecv=N server -> client
 *   sendto=TEXT recvfrom=N  the same with sendto/recvfrom
 *   write=TEXT read=N  write on the client, read on the server side
 *   close             close the client socket
 *   timed             print ms= on each line from now on
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "helper.h"

static int lfd = -1, cfd = -1, sfd = -1;
static int timed;

static int
sockaddr_of(const char *addr, const char *port, struct sockaddr_storage *ss,
    socklen_t *len)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	int p = atoi(port);

	memset(ss, 0, sizeof *ss);
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)p);
		*len = sizeof *s4;
		return AF_INET;
	}
	if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)p);
		*len = sizeof *s6;
		return AF_INET6;
	}
	fprintf(stderr, "net: bad address '%s'\n", addr);
	exit(99);
}

static void
report(const char *name, long r, int err, double t0, const char *data)
{
	char text[4096], t[32] = "";

	if (timed)
		snprintf(t, sizeof t, " ms=%.0f", h_now_ms() - t0);
	if (r < 0) {
		h_say("%s=%ld errno=%s%s", name, r, h_errname(err), t);
	} else if (data != NULL) {
		h_escape(text, sizeof text, data, (size_t)r);
		h_say("%s=%ld data=%s%s", name, r, text, t);
	} else {
		h_say("%s=%ld%s", name, r, t);
	}
}

int
main(int argc, char **argv)
{
	static char buf[4096];
	struct timeval tmo = { .tv_sec = 2, .tv_usec = 0 };
	int i;

	if (argc < 2)
		h_usage("net", "OP[=ARG]... (see net.c)");
	for (i = 1; i < argc; i++) {
		char *arg = strchr(argv[i], '='), *port;
		const char *name = argv[i];
		struct sockaddr_storage ss;
		socklen_t len;
		double t0 = h_now_ms();
		long r;
		int fam, one = 1;
		size_t n;

		if (arg != NULL)
			*arg++ = '\0';
		port = arg != NULL ? strrchr(arg, ',') : NULL;
		if (port != NULL)
			*port++ = '\0';
		n = arg != NULL ? (size_t)atoi(arg) : 0;
		if (n > sizeof buf)
			n = sizeof buf;
		errno = 0;
		if (strcmp(name, "listen") == 0 && port != NULL) {
			fam = sockaddr_of(arg, port, &ss, &len);
			lfd = socket(fam, SOCK_STREAM, 0);
			if (lfd < 0) {
				report("socket", lfd, errno, t0, NULL);
				return 1;
			}
			setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one,
			    sizeof one);
			/* accept after a failed connect: EAGAIN, not a hang */
			setsockopt(lfd, SOL_SOCKET, SO_RCVTIMEO, &tmo,
			    sizeof tmo);
			r = bind(lfd, (struct sockaddr *)&ss, len);
			if (r < 0) {
				report("bind", r, errno, t0, NULL);
				return 1;
			}
			r = listen(lfd, 8);
			report("listen", r, errno, t0, NULL);
			len = sizeof ss;
			getsockname(lfd, (struct sockaddr *)&ss, &len);
			h_say("port=%d", ntohs(fam == AF_INET ?
			    ((struct sockaddr_in *)&ss)->sin_port :
			    ((struct sockaddr_in6 *)&ss)->sin6_port));
		} else if (strcmp(name, "connect") == 0 && port != NULL) {
			fam = sockaddr_of(arg, port, &ss, &len);
			cfd = socket(fam, SOCK_STREAM, 0);
			if (cfd < 0) {
				report("socket", cfd, errno, t0, NULL);
				return 1;
			}
			r = connect(cfd, (struct sockaddr *)&ss, len);
			report(name, r, errno, t0, NULL);
		} else if (strcmp(name, "accept") == 0) {
			r = sfd = accept(lfd, NULL, NULL);
			report(name, r < 0 ? r : 0, errno, t0, NULL);
		} else if (strcmp(name, "send") == 0 && arg != NULL) {
			r = send(cfd, arg, strlen(arg), 0);
			report(name, r, errno, t0, NULL);
		} else if (strcmp(name, "ssend") == 0 && arg != NULL) {
			r = send(sfd, arg, strlen(arg), 0);
			report(name, r, errno, t0, NULL);
		} else if (strcmp(name, "sendto") == 0 && arg != NULL) {
			r = sendto(cfd, arg, strlen(arg), 0, NULL, 0);
			report(name, r, errno, t0, NULL);
		} else if (strcmp(name, "write") == 0 && arg != NULL) {
			r = write(cfd, arg, strlen(arg));
			report(name, r, errno, t0, NULL);
		} else if (strcmp(name, "recv") == 0 && arg != NULL) {
			r = recv(sfd, buf, n, 0);
			report(name, r, errno, t0, buf);
		} else if (strcmp(name, "crecv") == 0 && arg != NULL) {
			r = recv(cfd, buf, n, 0);
			report(name, r, errno, t0, buf);
		} else if (strcmp(name, "recvfrom") == 0 && arg != NULL) {
			r = recvfrom(sfd, buf, n, 0, NULL, NULL);
			report(name, r, errno, t0, buf);
		} else if (strcmp(name, "read") == 0 && arg != NULL) {
			r = read(sfd, buf, n);
			report(name, r, errno, t0, buf);
		} else if (strcmp(name, "close") == 0) {
			r = close(cfd);
			report(name, r, errno, t0, NULL);
		} else if (strcmp(name, "timed") == 0) {
			timed = 1;
		} else {
			fprintf(stderr, "net: bad op '%s'\n", argv[i]);
			return 99;
		}
	}
	return 0;
}

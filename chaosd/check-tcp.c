/*
 * check-tcp.c: type = tcp. address = HOST:PORT ([v6]:PORT too) passes
 * when a connection is established within the timeout. A name that does
 * not resolve is a failure (DNS is part of what is checked).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "chaosd.h"
#include "scenario.h"

static int
split_address(const char *address, char *host, size_t hlen, char *port,
    size_t plen)
{
	const char *colon;

	if (address[0] == '[') {
		const char *end = strchr(address, ']');

		if (end == NULL || end[1] != ':' || end[2] == '\0')
			return (-1);
		snprintf(host, hlen, "%.*s", (int)(end - address - 1),
		    address + 1);
		snprintf(port, plen, "%s", end + 2);
		return (0);
	}
	colon = strrchr(address, ':');
	if (colon == NULL || colon == address || colon[1] == '\0' ||
	    strchr(address, ':') != colon)
		return (-1);
	snprintf(host, hlen, "%.*s", (int)(colon - address), address);
	snprintf(port, plen, "%s", colon + 1);
	return (0);
}

int
tcp_probe_address(const char *address, uint64_t timeout_ns, char *msg,
    size_t len)
{
	struct addrinfo	 hints, *res, *ai;
	char		 host[256], port[32];
	uint64_t	 deadline = mono_ns() + timeout_ns;
	int		 fd, r, error = 0, ms;
	socklen_t	 sl;

	if (split_address(address, host, sizeof host, port, sizeof port) != 0) {
		snprintf(msg, len, "'%.80s': not HOST:PORT", address);
		return (-1);
	}
	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	if ((r = getaddrinfo(host, port, &hints, &res)) != 0) {
		snprintf(msg, len, "%s: %s", address, gai_strerror(r));
		return (-1);
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		struct pollfd pfd;

		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0) {
			error = errno;
			continue;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
			close(fd);
			freeaddrinfo(res);
			return (0);
		}
		if (errno != EINPROGRESS) {
			error = errno;
			close(fd);
			continue;
		}
		pfd.fd = fd;
		pfd.events = POLLOUT;
		do {
			uint64_t now = mono_ns();

			ms = now >= deadline ? 0 :
			    (int)((deadline - now + 999999) / 1000000);
			r = poll(&pfd, 1, ms);
		} while (r < 0 && errno == EINTR);
		if (r == 0) {
			error = ETIMEDOUT;
			close(fd);
			break;
		}
		sl = sizeof error;
		if (r < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &error,
		    &sl) != 0)
			error = errno;
		close(fd);
		if (error == 0) {
			freeaddrinfo(res);
			return (0);
		}
	}
	freeaddrinfo(res);
	snprintf(msg, len, "connect %s: %s", address, strerror(error ? error :
	    ECONNREFUSED));
	return (-1);
}

static int
tcp_check(const struct sc_check *c, char *err, size_t errlen)
{
	char	h[256], p[32];

	if (c->address == NULL) {
		snprintf(err, errlen, "type = tcp needs address = HOST:PORT");
		return (-1);
	}
	if (c->url != NULL || c->command != NULL) {
		snprintf(err, errlen, "type = tcp takes address =, not %s",
		    c->url != NULL ? "url =" : "command =");
		return (-1);
	}
	if (split_address(c->address, h, sizeof h, p, sizeof p) != 0) {
		snprintf(err, errlen, "address: '%.80s': HOST:PORT",
		    c->address);
		return (-1);
	}
	return (0);
}

static enum verdict
tcp_probe(const struct sc_check *c, char **env, char *msg, size_t len)
{
	(void)env;
	return (tcp_probe_address(c->address, c->timeout_ns, msg, len) == 0 ?
	    V_PASS : V_FAIL);
}

const struct check_type check_tcp_type = {
	.name = "tcp",
	.check = tcp_check,
	.probe = tcp_probe,
};

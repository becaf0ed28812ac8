/*
 * kvd: the demo service, a tiny key-value store over HTTP.
 *
 *	kvd [-a ADDR] -p PORT -l LOGFILE
 *
 *	PUT /kv/KEY   (body: the value)  appended to LOGFILE and fsync'ed:
 *	              204 when it is on disk, 500 when write or fsync failed
 *	GET /kv/KEY   200 and the value, or 404
 *	GET /health   200 "ok" while the last write reached the disk,
 *	              503 "degraded" after a failed one, until one succeeds
 *
 * It is what the demo game day (scenarios/demo.ini) breaks: its disk
 * side (the log's write and fsync) and its network side (accept, recv,
 * send), and it can be killed and restarted: the log is read back at
 * start, so what was acknowledged survives a crash. A failed append is
 * cut off again (ftruncate), so the log never keeps half a record.
 * One connection at a time, HTTP/1.0 style (the answer closes it).
 * SIGTERM and SIGINT stop it with status 0.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#define KEY_MAX		256
#define VALUE_MAX	65536
#define REQ_MAX		(VALUE_MAX + 8192)
#define NBUCKET		1024

struct item {
	struct item	*next;
	char		*key;
	char		*value;
	size_t		 len;
};

static struct item	*bucket[NBUCKET];
static int		 logfd = -1;
static off_t		 logsize;
static int		 healthy = 1;
static unsigned long	 nkeys, nputs, nfailed;
static volatile sig_atomic_t stop;

static unsigned
hash(const char *s)
{
	unsigned h = 5381;

	while (*s != '\0')
		h = h * 33 + (unsigned char)*s++;
	return (h % NBUCKET);
}

static struct item *
find(const char *key)
{
	struct item *it;

	for (it = bucket[hash(key)]; it != NULL; it = it->next)
		if (strcmp(it->key, key) == 0)
			return (it);
	return (NULL);
}

static int
store(const char *key, const char *value, size_t len)
{
	struct item	*it = find(key);
	char		*v = malloc(len + 1);

	if (v == NULL)
		return (-1);
	memcpy(v, value, len);
	v[len] = '\0';
	if (it == NULL) {
		if ((it = calloc(1, sizeof *it)) == NULL ||
		    (it->key = strdup(key)) == NULL) {
			free(it);
			free(v);
			return (-1);
		}
		it->next = bucket[hash(key)];
		bucket[hash(key)] = it;
		nkeys++;
	} else
		free(it->value);
	it->value = v;
	it->len = len;
	return (0);
}

/* A log record: "KEY<TAB>VALUE\n", with \\, \t, \n escaped. */
static size_t
escape(char *dst, const char *src, size_t len)
{
	size_t	i, o = 0;

	for (i = 0; i < len; i++) {
		if (src[i] == '\\' || src[i] == '\t' || src[i] == '\n') {
			dst[o++] = '\\';
			dst[o++] = src[i] == '\t' ? 't' : src[i] == '\n' ?
			    'n' : '\\';
		} else
			dst[o++] = src[i];
	}
	return (o);
}

static size_t
unescape(char *s, size_t len)
{
	size_t	i, o = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len) {
			i++;
			s[o++] = s[i] == 't' ? '\t' : s[i] == 'n' ? '\n' :
			    s[i];
		} else
			s[o++] = s[i];
	}
	return (o);
}

static int
log_replay(const char *path)
{
	FILE	*f;
	char	*line = NULL, *tab;
	size_t	 cap = 0;
	ssize_t	 n;
	off_t	 good = 0;

	if ((f = fopen(path, "r")) == NULL)
		return (errno == ENOENT ? 0 : -1);
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] != '\n')
			break;		/* a torn record: cut off below */
		line[--n] = '\0';
		if ((tab = memchr(line, '\t', (size_t)n)) != NULL) {
			*tab++ = '\0';
			unescape(line, strlen(line));
			line[strlen(line)] = '\0';
			store(line, tab, unescape(tab, strlen(tab)));
		}
		good += n + 1;
	}
	free(line);
	fclose(f);
	logsize = good;
	return (0);
}

static int
log_append(const char *key, const char *value, size_t len)
{
	size_t	 klen = strlen(key), n;
	char	*rec = malloc(2 * (klen + len) + 2);
	ssize_t	 w;
	size_t	 off = 0;
	int	 e;

	if (rec == NULL)
		return (-1);
	n = escape(rec, key, klen);
	rec[n++] = '\t';
	n += escape(rec + n, value, len);
	rec[n++] = '\n';
	while (off < n) {
		w = write(logfd, rec + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		off += (size_t)w;
	}
	if (fsync(logfd) != 0)
		goto fail;
	free(rec);
	logsize += (off_t)n;
	return (0);
fail:
	e = errno;
	free(rec);
	/* never keep half a record: cut the log back to what was synced */
	if (ftruncate(logfd, logsize) != 0 ||
	    lseek(logfd, logsize, SEEK_SET) < 0)
		fprintf(stderr, "kvd: cannot cut the log back: %s\n",
		    strerror(errno));
	errno = e;
	return (-1);
}

static void
reply(int fd, int code, const char *reason, const char *body, size_t len)
{
	char	head[256];
	int	n;

	n = snprintf(head, sizeof head, "HTTP/1.0 %d %s\r\n"
	    "Content-Type: text/plain\r\nContent-Length: %zu\r\n"
	    "Connection: close\r\n\r\n", code, reason, len);
	if (send(fd, head, (size_t)n, MSG_NOSIGNAL) == n && len > 0)
		(void)send(fd, body, len, MSG_NOSIGNAL);
}

static void
reply_text(int fd, int code, const char *reason, const char *text)
{
	reply(fd, code, reason, text, strlen(text));
}

static void
handle(int fd)
{
	static char	 req[REQ_MAX + 1];
	char		 method[16], target[KEY_MAX + 16], msg[256], *body, *p;
	size_t		 have = 0, need = 0, blen;
	ssize_t		 n;

	for (;;) {
		n = recv(fd, req + have, REQ_MAX - have, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		have += (size_t)n;
		req[have] = '\0';
		if ((body = strstr(req, "\r\n\r\n")) == NULL) {
			if (have == REQ_MAX) {
				reply_text(fd, 413, "Too Large", "too large\n");
				return;
			}
			continue;
		}
		body += 4;
		if ((p = strcasestr(req, "\r\nContent-Length:")) != NULL &&
		    p < body)
			need = strtoul(p + 17, NULL, 10);
		if (need > VALUE_MAX) {
			reply_text(fd, 413, "Too Large", "value too large\n");
			return;
		}
		if ((size_t)(req + have - body) >= need)
			break;
		if (have == REQ_MAX) {
			reply_text(fd, 413, "Too Large", "too large\n");
			return;
		}
	}
	blen = need;
	if (sscanf(req, "%15s %271s", method, target) != 2) {
		reply_text(fd, 400, "Bad Request", "bad request\n");
		return;
	}
	if (strcmp(target, "/health") == 0 && strcmp(method, "GET") == 0) {
		if (healthy)
			reply_text(fd, 200, "OK", "ok\n");
		else
			reply_text(fd, 503, "Service Unavailable",
			    "degraded: the last log write failed\n");
		return;
	}
	if (strncmp(target, "/kv/", 4) != 0 || target[4] == '\0' ||
	    strlen(target + 4) >= KEY_MAX) {
		reply_text(fd, 404, "Not Found", "no such resource\n");
		return;
	}
	if (strcmp(method, "GET") == 0) {
		struct item *it = find(target + 4);

		if (it == NULL)
			reply_text(fd, 404, "Not Found", "no such key\n");
		else
			reply(fd, 200, "OK", it->value, it->len);
	} else if (strcmp(method, "PUT") == 0 || strcmp(method, "POST") == 0) {
		nputs++;
		if (log_append(target + 4, body, blen) != 0) {
			nfailed++;
			healthy = 0;
			snprintf(msg, sizeof msg, "log write failed: %s\n",
			    strerror(errno));
			reply_text(fd, 500, "Internal Server Error", msg);
			return;
		}
		healthy = 1;
		if (store(target + 4, body, blen) != 0) {
			reply_text(fd, 500, "Internal Server Error",
			    "out of memory\n");
			return;
		}
		reply(fd, 204, "No Content", NULL, 0);
	} else
		reply_text(fd, 405, "Method Not Allowed", "GET or PUT\n");
}

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void
usage(void)
{
	fprintf(stderr, "usage: kvd [-a ADDR] -p PORT -l LOGFILE\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct sockaddr_in	sin;
	struct sigaction	sa;
	struct timeval		tv = { 2, 0 };
	const char		*addr = "127.0.0.1", *logpath = NULL;
	int			ch, port = 0, s, c, one = 1;

	while ((ch = getopt(argc, argv, "a:p:l:")) != -1) {
		switch (ch) {
		case 'a':
			addr = optarg;
			break;
		case 'p':
			port = atoi(optarg);
			break;
		case 'l':
			logpath = optarg;
			break;
		default:
			usage();
		}
	}
	if (port <= 0 || port > 65535 || logpath == NULL || optind != argc)
		usage();

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (log_replay(logpath) != 0) {
		fprintf(stderr, "kvd: %s: %s\n", logpath, strerror(errno));
		return (1);
	}
	if ((logfd = open(logpath, O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) < 0 ||
	    ftruncate(logfd, logsize) != 0 ||
	    lseek(logfd, logsize, SEEK_SET) < 0) {
		fprintf(stderr, "kvd: %s: %s\n", logpath, strerror(errno));
		return (1);
	}

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
		fprintf(stderr, "kvd: bad address '%s'\n", addr);
		return (2);
	}
	if ((s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    bind(s, (struct sockaddr *)&sin, sizeof sin) != 0 ||
	    listen(s, 64) != 0) {
		fprintf(stderr, "kvd: %s:%d: %s\n", addr, port,
		    strerror(errno));
		return (1);
	}
	fprintf(stderr, "kvd: listening on %s:%d, log %s (%lu keys)\n", addr,
	    port, logpath, nkeys);

	while (!stop) {
		c = accept4(s, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			/* out of descriptors, or a fault: pause, go on */
			fprintf(stderr, "kvd: accept: %s\n", strerror(errno));
			usleep(10000);
			continue;
		}
		setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
		handle(c);
		close(c);
	}
	fprintf(stderr, "kvd: stopping (%lu puts, %lu failed, %lu keys)\n",
	    nputs, nfailed, nkeys);
	close(logfd);
	return (0);
}

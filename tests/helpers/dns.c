/*
 * dns: look names up and print what the resolver answered.
 *
 *	dns getaddrinfo|gethostbyname|gethostbyname2|gethostbyname_r NAME...
 *
 * Prints, per name:
 *	getaddrinfo(NAME)=0 addr=127.0.0.1
 *	getaddrinfo(NAME)=EAI_AGAIN (Temporary failure in name resolution)
 *	gethostbyname(NAME)=ok addr=127.0.0.1
 *	gethostbyname(NAME)=NULL h_errno=TRY_AGAIN
 */
#include "config.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "helper.h"

static const char *
eai(int e)
{
	switch (e) {
	case EAI_AGAIN:		return "EAI_AGAIN";
	case EAI_BADFLAGS:	return "EAI_BADFLAGS";
	case EAI_FAIL:		return "EAI_FAIL";
	case EAI_FAMILY:	return "EAI_FAMILY";
	case EAI_MEMORY:	return "EAI_MEMORY";
	case EAI_NONAME:	return "EAI_NONAME";
	case EAI_SERVICE:	return "EAI_SERVICE";
	case EAI_SOCKTYPE:	return "EAI_SOCKTYPE";
	case EAI_SYSTEM:	return "EAI_SYSTEM";
	case EAI_NODATA:	return "EAI_NODATA";
	case EAI_ADDRFAMILY:	return "EAI_ADDRFAMILY";
	default:		return "EAI_?";
	}
}

static const char *
herr(int h)
{
	switch (h) {
	case HOST_NOT_FOUND:	return "HOST_NOT_FOUND";
	case TRY_AGAIN:		return "TRY_AGAIN";
	case NO_RECOVERY:	return "NO_RECOVERY";
	case NO_DATA:		return "NO_DATA";
	case NETDB_INTERNAL:	return "NETDB_INTERNAL";
	default:		return "?";
	}
}

static void
show_hostent(const char *call, const char *name, const struct hostent *he,
    int h)
{
	char a[INET6_ADDRSTRLEN] = "?";

	if (he == NULL) {
		if (h == NETDB_INTERNAL)
			h_say("%s(%s)=NULL h_errno=%s errno=%s", call, name,
			    herr(h), h_errname(errno));
		else
			h_say("%s(%s)=NULL h_errno=%s", call, name, herr(h));
		return;
	}
	if (he->h_addr_list[0] != NULL)
		inet_ntop(he->h_addrtype, he->h_addr_list[0], a, sizeof a);
	h_say("%s(%s)=ok addr=%s", call, name, a);
}

int
main(int argc, char **argv)
{
	int i;

	if (argc < 3)
		h_usage("dns", "getaddrinfo|gethostbyname|gethostbyname2|"
		    "gethostbyname_r NAME...");
	for (i = 2; i < argc; i++) {
		const char *call = argv[1], *name = argv[i];

		if (strcmp(call, "getaddrinfo") == 0) {
			struct addrinfo hints, *res = NULL;
			char a[INET6_ADDRSTRLEN] = "?";
			int e;

			memset(&hints, 0, sizeof hints);
			hints.ai_family = AF_INET;
			hints.ai_socktype = SOCK_STREAM;
			e = getaddrinfo(name, NULL, &hints, &res);
			if (e != 0) {
				if (e == EAI_SYSTEM)
					h_say("%s(%s)=%s (%s) errno=%s", call,
					    name, eai(e), gai_strerror(e),
					    h_errname(errno));
				else
					h_say("%s(%s)=%s (%s)", call, name,
					    eai(e), gai_strerror(e));
				continue;
			}
			inet_ntop(AF_INET, &((struct sockaddr_in *)
			    (void *)res->ai_addr)->sin_addr, a, sizeof a);
			h_say("%s(%s)=0 addr=%s", call, name, a);
			freeaddrinfo(res);
		} else if (strcmp(call, "gethostbyname") == 0) {
			struct hostent *he = gethostbyname(name);

			show_hostent(call, name, he, h_errno);
		} else if (strcmp(call, "gethostbyname2") == 0) {
			struct hostent *he = gethostbyname2(name, AF_INET);

			show_hostent(call, name, he, h_errno);
		} else if (strcmp(call, "gethostbyname_r") == 0) {
			struct hostent he, *res = NULL;
			char buf[4096];
			int h = 0, e;

			e = gethostbyname_r(name, &he, buf, sizeof buf, &res,
			    &h);
			if (e != 0 && res == NULL && h == 0)
				h = NETDB_INTERNAL;
			if (e != 0)
				errno = e;
			show_hostent(call, name, res, h);
		} else {
			h_usage("dns", "getaddrinfo|gethostbyname|... NAME...");
		}
	}
	return 0;
}

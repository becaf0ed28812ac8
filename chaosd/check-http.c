/*
 * check-http.c: type = http, through libcurl. url = is fetched with GET
 * (redirects not followed); the probe passes when the status is expect
 * (default 200) within the timeout. The proxy variables are ignored for
 * the loopback, as curl does by default for no_proxy hosts; curl never
 * installs signal handlers here (CURLOPT_NOSIGNAL: threads).
 *
 * libcurl (and the TLS, Kerberos and LDAP libraries it brings) is opened
 * on the first HTTP probe or http check (dlopen.c), not linked: every
 * other chaosd command starts without it.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "chaosd.h"
#include "dlopen.h"
#include "scenario.h"

static CURLcode		 (*sym_curl_global_init)(long);
static CURL		*(*sym_curl_easy_init)(void);
static CURLcode		 (*sym_curl_easy_setopt)(CURL *, CURLoption, ...);
static CURLcode		 (*sym_curl_easy_perform)(CURL *);
static CURLcode		 (*sym_curl_easy_getinfo)(CURL *, CURLINFO, ...);
static void		 (*sym_curl_easy_cleanup)(CURL *);
static const char	*(*sym_curl_easy_strerror)(CURLcode);

static const struct dl_func curl_funcs[] = {
	{ "curl_global_init", (void **)&sym_curl_global_init },
	{ "curl_easy_init", (void **)&sym_curl_easy_init },
	{ "curl_easy_setopt", (void **)&sym_curl_easy_setopt },
	{ "curl_easy_perform", (void **)&sym_curl_easy_perform },
	{ "curl_easy_getinfo", (void **)&sym_curl_easy_getinfo },
	{ "curl_easy_cleanup", (void **)&sym_curl_easy_cleanup },
	{ "curl_easy_strerror", (void **)&sym_curl_easy_strerror },
	{ NULL, NULL }
};

static struct dl_lib curl_lib = {
	.soname = "libcurl.so.4",
	.package = "libcurl4",
	.feature = "HTTP checks",
	.funcs = curl_funcs,
};

static pthread_once_t	curl_once = PTHREAD_ONCE_INIT;
static int		curl_ok;
static char		curl_err[512];

static void
curl_load(void)
{
	if (dl_lib_open(&curl_lib, curl_err, sizeof curl_err) != 0)
		return;
	if (sym_curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(curl_err, sizeof curl_err, "HTTP checks: libcurl "
		    "failed to start (curl_global_init)");
		return;
	}
	curl_ok = 1;
}

/* libcurl, opened and started once: 0, or -1 with msg saying why not */
static int
curl_ready(char *msg, size_t len)
{
	pthread_once(&curl_once, curl_load);
	if (curl_ok)
		return (0);
	snprintf(msg, len, "%s", curl_err);
	return (-1);
}

static size_t
discard(char *ptr, size_t size, size_t nmemb, void *user)
{
	(void)ptr;
	(void)user;
	return (size * nmemb);
}

/* 0 with *code set, -1 (msg says why) when no answer came */
int
http_probe_url(const char *url, uint64_t timeout_ns, long *code, char *msg,
    size_t len)
{
	char	 ebuf[CURL_ERROR_SIZE] = "";
	CURL	*h;
	CURLcode r;
	long	 ms = (long)(timeout_ns / NS_PER_MS);

	if (curl_ready(msg, len) != 0)
		return (-1);
	if ((h = sym_curl_easy_init()) == NULL) {
		snprintf(msg, len, "cannot start libcurl");
		return (-1);
	}
	sym_curl_easy_setopt(h, CURLOPT_URL, url);
	sym_curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	sym_curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, ms > 0 ? ms : 1L);
	sym_curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	sym_curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
	sym_curl_easy_setopt(h, CURLOPT_NOPROXY, "localhost,127.0.0.1,::1");
	sym_curl_easy_setopt(h, CURLOPT_USERAGENT, "chaosd/" PACKAGE_VERSION);
	r = sym_curl_easy_perform(h);
	if (r != CURLE_OK) {
		snprintf(msg, len, "%s: %s", url, ebuf[0] != '\0' ? ebuf :
		    sym_curl_easy_strerror(r));
		sym_curl_easy_cleanup(h);
		return (-1);
	}
	sym_curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, code);
	sym_curl_easy_cleanup(h);
	return (0);
}

static int
http_check(const struct sc_check *c, char *err, size_t errlen)
{
	if (c->url == NULL) {
		snprintf(err, errlen, "type = http needs url =");
		return (-1);
	}
	if (c->address != NULL || c->command != NULL) {
		snprintf(err, errlen, "type = http takes url =, not %s",
		    c->address != NULL ? "address =" : "command =");
		return (-1);
	}
	if (strncmp(c->url, "http://", 7) != 0 &&
	    strncmp(c->url, "https://", 8) != 0) {
		snprintf(err, errlen, "url: '%.80s': http:// or https://",
		    c->url);
		return (-1);
	}
	/* said before anything is applied, not at every probe */
	return (curl_ready(err, errlen));
}

static enum verdict
http_probe(const struct sc_check *c, char **env, char *msg, size_t len)
{
	long	code = 0;

	(void)env;
	if (http_probe_url(c->url, c->timeout_ns, &code, msg, len) != 0)
		return (V_FAIL);
	if (code == c->expect)
		return (V_PASS);
	snprintf(msg, len, "%s: status %ld, expected %d", c->url, code,
	    c->expect);
	return (V_FAIL);
}

const struct check_type check_http_type = {
	.name = "http",
	.check = http_check,
	.probe = http_probe,
};

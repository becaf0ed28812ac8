/*
 * check-http.c: type = http, through libcurl. url = is fetched with GET
 * (redirects not followed); the probe passes when the status is expect
 * (default 200) within the timeout. The proxy variables are ignored for
 * the loopback, as curl does by default for no_proxy hosts; curl never
 * installs signal handlers here (CURLOPT_NOSIGNAL: threads).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "chaosd.h"
#include "scenario.h"

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

	if ((h = curl_easy_init()) == NULL) {
		snprintf(msg, len, "cannot start libcurl");
		return (-1);
	}
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, ms > 0 ? ms : 1L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(h, CURLOPT_NOPROXY, "localhost,127.0.0.1,::1");
	curl_easy_setopt(h, CURLOPT_USERAGENT, "chaosd/" PACKAGE_VERSION);
	r = curl_easy_perform(h);
	if (r != CURLE_OK) {
		snprintf(msg, len, "%s: %s", url, ebuf[0] != '\0' ? ebuf :
		    curl_easy_strerror(r));
		curl_easy_cleanup(h);
		return (-1);
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, code);
	curl_easy_cleanup(h);
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
	return (0);
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

/*
 * test-dlopen.c: libraries opened on first use (chaosd/dlopen.c), and the
 * HTTP checks' libcurl through it (chaosd/check-http.c): a library that
 * is there opens once and its functions work; a missing library or
 * function is an error naming the feature, the soname and the Debian
 * package, with no function pointer set. dlopen is wrapped so that the
 * last test can make libcurl.so.4 look absent.
 */
#include "unit.h"

#include <dlfcn.h>

#include "chaosd.h"
#include "dlopen.h"
#include "scenario.h"

void	*__real_dlopen(const char *, int);
void	*__wrap_dlopen(const char *, int);

static int curl_absent;

void *
__wrap_dlopen(const char *name, int flags)
{
	if (curl_absent && name != NULL && strcmp(name, "libcurl.so.4") == 0)
		return (NULL);
	return (__real_dlopen(name, flags));
}

static const char *(*sym_version)(void);
static void *sym_nothing;

static const struct dl_func good_funcs[] = {
	{ "curl_version", (void **)&sym_version },
	{ NULL, NULL }
};

static void
opens_once(void **state)
{
	struct dl_lib	l = { .soname = "libcurl.so.4", .package = "libcurl4",
			    .feature = "HTTP checks", .funcs = good_funcs };
	char		err[512] = "";
	void		*h;

	(void)state;
	assert_int_equal(dl_lib_open(&l, err, sizeof err), 0);
	assert_non_null(sym_version);
	assert_true(strncmp(sym_version(), "libcurl/", 8) == 0);
	h = l.handle;
	assert_int_equal(dl_lib_open(&l, err, sizeof err), 0);
	assert_ptr_equal(l.handle, h);
}

static void
missing_library(void **state)
{
	static const struct dl_func funcs[] = {
		{ "nothing", &sym_nothing },
		{ NULL, NULL }
	};
	struct dl_lib	l = { .soname = "libchaosd-absent.so.9",
			    .package = "chaosd-absent", .feature = "Widgets",
			    .funcs = funcs };
	char		err[512] = "";

	(void)state;
	assert_int_equal(dl_lib_open(&l, err, sizeof err), -1);
	assert_contains(err, "Widgets need libchaosd-absent.so.9");
	assert_contains(err, "install Debian's chaosd-absent");
	assert_null(l.handle);
	assert_null(sym_nothing);
}

static void
missing_function(void **state)
{
	static const char *(*version)(void);
	static const struct dl_func funcs[] = {
		{ "curl_version", (void **)&version },
		{ "curl_no_such_function", &sym_nothing },
		{ NULL, NULL }
	};
	struct dl_lib	l = { .soname = "libcurl.so.4", .package = "libcurl4",
			    .feature = "HTTP checks", .funcs = funcs };
	char		err[512] = "";

	(void)state;
	assert_int_equal(dl_lib_open(&l, err, sizeof err), -1);
	assert_contains(err, "curl_no_such_function");
	assert_contains(err, "install Debian's libcurl4");
	/* nothing half-opened */
	assert_null(l.handle);
	assert_null(version);
	assert_null(sym_nothing);
}

static void
http_without_libcurl(void **state)
{
	char	msg[512] = "";
	long	code = 0;

	(void)state;
	curl_absent = 1;
	assert_int_equal(http_probe_url("http://127.0.0.1:9/", 1000000000ull,
	    &code, msg, sizeof msg), -1);
	assert_contains(msg, "HTTP checks need libcurl.so.4");
	assert_contains(msg, "install Debian's libcurl4");
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(opens_once),
	cmocka_unit_test(missing_library),
	cmocka_unit_test(missing_function),
	cmocka_unit_test(http_without_libcurl),
};

UNIT_MAIN(tests)

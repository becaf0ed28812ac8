/*
 * test-names.c: errno, signal and EAI_* names (names.c).
 */
#include "unit.h"

#include <errno.h>
#include <netdb.h>
#include <signal.h>

static int
errno_of(const char *s)
{
	char	 err[RULE_ERR_MAX] = "";
	int	 e = -1;

	if (parse_errno(s, &e, err, sizeof err) != 0) {
		print_error("parse_errno(\"%s\"): %s\n", s, err);
		fail();
	}
	return e;
}

static void
errno_names(void **state)
{
	(void)state;
	assert_int_equal(errno_of("EIO"), EIO);
	assert_int_equal(errno_of("eio"), EIO);
	assert_int_equal(errno_of("ENOMEM"), ENOMEM);
	assert_int_equal(errno_of("ETIMEDOUT"), ETIMEDOUT);
	assert_int_equal(errno_of("ECONNREFUSED"), ECONNREFUSED);
	assert_int_equal(errno_of("EHWPOISON"), EHWPOISON);
	/* aliases */
	assert_int_equal(errno_of("EWOULDBLOCK"), EAGAIN);
	assert_int_equal(errno_of("EDEADLOCK"), EDEADLK);
	assert_int_equal(errno_of("ENOTSUP"), EOPNOTSUPP);
	/* numbers */
	assert_int_equal(errno_of("5"), 5);
	assert_int_equal(errno_of("1"), 1);
	assert_int_equal(errno_of("4095"), 4095);
}

static void
errno_errors(void **state)
{
	char	 err[RULE_ERR_MAX];
	int	 e = -7;

	(void)state;
	assert_int_equal(parse_errno("EFOO", &e, err, sizeof err), -1);
	assert_string_equal(err, "unknown errno name 'EFOO'");
	assert_int_equal(parse_errno("EIOO", &e, err, sizeof err), -1);
	assert_string_equal(err, "unknown errno name 'EIOO' (did you mean "
	    "'EIO'?)");
	assert_int_equal(parse_errno("ENOMEN", &e, err, sizeof err), -1);
	assert_contains(err, "did you mean 'ENOMEM'?");
	assert_int_equal(parse_errno("0", &e, err, sizeof err), -1);
	assert_string_equal(err, "'0' is out of range (1..4095)");
	assert_int_equal(parse_errno("4096", &e, err, sizeof err), -1);
	assert_contains(err, "out of range");
	assert_int_equal(parse_errno("99999999999", &e, err, sizeof err), -1);
	assert_contains(err, "out of range");
	assert_int_equal(parse_errno("12abc", &e, err, sizeof err), -1);
	assert_contains(err, "not an errno name or number");
	assert_int_equal(parse_errno("-5", &e, err, sizeof err), -1);
	assert_int_equal(parse_errno("", &e, err, sizeof err), -1);
	assert_string_equal(err, "empty value");
	assert_int_equal(parse_errno("E\x01IO", &e, err, sizeof err), -1);
	assert_contains(err, "'E\\x01IO'");
	assert_int_equal(e, -7);
}

static void
errno_names_back(void **state)
{
	char	 err[RULE_ERR_MAX];
	int	 e, n = 0, back;

	(void)state;
	assert_string_equal(errno_name(EIO), "EIO");
	assert_string_equal(errno_name(EAGAIN), "EAGAIN");
	assert_string_equal(errno_name(EDEADLK), "EDEADLK");
	assert_string_equal(errno_name(EOPNOTSUPP), "EOPNOTSUPP");
	assert_null(errno_name(0));
	assert_null(errno_name(4000));
	/* Every errno Linux has (1..133 but the two holes) has a name. */
	for (e = 1; e <= 133; e++) {
		if (e == 41 || e == 58)
			continue;
		if (errno_name(e) == NULL) {
			print_error("errno %d has no name\n", e);
			fail();
		}
		assert_int_equal(parse_errno(errno_name(e), &back, err,
		    sizeof err), 0);
		assert_int_equal(back, e);
		n++;
	}
	assert_int_equal(n, 131);
}

static int
signal_of(const char *s)
{
	char	 err[RULE_ERR_MAX] = "";
	int	 sig = -1;

	if (parse_signal(s, &sig, err, sizeof err) != 0) {
		print_error("parse_signal(\"%s\"): %s\n", s, err);
		fail();
	}
	return sig;
}

static void
signals(void **state)
{
	char	 err[RULE_ERR_MAX];
	int	 sig = -7, i;

	(void)state;
	assert_int_equal(signal_of("SIGSEGV"), SIGSEGV);
	assert_int_equal(signal_of("SEGV"), SIGSEGV);
	assert_int_equal(signal_of("segv"), SIGSEGV);
	assert_int_equal(signal_of("SigSegv"), SIGSEGV);
	assert_int_equal(signal_of("11"), 11);
	assert_int_equal(signal_of("SIGKILL"), SIGKILL);
	assert_int_equal(signal_of("ABRT"), SIGABRT);
	assert_int_equal(signal_of("SIGIOT"), SIGABRT);
	assert_int_equal(signal_of("SIGPOLL"), SIGIO);
	assert_int_equal(signal_of("SIGCLD"), SIGCHLD);
	assert_int_equal(signal_of("1"), 1);
	assert_int_equal(signal_of("64"), 64);
	assert_int_equal(signal_of("SIGRTMIN"), SIGRTMIN);
	assert_int_equal(signal_of("SIGRTMIN+2"), SIGRTMIN + 2);
	assert_int_equal(signal_of("RTMAX-1"), SIGRTMAX - 1);
	assert_int_equal(signal_of("SIGRTMAX"), SIGRTMAX);

	assert_int_equal(parse_signal("SIGFOO", &sig, err, sizeof err), -1);
	assert_string_equal(err, "unknown signal 'SIGFOO'");
	assert_int_equal(parse_signal("SIGSEV", &sig, err, sizeof err), -1);
	assert_string_equal(err, "unknown signal 'SIGSEV' (did you mean "
	    "'SIGSEGV'?)");
	assert_int_equal(parse_signal("0", &sig, err, sizeof err), -1);
	assert_string_equal(err, "'0' is out of range (1..64)");
	assert_int_equal(parse_signal("65", &sig, err, sizeof err), -1);
	assert_contains(err, "out of range (1..64)");
	assert_int_equal(parse_signal("SIGRTMIN+100", &sig, err, sizeof err),
	    -1);
	assert_int_equal(parse_signal("SIGRTMAX+1", &sig, err, sizeof err),
	    -1);
	assert_int_equal(parse_signal("SIG", &sig, err, sizeof err), -1);
	assert_int_equal(parse_signal("", &sig, err, sizeof err), -1);
	assert_string_equal(err, "empty value");
	assert_int_equal(parse_signal("11x", &sig, err, sizeof err), -1);
	assert_int_equal(sig, -7);

	assert_string_equal(signal_name(SIGSEGV), "SIGSEGV");
	assert_string_equal(signal_name(SIGABRT), "SIGABRT");
	assert_string_equal(signal_name(SIGIO), "SIGIO");
	assert_string_equal(signal_name(SIGCHLD), "SIGCHLD");
	assert_null(signal_name(0));
	assert_null(signal_name(SIGRTMIN + 1));
	for (i = 1; i < 32; i++) {
		int	 back;

		assert_non_null(signal_name(i));
		assert_int_equal(parse_signal(signal_name(i), &back, err,
		    sizeof err), 0);
		assert_int_equal(back, i);
	}
}

static void
eai_names(void **state)
{
	static const struct {
		const char	*name;
		int		 code;
	} cases[] = {
		{ "EAI_AGAIN", EAI_AGAIN }, { "EAI_NONAME", EAI_NONAME },
		{ "EAI_FAIL", EAI_FAIL }, { "EAI_MEMORY", EAI_MEMORY },
		{ "EAI_SYSTEM", EAI_SYSTEM }, { "EAI_FAMILY", EAI_FAMILY },
		{ "EAI_SERVICE", EAI_SERVICE },
		{ "EAI_SOCKTYPE", EAI_SOCKTYPE },
		{ "EAI_BADFLAGS", EAI_BADFLAGS },
		{ "EAI_OVERFLOW", EAI_OVERFLOW }, { "EAI_NODATA", EAI_NODATA },
		{ "EAI_ADDRFAMILY", EAI_ADDRFAMILY },
		{ "EAI_INPROGRESS", EAI_INPROGRESS },
		{ "EAI_CANCELED", EAI_CANCELED }, { "EAI_INTR", EAI_INTR },
	};
	size_t	 i;
	int	 code;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		code = 0;
		assert_int_equal(parse_eai(cases[i].name, &code), 0);
		assert_int_equal(code, cases[i].code);
		assert_string_equal(eai_name(cases[i].code), cases[i].name);
	}
	assert_int_equal(parse_eai("eai_again", &code), 0);
	assert_int_equal(code, EAI_AGAIN);
	assert_int_equal(parse_eai("EAI_FOO", &code), -1);
	assert_int_equal(parse_eai("EIO", &code), -1);
	assert_int_equal(parse_eai("", &code), -1);
	assert_null(eai_name(0));
	assert_null(eai_name(-9999));
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(errno_names),
	cmocka_unit_test(errno_errors),
	cmocka_unit_test(errno_names_back),
	cmocka_unit_test(signals),
	cmocka_unit_test(eai_names),
};

UNIT_MAIN(tests)

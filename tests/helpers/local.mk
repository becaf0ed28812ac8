# Small C programs the integration tests drive.
HELPER_H = tests/helpers/helper.h

check_PROGRAMS += tests/helpers/fileops
tests_helpers_fileops_SOURCES = tests/helpers/fileops.c $(HELPER_H)

check_PROGRAMS += tests/helpers/threads
tests_helpers_threads_SOURCES = tests/helpers/threads.c $(HELPER_H)

check_PROGRAMS += tests/helpers/sigwrite
tests_helpers_sigwrite_SOURCES = tests/helpers/sigwrite.c $(HELPER_H)

check_PROGRAMS += tests/helpers/net
tests_helpers_net_SOURCES = tests/helpers/net.c $(HELPER_H)

check_PROGRAMS += tests/helpers/dns
tests_helpers_dns_SOURCES = tests/helpers/dns.c $(HELPER_H)

check_PROGRAMS += tests/helpers/mem
tests_helpers_mem_SOURCES = tests/helpers/mem.c $(HELPER_H)

check_PROGRAMS += tests/helpers/proc
tests_helpers_proc_SOURCES = tests/helpers/proc.c $(HELPER_H)

# Built as distributions build programs (-O2, and fortified.c defines
# _FORTIFY_SOURCE=2 when optimising), so that it calls glibc's checking
# entry points (__read_chk, __fprintf_chk, __open_2...): shim-fortify.sh
# checks that faults reach those too.
check_PROGRAMS += tests/helpers/fortified
tests_helpers_fortified_SOURCES = tests/helpers/fortified.c $(HELPER_H)
tests_helpers_fortified_CFLAGS = $(AM_CFLAGS) -O2
include $(srcdir)/tests/helpers/netprobe.mk

# rawsys: raw syscalls, static, for the seccomp tests and bench
check_PROGRAMS += tests/helpers/rawsys
tests_helpers_rawsys_SOURCES = tests/helpers/rawsys.c
tests_helpers_rawsys_LDFLAGS = -all-static

# libearly.so: libc calls from a constructor that runs before libinject's
check_LTLIBRARIES = tests/helpers/libearly.la
tests_helpers_libearly_la_SOURCES = tests/helpers/early.c
tests_helpers_libearly_la_LDFLAGS = -module -avoid-version -shared -rpath /nowhere

# sigbus: the program's own SIGBUS, and a fault table truncated under it
check_PROGRAMS += tests/helpers/sigbus
tests_helpers_sigbus_SOURCES = tests/helpers/sigbus.c $(HELPER_H)

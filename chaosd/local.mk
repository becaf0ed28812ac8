# chaosd/: the controller. One file per subcommand (cmd-*.c, listed in
# main.c's table) and per subsystem. Everything but main.c is the
# convenience library libchaosd.la, which the unit tests and the fuzz
# targets link instead of compiling the sources again.

noinst_LTLIBRARIES += chaosd/libchaosd.la
chaosd_libchaosd_la_SOURCES = chaosd/chaosd.h chaosd/log.c \
	chaosd/xmalloc.c chaosd/json-print.c chaosd/preload.c chaosd/cmd-exec.c \
	chaosd/exec-reach.h chaosd/exec-reach.c \
	chaosd/clock.c chaosd/proc.c chaosd/env.c chaosd/spawn.c \
	chaosd/journal.c chaosd/guardian.c chaosd/kind.h chaosd/kinds.c \
	chaosd/dlopen.h chaosd/dlopen.c
chaosd_libchaosd_la_CFLAGS = $(AM_CFLAGS) $(SAN_CFLAGS)
chaosd_libchaosd_la_LIBADD = libinject/libchaos.la $(INIH_LIBS)

bin_PROGRAMS += chaosd/chaosd
chaosd_chaosd_SOURCES = chaosd/main.c
chaosd_chaosd_CFLAGS = $(AM_CFLAGS) $(SAN_CFLAGS)
chaosd_chaosd_LDADD = chaosd/libchaosd.la

include $(srcdir)/chaosd/syscall.mk
include $(srcdir)/chaosd/net.mk
include $(srcdir)/chaosd/table.mk
include $(srcdir)/chaosd/scenario.mk
include $(srcdir)/chaosd/res.mk
include $(srcdir)/chaosd/report.mk


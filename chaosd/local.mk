# chaosd/: the controller. One file per subcommand (cmd-*.c, listed in
# main.c's table) and per subsystem.

bin_PROGRAMS += chaosd/chaosd
chaosd_chaosd_SOURCES = chaosd/chaosd.h chaosd/main.c chaosd/log.c \
	chaosd/xmalloc.c chaosd/json-print.c chaosd/preload.c chaosd/cmd-exec.c
chaosd_chaosd_CFLAGS = $(AM_CFLAGS)
chaosd_chaosd_LDADD = libinject/libchaos.la

include $(srcdir)/chaosd/syscall.mk
include $(srcdir)/chaosd/net.mk
include $(srcdir)/chaosd/table.mk
include $(srcdir)/chaosd/scenario.mk

# chaosd/: syscall faults through seccomp (-s, [syscall.NAME]).
chaosd_chaosd_SOURCES += chaosd/syscall.h chaosd/syscall-rule.c \
	chaosd/seccomp.c chaosd/supervisor.c
chaosd_chaosd_CFLAGS += $(SECCOMP_CFLAGS)
chaosd_chaosd_LDADD += $(SECCOMP_LIBS)

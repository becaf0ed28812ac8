# chaosd/: syscall faults through seccomp (-s, [syscall.NAME]).
chaosd_libchaosd_la_SOURCES += chaosd/syscall.h chaosd/syscall-rule.c \
	chaosd/syscall-names.c chaosd/syscall-paths.c \
	chaosd/seccomp.c chaosd/supervisor.c chaosd/kind-syscall.c
chaosd_libchaosd_la_CFLAGS += $(SECCOMP_CFLAGS)
chaosd_libchaosd_la_LIBADD += $(SECCOMP_LIBS)

# chaosd/: faults on processes and resources (chaosd proc, [process.*]).
chaosd_libchaosd_la_SOURCES += chaosd/res.h chaosd/res-units.c \
	chaosd/cgroup.c chaosd/target.c chaosd/proc-options.c \
	chaosd/proc-apply.c chaosd/cmd-proc.c chaosd/kind-process.c

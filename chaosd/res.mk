# chaosd/: faults on processes and resources (chaosd proc, chaosd stress,
# [process.*], [stress.*], [limit.*]).
chaosd_libchaosd_la_SOURCES += chaosd/res.h chaosd/res-units.c \
	chaosd/cgroup.c chaosd/target.c chaosd/proc-options.c \
	chaosd/proc-apply.c chaosd/cmd-proc.c chaosd/kind-process.c \
	chaosd/stress-options.c chaosd/stress.c chaosd/stress-fill.c \
	chaosd/stress-worker.c \
	chaosd/cmd-stress.c chaosd/kind-stress.c chaosd/limit-options.c \
	chaosd/kind-limit.c

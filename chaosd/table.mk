# chaosd/: the fault tables at run time (chaosd inject, status, abort)
# and the registry of the tables chaosd knows.
chaosd_libchaosd_la_SOURCES += chaosd/cmd-inject.c chaosd/cmd-status.c \
	chaosd/cmd-abort.c chaosd/registry.c chaosd/table-guard.c

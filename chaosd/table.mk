# chaosd/: the fault tables at run time (chaosd inject, status, abort)
# and the registry of the tables chaosd knows.
chaosd_chaosd_SOURCES += chaosd/cmd-inject.c chaosd/cmd-status.c \
	chaosd/cmd-abort.c chaosd/registry.c

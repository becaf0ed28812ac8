# chaosd/: network faults through netlink (chaosd net, recover, doctor),
# their journal and the guardian.
chaosd_chaosd_SOURCES += chaosd/net.h chaosd/cmd-net.c chaosd/cmd-recover.c \
	chaosd/cmd-doctor.c chaosd/netlink.c chaosd/netem.c chaosd/netfault.c \
	chaosd/tc-units.c chaosd/journal.c chaosd/guardian.c
chaosd_chaosd_CFLAGS += $(LIBNL_CFLAGS)
chaosd_chaosd_LDADD += $(LIBNL_LIBS) -lm

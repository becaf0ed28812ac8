# chaosd/: network faults through netlink (chaosd net, [network.*],
# recover, doctor).
chaosd_libchaosd_la_SOURCES += chaosd/net.h chaosd/cmd-net.c chaosd/cmd-recover.c \
	chaosd/cmd-doctor.c chaosd/netlink.c chaosd/netem.c chaosd/netfault.c \
	chaosd/net-qdisc.c chaosd/net-filter.c \
	chaosd/tc-units.c chaosd/net-options.c chaosd/net-apply.c \
	chaosd/kind-network.c
chaosd_libchaosd_la_CFLAGS += $(LIBNL_CFLAGS)
chaosd_libchaosd_la_LIBADD += $(LIBNL_LIBS) -lm

# Helper of the network tests: throughput, connect time, UDP
# loss and RTT. Static, so the real-kernel lane's initramfs can carry it.
check_PROGRAMS += tests/helpers/netprobe
tests_helpers_netprobe_SOURCES = tests/helpers/netprobe.c
tests_helpers_netprobe_LDFLAGS = -all-static

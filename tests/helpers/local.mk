# Small C programs the integration tests drive.
check_PROGRAMS +=

# libinject/: the fault model (libchaos.la, linked into chaosd and the
# shim) and the LD_PRELOAD shim itself (libinject.so).

HOOK_DEFS = libinject/hooks-file.def libinject/hooks-net.def \
	libinject/hooks-dns.def libinject/hooks-mem.def libinject/hooks-proc.def

# Everything in libinject.so is hidden but the interposed libc names, so a
# host program's own symbols can never collide with the shim's internals.
CHAOS_HIDDEN = -fvisibility=hidden

noinst_LTLIBRARIES += libinject/libchaos.la
libinject_libchaos_la_SOURCES = libinject/chaos.h $(HOOK_DEFS) \
	libinject/hooks.c libinject/rule-int.h libinject/rule.c \
	libinject/rule-check.c libinject/rule-format.c libinject/rule-parse.c \
	libinject/rule-file.c libinject/rule-key.c libinject/rule-split.c \
	libinject/trigger.c libinject/pathnorm.c libinject/units.c \
	libinject/names.c libinject/cidr.c libinject/prng.c \
	libinject/ini.c libinject/util.c libinject/table.c libinject/reach.c \
	libinject/file-create.c
libinject_libchaos_la_CFLAGS = $(AM_CFLAGS) $(CHAOS_HIDDEN) $(INIH_CFLAGS) \
	$(SAN_CFLAGS)
# inih is linked by each user of libchaos.la: chaosd and the tests take
# the shared library, libinject.so the static archive (configure.ac).

# --enable-sanitizers instruments libchaos for chaosd and the tests; the
# shim then links an uninstrumented copy of it (see configure.ac).
if SANITIZERS
noinst_LTLIBRARIES += libinject/libchaos-plain.la
libinject_libchaos_plain_la_SOURCES = $(libinject_libchaos_la_SOURCES)
libinject_libchaos_plain_la_CFLAGS = $(AM_CFLAGS) $(CHAOS_HIDDEN) \
	$(INIH_CFLAGS)
SHIM_LIBCHAOS = libinject/libchaos-plain.la
else
SHIM_LIBCHAOS = libinject/libchaos.la
endif

pkglib_LTLIBRARIES += libinject/libinject.la
libinject_libinject_la_SOURCES = libinject/shim.h libinject/shim.c \
	libinject/decide.c libinject/fdtab.c libinject/shim-log.c \
	libinject/shim-sigbus.c libinject/shim-table.c \
	libinject/hook-file.c libinject/hook-net.c libinject/hook-dns.c \
	libinject/hook-mem.c libinject/hook-proc.c
# No fortify: the shim defines the very functions fortify would inline.
libinject_libinject_la_CFLAGS = $(AM_CFLAGS) $(CHAOS_HIDDEN) $(SHIM_CFLAGS) -U_FORTIFY_SOURCE \
	-fno-builtin -ftls-model=initial-exec
# inih's archive goes straight to the linker (libtool would warn that a
# static library in a shared one is not portable); its symbols are hidden.
# DT_FINI is shim_fini itself (shim.c says why).
libinject_libinject_la_LDFLAGS = -module -avoid-version -shared -no-undefined \
	-Wl,$(INIH_SHIM_LIBS) -Wl,--exclude-libs,ALL -Wl,-fini=shim_fini
libinject_libinject_la_LIBADD = $(SHIM_LIBCHAOS) -ldl

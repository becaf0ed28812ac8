# cmocka unit tests, one group per binary, TAP output.
if HAVE_CMOCKA
UNIT_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
UNIT_LDADD = libinject/libchaos.la $(CMOCKA_LIBS)
endif

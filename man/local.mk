dist_man_MANS += man/chaosd.8 man/libinject.7

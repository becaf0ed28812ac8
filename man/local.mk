dist_man_MANS += man/chaosd.8 man/chaosd.scenario.5 man/libinject.7

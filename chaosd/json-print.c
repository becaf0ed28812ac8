/*
 * json-print.c: JSON strings on stdout, for the commands that print a
 * little JSON by hand (net show --json, status --json). The reports are
 * written with jansson.
 */
#include "config.h"

#include <stdio.h>

#include "chaosd.h"

void
json_print_string(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", (unsigned char)*s);
		else
			putchar(*s);
	}
	putchar('"');
}

/*
 * empty.c: libbenchempty.so, a preloaded library with nothing in it: the
 * floor any LD_PRELOAD pays (one more object to map and to search), which
 * bench-start.sh sets the dormant shim's start-up beside.
 */
void	chaos_bench_empty(void);

void
chaos_bench_empty(void)
{
}

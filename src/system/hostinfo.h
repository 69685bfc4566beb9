/*
 * hostinfo: the facts about this machine that a result needs to be judged
 * later (hostname, kernel, CPU model and count). Strings are owned by the
 * struct; hostinfo_release() frees them.
 */
#ifndef STEADY_HOSTINFO_H
#define STEADY_HOSTINFO_H

struct host_info {
	char *hostname;
	char *kernel;     /* "Linux 6.1.0-13-amd64 #1 SMP ..." (sysname release version) */
	char *arch;       /* uname machine, "x86_64" */
	char *cpu_model;  /* /proc/cpuinfo "model name", or "unknown" */
	int cpu_count;    /* online CPUs */
};

void hostinfo_init(struct host_info *h);
/* Reads the running machine; missing facts become "unknown". */
void hostinfo_read(struct host_info *h);
void hostinfo_release(struct host_info *h);

#endif

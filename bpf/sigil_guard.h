/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * sigil_guard.h: who a kernel program may signal.
 *
 * Plain C, shared by the generated eBPF programs and a host build that tests it. A program
 * signals a process only when enforcement is armed through the control map, and never:
 *   - pid 0 or 1 (the idle task, init),
 *   - a kernel thread (PF_KTHREAD),
 *   - the daemon that armed it (a control map without a daemon tgid is not armed),
 *   - a process on the allow-list.
 */
#ifndef SIGIL_GUARD_H
#define SIGIL_GUARD_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#ifndef SIGIL_INLINE
#define SIGIL_INLINE static inline __attribute__((always_inline))
#endif

/* include/linux/sched.h: "getting shut down" (set early in do_exit) */
#define SIGIL_PF_EXITING 0x00000004
/* include/linux/sched.h: "I am a kernel thread" */
#define SIGIL_PF_KTHREAD 0x00200000

/* SIGKILL: cannot be caught or ignored */
#define SIGIL_SIGKILL 9

/* may the program signal the process tgid? */
SIGIL_INLINE int sigil_may_signal(__u32 armed, __u32 daemon_tgid, __u32 tgid, __u32 task_flags,
				  int allow_listed)
{
	if (!armed || daemon_tgid == 0)
		return 0;
	if (tgid <= 1 || tgid == daemon_tgid)
		return 0;
	if (task_flags & SIGIL_PF_KTHREAD)
		return 0;
	return !allow_listed;
}

#endif /* SIGIL_GUARD_H */

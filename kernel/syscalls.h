/*
 * The system calls this kernel implements, by their Linux names; the
 * table in kernel/syscall.c maps Linux x86-64 numbers to them. Arguments
 * arrive as the six registers, unsigned long each, as in Linux's
 * SYSCALL_DEFINE; results are a value or -errno.
 */
#ifndef KERNEL_SYSCALLS_H
#define KERNEL_SYSCALLS_H

typedef unsigned long ul;

long sys_read(ul fd, ul buf, ul count);
long sys_write(ul fd, ul buf, ul count);
long sys_close(ul fd);
long sys_readv(ul fd, ul vec, ul cnt);
long sys_writev(ul fd, ul vec, ul cnt);
long sys_ioctl(ul fd, ul cmd, ul arg);
long sys_fcntl(ul fd, ul cmd, ul arg);
long sys_mmap(ul addr, ul len, ul prot, ul flags, ul fd, ul off);
long sys_munmap(ul addr, ul len);
long sys_brk(ul brk);
long sys_exit(ul code);
long sys_exit_group(ul code);
long sys_getpid(void);
long sys_gettid(void);
long sys_uname(ul buf);
long sys_getrandom(ul buf, ul len, ul flags);
long sys_arch_prctl(ul code, ul addr);
long sys_set_tid_address(ul tidptr);
long sys_rt_sigaction(ul sig, ul act, ul oact, ul sigsetsize);
long sys_rt_sigprocmask(ul how, ul set, ul oset, ul sigsetsize);
long sys_clock_gettime(ul clk, ul tp);
long sys_nanosleep(ul req, ul rem);
long sys_sched_yield(void);

#endif

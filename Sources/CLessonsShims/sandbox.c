// Sandbox set-up in the child between fork and exec: the kernel enforces, the tracer observes.
// Runs in a freshly forked, single-threaded child of a multi-threaded Swift process, so it
// only makes system calls and formats text by hand (no malloc, no stdio, no locks).
// docs/sandbox.md says which mechanism enforces what and how each one degrades.
#define _GNU_SOURCE
#include "lessons_sandbox.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

// ---- Landlock, declared here: the system headers predate ABI 3..7 ----
#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule 445
#define SYS_landlock_restrict_self 446
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#define LL_CREATE_RULESET_VERSION (1U << 0)
#define LL_RULE_PATH_BENEATH 1
#define LL_FS_EXECUTE (1ULL << 0)
#define LL_FS_WRITE_FILE (1ULL << 1)
#define LL_FS_READ_FILE (1ULL << 2)
#define LL_FS_READ_DIR (1ULL << 3)
#define LL_FS_REMOVE_DIR (1ULL << 4)
#define LL_FS_REMOVE_FILE (1ULL << 5)
#define LL_FS_MAKE_CHAR (1ULL << 6)
#define LL_FS_MAKE_DIR (1ULL << 7)
#define LL_FS_MAKE_REG (1ULL << 8)
#define LL_FS_MAKE_SOCK (1ULL << 9)
#define LL_FS_MAKE_FIFO (1ULL << 10)
#define LL_FS_MAKE_BLOCK (1ULL << 11)
#define LL_FS_MAKE_SYM (1ULL << 12)
#define LL_FS_REFER (1ULL << 13)      // ABI 2
#define LL_FS_TRUNCATE (1ULL << 14)   // ABI 3
#define LL_FS_IOCTL_DEV (1ULL << 15)  // ABI 5
#define LL_NET_BIND_TCP (1ULL << 0)   // ABI 4
#define LL_NET_CONNECT_TCP (1ULL << 1)
#define LL_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)  // ABI 6
#define LL_SCOPE_SIGNAL (1ULL << 1)

struct ll_ruleset_attr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net;
    uint64_t scoped;
};

struct ll_path_beneath_attr {
    uint64_t allowed_access;
    int32_t parent_fd;
} __attribute__((packed));

_Static_assert(sizeof(struct ll_path_beneath_attr) == 12, "landlock_path_beneath_attr is packed");

// ---- tiny text helpers (no stdio in the child) ----
struct text { char *buffer; size_t size; size_t length; };

static void text_add(struct text *t, const char *s) {
    if (t->size == 0) return;
    while (*s && t->length + 1 < t->size) t->buffer[t->length++] = *s++;
    t->buffer[t->length] = 0;
}

static void text_add_int(struct text *t, long value) {
    char digits[24]; int n = 0; int negative = value < 0;
    unsigned long v = negative ? (unsigned long)(-value) : (unsigned long)value;
    do { digits[n++] = (char)('0' + v % 10); v /= 10; } while (v && n < 22);
    if (negative) digits[n++] = '-';
    char out[24]; int k = 0;
    while (n) out[k++] = digits[--n];
    out[k] = 0;
    text_add(t, out);
}

/// "what: strerror(errno)" into the error buffer; returns -1.
static int fail(char *error, size_t size, const char *what, int err) {
    struct text t = { error, size, 0 };
    if (size) error[0] = 0;
    text_add(&t, "sandbox: ");
    text_add(&t, what);
    if (err) { text_add(&t, ": "); text_add(&t, strerror(err)); }
    return -1;
}

int lessons_sandbox_policy_set_path(struct lessons_sandbox_policy *policy, int which, const char *path) {
    size_t length = strlen(path);
    char *target = NULL;
    size_t capacity = 0;
    if (which == LESSONS_SANDBOX_PATH_SCRATCH) { target = policy->scratch; capacity = sizeof policy->scratch; }
    else if (which == LESSONS_SANDBOX_PATH_EXECUTABLE) { target = policy->executable; capacity = sizeof policy->executable; }
    else if (which == LESSONS_SANDBOX_PATH_READ_ONLY) {
        for (int i = 0; i < LESSONS_SANDBOX_READ_PATHS; i++)
            if (!policy->read_only[i][0]) { target = policy->read_only[i]; capacity = sizeof policy->read_only[i]; break; }
    }
    if (!target || length + 1 > capacity) return -1;
    memcpy(target, path, length + 1);
    return 0;
}

// ---- Landlock ----
int lessons_sandbox_landlock_abi(void) {
    long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);
    return abi < 0 ? 0 : (int)abi;
}

static uint64_t landlock_fs_rights(int abi) {
    uint64_t rights = (LL_FS_MAKE_SYM << 1) - 1;  // ABI 1: bits 0..12
    if (abi >= 2) rights |= LL_FS_REFER;
    if (abi >= 3) rights |= LL_FS_TRUNCATE;
    if (abi >= 5) rights |= LL_FS_IOCTL_DEV;
    return rights;
}

static int landlock_allow(int ruleset, const char *path, uint64_t rights, uint64_t handled, int optional) {
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0) return optional ? 0 : -1;
    struct ll_path_beneath_attr rule = { .allowed_access = rights & handled, .parent_fd = fd };
    long r = syscall(SYS_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH, &rule, 0);
    int saved = errno;
    close(fd);
    errno = saved;
    return r < 0 && !optional ? -1 : 0;
}

/// Reads PT_INTERP of an ELF file into `out` (empty when static or not ELF).
static void elf_interpreter(const char *path, char *out, size_t size) {
    out[0] = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    Elf64_Ehdr header;
    if (pread(fd, &header, sizeof header, 0) == (ssize_t)sizeof header &&
        memcmp(header.e_ident, ELFMAG, SELFMAG) == 0 && header.e_ident[EI_CLASS] == ELFCLASS64 &&
        header.e_phentsize == sizeof(Elf64_Phdr)) {
        for (int i = 0; i < header.e_phnum && i < 64; i++) {
            Elf64_Phdr ph;
            if (pread(fd, &ph, sizeof ph, (off_t)(header.e_phoff + (Elf64_Off)i * sizeof ph)) != (ssize_t)sizeof ph) break;
            if (ph.p_type == PT_INTERP && ph.p_filesz > 1 && ph.p_filesz < size) {
                if (pread(fd, out, ph.p_filesz, (off_t)ph.p_offset) == (ssize_t)ph.p_filesz) out[ph.p_filesz - 1] = 0;
                else out[0] = 0;
                break;
            }
        }
    }
    close(fd);
}

static int apply_landlock(const struct lessons_sandbox_policy *policy, char *error, size_t error_size) {
    int abi = lessons_sandbox_landlock_abi();
    if (abi < 1) return fail(error, error_size, "Landlock is not available", errno);
    uint64_t fs = landlock_fs_rights(abi);
    struct ll_ruleset_attr attr = { .handled_access_fs = fs };
    if (abi >= 4 && !policy->allow_network) attr.handled_access_net = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP;
    if (abi >= 6) attr.scoped = LL_SCOPE_ABSTRACT_UNIX_SOCKET | LL_SCOPE_SIGNAL;
    size_t attr_size = abi >= 6 ? sizeof attr : abi >= 4 ? offsetof(struct ll_ruleset_attr, scoped)
                                                         : sizeof attr.handled_access_fs;
    int ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, attr_size, 0);
    if (ruleset < 0) return fail(error, error_size, "landlock_create_ruleset", errno);

    uint64_t read_only = LL_FS_READ_FILE | LL_FS_READ_DIR | (policy->allow_exec ? LL_FS_EXECUTE : 0);
    uint64_t read_write = fs & ~LL_FS_EXECUTE;
    uint64_t device = LL_FS_READ_FILE | LL_FS_WRITE_FILE | LL_FS_TRUNCATE | LL_FS_IOCTL_DEV;
    static const char *const devices[] = { "/dev/null", "/dev/zero", "/dev/full", "/dev/random",
                                           "/dev/urandom", "/dev/tty" };
    if (!policy->read_only[0][0]) {
        if (landlock_allow(ruleset, "/", read_only, fs, 0) < 0) {
            int e = errno; close(ruleset); return fail(error, error_size, "landlock_add_rule /", e);
        }
    } else {
        for (int i = 0; i < LESSONS_SANDBOX_READ_PATHS && policy->read_only[i][0]; i++)
            landlock_allow(ruleset, policy->read_only[i], read_only, fs, 1);  // a missing directory is fine
    }
    if (policy->scratch[0] && landlock_allow(ruleset, policy->scratch, read_write, fs, 0) < 0) {
        int e = errno; close(ruleset); return fail(error, error_size, "landlock_add_rule on the scratch directory", e);
    }
    for (size_t i = 0; i < sizeof devices / sizeof devices[0]; i++)
        landlock_allow(ruleset, devices[i], device, fs, 1);
    if ((policy->mechanisms & LESSONS_SANDBOX_MOUNT_NS) && policy->scratch_bytes) {  // private to this run (mount_scratch)
        landlock_allow(ruleset, "/dev/shm", read_write, fs, 1);
        landlock_allow(ruleset, "/tmp", read_write, fs, 1);
    }
    if (policy->executable[0]) {
        // Without allow_exec, exactly the program and its ELF interpreter may be executed.
        // (Running the interpreter as a program could load another binary; the sandbox's exec
        // watch kills any second exec before the new image runs: see docs/sandbox.md.)
        if (landlock_allow(ruleset, policy->executable, LL_FS_EXECUTE | LL_FS_READ_FILE, fs, 0) < 0) {
            int e = errno; close(ruleset); return fail(error, error_size, "landlock_add_rule on the program", e);
        }
        char interpreter[LESSONS_SANDBOX_PATH_MAX];
        elf_interpreter(policy->executable, interpreter, sizeof interpreter);
        if (interpreter[0]) landlock_allow(ruleset, interpreter, LL_FS_EXECUTE | LL_FS_READ_FILE, fs, 1);
    }
    if (syscall(SYS_landlock_restrict_self, ruleset, 0) < 0) {
        int e = errno; close(ruleset); return fail(error, error_size, "landlock_restrict_self", e);
    }
    close(ruleset);
    return 0;
}

// ---- a private, size-capped scratch directory ----
struct linux_dirent64 { uint64_t d_ino; int64_t d_off; unsigned short d_reclen; unsigned char d_type; char d_name[]; };

/// Copies the regular files and directories under `from` into `to` (the case's files, placed
/// by Swift before the tmpfs hid them), giving them to uid/gid. No malloc, no stdio.
static int copy_tree(int from, int to, uid_t uid, gid_t gid, int depth) {
    if (depth > 16) return 0;
    char entries[4096];
    for (;;) {
        long n = syscall(SYS_getdents64, from, entries, sizeof entries);
        if (n < 0) return -1;
        if (n == 0) return 0;
        for (long offset = 0; offset < n;) {
            struct linux_dirent64 *entry = (struct linux_dirent64 *)(entries + offset);
            offset += entry->d_reclen;
            const char *name = entry->d_name;
            if (!strcmp(name, ".") || !strcmp(name, "..")) continue;
            struct stat info;
            if (fstatat(from, name, &info, AT_SYMLINK_NOFOLLOW) < 0) return -1;
            if (S_ISDIR(info.st_mode)) {
                if (mkdirat(to, name, info.st_mode & 07777) < 0) return -1;
                int sub_from = openat(from, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                int sub_to = openat(to, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                int r = sub_from < 0 || sub_to < 0 ? -1 : copy_tree(sub_from, sub_to, uid, gid, depth + 1);
                if (sub_to >= 0) { fchown(sub_to, uid, gid); close(sub_to); }
                if (sub_from >= 0) close(sub_from);
                if (r < 0) return -1;
            } else if (S_ISREG(info.st_mode)) {
                int in = openat(from, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
                int out = openat(to, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, info.st_mode & 0777);
                if (in < 0 || out < 0) { if (in >= 0) close(in); if (out >= 0) close(out); return -1; }
                char buffer[8192];
                ssize_t got;
                int r = 0;
                while ((got = read(in, buffer, sizeof buffer)) > 0)
                    if (write(out, buffer, (size_t)got) != got) { r = -1; break; }
                if (got < 0) r = -1;
                fchown(out, uid, gid);
                close(in);
                close(out);
                if (r < 0) return -1;
            }
        }
    }
}

static void text_add_u64(struct text *t, uint64_t value) { text_add_int(t, (long)value); }

/// mkdir -p for an absolute path (components made 0755, existing ones kept). No malloc.
static int make_directories(const char *path) {
    char partial[LESSONS_SANDBOX_PATH_MAX];
    size_t length = strlen(path);
    if (length == 0 || length >= sizeof partial) { errno = ENAMETOOLONG; return -1; }
    memcpy(partial, path, length + 1);
    for (size_t i = 1; i <= length; i++) {
        if (partial[i] != '/' && partial[i] != 0) continue;
        char saved = partial[i];
        partial[i] = 0;
        if (mkdir(partial, 0755) < 0 && errno != EEXIST) return -1;
        partial[i] = saved;
    }
    return 0;
}

/// `path`, bound from the directory `fd` refers to (opened before its place was hidden).
static int bind_back(int fd, const char *path) {
    char source[64];
    struct text t = { source, sizeof source, 0 };
    text_add(&t, "/proc/self/fd/"); text_add_int(&t, fd);
    if (make_directories(path) < 0) return -1;
    return mount(source, path, NULL, MS_BIND | MS_REC, NULL);
}

/// A private /tmp: glibc's tmpfile() and programs that write "/tmp/…" use /tmp whatever
/// TMPDIR says. A fresh tmpfs, capped like the scratch directory, on which the paths the run
/// needs from the machine's /tmp (the scratch directory, the program's own directory) are
/// bound back in place; everything else of the machine's /tmp is out of sight.
static int mount_private_tmp(const struct lessons_sandbox_policy *policy, char *error, size_t error_size) {
    int scratch = open(policy->scratch, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (scratch < 0) return fail(error, error_size, "opening the scratch tmpfs", errno);
    char program_directory[LESSONS_SANDBOX_PATH_MAX];
    program_directory[0] = 0;
    int program = -1;
    if (strncmp(policy->executable, "/tmp/", 5) == 0) {
        memcpy(program_directory, policy->executable, sizeof program_directory);
        program_directory[sizeof program_directory - 1] = 0;
        char *slash = strrchr(program_directory, '/');
        if (slash && slash != program_directory) *slash = 0;
        program = open(program_directory, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (program < 0) { int e = errno; close(scratch); return fail(error, error_size, "opening the program's directory", e); }
    }
    char options[128];
    struct text t = { options, sizeof options, 0 };
    text_add(&t, "mode=01777,size="); text_add_u64(&t, policy->scratch_bytes);
    text_add(&t, ",nr_inodes=1024");
    int result = mount("lessons-tmp", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, options);
    const char *what = "mounting a private /tmp";
    if (result == 0 && strncmp(policy->scratch, "/tmp/", 5) == 0) {
        result = bind_back(scratch, policy->scratch);
        what = "binding the scratch directory into the private /tmp";
    }
    if (result == 0 && program >= 0) {
        result = bind_back(program, program_directory);
        what = "binding the program's directory into the private /tmp";
    }
    int e = errno;
    close(scratch);
    if (program >= 0) close(program);
    if (result < 0) return fail(error, error_size, what, e);
    if (chdir(policy->scratch) < 0) return fail(error, error_size, "changing into the scratch tmpfs", errno);
    return 0;
}

static int mount_scratch(const struct lessons_sandbox_policy *policy, char *error, size_t error_size) {
    // Nothing we mount may propagate back to the machine.
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
        return fail(error, error_size, "making the mounts private", errno);
    int original = open(policy->scratch, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (original < 0) return fail(error, error_size, "opening the scratch directory", errno);
    char options[128];
    struct text t = { options, sizeof options, 0 };
    text_add(&t, "mode=0700,size="); text_add_u64(&t, policy->scratch_bytes);
    text_add(&t, ",nr_inodes="); text_add_u64(&t, policy->scratch_inodes ? policy->scratch_inodes : 16384);
    text_add(&t, ",uid="); text_add_u64(&t, policy->uid);
    text_add(&t, ",gid="); text_add_u64(&t, policy->gid);
    if (mount("lessons-scratch", policy->scratch, "tmpfs", MS_NOSUID | MS_NODEV, options) < 0) {
        int e = errno; close(original); return fail(error, error_size, "mounting a tmpfs on the scratch directory", e);
    }
    int fresh = open(policy->scratch, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int copied = fresh < 0 ? -1 : copy_tree(original, fresh, policy->uid, policy->gid, 0);
    int e = errno;
    if (fresh >= 0) close(fresh);
    close(original);
    if (copied < 0) return fail(error, error_size, "copying the case's files into the scratch tmpfs", e);
    // The working directory was the directory now hidden under the mount: move onto the tmpfs.
    if (chdir(policy->scratch) < 0) return fail(error, error_size, "changing into the scratch tmpfs", errno);
    if (mount_private_tmp(policy, error, error_size) < 0) return -1;
    // A private /dev/shm for shm_open and sem_open, capped like the scratch directory.
    t.length = 0;
    text_add(&t, "mode=01777,size="); text_add_u64(&t, policy->scratch_bytes);
    text_add(&t, ",nr_inodes=1024");
    if (mount("lessons-shm", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, options) < 0)
        return fail(error, error_size, "mounting a private /dev/shm", errno);
    // A /proc that lists only the run's own processes (hidepid=invisible, Linux 5.8+): other
    // people's command lines (paths of other submissions) are not the program's business.
    if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "hidepid=invisible") < 0)
        return fail(error, error_size, "mounting /proc with hidepid=invisible", errno);
    return 0;
}

// ---- seccomp ----
#define ALLOW BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)
#define DENY(err) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ((err) & SECCOMP_RET_DATA))
#define KILL BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS)
#define LOAD_NR BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))
#define LOAD_ARG0_LOW BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]))

/// Syscalls nobody's exercise needs and a hostile program could use against the machine.
static const int denied_syscalls[] = {
    SYS_ptrace, SYS_process_vm_writev, SYS_process_vm_readv, SYS_kexec_load,
#ifdef SYS_kexec_file_load
    SYS_kexec_file_load,
#endif
    SYS_mount, SYS_umount2, SYS_pivot_root, SYS_chroot, SYS_bpf, SYS_keyctl, SYS_add_key,
    SYS_request_key, SYS_perf_event_open, SYS_unshare, SYS_setns, SYS_userfaultfd,
    SYS_init_module, SYS_finit_module, SYS_delete_module, SYS_reboot, SYS_swapon, SYS_swapoff,
    SYS_acct, SYS_quotactl, SYS_open_by_handle_at, SYS_name_to_handle_at, SYS_syslog, SYS_iopl,
    SYS_ioperm, SYS_settimeofday, SYS_clock_settime, SYS_clock_adjtime, SYS_adjtimex,
    SYS_sethostname, SYS_setdomainname, SYS_uselib, SYS_fanotify_init, SYS_lookup_dcookie,
    SYS_vhangup, SYS_kcmp,
#ifdef SYS_io_uring_setup
    SYS_io_uring_setup, SYS_io_uring_enter, SYS_io_uring_register,
#endif
#ifdef SYS_fsopen
    SYS_fsopen, SYS_fsconfig, SYS_fsmount, SYS_fspick, SYS_move_mount, SYS_open_tree,
#endif
#ifdef SYS_mount_setattr
    SYS_mount_setattr,
#endif
#ifdef SYS_pidfd_getfd
    SYS_pidfd_getfd,
#endif
};

#define CLONE_NAMESPACES (CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | \
                          CLONE_NEWPID | CLONE_NEWNET)

static int apply_seccomp(const struct lessons_sandbox_policy *policy, int has_net_ns, char *error, size_t error_size) {
    enum { N = sizeof denied_syscalls / sizeof denied_syscalls[0] };
    struct sock_filter program[2 * N + 32];  // two instructions per denied call, plus the fixed parts
    size_t n = 0;
    program[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
    program[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
    program[n++] = (struct sock_filter)KILL;
    program[n++] = (struct sock_filter)LOAD_NR;
    // x32 syscalls (nr | 0x40000000) share the arch value: kill them.
    program[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1);
    program[n++] = (struct sock_filter)KILL;
    for (size_t i = 0; i < N; i++) {
        program[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)denied_syscalls[i], 0, 1);
        program[n++] = (struct sock_filter)DENY(EPERM);
    }
    // clone3 passes its flags in memory seccomp cannot read: ENOSYS makes glibc fall back to clone.
    program[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone3, 0, 1);
    program[n++] = (struct sock_filter)DENY(ENOSYS);
    // clone with namespace flags.
    program[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 3);
    program[n++] = (struct sock_filter)LOAD_ARG0_LOW;
    program[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_NAMESPACES, 0, 1);
    program[n++] = (struct sock_filter)DENY(EPERM);
    program[n++] = (struct sock_filter)LOAD_NR;
    if (!policy->allow_network && !has_net_ns) {
        // No network namespace: refuse Internet and raw sockets outright.
        program[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_socket, 0, 5);
        program[n++] = (struct sock_filter)LOAD_ARG0_LOW;
        program[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_INET, 2, 0);
        program[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_INET6, 1, 0);
        program[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_PACKET, 0, 1);
        program[n++] = (struct sock_filter)DENY(EACCES);
    }
    program[n++] = (struct sock_filter)ALLOW;
    if (n > sizeof program / sizeof program[0]) return fail(error, error_size, "seccomp filter overflow (a bug)", 0);
    struct sock_fprog fprog = { .len = (unsigned short)n, .filter = program };
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) < 0)
        return fail(error, error_size, "installing the seccomp filter", errno);
    return 0;
}

// ---- rlimits ----
static int limit(int resource, uint64_t soft, uint64_t hard, const char *name, char *error, size_t error_size) {
    struct rlimit value = { .rlim_cur = soft, .rlim_max = hard };
    if (setrlimit(resource, &value) < 0) return fail(error, error_size, name, errno);
    return 0;
}

static int apply_rlimits(const struct lessons_sandbox_policy *p, char *error, size_t error_size) {
    if (limit(RLIMIT_CORE, 0, 0, "setrlimit(RLIMIT_CORE)", error, error_size) < 0) return -1;
    if (p->cpu_seconds && limit(RLIMIT_CPU, p->cpu_seconds, p->cpu_seconds + 1, "setrlimit(RLIMIT_CPU)", error, error_size) < 0) return -1;
    if (p->memory_bytes) {
        if (limit(RLIMIT_AS, p->memory_bytes, p->memory_bytes, "setrlimit(RLIMIT_AS)", error, error_size) < 0) return -1;
        if (limit(RLIMIT_DATA, p->memory_bytes, p->memory_bytes, "setrlimit(RLIMIT_DATA)", error, error_size) < 0) return -1;
    }
    if (p->processes && limit(RLIMIT_NPROC, p->processes, p->processes, "setrlimit(RLIMIT_NPROC)", error, error_size) < 0) return -1;
    if (p->file_size_bytes && limit(RLIMIT_FSIZE, p->file_size_bytes, p->file_size_bytes, "setrlimit(RLIMIT_FSIZE)", error, error_size) < 0) return -1;
    if (p->open_files && limit(RLIMIT_NOFILE, p->open_files, p->open_files, "setrlimit(RLIMIT_NOFILE)", error, error_size) < 0) return -1;
    if (p->stack_bytes && limit(RLIMIT_STACK, p->stack_bytes, p->stack_bytes, "setrlimit(RLIMIT_STACK)", error, error_size) < 0) return -1;
    return 0;
}

// ---- the whole set-up ----
int lessons_sandbox_enter(const struct lessons_sandbox_policy *policy, char *error, size_t error_size) {
    if (error_size) error[0] = 0;
    if (!policy->enabled) return 0;
    uint32_t want = policy->mechanisms;

    // Descriptors the grader holds must not reach the program.
    syscall(SYS_close_range, 3, ~0U, 4 /* CLOSE_RANGE_CLOEXEC */);

    // Its own session and process group: kill(0, …) and the terminal's signals stay inside.
    setsid();

    if ((want & LESSONS_SANDBOX_NO_NEW_PRIVS) && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        return fail(error, error_size, "prctl(PR_SET_NO_NEW_PRIVS)", errno);

    int flags = 0;
    if (want & LESSONS_SANDBOX_USER_NS) flags |= CLONE_NEWUSER;
    if ((want & LESSONS_SANDBOX_NET_NS) && !policy->allow_network) flags |= CLONE_NEWNET;
    if (want & LESSONS_SANDBOX_IPC_NS) flags |= CLONE_NEWIPC;
    if (want & LESSONS_SANDBOX_UTS_NS) flags |= CLONE_NEWUTS;
    int private_scratch = (want & LESSONS_SANDBOX_MOUNT_NS) && policy->scratch_bytes && policy->scratch[0];
    if (private_scratch) flags |= CLONE_NEWNS;
    if (flags && unshare(flags) < 0) return fail(error, error_size, "unshare (new namespaces)", errno);
    if (private_scratch && mount_scratch(policy, error, error_size) < 0) return -1;

    if ((want & LESSONS_SANDBOX_LANDLOCK) && apply_landlock(policy, error, error_size) < 0) return -1;

    if (want & LESSONS_SANDBOX_DROP_UID) {
        if (setgroups(0, NULL) < 0) return fail(error, error_size, "setgroups", errno);
        if (setresgid(policy->gid, policy->gid, policy->gid) < 0) return fail(error, error_size, "setresgid", errno);
        if (setresuid(policy->uid, policy->uid, policy->uid) < 0) return fail(error, error_size, "setresuid", errno);
    }

    if ((want & LESSONS_SANDBOX_RLIMITS) && apply_rlimits(policy, error, error_size) < 0) return -1;

    if (want & LESSONS_SANDBOX_SECCOMP) {
        int has_net_ns = (flags & CLONE_NEWNET) != 0;
        if (apply_seccomp(policy, has_net_ns, error, error_size) < 0) return -1;
    }
    return 0;
}

// ---- killing whatever a run's uid left behind ----
int lessons_sandbox_kill_uid(uint32_t uid) {
    if (uid == 0 || geteuid() != 0) { errno = EPERM; return -1; }
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        // As the run's uid, kill(-1) reaches exactly the processes of that uid (and not us).
        // A session of its own first: the kernel lets SIGCONT reach any process of the sender's
        // session whatever its uid, and ours holds the tracer's other children (a new program
        // stopped before its seize, traced programs of other runs).
        if (setsid() < 0) _exit(1);
        if (setresgid(uid, uid, uid) != 0 || setgroups(0, NULL) != 0 || setresuid(uid, uid, uid) != 0) _exit(1);
        kill(-1, SIGCONT);
        _exit(kill(-1, SIGKILL) == 0 ? 2 : 0);  // 0 from kill: it reached at least one process
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) if (errno != EINTR) return -1;
    if (!WIFEXITED(status) || WEXITSTATUS(status) == 1) return -1;
    return WEXITSTATUS(status) == 2 ? 1 : 0;
}

// ---- probing what this machine offers ----
static void note(struct text *t, const char *line, int err) {
    text_add(t, line);
    if (err) { text_add(t, " ("); text_add(t, strerror(err)); text_add(t, ")"); }
    text_add(t, "\n");
}

/// In a throw-away child: try one mechanism; exit 0 when it worked, else errno.
static int try_in_child(uint32_t mechanism) {
    pid_t pid = fork();
    if (pid < 0) return errno ? errno : EAGAIN;
    if (pid == 0) {
        int r = 0;
        switch (mechanism) {
        case LESSONS_SANDBOX_NO_NEW_PRIVS: r = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); break;
        case LESSONS_SANDBOX_USER_NS: r = unshare(CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS); break;
        case LESSONS_SANDBOX_NET_NS: r = unshare(CLONE_NEWNET); break;
        case LESSONS_SANDBOX_IPC_NS: r = unshare(CLONE_NEWIPC); break;
        case LESSONS_SANDBOX_UTS_NS: r = unshare(CLONE_NEWUTS); break;
        case LESSONS_SANDBOX_MOUNT_NS:
            r = unshare(CLONE_NEWNS);
            if (r == 0) r = mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
            if (r == 0) r = mount("lessons-probe", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "size=65536");
            if (r == 0) r = mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "hidepid=invisible");
            break;
        case LESSONS_SANDBOX_DROP_UID: r = setresuid(65534, 65534, 65534); break;
        case LESSONS_SANDBOX_SECCOMP: {
            struct sock_filter allow[] = { ALLOW };
            struct sock_fprog fprog = { .len = 1, .filter = allow };
            r = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
            if (r == 0) r = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog);
            break;
        }
        default: break;
        }
        _exit(r < 0 ? (errno & 0xff ? errno & 0xff : 1) : 0);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) if (errno != EINTR) return errno;
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return EFAULT;
}

int lessons_sandbox_probe(uint32_t *available, int *landlock_abi, char *notes, size_t notes_size) {
    struct text t = { notes, notes_size, 0 };
    if (notes_size) notes[0] = 0;
    uint32_t have = LESSONS_SANDBOX_RLIMITS;
    int root = geteuid() == 0;
    int e;
    if ((e = try_in_child(LESSONS_SANDBOX_NO_NEW_PRIVS)) == 0) have |= LESSONS_SANDBOX_NO_NEW_PRIVS;
    else note(&t, "PR_SET_NO_NEW_PRIVS is not available", e);
    if ((e = try_in_child(LESSONS_SANDBOX_SECCOMP)) == 0) have |= LESSONS_SANDBOX_SECCOMP;
    else note(&t, "seccomp filters are not available: dangerous syscalls (ptrace, mount, bpf, ...) are not denied", e);
    if (root) {
        if ((e = try_in_child(LESSONS_SANDBOX_DROP_UID)) == 0) have |= LESSONS_SANDBOX_DROP_UID;
        else note(&t, "cannot switch to an unprivileged uid: the program runs as root", e);
        if ((e = try_in_child(LESSONS_SANDBOX_NET_NS)) == 0) have |= LESSONS_SANDBOX_NET_NS;
        else note(&t, "no network namespace: Internet sockets are denied by seccomp instead", e);
        if ((e = try_in_child(LESSONS_SANDBOX_IPC_NS)) == 0) have |= LESSONS_SANDBOX_IPC_NS;
        else note(&t, "no IPC namespace: System V IPC is shared with the machine", e);
        if ((e = try_in_child(LESSONS_SANDBOX_UTS_NS)) == 0) have |= LESSONS_SANDBOX_UTS_NS;
        if ((e = try_in_child(LESSONS_SANDBOX_MOUNT_NS)) == 0) have |= LESSONS_SANDBOX_MOUNT_NS;
        else note(&t, "no mount namespace: the scratch directory is not a size-capped tmpfs (disk use is bounded only per file), and shm_open has no private /dev/shm", e);
    } else {
        note(&t, "not root: the scratch directory is not a size-capped tmpfs (disk use is bounded only per file), and shm_open fails (no private /dev/shm)", 0);
        note(&t, "not running as root: the program runs as your own user (no separate uid)", 0);
        if ((e = try_in_child(LESSONS_SANDBOX_USER_NS)) == 0)
            have |= LESSONS_SANDBOX_USER_NS | LESSONS_SANDBOX_NET_NS | LESSONS_SANDBOX_IPC_NS | LESSONS_SANDBOX_UTS_NS;
        else note(&t, "no user namespaces: no network namespace (Internet sockets are denied by seccomp instead) and no IPC namespace", e);
    }
    int abi = lessons_sandbox_landlock_abi();
    *landlock_abi = abi;
    if (abi >= 1) {
        have |= LESSONS_SANDBOX_LANDLOCK;
        if (abi < 6) {
            text_add(&t, "Landlock ABI ");
            text_add_int(&t, abi);
            text_add(&t, abi < 4 ? ": no TCP or signal scoping (kernel too old)\n" : ": no signal scoping (kernel too old)\n");
        }
    } else {
        note(&t, "Landlock is not available: writes outside the scratch directory are stopped only by file permissions, and exec only by the tracer", 0);
    }
    *available = have;
    return 0;
}

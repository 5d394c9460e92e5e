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
#include <linux/close_range.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
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
#include <sys/vfs.h>
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
    else if (which == LESSONS_SANDBOX_PATH_INNER_ROOT) { target = policy->inner_root; capacity = sizeof policy->inner_root; }
    else if (which == LESSONS_SANDBOX_PATH_READ_ONLY) {
        for (int i = 0; i < LESSONS_SANDBOX_READ_PATHS; i++)
            if (!policy->read_only[i][0]) { target = policy->read_only[i]; capacity = sizeof policy->read_only[i]; break; }
    }
    if (!target || length + 1 > capacity) return -1;
    memcpy(target, path, length + 1);
    return 0;
}

int lessons_sandbox_policy_add_bind(struct lessons_sandbox_policy *policy, const char *from, const char *to) {
    size_t from_length = strlen(from), to_length = strlen(to);
    if (from_length + 1 > sizeof policy->bind_from[0] || to_length + 1 > sizeof policy->bind_to[0]) return -1;
    for (int i = 0; i < LESSONS_SANDBOX_BINDS; i++) {
        if (policy->bind_from[i][0]) continue;
        memcpy(policy->bind_from[i], from, from_length + 1);
        memcpy(policy->bind_to[i], to, to_length + 1);
        return 0;
    }
    return -1;
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

/// Rights that mean something for a file (not a directory): the kernel refuses the others there.
#define LL_FS_FILE_RIGHTS (LL_FS_EXECUTE | LL_FS_WRITE_FILE | LL_FS_READ_FILE | LL_FS_TRUNCATE | LL_FS_IOCTL_DEV)

static int landlock_allow(int ruleset, const char *path, uint64_t rights, uint64_t handled, int optional) {
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0) return optional ? 0 : -1;
    struct stat info;
    if (fstat(fd, &info) == 0 && !S_ISDIR(info.st_mode)) rights &= LL_FS_FILE_RIGHTS;
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

/// `program`: the path the program is executed from (inside the run's private /tmp when it has one).
/// `private_tmp`: /tmp and /dev/shm are the run's own tmpfs (read-write, not executable).
static int apply_landlock(const struct lessons_sandbox_policy *policy, const char *program, int private_tmp,
                          char *error, size_t error_size) {
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
    if (private_tmp) {
        // The run's own tmpfs: its working directory lives inside.
        if (landlock_allow(ruleset, "/tmp", read_write, fs, 0) < 0) {
            int e = errno; close(ruleset); return fail(error, error_size, "landlock_add_rule on the private /tmp", e);
        }
        landlock_allow(ruleset, "/dev/shm", read_write, fs, 1);
    } else if (policy->scratch[0] && landlock_allow(ruleset, policy->scratch, read_write, fs, 0) < 0) {
        int e = errno; close(ruleset); return fail(error, error_size, "landlock_add_rule on the scratch directory", e);
    }
    for (size_t i = 0; i < sizeof devices / sizeof devices[0]; i++)
        landlock_allow(ruleset, devices[i], device, fs, 1);
    if (program[0]) {
        // Without allow_exec, exactly the program and its ELF interpreter may be executed.
        // (Running the interpreter as a program could load another binary; the sandbox's exec
        // watch kills any second exec before the new image runs: see docs/sandbox.md.)
        if (landlock_allow(ruleset, program, LL_FS_EXECUTE | LL_FS_READ_FILE, fs, 0) < 0) {
            int e = errno; close(ruleset); return fail(error, error_size, "landlock_add_rule on the program", e);
        }
        char interpreter[LESSONS_SANDBOX_PATH_MAX];
        elf_interpreter(program, interpreter, sizeof interpreter);
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

/// Writes `text` to the file at `path` (procfs and cgroupfs control files). 0 or -1.
static int write_text(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    size_t length = strlen(text);
    ssize_t written = write(fd, text, length);
    int saved = errno;
    close(fd);
    errno = saved;
    return written == (ssize_t)length ? 0 : -1;
}

/// Copies the file `from` (an open descriptor) to a new file `path`, mode `mode`.
static int copy_file(int from, const char *path, mode_t mode) {
    int out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (out < 0) return -1;
    char buffer[16384];
    ssize_t got;
    int r = 0;
    while ((got = read(from, buffer, sizeof buffer)) != 0) {
        if (got < 0) { if (errno == EINTR) continue; r = -1; break; }
        if (write(out, buffer, (size_t)got) != got) { r = -1; break; }
    }
    int saved = errno;
    fchmod(out, mode);  // umask-proof
    close(out);
    errno = saved;
    return r;
}

/// The run's own file system view (a mount namespace): a private /tmp, size-capped, holding
///   <inner_root>/bin/<program>   a copy of the program, the only file it may execute
///   <inner_root>/work/           its working directory and HOME, the case's files copied in
/// a private /dev/shm, and (when allowed) a /proc of its own processes. The scratch directory's
/// path on the machine is hidden under the new /tmp and appears nowhere in the run's mount table.
static int mount_run(const struct lessons_sandbox_policy *policy, const char *program, const char *work,
                     uid_t owner, gid_t group, char *error, size_t error_size) {
    // Before the new /tmp hides them: the case's files and the program, by descriptor.
    int host_work = open(policy->scratch, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (host_work < 0) return fail(error, error_size, "opening the scratch directory", errno);
    int host_program = open(policy->executable, O_RDONLY | O_CLOEXEC);
    if (host_program < 0) { int e = errno; close(host_work); return fail(error, error_size, "opening the program", e); }
    char options[160];
    struct text t = { options, sizeof options, 0 };
    text_add(&t, "mode=01777,size="); text_add_u64(&t, policy->scratch_bytes);
    text_add(&t, ",nr_inodes="); text_add_u64(&t, policy->scratch_inodes ? policy->scratch_inodes : 16384);
    const char *what = NULL;
    int e = 0;
    char bin[LESSONS_SANDBOX_READ_PATH_MAX + 8];
    struct text b = { bin, sizeof bin, 0 };
    text_add(&b, policy->inner_root); text_add(&b, "/bin");
    if (mount("lessons", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, options) < 0) what = "mounting the run's private /tmp";
    else if (make_directories(bin) < 0) what = "making the run's directories in its /tmp";
    else if (copy_file(host_program, program, 0555) < 0) what = "copying the program into the run's /tmp";
    else if (mkdir(work, 0700) < 0 || chown(work, owner, group) < 0) what = "making the run's working directory";
    else {
        int fresh = open(work, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fresh < 0 || copy_tree(host_work, fresh, owner, group, 0) < 0) what = "copying the case's files into the run's /tmp";
        e = errno;
        if (fresh >= 0) close(fresh);
    }
    if (what && !e) e = errno;
    close(host_work);
    close(host_program);
    if (what) return fail(error, error_size, what, e);
    if (chdir(work) < 0) return fail(error, error_size, "changing into the run's working directory", errno);
    // /dev/shm (shm_open, sem_open) is a directory of the same tmpfs: one budget for every file
    // the run keeps in memory.
    char shm[LESSONS_SANDBOX_READ_PATH_MAX + 8];
    struct text m = { shm, sizeof shm, 0 };
    text_add(&m, policy->inner_root); text_add(&m, "/shm");
    if (mkdir(shm, 01777) < 0 || chmod(shm, 01777) < 0)
        return fail(error, error_size, "making the run's /dev/shm", errno);
    if (mount(shm, "/dev/shm", NULL, MS_BIND, NULL) < 0)
        return fail(error, error_size, "binding the run's /dev/shm", errno);
    (void)mount(NULL, "/dev/shm", NULL, MS_BIND | MS_REMOUNT | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    return 0;
}

/// A private /tmp for a confined helper (the compiler), with the machine's paths it needs bound
/// in at fixed places: its working directory, the Swift module cache, a compiler named by a
/// path inside the machine's /tmp.
static int mount_binds(const struct lessons_sandbox_policy *policy, char *error, size_t error_size) {
    int fds[LESSONS_SANDBOX_BINDS];
    int count = 0;
    for (; count < LESSONS_SANDBOX_BINDS && policy->bind_from[count][0]; count++) {
        fds[count] = open(policy->bind_from[count], O_PATH | O_CLOEXEC);
        if (fds[count] < 0) {
            int e = errno;
            while (count--) close(fds[count]);
            return fail(error, error_size, "opening a directory to bind into the private /tmp", e);
        }
    }
    char options[96];
    struct text t = { options, sizeof options, 0 };
    text_add(&t, "mode=01777,size="); text_add_u64(&t, policy->scratch_bytes ? policy->scratch_bytes : 16u << 20);
    text_add(&t, ",nr_inodes=4096");
    const char *what = NULL;
    int e = 0;
    if (mount("lessons", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, options) < 0) { what = "mounting a private /tmp"; e = errno; }
    // The machine's /dev/shm holds the scratch folders of other runs and compiles (ScratchParent
    // in the Sandbox module): a directory of the private /tmp takes its place.
    struct stat shm;
    if (!what && stat("/dev/shm", &shm) == 0 && S_ISDIR(shm.st_mode) &&
        ((mkdir("/tmp/.shm", 01777) < 0 && errno != EEXIST) || chmod("/tmp/.shm", 01777) < 0 ||
         mount("/tmp/.shm", "/dev/shm", NULL, MS_BIND, NULL) < 0)) {
        what = "hiding the machine's /dev/shm"; e = errno;
    }
    for (int i = 0; i < count && !what; i++) {
        struct stat info;
        char source[32];
        struct text s = { source, sizeof source, 0 };
        text_add(&s, "/proc/self/fd/"); text_add_int(&s, fds[i]);
        int is_directory = fstat(fds[i], &info) == 0 && S_ISDIR(info.st_mode);
        int r;
        if (is_directory) {
            r = make_directories(policy->bind_to[i]);
        } else {
            char parent[LESSONS_SANDBOX_READ_PATH_MAX];
            memcpy(parent, policy->bind_to[i], sizeof parent);
            char *slash = strrchr(parent, '/');
            if (slash && slash != parent) *slash = 0;
            r = make_directories(parent);
            if (r == 0) {
                int placeholder = open(policy->bind_to[i], O_WRONLY | O_CREAT | O_CLOEXEC, 0444);
                if (placeholder < 0) r = -1; else close(placeholder);
            }
        }
        if (r == 0) r = mount(source, policy->bind_to[i], NULL, MS_BIND | MS_REC, NULL);
        // A file (a compiler named by path) is read-only inside; in a user namespace the kernel
        // may refuse to change a bind's flags (locked): its owner's rights then decide.
        if (r == 0 && !is_directory)
            (void)mount(NULL, policy->bind_to[i], NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL);
        if (r < 0) { what = "binding a directory into the private /tmp"; e = errno; }
    }
    for (int i = 0; i < count; i++) close(fds[i]);
    if (what) return fail(error, error_size, what, e);
    if (count > 0 && chdir(policy->bind_to[0]) < 0 && errno != ENOTDIR)
        return fail(error, error_size, "changing into the bound working directory", errno);
    return 0;
}

/// Writes a one-line id map ("ID ID 1": the caller's own id, the only one an unprivileged
/// process may map) into a fresh user namespace, so files keep their owner inside.
static int map_own_ids(uid_t uid, gid_t gid, char *error, size_t error_size) {
    char line[64];
    struct text t = { line, sizeof line, 0 };
    if (write_text("/proc/self/setgroups", "deny") < 0 && errno != ENOENT)
        return fail(error, error_size, "writing /proc/self/setgroups", errno);
    text_add_u64(&t, uid); text_add(&t, " "); text_add_u64(&t, uid); text_add(&t, " 1\n");
    if (write_text("/proc/self/uid_map", line) < 0) return fail(error, error_size, "writing /proc/self/uid_map", errno);
    t.length = 0;
    text_add_u64(&t, gid); text_add(&t, " "); text_add_u64(&t, gid); text_add(&t, " 1\n");
    if (write_text("/proc/self/gid_map", line) < 0) return fail(error, error_size, "writing /proc/self/gid_map", errno);
    return 0;
}

/// After unshare(CLONE_NEWPID): forks the namespace's pid 1, which returns 0 and goes on with
/// the set-up. The caller's process stays outside as a relay: it waits for pid 1 and ends as
/// it ends (same exit code, same signal), never returning. pid 1 dies with the relay
/// (PR_SET_PDEATHSIG), and the kernel kills everything in the namespace when pid 1 dies: a
/// killed relay takes every process the confined program started with it.
static int become_namespace_init(char *error, size_t error_size) {
    int alive[2];
    if (pipe2(alive, O_CLOEXEC) < 0) return fail(error, error_size, "pipe for the pid namespace", errno);
    pid_t child = fork();
    if (child < 0) { int e = errno; close(alive[0]); close(alive[1]); return fail(error, error_size, "forking the pid namespace's first process", e); }
    if (child == 0) {
        close(alive[1]);
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0) _exit(127);
        // The relay may have died before the line above: its end of the pipe is then closed.
        struct pollfd gone = { .fd = alive[0], .events = POLLIN };
        if (poll(&gone, 1, 0) != 0) _exit(127);
        return 0;  // alive[0] stays open until exec (close-on-exec)
    }
    close(alive[0]);
    // The relay holds nothing the caller waits on (a pipe's end, a file), only pid 1.
    for (int fd = 0; fd < 3; fd++) close(fd);
    struct rlimit none = { 0, 0 };
    setrlimit(RLIMIT_CORE, &none);
    int status = 0;
    while (waitpid(child, &status, 0) < 0)
        if (errno != EINTR) _exit(127);
    if (WIFEXITED(status)) _exit(WEXITSTATUS(status));
    int sig = WIFSIGNALED(status) ? WTERMSIG(status) : SIGKILL;
    signal(sig, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    kill(getpid(), sig);
    _exit(128 + sig);
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
// CLONE_UNTRACED makes a child the tracer does not follow (it could do the work unseen, or
// hang the tracer); CLONE_PARENT makes a child of the tracer's own thread. Neither is needed.
#define CLONE_REFUSED (CLONE_NAMESPACES | CLONE_UNTRACED | CLONE_PARENT)

static int apply_seccomp(const struct lessons_sandbox_policy *policy, int has_net_ns, char *error, size_t error_size) {
    enum { N = sizeof denied_syscalls / sizeof denied_syscalls[0] };
    struct sock_filter program[2 * N + 48];  // two instructions per denied call, plus the fixed parts
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
    // clone with namespace flags, CLONE_UNTRACED or CLONE_PARENT (all in the low 32 bits).
    program[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 3);
    program[n++] = (struct sock_filter)LOAD_ARG0_LOW;
    program[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_REFUSED, 0, 1);
    program[n++] = (struct sock_filter)DENY(EPERM);
    program[n++] = (struct sock_filter)LOAD_NR;
    if (!policy->allow_network) {
        // socket(): no AF_UNIX socket at all. Landlock cannot stop connect() to a socket file on
        // the machine (a database's, dbus's), and seccomp cannot read connect()'s address; a
        // program without AF_UNIX sockets reaches none. Without a network namespace, no
        // Internet or raw sockets either.
        int families[4];
        int count = 0;
        families[count++] = AF_UNIX;
        if (!has_net_ns) { families[count++] = AF_INET; families[count++] = AF_INET6; families[count++] = AF_PACKET; }
        size_t test = n;
        program[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_socket, 0, 0);  // jf set below
        program[n++] = (struct sock_filter)LOAD_ARG0_LOW;
        for (int i = 0; i < count; i++)
            program[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)families[i],
                                                        (unsigned char)(count - i), 0);
        program[n++] = (struct sock_filter)ALLOW;
        program[n++] = (struct sock_filter)DENY(EACCES);
        program[test].jf = (unsigned char)(n - test - 1);
        // socketpair(): only connected pairs that cannot be pointed elsewhere (SOCK_STREAM,
        // SOCK_SEQPACKET). A datagram pair could sendto() or connect() any socket file.
        program[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_socketpair, 0, 6);
        program[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[1]));
        program[n++] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xf);
        program[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SOCK_STREAM, 2, 0);
        program[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SOCK_SEQPACKET, 1, 0);
        program[n++] = (struct sock_filter)DENY(EACCES);
        program[n++] = (struct sock_filter)ALLOW;
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
    if (p->cpu_seconds && limit(RLIMIT_CPU, p->cpu_seconds, p->cpu_hard_seconds > p->cpu_seconds ? p->cpu_hard_seconds : p->cpu_seconds + 1,
                                "setrlimit(RLIMIT_CPU)", error, error_size) < 0) return -1;
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
int lessons_sandbox_child_start(const struct lessons_sandbox_policy *policy, int parent, char *error, size_t error_size) {
    if (error_size) error[0] = 0;
    // Die with the thread that forked us (the compile's waiter): whatever kills the grader, a
    // child stopped before its exec cannot outlive it. Gone already: die now.
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0) return fail(error, error_size, "prctl(PR_SET_PDEATHSIG)", errno);
    if (getppid() != parent) _exit(127);
    return lessons_sandbox_join_cgroups(policy, error, error_size);
}

int lessons_sandbox_join_cgroups(const void *context, char *error, size_t error_size) {
    const struct lessons_sandbox_policy *policy = context;
    if (error_size) error[0] = 0;
    if (policy && policy->enabled) {
        for (int i = 0; i < policy->cgroup_count && i < LESSONS_SANDBOX_CGROUPS; i++) {
            // "0": the writing process (v2 cgroup.procs) or thread (v1 tasks), here the same:
            // fork left one thread. Children made from now on are born inside.
            if (write(policy->cgroup_procs[i], "0\n", 2) != 2)
                return fail(error, error_size, "joining the run's cgroup", errno);
        }
    }
    return 0;
}

int lessons_sandbox_confine(const void *context, char *error, size_t error_size) {
    if (!context) return 0;
    return lessons_sandbox_enter(context, error, error_size);
}

int lessons_sandbox_enter(const struct lessons_sandbox_policy *policy, char *error, size_t error_size) {
    if (error_size) error[0] = 0;
    if (!policy->enabled) return 0;
    uint32_t want = policy->mechanisms;
    uid_t own_uid = getuid();
    gid_t own_gid = getgid();

    // Descriptors the grader holds must not reach the program.
    syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);

    // Its own session and process group: kill(0, …) and the terminal's signals stay inside.
    setsid();

    if ((want & LESSONS_SANDBOX_NO_NEW_PRIVS) && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        return fail(error, error_size, "prctl(PR_SET_NO_NEW_PRIVS)", errno);

    int join_network = policy->join_network && (want & LESSONS_SANDBOX_NET_NS) && !policy->allow_network;
    if (join_network) {
        // Entering the owner gives this (single-threaded) process every capability there, which
        // setns to its network namespace needs; the unshare below then nests a user namespace of
        // the run's own in it, as without a shared network.
        if ((want & LESSONS_SANDBOX_USER_NS) && setns(policy->network_owner_fd, CLONE_NEWUSER) < 0)
            return fail(error, error_size, "entering the user namespace of the shared network namespace", errno);
        if (setns(policy->network_fd, CLONE_NEWNET) < 0)
            return fail(error, error_size, "joining the shared network namespace", errno);
    }
    int join_uts = join_network && (want & LESSONS_SANDBOX_UTS_NS) && policy->network_uts_fd >= 0;
    if (join_uts && setns(policy->network_uts_fd, CLONE_NEWUTS) < 0)
        return fail(error, error_size, "joining the shared host-name namespace", errno);
    int flags = 0;
    if (want & LESSONS_SANDBOX_USER_NS) flags |= CLONE_NEWUSER;
    if ((want & LESSONS_SANDBOX_NET_NS) && !policy->allow_network && !join_network) flags |= CLONE_NEWNET;
    if (want & LESSONS_SANDBOX_IPC_NS) flags |= CLONE_NEWIPC;
    if ((want & LESSONS_SANDBOX_UTS_NS) && !join_uts) flags |= CLONE_NEWUTS;
    if (want & LESSONS_SANDBOX_PID_NS) flags |= CLONE_NEWPID;
    if (want & LESSONS_SANDBOX_MOUNT_NS) flags |= CLONE_NEWNS;
    if (flags && unshare(flags) < 0) return fail(error, error_size, "unshare (new namespaces)", errno);
    if ((want & LESSONS_SANDBOX_USER_NS) && map_own_ids(own_uid, own_gid, error, error_size) < 0) return -1;
    if ((want & LESSONS_SANDBOX_PID_NS) && become_namespace_init(error, error_size) < 0) return -1;

    // The run's own /tmp (its program and working directory inside), /dev/shm and /proc.
    char program[LESSONS_SANDBOX_PATH_MAX];
    memcpy(program, policy->executable, sizeof program);
    int private_tmp = 0;
    if (want & LESSONS_SANDBOX_MOUNT_NS) {
        // Nothing we mount may propagate back to the machine.
        if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
            return fail(error, error_size, "making the mounts private", errno);
        if (policy->scratch_bytes && policy->inner_root[0] && policy->scratch[0] && policy->executable[0]) {
            const char *name = strrchr(policy->executable, '/');
            char work[LESSONS_SANDBOX_PATH_MAX];
            struct text p = { program, sizeof program, 0 }, w = { work, sizeof work, 0 };
            text_add(&p, policy->inner_root); text_add(&p, "/bin/"); text_add(&p, name ? name + 1 : policy->executable);
            text_add(&w, policy->inner_root); text_add(&w, "/work");
            int drop = (want & LESSONS_SANDBOX_DROP_UID) != 0;
            if (mount_run(policy, program, work, drop ? policy->uid : (uid_t)-1, drop ? policy->gid : (gid_t)-1,
                          error, error_size) < 0) return -1;
            private_tmp = 1;
        } else if (policy->bind_from[0][0]) {
            if (mount_binds(policy, error, error_size) < 0) return -1;
            private_tmp = 1;
        }
        // A /proc that lists only the run's own processes (hidepid=invisible, Linux 5.8+): other
        // people's command lines (paths of other submissions) are not the program's business.
        if ((want & LESSONS_SANDBOX_PRIVATE_PROC) &&
            mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "hidepid=invisible") < 0)
            return fail(error, error_size, "mounting /proc with hidepid=invisible", errno);
    }

    if ((want & LESSONS_SANDBOX_LANDLOCK) && apply_landlock(policy, program, private_tmp, error, error_size) < 0) return -1;

    if (want & LESSONS_SANDBOX_DROP_UID) {
        if (setgroups(0, NULL) < 0) return fail(error, error_size, "setgroups", errno);
        if (setresgid(policy->gid, policy->gid, policy->gid) < 0) return fail(error, error_size, "setresgid", errno);
        if (setresuid(policy->uid, policy->uid, policy->uid) < 0) return fail(error, error_size, "setresuid", errno);
    }

    if ((want & LESSONS_SANDBOX_RLIMITS) && apply_rlimits(policy, error, error_size) < 0) return -1;

    // A change of credentials cleared the parent-death signal: set it again.
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0) return fail(error, error_size, "prctl(PR_SET_PDEATHSIG)", errno);

    if (want & LESSONS_SANDBOX_SECCOMP) {
        int has_net_ns = join_network || (flags & CLONE_NEWNET) != 0;
        if (apply_seccomp(policy, has_net_ns, error, error_size) < 0) return -1;
    }
    return 0;
}

// ---- the network namespace every run of the process shares ----
int lessons_sandbox_make_network(int in_user_namespace, int with_uts, int *network_fd, int *owner_fd, int *uts_fd,
                                 char *error, size_t error_size) {
    if (error_size) error[0] = 0;
    *network_fd = -1;
    *owner_fd = -1;
    *uts_fd = -1;
    uid_t uid = getuid();
    gid_t gid = getgid();
    int ready[2], release[2];
    if (pipe2(ready, O_CLOEXEC) < 0) return fail(error, error_size, "pipe for the shared network namespace", errno);
    if (pipe2(release, O_CLOEXEC) < 0) {
        int e = errno;
        close(ready[0]); close(ready[1]);
        return fail(error, error_size, "pipe for the shared network namespace", e);
    }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(ready[0]); close(ready[1]); close(release[0]); close(release[1]);
        return fail(error, error_size, "forking the maker of the shared network namespace", e);
    }
    if (pid == 0) {
        close(ready[0]);
        close(release[1]);
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent) _exit(1);
        char ignored[128];
        int r = unshare(CLONE_NEWNET | (in_user_namespace ? CLONE_NEWUSER : 0) | (with_uts ? CLONE_NEWUTS : 0));
        if (r == 0 && in_user_namespace) r = map_own_ids(uid, gid, ignored, sizeof ignored);
        unsigned char status = r == 0 ? 0 : (unsigned char)(errno > 0 && errno < 256 ? errno : EINVAL);
        if (write(ready[1], &status, 1) != 1) _exit(1);
        // Alive until the parent has opened its namespaces (then they live on by the descriptors).
        unsigned char byte;
        while (read(release[0], &byte, 1) < 0 && errno == EINTR) {}
        _exit(0);
    }
    close(ready[1]);
    close(release[0]);
    unsigned char status = 0;
    ssize_t got;
    while ((got = read(ready[0], &status, 1)) < 0 && errno == EINTR) {}
    int result = 0;
    if (got != 1) result = fail(error, error_size, "making the shared network namespace (its maker died)", 0);
    else if (status) result = fail(error, error_size, "making the shared network namespace", status);
    else {
        char path[64];
        struct text t = { path, sizeof path, 0 };
        text_add(&t, "/proc/"); text_add_u64(&t, (uint64_t)pid); text_add(&t, "/ns/net");
        *network_fd = open(path, O_RDONLY | O_CLOEXEC);
        if (*network_fd < 0) result = fail(error, error_size, "opening the shared network namespace", errno);
        if (result == 0 && in_user_namespace) {
            t.length = 0;
            text_add(&t, "/proc/"); text_add_u64(&t, (uint64_t)pid); text_add(&t, "/ns/user");
            *owner_fd = open(path, O_RDONLY | O_CLOEXEC);
            if (*owner_fd < 0) result = fail(error, error_size, "opening the shared network namespace's user namespace", errno);
        }
        if (result == 0 && with_uts) {
            t.length = 0;
            text_add(&t, "/proc/"); text_add_u64(&t, (uint64_t)pid); text_add(&t, "/ns/uts");
            *uts_fd = open(path, O_RDONLY | O_CLOEXEC);
            if (*uts_fd < 0) result = fail(error, error_size, "opening the shared host-name namespace", errno);
        }
        if (result < 0) {
            if (*network_fd >= 0) close(*network_fd);
            if (*owner_fd >= 0) close(*owner_fd);
            *network_fd = -1;
            *owner_fd = -1;
        }
    }
    close(release[1]);
    close(ready[0]);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {}
    return result;
}

// ---- killing whatever a run's uid left behind ----
int lessons_sandbox_kill_uid(uint32_t uid) {
    if (uid == 0 || geteuid() != 0) { errno = EPERM; return -1; }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent) _exit(1);
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
    int root = geteuid() == 0;
    uid_t uid = getuid();
    gid_t gid = getgid();
    pid_t pid = fork();
    if (pid < 0) return errno ? errno : EAGAIN;
    if (pid == 0) {
        int r = 0;
        char ignored[128];
        switch (mechanism) {
        case LESSONS_SANDBOX_NO_NEW_PRIVS: r = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); break;
        case LESSONS_SANDBOX_USER_NS: r = unshare(CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS); break;
        case LESSONS_SANDBOX_NET_NS: r = unshare(CLONE_NEWNET); break;
        case LESSONS_SANDBOX_IPC_NS: r = unshare(CLONE_NEWIPC); break;
        case LESSONS_SANDBOX_UTS_NS: r = unshare(CLONE_NEWUTS); break;
        case LESSONS_SANDBOX_MOUNT_NS:
        case LESSONS_SANDBOX_PRIVATE_PROC:
            r = unshare(CLONE_NEWNS | (root ? 0 : CLONE_NEWUSER));
            if (r == 0 && !root) r = map_own_ids(uid, gid, ignored, sizeof ignored);
            if (r == 0) r = mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
            if (r == 0) r = mount("lessons-probe", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=65536");
            if (r == 0) r = mount("lessons-probe", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "size=65536");
            if (r == 0 && mechanism == LESSONS_SANDBOX_PRIVATE_PROC)
                r = mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "hidepid=invisible");
            break;
        case LESSONS_SANDBOX_PID_NS: {
            r = unshare(CLONE_NEWPID | CLONE_NEWNS | (root ? 0 : CLONE_NEWUSER));
            if (r == 0 && !root) r = map_own_ids(uid, gid, ignored, sizeof ignored);
            if (r < 0) break;
            pid_t init = fork();
            if (init < 0) { r = -1; break; }
            if (init == 0) {
                int m = mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
                if (m == 0) m = mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "hidepid=invisible");
                _exit(m < 0 ? (errno & 0xff ? errno & 0xff : 1) : 0);
            }
            int status = 0;
            while (waitpid(init, &status, 0) < 0 && errno == EINTR) {}
            _exit(WIFEXITED(status) ? WEXITSTATUS(status) : EFAULT);
        }
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
    return lessons_sandbox_probe_known(0, available, landlock_abi, notes, notes_size);
}

/// A mechanism in `known` is taken as working; any other is tried in a child.
static int try_unless_known(uint32_t known, uint32_t mechanism) {
    return (known & mechanism) == mechanism ? 0 : try_in_child(mechanism);
}

int lessons_sandbox_probe_known(uint32_t known, uint32_t *available, int *landlock_abi, char *notes, size_t notes_size) {
    struct text t = { notes, notes_size, 0 };
    if (notes_size) notes[0] = 0;
    uint32_t have = LESSONS_SANDBOX_RLIMITS;
    int root = geteuid() == 0;
    int e;
    if ((e = try_unless_known(known, LESSONS_SANDBOX_NO_NEW_PRIVS)) == 0) have |= LESSONS_SANDBOX_NO_NEW_PRIVS;
    else note(&t, "PR_SET_NO_NEW_PRIVS is not available", e);
    if ((e = try_unless_known(known, LESSONS_SANDBOX_SECCOMP)) == 0) have |= LESSONS_SANDBOX_SECCOMP;
    else note(&t, "seccomp filters are not available: dangerous syscalls (ptrace, mount, bpf, ...), untraced clones and UNIX sockets are not denied", e);
    if (root) {
        if ((e = try_unless_known(known, LESSONS_SANDBOX_DROP_UID)) == 0) have |= LESSONS_SANDBOX_DROP_UID;
        else note(&t, "cannot switch to an unprivileged uid: the program runs as root", e);
        if ((e = try_unless_known(known, LESSONS_SANDBOX_NET_NS)) == 0) have |= LESSONS_SANDBOX_NET_NS;
        else note(&t, "no network namespace: Internet sockets are denied by seccomp instead", e);
        if ((e = try_unless_known(known, LESSONS_SANDBOX_IPC_NS)) == 0) have |= LESSONS_SANDBOX_IPC_NS;
        else note(&t, "no IPC namespace: System V IPC is shared with the machine", e);
        if ((e = try_unless_known(known, LESSONS_SANDBOX_UTS_NS)) == 0) have |= LESSONS_SANDBOX_UTS_NS;
    } else {
        note(&t, "not running as root: programs and compilers run as your own user (no separate uid, no kill by uid); Landlock, namespaces and seccomp confine them", 0);
        if ((e = try_unless_known(known, LESSONS_SANDBOX_USER_NS)) == 0)
            have |= LESSONS_SANDBOX_USER_NS | LESSONS_SANDBOX_NET_NS | LESSONS_SANDBOX_IPC_NS | LESSONS_SANDBOX_UTS_NS;
        else note(&t, "no user namespaces: no network namespace (Internet sockets are denied by seccomp instead), no IPC namespace, no size-capped scratch space, and compilers share the machine's /proc", e);
    }
    if (root || (have & LESSONS_SANDBOX_USER_NS)) {
        if ((e = try_unless_known(known, LESSONS_SANDBOX_MOUNT_NS)) == 0) have |= LESSONS_SANDBOX_MOUNT_NS;
        else note(&t, "no mount namespace: the scratch directory is not a size-capped tmpfs (disk use is bounded only per file), shm_open and tmpfile() fail, and the run sees the machine's paths", e);
        if ((e = try_unless_known(known, LESSONS_SANDBOX_PID_NS)) == 0) have |= LESSONS_SANDBOX_PID_NS;
        else note(&t, "no pid namespace for compilers: a compiler's helper processes end with it only through the process group", e);
    }
    if (root) {
        if ((e = try_unless_known(known, LESSONS_SANDBOX_PRIVATE_PROC)) == 0) have |= LESSONS_SANDBOX_PRIVATE_PROC;
        else note(&t, "no private /proc: programs see every process of the machine (not their files: other uid)", e);
    } else {
        // A fresh /proc needs a pid namespace of our own, which a traced program must not have.
        note(&t, "not root: a program's /proc lists your other processes (their command lines; Landlock keeps their memory and environment out of reach)", 0);
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

long lessons_filesystem_type(const char *path) {
    struct statfs info;
    if (statfs(path, &info) != 0) return -1;
    return (long)info.f_type;
}

// Whether a failed compile was the disk's fault (full, over quota, read-only) rather than the
// program's. Decided by asking the file system about the folder the compiler writes in, never
// by reading the compiler's messages: those quote the learner's own text, and a file holding
// only `#error "No space left on device"` must stay a compile error.

#if canImport(Glibc)
import Glibc
#endif

enum DiskFault {
    /// Room a compile of one exercise needs at least (its object file, binary and temporaries
    /// are a few hundred KiB; a disk that cannot give this much made the compile fail).
    static let roomNeeded = 4 << 20

    /// nil when `directory`'s file system can take `bytes` more; else why not, in strerror's words.
    static func check(_ directory: String, room bytes: Int = roomNeeded) -> String? {
        var info = statvfs()
        if statvfs(directory, &info) == 0 {
            if info.f_flag & UInt(ST_RDONLY) != 0 { return String(cString: strerror(EROFS)) }
            if info.f_files > 0 && info.f_favail == 0 { return String(cString: strerror(ENOSPC)) + " (no free inodes)" }
            // What an unprivileged writer may still use (root may dig into reserved blocks; the
            // compiler need not run as root).
            if UInt64(info.f_bavail) * UInt64(info.f_frsize) < UInt64(bytes) { return String(cString: strerror(ENOSPC)) }
        }
        // Then the room itself, as a write would take it: quotas count, and so does tmpfs's size.
        let probe = "\(directory)/.lessons-space-probe-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let code = errno
            return [ENOSPC, EDQUOT, EROFS].contains(code) ? String(cString: strerror(code)) : nil
        }
        defer { close(fd); unlink(probe) }
        let code = posix_fallocate(fd, 0, off_t(bytes))
        return code == ENOSPC || code == EDQUOT ? String(cString: strerror(code)) : nil
    }
}

// Facts about this machine that are slow to learn and rarely change (which isolation
// mechanisms work; which compiler `cc` is), kept between runs in small files of the tool's
// cache directory. Each file says what it was learned under (a key) and is used only when that
// key still holds; anything unexpected (another owner, writable by others, too long, garbled,
// another key) is ignored and the fact learned again: a file can cost a re-learn, never a
// wrong answer. Files are replaced whole (a new file renamed over the old), so a reader never
// sees half of one.
import Glibc

package enum MachineFacts {
    /// `$LESSONS_CACHE`, else `$XDG_CACHE_HOME/lessons`, else `~/.cache/lessons` (the compile
    /// cache's directory too).
    package static func cacheDirectory(environment: (String) -> String?) -> String {
        if let path = environment("LESSONS_CACHE"), !path.isEmpty { return path }
        if let xdg = environment("XDG_CACHE_HOME"), xdg.hasPrefix("/") { return xdg + "/lessons" }
        if let home = environment("HOME"), !home.isEmpty { return home + "/.cache/lessons" }
        if let entry = getpwuid(geteuid()), let directory = entry.pointee.pw_dir {
            return String(cString: directory) + "/.cache/lessons"
        }
        return "/tmp/lessons-cache-\(geteuid())"
    }

    /// The cache directory under this process's environment.
    package static var cacheDirectory: String {
        cacheDirectory { name in getenv(name).map { String(cString: $0) } }
    }

    /// The largest fact file read.
    static let maximumBytes = 16 * 1024

    /// The value stored under `key` in `path`, if the file is ours, private, intact and was
    /// written under that very key.
    package static func read(_ path: String, key: String) -> String? {
        guard let text = readPrivateFile(path) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        // "lessons-fact 1", the key, the value, an end marker: a cut file has no end marker.
        guard lines.count == 5, lines[0] == "lessons-fact 1", lines[1] == Substring(oneLine(key)),
              lines[3] == "end", lines[4].isEmpty else { return nil }
        return String(lines[2])
    }

    /// Stores `value` (one line) under `key` in `path`, replacing the file whole. Failures are
    /// ignored: the fact is learned again next time.
    package static func write(_ path: String, key: String, value: String) {
        writeWhole(path, Array("lessons-fact 1\n\(oneLine(key))\n\(oneLine(value))\nend\n".utf8))
    }

    /// Replaces `path` whole with `bytes` (a new private file renamed over it), making its
    /// directory if needed. Failures are ignored: it is only a cache.
    package static func writeWhole(_ path: String, _ bytes: [UInt8]) {
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        guard !directory.isEmpty, makeDirectories(directory) else { return }
        let temporary = "\(path).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { return }
        var offset = 0
        var failed = false
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { failed = true; break }
            offset += written
        }
        if close(fd) != 0 || failed || rename(temporary, path) != 0 {
            unlink(temporary)
        }
    }

    /// Removes a fact file (it was found wrong).
    package static func forget(_ path: String) {
        unlink(path)
    }

    /// A file's text, only if it is a regular file of ours that no one else may write, and small.
    static func readPrivateFile(_ path: String) -> String? {
        guard let bytes = readPrivateData(path, limit: maximumBytes) else { return nil }
        // Valid UTF-8 only: a garbled file is no file.
        return String(validating: bytes, as: UTF8.self)
    }

    /// A file's bytes, only if it is a regular file of ours that no one else may write, of at
    /// most `limit` bytes.
    package static func readPrivateData(_ path: String, limit: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == geteuid(),
              info.st_mode & 0o022 == 0, info.st_size <= limit else { return nil }
        // One byte more than its size: a file that grew while read is refused.
        var buffer = [UInt8](repeating: 0, count: Int(info.st_size) + 1)
        var total = 0
        while total < buffer.count {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + total, $0.count - total) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 { return nil }
            if count == 0 { break }
            total += count
        }
        guard total == Int(info.st_size) else { return nil }
        buffer.removeLast()
        return buffer
    }

    static func oneLine(_ text: String) -> String {
        String(text.map { $0 == "\n" || $0 == "\r" ? " " : $0 })
    }

    /// `mkdir -p` with mode 0700 for what it creates.
    static func makeDirectories(_ path: String) -> Bool {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") where !component.isEmpty {
            current += "/" + component
            if mkdir(current, 0o700) != 0 && errno != EEXIST { return false }
        }
        return true
    }

    /// A small file's first line (a /proc or /sys value), or "-" when it cannot be read.
    static func firstLine(_ path: String) -> String {
        guard let text = readSmallFile(path) else { return "-" }
        return String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
    }

    /// What identifies this boot of this kernel for this user in this container: the kernel
    /// release, the boot id, the effective uid, the user and mount namespaces, the sysctls that
    /// allow or forbid user namespaces, and this executable (another build may probe otherwise).
    static func bootKey() -> String {
        var name = utsname()
        uname(&name)
        let release = withUnsafeBytes(of: name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        func link(_ path: String) -> String {
            var buffer = [CChar](repeating: 0, count: 256)
            let count = readlink(path, &buffer, buffer.count - 1)
            return count > 0 ? String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) : "-"
        }
        var executable = stat()
        let exe = stat("/proc/self/exe", &executable) == 0
            ? "\(executable.st_dev):\(executable.st_ino):\(executable.st_size):\(executable.st_mtim.tv_sec).\(executable.st_mtim.tv_nsec)"
            : "-"
        let sysctls = ["/proc/sys/kernel/unprivileged_userns_clone", "/proc/sys/user/max_user_namespaces",
                       "/proc/sys/kernel/apparmor_restrict_unprivileged_userns", "/proc/sys/kernel/seccomp/actions_avail"]
        return (["linux", release, firstLine("/proc/sys/kernel/random/boot_id"), "euid", String(geteuid()),
                 link("/proc/self/ns/user"), link("/proc/self/ns/mnt"), "exe", exe] + sysctls.map(firstLine))
            .joined(separator: " ")
    }
}

// The fresh directory one run works in, removed afterwards (even on errors):
//   PARENT/lessons-run-XXXXXX/    root-owned 0711 (PARENT: ScratchParent.directory)
//       bin/<program>             a read-only copy of the program (the only file it may execute)
//       work/                     the working directory and HOME: the only place it may write,
//                                 owned by the run's uid when the tool runs as root
//       owner                     "<pid> <start time>" of the grader, locked (flock) by it while
//                                 the run lasts: a grader killed mid-run cannot remove its
//                                 directory, so the next grader does (`staleSwept`) once the
//                                 lock is free (a pid alone could be reused, or belong to
//                                 another pid namespace)
import CLessonsPtrace
import CLessonsSandbox
import Glibc
import Synchronization

package struct ScratchDirectory {
    let root: String
    package let work: String
    let executable: String
    /// The open, locked `owner` file (closed by `remove`).
    private var ownerLock: Int32 = -1

    /// A directory for a confined compile of C (ConfinedProcess): `work` is its working directory.
    /// (A Swift compile works in the compile cache, where it hard-links the shared module cache.)
    package static func forCompile() throws -> ScratchDirectory {
        try ScratchDirectory(program: nil, files: [:], owner: nil)
    }

    /// Makes the directory, copies the program, places the case's files.
    init(program: String?, files: [String: String], owner: (uid: uid_t, gid: gid_t)?) throws {
        // A sweep started early goes on beside the run (it leaves live graders' directories).
        if !ScratchDirectory.sweepStarted.load(ordering: .acquiring) { _ = ScratchDirectory.staleSwept }
        let parent = ScratchParent.directory
        var template = Array("\(parent)/lessons-run-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw SandboxError("cannot create a scratch directory in \(parent): \(lastError()); check that \(parent) is writable")
        }
        root = String(cString: made)
        work = root + "/work"
        let name = program?.split(separator: "/").last.map(String.init) ?? "program"
        executable = program == nil ? "" : root + "/bin/" + name
        do {
            chmod(root, 0o711)
            let marker = open(root + "/owner", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if marker >= 0 {
                _ = flock(marker, LOCK_EX)
                try? ScratchDirectory.writeAll(marker, Array("\(getpid()) \(ProcessStart.own)\n".utf8), path: root + "/owner")
                ownerLock = marker
            }
            if let program {
                try ScratchDirectory.makeDirectory(root + "/bin", mode: 0o755)
                try ScratchDirectory.copy(program, to: executable)
            }
            try ScratchDirectory.makeDirectory(work, mode: 0o700)
            for (path, contents) in files.sorted(by: { $0.key < $1.key }) {
                try place(path, contents)
            }
            if let owner {
                try ScratchDirectory.chownTree(work, uid: owner.uid, gid: owner.gid)
            }
        } catch {
            remove()
            throw error
        }
    }

    /// Removes everything, whatever the program left (read-only directories, symlinks out,
    /// fifos): symlinks are unlinked, never followed.
    package func remove() {
        ScratchDirectory.removeTree(root)
        if ownerLock >= 0 { close(ownerLock) }
    }

    private func place(_ relative: String, _ contents: String) throws {
        let parts = relative.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard !relative.hasPrefix("/"), !parts.isEmpty, !parts.contains(".."), !parts.contains(".") else {
            throw SandboxError("case file name \"\(relative)\" must be a relative path without . or ..; fix the exercise's files")
        }
        var directory = work
        for part in parts.dropLast() {
            directory += "/" + part
            if access(directory, F_OK) != 0 { try ScratchDirectory.makeDirectory(directory, mode: 0o755) }
        }
        let path = directory + "/" + parts.last!
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw SandboxError("cannot write case file \(path): \(lastError())") }
        defer { close(fd) }
        try ScratchDirectory.writeAll(fd, Array(contents.utf8), path: path)
    }

    /// Once per process: removes scratch directories whose grader is gone (killed mid-run): its
    /// lock on `owner` is free and its pid no longer runs with the same start time. (A grader of
    /// an older version wrote its pid alone and took no lock: then the pid decides.)
    static let staleSwept: Bool = {
        for parent in ScratchParent.all { sweepStale(in: parent) }
        return true
    }()

    static let sweepStarted = Atomic<Bool>(false)

    /// Starts the sweep now on a thread of its own (listing a crowded /tmp takes milliseconds);
    /// runs do not wait for it (it removes only directories whose grader is gone, never theirs).
    /// The thread runs at the lowest priority (nice 19): listing a /tmp of 1500 entries took
    /// ~1.5 ms of CPU, at the moment a check's compile, sandbox set-up and parse compete for the
    /// CPUs. A sweep cut short by the process's end leaves the `owner` file of what it had not
    /// finished removing, for the next sweep.
    static func sweepEarly() {
        guard !sweepStarted.exchange(true, ordering: .acquiringAndReleasing) else { return }
        var thread = pthread_t()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        _ = pthread_create(&thread, &attributes, { _ in
            // The parents first, at the normal priority: choosing them reads the isolation probe,
            // and a compile waiting for either once-initialised value would otherwise wait for a
            // thread the CPUs are not given to.
            _ = ScratchParent.all
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(lessons_gettid()), 19)  // this thread only
            _ = ScratchDirectory.staleSwept
            return nil
        }, nil)
        pthread_attr_destroy(&attributes)
    }

    /// Removes the `lessons-run-XXXXXX` directories under `parent` whose grader is gone; returns them.
    @discardableResult
    static func sweepStale(in parent: String) -> [String] {
        var removed: [String] = []
        for name in entries(of: parent) where name.hasPrefix("lessons-run-") && name.utf8.count == 18 {
            let directory = parent + "/" + name
            let fd = open(directory + "/owner", O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
            guard fd >= 0 else {
                // No owner file: its maker died between mkdtemp and the owner file (or a sweep
                // between the owner and the directory). Its maker takes microseconds for that.
                if errno == ENOENT && isAbandoned(directory, at: directory) {
                    removeTree(directory)
                    removed.append(directory)
                }
                continue
            }
            let free = flock(fd, LOCK_EX | LOCK_NB) == 0
            close(fd)
            guard free, let text = readSmallFile(directory + "/owner") else { continue }
            guard let line = text.split(separator: "\n").first else {
                // An empty owner file, nobody holding its lock: its maker died before it wrote its pid.
                if isAbandoned(directory, at: directory + "/owner") {
                    for entry in entries(of: directory) where entry != "owner" { removeTree(directory + "/" + entry) }
                    removeTree(directory)
                    removed.append(directory)
                }
                continue
            }
            let fields = line.split(separator: " ")
            guard let pid = fields.first.flatMap({ Int32($0) }), pid > 0 else { continue }
            let gone: Bool
            if fields.count > 1, let start = UInt64(fields[1]) {
                gone = ProcessStart.of(pid) != start
            } else {
                gone = kill(pid, 0) != 0 && errno == ESRCH
            }
            if gone {
                // `owner` last: what an interrupted sweep leaves is still recognised as stale.
                for entry in entries(of: directory) where entry != "owner" { removeTree(directory + "/" + entry) }
                removeTree(directory)
                removed.append(directory)
            }
        }
        return removed
    }

    /// How long a scratch directory may go without its owner's pid before a sweep takes it:
    /// its maker writes the pid microseconds after making the directory.
    static let ownerlessSeconds = 60

    /// Whether `directory` (a real directory of ours, not a link) has had no owner's pid for
    /// `ownerlessSeconds`, judged by the last change of `marker` (the directory or its empty owner file).
    private static func isAbandoned(_ directory: String, at marker: String) -> Bool {
        var info = stat(), markerInfo = stat()
        guard lstat(directory, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR, info.st_uid == geteuid(),
              lstat(marker, &markerInfo) == 0 else { return false }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return now.tv_sec - markerInfo.st_mtim.tv_sec > ownerlessSeconds
    }

    static func makeDirectory(_ path: String, mode: mode_t) throws {
        guard mkdir(path, mode) == 0 else { throw SandboxError("cannot create \(path): \(lastError())") }
        chmod(path, mode)  // umask-proof
    }

    static func copy(_ source: String, to destination: String) throws {
        do {
            try copyFile(source, to: destination, mode: 0o755)
        } catch {
            throw SandboxError(error.reading ? "cannot read the program \(source): \(error.reason)"
                                             : "cannot copy the program to \(destination): \(error.reason)")
        }
    }

    /// Why `copyFile` failed: on which side, and strerror's words.
    package struct CopyFailure: Error {
        package var reading: Bool
        package var reason: String
    }

    /// Copies `source` into the new file `destination` with `mode` (umask-proof); what a failure
    /// leaves of `destination` is removed.
    package static func copyFile(_ source: String, to destination: String, mode: mode_t) throws(CopyFailure) {
        func failure(reading: Bool, _ code: Int32) -> CopyFailure {
            CopyFailure(reading: reading, reason: String(cString: strerror(code)))
        }
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw failure(reading: true, errno) }
        defer { close(input) }
        let output = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard output >= 0 else { throw failure(reading: false, errno) }
        var failed: CopyFailure?
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        copying: while true {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 { failed = failure(reading: true, errno); break }
            if count == 0 { break }
            var offset = 0
            while offset < count {
                let written = buffer.withUnsafeBytes { write(output, $0.baseAddress! + offset, count - offset) }
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { failed = failure(reading: false, written < 0 ? errno : EIO); break copying }
                offset += written
            }
        }
        if failed == nil && fchmod(output, mode) != 0 { failed = failure(reading: false, errno) }
        if close(output) != 0 && failed == nil { failed = failure(reading: false, errno) }
        if let failed {
            unlink(destination)
            throw failed
        }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw SandboxError("cannot write \(path): \(lastError())") }
            offset += written
        }
    }

    /// Gives `path` and everything under it to uid/gid, except files with other names elsewhere
    /// (hard links: their owner is not ours to change, and shared read-only files stay so).
    static func chownTree(_ path: String, uid: uid_t, gid: gid_t) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { throw SandboxError("cannot give \(path) to the sandbox uid \(uid): \(lastError())") }
        let isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
        if !isDirectory && info.st_nlink > 1 { return }
        guard lchown(path, uid, gid) == 0 else {
            throw SandboxError("cannot give \(path) to the sandbox uid \(uid): \(lastError())")
        }
        guard isDirectory else { return }
        for entry in entries(of: path) { try chownTree(path + "/" + entry, uid: uid, gid: gid) }
    }

    package static func entries(of directory: String) -> [String] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func removeTree(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            chmod(path, 0o700)  // the program may have made it unreadable
            for entry in entries(of: path) { removeTree(path + "/" + entry) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }
}

func lastError() -> String { String(cString: strerror(errno)) }

/// Where runs get their scratch directories: a memory file system (/dev/shm) when the machine
/// has one with room, else /tmp. A run creates and removes about five files and folders, and a
/// grader does that for every submission: on a disk file system each creation searches for a
/// free inode past the recently deleted ones (ext4's `recently_deleted` was a tenth of all the
/// CPU time of a grading run, measured with `perf record -a`); on tmpfs it costs nothing.
package enum ScratchParent {
    /// The parent runs use, chosen once per process. The memory one only where runs and compiles
    /// get a mount namespace: /dev/shm is readable to every process, and only a namespace of
    /// their own hides it (with its other runs' folders) from them.
    package static let directory: String =
        choose(candidates: Isolation.current.available.contains(.mountNamespace) ? [memory, "/tmp"] : ["/tmp"])
    /// Every parent a run of this version or an older one may have used (for the stale sweep).
    package static var all: [String] { directory == "/tmp" ? ["/tmp"] : [directory, "/tmp"] }

    static let memory = "/dev/shm"
    /// Room a memory parent must have free: the largest program (64 MiB) and its case's files many
    /// times over, so that parallel grading jobs never fill it.
    static let minimumFreeBytes: UInt64 = 1 << 30

    /// The first candidate that is a directory this process may create folders in and, for a
    /// memory file system, that has `minimumFreeBytes` free; the last one otherwise.
    static func choose(candidates: [String]) -> String {
        for candidate in candidates.dropLast() where usable(candidate) { return candidate }
        return candidates.last ?? "/tmp"
    }

    static func usable(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR, access(path, W_OK | X_OK) == 0 else { return false }
        // Shared with other users: only with the sticky bit, so nobody else can remove or rename our folders.
        if info.st_uid != geteuid() && (info.st_mode & S_ISVTX) == 0 { return false }
        var space = statvfs()
        guard lessons_filesystem_type(path) == tmpfsMagic, statvfs(path, &space) == 0 else { return false }
        return UInt64(space.f_bavail) * UInt64(space.f_frsize) >= minimumFreeBytes
    }

    static let tmpfsMagic = 0x0102_1994
}

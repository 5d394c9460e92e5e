// Opening a path inside a class folder without following a single symbolic link: one component
// at a time, each with O_NOFOLLOW (Int32(LESSONS_O_PATH), so neither a FIFO nor a device is ever opened for
// reading), the last one checked with fstat on the descriptor itself. What is read afterwards
// is read through that descriptor, so a folder that changes between the check and the read
// cannot swap in another file. (openat2's RESOLVE_NO_SYMLINKS does the same in one call on
// Linux 5.6+; this walk works on every kernel.)

import CLessonsPtrace
import Foundation
#if canImport(Glibc)
import Glibc
#endif

enum NoFollowPath {
    /// Why a path was not opened.
    enum Refusal: Error, Equatable, Sendable {
        /// Nothing there.
        case absent
        /// This component (a path relative to the base) is a symbolic link.
        case symbolicLink(String)
        /// This component is not a folder although the path goes through it.
        case notFolder(String)
        /// The file is not a regular file: a FIFO, a device, a socket, a folder (`kindCode`).
        case notRegular(kind: String)
        /// A hard link to a file the student's folder's owner may not read (see `open`).
        case foreignHardLink(owner: uid_t)
        /// The kernel said no (permissions, I/O error).
        case failed(String)
    }

    /// An opened file: an Int32(LESSONS_O_PATH) descriptor and what fstat said of it.
    struct Opened {
        let descriptor: Int32
        let info: stat

        func close() { _ = Glibc.close(descriptor) }
    }

    /// Opens `components` below `base` (followed: the path the instructor typed) without
    /// following a link in any component. `owner`: when the folder belongs to another user
    /// than this process (students write their own folders), a regular file with more than one
    /// link must be theirs or readable by anyone: a hard link can make any file of the same
    /// file system appear in a folder (without fs.protected_hardlinks), and the grader would
    /// read it with its own rights.
    static func open(base: String, components: [String], expectFolder: Bool = false,
                     owner: uid_t? = nil) -> Result<Opened, Refusal> {
        var directory = Glibc.open(base, Int32(LESSONS_O_PATH) | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else { return .failure(refusal(errno, component: "", parent: -1, name: base)) }
        var walked: [String] = []
        for (index, component) in components.enumerated() {
            let last = index == components.count - 1
            guard !component.isEmpty, component != ".", component != "..", !component.contains("/") else {
                Glibc.close(directory)
                return .failure(.failed("\(component): not a plain name"))
            }
            walked.append(component)
            let shown = walked.joined(separator: "/")
            let flags = Int32(LESSONS_O_PATH) | O_NOFOLLOW | O_CLOEXEC | (last && !expectFolder ? 0 : O_DIRECTORY)
            let next = openat(directory, component, flags)
            if next < 0 {
                let reason = refusal(errno, component: shown, parent: directory, name: component)
                Glibc.close(directory)
                return .failure(reason)
            }
            Glibc.close(directory)
            directory = next
        }
        var info = stat()
        guard fstat(directory, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(directory)
            return .failure(.failed(reason))
        }
        let opened = Opened(descriptor: directory, info: info)
        let type = info.st_mode & S_IFMT
        if type == S_IFLNK {  // Int32(LESSONS_O_PATH)|O_NOFOLLOW opens the link itself
            opened.close()
            return .failure(.symbolicLink(walked.joined(separator: "/")))
        }
        if expectFolder { return .success(opened) }
        guard type == S_IFREG else {
            opened.close()
            return .failure(.notRegular(kind: kindCode(type)))
        }
        if let owner, info.st_nlink > 1, info.st_uid != owner, info.st_mode & S_IROTH == 0 {
            opened.close()
            return .failure(.foreignHardLink(owner: info.st_uid))
        }
        return .success(opened)
    }

    /// Reads at most `limit` bytes of an opened regular file through its descriptor (never by
    /// its name again). `.success(bytes)` with `bytes.count <= limit`, or the file's size when
    /// it is larger.
    static func read(_ opened: Opened, limit: Int) -> Result<[UInt8], ReadProblem> {
        let fd = Glibc.open("/proc/self/fd/\(opened.descriptor)", O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
        if fd < 0 && errno == ENOENT {
            return .failure(.failed("/proc is not mounted: cannot reopen the file safely"))
        }
        guard fd >= 0 else { return .failure(.failed(String(cString: strerror(errno)))) }
        defer { Glibc.close(fd) }
        // The same inode as the one checked (the magic link cannot point elsewhere; belt and braces).
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_dev == opened.info.st_dev, info.st_ino == opened.info.st_ino,
              info.st_mode & S_IFMT == S_IFREG else {
            return .failure(.failed("the file changed while it was being read"))
        }
        if Int(info.st_size) > limit { return .failure(.tooLarge(Int(info.st_size))) }
        var bytes = [UInt8](repeating: 0, count: limit + 1)
        var total = 0
        while total < bytes.count {
            let count = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + total, $0.count - total) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 { return .failure(.failed(String(cString: strerror(errno)))) }
            if count == 0 { break }
            total += count
        }
        if total > limit { return .failure(.tooLarge(max(Int(info.st_size), total))) }  // it grew
        bytes.removeLast(bytes.count - total)
        return .success(bytes)
    }

    enum ReadProblem: Error, Equatable {
        case tooLarge(Int)
        case failed(String)
    }

    /// What an `openat` failure means for `name` in `parent` (-1: the base itself).
    private static func refusal(_ code: Int32, component: String, parent: Int32, name: String) -> Refusal {
        switch code {
        case ENOENT:
            return .absent
        case ELOOP:
            return .symbolicLink(component)
        case ENOTDIR:
            // The component is not a folder, or it is a symbolic link (to a folder or not).
            var info = stat()
            if parent >= 0, fstatat(parent, name, &info, AT_SYMLINK_NOFOLLOW) == 0 {
                let type = info.st_mode & S_IFMT
                if type == S_IFLNK { return .symbolicLink(component) }
                if type == S_IFREG { return .notFolder(component) }
                return .notRegular(kind: kindCode(type))
            }
            return .notFolder(component)
        default:
            return .failed(String(cString: strerror(code)))
        }
    }

    /// The kind of a file that is not a regular one, as a code (SubmissionNote words it).
    static func kindCode(_ type: mode_t) -> String {
        switch type {
        case S_IFIFO: return "fifo"
        case S_IFCHR: return "character-device"
        case S_IFBLK: return "block-device"
        case S_IFSOCK: return "socket"
        case S_IFDIR: return "folder"
        case S_IFLNK: return "symbolic-link"
        default: return "other"
        }
    }
}

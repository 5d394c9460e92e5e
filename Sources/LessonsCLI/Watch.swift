// `lessons watch`: re-checks the current exercise every time its file is saved, and moves on
// to the next exercise when it passes. It watches the file's directory with inotify, so that
// editors which save by writing a new file and renaming it over the old one are seen too.

import ArgumentParser
import Foundation
import Grading
import Notebook
import Sandbox
import Vocabulary
#if canImport(Glibc)
import Glibc
#endif

extension Lessons {
    struct Watch: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "watch", abstract: "Re-check the current exercise every time its file is saved; move on when it passes.")
        @OptionGroup var global: GlobalOptions
        init() {}
        func run() throws {
            try Session(global).watch(stop: { false })
        }
    }
}

/// A directory watched with inotify for files that were saved (closed after writing, or
/// renamed or moved into it).
final class DirectoryWatch {
    let fd: Int32
    private var watches: [Int32: String] = [:]

    init() throws {
        fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard fd >= 0 else { throw LessonsFailure.internalError("inotify_init1 failed: \(String(cString: strerror(errno)))") }
    }

    deinit { close(fd) }

    func watch(_ directory: String) throws {
        if watches.values.contains(directory) { return }
        let mask = UInt32(IN_CLOSE_WRITE) | UInt32(IN_MOVED_TO) | UInt32(IN_CREATE)
        let wd = inotify_add_watch(fd, directory, mask)
        guard wd >= 0 else {
            throw LessonsFailure.usage("cannot watch \(directory): \(String(cString: strerror(errno)))")
        }
        watches[wd] = directory
    }

    /// Waits up to `timeout` milliseconds; returns the paths saved meanwhile (maybe none).
    func wait(timeout: Int32) -> [String] {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, timeout) > 0 else { return [] }
        var paths: [String] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if count <= 0 { break }
            var offset = 0
            // struct inotify_event { int wd; uint32_t mask, cookie, len; char name[len]; }
            while offset + 16 <= count {
                let (wd, length) = buffer.withUnsafeBytes { raw in
                    (raw.loadUnaligned(fromByteOffset: offset, as: Int32.self), Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)))
                }
                let nameBytes = buffer[(offset + 16)..<min(offset + 16 + length, count)].prefix { $0 != 0 }
                if let directory = watches[wd], !nameBytes.isEmpty {
                    paths.append((directory as NSString).appendingPathComponent(String(decoding: nameBytes, as: UTF8.self)))
                }
                offset += 16 + length
            }
        }
        return paths
    }
}

extension Session {
    /// Watches the current exercise until every exercise is solved or `stop()` says so.
    func watch(stop: () -> Bool) throws {
        let workspace = try workspace(create: true)
        let watcher = try DirectoryWatch()
        var exercise = try currentExercise(workspace)
        while let current = exercise {
            try withProgress(workspace) { $0.current = current.fullID }
            let file = try workspace.prepareFile(for: current).path
            try watcher.watch((file as NSString).deletingLastPathComponent)
            console.out(console.paint("Watching \(relative(file)) (\(current.fullID)). Save it to check; Ctrl-C stops.", .bold))
            // Events from copying the starter in are not saves.
            while !watcher.wait(timeout: 0).isEmpty {}
            var checked = FileManager.default.contents(atPath: file)
            var status = checkQuietly(file: file)
            while status != .passed {
                if stop() { return }
                let saved = watcher.wait(timeout: 250)
                guard saved.contains(where: { samePath($0, file) }) else { continue }
                // Editors often write several times in a row: let the burst settle.
                while !watcher.wait(timeout: 150).isEmpty {}
                // A save that changed nothing (or a file caught half-replaced) is not checked.
                guard let contents = FileManager.default.contents(atPath: file), contents != checked else { continue }
                checked = contents
                console.out(console.paint("\n\(relative(file)) saved; checking…", .note))
                status = checkQuietly(file: file)
            }
            exercise = try currentExercise(workspace)
            if let next = exercise {
                console.out("")
                try show(next.fullID)
            }
        }
        let total = try pack().lessons.flatMap(\.exercises).count
        console.out(console.paint("Every exercise is solved (\(total) of \(total)). Well done.", .good))
    }

    private func samePath(_ a: String, _ b: String) -> Bool {
        (a as NSString).standardizingPath == (b as NSString).standardizingPath
    }

    /// A check whose problems (even the tool's) are shown, never thrown: watching goes on.
    private func checkQuietly(file: String) -> Status {
        do {
            return try check(file).status
        } catch let failure as LessonsFailure {
            if !failure.message.isEmpty { console.err("lessons: \(failure.message)") }
            return .internalError
        } catch {
            console.err("lessons: \(error)")
            return .internalError
        }
    }
}

// A lesson's ```trace``` block against a real run of its cell, compared the way a reader
// compares two traces: what may differ from run to run is set aside, everything else must be
// the same, line for line.
//
// Set aside (both sides are rewritten the same way before they are compared):
//   addresses              every 0x… number (pointers, the break, mapping addresses)
//   random bytes           the buffer getrandom fills
//   process ids            [pid N], fork/clone/wait4/getpid/gettid results, kill/tgkill/wait4
//                          arguments, si_pid: numbered in order of appearance, so which
//                          process did what still counts
//   user ids and CPU time  si_uid, si_utime, si_stime of a signal
//   padding                the spaces strace puts before " = "
//   execve's arguments     the program's path, argv and the count of environment variables
//   the loader's files     the sizes of files opened under /etc, /lib and /usr/lib before
//                          main (/etc/ld.so.cache changes whenever a package is installed):
//                          st_size, and the length and offset of mappings of those files
//   device numbers         st_rdev of a terminal or device (which terminal it was)
// Everything else — a call, its other arguments, a size, a count, the order — must match.

import Foundation

package enum TraceComparison {
    /// The first difference between a recorded trace and a real one, after normalising both;
    /// nil when they agree.
    package struct Difference: Sendable, Equatable {
        /// 0-based line of the recorded block (its length when the run printed more).
        package var line: Int
        /// The recorded line and the run's line (normalised), nil when one side ended.
        package var recorded: String?
        package var actual: String?
        package var recordedCount: Int
        package var actualCount: Int
    }

    package static func compare(recorded: [String], actual: [String]) -> Difference? {
        let left = normalize(recorded), right = normalize(actual)
        guard left != right else { return nil }
        var index = 0
        while index < left.count, index < right.count, left[index] == right[index] { index += 1 }
        return Difference(line: index, recorded: index < left.count ? left[index] : nil,
                          actual: index < right.count ? right[index] : nil,
                          recordedCount: left.count, actualCount: right.count)
    }

    /// Each line as a reader compares it (see the top of this file).
    package static func normalize(_ lines: [String]) -> [String] {
        var state = State()
        return lines.map { state.normalize($0) }.filter { !$0.isEmpty }
    }

    private struct State {
        var pids: [String: Int] = [:]
        /// Descriptors open on the loader's files, and the addresses they are mapped at.
        var loaderFDs: Set<String> = []
        var loaderMappings: Set<String> = []

        mutating func pid(_ number: String) -> String {
            if let known = pids[number] { return "<pid \(known)>" }
            pids[number] = pids.count + 1
            return "<pid \(pids.count)>"
        }

        mutating func normalize(_ raw: String) -> String {
            var line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty else { return "" }
            // [pid N] prefix.
            var prefix = ""
            if let match = line.wholeMatch(of: #/\[pid\s+(\d+)\]\s+(.*)/#) {
                prefix = "[" + pid(String(match.1)) + "] "
                line = String(match.2)
            }
            line = loaderFiles(line)
            let call = String(line.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
            let resumed = line.hasPrefix("<... ") ? String(line.dropFirst(5).prefix { $0.isLetter || $0.isNumber || $0 == "_" }) : ""
            let name = call.isEmpty ? resumed : call
            if name == "getrandom" {
                line = line.replacing(#/getrandom\("(?:[^"\\]|\\.)*"(?:\.\.\.)?/#, with: "getrandom(\"…\"")
            }
            if name == "execve" {
                line = line.replacing(#/"(?:[^"\\]|\\.)*"(?:\.\.\.)?/#, with: "\"…\"")
                    .replacing(#/\[[^\]]*\]/#, with: "[…]")
                    .replacing(#/\/\* \d+ vars? \*\//#, with: "/* … vars */")
            }
            if ["clone", "clone3", "fork", "vfork", "wait4", "waitpid", "getpid", "gettid", "getppid", "set_tid_address"].contains(name),
               let match = line.firstMatch(of: #/\s=\s(\d+)\s*$/#) {
                line = line[..<match.range.lowerBound] + " = " + pid(String(match.1))
            }
            if ["kill", "tgkill", "tkill", "wait4", "waitpid"].contains(call), let open = line.firstIndex(of: "(") {
                // The leading numeric arguments are process and thread ids (wait4(-1, …) waits for any).
                var rest = line[line.index(after: open)...]
                var rewritten = String(line[...open])
                while let match = rest.prefixMatch(of: #/(\d+), /#) {
                    rewritten += pid(String(match.1)) + ", "
                    rest = rest[match.range.upperBound...]
                }
                line = rewritten + rest
            }
            line = line.replacing(#/si_pid=(\d+)/#) { "si_pid=" + pid(String($0.1)) }
            line = line.replacing(#/si_uid=\d+/#, with: "si_uid=…")
                .replacing(#/si_utime=\d+/#, with: "si_utime=…")
                .replacing(#/si_stime=\d+/#, with: "si_stime=…")
                .replacing(#/makedev\([^)]*\)/#, with: "makedev(…)")
                .replacing(#/0x[0-9a-fA-F]+/#, with: "0x…")
                .replacing(#/\)\s+= /#, with: ") = ")
            return prefix + line
        }

        /// Sizes of the loader's files (before main: /etc/ld.so.cache, the libraries).
        mutating func loaderFiles(_ line: String) -> String {
            if let match = line.firstMatch(of: #/^openat\([^,]+, "(\/etc\/|\/lib|\/usr\/lib)[^"]*", [^)]*\)\s+= (\d+)/#) {
                loaderFDs.insert(String(match.2))
                return line
            }
            if let match = line.firstMatch(of: #/^close\((\d+)\)/#) {
                loaderFDs.remove(String(match.1))
                return line
            }
            if let match = line.firstMatch(of: #/^newfstatat\((\d+), /#), loaderFDs.contains(String(match.1)) {
                return line.replacing(#/st_size=\d+/#, with: "st_size=…")
            }
            if let match = line.firstMatch(of: #/^mmap\(([^,]+), \d+, ([^,]+), ([^,]+), (\d+), [^)]+\)(.*)$/#),
               loaderFDs.contains(String(match.4)) {
                let result = String(match.5)
                if let address = result.firstMatch(of: #/= (0x[0-9a-f]+)/#) { loaderMappings.insert(String(address.1)) }
                return "mmap(\(match.1), …, \(match.2), \(match.3), \(match.4), …)\(result)"
            }
            if let match = line.firstMatch(of: #/^munmap\((0x[0-9a-f]+), \d+\)(.*)$/#), loaderMappings.contains(String(match.1)) {
                return "munmap(\(match.1), …)\(match.2)"
            }
            return line
        }
    }
}

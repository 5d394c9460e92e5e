// What this machine is, in the terms of a lesson's `recorded:` line: the C library a
// learner's program runs on, the kernel, the processor. A C program runs on the C library of
// whatever `$CC` links (musl-gcc: musl), found by compiling and running a small probe with
// it; a Swift program always runs on the system's glibc (the one this tool runs on too).

import Foundation
import Notebook
import Sandbox
import Toolchain
import Vocabulary
#if canImport(Glibc)
import Glibc
#endif

package enum PlatformProbe {
    /// The platform a program in `language` runs on here (probed once per process).
    package static func current(for language: Language) -> RecordingPlatform {
        cache.value(for: language) { probe(language) }
    }

    /// The kernel as `Linux 6.18` and the processor as `x86_64`.
    package static func kernelAndArchitecture() -> (kernel: String, architecture: String) {
        var names = utsname()
        uname(&names)
        func text<T>(_ field: inout T) -> String {
            withUnsafeBytes(of: &field) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        let release = text(&names.release).split(separator: ".").prefix(2).joined(separator: ".")
        return ("\(text(&names.sysname)) \(release)", text(&names.machine))
    }

    /// The C library this tool itself runs on (`glibc 2.36`).
    package static func ownLibc() -> String {
        // confstr(_CS_GNU_LIBC_VERSION) is "glibc 2.36" (gnu_get_libc_version is not visible to Swift).
        var buffer = [CChar](repeating: 0, count: 64)
        let length = confstr(Int32(_CS_GNU_LIBC_VERSION), &buffer, buffer.count)
        guard length > 0, length <= buffer.count else { return "unknown C library" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func probe(_ language: Language) -> RecordingPlatform {
        let (kernel, architecture) = kernelAndArchitecture()
        let libc = language == .c ? probeC() ?? "unknown C library" : ownLibc()
        return RecordingPlatform(libc: libc, kernel: kernel, architecture: architecture)
    }

    /// Compiles and runs the probe with the learner's C compiler; nil when that fails.
    private static func probeC() -> String? {
        let cell = ExampleCell(name: "libc-probe", language: .c, code: probeSource, location: SourceLocation(file: "probe", line: 1))
        var template = Array((NSTemporaryDirectory() + "lessons-probe-XXXXXX").utf8CString)
        guard let scratch = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }).map({ String(cString: $0) }) else { return nil }
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        guard case .success(let run) = CellRunner.run(cell, lessonID: "probe", scratch: scratch).outcome else { return nil }
        let text = String(decoding: run.outcome.run.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    /// glibc names itself; musl defines no macro of its own on purpose, but its dynamic loader
    /// (/lib/ld-musl-ARCH.so.1) is in the program's memory map.
    static let probeSource = """
        #include <stdio.h>
        #include <string.h>
        #ifdef __GLIBC__
        #include <gnu/libc-version.h>
        #endif
        int main(void) {
        #ifdef __GLIBC__
            printf("glibc %s\\n", gnu_get_libc_version());
        #else
            const char *name = "a C library other than glibc";
            char line[512];
            FILE *maps = fopen("/proc/self/maps", "r");
            while (maps != NULL && fgets(line, sizeof line, maps) != NULL) {
                if (strstr(line, "musl") != NULL) { name = "musl"; break; }
            }
            printf("%s\\n", name);
        #endif
            return 0;
        }

        """

    private static let cache = ProbeCache()
}

private final class ProbeCache: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Language: RecordingPlatform] = [:]
    func value(for language: Language, _ make: () -> RecordingPlatform) -> RecordingPlatform {
        lock.lock(); defer { lock.unlock() }
        if let known = values[language] { return known }
        let made = make()
        values[language] = made
        return made
    }
}

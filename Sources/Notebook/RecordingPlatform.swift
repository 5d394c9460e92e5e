// Where a lesson's traces were recorded: its front matter's `recorded:` line, which
// `lessons record` writes (`recorded: glibc 2.36, Linux 6.18, x86_64`). A learner's machine
// that differs is told so (`show`, `next`), and `lessons verify` checks the lesson's claims there.

/// A C library, a kernel and an architecture, as a person names them.
public struct RecordingPlatform: Codable, Sendable, Hashable, CustomStringConvertible {
    /// `glibc 2.36`, `musl 1.2.3`, `musl` (the name first, then the version when known).
    public var libc: String
    /// `Linux 6.18`: the kernel's name and major.minor version.
    public var kernel: String
    /// `x86_64`.
    public var architecture: String

    public init(libc: String, kernel: String, architecture: String) {
        self.libc = libc
        self.kernel = kernel
        self.architecture = architecture
    }

    public var description: String { "\(libc), \(kernel), \(architecture)" }

    /// `glibc` of `glibc 2.36`.
    public var libcName: String { String(libc.split(separator: " ").first ?? "") }

    /// Parses `glibc 2.36, Linux 6.18, x86_64`; nil when it is not three comma-separated parts.
    public init?(parsing text: String) {
        let parts = text.split(separator: ",").map { String($0).trimmingSpaces }
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        self.init(libc: parts[0], kernel: parts[1], architecture: parts[2])
    }

    /// What differs between a lesson's recording (`self`) and `other`, in a learner's words
    /// (`the C library: glibc 2.36 there, musl here`); empty when they match.
    public func differences(from other: RecordingPlatform) -> [String] {
        var found: [String] = []
        if libc != other.libc { found.append("the C library (\(libc) there, \(other.libc) here)") }
        if kernel != other.kernel { found.append("the kernel (\(kernel) there, \(other.kernel) here)") }
        if architecture != other.architecture { found.append("the processor (\(architecture) there, \(other.architecture) here)") }
        return found
    }

    /// Whether traces recorded on `self` can be expected line for line on `other`: the same C
    /// library and processor. (A newer kernel rarely changes what these programs call.)
    public func tracesComparable(on other: RecordingPlatform) -> Bool {
        libc == other.libc && architecture == other.architecture
    }
}

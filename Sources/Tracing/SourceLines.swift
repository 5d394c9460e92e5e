// Source lines: which line of the learner's program led to an event (`five.c:6 in main`).
//
// At a stop, the innermost return address that lies in the main executable's code is the
// call the learner wrote (malloc → … → mmap: the return address into `main`). It is found by
// scanning the stack words from rsp up for values inside the executable's executable
// mappings (/proc/PID/maps) that follow a call instruction; when the scan finds none, the
// frame-pointer chain from rbp is walked. A fault in the learner's own code (rip inside the
// executable) names rip itself.
//
// Addresses become file:line and function with binutils' addr2line (Debian package
// binutils), one long-lived `addr2line -f -s -e BINARY` per executable, fed one address per
// line (it answers and flushes each one), cached per address. It is started on first need
// and ended when the last tracee is gone, so the loop's wait4(-1) reaps it. Nothing of this
// runs unless `TraceRequest.sourceLines` is set.

import CLessonsPtrace
import Syscalls
#if canImport(Glibc)
import Glibc
#endif

final class SourceLines {
    /// What is known about a process's executable.
    struct Image {
        /// The path the process sees (its maps name it so).
        var path: String
        /// A path to the same file this tool can open: `path`, or, for a process in a mount
        /// namespace of its own (the sandbox's private /tmp), the same path through its root.
        var file: String
        /// [start, end) of its executable mappings.
        var text: [(UInt64, UInt64)]
        /// runtime address - link-time address.
        var bias: UInt64
        func contains(_ address: UInt64) -> Bool { text.contains { address >= $0.0 && address < $0.1 } }
    }

    private var images: [Int32: Image?] = [:]
    /// Per thread that ran `main`: the stack slot of main's return address (rsp at its first
    /// instruction). Everything the learner's code does happens below it.
    private var mainReturnSlots: [Int32: UInt64] = [:]

    /// `tid` stopped at the first instruction of `main`.
    func reachedMain(tid: Int32) {
        if let rsp = Registers.get(tid, .rsp) { mainReturnSlots[tid] = rsp }
    }
    private var resolvers: [String: Addr2Line] = [:]
    /// How many bytes of stack the scan reads at most.
    static let scanLimit = 256 << 10

    /// A process exec'd: its image changed.
    func forget(_ tgid: Int32) {
        images.removeValue(forKey: tgid)
        mainReturnSlots.removeValue(forKey: tgid)
    }

    /// Stops every addr2line (the loop can then finish reaping).
    func finish() {
        for resolver in resolvers.values { resolver.close() }
        resolvers.removeAll()
    }

    deinit { finish() }

    func image(tgid: Int32, pid: Int32) -> Image? {
        if let known = images[tgid] { return known }
        let image = Self.loadImage(pid: pid)
        images[tgid] = image
        return image
    }

    /// The line that led to the current stop of thread `pid`.
    func locate(_ tracee: Tracee) -> EventSource? {
        let tgid = tracee.process.tgid
        guard let image = image(tgid: tgid, pid: tracee.tid),
              let address = callSite(pid: tracee.tid, image: image) else { return nil }
        return describe(image: image, address: address)
    }

    /// The line of a code address in `tgid`'s executable (a return address: the call before it).
    func describe(tgid: Int32, pid: Int32, address: UInt64, isReturnAddress: Bool = true) -> EventSource? {
        guard let image = image(tgid: tgid, pid: pid), image.contains(address) else { return nil }
        return describe(image: image, address: isReturnAddress ? address &- 1 : address)
    }

    private func describe(image: Image, address: UInt64) -> EventSource? {
        let resolver: Addr2Line
        if let known = resolvers[image.path] {
            resolver = known
        } else {
            guard let started = Addr2Line(binary: image.file) else { return nil }
            resolvers[image.path] = started
            resolver = started
        }
        return resolver.describe(address &- image.bias)
    }

    /// The address in the executable the stop comes from: rip when the thread is in the
    /// executable itself, else the innermost return address into it (minus one, inside the call).
    func callSite(pid: Int32, image: Image) -> UInt64? {
        guard let rip = Registers.get(pid, .rip), let rsp = Registers.get(pid, .rsp) else { return nil }
        if image.contains(rip) { return rip }
        if let top = mainReturnSlots[pid], top > rsp, let found = walkDown(pid: pid, image: image, from: top, rsp: rsp) {
            return found &- 1
        }
        if let rbp = Registers.get(pid, .rbp), let found = framePointerWalk(pid: pid, image: image, rbp: rbp, rsp: rsp) {
            return found &- 1
        }
        if let found = scan(pid: pid, image: image, from: rsp) { return found &- 1 }
        return nil
    }

    /// Top-down from main's frame: the first return address into the executable below main's
    /// saved rbp is main's current call; when that call went to a function of the executable
    /// (a direct call to a frame-pointer prologue, not a PLT stub), that function's frame lies
    /// just below, and so on down to the call that left the executable. Stale return addresses
    /// of finished calls lie below the live ones, so they are never reached.
    func walkDown(pid: Int32, image: Image, from top: UInt64, rsp: UInt64) -> UInt64? {
        let memory = TraceeMemoryReader(pid: pid)
        let low = rsp & ~7
        guard top > low, top - low <= UInt64(Self.scanLimit) * 4,
              let words = memory.read(address: low, count: Int(top - low)), words.count == Int(top - low) else { return nil }
        var slot = Int(top - low) - 16          // below main's return address and its saved rbp
        var found: UInt64?
        while slot >= 0 {
            let value = words.u64(slot)
            if image.contains(value), followsCall(pid: pid, address: value) {
                found = value
                guard let target = directCallTarget(pid: pid, returnAddress: value), image.contains(target),
                      startsWithFramePointerPrologue(pid: pid, address: target) else { return found }
                slot -= 16                        // the callee's saved rbp, then its frame
                continue
            }
            slot -= 8
        }
        return found
    }

    /// The target of the `call rel32` ending at `returnAddress`, nil for other calls.
    func directCallTarget(pid: Int32, returnAddress: UInt64) -> UInt64? {
        guard let bytes = TraceeMemoryReader(pid: pid).read(address: returnAddress &- 5, count: 5),
              bytes.count == 5, bytes[0] == 0xe8 else { return nil }
        let rel = Int32(bitPattern: UInt32(bytes[1]) | UInt32(bytes[2]) << 8 | UInt32(bytes[3]) << 16 | UInt32(bytes[4]) << 24)
        return returnAddress &+ UInt64(bitPattern: Int64(rel))
    }

    /// `push %rbp; mov %rsp,%rbp` (after an optional endbr64): a function that keeps frame pointers.
    func startsWithFramePointerPrologue(pid: Int32, address: UInt64) -> Bool {
        guard let bytes = TraceeMemoryReader(pid: pid).read(address: address, count: 8), bytes.count == 8 else { return false }
        let body = bytes[0..<4] == [0xf3, 0x0f, 0x1e, 0xfa] ? Array(bytes[4..<8]) : Array(bytes[0..<4])
        return body[0] == 0x55 && body[1] == 0x48 && body[2] == 0x89 && body[3] == 0xe5
    }

    func scan(pid: Int32, image: Image, from rsp: UInt64) -> UInt64? {
        let memory = TraceeMemoryReader(pid: pid)
        var start = rsp & ~7
        var chunk = 4096
        var scanned = 0
        while scanned < Self.scanLimit {
            guard let bytes = memory.read(address: start, count: chunk), bytes.count >= 8 else { return nil }
            var offset = 0
            while offset + 8 <= bytes.count {
                let value = bytes.u64(offset)
                if image.contains(value), followsCall(pid: pid, address: value) { return value }
                offset += 8
            }
            if bytes.count < chunk { return nil }  // the top of the stack
            scanned += chunk
            start &+= UInt64(chunk)
            chunk = min(chunk * 4, Self.scanLimit - scanned)
            if chunk <= 0 { break }
        }
        return nil
    }

    /// From a valid rbp (a frame on this stack): the first return address into the executable
    /// found scanning *down* from the frame to the previous one (the frame's own outgoing call:
    /// stale values of finished calls lie below it, never above), else the frame's own return
    /// address, then on up the chain. Nil when rbp is not a frame pointer (libc code uses rbp
    /// as a plain register); the caller then scans up from rsp.
    func framePointerWalk(pid: Int32, image: Image, rbp: UInt64, rsp: UInt64) -> UInt64? {
        let memory = TraceeMemoryReader(pid: pid)
        var frame = rbp
        var below = rsp & ~7
        for _ in 0..<64 {
            guard frame >= below, frame &- rsp < UInt64(Self.scanLimit), frame & 7 == 0,
                  let pair = memory.read(address: frame, count: 16), pair.count == 16 else { return nil }
            let next = pair.u64(0), ret = pair.u64(8)
            if frame > below, let words = memory.read(address: below, count: Int(frame - below)) {
                var offset = words.count - 8
                while offset >= 0 {
                    let value = words.u64(offset)
                    if image.contains(value), followsCall(pid: pid, address: value) { return value }
                    offset -= 8
                }
            }
            if image.contains(ret), followsCall(pid: pid, address: ret) { return ret }
            guard next > frame else { return nil }
            below = frame &+ 16  // frame comes from the tracee's stack: wrap, never trap
            if below < frame { return nil }
            frame = next
        }
        return nil
    }

    /// Whether the bytes before `address` end with a call instruction (e8 rel32, or ff /2).
    func followsCall(pid: Int32, address: UInt64) -> Bool {
        guard address >= 7, let before = TraceeMemoryReader(pid: pid).read(address: address &- 7, count: 7),
              before.count == 7 else { return false }
        if before[2] == 0xe8 { return true }                       // call rel32
        for length in [2, 3, 6, 7] where before[7 - length] == 0xff {  // call *r/m64
            let modrm = before[7 - length + 1]
            if (modrm >> 3) & 7 == 2 {
                let mod = modrm >> 6, rm = modrm & 7
                let expected: Int
                switch mod {
                case 3: expected = 2
                case 1: expected = rm == 4 ? 4 : 3
                case 2: expected = rm == 4 ? 7 : 6
                default: expected = rm == 5 ? 6 : (rm == 4 ? 3 : 2)
                }
                if expected == length { return true }
            }
        }
        return false
    }

    /// Whether two paths name one file (device and inode).
    static func sameFile(_ a: String, _ b: String) -> Bool {
        var first = stat(), second = stat()
        return stat(a, &first) == 0 && stat(b, &second) == 0 && first.st_dev == second.st_dev && first.st_ino == second.st_ino
    }

    /// The executable of `pid` (/proc/PID/exe), its executable mappings and load bias.
    static func loadImage(pid: Int32) -> Image? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/\(pid)/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        let path = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let fd = open("/proc/\(pid)/maps", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard let bytes = FileReader(fd: fd).readAll(limit: 4 << 20) else { return nil }
        var text: [(UInt64, UInt64)] = []
        var lowest: UInt64?
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6, fields[5].drop(while: { $0 == " " }) == path else { continue }
            let range = fields[0].split(separator: "-")
            guard range.count == 2, let start = UInt64(range[0], radix: 16), let end = UInt64(range[1], radix: 16) else { continue }
            if fields[2] == "00000000" { lowest = min(lowest ?? start, start) }
            if fields[1].contains("x") { text.append((start, end)) }
        }
        guard !text.isEmpty else { return nil }
        var bias: UInt64 = 0
        if let elf = try? ELFImage.load(path: "/proc/\(pid)/exe"), elf.type == 3 {
            if let entry = auxvEntry(pid: pid) { bias = entry &- elf.entry } else { bias = lowest ?? 0 }
        }
        return Image(path: path, file: sameFile(path, "/proc/\(pid)/exe") ? path : "/proc/\(pid)/root" + path, text: text, bias: bias)
    }
}

/// One `addr2line -f -s -e BINARY` answering addresses on a pipe.
final class Addr2Line {
    private let child: Spawn.Child
    private var input: Int32
    private var output: Int32
    private var pending: [UInt8] = []
    private var cache: [UInt64: EventSource?] = [:]
    static let candidates = ["/usr/bin/addr2line", "/bin/addr2line"]

    init?(binary: String) {
        guard let tool = Self.candidates.first(where: { access($0, X_OK) == 0 }),
              let child = Spawn.start([tool, "-f", "-s", "-e", binary], environment: ["LC_ALL=C"],
                                      stdin: .pipe, stdout: .pipe, tracerOwned: true) else { return nil }
        self.child = child
        input = child.input
        output = child.output
    }

    /// `five.c:6 in main`, or nil when the address has no line information.
    func describe(_ address: UInt64) -> EventSource? {
        if let known = cache[address] { return known }
        var answer: EventSource?
        if input >= 0 {
            let query = Array("0x\(String(address, radix: 16))\n".utf8)
            var written = 0
            while written < query.count {
                let n = query.withUnsafeBytes { write(input, $0.baseAddress! + written, query.count - written) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { close(); break }
                written += n
            }
            if input >= 0, let function = readLine(), let place = readLine() {
                var location = place
                if let cut = location.range(of: " (discriminator") { location = String(location[..<cut.lowerBound]) }
                // addr2line -s prints `FILE:LINE`; `??:0` and `FILE:?` when the line is unknown
                if !location.hasPrefix("??"), let colon = location.lastIndex(of: ":"),
                   let line = Int(location[location.index(after: colon)...]), line > 0, colon > location.startIndex {
                    let name = function.hasPrefix("$s") || function.hasPrefix("_$s") ? Self.demangle(function) : function
                    answer = EventSource(file: String(location[..<colon]), line: line, function: function == "??" ? nil : name)
                }
            }
        }
        cache[address] = answer
        return answer
    }

    /// A Swift symbol in the words a learner wrote (`grab(_:)`), with `swift-demangle`
    /// (beside `swiftc` on $PATH); the symbol itself when that tool is missing. The child is
    /// waited for here, before the tracer's wait4 could see it.
    static func demangle(_ symbol: String,
                         search: String = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin") -> String {
        let candidates: [String] = search.split(separator: ":").map { (directory: Substring) -> String in "\(directory)/swift-demangle" }
        let path = candidates.first { access($0, X_OK) == 0 }
        guard let tool = path else { return symbol }
        // A deadline: `Spawn.run` reads a child's output to its end, and a tool found on PATH that
        // never ends must not hold the tracer (the symbol is then shown mangled).
        guard let (ending, bytes) = Spawn.run([tool, "--simplified", "--compact", symbol], stdout: .pipe, cap: 4096,
                                              deadline: 5, tracerOwned: true), ending == .exited(0) else { return symbol }
        let text = String(decoding: bytes, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        return text.isEmpty ? symbol : text
    }

    private func readLine() -> String? {
        while true {
            if let newline = pending.firstIndex(of: 10) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                return line
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = chunk.withUnsafeMutableBytes { read(output, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { close(); return nil }
            pending.append(contentsOf: chunk[0..<n])
        }
    }

    /// Closes its input: it exits, and whoever waits for children reaps it.
    func close() {
        if input >= 0 { Glibc.close(input); input = -1 }
        if output >= 0 { Glibc.close(output); output = -1 }
        Spawn.forget(child)
    }

    deinit { close() }
}

private extension String {
    func range(of needle: String) -> Range<String.Index>? {
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(needle) { return index..<self.index(index, offsetBy: needle.count) }
            index = self.index(after: index)
        }
        return nil
    }
}

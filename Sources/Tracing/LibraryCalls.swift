// Library-call events: `malloc(5000) = 0x…` for the C library calls the program's own code
// makes, with the syscalls each one caused nested under it.
//
// How: when a process reaches `main` (the loader has mapped libc), an int3 goes on the first
// byte of each traced function in the loaded libc (its base from /proc/PID/maps, the symbol
// values from libc's .dynsym) and one on the program's entry point `_start` (AT_ENTRY; it never
// runs again after start-up), which serves as the return trampoline.
//   - A thread hits a function's int3: when the return address at [rsp] lies in the main
//     executable (a call the learner wrote), the call is recorded (arguments from rdi, rsi, rdx,
//     rcx, r8, r9) and the return address on the stack is swapped for `_start`. Either way the
//     thread steps over the breakpoint: the original byte back, one PTRACE_SINGLESTEP, the int3
//     again.
//   - It returns into `_start`'s int3: rax is the result; rip goes to the real return address.
//     The call's event is emitted, then the events the thread produced meanwhile (held back
//     until now), with `parentCall` set to the call's sequence.
// Calls libc makes to itself (realloc → malloc) have their return address in libc and are not
// recorded; calls from other libraries (the Swift runtime's own mallocs) neither.
//
// Threads: while one thread steps over a function's breakpoint (one instruction, the byte
// restored), another thread entering the same function in that instant is not seen. The
// return trampoline is per thread and has no such window. Documented limitation.

import CLessonsPtrace
import Syscalls
#if canImport(Glibc)
import Glibc
#endif

final class LibraryCalls {
    /// The functions traced and how many argument registers each takes.
    static let functions: [(name: String, arguments: Int)] = [
        ("malloc", 1), ("calloc", 2), ("realloc", 2), ("free", 1), ("mallopt", 2), ("sbrk", 1),
        ("mmap", 6), ("munmap", 2),
    ]

    final class ProcessState {
        var image: SourceLines.Image
        /// Function breakpoints: address → (function, original word).
        var breakpoints: [UInt64: (function: String, word: UInt64)] = [:]
        var trampoline: (address: UInt64, word: UInt64)?
        init(image: SourceLines.Image) { self.image = image }
        func copy() -> ProcessState {
            let other = ProcessState(image: image)
            other.breakpoints = breakpoints
            other.trampoline = trampoline
            return other
        }
    }

    struct OpenCall {
        var function: String
        var arguments: [UInt64]
        var returnAddress: UInt64
        var tracee: Tracee
        var phase: Phase
        var held: [TraceEvent] = []
    }

    private var processes: [Int32: ProcessState] = [:]
    /// Per thread: the calls it is inside (innermost last).
    private var openCalls: [Int32: [OpenCall]] = [:]
    /// Per thread: the breakpoint it is stepping over, and its signal mask to put back.
    private var stepping: [Int32: (address: UInt64, mask: UInt64?)] = [:]
    /// Set by TraceSession right after it created its extras.
    weak var session: TraceSession?
    private let sources: SourceLines?

    init(sources: SourceLines?) { self.sources = sources }

    // MARK: - Arming

    func reachedMain(_ tracee: Tracee) {
        let tgid = tracee.process.tgid
        guard let image = SourceLines.loadImage(pid: tracee.tid),
              let libc = Self.findLibc(pid: tracee.tid),
              let symbols = DynamicSymbols.load(path: libc.path, names: Set(Self.functions.map(\.name))),
              let entry = auxvEntry(pid: tracee.tid) else { return }
        let state = ProcessState(image: image)
        for (name, value) in symbols {
            let address = libc.base &+ value
            if let word = Self.insertTrap(tracee.tid, at: address) { state.breakpoints[address] = (name, word) }
        }
        if let word = Self.insertTrap(tracee.tid, at: entry) { state.trampoline = (entry, word) }
        processes[tgid] = state
    }

    func execed(_ tracee: Tracee) {
        processes.removeValue(forKey: tracee.process.tgid)
        openCalls.removeValue(forKey: tracee.tid)
        stepping.removeValue(forKey: tracee.tid)
    }

    func forked(_ child: TracedProcess, from parent: TracedProcess) {
        if let state = processes[parent.tgid] { processes[child.tgid] = state.copy() }
    }

    // MARK: - Stops

    /// A signal-delivery stop of `tracee`: true when it was one of ours (a breakpoint or the
    /// single step over one; the thread is resumed here). Any other signal that arrives while
    /// the thread steps over a breakpoint ends the step unexecuted (a signal is delivered
    /// before the instruction runs): the int3 goes back, so the thread meets it again after
    /// the signal, and the signal takes its normal course.
    func signal(_ tracee: Tracee, _ signal: Int32) -> Bool {
        guard let state = processes[tracee.process.tgid] else { return false }
        let tid = tracee.tid
        let isInt3 = signal == SIGTRAP && Self.signalCode(tid) == 0x80 /* SI_KERNEL: int3 */
        if let (address, mask) = stepping.removeValue(forKey: tid) {
            if let mask { Self.setSignalMask(tid, mask) }
            if let breakpoint = state.breakpoints[address] {
                _ = lessons_ptrace(Int32(LESSONS_PTRACE_POKEDATA), tid, address, (breakpoint.word & ~0xff) | 0xcc)
            }
            if signal == SIGTRAP && !isInt3 {
                session?.resume(tracee)  // the step's own trap
                return true
            }
        }
        guard isInt3 else { return false }
        return trap(tracee)
    }

    /// PTRACE_GETSIGMASK / PTRACE_SETSIGMASK (Linux 3.11+): the thread's blocked signals.
    static func signalMask(_ tid: Int32) -> UInt64? {
        var mask: UInt64 = 0
        let rc = withUnsafeMutablePointer(to: &mask) { lessons_ptrace(0x420a, tid, 8, UInt64(UInt(bitPattern: $0))) }
        return rc == 0 ? mask : nil
    }

    static func setSignalMask(_ tid: Int32, _ mask: UInt64) {
        var value = mask
        _ = withUnsafeMutablePointer(to: &value) { lessons_ptrace(0x420b, tid, 8, UInt64(UInt(bitPattern: $0))) }
    }

    static func signalCode(_ tid: Int32) -> Int32? {
        var siginfo = [UInt8](repeating: 0, count: 128)
        guard siginfo.withUnsafeMutableBufferPointer({ lessons_get_siginfo(tid, $0.baseAddress!) }) == 0 else { return nil }
        return Int32(bitPattern: siginfo.u32(8))
    }

    /// An int3 stop of `tracee`: true when it was one of ours (the thread is resumed here).
    private func trap(_ tracee: Tracee) -> Bool {
        guard let session, let state = processes[tracee.process.tgid] else { return false }
        let tid = tracee.tid
        guard let rip = Registers.get(tid, .rip) else { return false }
        let address = rip &- 1
        if let trampoline = state.trampoline, address == trampoline.address {
            guard var call = openCalls[tid]?.popLast() else { return false }
            let value = Registers.get(tid, .rax)
            _ = Registers.set(tid, .rip, call.returnAddress)
            call.tracee = tracee
            finish(call, returnValue: value, returned: true)
            session.resume(tracee)
            return true
        }
        guard let breakpoint = state.breakpoints[address] else { return false }
        if let rsp = Registers.get(tid, .rsp), let trampoline = state.trampoline,
           let returnAddress = TraceeMemoryReader(pid: tid).read(address: rsp, count: 8).map({ $0.u64(0) }),
           state.image.contains(returnAddress) {
            let count = Self.functions.first { $0.name == breakpoint.function }?.arguments ?? 0
            let slots: [Registers.Slot] = [.rdi, .rsi, .rdx, .rcx, .r8, .r9]
            let arguments = slots.prefix(count).map { Registers.get(tid, $0) ?? 0 }
            if lessons_ptrace(Int32(LESSONS_PTRACE_POKEDATA), tid, rsp, trampoline.address) == 0 {
                openCalls[tid, default: []].append(OpenCall(function: breakpoint.function, arguments: arguments,
                                                       returnAddress: returnAddress, tracee: tracee,
                                                       phase: tracee.process.phase))
            }
        }
        // Step over: the original instruction back, one step, then the int3 again (above).
        _ = lessons_ptrace(Int32(LESSONS_PTRACE_POKEDATA), tid, address, breakpoint.word)
        _ = Registers.set(tid, .rip, address)
        // Signals stay blocked for that one instruction: a signal arriving faster than a ptrace
        // round trip (a 50 µs timer) would otherwise stop the step before it runs, forever.
        let mask = Self.signalMask(tid)
        if mask != nil { Self.setSignalMask(tid, ~UInt64(0)) }
        if lessons_ptrace(Registers.singleStep, tid, 0, 0) == 0 {
            stepping[tid] = (address, mask)
        } else {
            if let mask { Self.setSignalMask(tid, mask) }
            _ = lessons_ptrace(Int32(LESSONS_PTRACE_POKEDATA), tid, address, (breakpoint.word & ~0xff) | 0xcc)
            session.resume(tracee)
        }
        return true
    }

    /// Whether `event` of `tracee` waits for the call the thread is inside. An exit ends the
    /// thread's open calls first (they never returned).
    func hold(_ tracee: Tracee, _ event: TraceEvent) -> Bool {
        guard var calls = openCalls[tracee.tid], !calls.isEmpty else { return false }
        if case .exit = event.kind {
            gone(tracee)
            return false
        }
        calls[calls.count - 1].held.append(event)
        openCalls[tracee.tid] = calls
        return true
    }

    /// The thread is gone: its open calls end unreturned, innermost first into its parent.
    func gone(_ tracee: Tracee) {
        stepping.removeValue(forKey: tracee.tid)
        while let call = openCalls[tracee.tid]?.popLast() {
            finish(call, returnValue: nil, returned: false)
        }
        openCalls.removeValue(forKey: tracee.tid)
    }

    /// The return address of the innermost open call of `tracee` (the learner's call site).
    func currentCallSite(_ tracee: Tracee) -> UInt64? {
        openCalls[tracee.tid]?.last?.returnAddress
    }

    private func finish(_ call: OpenCall, returnValue: UInt64?, returned: Bool) {
        guard let session else { return }
        let event = Self.event(call, returnValue: returnValue, returned: returned)
        let process = call.tracee.process
        var callEvent = TraceEvent(sequence: 0, pid: call.tracee.tid, processID: process.tgid, phase: call.phase,
                                   kind: .libraryCall(event))
        if let sources {
            callEvent.source = sources.describe(tgid: process.tgid, pid: call.tracee.tid, address: call.returnAddress)
        }
        if var outer = openCalls[call.tracee.tid], !outer.isEmpty {
            // A call inside a call (a callback): everything waits for the outer one.
            outer[outer.count - 1].held.append(callEvent)
            outer[outer.count - 1].held.append(contentsOf: call.held)
            openCalls[call.tracee.tid] = outer
            return
        }
        let parent = session.deliver(callEvent)
        for var held in call.held {
            held.parentCall = held.parentCall ?? parent
            session.deliver(held)
        }
    }

    static func event(_ call: OpenCall, returnValue: UInt64?, returned: Bool) -> LibraryCallEvent {
        LibraryCallDecoder.event(function: call.function, arguments: call.arguments, returnValue: returnValue,
                                 returned: returned, returnAddress: call.returnAddress)
    }

    // MARK: - Memory and files

    /// Writes an int3 over the byte at `address`; the original word, or nil.
    static func insertTrap(_ tid: Int32, at address: UInt64) -> UInt64? {
        var word: UInt64 = 0
        guard lessons_ptrace_peek(tid, address, &word) == 0,
              lessons_ptrace(Int32(LESSONS_PTRACE_POKEDATA), tid, address, (word & ~0xff) | 0xcc) == 0 else { return nil }
        return word
    }

    /// The loaded C library: its path and load base (the mapping at file offset 0).
    static func findLibc(pid: Int32) -> (path: String, base: UInt64)? {
        let fd = open("/proc/\(pid)/maps", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard let bytes = FileReader(fd: fd).readAll(limit: 4 << 20) else { return nil }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6, fields[2] == "00000000" else { continue }
            let path = String(fields[5].drop(while: { $0 == " " }))
            let name = path.split(separator: "/").last.map(String.init) ?? ""
            guard name.hasPrefix("libc.so") || (name.hasPrefix("libc-") && name.hasSuffix(".so")) else { continue }
            guard let start = fields[0].split(separator: "-").first.flatMap({ UInt64($0, radix: 16) }) else { continue }
            return (path, start)
        }
        return nil
    }
}

/// Function symbols of a shared library's .dynsym (the first definition of each name).
enum DynamicSymbols {
    static func load(path: String, names: Set<String>) -> [String: UInt64]? {
        guard let file = try? ELFFile(path: path) else { return nil }
        var result: [String: UInt64] = [:]
        file.forEachFunction(in: ELFFile.dynamicSymbolTable) { bytes, value in
            let name = String(decoding: bytes, as: UTF8.self)
            if names.contains(name), result[name] == nil { result[name] = value }
            return true
        }
        return result.isEmpty ? nil : result
    }
}

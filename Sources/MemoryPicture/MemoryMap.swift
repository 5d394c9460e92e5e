// What one process did to its address space after `main`, worked out from its trace events:
// the heap and every move of the program break, every mapping (and what later happened to
// it), failed memory calls, faults, and the pointers the program printed.

import Syscalls

public struct MemoryMap: Sendable {
    /// One `brk` call after main that asked to move the break.
    public struct BreakMove: Sendable, Hashable {
        public var sequence: Int
        /// The break before the call, when known.
        public var from: UInt64?
        /// The address asked for.
        public var requested: UInt64
        /// The break after the call (what `brk` returned).
        public var to: UInt64
        public var succeeded: Bool
    }

    /// One region made by `mmap` (or moved there by `mremap`) after main.
    public struct Mapping: Sendable, Hashable {
        /// 1, 2, 3, … in the order the program made them.
        public var number: Int
        public var sequence: Int
        public var start: UInt64
        public var length: UInt64
        public var protection: UInt64
        public var flags: UInt64
        public var fd: Int64
        public var offset: UInt64
        /// The call as strace writes it (`mmap(NULL, 208896, …) = 0x7f…`).
        public var call: String
        /// The event that removed the whole region (`munmap`, `mremap` moving it, a `MAP_FIXED` over it).
        public var unmappedAt: Int?
        public var unmappedBy: String?
        /// Later calls that changed part of it: partial unmaps, `mprotect`, in-place `mremap`.
        public var changes: [String]
        /// Parts already unmapped (by partial `munmap`s), so that a later call over them is not
        /// counted twice and the region is gone once every part is.
        public var holes: [Range<UInt64>] = []
        /// What made each hole (`#12 munmap`), in the order of `holes`.
        public var holeCauses: [String] = []

        /// What unmapped the part of this region holding `address`, if it is gone.
        public func unmappedBy(at address: UInt64) -> String? {
            if let index = holes.firstIndex(where: { $0.contains(address) }) { return holeCauses[index] }
            return unmappedBy
        }

        /// Where it ends; a range the traced program made run past 2^64 ends at the top.
        public var end: UInt64 { saturatingEnd(start, length) }
        public var isAnonymous: Bool { flags & MapFlags.anonymous != 0 }
        /// In its range and not in a part already unmapped.
        public func contains(_ address: UInt64) -> Bool {
            address >= start && address < end && !holes.contains { $0.contains(address) }
        }
        /// In its range as first made (even if that part was unmapped since).
        func spans(_ address: UInt64) -> Bool { address >= start && address < end }

        /// The bytes of `range` still mapped in this region.
        func liveBytes(in range: Range<UInt64>) -> UInt64 {
            let lower = max(range.lowerBound, start), upper = min(range.upperBound, end)
            guard lower < upper else { return 0 }
            var pieces = [lower..<upper]
            for hole in holes {
                pieces = pieces.flatMap { piece -> [Range<UInt64>] in
                    guard piece.overlaps(hole) else { return [piece] }
                    var rest: [Range<UInt64>] = []
                    if piece.lowerBound < hole.lowerBound { rest.append(piece.lowerBound..<hole.lowerBound) }
                    if hole.upperBound < piece.upperBound { rest.append(hole.upperBound..<piece.upperBound) }
                    return rest
                }
            }
            return pieces.reduce(0) { $0 &+ ($1.upperBound &- $1.lowerBound) }  // Range.count is an Int: 2^63 bytes would trap
        }
    }

    /// A memory call that failed (nothing changed in the address space).
    public struct FailedCall: Sendable, Hashable {
        public var sequence: Int
        public var call: String
    }

    public struct Fault: Sendable, Hashable {
        public var sequence: Int
        public var signal: Int32
        public var code: Int32
        public var address: UInt64
    }

    /// An address the program wrote to its standard output (`got 0x55…`).
    public struct PrintedPointer: Sendable, Hashable {
        public var address: UInt64
        /// The output line it was found in, trimmed.
        public var line: String
    }

    public var processID: Int32
    public var isRoot: Bool
    /// The first `brk(NULL)` result, before or after main; nil when no `brk(NULL)` was recorded.
    public var heapStart: UInt64?
    /// The break when main started (from start-up events, when recorded).
    public var breakAtMain: UInt64?
    /// The break when the trace ended.
    public var finalBreak: UInt64?
    public var breakMoves: [BreakMove] = []
    public var mappings: [Mapping] = []
    public var failedCalls: [FailedCall] = []
    public var faults: [Fault] = []
    public var pointers: [PrintedPointer] = []

    /// True when there is nothing to draw.
    public var isEmpty: Bool {
        breakMoves.isEmpty && mappings.isEmpty && failedCalls.isEmpty && faults.isEmpty && pointers.isEmpty
    }

    /// The heap as far as the trace shows it: from its start to the final break.
    public var heap: (start: UInt64, end: UInt64)? {
        guard let end = finalBreak else { return nil }
        let start = heapStart ?? breakAtMain ?? breakMoves.first?.from ?? breakMoves.first?.to
        guard let start, end >= start, end > start || !breakMoves.isEmpty else { return nil }
        return (start, end)
    }

    public init(processID: Int32, isRoot: Bool) {
        self.processID = processID
        self.isRoot = isRoot
    }

    /// One map per process that touched memory after main, the first process first.
    /// Pointers found in standard output go to the first process.
    public static func maps(of run: ProgramRun) -> [MemoryMap] {
        var order: [Int32] = []
        var maps: [Int32: MemoryMap] = [:]
        for event in run.events {
            let pid = event.processID
            if maps[pid] == nil {
                maps[pid] = MemoryMap(processID: pid, isRoot: pid == run.rootPid)
                order.append(pid)
            }
            maps[pid]!.apply(event, sawMain: run.sawMain)
        }
        if maps[run.rootPid] == nil {
            maps[run.rootPid] = MemoryMap(processID: run.rootPid, isRoot: true)
            order.append(run.rootPid)
        }
        maps[run.rootPid]!.pointers = printedPointers(in: run.stdout)
        let sorted = [run.rootPid] + order.filter { $0 != run.rootPid }
        return sorted.compactMap { maps[$0] }.filter { $0.isRoot || !$0.isEmpty }
    }

    /// Hex addresses of at least 5 digits in the output (`0x55d0c0a1e2a0`), one per occurrence.
    static func printedPointers(in output: [UInt8], limit: Int = 1000) -> [PrintedPointer] {
        var found: [PrintedPointer] = []
        let text = String(decoding: output, as: UTF8.self)
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let chars = Array(line.utf8)
            var i = 0
            while i + 2 < chars.count {
                if chars[i] == UInt8(ascii: "0"), chars[i + 1] == UInt8(ascii: "x") || chars[i + 1] == UInt8(ascii: "X"),
                   i == 0 || !isHexOrWord(chars[i - 1]) {
                    var j = i + 2
                    var value: UInt64 = 0
                    var overflow = false
                    while j < chars.count, let digit = hexValue(chars[j]) {
                        let (shifted, o1) = value.multipliedReportingOverflow(by: 16)
                        value = shifted | UInt64(digit)
                        overflow = overflow || o1
                        j += 1
                    }
                    if j - (i + 2) >= 5, !overflow, j == chars.count || !isHexOrWord(chars[j]) {
                        found.append(PrintedPointer(address: value, line: line.trimmingSpaces()))
                        if found.count >= limit { return found }
                    }
                    i = j
                } else {
                    i += 1
                }
            }
        }
        return found
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static func isHexOrWord(_ c: UInt8) -> Bool {
        hexValue(c) != nil || c == UInt8(ascii: "_") || (c >= UInt8(ascii: "g") && c <= UInt8(ascii: "z"))
            || (c >= UInt8(ascii: "G") && c <= UInt8(ascii: "Z"))
    }

    // MARK: - Following the events

    private var currentBreak: UInt64?

    mutating func apply(_ event: TraceEvent, sawMain: Bool) {
        let afterMain = event.phase == .program || !sawMain
        switch event.kind {
        case .syscall(let call):
            applyCall(call, sequence: event.sequence, afterMain: afterMain)
        case .signal(let signal):
            if afterMain, FaultSignal.isFault(signal.signal), let address = signal.faultAddress {
                faults.append(Fault(sequence: event.sequence, signal: signal.signal, code: signal.code, address: address))
            }
        case .spawned, .exit, .libraryCall:
            break
        }
    }

    private mutating func applyCall(_ call: SyscallEvent, sequence: Int, afterMain: Bool) {
        let args = call.arguments + Array(repeating: 0, count: max(0, 6 - call.arguments.count))
        switch call.number {
        case Nr.brk:
            guard let result = call.returnValue.map({ UInt64(bitPattern: $0) }) else { return }
            let requested = args[0]
            if requested == 0 {
                if heapStart == nil { heapStart = result }
            } else if afterMain {
                let succeeded = result == requested
                breakMoves.append(BreakMove(sequence: sequence, from: currentBreak ?? breakAtMain, requested: requested,
                                            to: result, succeeded: succeeded))
            }
            currentBreak = result
            if afterMain { finalBreak = result } else { breakAtMain = result; finalBreak = result }
        case Nr.mmap:
            guard afterMain else { return }
            guard call.succeeded, let value = call.returnValue else {
                failedCalls.append(FailedCall(sequence: sequence, call: render(call)))
                return
            }
            let start = UInt64(bitPattern: value)
            let length = Sizes.pageRounded(args[1])
            removeRange(start, length, sequence: sequence,
                        by: "replaced by #\(sequence) mmap" + (args[3] & MapFlags.fixed != 0 ? "(MAP_FIXED)" : ""))
            mappings.append(Mapping(number: mappings.count + 1, sequence: sequence, start: start, length: length,
                                    protection: args[2], flags: args[3], fd: Int64(bitPattern: args[4]), offset: args[5],
                                    call: render(call), changes: []))
        case Nr.munmap:
            guard afterMain else { return }
            guard call.succeeded else {
                failedCalls.append(FailedCall(sequence: sequence, call: render(call)))
                return
            }
            removeRange(args[0], Sizes.pageRounded(args[1]), sequence: sequence, by: "#\(sequence) munmap")
        case Nr.mprotect:
            guard afterMain else { return }
            guard call.succeeded else {
                failedCalls.append(FailedCall(sequence: sequence, call: render(call)))
                return
            }
            let (start, end) = (args[0], saturatingEnd(args[0], Sizes.pageRounded(args[1])))
            for i in mappings.indices where mappings[i].unmappedAt == nil && mappings[i].start < end && start < mappings[i].end {
                mappings[i].changes.append("#\(sequence) mprotect → \(Protection.short(args[2]))")
            }
        case Nr.mremap:
            guard afterMain else { return }
            guard call.succeeded, let value = call.returnValue else {
                failedCalls.append(FailedCall(sequence: sequence, call: render(call)))
                return
            }
            let (old, oldLength, newLength) = (args[0], Sizes.pageRounded(args[1]), Sizes.pageRounded(args[2]))
            let newStart = UInt64(bitPattern: value)
            guard let index = mappings.lastIndex(where: { $0.unmappedAt == nil && $0.contains(old) }) else {
                mappings.append(Mapping(number: mappings.count + 1, sequence: sequence, start: newStart, length: newLength,
                                        protection: 0, flags: 0, fd: -1, offset: 0, call: render(call), changes: []))
                return
            }
            if newStart == mappings[index].start && oldLength == mappings[index].length {
                mappings[index].changes.append("#\(sequence) mremap resized it in place to \(Sizes.human(newLength))")
                mappings[index].length = newLength
            } else {
                let original = mappings[index]
                mappings[index].unmappedAt = sequence
                mappings[index].unmappedBy = "#\(sequence) mremap (moved)"
                mappings.append(Mapping(number: mappings.count + 1, sequence: sequence, start: newStart, length: newLength,
                                        protection: original.protection, flags: original.flags, fd: original.fd,
                                        offset: original.offset, call: render(call),
                                        changes: ["moved here from mapping \(original.number)"]))
            }
        default:
            break
        }
    }

    /// munmap semantics: regions wholly inside the range are gone, others lose a part.
    private mutating func removeRange(_ start: UInt64, _ length: UInt64, sequence: Int, by: String) {
        let end = saturatingEnd(start, length)
        guard start < end else { return }
        for i in mappings.indices where mappings[i].unmappedAt == nil && mappings[i].start < end && start < mappings[i].end {
            let removed = mappings[i].liveBytes(in: start..<end)
            guard removed > 0 else { continue }  // that part was already gone
            let whole = mappings[i].liveBytes(in: mappings[i].start..<mappings[i].end)
            if removed == whole {
                mappings[i].unmappedAt = sequence
                mappings[i].unmappedBy = by
            } else {
                mappings[i].holes.append(max(start, mappings[i].start)..<min(end, mappings[i].end))
                mappings[i].holeCauses.append(by)
                mappings[i].changes.append("\(by) removed \(Sizes.human(removed)) of it")
            }
        }
    }

    private func render(_ call: SyscallEvent) -> String {
        StraceFormat.call(call, name: call.name.hasPrefix("syscall_") ? SyscallTable.displayName(of: call.number) : nil)
    }

    /// What lies at `address`: a mapping (live or not), the heap, or nothing this map knows.
    public func place(_ address: UInt64) -> Place {
        if let heap, address >= heap.start, address < heap.end { return .heap(offset: address - heap.start) }
        if let mapping = mappings.last(where: { $0.unmappedAt == nil && $0.contains(address) }) {
            return .mapping(mapping.number, offset: address - mapping.start)
        }
        if let mapping = mappings.last(where: { $0.spans(address) }) {
            return .unmappedMapping(mapping.number, offset: address - mapping.start)
        }
        return .outside
    }

    public enum Place: Sendable, Hashable {
        case heap(offset: UInt64)
        case mapping(Int, offset: UInt64)
        case unmappedMapping(Int, offset: UInt64)
        case outside
    }
}

/// `start + length`, or the top of the address space when the sum passes 2^64 (the values come
/// from the traced program; a wrapped end would make an inverted range).
func saturatingEnd(_ start: UInt64, _ length: UInt64) -> UInt64 {
    let (sum, overflow) = start.addingReportingOverflow(length)
    return overflow ? UInt64.max : sum
}

extension Substring {
    func trimmingSpaces() -> String {
        var s = self
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return String(s)
    }
}

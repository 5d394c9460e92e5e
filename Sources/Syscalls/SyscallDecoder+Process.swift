// The process calls' arguments as strace 6.1 prints them (its execve.c, clone.c, wait.c,
// printrusage.c, resource.c): exit, execve's argv and envp, clone and clone3, wait4's status and
// rusage, waitid, prlimit64's limits, the thread set-up calls (set_tid_address, set_robust_list).
// Every address and length here comes from the traced program: sums wrap, sizes are checked
// before they become counts, so no value can trap.

extension SyscallDecoder {
    /// The argument lists of the process calls decided at entry.
    static func processArguments(number: Int, _ a: Arguments) -> ArgumentList? {
        switch number {
        case Nr.exitGroup, Nr.exit:
            return ArgumentList((StraceText.int(a[0]), 0, .number))
        case Nr.setRobustList:
            return ArgumentList((StraceText.address(a[0]), 0, .address), (String(a[1]), 1, .number))
        case Nr.setTidAddress:
            return ArgumentList((hex(a[0]), 0, .address))
        case Nr.archPrctl:
            return archPrctlArguments(a)
        default:
            return nil
        }
    }

    /// `{rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}` (strace's print_rlimit64), NULL, or the
    /// address when it cannot be read.
    static func rlimit(at address: UInt64, memory: TraceeMemory) -> String {
        guard address != 0 else { return "NULL" }
        guard let bytes = memory.read(address: address, count: 16), bytes.count == 16 else {
            return StraceText.address(address)
        }
        func limit(_ value: UInt64) -> String {
            if value == UInt64.max { return "RLIM64_INFINITY" }
            if value > 1024 && value % 1024 == 0 { return "\(value / 1024)*1024" }
            return String(value)
        }
        return "{rlim_cur=\(limit(UInt64(littleEndian: Array(bytes[0..<8])))), rlim_max=\(limit(UInt64(littleEndian: Array(bytes[8..<16]))))}"
    }

    /// prlimit64's pid, resource and new limit (read at entry; the old one comes at exit).
    static func prlimitHead(_ a: Arguments, memory: TraceeMemory) -> ArgumentList {
        ArgumentList((StraceText.int(a[0]), 0, .number), (FlagTables.rlimitResource.value(a[1] & 0xffffffff), 1, .flags),
                     (rlimit(at: a[2], memory: memory), 2, .structure))
    }

    // MARK: - execve

    /// printargv: `["prog", "arg"]` (each string cut at 32 bytes, at most 32 members then `...`);
    /// a list that runs into unreadable memory ends `... /* 0x… */`.
    static func stringArray(at address: UInt64, memory: TraceeMemory) -> String {
        if address == 0 { return "NULL" }
        var members: [String] = []
        var cursor = address
        while true {
            guard let bytes = memory.read(address: cursor, count: 8), bytes.count == 8 else {
                if members.isEmpty { return StraceText.address(address) }
                members.append("... /* \(hex(cursor)) */")
                break
            }
            let pointer = UInt64(littleEndian: bytes)
            if pointer == 0 { break }
            if members.count == StraceText.stringLimit { members.append("..."); break }
            members.append(StraceText.cString(at: pointer, memory: memory))
            let next = cursor &+ 8
            if next < cursor { members.append("... /* \(hex(next)) */"); break }  // past 2^64: strace's addr < prev_addr
            cursor = next
        }
        return "[" + members.joined(separator: ", ") + "]"
    }

    /// Most pointers counted in an environment list: a hostile list of millions of non-NULL
    /// words would otherwise cost millions of reads (strace counts on; the count is then a bound).
    static let environmentCountLimit = 1 << 20

    /// printargc: `0x7ffd… /* 12 vars */`; `/* 3 vars, unterminated */` when the list runs into
    /// unreadable memory (or past 2^64) before its NULL; just the address when nothing is readable.
    static func environment(at address: UInt64, memory: TraceeMemory) -> String {
        if address == 0 { return "NULL" }
        var count = 0
        var cursor = address
        var terminated = false
        scan: while count < environmentCountLimit {
            // A page at a time: one read for the usual few dozen variables.
            let toPageEnd = Int(truncatingIfNeeded: 4096 &- (cursor & 4095))
            guard let bytes = memory.read(address: cursor, count: max(8, toPageEnd & ~7)), bytes.count >= 8 else { break }
            var offset = 0
            while offset + 8 <= bytes.count {
                if UInt64(littleEndian: Array(bytes[offset..<offset + 8])) == 0 { terminated = true; break scan }
                count += 1
                offset += 8
            }
            let next = cursor &+ UInt64(offset)
            if next < cursor { break }
            cursor = next
        }
        if count == 0 && !terminated { return StraceText.address(address) }
        let unterminated = terminated || count >= environmentCountLimit ? "" : ", unterminated"
        return "\(StraceText.address(address)) /* \(count) var\(count == 1 ? "" : "s")\(unterminated) */"
    }

    // MARK: - clone, clone3

    private static let cloneSignalMask: UInt64 = 0xff
    private static let parentSetTID: UInt64 = 0x100000
    private static let pidFD: UInt64 = 0x1000
    private static let childSetTID: UInt64 = 0x1000000
    private static let childClearTID: UInt64 = 0x200000
    private static let setTLS: UInt64 = 0x80000
    private static let intoCgroup: UInt64 = 0x200000000

    /// clone's `child_stack=0x7f…, flags=CLONE_VM|…|SIGCHLD`: the stack (register 1) first.
    static func cloneEntry(_ a: Arguments) -> ArgumentList {
        let flags = a[0] & ~cloneSignalMask
        let signal = a[0] & cloneSignalMask
        var text = "flags="
        if flags != 0 {
            text += FlagTables.clone.flags(flags)
            if signal != 0 { text += "|" + StraceText.signal(signal) }
        } else {
            text += StraceText.signal(signal)
        }
        return ArgumentList(("child_stack=" + StraceText.address(a[1]), 1, .address), (text, 0, .flags))
    }

    static func cloneExit(_ a: Arguments, failed: Bool, memory: TraceeMemory) -> ArgumentList {
        let flags = a[0] & ~cloneSignalMask
        var list = ArgumentList()
        if flags & (parentSetTID | pidFD) != 0 {
            list.add("parent_tid=" + (failed ? StraceText.address(a[2]) : intPointer(a[2], memory: memory)), 2, .structure)
        }
        if flags & setTLS != 0 { list.add("tls=" + StraceText.address(a[4]), 4, .address) }
        if flags & (childSetTID | childClearTID) != 0 { list.add("child_tidptr=" + StraceText.address(a[3]), 3, .address) }
        return list
    }

    /// printnum_int: `[5]`, `NULL`, or the address when unreadable.
    static func intPointer(_ address: UInt64, memory: TraceeMemory) -> String {
        guard address != 0 else { return "NULL" }
        guard let bytes = memory.read(address: address, count: 4), bytes.count == 4 else { return StraceText.address(address) }
        return "[\(Int32(littleEndian: bytes))]"
    }

    /// sizeof(struct clone_args) as strace 6.1 knows it, and the least it decodes (up to `tls`).
    static let cloneArgsSize: UInt64 = 88
    static let cloneArgsMinimum: UInt64 = 64

    /// struct clone_args: flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size,
    /// tls, set_tid, set_tid_size, cgroup; then any nonzero bytes past the struct strace knows.
    static func clone3Entry(_ a: Arguments, memory: TraceeMemory) -> String {
        let size = a[1]
        let fetched = min(size, cloneArgsSize)
        guard fetched >= cloneArgsMinimum, let bytes = memory.read(address: a[0], count: Int(fetched)),
              bytes.count == Int(fetched) else {
            return StraceText.address(a[0])
        }
        // A size that is not a multiple of 8 fills the last field in part (strace reads into a zeroed struct).
        func field(_ index: Int) -> UInt64 {
            let start = index * 8
            return start < bytes.count ? UInt64(littleEndian: Array(bytes[start..<min(start + 8, bytes.count)])) : 0
        }
        let flags = field(0)
        var parts = ["flags=" + FlagTables.clone3.flags(flags)]
        if flags & pidFD != 0 { parts.append("pidfd=" + StraceText.address(field(1))) }
        if flags & (childSetTID | childClearTID) != 0 { parts.append("child_tid=" + StraceText.address(field(2))) }
        if flags & parentSetTID != 0 { parts.append("parent_tid=" + StraceText.address(field(3))) }
        let exitSignal = field(4)
        parts.append("exit_signal=" + (exitSignal < UInt64(Int32.max) ? StraceText.signal(exitSignal) : String(exitSignal)))
        parts.append("stack=" + StraceText.address(field(5)))
        parts.append("stack_size=" + hex(field(6)))
        if flags & setTLS != 0 { parts.append("tls=" + StraceText.address(field(7))) }
        let setTID = field(8), setTIDSize = field(9)
        if setTID != 0 || setTIDSize != 0 {
            if setTID == 0 || setTIDSize == 0 || setTIDSize > 32 {
                parts.append("set_tid=" + StraceText.address(setTID))
            } else {
                parts.append("set_tid=" + array(at: setTID, count: setTIDSize, elementSize: 4, memory: memory) {
                    String(Int32(littleEndian: $0))
                })
            }
            parts.append("set_tid_size=\(setTIDSize)")
        }
        if fetched > 80 && (field(10) != 0 || flags & intoCgroup != 0) { parts.append("cgroup=\(field(10))") }
        if let tail = nonzeroTail(a, memory: memory) { parts.append(tail) }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    /// print_nonzero_bytes for the bytes past the struct strace knows (size > 88, up to a page):
    /// `/* bytes 88..95 */ "\x…"`, `???` when unreadable, nil when all zero or absent.
    private static func nonzeroTail(_ a: Arguments, memory: TraceeMemory) -> String? {
        let total = min(a[1], 4096)
        guard total > cloneArgsSize else { return nil }
        let length = Int(total - cloneArgsSize)
        guard let bytes = memory.read(address: a[0] &+ cloneArgsSize, count: length), bytes.count == length else { return "???" }
        if bytes.allSatisfy({ $0 == 0 }) { return nil }
        return "/* bytes \(cloneArgsSize)..\(total - 1) */ " + StraceText.quote(bytes.prefix(StraceText.stringLimit), forceHex: true)
            + (length > StraceText.stringLimit ? "..." : "")
    }

    /// Whether strace finishes a clone3 line at exit (the kernel writes a pidfd or parent tid
    /// back, or the struct has bytes past what strace knows); otherwise the whole line, size
    /// included, is printed at entry.
    static func clone3WritesBack(_ a: Arguments, memory: TraceeMemory) -> Bool {
        let fetched = min(a[1], cloneArgsSize)
        guard fetched >= cloneArgsMinimum, let bytes = memory.read(address: a[0], count: Int(fetched)),
              bytes.count == Int(fetched) else { return false }
        return UInt64(littleEndian: Array(bytes[0..<8])) & (pidFD | parentSetTID) != 0 || a[1] > cloneArgsSize
    }

    /// What strace adds at exit to the struct: ` => {pidfd=[3], parent_tid=[1234]}` (what the kernel wrote).
    static func clone3WrittenBack(_ a: Arguments, failed: Bool, memory: TraceeMemory) -> String {
        let size = a[1]
        let fetched = min(size, cloneArgsSize)
        var text = ""
        if fetched >= cloneArgsMinimum, !failed {
            if let bytes = memory.read(address: a[0], count: Int(fetched)), bytes.count == Int(fetched) {
                let flags = UInt64(littleEndian: Array(bytes[0..<8]))
                var changed: [String] = []
                if flags & pidFD != 0 { changed.append("pidfd=" + intPointer(UInt64(littleEndian: Array(bytes[8..<16])), memory: memory)) }
                if flags & parentSetTID != 0 { changed.append("parent_tid=" + intPointer(UInt64(littleEndian: Array(bytes[24..<32])), memory: memory)) }
                if let tail = nonzeroTail(a, memory: memory) { changed.append(tail) }
                if !changed.isEmpty { text += " => {" + changed.joined(separator: ", ") + "}" }
            } else {
                text += " => " + StraceText.address(a[0])
            }
        }
        return text
    }

    // MARK: - wait4, waitid

    /// printstatus: `{WIFEXITED(s) && WEXITSTATUS(s) == 3}`, `{WIFCONTINUED(s)}`, leftover bits
    /// as `|PTRACE_EVENT_STOP<<16` and `|0x…`, an impossible status in hex.
    static func waitStatus(_ raw: Int32) -> String {
        var status = UInt32(bitPattern: raw)
        var text: String
        if status & 0xff == 0x7f {
            let signal = (status >> 8) & 0xff
            text = "{WIFSTOPPED(s) && WSTOPSIG(s) == \(SignalTable.name(of: Int32(signal & 0x7f)))\(signal & 0x80 != 0 ? " | 0x80" : "")}"
            status &= ~((signal << 8) | 0x7f)
        } else if status & 0x7f != 0 && status & 0x7f != 0x7f {
            let signal = status & 0x7f
            text = "{WIFSIGNALED(s) && WTERMSIG(s) == \(SignalTable.name(of: Int32(signal)))\(status & 0x80 != 0 ? " && WCOREDUMP(s)" : "")}"
            status &= ~(signal | 0x80)
        } else if status & 0x7f == 0 {
            text = "{WIFEXITED(s) && WEXITSTATUS(s) == \((status >> 8) & 0xff)}"
            status &= ~0xff00
        } else if status == 0xffff {
            return "[{WIFCONTINUED(s)}]"
        } else {
            return "[" + hex(UInt64(status)) + "]"
        }
        if status != 0 {
            let event = status >> 16
            if event != 0 {
                text += "|" + FlagTables.ptraceEvents.value(UInt64(event)) + "<<16"
                status &= 0xffff
            }
            if status != 0 { text += "|" + hex(UInt64(status)) }
        }
        return "[" + text + "]"
    }

    /// printrusage (abbreviated): `{ru_utime={tv_sec=0, tv_usec=186}, ru_stime={…}, ...}`.
    static func rusage(at address: UInt64, failed: Bool, memory: TraceeMemory) -> String {
        if address == 0 { return "NULL" }
        guard !failed, let bytes = memory.read(address: address, count: 32), bytes.count == 32 else { return StraceText.address(address) }
        func timeval(_ offset: Int) -> String {
            "{tv_sec=\(Int64(bitPattern: UInt64(littleEndian: Array(bytes[offset..<offset + 8])))), tv_usec=\(UInt64(littleEndian: Array(bytes[offset + 8..<offset + 16])))}"
        }
        return "{ru_utime=\(timeval(0)), ru_stime=\(timeval(16)), ...}"
    }

    /// wait4 after its pid: the status (read only when a child was reported), options, rusage.
    static func wait4Rest(_ a: Arguments, returnValue: Int64?, memory: TraceeMemory) -> ArgumentList {
        let failed = returnValue.map(ErrnoTable.isFailure) ?? true
        var status = StraceText.address(a[1])
        if let value = returnValue, value != 0, !failed, a[1] != 0,
           let bytes = memory.read(address: a[1], count: 4), bytes.count == 4 {
            status = waitStatus(Int32(littleEndian: bytes))
        }
        let reported = (returnValue ?? 0) > 0
        return ArgumentList((status, 1, .structure), (FlagTables.waitOptions.flags(a[2] & 0xffffffff), 2, .flags),
                            (reported ? rusage(at: a[3], failed: false, memory: memory) : StraceText.address(a[3]), 3, .structure))
    }

    /// waitid's `P_PID, 1234, ` (printed at entry).
    static func waitidHead(_ a: Arguments) -> ArgumentList {
        let type = a[0] & 0xffffffff
        return ArgumentList((FlagTables.waitidTypes.value(type), 0, .flags), (StraceText.int(a[1]), 1, .number))
    }

    /// waitid after the id: the siginfo the call filled in, options, rusage.
    static func waitidRest(_ a: Arguments, failed: Bool, memory: TraceeMemory) -> ArgumentList {
        var info = StraceText.address(a[2])
        if a[2] != 0, !failed, let bytes = memory.read(address: a[2], count: 128), bytes.count == 128 {
            info = SignalDecoding.decode(bytes).rendered
        }
        return ArgumentList((info, 2, .structure), (FlagTables.waitOptions.flags(a[3] & 0xffffffff), 3, .flags),
                            (rusage(at: a[4], failed: failed, memory: memory), 4, .structure))
    }

    // MARK: - Arrays

    /// print_array: `[1, 2]` of `count` elements of `elementSize` bytes; `NULL`; `[]`; the
    /// address when the first element is unreadable or the array would pass 2^64; after 32
    /// elements `...`; a later unreadable element ends the list `... /* 0x… */`.
    static func array(at start: UInt64, count: UInt64, elementSize: UInt64, memory: TraceeMemory,
                      element: ([UInt8]) -> String) -> String {
        if start == 0 { return "NULL" }
        if count == 0 { return "[]" }
        let (size, overflow) = count.multipliedReportingOverflow(by: elementSize)
        let end = start &+ size
        if overflow || end <= start { return StraceText.address(start) }
        let shown = UInt64(StraceText.stringLimit)
        let abbreviatedEnd = count > shown ? start &+ elementSize &* shown : end
        var parts: [String] = []
        var cursor = start
        while cursor < end {
            guard let bytes = memory.read(address: cursor, count: Int(elementSize)), bytes.count == Int(elementSize) else {
                if cursor == start { return StraceText.address(start) }
                parts.append("... /* \(hex(cursor)) */")
                break
            }
            if cursor >= abbreviatedEnd { parts.append("..."); break }
            parts.append(element(bytes))
            cursor &+= elementSize
        }
        return "[" + parts.joined(separator: ", ") + "]"
    }
}

// A run prepared for matching: events indexed by kind and syscall, arguments in flat
// columns (so the hot loop touches no reference-counted storage), and the state the trace
// implies (the program break of every process at every point, the heap's start).

import Syscalls

final class TraceModel {
    let run: ProgramRun
    let root: Int32
    let count: Int

    // Flat columns, one entry per event. All `let`: a class's `var`s would cost a dynamic
    // exclusivity check on every access in the hot loop.
    let arguments: [UInt64]     // 6 per event (syscalls; zero otherwise)
    let returns: [Int64]
    let returned: [Bool]
    let processes: [Int32]
    let isProgramPhase: [Bool]

    /// Event indices of each syscall number, in order.
    let callsByNumber: [Int: [Int]]
    let numberByName: [String: Int]
    let signalIndices: [Int]
    let processSpawnIndices: [Int]
    let threadSpawnIndices: [Int]
    /// Child processes (not threads) in the order they appeared, and their parents.
    let children: [Int32]
    private let parentOf: [Int32: (parent: Int32, index: Int)]
    /// Exit events by pid.
    let exitIndexByPid: [Int32: Int]

    /// Per process: (event index, break after it), in order.
    private let breaks: [Int32: [(index: Int, value: Int64)]]
    let firstProgramIndex: Int

    let heapStart: Int64?
    let breakMain: Int64?
    let breakFinal: Int64?
    let breakPeak: Int64?
    let breakGrowth: Int64?

    init(_ run: ProgramRun) {
        self.run = run
        self.root = run.rootPid
        let count = run.events.count
        self.count = count
        let root = run.rootPid
        var arguments: [UInt64] = []
        var returns: [Int64] = []
        var returned: [Bool] = []
        var processes: [Int32] = []
        var isProgramPhase: [Bool] = []
        arguments.reserveCapacity(count * 6)
        returns.reserveCapacity(count)
        returned.reserveCapacity(count)
        processes.reserveCapacity(count)
        isProgramPhase.reserveCapacity(count)
        // Small syscall numbers index an array; others (none on x86_64 today) a dictionary.
        var byNumber = Array(repeating: [Int](), count: 512)
        var byLargeNumber: [Int: [Int]] = [:]
        var numberByName: [String: Int] = [:]
        var signalIndices: [Int] = []
        var processSpawnIndices: [Int] = []
        var threadSpawnIndices: [Int] = []
        var children: [Int32] = []
        var parentOf: [Int32: (parent: Int32, index: Int)] = [:]
        var exitIndexByPid: [Int32: Int] = [:]
        var breaks: [Int32: [(index: Int, value: Int64)]] = [:]
        var heapStart: Int64?
        var breakFinal: Int64?
        var breakPeak: Int64?
        var firstProgram: Int?
        var brkNumber = -1
        var currentBreak: [Int32: Int64] = [:]
        var growth: Int64 = 0
        var sawRootBrk = false
        var otherPids: [Int32] = []
        var lastPid = root

        func inherited(_ pid: Int32) -> Int64? {
            guard let parent = parentOf[pid] else { return nil }
            return currentBreak[parent.parent]
        }
        func appendEmpty() {
            for _ in 0..<6 { arguments.append(0) }
            returns.append(0)
            returned.append(false)
        }

        for i in 0..<count {
            let event = run.events[i]
            let program = !run.sawMain || event.phase == .program
            if program && firstProgram == nil { firstProgram = i }
            isProgramPhase.append(program)
            let pid = event.processID
            processes.append(pid)
            if pid != lastPid {
                lastPid = pid
                if pid != root, !otherPids.contains(pid) { otherPids.append(pid) }
            }
            switch event.kind {
            case .syscall(let call):
                let args = call.arguments
                let n = args.count
                arguments.append(n > 0 ? args[0] : 0)
                arguments.append(n > 1 ? args[1] : 0)
                arguments.append(n > 2 ? args[2] : 0)
                arguments.append(n > 3 ? args[3] : 0)
                arguments.append(n > 4 ? args[4] : 0)
                arguments.append(n > 5 ? args[5] : 0)
                returns.append(call.returnValue ?? 0)
                returned.append(call.returnValue != nil)
                let number = call.number
                if number >= 0 && number < 512 {
                    if byNumber[number].isEmpty { numberByName[call.name] = number }
                    byNumber[number].append(i)
                } else {
                    if byLargeNumber[number] == nil { numberByName[call.name] = number }
                    byLargeNumber[number, default: []].append(i)
                }
                if brkNumber < 0, call.name == "brk" { brkNumber = number }
                if number == brkNumber, let value = call.returnValue {
                    let before = currentBreak[pid] ?? inherited(pid)
                    breaks[pid, default: []].append((i, value))
                    currentBreak[pid] = value
                    if pid == root {
                        if heapStart == nil, (args.first ?? 1) == 0 { heapStart = value }
                        sawRootBrk = true
                        breakPeak = max(breakPeak ?? value, value)
                        breakFinal = value
                        if program, let before, value > before { growth = growth &+ (value &- before) }  // traced values: wrap, never trap
                    }
                }
            case .signal:
                appendEmpty()
                signalIndices.append(i)
            case .spawned(let child, let isThread):
                appendEmpty()
                if isThread {
                    threadSpawnIndices.append(i)
                } else {
                    processSpawnIndices.append(i)
                    if !children.contains(child) { children.append(child) }
                    parentOf[child] = (pid, i)
                    if let parentBreak = currentBreak[pid], currentBreak[child] == nil {
                        currentBreak[child] = parentBreak
                        breaks[child, default: []].append((i, parentBreak))
                    }
                }
            case .exit:
                appendEmpty()
                exitIndexByPid[event.pid] = i
            case .libraryCall(let call):  // `malloc(…) = $p` matches like a call, under a pseudo-number (LibraryCalls.swift)
                guard let number = LibraryCallNames.pseudoNumber(of: call.function) else { appendEmpty(); break }
                for k in 0..<6 { arguments.append(k < call.arguments.count ? call.arguments[k] : 0) }
                returns.append(Int64(bitPattern: call.returnValue ?? 0))
                returned.append(call.returned)
                numberByName[call.function] = number
                byLargeNumber[number, default: []].append(i)
            }
        }
        // Processes seen without a spawn event (e.g. the tracer attached late) still count as children.
        for pid in otherPids where !children.contains(pid) { children.append(pid) }
        var callsByNumber = byLargeNumber
        for number in 0..<512 where !byNumber[number].isEmpty { callsByNumber[number] = byNumber[number] }

        self.arguments = arguments
        self.returns = returns
        self.returned = returned
        self.processes = processes
        self.isProgramPhase = isProgramPhase
        self.callsByNumber = callsByNumber
        self.numberByName = numberByName
        self.signalIndices = signalIndices
        self.processSpawnIndices = processSpawnIndices
        self.threadSpawnIndices = threadSpawnIndices
        self.children = children
        self.parentOf = parentOf
        self.exitIndexByPid = exitIndexByPid
        self.breaks = breaks
        self.firstProgramIndex = firstProgram ?? count
        self.heapStart = heapStart ?? breaks[root]?.first?.value
        self.breakFinal = breakFinal
        self.breakPeak = breakPeak
        self.breakGrowth = sawRootBrk ? growth : nil
        var breakMain = TraceModel.breakBefore(firstProgram ?? count, process: root, breaks: breaks, parentOf: parentOf)
        if breakMain == nil, let firstIndex = breaks[root]?.first?.index, firstIndex >= (firstProgram ?? count),
           case .syscall(let call) = run.events[firstIndex].kind, call.arguments.first == 0 {
            // No brk before main: the first `brk(NULL)` after it reports the break main started with.
            breakMain = call.returnValue
        }
        self.breakMain = breakMain
    }

    @inline(__always) func argument(_ event: Int, _ k: Int) -> UInt64 { arguments[event &* 6 &+ k] }

    /// The break of `process` just before event `index`.
    func breakBefore(_ index: Int, process: Int32) -> Int64? {
        TraceModel.breakBefore(index, process: process, breaks: breaks, parentOf: parentOf)
    }

    private static func breakBefore(_ index: Int, process: Int32, breaks: [Int32: [(index: Int, value: Int64)]],
                                    parentOf: [Int32: (parent: Int32, index: Int)]) -> Int64? {
        if let timeline = breaks[process], !timeline.isEmpty {
            // Last entry with entry.index < index.
            var low = 0
            var high = timeline.count
            while low < high {
                let mid = (low + high) / 2
                if timeline[mid].index < index { low = mid + 1 } else { high = mid }
            }
            if low > 0 { return timeline[low - 1].value }
        }
        if let parent = parentOf[process] {
            return breakBefore(parent.index, process: parent.parent, breaks: breaks, parentOf: parentOf)
        }
        return nil
    }

    func candidates(for event: EventPattern) -> [Int] {
        switch event {
        case .call(let call):
            guard let number = numberByName[call.name] else { return [] }
            return callsByNumber[number] ?? []
        case .signal: return signalIndices
        case .spawn(let thread): return thread ? threadSpawnIndices : processSpawnIndices
        }
    }

    @inline(__always) func inScope(_ index: Int, _ scope: Scope) -> Bool {
        switch scope.phase {
        case .program: if !isProgramPhase[index] { return false }
        case .startup: if isProgramPhase[index] { return false }
        case .always: break
        }
        switch scope.process {
        case .any: return true
        case .root: return processes[index] == root
        case .child: return processes[index] != root
        }
    }

    /// Bytes written to `fd` by the processes in `scope` (rebuilt from `write` events).
    func written(fd: UInt64, process: Scope.Process) -> [UInt8] {
        guard let number = numberByName["write"], let indices = callsByNumber[number] else { return [] }
        var bytes: [UInt8] = []
        for i in indices where argument(i, 0) & 0xffff_ffff == fd {
            let pid = processes[i]
            switch process {
            case .any: break
            case .root: if pid != root { continue }
            case .child: if pid == root { continue }
            }
            guard let call = run.events[i].syscall, call.succeeded, let data = call.data else { continue }
            let written = Int(call.returnValue ?? 0)
            bytes.append(contentsOf: data.prefix(max(0, written)))
        }
        return bytes
    }

    /// How a process ended, from its exit event (or the run's exit for the root).
    func exit(of pid: Int32) -> ProcessExit? {
        if pid == root, let exit = run.exit { return exit }
        guard let index = exitIndexByPid[pid], case .exit(let exit) = run.events[index].kind else { return nil }
        return exit
    }

    /// The last delivery of `signal` to `process`.
    func lastSignal(_ signal: Int32, process: Int32) -> SignalEvent? {
        for i in signalIndices.reversed() where processes[i] == process {
            if case .signal(let s) = run.events[i].kind, s.signal == signal { return s }
        }
        return nil
    }

    /// The learner's source line of event `index`, when the trace was asked for source lines.
    func source(_ index: Int) -> EventSource? {
        guard index >= 0, index < run.events.count else { return nil }
        return run.events[index].source
    }

    /// An event as `lessons trace` prints it, without padding (StraceFormat).
    func render(_ index: Int) -> String {
        let event = run.events[index]
        let prefix = event.processID != root || !children.isEmpty ? "[pid \(event.pid)] " : ""
        if case .spawned(let child, let isThread) = event.kind {
            return prefix + "(new \(isThread ? "thread" : "process") \(child))"
        }
        return prefix + (StraceFormat.text(event) ?? "")
    }

    func render(_ exit: ProcessExit) -> String { StraceFormat.exitText(exit) }
}

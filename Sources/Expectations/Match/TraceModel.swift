// A run prepared for matching: events indexed by kind and syscall, arguments in flat
// columns (so the hot loop touches no reference-counted storage), and the state the trace
// implies (the program break of every process at every point, the heap's start).

import Syscalls

final class TraceModel {
    let run: ProgramRun
    let root: Int32
    let count: Int

    // Flat columns, one entry per event.
    private(set) var arguments: [UInt64] = []     // 6 per event (syscalls; zero otherwise)
    private(set) var returns: [Int64] = []
    private(set) var returned: [Bool] = []
    private(set) var processes: [Int32] = []
    private(set) var isProgramPhase: [Bool] = []

    /// Event indices of each syscall number, in order.
    private(set) var callsByNumber: [Int: [Int]] = [:]
    private(set) var numberByName: [String: Int] = [:]
    private(set) var signalIndices: [Int] = []
    private(set) var processSpawnIndices: [Int] = []
    private(set) var threadSpawnIndices: [Int] = []
    /// Child processes (not threads) in the order they appeared, and their parents.
    private(set) var children: [Int32] = []
    private var parentOf: [Int32: (parent: Int32, index: Int)] = [:]
    /// Exit events by pid.
    private(set) var exitIndexByPid: [Int32: Int] = [:]

    /// Per process: (event index, break after it), in order.
    private var breaks: [Int32: [(index: Int, value: Int64)]] = [:]
    private(set) var firstProgramIndex: Int = 0

    private(set) var heapStart: Int64?
    private(set) var breakMain: Int64?
    private(set) var breakFinal: Int64?
    private(set) var breakPeak: Int64?
    private(set) var breakGrowth: Int64?

    init(_ run: ProgramRun) {
        self.run = run
        self.root = run.rootPid
        self.count = run.events.count
        arguments.reserveCapacity(count * 6)
        returns.reserveCapacity(count)
        returned.reserveCapacity(count)
        processes.reserveCapacity(count)
        isProgramPhase.reserveCapacity(count)
        var firstProgram: Int?
        var brkNumber: Int?
        var currentBreak: [Int32: Int64] = [:]
        var growth: Int64 = 0
        var sawRootBrk = false

        for (i, event) in run.events.enumerated() {
            let program = !run.sawMain || event.phase == .program
            if program && firstProgram == nil { firstProgram = i }
            isProgramPhase.append(program)
            processes.append(event.processID)
            switch event.kind {
            case .syscall(let call):
                let args = call.arguments
                for k in 0..<6 { arguments.append(k < args.count ? args[k] : 0) }
                returns.append(call.returnValue ?? 0)
                returned.append(call.returnValue != nil)
                if callsByNumber[call.number] == nil {
                    callsByNumber[call.number] = [i]
                    if numberByName[call.name] == nil { numberByName[call.name] = call.number }
                } else {
                    callsByNumber[call.number]!.append(i)
                }
                if brkNumber == nil, call.name == "brk" { brkNumber = call.number }
                if call.number == brkNumber, let value = call.returnValue {
                    let pid = event.processID
                    let before = currentBreak[pid] ?? inheritedBreak(pid, currentBreak)
                    breaks[pid, default: []].append((i, value))
                    currentBreak[pid] = value
                    if pid == root {
                        if heapStart == nil, (args.first ?? 1) == 0 { heapStart = value }
                        if !sawRootBrk { sawRootBrk = true }
                        breakPeak = max(breakPeak ?? value, value)
                        breakFinal = value
                        if program, let before, value > before { growth += value - before }
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
                    parentOf[child] = (event.processID, i)
                    if let parentBreak = currentBreak[event.processID], currentBreak[child] == nil {
                        currentBreak[child] = parentBreak
                        breaks[child, default: []].append((i, parentBreak))
                    }
                }
            case .exit:
                appendEmpty()
                exitIndexByPid[event.pid] = i
            }
        }
        // Processes seen without a spawn event (e.g. the tracer attached late) still count as children.
        for pid in Set(processes) where pid != root && !children.contains(pid) { children.append(pid) }
        firstProgramIndex = firstProgram ?? count
        if heapStart == nil, let first = breaks[root]?.first?.value { heapStart = first }
        breakGrowth = sawRootBrk ? growth : nil
        breakMain = breakBefore(firstProgramIndex, process: root)
        if breakMain == nil, let firstIndex = breaks[root]?.first?.index, firstIndex >= firstProgramIndex,
           case .syscall(let call) = run.events[firstIndex].kind, call.arguments.first == 0 {
            // No brk before main: the first `brk(NULL)` after it reports the break main started with.
            breakMain = call.returnValue
        }
    }

    private func appendEmpty() {
        for _ in 0..<6 { arguments.append(0) }
        returns.append(0)
        returned.append(false)
    }

    private func inheritedBreak(_ pid: Int32, _ current: [Int32: Int64]) -> Int64? {
        guard let parent = parentOf[pid] else { return nil }
        return current[parent.parent]
    }

    @inline(__always) func argument(_ event: Int, _ k: Int) -> UInt64 { arguments[event &* 6 &+ k] }

    /// The break of `process` just before event `index`.
    func breakBefore(_ index: Int, process: Int32) -> Int64? {
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
        if let parent = parentOf[process] { return breakBefore(parent.index, process: parent.parent) }
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

    /// An event as `lessons trace` prints it.
    func render(_ index: Int) -> String {
        let event = run.events[index]
        let prefix = event.processID != root || !children.isEmpty ? "[pid \(event.pid)] " : ""
        switch event.kind {
        case .syscall(let call):
            return prefix + "\(call.name)(\(call.renderedArguments)) = \(call.renderedReturn)"
        case .signal(let signal):
            return prefix + "--- \(Constants.signalName(signal.signal)) \(signal.rendered) ---"
        case .spawned(let child, let isThread):
            return prefix + "(new \(isThread ? "thread" : "process") \(child))"
        case .exit(let exit):
            return prefix + render(exit)
        }
    }

    func render(_ exit: ProcessExit) -> String {
        switch exit {
        case .exited(let status): return "+++ exited with \(status) +++"
        case .killed(let signal, let core):
            return "+++ killed by \(Constants.signalName(signal))\(core ? " (core dumped)" : "") +++"
        }
    }
}

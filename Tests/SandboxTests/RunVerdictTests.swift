// The verdict from wait statuses and limits, without a kernel.
import Testing
@testable import Sandbox
import EventBuilder
import Syscalls
import Tracing

@Test func normalExitsImplyNoStatus() {
    #expect(RunVerdict.status(exit: .exited(status: 0), limits: RunLimits(), observed: RunObservations()) == nil)
    #expect(RunVerdict.status(exit: .exited(status: 3), limits: RunLimits(), observed: RunObservations()) == nil)
}

@Test func precedenceWinsWhenSeveralApply() {
    var observed = RunObservations()
    observed.outputLimitExceeded = true
    #expect(RunVerdict.status(exit: .killed(signal: 9, coreDumped: false), limits: RunLimits(), observed: observed) == .outputLimit)
    observed.allocationFailedAtCap = true
    #expect(RunVerdict.status(exit: .killed(signal: 11, coreDumped: false), limits: RunLimits(), observed: observed) == .memoryLimit)
    #expect(RunVerdict.status(exit: .exited(status: 1), limits: RunLimits(), observed: observed) == .memoryLimit)
    var coped = RunObservations()
    coped.allocationFailedAtCap = true
    #expect(RunVerdict.status(exit: .exited(status: 0), limits: RunLimits(), observed: coped) == nil)
    observed.timedOut = true
    #expect(RunVerdict.status(exit: nil, limits: RunLimits(), observed: observed) == .timeout)
}

@Test func signalsMapToTheirLimits() {
    let none = RunObservations()
    #expect(RunVerdict.status(exit: .killed(signal: 24, coreDumped: false), limits: RunLimits(), observed: none) == .timeout)
    #expect(RunVerdict.status(exit: .killed(signal: 25, coreDumped: false), limits: RunLimits(), observed: none) == .outputLimit)
    #expect(RunVerdict.status(exit: .killed(signal: 11, coreDumped: false), limits: RunLimits(), observed: none) == .crashed)
    #expect(RunVerdict.status(exit: .killed(signal: 4, coreDumped: false), limits: RunLimits(), observed: none) == .crashed)
    var cpu = RunObservations()
    cpu.cpuSeconds = 2.5
    #expect(RunVerdict.status(exit: .killed(signal: 9, coreDumped: false), limits: RunLimits(), observed: cpu) == .timeout)
    var oom = RunObservations()
    oom.oomKillerFired = true
    #expect(RunVerdict.status(exit: .killed(signal: 9, coreDumped: false), limits: RunLimits(), observed: oom) == .memoryLimit)
    #expect(RunVerdict.status(exit: .exited(status: 0), limits: RunLimits(), observed: oom) == nil)
    #expect(RunVerdict.status(exit: nil, limits: RunLimits(), observed: none) == .internalError)
}

@Test func allocationFailuresCountOnlyWhenTheCapCausedThem() {
    func call(_ number: Int, _ arguments: [UInt64], _ result: Int64) -> SyscallEvent {
        EventBuilder.call(number: number, arguments, result)
    }
    var watch = AllocationWatch(memoryBytes: 256 << 20)
    watch.observe(call(Nr.mmap, [0, 1 << 46, 3, 0x22, UInt64.max, 0], -12))  // malloc(1 << 46): fails anyway
    #expect(!watch.failedAtCap)
    watch.observe(call(Nr.mmap, [0, 1 << 20, 3, 0x22, UInt64.max, 0], 0x7f0000000000))  // succeeded
    #expect(!watch.failedAtCap)
    watch.observe(call(Nr.brk, [0, 0, 0, 0, 0, 0], 0x555555559000))  // brk(NULL)
    #expect(!watch.failedAtCap)
    watch.observe(call(Nr.brk, [0x555555600000, 0, 0, 0, 0, 0], 0x555555559000))  // brk refused
    #expect(watch.failedAtCap)
    var injected = AllocationWatch(memoryBytes: 256 << 20)
    var refused = call(Nr.mmap, [0, 1 << 20, 3, 0x22, UInt64.max, 0], -12)
    refused.injected = true  // as the tracer marks a call it answered itself
    injected.observe(refused)
    #expect(!injected.failedAtCap)
    var mmap = AllocationWatch(memoryBytes: 256 << 20)
    mmap.observe(call(Nr.mmap, [0, 128 << 20, 0, 0x4022, UInt64.max, 0], -12))  // a glibc arena reservation
    #expect(!mmap.failedAtCap)
    mmap.observe(call(Nr.mmap, [0, 1 << 20, 3, 0x22, UInt64.max, 0], -12))
    #expect(mmap.failedAtCap)
}

@Test func defaultsAreIssueSeven() {
    let limits = RunLimits()
    #expect(limits.cpuSeconds == 2 && limits.wallSeconds == 6 && limits.memoryBytes == 256 << 20)
    #expect(limits.processes == 16 && limits.stdoutBytes == 1 << 20 && limits.stderrBytes == 64 << 10)
    #expect(limits.fileSizeBytes == 1 << 20 && limits.openFiles == 64 && !limits.allowExec)
    let compile = CompileLimits()
    #expect(compile.wallSeconds == 30 && compile.memoryBytes == 2 << 30 && compile.diagnosticsBytes == 64 << 10)
    #expect(compile.sourceBytes == 256 << 10)
}

@Test func elfImageSizeSeesTheBss() throws {
    let small = try Fixtures.build("raise_segv")
    let huge = try Fixtures.build("huge_bss")
    #expect(ELFImage.loadableBytes(path: small) < 1 << 20)
    #expect(ELFImage.loadableBytes(path: huge) > 4 << 30)
    #expect(ELFImage.loadableBytes(path: "/nonexistent") == 0)
}

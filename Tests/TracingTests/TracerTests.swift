// The tracer against real programs under real ptrace: what it must see, in which phase,
// and how processes end.

import CLessonsPtrace
import Syscalls
import Testing
@testable import Tracing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct MainMarkerTests {
    @Test func defaultTraceOfACProgramHasNoLoaderMappings() throws {
        let outcome = try Fixture.trace("brk", includeStartup: false)
        let run = outcome.run
        #expect(run.sawMain)
        #expect(run.events.allSatisfy { $0.phase == .program })
        // The loader maps libc from a file descriptor and opens it: none of that after main.
        #expect(run.calls(Nr.openat).isEmpty)
        #expect(run.calls(Nr.mmap).allSatisfy { Int64(bitPattern: $0.arguments[4]) == -1 })
        #expect(run.calls(Nr.execve).isEmpty)
        // Exactly the program's own three brk calls.
        let brks = run.calls(Nr.brk)
        try #require(brks.count == 3)
        let start = try #require(brks[0].returnValue)
        #expect(brks[0].arguments[0] == 0)
        #expect(brks[1].arguments[0] == UInt64(start) + 4096)
        #expect(brks[1].returnValue == start + 4096)
        #expect(brks[2].returnValue == start)
        #expect(run.exit == .exited(status: 0))
    }

    @Test func allEventsIncludeStartupInOrder() throws {
        let run = try Fixture.trace("brk", includeStartup: true).run
        let first = try #require(run.calls.first)
        #expect(first.number == Nr.execve)
        #expect(first.returnValue == 0)
        #expect(run.events.first?.phase == .startup)
        #expect(run.events.contains { $0.phase == .startup && $0.syscall?.number == Nr.openat })
        // Phases never go back from program to start-up in a single-image process.
        let phases = run.events.map(\.phase)
        if let firstProgram = phases.firstIndex(of: .program) {
            #expect(!phases[firstProgram...].contains(.startup))
        }
        #expect(run.events.map(\.sequence) == Array(0..<run.events.count))
    }

    @Test func programWithoutMainSymbolShowsEverything() throws {
        // A stripped program has no `main` symbol, so everything counts as program.
        let stripped = Fixture.buildDirectory + "/exitcode-stripped-\(getpid())"
        defer { unlink(stripped) }
        try #require(try Fixture.runCommand(["strip", "-o", stripped, try Fixture.path("exitcode")]) == 0)
        let image = try ELFImage.load(path: stripped)
        try #require(image.mainSymbol == nil, "strip left a main symbol in \(stripped)")
        var request = TraceRequest(executable: stripped)
        request.stdin = .null
        let outcome = try Tracer.run(request)
        #expect(!outcome.run.sawMain)
        #expect(outcome.run.events.contains { $0.syscall?.number == Nr.openat })
        #expect(outcome.run.events.allSatisfy { $0.phase == .program })
        #expect(outcome.run.exit == .exited(status: 0))
    }

    @Test func swiftProgramHasAMainMarker() throws {
        let outcome = try Fixture.trace("hello", includeStartup: true)
        #expect(outcome.run.sawMain)
        let startup = outcome.run.events.filter { $0.phase == .startup }.count
        let program = outcome.run.events.filter { $0.phase == .program }
        #expect(startup > 50)  // the Swift runtime's start-up
        #expect(program.contains { $0.syscall?.number == Nr.write })
        #expect(!program.contains { $0.syscall?.number == Nr.openat })
        #expect(outcome.run.stdout == Array("100000\n".utf8))
    }

    @Test func elfReaderFindsMainInPIEAndGivesItsAddress() throws {
        let image = try ELFImage.load(path: try Fixture.path("exitcode"))
        #expect(image.type == 3)  // cc builds PIE by default on Debian
        let symbol = try #require(image.mainSymbol)
        #expect(image.mainAddress(atEntry: 0x5555_5555_0000 + image.entry) == 0x5555_5555_0000 + symbol)
        #expect(throws: ELFImage.Problem.self) { try ELFImage.load(path: Fixture.sourceDirectory + "/brk.c") }
    }

    @Test func execReArmsTheMarkerForTheNewImage() throws {
        let target = try Fixture.path("exitcode")
        let run = try Fixture.trace("execs", [target, "9"], includeStartup: false).run
        #expect(run.exit == .exited(status: 9))
        #expect(run.sawMain)
        // The first image's write, its execve, and nothing of the new image's loader.
        #expect(run.calls(Nr.write).count == 1)
        #expect(run.calls(Nr.execve).count == 1)
        #expect(run.calls(Nr.openat).isEmpty)
        #expect(run.calls(Nr.exitGroup).count == 1)
    }

    @Test func execFromANonLeaderThread() throws {
        let target = try Fixture.path("exitcode")
        let run = try Fixture.trace("execs", ["thread", target, "11"], includeStartup: true).run
        #expect(run.exit == .exited(status: 11))
        let execs = run.calls(Nr.execve).filter { $0.returnValue == 0 }
        #expect(execs.count == 2)  // ours at start-up, then the thread's
        // After the exec every event belongs to the leader's pid.
        let lastExec = try #require(run.events.lastIndex { $0.syscall?.number == Nr.execve })
        #expect(run.events[lastExec].pid == run.rootPid)
        #expect(run.events[(lastExec + 1)...].allSatisfy { $0.pid == run.rootPid })
    }
}

@Suite struct SyscallTests {
    @Test func mmapFamilyArgumentsAndResults() throws {
        let run = try Fixture.trace("mmap", includeStartup: false).run
        #expect(run.exit == .exited(status: 0))
        let maps = run.calls(Nr.mmap)
        // Five protections, shared, fixed, populate, stack, file, then two failures.
        try #require(maps.count == 12)
        #expect(maps.prefix(5).map { $0.arguments[2] } == [0, 1, 3, 5, 7])
        #expect(maps.prefix(10).allSatisfy { $0.succeeded })
        #expect(maps[6].returnValue == 0x2_0000_0000)
        #expect(maps[10].errno == EBADF)
        #expect(maps[11].errno == ENOMEM)
        #expect(run.calls(Nr.munmap).count == 5 + 1 + 5)
        #expect(run.calls(Nr.munmap).contains { $0.errno == EINVAL })
        #expect(run.calls(Nr.mprotect).map(\.errno) == [nil, ENOMEM])
        #expect(run.calls(Nr.mremap).first?.arguments[1] == 16384)
        #expect(run.calls(Nr.mremap).first?.succeeded == true)
        #expect(run.calls(Nr.madvise).first?.arguments[2] == 4)  // MADV_DONTNEED
        #expect(run.calls(Nr.msync).first?.arguments[2] == 4)   // MS_SYNC
        #expect(run.calls(Nr.mlock).count == 1 && run.calls(Nr.munlock).count == 1)
    }

    @Test func writeBuffersAndFailures() throws {
        let run = try Fixture.trace("write", includeStartup: false).run
        let writes = run.calls(Nr.write)
        try #require(writes.count == 6)
        #expect(writes.prefix(4).map(\.returnValue) == [6, 30, 16, 44])
        #expect(writes[4].errno == EFAULT)
        #expect(writes[5].errno == EBADF)
        #expect(run.calls(Nr.read).first?.returnValue == 0)  // stdin is /dev/null
        #expect(run.stdout.count == 6 + 30 + 16 + 44)
    }

    @Test func exitCodes() throws {
        for code in [0, 1, 42, 255] {
            let run = try Fixture.trace("exitcode", ["\(code)"], includeStartup: false).run
            #expect(run.exit == .exited(status: Int32(code)))
            #expect(run.exits() == [.exited(status: Int32(code))])
            // exit_group never returns: the merged event carries no return value.
            let last = try #require(run.calls.last)
            #expect(last.number == Nr.exitGroup && last.returnValue == nil)
        }
    }

    @Test func seccompFilterStopsOnlyOnSelectedCalls() throws {
        let outcome = try Fixture.trace("mmap", includeStartup: true) { request in
            request.syscallFilter = [Nr.mmap, Nr.munmap]
        }
        let numbers = Set(outcome.run.calls.map(\.number))
        // execve is seen before the filter applies (our own exec); after it, only the filter's calls.
        #expect(numbers.subtracting([Nr.execve]) == [Nr.mmap, Nr.munmap])
        #expect(outcome.run.calls(Nr.mmap).filter { $0.phase(in: outcome.run) == .program }.count == 12)
        #expect(outcome.run.exit == .exited(status: 0))
    }

    @Test func seccompFilterFollowsChildren() throws {
        let outcome = try Fixture.trace("fork", includeStartup: false) { $0.syscallFilter = [Nr.write] }
        let writers = outcome.run.calls.map(\.number)
        #expect(Set(writers) == [Nr.write])
        #expect(Set(outcome.run.events.filter { $0.syscall != nil }.map(\.pid)).count == 3)  // parent and two children
        #expect(outcome.run.exit == .exited(status: 5))
        #expect(outcome.run.stdout == Array("child\nchild\nparent\n".utf8))
    }

    @Test func streamingWithoutRecording() throws {
        var seen: [TraceEvent] = []
        var request = TraceRequest(executable: try Fixture.path("brk"))
        request.recordEvents = false
        request.stdin = .null
        let outcome = try Tracer.run(request) { seen.append($0) }
        #expect(outcome.run.events.isEmpty)
        #expect(seen.filter { $0.syscall?.number == Nr.brk }.count == 3)
        #expect(seen.map(\.sequence) == Array(0..<seen.count))
    }
}

extension SyscallEvent {
    /// The phase of the event carrying this call (test helper).
    func phase(in run: ProgramRun) -> Phase? {
        run.events.first { $0.syscall == self }?.phase
    }
}

@Suite struct ProcessTests {
    @Test func forkWithChildren() throws {
        let run = try Fixture.trace("fork", includeStartup: false).run
        #expect(run.exit == .exited(status: 5))
        let spawned = run.events.compactMap { event -> Int32? in
            if case .spawned(let child, let isThread) = event.kind, !isThread, event.pid == run.rootPid { return child }
            return nil
        }
        try #require(spawned.count == 2)
        #expect(run.exits(pid: spawned[0]) == [.exited(status: 3)])
        #expect(run.exits(pid: spawned[1]) == [.exited(status: 4)])
        for child in spawned {
            let events = run.events.filter { $0.pid == child }
            #expect(events.allSatisfy { $0.processID == child && $0.phase == .program })
            #expect(events.contains { $0.syscall?.number == Nr.write })
        }
        #expect(run.stdout == Array("child\nchild\nparent\n".utf8))
        // The parent sees SIGCHLD for each child.
        #expect(run.signals.filter { $0.signal == SIGCHLD }.count == 2)
    }

    @Test func threadsAreFollowed() throws {
        let run = try Fixture.trace("threads", includeStartup: false).run
        #expect(run.exit == .exited(status: 7))
        let threads = run.events.compactMap { event -> Int32? in
            if case .spawned(let child, true) = event.kind { return child }
            return nil
        }
        #expect(threads.count == 3)
        for thread in threads {
            let events = run.events.filter { $0.pid == thread }
            #expect(events.allSatisfy { $0.processID == run.rootPid })
            #expect(events.contains { $0.syscall?.number == Nr.munmap })
            // Its own exit(0), even when exit_group(7) won the race against the thread's reaping.
            #expect(run.exits(pid: thread) == [.exited(status: 0)])
        }
    }

    @Test func argvZeroIsTheWordTheUserTyped() throws {
        var request = TraceRequest(executable: "/bin/sh", arguments: ["-c", "exit 0"])
        request.programName = "sh"
        request.includeStartup = true
        request.stdin = .null
        request.capture = OutputCapture()
        let run = try Tracer.run(request).run
        let execve = try #require(run.events.compactMap(\.syscall).first { $0.name == "execve" })
        #expect(execve.renderedArguments.hasPrefix("\"/bin/sh\", [\"sh\", \"-c\", \"exit 0\"]"), "\(execve.renderedArguments)")
    }

    @Test func aTerminalAsStandardOutputIsCapturedLikeAPipe() throws {
        // `--tty`: the program sees a terminal (test -t 1), its bytes arrive unchanged (no \r\n),
        // and all of them, even a last line written just before exit.
        let script = "if test -t 1; then echo terminal; else echo pipe; fi; printf 'last'"
        var request = TraceRequest(executable: "/bin/sh", arguments: ["-c", script])
        request.stdin = .null
        request.capture = OutputCapture()
        request.stdoutTerminal = true
        let run = try Tracer.run(request).run
        #expect(String(decoding: run.stdout, as: UTF8.self) == "terminal\nlast")
        request.stdoutTerminal = false
        #expect(String(decoding: try Tracer.run(request).run.stdout, as: UTF8.self) == "pipe\nlast")
    }

    @Test func sigreturnShowsTheMaskItRestores() throws {
        let run = try Fixture.trace("sigreturn", includeStartup: false).run
        let returns = run.events.compactMap(\.syscall).filter { $0.name == "rt_sigreturn" }
        #expect(returns.map(\.renderedArguments) == ["{mask=[]}", "{mask=[USR2]}"])
    }

    @Test func threadsThatExitedStayExitedWhenTheGroupAborts() throws {
        let run = try Fixture.trace("threads_abort", includeStartup: false).run
        guard case .killed(SIGABRT, _)? = run.exit else {
            Issue.record("expected killed by SIGABRT, got \(String(describing: run.exit))")
            return
        }
        let threads = run.events.compactMap { event -> Int32? in
            if case .spawned(let child, true) = event.kind { return child }
            return nil
        }
        #expect(threads.count == 3)
        for thread in threads { #expect(run.exits(pid: thread) == [.exited(status: 0)]) }
    }

    @Test func segfaultMapErrAndAccErr() throws {
        for mode in ["maperr", "accerr"] {
            let run = try Fixture.trace("segv", [mode], includeStartup: false).run
            let signal = try #require(run.signals.first)
            #expect(signal.signal == SIGSEGV)
            if signal.rendered.contains("si_code") {  // the full decoder (module Syscalls) is in
                #expect(signal.code == (mode == "maperr" ? 1 : 2))
                #expect(signal.rendered.contains(mode == "maperr" ? "SEGV_MAPERR" : "SEGV_ACCERR"))
                if mode == "maperr" { #expect(signal.faultAddress == 8) }
            }
            guard case .killed(SIGSEGV, _)? = run.exit else {
                Issue.record("expected killed by SIGSEGV, got \(String(describing: run.exit))")
                continue
            }
        }
    }

    @Test func abortAndKilledBySignal() throws {
        let aborted = try Fixture.trace("abort", includeStartup: false).run
        #expect(aborted.signals.map(\.signal) == [SIGABRT])
        if case .killed(let signal, _)? = aborted.exit { #expect(signal == SIGABRT) } else { Issue.record("not killed") }

        let killed = try Fixture.trace("killed", includeStartup: false).run
        #expect(killed.signals.map(\.signal) == [SIGTERM])
        #expect(killed.exit == .killed(signal: SIGTERM, coreDumped: false))
        #expect(killed.calls(Nr.kill).first?.returnValue == 0)
    }

    @Test func groupStopIsVisibleToTheParentAndContinues() throws {
        let outcome = try Fixture.trace("stopcont", includeStartup: false) { $0.timeout = 10 }
        #expect(!outcome.timedOut)
        #expect(outcome.run.exit == .exited(status: 0))
        #expect(outcome.run.signals.map(\.signal).contains(SIGSTOP))
        #expect(outcome.run.exits().contains(.exited(status: 6)))
    }

    @Test func timeoutKillsTheWholeTree() throws {
        // Compile the fixture (or wait for the fixture lock while others compile) before the
        // clock starts: on a fresh clone that alone can take longer than the 5 s measured here.
        _ = try Fixture.path("spin")
        let started = monotonicSeconds()
        let outcome = try Fixture.trace("spin", includeStartup: false) { $0.timeout = 0.5 }
        #expect(outcome.timedOut)
        #expect(monotonicSeconds() - started < 5)
        let pids = Set(outcome.run.events.map(\.pid))
        #expect(pids.count == 3)
        #expect(pids.allSatisfy { !processExists($0) })
        #expect(outcome.run.exit == .killed(signal: SIGKILL, coreDumped: false))
    }
}

@Suite struct SpawnAndIOTests {
    @Test func missingProgramIsACannotRunError() throws {
        let request = TraceRequest(executable: "/nonexistent/program")
        #expect { try Tracer.run(request) } throws: { error in
            let trace = error as? TraceError
            return trace?.kind == .cannotRun && trace?.errorNumber == ENOENT
                && trace!.description.contains("/nonexistent/program") && !trace!.description.contains("\n")
        }
    }

    @Test func nonExecutableAndNonELFFiles() throws {
        let text = Fixture.buildDirectory + "/not-a-program-\(getpid())"
        defer { unlink(text) }
        let fd = open(text, O_WRONLY | O_CREAT | O_TRUNC, 0o755)
        _ = write(fd, "hello\n", 6)
        close(fd)
        #expect { try Tracer.run(TraceRequest(executable: text)) } throws: { error in
            (error as? TraceError)?.errorNumber == ENOEXEC
        }
        chmod(text, 0o644)
        #expect { try Tracer.run(TraceRequest(executable: text)) } throws: { error in
            (error as? TraceError)?.errorNumber == EACCES
        }
    }

    @Test func badWorkingDirectory() throws {
        var request = TraceRequest(executable: try Fixture.path("exitcode"))
        request.workingDirectory = "/nonexistent-directory"
        #expect { try Tracer.run(request) } throws: { error in
            (error as? TraceError)?.kind == .cannotRun && (error as? TraceError)?.errorNumber == ENOENT
        }
    }

    @Test func stdinBytesAreFedAndOutputCaptured() throws {
        let input = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 % 251) }  // more than a pipe holds
        let outcome = try Fixture.trace("echo", includeStartup: false) { $0.stdin = .bytes(input) }
        #expect(outcome.run.stdout == input)
        #expect(outcome.run.stderr == Array("done\n".utf8))
        #expect(!outcome.outputLimitExceeded)
        #expect(outcome.run.exit == .exited(status: 0))
    }

    @Test func outputPastTheCapIsCutAndTheTreeKilled() throws {
        let outcome = try Fixture.trace("echo", ["10000000"], includeStartup: false) {
            $0.capture = OutputCapture(stdoutLimit: 1000, stderrLimit: 1000)
        }
        #expect(outcome.outputLimitExceeded)
        #expect(outcome.run.stdoutTruncated)
        #expect(outcome.run.stdout.count == 1000)
        #expect(outcome.run.exit == .killed(signal: SIGKILL, coreDumped: false))
    }

    @Test func pinningAndResourceUsage() throws {
        let outcome = try Fixture.trace("affinity", includeStartup: false) { $0.pinCPU = 0 }
        #expect(outcome.run.stdout == Array("1\n".utf8))
        #expect(outcome.run.exit == .exited(status: 0))
        // Measured, not timed: that the kernel's counts reach the outcome.
        #expect(outcome.cpuSeconds > 0)
        #expect(outcome.peakMemoryBytes > 32 << 20)
    }

    /// A CPU the run cannot have (gone since it was chosen) leaves it unpinned, not failed.
    @Test func aCPUThatIsGoneLeavesTheRunUnpinned() throws {
        let cpus = (0..<1024).map { lessons_cpu_allowed(Int32($0)) != 0 }
        let allowed = cpus.filter { $0 }.count
        let gone = try #require(cpus.firstIndex(of: false), "every one of 1024 CPUs is this test's to use")
        let outcome = try Fixture.trace("affinity", includeStartup: false) { $0.pinCPU = gone }
        #expect(outcome.run.exit == .exited(status: 0))
        #expect(outcome.run.stdout == Array("\(allowed)\n".utf8))
    }

    @Test func childStepsRunBeforeTheExec() throws {
        // Steps that do nothing let the program run; a step that fails stops it before its exec,
        // and its message is the error's. (C functions: nothing here allocates or locks.)
        let nothing = ChildSteps(start: { _, _, _ in 0 }, confine: { _, _, _ in 0 }, context: Int32(0))
        let outcome = try Fixture.trace("exitcode", ["4"]) { $0.childSteps = nothing }
        #expect(outcome.run.exit == .exited(status: 4))
        let refusing = ChildSteps(start: nil, confine: { _, error, size in
            strncpy(error, "the step refused", size)
            errno = EPERM
            return -1
        }, context: Int32(0))
        do {
            let refused = try Fixture.trace("exitcode", ["4"]) { $0.childSteps = refusing }
            Issue.record("a failing step let the program run: \(String(describing: refused.run.exit))")
        } catch {
            #expect("\(error)".contains("the step refused"), "\(error)")
        }
    }

    @Test func environmentAndArguments() throws {
        var request = TraceRequest(executable: "/usr/bin/env")
        request.environment = ["LESSONS_TEST": "yes"]
        request.capture = OutputCapture()
        let outcome = try Tracer.run(request)
        #expect(String(decoding: outcome.run.stdout, as: UTF8.self) == "LESSONS_TEST=yes\n")
    }

    @Test func memoryReaderStopsAtUnmappedPages() throws {
        // Our own memory through process_vm_readv: a string, and a read that runs off a mapping.
        let reader = TraceeMemoryReader(pid: getpid())
        let text = Array("hello tracer\0tail".utf8)
        text.withUnsafeBufferPointer { buffer in
            let address = UInt64(UInt(bitPattern: buffer.baseAddress))
            #expect(reader.readCString(address: address, limit: 100) == Array("hello tracer".utf8))
            #expect(reader.readCString(address: address, limit: 5) == Array("hello".utf8))
            #expect(reader.read(address: address, count: text.count) == text)
        }
        let page = mmap(nil, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)!
        munmap(page + 4096, 4096)
        defer { munmap(page, 4096) }
        let base = UInt64(UInt(bitPattern: page))
        #expect(reader.read(address: base + 4000, count: 200)?.count == 96)
        #expect(reader.read(address: base + 4096, count: 10) == nil)
        #expect(reader.readCString(address: base + 4096, limit: 10) == nil)
    }
}

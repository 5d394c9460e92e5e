// `lessons trace`: run any program under the tracer and print its syscalls like strace does.

import ArgumentParser
import CLessonsPtrace
import Syscalls
import Tracing
#if canImport(Glibc)
import Glibc
#endif

extension Lessons {
    struct Trace: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "trace",
            abstract: "Trace a program's system calls, strace-style.",
            discussion: """
                By default only what happens after the program's `main` is shown; --all adds the \
                loader's and runtime's start-up. Children, threads and exec'd programs are followed. \
                Lines go to standard error (or -o FILE), identical to strace's for the calls it decodes. \
                Exits with the program's exit status (128+N when killed by signal N).
                """)

        @Flag(name: .long, help: "Show start-up events before `main` too (the loader, libc and runtime set-up).")
        var all = false

        @Flag(name: .customShort("f"), help: "Follow forks, vforks and threads (always on; accepted for strace habits).")
        var follow = false

        @Option(name: .customShort("o"), help: ArgumentHelp("Write the trace to FILE instead of standard error.", valueName: "FILE"))
        var output: String?

        @Option(name: .long, help: ArgumentHelp("Output format: strace or jsonl.", valueName: "FORMAT"))
        var format: TraceFormat = .strace

        @Option(name: .customShort("e"), help: ArgumentHelp("Trace only these calls: trace=NAME,… or trace=%memory, trace=%process.", valueName: "EXPR"))
        var expression: String?

        @Option(name: .long, help: ArgumentHelp("Kill the whole traced tree after S seconds.", valueName: "S"))
        var timeout: Double?

        @Option(name: .long, help: ArgumentHelp("Make calls fail on purpose, strace's syntax: CALL:error=ERRNO|retval=N[:when=FIRST[..LAST][+STEP]], counted from main (repeatable).", valueName: "RULE"))
        var inject: [String] = []  // beyond strace (Tracing/FaultInjection.swift)

        @Flag(name: .long, help: "Name the program's source line that led to each event after main (needs -g; addr2line from binutils).")
        var lines = false  // beyond strace (Tracing/SourceLines.swift)

        @Flag(name: .long, help: "Show the program's own calls of malloc, calloc, realloc, free, mallopt, sbrk, mmap, munmap, with the syscalls each caused indented under it.")
        var calls = false  // beyond strace (Tracing/LibraryCalls.swift)

        @Flag(name: .customLong("no-pin"), help: "Do not pin the tracer and the program to one CPU (pinning is much faster on small machines).")
        var noPin = false

        @Flag(name: .long, help: "Give the program a pseudo-terminal as standard output, as at a shell prompt (its output is copied to this command's stdout).")
        var tty = false

        @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The program and its arguments (after --).", valueName: "PROGRAM"))
        var command: [String] = []

        init() {}

        enum TraceFormat: String, ExpressibleByArgument, CaseIterable {
            case strace, jsonl
        }

        /// What the command line asked for, as a plain value (the parser's wrappers cost at each read).
        var options: TraceOptions {
            var words = command
            if words.first == "--" { words.removeFirst() }
            return TraceOptions(all: all, output: output, format: format, expression: expression, timeout: timeout,
                                inject: inject, lines: lines, calls: calls, noPin: noPin, tty: tty, command: words)
        }

        func validate() throws {
            // The passthrough argument swallows --help; give it back to the parser's help.
            if let first = command.first, first == "--help" || first == "-h" { throw CleanExit.helpRequest(self) }
            try options.validate()
        }

        func run() throws {
            try options.run()
        }
    }
}

/// `lessons trace`'s options, whichever parser read them: ArgumentParser (`Lessons.Trace`), or
/// `quickParse` for the plain spellings, which spares a tracer started by scripts the parser's
/// few milliseconds of reflection (a trace of a short program is mostly start-up).
struct TraceOptions: Equatable {
    var all = false
    var output: String?
    var format: Lessons.Trace.TraceFormat = .strace
    var expression: String?
    var timeout: Double?
    var inject: [String] = []
    var lines = false
    var calls = false
    var noPin = false
    /// The program's stdout is a pseudo-terminal (`--tty`), whatever this command's stdout is.
    var tty = false
    /// The program and its arguments.
    var command: [String] = []

    /// The options of `trace`'s arguments (the words after `trace`) when they use only the plain
    /// spellings (`--all`, `-f`, `-o FILE`, `--format F`, `-e EXPR`, `--timeout S`, `--inject R`,
    /// `--lines`, `--calls`, `--no-pin`, `--tty`, then `--` or the program) and are valid; nil for anything
    /// else (`--help`, `-o=FILE`, bundled flags, unknown options, errors), which the full parser
    /// then reads and reports. `LessonsCLITests` holds the two parsers to the same answers.
    static func quickParse(_ words: [String]) -> TraceOptions? {
        var options = TraceOptions()
        var index = 0
        func value() -> String? {
            index += 1
            guard index < words.count, !words[index].hasPrefix("-") else { return nil }
            return words[index]
        }
        while index < words.count {
            let word = words[index]
            switch word {
            case "--":
                options.command = Array(words[(index + 1)...])
                index = words.count
                continue
            case "--all": options.all = true
            case "-f": break
            case "--lines": options.lines = true
            case "--calls": options.calls = true
            case "--no-pin": options.noPin = true
            case "--tty": options.tty = true
            case "-o":
                guard let file = value() else { return nil }
                options.output = file
            case "--format":
                guard let name = value(), let format = Lessons.Trace.TraceFormat(rawValue: name) else { return nil }
                options.format = format
            case "-e":
                guard let expression = value() else { return nil }
                options.expression = expression
            case "--timeout":
                guard let text = value(), let seconds = Double(text) else { return nil }
                options.timeout = seconds
            case "--inject":
                guard let rule = value() else { return nil }
                options.inject.append(rule)
            default:
                guard !word.hasPrefix("-") else { return nil }
                options.command = Array(words[index...])
                index = words.count
                continue
            }
            index += 1
        }
        guard (try? options.validate()) != nil else { return nil }
        return options
    }

    func validate() throws {
        if command.isEmpty { throw ValidationError("name a program to trace: lessons trace -- PROGRAM [ARGS…]") }
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be a positive number of seconds") }
        if let expression { _ = try SyscallSelection.parse(expression) }
        for rule in inject { do { _ = try FaultInjection.parse(rule) } catch { throw ValidationError(error.description) } }
    }

    func run() throws {
        let words = command
        let program = try ProgramLocator.resolve(words[0])
        let selection = try expression.map { try SyscallSelection.parse($0) }

        // Open the output before starting anything, so a bad -o leaves nothing behind.
        let sink: TraceSink
        if let output {
            let fd = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            if fd < 0 {
                throw LessonsFailure.usage("cannot write the trace to \(output): \(String(cString: strerror(errno)))")
            }
            sink = TraceSink(fd: fd, name: output, flushEachLine: false, closeAtEnd: true)
        } else {
            sink = TraceSink(fd: 2, name: "standard error", flushEachLine: true, closeAtEnd: false)
        }

        var request = TraceRequest(executable: program, arguments: Array(words.dropFirst()))
        request.programName = words[0]  // argv[0] as typed, like strace and every shell
        request.includeStartup = all
        request.followForks = true
        request.recordEvents = false
        request.measureResources = false  // nothing here reports CPU time or memory
        request.timeout = timeout
        request.syscallFilter = selection?.numbers
        if !noPin { request.pinCPU = GradingCommandSupport.currentCPU() }
        request.faultInjections = inject.compactMap { try? FaultInjection.parse($0) }  // checked in validate()
        request.extras.sourceLines = lines
        request.extras.libraryCalls = calls
        request.stdoutTerminal = tty

        // Lines as strace prints them when processes interleave (`<unfinished ...>`, `<... resumed>`),
        // except where beyond-strace annotations reorder or extend them.
        let interleave = format == .strace && !lines && !calls
        var renderer = TraceLineRenderer(format: format, destination: output == nil ? .standardError : .file, interleave: interleave)
        let onlyCalls = selection?.numbers
        let outcome: TraceOutcome
        do {
            outcome = try Tracer.run(request, onEvent: { event in
                if let onlyCalls, case .syscall(let call) = event.kind, !onlyCalls.contains(call.number) {
                    renderer.observe(event)
                    return
                }
                renderer.write(event, to: sink)
            }, onUnfinished: interleave ? { call in
                if let onlyCalls, !onlyCalls.contains(call.number) { return }
                renderer.unfinished(call, to: sink)
            } : nil)
        } catch let error as TraceError {
            sink.finish()
            throw LessonsFailure(error.description, exitCode: error.kind == .cannotRun ? 2 : 3)
        }
        sink.finish()
        // A trace that could not be written is lost: say so, and the program's status no longer applies.
        if let failure = sink.failure { throw LessonsFailure.internalError(failure) }

        if !outcome.run.sawMain && !all {
            FileHandleOutput.standardError.write("lessons: note: \(words[0]) has no `main` symbol (or never reached it): showing every event, as with --all\n")
        }
        if outcome.timedOut {
            FileHandleOutput.standardError.write("lessons: \(words[0]) ran longer than \(Self.seconds(timeout ?? 0)) s: killed it and everything it started\n")
            throw LessonsFailure("", exitCode: 124)
        }
        switch outcome.run.exit {
        case .exited(let status)?: throw ExitCode(status)
        case .killed(let signal, _)?: throw ExitCode(128 + signal)
        case nil: throw ExitCode(1)
        }
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

/// Finds the program like strace (and execvp) do: a name with a slash is a path, else $PATH.
enum ProgramLocator {
    static func resolve(_ name: String) throws -> String {
        guard !name.isEmpty else { throw LessonsFailure.usage("the program to trace is an empty name: give its path or name after --") }
        let path: String
        if name.contains("/") {
            path = name
        } else {
            let directories = (getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin")
                .split(separator: ":", omittingEmptySubsequences: false).map { $0.isEmpty ? "." : String($0) }
            guard let found = directories.map({ "\($0)/\(name)" }).first(where: { isExecutableFile($0) }) else {
                throw LessonsFailure.usage("cannot find \(name) on $PATH: give its path (e.g. ./\(name))")
            }
            path = found
        }
        var info = stat()
        if stat(path, &info) != 0 {
            throw LessonsFailure.usage("cannot run \(path): \(String(cString: strerror(errno))): check the path")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw LessonsFailure.usage("cannot run \(path): it is a directory: give a program")
        }
        if access(path, X_OK) != 0 {
            throw LessonsFailure.usage("cannot run \(path): \(String(cString: strerror(errno))): make it executable (chmod +x \(path))")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd >= 0 {
            var magic = [UInt8](repeating: 0, count: 4)
            let n = magic.withUnsafeMutableBytes { read(fd, $0.baseAddress!, 4) }
            close(fd)
            let isELF = n == 4 && magic == ELFImage.magic
            let isScript = n >= 2 && magic[0] == 0x23 && magic[1] == 0x21
            if !isELF && !isScript {
                throw LessonsFailure.usage("cannot run \(path): not a program (neither an ELF executable nor a #! script): compile it first")
            }
        }
        return path
    }

    static func isExecutableFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG && access(path, X_OK) == 0
    }
}

/// `-e trace=…`: which syscalls to show (and to stop on, through the seccomp filter).
struct SyscallSelection {
    var numbers: Set<Int>

    static func parse(_ expression: String) throws -> SyscallSelection {
        do {
            return SyscallSelection(numbers: try SyscallTable.numbers(selection: expression))
        } catch let error as SyscallTable.SelectionError {
            throw ValidationError("-e: \(error.description)")
        }
    }
}

/// Buffered writes of trace lines to a descriptor.
/// The first failed write (or close) is kept as `failure`; later lines are dropped.
/// A trace file (`-o FILE`) keeps what was traced when the tool dies: its lines wait in a buffer
/// that a signal handler writes out first (a crash's SIGILL or SIGSEGV, Ctrl-C, SIGTERM), and
/// at most `fileBufferBytes` of them wait at all (strace's stdio buffer is of that order).
final class TraceSink {
    private let fd: Int32
    private let name: String
    private let flushEachLine: Bool
    private let closeAtEnd: Bool
    /// Lines rendered and not yet handed to the descriptor (or to the emergency buffer).
    private var buffer: [UInt8] = []
    /// The lines wait in the C emergency buffer (lessons_process.h) rather than in `buffer`.
    private let emergency: Bool
    /// One line saying why the trace could not be written, or nil.
    private(set) var failure: String?

    static let fileBufferBytes = 8192

    init(fd: Int32, name: String, flushEachLine: Bool, closeAtEnd: Bool) {
        self.fd = fd
        self.name = name
        self.flushEachLine = flushEachLine
        self.closeAtEnd = closeAtEnd
        emergency = !flushEachLine && lessons_emergency_buffer_open(fd, Self.fileBufferBytes) == 0
        buffer.reserveCapacity(1 << 16)
    }

    /// Appends `line` and a newline (nothing for an empty line).
    func writeLine(_ line: String) {
        guard !line.isEmpty else { return }
        write { $0.append(contentsOf: line.utf8); $0.append(0x0a) }
    }

    /// Lets `render` append whole lines to the buffer.
    func write(_ render: (inout [UInt8]) -> Void) {
        guard failure == nil else { return }
        let before = buffer.count
        render(&buffer)
        guard buffer.count > before else { return }
        if emergency {
            handOn()
        } else if flushEachLine || buffer.count >= 1 << 16 {
            flush()
        }
    }

    /// Moves the rendered lines into the emergency buffer, writing it out when it is full.
    private func handOn() {
        let append = { [buffer] in buffer.withUnsafeBytes { lessons_emergency_buffer_append($0.baseAddress!, $0.count) } }
        if append() != 0 {
            flushEmergency()
            if failure == nil && append() != 0 { writeOut() }  // longer than the whole buffer
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private func flushEmergency() {
        let code = lessons_emergency_buffer_flush()
        if code != 0 { fail(code) }
    }

    func flush() {
        if emergency { flushEmergency() }
        writeOut()
    }

    /// Writes `buffer` to the descriptor and empties it.
    private func writeOut() {
        var offset = 0
        while offset < buffer.count && failure == nil {
            let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { fail(errno) } else if n == 0 { fail(ENOSPC) } else { offset += n }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func finish() {
        flush()
        if emergency { lessons_emergency_buffer_close() }
        if closeAtEnd {
            // A file system may report a failed write only at close (NFS, quotas).
            if close(fd) != 0 && errno != EINTR { fail(errno) }
        }
    }

    private func fail(_ code: Int32) {
        guard failure == nil else { return }
        let advice: String
        switch code {
        case ENOSPC, EDQUOT: advice = "free some space or use -o on another disk"
        case EPIPE: advice = "the reader of the trace went away"
        default: advice = closeAtEnd ? "check the file and its disk, or use -o on another disk" : "use -o FILE"
        }
        failure = "cannot write the trace to \(name): \(String(cString: strerror(code))); \(advice)"
    }
}

/// Turns events into trace lines with module Syscalls' formats, choosing strace's pid prefix:
/// on stderr `[pid N] ` while several tracees live; with -o FILE (strace -f -o) `N ` on every line.
struct TraceLineRenderer {
    enum Destination { case standardError, file }
    private let format: Lessons.Trace.TraceFormat
    private let destination: Destination
    private var live = 1
    /// strace's `<unfinished ...>`/`<... resumed>` lines (`unfinished`).
    private var interleaving: StraceInterleaving?
    /// Children started since the last printed line, and by whom: strace chooses a line's pid
    /// prefix when the line starts, so the fork or clone that made them prints as it began, with
    /// one process (`clone(…) = 124` without `[pid 123] `); every line after it has the prefix.
    private var spawnedSinceLastLine = 0
    private var spawner: Int32 = 0

    init(format: Lessons.Trace.TraceFormat, destination: Destination, interleave: Bool = false) {
        self.format = format
        self.destination = destination
        if interleave && format == .strace { interleaving = StraceInterleaving() }
    }

    /// Another event cut a call short: its `<unfinished ...>` line, with the pid prefix strace
    /// chose when the call started.
    mutating func unfinished(_ call: UnfinishedCall, to sink: TraceSink) {
        guard interleaving != nil else { return }
        let prefix: StraceFormat.PidPrefix
        switch destination {
        case .file: prefix = .column
        case .standardError: prefix = call.liveAtEntry > 1 ? .bracketed : .none
        }
        spawnedSinceLastLine = 0
        var after = prefix
        if call.supersededLeader != nil {
            // strace drops the leader's record before it prints `+++ superseded …`: one tracee fewer
            live -= 1
            if destination == .standardError { after = live > 1 ? .bracketed : .none }
        }
        sink.write { interleaving!.unfinished(call, pidPrefix: prefix, supersededPrefix: after, to: &$0) }
    }

    /// Keeps the count of live tracees current (for events that are not printed too).
    mutating func observe(_ event: TraceEvent) {
        switch event.kind {
        case .spawned:
            live += 1
            if spawner != event.pid { spawner = event.pid; spawnedSinceLastLine = 0 }
            spawnedSinceLastLine += 1
        case .exit: live -= 1
        default: break
        }
    }

    /// The line for `event` (without newline), or "" when it prints nothing.
    mutating func render(_ event: TraceEvent) -> String {
        let prefix = pidPrefix(for: event)
        observe(event)
        switch format {
        case .jsonl: return JSONLFormat.line(event)
        case .strace: return StraceFormat.line(event, pidPrefix: prefix)
        }
    }

    /// Writes `event`'s line to `sink`: a plain strace line straight into its buffer (the path
    /// of a line per syscall), anything else through `render` and `TraceAnnotation`.
    mutating func write(_ event: TraceEvent, to sink: TraceSink) {
        if format == .strace && event.source == nil && event.parentCall == nil {
            let prefix = pidPrefix(for: event)
            observe(event)
            if interleaving != nil {
                sink.write { interleaving!.append(event, pidPrefix: prefix, to: &$0) }
            } else {
                sink.write { StraceFormat.appendLine(event, pidPrefix: prefix, to: &$0) }
            }
        } else {
            sink.writeLine(TraceAnnotation.annotate(render(event), event, jsonl: format == .jsonl))
        }
    }

    /// The prefix of `event`'s line; a line resets the count of children started since the last one.
    private mutating func pidPrefix(for event: TraceEvent) -> StraceFormat.PidPrefix {
        guard destination == .standardError else { return .column }
        var processes = live
        if case .syscall = event.kind, event.pid == spawner { processes -= spawnedSinceLastLine }
        if case .spawned = event.kind {} else { spawnedSinceLastLine = 0 }
        return processes > 1 ? .bracketed : .none
    }
}

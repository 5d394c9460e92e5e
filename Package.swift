// swift-tools-version:6.0
// lessons — teaches how C and Swift programs get memory from Linux, by tracing them.
import PackageDescription

// A release `lessons` carries the Swift runtime and Foundation inside: loading and binding them
// as shared libraries took ~7 ms of every run, more than a short trace takes (scripts/bench-trace.sh).
// Only the executable's link changes: the modules stay as they are, so test bundles (which
// cannot link statically) still build in release. A static Foundation needs the archives that
// its shared library holds inside named too. Debug builds (`swift run`, `swift test`) stay
// dynamic: they link much faster.
let staticRuntime: [LinkerSetting] = [
    .unsafeFlags(["-static-stdlib", "-lCoreFoundation", "-l_FoundationICU", "-l_FoundationCShims", "-l_FoundationCollections"],
                 .when(platforms: [.linux], configuration: .release)),
]

let package = Package(
    name: "lessons",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "lessons", targets: ["lessons"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The few things Swift cannot do, in two C targets. The tracer's: non-variadic ptrace,
        // registers by offsetof, wait-status macros, fork+exec of a traced child (running the
        // steps it is handed, knowing nothing of the sandbox), a pty, the tool's own process
        // safety nets. The sandbox's: the policy applied between fork and exec, the probe of
        // what the kernel allows, the confined spawn of the compiler.
        .target(name: "CLessonsPtrace"),
        .target(name: "CLessonsSandbox", dependencies: ["CLessonsPtrace"]),
        // GNU readline for the REPL. Linked by its module map, not through pkg-config: readline.pc
        // requires ncurses' tinfo.pc, whose `-D_DEFAULT_SOURCE -D_XOPEN_SOURCE=600` SwiftPM refuses
        // with a "prohibited flag(s)" warning on every first build (and drops anyway). Its headers
        // are in the default include path; shim.h says which package to install when they are not.
        .systemLibrary(name: "CReadline"),
        // The words every layer shares: the language a program is written in (C, Swift) and
        // how a run ended (Status). No dependencies, so the lesson parser, the compiler, the
        // sandbox and the reports can all speak them without depending on each other.
        .target(name: "Vocabulary"),
        // Syscall tables, the trace event model, strace-style and JSONL rendering.
        .target(name: "Syscalls"),
        // Spawning a traced program and the ptrace event loop; the one spawn-and-wait for the
        // tool's own programs (addr2line, swift-demangle, $EDITOR, git; the confined compiler's wait).
        .target(name: "Tracing", dependencies: ["CLessonsPtrace", "Syscalls"]),
        // The expectation language: parse, match, explain.
        .target(name: "Expectations", dependencies: ["Syscalls"]),
        // Lesson files: parse, validate, catalog.
        .target(name: "Notebook", dependencies: ["Vocabulary"]),
        // Compiling C and Swift with the system toolchain, confined like a run, with a cache.
        .target(name: "Toolchain", dependencies: ["Vocabulary", "Sandbox", "Tracing"]),
        // Limits, isolation and the verdict (a Status) on one run of an untrusted program.
        .target(name: "Sandbox", dependencies: ["CLessonsPtrace", "CLessonsSandbox", "Vocabulary", "Syscalls", "Tracing"]),
        // The picture of what a traced program did to its address space after main.
        .target(name: "MemoryPicture", dependencies: ["Syscalls"]),
        // One case runner (CaseRunner: environment, stdin, files, injections, limits) for check,
        // grade, run, cells and predict; check one file, grade many; reports.
        .target(name: "Grading", dependencies: ["CLessonsPtrace", "Vocabulary", "Syscalls", "Tracing", "Expectations", "Notebook", "Toolchain", "Sandbox", "MemoryPicture"]),
        // Commands, the REPL, the learner workspace.
        .target(name: "LessonsCLI", dependencies: [
            "CLessonsPtrace", "CReadline", "Vocabulary", "Syscalls", "MemoryPicture", "Tracing", "Expectations", "Notebook", "Toolchain", "Sandbox", "Grading",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "lessons", dependencies: ["LessonsCLI"], linkerSettings: staticRuntime),

        // Trace events for tests, made through the real decoders.
        .target(name: "EventBuilder", dependencies: ["Syscalls"], path: "Tests/EventBuilder"),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "SyscallsTests", dependencies: ["Syscalls"]),
        .testTarget(name: "TracingTests", dependencies: ["Tracing", "Syscalls", "EventBuilder"]),
        .testTarget(name: "ExpectationsTests", dependencies: ["Expectations", "Syscalls", "EventBuilder"],
                    resources: [.copy("RecordedTraces")]),
        .testTarget(name: "NotebookTests", dependencies: ["TestSupport", "Notebook", "Vocabulary"]),
        .testTarget(name: "ToolchainTests", dependencies: ["TestSupport", "Toolchain", "Vocabulary"]),
        .testTarget(name: "SandboxTests", dependencies: ["TestSupport", "Sandbox", "Tracing", "Syscalls", "Toolchain", "Vocabulary", "EventBuilder"]),
        .testTarget(name: "GradingTests", dependencies: ["TestSupport", "Grading", "Notebook", "Toolchain", "Sandbox", "Syscalls", "Vocabulary"],
                    exclude: ["Snapshots"]),
        .testTarget(name: "LessonsCLITests", dependencies: ["TestSupport", "LessonsCLI", "Vocabulary", "EventBuilder"]),
        .testTarget(name: "MemoryPictureTests", dependencies: ["MemoryPicture", "Syscalls", "EventBuilder"], exclude: ["Snapshots"]),
        // Random registers and memory through every decoder and renderer (scripts/fuzz-decoders.sh).
        .testTarget(name: "DecoderFuzzTests", dependencies: ["Syscalls", "Tracing", "MemoryPicture", "Expectations"]),
    ]
)

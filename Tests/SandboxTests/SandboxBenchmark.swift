// The sandbox's per-run and per-compile cost, printed side by side in one run by
// scripts/bench-sandbox.sh (LESSONS_BENCH_SANDBOX=1). Not a timed test: without the variable it
// does nothing, and it never asserts a duration (the machines are shared and noisy).
import Foundation
import Testing
@testable import Sandbox
import Toolchain
import Tracing

@Test func sandboxBenchmark() throws {
    guard let roundsText = ProcessInfo.processInfo.environment["LESSONS_BENCH_SANDBOX"] else { return }
    let rounds = max(1, Int(roundsText) ?? 10)
    // A harmless program: the baseline runs it WITHOUT the sandbox. Never a hostile fixture here.
    let binary = try Fixtures.build("echo_environment")
    _ = Isolation.current
    let clock = ContinuousClock()
    // What each grader process pays once: the kernel's mechanisms tried in throw-away children,
    // the cgroup hierarchies found and tried.
    let probe = clock.measure { _ = Isolation.probe() }
    let cgroupProbe = clock.measure {
        _ = CgroupSupport.probe(mountInfo: readSmallFile("/proc/self/mountinfo") ?? "", ownCgroups: readSmallFile("/proc/self/cgroup") ?? "")
    }
    var plain: [Duration] = [], sandboxed: [Duration] = []
    for _ in 0..<rounds {
        var request = TraceRequest(executable: binary)
        request.stdin = .null
        request.capture = OutputCapture()
        request.includeStartup = true
        plain.append(try clock.measure { _ = try Tracer.run(request) })
        sandboxed.append(try clock.measure {
            _ = try Sandbox.run(executable: binary, arguments: [], stdin: nil, files: [:], environment: [:],
                                limits: RunLimits(), pinCPU: nil)
        })
    }

    // One compile of a small C program: the bare compiler, and Compiler.compile (uncached).
    let work = NSTemporaryDirectory() + "lessons-bench-sandbox-\(getpid())"
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: work) }
    var bare: [Duration] = [], compiled: [Duration] = []
    for round in 0..<rounds {
        // A different program each round: the cache must miss.
        let source = work + "/p\(round).c"
        try "#include <stdio.h>\nint main(void) { printf(\"%d\\n\", \(round)); return 0; }\n"
            .write(toFile: source, atomically: true, encoding: .utf8)
        bare.append(try clock.measure {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/cc")
            process.arguments = ["-O0", "-g", "-Wall", "-o", work + "/bare\(round)", source, "-lm"]
            try process.run()
            try waitBounded(process, seconds: 120, "cc")
        })
        var environment = ProcessInfo.processInfo.environment
        environment["LESSONS_CACHE"] = work + "/cache"
        compiled.append(try clock.measure {
            let result = try Compiler.compile(CompileRequest(source: source, language: .c, displayName: "p.c"),
                                              environment: environment)
            guard case .success = result else { Issue.record("bench compile failed: \(result)"); return }
        })
    }
    // The same for Swift: swiftc with a warm module cache of its own, and Compiler.compile
    // (confined; its shared module cache warmed by the first round, which is not counted).
    var bareSwift: [Duration] = [], compiledSwift: [Duration] = []
    let swiftc = ["/opt/swift/usr/bin/swiftc", "/usr/bin/swiftc"].first { FileManager.default.isExecutableFile(atPath: $0) }
    if let swiftc {
        let swiftRounds = max(3, rounds / 3)
        for round in 0...swiftRounds {
            let source = work + "/s\(round).swift"
            try "print(\(round))\n".write(toFile: source, atomically: true, encoding: .utf8)
            let bare = try clock.measure {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: swiftc)
                process.arguments = ["-Onone", "-g", "-module-name", "main", "-module-cache-path", work + "/bare-module-cache",
                                     "-o", work + "/bare-s\(round)", source]
                try process.run()
                try waitBounded(process, seconds: 300, "swiftc")
            }
            var environment = ProcessInfo.processInfo.environment
            environment["LESSONS_CACHE"] = work + "/cache"
            let compiled = try clock.measure {
                let result = try Compiler.compile(CompileRequest(source: source, language: .swift, displayName: "s.swift"),
                                                  environment: environment)
                guard case .success = result else { Issue.record("bench compile failed: \(result)"); return }
            }
            if round > 0 { bareSwift.append(bare); compiledSwift.append(compiled) }
        }
    }
    func summary(_ values: [Duration]) -> String {
        guard !values.isEmpty else { return "(no Swift compiler)" }
        let ms = values.map { Double($0.components.seconds) * 1000 + Double($0.components.attoseconds) / 1e15 }.sorted()
        return String(format: "median %6.1f ms  best %6.1f ms", ms[ms.count / 2], ms[0])
    }
    print("""
        sandbox benchmark, \(rounds) rounds, \(Isolation.current.available)
          once    isolation probe \(probe), cgroup probe \(cgroupProbe)
          run     Tracer.run alone       \(summary(plain))
          run     Sandbox.run            \(summary(sandboxed))
          compile cc (bare, unconfined)  \(summary(bare))
          compile Compiler.compile       \(summary(compiled))
          swift   swiftc (bare, unconfined) \(summary(bareSwift))
          swift   Compiler.compile       \(summary(compiledSwift))
        """)
}

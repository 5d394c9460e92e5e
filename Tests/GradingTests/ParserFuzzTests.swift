// A fuzz target for the lesson parser (`LessonParser.parse`) and the expectation parser
// (`ExpectationScript.parse`): random and mutated inputs from a seeded generator, each fed to
// both parsers, asserting no crash, no hang (time per input bounded) and every diagnostic
// located inside the input. Not part of the normal test run: it runs only with LESSONS_FUZZ=1
// (scripts/fuzz-parsers.sh). Input i depends only on (seed, i), so any input can be replayed:
// LESSONS_FUZZ_DUMP=i writes input i to a file instead of fuzzing.
//
// Environment: LESSONS_FUZZ_COUNT (default 100000), LESSONS_FUZZ_SEED (default 1),
// LESSONS_FUZZ_START (default 0), LESSONS_FUZZ_LIMIT (CPU seconds per input, default 2),
// LESSONS_FUZZ_DUMP=i (write input i to /tmp/lessons-fuzz-input-i.md and stop),
// LESSONS_FUZZ_FILE=PATH (time each parser on that file and stop).

import Foundation
import Testing
@testable import Expectations
@testable import Notebook

/// SplitMix64: small, fast, and the same sequence on every machine.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum ParserFuzz {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The real lessons (bundled and fixture packs, the format document).
    static let lessons: [[UInt8]] = {
        var paths: [String] = []
        for directory in ["Lessons", "Tests/Fixtures/class/Lessons", "Tests/Fixtures/hostile-pack", "docs"] {
            let full = root.appendingPathComponent(directory).path
            for name in (try? FileManager.default.contentsOfDirectory(atPath: full)) ?? [] where name.hasSuffix(".md") {
                paths.append(full + "/" + name)
            }
        }
        return paths.sorted().compactMap { FileManager.default.contents(atPath: $0).map { [UInt8]($0) } }
    }()

    /// The bodies of every ```expect block in those lessons.
    static let expectBlocks: [[UInt8]] = {
        var blocks: [[UInt8]] = []
        for lesson in lessons {
            var current: [Substring]?
            for line in String(decoding: lesson, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
                if current != nil {
                    if line.hasPrefix("```") { blocks.append(Array(current!.joined(separator: "\n").utf8) + [10]); current = nil }
                    else { current!.append(line) }
                } else if line.hasPrefix("```expect") {
                    current = []
                }
            }
        }
        return blocks
    }()

    static let tokens: [String] = [
        "```expect\n", "```\n", "```exercise\n", "```case x\n", "```c starter\n", "```swift starter\n", "```predict\n",
        "```c cell=a\n", "```trace\n", "## Exercise: a — b\n", "### Hints\n", "1. ", "---\n", "id: x\n", "order: 1\n",
        "title: t\n", "requires: a, b\n", "<details lang=\"ko\"><summary>한국어</summary>\n", "</details>\n",
        "stdin: |\n", "stdin: |-\n", "file a.txt: |\n", "args: \"", "env: A=B\n", "inject: mmap:error=ENOMEM:when=2+\n",
        "stdin-seq: 1 1000000\n", "points: 99999999999999999999\n", "cpu: 1.5s\n", "memory: 1GiB\n", "wall: 500ms\n",
        "stdout == \"", "stdout matches /", "/ × 5 each $x: heap\n", "[root] ", "[child] ", "exited with 0\n",
        "killed by SIGSEGV SEGV_ACCERR\n", "+++ exited with 1 +++\n", "brk(NULL) = $b\n", "mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $m\n",
        "never ", "signal", "count ", " × ", "{", "}", "(", ")", "[", "]", "$", "\\", "\"", "'", "|", "...", "…",
        "0x", "-1", "18446744073709551616", "9223372036854775807", "-9223372036854775808", "\t", "\r\n", "\r",
        "\u{0}", "\u{FEFF}", "\u{2028}", "\u{85}", "e\u{301}", "👩‍👩‍👧", "한국어", "\u{1B}[31m",
    ]

    /// Input `index` of the run with `seed`.
    static func input(seed: UInt64, index: Int) -> (text: String, baseLine: Int) {
        var rng = SeededGenerator(seed: seed &* 0x100000001B3 ^ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        _ = rng.next()
        let baseLine = Int.random(in: 1...5000, using: &rng)
        var bytes: [UInt8]
        switch Int.random(in: 0..<20, using: &rng) {
        case 0: bytes = randomBytes(Int.random(in: 0...4096, using: &rng), &rng)
        case 1: bytes = Array(randomUTF8(Int.random(in: 0...2048, using: &rng), &rng).utf8)
        case 2: bytes = Array((0..<Int.random(in: 1...200, using: &rng)).map { _ in tokens.randomElement(using: &rng)! }.joined().utf8)
        case 3...11: bytes = lessons.randomElement(using: &rng) ?? []
        default: bytes = expectBlocks.randomElement(using: &rng) ?? []
        }
        for _ in 0..<Int.random(in: 1...6, using: &rng) { mutate(&bytes, &rng) }
        return (String(decoding: bytes, as: UTF8.self), baseLine)
    }

    static func randomBytes(_ count: Int, _ rng: inout SeededGenerator) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    static func randomUTF8(_ count: Int, _ rng: inout SeededGenerator) -> String {
        var out = String.UnicodeScalarView()
        for _ in 0..<count {
            let value: UInt32
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: value = UInt32.random(in: 0...0x7F, using: &rng)
            case 1: value = UInt32.random(in: 0x80...0x7FF, using: &rng)
            case 2: value = UInt32.random(in: 0x300...0x36F, using: &rng)  // combining marks
            case 3: value = UInt32.random(in: 0xAC00...0xD7A3, using: &rng)  // Hangul
            case 4: value = UInt32.random(in: 0x1F300...0x1FAFF, using: &rng)
            default: value = UInt32.random(in: 0...0x10FFFF, using: &rng)
            }
            out.append(Unicode.Scalar(value) ?? "\u{FFFD}")
        }
        return String(out)
    }

    static func mutate(_ bytes: inout [UInt8], _ rng: inout SeededGenerator) {
        func position() -> Int { bytes.isEmpty ? 0 : Int.random(in: 0...bytes.count, using: &rng) }
        func range(max: Int) -> Range<Int> {
            guard !bytes.isEmpty else { return 0..<0 }
            let start = Int.random(in: 0..<bytes.count, using: &rng)
            return start..<min(bytes.count, start + Int.random(in: 1...max, using: &rng))
        }
        switch Int.random(in: 0..<13, using: &rng) {
        case 0:  // byte flips
            for _ in 0..<Int.random(in: 1...8, using: &rng) where !bytes.isEmpty {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= UInt8(1) << UInt8.random(in: 0...7, using: &rng)
            }
        case 1:  // random bytes
            for _ in 0..<Int.random(in: 1...8, using: &rng) where !bytes.isEmpty {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
        case 2: bytes.removeSubrange(range(max: 200))
        case 3:  // duplication
            let piece = Array(bytes[range(max: 400)])
            let times = Int.random(in: 1...4, using: &rng)
            bytes.insert(contentsOf: Array(repeating: piece, count: times).joined(), at: position())
        case 4:  // splice from another document
            let other = (Bool.random(using: &rng) ? lessons : expectBlocks).randomElement(using: &rng) ?? []
            guard !other.isEmpty else { return }
            let start = Int.random(in: 0..<other.count, using: &rng)
            let piece = other[start..<min(other.count, start + Int.random(in: 1...2000, using: &rng))]
            if Bool.random(using: &rng) { bytes.insert(contentsOf: piece, at: position()) }
            else { bytes.replaceSubrange(range(max: 300), with: piece) }
        case 5: bytes.insert(contentsOf: Array(randomUTF8(Int.random(in: 1...64, using: &rng), &rng).utf8), at: position())
        case 6:  // a very long line
            let unit = tokens.randomElement(using: &rng)!.replacingOccurrences(of: "\n", with: " ")
            let length = Int.random(in: 1000...100_000, using: &rng)
            let line = String(repeating: unit.isEmpty ? "x" : unit, count: max(1, length / max(1, unit.utf8.count)))
            bytes.insert(contentsOf: Array(line.utf8), at: position())
        case 7:  // deep nesting
            let pairs: [(String, String)] = [("(", ")"), ("[", "]"), ("{", "}"), ("\"", "\""), ("/", "/"),
                                             ("<details lang=\"ko\">\n", "</details>\n"), ("```expect\n", "```\n"),
                                             ("## Exercise: x — y\n", "\n"), ("> ", "\n"), ("  ", ""), ("\\", "")]
            let (open, close) = pairs.randomElement(using: &rng)!
            let depth = Int.random(in: 10...5000, using: &rng)
            let at = position()
            var nested = String(repeating: open, count: depth)
            if Bool.random(using: &rng) { nested += String(repeating: close, count: depth) }
            bytes.insert(contentsOf: Array(nested.utf8), at: at)
        case 8: bytes.insert(contentsOf: Array(tokens.randomElement(using: &rng)!.utf8), at: position())
        case 9:  // shuffle lines
            var lines = bytes.split(separator: 10, omittingEmptySubsequences: false)
            guard lines.count > 1 else { return }
            for _ in 0..<Int.random(in: 1...5, using: &rng) {
                lines.swapAt(Int.random(in: 0..<lines.count, using: &rng), Int.random(in: 0..<lines.count, using: &rng))
            }
            bytes = Array(lines.joined(separator: [10]))
        case 10:  // truncate
            bytes = Array(bytes.prefix(position()))
        case 11:  // numbers at their edges
            let numbers = ["0", "-0", "99999999999999999999999", "-9223372036854775808", "0x", "0xffffffffffffffffff",
                           "1e308", "NaN", "4294967296", "1.5.5", "00000000000000000001"]
            bytes.insert(contentsOf: Array(numbers.randomElement(using: &rng)!.utf8), at: position())
        default:  // line ending and indentation changes
            let replacement: [UInt8] = [[13, 10], [13], [9], [32, 32, 32, 32], [0xE2, 0x80, 0xA8]].randomElement(using: &rng)!
            if let newline = bytes.indices.filter({ bytes[$0] == 10 }).randomElement(using: &rng) {
                bytes.replaceSubrange(newline...newline, with: replacement)
            }
        }
    }

    /// Lines of `text` as the parsers count them ("\n" separated), with their lengths in
    /// characters; a diagnostic may point one past the end of a line (or at the line after
    /// the last, for "never closed").
    static func located(line: Int, column: Int, in lengths: [Int], baseLine: Int) -> Bool {
        let index = line - baseLine
        guard index >= 0, index <= lengths.count else { return false }
        guard index < lengths.count else { return column == 1 }
        return column >= 1 && column <= lengths[index] + 1
    }
}

/// The progress of a fuzz run, read by its watchdog thread.
/// Times are CPU seconds of the process (only the fuzzing thread works): on a loaded machine
/// wall time says more about the neighbours than about the parsers.
final class FuzzProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var index = -1
    private var started = 0.0
    static func cpuNow() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
    func begin(_ index: Int) { let now = Self.cpuNow(); lock.lock(); self.index = index; started = now; lock.unlock() }
    func current() -> (index: Int, seconds: Double) {
        let now = Self.cpuNow()
        lock.lock(); defer { lock.unlock() }
        return (index, now - started)
    }
}

@Test(.enabled(if: ProcessInfo.processInfo.environment["LESSONS_FUZZ"] == "1"))
func fuzzLessonAndExpectationParsers() throws {
    let environment = ProcessInfo.processInfo.environment
    let count = Int(environment["LESSONS_FUZZ_COUNT"] ?? "") ?? 100_000
    let seed = UInt64(environment["LESSONS_FUZZ_SEED"] ?? "") ?? 1
    let start = Int(environment["LESSONS_FUZZ_START"] ?? "") ?? 0
    let limit = Double(environment["LESSONS_FUZZ_LIMIT"] ?? "") ?? 2
    if let dump = environment["LESSONS_FUZZ_DUMP"].flatMap({ Int($0) }) {
        let path = "/tmp/lessons-fuzz-input-\(dump).md"
        let input = ParserFuzz.input(seed: seed, index: dump)
        try input.text.write(toFile: path, atomically: true, encoding: .utf8)
        print("fuzz: input \(dump) (seed \(seed), expectation base line \(input.baseLine)) written to \(path)")
        return
    }
    if let path = environment["LESSONS_FUZZ_FILE"] {
        // Replay one file: each parser timed on its own.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let clock = ContinuousClock()
        var count = 0
        let lesson = clock.measure { count = LessonParser.parse(text, file: path).diagnostics.count }
        print("fuzz: \(count) lesson diagnostics")
        let expectation = clock.measure { _ = try? ExpectationScript.parse(text, file: path, line: 1) }
        print("fuzz: \(path): LessonParser.parse \(lesson), ExpectationScript.parse \(expectation)")
        return
    }
    try #require(!ParserFuzz.lessons.isEmpty && !ParserFuzz.expectBlocks.isEmpty)
    print("fuzz: corpus \(ParserFuzz.lessons.count) lessons, \(ParserFuzz.expectBlocks.count) expect blocks; seed \(seed), inputs \(start)..<\(start + count)")

    // A hang cannot be interrupted: the watchdog names the input and stops the process.
    let progress = FuzzProgress()
    let hangLimit = max(10, limit * 5)
    let watchdog = Thread {
        while true {
            Thread.sleep(forTimeInterval: 1)
            let (index, seconds) = progress.current()
            if index >= 0 && seconds > hangLimit {
                print("fuzz: HANG on input \(index) (seed \(seed)): \(Int(seconds)) s CPU; replay with LESSONS_FUZZ_DUMP=\(index)")
                fflush(nil)
                exit(70)
            }
        }
    }
    watchdog.start()
    // A crash cannot be caught either: the last input begun is on disk for the script.
    let marker = open("/tmp/lessons-fuzz-current", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    defer { close(marker) }

    let clock = ContinuousClock()
    var slowest = (index: -1, cpu: 0.0)
    var lessonDiagnostics = 0, expectationDiagnostics = 0, lessonsParsed = 0, scriptsParsed = 0
    var misplaced: [String] = []
    var totalBytes = 0
    let began = clock.now
    for index in start..<(start + count) {
        let (text, baseLine) = ParserFuzz.input(seed: seed, index: index)
        totalBytes += text.utf8.count
        let stamp = Array("\(index)\n".utf8)
        _ = stamp.withUnsafeBytes { pwrite(marker, $0.baseAddress, $0.count, 0) }
        progress.begin(index)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.unicodeScalars.count }
        let cpuBefore = FuzzProgress.cpuNow()
        _ = clock.measure {
            let (lesson, diagnostics) = LessonParser.parse(text, file: "fuzz.md")
            if lesson != nil { lessonsParsed += 1 }
            lessonDiagnostics += diagnostics.count
            for diagnostic in diagnostics where diagnostic.location.file == "fuzz.md" {
                if !ParserFuzz.located(line: diagnostic.location.line, column: diagnostic.location.column, in: lines, baseLine: 1),
                   misplaced.count < 20 {
                    misplaced.append("input \(index) lesson: \(diagnostic)")
                }
            }
            do {
                _ = try ExpectationScript.parse(text, file: "fuzz.md", line: baseLine)
                scriptsParsed += 1
            } catch let diagnostic as ExpectationDiagnostic {
                expectationDiagnostics += 1
                if !ParserFuzz.located(line: diagnostic.line, column: diagnostic.column, in: lines, baseLine: baseLine),
                   misplaced.count < 20 {
                    misplaced.append("input \(index) expect (base line \(baseLine)): \(diagnostic)")
                }
            } catch {
                if misplaced.count < 20 { misplaced.append("input \(index) expect: not an ExpectationDiagnostic: \(error)") }
            }
        }
        let cpu = FuzzProgress.cpuNow() - cpuBefore
        if cpu > slowest.cpu { slowest = (index, cpu) }
        if (index - start + 1) % 10_000 == 0 {
            print("fuzz: \(index - start + 1) inputs, \(clock.now - began), slowest input \(slowest.index) \(String(format: "%.3f", slowest.cpu)) s CPU")
        }
    }
    progress.begin(-1)
    let total = clock.now - began
    print("fuzz: done: \(count) inputs (\(totalBytes / 1024) KiB) in \(total); lessons parsed \(lessonsParsed) with \(lessonDiagnostics) diagnostics; " +
          "expectation blocks parsed \(scriptsParsed), \(expectationDiagnostics) rejected; slowest input \(slowest.index): \(String(format: "%.3f", slowest.cpu)) s CPU")
    for line in misplaced { print("fuzz: misplaced diagnostic: \(line)") }
    #expect(misplaced.isEmpty, "diagnostics outside the input: \(misplaced)")
    #expect(slowest.cpu < limit, "input \(slowest.index) took \(slowest.cpu) s CPU (replay with LESSONS_FUZZ_DUMP=\(slowest.index))")
}

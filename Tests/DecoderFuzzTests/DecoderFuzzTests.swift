// A fuzz target for everything a traced program's values flow through: random registers,
// return values, memory (regions ending at 2^64, pointers just past a region's end, no NULs) and
// siginfo through every syscall decoder (`SyscallDecoder.entry`/`exit`, every number), the
// signal decoder, the strace and JSON Lines renderers, strace's unfinished/resumed lines, the
// memory picture and the expectation matcher on whole random traces; and the tracer's own
// memory reader (process_vm_readv) on this process at random and wrapping addresses.
// It asserts no crash (a trap kills the test process: the script names the input), one line per
// event, valid JSON, the entry text a prefix of the arguments, and the reader's bytes right.
//
// The suite runs a short fixed-seed run; scripts/fuzz-decoders.sh runs a long one. Input i
// depends only on (seed, i). Environment: LESSONS_DECODER_FUZZ_COUNT (default 1500),
// LESSONS_DECODER_FUZZ_SEED (default 1), LESSONS_DECODER_FUZZ_START (default 0),
// LESSONS_DECODER_FUZZ_PROGRESS=FILE (the input under way is written there, for a crash).

import Expectations
import Foundation
import MemoryPicture
import Syscalls
import Testing
@testable import Tracing

@Suite struct DecoderFuzzTests {
    static let environment = ProcessInfo.processInfo.environment
    static let count = Int(environment["LESSONS_DECODER_FUZZ_COUNT"] ?? "") ?? 1500
    static let seed = UInt64(environment["LESSONS_DECODER_FUZZ_SEED"] ?? "") ?? 1
    static let start = Int(environment["LESSONS_DECODER_FUZZ_START"] ?? "") ?? 0
    static let progressFile = environment["LESSONS_DECODER_FUZZ_PROGRESS"]

    /// The expect blocks of the bundled lessons, parsed once.
    static let scripts: [ExpectationScript] = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let lessons = root.appendingPathComponent("Lessons")
        var scripts: [ExpectationScript] = []
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: lessons.path)) ?? []).sorted() where name.hasSuffix(".md") {
            guard let text = try? String(contentsOf: lessons.appendingPathComponent(name), encoding: .utf8) else { continue }
            var block: [Substring]?
            var firstLine = 0
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                if block != nil {
                    if line.hasPrefix("```") {
                        if let script = try? ExpectationScript.parse(block!.joined(separator: "\n") + "\n", file: name, line: firstLine) {
                            scripts.append(script)
                        }
                        block = nil
                    } else {
                        block!.append(line)
                    }
                } else if line.hasPrefix("```expect") {
                    block = []
                    firstLine = number + 2
                }
            }
        }
        return scripts
    }()

    @Test func randomRegistersAndMemoryThroughEveryDecoderAndRenderer() throws {
        #expect(Self.scripts.count >= 10, "the lessons' expect blocks were not found")
        var problems: [String] = []
        let reader = ReaderCheck()
        for index in Self.start..<(Self.start + Self.count) {
            if let file = Self.progressFile { try? "\(index)\n".write(toFile: file, atomically: false, encoding: .utf8) }
            var input = FuzzInput(seed: Self.seed, index: index)
            problems += Self.oneInput(&input, index: index)
            problems += reader.check(&input, index: index)
            if problems.count > 20 { break }
        }
        // stderr: unbuffered, so the line is there however the test process ends
        FileHandle.standardError.write(Data("fuzz: decoders: seed \(Self.seed), inputs \(Self.start)..<\(Self.start + Self.count), \(problems.count) problems\n".utf8))
        #expect(problems.isEmpty, Comment(rawValue: problems.prefix(20).joined(separator: "\n")))
    }

    /// One input: a few calls, a signal, an exit, each rendered every way; then the whole trace
    /// through the memory picture and the matcher.
    static func oneInput(_ input: inout FuzzInput, index: Int) -> [String] {
        var problems: [String] = []
        var events: [TraceEvent] = []
        let root: Int32 = 4242
        let pids: [Int32] = [root, 4243, Int32.max, 1]
        var interleaving = StraceInterleaving()
        var bytes: [UInt8] = []
        for _ in 0..<(1 + input.below(8)) {
            let number = input.chance(40) ? [9, 11, 10, 25, 12][input.below(5)] : input.number()
            let arguments = input.arguments()
            let entry = SyscallDecoder.entry(number: number, arguments: arguments, stackPointer: input.register(),
                                             memory: input.memory)
            let sameMemory = input.chance(70)
            let exitMemory = sameMemory ? input.memory : input.makeMemory()
            let call = SyscallDecoder.exit(entry, returnValue: input.returnValue(), memory: exitMemory)
            let pid = pids[input.below(pids.count)]
            let event = TraceEvent(sequence: events.count, pid: pid, phase: input.chance(80) ? .program : .startup,
                                   kind: .syscall(call))
            events.append(event)
            if sameMemory, !call.renderedArguments.hasPrefix(entry.straceEntryText) {
                problems.append("input \(index): \(call.name): the entry text `\(entry.straceEntryText)` is not a prefix of `\(call.renderedArguments)`")
            }
            // The arguments as values are the text, cut where the decoder said they end.
            let joined = call.decodedArguments.map(\.text).joined(separator: ", ")
            // (a call that never returned: what was printed at entry, then ` <unfinished ...>`)
            if joined != call.renderedArguments && call.renderedArguments != joined + " <unfinished ...>"
                && call.renderedArguments != joined + ",  <unfinished ...>" {
                problems.append("input \(index): \(call.name): the arguments `\(joined)` are not the text `\(call.renderedArguments)`")
            }
            if input.chance(30) {
                interleaving.unfinished(UnfinishedCall(pid: pid, number: number, name: call.name, printed: entry.straceEntryText,
                                                       liveAtEntry: 2), pidPrefix: .bracketed, to: &bytes)
            }
            interleaving.append(event, pidPrefix: .column, to: &bytes)
        }
        let signal = SyscallDecoder.signal(siginfo: input.siginfo())
        events.append(TraceEvent(sequence: events.count, pid: root, phase: .program, kind: .signal(signal)))
        events.append(TraceEvent(sequence: events.count, pid: pids[input.below(pids.count)], phase: .program,
                                 kind: .spawned(child: Int32(truncatingIfNeeded: Int64(bitPattern: input.register())), isThread: input.chance(50))))
        let exit = input.exit()
        events.append(TraceEvent(sequence: events.count, pid: root, phase: .program, kind: .exit(exit)))

        for event in events {
            for prefix in [StraceFormat.PidPrefix.none, .bracketed, .column] {
                let line = StraceFormat.line(event, pidPrefix: prefix)
                if line.contains("\n") { problems.append("input \(index): a strace line with a newline: \(line)") }
            }
            let json = JSONLFormat.line(event)
            if json.contains("\n") || (try? JSONSerialization.jsonObject(with: Data(json.utf8))) == nil {
                problems.append("input \(index): not one JSON object: \(json)")
            }
        }

        // Output with pointers in it, for the picture's "pointers the program printed".
        var stdout = ""
        for _ in 0..<input.below(4) { stdout += "got 0x\(String(input.register(), radix: 16))\n" }
        let run = ProgramRun(events: events, rootPid: root, exit: input.chance(80) ? exit : nil, stdout: Array(stdout.utf8),
                             sawMain: input.chance(80))
        _ = MemoryPicture.render(run, style: .init(plain: input.chance(50), color: input.chance(50), maxRows: 1 + input.below(20)))
        if !scripts.isEmpty {
            let chosen = (0..<(1 + input.below(3))).map { _ in scripts[input.below(scripts.count)] }
            _ = Matcher.match(chosen, against: run, language: input.chance(50) ? "en" : "ko")
        }
        return problems
    }
}

/// The tracer's reader on this very process: a buffer we own read back at random offsets and
/// lengths (the bytes must be ours, cut where the buffer's page run ends), and random and
/// wrapping addresses (never a trap; the top of the address space is never readable).
final class ReaderCheck {
    let reader = TraceeMemoryReader(pid: getpid())
    let buffer: UnsafeMutableRawBufferPointer

    init() {
        buffer = .allocate(byteCount: 8192, alignment: 4096)
        for k in 0..<buffer.count { buffer[k] = UInt8(1 + k % 255) }  // no NUL but the one below
        buffer[5000] = 0
    }

    deinit { buffer.deallocate() }

    func check(_ input: inout FuzzInput, index: Int) -> [String] {
        var problems: [String] = []
        let base = UInt64(UInt(bitPattern: buffer.baseAddress!))
        let offset = input.below(buffer.count)
        let count = input.below(600)
        let got = reader.read(address: base &+ UInt64(offset), count: count)
        let expected = Array(buffer[offset..<min(buffer.count, offset + count)])
        if count > 0, let got, !(got.count >= expected.count && Array(got.prefix(expected.count)) == expected) {
            problems.append("input \(index): reading our own buffer at +\(offset), \(count) bytes gave other bytes")
        }
        if count > 0 && got == nil { problems.append("input \(index): our own buffer at +\(offset) was unreadable") }
        if offset <= 5000, let string = reader.readCString(address: base &+ UInt64(offset), limit: 8192),
           string != Array(buffer[offset..<5000]) {
            problems.append("input \(index): the C string at +\(offset) read wrong")
        }
        let wild = input.register()
        _ = reader.read(address: wild, count: input.below(5000))
        _ = reader.readCString(address: wild, limit: input.below(5000))
        let top = UInt64.max &- UInt64(input.below(64))
        if reader.read(address: top, count: 1 + input.below(128)) != nil || reader.readCString(address: top, limit: 64) != nil {
            problems.append("input \(index): the top of the address space read as mapped")
        }
        return problems
    }
}

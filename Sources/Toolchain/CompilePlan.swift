// The commands gcc's driver runs for a C compile — `cc1 … -o - | as … -o OBJ`, then the linker
// that `collect2` would start — run by the compile's sandboxed child itself (confined.c), without
// the driver: the driver reads its specs for ~1.5–3 ms before cc1 starts, and from the
// assembler's end to gold's start takes ~2.4 ms through collect2 against ~1.4 ms here. Measured
// with paired cold `check`s (40 pairs, release build, 2026-12-03): 0.8 and 1.6 ms saved per
// compile in two runs (the same commands from a shell outside the tool saved 4–6 ms).
//
// Nothing is guessed: the plan is what `cc -###` prints for the very flags of a compile, learned
// once per compiler (its identity, the flags, PATH) and trusted only once proven: a probe program
// compiled both ways must give the same binary byte for byte and the same messages, or the
// driver is used. The binary is the driver's, then; so are the messages a learner sees for
// compile errors (they are cc1's, which the driver passes through unchanged). Whatever else goes
// wrong (the assembler or the linker fails, a tool dies) makes the compile run again through the
// driver, whose messages (`collect2: error: ld returned 1 exit status`) are then the ones shown.
// The plan holds while cc1, the assembler and the linker are the files it was learned with
// (device, inode, size, times), like the compiler's identity (CompilerIdentity.swift).
import Foundation
import Synchronization
import CLessonsSandbox
import Sandbox

struct CompilePlan: Sendable, Equatable {
    /// cc1's arguments (writing assembly to stdout), with `probeSource` where the source goes.
    var compile: [String]
    /// The assembler's (reading stdin), writing `objectName`.
    var assemble: [String]
    /// The linker's, as collect2 would run it (its own options left out), reading `objectName`.
    var link: [String]

    /// The source file's name while learning: every argument that names it is the source.
    static let probeSource = "lessons-plan-probe.c"
    /// The object file between the assembler and the linker, in the compile's working directory
    /// (a name no learner's `.c` file can take).
    static let objectName = ".lessons-program.o"
    /// What the compile exits with when anything but cc1's own compile errors went wrong: it is
    /// then run again through the driver.
    static let askTheDriver = Int32(LESSONS_PLAN_ASK_THE_DRIVER)

    /// The plan from `cc -###` output for a compile of `probeSource` to `program` with `-pipe`;
    /// nil when it is not the three steps this knows (cc1 | as, collect2), or names the source in
    /// a way this does not rewrite. `linker`: the linker collect2 would run; `resolve` finds a
    /// bare program name (`as`) on the compile's PATH.
    static func parse(_ text: String, linker: String, resolve: (String) -> String?) -> CompilePlan? {
        let commands = text.split(separator: "\n").filter { $0.hasPrefix(" ") }.map { words(of: String($0)) }
        guard commands.count == 3, var compile = commands.first, compile.last == "|" else { return nil }
        compile.removeLast()
        var assemble = commands[1]
        let collect = commands[2]
        guard compile.first?.hasSuffix("/cc1") == true, compile.suffix(2) == ["-o", "-"],
              let assembler = assemble.first, (assembler as NSString).lastPathComponent == "as",
              collect.first.map({ ($0 as NSString).lastPathComponent }) == "collect2" else { return nil }
        // The source: named only as itself (the input, -dumpbase).
        for word in compile + assemble + collect where word.contains("lessons-plan-probe") && word != probeSource { return nil }
        guard compile.contains(probeSource), !assemble.contains(probeSource), !collect.contains(probeSource) else { return nil }
        // The object: the assembler's -o, a temporary file the driver named; the linker reads it.
        guard let output = assemble.firstIndex(of: "-o"), output + 1 < assemble.count,
              collect.filter({ $0 == assemble[output + 1] }).count == 1 else { return nil }
        let object = assemble[output + 1]
        assemble[output + 1] = objectName
        if !assembler.hasPrefix("/") {
            guard let found = resolve(assembler) else { return nil }
            assemble[0] = found
        }
        // collect2's own options (the LTO plugin, the linker's choice) stay with collect2.
        var link = [linker]
        var index = 1
        while index < collect.count {
            let word = collect[index]
            if word == "-plugin" { index += 2; continue }
            if word.hasPrefix("-plugin-opt=") || word.hasPrefix("-fuse-ld=") { index += 1; continue }
            link.append(word == object ? objectName : word)
            index += 1
        }
        let plan = CompilePlan(compile: compile, assemble: assemble, link: link)
        guard !(plan.compile + plan.assemble + plan.link).contains(where: { $0.isEmpty || $0.contains { $0.isNewline || $0 == "\u{1}" || $0 == "\u{2}" } })
        else { return nil }
        return plan
    }

    /// The words of one `-###` line: separated by spaces, `"…"` quoted with `\` escapes.
    static func words(of line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false, quoted = false, escaped = false
        for character in line {
            if escaped { current.append(character); escaped = false; continue }
            if quoted {
                if character == "\\" { escaped = true } else if character == "\"" { quoted = false } else { current.append(character) }
                continue
            }
            switch character {
            case " ", "\t":
                if inWord { words.append(current); current = ""; inWord = false }
            case "\"":
                quoted = true; inWord = true
            default:
                current.append(character); inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    /// cc1's arguments for the learner's `sourceName`. The sandboxed child runs it piped into
    /// the assembler, then the linker, and exits 0, or 1 when cc1 did (compile errors: its
    /// messages are the driver's), or `askTheDriver` (lessons_confined_request).
    func compileArguments(sourceName: String) -> [String] {
        compile.map { $0 == Self.probeSource ? sourceName : $0 }
    }

    /// The plan's programs (cc1, the assembler, the linker).
    var tools: [String] { [compile[0], assemble[0], link[0]] }

    /// One line for the cache: steps apart with U+0002, words with U+0001.
    var encoded: String {
        [compile, assemble, link].map { $0.joined(separator: "\u{1}") }.joined(separator: "\u{2}")
    }

    init(compile: [String], assemble: [String], link: [String]) {
        self.compile = compile
        self.assemble = assemble
        self.link = link
    }

    init?(encoded: String) {
        let steps = encoded.split(separator: "\u{2}", omittingEmptySubsequences: false)
            .map { $0.split(separator: "\u{1}", omittingEmptySubsequences: false).map(String.init) }
        guard steps.count == 3, steps.allSatisfy({ !$0.isEmpty && !$0[0].isEmpty }) else { return nil }
        self.init(compile: steps[0], assemble: steps[1], link: steps[2])
    }
}

extension CompilePlan {
    /// Whether a compile by the plan must be done again through the driver: anything but a
    /// clean compile, cc1's compile errors (exit 1), the time limit and the memory limit (whose
    /// messages say nothing of the output, and which the driver would only meet again).
    static func needsTheDriver(_ result: ChildResult) -> Bool {
        if result.outOfMemory { return false }
        switch result.ending {
        case .exited(0), .exited(1), .timedOut: return false
        case .exited, .signaled: return true
        }
    }

    /// dev:inode:size:mtime:ctime of each file: a plan holds while its programs are the ones it
    /// was learned with (an upgrade of binutils or gcc replaces them).
    static func stamps(of paths: [String]) -> String? {
        var parts: [String] = []
        for path in paths {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            parts.append("\(info.st_dev):\(info.st_ino):\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec):\(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec)")
        }
        return parts.joined(separator: ",")
    }

    /// A probe with what learners' programs have: headers, a warning, static data, the heap, a
    /// function pointer, libm.
    static let probeProgram = """
        #include <math.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        static const char greeting[] = "plan";
        static int twice(int x) { return 2 * x; }
        int main(int argc, char **argv) {
            int unused;
            int (*f)(int) = twice;
            char *p = malloc(64);
            if (!p) return 1;
            strcpy(p, greeting);
            printf("%s %d %.1f %s\\n", p, f(argc), sqrt((double)argc), argv[0]);
            free(p);
            return 0;
        }

        """
}

extension Compiler {
    /// The plan for C compiles with `flags` (CompilePlan.swift): read from the cache while its
    /// compiler, flags, PATH and programs are the same, else learned and proven (three compiles
    /// of the probe, ~0.1 s, once); nil: compile through the driver. Only gcc with gold and
    /// `-pipe` in a sandbox that shows the working directory at a fixed path has one.
    static func compilePlan(identity: CompilerIdentity, flags: [String], environment: [String: String],
                            limits: CompileLimits, cache: BinaryCache) -> CompilePlan? {
        guard !identity.isClang, ConfinedProcess.binds, flags.contains("-pipe"), flags.contains("-fuse-ld=gold"),
              let linker = goldLinker(environment: environment), identity.extraFlags.isEmpty else { return nil }
        let path = environment["PATH"] ?? ""
        // The working directory as the compiler sees it is in cc1's arguments (-fdebug-prefix-map).
        let key = (["compile-plan-1", identity.path, identity.version, linker, path, Confinement.workInside] + flags)
            .joined(separator: "\u{1}")
        if let known = knownPlans.withLock({ $0[key] }) { return known }
        var name = SHA256()
        name.update(key)
        let file = cache.root + "/compilers/plan-" + String(SHA256.hex(name.finalize()).prefix(32))
        var plan: CompilePlan?
        if let text = MachineFacts.read(file, key: key) {
            if text == "none" {
                knownPlans.withLock { $0[key] = .some(nil) }
                return nil
            }
            let parts = text.split(separator: "\u{3}", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2, let stored = CompilePlan(encoded: String(parts[1])),
               CompilePlan.stamps(of: stored.tools) == String(parts[0]) {
                plan = stored
            }
        }
        if plan == nil {
            let learned = learnPlan(identity: identity, flags: flags, linker: linker, environment: environment, limits: limits, cache: cache)
            switch learned {
            case .some(let found?):
                if let stamps = CompilePlan.stamps(of: found.tools) { MachineFacts.write(file, key: key, value: stamps + "\u{3}" + found.encoded) }
                plan = found
            case .some(nil):
                MachineFacts.write(file, key: key, value: "none")
            case nil:
                break  // could not try (a full disk, a busy machine): the driver now, learned another time
            }
        }
        knownPlans.withLock { $0[key] = .some(plan) }
        return plan
    }
    private static let knownPlans = Mutex<[String: CompilePlan?]>([:])

    /// Learns the plan: `-###` for the probe, then the probe compiled through the driver and by
    /// the plan, which must agree on the binary byte for byte and on every message. `.some(nil)`:
    /// no plan for this compiler; nil: the attempt itself failed.
    static func learnPlan(identity: CompilerIdentity, flags: [String], linker: String, environment: [String: String],
                          limits: CompileLimits, cache: BinaryCache) -> CompilePlan?? {
        guard let scratch = try? ScratchDirectory.forCompile() else { return nil }
        defer { scratch.remove() }
        let work = scratch.work
        guard writeNewFile(work + "/" + CompilePlan.probeSource, Array(CompilePlan.probeProgram.utf8)) == nil else { return nil }
        func compile(_ plan: CompilePlan?, extra: [String] = []) -> ChildResult? {
            try? runCompiler(identity: identity, flags: flags + extra, language: .c, sourceName: CompilePlan.probeSource,
                             work: work, environment: environment, limits: limits, cache: cache, plan: plan)
        }
        // A compile that could not start is the attempt's failure (tried again by the next
        // process); a probe the driver itself does not compile means no plan, not a retry on
        // every check.
        guard let shown = compile(nil, extra: ["-###"]) else { return nil }
        guard shown.ending == .exited(0),
              let plan = CompilePlan.parse(shown.output, linker: linker, resolve: { CompilerIdentity.resolve($0, path: environment["PATH"]) })
        else { return .some(nil) }
        guard let driver = compile(nil) else { return nil }
        guard driver.ending == .exited(0), let expected = FileManager.default.contents(atPath: work + "/program") else { return .some(nil) }
        unlink(work + "/program")
        guard let planned = compile(plan), planned.ending == .exited(0), planned.output == driver.output,
              FileManager.default.contents(atPath: work + "/program") == expected else { return .some(nil) }
        return .some(plan)
    }
}

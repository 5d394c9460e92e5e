// The plan: gcc's own commands run without its driver (CompilePlan.swift). What `-###` says is
// read right and rewritten only where the plan must (the source, the object, collect2's own
// options); on this machine's compiler the plan gives the driver's binary and messages, and
// what it cannot do (a link error) goes to the driver.

import Foundation
import Testing
@testable import Toolchain
@testable import Sandbox
import TestSupport

/// gcc 12's `-###` for a compile of the probe (Debian 12, amd64), shortened where nothing changes.
private let listing = """
    Using built-in specs.
    COLLECT_GCC=cc
    Target: x86_64-linux-gnu
    COLLECT_GCC_OPTIONS='-O0' '-g' '-Wall' '-pipe' '-o' 'program'
     /usr/lib/gcc/x86_64-linux-gnu/12/cc1 -quiet -imultiarch x86_64-linux-gnu -H lessons-plan-probe.c -quiet -dumpdir program- -dumpbase lessons-plan-probe.c -dumpbase-ext .c "-mtune=generic" "-march=x86-64" -g -O0 -Wall "-fdiagnostics-color=never" "-fuse-ld=gold" "-fdebug-prefix-map=/tmp/lessons-compile=." -fasynchronous-unwind-tables -o - |
     as --gdwarf-5 --64 -o /tmp/lessons-compile/ccRQCAcg.o
    COMPILER_PATH=/usr/lib/gcc/x86_64-linux-gnu/12/
     /usr/lib/gcc/x86_64-linux-gnu/12/collect2 -plugin /usr/lib/gcc/x86_64-linux-gnu/12/liblto_plugin.so "-plugin-opt=/usr/lib/gcc/x86_64-linux-gnu/12/lto-wrapper" "-plugin-opt=-fresolution=/tmp/lessons-compile/ccDs2wbi.res" --build-id -pie "-fuse-ld=gold" -o program /usr/lib/x86_64-linux-gnu/Scrt1.o -L/usr/lib/gcc/x86_64-linux-gnu/12 --no-map-whole-files -nostdlib /tmp/lessons-compile/ccRQCAcg.o -lm -lc /usr/lib/x86_64-linux-gnu/crtn.o
    COLLECT_GCC_OPTIONS='-O0' '-g' '-Wall' '-pipe' '-o' 'program'
    """

@Test func aDriverListingBecomesAPlan() throws {
    let plan = try #require(CompilePlan.parse(listing, linker: "/usr/bin/ld.gold", resolve: { $0 == "as" ? "/usr/bin/as" : nil }))
    #expect(plan.compile.first == "/usr/lib/gcc/x86_64-linux-gnu/12/cc1")
    #expect(plan.compile.suffix(3) == ["-fasynchronous-unwind-tables", "-o", "-"])
    #expect(plan.compile.contains("-mtune=generic") && plan.compile.contains("-fdebug-prefix-map=/tmp/lessons-compile=."))
    #expect(plan.assemble == ["/usr/bin/as", "--gdwarf-5", "--64", "-o", CompilePlan.objectName])
    #expect(plan.link == ["/usr/bin/ld.gold", "--build-id", "-pie", "-o", "program", "/usr/lib/x86_64-linux-gnu/Scrt1.o",
                          "-L/usr/lib/gcc/x86_64-linux-gnu/12", "--no-map-whole-files", "-nostdlib", CompilePlan.objectName,
                          "-lm", "-lc", "/usr/lib/x86_64-linux-gnu/crtn.o"])
    #expect(CompilePlan(encoded: plan.encoded) == plan)

    // The learner's file goes where the probe was, and only there.
    let arguments = plan.compileArguments(sourceName: "it's mine.c")
    #expect(arguments.filter { $0 == "it's mine.c" }.count == 2)
    #expect(arguments.count == plan.compile.count && !arguments.contains(CompilePlan.probeSource))

    // What this does not know is no plan: another shape, the source named another way, an
    // assembler not on PATH.
    #expect(CompilePlan.parse(listing.replacingOccurrences(of: " |\n", with: "\n"), linker: "/usr/bin/ld.gold", resolve: { _ in "/usr/bin/as" }) == nil)
    #expect(CompilePlan.parse(listing.replacingOccurrences(of: "-dumpbase-ext .c", with: "-auxbase lessons-plan-probe"), linker: "/usr/bin/ld.gold", resolve: { _ in "/usr/bin/as" }) == nil)
    #expect(CompilePlan.parse(listing, linker: "/usr/bin/ld.gold", resolve: { _ in nil }) == nil)
    #expect(CompilePlan.parse("clang version 16\n \"/usr/bin/clang\" \"-cc1\" \"-o\" \"x.o\"\n \"/usr/bin/ld\" \"x.o\"\n", linker: "/usr/bin/ld.gold", resolve: { _ in nil }) == nil)
}

@Test func driverWordsAreSplitAndUnquoted() {
    #expect(CompilePlan.words(of: #" a "b c" "d\"e" "f\\g" -o -"#) == ["a", "b c", "d\"e", "f\\g", "-o", "-"])
    #expect(CompilePlan.words(of: "  x\t y  ") == ["x", "y"])
}

/// The driver takes over for anything but success, cc1's compile errors and the time and memory limits.
@Test func whatThePlanCannotSayGoesToTheDriver() {
    func ending(_ ending: ChildResult.Ending, outOfMemory: Bool = false) -> ChildResult {
        ChildResult(ending: ending, output: "", wallSeconds: 0, outOfMemory: outOfMemory)
    }
    #expect(!CompilePlan.needsTheDriver(ending(.exited(0))))
    #expect(!CompilePlan.needsTheDriver(ending(.exited(1))))
    #expect(!CompilePlan.needsTheDriver(ending(.timedOut)))
    #expect(!CompilePlan.needsTheDriver(ending(.signaled(SIGKILL), outOfMemory: true)))
    #expect(CompilePlan.needsTheDriver(ending(.exited(CompilePlan.askTheDriver))))
    #expect(CompilePlan.needsTheDriver(ending(.exited(2))))
    #expect(CompilePlan.needsTheDriver(ending(.signaled(SIGKILL))))
}

/// On this machine's compiler: where there is a plan (gcc, gold, a mount namespace), a program
/// other than the probe compiles by it to the driver's binary, byte for byte, with the
/// driver's messages; a compile error is cc1's, the same; a link error asks for the driver.
/// Where there is none, compiles go through the driver (the rest of the suite).
@Test func aPlannedCompileGivesTheDriversBinaryAndMessages() throws {
    let dir = scratchDirectory()
    let env = environment(cache: dir + "/cache")
    let identity = try CompilerIdentity.lookUp(.c, environment: env)
    let gold = Compiler.goldLinker(environment: env) != nil
    let flags = Compiler.stableFlags(.c, identity: identity, parseAsLibrary: false, goldLinker: gold)
    let cache = BinaryCache(root: dir + "/cache", budget: 1 << 30)
    try cache.prepare()
    let plan = Compiler.compilePlan(identity: identity, flags: flags, environment: env, limits: CompileLimits(), cache: cache)
    guard gold, !identity.isClang, ConfinedProcess.binds, identity.extraFlags.isEmpty else {
        #expect(plan == nil)
        return
    }
    let found = try #require(plan, "gcc with gold here, and no plan learned")
    // Learned once: the next look is the cache's (a new process reads the file).
    #expect(Compiler.compilePlan(identity: identity, flags: flags, environment: env, limits: CompileLimits(), cache: cache) == found)

    func both(_ source: String) throws -> [(ChildResult, Data?)] {
        try [nil, found].map { plan in
            let scratch = try ScratchDirectory.forCompile()
            defer { scratch.remove() }
            #expect(Compiler.writeNewFile(scratch.work + "/mine.c", Array(source.utf8)) == nil)
            let result = try Compiler.runCompiler(identity: identity, flags: flags, language: .c, sourceName: "mine.c",
                                                  work: scratch.work, environment: env, limits: CompileLimits(), cache: cache, plan: plan)
            return (result, FileManager.default.contents(atPath: scratch.work + "/program"))
        }
    }
    let program = """
        #include <stdio.h>
        #include <stdlib.h>
        #include <sys/mman.h>
        struct node { struct node *next; int value; };
        int main(void) {
            int spare;
            struct node *list = NULL;
            for (int i = 0; i < 5; i++) { struct node *n = malloc(sizeof *n); n->next = list; n->value = i; list = n; }
            void *big = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            printf("%d %p\\n", list->value, big);
            return 0;
        }

        """
    let built = try both(program)
    #expect(built[0].0.ending == .exited(0) && built[1].0.ending == .exited(0), "\(built.map(\.0.output))")
    #expect(built[0].1 != nil && built[0].1 == built[1].1, "the plan's binary differs from the driver's")
    #expect(built[0].0.output == built[1].0.output)
    #expect(built[1].0.output.contains("unused variable 'spare'"))

    let broken = try both("#include <stdio.h>\nint main(void) { int x = ; return 0; }\n")
    #expect(broken[0].0.ending == .exited(1) && broken[1].0.ending == .exited(1))
    #expect(broken[0].0.output == broken[1].0.output, "\(broken.map(\.0.output))")
    #expect(broken[1].0.output.contains("mine.c:2:"))

    let unlinked = try both("int missing(void);\nint main(void) { return missing(); }\n")
    #expect(unlinked[0].0.output.contains("collect2: error: ld returned 1 exit status"))
    #expect(unlinked[1].0.ending == .exited(CompilePlan.askTheDriver), "\(unlinked[1].0.output)")
    // …and a compile whose link fails says what the driver says.
    let source = write("int missing(void);\nint main(void) { return missing(); }\n", "link.c", in: dir)
    let result = try Compiler.compile(CompileRequest(source: source, language: .c, displayName: "hw/link.c"), environment: env)
    guard case .failure(let diagnostics) = result else { Issue.record("linked: \(result)"); return }
    #expect(diagnostics.contains("collect2: error: ld returned 1 exit status"), "\(diagnostics)")
}

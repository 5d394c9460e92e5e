// Every flag table value against the system headers: a C program generated from the tables
// prints each constant as the headers define it.
import Foundation
import Testing
@testable import Syscalls

@Suite struct FlagTableTests {
    /// Constants strace knows that the uapi headers name differently or not at all.
    static let notInHeaders: Set<String> = [
        "PKEY_DISABLE_EXECUTE",  // powerpc's; strace's table lists it on every architecture
        "SA_INTERRUPT",  // gone from the uapi headers; strace still names the bit
    ]
    /// Tables of names the kernel keeps to itself (arch/x86/include/asm/fpu/types.h); strace
    /// copies them, and so do we.
    static let tablesNotInHeaders: Set<String> = ["x86_xfeatures", "x86_xfeature_bits"]

    @Test func everyTableIsInTheCheckedSet() {
        // A table outside `FlagTables.all` would escape the header check below.
        #expect(FlagTables.all.count == Set(FlagTables.all.map(\.name)).count, "two tables share a name")
        for table in [FlagTables.access, FlagTables.at, FlagTables.whence, FlagTables.ioctlRequests, FlagTables.clocks,
                      FlagTables.sigprocmaskHow, FlagTables.sigaction, FlagTables.fdFlags, FlagTables.rlimitResource,
                      FlagTables.ptraceEvents, FlagTables.clockFlags, SyscallDecoder.futexOperations,
                      SyscallDecoder.archOptions] {
            #expect(FlagTables.all.contains { $0.name == table.name }, "\(table.name) is not checked against the headers")
        }
    }

    @Test func valuesMatchSystemHeaders() throws {
        guard Tool.which("cc") != nil else { Issue.record("cc not installed"); return }
        var source = """
            #define _GNU_SOURCE
            #include <stdio.h>
            #include <unistd.h>
            #include <linux/mman.h>
            #include <asm/fcntl.h>
            #include <linux/fcntl.h>
            #include <linux/sched.h>
            #include <linux/wait.h>
            #include <linux/random.h>
            #include <linux/close_range.h>
            #include <linux/futex.h>
            #include <linux/ptrace.h>
            #include <linux/time.h>
            #include <linux/resource.h>
            #include <asm/prctl.h>
            #include <asm/signal.h>
            #include <asm/termbits.h>
            #include <asm/ioctls.h>
            #ifndef MAP_HUGE_SHIFT
            #define MAP_HUGE_SHIFT -1
            #endif
            int main(void) {

            """
        var names: [String] = []
        for table in FlagTables.all where !Self.tablesNotInHeaders.contains(table.name) {
            for entry in table.entries {
                names.append(entry.name)
                // `FUTEX_FD|FUTEX_PRIVATE_FLAG`: each part must be defined, the value is their union.
                let defined = entry.name.split(separator: "|").map { "defined(\($0))" }.joined(separator: " && ")
                source += """
                    #if \(defined)
                        printf("\(entry.name) %llu\\n", (unsigned long long)(\(entry.name)));
                    #else
                        printf("\(entry.name) undefined\\n");
                    #endif

                    """
            }
        }
        source += """
                printf("AT_FDCWD %d\\n", AT_FDCWD);
                printf("MAP_HUGE_SHIFT %d\\n", MAP_HUGE_SHIFT);
                printf("MAP_HUGE_MASK %d\\n", MAP_HUGE_MASK);
                return 0;
            }
            """
        let dir = try Tool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let binary = try Tool.compileC(source, in: dir, name: "constants")
        let output = try Tool.run(binary, []).output
        var fromHeaders: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let words = line.split(separator: " ")
            fromHeaders[String(words[0])] = String(words[1])
        }
        for table in FlagTables.all where !Self.tablesNotInHeaders.contains(table.name) {
            for entry in table.entries where !Self.notInHeaders.contains(entry.name) {
                #expect(fromHeaders[entry.name] == String(entry.value), "\(table.name): \(entry.name)")
            }
        }
        #expect(fromHeaders["AT_FDCWD"] == String(FlagTables.atFDCWD))
        #expect(fromHeaders["MAP_HUGE_SHIFT"] == String(FlagTables.mapHugeShift))
        #expect(fromHeaders["MAP_HUGE_MASK"] == String(FlagTables.mapHugeMask))
        #expect(names.count > 100)
    }
}

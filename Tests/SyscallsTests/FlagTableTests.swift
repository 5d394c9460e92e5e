// Every flag table value against the system headers: a C program generated from the tables
// prints each constant as the headers define it.
import Foundation
import Testing
@testable import Syscalls

@Suite struct FlagTableTests {
    /// Constants strace knows that the uapi headers name differently or not at all.
    static let notInHeaders: Set<String> = [
        "PKEY_DISABLE_EXECUTE",  // powerpc's; strace's table lists it on every architecture
    ]

    @Test func valuesMatchSystemHeaders() throws {
        guard Tool.which("cc") != nil else { Issue.record("cc not installed"); return }
        var source = """
            #include <stdio.h>
            #include <linux/mman.h>
            #include <asm/fcntl.h>
            #include <linux/fcntl.h>
            #include <linux/sched.h>
            #include <linux/wait.h>
            #include <linux/random.h>
            #include <linux/close_range.h>
            #ifndef MAP_HUGE_SHIFT
            #define MAP_HUGE_SHIFT -1
            #endif
            int main(void) {

            """
        var names: [String] = []
        for table in FlagTables.all {
            for entry in table.entries {
                names.append(entry.name)
                source += """
                    #ifdef \(entry.name)
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
        for table in FlagTables.all {
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

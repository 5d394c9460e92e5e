// Real traces (strace -f, ASLR off) of the reference C and Swift programs in
// scripts/expect-fixtures, glibc 2.36, as scripts/expect-fixtures/record.sh writes them into
// RecordedTraces/: for each program NAME, NAME.raw (strace -X raw), NAME.pretty (strace's
// decoded text), NAME.stdout and NAME.stderr. They are data, loaded here as test resources.

import Foundation
import Testing

struct RecordedTrace {
    var name: String
    var raw: String
    var pretty: String
    var stdout: String
    var stderr: String
}

enum RecordedTraces {
    static let all: [String: RecordedTrace] = load()

    static func load() -> [String: RecordedTrace] {
        guard let folder = Bundle.module.url(forResource: "RecordedTraces", withExtension: nil),
              let files = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [:] }
        func text(_ name: String, _ part: String) -> String {
            (try? String(contentsOf: folder.appendingPathComponent("\(name).\(part)"), encoding: .utf8)) ?? ""
        }
        var traces: [String: RecordedTrace] = [:]
        for file in files where file.hasSuffix(".raw") {
            let name = String(file.dropLast(".raw".count))
            traces[name] = RecordedTrace(name: name, raw: text(name, "raw"), pretty: text(name, "pretty"),
                                         stdout: text(name, "stdout"), stderr: text(name, "stderr"))
        }
        return traces
    }
}

@Suite struct RecordedTraceFiles {
    @Test func everyRecordedTraceLoads() throws {
        let empty = try #require(RecordedTraces.all["empty"])
        #expect(empty.raw.hasPrefix("16120 execve(\"./empty\", [\"./empty\"]"))
        #expect(empty.pretty.hasSuffix("+++ exited with 0 +++\n"))
        #expect(RecordedTraces.all.count == 22)
    }
}

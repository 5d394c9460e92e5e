// Summing the compile cache's entries reads every one of them: a process does it only when no
// process has in the last ten minutes (`binaries.checked`), and then it trims as before.

import Foundation
import Testing
@testable import Toolchain

@Test func theCacheIsSummedOnlyWhenNoProcessDidLately() throws {
    let dir = scratchDirectory()
    let binaries = dir + "/binaries"
    try FileManager.default.createDirectory(atPath: dir + "/tmp", withIntermediateDirectories: true)
    for index in 0..<4 {
        let entry = binaries + "/entry\(index)"
        try FileManager.default.createDirectory(atPath: entry, withIntermediateDirectories: true)
        try Data(count: 1000).write(to: URL(fileURLWithPath: entry + "/program"))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: Double(1_000_000 + index))], ofItemAtPath: entry)
    }
    // Another process looked a minute ago: this one does not, though the entries are over budget.
    _ = FileManager.default.createFile(atPath: binaries + ".checked", contents: nil)
    try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-60)], ofItemAtPath: binaries + ".checked")
    CacheSweeper().trimOnce(binaries, budget: 2000, scratch: dir + "/tmp")
    #expect(try FileManager.default.contentsOfDirectory(atPath: binaries).count == 4)
    // Eleven minutes ago: it sums, trims to three quarters of the budget, and says when.
    try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-660)], ofItemAtPath: binaries + ".checked")
    CacheSweeper().trimOnce(binaries, budget: 2000, scratch: dir + "/tmp")
    #expect(try FileManager.default.contentsOfDirectory(atPath: binaries).sorted() == ["entry3"])
    let checked = try #require(try FileManager.default.attributesOfItem(atPath: binaries + ".checked")[.modificationDate] as? Date)
    #expect(abs(checked.timeIntervalSinceNow) < 60)
    // Never looked: it sums.
    try FileManager.default.removeItem(atPath: binaries + ".checked")
    CacheSweeper().trimOnce(binaries, budget: 500, scratch: dir + "/tmp")
    #expect(try FileManager.default.contentsOfDirectory(atPath: binaries) == [])
}

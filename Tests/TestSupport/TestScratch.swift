// Temporary folders for the tests: every one of a test process lives under one folder of that
// process, removed when it exits, so a run of the suite leaves nothing behind in /tmp (the tool
// sweeps /tmp for stale scratch folders, and thousands of leftovers slow every listing there).

import Foundation
import Glibc

public enum TestScratch {
    /// `$TMPDIR/lessons-tests-PID`, made on first use; removed at exit.
    public static let root: String = {
        let root = rootPath()
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: TestScratch.rootPath()) }
        return (root as NSString).resolvingSymlinksInPath
    }()

    /// A new empty folder `root/NAME-RANDOM`.
    public static func directory(_ name: String) -> String {
        let path = root + "/\(name)-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func rootPath() -> String { NSTemporaryDirectory() + "lessons-tests-\(getpid())" }
}

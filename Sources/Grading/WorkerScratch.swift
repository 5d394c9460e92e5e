// The folders grading workers get for the copies of the submissions they check
// (`/tmp/lessons-worker-GRADERPID-XXXXXX`), removed when the worker ends, or by the next
// grader when this one was killed first.

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Removing a worker's scratch folder (the copies of submissions it was given).
enum WorkerScratch {
    static func remove(_ path: String) {
        guard path.hasPrefix("/tmp/lessons-worker-") else { return }
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Once per process: folders of workers whose grader is gone (killed before it could clean up).
    static let staleSwept: Bool = {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? [] where name.hasPrefix("lessons-worker-") {
            let fields = name.split(separator: "-")
            guard fields.count == 4, let pid = Int32(fields[2]), pid > 0 else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { remove("/tmp/" + name) }
        }
        return true
    }()
}

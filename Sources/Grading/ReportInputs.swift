// What a report was graded from, as one SHA-256: the exercises' definitions, the class
// listing (every student folder and the files in it, with their sizes and times) and the
// options that change results. Every shard of one run computes the same value; `grade merge`
// refuses to join shards whose values differ (a stale shard from an earlier run, a class
// folder that changed between shards, another --deadline).

import Foundation
import Notebook
import Toolchain

package enum ReportInputs {
    package static func fingerprint(directory: String, exercises: [Exercise], options: [String]) -> String {
        var hasher = SHA256()
        hasher.update("lessons-inputs\u{0}")
        for exercise in exercises { hasher.update(exercise.fullID + "\u{0}" + ResultCache.definitionHash(exercise) + "\u{0}") }
        hasher.update("options\u{0}" + options.joined(separator: "\u{0}") + "\u{0}class\u{0}")
        let ids = (try? ClassFolder.studentIDs(in: directory)) ?? []
        for id in ids {
            hasher.update("student\u{0}\(id)\u{0}")
            ClassFolder.walk(directory + "/" + id, relative: "") { relative, _ in
                var info = stat()
                _ = lstat(directory + "/" + id + "/" + relative, &info)
                hasher.update("\(relative)\u{0}\(info.st_size)\u{0}\(info.st_mtim.tv_sec)\u{0}")
            }
        }
        return String(SHA256.hex(hasher.finalize()).prefix(16))
    }
}

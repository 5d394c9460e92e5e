// One submission's fingerprints (Similarity.swift), kept in the report for `grade merge`.

/// One submission's fingerprints: kept in the report so that `grade merge` can compare shards.
package struct SubmissionFingerprint: Codable, Sendable, Hashable {
    /// SHA-256 of the file's bytes.
    package var sha256: String
    /// `[hash, first line, last line]` of each selected window.
    package var marks: [[Int]]
}

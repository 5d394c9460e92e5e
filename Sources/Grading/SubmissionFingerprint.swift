// One submission's fingerprints (Similarity.swift), kept in the report for `grade merge`.

/// One submission's fingerprints: kept in the report so that `grade merge` can compare shards.
package struct SubmissionFingerprint: Codable, Sendable, Hashable {
    /// SHA-256 of the file's bytes.
    package var sha256: String
    /// Each selected window's hash, first line and last line, one window after another: one
    /// array per submission rather than one per window (an array of its own costs a heap block
    /// of 64 bytes for three numbers), since a class's fingerprints are all held while it is graded.
    private var windows: [Int]

    /// `marks`: `[hash, first line, last line]` of each selected window.
    package init(sha256: String, marks: [[Int]]) {
        self.sha256 = sha256
        windows = []
        windows.reserveCapacity(3 * marks.count)
        for mark in marks {
            precondition(mark.count == 3, "a fingerprint mark is [hash, first line, last line]")
            windows += mark
        }
    }

    /// `[hash, first line, last line]` of each selected window, as the JSON report has them.
    package var marks: [[Int]] {
        stride(from: 0, to: windows.count, by: 3).map { Array(windows[$0..<$0 + 3]) }
    }

    /// The selected windows' hashes, in order.
    package var hashes: [Int] {
        stride(from: 0, to: windows.count, by: 3).map { windows[$0] }
    }

    enum CodingKeys: String, CodingKey { case sha256, marks }

    package init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let marks = try c.decode([[Int]].self, forKey: .marks)
        guard marks.allSatisfy({ $0.count == 3 }) else {
            throw DecodingError.dataCorruptedError(forKey: .marks, in: c, debugDescription: "a mark is not [hash, first line, last line]")
        }
        self.init(sha256: try c.decode(String.self, forKey: .sha256), marks: marks)
    }

    package func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sha256, forKey: .sha256)
        try c.encode(marks, forKey: .marks)
    }
}

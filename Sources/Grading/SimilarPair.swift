// A pair of submissions that look copied (Similarity.swift): instructor formats only.

/// A pair of submissions of one exercise that look copied.
package struct SimilarPair: Codable, Sendable, Equatable {
    package struct Match: Codable, Sendable, Equatable {
        /// `[first, last]` lines in each file.
        package var a: [Int]
        package var b: [Int]
    }
    package var exercise: String
    package var a: String
    package var b: String
    /// Shared fingerprints over all fingerprints of the two (Dolos's similarity), 0…1.
    package var score: Double
    package var identical: Bool
    package var matches: [Match]
}

// A pair of submissions that look copied (Similarity.swift): instructor formats only.

/// A pair of submissions of one exercise that look copied.
public struct SimilarPair: Codable, Sendable, Equatable {
    public struct Match: Codable, Sendable, Equatable {
        /// `[first, last]` lines in each file.
        public var a: [Int]
        public var b: [Int]
    }
    public var exercise: String
    public var a: String
    public var b: String
    /// Shared fingerprints over all fingerprints of the two (Dolos's similarity), 0…1.
    public var score: Double
    public var identical: Bool
    public var matches: [Match]
}

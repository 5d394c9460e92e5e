// How late one exercise was handed in (LatePolicy.swift).

/// How late one exercise was handed in, and what it cost (every format shows it).
package struct LateWork: Codable, Sendable, Hashable {
    /// When it was handed in, ISO 8601 in UTC.
    package var submitted: String
    /// `mtime` (the file's modification time) or `git` (the last commit's committer time).
    package var source: String
    /// Started periods (days, or hours with `%/hour`) past the deadline; 0 when on time.
    package var days: Int
    /// `day` or `hour`: what `days` counts.
    package var period: String
    /// The penalty applied, in percent of the points earned.
    package var percent: Int
    /// Points taken off (the earned points × percent, rounded half up).
    package var deducted: Int
}

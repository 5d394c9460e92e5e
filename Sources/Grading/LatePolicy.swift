// Late work as instructors already record it: a deadline, the time each submission was
// handed in (its file's modification time, or the last commit of a student's Git repository
// as GitHub Classroom makes one), and a penalty per started day or hour late, capped.

import Foundation

package struct LatePolicy: Sendable, Equatable {
    package var deadline: Date
    /// Percent off per started period.
    package var percentPerPeriod: Int
    /// 86 400 (`%/day`) or 3 600 (`%/hour`).
    package var periodSeconds: Int
    /// Most percent taken off in all (`--late-cap`, default 100).
    package var capPercent: Int

    package init(deadline: Date, percentPerPeriod: Int = 0, periodSeconds: Int = 86_400, capPercent: Int = 100) {
        self.deadline = deadline
        self.percentPerPeriod = percentPerPeriod
        self.periodSeconds = periodSeconds
        self.capPercent = capPercent
    }

    /// `2026-03-01T23:59:00+09:00`, `2026-03-01T23:59Z`, or `2026-03-01 23:59[:ss]` in the
    /// local time zone (`TZ`).
    package static func parseDeadline(_ text: String) -> Date? {
        let iso = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds],
                                                       [.withFullDate, .withTime, .withColonSeparatorInTime, .withTimeZone, .withDashSeparatorInDate]] {
            iso.formatOptions = options
            if let date = iso.date(from: text) { return date }
        }
        let local = DateFormatter()
        local.locale = Locale(identifier: "en_US_POSIX")
        local.timeZone = TimeZone.current
        for format in ["yyyy-MM-dd'T'HH:mmXXXXX", "yyyy-MM-dd HH:mm:ssXXXXX", "yyyy-MM-dd HH:mmXXXXX",
                       "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm"] {
            local.dateFormat = format
            if let date = local.date(from: text) { return date }
        }
        return nil
    }

    /// `10%/day` or `5%/hour` → (percent, period seconds).
    package static func parsePenalty(_ text: String) -> (Int, Int)? {
        let parts = text.replacingOccurrences(of: " ", with: "").split(separator: "/")
        guard parts.count == 2, parts[0].hasSuffix("%"), let percent = Int(parts[0].dropLast()), (0...100).contains(percent) else { return nil }
        switch parts[1] {
        case "day", "d": return (percent, 86_400)
        case "hour", "h": return (percent, 3_600)
        default: return nil
        }
    }

    /// `50%` → 50.
    package static func parseCap(_ text: String) -> Int? {
        guard text.hasSuffix("%"), let percent = Int(text.dropLast()), (0...100).contains(percent) else { return nil }
        return percent
    }

    /// What handing in at `submitted` costs an exercise that earned `score`.
    func lateness(submitted: Date, source: String, score: Int) -> LateWork {
        let late = submitted.timeIntervalSince(deadline)
        let periods = late <= 0 ? 0 : Int((late / Double(periodSeconds)).rounded(.up))
        let percent = min(capPercent, periods * percentPerPeriod)
        let deducted = Int((Double(score) * Double(percent) / 100).rounded(.toNearestOrAwayFromZero))
        return LateWork(submitted: LatePolicy.iso(submitted), source: source, days: periods, period: periodSeconds == 3_600 ? "hour" : "day",
                        percent: percent, deducted: deducted)
    }

    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    /// Stamps every handed-in exercise of `students` with its lateness and takes the penalty
    /// off its score. A student folder that is a Git repository is timed by its last commit
    /// (GitCommitTime.swift); otherwise each file by its modification time.
    func apply(to students: inout [GradeReport.Student], folders: [StudentFolder], roots: [String]) {
        for index in students.indices {
            let folder = folders[index]
            let commit = GitCommitTime.lastCommit(in: roots[index])
            for slot in students[index].exercises.indices {
                var result = students[index].exercises[slot]
                guard result.status != .missing, result.status != .internalError, let file = folder.files[result.exercise] else { continue }
                let time: Date
                let source: String
                if let commit {
                    (time, source) = (commit, "git")
                } else {
                    var info = stat()
                    guard lstat(file, &info) == 0 else { continue }
                    (time, source) = (Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec)), "mtime")
                }
                let late = lateness(submitted: time, source: source, score: result.score)
                result.late = late
                result.score -= late.deducted
                students[index].exercises[slot] = result
            }
        }
    }
}

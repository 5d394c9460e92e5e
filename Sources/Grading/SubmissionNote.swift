// A remark about what a student handed in beside or instead of the graded files: a file
// ignored, a file in the wrong place and where it belongs. Kept as a value so that every
// format, and `grade merge` from JSON, can phrase it for its reader in the reader's language.

import Foundation

public struct SubmissionNote: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable {
        /// A file that is no exercise of the pack (notes, build products).
        case notAnExercise = "not-an-exercise"
        /// A symbolic link (never followed).
        case symbolicLink = "symbolic-link"
        /// A second file for an exercise already graded from `other`.
        case anotherFileGraded = "another-file-graded"
        /// A file in a language the exercise does not take (`other`: the languages it takes).
        case wrongLanguage = "wrong-language"
        /// An exercise's file in the wrong place (a flat upload, a wrong or extra folder):
        /// `other` is where it belongs.
        case misplaced
        /// More files ignored than are listed (`file`: how many).
        case more
    }

    public var kind: Kind
    /// The file, relative to the student's folder.
    public var file: String
    public var other: String?

    public init(_ kind: Kind, file: String, other: String? = nil) {
        self.kind = kind
        self.file = file
        self.other = other
    }

    /// The instructor's English line (the report's `notes`).
    public var english: String { text(Words("en")) }

    /// The line for `words`' reader.
    func text(_ words: Words) -> String {
        let other = self.other ?? ""
        switch (kind, words.korean) {
        case (.notAnExercise, false): return "\(file) ignored: not an exercise of this pack"
        case (.notAnExercise, true): return "\(file) 무시함: 이 과제의 문제가 아닙니다"
        case (.symbolicLink, false): return "\(file) ignored: a symbolic link"
        case (.symbolicLink, true): return "\(file) 무시함: 심볼릭 링크입니다"
        case (.anotherFileGraded, false): return "\(file) ignored: \(other) is graded (one file per exercise)"
        case (.anotherFileGraded, true): return "\(file) 무시함: \(other)을(를) 채점했습니다(문제마다 파일 하나)"
        case (.wrongLanguage, false): return "\(file) ignored: this exercise takes \(other) only"
        case (.wrongLanguage, true): return "\(file) 무시함: 이 문제는 \(other)만 받습니다"
        case (.misplaced, false): return "\(file) ignored: it is not where this exercise's file goes; rename it to \(other)"
        case (.misplaced, true): return "\(file) 무시함: 이 문제의 파일 위치가 아닙니다. \(other)(으)로 이름을 바꾸세요"
        case (.more, false): return "… and \(file) more files ignored"
        case (.more, true): return "… 그 밖에 파일 \(file)개를 무시함"
        }
    }
}

extension GradeReport.Student {
    /// What the student should know about their folder, in `words`' language: every ignored or
    /// misplaced file, and why.
    func studentNotes(words: Words) -> [String] {
        var notes = files.map { $0.text(words) }
        for result in exercises where result.status == .missing {
            // A misplaced file is noted once, though it is both ignored and the missing exercise's.
            notes += result.fileNotes.map { $0.text(words) }.filter { !notes.contains($0) }
        }
        return notes
    }
}

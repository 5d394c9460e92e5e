// A remark about what a student handed in beside or instead of the graded files: a file
// ignored, a file in the wrong place and where it belongs. Kept as a value so that every
// format, and `grade merge` from JSON, can phrase it for its reader in the reader's language.

import Foundation

package struct SubmissionNote: Codable, Sendable, Hashable {
    package enum Kind: String, Codable, Sendable {
        /// A file that is no exercise of the pack (notes, build products).
        case notAnExercise = "not-an-exercise"
        /// A symbolic link (never followed), found among the files or where an exercise's file goes.
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
        /// The exercise's file is below a folder that is a symbolic link (`other`: that folder).
        case linkedFolder = "linked-folder"
        /// The student's folder itself is a symbolic link (`file`: the student's id).
        case linkedStudentFolder = "linked-student-folder"
        /// Not a regular file (`other`: fifo, character-device, block-device, socket, folder).
        case notRegular = "not-regular"
        /// A hard link to a file of another user (`other`: its uid) that not everyone may read,
        /// in a folder its student owns.
        case foreignHardLink = "foreign-hard-link"
        /// It could not be read (`other`: why, in the system's words).
        case unreadable
        /// The look for other files stopped (`file`: after how many entries).
        case lookStopped = "look-stopped"
    }

    package var kind: Kind
    /// The file, relative to the student's folder.
    package var file: String
    package var other: String?

    package init(_ kind: Kind, file: String, other: String? = nil) {
        self.kind = kind
        self.file = file
        self.other = other
    }

    /// The instructor's English line (the report's `notes`).
    package var english: String { text(Words("en")) }

    /// The line for `words`' reader.
    func text(_ words: Words) -> String {
        let other = self.other ?? ""
        switch (kind, words.korean) {
        case (.notAnExercise, false): return "\(file) ignored: not an exercise of this pack"
        case (.notAnExercise, true): return "\(file) 무시함: 이 과제의 문제가 아닙니다"
        case (.symbolicLink, false): return "\(file) ignored: a symbolic link (links are never followed)"
        case (.symbolicLink, true): return "\(file) 무시함: 심볼릭 링크입니다(링크는 따라가지 않습니다)"
        case (.anotherFileGraded, false): return "\(file) ignored: \(other) is graded (one file per exercise)"
        case (.anotherFileGraded, true): return "\(file) 무시함: \(other)을(를) 채점했습니다(문제마다 파일 하나)"
        case (.wrongLanguage, false): return "\(file) ignored: this exercise takes \(other) only"
        case (.wrongLanguage, true): return "\(file) 무시함: 이 문제는 \(other)만 받습니다"
        case (.misplaced, false): return "\(file) ignored: it is not where this exercise's file goes; rename it to \(other)"
        case (.misplaced, true): return "\(file) 무시함: 이 문제의 파일 위치가 아닙니다. \(other)(으)로 이름을 바꾸세요"
        case (.more, false): return "… and \(file) more files ignored"
        case (.more, true): return "… 그 밖에 파일 \(file)개를 무시함"
        case (.linkedFolder, false): return "\(file) not graded: \(other) is a symbolic link (links are never followed)"
        case (.linkedFolder, true): return "\(file) 채점하지 않음: \(other)은(는) 심볼릭 링크입니다(링크는 따라가지 않습니다)"
        case (.linkedStudentFolder, false): return "\(file) is a symbolic link (links are never followed): nothing in it was graded"
        case (.linkedStudentFolder, true): return "\(file)은(는) 심볼릭 링크입니다(링크는 따라가지 않습니다): 그 안의 파일은 채점하지 않았습니다"
        case (.notRegular, false): return "\(file) ignored: \(Self.kindWords[other]?.english ?? "not a regular file"), not a regular file"
        case (.notRegular, true): return "\(file) 무시함: \(Self.kindWords[other]?.korean ?? "특수 파일")이며 일반 파일이 아닙니다"
        case (.foreignHardLink, false): return "\(file) ignored: a hard link to a file of user \(other) that not everyone may read; hand in a copy of your own"
        case (.foreignHardLink, true): return "\(file) 무시함: 모두가 읽을 수는 없는 사용자 \(other)의 파일에 대한 하드 링크입니다. 자기 파일의 복사본을 제출하세요"
        case (.unreadable, false): return "\(file) cannot be read (\(other))"
        case (.unreadable, true): return "\(file)을(를) 읽을 수 없습니다(\(other))"
        case (.lookStopped, false): return "… stopped looking for other files after \(file) entries"
        case (.lookStopped, true): return "… 항목 \(file)개 뒤로는 다른 파일을 찾지 않았습니다"
        }
    }

    /// How `notRegular`'s kinds read.
    static let kindWords: [String: (english: String, korean: String)] = [
        "fifo": ("a FIFO", "FIFO"), "character-device": ("a character device", "문자 장치"),
        "block-device": ("a block device", "블록 장치"), "socket": ("a socket", "소켓"), "folder": ("a folder", "폴더"),
        "symbolic-link": ("a symbolic link", "심볼릭 링크"),
    ]
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

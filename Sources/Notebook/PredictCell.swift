// Predict-then-observe cells: a ```predict``` block right after an example cell asks the
// learner to predict something about the cell's trace before it runs; the REPL's `predict`
// command asks, runs the cell, scores the answer against the real trace and shows the
// difference.
//
//   ```predict
//   question: How many times will this program call brk after main?
//   question.ko: 이 프로그램은 main 이후 brk를 몇 번 부를까요?
//   answer: count brk
//   ```
//
// `answer:` says what is predicted and how the trace answers it:
//   count CALL           how many CALL system calls happen after `main`
//   argument CALL N      the N-th argument (1-based) of the first CALL after `main`
//   argument CALL#K N    … of the K-th CALL after `main`
//   calls                the system calls after `main`, in order (the learner types one per
//                        line: a name, or a whole strace line whose name is taken)
//   calls brk,mmap,munmap   … only these calls (the others are left out of the comparison)
// Optional: `note:` / `note.ko:` shown after the result (what to take away).

/// What a ```predict``` block asks.
public struct Prediction: Codable, Sendable, Hashable {
    public enum Answer: Codable, Sendable, Hashable {
        case count(call: String)
        case argument(call: String, occurrence: Int, index: Int)
        /// The calls after `main`, in order; `only` keeps just these names (empty: every call).
        case calls(only: [String])
    }

    public var question: LocalizedText
    public var answer: Answer
    public var note: LocalizedText?
    public var location: SourceLocation

    public init(question: LocalizedText, answer: Answer, note: LocalizedText? = nil, location: SourceLocation) {
        self.question = question
        self.answer = answer
        self.note = note
        self.location = location
    }

    /// One problem in a block: its 0-based line inside the block, 1-based column, message.
    public struct Problem: Sendable, Hashable {
        public var line: Int
        public var column: Int
        public var message: String
    }

    /// Parses a block's lines (`firstLine`: 1-based line of its first content line in `file`).
    public static func parse(_ lines: [String], file: String, firstLine: Int) -> (Prediction?, [Problem]) {
        var problems: [Problem] = []
        var question: String?, questionTranslations: [String: String] = [:]
        var note: String?, noteTranslations: [String: String] = [:]
        var answer: Answer?
        for (index, raw) in lines.enumerated() {
            let line = raw.drop(while: { $0 == " " })
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else {
                problems.append(Problem(line: index, column: 1, message: "expected KEY: VALUE (question, answer, note), found '\(line)'"))
                continue
            }
            let key = String(line[..<colon])
            let value = String(line[line.index(after: colon)...].drop(while: { $0 == " " }))
            switch key {
            case "question": question = value
            case "note": note = value
            case _ where key.hasPrefix("question."): questionTranslations[String(key.dropFirst(9))] = value
            case _ where key.hasPrefix("note."): noteTranslations[String(key.dropFirst(5))] = value
            case "answer":
                let words = value.split(separator: " ").map(String.init)
                switch words.first {
                case "count" where words.count == 2 && isCallName(words[1]):
                    answer = .count(call: words[1])
                case "argument" where words.count == 3:
                    let parts = words[1].split(separator: "#").map(String.init)
                    guard isCallName(parts[0]), parts.count <= 2,
                          let index = Int(words[2]), index >= 1, index <= 6,
                          let occurrence = parts.count == 2 ? Int(parts[1]) : 1, occurrence >= 1 else {
                        problems.append(Problem(line: index, column: 1, message: "'answer: argument CALL N' takes a call name (CALL or CALL#K) and an argument number 1…6, found '\(value)'"))
                        continue
                    }
                    answer = .argument(call: parts[0], occurrence: occurrence, index: index)
                case "calls" where words.count <= 2:
                    let only = words.count == 2 ? words[1].split(separator: ",").map(String.init) : []
                    guard only.allSatisfy(isCallName) else {
                        problems.append(Problem(line: index, column: 1, message: "'answer: calls NAME,NAME' takes call names separated by commas, found '\(value)'"))
                        continue
                    }
                    answer = .calls(only: only)
                default:
                    problems.append(Problem(line: index, column: 1, message: "'answer:' takes 'count CALL', 'argument CALL N' or 'calls', found '\(value)'"))
                }
            default:
                problems.append(Problem(line: index, column: 1, message: "unknown key '\(key)' in a predict block (known: question, question.ko, answer, note, note.ko)"))
            }
        }
        guard let question, !question.isEmpty else {
            problems.append(Problem(line: 0, column: 1, message: "a predict block needs 'question: …' (what the learner is asked)"))
            return (nil, problems)
        }
        guard let answer else {
            if !problems.contains(where: { $0.message.hasPrefix("'answer:'") || $0.message.hasPrefix("'answer: argument") }) {
                problems.append(Problem(line: 0, column: 1, message: "a predict block needs 'answer: count CALL', 'answer: argument CALL N' or 'answer: calls'"))
            }
            return (nil, problems)
        }
        let prediction = Prediction(question: LocalizedText(question, translations: questionTranslations), answer: answer,
                                    note: note.map { LocalizedText($0, translations: noteTranslations) },
                                    location: SourceLocation(file: file, line: firstLine))
        return (prediction, problems)
    }

    static func isCallName(_ word: String) -> Bool {
        !word.isEmpty && word.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }
}

extension Array where Element == LessonBlock {
    /// Attaches `prediction` to the cell that is the last block; false when the last block is
    /// not a cell or the cell already has one.
    mutating func attach(prediction: Prediction) -> Bool {
        guard let last = self.last, case .cell(var cell) = last, cell.predict == nil else { return false }
        cell.predict = prediction
        self[count - 1] = .cell(cell)
        return true
    }
}

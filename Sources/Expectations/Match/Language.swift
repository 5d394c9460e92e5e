// The language of the matcher's explanations. English is the default; every explanation
// also exists in Korean, written beside its English as `say(english, korean)` (the one way a
// message is localised) in ExplainEvents.swift, ExplainOutput.swift, Phrases.swift and
// OutputAndOutcome.swift. Syscall names, flags, numbers and the learner's own output stay
// as they are in both.

/// Which language `Matcher.match` explains failures in.
public enum FeedbackLanguage: String, Sendable, Codable, Hashable, CaseIterable {
    case english = "en"
    case korean = "ko"

    /// `"ko"`, `"ko-KR"`, `"ko_KR.UTF-8"`, `"KO"` → Korean; anything else (`"en"`, `""`, `"C"`) → English.
    public init(code: String) {
        self = code.lowercased().hasPrefix("ko") ? .korean : .english
    }
}

extension ScriptMatcher {
    /// The English or the Korean text (only the chosen one is built).
    func say(_ english: @autoclosure () -> String, _ korean: @autoclosure () -> String) -> String {
        language == .korean ? korean() : english()
    }
}

// MARK: Korean particles

/// Korean particles depend on whether the word before ends in a consonant (받침):
/// `8192를` but `4096을`, `ENOMEM이` but `SIGSEGV가`. Code, numbers and quoted text are
/// read the way a Korean programmer reads them aloud: digits by their Sino-Korean names,
/// Latin letters by their English names (l, m, n end in a consonant, and p as in
/// mmap, 엠맵).
enum Josa {
    static func endsInConsonant(_ word: String) -> Bool {
        var scalars = Array(word.unicodeScalars)
        // A trailing parenthetical does not count: `8192(두 페이지)를` follows 8192.
        while let last = scalars.last {
            if last == " " || last == "`" || last == "\"" || last == "'" || last == "…" || last == "." {
                scalars.removeLast()
                continue
            }
            if last == ")" {
                var depth = 0
                var k = scalars.count - 1
                while k >= 0 {
                    if scalars[k] == ")" { depth += 1 }
                    if scalars[k] == "(" { depth -= 1; if depth == 0 { break } }
                    k -= 1
                }
                if k <= 0 { scalars.removeLast(); continue }
                scalars.removeSubrange(k...)
                continue
            }
            break
        }
        guard let last = scalars.last else { return false }
        switch last.value {
        case 0xAC00...0xD7A3: return (last.value - 0xAC00) % 28 != 0
        case 0x30...0x39: return "013678".unicodeScalars.contains(last)   // 영 일 삼 육 칠 팔
        default: return "lmnpLMNP".unicodeScalars.contains(last)        // mmap을 (맵), munmap을, SIGSEGV가
        }
    }

    /// `word` with the particle that fits it: `with` after a consonant, `without` after a vowel.
    static func attach(_ word: String, _ with: String, _ without: String) -> String {
        word + (endsInConsonant(word) ? with : without)
    }
}

/// Object particle: `8192바이트를`, `0x1000을`.
func koObject(_ word: String) -> String { Josa.attach(word, "을", "를") }
/// Subject particle: `프로그램이`, `자식 프로세스가`.
func koSubject(_ word: String) -> String { Josa.attach(word, "이", "가") }
/// Topic particle: `heap.start는`, `$len은`.
func koTopic(_ word: String) -> String { Josa.attach(word, "은", "는") }
/// Past copula: `0x1000이었습니다`, `SEGV_ACCERR였습니다`.
func koWas(_ word: String) -> String { Josa.attach(word, "이었습니다", "였습니다") }

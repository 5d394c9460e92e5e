// What a fatal signal and its si_code mean, in a learner's words: the one place the feedback,
// the explanations of a failed expectation and the memory picture take them from. Names and
// numbers come from the generated tables (SignalTable).

/// One description in every language the feedback speaks.
public struct SignalPhrase: Sendable, Equatable {
    public let english: String
    public let korean: String

    public func text(korean: Bool) -> String { korean ? self.korean : english }
}

public enum SignalDescriptions {
    /// What it means that a program died of `signal`; nil for a signal with no description.
    public static func meaning(of signal: Int32) -> SignalPhrase? {
        meanings[SignalTable.name(of: signal)]
    }

    /// What a program that died of a signal without a description is told.
    public static let unexpected = SignalPhrase(english: "an unexpected signal", korean: "예상하지 못한 신호입니다")

    /// What a learner should read for a `si_code`, by its name (`SEGV_MAPERR`).
    public static func codeMeaning(_ name: String) -> SignalPhrase? { codeMeanings[name] }

    private static let meanings: [String: SignalPhrase] = [
        "SIGSEGV": SignalPhrase(english: "it touched memory it does not own", korean: "자신의 것이 아닌 메모리에 접근했습니다"),
        "SIGABRT": SignalPhrase(english: "it aborted, e.g. a failed assert or a corrupted heap",
                                korean: "abort되었습니다. 예를 들어 assert 실패나 망가진 힙"),
        "SIGILL": SignalPhrase(english: "an illegal instruction; in Swift, a trap such as a force-unwrapped nil",
                               korean: "잘못된 명령어입니다. Swift에서는 nil 강제 언래핑 같은 trap입니다"),
        "SIGBUS": SignalPhrase(english: "a bus error: memory that exists but cannot be accessed like that",
                               korean: "버스 오류입니다. 메모리는 있지만 그렇게 접근할 수 없습니다"),
        "SIGFPE": SignalPhrase(english: "an arithmetic error such as division by zero", korean: "0으로 나누기 같은 산술 오류입니다"),
        "SIGKILL": SignalPhrase(english: "it was killed", korean: "강제로 종료되었습니다"),
    ]

    private static let codeMeanings: [String: SignalPhrase] = [
        "SEGV_MAPERR": SignalPhrase(english: "no memory is mapped at that address", korean: "그 주소에는 매핑된 메모리가 없음"),
        "SEGV_ACCERR": SignalPhrase(english: "the page is mapped but its protection forbids that access",
                                    korean: "페이지는 매핑되어 있지만 보호 속성이 그 접근을 막음"),
        "BUS_ADRERR": SignalPhrase(english: "the address lies past the end of a mapped file", korean: "주소가 매핑된 파일의 끝을 넘어섬"),
    ]
}

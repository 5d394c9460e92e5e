// An argument list as a decoder writes it: strace's text, and where each argument ends, which
// register it shows and what it is. The event keeps both (`SyscallEvent.argumentSpans`), so
// no reader has to split the text again.

struct ArgumentList: Sendable {
    private(set) var text = ""
    private(set) var spans: [ArgumentSpan] = []

    init() {}

    /// One argument per piece: its text, the register it shows, its kind.
    init(_ pieces: (String, Int, SyscallArgument.Kind)...) {
        for piece in pieces { add(piece.0, piece.1, piece.2) }
    }

    init(text: String, spans: [ArgumentSpan]) {
        self.text = text
        self.spans = spans
    }

    var isEmpty: Bool { spans.isEmpty }

    /// Appends one argument (after `, ` when there are others).
    mutating func add(_ piece: String, _ register: Int, _ kind: SyscallArgument.Kind) {
        if !spans.isEmpty { text += ", " }
        text += piece
        spans.append(ArgumentSpan(end: text.utf8.count, register: register, kind: kind))
    }

    /// Appends every argument of `other`.
    mutating func add(_ other: ArgumentList) {
        guard !other.spans.isEmpty else { return }
        if !spans.isEmpty { text += ", " }
        let base = text.utf8.count
        text += other.text
        spans += other.spans.map { ArgumentSpan(end: base + $0.end, register: $0.register, kind: $0.kind) }
    }

    static func + (left: ArgumentList, right: ArgumentList) -> ArgumentList {
        var list = left
        list.add(right)
        return list
    }

    /// Text that belongs to the last argument (clone3's ` => {pidfd=[3]}`, written back at exit).
    mutating func extendLast(_ suffix: String) {
        guard !spans.isEmpty else { return }
        text += suffix
        spans[spans.count - 1].end = text.utf8.count
    }
}

extension TextWriter {
    /// The argument list `body` writes, closing each argument with `endArgument`.
    static func renderArguments(_ body: (inout TextWriter, inout [ArgumentSpan]) -> Void) -> ArgumentList {
        var spans: [ArgumentSpan] = []
        spans.reserveCapacity(6)
        let text = render { writer in
            spans.removeAll(keepingCapacity: true)  // written again when the first buffer was short
            body(&writer, &spans)
        }
        return ArgumentList(text: text, spans: spans)
    }

    /// Marks the end of the argument just written.
    func endArgument(_ register: Int, _ kind: SyscallArgument.Kind, in spans: inout [ArgumentSpan]) {
        spans.append(ArgumentSpan(end: count, register: register, kind: kind))
    }
}

// GNU readline for the REPL on a terminal: line editing, history kept in a file across
// sessions, Tab completion from a provider, and Ctrl-C that cancels the line being typed
// (or stops a running program) without leaving the REPL.
//
// readline is a C library with global state and C callbacks, so its glue is here, in one
// place: @convention(c) functions that cannot capture, and `nonisolated(unsafe)` storage
// touched only from the main thread (and one sig_atomic_t flag from the signal handler).

import CReadline
#if canImport(Glibc)
import Glibc
#endif

/// What the C callbacks share with Swift. Only the main thread touches it.
enum LineEditorState {
    nonisolated(unsafe) static var completedLine: String?
    nonisolated(unsafe) static var sawEOF = false
    nonisolated(unsafe) static var candidates: [String] = []
    nonisolated(unsafe) static var candidateIndex = 0
    /// (line before the word, the word) → candidates, or nil for readline's own file-name completion.
    nonisolated(unsafe) static var provider: ((String, String) -> [String]?)?
}

/// Set by the SIGINT handler; read and cleared by the REPL.
nonisolated(unsafe) var interruptFlag: sig_atomic_t = 0

private let lineHandler: @convention(c) (UnsafeMutablePointer<CChar>?) -> Void = { line in
    if let line {
        LineEditorState.completedLine = String(cString: line)
        free(line)
    } else {
        LineEditorState.sawEOF = true
    }
}

private let completionGenerator: @convention(c) (UnsafePointer<CChar>?, Int32) -> UnsafeMutablePointer<CChar>? = { _, state in
    if state == 0 { LineEditorState.candidateIndex = 0 }
    guard LineEditorState.candidateIndex < LineEditorState.candidates.count else { return nil }
    defer { LineEditorState.candidateIndex += 1 }
    return strdup(LineEditorState.candidates[LineEditorState.candidateIndex])
}

private let attemptedCompletion: @convention(c) (UnsafePointer<CChar>?, Int32, Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = { text, start, _ in
    let word = text.map { String(cString: $0) } ?? ""
    var before = ""
    if let buffer = lessons_rl_line_buffer() {
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self), count: Int(start))
        before = String(decoding: bytes, as: UTF8.self)
    }
    guard let candidates = LineEditorState.provider?(before, word) else { return nil }
    lessons_rl_completion_over()
    LineEditorState.candidates = candidates.filter { $0.hasPrefix(word) }.sorted()
    if LineEditorState.candidates.isEmpty { return nil }
    return rl_completion_matches(text, completionGenerator)
}

private let interruptHandler: @convention(c) (Int32) -> Void = { _ in
    interruptFlag = 1
}

/// The file names readline would offer for `word` (directories end with `/`).
func readlineFileNames(_ word: String) -> [String] {
    var names: [String] = []
    var state: Int32 = 0
    while let match = rl_filename_completion_function(word, state) {
        var name = String(cString: match)
        free(match)
        var info = stat()
        if stat(name, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR && !name.hasSuffix("/") { name += "/" }
        names.append(name)
        state += 1
        if names.count > 500 { break }
    }
    return names
}

final class LineEditor {
    let historyPath: String?
    private var installedPrompt: String?

    init(historyPath: String?, provider: @escaping (String, String) -> [String]?) {
        self.historyPath = historyPath
        lessons_rl_configure(UnsafePointer(strdup("lessons")), attemptedCompletion)
        LineEditorState.provider = provider
        using_history()
        stifle_history(1000)
        if let historyPath { _ = read_history(historyPath) }
        LineEditor.installInterruptHandler()
    }

    /// SIGINT sets a flag instead of killing the REPL; poll() is interrupted (no SA_RESTART).
    static func installInterruptHandler() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = interruptHandler
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
    }

    enum Input { case line(String), interrupted, endOfInput }

    /// One line typed at `prompt`; the terminal is given back (cooked mode) before returning.
    func read(prompt: String) -> Input {
        LineEditorState.completedLine = nil
        LineEditorState.sawEOF = false
        interruptFlag = 0
        rl_callback_handler_install(prompt, lineHandler)
        defer { rl_callback_handler_remove() }
        while true {
            var descriptor = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, -1)
            if interruptFlag != 0 {
                interruptFlag = 0
                // Drop what was typed and start a fresh line, as a shell does.
                rl_free_line_state()
                rl_callback_sigcleanup()
                rl_replace_line("", 0)
                FileHandleOutput.standardOutput.write("^C\n")
                return .interrupted
            }
            if ready < 0 {
                if errno == EINTR { continue }
                return .endOfInput
            }
            rl_callback_read_char()
            if let line = LineEditorState.completedLine {
                LineEditorState.completedLine = nil
                remember(line)
                return .line(line)
            }
            if LineEditorState.sawEOF {
                FileHandleOutput.standardOutput.write("\n")
                return .endOfInput
            }
        }
    }

    func remember(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return }
        add_history(line)
        if let historyPath {
            // Append at once, so that history survives a crash or a killed terminal.
            if access(historyPath, F_OK) != 0 { _ = write_history(historyPath) } else { _ = append_history(1, historyPath) }
            _ = history_truncate_file(historyPath, 1000)
        }
    }
}

import Foundation

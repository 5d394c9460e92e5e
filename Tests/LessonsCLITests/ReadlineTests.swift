// Readline behaviour in a real pseudo-terminal (tmux): Tab completion, history kept across
// sessions in the workspace, Ctrl-C cancelling a line without leaving the REPL.

import Foundation
import Testing
@testable import LessonsCLI
import TestSupport

/// A tmux server of our own (its own socket), running `lessons` in one pane.
final class TmuxPane {
    let socket = "lessons-test-\(UUID().uuidString.prefix(8))"

    static let available = FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")

    init(directory: String, environment: [String: String], width: Int = 160) {
        let exports = environment.map { "\($0.key)=\(Shell.quote($0.value))" }.joined(separator: " ")
        tmux(["new-session", "-d", "-s", "t", "-x", "\(width)", "-y", "50",
              "cd \(Shell.quote(directory)) && env NO_COLOR=1 TERM=xterm \(exports) \(Shell.quote(LessonsBinary.path)); sleep 30"])
    }

    deinit { tmux(["kill-server"]) }

    @discardableResult
    func tmux(_ arguments: [String]) -> String {
        // Output goes through a file: the tmux server that new-session starts would keep a
        // pipe open forever.
        let file = NSTemporaryDirectory() + "\(socket)-\(UUID().uuidString.prefix(6)).out"
        defer { unlink(file) }
        let command = (["/usr/bin/tmux", "-L", socket, "-f", "/dev/null"] + arguments).map(Shell.quote).joined(separator: " ")
        _ = Shell.run("\(command) >\(Shell.quote(file)) 2>/dev/null </dev/null")
        return read(file) ?? ""
    }

    func send(_ keys: String...) { tmux(["send-keys", "-t", "t"] + keys) }
    func type(_ text: String) { tmux(["send-keys", "-t", "t", "-l", text]) }
    var screen: String { tmux(["capture-pane", "-p", "-t", "t", "-S", "-200"]) }

    func waitFor(_ predicate: (String) -> Bool, timeout: Double = 20) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if predicate(screen) { return true }
            usleep(100_000)
        }
        return false
    }

    /// The last line that holds a prompt.
    var promptLine: String { screen.split(separator: "\n").last { $0.contains("> ") }.map(String.init) ?? "" }
}

@Suite(.serialized, .enabled(if: TmuxPane.available, "tmux is not installed"))
struct ReadlineInATerminal {
    @Test func tabCompletesCommandsAndCtrlCCancelsTheLine() {
        let directory = temporaryDirectory()
        _ = LessonsBinary.run(["init"], in: directory)
        let pane = TmuxPane(directory: directory, environment: ["LESSONS_PATH": Fixture.lessons])
        #expect(pane.waitFor { $0.contains("Ctrl-D quits") })
        pane.type("hel")
        pane.send("Tab")
        #expect(pane.waitFor { _ in pane.promptLine.hasSuffix("> help ") || pane.promptLine.hasSuffix("> help") }, "\(pane.screen)")
        pane.send("Enter")
        #expect(pane.waitFor { $0.contains("Commands (the same at the prompt") })
        // Ctrl-C drops the typed line; the REPL stays.
        pane.type("bogus-line")
        // The terminal flushes unread input on Ctrl-C: let readline take the line first.
        #expect(pane.waitFor { _ in pane.promptLine.hasSuffix("> bogus-line") })
        pane.send("C-c")
        #expect(pane.waitFor { $0.contains("bogus-line^C") }, "\(pane.screen)")
        pane.type("progress")
        pane.send("Enter")
        pane.type("quit")
        pane.send("Enter")
        #expect(pane.waitFor { _ in read(directory + "/.lessons/history")?.contains("quit") == true })
        #expect(!pane.screen.contains("unknown command 'bogus-line'"))
        let history = read(directory + "/.lessons/history") ?? ""
        #expect(history.contains("help"))
        #expect(history.contains("progress"))
        #expect(!history.contains("bogus-line"))
    }

    @Test func historyIsKeptAcrossSessions() {
        let directory = temporaryDirectory()
        _ = LessonsBinary.run(["init"], in: directory)
        write("help\nprogress\nlist\n", to: directory + "/.lessons/history")
        let pane = TmuxPane(directory: directory, environment: ["LESSONS_PATH": Fixture.lessons])
        #expect(pane.waitFor { $0.contains("Ctrl-D quits") })
        pane.send("Up")
        #expect(pane.waitFor { _ in pane.promptLine.hasSuffix("> list") }, "\(pane.screen)")
        pane.send("Up")
        #expect(pane.waitFor { _ in pane.promptLine.hasSuffix("> progress") }, "\(pane.screen)")
        pane.send("C-d")
    }

    @Test func tabCompletesExerciseIDs() {
        let directory = temporaryDirectory()
        _ = LessonsBinary.run(["init"], in: directory)
        let pane = TmuxPane(directory: directory, environment: ["LESSONS_PATH": Fixture.lessons])
        #expect(pane.waitFor { $0.contains("Ctrl-D quits") })
        pane.type("show basics/sa")
        pane.send("Tab")
        #expect(pane.waitFor { _ in pane.promptLine.contains("show basics/say-hello") }, "\(pane.screen)")
    }
}

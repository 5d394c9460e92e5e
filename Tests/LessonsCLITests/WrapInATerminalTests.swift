// Long text wraps to the terminal's width in a real terminal (tmux, 60 columns), between words;
// through a pipe it is exactly as the lesson wrote it, whatever $COLUMNS says.

import Foundation
import Testing
@testable import LessonsCLI
import TestSupport

@Suite struct WrapInATerminalTests {
    static let paragraph = """
    Read `n` from the first line of standard input, then `n` integers, one per line. Allocate
    room for exactly `n` ints with a single `malloc` (Swift: one
    `UnsafeMutablePointer<Int32>.allocate(capacity: n)`), store the numbers there, print them
    back one per line in the order you read them, free the block, and exit with status 0.
    """

    /// The fixture pack, with the first exercise's statement made long (authored at ~90 columns).
    static func pack() throws -> String {
        let directory = temporaryDirectory() + "/Lessons"
        let original = try #require(read(Fixture.lessons + "/01-basics.md"))
        let long = original.replacingOccurrences(of: "Print `hello` on its own line and exit with status 0.",
                                                 with: "Print `hello` on its own line and exit with status 0.\n\n" + paragraph)
        try #require(long != original)
        write(long, to: directory + "/01-basics.md")
        return directory
    }

    static func words(_ text: String) -> [String] { text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init) }

    @Test func aPipeGetsTheTextAsWritten() throws {
        let result = LessonsBinary.run(["show", "basics/say-hello"], in: temporaryDirectory(),
                                environment: ["LESSONS_PATH": try Self.pack(), "COLUMNS": "40"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(Self.paragraph + "\n"), "\(result.stdout)")
    }

    @Test(.enabled(if: TmuxPane.available, "tmux is not installed"))
    func aTerminalGetsItWrappedToItsWidth() throws {
        let directory = temporaryDirectory()
        let pane = TmuxPane(directory: directory, environment: ["LESSONS_PATH": try Self.pack(), "COLUMNS": "150"], width: 60)
        #expect(pane.waitFor { $0.contains("\nlessons>") }, "\(pane.screen)")
        pane.type("show basics/say-hello")
        pane.send("Enter")
        #expect(pane.waitFor { $0.contains("points") }, "\(pane.screen)")
        // -J joins the rows the terminal itself wrapped: a row wider than 60 is one we failed to wrap.
        let screen = pane.tmux(["capture-pane", "-p", "-J", "-t", "t", "-S", "-200"])
        let lines = screen.split(separator: "\n").map(String.init)
        let start = try #require(lines.firstIndex { $0.hasPrefix("Read `n` from") }, "\(screen)")
        let end = try #require(lines[start...].firstIndex { $0.hasSuffix("exit with status 0.") }, "\(screen)")
        let shown = Array(lines[start...end])
        #expect(shown.allSatisfy { $0.count <= 60 }, "\(shown.joined(separator: "\n"))")
        #expect(shown.count > 4, "reflowed to 60 columns, not left at 90: \(shown)")
        #expect(Self.words(shown.joined(separator: "\n")) == Self.words(Self.paragraph), "no word broken or lost: \(shown)")
        #expect(shown.contains { $0.contains("`UnsafeMutablePointer<Int32>.allocate(capacity: n)`),") })
        pane.send("C-d")
    }
}

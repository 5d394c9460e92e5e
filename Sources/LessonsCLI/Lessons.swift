// The root command and the options every subcommand shares.

import ArgumentParser

struct Lessons: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lessons",
        abstract: "Learn how C and Swift programs get memory from Linux, by tracing them.",
        discussion: "With no command, starts the REPL (interactive on a terminal, reading commands from standard input otherwise).",
        version: "0.1.0",
        subcommands: [
            Repl.self, Trace.self, Check.self, Grade.self, Lint.self, Record.self, Verify.self,
            List.self, Next.self, Show.self, Hint.self, Run.self, Edit.self, Reset.self, ShowProgress.self, Init.self, Watch.self,
        ],
        defaultSubcommand: Repl.self
    )

    init() {}
}

/// Options every command understands.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The lesson pack to use (default: the bundled Lessons/, or $LESSONS_PATH).", valueName: "DIR"))
    var lessons: String?

    @Option(name: .long, help: ArgumentHelp("Language of lesson text and feedback: en or ko (default: from the locale).", valueName: "LANG"))
    var lang: String?

    init() {}

    func validate() throws {
        if let lang, !GlobalOptions.textLanguages.contains(where: { lang.lowercased().hasPrefix($0) }) {
            throw ValidationError("--lang takes en or ko (the language of lesson text and feedback), not '\(lang)'")
        }
    }

    /// The languages lesson text and feedback can be shown in.
    static let textLanguages = ["en", "ko"]
}

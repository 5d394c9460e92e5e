// How the reports of one run are written, beside the report itself: the reader's language,
// Excel's byte order mark, Gradescope's visibility of hidden cases, Canvas's roster.

package struct RenderOptions: Sendable {
    package var language: String
    package var csvBOM: Bool
    package var hiddenVisibility: String
    package var roster: Roster?
    package var canvasAssignment: String?

    package init(language: String = "en", csvBOM: Bool = false, hiddenVisibility: String = "after_published",
                roster: Roster? = nil, canvasAssignment: String? = nil) {
        self.language = language
        self.csvBOM = csvBOM
        self.hiddenVisibility = hiddenVisibility
        self.roster = roster
        self.canvasAssignment = canvasAssignment
    }
}

extension ReportRenderer {
    /// Students a Canvas file leaves out, said in `language`.
    package static func notOnRoster(_ ids: [String], language: String) -> String { Words(language).notOnRoster(ids) }
    /// `N results could not be checked …`, said in `language`.
    package static func notChecked(_ count: Int, language: String) -> String { Words(language).notChecked(count) }
    /// The line a `grade` stopped by Ctrl-C or SIGTERM says, in `language`.
    package static func stopped(_ stop: GradeStop, language: String) -> String { Words(language).stopped(stop) }
}

/// How far a `grade` stopped by a signal got, and where its report is: what its last words say.
package struct GradeStop: Sendable, Equatable {
    /// What stopped it: the line names it, as a shell names the status.
    package enum Signal: Sendable, Equatable {
        /// SIGINT: Ctrl-C at the terminal.
        case interrupt
        /// SIGTERM: a Slurm time limit, `timeout`, systemd, `kill`.
        case terminate
    }

    package enum Stage: Sendable, Equatable {
        /// Before the class was listed (the pack, the compilers, the folder's warnings).
        case starting
        /// `done` of `total` student × exercise results in hand.
        case grading(done: Int, total: Int)
        /// Every result in hand and the whole report written.
        case written(total: Int)
    }

    package enum Destination: Sendable, Equatable {
        /// A file replaced by partial reports; `partial` is what it holds (nil: none written yet).
        case partialFile(String, partial: GradeReport.Partial?)
        /// Standard output (nil), a device or a FIFO: only the whole report goes there.
        case wholeOnly(String?)
    }

    package var stage: Stage
    package var destination: Destination
    /// Whether the result cache keeps what was graded for the next run (not with --no-cache).
    package var cached: Bool
    package var signal: Signal

    package init(stage: Stage, destination: Destination, cached: Bool, signal: Signal = .interrupt) {
        self.stage = stage
        self.destination = destination
        self.cached = cached
        self.signal = signal
    }
}

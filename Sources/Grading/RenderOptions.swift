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
}

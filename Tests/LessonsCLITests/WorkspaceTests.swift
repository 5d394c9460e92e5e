// The workspace: found from subdirectories, progress written atomically, a corrupt progress
// file kept aside and rebuilt, learner files never overwritten.

import Foundation
import Testing
@testable import LessonsCLI
import Notebook
import Toolchain
import Vocabulary

func exercise(_ id: String, lesson: String = "basics", languages: [Language] = [.c, .swift], starter: String = "int main(void) { return 0; }\n") -> Exercise {
    Exercise(id: id, lessonID: lesson, title: LocalizedText(id), statement: LocalizedText("Do it.", translations: ["ko": "하세요."]),
             languages: languages, starters: [.c: starter, .swift: "print(1)\n"], cases: [], expectations: [],
             hints: [LocalizedText("one"), LocalizedText("two")], points: 10, location: SourceLocation(file: "x.md", line: 1))
}

@Test func workspaceIsFoundFromASubdirectory() throws {
    let root = temporaryDirectory()
    try Workspace.create(at: root, language: .swift)
    let deep = root + "/basics/more/deeper"
    try FileManager.default.createDirectory(atPath: deep, withIntermediateDirectories: true)
    let found = try #require(Workspace.find(from: deep))
    #expect(found.root == root)
    #expect(found.settings.language == .swift)
    #expect(Workspace.find(from: NSTemporaryDirectory()) == nil || Workspace.find(from: NSTemporaryDirectory())?.root != root)
}

// A settings.json that cannot be used is one warning naming it, what it takes and what is used
// instead; the workspace still works. No file at all (an older workspace) is no fault.
@Test func unusableSettingsAreOneWarningAndTheWorkspaceStillWorks() throws {
    let root = temporaryDirectory()
    try Workspace.create(at: root, language: .swift)
    let path = root + "/.lessons/settings.json"
    let until = " until 'lessons init --lang c' or 'lessons init --lang swift' sets it"
    func found() throws -> Workspace { try #require(Workspace.find(from: root)) }
    #expect(try found().settingsWarning == nil)

    write("{\"language\": \"rust\"}", to: path)
    #expect(try found().settings.language == .c)
    #expect(try found().settingsWarning == "warning: \(path) names the language \"rust\", which is not c or swift; using c (the default)" + until)
    write("{\"language\": ", to: path)
    #expect(try found().settingsWarning == "warning: \(path) is not valid JSON; using c (the default)" + until)
    write("[\"swift\"]", to: path)
    #expect(try found().settingsWarning == "warning: \(path) has no \"language\" (c or swift); using c (the default)" + until)
    // The fallback is the language most of the learner's files are in.
    write("print(1)\n", to: root + "/basics/a.swift")
    #expect(try found().settings.language == .swift)
    #expect(try found().settingsWarning?.contains("; using swift (most files here are Swift) until") == true)
    write("int main(void) { return 0; }\n", to: root + "/basics/b.c")
    write("int main(void) { return 0; }\n", to: root + "/basics/c.c")
    #expect(try found().settingsWarning?.contains("; using c (most files here are C) until") == true)

    try FileManager.default.removeItem(atPath: path)
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    #expect(try found().settingsWarning?.hasPrefix("warning: \(path) is a folder, not a file; using c (most files here are C) until") == true)
    try FileManager.default.removeItem(atPath: path)
    #expect(try found().settingsWarning == nil)
    // `init --lang` writes good settings, and says nothing of the bad ones it replaces.
    write("{\"language\": \"rust\"}", to: path)
    let fixed = try Workspace.create(at: root, language: .swift)
    #expect(fixed.settingsWarning == nil && fixed.settings.language == .swift)
    #expect(try found().settingsWarning == nil)
}

@Test func startersAreCopiedOnceAndNeverOverwritten() throws {
    let workspace = try Workspace.create(at: temporaryDirectory(), language: .c)
    let ex = exercise("say-hello")
    let (path, created) = try workspace.prepareFile(for: ex)
    #expect(created)
    #expect(path.hasSuffix("/basics/say-hello.c"))
    #expect(read(path) == "int main(void) { return 0; }\n")
    write("my work\n", to: path)
    let again = try workspace.prepareFile(for: ex)
    #expect(!again.created)
    #expect(read(path) == "my work\n")
}

@Test func languageFollowsTheWorkspaceUnlessTheExerciseRefusesIt() throws {
    let workspace = try Workspace.create(at: temporaryDirectory(), language: .swift)
    #expect(workspace.file(for: exercise("a")).hasSuffix("basics/a.swift"))
    #expect(workspace.file(for: exercise("b", languages: [.c])).hasSuffix("basics/b.c"))
    // Work already written in the other language is found, not hidden by a language change.
    write("int main(){}", to: workspace.root + "/basics/c.c")
    #expect(workspace.file(for: exercise("c")).hasSuffix("basics/c.c"))
}

@Test func progressRoundTripsAndIsWrittenAtomically() throws {
    let workspace = try Workspace.create(at: temporaryDirectory(), language: .c)
    var progress = Progress()
    progress.solved["basics/a"] = .init(at: Date(timeIntervalSince1970: 1_700_000_000), language: .c)
    progress.hintsShown["basics/b"] = 2
    progress.current = "basics/b"
    try workspace.saveProgress(progress)
    var warnings: [String] = []
    #expect(workspace.loadProgress(warn: { warnings.append($0) }) == progress)
    #expect(warnings.isEmpty)
    // No temporary file is left behind.
    let names = try FileManager.default.contentsOfDirectory(atPath: workspace.stateDirectory)
    #expect(names.allSatisfy { !$0.contains(".tmp-") }, "\(names)")
}

@Test func corruptProgressIsKeptAsideWithOneWarningAndRebuilt() throws {
    let workspace = try Workspace.create(at: temporaryDirectory(), language: .c)
    write("{\"solved\": {\"basics/a\": tru", to: workspace.progressPath)
    write("learner's precious work\n", to: workspace.root + "/basics/a.c")
    var warnings: [String] = []
    let progress = workspace.loadProgress(warn: { warnings.append($0) })
    #expect(progress == Progress())
    #expect(warnings.count == 1)
    #expect(!(warnings.first ?? "").contains("\n"))
    #expect((warnings.first ?? "").contains("progress.json.corrupt-"))
    let names = try FileManager.default.contentsOfDirectory(atPath: workspace.stateDirectory)
    let aside = try #require(names.first { $0.hasPrefix("progress.json.corrupt-") })
    #expect(read(workspace.stateDirectory + "/" + aside) == "{\"solved\": {\"basics/a\": tru")
    #expect(read(workspace.root + "/basics/a.c") == "learner's precious work\n")
    // Rebuilt: the next save writes a good file, and it reads back without a warning.
    var next = progress
    next.hintsShown["basics/a"] = 1
    try workspace.saveProgress(next)
    #expect(workspace.loadProgress(warn: { warnings.append($0) }) == next)
    #expect(warnings.count == 1)
}

@Test func progressWithWrongShapeIsAlsoKeptAside() throws {
    let workspace = try Workspace.create(at: temporaryDirectory(), language: .c)
    write("[1, 2, 3]", to: workspace.progressPath)
    var warnings: [String] = []
    _ = workspace.loadProgress(warn: { warnings.append($0) })
    #expect(warnings.count == 1)
    #expect(!FileManager.default.fileExists(atPath: workspace.progressPath))
}

@Test func resetKeepsTheLearnersVersion() throws {
    let workspace = try Workspace.create(at: temporaryDirectory(), language: .c)
    let ex = exercise("say-hello")
    let path = try workspace.prepareFile(for: ex).path
    write("mine\n", to: path)
    let (written, backup) = try workspace.resetFile(for: ex)
    #expect(written == path)
    #expect(read(path) == "int main(void) { return 0; }\n")
    #expect(read(try #require(backup)) == "mine\n")
}

@Test func exclusiveWriteNeverClobbers() throws {
    let path = temporaryDirectory() + "/f.c"
    write("old", to: path)
    #expect(throws: AtomicWrite.Failure.self) { try AtomicWrite.write(Data("new".utf8), to: path, exclusive: true) }
    #expect(read(path) == "old")
}

@Test(arguments: [
    ("/home/x/ws/brk/five-small-chunks.c", "brk/five-small-chunks"),
    ("mmap-params/page-size.swift", "mmap-params/page-size"),
])
func exerciseIDComesFromThePath(path: String, id: String) {
    #expect(Workspace.exerciseID(fromPath: path) == id)
}

@Test func noExerciseIDFromOtherFiles() {
    #expect(Workspace.exerciseID(fromPath: "notes.txt") == nil)
    #expect(Workspace.exerciseID(fromPath: "main.c") == nil)
}

@Test func textLanguageComesFromTheFlagThenTheLocale() {
    #expect(Session.textLanguage(flag: "ko", environment: [:]) == "ko")
    #expect(Session.textLanguage(flag: "en", environment: ["LANG": "ko_KR.UTF-8"]) == "en")
    #expect(Session.textLanguage(flag: nil, environment: ["LANG": "ko_KR.UTF-8"]) == "ko")
    #expect(Session.textLanguage(flag: nil, environment: ["LC_ALL": "en_US.UTF-8", "LANG": "ko_KR.UTF-8"]) == "en")
    #expect(Session.textLanguage(flag: nil, environment: ["LC_ALL": "ko_KR.UTF-8"]) == "ko")
    #expect(Session.textLanguage(flag: nil, environment: [:]) == "en")
}

@Test func replLinesSplitIntoWords() {
    #expect(LessonShell.split("  check  'my dir/a.c' ") == ["check", "my dir/a.c"])
    #expect(LessonShell.split("init \"\" --lang swift") == ["init", "", "--lang", "swift"])
    #expect(LessonShell.split("") == [])
}

@Test func subcommandsParse() throws {
    let run = try Lessons.Run.parse(["brk/sbrk-page", "--case", "big", "--all", "--plain"])
    #expect(run.file == "brk/sbrk-page")
    #expect(run.caseName == "big")
    #expect(run.all && run.plain)
    let reset = try Lessons.Reset.parse(["--yes"])
    #expect(reset.yes && reset.id == nil)
    let initCommand = try Lessons.Init.parse(["ws", "--lang", "swift"])
    #expect(initCommand.directory == "ws" && initCommand.lang == "swift")
    #expect(throws: (any Error).self) { try Lessons.Init.parse(["--lang", "rust"]) }
    let root = try Lessons.parseAsRoot(["progress"])
    #expect(root is Lessons.ShowProgress)
}

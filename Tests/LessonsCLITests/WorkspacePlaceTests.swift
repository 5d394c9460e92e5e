// Where a workspace starts: a folder of its own (`./lessons-work`) or an empty folder, never
// silently inside a source tree such as this project's own checkout; existing workspaces are
// found as before.

import Foundation
import Testing
@testable import LessonsCLI
import TestSupport

@Suite struct WorkspacePlaceTests {
    /// A folder that looks like a project checkout: Package.swift, .git, Sources/.
    static func checkout() -> String {
        let root = temporaryDirectory()
        write("// swift-tools-version:6.0\n", to: root + "/Package.swift")
        write("", to: root + "/Sources/x/x.swift")
        try! FileManager.default.createDirectory(atPath: root + "/.git", withIntermediateDirectories: true)
        return root
    }

    static func entries(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    @Test func aSourceTreeIsFoundFromAnyFolderInIt() {
        let root = Self.checkout()
        #expect(WorkspacePlace.sourceTree(containing: root)?.root == root)
        #expect(WorkspacePlace.sourceTree(containing: root)?.marker == "Package.swift")
        #expect(WorkspacePlace.sourceTree(containing: root + "/Sources/x")?.root == root)
        #expect(WorkspacePlace.sourceTree(containing: temporaryDirectory()) == nil)
    }

    @Test func nextInACheckoutStartsNothingAndSaysWhatToRun() throws {
        let root = Self.checkout()
        let before = Self.entries(root)
        let result = LessonsBinary.run(["next"], in: root, environment: ["LESSONS_PATH": Fixture.lessons])
        #expect(result.status == 2)
        #expect(result.stderr == "lessons: \(root) is a source tree (it has Package.swift); run 'lessons init' to keep your exercises in ./lessons-work, or 'lessons init DIR' for a folder of your choice\n", "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(Self.entries(root) == before, "nothing may be created in a source tree")
        // From a folder inside it, the same; and `watch` too.
        let inside = LessonsBinary.run(["watch"], in: root + "/Sources", environment: ["LESSONS_PATH": Fixture.lessons])
        #expect(inside.status == 2)
        #expect(inside.stderr.hasPrefix("lessons: \(root)/Sources is in the source tree \(root) (it has Package.swift); run 'lessons init'"), "\(inside.stderr)")
        #expect(Self.entries(root + "/Sources") == ["x"])
    }

    @Test func initInACheckoutMakesLessonsWorkAndNextFindsIt() throws {
        let root = Self.checkout()
        let env = ["LESSONS_PATH": Fixture.lessons]
        let made = LessonsBinary.run(["init"], in: root, environment: env)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout == "Started a workspace in \(root)/lessons-work (language: c). 'lessons next' shows the first exercise.\n", "\(made.stdout)")
        #expect(FileManager.default.fileExists(atPath: root + "/lessons-work/.lessons/settings.json"))
        #expect(!FileManager.default.fileExists(atPath: root + "/.lessons"))
        let next = LessonsBinary.run(["next"], in: root, environment: env)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stdout.contains("Edit: lessons-work/basics/say-hello.c (starter copied in)"), "\(next.stdout)")
        #expect(Self.entries(root) == [".git", "Package.swift", "Sources", "lessons-work"])
        // The REPL's prompt finds it too, and `init --lang` changes it rather than nesting another.
        let repl = LessonsBinary.run([], in: root, stdin: "lessons init --lang swift\nprogress\n", environment: env)
        #expect(repl.status == 0, "\(repl.stderr)")
        #expect(repl.stdout.contains("Workspace \(root)/lessons-work: language is now swift."), "\(repl.stdout)")
        #expect(!FileManager.default.fileExists(atPath: root + "/.lessons"))
    }

    @Test func nextInAnEmptyFolderStartsThereAndElsewhereInLessonsWork() throws {
        let env = ["LESSONS_PATH": Fixture.lessons]
        let empty = temporaryDirectory()
        let first = LessonsBinary.run(["next"], in: empty, environment: env)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.hasPrefix("Started a workspace in \(empty) (language: c; change it with 'lessons init --lang swift').\n"), "\(first.stdout)")
        #expect(first.stdout.contains("Edit: basics/say-hello.c"))
        // A folder with other things in it (a home directory, notes) gets a folder of its own.
        let busy = temporaryDirectory()
        write("my notes\n", to: busy + "/notes.txt")
        let second = LessonsBinary.run(["next"], in: busy, environment: env)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.hasPrefix("Started a workspace in \(busy)/lessons-work (language: c; change it with 'lessons init --lang swift').\n"), "\(second.stdout)")
        #expect(second.stdout.contains("Edit: lessons-work/basics/say-hello.c"))
        #expect(Self.entries(busy) == ["lessons-work", "notes.txt"])
    }

    @Test func anExistingWorkspaceInASourceTreeKeepsWorking() throws {
        // Made by an older `lessons next` in the checkout itself: still found, still used.
        let root = Self.checkout()
        try Workspace.create(at: root, language: .c)
        let session = Session(lessons: Fixture.lessons, lang: "en", console: Console(color: false, unicode: false, maxLines: nil),
                              workingDirectory: root + "/Sources")
        #expect(try session.workspace(create: true).root == root)
        #expect(Workspace.locate(from: root)?.root == root)
    }

    @Test func initWithADirectoryGoesWhereItIsTold() throws {
        let root = Self.checkout()
        let result = LessonsBinary.run(["init", "."], in: root)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: root + "/.lessons/settings.json"))
        let elsewhere = temporaryDirectory()
        let away = LessonsBinary.run(["init", elsewhere + "/course"], in: root + "/Sources")
        #expect(away.stdout == "Started a workspace in \(elsewhere)/course (language: c). cd '\(elsewhere)/course', then 'lessons next' shows the first exercise.\n", "\(away.stdout)")
    }

    @Test func commandsThatNeedAWorkspaceSayWhatToRunInACheckout() {
        let root = Self.checkout()
        let result = LessonsBinary.run(["progress"], in: root, environment: ["LESSONS_PATH": Fixture.lessons])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("lessons: not in a lessons workspace, and \(root) is a source tree (it has Package.swift); run 'lessons init'"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
    }
}

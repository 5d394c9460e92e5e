// Loading a directory of lessons: ordering, cross-file checks, lookup, where packs live.

import Foundation
import Testing
import Vocabulary
@testable import Notebook
import TestSupport

/// A fresh temporary directory holding `files` (relative path → contents).
func makeDirectory(_ files: [String: String]) throws -> String {
    let root = TestScratch.directory("notebook-tests")
    for (path, contents) in files {
        let full = root + "/" + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try contents.write(toFile: full, atomically: true, encoding: .utf8)
    }
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    return root
}

func lessonFile(id: String, order: Int, requires: String? = nil, exercise: String? = nil) -> String {
    var text = "---\nid: \(id)\ntitle: Lesson \(id)\norder: \(order)\n"
    if let requires { text += "requires: \(requires)\n" }
    text += "---\n\nSome prose.\n"
    if let exercise {
        text += "\n## Exercise: \(exercise) — Title\n\nDo it.\n\n```exercise\nlanguages: c\n```\n\n```c starter\nint main(void) { return 0; }\n```\n\n```expect\nexit 0\n```\n"
    }
    return text
}

@Test func loadsSortedByOrderAndSkipsReadme() throws {
    let dir = try makeDirectory([
        "01-zeta.md": lessonFile(id: "zeta", order: 20, requires: "alpha", exercise: "z1"),
        "02-alpha.md": lessonFile(id: "alpha", order: 10, exercise: "a1"),
        "README.md": "# Not a lesson\n",
        "notes.txt": "ignored",
    ])
    let (pack, diagnostics) = LessonPack.load(directory: dir)
    #expect(diagnostics == [])
    #expect(pack.lessons.map(\.id) == ["alpha", "zeta"])
    #expect(pack.exercise("zeta/z1")?.fullID == "zeta/z1")
    #expect(pack.exercise("zeta/z1")?.languages == [.c])
    #expect(pack.exercise("zeta/a1") == nil)
    #expect(pack.exercise("nope") == nil)
    #expect(pack.exercises.map(\.fullID) == ["alpha/a1", "zeta/z1"])
    #expect(pack.lesson("alpha")?.file == dir + "/02-alpha.md")
}

@Test func reportsDuplicateIdsAndPrerequisites() throws {
    let dir = try makeDirectory([
        "01-a.md": lessonFile(id: "a", order: 1),
        "02-a-again.md": lessonFile(id: "a", order: 2),
        "03-b.md": lessonFile(id: "b", order: 3, requires: "a, ghost, c"),
        "04-c.md": lessonFile(id: "c", order: 4),
        "05-broken.md": "no front matter\n",
    ])
    let (pack, diagnostics) = LessonPack.load(directory: dir)
    #expect(diagnostics.map(\.description) == [
        "\(dir)/05-broken.md:1:1: a lesson file starts with front matter: a line '---', then 'id:', 'title:' and 'order:' lines, then '---'",
        "\(dir)/02-a-again.md:2:5: lesson id 'a' is already used by \(dir)/01-a.md:2",
        "\(dir)/03-b.md:5:14: unknown prerequisite 'ghost': no lesson in this pack has that id",
        "\(dir)/03-b.md:5:21: prerequisite 'c' (order 4) must come before this lesson (order 3)",
    ])
    #expect(pack.lessons.map(\.id) == ["a", "b", "c"])
}

@Test func missingOrEmptyDirectory() throws {
    let (_, missing) = LessonPack.load(directory: "/nonexistent/lessons")
    #expect(missing.map(\.description) == [
        "/nonexistent/lessons:1:1: no lesson directory here: pass --lessons DIR or set LESSONS_PATH to a directory of lesson files",
    ])
    let empty = try makeDirectory(["README.md": "hi"])
    #expect(LessonPack.load(directory: empty).diagnostics.map(\.message) == ["no lesson files (*.md) in this directory"])
}

@Test func aFolderNamedLikeALessonFileIsReportedAsSuch() throws {
    let root = try makeDirectory(["01-a.md": lessonFile(id: "a", order: 1)])
    try FileManager.default.createDirectory(atPath: root + "/02-notes.md", withIntermediateDirectories: true)
    let (pack, diagnostics) = LessonPack.load(directory: root)
    #expect(pack.lessons.map(\.id) == ["a"])
    #expect(diagnostics.map(\.description) == [
        "\(root)/02-notes.md:1:1: a folder named like a lesson file: lesson files are plain *.md files; rename or move this folder",
    ])
}

@Test func defaultDirectoryPrefersLessonsPath() {
    #expect(LessonPack.defaultDirectory(environment: ["LESSONS_PATH": "/x/y"], executable: "/usr/bin/lessons") == "/x/y")
}

@Test func defaultDirectoryWalksUpToThePackage() throws {
    let root = try makeDirectory(["Package.swift": "// swift-tools-version:6.0\n", "Lessons/01-a.md": lessonFile(id: "a", order: 1),
                                  ".build/x86_64-unknown-linux-gnu/debug/lessons": ""])
    let exe = root + "/.build/x86_64-unknown-linux-gnu/debug/lessons"
    #expect(LessonPack.defaultDirectory(environment: [:], executable: exe) == root + "/Lessons")
    #expect(LessonPack.defaultDirectory(environment: ["LESSONS_PATH": ""], executable: exe) == root + "/Lessons")
}

@Test func defaultDirectoryOfAnInstall() throws {
    let prefix = try makeDirectory(["bin/lessons": "", "share/lessons/Lessons/01-a.md": lessonFile(id: "a", order: 1)])
    #expect(LessonPack.defaultDirectory(environment: [:], executable: prefix + "/bin/lessons") == prefix + "/share/lessons/Lessons")
    let nothing = try makeDirectory(["bin/lessons": ""])
    #expect(LessonPack.defaultDirectory(environment: [:], executable: nothing + "/bin/lessons") == nil)
}

@Test func anInstalledPackWinsOverACheckoutAroundThePrefix() throws {
    // `scripts/install.sh --prefix $checkout/dist`: the pack installed with the binary, not the checkout's.
    let checkout = try makeDirectory(["Package.swift": "// swift-tools-version:6.0\n", "Lessons/01-a.md": lessonFile(id: "a", order: 1),
                                      "dist/bin/lessons": "", "dist/share/lessons/Lessons/01-b.md": lessonFile(id: "b", order: 1)])
    #expect(LessonPack.defaultDirectory(environment: [:], executable: checkout + "/dist/bin/lessons") == checkout + "/dist/share/lessons/Lessons")
}

@Test func thisRepositoryIsFoundFromTheTestRunner() throws {
    try #require(FileManager.default.fileExists(atPath: packageRoot + "/Lessons"), "this checkout has no Lessons/ directory")
    // The test bundle runs from .build inside this package, which has Lessons/ and Package.swift.
    let found = try #require(LessonPack.defaultDirectory(environment: [:], executable: LessonPack.executablePath()))
    #expect((found as NSString).standardizingPath == (packageRoot + "/Lessons" as NSString).standardizingPath)
}

@Test func solutionsBesideThePack() throws {
    let root = try makeDirectory([
        "Lessons/01-a.md": lessonFile(id: "a", order: 1, exercise: "e"),
        "Solutions/a/e.c": "int main(void) { return 0; }\n",
    ])
    let (pack, diagnostics) = LessonPack.load(directory: root + "/Lessons")
    #expect(diagnostics == [])
    #expect(pack.solutionsDirectory == root + "/Solutions")
    let exercise = try #require(pack.exercise("a/e"))
    #expect(pack.solutions(for: exercise) == [.c: root + "/Solutions/a/e.c"])
    // A pack with its own Solutions/ inside.
    let inside = try makeDirectory(["01-a.md": lessonFile(id: "a", order: 1, exercise: "e"), "Solutions/a/e.swift": "print(1)\n"])
    #expect(LessonPack.solutionsDirectory(forPack: inside) == inside + "/Solutions")
}

// A lesson file that is a link to nothing is said to be one (not "check its permissions").
@Test func aDanglingLinkInThePackIsNamed() throws {
    let dir = try makeDirectory(["01-a.md": lessonFile(id: "a", order: 1)])
    try FileManager.default.createSymbolicLink(atPath: dir + "/02-gone.md", withDestinationPath: dir + "/moved.md")
    let (pack, diagnostics) = LessonPack.load(directory: dir)
    #expect(pack.lessons.map(\.id) == ["a"])
    #expect(diagnostics.map(\.description) == [dir + "/02-gone.md:1:1: a symbolic link to \(dir)/moved.md, which is not there; fix the link or remove it"])
}

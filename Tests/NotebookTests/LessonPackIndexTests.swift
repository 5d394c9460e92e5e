// One lesson of a pack parsed alone (what `check FILE` loads): the same lesson and diagnostics
// as the whole pack gives for that file, and the whole pack whenever the front matter scan is
// not sure (two files with the id, an id given twice, front matter that never closes, no match).

import Foundation
import Testing
@testable import Notebook

@Test func oneLessonIsParsedAloneWhenItsFileIsPlain() throws {
    let dir = try makeDirectory([
        "01-a.md": lessonFile(id: "a", order: 1, exercise: "x"),
        "02-b.md": lessonFile(id: "b", order: 2, requires: "a", exercise: "y") + "\n```expect\nnonsense here\n```\n",
        "03-c.md": "---\n# a comment\ntitle: C\n  id:   c  \norder: 3\n---\n",
        "04-broken.md": "---\nid: broken\ntitle: B\norder: 4\n---\n\n## Exercise: z — Z\n\n```exercise\npoints: many\n```\n",
    ])
    let whole = LessonPack.load(directory: dir)
    for id in ["a", "b", "c", "broken"] {
        let one = LessonPack.load(directory: dir, lesson: id)
        #expect(one.partial, "\(id)")
        #expect(one.pack.lessons == whole.pack.lessons.filter { $0.id == id })
        let file = try #require(one.pack.lessons.first?.file)
        #expect(one.diagnostics == whole.diagnostics.filter { $0.location.file == file }, "\(id)")
    }
}

@Test func theWholePackIsLoadedWhenTheScanIsNotSure() throws {
    let cases: [(String, [String: String])] = [
        ("two files declare it", ["01-a.md": lessonFile(id: "a", order: 1), "02-a.md": lessonFile(id: "a", order: 2)]),
        ("an id given twice", ["01-a.md": "---\nid: a\nid: b\ntitle: A\norder: 1\n---\n", "02-c.md": lessonFile(id: "c", order: 2)]),
        ("front matter open past 8 KiB", ["01-a.md": lessonFile(id: "a", order: 1),
                                          "02-z.md": "---\n" + String(repeating: "# padding\n", count: 1000) + "id: z\n---\n"]),
        ("no front matter", ["01-a.md": lessonFile(id: "a", order: 1), "02-none.md": "just text\n"]),
        ("no file declares it", ["01-b.md": lessonFile(id: "b", order: 1)]),
    ]
    for (name, files) in cases {
        let dir = try makeDirectory(files)
        let one = LessonPack.load(directory: dir, lesson: "a")
        let whole = LessonPack.load(directory: dir)
        #expect(!one.partial, "\(name)")
        #expect(one.pack.lessons == whole.pack.lessons, "\(name)")
        #expect(one.diagnostics == whole.diagnostics, "\(name)")
    }
}

@Test func theScanReadsTheIdAsTheParserDoes() throws {
    let dir = try makeDirectory([
        "a.md": "\u{FEFF}---\nid: a\n---\n",
        "spaced.md": " --- \n\t\nid:\tspaced \n---\n",
        "bad.md": "---\nid: Not An Id\n---\n",
        "late.md": "---\ntitle: x\n---\nid: late\n",
    ])
    #expect(LessonPack.declaredID(dir + "/a.md") == "a")
    #expect(LessonPack.declaredID(dir + "/spaced.md") == "spaced")
    #expect(LessonPack.declaredID(dir + "/bad.md") == nil)
    #expect(LessonPack.declaredID(dir + "/late.md") == nil)
    #expect(LessonPack.declaredID(dir + "/missing.md") == nil)
}
